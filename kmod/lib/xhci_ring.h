/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * xHCI rings over guest memory (xHCI 1.2, 4.9): the consumer side of the
 * command and transfer rings and the producer side of an event ring with
 * its segment table (ERST). Portable core: guest memory is reached only
 * through struct xhci_mem, whose callbacks check every address range; the
 * core never dereferences a guest pointer.
 *
 * Consumer rings: the TRB at the dequeue pointer belongs to the controller
 * when its cycle bit equals the ring's cycle state. Link TRBs move the
 * dequeue pointer to their target (toggling the cycle state with TC) and
 * are followed inside xhci_ring_fetch, at most XHCI_RING_MAX_LINKS in a
 * row, so a ring made only of Link TRBs ends in -ELOOP instead of a hang.
 *
 * Event ring: events go to the segment at the enqueue pointer, with the
 * producer cycle state; at the end of the last segment of the ERST the
 * enqueue pointer wraps to segment 0 and the cycle state toggles. When
 * writing an event would make the enqueue pointer reach the guest's
 * dequeue pointer (ERDP), an Event Ring Full Host Controller Event takes
 * that last slot instead and later events are lost (counted) until the
 * guest writes ERDP again (xhci_er_dequeue_written): a write says the
 * guest consumed up to there, even when that is a whole lap.
 */
#ifndef LHV_LIB_XHCI_RING_H
#define LHV_LIB_XHCI_RING_H

#include "portable.h"
#include "xhci_trb.h"

/*
 * Guest-physical memory. read and write copy len bytes at gpa and return
 * 0, or -EFAULT (nothing or part copied) when any byte of the range is
 * outside the guest's memory; the caller of the core implements the
 * bounds check. priv is passed back.
 */
struct xhci_mem {
	int (*read)(void *priv, uint64_t gpa, void *buf, size_t len);
	int (*write)(void *priv, uint64_t gpa, const void *buf, size_t len);
	void *priv;
};

int xhci_mem_read_trb(const struct xhci_mem *m, uint64_t gpa,
		      struct xhci_trb *t);
int xhci_mem_read32(const struct xhci_mem *m, uint64_t gpa, uint32_t *v);
int xhci_mem_read64(const struct xhci_mem *m, uint64_t gpa, uint64_t *v);

/* Link TRBs followed in a row before the ring counts as broken. */
#define XHCI_RING_MAX_LINKS 8u

/* A consumer ring: where the next TRB is, and the consumer cycle state. */
struct xhci_ring {
	uint64_t dequeue;
	bool cycle;
};

/*
 * The TRB at r's dequeue pointer, after following Link TRBs (which move
 * r). Returns 1 with the TRB in *t and its address in *gpa (r still
 * points at it: xhci_ring_advance consumes it), 0 when the ring is empty
 * (cycle mismatch), -EFAULT when a TRB cannot be read, -ELOOP after
 * XHCI_RING_MAX_LINKS links in a row, -EINVAL for a Link TRB whose
 * target has any of bits 0-3 set. On an error *gpa is the TRB at fault.
 */
int xhci_ring_fetch(struct xhci_ring *r, const struct xhci_mem *m,
		    struct xhci_trb *t, uint64_t *gpa);

static inline void xhci_ring_advance(struct xhci_ring *r)
{
	r->dequeue += XHCI_TRB_SIZE;
}

/* Log2 of the ERST entries an interrupter takes (HCSPARAMS2 ERST Max). */
#define XHCI_ERST_MAX_LOG2 8u
#define XHCI_ERST_MAX (1u << XHCI_ERST_MAX_LOG2)
#define XHCI_ERST_ENTRY_SIZE 16u
/* TRBs per event ring segment, as the ERST entry may say (6.5). */
#define XHCI_ER_SEG_MIN 16u
#define XHCI_ER_SEG_MAX 4096u

struct xhci_event_ring {
	bool valid; /* set up by xhci_er_reset, no fault since */
	bool full;  /* Event Ring Full written, waiting for an ERDP write */
	bool pcs;   /* producer cycle state */
	uint64_t erstba;
	uint32_t erstsz;
	uint32_t seg;	   /* ERST index of the enqueue segment */
	uint32_t idx;	   /* TRB index inside it */
	uint64_t seg_base; /* that segment's base and size */
	uint32_t seg_size;
	uint64_t lost; /* events dropped (full, invalid ring, fault) */
};

/*
 * (Re)initialise the ring from the ERST at erstba with erstsz entries
 * (the guest wrote ERSTBA): enqueue at the start of segment 0, cycle 1.
 * Returns 0, or -EINVAL (erstsz 0 or above XHCI_ERST_MAX, erstba or the
 * segment misaligned, a segment size outside 16..4096) or -EFAULT; on an
 * error the ring is invalid and drops every event.
 */
int xhci_er_reset(struct xhci_event_ring *er, const struct xhci_mem *m,
		  uint64_t erstba, uint32_t erstsz);

/* Guest-physical address of the next event the ring writes. */
static inline uint64_t xhci_er_enqueue(const struct xhci_event_ring *er)
{
	return er->seg_base + (uint64_t)er->idx * XHCI_TRB_SIZE;
}

/*
 * Write ev (its cycle bit set from the producer cycle state) at the
 * enqueue pointer and advance; erdp is the guest's dequeue pointer
 * (bits 4-63 of ERDP). The control word, with the cycle bit, is written
 * last, after a write barrier. Returns 0, -ENOSPC (ring full, event lost;
 * the Event Ring Full event may have been written instead), -ENODEV (no
 * valid ring) or -EFAULT (the ring is then invalid).
 */
int xhci_er_push(struct xhci_event_ring *er, const struct xhci_mem *m,
		 struct xhci_trb ev, uint64_t erdp);

/* The guest wrote ERDP: a full ring takes events again. */
static inline void xhci_er_dequeue_written(struct xhci_event_ring *er)
{
	er->full = false;
}

#endif /* LHV_LIB_XHCI_RING_H */
