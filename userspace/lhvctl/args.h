/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Syntax of lhvctl's option values: numbers and the few words an option
 * accepts. Kept apart from the command line walk so unit tests can call it.
 * Only syntax is judged here; whether a value makes sense (a queue count
 * the device supports, a window inside the backing) is the kernel's call.
 */
#ifndef LHVCTL_ARGS_H
#define LHVCTL_ARGS_H

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

#endif /* LHVCTL_ARGS_H */
