// SPDX-License-Identifier: BSD-3-Clause
/*
 * Human and JSON output for lhvctl, with a tiny JSON string writer.
 */
#include "output.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* Column where values start in the human form: "module version: ". */
#define OUT_LABEL_WIDTH 16

void out_init(struct out *o, FILE *f, enum out_format fmt)
{
	o->f = f;
	o->fmt = fmt;
	o->nfields = 0;
}

void out_begin(struct out *o)
{
	o->nfields = 0;
	if (o->fmt == OUT_JSON)
		fputc('{', o->f);
}

/* Start one field: the JSON key or the padded human label. */
static void out_field(struct out *o, const char *key, const char *label)
{
	int pad;

	if (o->fmt == OUT_JSON) {
		if (o->nfields)
			fputc(',', o->f);
		json_write_str(o->f, key);
		fputc(':', o->f);
	} else {
		pad = OUT_LABEL_WIDTH - 1 - (int)strlen(label);
		fprintf(o->f, "%s:%*s", label, pad > 0 ? pad : 1, "");
	}
	o->nfields++;
}

void out_str(struct out *o, const char *key, const char *label, const char *val)
{
	out_field(o, key, label);
	if (o->fmt == OUT_JSON) {
		json_write_str(o->f, val);
	} else {
		out_write_safe(o->f, val);
		fputc('\n', o->f);
	}
}

void out_uint(struct out *o, const char *key, const char *label,
	      unsigned long long val)
{
	out_field(o, key, label);
	fprintf(o->f, o->fmt == OUT_JSON ? "%llu" : "%llu\n", val);
}

void out_bool(struct out *o, const char *key, const char *label, bool val)
{
	out_field(o, key, label);
	if (o->fmt == OUT_JSON)
		fputs(val ? "true" : "false", o->f);
	else
		fputs(val ? "yes\n" : "no\n", o->f);
}

void out_end(struct out *o)
{
	if (o->fmt == OUT_JSON)
		fputs("}\n", o->f);
}

/*
 * Length of the well-formed UTF-8 sequence at s (RFC 3629), or 0. Reads
 * no further than the first byte that breaks the sequence, so it stops at
 * the string's NUL.
 */
static size_t utf8_seq_len(const unsigned char *s)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;

	/* No overlong forms, no UTF-16 surrogates, nothing past U+10FFFF. */
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;

	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

void json_write_str(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n;

	fputc('"', f);
	while (*s) {
		switch (*s) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\b':
			fputs("\\b", f);
			break;
		case '\f':
			fputs("\\f", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			/* DEL is legal in JSON but as harmful on a terminal. */
			if (*s < 0x20 || *s == 0x7f) {
				fprintf(f, "\\u%04x", *s);
				break;
			}
			n = utf8_seq_len(s);
			if (!n) {
				fputs("\\ufffd", f);
				break;
			}
			fwrite(s, 1, n, f);
			s += n;
			continue;
		}
		s++;
	}
	fputc('"', f);
}

void out_write_safe(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n;

	while (*s) {
		n = utf8_seq_len(s);
		/* C0 controls, DEL, C1 controls (C2 80..C2 9F), broken UTF-8 */
		if (!n || *s < 0x20 || *s == 0x7f ||
		    (s[0] == 0xc2 && s[1] < 0xa0)) {
			fprintf(f, "\\x%02x", *s);
			s++;
			continue;
		}
		fwrite(s, 1, n, f);
		s += n;
	}
}

void lhvctl_err(const char *fmt, ...)
{
	va_list ap;

	fputs("lhvctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void lhvctl_warn(const char *fmt, ...)
{
	va_list ap;

	fputs("lhvctl: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* s as out_write_safe() writes it, in a string to free(); NULL if no memory. */
static char *safe_dup(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	out_write_safe(f, s);
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* Characters in s, which is valid UTF-8: bytes other than continuations. */
static size_t text_width(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

int out_table_init(struct out_table *t, unsigned int ncols,
		   const char *const *heads)
{
	memset(t, 0, sizeof(*t));
	t->ncols = ncols;
	t->width = calloc(ncols ? ncols : 1, sizeof(*t->width));
	if (!t->width)
		return -ENOMEM;
	if (out_table_add(t, heads)) {
		out_table_free(t);
		return -ENOMEM;
	}
	return 0;
}

int out_table_add(struct out_table *t, const char *const *cells)
{
	size_t cap, w;
	char **row, **grown;
	unsigned int c;

	if (t->nrows == t->cap) {
		cap = t->cap ? 2 * t->cap : 8;
		grown = realloc(t->cells, cap * t->ncols * sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		t->cells = grown;
		t->cap = cap;
	}
	row = t->cells + t->nrows * t->ncols;
	for (c = 0; c < t->ncols; c++) {
		row[c] = safe_dup(cells[c] ? cells[c] : "");
		if (!row[c]) {
			while (c--)
				free(row[c]);
			return -ENOMEM;
		}
	}
	for (c = 0; c < t->ncols; c++) {
		w = text_width(row[c]);
		if (w > t->width[c])
			t->width[c] = w;
	}
	t->nrows++;
	return 0;
}

void out_table_print(const struct out_table *t, FILE *f)
{
	const char *cell;
	size_t r, pad;
	unsigned int c;

	for (r = 0; r < t->nrows; r++) {
		for (c = 0; c < t->ncols; c++) {
			cell = t->cells[r * t->ncols + c];
			fputs(cell, f);
			if (c + 1 == t->ncols)
				break;
			pad = t->width[c] - text_width(cell) + 2;
			fprintf(f, "%*s", (int)pad, "");
		}
		fputc('\n', f);
	}
}

void out_table_free(struct out_table *t)
{
	size_t i;

	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t->width);
	memset(t, 0, sizeof(*t));
}
