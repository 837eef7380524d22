/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Guest-virtual to guest-physical translation for fetching the instruction
 * at a guest's RIP (MMIO decoding, see x86_decode.h). Long-mode paging
 * with four levels, or five with CR4.LA57; 4 KiB, 2 MiB and 1 GiB pages;
 * paging off is the identity. Legacy 32-bit paging (with or without PAE)
 * is refused. Guest page tables are read through a callback, so the hv
 * supplies its own checked guest-memory reader; accessed and dirty bits
 * are not set (the CPU set them when it fetched the instruction).
 * Portable: hv types only.
 */
#ifndef _HV_LIB_X86_WALK_H
#define _HV_LIB_X86_WALK_H

#include <hv/types.h>

/*
 * The control-register and EFER bits the walk looks at (the hv's
 * asm/processor.h has the same values for some).
 */
#ifndef X86_CR0_PG
#define X86_CR0_PG (1ULL << 31)
#endif
#ifndef X86_CR4_PAE
#define X86_CR4_PAE (1ULL << 5)
#endif
#ifndef X86_CR4_LA57
#define X86_CR4_LA57 (1ULL << 12)
#endif
#define X86_CR4_SMEP (1ULL << 20)
#define X86_EFER_LMA (1ULL << 10)
#define X86_EFER_NXE (1ULL << 11)

/* The longest x86 instruction. */
#define X86_FETCH_MAX_LEN 15

/* Copies len bytes of guest-physical memory at gpa; 0 or negative. */
typedef int (*x86_read_gpa_fn)(void *ctx, u64 gpa, void *buf, u32 len);

/* The guest's paging state and how to read its memory. */
struct x86_paging {
	u64 cr0, cr3, cr4, efer;
	/*
	 * Guest physical-address width (CPUID 0x80000008 EAX[7:0]); 0 or a
	 * value outside 32-52 means 52.
	 */
	u8 maxphyaddr;
	/* The fetch runs at CPL 3: every level must allow user access. */
	bool user;
	x86_read_gpa_fn read_gpa;
	void *ctx;
};

/* Why a walk failed; negative, 0 is success. */
enum x86_walk_err {
	X86_WALK_OK = 0,
	X86_WALK_NOT_PRESENT = -1,  /* P clear at some level: #PF */
	X86_WALK_RESERVED = -2,	    /* reserved bit set: #PF (RSVD) */
	X86_WALK_PROTECTION = -3,   /* NX, user or SMEP check: #PF */
	X86_WALK_NONCANONICAL = -4, /* address not canonical: #GP */
	X86_WALK_READ_FAILED = -5,  /* read_gpa refused a table entry */
	X86_WALK_UNSUPPORTED = -6,  /* legacy 32-bit paging */
};

/* Translates @gva for an instruction fetch; *gpa set on success. */
int x86_walk_fetch(const struct x86_paging *pg, u64 gva, u64 *gpa);

/*
 * Fetches up to @len (at most X86_FETCH_MAX_LEN) instruction bytes at
 * linear address @gva (CS.base + RIP; the base is 0 in 64-bit mode) into
 * @buf, page by page: the bytes may straddle two pages. Returns how many
 * bytes it got, from 0 to len; *err (if not NULL) is X86_WALK_OK when
 * all came, else why not (an enum x86_walk_err; X86_WALK_READ_FAILED
 * also when read_gpa refuses the bytes themselves).
 */
u32 x86_fetch_insn(const struct x86_paging *pg, u64 gva, u8 *buf, u32 len,
		   int *err);

#endif /* _HV_LIB_X86_WALK_H */
