// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * One request from chain to completion: parse it with the portable core
 * (kmod/lib/blk_req.c), answer refusals and GET_ID at once, hand I/O to the
 * backing's io ops, and complete it when its last bio or iocb ends. Every
 * request in flight holds a count on the device so stop can drain.
 */
#include <linux/slab.h>

#include "blk.h"

static struct kmem_cache *lhv_blk_req_cache;

int lhv_blk_req_cache_init(void)
{
	lhv_blk_req_cache = KMEM_CACHE(lhv_blk_req, 0);
	return lhv_blk_req_cache ? 0 : -ENOMEM;
}

void lhv_blk_req_cache_exit(void)
{
	kmem_cache_destroy(lhv_blk_req_cache);
}

/* Give the chain back with its status; any context. */
static void lhv_blk_answer(struct lhv_vq *vq, const struct blk_req *req,
			   u16 head, u8 status, u32 data_written, u64 bytes)
{
	u32 written = blk_req_complete(req, status, data_written);

	lhv_vq_complete(vq, head, written, status ? 0 : bytes,
			status != BLK_REQ_S_OK);
}

void lhv_blk_req_fail(struct lhv_blk_req *r, u8 status)
{
	/* The first failure wins; OK is 0. */
	cmpxchg(&r->status, BLK_REQ_S_OK, status);
}

void lhv_blk_req_put(struct lhv_blk_req *r)
{
	struct lhv_blk_dev *dev = r->dev;
	u32 moved;

	if (!atomic_dec_and_test(&r->pending))
		return;
	moved = r->req.type == BLK_REQ_T_IN ? r->req.data_len : 0;
	lhv_blk_answer(r->vq, &r->req, r->head, r->status, moved,
		       r->req.data_len);
	kmem_cache_free(lhv_blk_req_cache, r);
	if (atomic_dec_and_test(&dev->inflight))
		complete(&dev->drained);
}

/* No memory for the request: find the status byte and answer IOERR. */
static void lhv_blk_answer_nomem(struct lhv_blk_dev *dev, struct lhv_vq *vq,
				 const struct virtq_chain *c)
{
	struct blk_req req;

	if (blk_req_parse(c, &dev->limits, &req, dev->scratch[vq->index], NULL,
			  0))
		lhv_vq_complete(vq, c->head, 0, 0, true);
	else
		lhv_blk_answer(vq, &req, c->head, BLK_REQ_S_IOERR, 0, 0);
}

void lhv_blk_handle_request(struct lhv_vq *vq, const struct virtq_chain *c)
{
	struct lhv_blk_dev *dev = to_blk_dev(vq->vdev);
	char serial[LHV_BLK_SERIAL_MAX];
	struct lhv_blk_req *r;
	u32 n;

	r = kmem_cache_alloc(lhv_blk_req_cache, GFP_NOIO);
	if (!r) {
		lhv_blk_answer_nomem(dev, vq, c);
		return;
	}
	r->dev = dev;
	r->vq = vq;
	r->head = c->head;
	r->status = BLK_REQ_S_OK;
	r->bvec = NULL;
	r->nr_bvec = 0;

	if (blk_req_parse(c, &dev->limits, &r->req, dev->scratch[vq->index],
			  r->ranges, LHV_BLK_DWZ_SEGS)) {
		/* Nowhere to put a status: the driver broke the protocol. */
		kmem_cache_free(lhv_blk_req_cache, r);
		lhv_vq_complete(vq, c->head, 0, 0, true);
		lhv_vdev_needs_reset(
			vq->vdev, "virtio-blk request without a status byte");
		return;
	}
	if (r->req.answer != BLK_REQ_DO_IO) {
		lhv_blk_answer(vq, &r->req, r->head, (u8)r->req.answer, 0, 0);
		kmem_cache_free(lhv_blk_req_cache, r);
		return;
	}
	if (r->req.type == BLK_REQ_T_GET_ID) {
		lhv_blk_serial(dev, serial);
		n = blk_req_copy_to_data(&r->req, serial, LHV_BLK_SERIAL_MAX);
		lhv_blk_answer(vq, &r->req, r->head, BLK_REQ_S_OK, n, n);
		kmem_cache_free(lhv_blk_req_cache, r);
		return;
	}

	/* submit owns this first reference and drops it when done. */
	atomic_inc(&dev->inflight);
	atomic_set(&r->pending, 1);
	dev->io->submit(r);
}
