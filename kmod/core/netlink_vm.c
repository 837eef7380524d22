// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The user VM commands of the "lhv" family: VM_CREATE, VM_DESTROY,
 * VM_START, VM_STOP, VM_CONSOLE and VM_CONSOLE_WRITE (uapi/lhv/netlink.h),
 * and the user VM part of the VM_GET reply. The work is in uvm.c.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <net/genetlink.h>

#include "lhv.h"
#include "uvm.h"

/* Console bytes one VM_CONSOLE reply carries at most. */
#define LHV_NL_CONSOLE_MAX 3072

static const struct nla_policy lhv_vm_cpus_policy[LHV_VM_MAX_VCPUS + 1] = {
	[1] = { .type = NLA_U32 },
	[2] = { .type = NLA_U32 },
	[3] = { .type = NLA_U32 },
	[4] = { .type = NLA_U32 },
};

const struct nla_policy lhv_vm_create_policy[LHV_ATTR_MAX + 1] = {
	[LHV_ATTR_VM_NAME] = { .type = NLA_NUL_STRING, .len = LHV_VM_NAME_MAX },
	[LHV_ATTR_VM_UUID] = NLA_POLICY_EXACT_LEN(16),
	[LHV_ATTR_VM_PROFILE] = NLA_POLICY_MAX(NLA_U32, LHV_VM_PROFILE_ANDROID),
	[LHV_ATTR_VM_CPUS] = NLA_POLICY_NESTED(lhv_vm_cpus_policy),
	[LHV_ATTR_VM_MEM_SIZE] = { .type = NLA_U64 },
};

const struct nla_policy lhv_vm_name_policy[LHV_ATTR_MAX + 1] = {
	[LHV_ATTR_VM_NAME] = { .type = NLA_NUL_STRING, .len = LHV_VM_NAME_MAX },
};

const struct nla_policy lhv_vm_stop_policy[LHV_ATTR_MAX + 1] = {
	[LHV_ATTR_VM_NAME] = { .type = NLA_NUL_STRING, .len = LHV_VM_NAME_MAX },
	[LHV_ATTR_VM_STOP_FORCE] = { .type = NLA_FLAG },
};

const struct nla_policy lhv_vm_console_write_policy[LHV_ATTR_MAX + 1] = {
	[LHV_ATTR_VM_NAME] = { .type = NLA_NUL_STRING, .len = LHV_VM_NAME_MAX },
	[LHV_ATTR_VM_CONSOLE_TEXT] =
		NLA_POLICY_RANGE(NLA_BINARY, 1, LHV_VM_CONSOLE_IN_MAX),
};

const struct nla_policy lhv_vm_console_policy[LHV_ATTR_MAX + 1] = {
	[LHV_ATTR_VM_NAME] = { .type = NLA_NUL_STRING, .len = LHV_VM_NAME_MAX },
	[LHV_ATTR_VM_CONSOLE_CURSOR] = { .type = NLA_U64 },
};

static int lhv_nl_put_measurements(struct sk_buff *msg, const struct lhv_uvm *u)
{
	struct nlattr *all, *one;
	u32 i;

	if (!u->nr_measured)
		return 0;
	all = nla_nest_start(msg, LHV_ATTR_VM_MEASUREMENTS);
	if (!all)
		return -EMSGSIZE;
	for (i = 0; i < u->nr_measured; i++) {
		const struct lhv_uvm_measured *m = &u->measured[i];

		one = nla_nest_start(msg, i + 1);
		if (!one ||
		    nla_put_u32(msg, LHV_MEASURE_ATTR_KIND, m->region.kind) ||
		    nla_put_u64_64bit(msg, LHV_MEASURE_ATTR_GPA, m->region.gpa,
				      LHV_MEASURE_ATTR_UNSPEC) ||
		    nla_put_u64_64bit(msg, LHV_MEASURE_ATTR_LEN, m->region.len,
				      LHV_MEASURE_ATTR_UNSPEC) ||
		    nla_put(msg, LHV_MEASURE_ATTR_SHA256, sizeof(m->sha256),
			    m->sha256))
			return -EMSGSIZE;
		nla_nest_end(msg, one);
	}
	nla_nest_end(msg, all);
	return 0;
}

int lhv_nl_put_uvm(struct sk_buff *msg, struct lhv_vm *vm)
{
	struct lhv_uvm *u = vm->uvm;
	struct nlattr *cpus;
	u32 i;

	if (!u)
		return 0;
	if (nla_put(msg, LHV_ATTR_VM_UUID, sizeof(u->uuid), u->uuid) ||
	    nla_put_u32(msg, LHV_ATTR_VM_PROFILE, u->profile) ||
	    nla_put_u64_64bit(msg, LHV_ATTR_VM_MEM_SIZE, u->mem_size,
			      LHV_ATTR_UNSPEC) ||
	    nla_put_u64_64bit(msg, LHV_ATTR_VM_EXITS, u->exits,
			      LHV_ATTR_UNSPEC))
		return -EMSGSIZE;
	if (vm->state == LHV_VM_CRASHED &&
	    nla_put_string(msg, LHV_ATTR_VM_CRASH_REASON, u->crash_reason))
		return -EMSGSIZE;
	if (nla_put_u64_64bit(msg, LHV_ATTR_VM_IOREQS, u->ioreqs,
			      LHV_ATTR_UNSPEC) ||
	    nla_put_u64_64bit(msg, LHV_ATTR_VM_DOORBELLS, u->doorbells,
			      LHV_ATTR_UNSPEC) ||
	    nla_put_u64_64bit(msg, LHV_ATTR_VM_MSIS, u->msis, LHV_ATTR_UNSPEC))
		return -EMSGSIZE;
	if (nla_put_u32(msg, LHV_ATTR_VM_STOP_REASON, u->stop_reason) ||
	    lhv_nl_put_measurements(msg, u))
		return -EMSGSIZE;
	cpus = nla_nest_start(msg, LHV_ATTR_VM_CPUS);
	if (!cpus)
		return -EMSGSIZE;
	for (i = 0; i < u->nr_cpus; i++)
		if (nla_put_u32(msg, i + 1, u->cpus[i]))
			return -EMSGSIZE;
	nla_nest_end(msg, cpus);
	cpus = nla_nest_start(msg, LHV_ATTR_VM_APIC_IDS);
	if (!cpus)
		return -EMSGSIZE;
	for (i = 0; i < u->nr_cpus; i++)
		if (nla_put_u32(msg, i + 1, u->apic_ids[i]))
			return -EMSGSIZE;
	nla_nest_end(msg, cpus);
	return 0;
}

static int lhv_nl_parse_cpus(struct genl_info *info, struct lhv_uvm_params *p)
{
	struct nlattr *tb[LHV_VM_MAX_VCPUS + 1];
	struct nlattr *cpus = info->attrs[LHV_ATTR_VM_CPUS];
	int err, i;

	err = nla_parse_nested(tb, LHV_VM_MAX_VCPUS, cpus, lhv_vm_cpus_policy,
			       info->extack);
	if (err)
		return err;
	/* vCPU i runs on tb[i + 1]; the list has no gaps. */
	for (i = 0; i < LHV_VM_MAX_VCPUS && tb[i + 1]; i++)
		p->cpus[i] = nla_get_u32(tb[i + 1]);
	p->nr_cpus = i;
	for (; i < LHV_VM_MAX_VCPUS; i++) {
		if (tb[i + 1]) {
			NL_SET_ERR_MSG_ATTR(info->extack, cpus,
					    "CPU list with a gap");
			return -EINVAL;
		}
	}
	return 0;
}

int lhv_nl_vm_create(struct sk_buff *skb, struct genl_info *info)
{
	struct lhv_uvm_params p = { 0 };
	struct lhv_vm *vm;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, LHV_ATTR_VM_NAME) ||
	    GENL_REQ_ATTR_CHECK(info, LHV_ATTR_VM_CPUS) ||
	    GENL_REQ_ATTR_CHECK(info, LHV_ATTR_VM_MEM_SIZE))
		return -EINVAL;
	p.name = nla_data(info->attrs[LHV_ATTR_VM_NAME]);
	if (!p.name[0]) {
		GENL_SET_ERR_MSG(info, "empty VM name");
		return -EINVAL;
	}
	err = lhv_nl_parse_cpus(info, &p);
	if (err)
		return err;
	p.mem_size = nla_get_u64(info->attrs[LHV_ATTR_VM_MEM_SIZE]);
	if (info->attrs[LHV_ATTR_VM_UUID]) {
		nla_memcpy(p.uuid, info->attrs[LHV_ATTR_VM_UUID],
			   sizeof(p.uuid));
		p.uuid_set = true;
	}
	if (info->attrs[LHV_ATTR_VM_PROFILE])
		p.profile = nla_get_u32(info->attrs[LHV_ATTR_VM_PROFILE]);
	mutex_lock(&lhv_vm_lock);
	vm = lhv_uvm_create(&p, info->extack);
	mutex_unlock(&lhv_vm_lock);
	return PTR_ERR_OR_ZERO(vm);
}

/* A user VM by name, with lhv_vm_lock held; NULL with extack if none. */
static struct lhv_vm *lhv_nl_uvm_lookup(struct genl_info *info)
{
	struct lhv_vm *vm = lhv_nl_vm_lookup(info);

	if (vm && !vm->uvm) {
		GENL_SET_ERR_MSG(info, "the service VM is not a user VM");
		return NULL;
	}
	return vm;
}

static int lhv_nl_uvm_op(struct genl_info *info,
			 int (*op)(struct lhv_vm *vm,
				   struct netlink_ext_ack *extack))
{
	struct lhv_vm *vm;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, LHV_ATTR_VM_NAME))
		return -EINVAL;
	mutex_lock(&lhv_vm_lock);
	vm = lhv_nl_uvm_lookup(info);
	err = vm ? op(vm, info->extack) : -ENOENT;
	mutex_unlock(&lhv_vm_lock);
	return err;
}

int lhv_nl_vm_destroy(struct sk_buff *skb, struct genl_info *info)
{
	return lhv_nl_uvm_op(info, lhv_uvm_destroy);
}

int lhv_nl_vm_start(struct sk_buff *skb, struct genl_info *info)
{
	return lhv_nl_uvm_op(info, lhv_uvm_start);
}

int lhv_nl_vm_stop(struct sk_buff *skb, struct genl_info *info)
{
	bool force = nla_get_flag(info->attrs[LHV_ATTR_VM_STOP_FORCE]);
	struct lhv_vm *vm;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, LHV_ATTR_VM_NAME))
		return -EINVAL;
	mutex_lock(&lhv_vm_lock);
	vm = lhv_nl_uvm_lookup(info);
	err = vm ? lhv_uvm_stop(vm, force, info->extack) : -ENOENT;
	mutex_unlock(&lhv_vm_lock);
	return err;
}

int lhv_nl_vm_console_write(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *text = info->attrs[LHV_ATTR_VM_CONSOLE_TEXT];
	struct sk_buff *msg;
	struct lhv_vm *vm;
	long n = -ENOENT;
	void *hdr;

	if (GENL_REQ_ATTR_CHECK(info, LHV_ATTR_VM_NAME) ||
	    GENL_REQ_ATTR_CHECK(info, LHV_ATTR_VM_CONSOLE_TEXT))
		return -EINVAL;
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&lhv_vm_lock);
	vm = lhv_nl_uvm_lookup(info);
	if (vm) {
		lhv_uvm_refresh(vm);
		if (vm->state != LHV_VM_RUNNING) {
			GENL_SET_ERR_MSG(info, "the VM is not running");
			n = -EALREADY;
		} else {
			n = lhv_uvm_console_write(vm, 0, nla_data(text),
						  nla_len(text));
		}
	}
	mutex_unlock(&lhv_vm_lock);
	if (n < 0)
		goto fail;
	hdr = genlmsg_put_reply(msg, info, &lhv_genl_family, 0,
				LHV_CMD_VM_CONSOLE_WRITE);
	if (!hdr || nla_put_u32(msg, LHV_ATTR_VM_CONSOLE_ACCEPTED, n)) {
		n = -EMSGSIZE;
		goto fail;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
fail:
	nlmsg_free(msg);
	return n;
}

int lhv_nl_vm_console(struct sk_buff *skb, struct genl_info *info)
{
	u64 cursor = 0, lost = 0;
	struct sk_buff *msg;
	struct lhv_vm *vm;
	long n = -ENOENT;
	char *buf;
	void *hdr;

	if (GENL_REQ_ATTR_CHECK(info, LHV_ATTR_VM_NAME))
		return -EINVAL;
	if (info->attrs[LHV_ATTR_VM_CONSOLE_CURSOR])
		cursor = nla_get_u64(info->attrs[LHV_ATTR_VM_CONSOLE_CURSOR]);
	buf = kmalloc(LHV_NL_CONSOLE_MAX, GFP_KERNEL);
	msg = genlmsg_new(LHV_NL_CONSOLE_MAX + 256, GFP_KERNEL);
	if (!buf || !msg) {
		kfree(buf);
		nlmsg_free(msg);
		return -ENOMEM;
	}
	mutex_lock(&lhv_vm_lock);
	vm = lhv_nl_uvm_lookup(info);
	if (vm)
		n = lhv_uvm_console(vm, &cursor, buf, LHV_NL_CONSOLE_MAX,
				    &lost);
	mutex_unlock(&lhv_vm_lock);
	if (n < 0)
		goto fail;
	hdr = genlmsg_put_reply(msg, info, &lhv_genl_family, 0,
				LHV_CMD_VM_CONSOLE);
	if (!hdr || nla_put(msg, LHV_ATTR_VM_CONSOLE_TEXT, n, buf) ||
	    nla_put_u64_64bit(msg, LHV_ATTR_VM_CONSOLE_CURSOR, cursor,
			      LHV_ATTR_UNSPEC) ||
	    nla_put_u64_64bit(msg, LHV_ATTR_VM_CONSOLE_LOST, lost,
			      LHV_ATTR_UNSPEC)) {
		n = -EMSGSIZE;
		goto fail;
	}
	kfree(buf);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
fail:
	kfree(buf);
	nlmsg_free(msg);
	return n;
}
