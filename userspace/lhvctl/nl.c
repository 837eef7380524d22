// SPDX-License-Identifier: BSD-3-Clause
/*
 * Generic netlink transport for lhvctl and its test tools (see nl.h).
 *
 * Every byte received is untrusted: message and attribute lengths are
 * checked before use, messages for other requests are skipped, and an
 * answer that breaks the protocol ends the exchange with an error rather
 * than a guess.
 */
#include "nl.h"

#include <errno.h>
#include <poll.h>
#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <lhv/netlink.h>

#include "reply.h"

/*
 * Big enough for any datagram the kernel sends: a doit reply, or a dump
 * batch, which the kernel sizes to at most 32 KiB.
 */
#define LHV_NL_RX_SIZE 32768

/* A module that does not answer within this time is reported, not waited on. */
#define LHV_NL_TIMEOUT_S 10

/* errno values the kernel can return fit in 12 bits (MAX_ERRNO). */
#define LHV_NL_MAX_ERRNO 4095

struct lhv_nl {
	struct mnl_socket *sock;
	unsigned int portid;
	unsigned int seq;
	uint16_t family;
	alignas(struct nlmsghdr) char req[LHV_NL_REQ_SIZE];
	alignas(struct nlmsghdr) char rx[LHV_NL_RX_SIZE];
	alignas(struct nlmsghdr) char reply[LHV_NL_RX_SIZE];
};

int lhv_nl_open(struct lhv_nl **nlp)
{
	struct timeval tv = { .tv_sec = LHV_NL_TIMEOUT_S };
	struct lhv_nl *nl;
	int one = 1;
	int ret;

	*nlp = NULL;
	nl = calloc(1, sizeof(*nl));
	if (!nl)
		return -ENOMEM;

	nl->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sock)
		goto fail;
	if (mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one,
				  sizeof(one)) < 0 ||
	    mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one,
				  sizeof(one)) < 0 ||
	    setsockopt(mnl_socket_get_fd(nl->sock), SOL_SOCKET, SO_RCVTIMEO,
		       &tv, sizeof(tv)) < 0 ||
	    mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0)
		goto fail;

	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = (unsigned int)time(NULL);
	*nlp = nl;
	return 0;

fail:
	ret = errno ? -errno : -EIO;
	lhv_nl_close(nl);
	return ret;
}

void lhv_nl_close(struct lhv_nl *nl)
{
	if (!nl)
		return;
	if (nl->sock)
		mnl_socket_close(nl->sock);
	free(nl);
}

static struct nlmsghdr *put_request(struct lhv_nl *nl, uint16_t type,
				    uint8_t cmd, uint8_t version)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(nl->req);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++nl->seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = version;
	return nlh;
}

struct nlmsghdr *lhv_nl_request(struct lhv_nl *nl, uint8_t cmd)
{
	return put_request(nl, nl->family, cmd, LHV_GENL_VERSION);
}

/* Record the extack TLVs in buf[0..len) into res; broken ones are dropped. */
static void parse_tlvs(const char *buf, size_t len, struct lhv_nl_result *res)
{
	const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1] = { NULL };
	const struct nlattr *a;

	/* Broken TLVs lose the details, not the errno, which is the answer. */
	if (lhv_attrs_index(buf, len, tb, NLMSGERR_ATTR_MAX))
		return;

	a = tb[NLMSGERR_ATTR_MSG];
	if (a && mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
		snprintf(res->msg, sizeof(res->msg), "%s", mnl_attr_get_str(a));
	a = tb[NLMSGERR_ATTR_MISS_TYPE];
	if (a && mnl_attr_validate(a, MNL_TYPE_U32) == 0) {
		res->has_miss_type = true;
		res->miss_type = mnl_attr_get_u32(a);
	}
	a = tb[NLMSGERR_ATTR_OFFS];
	if (a && mnl_attr_validate(a, MNL_TYPE_U32) == 0) {
		res->has_offs = true;
		res->offs = mnl_attr_get_u32(a);
	}
}

/* Take a kernel errno (0 or negative) into res; anything else is corrupt. */
static int set_error(int error, struct lhv_nl_result *res)
{
	if (error > 0 || error < -LHV_NL_MAX_ERRNO)
		return -EBADMSG;
	res->error = -error;
	return 0;
}

/* Record the errno and extack of an NLMSG_ERROR (an ACK when error is 0). */
static int parse_ack(const struct nlmsghdr *nlh, struct lhv_nl_result *res)
{
	const size_t hdr = sizeof(struct nlmsghdr);
	const struct nlmsgerr *e;
	size_t plen, off;

	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + sizeof(*e))
		return -EBADMSG;
	plen = mnl_nlmsg_get_payload_len(nlh);
	e = mnl_nlmsg_get_payload(nlh);
	if (set_error(e->error, res))
		return -EBADMSG;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return 0;

	/* The TLVs follow the echoed request, which is cut to its header
	 * when NETLINK_CAP_ACK took effect (NLM_F_CAPPED).
	 */
	off = sizeof(*e);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		if (e->msg.nlmsg_len < hdr ||
		    e->msg.nlmsg_len - hdr > plen - off)
			return 0;
		off += e->msg.nlmsg_len - hdr;
	}
	off = MNL_ALIGN(off);
	if (off <= plen)
		parse_tlvs((const char *)e + off, plen - off, res);
	return 0;
}

/*
 * Record the outcome of a dump from its NLMSG_DONE: an int errno (the
 * dump's own failure, 0 when complete), then extack TLVs if flagged.
 */
static int parse_done(const struct nlmsghdr *nlh, struct lhv_nl_result *res)
{
	const char *p = mnl_nlmsg_get_payload(nlh);
	size_t plen = mnl_nlmsg_get_payload_len(nlh);
	size_t off = MNL_ALIGN(sizeof(int32_t));
	int32_t error;

	if (plen < sizeof(error))
		return -EBADMSG;
	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		res->interrupted = true;
	memcpy(&error, p, sizeof(error));
	if (set_error(error, res))
		return -EBADMSG;
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && off <= plen)
		parse_tlvs(p + off, plen - off, res);
	return 0;
}

/* One request in flight and what to do with its answers. */
struct exchange {
	const struct nlmsghdr *req;
	struct lhv_nl_result *res;
	bool dump;
	lhv_nl_msg_cb cb;
	void *data;
	bool stopped; /* the callback asked to stop: drop the rest */
};

/* A message of the request's type: keep it or hand it to the callback. */
static void take_reply(struct lhv_nl *nl, const struct nlmsghdr *nlh,
		       struct exchange *x)
{
	struct lhv_nl_result *res = x->res;

	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		res->interrupted = true;
	res->nreplies++;
	if (x->dump) {
		if (!x->stopped && x->cb(nlh, x->data))
			x->stopped = true;
		return;
	}
	if (res->nreplies == 1) {
		memcpy(nl->reply, nlh, nlh->nlmsg_len);
		res->reply = (const struct nlmsghdr *)nl->reply;
	}
}

/*
 * Walk one datagram. Returns 0 once the exchange has ended (the
 * acknowledgement of a request, the NLMSG_DONE or an error of a dump), 1
 * to keep reading, or a negative errno.
 */
static int handle_datagram(struct lhv_nl *nl, struct exchange *x, int len)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)nl->rx;

	for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
		/* Left over from an earlier, abandoned request: not ours. */
		if (!mnl_nlmsg_seq_ok(nlh, x->req->nlmsg_seq) ||
		    !mnl_nlmsg_portid_ok(nlh, nl->portid))
			continue;
		/* A multicast notification (sequence 0) is no answer. */
		if (!nlh->nlmsg_seq && x->req->nlmsg_seq)
			continue;

		if (nlh->nlmsg_type == NLMSG_ERROR)
			return parse_ack(nlh, x->res);
		if (x->dump && nlh->nlmsg_type == NLMSG_DONE)
			return parse_done(nlh, x->res);
		if (nlh->nlmsg_type == NLMSG_NOOP)
			continue;
		if (nlh->nlmsg_type != x->req->nlmsg_type)
			return -EPROTO;
		take_reply(nl, nlh, x);
	}
	/* Bytes too few to be a message: the datagram is corrupt. */
	return len > 0 ? -EBADMSG : 1;
}

/* Send x->req and read answers until the exchange ends. */
static int exchange(struct lhv_nl *nl, struct exchange *x)
{
	ssize_t n;
	int ret;

	memset(x->res, 0, sizeof(*x->res));
	if (mnl_socket_sendto(nl->sock, x->req, x->req->nlmsg_len) < 0)
		return -errno;

	for (;;) {
		n = mnl_socket_recvfrom(nl->sock, nl->rx, sizeof(nl->rx));
		if (n < 0) {
			/* ESRCH: a datagram from a process, not the kernel. */
			if (errno == EINTR || errno == ESRCH)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return -ETIMEDOUT;
			return -errno;
		}
		ret = handle_datagram(nl, x, (int)n);
		if (ret <= 0)
			return ret;
	}
}

int lhv_nl_call(struct lhv_nl *nl, struct nlmsghdr *req,
		struct lhv_nl_result *res)
{
	struct exchange x = { .req = req, .res = res };

	return exchange(nl, &x);
}

struct nlmsghdr *lhv_nl_dump_request(struct lhv_nl *nl, uint8_t cmd)
{
	struct nlmsghdr *nlh = lhv_nl_request(nl, cmd);

	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	return nlh;
}

int lhv_nl_dump(struct lhv_nl *nl, struct nlmsghdr *req, lhv_nl_msg_cb cb,
		void *data, struct lhv_nl_result *res)
{
	struct exchange x = {
		.req = req,
		.res = res,
		.dump = true,
		.cb = cb,
		.data = data,
	};
	int ret;

	ret = exchange(nl, &x);
	/* The callback's verdict wins: it has the caller's reason. */
	if (x.stopped)
		return LHV_NL_STOPPED;
	return ret;
}

/*
 * CTRL_CMD_GETFAMILY for family: its attributes indexed into tb, the
 * family id checked and kept for later requests.
 */
static int get_family(struct lhv_nl *nl, const char *family,
		      const struct nlattr **tb)
{
	const size_t hdrs = MNL_NLMSG_HDRLEN + GENL_HDRLEN;
	struct lhv_nl_result res;
	struct nlmsghdr *req;
	const struct nlattr *a;
	uint16_t id;
	int ret;

	req = put_request(nl, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1);
	if (!mnl_attr_put_strz_check(req, LHV_NL_REQ_SIZE,
				     CTRL_ATTR_FAMILY_NAME, family))
		return -ENAMETOOLONG;

	ret = lhv_nl_call(nl, req, &res);
	if (ret)
		return ret;
	if (res.error)
		return -res.error;
	if (!res.reply || res.reply->nlmsg_len < hdrs ||
	    lhv_attrs_index((const char *)res.reply + hdrs,
			    res.reply->nlmsg_len - hdrs, tb, CTRL_ATTR_MAX))
		return -EBADMSG;

	a = tb[CTRL_ATTR_FAMILY_ID];
	if (!a || mnl_attr_validate(a, MNL_TYPE_U16) < 0)
		return -EBADMSG;
	id = mnl_attr_get_u16(a);
	if (id < GENL_MIN_ID)
		return -EBADMSG;
	nl->family = id;
	return 0;
}

int lhv_nl_resolve(struct lhv_nl *nl, const char *family)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1] = { NULL };

	return get_family(nl, family, tb);
}

int lhv_nl_join(struct lhv_nl *nl, const char *family, const char *group)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1] = { NULL };
	uint32_t id;
	int ret;

	ret = get_family(nl, family, tb);
	if (ret)
		return ret;
	if (!tb[CTRL_ATTR_MCAST_GROUPS])
		return -ENOENT;
	ret = lhv_parse_mcast_group(tb[CTRL_ATTR_MCAST_GROUPS], group, &id);
	if (ret)
		return ret;
	if (mnl_socket_setsockopt(nl->sock, NETLINK_ADD_MEMBERSHIP, &id,
				  sizeof(id)) < 0)
		return -errno;
	return 0;
}

int lhv_nl_wait(struct lhv_nl *nl, int timeout_ms, lhv_nl_msg_cb cb, void *data)
{
	struct pollfd pfd = { .fd = mnl_socket_get_fd(nl->sock),
			      .events = POLLIN };
	const struct nlmsghdr *nlh;
	int n;

	n = poll(&pfd, 1, timeout_ms < 0 ? -1 : timeout_ms);
	if (n < 0)
		return -errno;
	if (!n)
		return -ETIMEDOUT;
	n = (int)mnl_socket_recvfrom(nl->sock, nl->rx, sizeof(nl->rx));
	if (n < 0)
		/* ESRCH: a datagram from a process, not the kernel: dropped. */
		return errno == ESRCH || errno == EINTR ? 0 : -errno;
	nlh = (const struct nlmsghdr *)nl->rx;
	for (; mnl_nlmsg_ok(nlh, n); nlh = mnl_nlmsg_next(nlh, &n))
		if (nlh->nlmsg_type == nl->family && cb(nlh, data))
			return LHV_NL_STOPPED;
	return n > 0 ? -EBADMSG : 0;
}
