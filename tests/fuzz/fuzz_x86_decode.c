// SPDX-License-Identifier: BSD-3-Clause
/*
 * libFuzzer harness of the MMIO decoder and the fetch page walk
 * (hv/lib/x86_decode.c, x86_walk.c). Input: a control byte (low nibble:
 * how many instruction bytes follow, high: mode % 3), how many bytes to
 * fetch (% 16), the instruction bytes, 8 bytes seeding the registers, 8
 * of the value a load reads, the paging state (gva, flags, MAXPHYADDR),
 * and the rest is guest memory at gpa 0 whose first page is the root
 * table (seeds_x86_decode.c writes examples). Checks the promises of
 * both headers, not only that nothing crashes.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_check.h"
#include "x86_decode.h"
#include "x86_walk.h"

/* The input, consumed front to back; missing bytes read as zero. */
struct input {
	const uint8_t *p;
	size_t left;
};

static uint8_t take_byte(struct input *in)
{
	uint8_t b = 0;

	if (in->left) {
		b = *in->p++;
		in->left--;
	}
	return b;
}

static uint64_t take_u64(struct input *in)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v |= (uint64_t)take_byte(in) << (8 * i);
	return v;
}

static uint64_t mask_of(unsigned int size)
{
	return size >= 8 ? ~0ULL : (1ULL << (8 * size)) - 1;
}

static bool is_size(unsigned int n)
{
	return n == 1 || n == 2 || n == 4 || n == 8;
}

/* What a load must leave in its register, computed another way. */
static uint64_t expected_low_bits(const struct x86_mmio_insn *insn,
				  uint64_t val)
{
	unsigned int unused = 64 - 8 * insn->size;

	if (insn->ext == X86_EXT_SIGN)
		return (uint64_t)((int64_t)(val << unused) >> unused);
	return val & mask_of(insn->size);
}

static void check_load(const struct x86_mmio_insn *insn,
		       const struct x86_regs *before, uint64_t val)
{
	struct x86_regs r = *before;
	uint64_t old = before->gpr[insn->reg], now, dst;
	int i;

	x86_mmio_load_result(insn, &r, val);
	for (i = 0; i < X86_NR_GPRS; i++)
		check(i == insn->reg || r.gpr[i] == before->gpr[i]);
	now = r.gpr[insn->reg];
	dst = mask_of(insn->dst_size);
	if (insn->high_byte) {
		check((now & ~0xff00ULL) == (old & ~0xff00ULL));
		check(((now >> 8) & 0xff) == (val & 0xff));
		return;
	}
	check((now & dst) == (expected_low_bits(insn, val) & dst));
	if (insn->dst_size == 4)
		check(now >> 32 == 0);
	else if (insn->dst_size < 4)
		check((now & ~dst) == (old & ~dst));
}

static void check_fields(const struct x86_mmio_insn *insn, uint32_t avail)
{
	check(insn->len >= 1 && insn->len <= X86_MAX_INSN_LEN);
	check(insn->len <= avail);
	check(is_size(insn->size) && is_size(insn->dst_size));
	check(insn->reg < X86_NR_GPRS);
	check(!insn->high_byte || (insn->reg < 4 && insn->size == 1));
	check(insn->seg <= X86_SEG_GS);
	if (insn->write) {
		check(insn->ext == X86_EXT_NONE);
		check(insn->dst_size == insn->size);
	} else {
		check(!insn->has_imm);
		check(insn->dst_size >= insn->size);
		check(insn->ext != X86_EXT_NONE ||
		      insn->dst_size == insn->size);
	}
}

static void check_decode(const uint8_t *bytes, uint32_t avail,
			 enum x86_cpu_mode mode, const struct x86_regs *regs,
			 uint64_t val)
{
	struct x86_mmio_insn insn, again;
	int err;

	err = x86_decode(bytes, avail, mode, &insn);
	check(err <= X86_DECODE_OK && err >= X86_DECODE_MODE);
	check(x86_decode_strerror(err) != NULL);
	if (err)
		return;
	check_fields(&insn, avail);
	/* Exactly len bytes decode the same; one fewer is truncated. */
	check(x86_decode(bytes, insn.len, mode, &again) == X86_DECODE_OK);
	check(again.len == insn.len && again.size == insn.size &&
	      again.reg == insn.reg && again.write == insn.write &&
	      again.imm == insn.imm && again.dst_size == insn.dst_size);
	check(x86_decode(bytes, insn.len - 1u, mode, &again) ==
	      X86_DECODE_TRUNCATED);
	if (insn.write)
		check((x86_mmio_store_value(&insn, regs) &
		       ~mask_of(insn.size)) == 0);
	else
		check_load(&insn, regs, val);
}

/* Guest memory for the walk: the tail of the input, at gpa 0. */
struct guest {
	const uint8_t *mem;
	size_t size;
};

static int read_guest(void *ctx, uint64_t gpa, void *buf, uint32_t len)
{
	const struct guest *g = ctx;

	if (gpa > g->size || len > g->size - gpa)
		return -1;
	memcpy(buf, g->mem + gpa, len);
	return 0;
}

/* Every fetched byte is the one a walk of its own address finds. */
static uint32_t check_fetch(const struct x86_paging *pg, const struct guest *g,
			    uint64_t gva, uint32_t want, uint8_t *buf)
{
	uint64_t gpa;
	uint32_t got, i;
	int err = 1;

	got = x86_fetch_insn(pg, gva, buf, want, &err);
	check(got <= want && got <= X86_FETCH_MAX_LEN);
	check(err <= X86_WALK_OK && err >= X86_WALK_UNSUPPORTED);
	check((err == X86_WALK_OK) == (got == want));
	for (i = 0; i < got; i++) {
		check(x86_walk_fetch(pg, gva + i, &gpa) == X86_WALK_OK);
		check((gpa & 0xfff) == ((gva + i) & 0xfff));
		check(gpa < g->size && g->mem[gpa] == buf[i]);
	}
	return got;
}

static void build_paging(struct input *in, struct x86_paging *pg)
{
	uint8_t flags = take_byte(in);

	pg->cr0 = (flags & 1) ? X86_CR0_PG | 1 : 1;
	pg->cr3 = 0;
	pg->cr4 = ((flags & 2) ? 0 : X86_CR4_PAE) |
		  ((flags & 4) ? X86_CR4_LA57 : 0) |
		  ((flags & 8) ? X86_CR4_SMEP : 0);
	pg->efer = ((flags & 16) ? 0 : X86_EFER_LMA) |
		   ((flags & 32) ? X86_EFER_NXE : 0);
	pg->user = flags & 64;
	pg->maxphyaddr = take_byte(in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	struct x86_regs regs;
	struct x86_paging pg = { .read_gpa = read_guest };
	struct guest g;
	uint8_t ctl = take_byte(&in), bytes[X86_MAX_INSN_LEN], fetched[16];
	uint32_t n = ctl & 15, want = take_byte(&in) & 15, i, got;
	uint64_t seed, val, gva;
	enum x86_cpu_mode mode = (enum x86_cpu_mode)((ctl >> 4) % 3);

	memset(bytes, 0, sizeof(bytes));
	for (i = 0; i < n && in.left; i++)
		bytes[i] = take_byte(&in);
	n = i;
	seed = take_u64(&in);
	val = take_u64(&in);
	for (i = 0; i < X86_NR_GPRS; i++) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		regs.gpr[i] = seed ^ (seed >> 29);
	}
	check_decode(bytes, n, mode, &regs, val);

	gva = take_u64(&in);
	build_paging(&in, &pg);
	g.mem = in.p;
	g.size = in.left;
	pg.ctx = &g;
	memset(fetched, 0xcc, sizeof(fetched));
	got = check_fetch(&pg, &g, gva, want, fetched);
	check(fetched[15] == 0xcc);
	/* What the hv does next: decode what it fetched. */
	check_decode(fetched, got, mode, &regs, val);
	return 0;
}
