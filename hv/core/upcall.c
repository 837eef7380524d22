// SPDX-License-Identifier: BSD-3-Clause
/*
 * Upcalls: how the hv tells the Service OS that something needs it
 * (docs/ioreq.md). lhv.ko registers one page of its RAM and an interrupt
 * vector it owns on one of its CPUs (LHV_HC_SET_UPCALL); the hv sets the
 * VM's bit in that page and sends the vector as a fixed IPI. Bits
 * accumulate until the SOS takes them, so one interrupt may carry many
 * events and none is lost when the SOS is slow.
 */
#include <lhv/hypercall.h>
#include <lhv/ioreq.h>
#include <asm/apic.h>
#include <asm/paging.h>
#include <hv/errno.h>
#include <hv/guest_mem.h>
#include <hv/log.h>
#include <hv/memory.h>
#include <hv/percpu.h>
#include <hv/upcall.h>

/* The registration; vector 0: off. Written only by the SOS's call. */
static struct {
	u32 vector;
	u32 apic_id;
	u64 page;
} upcall;

s64 hc_set_upcall(u64 gpa)
{
	struct lhv_hc_upcall req;
	int err;

	err = guest_read(&req, gpa, sizeof(req));
	if (err)
		return err;
	if (req.vector == 0) {
		__atomic_store_n(&upcall.vector, 0, __ATOMIC_RELEASE);
		return 0;
	}
	if (req.vector < 32 || req.vector > 255 || (req.page & (PAGE_SIZE - 1)))
		return -EINVAL;
	err = guest_check(req.page, PAGE_SIZE);
	if (err)
		return err;
	__atomic_store_n(&upcall.vector, 0, __ATOMIC_RELEASE);
	upcall.apic_id = req.apic_id;
	upcall.page = req.page;
	__atomic_store_n(&upcall.vector, req.vector, __ATOMIC_RELEASE);
	log_printf("lhv: upcall vector 0x%x to apic %u\n", req.vector,
		   req.apic_id);
	return 0;
}

void upcall_send(u32 vm_id, enum upcall_kind kind)
{
	unsigned int cpu = this_cpu_id();
	u32 vector = __atomic_load_n(&upcall.vector, __ATOMIC_ACQUIRE);
	struct lhv_upcall_page *pg;
	u64 bit = 1ULL << (vm_id & 63);

	if (!vector)
		return;
	pg = paging_map_window(cpu, upcall.page);
	if (kind == UPCALL_STATE)
		__atomic_fetch_or(&pg->vm_state, bit, __ATOMIC_RELEASE);
	else
		__atomic_fetch_or(&pg->vm_io, bit, __ATOMIC_RELEASE);
	__atomic_fetch_add(&pg->count, 1, __ATOMIC_RELAXED);
	paging_unmap_window(cpu);
	apic_send_fixed(cpu, upcall.apic_id, (u8)vector);
}
