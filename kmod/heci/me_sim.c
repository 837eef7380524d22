// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The built-in ME simulator: four deterministic clients, so the whole
 * path (frontend, virtio, HBM, flow control) is tested without Intel ME
 * hardware. UUIDs and behaviour are in docs/heci.md:
 *   echo    answers every message with the same bytes, at once; sends a
 *           notification after each answer when the host started them
 *   fwver   answers GET_VERSION (01 00 00 00) with a fixed version,
 *           anything else with an error answer
 *   refuse  refuses every connection (NOT_ALLOWED)
 *   slow    echoes each message after HECI_SIM_SLOW_MS and only then lets
 *           the host send the next one (flow control under load)
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/slab.h>
#include <linux/uuid.h>

#include "heci.h"

#define HECI_SIM_SLOW_MS 20

enum { SIM_ECHO = 1, SIM_FWVER, SIM_REFUSE, SIM_SLOW };

#define SIM_UUID(n)                                                            \
	GUID_INIT(0xd2e5c6a4, n, 0x4c68, 0x80, 0x76, 0x6c, 0x68, 0x76, 0x00,   \
		  0x00, n)

static const guid_t sim_uuids[] = {
	[SIM_ECHO] = SIM_UUID(SIM_ECHO),
	[SIM_FWVER] = SIM_UUID(SIM_FWVER),
	[SIM_REFUSE] = SIM_UUID(SIM_REFUSE),
	[SIM_SLOW] = SIM_UUID(SIM_SLOW),
};

static const struct hbm_client sim_clients[] = {
	{ .me_addr = SIM_ECHO,
	  .protocol_version = 1,
	  .max_connections = 2,
	  .notify = true,
	  .max_msg_len = 2048 },
	{ .me_addr = SIM_FWVER,
	  .protocol_version = 1,
	  .max_connections = 1,
	  .max_msg_len = 64 },
	{ .me_addr = SIM_REFUSE,
	  .protocol_version = 1,
	  .max_connections = 1,
	  .max_msg_len = 64 },
	{ .me_addr = SIM_SLOW,
	  .protocol_version = 1,
	  .max_connections = 1,
	  .max_msg_len = 256 },
};

/* GET_VERSION's answer: 0x81, status 0, then major.minor.hotfix.build. */
#define SIM_FW_MAJOR 16
#define SIM_FW_MINOR 1
#define SIM_FW_HOTFIX 25
#define SIM_FW_BUILD 1999

struct heci_sim {
	struct heci_dev *dev;
	struct delayed_work work;
	struct list_head pending; /* struct sim_reply, under dev->lock */
};

/* A delayed answer of the slow client. */
struct sim_reply {
	struct list_head node;
	struct heci_conn *conn;
	unsigned long due;
	u32 len;
	u8 data[];
};

static int sim_init(struct heci_dev *dev, const u8 (*allow)[16],
		    unsigned int nr_allow, struct netlink_ext_ack *extack)
{
	unsigned int i, j, n = nr_allow ? nr_allow : ARRAY_SIZE(sim_clients);
	struct heci_sim *sim;

	dev->clients = kcalloc(n, sizeof(*dev->clients), GFP_KERNEL);
	sim = kzalloc(sizeof(*sim), GFP_KERNEL);
	if (!dev->clients || !sim) {
		kfree(sim);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		for (j = 0; nr_allow && j < ARRAY_SIZE(sim_clients); j++)
			if (!memcmp(allow[i],
				    &sim_uuids[sim_clients[j].me_addr], 16))
				break;
		if (!nr_allow)
			j = i;
		if (j == ARRAY_SIZE(sim_clients)) {
			NL_SET_ERR_MSG(extack, "an allowed UUID is not one of "
					       "the simulator's clients");
			kfree(sim);
			return -ENOENT;
		}
		dev->clients[i] = sim_clients[j];
		memcpy(dev->clients[i].uuid, &sim_uuids[sim_clients[j].me_addr],
		       16);
	}
	dev->nr_clients = n;
	sim->dev = dev;
	INIT_LIST_HEAD(&sim->pending);
	dev->me_priv = sim;
	return 0;
}

static void sim_free_pending(struct heci_sim *sim, struct heci_conn *conn)
{
	struct sim_reply *r, *tmp;

	list_for_each_entry_safe (r, tmp, &sim->pending, node) {
		if (conn && r->conn != conn)
			continue;
		list_del(&r->node);
		kfree(r);
	}
}

static void sim_fini(struct heci_dev *dev)
{
	struct heci_sim *sim = dev->me_priv;

	if (sim) {
		cancel_delayed_work_sync(&sim->work);
		sim_free_pending(sim, NULL);
	}
	kfree(sim);
	dev->me_priv = NULL;
}

static u8 sim_connect(struct heci_dev *dev, struct heci_conn *conn)
{
	return conn->client->me_addr == SIM_REFUSE ? HBM_CONN_NOT_ALLOWED
						   : HBM_S_SUCCESS;
}

static void sim_disconnect(struct heci_dev *dev, struct heci_conn *conn)
{
	sim_free_pending(dev->me_priv, conn);
}

static void sim_put_le16(u8 *p, u16 v)
{
	p[0] = v & 0xff;
	p[1] = v >> 8;
}

static void sim_fwver(struct heci_dev *dev, struct heci_conn *conn,
		      const u8 *msg, u32 len)
{
	u8 rs[12] = { 0 };

	rs[0] = msg[0] | 0x80;
	if (len != 4 || msg[0] != 0x01 || msg[1] || msg[2] || msg[3]) {
		rs[1] = 1; /* invalid request */
		heci_send(dev, conn, rs, 4);
		return;
	}
	sim_put_le16(rs + 4, SIM_FW_MAJOR);
	sim_put_le16(rs + 6, SIM_FW_MINOR);
	sim_put_le16(rs + 8, SIM_FW_HOTFIX);
	sim_put_le16(rs + 10, SIM_FW_BUILD);
	heci_send(dev, conn, rs, sizeof(rs));
}

static void sim_slow(struct heci_dev *dev, struct heci_conn *conn,
		     const u8 *msg, u32 len)
{
	struct heci_sim *sim = dev->me_priv;
	struct sim_reply *r = kmalloc(struct_size(r, data, len), GFP_KERNEL);

	if (!r) {
		heci_grant(dev, conn); /* lost: let the host go on */
		return;
	}
	r->conn = conn;
	r->due = jiffies + msecs_to_jiffies(HECI_SIM_SLOW_MS);
	r->len = len;
	memcpy(r->data, msg, len);
	list_add_tail(&r->node, &sim->pending);
	schedule_delayed_work(&sim->work, msecs_to_jiffies(HECI_SIM_SLOW_MS));
}

static void sim_recv(struct heci_dev *dev, struct heci_conn *conn,
		     const u8 *msg, u32 len)
{
	switch (conn->client->me_addr) {
	case SIM_ECHO:
		heci_send(dev, conn, msg, len);
		heci_notify(dev, conn);
		break;
	case SIM_FWVER:
		sim_fwver(dev, conn, msg, len);
		break;
	case SIM_SLOW:
		sim_slow(dev, conn, msg, len);
		return; /* the credit comes with the answer */
	}
	heci_grant(dev, conn);
}

/* The slow client's answers that are due. */
static void sim_work(struct work_struct *work)
{
	struct heci_sim *sim =
		container_of(to_delayed_work(work), struct heci_sim, work);
	struct heci_dev *dev = sim->dev;
	struct sim_reply *r, *tmp;
	bool more = false;

	mutex_lock(&dev->lock);
	list_for_each_entry_safe (r, tmp, &sim->pending, node) {
		if (time_before(jiffies, r->due)) {
			more = true;
			continue;
		}
		list_del(&r->node);
		if (dev->running) {
			heci_send(dev, r->conn, r->data, r->len);
			heci_grant(dev, r->conn);
		}
		kfree(r);
	}
	heci_bus_flush(dev);
	mutex_unlock(&dev->lock);
	if (more)
		schedule_delayed_work(&sim->work,
				      msecs_to_jiffies(HECI_SIM_SLOW_MS));
}

/* Stopped: no answer may come later. */
static void sim_quiesce(struct heci_dev *dev)
{
	struct heci_sim *sim = dev->me_priv;

	cancel_delayed_work_sync(&sim->work);
	mutex_lock(&dev->lock);
	sim_free_pending(sim, NULL);
	mutex_unlock(&dev->lock);
}

static int sim_init_work(struct heci_dev *dev, const u8 (*allow)[16],
			 unsigned int nr_allow, struct netlink_ext_ack *extack)
{
	struct heci_sim *sim;
	int err = sim_init(dev, allow, nr_allow, extack);

	if (err)
		return err;
	sim = dev->me_priv;
	INIT_DELAYED_WORK(&sim->work, sim_work);
	return 0;
}

const struct heci_me_ops heci_me_sim = {
	.name = "sim",
	.init = sim_init_work,
	.fini = sim_fini,
	.connect = sim_connect,
	.disconnect = sim_disconnect,
	.recv = sim_recv,
	.quiesce = sim_quiesce,
};
