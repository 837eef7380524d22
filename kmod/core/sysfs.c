// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * /sys/class/lhv: module-wide attributes on the class, and one device per
 * VM (/sys/class/lhv/<vm>/) for its state. Documented in docs/sysfs.md.
 */
#include <linux/device.h>
#include <linux/kdev_t.h>
#include <linux/sysfs.h>
#include <lhv/version.h>

#include "compat.h"
#include "lhv.h"
#include "uvm.h"
#include "lhv_vdev.h"

static ssize_t version_show(lhv_class_const struct class *class,
			    lhv_class_const struct class_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%s\n", LHV_VERSION_STRING);
}
static CLASS_ATTR_RO(version);

static ssize_t abi_version_show(lhv_class_const struct class *class,
				lhv_class_const struct class_attribute *attr,
				char *buf)
{
	return sysfs_emit(buf, "%u\n", LHV_ABI_VERSION);
}
static CLASS_ATTR_RO(abi_version);

/* The hv's log (root only: it names addresses). */
static ssize_t hv_log_show(lhv_class_const struct class *class,
			   lhv_class_const struct class_attribute *attr,
			   char *buf)
{
	return lhv_hv_log_read(buf, PAGE_SIZE);
}
static struct class_attribute class_attr_hv_log =
	__ATTR(hv_log, 0400, hv_log_show, NULL);

/* Where the platform seed the hv holds came from (never the seed). */
static ssize_t hv_seed_show(lhv_class_const struct class *class,
			    lhv_class_const struct class_attribute *attr,
			    char *buf)
{
	static const char *const names[] = {
		[LHV_HV_SEED_NONE] = "none",
		[LHV_HV_SEED_BOOT] = "boot",
		[LHV_HV_SEED_FILE] = "firmware",
	};

	return sysfs_emit(buf, "%s\n", names[lhv_seed_source()]);
}
static CLASS_ATTR_RO(hv_seed);

static struct attribute *lhv_class_attrs[] = {
	&class_attr_version.attr,
	&class_attr_abi_version.attr,
	&class_attr_hv_log.attr,
	&class_attr_hv_seed.attr,
	NULL,
};
ATTRIBUTE_GROUPS(lhv_class);

static ssize_t id_show(struct device *dev, struct device_attribute *attr,
		       char *buf)
{
	struct lhv_vm *vm = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%u\n", vm->id);
}
static DEVICE_ATTR_RO(id);

static ssize_t state_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	struct lhv_vm *vm = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%s\n", lhv_vm_state_name(READ_ONCE(vm->state)));
}
static DEVICE_ATTR_RO(state);

/*
 * A user VM's settings (read-only: they are fixed at create) and what the
 * hv last said of it. The values are the ones VM_GET reports.
 */
static struct lhv_uvm *lhv_dev_uvm(struct device *dev)
{
	struct lhv_vm *vm = dev_get_drvdata(dev);

	return vm->uvm;
}

static ssize_t uuid_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%pUb\n", lhv_dev_uvm(dev)->uuid);
}
static DEVICE_ATTR_RO(uuid);

static ssize_t profile_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  lhv_dev_uvm(dev)->profile == LHV_VM_PROFILE_ANDROID
				  ? "android"
				  : "linux");
}
static DEVICE_ATTR_RO(profile);

static ssize_t cpus_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	struct lhv_uvm *u = lhv_dev_uvm(dev);
	ssize_t n = 0;
	u32 i;

	for (i = 0; i < u->nr_cpus; i++)
		n += sysfs_emit_at(buf, n, "%s%u", i ? "," : "", u->cpus[i]);
	return n + sysfs_emit_at(buf, n, "\n");
}
static DEVICE_ATTR_RO(cpus);

static ssize_t mem_size_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "%llu\n", lhv_dev_uvm(dev)->mem_size);
}
static DEVICE_ATTR_RO(mem_size);

static const char *const lhv_stop_reason_names[] = {
	[LHV_HC_STOP_NONE] = "none",
	[LHV_HC_STOP_FORCED] = "forced",
	[LHV_HC_STOP_POWEROFF] = "poweroff",
	[LHV_HC_STOP_REBOOT] = "reboot",
};

static ssize_t stop_reason_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	u32 r = READ_ONCE(lhv_dev_uvm(dev)->stop_reason);

	return sysfs_emit(buf, "%s\n",
			  r < ARRAY_SIZE(lhv_stop_reason_names)
				  ? lhv_stop_reason_names[r]
				  : "unknown");
}
static DEVICE_ATTR_RO(stop_reason);

static ssize_t crash_reason_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	struct lhv_vm *vm = dev_get_drvdata(dev);

	if (READ_ONCE(vm->state) != LHV_VM_CRASHED)
		return sysfs_emit(buf, "\n");
	return sysfs_emit(buf, "%s\n", vm->uvm->crash_reason);
}
static DEVICE_ATTR_RO(crash_reason);

static struct attribute *lhv_vm_attrs[] = {
	&dev_attr_id.attr,
	&dev_attr_state.attr,
	&dev_attr_uuid.attr,
	&dev_attr_profile.attr,
	&dev_attr_cpus.attr,
	&dev_attr_mem_size.attr,
	&dev_attr_stop_reason.attr,
	&dev_attr_crash_reason.attr,
	NULL,
};

/* The service VM shows id and state only. */
static umode_t lhv_vm_attr_visible(struct kobject *kobj, struct attribute *a,
				   int n)
{
	struct lhv_vm *vm = dev_get_drvdata(kobj_to_dev(kobj));

	if (a == &dev_attr_id.attr || a == &dev_attr_state.attr)
		return a->mode;
	return vm && vm->uvm ? a->mode : 0;
}

static const struct attribute_group lhv_vm_group = {
	.attrs = lhv_vm_attrs,
	.is_visible = lhv_vm_attr_visible,
};
__ATTRIBUTE_GROUPS(lhv_vm);

static struct class lhv_class = {
	.name = "lhv",
	.class_groups = lhv_class_groups,
	.dev_groups = lhv_vm_groups,
};

int lhv_sysfs_add_vm(struct lhv_vm *vm)
{
	struct device *dev;

	dev = device_create(&lhv_class, NULL, MKDEV(0, 0), vm, "%s", vm->name);
	if (IS_ERR(dev))
		return PTR_ERR(dev);
	vm->dev = dev;
	return 0;
}

void lhv_sysfs_del_vm(struct lhv_vm *vm)
{
	device_unregister(vm->dev);
	vm->dev = NULL;
}

int lhv_sysfs_init(void)
{
	return class_register(&lhv_class);
}

void lhv_sysfs_exit(void)
{
	class_unregister(&lhv_class);
}

/*
 * Per-device directories: /sys/class/lhv/<vm>/<dev>/ and its queueN/.
 * The kobjects are embedded in the backend's device, which outlives them:
 * lhv_sysfs_del_vdev removes them (sysfs drains readers) and drops the
 * only references, so their release has nothing to free.
 */
struct lhv_vdev_attr {
	struct attribute attr;
	ssize_t (*show)(struct lhv_vdev *vdev, char *buf);
};

static ssize_t vdev_type_show(struct lhv_vdev *vdev, char *buf)
{
	return sysfs_emit(buf, "%s\n", lhv_dev_type_name(lhv_vdev_type(vdev)));
}

static ssize_t vdev_status_show(struct lhv_vdev *vdev, char *buf)
{
	return sysfs_emit(buf, "0x%02x\n", lhv_vdev_get_status(vdev));
}

static ssize_t vdev_features_show(struct lhv_vdev *vdev, char *buf)
{
	return sysfs_emit(buf, "0x%016llx\n", READ_ONCE(vdev->features));
}

static ssize_t vdev_needs_reset_show(struct lhv_vdev *vdev, char *buf)
{
	unsigned long flags;
	ssize_t n;

	spin_lock_irqsave(&vdev->reset_lock, flags);
	n = sysfs_emit(buf, "%s\n", vdev->needs_reset_why);
	spin_unlock_irqrestore(&vdev->reset_lock, flags);
	return n;
}

#define LHV_VDEV_ATTR(_name)                                                   \
	static struct lhv_vdev_attr lhv_vdev_attr_##_name = {                  \
		.attr = { .name = __stringify(_name), .mode = 0444 },          \
		.show = vdev_##_name##_show,                                   \
	}

LHV_VDEV_ATTR(type);
LHV_VDEV_ATTR(status);
LHV_VDEV_ATTR(features);
LHV_VDEV_ATTR(needs_reset);

static struct attribute *lhv_vdev_attrs[] = {
	&lhv_vdev_attr_type.attr,
	&lhv_vdev_attr_status.attr,
	&lhv_vdev_attr_features.attr,
	&lhv_vdev_attr_needs_reset.attr,
	NULL,
};
ATTRIBUTE_GROUPS(lhv_vdev);

static ssize_t lhv_vdev_attr_show(struct kobject *kobj, struct attribute *attr,
				  char *buf)
{
	struct lhv_vdev_attr *a =
		container_of(attr, struct lhv_vdev_attr, attr);

	return a->show(container_of(kobj, struct lhv_vdev, kobj), buf);
}

static const struct sysfs_ops lhv_vdev_sysfs_ops = {
	.show = lhv_vdev_attr_show,
};

static void lhv_kobj_release(struct kobject *kobj)
{
	/* Embedded in memory the device's owner frees; see above. */
}

static const struct kobj_type lhv_vdev_ktype = {
	.release = lhv_kobj_release,
	.sysfs_ops = &lhv_vdev_sysfs_ops,
	.default_groups = lhv_vdev_groups,
};

/* queueN/: statistics (u64, decimal) and the negotiated size. */
struct lhv_vq_attr {
	struct attribute attr;
	size_t stat; /* offset in struct lhv_vq_stats, or -1 for size */
};

#define LHV_VQ_SIZE_ATTR ((size_t)-1)
#define LHV_VQ_STAT_ATTR(_name)                                                \
	static struct lhv_vq_attr lhv_vq_attr_##_name = {                      \
		.attr = { .name = __stringify(_name), .mode = 0444 },          \
		.stat = offsetof(struct lhv_vq_stats, _name),                  \
	}

LHV_VQ_STAT_ATTR(requests);
LHV_VQ_STAT_ATTR(bytes);
LHV_VQ_STAT_ATTR(errors);
LHV_VQ_STAT_ATTR(notifications);
LHV_VQ_STAT_ATTR(interrupts);
static struct lhv_vq_attr lhv_vq_attr_size = {
	.attr = { .name = "size", .mode = 0444 },
	.stat = LHV_VQ_SIZE_ATTR,
};

static struct attribute *lhv_vq_attrs[] = {
	&lhv_vq_attr_requests.attr,
	&lhv_vq_attr_bytes.attr,
	&lhv_vq_attr_errors.attr,
	&lhv_vq_attr_notifications.attr,
	&lhv_vq_attr_interrupts.attr,
	&lhv_vq_attr_size.attr,
	NULL,
};
ATTRIBUTE_GROUPS(lhv_vq);

static ssize_t lhv_vq_attr_show(struct kobject *kobj, struct attribute *attr,
				char *buf)
{
	struct lhv_vq_attr *a = container_of(attr, struct lhv_vq_attr, attr);
	struct lhv_vq *vq = container_of(kobj, struct lhv_vq, kobj);
	atomic64_t *stat;

	if (a->stat == LHV_VQ_SIZE_ATTR)
		return sysfs_emit(buf, "%u\n", READ_ONCE(vq->size));
	stat = (atomic64_t *)((char *)&vq->stats + a->stat);
	return sysfs_emit(buf, "%llu\n", (u64)atomic64_read(stat));
}

static const struct sysfs_ops lhv_vq_sysfs_ops = {
	.show = lhv_vq_attr_show,
};

static const struct kobj_type lhv_vq_ktype = {
	.release = lhv_kobj_release,
	.sysfs_ops = &lhv_vq_sysfs_ops,
	.default_groups = lhv_vq_groups,
};

int lhv_sysfs_add_vdev(struct lhv_vdev *vdev)
{
	unsigned int i;
	int err;

	memset(&vdev->kobj, 0, sizeof(vdev->kobj));
	err = kobject_init_and_add(&vdev->kobj, &lhv_vdev_ktype,
				   &vdev->vm->dev->kobj, "%s", vdev->name);
	if (err)
		goto err_put;
	for (i = 0; i < vdev->nr_queues; i++) {
		struct lhv_vq *vq = &vdev->vqs[i];

		err = kobject_init_and_add(&vq->kobj, &lhv_vq_ktype,
					   &vdev->kobj, "queue%u", i);
		if (err) {
			kobject_put(&vq->kobj);
			goto err_queues;
		}
	}
	return 0;

err_queues:
	while (i--)
		kobject_put(&vdev->vqs[i].kobj);
err_put:
	kobject_put(&vdev->kobj);
	return err;
}

void lhv_sysfs_del_vdev(struct lhv_vdev *vdev)
{
	unsigned int i;

	for (i = 0; i < vdev->nr_queues; i++)
		kobject_put(&vdev->vqs[i].kobj);
	kobject_put(&vdev->kobj);
}
