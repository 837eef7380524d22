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
/*
 * A size in bytes: a number as lhv_parse_uint takes it, optionally ending
 * in K, M or G (binary units). -EINVAL or -ERANGE as above.
 */
int lhv_parse_size(const char *s, uint64_t *out);

/*
 * A VM's UUID as 8-4-4-4-12 hex digits, in RFC 4122 byte order (the bytes
 * as written, as the kernel's uuid_t). Returns 0 or -EINVAL.
 */
int lhv_parse_vm_uuid(const char *s, unsigned char out[16]);

/*
 * A comma-separated list of CPU numbers ("1" or "1,3"), at most max of
 * them: 0 with *n set, -EINVAL (syntax) or -E2BIG (too many).
 */
int lhv_parse_cpu_list(const char *s, uint32_t *cpus, unsigned int max,
		       unsigned int *n);

/*
 * A UUID written 8-4-4-4-12 in hex (either case) into the 16 bytes MEI
 * uses on the wire (uuid_le: the first three fields little endian).
 * Returns 0, or -EINVAL (out untouched).
 */
int lhv_parse_uuid(const char *s, uint8_t out[16]);

/* The text form of a UUID in MEI order; buf has room for 37 bytes. */
void lhv_format_uuid(const uint8_t uuid[16], char buf[37]);

/* "sim" or "mei" (enum lhv_heci_backend). 0 and *out, or -EINVAL. */
int lhv_parse_heci_backend(const char *s, uint32_t *out);

#endif /* LHVCTL_ARGS_H */
