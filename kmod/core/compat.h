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

/*
 * 6.11 passes find_vqs one array of struct virtqueue_info instead of the
 * names, callbacks and ctx arrays; loopback.c works on lhv_vq_info.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
#define LHV_FIND_VQS_INFO 1
#define lhv_vq_info virtqueue_info
#else
#define LHV_FIND_VQS_INFO 0
struct virtqueue;
struct lhv_vq_info {
	const char *name;
	void (*callback)(struct virtqueue *vq);
	bool ctx;
};
#endif

/* The parsed attributes of a dump request (genl_info_dump came in 6.4). */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
#define lhv_genl_dump_attrs(cb) (genl_info_dump(cb)->attrs)
#else
#define lhv_genl_dump_attrs(cb) (genl_dumpit_info(cb)->attrs)
#endif

/* 6.3 made vma->vm_flags read-only behind vm_flags_set(). */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 3, 0)
#include <linux/mm_types.h>
static inline void lhv_vm_flags_set(struct vm_area_struct *vma,
				    unsigned long flags)
{
	vma->vm_flags |= flags;
}
#else
#define lhv_vm_flags_set vm_flags_set
#endif

#endif /* LHV_COMPAT_H */
