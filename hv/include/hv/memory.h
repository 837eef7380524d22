/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The hv's own memory: one physically contiguous range, mapped by the
 * loader at one virtual address, so a pointer into it translates to a
 * physical address by an offset.
 */
#ifndef _HV_MEMORY_H
#define _HV_MEMORY_H

#include <lhv/hv_image.h>
#include <hv/types.h>

extern const struct lhv_hv_image_header hv_image_header;
extern char __hv_image_start[];

/* Physical address of image byte 0 (from the boot block). */
extern u64 hv_image_phys;

static inline u64 hv_pa(const void *p)
{
	return (u64)((const char *)p - __hv_image_start) + hv_image_phys;
}

/* [hv_mem_start(), hv_mem_end()): physical range of hv memory. */
static inline u64 hv_mem_start(void)
{
	return hv_image_phys;
}

static inline u64 hv_mem_end(void)
{
	return hv_image_phys + hv_image_header.mem_size;
}

#endif /* _HV_MEMORY_H */
