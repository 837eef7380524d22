// SPDX-License-Identifier: BSD-3-Clause
/*
 * libFuzzer harness of the bounce buffer budget (kmod/lib/bounce_budget.c):
 * a limit, then charges and releases of guest-chosen sizes from the input,
 * checked against a model: the use never passes the limit, a refusal is
 * -E2BIG exactly for sizes over the limit and -EAGAIN exactly for sizes
 * that do not fit now, and a release says "retry" exactly when a charge
 * was deferred since the last time it did.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bounce_budget.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_HELD 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t held[MAX_HELD], limit, n;
	unsigned int nr_held = 0, i;
	struct bounce_budget b;
	uint64_t used = 0;
	bool waiting = false;
	int got;

	if (size < 4)
		return 0;
	memcpy(&limit, data, 4);
	limit &= 0xfffff; /* up to 1 MiB: room for many charges */
	bounce_budget_init(&b, limit);
	for (i = 4; i + 5 <= size; i += 5) {
		memcpy(&n, data + i + 1, 4);
		n &= data[i] & 0x80 ? 0xffffffffu : 0x1ffffu;
		if ((!(data[i] & 1) || !nr_held) && nr_held < MAX_HELD) {
			got = bounce_budget_charge(&b, n);
			if (limit && n > limit) {
				if (got != -E2BIG)
					abort();
			} else if (limit && n > limit - used) {
				if (got != -EAGAIN)
					abort();
				waiting = true;
			} else {
				if (got)
					abort();
				used += n;
				held[nr_held++] = n;
			}
		} else {
			unsigned int at = data[i] % nr_held;

			n = held[at];
			held[at] = held[--nr_held];
			if (bounce_budget_release(&b, n) != waiting)
				abort();
			waiting = false;
			used -= n;
		}
		if (b.used != used || (limit && b.used > limit))
			abort();
	}
	return 0;
}
