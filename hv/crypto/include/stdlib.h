/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * <stdlib.h> for the mbedtls sources built into the hv (-nostdinc):
 * mbedtls/threading.h includes it whatever the configuration, and uses
 * nothing from it here. Allocation goes through hv/crypto/pool.c.
 */
#ifndef _HV_CRYPTO_STDLIB_H
#define _HV_CRYPTO_STDLIB_H

#include <stddef.h>

#endif /* _HV_CRYPTO_STDLIB_H */
