// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * TEMPORARY STUBS, to be deleted when the user VM ioreq plumbing lands:
 * these two functions belong to the lead's ioreq/hypercall code, which
 * provides them for real (LHV_HC_VM_DOORBELL, LHV_HC_VM_INJECT_MSI).
 * Until then doorbells are refused (notify writes arrive as ioreqs) and
 * no MSI is delivered.
 */
#include <linux/errno.h>

#include "lhv.h"
#include "vpci.h"

int lhv_uvm_doorbell(struct lhv_vm *vm, bool add, u64 gpa, u32 len, u32 stride,
		     u32 first_bit)
{
	return -ENODEV;
}

int lhv_uvm_inject_msi(struct lhv_vm *vm, u64 addr, u32 data)
{
	return -ENODEV;
}
