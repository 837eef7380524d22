/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Where a user VM's guest-physical range lies in its RAM (the layout of
 * uapi/lhv/vm_layout.h: RAM from 0 up to LHV_VM_LOW_RAM_END, the rest from
 * LHV_VM_HIGH_RAM_BASE). RAM is a list of chunks that are contiguous in
 * host memory only one by one, so a range is reached piece by piece, one
 * piece per chunk. Portable core.
 */
#ifndef LHV_LIB_UVM_GPA_H
#define LHV_LIB_UVM_GPA_H

#include "portable.h"

/*
 * The offset into RAM (0 .. ram_size - 1, as if the chunks were laid end
 * to end) of [gpa, gpa + len), or -EFAULT if the range is empty, wraps,
 * leaves RAM, or crosses a chunk boundary. chunk is a power of 2 that
 * divides LHV_VM_LOW_RAM_END.
 */
int uvm_gpa_to_ram(uint64_t gpa, uint64_t len, uint64_t ram_size,
		   uint64_t chunk, uint64_t *ram_off);

/*
 * The first piece of [gpa, gpa + len) that lies in one chunk: its offset
 * into RAM and its length (1..len; shorter when the range crosses the
 * chunk's end). -EFAULT if len is 0, the range wraps, or gpa is not in
 * RAM; the rest of the range is not looked at.
 */
int uvm_gpa_piece(uint64_t gpa, uint64_t len, uint64_t ram_size, uint64_t chunk,
		  uint64_t *ram_off, uint64_t *piece);

#endif /* LHV_LIB_UVM_GPA_H */
