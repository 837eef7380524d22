/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * What the raw test drivers (lhv_test_vblk_raw, lhv_test_vsnd_raw) share:
 * the results log their cases append lines to and the "results" file
 * reads back, and the "run" file whose write names the case to send.
 * Header-only: each test module is built on its own.
 */
#ifndef LHV_TEST_RAW_LOG_H
#define LHV_TEST_RAW_LOG_H

#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

struct raw_log {
	char *buf;
	size_t len, cap;
};

static inline int raw_log_init(struct raw_log *l, size_t cap)
{
	l->buf = kzalloc(cap, GFP_KERNEL);
	l->len = 0;
	l->cap = cap;
	return l->buf ? 0 : -ENOMEM;
}

static inline void raw_log_free(struct raw_log *l)
{
	kfree(l->buf);
	l->buf = NULL;
}

static inline __printf(2, 3) void raw_log_add(struct raw_log *l,
					      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	l->len += vscnprintf(l->buf + l->len, l->cap - l->len, fmt, ap);
	va_end(ap);
}

/* The log: read under lock (the driver's, which its cases hold too). */
static inline ssize_t raw_log_read(struct raw_log *l, struct mutex *lock,
				   char __user *ubuf, size_t count,
				   loff_t *ppos)
{
	ssize_t ret;

	mutex_lock(lock);
	ret = simple_read_from_buffer(ubuf, count, ppos, l->buf, l->len);
	mutex_unlock(lock);
	return ret;
}

/*
 * A write to "run": the case name (trimmed) goes to run(drv, name) under
 * lock, which returns 0, -EINVAL for no such case, or another error. A
 * log with less than 128 bytes left refuses with -ENOSPC.
 */
static inline ssize_t raw_run_write(const char __user *ubuf, size_t count,
				    struct mutex *lock, struct raw_log *l,
				    int (*run)(void *drv, const char *name),
				    void *drv)
{
	char name[32];
	size_t n = min(count, sizeof(name) - 1);
	int err;

	if (copy_from_user(name, ubuf, n))
		return -EFAULT;
	name[n] = '\0';
	strim(name);

	mutex_lock(lock);
	err = l->len > l->cap - 128 ? -ENOSPC : run(drv, strim(name));
	mutex_unlock(lock);
	return err ? err : count;
}

#endif /* LHV_TEST_RAW_LOG_H */
