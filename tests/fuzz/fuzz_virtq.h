/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Input format of fuzz_virtq, shared with its seed generator: this header,
 * then the guest memory image (guest-physical FUZZ_VIRTQ_GPA onwards).
 */
#ifndef LHV_FUZZ_VIRTQ_H
#define LHV_FUZZ_VIRTQ_H

#include <stdint.h>

#define FUZZ_VIRTQ_GPA 0x10000ull
#define FUZZ_VIRTQ_MAX_SEGS 64u

/* Fields are little endian; offsets are into the image. */
struct fuzz_virtq_header {
	uint8_t size_log2; /* queue size 1 << (size_log2 % 16) */
	uint8_t features;  /* bit 0: INDIRECT_DESC, bit 1: EVENT_IDX */
	uint8_t max_segs;  /* chain capacity, % (FUZZ_VIRTQ_MAX_SEGS + 1) */
	uint8_t script;	   /* notify/push pattern */
	uint16_t start_idx;
	/*
	 * Guest memory is host-contiguous only between multiples of split
	 * (as gpa, 0: all of it), so map returns buffers piece by piece.
	 */
	uint16_t split;
	uint32_t desc_off;
	uint32_t avail_off;
	uint32_t used_off;
};

#endif /* LHV_FUZZ_VIRTQ_H */
