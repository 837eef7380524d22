// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Running the portable xHCI core for one controller: the lock every core
 * call is made under, the worker that runs xhci_process, interrupter
 * moderation with one hrtimer per interrupter, and the guest memory the
 * core reads rings and contexts from (struct xhci_mem over the VM's RAM
 * map, piece by piece so no copy crosses a RAM chunk's edge).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "lhv.h"
#include "xhci.h"

/* ---- guest memory ---- */

/*
 * Copies len bytes between buf and guest-physical gpa. The VM's map
 * checks the range and gives it back one RAM chunk at a time; anything
 * outside RAM fails the whole copy (the core then reports an error).
 */
static int lhv_xhci_mem_copy(struct lhv_xhci *x, u64 gpa, void *buf, size_t len,
			     bool to_guest)
{
	const struct virtq_mem_ops *ops = x->vm->mem_ops;
	u64 piece;
	void *host;

	while (len) {
		host = ops->map(x->vm->mem_ctx, gpa, len, to_guest, &piece);
		if (!host || !piece) {
			atomic64_inc(&x->mem_faults);
			return -EFAULT;
		}
		piece = min_t(u64, piece, len);
		if (to_guest)
			memcpy(host, buf, piece);
		else
			memcpy(buf, host, piece);
		gpa += piece;
		buf += piece;
		len -= piece;
	}
	return 0;
}

int lhv_xhci_guest_read(struct lhv_xhci *x, u64 gpa, void *buf, size_t len)
{
	return lhv_xhci_mem_copy(x, gpa, buf, len, false);
}

int lhv_xhci_guest_write(struct lhv_xhci *x, u64 gpa, const void *buf,
			 size_t len)
{
	/* The copy only reads buf when writing to the guest. */
	return lhv_xhci_mem_copy(x, gpa, (void *)buf, len, true);
}

static int lhv_xhci_mem_read(void *priv, u64 gpa, void *buf, size_t len)
{
	return lhv_xhci_guest_read(priv, gpa, buf, len);
}

static int lhv_xhci_mem_write(void *priv, u64 gpa, const void *buf, size_t len)
{
	return lhv_xhci_guest_write(priv, gpa, buf, len);
}

/* ---- the backend ops (controller lock held) ---- */

static u64 lhv_xhci_now_ns(void *priv)
{
	return ktime_get_ns();
}

static const struct xhci_backend_ops lhv_xhci_backend_ops = {
	.control = lhv_xhci_op_control,
	.set_config = lhv_xhci_op_set_config,
	.set_interface = lhv_xhci_op_set_interface,
	.clear_halt = lhv_xhci_op_clear_halt,
	.submit = lhv_xhci_op_submit,
	.cancel = lhv_xhci_op_cancel,
	.port_reset = lhv_xhci_op_port_reset,
	.now_ns = lhv_xhci_now_ns,
	.role_set = lhv_xhci_op_role_set,
};

/* ---- interrupts ---- */

/*
 * Sends each interrupter's message the core asks for, unless the last
 * one went out less than its IMOD interval ago: then the moderation
 * timer brings the worker back when the interval is over.
 */
static void lhv_xhci_irqs(struct lhv_xhci *x)
{
	struct lhv_xhci_intr *in;
	unsigned int i;
	u64 gap, now;

	lockdep_assert_held(&x->lock);
	for (i = 0; i < LHV_XHCI_INTRS; i++) {
		if (!xhci_intr_want(x->hc, i))
			continue;
		in = &x->intr[i];
		gap = xhci_intr_moderation_ns(x->hc, i);
		now = ktime_get_ns();
		if (gap && now - in->last_ns < gap) {
			if (!hrtimer_is_queued(&in->timer))
				hrtimer_start(
					&in->timer,
					ns_to_ktime(in->last_ns + gap - now),
					HRTIMER_MODE_REL);
			continue;
		}
		if (xhci_intr_assert(x->hc, i)) {
			in->last_ns = now;
			lhv_xhci_fire(x, i);
		}
	}
}

static enum hrtimer_restart lhv_xhci_moderation_end(struct hrtimer *t)
{
	struct lhv_xhci_intr *in = container_of(t, struct lhv_xhci_intr, timer);

	lhv_xhci_kick(in->x);
	return HRTIMER_NORESTART;
}

/* ---- the worker ---- */

void lhv_xhci_kick(struct lhv_xhci *x)
{
	queue_work(lhv_xhci_wq, &x->process_work);
}

/* One xhci_process budget per run; requeued while work is left. */
static void lhv_xhci_process_work(struct work_struct *work)
{
	struct lhv_xhci *x = container_of(work, struct lhv_xhci, process_work);
	bool more;

	mutex_lock(&x->lock);
	if (x->dying) {
		mutex_unlock(&x->lock);
		return;
	}
	lhv_xhci_bounce_retry(x);
	more = xhci_process(x->hc);
	/* The isoch TDs of this run go out as one URB per endpoint. */
	lhv_xhci_isoch_flush(x);
	lhv_xhci_irqs(x);
	mutex_unlock(&x->lock);
	if (more)
		lhv_xhci_kick(x);
}

/* ---- register accesses ---- */

u64 lhv_xhci_mmio_read(struct lhv_xhci *x, u32 off, unsigned int size)
{
	u64 val;

	mutex_lock(&x->lock);
	val = xhci_mmio_read(x->hc, off, size);
	mutex_unlock(&x->lock);
	return val;
}

void lhv_xhci_mmio_write(struct lhv_xhci *x, u32 off, unsigned int size,
			 u64 val)
{
	mutex_lock(&x->lock);
	xhci_mmio_write(x->hc, off, size, val);
	mutex_unlock(&x->lock);
	/* Doorbells and port resets are latched; ERDP may want an IRQ. */
	lhv_xhci_kick(x);
}

/* ---- life cycle ---- */

int lhv_xhci_hc_init(struct lhv_xhci *x)
{
	const struct xhci_config cfg = {
		.nr_usb2_ports = LHV_XHCI_USB2_PORTS,
		.nr_usb3_ports = LHV_XHCI_USB3_PORTS,
		.max_slots = LHV_XHCI_SLOTS,
		.nr_intrs = LHV_XHCI_INTRS,
		/* The DRD capability only with a switch behind it. */
		.drd = !!x->role.sw,
	};
	const struct xhci_mem mem = {
		.read = lhv_xhci_mem_read,
		.write = lhv_xhci_mem_write,
		.priv = x,
	};
	unsigned int i;
	int err;

	x->hc = kvzalloc(sizeof(*x->hc), GFP_KERNEL);
	if (!x->hc)
		return -ENOMEM;
	err = xhci_init(x->hc, &cfg, &mem, &lhv_xhci_backend_ops, x);
	if (err) {
		kvfree(x->hc);
		x->hc = NULL;
		return err;
	}
	mutex_init(&x->lock);
	lhv_xhci_bounce_init(x);
	INIT_WORK(&x->process_work, lhv_xhci_process_work);
	spin_lock_init(&x->usb.reqs_lock);
	INIT_LIST_HEAD(&x->usb.reqs);
	atomic_set(&x->usb.inflight, 0);
	init_waitqueue_head(&x->usb.drained);
	for (i = 0; i < LHV_XHCI_INTRS; i++) {
		x->intr[i].x = x;
		hrtimer_init(&x->intr[i].timer, CLOCK_MONOTONIC,
			     HRTIMER_MODE_REL);
		x->intr[i].timer.function = lhv_xhci_moderation_end;
	}
	return 0;
}

/* The VM boots again: a controller as after power-on. */
void lhv_xhci_hc_reset(struct lhv_xhci *x)
{
	unsigned int i;

	mutex_lock(&x->lock);
	xhci_reset(x->hc);
	for (i = 0; i < LHV_XHCI_INTRS; i++)
		x->intr[i].last_ns = 0;
	mutex_unlock(&x->lock);
}

/* Off the bus already: no access comes; stop the worker and timers. */
void lhv_xhci_hc_stop(struct lhv_xhci *x)
{
	unsigned int i;

	mutex_lock(&x->lock);
	x->dying = true;
	mutex_unlock(&x->lock);
	for (i = 0; i < LHV_XHCI_INTRS; i++)
		hrtimer_cancel(&x->intr[i].timer);
	cancel_work_sync(&x->process_work);
	mutex_lock(&x->lock);
	xhci_reset(x->hc);
	mutex_unlock(&x->lock);
}

void lhv_xhci_hc_free(struct lhv_xhci *x)
{
	if (x->hc)
		mutex_destroy(&x->lock);
	kvfree(x->hc);
	x->hc = NULL;
}
