/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vSEED derivation (core/seed.c): HKDF over the platform seed with mbedtls,
 * and the platform seed the hv keeps (core/vseed.c). docs/hv.md, "SEED".
 */
#ifndef _HV_SEED_H
#define _HV_SEED_H

#include <hv/types.h>

/* The longest vSEED (linux profile, SHA-512). */
#define SEED_VSEED_MAX 64

/* Bytes of a VM's vSEED for an LHV_VM_PROFILE_*; 0 for an unknown one. */
u32 seed_vseed_len(u32 profile);

/*
 * RFC 5869 HKDF (extract, then expand) with HMAC-SHA512 if @sha512, else
 * HMAC-SHA256, by mbedtls. Not reentrant (the digest contexts come from a
 * fixed pool): callers serialise. Returns 0, -EINVAL (okm_len above 255
 * hash lengths) or -EIO.
 */
int seed_hkdf(bool sha512, const u8 *salt, size_t salt_len, const u8 *ikm,
	      size_t ikm_len, const u8 *info, size_t info_len, u8 *okm,
	      size_t okm_len);

/*
 * The vSEED of the VM with @uuid (16 bytes) and @profile from the platform
 * seed @pseed: HKDF with salt "lhv-vseed-v1", info "lhv-vseed" || uuid and
 * L = seed_vseed_len(profile). Writes L bytes to @out and returns L; or
 * -ENODATA (no platform seed), -EINVAL (unknown profile, @out_len < L),
 * -EIO. Not reentrant, like seed_hkdf.
 */
int seed_derive_vseed(const u8 *pseed, u32 pseed_len, const u8 *uuid,
		      u32 profile, u8 *out, u32 out_len);

/*
 * core/vseed.c, hv only. On the first CPU of an enable, with the boot info
 * just copied: a platform seed given there replaces the kept one, and is
 * wiped from the boot info copy.
 */
void vseed_take_platform_seed(void);
struct hv_vm;
/*
 * LHV_HC_GET_VSEED: RDI = @gpa, RSI = @size, from the service VM (@vm
 * NULL) or the user VM @vm, whose own UUID and profile it derives from.
 */
s64 vseed_hc_get(const struct hv_vm *vm, u64 gpa, u64 size);

#endif /* _HV_SEED_H */
