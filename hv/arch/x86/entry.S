/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lhv_hv_entry: where the loader calls in (contract in <lhv/hv_image.h>).
 *
 * Called from Linux ring 0 with the SysV ABI: %rdi = struct lhv_hv_boot *.
 * It records what the CPU must look like when it resumes the caller as a
 * guest (callee-saved registers, RFLAGS, the stack pointer at the return
 * address), masks interrupts, moves to this CPU's hv stack and runs
 * hv_main there. hv_main comes back only when it did not virtualize the
 * CPU; then this returns its error on the caller's stack. Otherwise the
 * caller resumes as a guest at its return address, %rax = 0, built by
 * arch/x86/svm.c from what is saved here: the resume point must be SOS
 * code, as hv memory is not mapped for the guest.
 * Everything is addressed relative to %rip: the image runs where loaded.
 */
#include <hv/errno.h>
#include <hv/percpu.h>

	.section .text.entry, "ax", @progbits
	.globl	lhv_hv_entry
	.type	lhv_hv_entry, @function
lhv_hv_entry:
	/* The loader calls through a pointer; kernel IBT wants a landing pad. */
	endbr64

	/* The boot block picks the stack, so check what indexes it. */
	testq	%rdi, %rdi
	jz	.Lbad_boot
	movl	HV_BOOT_CPU_ID(%rdi), %eax
	cmpl	$HV_MAX_CPUS, %eax
	jae	.Lbad_boot

	/* %rsi = &hv_percpu[cpu_id], hv_main's second argument. */
	imulq	$HV_PERCPU_SIZE, %rax, %rsi
	leaq	hv_percpu(%rip), %rdx
	addq	%rdx, %rsi

	/* The caller's view, for the guest that resumes it. */
	movq	%rbx, PC_REGS + GR_RBX(%rsi)
	movq	%rbp, PC_REGS + GR_RBP(%rsi)
	movq	%r12, PC_REGS + GR_R12(%rsi)
	movq	%r13, PC_REGS + GR_R13(%rsi)
	movq	%r14, PC_REGS + GR_R14(%rsi)
	movq	%r15, PC_REGS + GR_R15(%rsi)
	movq	%rsp, PC_LINUX_RSP(%rsi)
	pushfq
	popq	%rax
	movq	%rax, PC_LINUX_RFLAGS(%rsi)

	/* No Linux interrupt handler may run on the hv stack. */
	cli

	/* The stack ends where the per-CPU area does; keep the old %rsp on it. */
	movq	%rsp, %rcx
	leaq	HV_PERCPU_SIZE(%rsi), %rsp
	pushq	%rcx
	pushq	%rax

	call	hv_main

	/* Not virtualized: back to the caller with its flags. */
	popq	%rcx
	popq	%rsp
	pushq	%rcx
	popfq
	ret

.Lbad_boot:
	movl	$-EINVAL, %eax
	ret
	.size	lhv_hv_entry, . - lhv_hv_entry

	/* No executable stack wanted. */
	.section .note.GNU-stack, "", @progbits
