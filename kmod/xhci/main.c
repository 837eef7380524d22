// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * lhv_xhci: the backend of device type xhci (LHV_DEV_XHCI). Each
 * `lhvctl xhci add --vm <uos>` (netlink DEV_ADD) makes one emulated xHCI
 * controller on the user VM's virtual PCI bus; `lhvctl usb assign`
 * (LHV_CMD_USB_*, usb_nl.c) gives it SOS USB ports. It is not a virtio device:
 * it registers its own PCI function (lhv_vdev_register_pci) and keeps an
 * lhv_vdev only for its id, name and place in the VM's device list.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <linux/workqueue.h>
#include <lhv/netlink.h>
#include <lhv/version.h>

#include "lhv.h"
#include "xhci.h"

struct workqueue_struct *lhv_xhci_wq;

static const struct nla_policy lhv_xhci_policy[LHV_XHCI_ATTR_MAX + 1] = {
	[LHV_XHCI_ATTR_USB_PORT] = { .type = NLA_NUL_STRING,
				     .len = LHV_XHCI_USB_PORT_MAX - 1 },
	[LHV_XHCI_ATTR_ROLE_SWITCH] = { .type = NLA_NUL_STRING,
					.len = LHV_XHCI_ROLE_SWITCH_MAX - 1 },
};

static void lhv_xhci_free(struct lhv_xhci *x)
{
	lhv_xhci_hc_free(x);
	kfree(x);
}

/*
 * A directory of counters (kobj_attributes) under the controller's: a
 * kobject of its own, the vdev's kobject having the lhv core's sysfs_ops.
 */
static struct kobject *lhv_xhci_sysfs_add(struct lhv_xhci *x, const char *name,
					  const struct attribute_group *grp)
{
	struct kobject *kobj = kobject_create_and_add(name, &x->vdev.kobj);

	if (kobj && sysfs_create_group(kobj, grp)) {
		kobject_put(kobj);
		kobj = NULL;
	}
	if (!kobj)
		pr_warn("%s/%s: no %s/ in sysfs\n", x->vm->name, x->vdev.name,
			name);
	return kobj;
}

static void lhv_xhci_sysfs_del(struct kobject *kobj,
			       const struct attribute_group *grp)
{
	if (!kobj)
		return;
	sysfs_remove_group(kobj, grp);
	kobject_put(kobj);
}

static struct lhv_vdev *lhv_xhci_create(struct lhv_vm *vm, struct nlattr **cfg,
					struct netlink_ext_ack *extack)
{
	struct lhv_xhci_port *port;
	struct lhv_xhci *x;
	int err;

	if (!vm->uvm || !vm->vpci || !vm->mem_ops) {
		NL_SET_ERR_MSG(extack, "an xHCI controller needs a user VM "
				       "with its virtual PCI bus");
		return ERR_PTR(-EOPNOTSUPP);
	}
	x = kzalloc(sizeof(*x), GFP_KERNEL);
	if (!x)
		return ERR_PTR(-ENOMEM);
	x->vm = vm;
	INIT_LIST_HEAD(&x->isoch.batches);
	atomic_set(&x->isoch.playing, 0);
	atomic64_set(&x->irqs_sent, 0);
	atomic64_set(&x->mem_faults, 0);
	if (cfg[LHV_XHCI_ATTR_ROLE_SWITCH]) {
		err = lhv_xhci_role_get(
			x, nla_data(cfg[LHV_XHCI_ATTR_ROLE_SWITCH]), extack);
		if (err)
			goto err_free;
	}
	err = lhv_xhci_hc_init(x);
	if (!err)
		err = lhv_xhci_pci_init(x);
	if (err) {
		NL_SET_ERR_MSG(extack, "cannot set the xHCI controller up");
		goto err_free;
	}
	lhv_xhci_role_start(x);
	x->vdev.priv = x;
	err = lhv_vdev_register_pci(&x->vdev, vm, "xhci", &x->fn);
	if (err) {
		NL_SET_ERR_MSG(extack, "cannot put the xHCI controller on the "
				       "VM's PCI bus (31 functions at most)");
		goto err_free;
	}
	/* --usb-port: `lhvctl usb assign` to guest port 1 at once. */
	if (cfg[LHV_XHCI_ATTR_USB_PORT]) {
		port = lhv_xhci_port_assign(
			x, nla_data(cfg[LHV_XHCI_ATTR_USB_PORT]), 1, extack);
		if (IS_ERR(port)) {
			err = PTR_ERR(port);
			lhv_vdev_unregister_pci(&x->vdev);
			lhv_xhci_hc_stop(
				x); /* no work or timer may outlive x */
			goto err_free;
		}
	}
	/* Counters only: the controller works without them. */
	x->isoch.kobj = lhv_xhci_sysfs_add(x, "isoch", &lhv_xhci_isoch_group);
	x->bounce.kobj =
		lhv_xhci_sysfs_add(x, "bounce", &lhv_xhci_bounce_group);
	pr_info("%s/%s: xHCI controller, slot %u, %u USB 2 + %u USB 3 ports\n",
		vm->name, x->vdev.name, x->fn.slot, LHV_XHCI_USB2_PORTS,
		LHV_XHCI_USB3_PORTS);
	return &x->vdev;

err_free:
	lhv_xhci_role_put(x);
	lhv_xhci_free(x);
	return ERR_PTR(err);
}

static void lhv_xhci_destroy(struct lhv_vdev *vdev)
{
	struct lhv_xhci *x = container_of(vdev, struct lhv_xhci, vdev);
	unsigned int i;

	lhv_xhci_sysfs_del(x->isoch.kobj, &lhv_xhci_isoch_group);
	lhv_xhci_sysfs_del(x->bounce.kobj, &lhv_xhci_bounce_group);
	/* Off the bus first: no guest access restarts the controller. */
	lhv_vdev_unregister_pci(vdev);
	/* The core cancels every TD; devices no longer reach it. */
	lhv_xhci_hc_stop(x);
	/* Each port's requests end, then the SOS gets it back. */
	for (i = 1; i <= LHV_XHCI_USB2_PORTS; i++)
		if (x->ports[i])
			lhv_xhci_port_release(x->ports[i]);
	lhv_xhci_urbs_drain(x);
	/* The last completions and disconnects kicked the worker. */
	cancel_work_sync(&x->process_work);
	lhv_xhci_role_put(x);
	lhv_xhci_free(x);
}

static int lhv_xhci_fill_config(struct sk_buff *msg, struct lhv_vdev *vdev)
{
	struct lhv_xhci *x = container_of(vdev, struct lhv_xhci, vdev);
	unsigned int i;

	if (x->role.sw &&
	    (nla_put_string(msg, LHV_XHCI_ATTR_ROLE_SWITCH, x->role.name) ||
	     nla_put_u32(msg, LHV_XHCI_ATTR_ROLE, lhv_xhci_role_now(x))))
		return -EMSGSIZE;
	/* The first assigned port; `lhvctl usb list` shows them all. */
	for (i = 1; i <= LHV_XHCI_USB2_PORTS; i++)
		if (x->ports[i])
			return nla_put_string(msg, LHV_XHCI_ATTR_USB_PORT,
					      x->ports[i]->path)
				       ? -EMSGSIZE
				       : 0;
	return 0;
}

static struct lhv_backend lhv_xhci_backend = {
	.type = LHV_DEV_XHCI,
	.name = "xhci",
	.owner = THIS_MODULE,
	.policy = lhv_xhci_policy,
	.maxattr = LHV_XHCI_ATTR_MAX,
	.fill_config = lhv_xhci_fill_config,
	.create = lhv_xhci_create,
	.destroy = lhv_xhci_destroy,
	.usb_assign = lhv_xhci_nl_assign,
	.usb_release = lhv_xhci_nl_release,
	.usb_dump = lhv_xhci_nl_dump,
};

static int __init lhv_xhci_init(void)
{
	int err;

	lhv_xhci_wq = alloc_workqueue("lhv_xhci", WQ_UNBOUND, 0);
	if (!lhv_xhci_wq)
		return -ENOMEM;
	lhv_xhci_usb_init();
	err = lhv_backend_register(&lhv_xhci_backend);
	if (err) {
		lhv_xhci_usb_exit();
		destroy_workqueue(lhv_xhci_wq);
		return err;
	}
	pr_info("xHCI backend loaded\n");
	return 0;
}

static void __exit lhv_xhci_exit(void)
{
	/* Destroys every controller still attached, on every VM. */
	lhv_backend_unregister(&lhv_xhci_backend);
	lhv_xhci_usb_exit();
	destroy_workqueue(lhv_xhci_wq);
}

module_init(lhv_xhci_init);
module_exit(lhv_xhci_exit);

MODULE_DESCRIPTION("lhv device hypervisor: emulated xHCI for user VMs");
MODULE_AUTHOR("The lhv authors");
MODULE_LICENSE("Dual BSD/GPL");
MODULE_VERSION(LHV_VERSION_STRING);
MODULE_ALIAS("lhv-dev-xhci");
