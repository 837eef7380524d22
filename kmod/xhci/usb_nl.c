// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * LHV_CMD_USB_ASSIGN, USB_RELEASE and USB_GET as lhv.ko hands them over
 * (kmod/core/netlink_usb.c checked the required attributes and holds
 * lhv_vm_lock): finding the controller, the replies, the list.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/usb.h>
#include <net/genetlink.h>

#include "lhv.h"
#include "usb_port_path.h"
#include "xhci.h"

/* The VM's controller named name (NULL: its first); extack if none. */
static struct lhv_xhci *lhv_xhci_nl_controller(struct lhv_vm *vm,
					       struct genl_info *info)
{
	struct nlattr *attr = info->attrs[LHV_ATTR_DEV_NAME];
	const char *name = attr ? nla_data(attr) : NULL;
	struct lhv_vdev *vdev, *found = NULL;

	mutex_lock(&vm->dev_lock);
	list_for_each_entry (vdev, &vm->devs, vm_node) {
		if (!vdev->backend || vdev->backend->type != LHV_DEV_XHCI)
			continue;
		if (!name || !strcmp(vdev->name, name)) {
			found = vdev;
			break;
		}
	}
	mutex_unlock(&vm->dev_lock);
	if (found)
		return container_of(found, struct lhv_xhci, vdev);
	if (name)
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "no xHCI controller of that name on "
				    "this VM");
	else
		NL_SET_ERR_MSG(info->extack, "this VM has no xHCI controller "
					     "(lhvctl xhci add)");
	return NULL;
}

/* One assigned port, as in the ASSIGN reply and each GET message. */
static int lhv_xhci_nl_put(struct sk_buff *msg, u32 portid, u32 seq, int flags,
			   u8 cmd, struct lhv_xhci_port *p)
{
	struct lhv_xhci *x = p->x;
	struct usb_device *udev;
	void *hdr;
	int err = 0;

	hdr = genlmsg_put(msg, portid, seq, &lhv_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_string(msg, LHV_ATTR_VM_NAME, x->vm->name) ||
	    nla_put_u32(msg, LHV_ATTR_DEV_ID, x->vdev.id) ||
	    nla_put_string(msg, LHV_ATTR_DEV_NAME, x->vdev.name) ||
	    nla_put_string(msg, LHV_ATTR_USB_PORT, p->path) ||
	    nla_put_u32(msg, LHV_ATTR_USB_GUEST_PORT, p->pair) ||
	    nla_put_u32(msg, LHV_ATTR_USB_GUEST_PORT_SS,
			p->pair + LHV_XHCI_USB2_PORTS))
		goto cancel;
	mutex_lock(&x->lock);
	udev = p->udev;
	if (udev && (nla_put_u32(msg, LHV_ATTR_USB_DEV_PORT, p->guest_port) ||
		     nla_put_u32(msg, LHV_ATTR_USB_DEV_SPEED, udev->speed) ||
		     nla_put_u32(msg, LHV_ATTR_USB_DEV_VENDOR,
				 le16_to_cpu(udev->descriptor.idVendor)) ||
		     nla_put_u32(msg, LHV_ATTR_USB_DEV_PRODUCT,
				 le16_to_cpu(udev->descriptor.idProduct))))
		err = -EMSGSIZE;
	mutex_unlock(&x->lock);
	if (err)
		goto cancel;
	genlmsg_end(msg, hdr);
	return 0;

cancel:
	genlmsg_cancel(msg, hdr);
	return -EMSGSIZE;
}

int lhv_xhci_nl_assign(struct lhv_vm *vm, struct genl_info *info)
{
	struct nlattr *guest = info->attrs[LHV_ATTR_USB_GUEST_PORT];
	unsigned int guest_port = 0;
	struct lhv_xhci_port *p;
	struct lhv_xhci *x;
	struct sk_buff *msg;
	int err;

	if (!vm->uvm) {
		GENL_SET_ERR_MSG(info, "USB ports go to user VMs only");
		return -EOPNOTSUPP;
	}
	x = lhv_xhci_nl_controller(vm, info);
	if (!x)
		return -ENOENT;
	if (guest) {
		guest_port = nla_get_u32(guest);
		/* 0 would mean "any": a request naming it is out of range. */
		if (!guest_port) {
			NL_SET_ERR_MSG_ATTR(info->extack, guest,
					    "guest port: 1-4 (USB 2) or 5-8 "
					    "(USB 3)");
			return -EINVAL;
		}
	}
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	p = lhv_xhci_port_assign(x, nla_data(info->attrs[LHV_ATTR_USB_PORT]),
				 guest_port, info->extack);
	if (IS_ERR(p)) {
		nlmsg_free(msg);
		return PTR_ERR(p);
	}
	err = lhv_xhci_nl_put(msg, info->snd_portid, info->snd_seq, 0,
			      LHV_CMD_USB_ASSIGN, p);
	if (err) {
		/* Nobody would learn where it went: give it back. */
		GENL_SET_ERR_MSG(info, "reply too large; port released");
		lhv_xhci_port_release(p);
		nlmsg_free(msg);
		return err;
	}
	pr_info("%s/%s: SOS USB port %s on guest ports %u/%u\n", vm->name,
		x->vdev.name, p->path, p->pair, p->pair + LHV_XHCI_USB2_PORTS);
	return genlmsg_reply(msg, info);
}

int lhv_xhci_nl_release(struct genl_info *info)
{
	struct nlattr *attr = info->attrs[LHV_ATTR_USB_PORT];
	char hub[USB_PORT_PATH_MAX_LEN + 1];
	struct lhv_xhci_port *p;
	unsigned int port;

	/* Accepted paths are canonical: equal strings, the same port. */
	if (usb_port_path_parse(nla_data(attr), hub, sizeof(hub), &port)) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "USB port: not <bus>-<port>[.<port>]...");
		return -EINVAL;
	}
	p = lhv_xhci_port_find(nla_data(attr));
	if (!p) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "USB port: not assigned to any VM");
		return -ENOENT;
	}
	pr_info("%s/%s: SOS USB port %s released\n", p->x->vm->name,
		p->x->vdev.name, p->path);
	lhv_xhci_port_release(p);
	return 0;
}

/* cb->args[0]: how many ports (of the filter) were sent already. */
int lhv_xhci_nl_dump(struct sk_buff *skb, struct netlink_callback *cb,
		     const char *vm_name)
{
	struct lhv_xhci_port *p = NULL;
	long n = 0;
	int err = 0;

	while ((p = lhv_xhci_port_next(p))) {
		if (vm_name && strcmp(p->x->vm->name, vm_name))
			continue;
		if (n++ < cb->args[0])
			continue;
		err = lhv_xhci_nl_put(skb, NETLINK_CB(cb->skb).portid,
				      cb->nlh->nlmsg_seq, NLM_F_MULTI,
				      LHV_CMD_USB_GET, p);
		if (err) {
			n--;
			break;
		}
	}
	cb->args[0] = n;
	if (err && !skb->len)
		return err;
	return skb->len;
}
