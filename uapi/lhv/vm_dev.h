/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause */
/*
 * /dev/lhv-<vm>: a user VM's RAM and boot state, for the loader (lhvctl vm
 * load) and tests. Root only (0600).
 *
 * mmap: file offset = guest-physical address; the VM's RAM spans
 * [0, mem_size). A mapping beyond it is refused (EINVAL). MAP_SHARED: the
 * pages are the VM's own, so what is written is what the VM sees.
 *
 * ioctl LHV_VM_IOC_SET_BOOT: a vCPU's state at start (64-bit mode, flat
 * segments, see struct lhv_hc_vcpu_state); the VM then counts as loaded.
 * EBUSY while it runs; EINVAL for a vCPU it does not have.
 *
 * ioctl LHV_VM_IOC_CLEAR_RAM: zeroes all of the VM's RAM in the kernel, so
 * that nothing of an earlier load survives into the next one; much faster
 * than writing zeroes through a mapping page by page. EBUSY while it runs
 * or another clear is at work. The VM counts as not loaded afterwards
 * (set the boot state again); while it clears, SET_BOOT and SET_MEASURE
 * answer EBUSY.
 */
#ifndef _UAPI_LHV_VM_DEV_H
#define _UAPI_LHV_VM_DEV_H

#include <linux/ioctl.h>
#include <lhv/hypercall.h>

struct lhv_vm_boot {
	__lhv_hc_u32 vcpu;
	__lhv_hc_u32 pad; /* must be 0 */
	struct lhv_hc_vcpu_state state;
};

#define LHV_VM_IOC_MAGIC 0xb7
#define LHV_VM_IOC_SET_BOOT _IOW(LHV_VM_IOC_MAGIC, 1, struct lhv_vm_boot)
/*
 * The regions the hv measures at each start (kernel, initrd, command line
 * as loaded): struct lhv_hc_vm_measure, whose id the kernel fills in.
 */
#define LHV_VM_IOC_SET_MEASURE                                                 \
	_IOW(LHV_VM_IOC_MAGIC, 2, struct lhv_hc_vm_measure)
#define LHV_VM_IOC_CLEAR_RAM _IO(LHV_VM_IOC_MAGIC, 3)

#endif /* _UAPI_LHV_VM_DEV_H */
