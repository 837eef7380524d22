// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * A user VM's guest memory as the device core reaches it (struct lhv_vm
 * mem_ops, mem_ctx): guest-physical ranges resolve through the VM's 2 MiB
 * RAM chunks (uvm.h) into the kernel's direct map. Chunks are contiguous
 * in the host one by one, so a range is mapped up to its chunk's end and
 * the walker asks again for the rest (uvm_gpa.c). The map holds a reference on the RAM, so no
 * device can reach pages after they went back to the allocator.
 */
#include <linux/kref.h>
#include <linux/mm.h>
#include <lhv/vm_layout.h>

#include "lhv.h"
#include "uvm.h"
#include "uvm_gpa.h"
#include "vpci.h"

/* All RAM is writable: the device may write wherever the driver said. */
static void *lhv_uvm_map(void *ctx, u64 gpa, u64 len, bool writable,
			 u64 *mapped)
{
	struct lhv_uvm_mem *mem = ctx;
	u64 off;

	if (uvm_gpa_piece(gpa, len, mem->nr_chunks * LHV_VM_RAM_ALIGN,
			  LHV_VM_RAM_ALIGN, &off, mapped))
		return NULL;
	return page_address(mem->chunks[off / LHV_VM_RAM_ALIGN]) +
	       (off & (LHV_VM_RAM_ALIGN - 1));
}

static const struct virtq_mem_ops lhv_uvm_mem_ops = {
	.map = lhv_uvm_map,
};

int lhv_uvm_mem_map_get(struct lhv_vm *vm)
{
	struct lhv_uvm_mem *mem = vm->uvm ? vm->uvm->mem : NULL;

	if (!mem)
		return -EINVAL;
	kref_get(&mem->ref);
	vm->mem_ctx = mem;
	vm->mem_ops = &lhv_uvm_mem_ops;
	return 0;
}

void lhv_uvm_mem_map_put(struct lhv_vm *vm)
{
	struct lhv_uvm_mem *mem = vm->mem_ctx;

	vm->mem_ops = NULL;
	vm->mem_ctx = NULL;
	if (mem)
		lhv_uvm_mem_put(mem);
}
