// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Backings: opening a block device or regular file, the window a device
 * serves of it, and the registry of open windows that enforces the sharing
 * rules (docs/blk.md): windows on one backing may overlap only when all of
 * them are read-only, so two writers never share a sector; disjoint writable
 * windows on one backing are the point of windows and are allowed.
 */
#include <linux/blkdev.h>
#include <linux/fs.h>
#include <linux/mutex.h>
#include <linux/namei.h>
#include <linux/netlink.h>

#include "blk.h"

static DEFINE_MUTEX(lhv_blk_backings_lock);
static LIST_HEAD(lhv_blk_backings);
/* The holder of every exclusive (writable) block device claim we make. */
static char lhv_blk_holder;

/* Compared on the whole disk: a partition and its disk share sectors. */
static bool windows_overlap(const struct lhv_blk_backing *a,
			    const struct lhv_blk_backing *b)
{
	u64 a_start = a->base + a->start, b_start = b->base + b->start;

	return a_start < b_start + b->sectors && b_start < a_start + a->sectors;
}

static int registry_add(struct lhv_blk_backing *b,
			struct netlink_ext_ack *extack)
{
	struct lhv_blk_backing *o;

	mutex_lock(&lhv_blk_backings_lock);
	list_for_each_entry (o, &lhv_blk_backings, node) {
		if (o->key != b->key || !o->bdev != !b->bdev)
			continue;
		if (!windows_overlap(o, b) || (o->read_only && b->read_only))
			continue;
		mutex_unlock(&lhv_blk_backings_lock);
		lhv_blk_extack_fmt(extack,
				   "window overlaps another device's window on "
				   "this backing and one of them is writable",
				   "window overlaps %s's (sectors %llu+%llu) "
				   "and one is writable",
				   o->owner, o->start, o->sectors);
		return -EBUSY;
	}
	list_add_tail(&b->node, &lhv_blk_backings);
	mutex_unlock(&lhv_blk_backings_lock);
	return 0;
}

static void registry_del(struct lhv_blk_backing *b)
{
	mutex_lock(&lhv_blk_backings_lock);
	list_del(&b->node);
	mutex_unlock(&lhv_blk_backings_lock);
}

static int open_bdev(struct lhv_blk_backing *b, const char *path,
		     struct netlink_ext_ack *extack)
{
	struct block_device *bdev;
	struct lhv_blk_caps *c = &b->caps;
	int align, err;

	err = lhv_blk_bdev_open(&b->bdev_handle, path, !b->read_only,
				&lhv_blk_holder);
	if (err == -EBUSY) {
		NL_SET_ERR_MSG(extack, "block device is in use (mounted or "
				       "claimed by another holder)");
		return err;
	}
	if (err == -EACCES || err == -EROFS) {
		NL_SET_ERR_MSG(extack, "block device cannot be opened for "
				       "writing: use read-only");
		return err;
	}
	if (err) {
		NL_SET_ERR_MSG(extack, "cannot open the block device");
		return err;
	}
	bdev = b->bdev_handle.bdev;
	b->bdev = bdev;
	if (!b->read_only && bdev_read_only(bdev)) {
		NL_SET_ERR_MSG(extack,
			       "block device is read-only: use read-only");
		lhv_blk_bdev_close(&b->bdev_handle);
		b->bdev = NULL;
		return -EROFS;
	}
	/*
	 * Windows of a partition and of its whole disk (or of two partitions
	 * that overlap) must be compared on the same sectors.
	 */
	b->key = bdev_whole(bdev)->bd_dev;
	b->base = bdev_is_partition(bdev) ? bdev->bd_start_sect : 0;
	b->size = bdev_nr_sectors(bdev);
	c->logical_block = bdev_logical_block_size(bdev);
	c->physical_block = bdev_physical_block_size(bdev);
	align = bdev_alignment_offset(bdev);
	c->alignment_offset = align > 0 ? align : 0;
	c->io_min = bdev_io_min(bdev);
	c->io_opt = bdev_io_opt(bdev);
	c->max_discard_sectors = min_t(u64, bdev_max_discard_sectors(bdev),
				       LHV_BLK_DWZ_MAX_SECTORS);
	c->discard_granularity = bdev_discard_granularity(bdev) >> SECTOR_SHIFT;
	c->max_write_zeroes_sectors = min_t(
		u64, bdev_write_zeroes_sectors(bdev), LHV_BLK_DWZ_MAX_SECTORS);
	return 0;
}

static int open_file(struct lhv_blk_backing *b, const char *path,
		     struct netlink_ext_ack *extack)
{
	int flags = (b->read_only ? O_RDONLY : O_RDWR) | O_LARGEFILE;
	struct lhv_blk_caps *c = &b->caps;
	struct super_block *sb;
	struct file *f;

	f = filp_open(path, flags, 0);
	if (IS_ERR(f)) {
		NL_SET_ERR_MSG(extack, "cannot open the backing file");
		return PTR_ERR(f);
	}
	if (!f->f_op->read_iter || (!b->read_only && !f->f_op->write_iter)) {
		NL_SET_ERR_MSG(
			extack,
			"backing file does not support read_iter/write_iter");
		filp_close(f, NULL);
		return -EOPNOTSUPP;
	}
	b->file = f;
	b->key = (unsigned long)file_inode(f);
	b->size = i_size_read(file_inode(f)) >> SECTOR_SHIFT;
	sb = file_inode(f)->i_sb;
	c->logical_block = SECTOR_SIZE;
	c->physical_block = max_t(u32, sb->s_blocksize, SECTOR_SIZE);
	if (f->f_mode & FMODE_CAN_ODIRECT)
		c->dio_align = sb->s_bdev ? bdev_logical_block_size(sb->s_bdev)
					  : SECTOR_SIZE;
	if (f->f_op->fallocate) {
		/* Punch hole and zero range may still be refused per file
		 * system; write zeroes then falls back to writing zeroes.
		 */
		c->max_discard_sectors =
			round_down(LHV_BLK_DWZ_MAX_SECTORS,
				   c->physical_block >> SECTOR_SHIFT);
		c->discard_granularity = c->physical_block >> SECTOR_SHIFT;
	}
	c->max_write_zeroes_sectors = round_down(
		LHV_BLK_DWZ_MAX_SECTORS, c->physical_block >> SECTOR_SHIFT);
	return 0;
}

static int set_window(struct lhv_blk_backing *b, u64 start, u64 sectors,
		      struct netlink_ext_ack *extack)
{
	u64 lb = b->caps.logical_block >> SECTOR_SHIFT;
	u64 size = round_down(b->size, lb);

	if ((start | sectors) & (lb - 1)) {
		lhv_blk_extack_fmt(extack,
				   "window not aligned to the backing's "
				   "logical block size",
				   "window not aligned to the backing's "
				   "logical block (%u bytes)",
				   b->caps.logical_block);
		return -EINVAL;
	}
	if (start >= size || sectors > size - start) {
		lhv_blk_extack_fmt(
			extack, "window past the end of the backing",
			"window past the end of the backing (%llu sectors)",
			size);
		return -EINVAL;
	}
	b->start = start;
	b->sectors = sectors ? sectors : size - start;
	return 0;
}

static void close_handles(struct lhv_blk_backing *b)
{
	if (b->bdev)
		lhv_blk_bdev_close(&b->bdev_handle);
	if (b->file)
		filp_close(b->file, NULL);
	b->bdev = NULL;
	b->file = NULL;
}

int lhv_blk_backing_open(struct lhv_blk_backing *b, const char *path, u64 start,
			 u64 sectors, bool read_only,
			 struct netlink_ext_ack *extack)
{
	struct path p;
	umode_t mode;
	int err;

	err = kern_path(path, LOOKUP_FOLLOW, &p);
	if (err) {
		NL_SET_ERR_MSG(extack, "backing not found");
		return err;
	}
	mode = d_backing_inode(p.dentry)->i_mode;
	path_put(&p);

	b->read_only = read_only;
	if (S_ISBLK(mode)) {
		err = open_bdev(b, path, extack);
	} else if (S_ISREG(mode)) {
		err = open_file(b, path, extack);
	} else {
		NL_SET_ERR_MSG(
			extack,
			"backing is neither a block device nor a regular file");
		return -EINVAL;
	}
	if (err)
		return err;
	err = set_window(b, start, sectors, extack);
	if (!err)
		err = registry_add(b, extack);
	if (err)
		close_handles(b);
	return err;
}

void lhv_blk_backing_close(struct lhv_blk_backing *b)
{
	registry_del(b);
	close_handles(b);
}

void lhv_blk_backing_set_owner(struct lhv_blk_backing *b, const char *vm,
			       const char *dev)
{
	mutex_lock(&lhv_blk_backings_lock);
	snprintf(b->owner, sizeof(b->owner), "%s/%s", vm, dev);
	mutex_unlock(&lhv_blk_backings_lock);
}
