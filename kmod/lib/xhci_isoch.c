// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Isochronous TDs: frame arithmetic and packet layout (xhci_isoch.h).
 * Every input may come from the guest's endpoint context or TRBs: any
 * value gives a defined answer.
 */
#include "xhci_isoch.h"

/* The largest payload USB defines per interval (SuperSpeedPlus, 48 KiB). */
#define ESIT_PAYLOAD_MAX (3u * 16u * 1024u)

uint32_t xhci_ep_esit_payload(const struct xhci_ep_ctx *e)
{
	uint32_t mps = xhci_ep_mps(e);
	uint32_t burst = xhci_bits(e->dw[1], 8, 8);
	uint32_t mult = xhci_bits(e->dw[0], 8, 2);
	uint32_t field =
		xhci_bits(e->dw[4], 16, 16) | xhci_bits(e->dw[0], 24, 8) << 16;
	/* At most 65535 x 256 x 4: fits in 32 bits. */
	uint32_t esit = mps * (burst + 1) * (mult + 1);

	if (field && field < esit)
		esit = field;
	return esit < ESIT_PAYLOAD_MAX ? esit : ESIT_PAYLOAD_MAX;
}

int xhci_isoch_frame_delay(uint32_t mfindex, uint16_t frame_id)
{
	uint32_t now = (mfindex >> 3) & XHCI_FRAME_MASK;
	uint32_t ahead = ((uint32_t)frame_id - now) & XHCI_FRAME_MASK;

	return ahead <= XHCI_ISOCH_AHEAD_FRAMES ? (int)ahead : -1;
}

unsigned int xhci_isoch_layout(uint32_t len, uint32_t esit,
			       struct xhci_isoch_packet *pk, unsigned int max)
{
	uint32_t offset = 0;
	unsigned int n, i;

	if (!esit || !max)
		return 0;
	/* Ceiling without overflow: len may be up to 2^32 - 1. */
	n = len ? (unsigned int)(len / esit + (len % esit != 0)) : 1;
	if (n > max)
		return 0;
	for (i = 0; i < n; i++) {
		uint32_t left = len - offset;

		pk[i].offset = offset;
		pk[i].len = left < esit ? left : esit;
		offset += pk[i].len;
	}
	return n;
}
