// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The loopback transport: a device of the service VM is registered on the
 * Service OS's own virtio bus, so the stock drivers (virtio_blk, ...) of
 * this kernel drive it with no hypervisor in between. The driver's rings
 * come from virtio_ring as for any transport; since we do not offer
 * VIRTIO_F_ACCESS_PLATFORM, virtio_ring bypasses the DMA API and every
 * ring and buffer address is a physical address of System RAM, which the
 * service VM's memory map (vm_mem.c) resolves.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bottom_half.h>
#include <linux/cache.h>
#include <linux/slab.h>
#include <linux/virtio.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ring.h>

#include "compat.h"
#include "lhv.h"
#include "lhv_vdev.h"

/* The virtio vendor id of lhv devices ("lhv"). */
#define LHV_VIRTIO_VENDOR 0x6c6876

struct lhv_loopback {
	struct virtio_device vdev;
	struct lhv_vdev *dev;
	struct virtqueue **vqs; /* driver side, by queue index */
};

static struct lhv_loopback *to_lb(struct virtio_device *vdev)
{
	return container_of(vdev, struct lhv_loopback, vdev);
}

static void lhv_lb_get(struct virtio_device *vdev, unsigned int off, void *buf,
		       unsigned int len)
{
	lhv_vdev_read_config(to_lb(vdev)->dev, off, buf, len);
}

static void lhv_lb_set(struct virtio_device *vdev, unsigned int off,
		       const void *buf, unsigned int len)
{
	lhv_vdev_write_config(to_lb(vdev)->dev, off, buf, len);
}

static u8 lhv_lb_get_status(struct virtio_device *vdev)
{
	return lhv_vdev_get_status(to_lb(vdev)->dev);
}

static void lhv_lb_set_status(struct virtio_device *vdev, u8 status)
{
	/* The virtio core resets through ->reset, never with status 0. */
	if (status)
		lhv_vdev_set_status(to_lb(vdev)->dev, status);
}

static void lhv_lb_reset(struct virtio_device *vdev)
{
	lhv_vdev_set_status(to_lb(vdev)->dev, 0);
}

static u64 lhv_lb_get_features(struct virtio_device *vdev)
{
	return lhv_vdev_offered_features(to_lb(vdev)->dev);
}

static int lhv_lb_finalize_features(struct virtio_device *vdev)
{
	/* Drop the transport bits virtio_ring cannot do. */
	vring_transport_features(vdev);
	if (!__virtio_test_bit(vdev, VIRTIO_F_VERSION_1)) {
		dev_err(&vdev->dev, "lhv devices are VIRTIO 1.x only\n");
		return -EINVAL;
	}
	lhv_vdev_set_driver_features(to_lb(vdev)->dev, vdev->features);
	return 0;
}

static const char *lhv_lb_bus_name(struct virtio_device *vdev)
{
	return "lhv-loopback";
}

/* The driver kicked a queue. */
static bool lhv_lb_notify(struct virtqueue *dvq)
{
	struct lhv_loopback *lb = to_lb(dvq->vdev);
	struct lhv_vq *vq = &lb->dev->vqs[dvq->index];

	atomic64_inc(&vq->stats.notifications);
	lhv_vq_kick(vq);
	return true;
}

static void lhv_lb_del_vqs(struct virtio_device *vdev)
{
	struct lhv_loopback *lb = to_lb(vdev);
	struct virtqueue *dvq, *n;

	list_for_each_entry_safe (dvq, n, &vdev->vqs, list) {
		mutex_lock(&lb->dev->lock);
		lb->dev->vqs[dvq->index].ready = false;
		mutex_unlock(&lb->dev->lock);
		lb->vqs[dvq->index] = NULL;
		vring_del_virtqueue(dvq);
	}
}

static struct virtqueue *lhv_lb_setup_vq(struct lhv_loopback *lb,
					 unsigned int index,
					 vq_callback_t *callback,
					 const char *name, bool ctx)
{
	struct lhv_vdev *dev = lb->dev;
	struct lhv_vq *vq;
	struct virtqueue *dvq;

	if (index >= dev->nr_queues)
		return ERR_PTR(-ENOENT);
	vq = &dev->vqs[index];
	dvq = vring_create_virtqueue(index, dev->queue_max_size,
				     SMP_CACHE_BYTES, &lb->vdev, true, true,
				     ctx, lhv_lb_notify, callback, name);
	if (!dvq)
		return ERR_PTR(-ENOMEM);

	/* What a PCI driver would write to the queue registers. */
	mutex_lock(&dev->lock);
	vq->size = virtqueue_get_vring_size(dvq);
	vq->desc = virtqueue_get_desc_addr(dvq);
	vq->avail = virtqueue_get_avail_addr(dvq);
	vq->used = virtqueue_get_used_addr(dvq);
	vq->ready = true;
	mutex_unlock(&dev->lock);
	lb->vqs[index] = dvq;
	return dvq;
}

/* find_vqs of both kernel generations, on one array of queue infos. */
static int lhv_lb_find_vqs_common(struct virtio_device *vdev, unsigned int nvqs,
				  struct virtqueue *vqs[],
				  const struct lhv_vq_info *info)
{
	struct lhv_loopback *lb = to_lb(vdev);
	unsigned int i, index = 0;

	for (i = 0; i < nvqs; i++) {
		if (!info[i].name) {
			vqs[i] = NULL;
			continue;
		}
		vqs[i] = lhv_lb_setup_vq(lb, index++, info[i].callback,
					 info[i].name, info[i].ctx);
		if (IS_ERR(vqs[i])) {
			int err = PTR_ERR(vqs[i]);

			lhv_lb_del_vqs(vdev);
			return err;
		}
	}
	return 0;
}

#if LHV_FIND_VQS_INFO
static int lhv_lb_find_vqs(struct virtio_device *vdev, unsigned int nvqs,
			   struct virtqueue *vqs[],
			   struct virtqueue_info vqs_info[],
			   struct irq_affinity *desc)
{
	return lhv_lb_find_vqs_common(vdev, nvqs, vqs, vqs_info);
}
#else
static int lhv_lb_find_vqs(struct virtio_device *vdev, unsigned int nvqs,
			   struct virtqueue *vqs[], vq_callback_t *callbacks[],
			   const char *const names[], const bool *ctx,
			   struct irq_affinity *desc)
{
	struct lhv_vq_info *info;
	unsigned int i;
	int err;

	info = kcalloc(nvqs, sizeof(*info), GFP_KERNEL);
	if (!info)
		return -ENOMEM;
	for (i = 0; i < nvqs; i++) {
		info[i].name = names[i];
		info[i].callback = callbacks[i];
		info[i].ctx = ctx ? ctx[i] : false;
	}
	err = lhv_lb_find_vqs_common(vdev, nvqs, vqs, info);
	kfree(info);
	return err;
}
#endif

static const struct virtio_config_ops lhv_lb_config_ops = {
	.get = lhv_lb_get,
	.set = lhv_lb_set,
	.get_status = lhv_lb_get_status,
	.set_status = lhv_lb_set_status,
	.reset = lhv_lb_reset,
	.find_vqs = lhv_lb_find_vqs,
	.del_vqs = lhv_lb_del_vqs,
	.get_features = lhv_lb_get_features,
	.finalize_features = lhv_lb_finalize_features,
	.bus_name = lhv_lb_bus_name,
};

static void lhv_lb_release(struct device *d)
{
	struct lhv_loopback *lb =
		container_of(d, struct lhv_loopback, vdev.dev);

	kfree(lb->vqs);
	kfree(lb);
}

static int lhv_lb_attach(struct lhv_vdev *dev)
{
	struct lhv_loopback *lb;
	int err;

	lb = kzalloc(sizeof(*lb), GFP_KERNEL);
	if (!lb)
		return -ENOMEM;
	lb->vqs = kcalloc(dev->nr_queues, sizeof(*lb->vqs), GFP_KERNEL);
	if (!lb->vqs) {
		kfree(lb);
		return -ENOMEM;
	}
	lb->dev = dev;
	lb->vdev.dev.parent = dev->vm->dev;
	lb->vdev.dev.release = lhv_lb_release;
	lb->vdev.config = &lhv_lb_config_ops;
	lb->vdev.id.device = dev->device_id;
	lb->vdev.id.vendor = LHV_VIRTIO_VENDOR;
	dev->transport_priv = lb;

	err = register_virtio_device(&lb->vdev);
	if (err) {
		/* The device was initialised: the release frees lb. */
		dev->transport_priv = NULL;
		put_device(&lb->vdev.dev);
	}
	return err;
}

static void lhv_lb_detach(struct lhv_vdev *dev)
{
	struct lhv_loopback *lb = dev->transport_priv;

	/* The driver's remove resets the device (our stop) and frees rings. */
	unregister_virtio_device(&lb->vdev);
	dev->transport_priv = NULL;
}

static void lhv_lb_interrupt(struct lhv_vq *vq)
{
	struct lhv_loopback *lb = vq->vdev->transport_priv;
	struct virtqueue *dvq = lb ? lb->vqs[vq->index] : NULL;

	if (!dvq)
		return;
	/*
	 * Drivers expect their callback in interrupt context; from a task
	 * (our worker completing synchronously) fence off bottom halves so
	 * the softirqs the callback raises run at once, as after a real IRQ.
	 */
	if (in_task() && !irqs_disabled()) {
		local_bh_disable();
		vring_interrupt(0, dvq);
		local_bh_enable();
	} else {
		vring_interrupt(0, dvq);
	}
}

static void lhv_lb_config_changed(struct lhv_vdev *dev)
{
	struct lhv_loopback *lb = dev->transport_priv;

	if (lb)
		virtio_config_changed(&lb->vdev);
}

const struct lhv_transport lhv_loopback_transport = {
	.name = "loopback",
	.attach = lhv_lb_attach,
	.detach = lhv_lb_detach,
	.interrupt = lhv_lb_interrupt,
	.config_changed = lhv_lb_config_changed,
};
