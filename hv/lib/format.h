/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A small printf-style formatter for the hv's log. Portable C (no hv or
 * libc headers) so unit tests can compile it too.
 *
 * Supported: flags '-' and '0', a decimal width, length modifiers l, ll and
 * z, conversions d i u x X c s p %. Anything else is copied verbatim.
 */
#ifndef _HV_LIB_FORMAT_H
#define _HV_LIB_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

/*
 * Formats into @buf, writing at most @size bytes including the NUL (none
 * if @size is 0). Returns the length the whole output would have, like C's
 * vsnprintf, so a result >= @size means it was truncated.
 */
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
	__attribute__((__format__(__printf__, 3, 0)));
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((__format__(__printf__, 3, 4)));

#endif /* _HV_LIB_FORMAT_H */
