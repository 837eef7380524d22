/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Ticket spinlock: CPUs get the lock in the order they asked, so no CPU
 * starves. All zero is unlocked. The hv runs with interrupts masked, so
 * there is no irqsave form.
 */
#ifndef _HV_SPINLOCK_H
#define _HV_SPINLOCK_H

#include <asm/processor.h>
#include <hv/types.h>

typedef struct {
	u16 owner;
	u16 next;
} spinlock_t;

static inline void spin_lock(spinlock_t *lock)
{
	u16 ticket = __atomic_fetch_add(&lock->next, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&lock->owner, __ATOMIC_ACQUIRE) != ticket)
		cpu_relax();
}

static inline void spin_unlock(spinlock_t *lock)
{
	__atomic_store_n(&lock->owner, (u16)(lock->owner + 1),
			 __ATOMIC_RELEASE);
}

#endif /* _HV_SPINLOCK_H */
