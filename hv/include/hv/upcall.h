/* SPDX-License-Identifier: BSD-3-Clause */
/* Upcalls to the Service OS (core/upcall.c, uapi/lhv/ioreq.h). */
#ifndef _HV_UPCALL_H
#define _HV_UPCALL_H

#include <hv/types.h>

enum upcall_kind {
	UPCALL_STATE, /* the VM changed state on its own */
	UPCALL_IO,    /* an ioreq or a doorbell of the VM waits */
};

/* LHV_HC_SET_UPCALL. */
s64 hc_set_upcall(u64 gpa);

/* Any CPU: flags @vm_id in the upcall page and interrupts the SOS. */
void upcall_send(u32 vm_id, enum upcall_kind kind);

#endif /* _HV_UPCALL_H */
