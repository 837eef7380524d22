// SPDX-License-Identifier: BSD-3-Clause
/*
 * The hv's vSEED derivation (hv/core/seed.c) over the same mbedtls 2.28
 * sources and configuration the image links, built for the host:
 * RFC 5869's SHA-256 test cases 1-3, the same inputs with SHA-512, the
 * derivation with its documented salt and info for both profiles, and the
 * error paths. The RFC has no SHA-512 cases; those expected values, and
 * the vSEEDs, come from OpenSSL 3.0, e.g. for case 1:
 *   openssl kdf -keylen 42 -kdfopt digest:SHA512 -kdfopt hexkey:0b0b...0b \
 *     -kdfopt hexsalt:000102...0c -kdfopt hexinfo:f0f1...f9 HKDF
 * and for the linux-profile vSEED below:
 *   openssl kdf -keylen 64 -kdfopt digest:SHA512 -kdfopt hexkey:a0a1...bf \
 *     -kdfopt hexsalt:$(printf lhv-vseed-v1 | xxd -p) \
 *     -kdfopt hexinfo:$(printf lhv-vseed | xxd -p)<uuid hex> HKDF
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <hv/errno.h>
#include <hv/seed.h>
#include <lhv/hv_image.h>
#include <lhv/hypercall.h>

#include "crypto/mbedtls_config.h"

/* Parses @hex into @out (at most @max bytes); returns the byte count. */
static size_t unhex(const char *hex, uint8_t *out, size_t max)
{
	size_t n = 0;

	while (hex[0] && hex[1]) {
		unsigned int b;

		assert_true(n < max);
		assert_int_equal(sscanf(hex, "%2x", &b), 1);
		out[n++] = (uint8_t)b;
		hex += 2;
	}
	return n;
}

/* Fills @out with first, first + 1, ... (@n bytes). */
static void fill_seq(uint8_t *out, size_t n, unsigned int first)
{
	for (size_t i = 0; i < n; i++)
		out[i] = (uint8_t)(first + i);
}

struct hkdf_case {
	const char *name;
	size_t ikm_len, salt_len, info_len; /* bytes; the patterns below */
	unsigned int salt_first, info_first;
	bool ikm_0b;		/* IKM 0x0b repeated, else 0x00, 0x01, ... */
	const char *okm_sha256; /* RFC 5869 A.1-A.3 */
	const char *okm_sha512; /* OpenSSL, see the top of this file */
};

static const struct hkdf_case hkdf_cases[] = {
	{ "case 1", 22, 13, 10, 0x00, 0xf0, true,
	  "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
	  "34007208d5b887185865",
	  "832390086cda71fb47625bb5ceb168e4c8e26a1a16ed34d9fc7fe92c14815793"
	  "38da362cb8d9f925d7cb" },
	{ "case 2", 80, 80, 80, 0x60, 0xb0, false,
	  "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
	  "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
	  "cc30c58179ec3e87c14c01d5c1f3434f1d87",
	  "ce6c97192805b346e6161e821ed165673b84f400a2b514b2fe23d84cd189ddf1"
	  "b695b48cbd1c8388441137b3ce28f16aa64ba33ba466b24df6cfcb021ecff235"
	  "f6a2056ce3af1de44d572097a8505d9e7a93" },
	{ "case 3", 22, 0, 0, 0, 0, true,
	  "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d"
	  "9d201395faa4b61a96c8",
	  "f5fa02b18298a72a8c23898a8703472c6eb179dc204c03425c970e3b164bf90f"
	  "ff22d04836d0e2343bac" },
};

static void run_hkdf_case(const struct hkdf_case *c, bool sha512)
{
	uint8_t ikm[80], salt[80], info[80], want[128], got[128];
	size_t len = unhex(sha512 ? c->okm_sha512 : c->okm_sha256, want,
			   sizeof(want));

	if (c->ikm_0b)
		memset(ikm, 0x0b, c->ikm_len);
	else
		fill_seq(ikm, c->ikm_len, 0);
	fill_seq(salt, c->salt_len, c->salt_first);
	fill_seq(info, c->info_len, c->info_first);
	memset(got, 0xee, sizeof(got));
	assert_int_equal(seed_hkdf(sha512, c->salt_len ? salt : NULL,
				   c->salt_len, ikm, c->ikm_len,
				   c->info_len ? info : NULL, c->info_len, got,
				   len),
			 0);
	if (memcmp(got, want, len))
		fail_msg("HKDF-%s %s: wrong OKM", sha512 ? "SHA512" : "SHA256",
			 c->name);
	/* Exactly L bytes written. */
	assert_int_equal(got[len], 0xee);
	assert_int_equal(hv_crypto_pool_in_use(), 0);
}

static void test_rfc5869_sha256(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(hkdf_cases) / sizeof(hkdf_cases[0]); i++)
		run_hkdf_case(&hkdf_cases[i], false);
}

static void test_hkdf_sha512(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(hkdf_cases) / sizeof(hkdf_cases[0]); i++)
		run_hkdf_case(&hkdf_cases[i], true);
}

static void test_hkdf_too_long(void **state)
{
	uint8_t ikm[16] = { 1 }, okm[1];

	/* RFC 5869: L <= 255 * HashLen. */
	(void)state;
	assert_int_equal(seed_hkdf(false, NULL, 0, ikm, sizeof(ikm), NULL, 0,
				   okm, 255 * 32 + 1),
			 -EINVAL);
	assert_int_equal(hv_crypto_pool_in_use(), 0);
}

/* The platform seed a0 a1 ... bf and the default SOS UUID (docs/hv.md). */
static uint8_t pseed[32];
static const uint8_t sos_uuid[16] = { 0x6c, 0x68, 0x76, 0x73, 0x6f,
				      0x73, 0x40, 0x00, 0x80, 0x00 };

static const char vseed_linux[] =
	"6817fefe961e0dc3225497d1aab40a0c29f2fa3109c88a92f13ef01671dccb39"
	"f093cca4206634042b49e8cbd3cd154e061071b5d193bf998457c6ae0a23bab0";
static const char vseed_android[] =
	"dc495a599aa2bfe235b48503b875c3c0adf26cf75008f855aa758b030808534d";

static void check_vseed(uint32_t profile, const char *hex)
{
	uint8_t want[64], got[SEED_VSEED_MAX + 1];
	size_t len = unhex(hex, want, sizeof(want));

	memset(got, 0xee, sizeof(got));
	assert_int_equal(seed_derive_vseed(pseed, sizeof(pseed), sos_uuid,
					   profile, got, sizeof(got)),
			 (int)len);
	assert_memory_equal(got, want, len);
	assert_int_equal(got[len], 0xee);
	assert_int_equal(hv_crypto_pool_in_use(), 0);
}

static void test_vseed_linux(void **state)
{
	(void)state;
	fill_seq(pseed, sizeof(pseed), 0xa0);
	assert_int_equal(seed_vseed_len(LHV_VM_PROFILE_LINUX), 64);
	check_vseed(LHV_VM_PROFILE_LINUX, vseed_linux);
}

static void test_vseed_android(void **state)
{
	(void)state;
	fill_seq(pseed, sizeof(pseed), 0xa0);
	assert_int_equal(seed_vseed_len(LHV_VM_PROFILE_ANDROID), 32);
	check_vseed(LHV_VM_PROFILE_ANDROID, vseed_android);
}

static void test_vseed_depends_on_uuid(void **state)
{
	uint8_t uuid[16], a[64], b[64];

	(void)state;
	fill_seq(pseed, sizeof(pseed), 0xa0);
	memcpy(uuid, sos_uuid, sizeof(uuid));
	assert_int_equal(seed_derive_vseed(pseed, sizeof(pseed), uuid,
					   LHV_VM_PROFILE_LINUX, a, sizeof(a)),
			 64);
	uuid[15] ^= 1;
	assert_int_equal(seed_derive_vseed(pseed, sizeof(pseed), uuid,
					   LHV_VM_PROFILE_LINUX, b, sizeof(b)),
			 64);
	assert_memory_not_equal(a, b, sizeof(a));
}

static void test_vseed_errors(void **state)
{
	uint8_t out[64];

	(void)state;
	fill_seq(pseed, sizeof(pseed), 0xa0);
	assert_int_equal(seed_derive_vseed(pseed, 0, sos_uuid,
					   LHV_VM_PROFILE_LINUX, out,
					   sizeof(out)),
			 -ENODATA);
	assert_int_equal(seed_derive_vseed(pseed, sizeof(pseed), sos_uuid,
					   LHV_VM_PROFILE_LINUX, out, 63),
			 -EINVAL);
	assert_int_equal(seed_derive_vseed(pseed, sizeof(pseed), sos_uuid,
					   LHV_VM_PROFILE_ANDROID, out, 31),
			 -EINVAL);
	assert_int_equal(seed_derive_vseed(pseed, sizeof(pseed), sos_uuid, 7,
					   out, sizeof(out)),
			 -EINVAL);
	assert_int_equal(seed_vseed_len(7), 0);
	assert_int_equal(hv_crypto_pool_in_use(), 0);
}

static void test_pool(void **state)
{
	void *a, *b, *c, *d;

	(void)state;
	a = hv_crypto_calloc(1, 512);
	b = hv_crypto_calloc(2, 128);
	c = hv_crypto_calloc(1, 1);
	d = hv_crypto_calloc(1, 1);
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(c);
	assert_non_null(d);
	/* Four slots of 512 bytes; n * size must not overflow. */
	assert_null(hv_crypto_calloc(1, 1));
	hv_crypto_free(d);
	assert_null(hv_crypto_calloc(1, 513));
	assert_null(hv_crypto_calloc(SIZE_MAX / 2, 4));
	assert_null(hv_crypto_calloc(0, 4));
	memset(c, 0x5a, 512);
	hv_crypto_free(c);
	/* Wiped on free, zeroed on allocation. */
	assert_int_equal(((uint8_t *)c)[511], 0);
	hv_crypto_free(NULL);
	hv_crypto_free(a);
	hv_crypto_free(b);
	assert_int_equal(hv_crypto_pool_in_use(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc5869_sha256),
		cmocka_unit_test(test_hkdf_sha512),
		cmocka_unit_test(test_hkdf_too_long),
		cmocka_unit_test(test_vseed_linux),
		cmocka_unit_test(test_vseed_android),
		cmocka_unit_test(test_vseed_depends_on_uuid),
		cmocka_unit_test(test_vseed_errors),
		cmocka_unit_test(test_pool),
	};

	return cmocka_run_group_tests_name("hv_seed", tests, NULL, NULL);
}
