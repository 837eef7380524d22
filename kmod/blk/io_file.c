// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Regular file backing. Reads and writes go to the file through a bvec
 * iterator over the guest's pages: direct and asynchronous (->ki_complete)
 * when every piece is aligned for direct I/O, else buffered in a work item
 * so the queue's worker never waits for the page cache. FLUSH, DISCARD and
 * WRITE_ZEROES are synchronous file operations and run in work items too.
 */
#include <linux/fs.h>
#include <linux/falloc.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uio.h>

#include "blk.h"

/* Pieces written per call when writing zeroes by hand. */
#define LHV_BLK_ZERO_PAGES 16

static loff_t lhv_blk_pos(const struct lhv_blk_req *r, u64 sector)
{
	return (loff_t)(r->dev->backing.start + sector) << SECTOR_SHIFT;
}

static void lhv_blk_file_rw_done(struct lhv_blk_req *r, long ret)
{
	if (ret != (long)r->req.data_len)
		lhv_blk_req_fail(r, BLK_REQ_S_IOERR);
	kfree(r->bvec);
	r->bvec = NULL;
	lhv_blk_req_put(r);
}

/* ->ki_complete of direct I/O; any context. */
static void lhv_blk_file_complete(struct kiocb *iocb, long ret)
{
	struct lhv_blk_req *r = container_of(iocb, struct lhv_blk_req, iocb);

	if (r->req.type == BLK_REQ_T_OUT)
		kiocb_end_write(iocb);
	lhv_blk_file_rw_done(r, ret);
}

/* The guest's data as bio_vecs, one per page piece. */
static int lhv_blk_build_bvec(struct lhv_blk_req *r)
{
	unsigned int i, n = 0;

	for (i = 0; i < r->req.nr_data; i++)
		n += DIV_ROUND_UP(offset_in_page(r->req.data[i].addr) +
					  r->req.data[i].len,
				  PAGE_SIZE);
	r->bvec = kmalloc_array(n, sizeof(*r->bvec), GFP_NOIO);
	if (!r->bvec)
		return -ENOMEM;
	n = 0;
	for (i = 0; i < r->req.nr_data; i++) {
		u8 *p = r->req.data[i].addr;
		u32 len = r->req.data[i].len;

		while (len) {
			u32 off = offset_in_page(p);
			u32 part = min_t(u32, len, PAGE_SIZE - off);

			if (!virt_addr_valid(p))
				return -EFAULT;
			r->bvec[n].bv_page = virt_to_page(p);
			r->bvec[n].bv_offset = off;
			r->bvec[n].bv_len = part;
			n++;
			p += part;
			len -= part;
		}
	}
	r->nr_bvec = n;
	return 0;
}

static bool lhv_blk_dio_ok(const struct lhv_blk_req *r)
{
	u32 mask = r->dev->backing.caps.dio_align - 1;
	unsigned int i;

	if (!r->dev->backing.caps.dio_align ||
	    (lhv_blk_pos(r, r->req.sector) & mask))
		return false;
	for (i = 0; i < r->req.nr_data; i++)
		if (((unsigned long)r->req.data[i].addr | r->req.data[i].len) &
		    mask)
			return false;
	return true;
}

static ssize_t lhv_blk_file_issue(struct lhv_blk_req *r, bool direct)
{
	struct file *f = r->dev->backing.file;
	bool write = r->req.type == BLK_REQ_T_OUT;

	iov_iter_bvec(&r->iter, write ? ITER_SOURCE : ITER_DEST, r->bvec,
		      r->nr_bvec, r->req.data_len);
	memset(&r->iocb, 0, sizeof(r->iocb));
	r->iocb.ki_filp = f;
	r->iocb.ki_pos = lhv_blk_pos(r, r->req.sector);
	if (direct) {
		r->iocb.ki_flags = IOCB_DIRECT;
		r->iocb.ki_complete = lhv_blk_file_complete;
	}
	if (!write)
		return vfs_iocb_iter_read(f, &r->iocb, &r->iter);
	r->iocb.ki_flags |= IOCB_WRITE;
	if (lhv_blk_writethrough(r->dev))
		r->iocb.ki_flags |= IOCB_DSYNC;
	kiocb_start_write(&r->iocb);
	return vfs_iocb_iter_write(f, &r->iocb, &r->iter);
}

static void lhv_blk_file_buffered_work(struct work_struct *work)
{
	struct lhv_blk_req *r = container_of(work, struct lhv_blk_req, work);
	ssize_t ret = lhv_blk_file_issue(r, false);

	if (r->req.type == BLK_REQ_T_OUT)
		kiocb_end_write(&r->iocb);
	lhv_blk_file_rw_done(r, ret);
}

static void lhv_blk_file_rw(struct lhv_blk_req *r)
{
	ssize_t ret;

	if (lhv_blk_build_bvec(r)) {
		lhv_blk_file_rw_done(r, -EIO);
		return;
	}
	if (lhv_blk_dio_ok(r)) {
		ret = lhv_blk_file_issue(r, true);
		if (ret == -EIOCBQUEUED)
			return;
		if (ret != -EINVAL) {
			lhv_blk_file_complete(&r->iocb, ret);
			return;
		}
		/* The file system wants another alignment: go buffered. */
		if (r->req.type == BLK_REQ_T_OUT)
			kiocb_end_write(&r->iocb);
	}
	INIT_WORK(&r->work, lhv_blk_file_buffered_work);
	queue_work(lhv_blk_wq, &r->work);
}

static int lhv_blk_file_write_zeroes(struct file *f, loff_t pos, u64 len)
{
	struct bio_vec bv[LHV_BLK_ZERO_PAGES];
	struct iov_iter iter;
	unsigned int i, n;
	ssize_t ret = 0;
	size_t chunk;

	file_start_write(f);
	while (len) {
		chunk = min_t(u64, len, LHV_BLK_ZERO_PAGES * PAGE_SIZE);
		n = DIV_ROUND_UP(chunk, PAGE_SIZE);
		for (i = 0; i < n; i++) {
			bv[i].bv_page = ZERO_PAGE(0);
			bv[i].bv_offset = 0;
			bv[i].bv_len =
				min_t(size_t, PAGE_SIZE, chunk - i * PAGE_SIZE);
		}
		iov_iter_bvec(&iter, ITER_SOURCE, bv, n, chunk);
		ret = vfs_iter_write(f, &iter, &pos, 0);
		if (ret <= 0)
			break;
		len -= ret;
	}
	file_end_write(f);
	if (ret < 0)
		return ret;
	return len ? -EIO : 0;
}

static int lhv_blk_file_range(struct lhv_blk_req *r,
			      const struct blk_req_range *g)
{
	struct file *f = r->dev->backing.file;
	loff_t pos = lhv_blk_pos(r, g->sector);
	u64 len = (u64)g->num_sectors << SECTOR_SHIFT;
	int mode, err;

	if (r->req.type == BLK_REQ_T_DISCARD) {
		err = vfs_fallocate(f,
				    FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
				    pos, len);
		/* Discard is a hint (5.2.6): a file that cannot punch is fine. */
		return err == -EOPNOTSUPP ? 0 : err;
	}
	mode = FALLOC_FL_KEEP_SIZE |
	       (g->unmap ? FALLOC_FL_PUNCH_HOLE : FALLOC_FL_ZERO_RANGE);
	err = vfs_fallocate(f, mode, pos, len);
	if (err == -EOPNOTSUPP)
		err = lhv_blk_file_write_zeroes(f, pos, len);
	if (!err && lhv_blk_writethrough(r->dev))
		err = vfs_fsync_range(f, pos, pos + len - 1, 1);
	return err;
}

static void lhv_blk_file_sync_work(struct work_struct *work)
{
	struct lhv_blk_req *r = container_of(work, struct lhv_blk_req, work);
	unsigned int i;
	int err = 0;

	if (r->req.type == BLK_REQ_T_FLUSH)
		err = vfs_fsync(r->dev->backing.file, 0);
	for (i = 0; !err && i < r->req.nr_ranges; i++)
		err = lhv_blk_file_range(r, &r->req.ranges[i]);
	if (err)
		lhv_blk_req_fail(r, BLK_REQ_S_IOERR);
	lhv_blk_req_put(r);
}

static void lhv_blk_file_submit(struct lhv_blk_req *r)
{
	switch (r->req.type) {
	case BLK_REQ_T_IN:
	case BLK_REQ_T_OUT:
		lhv_blk_file_rw(r);
		break;
	case BLK_REQ_T_FLUSH:
	case BLK_REQ_T_DISCARD:
	case BLK_REQ_T_WRITE_ZEROES:
		INIT_WORK(&r->work, lhv_blk_file_sync_work);
		queue_work(lhv_blk_wq, &r->work);
		break;
	default:
		lhv_blk_req_fail(r, BLK_REQ_S_UNSUPP);
		lhv_blk_req_put(r);
	}
}

const struct lhv_blk_io_ops lhv_blk_io_file = {
	.submit = lhv_blk_file_submit,
};
