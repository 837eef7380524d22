// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * A user VM's guest-physical addresses to RAM offsets (uvm_gpa.h).
 */
#include "uvm_gpa.h"

#include <lhv/vm_layout.h>

int uvm_gpa_to_ram(uint64_t gpa, uint64_t len, uint64_t ram_size,
		   uint64_t chunk, uint64_t *ram_off)
{
	uint64_t off, last;

	if (!len)
		return -EFAULT;
	if (gpa < LHV_VM_LOW_RAM_END)
		off = gpa;
	else if (gpa >= LHV_VM_HIGH_RAM_BASE)
		off = gpa - LHV_VM_HIGH_RAM_BASE + LHV_VM_LOW_RAM_END;
	else
		return -EFAULT; /* the MMIO hole */
	if (off >= ram_size || len - 1 > ram_size - 1 - off)
		return -EFAULT;
	last = off + len - 1;
	/*
	 * Chunks divide LHV_VM_LOW_RAM_END, so one chunk never spans the
	 * hole: a range in one chunk is in one region of guest space too.
	 */
	if (off / chunk != last / chunk)
		return -EFAULT;
	*ram_off = off;
	return 0;
}
