// SPDX-License-Identifier: BSD-3-Clause
/*
 * The allocator behind mbedtls_calloc/mbedtls_free in the hv: a few fixed
 * slots in .bss. HKDF over md.c needs at most two blocks at once (a digest
 * context and the HMAC pads, each under 512 bytes); callers serialise
 * (hv/core/seed.c holds its lock around every derivation), so there is no
 * lock here. A freed block may have held key material: it is wiped.
 */
#include <stdint.h>
#include <string.h>

#include "mbedtls/platform_util.h"

#define POOL_SLOTS 4
#define POOL_SLOT_SIZE 512

static _Alignas(16) unsigned char pool[POOL_SLOTS][POOL_SLOT_SIZE];
static unsigned char pool_used[POOL_SLOTS];

void *hv_crypto_calloc(size_t n, size_t size)
{
	unsigned int i;

	if (!n || !size || size > POOL_SLOT_SIZE / n)
		return NULL;
	for (i = 0; i < POOL_SLOTS; i++) {
		if (!pool_used[i]) {
			pool_used[i] = 1;
			memset(pool[i], 0, n * size);
			return pool[i];
		}
	}
	return NULL;
}

void hv_crypto_free(void *ptr)
{
	unsigned int i;

	for (i = 0; i < POOL_SLOTS; i++) {
		if (ptr == pool[i]) {
			mbedtls_platform_zeroize(pool[i], POOL_SLOT_SIZE);
			pool_used[i] = 0;
			return;
		}
	}
}

unsigned int hv_crypto_pool_in_use(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < POOL_SLOTS; i++)
		n += pool_used[i];
	return n;
}
