// SPDX-License-Identifier: BSD-3-Clause
/*
 * Unit tests for the MEI host bus message core (kmod/lib/hbm.c). Each test
 * plays a guest host driver: it frames bus messages byte by byte, hands
 * them to hbm_handle and checks the answer, the error and the bus state;
 * client messages go through hbm_client_rx with the ME's credits.
 * Messages are copied to the end of a heap block of exactly their length,
 * so the sanitizer build catches any read past it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hbm.h"

#define ECHO 3u
#define FIXED 7u
#define REFUSE 9u
#define SINGLE 200u
#define GUARD_BYTE 0x5a

static const struct hbm_client clients[] = {
	{ .me_addr = ECHO,
	  .uuid = { 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19,
		    0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f },
	  .protocol_version = 1,
	  .max_connections = 2,
	  .notify = true,
	  .max_msg_len = 4096 },
	{ .me_addr = FIXED,
	  .uuid = { 0x70 },
	  .protocol_version = 3,
	  .max_connections = 1,
	  .fixed = true,
	  .max_msg_len = 512 },
	{ .me_addr = REFUSE,
	  .uuid = { 0x90 },
	  .max_connections = 1,
	  .max_msg_len = 64 },
	{ .me_addr = SINGLE,
	  .uuid = { 0xc8 },
	  .max_connections = 255,
	  .single_recv_buf = true,
	  .max_msg_len = 0x12345678 },
};

static struct hbm_dev dev;
static uint8_t reply[64];
static size_t reply_len;
static unsigned int nr_connect_calls, nr_disconnect_calls;
static uint8_t last_disconnect_host;

static uint8_t ops_connect(void *priv, const struct hbm_client *c,
			   uint8_t host_addr)
{
	(void)host_addr;
	assert_ptr_equal(priv, &dev);
	nr_connect_calls++;
	return c->me_addr == REFUSE ? HBM_CONN_NOT_ALLOWED : HBM_S_SUCCESS;
}

static void ops_disconnect(void *priv, const struct hbm_client *c,
			   uint8_t host_addr)
{
	assert_ptr_equal(priv, &dev);
	assert_non_null(c);
	nr_disconnect_calls++;
	last_disconnect_host = host_addr;
}

static const struct hbm_ops ops = {
	.connect = ops_connect,
	.disconnect = ops_disconnect,
};

static int setup(void **state)
{
	(void)state;
	nr_connect_calls = nr_disconnect_calls = 0;
	last_disconnect_host = 0;
	assert_int_equal(hbm_init(&dev, clients, 4, &ops, &dev), 0);
	return 0;
}

/* Send len bytes of m from the end of an exact-size heap block. */
static int send_msg(const void *m, size_t len)
{
	uint8_t *buf = malloc(len ? len : 1);
	int ret;

	assert_non_null(buf);
	if (len)
		memcpy(buf, m, len);
	memset(reply, GUARD_BYTE, sizeof(reply));
	reply_len = 99;
	ret = hbm_handle(&dev, len ? buf : NULL, len, reply, sizeof(reply),
			 &reply_len);
	free(buf);
	if (ret)
		assert_int_equal(reply_len, 0);
	/* Nothing past the answer is touched. */
	for (size_t i = ret ? 0 : reply_len; i < sizeof(reply); i++)
		assert_int_equal(reply[i], GUARD_BYTE);
	return ret;
}

static int send4(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	const uint8_t m[4] = { a, b, c, d };

	return send_msg(m, sizeof(m));
}

static void start(uint8_t major, uint8_t minor)
{
	assert_int_equal(send4(HBM_HOST_START_REQ, 0, minor, major), 0);
	assert_int_equal(reply_len, 4);
}

static void start_enum(void)
{
	start(2, 2);
	assert_int_equal(send4(HBM_HOST_ENUM_REQ, 0, 0, 0), 0);
	assert_int_equal(dev.state, HBM_ENUMERATED);
}

/* A connect request; returns the status of the answer. */
static uint8_t connect(uint8_t me, uint8_t host)
{
	assert_int_equal(send4(HBM_CLIENT_CONNECT_REQ, me, host, 0), 0);
	assert_int_equal(reply_len, 4);
	assert_int_equal(reply[0], HBM_CLIENT_CONNECT_RES);
	assert_int_equal(reply[1], me);
	assert_int_equal(reply[2], host);
	return reply[3];
}

static uint8_t disconnect(uint8_t me, uint8_t host)
{
	assert_int_equal(send4(HBM_CLIENT_DISCONNECT_REQ, me, host, 0), 0);
	assert_int_equal(reply_len, 4);
	assert_int_equal(reply[0], HBM_CLIENT_DISCONNECT_RES);
	assert_int_equal(reply[1], me);
	assert_int_equal(reply[2], host);
	return reply[3];
}

static int flow_control(uint8_t me, uint8_t host)
{
	const uint8_t m[8] = { HBM_FLOW_CONTROL, me, host };
	int ret = send_msg(m, sizeof(m));

	assert_int_equal(reply_len, 0);
	return ret;
}

/* A notify request; returns the status of the answer. */
static uint8_t notify(uint8_t me, uint8_t host, uint8_t start_bit)
{
	assert_int_equal(send4(HBM_NOTIFY_REQ, me, host, start_bit), 0);
	assert_int_equal(reply_len, 8);
	assert_int_equal(reply[0], HBM_NOTIFY_RES);
	assert_int_equal(reply[1], me);
	assert_int_equal(reply[2], host);
	assert_int_equal(reply[4], start_bit);
	assert_int_equal(reply[5] | reply[6] | reply[7], 0);
	return reply[3];
}

static void test_init(void **state)
{
	struct hbm_client bad[2] = { clients[0], clients[1] };
	struct hbm_dev d;

	(void)state;
	assert_int_equal(dev.state, HBM_IDLE);
	assert_int_equal(hbm_init(&d, NULL, 0, NULL, NULL), 0);
	assert_int_equal(hbm_init(NULL, clients, 1, NULL, NULL), -EINVAL);
	assert_int_equal(hbm_init(&d, NULL, 1, NULL, NULL), -EINVAL);
	bad[1].me_addr = bad[0].me_addr;
	assert_int_equal(hbm_init(&d, bad, 2, NULL, NULL), -EINVAL);
	bad[1] = clients[1];
	bad[1].me_addr = 0;
	assert_int_equal(hbm_init(&d, bad, 2, NULL, NULL), -EINVAL);
	bad[1] = clients[1];
	bad[1].max_connections = 0;
	assert_int_equal(hbm_init(&d, bad, 2, NULL, NULL), -EINVAL);
	bad[1] = clients[1];
	bad[1].max_msg_len = 0;
	assert_int_equal(hbm_init(&d, bad, 2, NULL, NULL), -EINVAL);
}

static void test_header(void **state)
{
	struct hbm_hdr h = { .me_addr = 5,
			     .host_addr = 0x81,
			     .length = 3,
			     .msg_complete = true };
	uint8_t buf[HBM_HDR_LEN + 511];
	lhv_le32 w = hbm_hdr_encode(&h);
	uint32_t raw;
	struct hbm_hdr g;

	(void)state;
	raw = lhv_le32_to_cpu(w);
	assert_int_equal(raw, 0x80038105u);
	memset(buf, 0, sizeof(buf));
	memcpy(buf, &w, 4);
	assert_int_equal(hbm_hdr_check(buf, 7, &g), 0);
	assert_int_equal(g.me_addr, 5);
	assert_int_equal(g.host_addr, 0x81);
	assert_int_equal(g.length, 3);
	assert_true(g.msg_complete);
	assert_false(g.internal);
	assert_false(hbm_hdr_is_bus(&g));
	/* The length must match the buffer exactly. */
	assert_int_equal(hbm_hdr_check(buf, 6, &g), -EBADMSG);
	assert_int_equal(hbm_hdr_check(buf, 8, &g), -EBADMSG);
	/* Too short for a header at all. */
	for (size_t n = 0; n < HBM_HDR_LEN; n++)
		assert_int_equal(hbm_hdr_check(buf, n, &g), -EBADMSG);
	assert_int_equal(hbm_hdr_check(NULL, 7, &g), -EBADMSG);
	/* Reserved, extended and dma_ring bits are refused. */
	for (unsigned int bit = 25; bit < 30; bit++) {
		uint32_t v = raw | 1u << bit;

		w = lhv_cpu_to_le32(v);
		memcpy(buf, &w, 4);
		assert_int_equal(hbm_hdr_check(buf, 7, &g), -EBADMSG);
	}
	/* internal is allowed, and the largest length. */
	h.internal = true;
	h.length = HBM_HDR_MAX_LENGTH;
	w = hbm_hdr_encode(&h);
	memcpy(buf, &w, 4);
	assert_int_equal(hbm_hdr_check(buf, sizeof(buf), &g), 0);
	assert_true(g.internal);
	assert_int_equal(g.length, 511);
	/* A bus message must be complete. */
	h = (struct hbm_hdr){ .length = 4, .msg_complete = true };
	w = hbm_hdr_encode(&h);
	memcpy(buf, &w, 4);
	assert_int_equal(hbm_hdr_check(buf, 8, &g), 0);
	assert_true(hbm_hdr_is_bus(&g));
	h.msg_complete = false;
	w = hbm_hdr_encode(&h);
	memcpy(buf, &w, 4);
	assert_int_equal(hbm_hdr_check(buf, 8, &g), -EBADMSG);
}

static void test_start(void **state)
{
	(void)state;
	/* A newer host: not supported, the ME offers 2.0. */
	start(2, 2);
	assert_memory_equal(reply, ((uint8_t[]){ HBM_HOST_START_RES, 0, 0, 2 }),
			    4);
	assert_int_equal(dev.state, HBM_STARTED);
	assert_int_equal(dev.version.major, 2);
	assert_int_equal(dev.version.minor, 0);
	/* A second start is out of order. */
	assert_int_equal(send4(HBM_HOST_START_REQ, 0, 0, 2), -EPROTO);

	setup(NULL);
	start(2, 0);
	assert_memory_equal(reply, ((uint8_t[]){ HBM_HOST_START_RES, 1, 0, 2 }),
			    4);
	setup(NULL);
	start(1, 1);
	assert_int_equal(reply[1], 1);
	assert_int_equal(dev.version.major, 1);
	assert_int_equal(dev.version.minor, 1);
	setup(NULL);
	start(0, 9);
	assert_int_equal(reply[1], 0);
	assert_int_equal(dev.version.major, 2);
	setup(NULL);
	start(3, 0);
	assert_int_equal(reply[1], 0);
	assert_int_equal(dev.state, HBM_STARTED);
}

static void test_enum(void **state)
{
	uint8_t want[36] = { HBM_HOST_ENUM_RES };

	(void)state;
	start(2, 0);
	assert_int_equal(send4(HBM_HOST_ENUM_REQ, 3, 0, 0), 0);
	assert_int_equal(reply_len, 36);
	want[4] = 1u << ECHO | 1u << FIXED;
	want[4 + REFUSE / 8] |= 1u << (REFUSE % 8);
	want[4 + SINGLE / 8] |= 1u << (SINGLE % 8);
	assert_memory_equal(reply, want, 36);
	assert_int_equal(dev.state, HBM_ENUMERATED);
	/* Enumerating again is allowed. */
	assert_int_equal(send4(HBM_HOST_ENUM_REQ, 0, 0, 0), 0);
	assert_memory_equal(reply, want, 36);
}

static void test_props(void **state)
{
	uint8_t want[28] = { HBM_CLIENT_PROPS_RES, ECHO, HBM_S_SUCCESS, 0 };

	(void)state;
	start_enum();
	assert_int_equal(send4(HBM_CLIENT_PROPS_REQ, ECHO, 0, 0), 0);
	assert_int_equal(reply_len, 28);
	memcpy(want + 4, clients[0].uuid, 16);
	want[20] = 1; /* protocol version */
	want[21] = 2; /* max connections */
	want[22] = 0; /* fixed */
	want[23] = 0; /* flags */
	want[24] = 0x00;
	want[25] = 0x10; /* 4096, little endian */
	assert_memory_equal(reply, want, 28);

	assert_int_equal(send4(HBM_CLIENT_PROPS_REQ, FIXED, 0, 0), 0);
	assert_int_equal(reply[20], 3);
	assert_int_equal(reply[22], 1);
	assert_int_equal(reply[23], 0);

	assert_int_equal(send4(HBM_CLIENT_PROPS_REQ, SINGLE, 0, 0), 0);
	assert_int_equal(reply[1], SINGLE);
	assert_int_equal(reply[21], 255);
	assert_int_equal(reply[23], HBM_PROPS_SINGLE_RECV_BUF);
	assert_memory_equal(reply + 24, ((uint8_t[]){ 0x78, 0x56, 0x34, 0x12 }),
			    4);

	/* Unknown addresses, 0 included, answer CLIENT_NOT_FOUND. */
	for (unsigned int a = 0; a < 256; a++) {
		if (a == ECHO || a == FIXED || a == REFUSE || a == SINGLE)
			continue;
		memset(want, 0, sizeof(want));
		want[0] = HBM_CLIENT_PROPS_RES;
		want[1] = (uint8_t)a;
		want[2] = HBM_S_CLIENT_NOT_FOUND;
		assert_int_equal(send4(HBM_CLIENT_PROPS_REQ, (uint8_t)a, 0, 0),
				 0);
		assert_memory_equal(reply, want, 28);
	}
}

static void test_connect_disconnect(void **state)
{
	(void)state;
	start_enum();
	assert_int_equal(connect(ECHO, 1), HBM_CONN_SUCCESS);
	assert_int_equal(dev.nr_conns, 1);
	assert_non_null(hbm_conn_find(&dev, 1, ECHO));
	assert_int_equal(nr_connect_calls, 1);
	assert_int_equal(disconnect(ECHO, 1), HBM_S_SUCCESS);
	assert_int_equal(dev.nr_conns, 0);
	assert_null(hbm_conn_find(&dev, 1, ECHO));
	assert_int_equal(nr_disconnect_calls, 1);
	assert_int_equal(last_disconnect_host, 1);
	/* Reconnect after disconnect. */
	assert_int_equal(connect(ECHO, 1), HBM_CONN_SUCCESS);
	assert_int_equal(connect(FIXED, 2), HBM_CONN_SUCCESS);
	assert_int_equal(dev.nr_conns, 2);
}

static void test_connect_refusals(void **state)
{
	(void)state;
	start_enum();
	/* Unknown client, 0 included. */
	assert_int_equal(connect(4, 1), HBM_CONN_NOT_FOUND);
	assert_int_equal(connect(0, 1), HBM_CONN_NOT_FOUND);
	/* host_addr 0 is the bus's own. */
	assert_int_equal(connect(ECHO, 0), HBM_CONN_MESSAGE_SMALL);
	assert_int_equal(nr_connect_calls, 0);
	/* Double connect, and a busy host_addr to another client. */
	assert_int_equal(connect(ECHO, 1), HBM_CONN_SUCCESS);
	assert_int_equal(connect(ECHO, 1), HBM_CONN_ALREADY_STARTED);
	assert_int_equal(connect(FIXED, 1), HBM_CONN_ALREADY_STARTED);
	/* max_connections 2 for ECHO. */
	assert_int_equal(connect(ECHO, 2), HBM_CONN_SUCCESS);
	assert_int_equal(connect(ECHO, 3), HBM_CONN_OUT_OF_RESOURCES);
	assert_int_equal(disconnect(ECHO, 2), HBM_S_SUCCESS);
	assert_int_equal(connect(ECHO, 3), HBM_CONN_SUCCESS);
	/* The backend refuses. */
	assert_int_equal(connect(REFUSE, 4), HBM_CONN_NOT_ALLOWED);
	assert_null(hbm_conn_find(&dev, 4, REFUSE));
	assert_int_equal(dev.nr_conns, 2);
}

static void test_connect_table_full(void **state)
{
	unsigned int h;

	(void)state;
	start_enum();
	for (h = 1; h <= HBM_MAX_CONNS; h++)
		assert_int_equal(connect(SINGLE, (uint8_t)h), HBM_CONN_SUCCESS);
	assert_int_equal(dev.nr_conns, HBM_MAX_CONNS);
	assert_int_equal(connect(SINGLE, (uint8_t)h),
			 HBM_CONN_OUT_OF_RESOURCES);
	assert_int_equal(connect(ECHO, (uint8_t)h), HBM_CONN_OUT_OF_RESOURCES);
	assert_int_equal(disconnect(SINGLE, 5), HBM_S_SUCCESS);
	assert_int_equal(connect(ECHO, (uint8_t)h), HBM_CONN_SUCCESS);
}

static void test_disconnect_refusals(void **state)
{
	(void)state;
	start_enum();
	assert_int_equal(disconnect(ECHO, 1), HBM_S_CLIENT_NOT_FOUND);
	assert_int_equal(connect(ECHO, 1), HBM_CONN_SUCCESS);
	assert_int_equal(disconnect(FIXED, 1), HBM_S_CLIENT_NOT_FOUND);
	assert_int_equal(disconnect(ECHO, 2), HBM_S_CLIENT_NOT_FOUND);
	assert_int_equal(disconnect(0, 0), HBM_S_CLIENT_NOT_FOUND);
	assert_int_equal(disconnect(ECHO, 1), HBM_S_SUCCESS);
	assert_int_equal(disconnect(ECHO, 1), HBM_S_CLIENT_NOT_FOUND);
	assert_int_equal(nr_disconnect_calls, 1);
}

static void test_flow_control(void **state)
{
	uint8_t buf[8];
	unsigned int i;

	(void)state;
	start_enum();
	assert_int_equal(flow_control(ECHO, 1), -ENOENT);
	assert_int_equal(connect(ECHO, 1), HBM_CONN_SUCCESS);
	assert_int_equal(hbm_take_credit(&dev, 1, ECHO), -EAGAIN);
	assert_int_equal(hbm_take_credit(&dev, 2, ECHO), -ENOTCONN);
	assert_int_equal(flow_control(ECHO, 1), 0);
	assert_int_equal(flow_control(ECHO, 1), 0);
	assert_int_equal(hbm_take_credit(&dev, 1, ECHO), 0);
	assert_int_equal(hbm_take_credit(&dev, 1, ECHO), 0);
	assert_int_equal(hbm_take_credit(&dev, 1, ECHO), -EAGAIN);
	for (i = 0; i < HBM_MAX_CREDITS; i++)
		assert_int_equal(flow_control(ECHO, 1), 0);
	assert_int_equal(flow_control(ECHO, 1), -EOVERFLOW);
	assert_int_equal(hbm_conn_find(&dev, 1, ECHO)->host_credits,
			 HBM_MAX_CREDITS);
	/* Credits go with the connection. */
	assert_int_equal(disconnect(ECHO, 1), HBM_S_SUCCESS);
	assert_int_equal(connect(ECHO, 1), HBM_CONN_SUCCESS);
	assert_int_equal(hbm_take_credit(&dev, 1, ECHO), -EAGAIN);

	/* The ME's own flow control toward the host. */
	assert_int_equal(hbm_build_flow_control(&dev, 1, ECHO, buf, 8), 8);
	assert_memory_equal(
		buf, ((uint8_t[]){ HBM_FLOW_CONTROL, ECHO, 1, 0, 0, 0, 0, 0 }),
		8);
	assert_int_equal(hbm_build_flow_control(&dev, 1, ECHO, buf, 7),
			 -ENOSPC);
	assert_int_equal(hbm_build_flow_control(&dev, 2, ECHO, buf, 8),
			 -ENOTCONN);
	/* host_addr 0 only for a connected single_recv_buf client. */
	assert_int_equal(hbm_build_flow_control(&dev, 0, ECHO, buf, 8),
			 -ENOTCONN);
	assert_int_equal(hbm_build_flow_control(&dev, 0, SINGLE, buf, 8),
			 -ENOTCONN);
	assert_int_equal(connect(SINGLE, 9), HBM_CONN_SUCCESS);
	assert_int_equal(hbm_build_flow_control(&dev, 0, SINGLE, buf, 8), 8);
	assert_int_equal(buf[1], SINGLE);
	assert_int_equal(buf[2], 0);
}

static void test_notify(void **state)
{
	uint8_t buf[4];

	(void)state;
	start_enum();
	assert_int_equal(notify(ECHO, 1, 1), HBM_S_CLIENT_NOT_FOUND);
	assert_int_equal(connect(ECHO, 1), HBM_CONN_SUCCESS);
	assert_int_equal(hbm_build_notification(&dev, 1, ECHO, buf, 4),
			 -EAGAIN);
	assert_int_equal(notify(ECHO, 1, 0), HBM_S_NOT_STARTED);
	assert_int_equal(notify(ECHO, 1, 2), HBM_S_INVALID_PARAMETER);
	assert_int_equal(notify(ECHO, 1, 1), HBM_S_SUCCESS);
	assert_int_equal(notify(ECHO, 1, 1), HBM_S_ALREADY_STARTED);
	assert_int_equal(hbm_build_notification(&dev, 1, ECHO, buf, 4), 4);
	assert_memory_equal(buf, ((uint8_t[]){ HBM_NOTIFICATION, ECHO, 1, 0 }),
			    4);
	assert_int_equal(hbm_build_notification(&dev, 1, ECHO, buf, 3),
			 -ENOSPC);
	assert_int_equal(hbm_build_notification(&dev, 2, ECHO, buf, 4),
			 -ENOTCONN);
	assert_int_equal(notify(ECHO, 1, 0), HBM_S_SUCCESS);
	assert_int_equal(hbm_build_notification(&dev, 1, ECHO, buf, 4),
			 -EAGAIN);
	/* A client without notifications. */
	assert_int_equal(connect(FIXED, 2), HBM_CONN_SUCCESS);
	assert_int_equal(notify(FIXED, 2, 1), HBM_S_NOT_ALLOWED);

	/* Not on a bus that negotiated 1.x. */
	setup(NULL);
	start(1, 0);
	assert_int_equal(send4(HBM_HOST_ENUM_REQ, 0, 0, 0), 0);
	assert_int_equal(connect(ECHO, 1), HBM_CONN_SUCCESS);
	assert_int_equal(send4(HBM_NOTIFY_REQ, ECHO, 1, 1), -EPROTO);
}

static void test_stop_and_reset(void **state)
{
	(void)state;
	start_enum();
	assert_int_equal(connect(ECHO, 1), HBM_CONN_SUCCESS);
	assert_int_equal(connect(FIXED, 2), HBM_CONN_SUCCESS);
	assert_int_equal(send4(HBM_HOST_STOP_REQ, 0, 0, 0), 0);
	assert_int_equal(reply_len, 4);
	assert_memory_equal(reply, ((uint8_t[]){ HBM_HOST_STOP_RES, 0, 0, 0 }),
			    4);
	assert_int_equal(dev.state, HBM_STOPPED);
	assert_int_equal(dev.nr_conns, 0);
	assert_int_equal(nr_disconnect_calls, 2);
	/* Nothing after a stop, a start included. */
	assert_int_equal(send4(HBM_HOST_START_REQ, 0, 0, 2), -EPROTO);
	assert_int_equal(send4(HBM_HOST_ENUM_REQ, 0, 0, 0), -EPROTO);
	assert_int_equal(send4(HBM_HOST_STOP_REQ, 0, 0, 0), -EPROTO);
	/* A link reset starts over. */
	hbm_reset(&dev);
	assert_int_equal(dev.state, HBM_IDLE);
	start_enum();
	assert_int_equal(connect(ECHO, 1), HBM_CONN_SUCCESS);
	hbm_reset(&dev);
	assert_int_equal(dev.nr_conns, 0);
	assert_int_equal(nr_disconnect_calls, 3);
	/* Stop straight after start is fine. */
	start(2, 0);
	assert_int_equal(send4(HBM_HOST_STOP_REQ, 1, 0, 0), 0);
	assert_int_equal(dev.state, HBM_STOPPED);
}

/* Every command before it is allowed. */
static void test_state_order(void **state)
{
	static const uint8_t cmds[] = {
		HBM_HOST_STOP_REQ,	   HBM_HOST_ENUM_REQ,
		HBM_CLIENT_PROPS_REQ,	   HBM_CLIENT_CONNECT_REQ,
		HBM_CLIENT_DISCONNECT_REQ, HBM_NOTIFY_REQ
	};
	const uint8_t fc[8] = { HBM_FLOW_CONTROL, ECHO, 1 };
	unsigned int i;

	(void)state;
	/* IDLE: only a start. */
	for (i = 0; i < sizeof(cmds); i++)
		assert_int_equal(send4(cmds[i], ECHO, 1, 0), -EPROTO);
	assert_int_equal(send_msg(fc, 8), -EPROTO);
	assert_int_equal(dev.state, HBM_IDLE);
	/* STARTED: enum and stop only. */
	start(2, 0);
	for (i = 2; i < sizeof(cmds); i++)
		assert_int_equal(send4(cmds[i], ECHO, 1, 0), -EPROTO);
	assert_int_equal(send_msg(fc, 8), -EPROTO);
	assert_int_equal(dev.state, HBM_STARTED);
	assert_int_equal(dev.nr_conns, 0);
}

/* Commands the host never sends, and unknown ones. */
static void test_unexpected_commands(void **state)
{
	unsigned int c;

	(void)state;
	start_enum();
	for (c = 0; c < 256; c++) {
		uint8_t m[8] = { (uint8_t)c, ECHO, 1 };
		size_t n;

		switch (c) {
		case HBM_HOST_START_REQ:
		case HBM_HOST_STOP_REQ:
		case HBM_HOST_ENUM_REQ:
		case HBM_CLIENT_PROPS_REQ:
		case HBM_CLIENT_CONNECT_REQ:
		case HBM_CLIENT_DISCONNECT_REQ:
		case HBM_FLOW_CONTROL:
		case HBM_NOTIFY_REQ:
			continue;
		}
		for (n = 1; n <= sizeof(m); n++)
			assert_int_equal(send_msg(m, n), -EOPNOTSUPP);
	}
	assert_int_equal(send4(HBM_ME_STOP_REQ, 0, 0, 0), -EOPNOTSUPP);
	assert_int_equal(dev.state, HBM_ENUMERATED);
}

/*
 * Every length from 0 to size + 1 for every command, in the state that
 * accepts it: only the exact size is handled, every other one is -EBADMSG
 * with no answer and no change.
 */
static void test_lengths(void **state)
{
	static const struct {
		uint8_t cmd;
		size_t size;
		size_t res;
	} t[] = {
		{ HBM_HOST_START_REQ, 4, 4 },
		{ HBM_HOST_STOP_REQ, 4, 4 },
		{ HBM_HOST_ENUM_REQ, 4, 36 },
		{ HBM_CLIENT_PROPS_REQ, 4, 28 },
		{ HBM_CLIENT_CONNECT_REQ, 4, 4 },
		{ HBM_CLIENT_DISCONNECT_REQ, 4, 4 },
		{ HBM_FLOW_CONTROL, 8, 0 },
		{ HBM_NOTIFY_REQ, 4, 8 },
	};
	unsigned int i;
	size_t n;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		uint8_t m[16] = { t[i].cmd, ECHO, 1, 0, 0, 0, 0, 0 };

		setup(NULL);
		if (t[i].cmd == HBM_HOST_START_REQ) {
			m[1] = 0;
			m[3] = 2;
		} else {
			start_enum();
			assert_int_equal(connect(ECHO, 1), HBM_CONN_SUCCESS);
		}
		for (n = 0; n <= t[i].size + 1; n++) {
			enum hbm_state st = dev.state;
			unsigned int conns = dev.nr_conns;

			if (n == t[i].size)
				continue;
			assert_int_equal(send_msg(m, n), -EBADMSG);
			assert_int_equal(dev.state, st);
			assert_int_equal(dev.nr_conns, conns);
		}
		/* The exact size last: it may change the state. */
		if (t[i].cmd == HBM_CLIENT_CONNECT_REQ)
			m[2] = 2;
		assert_int_equal(send_msg(m, t[i].size), 0);
		assert_int_equal(reply_len, t[i].res);
		if (t[i].res)
			assert_int_equal(reply[0], t[i].cmd | 0x80);
		/* A reply buffer one byte short is refused. */
		if (t[i].res && t[i].cmd != HBM_HOST_START_REQ &&
		    t[i].cmd != HBM_HOST_STOP_REQ) {
			uint8_t small[64];
			size_t rl = 7;

			assert_int_equal(hbm_handle(&dev, m, t[i].size, small,
						    t[i].res - 1, &rl),
					 -ENOSPC);
			assert_int_equal(rl, 0);
		}
	}
}

static void test_bad_arguments(void **state)
{
	const uint8_t m[4] = { HBM_HOST_START_REQ, 0, 0, 2 };
	uint8_t r[8];
	size_t rl = 5;

	(void)state;
	assert_int_equal(hbm_handle(NULL, m, 4, r, 8, &rl), -EINVAL);
	assert_int_equal(rl, 0);
	assert_int_equal(hbm_handle(&dev, m, 4, r, 8, NULL), -EINVAL);
	assert_int_equal(hbm_handle(&dev, NULL, 4, r, 8, &rl), -EINVAL);
	assert_int_equal(hbm_handle(&dev, m, 4, NULL, 8, &rl), -EINVAL);
	assert_int_equal(hbm_handle(&dev, m, 4, NULL, 0, &rl), -ENOSPC);
	assert_int_equal(hbm_handle(&dev, NULL, 0, r, 8, &rl), -EBADMSG);
	assert_int_equal(dev.state, HBM_IDLE);
}

/* What a Linux host driver sends when it binds, end to end. */
/* One client packet from the host, its payload in an exact heap block. */
static int client_pkt(uint8_t me, uint8_t host, const void *data, uint16_t len,
		      bool complete, uint8_t *msg, uint32_t *msg_len,
		      bool *regrant)
{
	struct hbm_hdr h = { .me_addr = me,
			     .host_addr = host,
			     .length = len,
			     .msg_complete = complete };
	uint8_t *p = malloc(len ? len : 1);
	int ret;

	assert_non_null(p);
	if (len)
		memcpy(p, data, len);
	ret = hbm_client_rx(&dev, &h, len ? p : NULL, msg, msg_len, regrant);
	free(p);
	if (ret != 1)
		assert_int_equal(*msg_len, 0);
	return ret;
}

static void test_grant_credit(void **state)
{
	uint8_t fc[8];
	unsigned int i;

	(void)state;
	start_enum();
	assert_int_equal(hbm_grant_credit(&dev, 1, ECHO, fc, 8), -ENOTCONN);
	assert_int_equal(connect(ECHO, 1), HBM_CONN_SUCCESS);
	assert_int_equal(hbm_grant_credit(&dev, 1, ECHO, fc, 7), -ENOSPC);
	assert_int_equal(hbm_conn_find(&dev, 1, ECHO)->me_credits, 0);
	for (i = 0; i < HBM_MAX_CREDITS; i++)
		assert_int_equal(hbm_grant_credit(&dev, 1, ECHO, fc, 8), 8);
	assert_memory_equal(
		fc, ((uint8_t[]){ HBM_FLOW_CONTROL, ECHO, 1, 0, 0, 0, 0, 0 }),
		8);
	assert_int_equal(hbm_grant_credit(&dev, 1, ECHO, fc, 8), -EOVERFLOW);
	assert_int_equal(hbm_conn_find(&dev, 1, ECHO)->me_credits,
			 HBM_MAX_CREDITS);
	/* Credits go with the connection. */
	assert_int_equal(disconnect(ECHO, 1), HBM_S_SUCCESS);
	assert_int_equal(connect(ECHO, 1), HBM_CONN_SUCCESS);
	assert_int_equal(hbm_conn_find(&dev, 1, ECHO)->me_credits, 0);
}

static void test_client_rx(void **state)
{
	static uint8_t data[600], msg[4096];
	uint32_t len = 77;
	bool regrant = true;
	uint8_t fc[8];
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 13);
	start_enum();
	assert_int_equal(connect(ECHO, 1), HBM_CONN_SUCCESS);
	assert_int_equal(connect(FIXED, 2), HBM_CONN_SUCCESS);

	/* No credit yet: refused, its later packets too, none regranted. */
	assert_int_equal(
		client_pkt(ECHO, 1, data, 4, false, msg, &len, &regrant),
		-EAGAIN);
	assert_false(regrant);
	assert_int_equal(
		client_pkt(ECHO, 1, data, 4, false, msg, &len, &regrant),
		-ECANCELED);
	assert_int_equal(
		client_pkt(ECHO, 1, data, 4, true, msg, &len, &regrant),
		-ECANCELED);

	/* A credit: a message in three packets (one empty) arrives whole. */
	assert_int_equal(hbm_grant_credit(&dev, 1, ECHO, fc, 8), 8);
	assert_int_equal(
		client_pkt(ECHO, 1, data, 500, false, msg, &len, &regrant), 0);
	assert_int_equal(
		client_pkt(ECHO, 1, NULL, 0, false, msg, &len, &regrant), 0);
	assert_int_equal(
		client_pkt(ECHO, 1, data + 500, 100, true, msg, &len, &regrant),
		1);
	assert_int_equal(len, 600);
	assert_memory_equal(msg, data, 600);
	assert_false(regrant);
	/* The credit is spent. */
	assert_int_equal(
		client_pkt(ECHO, 1, data, 1, true, msg, &len, &regrant),
		-EAGAIN);

	/* Past FIXED's 512 bytes: refused with the rest, credit owed. */
	assert_int_equal(hbm_grant_credit(&dev, 2, FIXED, fc, 8), 8);
	assert_int_equal(
		client_pkt(FIXED, 2, data, 300, false, msg, &len, &regrant), 0);
	assert_int_equal(
		client_pkt(FIXED, 2, data, 213, false, msg, &len, &regrant),
		-EMSGSIZE);
	assert_true(regrant);
	assert_int_equal(
		client_pkt(FIXED, 2, data, 10, true, msg, &len, &regrant),
		-ECANCELED);
	assert_false(regrant);
	/* Exactly 512 is fine. */
	assert_int_equal(hbm_grant_credit(&dev, 2, FIXED, fc, 8), 8);
	assert_int_equal(
		client_pkt(FIXED, 2, data, 512, true, msg, &len, &regrant), 1);
	assert_int_equal(len, 512);

	/* An empty message spends the credit and owes it back. */
	assert_int_equal(hbm_grant_credit(&dev, 1, ECHO, fc, 8), 8);
	assert_int_equal(
		client_pkt(ECHO, 1, NULL, 0, true, msg, &len, &regrant),
		-ENODATA);
	assert_true(regrant);

	/* Wrong pairs, bus headers, NULLs. */
	assert_int_equal(
		client_pkt(FIXED, 1, data, 4, true, msg, &len, &regrant),
		-ENOTCONN);
	assert_int_equal(
		client_pkt(ECHO, 3, data, 4, true, msg, &len, &regrant),
		-ENOTCONN);
	assert_int_equal(client_pkt(0, 0, data, 4, true, msg, &len, &regrant),
			 -ENOTCONN);
	assert_int_equal(hbm_client_rx(&dev, NULL, data, msg, &len, &regrant),
			 -EINVAL);
	assert_int_equal(hbm_client_rx(&dev,
				       &(struct hbm_hdr){ .me_addr = ECHO,
							  .host_addr = 1,
							  .length = 4 },
				       NULL, msg, &len, &regrant),
			 -EINVAL);

	/* A message in progress ends with its connection. */
	assert_int_equal(hbm_grant_credit(&dev, 1, ECHO, fc, 8), 8);
	assert_int_equal(
		client_pkt(ECHO, 1, data, 8, false, msg, &len, &regrant), 0);
	hbm_reset(&dev);
	start_enum();
	assert_int_equal(connect(ECHO, 1), HBM_CONN_SUCCESS);
	assert_int_equal(hbm_conn_find(&dev, 1, ECHO)->rx_len, 0);
	assert_false(hbm_conn_find(&dev, 1, ECHO)->rx_open);
	assert_int_equal(
		client_pkt(ECHO, 1, data, 8, true, msg, &len, &regrant),
		-EAGAIN);
}

static void test_host_driver_sequence(void **state)
{
	uint8_t bits[32];
	unsigned int a, n = 0;

	(void)state;
	start(2, 2);
	assert_int_equal(reply[1], 0);
	assert_int_equal(send4(HBM_HOST_ENUM_REQ, 0, 0, 0), 0);
	memcpy(bits, reply + 4, sizeof(bits));
	for (a = 0; a < 256; a++) {
		if (!(bits[a / 8] & (1u << (a % 8))))
			continue;
		assert_int_equal(send4(HBM_CLIENT_PROPS_REQ, (uint8_t)a, 0, 0),
				 0);
		assert_int_equal(reply[2], HBM_S_SUCCESS);
		n++;
	}
	assert_int_equal(n, 4);
	assert_int_equal(connect(ECHO, 1), HBM_CONN_SUCCESS);
	assert_int_equal(notify(ECHO, 1, 1), HBM_S_SUCCESS);
	assert_int_equal(flow_control(ECHO, 1), 0);
	assert_int_equal(hbm_take_credit(&dev, 1, ECHO), 0);
	assert_int_equal(disconnect(ECHO, 1), HBM_S_SUCCESS);
	assert_int_equal(send4(HBM_HOST_STOP_REQ, 0, 0, 0), 0);
	assert_int_equal(dev.state, HBM_STOPPED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup(f, setup)
		T(test_init),
		T(test_header),
		T(test_start),
		T(test_enum),
		T(test_props),
		T(test_connect_disconnect),
		T(test_connect_refusals),
		T(test_connect_table_full),
		T(test_disconnect_refusals),
		T(test_flow_control),
		T(test_notify),
		T(test_stop_and_reset),
		T(test_state_order),
		T(test_unexpected_commands),
		T(test_lengths),
		T(test_bad_arguments),
		T(test_host_driver_sequence),
		T(test_grant_credit),
		T(test_client_rx),
#undef T
	};

	return cmocka_run_group_tests_name("hbm", tests, NULL, NULL);
}
