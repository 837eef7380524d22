// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * lhv_heci_fe.ko: the guest driver of the lhv virtio HECI device. Mainline
 * Linux has no virtio MEI frontend; this one binds the device, speaks the
 * MEI host bus and offers /dev/meiN with the ioctls and read/write
 * semantics of <linux/mei.h>, so MEI userspace runs unmodified.
 *
 * This file is the virtio driver: rx buffers and packets, the tx ring,
 * the host_reset / hw_ready handshake, probe and remove.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/virtio_config.h>
#include <lhv/version.h>

#include "fe.h"
#include "heci_vqs.h"

unsigned int fe_tx_queue_limit = 50;
module_param_named(tx_queue_limit, fe_tx_queue_limit, uint, 0644);
MODULE_PARM_DESC(tx_queue_limit,
		 "Messages one open file may have queued for sending before "
		 "write blocks or fails with EAGAIN (default 50, as mei)");

static void fe_release(struct kref *ref)
{
	struct fe_dev *fe = container_of(ref, struct fe_dev, ref);

	kfree(fe);
}

void fe_put(struct fe_dev *fe)
{
	kref_put(&fe->ref, fe_release);
}

static void fe_tx_done(struct virtqueue *vq)
{
	struct fe_dev *fe = vq->vdev->priv;
	unsigned long flags;
	unsigned int len;
	void *buf;

	spin_lock_irqsave(&fe->lock, flags);
	while ((buf = virtqueue_get_buf(vq, &len)))
		kfree(buf);
	spin_unlock_irqrestore(&fe->lock, flags);
	wake_up_all(&fe->txq_wait);
}

/* Give an rx buffer (back) to the device; lock held. */
static int fe_post_rx(struct fe_dev *fe, void *buf)
{
	struct scatterlist sg;

	sg_init_one(&sg, buf, fe->buf_size);
	return virtqueue_add_inbuf(fe->rxq, &sg, 1, buf, GFP_ATOMIC);
}

static void fe_rx_done(struct virtqueue *vq)
{
	struct fe_dev *fe = vq->vdev->priv;
	unsigned long flags;
	struct hbm_hdr h;
	unsigned int len;
	bool kick = false;
	u8 *buf;

	spin_lock_irqsave(&fe->lock, flags);
	while ((buf = virtqueue_get_buf(vq, &len))) {
		/* A packet the device got wrong is dropped. */
		if (len <= fe->buf_size && !hbm_hdr_check(buf, len, &h))
			fe_bus_rx(fe, &h, buf + HBM_HDR_LEN);
		else
			dev_warn_ratelimited(&fe->vdev->dev,
					     "malformed packet dropped\n");
		if (!fe->dead && !fe_post_rx(fe, buf))
			kick = true;
		else
			kfree(buf);
	}
	if (kick)
		kick = virtqueue_kick_prepare(vq);
	spin_unlock_irqrestore(&fe->lock, flags);
	if (kick)
		virtqueue_notify(vq);
}

int fe_send_pkt(struct fe_dev *fe, u8 me_addr, u8 host_addr, const void *data,
		u32 len, bool complete)
{
	struct hbm_hdr h = {
		.me_addr = me_addr,
		.host_addr = host_addr,
		.length = len,
		.msg_complete = complete,
	};
	struct scatterlist sg;
	unsigned long flags;
	lhv_le32 word;
	bool kick;
	u8 *buf;
	int err;

	buf = kmalloc(HBM_HDR_LEN + len, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	word = hbm_hdr_encode(&h);
	memcpy(buf, &word, sizeof(word));
	memcpy(buf + HBM_HDR_LEN, data, len);
	sg_init_one(&sg, buf, HBM_HDR_LEN + len);
	for (;;) {
		spin_lock_irqsave(&fe->lock, flags);
		err = fe->dead ? -ENODEV
			       : virtqueue_add_outbuf(fe->txq, &sg, 1, buf,
						      GFP_ATOMIC);
		kick = !err && virtqueue_kick_prepare(fe->txq);
		spin_unlock_irqrestore(&fe->lock, flags);
		if (err != -ENOSPC)
			break;
		if (!wait_event_timeout(fe->txq_wait,
					READ_ONCE(fe->dead) ||
						fe->txq->num_free > 0,
					FE_TIMEOUT)) {
			err = -ETIMEDOUT;
			break;
		}
	}
	if (err) {
		kfree(buf);
		return err;
	}
	if (kick)
		virtqueue_notify(fe->txq);
	return 0;
}

int fe_send_bus(struct fe_dev *fe, const void *msg, u32 len)
{
	int err;

	mutex_lock(&fe->tx_mutex);
	err = fe_send_pkt(fe, 0, 0, msg, len, true);
	mutex_unlock(&fe->tx_mutex);
	return err;
}

static u8 fe_config_u8(struct fe_dev *fe, size_t off)
{
	return virtio_cread8(fe->vdev, off);
}

/*
 * Reset the link (host_reset, then wait for hw_ready) and start the bus
 * again. Every connection is gone: its file reads -ENODEV until it
 * connects again, as after a reset of mei. ctl held.
 */
int fe_link_reset(struct fe_dev *fe)
{
	const size_t reset_off =
		offsetof(struct lhv_virtio_heci_config, host_reset);
	const size_t ready_off =
		offsetof(struct lhv_virtio_heci_config, hw_ready);
	unsigned long flags;
	unsigned int i;

	spin_lock_irqsave(&fe->lock, flags);
	fe->ready = false;
	fe_bus_down(fe);
	spin_unlock_irqrestore(&fe->lock, flags);
	if (fe->dead)
		return -ENODEV;
	virtio_cwrite8(fe->vdev, reset_off, 1);
	for (i = 0; i < 200; i++) {
		if (!fe_config_u8(fe, reset_off) && fe_config_u8(fe, ready_off))
			return fe_bus_start(fe);
		msleep(10);
	}
	dev_err(&fe->vdev->dev, "the device did not finish the link reset\n");
	return -ETIMEDOUT;
}

static void fe_reset_work(struct work_struct *work)
{
	struct fe_dev *fe = container_of(work, struct fe_dev, reset_work);

	mutex_lock(&fe->ctl);
	if (!fe->dead && fe_link_reset(fe))
		dev_err(&fe->vdev->dev, "the HECI link did not come back\n");
	mutex_unlock(&fe->ctl);
}

static void fe_free_rx(struct fe_dev *fe)
{
	void *buf;

	while ((buf = virtqueue_detach_unused_buf(fe->rxq)))
		kfree(buf);
	while ((buf = virtqueue_detach_unused_buf(fe->txq)))
		kfree(buf);
}

static int fe_probe(struct virtio_device *vdev)
{
	struct fe_dev *fe;
	unsigned long flags;
	unsigned int i;
	u32 depth;
	int err;

	if (!vdev->config->get) {
		dev_err(&vdev->dev, "no configuration space\n");
		return -EINVAL;
	}
	virtio_cread_le(vdev, struct lhv_virtio_heci_config, buf_depth, &depth);
	if (depth < 16 || depth > 128) {
		dev_err(&vdev->dev, "buf_depth %u out of range\n", depth);
		return -EINVAL;
	}
	fe = kzalloc(sizeof(*fe), GFP_KERNEL);
	if (!fe)
		return -ENOMEM;
	kref_init(&fe->ref);
	fe->vdev = vdev;
	fe->buf_size = depth * 4;
	spin_lock_init(&fe->lock);
	mutex_init(&fe->ctl);
	mutex_init(&fe->tx_mutex);
	init_waitqueue_head(&fe->bus_wait);
	init_waitqueue_head(&fe->txq_wait);
	INIT_LIST_HEAD(&fe->cls);
	INIT_WORK(&fe->tx_work, fe_tx_work);
	INIT_WORK(&fe->reset_work, fe_reset_work);
	set_bit(0, fe->host_addrs); /* the bus's own address */
	vdev->priv = fe;

	err = lhv_heci_find_vqs(vdev, fe_rx_done, fe_tx_done, &fe->rxq,
				&fe->txq);
	if (err)
		goto err_free;
	for (i = 0; i < FE_RX_BUFS; i++) {
		fe->rxbufs[i] = kmalloc(fe->buf_size, GFP_KERNEL);
		if (!fe->rxbufs[i]) {
			err = -ENOMEM;
			goto err_vqs;
		}
		spin_lock_irqsave(&fe->lock, flags);
		err = fe_post_rx(fe, fe->rxbufs[i]);
		spin_unlock_irqrestore(&fe->lock, flags);
		if (err) {
			kfree(fe->rxbufs[i]);
			goto err_vqs;
		}
	}
	virtio_device_ready(vdev);
	virtqueue_kick(fe->rxq);

	mutex_lock(&fe->ctl);
	err = fe_bus_start(fe);
	mutex_unlock(&fe->ctl);
	if (err) {
		dev_err(&vdev->dev, "the HECI bus did not start (%d)\n", err);
		goto err_reset;
	}
	err = fe_cdev_add(fe);
	if (err)
		goto err_reset;
	dev_info(&vdev->dev, "HBM %u.%u, %u ME clients, /dev/mei%d\n",
		 fe->version.major, fe->version.minor, fe->nr_clients,
		 fe->index);
	return 0;

err_reset:
	virtio_reset_device(vdev);
err_vqs:
	fe_free_rx(fe);
	vdev->config->del_vqs(vdev);
err_free:
	vdev->priv = NULL;
	fe_put(fe);
	return err;
}

static void fe_remove(struct virtio_device *vdev)
{
	struct fe_dev *fe = vdev->priv;
	unsigned long flags;

	fe_cdev_del(fe);
	mutex_lock(&fe->ctl);
	spin_lock_irqsave(&fe->lock, flags);
	fe->dead = true;
	fe->ready = false;
	fe_bus_down(fe);
	spin_unlock_irqrestore(&fe->lock, flags);
	mutex_unlock(&fe->ctl);
	wake_up_all(&fe->bus_wait);
	wake_up_all(&fe->txq_wait);
	cancel_work_sync(&fe->reset_work);
	cancel_work_sync(&fe->tx_work);
	/* Senders may still be on the ring: wait for them. */
	mutex_lock(&fe->tx_mutex);
	virtio_reset_device(vdev);
	fe_free_rx(fe);
	vdev->config->del_vqs(vdev);
	mutex_unlock(&fe->tx_mutex);
	vdev->priv = NULL;
	fe_put(fe);
}

static void fe_config_changed(struct virtio_device *vdev)
{
	/* hw_ready and host_reset are polled by fe_link_reset. */
}

static const struct virtio_device_id fe_ids[] = {
	{ LHV_VIRTIO_ID_HECI, VIRTIO_DEV_ANY_ID },
	{ 0 },
};
MODULE_DEVICE_TABLE(virtio, fe_ids);

static struct virtio_driver fe_driver = {
	.driver.name = KBUILD_MODNAME,
	.driver.owner = THIS_MODULE,
	.id_table = fe_ids,
	.probe = fe_probe,
	.remove = fe_remove,
	.config_changed = fe_config_changed,
};

static int __init fe_init(void)
{
	int err = fe_cdev_init();

	if (err)
		return err;
	err = register_virtio_driver(&fe_driver);
	if (err)
		fe_cdev_exit();
	return err;
}

static void __exit fe_exit(void)
{
	unregister_virtio_driver(&fe_driver);
	fe_cdev_exit();
}

module_init(fe_init);
module_exit(fe_exit);

MODULE_DESCRIPTION("lhv device hypervisor: virtio HECI guest driver "
		   "(/dev/mei compatible)");
MODULE_AUTHOR("The lhv authors");
MODULE_LICENSE("Dual BSD/GPL");
MODULE_VERSION(LHV_VERSION_STRING);
