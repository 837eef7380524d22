// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * lhv_test_heci_raw.ko: a test-only, hostile driver of the lhv virtio HECI
 * device. It sends what a MEI host driver never does (cut headers, wrong
 * lengths, reserved bits, commands out of order or unknown, answers
 * instead of requests, connections to nothing, client messages without a
 * credit or past the client's maximum, too many flow-control credits, a
 * request after a stop) and records what the device answered. Never
 * shipped.
 *
 * It binds only the virtio device named by its writable parameter
 * "target" (e.g. virtio0): the scenario unbinds lhv_heci_fe, sets target
 * and binds this driver through sysfs.
 *
 * /sys/kernel/debug/lhv_test_heci_raw/<virtioN>/:
 *   run      write a case name (vh_cases[]): its packets are sent one by
 *            one, then what the device sends back within VH_QUIET is
 *            recorded
 *   results  one line per case: "<name> <packet>..." where a bus packet
 *            is "B" and its first (up to 5) payload bytes in hex, a
 *            client packet "C<me>.<host>:<length>", and "-" is nothing
 * Cases run in the order the scenario gives; they build on each other
 * (start, enumerate, connect) as a driver would.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/virtio.h>
#include <linux/virtio_config.h>
#include <lhv/virtio_heci.h>

#include "heci_vqs.h"

#define VH_RX_BUFS 16
#define VH_BUF 512
#define VH_QUIET msecs_to_jiffies(300)
#define VH_RESULTS_MAX 8192
#define VH_REPLY_MAX 256 /* bytes of recorded answers per case */

static char vh_target[32];
module_param_string(target, vh_target, sizeof(vh_target), 0644);
MODULE_PARM_DESC(target, "The only virtio device to bind (e.g. virtio0)");

static struct dentry *vh_root;

/* Header word bits (MEI's layout). */
#define VH_COMPLETE (1u << 31)
#define VH_RESERVED (1u << 25)

/* How a packet is framed wrongly on purpose. */
enum {
	VH_OK = 0,
	VH_INCOMPLETE = 1, /* msg_complete clear */
	VH_RSV = 2,	   /* a reserved header bit set */
	VH_LIE = 4,	   /* the header's length is 4 more than sent */
	VH_SHORT = 8,	   /* only 2 bytes: no whole header */
};

struct vh_pkt {
	u8 me, host;
	u8 how;
	u16 len; /* payload bytes; beyond data[] they are 0x5a */
	u8 data[8];
};

enum vh_special {
	VH_NONE,
	VH_RX_SMALL,	/* post a 16-byte rx buffer */
	VH_TX_WRITABLE, /* a tx chain with a device-writable part */
	VH_LINK_RESET,	/* host_reset, wait for hw_ready */
	VH_FC_FLOOD,	/* 70 FLOW_CONTROLs for echo on host 5 */
};

struct vh_case {
	const char *name;
	enum vh_special special;
	unsigned int n;
	struct vh_pkt p[6];
};

#define BUS(...)                                                               \
	{                                                                      \
		0, 0, VH_OK, sizeof((u8[]){ __VA_ARGS__ }),                    \
		{                                                              \
			__VA_ARGS__                                            \
		}                                                              \
	}
#define CLIENT(me, host, len, how)                                             \
	{                                                                      \
		me, host, how, len,                                            \
		{                                                              \
			0                                                      \
		}                                                              \
	}

static const struct vh_case vh_cases[] = {
	{ "short_hdr", VH_NONE, 1, { { 0, 0, VH_SHORT, 0, { 0 } } } },
	{ "len_lie", VH_NONE, 1, { { 0, 0, VH_LIE, 4, { 0x01, 0, 0, 2 } } } },
	{ "reserved_bit",
	  VH_NONE,
	  1,
	  { { 0, 0, VH_RSV, 4, { 0x01, 0, 0, 2 } } } },
	{ "bus_incomplete",
	  VH_NONE,
	  1,
	  { { 0, 0, VH_INCOMPLETE, 4, { 0x01, 0, 0, 2 } } } },
	{ "connect_idle", VH_NONE, 1, { BUS(0x06, 1, 5, 0) } },
	{ "empty_bus", VH_NONE, 1, { { 0, 0, VH_OK, 0, { 0 } } } },
	{ "start_long", VH_NONE, 1, { BUS(0x01, 0, 0, 2, 0) } },
	{ "start", VH_NONE, 1, { BUS(0x01, 0, 0, 2) } },
	{ "start_again", VH_NONE, 1, { BUS(0x01, 0, 0, 2) } },
	{ "props_early", VH_NONE, 1, { BUS(0x05, 1, 0, 0) } },
	{ "enum", VH_NONE, 1, { BUS(0x04, 0, 0, 0) } },
	{ "props_missing", VH_NONE, 1, { BUS(0x05, 9, 0, 0) } },
	{ "props_echo", VH_NONE, 1, { BUS(0x05, 1, 0, 0) } },
	{ "unknown_cmd", VH_NONE, 1, { BUS(0x55, 0, 0, 0) } },
	{ "answer_cmd", VH_NONE, 1, { BUS(0x81, 1, 0, 2) } },
	{ "me_stop", VH_NONE, 1, { BUS(0x03, 0, 0, 0) } },
	{ "connect_host0", VH_NONE, 1, { BUS(0x06, 1, 0, 0) } },
	{ "connect_missing", VH_NONE, 1, { BUS(0x06, 9, 5, 0) } },
	{ "connect_refuse", VH_NONE, 1, { BUS(0x06, 3, 5, 0) } },
	{ "connect_echo", VH_NONE, 1, { BUS(0x06, 1, 5, 0) } },
	{ "connect_dup", VH_NONE, 1, { BUS(0x06, 2, 5, 0) } },
	{ "client_nobody", VH_NONE, 1, { CLIENT(2, 7, 4, VH_OK) } },
	{ "client_wrong_me", VH_NONE, 1, { CLIENT(2, 5, 4, VH_OK) } },
	/* 4 x 508 + 100 bytes: past echo's 2048, refused, credit back. */
	{ "client_too_long",
	  VH_NONE,
	  5,
	  { CLIENT(1, 5, 508, VH_INCOMPLETE), CLIENT(1, 5, 508, VH_INCOMPLETE),
	    CLIENT(1, 5, 508, VH_INCOMPLETE), CLIENT(1, 5, 508, VH_INCOMPLETE),
	    CLIENT(1, 5, 100, VH_OK) } },
	{ "client_empty", VH_NONE, 1, { CLIENT(1, 5, 0, VH_OK) } },
	/* A message in two packets; the echo waits for our credit. */
	{ "client_echo",
	  VH_NONE,
	  3,
	  { CLIENT(1, 5, 508, VH_INCOMPLETE), CLIENT(1, 5, 192, VH_OK),
	    BUS(0x08, 1, 5, 0, 0, 0, 0, 0) } },
	/* The slow client: a second message before its credit came back. */
	{ "connect_slow", VH_NONE, 1, { BUS(0x06, 4, 6, 0) } },
	{ "slow_nocredit",
	  VH_NONE,
	  3,
	  { CLIENT(4, 6, 10, VH_OK), CLIENT(4, 6, 11, VH_OK),
	    BUS(0x08, 4, 6, 0, 0, 0, 0, 0) } },
	{ "fc_nobody", VH_NONE, 1, { BUS(0x08, 1, 9, 0, 0, 0, 0, 0) } },
	{ "fc_short", VH_NONE, 1, { BUS(0x08, 1, 5, 0) } },
	{ "fc_flood", VH_FC_FLOOD, 0, { { 0 } } },
	{ "notify_bad", VH_NONE, 1, { BUS(0x10, 1, 5, 2) } },
	{ "notify_fwver",
	  VH_NONE,
	  2,
	  { BUS(0x06, 2, 7, 0), BUS(0x10, 2, 7, 1) } },
	{ "notify_echo", VH_NONE, 1, { BUS(0x10, 1, 5, 1) } },
	/* An answer, then the notification, then the ME's next credit. */
	{ "client_notify", VH_NONE, 1, { CLIENT(1, 5, 4, VH_OK) } },
	{ "disconnect_missing", VH_NONE, 1, { BUS(0x07, 1, 9, 0) } },
	{ "disconnect_echo", VH_NONE, 1, { BUS(0x07, 1, 5, 0) } },
	{ "client_after_disconnect", VH_NONE, 1, { CLIENT(1, 5, 4, VH_OK) } },
	{ "rx_small", VH_RX_SMALL, 0, { { 0 } } },
	{ "tx_writable", VH_TX_WRITABLE, 0, { { 0 } } },
	{ "stop", VH_NONE, 1, { BUS(0x02, 0, 0, 0) } },
	{ "enum_after_stop", VH_NONE, 1, { BUS(0x04, 0, 0, 0) } },
	{ "link_reset", VH_LINK_RESET, 1, { BUS(0x01, 0, 0, 2) } },
};

struct vh {
	struct virtio_device *vdev;
	struct virtqueue *rxq, *txq;
	spinlock_t lock;
	struct mutex run_lock;
	struct completion tx_done;
	u32 tx_used;
	char reply[VH_REPLY_MAX]; /* what came in, for the running case */
	size_t reply_len;
	u8 *rxbuf[VH_RX_BUFS];
	u8 *small;
	char *results;
	size_t results_len;
	bool wedged;
	struct dentry *dir;
};

static void vh_tx_cb(struct virtqueue *vq)
{
	struct vh *h = vq->vdev->priv;
	unsigned long flags;
	unsigned int len;

	spin_lock_irqsave(&h->lock, flags);
	while (virtqueue_get_buf(vq, &len)) {
		h->tx_used = len;
		complete(&h->tx_done);
	}
	spin_unlock_irqrestore(&h->lock, flags);
}

/* Record one packet the device sent; lock held. */
static void vh_note(struct vh *h, const u8 *buf, unsigned int len)
{
	char *p = h->reply + h->reply_len;
	size_t room = sizeof(h->reply) - h->reply_len;
	unsigned int i, plen;
	u32 w;
	int n;

	if (len < 4) {
		n = scnprintf(p, room, " ?%u", len);
	} else {
		w = buf[0] | buf[1] << 8 | buf[2] << 16 | (u32)buf[3] << 24;
		plen = len - 4;
		if (!(w & 0xffff)) {
			n = scnprintf(p, room, " B");
			for (i = 0; i < plen && i < 5; i++)
				n += scnprintf(p + n, room - n, "%02x",
					       buf[4 + i]);
		} else {
			n = scnprintf(p, room, " C%u.%u:%u", w & 0xff,
				      (w >> 8) & 0xff, plen);
		}
	}
	h->reply_len += n;
}

static void vh_rx_cb(struct virtqueue *vq)
{
	struct vh *h = vq->vdev->priv;
	struct scatterlist sg;
	unsigned long flags;
	unsigned int len;
	u8 *buf;

	spin_lock_irqsave(&h->lock, flags);
	while ((buf = virtqueue_get_buf(vq, &len))) {
		if (buf == h->small) {
			h->tx_used = len;
			complete(&h->tx_done);
			continue;
		}
		vh_note(h, buf, len);
		sg_init_one(&sg, buf, VH_BUF);
		virtqueue_add_inbuf(vq, &sg, 1, buf, GFP_ATOMIC);
	}
	virtqueue_kick(vq);
	spin_unlock_irqrestore(&h->lock, flags);
}

/* Queue sgs on vq and wait for the device to give them back. */
static int vh_send_sgs(struct vh *h, struct virtqueue *vq,
		       struct scatterlist **sgs, unsigned int nout,
		       unsigned int nin, void *token)
{
	unsigned long flags;
	int err;

	reinit_completion(&h->tx_done);
	spin_lock_irqsave(&h->lock, flags);
	err = virtqueue_add_sgs(vq, sgs, nout, nin, token, GFP_ATOMIC);
	if (!err)
		virtqueue_kick(vq);
	spin_unlock_irqrestore(&h->lock, flags);
	if (err)
		return err;
	if (!wait_for_completion_timeout(&h->tx_done, 5 * HZ)) {
		h->wedged = true;
		return -ETIMEDOUT;
	}
	return 0;
}

static int vh_send_pkt(struct vh *h, const struct vh_pkt *p)
{
	struct scatterlist sg, *sgs[1] = { &sg };
	u32 w, sent = p->len;
	u8 *buf;
	int err;

	buf = kmalloc(4 + VH_BUF, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	memset(buf + 4, 0x5a, VH_BUF);
	memcpy(buf + 4, p->data, min_t(u16, p->len, sizeof(p->data)));
	w = p->me | p->host << 8 |
	    (u32)(p->len + (p->how & VH_LIE ? 4 : 0)) << 16;
	if (!(p->how & VH_INCOMPLETE))
		w |= VH_COMPLETE;
	if (p->how & VH_RSV)
		w |= VH_RESERVED;
	buf[0] = w & 0xff;
	buf[1] = (w >> 8) & 0xff;
	buf[2] = (w >> 16) & 0xff;
	buf[3] = w >> 24;
	sg_init_one(&sg, buf, p->how & VH_SHORT ? 2 : 4 + sent);
	err = vh_send_sgs(h, h->txq, sgs, 1, 0, buf);
	if (!h->wedged)
		kfree(buf);
	return err;
}

static int vh_special(struct vh *h, enum vh_special s)
{
	struct scatterlist a, b, *sgs[2] = { &a, &b };
	const size_t reset =
		offsetof(struct lhv_virtio_heci_config, host_reset);
	const size_t ready = offsetof(struct lhv_virtio_heci_config, hw_ready);
	static const u8 enum_req[8] = { 0, 0, 4, 0x80, 0x04, 0, 0, 0 };
	static const struct vh_pkt fc_echo = BUS(0x08, 1, 5, 0, 0, 0, 0, 0);
	unsigned int i;
	u8 *in;
	int err;

	switch (s) {
	case VH_RX_SMALL:
		sg_init_one(&a, h->small, 16);
		return vh_send_sgs(h, h->rxq, sgs, 0, 1, h->small);
	case VH_TX_WRITABLE:
		/* An ENUM request, then a buffer for the device to write. */
		in = kzalloc(32, GFP_KERNEL);
		if (!in)
			return -ENOMEM;
		memcpy(in, enum_req, sizeof(enum_req));
		sg_init_one(&a, in, sizeof(enum_req));
		sg_init_one(&b, in + 16, 16);
		err = vh_send_sgs(h, h->txq, sgs, 1, 1, in);
		if (!h->wedged)
			kfree(in);
		return err;
	case VH_FC_FLOOD:
		for (i = 0; i < 70; i++) {
			err = vh_send_pkt(h, &fc_echo);
			if (err)
				return err;
		}
		return 0;
	case VH_LINK_RESET:
		virtio_cwrite8(h->vdev, reset, 1);
		for (i = 0; i < 200; i++) {
			if (!virtio_cread8(h->vdev, reset) &&
			    virtio_cread8(h->vdev, ready))
				return 0;
			msleep(10);
		}
		return -ETIMEDOUT;
	default:
		return 0;
	}
}

static __printf(2, 3) void vh_result(struct vh *h, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	h->results_len += vscnprintf(h->results + h->results_len,
				     VH_RESULTS_MAX - h->results_len, fmt, ap);
	va_end(ap);
}

static int vh_run(struct vh *h, const struct vh_case *c)
{
	unsigned long flags;
	unsigned int i;
	int err = 0;

	spin_lock_irqsave(&h->lock, flags);
	h->reply_len = 0;
	h->reply[0] = '\0';
	spin_unlock_irqrestore(&h->lock, flags);

	if (c->special)
		err = vh_special(h, c->special);
	for (i = 0; !err && i < c->n; i++)
		err = vh_send_pkt(h, &c->p[i]);
	if (err) {
		vh_result(h, "%s error%d\n", c->name, err);
		return 0;
	}
	msleep(jiffies_to_msecs(VH_QUIET));
	spin_lock_irqsave(&h->lock, flags);
	vh_result(h, "%s%s", c->name, h->reply_len ? h->reply : " -");
	if (c->special == VH_RX_SMALL || c->special == VH_TX_WRITABLE)
		vh_result(h, " used%u", h->tx_used);
	vh_result(h, "\n");
	spin_unlock_irqrestore(&h->lock, flags);
	return 0;
}

static ssize_t vh_run_write(struct file *file, const char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	struct vh *h = file->private_data;
	size_t i, n = min(count, (size_t)31);
	char name[32];
	int err = -EINVAL;

	if (copy_from_user(name, ubuf, n))
		return -EFAULT;
	name[n] = '\0';
	strim(name);
	mutex_lock(&h->run_lock);
	for (i = 0; i < ARRAY_SIZE(vh_cases); i++) {
		if (strcmp(name, vh_cases[i].name))
			continue;
		if (h->wedged)
			err = -EIO;
		else if (h->results_len > VH_RESULTS_MAX - 512)
			err = -ENOSPC;
		else
			err = vh_run(h, &vh_cases[i]);
		break;
	}
	mutex_unlock(&h->run_lock);
	return err ? err : count;
}

static ssize_t vh_results_read(struct file *file, char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	struct vh *h = file->private_data;
	ssize_t ret;

	mutex_lock(&h->run_lock);
	ret = simple_read_from_buffer(ubuf, count, ppos, h->results,
				      h->results_len);
	mutex_unlock(&h->run_lock);
	return ret;
}

static const struct file_operations vh_run_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = vh_run_write,
	.llseek = noop_llseek,
};

static const struct file_operations vh_results_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = vh_results_read,
	.llseek = default_llseek,
};

static void vh_free(struct vh *h)
{
	unsigned int i;

	for (i = 0; i < VH_RX_BUFS; i++)
		kfree(h->rxbuf[i]);
	kfree(h->small);
	kfree(h->results);
	kfree(h);
}

static int vh_probe(struct virtio_device *vdev)
{
	struct scatterlist sg;
	unsigned int i;
	struct vh *h;
	int err;

	if (!sysfs_streq(dev_name(&vdev->dev), vh_target))
		return -ENODEV;
	h = kzalloc(sizeof(*h), GFP_KERNEL);
	if (!h)
		return -ENOMEM;
	h->vdev = vdev;
	spin_lock_init(&h->lock);
	mutex_init(&h->run_lock);
	init_completion(&h->tx_done);
	h->results = kzalloc(VH_RESULTS_MAX, GFP_KERNEL);
	h->small = kzalloc(16, GFP_KERNEL);
	err = -ENOMEM;
	if (!h->results || !h->small)
		goto err_free;
	for (i = 0; i < VH_RX_BUFS; i++) {
		h->rxbuf[i] = kzalloc(VH_BUF, GFP_KERNEL);
		if (!h->rxbuf[i])
			goto err_free;
	}
	vdev->priv = h;
	err = lhv_heci_find_vqs(vdev, vh_rx_cb, vh_tx_cb, &h->rxq, &h->txq);
	if (err)
		goto err_free;
	for (i = 0; i < VH_RX_BUFS; i++) {
		sg_init_one(&sg, h->rxbuf[i], VH_BUF);
		err = virtqueue_add_inbuf(h->rxq, &sg, 1, h->rxbuf[i],
					  GFP_KERNEL);
		if (err)
			goto err_vqs;
	}
	virtio_device_ready(vdev);
	virtqueue_kick(h->rxq);
	h->dir = debugfs_create_dir(dev_name(&vdev->dev), vh_root);
	debugfs_create_file("run", 0200, h->dir, h, &vh_run_fops);
	debugfs_create_file("results", 0400, h->dir, h, &vh_results_fops);
	dev_info(&vdev->dev, "raw HECI driver bound\n");
	return 0;

err_vqs:
	vdev->config->del_vqs(vdev);
err_free:
	vdev->priv = NULL;
	vh_free(h);
	return err;
}

static void vh_remove(struct virtio_device *vdev)
{
	struct vh *h = vdev->priv;

	debugfs_remove_recursive(h->dir);
	virtio_reset_device(vdev);
	while (virtqueue_detach_unused_buf(h->rxq))
		;
	while (virtqueue_detach_unused_buf(h->txq))
		;
	vdev->config->del_vqs(vdev);
	vdev->priv = NULL;
	/* A timed-out buffer is the device's until the reset: now ours. */
	vh_free(h);
}

static const struct virtio_device_id vh_ids[] = {
	{ LHV_VIRTIO_ID_HECI, VIRTIO_DEV_ANY_ID },
	{ 0 },
};

static struct virtio_driver vh_driver = {
	.driver.name = KBUILD_MODNAME,
	.driver.owner = THIS_MODULE,
	.id_table = vh_ids,
	.probe = vh_probe,
	.remove = vh_remove,
};

static int __init vh_init(void)
{
	int err;

	vh_root = debugfs_create_dir(KBUILD_MODNAME, NULL);
	err = register_virtio_driver(&vh_driver);
	if (err)
		debugfs_remove_recursive(vh_root);
	return err;
}

static void __exit vh_exit(void)
{
	unregister_virtio_driver(&vh_driver);
	debugfs_remove_recursive(vh_root);
}

module_init(vh_init);
module_exit(vh_exit);

MODULE_DESCRIPTION("lhv test: a hostile raw virtio HECI driver");
MODULE_LICENSE("Dual BSD/GPL");
