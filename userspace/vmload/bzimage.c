// SPDX-License-Identifier: BSD-3-Clause
/*
 * Setup header checks for 64-bit bzImages (see bzimage.h). Each refusal
 * names the field, so a user with a broken or hostile file learns which.
 */
#include "bzimage.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

static int check_magic(const uint8_t *d, size_t size, struct vml_err *err)
{
	if (size < BZ_VERSION + 2)
		return vml_fail(err, -ENOEXEC,
				"kernel: %zu bytes is too short for a bzImage",
				size);
	if (vml_get16(d + BZ_BOOT_FLAG) != BZ_BOOT_FLAG_MAGIC)
		return vml_fail(
			err, -ENOEXEC,
			"kernel: boot_flag is 0x%04x, not 0xaa55: no bzImage",
			vml_get16(d + BZ_BOOT_FLAG));
	if (vml_get32(d + BZ_HEADER) != BZ_HEADER_MAGIC)
		return vml_fail(err, -ENOEXEC,
				"kernel: no \"HdrS\" setup header: no bzImage");
	return 0;
}

/* The sizes of the parts: header, real-mode setup, protected-mode code. */
static int check_sizes(const uint8_t *d, size_t size, struct vml_bzimage *bz,
		       struct vml_err *err)
{
	unsigned int sects;
	uint32_t syssize;

	bz->hdr_end = BZ_HEADER + d[BZ_JUMP + 1];
	if (bz->hdr_end < BZ_HDR_MIN_END || bz->hdr_end > BZ_HDR_MAX_END)
		return vml_fail(
			err, -EINVAL,
			"kernel: setup header ends at 0x%x, outside 0x%x..0x%x",
			bz->hdr_end, BZ_HDR_MIN_END, BZ_HDR_MAX_END);
	sects = d[BZ_SETUP_SECTS] ? d[BZ_SETUP_SECTS] : 4;
	bz->setup_size = (sects + 1) * 512;
	if (bz->setup_size < bz->hdr_end)
		return vml_fail(err, -EINVAL,
				"kernel: setup_sects %u leaves the setup "
				"header outside the setup code",
				sects);
	if (bz->setup_size >= size)
		return vml_fail(err, -EINVAL,
				"kernel: setup_sects %u: setup (%u bytes) "
				"fills the whole %zu-byte file",
				sects, bz->setup_size, size);
	syssize = vml_get32(d + BZ_SYSSIZE);
	bz->pm_size = (uint64_t)syssize * 16;
	if (!syssize)
		return vml_fail(err, -EINVAL, "kernel: syssize is 0");
	/* Bytes after the code are allowed: a signature for UEFI boot. */
	if (bz->pm_size > size - bz->setup_size)
		return vml_fail(err, -EINVAL,
				"kernel: syssize says %" PRIu64
				" bytes of code, the file has %zu",
				bz->pm_size, size - bz->setup_size);
	return 0;
}

static int check_alignment(const uint8_t *d, struct vml_bzimage *bz,
			   struct vml_err *err)
{
	uint32_t a = vml_get32(d + BZ_KERNEL_ALIGNMENT);
	unsigned int min_shift = d[BZ_MIN_ALIGNMENT];

	if (a < 4096 || a > BZ_ALIGN_MAX || (a & (a - 1)))
		return vml_fail(err, -EINVAL,
				"kernel: kernel_alignment 0x%x is no power of "
				"two in 4 KiB..1 GiB",
				a);
	if (min_shift > 30 || (UINT32_C(1) << min_shift) > a)
		return vml_fail(err, -EINVAL,
				"kernel: min_alignment 2^%u is larger than "
				"kernel_alignment 0x%x",
				min_shift, a);
	bz->kernel_alignment = a;
	bz->pref_address = vml_get64(d + BZ_PREF_ADDRESS);
	return 0;
}

static int check_flags(const uint8_t *d, struct vml_bzimage *bz,
		       struct vml_err *err)
{
	bz->version = vml_get16(d + BZ_VERSION);
	if (bz->version < BZ_MIN_VERSION)
		return vml_fail(
			err, -EINVAL,
			"kernel: boot protocol %u.%02u is older than 2.12",
			bz->version >> 8, bz->version & 0xff);
	bz->loadflags = d[BZ_LOADFLAGS];
	if (!(bz->loadflags & BZ_LOADED_HIGH))
		return vml_fail(err, -EINVAL,
				"kernel: loadflags lack LOADED_HIGH: a zImage, "
				"not a bzImage");
	bz->xloadflags = vml_get16(d + BZ_XLOADFLAGS);
	if (!(bz->xloadflags & BZ_XLF_KERNEL_64))
		return vml_fail(err, -EINVAL,
				"kernel: xloadflags lack XLF_KERNEL_64: no "
				"64-bit entry point");
	if (!d[BZ_RELOCATABLE])
		return vml_fail(
			err, -EINVAL,
			"kernel: relocatable_kernel is 0: not relocatable");
	return 0;
}

static int check_limits(const uint8_t *d, struct vml_bzimage *bz,
			struct vml_err *err)
{
	uint32_t poff, plen;

	bz->init_size = vml_get32(d + BZ_INIT_SIZE);
	if (bz->init_size < bz->pm_size || bz->init_size > BZ_INIT_SIZE_MAX)
		return vml_fail(err, -EINVAL,
				"kernel: init_size 0x%x is below the code size "
				"0x%" PRIx64 " or above 1 GiB",
				bz->init_size, bz->pm_size);
	bz->cmdline_size = vml_get32(d + BZ_CMDLINE_SIZE);
	bz->initrd_addr_max = vml_get32(d + BZ_INITRD_ADDR_MAX);
	if (bz->initrd_addr_max < 0xfffff)
		return vml_fail(err, -EINVAL,
				"kernel: initrd_addr_max 0x%x is below 1 MiB",
				bz->initrd_addr_max);
	poff = vml_get32(d + BZ_PAYLOAD_OFFSET);
	plen = vml_get32(d + BZ_PAYLOAD_LENGTH);
	if ((uint64_t)poff + plen > bz->pm_size)
		return vml_fail(err, -EINVAL,
				"kernel: payload 0x%x+0x%x lies beyond the "
				"code (0x%" PRIx64 " bytes)",
				poff, plen, bz->pm_size);
	return 0;
}

int vml_bzimage_parse(const void *data, size_t size, struct vml_bzimage *bz,
		      struct vml_err *err)
{
	const uint8_t *d = data;
	int ret;

	memset(bz, 0, sizeof(*bz));
	ret = check_magic(d, size, err);
	if (!ret)
		ret = check_sizes(d, size, bz, err);
	if (!ret)
		ret = check_flags(d, bz, err);
	if (!ret)
		ret = check_alignment(d, bz, err);
	if (!ret)
		ret = check_limits(d, bz, err);
	if (ret)
		return ret;
	bz->data = d;
	bz->size = size;
	return 0;
}
