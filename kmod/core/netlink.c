// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The "lhv" generic netlink family (ABI in uapi/lhv/netlink.h, described in
 * docs/netlink.md). All checking that protects the kernel happens here:
 * attribute policies are strict, and every refusal carries an extack text.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <net/genetlink.h>
#include <asm/tsc.h>
#include <lhv/version.h>

#include "lhv.h"
#include "uvm.h"

static int lhv_nl_put_hv(struct sk_buff *msg)
{
	struct lhv_hv_info hv;

	lhv_hv_info(&hv);
	if (nla_put_u32(msg, LHV_ATTR_HV_STATE, hv.state))
		return -EMSGSIZE;
	if (!hv.loaded)
		return 0;
	if (nla_put_u64_64bit(msg, LHV_ATTR_HV_IMAGE_SIZE, hv.image_size,
			      LHV_ATTR_UNSPEC) ||
	    nla_put_u64_64bit(msg, LHV_ATTR_HV_MEM_SIZE, hv.mem_size,
			      LHV_ATTR_UNSPEC) ||
	    nla_put_u32(msg, LHV_ATTR_HV_CPUS, hv.cpus) ||
	    nla_put_u32(msg, LHV_ATTR_HV_SEED, hv.seed) ||
	    nla_put_u32(msg, LHV_ATTR_HV_TSC_KHZ, tsc_khz))
		return -EMSGSIZE;
	if (hv.hw_valid &&
	    (nla_put_u32(msg, LHV_ATTR_HV_VENDOR, hv.vendor) ||
	     nla_put_u32(msg, LHV_ATTR_HV_FEATURES, hv.features)))
		return -EMSGSIZE;
	return 0;
}

struct lhv_vm *lhv_nl_vm_lookup(struct genl_info *info)
{
	struct nlattr *name = info->attrs[LHV_ATTR_VM_NAME];
	struct lhv_vm *vm = lhv_vm_find_by_name(nla_data(name));

	if (!vm)
		NL_SET_ERR_MSG_ATTR(info->extack, name, "no VM of that name");
	return vm;
}

static int lhv_nl_status(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &lhv_genl_family, 0, LHV_CMD_STATUS);
	if (!hdr)
		goto too_big;
	if (nla_put_string(msg, LHV_ATTR_MODULE_VERSION, LHV_VERSION_STRING) ||
	    nla_put_u32(msg, LHV_ATTR_ABI_VERSION, LHV_ABI_VERSION) ||
	    lhv_nl_put_hv(msg) ||
	    nla_put_u32(msg, LHV_ATTR_MAX_VMS, lhv_max_vms))
		goto too_big;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

too_big:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

static int lhv_nl_put_vm(struct sk_buff *msg, struct lhv_vm *vm)
{
	if (vm->uvm)
		lhv_uvm_refresh(vm);
	if (nla_put_u32(msg, LHV_ATTR_VM_ID, vm->id) ||
	    nla_put_string(msg, LHV_ATTR_VM_NAME, vm->name) ||
	    nla_put_u32(msg, LHV_ATTR_VM_STATE, vm->state))
		return -EMSGSIZE;
	return lhv_nl_put_uvm(msg, vm);
}

static int lhv_nl_vm_get(struct sk_buff *skb, struct genl_info *info)
{
	struct lhv_vm *vm;
	struct sk_buff *msg;
	void *hdr;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, LHV_ATTR_VM_NAME)) {
		/* The core names the attribute; say it in words too. */
		GENL_SET_ERR_MSG(info, "VM name (LHV_ATTR_VM_NAME) required");
		return -EINVAL;
	}

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	mutex_lock(&lhv_vm_lock);
	vm = lhv_nl_vm_lookup(info);
	if (!vm) {
		err = -ENOENT;
		goto out_unlock;
	}
	err = -EMSGSIZE;
	hdr = genlmsg_put_reply(msg, info, &lhv_genl_family, 0, LHV_CMD_VM_GET);
	if (!hdr || lhv_nl_put_vm(msg, vm))
		goto out_unlock;
	mutex_unlock(&lhv_vm_lock);

	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

out_unlock:
	mutex_unlock(&lhv_vm_lock);
	nlmsg_free(msg);
	return err;
}

static int lhv_nl_hv_enable(struct sk_buff *skb, struct genl_info *info)
{
	return lhv_hv_enable(info->extack);
}

static int lhv_nl_hv_disable(struct sk_buff *skb, struct genl_info *info)
{
	return lhv_hv_disable(info->extack);
}

/* Ids of the reserved range that this version does not implement. */
static int lhv_nl_unimplemented(struct sk_buff *skb, struct genl_info *info)
{
	GENL_SET_ERR_MSG(info,
			 "command not implemented by this lhv module version");
	return -EOPNOTSUPP;
}

static const struct nla_policy lhv_vm_get_policy[LHV_ATTR_MAX + 1] = {
	[LHV_ATTR_VM_NAME] = { .type = NLA_NUL_STRING, .len = LHV_VM_NAME_MAX },
};

/*
 * A command without a policy accepts no attributes at all (the genetlink
 * core rejects them), which is what STATUS wants.
 */
static const struct genl_ops lhv_nl_implemented[] = {
	{
		.cmd = LHV_CMD_STATUS,
		.doit = lhv_nl_status,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = LHV_CMD_VM_GET,
		.doit = lhv_nl_vm_get,
		.policy = lhv_vm_get_policy,
		.maxattr = LHV_ATTR_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = LHV_CMD_DEV_ADD,
		.doit = lhv_nl_dev_add,
		.policy = lhv_dev_add_policy,
		.maxattr = LHV_ATTR_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = LHV_CMD_DEV_DEL,
		.doit = lhv_nl_dev_del,
		.policy = lhv_dev_del_policy,
		.maxattr = LHV_ATTR_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = LHV_CMD_DEV_GET,
		.doit = lhv_nl_dev_get,
		.dumpit = lhv_nl_dev_dump,
		.policy = lhv_dev_get_policy,
		.maxattr = LHV_ATTR_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = LHV_CMD_HV_ENABLE,
		.doit = lhv_nl_hv_enable,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = LHV_CMD_HV_DISABLE,
		.doit = lhv_nl_hv_disable,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = LHV_CMD_HV_STATS,
		.dumpit = lhv_nl_hv_stats_dump,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = LHV_CMD_VM_CREATE,
		.doit = lhv_nl_vm_create,
		.policy = lhv_vm_create_policy,
		.maxattr = LHV_ATTR_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = LHV_CMD_VM_DESTROY,
		.doit = lhv_nl_vm_destroy,
		.policy = lhv_vm_name_policy,
		.maxattr = LHV_ATTR_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = LHV_CMD_VM_START,
		.doit = lhv_nl_vm_start,
		.policy = lhv_vm_name_policy,
		.maxattr = LHV_ATTR_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = LHV_CMD_VM_STOP,
		.doit = lhv_nl_vm_stop,
		.policy = lhv_vm_stop_policy,
		.maxattr = LHV_ATTR_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = LHV_CMD_VM_CONSOLE,
		.doit = lhv_nl_vm_console,
		.policy = lhv_vm_console_policy,
		.maxattr = LHV_ATTR_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = LHV_CMD_VM_CONSOLE_WRITE,
		.doit = lhv_nl_vm_console_write,
		.policy = lhv_vm_console_write_policy,
		.maxattr = LHV_ATTR_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = LHV_CMD_USB_ASSIGN,
		.doit = lhv_nl_usb_assign,
		.policy = lhv_usb_assign_policy,
		.maxattr = LHV_ATTR_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = LHV_CMD_USB_RELEASE,
		.doit = lhv_nl_usb_release,
		.policy = lhv_usb_release_policy,
		.maxattr = LHV_ATTR_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = LHV_CMD_USB_GET,
		.doit = lhv_nl_usb_get,
		.dumpit = lhv_nl_usb_dump,
		.policy = lhv_usb_get_policy,
		.maxattr = LHV_ATTR_MAX,
		.flags = GENL_ADMIN_PERM,
	},
};

/* Events name VMs and say what runs: for CAP_NET_ADMIN listeners only. */
static const struct genl_multicast_group lhv_nl_mcgrps[] = {
	[LHV_NL_MCGRP_VM] = { .name = LHV_GENL_MCGRP_VM,
			      .flags = GENL_MCAST_CAP_NET_ADMIN },
};

/* Filled at init: every reserved id gets an op, implemented or not. */
static struct genl_ops lhv_nl_ops[LHV_CMD_RESERVED_MAX];

struct genl_family lhv_genl_family = {
	.name = LHV_GENL_NAME,
	.version = LHV_GENL_VERSION,
	.maxattr = LHV_ATTR_MAX,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = lhv_nl_ops,
	.n_ops = ARRAY_SIZE(lhv_nl_ops),
	.mcgrps = lhv_nl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(lhv_nl_mcgrps),
};
/* Backends that answer requests themselves (lhv_xhci: USB_*). */
EXPORT_SYMBOL_GPL(lhv_genl_family);

void lhv_nl_vm_event(struct lhv_vm *vm, enum lhv_vm_event event)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &lhv_genl_family, 0, LHV_CMD_VM_EVENT);
	if (!hdr || nla_put_u32(msg, LHV_ATTR_VM_ID, vm->id) ||
	    nla_put_string(msg, LHV_ATTR_VM_NAME, vm->name) ||
	    nla_put_u32(msg, LHV_ATTR_VM_EVENT, event) ||
	    nla_put_u32(msg, LHV_ATTR_VM_STATE, vm->state) ||
	    (vm->uvm && vm->state == LHV_VM_CRASHED &&
	     nla_put_string(msg, LHV_ATTR_VM_CRASH_REASON,
			    vm->uvm->crash_reason)) ||
	    (vm->uvm && vm->state == LHV_VM_STOPPED &&
	     nla_put_u32(msg, LHV_ATTR_VM_STOP_REASON, vm->uvm->stop_reason))) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	/* Nobody listening (-ESRCH) is the usual case, not an error. */
	genlmsg_multicast(&lhv_genl_family, msg, 0, LHV_NL_MCGRP_VM,
			  GFP_KERNEL);
}

static void lhv_nl_fill_ops(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lhv_nl_ops); i++) {
		lhv_nl_ops[i] = (struct genl_ops){
			.cmd = i + 1,
			.doit = lhv_nl_unimplemented,
			.flags = GENL_ADMIN_PERM,
		};
	}
	for (i = 0; i < ARRAY_SIZE(lhv_nl_implemented); i++)
		lhv_nl_ops[lhv_nl_implemented[i].cmd - 1] =
			lhv_nl_implemented[i];
}

int lhv_netlink_init(void)
{
	BUILD_BUG_ON(LHV_CMD_MAX > LHV_CMD_RESERVED_MAX);
	BUILD_BUG_ON(LHV_CMD_RESERVED_MAX > U8_MAX);

	lhv_nl_fill_ops();
	return genl_register_family(&lhv_genl_family);
}

void lhv_netlink_exit(void)
{
	genl_unregister_family(&lhv_genl_family);
}
