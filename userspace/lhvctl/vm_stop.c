// SPDX-License-Identifier: BSD-3-Clause
/*
 * lhvctl vm stop: a graceful stop that waits for the guest to power off
 * (the "vm" multicast group says when), falling back to a forced stop
 * after a timeout; or, with --force, a forced stop at once.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <lhv/netlink.h>

#include "args.h"
#include "lhvctl.h"
#include "reply.h"

#define DEFAULT_TIMEOUT_S 30
#define MAX_TIMEOUT_S 86400

/* What the wait for the guest has seen. */
struct stop_wait {
	struct out *out;
	const char *vm;
	bool done;
	uint32_t event; /* the event that ended the wait */
};

/* Events that leave the VM not running. */
static bool ends_run(uint32_t event)
{
	return event == LHV_VM_EVENT_POWEROFF ||
	       event == LHV_VM_EVENT_STOPPED || event == LHV_VM_EVENT_CRASHED ||
	       event == LHV_VM_EVENT_REBOOT;
}

static int on_event(const struct nlmsghdr *nlh, void *data)
{
	struct stop_wait *w = data;
	struct lhv_vm_event_info e;

	if (lhv_parse_vm_event(nlh, &e, NULL) || strcmp(e.name, w->vm))
		return 0;
	lhvctl_print_event(w->out, &e);
	if (!ends_run(e.event))
		return 0;
	w->done = true;
	w->event = e.event;
	return 1;
}

static int send_stop(const char *vm, bool force)
{
	return lhvctl_vm_command(vm, LHV_CMD_VM_STOP, force);
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* 1 if the VM runs, 0 if not, -1 if it cannot be told (reported). */
static int vm_running(const char *vm)
{
	struct lhv_vm_info info;

	if (lhvctl_get_vm(vm, &info))
		return -1;
	return info.state == LHV_VM_RUNNING;
}

/* Wait for an event that ends the run, until deadline (monotonic ms). */
static int wait_for_guest(struct lhv_nl *ev, struct stop_wait *w,
			  int64_t deadline)
{
	int64_t left;
	int ret;

	while (!w->done && (left = deadline - now_ms()) > 0) {
		ret = lhv_nl_wait(ev, (int)left, on_event, w);
		if (ret == -ETIMEDOUT)
			break;
		if (ret == -ENOBUFS && vm_running(w->vm) != 1)
			/* Events lost: the VM's state tells what happened. */
			return -ENOBUFS;
		if (ret == -ENOBUFS)
			continue;
		if (ret < 0 && ret != -EINTR) {
			lhvctl_err("reading events: %s", strerror(-ret));
			return ret;
		}
	}
	return 0;
}

/* After the wait: stopped meanwhile (an event lost), or force it. */
static int stopped_or_force(struct lhvctl *ctl, const char *vm,
			    uint64_t timeout)
{
	struct lhv_vm_info info;
	const char *why;
	int ret;

	ret = lhvctl_get_vm(vm, &info);
	if (ret)
		return ret;
	if (info.state != LHV_VM_RUNNING) {
		why = lhv_vm_stop_reason_name(info.stop_reason);
		out_begin(&ctl->out);
		out_str(&ctl->out, "vm", "vm", vm);
		out_str(&ctl->out, "state", "state",
			lhv_vm_state_name(info.state)
				? lhv_vm_state_name(info.state)
				: "unknown");
		if (info.has_stop_reason)
			out_str(&ctl->out, "reason", "reason",
				why ? why : "unknown");
		out_end(&ctl->out);
		return info.state == LHV_VM_CRASHED ? LHVCTL_EXIT_FAIL
						    : LHVCTL_EXIT_OK;
	}
	ret = send_stop(vm, true);
	if (ret)
		return ret;
	lhvctl_warn("%s did not power off within %" PRIu64
		    " s: stopped by force",
		    vm, timeout);
	return LHVCTL_EXIT_FORCED;
}

int cmd_vm_stop(struct lhvctl *ctl, int argc, char **argv)
{
	const char *timeout_arg = lhvctl_opt(ctl, "timeout");
	struct stop_wait w = { .out = &ctl->out, .vm = argv[0] };
	uint64_t timeout = DEFAULT_TIMEOUT_S;
	struct lhv_nl *ev;
	int64_t deadline;
	int ret;

	(void)argc;
	if (timeout_arg && (lhv_parse_uint(timeout_arg, 32, &timeout) ||
			    timeout > MAX_TIMEOUT_S))
		return lhvctl_usage(ctl,
				    "--timeout: seconds, 0 to %d (0: do not "
				    "wait)",
				    MAX_TIMEOUT_S);
	if (lhvctl_opt(ctl, "force")) {
		if (timeout_arg)
			return lhvctl_usage(ctl, "--force does not wait: no "
						 "--timeout with it");
		return send_stop(argv[0], true);
	}
	if (!timeout)
		return send_stop(argv[0], false);

	/* Listen first: the guest may power off before the request returns. */
	ret = lhvctl_listen(&ev);
	if (ret)
		return ret;
	deadline = now_ms() + (int64_t)timeout * 1000;
	ret = send_stop(argv[0], false);
	if (!ret)
		ret = wait_for_guest(ev, &w, deadline);
	lhv_nl_close(ev);
	if (ret == -ENOBUFS || (!ret && !w.done))
		return stopped_or_force(ctl, argv[0], timeout);
	if (ret)
		return ret < 0 ? LHVCTL_EXIT_FAIL : ret;
	if (w.event == LHV_VM_EVENT_CRASHED) {
		lhvctl_err("%s crashed while it shut down", argv[0]);
		return LHVCTL_EXIT_FAIL;
	}
	return LHVCTL_EXIT_OK;
}
