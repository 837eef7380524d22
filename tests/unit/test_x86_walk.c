// SPDX-License-Identifier: BSD-3-Clause
/*
 * Unit tests of the guest page walk for instruction fetch
 * (hv/lib/x86_walk.c) over a small fake guest memory: 4 KiB, 2 MiB and
 * 1 GiB pages, four and five levels, not-present and reserved entries, NX,
 * user and SMEP checks, fetches across a page boundary, paging off.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "x86_decode.h"
#include "x86_walk.h"

#define EFER_LME (1ULL << 8)

#define P 0x001ULL
#define RW 0x002ULL
#define US 0x004ULL
#define PS 0x080ULL
#define NX (1ULL << 63)
#define TABLE (P | RW | US)

/* Guest RAM is 4 MiB at gpa 0; tables in the first pages. */
#define MEM_SIZE (4u << 20)
#define PML5 0x1000
#define PML4 0x2000
#define PDPT 0x3000
#define PD 0x4000
#define PT 0x5000
#define CODE_A 0x10000
#define CODE_B 0x20000

static u8 mem[MEM_SIZE];
static unsigned int reads;

static int read_mem(void *ctx, u64 gpa, void *buf, u32 len)
{
	(void)ctx;
	reads++;
	if (gpa > MEM_SIZE || len > MEM_SIZE - gpa)
		return -1;
	memcpy(buf, mem + gpa, len);
	return 0;
}

static void set_entry(u64 table, unsigned int index, u64 entry)
{
	unsigned int i;

	for (i = 0; i < 8; i++)
		mem[table + 8 * index + i] = (u8)(entry >> (8 * i));
}

static struct x86_paging pg;

/*
 * gva 0x5000 -> CODE_A, 0x6000 -> CODE_B, 0x7000 not present (4 KiB);
 * gva 0x400000 -> 0x200000 (2 MiB); gva 1 GiB -> 0 (1 GiB).
 */
static int setup(void **state)
{
	(void)state;
	memset(mem, 0, sizeof(mem));
	set_entry(PML5, 0, PML4 | TABLE);
	set_entry(PML5, 1, PML4 | TABLE); /* gva 1 << 48 */
	set_entry(PML4, 0, PDPT | TABLE);
	set_entry(PDPT, 0, PD | TABLE);
	set_entry(PDPT, 1, 0 | P | PS | US);
	set_entry(PD, 0, PT | TABLE);
	set_entry(PD, 2, 0x200000 | P | PS | US);
	set_entry(PT, 5, CODE_A | P | US);
	set_entry(PT, 6, CODE_B | P | US);
	pg = (struct x86_paging){
		.cr0 = X86_CR0_PG | 1,
		.cr3 = PML4,
		.cr4 = X86_CR4_PAE,
		.efer = EFER_LME | X86_EFER_LMA | X86_EFER_NXE,
		.read_gpa = read_mem,
	};
	reads = 0;
	return 0;
}

static int walk(u64 gva, u64 *gpa)
{
	*gpa = 0xdead;
	return x86_walk_fetch(&pg, gva, gpa);
}

static void test_page_sizes(void **state)
{
	u64 gpa;

	(void)state;
	assert_int_equal(walk(0x5123, &gpa), X86_WALK_OK);
	assert_int_equal(gpa, CODE_A + 0x123);
	assert_int_equal(reads, 4);
	assert_int_equal(walk(0x6fff, &gpa), X86_WALK_OK);
	assert_int_equal(gpa, CODE_B + 0xfff);
	assert_int_equal(walk(0x5abcde, &gpa), X86_WALK_OK);
	assert_int_equal(gpa, 0x3abcde);
	assert_int_equal(walk(0x40012345, &gpa), X86_WALK_OK);
	assert_int_equal(gpa, 0x12345);
	assert_int_equal(walk(0x7fffffff, &gpa), X86_WALK_OK);
	assert_int_equal(gpa, 0x3fffffff);
}

static void test_not_present(void **state)
{
	u64 gpa;

	(void)state;
	assert_int_equal(walk(0x7000, &gpa), X86_WALK_NOT_PRESENT);
	assert_int_equal(walk(0x200000, &gpa), X86_WALK_NOT_PRESENT); /* PD */
	assert_int_equal(walk(0x80000000, &gpa), X86_WALK_NOT_PRESENT);
	assert_int_equal(walk(0x8000000000ULL, &gpa), X86_WALK_NOT_PRESENT);
	/* Upper-half canonical address, PML4 entry 511 empty. */
	assert_int_equal(walk(0xffffffff81000000ULL, &gpa),
			 X86_WALK_NOT_PRESENT);
	assert_int_equal(gpa, 0xdead); /* untouched on failure */
}

static void test_reserved_bits(void **state)
{
	u64 gpa;

	(void)state;
	/* 2 MiB page with bit 13 set; bit 12 (PAT) is fine. */
	set_entry(PD, 3, 0x200000 | (1 << 13) | P | PS);
	assert_int_equal(walk(0x600000, &gpa), X86_WALK_RESERVED);
	set_entry(PD, 3, 0x200000 | (1 << 12) | P | PS);
	assert_int_equal(walk(0x600000, &gpa), X86_WALK_OK);
	assert_int_equal(gpa, 0x200000);
	/* 1 GiB page with bit 29 set. */
	set_entry(PDPT, 2, (1ULL << 29) | P | PS);
	assert_int_equal(walk(0x80000000, &gpa), X86_WALK_RESERVED);
	/* PS in a PML4 entry. */
	set_entry(PML4, 1, PDPT | TABLE | PS);
	assert_int_equal(walk(0x8000000000ULL, &gpa), X86_WALK_RESERVED);
	/* Frame bits at or above MAXPHYADDR. */
	set_entry(PT, 8, (1ULL << 40) | CODE_A | P);
	assert_int_equal(walk(0x8000, &gpa), X86_WALK_OK); /* 52 bits */
	pg.maxphyaddr = 40;
	assert_int_equal(walk(0x8000, &gpa), X86_WALK_RESERVED);
	pg.maxphyaddr = 41;
	assert_int_equal(walk(0x8000, &gpa), X86_WALK_OK);
	/* NX is reserved unless EFER.NXE. */
	set_entry(PT, 9, CODE_A | P | NX);
	pg.efer &= ~X86_EFER_NXE;
	assert_int_equal(walk(0x9000, &gpa), X86_WALK_RESERVED);
}

static void test_protection(void **state)
{
	u64 gpa;

	(void)state;
	/* NX at the leaf, and NX on a table above. */
	set_entry(PT, 9, CODE_A | P | NX);
	assert_int_equal(walk(0x9000, &gpa), X86_WALK_PROTECTION);
	set_entry(PD, 2, 0x200000 | P | PS | NX);
	assert_int_equal(walk(0x400000, &gpa), X86_WALK_PROTECTION);
	/* Supervisor page: kernel fetch fine, user fetch refused. */
	set_entry(PT, 10, CODE_A | P);
	assert_int_equal(walk(0xa000, &gpa), X86_WALK_OK);
	pg.user = true;
	assert_int_equal(walk(0xa000, &gpa), X86_WALK_PROTECTION);
	assert_int_equal(walk(0x5000, &gpa), X86_WALK_OK);
	/* A kernel fetch from a user page: fine, unless SMEP. */
	pg.user = false;
	assert_int_equal(walk(0x5000, &gpa), X86_WALK_OK);
	pg.cr4 |= X86_CR4_SMEP;
	assert_int_equal(walk(0x5000, &gpa), X86_WALK_PROTECTION);
	assert_int_equal(walk(0xa000, &gpa), X86_WALK_OK);
}

static void test_five_levels(void **state)
{
	u64 gpa;

	(void)state;
	assert_int_equal(walk(1ULL << 48, &gpa), X86_WALK_NONCANONICAL);
	assert_int_equal(walk(0x0000800000000000ULL, &gpa),
			 X86_WALK_NONCANONICAL);
	pg.cr4 |= X86_CR4_LA57;
	pg.cr3 = PML5;
	assert_int_equal(walk(0x5123, &gpa), X86_WALK_OK);
	assert_int_equal(gpa, CODE_A + 0x123);
	assert_int_equal(reads, 5);
	assert_int_equal(walk((1ULL << 48) | 0x6010, &gpa), X86_WALK_OK);
	assert_int_equal(gpa, CODE_B + 0x10);
	assert_int_equal(walk(0x0100000000000000ULL, &gpa),
			 X86_WALK_NONCANONICAL);
}

static void test_modes(void **state)
{
	u64 gpa;

	(void)state;
	/* Paging off: identity, 32-bit linear addresses. */
	pg.cr0 = 1;
	pg.efer = 0;
	assert_int_equal(walk(0x12345, &gpa), X86_WALK_OK);
	assert_int_equal(gpa, 0x12345);
	assert_int_equal(walk(0x100000fff0ULL, &gpa), X86_WALK_OK);
	assert_int_equal(gpa, 0xfff0);
	assert_int_equal(reads, 0);
	/* Legacy paging, with or without PAE: refused. */
	pg.cr0 = X86_CR0_PG | 1;
	assert_int_equal(walk(0x5000, &gpa), X86_WALK_UNSUPPORTED);
	pg.cr4 = 0;
	assert_int_equal(walk(0x5000, &gpa), X86_WALK_UNSUPPORTED);
	/* A table outside guest RAM. */
	setup(state);
	pg.cr3 = MEM_SIZE;
	assert_int_equal(walk(0x5000, &gpa), X86_WALK_READ_FAILED);
}

static void fill(u64 gpa, u8 first, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		mem[gpa + i] = (u8)(first + i);
}

static void test_fetch_across_pages(void **state)
{
	u8 buf[16];
	int err = 1;
	unsigned int i;

	(void)state;
	fill(CODE_A + 0xff9, 0x10, 7);
	fill(CODE_B, 0x17, 8);
	memset(buf, 0, sizeof(buf));
	assert_int_equal(x86_fetch_insn(&pg, 0x5ff9, buf, 15, &err), 15);
	assert_int_equal(err, X86_WALK_OK);
	for (i = 0; i < 15; i++)
		assert_int_equal(buf[i], 0x10 + i);
	/* Never more than 15, and no byte past what was asked. */
	buf[15] = 0xee;
	assert_int_equal(x86_fetch_insn(&pg, 0x5ff9, buf, 100, NULL), 15);
	assert_int_equal(buf[15], 0xee);
	/* The second page is missing: what the first one holds. */
	fill(CODE_B + 0xffc, 0x40, 4);
	assert_int_equal(x86_fetch_insn(&pg, 0x6ffc, buf, 15, &err), 4);
	assert_int_equal(err, X86_WALK_NOT_PRESENT);
	assert_int_equal(buf[3], 0x43);
	/* The first page is missing: nothing. */
	assert_int_equal(x86_fetch_insn(&pg, 0x7ff0, buf, 15, &err), 0);
	assert_int_equal(err, X86_WALK_NOT_PRESENT);
	/* The page maps outside guest RAM. */
	set_entry(PT, 11, MEM_SIZE | P);
	assert_int_equal(x86_fetch_insn(&pg, 0xb000, buf, 15, &err), 0);
	assert_int_equal(err, X86_WALK_READ_FAILED);
	/* Inside a 2 MiB page, across its 4 KiB boundaries. */
	fill(0x200ffe, 0x60, 4);
	assert_int_equal(x86_fetch_insn(&pg, 0x400ffe, buf, 4, &err), 4);
	assert_int_equal(buf[0], 0x60);
	assert_int_equal(buf[3], 0x63);
}

/* What the hv does on an NPF: fetch at RIP, then decode. */
static void test_fetch_then_decode(void **state)
{
	static const u8 store[] = { 0x48, 0x89, 0x84, 0xb7,
				    0x78, 0x56, 0x34, 0x12 };
	struct x86_mmio_insn insn;
	u8 buf[X86_FETCH_MAX_LEN];
	u32 got;

	(void)state;
	memcpy(mem + CODE_A + 0xffd, store, 3);
	memcpy(mem + CODE_B, store + 3, sizeof(store) - 3);
	got = x86_fetch_insn(&pg, 0x5ffd, buf, sizeof(buf), NULL);
	assert_int_equal(got, sizeof(buf));
	assert_int_equal(x86_decode(buf, got, X86_MODE_64, &insn),
			 X86_DECODE_OK);
	assert_int_equal(insn.len, sizeof(store));
	assert_int_equal(insn.size, 8);
	assert_true(insn.write);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_page_sizes, setup),
		cmocka_unit_test_setup(test_not_present, setup),
		cmocka_unit_test_setup(test_reserved_bits, setup),
		cmocka_unit_test_setup(test_protection, setup),
		cmocka_unit_test_setup(test_five_levels, setup),
		cmocka_unit_test_setup(test_modes, setup),
		cmocka_unit_test_setup(test_fetch_across_pages, setup),
		cmocka_unit_test_setup(test_fetch_then_decode, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
