/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A test guest for the xHCI core (kmod/lib/xhci_*.c): bounded guest
 * memory, a fake backend that records what it is asked, and the steps
 * Linux's xhci_hcd takes (reset, ring setup, commands, transfer rings,
 * event ring consumption), written from the spec so the unit tests read
 * like the driver's init and enumeration.
 */
#ifndef LHV_TEST_XHCI_GUEST_H
#define LHV_TEST_XHCI_GUEST_H

#include <stdbool.h>
#include <stdint.h>

#include "xhci_hc.h"
#include "xhci_regs.h"

/* Guest memory layout (all below GUEST_MEM_SIZE). */
#define GUEST_MEM_SIZE 0x80000u
#define G_DCBAA 0x1000u
#define G_CMD_RING 0x2000u
#define G_CMD_TRBS 16u
#define G_ERST 0x3000u
#define G_EVENT_SEGS 0x4000u /* segment i at + 0x400 * i */
#define G_EVENT_SEG_STRIDE 0x400u
#define G_INPUT_CTX 0x8000u
#define G_OUT_CTX 0x9000u /* slot s at + 0x1000 * (s - 1) */
#define G_RINGS 0x20000u  /* transfer ring n at + 0x1000 * n */
#define G_DATA 0x40000u

#define MAX_EVENT_SEGS 8u

struct fake_backend {
	unsigned int nr_control, nr_submit, nr_cancel, nr_set_config;
	unsigned int nr_set_interface, nr_clear_halt, nr_port_reset;
	unsigned int nr_command;
	struct xhci_xfer last;
	struct xhci_seg segs[16];
	uint32_t cancelled[32];
	struct xhci_cmd_req last_cmd;
	uint8_t config_value, intf, alt, halt_ep;
	uint8_t reset_port;
	bool reset_warm;
	int xfer_ret;	    /* what the transfer ops return */
	int port_reset_ret; /* what port_reset returns */
	int command_ret;    /* what command returns (0: no op installed) */
	uint64_t now;
};

/* A producer ring of n TRBs, the last one a Link back with TC. */
struct prod_ring {
	uint64_t base;
	unsigned int n, idx;
	bool cycle;
};

extern uint8_t *guest;
extern struct xhci_hc *hc;
extern struct fake_backend fake;
extern const struct xhci_mem guest_mem;
extern const struct xhci_backend_ops fake_ops;
extern struct prod_ring cmd_ring;

void guest_alloc(void);
void guest_free(void);

void put32(uint64_t gpa, uint32_t v);
void put64(uint64_t gpa, uint64_t v);
uint32_t get32(uint64_t gpa);
uint64_t get64(uint64_t gpa);
void put_trb(uint64_t gpa, uint64_t param, uint32_t status, uint32_t control);
struct xhci_trb get_trb(uint64_t gpa);

uint32_t r32(uint32_t off);
void w32(uint32_t off, uint32_t v);
void w64(uint32_t off, uint64_t v);

static inline uint32_t trb_type(unsigned int t)
{
	return t << 10;
}

/* init + HCRST, nothing else (the controller stays halted). */
void hc_create(const struct xhci_config *cfg);
/*
 * What xhci_hcd's init does: HCRST, CONFIG, DCBAAP, CRCR, an ERST of
 * nr_segs segments of seg_trbs TRBs, IMAN.IE, IMOD 0, then R/S and INTE.
 */
void hc_start(const struct xhci_config *cfg, unsigned int nr_segs,
	      unsigned int seg_trbs);
void hc_default_start(void);

void ring_init(struct prod_ring *r, uint64_t base, unsigned int n);
/* Put a TRB (its cycle bit set from the ring) and return its address. */
uint64_t ring_push(struct prod_ring *r, uint64_t param, uint32_t status,
		   uint32_t control);

/* Queue a command, ring doorbell 0 and run the controller. */
uint64_t cmd(uint64_t param, uint32_t status, uint32_t control);
/* Pop the next event; false when the ring has none. ERDP follows. */
bool ev_pop(struct xhci_trb *t);
/* Pop a Command Completion for cmd_gpa; returns its code, *slot its ID. */
uint8_t ev_cmd(uint64_t cmd_gpa, uint8_t *slot);
/* Pop a Transfer Event; returns its code, *ptr and *len its fields. */
uint8_t ev_xfer(uint64_t *ptr, uint32_t *len);
/* Skip Port Status Change events. */
void ev_drain_ports(void);
unsigned int ev_count_pending(void);

/* Input context: clear, then set dword dw of context i (0 ICC, 1 slot). */
void ictx_clear(void);
void ictx_put(unsigned int i, unsigned int dw, uint32_t v);
uint32_t out_dw(unsigned int slot, unsigned int i, unsigned int dw);

/* Enable Slot (returns the slot, 0 on failure). */
uint8_t enable_slot(void);
/* Address Device for slot on port with EP0's ring at ring0; returns cc. */
uint8_t address_device(uint8_t slot, unsigned int port, unsigned int speed,
		       uint64_t ring0, bool bsr);
/* Clear the input context, then Add flags and a slot context. */
void ictx_slot(uint32_t add, unsigned int entries, unsigned int speed,
	       unsigned int port);
/* Put an endpoint context for dci in the input context. */
void ictx_ep(unsigned int dci, unsigned int type, unsigned int mps,
	     uint64_t ring);
/* A device on port 1 (high speed), reset, enabled and addressed. */
uint8_t plug_and_address(struct prod_ring *ep0);

/* Configure bulk OUT 1 (DCI 2) and bulk IN 1 (DCI 3); returns cc. */
uint8_t configure_bulk(uint8_t slot, uint64_t out, uint64_t in);
/* Ring slot's doorbell for dci and run the controller. */
void doorbell_run(uint8_t slot, uint8_t dci);

#endif /* LHV_TEST_XHCI_GUEST_H */
