/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The hv's own page table, in hv memory: the image at the virtual address
 * the loader mapped it at (the code is position independent, but pointers
 * stored in its data are those addresses), and one window page per CPU
 * through which the hv reads and writes guest memory. Nothing of the
 * Service OS is mapped, so the SOS cannot change what the hv sees.
 */
#ifndef _ASM_X86_PAGING_H
#define _ASM_X86_PAGING_H

#include <hv/types.h>

/* Builds the table (first CPU in; hv memory starts zeroed). */
int paging_setup(void);

/* Physical address for CR3. */
u64 paging_root_pa(void);

/*
 * Maps the 4 KiB page of physical address @pa in @cpu_id's window and
 * returns its address there (offset within the page included). Valid
 * until the next call on that CPU.
 */
void *paging_map_window(unsigned int cpu_id, u64 pa);

/* As paging_map_window, uncached: for device registers. */
void *paging_map_window_uc(unsigned int cpu_id, u64 pa);

/* Removes @cpu_id's window mapping. */
void paging_unmap_window(unsigned int cpu_id);

#endif /* _ASM_X86_PAGING_H */
