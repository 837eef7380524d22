// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The xHCI register file (xHCI 1.2, chapter 5) over the BAR: capability,
 * operational, port, runtime and doorbell registers and the extended
 * capabilities, plus controller init, reset and the work loop. Accesses
 * of any size and alignment are split into dword accesses with a byte
 * mask, so every register sees only the bytes that were written; a
 * 64-bit access is its low dword, then its high dword (lo_hi_writeq).
 */
#include "xhci_core.h"

#define PORT_SET_SIZE 0x10u
#define PROTOCOL_CAP_SIZE 0x10u
/* HCSPARAMS2 IST: one microframe. */
#define IST_MICROFRAMES 1u
#define MFINDEX_NS 125000u

static uint32_t cap_read(const struct xhci_hc *x, uint32_t off)
{
	switch (off) {
	case XHCI_CAP_LENGTH_VERSION:
		return XHCI_CAPLENGTH | XHCI_HCIVERSION << 16;
	case XHCI_CAP_HCSPARAMS1:
		return x->cfg.max_slots | (uint32_t)x->cfg.nr_intrs << 8 |
		       (uint32_t)xhci_nr_ports(x) << 24;
	case XHCI_CAP_HCSPARAMS2:
		return IST_MICROFRAMES | XHCI_ERST_MAX_LOG2 << 4;
	case XHCI_CAP_HCCPARAMS1:
		return XHCI_HCC1_AC64 | (x->cfg.ctx64 ? XHCI_HCC1_CSZ : 0) |
		       (XHCI_XECP / 4) << 16;
	case XHCI_CAP_DBOFF:
		return XHCI_DBOFF;
	case XHCI_CAP_RTSOFF:
		return XHCI_RTSOFF;
	default:
		return 0; /* HCSPARAMS3, HCCPARAMS2: no optional feature */
	}
}

/*
 * Supported Protocol capabilities: USB 2 ports first, then USB 3. The
 * last one points on to the DRD capability when the controller has it.
 */
static uint32_t xecp_read(const struct xhci_hc *x, uint32_t off)
{
	unsigned int n2 = x->cfg.nr_usb2_ports, n3 = x->cfg.nr_usb3_ports;
	unsigned int idx = off / PROTOCOL_CAP_SIZE;
	bool usb3 = idx == 1 || !n2;
	unsigned int first = usb3 ? n2 + 1 : 1, count = usb3 ? n3 : n2;
	bool last = usb3 || !n3;
	uint32_t next = PROTOCOL_CAP_SIZE;

	if (idx > 1 || (idx == 1 && (!n2 || !n3)))
		return 0;
	if (last)
		next = x->cfg.drd ? XHCI_DRD_CAP - XHCI_XECP -
					    idx * PROTOCOL_CAP_SIZE
				  : 0;
	switch (off % PROTOCOL_CAP_SIZE) {
	case 0:
		return XHCI_EXT_CAP_PROTOCOL | (next / 4) << 8 |
		       (usb3 ? 3u : 2u) << 24;
	case 4:
		return XHCI_PROTOCOL_NAME;
	case 8:
		return first | count << 8;
	default:
		return 0; /* Protocol Slot Type 0, no PSI */
	}
}

uint32_t xhci_mfindex(struct xhci_hc *x)
{
	uint64_t now;

	if (!xhci_running(x) || !x->ops->now_ns)
		return 0;
	now = x->ops->now_ns(x->priv);
	return (uint32_t)((now - x->run_start_ns) / MFINDEX_NS) & 0x3fff;
}

static uint32_t op_read(struct xhci_hc *x, uint32_t off)
{
	switch (off) {
	case XHCI_USBCMD:
		return x->usbcmd;
	case XHCI_USBSTS:
		return x->usbsts;
	case XHCI_PAGESIZE:
		return 1; /* 4 KiB */
	case XHCI_DNCTRL:
		return x->dnctrl;
	case XHCI_CRCR:
		return x->crr ? XHCI_CRCR_CRR : 0;
	case XHCI_DCBAAP:
		return (uint32_t)x->dcbaap;
	case XHCI_DCBAAP + 4:
		return (uint32_t)(x->dcbaap >> 32);
	case XHCI_CONFIG:
		return x->config;
	default:
		return 0;
	}
}

static bool in(uint32_t off, uint32_t base, uint32_t size)
{
	return off >= base && off - base < size;
}

static uint32_t reg_read(struct xhci_hc *x, uint32_t off)
{
	uint32_t ports = xhci_nr_ports(x) * PORT_SET_SIZE;

	if (off < XHCI_CAPLENGTH)
		return cap_read(x, off);
	if (in(off, XHCI_PORTS, ports))
		return xhci_port_read(x, off - XHCI_PORTS);
	if (in(off, XHCI_OP, 0x40))
		return op_read(x, off - XHCI_OP);
	if (in(off, XHCI_XECP, 2 * PROTOCOL_CAP_SIZE))
		return xecp_read(x, off - XHCI_XECP);
	if (x->cfg.drd && in(off, XHCI_DRD_CAP, XHCI_DRD_CAP_SIZE))
		return xhci_drd_read(x, off - XHCI_DRD_CAP);
	if (off == XHCI_RTSOFF + XHCI_MFINDEX)
		return xhci_mfindex(x);
	if (in(off, XHCI_RTSOFF, XHCI_IR0 + XHCI_IR_SIZE * x->cfg.nr_intrs))
		return xhci_intr_read(x, off - XHCI_RTSOFF);
	return 0; /* doorbells read 0, holes read 0 */
}

static void start(struct xhci_hc *x)
{
	x->usbsts &= ~XHCI_STS_HCH;
	x->run_start_ns = x->ops->now_ns ? x->ops->now_ns(x->priv) : 0;
	xhci_ports_announce(x);
}

static void halt(struct xhci_hc *x)
{
	x->usbsts |= XHCI_STS_HCH;
	x->crr = false;
}

static void usbcmd_write(struct xhci_hc *x, uint32_t val, uint32_t mask)
{
	uint32_t old = x->usbcmd;

	if (val & mask & XHCI_CMD_HCRST) {
		xhci_reset(x);
		return;
	}
	x->usbcmd = xhci_merge32(x->usbcmd, val, mask & XHCI_CMD_RW);
	if (!(old & XHCI_CMD_RUN) && (x->usbcmd & XHCI_CMD_RUN))
		start(x);
	else if ((old & XHCI_CMD_RUN) && !(x->usbcmd & XHCI_CMD_RUN))
		halt(x);
}

static void crcr_write(struct xhci_hc *x, bool high, uint32_t val,
		       uint32_t mask)
{
	uint64_t ptr = x->cmd_ring.dequeue;

	if (x->crr) {
		/* While running only CS and CA act (5.4.5). */
		if (!high && (val & mask & XHCI_CRCR_CA))
			xhci_cmd_ring_stop(x, true);
		else if (!high && (val & mask & XHCI_CRCR_CS))
			xhci_cmd_ring_stop(x, false);
		return;
	}
	ptr = xhci_merge_half(ptr, high, val, mask);
	x->cmd_ring.dequeue = ptr & ~(uint64_t)0x3f;
	if (!high && (mask & XHCI_CRCR_RCS))
		x->cmd_ring.cycle = val & XHCI_CRCR_RCS;
}

static void op_write(struct xhci_hc *x, uint32_t off, uint32_t val,
		     uint32_t mask)
{
	switch (off) {
	case XHCI_USBCMD:
		usbcmd_write(x, val, mask);
		break;
	case XHCI_USBSTS:
		x->usbsts &= ~(val & mask & XHCI_STS_RW1C);
		break;
	case XHCI_DNCTRL:
		x->dnctrl = xhci_merge32(x->dnctrl, val, mask & 0xffff);
		break;
	case XHCI_CRCR:
	case XHCI_CRCR + 4:
		crcr_write(x, off == XHCI_CRCR + 4, val, mask);
		break;
	case XHCI_DCBAAP:
	case XHCI_DCBAAP + 4:
		x->dcbaap = xhci_merge_half(x->dcbaap, off == XHCI_DCBAAP + 4,
					    val, mask) &
			    ~(uint64_t)0x3f;
		break;
	case XHCI_CONFIG:
		/* MaxSlotsEn, U3E, CIE; only while halted (5.4.7). */
		if (!xhci_running(x))
			x->config = xhci_merge32(x->config, val, mask & 0x3ff);
		break;
	default:
		break;
	}
}

static void doorbell_write(struct xhci_hc *x, uint32_t db, uint32_t val,
			   uint32_t mask)
{
	unsigned int target = val & 0xff;

	if (!(mask & 0xff) || db > x->cfg.max_slots)
		return;
	if (!db) {
		if (!target)
			x->cmd_kicked = true;
		return;
	}
	if (target && target <= XHCI_MAX_DCI && x->slot[db].enabled) {
		struct xhci_ep *ep = &x->slot[db].ep[target];
		unsigned int state = xhci_ep_state(&ep->ctx);

		ep->kicked = true;
		/*
		 * A doorbell rung while the endpoint is Halted or in Error does
		 * nothing: latched, it would restart the endpoint once
		 * Reset Endpoint stops it, before Set TR Dequeue moves on.
		 */
		if (state != XHCI_EP_HALTED && state != XHCI_EP_ERROR)
			ep->doorbell = true;
	}
}

static void reg_write(struct xhci_hc *x, uint32_t off, uint32_t val,
		      uint32_t mask)
{
	uint32_t ports = xhci_nr_ports(x) * PORT_SET_SIZE;

	if (in(off, XHCI_PORTS, ports))
		xhci_port_write(x, off - XHCI_PORTS, val, mask);
	else if (in(off, XHCI_OP, 0x40))
		op_write(x, off - XHCI_OP, val, mask);
	else if (in(off, XHCI_RTSOFF + XHCI_IR0,
		    XHCI_IR_SIZE * x->cfg.nr_intrs))
		xhci_intr_write(x, off - XHCI_RTSOFF, val, mask);
	else if (x->cfg.drd && in(off, XHCI_DRD_CAP, XHCI_DRD_CAP_SIZE))
		xhci_drd_write(x, off - XHCI_DRD_CAP, val, mask);
	else if (in(off, XHCI_DBOFF, 4 * (x->cfg.max_slots + 1u)))
		doorbell_write(x, (off - XHCI_DBOFF) / 4, val, mask);
}

static bool access_ok(uint32_t off, unsigned int size)
{
	if (size != 1 && size != 2 && size != 4 && size != 8)
		return false;
	return (uint64_t)off + size <= XHCI_BAR_SIZE;
}

uint64_t xhci_mmio_read(struct xhci_hc *x, uint32_t off, unsigned int size)
{
	uint64_t v = 0;
	unsigned int i;

	if (!access_ok(off, size))
		return 0;
	for (i = 0; i < size; i++) {
		uint32_t a = off + i;
		uint32_t dw = reg_read(x, a & ~3u);

		v |= (uint64_t)((dw >> (8 * (a & 3))) & 0xff) << (8 * i);
	}
	return v;
}

void xhci_mmio_write(struct xhci_hc *x, uint32_t off, unsigned int size,
		     uint64_t val)
{
	uint32_t first, last, dw;

	if (!access_ok(off, size))
		return;
	first = off & ~3u;
	last = (off + size - 1) & ~3u;
	for (dw = first; dw <= last; dw += 4) {
		uint32_t v = 0, mask = 0;
		unsigned int b;

		for (b = 0; b < 4; b++) {
			uint32_t a = dw + b;

			if (a < off || a >= off + size)
				continue;
			v |= (uint32_t)((val >> (8 * (a - off))) & 0xff)
			     << (8 * b);
			mask |= 0xffu << (8 * b);
		}
		reg_write(x, dw, v, mask);
	}
}

void xhci_reset(struct xhci_hc *x)
{
	unsigned int id, dci;

	for (id = 1; id <= x->cfg.max_slots; id++) {
		struct xhci_slot *s = &x->slot[id];

		if (s->enabled)
			for (dci = 1; dci <= XHCI_MAX_DCI; dci++)
				xhci_ep_abandon(x, &s->ep[dci]);
		memset(s, 0, sizeof(*s));
	}
	x->cmd.seq++;
	x->cmd.pending = false;
	x->cmd.stop_after = false;
	x->usbcmd = 0;
	x->usbsts = XHCI_STS_HCH;
	x->dnctrl = 0;
	x->config = 0;
	x->dcbaap = 0;
	x->cmd_ring.dequeue = 0;
	x->cmd_ring.cycle = false;
	x->crr = false;
	x->cmd_kicked = false;
	xhci_intr_reset(x);
	xhci_ports_reset(x);
}

int xhci_init(struct xhci_hc *x, const struct xhci_config *cfg,
	      const struct xhci_mem *mem, const struct xhci_backend_ops *ops,
	      void *priv)
{
	unsigned int ports;

	if (!x || !cfg || !mem || !mem->read || !mem->write || !ops ||
	    !ops->control || !ops->submit)
		return -EINVAL;
	ports = cfg->nr_usb2_ports + cfg->nr_usb3_ports;
	if (!ports || ports > XHCI_MAX_PORTS || !cfg->max_slots ||
	    cfg->max_slots > XHCI_MAX_SLOTS || !cfg->nr_intrs ||
	    cfg->nr_intrs > XHCI_MAX_INTRS || (cfg->drd && !ops->role_set))
		return -EINVAL;
	memset(x, 0, sizeof(*x));
	x->cfg = *cfg;
	x->mem = *mem;
	x->ops = ops;
	x->priv = priv;
	xhci_reset(x);
	return 0;
}

static bool run_endpoints(struct xhci_hc *x, unsigned int *budget)
{
	unsigned int id, dci;
	bool more = false;

	for (id = 1; id <= x->cfg.max_slots; id++) {
		struct xhci_slot *s = &x->slot[id];

		if (!s->enabled)
			continue;
		for (dci = 1; dci <= XHCI_MAX_DCI; dci++) {
			if (!s->ep[dci].kicked)
				continue;
			if (!*budget)
				return true;
			xhci_ep_run(x, id, dci, budget);
			/* Still kicked: it stopped for the budget. */
			if (s->ep[dci].kicked)
				more = true;
		}
	}
	return more;
}

bool xhci_process(struct xhci_hc *x)
{
	unsigned int budget = XHCI_PROCESS_BUDGET;
	bool more;

	if (!xhci_running(x))
		return false;
	xhci_ports_process(x);
	if (x->cmd_kicked)
		xhci_cmd_run(x, &budget);
	more = run_endpoints(x, &budget);
	return more || x->cmd_kicked;
}
