// SPDX-License-Identifier: BSD-3-Clause
/*
 * lhvctl blk ...: virtio-blk devices (served by lhv_blk). lhvctl checks the
 * syntax of what it is given and nothing more: whether a window fits the
 * backing, a writer overlaps, a queue count is allowed or a path exists is
 * for the kernel to judge, and its extack says why it refuses.
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

/* The numeric options of blk add: attribute and width. */
static const struct {
	const char *name;
	unsigned int type; /* LHV_BLK_ATTR_* */
	unsigned int bits;
} blk_num_opts[] = {
	{ "start", LHV_BLK_ATTR_START, 64 },
	{ "sectors", LHV_BLK_ATTR_SECTORS, 64 },
	{ "queues", LHV_BLK_ATTR_QUEUES, 32 },
	{ "queue-size", LHV_BLK_ATTR_QUEUE_SIZE, 32 },
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Parse --name's value (if given) as a bits-bit number. */
static int num_opt(struct lhvctl *ctl, const char *name, unsigned int bits,
		   uint64_t *val, bool *given)
{
	const char *s = lhvctl_opt(ctl, name);
	int ret;

	*given = s != NULL;
	if (!s)
		return LHVCTL_EXIT_OK;
	ret = lhv_parse_uint(s, bits, val);
	if (ret == -ERANGE)
		return lhvctl_usage(ctl, "--%s: %s does not fit in %u bits",
				    name, s, bits);
	if (ret)
		return lhvctl_usage(ctl,
				    "--%s: '%s' is not an unsigned number "
				    "(decimal, or hex with 0x)",
				    name, s);
	return LHVCTL_EXIT_OK;
}

/* The options of blk add into a request; a usage error if any is bad. */
static int blk_add_request(struct lhvctl *ctl, struct lhv_blk_req *r)
{
	const char *cache;
	uint64_t v;
	bool given;
	size_t i;
	int ret;

	memset(r, 0, sizeof(*r));
	r->vm = lhvctl_opt(ctl, "vm");
	r->backing = lhvctl_opt(ctl, "path");
	r->serial = lhvctl_opt(ctl, "serial");
	r->read_only = lhvctl_opt(ctl, "ro") != NULL;

	for (i = 0; i < ARRAY_SIZE(blk_num_opts); i++) {
		ret = num_opt(ctl, blk_num_opts[i].name, blk_num_opts[i].bits,
			      &v, &given);
		if (ret)
			return ret;
		if (!given)
			continue;
		r->set |= LHV_BLK_BIT(blk_num_opts[i].type);
		switch (blk_num_opts[i].type) {
		case LHV_BLK_ATTR_START:
			r->start = v;
			break;
		case LHV_BLK_ATTR_SECTORS:
			r->sectors = v;
			break;
		case LHV_BLK_ATTR_QUEUES:
			r->queues = (uint32_t)v;
			break;
		case LHV_BLK_ATTR_QUEUE_SIZE:
			r->queue_size = (uint32_t)v;
			break;
		}
	}

	cache = lhvctl_opt(ctl, "cache");
	if (cache) {
		if (lhv_parse_blk_cache(cache, &r->cache))
			return lhvctl_usage(ctl,
					    "--cache: '%s' is neither "
					    "writeback nor writethrough",
					    cache);
		r->set |= LHV_BLK_BIT(LHV_BLK_ATTR_CACHE);
	}
	return LHVCTL_EXIT_OK;
}

static bool blk_has(const struct lhv_blk_info *b, unsigned int type)
{
	return b->present & LHV_BLK_BIT(type);
}

/* The configuration fields of a blk device, those the kernel reported. */
static void put_blk_config(struct out *o, const struct lhv_blk_info *b)
{
	char buf[32];

	out_str(o, "backing", "backing", b->backing);
	if (blk_has(b, LHV_BLK_ATTR_START))
		out_uint(o, "start", "start", b->start);
	if (blk_has(b, LHV_BLK_ATTR_SECTORS))
		out_uint(o, "sectors", "sectors", b->sectors);
	out_bool(o, "read_only", "read-only", b->read_only);
	if (blk_has(b, LHV_BLK_ATTR_SERIAL))
		out_str(o, "serial", "serial", b->serial);
	if (blk_has(b, LHV_BLK_ATTR_QUEUES))
		out_uint(o, "queues", "queues", b->queues);
	if (blk_has(b, LHV_BLK_ATTR_QUEUE_SIZE))
		out_uint(o, "queue_size", "queue size", b->queue_size);
	if (blk_has(b, LHV_BLK_ATTR_CACHE))
		out_str(o, "cache", "cache",
			lhvctl_enum_label(lhv_blk_cache_name(b->cache),
					  b->cache, buf, sizeof(buf)));
	if (blk_has(b, LHV_BLK_ATTR_LOGICAL_BLOCK))
		out_uint(o, "logical_block", "logical block", b->logical_block);
}

/* The kind-specific part of a device record: its configuration. */
static void put_blk_dev(struct out *o, const struct lhv_dev_info *d)
{
	put_blk_config(o, &d->blk);
}

static int build_blk_add(struct nlmsghdr *req, size_t size, const void *r)
{
	return lhv_req_blk_add(req, size, r);
}

int cmd_blk_add(struct lhvctl *ctl, int argc, char **argv)
{
	struct lhv_blk_req r;
	int ret;

	(void)argc;
	(void)argv;

	ret = blk_add_request(ctl, &r);
	if (ret)
		return ret;
	return lhvctl_dev_add(ctl, build_blk_add, &r, LHV_DEV_BLK, put_blk_dev,
			      "(path or serial too long)");
}

/* "-" for a value the kernel did not report. */
static const char *cell_u64(char *buf, size_t size, bool has, uint64_t v)
{
	if (!has)
		return "-";
	snprintf(buf, size, "%llu", (unsigned long long)v);
	return buf;
}

static const char *const blk_heads[] = {
	"VM",	   "ID", "NAME",   "BACKING", "START",
	"SECTORS", "RO", "QUEUES", "CACHE",   "SERIAL",
};

static int blk_rows(struct out_table *t, const char **cells,
		    const struct lhv_dev_info *d)
{
	char start[24], sectors[24], queues[16], cache[32];
	const struct lhv_blk_info *b = &d->blk;

	cells[3] = b->backing;
	cells[4] = cell_u64(start, sizeof(start),
			    blk_has(b, LHV_BLK_ATTR_START), b->start);
	cells[5] = cell_u64(sectors, sizeof(sectors),
			    blk_has(b, LHV_BLK_ATTR_SECTORS), b->sectors);
	cells[6] = b->read_only ? "yes" : "no";
	cells[7] = cell_u64(queues, sizeof(queues),
			    blk_has(b, LHV_BLK_ATTR_QUEUES), b->queues);
	cells[8] = blk_has(b, LHV_BLK_ATTR_CACHE)
			   ? lhvctl_enum_label(lhv_blk_cache_name(b->cache),
					       b->cache, cache, sizeof(cache))
			   : "-";
	cells[9] = b->serial[0] ? b->serial : "-";
	return out_table_add(t, cells);
}

static const struct lhvctl_table blk_table = {
	blk_heads,
	ARRAY_SIZE(blk_heads),
	blk_rows,
};

int cmd_blk_list(struct lhvctl *ctl, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return lhvctl_dev_list(ctl, LHV_DEV_BLK, put_blk_dev, &blk_table);
}

int cmd_blk_del(struct lhvctl *ctl, int argc, char **argv)
{
	(void)argc;
	return lhvctl_dev_del(ctl, argv[0], LHV_DEV_BLK);
}
