/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause */
/*
 * The pages the hv shares with the Service OS for device emulation
 * (docs/ioreq.md):
 *
 * - one upcall page for the whole SOS (LHV_HC_SET_UPCALL): which VMs need
 *   attention; the hv sets bits, lhv.ko's upcall handler takes them;
 * - one ioreq page per user VM (lhv_hc_vm_create.ioreq_page): a request
 *   slot per vCPU for accesses that need an answer, and the VM's doorbell
 *   bits for notify writes the hv completed at once.
 *
 * Ordering: the hv writes a slot's fields, then sets state PENDING
 * (release), then sets the upcall bits and sends the IPI. lhv.ko reads
 * state (acquire), handles the access, writes data, then sets DONE
 * (release). The vCPU waits in the hv, reading state, until DONE, then
 * sets FREE itself.
 */
#ifndef _UAPI_LHV_IOREQ_H
#define _UAPI_LHV_IOREQ_H

#include <lhv/hypercall.h>

#define LHV_IOREQ_FREE 0
#define LHV_IOREQ_PENDING 1 /* posted by the hv, not yet seen */
#define LHV_IOREQ_DONE 2    /* answered by the SOS */

#define LHV_IOREQ_READ 0
#define LHV_IOREQ_WRITE 1

/* One guest access to guest-physical MMIO space. */
struct lhv_ioreq {
	__lhv_hc_u32 state; /* LHV_IOREQ_* */
	__lhv_hc_u32 dir;   /* LHV_IOREQ_READ or _WRITE */
	__lhv_hc_u32 size;  /* 1, 2, 4 or 8 */
	__lhv_hc_u32 pad;
	__lhv_hc_u64 addr; /* guest-physical */
	__lhv_hc_u64 data; /* value written, or the answer to a read */
	__lhv_hc_u64 seq;  /* increments per request of the slot */
	__lhv_hc_u64 pad2[3];
};

/* Doorbell bits per VM (LHV_HC_VM_DOORBELL first_bit is below this). */
#define LHV_DOORBELL_BITS 512

struct lhv_ioreq_page {
	/* Set by the hv (atomic or), taken by the SOS (atomic exchange). */
	__lhv_hc_u64 doorbell[LHV_DOORBELL_BITS / 64];
	/* One slot per vCPU, cache-line sized. */
	struct lhv_ioreq slot[LHV_VM_MAX_VCPUS];
};

/* The SOS's upcall page. */
struct lhv_upcall_page {
	/* Bit i: VM id i has a pending ioreq or doorbell. */
	__lhv_hc_u64 vm_io;
	/* Bit i: VM id i changed state on its own (crash, poweroff, ...). */
	__lhv_hc_u64 vm_state;
	__lhv_hc_u64 count; /* upcalls sent, for statistics */
};

#endif /* _UAPI_LHV_IOREQ_H */
