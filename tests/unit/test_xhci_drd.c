// SPDX-License-Identifier: BSD-3-Clause
/*
 * Unit tests for the xHCI dual-role capability (kmod/lib/xhci_drd.c): the
 * extended capability list that leads to it, the role writes of Intel's
 * DUAL_ROLE_CFG0 layout as Linux's intel-xhci-usb-role-switch makes them,
 * what reaches the backend, the read-back of the switch's role, and the
 * writes that are refused or ignored.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "xhci_hc.h"
#include "xhci_regs.h"

#define CFG0 (XHCI_DRD_CAP + XHCI_DRD_CFG0)
#define CFG1 (XHCI_DRD_CAP + XHCI_DRD_CFG1)
#define STATUS (XHCI_DRD_CAP + XHCI_DRD_STATUS)

/* What a driver writes for each role (read-modify-write of 0). */
#define WANT_HOST XHCI_DRD_SW_IDPIN_EN
#define WANT_DEVICE                                                            \
	(XHCI_DRD_SW_IDPIN_EN | XHCI_DRD_SW_IDPIN | XHCI_DRD_SW_VBUS_VALID)
#define WANT_NONE (XHCI_DRD_SW_IDPIN_EN | XHCI_DRD_SW_IDPIN)
#define MALFORMED (XHCI_DRD_SW_IDPIN_EN | XHCI_DRD_SW_VBUS_VALID)

static struct xhci_hc *hc;
static unsigned int nr_role_set;
static unsigned int roles[16];
static uint32_t seqs[16];

static int mem_none(void *priv, uint64_t gpa, void *buf, size_t len)
{
	(void)priv;
	(void)gpa;
	(void)buf;
	(void)len;
	return -EFAULT;
}

static int mem_none_w(void *priv, uint64_t gpa, const void *buf, size_t len)
{
	(void)priv;
	(void)gpa;
	(void)buf;
	(void)len;
	return -EFAULT;
}

static int xfer_refused(void *priv, const struct xhci_xfer *xfer)
{
	(void)priv;
	(void)xfer;
	return -EIO;
}

static void role_set(void *priv, unsigned int role, uint32_t seq)
{
	assert_ptr_equal(priv, &hc);
	assert_true(nr_role_set < 16);
	roles[nr_role_set] = role;
	seqs[nr_role_set] = seq;
	nr_role_set++;
}

static const struct xhci_mem mem = { mem_none, mem_none_w, NULL };
static const struct xhci_backend_ops ops = {
	.control = xfer_refused,
	.submit = xfer_refused,
	.role_set = role_set,
};
static const struct xhci_backend_ops ops_no_role = {
	.control = xfer_refused,
	.submit = xfer_refused,
};

static void init(unsigned int usb2, unsigned int usb3, bool drd)
{
	struct xhci_config cfg = {
		.nr_usb2_ports = (uint8_t)usb2,
		.nr_usb3_ports = (uint8_t)usb3,
		.max_slots = 4,
		.nr_intrs = 1,
		.drd = drd,
	};

	assert_int_equal(xhci_init(hc, &cfg, &mem, &ops, &hc), 0);
	nr_role_set = 0;
}

static uint32_t r32(uint32_t off)
{
	return (uint32_t)xhci_mmio_read(hc, off, 4);
}

static void w32(uint32_t off, uint32_t v)
{
	xhci_mmio_write(hc, off, 4, v);
}

static int setup(void **state)
{
	(void)state;
	hc = calloc(1, sizeof(*hc));
	return hc ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	free(hc);
	return 0;
}

/* Walks the extended capabilities as xhci_hcd does; returns the IDs. */
static unsigned int walk_caps(uint8_t *ids, uint32_t *offs, unsigned int max)
{
	uint32_t off = (r32(XHCI_CAP_HCCPARAMS1) >> 16) * 4;
	unsigned int n = 0;

	while (off && n < max) {
		uint32_t hdr = r32(off);

		ids[n] = hdr & 0xff;
		offs[n++] = off;
		off = (hdr >> 8 & 0xff) ? off + (hdr >> 8 & 0xff) * 4 : 0;
	}
	return n;
}

static void test_capability_list(void **state)
{
	static const unsigned int ports[3][2] = { { 4, 4 },
						  { 2, 0 },
						  { 0, 3 } };
	uint32_t offs[8];
	uint8_t ids[8];
	unsigned int i, n;

	(void)state;
	for (i = 0; i < 3; i++) {
		init(ports[i][0], ports[i][1], true);
		n = walk_caps(ids, offs, 8);
		assert_int_equal(n, ports[i][0] && ports[i][1] ? 3 : 2);
		assert_int_equal(ids[0], XHCI_EXT_CAP_PROTOCOL);
		assert_int_equal(ids[n - 1], XHCI_EXT_CAP_VENDOR_DRD);
		assert_int_equal(offs[n - 1], XHCI_DRD_CAP);
		/* Its registers start as after power-on: no role anywhere. */
		assert_int_equal(r32(CFG0), 0);
		assert_int_equal(r32(CFG1), 0);
		assert_int_equal(r32(STATUS), XHCI_ROLE_NONE);

		init(ports[i][0], ports[i][1], false);
		n = walk_caps(ids, offs, 8);
		assert_int_equal(n, ports[i][0] && ports[i][1] ? 2 : 1);
		assert_int_equal(ids[n - 1], XHCI_EXT_CAP_PROTOCOL);
		/* Without it the window is a hole that takes no writes. */
		assert_int_equal(r32(XHCI_DRD_CAP), 0);
		w32(CFG0, WANT_HOST);
		assert_int_equal(r32(CFG0), 0);
		assert_int_equal(nr_role_set, 0);
	}
	/* A controller with DRD needs a backend that can set roles. */
	{
		struct xhci_config cfg = { .nr_usb2_ports = 1,
					   .max_slots = 1,
					   .nr_intrs = 1,
					   .drd = true };

		assert_int_equal(xhci_init(hc, &cfg, &mem, &ops_no_role, &hc),
				 -EINVAL);
	}
}

static void test_cfg0_roles(void **state)
{
	(void)state;
	assert_int_equal(xhci_drd_cfg0_role(0), XHCI_DRD_NO_REQUEST);
	assert_int_equal(
		xhci_drd_cfg0_role(XHCI_DRD_SW_IDPIN | XHCI_DRD_SW_VBUS_VALID),
		XHCI_DRD_NO_REQUEST);
	assert_int_equal(xhci_drd_cfg0_role(WANT_HOST), XHCI_ROLE_HOST);
	assert_int_equal(xhci_drd_cfg0_role(WANT_DEVICE), XHCI_ROLE_DEVICE);
	assert_int_equal(xhci_drd_cfg0_role(WANT_NONE), XHCI_ROLE_NONE);
	assert_int_equal(xhci_drd_cfg0_role(MALFORMED), -EINVAL);
	assert_int_equal(
		xhci_drd_cfg0_role(WANT_HOST | XHCI_DRD_SW_SWITCH_METHOD),
		XHCI_ROLE_HOST);
}

/* Asks for role with cfg0, checks the request and completes it. */
static void switch_to(uint32_t cfg0, unsigned int role)
{
	unsigned int n = nr_role_set;

	w32(CFG0, cfg0);
	assert_int_equal(nr_role_set, n + 1);
	assert_int_equal(roles[n], role);
	assert_int_equal(seqs[n], hc->drd.seq);
	assert_int_equal(r32(CFG0), cfg0);
	assert_true(r32(STATUS) & XHCI_DRD_STATUS_PENDING);
	xhci_drd_role_done(hc, seqs[n], role, true);
	assert_int_equal(r32(STATUS), role);
	assert_int_equal(r32(CFG1),
			 role == XHCI_ROLE_HOST ? XHCI_DRD_HOST_MODE : 0);
}

static void test_role_writes(void **state)
{
	(void)state;
	init(4, 4, true);
	switch_to(WANT_HOST, XHCI_ROLE_HOST);
	switch_to(WANT_DEVICE, XHCI_ROLE_DEVICE);
	switch_to(WANT_HOST | XHCI_DRD_SW_SWITCH_METHOD, XHCI_ROLE_HOST);
	switch_to(WANT_NONE, XHCI_ROLE_NONE);
	switch_to(WANT_DEVICE, XHCI_ROLE_DEVICE);
	assert_int_equal(seqs[0] + 4, seqs[4]);
	assert_int_equal(hc->drd.nr_set, 5);

	/* HOST_MODE follows the switch, not the write. */
	w32(CFG0, WANT_HOST);
	assert_int_equal(r32(CFG1), 0);
	assert_int_equal(r32(STATUS),
			 XHCI_ROLE_DEVICE | XHCI_DRD_STATUS_PENDING);
	xhci_drd_role_done(hc, hc->drd.seq, XHCI_ROLE_HOST, true);
	assert_int_equal(r32(CFG1), XHCI_DRD_HOST_MODE);

	/* The reset of the host controller leaves the mux alone. */
	w32(XHCI_OP + XHCI_USBCMD, XHCI_CMD_HCRST);
	assert_int_equal(r32(CFG0), WANT_HOST);
	assert_int_equal(r32(CFG1), XHCI_DRD_HOST_MODE);
}

static void test_refused_and_ignored(void **state)
{
	unsigned int n;

	(void)state;
	init(4, 4, true);
	switch_to(WANT_DEVICE, XHCI_ROLE_DEVICE);
	n = nr_role_set;

	/* Host with VBUS from outside: refused, nothing changes. */
	w32(CFG0, MALFORMED);
	assert_int_equal(nr_role_set, n);
	assert_int_equal(r32(CFG0), WANT_DEVICE);
	assert_int_equal(r32(STATUS),
			 XHCI_ROLE_DEVICE | XHCI_DRD_STATUS_REFUSED);
	assert_int_equal(hc->drd.nr_refused, 1);

	/* The same role again (read-modify-write): no request. */
	w32(CFG0, r32(CFG0) | XHCI_DRD_SW_SWITCH_METHOD);
	assert_int_equal(nr_role_set, n);
	assert_int_equal(r32(STATUS), XHCI_ROLE_DEVICE);

	/* Reserved bits are dropped; the role they carry still counts. */
	w32(CFG0, 0xffffffffu);
	assert_int_equal(r32(CFG0), XHCI_DRD_CFG0_RW);
	assert_int_equal(nr_role_set, n);

	/* Software control off: stored, no request, the role stays. */
	w32(CFG0, XHCI_DRD_SW_IDPIN);
	assert_int_equal(r32(CFG0), XHCI_DRD_SW_IDPIN);
	assert_int_equal(nr_role_set, n);
	assert_int_equal(r32(STATUS), XHCI_ROLE_DEVICE);

	/* CFG1, ROLE_STATUS and the header are read-only. */
	w32(CFG1, 0xffffffffu);
	w32(STATUS, 0xffffffffu);
	w32(XHCI_DRD_CAP, 0);
	assert_int_equal(r32(CFG1), 0);
	assert_int_equal(r32(STATUS), XHCI_ROLE_DEVICE);
	assert_int_equal(r32(XHCI_DRD_CAP), XHCI_EXT_CAP_VENDOR_DRD);
	assert_int_equal(r32(XHCI_DRD_CAP + 0x3fc), 0);
	assert_int_equal(nr_role_set, n);

	/* A byte write merges: bits 16-23 alone turn host on. */
	xhci_mmio_write(hc, CFG0 + 2, 1, WANT_HOST >> 16);
	assert_int_equal(nr_role_set, n + 1);
	assert_int_equal(roles[n], XHCI_ROLE_HOST);
}

static void test_completions(void **state)
{
	uint32_t first;

	(void)state;
	init(1, 1, true);
	xhci_drd_role_now(hc, XHCI_ROLE_HOST);
	assert_int_equal(r32(CFG1), XHCI_DRD_HOST_MODE);
	xhci_drd_role_now(hc, 7);
	assert_int_equal(r32(STATUS), XHCI_ROLE_HOST);

	/* Two requests in flight: only the latest one's done clears. */
	w32(CFG0, WANT_DEVICE);
	first = hc->drd.seq;
	w32(CFG0, WANT_NONE);
	assert_int_equal(nr_role_set, 2);
	xhci_drd_role_done(hc, first, XHCI_ROLE_DEVICE, true);
	assert_int_equal(r32(STATUS),
			 XHCI_ROLE_DEVICE | XHCI_DRD_STATUS_PENDING);
	xhci_drd_role_done(hc, first + 1, XHCI_ROLE_NONE, true);
	assert_int_equal(r32(STATUS), XHCI_ROLE_NONE);
	/* A late or unknown done changes nothing but the role. */
	xhci_drd_role_done(hc, first + 9, 9, false);
	assert_int_equal(r32(STATUS), XHCI_ROLE_NONE);

	/* The SOS refused: FAILED, and writing the role again retries. */
	w32(CFG0, WANT_HOST);
	xhci_drd_role_done(hc, hc->drd.seq, XHCI_ROLE_NONE, false);
	assert_int_equal(r32(STATUS), XHCI_ROLE_NONE | XHCI_DRD_STATUS_FAILED);
	assert_int_equal(r32(CFG1), 0);
	w32(CFG0, WANT_HOST);
	assert_int_equal(nr_role_set, 4);
	assert_int_equal(roles[3], XHCI_ROLE_HOST);
	xhci_drd_role_done(hc, hc->drd.seq, XHCI_ROLE_HOST, true);
	assert_int_equal(r32(STATUS), XHCI_ROLE_HOST);

	/* Without the capability completions are ignored. */
	init(1, 1, false);
	xhci_drd_role_now(hc, XHCI_ROLE_HOST);
	xhci_drd_role_done(hc, 0, XHCI_ROLE_HOST, true);
	assert_int_equal(hc->drd.actual, XHCI_ROLE_NONE);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_capability_list), T(test_cfg0_roles),
		T(test_role_writes),	 T(test_refused_and_ignored),
		T(test_completions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
