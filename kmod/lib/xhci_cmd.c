// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * xHCI command ring (xHCI 1.2, 4.6): the command handlers, the slot and
 * endpoint state machines they drive and their completion codes. A
 * handler checks the command against the slot and endpoint states and its
 * input context, then either completes it or leaves it pending (the
 * backend's part, or a Stop Endpoint waiting for cancelled TDs); the ring
 * goes on only once the pending command completes. docs/xhci.md lists
 * the completion code of every refusal.
 */
#include "xhci_core.h"

/* A handler's answer besides a completion code: completion comes later. */
#define CMD_PENDING 0x100

static struct xhci_slot *slot_of(struct xhci_hc *x, unsigned int id)
{
	if (!id || id > x->cfg.max_slots || !x->slot[id].enabled)
		return NULL;
	return &x->slot[id];
}

static unsigned int slot_state(const struct xhci_slot *s)
{
	return xhci_slot_state(&s->ctx);
}

static void slot_set_state(struct xhci_slot *s, unsigned int state)
{
	s->ctx.dw[3] = xhci_set_bits(s->ctx.dw[3], 27, 5, state);
}

static void slot_writeback(struct xhci_hc *x, struct xhci_slot *s)
{
	if (s->dev_ctx)
		xhci_ctx_write_slot(&x->mem, s->dev_ctx, &s->ctx);
}

static void ep_disable(struct xhci_hc *x, struct xhci_slot *s, unsigned int dci)
{
	xhci_ep_abandon(x, &s->ep[dci]);
	memset(&s->ep[dci], 0, sizeof(s->ep[dci]));
}

/* The input context of the current command; a TRB Error if unusable. */
static int read_input(struct xhci_hc *x)
{
	const struct xhci_trb *t = &x->cmd.trb;

	if (t->param & 0xf)
		return XHCI_CC_TRB;
	if (xhci_ctx_read_input(&x->mem, t->param, xhci_ctx_size(x),
				&x->cmd.in))
		return XHCI_CC_TRB;
	return XHCI_CC_SUCCESS;
}

static void apply(struct xhci_hc *x);

/* Let the backend carry out a checked command, then apply it. */
static int ask_backend(struct xhci_hc *x, struct xhci_slot *s, uint8_t port)
{
	struct xhci_cmd_req req = {
		.type = (uint8_t)xhci_trb_type(&x->cmd.trb),
		.slot = (uint8_t)xhci_trb_slot(&x->cmd.trb),
		.port = port ? port : s->port,
		.bsr = x->cmd.trb.control & XHCI_TRB_BSR,
		.deconfigure = x->cmd.trb.control & XHCI_TRB_DC,
		.in = &x->cmd.in,
	};
	int ret = XHCI_CC_SUCCESS;

	req.seq = ++x->cmd.seq;
	if (x->ops->command)
		ret = x->ops->command(x->priv, &req);
	if (ret == -EINPROGRESS)
		return CMD_PENDING;
	if (ret < (int)XHCI_CC_SUCCESS || ret > 0xff)
		ret = XHCI_CC_USB_TRANSACTION;
	if (ret == XHCI_CC_SUCCESS)
		apply(x);
	return ret;
}

static int cmd_enable_slot(struct xhci_hc *x, uint8_t *slot)
{
	unsigned int id;

	for (id = 1; id <= xhci_slots_enabled(x); id++) {
		struct xhci_slot *s = &x->slot[id];

		if (s->enabled)
			continue;
		memset(s, 0, sizeof(*s));
		s->enabled = true;
		*slot = (uint8_t)id;
		return XHCI_CC_SUCCESS;
	}
	*slot = 0;
	return XHCI_CC_NO_SLOTS;
}

static int cmd_disable_slot(struct xhci_hc *x, struct xhci_slot *s)
{
	unsigned int dci;

	for (dci = 1; dci <= XHCI_MAX_DCI; dci++)
		xhci_ep_abandon(x, &s->ep[dci]);
	slot_set_state(s, XHCI_SLOT_DISABLED);
	slot_writeback(x, s);
	memset(s, 0, sizeof(*s));
	return XHCI_CC_SUCCESS;
}

static bool port_taken(struct xhci_hc *x, const struct xhci_slot *self,
		       unsigned int port)
{
	unsigned int id;

	for (id = 1; id <= x->cfg.max_slots; id++)
		if (&x->slot[id] != self && x->slot[id].enabled &&
		    x->slot[id].port == port)
			return true;
	return false;
}

static int cmd_address_device(struct xhci_hc *x, struct xhci_slot *s)
{
	const struct xhci_input_ctx *in = &x->cmd.in;
	bool bsr = x->cmd.trb.control & XHCI_TRB_BSR;
	unsigned int state = slot_state(s), port;
	uint64_t entry = x->dcbaap + 8 * (uint64_t)xhci_trb_slot(&x->cmd.trb);
	int cc;

	if (bsr ? state != XHCI_SLOT_DISABLED : state > XHCI_SLOT_DEFAULT)
		return XHCI_CC_CONTEXT_STATE;
	cc = read_input(x);
	if (cc != XHCI_CC_SUCCESS)
		return cc;
	if ((in->add & 3) != 3)
		return XHCI_CC_PARAMETER;
	cc = xhci_ctx_check_slot(&in->slot, xhci_nr_ports(x));
	if (cc == XHCI_CC_SUCCESS)
		cc = xhci_ctx_check_ep(&in->ep[1], 1);
	if (cc != XHCI_CC_SUCCESS)
		return cc;
	port = xhci_slot_port(&in->slot);
	if (port_taken(x, s, port))
		return XHCI_CC_PARAMETER;
	if (!(x->port[port].portsc & XHCI_PORTSC_PED))
		return XHCI_CC_USB_TRANSACTION;
	if (xhci_mem_read64(&x->mem, entry, &x->cmd.dev_ctx) ||
	    !x->cmd.dev_ctx || (x->cmd.dev_ctx & 0x3f))
		return XHCI_CC_PARAMETER;
	return ask_backend(x, s, (uint8_t)port);
}

static void apply_address_device(struct xhci_hc *x, struct xhci_slot *s,
				 unsigned int id)
{
	bool bsr = x->cmd.trb.control & XHCI_TRB_BSR;

	ep_disable(x, s, 1);
	s->dev_ctx = x->cmd.dev_ctx;
	s->ctx = x->cmd.in.slot;
	s->port = (uint8_t)xhci_slot_port(&s->ctx);
	/* The USB address is the slot ID: SET_ADDRESS is emulated. */
	s->ctx.dw[3] = bsr ? 0 : id;
	slot_set_state(s, bsr ? XHCI_SLOT_DEFAULT : XHCI_SLOT_ADDRESSED);
	xhci_ep_enable(&s->ep[1], &x->cmd.in.ep[1]);
	slot_writeback(x, s);
	xhci_ep_writeback(x, s, 1);
}

static bool ep_enabled(const struct xhci_slot *s, unsigned int dci)
{
	return xhci_ep_state(&s->ep[dci].ctx) != XHCI_EP_DISABLED;
}

static int cmd_configure_ep(struct xhci_hc *x, struct xhci_slot *s)
{
	const struct xhci_input_ctx *in = &x->cmd.in;
	unsigned int state = slot_state(s), dci, entries, last = 1;
	int cc;

	if (state != XHCI_SLOT_ADDRESSED && state != XHCI_SLOT_CONFIGURED)
		return XHCI_CC_CONTEXT_STATE;
	if (x->cmd.trb.control & XHCI_TRB_DC)
		return ask_backend(x, s, 0);
	cc = read_input(x);
	if (cc != XHCI_CC_SUCCESS)
		return cc;
	entries = xhci_slot_entries((in->add & 1) ? &in->slot : &s->ctx);
	for (dci = 2; dci <= XHCI_MAX_DCI; dci++) {
		bool add = in->add & (1u << dci);

		if (add &&
		    xhci_ctx_check_ep(&in->ep[dci], dci) != XHCI_CC_SUCCESS)
			return XHCI_CC_PARAMETER;
		if (add || (ep_enabled(s, dci) && !(in->drop & (1u << dci))))
			last = dci;
	}
	if (last > entries)
		return XHCI_CC_PARAMETER;
	return ask_backend(x, s, 0);
}

/* Slot context fields Configure Endpoint takes with A0 (6.2.2.3). */
static void take_slot_fields(struct xhci_slot_ctx *to,
			     const struct xhci_slot_ctx *from)
{
	to->dw[0] = (to->dw[0] & 0x01ffffffu) | (from->dw[0] & 0xfe000000u);
	to->dw[1] = (to->dw[1] & 0x00ffffffu) | (from->dw[1] & 0xff000000u);
	to->dw[2] = (to->dw[2] & ~0x3ffffu) | (from->dw[2] & 0x3ffffu);
}

static void apply_configure_ep(struct xhci_hc *x, struct xhci_slot *s)
{
	const struct xhci_input_ctx *in = &x->cmd.in;
	bool dc = x->cmd.trb.control & XHCI_TRB_DC;
	bool configured = false;
	unsigned int dci;

	if (!dc && (in->add & 1))
		take_slot_fields(&s->ctx, &in->slot);
	for (dci = 2; dci <= XHCI_MAX_DCI; dci++) {
		uint32_t bit = 1u << dci;
		bool touched = dc || ((in->add | in->drop) & bit);

		if (touched)
			ep_disable(x, s, dci);
		if (!dc && (in->add & bit))
			xhci_ep_enable(&s->ep[dci], &in->ep[dci]);
		if (touched)
			xhci_ep_writeback(x, s, dci);
		configured |= ep_enabled(s, dci);
	}
	slot_set_state(s,
		       configured ? XHCI_SLOT_CONFIGURED : XHCI_SLOT_ADDRESSED);
	slot_writeback(x, s);
}

static int cmd_evaluate_ctx(struct xhci_hc *x, struct xhci_slot *s)
{
	const struct xhci_input_ctx *in = &x->cmd.in;
	int cc;

	if (slot_state(s) == XHCI_SLOT_DISABLED)
		return XHCI_CC_CONTEXT_STATE;
	cc = read_input(x);
	if (cc != XHCI_CC_SUCCESS)
		return cc;
	if ((in->add & 2) && !xhci_ep_mps(&in->ep[1]))
		return XHCI_CC_PARAMETER;
	if (in->add & 1) {
		/* Max Exit Latency and Interrupter Target (6.2.2.2). */
		s->ctx.dw[1] =
			(s->ctx.dw[1] & ~0xffffu) | (in->slot.dw[1] & 0xffffu);
		s->ctx.dw[2] = (s->ctx.dw[2] & 0x3fffffu) |
			       (in->slot.dw[2] & ~0x3fffffu);
		slot_writeback(x, s);
	}
	if (in->add & 2) {
		struct xhci_ep_ctx *ep0 = &s->ep[1].ctx;

		ep0->dw[1] = xhci_set_bits(ep0->dw[1], 16, 16,
					   xhci_ep_mps(&in->ep[1]));
		xhci_ep_writeback(x, s, 1);
	}
	return XHCI_CC_SUCCESS;
}

static int cmd_reset_ep(struct xhci_hc *x, struct xhci_slot *s,
			unsigned int dci)
{
	struct xhci_ep *ep = &s->ep[dci];

	if (xhci_ep_state(&ep->ctx) != XHCI_EP_HALTED)
		return XHCI_CC_CONTEXT_STATE;
	xhci_ep_set_state(ep, XHCI_EP_STOPPED);
	xhci_ep_writeback(x, s, dci);
	return XHCI_CC_SUCCESS;
}

static int cmd_stop_ep(struct xhci_hc *x, struct xhci_slot *s, unsigned int dci)
{
	struct xhci_ep *ep = &s->ep[dci];
	unsigned int state = xhci_ep_state(&ep->ctx);

	/*
	 * A doorbell still latched was rung before this command. On a
	 * Stopped endpoint it restarted it, so this command stops it again
	 * (refused, the doorbell would restart it once the driver took it
	 * for Stopped); on a Running one it must not restart it afterwards.
	 */
	if (state == XHCI_EP_STOPPED && ep->doorbell && !ep->stop_pending)
		state = XHCI_EP_RUNNING;
	if (state != XHCI_EP_RUNNING || ep->stop_pending)
		return XHCI_CC_CONTEXT_STATE;
	ep->doorbell = false;
	if (ep->count) {
		/* Done once the backend gave every cancelled TD back. */
		ep->stop_pending = true;
		x->cmd.seq++;
		xhci_ep_cancel_all(x, ep);
		return CMD_PENDING;
	}
	xhci_ep_set_state(ep, XHCI_EP_STOPPED);
	xhci_ep_set_deq(&ep->ctx,
			ep->ring.dequeue | (ep->ring.cycle ? 1u : 0u));
	xhci_ep_writeback(x, s, dci);
	return XHCI_CC_SUCCESS;
}

static int cmd_set_tr_deq(struct xhci_hc *x, struct xhci_slot *s,
			  unsigned int dci)
{
	const struct xhci_trb *t = &x->cmd.trb;
	struct xhci_ep *ep = &s->ep[dci];
	unsigned int state = xhci_ep_state(&ep->ctx);
	uint64_t ptr = t->param & ~(uint64_t)0xf;

	if (state != XHCI_EP_STOPPED && state != XHCI_EP_ERROR)
		return XHCI_CC_CONTEXT_STATE;
	/* No streams: SCT and Stream ID must be 0. */
	if (!ptr || (t->param & 0xe) || (t->status >> 16))
		return XHCI_CC_TRB;
	ep->ring.dequeue = ptr;
	ep->ring.cycle = t->param & 1;
	ep->rewind = ptr | (t->param & 1);
	if (!ep->count)
		ep->head_start = ep->rewind;
	xhci_ep_set_deq(&ep->ctx, ep->rewind);
	xhci_ep_writeback(x, s, dci);
	return XHCI_CC_SUCCESS;
}

static int cmd_reset_device(struct xhci_hc *x, struct xhci_slot *s)
{
	unsigned int state = slot_state(s);

	if (state != XHCI_SLOT_ADDRESSED && state != XHCI_SLOT_CONFIGURED)
		return XHCI_CC_CONTEXT_STATE;
	return ask_backend(x, s, 0);
}

static void apply_reset_device(struct xhci_hc *x, struct xhci_slot *s)
{
	unsigned int dci;

	xhci_ep_abandon(x, &s->ep[1]);
	for (dci = 2; dci <= XHCI_MAX_DCI; dci++) {
		ep_disable(x, s, dci);
		xhci_ep_writeback(x, s, dci);
	}
	s->ctx.dw[0] = xhci_set_bits(s->ctx.dw[0], 27, 5, 1);
	s->ctx.dw[3] = 0;
	slot_set_state(s, XHCI_SLOT_DEFAULT);
	slot_writeback(x, s);
}

/* The backend (or no backend) agreed: carry the pending command out. */
static void apply(struct xhci_hc *x)
{
	unsigned int id = xhci_trb_slot(&x->cmd.trb);
	struct xhci_slot *s = slot_of(x, id);

	if (!s)
		return;
	switch (xhci_trb_type(&x->cmd.trb)) {
	case XHCI_TRB_ADDRESS_DEVICE:
		apply_address_device(x, s, id);
		break;
	case XHCI_TRB_CONFIGURE_EP:
		apply_configure_ep(x, s);
		break;
	case XHCI_TRB_RESET_DEVICE:
		apply_reset_device(x, s);
		break;
	default:
		break;
	}
}

/* Endpoint commands: a valid endpoint ID, then the handler. */
static int endpoint_command(struct xhci_hc *x, struct xhci_slot *s,
			    unsigned int type)
{
	unsigned int dci = xhci_trb_ep(&x->cmd.trb);

	if (!dci)
		return XHCI_CC_TRB;
	switch (type) {
	case XHCI_TRB_RESET_EP:
		return cmd_reset_ep(x, s, dci);
	case XHCI_TRB_STOP_EP:
		return cmd_stop_ep(x, s, dci);
	default:
		return cmd_set_tr_deq(x, s, dci);
	}
}

/* Commands naming a slot; *slot is what the completion event carries. */
static int slot_command(struct xhci_hc *x, unsigned int type, uint8_t *slot)
{
	struct xhci_slot *s;

	*slot = (uint8_t)xhci_trb_slot(&x->cmd.trb);
	s = slot_of(x, *slot);
	if (!s)
		return XHCI_CC_SLOT_NOT_ENABLED;
	switch (type) {
	case XHCI_TRB_DISABLE_SLOT:
		return cmd_disable_slot(x, s);
	case XHCI_TRB_ADDRESS_DEVICE:
		return cmd_address_device(x, s);
	case XHCI_TRB_CONFIGURE_EP:
		return cmd_configure_ep(x, s);
	case XHCI_TRB_EVALUATE_CTX:
		return cmd_evaluate_ctx(x, s);
	case XHCI_TRB_RESET_DEVICE:
		return cmd_reset_device(x, s);
	default:
		return endpoint_command(x, s, type);
	}
}

static void handle_command(struct xhci_hc *x)
{
	unsigned int type = xhci_trb_type(&x->cmd.trb);
	uint8_t slot = 0;
	int cc;

	if (type == XHCI_TRB_ENABLE_SLOT)
		cc = cmd_enable_slot(x, &slot);
	else if (type == XHCI_TRB_NOOP_CMD)
		cc = XHCI_CC_SUCCESS;
	else if (xhci_trb_is_command(type))
		cc = slot_command(x, type, &slot);
	else
		cc = XHCI_CC_TRB;
	if (cc == CMD_PENDING) {
		x->cmd.pending = true;
		return;
	}
	xhci_cmd_complete(x, (uint8_t)cc, slot);
}

/* Where the guest's dequeue pointer is: past a Link TRB, like inc_deq. */
static uint64_t cmd_ring_position(struct xhci_hc *x)
{
	struct xhci_trb t;

	if (!xhci_mem_read_trb(&x->mem, x->cmd_ring.dequeue, &t) &&
	    xhci_trb_type(&t) == XHCI_TRB_LINK && !(t.param & 0xf))
		return t.param;
	return x->cmd_ring.dequeue;
}

static void post_ring_stopped(struct xhci_hc *x)
{
	x->crr = false;
	x->cmd_kicked = false;
	xhci_post_event(x, 0,
			xhci_event_command(cmd_ring_position(x),
					   XHCI_CC_CMD_RING_STOPPED, 0),
			false);
}

void xhci_cmd_complete(struct xhci_hc *x, uint8_t cc, uint8_t slot)
{
	x->cmd.pending = false;
	xhci_post_event(x, 0, xhci_event_command(x->cmd.gpa, cc, slot), false);
	x->cmd_kicked = true;
	if (x->cmd.stop_after) {
		x->cmd.stop_after = false;
		post_ring_stopped(x);
	}
}

void xhci_cmd_done(struct xhci_hc *x, uint32_t seq, uint8_t cc)
{
	if (!x->cmd.pending || seq != x->cmd.seq)
		return;
	x->cmd.seq++;
	if (cc == XHCI_CC_SUCCESS)
		apply(x);
	xhci_cmd_complete(x, cc ? cc : XHCI_CC_USB_TRANSACTION,
			  (uint8_t)xhci_trb_slot(&x->cmd.trb));
}

void xhci_stop_ep_done(struct xhci_hc *x, unsigned int slot, unsigned int dci)
{
	const struct xhci_trb *t = &x->cmd.trb;

	if (x->cmd.pending && xhci_trb_type(t) == XHCI_TRB_STOP_EP &&
	    xhci_trb_slot(t) == slot && xhci_trb_ep(t) == dci)
		xhci_cmd_complete(x, XHCI_CC_SUCCESS, (uint8_t)slot);
}

void xhci_cmd_ring_stop(struct xhci_hc *x, bool abort)
{
	if (!x->crr)
		return;
	if (x->cmd.pending && !abort) {
		x->cmd.stop_after = true;
		return;
	}
	if (x->cmd.pending) {
		const struct xhci_trb *t = &x->cmd.trb;
		struct xhci_slot *s = slot_of(x, xhci_trb_slot(t));

		/* A late answer of the backend is ignored from now on. */
		x->cmd.seq++;
		x->cmd.pending = false;
		x->cmd.stop_after = false;
		if (s && xhci_trb_type(t) == XHCI_TRB_STOP_EP)
			s->ep[xhci_trb_ep(t)].stop_pending = false;
		xhci_post_event(x, 0,
				xhci_event_command(x->cmd.gpa,
						   XHCI_CC_CMD_ABORTED,
						   (uint8_t)xhci_trb_slot(t)),
				false);
	}
	post_ring_stopped(x);
}

void xhci_cmd_run(struct xhci_hc *x, unsigned int *budget)
{
	x->cmd_kicked = false;
	if (!xhci_running(x) || x->cmd.pending || (x->usbsts & XHCI_STS_HCE))
		return;
	x->crr = true;
	while (*budget) {
		int ret;

		(*budget)--;
		ret = xhci_ring_fetch(&x->cmd_ring, &x->mem, &x->cmd.trb,
				      &x->cmd.gpa);
		if (!ret)
			break;
		if (ret < 0) {
			/* A ring the controller cannot follow: HCE (4.24.1). */
			x->usbsts |= XHCI_STS_HCE;
			x->crr = false;
			return;
		}
		xhci_ring_advance(&x->cmd_ring);
		handle_command(x);
		if (x->cmd.pending)
			break;
	}
	/* Out of budget with the ring not seen empty: go on next time. */
	x->cmd_kicked = !*budget && !x->cmd.pending;
}
