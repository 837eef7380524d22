/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Per-CPU hv memory: one struct per_cpu for each possible cpu_id, in .bss.
 * The constants are shared with arch/x86/entry.S and svm_run.S, which use
 * the area before and around C code.
 */
#ifndef _HV_PERCPU_H
#define _HV_PERCPU_H

#include <hv/page.h>
#include <asm/vcpu.h>

#define HV_MAX_CPUS 64
#define HV_STACK_SIZE (4 * PAGE_SIZE)
/*
 * One page of per-CPU data, the SOS's VMCB, a user VM vCPU's VMCB, the
 * host save area, then the stack, which grows toward them.
 */
#define HV_PERCPU_SIZE (4 * PAGE_SIZE + HV_STACK_SIZE)

/* Offset of cpu_id in struct lhv_hv_boot, for entry.S. */
#define HV_BOOT_CPU_ID 8

/* Offsets in struct per_cpu, for assembly (checked in core/percpu.c). */
#define PC_REGS 0
#define PC_VMCB_PA GR_SIZE
#define PC_LINUX_RSP (GR_SIZE + 8)
#define PC_LINUX_RFLAGS (GR_SIZE + 16)
/* The user VM vCPU this CPU runs once donated (arch/x86/svm_uvm.c). */
#define PC_UVM_REGS (GR_SIZE + 24)
#define PC_UVM_VMCB_PA (2 * GR_SIZE + 24)

#ifndef __ASSEMBLER__

#include <lhv/hypercall.h>
#include <hv/compiler.h>
#include <hv/types.h>
#include <asm/svm.h>

struct per_cpu {
	/* The guest's registers while the hv handles an exit. */
	struct guest_regs regs;
	u64 vmcb_pa;
	/* Where lhv_hv_entry was called from: the guest resumes there. */
	u64 linux_rsp; /* pointing at the return address */
	u64 linux_rflags;
	struct guest_regs uvm_regs;
	u64 uvm_vmcb_pa;
	u32 cpu_id;
	/* Set once the CPU runs its first guest instruction. */
	bool running;
	/* Set by HC_DISABLE: leave instead of resuming the guest. */
	bool disable;
	u32 npf_logged;
	u64 exits;
	/* Per enum lhv_exit_reason: exits, and TSC cycles spent on them. */
	u64 exit_count[LHV_EXIT_REASON_COUNT];
	u64 exit_cycles[LHV_EXIT_REASON_COUNT];
	/* Donation to a user VM (LHV_HC_CPU_DONATE), see svm_uvm.c. */
	u32 donated_vm; /* 0: not donated */
	u32 park_state; /* enum park_state */
	u32 park_cmd;	/* enum park_cmd, set by the managing CPU */
	u32 uvm_vcpu;	/* which vCPU of donated_vm runs here */
	u32 apic_id;	/* x2APIC id, for NMIs that stop the vCPU */
	bool take;	/* LHV_HC_CPU_TAKE: park at the next NMI */
	/* A vCPU's INIT/SIPI state and NMIs from its VM (uvm_ipi.c). */
	bool uvm_wait_sipi; /* in wait-for-SIPI: not running the guest */
	bool uvm_sipi;	    /* a SIPI arrived, vector in uvm_sipi_vector */
	bool uvm_init;	    /* an INIT arrived: back to wait-for-SIPI */
	bool uvm_guest_nmi; /* an NMI from the VM to inject */
	u32 uvm_sipi_vector;
	struct vmcb vmcb __aligned(PAGE_SIZE);
	struct vmcb uvm_vmcb __aligned(PAGE_SIZE);
	u8 host_save[PAGE_SIZE] __aligned(PAGE_SIZE);
	u8 stack[HV_STACK_SIZE] __aligned(PAGE_SIZE);
};

extern struct per_cpu hv_percpu[HV_MAX_CPUS];

/*
 * The CPU running this code, found from the stack: each hv stack lies in
 * its CPU's area, and the hv uses no segment base for per-CPU data (FS
 * and GS stay the guest's).
 */
static inline unsigned int this_cpu_id(void)
{
	char here;

	return (unsigned int)(((unsigned long)&here -
			       (unsigned long)hv_percpu) /
			      HV_PERCPU_SIZE);
}

#endif /* __ASSEMBLER__ */
#endif /* _HV_PERCPU_H */
