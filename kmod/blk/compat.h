/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Differences between the kernels lhv_blk builds against (Debian 6.1 and
 * 6.12), kept in one place so the other files read as plain kernel code:
 * how a block device is opened and released.
 */
#ifndef LHV_BLK_COMPAT_H
#define LHV_BLK_COMPAT_H

#include <linux/blkdev.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/netlink.h>
#include <linux/printk.h>
#include <linux/version.h>

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0)
/* 6.9: block devices are opened as a struct file. */
#define LHV_BLK_BDEV_FILE 1
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
#error "lhv_blk supports block device opening of 6.1-6.4 and 6.9+ kernels"
#endif

struct lhv_blk_bdev_handle {
	struct block_device *bdev;
#ifdef LHV_BLK_BDEV_FILE
	struct file *file;
#else
	fmode_t mode;
#endif
};

/*
 * Open the block device at path: read-only, or read-write and claimed
 * exclusively for holder (another exclusive opener, e.g. a mount, is
 * refused with -EBUSY; the same holder may claim it again).
 */
static inline int lhv_blk_bdev_open(struct lhv_blk_bdev_handle *h,
				    const char *path, bool write, void *holder)
{
#ifdef LHV_BLK_BDEV_FILE
	blk_mode_t mode = BLK_OPEN_READ | (write ? BLK_OPEN_WRITE : 0);
	struct file *f;

	f = bdev_file_open_by_path(path, mode, write ? holder : NULL, NULL);
	if (IS_ERR(f))
		return PTR_ERR(f);
	h->file = f;
	h->bdev = file_bdev(f);
#else
	fmode_t mode = FMODE_READ | (write ? FMODE_WRITE | FMODE_EXCL : 0);
	struct block_device *bdev;

	bdev = blkdev_get_by_path(path, mode, write ? holder : NULL);
	if (IS_ERR(bdev))
		return PTR_ERR(bdev);
	h->mode = mode;
	h->bdev = bdev;
#endif
	return 0;
}

static inline void lhv_blk_bdev_close(struct lhv_blk_bdev_handle *h)
{
#ifdef LHV_BLK_BDEV_FILE
	bdev_fput(h->file);
#else
	blkdev_put(h->bdev, h->mode);
#endif
	h->bdev = NULL;
}

/*
 * 6.2 added formatted extack messages. Before, the refusal carries the
 * fixed text and the numbers go to the kernel log.
 */
#ifdef NL_SET_ERR_MSG_FMT
#define lhv_blk_extack_fmt(extack, fixed, fmt, ...)                            \
	NL_SET_ERR_MSG_FMT(extack, fmt, ##__VA_ARGS__)
#else
#define lhv_blk_extack_fmt(extack, fixed, fmt, ...)                            \
	do {                                                                   \
		NL_SET_ERR_MSG(extack, fixed);                                 \
		pr_info("lhv_blk: " fmt "\n", ##__VA_ARGS__);                  \
	} while (0)
#endif

#endif /* LHV_BLK_COMPAT_H */
