/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lhv_hv_entry: where the loader calls in (contract in <lhv/hv_image.h>).
 *
 * Called from Linux ring 0 with the SysV ABI: %rdi = struct lhv_hv_boot *.
 * It masks interrupts, moves to this CPU's hv stack, runs hv_main there and
 * comes back to the caller's stack with its interrupt flag restored. Only
 * %rsp is switched: hv_main is C and keeps the callee-saved registers.
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

	/* No Linux interrupt handler may run on the hv stack. */
	pushfq
	cli

	/* %rsi = &hv_percpu[cpu_id], hv_main's second argument. */
	imulq	$HV_PERCPU_SIZE, %rax, %rsi
	leaq	hv_percpu(%rip), %rdx
	addq	%rdx, %rsi

	/* The stack ends where the per-CPU area does; keep the old %rsp on it. */
	movq	%rsp, %rcx
	leaq	HV_PERCPU_SIZE(%rsi), %rsp
	pushq	%rcx
	/* Re-align to 16 bytes for the call, as the ABI requires. */
	subq	$8, %rsp

	call	hv_main

	addq	$8, %rsp
	popq	%rsp
	popfq
	ret

.Lbad_boot:
	movl	$-EINVAL, %eax
	ret
	.size	lhv_hv_entry, . - lhv_hv_entry

	/* No executable stack wanted. */
	.section .note.GNU-stack, "", @progbits
