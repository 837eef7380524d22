/* SPDX-License-Identifier: BSD-3-Clause */
/* Compiler attributes and barriers, spelled as in Linux. */
#ifndef _HV_COMPILER_H
#define _HV_COMPILER_H

#define __aligned(x) __attribute__((__aligned__(x)))
#define __section(s) __attribute__((__section__(s)))
#define __used __attribute__((__used__))
#define __noreturn __attribute__((__noreturn__))
#define __printf(a, b) __attribute__((__format__(__printf__, a, b)))

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/* Keeps the compiler from moving memory accesses across it. */
#define barrier() __asm__ __volatile__("" : : : "memory")

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif /* _HV_COMPILER_H */
