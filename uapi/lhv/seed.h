/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause */
/*
 * The platform seed page: how the boot chain (ABL/SBL, or anything that
 * boots the Service OS) hands the platform seed to lhv.ko. docs/hv.md,
 * "SEED", has the whole path.
 *
 * The bootloader puts one struct lhv_seed_page at the start of a 4 KiB
 * page-aligned page of memory the kernel does not own (reserved in the
 * e820 map, e.g. with the kernel parameter memmap=4K$0x<addr>), and names
 * it on the kernel command line: lhv.seed_addr=0x<addr>. lhv.ko reads it
 * once, at the first enable of the hv, hands the seed to the hv and zeroes
 * the whole page, valid or not. Little-endian.
 */
#ifndef _UAPI_LHV_SEED_H
#define _UAPI_LHV_SEED_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdint.h>
typedef uint32_t __u32;
typedef uint64_t __u64;
#endif

/* "LHVSEED1" as the first 8 bytes. */
#define LHV_SEED_PAGE_MAGIC 0x314445455356484cULL
#define LHV_SEED_PAGE_VERSION 1
/* Accepted seed lengths in bytes (LHV_HV_SEED_MAX is the upper one). */
#define LHV_SEED_MIN 16
#define LHV_SEED_MAX 64

struct lhv_seed_page {
	__u64 magic;	/* LHV_SEED_PAGE_MAGIC */
	__u32 version;	/* LHV_SEED_PAGE_VERSION */
	__u32 seed_len; /* bytes of seed[] used: LHV_SEED_MIN..LHV_SEED_MAX */
	/*
	 * CRC-32 of seed[0, seed_len): the IEEE 802.3 polynomial as zlib's
	 * crc32() and gzip compute it. Catches a stale or torn page, not an
	 * attacker: whoever can write the page before the SOS boots owns the
	 * platform anyway.
	 */
	__u32 crc32;
	__u32 reserved; /* 0 */
	unsigned char seed[LHV_SEED_MAX];
};

#endif /* _UAPI_LHV_SEED_H */
