// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * A user VM's guest-physical addresses to RAM offsets (uvm_gpa.h).
 */
#include "uvm_gpa.h"

#include <lhv/vm_layout.h>

int uvm_gpa_piece(uint64_t gpa, uint64_t len, uint64_t ram_size, uint64_t chunk,
		  uint64_t *ram_off, uint64_t *piece)
{
	uint64_t off, limit;

	if (!len || gpa + (len - 1) < gpa)
		return -EFAULT;
	if (gpa < LHV_VM_LOW_RAM_END)
		off = gpa;
	else if (gpa >= LHV_VM_HIGH_RAM_BASE)
		off = gpa - LHV_VM_HIGH_RAM_BASE + LHV_VM_LOW_RAM_END;
	else
		return -EFAULT; /* the MMIO hole */
	if (off >= ram_size)
		return -EFAULT;
	/*
	 * Chunks divide LHV_VM_LOW_RAM_END, so one chunk never spans the
	 * hole: a piece in one chunk is in one region of guest space too.
	 */
	limit = chunk - (off & (chunk - 1));
	if (limit > ram_size - off)
		limit = ram_size - off; /* RAM not a whole number of chunks */
	*ram_off = off;
	*piece = len < limit ? len : limit;
	return 0;
}

int uvm_gpa_to_ram(uint64_t gpa, uint64_t len, uint64_t ram_size,
		   uint64_t chunk, uint64_t *ram_off)
{
	uint64_t off, piece;

	if (uvm_gpa_piece(gpa, len, ram_size, chunk, &off, &piece) ||
	    piece != len)
		return -EFAULT;
	*ram_off = off;
	return 0;
}
