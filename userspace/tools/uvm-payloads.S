/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Tiny 64-bit programs that lhv-uvm-payload puts into a user VM to test
 * the hv's user VM support without a kernel: each runs from guest-physical
 * 0x10000 on flat segments and identity paging, talks over COM1 (0x3F8)
 * and ends in a halt loop with interrupts off. Position independent: they
 * are copied byte for byte. Data only in this program (.rodata).
 */
	.section .rodata, "a"
	.code64

/* Prints the NUL-terminated string at %rsi on COM1; clobbers %al, %dx. */
.macro PRINT label
	lea	\label(%rip), %rsi
	mov	$0x3f8, %dx
91:	lodsb
	test	%al, %al
	jz	92f
	out	%al, %dx
	jmp	91b
92:
.endm

.macro HALT
93:	cli
	hlt
	jmp	93b
.endm

.macro PAYLOAD name
	.globl	uvm_payload_\name, uvm_payload_\name\()_end
	.balign	16
uvm_payload_\name:
.endm

/* hello: one line on the console. */
	PAYLOAD hello
	PRINT	1f
	HALT
1:	.asciz	"lhv-uvm: hello from a user VM\n"
uvm_payload_hello_end:

/*
 * cpuid: the hypervisor signature, the SVM bit, the API version hypercall
 * and a VM-management hypercall that a user VM must not make:
 *   "sig=<12 bytes> svm=<0|1> api=<digit> destroy=<EPERM|other>\n"
 */
	PAYLOAD cpuid
	sub	$32, %rsp
	mov	$0x40000000, %eax
	cpuid
	mov	%ebx, 0(%rsp)
	mov	%ecx, 4(%rsp)
	mov	%edx, 8(%rsp)
	movb	$0, 12(%rsp)
	PRINT	1f
	mov	%rsp, %rsi
	mov	$0x3f8, %dx
2:	lodsb
	test	%al, %al
	jz	3f
	out	%al, %dx
	jmp	2b
3:	PRINT	4f
	mov	$0x80000001, %eax
	cpuid
	shr	$2, %ecx
	and	$1, %ecx
	lea	'0'(%ecx), %eax
	mov	$0x3f8, %dx	/* cpuid wrote %edx */
	out	%al, %dx
	PRINT	5f
	mov	$1, %r8		/* LHV_HC_GET_API_VERSION */
	vmmcall
	add	$'0', %al
	mov	$0x3f8, %dx
	out	%al, %dx
	PRINT	6f
	mov	$0xb, %r8	/* LHV_HC_VM_DESTROY */
	mov	$1, %rdi
	vmmcall
	cmp	$-1, %rax	/* -EPERM */
	jne	7f
	PRINT	8f
	HALT
7:	PRINT	9f
	HALT
1:	.asciz	"lhv-uvm: sig="
4:	.asciz	" svm="
5:	.asciz	" api="
6:	.asciz	" destroy="
8:	.asciz	"EPERM\n"
9:	.asciz	"ALLOWED\n"
uvm_payload_cpuid_end:

/* triple: no IDT, then an exception: a triple fault (shutdown). */
	PAYLOAD triple
	PRINT	1f
	lidt	2f(%rip)
	ud2
	HALT
1:	.asciz	"lhv-uvm: triple fault next\n"
	.balign	8
2:	.word	0
	.quad	0
uvm_payload_triple_end:

/*
 * npf: guest-physical 2 GiB (mapped by the page tables only) is outside
 * RAM with nothing there: a store is dropped and a load reads all ones,
 * as the hv emulates a floating bus.
 */
	PAYLOAD npf
	PRINT	1f
	mov	$0x80000000, %rbx
	movl	$0x12345678, (%rbx)
	mov	(%rbx), %rax
	cmp	$-1, %rax
	jne	5f
	PRINT	2f
	HALT
5:	PRINT	3f
	HALT
1:	.asciz	"lhv-uvm: touching 2 GiB\n"
2:	.asciz	"lhv-uvm: read beyond RAM: all ones\n"
3:	.asciz	"lhv-uvm: read beyond RAM: data\n"
uvm_payload_npf_end:

/* npfexec: a jump to guest-physical 2 GiB: code outside RAM is fatal. */
	PAYLOAD npfexec
	PRINT	1f
	mov	$0x80000000, %rbx
	jmp	*%rbx
1:	.asciz	"lhv-uvm: jumping to 2 GiB\n"
uvm_payload_npfexec_end:

/*
 * ipi: a fixed IPI, then INIT and SIPI, to x2APIC id 0 (the SOS's CPU 0):
 * the hv drops them all (an INIT reaching the SOS would reset its CPU).
 */
	PAYLOAD ipi
	mov	$0x830, %ecx
	xor	%edx, %edx	/* destination 0 */
	mov	$0xef, %eax	/* fixed, vector 0xef */
	wrmsr
	mov	$0xc500, %eax	/* INIT, level, assert */
	wrmsr
	mov	$0x0610, %eax	/* SIPI, vector 0x10 */
	wrmsr
	PRINT	1f
	HALT
1:	.asciz	"lhv-uvm: ipi sent\n"
uvm_payload_ipi_end:

/* spin: busy forever with interrupts off, for the forced stop. */
	PAYLOAD spin
	PRINT	1f
	cli
2:	jmp	2b
1:	.asciz	"lhv-uvm: spinning\n"
uvm_payload_spin_end:

/*
 * vseed: its own vSEED (LHV_HC_GET_VSEED into a buffer at 0x20000) in hex:
 *   "lhv-uvm: vseed=<hex>\n", or "lhv-uvm: vseed error\n".
 */
	PAYLOAD vseed
	mov	$6, %r8		/* LHV_HC_GET_VSEED */
	mov	$0x20000, %rdi
	mov	$64, %rsi
	vmmcall
	test	%rax, %rax
	jle	5f
	mov	%rax, %rcx
	PRINT	1f
	mov	$0x20000, %rbx
	lea	2f(%rip), %rdi	/* hex digits */
3:	movzbl	(%rbx), %eax
	shr	$4, %eax
	movb	(%rdi,%rax), %al
	out	%al, %dx
	movzbl	(%rbx), %eax
	and	$15, %eax
	movb	(%rdi,%rax), %al
	out	%al, %dx
	inc	%rbx
	dec	%rcx
	jnz	3b
	PRINT	4f
	HALT
5:	PRINT	6f
	HALT
1:	.asciz	"lhv-uvm: vseed="
2:	.ascii	"0123456789abcdef"
4:	.asciz	"\n"
6:	.asciz	"lhv-uvm: vseed error\n"
uvm_payload_vseed_end:

	.section .note.GNU-stack, "", @progbits
