/* SPDX-License-Identifier: BSD-3-Clause */
/* Model-specific registers the hv reads, writes or emulates. */
#ifndef _ASM_X86_MSR_H
#define _ASM_X86_MSR_H

#include <hv/types.h>

#define MSR_IA32_SYSENTER_CS 0x00000174
#define MSR_IA32_SYSENTER_ESP 0x00000175
#define MSR_IA32_SYSENTER_EIP 0x00000176
#define MSR_IA32_DEBUGCTL 0x000001d9
#define MSR_IA32_PAT 0x00000277
#define MSR_EFER 0xc0000080
#define MSR_STAR 0xc0000081
#define MSR_LSTAR 0xc0000082
#define MSR_CSTAR 0xc0000083
#define MSR_SFMASK 0xc0000084
#define MSR_FS_BASE 0xc0000100
#define MSR_GS_BASE 0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102
#define MSR_VM_CR 0xc0010114
#define MSR_VM_HSAVE_PA 0xc0010117

#define EFER_SCE (1ULL << 0)
#define EFER_LME (1ULL << 8)
#define EFER_LMA (1ULL << 10)
#define EFER_NXE (1ULL << 11)
#define EFER_SVME (1ULL << 12)
#define EFER_LMSLE (1ULL << 13)
#define EFER_FFXSR (1ULL << 14)
#define EFER_TCE (1ULL << 15)
#define EFER_AUTOIBRS (1ULL << 21)

#define VM_CR_LOCK (1ULL << 3)
#define VM_CR_SVMDIS (1ULL << 4)

static inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;

	__asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((u64)hi << 32) | lo;
}

static inline void wrmsr(u32 msr, u64 v)
{
	__asm__ __volatile__("wrmsr"
			     :
			     : "c"(msr), "a"((u32)v), "d"((u32)(v >> 32))
			     : "memory");
}

#endif /* _ASM_X86_MSR_H */
