// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * MEI host bus messages, the ME side; the contract is in hbm.h. A message
 * is copied into a local of the command's size only after its length has
 * been checked, and only the copy is used: the guest may rewrite its
 * buffer at any time.
 */
#include "hbm.h"

_Static_assert(sizeof(struct hbm_start_req) == 4, "start req");
_Static_assert(sizeof(struct hbm_start_res) == 4, "start res");
_Static_assert(sizeof(struct hbm_stop) == 4, "stop");
_Static_assert(sizeof(struct hbm_enum_req) == 4, "enum req");
_Static_assert(sizeof(struct hbm_enum_res) == 36, "enum res");
_Static_assert(sizeof(struct hbm_props_req) == 4, "props req");
_Static_assert(sizeof(struct hbm_props_res) == 28, "props res");
_Static_assert(sizeof(struct hbm_client_msg) == 4, "client msg");
_Static_assert(sizeof(struct hbm_flow_control) == 8, "flow control");
_Static_assert(sizeof(struct hbm_notify_res) == 8, "notify res");

#define HDR_LENGTH_SHIFT 16
#define HDR_LENGTH_MASK 0x1ffu

lhv_le32 hbm_hdr_encode(const struct hbm_hdr *h)
{
	uint32_t w = h->me_addr | (uint32_t)h->host_addr << 8 |
		     (uint32_t)(h->length & HDR_LENGTH_MASK)
			     << HDR_LENGTH_SHIFT;

	if (h->internal)
		w |= HBM_HDR_INTERNAL;
	if (h->msg_complete)
		w |= HBM_HDR_COMPLETE;
	return lhv_cpu_to_le32(w);
}

int hbm_hdr_check(const void *buf, size_t len, struct hbm_hdr *h)
{
	lhv_le32 raw;
	uint32_t w;

	if (!buf || !h || len < HBM_HDR_LEN)
		return -EBADMSG;
	memcpy(&raw, buf, sizeof(raw));
	w = lhv_le32_to_cpu(raw);
	h->me_addr = w & 0xff;
	h->host_addr = (w >> 8) & 0xff;
	h->length = (w >> HDR_LENGTH_SHIFT) & HDR_LENGTH_MASK;
	h->internal = w & HBM_HDR_INTERNAL;
	h->msg_complete = w & HBM_HDR_COMPLETE;
	if (w & (HBM_HDR_RESERVED | HBM_HDR_EXTENDED | HBM_HDR_DMA_RING))
		return -EBADMSG;
	if (h->length != len - HBM_HDR_LEN)
		return -EBADMSG;
	if (hbm_hdr_is_bus(h) && !h->msg_complete)
		return -EBADMSG;
	return 0;
}

static const struct hbm_client *find_client(const struct hbm_dev *d,
					    uint8_t me_addr)
{
	unsigned int i;

	if (!me_addr)
		return NULL;
	for (i = 0; i < d->nr_clients; i++)
		if (d->clients[i].me_addr == me_addr)
			return &d->clients[i];
	return NULL;
}

int hbm_init(struct hbm_dev *d, const struct hbm_client *clients,
	     unsigned int nr_clients, const struct hbm_ops *ops, void *priv)
{
	unsigned int i, j;

	if (!d || (nr_clients && !clients) || nr_clients > 255)
		return -EINVAL;
	for (i = 0; i < nr_clients; i++) {
		const struct hbm_client *c = &clients[i];

		if (!c->me_addr || !c->max_connections || !c->max_msg_len)
			return -EINVAL;
		for (j = 0; j < i; j++)
			if (clients[j].me_addr == c->me_addr)
				return -EINVAL;
	}
	memset(d, 0, sizeof(*d));
	d->clients = clients;
	d->nr_clients = nr_clients;
	d->ops = ops;
	d->priv = priv;
	d->state = HBM_IDLE;
	return 0;
}

static void drop_conn(struct hbm_dev *d, struct hbm_conn *c)
{
	const struct hbm_client *client = c->client;
	uint8_t host_addr = c->host_addr;

	memset(c, 0, sizeof(*c));
	d->nr_conns--;
	if (d->ops && d->ops->disconnect)
		d->ops->disconnect(d->priv, client, host_addr);
}

static void drop_all(struct hbm_dev *d)
{
	unsigned int i;

	for (i = 0; i < HBM_MAX_CONNS; i++)
		if (d->conns[i].client)
			drop_conn(d, &d->conns[i]);
}

void hbm_reset(struct hbm_dev *d)
{
	drop_all(d);
	d->state = HBM_IDLE;
	d->version = (struct hbm_version){ 0, 0 };
}

struct hbm_conn *hbm_conn_find(struct hbm_dev *d, uint8_t host_addr,
			       uint8_t me_addr)
{
	unsigned int i;

	for (i = 0; i < HBM_MAX_CONNS; i++) {
		struct hbm_conn *c = &d->conns[i];

		if (c->client && c->host_addr == host_addr &&
		    c->client->me_addr == me_addr)
			return c;
	}
	return NULL;
}

/* Any connection of host_addr, to whichever client. */
static struct hbm_conn *conn_of_host(struct hbm_dev *d, uint8_t host_addr)
{
	unsigned int i;

	for (i = 0; i < HBM_MAX_CONNS; i++)
		if (d->conns[i].client && d->conns[i].host_addr == host_addr)
			return &d->conns[i];
	return NULL;
}

static unsigned int conns_of_client(const struct hbm_dev *d,
				    const struct hbm_client *client)
{
	unsigned int i, n = 0;

	for (i = 0; i < HBM_MAX_CONNS; i++)
		if (d->conns[i].client == client)
			n++;
	return n;
}

static struct hbm_conn *free_slot(struct hbm_dev *d)
{
	unsigned int i;

	for (i = 0; i < HBM_MAX_CONNS; i++)
		if (!d->conns[i].client)
			return &d->conns[i];
	return NULL;
}

static bool version_le(struct hbm_version a, struct hbm_version b)
{
	return a.major < b.major || (a.major == b.major && a.minor <= b.minor);
}

static const struct hbm_version me_version = { HBM_VERSION_MINOR,
					       HBM_VERSION_MAJOR };
static const struct hbm_version min_version = { 0, 1 };

static void do_start(struct hbm_dev *d, const struct hbm_start_req *rq,
		     struct hbm_start_res *rs)
{
	bool ok = version_le(min_version, rq->host_version) &&
		  version_le(rq->host_version, me_version);

	rs->cmd = HBM_HOST_START_RES;
	rs->host_version_supported = ok;
	rs->me_max_version = me_version;
	d->version = ok ? rq->host_version : me_version;
	d->state = HBM_STARTED;
}

static void do_enum(struct hbm_dev *d, struct hbm_enum_res *rs)
{
	unsigned int i;

	memset(rs, 0, sizeof(*rs));
	rs->cmd = HBM_HOST_ENUM_RES;
	for (i = 0; i < d->nr_clients; i++) {
		uint8_t a = d->clients[i].me_addr;

		rs->valid_addresses[a / 8] |= (uint8_t)(1u << (a % 8));
	}
	d->state = HBM_ENUMERATED;
}

static void do_props(struct hbm_dev *d, const struct hbm_props_req *rq,
		     struct hbm_props_res *rs)
{
	const struct hbm_client *c = find_client(d, rq->me_addr);

	memset(rs, 0, sizeof(*rs));
	rs->cmd = HBM_CLIENT_PROPS_RES;
	rs->me_addr = rq->me_addr;
	if (!c) {
		rs->status = HBM_S_CLIENT_NOT_FOUND;
		return;
	}
	rs->status = HBM_S_SUCCESS;
	memcpy(rs->props.protocol_name, c->uuid, sizeof(c->uuid));
	rs->props.protocol_version = c->protocol_version;
	rs->props.max_connections = c->max_connections;
	rs->props.fixed_address = c->fixed;
	rs->props.flags = c->single_recv_buf ? HBM_PROPS_SINGLE_RECV_BUF : 0;
	rs->props.max_msg_length = lhv_cpu_to_le32(c->max_msg_len);
}

static uint8_t connect_status(struct hbm_dev *d, uint8_t me_addr,
			      uint8_t host_addr)
{
	const struct hbm_client *c = find_client(d, me_addr);
	struct hbm_conn *slot;
	uint8_t st;

	if (!c)
		return HBM_CONN_NOT_FOUND;
	if (!host_addr)
		return HBM_CONN_MESSAGE_SMALL;
	if (conn_of_host(d, host_addr))
		return HBM_CONN_ALREADY_STARTED;
	slot = free_slot(d);
	if (!slot || conns_of_client(d, c) >= c->max_connections)
		return HBM_CONN_OUT_OF_RESOURCES;
	if (d->ops && d->ops->connect) {
		st = d->ops->connect(d->priv, c, host_addr);
		if (st != HBM_S_SUCCESS)
			return st;
	}
	memset(slot, 0, sizeof(*slot));
	slot->client = c;
	slot->host_addr = host_addr;
	d->nr_conns++;
	return HBM_CONN_SUCCESS;
}

static void do_connect(struct hbm_dev *d, const struct hbm_client_msg *rq,
		       struct hbm_client_msg *rs)
{
	rs->cmd = HBM_CLIENT_CONNECT_RES;
	rs->me_addr = rq->me_addr;
	rs->host_addr = rq->host_addr;
	rs->status = connect_status(d, rq->me_addr, rq->host_addr);
}

static void do_disconnect(struct hbm_dev *d, const struct hbm_client_msg *rq,
			  struct hbm_client_msg *rs)
{
	struct hbm_conn *c = hbm_conn_find(d, rq->host_addr, rq->me_addr);

	rs->cmd = HBM_CLIENT_DISCONNECT_RES;
	rs->me_addr = rq->me_addr;
	rs->host_addr = rq->host_addr;
	rs->status = c ? HBM_S_SUCCESS : HBM_S_CLIENT_NOT_FOUND;
	if (c)
		drop_conn(d, c);
}

static int do_flow_control(struct hbm_dev *d, const struct hbm_flow_control *rq)
{
	struct hbm_conn *c = hbm_conn_find(d, rq->host_addr, rq->me_addr);

	if (!c)
		return -ENOENT;
	if (c->host_credits >= HBM_MAX_CREDITS)
		return -EOVERFLOW;
	c->host_credits++;
	return 0;
}

static uint8_t notify_status(struct hbm_dev *d, const struct hbm_client_msg *rq)
{
	struct hbm_conn *c = hbm_conn_find(d, rq->host_addr, rq->me_addr);
	uint8_t start = rq->status;

	if (!c)
		return HBM_S_CLIENT_NOT_FOUND;
	if (!c->client->notify)
		return HBM_S_NOT_ALLOWED;
	if (start > 1)
		return HBM_S_INVALID_PARAMETER;
	if (start && c->notify)
		return HBM_S_ALREADY_STARTED;
	if (!start && !c->notify)
		return HBM_S_NOT_STARTED;
	c->notify = start;
	return HBM_S_SUCCESS;
}

static void do_notify(struct hbm_dev *d, const struct hbm_client_msg *rq,
		      struct hbm_notify_res *rs)
{
	memset(rs, 0, sizeof(*rs));
	rs->cmd = HBM_NOTIFY_RES;
	rs->me_addr = rq->me_addr;
	rs->host_addr = rq->host_addr;
	rs->start = rq->status;
	rs->status = notify_status(d, rq);
}

/* A command's request and answer sizes; req 0: not one the ME takes. */
struct cmd_info {
	uint8_t req;
	uint8_t res;
};

static struct cmd_info cmd_info(uint8_t cmd)
{
	switch (cmd) {
	case HBM_HOST_START_REQ:
		return (struct cmd_info){ 4, 4 };
	case HBM_HOST_STOP_REQ:
		return (struct cmd_info){ 4, 4 };
	case HBM_HOST_ENUM_REQ:
		return (struct cmd_info){ 4, 36 };
	case HBM_CLIENT_PROPS_REQ:
		return (struct cmd_info){ 4, 28 };
	case HBM_CLIENT_CONNECT_REQ:
	case HBM_CLIENT_DISCONNECT_REQ:
		return (struct cmd_info){ 4, 4 };
	case HBM_FLOW_CONTROL:
		return (struct cmd_info){ 8, 0 };
	case HBM_NOTIFY_REQ:
		return (struct cmd_info){ 4, 8 };
	default:
		return (struct cmd_info){ 0, 0 };
	}
}

static bool state_allows(const struct hbm_dev *d, uint8_t cmd)
{
	static const struct hbm_version notify_version = { 0, 2 };

	switch (cmd) {
	case HBM_HOST_START_REQ:
		return d->state == HBM_IDLE;
	case HBM_HOST_STOP_REQ:
	case HBM_HOST_ENUM_REQ:
		return d->state == HBM_STARTED || d->state == HBM_ENUMERATED;
	case HBM_NOTIFY_REQ:
		return d->state == HBM_ENUMERATED &&
		       version_le(notify_version, d->version);
	default:
		return d->state == HBM_ENUMERATED;
	}
}

int hbm_handle(struct hbm_dev *d, const void *msg, size_t len, void *reply,
	       size_t reply_cap, size_t *reply_len)
{
	union {
		uint8_t cmd;
		struct hbm_start_req start;
		struct hbm_props_req props;
		struct hbm_client_msg client;
		struct hbm_flow_control fc;
	} rq;
	union {
		struct hbm_start_res start;
		struct hbm_stop stop;
		struct hbm_enum_res enm;
		struct hbm_props_res props;
		struct hbm_client_msg client;
		struct hbm_notify_res notify;
	} rs;
	struct cmd_info info;
	uint8_t cmd;
	int ret = 0;

	if (reply_len)
		*reply_len = 0;
	if (!d || !reply_len || (!msg && len) || (!reply && reply_cap))
		return -EINVAL;
	if (!len)
		return -EBADMSG;
	memcpy(&cmd, msg, 1);
	info = cmd_info(cmd);
	if (!info.req)
		return -EOPNOTSUPP;
	if (len != info.req)
		return -EBADMSG;
	if (!state_allows(d, cmd))
		return -EPROTO;
	if (reply_cap < info.res)
		return -ENOSPC;

	memcpy(&rq, msg, info.req);
	lhv_barrier();
	memset(&rs, 0, sizeof(rs));
	switch (cmd) {
	case HBM_HOST_START_REQ:
		do_start(d, &rq.start, &rs.start);
		break;
	case HBM_HOST_STOP_REQ:
		drop_all(d);
		rs.stop.cmd = HBM_HOST_STOP_RES;
		d->state = HBM_STOPPED;
		break;
	case HBM_HOST_ENUM_REQ:
		do_enum(d, &rs.enm);
		break;
	case HBM_CLIENT_PROPS_REQ:
		do_props(d, &rq.props, &rs.props);
		break;
	case HBM_CLIENT_CONNECT_REQ:
		do_connect(d, &rq.client, &rs.client);
		break;
	case HBM_CLIENT_DISCONNECT_REQ:
		do_disconnect(d, &rq.client, &rs.client);
		break;
	case HBM_FLOW_CONTROL:
		ret = do_flow_control(d, &rq.fc);
		break;
	case HBM_NOTIFY_REQ:
		do_notify(d, &rq.client, &rs.notify);
		break;
	}
	if (ret)
		return ret;
	if (info.res)
		memcpy(reply, &rs, info.res);
	*reply_len = info.res;
	return 0;
}

int hbm_take_credit(struct hbm_dev *d, uint8_t host_addr, uint8_t me_addr)
{
	struct hbm_conn *c = hbm_conn_find(d, host_addr, me_addr);

	if (!c)
		return -ENOTCONN;
	if (!c->host_credits)
		return -EAGAIN;
	c->host_credits--;
	return 0;
}

int hbm_build_flow_control(struct hbm_dev *d, uint8_t host_addr,
			   uint8_t me_addr, void *buf, size_t cap)
{
	struct hbm_flow_control fc;

	if (host_addr) {
		if (!hbm_conn_find(d, host_addr, me_addr))
			return -ENOTCONN;
	} else {
		const struct hbm_client *c = find_client(d, me_addr);

		if (!c || !c->single_recv_buf || !conns_of_client(d, c))
			return -ENOTCONN;
	}
	if (cap < sizeof(fc))
		return -ENOSPC;
	memset(&fc, 0, sizeof(fc));
	fc.cmd = HBM_FLOW_CONTROL;
	fc.me_addr = me_addr;
	fc.host_addr = host_addr;
	memcpy(buf, &fc, sizeof(fc));
	return (int)sizeof(fc);
}

int hbm_build_notification(struct hbm_dev *d, uint8_t host_addr,
			   uint8_t me_addr, void *buf, size_t cap)
{
	struct hbm_conn *c = hbm_conn_find(d, host_addr, me_addr);
	struct hbm_client_msg n;

	if (!c)
		return -ENOTCONN;
	if (!c->notify)
		return -EAGAIN;
	if (cap < sizeof(n))
		return -ENOSPC;
	memset(&n, 0, sizeof(n));
	n.cmd = HBM_NOTIFICATION;
	n.me_addr = me_addr;
	n.host_addr = host_addr;
	memcpy(buf, &n, sizeof(n));
	return (int)sizeof(n);
}

int hbm_grant_credit(struct hbm_dev *d, uint8_t host_addr, uint8_t me_addr,
		     void *buf, size_t cap)
{
	struct hbm_conn *c = hbm_conn_find(d, host_addr, me_addr);
	int n;

	if (!c)
		return -ENOTCONN;
	if (c->me_credits >= HBM_MAX_CREDITS)
		return -EOVERFLOW;
	n = hbm_build_flow_control(d, host_addr, me_addr, buf, cap);
	if (n > 0)
		c->me_credits++;
	return n;
}

/* Refuse the message in progress (and its later packets). */
static int rx_refuse(struct hbm_conn *c, const struct hbm_hdr *h, int err,
		     bool *regrant)
{
	*regrant = c->rx_open;
	c->rx_open = false;
	c->rx_len = 0;
	c->rx_drop = !h->msg_complete;
	return err;
}

int hbm_client_rx(struct hbm_dev *d, const struct hbm_hdr *h,
		  const void *payload, uint8_t *msg, uint32_t *msg_len,
		  bool *regrant)
{
	struct hbm_conn *c;

	if (regrant)
		*regrant = false;
	if (msg_len)
		*msg_len = 0;
	if (!d || !h || !msg || !msg_len || !regrant || (!payload && h->length))
		return -EINVAL;
	c = hbm_conn_find(d, h->host_addr, h->me_addr);
	if (!c || hbm_hdr_is_bus(h))
		return -ENOTCONN;
	if (c->rx_drop) {
		c->rx_drop = !h->msg_complete;
		return -ECANCELED;
	}
	if (!c->rx_open) {
		if (!c->me_credits)
			return rx_refuse(c, h, -EAGAIN, regrant);
		c->me_credits--;
		c->rx_open = true;
		c->rx_len = 0;
	}
	if (h->length > c->client->max_msg_len - c->rx_len)
		return rx_refuse(c, h, -EMSGSIZE, regrant);
	if (h->length)
		memcpy(msg + c->rx_len, payload, h->length);
	c->rx_len += h->length;
	if (!h->msg_complete)
		return 0;
	if (!c->rx_len)
		return rx_refuse(c, h, -ENODATA, regrant);
	*msg_len = c->rx_len;
	c->rx_open = false;
	c->rx_len = 0;
	return 1;
}
