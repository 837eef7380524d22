/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Internal interface of lhv_heci_fe.ko, the guest driver of the lhv
 * virtio HECI device (uapi/lhv/virtio_heci.h). main.c is the virtio
 * driver (queues, packets, the host_reset handshake), bus.c the host side
 * of the MEI host bus (start, enumeration, connect, flow control,
 * notifications), cdev.c the /dev/meiN character device with the
 * semantics of Linux's mei driver (docs/heci.md).
 *
 * Locks: fe_dev.lock (spinlock, irqsave) covers the bus state, the
 * clients and every host client's queues and state, because the rx
 * callback runs in interrupt context. fe_dev.ctl (mutex) serialises bus
 * requests and the link's life (start, reset, removal); fe_dev.tx_mutex
 * serialises sending.
 */
#ifndef LHV_HECI_FE_H
#define LHV_HECI_FE_H

#include <linux/cdev.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/virtio.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <lhv/virtio_heci.h>

#include "hbm.h"

#define FE_RX_BUFS 32
#define FE_MAX_CLIENTS 255
#define LHV_HECI_FE_MAX_MSG 4096 /* longest message kept */
#define FE_TIMEOUT (2 * HZ)	 /* a bus answer, as mei's client timeouts */

extern unsigned int fe_tx_queue_limit;

/* One ME client, as the properties answer described it. */
struct fe_me_client {
	u8 me_addr;
	u8 uuid[16];
	u8 protocol_version;
	u8 max_connections;
	bool fixed;
	u32 max_msg_len;
};

/* A whole message, to read or to send. */
struct fe_msg {
	struct list_head node;
	u32 len;
	u8 data[];
};

enum fe_cl_state {
	FE_CL_IDLE,	  /* opened, never connected */
	FE_CL_CONNECTING, /* CONNECT_REQ sent */
	FE_CL_CONNECTED,
	FE_CL_DISCONNECTING, /* DISCONNECT_REQ sent */
	FE_CL_DISCONNECTED,  /* by request, refusal, reset or removal */
};

/* A host client: one open file. */
struct fe_cl {
	struct fe_dev *fe;
	struct list_head node; /* fe->cls */
	enum fe_cl_state state;
	u8 host_addr; /* 0: none */
	u8 me_addr;
	u32 max_msg_len;
	int status; /* answer to the last request, as an errno */
	bool answered;
	u32 me_credits;	     /* messages the ME lets us send */
	bool host_credit;    /* we let the ME send one, not yet used */
	struct list_head rd; /* complete messages */
	u8 *asm_buf;	     /* max_msg_len: a message arriving */
	u32 asm_len;
	bool asm_bad;
	struct list_head tx; /* messages to send */
	unsigned int tx_queued;
	bool notify_en, notify_ev;
	wait_queue_head_t rx_wait, tx_wait, ev_wait, ctl_wait;
};

struct fe_dev {
	struct virtio_device *vdev;
	struct virtqueue *rxq, *txq;
	struct kref ref;
	spinlock_t lock;
	struct mutex ctl;
	struct mutex tx_mutex;
	bool ready; /* the bus is enumerated */
	bool dead;  /* removed: everything fails with ENODEV */
	struct hbm_version version;
	struct fe_me_client clients[FE_MAX_CLIENTS];
	unsigned int nr_clients;
	/* The answer a start/enum/properties request waits for. */
	u8 want_cmd;
	bool got;
	u8 answer[HBM_REPLY_MAX];
	wait_queue_head_t bus_wait;
	wait_queue_head_t txq_wait; /* room on the tx ring */
	struct list_head cls;
	DECLARE_BITMAP(host_addrs, 256);
	struct work_struct tx_work;
	struct work_struct reset_work; /* the link broke: start it again */
	u32 buf_size;
	void *rxbufs[FE_RX_BUFS];
	int index; /* /dev/mei<index> */
	struct cdev *cdev;
	struct device *cdevice;
};

/* main.c; fe_send_pkt with tx_mutex held, fe_send_bus takes it */
int fe_send_pkt(struct fe_dev *fe, u8 me_addr, u8 host_addr, const void *data,
		u32 len, bool complete);
int fe_send_bus(struct fe_dev *fe, const void *msg, u32 len);
void fe_put(struct fe_dev *fe);
int fe_link_reset(struct fe_dev *fe);

/* bus.c */
int fe_bus_start(struct fe_dev *fe);
void fe_bus_rx(struct fe_dev *fe, const struct hbm_hdr *h, const u8 *payload);
void fe_bus_down(struct fe_dev *fe); /* lock held: every client drops */
void fe_tx_work(struct work_struct *work);
int fe_cl_connect(struct fe_cl *cl, const u8 *uuid, u32 *max_msg_len,
		  u8 *protocol_version);
int fe_cl_disconnect(struct fe_cl *cl);
int fe_cl_notify_set(struct fe_cl *cl, u32 start);
/* Let the ME send one message if no credit is out; lock not held. */
int fe_cl_read_start(struct fe_cl *cl);

/* cdev.c */
int fe_cdev_add(struct fe_dev *fe);
void fe_cdev_del(struct fe_dev *fe);
int fe_cdev_init(void);
void fe_cdev_exit(void);

#endif /* LHV_HECI_FE_H */
