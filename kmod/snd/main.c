// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * lhv_snd.ko: the virtio-snd backend of lhv. Module parameters, the netlink
 * configuration of a snd device (enum lhv_snd_attr: policy, create,
 * destroy, fill_config) and the registration of the backend with lhv.ko,
 * which loads this module on demand as "lhv-dev-snd".
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/log2.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <lhv/version.h>

#include "lhv.h"
#include "snd.h"

static unsigned int lhv_snd_queue_size = LHV_SND_QUEUE_SIZE;

static int queue_size_set(const char *val, const struct kernel_param *kp)
{
	unsigned int v;
	int err;

	err = kstrtouint(val, 0, &v);
	if (err)
		return err;
	if (v < 16 || v > 1024 || !is_power_of_2(v))
		return -EINVAL;
	*(unsigned int *)kp->arg = v;
	return 0;
}

static const struct kernel_param_ops queue_size_ops = {
	.set = queue_size_set,
	.get = param_get_uint,
};

module_param_cb(queue_size, &queue_size_ops, &lhv_snd_queue_size, 0644);
MODULE_PARM_DESC(queue_size, "Entries per virtqueue of a new snd device "
			     "(power of 2, 16-1024, default 256)");

/* Formats with a fixed sample width: those the clock can count frames of. */
#define LHV_SND_WIDTH_FORMATS GENMASK_ULL(VSND_PCM_FMT_FLOAT64, 1)
#define LHV_SND_RATES GENMASK_ULL(VSND_PCM_RATE_COUNT - 1, 0)
#define LHV_SND_DEFAULT_FORMATS                                                \
	(BIT_ULL(VSND_PCM_FMT_S16) | BIT_ULL(VSND_PCM_FMT_S32))
#define LHV_SND_DEFAULT_RATES                                                  \
	(BIT_ULL(VSND_PCM_RATE_44100) | BIT_ULL(VSND_PCM_RATE_48000))

static const struct nla_policy
	lhv_snd_stream_policy[LHV_SND_STREAM_ATTR_MAX + 1] = {
		[LHV_SND_STREAM_ATTR_DIRECTION] =
			NLA_POLICY_MAX(NLA_U32, LHV_SND_DIR_INPUT),
		[LHV_SND_STREAM_ATTR_CHANNELS_MIN] =
			NLA_POLICY_RANGE(NLA_U32, 1, LHV_SND_MAX_CHANNELS),
		[LHV_SND_STREAM_ATTR_CHANNELS_MAX] =
			NLA_POLICY_RANGE(NLA_U32, 1, LHV_SND_MAX_CHANNELS),
		[LHV_SND_STREAM_ATTR_FORMATS] = { .type = NLA_U64 },
		[LHV_SND_STREAM_ATTR_RATES] = { .type = NLA_U64 },
	};

static const struct nla_policy lhv_snd_policy[LHV_SND_ATTR_MAX + 1] = {
	[LHV_SND_ATTR_STREAMS] = NLA_POLICY_NESTED_ARRAY(lhv_snd_stream_policy),
	[LHV_SND_ATTR_JACKS] = NLA_POLICY_MAX(NLA_U32, LHV_SND_MAX_JACKS),
	[LHV_SND_ATTR_CHMAPS] = { .type = NLA_FLAG },
	[LHV_SND_ATTR_CARD] = {
		.type = NLA_REJECT,
		.reject_message = "the SOS card id is reported, not set",
	},
};

static void default_caps(struct vsnd_stream_caps *c, u8 direction)
{
	c->direction = direction;
	c->channels_min = 1;
	c->channels_max = LHV_SND_MAX_CHANNELS;
	c->formats = LHV_SND_DEFAULT_FORMATS;
	c->rates = LHV_SND_DEFAULT_RATES;
}

static int parse_stream(const struct nlattr *a, struct vsnd_stream_caps *c,
			struct netlink_ext_ack *extack)
{
	struct nlattr *tb[LHV_SND_STREAM_ATTR_MAX + 1];
	int err;

	err = nla_parse_nested(tb, LHV_SND_STREAM_ATTR_MAX, a,
			       lhv_snd_stream_policy, extack);
	if (err)
		return err;
	if (!tb[LHV_SND_STREAM_ATTR_DIRECTION]) {
		NL_SET_ERR_MSG_ATTR(extack, a, "a stream needs a direction");
		return -EINVAL;
	}
	default_caps(c, nla_get_u32(tb[LHV_SND_STREAM_ATTR_DIRECTION]));
	if (tb[LHV_SND_STREAM_ATTR_CHANNELS_MIN])
		c->channels_min =
			nla_get_u32(tb[LHV_SND_STREAM_ATTR_CHANNELS_MIN]);
	if (tb[LHV_SND_STREAM_ATTR_CHANNELS_MAX])
		c->channels_max =
			nla_get_u32(tb[LHV_SND_STREAM_ATTR_CHANNELS_MAX]);
	if (c->channels_min > c->channels_max) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "channels_min is above channels_max");
		return -EINVAL;
	}
	if (tb[LHV_SND_STREAM_ATTR_FORMATS])
		c->formats = nla_get_u64(tb[LHV_SND_STREAM_ATTR_FORMATS]);
	if (!c->formats || (c->formats & ~LHV_SND_WIDTH_FORMATS)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[LHV_SND_STREAM_ATTR_FORMATS],
				    "formats: a non-empty set of PCM formats "
				    "with a sample width (bits 1-20)");
		return -EINVAL;
	}
	if (tb[LHV_SND_STREAM_ATTR_RATES])
		c->rates = nla_get_u64(tb[LHV_SND_STREAM_ATTR_RATES]);
	if (!c->rates || (c->rates & ~LHV_SND_RATES)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[LHV_SND_STREAM_ATTR_RATES],
				    "rates: a non-empty set of rates "
				    "5512..192000 (bits 0-12)");
		return -EINVAL;
	}
	return 0;
}

static int parse_streams(struct lhv_snd_dev *dev, const struct nlattr *list,
			 struct netlink_ext_ack *extack)
{
	const struct nlattr *a;
	unsigned int n = 0;
	int rem, err;

	if (!list) {
		default_caps(&dev->caps[0], VSND_D_OUTPUT);
		default_caps(&dev->caps[1], VSND_D_INPUT);
		dev->desc.streams = 2;
		return 0;
	}
	nla_for_each_nested(a, list, rem)
	{
		if (n == LHV_SND_MAX_STREAMS) {
			NL_SET_ERR_MSG_ATTR(extack, a, "too many streams");
			return -E2BIG;
		}
		err = parse_stream(a, &dev->caps[n], extack);
		if (err)
			return err;
		n++;
	}
	if (!n) {
		NL_SET_ERR_MSG_ATTR(extack, list, "the stream list is empty");
		return -EINVAL;
	}
	dev->desc.streams = n;
	return 0;
}

static void lhv_snd_free(struct lhv_snd_dev *dev)
{
	unsigned int i;

	if (dev->streams)
		for (i = 0; i < dev->desc.streams; i++)
			lhv_snd_stream_free(&dev->streams[i]);
	kfree(dev->streams);
	kfree(dev->scratch[0]);
	kfree(dev->scratch[1]);
	kfree(dev);
}

static int lhv_snd_alloc(struct lhv_snd_dev *dev)
{
	unsigned int i;

	dev->streams =
		kcalloc(dev->desc.streams, sizeof(*dev->streams), GFP_KERNEL);
	for (i = 0; i < 2; i++)
		dev->scratch[i] = kcalloc(LHV_SND_MAX_SEGS,
					  sizeof(struct virtq_seg), GFP_KERNEL);
	if (!dev->streams || !dev->scratch[0] || !dev->scratch[1])
		return -ENOMEM;
	for (i = 0; i < dev->desc.streams; i++)
		lhv_snd_stream_init(&dev->streams[i], dev, i);
	return 0;
}

static struct lhv_vdev *lhv_snd_create(struct lhv_vm *vm, struct nlattr **cfg,
				       struct netlink_ext_ack *extack)
{
	struct lhv_snd_dev *dev;
	int err;

	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return ERR_PTR(-ENOMEM);
	spin_lock_init(&dev->evt_lock);
	INIT_LIST_HEAD(&dev->evt_bufs);
	err = parse_streams(dev, cfg[LHV_SND_ATTR_STREAMS], extack);
	if (err)
		goto err_free;
	if (cfg[LHV_SND_ATTR_JACKS])
		dev->desc.jacks = nla_get_u32(cfg[LHV_SND_ATTR_JACKS]);
	dev->chmaps = nla_get_flag(cfg[LHV_SND_ATTR_CHMAPS]);
	dev->desc.chmaps = dev->chmaps ? dev->desc.streams : 0;
	dev->desc.caps = dev->caps;
	err = lhv_snd_alloc(dev);
	if (err)
		goto err_free;
	lhv_snd_init_config(dev);

	dev->vdev.device_id = LHV_SND_VIRTIO_ID;
	dev->vdev.config_size = sizeof(dev->config);
	dev->vdev.nr_queues = VSND_NR_VQS;
	dev->vdev.queue_max_size = lhv_snd_queue_size;
	dev->vdev.max_segs = LHV_SND_MAX_SEGS;
	dev->vdev.ops = &lhv_snd_vdev_ops;
	dev->vdev.priv = dev;

	err = lhv_vdev_register(&dev->vdev, vm, "snd");
	if (err) {
		if (extack && !extack->_msg)
			NL_SET_ERR_MSG(extack,
				       "cannot register the snd device");
		goto err_free;
	}
	err = lhv_snd_sysfs_add(dev);
	if (err) {
		NL_SET_ERR_MSG(extack, "cannot create the stream directories");
		goto err_unregister;
	}
	err = lhv_snd_card_create(dev);
	if (err) {
		NL_SET_ERR_MSG(extack, "cannot create the SOS ALSA card "
				       "(no free card slot?)");
		goto err_sysfs;
	}
	return &dev->vdev;

err_sysfs:
	lhv_snd_sysfs_del(dev);
err_unregister:
	lhv_vdev_unregister(&dev->vdev);
err_free:
	lhv_snd_free(dev);
	return ERR_PTR(err);
}

static void lhv_snd_destroy(struct lhv_vdev *vdev)
{
	struct lhv_snd_dev *dev = to_snd_dev(vdev);

	lhv_snd_sysfs_del(dev);
	/* Stops the device: the clocks stop, nothing completes after. */
	lhv_vdev_unregister(vdev);
	lhv_snd_card_free(dev);
	lhv_snd_free(dev);
}

static int fill_stream(struct sk_buff *msg, const struct vsnd_stream_caps *c,
		       unsigned int i)
{
	struct nlattr *nest = nla_nest_start(msg, i + 1);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(msg, LHV_SND_STREAM_ATTR_DIRECTION, c->direction) ||
	    nla_put_u32(msg, LHV_SND_STREAM_ATTR_CHANNELS_MIN,
			c->channels_min) ||
	    nla_put_u32(msg, LHV_SND_STREAM_ATTR_CHANNELS_MAX,
			c->channels_max) ||
	    nla_put_u64_64bit(msg, LHV_SND_STREAM_ATTR_FORMATS, c->formats,
			      LHV_SND_STREAM_ATTR_UNSPEC) ||
	    nla_put_u64_64bit(msg, LHV_SND_STREAM_ATTR_RATES, c->rates,
			      LHV_SND_STREAM_ATTR_UNSPEC)) {
		nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

static int lhv_snd_fill_config(struct sk_buff *msg, struct lhv_vdev *vdev)
{
	struct lhv_snd_dev *dev = to_snd_dev(vdev);
	struct nlattr *list;
	unsigned int i;

	list = nla_nest_start(msg, LHV_SND_ATTR_STREAMS);
	if (!list)
		return -EMSGSIZE;
	for (i = 0; i < dev->desc.streams; i++)
		if (fill_stream(msg, &dev->caps[i], i))
			return -EMSGSIZE;
	nla_nest_end(msg, list);
	if (nla_put_u32(msg, LHV_SND_ATTR_JACKS, dev->desc.jacks) ||
	    (dev->chmaps && nla_put_flag(msg, LHV_SND_ATTR_CHMAPS)) ||
	    (dev->card &&
	     nla_put_string(msg, LHV_SND_ATTR_CARD, dev->card->id)))
		return -EMSGSIZE;
	return 0;
}

static struct lhv_backend lhv_snd_backend = {
	.type = LHV_DEV_SND,
	.name = "snd",
	.owner = THIS_MODULE,
	.policy = lhv_snd_policy,
	.maxattr = LHV_SND_ATTR_MAX,
	.create = lhv_snd_create,
	.destroy = lhv_snd_destroy,
	.fill_config = lhv_snd_fill_config,
};

static int __init lhv_snd_init(void)
{
	int err;

	err = lhv_backend_register(&lhv_snd_backend);
	if (err)
		return err;
	pr_info("virtio-snd backend loaded (queue_size=%u)\n",
		lhv_snd_queue_size);
	return 0;
}

static void __exit lhv_snd_exit(void)
{
	/* Destroys every snd device still attached, on every VM. */
	lhv_backend_unregister(&lhv_snd_backend);
}

module_init(lhv_snd_init);
module_exit(lhv_snd_exit);

MODULE_DESCRIPTION("lhv device hypervisor: virtio-snd backend");
MODULE_AUTHOR("The lhv authors");
MODULE_LICENSE("Dual BSD/GPL");
MODULE_VERSION(LHV_VERSION_STRING);
MODULE_ALIAS("lhv-dev-snd");
