/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause */
/*
 * The lhv hypercall ABI (x86).
 *
 * A guest calls the hv with VMMCALL (AMD) or VMCALL (Intel): the id in R8,
 * arguments in RDI and RSI (a value or the guest-physical address of a
 * struct), the result in RAX: 0 or more on success, a negative errno (Linux
 * x86 numbering) on failure. Every other register is preserved.
 *
 * - An id this hv does not know returns -ENOSYS (38).
 * - Calls from guest ring 1-3 return -EPERM (1), whatever the id.
 * - Ids never change meaning; a changed call gets a new id.
 *
 * CPUID leaf LHV_CPUID_SIGNATURE reports the hv: EAX the highest lhv leaf,
 * EBX, ECX, EDX the 12 bytes "lhvlhvlhvlhv"; leaf LHV_CPUID_ABI reports
 * LHV_ABI_VERSION in EAX. The hypervisor-present bit (CPUID 1 ECX bit 31)
 * is set. SVM itself is hidden from the guest.
 */
#ifndef _UAPI_LHV_HYPERCALL_H
#define _UAPI_LHV_HYPERCALL_H

#define LHV_CPUID_SIGNATURE 0x40000000
#define LHV_CPUID_ABI 0x40000001
/* "lhvl" "hvlh" "vlhv" as EBX, ECX, EDX little-endian. */
#define LHV_CPUID_SIG_EBX 0x6c76686c
#define LHV_CPUID_SIG_ECX 0x686c7668
#define LHV_CPUID_SIG_EDX 0x76686c76

/* Returns LHV_ABI_VERSION. Any caller at ring 0. */
#define LHV_HC_GET_API_VERSION 0x0001
/*
 * Service OS only: leave the hv on the calling CPU. Returns 0 on bare
 * metal (SVM off); the caller must make the call on every CPU the hv runs
 * on before it frees hv memory.
 */
#define LHV_HC_DISABLE 0x0002

#endif /* _UAPI_LHV_HYPERCALL_H */
