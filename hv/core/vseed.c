// SPDX-License-Identifier: BSD-3-Clause
/*
 * The platform seed in the hv and LHV_HC_GET_VSEED. The seed lives in the
 * keep area of hv memory (lhv.ld, header keep_offset), which the loader
 * leaves alone across disable and enable and wipes before it frees hv
 * memory: lhv.ko reads the boot chain's seed page once and keeps no copy,
 * so later enables give no seed and the hv uses the kept one. The SOS
 * never sees the platform seed again. Every VM, the SOS included, gets
 * only its own vSEED: the call derives from the caller's UUID.
 */
#include <lhv/hypercall.h>
#include <hv/boot_info.h>
#include <hv/compiler.h>
#include <hv/errno.h>
#include <hv/guest_mem.h>
#include <hv/percpu.h>
#include <hv/seed.h>
#include <hv/spinlock.h>
#include <hv/string.h>
#include <hv/vm.h>

#include "mbedtls/platform_util.h"

struct vseed_keep {
	u32 seed_len; /* 0: no platform seed */
	u32 reserved;
	u8 seed[LHV_HV_SEED_MAX];
};

static struct vseed_keep vseed_keep __section(".hv.keep");

/* Serialises derivations: mbedtls's contexts come from one fixed pool. */
static spinlock_t vseed_lock;

void vseed_take_platform_seed(void)
{
	struct lhv_hv_boot_info *b = &hv_boot_info;

	/* The loader zeroes the keep area once; trust no other value. */
	if (vseed_keep.seed_len > LHV_HV_SEED_MAX)
		mbedtls_platform_zeroize(&vseed_keep, sizeof(vseed_keep));
	if (b->seed_len) {
		mbedtls_platform_zeroize(&vseed_keep, sizeof(vseed_keep));
		memcpy(vseed_keep.seed, b->seed, b->seed_len);
		vseed_keep.seed_len = b->seed_len;
	}
	mbedtls_platform_zeroize(b->seed, sizeof(b->seed));
	/* From here on: the length of the seed the hv holds. */
	b->seed_len = vseed_keep.seed_len;
}

s64 vseed_hc_get(const struct hv_vm *vm, u64 gpa, u64 size)
{
	/* The caller's own identity: there is no VM argument. */
	u32 profile = vm ? vm->profile : hv_boot_info.sos_profile;
	const u8 *uuid = vm ? vm->uuid : hv_boot_info.sos_uuid;
	u32 len = seed_vseed_len(profile);
	u8 out[SEED_VSEED_MAX];
	int ret;

	if (!vseed_keep.seed_len)
		return -ENODATA;
	if (size < len)
		return -EINVAL;
	if (size > LHV_HC_MAX_COPY)
		return -E2BIG;
	/* Refuse a bad buffer before any work. */
	ret = guest_check_vm(vm, gpa, len);
	if (ret)
		return ret;
	spin_lock(&vseed_lock);
	ret = seed_derive_vseed(vseed_keep.seed, vseed_keep.seed_len, uuid,
				profile, out, sizeof(out));
	spin_unlock(&vseed_lock);
	if (ret > 0) {
		int err = guest_write_vm(vm, gpa, out, (u64)ret);

		if (err)
			ret = err;
	}
	mbedtls_platform_zeroize(out, sizeof(out));
	return ret;
}
