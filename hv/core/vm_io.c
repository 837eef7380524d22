// SPDX-License-Identifier: BSD-3-Clause
/*
 * Device emulation for user VMs, the hv's part (docs/ioreq.md): the VM's
 * accesses outside its RAM, doorbells and MSIs. The device models all
 * live in the SOS (lhv.ko); the hv only carries accesses there and
 * interrupts back, and checks both ends:
 *
 * - a write to a registered doorbell range sets the range's bit in the
 *   VM's ioreq page and upcalls; the vCPU goes on at once;
 * - any other access to ECAM bus 0 or the PCI memory windows is posted in
 *   the vCPU's ioreq slot, the SOS is upcalled and the vCPU waits for the
 *   answer (its CPU is its own: nobody else waits);
 * - everything else floats, as on a bus with nothing behind it;
 * - an MSI from a device model goes to one of the VM's own CPUs only.
 */
#include <lhv/hypercall.h>
#include <lhv/ioreq.h>
#include <lhv/vm_layout.h>
#include <asm/paging.h>
#include <asm/processor.h>
#include <hv/errno.h>
#include <hv/guest_mem.h>
#include <hv/log.h>
#include <hv/percpu.h>
#include <hv/upcall.h>
#include <hv/vm.h>

#define MAX_DOORBELL_LEN (64 * 1024)
/* MSI address and data (Intel SDM 11.11). */
#define MSI_ADDR_BASE 0xfee00000ULL
#define MSI_ADDR_BASE_MASK 0xfff00000ULL
#define MSI_ADDR_DEST(a) (((a) >> 12) & 0xff)
#define MSI_ADDR_DM_LOGICAL (1ULL << 2)
#define MSI_ADDR_RESERVED 0xff0ULL /* ext. destination, RH: unused */
#define MSI_DATA_VECTOR(d) ((d)&0xff)
#define MSI_DATA_MODE(d) (((d) >> 8) & 7)
#define MSI_DATA_LEVEL (1U << 15)

static bool in_window(u64 gpa, u32 size, u64 base, u64 len)
{
	return gpa >= base && gpa + size <= base + len && gpa + size > gpa;
}

/* The ranges whose accesses the SOS's device models answer. */
static bool device_space(u64 gpa, u32 size)
{
	return in_window(gpa, size, LHV_VM_ECAM_BASE,
			 (LHV_VM_ECAM_BUS_LAST + 1ULL) << 20) ||
	       in_window(gpa, size, LHV_VM_MMIO32_BASE, LHV_VM_MMIO32_SIZE) ||
	       in_window(gpa, size, LHV_VM_MMIO64_BASE, LHV_VM_MMIO64_SIZE);
}

s64 hc_vm_doorbell(u64 gpa)
{
	struct lhv_hc_doorbell req;
	struct hv_doorbell *free = NULL;
	struct hv_vm *vm;
	s64 ret = 0;
	u32 i;
	int err;

	err = guest_read(&req, gpa, sizeof(req));
	if (err)
		return err;
	if (req.id < 1 || req.id > LHV_VM_MAX_ID || req.pad)
		return -EINVAL;
	vm = &hv_vms[req.id];
	if (req.op == LHV_DOORBELL_ADD &&
	    (!req.len || req.len > MAX_DOORBELL_LEN ||
	     (req.stride != 1 && req.stride != 2 && req.stride != 4 &&
	      req.stride != 8) ||
	     req.len % req.stride || req.first_bit >= LHV_DOORBELL_BITS ||
	     req.len / req.stride > LHV_DOORBELL_BITS - req.first_bit ||
	     !device_space(req.gpa, req.len)))
		return -EINVAL;
	if (req.op != LHV_DOORBELL_ADD && req.op != LHV_DOORBELL_DEL)
		return -EINVAL;
	spin_lock(&hv_vm_lock);
	if (vm->state == LHV_HC_VM_FREE || !vm->ioreq_hpa) {
		ret = vm->state == LHV_HC_VM_FREE ? -ENOENT : -ENODEV;
		goto out;
	}
	for (i = 0; i < HV_VM_DOORBELLS; i++) {
		struct hv_doorbell *d = &vm->doorbell[i];
		bool valid = __atomic_load_n(&d->valid, __ATOMIC_ACQUIRE);

		if (!valid) {
			if (!free)
				free = d;
			continue;
		}
		if (req.op == LHV_DOORBELL_DEL && d->gpa == req.gpa) {
			__atomic_store_n(&d->valid, false, __ATOMIC_RELEASE);
			goto out;
		}
		/* Ranges do not overlap: one access, one meaning. */
		if (req.op == LHV_DOORBELL_ADD && req.gpa < d->gpa + d->len &&
		    d->gpa < req.gpa + req.len) {
			ret = -EEXIST;
			goto out;
		}
	}
	if (req.op == LHV_DOORBELL_DEL) {
		ret = -ENOENT;
	} else if (!free) {
		ret = -ENOSPC;
	} else {
		free->gpa = req.gpa;
		free->len = req.len;
		free->stride = req.stride;
		free->first_bit = req.first_bit;
		__atomic_store_n(&free->valid, true, __ATOMIC_RELEASE);
	}
out:
	spin_unlock(&hv_vm_lock);
	return ret;
}

s64 hc_vm_inject_msi(u64 id_data, u64 addr)
{
	u32 id = (u32)id_data, data = (u32)(id_data >> 32), dest, i;
	struct hv_vm *vm;

	if (id < 1 || id > LHV_VM_MAX_ID)
		return -EINVAL;
	vm = &hv_vms[id];
	if ((addr & MSI_ADDR_BASE_MASK) != MSI_ADDR_BASE ||
	    (addr & (MSI_ADDR_DM_LOGICAL | MSI_ADDR_RESERVED)) ||
	    (MSI_DATA_MODE(data) != 0 && MSI_DATA_MODE(data) != 1) ||
	    (data & MSI_DATA_LEVEL) || MSI_DATA_VECTOR(data) < 16)
		return -EINVAL;
	if (__atomic_load_n(&vm->state, __ATOMIC_ACQUIRE) != LHV_HC_VM_RUNNING)
		return -EAGAIN;
	dest = MSI_ADDR_DEST(addr);
	/* vm->cpus is fixed from create to destroy; the SOS serialises. */
	for (i = 0; i < vm->nr_vcpus; i++) {
		if (arch_vcpu_apic_id(vm, i) == dest) {
			arch_send_fixed(dest, (u8)MSI_DATA_VECTOR(data));
			__atomic_fetch_add(&vm->nr_msis, 1, __ATOMIC_RELAXED);
			return 0;
		}
	}
	return -EINVAL;
}

/* A doorbell write: the bit for the SOS, and an upcall. */
static bool ring_doorbell(struct hv_vm *vm, u64 gpa, u32 size)
{
	unsigned int cpu = this_cpu_id();
	struct lhv_ioreq_page *pg;
	u32 i, bit;

	for (i = 0; i < HV_VM_DOORBELLS; i++) {
		const struct hv_doorbell *d = &vm->doorbell[i];

		if (!__atomic_load_n(&d->valid, __ATOMIC_ACQUIRE) ||
		    !in_window(gpa, size, d->gpa, d->len))
			continue;
		bit = d->first_bit + (u32)(gpa - d->gpa) / d->stride;
		if (bit >= LHV_DOORBELL_BITS)
			return false;
		pg = paging_map_window(cpu, vm->ioreq_hpa);
		__atomic_fetch_or(&pg->doorbell[bit / 64], 1ULL << (bit % 64),
				  __ATOMIC_RELEASE);
		paging_unmap_window(cpu);
		__atomic_fetch_add(&vm->nr_doorbells, 1, __ATOMIC_RELAXED);
		upcall_send(vm->id, UPCALL_IO);
		return true;
	}
	return false;
}

/* Posts the access in the vCPU's slot and waits for the SOS's answer. */
static int ioreq(struct hv_vm *vm, u32 vcpu, u64 gpa, u32 size, bool write,
		 u64 *val)
{
	unsigned int cpu = this_cpu_id();
	volatile struct lhv_ioreq *slot;
	struct lhv_ioreq_page *pg;
	int stopped = 0;

	pg = paging_map_window(cpu, vm->ioreq_hpa);
	slot = &pg->slot[vcpu];
	slot->dir = write ? LHV_IOREQ_WRITE : LHV_IOREQ_READ;
	slot->size = size;
	slot->addr = gpa;
	slot->data = write ? *val : 0;
	slot->seq = slot->seq + 1;
	__atomic_store_n(&slot->state, LHV_IOREQ_PENDING, __ATOMIC_RELEASE);
	paging_unmap_window(cpu);
	upcall_send(vm->id, UPCALL_IO);

	pg = paging_map_window(cpu, vm->ioreq_hpa);
	slot = &pg->slot[vcpu];
	while (__atomic_load_n(&slot->state, __ATOMIC_ACQUIRE) !=
	       LHV_IOREQ_DONE) {
		if (arch_vcpu_should_stop() ||
		    __atomic_load_n(&vm->state, __ATOMIC_ACQUIRE) !=
			    LHV_HC_VM_RUNNING) {
			/* The SOS may still answer: the slot is reset at start. */
			stopped = 1;
			break;
		}
		cpu_relax();
	}
	if (!stopped) {
		if (!write)
			*val = slot->data;
		__atomic_store_n(&slot->state, LHV_IOREQ_FREE,
				 __ATOMIC_RELEASE);
		__atomic_fetch_add(&vm->nr_ioreqs, 1, __ATOMIC_RELAXED);
	}
	paging_unmap_window(cpu);
	return stopped;
}

int vm_mmio(struct hv_vm *vm, u32 vcpu, u64 gpa, u32 size, bool write, u64 *val)
{
	if (vm->ioreq_hpa && device_space(gpa, size)) {
		if (write && ring_doorbell(vm, gpa, size))
			return 0;
		return ioreq(vm, vcpu, gpa, size, write, val);
	}
	if (vm->unbacked_logged < 4) {
		vm->unbacked_logged++;
		log_printf("lhv: vm %u: %s of %u bytes at gpa 0x%llx: "
			   "nothing there\n",
			   vm->id, write ? "write" : "read", size,
			   (unsigned long long)gpa);
	}
	if (!write)
		*val = ~0ULL;
	return 0;
}

/* Called at start: slots left by an earlier run are free again. */
void vm_io_reset(struct hv_vm *vm)
{
	unsigned int cpu = this_cpu_id();
	struct lhv_ioreq_page *pg;
	u32 i;

	if (!vm->ioreq_hpa)
		return;
	pg = paging_map_window(cpu, vm->ioreq_hpa);
	for (i = 0; i < LHV_VM_MAX_VCPUS; i++)
		__atomic_store_n(&pg->slot[i].state, LHV_IOREQ_FREE,
				 __ATOMIC_RELEASE);
	paging_unmap_window(cpu);
}
