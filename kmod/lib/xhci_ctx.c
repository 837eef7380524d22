// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* xHCI contexts in guest memory; the contract is in xhci_ctx.h. */
#include "xhci_ctx.h"

/* Dwords of a context that carry fields; the rest is reserved. */
#define SLOT_DWORDS 4u
#define EP_DWORDS 5u

static int read_dwords(const struct xhci_mem *m, uint64_t gpa, uint32_t *dw,
		       unsigned int n)
{
	lhv_le32 raw[XHCI_CTX_DWORDS];
	unsigned int i;

	if (m->read(m->priv, gpa, raw, sizeof(raw)))
		return -EFAULT;
	for (i = 0; i < XHCI_CTX_DWORDS; i++)
		dw[i] = i < n ? lhv_le32_to_cpu(raw[i]) : 0;
	return 0;
}

static int write_dwords(const struct xhci_mem *m, uint64_t gpa,
			const uint32_t *dw)
{
	lhv_le32 raw[XHCI_CTX_DWORDS];
	unsigned int i;

	for (i = 0; i < XHCI_CTX_DWORDS; i++)
		raw[i] = lhv_cpu_to_le32(dw[i]);
	return m->write(m->priv, gpa, raw, sizeof(raw)) ? -EFAULT : 0;
}

int xhci_ctx_read_input(const struct xhci_mem *m, uint64_t gpa,
			unsigned int ctx_size, struct xhci_input_ctx *in)
{
	uint32_t icc[XHCI_CTX_DWORDS];
	unsigned int dci;

	memset(in, 0, sizeof(*in));
	if (!gpa || (gpa & 0xf))
		return -EINVAL;
	if (read_dwords(m, gpa, icc, XHCI_CTX_DWORDS))
		return -EFAULT;
	in->drop = icc[0] & ~3u;
	in->add = icc[1];
	in->config_value = (uint8_t)icc[7];
	in->interface = (uint8_t)(icc[7] >> 8);
	in->alternate = (uint8_t)(icc[7] >> 16);
	if ((in->add & 1) &&
	    read_dwords(m, gpa + ctx_size, in->slot.dw, SLOT_DWORDS))
		return -EFAULT;
	for (dci = 1; dci <= XHCI_MAX_DCI; dci++) {
		uint64_t at = gpa + (uint64_t)(dci + 1) * ctx_size;

		if ((in->add & (1u << dci)) &&
		    read_dwords(m, at, in->ep[dci].dw, EP_DWORDS))
			return -EFAULT;
	}
	return 0;
}

uint8_t xhci_ctx_check_slot(const struct xhci_slot_ctx *s,
			    unsigned int nr_ports)
{
	unsigned int port = xhci_slot_port(s);
	unsigned int speed = xhci_slot_speed(s);

	if (!port || port > nr_ports || xhci_slot_route(s))
		return XHCI_CC_PARAMETER;
	if (speed < XHCI_SPEED_FULL || speed > XHCI_SPEED_SUPER_PLUS)
		return XHCI_CC_PARAMETER;
	if (!xhci_slot_entries(s))
		return XHCI_CC_PARAMETER;
	return XHCI_CC_SUCCESS;
}

uint8_t xhci_ctx_check_ep(const struct xhci_ep_ctx *e, unsigned int dci)
{
	unsigned int type = xhci_ep_type(e);
	uint64_t deq = xhci_ep_deq(e);

	if (!dci || dci > XHCI_MAX_DCI || !type)
		return XHCI_CC_PARAMETER;
	if (dci == 1 && type != XHCI_EP_CONTROL)
		return XHCI_CC_PARAMETER;
	/* Odd DCIs are IN (or control), even ones OUT. */
	if ((dci & 1) != (xhci_ep_type_in(type) ? 1u : 0u))
		return XHCI_CC_PARAMETER;
	if (!xhci_ep_mps(e) || xhci_bits(e->dw[0], 10, 5) ||
	    xhci_ep_interval(e) > 15 || xhci_bits(e->dw[0], 8, 2) > 2)
		return XHCI_CC_PARAMETER;
	if (!(deq & ~(uint64_t)0xf) || (deq & 0xe))
		return XHCI_CC_PARAMETER;
	return XHCI_CC_SUCCESS;
}

int xhci_ctx_write_slot(const struct xhci_mem *m, uint64_t dev,
			const struct xhci_slot_ctx *s)
{
	return write_dwords(m, dev, s->dw);
}

int xhci_ctx_write_ep(const struct xhci_mem *m, uint64_t dev,
		      unsigned int ctx_size, unsigned int dci,
		      const struct xhci_ep_ctx *e)
{
	if (!dci || dci > XHCI_MAX_DCI)
		return -EINVAL;
	return write_dwords(m, dev + (uint64_t)dci * ctx_size, e->dw);
}
