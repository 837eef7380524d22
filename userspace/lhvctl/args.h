/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Syntax of lhvctl's option values: numbers and the few words an option
 * accepts. Kept apart from the command line walk so unit tests can call it.
 * Only syntax is judged here; whether a value makes sense (a queue count
 * the device supports, a window inside the backing) is the kernel's call.
 */
#ifndef LHVCTL_ARGS_H
#define LHVCTL_ARGS_H

#include <stddef.h>
#include <stdint.h>

/*
 * Parse s as an unsigned number of at most bits bits (1..64): decimal
 * digits, or "0x"/"0X" and hex digits. Nothing else is accepted: no sign,
 * no spaces, no suffix, no octal (a leading 0 is still decimal). Returns 0
 * and sets *out, -EINVAL when s is not such a number, or -ERANGE when it
 * is one that does not fit in bits bits. *out is untouched on failure.
 */
int lhv_parse_uint(const char *s, unsigned int bits, uint64_t *out);

/*
 * "writeback" or "writethrough" (enum lhv_blk_cache). Returns 0 and sets
 * *out, or -EINVAL.
 */
int lhv_parse_blk_cache(const char *s, uint32_t *out);

struct lhv_snd_stream_req;

/*
 * One stream of "snd add": "out" or "in", then comma-separated keys
 * channels=N or N-M, formats=F[,F...] (s8 u8 s16 u16 s24 u24 s32 u32
 * float float64 and the 3-byte s24_3 ...), rates=R[,R...] (5512 ..
 * 192000): "out,channels=1-8,formats=s16,s32,rates=44100,48000". A word
 * without "=" continues the list of the key before it. Returns 0 with
 * *out filled (keys not given left unset), or -EINVAL with why (a
 * message of at most why_len bytes) filled.
 */
int lhv_parse_snd_stream(const char *spec, struct lhv_snd_stream_req *out,
			 char *why, size_t why_len);

/* The name of VIRTIO_SND_PCM_FMT bit f as above, or NULL. */
const char *lhv_snd_format_name(unsigned int f);
/* The rate of VIRTIO_SND_PCM_RATE bit r in Hz, or 0. */
unsigned int lhv_snd_rate_hz(unsigned int r);

#endif /* LHVCTL_ARGS_H */
