// SPDX-License-Identifier: BSD-3-Clause
/*
 * Unit tests for a user VM's guest-physical to RAM offset mapping
 * (kmod/lib/uvm_gpa.c): low and high RAM, the MMIO hole, chunk
 * boundaries, ranges that leave RAM or wrap.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include <lhv/vm_layout.h>

#include "uvm_gpa.h"

#define CHUNK LHV_VM_RAM_ALIGN
#define MiB (1ull << 20)
#define GiB (1ull << 30)

static int map(uint64_t gpa, uint64_t len, uint64_t ram, uint64_t *off)
{
	*off = 0xdeadbeef;
	return uvm_gpa_to_ram(gpa, len, ram, CHUNK, off);
}

static void test_low_ram(void **state)
{
	uint64_t off;

	(void)state;
	assert_int_equal(map(0, 1, 64 * MiB, &off), 0);
	assert_int_equal(off, 0);
	assert_int_equal(map(0x123456, 0x1000, 64 * MiB, &off), 0);
	assert_int_equal(off, 0x123456);
	/* A whole chunk, the last byte of RAM. */
	assert_int_equal(map(62 * MiB, CHUNK, 64 * MiB, &off), 0);
	assert_int_equal(off, 62 * MiB);
	assert_int_equal(map(64 * MiB - 1, 1, 64 * MiB, &off), 0);
	assert_int_equal(off, 64 * MiB - 1);
}

static void test_refusals(void **state)
{
	uint64_t off;

	(void)state;
	/* Across a chunk boundary: the chunks are not contiguous. */
	assert_int_equal(map(CHUNK - 1, 2, 64 * MiB, &off), -EFAULT);
	assert_int_equal(map(CHUNK - 0x800, 0x1000, 64 * MiB, &off), -EFAULT);
	assert_int_equal(off, 0xdeadbeef);
	/* Past the end of RAM, empty, wrapping, huge. */
	assert_int_equal(map(64 * MiB, 1, 64 * MiB, &off), -EFAULT);
	assert_int_equal(map(64 * MiB - 1, 2, 64 * MiB, &off), -EFAULT);
	assert_int_equal(map(0, 0, 64 * MiB, &off), -EFAULT);
	assert_int_equal(map(~0ull, 2, 64 * MiB, &off), -EFAULT);
	assert_int_equal(map(0x1000, ~0ull, 64 * MiB, &off), -EFAULT);
	/* The MMIO hole: ECAM, BARs, the APIC. */
	assert_int_equal(map(LHV_VM_ECAM_BASE, 4, 4 * GiB, &off), -EFAULT);
	assert_int_equal(map(LHV_VM_MMIO32_BASE, 4, 4 * GiB, &off), -EFAULT);
	assert_int_equal(map(LHV_VM_LAPIC_BASE, 4, 4 * GiB, &off), -EFAULT);
	/* No RAM at all. */
	assert_int_equal(map(0, 1, 0, &off), -EFAULT);
}

static void test_high_ram(void **state)
{
	uint64_t off, ram = 4 * GiB; /* 3 GiB low, 1 GiB high */

	(void)state;
	assert_int_equal(map(LHV_VM_LOW_RAM_END - 1, 1, ram, &off), 0);
	assert_int_equal(off, LHV_VM_LOW_RAM_END - 1);
	/* The last low chunk ends at the hole; nothing runs into it. */
	assert_int_equal(map(LHV_VM_LOW_RAM_END - 1, 2, ram, &off), -EFAULT);
	assert_int_equal(map(LHV_VM_HIGH_RAM_BASE, 8, ram, &off), 0);
	assert_int_equal(off, LHV_VM_LOW_RAM_END);
	assert_int_equal(map(LHV_VM_HIGH_RAM_BASE + GiB - 4, 4, ram, &off), 0);
	assert_int_equal(off, ram - 4);
	assert_int_equal(map(LHV_VM_HIGH_RAM_BASE + GiB, 1, ram, &off),
			 -EFAULT);
	/* With only low RAM, high addresses are nothing. */
	assert_int_equal(map(LHV_VM_HIGH_RAM_BASE, 1, 3 * GiB, &off), -EFAULT);
	assert_int_equal(map(~0ull - 7, 8, ram, &off), -EFAULT);
}

static int piece(uint64_t gpa, uint64_t len, uint64_t ram, uint64_t *off,
		 uint64_t *n)
{
	*off = 0xdeadbeef;
	*n = 0xdeadbeef;
	return uvm_gpa_piece(gpa, len, ram, CHUNK, off, n);
}

static void test_pieces(void **state)
{
	uint64_t off, n, gpa, len, total = 0, ram = 4 * GiB;
	unsigned int pieces = 0;

	(void)state;
	/* Inside one chunk: all of it. */
	assert_int_equal(piece(0x1000, 0x2000, ram, &off, &n), 0);
	assert_int_equal(off, 0x1000);
	assert_int_equal(n, 0x2000);
	/* Across a chunk edge: up to the edge, the rest from the next call. */
	assert_int_equal(piece(CHUNK - 3, 10, ram, &off, &n), 0);
	assert_int_equal(off, CHUNK - 3);
	assert_int_equal(n, 3);
	assert_int_equal(piece(CHUNK, 7, ram, &off, &n), 0);
	assert_int_equal(n, 7);
	/* Two chunks and a page from 0x800 before an edge: four pieces. */
	gpa = 3 * CHUNK - 0x800;
	len = 2 * CHUNK + 0x1000;
	while (total < len) {
		assert_int_equal(piece(gpa + total, len - total, ram, &off, &n),
				 0);
		assert_int_equal(off, gpa + total);
		assert_true(n >= 1 && n <= CHUNK);
		total += n;
		pieces++;
	}
	assert_int_equal(total, len);
	assert_int_equal(pieces, 4);
	/* The last low chunk stops at the hole; high RAM is its own piece. */
	assert_int_equal(piece(LHV_VM_LOW_RAM_END - 2, 8, ram, &off, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(piece(LHV_VM_HIGH_RAM_BASE, 8, ram, &off, &n), 0);
	assert_int_equal(off, LHV_VM_LOW_RAM_END);
	/* RAM that ends inside a chunk: the piece ends with it. */
	assert_int_equal(piece(CHUNK - 4, 100, CHUNK - 1, &off, &n), 0);
	assert_int_equal(n, 3);
	/* Refusals: empty, wrapping, outside RAM, the hole. */
	assert_int_equal(piece(0, 0, ram, &off, &n), -EFAULT);
	assert_int_equal(piece(~0ull - 1, 3, ram, &off, &n), -EFAULT);
	assert_int_equal(piece(64 * MiB, 1, 64 * MiB, &off, &n), -EFAULT);
	assert_int_equal(piece(LHV_VM_ECAM_BASE, 4, ram, &off, &n), -EFAULT);
	assert_int_equal(n, 0xdeadbeef);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_low_ram),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_high_ram),
		cmocka_unit_test(test_pieces),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
