// SPDX-License-Identifier: BSD-3-Clause
/*
 * lhvctl vm ...: VM commands.
 */
#include <stdio.h>

#include <libmnl/libmnl.h>
#include <lhv/netlink.h>

#include "lhvctl.h"
#include "reply.h"

static void print_vm(struct out *o, const struct lhv_vm_info *vm)
{
	const char *state = lhv_vm_state_name(vm->state);
	char unknown[32];

	if (!state) {
		snprintf(unknown, sizeof(unknown), "unknown(%u)", vm->state);
		state = unknown;
	}

	out_begin(o);
	out_uint(o, "id", "id", vm->id);
	out_str(o, "name", "name", vm->name);
	out_str(o, "state", "state", state);
	out_end(o);
}

int cmd_vm_show(struct lhvctl *ctl, int argc, char **argv)
{
	struct lhv_nl_result res;
	struct lhv_parse_err perr;
	struct lhv_vm_info vm;
	struct nlmsghdr *req;
	struct lhv_nl *nl;
	int ret;

	(void)argc;

	ret = lhvctl_connect(&nl);
	if (ret)
		return ret;

	/* The name goes as given: the kernel checks it and says why not. */
	req = lhv_nl_request(nl, LHV_CMD_VM_GET);
	if (!mnl_attr_put_strz_check(req, LHV_NL_REQ_SIZE, LHV_ATTR_VM_NAME,
				     argv[0])) {
		lhvctl_err("VM name too long to fit in a netlink message");
		ret = LHVCTL_EXIT_FAIL;
	} else {
		ret = lhvctl_call(nl, req, true, &res);
	}
	if (!ret && lhv_parse_vm(res.reply, &vm, &perr)) {
		lhvctl_err("bad VM_GET reply from the lhv module: %s",
			   perr.msg);
		ret = LHVCTL_EXIT_FAIL;
	}
	lhv_nl_close(nl);
	if (ret)
		return ret;

	print_vm(&ctl->out, &vm);
	return LHVCTL_EXIT_OK;
}
