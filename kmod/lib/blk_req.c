// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * virtio-blk request parser; the contract is in blk_req.h, the refusals in
 * docs/blk.md. The guest may rewrite its buffers at any time, so the header
 * and every range are copied once and only the copies are checked and used.
 */
#include "blk_req.h"
#include "seg_copy.h"

#define HDR_LEN ((uint32_t)sizeof(struct blk_req_hdr))
#define DWZ_LEN ((uint32_t)sizeof(struct blk_req_dwz))

static bool has_feature(const struct blk_req_limits *l, unsigned int bit)
{
	return (l->features >> bit) & 1;
}

/* A sector range against the window and the logical block size. */
static bool range_ok(const struct blk_req_limits *l, uint64_t sector,
		     uint64_t sectors)
{
	uint64_t lb_sectors = l->logical_block >> BLK_REQ_SECTOR_SHIFT;

	if (lb_sectors > 1 && ((sector | sectors) & (lb_sectors - 1)))
		return false;
	return sector <= l->capacity && sectors <= l->capacity - sector;
}

static int check_rw(const struct blk_req_limits *l, struct blk_req *req)
{
	if (req->data_len % BLK_REQ_SECTOR_SIZE)
		return BLK_REQ_S_IOERR;
	if (!range_ok(l, req->sector, req->data_len >> BLK_REQ_SECTOR_SHIFT))
		return BLK_REQ_S_IOERR;
	/* Nothing to move: done, without I/O. */
	return req->data_len ? BLK_REQ_DO_IO : (int)BLK_REQ_S_OK;
}

static void take_readable_data(const struct virtq_chain *c, struct blk_req *req)
{
	req->data_len = c->readable_len - HDR_LEN;
	req->nr_data = seg_slice(c->segs, 0, c->nr_readable, HDR_LEN,
				 req->data_len, req->data);
}

static void take_writable_data(const struct virtq_chain *c, struct blk_req *req)
{
	req->data_len = c->writable_len - 1;
	req->nr_data = seg_slice(c->segs, c->nr_readable, c->nr_segs, 0,
				 req->data_len, req->data);
}

static int parse_ranges(const struct virtq_chain *c,
			const struct blk_req_limits *l, struct blk_req *req,
			uint32_t max_ranges)
{
	bool discard = req->type == BLK_REQ_T_DISCARD;
	uint32_t max_seg =
		discard ? l->max_discard_seg : l->max_write_zeroes_seg;
	uint32_t max_sectors =
		discard ? l->max_discard_sectors : l->max_write_zeroes_sectors;
	uint32_t n, i;

	if (!has_feature(l,
			 discard ? BLK_REQ_F_DISCARD : BLK_REQ_F_WRITE_ZEROES))
		return BLK_REQ_S_UNSUPP;
	if (l->read_only)
		return BLK_REQ_S_IOERR;

	take_readable_data(c, req);
	n = req->data_len / DWZ_LEN;
	if (!n || req->data_len % DWZ_LEN || n > max_seg || n > max_ranges)
		return BLK_REQ_S_IOERR;

	for (i = 0; i < n; i++) {
		struct blk_req_dwz raw;
		uint32_t flags;

		seg_read(req->data, req->nr_data, i * DWZ_LEN, &raw, DWZ_LEN);
		flags = lhv_le32_to_cpu(raw.flags);
		req->ranges[i].sector = lhv_le64_to_cpu(raw.sector);
		req->ranges[i].num_sectors = lhv_le32_to_cpu(raw.num_sectors);
		req->ranges[i].unmap = flags & BLK_REQ_DWZ_F_UNMAP;
		/* 5.2.6.2: unknown flags, or UNMAP on a discard, are UNSUPP. */
		if ((flags & ~BLK_REQ_DWZ_F_UNMAP) ||
		    (discard && req->ranges[i].unmap))
			return BLK_REQ_S_UNSUPP;
	}
	for (i = 0; i < n; i++) {
		const struct blk_req_range *r = &req->ranges[i];

		if (!r->num_sectors || r->num_sectors > max_sectors ||
		    !range_ok(l, r->sector, r->num_sectors))
			return BLK_REQ_S_IOERR;
	}
	/* The ranges are copied: the data segments are of no further use. */
	req->nr_data = 0;
	req->data_len = 0;
	req->nr_ranges = (uint16_t)n;
	return BLK_REQ_DO_IO;
}

static int parse_type(const struct virtq_chain *c,
		      const struct blk_req_limits *l, struct blk_req *req,
		      uint32_t max_ranges)
{
	switch (req->type) {
	case BLK_REQ_T_IN:
		take_writable_data(c, req);
		return check_rw(l, req);
	case BLK_REQ_T_OUT:
		if (l->read_only)
			return BLK_REQ_S_IOERR;
		take_readable_data(c, req);
		return check_rw(l, req);
	case BLK_REQ_T_FLUSH:
		if (!has_feature(l, BLK_REQ_F_FLUSH))
			return BLK_REQ_S_UNSUPP;
		/* Nothing was ever written: nothing to make durable. */
		return l->read_only ? (int)BLK_REQ_S_OK : BLK_REQ_DO_IO;
	case BLK_REQ_T_GET_ID:
		take_writable_data(c, req);
		return req->data_len ? BLK_REQ_DO_IO : (int)BLK_REQ_S_IOERR;
	case BLK_REQ_T_DISCARD:
	case BLK_REQ_T_WRITE_ZEROES:
		return parse_ranges(c, l, req, max_ranges);
	default:
		/* GET_LIFETIME, SECURE_ERASE, zoned and unknown types. */
		return BLK_REQ_S_UNSUPP;
	}
}

int blk_req_parse(const struct virtq_chain *c, const struct blk_req_limits *l,
		  struct blk_req *req, struct virtq_seg *data,
		  struct blk_req_range *ranges, uint32_t max_ranges)
{
	const struct virtq_seg *last;
	struct blk_req_hdr hdr;
	int answer;

	memset(req, 0, sizeof(*req));
	req->data = data;
	req->ranges = ranges;
	req->answer = BLK_REQ_S_IOERR;
	if (!c->nr_writable || !c->writable_len || !c->nr_segs)
		return -EPROTO;
	/* Writable segments come last: the status is the very last byte. */
	last = &c->segs[c->nr_segs - 1];
	if (!last->writable || !last->len)
		return -EPROTO;
	req->status = (uint8_t *)last->addr + last->len - 1;

	if (c->readable_len < HDR_LEN)
		return 0; /* answered IOERR: we cannot tell what was asked */
	seg_read(c->segs, c->nr_readable, 0, &hdr, HDR_LEN);
	req->type = lhv_le32_to_cpu(hdr.type);
	req->sector = lhv_le64_to_cpu(hdr.sector);

	answer = parse_type(c, l, req, max_ranges);
	if (answer != BLK_REQ_DO_IO) {
		/* Refused or trivially done: the backend touches no data. */
		req->nr_data = 0;
		req->data_len = 0;
		req->nr_ranges = 0;
	}
	req->answer = answer;
	return 0;
}

uint32_t blk_req_copy_to_data(const struct blk_req *req, const void *src,
			      uint32_t len)
{
	if (len > req->data_len)
		len = req->data_len;
	return seg_write(req->data, req->nr_data, 0, src, len);
}

uint32_t blk_req_complete(const struct blk_req *req, uint8_t status,
			  uint32_t data_written)
{
	LHV_WRITE_ONCE(*req->status, status);
	if (status != BLK_REQ_S_OK)
		return 1;
	return data_written + 1;
}
