// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * LHV_CMD_HV_STATS: the hv's exit statistics, one dump message per CPU
 * running under it, read with LHV_HC_GET_STATS.
 */
#include <linux/cpumask.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <lhv/hypercall.h>

#include "lhv.h"

static int lhv_nl_put_reasons(struct sk_buff *msg, int type, const u64 *v)
{
	struct nlattr *nest = nla_nest_start(msg, type);
	unsigned int r;

	if (!nest)
		return -EMSGSIZE;
	for (r = 0; r < LHV_EXIT_REASON_COUNT; r++)
		if (nla_put_u64_64bit(msg, r + 1, v[r], 0))
			return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

static int lhv_nl_put_cpu_stats(struct sk_buff *skb,
				struct netlink_callback *cb,
				const struct lhv_hc_cpu_stats *st,
				unsigned int cpu)
{
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &lhv_genl_family, NLM_F_MULTI, LHV_CMD_HV_STATS);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, LHV_ATTR_HV_CPU, cpu) ||
	    nla_put_u64_64bit(skb, LHV_ATTR_HV_EXITS, st->exits,
			      LHV_ATTR_UNSPEC) ||
	    lhv_nl_put_reasons(skb, LHV_ATTR_HV_EXIT_COUNT, st->count) ||
	    lhv_nl_put_reasons(skb, LHV_ATTR_HV_EXIT_CYCLES, st->cycles)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* cb->args[0]: the next CPU to report; args[1]: something was sent. */
int lhv_nl_hv_stats_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct lhv_hc_cpu_stats *st;
	unsigned int cpu;
	int err = 0;

	if (!cb->args[1] && lhv_hv_state() != LHV_HV_RUNNING) {
		NL_SET_ERR_MSG(cb->extack, "the hypervisor is not running");
		return -ENODEV;
	}
	st = kmalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	for (cpu = cb->args[0]; cpu < nr_cpu_ids; cpu++) {
		/* CPUs not under the hv (offline) are skipped. */
		if (lhv_hv_cpu_stats(cpu, st))
			continue;
		err = lhv_nl_put_cpu_stats(skb, cb, st, cpu);
		if (err)
			break;
		cb->args[1] = 1;
	}
	cb->args[0] = cpu;
	kfree(st);
	/* A full message: more next time, unless nothing fit at all. */
	if (err)
		return skb->len ? skb->len : err;
	return skb->len;
}
