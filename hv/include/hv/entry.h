/* SPDX-License-Identifier: BSD-3-Clause */
/* What arch/x86/entry.S calls and what the image header points at. */
#ifndef _HV_ENTRY_H
#define _HV_ENTRY_H

#include <lhv/hv_image.h>
#include <hv/percpu.h>

/* The loader's entry point (entry.S); see the contract in hv_image.h. */
int lhv_hv_entry(struct lhv_hv_boot *boot);

/*
 * Called by lhv_hv_entry on the stack of @cpu, the area of boot->cpu_id
 * (already checked against HV_MAX_CPUS), with interrupts masked.
 */
int hv_main(const struct lhv_hv_boot *boot, struct per_cpu *cpu);

/*
 * Virtualizes this CPU: the caller of lhv_hv_entry continues as a guest
 * and this does not return. Returns a negative errno if it could not.
 * From then on the CPU runs the hv on the hv's own page table.
 */
int arch_cpu_enable(struct per_cpu *cpu);

#endif /* _HV_ENTRY_H */
