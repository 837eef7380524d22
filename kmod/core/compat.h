/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Differences between the kernels lhv builds against (Debian 6.1 and
 * 6.12), kept in one place so the other files read as plain kernel code.
 */
#ifndef LHV_COMPAT_H
#define LHV_COMPAT_H

#include <linux/version.h>

/* 6.4 made class callbacks take a const struct class. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
#define lhv_class_const const
#else
#define lhv_class_const
#endif

#endif /* LHV_COMPAT_H */
