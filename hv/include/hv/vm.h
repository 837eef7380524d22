/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * User VMs as the hv keeps them (docs/uvm.md): one slot per VM id, in hv
 * memory. The VM-management hypercalls of the Service OS (core/vm.c)
 * create, start, stop and destroy them; the architecture code runs their
 * vCPUs on donated physical CPUs.
 */
#ifndef _HV_VM_H
#define _HV_VM_H

#include <lhv/hypercall.h>
#include <asm/npt.h>
#include <hv/spinlock.h>
#include <hv/types.h>
#include <lib/uart16550.h>

struct hv_vm {
	u32 id;
	u32 state; /* LHV_HC_VM_* */
	u32 profile;
	unsigned char uuid[16];
	u32 nr_vcpus;
	u32 cpus[LHV_VM_MAX_VCPUS];
	struct lhv_hc_vcpu_state boot[LHV_VM_MAX_VCPUS];
	u64 ram_size;
	u64 exits;
	u64 ipis_dropped;
	char crash_reason[64];
	struct uart16550 uart;
	struct uart_console console;
	struct npt_vm npt;
};

/* Slot i holds VM id i; slot 0 (the SOS) is unused. */
extern struct hv_vm hv_vms[LHV_VM_MAX_ID + 1];
/* Serialises the VM-management calls (the SOS makes them one by one). */
extern spinlock_t hv_vm_lock;

s64 hc_vm_create(u64 gpa);
s64 hc_vm_set_vcpu(u64 gpa);
s64 hc_vm_start(u64 id);
s64 hc_vm_stop(u64 id);
s64 hc_vm_destroy(u64 id);
s64 hc_vm_console_read(u64 gpa);
s64 hc_vm_info(u64 id, u64 gpa);

/* Marks @vm crashed with @why (from the vCPU that found it). */
void vm_crash(struct hv_vm *vm, const char *why);

/*
 * Architecture hooks (arch/x86/svm_uvm.c). They see a VM whose slot the
 * caller holds hv_vm_lock for.
 */
/* Whether the CPU with boot cpu_id @cpu is donated to @vm and parked. */
bool arch_cpu_parked_for(u32 cpu, u32 vm_id);
/* Starts every vCPU on its parked CPU. */
void arch_vm_start(struct hv_vm *vm);
/* Stops every running vCPU of @vm and waits until they stopped. */
void arch_vm_stop(struct hv_vm *vm);
/* Gives @vm's CPUs back to the SOS (bare metal) and waits for it. */
void arch_vm_release(struct hv_vm *vm);
/* Donation, from the CPU itself (see LHV_HC_CPU_DONATE). */
s64 arch_cpu_donate(struct per_cpu *cpu, u64 vm_id);
/* LHV_HC_CPU_TAKE from another CPU, once Linux reports @id dead. */
s64 arch_cpu_take(u64 id);

#endif /* _HV_VM_H */
