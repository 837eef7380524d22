// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * lhv_test_vblk_raw.ko: a test-only, hostile virtio-blk *driver*. Linux's
 * virtio_blk never sends a request past the disk's end, a header cut
 * short, a data length that is not a multiple of 512, an unknown type or
 * a chain without a status byte; this driver sends exactly those, one at a
 * time, and records what the device answered. Never shipped.
 *
 * It binds only to the virtio device named by the writable parameter
 * "target" (e.g. virtio3) and refuses every other device, so loading it
 * never takes a disk away from virtio_blk: the scenario unbinds virtio_blk
 * from the device, sets target and binds this driver through sysfs.
 *
 * Per bound device, /sys/kernel/debug/lhv_test_vblk_raw/<virtioN>/ has:
 *   run       write a case name (see vraw_cases[]) to send that request
 *             and wait for its answer (10 s at most; after a timeout the
 *             device is left alone until unbind, which resets it)
 *   results   one line per case run: "<name> <status> <used length>
 *             [<serial>]"; status is the byte the device wrote (255: it
 *             wrote none), or "timeout"
 *   data      the data of the last IN or GET_ID that completed OK
 *   capacity  the capacity read from the config space, in sectors
 * Requests are never built on the stack: header, data and status are
 * kmalloc'ed, the virtio core maps them.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/debugfs.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/virtio.h>
#include <linux/virtio_blk.h>
#include <linux/virtio_config.h>
#include <uapi/linux/virtio_ids.h>

#include "raw_log.h"

#define VRAW_TIMEOUT (10 * HZ)
#define VRAW_DATA_MAX 2048 /* bytes of data one case may move */
#define VRAW_RESULTS_MAX 4096
#define VRAW_NO_STATUS 0xff /* preset: the device wrote no status */
#define VRAW_OUT_BYTE 0x58  /* 'X': the data every OUT carries */
#define VRAW_IN_BYTE 0xee   /* IN buffers start filled with this */
#define VRAW_BAD_TYPE 0x12345

static char vraw_target[32];
module_param_string(target, vraw_target, sizeof(vraw_target), 0644);
MODULE_PARM_DESC(target, "The only virtio device to bind (e.g. virtio3)");

static struct dentry *vraw_root;

/* How a case lays out its chain. */
enum vraw_layout {
	VRAW_STD,	/* header | data | status, each its own segment */
	VRAW_ONEBUF,	/* OUT: header+data in one; IN: data+status in one */
	VRAW_SPLIT_HDR, /* header in two 8-byte segments | data | status */
	VRAW_ODDSEGS,	/* header | data as 100, len - 200, 100 | status */
	VRAW_SHORT_HDR, /* an 8-byte header | status */
	VRAW_NO_STATUS_BYTE, /* header only: nothing writable */
};

struct vraw_case {
	const char *name;
	u32 type;
	bool from_end; /* sector is relative to the capacity */
	u64 sector;
	u32 len;      /* data bytes */
	bool in_data; /* data is device-writable (IN, GET_ID) */
	enum vraw_layout layout;
};

static const struct vraw_case vraw_cases[] = {
	/* Refusals: none of these may touch the backing. */
	{ "out_cross", VIRTIO_BLK_T_OUT, true, -1ULL, 1024, false, VRAW_STD },
	{ "out_past", VIRTIO_BLK_T_OUT, true, 0, 512, false, VRAW_STD },
	{ "out_empty_past", VIRTIO_BLK_T_OUT, true, 1, 0, false, VRAW_STD },
	{ "in_overflow", VIRTIO_BLK_T_IN, false, 0xfffffffffffffff0ULL, 512,
	  true, VRAW_STD },
	{ "in_partial", VIRTIO_BLK_T_IN, false, 0, 100, true, VRAW_STD },
	{ "unknown_type", VRAW_BAD_TYPE, false, 0, 0, false, VRAW_STD },
	{ "short_hdr", VIRTIO_BLK_T_IN, false, 0, 0, false, VRAW_SHORT_HDR },
	{ "get_id_nobuf", VIRTIO_BLK_T_GET_ID, false, 0, 0, false, VRAW_STD },
	/* DISCARD is not negotiated (not in vraw_features). */
	{ "discard_unneg", VIRTIO_BLK_T_DISCARD, false, 0, 16, false,
	  VRAW_STD },
	/* Good requests, some framed as Linux never frames them. */
	{ "in0", VIRTIO_BLK_T_IN, false, 0, 512, true, VRAW_STD },
	{ "in0_onebuf", VIRTIO_BLK_T_IN, false, 0, 512, true, VRAW_ONEBUF },
	{ "in_last", VIRTIO_BLK_T_IN, true, -1ULL, 512, true, VRAW_STD },
	{ "in_split_hdr", VIRTIO_BLK_T_IN, false, 0, 512, true,
	  VRAW_SPLIT_HDR },
	{ "in_oddsegs", VIRTIO_BLK_T_IN, false, 0, 1024, true, VRAW_ODDSEGS },
	{ "get_id", VIRTIO_BLK_T_GET_ID, false, 0, VIRTIO_BLK_ID_BYTES, true,
	  VRAW_STD },
	{ "out_empty", VIRTIO_BLK_T_OUT, false, 0, 0, false, VRAW_STD },
	{ "out0", VIRTIO_BLK_T_OUT, false, 0, 512, false, VRAW_STD },
	{ "out1_onebuf", VIRTIO_BLK_T_OUT, false, 1, 512, false, VRAW_ONEBUF },
	{ "out2_oddsegs", VIRTIO_BLK_T_OUT, false, 2, 1024, false,
	  VRAW_ODDSEGS },
	{ "flush", VIRTIO_BLK_T_FLUSH, false, 0, 0, false, VRAW_STD },
	/* Breaks the device (DEVICE_NEEDS_RESET): run it last. */
	{ "no_status", VIRTIO_BLK_T_IN, false, 0, 0, false,
	  VRAW_NO_STATUS_BYTE },
};

struct vraw {
	struct virtio_device *vdev;
	struct virtqueue *vq;
	spinlock_t vq_lock;    /* the virtqueue: add vs get_buf */
	struct mutex run_lock; /* one case at a time; results, data */
	struct completion done;
	u32 used_len;
	bool wedged; /* a request timed out: the device still owns it */
	u64 capacity;
	struct virtio_blk_outhdr *hdr;
	u8 *data; /* VRAW_DATA_MAX + 1: room for ONEBUF's extra bytes */
	u8 *status;
	struct raw_log log;
	struct debugfs_blob_wrapper last; /* the last good IN/GET_ID data */
	u8 *last_data;
	struct dentry *dir;
};

static void vraw_done(struct virtqueue *vq)
{
	struct vraw *r = vq->vdev->priv;
	unsigned long flags;
	unsigned int len;

	spin_lock_irqsave(&r->vq_lock, flags);
	while (virtqueue_get_buf(vq, &len)) {
		r->used_len = len;
		complete(&r->done);
	}
	spin_unlock_irqrestore(&r->vq_lock, flags);
}

/* Send one chain and wait for it. 0, -ETIMEDOUT or the add's error. */
static int vraw_send(struct vraw *r, struct scatterlist **sgs,
		     unsigned int nout, unsigned int nin)
{
	unsigned long flags;
	bool kick;
	int err;

	reinit_completion(&r->done);
	spin_lock_irqsave(&r->vq_lock, flags);
	err = virtqueue_add_sgs(r->vq, sgs, nout, nin, r, GFP_ATOMIC);
	kick = !err && virtqueue_kick_prepare(r->vq);
	spin_unlock_irqrestore(&r->vq_lock, flags);
	if (err)
		return err;
	if (kick)
		virtqueue_notify(r->vq);
	if (!wait_for_completion_timeout(&r->done, VRAW_TIMEOUT)) {
		r->wedged = true;
		return -ETIMEDOUT;
	}
	return 0;
}

/* The GET_ID answer, NULs dropped, anything unprintable as '?'. */
static void vraw_result_serial(struct vraw *r, u32 len)
{
	char s[VIRTIO_BLK_ID_BYTES + 1];
	u32 i, n = 0;

	for (i = 0; i < len && i < VIRTIO_BLK_ID_BYTES && r->data[i]; i++)
		s[n++] = isprint(r->data[i]) && r->data[i] != ' ' ? r->data[i]
								  : '?';
	s[n] = '\0';
	raw_log_add(&r->log, " %s", n ? s : "-");
}

static int vraw_run(struct vraw *r, const struct vraw_case *c)
{
	struct scatterlist hdr_sg[2], data_sg[3], status_sg, *sgs[6];
	unsigned int nout = 0, nin = 0;
	u64 sector = c->sector;
	unsigned int i;
	u32 used;
	int err;

	if (c->from_end)
		sector += r->capacity;
	r->hdr->type = cpu_to_virtio32(r->vdev, c->type);
	r->hdr->ioprio = 0;
	r->hdr->sector = cpu_to_virtio64(r->vdev, sector);
	memset(r->data, c->in_data ? VRAW_IN_BYTE : VRAW_OUT_BYTE,
	       VRAW_DATA_MAX + 1);
	*r->status = VRAW_NO_STATUS;

	switch (c->layout) {
	case VRAW_STD:
		sg_init_one(&hdr_sg[0], r->hdr, sizeof(*r->hdr));
		sgs[nout++] = &hdr_sg[0];
		if (c->len) {
			sg_init_one(&data_sg[0], r->data, c->len);
			if (c->in_data)
				sgs[nout + nin++] = &data_sg[0];
			else
				sgs[nout++] = &data_sg[0];
		}
		sg_init_one(&status_sg, r->status, 1);
		sgs[nout + nin++] = &status_sg;
		break;
	case VRAW_ONEBUF:
		if (c->in_data) {
			/* The status is the byte after the data. */
			sg_init_one(&hdr_sg[0], r->hdr, sizeof(*r->hdr));
			sg_init_one(&data_sg[0], r->data, c->len + 1);
			r->data[c->len] = VRAW_NO_STATUS;
			sgs[nout++] = &hdr_sg[0];
			sgs[nout + nin++] = &data_sg[0];
		} else {
			/* Header and data in one buffer (data is all 'X'). */
			memcpy(r->data, r->hdr, sizeof(*r->hdr));
			sg_init_one(&data_sg[0], r->data,
				    sizeof(*r->hdr) + c->len);
			sg_init_one(&status_sg, r->status, 1);
			sgs[nout++] = &data_sg[0];
			sgs[nout + nin++] = &status_sg;
		}
		break;
	case VRAW_SPLIT_HDR:
		sg_init_one(&hdr_sg[0], r->hdr, 8);
		sg_init_one(&hdr_sg[1], (u8 *)r->hdr + 8, sizeof(*r->hdr) - 8);
		sg_init_one(&data_sg[0], r->data, c->len);
		sg_init_one(&status_sg, r->status, 1);
		sgs[nout++] = &hdr_sg[0];
		sgs[nout++] = &hdr_sg[1];
		sgs[nout + nin++] = &data_sg[0];
		sgs[nout + nin++] = &status_sg;
		break;
	case VRAW_ODDSEGS:
		sg_init_one(&hdr_sg[0], r->hdr, sizeof(*r->hdr));
		sg_init_one(&data_sg[0], r->data, 100);
		sg_init_one(&data_sg[1], r->data + 100, c->len - 200);
		sg_init_one(&data_sg[2], r->data + c->len - 100, 100);
		sg_init_one(&status_sg, r->status, 1);
		sgs[nout++] = &hdr_sg[0];
		for (i = 0; i < 3; i++) {
			if (c->in_data)
				sgs[nout + nin++] = &data_sg[i];
			else
				sgs[nout++] = &data_sg[i];
		}
		sgs[nout + nin++] = &status_sg;
		break;
	case VRAW_SHORT_HDR:
		sg_init_one(&hdr_sg[0], r->hdr, 8);
		sg_init_one(&status_sg, r->status, 1);
		sgs[nout++] = &hdr_sg[0];
		sgs[nout + nin++] = &status_sg;
		break;
	case VRAW_NO_STATUS_BYTE:
		sg_init_one(&hdr_sg[0], r->hdr, sizeof(*r->hdr));
		sgs[nout++] = &hdr_sg[0];
		break;
	}

	err = vraw_send(r, sgs, nout, nin);
	if (err == -ETIMEDOUT) {
		raw_log_add(&r->log, "%s timeout -\n", c->name);
		return 0;
	}
	if (err)
		return err;

	used = r->used_len;
	/* ONEBUF's IN: the status is the byte after the data. */
	if (c->layout == VRAW_ONEBUF && c->in_data)
		*r->status = r->data[c->len];
	raw_log_add(&r->log, "%s %u %u", c->name, *r->status, used);
	if (c->in_data && c->len && *r->status == VIRTIO_BLK_S_OK) {
		memcpy(r->last_data, r->data, c->len);
		r->last.size = c->len;
		if (c->type == VIRTIO_BLK_T_GET_ID)
			vraw_result_serial(r, used ? used - 1 : 0);
	}
	raw_log_add(&r->log, "\n");
	return 0;
}

/* Run the case called name (raw_log.h's run file). */
static int vraw_run_named(void *drv, const char *name)
{
	struct vraw *r = drv;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(vraw_cases); i++)
		if (!strcmp(name, vraw_cases[i].name))
			return r->wedged ? -EIO : vraw_run(r, &vraw_cases[i]);
	return -EINVAL;
}

static ssize_t vraw_run_write(struct file *file, const char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	struct vraw *r = file->private_data;

	return raw_run_write(ubuf, count, &r->run_lock, &r->log, vraw_run_named,
			     r);
}

static ssize_t vraw_results_read(struct file *file, char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	struct vraw *r = file->private_data;

	return raw_log_read(&r->log, &r->run_lock, ubuf, count, ppos);
}

static const struct file_operations vraw_run_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = vraw_run_write,
	.llseek = noop_llseek,
};

static const struct file_operations vraw_results_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = vraw_results_read,
	.llseek = default_llseek,
};

static void vraw_free(struct vraw *r)
{
	kfree(r->hdr);
	kfree(r->data);
	kfree(r->status);
	raw_log_free(&r->log);
	kfree(r->last_data);
	kfree(r);
}

static int vraw_probe(struct virtio_device *vdev)
{
	struct vraw *r;
	int err;

	/*
	 * Not ours: refuse. (The virtio core then marks the device FAILED,
	 * so the scenario only ever offers this driver its target.) A
	 * sysfs write of target keeps echo's newline: sysfs_streq.
	 */
	if (!sysfs_streq(dev_name(&vdev->dev), vraw_target))
		return -ENODEV;

	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	r->vdev = vdev;
	spin_lock_init(&r->vq_lock);
	mutex_init(&r->run_lock);
	init_completion(&r->done);
	r->hdr = kzalloc(sizeof(*r->hdr), GFP_KERNEL);
	r->data = kzalloc(VRAW_DATA_MAX + 1, GFP_KERNEL);
	r->status = kzalloc(1, GFP_KERNEL);
	r->last_data = kzalloc(VRAW_DATA_MAX, GFP_KERNEL);
	if (raw_log_init(&r->log, VRAW_RESULTS_MAX) || !r->hdr || !r->data ||
	    !r->status || !r->last_data) {
		err = -ENOMEM;
		goto err_free;
	}
	r->last.data = r->last_data;
	virtio_cread_le(vdev, struct virtio_blk_config, capacity, &r->capacity);
	vdev->priv = r;

	r->vq = virtio_find_single_vq(vdev, vraw_done, "raw");
	if (IS_ERR(r->vq)) {
		err = PTR_ERR(r->vq);
		goto err_free;
	}
	virtio_device_ready(vdev);

	r->dir = debugfs_create_dir(dev_name(&vdev->dev), vraw_root);
	debugfs_create_file("run", 0200, r->dir, r, &vraw_run_fops);
	debugfs_create_file("results", 0400, r->dir, r, &vraw_results_fops);
	debugfs_create_blob("data", 0400, r->dir, &r->last);
	debugfs_create_u64("capacity", 0400, r->dir, &r->capacity);
	dev_info(&vdev->dev, "raw driver bound, capacity %llu sectors\n",
		 r->capacity);
	return 0;

err_free:
	vdev->priv = NULL;
	vraw_free(r);
	return err;
}

static void vraw_remove(struct virtio_device *vdev)
{
	struct vraw *r = vdev->priv;

	debugfs_remove_recursive(r->dir);
	/* After the reset the device owns no buffer, even a timed-out one. */
	virtio_reset_device(vdev);
	while (virtqueue_detach_unused_buf(r->vq))
		;
	vdev->config->del_vqs(vdev);
	vdev->priv = NULL;
	vraw_free(r);
}

static const struct virtio_device_id vraw_ids[] = {
	{ VIRTIO_ID_BLOCK, VIRTIO_DEV_ANY_ID },
	{ 0 },
};

static const unsigned int vraw_features[] = {
	VIRTIO_BLK_F_SEG_MAX,
	VIRTIO_BLK_F_BLK_SIZE,
	VIRTIO_BLK_F_RO,
	VIRTIO_BLK_F_FLUSH,
};

static struct virtio_driver vraw_driver = {
	.driver.name = KBUILD_MODNAME,
	.driver.owner = THIS_MODULE,
	.id_table = vraw_ids,
	.feature_table = vraw_features,
	.feature_table_size = ARRAY_SIZE(vraw_features),
	.probe = vraw_probe,
	.remove = vraw_remove,
};

static int __init vraw_init(void)
{
	int err;

	vraw_root = debugfs_create_dir(KBUILD_MODNAME, NULL);
	err = register_virtio_driver(&vraw_driver);
	if (err)
		debugfs_remove_recursive(vraw_root);
	return err;
}

static void __exit vraw_exit(void)
{
	unregister_virtio_driver(&vraw_driver);
	debugfs_remove_recursive(vraw_root);
}

module_init(vraw_init);
module_exit(vraw_exit);

MODULE_DESCRIPTION("lhv test: a hostile raw virtio-blk driver");
MODULE_LICENSE("Dual BSD/GPL");
