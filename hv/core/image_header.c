// SPDX-License-Identifier: BSD-3-Clause
/*
 * The image header, placed at offset 0 of lhv.bin by lhv.ld. Offsets and
 * sizes that only the linker knows come from absolute symbols lhv.ld
 * defines, so they need no run-time relocation.
 */
#include <lhv/hv_image.h>
#include <lhv/version.h>
#include <hv/compiler.h>
#include <hv/log.h>
#include <hv/percpu.h>

/* Defined by lhv.ld; only their values (offsets, sizes) are meaningful. */
extern const char __hv_image_size[], __hv_mem_size[];
extern const char __hv_text_offset[], __hv_text_size[];
extern const char __hv_entry_offset[], __hv_log_offset[];
extern const char __hv_keep_offset[], __hv_keep_size[];

#define LD_VALUE(sym) ((lhv_u64)(sym))

/* lhv.ld places .hv.header first; __used: nothing in the hv refers to it. */
#define __image_header __section(".hv.header") __used

const struct lhv_hv_image_header hv_image_header __image_header = {
	.magic = LHV_IMAGE_MAGIC,
	.header_version = LHV_IMAGE_HEADER_VERSION,
	.header_size = sizeof(struct lhv_hv_image_header),
	.abi_version = LHV_ABI_VERSION,
	.flags = 0,
	.image_size = LD_VALUE(__hv_image_size),
	.mem_size = LD_VALUE(__hv_mem_size),
	.link_base = 0,
	.text_offset = LD_VALUE(__hv_text_offset),
	.text_size = LD_VALUE(__hv_text_size),
	.entry_offset = LD_VALUE(__hv_entry_offset),
	.log_offset = LD_VALUE(__hv_log_offset),
	.log_size = HV_LOG_SIZE,
	.max_cpus = HV_MAX_CPUS,
	.percpu_size = HV_PERCPU_SIZE,
	.stack_size = HV_STACK_SIZE,
	.version = LHV_VERSION_STRING,
	.keep_offset = LD_VALUE(__hv_keep_offset),
	.keep_size = LD_VALUE(__hv_keep_size),
};
