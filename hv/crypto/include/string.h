/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * <string.h> for the mbedtls sources built into the hv (-nostdinc): the
 * hv's own memory functions. Only on the include path of hv/crypto code.
 */
#ifndef _HV_CRYPTO_STRING_H
#define _HV_CRYPTO_STRING_H

#include <hv/string.h>

/* Beyond the hv's own: md.c looks digests up by name (hv/crypto/libc.c). */
int strcmp(const char *s1, const char *s2);

#endif /* _HV_CRYPTO_STRING_H */
