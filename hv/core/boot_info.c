// SPDX-License-Identifier: BSD-3-Clause
/*
 * The loader's once-per-enable block. CPUs enter concurrently, so the
 * first one in copies and checks it under a lock; the others see the
 * outcome. The copy lives in hv memory: the SOS cannot change it later,
 * and the loader wipes its own (the seed) once every CPU is in. The
 * platform seed moves on at once into core/vseed.c's keep area.
 */
#include <hv/boot_info.h>
#include <hv/errno.h>
#include <hv/page.h>
#include <hv/seed.h>
#include <hv/spinlock.h>
#include <hv/string.h>

#include "mbedtls/platform_util.h"

struct lhv_hv_boot_info hv_boot_info;

static spinlock_t boot_info_lock;
static bool boot_info_done;
static int boot_info_err;
static const char *boot_info_why;

_Static_assert(sizeof(struct lhv_hv_boot_info) <= PAGE_SIZE,
	       "the boot info block fits in a page");

static int boot_info_check(const char **why)
{
	const struct lhv_hv_boot_info *b = &hv_boot_info;
	u64 prev_end = 0;
	u32 i;

	if (b->size < sizeof(*b)) {
		*why = "boot info block too small";
		return -EINVAL;
	}
	if (b->flags) {
		*why = "unknown boot info flags";
		return -EINVAL;
	}
	if (b->seed_len > LHV_HV_SEED_MAX) {
		*why = "platform seed too long";
		return -EINVAL;
	}
	if (!seed_vseed_len(b->sos_profile) || b->reserved) {
		*why = "unknown service VM profile";
		return -EINVAL;
	}
	if (!b->nr_ram || b->nr_ram > LHV_HV_MAX_RAM_RANGES) {
		*why = "no or too many RAM ranges";
		return -EINVAL;
	}
	for (i = 0; i < b->nr_ram; i++) {
		const struct lhv_hv_ram_range *r = &b->ram[i];

		if ((r->start | r->end) & (PAGE_SIZE - 1) ||
		    r->end <= r->start || (i && r->start < prev_end)) {
			*why = "RAM ranges not page aligned, sorted, disjoint";
			return -EINVAL;
		}
		prev_end = r->end;
	}
	return 0;
}

int boot_info_take(const struct lhv_hv_boot_info *info, const char **why)
{
	int err;

	spin_lock(&boot_info_lock);
	if (!boot_info_done) {
		boot_info_done = true;
		if (!info) {
			boot_info_why = "no boot info block";
			boot_info_err = -EINVAL;
		} else {
			memcpy(&hv_boot_info, info, sizeof(hv_boot_info));
			boot_info_err = boot_info_check(&boot_info_why);
		}
		if (boot_info_err)
			mbedtls_platform_zeroize(&hv_boot_info,
						 sizeof(hv_boot_info));
		else
			vseed_take_platform_seed();
	}
	err = boot_info_err;
	*why = boot_info_why;
	spin_unlock(&boot_info_lock);
	return err;
}

bool boot_info_is_sos_ram(u64 start, u64 len)
{
	u32 i;

	if (!len || start + len < start)
		return false;
	for (i = 0; i < hv_boot_info.nr_ram; i++) {
		const struct lhv_hv_ram_range *r = &hv_boot_info.ram[i];

		if (start >= r->start && start + len <= r->end)
			return true;
	}
	return false;
}
