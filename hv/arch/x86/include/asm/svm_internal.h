/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the SVM files share among themselves: svm.c (the Service OS),
 * svm_uvm.c (user VM vCPUs on donated CPUs) and svm_run.S (the loops).
 */
#ifndef _ASM_X86_SVM_INTERNAL_H
#define _ASM_X86_SVM_INTERNAL_H

#include <lhv/hypercall.h>
#include <asm/svm.h>
#include <asm/vcpu.h>
#include <hv/compiler.h>
#include <hv/types.h>

struct per_cpu;

/* Intercept word 4 of every guest: the SVM instructions and VMMCALL. */
#define SVM_INTERCEPT_SVM_INSNS                                                \
	(SVM_INTERCEPT_VMRUN | SVM_INTERCEPT_VMMCALL | SVM_INTERCEPT_VMLOAD |  \
	 SVM_INTERCEPT_VMSAVE | SVM_INTERCEPT_STGI | SVM_INTERCEPT_CLGI |      \
	 SVM_INTERCEPT_SKINIT)

/* svm_run.S: the handlers return 0 to resume the guest, else to leave. */
void svm_vcpu_loop(struct per_cpu *cpu) __noreturn;
int svm_uvm_loop(struct per_cpu *cpu);
int svm_handle_exit(struct per_cpu *cpu);
int svm_uvm_handle_exit(struct per_cpu *cpu);
void svm_resume_native(struct guest_regs *regs, u64 frame) __noreturn;

/* svm.c */
/* Intercept reads and/or writes of one MSR in a permission map. */
void svm_uvm_intercept_msr(u8 *msrpm, u32 msr, bool read, bool write);
/* EFER and the SVM MSRs: a length, or -X86_EXC_* to inject. */
int svm_msr_efer(struct vmcb *vmcb, struct guest_regs *regs, bool write);
/* How an exit code counts in the statistics (enum lhv_exit_reason). */
enum lhv_exit_reason svm_exit_reason(u32 code);
/* Injects exception @vector (#GP with error code 0) at the next VMRUN. */
void svm_inject_exception(struct vmcb *vmcb, unsigned int vector);
/* Leaves SVM on this CPU and resumes the SOS natively. */
void svm_disable(struct per_cpu *cpu) __noreturn;

/* svm_uvm.c: an NMI exit of the SOS on a donated CPU. */
void svm_sos_nmi(struct per_cpu *cpu);

#endif /* _ASM_X86_SVM_INTERNAL_H */
