/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * AMD SVM: the VMCB layout (AMD64 APM vol. 2, appendix B) and the exit
 * codes and intercept bits the hv uses.
 */
#ifndef _ASM_X86_SVM_H
#define _ASM_X86_SVM_H

#include <hv/compiler.h>
#include <hv/types.h>

/* Intercept word 3 (VMCB offset 0x0c). */
#define SVM_INTERCEPT_NMI (1U << 1)
#define SVM_INTERCEPT_CPUID (1U << 18)
#define SVM_INTERCEPT_MSR_PROT (1U << 28)
#define SVM_INTERCEPT_SHUTDOWN (1U << 31)
/* Intercept word 4 (offset 0x10); VMRUN must be intercepted. */
#define SVM_INTERCEPT_VMRUN (1U << 0)
#define SVM_INTERCEPT_VMMCALL (1U << 1)
#define SVM_INTERCEPT_VMLOAD (1U << 2)
#define SVM_INTERCEPT_VMSAVE (1U << 3)
#define SVM_INTERCEPT_STGI (1U << 4)
#define SVM_INTERCEPT_CLGI (1U << 5)
#define SVM_INTERCEPT_SKINIT (1U << 6)

#define SVM_EXIT_EXCP_BASE 0x040
#define SVM_EXIT_CPUID 0x072
#define SVM_EXIT_NMI 0x061
#define SVM_EXIT_MSR 0x07c
#define SVM_EXIT_SHUTDOWN 0x07f
#define SVM_EXIT_VMRUN 0x080
#define SVM_EXIT_VMMCALL 0x081
#define SVM_EXIT_VMLOAD 0x082
#define SVM_EXIT_VMSAVE 0x083
#define SVM_EXIT_STGI 0x084
#define SVM_EXIT_CLGI 0x085
#define SVM_EXIT_SKINIT 0x086
#define SVM_EXIT_NPF 0x400
/* A VMCB that fails the consistency checks; QEMU reads back -1 (64 bit). */
#define SVM_EXIT_INVALID 0xffffffffU

#define SVM_NP_ENABLE (1ULL << 0)
#define SVM_TLB_FLUSH_ALL 1

/* EVENTINJ: vector, type (3 = exception), error code valid, valid. */
#define SVM_EVTINJ_TYPE_NMI (2U << 8)
#define SVM_EVTINJ_TYPE_EXCP (3U << 8)
#define SVM_EVTINJ_ERR_VALID (1U << 11)
#define SVM_EVTINJ_VALID (1U << 31)

#define X86_EXC_UD 6
#define X86_EXC_GP 13

/* The nested page fault's EXITINFO1 bits. */
#define NPF_PRESENT (1ULL << 0)
#define NPF_WRITE (1ULL << 1)
#define NPF_FETCH (1ULL << 4)

/* One segment register in the state save area. */
struct vmcb_seg {
	u16 selector;
	/* Descriptor bits 40-47 and 52-55, packed into 12 bits. */
	u16 attrib;
	u32 limit;
	u64 base;
};

struct vmcb_control {
	u32 intercept_cr;
	u32 intercept_dr;
	u32 intercept_exceptions;
	u32 intercept_misc1;
	u32 intercept_misc2;
	u32 intercept_misc3;
	u8 reserved_18[0x3c - 0x18];
	u16 pause_filter_threshold;
	u16 pause_filter_count;
	u64 iopm_base_pa;
	u64 msrpm_base_pa;
	u64 tsc_offset;
	u32 asid;
	u8 tlb_control;
	u8 reserved_5d[3];
	u64 int_ctl;
	u64 int_state;
	u64 exit_code;
	u64 exit_info1;
	u64 exit_info2;
	u64 exit_int_info;
	u64 nested_ctl;
	u64 avic_apic_bar;
	u64 ghcb_pa;
	u64 event_inj;
	u64 nested_cr3;
	u64 virt_ext;
	u32 clean;
	u32 reserved_c4;
	u64 next_rip;
	u8 insn_len;
	u8 insn_bytes[15];
	u8 reserved_e0[0x400 - 0xe0];
};

struct vmcb_save {
	struct vmcb_seg es, cs, ss, ds, fs, gs, gdtr, ldtr, idtr, tr;
	u8 reserved_a0[0xcb - 0xa0];
	u8 cpl;
	u32 reserved_cc;
	u64 efer;
	u8 reserved_d8[0x148 - 0xd8];
	u64 cr4;
	u64 cr3;
	u64 cr0;
	u64 dr7;
	u64 dr6;
	u64 rflags;
	u64 rip;
	u8 reserved_180[0x1d8 - 0x180];
	u64 rsp;
	u64 s_cet;
	u64 ssp;
	u64 isst_addr;
	u64 rax;
	u64 star;
	u64 lstar;
	u64 cstar;
	u64 sfmask;
	u64 kernel_gs_base;
	u64 sysenter_cs;
	u64 sysenter_esp;
	u64 sysenter_eip;
	u64 cr2;
	u8 reserved_248[0x268 - 0x248];
	u64 g_pat;
	u64 dbgctl;
	u8 reserved_278[0xc00 - 0x278];
};

struct vmcb {
	struct vmcb_control control;
	struct vmcb_save save;
};

_Static_assert(sizeof(struct vmcb) == 4096, "VMCB is one page");
_Static_assert(__builtin_offsetof(struct vmcb_control, asid) == 0x58, "asid");
_Static_assert(__builtin_offsetof(struct vmcb_control, event_inj) == 0xa8,
	       "event_inj");
_Static_assert(__builtin_offsetof(struct vmcb_control, nested_cr3) == 0xb0,
	       "nested_cr3");
_Static_assert(__builtin_offsetof(struct vmcb_save, cpl) == 0xcb, "cpl");
_Static_assert(__builtin_offsetof(struct vmcb_save, efer) == 0xd0, "efer");
_Static_assert(__builtin_offsetof(struct vmcb_save, cr4) == 0x148, "cr4");
_Static_assert(__builtin_offsetof(struct vmcb_save, rip) == 0x178, "rip");
_Static_assert(__builtin_offsetof(struct vmcb_save, rsp) == 0x1d8, "rsp");
_Static_assert(__builtin_offsetof(struct vmcb_save, rax) == 0x1f8, "rax");
_Static_assert(__builtin_offsetof(struct vmcb_save, cr2) == 0x240, "cr2");
_Static_assert(__builtin_offsetof(struct vmcb_save, g_pat) == 0x268, "g_pat");

#endif /* _ASM_X86_SVM_H */
