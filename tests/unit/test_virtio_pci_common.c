// SPDX-License-Identifier: BSD-3-Clause
/*
 * Unit tests for the virtio-pci common configuration structure
 * (kmod/lib/virtio_pci_common.c). The tests play Linux's
 * virtio_pci_modern (feature negotiation with two selects, queue setup
 * with 32-bit halves, MSI-X vectors read back) and a hostile driver; a
 * fake device core records the callbacks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "virtio_pci_common.h"

#define NUM_QUEUES 3
#define MAX_SIZE 256
#define NR_VECTORS 4
#define FEATURES 0x0000000130000246ull /* VERSION_1 | EVENT_IDX | ... */

static struct vpc c;
static struct vpc_queue queues[NUM_QUEUES];
static uint8_t status, generation;
static unsigned int nr_set_status, nr_resets, nr_enables;
static uint64_t driver_features;
static struct vpc_queue enabled[NUM_QUEUES];
static uint16_t last_enabled;

static uint8_t ops_get_status(void *opaque)
{
	(void)opaque;
	return status;
}

static void ops_set_status(void *opaque, uint8_t s)
{
	(void)opaque;
	nr_set_status++;
	if (!s)
		nr_resets++;
	status = s ? status | s : 0;
}

static void ops_set_driver_features(void *opaque, uint64_t f)
{
	(void)opaque;
	driver_features = f;
}

static void ops_enable_queue(void *opaque, uint16_t q,
			     const struct vpc_queue *vq)
{
	(void)opaque;
	assert_true(q < NUM_QUEUES);
	nr_enables++;
	last_enabled = q;
	enabled[q] = *vq;
}

static uint8_t ops_config_generation(void *opaque)
{
	(void)opaque;
	return generation;
}

static const struct vpc_ops ops = {
	.get_status = ops_get_status,
	.set_status = ops_set_status,
	.set_driver_features = ops_set_driver_features,
	.enable_queue = ops_enable_queue,
	.config_generation = ops_config_generation,
};

static int setup(void **state)
{
	(void)state;
	status = generation = 0;
	nr_set_status = nr_resets = nr_enables = 0;
	driver_features = 0;
	memset(enabled, 0, sizeof(enabled));
	memset(queues, 0x5a, sizeof(queues));
	assert_int_equal(vpc_init(&c, &ops, NULL, FEATURES, NUM_QUEUES,
				  MAX_SIZE, NR_VECTORS, queues),
			 0);
	return 0;
}

static uint64_t rd(uint32_t off, unsigned int size)
{
	return vpc_read(&c, off, size);
}

static void wr(uint32_t off, unsigned int size, uint64_t val)
{
	vpc_write(&c, off, size, val);
}

static void test_reset_values(void **state)
{
	unsigned int q;

	(void)state;
	assert_int_equal(rd(VPC_NUMQ, 2), NUM_QUEUES);
	assert_int_equal(rd(VPC_MSIX, 2), VPC_NO_VECTOR);
	assert_int_equal(rd(VPC_Q_SELECT, 2), 0);
	for (q = 0; q < NUM_QUEUES; q++) {
		wr(VPC_Q_SELECT, 2, q);
		assert_int_equal(rd(VPC_Q_SIZE, 2), MAX_SIZE);
		assert_int_equal(rd(VPC_Q_MSIX, 2), VPC_NO_VECTOR);
		assert_int_equal(rd(VPC_Q_ENABLE, 2), 0);
		assert_int_equal(rd(VPC_Q_NOFF, 2), q);
		assert_int_equal(rd(VPC_Q_DESCLO, 8), 0);
		assert_int_equal(rd(VPC_Q_AVAILLO, 8), 0);
		assert_int_equal(rd(VPC_Q_USEDLO, 8), 0);
	}
	assert_int_equal(rd(VPC_Q_NDATA, 2), 0);
	assert_int_equal(rd(VPC_Q_RESET, 2), 0);
	/* Past the structure: zeroes. */
	assert_int_equal(rd(VPC_LEN, 4), 0);
	assert_int_equal(rd(0x40, 8), 0);
	assert_int_equal(rd(0xff8, 8), 0);
}

/* vp_modern_get_features / vp_modern_set_features. */
static void test_features(void **state)
{
	(void)state;
	wr(VPC_DFSELECT, 4, 0);
	assert_int_equal(rd(VPC_DF, 4), (uint32_t)FEATURES);
	wr(VPC_DFSELECT, 4, 1);
	assert_int_equal(rd(VPC_DF, 4), FEATURES >> 32);
	assert_int_equal(rd(VPC_DFSELECT, 4), 1);
	wr(VPC_DFSELECT, 4, 2);
	assert_int_equal(rd(VPC_DF, 4), 0);
	wr(VPC_DFSELECT, 4, 0xffffffff);
	assert_int_equal(rd(VPC_DF, 4), 0);

	wr(VPC_GFSELECT, 4, 0);
	wr(VPC_GF, 4, 0x30000000);
	assert_int_equal(driver_features, 0x30000000);
	wr(VPC_GFSELECT, 4, 1);
	wr(VPC_GF, 4, 1);
	assert_int_equal(driver_features, 0x130000000ull);
	assert_int_equal(rd(VPC_GF, 4), 1);
	/* Beyond bit 63 nothing is stored or passed on. */
	wr(VPC_GFSELECT, 4, 2);
	wr(VPC_GF, 4, 0xffffffff);
	assert_int_equal(driver_features, 0x130000000ull);
	assert_int_equal(rd(VPC_GF, 4), 0);
	/* The device features are read-only. */
	wr(VPC_DFSELECT, 4, 0);
	wr(VPC_DF, 4, 0);
	assert_int_equal(rd(VPC_DF, 4), (uint32_t)FEATURES);
}

static void setup_queue(uint16_t q, uint16_t size, uint64_t desc,
			uint64_t driver, uint64_t device, uint16_t vector)
{
	wr(VPC_Q_SELECT, 2, q);
	wr(VPC_Q_SIZE, 2, size);
	/* vp_iowrite64_twopart: low then high dword. */
	wr(VPC_Q_DESCLO, 4, (uint32_t)desc);
	wr(VPC_Q_DESCHI, 4, desc >> 32);
	wr(VPC_Q_AVAILLO, 4, (uint32_t)driver);
	wr(VPC_Q_AVAILHI, 4, driver >> 32);
	wr(VPC_Q_USEDLO, 8, device);
	wr(VPC_Q_MSIX, 2, vector);
}

static void test_queue_setup(void **state)
{
	(void)state;
	wr(VPC_STATUS, 1, 1);
	assert_int_equal(rd(VPC_STATUS, 1), 1);
	setup_queue(1, 64, 0x123456000ull, 0x123457000ull, 0x123458000ull, 2);
	assert_int_equal(rd(VPC_Q_SIZE, 2), 64);
	assert_int_equal(rd(VPC_Q_MSIX, 2), 2);
	assert_int_equal(rd(VPC_Q_DESCLO, 4), 0x23456000);
	assert_int_equal(rd(VPC_Q_DESCHI, 4), 1);
	assert_int_equal(rd(VPC_Q_AVAILLO, 8), 0x123457000ull);
	assert_int_equal(rd(VPC_Q_USEDLO, 8), 0x123458000ull);
	assert_int_equal(nr_enables, 0);
	wr(VPC_Q_ENABLE, 2, 1);
	assert_int_equal(nr_enables, 1);
	assert_int_equal(last_enabled, 1);
	assert_int_equal(enabled[1].size, 64);
	assert_int_equal(enabled[1].desc, 0x123456000ull);
	assert_int_equal(enabled[1].driver, 0x123457000ull);
	assert_int_equal(enabled[1].device, 0x123458000ull);
	assert_int_equal(rd(VPC_Q_ENABLE, 2), 1);
	/* Enabled: fixed, except its vector; enable is not repeated. */
	wr(VPC_Q_SIZE, 2, 32);
	wr(VPC_Q_DESCLO, 4, 0);
	wr(VPC_Q_ENABLE, 2, 1);
	wr(VPC_Q_ENABLE, 2, 0);
	assert_int_equal(rd(VPC_Q_SIZE, 2), 64);
	assert_int_equal(rd(VPC_Q_DESCLO, 8), 0x123456000ull);
	assert_int_equal(rd(VPC_Q_ENABLE, 2), 1);
	assert_int_equal(nr_enables, 1);
	wr(VPC_Q_MSIX, 2, 3);
	assert_int_equal(rd(VPC_Q_MSIX, 2), 3);
	/* The other queues are untouched. */
	wr(VPC_Q_SELECT, 2, 0);
	assert_int_equal(rd(VPC_Q_ENABLE, 2), 0);
	assert_int_equal(rd(VPC_Q_SIZE, 2), MAX_SIZE);
}

static void test_vectors(void **state)
{
	(void)state;
	wr(VPC_MSIX, 2, 0);
	assert_int_equal(rd(VPC_MSIX, 2), 0);
	/* vp_modern_config_vector reads back NO_VECTOR for a bad one. */
	wr(VPC_MSIX, 2, NR_VECTORS);
	assert_int_equal(rd(VPC_MSIX, 2), VPC_NO_VECTOR);
	wr(VPC_Q_MSIX, 2, NR_VECTORS - 1);
	assert_int_equal(rd(VPC_Q_MSIX, 2), NR_VECTORS - 1);
	assert_int_equal(queues[0].msix_vector, NR_VECTORS - 1);
	wr(VPC_Q_MSIX, 2, 0x8000);
	assert_int_equal(rd(VPC_Q_MSIX, 2), VPC_NO_VECTOR);
	wr(VPC_Q_MSIX, 2, 1);
	wr(VPC_Q_MSIX, 2, VPC_NO_VECTOR);
	assert_int_equal(rd(VPC_Q_MSIX, 2), VPC_NO_VECTOR);
}

static void test_status_and_reset(void **state)
{
	(void)state;
	generation = 7;
	assert_int_equal(rd(VPC_CFGGENERATION, 1), 7);
	/* A dword read at 0x14: status, generation, queue_select. */
	status = 0x0f;
	wr(VPC_Q_SELECT, 2, 2);
	assert_int_equal(rd(VPC_STATUS, 4), 0x0002070f);
	setup_queue(2, 16, 0x1000, 0x2000, 0x3000, 1);
	wr(VPC_Q_ENABLE, 2, 1);
	wr(VPC_MSIX, 2, 0);
	wr(VPC_GFSELECT, 4, 1);
	wr(VPC_GF, 4, 1);
	wr(VPC_STATUS, 1, 0);
	assert_int_equal(nr_resets, 1);
	assert_int_equal(status, 0);
	/* Every register is back at its reset value. */
	assert_int_equal(rd(VPC_Q_SELECT, 2), 0);
	assert_int_equal(rd(VPC_MSIX, 2), VPC_NO_VECTOR);
	assert_int_equal(rd(VPC_GFSELECT, 4), 0);
	wr(VPC_GFSELECT, 4, 1);
	assert_int_equal(rd(VPC_GF, 4), 0);
	wr(VPC_Q_SELECT, 2, 2);
	assert_int_equal(rd(VPC_Q_ENABLE, 2), 0);
	assert_int_equal(rd(VPC_Q_SIZE, 2), MAX_SIZE);
	assert_int_equal(rd(VPC_Q_MSIX, 2), VPC_NO_VECTOR);
	assert_int_equal(rd(VPC_Q_DESCLO, 8), 0);
	/* Status passes through whole. */
	wr(VPC_STATUS, 1, 0x8b);
	assert_int_equal(rd(VPC_STATUS, 1), 0x8b);
}

static void test_absent_queue(void **state)
{
	(void)state;
	wr(VPC_Q_SELECT, 2, NUM_QUEUES);
	assert_int_equal(rd(VPC_Q_SIZE, 2), 0);
	assert_int_equal(rd(VPC_Q_NOFF, 2), 0);
	setup_queue(NUM_QUEUES, 16, 0x1000, 0x2000, 0x3000, 1);
	wr(VPC_Q_ENABLE, 2, 1);
	assert_int_equal(nr_enables, 0);
	assert_int_equal(rd(VPC_Q_SIZE, 2), 0);
	assert_int_equal(rd(VPC_Q_MSIX, 2), 0);
	assert_int_equal(rd(VPC_Q_SELECT, 2), NUM_QUEUES);
	wr(VPC_Q_SELECT, 2, 0xffff);
	assert_int_equal(rd(VPC_Q_ENABLE, 2), 0);
	wr(VPC_Q_ENABLE, 2, 1);
	assert_int_equal(nr_enables, 0);
}

static void test_hostile_accesses(void **state)
{
	uint32_t off;

	(void)state;
	/* Unaligned and odd-sized reads: all ones. */
	assert_int_equal(rd(VPC_NUMQ + 1, 2), 0xffff);
	assert_int_equal(rd(VPC_DF + 2, 4), 0xffffffff);
	assert_int_equal(rd(VPC_Q_DESCHI, 8), ~0ull);
	assert_int_equal(rd(0, 3), 0xffffff);
	assert_int_equal(rd(0, 0), ~0ull);
	assert_int_equal(rd(0, 16), ~0ull);
	assert_int_equal(rd(0xfffffff8, 8), 0);
	/* Writes that are not exactly one register change nothing. */
	wr(VPC_MSIX, 4, 0x00000001);	 /* msix + num_queues */
	wr(VPC_STATUS, 2, 0x0101);	 /* status + generation */
	wr(VPC_Q_SELECT, 4, 0x00100001); /* select + size */
	wr(VPC_Q_SIZE + 1, 1, 0);
	wr(VPC_Q_DESCHI, 8, ~0ull);
	wr(VPC_Q_ENABLE, 1, 1);
	wr(VPC_NUMQ, 2, 100);
	wr(VPC_CFGGENERATION, 1, 5);
	wr(VPC_Q_NOFF, 2, 9);
	wr(VPC_Q_NDATA, 2, 9);
	wr(VPC_Q_RESET, 2, 1);
	wr(VPC_GF, 8, ~0ull);
	assert_int_equal(nr_set_status, 0);
	assert_int_equal(nr_enables, 0);
	assert_int_equal(driver_features, 0);
	assert_int_equal(rd(VPC_MSIX, 2), VPC_NO_VECTOR);
	assert_int_equal(rd(VPC_NUMQ, 2), NUM_QUEUES);
	assert_int_equal(rd(VPC_Q_SELECT, 2), 0);
	assert_int_equal(rd(VPC_Q_SIZE, 2), MAX_SIZE);
	assert_int_equal(rd(VPC_Q_DESCLO, 8), 0);
	assert_int_equal(rd(VPC_Q_RESET, 2), 0);
	/* Every byte offset and size: defined, never a crash. */
	for (off = 0; off < 0x48; off++) {
		rd(off, 1);
		rd(off, 2);
		rd(off, 4);
		rd(off, 8);
	}
	assert_int_equal(vpc_init(&c, &ops, NULL, 0, 0, 1, 0, queues), -EINVAL);
	assert_int_equal(vpc_init(&c, &ops, NULL, 0, 1, 0, 0, queues), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_reset_values, setup),
		cmocka_unit_test_setup(test_features, setup),
		cmocka_unit_test_setup(test_queue_setup, setup),
		cmocka_unit_test_setup(test_vectors, setup),
		cmocka_unit_test_setup(test_status_and_reset, setup),
		cmocka_unit_test_setup(test_absent_queue, setup),
		cmocka_unit_test_setup(test_hostile_accesses, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
