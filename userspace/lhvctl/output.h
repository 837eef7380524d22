/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Output of lhvctl: one record per command, printed either as aligned
 * "label: value" lines for people or as one JSON object per line for
 * scripts. Strings from the kernel are untrusted: both forms escape them.
 */
#ifndef LHVCTL_OUTPUT_H
#define LHVCTL_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
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
/* JSON true/false; "yes"/"no" for people. */
void out_bool(struct out *o, const char *key, const char *label, bool val);
void out_end(struct out *o);

/*
 * A table for people: a header row and rows of strings, printed in columns
 * two spaces apart, each as wide as its widest cell (counted in
 * characters), the last one unpadded. Cells are copied in the form
 * out_write_safe() writes, so they may come from the kernel.
 */
struct out_table {
	unsigned int ncols;
	size_t nrows; /* the header included */
	size_t cap;
	char **cells;  /* nrows * ncols */
	size_t *width; /* per column */
};

/* Start a table of ncols columns with heads as its header. 0 or -ENOMEM. */
int out_table_init(struct out_table *t, unsigned int ncols,
		   const char *const *heads);
/* Add a row of t->ncols cells. 0 or -ENOMEM (the table is unchanged). */
int out_table_add(struct out_table *t, const char *const *cells);
void out_table_print(const struct out_table *t, FILE *f);
void out_table_free(struct out_table *t);

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
