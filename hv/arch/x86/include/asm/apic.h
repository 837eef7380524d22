/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The local APIC as the hv uses it: its own CPU's id, NMIs to other CPUs
 * (stopping and taking donated CPUs), and the x2APIC mode a user VM's vCPU
 * runs in. The SOS may use xAPIC (MMIO) or x2APIC (MSR) mode; the hv
 * follows whatever mode the sending CPU is in.
 */
#ifndef _ASM_X86_APIC_H
#define _ASM_X86_APIC_H

#include <hv/types.h>

/* This CPU's initial APIC id (CPUID), as IPIs address it. */
u32 apic_id_self(void);

/* Sends an NMI to the CPU with APIC id @dest, in this CPU's APIC mode. */
void apic_send_nmi(unsigned int cpu_id, u32 dest);
/* The same with a fixed, edge interrupt of @vector. */
void apic_send_fixed(unsigned int cpu_id, u32 dest, u8 vector);

/*
 * Puts this CPU's APIC in x2APIC mode for a user VM's vCPU and returns
 * what IA32_APIC_BASE was, for apic_restore().
 */
u64 apic_enter_x2apic(void);
/* Back to the mode apic_enter_x2apic() found (via disabled if needed). */
void apic_restore(u64 apic_base);

#endif /* _ASM_X86_APIC_H */
