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

static struct attribute *lhv_class_attrs[] = {
	&class_attr_version.attr,
	&class_attr_abi_version.attr,
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

static struct attribute *lhv_vm_attrs[] = {
	&dev_attr_id.attr,
	&dev_attr_state.attr,
	NULL,
};
ATTRIBUTE_GROUPS(lhv_vm);

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
