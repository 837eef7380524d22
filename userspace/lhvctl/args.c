// SPDX-License-Identifier: BSD-3-Clause
/*
 * Syntax of lhvctl's option values (see args.h).
 */
#include "args.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <lhv/netlink.h>

#include "request.h"

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

/* VIRTIO_SND_PCM_FMT_* bits that have a sample width, by name. */
static const char *const snd_formats[] = {
	[1] = "mu_law", [2] = "a_law",	[3] = "s8",	[4] = "u8",
	[5] = "s16",	[6] = "u16",	[7] = "s18_3",	[8] = "u18_3",
	[9] = "s20_3",	[10] = "u20_3", [11] = "s24_3", [12] = "u24_3",
	[13] = "s20",	[14] = "u20",	[15] = "s24",	[16] = "u24",
	[17] = "s32",	[18] = "u32",	[19] = "float", [20] = "float64",
};

/* VIRTIO_SND_PCM_RATE_* bits in Hz. */
static const unsigned int snd_rates[] = {
	5512,  8000,  11025, 16000, 22050,  32000,  44100,
	48000, 64000, 88200, 96000, 176400, 192000,
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

const char *lhv_snd_format_name(unsigned int f)
{
	return f < NELEM(snd_formats) ? snd_formats[f] : NULL;
}

unsigned int lhv_snd_rate_hz(unsigned int r)
{
	return r < NELEM(snd_rates) ? snd_rates[r] : 0;
}

static int snd_format_bit(const char *s, size_t len)
{
	unsigned int i;

	for (i = 0; i < NELEM(snd_formats); i++)
		if (snd_formats[i] && strlen(snd_formats[i]) == len &&
		    !strncmp(snd_formats[i], s, len))
			return (int)i;
	return -1;
}

static int snd_rate_bit(const char *s, size_t len)
{
	char num[16];
	uint64_t hz;
	unsigned int i;

	if (len >= sizeof(num))
		return -1;
	memcpy(num, s, len);
	num[len] = '\0';
	if (lhv_parse_uint(num, 32, &hz))
		return -1;
	for (i = 0; i < NELEM(snd_rates); i++)
		if (snd_rates[i] == hz)
			return (int)i;
	return -1;
}

/* "N" or "N-M" channels into out. */
static int snd_channels(const char *s, size_t len,
			struct lhv_snd_stream_req *out)
{
	char buf[16], *dash;
	uint64_t lo, hi;

	if (len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, len);
	buf[len] = '\0';
	dash = strchr(buf, '-');
	if (dash)
		*dash = '\0';
	if (lhv_parse_uint(buf, 8, &lo) ||
	    lhv_parse_uint(dash ? dash + 1 : buf, 8, &hi))
		return -EINVAL;
	out->channels_min = (uint32_t)lo;
	out->channels_max = (uint32_t)hi;
	out->set |= LHV_BLK_BIT(LHV_SND_STREAM_ATTR_CHANNELS_MIN) |
		    LHV_BLK_BIT(LHV_SND_STREAM_ATTR_CHANNELS_MAX);
	return 0;
}

enum snd_key { KEY_NONE, KEY_CHANNELS, KEY_FORMATS, KEY_RATES };

/* One comma-separated word of a stream spec after the direction. */
static int snd_word(const char *w, size_t len, enum snd_key *key,
		    struct lhv_snd_stream_req *out, char *why, size_t why_len)
{
	const char *eq = memchr(w, '=', len);
	const char *val = w;
	size_t vlen = len;
	int bit;

	if (eq) {
		size_t klen = (size_t)(eq - w);

		if (klen == 8 && !strncmp(w, "channels", 8))
			*key = KEY_CHANNELS;
		else if (klen == 7 && !strncmp(w, "formats", 7))
			*key = KEY_FORMATS;
		else if (klen == 5 && !strncmp(w, "rates", 5))
			*key = KEY_RATES;
		else {
			snprintf(why, why_len, "unknown key '%.*s'", (int)klen,
				 w);
			return -EINVAL;
		}
		val = eq + 1;
		vlen = len - klen - 1;
	}
	switch (*key) {
	case KEY_CHANNELS:
		if (!eq || snd_channels(val, vlen, out)) {
			snprintf(why, why_len,
				 "channels: '%.*s' is not N or N-M", (int)len,
				 w);
			return -EINVAL;
		}
		*key = KEY_NONE;
		return 0;
	case KEY_FORMATS:
		bit = snd_format_bit(val, vlen);
		if (bit < 0) {
			snprintf(why, why_len, "unknown format '%.*s'",
				 (int)vlen, val);
			return -EINVAL;
		}
		out->formats |= UINT64_C(1) << bit;
		out->set |= LHV_BLK_BIT(LHV_SND_STREAM_ATTR_FORMATS);
		return 0;
	case KEY_RATES:
		bit = snd_rate_bit(val, vlen);
		if (bit < 0) {
			snprintf(why, why_len, "unknown rate '%.*s'", (int)vlen,
				 val);
			return -EINVAL;
		}
		out->rates |= UINT64_C(1) << bit;
		out->set |= LHV_BLK_BIT(LHV_SND_STREAM_ATTR_RATES);
		return 0;
	case KEY_NONE:
		break;
	}
	snprintf(why, why_len, "'%.*s' is not key=value", (int)len, w);
	return -EINVAL;
}

int lhv_parse_snd_stream(const char *spec, struct lhv_snd_stream_req *out,
			 char *why, size_t why_len)
{
	enum snd_key key = KEY_NONE;
	const char *p, *comma;
	size_t len;

	memset(out, 0, sizeof(*out));
	if (!spec) {
		snprintf(why, why_len, "no stream given");
		return -EINVAL;
	}
	comma = strchr(spec, ',');
	len = comma ? (size_t)(comma - spec) : strlen(spec);
	if (len == 3 && !strncmp(spec, "out", 3)) {
		out->direction = LHV_SND_DIR_OUTPUT;
	} else if (len == 2 && !strncmp(spec, "in", 2)) {
		out->direction = LHV_SND_DIR_INPUT;
	} else {
		snprintf(why, why_len, "a stream starts with out or in");
		return -EINVAL;
	}
	out->set |= LHV_BLK_BIT(LHV_SND_STREAM_ATTR_DIRECTION);
	for (p = comma; p; p = comma) {
		p++;
		comma = strchr(p, ',');
		len = comma ? (size_t)(comma - p) : strlen(p);
		if (!len) {
			snprintf(why, why_len, "empty word");
			return -EINVAL;
		}
		if (snd_word(p, len, &key, out, why, why_len))
			return -EINVAL;
	}
	return 0;
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
