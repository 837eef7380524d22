// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * lhv_test_vsnd_raw.ko: a test-only, hostile virtio-snd *driver*. Linux's
 * virtio_snd never sends a short header, an unknown code, a query past
 * the last item or with an entry size too small, parameters the stream
 * does not offer, a command the state machine forbids, a transfer on the
 * wrong queue or for a missing stream, partial frames, or a status buffer
 * too small; this driver sends exactly those, one at a time, and records
 * what the device answered. Never shipped.
 *
 * It binds only to the virtio device named by the writable parameter
 * "target" (e.g. virtio3), so loading it never takes a card away from
 * virtio_snd: the scenario unbinds virtio_snd, sets target and binds this
 * driver through sysfs.
 *
 * Per bound device, /sys/kernel/debug/lhv_test_vsnd_raw/<virtioN>/ has:
 *   run      write a case name (vsraw_cases[]) to send that message and
 *            wait for its answer (2 s at most)
 *   results  one line per case: "<name> <status> <used length>"; status
 *            is the 32-bit code the device wrote in hex (0x8000 OK,
 *            0x8001 BAD_MSG, 0x8002 NOT_SUPP), "none" if it wrote none,
 *            or "timeout" (the message stays with the device)
 * The control messages address stream 0 (output) and 1 (input) of the
 * device the scenario made, with one jack and chmaps.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/virtio.h>
#include <linux/virtio_config.h>
#include <uapi/linux/virtio_ids.h>

#include "compat.h"
#include "raw_log.h"

#define VS_TIMEOUT (2 * HZ)
#define VS_RESULTS_MAX 8192
#define VS_BUF 8192
#define VS_NONE 0xffffffffu /* preset: the device wrote no status */

/* Queues, codes and formats of VIRTIO 1.2 5.14 that the cases use. */
enum { VQ_CTL, VQ_EVT, VQ_TX, VQ_RX, VQ_COUNT };
#define R_JACK_INFO 1
#define R_JACK_REMAP 2
#define R_PCM_INFO 0x100
#define R_SET_PARAMS 0x101
#define R_PREPARE 0x102
#define R_RELEASE 0x103
#define R_START 0x104
#define R_STOP 0x105
#define R_CHMAP_INFO 0x200
#define FMT_S16 5
#define RATE_48000 7
#define RATE_96000 10

static char vs_target[32];
module_param_string(target, vs_target, sizeof(vs_target), 0644);
MODULE_PARM_DESC(target, "The only virtio device to bind (e.g. virtio3)");

static struct dentry *vs_root;

enum vs_kind {
	VS_CTL,	     /* a control request: words[], req_len, resp_len */
	VS_TX,	     /* a tx transfer: stream word, data_len, status_len */
	VS_RX,	     /* an rx transfer, likewise */
	VS_EVT,	     /* an event buffer of resp_len bytes */
	VS_TX_HELD,  /* a tx transfer the device keeps (stream stopped) */
	VS_WAIT_HELD /* the held transfer's completion */
};

struct vs_case {
	const char *name;
	enum vs_kind kind;
	u32 words[6]; /* request as le32 words (SET_PARAMS: see below) */
	u32 req_len;  /* bytes of the request or xfer header */
	u32 resp_len; /* ctl: response bytes; xfer: status bytes */
	u32 data_len; /* xfer data bytes */
	u8 params[4]; /* SET_PARAMS: channels, format, rate, padding */
};

#define SP(buf, per, ch, fmt, rate)                                            \
	{ R_SET_PARAMS, 0, buf, per, 0 }, 24, 4, 0,                            \
	{                                                                      \
		ch, fmt, rate, 0                                               \
	}

static const struct vs_case vs_cases[] = {
	/* Malformed or unknown control requests. */
	{ "ctl_short_hdr", VS_CTL, { R_PCM_INFO }, 2, 4 },
	{ "ctl_unknown", VS_CTL, { 0x1234, 0 }, 8, 4 },
	{ "ctl_jack_remap", VS_CTL, { R_JACK_REMAP, 0, 0 }, 12, 4 },
	{ "ctl_no_resp", VS_CTL, { R_PCM_INFO, 0, 1, 32 }, 16, 2 },
	{ "pcm_info_ok", VS_CTL, { R_PCM_INFO, 0, 2, 32 }, 16, 68 },
	{ "pcm_info_count", VS_CTL, { R_PCM_INFO, 0, 0xffffffff, 32 }, 16, 68 },
	{ "pcm_info_wrap", VS_CTL, { R_PCM_INFO, 0xffffffff, 2, 32 }, 16, 68 },
	{ "pcm_info_past", VS_CTL, { R_PCM_INFO, 2, 1, 32 }, 16, 68 },
	{ "pcm_info_size", VS_CTL, { R_PCM_INFO, 0, 1, 8 }, 16, 68 },
	{ "pcm_info_huge", VS_CTL, { R_PCM_INFO, 0, 1, 0x10000000 }, 16, 68 },
	{ "pcm_info_room", VS_CTL, { R_PCM_INFO, 0, 2, 32 }, 16, 36 },
	{ "pcm_info_len", VS_CTL, { R_PCM_INFO, 0, 1, 32 }, 12, 68 },
	{ "jack_info_ok", VS_CTL, { R_JACK_INFO, 0, 1, 24 }, 16, 28 },
	{ "jack_info_past", VS_CTL, { R_JACK_INFO, 1, 1, 24 }, 16, 28 },
	{ "chmap_info_ok", VS_CTL, { R_CHMAP_INFO, 0, 2, 24 }, 16, 52 },
	{ "bad_stream", VS_CTL, { R_PREPARE, 99 }, 8, 4 },
	{ "huge_stream", VS_CTL, { R_PREPARE, 0xffffffff }, 8, 4 },
	{ "cmd_long", VS_CTL, { R_PREPARE, 0, 0 }, 12, 4 },
	{ "cmd_short", VS_CTL, { R_PREPARE, 0 }, 6, 4 },
	/* The state machine, from the initial state. */
	{ "start_init", VS_CTL, { R_START, 0 }, 8, 4 },
	{ "prepare_init", VS_CTL, { R_PREPARE, 0 }, 8, 4 },
	{ "release_init", VS_CTL, { R_RELEASE, 0 }, 8, 4 },
	{ "tx_init", VS_TX, { 0 }, 4, 8, 1920 },
	/* SET_PARAMS: buffer, period, channels, format, rate. */
	{ "params_96k", VS_CTL, SP(7680, 1920, 2, FMT_S16, RATE_96000) },
	{ "params_rate_bit", VS_CTL, SP(7680, 1920, 2, FMT_S16, 200) },
	{ "params_format", VS_CTL, SP(7680, 1920, 2, 4 /* U8 */, RATE_48000) },
	{ "params_channels", VS_CTL, SP(7680, 1920, 9, FMT_S16, RATE_48000) },
	{ "params_period0", VS_CTL, SP(7680, 0, 2, FMT_S16, RATE_48000) },
	{ "params_partial", VS_CTL, SP(7680, 1922, 2, FMT_S16, RATE_48000) },
	{ "params_buffer", VS_CTL, SP(1000, 1920, 2, FMT_S16, RATE_48000) },
	{ "params_tiny", VS_CTL, SP(160, 40, 2, FMT_S16, RATE_48000) },
	{ "params_input_1ch",
	  VS_CTL,
	  { R_SET_PARAMS, 1, 7680, 1920, 0 },
	  24,
	  4,
	  0,
	  { 1, FMT_S16, RATE_48000, 0 } },
	{ "params_ok", VS_CTL, SP(7680, 1920, 2, FMT_S16, RATE_48000) },
	{ "stop_params", VS_CTL, { R_STOP, 0 }, 8, 4 },
	{ "release_params", VS_CTL, { R_RELEASE, 0 }, 8, 4 },
	{ "start_params", VS_CTL, { R_START, 0 }, 8, 4 },
	{ "prepare", VS_CTL, { R_PREPARE, 0 }, 8, 4 },
	/* Transfers the device must refuse. */
	{ "tx_input_stream", VS_TX, { 1 }, 4, 8, 1920 },
	{ "tx_bad_stream", VS_TX, { 77 }, 4, 8, 1920 },
	{ "tx_short_hdr", VS_TX, { 0 }, 2, 8, 1920 },
	{ "tx_no_data", VS_TX, { 0 }, 4, 8, 0 },
	{ "tx_partial", VS_TX, { 0 }, 4, 8, 6 },
	{ "tx_too_big", VS_TX, { 0 }, 4, 8, 8000 }, /* > the 7680 buffer */
	{ "tx_status_4", VS_TX, { 0 }, 4, 4, 1920 },
	{ "rx_output_stream", VS_RX, { 0 }, 4, 8, 1920 },
	{ "evt_small", VS_EVT, { 0 }, 0, 4 },
	/* A good stream: play a period, stop, hold one, release it. */
	{ "start", VS_CTL, { R_START, 0 }, 8, 4 },
	{ "prepare_running", VS_CTL, { R_PREPARE, 0 }, 8, 4 },
	{ "params_running", VS_CTL, SP(7680, 1920, 2, FMT_S16, RATE_48000) },
	{ "tx_ok", VS_TX, { 0 }, 4, 8, 1920 },
	{ "stop", VS_CTL, { R_STOP, 0 }, 8, 4 },
	{ "stop_stopped", VS_CTL, { R_STOP, 0 }, 8, 4 },
	{ "tx_held", VS_TX_HELD, { 0 }, 4, 8, 1920 },
	{ "release", VS_CTL, { R_RELEASE, 0 }, 8, 4 },
	{ "held_done", VS_WAIT_HELD },
	{ "start_released", VS_CTL, { R_START, 0 }, 8, 4 },
	{ "tx_released", VS_TX, { 0 }, 4, 8, 1920 },
	{ "params_again", VS_CTL, SP(7680, 1920, 2, FMT_S16, RATE_48000) },
};

struct vs_queue {
	struct virtqueue *vq;
	struct completion done;
	u32 used_len;
};

struct vsraw {
	struct virtio_device *vdev;
	struct vs_queue q[VQ_COUNT];
	spinlock_t lock;       /* the virtqueues: add vs get_buf */
	struct mutex run_lock; /* one case at a time; results */
	u8 *req, *resp, *data, *status, *held; /* DMA-able buffers */
	bool held_pending;
	struct raw_log log;
	struct dentry *dir;
};

static void vs_done(struct virtqueue *vq)
{
	struct vsraw *r = vq->vdev->priv;
	struct vs_queue *q = &r->q[vq->index];
	unsigned long flags;
	unsigned int len;

	spin_lock_irqsave(&r->lock, flags);
	while (virtqueue_get_buf(vq, &len)) {
		q->used_len = len;
		complete(&q->done);
	}
	spin_unlock_irqrestore(&r->lock, flags);
}

/* Add one chain to queue qi; with wait, wait for it. */
static int vs_send(struct vsraw *r, unsigned int qi, struct scatterlist **sgs,
		   unsigned int nout, unsigned int nin, bool wait)
{
	struct vs_queue *q = &r->q[qi];
	unsigned long flags;
	bool kick;
	int err;

	reinit_completion(&q->done);
	spin_lock_irqsave(&r->lock, flags);
	err = virtqueue_add_sgs(q->vq, sgs, nout, nin, r, GFP_ATOMIC);
	kick = !err && virtqueue_kick_prepare(q->vq);
	spin_unlock_irqrestore(&r->lock, flags);
	if (err)
		return err;
	if (kick)
		virtqueue_notify(q->vq);
	if (wait && !wait_for_completion_timeout(&q->done, VS_TIMEOUT))
		return -ETIMEDOUT;
	return 0;
}

static void put_le32(u8 *p, u32 v)
{
	__le32 le = cpu_to_le32(v);

	memcpy(p, &le, 4);
}

static void vs_record(struct vsraw *r, const char *name, const u8 *status,
		      u32 used)
{
	__le32 le;
	u32 code;

	memcpy(&le, status, 4);
	code = le32_to_cpu(le);

	if (code == VS_NONE)
		raw_log_add(&r->log, "%s none %u\n", name, used);
	else
		raw_log_add(&r->log, "%s 0x%x %u\n", name, code, used);
}

static int vs_ctl(struct vsraw *r, const struct vs_case *c)
{
	struct scatterlist req, resp, *sgs[2] = { &req, &resp };
	unsigned int i;
	int err;

	memset(r->req, 0, 64);
	for (i = 0; i < ARRAY_SIZE(c->words); i++)
		put_le32(r->req + 4 * i, c->words[i]);
	if (c->words[0] == R_SET_PARAMS)
		memcpy(r->req + 20, c->params, 4);
	memset(r->resp, 0xff, VS_BUF);
	sg_init_one(&req, r->req, c->req_len);
	sg_init_one(&resp, r->resp, c->resp_len);
	err = vs_send(r, VQ_CTL, sgs, 1, 1, true);
	if (err == -ETIMEDOUT) {
		raw_log_add(&r->log, "%s timeout -\n", c->name);
		return 0;
	}
	if (err)
		return err;
	if (c->resp_len < 4)
		raw_log_add(&r->log, "%s none %u\n", c->name,
			    r->q[VQ_CTL].used_len);
	else
		vs_record(r, c->name, r->resp, r->q[VQ_CTL].used_len);
	return 0;
}

/* A transfer: header, data (out for tx, in for rx), status. */
static int vs_xfer(struct vsraw *r, const struct vs_case *c, unsigned int qi,
		   u8 *status, bool wait)
{
	struct scatterlist hdr, data, st, *sgs[3];
	unsigned int nout = 0, nin = 0;
	int err;

	put_le32(r->req, c->words[0]);
	memset(r->data, 0x11, VS_BUF);
	memset(status, 0xff, 8);
	sg_init_one(&hdr, r->req, c->req_len);
	sgs[nout++] = &hdr;
	if (c->data_len) {
		sg_init_one(&data, r->data, c->data_len);
		if (qi == VQ_TX)
			sgs[nout++] = &data;
		else
			sgs[nout + nin++] = &data;
	}
	sg_init_one(&st, status, c->resp_len);
	sgs[nout + nin++] = &st;
	err = vs_send(r, qi, sgs, nout, nin, wait);
	if (err == -ETIMEDOUT) {
		raw_log_add(&r->log, "%s timeout -\n", c->name);
		return 0;
	}
	if (err || !wait)
		return err;
	if (c->resp_len < 8 && !r->q[qi].used_len)
		raw_log_add(&r->log, "%s none 0\n", c->name);
	else
		vs_record(r, c->name, status, r->q[qi].used_len);
	return 0;
}

static int vs_evt(struct vsraw *r, const struct vs_case *c)
{
	struct scatterlist ev, *sgs[1] = { &ev };
	int err;

	memset(r->resp, 0xff, VS_BUF);
	sg_init_one(&ev, r->resp, c->resp_len);
	err = vs_send(r, VQ_EVT, sgs, 0, 1, true);
	if (err == -ETIMEDOUT) {
		raw_log_add(&r->log, "%s timeout -\n", c->name);
		return 0;
	}
	if (!err)
		raw_log_add(&r->log, "%s - %u\n", c->name,
			    r->q[VQ_EVT].used_len);
	return err;
}

static int vs_run(struct vsraw *r, const struct vs_case *c)
{
	switch (c->kind) {
	case VS_CTL:
		return vs_ctl(r, c);
	case VS_TX:
		return vs_xfer(r, c, VQ_TX, r->status, true);
	case VS_RX:
		return vs_xfer(r, c, VQ_RX, r->status, true);
	case VS_EVT:
		return vs_evt(r, c);
	case VS_TX_HELD:
		/* The device keeps it: a stopped stream plays nothing. */
		if (r->held_pending)
			return -EBUSY;
		r->held_pending = true;
		vs_xfer(r, c, VQ_TX, r->held, false);
		if (wait_for_completion_timeout(&r->q[VQ_TX].done, HZ / 5))
			vs_record(r, c->name, r->held, r->q[VQ_TX].used_len);
		else
			raw_log_add(&r->log, "%s pending -\n", c->name);
		return 0;
	case VS_WAIT_HELD:
		if (!r->held_pending)
			return -EINVAL;
		if (!wait_for_completion_timeout(&r->q[VQ_TX].done,
						 VS_TIMEOUT)) {
			raw_log_add(&r->log, "%s timeout -\n", c->name);
			return 0;
		}
		r->held_pending = false;
		vs_record(r, c->name, r->held, r->q[VQ_TX].used_len);
		return 0;
	}
	return -EINVAL;
}

/* Run the case called name (raw_log.h's run file). */
static int vs_run_named(void *drv, const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(vs_cases); i++)
		if (!strcmp(name, vs_cases[i].name))
			return vs_run(drv, &vs_cases[i]);
	return -EINVAL;
}

static ssize_t vs_run_write(struct file *file, const char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	struct vsraw *r = file->private_data;

	return raw_run_write(ubuf, count, &r->run_lock, &r->log, vs_run_named,
			     r);
}

static ssize_t vs_results_read(struct file *file, char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	struct vsraw *r = file->private_data;

	return raw_log_read(&r->log, &r->run_lock, ubuf, count, ppos);
}

static const struct file_operations vs_run_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = vs_run_write,
	.llseek = noop_llseek,
};

static const struct file_operations vs_results_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = vs_results_read,
	.llseek = default_llseek,
};

static void vs_free(struct vsraw *r)
{
	kfree(r->req);
	kfree(r->resp);
	kfree(r->data);
	kfree(r->status);
	kfree(r->held);
	raw_log_free(&r->log);
	kfree(r);
}

static int vs_find_vqs(struct vsraw *r)
{
	struct virtqueue *vqs[VQ_COUNT];
	unsigned int i;
	int err;
#if LHV_FIND_VQS_INFO
	struct virtqueue_info info[VQ_COUNT] = {
		{ "ctl", vs_done },
		{ "evt", vs_done },
		{ "tx", vs_done },
		{ "rx", vs_done },
	};

	err = virtio_find_vqs(r->vdev, VQ_COUNT, vqs, info, NULL);
#else
	vq_callback_t *cbs[VQ_COUNT] = { vs_done, vs_done, vs_done, vs_done };
	static const char *const names[VQ_COUNT] = { "ctl", "evt", "tx", "rx" };

	err = virtio_find_vqs(r->vdev, VQ_COUNT, vqs, cbs, names, NULL);
#endif
	if (err)
		return err;
	for (i = 0; i < VQ_COUNT; i++) {
		r->q[i].vq = vqs[i];
		init_completion(&r->q[i].done);
	}
	return 0;
}

static int vs_probe(struct virtio_device *vdev)
{
	struct vsraw *r;
	int err;

	/* Not ours: refuse (see the top of the file). */
	if (!sysfs_streq(dev_name(&vdev->dev), vs_target))
		return -ENODEV;

	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	r->vdev = vdev;
	spin_lock_init(&r->lock);
	mutex_init(&r->run_lock);
	r->req = kzalloc(64, GFP_KERNEL);
	r->resp = kzalloc(VS_BUF, GFP_KERNEL);
	r->data = kzalloc(VS_BUF, GFP_KERNEL);
	r->status = kzalloc(8, GFP_KERNEL);
	r->held = kzalloc(8, GFP_KERNEL);
	if (raw_log_init(&r->log, VS_RESULTS_MAX) || !r->req || !r->resp ||
	    !r->data || !r->status || !r->held) {
		err = -ENOMEM;
		goto err_free;
	}
	vdev->priv = r;
	err = vs_find_vqs(r);
	if (err)
		goto err_free;
	virtio_device_ready(vdev);

	r->dir = debugfs_create_dir(dev_name(&vdev->dev), vs_root);
	debugfs_create_file("run", 0200, r->dir, r, &vs_run_fops);
	debugfs_create_file("results", 0400, r->dir, r, &vs_results_fops);
	dev_info(&vdev->dev, "raw virtio-snd driver bound\n");
	return 0;

err_free:
	vdev->priv = NULL;
	vs_free(r);
	return err;
}

static void vs_remove(struct virtio_device *vdev)
{
	struct vsraw *r = vdev->priv;
	unsigned int i;

	debugfs_remove_recursive(r->dir);
	/* After the reset the device owns no buffer, even a held one. */
	virtio_reset_device(vdev);
	for (i = 0; i < VQ_COUNT; i++)
		while (virtqueue_detach_unused_buf(r->q[i].vq))
			;
	vdev->config->del_vqs(vdev);
	vdev->priv = NULL;
	vs_free(r);
}

static const struct virtio_device_id vs_ids[] = {
	{ VIRTIO_ID_SOUND, VIRTIO_DEV_ANY_ID },
	{ 0 },
};

static struct virtio_driver vs_driver = {
	.driver.name = KBUILD_MODNAME,
	.driver.owner = THIS_MODULE,
	.id_table = vs_ids,
	.probe = vs_probe,
	.remove = vs_remove,
};

static int __init vs_init(void)
{
	int err;

	vs_root = debugfs_create_dir(KBUILD_MODNAME, NULL);
	err = register_virtio_driver(&vs_driver);
	if (err)
		debugfs_remove_recursive(vs_root);
	return err;
}

static void __exit vs_exit(void)
{
	unregister_virtio_driver(&vs_driver);
	debugfs_remove_recursive(vs_root);
}

module_init(vs_init);
module_exit(vs_exit);

MODULE_DESCRIPTION("lhv test: a hostile raw virtio-snd driver");
MODULE_LICENSE("Dual BSD/GPL");
