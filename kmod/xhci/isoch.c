// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Isochronous TDs as isochronous URBs (docs/xhci.md, "Isochronous"). urb.c
 * makes the request and its bounce buffer as for bulk; this file lays
 * the TD out as the URB's packets (one per service interval, normally
 * one: xhci_hcd puts one packet of its URBs in each TD), chooses the
 * start (URB_ISO_ASAP for SIA, else the SOS frame the TD's Frame ID
 * maps to) and, at completion, sums the packets, moves IN data together
 * and turns the packets' status into the TD's. Counters under
 * /sys/class/lhv/<vm>/xhci<N>/isoch/.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kobject.h>
#include <linux/sysfs.h>
#include <linux/usb.h>

#include "xhci.h"
#include "xhci_isoch.h"

int lhv_xhci_isoch_packets(const struct xhci_xfer *xfer)
{
	struct xhci_isoch_packet pk[XHCI_ISOCH_MAX_PACKETS];
	unsigned int n;

	n = xhci_isoch_layout(xfer->len, xfer->isoch_esit, pk,
			      XHCI_ISOCH_MAX_PACKETS);
	return n ? n : -EMSGSIZE;
}

/* urb->interval: frames (full speed) or microframes, from bInterval. */
static int lhv_xhci_isoch_interval(const struct usb_endpoint_descriptor *d)
{
	return 1 << (clamp_t(int, d->bInterval, 1, 16) - 1);
}

void lhv_xhci_isoch_fill(struct urb *urb, struct usb_device *udev,
			 const struct usb_host_endpoint *ep,
			 const struct xhci_xfer *xfer, void *buf,
			 void (*done)(struct urb *urb), void *ctx)
{
	struct xhci_isoch_packet pk[XHCI_ISOCH_MAX_PACKETS];
	unsigned int num = usb_endpoint_num(&ep->desc);
	unsigned int n, i;

	n = xhci_isoch_layout(xfer->len, xfer->isoch_esit, pk,
			      XHCI_ISOCH_MAX_PACKETS);
	urb->dev = udev;
	urb->pipe = xfer->in ? usb_rcvisocpipe(udev, num)
			     : usb_sndisocpipe(udev, num);
	urb->transfer_buffer = buf;
	urb->transfer_buffer_length = xfer->len;
	urb->complete = done;
	urb->context = ctx;
	urb->interval = lhv_xhci_isoch_interval(&ep->desc);
	urb->number_of_packets = n;
	for (i = 0; i < n; i++) {
		urb->iso_frame_desc[i].offset = pk[i].offset;
		urb->iso_frame_desc[i].length = pk[i].len;
	}
	if (xfer->isoch_asap) {
		urb->transfer_flags = URB_ISO_ASAP;
	} else {
		/*
		 * The guest's frame is frame_delay frames ahead: the same
		 * distance on the SOS bus. An SOS xhci_hcd without CFC
		 * starts at its next frame anyway; others honour it.
		 */
		urb->start_frame =
			usb_get_current_frame_number(udev) + xfer->frame_delay;
	}
}

/* The URB of an isoch TD completed (interrupt context). */
void lhv_xhci_isoch_result(struct lhv_xhci *x, struct urb *urb, bool in,
			   int *status, u32 *actual)
{
	struct lhv_xhci_isoch *st = &x->isoch;
	u32 moved = 0, n;
	int err = 0, i;
	int missed = 0;
	u8 *buf = urb->transfer_buffer;

	for (i = 0; i < urb->number_of_packets; i++) {
		const struct usb_iso_packet_descriptor *d =
			&urb->iso_frame_desc[i];

		n = min(d->actual_length, d->length);
		if (d->status == -EXDEV)
			missed++;
		else if (d->status && d->status != -EREMOTEIO && !err)
			err = d->status;
		/* The TD's data is contiguous in the guest: close gaps. */
		if (in && n && d->offset != moved)
			memmove(buf + moved, buf + d->offset, n);
		moved += n;
	}
	atomic64_inc(&st->urbs);
	atomic64_add(urb->number_of_packets, &st->packets);
	atomic64_add(moved, &st->bytes);
	atomic64_add(missed, &st->missed);
	if (urb->status)
		*status = urb->status; /* unlinked, device gone */
	else if (err)
		*status = err;
	else if (missed && !moved)
		*status = -EXDEV; /* Missed Service */
	else
		*status = 0;
	if (*status && *status != -EXDEV)
		atomic64_inc(&st->errors);
	*actual = moved;
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

static struct attribute *lhv_xhci_isoch_attrs[] = {
	&urbs_attr.attr,   &packets_attr.attr, &bytes_attr.attr,
	&missed_attr.attr, &errors_attr.attr,  NULL,
};

static const struct attribute_group lhv_xhci_isoch_group = {
	.attrs = lhv_xhci_isoch_attrs,
};

/* After the controller's vdev is registered (its kobject exists). */
int lhv_xhci_isoch_sysfs_add(struct lhv_xhci *x)
{
	struct kobject *kobj;
	int err;

	kobj = kobject_create_and_add("isoch", &x->vdev.kobj);
	if (!kobj)
		return -ENOMEM;
	err = sysfs_create_group(kobj, &lhv_xhci_isoch_group);
	if (err) {
		kobject_put(kobj);
		return err;
	}
	x->isoch.kobj = kobj;
	return 0;
}

void lhv_xhci_isoch_sysfs_del(struct lhv_xhci *x)
{
	if (!x->isoch.kobj)
		return;
	sysfs_remove_group(x->isoch.kobj, &lhv_xhci_isoch_group);
	kobject_put(x->isoch.kobj);
	x->isoch.kobj = NULL;
}
