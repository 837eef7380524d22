// SPDX-License-Identifier: BSD-3-Clause
/* The test guest of the xHCI core; see xhci_guest.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "xhci_guest.h"

uint8_t *guest;
struct xhci_hc *hc;
struct fake_backend fake;
struct prod_ring cmd_ring;

static struct {
	unsigned int nr_segs, seg_trbs, seg, idx;
	bool cycle;
} evr;

static int mem_read(void *priv, uint64_t gpa, void *buf, size_t len)
{
	assert_ptr_equal(priv, &fake);
	if (gpa > GUEST_MEM_SIZE || len > GUEST_MEM_SIZE - gpa)
		return -EFAULT;
	memcpy(buf, guest + gpa, len);
	return 0;
}

static int mem_write(void *priv, uint64_t gpa, const void *buf, size_t len)
{
	assert_ptr_equal(priv, &fake);
	if (gpa > GUEST_MEM_SIZE || len > GUEST_MEM_SIZE - gpa)
		return -EFAULT;
	memcpy(guest + gpa, buf, len);
	return 0;
}

const struct xhci_mem guest_mem = { mem_read, mem_write, &fake };

static void record(const struct xhci_xfer *xf)
{
	unsigned int i;

	fake.last = *xf;
	for (i = 0; i < xf->nr_segs && i < 16; i++)
		fake.segs[i] = xf->segs[i];
	fake.last.segs = NULL;
}

static int fake_control(void *priv, const struct xhci_xfer *xf)
{
	assert_ptr_equal(priv, &fake);
	fake.nr_control++;
	record(xf);
	return fake.xfer_ret;
}

static int fake_set_config(void *priv, const struct xhci_xfer *xf,
			   uint8_t value)
{
	(void)priv;
	fake.nr_set_config++;
	fake.config_value = value;
	record(xf);
	return fake.xfer_ret;
}

static int fake_set_interface(void *priv, const struct xhci_xfer *xf,
			      uint8_t intf, uint8_t alt)
{
	(void)priv;
	fake.nr_set_interface++;
	fake.intf = intf;
	fake.alt = alt;
	record(xf);
	return fake.xfer_ret;
}

static int fake_clear_halt(void *priv, const struct xhci_xfer *xf,
			   uint8_t ep_addr)
{
	(void)priv;
	fake.nr_clear_halt++;
	fake.halt_ep = ep_addr;
	record(xf);
	return fake.xfer_ret;
}

static int fake_submit(void *priv, const struct xhci_xfer *xf)
{
	(void)priv;
	fake.nr_submit++;
	record(xf);
	return fake.xfer_ret;
}

static void fake_cancel(void *priv, uint32_t id)
{
	(void)priv;
	if (fake.nr_cancel < 32)
		fake.cancelled[fake.nr_cancel] = id;
	fake.nr_cancel++;
}

static int fake_port_reset(void *priv, uint8_t port, bool warm)
{
	(void)priv;
	fake.nr_port_reset++;
	fake.reset_port = port;
	fake.reset_warm = warm;
	return fake.port_reset_ret;
}

static int fake_command(void *priv, const struct xhci_cmd_req *req)
{
	(void)priv;
	fake.nr_command++;
	fake.last_cmd = *req;
	fake.last_cmd.in = NULL;
	return fake.command_ret ? fake.command_ret : (int)XHCI_CC_SUCCESS;
}

static uint64_t fake_now(void *priv)
{
	(void)priv;
	return fake.now;
}

const struct xhci_backend_ops fake_ops = {
	.control = fake_control,
	.set_config = fake_set_config,
	.set_interface = fake_set_interface,
	.clear_halt = fake_clear_halt,
	.submit = fake_submit,
	.cancel = fake_cancel,
	.port_reset = fake_port_reset,
	.command = fake_command,
	.now_ns = fake_now,
};

void guest_alloc(void)
{
	guest = calloc(1, GUEST_MEM_SIZE);
	hc = calloc(1, sizeof(*hc));
	assert_non_null(guest);
	assert_non_null(hc);
	memset(&fake, 0, sizeof(fake));
}

void guest_free(void)
{
	free(guest);
	free(hc);
	guest = NULL;
	hc = NULL;
}

void put32(uint64_t gpa, uint32_t v)
{
	assert_true(gpa + 4 <= GUEST_MEM_SIZE);
	memcpy(guest + gpa, &v, 4);
}

void put64(uint64_t gpa, uint64_t v)
{
	assert_true(gpa + 8 <= GUEST_MEM_SIZE);
	memcpy(guest + gpa, &v, 8);
}

uint32_t get32(uint64_t gpa)
{
	uint32_t v;

	assert_true(gpa + 4 <= GUEST_MEM_SIZE);
	memcpy(&v, guest + gpa, 4);
	return v;
}

uint64_t get64(uint64_t gpa)
{
	uint64_t v;

	assert_true(gpa + 8 <= GUEST_MEM_SIZE);
	memcpy(&v, guest + gpa, 8);
	return v;
}

void put_trb(uint64_t gpa, uint64_t param, uint32_t status, uint32_t control)
{
	put64(gpa, param);
	put32(gpa + 8, status);
	put32(gpa + 12, control);
}

struct xhci_trb get_trb(uint64_t gpa)
{
	struct xhci_trb t = { get64(gpa), get32(gpa + 8), get32(gpa + 12) };

	return t;
}

uint32_t r32(uint32_t off)
{
	return (uint32_t)xhci_mmio_read(hc, off, 4);
}

void w32(uint32_t off, uint32_t v)
{
	xhci_mmio_write(hc, off, 4, v);
}

void w64(uint32_t off, uint64_t v)
{
	xhci_mmio_write(hc, off, 8, v);
}

void hc_create(const struct xhci_config *cfg)
{
	assert_int_equal(xhci_init(hc, cfg, &guest_mem, &fake_ops, &fake), 0);
	w32(XHCI_OP + XHCI_USBCMD, XHCI_CMD_HCRST);
	assert_int_equal(r32(XHCI_OP + XHCI_USBCMD) & XHCI_CMD_HCRST, 0);
	assert_int_equal(r32(XHCI_OP + XHCI_USBSTS) & XHCI_STS_CNR, 0);
}

void ring_init(struct prod_ring *r, uint64_t base, unsigned int n)
{
	r->base = base;
	r->n = n;
	r->idx = 0;
	r->cycle = true;
	memset(guest + base, 0, (size_t)n * 16);
}

uint64_t ring_push(struct prod_ring *r, uint64_t param, uint32_t status,
		   uint32_t control)
{
	uint64_t at = r->base + 16u * r->idx;

	put_trb(at, param, status,
		(control & ~XHCI_TRB_C) | (r->cycle ? XHCI_TRB_C : 0));
	if (++r->idx == r->n - 1) {
		put_trb(r->base + 16u * (r->n - 1), r->base, 0,
			trb_type(XHCI_TRB_LINK) | XHCI_TRB_TC |
				(r->cycle ? XHCI_TRB_C : 0));
		r->idx = 0;
		r->cycle = !r->cycle;
	}
	return at;
}

void hc_start(const struct xhci_config *cfg, unsigned int nr_segs,
	      unsigned int seg_trbs)
{
	uint32_t ir = XHCI_RTSOFF + XHCI_IR0;
	unsigned int i;

	hc_create(cfg);
	w32(XHCI_OP + XHCI_CONFIG, cfg->max_slots);
	w64(XHCI_OP + XHCI_DCBAAP, G_DCBAA);
	ring_init(&cmd_ring, G_CMD_RING, G_CMD_TRBS);
	w64(XHCI_OP + XHCI_CRCR, G_CMD_RING | XHCI_CRCR_RCS);
	memset(guest + G_EVENT_SEGS, 0, MAX_EVENT_SEGS * G_EVENT_SEG_STRIDE);
	for (i = 0; i < nr_segs; i++) {
		put64(G_ERST + 16 * i, G_EVENT_SEGS + G_EVENT_SEG_STRIDE * i);
		put32(G_ERST + 16 * i + 8, seg_trbs);
	}
	evr.nr_segs = nr_segs;
	evr.seg_trbs = seg_trbs;
	evr.seg = 0;
	evr.idx = 0;
	evr.cycle = true;
	w32(ir + XHCI_ERSTSZ, nr_segs);
	w64(ir + XHCI_ERDP, G_EVENT_SEGS);
	w64(ir + XHCI_ERSTBA, G_ERST);
	w32(ir + XHCI_IMOD, 0);
	w32(ir + XHCI_IMAN, XHCI_IMAN_IE);
	w32(XHCI_OP + XHCI_USBCMD, XHCI_CMD_RUN | XHCI_CMD_INTE);
	assert_int_equal(r32(XHCI_OP + XHCI_USBSTS) & XHCI_STS_HCH, 0);
}

void hc_default_start(void)
{
	const struct xhci_config cfg = { .nr_usb2_ports = 2,
					 .nr_usb3_ports = 2,
					 .max_slots = 4,
					 .nr_intrs = 2 };

	hc_start(&cfg, 2, 16);
}

uint64_t cmd(uint64_t param, uint32_t status, uint32_t control)
{
	uint64_t at = ring_push(&cmd_ring, param, status, control);

	w32(XHCI_DBOFF, 0);
	while (xhci_process(hc))
		;
	return at;
}

bool ev_pop(struct xhci_trb *t)
{
	uint64_t at =
		G_EVENT_SEGS + G_EVENT_SEG_STRIDE * evr.seg + 16u * evr.idx;
	uint64_t next;

	*t = get_trb(at);
	if (((t->control & XHCI_TRB_C) != 0) != evr.cycle)
		return false;
	if (++evr.idx == evr.seg_trbs) {
		evr.idx = 0;
		if (++evr.seg == evr.nr_segs) {
			evr.seg = 0;
			evr.cycle = !evr.cycle;
		}
	}
	next = G_EVENT_SEGS + G_EVENT_SEG_STRIDE * evr.seg + 16u * evr.idx;
	w64(XHCI_RTSOFF + XHCI_IR0 + XHCI_ERDP, next | XHCI_ERDP_EHB);
	return true;
}

unsigned int ev_count_pending(void)
{
	unsigned int seg = evr.seg, idx = evr.idx, n = 0;
	bool cycle = evr.cycle;

	for (;;) {
		uint64_t at =
			G_EVENT_SEGS + G_EVENT_SEG_STRIDE * seg + 16u * idx;

		if (((get32(at + 12) & XHCI_TRB_C) != 0) != cycle)
			return n;
		n++;
		if (++idx == evr.seg_trbs) {
			idx = 0;
			if (++seg == evr.nr_segs) {
				seg = 0;
				cycle = !cycle;
			}
		}
		if (n > 4096)
			return n;
	}
}

void ev_drain_ports(void)
{
	struct xhci_trb t;
	uint64_t at;

	for (;;) {
		at = G_EVENT_SEGS + G_EVENT_SEG_STRIDE * evr.seg +
		     16u * evr.idx;
		t = get_trb(at);
		if (((t.control & XHCI_TRB_C) != 0) != evr.cycle ||
		    xhci_trb_type(&t) != XHCI_TRB_PORT_STATUS)
			return;
		assert_true(ev_pop(&t));
	}
}

uint8_t ev_cmd(uint64_t cmd_gpa, uint8_t *slot)
{
	struct xhci_trb t;

	ev_drain_ports();
	assert_true(ev_pop(&t));
	assert_int_equal(xhci_trb_type(&t), XHCI_TRB_CMD_COMPLETION);
	assert_int_equal(t.param, cmd_gpa);
	if (slot)
		*slot = (uint8_t)xhci_trb_slot(&t);
	return (uint8_t)(t.status >> 24);
}

uint8_t ev_xfer(uint64_t *ptr, uint32_t *len)
{
	struct xhci_trb t;

	ev_drain_ports();
	assert_true(ev_pop(&t));
	assert_int_equal(xhci_trb_type(&t), XHCI_TRB_TRANSFER_EVENT);
	if (ptr)
		*ptr = t.param;
	if (len)
		*len = t.status & 0xffffff;
	return (uint8_t)(t.status >> 24);
}

static unsigned int ctx_size(void)
{
	return hc->cfg.ctx64 ? 64u : 32u;
}

void ictx_clear(void)
{
	memset(guest + G_INPUT_CTX, 0, 33 * 64);
}

void ictx_put(unsigned int i, unsigned int dw, uint32_t v)
{
	put32(G_INPUT_CTX + i * ctx_size() + 4 * dw, v);
}

uint32_t out_dw(unsigned int slot, unsigned int i, unsigned int dw)
{
	return get32(G_OUT_CTX + 0x1000u * (slot - 1) + i * ctx_size() +
		     4 * dw);
}

uint8_t enable_slot(void)
{
	uint8_t slot = 0, cc;
	uint64_t at = cmd(0, 0, trb_type(XHCI_TRB_ENABLE_SLOT));

	cc = ev_cmd(at, &slot);
	return cc == XHCI_CC_SUCCESS ? slot : 0;
}

void ictx_slot(uint32_t add, unsigned int entries, unsigned int speed,
	       unsigned int port)
{
	ictx_clear();
	ictx_put(0, 1, add);
	ictx_put(1, 0, entries << 27 | speed << 20);
	ictx_put(1, 1, port << 16);
}

void ictx_ep(unsigned int dci, unsigned int type, unsigned int mps,
	     uint64_t ring)
{
	ictx_put(1 + dci, 0, 0);
	ictx_put(1 + dci, 1, 3u << 1 | type << 3 | mps << 16);
	ictx_put(1 + dci, 2, (uint32_t)ring | 1);
	ictx_put(1 + dci, 3, (uint32_t)(ring >> 32));
	ictx_put(1 + dci, 4, 8);
}

uint8_t address_device(uint8_t slot, unsigned int port, unsigned int speed,
		       uint64_t ring0, bool bsr)
{
	uint64_t at;

	put64(G_DCBAA + 8u * slot, G_OUT_CTX + 0x1000u * (slot - 1));
	ictx_slot(3, 1, speed, port); /* A0, A1 */
	ictx_ep(1, XHCI_EP_CONTROL, 64, ring0);
	at = cmd(G_INPUT_CTX, 0,
		 trb_type(XHCI_TRB_ADDRESS_DEVICE) | (uint32_t)slot << 24 |
			 (bsr ? XHCI_TRB_BSR : 0));
	return ev_cmd(at, NULL);
}

/* Configure bulk OUT 1 (DCI 2) and bulk IN 1 (DCI 3). */
uint8_t configure_bulk(uint8_t slot, uint64_t out, uint64_t in)
{
	uint64_t at;

	ictx_slot(1u | 1u << 2 | 1u << 3, 3, XHCI_SPEED_HIGH, 1);
	ictx_ep(2, XHCI_EP_BULK_OUT, 512, out);
	ictx_ep(3, XHCI_EP_BULK_IN, 512, in);
	at = cmd(G_INPUT_CTX, 0,
		 trb_type(XHCI_TRB_CONFIGURE_EP) | (uint32_t)slot << 24);
	return ev_cmd(at, NULL);
}

void doorbell_run(uint8_t slot, uint8_t dci)
{
	w32(XHCI_DBOFF + 4u * slot, dci);
	while (xhci_process(hc))
		;
}

uint8_t plug_and_address(struct prod_ring *ep0)
{
	uint8_t slot;
	uint32_t portsc = XHCI_OP + 0x400;

	assert_int_equal(xhci_port_connect(hc, 1, XHCI_SPEED_HIGH), 0);
	w32(portsc, XHCI_PORTSC_PP | XHCI_PORTSC_PR);
	while (xhci_process(hc))
		;
	assert_true(r32(portsc) & XHCI_PORTSC_PED);
	w32(portsc, XHCI_PORTSC_PP | XHCI_PORTSC_CSC | XHCI_PORTSC_PRC);
	ev_drain_ports();
	slot = enable_slot();
	assert_int_not_equal(slot, 0);
	ring_init(ep0, G_RINGS, 16);
	assert_int_equal(
		address_device(slot, 1, XHCI_SPEED_HIGH, ep0->base, false),
		XHCI_CC_SUCCESS);
	return slot;
}
