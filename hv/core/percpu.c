// SPDX-License-Identifier: BSD-3-Clause
/* The per-CPU areas; entry.S indexes them by boot->cpu_id. */
#include <stddef.h>

#include <lhv/hv_image.h>
#include <hv/percpu.h>

_Static_assert(sizeof(struct per_cpu) == HV_PERCPU_SIZE,
	       "HV_PERCPU_SIZE must match struct per_cpu");
_Static_assert(offsetof(struct per_cpu, stack) + HV_STACK_SIZE ==
		       HV_PERCPU_SIZE,
	       "entry.S puts the stack top at the end of the area");
_Static_assert(offsetof(struct per_cpu, regs) == PC_REGS, "PC_REGS");
_Static_assert(offsetof(struct per_cpu, vmcb_pa) == PC_VMCB_PA, "PC_VMCB_PA");
_Static_assert(offsetof(struct per_cpu, linux_rsp) == PC_LINUX_RSP,
	       "PC_LINUX_RSP");
_Static_assert(offsetof(struct per_cpu, linux_rflags) == PC_LINUX_RFLAGS,
	       "PC_LINUX_RFLAGS");
_Static_assert(offsetof(struct per_cpu, uvm_regs) == PC_UVM_REGS,
	       "PC_UVM_REGS");
_Static_assert(offsetof(struct per_cpu, uvm_vmcb_pa) == PC_UVM_VMCB_PA,
	       "PC_UVM_VMCB_PA");
_Static_assert(offsetof(struct lhv_hv_boot, cpu_id) == HV_BOOT_CPU_ID,
	       "entry.S reads cpu_id at HV_BOOT_CPU_ID");

struct per_cpu hv_percpu[HV_MAX_CPUS];
