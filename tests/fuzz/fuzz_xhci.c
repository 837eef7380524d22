// SPDX-License-Identifier: BSD-3-Clause
/*
 * libFuzzer harness for the xHCI core (kmod/lib/xhci_*.c). The input
 * (format in fuzz_xhci.h) drives register accesses, command and transfer
 * ring contents, raw guest memory, port events and backend completions
 * against 64 KiB of guest memory in a heap block of its own. Unless told not
 * to, the harness first sets the controller up the way xhci_hcd does, so
 * the records start on a running controller with rings in place. After
 * every record the core's state is checked against what xhci_hc.h
 * promises: bounded in-flight TDs, valid states, a sane event ring and
 * ports, and xhci_process always coming to an end.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "fuzz_xhci.h"
#include "xhci_hc.h"
#include "xhci_isoch.h"
#include "xhci_regs.h"

struct prod {
	uint64_t base;
	unsigned int n, idx;
	bool cycle;
};

struct pending_td {
	uint8_t slot, dci;
	uint32_t id;
};

static uint8_t *mem;
static struct xhci_hc *hc;
static uint8_t mode;
static struct prod cmd_ring, rings[FZ_NR_RINGS];
static struct pending_td tds[64];
static unsigned int nr_tds;
static uint32_t last_seq;
static uint32_t last_role_seq;

static int mem_read(void *priv, uint64_t gpa, void *buf, size_t len)
{
	check(priv == &mem);
	if (gpa > FZ_MEM || len > FZ_MEM - gpa)
		return -EFAULT;
	memcpy(buf, mem + gpa, len);
	return 0;
}

static int mem_write(void *priv, uint64_t gpa, const void *buf, size_t len)
{
	check(priv == &mem);
	if (gpa > FZ_MEM || len > FZ_MEM - gpa)
		return -EFAULT;
	memcpy(mem + gpa, buf, len);
	return 0;
}

static const struct xhci_mem guest = { mem_read, mem_write, &mem };

static int xfer_result(const struct xhci_xfer *xf)
{
	static const int results[4] = { 0, -EPIPE, -EFAULT, -EIO };
	unsigned int i;

	check(xf->slot && xf->slot <= FZ_MAX_SLOTS);
	check(xf->dci && xf->dci <= XHCI_MAX_DCI);
	check(xf->nr_segs <= XHCI_TD_MAX_TRBS);
	for (i = 0; i < xf->nr_segs; i++)
		check(!xf->segs[i].immediate ||
		      (xf->segs[i].len <= 8 && !xf->in));
	if (results[mode & 3])
		return results[mode & 3];
	if (nr_tds < 64)
		tds[nr_tds++] =
			(struct pending_td){ xf->slot, xf->dci, xf->id };
	return 0;
}

static int op_control(void *priv, const struct xhci_xfer *xf)
{
	(void)priv;
	check(xf->has_setup && (xf->dci & 1));
	return xfer_result(xf);
}

static int op_set_config(void *priv, const struct xhci_xfer *xf, uint8_t v)
{
	(void)priv;
	check(xf->setup[2] == v);
	return xfer_result(xf);
}

static int op_set_interface(void *priv, const struct xhci_xfer *xf,
			    uint8_t intf, uint8_t alt)
{
	(void)priv;
	check(xf->setup[4] == intf && xf->setup[2] == alt);
	return xfer_result(xf);
}

static int op_clear_halt(void *priv, const struct xhci_xfer *xf, uint8_t ep)
{
	(void)priv;
	check(xf->setup[4] == ep);
	return xfer_result(xf);
}

/*
 * An isoch TD as the module lays it out: within the Frame ID window,
 * packets that cover the TD exactly, none above the interval's payload.
 */
static void check_isoch(const struct xhci_xfer *xf)
{
	struct xhci_isoch_packet pk[XHCI_ISOCH_MAX_PACKETS];
	unsigned int n, i;
	uint32_t at = 0;

	check(xf->isoch_asap ? !xf->frame_delay
			     : xf->frame_delay <= XHCI_ISOCH_AHEAD_FRAMES);
	check(xf->isoch_esit <= 3u * 16u * 1024u);
	n = xhci_isoch_layout(xf->len, xf->isoch_esit, pk,
			      XHCI_ISOCH_MAX_PACKETS);
	check(n <= XHCI_ISOCH_MAX_PACKETS);
	for (i = 0; i < n; i++) {
		check(pk[i].offset == at && pk[i].len <= xf->isoch_esit);
		check(pk[i].len || n == 1);
		at += pk[i].len;
	}
	check(!n || at == xf->len);
	check(n || !xf->isoch_esit ||
	      xf->len > XHCI_ISOCH_MAX_PACKETS * xf->isoch_esit);
}

static int op_submit(void *priv, const struct xhci_xfer *xf)
{
	(void)priv;
	check(!xf->has_setup && xf->dci > 1);
	if (xf->ep_type == XHCI_EP_ISOCH_OUT || xf->ep_type == XHCI_EP_ISOCH_IN)
		check_isoch(xf);
	return xfer_result(xf);
}

static void op_cancel(void *priv, uint32_t id)
{
	(void)priv;
	check(id != 0);
}

static int op_port_reset(void *priv, uint8_t port, bool warm)
{
	(void)priv;
	(void)warm;
	check(port >= 1 && port <= xhci_nr_ports(hc));
	return ((mode >> 2) & 3) == 1 ? 1 : ((mode >> 2) & 3) ? -EIO : 0;
}

static int op_command(void *priv, const struct xhci_cmd_req *req)
{
	(void)priv;
	check(req->slot && req->slot <= FZ_MAX_SLOTS);
	last_seq = req->seq;
	switch ((mode >> 4) & 3) {
	case 1:
		return -EINPROGRESS;
	case 2:
		return XHCI_CC_PARAMETER;
	default:
		return XHCI_CC_SUCCESS;
	}
}

static uint64_t op_now(void *priv)
{
	static uint64_t t;

	(void)priv;
	return t += 1000;
}

static void op_role_set(void *priv, unsigned int role, uint32_t seq)
{
	(void)priv;
	check(hc->cfg.drd && role < XHCI_ROLE_COUNT);
	check(seq == last_role_seq + 1);
	last_role_seq = seq;
}

static struct xhci_backend_ops ops = {
	.control = op_control,
	.set_config = op_set_config,
	.set_interface = op_set_interface,
	.clear_halt = op_clear_halt,
	.submit = op_submit,
	.cancel = op_cancel,
	.port_reset = op_port_reset,
	.command = op_command,
	.now_ns = op_now,
	.role_set = op_role_set,
};

static void put64(uint64_t at, uint64_t v)
{
	memcpy(mem + at, &v, 8);
}

static void put32(uint64_t at, uint32_t v)
{
	memcpy(mem + at, &v, 4);
}

static void prod_init(struct prod *p, uint64_t base, unsigned int n)
{
	p->base = base;
	p->n = n;
	p->idx = 0;
	p->cycle = true;
}

/* Put a TRB with the producer's cycle bit, wrapping through a Link. */
static void prod_push(struct prod *p, const uint8_t trb[16])
{
	uint64_t at = p->base + 16u * p->idx;
	uint32_t control;

	memcpy(mem + at, trb, 12);
	memcpy(&control, trb + 12, 4);
	control = (control & ~1u) | (p->cycle ? 1u : 0u);
	put32(at + 12, control);
	if (++p->idx == p->n - 1) {
		at = p->base + 16u * p->idx;
		put64(at, p->base);
		put32(at + 8, 0);
		put32(at + 12,
		      XHCI_TRB_LINK << 10 | XHCI_TRB_TC | (p->cycle ? 1u : 0u));
		p->idx = 0;
		p->cycle = !p->cycle;
	}
}

static void w(uint32_t off, unsigned int size, uint64_t v)
{
	xhci_mmio_write(hc, off, size, v);
}

/* What xhci_hcd does before its first command. */
static void driver_init(const struct xhci_config *cfg)
{
	uint32_t ir = XHCI_RTSOFF + XHCI_IR0;
	unsigned int s;

	w(XHCI_OP + XHCI_USBCMD, 4, XHCI_CMD_HCRST);
	w(XHCI_OP + XHCI_CONFIG, 4, cfg->max_slots);
	for (s = 1; s <= FZ_MAX_SLOTS; s++)
		put64(FZ_DCBAA + 8 * s, FZ_OUT_CTX + 0x800u * (s - 1));
	w(XHCI_OP + XHCI_DCBAAP, 8, FZ_DCBAA);
	w(XHCI_OP + XHCI_CRCR, 8, FZ_CMD_RING | XHCI_CRCR_RCS);
	for (s = 0; s < 2; s++) {
		put64(FZ_ERST + 16 * s, FZ_EVENT_SEG + 16u * FZ_EVENT_TRBS * s);
		put32(FZ_ERST + 16 * s + 8, FZ_EVENT_TRBS);
	}
	w(ir + XHCI_ERSTSZ, 4, 2);
	w(ir + XHCI_ERDP, 8, FZ_EVENT_SEG);
	w(ir + XHCI_ERSTBA, 8, FZ_ERST);
	w(ir + XHCI_IMAN, 4, XHCI_IMAN_IE);
	w(XHCI_OP + XHCI_USBCMD, 4, XHCI_CMD_RUN | XHCI_CMD_INTE);
}

static void run(void)
{
	unsigned int i;

	/* Every call is budgeted: a bounded number of calls must drain. */
	for (i = 0; i < 64 && xhci_process(hc); i++)
		;
}

static void check_ep(const struct xhci_ep *ep)
{
	check(ep->count <= XHCI_EP_INFLIGHT);
	check(ep->head < XHCI_EP_INFLIGHT);
	check(xhci_ep_state(&ep->ctx) <= XHCI_EP_ERROR);
	check(!ep->stop_pending || ep->count);
	check(!(ep->ring.dequeue & 0xf));
}

static void check_state(void)
{
	unsigned int s, dci, i, n = xhci_nr_ports(hc);

	check(!!(hc->usbsts & XHCI_STS_HCH) == !(hc->usbcmd & XHCI_CMD_RUN));
	check(!(hc->cmd_ring.dequeue & 0xf));
	for (s = 1; s <= XHCI_MAX_SLOTS; s++) {
		const struct xhci_slot *sl = &hc->slot[s];

		check(!sl->enabled || s <= hc->cfg.max_slots);
		check(sl->port <= n);
		check(sl->enabled || !sl->port);
		for (dci = 1; dci <= XHCI_MAX_DCI; dci++) {
			check_ep(&sl->ep[dci]);
			check(sl->enabled || !sl->ep[dci].count);
		}
	}
	for (i = 0; i < XHCI_MAX_INTRS; i++) {
		const struct xhci_event_ring *er = &hc->intr[i].er;

		if (!er->valid)
			continue;
		check(er->erstsz && er->erstsz <= XHCI_ERST_MAX);
		check(er->seg < er->erstsz);
		check(er->idx < er->seg_size);
		check(er->seg_size >= XHCI_ER_SEG_MIN &&
		      er->seg_size <= XHCI_ER_SEG_MAX);
	}
	for (i = 1; i <= n; i++) {
		uint32_t sc = hc->port[i].portsc;

		check(!(sc & XHCI_PORTSC_PED) || (sc & XHCI_PORTSC_CCS));
		check(!(sc & XHCI_PORTSC_CCS) == !hc->port[i].connected);
		check(!(sc & XHCI_PORTSC_PR) || hc->port[i].connected);
	}
	check(!(hc->drd.cfg0 & ~XHCI_DRD_CFG0_RW));
	check(xhci_drd_cfg0_role(hc->drd.cfg0) != -EINVAL);
	check(hc->drd.actual < XHCI_ROLE_COUNT);
	check(hc->cfg.drd || (!hc->drd.cfg0 && !hc->drd.nr_set));
	check(hc->drd.seq == last_role_seq);
}

static void interrupts(void)
{
	unsigned int i;

	for (i = 0; i < XHCI_MAX_INTRS; i++) {
		const struct xhci_event_ring *er = &hc->intr[i].er;
		uint32_t erdp =
			XHCI_RTSOFF + XHCI_IR0 + XHCI_IR_SIZE * i + XHCI_ERDP;

		if (xhci_intr_want(hc, i))
			xhci_intr_assert(hc, i);
		check(xhci_intr_moderation_ns(hc, i) <= 0xffffu * 250u);
		/* A guest that read everything moves ERDP to the enqueue. */
		if (er->valid)
			w(erdp, 8, xhci_er_enqueue(er) | XHCI_ERDP_EHB);
	}
}

static uint64_t le(const uint8_t *p, unsigned int n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

static void xfer_done(const uint8_t *p)
{
	struct pending_td td;
	unsigned int i;

	if (!nr_tds)
		return;
	i = p[0] % nr_tds;
	td = tds[i];
	tds[i] = tds[--nr_tds];
	xhci_xfer_done(hc, td.slot, td.dci, td.id, p[1],
		       (uint32_t)le(p + 2, 4));
}

/* One record at p (avail bytes); returns its length, 0 when cut short. */
static size_t record(const uint8_t *p, size_t avail)
{
	static const uint8_t size[FZ_NR_OPS] = { 12, 4, 4, 17, 18, 3, 3,
						 7,  2, 3, 1,  7,  4 };
	uint8_t op = p[0] % FZ_NR_OPS;
	size_t len = size[op];

	if (avail < len)
		return 0;
	switch (op) {
	case FZ_MMIO_WRITE:
		w((uint32_t)le(p + 1, 2), p[3], le(p + 4, 8));
		break;
	case FZ_MMIO_READ:
		(void)xhci_mmio_read(hc, (uint32_t)le(p + 1, 2), p[3]);
		break;
	case FZ_POKE: {
		uint32_t off = (uint32_t)le(p + 1, 2), n = p[3];

		if (avail < len + n)
			return 0;
		if (off + n <= FZ_MEM)
			memcpy(mem + off, p + 4, n);
		len += n;
		break;
	}
	case FZ_CMD_TRB:
		prod_push(&cmd_ring, p + 1);
		w(XHCI_DBOFF, 4, 0);
		run();
		break;
	case FZ_XFER_TRB:
		prod_push(&rings[p[1] % FZ_NR_RINGS], p + 2);
		break;
	case FZ_DOORBELL:
		w(XHCI_DBOFF + 4u * (p[1] % (FZ_MAX_SLOTS + 2)), 4, p[2]);
		run();
		break;
	case FZ_PORT:
		if (p[2])
			(void)xhci_port_connect(hc, p[1] % 8, p[2] % 7);
		else
			(void)xhci_port_disconnect(hc, p[1] % 8);
		break;
	case FZ_XFER_DONE:
		xfer_done(p + 1);
		run();
		break;
	case FZ_CMD_DONE:
		xhci_cmd_done(hc, last_seq, p[1]);
		run();
		break;
	case FZ_RESET_DONE:
		xhci_port_reset_done(hc, p[1] % 8, p[2] & 1);
		run();
		break;
	case FZ_INTERRUPTS:
		interrupts();
		break;
	case FZ_ROLE_DONE:
		if (p[3] == 0xff)
			xhci_drd_role_now(hc, p[2]);
		else
			xhci_drd_role_done(hc, last_role_seq - p[1], p[2],
					   p[3] & 1);
		break;
	default:
		put32(FZ_INPUT_CTX +
			      (p[1] % 34u) * (hc->cfg.ctx64 ? 64u : 32u) +
			      4u * (p[2] % 8u),
		      (uint32_t)le(p + 3, 4));
		break;
	}
	return len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xhci_config cfg = { 0 };
	size_t pos = 2, n;
	unsigned int k;

	if (size < 2)
		return 0;
	/* Allocated once (the controller is large); cleared every run. */
	if (!mem) {
		mem = malloc(FZ_MEM);
		hc = malloc(sizeof(*hc));
		check(mem && hc);
	}
	memset(mem, 0, FZ_MEM);
	cfg.nr_usb2_ports = data[0] & 3;
	cfg.nr_usb3_ports = (data[0] >> 2) & 3;
	if (!cfg.nr_usb2_ports && !cfg.nr_usb3_ports)
		cfg.nr_usb2_ports = 1;
	cfg.ctx64 = data[0] & 0x10;
	cfg.nr_intrs = (uint8_t)(((data[0] >> 5) & 3) + 1);
	cfg.max_slots = FZ_MAX_SLOTS;
	mode = data[1];
	cfg.drd = mode & 0x40;
	ops.command = ((mode >> 4) & 3) == 3 ? NULL : op_command;
	nr_tds = 0;
	last_seq = 0;
	last_role_seq = 0;
	check(xhci_init(hc, &cfg, &guest, &ops, &mem) == 0);
	prod_init(&cmd_ring, FZ_CMD_RING, FZ_CMD_TRBS);
	for (k = 0; k < FZ_NR_RINGS; k++)
		prod_init(&rings[k], FZ_RINGS + 0x800u * k, FZ_RING_TRBS);
	if (!(data[0] & 0x80))
		driver_init(&cfg);
	check_state();
	while (pos < size && (n = record(data + pos, size - pos))) {
		pos += n;
		check_state();
	}
	xhci_reset(hc);
	check_state();
	return 0;
}
