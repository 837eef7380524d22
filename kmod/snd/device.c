// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The virtio-snd device as the driver sees it: configuration space
 * (5.14.4), the four queues (control, event, tx, rx) and start/stop. The
 * event queue keeps the driver's buffers until an event (an xrun) needs
 * one.
 */
#include <linux/slab.h>

#include "snd.h"

#define EVT_LEN ((u32)sizeof(struct vsnd_event))

void lhv_snd_init_config(struct lhv_snd_dev *dev)
{
	BUILD_BUG_ON(sizeof(struct lhv_snd_config) != 12);
	BUILD_BUG_ON(sizeof(struct vsnd_pcm_info) != 32);
	BUILD_BUG_ON(sizeof(struct vsnd_jack_info) != 24);
	BUILD_BUG_ON(sizeof(struct vsnd_chmap_info) != 24);
	BUILD_BUG_ON(sizeof(struct vsnd_pcm_set_params) != 24);

	dev->config.jacks = cpu_to_le32(dev->desc.jacks);
	dev->config.streams = cpu_to_le32(dev->desc.streams);
	dev->config.chmaps = cpu_to_le32(dev->desc.chmaps);
}

static void lhv_snd_get_config(struct lhv_vdev *vdev, unsigned int off,
			       void *buf, unsigned int len)
{
	struct lhv_snd_dev *dev = to_snd_dev(vdev);

	/* Read-only and fixed while the device exists. */
	memcpy(buf, (u8 *)&dev->config + off, len);
}

static void evt_free_all(struct lhv_snd_dev *dev)
{
	struct lhv_snd_msg *m, *tmp;
	unsigned long flags;
	LIST_HEAD(gone);

	spin_lock_irqsave(&dev->evt_lock, flags);
	dev->live = false;
	list_splice_init(&dev->evt_bufs, &gone);
	spin_unlock_irqrestore(&dev->evt_lock, flags);
	list_for_each_entry_safe (m, tmp, &gone, node)
		kfree(m);
}

static int lhv_snd_start(struct lhv_vdev *vdev)
{
	struct lhv_snd_dev *dev = to_snd_dev(vdev);
	unsigned long flags;

	spin_lock_irqsave(&dev->evt_lock, flags);
	dev->live = true;
	spin_unlock_irqrestore(&dev->evt_lock, flags);
	return 0;
}

/* Reset or removal: clocks stopped, messages forgotten, states initial. */
static void lhv_snd_stop(struct lhv_vdev *vdev)
{
	struct lhv_snd_dev *dev = to_snd_dev(vdev);
	unsigned int i;

	for (i = 0; i < dev->desc.streams; i++)
		lhv_snd_stream_reset(&dev->streams[i]);
	evt_free_all(dev);
}

void lhv_snd_event(struct lhv_snd_dev *dev, u32 code, u32 data)
{
	struct vsnd_event ev = {
		.hdr.code = cpu_to_le32(code),
		.data = cpu_to_le32(data),
	};
	struct lhv_snd_msg *m = NULL;
	unsigned long flags;

	spin_lock_irqsave(&dev->evt_lock, flags);
	if (dev->live && !list_empty(&dev->evt_bufs)) {
		m = list_first_entry(&dev->evt_bufs, struct lhv_snd_msg, node);
		list_del(&m->node);
	}
	spin_unlock_irqrestore(&dev->evt_lock, flags);
	if (!m)
		return; /* no buffer: the event is lost, as 5.14.6.1 allows */
	seg_write(m->segs, m->nr_segs, 0, &ev, EVT_LEN);
	lhv_vq_complete(&dev->vdev.vqs[VSND_VQ_EVENT], m->head, EVT_LEN, 0,
			false);
	kfree(m);
}

static void lhv_snd_evt_request(struct lhv_vq *vq, const struct virtq_chain *c)
{
	struct lhv_snd_dev *dev = to_snd_dev(vq->vdev);
	struct lhv_snd_msg *m;
	unsigned long flags;

	if (c->writable_len < EVT_LEN) {
		lhv_vq_complete(vq, c->head, 0, 0, true);
		return;
	}
	m = kmalloc(struct_size(m, segs, c->nr_writable), GFP_KERNEL);
	if (!m) {
		lhv_vq_complete(vq, c->head, 0, 0, true);
		return;
	}
	m->head = c->head;
	m->nr_segs = c->nr_writable;
	memcpy(m->segs, c->segs + c->nr_readable,
	       c->nr_writable * sizeof(*m->segs));
	spin_lock_irqsave(&dev->evt_lock, flags);
	list_add_tail(&m->node, &dev->evt_bufs);
	spin_unlock_irqrestore(&dev->evt_lock, flags);
}

static void lhv_snd_handle_request(struct lhv_vq *vq,
				   const struct virtq_chain *c)
{
	switch (vq->index) {
	case VSND_VQ_CONTROL:
		lhv_snd_ctl_request(vq, c);
		break;
	case VSND_VQ_EVENT:
		lhv_snd_evt_request(vq, c);
		break;
	default:
		lhv_snd_xfer_request(vq, c);
		break;
	}
}

const struct lhv_vdev_ops lhv_snd_vdev_ops = {
	.get_config = lhv_snd_get_config,
	.start = lhv_snd_start,
	.stop = lhv_snd_stop,
	.handle_request = lhv_snd_handle_request,
};
