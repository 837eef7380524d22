/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The Service OS's nested page table: guest-physical = host-physical for
 * everything below HV_NPT_GUEST_GIB GiB, except hv memory (not present)
 * and the log ring (read-only, so the SOS can read the hv's log).
 */
#ifndef _ASM_X86_NPT_H
#define _ASM_X86_NPT_H

#include <hv/types.h>

/*
 * Guest-physical space the table covers, RAM and MMIO alike: 64 GiB costs
 * 64 page directories (256 KiB). Beyond it the SOS takes nested page
 * faults; sizing it from the SOS's memory map is future work.
 */
#define HV_NPT_GUEST_GIB 64

/* Builds the table once for all CPUs; returns 0 or a negative errno. */
int npt_setup(void);
/*
 * The SOS touched @gpa above HV_NPT_GUEST_GIB: maps its GiB (identity,
 * 2 MiB leaves) from a bounded pool. False if it cannot.
 */
bool npt_map_gib(u64 gpa);

/* Physical address of the top level, for the VMCB's nCR3. */
u64 npt_root_pa(void);

/*
 * A user VM's nested page table: its RAM, 2 MiB chunks from guest-physical
 * 0 up to LHV_VM_MAX_RAM (below 4 GiB), and nothing else: every other
 * access faults and is emulated (core/vm_io.c). In hv memory, one per VM
 * slot.
 */
#define NPT_VM_PDS 3 /* page directories: LHV_VM_MAX_RAM / 1 GiB */

typedef u64 npt_vm_table[512] __attribute__((aligned(4096)));

struct npt_vm {
	npt_vm_table pml5, pml4, pdpt, pd[NPT_VM_PDS];
	u64 chunks; /* mapped */
};

/* Empties @t (no RAM). */
void npt_vm_init(struct npt_vm *t);
/* Maps guest-physical chunk @index to host-physical @hpa (2 MiB aligned). */
void npt_vm_map_chunk(struct npt_vm *t, u64 index, u64 hpa);
/*
 * Host-physical address of @t's guest-physical chunk @index (2 MiB), or 0
 * if the VM has no such chunk.
 */
u64 npt_vm_chunk_hpa(const struct npt_vm *t, u64 index);
/* Whether host-physical chunk @hpa is mapped in @t. */
bool npt_vm_maps(const struct npt_vm *t, u64 hpa);
u64 npt_vm_root_pa(const struct npt_vm *t);

#endif /* _ASM_X86_NPT_H */
