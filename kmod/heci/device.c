// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The virtio HECI device as the driver sees it (uapi/lhv/virtio_heci.h):
 * configuration space with the host_reset / hw_ready handshake, the rx
 * queue whose buffers wait for ME messages, the tx queue whose chains are
 * host messages, and the start and stop of the device.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <linux/spinlock.h>

#include "heci.h"

/* The smallest rx buffer taken: any bus message fits. */
#define HECI_RX_MIN 64u

/* FWSTS1..6 of the simulated ME: "normal", initialised (as on a PC). */
static const u32 heci_sim_fw_status[6] = {
	0x90000245, 0x86100000, 0x00000020, 0x00004000, 0x00000000, 0x00000000,
};

static DEFINE_SPINLOCK(heci_config_lock); /* every device's config */

/* The link reset the driver asked for through host_reset. */
static void heci_reset_work(struct work_struct *work)
{
	struct heci_dev *dev = container_of(work, struct heci_dev, reset_work);
	unsigned long flags;

	mutex_lock(&dev->lock);
	if (dev->running)
		heci_bus_reset(dev);
	mutex_unlock(&dev->lock);
	spin_lock_irqsave(&heci_config_lock, flags);
	dev->config.host_reset = 0;
	dev->config.hw_ready = 1;
	spin_unlock_irqrestore(&heci_config_lock, flags);
	lhv_vdev_config_changed(&dev->vdev);
}

void heci_dev_init(struct heci_dev *dev)
{
	unsigned int i;

	BUILD_BUG_ON(sizeof(struct lhv_virtio_heci_config) != 32);
	mutex_init(&dev->lock);
	INIT_LIST_HEAD(&dev->out);
	INIT_WORK(&dev->reset_work, heci_reset_work);
	dev->config.buf_depth = cpu_to_le32(LHV_HECI_BUF_DEPTH);
	dev->config.hw_ready = 1;
	for (i = 0; i < ARRAY_SIZE(heci_sim_fw_status); i++)
		dev->config.fw_status[i] =
			cpu_to_le32(dev->backend == LHV_HECI_BACKEND_SIM
					    ? heci_sim_fw_status[i]
					    : 0);
	dev->vdev.device_id = LHV_VIRTIO_ID_HECI;
	dev->vdev.device_features = 0;
	dev->vdev.config_size = sizeof(dev->config);
	dev->vdev.nr_queues = LHV_HECI_NR_VQS;
	dev->vdev.queue_max_size = HECI_QUEUE_SIZE;
	dev->vdev.max_segs = 16;
	dev->vdev.ops = &heci_vdev_ops;
	dev->vdev.priv = dev;
}

static void heci_get_config(struct lhv_vdev *vdev, unsigned int off, void *buf,
			    unsigned int len)
{
	struct heci_dev *dev = to_heci_dev(vdev);
	unsigned long flags;

	spin_lock_irqsave(&heci_config_lock, flags);
	memcpy(buf, (u8 *)&dev->config + off, len);
	spin_unlock_irqrestore(&heci_config_lock, flags);
}

/* Only host_reset is writable, and only 1 means anything. */
static void heci_set_config(struct lhv_vdev *vdev, unsigned int off,
			    const void *buf, unsigned int len)
{
	struct heci_dev *dev = to_heci_dev(vdev);
	unsigned int at = offsetof(struct lhv_virtio_heci_config, host_reset);
	unsigned long flags;
	bool reset = false;

	if (off > at || off + len <= at || ((const u8 *)buf)[at - off] != 1)
		return;
	spin_lock_irqsave(&heci_config_lock, flags);
	if (!dev->config.host_reset) {
		dev->config.host_reset = 1;
		dev->config.hw_ready = 0;
		reset = true;
	}
	spin_unlock_irqrestore(&heci_config_lock, flags);
	if (reset)
		schedule_work(&dev->reset_work);
}

static int heci_start(struct lhv_vdev *vdev)
{
	struct heci_dev *dev = to_heci_dev(vdev);

	mutex_lock(&dev->lock);
	heci_bus_reset(dev);
	dev->rx_first = 0;
	dev->rx_count = 0;
	dev->running = true;
	mutex_unlock(&dev->lock);
	return 0;
}

static void heci_stop(struct lhv_vdev *vdev)
{
	struct heci_dev *dev = to_heci_dev(vdev);
	unsigned long flags;

	mutex_lock(&dev->lock);
	dev->running = false;
	heci_bus_reset(dev);
	/* The core forgets the queues: posted buffers need no answer. */
	dev->rx_count = 0;
	mutex_unlock(&dev->lock);
	cancel_work_sync(&dev->reset_work);
	if (dev->me->quiesce)
		dev->me->quiesce(dev);
	spin_lock_irqsave(&heci_config_lock, flags);
	dev->config.host_reset = 0;
	dev->config.hw_ready = 1;
	spin_unlock_irqrestore(&heci_config_lock, flags);
}

/* An rx chain: keep its buffers until an ME message fills them. */
static void heci_rx_post(struct heci_dev *dev, struct lhv_vq *vq,
			 const struct virtq_chain *c)
{
	struct heci_rxbuf *rb;
	unsigned int i;

	if (c->nr_readable || c->writable_len < HECI_RX_MIN) {
		lhv_vq_complete(vq, c->head, 0, 0, true);
		mutex_lock(&dev->lock);
		dev->stats.dropped++;
		mutex_unlock(&dev->lock);
		return;
	}
	mutex_lock(&dev->lock);
	if (!dev->running || dev->rx_count == HECI_QUEUE_SIZE) {
		mutex_unlock(&dev->lock);
		lhv_vq_complete(vq, c->head, 0, 0, true);
		return;
	}
	rb = &dev->rx[(dev->rx_first + dev->rx_count) % HECI_QUEUE_SIZE];
	rb->head = c->head;
	rb->nr = 0;
	rb->total = 0;
	for (i = 0; i < c->nr_segs && rb->nr < HECI_RX_SEGS; i++) {
		rb->seg[rb->nr].addr = c->segs[i].addr;
		rb->seg[rb->nr].len = c->segs[i].len;
		rb->total += c->segs[i].len;
		rb->nr++;
	}
	if (rb->total < HECI_RX_MIN) {
		/* The first segments were too small: not worth keeping. */
		dev->stats.dropped++;
		mutex_unlock(&dev->lock);
		lhv_vq_complete(vq, c->head, 0, 0, true);
		return;
	}
	dev->rx_count++;
	heci_bus_flush(dev);
	mutex_unlock(&dev->lock);
}

/* A tx chain: one packet, copied before it is looked at. */
static void heci_tx(struct heci_dev *dev, struct lhv_vq *vq,
		    const struct virtq_chain *c)
{
	u32 len = c->readable_len, off = 0;
	unsigned int i;
	int err;

	if (c->nr_writable || len < HBM_HDR_LEN || len > sizeof(dev->pkt)) {
		mutex_lock(&dev->lock);
		dev->stats.dropped++;
		mutex_unlock(&dev->lock);
		lhv_vq_complete(vq, c->head, 0, 0, true);
		return;
	}
	/* Only this queue's worker uses dev->pkt. */
	for (i = 0; i < c->nr_segs; i++) {
		memcpy(dev->pkt + off, c->segs[i].addr, c->segs[i].len);
		off += c->segs[i].len;
	}
	err = heci_bus_from_host(dev, dev->pkt, len);
	lhv_vq_complete(vq, c->head, 0, err ? 0 : len, err != 0);
}

static void heci_handle_request(struct lhv_vq *vq, const struct virtq_chain *c)
{
	struct heci_dev *dev = to_heci_dev(vq->vdev);

	if (vq->index == LHV_HECI_VQ_RX)
		heci_rx_post(dev, vq, c);
	else
		heci_tx(dev, vq, c);
}

const struct lhv_vdev_ops heci_vdev_ops = {
	.get_config = heci_get_config,
	.set_config = heci_set_config,
	.start = heci_start,
	.stop = heci_stop,
	.handle_request = heci_handle_request,
};
