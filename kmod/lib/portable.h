/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The environment shim for portable cores (kmod/lib): the same source builds
 * in lhv.ko and in userspace (unit tests, fuzzers). It provides fixed-width
 * types, errno values, memcpy, the little-endian wire types and their
 * conversions, single-access loads/stores and memory barriers. Nothing else
 * from the environment may be used by a portable core.
 */
#ifndef LHV_LIB_PORTABLE_H
#define LHV_LIB_PORTABLE_H

#ifdef __KERNEL__

#include <linux/types.h>
#include <linux/string.h>
#include <linux/errno.h>
#include <linux/compiler.h>
#include <linux/limits.h>
#include <asm/byteorder.h>
#include <asm/barrier.h>

#ifndef UINT32_MAX
#define UINT32_MAX U32_MAX
#endif

/* Wire types keep their endianness visible to sparse. */
typedef __le16 lhv_le16;
typedef __le32 lhv_le32;
typedef __le64 lhv_le64;

#define lhv_le16_to_cpu(x) le16_to_cpu(x)
#define lhv_le32_to_cpu(x) le32_to_cpu(x)
#define lhv_le64_to_cpu(x) le64_to_cpu(x)
#define lhv_cpu_to_le16(x) cpu_to_le16(x)
#define lhv_cpu_to_le32(x) cpu_to_le32(x)
#define lhv_cpu_to_le64(x) cpu_to_le64(x)

/* The peer is another (virtual) CPU, never a device: virt_* barriers. */
#define lhv_rmb() virt_rmb()
#define lhv_wmb() virt_wmb()
#define lhv_mb() virt_mb()
#define lhv_barrier() barrier()

#define LHV_READ_ONCE(x) READ_ONCE(x)
#define LHV_WRITE_ONCE(x, v) WRITE_ONCE(x, v)

#else /* userspace */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <errno.h>

typedef uint16_t lhv_le16;
typedef uint32_t lhv_le32;
typedef uint64_t lhv_le64;

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define lhv_le16_to_cpu(x) __builtin_bswap16(x)
#define lhv_le32_to_cpu(x) __builtin_bswap32(x)
#define lhv_le64_to_cpu(x) __builtin_bswap64(x)
#else
#define lhv_le16_to_cpu(x) ((uint16_t)(x))
#define lhv_le32_to_cpu(x) ((uint32_t)(x))
#define lhv_le64_to_cpu(x) ((uint64_t)(x))
#endif
#define lhv_cpu_to_le16(x) lhv_le16_to_cpu(x)
#define lhv_cpu_to_le32(x) lhv_le32_to_cpu(x)
#define lhv_cpu_to_le64(x) lhv_le64_to_cpu(x)

/*
 * Sequentially consistent fences are stronger than the kernel's virt_*
 * barriers, which is fine for tests and fuzzers.
 */
#define lhv_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define lhv_wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
#define lhv_mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define lhv_barrier() __asm__ __volatile__("" : : : "memory")

#define LHV_READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define LHV_WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))

#endif /* __KERNEL__ */

#endif /* LHV_LIB_PORTABLE_H */
