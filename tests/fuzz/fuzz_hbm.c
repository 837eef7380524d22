// SPDX-License-Identifier: BSD-3-Clause
/*
 * libFuzzer harness for the MEI host bus message core (kmod/lib/hbm.c).
 * The input is a run of records: an op byte, a length byte n, then n bytes
 * (fewer at the end of the input). Op 0-5 takes the n bytes as a message
 * behind its header word (with reserved bit 25 set the length field is
 * made right first; fewer than 4 bytes get a zero header), checks it with
 * hbm_hdr_check, then hands a bus message to hbm_handle; op 6 hands the
 * raw bytes to hbm_handle without a header; op 7 is a link reset; op 8
 * spends a credit and op 9 builds the ME's flow control and notification,
 * for the host and me addresses in the first two bytes; op 10 is a client
 * packet for hbm_client_rx (host and me addresses, a byte whose bit 0 is
 * msg_complete, then the payload) and op 11 grants the host a credit.
 * Each piece sits in its own heap block of exactly its size, so ASan
 * reports any read past it. After every step the invariants of hbm.h are
 * checked: answer sizes per command, connection bookkeeping, limits.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hbm.h"

static const struct hbm_client clients[] = {
	{ .me_addr = 1,
	  .uuid = { 1 },
	  .max_connections = 1,
	  .notify = true,
	  .max_msg_len = 512 },
	{ .me_addr = 2,
	  .uuid = { 2 },
	  .max_connections = 3,
	  .max_msg_len = 4096 },
	{ .me_addr = 0x80,
	  .uuid = { 3 },
	  .max_connections = 255,
	  .single_recv_buf = true,
	  .max_msg_len = 1 },
	{ .me_addr = 0xff,
	  .uuid = { 4 },
	  .max_connections = 2,
	  .fixed = true,
	  .notify = true,
	  .max_msg_len = 64 },
};

static void check(bool ok)
{
	if (!ok)
		abort();
}

/* hbm_ops.connect: refuse host addresses above 0xf0. */
static uint8_t fuzz_connect(void *priv, const struct hbm_client *c,
			    uint8_t host_addr)
{
	check(priv == clients && c);
	return host_addr > 0xf0 ? HBM_S_REJECTED : HBM_S_SUCCESS;
}

static void fuzz_disconnect(void *priv, const struct hbm_client *c,
			    uint8_t host_addr)
{
	check(priv == clients && c && host_addr);
}

static const struct hbm_ops ops = { fuzz_connect, fuzz_disconnect };

static void check_dev(const struct hbm_dev *d)
{
	unsigned int i, j, n = 0;

	check(d->state <= HBM_STOPPED);
	for (i = 0; i < HBM_MAX_CONNS; i++) {
		const struct hbm_conn *c = &d->conns[i];
		unsigned int same = 0;

		if (!c->client) {
			check(!c->host_addr && !c->host_credits && !c->notify &&
			      !c->me_credits && !c->rx_len && !c->rx_open &&
			      !c->rx_drop);
			continue;
		}
		check(c->me_credits <= HBM_MAX_CREDITS);
		check(c->rx_len <= c->client->max_msg_len);
		check(c->rx_open || !c->rx_len);
		check(!(c->rx_open && c->rx_drop));
		n++;
		check(d->state == HBM_ENUMERATED);
		check(c->client >= clients && c->client < clients + 4);
		check(c->host_addr && c->host_addr <= 0xf0);
		check(c->host_credits <= HBM_MAX_CREDITS);
		check(!c->notify || c->client->notify);
		for (j = 0; j < HBM_MAX_CONNS; j++) {
			if (j != i && d->conns[j].client)
				check(d->conns[j].host_addr != c->host_addr);
			if (d->conns[j].client == c->client)
				same++;
		}
		check(same <= c->client->max_connections);
	}
	check(n == d->nr_conns);
}

static void check_reply(uint8_t cmd, int ret, const uint8_t *r, size_t rl)
{
	if (ret) {
		check(ret == -EBADMSG || ret == -EOPNOTSUPP || ret == -EPROTO ||
		      ret == -ENOENT || ret == -EOVERFLOW);
		check(rl == 0);
		return;
	}
	switch (cmd) {
	case HBM_HOST_START_REQ:
	case HBM_HOST_STOP_REQ:
	case HBM_CLIENT_CONNECT_REQ:
	case HBM_CLIENT_DISCONNECT_REQ:
		check(rl == 4);
		break;
	case HBM_HOST_ENUM_REQ:
		check(rl == 36);
		break;
	case HBM_CLIENT_PROPS_REQ:
		check(rl == 28);
		check(r[2] == HBM_S_SUCCESS || r[2] == HBM_S_CLIENT_NOT_FOUND);
		break;
	case HBM_NOTIFY_REQ:
		check(rl == 8 && r[3] <= HBM_S_NOT_STARTED);
		break;
	case HBM_FLOW_CONTROL:
		check(rl == 0);
		return;
	default:
		abort();
	}
	check(r[0] == (cmd | 0x80));
}

static void handle(struct hbm_dev *d, const uint8_t *m, size_t n)
{
	uint8_t reply[HBM_REPLY_MAX + 8];
	size_t rl = 1234;
	int ret;

	memset(reply, 0xa5, sizeof(reply));
	ret = hbm_handle(d, m, n, reply, HBM_REPLY_MAX, &rl);
	check(rl <= HBM_REPLY_MAX);
	check_reply(n ? m[0] : 0, ret, reply, rl);
	for (size_t i = HBM_REPLY_MAX; i < sizeof(reply); i++)
		check(reply[i] == 0xa5);
}

static void framed(struct hbm_dev *d, const uint8_t *p, size_t n)
{
	uint8_t *buf = malloc(HBM_HDR_LEN + n);
	struct hbm_hdr h;
	int ret;

	if (!buf)
		return;
	/* The first 4 bytes are the header word, patched to the length. */
	if (n >= HBM_HDR_LEN) {
		memcpy(buf, p, n);
		n -= HBM_HDR_LEN;
	} else {
		memset(buf, 0, HBM_HDR_LEN);
		memcpy(buf + HBM_HDR_LEN, p, n);
	}
	/* Reserved bit 25 set: fix the length field up and clear the bit. */
	if (buf[3] & 0x02) {
		buf[2] = (uint8_t)n;
		buf[3] = (uint8_t)((buf[3] & ~3u) | ((n >> 8) & 1));
	}
	ret = hbm_hdr_check(buf, HBM_HDR_LEN + n, &h);
	if (!ret) {
		check(h.length == n);
		if (hbm_hdr_is_bus(&h)) {
			uint8_t *m = malloc(n ? n : 1);

			check(h.msg_complete);
			if (m) {
				memcpy(m, buf + HBM_HDR_LEN, n);
				handle(d, m, n);
				free(m);
			}
		}
	} else {
		check(ret == -EBADMSG);
	}
	free(buf);
}

/* A client packet: the message buffer is exactly the client's maximum. */
static void client_packet(struct hbm_dev *d, const uint8_t *p, size_t n)
{
	struct hbm_hdr h = { 0 };
	const struct hbm_conn *c;
	uint8_t *msg, *payload;
	uint32_t before = 0, len = 99;
	bool regrant = true;
	size_t cap = 1;
	int ret;

	if (n < 3)
		return;
	h.host_addr = p[0];
	h.me_addr = p[1];
	h.msg_complete = p[2] & 1;
	h.length = (uint16_t)(n - 3);
	c = hbm_conn_find(d, h.host_addr, h.me_addr);
	if (c) {
		cap = c->client->max_msg_len;
		before = c->me_credits;
	}
	msg = malloc(cap);
	payload = malloc(n - 3 ? n - 3 : 1);
	if (!msg || !payload) {
		free(msg);
		free(payload);
		return;
	}
	memcpy(payload, p + 3, n - 3);
	ret = hbm_client_rx(d, &h, payload, msg, &len, &regrant);
	check(ret == 1 || ret == 0 || ret == -ENOTCONN || ret == -EAGAIN ||
	      ret == -EMSGSIZE || ret == -ENODATA || ret == -ECANCELED);
	check(ret == 1 ? len >= 1 && len <= cap : len == 0);
	check(!regrant || ret == -EMSGSIZE || ret == -ENODATA);
	check(ret != -ENOTCONN || (!c || hbm_hdr_is_bus(&h)));
	check(!c || c->me_credits <= before);
	free(msg);
	free(payload);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hbm_dev d;
	size_t pos = 0;

	check(hbm_init(&d, clients, 4, &ops, (void *)clients) == 0);
	while (pos + 2 <= size) {
		uint8_t op = data[pos] % 12, n = data[pos + 1];
		const uint8_t *p = data + pos + 2;
		size_t avail = size - pos - 2;
		uint8_t *m, out[8];
		uint8_t ha = avail > 0 ? p[0] : 0, ma = avail > 1 ? p[1] : 0;

		if (n > avail)
			n = (uint8_t)avail;
		pos += 2 + n;
		switch (op) {
		case 6:
			m = malloc(n ? n : 1);
			if (!m)
				break;
			memcpy(m, p, n);
			handle(&d, m, n);
			free(m);
			break;
		case 7:
			hbm_reset(&d);
			check(d.state == HBM_IDLE && !d.nr_conns);
			break;
		case 8: {
			struct hbm_conn *c = hbm_conn_find(&d, ha, ma);
			uint32_t before = c ? c->host_credits : 0;
			int ret = hbm_take_credit(&d, ha, ma);

			check(c ? (ret == 0 ? c->host_credits == before - 1
					    : ret == -EAGAIN && !before)
				: ret == -ENOTCONN);
			break;
		}
		case 9: {
			int ret =
				hbm_build_flow_control(&d, ha, ma, out, n % 10);

			check(ret == 8 || ret == -ENOTCONN || ret == -ENOSPC);
			if (ret == 8)
				check(out[0] == HBM_FLOW_CONTROL &&
				      out[1] == ma && out[2] == ha);
			ret = hbm_build_notification(&d, ha, ma, out, n % 6);
			check(ret == 4 || ret == -ENOTCONN || ret == -EAGAIN ||
			      ret == -ENOSPC);
			break;
		}
		case 10:
			client_packet(&d, p, n);
			break;
		case 11: {
			int ret = hbm_grant_credit(&d, ha, ma, out, n % 10);

			check(ret == 8 || ret == -ENOTCONN || ret == -ENOSPC ||
			      ret == -EOVERFLOW);
			break;
		}
		default:
			framed(&d, p, n);
			break;
		}
		check_dev(&d);
	}
	hbm_reset(&d);
	check(!d.nr_conns);
	return 0;
}
