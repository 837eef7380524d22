/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The UOS image builder: puts a Linux bzImage, its initrd and command
 * line, the zero page, boot page tables, a GDT and the ACPI tables into
 * guest memory per <lhv/vm_layout.h>, and says how the first vCPU starts
 * (Linux 64-bit boot protocol, entry at startup_64). Portable C: lhvctl
 * uses it on the VM's memory, the unit tests and the fuzzer on buffers.
 */
#ifndef VMLOAD_VMLOAD_H
#define VMLOAD_VMLOAD_H

#include <stddef.h>
#include <stdint.h>

#include <lhv/vm_layout.h>

#include "acpi.h"
#include "bzimage.h"
#include "err.h"
#include "gmem.h"

/* What the caller asks for. The file contents are hostile. */
struct vml_config {
	const void *kernel; /* the bzImage file */
	size_t kernel_size;
	const void *initrd; /* NULL: none */
	size_t initrd_size;
	const char *cmdline; /* the user's (signed) command line; NULL: "" */
	uint32_t tsc_khz;    /* 0: not known, nothing appended */
	const uint32_t *apic_ids; /* nr_cpus APIC ids, the boot CPU first */
	unsigned int nr_cpus;
};

#define VML_E820_RAM 1
#define VML_E820_RESERVED 2
#define VML_E820_ACPI 3
#define VML_MAX_E820 8

struct vml_e820 {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
};

/* What the builder did. */
struct vml_result {
	struct lhv_vcpu_boot_state boot;
	struct vml_bzimage bz;
	uint64_t kernel_gpa;	/* load address (startup_64 is 0x200 on) */
	uint64_t kernel_window; /* bytes claimed from there: init_size */
	uint64_t initrd_gpa;	/* 0 if none */
	uint64_t initrd_size;
	uint64_t pt_size; /* bytes of boot page tables at LHV_VM_PT_GPA */
	uint64_t map_top; /* the page tables map [0, map_top) */
	/* The platform's part of the command line (" tsc_early_khz=..."). */
	char cmdline_extra[64];
	uint64_t cmdline_len; /* the whole line, NUL excluded */
	struct vml_e820 e820[VML_MAX_E820];
	unsigned int nr_e820;
	struct vml_acpi_table acpi[VML_ACPI_NR];
};

/*
 * Build the image into m, whose RAM ranges the caller set up (see
 * vml_ram_ranges()) and in which nothing is placed yet. Returns 0 and
 * fills *r, or a negative errno with the reason in err; guest memory may
 * then hold part of an image.
 */
int vml_build(struct vml_mem *m, const struct vml_config *c,
	      struct vml_result *r, struct vml_err *err);

/* Segment attributes of the boot state (bits 40-55 of the descriptor). */
#define VML_ATTR_CODE64 0xa09b /* G, L, P, S, type execute/read accessed */
#define VML_ATTR_DATA 0xc093   /* G, D/B, P, S, type read/write accessed */
#define VML_ATTR_TSS64_BUSY 0x008b

#define VML_CR0_PE 0x1ull
#define VML_CR0_ET 0x10ull
#define VML_CR0_NE 0x20ull
#define VML_CR0_PG 0x80000000ull
#define VML_CR4_PAE 0x20ull
#define VML_EFER_LME 0x100ull
#define VML_EFER_LMA 0x400ull

/* Page table entry bits of the boot page tables. */
#define VML_PTE_P 0x1ull
#define VML_PTE_RW 0x2ull
#define VML_PTE_PS 0x80ull

#endif /* VMLOAD_VMLOAD_H */
