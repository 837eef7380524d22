/* SPDX-License-Identifier: BSD-3-Clause */
/* x86 instructions the generic hv code needs, as inline functions. */
#ifndef _ASM_X86_PROCESSOR_H
#define _ASM_X86_PROCESSOR_H

/* Spin-wait hint: saves power and leaves the sibling thread room. */
static inline void cpu_relax(void)
{
	__asm__ __volatile__("pause" : : : "memory");
}

#endif /* _ASM_X86_PROCESSOR_H */
