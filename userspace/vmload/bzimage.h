/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The setup header of a Linux bzImage (Documentation/arch/x86/boot.rst),
 * read as hostile input: every field the loader relies on is checked
 * against the file and against the others before anything is placed.
 */
#ifndef VMLOAD_BZIMAGE_H
#define VMLOAD_BZIMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* Offsets in the file and in the zero page (struct boot_params). */
#define BZ_SETUP_SECTS 0x1f1
#define BZ_SYSSIZE 0x1f4
#define BZ_BOOT_FLAG 0x1fe
#define BZ_JUMP 0x200
#define BZ_HEADER 0x202
#define BZ_VERSION 0x206
#define BZ_TYPE_OF_LOADER 0x210
#define BZ_LOADFLAGS 0x211
#define BZ_CODE32_START 0x214
#define BZ_RAMDISK_IMAGE 0x218
#define BZ_RAMDISK_SIZE 0x21c
#define BZ_HEAP_END_PTR 0x224
#define BZ_CMD_LINE_PTR 0x228
#define BZ_INITRD_ADDR_MAX 0x22c
#define BZ_KERNEL_ALIGNMENT 0x230
#define BZ_RELOCATABLE 0x234
#define BZ_MIN_ALIGNMENT 0x235
#define BZ_XLOADFLAGS 0x236
#define BZ_CMDLINE_SIZE 0x238
#define BZ_HW_SUBARCH 0x23c
#define BZ_PAYLOAD_OFFSET 0x248
#define BZ_PAYLOAD_LENGTH 0x24c
#define BZ_SETUP_DATA 0x250
#define BZ_PREF_ADDRESS 0x258
#define BZ_INIT_SIZE 0x260
/* The header fields of protocol 2.12 end here (init_size included). */
#define BZ_HDR_MIN_END 0x264
/* The setup header's room in the zero page (edd_mbr_sig_buffer follows). */
#define BZ_HDR_MAX_END 0x290

#define BZ_BOOT_FLAG_MAGIC 0xaa55
#define BZ_HEADER_MAGIC 0x53726448 /* "HdrS" */
#define BZ_MIN_VERSION 0x020c
/* loadflags */
#define BZ_LOADED_HIGH 0x01
#define BZ_CAN_USE_HEAP 0x80
/* xloadflags */
#define BZ_XLF_KERNEL_64 0x01
#define BZ_XLF_CAN_BE_LOADED_ABOVE_4G 0x02

/* Largest init_size and kernel_alignment accepted. */
#define BZ_INIT_SIZE_MAX 0x40000000u /* 1 GiB */
#define BZ_ALIGN_MAX 0x40000000u

struct vml_bzimage {
	const uint8_t *data; /* the whole file */
	size_t size;
	uint16_t version;    /* 0x020f for 2.15 */
	uint32_t hdr_end;    /* setup header: [0x1f1, hdr_end) */
	uint32_t setup_size; /* real-mode part: (setup_sects + 1) * 512 */
	uint64_t pm_size;    /* protected-mode bytes to load: syssize * 16 */
	uint8_t loadflags;
	uint16_t xloadflags;
	uint32_t kernel_alignment; /* a power of two */
	uint64_t pref_address;
	uint32_t init_size;	  /* >= pm_size */
	uint32_t cmdline_size;	  /* longest command line, NUL excluded */
	uint32_t initrd_addr_max; /* last byte the initrd may occupy */
};

/*
 * Check the bzImage in data[0, size) and fill *bz. Returns 0, or -EINVAL
 * (-ENOEXEC for a file that is no bzImage at all) with the reason in err.
 * bz keeps pointing into data.
 */
int vml_bzimage_parse(const void *data, size_t size, struct vml_bzimage *bz,
		      struct vml_err *err);

/* Little-endian field access to a byte buffer. */
static inline uint16_t vml_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t vml_get32(const uint8_t *p)
{
	return (uint32_t)vml_get16(p) | (uint32_t)vml_get16(p + 2) << 16;
}

static inline uint64_t vml_get64(const uint8_t *p)
{
	return (uint64_t)vml_get32(p) | (uint64_t)vml_get32(p + 4) << 32;
}

static inline void vml_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void vml_put32(uint8_t *p, uint32_t v)
{
	vml_put16(p, (uint16_t)v);
	vml_put16(p + 2, (uint16_t)(v >> 16));
}

static inline void vml_put64(uint8_t *p, uint64_t v)
{
	vml_put32(p, (uint32_t)v);
	vml_put32(p + 4, (uint32_t)(v >> 32));
}

#endif /* VMLOAD_BZIMAGE_H */
