/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Validation of an lhv.bin image before it is loaded. Portable C: built
 * into lhv.ko, lhvctl and the unit tests, with no kernel, hv or libc
 * headers beyond the uapi one, <stddef.h> and <stdint.h> (or their kernel
 * equivalents).
 */
#ifndef _HV_LIB_IMAGE_CHECK_H
#define _HV_LIB_IMAGE_CHECK_H

/* Kernel builds have no <stdint.h>; <linux/types.h> has the same types. */
#ifdef __KERNEL__
#include <linux/stddef.h>
#include <linux/types.h>
#else
#include <stddef.h>
#include <stdint.h>
#endif

#include <lhv/hv_image.h>

/*
 * Error values, returned negated. They equal Linux's errno numbers on x86
 * (EINVAL and ENOEXEC on every architecture), so lhv.ko can pass them on.
 */
#define LHV_ENOEXEC 8	 /* not an lhv image: bad magic */
#define LHV_EINVAL 22	 /* short buffer or inconsistent header */
#define LHV_EPROTO 71	 /* header or ABI version this code does not speak */
#define LHV_EOVERFLOW 75 /* an offset plus a size wraps around 2^64 */

/*
 * Checks the image of @len bytes at @buf: the header and that the layout it
 * describes is self-consistent and fits in @len (bytes past image_size are
 * allowed and ignored). @buf needs no particular alignment. Returns 0, or a
 * negative LHV_E* value. If @why is not NULL, *@why is set to a static
 * string saying what is wrong ("ok" on success).
 */
int hv_image_check(const void *buf, size_t len, const char **why);

#endif /* _HV_LIB_IMAGE_CHECK_H */
