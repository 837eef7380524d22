// SPDX-License-Identifier: BSD-3-Clause
/*
 * Syntax of lhvctl's option values (see args.h).
 */
#include "args.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include <lhv/netlink.h>

static int digit_value(char c, unsigned int base)
{
	int v;

	if (c >= '0' && c <= '9')
		v = c - '0';
	else if (base == 16 && c >= 'a' && c <= 'f')
		v = c - 'a' + 10;
	else if (base == 16 && c >= 'A' && c <= 'F')
		v = c - 'A' + 10;
	else
		return -1;
	return v;
}

int lhv_parse_uint(const char *s, unsigned int bits, uint64_t *out)
{
	uint64_t max, v = 0;
	unsigned int base = 10;
	bool too_big = false;
	int d;

	if (!s || bits < 1 || bits > 64)
		return -EINVAL;
	max = bits == 64 ? UINT64_MAX : (UINT64_C(1) << bits) - 1;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	/* At least one digit: "", "0x" and "x" are no numbers. */
	if (!*s)
		return -EINVAL;

	for (; *s; s++) {
		d = digit_value(*s, base);
		if (d < 0)
			return -EINVAL;
		/* Keep checking the syntax after an overflow: "99...9z" is
		 * garbage first, not out of range.
		 */
		if (too_big || (uint64_t)d > max ||
		    v > (max - (uint64_t)d) / base)
			too_big = true;
		else
			v = v * base + (uint64_t)d;
	}
	if (too_big)
		return -ERANGE;
	*out = v;
	return 0;
}

int lhv_parse_blk_cache(const char *s, uint32_t *out)
{
	if (!s)
		return -EINVAL;
	if (!strcmp(s, "writeback")) {
		*out = LHV_BLK_CACHE_WRITEBACK;
		return 0;
	}
	if (!strcmp(s, "writethrough")) {
		*out = LHV_BLK_CACHE_WRITETHROUGH;
		return 0;
	}
	return -EINVAL;
}
