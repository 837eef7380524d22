/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A generic netlink socket for the "lhv" family: open it, resolve the
 * family id through nlctrl, send one request and collect its reply and
 * acknowledgement, extack included, or run a dump and hand each message to
 * a callback. Nothing here prints or exits, so lhvctl and the lhv-nl-abuse
 * test tool share it. Attributes go into requests with libmnl's
 * mnl_attr_put_*_check() and mnl_attr_nest_start_check()/nest_end(), or
 * with the builders of request.h.
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
	 * Always NULL after lhv_nl_dump(), which hands messages to its
	 * callback instead.
	 */
	const struct nlmsghdr *reply;
	/* Messages of the request's type received (for a dump: entries) */
	unsigned int nreplies;
	/* A dump message carried NLM_F_DUMP_INTR: the kernel's list changed
	 * while it was dumped, so entries may be missing or repeated.
	 */
	bool interrupted;
};

/*
 * Called by lhv_nl_dump() for each message of the request's type, in
 * order. nlh has been checked to lie within the datagram and is valid only
 * during the call. Return 0 to go on, nonzero to stop the dump.
 */
typedef int (*lhv_nl_msg_cb)(const struct nlmsghdr *nlh, void *data);

/* lhv_nl_dump() returns this when the callback stopped the dump. */
#define LHV_NL_STOPPED 1

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
 * For a socket that only listens: resolve family as lhv_nl_resolve()
 * does, find its multicast group called group in the same answer
 * (CTRL_ATTR_MCAST_GROUPS) and join it. Join before sending the request
 * whose outcome you wait for, from another socket, or the notification
 * may come first. Returns 0, -ENOENT (no such family or group) or another
 * negative errno.
 */
int lhv_nl_join(struct lhv_nl *nl, const char *family, const char *group);

/*
 * Wait up to timeout_ms (negative: for ever) for a datagram on a joined
 * socket and call cb for each message of the family in it (a
 * notification; nlh checked as for lhv_nl_dump()). Returns 0 once a
 * datagram was handled, -ETIMEDOUT when none came, LHV_NL_STOPPED when
 * cb returned nonzero, -ENOBUFS when the kernel dropped notifications
 * because the socket's buffer was full (the socket stays usable), or
 * another negative errno.
 */
int lhv_nl_wait(struct lhv_nl *nl, int timeout_ms, lhv_nl_msg_cb cb,
		void *data);

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

/*
 * As lhv_nl_request(), for a dump: flags NLM_F_REQUEST | NLM_F_DUMP. The
 * kernel then answers with multipart messages ended by NLMSG_DONE, or with
 * an NLMSG_ERROR if it refuses the request.
 */
struct nlmsghdr *lhv_nl_dump_request(struct lhv_nl *nl, uint8_t cmd);

/*
 * Send the dump request req and call cb(message, data) for every message
 * of req's type until NLMSG_DONE or NLMSG_ERROR ends the dump; both carry
 * the outcome and any extack into res (res->error 0: the dump is
 * complete). Returns 0 when the kernel ended the dump, LHV_NL_STOPPED when
 * cb returned nonzero (the rest of the dump is then read and dropped, so
 * the socket stays usable), or a negative errno as lhv_nl_call() does.
 */
int lhv_nl_dump(struct lhv_nl *nl, struct nlmsghdr *req, lhv_nl_msg_cb cb,
		void *data, struct lhv_nl_result *res);

#endif /* LHVCTL_NL_H */
