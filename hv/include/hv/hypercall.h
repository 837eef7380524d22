/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Hypercall handlers every architecture shares (ABI in
 * <lhv/hypercall.h>). Each returns the value for the caller's RAX: a count
 * or 0, or a negative errno. Arguments are the caller's raw register
 * values; every guest-physical one goes through hv/guest_mem.h.
 */
#ifndef _HV_HYPERCALL_H
#define _HV_HYPERCALL_H

#include <hv/types.h>

struct per_cpu;

s64 hc_get_hw_info(u64 gpa, u64 size);
s64 hc_log_read(u64 gpa);
s64 hc_get_stats(u64 cpu_id, u64 gpa);

/* Arch hooks for hc_get_hw_info. */
u32 arch_hw_vendor(void);
u32 arch_hw_features(void);

#endif /* _HV_HYPERCALL_H */
