// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The bounce buffers of one controller (docs/xhci.md, "Bounce buffer
 * budget"): every TD forwarded to the SOS is copied through a kmalloc
 * buffer of its size (urb.c, isoch.c), so a guest could make the SOS pin
 * up to 1 MiB per TD, 32 TDs per endpoint, on every endpoint of every
 * device. The buffers in flight are charged to a per-controller budget
 * (module parameter bounce_budget_kb, taken when a controller is made).
 * A TD that does not fit now is deferred: the backend op answers
 * -EAGAIN, the core leaves the TD on its ring, and the free that makes
 * room has the worker call xhci_xfer_retry. A TD larger than the whole
 * budget never fits: it fails as a Data Buffer Error (as TDs over 1 MiB
 * do). Use and counters in /sys/class/lhv/<vm>/xhci<N>/bounce/.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/kobject.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#include "xhci.h"

/*
 * 16 MiB: sixteen 1 MiB TDs (the largest forwarded) in flight at once, or
 * 64 queued 256 KiB mass-storage transfers, more than a UOS keeps busy on
 * one controller; small against the SOS's memory.
 */
static unsigned int lhv_xhci_bounce_budget_kb = 16384;
module_param_named(bounce_budget_kb, lhv_xhci_bounce_budget_kb, uint, 0644);
MODULE_PARM_DESC(bounce_budget_kb,
		 "KiB of bounce buffers a new controller may have in flight "
		 "(0: no limit; default 16384)");

void lhv_xhci_bounce_init(struct lhv_xhci *x)
{
	spin_lock_init(&x->bounce.lock);
	bounce_budget_init(&x->bounce.budget,
			   (u64)READ_ONCE(lhv_xhci_bounce_budget_kb) << 10);
	atomic_set(&x->bounce.retry, 0);
}

void *lhv_xhci_bounce_alloc(struct lhv_xhci *x, u32 len)
{
	void *buf;
	int err;

	spin_lock(&x->bounce.lock);
	err = bounce_budget_charge(&x->bounce.budget, len);
	spin_unlock(&x->bounce.lock);
	if (err == -E2BIG)
		return ERR_PTR(-EFAULT); /* a Data Buffer Error for the TD */
	if (err)
		return ERR_PTR(err);
	/* Guest-sized: a failure is the guest's TD's, not worth a warning. */
	buf = kmalloc(max(len, 1U), GFP_NOIO | __GFP_NOWARN);
	if (!buf) {
		lhv_xhci_bounce_free(x, NULL, len);
		return ERR_PTR(-ENOMEM);
	}
	return buf;
}

/* What the budget could give now, for a buffer that may be smaller. */
u64 lhv_xhci_bounce_room(struct lhv_xhci *x)
{
	u64 room;

	spin_lock(&x->bounce.lock);
	room = bounce_budget_room(&x->bounce.budget);
	spin_unlock(&x->bounce.lock);
	return room;
}

void lhv_xhci_bounce_free(struct lhv_xhci *x, void *buf, u32 len)
{
	bool wake;

	kfree(buf);
	spin_lock(&x->bounce.lock);
	wake = bounce_budget_release(&x->bounce.budget, len);
	spin_unlock(&x->bounce.lock);
	if (!wake)
		return;
	/* Deferred TDs wait: the worker has the core look at them again. */
	atomic_set(&x->bounce.retry, 1);
	lhv_xhci_kick(x);
}

/* The worker, before xhci_process (controller lock held). */
void lhv_xhci_bounce_retry(struct lhv_xhci *x)
{
	lockdep_assert_held(&x->lock);
	if (atomic_xchg(&x->bounce.retry, 0))
		xhci_xfer_retry(x->hc);
}

/* ---- /sys/class/lhv/<vm>/xhci<N>/bounce/ ---- */

static struct lhv_xhci *lhv_xhci_bounce_of(struct kobject *kobj)
{
	return container_of(kobj->parent, struct lhv_xhci, vdev.kobj);
}

static u64 lhv_xhci_bounce_read(struct kobject *kobj, size_t off)
{
	struct lhv_xhci *x = lhv_xhci_bounce_of(kobj);
	u64 v;

	spin_lock(&x->bounce.lock);
	v = *(u64 *)((u8 *)&x->bounce.budget + off);
	spin_unlock(&x->bounce.lock);
	return v;
}

#define LHV_XHCI_BOUNCE_STAT(name, field)                                      \
	static ssize_t name##_show(struct kobject *kobj,                       \
				   struct kobj_attribute *attr, char *buf)     \
	{                                                                      \
		return sysfs_emit(                                             \
			buf, "%llu\n",                                         \
			lhv_xhci_bounce_read(                                  \
				kobj, offsetof(struct bounce_budget, field))); \
	}                                                                      \
	static struct kobj_attribute name##_attr = __ATTR_RO(name)

LHV_XHCI_BOUNCE_STAT(limit, limit);
LHV_XHCI_BOUNCE_STAT(bytes, used);
LHV_XHCI_BOUNCE_STAT(deferred, deferred);
LHV_XHCI_BOUNCE_STAT(refused, refused);

static struct attribute *lhv_xhci_bounce_attrs[] = {
	&limit_attr.attr,
	&bytes_attr.attr,
	&deferred_attr.attr,
	&refused_attr.attr,
	NULL,
};

const struct attribute_group lhv_xhci_bounce_group = {
	.attrs = lhv_xhci_bounce_attrs,
};
