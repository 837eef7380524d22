/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * xHCI Transfer Request Blocks (xHCI 1.2, 6.4): types, control bits, field
 * extraction and the event TRBs the controller writes. Portable core: no
 * kernel headers, shared by lhv_xhci.ko, the unit tests and the fuzzer.
 *
 * A TRB is 16 bytes in guest memory: a 64-bit parameter, a 32-bit status
 * and a 32-bit control word, all little endian. The core reads a TRB once
 * into struct xhci_trb (CPU order) and only looks at that copy.
 */
#ifndef LHV_LIB_XHCI_TRB_H
#define LHV_LIB_XHCI_TRB_H

#include "portable.h"

#define XHCI_TRB_SIZE 16u

struct xhci_trb {
	uint64_t param;
	uint32_t status;
	uint32_t control;
};

/* TRB types (6.4.6, table 6-91). */
#define XHCI_TRB_NORMAL 1u
#define XHCI_TRB_SETUP 2u
#define XHCI_TRB_DATA 3u
#define XHCI_TRB_STATUS 4u
#define XHCI_TRB_ISOCH 5u
#define XHCI_TRB_LINK 6u
#define XHCI_TRB_EVENT_DATA 7u
#define XHCI_TRB_NOOP 8u
#define XHCI_TRB_ENABLE_SLOT 9u
#define XHCI_TRB_DISABLE_SLOT 10u
#define XHCI_TRB_ADDRESS_DEVICE 11u
#define XHCI_TRB_CONFIGURE_EP 12u
#define XHCI_TRB_EVALUATE_CTX 13u
#define XHCI_TRB_RESET_EP 14u
#define XHCI_TRB_STOP_EP 15u
#define XHCI_TRB_SET_TR_DEQ 16u
#define XHCI_TRB_RESET_DEVICE 17u
#define XHCI_TRB_NOOP_CMD 23u
#define XHCI_TRB_TRANSFER_EVENT 32u
#define XHCI_TRB_CMD_COMPLETION 33u
#define XHCI_TRB_PORT_STATUS 34u
#define XHCI_TRB_HOST_CONTROLLER 37u

/* Control word bits (6.4.1 - 6.4.4). */
#define XHCI_TRB_C (1u << 0)	   /* cycle */
#define XHCI_TRB_TC (1u << 1)	   /* Link: toggle cycle */
#define XHCI_TRB_ENT (1u << 1)	   /* transfer: evaluate next TRB */
#define XHCI_TRB_ISP (1u << 2)	   /* interrupt on short packet */
#define XHCI_TRB_CH (1u << 4)	   /* chain */
#define XHCI_TRB_IOC (1u << 5)	   /* interrupt on completion */
#define XHCI_TRB_IDT (1u << 6)	   /* immediate data */
#define XHCI_TRB_BSR (1u << 9)	   /* Address Device: block SET_ADDRESS */
#define XHCI_TRB_DC (1u << 9)	   /* Configure Endpoint: deconfigure */
#define XHCI_TRB_BEI (1u << 9)	   /* transfer: block event interrupt */
#define XHCI_TRB_DIR_IN (1u << 16) /* Data and Status Stage */
#define XHCI_TRB_SIA (1u << 31)	   /* Isoch: start ASAP */
#define XHCI_TRB_ED (1u << 2)	   /* Transfer Event: event data */

/* Setup Stage transfer type, control bits 16-17. */
#define XHCI_TRT_NO_DATA 0u
#define XHCI_TRT_OUT 2u
#define XHCI_TRT_IN 3u

/* Completion codes (6.4.5, table 6-90). */
#define XHCI_CC_INVALID 0u
#define XHCI_CC_SUCCESS 1u
#define XHCI_CC_DATA_BUFFER 2u
#define XHCI_CC_BABBLE 3u
#define XHCI_CC_USB_TRANSACTION 4u
#define XHCI_CC_TRB 5u
#define XHCI_CC_STALL 6u
#define XHCI_CC_RESOURCE 7u
#define XHCI_CC_NO_SLOTS 9u
#define XHCI_CC_SLOT_NOT_ENABLED 11u
#define XHCI_CC_EP_NOT_ENABLED 12u
#define XHCI_CC_SHORT_PACKET 13u
#define XHCI_CC_PARAMETER 17u
#define XHCI_CC_CONTEXT_STATE 19u
#define XHCI_CC_EVENT_RING_FULL 21u
#define XHCI_CC_MISSED_SERVICE 23u
#define XHCI_CC_CMD_RING_STOPPED 24u
#define XHCI_CC_CMD_ABORTED 25u
#define XHCI_CC_STOPPED 26u
#define XHCI_CC_STOPPED_LENGTH_INVALID 27u

static inline unsigned int xhci_trb_type(const struct xhci_trb *t)
{
	return (t->control >> 10) & 0x3f;
}

static inline bool xhci_trb_cycle(const struct xhci_trb *t)
{
	return t->control & XHCI_TRB_C;
}

/* Slot ID of commands and events, control bits 24-31. */
static inline unsigned int xhci_trb_slot(const struct xhci_trb *t)
{
	return t->control >> 24;
}

/* Endpoint ID (device context index), control bits 16-20. */
static inline unsigned int xhci_trb_ep(const struct xhci_trb *t)
{
	return (t->control >> 16) & 0x1f;
}

/* Transfer TRBs: length (status bits 0-16), interrupter (22-31). */
static inline uint32_t xhci_trb_xfer_len(const struct xhci_trb *t)
{
	return t->status & 0x1ffff;
}

static inline unsigned int xhci_trb_td_size(const struct xhci_trb *t)
{
	return (t->status >> 17) & 0x1f;
}

static inline unsigned int xhci_trb_intr_target(const struct xhci_trb *t)
{
	return t->status >> 22;
}

/* A 16-byte aligned guest pointer in bits 4-63 of the parameter. */
static inline uint64_t xhci_trb_ptr(const struct xhci_trb *t)
{
	return t->param & ~(uint64_t)0xf;
}

/* Decode the 16 bytes of a TRB as read from guest memory. */
void xhci_trb_decode(struct xhci_trb *t, const uint8_t raw[XHCI_TRB_SIZE]);
/* Encode t into the 16 little-endian bytes of guest memory. */
void xhci_trb_encode(const struct xhci_trb *t, uint8_t raw[XHCI_TRB_SIZE]);

/* True for the types a transfer ring may hold besides Link. */
bool xhci_trb_is_transfer(unsigned int type);
/* True for the command types this controller carries out. */
bool xhci_trb_is_command(unsigned int type);

/*
 * Event TRBs (6.4.2), the cycle bit left 0 for the event ring to set.
 * Transfer Event: trb is the TRB's address or, with ed, the Event Data
 * TRB's parameter; len the residual (or with ed the accumulated length),
 * 24 bits.
 */
struct xhci_trb xhci_event_transfer(uint64_t trb, uint32_t len, uint8_t cc,
				    bool ed, uint8_t slot, uint8_t dci);
/* Command Completion Event for the command TRB at cmd. */
struct xhci_trb xhci_event_command(uint64_t cmd, uint8_t cc, uint8_t slot);
/* Port Status Change Event for port (1-based). */
struct xhci_trb xhci_event_port(uint8_t port);
/* Host Controller Event (Event Ring Full and the like). */
struct xhci_trb xhci_event_host(uint8_t cc);

#endif /* LHV_LIB_XHCI_TRB_H */
