/* SPDX-License-Identifier: BSD-3-Clause */
/* What svm_uvm.c and the vendor-neutral user VM code share. */
#ifndef _ASM_X86_UVM_H
#define _ASM_X86_UVM_H

#include <hv/types.h>

struct per_cpu;
struct hv_vm;

/* An x2APIC ICR write of a vCPU of @vm (uvm_ipi.c). */
void uvm_ipi_icr_write(struct per_cpu *self, struct hv_vm *vm, u64 val);

#endif /* _ASM_X86_UVM_H */
