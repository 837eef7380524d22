// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* xHCI TRB encoding and the event TRBs; the contract is in xhci_trb.h. */
#include "xhci_trb.h"

void xhci_trb_decode(struct xhci_trb *t, const uint8_t raw[XHCI_TRB_SIZE])
{
	lhv_le64 p;
	lhv_le32 s, c;

	memcpy(&p, raw, 8);
	memcpy(&s, raw + 8, 4);
	memcpy(&c, raw + 12, 4);
	t->param = lhv_le64_to_cpu(p);
	t->status = lhv_le32_to_cpu(s);
	t->control = lhv_le32_to_cpu(c);
}

void xhci_trb_encode(const struct xhci_trb *t, uint8_t raw[XHCI_TRB_SIZE])
{
	lhv_le64 p = lhv_cpu_to_le64(t->param);
	lhv_le32 s = lhv_cpu_to_le32(t->status);
	lhv_le32 c = lhv_cpu_to_le32(t->control);

	memcpy(raw, &p, 8);
	memcpy(raw + 8, &s, 4);
	memcpy(raw + 12, &c, 4);
}

bool xhci_trb_is_transfer(unsigned int type)
{
	return type >= XHCI_TRB_NORMAL && type <= XHCI_TRB_NOOP &&
	       type != XHCI_TRB_LINK;
}

bool xhci_trb_is_command(unsigned int type)
{
	return (type >= XHCI_TRB_ENABLE_SLOT &&
		type <= XHCI_TRB_RESET_DEVICE) ||
	       type == XHCI_TRB_NOOP_CMD;
}

static uint32_t type_bits(unsigned int type)
{
	return (uint32_t)type << 10;
}

struct xhci_trb xhci_event_transfer(uint64_t trb, uint32_t len, uint8_t cc,
				    bool ed, uint8_t slot, uint8_t dci)
{
	struct xhci_trb t = {
		.param = trb,
		.status = (len & 0xffffff) | (uint32_t)cc << 24,
		.control = type_bits(XHCI_TRB_TRANSFER_EVENT) |
			   (uint32_t)(dci & 0x1f) << 16 | (uint32_t)slot << 24,
	};

	if (ed)
		t.control |= XHCI_TRB_ED;
	return t;
}

struct xhci_trb xhci_event_command(uint64_t cmd, uint8_t cc, uint8_t slot)
{
	struct xhci_trb t = {
		.param = cmd & ~(uint64_t)0xf,
		.status = (uint32_t)cc << 24,
		.control = type_bits(XHCI_TRB_CMD_COMPLETION) | (uint32_t)slot
									<< 24,
	};

	return t;
}

struct xhci_trb xhci_event_port(uint8_t port)
{
	struct xhci_trb t = {
		.param = (uint64_t)port << 24,
		.status = (uint32_t)XHCI_CC_SUCCESS << 24,
		.control = type_bits(XHCI_TRB_PORT_STATUS),
	};

	return t;
}

struct xhci_trb xhci_event_host(uint8_t cc)
{
	struct xhci_trb t = {
		.status = (uint32_t)cc << 24,
		.control = type_bits(XHCI_TRB_HOST_CONTROLLER),
	};

	return t;
}
