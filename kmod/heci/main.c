// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * lhv_heci.ko: the virtio HECI backend of lhv. The netlink configuration
 * of a heci device (enum lhv_heci_attr: policy, create, destroy,
 * fill_config) and the registration of the backend with lhv.ko, which
 * loads this module on demand as "lhv-dev-heci".
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <lhv/version.h>

#include "lhv.h"
#include "heci.h"

static const struct nla_policy lhv_heci_allow_policy[LHV_HECI_ALLOW_MAX + 1] = {
	[LHV_HECI_ALLOW_UUID] = NLA_POLICY_EXACT_LEN(LHV_HECI_UUID_LEN),
};

static const struct nla_policy lhv_heci_policy[LHV_HECI_ATTR_MAX + 1] = {
	[LHV_HECI_ATTR_BACKEND] = NLA_POLICY_MAX(NLA_U32, LHV_HECI_BACKEND_MEI),
	[LHV_HECI_ATTR_ALLOW] = NLA_POLICY_NESTED(lhv_heci_allow_policy),
	[LHV_HECI_ATTR_MAX_MSG_LEN] =
		NLA_POLICY_RANGE(NLA_U32, 16, LHV_HECI_MAX_MSG),
	[LHV_HECI_ATTR_VTAG] = {
		.type = NLA_REJECT,
		.reject_message = "the vtag is the VM's id: reported, not set",
	},
};

static void lhv_heci_free(struct heci_dev *dev)
{
	kfree(dev->clients);
	kfree(dev->allow);
	kfree(dev);
}

/* Copy the allowed UUIDs; refuse too many and duplicates. */
static int lhv_heci_parse_allow(struct heci_dev *dev, const struct nlattr *nest,
				struct netlink_ext_ack *extack)
{
	const struct nlattr *a;
	unsigned int i;
	int rem;

	if (!nest)
		return 0;
	dev->allow =
		kcalloc(LHV_HECI_MAX_ALLOW, sizeof(*dev->allow), GFP_KERNEL);
	if (!dev->allow)
		return -ENOMEM;
	nla_for_each_nested(a, nest, rem)
	{
		if (dev->nr_allow == LHV_HECI_MAX_ALLOW) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "more than 32 allowed UUIDs");
			return -E2BIG;
		}
		for (i = 0; i < dev->nr_allow; i++) {
			if (!memcmp(dev->allow[i], nla_data(a), 16)) {
				NL_SET_ERR_MSG_ATTR(extack, a,
						    "a UUID is allowed twice");
				return -EINVAL;
			}
		}
		memcpy(dev->allow[dev->nr_allow++], nla_data(a), 16);
	}
	return 0;
}

static struct lhv_vdev *lhv_heci_create(struct lhv_vm *vm, struct nlattr **cfg,
					struct netlink_ext_ack *extack)
{
	struct heci_dev *dev;
	int err;

	if (!cfg[LHV_HECI_ATTR_BACKEND]) {
		NL_SET_ERR_MSG(extack, "a heci device needs a backend "
				       "(LHV_HECI_ATTR_BACKEND: sim or mei)");
		return ERR_PTR(-EINVAL);
	}
	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return ERR_PTR(-ENOMEM);
	dev->backend = nla_get_u32(cfg[LHV_HECI_ATTR_BACKEND]);
	dev->max_msg_len = LHV_HECI_MAX_MSG;
	err = lhv_heci_parse_allow(dev, cfg[LHV_HECI_ATTR_ALLOW], extack);
	if (err)
		goto err_free;

	if (dev->backend == LHV_HECI_BACKEND_SIM) {
		dev->me = &heci_me_sim;
		if (cfg[LHV_HECI_ATTR_MAX_MSG_LEN]) {
			NL_SET_ERR_MSG_ATTR(extack,
					    cfg[LHV_HECI_ATTR_MAX_MSG_LEN],
					    "the simulator's clients have "
					    "fixed message lengths");
			err = -EINVAL;
			goto err_free;
		}
	} else {
		dev->me = &heci_me_mei;
		if (!dev->nr_allow) {
			NL_SET_ERR_MSG(extack, "the mei backend needs at least "
					       "one allowed client UUID");
			err = -EINVAL;
			goto err_free;
		}
		if (cfg[LHV_HECI_ATTR_MAX_MSG_LEN])
			dev->max_msg_len =
				nla_get_u32(cfg[LHV_HECI_ATTR_MAX_MSG_LEN]);
	}

	heci_dev_init(dev);
	err = dev->me->init(dev, (const u8(*)[16])dev->allow, dev->nr_allow,
			    extack);
	if (err)
		goto err_free;
	err = heci_bus_init(dev);
	if (err) {
		NL_SET_ERR_MSG(extack, "the ME client table is inconsistent");
		goto err_fini;
	}
	err = lhv_vdev_register(&dev->vdev, vm, "heci");
	if (err) {
		if (extack && !extack->_msg)
			NL_SET_ERR_MSG(extack,
				       "cannot register the heci device");
		goto err_fini;
	}
	return &dev->vdev;

err_fini:
	dev->me->fini(dev);
err_free:
	lhv_heci_free(dev);
	return ERR_PTR(err);
}

static void lhv_heci_destroy(struct lhv_vdev *vdev)
{
	struct heci_dev *dev = to_heci_dev(vdev);

	/* Stops the device: the ME backend is quiet when this returns. */
	lhv_vdev_unregister(vdev);
	cancel_work_sync(&dev->reset_work);
	dev->me->fini(dev);
	pr_debug("%s: %llu host messages refused\n", vdev->name,
		 dev->stats.dropped);
	lhv_heci_free(dev);
}

static int lhv_heci_fill_config(struct sk_buff *msg, struct lhv_vdev *vdev)
{
	struct heci_dev *dev = to_heci_dev(vdev);
	struct nlattr *nest;
	u32 max = dev->max_msg_len;
	unsigned int i;

	if (dev->backend == LHV_HECI_BACKEND_SIM)
		for (i = 0, max = 0; i < dev->nr_clients; i++)
			max = max_t(u32, max, dev->clients[i].max_msg_len);
	if (nla_put_u32(msg, LHV_HECI_ATTR_BACKEND, dev->backend))
		return -EMSGSIZE;
	nest = nla_nest_start(msg, LHV_HECI_ATTR_ALLOW);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < dev->nr_clients; i++)
		if (nla_put(msg, LHV_HECI_ALLOW_UUID, 16, dev->clients[i].uuid))
			return -EMSGSIZE;
	nla_nest_end(msg, nest);
	if (nla_put_u32(msg, LHV_HECI_ATTR_MAX_MSG_LEN, max) ||
	    nla_put_u32(msg, LHV_HECI_ATTR_VTAG, vdev->vm->id))
		return -EMSGSIZE;
	return 0;
}

static struct lhv_backend lhv_heci_backend = {
	.type = LHV_DEV_HECI,
	.name = "heci",
	.owner = THIS_MODULE,
	.policy = lhv_heci_policy,
	.maxattr = LHV_HECI_ATTR_MAX,
	.create = lhv_heci_create,
	.destroy = lhv_heci_destroy,
	.fill_config = lhv_heci_fill_config,
};

static int __init lhv_heci_init(void)
{
	int err;

	err = heci_mei_module_init();
	if (err)
		return err;
	err = lhv_backend_register(&lhv_heci_backend);
	if (err) {
		heci_mei_module_exit();
		return err;
	}
	pr_info("virtio HECI backend loaded\n");
	return 0;
}

static void __exit lhv_heci_exit(void)
{
	/* Destroys every heci device still attached, on every VM. */
	lhv_backend_unregister(&lhv_heci_backend);
	heci_mei_module_exit();
}

module_init(lhv_heci_init);
module_exit(lhv_heci_exit);

MODULE_DESCRIPTION("lhv device hypervisor: virtio HECI (MEI) backend");
MODULE_AUTHOR("The lhv authors");
MODULE_LICENSE("Dual BSD/GPL");
MODULE_VERSION(LHV_VERSION_STRING);
MODULE_ALIAS("lhv-dev-heci");
