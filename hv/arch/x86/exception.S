/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Entry stubs of the hv's IDT (arch/x86/desc.c), one per exception vector,
 * 16 bytes apart. Vectors without a CPU-pushed error code push 0 so that
 * hv_exception always sees the same frame. An NMI returns at once.
 */
	.text
	.globl	hv_exception_stubs
	.align	16
hv_exception_stubs:
	vector = 0
	.rept	32
	.align	16
	.if vector == 2
	/*
	 * NMI: the one a CPU takes on purpose, to drain the NMI that
	 * stopped a user VM's vCPU (svm_uvm.c). Nothing to do.
	 */
	iretq
	.elseif (vector == 8 || (vector >= 10 && vector <= 14) || vector == 17 || \
	     vector == 21 || vector == 29 || vector == 30)
	pushq	$vector
	.else
	pushq	$0
	pushq	$vector
	.endif
	jmp	hv_exception_common
	vector = vector + 1
	.endr

hv_exception_common:
	/* Stack: vector, error, RIP, CS, RFLAGS, RSP, SS. RAX as it was. */
	movq	%rax, %rcx
	popq	%rdi
	popq	%rsi
	movq	%rsp, %rdx
	andq	$-16, %rsp
	call	hv_exception
	ud2

	.section .note.GNU-stack, "", @progbits
