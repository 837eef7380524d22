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

struct per_cpu;

/* A registered doorbell range (LHV_HC_VM_DOORBELL). */
struct hv_doorbell {
	u64 gpa;
	u32 len, stride, first_bit;
	bool valid; /* written last on add, first on removal */
};

#define HV_VM_DOORBELLS 32

struct hv_vm_measure {
	u32 nr;	     /* regions set by LHV_HC_VM_SET_MEASURE */
	u32 nr_done; /* digests valid (0 while measuring) */
	struct lhv_hc_measure_region region[LHV_VM_MEASURE_MAX];
	unsigned char sha256[LHV_VM_MEASURE_MAX][32];
};

struct hv_vm {
	u32 id;
	u32 state;	 /* LHV_HC_VM_* */
	u32 stop_reason; /* LHV_HC_STOP_* */
	u32 vcpus_running;
	u32 profile;
	unsigned char uuid[16];
	u32 nr_vcpus;
	u32 cpus[LHV_VM_MAX_VCPUS];
	struct lhv_hc_vcpu_state boot[LHV_VM_MAX_VCPUS];
	u64 ram_size;
	u64 exits;
	u64 ipis_dropped;
	char crash_reason[64];
	struct uart16550 uart; /* COM1, the console */
	struct uart_console console;
	struct uart16550 com2; /* the lifecycle channel; output dropped */
	struct hv_vm_measure measure;
	/* Device emulation in the SOS (core/vm_io.c): 0 if none. */
	u64 ioreq_hpa;
	struct hv_doorbell doorbell[HV_VM_DOORBELLS];
	u64 nr_ioreqs, nr_doorbells, nr_msis;
	u32 unbacked_logged;
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

s64 hc_vm_console_write(u64 gpa);
s64 hc_vm_doorbell(u64 gpa);
s64 hc_vm_inject_msi(u64 id_data, u64 addr);

/*
 * A vCPU's access to guest-physical @gpa outside its RAM (core/vm_io.c):
 * a doorbell write completes at once; an access to the PCI windows goes
 * to the SOS as an ioreq and waits for its answer; anything else floats
 * (reads all ones, writes dropped). Returns 0, or 1 if the vCPU must stop
 * instead (the VM is stopping while it waited).
 */
int vm_mmio(struct hv_vm *vm, u32 vcpu, u64 gpa, u32 size, bool write,
	    u64 *val);
/* At start: the ioreq slots an earlier run left are free again. */
void vm_io_reset(struct hv_vm *vm);
s64 hc_vm_set_measure(u64 gpa);

/*
 * From a vCPU of @vm: marks it crashed with @why, or stopped for
 * @reason (LHV_HC_STOP_POWEROFF, _REBOOT); its other vCPUs are stopped
 * and the SOS is told (upcall). No effect unless the VM is running.
 */
void vm_crash(struct hv_vm *vm, const char *why);
void vm_stop_self(struct hv_vm *vm, u32 reason);

/*
 * Port I/O of a user VM's vCPU (core/vm_ports.c): the UARTs, pvpanic and
 * the ACPI sleep and reset registers; every other port floats (reads all
 * ones). @size is 1, 2 or 4; a read returns the value in *val.
 */
void vm_port_access(struct hv_vm *vm, u16 port, unsigned int size, bool write,
		    u32 *val);

/*
 * Hashes the regions LHV_HC_VM_SET_MEASURE set, from @vm's memory
 * (core/vm_measure.c); run by vCPU 0 before its first instruction.
 */
void vm_measure(struct hv_vm *vm);

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
/* Makes every vCPU of @vm other than the calling one leave the guest. */
void arch_vm_kick_others(struct hv_vm *vm);
/* From a vCPU: whether the SOS asked it to stop (it waits for ioreqs). */
bool arch_vcpu_should_stop(void);
/* The APIC id of @vm's vCPU @i's CPU. */
u32 arch_vcpu_apic_id(const struct hv_vm *vm, u32 i);
/* A fixed, edge interrupt @vector to @apic_id, from this CPU. */
void arch_send_fixed(u32 apic_id, u8 vector);

#endif /* _HV_VM_H */
