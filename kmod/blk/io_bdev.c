// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Block device backing: bios built directly on the guest's pages (zero
 * copy). Guest buffers are kernel direct-map addresses (the service OS
 * allocated guest memory), so each segment is added page piece by page
 * piece. A request may need several bios; each holds a reference on the
 * request and the last one to end completes it.
 */
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/mm.h>

#include "blk.h"

static struct bio_set lhv_blk_bio_set;

int lhv_blk_bioset_init(void)
{
	return bioset_init(&lhv_blk_bio_set, BIO_POOL_SIZE, 0,
			   BIOSET_NEED_BVECS);
}

void lhv_blk_bioset_exit(void)
{
	bioset_exit(&lhv_blk_bio_set);
}

static void lhv_blk_bio_end(struct bio *bio)
{
	struct lhv_blk_req *r = bio->bi_private;

	if (bio->bi_status)
		lhv_blk_req_fail(r, bio->bi_status == BLK_STS_NOTSUPP
					    ? BLK_REQ_S_UNSUPP
					    : BLK_REQ_S_IOERR);
	bio_put(bio);
	lhv_blk_req_put(r);
}

static struct bio *lhv_blk_bio_alloc(struct lhv_blk_req *r,
				     unsigned short nr_vecs, blk_opf_t opf,
				     sector_t sector)
{
	struct bio *bio;

	bio = bio_alloc_bioset(r->dev->backing.bdev, nr_vecs, opf, GFP_NOIO,
			       &lhv_blk_bio_set);
	bio->bi_iter.bi_sector = sector;
	bio->bi_end_io = lhv_blk_bio_end;
	bio->bi_private = r;
	return bio;
}

static void lhv_blk_bio_submit(struct lhv_blk_req *r, struct bio *bio)
{
	atomic_inc(&r->pending);
	submit_bio(bio);
}

/* Pages the data segments touch. */
static unsigned int lhv_blk_nr_pages(const struct blk_req *req)
{
	unsigned int i, n = 0;

	for (i = 0; i < req->nr_data; i++) {
		unsigned long a = (unsigned long)req->data[i].addr;

		n += DIV_ROUND_UP(offset_in_page(a) + req->data[i].len,
				  PAGE_SIZE);
	}
	return n;
}

/*
 * IN/OUT: add every page piece of every segment; when a bio is full,
 * submit it and go on in a new one. A bio must end on a logical block, so
 * a full bio that does not is a request we cannot cut: IOERR (a driver's
 * segments are sector multiples, so this does not happen in practice).
 */
static void lhv_blk_bdev_rw(struct lhv_blk_req *r)
{
	struct lhv_blk_dev *dev = r->dev;
	bool write = r->req.type == BLK_REQ_T_OUT;
	blk_opf_t opf = write ? REQ_OP_WRITE : REQ_OP_READ;
	u32 lb_mask = dev->backing.caps.logical_block - 1;
	sector_t sector = dev->backing.start + r->req.sector;
	unsigned int left = lhv_blk_nr_pages(&r->req);
	struct bio *bio;
	unsigned int i;

	if (write && lhv_blk_writethrough(dev))
		opf |= REQ_FUA;
	bio = lhv_blk_bio_alloc(r, min(left, (unsigned int)BIO_MAX_VECS), opf,
				sector);
	for (i = 0; i < r->req.nr_data; i++) {
		u8 *p = r->req.data[i].addr;
		u32 len = r->req.data[i].len;

		while (len) {
			u32 off = offset_in_page(p);
			u32 part = min_t(u32, len, PAGE_SIZE - off);

			if (!virt_addr_valid(p)) {
				pr_warn_ratelimited("lhv_blk: guest buffer "
						    "outside the direct map\n");
				goto fail;
			}
			if (bio_add_page(bio, virt_to_page(p), part, off) ==
			    part) {
				p += part;
				len -= part;
				left--;
				continue;
			}
			if (!bio->bi_vcnt || (bio->bi_iter.bi_size & lb_mask))
				goto fail;
			sector += bio_sectors(bio);
			lhv_blk_bio_submit(r, bio);
			bio = lhv_blk_bio_alloc(
				r, min(left, (unsigned int)BIO_MAX_VECS), opf,
				sector);
		}
	}
	lhv_blk_bio_submit(r, bio);
	lhv_blk_req_put(r);
	return;
fail:
	bio_put(bio);
	lhv_blk_req_fail(r, BLK_REQ_S_IOERR);
	lhv_blk_req_put(r);
}

static void lhv_blk_bdev_flush(struct lhv_blk_req *r)
{
	struct bio *bio;

	bio = lhv_blk_bio_alloc(r, 0, REQ_OP_WRITE | REQ_PREFLUSH, 0);
	lhv_blk_bio_submit(r, bio);
	lhv_blk_req_put(r);
}

/* One bio per range; the block layer splits to the device's limits. */
static void lhv_blk_bdev_dwz(struct lhv_blk_req *r)
{
	struct lhv_blk_dev *dev = r->dev;
	unsigned int i;

	for (i = 0; i < r->req.nr_ranges; i++) {
		const struct blk_req_range *g = &r->req.ranges[i];
		blk_opf_t opf;
		struct bio *bio;

		if (r->req.type == BLK_REQ_T_DISCARD)
			opf = REQ_OP_DISCARD;
		else
			opf = REQ_OP_WRITE_ZEROES |
			      (g->unmap ? 0 : REQ_NOUNMAP);
		bio = lhv_blk_bio_alloc(r, 0, opf,
					dev->backing.start + g->sector);
		bio->bi_iter.bi_size = g->num_sectors << SECTOR_SHIFT;
		lhv_blk_bio_submit(r, bio);
	}
	lhv_blk_req_put(r);
}

static void lhv_blk_bdev_submit(struct lhv_blk_req *r)
{
	switch (r->req.type) {
	case BLK_REQ_T_IN:
	case BLK_REQ_T_OUT:
		lhv_blk_bdev_rw(r);
		break;
	case BLK_REQ_T_FLUSH:
		lhv_blk_bdev_flush(r);
		break;
	case BLK_REQ_T_DISCARD:
	case BLK_REQ_T_WRITE_ZEROES:
		lhv_blk_bdev_dwz(r);
		break;
	default:
		lhv_blk_req_fail(r, BLK_REQ_S_UNSUPP);
		lhv_blk_req_put(r);
	}
}

const struct lhv_blk_io_ops lhv_blk_io_bdev = {
	.submit = lhv_blk_bdev_submit,
};
