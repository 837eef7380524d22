/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Per-CPU hv memory: one struct per_cpu for each possible cpu_id, in .bss.
 * The constants are shared with arch/x86/entry.S, which picks the area and
 * the stack before any C code runs.
 */
#ifndef _HV_PERCPU_H
#define _HV_PERCPU_H

#include <hv/page.h>

#define HV_MAX_CPUS 64
#define HV_STACK_SIZE (4 * PAGE_SIZE)
/* One page of per-CPU data, then the stack, which grows toward that page. */
#define HV_PERCPU_SIZE (PAGE_SIZE + HV_STACK_SIZE)

/* Offset of cpu_id in struct lhv_hv_boot, for entry.S. */
#define HV_BOOT_CPU_ID 8

#ifndef __ASSEMBLER__

#include <hv/compiler.h>
#include <hv/types.h>

struct per_cpu {
	u32 cpu_id;
	u8 stack[HV_STACK_SIZE] __aligned(PAGE_SIZE);
};

extern struct per_cpu hv_percpu[HV_MAX_CPUS];

#endif /* __ASSEMBLER__ */
#endif /* _HV_PERCPU_H */
