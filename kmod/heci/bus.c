// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The MEI host bus toward the guest: bus messages go through the portable
 * HBM core (kmod/lib/hbm.c), client messages are reassembled per
 * connection and handed to the ME backend; what the ME sends waits for a
 * host credit, then for a posted rx buffer. Every host message that is
 * refused (malformed, wrong state, no credit, too long) is dropped and
 * counted; the caller completes its chain with the error flag, so the
 * queue's "errors" statistic shows it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/minmax.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "heci.h"

struct heci_conn *heci_conn_get(struct heci_dev *dev, u8 host_addr, u8 me_addr)
{
	struct heci_conn *conn = dev->conns[host_addr];

	if (!conn || conn->client->me_addr != me_addr)
		return NULL;
	return conn;
}

static struct heci_msg *heci_msg_new(u8 me_addr, u8 host_addr, const void *buf,
				     u32 len)
{
	struct heci_msg *m = kmalloc(struct_size(m, data, len), GFP_KERNEL);

	if (!m)
		return NULL;
	m->me_addr = me_addr;
	m->host_addr = host_addr;
	m->len = len;
	m->off = 0;
	memcpy(m->data, buf, len);
	return m;
}

/* A bus message for the guest (no credit needed). */
static int heci_queue_bus(struct heci_dev *dev, const void *buf, u32 len)
{
	struct heci_msg *m;

	if (dev->nr_bus_out >= HECI_BUS_OUT_MAX)
		return -ENOBUFS;
	m = heci_msg_new(0, 0, buf, len);
	if (!m)
		return -ENOMEM;
	list_add_tail(&m->node, &dev->out);
	dev->nr_bus_out++;
	return 0;
}

static void heci_free_list(struct list_head *list)
{
	struct heci_msg *m, *tmp;

	list_for_each_entry_safe (m, tmp, list, node) {
		list_del(&m->node);
		kfree(m);
	}
}

/* Client messages still queued for a connection that is gone. */
static void heci_purge_out(struct heci_dev *dev, u8 host_addr, u8 me_addr)
{
	struct heci_msg *m, *tmp;

	list_for_each_entry_safe (m, tmp, &dev->out, node) {
		if (m->host_addr == host_addr && m->me_addr == me_addr &&
		    !m->off) {
			list_del(&m->node);
			kfree(m);
		}
	}
}

static void heci_conn_free(struct heci_conn *conn)
{
	heci_free_list(&conn->out);
	kfree(conn->rx_buf);
	kfree(conn);
}

/* hbm_ops.connect: the core's checks passed; ask the ME backend. */
static u8 heci_hbm_connect(void *priv, const struct hbm_client *c, u8 host_addr)
{
	struct heci_dev *dev = priv;
	struct heci_conn *conn;
	u8 st;

	conn = kzalloc(sizeof(*conn), GFP_KERNEL);
	if (!conn)
		return HBM_CONN_OUT_OF_RESOURCES;
	conn->rx_buf = kmalloc(c->max_msg_len, GFP_KERNEL);
	if (!conn->rx_buf) {
		kfree(conn);
		return HBM_CONN_OUT_OF_RESOURCES;
	}
	conn->client = c;
	conn->host_addr = host_addr;
	INIT_LIST_HEAD(&conn->out);
	st = dev->me->connect(dev, conn);
	if (st != HBM_S_SUCCESS) {
		heci_conn_free(conn);
		return st;
	}
	dev->conns[host_addr] = conn;
	return HBM_S_SUCCESS;
}

/* hbm_ops.disconnect: disconnect, stop or link reset. */
static void heci_hbm_disconnect(void *priv, const struct hbm_client *c,
				u8 host_addr)
{
	struct heci_dev *dev = priv;
	struct heci_conn *conn = dev->conns[host_addr];

	if (!conn)
		return;
	dev->conns[host_addr] = NULL;
	dev->me->disconnect(dev, conn);
	heci_purge_out(dev, host_addr, c->me_addr);
	heci_conn_free(conn);
}

static const struct hbm_ops heci_hbm_ops = {
	.connect = heci_hbm_connect,
	.disconnect = heci_hbm_disconnect,
};

int heci_bus_init(struct heci_dev *dev)
{
	INIT_LIST_HEAD(&dev->out);
	return hbm_init(&dev->bus, dev->clients, dev->nr_clients, &heci_hbm_ops,
			dev);
}

void heci_bus_reset(struct heci_dev *dev)
{
	hbm_reset(&dev->bus);
	heci_free_list(&dev->out);
	dev->nr_bus_out = 0;
}

static void heci_do_grant(struct heci_dev *dev, struct heci_conn *conn);

/*
 * Move a connection's waiting messages out while the host has credits;
 * once few wait, give the credit held back.
 */
static void heci_release_waiting(struct heci_dev *dev, struct heci_conn *conn)
{
	struct heci_msg *m;

	while (!list_empty(&conn->out) &&
	       !hbm_take_credit(&dev->bus, conn->host_addr,
				conn->client->me_addr)) {
		m = list_first_entry(&conn->out, struct heci_msg, node);
		list_move_tail(&m->node, &dev->out);
		conn->nr_out--;
	}
	if (conn->grant_owed && conn->nr_out < HECI_CONN_OUT_MAX) {
		conn->grant_owed = false;
		heci_do_grant(dev, conn);
	}
}

int heci_send(struct heci_dev *dev, struct heci_conn *conn, const void *buf,
	      u32 len)
{
	struct heci_msg *m;

	if (len > conn->client->max_msg_len)
		return -EMSGSIZE;
	m = heci_msg_new(conn->client->me_addr, conn->host_addr, buf, len);
	if (!m)
		return -ENOMEM;
	list_add_tail(&m->node, &conn->out);
	conn->nr_out++;
	heci_release_waiting(dev, conn);
	return 0;
}

static void heci_do_grant(struct heci_dev *dev, struct heci_conn *conn)
{
	u8 fc[sizeof(struct hbm_flow_control)];
	int n;

	/* Past HBM_MAX_CREDITS unused the host has enough already. */
	n = hbm_grant_credit(&dev->bus, conn->host_addr, conn->client->me_addr,
			     fc, sizeof(fc));
	if (n > 0)
		heci_queue_bus(dev, fc, n);
}

void heci_grant(struct heci_dev *dev, struct heci_conn *conn)
{
	if (conn->nr_out >= HECI_CONN_OUT_MAX)
		conn->grant_owed = true;
	else
		heci_do_grant(dev, conn);
}

void heci_notify(struct heci_dev *dev, struct heci_conn *conn)
{
	u8 buf[sizeof(struct hbm_client_msg)];
	int n;

	n = hbm_build_notification(&dev->bus, conn->host_addr,
				   conn->client->me_addr, buf, sizeof(buf));
	if (n > 0)
		heci_queue_bus(dev, buf, n);
}

static int heci_bus_msg(struct heci_dev *dev, const u8 *msg, u32 len)
{
	union {
		u8 raw[HBM_REPLY_MAX];
		struct hbm_client_msg client;
	} rs;
	struct hbm_flow_control fc;
	struct heci_conn *conn;
	size_t rlen;
	int err;

	err = hbm_handle(&dev->bus, msg, len, rs.raw, sizeof(rs), &rlen);
	if (err)
		return err;
	if (rlen) {
		err = heci_queue_bus(dev, rs.raw, rlen);
		if (err)
			return err;
	}
	switch (msg[0]) {
	case HBM_CLIENT_CONNECT_REQ:
		/* A new connection: the host may send one message. */
		if (rs.client.status == HBM_S_SUCCESS) {
			conn = dev->conns[rs.client.host_addr];
			if (conn)
				heci_grant(dev, conn);
		}
		break;
	case HBM_FLOW_CONTROL:
		memcpy(&fc, msg, sizeof(fc));
		conn = heci_conn_get(dev, fc.host_addr, fc.me_addr);
		if (conn)
			heci_release_waiting(dev, conn);
		break;
	}
	return 0;
}

static int heci_client_msg(struct heci_dev *dev, const struct hbm_hdr *h,
			   const u8 *payload)
{
	struct heci_conn *conn = heci_conn_get(dev, h->host_addr, h->me_addr);
	bool regrant;
	u32 n;
	int ret;

	if (!conn)
		return -ENOTCONN;
	/* Credits, reassembly and limits: the portable core's. */
	ret = hbm_client_rx(&dev->bus, h, payload, conn->rx_buf, &n, &regrant);
	if (regrant)
		heci_grant(dev, conn);
	if (ret <= 0)
		return ret;
	dev->me->recv(dev, conn, conn->rx_buf, n);
	return 0;
}

int heci_bus_from_host(struct heci_dev *dev, const u8 *pkt, u32 len)
{
	struct hbm_hdr h;
	int err;

	err = hbm_hdr_check(pkt, len, &h);
	mutex_lock(&dev->lock);
	if (err) {
		/* nothing: counted below */
	} else if (!dev->running) {
		err = -ESHUTDOWN;
	} else if (h.internal) {
		err = -EOPNOTSUPP;
	} else if (hbm_hdr_is_bus(&h)) {
		err = heci_bus_msg(dev, pkt + HBM_HDR_LEN, h.length);
	} else {
		err = heci_client_msg(dev, &h, pkt + HBM_HDR_LEN);
	}
	if (err)
		dev->stats.dropped++;
	heci_bus_flush(dev);
	mutex_unlock(&dev->lock);
	if (err)
		pr_debug("%s: host message refused (%d)\n", dev->vdev.name,
			 err);
	return err;
}

/* Scatter len bytes into the segments of an rx buffer, from offset off. */
static void heci_rx_copy(struct heci_rxbuf *rb, u32 off, const void *src,
			 u32 len)
{
	unsigned int i;
	u32 n;

	for (i = 0; i < rb->nr && len; i++) {
		if (off >= rb->seg[i].len) {
			off -= rb->seg[i].len;
			continue;
		}
		n = min(len, rb->seg[i].len - off);
		memcpy((u8 *)rb->seg[i].addr + off, src, n);
		src = (const u8 *)src + n;
		len -= n;
		off = 0;
	}
}

void heci_bus_flush(struct heci_dev *dev)
{
	struct lhv_vq *vq = &dev->vdev.vqs[LHV_HECI_VQ_RX];
	struct heci_rxbuf *rb;
	struct heci_msg *m;
	struct hbm_hdr h;
	lhv_le32 word;
	u32 chunk;

	while (dev->running && dev->rx_count && !list_empty(&dev->out)) {
		m = list_first_entry(&dev->out, struct heci_msg, node);
		rb = &dev->rx[dev->rx_first];
		chunk = min3(m->len - m->off, (u32)HECI_PKT_MAX,
			     rb->total - HBM_HDR_LEN);
		h = (struct hbm_hdr){
			.me_addr = m->me_addr,
			.host_addr = m->host_addr,
			.length = chunk,
			.msg_complete = m->off + chunk == m->len,
		};
		word = hbm_hdr_encode(&h);
		heci_rx_copy(rb, 0, &word, sizeof(word));
		heci_rx_copy(rb, HBM_HDR_LEN, m->data + m->off, chunk);
		lhv_vq_complete(vq, rb->head, HBM_HDR_LEN + chunk,
				HBM_HDR_LEN + chunk, false);
		dev->rx_first = (dev->rx_first + 1) % HECI_QUEUE_SIZE;
		dev->rx_count--;
		m->off += chunk;
		if (m->off == m->len) {
			if (!m->me_addr && !m->host_addr)
				dev->nr_bus_out--;
			list_del(&m->node);
			kfree(m);
		}
	}
}
