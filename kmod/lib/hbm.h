/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * MEI host bus messages (HBM), the ME (device) side. Portable core: no
 * kernel headers, the same code runs in lhv_heci.ko, the unit tests and
 * the fuzzer.
 *
 * A guest's MEI host driver talks to the ME over a byte pipe of messages,
 * each behind a 32-bit little-endian header (struct hbm_hdr). Messages
 * with me_addr 0 and host_addr 0 are bus messages: one command byte and a
 * fixed-size body. hbm_handle parses one of them, checks it against the
 * bus state, advances that state and writes the answer. docs/heci.md
 * summarises the commands and the errors.
 *
 * The bus state is per device:
 *
 *   IDLE --HOST_START_REQ--> STARTED --HOST_ENUM_REQ--> ENUMERATED
 *     ^                        |                          |
 *     |                        +-----HOST_STOP_REQ--------+--> STOPPED
 *     +------------------- hbm_reset (link reset) ----------------+
 *
 * Client properties, connect, disconnect, flow control and notify need
 * ENUMERATED. HOST_STOP_REQ is answered and drops every connection; after
 * it nothing but a link reset (hbm_reset) is accepted.
 *
 * Commands handled, with their exact request and response sizes in bytes
 * (the layouts are the structs below):
 *
 *   HOST_START_REQ 0x01 (4)          -> HOST_START_RES 0x81 (4)
 *      host_version_supported is 1 when the host's version is between
 *      1.0 and HBM_VERSION_MAJOR.HBM_VERSION_MINOR (2.0); me_max_version
 *      is always 2.0. The bus runs at the smaller of the two (the host
 *      falls back to me_max_version when unsupported) and is STARTED
 *      either way.
 *   HOST_STOP_REQ 0x02 (4)           -> HOST_STOP_RES 0x82 (4)
 *   HOST_ENUM_REQ 0x04 (4)           -> HOST_ENUM_RES 0x84 (36)
 *      valid_addresses: bit n set when an ME client has me_addr n.
 *   HOST_CLIENT_PROPERTIES_REQ 0x05 (4) -> HOST_CLIENT_PROPERTIES_RES 0x85 (28)
 *      status SUCCESS with the client's properties, or CLIENT_NOT_FOUND
 *      (properties zero).
 *   CLIENT_CONNECT_REQ 0x06 (4)      -> CLIENT_CONNECT_RES 0x86 (4)
 *      status: SUCCESS; NOT_FOUND (no such me_addr); MESSAGE_SMALL
 *      (host_addr 0, which is the bus's own); ALREADY_STARTED (the
 *      host_addr already has a connection, to this client or another);
 *      OUT_OF_RESOURCES (the client's max_connections reached, or
 *      HBM_MAX_CONNS connections in all); or what hbm_ops.connect says.
 *   CLIENT_DISCONNECT_REQ 0x07 (4)   -> CLIENT_DISCONNECT_RES 0x87 (4)
 *      status SUCCESS, or NOT_FOUND when the pair is not connected.
 *   FLOW_CONTROL 0x08 (8)            -> no answer
 *      one more message the ME may send to the connection (a host
 *      credit; hbm_take_credit spends it).
 *   NOTIFY_REQ 0x10 (4)              -> NOTIFY_RES 0x90 (8)
 *      start 1 or 0. status: SUCCESS; NOT_FOUND (pair not connected);
 *      NOT_ALLOWED (client without notifications); INVALID_PARAMETER
 *      (start not 0 or 1); ALREADY_STARTED (start while started);
 *      NOT_STARTED (stop while stopped). Needs version 2.0.
 *
 * hbm_handle returns 0 with the answer in reply (*reply_len 0 when the
 * command has none), or a negative errno with *reply_len 0 and nothing
 * changed; the backend then resets the link or drops the message:
 *   -EBADMSG     no command byte, or the length is not the command's size
 *   -EOPNOTSUPP  a command the host never sends to the ME (responses,
 *                ME_STOP_REQ 0x03, the add-client, DMA and capability
 *                commands of later versions) or an unknown one
 *   -EPROTO      the command is not allowed in the bus state (anything
 *                before HOST_START_REQ, a second start, properties or
 *                connect before enumeration, anything after a stop,
 *                NOTIFY_REQ on a bus that negotiated below 2.0)
 *   -ENOENT      FLOW_CONTROL for a pair that is not connected
 *   -EOVERFLOW   FLOW_CONTROL past HBM_MAX_CREDITS for one connection
 *   -ENOSPC      reply_cap is smaller than the command's answer
 *   -EINVAL      a NULL argument
 * The checks run in this order: arguments, an empty message, the
 * command, its length, the state, reply_cap, then the command itself.
 */
#ifndef LHV_LIB_HBM_H
#define LHV_LIB_HBM_H

#include "portable.h"

/* The version this ME speaks. */
#define HBM_VERSION_MAJOR 2u
#define HBM_VERSION_MINOR 0u

/* Bus commands; responses have bit 7 set. */
#define HBM_HOST_START_REQ 0x01u
#define HBM_HOST_START_RES 0x81u
#define HBM_HOST_STOP_REQ 0x02u
#define HBM_HOST_STOP_RES 0x82u
#define HBM_ME_STOP_REQ 0x03u /* ME -> host only */
#define HBM_HOST_ENUM_REQ 0x04u
#define HBM_HOST_ENUM_RES 0x84u
#define HBM_CLIENT_PROPS_REQ 0x05u
#define HBM_CLIENT_PROPS_RES 0x85u
#define HBM_CLIENT_CONNECT_REQ 0x06u
#define HBM_CLIENT_CONNECT_RES 0x86u
#define HBM_CLIENT_DISCONNECT_REQ 0x07u
#define HBM_CLIENT_DISCONNECT_RES 0x87u
#define HBM_FLOW_CONTROL 0x08u
#define HBM_NOTIFY_REQ 0x10u
#define HBM_NOTIFY_RES 0x90u
#define HBM_NOTIFICATION 0x11u /* ME -> host only */

/* Status codes in properties, connect, disconnect and notify answers. */
#define HBM_S_SUCCESS 0u
#define HBM_S_CLIENT_NOT_FOUND 1u
#define HBM_S_ALREADY_EXISTS 2u
#define HBM_S_REJECTED 3u
#define HBM_S_INVALID_PARAMETER 4u
#define HBM_S_NOT_ALLOWED 5u
#define HBM_S_ALREADY_STARTED 6u
#define HBM_S_NOT_STARTED 7u

/* The same codes under their connect-answer names. */
#define HBM_CONN_SUCCESS HBM_S_SUCCESS
#define HBM_CONN_NOT_FOUND HBM_S_CLIENT_NOT_FOUND
#define HBM_CONN_ALREADY_STARTED HBM_S_ALREADY_EXISTS
#define HBM_CONN_OUT_OF_RESOURCES HBM_S_REJECTED
#define HBM_CONN_MESSAGE_SMALL HBM_S_INVALID_PARAMETER
#define HBM_CONN_NOT_ALLOWED HBM_S_NOT_ALLOWED

/* Connections across all clients of one device. */
#define HBM_MAX_CONNS 32u
/* Host credits one connection may hold. */
#define HBM_MAX_CREDITS 64u

/*
 * The message header, one little-endian 32-bit word:
 *   bits 0-7 me_addr, 8-15 host_addr, 16-24 length (of the payload that
 *   follows), 25-27 reserved, 28 extended, 29 dma_ring, 30 internal,
 *   31 msg_complete.
 */
#define HBM_HDR_LEN 4u
#define HBM_HDR_MAX_LENGTH 511u
#define HBM_HDR_EXTENDED (1u << 28)
#define HBM_HDR_DMA_RING (1u << 29)
#define HBM_HDR_INTERNAL (1u << 30)
#define HBM_HDR_COMPLETE (1u << 31)
#define HBM_HDR_RESERVED (7u << 25)

struct hbm_hdr {
	uint8_t me_addr;
	uint8_t host_addr;
	uint16_t length;
	bool internal;
	bool msg_complete;
};

/* The header word for h (the reserved, extended and dma bits zero). */
lhv_le32 hbm_hdr_encode(const struct hbm_hdr *h);

/*
 * Check the message in buf[0..len): a header whose length is exactly the
 * len - 4 bytes that follow, with the reserved, extended and dma_ring bits
 * clear (this ME negotiates none of them), and for a bus message (both
 * addresses 0) msg_complete set. Fills *h. Returns 0, or -EBADMSG.
 */
int hbm_hdr_check(const void *buf, size_t len, struct hbm_hdr *h);

/* True for a bus message (both addresses 0). */
static inline bool hbm_hdr_is_bus(const struct hbm_hdr *h)
{
	return !h->me_addr && !h->host_addr;
}

/* Wire formats, all bytes or little endian; sizes above. */
struct hbm_version {
	uint8_t minor;
	uint8_t major;
};

struct hbm_start_req {
	uint8_t cmd;
	uint8_t reserved;
	struct hbm_version host_version;
};

struct hbm_start_res {
	uint8_t cmd;
	uint8_t host_version_supported;
	struct hbm_version me_max_version;
};

/* HOST_STOP_REQ; HOST_STOP_RES is the same with reason 0. */
struct hbm_stop {
	uint8_t cmd;
	uint8_t reason;
	uint8_t reserved[2];
};

struct hbm_enum_req {
	uint8_t cmd;
	uint8_t flags; /* ignored: no dynamic clients */
	uint8_t reserved[2];
};

struct hbm_enum_res {
	uint8_t cmd;
	uint8_t reserved[3];
	uint8_t valid_addresses[32];
};

struct hbm_props_req {
	uint8_t cmd;
	uint8_t me_addr;
	uint8_t reserved[2];
};

#define HBM_PROPS_SINGLE_RECV_BUF 0x01u

struct hbm_client_props {
	uint8_t protocol_name[16]; /* the client's UUID, in wire order */
	uint8_t protocol_version;
	uint8_t max_connections;
	uint8_t fixed_address;
	uint8_t flags; /* HBM_PROPS_SINGLE_RECV_BUF */
	lhv_le32 max_msg_length;
};

struct hbm_props_res {
	uint8_t cmd;
	uint8_t me_addr;
	uint8_t status;
	uint8_t reserved;
	struct hbm_client_props props;
};

/*
 * CLIENT_CONNECT_REQ/RES, CLIENT_DISCONNECT_REQ/RES: byte 3 is reserved
 * in requests, the status in responses. NOTIFY_REQ has start there.
 */
struct hbm_client_msg {
	uint8_t cmd;
	uint8_t me_addr;
	uint8_t host_addr;
	uint8_t status;
};

struct hbm_flow_control {
	uint8_t cmd;
	uint8_t me_addr;
	uint8_t host_addr;
	uint8_t reserved[5];
};

struct hbm_notify_res {
	uint8_t cmd;
	uint8_t me_addr;
	uint8_t host_addr;
	uint8_t status;
	uint8_t start;
	uint8_t reserved[3];
};

/* The largest answer hbm_handle writes (HOST_ENUM_RES). */
#define HBM_REPLY_MAX 36u

/* One ME client the device offers. */
struct hbm_client {
	uint8_t me_addr;  /* 1..255, unique */
	uint8_t uuid[16]; /* protocol name, in wire order */
	uint8_t protocol_version;
	uint8_t max_connections; /* >= 1 */
	bool fixed;		 /* fixed address client */
	bool single_recv_buf;
	bool notify;	      /* accepts NOTIFY_REQ */
	uint32_t max_msg_len; /* >= 1 */
};

/* Optional hooks of the backend; priv is hbm_dev.priv. */
struct hbm_ops {
	/*
	 * A connect that passed the core's checks: return HBM_S_SUCCESS to
	 * accept it, or the status to refuse it with.
	 */
	uint8_t (*connect)(void *priv, const struct hbm_client *c,
			   uint8_t host_addr);
	/* A connection is gone (disconnect, stop or reset). */
	void (*disconnect)(void *priv, const struct hbm_client *c,
			   uint8_t host_addr);
};

enum hbm_state {
	HBM_IDLE,
	HBM_STARTED,
	HBM_ENUMERATED,
	HBM_STOPPED,
};

struct hbm_conn {
	const struct hbm_client *client; /* NULL: a free slot */
	uint8_t host_addr;
	bool notify;
	uint32_t host_credits; /* messages the ME may send to the host */
	uint32_t me_credits; /* messages the host may send (hbm_grant_credit) */
	uint32_t rx_len;     /* bytes of the host message being assembled */
	bool rx_open;	     /* a host message is being assembled */
	bool rx_drop;	     /* the rest of a refused message is dropped */
};

struct hbm_dev {
	const struct hbm_client *clients;
	unsigned int nr_clients;
	const struct hbm_ops *ops; /* may be NULL */
	void *priv;
	enum hbm_state state;
	struct hbm_version version; /* negotiated, once STARTED */
	unsigned int nr_conns;
	struct hbm_conn conns[HBM_MAX_CONNS];
};

/*
 * Set d up, IDLE, with the given clients (kept by reference). Returns 0,
 * or -EINVAL when a client has me_addr 0, a duplicate me_addr, no
 * connections or a zero max_msg_len.
 */
int hbm_init(struct hbm_dev *d, const struct hbm_client *clients,
	     unsigned int nr_clients, const struct hbm_ops *ops, void *priv);

/* Link reset: drop every connection (ops->disconnect each), back to IDLE. */
void hbm_reset(struct hbm_dev *d);

/*
 * Handle the bus message msg[0..len) (the payload after a header with
 * both addresses 0) and write the answer to reply. Contract at the top.
 */
int hbm_handle(struct hbm_dev *d, const void *msg, size_t len, void *reply,
	       size_t reply_cap, size_t *reply_len);

/* The connection of host_addr to me_addr, or NULL. */
struct hbm_conn *hbm_conn_find(struct hbm_dev *d, uint8_t host_addr,
			       uint8_t me_addr);

/*
 * Spend one host credit of the connection before sending it a message.
 * Returns 0, -EAGAIN with no credit, -ENOTCONN with no connection.
 */
int hbm_take_credit(struct hbm_dev *d, uint8_t host_addr, uint8_t me_addr);

/*
 * Write the ME's FLOW_CONTROL (8 bytes) letting the host send one message
 * on a connection; host_addr 0 grants it to every connection of a
 * single_recv_buf client. Returns 8, or -ENOTCONN (no such connection),
 * -ENOSPC (cap below 8).
 */
int hbm_build_flow_control(struct hbm_dev *d, uint8_t host_addr,
			   uint8_t me_addr, void *buf, size_t cap);

/*
 * The ME lets the host send one more message on a connection: counts the
 * credit (me_credits) and writes the FLOW_CONTROL (8 bytes) telling the
 * host. Returns 8, or -ENOTCONN (no connection), -EOVERFLOW
 * (HBM_MAX_CREDITS granted and not used yet), -ENOSPC (cap below 8);
 * nothing changes on failure.
 */
int hbm_grant_credit(struct hbm_dev *d, uint8_t host_addr, uint8_t me_addr,
		     void *buf, size_t cap);

/*
 * One packet of a client message from the host: h, checked by
 * hbm_hdr_check and not a bus header, and its h->length payload bytes,
 * appended to msg, the caller's buffer of the client's max_msg_len bytes.
 * The first packet of a message spends a credit the ME granted. Returns:
 *   1           the message is complete: *msg_len bytes in msg
 *   0           the packet is taken, the message goes on
 *   -ENOTCONN   no connection of h's host_addr to its me_addr
 *   -EAGAIN     a message started without a credit
 *   -EMSGSIZE   the message grew past the client's max_msg_len
 *   -ENODATA    a complete message of no bytes (MEI never sends one)
 *   -ECANCELED  a later packet of a message refused before
 *   -EINVAL     a NULL argument
 * The packets after a refused one are refused up to the one with
 * msg_complete. When a refused message had spent a credit, *regrant is
 * set: the host waits for the ME's next credit, so the caller should
 * grant one or the connection stalls. The payload is read once, by a
 * copy, as the guest may change it meanwhile.
 */
int hbm_client_rx(struct hbm_dev *d, const struct hbm_hdr *h,
		  const void *payload, uint8_t *msg, uint32_t *msg_len,
		  bool *regrant);

/*
 * Write the ME's NOTIFICATION (4 bytes) for a connection with
 * notifications started. Returns 4, or -ENOTCONN (no connection),
 * -EAGAIN (notifications not started), -ENOSPC (cap below 4).
 */
int hbm_build_notification(struct hbm_dev *d, uint8_t host_addr,
			   uint8_t me_addr, void *buf, size_t cap);

#endif /* LHV_LIB_HBM_H */
