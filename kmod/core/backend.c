// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The registry of device backends (lhv_blk, ...), one per enum
 * lhv_dev_type. A backend is looked up with a reference on its module for
 * the duration of a netlink request; its devices hold no reference, so
 * `rmmod lhv_blk` works with devices attached: its exit calls
 * lhv_backend_unregister, which destroys them first.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <uapi/linux/virtio_ids.h>
#include <lhv/virtio_heci.h>

#include "lhv.h"
#include "lhv_vdev.h"

/* Serialises device creation and removal against backend removal. */
DEFINE_MUTEX(lhv_dev_mutex);

static DEFINE_MUTEX(lhv_backend_lock); /* lhv_backends */
static LIST_HEAD(lhv_backends);

static const char *const lhv_dev_type_names[] = {
	[LHV_DEV_BLK] = "blk",
	[LHV_DEV_SND] = "snd",
	[LHV_DEV_HECI] = "heci",
	[LHV_DEV_XHCI] = "xhci",
};

const char *lhv_dev_type_name(u32 type)
{
	if (type >= ARRAY_SIZE(lhv_dev_type_names) || !lhv_dev_type_names[type])
		return "unknown";
	return lhv_dev_type_names[type];
}

/* The type of a device, also of one registered outside netlink. */
u32 lhv_vdev_type(const struct lhv_vdev *vdev)
{
	if (vdev->backend)
		return vdev->backend->type;
	switch (vdev->device_id) {
	case VIRTIO_ID_BLOCK:
		return LHV_DEV_BLK;
	case VIRTIO_ID_SOUND:
		return LHV_DEV_SND;
	case LHV_VIRTIO_ID_HECI:
		return LHV_DEV_HECI;
	default:
		return LHV_DEV_UNSPEC;
	}
}

static struct lhv_backend *lhv_backend_find(u32 type)
{
	struct lhv_backend *b;

	lockdep_assert_held(&lhv_backend_lock);
	list_for_each_entry (b, &lhv_backends, node)
		if (b->type == type)
			return b;
	return NULL;
}

const struct lhv_backend *lhv_backend_get(u32 type)
{
	struct lhv_backend *b;

	mutex_lock(&lhv_backend_lock);
	b = lhv_backend_find(type);
	if (b && !try_module_get(b->owner))
		b = NULL; /* on its way out */
	mutex_unlock(&lhv_backend_lock);
	return b;
}

void lhv_backend_put(const struct lhv_backend *backend)
{
	module_put(backend->owner);
}

int lhv_backend_register(struct lhv_backend *backend)
{
	int err = 0;

	if (!backend->type || backend->type >= __LHV_DEV_TYPE_COUNT ||
	    !backend->name || !backend->create || !backend->destroy ||
	    (backend->maxattr && !backend->policy))
		return -EINVAL;
	mutex_lock(&lhv_backend_lock);
	if (lhv_backend_find(backend->type))
		err = -EBUSY;
	else
		list_add_tail(&backend->node, &lhv_backends);
	mutex_unlock(&lhv_backend_lock);
	return err;
}
EXPORT_SYMBOL_GPL(lhv_backend_register);

/* The first device of backend on vm, or NULL; vm->dev_lock taken. */
static struct lhv_vdev *lhv_backend_first_dev(struct lhv_vm *vm,
					      const struct lhv_backend *b)
{
	struct lhv_vdev *vdev, *found = NULL;

	mutex_lock(&vm->dev_lock);
	list_for_each_entry (vdev, &vm->devs, vm_node) {
		if (vdev->backend == b) {
			found = vdev;
			break;
		}
	}
	mutex_unlock(&vm->dev_lock);
	return found;
}

void lhv_backend_unregister(struct lhv_backend *backend)
{
	struct lhv_vdev *vdev;
	struct lhv_vm *vm;
	unsigned int i;

	mutex_lock(&lhv_backend_lock);
	list_del(&backend->node);
	mutex_unlock(&lhv_backend_lock);

	mutex_lock(&lhv_dev_mutex);
	mutex_lock(&lhv_vm_lock);
	for (i = 0; i < lhv_max_vms; i++) {
		vm = lhv_vm_at(i);
		if (!vm)
			continue;
		while ((vdev = lhv_backend_first_dev(vm, backend)))
			backend->destroy(vdev);
	}
	mutex_unlock(&lhv_vm_lock);
	mutex_unlock(&lhv_dev_mutex);
}
EXPORT_SYMBOL_GPL(lhv_backend_unregister);
