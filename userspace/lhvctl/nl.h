/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A generic netlink socket for the "lhv" family: open it, resolve the
 * family id through nlctrl, send one request and collect its reply and
 * acknowledgement, extack included. Nothing here prints or exits, so
 * lhvctl and the lhv-nl-abuse test tool share it.
 */
#ifndef LHVCTL_NL_H
#define LHVCTL_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nlmsghdr;
struct lhv_nl;

/* Room for one request; pass it to mnl_attr_put_*_check(). */
#define LHV_NL_REQ_SIZE 8192

/* Longest extack message kept, NUL included; longer ones are cut. */
#define LHV_NL_EXTACK_MAX 256

/* What the kernel answered to one request. */
struct lhv_nl_result {
	/* errno of the NLMSG_ERROR, 0 when the kernel accepted the request */
	int error;
	/* NLMSGERR_ATTR_MSG, "" if none */
	char msg[LHV_NL_EXTACK_MAX];
	/* NLMSGERR_ATTR_MISS_TYPE and NLMSGERR_ATTR_OFFS, if present */
	bool has_miss_type, has_offs;
	uint32_t miss_type, offs;
	/* First message of the request's type, or NULL; valid until the next
	 * lhv_nl_call() or lhv_nl_close(). Its length has been checked.
	 */
	const struct nlmsghdr *reply;
	unsigned int nreplies;
};

/*
 * Open and bind a NETLINK_GENERIC socket with NETLINK_EXT_ACK and
 * NETLINK_CAP_ACK set. Returns 0 or a negative errno.
 */
int lhv_nl_open(struct lhv_nl **nlp);
void lhv_nl_close(struct lhv_nl *nl);

/*
 * Look up a family id with CTRL_CMD_GETFAMILY and use it for later
 * requests. Returns 0, -ENOENT if no such family is registered, or another
 * negative errno.
 */
int lhv_nl_resolve(struct lhv_nl *nl, const char *family);

/*
 * Start a request for the resolved family in the socket's request buffer
 * (LHV_NL_REQ_SIZE bytes): netlink header with NLM_F_REQUEST | NLM_F_ACK
 * and a fresh sequence number, then the genetlink header. Add attributes
 * with mnl_attr_put_*_check(); a caller may also rewrite any field.
 */
struct nlmsghdr *lhv_nl_request(struct lhv_nl *nl, uint8_t cmd);

/*
 * Send req (req->nlmsg_len bytes, which may lie about its contents) and
 * read until its acknowledgement arrives. Returns 0 when the kernel
 * answered, whether it accepted the request or not (see res->error), or a
 * negative errno when the exchange failed: -ETIMEDOUT for no answer,
 * -EBADMSG or -EPROTO for answers that break the netlink protocol.
 */
int lhv_nl_call(struct lhv_nl *nl, struct nlmsghdr *req,
		struct lhv_nl_result *res);

#endif /* LHVCTL_NL_H */
