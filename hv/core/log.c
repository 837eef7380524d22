// SPDX-License-Identifier: BSD-3-Clause
/*
 * Writer side of the hv log ring. The SOS reads the ring without taking
 * the lock, following the store order documented in <lhv/hv_image.h>.
 */
#include <stdarg.h>
#include <stddef.h>

#include <hv/log.h>
#include <hv/spinlock.h>
#include <lib/format.h>

_Static_assert((HV_LOG_SIZE & (HV_LOG_SIZE - 1)) == 0,
	       "HV_LOG_SIZE must be a power of two");
_Static_assert(offsetof(struct hv_log_area, data) ==
		       sizeof(struct lhv_log_ring),
	       "log text must follow the ring header directly");

/* All zero, as the loader leaves .bss: an empty ring. */
struct hv_log_area hv_log;

/* Serialises writers so that lines from different CPUs do not interleave. */
static spinlock_t log_lock;

void log_write(const char *s, size_t len)
{
	struct lhv_log_ring *ring = &hv_log.ring;
	u64 head, new_head;
	size_t i;

	if (len > HV_LOG_SIZE) {
		s += len - HV_LOG_SIZE;
		len = HV_LOG_SIZE;
	}

	spin_lock(&log_lock);
	head = ring->head;
	new_head = head + len;
	/* Invalidate what is about to be overwritten before touching it. */
	if (new_head - ring->tail > HV_LOG_SIZE) {
		__atomic_store_n(&ring->tail, new_head - HV_LOG_SIZE,
				 __ATOMIC_RELAXED);
		__atomic_thread_fence(__ATOMIC_RELEASE);
	}
	for (i = 0; i < len; i++)
		hv_log.data[(head + i) & (HV_LOG_SIZE - 1)] = s[i];
	/* Publish the text: a reader that sees new_head sees the bytes. */
	__atomic_store_n(&ring->head, new_head, __ATOMIC_RELEASE);
	spin_unlock(&log_lock);
}

void log_printf(const char *fmt, ...)
{
	char line[HV_LOG_LINE_MAX];
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = fmt_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);

	if (len < 0)
		return;
	if ((size_t)len >= sizeof(line)) {
		/* Truncated: keep the line a line. */
		len = sizeof(line) - 1;
		line[len - 1] = '\n';
	}
	log_write(line, (size_t)len);
}
