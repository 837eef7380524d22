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
#include <asm/npt.h>
#include <asm/paging.h>
#include <hv/boot_info.h>
#include <hv/compiler.h>
#include <hv/errno.h>
#include <hv/guest_mem.h>
#include <hv/page.h>
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

/*
 * Whether [gpa, gpa + len) is the caller's RAM: the SOS's (guest_check:
 * -EFAULT, -E2BIG) or a user VM's, chunks from guest-physical 0.
 */
static int vseed_check_buf(const struct hv_vm *vm, u64 gpa, u64 len)
{
	if (!vm)
		return guest_check(gpa, len);
	if (gpa + len < gpa || gpa + len > vm->ram_size)
		return -EFAULT;
	return 0;
}

/*
 * Writes @len bytes to a user VM's guest-physical @gpa, checked by
 * vseed_check_buf, through this CPU's window, one page at a time.
 */
static int vseed_write_uvm(const struct hv_vm *vm, u64 gpa, const u8 *src,
			   u64 len)
{
	unsigned int cpu = this_cpu_id();

	while (len) {
		u64 hpa = npt_vm_chunk_hpa(&vm->npt, gpa / LHV_VM_CHUNK_SIZE);
		u64 n = PAGE_SIZE - (gpa & (PAGE_SIZE - 1));
		void *win;

		if (!hpa)
			return -EFAULT;
		if (n > len)
			n = len;
		win = paging_map_window(cpu,
					hpa + (gpa & (LHV_VM_CHUNK_SIZE - 1)));
		memcpy(win, src, n);
		paging_unmap_window(cpu);
		src += n;
		gpa += n;
		len -= n;
	}
	return 0;
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
	ret = vseed_check_buf(vm, gpa, len);
	if (ret)
		return ret;
	spin_lock(&vseed_lock);
	ret = seed_derive_vseed(vseed_keep.seed, vseed_keep.seed_len, uuid,
				profile, out, sizeof(out));
	spin_unlock(&vseed_lock);
	if (ret > 0) {
		int err = vm ? vseed_write_uvm(vm, gpa, out, (u64)ret)
			     : guest_write(gpa, out, (u64)ret);

		if (err)
			ret = err;
	}
	mbedtls_platform_zeroize(out, sizeof(out));
	return ret;
}
