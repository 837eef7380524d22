/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Internal interface of lhv_blk.ko, the virtio-blk backend: what its files
 * share. Nothing here is ABI; the ABI is uapi/lhv/netlink.h (enum
 * lhv_blk_attr) and the virtio-blk device itself (VIRTIO 1.2, 5.2).
 */
#ifndef LHV_BLK_H
#define LHV_BLK_H

#include <linux/atomic.h>
#include <linux/bio.h>
#include <linux/completion.h>
#include <linux/fs.h>
#include <linux/list.h>
#include <lhv/vm_layout.h>
#include <linux/types.h>
#include <linux/uio.h>
#include <linux/workqueue.h>
#include <lhv/netlink.h>

#include "lhv_vdev.h"
#include "blk_req.h"
#include "compat.h"

#define LHV_BLK_VIRTIO_ID 2 /* VIRTIO_ID_BLOCK */
/*
 * Largest segment (size_max): one user-VM RAM chunk, so a descriptor the
 * walker cuts at chunk edges gives at most two segments.
 */
#define LHV_BLK_SIZE_MAX ((u32)LHV_VM_RAM_ALIGN)
/* Segments of a chain: header and data descriptors cut in two, status. */
#define LHV_BLK_MAX_SEGS(queue_size) (2 * (queue_size))
/* Ranges per discard/write-zeroes request we accept (max_*_seg). */
#define LHV_BLK_DWZ_SEGS 16u
/* A range becomes one bio: its bytes must fit bi_size (32 bits). */
#define LHV_BLK_DWZ_MAX_SECTORS (UINT_MAX >> SECTOR_SHIFT)

/* Device-specific feature bits (5.2.3). */
#define LHV_BLK_F_SIZE_MAX 1
#define LHV_BLK_F_SEG_MAX 2
#define LHV_BLK_F_RO 5
#define LHV_BLK_F_BLK_SIZE 6
#define LHV_BLK_F_FLUSH 9
#define LHV_BLK_F_TOPOLOGY 10
#define LHV_BLK_F_CONFIG_WCE 11
#define LHV_BLK_F_MQ 12
#define LHV_BLK_F_DISCARD 13
#define LHV_BLK_F_WRITE_ZEROES 14

/* Configuration space (5.2.4), little endian, up to the secure-erase fields. */
struct lhv_blk_config {
	__le64 capacity;
	__le32 size_max;
	__le32 seg_max;
	__le16 cylinders;
	u8 heads;
	u8 sectors;
	__le32 blk_size;
	u8 physical_block_exp;
	u8 alignment_offset;
	__le16 min_io_size;
	__le32 opt_io_size;
	u8 writeback;
	u8 unused0;
	__le16 num_queues;
	__le32 max_discard_sectors;
	__le32 max_discard_seg;
	__le32 discard_sector_alignment;
	__le32 max_write_zeroes_sectors;
	__le32 max_write_zeroes_seg;
	u8 write_zeroes_may_unmap;
	u8 unused1[3];
	__le32 max_secure_erase_sectors;
	__le32 max_secure_erase_seg;
	__le32 secure_erase_sector_alignment;
} __packed;

/* What a backing offers, found when it is opened. */
struct lhv_blk_caps {
	u32 logical_block;	 /* bytes */
	u32 physical_block;	 /* bytes */
	u32 alignment_offset;	 /* bytes */
	u32 io_min, io_opt;	 /* bytes */
	u32 dio_align;		 /* file: alignment for direct I/O; 0 = none */
	u32 max_discard_sectors; /* 0: no discard */
	u32 discard_granularity; /* sectors */
	u32 max_write_zeroes_sectors; /* 0: no write zeroes */
};

/* An open backing with the window this device serves. */
struct lhv_blk_backing {
	struct file *file;	   /* regular file backing, else NULL */
	struct block_device *bdev; /* block device backing, else NULL */
	struct lhv_blk_bdev_handle bdev_handle;
	unsigned long key;  /* registry key: whole disk's dev_t, or inode */
	u64 base;	    /* partition's first sector on the whole disk */
	u64 start, sectors; /* the window, 512-byte sectors */
	u64 size;	    /* backing size in sectors at open */
	bool read_only;
	struct lhv_blk_caps caps;
	struct list_head node; /* in the registry (backing.c) */
	/* "<vm>/<dev>" for refusal messages; under the registry lock. */
	char owner[LHV_VM_NAME_MAX + LHV_DEV_NAME_MAX + 16];
};

struct lhv_blk_req;

/* How requests reach a kind of backing (io_bdev.c, io_file.c). */
struct lhv_blk_io_ops {
	/*
	 * Start r (IN, OUT, FLUSH, DISCARD, WRITE_ZEROES); may sleep. Owns
	 * one reference of r->pending and drops it with lhv_blk_req_put().
	 */
	void (*submit)(struct lhv_blk_req *r);
};

struct lhv_blk_dev {
	struct lhv_vdev vdev;
	struct lhv_blk_backing backing;
	const struct lhv_blk_io_ops *io;
	struct lhv_blk_config config;	 /* as the driver reads it */
	spinlock_t config_lock;		 /* config vs set_config */
	u8 initial_writeback;		 /* from LHV_BLK_ATTR_CACHE */
	bool writeback;			 /* effective cache mode (start/WCE) */
	struct blk_req_limits limits;	 /* for the parser, set at start */
	char serial[LHV_BLK_SERIAL_MAX]; /* NUL-padded, if serial_set */
	bool serial_set;		 /* from LHV_BLK_ATTR_SERIAL */
	char *path;			 /* the backing as configured */
	unsigned int queue_size;
	struct virtq_seg **scratch; /* per queue: parsed data segments */
	/* Requests in flight + 1 while started; stop drains it. */
	atomic_t inflight;
	struct completion drained;
};

/* One request between parse and completion. */
struct lhv_blk_req {
	struct lhv_blk_dev *dev;
	struct lhv_vq *vq;
	struct blk_req req; /* data is only valid during submit */
	u16 head;
	atomic_t pending; /* bios/iocbs in flight + 1 (the submitter) */
	u8 status;	  /* BLK_REQ_S_*: OK until something fails */
	struct blk_req_range ranges[LHV_BLK_DWZ_SEGS];
	/* File backing. */
	struct kiocb iocb;
	struct iov_iter iter;
	struct bio_vec *bvec;
	unsigned int nr_bvec;
	struct work_struct work;
};

static inline struct lhv_blk_dev *to_blk_dev(struct lhv_vdev *vdev)
{
	return container_of(vdev, struct lhv_blk_dev, vdev);
}

/* main.c: module parameters. */
extern unsigned int lhv_blk_default_queues;
extern unsigned int lhv_blk_default_queue_size;
extern struct workqueue_struct *lhv_blk_wq;

/* device.c: config space, features and the vdev ops. */
extern const struct lhv_vdev_ops lhv_blk_vdev_ops;
void lhv_blk_dev_init_config(struct lhv_blk_dev *dev, unsigned int queues);
/* The GET_ID string: 20 bytes, NUL-padded, not necessarily terminated. */
void lhv_blk_serial(struct lhv_blk_dev *dev, char *out);

/* request.c: parse, dispatch, complete. */
int lhv_blk_req_cache_init(void);
void lhv_blk_req_cache_exit(void);
void lhv_blk_handle_request(struct lhv_vq *vq, const struct virtq_chain *c);
/* Record a failure status; the first one wins. */
void lhv_blk_req_fail(struct lhv_blk_req *r, u8 status);
/* Drop one reference of r->pending; the last completes the request. */
void lhv_blk_req_put(struct lhv_blk_req *r);
/* Whether writes must be durable when done (writethrough). */
bool lhv_blk_writethrough(struct lhv_blk_dev *dev);

/* backing.c: open/close, the window, the registry of open backings. */
int lhv_blk_backing_open(struct lhv_blk_backing *b, const char *path, u64 start,
			 u64 sectors, bool read_only,
			 struct netlink_ext_ack *extack);
void lhv_blk_backing_close(struct lhv_blk_backing *b);
void lhv_blk_backing_set_owner(struct lhv_blk_backing *b, const char *vm,
			       const char *dev);

/* io_bdev.c, io_file.c */
extern const struct lhv_blk_io_ops lhv_blk_io_bdev;
extern const struct lhv_blk_io_ops lhv_blk_io_file;
int lhv_blk_bioset_init(void);
void lhv_blk_bioset_exit(void);

#endif /* LHV_BLK_H */
