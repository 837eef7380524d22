// SPDX-License-Identifier: BSD-3-Clause
/*
 * libFuzzer harness for the virtio-blk request parser (kmod/lib/blk_req.c).
 * The input is a small header (limits and a chain layout: up to MAX_SEGS
 * segments as offset, length and direction into the image) followed by
 * the guest memory image. The chain is built the way virtq_pop hands it
 * over (readable segments first; each buffer cut into pieces at multiples
 * of the header's split, as the walker cuts buffers that cross guest
 * memory chunks), parsed, and every promise of blk_req.h
 * is checked: data and status inside the chain's writable/readable bytes,
 * the status outside the data, ranges and sectors inside the window, a
 * refusal with no data. The image sits in its own heap block, so ASan
 * reports any access beyond it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "blk_req.h"

#define MAX_SEGS 16u
#define MAX_PIECES 128u /* segments after splitting; more are dropped */
#define MAX_RANGES 8u

struct fuzz_seg {
	uint16_t off;
	uint16_t len;
};

struct fuzz_blk_header {
	uint8_t features; /* bit 0 FLUSH, 1 DISCARD, 2 WRITE_ZEROES */
	uint8_t flags;	  /* bit 0 read-only; bits 4-5 logical block shift */
	uint8_t nr_segs;  /* % (MAX_SEGS + 1) */
	uint8_t writable; /* bit i: segment i is writable */
	uint32_t capacity;
	uint16_t max_discard_seg;
	uint16_t max_write_zeroes_seg;
	uint32_t max_discard_sectors;
	uint32_t max_write_zeroes_sectors;
	struct fuzz_seg segs[MAX_SEGS];
	uint16_t split; /* buffers split at image offsets divisible by it */
};

/* Append [off, off + len) of the image as pieces that do not cross split. */
static void add_buffer(struct virtq_chain *c, uint8_t *img, uint32_t off,
		       uint32_t len, bool w, uint32_t split)
{
	struct virtq_seg *s;
	uint32_t part;

	while (len && c->nr_segs < c->max_segs) {
		part = split ? split - off % split : len;
		if (part > len)
			part = len;
		s = &c->segs[c->nr_segs++];
		s->addr = img + off;
		s->gpa = 0x1000 + off;
		s->len = part;
		s->writable = w;
		if (w) {
			c->nr_writable++;
			c->writable_len += part;
		} else {
			c->nr_readable++;
			c->readable_len += part;
		}
		off += part;
		len -= part;
	}
}

static void check_req(const struct virtq_chain *c,
		      const struct blk_req_limits *l, const struct blk_req *r,
		      const uint8_t *img, size_t img_len)
{
	const struct virtq_seg *last = &c->segs[c->nr_segs - 1];
	uint64_t total = 0;
	unsigned int i;

	check(r->status == (uint8_t *)last->addr + last->len - 1);
	check(r->nr_data <= c->nr_segs);
	for (i = 0; i < r->nr_data; i++) {
		const struct virtq_seg *s = &r->data[i];

		check(s->len > 0);
		check(inside(img, img_len, s->addr, s->len));
		check(s->writable == (r->type != BLK_REQ_T_OUT));
		total += s->len;
	}
	check(total == r->data_len);
	/*
	 * Data is the readable bytes after the header or the writable ones
	 * before the status (segments may alias in guest memory, so this is
	 * checked by length, not address).
	 */
	if (r->nr_data && r->type == BLK_REQ_T_OUT)
		check(r->data_len == c->readable_len - 16);
	else if (r->nr_data)
		check(r->data_len == c->writable_len - 1);
	if (r->answer != BLK_REQ_DO_IO) {
		check(r->answer == BLK_REQ_S_OK ||
		      r->answer == BLK_REQ_S_IOERR ||
		      r->answer == BLK_REQ_S_UNSUPP);
		check(!r->nr_data && !r->nr_ranges);
		return;
	}
	switch (r->type) {
	case BLK_REQ_T_OUT:
		check(!l->read_only);
		/* fall through */
	case BLK_REQ_T_IN:
		check(r->data_len && r->data_len % 512 == 0);
		check(r->data_len % l->logical_block == 0);
		check(r->sector <= l->capacity &&
		      r->data_len / 512 <= l->capacity - r->sector);
		break;
	case BLK_REQ_T_FLUSH:
		check(!l->read_only && (l->features >> BLK_REQ_F_FLUSH) & 1);
		break;
	case BLK_REQ_T_GET_ID:
		check(r->data_len > 0);
		break;
	case BLK_REQ_T_DISCARD:
	case BLK_REQ_T_WRITE_ZEROES:
		check(!l->read_only);
		check(r->nr_ranges > 0 && r->nr_ranges <= MAX_RANGES);
		for (i = 0; i < r->nr_ranges; i++) {
			const struct blk_req_range *g = &r->ranges[i];

			check(g->num_sectors > 0);
			check(g->sector <= l->capacity &&
			      g->num_sectors <= l->capacity - g->sector);
			check(!(r->type == BLK_REQ_T_DISCARD && g->unmap));
		}
		break;
	default:
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct virtq_seg segs[MAX_PIECES], out[MAX_PIECES];
	struct blk_req_range ranges[MAX_RANGES];
	struct fuzz_blk_header h;
	struct blk_req_limits l;
	struct virtq_chain c;
	struct blk_req r;
	unsigned int i, pass;
	uint8_t *img;
	size_t img_len;
	int ret;

	if (size < sizeof(h))
		return 0;
	memcpy(&h, data, sizeof(h));
	img_len = size - sizeof(h);
	img = malloc(img_len ? img_len : 1);
	if (!img)
		return 0;
	memcpy(img, data + sizeof(h), img_len);

	l = (struct blk_req_limits){
		.capacity = h.capacity,
		.features =
			(h.features & 1 ? 1ull << BLK_REQ_F_FLUSH : 0) |
			(h.features & 2 ? 1ull << BLK_REQ_F_DISCARD : 0) |
			(h.features & 4 ? 1ull << BLK_REQ_F_WRITE_ZEROES : 0),
		.read_only = h.flags & 1,
		.logical_block = 512u << ((h.flags >> 4) & 3),
		.max_discard_sectors = h.max_discard_sectors,
		.max_discard_seg = h.max_discard_seg,
		.max_write_zeroes_sectors = h.max_write_zeroes_sectors,
		.max_write_zeroes_seg = h.max_write_zeroes_seg,
	};
	memset(&c, 0, sizeof(c));
	c.segs = segs;
	c.max_segs = MAX_PIECES;
	/* Readable segments first, as virtq_pop delivers them. */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < h.nr_segs % (MAX_SEGS + 1); i++) {
			const struct fuzz_seg *f = &h.segs[i];
			bool w = (h.writable >> (i % 8)) & 1;

			if (w != (pass == 1) || !f->len || f->off > img_len ||
			    f->len > img_len - f->off)
				continue;
			add_buffer(&c, img, f->off, f->len, w, h.split);
		}
	}

	ret = blk_req_parse(&c, &l, &r, out, ranges, MAX_RANGES);
	if (ret) {
		check(ret == -EPROTO && !c.writable_len);
		goto done;
	}
	check_req(&c, &l, &r, img, img_len);
	if (r.answer == BLK_REQ_DO_IO && r.type == BLK_REQ_T_GET_ID) {
		static const char id[BLK_REQ_ID_BYTES] = "fuzz-serial";
		uint32_t n = blk_req_copy_to_data(&r, id, sizeof(id));

		check(n <= r.data_len && n <= sizeof(id));
		check(blk_req_complete(&r, BLK_REQ_S_OK, n) == n + 1);
	} else {
		check(blk_req_complete(&r, BLK_REQ_S_IOERR, 0) == 1);
	}
	check(*r.status == BLK_REQ_S_OK || *r.status == BLK_REQ_S_IOERR);
done:
	free(img);
	return 0;
}
