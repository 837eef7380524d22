/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * <assert.h> for the mbedtls sources built into the hv (-nostdinc). mbedtls
 * asserts nothing at run time in this configuration (no
 * MBEDTLS_CHECK_PARAMS_ASSERT); static assertions are C11 keywords.
 */
#ifndef _HV_CRYPTO_ASSERT_H
#define _HV_CRYPTO_ASSERT_H

#define assert(expr) ((void)0)
#define static_assert _Static_assert

#endif /* _HV_CRYPTO_ASSERT_H */
