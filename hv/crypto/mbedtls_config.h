/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The mbedtls 2.28 configuration the hv is built with (MBEDTLS_CONFIG_FILE):
 * only what HKDF over SHA-256 and SHA-512 needs. The source comes from
 * Debian's mbedtls package, fetched by scripts/setup.sh, never from the
 * tree; hv/Makefile compiles the files it lists with the hv's freestanding
 * flags. No file I/O, no time, no threads, no assembly, no CPU feature
 * detection: the hv has none of those, and must not touch SSE registers.
 * The same header builds the host unit test (tests/unit/test_hv_seed.c).
 */
#ifndef LHV_MBEDTLS_CONFIG_H
#define LHV_MBEDTLS_CONFIG_H

/* Message digests: the generic layer HKDF uses, two hashes, no others. */
#define MBEDTLS_MD_C
#define MBEDTLS_SHA256_C
#define MBEDTLS_SHA512_C
/* Smaller code for both hashes: they run once per HC_GET_VSEED call. */
#define MBEDTLS_SHA256_SMALLER
#define MBEDTLS_SHA512_SMALLER
#define MBEDTLS_HKDF_C

/*
 * md.c allocates its digest and HMAC contexts. In the hv they come from a
 * small fixed pool (hv/crypto/pool.c), zeroed on free: no heap, no libc.
 */
#define MBEDTLS_PLATFORM_C
#define MBEDTLS_PLATFORM_MEMORY
#define MBEDTLS_PLATFORM_NO_STD_FUNCTIONS
#define MBEDTLS_PLATFORM_CALLOC_MACRO hv_crypto_calloc
#define MBEDTLS_PLATFORM_FREE_MACRO hv_crypto_free

/* Old API names are not wanted. */
#define MBEDTLS_DEPRECATED_REMOVED

#include <stddef.h>
void *hv_crypto_calloc(size_t n, size_t size);
void hv_crypto_free(void *ptr);
/* Blocks handed out and not freed (the unit test checks for leaks). */
unsigned int hv_crypto_pool_in_use(void);

#include "mbedtls/check_config.h"

#endif /* LHV_MBEDTLS_CONFIG_H */
