// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Forwarding the guest's TDs to the device on the controller's SOS port
 * (the backend ops of the core, called under the controller lock):
 * control TDs as control URBs, bulk and interrupt TDs as URBs, all on a
 * bounce buffer the TD's guest segments are copied into (OUT) or out of
 * (IN, at completion). SET_CONFIGURATION, SET_INTERFACE and
 * CLEAR_FEATURE(ENDPOINT_HALT) go through usbcore in a work item so the
 * SOS's view of the device stays right. Completions reach the core from
 * a work item, never from the URB callback. Isochronous TDs go to
 * isoch.c, which batches them into isochronous URBs.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/slab.h>
#include <linux/usb.h>

#include "lhv.h"
#include "xhci.h"

/* Longest TD forwarded in one URB (one bounce buffer). */
#define LHV_XHCI_MAX_TD_BYTES (1U << 20)

enum lhv_xhci_req_kind {
	LHV_XHCI_REQ_URB,
	LHV_XHCI_REQ_SET_CONFIG,
	LHV_XHCI_REQ_SET_INTERFACE,
	LHV_XHCI_REQ_CLEAR_HALT,
};

struct lhv_xhci_req {
	struct list_head node; /* x->usb.reqs */
	struct work_struct work;
	struct lhv_xhci *x;
	struct usb_device *udev; /* referenced */
	struct urb *urb;
	enum lhv_xhci_req_kind kind;
	u8 arg1, arg2;
	u32 id;
	u8 slot, dci;
	bool in;
	bool gone; /* the device left the guest: a transaction error */
	int status;
	u32 actual;
	u32 len;
	void *buf;
	struct usb_ctrlrequest setup;
	unsigned int nr_segs;
	struct xhci_seg segs[];
};

/*
 * Copies bytes between buf and a TD's guest segments, from the TD's start
 * (immediate data from the TRB when reading; never written back).
 */
int lhv_xhci_segs_copy(struct lhv_xhci *x, const struct xhci_seg *segs,
		       unsigned int nr_segs, void *buf, u32 bytes,
		       bool to_guest)
{
	u32 done = 0, n;
	unsigned int i;
	__le64 imm;
	int err;

	for (i = 0; i < nr_segs && done < bytes; i++) {
		const struct xhci_seg *s = &segs[i];

		n = min(s->len, bytes - done);
		if (s->immediate) {
			/* IDT: the data sits in the TRB's parameter field. */
			imm = cpu_to_le64(s->gpa);
			if (!to_guest)
				memcpy(buf + done, &imm,
				       min_t(u32, n, sizeof(imm)));
			err = 0;
		} else if (to_guest) {
			err = lhv_xhci_guest_write(x, s->gpa, buf + done, n);
		} else {
			err = lhv_xhci_guest_read(x, s->gpa, buf + done, n);
		}
		if (err)
			return err;
		done += n;
	}
	return 0;
}

static int lhv_xhci_req_copy(struct lhv_xhci_req *r, u32 bytes, bool to_guest)
{
	return lhv_xhci_segs_copy(r->x, r->segs, r->nr_segs, r->buf, bytes,
				  to_guest);
}

static void lhv_xhci_req_free(struct lhv_xhci_req *r)
{
	usb_free_urb(r->urb);
	usb_put_dev(r->udev);
	if (r->buf)
		lhv_xhci_bounce_free(r->x, r->buf, r->len);
	kfree(r);
}

/* The completion code of a URB status (isoch.c's packets too). */
u8 lhv_xhci_cc(int status)
{
	switch (status) {
	case 0:
	case -EREMOTEIO: /* short */
		return XHCI_CC_SUCCESS;
	case -EPIPE:
		return XHCI_CC_STALL;
	case -EOVERFLOW:
		return XHCI_CC_BABBLE;
	case -ECONNRESET:
	case -ENOENT:
		return XHCI_CC_STOPPED;
	case -EXDEV: /* isoch: the interval passed */
		return XHCI_CC_MISSED_SERVICE;
	default:
		return XHCI_CC_USB_TRANSACTION;
	}
}

/* The request is over: report it to the core (process context). */
static void lhv_xhci_req_done(struct work_struct *work)
{
	struct lhv_xhci_req *r = container_of(work, struct lhv_xhci_req, work);
	struct lhv_xhci *x = r->x;
	u8 cc = r->gone ? XHCI_CC_USB_TRANSACTION : lhv_xhci_cc(r->status);

	mutex_lock(&x->lock);
	if (!x->dying) {
		if (r->in && r->actual && lhv_xhci_req_copy(r, r->actual, true))
			cc = XHCI_CC_DATA_BUFFER;
		xhci_xfer_done(x->hc, r->slot, r->dci, r->id, cc, r->actual);
	}
	/* While x surely stays: the free may kick the worker. */
	lhv_xhci_bounce_free(x, r->buf, r->len);
	r->buf = NULL;
	mutex_unlock(&x->lock);
	lhv_xhci_kick(x);
	/*
	 * The drain and lhv_xhci_urbs_kill look at the list under the lock:
	 * once it is dropped here x may be gone, so nothing follows.
	 */
	spin_lock_irq(&x->usb.reqs_lock);
	list_del(&r->node);
	atomic_dec(&x->usb.inflight);
	wake_up(&x->usb.drained);
	spin_unlock_irq(&x->usb.reqs_lock);
	lhv_xhci_req_free(r);
}

static void lhv_xhci_urb_complete(struct urb *urb)
{
	struct lhv_xhci_req *r = urb->context;

	r->status = urb->status;
	r->actual = min(urb->actual_length, r->len);
	queue_work(lhv_xhci_wq, &r->work);
}

/* A request for xfer with its bounce buffer (OUT data copied in). */
static struct lhv_xhci_req *lhv_xhci_req_new(struct lhv_xhci *x,
					     const struct xhci_xfer *xfer,
					     bool in, int *err)
{
	struct usb_device *udev = lhv_xhci_port_dev(x, xfer->port);
	struct lhv_xhci_req *r;

	*err = -ENODEV;
	if (!udev)
		return NULL;
	*err = -EFAULT;
	if (xfer->len > LHV_XHCI_MAX_TD_BYTES)
		return NULL;
	*err = -ENOMEM;
	r = kzalloc(struct_size(r, segs, xfer->nr_segs),
		    GFP_NOIO | __GFP_NOWARN);
	if (!r)
		return NULL;
	r->nr_segs = xfer->nr_segs;
	memcpy(r->segs, xfer->segs, flex_array_size(r, segs, r->nr_segs));
	r->x = x;
	r->id = xfer->id;
	r->slot = xfer->slot;
	r->dci = xfer->dci;
	r->in = in;
	r->len = xfer->len;
	INIT_WORK(&r->work, lhv_xhci_req_done);
	/* -EAGAIN: over the budget, the core keeps the TD for later. */
	r->buf = lhv_xhci_bounce_alloc(x, r->len);
	if (IS_ERR(r->buf)) {
		*err = PTR_ERR(r->buf);
		kfree(r);
		return NULL;
	}
	if (!in && r->len && lhv_xhci_req_copy(r, r->len, false)) {
		lhv_xhci_req_free(r);
		*err = -EFAULT;
		return NULL;
	}
	r->udev = usb_get_dev(udev);
	*err = 0;
	return r;
}

static void lhv_xhci_req_track(struct lhv_xhci *x, struct lhv_xhci_req *r)
{
	atomic_inc(&x->usb.inflight);
	spin_lock_irq(&x->usb.reqs_lock);
	list_add_tail(&r->node, &x->usb.reqs);
	spin_unlock_irq(&x->usb.reqs_lock);
}

static int lhv_xhci_req_submit(struct lhv_xhci *x, struct lhv_xhci_req *r)
{
	int err;

	lhv_xhci_req_track(x, r);
	err = usb_submit_urb(r->urb, GFP_NOIO);
	if (!err)
		return 0;
	spin_lock_irq(&x->usb.reqs_lock);
	list_del(&r->node);
	spin_unlock_irq(&x->usb.reqs_lock);
	atomic_dec(&x->usb.inflight);
	lhv_xhci_req_free(r);
	return err == -EPIPE ? -EPIPE : -EIO;
}

int lhv_xhci_op_control(void *priv, const struct xhci_xfer *xfer)
{
	struct lhv_xhci *x = priv;
	/* No data stage is OUT, whatever bit 7 says (usbcore warns else). */
	bool in = (xfer->setup[0] & USB_DIR_IN) &&
		  (xfer->setup[6] | xfer->setup[7]); /* wLength */
	struct lhv_xhci_req *r;
	unsigned int pipe;
	int err;

	r = lhv_xhci_req_new(x, xfer, in, &err);
	if (!r)
		return err;
	r->urb = usb_alloc_urb(0, GFP_NOIO);
	if (!r->urb) {
		lhv_xhci_req_free(r);
		return -ENOMEM;
	}
	memcpy(&r->setup, xfer->setup, sizeof(r->setup));
	pipe = in ? usb_rcvctrlpipe(r->udev, 0) : usb_sndctrlpipe(r->udev, 0);
	usb_fill_control_urb(r->urb, r->udev, pipe, (u8 *)&r->setup, r->buf,
			     r->len, lhv_xhci_urb_complete, r);
	return lhv_xhci_req_submit(x, r);
}

int lhv_xhci_op_submit(void *priv, const struct xhci_xfer *xfer)
{
	struct lhv_xhci *x = priv;
	unsigned int num = xfer->ep_addr & USB_ENDPOINT_NUMBER_MASK;
	struct usb_host_endpoint *ep;
	struct lhv_xhci_req *r;
	unsigned int pipe;
	int err;

	if (xfer->ep_type == XHCI_EP_ISOCH_OUT ||
	    xfer->ep_type == XHCI_EP_ISOCH_IN)
		return lhv_xhci_isoch_submit(x, xfer);
	r = lhv_xhci_req_new(x, xfer, xfer->in, &err);
	if (!r)
		return err;
	ep = xfer->in ? r->udev->ep_in[num] : r->udev->ep_out[num];
	/* Isochronous SOS endpoints take only isoch.c's URBs. */
	if (ep && usb_endpoint_xfer_isoc(&ep->desc))
		ep = NULL;
	r->urb = ep ? usb_alloc_urb(0, GFP_NOIO) : NULL;
	if (!r->urb) {
		lhv_xhci_req_free(r);
		return ep ? -ENOMEM : -ENODEV;
	}
	if (usb_endpoint_xfer_int(&ep->desc)) {
		pipe = xfer->in ? usb_rcvintpipe(r->udev, num)
				: usb_sndintpipe(r->udev, num);
		usb_fill_int_urb(r->urb, r->udev, pipe, r->buf, r->len,
				 lhv_xhci_urb_complete, r, ep->desc.bInterval);
	} else {
		pipe = xfer->in ? usb_rcvbulkpipe(r->udev, num)
				: usb_sndbulkpipe(r->udev, num);
		usb_fill_bulk_urb(r->urb, r->udev, pipe, r->buf, r->len,
				  lhv_xhci_urb_complete, r);
	}
	return lhv_xhci_req_submit(x, r);
}

/* A standard request usbcore must see: done in process context. */
static void lhv_xhci_std_work(struct work_struct *work)
{
	struct lhv_xhci_req *r = container_of(work, struct lhv_xhci_req, work);
	struct usb_device *udev = r->udev;
	unsigned int pipe;

	/* Isoch URBs still playing would be killed by the change. */
	if (r->kind != LHV_XHCI_REQ_CLEAR_HALT)
		lhv_xhci_isoch_quiesce(r->x);
	switch (r->kind) {
	case LHV_XHCI_REQ_SET_CONFIG:
		usb_lock_device(udev);
		r->status = usb_set_configuration(udev, r->arg1);
		usb_unlock_device(udev);
		break;
	/*
	 * Locked as usbfs does: the guest may queue these back to back and
	 * the work items run in parallel; a SET_CONFIGURATION frees the
	 * interfaces a SET_INTERFACE would otherwise be looking at.
	 */
	case LHV_XHCI_REQ_SET_INTERFACE:
		usb_lock_device(udev);
		r->status = usb_set_interface(udev, r->arg1, r->arg2);
		usb_unlock_device(udev);
		break;
	default:
		pipe = r->arg1 & USB_DIR_IN
			       ? usb_rcvbulkpipe(udev, r->arg1 & 0xf)
			       : usb_sndbulkpipe(udev, r->arg1 & 0xf);
		usb_lock_device(udev);
		r->status = usb_clear_halt(udev, pipe);
		usb_unlock_device(udev);
		break;
	}
	/* A refused request is a stall, as the device would answer. */
	if (r->status)
		r->status = -EPIPE;
	lhv_xhci_req_done(work);
}

static int lhv_xhci_std(struct lhv_xhci *x, const struct xhci_xfer *xfer,
			enum lhv_xhci_req_kind kind, u8 arg1, u8 arg2)
{
	struct lhv_xhci_req *r;
	int err;

	r = lhv_xhci_req_new(x, xfer, false, &err);
	if (!r)
		return err;
	r->kind = kind;
	r->arg1 = arg1;
	r->arg2 = arg2;
	INIT_WORK(&r->work, lhv_xhci_std_work);
	lhv_xhci_req_track(x, r);
	queue_work(lhv_xhci_wq, &r->work);
	return 0;
}

int lhv_xhci_op_set_config(void *priv, const struct xhci_xfer *xfer, u8 value)
{
	return lhv_xhci_std(priv, xfer, LHV_XHCI_REQ_SET_CONFIG, value, 0);
}

int lhv_xhci_op_set_interface(void *priv, const struct xhci_xfer *xfer, u8 intf,
			      u8 alt)
{
	return lhv_xhci_std(priv, xfer, LHV_XHCI_REQ_SET_INTERFACE, intf, alt);
}

int lhv_xhci_op_clear_halt(void *priv, const struct xhci_xfer *xfer, u8 ep_addr)
{
	return lhv_xhci_std(priv, xfer, LHV_XHCI_REQ_CLEAR_HALT, ep_addr, 0);
}

/*
 * Unlinks the URB of TD id, or with gone the first URB on gone not
 * unlinked yet (then marked gone); its completion reports it as usual.
 * Returns whether there was one.
 */
static bool lhv_xhci_unlink(struct lhv_xhci *x, u32 id, struct usb_device *gone)
{
	struct lhv_xhci_req *r;
	struct urb *urb = NULL;

	spin_lock_irq(&x->usb.reqs_lock);
	list_for_each_entry (r, &x->usb.reqs, node) {
		if (!r->urb ||
		    (gone ? r->udev != gone || r->gone : r->id != id))
			continue;
		r->gone |= gone != NULL;
		urb = usb_get_urb(r->urb);
		break;
	}
	spin_unlock_irq(&x->usb.reqs_lock);
	if (!urb)
		return false;
	usb_unlink_urb(urb);
	usb_put_urb(urb);
	return true;
}

void lhv_xhci_op_cancel(void *priv, u32 id)
{
	if (!lhv_xhci_unlink(priv, id, NULL))
		lhv_xhci_isoch_cancel(priv, id);
}

/* The controller is stopped: wait until every request is over. */

/*
 * Whether a request on udev is still out; with NULL, whether any request
 * or isoch batch is (inflight counts both; both drop it under reqs_lock).
 */
static bool lhv_xhci_dev_busy(struct lhv_xhci *x, struct usb_device *udev)
{
	struct lhv_xhci_req *r;
	bool busy = false;

	spin_lock_irq(&x->usb.reqs_lock);
	if (!udev && atomic_read(&x->usb.inflight))
		busy = true;
	list_for_each_entry (r, &x->usb.reqs, node) {
		if (!udev || r->udev == udev) {
			busy = true;
			break;
		}
	}
	spin_unlock_irq(&x->usb.reqs_lock);
	return busy;
}

/*
 * udev left the guest (unplugged, released): its URBs end as USB
 * Transaction Errors, as on a real disconnect, and nothing of ours is
 * left on the device when this returns.
 */
void lhv_xhci_urbs_kill(struct lhv_xhci *x, struct usb_device *udev)
{
	while (lhv_xhci_unlink(x, 0, udev))
		;
	/* Standard requests in their work items end by themselves. */
	wait_event(x->usb.drained, !lhv_xhci_dev_busy(x, udev));
	lhv_xhci_isoch_kill(x, udev);
}

void lhv_xhci_urbs_drain(struct lhv_xhci *x)
{
	wait_event(x->usb.drained, !lhv_xhci_dev_busy(x, NULL));
}
