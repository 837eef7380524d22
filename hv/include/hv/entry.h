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

#endif /* _HV_ENTRY_H */
