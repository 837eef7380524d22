/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The VMRUN loop and the way back to bare metal.
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
	/* void svm_vcpu_loop(struct per_cpu *cpu), does not return. */
	.globl	svm_vcpu_loop
	.type	svm_vcpu_loop, @function
svm_vcpu_loop:
	/* 0(%rsp) = cpu; the call pushed 8 bytes, so %rsp is 16-aligned. */
	pushq	%rdi
.Lrun:
	movq	0(%rsp), %rax
	movq	PC_REGS + GR_RCX(%rax), %rcx
	movq	PC_REGS + GR_RDX(%rax), %rdx
	movq	PC_REGS + GR_RBX(%rax), %rbx
	movq	PC_REGS + GR_RBP(%rax), %rbp
	movq	PC_REGS + GR_RSI(%rax), %rsi
	movq	PC_REGS + GR_RDI(%rax), %rdi
	movq	PC_REGS + GR_R8(%rax), %r8
	movq	PC_REGS + GR_R9(%rax), %r9
	movq	PC_REGS + GR_R10(%rax), %r10
	movq	PC_REGS + GR_R11(%rax), %r11
	movq	PC_REGS + GR_R12(%rax), %r12
	movq	PC_REGS + GR_R13(%rax), %r13
	movq	PC_REGS + GR_R14(%rax), %r14
	movq	PC_REGS + GR_R15(%rax), %r15
	movq	PC_VMCB_PA(%rax), %rax
	vmrun	%rax
	/* #VMEXIT: %rax and %rsp are the hv's again, the rest the guest's. */
	movq	0(%rsp), %rax
	movq	%rcx, PC_REGS + GR_RCX(%rax)
	movq	%rdx, PC_REGS + GR_RDX(%rax)
	movq	%rbx, PC_REGS + GR_RBX(%rax)
	movq	%rbp, PC_REGS + GR_RBP(%rax)
	movq	%rsi, PC_REGS + GR_RSI(%rax)
	movq	%rdi, PC_REGS + GR_RDI(%rax)
	movq	%r8, PC_REGS + GR_R8(%rax)
	movq	%r9, PC_REGS + GR_R9(%rax)
	movq	%r10, PC_REGS + GR_R10(%rax)
	movq	%r11, PC_REGS + GR_R11(%rax)
	movq	%r12, PC_REGS + GR_R12(%rax)
	movq	%r13, PC_REGS + GR_R13(%rax)
	movq	%r14, PC_REGS + GR_R14(%rax)
	movq	%r15, PC_REGS + GR_R15(%rax)
	movq	%rax, %rdi
	call	svm_handle_exit
	jmp	.Lrun
	.size	svm_vcpu_loop, . - svm_vcpu_loop

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
