// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * xHCI command/transfer ring consumer and event ring producer; the
 * contract is in xhci_ring.h. Guest memory is copied in once per TRB and
 * only the copy is looked at.
 */
#include "xhci_ring.h"

int xhci_mem_read_trb(const struct xhci_mem *m, uint64_t gpa,
		      struct xhci_trb *t)
{
	uint8_t raw[XHCI_TRB_SIZE];

	if (m->read(m->priv, gpa, raw, sizeof(raw)))
		return -EFAULT;
	xhci_trb_decode(t, raw);
	return 0;
}

int xhci_mem_read32(const struct xhci_mem *m, uint64_t gpa, uint32_t *v)
{
	lhv_le32 w;

	if (m->read(m->priv, gpa, &w, sizeof(w)))
		return -EFAULT;
	*v = lhv_le32_to_cpu(w);
	return 0;
}

int xhci_mem_read64(const struct xhci_mem *m, uint64_t gpa, uint64_t *v)
{
	lhv_le64 w;

	if (m->read(m->priv, gpa, &w, sizeof(w)))
		return -EFAULT;
	*v = lhv_le64_to_cpu(w);
	return 0;
}

int xhci_ring_fetch(struct xhci_ring *r, const struct xhci_mem *m,
		    struct xhci_trb *t, uint64_t *gpa)
{
	unsigned int links;

	for (links = 0; links <= XHCI_RING_MAX_LINKS; links++) {
		*gpa = r->dequeue;
		if (xhci_mem_read_trb(m, r->dequeue, t))
			return -EFAULT;
		if (xhci_trb_cycle(t) != r->cycle)
			return 0;
		if (xhci_trb_type(t) != XHCI_TRB_LINK)
			return 1;
		if (t->param & 0xf)
			return -EINVAL;
		r->dequeue = t->param;
		if (t->control & XHCI_TRB_TC)
			r->cycle = !r->cycle;
	}
	return -ELOOP;
}

/* Read ERST entry seg into *base and *size; both checked. */
static int read_erst_entry(const struct xhci_event_ring *er,
			   const struct xhci_mem *m, uint32_t seg,
			   uint64_t *base, uint32_t *size)
{
	uint64_t at = er->erstba + (uint64_t)seg * XHCI_ERST_ENTRY_SIZE;
	uint32_t sz;

	if (xhci_mem_read64(m, at, base) || xhci_mem_read32(m, at + 8, &sz))
		return -EFAULT;
	sz &= 0xffff;
	if ((*base & 0x3f) || sz < XHCI_ER_SEG_MIN || sz > XHCI_ER_SEG_MAX)
		return -EINVAL;
	*size = sz;
	return 0;
}

int xhci_er_reset(struct xhci_event_ring *er, const struct xhci_mem *m,
		  uint64_t erstba, uint32_t erstsz)
{
	int ret;

	er->valid = false;
	er->full = false;
	er->pcs = true;
	er->erstba = erstba;
	er->erstsz = erstsz;
	er->seg = 0;
	er->idx = 0;
	er->seg_base = 0;
	er->seg_size = 0;
	if (!erstsz || erstsz > XHCI_ERST_MAX || (erstba & 0x3f))
		return -EINVAL;
	ret = read_erst_entry(er, m, 0, &er->seg_base, &er->seg_size);
	if (ret)
		return ret;
	er->valid = true;
	return 0;
}

/* Move *next (a copy of er) one TRB on, into the next segment if needed. */
static int er_step(struct xhci_event_ring *next, const struct xhci_mem *m)
{
	if (++next->idx < next->seg_size)
		return 0;
	next->idx = 0;
	if (++next->seg == next->erstsz) {
		next->seg = 0;
		next->pcs = !next->pcs;
	}
	return read_erst_entry(next, m, next->seg, &next->seg_base,
			       &next->seg_size);
}

static int er_write(struct xhci_event_ring *er, const struct xhci_mem *m,
		    struct xhci_trb ev)
{
	uint8_t raw[XHCI_TRB_SIZE];
	uint64_t at = xhci_er_enqueue(er);

	ev.control = (ev.control & ~XHCI_TRB_C) | (er->pcs ? XHCI_TRB_C : 0);
	xhci_trb_encode(&ev, raw);
	if (m->write(m->priv, at, raw, 12))
		return -EFAULT;
	/* The guest owns the TRB once it sees the cycle bit: write it last. */
	lhv_wmb();
	if (m->write(m->priv, at + 12, raw + 12, 4))
		return -EFAULT;
	return 0;
}

int xhci_er_push(struct xhci_event_ring *er, const struct xhci_mem *m,
		 struct xhci_trb ev, uint64_t erdp)
{
	struct xhci_event_ring next;
	int ret;

	erdp &= ~(uint64_t)0xf;
	if (!er->valid) {
		er->lost++;
		return -ENODEV;
	}
	if (er->full) {
		er->lost++;
		return -ENOSPC;
	}
	next = *er;
	ret = er_step(&next, m);
	if (!ret && xhci_er_enqueue(&next) == erdp) {
		/* The last free slot: say the ring is full there. */
		ev = xhci_event_host(XHCI_CC_EVENT_RING_FULL);
		next.full = true;
		ret = -ENOSPC;
	}
	if (ret == -EFAULT || ret == -EINVAL) {
		er->valid = false;
		er->lost++;
		return ret == -EINVAL ? -ENODEV : ret;
	}
	if (er_write(er, m, ev)) {
		er->valid = false;
		er->lost++;
		return -EFAULT;
	}
	next.lost = er->lost + (ret ? 1 : 0);
	*er = next;
	return ret;
}
