// SPDX-License-Identifier: BSD-3-Clause
/*
 * Byte-at-a-time memory and string functions. The hv copies little and
 * rarely, so simple and obviously correct wins over fast. The build passes
 * -fno-tree-loop-distribute-patterns, without which GCC could turn these
 * loops back into calls to themselves.
 */
#include <stdint.h>

#include <hv/string.h>

void *memset(void *s, int c, size_t n)
{
	unsigned char *p = s;

	while (n--)
		*p++ = (unsigned char)c;
	return s;
}

void *memcpy(void *dest, const void *src, size_t n)
{
	unsigned char *d = dest;
	const unsigned char *s = src;

	while (n--)
		*d++ = *s++;
	return dest;
}

void *memmove(void *dest, const void *src, size_t n)
{
	unsigned char *d = dest;
	const unsigned char *s = src;

	/* Unsigned wrap-around: true when dest is below src or past its end. */
	if ((uintptr_t)d - (uintptr_t)s >= n)
		return memcpy(dest, src, n);
	/* dest starts inside src: copy backwards. */
	while (n--)
		d[n] = s[n];
	return dest;
}

int memcmp(const void *s1, const void *s2, size_t n)
{
	const unsigned char *a = s1, *b = s2;

	for (; n; n--, a++, b++) {
		if (*a != *b)
			return *a < *b ? -1 : 1;
	}
	return 0;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

size_t strnlen(const char *s, size_t maxlen)
{
	size_t n = 0;

	while (n < maxlen && s[n])
		n++;
	return n;
}
