/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Byte ranges of a chain's segments (struct virtq_seg lists): describe a
 * range as segments, copy a range in or out. Portable core shared by the
 * device parsers (blk_req.c, snd_msg.c); no kernel headers. In the kernel
 * it is linked into lhv.ko and exported to the backends.
 */
#ifndef LHV_LIB_SEG_COPY_H
#define LHV_LIB_SEG_COPY_H

#include "portable.h"
#include "virtq.h"

/*
 * Describe len bytes of segs[from..to), starting skip bytes in, as
 * segments in out (cut where the range starts or ends inside a segment).
 * Returns the number of segments written; fewer bytes are described if
 * the segments end first.
 */
uint16_t seg_slice(const struct virtq_seg *segs, uint16_t from, uint16_t to,
		   uint32_t skip, uint32_t len, struct virtq_seg *out);

/*
 * Copy len bytes at offset off of segs[0..nr) into dst (seg_read, which
 * reads guest memory once and then orders later accesses after it), or
 * from src into them (seg_write). Return the bytes copied: fewer when the
 * segments end first.
 */
uint32_t seg_read(const struct virtq_seg *segs, uint16_t nr, uint32_t off,
		  void *dst, uint32_t len);
uint32_t seg_write(const struct virtq_seg *segs, uint16_t nr, uint32_t off,
		   const void *src, uint32_t len);

#endif /* LHV_LIB_SEG_COPY_H */
