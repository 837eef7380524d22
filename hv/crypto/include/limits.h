/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * <limits.h> for the mbedtls sources built into the hv (-nostdinc): GCC's
 * own header chains on to a libc one the hv does not have. mbedtls's
 * configuration check only wants CHAR_BIT; the rest for completeness.
 */
#ifndef _HV_CRYPTO_LIMITS_H
#define _HV_CRYPTO_LIMITS_H

#define CHAR_BIT __CHAR_BIT__
#define INT_MAX __INT_MAX__
#define UINT_MAX (INT_MAX * 2U + 1U)
#define LONG_MAX __LONG_MAX__
#define ULONG_MAX (LONG_MAX * 2UL + 1UL)

#endif /* _HV_CRYPTO_LIMITS_H */
