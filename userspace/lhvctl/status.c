// SPDX-License-Identifier: BSD-3-Clause
/*
 * lhvctl status: the module's and the hypervisor's state.
 */
#include <stdio.h>

#include <lhv/netlink.h>
#include <lhv/version.h>

#include "lhvctl.h"
#include "reply.h"

static void print_status(struct out *o, const struct lhv_status *st)
{
	char buf[32];
	const char *hv = lhv_hv_state_label(st->hv_state, buf, sizeof(buf));

	out_begin(o);
	out_str(o, "module_version", "module version", st->module_version);
	out_uint(o, "abi_version", "ABI version", st->abi_version);
	out_str(o, "hypervisor", "hypervisor", hv);
	out_uint(o, "max_vms", "max VMs", st->max_vms);
	out_end(o);
}

int lhvctl_get_status(struct lhv_status *st)
{
	struct lhv_nl_result res;
	struct lhv_parse_err perr;
	struct lhv_nl *nl;
	int ret;

	ret = lhvctl_connect(&nl);
	if (ret)
		return ret;

	ret = lhvctl_call(nl, lhv_nl_request(nl, LHV_CMD_STATUS), true, &res);
	if (!ret && lhv_parse_status(res.reply, st, &perr)) {
		lhvctl_err("bad STATUS reply from the lhv module: %s",
			   perr.msg);
		ret = LHVCTL_EXIT_FAIL;
	}
	lhv_nl_close(nl);
	return ret;
}

int cmd_status(struct lhvctl *ctl, int argc, char **argv)
{
	struct lhv_status st;
	int ret;

	(void)argc;
	(void)argv;

	ret = lhvctl_get_status(&st);
	if (ret)
		return ret;
	if (st.abi_version != LHV_ABI_VERSION)
		lhvctl_warn("lhv module ABI %u, lhvctl ABI %d: update one",
			    st.abi_version, LHV_ABI_VERSION);
	print_status(&ctl->out, &st);
	return LHVCTL_EXIT_OK;
}
