// SPDX-License-Identifier: BSD-3-Clause
/*
 * Unit tests for the virtual PCI function's config space and its MSI-X
 * table (kmod/lib/vpci_cfg.c, kmod/lib/vpci_msix.c). The tests play
 * Linux: BAR sizing as __pci_read_base does it, enabling memory decode,
 * the capability walk of pci_find_capability and virtio_pci_modern, the
 * MSI-X setup of msix_capability_init; then a hostile guest.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vpci_cfg.h"
#include "vpci_msix.h"
#include "vpci_example.h"

#define NR_VECTORS 3

static struct vpci_cfg cfg;
static unsigned int bar_reads, bar_writes;
static unsigned int last_bar, last_len;
static uint32_t last_off, last_val;

static uint32_t ops_bar_read(void *opaque, unsigned int bar, uint32_t off,
			     unsigned int len)
{
	(void)opaque;
	bar_reads++;
	last_bar = bar;
	last_off = off;
	last_len = len;
	return 0xa1b2c3d4;
}

static void ops_bar_write(void *opaque, unsigned int bar, uint32_t off,
			  unsigned int len, uint32_t val)
{
	(void)opaque;
	bar_writes++;
	last_bar = bar;
	last_off = off;
	last_len = len;
	last_val = val;
}

static const struct vpci_cfg_ops ops = {
	.bar_read = ops_bar_read,
	.bar_write = ops_bar_write,
};

static int setup(void **state)
{
	(void)state;
	bar_reads = bar_writes = 0;
	assert_int_equal(vpci_cfg_init(&cfg, &vpci_example_desc, &ops, NULL),
			 0);
	assert_int_equal(vpci_cfg_add_virtio_cap(&cfg, VPCI_VIRTIO_CAP_COMMON,
						 VIRTIO_BAR, 0, 0x3c, 0),
			 0x40);
	assert_true(vpci_cfg_add_virtio_cap(&cfg, VPCI_VIRTIO_CAP_NOTIFY,
					    VIRTIO_BAR, 0x3000, 8, 4) > 0);
	assert_true(vpci_cfg_add_virtio_cap(&cfg, VPCI_VIRTIO_CAP_ISR,
					    VIRTIO_BAR, 0x1000, 4, 0) > 0);
	assert_true(vpci_cfg_add_virtio_cap(&cfg, VPCI_VIRTIO_CAP_DEVICE,
					    VIRTIO_BAR, 0x2000, 60, 0) > 0);
	assert_true(vpci_cfg_add_virtio_cap(&cfg, VPCI_VIRTIO_CAP_PCI_CFG, 0, 0,
					    0, 0) > 0);
	assert_true(vpci_cfg_add_msix_cap(&cfg, NR_VECTORS, MSIX_BAR, 0,
					  MSIX_BAR, 0x1000) > 0);
	assert_int_equal(vpci_cfg_set_bar(&cfg, MSIX_BAR, 0xc0100000), 0);
	assert_int_equal(vpci_cfg_set_bar(&cfg, VIRTIO_BAR, 0xc0104000), 0);
	vpci_cfg_save_reset(&cfg);
	return 0;
}

static uint32_t rd(uint32_t off, unsigned int size)
{
	return (uint32_t)vpci_cfg_read(&cfg, off, size);
}

static void test_identity(void **state)
{
	(void)state;
	assert_int_equal(rd(VPCI_VENDOR_ID, 2), 0x1af4);
	assert_int_equal(rd(VPCI_DEVICE_ID, 2), 0x1042);
	assert_int_equal(rd(VPCI_VENDOR_ID, 4), 0x10421af4);
	assert_int_equal(rd(VPCI_REVISION, 4), 0x01800001);
	assert_int_equal(rd(VPCI_HEADER_TYPE, 1), 0);
	assert_int_equal(rd(VPCI_SUBSYS_VENDOR, 4), 0x11001af4);
	assert_int_equal(rd(VPCI_INT_PIN, 1), 0);
	assert_int_equal(rd(VPCI_ROM, 4), 0);
	assert_int_equal(rd(VPCI_STATUS, 2) & VPCI_STATUS_CAP_LIST,
			 VPCI_STATUS_CAP_LIST);
	/* Read-only identity stays. */
	vpci_cfg_write(&cfg, VPCI_VENDOR_ID, 4, 0);
	vpci_cfg_write(&cfg, VPCI_REVISION, 4, 0xffffffff);
	vpci_cfg_write(&cfg, VPCI_STATUS, 2, 0xffff);
	assert_int_equal(rd(VPCI_VENDOR_ID, 4), 0x10421af4);
	assert_int_equal(rd(VPCI_REVISION, 4), 0x01800001);
	assert_int_equal(rd(VPCI_STATUS, 2), VPCI_STATUS_CAP_LIST);
	/* Extended config space: no capabilities there. */
	assert_int_equal(rd(0x100, 4), 0);
	assert_int_equal(rd(0xffc, 4), 0);
}

/* __pci_read_base: save, write all ones, read the mask, restore. */
static uint64_t size_bar(unsigned int i, bool is64)
{
	uint32_t reg = VPCI_BAR0 + 4 * i;
	uint32_t lo_orig = rd(reg, 4), hi_orig = is64 ? rd(reg + 4, 4) : 0;
	uint64_t mask;

	vpci_cfg_write(&cfg, reg, 4, 0xffffffff);
	mask = rd(reg, 4) & ~0xfu;
	if (is64) {
		vpci_cfg_write(&cfg, reg + 4, 4, 0xffffffff);
		mask |= (uint64_t)rd(reg + 4, 4) << 32;
	} else {
		mask |= 0xffffffff00000000ull;
	}
	vpci_cfg_write(&cfg, reg, 4, lo_orig);
	if (is64)
		vpci_cfg_write(&cfg, reg + 4, 4, hi_orig);
	return ~mask + 1;
}

static void test_bar_sizing(void **state)
{
	uint64_t addr, size;
	unsigned int i;

	(void)state;
	vpci_cfg_write(&cfg, VPCI_COMMAND, 2, 0);
	assert_int_equal(size_bar(MSIX_BAR, false), 0x2000);
	assert_int_equal(rd(VPCI_BAR0 + 4 * MSIX_BAR, 4), 0xc0100000);
	assert_int_equal(rd(VPCI_BAR0 + 4 * VIRTIO_BAR, 4) & 0xf,
			 VPCI_BAR_MEM_TYPE_64);
	assert_int_equal(size_bar(VIRTIO_BAR, true), 0x4000);
	assert_true(vpci_cfg_bar(&cfg, VIRTIO_BAR, &addr, &size));
	assert_int_equal(addr, 0xc0104000);
	assert_int_equal(size, 0x4000);
	/* Absent BARs read 0 whatever is written: Linux sees no resource. */
	for (i = 0; i < VPCI_NR_BARS; i++) {
		if (i == MSIX_BAR || i == VIRTIO_BAR || i == VIRTIO_BAR + 1)
			continue;
		vpci_cfg_write(&cfg, VPCI_BAR0 + 4 * i, 4, 0xffffffff);
		assert_int_equal(rd(VPCI_BAR0 + 4 * i, 4), 0);
		assert_false(vpci_cfg_bar(&cfg, i, &addr, &size));
	}
	/* The ROM BAR is absent too. */
	vpci_cfg_write(&cfg, VPCI_ROM, 4, 0xffffffff);
	assert_int_equal(rd(VPCI_ROM, 4), 0);
}

static void test_bar_reprogram(void **state)
{
	uint64_t addr, size;

	(void)state;
	/* The guest moves the 64-bit BAR above 4 GiB; low bits stay. */
	assert_int_not_equal(vpci_cfg_write(&cfg, VPCI_BAR0 + 4 * VIRTIO_BAR, 4,
					    0x12345678) &
				     VPCI_CFG_EV_BAR,
			     0);
	vpci_cfg_write(&cfg, VPCI_BAR0 + 4 * VIRTIO_BAR + 4, 4, 0x20);
	assert_true(vpci_cfg_bar(&cfg, VIRTIO_BAR, &addr, &size));
	assert_int_equal(addr, 0x2012344000ull);
	assert_int_equal(rd(VPCI_BAR0 + 4 * VIRTIO_BAR, 4),
			 0x12344000 | VPCI_BAR_MEM_TYPE_64);
	/* Byte writes reach the BAR too, masked the same way. */
	vpci_cfg_write(&cfg, VPCI_BAR0 + 4 * MSIX_BAR + 3, 1, 0xd0);
	vpci_cfg_write(&cfg, VPCI_BAR0 + 4 * MSIX_BAR, 1, 0xff);
	assert_true(vpci_cfg_bar(&cfg, MSIX_BAR, &addr, &size));
	assert_int_equal(addr, 0xd0100000);
	/* Reset puts back the creation placement. */
	vpci_cfg_reset(&cfg);
	assert_true(vpci_cfg_bar(&cfg, VIRTIO_BAR, &addr, &size));
	assert_int_equal(addr, 0xc0104000);
	/* Placement checks. */
	assert_int_equal(vpci_cfg_set_bar(&cfg, MSIX_BAR, 0xc0101000), -EINVAL);
	assert_int_equal(vpci_cfg_set_bar(&cfg, MSIX_BAR, 0x100000000ull),
			 -EINVAL);
	assert_int_equal(vpci_cfg_set_bar(&cfg, 0, 0), -EINVAL);
	assert_int_equal(vpci_cfg_set_bar(&cfg, 6, 0), -EINVAL);
}

static void test_command(void **state)
{
	unsigned int ev;

	(void)state;
	assert_int_equal(vpci_cfg_command(&cfg), 0);
	ev = vpci_cfg_write(&cfg, VPCI_COMMAND, 2, 0xffff);
	assert_int_equal(ev, VPCI_CFG_EV_COMMAND);
	/* No I/O space, no fast back-to-back: only the writable bits. */
	assert_int_equal(vpci_cfg_command(&cfg),
			 VPCI_CMD_MEMORY | VPCI_CMD_MASTER | VPCI_CMD_PARITY |
				 VPCI_CMD_SERR | VPCI_CMD_INTX_DISABLE);
	/* The same value again changes nothing. */
	assert_int_equal(vpci_cfg_write(&cfg, VPCI_COMMAND, 2, 0xffff), 0);
	assert_int_equal(vpci_cfg_write(&cfg, VPCI_COMMAND, 2, VPCI_CMD_MEMORY),
			 VPCI_CFG_EV_COMMAND);
	assert_int_equal(vpci_cfg_command(&cfg), VPCI_CMD_MEMORY);
	/* Scratch registers Linux writes. */
	vpci_cfg_write(&cfg, VPCI_CACHE_LINE, 1, 0x10);
	vpci_cfg_write(&cfg, VPCI_INT_LINE, 1, 0x0b);
	assert_int_equal(rd(VPCI_CACHE_LINE, 1), 0x10);
	assert_int_equal(rd(VPCI_INT_LINE, 1), 0x0b);
	vpci_cfg_reset(&cfg);
	assert_int_equal(vpci_cfg_command(&cfg), 0);
	assert_int_equal(rd(VPCI_INT_LINE, 1), 0);
}

/* pci_find_capability and virtio_pci_find_capability's walk. */
static void test_cap_walk(void **state)
{
	unsigned int types = 0, nr = 0, pos, msix = 0;

	(void)state;
	pos = rd(VPCI_CAP_PTR, 1);
	while (pos) {
		uint8_t id = (uint8_t)rd(pos, 1);

		assert_true(pos >= VPCI_CAP_START && pos < 0x100);
		assert_int_equal(pos % 4, 0);
		assert_true(++nr < 48);
		if (id == VPCI_CAP_ID_VNDR) {
			uint8_t type = (uint8_t)rd(pos + 3, 1);
			uint8_t bar = (uint8_t)rd(pos + 4, 1);
			uint32_t off = rd(pos + 8, 4), len = rd(pos + 12, 4);

			types |= 1u << type;
			if (type == VPCI_VIRTIO_CAP_PCI_CFG) {
				assert_int_equal(rd(pos + 2, 1), 20);
			} else {
				assert_int_equal(bar, VIRTIO_BAR);
				assert_true(off + len <= 0x4000);
			}
			if (type == VPCI_VIRTIO_CAP_NOTIFY) {
				assert_int_equal(rd(pos + 2, 1), 20);
				assert_int_equal(rd(pos + 16, 4), 4);
				assert_int_equal(off, 0x3000);
			}
			if (type == VPCI_VIRTIO_CAP_COMMON)
				assert_int_equal(rd(pos + 2, 1), 16);
		} else {
			assert_int_equal(id, VPCI_CAP_ID_MSIX);
			msix = pos;
		}
		pos = rd(pos + 1, 1);
	}
	assert_int_equal(nr, 6);
	assert_int_equal(types, 0x3e);
	assert_int_not_equal(msix, 0);
	assert_int_equal(rd(msix + VPCI_MSIX_CTRL, 2), NR_VECTORS - 1);
	assert_int_equal(rd(msix + VPCI_MSIX_TABLE, 4), MSIX_BAR);
	assert_int_equal(rd(msix + VPCI_MSIX_PBA, 4), 0x1000 | MSIX_BAR);
	/* Capability bodies are read-only, and so is the list. */
	vpci_cfg_write(&cfg, 0x40, 4, 0);
	vpci_cfg_write(&cfg, VPCI_CAP_PTR, 1, 0x80);
	vpci_cfg_write(&cfg, msix + VPCI_MSIX_TABLE, 4, 0xffff0003);
	assert_int_equal(rd(0x40, 1), VPCI_CAP_ID_VNDR);
	assert_int_equal(rd(VPCI_CAP_PTR, 1), 0x40);
	assert_int_equal(rd(msix + VPCI_MSIX_TABLE, 4), MSIX_BAR);
}

static unsigned int find_cap(uint8_t id, uint8_t vndr_type)
{
	unsigned int pos = rd(VPCI_CAP_PTR, 1);

	while (pos) {
		if (rd(pos, 1) == id &&
		    (id != VPCI_CAP_ID_VNDR || rd(pos + 3, 1) == vndr_type))
			return pos;
		pos = rd(pos + 1, 1);
	}
	fail_msg("capability %u/%u not found", id, vndr_type);
	return 0;
}

static void test_msix_control(void **state)
{
	unsigned int msix = find_cap(VPCI_CAP_ID_MSIX, 0);
	bool en, mask;

	(void)state;
	/* msix_capability_init: enable with everything masked, then unmask. */
	assert_int_equal(
		vpci_cfg_write(&cfg, msix + VPCI_MSIX_CTRL, 2,
			       VPCI_MSIX_CTRL_ENABLE | VPCI_MSIX_CTRL_MASKALL),
		VPCI_CFG_EV_MSIX);
	vpci_cfg_msix_control(&cfg, &en, &mask);
	assert_true(en);
	assert_true(mask);
	/* Table size stays whatever the write says. */
	assert_int_equal(rd(msix + VPCI_MSIX_CTRL, 2),
			 VPCI_MSIX_CTRL_ENABLE | VPCI_MSIX_CTRL_MASKALL |
				 (NR_VECTORS - 1));
	/* A byte write to the high half of the control register. */
	assert_int_equal(
		vpci_cfg_write(&cfg, msix + VPCI_MSIX_CTRL + 1, 1, 0x80),
		VPCI_CFG_EV_MSIX);
	vpci_cfg_msix_control(&cfg, &en, &mask);
	assert_true(en);
	assert_false(mask);
	/* A dword write over id, next and control changes only control. */
	vpci_cfg_write(&cfg, msix, 4, 0x0000ffff);
	vpci_cfg_msix_control(&cfg, &en, &mask);
	assert_false(en);
	assert_int_equal(rd(msix, 1), VPCI_CAP_ID_MSIX);
}

static void test_pci_cfg_window(void **state)
{
	unsigned int cap = find_cap(VPCI_CAP_ID_VNDR, VPCI_VIRTIO_CAP_PCI_CFG);
	uint32_t data = cap + VPCI_VIRTIO_PCI_CFG_DATA;

	(void)state;
	/* Not set up: data is plain storage, no BAR access. */
	vpci_cfg_write(&cfg, data, 4, 0x11223344);
	assert_int_equal(rd(data, 4), 0x11223344);
	assert_int_equal(bar_reads + bar_writes, 0);

	vpci_cfg_write(&cfg, cap + VPCI_VIRTIO_CAP_BAR, 1, VIRTIO_BAR);
	vpci_cfg_write(&cfg, cap + VPCI_VIRTIO_CAP_OFFSET, 4, 0x14);
	vpci_cfg_write(&cfg, cap + VPCI_VIRTIO_CAP_LENGTH, 4, 1);
	vpci_cfg_write(&cfg, data, 1, 0x0f);
	assert_int_equal(bar_writes, 1);
	assert_int_equal(last_bar, VIRTIO_BAR);
	assert_int_equal(last_off, 0x14);
	assert_int_equal(last_len, 1);
	assert_int_equal(last_val, 0x0f);
	/* A read fetches length bytes. */
	assert_int_equal(rd(data, 4), 0xd4);
	assert_int_equal(bar_reads, 1);
	/* Dword at a dword offset. */
	vpci_cfg_write(&cfg, cap + VPCI_VIRTIO_CAP_LENGTH, 4, 4);
	vpci_cfg_write(&cfg, cap + VPCI_VIRTIO_CAP_OFFSET, 4, 0x20);
	assert_int_equal(rd(data, 4), 0xa1b2c3d4);
	/* Misaligned, odd length, beyond the BAR, absent BAR: nothing. */
	vpci_cfg_write(&cfg, cap + VPCI_VIRTIO_CAP_OFFSET, 4, 0x22);
	rd(data, 4);
	vpci_cfg_write(&cfg, cap + VPCI_VIRTIO_CAP_OFFSET, 4, 0x4000);
	rd(data, 4);
	vpci_cfg_write(&cfg, cap + VPCI_VIRTIO_CAP_OFFSET, 4, 0x3ffe);
	vpci_cfg_write(&cfg, cap + VPCI_VIRTIO_CAP_LENGTH, 4, 3);
	rd(data, 4);
	vpci_cfg_write(&cfg, cap + VPCI_VIRTIO_CAP_LENGTH, 4, 2);
	vpci_cfg_write(&cfg, cap + VPCI_VIRTIO_CAP_BAR, 1, 0);
	rd(data, 4);
	vpci_cfg_write(&cfg, cap + VPCI_VIRTIO_CAP_BAR, 1, 6);
	rd(data, 4);
	assert_int_equal(bar_reads, 2);
	/* An access not starting at the window leaves the BAR alone. */
	vpci_cfg_write(&cfg, cap + VPCI_VIRTIO_CAP_BAR, 1, VIRTIO_BAR);
	rd(data + 1, 2);
	rd(data - 2, 4);
	assert_int_equal(bar_reads, 2);
}

static void test_unaligned_and_hostile(void **state)
{
	unsigned int s;

	(void)state;
	/* Unaligned accesses are split into bytes. */
	assert_int_equal(rd(0x01, 2), 0x421a);
	assert_int_equal(rd(0x03, 4), 0x10000010);
	assert_int_equal(vpci_cfg_read(&cfg, 0, 8), 0x0010000010421af4ull);
	/* Across the end of the header into extended space: zeroes. */
	assert_int_equal(rd(0xfe, 4), 0);
	/* Past the end of the 4 KiB: all ones, writes ignored. */
	assert_int_equal(rd(0xffe, 4), 0xffffffff);
	assert_int_equal(vpci_cfg_read(&cfg, 0xfff, 2), 0xffff);
	assert_int_equal(vpci_cfg_read(&cfg, 0x1000, 1), 0xff);
	assert_int_equal(vpci_cfg_read(&cfg, 0xffffffff, 4), 0xffffffff);
	assert_int_equal(vpci_cfg_write(&cfg, 0xffe, 4, 0), 0);
	/* Sizes outside 1..8. */
	assert_int_equal(vpci_cfg_read(&cfg, 0, 0), ~0ull);
	assert_int_equal(vpci_cfg_read(&cfg, 0, 9), ~0ull);
	assert_int_equal(vpci_cfg_write(&cfg, VPCI_COMMAND, 0, 0xffff), 0);
	assert_int_equal(vpci_cfg_write(&cfg, VPCI_COMMAND, 16, 0xffff), 0);
	assert_int_equal(vpci_cfg_command(&cfg), 0);
	/* Writes to extended space are ignored. */
	for (s = 1; s <= 8; s *= 2) {
		vpci_cfg_write(&cfg, 0x100, s, ~0ull);
		assert_int_equal(vpci_cfg_read(&cfg, 0x100, s), 0);
	}
}

static void test_bad_descriptors(void **state)
{
	struct vpci_cfg_desc d = { .vendor = 1 };
	struct vpci_cfg c;

	(void)state;
	d.bar[0] = (struct vpci_bar_desc){ VPCI_BAR_MEM32, 0x3000 };
	assert_int_equal(vpci_cfg_init(&c, &d, NULL, NULL), -EINVAL);
	d.bar[0] = (struct vpci_bar_desc){ VPCI_BAR_MEM32, 0x800 };
	assert_int_equal(vpci_cfg_init(&c, &d, NULL, NULL), -EINVAL);
	d.bar[0] = (struct vpci_bar_desc){ VPCI_BAR_MEM32, 1ull << 32 };
	assert_int_equal(vpci_cfg_init(&c, &d, NULL, NULL), -EINVAL);
	d.bar[0] = (struct vpci_bar_desc){ 7, 0x1000 };
	assert_int_equal(vpci_cfg_init(&c, &d, NULL, NULL), -EINVAL);
	d.bar[0] = (struct vpci_bar_desc){ VPCI_BAR_NONE, 0 };
	d.bar[5] = (struct vpci_bar_desc){ VPCI_BAR_MEM64, 0x1000 };
	assert_int_equal(vpci_cfg_init(&c, &d, NULL, NULL), -EINVAL);
	d.bar[5] = (struct vpci_bar_desc){ VPCI_BAR_NONE, 0 };
	d.bar[2] = (struct vpci_bar_desc){ VPCI_BAR_MEM64, 1ull << 40 };
	d.bar[3] = (struct vpci_bar_desc){ VPCI_BAR_MEM32, 0x1000 };
	assert_int_equal(vpci_cfg_init(&c, &d, NULL, NULL), -EINVAL);
	d.bar[3] = (struct vpci_bar_desc){ VPCI_BAR_NONE, 0 };
	assert_int_equal(vpci_cfg_init(&c, &d, NULL, NULL), 0);
	d.bar[2].size = 0x1000;
	assert_int_equal(vpci_cfg_init(&c, &d, NULL, NULL), 0);
	/* Capabilities must describe what exists. */
	assert_int_equal(vpci_cfg_add_virtio_cap(&c, VPCI_VIRTIO_CAP_COMMON, 0,
						 0, 0x40, 0),
			 -EINVAL);
	assert_int_equal(vpci_cfg_add_virtio_cap(&c, VPCI_VIRTIO_CAP_COMMON, 2,
						 0xff8, 0x40, 0),
			 -EINVAL);
	assert_int_equal(vpci_cfg_add_virtio_cap(&c, 0, 2, 0, 4, 0), -EINVAL);
	assert_int_equal(vpci_cfg_add_virtio_cap(&c, 6, 2, 0, 4, 0), -EINVAL);
	assert_int_equal(vpci_cfg_add_msix_cap(&c, 0, 2, 0, 2, 0x800), -EINVAL);
	assert_int_equal(vpci_cfg_add_msix_cap(&c, 2049, 2, 0, 2, 0x800),
			 -EINVAL);
	assert_int_equal(vpci_cfg_add_msix_cap(&c, 4, 0, 0, 2, 0x800), -EINVAL);
	assert_int_equal(vpci_cfg_add_msix_cap(&c, 4, 2, 4, 2, 0x800), -EINVAL);
	/* No capabilities: the status bit is clear. */
	assert_int_equal(vpci_cfg_read(&c, VPCI_STATUS, 2), 0);
	assert_int_equal(vpci_cfg_read(&c, VPCI_CAP_PTR, 1), 0);
}

static void test_cap_space_runs_out(void **state)
{
	uint8_t body[30] = { 0 };
	struct vpci_cfg_desc d = { .vendor = 1 };
	struct vpci_cfg c;
	int at, last = 0, n = 0;

	(void)state;
	assert_int_equal(vpci_cfg_init(&c, &d, NULL, NULL), 0);
	while ((at = vpci_cfg_add_cap(&c, 0x09, body, 30)) > 0) {
		assert_true(at + 30 <= 0x100);
		last = at;
		n++;
	}
	assert_int_equal(at, -ENOSPC);
	assert_int_equal(n, 6); /* 0x40 + 6 * 32 = 0x100 */
	assert_int_equal(vpci_cfg_read(&c, last + 1, 1), 0);
	assert_int_equal(vpci_cfg_add_cap(&c, 0x09, body, 2), -ENOSPC);
}

/* The host bridge: class 0600, no BARs, no capabilities. */
static void test_host_bridge(void **state)
{
	struct vpci_cfg_desc d = { .vendor = 0x1b36,
				   .device = 0x0008,
				   .class_code = 0x060000 };
	struct vpci_cfg c;
	unsigned int i;

	(void)state;
	assert_int_equal(vpci_cfg_init(&c, &d, NULL, NULL), 0);
	assert_int_equal(vpci_cfg_read(&c, 0x08, 4), 0x06000000);
	for (i = 0; i < VPCI_NR_BARS; i++) {
		vpci_cfg_write(&c, VPCI_BAR0 + 4 * i, 4, 0xffffffff);
		assert_int_equal(vpci_cfg_read(&c, VPCI_BAR0 + 4 * i, 4), 0);
	}
}

/* ---- MSI-X table and PBA ---- */

static struct vpci_msix_entry table[70];
static uint64_t pba[2];
static struct vpci_msix msix;

static int setup_msix(void **state)
{
	(void)state;
	memset(table, 0x5a, sizeof(table));
	memset(pba, 0x5a, sizeof(pba));
	assert_int_equal(vpci_msix_init(&msix, 70, table, pba), 0);
	return 0;
}

static void program(unsigned int v, uint64_t addr, uint32_t data)
{
	uint32_t e = v * VPCI_MSIX_ENTRY_SIZE;

	vpci_msix_table_write(&msix, e + VPCI_MSIX_ENTRY_ADDR_LO, 4,
			      (uint32_t)addr);
	vpci_msix_table_write(&msix, e + VPCI_MSIX_ENTRY_ADDR_HI, 4,
			      addr >> 32);
	vpci_msix_table_write(&msix, e + VPCI_MSIX_ENTRY_DATA, 4, data);
}

static void mask(unsigned int v, bool masked)
{
	vpci_msix_table_write(&msix,
			      v * VPCI_MSIX_ENTRY_SIZE + VPCI_MSIX_ENTRY_CTRL,
			      4, masked);
}

static void test_msix_reset_state(void **state)
{
	unsigned int v;
	struct vpci_msix_msg msg;

	(void)state;
	for (v = 0; v < 70; v++) {
		uint32_t e = v * VPCI_MSIX_ENTRY_SIZE;

		assert_int_equal(vpci_msix_table_read(&msix, e, 8), 0);
		assert_int_equal(vpci_msix_table_read(&msix, e + 8, 4), 0);
		assert_int_equal(vpci_msix_table_read(&msix, e + 12, 4), 1);
	}
	assert_int_equal(vpci_msix_pba_read(&msix, 0, 8), 0);
	assert_int_equal(vpci_msix_pba_read(&msix, 8, 8), 0);
	/* MSI-X off: firing does nothing, not even a pending bit. */
	assert_int_equal(vpci_msix_fire(&msix, 0, &msg), VPCI_MSIX_DROPPED);
	assert_int_equal(vpci_msix_pba_read(&msix, 0, 8), 0);
}

/* The order Linux uses: enable + mask all, program, unmask. */
static void test_msix_linux_setup_and_fire(void **state)
{
	struct vpci_msix_msg msg = { 0 };
	unsigned int v;

	(void)state;
	vpci_msix_set_control(&msix, true, true);
	program(0, 0xfee00000, 0x4021);
	program(1, 0xfee01000, 0x4022);
	mask(0, false);
	mask(1, false);
	assert_int_equal(vpci_msix_table_read(&msix, 12, 4), 0);
	/* Function mask still on: pending. */
	assert_int_equal(vpci_msix_fire(&msix, 1, &msg), VPCI_MSIX_PENDING);
	assert_int_equal(vpci_msix_pba_read(&msix, 0, 4), 2);
	vpci_msix_set_control(&msix, true, false);
	assert_true(vpci_msix_take_ready(&msix, &v, &msg));
	assert_int_equal(v, 1);
	assert_int_equal(msg.addr, 0xfee01000);
	assert_int_equal(msg.data, 0x4022);
	assert_false(vpci_msix_take_ready(&msix, &v, &msg));
	assert_int_equal(vpci_msix_pba_read(&msix, 0, 4), 0);
	/* Unmasked: delivered at once. */
	assert_int_equal(vpci_msix_fire(&msix, 0, &msg), VPCI_MSIX_DELIVER);
	assert_int_equal(msg.addr, 0xfee00000);
	assert_int_equal(msg.data, 0x4021);
	/* No such vector. */
	assert_int_equal(vpci_msix_fire(&msix, 70, &msg), VPCI_MSIX_DROPPED);
	assert_int_equal(vpci_msix_fire(&msix, 0xffff, &msg),
			 VPCI_MSIX_DROPPED);
}

static void test_msix_vector_mask(void **state)
{
	struct vpci_msix_msg msg;
	unsigned int v;

	(void)state;
	vpci_msix_set_control(&msix, true, false);
	program(65, 0xfee00000, 0x30);
	program(3, 0xfee00000, 0x31);
	/* Entries start masked: both pend, in the second PBA word too. */
	assert_int_equal(vpci_msix_fire(&msix, 65, &msg), VPCI_MSIX_PENDING);
	assert_int_equal(vpci_msix_fire(&msix, 3, &msg), VPCI_MSIX_PENDING);
	assert_int_equal(vpci_msix_pba_read(&msix, 8, 8), 2);
	assert_int_equal(vpci_msix_pba_read(&msix, 0, 4), 8);
	assert_int_equal(vpci_msix_pba_read(&msix, 4, 4), 0);
	assert_false(vpci_msix_take_ready(&msix, &v, &msg));
	/* Unmasking one delivers only that one. */
	mask(65, false);
	assert_true(vpci_msix_take_ready(&msix, &v, &msg));
	assert_int_equal(v, 65);
	assert_int_equal(msg.data, 0x30);
	assert_false(vpci_msix_take_ready(&msix, &v, &msg));
	assert_int_equal(vpci_msix_pba_read(&msix, 0, 8), 8);
	/* Disabling MSI-X keeps the pending bit; nothing is delivered. */
	mask(3, false);
	vpci_msix_set_control(&msix, false, false);
	assert_false(vpci_msix_take_ready(&msix, &v, &msg));
	vpci_msix_set_control(&msix, true, false);
	assert_true(vpci_msix_take_ready(&msix, &v, &msg));
	assert_int_equal(v, 3);
	/* A qword write of address, and of data + control together. */
	vpci_msix_table_write(&msix, 3 * 16, 8, 0x00000001fee02000ull);
	vpci_msix_table_write(&msix, 3 * 16 + 8, 8, 0x0000000100000044ull);
	assert_int_equal(vpci_msix_fire(&msix, 3, &msg), VPCI_MSIX_PENDING);
	vpci_msix_table_write(&msix, 3 * 16 + 8, 8, 0xfffffffe00000045ull);
	/* Reserved control bits read 0. */
	assert_int_equal(vpci_msix_table_read(&msix, 3 * 16 + 12, 4), 0);
	assert_true(vpci_msix_take_ready(&msix, &v, &msg));
	assert_int_equal(msg.addr, 0x1fee02000ull);
	assert_int_equal(msg.data, 0x45);
}

static void test_msix_hostile(void **state)
{
	uint32_t len = vpci_msix_table_bytes(70);

	(void)state;
	/* Odd sizes and alignments read all ones and write nothing. */
	assert_int_equal(vpci_msix_table_read(&msix, 0, 1), ~0ull);
	assert_int_equal(vpci_msix_table_read(&msix, 0, 2), ~0ull);
	assert_int_equal(vpci_msix_table_read(&msix, 2, 4), 0xffffffff);
	assert_int_equal(vpci_msix_table_read(&msix, 4, 8), ~0ull);
	assert_int_equal(vpci_msix_table_read(&msix, len, 4), 0xffffffff);
	assert_int_equal(vpci_msix_table_read(&msix, len - 4, 8), ~0ull);
	assert_int_equal(vpci_msix_table_read(&msix, 0xfffffffc, 4),
			 0xffffffff);
	vpci_msix_table_write(&msix, 1, 4, 0);
	vpci_msix_table_write(&msix, 12, 2, 0);
	vpci_msix_table_write(&msix, 4, 8, 0);
	vpci_msix_table_write(&msix, len, 4, 0);
	assert_int_equal(vpci_msix_table_read(&msix, 12, 4), 1);
	assert_int_equal(vpci_msix_pba_read(&msix, 16, 8), ~0ull);
	assert_int_equal(vpci_msix_pba_read(&msix, 2, 4), 0xffffffff);
	assert_int_equal(vpci_msix_pba_read(&msix, 0, 1), ~0ull);
	assert_int_equal(vpci_msix_init(&msix, 0, table, pba), -EINVAL);
	assert_int_equal(vpci_msix_init(&msix, 2049, table, pba), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_identity, setup),
		cmocka_unit_test_setup(test_bar_sizing, setup),
		cmocka_unit_test_setup(test_bar_reprogram, setup),
		cmocka_unit_test_setup(test_command, setup),
		cmocka_unit_test_setup(test_cap_walk, setup),
		cmocka_unit_test_setup(test_msix_control, setup),
		cmocka_unit_test_setup(test_pci_cfg_window, setup),
		cmocka_unit_test_setup(test_unaligned_and_hostile, setup),
		cmocka_unit_test(test_bad_descriptors),
		cmocka_unit_test(test_cap_space_runs_out),
		cmocka_unit_test(test_host_bridge),
		cmocka_unit_test_setup(test_msix_reset_state, setup_msix),
		cmocka_unit_test_setup(test_msix_linux_setup_and_fire,
				       setup_msix),
		cmocka_unit_test_setup(test_msix_vector_mask, setup_msix),
		cmocka_unit_test_setup(test_msix_hostile, setup_msix),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
