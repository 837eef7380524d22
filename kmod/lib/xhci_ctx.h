/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * xHCI device, slot, endpoint and input contexts (xHCI 1.2, 6.2): reading
 * them from guest memory, checking the fields the controller relies on,
 * and writing the controller's copies back to the output device context.
 * Portable core.
 *
 * Context size: the controller advertises CSZ (HCCPARAMS1 bit 2) from its
 * configuration; the default is CSZ=0, 32-byte contexts, which halves the
 * guest memory touched per command. Every function takes the size (32 or
 * 64); with 64 the fields are in the first 32 bytes and the rest is
 * neither read nor written.
 *
 * A device context is the slot context followed by endpoint contexts 1-31
 * (index = Device Context Index, DCI: 1 is EP0, 2n is EPn OUT, 2n+1 is
 * EPn IN). An input context is the Input Control Context followed by a
 * slot context and endpoint contexts 1-31.
 */
#ifndef LHV_LIB_XHCI_CTX_H
#define LHV_LIB_XHCI_CTX_H

#include "portable.h"
#include "xhci_ring.h"

#define XHCI_CTX_DWORDS 8u
#define XHCI_MAX_DCI 31u

struct xhci_slot_ctx {
	uint32_t dw[XHCI_CTX_DWORDS];
};

struct xhci_ep_ctx {
	uint32_t dw[XHCI_CTX_DWORDS];
};

/* Slot states (6.2.2, dword 3 bits 27-31). */
#define XHCI_SLOT_DISABLED 0u /* also "Enabled": told apart by the core */
#define XHCI_SLOT_DEFAULT 1u
#define XHCI_SLOT_ADDRESSED 2u
#define XHCI_SLOT_CONFIGURED 3u

/* Endpoint states (6.2.3, dword 0 bits 0-2). */
#define XHCI_EP_DISABLED 0u
#define XHCI_EP_RUNNING 1u
#define XHCI_EP_HALTED 2u
#define XHCI_EP_STOPPED 3u
#define XHCI_EP_ERROR 4u

/* Endpoint types (dword 1 bits 3-5). */
#define XHCI_EP_ISOCH_OUT 1u
#define XHCI_EP_BULK_OUT 2u
#define XHCI_EP_INT_OUT 3u
#define XHCI_EP_CONTROL 4u
#define XHCI_EP_ISOCH_IN 5u
#define XHCI_EP_BULK_IN 6u
#define XHCI_EP_INT_IN 7u

/* Port speeds (PORTSC and slot context, default PSI IDs). */
#define XHCI_SPEED_FULL 1u
#define XHCI_SPEED_LOW 2u
#define XHCI_SPEED_HIGH 3u
#define XHCI_SPEED_SUPER 4u
#define XHCI_SPEED_SUPER_PLUS 5u

static inline uint32_t xhci_bits(uint32_t w, unsigned int lo, unsigned int n)
{
	return (w >> lo) & ((1u << n) - 1);
}

static inline uint32_t xhci_set_bits(uint32_t w, unsigned int lo,
				     unsigned int n, uint32_t v)
{
	uint32_t mask = ((1u << n) - 1) << lo;

	return (w & ~mask) | ((v << lo) & mask);
}

/* Slot context fields. */
static inline uint32_t xhci_slot_route(const struct xhci_slot_ctx *s)
{
	return xhci_bits(s->dw[0], 0, 20);
}

static inline unsigned int xhci_slot_speed(const struct xhci_slot_ctx *s)
{
	return xhci_bits(s->dw[0], 20, 4);
}

static inline unsigned int xhci_slot_entries(const struct xhci_slot_ctx *s)
{
	return xhci_bits(s->dw[0], 27, 5);
}

static inline unsigned int xhci_slot_port(const struct xhci_slot_ctx *s)
{
	return xhci_bits(s->dw[1], 16, 8);
}

static inline unsigned int xhci_slot_state(const struct xhci_slot_ctx *s)
{
	return xhci_bits(s->dw[3], 27, 5);
}

/* Endpoint context fields. */
static inline unsigned int xhci_ep_state(const struct xhci_ep_ctx *e)
{
	return xhci_bits(e->dw[0], 0, 3);
}

static inline unsigned int xhci_ep_interval(const struct xhci_ep_ctx *e)
{
	return xhci_bits(e->dw[0], 16, 8);
}

static inline unsigned int xhci_ep_type(const struct xhci_ep_ctx *e)
{
	return xhci_bits(e->dw[1], 3, 3);
}

static inline unsigned int xhci_ep_mps(const struct xhci_ep_ctx *e)
{
	return xhci_bits(e->dw[1], 16, 16);
}

/* TR Dequeue Pointer with the DCS in bit 0. */
static inline uint64_t xhci_ep_deq(const struct xhci_ep_ctx *e)
{
	return (uint64_t)e->dw[3] << 32 | e->dw[2];
}

static inline void xhci_ep_set_deq(struct xhci_ep_ctx *e, uint64_t deq)
{
	e->dw[2] = (uint32_t)deq;
	e->dw[3] = (uint32_t)(deq >> 32);
}

/* True for the IN endpoint types (and control, which is bidirectional). */
static inline bool xhci_ep_type_in(unsigned int type)
{
	return type >= XHCI_EP_CONTROL;
}

static inline bool xhci_ep_type_isoch(unsigned int type)
{
	return type == XHCI_EP_ISOCH_OUT || type == XHCI_EP_ISOCH_IN;
}

/* An input context, as far as the Add flags ask for it. */
struct xhci_input_ctx {
	uint32_t drop; /* D2-D31 (D0, D1 cleared) */
	uint32_t add;  /* A0-A31 */
	uint8_t config_value, interface, alternate;
	struct xhci_slot_ctx slot;		 /* valid with A0 */
	struct xhci_ep_ctx ep[XHCI_MAX_DCI + 1]; /* [dci], valid with A<dci> */
};

/*
 * Read the input context at gpa with contexts of ctx_size bytes: the
 * Input Control Context, the slot context when A0 is set and each
 * endpoint context whose Add flag is set (others left zero). Reserved
 * dwords of the copies are cleared. Returns 0, -EINVAL (gpa not 16-byte
 * aligned or 0) or -EFAULT.
 */
int xhci_ctx_read_input(const struct xhci_mem *m, uint64_t gpa,
			unsigned int ctx_size, struct xhci_input_ctx *in);

/*
 * Check a slot context for Address Device / Configure Endpoint: root port
 * 1..nr_ports, route string 0 (devices behind hubs are not forwarded),
 * a speed 1-5 and at least one context entry. Returns XHCI_CC_SUCCESS or
 * XHCI_CC_PARAMETER.
 */
uint8_t xhci_ctx_check_slot(const struct xhci_slot_ctx *s,
			    unsigned int nr_ports);

/*
 * Check an endpoint context to be enabled at dci: a type whose direction
 * matches the DCI (control only at odd DCIs, and DCI 1 only control), a
 * max packet size, no streams, interval <= 15, Mult <= 2, and a TR
 * dequeue pointer that is not 0 with bits 1-3 clear. Returns
 * XHCI_CC_SUCCESS or XHCI_CC_PARAMETER.
 */
uint8_t xhci_ctx_check_ep(const struct xhci_ep_ctx *e, unsigned int dci);

/*
 * Write the slot context, or endpoint context dci, into the output device
 * context at dev (the DCBAA entry). Returns 0 or -EFAULT.
 */
int xhci_ctx_write_slot(const struct xhci_mem *m, uint64_t dev,
			const struct xhci_slot_ctx *s);
int xhci_ctx_write_ep(const struct xhci_mem *m, uint64_t dev,
		      unsigned int ctx_size, unsigned int dci,
		      const struct xhci_ep_ctx *e);

#endif /* LHV_LIB_XHCI_CTX_H */
