/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Guest memory as the VM image builder sees it: up to two RAM ranges, each
 * a guest-physical window onto a host buffer (an mmap of the VM's memory
 * device, or a plain buffer in tests and dry runs), and the objects placed
 * in it so far. Every write is checked: it must lie inside RAM and inside
 * one object claimed before, and objects never overlap. So a hostile size
 * or address can make the builder refuse, never write astray.
 */
#ifndef VMLOAD_GMEM_H
#define VMLOAD_GMEM_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"

#define VML_MAX_RANGES 2
#define VML_MAX_OBJS 16

struct vml_range {
	uint64_t gpa;  /* first guest-physical address */
	uint64_t size; /* bytes */
	uint8_t *host; /* where byte gpa is in this process */
};

struct vml_obj {
	const char *name; /* static text: "kernel", "initrd", ... */
	uint64_t gpa;
	uint64_t size;
};

struct vml_mem {
	struct vml_range range[VML_MAX_RANGES];
	unsigned int nr_ranges;
	struct vml_obj obj[VML_MAX_OBJS];
	unsigned int nr_objs;
};

/*
 * The RAM ranges of a VM with ram_size bytes (see <lhv/vm_layout.h>): the
 * low one and, above LHV_VM_LOW_RAM_END, the high one. Fills gpa and size
 * (host stays NULL) and returns how many, or a negative errno for a size
 * the platform refuses (not a multiple of 2 MiB, below the minimum, above
 * the maximum).
 */
int vml_ram_ranges(uint64_t ram_size, struct vml_range out[VML_MAX_RANGES],
		   struct vml_err *err);

/*
 * Reserve [gpa, gpa + size) for the object name: refused unless it lies in
 * one RAM range and overlaps no object placed before.
 */
int vml_mem_claim(struct vml_mem *m, const char *name, uint64_t gpa,
		  uint64_t size, struct vml_err *err);

/* True if [gpa, gpa + size) is inside one RAM range and no object. */
bool vml_mem_free(const struct vml_mem *m, uint64_t gpa, uint64_t size);

/*
 * The highest address a, a multiple of align (a power of two), with
 * [a, a + size) free and inside [lo, hi). Returns 0 and sets *gpa, or
 * -ENOSPC.
 */
int vml_mem_find_top(const struct vml_mem *m, uint64_t lo, uint64_t hi,
		     uint64_t size, uint64_t align, uint64_t *gpa);

/* Copy len bytes to gpa: inside one claimed object, or refused. */
int vml_mem_write(struct vml_mem *m, uint64_t gpa, const void *src,
		  uint64_t len, struct vml_err *err);

/* Copy len bytes from gpa, which must lie inside one RAM range. */
int vml_mem_read(const struct vml_mem *m, uint64_t gpa, void *dst, uint64_t len,
		 struct vml_err *err);

#endif /* VMLOAD_GMEM_H */
