// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The SOS USB port a controller forwards (LHV_XHCI_ATTR_USB_PORT): the
 * port is claimed on its hub as usbfs and usbip-host claim ports, so a
 * device plugged in there is enumerated by the SOS but never configured
 * for the SOS's own drivers (usbcore leaves owned ports' devices alone).
 * Its arrival and departure, learnt from the USB notifier, become
 * xhci_port_connect / xhci_port_disconnect on the controller's first USB
 * 2 port, or first USB 3 port for a SuperSpeed device.
 *
 * Lock order: a hub's device lock (usbcore holds it around the notifier)
 * before lhv_xhci_ports_lock before a controller's lock; nothing here
 * takes a USB device lock while holding either of ours.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/notifier.h>
#include <linux/string.h>
#include <linux/usb.h>

#include "lhv.h"
#include "usb_port_path.h"
#include "xhci.h"

static DEFINE_MUTEX(lhv_xhci_ports_lock); /* lhv_xhci_ports */
static LIST_HEAD(lhv_xhci_ports);

struct lhv_xhci_find {
	const char *name;
	struct usb_device *found;
};

static int lhv_xhci_match_dev(struct usb_device *udev, void *data)
{
	struct lhv_xhci_find *f = data;

	if (strcmp(dev_name(&udev->dev), f->name))
		return 0;
	f->found = usb_get_dev(udev);
	return 1;
}

static u8 lhv_xhci_speed(enum usb_device_speed speed)
{
	switch (speed) {
	case USB_SPEED_LOW:
		return XHCI_SPEED_LOW;
	case USB_SPEED_FULL:
		return XHCI_SPEED_FULL;
	case USB_SPEED_HIGH:
		return XHCI_SPEED_HIGH;
	case USB_SPEED_SUPER:
		return XHCI_SPEED_SUPER;
	case USB_SPEED_SUPER_PLUS:
		return XHCI_SPEED_SUPER_PLUS;
	default:
		return 0; /* wireless and unknown: not forwarded */
	}
}

static void lhv_xhci_connect(struct lhv_xhci *x, struct usb_device *udev)
{
	u8 speed = lhv_xhci_speed(udev->speed);
	u8 port = speed >= XHCI_SPEED_SUPER ? LHV_XHCI_USB2_PORTS + 1 : 1;

	if (!speed)
		return;
	mutex_lock(&x->lock);
	if (!x->usb.udev && !x->dying) {
		x->usb.udev = usb_get_dev(udev);
		x->usb.guest_port = port;
		xhci_port_connect(x->hc, port, speed);
	}
	mutex_unlock(&x->lock);
	lhv_xhci_kick(x);
	dev_info(&udev->dev, "forwarded to %s/%s port %u\n", x->vm->name,
		 x->vdev.name, port);
}

static void lhv_xhci_disconnect(struct lhv_xhci *x, struct usb_device *udev)
{
	struct usb_device *gone = NULL;

	mutex_lock(&x->lock);
	if (x->usb.udev == udev) {
		xhci_port_disconnect(x->hc, x->usb.guest_port);
		gone = x->usb.udev;
		x->usb.udev = NULL;
	}
	mutex_unlock(&x->lock);
	lhv_xhci_kick(x);
	usb_put_dev(gone);
}

static int lhv_xhci_usb_event(struct notifier_block *nb, unsigned long action,
			      void *data)
{
	struct usb_device *udev = data;
	struct lhv_xhci *x;

	if (action != USB_DEVICE_ADD && action != USB_DEVICE_REMOVE)
		return NOTIFY_DONE;
	mutex_lock(&lhv_xhci_ports_lock);
	list_for_each_entry (x, &lhv_xhci_ports, usb.node) {
		if (udev->parent != x->usb.hub ||
		    udev->portnum != x->usb.hub_port)
			continue;
		if (action == USB_DEVICE_ADD)
			lhv_xhci_connect(x, udev);
		else
			lhv_xhci_disconnect(x, udev);
	}
	mutex_unlock(&lhv_xhci_ports_lock);
	return NOTIFY_OK;
}

static struct notifier_block lhv_xhci_usb_nb = {
	.notifier_call = lhv_xhci_usb_event,
};

/* The owner cookie usbcore keeps for a claimed port. */
static struct usb_dev_state *lhv_xhci_owner(struct lhv_xhci *x)
{
	return (struct usb_dev_state *)x;
}

int lhv_xhci_port_claim(struct lhv_xhci *x, const char *path,
			struct netlink_ext_ack *extack)
{
	char hub_name[USB_PORT_PATH_MAX_LEN + 1];
	struct lhv_xhci_find f = { .name = hub_name };
	struct usb_device *child;
	unsigned int port;
	int err;

	if (usb_port_path_parse(path, hub_name, sizeof(hub_name), &port)) {
		NL_SET_ERR_MSG(extack,
			       "USB port: not <bus>-<port>[.<port>]...");
		return -EINVAL;
	}
	usb_for_each_dev(&f, lhv_xhci_match_dev);
	if (!f.found || port > f.found->maxchild) {
		NL_SET_ERR_MSG(extack, "USB port: no such hub port in the SOS");
		usb_put_dev(f.found);
		return -ENOENT;
	}
	usb_lock_device(f.found);
	child = usb_hub_find_child(f.found, port);
	err = child ? -EBUSY
		    : usb_hub_claim_port(f.found, port, lhv_xhci_owner(x));
	usb_unlock_device(f.found);
	if (err) {
		if (child)
			NL_SET_ERR_MSG(extack, "USB port: a device is plugged "
					       "in there; unplug it first");
		else
			NL_SET_ERR_MSG(extack, "USB port: claimed already");
		usb_put_dev(f.found);
		return err;
	}
	x->usb.hub = f.found;
	x->usb.hub_port = port;
	strscpy(x->usb.path, path, sizeof(x->usb.path));
	mutex_lock(&lhv_xhci_ports_lock);
	list_add_tail(&x->usb.node, &lhv_xhci_ports);
	mutex_unlock(&lhv_xhci_ports_lock);
	return 0;
}

/* No more connects; the controller is stopped, its URBs are done. */
void lhv_xhci_port_unlist(struct lhv_xhci *x)
{
	if (!x->usb.hub)
		return;
	mutex_lock(&lhv_xhci_ports_lock);
	list_del(&x->usb.node);
	mutex_unlock(&lhv_xhci_ports_lock);
}

/* Gives the port back; a device there gets the SOS's drivers again. */
void lhv_xhci_port_release(struct lhv_xhci *x)
{
	struct usb_device *hub = x->usb.hub, *udev;

	if (!hub)
		return;
	usb_lock_device(hub);
	usb_hub_release_port(hub, x->usb.hub_port, lhv_xhci_owner(x));
	udev = usb_hub_find_child(hub, x->usb.hub_port);
	udev = udev ? usb_get_dev(udev) : NULL;
	usb_unlock_device(hub);
	if (udev) {
		/* The generic driver configures it again for the SOS. */
		if (device_reprobe(&udev->dev))
			dev_warn(&udev->dev, "not given back to the SOS\n");
		usb_put_dev(udev);
	}
	usb_put_dev(x->usb.udev);
	x->usb.udev = NULL;
	usb_put_dev(hub);
	x->usb.hub = NULL;
}

void lhv_xhci_usb_init(void)
{
	usb_register_notify(&lhv_xhci_usb_nb);
}

void lhv_xhci_usb_exit(void)
{
	usb_unregister_notify(&lhv_xhci_usb_nb);
}
