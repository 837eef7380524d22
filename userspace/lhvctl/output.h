/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Output of lhvctl: one record per command, printed either as aligned
 * "label: value" lines for people or as one JSON object per line for
 * scripts. Strings from the kernel are untrusted: both forms escape them.
 */
#ifndef LHVCTL_OUTPUT_H
#define LHVCTL_OUTPUT_H

#include <stdio.h>

enum out_format {
	OUT_HUMAN,
	OUT_JSON,
};

struct out {
	FILE *f;
	enum out_format fmt;
	unsigned int nfields; /* fields written since out_begin() */
};

void out_init(struct out *o, FILE *f, enum out_format fmt);

/* A record: out_begin(), any number of fields, out_end(). */
void out_begin(struct out *o);
void out_str(struct out *o, const char *key, const char *label,
	     const char *val);
void out_uint(struct out *o, const char *key, const char *label,
	      unsigned long long val);
void out_end(struct out *o);

/*
 * Write s as a JSON string literal, quotes included. Quotes, backslashes
 * and control characters are escaped, valid UTF-8 passes through and each
 * byte of an invalid UTF-8 sequence becomes U+FFFD, so the result is
 * always valid JSON.
 */
void json_write_str(FILE *f, const char *s);

/*
 * Write s for a terminal: control characters (C0, DEL, C1) and the bytes
 * of broken UTF-8 become \xNN, so a string from the kernel cannot move the
 * cursor or retitle the window.
 */
void out_write_safe(FILE *f, const char *s);

/* Diagnostics on stderr: "lhvctl: ..." and "lhvctl: warning: ...". */
__attribute__((format(printf, 1, 2))) void lhvctl_err(const char *fmt, ...);
__attribute__((format(printf, 1, 2))) void lhvctl_warn(const char *fmt, ...);

#endif /* LHVCTL_OUTPUT_H */
