// SPDX-License-Identifier: BSD-3-Clause
/*
 * vSEED derivation: HKDF (RFC 5869) from mbedtls, over the platform seed
 * and the VM's UUID. Portable: the host unit test (tests/unit/
 * test_hv_seed.c) builds this file and the same mbedtls sources. The salt
 * and info are part of the ABI: changing them changes every VM's vSEED.
 */
#include <hv/errno.h>
#include <hv/seed.h>
#include <hv/string.h>
#include <lhv/hv_image.h>
#include <lhv/hypercall.h>

#include "mbedtls/hkdf.h"
#include "mbedtls/md.h"
#include "mbedtls/platform_util.h"

/* Fixed labels; see docs/hv.md. No terminating NUL is hashed. */
static const char seed_salt[] = "lhv-vseed-v1";
static const char seed_info_label[] = "lhv-vseed";

#define SEED_SALT_LEN (sizeof(seed_salt) - 1)
#define SEED_LABEL_LEN (sizeof(seed_info_label) - 1)
#define SEED_INFO_LEN (SEED_LABEL_LEN + LHV_HV_UUID_LEN)

u32 seed_vseed_len(u32 profile)
{
	switch (profile) {
	case LHV_VM_PROFILE_LINUX:
		return 64;
	case LHV_VM_PROFILE_ANDROID:
		return 32;
	default:
		return 0;
	}
}

int seed_hkdf(bool sha512, const u8 *salt, size_t salt_len, const u8 *ikm,
	      size_t ikm_len, const u8 *info, size_t info_len, u8 *okm,
	      size_t okm_len)
{
	const mbedtls_md_info_t *md = mbedtls_md_info_from_type(
		sha512 ? MBEDTLS_MD_SHA512 : MBEDTLS_MD_SHA256);
	int ret;

	if (!md)
		return -EIO;
	ret = mbedtls_hkdf(md, salt, salt_len, ikm, ikm_len, info, info_len,
			   okm, okm_len);
	if (ret == MBEDTLS_ERR_HKDF_BAD_INPUT_DATA)
		return -EINVAL;
	return ret ? -EIO : 0;
}

int seed_derive_vseed(const u8 *pseed, u32 pseed_len, const u8 *uuid,
		      u32 profile, u8 *out, u32 out_len)
{
	u32 len = seed_vseed_len(profile);
	u8 info[SEED_INFO_LEN];
	int err;

	if (!pseed_len)
		return -ENODATA;
	if (!len || out_len < len)
		return -EINVAL;
	memcpy(info, seed_info_label, SEED_LABEL_LEN);
	memcpy(info + SEED_LABEL_LEN, uuid, LHV_HV_UUID_LEN);
	err = seed_hkdf(profile == LHV_VM_PROFILE_LINUX, (const u8 *)seed_salt,
			SEED_SALT_LEN, pseed, pseed_len, info, sizeof(info),
			out, len);
	mbedtls_platform_zeroize(info, sizeof(info));
	if (err) {
		mbedtls_platform_zeroize(out, len);
		return err;
	}
	return (int)len;
}
