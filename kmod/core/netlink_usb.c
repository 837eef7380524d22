// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * LHV_CMD_USB_ASSIGN, USB_RELEASE and USB_GET of the "lhv" family (ABI
 * in uapi/lhv/netlink.h, docs/netlink.md): giving SOS USB ports to the
 * xHCI controllers of user VMs. The ports belong to lhv_xhci; this file
 * checks the request, finds the VM, loads the backend when a port is
 * assigned and holds the locks device changes take, then hands over.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kmod.h>
#include <net/genetlink.h>

#include "compat.h"
#include "lhv.h"
#include "lhv_vdev.h"

const struct nla_policy lhv_usb_assign_policy[LHV_ATTR_MAX + 1] = {
	[LHV_ATTR_VM_NAME] = { .type = NLA_NUL_STRING, .len = LHV_VM_NAME_MAX },
	[LHV_ATTR_DEV_NAME] = { .type = NLA_NUL_STRING,
				.len = LHV_DEV_NAME_MAX - 1 },
	[LHV_ATTR_USB_PORT] = { .type = NLA_NUL_STRING,
				.len = LHV_XHCI_USB_PORT_MAX - 1 },
	[LHV_ATTR_USB_GUEST_PORT] = { .type = NLA_U32 },
};

const struct nla_policy lhv_usb_release_policy[LHV_ATTR_MAX + 1] = {
	[LHV_ATTR_USB_PORT] = { .type = NLA_NUL_STRING,
				.len = LHV_XHCI_USB_PORT_MAX - 1 },
};

const struct nla_policy lhv_usb_get_policy[LHV_ATTR_MAX + 1] = {
	[LHV_ATTR_VM_NAME] = { .type = NLA_NUL_STRING, .len = LHV_VM_NAME_MAX },
};

/* lhv_xhci with a reference, loaded first if load; NULL if absent. */
static const struct lhv_backend *lhv_nl_usb_backend(bool load)
{
	const struct lhv_backend *b;

	b = lhv_backend_get(LHV_DEV_XHCI);
	if (!b && load) {
		request_module("lhv-dev-xhci");
		b = lhv_backend_get(LHV_DEV_XHCI);
	}
	if (b && !b->usb_assign) {
		lhv_backend_put(b);
		b = NULL;
	}
	return b;
}

int lhv_nl_usb_assign(struct sk_buff *skb, struct genl_info *info)
{
	const struct lhv_backend *b;
	struct lhv_vm *vm;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, LHV_ATTR_VM_NAME)) {
		GENL_SET_ERR_MSG(info, "VM name (LHV_ATTR_VM_NAME) required");
		return -EINVAL;
	}
	if (GENL_REQ_ATTR_CHECK(info, LHV_ATTR_USB_PORT)) {
		GENL_SET_ERR_MSG(info, "SOS USB port (LHV_ATTR_USB_PORT) "
				       "required");
		return -EINVAL;
	}
	b = lhv_nl_usb_backend(true);
	if (!b) {
		GENL_SET_ERR_MSG(info, "no xHCI backend (modprobe lhv_xhci)");
		return -ENODEV;
	}
	mutex_lock(&lhv_dev_mutex);
	mutex_lock(&lhv_vm_lock);
	vm = lhv_nl_vm_lookup(info);
	err = vm ? b->usb_assign(vm, info) : -ENOENT;
	mutex_unlock(&lhv_vm_lock);
	mutex_unlock(&lhv_dev_mutex);
	lhv_backend_put(b);
	return err;
}

int lhv_nl_usb_release(struct sk_buff *skb, struct genl_info *info)
{
	const struct lhv_backend *b;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, LHV_ATTR_USB_PORT)) {
		GENL_SET_ERR_MSG(info, "SOS USB port (LHV_ATTR_USB_PORT) "
				       "required");
		return -EINVAL;
	}
	/* Without lhv_xhci no port can be assigned. */
	b = lhv_nl_usb_backend(false);
	if (!b) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[LHV_ATTR_USB_PORT],
				    "USB port: not assigned to any VM");
		return -ENOENT;
	}
	mutex_lock(&lhv_dev_mutex);
	mutex_lock(&lhv_vm_lock);
	err = b->usb_release(info);
	mutex_unlock(&lhv_vm_lock);
	mutex_unlock(&lhv_dev_mutex);
	lhv_backend_put(b);
	return err;
}

int lhv_nl_usb_get(struct sk_buff *skb, struct genl_info *info)
{
	GENL_SET_ERR_MSG(info, "USB port list is a dump request (NLM_F_DUMP)");
	return -EOPNOTSUPP;
}

int lhv_nl_usb_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nlattr **attrs = lhv_genl_dump_attrs(cb);
	const char *vm_name = NULL;
	const struct lhv_backend *b;
	int ret;

	if (attrs && attrs[LHV_ATTR_VM_NAME])
		vm_name = nla_data(attrs[LHV_ATTR_VM_NAME]);
	b = lhv_nl_usb_backend(false);
	if (!b)
		return 0; /* no lhv_xhci: nothing assigned */
	mutex_lock(&lhv_vm_lock);
	ret = b->usb_dump(skb, cb, vm_name);
	mutex_unlock(&lhv_vm_lock);
	lhv_backend_put(b);
	return ret;
}
