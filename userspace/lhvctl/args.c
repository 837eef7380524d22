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

int lhv_parse_size(const char *s, uint64_t *out)
{
	char num[32];
	size_t len;
	uint64_t v, mult = 1;
	int err;

	if (!s)
		return -EINVAL;
	len = strlen(s);
	if (!len || len >= sizeof(num))
		return -EINVAL;
	memcpy(num, s, len + 1);
	switch (num[len - 1]) {
	case 'K':
	case 'k':
		mult = UINT64_C(1) << 10;
		break;
	case 'M':
	case 'm':
		mult = UINT64_C(1) << 20;
		break;
	case 'G':
	case 'g':
		mult = UINT64_C(1) << 30;
		break;
	default:
		break;
	}
	if (mult != 1)
		num[len - 1] = '\0';
	err = lhv_parse_uint(num, 64, &v);
	if (err)
		return err;
	if (v > UINT64_MAX / mult)
		return -ERANGE;
	*out = v * mult;
	return 0;
}

static int hex_nibble(char c)
{
	return digit_value(c, 16);
}

int lhv_parse_uuid(const char *s, unsigned char out[16])
{
	unsigned char u[16];
	unsigned int i = 0, pos;
	int hi, lo;

	if (!s || strlen(s) != 36)
		return -EINVAL;
	for (pos = 0; pos < 36;) {
		if (pos == 8 || pos == 13 || pos == 18 || pos == 23) {
			if (s[pos++] != '-')
				return -EINVAL;
			continue;
		}
		hi = hex_nibble(s[pos]);
		lo = hex_nibble(s[pos + 1]);
		if (hi < 0 || lo < 0)
			return -EINVAL;
		u[i++] = (unsigned char)(hi << 4 | lo);
		pos += 2;
	}
	memcpy(out, u, sizeof(u));
	return 0;
}

int lhv_parse_cpu_list(const char *s, uint32_t *cpus, unsigned int max,
		       unsigned int *n)
{
	char buf[128], *tok, *save = NULL;
	unsigned int count = 0;
	uint64_t v;

	if (!s || strlen(s) >= sizeof(buf) || !*s)
		return -EINVAL;
	strcpy(buf, s);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (count == max)
			return -E2BIG;
		if (lhv_parse_uint(tok, 32, &v))
			return -EINVAL;
		cpus[count++] = (uint32_t)v;
	}
	if (!count)
		return -EINVAL;
	*n = count;
	return 0;
}
