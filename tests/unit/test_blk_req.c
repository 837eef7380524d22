// SPDX-License-Identifier: BSD-3-Clause
/*
 * Unit tests for the virtio-blk request parser (kmod/lib/blk_req.c). A flat
 * buffer plays guest memory; each test lays out a request the way a driver
 * frames it (header, data, status, in one or several segments), builds the
 * chain virtq_pop would hand over, and checks the parser's description or
 * refusal. Guard bytes around the buffer must never change.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "blk_req.h"
#include "seg_copy.h"

#define MEM_BASE 0x200000ull
#define MEM_SIZE 0x10000u
#define GUARD 4096u
#define GUARD_BYTE 0x5a
#define CAPACITY 2048u /* sectors in the window */
#define MAX_SEGS 32u
#define MAX_RANGES 4u

static uint8_t arena[GUARD + MEM_SIZE + GUARD];
static uint8_t *const mem = arena + GUARD;

static struct virtq_seg segs[MAX_SEGS];
static struct virtq_chain chain;
static struct virtq_seg data[MAX_SEGS];
static struct blk_req_range ranges[MAX_RANGES];
static struct blk_req req;
static struct blk_req_limits lim;

static int setup(void **state)
{
	(void)state;
	memset(arena, GUARD_BYTE, sizeof(arena));
	memset(mem, 0, MEM_SIZE);
	memset(&chain, 0, sizeof(chain));
	chain.segs = segs;
	chain.max_segs = MAX_SEGS;
	chain.head = 7;
	lim = (struct blk_req_limits){
		.capacity = CAPACITY,
		.features = (1ull << BLK_REQ_F_FLUSH) |
			    (1ull << BLK_REQ_F_DISCARD) |
			    (1ull << BLK_REQ_F_WRITE_ZEROES),
		.logical_block = 512,
		.max_discard_sectors = 1024,
		.max_discard_seg = 3,
		.max_write_zeroes_sectors = 512,
		.max_write_zeroes_seg = 2,
	};
	return 0;
}

static int teardown(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 0; i < GUARD; i++) {
		assert_int_equal(arena[i], GUARD_BYTE);
		assert_int_equal(arena[GUARD + MEM_SIZE + i], GUARD_BYTE);
	}
	return 0;
}

/*
 * Append one piece of a buffer the walker split: len bytes at host
 * pointer p, for guest address gpa (pieces of one buffer have adjacent
 * gpas but lie anywhere in the host).
 */
static void piece(void *p, uint64_t gpa, uint32_t len, bool writable)
{
	struct virtq_seg *s = &segs[chain.nr_segs++];

	s->addr = p;
	s->gpa = gpa;
	s->len = len;
	s->writable = writable;
	if (writable) {
		chain.nr_writable++;
		chain.writable_len += len;
	} else {
		chain.nr_readable++;
		chain.readable_len += len;
	}
}

/* Append a segment of len bytes at offset off of guest memory. */
static void seg(uint32_t off, uint32_t len, bool writable)
{
	assert_true(off + len <= MEM_SIZE);
	piece(mem + off, MEM_BASE + off, len, writable);
}

static void put_hdr(uint32_t off, uint32_t type, uint64_t sector)
{
	struct blk_req_hdr h = { lhv_cpu_to_le32(type), 0xffffffffu,
				 lhv_cpu_to_le64(sector) };

	memcpy(mem + off, &h, sizeof(h));
}

static void put_dwz(uint32_t off, uint64_t sector, uint32_t n, uint32_t flags)
{
	struct blk_req_dwz d = { lhv_cpu_to_le64(sector), lhv_cpu_to_le32(n),
				 lhv_cpu_to_le32(flags) };

	memcpy(mem + off, &d, sizeof(d));
}

static int parse(void)
{
	return blk_req_parse(&chain, &lim, &req, data, ranges, MAX_RANGES);
}

/* The common framing: header, one data segment, status byte apart. */
static void simple(uint32_t type, uint64_t sector, uint32_t len,
		   bool data_writable)
{
	put_hdr(0x100, type, sector);
	seg(0x100, 16, false);
	if (len && !data_writable)
		seg(0x1000, len, false);
	if (len && data_writable)
		seg(0x1000, len, true);
	seg(0x200, 1, true);
}

static void expect_answer(int answer)
{
	assert_int_equal(parse(), 0);
	assert_int_equal(req.answer, answer);
	if (answer != BLK_REQ_DO_IO) {
		assert_int_equal(req.nr_data, 0);
		assert_int_equal(req.data_len, 0);
		assert_int_equal(req.nr_ranges, 0);
	}
}

static void test_read_plain(void **state)
{
	(void)state;
	simple(BLK_REQ_T_IN, 8, 4096, true);
	expect_answer(BLK_REQ_DO_IO);
	assert_int_equal(req.type, BLK_REQ_T_IN);
	assert_int_equal(req.sector, 8);
	assert_int_equal(req.nr_data, 1);
	assert_int_equal(req.data_len, 4096);
	assert_ptr_equal(req.data[0].addr, mem + 0x1000);
	assert_int_equal(req.data[0].gpa, MEM_BASE + 0x1000);
	assert_true(req.data[0].writable);
	assert_ptr_equal(req.status, mem + 0x200);
}

static void test_read_status_shares_segment(void **state)
{
	(void)state;
	put_hdr(0x100, BLK_REQ_T_IN, 0);
	seg(0x100, 16, false);
	seg(0x1000, 512, true);
	seg(0x2000, 1025, true); /* 1024 data bytes, then the status */
	expect_answer(BLK_REQ_DO_IO);
	assert_int_equal(req.nr_data, 2);
	assert_int_equal(req.data_len, 1536);
	assert_int_equal(req.data[1].len, 1024);
	assert_ptr_equal(req.data[1].addr, mem + 0x2000);
	assert_ptr_equal(req.status, mem + 0x2000 + 1024);
}

static void test_write_header_split_and_shared(void **state)
{
	(void)state;
	/* Header in 8 + 8 bytes, the second piece followed by data. */
	put_hdr(0x100, BLK_REQ_T_OUT, 100);
	memmove(mem + 0x3000, mem + 0x108, 8);
	seg(0x100, 8, false);
	seg(0x3000, 8 + 512, false);
	seg(0x4000, 512, false);
	seg(0x200, 1, true);
	expect_answer(BLK_REQ_DO_IO);
	assert_int_equal(req.type, BLK_REQ_T_OUT);
	assert_int_equal(req.sector, 100);
	assert_int_equal(req.nr_data, 2);
	assert_int_equal(req.data_len, 1024);
	assert_ptr_equal(req.data[0].addr, mem + 0x3008);
	assert_int_equal(req.data[0].gpa, MEM_BASE + 0x3008);
	assert_int_equal(req.data[0].len, 512);
	assert_false(req.data[0].writable);
	assert_ptr_equal(req.data[1].addr, mem + 0x4000);
}

/* A header cut at every byte, its pieces apart in the host, 0xff between. */
static void test_header_split_every_byte(void **state)
{
	uint8_t hdr[16];
	unsigned int i;

	(void)state;
	put_hdr(0x100, BLK_REQ_T_IN, 0x123);
	memcpy(hdr, mem + 0x100, sizeof(hdr));
	memset(mem + 0x100, 0xff, 0x200);
	for (i = 0; i < 16; i++) {
		mem[0x100 + 0x20 * (15 - i)] = hdr[i];
		piece(mem + 0x100 + 0x20 * (15 - i), MEM_BASE + 0x7000 + i, 1,
		      false);
	}
	seg(0x1000, 1024, true);
	seg(0x400, 1, true);
	lim.capacity = 0x1000;
	expect_answer(BLK_REQ_DO_IO);
	assert_int_equal(req.type, BLK_REQ_T_IN);
	assert_int_equal(req.sector, 0x123);
	assert_int_equal(req.nr_data, 1);
	assert_int_equal(req.data_len, 1024);
	assert_ptr_equal(req.status, mem + 0x400);
}

/*
 * A 1 MiB read as the walker hands it over for a user VM: the header
 * across one 2 MiB chunk edge, the data in two 512 KiB buffers each across
 * another, every piece elsewhere in the host.
 */
static void test_read_1m_across_chunk_edges(void **state)
{
	const uint64_t chunk = 0x200000, half = 0x80000;
	static uint8_t big[0x100000 + 0x4000];
	static const uint32_t cut[4] = { 0x40000, 0x40000, 0x1000, 0x7f000 };
	uint8_t *host[4];
	uint64_t gpa[4] = { 2 * chunk - 0x40000, 2 * chunk, 3 * chunk - 0x1000,
			    3 * chunk };
	uint8_t hdr[16];
	uint32_t i, k, off;

	(void)state;
	/* Host places of the four data pieces, disjoint. */
	host[0] = big;
	host[1] = big + 0x40000;
	host[2] = big + 0x80000;
	host[3] = big + 0x81000;
	put_hdr(0x100, BLK_REQ_T_IN, 0);
	memcpy(hdr, mem + 0x100, sizeof(hdr));
	memcpy(mem + 0x500, hdr + 6, 10);
	piece(mem + 0x100, chunk - 6, 6, false);
	piece(mem + 0x500, chunk, 10, false);
	for (k = 0; k < 4; k++)
		piece(host[k], gpa[k], cut[k], true);
	seg(0x200, 1, true);
	lim.capacity = 2048; /* exactly 1 MiB */
	expect_answer(BLK_REQ_DO_IO);
	assert_int_equal(req.type, BLK_REQ_T_IN);
	assert_int_equal(req.data_len, 2 * half);
	assert_int_equal(req.nr_data, 4);
	for (k = 0; k < 4; k++) {
		assert_ptr_equal(req.data[k].addr, host[k]);
		assert_int_equal(req.data[k].gpa, gpa[k]);
		assert_int_equal(req.data[k].len, cut[k]);
	}
	assert_ptr_equal(req.status, mem + 0x200);
	/* Data written through the description lands piece by piece. */
	memset(big, 0, sizeof(big));
	for (off = 0; off < 2 * half; off += sizeof(hdr)) {
		for (i = 0; i < sizeof(hdr); i++)
			hdr[i] = (uint8_t)((off >> 4) + i);
		assert_int_equal(
			seg_write(req.data, req.nr_data, off, hdr, sizeof(hdr)),
			sizeof(hdr));
	}
	assert_int_equal(big[0x40000 - 1],
			 (uint8_t)(((0x40000 - 16) >> 4) + 15));
	assert_int_equal(big[0x40000], (uint8_t)(0x40000 >> 4));
	assert_int_equal(big[0x81000 + 0x7f000 - 1],
			 (uint8_t)(((2 * half - 16) >> 4) + 15));
	assert_int_equal(big[0x81000 + 0x7f000], 0);
	assert_int_equal(blk_req_complete(&req, BLK_REQ_S_OK, 2 * half),
			 2 * half + 1);
	assert_int_equal(mem[0x200], BLK_REQ_S_OK);
}

static void test_write_read_only(void **state)
{
	(void)state;
	lim.read_only = true;
	simple(BLK_REQ_T_OUT, 0, 512, false);
	expect_answer(BLK_REQ_S_IOERR);
}

static void test_read_on_read_only(void **state)
{
	(void)state;
	lim.read_only = true;
	simple(BLK_REQ_T_IN, 0, 512, true);
	expect_answer(BLK_REQ_DO_IO);
}

static void test_rw_not_sector_multiple(void **state)
{
	(void)state;
	simple(BLK_REQ_T_IN, 0, 513, true);
	expect_answer(BLK_REQ_S_IOERR);
	setup(NULL);
	simple(BLK_REQ_T_OUT, 0, 100, false);
	expect_answer(BLK_REQ_S_IOERR);
}

static void test_rw_window_edges(void **state)
{
	(void)state;
	simple(BLK_REQ_T_IN, CAPACITY - 2, 1024, true); /* last two sectors */
	expect_answer(BLK_REQ_DO_IO);
	setup(NULL);
	simple(BLK_REQ_T_IN, CAPACITY - 1, 1024, true);
	expect_answer(BLK_REQ_S_IOERR);
	setup(NULL);
	simple(BLK_REQ_T_OUT, CAPACITY, 512, false);
	expect_answer(BLK_REQ_S_IOERR);
	setup(NULL);
	simple(BLK_REQ_T_OUT, UINT64_MAX, 512, false); /* sector + n wraps */
	expect_answer(BLK_REQ_S_IOERR);
	setup(NULL);
	simple(BLK_REQ_T_IN, UINT64_MAX - 1, 1024, true);
	expect_answer(BLK_REQ_S_IOERR);
}

static void test_rw_zero_length(void **state)
{
	(void)state;
	simple(BLK_REQ_T_IN, CAPACITY, 0, true);
	expect_answer(BLK_REQ_S_OK);
	setup(NULL);
	simple(BLK_REQ_T_OUT, CAPACITY + 1, 0, false);
	expect_answer(BLK_REQ_S_IOERR);
}

static void test_rw_logical_block(void **state)
{
	(void)state;
	lim.logical_block = 4096;
	simple(BLK_REQ_T_IN, 8, 4096, true);
	expect_answer(BLK_REQ_DO_IO);
	setup(NULL);
	lim.logical_block = 4096;
	simple(BLK_REQ_T_IN, 4, 4096, true);
	expect_answer(BLK_REQ_S_IOERR);
	setup(NULL);
	lim.logical_block = 4096;
	simple(BLK_REQ_T_OUT, 8, 2048, false);
	expect_answer(BLK_REQ_S_IOERR);
}

static void test_flush(void **state)
{
	(void)state;
	simple(BLK_REQ_T_FLUSH, 12345, 0, false);
	expect_answer(BLK_REQ_DO_IO);
	assert_int_equal(req.type, BLK_REQ_T_FLUSH);
	setup(NULL);
	lim.features &= ~(1ull << BLK_REQ_F_FLUSH);
	simple(BLK_REQ_T_FLUSH, 0, 0, false);
	expect_answer(BLK_REQ_S_UNSUPP);
	setup(NULL);
	lim.read_only = true;
	simple(BLK_REQ_T_FLUSH, 0, 0, false);
	expect_answer(BLK_REQ_S_OK);
}

static void test_get_id(void **state)
{
	static const char id[BLK_REQ_ID_BYTES] = "lhv-service-blk0";
	uint32_t n;

	(void)state;
	put_hdr(0x100, BLK_REQ_T_GET_ID, 0);
	seg(0x100, 16, false);
	seg(0x1000, 8, true);
	seg(0x2000, 13, true); /* 12 id bytes, then the status */
	expect_answer(BLK_REQ_DO_IO);
	assert_int_equal(req.data_len, 20);
	n = blk_req_copy_to_data(&req, id, BLK_REQ_ID_BYTES);
	assert_int_equal(n, 20);
	assert_memory_equal(mem + 0x1000, id, 8);
	assert_memory_equal(mem + 0x2000, id + 8, 9); /* with the NUL */
	assert_int_equal(blk_req_complete(&req, BLK_REQ_S_OK, n), 21);
	assert_int_equal(mem[0x2000 + 12], BLK_REQ_S_OK);
}

static void test_get_id_short_buffer(void **state)
{
	static const char id[BLK_REQ_ID_BYTES] = "0123456789abcdefghij";

	(void)state;
	simple(BLK_REQ_T_GET_ID, 0, 5, true);
	expect_answer(BLK_REQ_DO_IO);
	assert_int_equal(blk_req_copy_to_data(&req, id, sizeof(id)), 5);
	assert_memory_equal(mem + 0x1000, id, 5);
	assert_int_equal(mem[0x1005], 0);
	setup(NULL);
	simple(BLK_REQ_T_GET_ID, 0, 0, true);
	expect_answer(BLK_REQ_S_IOERR);
}

static void test_unsupported_types(void **state)
{
	static const uint32_t types[] = { BLK_REQ_T_GET_LIFETIME,
					  BLK_REQ_T_SECURE_ERASE,
					  2,
					  3,
					  0x18,
					  0xffffffffu };
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		setup(NULL);
		simple(types[i], 0, 512, true);
		expect_answer(BLK_REQ_S_UNSUPP);
		assert_int_equal(req.type, types[i]);
	}
}

static void test_no_status_byte(void **state)
{
	(void)state;
	put_hdr(0x100, BLK_REQ_T_OUT, 0);
	seg(0x100, 16 + 512, false);
	assert_int_equal(parse(), -EPROTO);
	setup(NULL);
	assert_int_equal(parse(), -EPROTO); /* empty chain */
}

static void test_short_header(void **state)
{
	(void)state;
	put_hdr(0x100, BLK_REQ_T_IN, 0);
	seg(0x100, 15, false);
	seg(0x1000, 513, true);
	expect_answer(BLK_REQ_S_IOERR);
	assert_ptr_equal(req.status, mem + 0x1000 + 512);
	assert_int_equal(blk_req_complete(&req, (uint8_t)req.answer, 0), 1);
	assert_int_equal(mem[0x1000 + 512], BLK_REQ_S_IOERR);
	setup(NULL);
	seg(0x1000, 1, true); /* only a status byte */
	expect_answer(BLK_REQ_S_IOERR);
}

static void test_complete(void **state)
{
	(void)state;
	simple(BLK_REQ_T_IN, 0, 1024, true);
	expect_answer(BLK_REQ_DO_IO);
	mem[0x200] = 0xee;
	assert_int_equal(blk_req_complete(&req, BLK_REQ_S_OK, 1024), 1025);
	assert_int_equal(mem[0x200], BLK_REQ_S_OK);
	assert_int_equal(blk_req_complete(&req, BLK_REQ_S_IOERR, 1024), 1);
	assert_int_equal(mem[0x200], BLK_REQ_S_IOERR);
}

/* A discard/write-zeroes request with n ranges already put at 0x1000. */
static void dwz(uint32_t type, uint32_t n)
{
	put_hdr(0x100, type, 0);
	seg(0x100, 16, false);
	if (n)
		seg(0x1000, 16 * n, false);
	seg(0x200, 1, true);
}

static void test_discard(void **state)
{
	(void)state;
	put_dwz(0x1000, 0, 8, 0);
	put_dwz(0x1010, CAPACITY - 1024, 1024, 0);
	dwz(BLK_REQ_T_DISCARD, 2);
	expect_answer(BLK_REQ_DO_IO);
	assert_int_equal(req.nr_ranges, 2);
	assert_ptr_equal(req.ranges, ranges);
	assert_int_equal(ranges[0].sector, 0);
	assert_int_equal(ranges[0].num_sectors, 8);
	assert_false(ranges[0].unmap);
	assert_int_equal(ranges[1].sector, CAPACITY - 1024);
	assert_int_equal(ranges[1].num_sectors, 1024);
	assert_int_equal(req.nr_data, 0);
}

static void test_ranges_split_across_segments(void **state)
{
	(void)state;
	put_hdr(0x100, BLK_REQ_T_WRITE_ZEROES, 0);
	/* Header and the first half of range 0 in one segment. */
	put_dwz(0x110, 64, 32, BLK_REQ_DWZ_F_UNMAP);
	put_dwz(0x3000, 128, 16, 0);
	memmove(mem + 0x2000, mem + 0x118, 8);
	seg(0x100, 16 + 8, false);
	seg(0x2000, 8, false);
	seg(0x3000, 16, false);
	seg(0x200, 1, true);
	expect_answer(BLK_REQ_DO_IO);
	assert_int_equal(req.nr_ranges, 2);
	assert_int_equal(ranges[0].sector, 64);
	assert_int_equal(ranges[0].num_sectors, 32);
	assert_true(ranges[0].unmap);
	assert_int_equal(ranges[1].sector, 128);
	assert_false(ranges[1].unmap);
}

static void test_dwz_not_negotiated(void **state)
{
	(void)state;
	lim.features = 0;
	put_dwz(0x1000, 0, 8, 0);
	dwz(BLK_REQ_T_DISCARD, 1);
	expect_answer(BLK_REQ_S_UNSUPP);
	setup(NULL);
	lim.features = 1ull << BLK_REQ_F_DISCARD;
	put_dwz(0x1000, 0, 8, 0);
	dwz(BLK_REQ_T_WRITE_ZEROES, 1);
	expect_answer(BLK_REQ_S_UNSUPP);
}

static void test_dwz_flags(void **state)
{
	(void)state;
	put_dwz(0x1000, 0, 8, BLK_REQ_DWZ_F_UNMAP); /* UNMAP on a discard */
	dwz(BLK_REQ_T_DISCARD, 1);
	expect_answer(BLK_REQ_S_UNSUPP);
	setup(NULL);
	/* An unknown flag wins over an earlier range outside the window. */
	put_dwz(0x1000, CAPACITY, 8, 0);
	put_dwz(0x1010, 0, 8, 2);
	dwz(BLK_REQ_T_WRITE_ZEROES, 2);
	expect_answer(BLK_REQ_S_UNSUPP);
}

static void test_dwz_limits(void **state)
{
	(void)state;
	put_dwz(0x1000, 0, 8, 0);
	put_dwz(0x1010, 8, 8, 0);
	put_dwz(0x1020, 16, 8, 0);
	dwz(BLK_REQ_T_WRITE_ZEROES, 3); /* max_write_zeroes_seg is 2 */
	expect_answer(BLK_REQ_S_IOERR);
	setup(NULL);
	put_dwz(0x1000, 0, 513, 0); /* max_write_zeroes_sectors is 512 */
	dwz(BLK_REQ_T_WRITE_ZEROES, 1);
	expect_answer(BLK_REQ_S_IOERR);
	setup(NULL);
	put_dwz(0x1000, 0, 0, 0);
	dwz(BLK_REQ_T_DISCARD, 1);
	expect_answer(BLK_REQ_S_IOERR);
	setup(NULL);
	lim.max_discard_seg = 8; /* more than the caller's room */
	dwz(BLK_REQ_T_DISCARD, MAX_RANGES + 1);
	expect_answer(BLK_REQ_S_IOERR);
}

static void test_dwz_window(void **state)
{
	(void)state;
	put_dwz(0x1000, CAPACITY - 8, 9, 0);
	dwz(BLK_REQ_T_DISCARD, 1);
	expect_answer(BLK_REQ_S_IOERR);
	setup(NULL);
	put_dwz(0x1000, UINT64_MAX - 4, 8, 0);
	dwz(BLK_REQ_T_DISCARD, 1);
	expect_answer(BLK_REQ_S_IOERR);
	setup(NULL);
	lim.logical_block = 4096;
	put_dwz(0x1000, 4, 8, 0);
	dwz(BLK_REQ_T_DISCARD, 1);
	expect_answer(BLK_REQ_S_IOERR);
}

static void test_dwz_framing(void **state)
{
	(void)state;
	dwz(BLK_REQ_T_DISCARD, 0); /* no range at all */
	expect_answer(BLK_REQ_S_IOERR);
	setup(NULL);
	put_hdr(0x100, BLK_REQ_T_DISCARD, 0);
	seg(0x100, 16, false);
	seg(0x1000, 20, false); /* not a multiple of 16 */
	seg(0x200, 1, true);
	expect_answer(BLK_REQ_S_IOERR);
	setup(NULL);
	lim.read_only = true;
	put_dwz(0x1000, 0, 8, 0);
	dwz(BLK_REQ_T_WRITE_ZEROES, 1);
	expect_answer(BLK_REQ_S_IOERR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_read_plain),
		T(test_header_split_every_byte),
		T(test_read_1m_across_chunk_edges),
		T(test_read_status_shares_segment),
		T(test_write_header_split_and_shared),
		T(test_write_read_only),
		T(test_read_on_read_only),
		T(test_rw_not_sector_multiple),
		T(test_rw_window_edges),
		T(test_rw_zero_length),
		T(test_rw_logical_block),
		T(test_flush),
		T(test_get_id),
		T(test_get_id_short_buffer),
		T(test_unsupported_types),
		T(test_no_status_byte),
		T(test_short_header),
		T(test_complete),
		T(test_discard),
		T(test_ranges_split_across_segments),
		T(test_dwz_not_negotiated),
		T(test_dwz_flags),
		T(test_dwz_limits),
		T(test_dwz_window),
		T(test_dwz_framing),
#undef T
	};

	return cmocka_run_group_tests_name("blk_req", tests, NULL, NULL);
}
