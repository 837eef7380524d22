/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Isochronous TDs (xHCI 1.1, 4.11.2.5 and 4.14.2): the frame arithmetic
 * of Frame ID and MFINDEX, an endpoint's payload per service interval,
 * and how one TD splits into the packets of a URB. Portable core: the
 * core uses it to check a TD's Frame ID, the kernel module (isoch.c) to
 * lay out its URB.
 */
#ifndef LHV_LIB_XHCI_ISOCH_H
#define LHV_LIB_XHCI_ISOCH_H

#include "portable.h"
#include "xhci_ctx.h"

/* Frame IDs count 1 ms frames modulo 2048 (11 bits). */
#define XHCI_FRAME_MASK 0x7ffu
/*
 * A Frame ID at most this many frames ahead of the current frame is
 * scheduled; further "ahead" it lies in the past (Missed Service). The
 * same window xhci_hcd uses when it computes Frame IDs.
 */
#define XHCI_ISOCH_AHEAD_FRAMES 895u
/* Packets of one forwarded TD (a TD is one service interval normally). */
#define XHCI_ISOCH_MAX_PACKETS 8u

/* One packet of a TD: its bytes at offset in the TD's data. */
struct xhci_isoch_packet {
	uint32_t offset;
	uint32_t len;
};

/*
 * Bytes the endpoint moves per service interval (Max ESIT Payload): Max
 * Packet Size x (Max Burst + 1) x (Mult + 1), or the context's Max ESIT
 * Payload field when the driver put a smaller one there. 0 for a context
 * with Max Packet Size 0 (refused by Configure Endpoint already).
 */
uint32_t xhci_ep_esit_payload(const struct xhci_ep_ctx *e);

/*
 * Frames from the current frame (of the microframe index mfindex, 14
 * bits) to frame_id, 0..XHCI_ISOCH_AHEAD_FRAMES; -1 when frame_id has
 * passed (outside that window).
 */
int xhci_isoch_frame_delay(uint32_t mfindex, uint16_t frame_id);

/*
 * Lay a TD of len bytes out as packets of at most esit bytes each (one
 * per service interval; a zero-length TD is one zero-length packet) into
 * pk[0..max). Returns the number of packets, or 0 when esit is 0 or len
 * needs more than max packets.
 */
unsigned int xhci_isoch_layout(uint32_t len, uint32_t esit,
			       struct xhci_isoch_packet *pk, unsigned int max);

#endif /* LHV_LIB_XHCI_ISOCH_H */
