/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The VMRUN loops (the Service OS's, a user VM vCPU's) and the way back to
 * bare metal.
 *
 * VMRUN switches RAX, RSP, RIP, RFLAGS and the system registers; the other
 * general-purpose registers are the guest's to keep, so the loop loads
 * them from per_cpu.regs before VMRUN and stores them after #VMEXIT.
 * There is no VMLOAD/VMSAVE: the hv does not use FS, GS, TR, LDTR or the
 * SYSCALL MSRs, so the CPU keeps the guest's values in them throughout.
 * GIF stays clear while the hv runs (from #VMEXIT to the next VMRUN):
 * interrupts and NMIs wait for the guest.
 */
#include <hv/percpu.h>

	.text
.macro VCPU_LOOP name, regs, vmcb_pa, handler
	.globl	\name
	.type	\name, @function
\name:
	/*
	 * The guest's values go through every register: keep the caller's
	 * callee-saved ones for the way back. 0(%rsp) = cpu; with the
	 * return address that is 8 pushes, so %rsp is 16-aligned for the
	 * handler call.
	 */
	pushq	%rbx
	pushq	%rbp
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	pushq	%rdi
1:
	movq	0(%rsp), %rax
	movq	\regs + GR_RCX(%rax), %rcx
	movq	\regs + GR_RDX(%rax), %rdx
	movq	\regs + GR_RBX(%rax), %rbx
	movq	\regs + GR_RBP(%rax), %rbp
	movq	\regs + GR_RSI(%rax), %rsi
	movq	\regs + GR_RDI(%rax), %rdi
	movq	\regs + GR_R8(%rax), %r8
	movq	\regs + GR_R9(%rax), %r9
	movq	\regs + GR_R10(%rax), %r10
	movq	\regs + GR_R11(%rax), %r11
	movq	\regs + GR_R12(%rax), %r12
	movq	\regs + GR_R13(%rax), %r13
	movq	\regs + GR_R14(%rax), %r14
	movq	\regs + GR_R15(%rax), %r15
	movq	\vmcb_pa(%rax), %rax
	vmrun	%rax
	/* #VMEXIT: %rax and %rsp are the hv's again, the rest the guest's. */
	movq	0(%rsp), %rax
	movq	%rcx, \regs + GR_RCX(%rax)
	movq	%rdx, \regs + GR_RDX(%rax)
	movq	%rbx, \regs + GR_RBX(%rax)
	movq	%rbp, \regs + GR_RBP(%rax)
	movq	%rsi, \regs + GR_RSI(%rax)
	movq	%rdi, \regs + GR_RDI(%rax)
	movq	%r8, \regs + GR_R8(%rax)
	movq	%r9, \regs + GR_R9(%rax)
	movq	%r10, \regs + GR_R10(%rax)
	movq	%r11, \regs + GR_R11(%rax)
	movq	%r12, \regs + GR_R12(%rax)
	movq	%r13, \regs + GR_R13(%rax)
	movq	%r14, \regs + GR_R14(%rax)
	movq	%r15, \regs + GR_R15(%rax)
	movq	%rax, %rdi
	call	\handler
	/* The handler returns 0 to resume the guest, else to leave. */
	testl	%eax, %eax
	jz	1b
	popq	%rdi
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	ret
	.size	\name, . - \name
.endm

	/*
	 * void svm_vcpu_loop(struct per_cpu *cpu): the Service OS on this
	 * CPU; returns only when svm_handle_exit says so (never today: it
	 * leaves through svm_disable or parks the CPU).
	 */
	VCPU_LOOP svm_vcpu_loop, PC_REGS, PC_VMCB_PA, svm_handle_exit
	/*
	 * void svm_uvm_loop(struct per_cpu *cpu): the user VM vCPU on this
	 * donated CPU; returns when svm_uvm_handle_exit says it stops.
	 */
	VCPU_LOOP svm_uvm_loop, PC_UVM_REGS, PC_UVM_VMCB_PA, svm_uvm_handle_exit

	/*
	 * void svm_resume_native(struct guest_regs *regs, u64 frame), does
	 * not return: the CPU, already out of SVM, continues the former
	 * guest. frame is its stack pointer minus 16, holding RFLAGS and then
	 * RIP; every general-purpose register comes from regs.
	 */
	.globl	svm_resume_native
	.type	svm_resume_native, @function
svm_resume_native:
	movq	%rsi, %rsp
	movq	GR_RAX(%rdi), %rax
	movq	GR_RCX(%rdi), %rcx
	movq	GR_RDX(%rdi), %rdx
	movq	GR_RBX(%rdi), %rbx
	movq	GR_RBP(%rdi), %rbp
	movq	GR_RSI(%rdi), %rsi
	movq	GR_R8(%rdi), %r8
	movq	GR_R9(%rdi), %r9
	movq	GR_R10(%rdi), %r10
	movq	GR_R11(%rdi), %r11
	movq	GR_R12(%rdi), %r12
	movq	GR_R13(%rdi), %r13
	movq	GR_R14(%rdi), %r14
	movq	GR_R15(%rdi), %r15
	movq	GR_RDI(%rdi), %rdi
	popfq
	ret
	.size	svm_resume_native, . - svm_resume_native

	.section .note.GNU-stack, "", @progbits
