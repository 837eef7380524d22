/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The hv's own memory and string functions. GCC may emit calls to memset,
 * memcpy, memmove and memcmp even in freestanding code, so these keep the
 * C library names and signatures.
 */
#ifndef _HV_STRING_H
#define _HV_STRING_H

#include <stddef.h>

void *memset(void *s, int c, size_t n);
void *memcpy(void *dest, const void *src, size_t n);
void *memmove(void *dest, const void *src, size_t n);
int memcmp(const void *s1, const void *s2, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t maxlen);

#endif /* _HV_STRING_H */
