// SPDX-License-Identifier: BSD-3-Clause
/*
 * Writes seed inputs for fuzz_x86_decode into a directory: MMIO moves in
 * each mode, and guest memory holding a four-level page table (4 KiB and
 * 2 MiB pages) with the instruction straddling two pages, so the fuzzer
 * starts from walks that succeed.
 *
 * Usage: seeds_x86_decode <dir>
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "seed_file.h"

/* Page tables at gpa 0 (PML4), 0x1000, 0x2000, 0x3000; code at 0x4000. */
#define MEM_SIZE 0x6000
#define CODE_GVA 0x4ff8ULL
#define FLAG_PAGING 1
#define MODE_64 (2 << 4)
#define MODE_32 (1 << 4)

static uint8_t seed[64 + MEM_SIZE];
static size_t seed_len;

static void put(const void *p, size_t n)
{
	memcpy(seed + seed_len, p, n);
	seed_len += n;
}

static void store_le64(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put_u64(uint64_t v)
{
	store_le64(seed + seed_len, v);
	seed_len += 8;
}

static void set_entry(uint8_t *mem, uint64_t table, unsigned int i,
		      uint64_t entry)
{
	store_le64(mem + table + 8 * i, entry);
}

/* One input: @insn decoded, fetched again from @gva in guest memory. */
static void build(uint8_t mode, const uint8_t *insn, uint8_t n, uint64_t gva,
		  uint8_t flags)
{
	uint8_t *mem;

	seed_len = 0;
	seed[seed_len++] = (uint8_t)(mode | n);
	seed[seed_len++] = n;
	put(insn, n);
	put_u64(0x0123456789abcdefULL);
	put_u64(0xfedcba9876543210ULL);
	put_u64(gva);
	seed[seed_len++] = flags;
	seed[seed_len++] = 0; /* MAXPHYADDR 52 */
	mem = seed + seed_len;
	memset(mem, 0, MEM_SIZE);
	set_entry(mem, 0x0000, 0, 0x1000 | 7);
	set_entry(mem, 0x1000, 0, 0x2000 | 7);
	set_entry(mem, 0x2000, 0, 0x3000 | 7);
	set_entry(mem, 0x2000, 1, 0x0000 | 0x87); /* 2 MiB at gva 2 MiB */
	set_entry(mem, 0x3000, 4, 0x4000 | 7);
	set_entry(mem, 0x3000, 5, 0x5000 | 7);
	memcpy(mem + (CODE_GVA & 0xffff), insn, n);
	seed_len += MEM_SIZE;
}

static int save(const char *dir, const char *name)
{
	return seed_save(dir, name, seed, seed_len);
}

int main(int argc, char **argv)
{
	static const uint8_t store_sib[] = { 0x48, 0x89, 0x84, 0xb7,
					     0x78, 0x56, 0x34, 0x12 };
	static const uint8_t store_imm[] = { 0xc7, 0x05, 0x00, 0x01, 0x00,
					     0x00, 0x01, 0x00, 0x00, 0x00 };
	static const uint8_t load_gs[] = { 0x65, 0x4c, 0x0f, 0xb7, 0x7e, 0x02 };
	static const uint8_t moffs[] = { 0x48, 0xa1, 0x88, 0x77, 0x66,
					 0x55, 0x44, 0x33, 0x22, 0x11 };
	static const uint8_t load_ah[] = { 0x8a, 0x27 };
	static const uint8_t addr16[] = { 0x67, 0x89, 0x43, 0x12 };
	int err = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: %s <dir>\n", argv[0]);
		return 2;
	}
	build(MODE_64, store_sib, sizeof(store_sib), CODE_GVA, FLAG_PAGING);
	err |= save(argv[1], "store_sib_across_pages");
	build(MODE_64, store_imm, sizeof(store_imm), CODE_GVA, FLAG_PAGING);
	err |= save(argv[1], "store_imm_rip");
	build(MODE_64, load_gs, sizeof(load_gs), 0x204ff8, FLAG_PAGING);
	err |= save(argv[1], "movzx_gs_2m_page");
	build(MODE_64, moffs, sizeof(moffs), CODE_GVA, FLAG_PAGING);
	err |= save(argv[1], "moffs64");
	build(MODE_64, load_ah, sizeof(load_ah), 0x4ff8, 0);
	err |= save(argv[1], "load_ah_paging_off");
	build(MODE_32, addr16, sizeof(addr16), 0x4ff8, 0);
	err |= save(argv[1], "addr16_32bit");
	return err;
}
