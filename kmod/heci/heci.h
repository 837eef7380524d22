/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Internal interface of lhv_heci.ko, the virtio HECI backend: what its
 * files share. The ABI is uapi/lhv/virtio_heci.h (the device) and
 * uapi/lhv/netlink.h (enum lhv_heci_attr).
 *
 * Layers: device.c is the virtio device (queues, config space, reset);
 * bus.c speaks the MEI host bus toward the guest with the portable HBM
 * core (kmod/lib/hbm.c) and keeps per-connection state, credits and the
 * queue of messages to the guest; an ME backend (me_sim.c, me_mei.c)
 * provides the clients and their traffic. One mutex, heci_dev.lock,
 * covers the bus, the connections and the queues; every path that takes
 * it runs in process context (queue workers, works, mei callbacks).
 */
#ifndef LHV_HECI_H
#define LHV_HECI_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <lhv/netlink.h>
#include <lhv/virtio_heci.h>

#include "lhv_vdev.h"
#include "hbm.h"

#define HECI_QUEUE_SIZE 64
#define HECI_RX_SEGS 4
/* Payload bytes of one packet: buf_depth slots minus the header. */
#define HECI_PKT_MAX (LHV_HECI_BUF_DEPTH * 4 - HBM_HDR_LEN)
/*
 * Bounds on what a guest that does not read can make the device hold:
 * answers waiting for a host credit per connection (past it the ME lets
 * the host send no more), and bus answers waiting for rx buffers (past it
 * bus requests are refused).
 */
#define HECI_CONN_OUT_MAX 8
#define HECI_BUS_OUT_MAX 256

struct heci_dev;

/* A message to the guest, sent in packets as rx buffers come. */
struct heci_msg {
	struct list_head node;
	u8 me_addr, host_addr;
	u32 len, off; /* off: bytes already delivered */
	u8 data[];
};

/*
 * The device side of one connection; the HBM core keeps its credits and
 * the state of a host message being assembled (struct hbm_conn).
 */
struct heci_conn {
	const struct hbm_client *client;
	u8 host_addr;
	u8 *rx_buf; /* client->max_msg_len bytes: hbm_client_rx fills it */
	struct list_head out; /* messages waiting for a host credit */
	unsigned int nr_out;  /* ... how many */
	bool grant_owed;      /* a credit held back until out drains */
};

/* A device-writable chain the driver posted on the rx queue. */
struct heci_rxbuf {
	u16 head;
	u16 nr;
	u32 total;
	struct {
		void *addr;
		u32 len;
	} seg[HECI_RX_SEGS];
};

/* Statistics in sysfs-free form, reported by the kernel log on demand. */
struct heci_stats {
	u64 dropped; /* host messages refused (malformed, wrong state, ...) */
};

/*
 * An ME backend. Every callback but init, fini and quiesce runs with
 * heci_dev.lock held.
 */
struct heci_me_ops {
	const char *name;
	/* Build dev->clients/nr_clients from the allow list. */
	int (*init)(struct heci_dev *dev, const u8 (*allow)[16],
		    unsigned int nr_allow, struct netlink_ext_ack *extack);
	void (*fini)(struct heci_dev *dev);
	/* Accept (HBM_S_SUCCESS) or refuse a connection; may sleep. */
	u8 (*connect)(struct heci_dev *dev, struct heci_conn *conn);
	void (*disconnect)(struct heci_dev *dev, struct heci_conn *conn);
	/* A whole host message for the client. */
	void (*recv)(struct heci_dev *dev, struct heci_conn *conn,
		     const u8 *msg, u32 len);
	/* The device stopped (lock not held): wait for deferred work. */
	void (*quiesce)(struct heci_dev *dev);
};

struct heci_dev {
	struct lhv_vdev vdev;
	struct lhv_virtio_heci_config config; /* under lock */
	u32 backend;			      /* enum lhv_heci_backend */
	u32 max_msg_len;		      /* mei backend */
	const struct heci_me_ops *me;
	void *me_priv;
	struct hbm_client *clients;
	unsigned int nr_clients;
	u8 (*allow)[16];
	unsigned int nr_allow;

	struct mutex lock;
	bool running; /* between start and stop */
	struct hbm_dev bus;
	struct heci_conn *conns[256]; /* by host_addr */
	struct list_head out;	      /* messages ready for the guest */
	unsigned int nr_bus_out;      /* bus messages in out */
	struct heci_rxbuf rx[HECI_QUEUE_SIZE];
	unsigned int rx_first, rx_count;
	struct work_struct reset_work;
	struct heci_stats stats;
	u8 pkt[HBM_HDR_LEN + HECI_PKT_MAX]; /* the tx worker's scratch */
};

static inline struct heci_dev *to_heci_dev(struct lhv_vdev *vdev)
{
	return container_of(vdev, struct heci_dev, vdev);
}

/* device.c */
extern const struct lhv_vdev_ops heci_vdev_ops;
void heci_dev_init(struct heci_dev *dev);

/* bus.c: lock held unless said otherwise */
int heci_bus_init(struct heci_dev *dev);
void heci_bus_reset(struct heci_dev *dev);
/* One packet from the tx queue (lock not held). 0 or a negative errno. */
int heci_bus_from_host(struct heci_dev *dev, const u8 *pkt, u32 len);
/* Deliver queued messages into posted rx buffers. */
void heci_bus_flush(struct heci_dev *dev);
/* The ME side of a connection sends a message to the host. */
int heci_send(struct heci_dev *dev, struct heci_conn *conn, const void *buf,
	      u32 len);
/* The ME side lets the host send one more message. */
void heci_grant(struct heci_dev *dev, struct heci_conn *conn);
/* The ME side signals an event (NOTIFICATION) if the host asked for it. */
void heci_notify(struct heci_dev *dev, struct heci_conn *conn);
/* The connection of host_addr to me_addr, or NULL. */
struct heci_conn *heci_conn_get(struct heci_dev *dev, u8 host_addr, u8 me_addr);

/* me_sim.c, me_mei.c */
extern const struct heci_me_ops heci_me_sim;
extern const struct heci_me_ops heci_me_mei;
int heci_mei_module_init(void);
void heci_mei_module_exit(void);

#endif /* LHV_HECI_H */
