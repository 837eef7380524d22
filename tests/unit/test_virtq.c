// SPDX-License-Identifier: BSD-3-Clause
/*
 * Unit tests for the split-virtqueue walker (kmod/lib/virtq.c). A flat
 * buffer plays guest memory, with guard bytes on both sides that must never
 * change; the tests lay out rings in it the way a driver does, then check
 * what the walker takes, writes and refuses. The map can split memory at
 * every multiple of a chosen gpa stride (as a user VM's RAM splits at its
 * 2 MiB chunks), also placing neighbouring pieces apart in the host, or
 * answer hostile piece lengths.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "virtq.h"

#define MEM_BASE 0x100000ull /* gpa of the first byte of guest memory */
#define MEM_SIZE 0x20000u
#define GUARD 4096u
#define GUARD_BYTE 0xa5
/* The last page of guest memory is read-only for the device. */
#define RO_START (MEM_SIZE - 0x1000u)
/* A window of "huge" guest memory the map accepts but nobody touches. */
#define HUGE_BASE 0x100000000ull
#define HUGE_SIZE 0x200000000ull

#define DESC_OFF 0x0000u
#define AVAIL_OFF 0x2000u
#define USED_OFF 0x3000u
#define TABLE_OFF 0x6000u /* indirect tables */
#define BUF_OFF 0x8000u	  /* buffers, 0x100 bytes each */

#define GPA(off) (MEM_BASE + (off))
#define BUF(n) GPA(BUF_OFF + 0x100u * (n))

static uint8_t arena[GUARD + MEM_SIZE + GUARD];
static uint8_t *const mem = arena + GUARD;
static uint8_t snapshot[MEM_SIZE];
static unsigned int map_calls;

static struct virtq vq;
static uint32_t qsize;
static uint16_t drv_avail; /* the driver's avail index */
static struct virtq_seg segs[64];
static struct virtq_chain chain;
static uint64_t split;	  /* pieces end at multiples of it; 0: never */
static int hostile_piece; /* 1: answer 0 bytes, 2: answer len + 1 */
/*
 * With a power-of-2 split: pieces 2k and 2k + 1 trade places in the host,
 * so reading past a piece's end finds the wrong bytes.
 */
static bool swap_pieces;

/* Host offset in mem of guest offset off. */
static uint32_t host_off(uint32_t off)
{
	uint64_t gpa = MEM_BASE + off;

	if (!swap_pieces)
		return off;
	return (uint32_t)(((gpa / split) ^ 1) * split + gpa % split - MEM_BASE);
}

/* Cut *piece to end at the next multiple of split after gpa. */
static void cut_at_split(uint64_t gpa, uint64_t *piece)
{
	uint64_t edge;

	if (!split)
		return;
	edge = split - gpa % split;
	if (*piece > edge)
		*piece = edge;
}

static void *fake_map(void *ctx, uint64_t gpa, uint64_t len, bool writable,
		      uint64_t *mapped)
{
	uint64_t off, end;

	(void)ctx;
	map_calls++;
	assert_true(len > 0);
	assert_true(gpa + len == 0 || gpa + len > gpa);
	*mapped = len;
	cut_at_split(gpa, mapped);
	if (hostile_piece)
		*mapped = hostile_piece == 1 ? 0 : len + 1;
	if (gpa >= HUGE_BASE && len <= HUGE_SIZE &&
	    gpa - HUGE_BASE <= HUGE_SIZE - len)
		return mem + BUF_OFF; /* never dereferenced by the walker */
	if (gpa < MEM_BASE || gpa - MEM_BASE >= MEM_SIZE)
		return NULL;
	off = gpa - MEM_BASE;
	end = writable ? RO_START : MEM_SIZE;
	if (off >= end)
		return NULL;
	/* The piece stops where mapping stops: the caller asks again. */
	if (!hostile_piece && *mapped > end - off)
		*mapped = end - off;
	return mem + host_off((uint32_t)off);
}

static const struct virtq_mem_ops ops = { .map = fake_map };

/* Guest offset off in the host; linear up to the end of its piece. */
static void *at(uint32_t off)
{
	return mem + host_off(off);
}

static void put16(uint32_t off, uint16_t v)
{
	memcpy(at(off), &v, sizeof(v));
}

static uint16_t get16(uint32_t off)
{
	uint16_t v;

	memcpy(&v, at(off), sizeof(v));
	return v;
}

static uint32_t get32(uint32_t off)
{
	uint32_t v;

	memcpy(&v, at(off), sizeof(v));
	return v;
}

/* Write descriptor i of the table at offset table. */
static void desc_at(uint32_t table, uint16_t i, uint64_t addr, uint32_t len,
		    uint16_t flags, uint16_t next)
{
	struct virtq_desc d = { addr, len, flags, next };
	const uint8_t *src = (const uint8_t *)&d;
	uint32_t k;

	/* Byte by byte: a descriptor may straddle two pieces. */
	for (k = 0; k < sizeof(d); k++)
		*(uint8_t *)at(table + 16u * i + k) = src[k];
}

static void desc(uint16_t i, uint64_t addr, uint32_t len, uint16_t flags,
		 uint16_t next)
{
	desc_at(DESC_OFF, i, addr, len, flags, next);
}

/* Make head available, as the driver does: entry, then index. */
static void avail_add(uint16_t head)
{
	put16(AVAIL_OFF + 4u + 2u * (drv_avail & (qsize - 1)), head);
	drv_avail++;
	put16(AVAIL_OFF + 2u, drv_avail);
}

static uint32_t used_event_off(void)
{
	return AVAIL_OFF + 4u + 2u * qsize;
}

static uint32_t avail_event_off(void)
{
	return USED_OFF + 4u + 8u * qsize;
}

static int start_queue(uint32_t size, uint64_t features, uint16_t start)
{
	struct virtq_layout l = {
		.size = size,
		.desc = GPA(DESC_OFF),
		.avail = GPA(AVAIL_OFF),
		.used = GPA(USED_OFF),
		.features = features,
		.last_avail_idx = start,
		.used_idx = start,
	};

	qsize = size;
	drv_avail = start;
	put16(AVAIL_OFF + 2u, start);
	put16(USED_OFF + 2u, start);
	return virtq_setup(&vq, &l, &ops, NULL);
}

static int setup(void **state)
{
	(void)state;
	memset(arena, GUARD_BYTE, sizeof(arena));
	memset(mem, 0, MEM_SIZE);
	memset(&vq, 0, sizeof(vq));
	memset(segs, 0, sizeof(segs));
	chain = (struct virtq_chain){ .segs = segs, .max_segs = 8 };
	map_calls = 0;
	split = 0;
	hostile_piece = 0;
	swap_pieces = false;
	return 0;
}

static int teardown(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < GUARD; i++) {
		assert_int_equal(arena[i], GUARD_BYTE);
		assert_int_equal(arena[GUARD + MEM_SIZE + i], GUARD_BYTE);
	}
	return 0;
}

static uint64_t f(unsigned int bit)
{
	return 1ull << bit;
}

/* The next pop must refuse with err, write nothing, and stay refused. */
static void expect_broken(int err)
{
	memcpy(snapshot, mem, MEM_SIZE);
	assert_int_equal(virtq_pop(&vq, &chain), err);
	assert_int_equal(vq.broken, err);
	assert_memory_equal(snapshot, mem, MEM_SIZE);
	assert_int_equal(virtq_pop(&vq, &chain), err);
	assert_int_equal(virtq_push(&vq, 0, 0), err);
	assert_false(virtq_needs_interrupt(&vq, 0, 1));
	assert_false(virtq_notify_enable(&vq));
	virtq_notify_disable(&vq);
	assert_memory_equal(snapshot, mem, MEM_SIZE);
}

static void test_setup_refusals(void **state)
{
	struct virtq_layout l = {
		.size = 8,
		.desc = GPA(DESC_OFF),
		.avail = GPA(AVAIL_OFF),
		.used = GPA(USED_OFF),
	};
	struct virtq_layout b;
	static const uint32_t bad_sizes[] = { 0, 3, 12, 65536, 0x80000000u };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad_sizes) / sizeof(bad_sizes[0]); i++) {
		b = l;
		b.size = bad_sizes[i];
		assert_int_equal(virtq_setup(&vq, &b, &ops, NULL), -EINVAL);
	}
	b = l;
	b.desc += 8;
	assert_int_equal(virtq_setup(&vq, &b, &ops, NULL), -EINVAL);
	b = l;
	b.avail += 1;
	assert_int_equal(virtq_setup(&vq, &b, &ops, NULL), -EINVAL);
	b = l;
	b.used += 2;
	assert_int_equal(virtq_setup(&vq, &b, &ops, NULL), -EINVAL);
	assert_int_equal(map_calls, 0);

	b = l; /* outside guest memory */
	b.desc = MEM_BASE - 0x1000;
	assert_int_equal(virtq_setup(&vq, &b, &ops, NULL), -EFAULT);
	b = l; /* the used ring must be writable */
	b.used = GPA(RO_START);
	assert_int_equal(virtq_setup(&vq, &b, &ops, NULL), -EFAULT);
	b = l; /* wraps */
	b.avail = UINT64_MAX - 15;
	assert_int_equal(virtq_setup(&vq, &b, &ops, NULL), -EFAULT);
	/* The used ring with avail_event ends 2 bytes into the read-only page. */
	b = l;
	b.used = GPA(RO_START) - (4u + 8u * 8u);
	assert_int_equal(virtq_setup(&vq, &b, &ops, NULL), 0);
	b.features = f(VIRTQ_F_EVENT_IDX);
	assert_int_equal(virtq_setup(&vq, &b, &ops, NULL), -EFAULT);

	/* A queue that failed setup stays refused. */
	assert_int_equal(virtq_pop(&vq, &chain), -EFAULT);
	assert_int_equal(virtq_push(&vq, 0, 0), -EFAULT);

	for (i = 0; i <= 15; i++) {
		b = l;
		b.size = 1u << i;
		b.desc = GPA(0);
		b.avail = GPA(0x8000u);
		b.used = GPA(0x10000u);
		if (b.size <= 1024)
			assert_int_equal(virtq_setup(&vq, &b, &ops, NULL), 0);
	}
}

static void test_empty(void **state)
{
	(void)state;
	assert_int_equal(start_queue(8, 0, 0), 0);
	assert_int_equal(virtq_pop(&vq, &chain), 0);
	assert_int_equal(virtq_pop(&vq, &chain), 0);
	assert_int_equal(vq.broken, 0);
}

static void test_simple_chain(void **state)
{
	(void)state;
	assert_int_equal(start_queue(8, 0, 0), 0);
	desc(5, BUF(0), 64, 0, 0);
	avail_add(5);
	assert_int_equal(virtq_pop(&vq, &chain), 1);
	assert_int_equal(chain.head, 5);
	assert_int_equal(chain.nr_segs, 1);
	assert_int_equal(chain.nr_readable, 1);
	assert_int_equal(chain.nr_writable, 0);
	assert_int_equal(chain.readable_len, 64);
	assert_ptr_equal(segs[0].addr, at(BUF_OFF));
	assert_int_equal(segs[0].gpa, BUF(0));
	assert_int_equal(segs[0].len, 64);
	assert_false(segs[0].writable);
	assert_int_equal(virtq_pop(&vq, &chain), 0);

	assert_int_equal(virtq_push(&vq, 5, 0), 0);
	assert_int_equal(get32(USED_OFF + 4u), 5);
	assert_int_equal(get32(USED_OFF + 8u), 0);
	assert_int_equal(get16(USED_OFF + 2u), 1);
}

static void test_read_write_chain(void **state)
{
	(void)state;
	assert_int_equal(start_queue(8, 0, 0), 0);
	desc(0, BUF(0), 16, VIRTQ_DESC_F_NEXT, 3);
	desc(3, BUF(1), 100, VIRTQ_DESC_F_NEXT, 7);
	desc(7, BUF(2), 200, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 1);
	desc(1, BUF(3), 1, VIRTQ_DESC_F_WRITE, 0);
	avail_add(0);
	assert_int_equal(virtq_pop(&vq, &chain), 1);
	assert_int_equal(chain.head, 0);
	assert_int_equal(chain.nr_segs, 4);
	assert_int_equal(chain.nr_readable, 2);
	assert_int_equal(chain.nr_writable, 2);
	assert_int_equal(chain.readable_len, 116);
	assert_int_equal(chain.writable_len, 201);
	assert_false(segs[1].writable);
	assert_true(segs[2].writable);
	assert_ptr_equal(segs[3].addr, at(BUF_OFF + 0x300u));

	assert_int_equal(virtq_push(&vq, 0, 201), 0);
	assert_int_equal(get32(USED_OFF + 8u), 201);
	/* A bad head from the device is its own bug: refused, not broken. */
	assert_int_equal(virtq_push(&vq, 8, 0), -EINVAL);
	assert_int_equal(vq.broken, 0);
}

static void test_zero_length(void **state)
{
	(void)state;
	assert_int_equal(start_queue(8, 0, 0), 0);
	/* Zero-length descriptors are legal, unmapped, and yield no segment. */
	desc(0, 0, 0, VIRTQ_DESC_F_NEXT, 1);
	desc(1, BUF(0), 8, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 2);
	desc(2, UINT64_MAX, 0, VIRTQ_DESC_F_WRITE, 0);
	avail_add(0);
	map_calls = 0;
	assert_int_equal(virtq_pop(&vq, &chain), 1);
	assert_int_equal(map_calls, 1);
	assert_int_equal(chain.nr_segs, 1);
	assert_int_equal(chain.writable_len, 8);
}

static void test_indirect(void **state)
{
	(void)state;
	assert_int_equal(start_queue(8, f(VIRTQ_F_INDIRECT_DESC), 0), 0);
	desc(2, BUF(0), 10, VIRTQ_DESC_F_NEXT, 4);
	/* WRITE on the indirect descriptor itself is ignored (2.7.5.3.2). */
	desc(4, GPA(TABLE_OFF), 3 * 16,
	     VIRTQ_DESC_F_INDIRECT | VIRTQ_DESC_F_WRITE, 0);
	desc_at(TABLE_OFF, 0, BUF(1), 20, VIRTQ_DESC_F_NEXT, 2);
	desc_at(TABLE_OFF, 2, BUF(2), 30,
		VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 1);
	desc_at(TABLE_OFF, 1, BUF(3), 40, VIRTQ_DESC_F_WRITE, 0);
	avail_add(2);
	assert_int_equal(virtq_pop(&vq, &chain), 1);
	assert_int_equal(chain.head, 2);
	assert_int_equal(chain.nr_readable, 2);
	assert_int_equal(chain.nr_writable, 2);
	assert_int_equal(chain.readable_len, 30);
	assert_int_equal(chain.writable_len, 70);
	assert_int_equal(segs[1].gpa, BUF(1));
	assert_int_equal(segs[3].gpa, BUF(3));

	/* An indirect table of exactly size entries, at an odd address. */
	for (uint16_t i = 0; i < 8; i++)
		desc_at(TABLE_OFF + 0x101u, i, BUF(i), 1,
			i < 7 ? VIRTQ_DESC_F_NEXT : 0, (uint16_t)(i + 1));
	desc(6, GPA(TABLE_OFF + 0x101u), 8 * 16, VIRTQ_DESC_F_INDIRECT, 0);
	avail_add(6);
	assert_int_equal(virtq_pop(&vq, &chain), 1);
	assert_int_equal(chain.nr_segs, 8);
	assert_int_equal(chain.readable_len, 8);
}

static void test_wraparound(void **state)
{
	uint16_t i, start = 65533;

	(void)state;
	assert_int_equal(start_queue(4, 0, start), 0);
	for (i = 0; i < 4; i++)
		desc(i, BUF(i), 4u + i, 0, 0);
	/* Eleven chains, four at a time, across the 16-bit wrap. */
	for (i = 0; i < 11; i++) {
		avail_add(i % 4);
		assert_int_equal(virtq_pop(&vq, &chain), 1);
		assert_int_equal(chain.head, i % 4);
		assert_int_equal(chain.readable_len, 4u + i % 4);
		assert_int_equal(virtq_pop(&vq, &chain), 0);
		assert_int_equal(virtq_push(&vq, chain.head, i), 0);
		assert_int_equal(get16(USED_OFF + 2u),
				 (uint16_t)(start + i + 1));
		assert_int_equal(get32(USED_OFF + 4u +
				       8u * ((uint16_t)(start + i) & 3u)),
				 i % 4);
	}
	/* A full ring (size entries pending) across the wrap is fine. */
	for (i = 0; i < 4; i++)
		avail_add(i);
	for (i = 0; i < 4; i++)
		assert_int_equal(virtq_pop(&vq, &chain), 1);
	assert_int_equal(virtq_pop(&vq, &chain), 0);
	assert_int_equal(vq.last_avail_idx, (uint16_t)(start + 15));
}

static void test_no_interrupt_flag(void **state)
{
	(void)state;
	assert_int_equal(start_queue(8, 0, 0), 0);
	assert_true(virtq_needs_interrupt(&vq, 0, 1));
	assert_false(virtq_needs_interrupt(&vq, 1, 1));
	put16(AVAIL_OFF, VIRTQ_AVAIL_F_NO_INTERRUPT);
	assert_false(virtq_needs_interrupt(&vq, 0, 1));
}

static void test_event_idx_interrupt(void **state)
{
	(void)state;
	assert_int_equal(start_queue(8, f(VIRTQ_F_EVENT_IDX), 0), 0);
	/* NO_INTERRUPT is ignored with EVENT_IDX. */
	put16(AVAIL_OFF, VIRTQ_AVAIL_F_NO_INTERRUPT);
	put16(used_event_off(), 0);
	assert_true(virtq_needs_interrupt(&vq, 0, 1));
	put16(used_event_off(), 3); /* wants one when entry 3 is used */
	assert_false(virtq_needs_interrupt(&vq, 0, 3));
	assert_true(virtq_needs_interrupt(&vq, 0, 4));
	assert_true(virtq_needs_interrupt(&vq, 3, 4));
	assert_false(virtq_needs_interrupt(&vq, 4, 6));
	/* Across the wrap. */
	put16(used_event_off(), 65535);
	assert_true(virtq_needs_interrupt(&vq, 65534, 2));
	assert_false(virtq_needs_interrupt(&vq, 0, 2));
	assert_false(virtq_needs_interrupt(&vq, 65530, 65535));
	assert_true(virtq_needs_interrupt(&vq, 65530, 0));
}

static void test_notify_flags(void **state)
{
	(void)state;
	assert_int_equal(start_queue(8, 0, 0), 0);
	desc(0, BUF(0), 8, 0, 0);
	virtq_notify_disable(&vq);
	assert_int_equal(get16(USED_OFF), VIRTQ_USED_F_NO_NOTIFY);
	assert_false(virtq_notify_enable(&vq));
	assert_int_equal(get16(USED_OFF), 0);

	/* The race: a buffer arrives while notifications are off. */
	virtq_notify_disable(&vq);
	avail_add(0);
	assert_true(virtq_notify_enable(&vq));
	assert_int_equal(get16(USED_OFF), 0);
	assert_int_equal(virtq_pop(&vq, &chain), 1);
	assert_false(virtq_notify_enable(&vq));
}

static void test_notify_event_idx(void **state)
{
	(void)state;
	assert_int_equal(start_queue(8, f(VIRTQ_F_EVENT_IDX), 65535), 0);
	desc(0, BUF(0), 8, 0, 0);
	put16(avail_event_off(), 1234);
	virtq_notify_disable(&vq);
	assert_int_equal(get16(USED_OFF), 0); /* flags unused with EVENT_IDX */
	assert_int_equal(get16(avail_event_off()), 1234);
	assert_false(virtq_notify_enable(&vq));
	assert_int_equal(get16(avail_event_off()), 65535);

	avail_add(0);
	avail_add(0);
	assert_true(virtq_notify_enable(&vq));
	assert_int_equal(virtq_pop(&vq, &chain), 1);
	assert_true(virtq_notify_enable(&vq));
	assert_int_equal(get16(avail_event_off()), 0);
	assert_int_equal(virtq_pop(&vq, &chain), 1);
	assert_false(virtq_notify_enable(&vq));
	assert_int_equal(get16(avail_event_off()), 1);
}

static void test_refuse_avail_jump(void **state)
{
	(void)state;
	assert_int_equal(start_queue(8, 0, 100), 0);
	put16(AVAIL_OFF + 2u, 100 + 9);
	expect_broken(-EOVERFLOW);
}

static void test_refuse_avail_jump_on_enable(void **state)
{
	(void)state;
	assert_int_equal(start_queue(8, 0, 0), 0);
	put16(AVAIL_OFF + 2u, 65535); /* moved backwards */
	assert_true(virtq_notify_enable(&vq));
	assert_int_equal(vq.broken, -EOVERFLOW);
	expect_broken(-EOVERFLOW);
}

static void test_refuse_head(void **state)
{
	(void)state;
	assert_int_equal(start_queue(8, 0, 0), 0);
	avail_add(8);
	expect_broken(-ERANGE);
}

static void test_refuse_next(void **state)
{
	(void)state;
	assert_int_equal(start_queue(8, 0, 0), 0);
	desc(0, BUF(0), 8, VIRTQ_DESC_F_NEXT, 8);
	avail_add(0);
	expect_broken(-ERANGE);
}

static void test_refuse_next_in_table(void **state)
{
	(void)state;
	assert_int_equal(start_queue(8, f(VIRTQ_F_INDIRECT_DESC), 0), 0);
	desc(0, GPA(TABLE_OFF), 2 * 16, VIRTQ_DESC_F_INDIRECT, 0);
	desc_at(TABLE_OFF, 0, BUF(0), 8, VIRTQ_DESC_F_NEXT, 2);
	avail_add(0);
	expect_broken(-ERANGE);
}

static void test_refuse_loop(void **state)
{
	(void)state;
	assert_int_equal(start_queue(8, 0, 0), 0);
	desc(0, BUF(0), 8, VIRTQ_DESC_F_NEXT, 1);
	desc(1, BUF(1), 8, VIRTQ_DESC_F_NEXT, 0);
	avail_add(0);
	expect_broken(-ELOOP);
}

static void test_refuse_loop_empty(void **state)
{
	(void)state;
	assert_int_equal(start_queue(8, 0, 0), 0);
	/* Empty descriptors take no segment, so only the count stops this. */
	desc(2, BUF(2), 0, VIRTQ_DESC_F_NEXT, 2);
	avail_add(2);
	expect_broken(-ELOOP);
}

static void test_refuse_loop_long(void **state)
{
	static struct virtq_seg many[300];
	uint16_t i;

	(void)state;
	assert_int_equal(start_queue(256, 0, 0), 0);
	chain.segs = many;
	chain.max_segs = 300;
	/* A ring-long chain is fine; one that revisits is not. */
	for (i = 0; i < 256; i++)
		desc(i, BUF(0), 1, i < 255 ? VIRTQ_DESC_F_NEXT : 0,
		     (uint16_t)(i + 1));
	avail_add(0);
	assert_int_equal(virtq_pop(&vq, &chain), 1);
	assert_int_equal(chain.nr_segs, 256);
	desc(255, BUF(0), 1, VIRTQ_DESC_F_NEXT, 7);
	avail_add(0);
	expect_broken(-ELOOP);
}

static void test_refuse_loop_in_table(void **state)
{
	(void)state;
	assert_int_equal(start_queue(8, f(VIRTQ_F_INDIRECT_DESC), 0), 0);
	desc(0, GPA(TABLE_OFF), 2 * 16, VIRTQ_DESC_F_INDIRECT, 0);
	desc_at(TABLE_OFF, 0, BUF(0), 0, VIRTQ_DESC_F_NEXT, 1);
	desc_at(TABLE_OFF, 1, BUF(0), 0, VIRTQ_DESC_F_NEXT, 0);
	avail_add(0);
	expect_broken(-ELOOP);
}

static void test_refuse_nested_indirect(void **state)
{
	(void)state;
	assert_int_equal(start_queue(8, f(VIRTQ_F_INDIRECT_DESC), 0), 0);
	desc(0, GPA(TABLE_OFF), 16, VIRTQ_DESC_F_INDIRECT, 0);
	desc_at(TABLE_OFF, 0, GPA(TABLE_OFF), 16, VIRTQ_DESC_F_INDIRECT, 0);
	avail_add(0);
	expect_broken(-EINVAL);
}

static void test_refuse_indirect_not_negotiated(void **state)
{
	(void)state;
	assert_int_equal(start_queue(8, f(VIRTQ_F_EVENT_IDX), 0), 0);
	desc(0, GPA(TABLE_OFF), 16, VIRTQ_DESC_F_INDIRECT, 0);
	desc_at(TABLE_OFF, 0, BUF(0), 8, 0, 0);
	avail_add(0);
	expect_broken(-EINVAL);
}

static void test_refuse_indirect_next(void **state)
{
	(void)state;
	assert_int_equal(start_queue(8, f(VIRTQ_F_INDIRECT_DESC), 0), 0);
	desc(0, GPA(TABLE_OFF), 16, VIRTQ_DESC_F_INDIRECT | VIRTQ_DESC_F_NEXT,
	     1);
	desc(1, BUF(1), 8, 0, 0);
	desc_at(TABLE_OFF, 0, BUF(0), 8, 0, 0);
	avail_add(0);
	expect_broken(-EINVAL);
}

static void refuse_table_len(uint32_t len, int err)
{
	assert_int_equal(start_queue(8, f(VIRTQ_F_INDIRECT_DESC), 0), 0);
	desc(0, GPA(TABLE_OFF), len, VIRTQ_DESC_F_INDIRECT, 0);
	avail_add(0);
	expect_broken(err);
}

static void test_refuse_table_len_zero(void **state)
{
	(void)state;
	refuse_table_len(0, -EINVAL);
}

static void test_refuse_table_len_partial(void **state)
{
	(void)state;
	refuse_table_len(24, -EINVAL);
}

static void test_refuse_table_too_long(void **state)
{
	(void)state;
	refuse_table_len(9 * 16, -EINVAL);
}

static void test_refuse_table_unmapped(void **state)
{
	(void)state;
	assert_int_equal(start_queue(8, f(VIRTQ_F_INDIRECT_DESC), 0), 0);
	desc(0, GPA(MEM_SIZE - 16u), 32, VIRTQ_DESC_F_INDIRECT, 0);
	avail_add(0);
	expect_broken(-EFAULT);
}

static void test_refuse_read_after_write(void **state)
{
	(void)state;
	assert_int_equal(start_queue(8, 0, 0), 0);
	desc(0, BUF(0), 8, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 1);
	desc(1, BUF(1), 8, 0, 0);
	avail_add(0);
	expect_broken(-EINVAL);
}

static void test_refuse_read_after_write_indirect(void **state)
{
	(void)state;
	assert_int_equal(start_queue(8, f(VIRTQ_F_INDIRECT_DESC), 0), 0);
	/* An empty writable descriptor still orders the chain. */
	desc(0, BUF(0), 0, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 1);
	desc(1, GPA(TABLE_OFF), 16, VIRTQ_DESC_F_INDIRECT, 0);
	desc_at(TABLE_OFF, 0, BUF(1), 8, 0, 0);
	avail_add(0);
	expect_broken(-EINVAL);
}

static void test_refuse_buffer_outside(void **state)
{
	(void)state;
	assert_int_equal(start_queue(8, 0, 0), 0);
	desc(0, GPA(MEM_SIZE - 4u), 8, 0, 0);
	avail_add(0);
	expect_broken(-EFAULT);
}

static void test_refuse_buffer_wraps(void **state)
{
	(void)state;
	assert_int_equal(start_queue(8, 0, 0), 0);
	desc(0, UINT64_MAX - 3, 8, 0, 0);
	avail_add(0);
	map_calls = 0;
	expect_broken(-EFAULT);
	assert_int_equal(map_calls, 0);
}

static void test_refuse_write_read_only(void **state)
{
	(void)state;
	assert_int_equal(start_queue(8, 0, 0), 0);
	desc(0, GPA(RO_START), 8, VIRTQ_DESC_F_WRITE, 0);
	desc(1, GPA(RO_START), 8, 0, 0);
	avail_add(1);
	assert_int_equal(virtq_pop(&vq, &chain), 1); /* reading it is fine */
	avail_add(0);
	expect_broken(-EFAULT);
}

static void test_refuse_too_many_segments(void **state)
{
	(void)state;
	assert_int_equal(start_queue(8, 0, 0), 0);
	chain.max_segs = 2;
	desc(0, BUF(0), 8, VIRTQ_DESC_F_NEXT, 1);
	desc(1, BUF(1), 8, VIRTQ_DESC_F_NEXT, 2);
	desc(2, BUF(2), 8, 0, 0);
	avail_add(0);
	expect_broken(-ENOSPC);
}

static void test_refuse_total_overflow(void **state)
{
	(void)state;
	assert_int_equal(start_queue(8, 0, 0), 0);
	desc(0, HUGE_BASE, 0xffffffffu, VIRTQ_DESC_F_NEXT, 1);
	desc(1, BUF(0), 0, VIRTQ_DESC_F_NEXT, 2); /* empty adds nothing */
	desc(2, HUGE_BASE, 1, VIRTQ_DESC_F_WRITE, 0);
	avail_add(0);
	expect_broken(-EOVERFLOW);
}

static void test_total_at_limit(void **state)
{
	(void)state;
	assert_int_equal(start_queue(8, 0, 0), 0);
	desc(0, HUGE_BASE, 0xfffffff0u, VIRTQ_DESC_F_NEXT, 1);
	desc(1, HUGE_BASE, 0xf, VIRTQ_DESC_F_WRITE, 0);
	avail_add(0);
	assert_int_equal(virtq_pop(&vq, &chain), 1);
	assert_int_equal(chain.readable_len, 0xfffffff0u);
	assert_int_equal(chain.writable_len, 0xf);
}

/*
 * Segments s[from..to) must be the buffer [gpa, gpa + len) cut exactly at
 * the multiples of split: adjacent, each inside one piece, host pointers
 * matching, the right direction. Returns the number of segments expected,
 * counted from the multiples of split the buffer crosses.
 */
static unsigned int check_cut(unsigned int from, uint64_t gpa, uint32_t len,
			      bool writable)
{
	unsigned int n =
		(unsigned int)((gpa + len - 1) / split - gpa / split) + 1;
	unsigned int i;
	uint64_t at_gpa = gpa;

	for (i = from; i < from + n; i++) {
		assert_int_equal(segs[i].gpa, at_gpa);
		assert_true(segs[i].len > 0);
		assert_int_equal(segs[i].gpa / split,
				 (segs[i].gpa + segs[i].len - 1) / split);
		if (at_gpa < HUGE_BASE)
			assert_ptr_equal(segs[i].addr, at(at_gpa - MEM_BASE));
		assert_int_equal(segs[i].writable, writable);
		at_gpa += segs[i].len;
	}
	assert_int_equal(at_gpa, gpa + len);
	return n;
}

/* A virtio-blk style chain whose header and data cross 4 KiB edges. */
static void test_split_4k(void **state)
{
	unsigned int n;

	(void)state;
	split = 0x1000;
	swap_pieces = true;
	assert_int_equal(start_queue(8, 0, 0), 0);
	chain.max_segs = 16;
	desc(0, GPA(0x8ff8), 16, VIRTQ_DESC_F_NEXT, 1);
	desc(1, GPA(0x9800), 0x2000, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 2);
	desc(2, GPA(0xbfff), 1, VIRTQ_DESC_F_WRITE, 0);
	avail_add(0);
	assert_int_equal(virtq_pop(&vq, &chain), 1);
	n = check_cut(0, GPA(0x8ff8), 16, false);
	assert_int_equal(n, 2);
	assert_int_equal(segs[0].len, 8);
	n += check_cut(n, GPA(0x9800), 0x2000, true);
	assert_int_equal(n, 5);
	n += check_cut(n, GPA(0xbfff), 1, true);
	assert_int_equal(chain.nr_segs, 6);
	assert_int_equal(n, 6);
	assert_int_equal(chain.nr_readable, 2);
	assert_int_equal(chain.nr_writable, 4);
	assert_int_equal(chain.readable_len, 16);
	assert_int_equal(chain.writable_len, 0x2001);
}

/* Splits at an odd stride: every buffer and offset lands off the edges. */
static void test_split_odd(void **state)
{
	static const uint32_t strides[] = { 1, 3, 0x333, 0x1001 };
	unsigned int k, n;

	(void)state;
	for (k = 0; k < sizeof(strides) / sizeof(strides[0]); k++) {
		setup(NULL);
		/* Ring areas cut at odd strides are refused; map them whole. */
		assert_int_equal(start_queue(8, 0, 0), 0);
		split = strides[k];
		chain.max_segs = 64;
		desc(0, GPA(0x8001), 5, VIRTQ_DESC_F_NEXT, 1);
		desc(1, GPA(0x8777), split < 8 ? 40 : 0x1234,
		     VIRTQ_DESC_F_WRITE, 0);
		avail_add(0);
		assert_int_equal(virtq_pop(&vq, &chain), 1);
		n = check_cut(0, GPA(0x8001), 5, false);
		n += check_cut(n, GPA(0x8777), split < 8 ? 40 : 0x1234, true);
		assert_int_equal(chain.nr_segs, n);
		assert_int_equal(chain.nr_readable + chain.nr_writable, n);
	}
}

/*
 * A 1 MiB read as two 512 KiB buffers, each crossing an edge of 2 MiB
 * chunks: two segments each.
 */
static void test_split_1m_two_chunk_edges(void **state)
{
	const uint64_t chunk = 0x200000, half = 0x80000;
	unsigned int n;

	(void)state;
	assert_int_equal(start_queue(8, 0, 0), 0);
	split = chunk;
	desc(0, BUF(0), 16, VIRTQ_DESC_F_NEXT, 1);
	desc(1, HUGE_BASE + chunk - 0x40000, half,
	     VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 2);
	desc(2, HUGE_BASE + 2 * chunk - 0x1000, half,
	     VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 3);
	desc(3, BUF(1), 1, VIRTQ_DESC_F_WRITE, 0);
	avail_add(0);
	assert_int_equal(virtq_pop(&vq, &chain), 1);
	n = 1 + check_cut(1, HUGE_BASE + chunk - 0x40000, half, true);
	n += check_cut(n, HUGE_BASE + 2 * chunk - 0x1000, half, true);
	assert_int_equal(n, 5);
	assert_int_equal(segs[1].len, 0x40000);
	assert_int_equal(segs[3].len, 0x1000);
	assert_int_equal(chain.nr_segs, 6);
	assert_int_equal(chain.writable_len, 2 * half + 1);
}

/* Lay out an indirect chain whose table (at an odd gpa) crosses 0x6100. */
static void split_indirect_chain(void)
{
	const uint32_t table = TABLE_OFF + 0xf8u; /* entry 0 straddles */

	desc_at(table, 0, GPA(0x80f0), 0x20, VIRTQ_DESC_F_NEXT, 3);
	desc_at(table, 3, GPA(0x81ff), 0x102,
		VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 1);
	desc_at(table, 1, GPA(0x8400), 1, VIRTQ_DESC_F_WRITE, 0);
	desc(4, GPA(table), 4 * 16, VIRTQ_DESC_F_INDIRECT, 0);
	avail_add(4);
}

/* An indirect table split at 0x100 inside an entry, its buffers too. */
static void test_split_indirect(void **state)
{
	unsigned int n;

	(void)state;
	split = 0x100;
	swap_pieces = true;
	assert_int_equal(start_queue(8, f(VIRTQ_F_INDIRECT_DESC), 0), 0);
	chain.max_segs = 16;
	split_indirect_chain();
	assert_int_equal(virtq_pop(&vq, &chain), 1);
	n = check_cut(0, GPA(0x80f0), 0x20, false);
	n += check_cut(n, GPA(0x81ff), 0x102, true);
	n += check_cut(n, GPA(0x8400), 1, true);
	assert_int_equal(n, 6);
	assert_int_equal(chain.nr_segs, 6);
	assert_int_equal(chain.head, 4);

	/* The same chain cut every 7 bytes: the table is still read right. */
	swap_pieces = false;
	split = 0;
	assert_int_equal(start_queue(8, f(VIRTQ_F_INDIRECT_DESC), 0), 0);
	split = 7;
	chain.max_segs = 64;
	split_indirect_chain();
	assert_int_equal(virtq_pop(&vq, &chain), 1);
	n = check_cut(0, GPA(0x80f0), 0x20, false);
	n += check_cut(n, GPA(0x81ff), 0x102, true);
	n += check_cut(n, GPA(0x8400), 1, true);
	assert_int_equal(chain.nr_segs, n);
	assert_int_equal(chain.writable_len, 0x103);
}

static void test_refuse_table_split_unmapped(void **state)
{
	(void)state;
	assert_int_equal(start_queue(8, f(VIRTQ_F_INDIRECT_DESC), 0), 0);
	split = 0x10;
	/* In pieces, and the last piece is outside guest memory. */
	desc(0, GPA(MEM_SIZE - 0x30u), 0x40, VIRTQ_DESC_F_INDIRECT, 0);
	avail_add(0);
	expect_broken(-EFAULT);
}

/* Ring areas must be whole: a desc table across an edge is refused. */
static void test_refuse_ring_split(void **state)
{
	struct virtq_layout l = {
		.size = 512, /* 8 KiB of descriptors across the 4 KiB edge */
		.desc = GPA(DESC_OFF),
		.avail = GPA(AVAIL_OFF + 0x3000u),
		.used = GPA(USED_OFF + 0x3000u),
	};

	(void)state;
	split = 0x1000;
	assert_int_equal(virtq_setup(&vq, &l, &ops, NULL), -EFAULT);
	assert_int_equal(virtq_pop(&vq, &chain), -EFAULT);
	/* 4 KiB exactly, avail and used inside their pages: accepted. */
	l.size = 256;
	assert_int_equal(virtq_setup(&vq, &l, &ops, NULL), 0);
	/* The used ring across an edge. */
	l.used = GPA(USED_OFF + 0x3000u + 0x800u);
	assert_int_equal(virtq_setup(&vq, &l, &ops, NULL), -EFAULT);
}

/* A buffer cut into more pieces than max_segs: refused, not truncated. */
static void test_refuse_split_too_many(void **state)
{
	(void)state;
	assert_int_equal(start_queue(8, 0, 0), 0);
	split = 4;
	desc(0, BUF(0), 32, 0, 0); /* exactly 8 pieces */
	avail_add(0);
	assert_int_equal(virtq_pop(&vq, &chain), 1);
	assert_int_equal(chain.nr_segs, 8);
	desc(0, BUF(0) + 1, 32, 0, 0); /* 9 pieces */
	avail_add(0);
	expect_broken(-ENOSPC);
}

/* A map answering 0 bytes must not make the walker loop. */
static void test_refuse_zero_piece(void **state)
{
	(void)state;
	assert_int_equal(start_queue(8, 0, 0), 0);
	hostile_piece = 1;
	desc(0, BUF(0), 32, 0, 0);
	avail_add(0);
	map_calls = 0;
	expect_broken(-EFAULT);
	assert_int_equal(map_calls, 1);
	/* At setup as well. */
	assert_int_equal(start_queue(8, 0, 0), -EFAULT);
}

static void test_refuse_piece_too_long(void **state)
{
	(void)state;
	assert_int_equal(start_queue(8, f(VIRTQ_F_INDIRECT_DESC), 0), 0);
	hostile_piece = 2;
	desc(0, GPA(TABLE_OFF), 16, VIRTQ_DESC_F_INDIRECT, 0);
	avail_add(0);
	expect_broken(-EFAULT);
	assert_int_equal(start_queue(8, 0, 0), -EFAULT);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_setup_refusals),
		T(test_empty),
		T(test_simple_chain),
		T(test_read_write_chain),
		T(test_zero_length),
		T(test_indirect),
		T(test_wraparound),
		T(test_no_interrupt_flag),
		T(test_event_idx_interrupt),
		T(test_notify_flags),
		T(test_notify_event_idx),
		T(test_total_at_limit),
		T(test_refuse_avail_jump),
		T(test_refuse_avail_jump_on_enable),
		T(test_refuse_head),
		T(test_refuse_next),
		T(test_refuse_next_in_table),
		T(test_refuse_loop),
		T(test_refuse_loop_empty),
		T(test_refuse_loop_long),
		T(test_refuse_loop_in_table),
		T(test_refuse_nested_indirect),
		T(test_refuse_indirect_not_negotiated),
		T(test_refuse_indirect_next),
		T(test_refuse_table_len_zero),
		T(test_refuse_table_len_partial),
		T(test_refuse_table_too_long),
		T(test_refuse_table_unmapped),
		T(test_refuse_read_after_write),
		T(test_refuse_read_after_write_indirect),
		T(test_refuse_buffer_outside),
		T(test_refuse_buffer_wraps),
		T(test_refuse_write_read_only),
		T(test_refuse_too_many_segments),
		T(test_refuse_total_overflow),
		T(test_split_4k),
		T(test_split_odd),
		T(test_split_1m_two_chunk_edges),
		T(test_split_indirect),
		T(test_refuse_table_split_unmapped),
		T(test_refuse_ring_split),
		T(test_refuse_split_too_many),
		T(test_refuse_zero_piece),
		T(test_refuse_piece_too_long),
	};

	return cmocka_run_group_tests_name("virtq", tests, NULL, NULL);
}
