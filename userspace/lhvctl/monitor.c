// SPDX-License-Identifier: BSD-3-Clause
/*
 * lhvctl monitor: print the VM state-change notifications of the "vm"
 * multicast group as they come; vm stop prints its events the same way.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <lhv/netlink.h>

#include "lhvctl.h"
#include "reply.h"

void lhvctl_print_event(struct out *o, const struct lhv_vm_event_info *e)
{
	const char *reason = e->crash_reason[0] ? e->crash_reason : NULL;
	char line[256], num[24];
	const char *name;

	if (o->fmt != OUT_JSON) {
		lhv_vm_event_line(e, line, sizeof(line));
		out_write_safe(o->f, line);
		fputc('\n', o->f);
		fflush(o->f);
		return;
	}
	out_begin(o);
	out_str(o, "vm", "vm", e->name);
	out_uint(o, "id", "id", e->id);
	name = lhv_vm_event_name(e->event);
	snprintf(num, sizeof(num), "unknown(%u)", e->event);
	out_str(o, "event", "event", name ? name : num);
	name = lhv_vm_state_name(e->state);
	snprintf(num, sizeof(num), "unknown(%u)", e->state);
	out_str(o, "state", "state", name ? name : num);
	if (!reason && e->has_stop_reason &&
	    e->stop_reason != LHV_VM_STOP_NONE) {
		name = lhv_vm_stop_reason_name(e->stop_reason);
		snprintf(num, sizeof(num), "unknown(%u)", e->stop_reason);
		reason = name ? name : num;
	}
	if (reason)
		out_str(o, "reason", "reason", reason);
	out_end(o);
	fflush(o->f);
}

/* A notification: printed, or reported if it cannot be read. */
static int print_one(const struct nlmsghdr *nlh, void *data)
{
	struct lhv_vm_event_info e;
	struct lhv_parse_err perr;

	if (lhv_parse_vm_event(nlh, &e, &perr)) {
		lhvctl_warn("bad VM_EVENT from the lhv module: %s", perr.msg);
		return 0;
	}
	lhvctl_print_event(data, &e);
	return 0;
}

int cmd_monitor(struct lhvctl *ctl, int argc, char **argv)
{
	struct lhv_nl *nl;
	int ret;

	(void)argc;
	(void)argv;
	ret = lhvctl_listen(&nl);
	if (ret)
		return ret;
	/* One line per event, at once, also into a pipe. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (;;) {
		ret = lhv_nl_wait(nl, -1, print_one, &ctl->out);
		if (ret == -EINTR)
			continue;
		if (ret == -ENOBUFS) {
			lhvctl_warn("events were lost (the socket's buffer "
				    "was full)");
			continue;
		}
		if (ret)
			break;
	}
	lhvctl_err("reading events: %s", strerror(-ret));
	lhv_nl_close(nl);
	return LHVCTL_EXIT_FAIL;
}
