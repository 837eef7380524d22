// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The mei ME backend: a guest's connections go to the Service OS's own ME
 * clients through the MEI client bus (mei_cldev_*, <linux/mei_cl_bus.h>).
 *
 * At load, the module parameter mei_clients lists the UUIDs of the ME
 * clients lhv_heci may take (comma-separated, text form). A mei_cl_driver
 * "lhv_heci" with exactly those ids binds the matching client devices the
 * SOS's mei driver enumerated (a client already bound to another driver,
 * such as mei_hdcp, must be unbound first). A heci device with this backend
 * offers its guest the clients of its allow list (netlink); a connection
 * enables the client device (mei_cldev_enable), messages go out with
 * mei_cldev_send_vtag and come back through the rx callback with
 * mei_cldev_recv_nonblock_vtag. The vtag is the VM's id, so firmware that
 * supports vtags keeps the VMs' traffic apart; with vtag 0 (the service
 * VM, or firmware without vtags) a client device has one user at a time
 * and a second connection is refused (OUT_OF_RESOURCES, EBUSY in mei).
 * QEMU has no ME: this path is built on both kernels but only runs on a
 * real board (docs/heci.md).
 *
 * Locks: heci_dev.lock before heci_mei_lock. The rx callback (a mei work)
 * takes only heci_mei_lock: it queues what it read on the client and kicks
 * the owning device's work, which forwards under heci_dev.lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mei_cl_bus.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uuid.h>

#include "lhv.h"
#include "heci.h"

static char *mei_clients = "";
module_param(mei_clients, charp, 0444);
MODULE_PARM_DESC(mei_clients,
		 "UUIDs of the Service OS's ME clients the mei backend may "
		 "forward to, comma-separated (read at load)");

#define HECI_MEI_MAX 32

/* One ME client device of the SOS that the driver bound. */
struct heci_mei_client {
	struct list_head node;
	struct mei_cl_device *cldev;
	guid_t uuid;
	struct heci_dev *dev;	/* the user, or NULL */
	struct heci_conn *conn; /* its connection */
	struct list_head rxq;	/* struct heci_mei_rx, under heci_mei_lock */
};

struct heci_mei_rx {
	struct list_head node;
	u32 len;
	u8 data[];
};

/* A heci device's state in this backend. */
struct heci_mei_dev {
	struct heci_dev *dev;
	struct work_struct work; /* forward what the clients received */
};

static DEFINE_MUTEX(heci_mei_lock);
static LIST_HEAD(heci_mei_bound);
static struct mei_cl_device_id *heci_mei_ids;
static bool heci_mei_registered;

static struct heci_mei_client *heci_mei_find(const u8 *uuid)
{
	struct heci_mei_client *c;

	lockdep_assert_held(&heci_mei_lock);
	list_for_each_entry (c, &heci_mei_bound, node)
		if (!memcmp(&c->uuid, uuid, 16))
			return c;
	return NULL;
}

/*
 * The bound client of cldev, or of a connection; heci_mei_lock held. Found
 * by search, not through pointers kept elsewhere: the client may be gone
 * (its remove) while a callback or a connection still runs.
 */
static struct heci_mei_client *heci_mei_of_cldev(struct mei_cl_device *cldev)
{
	struct heci_mei_client *c;

	list_for_each_entry (c, &heci_mei_bound, node)
		if (c->cldev == cldev)
			return c;
	return NULL;
}

static struct heci_mei_client *heci_mei_of_conn(struct heci_conn *conn)
{
	struct heci_mei_client *c;

	list_for_each_entry (c, &heci_mei_bound, node)
		if (c->conn == conn)
			return c;
	return NULL;
}

static void heci_mei_rx_cb(struct mei_cl_device *cldev)
{
	struct heci_mei_client *c;
	struct heci_mei_dev *md;
	struct heci_mei_rx *rx;
	ssize_t n;
	u8 vtag = 0;

	rx = kmalloc(struct_size(rx, data, LHV_HECI_MAX_MSG), GFP_KERNEL);
	if (!rx)
		return;
	n = mei_cldev_recv_nonblock_vtag(cldev, rx->data, LHV_HECI_MAX_MSG,
					 &vtag);
	mutex_lock(&heci_mei_lock);
	c = heci_mei_of_cldev(cldev);
	if (n <= 0 || !c || !c->dev || vtag != (u8)c->dev->vdev.vm->id) {
		mutex_unlock(&heci_mei_lock);
		kfree(rx);
		return;
	}
	rx->len = n;
	list_add_tail(&rx->node, &c->rxq);
	md = c->dev->me_priv;
	schedule_work(&md->work);
	mutex_unlock(&heci_mei_lock);
}

static void heci_mei_free_rxq(struct heci_mei_client *c)
{
	struct heci_mei_rx *rx, *tmp;

	list_for_each_entry_safe (rx, tmp, &c->rxq, node) {
		list_del(&rx->node);
		kfree(rx);
	}
}

/* Forward to the guest what this device's clients received. */
static void heci_mei_work(struct work_struct *work)
{
	struct heci_mei_dev *md = container_of(work, struct heci_mei_dev, work);
	struct heci_dev *dev = md->dev;
	struct heci_mei_client *c;
	struct heci_mei_rx *rx, *tmp;
	LIST_HEAD(got);

	mutex_lock(&dev->lock);
	mutex_lock(&heci_mei_lock);
	list_for_each_entry (c, &heci_mei_bound, node) {
		if (c->dev != dev)
			continue;
		list_for_each_entry_safe (rx, tmp, &c->rxq, node) {
			list_del(&rx->node);
			if (dev->running && c->conn)
				heci_send(dev, c->conn, rx->data, rx->len);
			kfree(rx);
		}
	}
	mutex_unlock(&heci_mei_lock);
	heci_bus_flush(dev);
	mutex_unlock(&dev->lock);
}

static int heci_mei_init(struct heci_dev *dev, const u8 (*allow)[16],
			 unsigned int nr_allow, struct netlink_ext_ack *extack)
{
	struct heci_mei_dev *md;
	unsigned int i;

	if (nr_allow > 255) {
		NL_SET_ERR_MSG(extack, "too many allowed clients");
		return -E2BIG;
	}
	dev->clients = kcalloc(nr_allow, sizeof(*dev->clients), GFP_KERNEL);
	md = kzalloc(sizeof(*md), GFP_KERNEL);
	if (!dev->clients || !md) {
		kfree(md);
		return -ENOMEM;
	}
	/* Properties the client bus does not tell: one connection each. */
	for (i = 0; i < nr_allow; i++) {
		dev->clients[i].me_addr = i + 1;
		memcpy(dev->clients[i].uuid, allow[i], 16);
		dev->clients[i].protocol_version = 1;
		dev->clients[i].max_connections = 1;
		dev->clients[i].max_msg_len = dev->max_msg_len;
	}
	dev->nr_clients = nr_allow;
	md->dev = dev;
	INIT_WORK(&md->work, heci_mei_work);
	dev->me_priv = md;
	return 0;
}

static void heci_mei_fini(struct heci_dev *dev)
{
	struct heci_mei_dev *md = dev->me_priv;

	if (md)
		cancel_work_sync(&md->work);
	kfree(md);
	dev->me_priv = NULL;
}

static u8 heci_mei_connect(struct heci_dev *dev, struct heci_conn *conn)
{
	struct heci_mei_client *c;
	u8 st = HBM_S_SUCCESS;

	mutex_lock(&heci_mei_lock);
	c = heci_mei_find(conn->client->uuid);
	if (!c || !c->cldev)
		st = HBM_CONN_NOT_FOUND;
	else if (c->dev)
		st = HBM_CONN_OUT_OF_RESOURCES;
	else if (mei_cldev_enable(c->cldev))
		st = HBM_CONN_OUT_OF_RESOURCES;
	if (st == HBM_S_SUCCESS) {
		c->dev = dev;
		c->conn = conn;
	}
	mutex_unlock(&heci_mei_lock);
	return st;
}

static void heci_mei_disconnect(struct heci_dev *dev, struct heci_conn *conn)
{
	struct heci_mei_client *c;

	mutex_lock(&heci_mei_lock);
	c = heci_mei_of_conn(conn);
	if (c) {
		if (c->cldev)
			mei_cldev_disable(c->cldev);
		heci_mei_free_rxq(c);
		c->dev = NULL;
		c->conn = NULL;
	}
	mutex_unlock(&heci_mei_lock);
}

static void heci_mei_recv(struct heci_dev *dev, struct heci_conn *conn,
			  const u8 *msg, u32 len)
{
	struct heci_mei_client *c;
	ssize_t n = -ENODEV;

	mutex_lock(&heci_mei_lock);
	c = heci_mei_of_conn(conn);
	if (c && c->cldev)
		n = mei_cldev_send_vtag(c->cldev, msg, len,
					(u8)dev->vdev.vm->id);
	mutex_unlock(&heci_mei_lock);
	if (n < 0)
		pr_warn_ratelimited("%s: ME client send failed (%zd)\n",
				    dev->vdev.name, n);
	/* The SOS's mei queues the message: the host may send the next. */
	heci_grant(dev, conn);
}

static void heci_mei_quiesce(struct heci_dev *dev)
{
	struct heci_mei_dev *md = dev->me_priv;

	cancel_work_sync(&md->work);
}

const struct heci_me_ops heci_me_mei = {
	.name = "mei",
	.init = heci_mei_init,
	.fini = heci_mei_fini,
	.connect = heci_mei_connect,
	.disconnect = heci_mei_disconnect,
	.recv = heci_mei_recv,
	.quiesce = heci_mei_quiesce,
};

static int heci_mei_probe(struct mei_cl_device *cldev,
			  const struct mei_cl_device_id *id)
{
	struct heci_mei_client *c;
	int err;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	c->cldev = cldev;
	memcpy(&c->uuid, mei_cldev_uuid(cldev), 16);
	INIT_LIST_HEAD(&c->rxq);
	err = mei_cldev_register_rx_cb(cldev, heci_mei_rx_cb);
	if (err) {
		kfree(c);
		return err;
	}
	mutex_lock(&heci_mei_lock);
	list_add_tail(&c->node, &heci_mei_bound);
	mutex_unlock(&heci_mei_lock);
	dev_info(&cldev->dev, "lhv_heci forwards ME client %pUl\n", &c->uuid);
	return 0;
}

/*
 * The SOS's ME client went away: a guest connection to it stays in the
 * guest's view, but its messages go nowhere until the guest reconnects
 * (which then answers NOT_FOUND). mei cancels the rx callback's work only
 * after this returns, so the callback finds clients by search.
 */
static void heci_mei_remove(struct mei_cl_device *cldev)
{
	struct heci_mei_client *c;

	mutex_lock(&heci_mei_lock);
	c = heci_mei_of_cldev(cldev);
	if (c) {
		if (c->dev)
			mei_cldev_disable(cldev);
		heci_mei_free_rxq(c);
		list_del(&c->node);
		kfree(c);
	}
	mei_cldev_set_drvdata(cldev, NULL);
	mutex_unlock(&heci_mei_lock);
}

static struct mei_cl_driver heci_mei_driver = {
	.name = "lhv_heci",
	.probe = heci_mei_probe,
	.remove = heci_mei_remove,
};

/* Parse mei_clients into the id table. */
static int heci_mei_parse_ids(void)
{
	char *copy, *s, *tok;
	unsigned int n = 0;
	int err = 0;

	heci_mei_ids =
		kcalloc(HECI_MEI_MAX + 1, sizeof(*heci_mei_ids), GFP_KERNEL);
	copy = kstrdup(mei_clients, GFP_KERNEL);
	if (!heci_mei_ids || !copy) {
		err = -ENOMEM;
		goto out;
	}
	s = copy;
	while ((tok = strsep(&s, ","))) {
		tok = strim(tok);
		if (!*tok)
			continue;
		if (n == HECI_MEI_MAX) {
			pr_err("mei_clients: more than %d UUIDs\n",
			       HECI_MEI_MAX);
			err = -E2BIG;
			break;
		}
		err = guid_parse(tok, (guid_t *)&heci_mei_ids[n].uuid);
		if (err) {
			pr_err("mei_clients: '%s' is not a UUID\n", tok);
			break;
		}
		heci_mei_ids[n].version = MEI_CL_VERSION_ANY;
		n++;
	}
out:
	kfree(copy);
	if (!err && !n)
		err = -ENOENT; /* nothing to bind */
	return err;
}

int heci_mei_module_init(void)
{
	int err = heci_mei_parse_ids();

	if (err == -ENOENT) {
		kfree(heci_mei_ids);
		heci_mei_ids = NULL;
		return 0;
	}
	if (err)
		goto err_free;
	heci_mei_driver.id_table = heci_mei_ids;
	err = mei_cldev_driver_register(&heci_mei_driver);
	if (err)
		goto err_free;
	heci_mei_registered = true;
	return 0;

err_free:
	kfree(heci_mei_ids);
	heci_mei_ids = NULL;
	return err;
}

void heci_mei_module_exit(void)
{
	if (heci_mei_registered)
		mei_cldev_driver_unregister(&heci_mei_driver);
	heci_mei_registered = false;
	kfree(heci_mei_ids);
	heci_mei_ids = NULL;
}
