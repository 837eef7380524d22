// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The bounce buffer budget of an lhv_xhci controller (bounce_budget.h). */
#include "bounce_budget.h"

void bounce_budget_init(struct bounce_budget *b, uint64_t limit)
{
	memset(b, 0, sizeof(*b));
	b->limit = limit;
}

int bounce_budget_charge(struct bounce_budget *b, uint64_t bytes)
{
	if (b->limit && bytes > b->limit) {
		b->refused++;
		return -E2BIG;
	}
	/* used <= limit always holds, so the subtraction cannot wrap. */
	if (b->limit && bytes > b->limit - b->used) {
		b->deferred++;
		b->waiting = true;
		return -EAGAIN;
	}
	b->used += bytes;
	return 0;
}

uint64_t bounce_budget_room(const struct bounce_budget *b)
{
	return b->limit ? b->limit - b->used : ~(uint64_t)0;
}

bool bounce_budget_release(struct bounce_budget *b, uint64_t bytes)
{
	bool wake = b->waiting;

	b->used -= bytes < b->used ? bytes : b->used;
	b->waiting = false;
	return wake;
}
