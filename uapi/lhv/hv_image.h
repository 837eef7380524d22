/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause */
/*
 * The hypervisor image lhv.bin, as the lhv module loads and enters it.
 *
 * lhv.bin is a flat binary: byte 0 is struct lhv_hv_image_header, code and
 * data follow. The same header is read by lhv.ko (request_firmware), by
 * lhvctl and by unit tests; hv/lib/image_check.c validates it.
 *
 * Loader contract (header version 1):
 *
 * 1. Memory. Reserve mem_size bytes of physically contiguous memory aligned
 *    to LHV_IMAGE_ALIGN. Copy the first image_size bytes of the file to its
 *    start and zero the rest (the image does not carry its .bss, and the hv
 *    relies on zeroed .bss: e.g. an all-zero log ring is a valid empty one).
 *    Bytes of the file after image_size are not part of the image.
 *    Exception: [keep_offset, keep_offset + keep_size), where the hv keeps
 *    what must outlive one enable (the platform seed). Zero it once, when
 *    the memory is allocated; leave it as it is at every later enable of
 *    the same memory; wipe it (or all hv memory) before freeing the memory.
 *
 * 2. Address. The image is position independent: its code addresses its own
 *    code and data relative to the instruction pointer. Pointers stored in
 *    its data (tables of the mbedtls library it links) are R_X86_64_RELATIVE
 *    relocations, which the hv applies itself, once per enable, on the
 *    first entry and before it uses any of them; the build refuses every
 *    other kind. So the loader patches nothing, but must give each enable a
 *    fresh copy of the image (rule 1), not one relocated before. It runs at
 *    whatever LHV_IMAGE_ALIGN aligned kernel virtual address the loader maps
 *    it at (e.g. vmap() with PAGE_KERNEL_EXEC). A fixed link address was
 *    rejected: a module cannot map memory at a virtual address of its
 *    choosing (the vmalloc and module areas are the kernel's to place), so a
 *    fixed-address image would need a private page table before its first
 *    C instruction. link_base records the address the ELF file was linked
 *    at (0); debuggers add the load address to ELF symbol values.
 *    [text_offset, text_offset + text_size) must be mapped executable; the
 *    whole mem_size range must be mapped writable except, optionally, text.
 *
 * 3. Entry. Call the entry point, at load address + entry_offset, as
 *        int entry(struct lhv_hv_boot *boot);
 *    with the x86-64 SysV calling convention, from Linux ring 0 in 64-bit
 *    mode, on the CPU that boot->cpu_id names, with preemption disabled. The
 *    hv masks interrupts itself while inside and switches to its own stack
 *    for that CPU, so the caller's stack needs only a few words. The hv does
 *    not touch FPU/SSE state. Several CPUs may be inside at once as long as
 *    their cpu_id values differ. The return value is 0 or a negative errno
 *    (Linux x86 numbering).
 *
 * Every multi-byte field is little-endian; offsets are from image byte 0.
 */
#ifndef _UAPI_LHV_HV_IMAGE_H
#define _UAPI_LHV_HV_IMAGE_H

/*
 * Kernel code uses its own fixed-width types; everything else (the
 * freestanding hv, lhvctl, tests) has <stdint.h>. Private names avoid
 * clashing with a userspace program that also includes <linux/types.h>.
 */
#ifdef __KERNEL__
#include <linux/types.h>
typedef __u32 lhv_u32;
typedef __u64 lhv_u64;
#else
#include <stdint.h>
typedef uint32_t lhv_u32;
typedef uint64_t lhv_u64;
#endif

/* The first 8 bytes of the file read "LHVIMAGE". */
#define LHV_IMAGE_MAGIC 0x4547414d4956484cULL

/* Bumped when the header or the loader contract changes incompatibly. */
#define LHV_IMAGE_HEADER_VERSION 1

/* Alignment of the load address, of mem_size and of the text range. */
#define LHV_IMAGE_ALIGN 4096

/* Size of lhv_hv_image_header.version, including the terminating NUL. */
#define LHV_IMAGE_VERSION_LEN 16

struct lhv_hv_image_header {
	/* LHV_IMAGE_MAGIC. */
	lhv_u64 magic;
	/* LHV_IMAGE_HEADER_VERSION the image was built with. */
	lhv_u32 header_version;
	/*
	 * sizeof(struct lhv_hv_image_header) of the image; at least the size
	 * a loader knows, so fields may be appended without a version bump.
	 */
	lhv_u32 header_size;
	/* LHV_ABI_VERSION (<lhv/version.h>) the hv implements. */
	lhv_u32 abi_version;
	/* No flags are defined; must be 0. */
	lhv_u32 flags;
	/* Bytes to copy from the file: header, text, read-only data, data. */
	lhv_u64 image_size;
	/*
	 * Bytes of memory the hv needs from its load address on: image_size
	 * plus .bss (per-CPU areas, log ring). A multiple of LHV_IMAGE_ALIGN.
	 */
	lhv_u64 mem_size;
	/* Virtual address the ELF was linked at; always 0 (see above). */
	lhv_u64 link_base;
	/* Executable code: LHV_IMAGE_ALIGN aligned, inside image_size. */
	lhv_u64 text_offset;
	lhv_u64 text_size;
	/* The entry point (see the loader contract); inside the text. */
	lhv_u64 entry_offset;
	/* struct lhv_log_ring, 8-byte aligned, inside mem_size (so in .bss). */
	lhv_u64 log_offset;
	/* Bytes of log text after struct lhv_log_ring; a power of two. */
	lhv_u32 log_size;
	/* Highest boot->cpu_id the hv accepts, plus one. */
	lhv_u32 max_cpus;
	/* Bytes of hv memory per CPU, its stack included. */
	lhv_u32 percpu_size;
	/* Bytes of hv stack per CPU. */
	lhv_u32 stack_size;
	/* Release of the hv, LHV_VERSION_STRING; NUL-terminated. */
	char version[LHV_IMAGE_VERSION_LEN];
	/*
	 * State kept across enables (rule 1): LHV_IMAGE_ALIGN aligned, inside
	 * [image_size, mem_size) and apart from the log ring; size 0: none.
	 */
	lhv_u64 keep_offset;
	lhv_u64 keep_size;
};

/*
 * The argument block the loader passes to the entry point, one per CPU
 * entry, readable by the hv until the entry returns. Fields the loader does
 * not know are zero.
 */
struct lhv_hv_boot {
	/* sizeof(struct lhv_hv_boot) as the loader was built. */
	lhv_u32 size;
	/* LHV_ABI_VERSION of the loader; must equal the hv's. */
	lhv_u32 abi_version;
	/*
	 * The calling CPU (Linux's smp_processor_id()), below max_cpus. It
	 * selects the hv stack, so two CPUs must never pass the same id.
	 */
	lhv_u32 cpu_id;
	/* No flags are defined; must be 0. */
	lhv_u32 flags;
	/*
	 * Physical address of image byte 0 (the memory is contiguous), so the
	 * hv can translate its own addresses; LHV_IMAGE_ALIGN aligned.
	 */
	lhv_u64 image_phys;
	/*
	 * Unused since the hv builds its own page table (loaders pass 0); it
	 * was the page table the hv ran on.
	 */
	lhv_u64 host_cr3;
	/*
	 * Address of a struct lhv_hv_boot_info in the caller's address space,
	 * the same block for every CPU of one enable. The first CPU in copies
	 * it into hv memory; the hv never reads it after that, and the loader
	 * wipes it once every CPU has entered (it may hold the platform seed).
	 * 0 on the first CPU of an enable: the hv refuses to virtualize. A CPU
	 * that enters later (brought online while the hv runs) passes 0.
	 */
	lhv_u64 info;
};

/* A range of Service OS RAM, [start, end), page aligned. */
struct lhv_hv_ram_range {
	lhv_u64 start;
	lhv_u64 end;
};

#define LHV_HV_MAX_RAM_RANGES 64
/* Longest platform seed the hv accepts, in bytes. */
#define LHV_HV_SEED_MAX 64
#define LHV_HV_UUID_LEN 16

/*
 * What the hv learns once per enable (see lhv_hv_boot.info). Fits in
 * one page.
 */
struct lhv_hv_boot_info {
	/* sizeof(struct lhv_hv_boot_info) as the loader was built. */
	lhv_u32 size;
	/* Entries used in ram[]: the SOS's System RAM, sorted, disjoint. */
	lhv_u32 nr_ram;
	/*
	 * Bytes of seed[] that hold the platform seed; 0: none given this
	 * time, the hv keeps the one an earlier enable of the same hv memory
	 * gave (if any). A seed given replaces the kept one.
	 */
	lhv_u32 seed_len;
	/* No flags are defined; must be 0. */
	lhv_u32 flags;
	/* The service VM's UUID: its vSEED derives from it. */
	unsigned char sos_uuid[LHV_HV_UUID_LEN];
	unsigned char seed[LHV_HV_SEED_MAX];
	struct lhv_hv_ram_range ram[LHV_HV_MAX_RAM_RANGES];
	/*
	 * The service VM's LHV_VM_PROFILE_* (<lhv/hypercall.h>): how its
	 * vSEED derives (docs/hv.md, SEED).
	 */
	lhv_u32 sos_profile;
	/* Must be 0. */
	lhv_u32 reserved;
};

/*
 * The hv's log, at log_offset in hv memory: this struct, then log_size bytes
 * of text (lines ending in '\n'). head and tail count bytes since the ring
 * was empty (all zero, as the loader leaves .bss) and never wrap; byte n of
 * the log lives at data[n % log_size]. Bytes [tail, head) are valid;
 * head - tail <= log_size. The hv serialises its writers; it first raises
 * tail past what it is about to overwrite, then stores the text, then
 * raises head (each counter written as one 64-bit store, in that order).
 * A reader loads head, then tail, copies [max(tail, its cursor), head),
 * then loads tail again and drops what the new tail says was overwritten.
 */
struct lhv_log_ring {
	lhv_u64 head;
	lhv_u64 tail;
};

#endif /* _UAPI_LHV_HV_IMAGE_H */
