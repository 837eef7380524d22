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

/* Physical address of the top level, for the VMCB's nCR3. */
u64 npt_root_pa(void);

#endif /* _ASM_X86_NPT_H */
