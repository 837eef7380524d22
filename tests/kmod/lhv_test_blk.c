// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * lhv_test_blk.ko: a test-only virtio-blk device on lhv's device core,
 * registered on the service VM at load, so the stock virtio_blk driver of
 * the Service OS binds to it through the loopback transport. It serves a
 * RAM disk of 8 sectors; sector n starts filled with the byte 'A' + n.
 * The module parameter "corrupt" breaks the driver's ring on purpose
 * ("head": an avail entry naming a descriptor beyond the queue; "loop": a
 * descriptor chain that points back at itself), for the NEEDS_RESET
 * tests. Never shipped in the DKMS package.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/io.h>
#include <uapi/linux/virtio_blk.h>
#include <uapi/linux/virtio_ids.h>

#include "lhv.h"
#include "lhv_vdev.h"

#define TBLK_SECTOR_SIZE 512
#define TBLK_SECTORS 8
#define TBLK_SEG_MAX 126
#define TBLK_QUEUE_SIZE 128
#define TBLK_SERIAL "lhv-test-blk"

struct tblk {
	struct lhv_vdev vdev;
	u8 data[TBLK_SECTORS * TBLK_SECTOR_SIZE];
};

static struct tblk *tblk;

static void tblk_get_config(struct lhv_vdev *vdev, unsigned int off, void *buf,
			    unsigned int len)
{
	struct virtio_blk_config cfg = {
		.capacity = cpu_to_le64(TBLK_SECTORS),
		.seg_max = cpu_to_le32(TBLK_SEG_MAX),
	};

	memcpy(buf, (u8 *)&cfg + off, len);
}

/* Copies between a buffer and the readable or writable part of a chain. */
static u32 tblk_copy(const struct virtq_chain *c, bool writable, u32 off,
		     void *buf, u32 len)
{
	unsigned int i = writable ? c->nr_readable : 0;
	unsigned int end = writable ? c->nr_segs : c->nr_readable;
	u32 done = 0;

	for (; i < end && done < len; i++) {
		const struct virtq_seg *s = &c->segs[i];
		u32 n;

		if (off >= s->len) {
			off -= s->len;
			continue;
		}
		n = min(s->len - off, len - done);
		if (writable)
			memcpy((u8 *)s->addr + off, (u8 *)buf + done, n);
		else
			memcpy((u8 *)buf + done, (u8 *)s->addr + off, n);
		done += n;
		off = 0;
	}
	return done;
}

static u8 tblk_rw(struct tblk *t, const struct virtq_chain *c, u64 sector,
		  bool write, u32 *len)
{
	u32 hdr = sizeof(struct virtio_blk_outhdr);
	u64 off = sector * TBLK_SECTOR_SIZE;

	*len = write ? c->readable_len - hdr : c->writable_len - 1;
	if (sector >= TBLK_SECTORS || *len > sizeof(t->data) - off) {
		*len = 0;
		return VIRTIO_BLK_S_IOERR;
	}
	if (write)
		tblk_copy(c, false, hdr, t->data + off, *len);
	else
		tblk_copy(c, true, 0, t->data + off, *len);
	return VIRTIO_BLK_S_OK;
}

static void tblk_handle_request(struct lhv_vq *vq, const struct virtq_chain *c)
{
	struct tblk *t = container_of(vq->vdev, struct tblk, vdev);
	struct virtio_blk_outhdr hdr;
	u32 len = 0, written = 0;
	u8 status;

	if (c->readable_len < sizeof(hdr) || c->writable_len < 1) {
		lhv_vdev_needs_reset(vq->vdev, "malformed virtio-blk request");
		lhv_vq_complete(vq, c->head, 0, 0, true);
		return;
	}
	tblk_copy(c, false, 0, &hdr, sizeof(hdr));
	switch (le32_to_cpu(hdr.type)) {
	case VIRTIO_BLK_T_IN:
		status = tblk_rw(t, c, le64_to_cpu(hdr.sector), false, &len);
		written = len;
		break;
	case VIRTIO_BLK_T_OUT:
		status = tblk_rw(t, c, le64_to_cpu(hdr.sector), true, &len);
		break;
	case VIRTIO_BLK_T_GET_ID:
		written = tblk_copy(
			c, true, 0, TBLK_SERIAL,
			min_t(u32, sizeof(TBLK_SERIAL), c->writable_len - 1));
		status = VIRTIO_BLK_S_OK;
		break;
	default:
		status = VIRTIO_BLK_S_UNSUPP;
		break;
	}
	/* The status byte is the last writable byte of the chain. */
	tblk_copy(c, true, c->writable_len - 1, &status, 1);
	lhv_vq_complete(vq, c->head, written + 1, len,
			status != VIRTIO_BLK_S_OK);
}

static int tblk_start(struct lhv_vdev *vdev)
{
	return 0;
}

/* Requests complete synchronously in handle_request: nothing in flight. */
static void tblk_stop(struct lhv_vdev *vdev)
{
}

static const struct lhv_vdev_ops tblk_ops = {
	.get_config = tblk_get_config,
	.start = tblk_start,
	.stop = tblk_stop,
	.handle_request = tblk_handle_request,
};

/* Breaks the live ring of queue 0 as a buggy driver would, then kicks. */
static int tblk_corrupt(const char *val, const struct kernel_param *kp)
{
	struct lhv_vq *vq;
	struct virtq *r;
	struct virtq_desc *d;
	u16 idx, head;

	if (!tblk || !READ_ONCE(tblk->vdev.live))
		return -EAGAIN;
	vq = &tblk->vdev.vqs[0];
	r = &vq->ring;
	idx = le16_to_cpu(READ_ONCE(r->avail->idx));
	if (sysfs_streq(val, "head")) {
		head = r->size; /* one beyond the table */
	} else if (sysfs_streq(val, "loop")) {
		/* A free descriptor whose chain never ends. */
		head = r->size - 1;
		d = (struct virtq_desc *)&r->desc[head];
		d->addr = cpu_to_le64(virt_to_phys(tblk->data));
		d->len = 0;
		d->flags = cpu_to_le16(VIRTQ_DESC_F_NEXT);
		d->next = cpu_to_le16(head);
	} else if (sysfs_streq(val, "addr") || sysfs_streq(val, "huge")) {
		/*
		 * A one-descriptor read whose buffer is not Service OS RAM:
		 * either an address past any RAM, or a length that runs far
		 * beyond the end of the module's buffer.
		 */
		head = r->size - 1;
		d = (struct virtq_desc *)&r->desc[head];
		if (sysfs_streq(val, "addr")) {
			d->addr = cpu_to_le64(1ULL << 51);
			d->len = cpu_to_le32(512);
		} else {
			d->addr = cpu_to_le64(virt_to_phys(tblk->data));
			d->len = cpu_to_le32(0xfffff000);
		}
		d->flags = cpu_to_le16(VIRTQ_DESC_F_WRITE);
		d->next = 0;
	} else {
		return -EINVAL;
	}
	WRITE_ONCE(r->avail->ring[idx & (r->size - 1)], cpu_to_le16(head));
	virt_wmb();
	WRITE_ONCE(r->avail->idx, cpu_to_le16(idx + 1));
	kthread_queue_work(vq->worker, &vq->work);
	return 0;
}

static const struct kernel_param_ops tblk_corrupt_ops = {
	.set = tblk_corrupt,
};
module_param_cb(corrupt, &tblk_corrupt_ops, NULL, 0200);
MODULE_PARM_DESC(corrupt, "Break queue 0's ring: head, loop, addr or huge");

static int __init tblk_init(void)
{
	unsigned int i;
	int err;

	tblk = kzalloc(sizeof(*tblk), GFP_KERNEL);
	if (!tblk)
		return -ENOMEM;
	for (i = 0; i < TBLK_SECTORS; i++)
		memset(tblk->data + i * TBLK_SECTOR_SIZE, 'A' + i,
		       TBLK_SECTOR_SIZE);
	tblk->vdev.device_id = VIRTIO_ID_BLOCK;
	tblk->vdev.device_features = BIT_ULL(VIRTIO_BLK_F_SEG_MAX);
	tblk->vdev.config_size = sizeof(struct virtio_blk_config);
	tblk->vdev.nr_queues = 1;
	tblk->vdev.queue_max_size = TBLK_QUEUE_SIZE;
	tblk->vdev.max_segs = TBLK_SEG_MAX + 2;
	tblk->vdev.ops = &tblk_ops;
	err = lhv_vdev_register(&tblk->vdev, lhv_service_vm(), "testblk");
	if (err) {
		kfree(tblk);
		tblk = NULL;
	}
	return err;
}

static void __exit tblk_exit(void)
{
	/* The worker reaches the device through vq->vdev, not tblk. */
	lhv_vdev_unregister(&tblk->vdev);
	kfree(tblk);
	tblk = NULL;
}

module_init(tblk_init);
module_exit(tblk_exit);
MODULE_DESCRIPTION(
	"lhv test: a RAM virtio-blk device on the loopback transport");
MODULE_LICENSE("Dual BSD/GPL");
