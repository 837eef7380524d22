// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * SOS USB ports given to guest port pairs (`lhvctl usb assign`,
 * docs/xhci.md "The kernel module"). A port is claimed on its hub as
 * usbfs and usbip-host claim ports, so a device plugged in there is
 * enumerated by the SOS but never configured for the SOS's own drivers
 * (usbcore leaves owned ports' devices alone). Its arrival and
 * departure, learnt from the USB notifier, become xhci_port_connect /
 * xhci_port_disconnect on the pair's USB 2 port, or its USB 3 port for a
 * SuperSpeed device. A device already there when the port is assigned
 * is taken over: its SOS drivers are unbound, it is reset, then shown.
 * A guest port reset becomes usb_reset_device in a work item.
 *
 * Lock order: a hub's or device's lock (usbcore holds them around the
 * notifier) before lhv_xhci_ports_lock before a controller's lock;
 * nothing takes a USB device lock while holding either of ours.
 * Assignments change under lhv_vm_lock (netlink, device and VM removal).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/notifier.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/usb.h>

#include "lhv.h"
#include "usb_port_map.h"
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

/* Shows udev on the guest port of p's pair that fits its speed. */
static void lhv_xhci_connect(struct lhv_xhci_port *p, struct usb_device *udev)
{
	struct lhv_xhci *x = p->x;
	u8 speed = lhv_xhci_speed(udev->speed);
	u8 port = usb_port_map_guest(p->pair, LHV_XHCI_USB2_PORTS,
				     speed >= XHCI_SPEED_SUPER);
	bool shown = false;

	if (!speed)
		return;
	mutex_lock(&x->lock);
	if (!p->udev && !p->adopting && !x->dying) {
		p->udev = usb_get_dev(udev);
		p->guest_port = port;
		xhci_port_connect(x->hc, port, speed);
		shown = true;
	}
	mutex_unlock(&x->lock);
	if (!shown)
		return;
	lhv_xhci_kick(x);
	dev_info(&udev->dev, "forwarded to %s/%s port %u\n", x->vm->name,
		 x->vdev.name, port);
}

/* udev leaves the guest (if it is p's); returns it, referenced. */
static struct usb_device *lhv_xhci_disconnect(struct lhv_xhci_port *p,
					      struct usb_device *udev)
{
	struct lhv_xhci *x = p->x;
	struct usb_device *gone = NULL;

	mutex_lock(&x->lock);
	if (p->udev && (!udev || p->udev == udev)) {
		if (!x->dying)
			xhci_port_disconnect(x->hc, p->guest_port);
		gone = p->udev;
		p->udev = NULL;
	}
	mutex_unlock(&x->lock);
	if (gone)
		lhv_xhci_kick(x);
	return gone;
}

static int lhv_xhci_usb_event(struct notifier_block *nb, unsigned long action,
			      void *data)
{
	struct usb_device *udev = data;
	struct lhv_xhci_port *p;

	if (action != USB_DEVICE_ADD && action != USB_DEVICE_REMOVE)
		return NOTIFY_DONE;
	mutex_lock(&lhv_xhci_ports_lock);
	list_for_each_entry (p, &lhv_xhci_ports, node) {
		if (udev->parent != p->hub || udev->portnum != p->hub_port)
			continue;
		/* usbcore ends the URBs of a device that goes. */
		if (action == USB_DEVICE_ADD)
			lhv_xhci_connect(p, udev);
		else
			usb_put_dev(lhv_xhci_disconnect(p, udev));
	}
	mutex_unlock(&lhv_xhci_ports_lock);
	return NOTIFY_OK;
}

static struct notifier_block lhv_xhci_usb_nb = {
	.notifier_call = lhv_xhci_usb_event,
};

/* The owner cookie usbcore keeps for a claimed port. */
static struct usb_dev_state *lhv_xhci_owner(struct lhv_xhci_port *p)
{
	return (struct usb_dev_state *)p;
}

/* The device on p's SOS port now, referenced, or NULL. */
static struct usb_device *lhv_xhci_child(struct lhv_xhci_port *p)
{
	struct usb_device *child;

	usb_lock_device(p->hub);
	child = usb_hub_find_child(p->hub, p->hub_port);
	child = child ? usb_get_dev(child) : NULL;
	usb_unlock_device(p->hub);
	return child;
}

/* ---- guest port reset ---- */

static void lhv_xhci_reset_work(struct work_struct *work)
{
	struct lhv_xhci_port *p =
		container_of(work, struct lhv_xhci_port, reset_work);
	struct lhv_xhci *x = p->x;
	struct usb_device *udev;
	int err = -ENODEV;
	u8 port;

	mutex_lock(&x->lock);
	udev = p->udev ? usb_get_dev(p->udev) : NULL;
	port = p->guest_port;
	mutex_unlock(&x->lock);
	if (udev) {
		err = usb_lock_device_for_reset(udev, NULL);
		if (!err) {
			err = usb_reset_device(udev);
			usb_unlock_device(udev);
		}
		if (err)
			dev_info(&udev->dev, "guest port reset failed: %d\n",
				 err);
	}
	mutex_lock(&x->lock);
	/* A disconnect meanwhile ended the reset already: a no-op then. */
	if (!x->dying && port)
		xhci_port_reset_done(x->hc, port, !err);
	mutex_unlock(&x->lock);
	lhv_xhci_kick(x);
	usb_put_dev(udev);
}

/*
 * The backend op: PORTSC.PR or WPR on a connected guest port. The SOS
 * resets the device (usbcore re-addresses it and restores its
 * configuration); the guest sees PRC when that is over.
 */
int lhv_xhci_op_port_reset(void *priv, u8 port, bool warm)
{
	struct lhv_xhci *x = priv;
	unsigned int pair = usb_port_map_pair(port, LHV_XHCI_USB2_PORTS);
	struct lhv_xhci_port *p = pair ? x->ports[pair] : NULL;

	lockdep_assert_held(&x->lock);
	if (!p || !p->udev || p->guest_port != port || x->dying)
		return -ENODEV;
	queue_work(lhv_xhci_wq, &p->reset_work);
	return 1;
}

struct usb_device *lhv_xhci_port_dev(struct lhv_xhci *x, u8 port)
{
	unsigned int pair = usb_port_map_pair(port, LHV_XHCI_USB2_PORTS);
	struct lhv_xhci_port *p = pair ? x->ports[pair] : NULL;

	lockdep_assert_held(&x->lock);
	return p && p->guest_port == port ? p->udev : NULL;
}

/* ---- assignment ---- */

struct lhv_xhci_port *lhv_xhci_port_find(const char *path)
{
	struct lhv_xhci_port *p;

	lockdep_assert_held(&lhv_vm_lock);
	list_for_each_entry (p, &lhv_xhci_ports, node)
		if (!strcmp(p->path, path))
			return p;
	return NULL;
}

struct lhv_xhci_port *lhv_xhci_port_next(struct lhv_xhci_port *p)
{
	if (!p)
		return list_first_entry_or_null(&lhv_xhci_ports,
						struct lhv_xhci_port, node);
	if (list_is_last(&p->node, &lhv_xhci_ports))
		return NULL;
	return list_next_entry(p, node);
}

static u32 lhv_xhci_busy_pairs(struct lhv_xhci *x)
{
	unsigned int i;
	u32 busy = 0;

	for (i = 1; i <= LHV_XHCI_USB2_PORTS; i++)
		if (x->ports[i])
			busy |= 1u << i;
	return busy;
}

/* The pair for guest_port (0: any); an extack and errno when none. */
static int lhv_xhci_pick_pair(struct lhv_xhci *x, unsigned int guest_port,
			      struct netlink_ext_ack *extack)
{
	int pair = usb_port_map_pick(guest_port, LHV_XHCI_USB2_PORTS,
				     lhv_xhci_busy_pairs(x));

	if (pair == -EINVAL)
		NL_SET_ERR_MSG(extack, "guest port: 1-4 (USB 2) or 5-8 "
				       "(USB 3, paired with port - 4)");
	else if (pair == -EBUSY && guest_port)
		NL_SET_ERR_MSG(extack, "guest port: that port pair is backed "
				       "by another SOS port already");
	else if (pair == -EBUSY)
		NL_SET_ERR_MSG(extack, "guest port: every port pair of this "
				       "controller is in use");
	return pair;
}

/* The hub of path, referenced, and the port on it; extack if none. */
static struct usb_device *lhv_xhci_find_hub(const char *path,
					    unsigned int *port,
					    struct netlink_ext_ack *extack)
{
	char hub_name[USB_PORT_PATH_MAX_LEN + 1];
	struct lhv_xhci_find f = { .name = hub_name };

	if (usb_port_path_parse(path, hub_name, sizeof(hub_name), port)) {
		NL_SET_ERR_MSG(extack,
			       "USB port: not <bus>-<port>[.<port>]...");
		return ERR_PTR(-EINVAL);
	}
	usb_for_each_dev(&f, lhv_xhci_match_dev);
	if (!f.found || *port > f.found->maxchild) {
		NL_SET_ERR_MSG(extack, "USB port: no such hub port in the SOS");
		usb_put_dev(f.found);
		return ERR_PTR(-ENOENT);
	}
	return f.found;
}

/*
 * A device that was on the port before it was claimed: its SOS drivers
 * go (a reprobe unconfigures it; the generic driver then leaves a device
 * on an owned port unconfigured), it is reset, then the guest sees it.
 */
static void lhv_xhci_adopt(struct lhv_xhci_port *p, struct usb_device *udev)
{
	int err;

	mutex_lock(&p->x->lock);
	p->adopting = true;
	mutex_unlock(&p->x->lock);
	err = device_reprobe(&udev->dev);
	if (!err)
		err = usb_lock_device_for_reset(udev, NULL);
	if (!err) {
		err = usb_reset_device(udev);
		usb_unlock_device(udev);
	}
	if (err)
		dev_warn(&udev->dev, "taking it over for the guest: %d\n", err);
	else
		dev_info(&udev->dev, "SOS drivers unbound, reset\n");
	mutex_lock(&p->x->lock);
	p->adopting = false;
	mutex_unlock(&p->x->lock);
}

struct lhv_xhci_port *lhv_xhci_port_assign(struct lhv_xhci *x, const char *path,
					   unsigned int guest_port,
					   struct netlink_ext_ack *extack)
{
	struct lhv_xhci_port *p, *other;
	struct usb_device *hub, *child;
	unsigned int hub_port;
	int pair, err;

	lockdep_assert_held(&lhv_vm_lock);
	hub = lhv_xhci_find_hub(path, &hub_port, extack);
	if (IS_ERR(hub))
		return ERR_CAST(hub);
	err = -EBUSY;
	list_for_each_entry (other, &lhv_xhci_ports, node) {
		if (other->hub != hub || other->hub_port != hub_port)
			continue;
		if (other->x == x)
			NL_SET_ERR_MSG(extack, "USB port: assigned to this "
					       "controller already");
		else if (other->x->vm == x->vm)
			NL_SET_ERR_MSG(extack, "USB port: assigned to another "
					       "controller of this VM");
		else
			NL_SET_ERR_MSG(extack,
				       "USB port: assigned to another VM");
		goto err_hub;
	}
	pair = lhv_xhci_pick_pair(x, guest_port, extack);
	err = pair;
	if (pair < 0)
		goto err_hub;
	err = -ENOMEM;
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		goto err_hub;
	p->x = x;
	p->hub = hub;
	p->hub_port = hub_port;
	p->pair = pair;
	strscpy(p->path, path, sizeof(p->path));
	INIT_WORK(&p->reset_work, lhv_xhci_reset_work);

	usb_lock_device(hub);
	err = usb_hub_claim_port(hub, hub_port, lhv_xhci_owner(p));
	usb_unlock_device(hub);
	if (err) {
		NL_SET_ERR_MSG(extack, "USB port: claimed by someone else "
				       "(usbfs, usbip)");
		kfree(p);
		goto err_hub;
	}
	/*
	 * Only what was there before the claim is the SOS's to take back;
	 * a device plugged in from here on was never configured by the SOS
	 * and goes to the guest as it is (the notifier or the check below).
	 */
	child = lhv_xhci_child(p);
	mutex_lock(&x->lock);
	x->ports[pair] = p;
	mutex_unlock(&x->lock);
	mutex_lock(&lhv_xhci_ports_lock);
	list_add_tail(&p->node, &lhv_xhci_ports);
	mutex_unlock(&lhv_xhci_ports_lock);

	if (child)
		lhv_xhci_adopt(p, child);
	usb_put_dev(child);
	/* Whatever is there now (a plug-in meanwhile went unseen). */
	child = lhv_xhci_child(p);
	if (child)
		lhv_xhci_connect(p, child);
	usb_put_dev(child);
	return p;

err_hub:
	usb_put_dev(hub);
	return ERR_PTR(err);
}

/*
 * The port goes back to the SOS: the guest sees a disconnect, the
 * device's requests end, the port is released and a device there gets
 * the SOS's drivers again.
 */
void lhv_xhci_port_release(struct lhv_xhci_port *p)
{
	struct lhv_xhci *x = p->x;
	struct usb_device *udev;

	lockdep_assert_held(&lhv_vm_lock);
	mutex_lock(&lhv_xhci_ports_lock);
	list_del(&p->node);
	mutex_unlock(&lhv_xhci_ports_lock);
	udev = lhv_xhci_disconnect(p, NULL);
	mutex_lock(&x->lock);
	x->ports[p->pair] = NULL;
	mutex_unlock(&x->lock);
	cancel_work_sync(&p->reset_work);
	if (udev)
		lhv_xhci_urbs_kill(x, udev);
	usb_put_dev(udev);

	usb_lock_device(p->hub);
	usb_hub_release_port(p->hub, p->hub_port, lhv_xhci_owner(p));
	usb_unlock_device(p->hub);
	udev = lhv_xhci_child(p);
	if (udev) {
		/* The generic driver configures it again for the SOS. */
		if (device_reprobe(&udev->dev))
			dev_warn(&udev->dev, "not given back to the SOS\n");
		else
			dev_info(&udev->dev, "given back to the SOS\n");
		usb_put_dev(udev);
	}
	usb_put_dev(p->hub);
	kfree(p);
}

void lhv_xhci_usb_init(void)
{
	usb_register_notify(&lhv_xhci_usb_nb);
}

void lhv_xhci_usb_exit(void)
{
	usb_unregister_notify(&lhv_xhci_usb_nb);
}
