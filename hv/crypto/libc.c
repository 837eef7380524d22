// SPDX-License-Identifier: BSD-3-Clause
/* C library functions the mbedtls sources call that the hv has no use for. */
#include <string.h>

int strcmp(const char *s1, const char *s2)
{
	const unsigned char *a = (const unsigned char *)s1;
	const unsigned char *b = (const unsigned char *)s2;

	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a - *b;
}
