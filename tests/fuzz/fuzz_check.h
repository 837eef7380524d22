/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the parser harnesses check with: abort on a broken promise (the
 * fuzzer reports it as a crash), and whether a pointer range lies inside
 * the guest image.
 */
#ifndef LHV_FUZZ_CHECK_H
#define LHV_FUZZ_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

static inline void check(bool ok)
{
	if (!ok)
		abort();
}

static inline bool inside(const uint8_t *base, size_t len, const void *p,
			  uint32_t n)
{
	const uint8_t *q = p;

	return q >= base && n <= len && (size_t)(q - base) <= len - n;
}

#endif /* LHV_FUZZ_CHECK_H */
