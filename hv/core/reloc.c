// SPDX-License-Identifier: BSD-3-Clause
/*
 * The hv relocates itself. Code addresses everything relative to %rip,
 * but pointers stored in data (mbedtls's digest tables) hold link-time
 * addresses, 0-based: ld lists each as an R_X86_64_RELATIVE entry in
 * .rela.dyn, which lhv.ld loads. The loader copies a pristine image at
 * every enable, so the first CPU of each enable applies them once, under a
 * lock, before the hv reads any such pointer. scripts/check_elf.sh admits
 * no other relocation type, and ld (-z text) puts none in the text.
 */
#include <hv/errno.h>
#include <hv/memory.h>
#include <hv/reloc.h>
#include <hv/spinlock.h>

#define R_X86_64_NONE 0
#define R_X86_64_RELATIVE 8

struct elf64_rela {
	u64 r_offset;
	u64 r_info;
	s64 r_addend;
};

/* Defined by lhv.ld. */
extern const struct elf64_rela __hv_rela_start[], __hv_rela_end[];
extern const char __hv_image_size[];

static spinlock_t reloc_lock;
static bool reloc_done;
static int reloc_err;

static int reloc_apply(void)
{
	u64 base = (u64)__hv_image_start;
	u64 image_size = (u64)__hv_image_size;
	const struct elf64_rela *r;

	for (r = __hv_rela_start; r < __hv_rela_end; r++) {
		u32 type = (u32)r->r_info;

		if (type == R_X86_64_NONE)
			continue;
		if (type != R_X86_64_RELATIVE || r->r_offset & 7 ||
		    r->r_offset > image_size - sizeof(u64))
			return -ENOEXEC;
		*(u64 *)(base + r->r_offset) = base + (u64)r->r_addend;
	}
	return 0;
}

int hv_relocate(void)
{
	int err;

	spin_lock(&reloc_lock);
	if (!reloc_done) {
		reloc_err = reloc_apply();
		reloc_done = true;
	}
	err = reloc_err;
	spin_unlock(&reloc_lock);
	return err;
}
