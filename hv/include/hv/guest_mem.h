/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Checked access to a calling guest's memory, for hypercall arguments.
 * Every range must lie inside one RAM range of the caller (today the
 * Service OS, whose RAM the loader listed), must not touch hv memory and
 * must not wrap: otherwise -EFAULT. More than LHV_HC_MAX_COPY bytes:
 * -E2BIG. The copy goes through this CPU's window page (asm/paging.h), one
 * guest page at a time, so the SOS's own mappings play no part.
 */
#ifndef _HV_GUEST_MEM_H
#define _HV_GUEST_MEM_H

#include <hv/types.h>

/* 0, -EFAULT or -E2BIG, as above; nothing is copied on error. */
int guest_check(u64 gpa, u64 len);
int guest_read(void *dst, u64 gpa, u64 len);
int guest_write(u64 gpa, const void *src, u64 len);

/*
 * The same for the calling VM: @vm a user VM (its RAM, guest-physical 0 up
 * to its size, through its chunks), or NULL for the SOS as above.
 */
struct hv_vm;
int guest_check_vm(const struct hv_vm *vm, u64 gpa, u64 len);
int guest_read_vm(const struct hv_vm *vm, void *dst, u64 gpa, u64 len);
int guest_write_vm(const struct hv_vm *vm, u64 gpa, const void *src, u64 len);

#endif /* _HV_GUEST_MEM_H */
