/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Error numbers the hv returns (negated), numbered as Linux on x86 does so
 * that lhv.ko can pass them on unchanged. Usable from assembly.
 */
#ifndef _HV_ERRNO_H
#define _HV_ERRNO_H

#define EPERM 1
#define ENOENT 2
#define EIO 5
#define E2BIG 7
#define ENOEXEC 8
#define EAGAIN 11
#define ENOMEM 12
#define EFAULT 14
#define EBUSY 16
#define EEXIST 17
#define ENODEV 19
#define EINVAL 22
#define ENOSPC 28
#define ERANGE 34
#define ENOSYS 38
#define ENODATA 61
#define EPROTO 71
#define EOVERFLOW 75

#endif /* _HV_ERRNO_H */
