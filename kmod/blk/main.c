// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * lhv_blk.ko: the virtio-blk backend of lhv. Module parameters, the netlink
 * configuration of a blk device (enum lhv_blk_attr: policy, create, destroy,
 * fill_config) and the registration of the backend with lhv.ko, which loads
 * this module on demand as "lhv-dev-blk".
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/log2.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <lhv/version.h>

#include "lhv.h"
#include "blk.h"

unsigned int lhv_blk_default_queues = 1;
unsigned int lhv_blk_default_queue_size = 256;
struct workqueue_struct *lhv_blk_wq;

static int default_queues_set(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 1, LHV_BLK_MAX_QUEUES);
}

static int default_queue_size_set(const char *val,
				  const struct kernel_param *kp)
{
	unsigned int v;
	int err;

	err = kstrtouint(val, 0, &v);
	if (err)
		return err;
	if (v < 2 || v > LHV_BLK_MAX_QUEUE_SIZE || !is_power_of_2(v))
		return -EINVAL;
	*(unsigned int *)kp->arg = v;
	return 0;
}

static const struct kernel_param_ops default_queues_ops = {
	.set = default_queues_set,
	.get = param_get_uint,
};

static const struct kernel_param_ops default_queue_size_ops = {
	.set = default_queue_size_set,
	.get = param_get_uint,
};

module_param_cb(default_queues, &default_queues_ops, &lhv_blk_default_queues,
		0644);
MODULE_PARM_DESC(default_queues, "Queues of a new blk device without "
				 "LHV_BLK_ATTR_QUEUES (1-16, default 1)");
module_param_cb(default_queue_size, &default_queue_size_ops,
		&lhv_blk_default_queue_size, 0644);
MODULE_PARM_DESC(default_queue_size,
		 "Queue size of a new blk device without "
		 "LHV_BLK_ATTR_QUEUE_SIZE (power of 2, 2-1024, default 256)");

static const struct nla_policy lhv_blk_policy[LHV_BLK_ATTR_MAX + 1] = {
	[LHV_BLK_ATTR_BACKING] = { .type = NLA_NUL_STRING, .len = PATH_MAX - 1 },
	[LHV_BLK_ATTR_START] = { .type = NLA_U64 },
	[LHV_BLK_ATTR_SECTORS] = { .type = NLA_U64 },
	[LHV_BLK_ATTR_READ_ONLY] = { .type = NLA_FLAG },
	[LHV_BLK_ATTR_SERIAL] = { .type = NLA_NUL_STRING,
				  .len = LHV_BLK_SERIAL_MAX },
	[LHV_BLK_ATTR_QUEUES] = NLA_POLICY_RANGE(NLA_U32, 1, LHV_BLK_MAX_QUEUES),
	[LHV_BLK_ATTR_QUEUE_SIZE] =
		NLA_POLICY_RANGE(NLA_U32, 2, LHV_BLK_MAX_QUEUE_SIZE),
	[LHV_BLK_ATTR_CACHE] = NLA_POLICY_MAX(NLA_U32,
					      LHV_BLK_CACHE_WRITETHROUGH),
	[LHV_BLK_ATTR_LOGICAL_BLOCK] = {
		.type = NLA_REJECT,
		.reject_message = "logical block size is reported, not set",
	},
};

static int lhv_blk_set_serial(struct lhv_blk_dev *dev, const struct nlattr *a,
			      struct netlink_ext_ack *extack)
{
	const char *s = nla_data(a);
	size_t i, len = strnlen(s, LHV_BLK_SERIAL_MAX);

	for (i = 0; i < len; i++) {
		if (!isascii(s[i]) || !isprint(s[i])) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "serial must be printable ASCII");
			return -EINVAL;
		}
	}
	memcpy(dev->serial, s, len);
	dev->serial_set = true;
	return 0;
}

static void lhv_blk_free(struct lhv_blk_dev *dev)
{
	unsigned int i;

	if (dev->scratch)
		for (i = 0; i < dev->vdev.nr_queues; i++)
			kfree(dev->scratch[i]);
	kfree(dev->scratch);
	kfree(dev->path);
	kfree(dev);
}

static int lhv_blk_alloc_scratch(struct lhv_blk_dev *dev)
{
	unsigned int i;

	dev->scratch =
		kcalloc(dev->vdev.nr_queues, sizeof(*dev->scratch), GFP_KERNEL);
	if (!dev->scratch)
		return -ENOMEM;
	for (i = 0; i < dev->vdev.nr_queues; i++) {
		dev->scratch[i] = kcalloc(dev->vdev.max_segs,
					  sizeof(struct virtq_seg), GFP_KERNEL);
		if (!dev->scratch[i])
			return -ENOMEM;
	}
	return 0;
}

static struct lhv_vdev *lhv_blk_create(struct lhv_vm *vm, struct nlattr **cfg,
				       struct netlink_ext_ack *extack)
{
	unsigned int queues = lhv_blk_default_queues;
	unsigned int qsize = lhv_blk_default_queue_size;
	struct lhv_blk_dev *dev;
	u64 start = 0, sectors = 0;
	int err;

	if (!cfg[LHV_BLK_ATTR_BACKING]) {
		NL_SET_ERR_MSG(
			extack,
			"a blk device needs a backing (LHV_BLK_ATTR_BACKING)");
		return ERR_PTR(-EINVAL);
	}
	if (cfg[LHV_BLK_ATTR_QUEUES])
		queues = nla_get_u32(cfg[LHV_BLK_ATTR_QUEUES]);
	if (cfg[LHV_BLK_ATTR_QUEUE_SIZE]) {
		qsize = nla_get_u32(cfg[LHV_BLK_ATTR_QUEUE_SIZE]);
		if (!is_power_of_2(qsize)) {
			NL_SET_ERR_MSG_ATTR(extack,
					    cfg[LHV_BLK_ATTR_QUEUE_SIZE],
					    "queue size must be a power of 2");
			return ERR_PTR(-EINVAL);
		}
	}
	if (cfg[LHV_BLK_ATTR_START])
		start = nla_get_u64(cfg[LHV_BLK_ATTR_START]);
	if (cfg[LHV_BLK_ATTR_SECTORS])
		sectors = nla_get_u64(cfg[LHV_BLK_ATTR_SECTORS]);

	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return ERR_PTR(-ENOMEM);
	spin_lock_init(&dev->config_lock);
	init_completion(&dev->drained);
	dev->queue_size = qsize;
	dev->initial_writeback =
		!cfg[LHV_BLK_ATTR_CACHE] ||
		nla_get_u32(cfg[LHV_BLK_ATTR_CACHE]) == LHV_BLK_CACHE_WRITEBACK;
	dev->vdev.device_id = LHV_BLK_VIRTIO_ID;
	dev->vdev.config_size = sizeof(dev->config);
	dev->vdev.nr_queues = queues;
	dev->vdev.queue_max_size = qsize;
	dev->vdev.max_segs = LHV_BLK_MAX_SEGS(qsize);
	dev->vdev.ops = &lhv_blk_vdev_ops;
	dev->vdev.priv = dev;

	if (cfg[LHV_BLK_ATTR_SERIAL]) {
		err = lhv_blk_set_serial(dev, cfg[LHV_BLK_ATTR_SERIAL], extack);
		if (err)
			goto err_free;
	}
	err = -ENOMEM;
	dev->path = kstrdup(nla_data(cfg[LHV_BLK_ATTR_BACKING]), GFP_KERNEL);
	if (!dev->path || lhv_blk_alloc_scratch(dev))
		goto err_free;

	snprintf(dev->backing.owner, sizeof(dev->backing.owner), "%s/(new)",
		 vm->name);
	err = lhv_blk_backing_open(&dev->backing, dev->path, start, sectors,
				   nla_get_flag(cfg[LHV_BLK_ATTR_READ_ONLY]),
				   extack);
	if (err)
		goto err_free;
	dev->io = dev->backing.bdev ? &lhv_blk_io_bdev : &lhv_blk_io_file;
	lhv_blk_dev_init_config(dev, queues);

	err = lhv_vdev_register(&dev->vdev, vm, "blk");
	if (err) {
		if (extack && !extack->_msg)
			NL_SET_ERR_MSG(extack,
				       "cannot register the blk device");
		goto err_close;
	}
	lhv_blk_backing_set_owner(&dev->backing, vm->name, dev->vdev.name);
	return &dev->vdev;

err_close:
	lhv_blk_backing_close(&dev->backing);
err_free:
	lhv_blk_free(dev);
	return ERR_PTR(err);
}

static void lhv_blk_destroy(struct lhv_vdev *vdev)
{
	struct lhv_blk_dev *dev = to_blk_dev(vdev);

	/* Stops the device: every request in flight ends first. */
	lhv_vdev_unregister(vdev);
	lhv_blk_backing_close(&dev->backing);
	lhv_blk_free(dev);
}

static int lhv_blk_fill_config(struct sk_buff *msg, struct lhv_vdev *vdev)
{
	struct lhv_blk_dev *dev = to_blk_dev(vdev);
	const struct lhv_blk_backing *b = &dev->backing;
	char serial[LHV_BLK_SERIAL_MAX + 1] = "";

	lhv_blk_serial(dev, serial);
	if (nla_put_string(msg, LHV_BLK_ATTR_BACKING, dev->path) ||
	    nla_put_u64_64bit(msg, LHV_BLK_ATTR_START, b->start,
			      LHV_BLK_ATTR_UNSPEC) ||
	    nla_put_u64_64bit(msg, LHV_BLK_ATTR_SECTORS, b->sectors,
			      LHV_BLK_ATTR_UNSPEC) ||
	    (b->read_only && nla_put_flag(msg, LHV_BLK_ATTR_READ_ONLY)) ||
	    nla_put_string(msg, LHV_BLK_ATTR_SERIAL, serial) ||
	    nla_put_u32(msg, LHV_BLK_ATTR_QUEUES, vdev->nr_queues) ||
	    nla_put_u32(msg, LHV_BLK_ATTR_QUEUE_SIZE, dev->queue_size) ||
	    nla_put_u32(msg, LHV_BLK_ATTR_CACHE,
			dev->initial_writeback ? LHV_BLK_CACHE_WRITEBACK
					       : LHV_BLK_CACHE_WRITETHROUGH) ||
	    nla_put_u32(msg, LHV_BLK_ATTR_LOGICAL_BLOCK, b->caps.logical_block))
		return -EMSGSIZE;
	return 0;
}

static struct lhv_backend lhv_blk_backend = {
	.type = LHV_DEV_BLK,
	.name = "blk",
	.owner = THIS_MODULE,
	.policy = lhv_blk_policy,
	.maxattr = LHV_BLK_ATTR_MAX,
	.create = lhv_blk_create,
	.destroy = lhv_blk_destroy,
	.fill_config = lhv_blk_fill_config,
};

static int __init lhv_blk_init(void)
{
	int err;

	err = lhv_blk_req_cache_init();
	if (err)
		return err;
	err = lhv_blk_bioset_init();
	if (err)
		goto err_cache;
	err = -ENOMEM;
	lhv_blk_wq = alloc_workqueue("lhv_blk", WQ_UNBOUND | WQ_MEM_RECLAIM, 0);
	if (!lhv_blk_wq)
		goto err_bioset;
	err = lhv_backend_register(&lhv_blk_backend);
	if (err)
		goto err_wq;
	pr_info("virtio-blk backend loaded (default_queues=%u "
		"default_queue_size=%u)\n",
		lhv_blk_default_queues, lhv_blk_default_queue_size);
	return 0;

err_wq:
	destroy_workqueue(lhv_blk_wq);
err_bioset:
	lhv_blk_bioset_exit();
err_cache:
	lhv_blk_req_cache_exit();
	return err;
}

static void __exit lhv_blk_exit(void)
{
	/* Destroys every blk device still attached, on every VM. */
	lhv_backend_unregister(&lhv_blk_backend);
	destroy_workqueue(lhv_blk_wq);
	lhv_blk_bioset_exit();
	lhv_blk_req_cache_exit();
}

module_init(lhv_blk_init);
module_exit(lhv_blk_exit);

MODULE_DESCRIPTION("lhv device hypervisor: virtio-blk backend");
MODULE_AUTHOR("The lhv authors");
MODULE_LICENSE("Dual BSD/GPL");
MODULE_VERSION(LHV_VERSION_STRING);
MODULE_ALIAS("lhv-dev-blk");
