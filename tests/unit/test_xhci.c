// SPDX-License-Identifier: BSD-3-Clause
/*
 * Unit tests for the xHCI core's registers, ports, commands and event
 * ring (kmod/lib/xhci_*.c), played the way Linux's xhci_hcd drives a
 * controller (tests/unit/xhci_guest.c), plus hostile guests: broken
 * contexts, rings of links, pointers outside memory, bad ERSTs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "xhci_guest.h"

#define PORTSC(n) (XHCI_PORTS + 0x10u * ((n)-1))
#define IR0 (XHCI_RTSOFF + XHCI_IR0)

static int setup(void **state)
{
	(void)state;
	guest_alloc();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	guest_free();
	return 0;
}

static void test_trb_fields(void **state)
{
	static const uint8_t raw[16] = { 0x10, 0x32, 0x54, 0x76, 0x98, 0xba,
					 0xdc, 0xfe, 0x40, 0x00, 0x46, 0x83,
					 0x31, 0x2c, 0x05, 0x07 };
	uint8_t back[16];
	struct xhci_trb t, ev;

	(void)state;
	xhci_trb_decode(&t, raw);
	assert_int_equal(t.param, 0xfedcba9876543210ull);
	assert_int_equal(xhci_trb_ptr(&t), 0xfedcba9876543210ull);
	assert_int_equal(xhci_trb_xfer_len(&t), 0x00040);
	assert_int_equal(xhci_trb_td_size(&t), 0x03);
	assert_int_equal(xhci_trb_intr_target(&t), 0x20d);
	assert_true(xhci_trb_cycle(&t));
	assert_int_equal(xhci_trb_type(&t), XHCI_TRB_NORMAL + 10);
	assert_int_equal(xhci_trb_ep(&t), 5);
	assert_int_equal(xhci_trb_slot(&t), 7);
	xhci_trb_encode(&t, back);
	assert_memory_equal(raw, back, 16);
	for (unsigned int type = 0; type < 64; type++) {
		assert_int_equal(xhci_trb_is_transfer(type),
				 type >= 1 && type <= 8 && type != 6);
		assert_int_equal(xhci_trb_is_command(type),
				 (type >= 9 && type <= 17) || type == 23);
	}
	ev = xhci_event_transfer(0x1000, 0x1234567, XHCI_CC_STALL, true, 3, 9);
	assert_int_equal(ev.status, 0x06234567u);
	assert_int_equal(ev.control,
			 XHCI_TRB_ED | 32u << 10 | 9u << 16 | 3u << 24);
	ev = xhci_event_command(0x2008, XHCI_CC_SUCCESS, 2);
	assert_int_equal(ev.param, 0x2000);
	assert_int_equal(ev.control, 33u << 10 | 2u << 24);
	ev = xhci_event_port(4);
	assert_int_equal(ev.param, 4u << 24);
	assert_int_equal(ev.status, 1u << 24);
	ev = xhci_event_host(XHCI_CC_EVENT_RING_FULL);
	assert_int_equal(ev.control, 37u << 10);
}

static void test_capabilities(void **state)
{
	const struct xhci_config cfg = { .nr_usb2_ports = 3,
					 .nr_usb3_ports = 2,
					 .max_slots = 8,
					 .nr_intrs = 2 };
	uint32_t hcc, xecp, dw;
	unsigned int usb2 = 0, usb3 = 0, caps = 0;

	(void)state;
	hc_create(&cfg);
	assert_int_equal(xhci_mmio_read(hc, 0, 1), XHCI_CAPLENGTH);
	assert_int_equal(xhci_mmio_read(hc, 2, 2), XHCI_HCIVERSION);
	dw = r32(XHCI_CAP_HCSPARAMS1);
	assert_int_equal(dw & 0xff, 8);
	assert_int_equal((dw >> 8) & 0x7ff, 2);
	assert_int_equal(dw >> 24, 5);
	assert_int_equal((r32(XHCI_CAP_HCSPARAMS2) >> 4) & 0xf,
			 XHCI_ERST_MAX_LOG2);
	hcc = r32(XHCI_CAP_HCCPARAMS1);
	assert_true(hcc & XHCI_HCC1_AC64);
	assert_false(hcc & XHCI_HCC1_CSZ);
	assert_int_equal(r32(XHCI_CAP_DBOFF), XHCI_DBOFF);
	assert_int_equal(r32(XHCI_CAP_RTSOFF), XHCI_RTSOFF);
	/* Walk the extended capabilities as xhci_hcd does. */
	xecp = (hcc >> 16) * 4;
	while (xecp && caps < 8) {
		dw = r32(xecp);
		caps++;
		assert_int_equal(dw & 0xff, XHCI_EXT_CAP_PROTOCOL);
		assert_int_equal(r32(xecp + 4), XHCI_PROTOCOL_NAME);
		if (dw >> 24 == 2) {
			assert_int_equal(r32(xecp + 8) & 0xff, 1);
			usb2 = (r32(xecp + 8) >> 8) & 0xff;
		} else {
			assert_int_equal(dw >> 24, 3);
			assert_int_equal(r32(xecp + 8) & 0xff, 4);
			usb3 = (r32(xecp + 8) >> 8) & 0xff;
		}
		xecp = ((dw >> 8) & 0xff) ? xecp + 4 * ((dw >> 8) & 0xff) : 0;
	}
	assert_int_equal(caps, 2);
	assert_int_equal(usb2, 3);
	assert_int_equal(usb3, 2);
	/* 64-bit and odd-sized reads, reads outside the BAR. */
	assert_int_equal(xhci_mmio_read(hc, 0, 8),
			 (uint64_t)r32(4) << 32 | r32(0));
	assert_int_equal(xhci_mmio_read(hc, 3, 2),
			 (r32(0) >> 24) | (r32(4) & 0xff) << 8);
	assert_int_equal(xhci_mmio_read(hc, 0, 3), 0);
	assert_int_equal(xhci_mmio_read(hc, XHCI_BAR_SIZE - 2, 4), 0);
	assert_int_equal(xhci_mmio_read(hc, 0xfffffffcu, 8), 0);
	assert_true(r32(XHCI_OP + XHCI_USBSTS) & XHCI_STS_HCH);
	assert_int_equal(r32(XHCI_OP + XHCI_PAGESIZE), 1);
}

static void test_config_limits(void **state)
{
	struct xhci_config cfg = { .nr_usb2_ports = 1,
				   .max_slots = 1,
				   .nr_intrs = 1 };
	struct xhci_backend_ops no_submit = fake_ops;

	(void)state;
	assert_int_equal(xhci_init(hc, &cfg, &guest_mem, &fake_ops, &fake), 0);
	cfg.nr_usb2_ports = 16;
	assert_int_equal(xhci_init(hc, &cfg, &guest_mem, &fake_ops, &fake),
			 -EINVAL);
	cfg.nr_usb2_ports = 0;
	assert_int_equal(xhci_init(hc, &cfg, &guest_mem, &fake_ops, &fake),
			 -EINVAL);
	cfg.nr_usb2_ports = 1;
	cfg.max_slots = XHCI_MAX_SLOTS + 1;
	assert_int_equal(xhci_init(hc, &cfg, &guest_mem, &fake_ops, &fake),
			 -EINVAL);
	cfg.max_slots = 1;
	cfg.nr_intrs = 0;
	assert_int_equal(xhci_init(hc, &cfg, &guest_mem, &fake_ops, &fake),
			 -EINVAL);
	cfg.nr_intrs = 1;
	no_submit.submit = NULL;
	assert_int_equal(xhci_init(hc, &cfg, &guest_mem, &no_submit, &fake),
			 -EINVAL);
}

static void test_start_noop_and_interrupt(void **state)
{
	uint64_t at;

	(void)state;
	hc_default_start();
	assert_false(xhci_intr_want(hc, 0));
	at = cmd(0, 0, trb_type(XHCI_TRB_NOOP_CMD));
	assert_true(r32(XHCI_OP + XHCI_CRCR) & XHCI_CRCR_CRR);
	assert_true(xhci_intr_want(hc, 0));
	assert_false(xhci_intr_want(hc, 1));
	assert_true(xhci_intr_assert(hc, 0));
	assert_true(r32(XHCI_OP + XHCI_USBSTS) & XHCI_STS_EINT);
	assert_true(r32(IR0 + XHCI_ERDP) & XHCI_ERDP_EHB);
	/* Busy until the driver writes ERDP with EHB. */
	assert_false(xhci_intr_want(hc, 0));
	w32(XHCI_OP + XHCI_USBSTS, XHCI_STS_EINT);
	assert_false(r32(XHCI_OP + XHCI_USBSTS) & XHCI_STS_EINT);
	assert_int_equal(ev_cmd(at, NULL), XHCI_CC_SUCCESS);
	assert_false(r32(IR0 + XHCI_ERDP) & XHCI_ERDP_EHB);
	assert_false(xhci_intr_want(hc, 0));
	/* An unknown command and an event TRB on the command ring. */
	at = cmd(0, 0, trb_type(XHCI_TRB_HOST_CONTROLLER));
	assert_int_equal(ev_cmd(at, NULL), XHCI_CC_TRB);
	at = cmd(0, 0, trb_type(XHCI_TRB_NORMAL));
	assert_int_equal(ev_cmd(at, NULL), XHCI_CC_TRB);
	/* Commands past the end wrap through the ring's Link TRB. */
	for (unsigned int i = 0; i < 40; i++) {
		at = cmd(0, 0, trb_type(XHCI_TRB_NOOP_CMD));
		assert_int_equal(ev_cmd(at, NULL), XHCI_CC_SUCCESS);
	}
}

static void test_interrupt_moderation(void **state)
{
	(void)state;
	hc_default_start();
	w32(IR0 + XHCI_IMOD, 4000);
	assert_int_equal(xhci_intr_moderation_ns(hc, 0), 1000000);
	assert_int_equal(xhci_intr_moderation_ns(hc, 7), 0);
	/* IE clear: the interrupter is raised but no message goes out. */
	w32(IR0 + XHCI_IMAN, 0);
	cmd(0, 0, trb_type(XHCI_TRB_NOOP_CMD));
	assert_true(xhci_intr_want(hc, 0));
	assert_false(xhci_intr_assert(hc, 0));
	assert_true(r32(IR0 + XHCI_IMAN) & XHCI_IMAN_IP);
	w32(IR0 + XHCI_IMAN, XHCI_IMAN_IP);
	assert_false(r32(IR0 + XHCI_IMAN) & XHCI_IMAN_IP);
	/* EHB cleared with events still unread: another interrupt. */
	cmd(0, 0, trb_type(XHCI_TRB_NOOP_CMD));
	w32(IR0 + XHCI_ERDP, (uint32_t)G_EVENT_SEGS | XHCI_ERDP_EHB);
	assert_true(xhci_intr_want(hc, 0));
	/* Halted: nothing wanted. */
	w32(XHCI_OP + XHCI_USBCMD, 0);
	assert_true(r32(XHCI_OP + XHCI_USBSTS) & XHCI_STS_HCH);
	assert_false(xhci_intr_want(hc, 0));
	assert_false(xhci_process(hc));
}

static void test_usb2_port_reset(void **state)
{
	uint32_t sc;
	struct xhci_trb t;

	(void)state;
	hc_default_start();
	assert_int_equal(xhci_port_connect(hc, 1, XHCI_SPEED_SUPER), -EINVAL);
	assert_int_equal(xhci_port_connect(hc, 0, XHCI_SPEED_HIGH), -EINVAL);
	assert_int_equal(xhci_port_connect(hc, 5, XHCI_SPEED_HIGH), -EINVAL);
	assert_int_equal(xhci_port_connect(hc, 1, XHCI_SPEED_HIGH), 0);
	sc = r32(PORTSC(1));
	assert_true(sc & XHCI_PORTSC_CCS);
	assert_true(sc & XHCI_PORTSC_CSC);
	assert_false(sc & XHCI_PORTSC_PED);
	assert_int_equal((sc & XHCI_PORTSC_PLS) >> 5, XHCI_PLS_POLLING);
	assert_int_equal((sc & XHCI_PORTSC_SPEED) >> 10, XHCI_SPEED_HIGH);
	assert_true(r32(XHCI_OP + XHCI_USBSTS) & XHCI_STS_PCD);
	assert_true(ev_pop(&t));
	assert_int_equal(xhci_trb_type(&t), XHCI_TRB_PORT_STATUS);
	assert_int_equal(t.param >> 24, 1);
	/* Writing back what was read (0s in RW1C bits) clears nothing. */
	w32(PORTSC(1), sc & ~XHCI_PORTSC_CHANGE & ~XHCI_PORTSC_PED);
	assert_true(r32(PORTSC(1)) & XHCI_PORTSC_CSC);
	/* A byte write of byte 0 does not touch the change bits. */
	xhci_mmio_write(hc, PORTSC(1), 1,
			0xff & ~XHCI_PORTSC_PR & ~XHCI_PORTSC_PED);
	assert_true(r32(PORTSC(1)) & XHCI_PORTSC_CSC);
	w32(PORTSC(1), XHCI_PORTSC_PP | XHCI_PORTSC_CSC);
	assert_false(r32(PORTSC(1)) & XHCI_PORTSC_CSC);
	/* Port reset, completed by the backend later. */
	fake.port_reset_ret = 1;
	w32(PORTSC(1), XHCI_PORTSC_PP | XHCI_PORTSC_PR);
	assert_true(r32(PORTSC(1)) & XHCI_PORTSC_PR);
	xhci_process(hc);
	assert_int_equal(fake.nr_port_reset, 1);
	assert_int_equal(fake.reset_port, 1);
	assert_false(fake.reset_warm);
	assert_true(r32(PORTSC(1)) & XHCI_PORTSC_PR);
	xhci_port_reset_done(hc, 2, true); /* not resetting: ignored */
	assert_false(r32(PORTSC(2)) & XHCI_PORTSC_PRC);
	xhci_port_reset_done(hc, 1, true);
	sc = r32(PORTSC(1));
	assert_false(sc & XHCI_PORTSC_PR);
	assert_true(sc & XHCI_PORTSC_PRC);
	assert_true(sc & XHCI_PORTSC_PED);
	assert_int_equal((sc & XHCI_PORTSC_PLS) >> 5, XHCI_PLS_U0);
	assert_true(ev_pop(&t));
	assert_int_equal(xhci_trb_type(&t), XHCI_TRB_PORT_STATUS);
	/* Suspend and resume through the link state. */
	w32(PORTSC(1), XHCI_PORTSC_PP | XHCI_PORTSC_LWS | XHCI_PLS_U3 << 5);
	assert_int_equal((r32(PORTSC(1)) & XHCI_PORTSC_PLS) >> 5, XHCI_PLS_U3);
	w32(PORTSC(1), XHCI_PORTSC_PP | XHCI_PORTSC_LWS | XHCI_PLS_RESUME << 5);
	assert_int_equal((r32(PORTSC(1)) & XHCI_PORTSC_PLS) >> 5,
			 XHCI_PLS_RESUME);
	w32(PORTSC(1), XHCI_PORTSC_PP | XHCI_PORTSC_LWS | XHCI_PLS_U0 << 5);
	assert_true(r32(PORTSC(1)) & XHCI_PORTSC_PLC);
	/* Disable by writing PED, then a failing reset. */
	w32(PORTSC(1), XHCI_PORTSC_PP | XHCI_PORTSC_PED);
	assert_false(r32(PORTSC(1)) & XHCI_PORTSC_PED);
	fake.port_reset_ret = -EIO;
	w32(PORTSC(1), XHCI_PORTSC_PP | XHCI_PORTSC_PR);
	xhci_process(hc);
	assert_false(r32(PORTSC(1)) & XHCI_PORTSC_PED);
	/* Reset of an empty port does nothing. */
	w32(PORTSC(2), XHCI_PORTSC_PP | XHCI_PORTSC_PR);
	assert_false(r32(PORTSC(2)) & XHCI_PORTSC_PR);
}

/*
 * lhv_xhci's reset: the backend takes it (returns 1) and reports later;
 * a failed usb_reset_device leaves the port disabled, and an unplug
 * while it runs ends it so the late report changes nothing.
 */
static void test_port_reset_async(void **state)
{
	struct xhci_trb t;
	uint32_t sc;

	(void)state;
	hc_default_start();
	assert_int_equal(xhci_port_connect(hc, 2, XHCI_SPEED_HIGH), 0);
	w32(PORTSC(2), XHCI_PORTSC_PP | XHCI_PORTSC_CSC);
	while (ev_pop(&t))
		;
	fake.port_reset_ret = 1;
	w32(PORTSC(2), XHCI_PORTSC_PP | XHCI_PORTSC_PR);
	xhci_process(hc);
	assert_int_equal(fake.reset_port, 2);
	xhci_port_reset_done(hc, 2, false);
	sc = r32(PORTSC(2));
	assert_false(sc & XHCI_PORTSC_PR);
	assert_true(sc & XHCI_PORTSC_PRC);
	assert_false(sc & XHCI_PORTSC_PED);
	assert_true(sc & XHCI_PORTSC_CCS);
	assert_true(ev_pop(&t));
	assert_int_equal(xhci_trb_type(&t), XHCI_TRB_PORT_STATUS);
	assert_int_equal(t.param >> 24, 2);
	w32(PORTSC(2), XHCI_PORTSC_PP | XHCI_PORTSC_PRC);
	/* The device goes while the next reset runs. */
	w32(PORTSC(2), XHCI_PORTSC_PP | XHCI_PORTSC_PR);
	xhci_process(hc);
	assert_int_equal(xhci_port_disconnect(hc, 2), 0);
	sc = r32(PORTSC(2));
	assert_false(sc & (XHCI_PORTSC_PR | XHCI_PORTSC_CCS | XHCI_PORTSC_PED));
	assert_true(sc & XHCI_PORTSC_CSC);
	xhci_port_reset_done(hc, 2, true);
	sc = r32(PORTSC(2));
	assert_false(sc & (XHCI_PORTSC_PRC | XHCI_PORTSC_PED));
	/* Back again: a connect, and a reset that works. */
	assert_int_equal(xhci_port_connect(hc, 2, XHCI_SPEED_FULL), 0);
	w32(PORTSC(2), XHCI_PORTSC_PP | XHCI_PORTSC_PR);
	xhci_process(hc);
	xhci_port_reset_done(hc, 2, true);
	assert_true(r32(PORTSC(2)) & XHCI_PORTSC_PED);
}

static void test_usb3_port(void **state)
{
	uint32_t sc;

	(void)state;
	hc_default_start();
	assert_int_equal(xhci_port_connect(hc, 3, XHCI_SPEED_HIGH), -EINVAL);
	assert_int_equal(xhci_port_connect(hc, 3, XHCI_SPEED_SUPER), 0);
	sc = r32(PORTSC(3));
	assert_true(sc & XHCI_PORTSC_PED);
	assert_int_equal((sc & XHCI_PORTSC_PLS) >> 5, XHCI_PLS_U0);
	w32(PORTSC(3), XHCI_PORTSC_PP | XHCI_PORTSC_WPR);
	xhci_process(hc);
	assert_true(fake.reset_warm);
	sc = r32(PORTSC(3));
	assert_true(sc & XHCI_PORTSC_WRC);
	assert_true(sc & XHCI_PORTSC_PRC);
	assert_true(sc & XHCI_PORTSC_PED);
	/* WPR on a USB 2 port is reserved. */
	assert_int_equal(xhci_port_connect(hc, 2, XHCI_SPEED_FULL), 0);
	w32(PORTSC(2), XHCI_PORTSC_PP | XHCI_PORTSC_WPR);
	assert_false(r32(PORTSC(2)) & XHCI_PORTSC_PR);
	/* U3 and back sets PLC. */
	w32(PORTSC(3), XHCI_PORTSC_PP | XHCI_PORTSC_CHANGE);
	w32(PORTSC(3), XHCI_PORTSC_PP | XHCI_PORTSC_LWS | XHCI_PLS_U3 << 5);
	w32(PORTSC(3), XHCI_PORTSC_PP | XHCI_PORTSC_LWS | XHCI_PLS_U0 << 5);
	assert_true(r32(PORTSC(3)) & XHCI_PORTSC_PLC);
	assert_int_equal(xhci_port_disconnect(hc, 3), 0);
	sc = r32(PORTSC(3));
	assert_false(sc & (XHCI_PORTSC_CCS | XHCI_PORTSC_PED));
	assert_true(sc & XHCI_PORTSC_CSC);
	assert_int_equal((sc & XHCI_PORTSC_PLS) >> 5, XHCI_PLS_RX_DETECT);
	assert_int_equal(xhci_port_disconnect(hc, 9), -EINVAL);
	/* HCRST keeps the device plugged in, with CSC for the driver. */
	w32(XHCI_OP + XHCI_USBCMD, XHCI_CMD_HCRST);
	assert_true(r32(PORTSC(2)) & XHCI_PORTSC_CSC);
	assert_true(r32(PORTSC(2)) & XHCI_PORTSC_CCS);
	assert_false(r32(PORTSC(3)) & XHCI_PORTSC_CCS);
}

static void test_enable_address_bsr(void **state)
{
	struct prod_ring ep0;
	uint8_t slot;

	(void)state;
	hc_default_start();
	assert_int_equal(xhci_port_connect(hc, 3, XHCI_SPEED_SUPER), 0);
	slot = enable_slot();
	assert_int_equal(slot, 1);
	ring_init(&ep0, G_RINGS, 16);
	/* BSR=1: Default state, no USB address. */
	assert_int_equal(
		address_device(slot, 3, XHCI_SPEED_SUPER, ep0.base, true),
		XHCI_CC_SUCCESS);
	assert_int_equal(out_dw(slot, 0, 3) >> 27, XHCI_SLOT_DEFAULT);
	assert_int_equal(out_dw(slot, 0, 3) & 0xff, 0);
	assert_int_equal(out_dw(slot, 1, 0) & 7, XHCI_EP_RUNNING);
	assert_int_equal(fake.last_cmd.type, XHCI_TRB_ADDRESS_DEVICE);
	assert_true(fake.last_cmd.bsr);
	assert_int_equal(fake.last_cmd.port, 3);
	/* BSR=1 again from Default: Context State Error. */
	assert_int_equal(
		address_device(slot, 3, XHCI_SPEED_SUPER, ep0.base, true),
		XHCI_CC_CONTEXT_STATE);
	/* BSR=0: Addressed, the slot ID as address. */
	assert_int_equal(
		address_device(slot, 3, XHCI_SPEED_SUPER, ep0.base, false),
		XHCI_CC_SUCCESS);
	assert_int_equal(out_dw(slot, 0, 3) >> 27, XHCI_SLOT_ADDRESSED);
	assert_int_equal(out_dw(slot, 0, 3) & 0xff, slot);
	assert_int_equal(
		address_device(slot, 3, XHCI_SPEED_SUPER, ep0.base, false),
		XHCI_CC_CONTEXT_STATE);
}

static void test_address_errors(void **state)
{
	struct prod_ring ep0;
	uint8_t slot;
	uint64_t at;

	(void)state;
	hc_default_start();
	ring_init(&ep0, G_RINGS, 16);
	/* No slot enabled yet. */
	assert_int_equal(address_device(1, 1, XHCI_SPEED_HIGH, ep0.base, false),
			 XHCI_CC_SLOT_NOT_ENABLED);
	slot = enable_slot();
	/* The port has no device, then a device but not reset. */
	assert_int_equal(
		address_device(slot, 1, XHCI_SPEED_HIGH, ep0.base, false),
		XHCI_CC_USB_TRANSACTION);
	assert_int_equal(xhci_port_connect(hc, 1, XHCI_SPEED_HIGH), 0);
	assert_int_equal(
		address_device(slot, 1, XHCI_SPEED_HIGH, ep0.base, false),
		XHCI_CC_USB_TRANSACTION);
	w32(PORTSC(1), XHCI_PORTSC_PP | XHCI_PORTSC_PR);
	xhci_process(hc);
	/* Root port outside the controller, slot 0, slot 200. */
	assert_int_equal(
		address_device(slot, 9, XHCI_SPEED_HIGH, ep0.base, false),
		XHCI_CC_PARAMETER);
	assert_int_equal(address_device(0, 1, XHCI_SPEED_HIGH, ep0.base, false),
			 XHCI_CC_SLOT_NOT_ENABLED);
	assert_int_equal(
		address_device(200, 1, XHCI_SPEED_HIGH, ep0.base, false),
		XHCI_CC_SLOT_NOT_ENABLED);
	/* EP0 ring pointer 0, a bulk type for EP0, max packet 0. */
	assert_int_equal(address_device(slot, 1, XHCI_SPEED_HIGH, 0, false),
			 XHCI_CC_PARAMETER);
	/* A0/A1 missing. */
	ictx_put(0, 1, 1);
	at = cmd(G_INPUT_CTX, 0,
		 trb_type(XHCI_TRB_ADDRESS_DEVICE) | (uint32_t)slot << 24);
	assert_int_equal(ev_cmd(at, NULL), XHCI_CC_PARAMETER);
	ictx_put(0, 1, 3);
	ictx_ep(1, XHCI_EP_CONTROL, 64, ep0.base);
	ictx_put(2, 1, XHCI_EP_BULK_OUT << 3 | 64u << 16);
	at = cmd(G_INPUT_CTX, 0,
		 trb_type(XHCI_TRB_ADDRESS_DEVICE) | (uint32_t)slot << 24);
	assert_int_equal(ev_cmd(at, NULL), XHCI_CC_PARAMETER);
	ictx_put(2, 1, XHCI_EP_CONTROL << 3);
	at = cmd(G_INPUT_CTX, 0,
		 trb_type(XHCI_TRB_ADDRESS_DEVICE) | (uint32_t)slot << 24);
	assert_int_equal(ev_cmd(at, NULL), XHCI_CC_PARAMETER);
	/* Route string (a device behind a hub) and speed 0. */
	ictx_ep(1, XHCI_EP_CONTROL, 64, ep0.base);
	ictx_put(1, 0, 1u << 27 | XHCI_SPEED_HIGH << 20 | 0x1);
	at = cmd(G_INPUT_CTX, 0,
		 trb_type(XHCI_TRB_ADDRESS_DEVICE) | (uint32_t)slot << 24);
	assert_int_equal(ev_cmd(at, NULL), XHCI_CC_PARAMETER);
	ictx_put(1, 0, 1u << 27);
	at = cmd(G_INPUT_CTX, 0,
		 trb_type(XHCI_TRB_ADDRESS_DEVICE) | (uint32_t)slot << 24);
	assert_int_equal(ev_cmd(at, NULL), XHCI_CC_PARAMETER);
	/* Input context misaligned, then outside guest memory. */
	at = cmd(G_INPUT_CTX + 8, 0,
		 trb_type(XHCI_TRB_ADDRESS_DEVICE) | (uint32_t)slot << 24);
	assert_int_equal(ev_cmd(at, NULL), XHCI_CC_TRB);
	at = cmd(0xfffffffff000ull, 0,
		 trb_type(XHCI_TRB_ADDRESS_DEVICE) | (uint32_t)slot << 24);
	assert_int_equal(ev_cmd(at, NULL), XHCI_CC_TRB);
	put32(GUEST_MEM_SIZE - 32 + 4, 3);
	at = cmd(GUEST_MEM_SIZE - 32, 0,
		 trb_type(XHCI_TRB_ADDRESS_DEVICE) | (uint32_t)slot << 24);
	assert_int_equal(ev_cmd(at, NULL), XHCI_CC_TRB);
	/* DCBAA entry 0, then misaligned. */
	put64(G_DCBAA + 8u * slot, 0);
	ictx_slot(3, 1, XHCI_SPEED_HIGH, 1);
	ictx_ep(1, XHCI_EP_CONTROL, 64, ep0.base);
	at = cmd(G_INPUT_CTX, 0,
		 trb_type(XHCI_TRB_ADDRESS_DEVICE) | (uint32_t)slot << 24);
	assert_int_equal(ev_cmd(at, NULL), XHCI_CC_PARAMETER);
	put64(G_DCBAA + 8u * slot, G_OUT_CTX + 8);
	at = cmd(G_INPUT_CTX, 0,
		 trb_type(XHCI_TRB_ADDRESS_DEVICE) | (uint32_t)slot << 24);
	assert_int_equal(ev_cmd(at, NULL), XHCI_CC_PARAMETER);
	/* A second slot may not take a port another slot holds. */
	assert_int_equal(
		address_device(slot, 1, XHCI_SPEED_HIGH, ep0.base, false),
		XHCI_CC_SUCCESS);
	assert_int_equal(address_device(enable_slot(), 1, XHCI_SPEED_HIGH,
					ep0.base, false),
			 XHCI_CC_PARAMETER);
	/* The backend refusing. */
	fake.command_ret = XHCI_CC_RESOURCE;
	w32(PORTSC(2), XHCI_PORTSC_PP);
	assert_int_equal(xhci_port_connect(hc, 2, XHCI_SPEED_FULL), 0);
	w32(PORTSC(2), XHCI_PORTSC_PP | XHCI_PORTSC_PR);
	xhci_process(hc);
	assert_int_equal(address_device(3, 2, XHCI_SPEED_FULL, ep0.base, false),
			 XHCI_CC_SLOT_NOT_ENABLED);
	assert_int_equal(address_device(2, 2, XHCI_SPEED_FULL, ep0.base, false),
			 XHCI_CC_RESOURCE);
	assert_int_equal(out_dw(2, 0, 3) >> 27, 0);
}

static void test_no_slots_and_disable(void **state)
{
	const struct xhci_config cfg = { .nr_usb2_ports = 1,
					 .max_slots = 2,
					 .nr_intrs = 1 };
	uint64_t at;
	uint8_t slot;

	(void)state;
	hc_start(&cfg, 1, 16);
	assert_int_equal(enable_slot(), 1);
	assert_int_equal(enable_slot(), 2);
	at = cmd(0, 0, trb_type(XHCI_TRB_ENABLE_SLOT));
	assert_int_equal(ev_cmd(at, &slot), XHCI_CC_NO_SLOTS);
	assert_int_equal(slot, 0);
	at = cmd(0, 0, trb_type(XHCI_TRB_DISABLE_SLOT) | 2u << 24);
	assert_int_equal(ev_cmd(at, &slot), XHCI_CC_SUCCESS);
	assert_int_equal(slot, 2);
	at = cmd(0, 0, trb_type(XHCI_TRB_DISABLE_SLOT) | 2u << 24);
	assert_int_equal(ev_cmd(at, NULL), XHCI_CC_SLOT_NOT_ENABLED);
	assert_int_equal(enable_slot(), 2);
	/* Every slot command on a slot that is not enabled. */
	for (unsigned int type = XHCI_TRB_DISABLE_SLOT;
	     type <= XHCI_TRB_RESET_DEVICE; type++) {
		at = cmd(G_INPUT_CTX, 0, trb_type(type) | 9u << 24 | 1u << 16);
		assert_int_equal(ev_cmd(at, NULL), XHCI_CC_SLOT_NOT_ENABLED);
	}
}

static void test_configure_evaluate_reset(void **state)
{
	struct prod_ring ep0;
	uint8_t slot;
	uint64_t at;

	(void)state;
	hc_default_start();
	slot = enable_slot();
	/* Configure before Address Device: Context State Error. */
	assert_int_equal(
		configure_bulk(slot, G_RINGS + 0x1000, G_RINGS + 0x2000),
		XHCI_CC_CONTEXT_STATE);
	at = cmd(0, 0, trb_type(XHCI_TRB_DISABLE_SLOT) | (uint32_t)slot << 24);
	assert_int_equal(ev_cmd(at, NULL), XHCI_CC_SUCCESS);
	slot = plug_and_address(&ep0);
	assert_int_equal(
		configure_bulk(slot, G_RINGS + 0x1000, G_RINGS + 0x2000),
		XHCI_CC_SUCCESS);
	assert_int_equal(out_dw(slot, 0, 3) >> 27, XHCI_SLOT_CONFIGURED);
	assert_int_equal(out_dw(slot, 2, 0) & 7, XHCI_EP_RUNNING);
	assert_int_equal(out_dw(slot, 3, 0) & 7, XHCI_EP_RUNNING);
	/* A bulk IN type at an OUT DCI, Context Entries too small. */
	ictx_clear();
	ictx_put(0, 1, 1u << 4);
	ictx_ep(4, XHCI_EP_BULK_IN, 512, G_RINGS + 0x3000);
	at = cmd(G_INPUT_CTX, 0,
		 trb_type(XHCI_TRB_CONFIGURE_EP) | (uint32_t)slot << 24);
	assert_int_equal(ev_cmd(at, NULL), XHCI_CC_PARAMETER);
	ictx_put(0, 1, 1u << 5);
	ictx_ep(5, XHCI_EP_BULK_IN, 512, G_RINGS + 0x3000);
	at = cmd(G_INPUT_CTX, 0,
		 trb_type(XHCI_TRB_CONFIGURE_EP) | (uint32_t)slot << 24);
	assert_int_equal(ev_cmd(at, NULL), XHCI_CC_PARAMETER);
	/* Streams are not offered. */
	ictx_put(0, 1, 1u << 3);
	ictx_ep(3, XHCI_EP_BULK_IN, 512, G_RINGS + 0x3000);
	ictx_put(4, 0, 2u << 10);
	at = cmd(G_INPUT_CTX, 0,
		 trb_type(XHCI_TRB_CONFIGURE_EP) | (uint32_t)slot << 24);
	assert_int_equal(ev_cmd(at, NULL), XHCI_CC_PARAMETER);
	/* Drop both bulk endpoints: back to Addressed. */
	ictx_clear();
	ictx_put(0, 0, 1u << 2 | 1u << 3);
	at = cmd(G_INPUT_CTX, 0,
		 trb_type(XHCI_TRB_CONFIGURE_EP) | (uint32_t)slot << 24);
	assert_int_equal(ev_cmd(at, NULL), XHCI_CC_SUCCESS);
	assert_int_equal(out_dw(slot, 0, 3) >> 27, XHCI_SLOT_ADDRESSED);
	assert_int_equal(out_dw(slot, 2, 0) & 7, XHCI_EP_DISABLED);
	/* Deconfigure. */
	assert_int_equal(
		configure_bulk(slot, G_RINGS + 0x1000, G_RINGS + 0x2000),
		XHCI_CC_SUCCESS);
	at = cmd(0, 0,
		 trb_type(XHCI_TRB_CONFIGURE_EP) | XHCI_TRB_DC |
			 (uint32_t)slot << 24);
	assert_int_equal(ev_cmd(at, NULL), XHCI_CC_SUCCESS);
	assert_int_equal(out_dw(slot, 0, 3) >> 27, XHCI_SLOT_ADDRESSED);
	assert_int_equal(out_dw(slot, 3, 0) & 7, XHCI_EP_DISABLED);
	/* Evaluate Context: EP0 max packet size, then 0 is refused. */
	ictx_clear();
	ictx_put(0, 1, 2);
	ictx_ep(1, XHCI_EP_CONTROL, 8, ep0.base);
	at = cmd(G_INPUT_CTX, 0,
		 trb_type(XHCI_TRB_EVALUATE_CTX) | (uint32_t)slot << 24);
	assert_int_equal(ev_cmd(at, NULL), XHCI_CC_SUCCESS);
	assert_int_equal(out_dw(slot, 1, 1) >> 16, 8);
	ictx_put(2, 1, XHCI_EP_CONTROL << 3);
	at = cmd(G_INPUT_CTX, 0,
		 trb_type(XHCI_TRB_EVALUATE_CTX) | (uint32_t)slot << 24);
	assert_int_equal(ev_cmd(at, NULL), XHCI_CC_PARAMETER);
	/* Reset Device: Default, endpoints gone; again is an error. */
	assert_int_equal(
		configure_bulk(slot, G_RINGS + 0x1000, G_RINGS + 0x2000),
		XHCI_CC_SUCCESS);
	at = cmd(0, 0, trb_type(XHCI_TRB_RESET_DEVICE) | (uint32_t)slot << 24);
	assert_int_equal(ev_cmd(at, NULL), XHCI_CC_SUCCESS);
	assert_int_equal(out_dw(slot, 0, 3) >> 27, XHCI_SLOT_DEFAULT);
	assert_int_equal(out_dw(slot, 0, 3) & 0xff, 0);
	assert_int_equal(out_dw(slot, 2, 0) & 7, XHCI_EP_DISABLED);
	at = cmd(0, 0, trb_type(XHCI_TRB_RESET_DEVICE) | (uint32_t)slot << 24);
	assert_int_equal(ev_cmd(at, NULL), XHCI_CC_CONTEXT_STATE);
	/* Endpoint commands on a disabled endpoint and on endpoint 0. */
	at = cmd(0, 0,
		 trb_type(XHCI_TRB_STOP_EP) | (uint32_t)slot << 24 | 5u << 16);
	assert_int_equal(ev_cmd(at, NULL), XHCI_CC_CONTEXT_STATE);
	at = cmd(0, 0, trb_type(XHCI_TRB_RESET_EP) | (uint32_t)slot << 24);
	assert_int_equal(ev_cmd(at, NULL), XHCI_CC_TRB);
	at = cmd(G_RINGS, 0,
		 trb_type(XHCI_TRB_SET_TR_DEQ) | (uint32_t)slot << 24 |
			 1u << 16);
	assert_int_equal(ev_cmd(at, NULL), XHCI_CC_CONTEXT_STATE);
}

static void test_async_command_and_abort(void **state)
{
	struct prod_ring ep0;
	uint64_t at, at2;
	uint8_t slot;
	struct xhci_trb t;

	(void)state;
	hc_default_start();
	assert_int_equal(xhci_port_connect(hc, 3, XHCI_SPEED_SUPER), 0);
	ev_drain_ports();
	slot = enable_slot();
	ring_init(&ep0, G_RINGS, 16);
	put64(G_DCBAA + 8u * slot, G_OUT_CTX);
	ictx_slot(3, 1, XHCI_SPEED_SUPER, 3);
	ictx_ep(1, XHCI_EP_CONTROL, 512, ep0.base);
	fake.command_ret = -EINPROGRESS;
	at = cmd(G_INPUT_CTX, 0,
		 trb_type(XHCI_TRB_ADDRESS_DEVICE) | (uint32_t)slot << 24);
	/* A No-op behind it waits too. */
	at2 = cmd(0, 0, trb_type(XHCI_TRB_NOOP_CMD));
	assert_false(ev_pop(&t));
	xhci_cmd_done(hc, fake.last_cmd.seq + 1, XHCI_CC_SUCCESS);
	assert_false(ev_pop(&t));
	xhci_cmd_done(hc, fake.last_cmd.seq, XHCI_CC_SUCCESS);
	assert_int_equal(ev_cmd(at, NULL), XHCI_CC_SUCCESS);
	assert_int_equal(out_dw(slot, 0, 3) >> 27, XHCI_SLOT_ADDRESSED);
	while (xhci_process(hc))
		;
	assert_int_equal(ev_cmd(at2, NULL), XHCI_CC_SUCCESS);
	/* A late duplicate is ignored. */
	xhci_cmd_done(hc, fake.last_cmd.seq, XHCI_CC_SUCCESS);
	assert_false(ev_pop(&t));
	/* Abort a pending command (the driver's 5 s timeout). */
	at = cmd(0, 0, trb_type(XHCI_TRB_RESET_DEVICE) | (uint32_t)slot << 24);
	assert_false(ev_pop(&t));
	assert_true(r32(XHCI_OP + XHCI_CRCR) & XHCI_CRCR_CRR);
	w64(XHCI_OP + XHCI_CRCR, XHCI_CRCR_CA);
	assert_false(r32(XHCI_OP + XHCI_CRCR) & XHCI_CRCR_CRR);
	assert_int_equal(ev_cmd(at, NULL), XHCI_CC_CMD_ABORTED);
	assert_true(ev_pop(&t));
	assert_int_equal(t.status >> 24, XHCI_CC_CMD_RING_STOPPED);
	assert_int_equal(t.param, at + 16);
	xhci_cmd_done(hc, fake.last_cmd.seq, XHCI_CC_SUCCESS);
	assert_false(ev_pop(&t));
	assert_int_equal(out_dw(slot, 0, 3) >> 27, XHCI_SLOT_ADDRESSED);
	/* The ring goes on at the next doorbell. */
	fake.command_ret = 0;
	at = cmd(0, 0, trb_type(XHCI_TRB_NOOP_CMD));
	assert_int_equal(ev_cmd(at, NULL), XHCI_CC_SUCCESS);
	/* Stop while idle: only Command Ring Stopped. */
	w32(XHCI_OP + XHCI_CRCR, XHCI_CRCR_CS);
	assert_true(ev_pop(&t));
	assert_int_equal(t.status >> 24, XHCI_CC_CMD_RING_STOPPED);
	/* Stopped: CRCR takes a new pointer and cycle. */
	ring_init(&cmd_ring, G_CMD_RING + 0x400, 8);
	w64(XHCI_OP + XHCI_CRCR, (G_CMD_RING + 0x400) | XHCI_CRCR_RCS);
	at = cmd(0, 0, trb_type(XHCI_TRB_NOOP_CMD));
	assert_int_equal(ev_cmd(at, NULL), XHCI_CC_SUCCESS);
}

static void test_hostile_command_rings(void **state)
{
	uint64_t at;
	struct xhci_trb t;

	(void)state;
	/* A command ring of nothing but a Link to itself. */
	hc_default_start();
	put_trb(G_CMD_RING, G_CMD_RING, 0,
		trb_type(XHCI_TRB_LINK) | XHCI_TRB_C);
	w32(XHCI_DBOFF, 0);
	assert_false(xhci_process(hc));
	assert_true(r32(XHCI_OP + XHCI_USBSTS) & XHCI_STS_HCE);
	assert_false(ev_pop(&t));
	/* Two Links pointing at each other, with toggles. */
	hc_default_start();
	put_trb(G_CMD_RING, G_CMD_RING + 0x100, 0,
		trb_type(XHCI_TRB_LINK) | XHCI_TRB_C | XHCI_TRB_TC);
	put_trb(G_CMD_RING + 0x100, G_CMD_RING, 0,
		trb_type(XHCI_TRB_LINK) | XHCI_TRB_TC);
	w32(XHCI_DBOFF, 0);
	assert_false(xhci_process(hc));
	assert_true(r32(XHCI_OP + XHCI_USBSTS) & XHCI_STS_HCE);
	/* A misaligned Link target. */
	hc_default_start();
	put_trb(G_CMD_RING, G_CMD_RING + 4, 0,
		trb_type(XHCI_TRB_LINK) | XHCI_TRB_C);
	w32(XHCI_DBOFF, 0);
	xhci_process(hc);
	assert_true(r32(XHCI_OP + XHCI_USBSTS) & XHCI_STS_HCE);
	/* The ring pointer outside guest memory. */
	hc_default_start();
	w32(XHCI_OP + XHCI_USBCMD, 0);
	w64(XHCI_OP + XHCI_CRCR, 0x7fffffffffc0ull | 1);
	w32(XHCI_OP + XHCI_USBCMD, XHCI_CMD_RUN);
	w32(XHCI_DBOFF, 0);
	xhci_process(hc);
	assert_true(r32(XHCI_OP + XHCI_USBSTS) & XHCI_STS_HCE);
	/* HCRST clears HCE and the ring works again. */
	hc_default_start();
	assert_false(r32(XHCI_OP + XHCI_USBSTS) & XHCI_STS_HCE);
	at = cmd(0, 0, trb_type(XHCI_TRB_NOOP_CMD));
	assert_int_equal(ev_cmd(at, NULL), XHCI_CC_SUCCESS);
	/* Doorbells with other targets, for absent slots, odd sizes. */
	w32(XHCI_DBOFF, 5);
	w32(XHCI_DBOFF + 4 * 3, 1);
	w32(XHCI_DBOFF + 4 * 200, 1);
	xhci_mmio_write(hc, XHCI_DBOFF + 2, 2, 0);
	assert_false(xhci_process(hc));
	assert_false(ev_pop(&t));
}

/* Ring a No-op n times and check each completion in order. */
static void noops(unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		uint64_t at = cmd(0, 0, trb_type(XHCI_TRB_NOOP_CMD));

		assert_int_equal(ev_cmd(at, NULL), XHCI_CC_SUCCESS);
	}
}

static void test_event_ring_segments(void **state)
{
	const struct xhci_config cfg = { .nr_usb2_ports = 1,
					 .max_slots = 1,
					 .nr_intrs = 1 };
	struct xhci_trb t;
	unsigned int i;

	(void)state;
	/* Three segments of 16: 100 events wrap twice, cycle toggles. */
	hc_start(&cfg, 3, 16);
	noops(100);
	assert_int_equal(hc->intr[0].er.lost, 0);
	/* Unread, the ring fills; Event Ring Full takes the last slot. */
	for (i = 0; i < 60; i++) {
		ring_push(&cmd_ring, 0, 0, trb_type(XHCI_TRB_NOOP_CMD));
		w32(XHCI_DBOFF, 0);
		xhci_process(hc);
	}
	assert_true(hc->intr[0].er.lost > 0);
	assert_int_equal(ev_count_pending(), 48);
	for (i = 0; i < 47; i++) {
		assert_true(ev_pop(&t));
		assert_int_equal(xhci_trb_type(&t), XHCI_TRB_CMD_COMPLETION);
	}
	assert_true(ev_pop(&t));
	assert_int_equal(xhci_trb_type(&t), XHCI_TRB_HOST_CONTROLLER);
	assert_int_equal(t.status >> 24, XHCI_CC_EVENT_RING_FULL);
	assert_false(ev_pop(&t));
	assert_int_equal(hc->intr[0].er.lost, 60 - 47);
	/* Once ERDP moved the ring takes events again. */
	noops(5);
}

static void test_event_ring_setup_errors(void **state)
{
	const struct xhci_config cfg = { .nr_usb2_ports = 1,
					 .max_slots = 1,
					 .nr_intrs = 1 };
	struct xhci_event_ring er;
	struct xhci_trb t;

	(void)state;
	/* ERSTSZ 0: the ring drops events, the controller survives. */
	hc_start(&cfg, 0, 16);
	cmd(0, 0, trb_type(XHCI_TRB_NOOP_CMD));
	assert_false(hc->intr[0].er.valid);
	assert_int_equal(hc->intr[0].er.lost, 1);
	assert_false(xhci_intr_want(hc, 0));
	/* Core checks directly: too many entries, misaligned, bad sizes. */
	put64(G_ERST, G_EVENT_SEGS);
	put32(G_ERST + 8, 16);
	assert_int_equal(
		xhci_er_reset(&er, &guest_mem, G_ERST, XHCI_ERST_MAX + 1),
		-EINVAL);
	assert_int_equal(xhci_er_reset(&er, &guest_mem, G_ERST + 8, 1),
			 -EINVAL);
	assert_int_equal(xhci_er_reset(&er, &guest_mem, 0x7fffffffffc0ull, 1),
			 -EFAULT);
	put32(G_ERST + 8, 8);
	assert_int_equal(xhci_er_reset(&er, &guest_mem, G_ERST, 1), -EINVAL);
	put32(G_ERST + 8, 4097);
	assert_int_equal(xhci_er_reset(&er, &guest_mem, G_ERST, 1), -EINVAL);
	put32(G_ERST + 8, 16);
	put64(G_ERST, G_EVENT_SEGS + 0x10);
	assert_int_equal(xhci_er_reset(&er, &guest_mem, G_ERST, 1), -EINVAL);
	assert_int_equal(xhci_er_push(&er, &guest_mem, xhci_event_host(1), 0),
			 -ENODEV);
	/* A segment outside memory: the ring goes invalid at the write. */
	put64(G_ERST, 0x7fffffff000ull);
	assert_int_equal(xhci_er_reset(&er, &guest_mem, G_ERST, 1), 0);
	assert_int_equal(xhci_er_push(&er, &guest_mem, xhci_event_host(1), 0),
			 -EFAULT);
	assert_false(er.valid);
	/* A broken second ERST entry, found when the ring gets there. */
	put64(G_ERST, G_EVENT_SEGS);
	put64(G_ERST + 16, 0);
	put32(G_ERST + 24, 0);
	assert_int_equal(xhci_er_reset(&er, &guest_mem, G_ERST, 2), 0);
	for (unsigned int i = 0; i < 15; i++)
		assert_int_equal(
			xhci_er_push(&er, &guest_mem, xhci_event_host(1), 1),
			0);
	assert_int_equal(xhci_er_push(&er, &guest_mem, xhci_event_host(1), 1),
			 -ENODEV);
	assert_false(er.valid);
	/* ERSTSZ above ERST Max through the registers. */
	hc_start(&cfg, 1, 16);
	w32(XHCI_RTSOFF + XHCI_IR0 + XHCI_ERSTSZ, XHCI_ERST_MAX + 1);
	w64(XHCI_RTSOFF + XHCI_IR0 + XHCI_ERSTBA, G_ERST);
	cmd(0, 0, trb_type(XHCI_TRB_NOOP_CMD));
	assert_false(hc->intr[0].er.valid);
	assert_false(ev_pop(&t));
}

static void test_ctx64(void **state)
{
	const struct xhci_config cfg = { .nr_usb2_ports = 1,
					 .nr_usb3_ports = 1,
					 .max_slots = 2,
					 .nr_intrs = 1,
					 .ctx64 = true };
	struct prod_ring ep0;
	uint8_t slot;

	(void)state;
	hc_start(&cfg, 1, 32);
	assert_true(r32(XHCI_CAP_HCCPARAMS1) & XHCI_HCC1_CSZ);
	assert_int_equal(xhci_port_connect(hc, 2, XHCI_SPEED_SUPER), 0);
	slot = enable_slot();
	ring_init(&ep0, G_RINGS, 16);
	assert_int_equal(
		address_device(slot, 2, XHCI_SPEED_SUPER, ep0.base, false),
		XHCI_CC_SUCCESS);
	assert_int_equal(out_dw(slot, 1, 0) & 7, XHCI_EP_RUNNING);
	assert_int_equal(out_dw(slot, 1, 1) >> 16, 64);
	assert_int_equal(get32(G_OUT_CTX + 32 + 4), 0);
}

static void test_partial_register_access(void **state)
{
	(void)state;
	hc_default_start();
	/* DCBAAP by halves and bytes; its low 6 bits are reserved. */
	xhci_mmio_write(hc, XHCI_OP + XHCI_DCBAAP + 4, 4, 0x12);
	xhci_mmio_write(hc, XHCI_OP + XHCI_DCBAAP, 2, 0x34ff);
	assert_int_equal(xhci_mmio_read(hc, XHCI_OP + XHCI_DCBAAP, 8),
			 0x12000034c0ull | (G_DCBAA & 0xffff0000u));
	/* USBSTS RW1C: writing 0 keeps, a byte write at offset 1 ignores. */
	cmd(0, 0, trb_type(XHCI_TRB_NOOP_CMD));
	xhci_intr_assert(hc, 0);
	xhci_mmio_write(hc, XHCI_OP + XHCI_USBSTS + 1, 1, 0xff);
	assert_true(r32(XHCI_OP + XHCI_USBSTS) & XHCI_STS_EINT);
	xhci_mmio_write(hc, XHCI_OP + XHCI_USBSTS, 1, XHCI_STS_EINT);
	assert_false(r32(XHCI_OP + XHCI_USBSTS) & XHCI_STS_EINT);
	/* CONFIG only while halted. */
	w32(XHCI_OP + XHCI_CONFIG, 1);
	assert_int_equal(r32(XHCI_OP + XHCI_CONFIG), 4);
	/* Writes to read-only and unmapped space change nothing. */
	w32(0, 0xffffffff);
	assert_int_equal(xhci_mmio_read(hc, 0, 1), XHCI_CAPLENGTH);
	w32(XHCI_XECP, 0);
	assert_int_equal(r32(XHCI_XECP) & 0xff, XHCI_EXT_CAP_PROTOCOL);
	xhci_mmio_write(hc, XHCI_BAR_SIZE - 1, 8, ~0ull);
	xhci_mmio_write(hc, 0x3ffd, 4, ~0ull);
	xhci_mmio_write(hc, 0x100, 5, ~0ull);
	assert_int_equal(r32(0x1800), 0);
	/* MFINDEX counts microframes while running. */
	fake.now += 125000 * 10;
	assert_int_equal(r32(XHCI_RTSOFF + XHCI_MFINDEX), 10);
	/* An interrupter the controller does not have reads 0. */
	assert_int_equal(r32(XHCI_RTSOFF + XHCI_IR0 + 3 * 32 + XHCI_IMOD), 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_trb_fields),
		T(test_capabilities),
		T(test_config_limits),
		T(test_start_noop_and_interrupt),
		T(test_interrupt_moderation),
		T(test_usb2_port_reset),
		T(test_port_reset_async),
		T(test_usb3_port),
		T(test_enable_address_bsr),
		T(test_address_errors),
		T(test_no_slots_and_disable),
		T(test_configure_evaluate_reset),
		T(test_async_command_and_abort),
		T(test_hostile_command_rings),
		T(test_event_ring_segments),
		T(test_event_ring_setup_errors),
		T(test_ctx64),
		T(test_partial_register_access),
	};

	return cmocka_run_group_tests_name("xhci", tests, NULL, NULL);
}
