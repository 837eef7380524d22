// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The host side of the MEI host bus: start, enumeration and client
 * properties at probe and after a link reset; connect, disconnect and
 * notifications for the open files; flow control both ways (the ME's
 * FLOW_CONTROL lets a file send one message, ours lets the ME send one);
 * reassembly of the ME's packets into messages. The answers and errno
 * values follow Linux's mei driver (docs/heci.md).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <linux/string.h>

#include "fe.h"

/* What mei makes of a connect status (drivers/misc/mei/hbm.c). */
static int fe_conn_errno(u8 status)
{
	switch (status) {
	case HBM_CONN_SUCCESS:
		return 0;
	case HBM_CONN_NOT_FOUND:
		return -ENOTTY;
	case HBM_CONN_ALREADY_STARTED:
	case HBM_CONN_OUT_OF_RESOURCES:
	case HBM_CONN_NOT_ALLOWED:
		return -EBUSY;
	default:
		return -EINVAL;
	}
}

static struct fe_cl *fe_cl_by_addr(struct fe_dev *fe, u8 host_addr)
{
	struct fe_cl *cl;

	list_for_each_entry (cl, &fe->cls, node)
		if (cl->host_addr == host_addr)
			return cl;
	return NULL;
}

static void fe_free_msgs(struct list_head *list)
{
	struct fe_msg *m, *tmp;

	list_for_each_entry_safe (m, tmp, list, node) {
		list_del(&m->node);
		kfree(m);
	}
}

/* The connection is gone, whatever the reason; lock held. */
static void fe_cl_gone(struct fe_dev *fe, struct fe_cl *cl, int status)
{
	if (cl->host_addr)
		clear_bit(cl->host_addr, fe->host_addrs);
	cl->host_addr = 0;
	cl->state = FE_CL_DISCONNECTED;
	cl->status = status;
	cl->answered = true;
	cl->me_credits = 0;
	cl->host_credit = false;
	cl->asm_len = 0;
	cl->asm_bad = false;
	cl->notify_en = false;
	fe_free_msgs(&cl->tx);
	cl->tx_queued = 0;
	wake_up_all(&cl->rx_wait);
	wake_up_all(&cl->tx_wait);
	wake_up_all(&cl->ev_wait);
	wake_up_all(&cl->ctl_wait);
}

void fe_bus_down(struct fe_dev *fe)
{
	struct fe_cl *cl;

	list_for_each_entry (cl, &fe->cls, node)
		if (cl->state != FE_CL_IDLE && cl->state != FE_CL_DISCONNECTED)
			fe_cl_gone(fe, cl, -ENODEV);
	bitmap_zero(fe->host_addrs, 256);
	set_bit(0, fe->host_addrs);
	fe->nr_clients = 0;
}

/* Send a bus request and wait for the answer want; ctl held. */
static int fe_bus_request(struct fe_dev *fe, const void *req, u32 len, u8 want,
			  void *answer, u32 answer_len)
{
	unsigned long flags;
	int err;

	spin_lock_irqsave(&fe->lock, flags);
	fe->want_cmd = want;
	fe->got = false;
	spin_unlock_irqrestore(&fe->lock, flags);
	err = fe_send_bus(fe, req, len);
	if (err)
		return err;
	if (!wait_event_timeout(fe->bus_wait,
				READ_ONCE(fe->got) || READ_ONCE(fe->dead),
				FE_TIMEOUT))
		return -ETIMEDOUT;
	spin_lock_irqsave(&fe->lock, flags);
	err = fe->got ? 0 : -ENODEV;
	fe->want_cmd = 0;
	if (!err)
		memcpy(answer, fe->answer, answer_len);
	spin_unlock_irqrestore(&fe->lock, flags);
	return err;
}

static int fe_bus_props(struct fe_dev *fe, u8 me_addr)
{
	struct hbm_props_req rq = { .cmd = HBM_CLIENT_PROPS_REQ,
				    .me_addr = me_addr };
	struct fe_me_client *c;
	struct hbm_props_res rs;
	int err;

	err = fe_bus_request(fe, &rq, sizeof(rq), HBM_CLIENT_PROPS_RES, &rs,
			     sizeof(rs));
	if (err)
		return err;
	if (rs.me_addr != me_addr || rs.status != HBM_S_SUCCESS)
		return 0; /* gone meanwhile: not offered */
	if (fe->nr_clients == FE_MAX_CLIENTS || !rs.props.max_msg_length)
		return -EPROTO;
	c = &fe->clients[fe->nr_clients++];
	c->me_addr = me_addr;
	memcpy(c->uuid, rs.props.protocol_name, 16);
	c->protocol_version = rs.props.protocol_version;
	c->max_connections = rs.props.max_connections;
	c->fixed = rs.props.fixed_address;
	c->max_msg_len = min_t(u32, le32_to_cpu(rs.props.max_msg_length),
			       LHV_HECI_FE_MAX_MSG);
	return 0;
}

int fe_bus_start(struct fe_dev *fe)
{
	struct hbm_start_req start = {
		.cmd = HBM_HOST_START_REQ,
		.host_version = { .minor = HBM_VERSION_MINOR,
				  .major = HBM_VERSION_MAJOR },
	};
	struct hbm_enum_req en = { .cmd = HBM_HOST_ENUM_REQ };
	struct hbm_start_res srs;
	struct hbm_enum_res ers;
	unsigned long flags;
	unsigned int a;
	int err;

	err = fe_bus_request(fe, &start, sizeof(start), HBM_HOST_START_RES,
			     &srs, sizeof(srs));
	if (err)
		return err;
	if (!srs.host_version_supported)
		return -EPROTO; /* the ME is older than 2.0: not ours */
	fe->version = start.host_version;
	err = fe_bus_request(fe, &en, sizeof(en), HBM_HOST_ENUM_RES, &ers,
			     sizeof(ers));
	if (err)
		return err;
	fe->nr_clients = 0;
	for (a = 1; a < 256; a++) {
		if (!(ers.valid_addresses[a / 8] & (1u << (a % 8))))
			continue;
		err = fe_bus_props(fe, a);
		if (err)
			return err;
	}
	spin_lock_irqsave(&fe->lock, flags);
	fe->ready = true;
	spin_unlock_irqrestore(&fe->lock, flags);
	return 0;
}

/* An answer to a client's connect, disconnect or notify request. */
static void fe_bus_cl_answer(struct fe_dev *fe, const u8 *p, u32 len)
{
	struct fe_cl *cl = fe_cl_by_addr(fe, p[2]);
	bool start;

	if (!cl || cl->me_addr != p[1])
		return;
	switch (p[0]) {
	case HBM_CLIENT_CONNECT_RES:
		if (cl->state != FE_CL_CONNECTING)
			return;
		cl->status = fe_conn_errno(p[3]);
		cl->state = cl->status ? FE_CL_DISCONNECTED : FE_CL_CONNECTED;
		break;
	case HBM_CLIENT_DISCONNECT_RES:
		if (cl->state != FE_CL_DISCONNECTING)
			return;
		cl->status = 0;
		break;
	case HBM_NOTIFY_RES:
		if (len < sizeof(struct hbm_notify_res))
			return;
		start = p[4];
		if (start)
			cl->status =
				p[3] == HBM_S_SUCCESS ||
						p[3] == HBM_S_ALREADY_STARTED
					? 0
					: -EINVAL;
		else
			cl->status = p[3] == HBM_S_SUCCESS ||
						     p[3] == HBM_S_NOT_STARTED
					     ? 0
					     : -EINVAL;
		if (!cl->status)
			cl->notify_en = start;
		break;
	}
	cl->answered = true;
	wake_up_all(&cl->ctl_wait);
}

static void fe_bus_flow_control(struct fe_dev *fe, const u8 *p)
{
	struct fe_cl *cl;

	list_for_each_entry (cl, &fe->cls, node) {
		if (cl->state != FE_CL_CONNECTED || cl->me_addr != p[1] ||
		    (p[2] && cl->host_addr != p[2]))
			continue;
		cl->me_credits++;
	}
	schedule_work(&fe->tx_work);
}

static void fe_bus_notification(struct fe_dev *fe, const u8 *p)
{
	struct fe_cl *cl = fe_cl_by_addr(fe, p[2]);

	if (!cl || cl->me_addr != p[1] || !cl->notify_en)
		return;
	cl->notify_ev = true;
	wake_up_all(&cl->ev_wait);
}

/* A bus message from the ME; lock held. */
static void fe_bus_msg(struct fe_dev *fe, const u8 *p, u32 len)
{
	if (!len)
		return;
	switch (p[0]) {
	case HBM_HOST_START_RES:
	case HBM_HOST_ENUM_RES:
	case HBM_CLIENT_PROPS_RES:
	case HBM_HOST_STOP_RES:
		if (p[0] != fe->want_cmd || len > sizeof(fe->answer))
			return;
		memset(fe->answer, 0, sizeof(fe->answer));
		memcpy(fe->answer, p, len);
		fe->got = true;
		wake_up_all(&fe->bus_wait);
		break;
	case HBM_CLIENT_CONNECT_RES:
	case HBM_CLIENT_DISCONNECT_RES:
	case HBM_NOTIFY_RES:
		if (len >= 4)
			fe_bus_cl_answer(fe, p, len);
		break;
	case HBM_FLOW_CONTROL:
		if (len == sizeof(struct hbm_flow_control))
			fe_bus_flow_control(fe, p);
		break;
	case HBM_NOTIFICATION:
		if (len == 4)
			fe_bus_notification(fe, p);
		break;
	}
}

/* A packet of a client message from the ME; lock held. */
static void fe_client_pkt(struct fe_dev *fe, const struct hbm_hdr *h,
			  const u8 *payload)
{
	struct fe_cl *cl = fe_cl_by_addr(fe, h->host_addr);
	struct fe_msg *m;

	if (!cl || cl->me_addr != h->me_addr || cl->state != FE_CL_CONNECTED)
		return;
	if (cl->asm_bad) {
		cl->asm_bad = !h->msg_complete;
		return;
	}
	/* The ME may only start a message we asked for. */
	if ((!cl->asm_len && !cl->host_credit) ||
	    h->length > cl->max_msg_len - cl->asm_len) {
		cl->asm_len = 0;
		cl->asm_bad = !h->msg_complete;
		dev_warn_ratelimited(&fe->vdev->dev,
				     "ME message refused (no credit or too "
				     "long)\n");
		return;
	}
	memcpy(cl->asm_buf + cl->asm_len, payload, h->length);
	cl->asm_len += h->length;
	if (!h->msg_complete)
		return;
	cl->host_credit = false;
	m = kmalloc(struct_size(m, data, cl->asm_len), GFP_ATOMIC);
	if (m) {
		m->len = cl->asm_len;
		memcpy(m->data, cl->asm_buf, m->len);
		list_add_tail(&m->node, &cl->rd);
	}
	cl->asm_len = 0;
	wake_up_all(&cl->rx_wait);
}

void fe_bus_rx(struct fe_dev *fe, const struct hbm_hdr *h, const u8 *payload)
{
	if (hbm_hdr_is_bus(h))
		fe_bus_msg(fe, payload, h->length);
	else
		fe_client_pkt(fe, h, payload);
}

/* Send what the ME has credits for, one whole message at a time. */
void fe_tx_work(struct work_struct *work)
{
	struct fe_dev *fe = container_of(work, struct fe_dev, tx_work);
	u32 chunk, off, max = fe->buf_size - HBM_HDR_LEN;
	struct fe_msg *m;
	unsigned long flags;
	struct fe_cl *cl;
	u8 me, host;
	int err = 0;

	mutex_lock(&fe->tx_mutex);
	while (!err) {
		m = NULL;
		spin_lock_irqsave(&fe->lock, flags);
		list_for_each_entry (cl, &fe->cls, node) {
			if (cl->state != FE_CL_CONNECTED || !cl->me_credits ||
			    list_empty(&cl->tx))
				continue;
			m = list_first_entry(&cl->tx, struct fe_msg, node);
			list_del(&m->node);
			cl->me_credits--;
			cl->tx_queued--;
			me = cl->me_addr;
			host = cl->host_addr;
			wake_up_all(&cl->tx_wait);
			break;
		}
		spin_unlock_irqrestore(&fe->lock, flags);
		if (!m)
			break;
		off = 0;
		do {
			chunk = min(m->len - off, max);
			err = fe_send_pkt(fe, me, host, m->data + off, chunk,
					  off + chunk == m->len);
			off += chunk;
		} while (!err && off < m->len);
		kfree(m);
	}
	mutex_unlock(&fe->tx_mutex);
}

/* Wait for the answer to a client request; ctl held. */
static int fe_cl_wait(struct fe_cl *cl)
{
	if (!wait_event_timeout(cl->ctl_wait, READ_ONCE(cl->answered),
				FE_TIMEOUT)) {
		/* The ME is gone quiet: reset the link, as mei does. */
		schedule_work(&cl->fe->reset_work);
		return -ETIMEDOUT;
	}
	return 0;
}

int fe_cl_connect(struct fe_cl *cl, const u8 *uuid, u32 *max_msg_len,
		  u8 *protocol_version)
{
	struct fe_dev *fe = cl->fe;
	struct hbm_client_msg rq = { .cmd = HBM_CLIENT_CONNECT_REQ };
	const struct fe_me_client *c = NULL;
	unsigned long flags;
	unsigned int i, a;
	u8 *buf;
	int err;

	if (!fe->ready)
		return -ENODEV;
	if (cl->state != FE_CL_IDLE && cl->state != FE_CL_DISCONNECTED)
		return -EBUSY;
	for (i = 0; i < fe->nr_clients && !c; i++)
		if (!memcmp(fe->clients[i].uuid, uuid, 16))
			c = &fe->clients[i];
	if (!c)
		return -ENOTTY;
	buf = kmalloc(c->max_msg_len, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;

	spin_lock_irqsave(&fe->lock, flags);
	a = find_next_zero_bit(fe->host_addrs, 256, 1);
	if (a >= 256) {
		spin_unlock_irqrestore(&fe->lock, flags);
		kfree(buf);
		return -EMFILE;
	}
	set_bit(a, fe->host_addrs);
	kfree(cl->asm_buf);
	cl->asm_buf = buf;
	cl->host_addr = a;
	cl->me_addr = c->me_addr;
	cl->max_msg_len = c->max_msg_len;
	cl->state = FE_CL_CONNECTING;
	cl->answered = false;
	cl->notify_ev = false;
	fe_free_msgs(&cl->rd);
	spin_unlock_irqrestore(&fe->lock, flags);

	rq.me_addr = c->me_addr;
	rq.host_addr = a;
	err = fe_send_bus(fe, &rq, sizeof(rq));
	if (!err)
		err = fe_cl_wait(cl);
	spin_lock_irqsave(&fe->lock, flags);
	if (!err)
		err = cl->status;
	if (err && cl->host_addr == a)
		fe_cl_gone(fe, cl, err);
	spin_unlock_irqrestore(&fe->lock, flags);
	if (!err) {
		*max_msg_len = c->max_msg_len;
		*protocol_version = c->protocol_version;
	}
	return err;
}

int fe_cl_disconnect(struct fe_cl *cl)
{
	struct fe_dev *fe = cl->fe;
	struct hbm_client_msg rq = { .cmd = HBM_CLIENT_DISCONNECT_REQ };
	unsigned long flags;
	int err;

	spin_lock_irqsave(&fe->lock, flags);
	if (cl->state != FE_CL_CONNECTED) {
		spin_unlock_irqrestore(&fe->lock, flags);
		return 0;
	}
	cl->state = FE_CL_DISCONNECTING;
	cl->answered = false;
	rq.me_addr = cl->me_addr;
	rq.host_addr = cl->host_addr;
	spin_unlock_irqrestore(&fe->lock, flags);

	err = fe_send_bus(fe, &rq, sizeof(rq));
	if (!err)
		err = fe_cl_wait(cl);
	spin_lock_irqsave(&fe->lock, flags);
	if (cl->state == FE_CL_DISCONNECTING)
		fe_cl_gone(fe, cl, 0);
	spin_unlock_irqrestore(&fe->lock, flags);
	return err;
}

int fe_cl_notify_set(struct fe_cl *cl, u32 start)
{
	struct fe_dev *fe = cl->fe;
	struct hbm_client_msg rq = { .cmd = HBM_NOTIFY_REQ };
	unsigned long flags;
	int err;

	if (fe->version.major < 2)
		return -EOPNOTSUPP;
	spin_lock_irqsave(&fe->lock, flags);
	if (cl->state != FE_CL_CONNECTED) {
		spin_unlock_irqrestore(&fe->lock, flags);
		return -ENODEV;
	}
	cl->answered = false;
	rq.me_addr = cl->me_addr;
	rq.host_addr = cl->host_addr;
	rq.status = start;
	spin_unlock_irqrestore(&fe->lock, flags);

	err = fe_send_bus(fe, &rq, sizeof(rq));
	if (!err)
		err = fe_cl_wait(cl);
	if (!err)
		err = READ_ONCE(cl->status);
	return err;
}

int fe_cl_read_start(struct fe_cl *cl)
{
	struct fe_dev *fe = cl->fe;
	struct hbm_flow_control fc = { .cmd = HBM_FLOW_CONTROL };
	unsigned long flags;
	int err;

	spin_lock_irqsave(&fe->lock, flags);
	if (cl->state != FE_CL_CONNECTED) {
		spin_unlock_irqrestore(&fe->lock, flags);
		return -ENODEV;
	}
	if (cl->host_credit || !list_empty(&cl->rd)) {
		spin_unlock_irqrestore(&fe->lock, flags);
		return -EBUSY;
	}
	cl->host_credit = true;
	fc.me_addr = cl->me_addr;
	fc.host_addr = cl->host_addr;
	spin_unlock_irqrestore(&fe->lock, flags);

	err = fe_send_bus(fe, &fc, sizeof(fc));
	if (err) {
		spin_lock_irqsave(&fe->lock, flags);
		if (cl->host_addr == fc.host_addr)
			cl->host_credit = false;
		spin_unlock_irqrestore(&fe->lock, flags);
	}
	return err;
}
