// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The virtio-blk device as the driver sees it: features and configuration
 * space from the backing's limits (VIRTIO 1.2, 5.2.3-5.2.5), the writable
 * cache mode (CONFIG_WCE), and the start/stop of the device.
 */
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/spinlock.h>

#include "lhv.h"
#include "blk.h"

static bool negotiated(const struct lhv_vdev *vdev, unsigned int bit)
{
	return vdev->features & BIT_ULL(bit);
}

/* Guest-visible alignment of the window's first sector, in logical blocks. */
static u8 window_alignment(const struct lhv_blk_backing *b)
{
	u32 lb = b->caps.logical_block;
	u32 phys = max(b->caps.physical_block, lb);
	u32 skew = (u32)((b->start << SECTOR_SHIFT) % phys);

	return ((b->caps.alignment_offset + phys - skew) % phys) / lb;
}

void lhv_blk_dev_init_config(struct lhv_blk_dev *dev, unsigned int queues)
{
	const struct lhv_blk_backing *b = &dev->backing;
	const struct lhv_blk_caps *caps = &b->caps;
	struct lhv_blk_config *cfg = &dev->config;
	u32 lb = caps->logical_block;
	u64 f;

	BUILD_BUG_ON(offsetof(struct lhv_blk_config, writeback) != 32);
	BUILD_BUG_ON(offsetof(struct lhv_blk_config, max_discard_sectors) !=
		     36);
	BUILD_BUG_ON(offsetof(struct lhv_blk_config, write_zeroes_may_unmap) !=
		     56);
	BUILD_BUG_ON(sizeof(struct lhv_blk_config) != 72);

	f = BIT_ULL(LHV_BLK_F_SIZE_MAX) | BIT_ULL(LHV_BLK_F_SEG_MAX) |
	    BIT_ULL(LHV_BLK_F_BLK_SIZE) | BIT_ULL(LHV_BLK_F_TOPOLOGY) |
	    BIT_ULL(LHV_BLK_F_FLUSH) | BIT_ULL(LHV_BLK_F_CONFIG_WCE);
	memset(cfg, 0, sizeof(*cfg));
	cfg->capacity = cpu_to_le64(b->sectors);
	/* A chain is header + data segments + status within one queue. */
	cfg->seg_max = cpu_to_le32(max(dev->queue_size, 3u) - 2);
	/*
	 * Data segments of at most one chunk: with the 16-byte header (at
	 * most 2 pieces) and the status byte, a chain the driver keeps within
	 * these limits never exceeds LHV_BLK_MAX_SEGS pieces.
	 */
	cfg->size_max = cpu_to_le32(LHV_BLK_SIZE_MAX);
	cfg->blk_size = cpu_to_le32(lb);
	cfg->physical_block_exp = ilog2(max(caps->physical_block, lb) / lb);
	cfg->alignment_offset = window_alignment(b);
	cfg->min_io_size =
		cpu_to_le16(clamp_t(u32, caps->io_min / lb, 1, U16_MAX));
	cfg->opt_io_size = cpu_to_le32(caps->io_opt / lb);
	cfg->writeback = dev->initial_writeback;
	cfg->num_queues = cpu_to_le16(queues);
	if (queues > 1)
		f |= BIT_ULL(LHV_BLK_F_MQ);

	if (b->read_only) {
		f |= BIT_ULL(LHV_BLK_F_RO);
	} else {
		if (caps->max_discard_sectors) {
			f |= BIT_ULL(LHV_BLK_F_DISCARD);
			cfg->max_discard_sectors =
				cpu_to_le32(caps->max_discard_sectors);
			cfg->max_discard_seg = cpu_to_le32(LHV_BLK_DWZ_SEGS);
			cfg->discard_sector_alignment =
				cpu_to_le32(caps->discard_granularity);
		}
		if (caps->max_write_zeroes_sectors) {
			f |= BIT_ULL(LHV_BLK_F_WRITE_ZEROES);
			cfg->max_write_zeroes_sectors =
				cpu_to_le32(caps->max_write_zeroes_sectors);
			cfg->max_write_zeroes_seg =
				cpu_to_le32(LHV_BLK_DWZ_SEGS);
			cfg->write_zeroes_may_unmap =
				!!caps->max_discard_sectors;
		}
	}
	dev->vdev.device_features = f;
}

/* Without a configured serial: "lhv-<vm>-<dev>", cut to 20 bytes. */
void lhv_blk_serial(struct lhv_blk_dev *dev, char *out)
{
	char buf[LHV_VM_NAME_MAX + LHV_DEV_NAME_MAX + 8];

	memset(out, 0, LHV_BLK_SERIAL_MAX);
	if (dev->serial_set) {
		memcpy(out, dev->serial, LHV_BLK_SERIAL_MAX);
		return;
	}
	snprintf(buf, sizeof(buf), "lhv-%s-%s", dev->vdev.vm->name,
		 dev->vdev.name);
	memcpy(out, buf, strnlen(buf, LHV_BLK_SERIAL_MAX));
}

static void lhv_blk_get_config(struct lhv_vdev *vdev, unsigned int off,
			       void *buf, unsigned int len)
{
	struct lhv_blk_dev *dev = to_blk_dev(vdev);
	unsigned long flags;

	spin_lock_irqsave(&dev->config_lock, flags);
	memcpy(buf, (u8 *)&dev->config + off, len);
	spin_unlock_irqrestore(&dev->config_lock, flags);
}

/* Only writeback is writable, and only with CONFIG_WCE (5.2.5). */
static void lhv_blk_set_config(struct lhv_vdev *vdev, unsigned int off,
			       const void *buf, unsigned int len)
{
	struct lhv_blk_dev *dev = to_blk_dev(vdev);
	unsigned int wb = offsetof(struct lhv_blk_config, writeback);
	unsigned long flags;
	u8 v;

	if (off > wb || off + len <= wb ||
	    !negotiated(vdev, LHV_BLK_F_CONFIG_WCE))
		return;
	v = !!((const u8 *)buf)[wb - off];
	spin_lock_irqsave(&dev->config_lock, flags);
	dev->config.writeback = v;
	WRITE_ONCE(dev->writeback, v && negotiated(vdev, LHV_BLK_F_FLUSH));
	spin_unlock_irqrestore(&dev->config_lock, flags);
}

bool lhv_blk_writethrough(struct lhv_blk_dev *dev)
{
	return !READ_ONCE(dev->writeback);
}

static int lhv_blk_start(struct lhv_vdev *vdev)
{
	struct lhv_blk_dev *dev = to_blk_dev(vdev);
	const struct lhv_blk_caps *caps = &dev->backing.caps;
	unsigned long flags;

	dev->limits = (struct blk_req_limits){
		.capacity = dev->backing.sectors,
		.features = vdev->features,
		.read_only = dev->backing.read_only,
		.logical_block = caps->logical_block,
		.max_discard_sectors = caps->max_discard_sectors,
		.max_discard_seg = LHV_BLK_DWZ_SEGS,
		.max_write_zeroes_sectors = caps->max_write_zeroes_sectors,
		.max_write_zeroes_seg = LHV_BLK_DWZ_SEGS,
	};
	/* Without FLUSH the driver cannot flush: writethrough (5.2.5.2). */
	spin_lock_irqsave(&dev->config_lock, flags);
	if (!negotiated(vdev, LHV_BLK_F_FLUSH))
		dev->config.writeback = 0;
	WRITE_ONCE(dev->writeback, dev->config.writeback);
	spin_unlock_irqrestore(&dev->config_lock, flags);

	atomic_set(&dev->inflight, 1);
	reinit_completion(&dev->drained);
	return 0;
}

/* Wait for every request in flight, then forget the driver's choices. */
static void lhv_blk_stop(struct lhv_vdev *vdev)
{
	struct lhv_blk_dev *dev = to_blk_dev(vdev);
	unsigned long flags;

	if (!atomic_dec_and_test(&dev->inflight))
		wait_for_completion(&dev->drained);
	if (lhv_blk_wq)
		flush_workqueue(lhv_blk_wq);
	spin_lock_irqsave(&dev->config_lock, flags);
	dev->config.writeback = dev->initial_writeback;
	spin_unlock_irqrestore(&dev->config_lock, flags);
}

const struct lhv_vdev_ops lhv_blk_vdev_ops = {
	.get_config = lhv_blk_get_config,
	.set_config = lhv_blk_set_config,
	.start = lhv_blk_start,
	.stop = lhv_blk_stop,
	.handle_request = lhv_blk_handle_request,
};
