// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The virtio device core: what a backend registers (lhv_vdev.h) and what
 * its driver sees through the transport. Owns feature negotiation, the
 * device status state machine (VIRTIO 1.2 3.1), config space access, the
 * queues' life cycle and DEVICE_NEEDS_RESET. The service loop itself is in
 * vq_worker.c. Described in docs/virtio-core.md.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <uapi/linux/virtio_config.h>
#include <uapi/linux/virtio_ring.h>

#include "lhv.h"
#include "lhv_vdev.h"
#include "vpci.h"

/* Transport features every lhv device offers (docs/virtio-core.md). */
#define LHV_VDEV_CORE_FEATURES                                                 \
	(BIT_ULL(VIRTIO_F_VERSION_1) | BIT_ULL(VIRTIO_RING_F_INDIRECT_DESC) |  \
	 BIT_ULL(VIRTIO_RING_F_EVENT_IDX))

/* Bits a backend may offer: device-specific ones (0-23, 50-127). */
#define LHV_VDEV_DEVICE_FEATURES_MASK (GENMASK_ULL(23, 0) | GENMASK_ULL(63, 50))

u64 lhv_vdev_offered_features(const struct lhv_vdev *vdev)
{
	return (vdev->device_features & LHV_VDEV_DEVICE_FEATURES_MASK) |
	       LHV_VDEV_CORE_FEATURES;
}

void lhv_vdev_set_driver_features(struct lhv_vdev *vdev, u64 features)
{
	mutex_lock(&vdev->lock);
	/* Features are fixed once FEATURES_OK is set (3.1.1). */
	if (!(vdev->status & VIRTIO_CONFIG_S_FEATURES_OK))
		vdev->driver_features = features;
	mutex_unlock(&vdev->lock);
}

u8 lhv_vdev_get_status(struct lhv_vdev *vdev)
{
	u8 status = READ_ONCE(vdev->status);

	if (READ_ONCE(vdev->needs_reset))
		status |= VIRTIO_CONFIG_S_NEEDS_RESET;
	return status;
}

void lhv_vdev_read_config(struct lhv_vdev *vdev, unsigned int off, void *buf,
			  unsigned int len)
{
	/* Out of range reads as zeroes, like an unimplemented register. */
	memset(buf, 0, len);
	if (off > vdev->config_size || len > vdev->config_size - off)
		return;
	if (vdev->ops->get_config)
		vdev->ops->get_config(vdev, off, buf, len);
}

void lhv_vdev_write_config(struct lhv_vdev *vdev, unsigned int off,
			   const void *buf, unsigned int len)
{
	if (off > vdev->config_size || len > vdev->config_size - off)
		return;
	if (vdev->ops->set_config)
		vdev->ops->set_config(vdev, off, buf, len);
}

/* Stops the service loops and the backend; vdev->lock held. */
static void lhv_vdev_stop_queues(struct lhv_vdev *vdev)
{
	unsigned int i;

	WRITE_ONCE(vdev->live, false);
	for (i = 0; i < vdev->nr_queues; i++)
		lhv_vq_worker_stop(&vdev->vqs[i]);
	if (vdev->started) {
		vdev->ops->stop(vdev);
		vdev->started = false;
	}
}

/* Back to the state after power-on; vdev->lock held. */
static void lhv_vdev_reset(struct lhv_vdev *vdev)
{
	unsigned long flags;
	unsigned int i;

	lhv_vdev_stop_queues(vdev);
	for (i = 0; i < vdev->nr_queues; i++) {
		struct lhv_vq *vq = &vdev->vqs[i];

		memset(&vq->ring, 0, sizeof(vq->ring));
		vq->ready = false;
		vq->size = 0;
		vq->desc = vq->avail = vq->used = 0;
	}
	vdev->features = 0;
	vdev->driver_features = 0;
	WRITE_ONCE(vdev->status, 0);
	spin_lock_irqsave(&vdev->reset_lock, flags);
	WRITE_ONCE(vdev->needs_reset, false);
	vdev->needs_reset_why[0] = '\0';
	spin_unlock_irqrestore(&vdev->reset_lock, flags);
}

static bool lhv_vdev_features_ok(struct lhv_vdev *vdev)
{
	u64 f = vdev->driver_features;

	if (f & ~lhv_vdev_offered_features(vdev))
		return false;
	/* Legacy drivers are not served: only modern, little-endian rings. */
	return f & BIT_ULL(VIRTIO_F_VERSION_1);
}

/*
 * Maps every queue the driver enabled; vdev->lock held. On error *bad is
 * the queue refused.
 */
static int lhv_vdev_setup_queues(struct lhv_vdev *vdev, unsigned int *bad)
{
	struct lhv_vm *vm = vdev->vm;
	unsigned int i;

	for (i = 0; i < vdev->nr_queues; i++) {
		struct lhv_vq *vq = &vdev->vqs[i];
		struct virtq_layout l = {
			.size = vq->size,
			.desc = vq->desc,
			.avail = vq->avail,
			.used = vq->used,
			.features = vdev->features,
		};
		int err;

		if (!vq->ready)
			continue;
		*bad = i;
		if (vq->size > vdev->queue_max_size)
			return -EINVAL;
		err = virtq_setup(&vq->ring, &l, vm->mem_ops, vm->mem_ctx);
		if (err)
			return err;
	}
	return 0;
}

/* DRIVER_OK: rings mapped, backend started, loops kicked once. */
static void lhv_vdev_start(struct lhv_vdev *vdev)
{
	unsigned int i, bad = 0;
	char why[64];
	int err;

	err = lhv_vdev_setup_queues(vdev, &bad);
	if (err == -EFAULT) {
		/* Outside RAM, or across a chunk edge (areas must be whole). */
		snprintf(why, sizeof(why),
			 "queue %u: a ring area is not in one piece of RAM",
			 bad);
		lhv_vdev_needs_reset(vdev, why);
		return;
	}
	if (err) {
		snprintf(why, sizeof(why), "queue %u setup refused (%d)", bad,
			 err);
		lhv_vdev_needs_reset(vdev, why);
		return;
	}
	err = vdev->ops->start ? vdev->ops->start(vdev) : 0;
	if (err) {
		snprintf(why, sizeof(why), "backend start failed (%d)", err);
		lhv_vdev_needs_reset(vdev, why);
		return;
	}
	vdev->started = true;
	if (READ_ONCE(vdev->needs_reset))
		return;
	WRITE_ONCE(vdev->live, true);
	/* The driver may have made buffers available before DRIVER_OK. */
	for (i = 0; i < vdev->nr_queues; i++)
		if (vdev->vqs[i].ready)
			lhv_vq_kick(&vdev->vqs[i]);
}

void lhv_vdev_set_status(struct lhv_vdev *vdev, u8 status)
{
	u8 old, added;

	mutex_lock(&vdev->lock);
	if (!status) {
		lhv_vdev_reset(vdev);
		goto out;
	}
	old = vdev->status;
	/* Bits are only ever added until a reset (3.1.1). */
	status |= old;
	added = status & ~old;
	if ((added & VIRTIO_CONFIG_S_FEATURES_OK) &&
	    !lhv_vdev_features_ok(vdev)) {
		/* The driver reads FEATURES_OK back and finds it clear. */
		status &= ~VIRTIO_CONFIG_S_FEATURES_OK;
		added &= ~VIRTIO_CONFIG_S_FEATURES_OK;
	}
	if (added & VIRTIO_CONFIG_S_FEATURES_OK)
		vdev->features = vdev->driver_features;
	if ((added & VIRTIO_CONFIG_S_DRIVER_OK) &&
	    !(status & VIRTIO_CONFIG_S_FEATURES_OK)) {
		status &= ~VIRTIO_CONFIG_S_DRIVER_OK;
		added &= ~VIRTIO_CONFIG_S_DRIVER_OK;
	}
	/* NEEDS_RESET is the device's bit, never the driver's. */
	status &= ~VIRTIO_CONFIG_S_NEEDS_RESET;
	WRITE_ONCE(vdev->status, status);
	if (status & VIRTIO_CONFIG_S_FAILED)
		lhv_vdev_stop_queues(vdev);
	else if (added & VIRTIO_CONFIG_S_DRIVER_OK)
		lhv_vdev_start(vdev);
out:
	mutex_unlock(&vdev->lock);
}

void lhv_vdev_needs_reset(struct lhv_vdev *vdev, const char *why)
{
	unsigned long flags;
	bool first;

	spin_lock_irqsave(&vdev->reset_lock, flags);
	first = !vdev->needs_reset;
	if (first) {
		strscpy(vdev->needs_reset_why, why,
			sizeof(vdev->needs_reset_why));
		WRITE_ONCE(vdev->needs_reset, true);
	}
	/* The loops see this at their next chain and leave. */
	WRITE_ONCE(vdev->live, false);
	spin_unlock_irqrestore(&vdev->reset_lock, flags);
	if (!first)
		return;
	pr_warn_ratelimited("%s/%s: device needs reset: %s\n", vdev->vm->name,
			    vdev->name, why);
	vdev->transport->config_changed(vdev);
}
EXPORT_SYMBOL_GPL(lhv_vdev_needs_reset);

void lhv_vdev_config_changed(struct lhv_vdev *vdev)
{
	if (READ_ONCE(vdev->registered))
		vdev->transport->config_changed(vdev);
}
EXPORT_SYMBOL_GPL(lhv_vdev_config_changed);

static void lhv_vdev_free_queues(struct lhv_vdev *vdev)
{
	unsigned int i;

	if (!vdev->vqs)
		return;
	for (i = 0; i < vdev->nr_queues; i++) {
		lhv_vq_worker_destroy(&vdev->vqs[i]);
		kfree(vdev->vqs[i].segs);
	}
	kfree(vdev->vqs);
	vdev->vqs = NULL;
}

static int lhv_vdev_alloc_queues(struct lhv_vdev *vdev)
{
	unsigned int i;
	int err;

	vdev->vqs = kcalloc(vdev->nr_queues, sizeof(*vdev->vqs), GFP_KERNEL);
	if (!vdev->vqs)
		return -ENOMEM;
	for (i = 0; i < vdev->nr_queues; i++) {
		struct lhv_vq *vq = &vdev->vqs[i];

		vq->vdev = vdev;
		vq->index = i;
		spin_lock_init(&vq->complete_lock);
		vq->segs =
			kcalloc(vdev->max_segs, sizeof(*vq->segs), GFP_KERNEL);
		if (!vq->segs) {
			err = -ENOMEM;
			goto err;
		}
		err = lhv_vq_worker_create(vq);
		if (err)
			goto err;
	}
	return 0;
err:
	lhv_vdev_free_queues(vdev);
	return err;
}

static bool lhv_vdev_valid(const struct lhv_vdev *vdev)
{
	return vdev->ops && vdev->ops->handle_request && vdev->ops->stop &&
	       vdev->nr_queues && vdev->nr_queues <= 1024 &&
	       is_power_of_2(vdev->queue_max_size) &&
	       vdev->queue_max_size <= VIRTQ_MAX_SIZE && vdev->max_segs >= 2 &&
	       vdev->max_segs <= U16_MAX && vdev->device_id;
}

/* Lowest free id of vm and the list node to insert after; dev_lock held. */
static u32 lhv_vdev_pick_id(struct lhv_vm *vm, struct list_head **after)
{
	struct lhv_vdev *d;
	u32 id = 0;

	*after = &vm->devs;
	list_for_each_entry (d, &vm->devs, vm_node) {
		if (d->id != id)
			break;
		id++;
		*after = &d->vm_node;
	}
	return id;
}

/* Gives vdev its id and name and puts it on vm's list. */
static void lhv_vdev_list_add(struct lhv_vdev *vdev, struct lhv_vm *vm,
			      const char *name_prefix)
{
	struct list_head *after;

	vdev->vm = vm;
	mutex_lock(&vm->dev_lock);
	vdev->id = lhv_vdev_pick_id(vm, &after);
	snprintf(vdev->name, sizeof(vdev->name), "%s%u", name_prefix, vdev->id);
	list_add(&vdev->vm_node, after);
	mutex_unlock(&vm->dev_lock);
}

static void lhv_vdev_list_del(struct lhv_vdev *vdev)
{
	struct lhv_vm *vm = vdev->vm;

	mutex_lock(&vm->dev_lock);
	list_del(&vdev->vm_node);
	mutex_unlock(&vm->dev_lock);
}

/* Gives vdev its sysfs directory, then lets attach expose it. */
static int lhv_vdev_publish(struct lhv_vdev *vdev,
			    int (*attach)(struct lhv_vdev *vdev))
{
	int err;

	err = lhv_sysfs_add_vdev(vdev);
	if (err)
		return err;
	WRITE_ONCE(vdev->registered, true);
	err = attach(vdev);
	if (err) {
		WRITE_ONCE(vdev->registered, false);
		lhv_sysfs_del_vdev(vdev);
	}
	return err;
}

static int lhv_vdev_transport_attach(struct lhv_vdev *vdev)
{
	return vdev->transport->attach(vdev);
}

int lhv_vdev_register(struct lhv_vdev *vdev, struct lhv_vm *vm,
		      const char *name_prefix)
{
	int err;

	if (!lhv_vdev_valid(vdev) || !name_prefix ||
	    strlen(name_prefix) > LHV_DEV_NAME_MAX - 6)
		return -EINVAL;
	if (!vm->transport)
		return -EOPNOTSUPP;

	vdev->transport = vm->transport;
	vdev->status = 0;
	vdev->features = 0;
	vdev->driver_features = 0;
	vdev->live = false;
	vdev->started = false;
	vdev->registered = false;
	vdev->needs_reset = false;
	vdev->needs_reset_why[0] = '\0';
	mutex_init(&vdev->lock);
	spin_lock_init(&vdev->reset_lock);
	lhv_vdev_list_add(vdev, vm, name_prefix);

	err = lhv_vdev_alloc_queues(vdev);
	if (err)
		goto err_list;
	err = lhv_vdev_publish(vdev, lhv_vdev_transport_attach);
	if (err)
		goto err_queues;
	return 0;

err_queues:
	lhv_vdev_free_queues(vdev);
err_list:
	lhv_vdev_list_del(vdev);
	return err;
}
EXPORT_SYMBOL_GPL(lhv_vdev_register);

void lhv_vdev_unregister(struct lhv_vdev *vdev)
{
	/* The driver goes first; it resets the device on its way out. */
	vdev->transport->detach(vdev);
	mutex_lock(&vdev->lock);
	lhv_vdev_reset(vdev);
	mutex_unlock(&vdev->lock);
	WRITE_ONCE(vdev->registered, false);
	lhv_sysfs_del_vdev(vdev);
	lhv_vdev_free_queues(vdev);
	lhv_vdev_list_del(vdev);
	mutex_destroy(&vdev->lock);
}
EXPORT_SYMBOL_GPL(lhv_vdev_unregister);

static int lhv_vdev_pci_attach(struct lhv_vdev *vdev)
{
	return lhv_vpci_add(vdev->vm, vdev->pci_fn);
}

int lhv_vdev_register_pci(struct lhv_vdev *vdev, struct lhv_vm *vm,
			  const char *name_prefix, struct lhv_vpci_fn *fn)
{
	int err;

	if (!name_prefix || strlen(name_prefix) > LHV_DEV_NAME_MAX - 6 ||
	    vdev->nr_queues)
		return -EINVAL;
	if (!vm->uvm || !vm->vpci)
		return -EOPNOTSUPP;
	vdev->transport = NULL;
	vdev->vqs = NULL;
	vdev->pci_fn = fn;
	mutex_init(&vdev->lock);
	spin_lock_init(&vdev->reset_lock);
	lhv_vdev_list_add(vdev, vm, name_prefix);
	err = lhv_vdev_publish(vdev, lhv_vdev_pci_attach);
	if (err)
		lhv_vdev_list_del(vdev);
	return err;
}
EXPORT_SYMBOL_GPL(lhv_vdev_register_pci);

void lhv_vdev_unregister_pci(struct lhv_vdev *vdev)
{
	lhv_vpci_remove(vdev->vm, vdev->pci_fn);
	WRITE_ONCE(vdev->registered, false);
	lhv_sysfs_del_vdev(vdev);
	lhv_vdev_list_del(vdev);
	mutex_destroy(&vdev->lock);
}
EXPORT_SYMBOL_GPL(lhv_vdev_unregister_pci);

void lhv_vq_complete(struct lhv_vq *vq, u16 head, u32 written, u64 bytes,
		     bool error)
{
	struct lhv_vdev *vdev = vq->vdev;
	unsigned long flags;
	u16 old_used;
	bool notify;
	int err;

	spin_lock_irqsave(&vq->complete_lock, flags);
	old_used = vq->ring.used_idx;
	err = virtq_push(&vq->ring, head, written);
	notify = !err &&
		 virtq_needs_interrupt(&vq->ring, old_used, vq->ring.used_idx);
	spin_unlock_irqrestore(&vq->complete_lock, flags);

	atomic64_add(bytes, &vq->stats.bytes);
	if (error)
		atomic64_inc(&vq->stats.errors);
	/* A broken ring keeps its completions: the driver will reset. */
	if (err == -EINVAL)
		pr_warn_ratelimited("%s/%s: queue %u: bad completion head %u\n",
				    vdev->vm->name, vdev->name, vq->index,
				    head);
	if (notify) {
		atomic64_inc(&vq->stats.interrupts);
		vdev->transport->interrupt(vq);
	}
}
EXPORT_SYMBOL_GPL(lhv_vq_complete);

void lhv_vm_destroy_devices(struct lhv_vm *vm)
{
	struct lhv_vdev *vdev;

	/* Backends hold lhv.ko while they have devices: none may be left. */
	for (;;) {
		mutex_lock(&vm->dev_lock);
		vdev = list_first_entry_or_null(&vm->devs, struct lhv_vdev,
						vm_node);
		mutex_unlock(&vm->dev_lock);
		if (!vdev)
			return;
		/* A user VM's devices go with it; elsewhere it is a leak. */
		if (vm->uvm)
			pr_info("%s/%s: removed with its VM\n", vm->name,
				vdev->name);
		else
			pr_err("%s/%s: device left at unload, removing it\n",
			       vm->name, vdev->name);
		if (vdev->backend && vdev->backend->destroy)
			vdev->backend->destroy(vdev);
		else if (vdev->pci_fn)
			lhv_vdev_unregister_pci(vdev);
		else
			lhv_vdev_unregister(vdev);
	}
}
