// SPDX-License-Identifier: BSD-3-Clause
/* The local APIC as the hv needs it (asm/apic.h). */
#include <asm/apic.h>
#include <asm/msr.h>
#include <asm/paging.h>
#include <asm/processor.h>

#define MSR_IA32_APIC_BASE 0x1b
#define APIC_BASE_EXTD (1ULL << 10)
#define APIC_BASE_EN (1ULL << 11)
#define APIC_BASE_ADDR 0x000ffffffffff000ULL
#define MSR_X2APIC_ICR 0x830
/* xAPIC registers (offsets in the MMIO page). */
#define XAPIC_ICR_LO 0x300
#define XAPIC_ICR_HI 0x310
#define ICR_NMI (4U << 8)
#define ICR_FIXED (0U << 8)
#define ICR_BUSY (1U << 12)

u32 apic_id_self(void)
{
	struct cpuid_regs r;

	cpuid_count(0, 0, &r);
	if (r.eax >= 0xb) {
		cpuid_count(0xb, 0, &r);
		if (r.ebx) /* leaf 0xB implemented: EDX is the x2APIC id */
			return r.edx;
	}
	cpuid_count(1, 0, &r);
	return r.ebx >> 24;
}

/* One IPI in this CPU's APIC mode, physical destination. */
static void apic_send(unsigned int cpu_id, u32 dest, u32 icr)
{
	u64 base = rdmsr(MSR_IA32_APIC_BASE);
	volatile u32 *icr_lo, *icr_hi;
	u8 *mmio;

	if (base & APIC_BASE_EXTD) {
		wrmsr(MSR_X2APIC_ICR, ((u64)dest << 32) | icr);
		return;
	}
	/* xAPIC: the register page through this CPU's window, uncached. */
	mmio = paging_map_window_uc(cpu_id, base & APIC_BASE_ADDR);
	icr_lo = (volatile u32 *)(mmio + XAPIC_ICR_LO);
	icr_hi = (volatile u32 *)(mmio + XAPIC_ICR_HI);
	while (*icr_lo & ICR_BUSY)
		cpu_relax();
	*icr_hi = dest << 24;
	*icr_lo = icr;
	while (*icr_lo & ICR_BUSY)
		cpu_relax();
	paging_unmap_window(cpu_id);
}

void apic_send_nmi(unsigned int cpu_id, u32 dest)
{
	apic_send(cpu_id, dest, ICR_NMI);
}

void apic_send_fixed(unsigned int cpu_id, u32 dest, u8 vector)
{
	apic_send(cpu_id, dest, ICR_FIXED | vector);
}

u64 apic_enter_x2apic(void)
{
	u64 base = rdmsr(MSR_IA32_APIC_BASE);

	if (!(base & APIC_BASE_EXTD))
		wrmsr(MSR_IA32_APIC_BASE, base | APIC_BASE_EN | APIC_BASE_EXTD);
	return base;
}

void apic_restore(u64 apic_base)
{
	u64 now = rdmsr(MSR_IA32_APIC_BASE);

	if (now == apic_base)
		return;
	/* x2APIC cannot go back to xAPIC directly: through disabled. */
	if ((now & APIC_BASE_EXTD) && !(apic_base & APIC_BASE_EXTD))
		wrmsr(MSR_IA32_APIC_BASE,
		      now & ~(APIC_BASE_EN | APIC_BASE_EXTD));
	wrmsr(MSR_IA32_APIC_BASE, apic_base);
}
