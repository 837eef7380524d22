// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * /sys/class/lhv/<vm>/<dev>/streamN/: a stream's configuration, state,
 * parameters and statistics (docs/sysfs.md). Each file is one value,
 * read under the stream's lock. The kobjects are embedded in the device,
 * which outlives them (as the core's queueN directories).
 */
#include <linux/kobject.h>
#include <linux/sysfs.h>

#include "snd.h"

struct lhv_snd_sysfs_attr {
	struct attribute attr;
	/* Called with the stream's lock held: format into a u64. */
	u64 (*get)(const struct lhv_snd_stream *s);
	const char *(*get_str)(const struct lhv_snd_stream *s);
};

static const char *const state_names[] = {
	[VSND_PCM_ST_INIT] = "init",
	[VSND_PCM_ST_PARAMS] = "params",
	[VSND_PCM_ST_PREPARED] = "prepared",
	[VSND_PCM_ST_RUNNING] = "running",
	[VSND_PCM_ST_STOPPED] = "stopped",
	[VSND_PCM_ST_RELEASED] = "released",
};

static const char *state_get(const struct lhv_snd_stream *s)
{
	return state_names[s->state];
}

static const char *direction_get(const struct lhv_snd_stream *s)
{
	return s->caps->direction == VSND_D_OUTPUT ? "output" : "input";
}

#define PARAM(f, expr)                                                         \
	static u64 f##_get(const struct lhv_snd_stream *s)                     \
	{                                                                      \
		return (expr);                                                 \
	}                                                                      \
	static struct lhv_snd_sysfs_attr f##_attr = {                          \
		.attr = { .name = #f, .mode = 0444 },                          \
		.get = f##_get,                                                \
	}

#define STAT(f) PARAM(f, s->stats.f)

STAT(periods);
STAT(bytes);
STAT(xruns);
STAT(dropped_frames);
STAT(messages);
STAT(bad_msgs);
STAT(latency_us);
STAT(latency_max_us);
STAT(late_max_us);
STAT(resyncs);
PARAM(rate, s->params.rate_hz);
PARAM(channels, s->params.channels);
PARAM(format, s->params.format);
PARAM(period_bytes, s->params.period_bytes);
PARAM(buffer_bytes, s->params.buffer_bytes);
PARAM(queued_bytes, s->queued_bytes);

static struct lhv_snd_sysfs_attr state_attr = {
	.attr = { .name = "state", .mode = 0444 },
	.get_str = state_get,
};

static struct lhv_snd_sysfs_attr direction_attr = {
	.attr = { .name = "direction", .mode = 0444 },
	.get_str = direction_get,
};

static struct attribute *lhv_snd_stream_attrs[] = {
	&direction_attr.attr,
	&state_attr.attr,
	&rate_attr.attr,
	&channels_attr.attr,
	&format_attr.attr,
	&period_bytes_attr.attr,
	&buffer_bytes_attr.attr,
	&queued_bytes_attr.attr,
	&periods_attr.attr,
	&bytes_attr.attr,
	&xruns_attr.attr,
	&dropped_frames_attr.attr,
	&messages_attr.attr,
	&bad_msgs_attr.attr,
	&latency_us_attr.attr,
	&latency_max_us_attr.attr,
	&late_max_us_attr.attr,
	&resyncs_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(lhv_snd_stream);

static ssize_t lhv_snd_attr_show(struct kobject *kobj, struct attribute *attr,
				 char *buf)
{
	struct lhv_snd_stream *s =
		container_of(kobj, struct lhv_snd_stream, kobj);
	struct lhv_snd_sysfs_attr *a =
		container_of(attr, struct lhv_snd_sysfs_attr, attr);
	const char *str = NULL;
	unsigned long flags;
	u64 v = 0;

	spin_lock_irqsave(&s->lock, flags);
	if (a->get_str)
		str = a->get_str(s);
	else
		v = a->get(s);
	spin_unlock_irqrestore(&s->lock, flags);
	if (str)
		return sysfs_emit(buf, "%s\n", str);
	return sysfs_emit(buf, "%llu\n", v);
}

static const struct sysfs_ops lhv_snd_sysfs_ops = {
	.show = lhv_snd_attr_show,
};

static void lhv_snd_kobj_release(struct kobject *kobj)
{
	/* Embedded in the device, which frees it after lhv_snd_sysfs_del. */
}

static const struct kobj_type lhv_snd_stream_ktype = {
	.release = lhv_snd_kobj_release,
	.sysfs_ops = &lhv_snd_sysfs_ops,
	.default_groups = lhv_snd_stream_groups,
};

int lhv_snd_sysfs_add(struct lhv_snd_dev *dev)
{
	struct lhv_snd_stream *s;
	unsigned int i;
	int err;

	for (i = 0; i < dev->desc.streams; i++) {
		s = &dev->streams[i];
		err = kobject_init_and_add(&s->kobj, &lhv_snd_stream_ktype,
					   &dev->vdev.kobj, "stream%u", i);
		if (err) {
			kobject_put(&s->kobj);
			lhv_snd_sysfs_del(dev);
			return err;
		}
		s->kobj_added = true;
	}
	return 0;
}

void lhv_snd_sysfs_del(struct lhv_snd_dev *dev)
{
	unsigned int i;

	for (i = 0; i < dev->desc.streams; i++) {
		if (!dev->streams[i].kobj_added)
			continue;
		kobject_put(&dev->streams[i].kobj);
		dev->streams[i].kobj_added = false;
	}
}
