// SPDX-License-Identifier: BSD-3-Clause
/*
 * lhvctl's side of a conversation with the lhv module: connect, send one
 * request, and turn every failure into one clear line on stderr.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <lhv/netlink.h>

#include "lhvctl.h"

static int open_socket(struct lhv_nl **nlp)
{
	int ret = lhv_nl_open(nlp);

	if (ret)
		lhvctl_err("cannot open a generic netlink socket: %s",
			   strerror(-ret));
	return ret ? LHVCTL_EXIT_FAIL : LHVCTL_EXIT_OK;
}

int lhvctl_listen(struct lhv_nl **nlp)
{
	int ret;

	ret = open_socket(nlp);
	if (ret)
		return ret;
	ret = lhv_nl_join(*nlp, LHV_GENL_NAME, LHV_GENL_MCGRP_VM);
	if (!ret)
		return LHVCTL_EXIT_OK;
	if (ret == -ENOENT)
		lhvctl_err("the lhv module is not loaded, or has no \"%s\" "
			   "multicast group (too old)",
			   LHV_GENL_MCGRP_VM);
	else
		lhvctl_err("cannot join the \"%s\" multicast group: %s",
			   LHV_GENL_MCGRP_VM, strerror(-ret));
	lhv_nl_close(*nlp);
	*nlp = NULL;
	return LHVCTL_EXIT_FAIL;
}

int lhvctl_connect(struct lhv_nl **nlp)
{
	int ret;

	ret = open_socket(nlp);
	if (ret)
		return ret;

	ret = lhv_nl_resolve(*nlp, LHV_GENL_NAME);
	if (!ret)
		return LHVCTL_EXIT_OK;
	if (ret == -ENOENT)
		lhvctl_err("the lhv module is not loaded (modprobe lhv)");
	else
		lhvctl_err("cannot look up the \"%s\" netlink family: %s",
			   LHV_GENL_NAME, strerror(-ret));
	lhv_nl_close(*nlp);
	*nlp = NULL;
	return LHVCTL_EXIT_FAIL;
}

/* "lhvctl: <strerror>[: <extack message>][ (missing attribute N)]" */
static void report_refusal(const struct lhv_nl_result *res)
{
	fprintf(stderr, "lhvctl: %s", strerror(res->error));
	if (res->msg[0]) {
		fputs(": ", stderr);
		out_write_safe(stderr, res->msg);
	} else if (res->error == EPERM) {
		/* The module's commands are GENL_ADMIN_PERM. */
		fputs(": lhvctl needs CAP_NET_ADMIN (run it as root)", stderr);
	}
	if (res->has_miss_type)
		fprintf(stderr, " (missing attribute %u)", res->miss_type);
	fputc('\n', stderr);
}

/* Judge the outcome of an exchange; ret is what lhv_nl_call/dump returned. */
static int check_answer(int ret, const struct lhv_nl_result *res)
{
	if (ret) {
		lhvctl_err("no valid answer from the lhv module: %s",
			   strerror(-ret));
		return LHVCTL_EXIT_FAIL;
	}
	if (res->error) {
		report_refusal(res);
		return LHVCTL_EXIT_FAIL;
	}
	/* The kernel may attach a warning to a success. */
	if (res->msg[0]) {
		fputs("lhvctl: warning: ", stderr);
		out_write_safe(stderr, res->msg);
		fputc('\n', stderr);
	}
	return LHVCTL_EXIT_OK;
}

int lhvctl_dump(struct lhv_nl *nl, struct nlmsghdr *req, lhv_nl_msg_cb cb,
		void *data, struct lhv_nl_result *res)
{
	int ret;

	ret = lhv_nl_dump(nl, req, cb, data, res);
	if (ret == LHV_NL_STOPPED)
		return LHVCTL_EXIT_FAIL;
	ret = check_answer(ret, res);
	if (!ret && res->interrupted)
		lhvctl_warn("the list changed while it was read: it may be "
			    "incomplete, run the command again");
	return ret;
}

int lhvctl_call(struct lhv_nl *nl, struct nlmsghdr *req, bool want_reply,
		struct lhv_nl_result *res)
{
	int ret;

	ret = check_answer(lhv_nl_call(nl, req, res), res);
	if (ret)
		return ret;
	if (want_reply && !res->reply) {
		lhvctl_err("the lhv module acknowledged but sent no reply");
		return LHVCTL_EXIT_FAIL;
	}
	return LHVCTL_EXIT_OK;
}
