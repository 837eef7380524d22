// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Isochronous TDs as isochronous URBs (docs/xhci.md, "Isochronous"). A TD
 * is one service interval, usually one packet (xhci_hcd puts each packet
 * of its URBs in a TD of its own); one URB per TD would cost the SOS an
 * interrupt and a work item per millisecond of audio. So the TDs that one
 * xhci_process run hands out for an endpoint are gathered into a batch,
 * and lhv_xhci_isoch_flush (after the run) sends each batch as one URB
 * with a packet per interval of each TD. At completion each TD gets its
 * own packets' result: bytes, IN data copied to its segments, Success,
 * short (Success with fewer bytes), Missed Service (-EXDEV) or an error.
 *
 * Playback lead: Linux's snd-usb-audio queues only about 18 ms of audio
 * (MAX_QUEUE), and the UOS's turnaround (event, interrupt, resubmit,
 * doorbell, each register access an ioreq) can take longer than that. So
 * an OUT batch is reported done as soon as it is sent while the SOS holds
 * less than LHV_XHCI_ISOCH_LEAD_US of audio reported early; the guest
 * refills meanwhile, and the SOS device's pace still sets the rate
 * (later batches wait for the early ones to play out). The cost: the
 * guest's view runs up to that lead ahead of the device, and errors of
 * early-reported packets are only counted. Batches are reported in the
 * order they were sent, per endpoint.
 *
 * SIA is URB_ISO_ASAP; a TD with a Frame ID starts a batch of its own at
 * the SOS frame as far ahead as the guest's frame is. Counters under
 * /sys/class/lhv/<vm>/xhci<N>/isoch/.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/err.h>
#include <linux/jiffies.h>
#include <linux/kobject.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <linux/usb.h>

#include "xhci.h"
#include "xhci_isoch.h"

/* TDs and bytes one URB gathers at most. */
#define LHV_XHCI_ISOCH_BATCH_TDS 8
#define LHV_XHCI_ISOCH_BATCH_BYTES (64U << 10)
#define LHV_XHCI_ISOCH_BATCH_PACKETS                                           \
	(LHV_XHCI_ISOCH_BATCH_TDS * XHCI_ISOCH_MAX_PACKETS)
/* Audio an OUT endpoint may have reported done before the device took it. */
#define LHV_XHCI_ISOCH_LEAD_US 40000U
/* How long SET_INTERFACE/SET_CONFIGURATION wait for sent batches. */
#define LHV_XHCI_ISOCH_QUIESCE_MS 200
/* How long a port release waits for killed batches to be over. */
#define LHV_XHCI_ISOCH_KILL_MS 1000U

struct lhv_xhci_isoch_td {
	u32 id;
	u32 offset, len; /* in the batch's buffer */
	u16 first_packet, nr_packets;
	int result; /* once the URB is over: status and bytes */
	u32 actual;
	unsigned int nr_segs;
	struct xhci_seg *segs; /* IN: where the data goes back to */
};

struct lhv_xhci_isoch_batch {
	struct list_head node; /* x->isoch.batches, in the order sent */
	struct work_struct work;
	struct lhv_xhci *x;
	struct usb_device *udev; /* referenced */
	struct urb *urb;
	struct xhci_xfer first; /* its first TD (segs not valid) */
	bool cancelled;		/* before it was sent */
	bool killed;		/* its device left the guest: URB killed */
	bool asap;		/* every TD with SIA */
	bool completed;		/* the URB is over (or never went) */
	bool reported;		/* its TDs went back to the core */
	u32 period_us;		/* of one packet on the SOS bus */
	int status;		/* of the URB, or why it was not sent */
	u32 len, size;		/* bytes gathered, buffer size */
	u8 *buf;
	unsigned int nr_tds, nr_packets;
	struct lhv_xhci_isoch_td td[LHV_XHCI_ISOCH_BATCH_TDS];
	struct usb_iso_packet_descriptor packet[LHV_XHCI_ISOCH_BATCH_PACKETS];
};

static void lhv_xhci_isoch_free(struct lhv_xhci_isoch_batch *b)
{
	unsigned int i;

	for (i = 0; i < b->nr_tds; i++)
		kfree(b->td[i].segs);
	usb_free_urb(b->urb);
	usb_put_dev(b->udev);
	lhv_xhci_bounce_free(b->x, b->buf, b->size);
	kfree(b);
}

/*
 * The batch's buffer: room for about a batch of TDs of this size. An
 * ERR_PTR when none: -EAGAIN over the bounce budget (the TD waits).
 */
static struct lhv_xhci_isoch_batch *lhv_xhci_isoch_open(
	struct lhv_xhci *x, struct usb_device *udev,
	const struct xhci_xfer *xfer)
{
	struct lhv_xhci_isoch_batch *b;
	u32 size = clamp_t(u32, xfer->len * LHV_XHCI_ISOCH_BATCH_TDS,
			   max(xfer->len, 1U), LHV_XHCI_ISOCH_BATCH_BYTES);

	size = max(size, xfer->len);
	b = kzalloc(sizeof(*b), GFP_NOIO);
	if (!b)
		return ERR_PTR(-ENOMEM);
	/*
	 * What the budget has may still hold this TD alone. Asked first, so
	 * the counters see only a real deferral or refusal.
	 */
	if (size > xfer->len && lhv_xhci_bounce_room(x) < size)
		size = xfer->len;
	b->buf = lhv_xhci_bounce_alloc(x, size);
	if (IS_ERR(b->buf)) {
		void *err = b->buf;

		kfree(b);
		return err;
	}
	b->size = size;
	b->x = x;
	b->udev = usb_get_dev(udev);
	b->first = *xfer;
	b->first.segs = NULL;
	b->asap = xfer->isoch_asap;
	return b;
}

/* Whether the open batch b can take xfer with n more packets. */
static bool lhv_xhci_isoch_fits(const struct lhv_xhci_isoch_batch *b,
				const struct xhci_xfer *xfer, unsigned int n)
{
	return b->first.slot == xfer->slot && b->first.dci == xfer->dci &&
	       b->first.port == xfer->port && xfer->isoch_asap &&
	       b->nr_tds < LHV_XHCI_ISOCH_BATCH_TDS &&
	       b->nr_packets + n <= LHV_XHCI_ISOCH_BATCH_PACKETS &&
	       xfer->len <= b->size - b->len;
}

int lhv_xhci_isoch_submit(struct lhv_xhci *x, const struct xhci_xfer *xfer)
{
	struct xhci_isoch_packet pk[XHCI_ISOCH_MAX_PACKETS];
	struct usb_device *udev = lhv_xhci_port_dev(x, xfer->port);
	struct lhv_xhci_isoch_batch *b = x->isoch.open;
	struct lhv_xhci_isoch_td *td;
	unsigned int n, i;

	lockdep_assert_held(&x->lock);
	if (!udev)
		return -ENODEV;
	n = xhci_isoch_layout(xfer->len, xfer->isoch_esit, pk,
			      XHCI_ISOCH_MAX_PACKETS);
	if (!n)
		return -EMSGSIZE; /* longer than 8 intervals: not forwarded */
	if (b && !lhv_xhci_isoch_fits(b, xfer, n)) {
		lhv_xhci_isoch_flush(x);
		b = NULL;
	}
	if (!b) {
		b = lhv_xhci_isoch_open(x, udev, xfer);
		if (IS_ERR(b))
			return PTR_ERR(b);
		x->isoch.open = b;
	}
	td = &b->td[b->nr_tds];
	if (xfer->in) {
		td->segs =
			kmemdup(xfer->segs, xfer->nr_segs * sizeof(*td->segs),
				GFP_NOIO | __GFP_NOWARN);
		if (!td->segs && xfer->nr_segs)
			return -ENOMEM;
		td->nr_segs = xfer->nr_segs;
	} else if (lhv_xhci_segs_copy(x, xfer->segs, xfer->nr_segs,
				      b->buf + b->len, xfer->len, false)) {
		return -EFAULT;
	}
	td->id = xfer->id;
	td->offset = b->len;
	td->len = xfer->len;
	td->first_packet = b->nr_packets;
	td->nr_packets = n;
	for (i = 0; i < n; i++) {
		b->packet[b->nr_packets + i].offset = b->len + pk[i].offset;
		b->packet[b->nr_packets + i].length = pk[i].len;
	}
	b->nr_packets += n;
	b->len += xfer->len;
	b->nr_tds++;
	return 0;
}

static void lhv_xhci_isoch_complete(struct urb *urb)
{
	struct lhv_xhci_isoch_batch *b = urb->context;

	b->status = urb->status;
	queue_work(lhv_xhci_wq, &b->work);
}

/* urb->interval: frames (full speed) or microframes, from bInterval. */
static int lhv_xhci_isoch_interval(const struct usb_endpoint_descriptor *d)
{
	return 1 << (clamp_t(int, d->bInterval, 1, 16) - 1);
}

/* Make the batch's URB; 0, or an errno for every TD of it. */
static int lhv_xhci_isoch_urb(struct lhv_xhci_isoch_batch *b)
{
	unsigned int num = b->first.ep_addr & USB_ENDPOINT_NUMBER_MASK;
	struct usb_device *udev = b->udev;
	struct usb_host_endpoint *ep;
	struct urb *urb;
	unsigned int i;

	ep = b->first.in ? udev->ep_in[num] : udev->ep_out[num];
	if (!ep || !usb_endpoint_xfer_isoc(&ep->desc))
		return -ENODEV;
	urb = usb_alloc_urb(b->nr_packets, GFP_NOIO);
	if (!urb)
		return -ENOMEM;
	urb->dev = udev;
	urb->pipe = b->first.in ? usb_rcvisocpipe(udev, num)
				: usb_sndisocpipe(udev, num);
	urb->transfer_buffer = b->buf;
	urb->transfer_buffer_length = b->len;
	urb->complete = lhv_xhci_isoch_complete;
	urb->context = b;
	urb->interval = lhv_xhci_isoch_interval(&ep->desc);
	b->period_us =
		urb->interval * (udev->speed >= USB_SPEED_HIGH ? 125 : 1000);
	urb->number_of_packets = b->nr_packets;
	for (i = 0; i < b->nr_packets; i++)
		urb->iso_frame_desc[i] = b->packet[i];
	if (b->asap) {
		urb->transfer_flags = URB_ISO_ASAP;
	} else {
		/*
		 * The guest's frame is frame_delay frames ahead: the same
		 * distance on the SOS bus. An SOS xhci_hcd without CFC
		 * starts at its next frame anyway; others honour it.
		 */
		urb->start_frame = usb_get_current_frame_number(udev) +
				   b->first.frame_delay;
	}
	b->urb = urb;
	return 0;
}

/*
 * TD td's result from its packets: bytes moved (IN data moved together
 * in the buffer, the TD's data being contiguous in the guest) and status.
 */
static int lhv_xhci_isoch_td_result(struct lhv_xhci_isoch_batch *b,
				    const struct lhv_xhci_isoch_td *td,
				    u32 *actual)
{
	struct lhv_xhci_isoch *st = &b->x->isoch;
	unsigned int i, missed = 0;
	u32 moved = 0, n;
	int err = 0;

	for (i = td->first_packet; i < td->first_packet + td->nr_packets; i++) {
		const struct usb_iso_packet_descriptor *d =
			&b->urb->iso_frame_desc[i];

		n = min(d->actual_length, d->length);
		if (d->status == -EXDEV)
			missed++;
		else if (d->status && d->status != -EREMOTEIO && !err)
			err = d->status;
		if (b->first.in && n && d->offset != td->offset + moved)
			memmove(b->buf + td->offset + moved, b->buf + d->offset,
				n);
		moved += n;
	}
	atomic64_add(td->nr_packets, &st->packets);
	atomic64_add(moved, &st->bytes);
	atomic64_add(missed, &st->missed);
	*actual = moved;
	if (err)
		return err;
	return missed && !moved ? -EXDEV : 0;
}

/* Give each TD of b back to the core: its result, or Success early. */
static void lhv_xhci_isoch_report_tds(struct lhv_xhci *x,
				      struct lhv_xhci_isoch_batch *b)
{
	unsigned int i;
	u32 actual;
	u8 cc;

	for (i = 0; i < b->nr_tds; i++) {
		struct lhv_xhci_isoch_td *td = &b->td[i];

		actual = td->len;
		cc = XHCI_CC_SUCCESS;
		if (b->completed) {
			actual = b->status ? 0 : td->actual;
			cc = lhv_xhci_cc(b->status ?: td->result);
		}
		if (b->first.in && actual &&
		    lhv_xhci_segs_copy(x, td->segs, td->nr_segs,
				       b->buf + td->offset, actual, true))
			cc = XHCI_CC_DATA_BUFFER;
		xhci_xfer_done(x->hc, b->first.slot, b->first.dci, td->id, cc,
			       actual);
	}
	b->reported = true;
}

static bool lhv_xhci_isoch_same_ep(const struct lhv_xhci_isoch_batch *a,
				   const struct lhv_xhci_isoch_batch *b)
{
	return a->first.slot == b->first.slot && a->first.dci == b->first.dci;
}

/*
 * Whether b may be reported now: after every earlier batch of its
 * endpoint, when its URB is over or, OUT, within the playback lead.
 */
static bool lhv_xhci_isoch_reportable(struct lhv_xhci *x,
				      const struct lhv_xhci_isoch_batch *b)
{
	const struct lhv_xhci_isoch_batch *e;
	u64 lead_us = 0;

	list_for_each_entry (e, &x->isoch.batches, node) {
		if (e == b)
			break;
		if (!lhv_xhci_isoch_same_ep(e, b))
			continue;
		if (!e->reported)
			return false;
		if (!e->completed)
			lead_us += (u64)e->nr_packets * e->period_us;
	}
	if (b->completed)
		return true;
	return !b->first.in && !b->cancelled &&
	       lead_us + (u64)b->nr_packets * b->period_us <=
		       LHV_XHCI_ISOCH_LEAD_US;
}

/*
 * Report what may be reported, in order; free the batches that are both
 * reported and over (controller lock held). Returns how many were freed:
 * the caller takes them off x->usb.inflight last, once it no longer
 * touches x (the drain in destroy waits for that count).
 */
static unsigned int lhv_xhci_isoch_report(struct lhv_xhci *x)
{
	struct lhv_xhci_isoch_batch *b, *next;
	unsigned int freed = 0;
	bool any = false;

	lockdep_assert_held(&x->lock);
	list_for_each_entry_safe (b, next, &x->isoch.batches, node) {
		if (!b->reported && !x->dying &&
		    lhv_xhci_isoch_reportable(x, b)) {
			lhv_xhci_isoch_report_tds(x, b);
			any = true;
		}
		if (b->completed && (b->reported || x->dying)) {
			list_del(&b->node);
			lhv_xhci_isoch_free(b);
			freed++;
		}
	}
	/* Room on the endpoints: the core looks at their rings again. */
	if (any)
		lhv_xhci_kick(x);
	return freed;
}

/*
 * Under reqs_lock, as urb.c's requests: the drain checks inflight under
 * it, so x stays until this is over.
 */
static void lhv_xhci_isoch_put(struct lhv_xhci *x, unsigned int freed)
{
	if (!freed)
		return;
	spin_lock_irq(&x->usb.reqs_lock);
	if (atomic_sub_and_test(freed, &x->usb.inflight))
		wake_up(&x->usb.drained);
	spin_unlock_irq(&x->usb.reqs_lock);
}

/*
 * The URB of a batch on udev that is out (referenced), or NULL. With
 * kill, only one not killed yet, then marked.
 */
static struct urb *lhv_xhci_isoch_dev_urb(struct lhv_xhci *x,
					  struct usb_device *udev, bool kill)
{
	struct lhv_xhci_isoch_batch *b;
	struct urb *urb = NULL;

	mutex_lock(&x->lock);
	list_for_each_entry (b, &x->isoch.batches, node) {
		if (b->udev != udev || b->completed || (kill && b->killed))
			continue;
		b->killed |= kill;
		urb = usb_get_urb(b->urb);
		break;
	}
	mutex_unlock(&x->lock);
	return urb;
}

/*
 * udev leaves the guest for good (port release, controller removal, VM
 * destroy): its sent batches are killed, not left to play out, which for
 * a long service interval could take long under the netlink locks. Stop
 * Endpoint does not unlink (the SOS's xhci_hcd isoch ring did not take
 * it, see lhv_xhci_isoch_cancel); here that does not matter: the device
 * goes back to the SOS, whose reprobe sets a configuration again, which
 * drops and rebuilds every endpoint ring. The caller made sure no guest
 * port reset (usb_reset_device) runs meanwhile. Their completions are
 * waited for, LHV_XHCI_ISOCH_KILL_MS at most.
 */
void lhv_xhci_isoch_kill(struct lhv_xhci *x, struct usb_device *udev)
{
	unsigned long end;
	struct urb *urb;

	while ((urb = lhv_xhci_isoch_dev_urb(x, udev, true))) {
		/* Back from it, the completion ran; its work item follows. */
		usb_kill_urb(urb);
		usb_put_urb(urb);
	}
	end = jiffies + msecs_to_jiffies(LHV_XHCI_ISOCH_KILL_MS);
	while ((urb = lhv_xhci_isoch_dev_urb(x, udev, false))) {
		usb_put_urb(urb);
		if (time_after(jiffies, end)) {
			dev_warn(&udev->dev,
				 "isochronous URBs not over after "
				 "%u ms; given back anyway\n",
				 LHV_XHCI_ISOCH_KILL_MS);
			return;
		}
		msleep(5);
	}
}

/* The batch's URB is over (process context). */
static void lhv_xhci_isoch_done(struct work_struct *work)
{
	struct lhv_xhci_isoch_batch *b =
		container_of(work, struct lhv_xhci_isoch_batch, work);
	struct lhv_xhci *x = b->x;
	struct lhv_xhci_isoch *st = &x->isoch;
	unsigned int i, freed;

	if (!b->status) {
		atomic64_inc(&st->urbs);
		/* Counts packets and bytes (and moves IN data together). */
		for (i = 0; i < b->nr_tds; i++)
			b->td[i].result = lhv_xhci_isoch_td_result(
				b, &b->td[i], &b->td[i].actual);
	} else if (b->status == -ENOENT || b->status == -ECONNRESET) {
		atomic64_inc(&st->killed);
	} else {
		atomic64_inc(&st->errors);
		atomic64_set(&st->last_error, b->status);
	}
	/*
	 * Once b is marked completed another completion may free it and drop
	 * the last inflight count while this one still unlocks x->lock: hold
	 * one count of our own until after the unlock.
	 */
	atomic_inc(&x->usb.inflight);
	mutex_lock(&x->lock);
	b->completed = true; /* b may be freed from here on */
	if (atomic_dec_and_test(&x->isoch.playing))
		wake_up(&x->usb.drained);
	freed = lhv_xhci_isoch_report(x);
	mutex_unlock(&x->lock);
	lhv_xhci_isoch_put(x, freed + 1);
}

/*
 * Send the open batch (controller lock held, after xhci_process). A batch
 * that cannot go is over at once and reported with its error.
 */
void lhv_xhci_isoch_flush(struct lhv_xhci *x)
{
	struct lhv_xhci_isoch_batch *b = x->isoch.open;
	int err;

	lockdep_assert_held(&x->lock);
	if (!b)
		return;
	x->isoch.open = NULL;
	if (!b->nr_tds) { /* its only TD failed at once */
		lhv_xhci_isoch_free(b);
		return;
	}
	INIT_WORK(&b->work, lhv_xhci_isoch_done);
	atomic_inc(&x->usb.inflight);
	list_add_tail(&b->node, &x->isoch.batches);
	err = b->cancelled ? -ENOENT : lhv_xhci_isoch_urb(b);
	if (!err) {
		atomic_inc(&x->isoch.playing);
		err = usb_submit_urb(b->urb, GFP_NOIO);
		if (err)
			atomic_dec(&x->isoch.playing);
	}
	if (err) {
		b->status = err;
		b->completed = true;
	}
	/* Destroy stops the worker before it drains: x stays. */
	lhv_xhci_isoch_put(x, lhv_xhci_isoch_report(x));
}

/*
 * A TD the core cancels (Stop Endpoint, Disable Slot, HCRST): one not sent
 * yet comes back Stopped. A sent URB is left to run: its packets are due
 * within a few frames, its TDs then come back with their result (as from
 * a controller that finished them before the stop), and the SOS's host
 * driver is spared cancelling in the middle of an isoch ring.
 */
void lhv_xhci_isoch_cancel(struct lhv_xhci *x, u32 id)
{
	struct lhv_xhci_isoch_batch *b = x->isoch.open;
	unsigned int i;

	for (i = 0; b && i < b->nr_tds; i++)
		if (b->td[i].id == id)
			b->cancelled = true;
}

/*
 * Before an interface or configuration change (which kills the URBs on
 * the endpoints it touches): let the sent batches play out, the early
 * reported ones included, for at most LHV_XHCI_ISOCH_QUIESCE_MS.
 */
void lhv_xhci_isoch_quiesce(struct lhv_xhci *x)
{
	wait_event_timeout(x->usb.drained, !atomic_read(&x->isoch.playing),
			   msecs_to_jiffies(LHV_XHCI_ISOCH_QUIESCE_MS));
}

/* The counters of the controller whose isoch/ directory kobj is. */
static struct lhv_xhci_isoch *lhv_xhci_isoch_of(struct kobject *kobj)
{
	struct lhv_vdev *vdev =
		container_of(kobj->parent, struct lhv_vdev, kobj);

	return &((struct lhv_xhci *)vdev->priv)->isoch;
}

/* /sys/class/lhv/<vm>/xhci<N>/isoch/: what isoch.c counted. */
#define LHV_XHCI_ISOCH_STAT(f)                                                 \
	static ssize_t f##_show(struct kobject *kobj,                          \
				struct kobj_attribute *attr, char *buf)        \
	{                                                                      \
		return sysfs_emit(buf, "%lld\n",                               \
				  atomic64_read(&lhv_xhci_isoch_of(kobj)->f)); \
	}                                                                      \
	static struct kobj_attribute f##_attr = __ATTR_RO(f)

LHV_XHCI_ISOCH_STAT(urbs);
LHV_XHCI_ISOCH_STAT(packets);
LHV_XHCI_ISOCH_STAT(bytes);
LHV_XHCI_ISOCH_STAT(missed);
LHV_XHCI_ISOCH_STAT(errors);
LHV_XHCI_ISOCH_STAT(last_error);
LHV_XHCI_ISOCH_STAT(killed);

static struct attribute *lhv_xhci_isoch_attrs[] = {
	&urbs_attr.attr,
	&packets_attr.attr,
	&bytes_attr.attr,
	&missed_attr.attr,
	&errors_attr.attr,
	&last_error_attr.attr,
	&killed_attr.attr, /* unlinked by a release or removal */
	NULL,
};

const struct attribute_group lhv_xhci_isoch_group = {
	.attrs = lhv_xhci_isoch_attrs,
};
