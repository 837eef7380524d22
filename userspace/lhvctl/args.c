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

/* Text position of each wire byte: uuid_le reverses the first fields. */
static const unsigned char uuid_text_order[16] = {
	3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15
};

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int lhv_parse_uuid(const char *s, uint8_t out[16])
{
	uint8_t text[16];
	unsigned int i, n = 0;
	int hi, lo;

	if (!s || strlen(s) != 36)
		return -EINVAL;
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return -EINVAL;
			continue;
		}
		hi = hex_digit(s[i]);
		lo = hex_digit(s[++i]);
		if (hi < 0 || lo < 0)
			return -EINVAL;
		text[n++] = (uint8_t)(hi << 4 | lo);
	}
	for (i = 0; i < 16; i++)
		out[i] = text[uuid_text_order[i]];
	return 0;
}

void lhv_format_uuid(const uint8_t uuid[16], char buf[37])
{
	static const char hex[] = "0123456789abcdef";
	unsigned int i, p = 0;
	uint8_t b;

	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			buf[p++] = '-';
		b = uuid[uuid_text_order[i]];
		buf[p++] = hex[b >> 4];
		buf[p++] = hex[b & 15];
	}
	buf[p] = '\0';
}

int lhv_parse_heci_backend(const char *s, uint32_t *out)
{
	if (!strcmp(s, "sim"))
		*out = LHV_HECI_BACKEND_SIM;
	else if (!strcmp(s, "mei"))
		*out = LHV_HECI_BACKEND_MEI;
	else
		return -EINVAL;
	return 0;
}

int lhv_parse_size(const char *s, uint64_t *out)
{
	uint64_t v, mult = 1;
	char num[32];
	size_t len;
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

int lhv_parse_vm_uuid(const char *s, unsigned char out[16])
{
	uint8_t mei[16];
	unsigned int i;

	/* Same text syntax as MEI's; only the byte order differs (the
	 * reordering swaps bytes in pairs, so it is its own inverse).
	 */
	if (lhv_parse_uuid(s, mei))
		return -EINVAL;
	for (i = 0; i < 16; i++)
		out[i] = mei[uuid_text_order[i]];
	return 0;
}

int lhv_parse_cpu_list(const char *s, uint32_t *cpus, unsigned int max,
		       unsigned int *n)
{
	char buf[128], *tok, *save = NULL;
	unsigned int count = 0;
	uint64_t v;

	if (!s || !*s || strlen(s) >= sizeof(buf))
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
