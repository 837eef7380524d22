// SPDX-License-Identifier: BSD-3-Clause
/*
 * lhvctl hv enable|disable|status: the hypervisor, through the module.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include <lhv/netlink.h>

#include "lhvctl.h"
#include "reply.h"

/* What a STATUS reply says about the hv; sizes only once it was loaded. */
struct hv_status {
	bool has_state, has_sizes;
	uint32_t state, cpus;
	uint64_t image_size, mem_size;
};

static int hv_status_attr(const struct nlattr *a, void *data)
{
	struct hv_status *st = data;

	switch (mnl_attr_get_type(a)) {
	case LHV_ATTR_HV_STATE:
		if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
			return MNL_CB_ERROR;
		st->state = mnl_attr_get_u32(a);
		st->has_state = true;
		break;
	case LHV_ATTR_HV_IMAGE_SIZE:
		if (mnl_attr_validate(a, MNL_TYPE_U64) < 0)
			return MNL_CB_ERROR;
		st->image_size = mnl_attr_get_u64(a);
		st->has_sizes = true;
		break;
	case LHV_ATTR_HV_MEM_SIZE:
		if (mnl_attr_validate(a, MNL_TYPE_U64) < 0)
			return MNL_CB_ERROR;
		st->mem_size = mnl_attr_get_u64(a);
		break;
	case LHV_ATTR_HV_CPUS:
		if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
			return MNL_CB_ERROR;
		st->cpus = mnl_attr_get_u32(a);
		break;
	}
	return MNL_CB_OK;
}

static void print_hv_status(struct out *o, const struct hv_status *st)
{
	const char *name = lhv_hv_state_name(st->state);
	char unknown[32];

	if (!name) {
		snprintf(unknown, sizeof(unknown), "unknown(%u)", st->state);
		name = unknown;
	}
	out_begin(o);
	out_str(o, "state", "state", name);
	if (st->has_sizes) {
		out_uint(o, "image_size", "image size", st->image_size);
		out_uint(o, "mem_size", "hv memory", st->mem_size);
		out_uint(o, "cpus", "CPUs", st->cpus);
	}
	out_end(o);
}

int cmd_hv_status(struct lhvctl *ctl, int argc, char **argv)
{
	struct hv_status st = { 0 };
	struct lhv_nl_result res;
	struct lhv_nl *nl;
	int ret;

	(void)argc;
	(void)argv;

	ret = lhvctl_connect(&nl);
	if (ret)
		return ret;
	ret = lhvctl_call(nl, lhv_nl_request(nl, LHV_CMD_STATUS), true, &res);
	if (!ret &&
	    (mnl_attr_parse(res.reply, GENL_HDRLEN, hv_status_attr, &st) < 0 ||
	     !st.has_state)) {
		lhvctl_err("bad STATUS reply from the lhv module");
		ret = LHVCTL_EXIT_FAIL;
	}
	lhv_nl_close(nl);
	if (ret)
		return ret;
	print_hv_status(&ctl->out, &st);
	return LHVCTL_EXIT_OK;
}

static int hv_simple(uint8_t cmd)
{
	struct lhv_nl_result res;
	struct lhv_nl *nl;
	int ret;

	ret = lhvctl_connect(&nl);
	if (ret)
		return ret;
	ret = lhvctl_call(nl, lhv_nl_request(nl, cmd), false, &res);
	lhv_nl_close(nl);
	return ret;
}

int cmd_hv_enable(struct lhvctl *ctl, int argc, char **argv)
{
	(void)ctl;
	(void)argc;
	(void)argv;
	return hv_simple(LHV_CMD_HV_ENABLE);
}

int cmd_hv_disable(struct lhvctl *ctl, int argc, char **argv)
{
	(void)ctl;
	(void)argc;
	(void)argv;
	return hv_simple(LHV_CMD_HV_DISABLE);
}
