// SPDX-License-Identifier: BSD-3-Clause
/* Guest page walks for instruction fetch (see x86_walk.h). */
#include "x86_walk.h"

#define PTE_P (1ULL << 0)
#define PTE_US (1ULL << 2)
#define PTE_PS (1ULL << 7)
#define PTE_NX (1ULL << 63)
/* Bits 51:12: the frame; those at or above MAXPHYADDR are reserved. */
#define PTE_FRAME 0x000ffffffffff000ULL

#define PAGE_SIZE 4096ULL
#define LEVEL_BITS 9

/* What one walk has gathered on the way down. */
struct walk {
	u64 frame_mask; /* frame bits below MAXPHYADDR */
	u64 reserved;	/* bits no entry may set */
	bool user_ok;	/* U/S set at every level so far */
	bool no_exec;	/* NX set at some level */
};

static u64 read_le64(const u8 *b)
{
	u64 v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = (v << 8) | b[i];
	return v;
}

static bool is_canonical(u64 va, unsigned int va_bits)
{
	unsigned int unused = 64 - va_bits;

	return (u64)((s64)(va << unused) >> unused) == va;
}

static void walk_init(const struct x86_paging *pg, struct walk *w)
{
	unsigned int phys = pg->maxphyaddr;

	if (phys < 32 || phys > 52)
		phys = 52;
	w->frame_mask = PTE_FRAME & ((1ULL << phys) - 1);
	w->reserved = PTE_FRAME & ~w->frame_mask;
	if (!(pg->efer & X86_EFER_NXE))
		w->reserved |= PTE_NX;
	w->user_ok = true;
	w->no_exec = false;
}

/*
 * Checks one entry at @level (1: PTE ... 5: PML5E) mapping 2^shift bytes
 * per entry, and says whether it maps a page (leaf) or a table.
 */
static int check_entry(struct walk *w, u64 pte, unsigned int level,
		       unsigned int shift, bool *leaf)
{
	u64 large_reserved = ((1ULL << shift) - 1) & ~(2 * PAGE_SIZE - 1);

	if (!(pte & PTE_P))
		return X86_WALK_NOT_PRESENT;
	if (pte & w->reserved)
		return X86_WALK_RESERVED;
	*leaf = level == 1;
	/* In a PTE, bit 7 is PAT; in a PML4E or PML5E it is reserved. */
	if (level > 1 && (pte & PTE_PS)) {
		if (level > 3 || (pte & large_reserved))
			return X86_WALK_RESERVED;
		*leaf = true;
	}
	if (!(pte & PTE_US))
		w->user_ok = false;
	if (pte & PTE_NX)
		w->no_exec = true;
	return X86_WALK_OK;
}

/* NX, then the user/supervisor rules for a fetch (SMEP included). */
static int check_fetch(const struct x86_paging *pg, const struct walk *w)
{
	if (w->no_exec)
		return X86_WALK_PROTECTION;
	if (pg->user && !w->user_ok)
		return X86_WALK_PROTECTION;
	if (!pg->user && w->user_ok && (pg->cr4 & X86_CR4_SMEP))
		return X86_WALK_PROTECTION;
	return X86_WALK_OK;
}

int x86_walk_fetch(const struct x86_paging *pg, u64 gva, u64 *gpa)
{
	unsigned int levels, level, shift = 12;
	struct walk w;
	u64 table, pte = 0, page_mask;
	u8 raw[8];
	bool leaf = false;
	int err;

	/* Without paging the CPU is not in long mode: 32-bit addresses. */
	if (!(pg->cr0 & X86_CR0_PG)) {
		*gpa = gva & 0xffffffffULL;
		return X86_WALK_OK;
	}
	if (!(pg->efer & X86_EFER_LMA) || !(pg->cr4 & X86_CR4_PAE))
		return X86_WALK_UNSUPPORTED;
	levels = (pg->cr4 & X86_CR4_LA57) ? 5 : 4;
	if (!is_canonical(gva, 12 + LEVEL_BITS * levels))
		return X86_WALK_NONCANONICAL;

	walk_init(pg, &w);
	table = pg->cr3 & w.frame_mask;
	for (level = levels; level >= 1; level--) {
		shift = 12 + LEVEL_BITS * (level - 1);
		if (pg->read_gpa(pg->ctx, table + 8 * ((gva >> shift) & 511),
				 raw, 8))
			return X86_WALK_READ_FAILED;
		pte = read_le64(raw);
		err = check_entry(&w, pte, level, shift, &leaf);
		if (err)
			return err;
		if (leaf)
			break;
		table = pte & w.frame_mask;
	}
	err = check_fetch(pg, &w);
	if (err)
		return err;
	page_mask = (1ULL << shift) - 1;
	*gpa = (pte & w.frame_mask & ~page_mask) | (gva & page_mask);
	return X86_WALK_OK;
}

u32 x86_fetch_insn(const struct x86_paging *pg, u64 gva, u8 *buf, u32 len,
		   int *err)
{
	u32 got = 0, chunk;
	u64 gpa = 0;
	int e = X86_WALK_OK;

	if (len > X86_FETCH_MAX_LEN)
		len = X86_FETCH_MAX_LEN;
	while (got < len) {
		e = x86_walk_fetch(pg, gva + got, &gpa);
		if (e)
			break;
		chunk = (u32)(PAGE_SIZE - (gpa & (PAGE_SIZE - 1)));
		if (chunk > len - got)
			chunk = len - got;
		if (pg->read_gpa(pg->ctx, gpa, buf + got, chunk)) {
			e = X86_WALK_READ_FAILED;
			break;
		}
		got += chunk;
	}
	if (err)
		*err = e;
	return got;
}
