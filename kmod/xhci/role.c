// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The SOS side of the DRD capability (docs/xhci.md, "Dual role"): the
 * usb_role_switch a controller drives, named at DEV_ADD by its software
 * node (LHV_XHCI_ATTR_ROLE_SWITCH), and the work item that carries out
 * the roles the guest writes. usb_role_switch_set_role sleeps (the switch
 * may reconfigure a PHY or a mux for hundreds of ms), so the core's
 * role_set op only records the latest request and queues the work; the
 * work sets the role without the controller lock and reports the
 * switch's role back through xhci_drd_role_done.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/netlink.h>
#include <linux/property.h>
#include <linux/string.h>
#include <linux/usb/role.h>

#include "lhv.h"
#include "xhci.h"

/* The controllers holding a switch: one switch, one controller. */
static DEFINE_MUTEX(lhv_xhci_roles_lock);
static LIST_HEAD(lhv_xhci_roles);

static enum usb_role lhv_xhci_usb_role(unsigned int role)
{
	switch (role) {
	case XHCI_ROLE_HOST:
		return USB_ROLE_HOST;
	case XHCI_ROLE_DEVICE:
		return USB_ROLE_DEVICE;
	default:
		return USB_ROLE_NONE;
	}
}

static unsigned int lhv_xhci_core_role(enum usb_role role)
{
	switch (role) {
	case USB_ROLE_HOST:
		return XHCI_ROLE_HOST;
	case USB_ROLE_DEVICE:
		return XHCI_ROLE_DEVICE;
	default:
		return XHCI_ROLE_NONE;
	}
}

/* Carries out the latest request; a newer one queues the work again. */
static void lhv_xhci_role_work(struct work_struct *work)
{
	struct lhv_xhci *x = container_of(work, struct lhv_xhci, role.work);
	unsigned int want;
	enum usb_role now;
	u32 seq;
	int err;

	mutex_lock(&x->lock);
	want = x->role.want;
	seq = x->role.seq;
	mutex_unlock(&x->lock);

	err = usb_role_switch_set_role(x->role.sw, lhv_xhci_usb_role(want));
	now = usb_role_switch_get_role(x->role.sw);
	if (err)
		pr_warn_ratelimited("%s: role switch %s refused role %s: %d\n",
				    x->vdev.name, x->role.name,
				    usb_role_string(lhv_xhci_usb_role(want)),
				    err);

	mutex_lock(&x->lock);
	xhci_drd_role_done(x->hc, seq, lhv_xhci_core_role(now), !err);
	mutex_unlock(&x->lock);
}

/* The core's role_set op (controller lock held): record and queue. */
void lhv_xhci_op_role_set(void *priv, unsigned int role, u32 seq)
{
	struct lhv_xhci *x = priv;

	lockdep_assert_held(&x->lock);
	x->role.want = role;
	x->role.seq = seq;
	queue_work(lhv_xhci_wq, &x->role.work);
}

/*
 * Finds the switch on the software node called name and holds it (a
 * reference to its device and its module) until lhv_xhci_role_put; a
 * switch another controller holds is refused.
 */
int lhv_xhci_role_get(struct lhv_xhci *x, const char *name,
		      struct netlink_ext_ack *extack)
{
	const struct software_node *node;
	struct fwnode_handle *fwnode;
	struct usb_role_switch *sw;
	struct lhv_xhci *other;

	INIT_WORK(&x->role.work, lhv_xhci_role_work);
	node = software_node_find_by_name(NULL, name);
	if (!node) {
		NL_SET_ERR_MSG(extack, "no software node of that name "
				       "(the role switch's firmware node)");
		return -ENODEV;
	}
	fwnode = software_node_fwnode(node);
	sw = usb_role_switch_find_by_fwnode(fwnode);
	/* software_node_find_by_name took a reference to the node. */
	fwnode_handle_put(fwnode);
	if (!sw) {
		NL_SET_ERR_MSG(extack,
			       "no USB role switch on that software node");
		return -ENODEV;
	}
	mutex_lock(&lhv_xhci_roles_lock);
	list_for_each_entry (other, &lhv_xhci_roles, role.node) {
		if (other->role.sw == sw) {
			mutex_unlock(&lhv_xhci_roles_lock);
			usb_role_switch_put(sw);
			NL_SET_ERR_MSG(extack, "another xHCI controller drives "
					       "that role switch");
			return -EBUSY;
		}
	}
	x->role.sw = sw;
	list_add(&x->role.node, &lhv_xhci_roles);
	mutex_unlock(&lhv_xhci_roles_lock);
	strscpy(x->role.name, name, sizeof(x->role.name));
	return 0;
}

/* The controller is set up: the guest starts from the switch's role. */
void lhv_xhci_role_start(struct lhv_xhci *x)
{
	enum usb_role now;

	if (!x->role.sw)
		return;
	now = usb_role_switch_get_role(x->role.sw);
	mutex_lock(&x->lock);
	xhci_drd_role_now(x->hc, lhv_xhci_core_role(now));
	mutex_unlock(&x->lock);
}

/*
 * The switch's role as the core knows it, for DEV_GET: one byte read
 * without the controller lock, which DEV_GET must not take under the
 * VM's device lock.
 */
unsigned int lhv_xhci_role_now(struct lhv_xhci *x)
{
	return READ_ONCE(x->hc->drd.actual);
}

/*
 * Off the bus already (no more requests): waits for the work, then lets
 * the switch go. Its role stays as the guest left it.
 */
void lhv_xhci_role_put(struct lhv_xhci *x)
{
	if (!x->role.sw)
		return;
	cancel_work_sync(&x->role.work);
	mutex_lock(&lhv_xhci_roles_lock);
	list_del(&x->role.node);
	mutex_unlock(&lhv_xhci_roles_lock);
	usb_role_switch_put(x->role.sw);
	x->role.sw = NULL;
}
