// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * xHCI transfer rings (xHCI 1.2, 4.10-4.11): TD assembly, handing TDs to
 * the backend, and the Transfer Events of their completions. Each TD is
 * read once to build what the backend gets; at completion the core walks
 * the TD's TRBs again (from where it started, the same count) to place
 * the events, so it keeps only a few words per TD in flight. A guest that
 * rewrites TRBs it handed over gets odd events, never a fault.
 */
#include "xhci_core.h"
#include "xhci_isoch.h"

/* Control TD stages, in the order they must come. */
enum td_stage { STAGE_NONE, STAGE_SETUP, STAGE_DATA, STAGE_STATUS };

struct td_build {
	struct xhci_xfer xfer;
	unsigned int ep_type;
	enum td_stage stage;
	uint16_t nr_trbs;
};

#define USB_REQ_CLEAR_FEATURE 1u
#define USB_REQ_SET_ADDRESS 5u
#define USB_REQ_SET_CONFIGURATION 9u
#define USB_REQ_SET_INTERFACE 11u
#define USB_RECIP_ENDPOINT 2u
#define USB_RECIP_INTERFACE 1u

static uint64_t ring_pack(const struct xhci_ring *r)
{
	return r->dequeue | (r->cycle ? 1u : 0u);
}

static struct xhci_ring ring_unpack(uint64_t v)
{
	struct xhci_ring r = { v & ~(uint64_t)0xf, v & 1 };

	return r;
}

void xhci_ep_set_state(struct xhci_ep *ep, unsigned int state)
{
	ep->ctx.dw[0] = xhci_set_bits(ep->ctx.dw[0], 0, 3, state);
}

void xhci_ep_enable(struct xhci_ep *ep, const struct xhci_ep_ctx *ctx)
{
	memset(ep, 0, sizeof(*ep));
	ep->ctx = *ctx;
	ep->ring = ring_unpack(xhci_ep_deq(ctx));
	ep->head_start = ring_pack(&ep->ring);
	xhci_ep_set_state(ep, XHCI_EP_RUNNING);
}

void xhci_ep_writeback(struct xhci_hc *x, struct xhci_slot *s, unsigned int dci)
{
	/* Unreachable output contexts are the guest's loss, not ours. */
	if (s->dev_ctx)
		xhci_ctx_write_ep(&x->mem, s->dev_ctx, xhci_ctx_size(x), dci,
				  &s->ep[dci].ctx);
}

static struct xhci_inflight *inflight_at(struct xhci_ep *ep, unsigned int i)
{
	return &ep->inflight[(ep->head + i) % XHCI_EP_INFLIGHT];
}

void xhci_ep_cancel_all(struct xhci_hc *x, struct xhci_ep *ep)
{
	unsigned int i;

	for (i = 0; i < ep->count; i++) {
		struct xhci_inflight *e = inflight_at(ep, i);

		if (!e->done && e->cc != XHCI_CC_TRB && x->ops->cancel)
			x->ops->cancel(x->priv, e->id);
	}
}

void xhci_ep_abandon(struct xhci_hc *x, struct xhci_ep *ep)
{
	xhci_ep_cancel_all(x, ep);
	ep->count = 0;
	ep->head = 0;
	ep->draining = false;
	ep->stop_pending = false;
	ep->error_queued = false;
	ep->deferred = false;
	ep->kicked = false;
	ep->head_start = ring_pack(&ep->ring);
}

static int add_seg(struct xhci_hc *x, struct td_build *td,
		   const struct xhci_trb *t)
{
	struct xhci_seg *seg;
	uint32_t len = xhci_trb_xfer_len(t);
	bool idt = t->control & XHCI_TRB_IDT;

	if (td->xfer.nr_segs >= XHCI_TD_MAX_TRBS)
		return -1;
	if (idt && (td->xfer.in || len > 8))
		return -1;
	seg = &x->segs[td->xfer.nr_segs++];
	seg->gpa = t->param;
	seg->len = len;
	seg->immediate = idt;
	td->xfer.len += len;
	return 0;
}

static int add_setup(struct td_build *td, const struct xhci_trb *t)
{
	lhv_le64 raw = lhv_cpu_to_le64(t->param);

	if (!(t->control & XHCI_TRB_IDT) || xhci_trb_xfer_len(t) != 8 ||
	    xhci_bits(t->control, 16, 2) == 1)
		return -1;
	memcpy(td->xfer.setup, &raw, 8);
	td->xfer.has_setup = true;
	td->xfer.in = td->xfer.setup[0] & 0x80;
	td->stage = STAGE_SETUP;
	return 0;
}

/* A TRB of a control TD: 0 go on, 1 the TD ends here, -1 TRB Error. */
static int add_control_trb(struct xhci_hc *x, struct td_build *td,
			   const struct xhci_trb *t)
{
	bool chain = t->control & XHCI_TRB_CH;
	bool first = td->nr_trbs == 1;

	switch (xhci_trb_type(t)) {
	case XHCI_TRB_SETUP:
		return first ? add_setup(td, t) : -1;
	case XHCI_TRB_DATA:
		if (td->stage != STAGE_SETUP ||
		    !(t->control & XHCI_TRB_DIR_IN) != !td->xfer.in)
			return -1;
		td->stage = STAGE_DATA;
		return add_seg(x, td, t);
	case XHCI_TRB_NORMAL:
		return td->stage == STAGE_DATA ? add_seg(x, td, t) : -1;
	case XHCI_TRB_STATUS:
		if (td->stage != STAGE_SETUP && td->stage != STAGE_DATA)
			return -1;
		td->stage = STAGE_STATUS;
		return chain ? 0 : 1;
	case XHCI_TRB_EVENT_DATA:
	case XHCI_TRB_NOOP:
		if (td->stage == STAGE_SETUP || td->stage == STAGE_DATA)
			return 0;
		return chain ? 0 : 1;
	default:
		return -1;
	}
}

/* A TRB of a bulk, interrupt or isoch TD: as add_control_trb. */
static int add_data_trb(struct xhci_hc *x, struct td_build *td,
			const struct xhci_trb *t)
{
	bool isoch = xhci_ep_type_isoch(td->ep_type);
	bool first = td->nr_trbs == 1;
	int end = (t->control & XHCI_TRB_CH) ? 0 : 1;

	switch (xhci_trb_type(t)) {
	case XHCI_TRB_ISOCH:
		if (!isoch || !first)
			return -1;
		td->xfer.isoch_asap = t->control & XHCI_TRB_SIA;
		td->xfer.frame_id = (uint16_t)xhci_bits(t->control, 20, 11);
		return add_seg(x, td, t) ? -1 : end;
	case XHCI_TRB_NORMAL:
		if (isoch && first)
			return -1;
		return add_seg(x, td, t) ? -1 : end;
	case XHCI_TRB_EVENT_DATA:
	case XHCI_TRB_NOOP:
		return end;
	default:
		return -1;
	}
}

/*
 * Collect the TD at *r (moved past it). Returns 1 with the TD in td, 0
 * when the ring holds no complete TD yet, -1 with the bad TRB in *bad.
 */
static int td_collect(struct xhci_hc *x, struct td_build *td,
		      struct xhci_ring *r, uint64_t *bad)
{
	bool control = td->ep_type == XHCI_EP_CONTROL;
	struct xhci_trb t;
	int ret;

	for (;;) {
		ret = xhci_ring_fetch(r, &x->mem, &t, bad);
		if (ret <= 0)
			return ret < 0 ? -1 : 0;
		if (++td->nr_trbs > XHCI_TD_MAX_TRBS)
			return -1;
		ret = control ? add_control_trb(x, td, &t)
			      : add_data_trb(x, td, &t);
		if (ret < 0)
			return -1;
		xhci_ring_advance(r);
		if (ret == 1)
			break;
	}
	/* A control transfer moves exactly wLength bytes. */
	if (td->xfer.has_setup &&
	    (uint32_t)(td->xfer.setup[6] | td->xfer.setup[7] << 8) !=
		    td->xfer.len)
		return -1;
	return 1;
}

static uint8_t errno_to_cc(int err)
{
	if (err == -EPIPE)
		return XHCI_CC_STALL;
	if (err == -EFAULT)
		return XHCI_CC_DATA_BUFFER;
	return XHCI_CC_USB_TRANSACTION;
}

/* Hand a control TD out, standard requests to their own ops. */
static int dispatch_control(struct xhci_hc *x, const struct xhci_xfer *xf)
{
	const struct xhci_backend_ops *ops = x->ops;
	const uint8_t *sp = xf->setup;
	uint16_t value = (uint16_t)(sp[2] | sp[3] << 8);
	uint16_t index = (uint16_t)(sp[4] | sp[5] << 8);

	if (sp[0] == 0 && sp[1] == USB_REQ_SET_ADDRESS)
		return 1; /* Address Device did it */
	if (sp[0] == 0 && sp[1] == USB_REQ_SET_CONFIGURATION && ops->set_config)
		return ops->set_config(x->priv, xf, (uint8_t)value);
	if (sp[0] == USB_RECIP_INTERFACE && sp[1] == USB_REQ_SET_INTERFACE &&
	    ops->set_interface)
		return ops->set_interface(x->priv, xf, (uint8_t)index,
					  (uint8_t)value);
	if (sp[0] == USB_RECIP_ENDPOINT && sp[1] == USB_REQ_CLEAR_FEATURE &&
	    value == 0 && ops->clear_halt)
		return ops->clear_halt(x->priv, xf, (uint8_t)index);
	return ops->control(x->priv, xf);
}

static struct xhci_inflight *inflight_push(struct xhci_hc *x,
					   struct xhci_ep *ep)
{
	struct xhci_inflight *e = inflight_at(ep, ep->count);

	if (!ep->count)
		ep->head_start = ring_pack(&ep->ring);
	ep->count++;
	memset(e, 0, sizeof(*e));
	if (!++x->next_id)
		x->next_id = 1;
	e->id = x->next_id;
	return e;
}

static void ep_flush(struct xhci_hc *x, unsigned int slot, unsigned int dci);

/*
 * An isoch TD's payload per interval and, with a Frame ID, how far ahead
 * it starts; false when that frame has passed (Missed Service, 4.11.2.5).
 */
static bool isoch_schedule(struct xhci_hc *x, const struct xhci_ep *ep,
			   struct xhci_xfer *xf)
{
	int delay;

	xf->isoch_esit = xhci_ep_esit_payload(&ep->ctx);
	if (xf->isoch_asap)
		return true;
	delay = xhci_isoch_frame_delay(xhci_mfindex(x), xf->frame_id);
	if (delay < 0)
		return false;
	xf->frame_delay = (uint16_t)delay;
	return true;
}

/*
 * The backend deferred the TD it was just given (-EAGAIN): the TD goes
 * back to the ring, fetched again after xhci_xfer_retry. False if it is
 * not the newest in-flight TD any more (then it fails as any error).
 */
static bool undispatch(struct xhci_ep *ep, const struct xhci_inflight *e,
		       const struct xhci_ring *start)
{
	if (!ep->count || inflight_at(ep, ep->count - 1u) != e || e->done)
		return false;
	ep->count--;
	ep->ring = *start;
	if (!ep->count)
		ep->head_start = ring_pack(start);
	ep->deferred = true;
	return true;
}

void xhci_xfer_retry(struct xhci_hc *x)
{
	unsigned int id, dci;

	for (id = 1; id <= x->cfg.max_slots; id++) {
		for (dci = 1; dci <= XHCI_MAX_DCI; dci++) {
			struct xhci_ep *ep = &x->slot[id].ep[dci];

			if (!ep->deferred)
				continue;
			ep->deferred = false;
			ep->kicked = true;
		}
	}
}

static void dispatch(struct xhci_hc *x, unsigned int slot, unsigned int dci,
		     struct td_build *td, const struct xhci_ring *end)
{
	struct xhci_slot *s = &x->slot[slot];
	struct xhci_ep *ep = &s->ep[dci];
	struct xhci_inflight *e = inflight_push(x, ep);
	struct xhci_xfer *xf = &td->xfer;
	struct xhci_ring start = ep->ring;
	int ret;

	e->end = ring_pack(end);
	e->len = xf->len;
	e->nr_trbs = td->nr_trbs;
	ep->ring = *end;
	xf->id = e->id;
	xf->port = s->port;
	xf->slot = (uint8_t)slot;
	xf->dci = (uint8_t)dci;
	xf->ep_addr = (uint8_t)(dci / 2);
	if (td->ep_type != XHCI_EP_CONTROL && xf->in)
		xf->ep_addr |= 0x80;
	xf->ep_type = (uint8_t)td->ep_type;
	xf->max_packet = (uint16_t)xhci_ep_mps(&ep->ctx);
	xf->interval = (uint8_t)xhci_ep_interval(&ep->ctx);
	if (xhci_ep_type_isoch(td->ep_type) && !isoch_schedule(x, ep, xf)) {
		xhci_xfer_done(x, slot, dci, e->id, XHCI_CC_MISSED_SERVICE, 0);
		return;
	}
	if (xf->has_setup)
		ret = dispatch_control(x, xf);
	else if (xf->nr_segs)
		ret = x->ops->submit(x->priv, xf);
	else
		ret = 1; /* only No-op and Event Data TRBs */
	if (ret == -EAGAIN && undispatch(ep, e, &start))
		return;
	if (ret == 1)
		xhci_xfer_done(x, slot, dci, e->id, XHCI_CC_SUCCESS, xf->len);
	else if (ret)
		xhci_xfer_done(x, slot, dci, e->id, errno_to_cc(ret), 0);
}

/* Queue a TRB Error for the TD at the ring, to be reported in order. */
static void queue_trb_error(struct xhci_hc *x, unsigned int slot,
			    unsigned int dci, uint64_t bad)
{
	struct xhci_ep *ep = &x->slot[slot].ep[dci];
	struct xhci_inflight *e = inflight_push(x, ep);

	e->end = bad; /* the faulty TRB; the TD is never run */
	e->cc = XHCI_CC_TRB;
	e->done = true;
	ep->error_queued = true;
	ep_flush(x, slot, dci);
}

/* The endpoint may take another TD from its ring. */
static bool ep_can_fetch(const struct xhci_ep *ep)
{
	return xhci_ep_state(&ep->ctx) == XHCI_EP_RUNNING && !ep->draining &&
	       !ep->stop_pending && !ep->error_queued && !ep->deferred &&
	       ep->count < XHCI_EP_INFLIGHT;
}

/* Take the next TD off the ring and hand it out; false when none. */
static bool ep_next_td(struct xhci_hc *x, unsigned int slot, unsigned int dci,
		       unsigned int *budget)
{
	struct xhci_ep *ep = &x->slot[slot].ep[dci];
	struct xhci_ring r = ep->ring;
	struct td_build td;
	unsigned int charge;
	uint64_t bad = 0;
	int ret;

	memset(&td, 0, sizeof(td));
	td.xfer.segs = x->segs;
	td.ep_type = xhci_ep_type(&ep->ctx);
	/* Control TDs take the direction from their SETUP packet. */
	td.xfer.in =
		td.ep_type != XHCI_EP_CONTROL && xhci_ep_type_in(td.ep_type);
	ret = td_collect(x, &td, &r, &bad);
	/* Every look at the ring costs at least one TRB of the budget. */
	charge = td.nr_trbs ? td.nr_trbs : 1;
	*budget -= charge < *budget ? charge : *budget;
	if (ret < 0)
		queue_trb_error(x, slot, dci, bad);
	else if (ret)
		dispatch(x, slot, dci, &td, &r);
	return ret != 0;
}

void xhci_ep_run(struct xhci_hc *x, unsigned int slot, unsigned int dci,
		 unsigned int *budget)
{
	struct xhci_slot *s = &x->slot[slot];
	struct xhci_ep *ep = &s->ep[dci];
	bool rung = ep->doorbell;

	ep->kicked = false;
	ep->doorbell = false;
	if (!s->enabled)
		return;
	/* Ringing a Stopped endpoint's doorbell restarts it (4.6.9). */
	if (rung && xhci_ep_state(&ep->ctx) == XHCI_EP_STOPPED &&
	    !ep->stop_pending) {
		xhci_ep_set_state(ep, XHCI_EP_RUNNING);
		xhci_ep_writeback(x, s, dci);
	}
	while (ep_can_fetch(ep)) {
		if (!*budget) {
			ep->kicked = true;
			return;
		}
		if (!ep_next_td(x, slot, dci, budget))
			break;
	}
	/* Completions during the loop asked for a run: this was it. */
	ep->kicked = false;
}

struct event_walk {
	struct xhci_hc *x;
	uint8_t slot, dci;
	uint8_t cc;
	uint32_t remaining; /* bytes moved, not yet placed in a TRB */
	uint32_t untouched; /* TD bytes after the short point */
	uint32_t edtla;	    /* Event Data Transfer Length Accumulator */
	bool short_seen, reported, error_done;
};

static void emit(struct event_walk *w, const struct xhci_trb *t, uint64_t at,
		 uint8_t cc, uint32_t len)
{
	struct xhci_trb ev =
		xhci_event_transfer(at, len > 0xffffff ? 0xffffff : len, cc,
				    false, w->slot, w->dci);

	xhci_post_event(w->x, xhci_trb_intr_target(t), ev,
			t->control & XHCI_TRB_BEI);
}

/* A data TRB at completion: place its bytes, report what it asks for. */
static void walk_data(struct event_walk *w, const struct xhci_trb *t,
		      uint64_t at, bool control)
{
	uint32_t len = xhci_trb_xfer_len(t);
	uint32_t done = w->remaining < len ? w->remaining : len;
	uint32_t flags = t->control;

	if (w->short_seen) {
		/* No event at the short TRB: the next IOC TRB reports it. */
		w->untouched += len;
		if (!control && !w->reported && (flags & XHCI_TRB_IOC)) {
			emit(w, t, at, XHCI_CC_SHORT_PACKET, w->untouched);
			w->reported = true;
		}
		return;
	}
	w->remaining -= done;
	w->edtla += done;
	/*
	 * The last TRB of a bulk/interrupt/isoch TD carries the TD's error
	 * even when all its bytes moved (an empty TRB always has): a Success
	 * there would be the driver's status for the whole URB.
	 */
	if (done == len &&
	    (w->cc == XHCI_CC_SUCCESS || control || (flags & XHCI_TRB_CH))) {
		if (flags & XHCI_TRB_IOC)
			emit(w, t, at, XHCI_CC_SUCCESS, 0);
		return;
	}
	if (w->cc != XHCI_CC_SUCCESS) {
		emit(w, t, at, w->cc, len - done);
		w->error_done = true;
		return;
	}
	w->short_seen = true;
	w->untouched = len - done;
	if (flags & (XHCI_TRB_ISP | XHCI_TRB_IOC)) {
		emit(w, t, at, XHCI_CC_SHORT_PACKET, len - done);
		w->reported = true;
	}
}

static void walk_other(struct event_walk *w, const struct xhci_trb *t,
		       uint64_t at)
{
	unsigned int type = xhci_trb_type(t);
	uint8_t cc = w->short_seen ? XHCI_CC_SHORT_PACKET : XHCI_CC_SUCCESS;

	if (type == XHCI_TRB_STATUS && w->cc != XHCI_CC_SUCCESS) {
		emit(w, t, at, w->cc, 0);
		w->error_done = true;
		return;
	}
	if (!(t->control & XHCI_TRB_IOC))
		return;
	if (type == XHCI_TRB_EVENT_DATA) {
		struct xhci_trb ev = xhci_event_transfer(t->param, w->edtla, cc,
							 true, w->slot, w->dci);

		xhci_post_event(w->x, xhci_trb_intr_target(t), ev,
				t->control & XHCI_TRB_BEI);
		w->edtla = 0;
		return;
	}
	emit(w, t, at, type == XHCI_TRB_STATUS ? XHCI_CC_SUCCESS : cc, 0);
}

/* Post the Transfer Events of a completed TD that started at start. */
static void td_events(struct xhci_hc *x, unsigned int slot, unsigned int dci,
		      uint64_t start, const struct xhci_inflight *e,
		      bool control)
{
	struct event_walk w = {
		.x = x,
		.slot = (uint8_t)slot,
		.dci = (uint8_t)dci,
		.cc = e->cc,
		.remaining = e->actual,
	};
	struct xhci_ring r = ring_unpack(start);
	struct xhci_trb t, last = { 0 };
	uint64_t at, last_at = 0;
	unsigned int k;

	for (k = 0; k < e->nr_trbs && !w.error_done; k++) {
		unsigned int type;

		if (xhci_ring_fetch(&r, &x->mem, &t, &at) != 1)
			break;
		xhci_ring_advance(&r);
		type = xhci_trb_type(&t);
		if (type == XHCI_TRB_NORMAL || type == XHCI_TRB_DATA ||
		    type == XHCI_TRB_ISOCH) {
			walk_data(&w, &t, at, control);
		} else if (!w.short_seen || control) {
			walk_other(&w, &t, at);
		}
		last = t;
		last_at = at;
	}
	if (w.cc != XHCI_CC_SUCCESS && !w.error_done && last_at)
		emit(&w, &last, last_at, w.cc, 0);
}

/*
 * The Stopped event of a cancelled TD that started at start: Stopped at
 * the TRB where its data ended, with that TRB's residual, so the driver
 * learns what moved; Stopped - Length Invalid at its first TRB when
 * nothing did.
 */
static void stopped_event(struct xhci_hc *x, unsigned int slot,
			  unsigned int dci, uint64_t start,
			  const struct xhci_inflight *e)
{
	struct xhci_ring r = ring_unpack(start);
	uint32_t remaining = e->actual, residual = 0;
	uint8_t cc = XHCI_CC_STOPPED_LENGTH_INVALID;
	bool found = false;
	struct xhci_trb t;
	uint64_t at, where = 0;
	unsigned int k;

	for (k = 0; k < e->nr_trbs; k++) {
		unsigned int type;
		uint32_t len;

		if (xhci_ring_fetch(&r, &x->mem, &t, &at) != 1)
			break;
		xhci_ring_advance(&r);
		if (!found)
			where = at;
		found = true;
		type = xhci_trb_type(&t);
		if (!e->actual ||
		    (type != XHCI_TRB_NORMAL && type != XHCI_TRB_DATA &&
		     type != XHCI_TRB_ISOCH))
			continue;
		cc = XHCI_CC_STOPPED;
		where = at;
		len = xhci_trb_xfer_len(&t);
		if (remaining < len) {
			residual = len - remaining;
			break;
		}
		remaining -= len;
	}
	if (!found)
		return;
	xhci_post_event(x, 0,
			xhci_event_transfer(where, residual, cc, false,
					    (uint8_t)slot, (uint8_t)dci),
			false);
}

static bool halts(unsigned int ep_type, uint8_t cc)
{
	if (cc == XHCI_CC_TRB)
		return true;
	if (xhci_ep_type_isoch(ep_type))
		return false;
	return cc == XHCI_CC_STALL || cc == XHCI_CC_BABBLE ||
	       cc == XHCI_CC_USB_TRANSACTION;
}

static bool is_stopped(uint8_t cc)
{
	return cc == XHCI_CC_STOPPED || cc == XHCI_CC_STOPPED_LENGTH_INVALID;
}

/* The head TD is done: report it, halting the endpoint if it says so. */
static void flush_head(struct xhci_hc *x, unsigned int slot, unsigned int dci,
		       const struct xhci_inflight *e)
{
	struct xhci_slot *s = &x->slot[slot];
	struct xhci_ep *ep = &s->ep[dci];
	unsigned int type = xhci_ep_type(&ep->ctx);

	if (ep->draining)
		return;
	if (is_stopped(e->cc)) {
		ep->draining = true;
		ep->rewind = ep->head_start;
		if (ep->stop_pending)
			stopped_event(x, slot, dci, ep->head_start, e);
		return;
	}
	if (!halts(type, e->cc)) {
		xhci_ep_set_deq(&ep->ctx, e->end);
		td_events(x, slot, dci, ep->head_start, e,
			  type == XHCI_EP_CONTROL);
		return;
	}
	/* Halted: the context points at the TD, written before the event. */
	xhci_ep_set_state(ep, XHCI_EP_HALTED);
	/*
	 * A doorbell still latched was rung for the Running endpoint: it
	 * must not restart it once Reset Endpoint makes it Stopped.
	 */
	ep->doorbell = false;
	xhci_ep_set_deq(&ep->ctx, ep->head_start);
	xhci_ep_writeback(x, s, dci);
	ep->draining = true;
	ep->rewind = ep->head_start;
	xhci_ep_cancel_all(x, ep);
	if (e->cc == XHCI_CC_TRB) {
		ep->error_queued = false;
		xhci_post_event(x, 0,
				xhci_event_transfer(e->end, 0, XHCI_CC_TRB,
						    false, (uint8_t)slot,
						    (uint8_t)dci),
				false);
	} else {
		td_events(x, slot, dci, ep->head_start, e,
			  type == XHCI_EP_CONTROL);
	}
}

static void ep_flush(struct xhci_hc *x, unsigned int slot, unsigned int dci)
{
	struct xhci_slot *s = &x->slot[slot];
	struct xhci_ep *ep = &s->ep[dci];

	while (ep->count) {
		struct xhci_inflight *e = inflight_at(ep, 0);

		if (!e->done)
			break;
		flush_head(x, slot, dci, e);
		ep->head_start = e->end;
		ep->head = (uint8_t)((ep->head + 1) % XHCI_EP_INFLIGHT);
		ep->count--;
		/* Room for another TD: look at the ring again. */
		ep->kicked = true;
	}
	if (ep->count)
		return;
	if (ep->draining) {
		ep->ring = ring_unpack(ep->rewind);
		ep->draining = false;
		ep->error_queued = false;
	}
	ep->head_start = ring_pack(&ep->ring);
	if (ep->stop_pending) {
		ep->stop_pending = false;
		xhci_ep_set_state(ep, XHCI_EP_STOPPED);
		xhci_ep_set_deq(&ep->ctx, ep->head_start);
		xhci_ep_writeback(x, s, dci);
		xhci_stop_ep_done(x, slot, dci);
	}
}

void xhci_xfer_done(struct xhci_hc *x, unsigned int slot, unsigned int dci,
		    uint32_t id, uint8_t cc, uint32_t actual)
{
	struct xhci_ep *ep;
	unsigned int i;

	if (!slot || slot > x->cfg.max_slots || !x->slot[slot].enabled ||
	    !dci || dci > XHCI_MAX_DCI)
		return;
	ep = &x->slot[slot].ep[dci];
	for (i = 0; i < ep->count; i++) {
		struct xhci_inflight *e = inflight_at(ep, i);

		if (e->id != id || e->done || e->cc == XHCI_CC_TRB)
			continue;
		e->done = true;
		e->cc = cc == XHCI_CC_INVALID || cc == XHCI_CC_TRB
				? XHCI_CC_USB_TRANSACTION
				: cc;
		e->actual = actual < e->len ? actual : e->len;
		ep_flush(x, slot, dci);
		return;
	}
}
