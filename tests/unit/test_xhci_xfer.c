// SPDX-License-Identifier: BSD-3-Clause
/*
 * Unit tests for the xHCI core's transfer rings (kmod/lib/xhci_xfer.c):
 * control transfers with Setup/Data/Status, standard requests handed to
 * their own backend ops, bulk TDs with chain and immediate data, short
 * packets, several TDs in flight, Stop Endpoint with Set TR Dequeue,
 * halts, and hostile rings (links only, pointers outside memory, TRBs
 * where they may not be, TDs that never end).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "xhci_guest.h"
#include "xhci_isoch.h"

#define OUT_RING (G_RINGS + 0x1000)
#define IN_RING (G_RINGS + 0x2000)
#define DCI_OUT 2
#define DCI_IN 3

static struct prod_ring ep0, out, in;
static uint8_t slot;

static int setup(void **state)
{
	(void)state;
	guest_alloc();
	hc_default_start();
	slot = plug_and_address(&ep0);
	ring_init(&out, OUT_RING, 32);
	ring_init(&in, IN_RING, 32);
	assert_int_equal(configure_bulk(slot, OUT_RING, IN_RING),
			 XHCI_CC_SUCCESS);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	guest_free();
	return 0;
}

static uint64_t setup_packet(uint8_t type, uint8_t req, uint16_t value,
			     uint16_t index, uint16_t len)
{
	return type | (uint64_t)req << 8 | (uint64_t)value << 16 |
	       (uint64_t)index << 32 | (uint64_t)len << 48;
}

struct ctrl_td {
	uint64_t setup, data, status;
};

/* Queue Setup, Data (when len) and Status the way xhci_hcd does. */
static struct ctrl_td control_td(uint8_t type, uint8_t req, uint16_t value,
				 uint16_t index, uint16_t len)
{
	bool in_dir = type & 0x80;
	struct ctrl_td td = { 0, 0, 0 };
	uint32_t trt =
		!len ? XHCI_TRT_NO_DATA : (in_dir ? XHCI_TRT_IN : XHCI_TRT_OUT);

	td.setup =
		ring_push(&ep0, setup_packet(type, req, value, index, len), 8,
			  trb_type(XHCI_TRB_SETUP) | XHCI_TRB_IDT | trt << 16);
	if (len)
		td.data = ring_push(
			&ep0, G_DATA, len,
			trb_type(XHCI_TRB_DATA) |
				(in_dir ? XHCI_TRB_DIR_IN | XHCI_TRB_ISP : 0));
	td.status = ring_push(&ep0, 0, 0,
			      trb_type(XHCI_TRB_STATUS) | XHCI_TRB_IOC |
				      (in_dir && len ? 0 : XHCI_TRB_DIR_IN));
	return td;
}

static void expect_event(uint64_t ptr, uint8_t cc, uint32_t len)
{
	uint64_t p;
	uint32_t l;

	assert_int_equal(ev_xfer(&p, &l), cc);
	assert_int_equal(p, ptr);
	assert_int_equal(l, len);
}

/* A command on endpoint dci of the slot; returns its completion code. */
static uint8_t ep_cmd(unsigned int type, unsigned int dci, uint64_t param)
{
	return ev_cmd(cmd(param, 0,
			  trb_type(type) | (uint32_t)slot << 24 | dci << 16),
		      NULL);
}

static void expect_no_event(void)
{
	struct xhci_trb t;

	ev_drain_ports();
	assert_false(ev_pop(&t));
}

static void test_get_descriptor(void **state)
{
	struct ctrl_td td;

	(void)state;
	/* GET_DESCRIPTOR(DEVICE), 18 bytes. */
	td = control_td(0x80, 6, 0x0100, 0, 18);
	doorbell_run(slot, 1);
	assert_int_equal(fake.nr_control, 1);
	assert_true(fake.last.has_setup);
	assert_int_equal(fake.last.setup[1], 6);
	assert_int_equal(fake.last.setup[6], 18);
	assert_true(fake.last.in);
	assert_int_equal(fake.last.len, 18);
	assert_int_equal(fake.last.nr_segs, 1);
	assert_int_equal(fake.segs[0].gpa, G_DATA);
	assert_int_equal(fake.last.port, 1);
	assert_int_equal(fake.last.slot, slot);
	assert_int_equal(fake.last.dci, 1);
	assert_int_equal(fake.last.ep_addr, 0);
	assert_int_equal(fake.last.max_packet, 64);
	expect_no_event();
	xhci_xfer_done(hc, slot, 1, fake.last.id, XHCI_CC_SUCCESS, 18);
	expect_event(td.status, XHCI_CC_SUCCESS, 0);
	expect_no_event();
	/* The first 8 bytes only (a short packet): Data, then Status. */
	td = control_td(0x80, 6, 0x0100, 0, 64);
	doorbell_run(slot, 1);
	xhci_xfer_done(hc, slot, 1, fake.last.id, XHCI_CC_SUCCESS, 8);
	expect_event(td.data, XHCI_CC_SHORT_PACKET, 56);
	expect_event(td.status, XHCI_CC_SUCCESS, 0);
	/* Unknown ids, slots and endpoints are ignored. */
	xhci_xfer_done(hc, slot, 1, fake.last.id, XHCI_CC_SUCCESS, 8);
	xhci_xfer_done(hc, slot, 1, 0xdead, XHCI_CC_SUCCESS, 8);
	xhci_xfer_done(hc, 0, 1, fake.last.id, XHCI_CC_SUCCESS, 8);
	xhci_xfer_done(hc, 99, 1, fake.last.id, XHCI_CC_SUCCESS, 8);
	xhci_xfer_done(hc, slot, 0, fake.last.id, XHCI_CC_SUCCESS, 8);
	xhci_xfer_done(hc, slot, 32, fake.last.id, XHCI_CC_SUCCESS, 8);
	expect_no_event();
}

static void finish_control(const struct ctrl_td *td);

/* A control read of len bytes of which the device gives got; checks events. */
static void control_read(uint16_t value, uint16_t len, uint16_t got)
{
	struct ctrl_td td = control_td(0x80, 6, value, 0, len);

	doorbell_run(slot, 1);
	assert_int_equal(fake.last.setup[6], len & 0xff);
	xhci_xfer_done(hc, slot, 1, fake.last.id, XHCI_CC_SUCCESS, got);
	if (got < len)
		expect_event(td.data, XHCI_CC_SHORT_PACKET, len - got);
	expect_event(td.status, XHCI_CC_SUCCESS, 0);
}

/* Linux's xhci_hcd and hub driver enumerating a mass-storage device. */
static void test_linux_enumeration(void **state)
{
	struct ctrl_td td;
	uint64_t at, cbw, data;

	(void)state;
	/* xhci_init/xhci_run: reset, caps, DCBAAP, CRCR, ERST, R/S. */
	hc_default_start();
	assert_int_equal(r32(XHCI_CAP_HCSPARAMS1) >> 24, 4);
	/* hub_port_connect: the device, a port reset, the changes cleared. */
	assert_int_equal(xhci_port_connect(hc, 1, XHCI_SPEED_HIGH), 0);
	ev_drain_ports();
	w32(XHCI_PORTS, XHCI_PORTSC_PP | XHCI_PORTSC_CSC);
	w32(XHCI_PORTS, XHCI_PORTSC_PP | XHCI_PORTSC_PR);
	while (xhci_process(hc))
		;
	assert_true(r32(XHCI_PORTS) & XHCI_PORTSC_PRC);
	w32(XHCI_PORTS, XHCI_PORTSC_PP | XHCI_PORTSC_PRC);
	ev_drain_ports();
	/* xhci_alloc_dev, xhci_enable_device (BSR=1), GET_DESCRIPTOR(64). */
	slot = enable_slot();
	assert_int_equal(slot, 1);
	ring_init(&ep0, G_RINGS, 16);
	assert_int_equal(
		address_device(slot, 1, XHCI_SPEED_HIGH, ep0.base, true),
		XHCI_CC_SUCCESS);
	control_read(0x0100, 64, 18);
	/* hub_set_address: Address Device (BSR=0); no SET_ADDRESS goes out. */
	assert_int_equal(address_device(slot, 1, XHCI_SPEED_HIGH,
					ep0.base + 16u * ep0.idx, false),
			 XHCI_CC_SUCCESS);
	assert_int_equal(out_dw(slot, 0, 3) & 0xff, slot);
	ring_init(&ep0, ep0.base + 16u * ep0.idx, 16 - ep0.idx);
	/* usb_new_device: device and configuration descriptors. */
	control_read(0x0100, 18, 18);
	control_read(0x0200, 9, 9);
	control_read(0x0200, 32, 32);
	assert_int_equal(fake.nr_control, 4);
	/* usb_set_configuration: Configure Endpoint, SET_CONFIGURATION. */
	ring_init(&out, OUT_RING, 32);
	ring_init(&in, IN_RING, 32);
	assert_int_equal(configure_bulk(slot, OUT_RING, IN_RING),
			 XHCI_CC_SUCCESS);
	td = control_td(0x00, 9, 1, 0, 0);
	doorbell_run(slot, 1);
	assert_int_equal(fake.config_value, 1);
	finish_control(&td);
	/* usb-storage: a 31-byte CBW out, 36 bytes of INQUIRY data in. */
	cbw = ring_push(&out, G_DATA, 31,
			trb_type(XHCI_TRB_NORMAL) | XHCI_TRB_IOC);
	doorbell_run(slot, DCI_OUT);
	data = ring_push(&in, G_DATA + 0x1000, 36,
			 trb_type(XHCI_TRB_NORMAL) | XHCI_TRB_ISP |
				 XHCI_TRB_IOC);
	doorbell_run(slot, DCI_IN);
	assert_int_equal(fake.nr_submit, 2);
	xhci_xfer_done(hc, slot, DCI_OUT, fake.last.id - 1, XHCI_CC_SUCCESS,
		       31);
	xhci_xfer_done(hc, slot, DCI_IN, fake.last.id, XHCI_CC_SUCCESS, 36);
	expect_event(cbw, XHCI_CC_SUCCESS, 0);
	expect_event(data, XHCI_CC_SUCCESS, 0);
	/* usb_disconnect: Disable Slot. */
	at = cmd(0, 0, trb_type(XHCI_TRB_DISABLE_SLOT) | (uint32_t)slot << 24);
	assert_int_equal(ev_cmd(at, NULL), XHCI_CC_SUCCESS);
	expect_no_event();
}

static void test_control_stall(void **state)
{
	struct ctrl_td td, next;

	(void)state;
	td = control_td(0x80, 6, 0x0300, 0, 255);
	next = control_td(0x80, 6, 0x0100, 0, 18);
	doorbell_run(slot, 1);
	assert_int_equal(fake.nr_control, 2);
	xhci_xfer_done(hc, slot, 1, fake.last.id - 1, XHCI_CC_STALL, 0);
	expect_event(td.data, XHCI_CC_STALL, 255);
	/* Halted: the context points at the TD, the next one is cancelled. */
	assert_int_equal(out_dw(slot, 1, 0) & 7, XHCI_EP_HALTED);
	assert_int_equal(out_dw(slot, 1, 2), (uint32_t)td.setup | 1);
	assert_int_equal(fake.nr_cancel, 1);
	assert_int_equal(fake.cancelled[0], fake.last.id);
	xhci_xfer_done(hc, slot, 1, fake.last.id, XHCI_CC_STOPPED, 0);
	expect_no_event();
	/* The doorbell does not restart a halted endpoint. */
	doorbell_run(slot, 1);
	assert_int_equal(fake.nr_control, 2);
	/* Reset Endpoint, Set TR Dequeue past the stalled TD, doorbell. */
	assert_int_equal(ep_cmd(XHCI_TRB_RESET_EP, 1u, 0), XHCI_CC_SUCCESS);
	assert_int_equal(out_dw(slot, 1, 0) & 7, XHCI_EP_STOPPED);
	assert_int_equal(ep_cmd(XHCI_TRB_SET_TR_DEQ, 1u, next.setup | 1),
			 XHCI_CC_SUCCESS);
	doorbell_run(slot, 1);
	assert_int_equal(fake.nr_control, 3);
	assert_int_equal(fake.last.setup[2], 0);
	xhci_xfer_done(hc, slot, 1, fake.last.id, XHCI_CC_SUCCESS, 18);
	expect_event(next.status, XHCI_CC_SUCCESS, 0);
	/* Reset Endpoint on a running endpoint. */
	assert_int_equal(ep_cmd(XHCI_TRB_RESET_EP, 1u, 0),
			 XHCI_CC_CONTEXT_STATE);
	/* A stall reported at once by the backend. */
	fake.xfer_ret = -EPIPE;
	td = control_td(0x00, 0x03, 1, 0, 0);
	doorbell_run(slot, 1);
	expect_event(td.status, XHCI_CC_STALL, 0);
	assert_int_equal(out_dw(slot, 1, 0) & 7, XHCI_EP_HALTED);
}

/*
 * The driver's recovery of a halted EP0 with a doorbell latched before:
 * Reset Endpoint leaves it Stopped without taking a TD, Set TR Dequeue
 * moves to next (a GET_DESCRIPTOR(DEVICE) of 18 bytes), and only the
 * doorbell after them runs it.
 */
static void recover_ep0_at(const struct ctrl_td *next)
{
	unsigned int handed_out = fake.nr_control;

	assert_int_equal(ep_cmd(XHCI_TRB_RESET_EP, 1u, 0), XHCI_CC_SUCCESS);
	assert_int_equal(out_dw(slot, 1, 0) & 7, XHCI_EP_STOPPED);
	assert_int_equal(fake.nr_control, handed_out);
	assert_int_equal(ep_cmd(XHCI_TRB_SET_TR_DEQ, 1u, next->setup | 1),
			 XHCI_CC_SUCCESS);
	doorbell_run(slot, 1);
	assert_int_equal(fake.nr_control, handed_out + 1);
	assert_int_equal(fake.last.setup[3], 0x01);
	xhci_xfer_done(hc, slot, 1, fake.last.id, XHCI_CC_SUCCESS, 18);
	expect_event(next->status, XHCI_CC_SUCCESS, 0);
	expect_no_event();
}

/*
 * usbtest 10 found this: usbtest resubmits control URBs from completions,
 * so xhci_hcd rings EP0's doorbell after a stall was posted but before it
 * read it. That doorbell, rung while the endpoint is Halted, must be
 * dropped; kept, it restarted the endpoint at the stalled TD as soon as
 * Reset Endpoint made it Stopped, before Set TR Dequeue moved past it.
 */
static void test_doorbell_while_halted(void **state)
{
	struct ctrl_td td, next;

	(void)state;
	td = control_td(0x80, 6, 0x0400, 0, 9);
	next = control_td(0x80, 6, 0x0100, 0, 18);
	doorbell_run(slot, 1);
	assert_int_equal(fake.nr_control, 2);
	xhci_xfer_done(hc, slot, 1, fake.last.id - 1, XHCI_CC_STALL, 0);
	expect_event(td.data, XHCI_CC_STALL, 9);
	xhci_xfer_done(hc, slot, 1, fake.last.id, XHCI_CC_STOPPED, 0);
	expect_no_event();
	/* Rung while Halted; the core runs only with the next command. */
	w32(XHCI_DBOFF + 4u * slot, 1);
	recover_ep0_at(&next);
}

/*
 * usbtest 10 at SuperSpeed found this: xhci_hcd queues the next control
 * TD and rings EP0's doorbell while the endpoint still runs, and the TD
 * before it stalls before the core acted on that doorbell. The doorbell
 * was for the Running endpoint; kept, it restarted the endpoint at the
 * stalled TD as soon as Reset Endpoint made it Stopped, Set TR Dequeue
 * then found it Running, and the stall came again for a TD the driver
 * had given back.
 */
static void test_doorbell_before_halt(void **state)
{
	struct ctrl_td td, next;

	(void)state;
	td = control_td(0x80, 6, 0x0600, 0, 10);
	doorbell_run(slot, 1);
	assert_int_equal(fake.nr_control, 1);
	next = control_td(0x80, 6, 0x0100, 0, 18);
	w32(XHCI_DBOFF + 4u * slot, 1);
	xhci_xfer_done(hc, slot, 1, fake.last.id, XHCI_CC_STALL, 0);
	expect_event(td.data, XHCI_CC_STALL, 10);
	assert_int_equal(out_dw(slot, 1, 0) & 7, XHCI_EP_HALTED);
	recover_ep0_at(&next);
}

/* The backend finished the last TD on EP0: Success at the Status TRB. */
static void finish_control(const struct ctrl_td *td)
{
	xhci_xfer_done(hc, slot, 1, fake.last.id, XHCI_CC_SUCCESS, 0);
	expect_event(td->status, XHCI_CC_SUCCESS, 0);
}

static void test_standard_requests(void **state)
{
	struct ctrl_td td;

	(void)state;
	/* SET_ADDRESS is the controller's: completed without the backend. */
	td = control_td(0x00, 5, 7, 0, 0);
	doorbell_run(slot, 1);
	expect_event(td.status, XHCI_CC_SUCCESS, 0);
	assert_int_equal(fake.nr_control, 0);
	td = control_td(0x00, 9, 1, 0, 0);
	doorbell_run(slot, 1);
	assert_int_equal(fake.nr_set_config, 1);
	assert_int_equal(fake.config_value, 1);
	finish_control(&td);
	td = control_td(0x01, 11, 2, 1, 0);
	doorbell_run(slot, 1);
	assert_int_equal(fake.nr_set_interface, 1);
	assert_int_equal(fake.intf, 1);
	assert_int_equal(fake.alt, 2);
	finish_control(&td);
	td = control_td(0x02, 1, 0, 0x81, 0);
	doorbell_run(slot, 1);
	assert_int_equal(fake.nr_clear_halt, 1);
	assert_int_equal(fake.halt_ep, 0x81);
	finish_control(&td);
	/* CLEAR_FEATURE of another feature, and a vendor OUT request. */
	control_td(0x02, 1, 5, 0x81, 0);
	control_td(0x40, 0x33, 0, 0, 4);
	doorbell_run(slot, 1);
	assert_int_equal(fake.nr_control, 2);
	assert_false(fake.last.in);
	assert_int_equal(fake.last.len, 4);
}

static void test_bulk_chain_and_idt(void **state)
{
	uint64_t a, b, c, d;

	(void)state;
	/* Three chained Normal TRBs, IOC on the last. */
	ring_push(&out, G_DATA, 100, trb_type(XHCI_TRB_NORMAL) | XHCI_TRB_CH);
	ring_push(&out, G_DATA + 0x1000, 200 | 1u << 17,
		  trb_type(XHCI_TRB_NORMAL) | XHCI_TRB_CH);
	c = ring_push(&out, G_DATA + 0x2000, 300,
		      trb_type(XHCI_TRB_NORMAL) | XHCI_TRB_IOC);
	doorbell_run(slot, DCI_OUT);
	assert_int_equal(fake.nr_submit, 1);
	assert_int_equal(fake.last.nr_segs, 3);
	assert_int_equal(fake.last.len, 600);
	assert_int_equal(fake.last.ep_addr, 0x01);
	assert_int_equal(fake.last.ep_type, XHCI_EP_BULK_OUT);
	assert_int_equal(fake.last.max_packet, 512);
	assert_false(fake.last.in);
	assert_int_equal(fake.segs[1].gpa, G_DATA + 0x1000);
	assert_int_equal(fake.segs[1].len, 200);
	xhci_xfer_done(hc, slot, DCI_OUT, fake.last.id, XHCI_CC_SUCCESS, 600);
	expect_event(c, XHCI_CC_SUCCESS, 0);
	/* Immediate data: the bytes are in the parameter. */
	d = ring_push(&out, 0x0807060504030201ull, 8,
		      trb_type(XHCI_TRB_NORMAL) | XHCI_TRB_IDT | XHCI_TRB_IOC);
	doorbell_run(slot, DCI_OUT);
	assert_true(fake.segs[0].immediate);
	assert_int_equal(fake.segs[0].gpa, 0x0807060504030201ull);
	xhci_xfer_done(hc, slot, DCI_OUT, fake.last.id, XHCI_CC_SUCCESS, 8);
	expect_event(d, XHCI_CC_SUCCESS, 0);
	/* A zero-length packet is a TD of one empty TRB. */
	d = ring_push(&out, 0, 0, trb_type(XHCI_TRB_NORMAL) | XHCI_TRB_IOC);
	doorbell_run(slot, DCI_OUT);
	assert_int_equal(fake.nr_submit, 3);
	assert_int_equal(fake.last.len, 0);
	assert_int_equal(fake.last.nr_segs, 1);
	xhci_xfer_done(hc, slot, DCI_OUT, fake.last.id, XHCI_CC_SUCCESS, 0);
	expect_event(d, XHCI_CC_SUCCESS, 0);
	/* Bulk IN with ISP everywhere: short in the second TRB. */
	ring_push(&in, G_DATA, 100,
		  trb_type(XHCI_TRB_NORMAL) | XHCI_TRB_CH | XHCI_TRB_ISP);
	b = ring_push(&in, G_DATA + 100, 100,
		      trb_type(XHCI_TRB_NORMAL) | XHCI_TRB_CH | XHCI_TRB_ISP);
	ring_push(&in, G_DATA + 200, 100,
		  trb_type(XHCI_TRB_NORMAL) | XHCI_TRB_ISP | XHCI_TRB_IOC);
	doorbell_run(slot, DCI_IN);
	assert_true(fake.last.in);
	assert_int_equal(fake.last.ep_addr, 0x81);
	xhci_xfer_done(hc, slot, DCI_IN, fake.last.id, XHCI_CC_SUCCESS, 150);
	expect_event(b, XHCI_CC_SHORT_PACKET, 50);
	expect_no_event();
	/* Without ISP the IOC TRB reports the short TD. */
	ring_push(&in, G_DATA, 100, trb_type(XHCI_TRB_NORMAL) | XHCI_TRB_CH);
	a = ring_push(&in, G_DATA + 100, 100,
		      trb_type(XHCI_TRB_NORMAL) | XHCI_TRB_IOC);
	doorbell_run(slot, DCI_IN);
	xhci_xfer_done(hc, slot, DCI_IN, fake.last.id, XHCI_CC_SUCCESS, 30);
	expect_event(a, XHCI_CC_SHORT_PACKET, 170);
	/* More than reported is clamped to the TD. */
	a = ring_push(&in, G_DATA, 64,
		      trb_type(XHCI_TRB_NORMAL) | XHCI_TRB_IOC);
	doorbell_run(slot, DCI_IN);
	xhci_xfer_done(hc, slot, DCI_IN, fake.last.id, XHCI_CC_SUCCESS, 9999);
	expect_event(a, XHCI_CC_SUCCESS, 0);
}

/*
 * usbtest 13 found this: xhci_hcd sends a bulk OUT URB with
 * URB_ZERO_PACKET as two TDs, the data and an empty one. On a halted
 * device both stall; after Reset Endpoint and Set TR Dequeue the empty TD
 * runs again and stalls again. Its one TRB moved all of its zero bytes,
 * which must not make its event a Success: the driver takes that first
 * event as the URB's status.
 */
static void test_bulk_stall_zero_length(void **state)
{
	uint64_t data, zlp;
	uint32_t first;

	(void)state;
	data = ring_push(&out, G_DATA, 512,
			 trb_type(XHCI_TRB_NORMAL) | XHCI_TRB_IOC);
	zlp = ring_push(&out, 0, 0, trb_type(XHCI_TRB_NORMAL) | XHCI_TRB_IOC);
	doorbell_run(slot, DCI_OUT);
	assert_int_equal(fake.nr_submit, 2);
	first = fake.last.id - 1;
	xhci_xfer_done(hc, slot, DCI_OUT, first, XHCI_CC_STALL, 0);
	expect_event(data, XHCI_CC_STALL, 512);
	expect_no_event();
	assert_int_equal(out_dw(slot, DCI_OUT, 0) & 7, XHCI_EP_HALTED);
	xhci_xfer_done(hc, slot, DCI_OUT, first + 1, XHCI_CC_STALL, 0);
	expect_no_event();
	assert_int_equal(ep_cmd(XHCI_TRB_RESET_EP, DCI_OUT, 0),
			 XHCI_CC_SUCCESS);
	assert_int_equal(ep_cmd(XHCI_TRB_SET_TR_DEQ, DCI_OUT, zlp | 1),
			 XHCI_CC_SUCCESS);
	doorbell_run(slot, DCI_OUT);
	assert_int_equal(fake.nr_submit, 3);
	assert_int_equal(fake.last.len, 0);
	xhci_xfer_done(hc, slot, DCI_OUT, fake.last.id, XHCI_CC_STALL, 0);
	expect_event(zlp, XHCI_CC_STALL, 0);
	expect_no_event();
	assert_int_equal(out_dw(slot, DCI_OUT, 0) & 7, XHCI_EP_HALTED);
	/* The same for a TD whose bytes all moved before the error. */
	assert_int_equal(ep_cmd(XHCI_TRB_RESET_EP, DCI_OUT, 0),
			 XHCI_CC_SUCCESS);
	data = ring_push(&out, G_DATA, 64,
			 trb_type(XHCI_TRB_NORMAL) | XHCI_TRB_IOC);
	assert_int_equal(ep_cmd(XHCI_TRB_SET_TR_DEQ, DCI_OUT, data | 1),
			 XHCI_CC_SUCCESS);
	doorbell_run(slot, DCI_OUT);
	xhci_xfer_done(hc, slot, DCI_OUT, fake.last.id, XHCI_CC_USB_TRANSACTION,
		       64);
	expect_event(data, XHCI_CC_USB_TRANSACTION, 0);
	expect_no_event();
}

/*
 * A TD queued on the OUT endpoint, its doorbell rung and, before the core
 * acted on it, Stop Endpoint: Stopped at that TD, which the driver then
 * skips with Set TR Dequeue.
 */
static void stop_with_doorbell_latched(void)
{
	uint64_t td = ring_push(&out, G_DATA, 512,
				trb_type(XHCI_TRB_NORMAL) | XHCI_TRB_IOC);

	w32(XHCI_DBOFF + 4u * slot, DCI_OUT);
	assert_int_equal(ep_cmd(XHCI_TRB_STOP_EP, DCI_OUT, 0), XHCI_CC_SUCCESS);
	assert_int_equal(out_dw(slot, DCI_OUT, 0) & 7, XHCI_EP_STOPPED);
	assert_int_equal(out_dw(slot, DCI_OUT, 2), (uint32_t)td | 1);
	assert_int_equal(ep_cmd(XHCI_TRB_SET_TR_DEQ, DCI_OUT, (td + 16) | 1),
			 XHCI_CC_SUCCESS);
}

/*
 * usbtest 12 at SuperSpeed found this: usbtest resubmits a URB from the
 * completion of the one before and unlinks it at once, so xhci_hcd rings
 * the doorbell and then asks for Stop Endpoint, and the core handles both
 * in one run. The doorbell came first: it must not restart the endpoint
 * the Stop stopped, or Set TR Dequeue finds it Running and the driver
 * gets events for TDs it cancelled.
 */
static void test_doorbell_before_stop(void **state)
{
	uint64_t a;

	(void)state;
	a = ring_push(&out, G_DATA, 512,
		      trb_type(XHCI_TRB_NORMAL) | XHCI_TRB_IOC);
	doorbell_run(slot, DCI_OUT);
	xhci_xfer_done(hc, slot, DCI_OUT, fake.last.id, XHCI_CC_SUCCESS, 512);
	expect_event(a, XHCI_CC_SUCCESS, 0);
	stop_with_doorbell_latched();
	expect_no_event();
}

/*
 * The same on a Stopped endpoint (usbtest 11 and 12, found with the
 * worker slowed down): the driver queues a TD on the endpoint it just
 * stopped, rings the doorbell and unlinks the URB at once. The doorbell
 * restarted the endpoint, so the Stop stops it: refused, the doorbell
 * restarted it after the driver took it for Stopped and Set TR Dequeue
 * found it Running.
 */
static void test_doorbell_before_stop_when_stopped(void **state)
{
	unsigned int submitted;

	(void)state;
	assert_int_equal(ep_cmd(XHCI_TRB_STOP_EP, DCI_OUT, 0), XHCI_CC_SUCCESS);
	assert_int_equal(out_dw(slot, DCI_OUT, 0) & 7, XHCI_EP_STOPPED);
	submitted = fake.nr_submit;
	stop_with_doorbell_latched();
	assert_int_equal(fake.nr_submit, submitted);
	/* Without a doorbell, Stop Endpoint on a Stopped one is refused. */
	assert_int_equal(ep_cmd(XHCI_TRB_STOP_EP, DCI_OUT, 0),
			 XHCI_CC_CONTEXT_STATE);
	expect_no_event();
}

static void test_inflight_order_and_limit(void **state)
{
	uint64_t at[XHCI_EP_INFLIGHT + 4];
	uint32_t first;
	unsigned int i;

	(void)state;
	ring_init(&out, OUT_RING, 64);
	for (i = 0; i < XHCI_EP_INFLIGHT + 4; i++)
		at[i] = ring_push(&out, G_DATA, 10,
				  trb_type(XHCI_TRB_NORMAL) | XHCI_TRB_IOC);
	doorbell_run(slot, DCI_OUT);
	assert_int_equal(fake.nr_submit, XHCI_EP_INFLIGHT);
	first = fake.last.id - (XHCI_EP_INFLIGHT - 1);
	/* Completed out of order, reported in ring order. */
	xhci_xfer_done(hc, slot, DCI_OUT, first + 2, XHCI_CC_SUCCESS, 10);
	xhci_xfer_done(hc, slot, DCI_OUT, first + 1, XHCI_CC_SUCCESS, 10);
	expect_no_event();
	xhci_xfer_done(hc, slot, DCI_OUT, first, XHCI_CC_SUCCESS, 10);
	expect_event(at[0], XHCI_CC_SUCCESS, 0);
	expect_event(at[1], XHCI_CC_SUCCESS, 0);
	expect_event(at[2], XHCI_CC_SUCCESS, 0);
	/* Room again: the next process hands the rest out. */
	while (xhci_process(hc))
		;
	assert_int_equal(fake.nr_submit, XHCI_EP_INFLIGHT + 3);
	xhci_process(hc);
	assert_int_equal(fake.nr_submit, XHCI_EP_INFLIGHT + 3);
}

static void test_process_budget(void **state)
{
	unsigned int td, i;

	(void)state;
	/* Six TDs of 250 TRBs: more than one xhci_process call's budget. */
	assert_int_equal(
		ep_cmd(XHCI_TRB_STOP_EP, DCI_OUT, (G_RINGS + 0x4000) | 1),
		XHCI_CC_SUCCESS);
	ring_init(&out, G_RINGS + 0x4000, 1600);
	assert_int_equal(
		ep_cmd(XHCI_TRB_SET_TR_DEQ, DCI_OUT, (G_RINGS + 0x4000) | 1),
		XHCI_CC_SUCCESS);
	for (td = 0; td < 6; td++)
		for (i = 0; i < 250; i++)
			ring_push(&out, G_DATA, 1,
				  trb_type(XHCI_TRB_NORMAL) |
					  (i < 249 ? XHCI_TRB_CH : 0));
	w32(XHCI_DBOFF + 4u * slot, DCI_OUT);
	assert_true(xhci_process(hc));
	assert_int_equal(fake.nr_submit, 5);
	assert_false(xhci_process(hc));
	assert_int_equal(fake.nr_submit, 6);
	assert_int_equal(fake.last.len, 250);
}

static void test_stop_and_set_dequeue(void **state)
{
	uint64_t a, b, at;
	struct xhci_trb t;

	(void)state;
	/* Stop with nothing in flight completes at once. */
	assert_int_equal(ep_cmd(XHCI_TRB_STOP_EP, DCI_OUT, 0), XHCI_CC_SUCCESS);
	assert_int_equal(out_dw(slot, 2, 0) & 7, XHCI_EP_STOPPED);
	assert_int_equal(out_dw(slot, 2, 2), (uint32_t)OUT_RING | 1);
	assert_int_equal(ep_cmd(XHCI_TRB_STOP_EP, DCI_OUT, 0),
			 XHCI_CC_CONTEXT_STATE);
	/* The doorbell restarts it; a TD goes out. */
	a = ring_push(&out, G_DATA, 512,
		      trb_type(XHCI_TRB_NORMAL) | XHCI_TRB_IOC);
	b = ring_push(&out, G_DATA, 512,
		      trb_type(XHCI_TRB_NORMAL) | XHCI_TRB_IOC);
	doorbell_run(slot, DCI_OUT);
	assert_int_equal(fake.nr_submit, 2);
	/* Stop: both cancelled, the command waits for them. */
	at = cmd(0, 0,
		 trb_type(XHCI_TRB_STOP_EP) | (uint32_t)slot << 24 |
			 DCI_OUT << 16);
	assert_int_equal(fake.nr_cancel, 2);
	assert_false(ev_pop(&t));
	/* The first had completed anyway, the second was stopped. */
	xhci_xfer_done(hc, slot, DCI_OUT, fake.cancelled[0], XHCI_CC_SUCCESS,
		       512);
	expect_event(a, XHCI_CC_SUCCESS, 0);
	xhci_xfer_done(hc, slot, DCI_OUT, fake.cancelled[1], XHCI_CC_STOPPED,
		       0);
	expect_event(b, XHCI_CC_STOPPED_LENGTH_INVALID, 0);
	assert_int_equal(ev_cmd(at, NULL), XHCI_CC_SUCCESS);
	assert_int_equal(out_dw(slot, 2, 0) & 7, XHCI_EP_STOPPED);
	assert_int_equal(out_dw(slot, 2, 2), (uint32_t)b | 1);
	/* Set TR Dequeue: pointer 0, a stream, then past the TD. */
	assert_int_equal(ep_cmd(XHCI_TRB_SET_TR_DEQ, DCI_OUT, 0), XHCI_CC_TRB);
	at = cmd((b + 16) | 1, 1u << 16,
		 trb_type(XHCI_TRB_SET_TR_DEQ) | (uint32_t)slot << 24 |
			 DCI_OUT << 16);
	assert_int_equal(ev_cmd(at, NULL), XHCI_CC_TRB);
	assert_int_equal(ep_cmd(XHCI_TRB_SET_TR_DEQ, DCI_OUT, (b + 16) | 1),
			 XHCI_CC_SUCCESS);
	assert_int_equal(out_dw(slot, 2, 2), (uint32_t)(b + 16) | 1);
	a = ring_push(&out, G_DATA, 1,
		      trb_type(XHCI_TRB_NORMAL) | XHCI_TRB_IOC);
	doorbell_run(slot, DCI_OUT);
	assert_int_equal(fake.nr_submit, 3);
	assert_int_equal(out_dw(slot, 2, 0) & 7, XHCI_EP_RUNNING);
	xhci_xfer_done(hc, slot, DCI_OUT, fake.last.id, XHCI_CC_SUCCESS, 1);
	expect_event(a, XHCI_CC_SUCCESS, 0);
	/* Set TR Dequeue on a running endpoint. */
	assert_int_equal(ep_cmd(XHCI_TRB_SET_TR_DEQ, DCI_OUT, OUT_RING | 1),
			 XHCI_CC_CONTEXT_STATE);
	/* A TD stopped after part of its data: Stopped where it ended. */
	ring_push(&in, G_DATA, 100, trb_type(XHCI_TRB_NORMAL) | XHCI_TRB_CH);
	b = ring_push(&in, G_DATA + 100, 100,
		      trb_type(XHCI_TRB_NORMAL) | XHCI_TRB_IOC);
	doorbell_run(slot, DCI_IN);
	at = cmd(0, 0,
		 trb_type(XHCI_TRB_STOP_EP) | (uint32_t)slot << 24 |
			 DCI_IN << 16);
	xhci_xfer_done(hc, slot, DCI_IN, fake.last.id, XHCI_CC_STOPPED, 150);
	expect_event(b, XHCI_CC_STOPPED, 50);
	assert_int_equal(ev_cmd(at, NULL), XHCI_CC_SUCCESS);
	assert_int_equal(out_dw(slot, DCI_IN, 2), (uint32_t)IN_RING | 1);
}

/* After a TRB Error: Reset Endpoint, point at a fresh ring, run again. */
static void recover(uint8_t dci, struct prod_ring *r, uint64_t base)
{
	assert_int_equal(out_dw(slot, dci, 0) & 7, XHCI_EP_HALTED);
	assert_int_equal(ep_cmd(XHCI_TRB_RESET_EP, dci, 0), XHCI_CC_SUCCESS);
	ring_init(r, base, 32);
	assert_int_equal(ep_cmd(XHCI_TRB_SET_TR_DEQ, dci, base | 1),
			 XHCI_CC_SUCCESS);
}

static void test_trb_errors(void **state)
{
	uint64_t a, b;
	unsigned int i;

	(void)state;
	/* A Setup TRB on a bulk ring. */
	a = ring_push(&out, setup_packet(0, 9, 1, 0, 0), 8,
		      trb_type(XHCI_TRB_SETUP) | XHCI_TRB_IDT);
	doorbell_run(slot, DCI_OUT);
	expect_event(a, XHCI_CC_TRB, 0);
	assert_int_equal(fake.nr_submit, 0);
	recover(DCI_OUT, &out, OUT_RING);
	/* Immediate data on an IN endpoint, and more than 8 bytes of it. */
	a = ring_push(&in, 0, 4, trb_type(XHCI_TRB_NORMAL) | XHCI_TRB_IDT);
	doorbell_run(slot, DCI_IN);
	expect_event(a, XHCI_CC_TRB, 0);
	recover(DCI_IN, &in, IN_RING);
	a = ring_push(&out, 0, 9, trb_type(XHCI_TRB_NORMAL) | XHCI_TRB_IDT);
	doorbell_run(slot, DCI_OUT);
	expect_event(a, XHCI_CC_TRB, 0);
	recover(DCI_OUT, &out, OUT_RING);
	/* Isoch TRB on bulk; an event TRB type on a transfer ring. */
	a = ring_push(&out, G_DATA, 4, trb_type(XHCI_TRB_ISOCH));
	doorbell_run(slot, DCI_OUT);
	expect_event(a, XHCI_CC_TRB, 0);
	recover(DCI_OUT, &out, OUT_RING);
	a = ring_push(&out, 0, 0, trb_type(XHCI_TRB_TRANSFER_EVENT));
	doorbell_run(slot, DCI_OUT);
	expect_event(a, XHCI_CC_TRB, 0);
	recover(DCI_OUT, &out, OUT_RING);
	/* Control: Data without Setup, Setup without IDT, wLength wrong. */
	a = ring_push(&ep0, G_DATA, 8,
		      trb_type(XHCI_TRB_DATA) | XHCI_TRB_DIR_IN);
	doorbell_run(slot, 1);
	expect_event(a, XHCI_CC_TRB, 0);
	recover(1, &ep0, G_RINGS);
	a = ring_push(&ep0, setup_packet(0x80, 6, 0x100, 0, 0), 8,
		      trb_type(XHCI_TRB_SETUP));
	doorbell_run(slot, 1);
	expect_event(a, XHCI_CC_TRB, 0);
	recover(1, &ep0, G_RINGS);
	ring_push(&ep0, setup_packet(0x80, 6, 0x100, 0, 18), 8,
		  trb_type(XHCI_TRB_SETUP) | XHCI_TRB_IDT | XHCI_TRT_IN << 16);
	ring_push(&ep0, G_DATA, 12, trb_type(XHCI_TRB_DATA) | XHCI_TRB_DIR_IN);
	a = ring_push(&ep0, 0, 0, trb_type(XHCI_TRB_STATUS) | XHCI_TRB_IOC);
	doorbell_run(slot, 1);
	assert_int_equal(fake.nr_control, 0);
	assert_int_equal(ev_xfer(&b, NULL), XHCI_CC_TRB);
	recover(1, &ep0, G_RINGS);
	/* A Data stage whose direction is not the request's. */
	ring_push(&ep0, setup_packet(0x80, 6, 0x100, 0, 18), 8,
		  trb_type(XHCI_TRB_SETUP) | XHCI_TRB_IDT | XHCI_TRT_IN << 16);
	a = ring_push(&ep0, G_DATA, 18, trb_type(XHCI_TRB_DATA));
	ring_push(&ep0, 0, 0, trb_type(XHCI_TRB_STATUS) | XHCI_TRB_IOC);
	doorbell_run(slot, 1);
	expect_event(a, XHCI_CC_TRB, 0);
	recover(1, &ep0, G_RINGS);
	/* A TD longer than XHCI_TD_MAX_TRBS (chained over a big ring). */
	ring_init(&out, G_RINGS + 0x4000, 300);
	for (i = 0; i < XHCI_TD_MAX_TRBS + 1; i++)
		ring_push(&out, G_DATA, 1,
			  trb_type(XHCI_TRB_NORMAL) | XHCI_TRB_CH);
	a = ring_push(&out, G_DATA, 1, trb_type(XHCI_TRB_NORMAL));
	assert_int_equal(out_dw(slot, DCI_OUT, 0) & 7, XHCI_EP_STOPPED);
	assert_int_equal(
		ep_cmd(XHCI_TRB_SET_TR_DEQ, DCI_OUT, (G_RINGS + 0x4000) | 1),
		XHCI_CC_SUCCESS);
	doorbell_run(slot, DCI_OUT);
	assert_int_equal(ev_xfer(&b, NULL), XHCI_CC_TRB);
	assert_int_equal(b, G_RINGS + 0x4000 + 16 * XHCI_TD_MAX_TRBS);
	assert_int_equal(fake.nr_submit, 0);
	(void)a;
}

static void test_hostile_transfer_rings(void **state)
{
	uint64_t a, b;

	(void)state;
	/* A transfer ring of nothing but a Link to itself. */
	put_trb(OUT_RING, OUT_RING, 0, trb_type(XHCI_TRB_LINK) | XHCI_TRB_C);
	doorbell_run(slot, DCI_OUT);
	expect_event(OUT_RING, XHCI_CC_TRB, 0);
	recover(DCI_OUT, &out, OUT_RING);
	/* The dequeue pointer outside guest memory (Stopped since recover). */
	assert_int_equal(
		ep_cmd(XHCI_TRB_SET_TR_DEQ, DCI_OUT, 0x7ffffff0000ull | 1),
		XHCI_CC_SUCCESS);
	doorbell_run(slot, DCI_OUT);
	expect_event(0x7ffffff0000ull, XHCI_CC_TRB, 0);
	recover(DCI_OUT, &out, OUT_RING);
	/* A misaligned Link target, then one past the end of memory. */
	put_trb(OUT_RING, GUEST_MEM_SIZE - 8, 0,
		trb_type(XHCI_TRB_LINK) | XHCI_TRB_C);
	doorbell_run(slot, DCI_OUT);
	expect_event(OUT_RING, XHCI_CC_TRB, 0);
	recover(DCI_OUT, &out, OUT_RING);
	put_trb(OUT_RING, GUEST_MEM_SIZE, 0,
		trb_type(XHCI_TRB_LINK) | XHCI_TRB_C);
	doorbell_run(slot, DCI_OUT);
	expect_event(GUEST_MEM_SIZE, XHCI_CC_TRB, 0);
	recover(DCI_OUT, &out, OUT_RING);
	/* A TD whose chain never ends waits, then completes. */
	ring_push(&out, G_DATA, 10, trb_type(XHCI_TRB_NORMAL) | XHCI_TRB_CH);
	doorbell_run(slot, DCI_OUT);
	assert_int_equal(fake.nr_submit, 0);
	a = ring_push(&out, G_DATA, 10,
		      trb_type(XHCI_TRB_NORMAL) | XHCI_TRB_IOC);
	doorbell_run(slot, DCI_OUT);
	assert_int_equal(fake.nr_submit, 1);
	assert_int_equal(fake.last.len, 20);
	/* A bad TD behind one in flight is reported after it. */
	b = ring_push(&out, 0, 0, trb_type(XHCI_TRB_ENABLE_SLOT));
	doorbell_run(slot, DCI_OUT);
	expect_no_event();
	xhci_xfer_done(hc, slot, DCI_OUT, fake.last.id, XHCI_CC_SUCCESS, 20);
	expect_event(a, XHCI_CC_SUCCESS, 0);
	expect_event(b, XHCI_CC_TRB, 0);
	assert_int_equal(out_dw(slot, DCI_OUT, 0) & 7, XHCI_EP_HALTED);
	/* The guest rewrote a TD in flight into Links: odd events, no fault. */
	recover(DCI_OUT, &out, OUT_RING);
	a = ring_push(&out, G_DATA, 10,
		      trb_type(XHCI_TRB_NORMAL) | XHCI_TRB_IOC);
	doorbell_run(slot, DCI_OUT);
	put_trb(a, a, 0, trb_type(XHCI_TRB_LINK) | XHCI_TRB_C);
	xhci_xfer_done(hc, slot, DCI_OUT, fake.last.id, XHCI_CC_SUCCESS, 10);
	expect_no_event();
}

static void test_event_data_and_noop(void **state)
{
	uint64_t a;
	struct xhci_trb t;

	(void)state;
	ring_push(&in, G_DATA, 100, trb_type(XHCI_TRB_NORMAL) | XHCI_TRB_CH);
	ring_push(&in, 0x1122334455667788ull, 0,
		  trb_type(XHCI_TRB_EVENT_DATA) | XHCI_TRB_IOC);
	doorbell_run(slot, DCI_IN);
	xhci_xfer_done(hc, slot, DCI_IN, fake.last.id, XHCI_CC_SUCCESS, 100);
	ev_drain_ports();
	assert_true(ev_pop(&t));
	assert_int_equal(xhci_trb_type(&t), XHCI_TRB_TRANSFER_EVENT);
	assert_true(t.control & XHCI_TRB_ED);
	assert_int_equal(t.param, 0x1122334455667788ull);
	assert_int_equal(t.status & 0xffffff, 100);
	/* A No-op TD completes without the backend. */
	a = ring_push(&in, 0, 0, trb_type(XHCI_TRB_NOOP) | XHCI_TRB_IOC);
	doorbell_run(slot, DCI_IN);
	assert_int_equal(fake.nr_submit, 1);
	expect_event(a, XHCI_CC_SUCCESS, 0);
	/* Block Event Interrupt: an event without an interrupt request. */
	a = ring_push(&in, 0, 0,
		      trb_type(XHCI_TRB_NOOP) | XHCI_TRB_IOC | XHCI_TRB_BEI);
	while (xhci_intr_want(hc, 0))
		xhci_intr_assert(hc, 0);
	w64(XHCI_RTSOFF + XHCI_IR0 + XHCI_ERDP,
	    xhci_mmio_read(hc, XHCI_RTSOFF + XHCI_IR0 + XHCI_ERDP, 8));
	doorbell_run(slot, DCI_IN);
	assert_false(xhci_intr_want(hc, 0));
	expect_event(a, XHCI_CC_SUCCESS, 0);
}

static void test_isoch(void **state)
{
	struct prod_ring iso;
	uint64_t a, at;

	(void)state;
	ring_init(&iso, G_RINGS + 0x3000, 16);
	ictx_slot(1u | 1u << 5, 5, XHCI_SPEED_HIGH, 1);
	ictx_ep(5, XHCI_EP_ISOCH_IN, 192, iso.base);
	at = cmd(G_INPUT_CTX, 0,
		 trb_type(XHCI_TRB_CONFIGURE_EP) | (uint32_t)slot << 24);
	assert_int_equal(ev_cmd(at, NULL), XHCI_CC_SUCCESS);
	a = ring_push(&iso, G_DATA, 192,
		      trb_type(XHCI_TRB_ISOCH) | XHCI_TRB_SIA | XHCI_TRB_IOC |
			      XHCI_TRB_ISP);
	doorbell_run(slot, 5);
	assert_int_equal(fake.nr_submit, 1);
	assert_true(fake.last.isoch_asap);
	assert_int_equal(fake.last.ep_addr, 0x82);
	assert_int_equal(fake.last.ep_type, XHCI_EP_ISOCH_IN);
	/* A missed service interval does not halt an isoch endpoint. */
	xhci_xfer_done(hc, slot, 5, fake.last.id, XHCI_CC_MISSED_SERVICE, 0);
	expect_event(a, XHCI_CC_MISSED_SERVICE, 192);
	assert_int_equal(out_dw(slot, 5, 0) & 7, XHCI_EP_RUNNING);
	a = ring_push(&iso, G_DATA, 192,
		      trb_type(XHCI_TRB_ISOCH) | 5u << 20 | XHCI_TRB_IOC);
	doorbell_run(slot, 5);
	assert_false(fake.last.isoch_asap);
	assert_int_equal(fake.last.frame_id, 5);
	xhci_xfer_done(hc, slot, 5, fake.last.id, XHCI_CC_SUCCESS, 100);
	expect_event(a, XHCI_CC_SHORT_PACKET, 92);
	/* A Normal TRB may not start an isoch TD. */
	a = ring_push(&iso, G_DATA, 192, trb_type(XHCI_TRB_NORMAL));
	doorbell_run(slot, 5);
	expect_event(a, XHCI_CC_TRB, 0);
}

/* Frame IDs against MFINDEX: ahead up to 895 frames, else passed. */
static void test_isoch_frame_delay(void **state)
{
	(void)state;
	assert_int_equal(xhci_isoch_frame_delay(100u << 3, 100), 0);
	assert_int_equal(xhci_isoch_frame_delay(100u << 3 | 7, 110), 10);
	assert_int_equal(xhci_isoch_frame_delay(100u << 3, 99), -1);
	assert_int_equal(xhci_isoch_frame_delay(100u << 3, 995), 895);
	assert_int_equal(xhci_isoch_frame_delay(100u << 3, 996), -1);
	/* Across the wrap of 2048 frames (MFINDEX is 14 bits). */
	assert_int_equal(xhci_isoch_frame_delay(2040u << 3, 5), 13);
	assert_int_equal(xhci_isoch_frame_delay(3u << 3, 2047), -1);
	/* Bits above the 14 of MFINDEX and the 11 of Frame ID are ignored. */
	assert_int_equal(xhci_isoch_frame_delay(1u << 14 | 100u << 3, 101), 1);
	assert_int_equal(xhci_isoch_frame_delay(100u << 3, 0xf800 | 101), 1);
}

/* Payload per interval from the endpoint context. */
static void test_isoch_esit_payload(void **state)
{
	struct xhci_ep_ctx e = { { 0 } };

	(void)state;
	e.dw[1] = 192u << 16; /* full speed, 192-byte packets */
	assert_int_equal(xhci_ep_esit_payload(&e), 192);
	e.dw[1] = 1024u << 16 | 2u << 8; /* high-bandwidth: 3 per uframe */
	assert_int_equal(xhci_ep_esit_payload(&e), 3072);
	e.dw[4] = 2000u << 16; /* a smaller Max ESIT Payload wins */
	assert_int_equal(xhci_ep_esit_payload(&e), 2000);
	e.dw[4] = 0xffffu << 16; /* a larger one does not */
	e.dw[0] = 0xffu << 24;
	assert_int_equal(xhci_ep_esit_payload(&e), 3072);
	/* Hostile: everything at its maximum stays within 48 KiB. */
	e.dw[0] = 0xffffffffu;
	e.dw[1] = 0xffffffffu;
	e.dw[4] = 0;
	assert_int_equal(xhci_ep_esit_payload(&e), 3 * 16 * 1024);
	e.dw[1] = 0;
	assert_int_equal(xhci_ep_esit_payload(&e), 0);
}

static void test_isoch_layout(void **state)
{
	struct xhci_isoch_packet pk[XHCI_ISOCH_MAX_PACKETS + 1];

	(void)state;
	assert_int_equal(xhci_isoch_layout(192, 192, pk, 8), 1);
	assert_int_equal(pk[0].offset, 0);
	assert_int_equal(pk[0].len, 192);
	/* A zero-length TD is one zero-length packet. */
	assert_int_equal(xhci_isoch_layout(0, 192, pk, 8), 1);
	assert_int_equal(pk[0].len, 0);
	/* Longer than one interval: one packet per interval. */
	assert_int_equal(xhci_isoch_layout(500, 192, pk, 8), 3);
	assert_int_equal(pk[1].offset, 192);
	assert_int_equal(pk[2].offset, 384);
	assert_int_equal(pk[2].len, 116);
	assert_int_equal(xhci_isoch_layout(8 * 192, 192, pk, 8), 8);
	assert_int_equal(xhci_isoch_layout(8 * 192 + 1, 192, pk, 8), 0);
	assert_int_equal(xhci_isoch_layout(0xffffffffu, 1, pk, 8), 0);
	assert_int_equal(xhci_isoch_layout(100, 0, pk, 8), 0);
	assert_int_equal(xhci_isoch_layout(100, 192, pk, 0), 0);
}

/*
 * The core checks a TD's Frame ID against MFINDEX: a passed frame is a
 * Missed Service Error without the backend; the backend gets the delay,
 * the payload per interval and the chained Normal TRBs' bytes.
 */
static void test_isoch_frames(void **state)
{
	struct prod_ring iso;
	uint64_t a, b, at;

	(void)state;
	ring_init(&iso, G_RINGS + 0x3000, 16);
	ictx_slot(1u | 1u << 4, 4, XHCI_SPEED_HIGH, 1);
	ictx_ep(4, XHCI_EP_ISOCH_OUT, 1024, iso.base);
	ictx_put(1 + 4, 1,
		 3u << 1 | XHCI_EP_ISOCH_OUT << 3 | 1024u << 16 | 1u << 8);
	at = cmd(G_INPUT_CTX, 0,
		 trb_type(XHCI_TRB_CONFIGURE_EP) | (uint32_t)slot << 24);
	assert_int_equal(ev_cmd(at, NULL), XHCI_CC_SUCCESS);
	fake.now = hc->run_start_ns + 100 * 1000000ull; /* frame 100 */
	ring_push(&iso, G_DATA, 1000,
		  trb_type(XHCI_TRB_ISOCH) | 110u << 20 | XHCI_TRB_CH);
	b = ring_push(&iso, G_DATA + 1000, 1000,
		      trb_type(XHCI_TRB_NORMAL) | XHCI_TRB_IOC);
	doorbell_run(slot, 4);
	assert_int_equal(fake.nr_submit, 1);
	assert_false(fake.last.isoch_asap);
	assert_int_equal(fake.last.frame_delay, 10);
	assert_int_equal(fake.last.isoch_esit, 2048);
	assert_int_equal(fake.last.len, 2000);
	assert_int_equal(fake.last.ep_addr, 0x02);
	xhci_xfer_done(hc, slot, 4, fake.last.id, XHCI_CC_SUCCESS, 2000);
	expect_event(b, XHCI_CC_SUCCESS, 0);
	/* Frame 99 has passed: Missed Service at the Isoch TRB, no URB. */
	a = ring_push(&iso, G_DATA, 300,
		      trb_type(XHCI_TRB_ISOCH) | 99u << 20 | XHCI_TRB_IOC);
	doorbell_run(slot, 4);
	assert_int_equal(fake.nr_submit, 1);
	expect_event(a, XHCI_CC_MISSED_SERVICE, 300);
	assert_int_equal(out_dw(slot, 4, 0) & 7, XHCI_EP_RUNNING);
	/* The ring goes on; SIA ignores the Frame ID. */
	a = ring_push(&iso, G_DATA, 300,
		      trb_type(XHCI_TRB_ISOCH) | 99u << 20 | XHCI_TRB_SIA |
			      XHCI_TRB_IOC);
	doorbell_run(slot, 4);
	assert_int_equal(fake.nr_submit, 2);
	assert_true(fake.last.isoch_asap);
	assert_int_equal(fake.last.frame_delay, 0);
	xhci_xfer_done(hc, slot, 4, fake.last.id, XHCI_CC_SUCCESS, 300);
	expect_event(a, XHCI_CC_SUCCESS, 0);
	/* The farthest frame ahead is taken, one more is in the past. */
	at = ring_push(&iso, G_DATA, 8,
		       trb_type(XHCI_TRB_ISOCH) | 995u << 20 | XHCI_TRB_IOC);
	a = ring_push(&iso, G_DATA, 8,
		      trb_type(XHCI_TRB_ISOCH) | 996u << 20 | XHCI_TRB_IOC);
	doorbell_run(slot, 4);
	assert_int_equal(fake.nr_submit, 3);
	assert_int_equal(fake.last.frame_delay, 895);
	b = fake.last.id;
	/* The missed TD waits behind the one in flight, in ring order. */
	expect_no_event();
	xhci_xfer_done(hc, slot, 4, (uint32_t)b, XHCI_CC_SUCCESS, 8);
	expect_event(at, XHCI_CC_SUCCESS, 0);
	expect_event(a, XHCI_CC_MISSED_SERVICE, 8);
}

static void test_teardown_cancels(void **state)
{
	struct xhci_trb t;
	uint64_t at;

	(void)state;
	ring_push(&out, G_DATA, 10, trb_type(XHCI_TRB_NORMAL) | XHCI_TRB_IOC);
	ring_push(&in, G_DATA, 10, trb_type(XHCI_TRB_NORMAL) | XHCI_TRB_IOC);
	doorbell_run(slot, DCI_OUT);
	doorbell_run(slot, DCI_IN);
	assert_int_equal(fake.nr_submit, 2);
	/* Disable Slot cancels both; late completions are ignored. */
	at = cmd(0, 0, trb_type(XHCI_TRB_DISABLE_SLOT) | (uint32_t)slot << 24);
	assert_int_equal(ev_cmd(at, NULL), XHCI_CC_SUCCESS);
	assert_int_equal(fake.nr_cancel, 2);
	xhci_xfer_done(hc, slot, DCI_OUT, fake.cancelled[0], XHCI_CC_STOPPED,
		       0);
	xhci_xfer_done(hc, slot, DCI_IN, fake.cancelled[1], XHCI_CC_SUCCESS,
		       10);
	assert_false(ev_pop(&t));
	/* Again with HCRST. */
	slot = enable_slot();
	ring_init(&ep0, G_RINGS, 16);
	assert_int_equal(
		address_device(slot, 1, XHCI_SPEED_HIGH, ep0.base, false),
		XHCI_CC_SUCCESS);
	control_td(0x80, 6, 0x100, 0, 18);
	doorbell_run(slot, 1);
	w32(XHCI_OP + XHCI_USBCMD, XHCI_CMD_HCRST);
	assert_int_equal(fake.nr_cancel, 3);
	xhci_xfer_done(hc, slot, 1, fake.last.id, XHCI_CC_SUCCESS, 18);
	assert_false(hc->slot[slot].enabled);
	/* A disconnect fails the device's transfers in the backend only. */
	hc_default_start();
	slot = plug_and_address(&ep0);
	assert_int_equal(xhci_port_disconnect(hc, 1), 0);
	control_td(0x80, 6, 0x100, 0, 18);
	doorbell_run(slot, 1);
	assert_int_equal(fake.nr_control, 2);
}

/*
 * The backend out of buffers (-EAGAIN): the TD stays on the ring, nothing
 * behind it goes out, a doorbell changes nothing; after xhci_xfer_retry
 * it goes again, in order. A Stop meanwhile stops at the deferred TD.
 */
static void test_backend_defers(void **state)
{
	uint64_t a, b;
	uint32_t first;

	(void)state;
	fake.xfer_ret = -EAGAIN;
	a = ring_push(&out, G_DATA, 512,
		      trb_type(XHCI_TRB_NORMAL) | XHCI_TRB_IOC);
	b = ring_push(&out, G_DATA, 256,
		      trb_type(XHCI_TRB_NORMAL) | XHCI_TRB_IOC);
	doorbell_run(slot, DCI_OUT);
	assert_int_equal(fake.nr_submit, 1);
	assert_int_equal(fake.last.len, 512);
	expect_no_event();
	doorbell_run(slot, DCI_OUT);
	assert_int_equal(fake.nr_submit, 1);
	/* Retried, still no room: deferred again. */
	xhci_xfer_retry(hc);
	xhci_process(hc);
	assert_int_equal(fake.nr_submit, 2);
	assert_int_equal(fake.last.len, 512);
	/* Room: both go, the first first. */
	fake.xfer_ret = 0;
	xhci_xfer_retry(hc);
	xhci_process(hc);
	assert_int_equal(fake.nr_submit, 4);
	assert_int_equal(fake.last.len, 256);
	first = fake.last.id - 1;
	xhci_xfer_done(hc, slot, DCI_OUT, first, XHCI_CC_SUCCESS, 512);
	expect_event(a, XHCI_CC_SUCCESS, 0);
	xhci_xfer_done(hc, slot, DCI_OUT, fake.last.id, XHCI_CC_SUCCESS, 256);
	expect_event(b, XHCI_CC_SUCCESS, 0);
	expect_no_event();

	/* Deferred, then stopped: the dequeue pointer is that TD. */
	fake.xfer_ret = -EAGAIN;
	a = ring_push(&out, G_DATA, 64,
		      trb_type(XHCI_TRB_NORMAL) | XHCI_TRB_IOC);
	doorbell_run(slot, DCI_OUT);
	assert_int_equal(fake.nr_submit, 5);
	assert_int_equal(ep_cmd(XHCI_TRB_STOP_EP, DCI_OUT, 0), XHCI_CC_SUCCESS);
	assert_int_equal(fake.nr_cancel, 0);
	assert_int_equal(out_dw(slot, 2, 0) & 7, XHCI_EP_STOPPED);
	assert_int_equal(out_dw(slot, 2, 2), (uint32_t)a | 1);
	expect_no_event();
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

static int bare_setup(void **state)
{
	(void)state;
	guest_alloc();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_linux_enumeration,
						bare_setup, teardown),
		T(test_get_descriptor),
		T(test_control_stall),
		T(test_doorbell_while_halted),
		T(test_doorbell_before_halt),
		T(test_standard_requests),
		T(test_bulk_chain_and_idt),
		T(test_bulk_stall_zero_length),
		T(test_doorbell_before_stop),
		T(test_doorbell_before_stop_when_stopped),
		T(test_inflight_order_and_limit),
		T(test_process_budget),
		T(test_backend_defers),
		T(test_stop_and_set_dequeue),
		T(test_trb_errors),
		T(test_hostile_transfer_rings),
		T(test_event_data_and_noop),
		T(test_isoch),
		T(test_isoch_frames),
		cmocka_unit_test(test_isoch_frame_delay),
		cmocka_unit_test(test_isoch_esit_payload),
		cmocka_unit_test(test_isoch_layout),
		T(test_teardown_cancels),
	};

	return cmocka_run_group_tests_name("xhci_xfer", tests, NULL, NULL);
}
