// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * xHCI interrupters (xHCI 1.2, 4.17, 5.5.2): their registers, posting
 * events on their event rings, and the interrupt decision as data (the
 * kernel module runs the moderation timer). The contract of the public
 * calls is in xhci_hc.h.
 */
#include "xhci_core.h"

/* IMOD after reset: IMODI 4000h, 1 ms (5.5.2.2). */
#define IMOD_DEFAULT 0x4000u
#define IMOD_UNIT_NS 250u

void xhci_intr_reset(struct xhci_hc *x)
{
	unsigned int i;

	for (i = 0; i < XHCI_MAX_INTRS; i++) {
		struct xhci_intr *ir = &x->intr[i];

		memset(ir, 0, sizeof(*ir));
		ir->imod = IMOD_DEFAULT;
	}
}

static struct xhci_intr *intr_of(struct xhci_hc *x, uint32_t off)
{
	uint32_t i = (off - XHCI_IR0) / XHCI_IR_SIZE;

	if (off < XHCI_IR0 || i >= x->cfg.nr_intrs)
		return NULL;
	return &x->intr[i];
}

uint32_t xhci_intr_read(struct xhci_hc *x, uint32_t off)
{
	struct xhci_intr *ir = intr_of(x, off);

	if (!ir)
		return 0;
	switch (off % XHCI_IR_SIZE) {
	case XHCI_IMAN:
		return ir->iman;
	case XHCI_IMOD:
		return ir->imod;
	case XHCI_ERSTSZ:
		return ir->erstsz;
	case XHCI_ERSTBA:
		return (uint32_t)ir->erstba;
	case XHCI_ERSTBA + 4:
		return (uint32_t)(ir->erstba >> 32);
	case XHCI_ERDP:
		return (uint32_t)ir->erdp;
	case XHCI_ERDP + 4:
		return (uint32_t)(ir->erdp >> 32);
	default:
		return 0;
	}
}

/* After ERDP moved or EHB cleared: events still unread want an interrupt. */
static void erdp_written(struct xhci_intr *ir)
{
	uint64_t deq = ir->erdp & ~(uint64_t)0xf;

	xhci_er_dequeue_written(&ir->er);
	if (!(ir->erdp & XHCI_ERDP_EHB) && ir->er.valid &&
	    deq != xhci_er_enqueue(&ir->er))
		ir->irq_request = true;
}

void xhci_intr_write(struct xhci_hc *x, uint32_t off, uint32_t val,
		     uint32_t mask)
{
	struct xhci_intr *ir = intr_of(x, off);
	uint32_t reg = off % XHCI_IR_SIZE;

	if (!ir)
		return;
	switch (reg) {
	case XHCI_IMAN:
		if (val & mask & XHCI_IMAN_IP)
			ir->iman &= ~XHCI_IMAN_IP;
		ir->iman = xhci_merge32(ir->iman, val, mask & XHCI_IMAN_IE);
		break;
	case XHCI_IMOD:
		ir->imod = xhci_merge32(ir->imod, val, mask);
		break;
	case XHCI_ERSTSZ:
		ir->erstsz = xhci_merge32(ir->erstsz, val, mask & 0xffff);
		break;
	case XHCI_ERSTBA:
	case XHCI_ERSTBA + 4:
		ir->erstba = xhci_merge_half(ir->erstba, reg & 4, val, mask) &
			     ~0x3full;
		/* The high half completes the address (lo_hi_writeq). */
		if (reg == XHCI_ERSTBA + 4)
			xhci_er_reset(&ir->er, &x->mem, ir->erstba, ir->erstsz);
		break;
	case XHCI_ERDP:
		if (val & mask & XHCI_ERDP_EHB)
			ir->erdp &= ~(uint64_t)XHCI_ERDP_EHB;
		ir->erdp = xhci_merge_half(ir->erdp, reg & 4, val,
					   mask & ~XHCI_ERDP_EHB);
		erdp_written(ir);
		break;
	case XHCI_ERDP + 4:
		ir->erdp = xhci_merge_half(ir->erdp, reg & 4, val, mask);
		erdp_written(ir);
		break;
	default:
		break;
	}
}

void xhci_post_event(struct xhci_hc *x, unsigned int intr, struct xhci_trb ev,
		     bool bei)
{
	struct xhci_intr *ir;
	int ret;

	if (!xhci_running(x))
		return;
	if (intr >= x->cfg.nr_intrs)
		intr = 0;
	ir = &x->intr[intr];
	ret = xhci_er_push(&ir->er, &x->mem, ev, ir->erdp);
	if ((!ret && !bei) || ret == -ENOSPC)
		ir->irq_request = true;
}

bool xhci_intr_want(const struct xhci_hc *x, unsigned int i)
{
	if (i >= x->cfg.nr_intrs || !xhci_running(x))
		return false;
	return x->intr[i].irq_request && !(x->intr[i].erdp & XHCI_ERDP_EHB);
}

uint32_t xhci_intr_moderation_ns(const struct xhci_hc *x, unsigned int i)
{
	if (i >= x->cfg.nr_intrs)
		return 0;
	return (x->intr[i].imod & 0xffff) * IMOD_UNIT_NS;
}

bool xhci_intr_assert(struct xhci_hc *x, unsigned int i)
{
	struct xhci_intr *ir;

	if (!xhci_intr_want(x, i))
		return false;
	ir = &x->intr[i];
	ir->irq_request = false;
	ir->iman |= XHCI_IMAN_IP;
	ir->erdp |= XHCI_ERDP_EHB;
	x->usbsts |= XHCI_STS_EINT;
	if ((ir->iman & XHCI_IMAN_IE) && (x->usbcmd & XHCI_CMD_INTE)) {
		/* MSI/MSI-X: IP clears once the message is sent (5.5.2.1). */
		ir->iman &= ~XHCI_IMAN_IP;
		return true;
	}
	return false;
}
