/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The x86 vCPU as the exit handlers see it: the guest's general-purpose
 * registers that VMRUN does not switch, stored by arch/x86/svm_run.S. The
 * numbering is the x86 register encoding, so offsets are 8 * number; RAX
 * and RSP live in the VMCB and are copied in and out around a handler.
 * Usable from assembly.
 */
#ifndef _ASM_X86_VCPU_H
#define _ASM_X86_VCPU_H

#define GR_RAX (0 * 8)
#define GR_RCX (1 * 8)
#define GR_RDX (2 * 8)
#define GR_RBX (3 * 8)
#define GR_RSP (4 * 8)
#define GR_RBP (5 * 8)
#define GR_RSI (6 * 8)
#define GR_RDI (7 * 8)
#define GR_R8 (8 * 8)
#define GR_R9 (9 * 8)
#define GR_R10 (10 * 8)
#define GR_R11 (11 * 8)
#define GR_R12 (12 * 8)
#define GR_R13 (13 * 8)
#define GR_R14 (14 * 8)
#define GR_R15 (15 * 8)
#define GR_SIZE (16 * 8)

#ifndef __ASSEMBLER__

#include <hv/types.h>

struct guest_regs {
	u64 rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi;
	u64 r8, r9, r10, r11, r12, r13, r14, r15;
};

_Static_assert(sizeof(struct guest_regs) == GR_SIZE, "GR_* offsets");
_Static_assert(__builtin_offsetof(struct guest_regs, r15) == GR_R15,
	       "GR_* offsets");

struct per_cpu;
struct hv_vm;

/*
 * Vendor-neutral exit handlers (arch/x86/vcpu.c). Each returns the length
 * of the instruction it emulated (RIP advances by it), or a negative
 * X86_EXC_* to inject that exception instead (-X86_EXC_GP, error code 0).
 */
int vcpu_handle_cpuid(struct guest_regs *regs);
/* @vm: the calling user VM, NULL for the Service OS. */
int vcpu_handle_hypercall(struct per_cpu *cpu, struct guest_regs *regs,
			  unsigned int cpl, struct hv_vm *vm);

#endif /* __ASSEMBLER__ */
#endif /* _ASM_X86_VCPU_H */
