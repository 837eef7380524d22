// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The platform seed on its way from the boot chain to the hv (docs/hv.md,
 * "SEED"), and the service VM's identity for its vSEED.
 *
 * lhv.ko gathers the seed only for the first enable after it allocated hv
 * memory: from the page the bootloader reserved (seed_addr, format in
 * <lhv/seed.h>), which it then zeroes, or, when no page is configured, from
 * the development file lhv/seed.bin. The seed goes straight into the boot
 * info block, which hv.c wipes once the hv has its copy; the hv keeps it in
 * hv memory across disable and enable. No SOS copy outlives the enable.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/crc32.h>
#include <linux/firmware.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>
#include <linux/uuid.h>
#include <lhv/hv_image.h>
#include <lhv/hypercall.h>
#include <lhv/seed.h>

#include "lhv.h"

#define LHV_SEED_FILE "lhv/seed.bin"
/* The service VM's UUID unless sos_uuid= says otherwise ("lhvsos"). */
#define LHV_SOS_UUID_DEFAULT "6c687673-6f73-4000-8000-000000000000"

static unsigned long seed_addr;
module_param(seed_addr, ulong, 0444);
MODULE_PARM_DESC(seed_addr, "Physical address of the platform seed page the "
			    "bootloader reserved (lhv.seed_addr= on the "
			    "kernel command line); 0: none");

static u32 lhv_sos_profile = LHV_VM_PROFILE_LINUX;

static int sos_profile_set(const char *val, const struct kernel_param *kp)
{
	if (sysfs_streq(val, "linux"))
		lhv_sos_profile = LHV_VM_PROFILE_LINUX;
	else if (sysfs_streq(val, "android"))
		lhv_sos_profile = LHV_VM_PROFILE_ANDROID;
	else
		return -EINVAL;
	return 0;
}

static int sos_profile_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n",
			  lhv_sos_profile == LHV_VM_PROFILE_ANDROID ? "android"
								    : "linux");
}

static const struct kernel_param_ops sos_profile_ops = {
	.set = sos_profile_set,
	.get = sos_profile_get,
};

module_param_cb(sos_profile, &sos_profile_ops, NULL, 0444);
MODULE_PARM_DESC(sos_profile, "The service VM's vSEED profile: linux "
			      "(HKDF-SHA512, 64 bytes; default) or android "
			      "(HKDF-SHA256, 32 bytes)");

static uuid_t lhv_sos_uuid;
static bool lhv_sos_uuid_given;

static int sos_uuid_set(const char *val, const struct kernel_param *kp)
{
	char s[UUID_STRING_LEN + 2], *u;

	/* uuid_parse() reads 36 characters and ignores what follows. */
	strscpy(s, val, sizeof(s));
	u = strim(s);
	if (strlen(u) != UUID_STRING_LEN || uuid_parse(u, &lhv_sos_uuid))
		return -EINVAL;
	lhv_sos_uuid_given = true;
	return 0;
}

static int sos_uuid_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%pUb\n", &lhv_sos_uuid);
}

static const struct kernel_param_ops sos_uuid_ops = {
	.set = sos_uuid_set,
	.get = sos_uuid_get,
};

module_param_cb(sos_uuid, &sos_uuid_ops, NULL, 0444);
MODULE_PARM_DESC(sos_uuid, "The service VM's UUID, which its vSEED derives "
			   "from (default " LHV_SOS_UUID_DEFAULT ")");

/* Where the seed the hv holds came from; under the caller's hv lock. */
static enum lhv_hv_seed lhv_seed_source_now = LHV_HV_SEED_NONE;

int lhv_seed_init(void)
{
	/* Parameters are parsed before init: keep a given UUID. */
	if (!lhv_sos_uuid_given &&
	    uuid_parse(LHV_SOS_UUID_DEFAULT, &lhv_sos_uuid))
		return -EINVAL;
	if (seed_addr & ~PAGE_MASK) {
		pr_err("seed_addr %#lx is not page aligned\n", seed_addr);
		return -EINVAL;
	}
	return 0;
}

/*
 * The bootloader's page: checked, copied into @info, zeroed. Never one in
 * hv memory, [hv_phys, hv_phys + hv_size).
 */
static int lhv_seed_from_page(struct lhv_hv_boot_info *info, u64 hv_phys,
			      u64 hv_size)
{
	struct lhv_seed_page *page;
	u32 len, crc;
	int err = -EINVAL;

	if (seed_addr < hv_phys + hv_size && seed_addr + PAGE_SIZE > hv_phys) {
		pr_err("seed page %#lx lies in hv memory\n", seed_addr);
		return -EINVAL;
	}
	if (region_intersects(seed_addr, PAGE_SIZE, IORESOURCE_SYSTEM_RAM,
			      IORES_DESC_NONE) != REGION_DISJOINT) {
		pr_err("seed page %#lx is System RAM the kernel owns: the "
		       "bootloader must reserve it (e.g. memmap=4K$%#lx)\n",
		       seed_addr, seed_addr);
		return -EINVAL;
	}
	page = memremap(seed_addr, PAGE_SIZE, MEMREMAP_WB);
	if (!page) {
		pr_err("cannot map the seed page %#lx\n", seed_addr);
		return -ENOMEM;
	}
	len = READ_ONCE(page->seed_len);
	if (page->magic != LHV_SEED_PAGE_MAGIC) {
		pr_err("seed page %#lx holds no seed (already handed over?)\n",
		       seed_addr);
	} else if (page->version != LHV_SEED_PAGE_VERSION || page->reserved ||
		   len < LHV_SEED_MIN || len > LHV_SEED_MAX ||
		   len > sizeof(info->seed)) {
		pr_err("seed page %#lx: unknown version or bad length\n",
		       seed_addr);
	} else {
		/* Straight into the block the hv copies: no other copy. */
		memcpy(info->seed, page->seed, len);
		crc = ~crc32_le(~0U, info->seed, len);
		if (crc != page->crc32) {
			pr_err("seed page %#lx: CRC mismatch\n", seed_addr);
			memzero_explicit(info->seed, sizeof(info->seed));
		} else {
			info->seed_len = len;
			err = 0;
		}
	}
	/* Whatever it held, nobody reads it again. */
	memzero_explicit(page, PAGE_SIZE);
	memunmap(page);
	return err;
}

/* The development file, used only when no seed page is configured. */
static int lhv_seed_from_file(struct lhv_hv_boot_info *info)
{
	const struct firmware *fw;
	int err;

	/* No user-helper fallback, no warning when absent. */
	err = request_firmware_direct(&fw, LHV_SEED_FILE, NULL);
	if (err)
		return err;
	if (fw->size < LHV_SEED_MIN || fw->size > sizeof(info->seed)) {
		pr_err("%s: %zu bytes, need %u to %zu\n", LHV_SEED_FILE,
		       fw->size, LHV_SEED_MIN, sizeof(info->seed));
		err = -EINVAL;
	} else {
		memcpy(info->seed, fw->data, fw->size);
		info->seed_len = fw->size;
		pr_warn("platform seed from the file %s: for development "
			"only, a product's seed comes from the boot chain "
			"(seed_addr)\n",
			LHV_SEED_FILE);
	}
	/* The loader's buffer is ours until released. */
	memzero_explicit((void *)fw->data, fw->size);
	release_firmware(fw);
	return err;
}

void lhv_seed_fill(struct lhv_hv_boot_info *info, bool first, u64 hv_phys,
		   u64 hv_size)
{
	int err;

	export_uuid(info->sos_uuid, &lhv_sos_uuid);
	info->sos_profile = lhv_sos_profile;
	if (!first)
		return; /* the hv keeps what it was given */
	lhv_seed_source_now = LHV_HV_SEED_NONE;
	if (seed_addr) {
		if (!lhv_seed_from_page(info, hv_phys, hv_size))
			lhv_seed_source_now = LHV_HV_SEED_BOOT;
		return;
	}
	err = lhv_seed_from_file(info);
	if (!err)
		lhv_seed_source_now = LHV_HV_SEED_FILE;
	else if (err == -ENOENT)
		pr_info("no platform seed (no seed_addr, no %s): vSEEDs "
			"unavailable\n",
			LHV_SEED_FILE);
}

void lhv_seed_lost(void)
{
	lhv_seed_source_now = LHV_HV_SEED_NONE;
}

enum lhv_hv_seed lhv_seed_source(void)
{
	return READ_ONCE(lhv_seed_source_now);
}
