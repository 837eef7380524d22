// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Byte ranges of segment lists; the contract is in seg_copy.h.
 */
#include "seg_copy.h"

uint16_t seg_slice(const struct virtq_seg *segs, uint16_t from, uint16_t to,
		   uint32_t skip, uint32_t len, struct virtq_seg *out)
{
	uint16_t n = 0, i;

	for (i = from; i < to && len; i++) {
		const struct virtq_seg *s = &segs[i];
		uint32_t part;

		if (skip >= s->len) {
			skip -= s->len;
			continue;
		}
		part = s->len - skip;
		if (part > len)
			part = len;
		out[n].addr = (uint8_t *)s->addr + skip;
		out[n].gpa = s->gpa + skip;
		out[n].len = part;
		out[n].writable = s->writable;
		n++;
		len -= part;
		skip = 0;
	}
	return n;
}

/* Copy between the segments and buf, in the direction to_segs says. */
static uint32_t seg_copy(const struct virtq_seg *segs, uint16_t nr,
			 uint32_t off, uint8_t *buf, uint32_t len, bool to_segs)
{
	uint32_t done = 0, part;
	uint8_t *seg;
	uint16_t i;

	for (i = 0; i < nr && done < len; i++) {
		if (off >= segs[i].len) {
			off -= segs[i].len;
			continue;
		}
		part = segs[i].len - off;
		if (part > len - done)
			part = len - done;
		seg = (uint8_t *)segs[i].addr + off;
		if (to_segs)
			memcpy(seg, buf + done, part);
		else
			memcpy(buf + done, seg, part);
		done += part;
		off = 0;
	}
	return done;
}

uint32_t seg_read(const struct virtq_seg *segs, uint16_t nr, uint32_t off,
		  void *dst, uint32_t len)
{
	uint32_t done = seg_copy(segs, nr, off, dst, len, false);

	/* Checks work on the copy: keep the compiler from rereading. */
	lhv_barrier();
	return done;
}

uint32_t seg_write(const struct virtq_seg *segs, uint16_t nr, uint32_t off,
		   const void *src, uint32_t len)
{
	/* seg_copy only reads buf in this direction. */
	return seg_copy(segs, nr, off, (uint8_t *)(uintptr_t)src, len, true);
}
