// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * LHV_CMD_DEV_ADD, DEV_DEL and DEV_GET of the "lhv" family (ABI in
 * uapi/lhv/netlink.h, docs/netlink.md). The type-specific configuration is
 * parsed here against the backend's own policy, so a backend's create()
 * only ever sees validated attributes.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kmod.h>
#include <linux/slab.h>
#include <net/genetlink.h>

#include "compat.h"
#include "lhv.h"
#include "lhv_vdev.h"

const struct nla_policy lhv_dev_add_policy[LHV_ATTR_MAX + 1] = {
	[LHV_ATTR_VM_NAME] = { .type = NLA_NUL_STRING, .len = LHV_VM_NAME_MAX },
	[LHV_ATTR_DEV_TYPE] = { .type = NLA_U32 },
	[LHV_ATTR_DEV_CONFIG] = { .type = NLA_NESTED },
};

const struct nla_policy lhv_dev_del_policy[LHV_ATTR_MAX + 1] = {
	[LHV_ATTR_VM_NAME] = { .type = NLA_NUL_STRING, .len = LHV_VM_NAME_MAX },
	[LHV_ATTR_DEV_ID] = { .type = NLA_U32 },
};

const struct nla_policy lhv_dev_get_policy[LHV_ATTR_MAX + 1] = {
	[LHV_ATTR_VM_NAME] = { .type = NLA_NUL_STRING, .len = LHV_VM_NAME_MAX },
	[LHV_ATTR_DEV_TYPE] = { .type = NLA_U32 },
};

/* Extack texts are string literals: one per type. */
static void lhv_nl_no_backend(struct netlink_ext_ack *extack,
			      const struct nlattr *attr, u32 type)
{
	switch (type) {
	case LHV_DEV_BLK:
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "no backend for device type "
				    "blk (modprobe lhv_blk)");
		break;
	case LHV_DEV_SND:
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "no backend for device type "
				    "snd (modprobe lhv_snd)");
		break;
	case LHV_DEV_HECI:
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "no backend for device type "
				    "heci (modprobe lhv_heci)");
		break;
	default:
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "no backend for device type "
				    "xhci (modprobe lhv_xhci)");
		break;
	}
}

static bool lhv_dev_type_known(u32 type)
{
	return type > LHV_DEV_UNSPEC && type < __LHV_DEV_TYPE_COUNT;
}

/* One device as in the DEV_ADD reply and each DEV_GET dump message. */
static int lhv_nl_put_dev(struct sk_buff *msg, u32 portid, u32 seq, int flags,
			  u8 cmd, struct lhv_vdev *vdev)
{
	const struct lhv_backend *b = vdev->backend;
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(msg, portid, seq, &lhv_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_string(msg, LHV_ATTR_VM_NAME, vdev->vm->name) ||
	    nla_put_u32(msg, LHV_ATTR_DEV_ID, vdev->id) ||
	    nla_put_u32(msg, LHV_ATTR_DEV_TYPE, lhv_vdev_type(vdev)) ||
	    nla_put_string(msg, LHV_ATTR_DEV_NAME, vdev->name))
		goto cancel;
	if (b && b->fill_config) {
		nest = nla_nest_start(msg, LHV_ATTR_DEV_CONFIG);
		if (!nest || b->fill_config(msg, vdev))
			goto cancel;
		nla_nest_end(msg, nest);
	}
	genlmsg_end(msg, hdr);
	return 0;

cancel:
	genlmsg_cancel(msg, hdr);
	return -EMSGSIZE;
}

/* The backend of type, loading its module once if needed. */
static const struct lhv_backend *lhv_nl_backend(u32 type,
						struct genl_info *info)
{
	const struct lhv_backend *b;

	b = lhv_backend_get(type);
	if (b)
		return b;
	request_module("lhv-dev-%s", lhv_dev_type_name(type));
	b = lhv_backend_get(type);
	if (!b)
		lhv_nl_no_backend(info->extack, info->attrs[LHV_ATTR_DEV_TYPE],
				  type);
	return b;
}

/* Parses DEV_CONFIG with the backend's policy into a fresh table. */
static struct nlattr **lhv_nl_parse_config(const struct lhv_backend *b,
					   struct genl_info *info)
{
	struct nlattr *cfg = info->attrs[LHV_ATTR_DEV_CONFIG];
	struct nlattr **tb;
	int err;

	tb = kcalloc(b->maxattr + 1, sizeof(*tb), GFP_KERNEL);
	if (!tb)
		return ERR_PTR(-ENOMEM);
	if (!cfg)
		return tb;
	if (!b->maxattr) {
		NL_SET_ERR_MSG_ATTR(info->extack, cfg,
				    "this device type takes no configuration");
		kfree(tb);
		return ERR_PTR(-EINVAL);
	}
	err = nla_parse_nested(tb, b->maxattr, cfg, b->policy, info->extack);
	if (err) {
		kfree(tb);
		return ERR_PTR(err);
	}
	return tb;
}

/*
 * A user VM's devices sit on its virtual PCI bus, which has no hotplug:
 * they are added before it starts and removed while it does not run.
 */
static int lhv_nl_vm_devices_fixed(struct lhv_vm *vm, bool add,
				   struct netlink_ext_ack *extack)
{
	if (!vm->uvm)
		return 0;
	if (!vm->transport) {
		NL_SET_ERR_MSG(extack, "this user VM has no virtual PCI bus");
		return -EOPNOTSUPP;
	}
	if (vm->state == LHV_VM_RUNNING) {
		if (add)
			NL_SET_ERR_MSG(extack, "add devices before the VM "
					       "starts (no PCI hotplug)");
		else
			NL_SET_ERR_MSG(extack, "stop the VM first (no PCI "
					       "hot-unplug)");
		return -EBUSY;
	}
	if (add && vm->state == LHV_VM_CRASHED) {
		NL_SET_ERR_MSG(extack, "the VM crashed: destroy it");
		return -EBUSY;
	}
	return 0;
}

static int lhv_nl_dev_create(const struct lhv_backend *b, struct nlattr **tb,
			     struct genl_info *info, struct sk_buff *msg)
{
	struct lhv_vdev *vdev;
	struct lhv_vm *vm;
	int err;

	mutex_lock(&lhv_dev_mutex);
	mutex_lock(&lhv_vm_lock);
	vm = lhv_nl_vm_lookup(info);
	if (!vm) {
		err = -ENOENT;
		goto out;
	}
	err = lhv_nl_vm_devices_fixed(vm, true, info->extack);
	if (err)
		goto out;
	vdev = b->create(vm, tb, info->extack);
	if (IS_ERR(vdev)) {
		err = PTR_ERR(vdev);
		if (!info->extack->_msg)
			GENL_SET_ERR_MSG(info,
					 "the backend refused the device");
		goto out;
	}
	vdev->backend = b;
	err = lhv_nl_put_dev(msg, info->snd_portid, info->snd_seq, 0,
			     LHV_CMD_DEV_ADD, vdev);
	if (err) {
		/* Nobody would learn the device's name: take it back. */
		GENL_SET_ERR_MSG(info, "reply too large; device removed");
		b->destroy(vdev);
	}
out:
	mutex_unlock(&lhv_vm_lock);
	mutex_unlock(&lhv_dev_mutex);
	return err;
}

int lhv_nl_dev_add(struct sk_buff *skb, struct genl_info *info)
{
	const struct lhv_backend *b;
	struct nlattr **tb;
	struct sk_buff *msg;
	u32 type;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, LHV_ATTR_VM_NAME)) {
		GENL_SET_ERR_MSG(info, "VM name (LHV_ATTR_VM_NAME) required");
		return -EINVAL;
	}
	if (GENL_REQ_ATTR_CHECK(info, LHV_ATTR_DEV_TYPE)) {
		GENL_SET_ERR_MSG(info,
				 "device type (LHV_ATTR_DEV_TYPE) required");
		return -EINVAL;
	}
	type = nla_get_u32(info->attrs[LHV_ATTR_DEV_TYPE]);
	if (!lhv_dev_type_known(type)) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[LHV_ATTR_DEV_TYPE],
				    "unknown device type");
		return -EINVAL;
	}
	/* The VM first: a typo in its name needs no module loaded. */
	mutex_lock(&lhv_vm_lock);
	err = lhv_nl_vm_lookup(info) ? 0 : -ENOENT;
	mutex_unlock(&lhv_vm_lock);
	if (err)
		return err;
	b = lhv_nl_backend(type, info);
	if (!b)
		return -ENODEV;
	tb = lhv_nl_parse_config(b, info);
	if (IS_ERR(tb)) {
		err = PTR_ERR(tb);
		goto out_put;
	}
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg) {
		err = -ENOMEM;
		goto out_free;
	}
	err = lhv_nl_dev_create(b, tb, info, msg);
	if (err)
		nlmsg_free(msg);
	else
		err = genlmsg_reply(msg, info);
out_free:
	kfree(tb);
out_put:
	lhv_backend_put(b);
	return err;
}

static struct lhv_vdev *lhv_vm_find_dev(struct lhv_vm *vm, u32 id)
{
	struct lhv_vdev *vdev, *found = NULL;

	mutex_lock(&vm->dev_lock);
	list_for_each_entry (vdev, &vm->devs, vm_node) {
		if (vdev->id == id) {
			found = vdev;
			break;
		}
	}
	mutex_unlock(&vm->dev_lock);
	return found;
}

int lhv_nl_dev_del(struct sk_buff *skb, struct genl_info *info)
{
	struct lhv_vdev *vdev;
	struct lhv_vm *vm;
	int err = 0;

	if (GENL_REQ_ATTR_CHECK(info, LHV_ATTR_VM_NAME)) {
		GENL_SET_ERR_MSG(info, "VM name (LHV_ATTR_VM_NAME) required");
		return -EINVAL;
	}
	if (GENL_REQ_ATTR_CHECK(info, LHV_ATTR_DEV_ID)) {
		GENL_SET_ERR_MSG(info, "device id (LHV_ATTR_DEV_ID) required");
		return -EINVAL;
	}

	mutex_lock(&lhv_dev_mutex);
	mutex_lock(&lhv_vm_lock);
	vm = lhv_nl_vm_lookup(info);
	if (!vm) {
		err = -ENOENT;
		goto out;
	}
	/* Devices change only under lhv_dev_mutex: vdev stays valid. */
	vdev = lhv_vm_find_dev(vm, nla_get_u32(info->attrs[LHV_ATTR_DEV_ID]));
	if (!vdev) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[LHV_ATTR_DEV_ID],
				    "no device of that id on this VM");
		err = -ENOENT;
		goto out;
	}
	err = lhv_nl_vm_devices_fixed(vm, false, info->extack);
	if (err)
		goto out;
	if (!vdev->backend) {
		NL_SET_ERR_MSG_ATTR(
			info->extack, info->attrs[LHV_ATTR_DEV_ID],
			"device not created by netlink; remove its module");
		err = -EBUSY;
		goto out;
	}
	vdev->backend->destroy(vdev);
out:
	mutex_unlock(&lhv_vm_lock);
	mutex_unlock(&lhv_dev_mutex);
	return err;
}

int lhv_nl_dev_get(struct sk_buff *skb, struct genl_info *info)
{
	GENL_SET_ERR_MSG(info, "device list is a dump request (NLM_F_DUMP)");
	return -EOPNOTSUPP;
}

/*
 * cb->args[0]: VM slot to continue at; cb->args[1]: the lowest device id
 * not yet sent of that VM. Device lists are sorted by id, so a device
 * added or removed between two parts is never sent twice.
 */
int lhv_nl_dev_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nlattr **attrs = lhv_genl_dump_attrs(cb);
	const char *vm_name = NULL;
	u32 type = LHV_DEV_UNSPEC;
	struct lhv_vdev *vdev;
	struct lhv_vm *vm;
	unsigned long i;
	int err = 0;

	if (attrs && attrs[LHV_ATTR_VM_NAME])
		vm_name = nla_data(attrs[LHV_ATTR_VM_NAME]);
	if (attrs && attrs[LHV_ATTR_DEV_TYPE])
		type = nla_get_u32(attrs[LHV_ATTR_DEV_TYPE]);

	mutex_lock(&lhv_vm_lock);
	for (i = cb->args[0]; i < lhv_max_vms; i++, cb->args[1] = 0) {
		vm = lhv_vm_at(i);
		if (!vm || (vm_name && strcmp(vm->name, vm_name)))
			continue;
		mutex_lock(&vm->dev_lock);
		list_for_each_entry (vdev, &vm->devs, vm_node) {
			if (vdev->id < cb->args[1])
				continue;
			if (type && lhv_vdev_type(vdev) != type)
				continue;
			err = lhv_nl_put_dev(skb, NETLINK_CB(cb->skb).portid,
					     cb->nlh->nlmsg_seq, NLM_F_MULTI,
					     LHV_CMD_DEV_GET, vdev);
			if (err) {
				cb->args[1] = vdev->id;
				break;
			}
		}
		mutex_unlock(&vm->dev_lock);
		if (err)
			break;
	}
	cb->args[0] = i;
	mutex_unlock(&lhv_vm_lock);
	/* Nothing fit into an empty message: it can never fit. */
	if (err && !skb->len)
		return err;
	return skb->len;
}
