/* SPDX-License-Identifier: BSD-3-Clause */
/* x86 instructions the hv needs, as inline functions. */
#ifndef _ASM_X86_PROCESSOR_H
#define _ASM_X86_PROCESSOR_H

#include <hv/types.h>

#define X86_CR0_PE (1UL << 0)
#define X86_CR0_PG (1UL << 31)
#define X86_CR4_PAE (1UL << 5)
#define X86_CR4_PGE (1UL << 7)
#define X86_CR4_LA57 (1UL << 12)

#define X86_RFLAGS_FIXED (1UL << 1)

/* Spin-wait hint: saves power and leaves the sibling thread room. */
static inline void cpu_relax(void)
{
	__asm__ __volatile__("pause" : : : "memory");
}

struct cpuid_regs {
	u32 eax, ebx, ecx, edx;
};

static inline void cpuid_count(u32 leaf, u32 subleaf, struct cpuid_regs *r)
{
	__asm__ __volatile__("cpuid"
			     : "=a"(r->eax), "=b"(r->ebx), "=c"(r->ecx),
			       "=d"(r->edx)
			     : "a"(leaf), "c"(subleaf));
}

#define DEFINE_READ_CR(n)                                                      \
	static inline u64 read_cr##n(void)                                     \
	{                                                                      \
		u64 v;                                                         \
		__asm__ __volatile__("mov %%cr" #n ", %0" : "=r"(v));          \
		return v;                                                      \
	}
DEFINE_READ_CR(0)
DEFINE_READ_CR(2)
DEFINE_READ_CR(3)
DEFINE_READ_CR(4)

static inline void write_cr3(u64 v)
{
	__asm__ __volatile__("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline u64 rdtsc(void)
{
	u32 lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}

static inline void write_cr4(u64 v)
{
	__asm__ __volatile__("mov %0, %%cr4" : : "r"(v) : "memory");
}

/* Drops every TLB entry of this CPU, global ones included. */
static inline void flush_tlb_all_local(void)
{
	u64 cr4 = read_cr4();

	if (cr4 & X86_CR4_PGE) {
		write_cr4(cr4 & ~X86_CR4_PGE);
		write_cr4(cr4);
	} else {
		write_cr3(read_cr3());
	}
}

static inline u64 read_dr7(void)
{
	u64 v;

	__asm__ __volatile__("mov %%dr7, %0" : "=r"(v));
	return v;
}

static inline u64 read_dr6(void)
{
	u64 v;

	__asm__ __volatile__("mov %%dr6, %0" : "=r"(v));
	return v;
}

/* The operand of sgdt/sidt/lgdt/lidt. */
struct desc_ptr {
	u16 limit;
	u64 base;
} __attribute__((packed));

static inline void store_gdt(struct desc_ptr *p)
{
	__asm__ __volatile__("sgdt %0" : "=m"(*p));
}

static inline void store_idt(struct desc_ptr *p)
{
	__asm__ __volatile__("sidt %0" : "=m"(*p));
}

#define DEFINE_READ_SEL(name, insn)                                            \
	static inline u16 read_##name(void)                                    \
	{                                                                      \
		u16 v;                                                         \
		__asm__ __volatile__(insn " %0" : "=rm"(v));                   \
		return v;                                                      \
	}
DEFINE_READ_SEL(cs, "mov %%cs,")
DEFINE_READ_SEL(ss, "mov %%ss,")
DEFINE_READ_SEL(ds, "mov %%ds,")
DEFINE_READ_SEL(es, "mov %%es,")
DEFINE_READ_SEL(fs, "mov %%fs,")
DEFINE_READ_SEL(gs, "mov %%gs,")
DEFINE_READ_SEL(tr, "str")
DEFINE_READ_SEL(ldtr, "sldt")

static inline __attribute__((__noreturn__)) void cpu_halt_forever(void)
{
	for (;;)
		__asm__ __volatile__("cli; hlt");
}

#endif /* _ASM_X86_PROCESSOR_H */
