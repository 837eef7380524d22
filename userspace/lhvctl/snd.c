// SPDX-License-Identifier: BSD-3-Clause
/*
 * lhvctl snd ...: virtio-snd devices (served by lhv_snd). Each positional
 * argument of "snd add" is one stream, in stream-id order; the kernel
 * judges whether the set makes sense and its extack says why not.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lhv/netlink.h>

#include "args.h"
#include "devlist.h"
#include "lhvctl.h"
#include "reply.h"
#include "request.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* The options and stream arguments of snd add into a request. */
static int snd_add_request(struct lhvctl *ctl, int argc, char **argv,
			   struct lhv_snd_req *r)
{
	const char *jacks = lhvctl_opt(ctl, "jacks");
	char why[96];
	uint64_t v;
	int i;

	memset(r, 0, sizeof(*r));
	r->vm = lhvctl_opt(ctl, "vm");
	r->chmaps = lhvctl_opt(ctl, "chmaps") != NULL;
	if (jacks) {
		if (lhv_parse_uint(jacks, 32, &v))
			return lhvctl_usage(
				ctl, "--jacks: '%s' is not a number", jacks);
		r->jacks = (uint32_t)v;
		r->jacks_set = true;
	}
	if (argc > LHV_SND_MAX_STREAMS)
		return lhvctl_usage(ctl, "at most %d streams",
				    LHV_SND_MAX_STREAMS);
	for (i = 0; i < argc; i++)
		if (lhv_parse_snd_stream(argv[i], &r->streams[i], why,
					 sizeof(why)))
			return lhvctl_usage(ctl, "stream %d ('%s'): %s", i,
					    argv[i], why);
	r->nr_streams = (uint32_t)argc;
	return LHVCTL_EXIT_OK;
}

/* A stream as "snd add" takes it: "out,channels=1-8,formats=...". */
static void stream_spec(const struct lhv_snd_stream_info *st, char *buf,
			size_t size)
{
	const char *dir = lhv_snd_dir_name(st->direction);
	const char *sep = ",formats=";
	size_t n;
	unsigned int i;

	n = (size_t)snprintf(buf, size, "%s,channels=%u-%u", dir ? dir : "?",
			     st->channels_min, st->channels_max);
	for (i = 0; i < 64 && n < size; i++) {
		if (!(st->formats & (UINT64_C(1) << i)))
			continue;
		n += (size_t)snprintf(
			buf + n, size - n, "%s%s", sep,
			lhv_snd_format_name(i) ? lhv_snd_format_name(i) : "?");
		sep = ",";
	}
	sep = ",rates=";
	for (i = 0; i < 64 && n < size; i++) {
		if (!(st->rates & (UINT64_C(1) << i)))
			continue;
		n += (size_t)snprintf(buf + n, size - n, "%s%u", sep,
				      lhv_snd_rate_hz(i));
		sep = ",";
	}
}

static void put_snd_config(struct out *o, const struct lhv_snd_info *s)
{
	char key[24], spec[512];
	uint32_t i;

	if (s->card[0])
		out_str(o, "card", "SOS card", s->card);
	out_uint(o, "jacks", "jacks", s->jacks);
	out_bool(o, "chmaps", "chmaps", s->chmaps);
	out_uint(o, "streams", "streams", s->nr_streams);
	for (i = 0; i < s->nr_streams; i++) {
		snprintf(key, sizeof(key), "stream%u", i);
		stream_spec(&s->streams[i], spec, sizeof(spec));
		out_str(o, key, key, spec);
	}
}

static void put_snd_dev(struct out *o, const struct lhv_dev_info *d)
{
	put_snd_config(o, &d->snd);
}

static int build_snd_add(struct nlmsghdr *req, size_t size, const void *r)
{
	return lhv_req_snd_add(req, size, r);
}

int cmd_snd_add(struct lhvctl *ctl, int argc, char **argv)
{
	struct lhv_snd_req r;
	int ret;

	ret = snd_add_request(ctl, argc, argv, &r);
	if (ret)
		return ret;
	return lhvctl_dev_add(ctl, build_snd_add, &r, LHV_DEV_SND, put_snd_dev,
			      "");
}

int cmd_snd_del(struct lhvctl *ctl, int argc, char **argv)
{
	(void)argc;
	return lhvctl_dev_del(ctl, argv[0], LHV_DEV_SND);
}

static const char *const snd_heads[] = { "VM",	 "ID",	   "NAME",
					 "CARD", "STREAM", "SPEC" };

/* One row per stream. */
static int snd_rows(struct out_table *t, const char **cells,
		    const struct lhv_dev_info *d)
{
	const struct lhv_snd_info *s = &d->snd;
	char sid[16], spec[512];
	uint32_t j;
	int ret;

	for (j = 0; j < s->nr_streams; j++) {
		snprintf(sid, sizeof(sid), "%u", j);
		stream_spec(&s->streams[j], spec, sizeof(spec));
		cells[3] = s->card[0] ? s->card : "-";
		cells[4] = sid;
		cells[5] = spec;
		ret = out_table_add(t, cells);
		if (ret)
			return ret;
	}
	return 0;
}

static const struct lhvctl_table snd_table = {
	snd_heads,
	ARRAY_SIZE(snd_heads),
	snd_rows,
};

int cmd_snd_list(struct lhvctl *ctl, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return lhvctl_dev_list(ctl, LHV_DEV_SND, put_snd_dev, &snd_table);
}
