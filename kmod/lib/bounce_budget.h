/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * A byte budget for the bounce buffers one lhv_xhci controller has in
 * flight (docs/xhci.md, "Bounce buffer budget"). A charge that does not
 * fit now is refused as "later" and remembered, so the release that makes
 * room can tell the caller to retry; only a charge larger than the whole
 * budget is refused for good. The caller serialises the calls. Portable
 * core.
 */
#ifndef LHV_LIB_BOUNCE_BUDGET_H
#define LHV_LIB_BOUNCE_BUDGET_H

#include "portable.h"

struct bounce_budget {
	uint64_t limit; /* bytes; 0: no limit */
	uint64_t used;
	bool waiting;	   /* a charge was deferred since the last wake */
	uint64_t deferred; /* charges answered -EAGAIN */
	uint64_t refused;  /* charges answered -E2BIG */
};

void bounce_budget_init(struct bounce_budget *b, uint64_t limit);

/*
 * Takes bytes from the budget. Returns 0, -EAGAIN when they do not fit
 * now (a later bounce_budget_release returns true), or -E2BIG when they
 * never fit (more than the limit).
 */
int bounce_budget_charge(struct bounce_budget *b, uint64_t bytes);

/*
 * Bytes a charge may take now without being deferred (all ones without
 * a limit). Counts nothing: for a caller that can make do with less.
 */
uint64_t bounce_budget_room(const struct bounce_budget *b);

/*
 * Gives bytes back (at most what is used). Returns true when a charge was
 * deferred since the last such answer: the caller retries its deferred
 * work.
 */
bool bounce_budget_release(struct bounce_budget *b, uint64_t bytes);

#endif /* LHV_LIB_BOUNCE_BUDGET_H */
