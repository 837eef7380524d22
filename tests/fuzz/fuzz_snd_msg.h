/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Input format of fuzz_snd_msg, shared with its seed generator: this
 * header, then the guest memory image the segments point into.
 */
#ifndef LHV_FUZZ_SND_MSG_H
#define LHV_FUZZ_SND_MSG_H

#include <stdint.h>

#define FUZZ_SND_MAX_SEGS 8u

struct fuzz_snd_seg {
	uint16_t off;
	uint16_t len;
};

struct fuzz_snd_header {
	uint8_t mode;	  /* % 3: control, tx, rx */
	uint8_t nr_segs;  /* % (FUZZ_SND_MAX_SEGS + 1) */
	uint8_t writable; /* bit i: segment i is writable */
	uint8_t state;	  /* % 6: the stream's state for transitions */
	uint32_t queued;  /* bytes already queued on the stream */
	struct fuzz_snd_seg segs[FUZZ_SND_MAX_SEGS];
};

#endif /* LHV_FUZZ_SND_MSG_H */
