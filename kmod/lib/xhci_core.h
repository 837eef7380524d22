/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * What the files of the xHCI core share among themselves (not for the
 * kernel module: it uses xhci_hc.h).
 */
#ifndef LHV_LIB_XHCI_CORE_H
#define LHV_LIB_XHCI_CORE_H

#include "xhci_hc.h"
#include "xhci_regs.h"

static inline bool xhci_running(const struct xhci_hc *x)
{
	return !(x->usbsts & XHCI_STS_HCH);
}

static inline unsigned int xhci_ctx_size(const struct xhci_hc *x)
{
	return x->cfg.ctx64 ? 64u : 32u;
}

/* Slots the guest enabled in CONFIG, at most what the controller has. */
static inline unsigned int xhci_slots_enabled(const struct xhci_hc *x)
{
	unsigned int n = x->config & 0xff;

	return n < x->cfg.max_slots ? n : x->cfg.max_slots;
}

/* A register write of the bytes in mask (from a 1-8 byte MMIO access). */
static inline uint32_t xhci_merge32(uint32_t old, uint32_t val, uint32_t mask)
{
	return (old & ~mask) | (val & mask);
}

/* The same into the low or high half of a 64-bit register. */
static inline uint64_t xhci_merge_half(uint64_t old, bool high, uint32_t val,
				       uint32_t mask)
{
	unsigned int shift = high ? 32 : 0;
	uint64_t m = (uint64_t)mask << shift;

	return (old & ~m) | (((uint64_t)val << shift) & m);
}

/* xhci_regs.c: MFINDEX now (microframes since R/S, 14 bits). */
uint32_t xhci_mfindex(struct xhci_hc *x);

/* xhci_intr.c */
void xhci_post_event(struct xhci_hc *x, unsigned int intr, struct xhci_trb ev,
		     bool bei);
void xhci_intr_reset(struct xhci_hc *x);
uint32_t xhci_intr_read(struct xhci_hc *x, uint32_t off);
void xhci_intr_write(struct xhci_hc *x, uint32_t off, uint32_t val,
		     uint32_t mask);

/* xhci_port.c */
void xhci_ports_reset(struct xhci_hc *x);
uint32_t xhci_port_read(const struct xhci_hc *x, uint32_t off);
void xhci_port_write(struct xhci_hc *x, uint32_t off, uint32_t val,
		     uint32_t mask);
void xhci_ports_process(struct xhci_hc *x);
void xhci_ports_announce(struct xhci_hc *x);

/* xhci_drd.c */
uint32_t xhci_drd_read(const struct xhci_hc *x, uint32_t off);
void xhci_drd_write(struct xhci_hc *x, uint32_t off, uint32_t val,
		    uint32_t mask);

/* xhci_cmd.c */
void xhci_cmd_run(struct xhci_hc *x, unsigned int *budget);
void xhci_cmd_complete(struct xhci_hc *x, uint8_t cc, uint8_t slot);
void xhci_cmd_ring_stop(struct xhci_hc *x, bool abort);
void xhci_stop_ep_done(struct xhci_hc *x, unsigned int slot, unsigned int dci);

/* xhci_xfer.c */
void xhci_ep_enable(struct xhci_ep *ep, const struct xhci_ep_ctx *ctx);
void xhci_ep_abandon(struct xhci_hc *x, struct xhci_ep *ep);
void xhci_ep_cancel_all(struct xhci_hc *x, struct xhci_ep *ep);
void xhci_ep_set_state(struct xhci_ep *ep, unsigned int state);
void xhci_ep_writeback(struct xhci_hc *x, struct xhci_slot *s,
		       unsigned int dci);
void xhci_ep_run(struct xhci_hc *x, unsigned int slot, unsigned int dci,
		 unsigned int *budget);

#endif /* LHV_LIB_XHCI_CORE_H */
