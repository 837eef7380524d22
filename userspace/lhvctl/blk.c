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

/* "unknown(N)" for an enum value this lhvctl has no name for. */
static const char *enum_name(const char *name, uint32_t val, char *buf,
			     size_t size)
{
	if (name)
		return name;
	snprintf(buf, size, "unknown(%u)", val);
	return buf;
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
			enum_name(lhv_blk_cache_name(b->cache), b->cache, buf,
				  sizeof(buf)));
	if (blk_has(b, LHV_BLK_ATTR_LOGICAL_BLOCK))
		out_uint(o, "logical_block", "logical block", b->logical_block);
}

/* The JSON object of a device: the same for add, list and del. */
static void put_dev_ids(struct out *o, const struct lhv_dev_info *d)
{
	char buf[32];

	out_str(o, "vm", "VM", d->vm);
	out_uint(o, "id", "id", d->id);
	out_str(o, "name", "name", d->name);
	out_str(o, "type", "type",
		enum_name(lhv_dev_type_name(d->type), d->type, buf,
			  sizeof(buf)));
}

static void print_added(struct out *o, const struct lhv_dev_info *d)
{
	out_begin(o);
	if (o->fmt == OUT_JSON) {
		put_dev_ids(o, d);
	} else {
		fputs("added ", o->f);
		out_write_safe(o->f, d->name);
		fputs(" to ", o->f);
		out_write_safe(o->f, d->vm);
		fprintf(o->f, " (id %u)\n", d->id);
	}
	if (d->type == LHV_DEV_BLK)
		put_blk_config(o, &d->blk);
	out_end(o);
}

int cmd_blk_add(struct lhvctl *ctl, int argc, char **argv)
{
	struct lhv_parse_err perr;
	struct lhv_nl_result res;
	struct lhv_dev_info *dev;
	struct lhv_blk_req r;
	struct nlmsghdr *req;
	struct lhv_nl *nl;
	int ret;

	(void)argc;
	(void)argv;

	ret = blk_add_request(ctl, &r);
	if (ret)
		return ret;

	/* struct lhv_dev_info holds a whole path: not for the stack. */
	dev = malloc(sizeof(*dev));
	if (!dev) {
		lhvctl_err("out of memory");
		return LHVCTL_EXIT_FAIL;
	}
	ret = lhvctl_connect(&nl);
	if (ret) {
		free(dev);
		return ret;
	}

	req = lhv_nl_request(nl, LHV_CMD_DEV_ADD);
	if (lhv_req_blk_add(req, LHV_NL_REQ_SIZE, &r)) {
		lhvctl_err("the request does not fit in a netlink message "
			   "(path or serial too long)");
		ret = LHVCTL_EXIT_FAIL;
	} else {
		ret = lhvctl_call(nl, req, true, &res);
	}
	if (!ret && lhv_parse_dev(res.reply, dev, &perr)) {
		lhvctl_err("bad DEV_ADD reply from the lhv module: %s",
			   perr.msg);
		ret = LHVCTL_EXIT_FAIL;
	}
	lhv_nl_close(nl);
	if (!ret)
		print_added(&ctl->out, dev);
	free(dev);
	return ret;
}

/* The devices a dump brought, those that pass its filters. */
struct dev_list {
	const char *vm; /* only this VM's, or NULL */
	uint32_t type;	/* only this type, LHV_DEV_UNSPEC for all */
	struct lhv_dev_info *v;
	size_t n, cap;
	struct lhv_dev_info tmp;
	struct lhv_parse_err perr;
	bool bad_reply, no_memory;
};

static void dev_list_free(struct dev_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

/*
 * A lhv_nl_msg_cb for DEV_GET dumps. Filters again what the kernel was
 * asked to filter: a module that ignored a filter must not make lhvctl
 * act on another VM's or type's device.
 */
static int collect_dev(const struct nlmsghdr *nlh, void *data)
{
	struct dev_list *l = data;
	struct lhv_dev_info *grown;
	size_t cap;

	if (lhv_parse_dev(nlh, &l->tmp, &l->perr)) {
		l->bad_reply = true;
		return 1;
	}
	if ((l->type != LHV_DEV_UNSPEC && l->tmp.type != l->type) ||
	    (l->vm && strcmp(l->tmp.vm, l->vm)))
		return 0;

	if (l->n == l->cap) {
		cap = l->cap ? 2 * l->cap : 4;
		grown = realloc(l->v, cap * sizeof(*grown));
		if (!grown) {
			l->no_memory = true;
			return 1;
		}
		l->v = grown;
		l->cap = cap;
	}
	l->v[l->n++] = l->tmp;
	return 0;
}

/* Dump the blk devices (of vm, if not NULL) into l. Returns an exit code. */
static int get_blk_devs(struct lhv_nl *nl, const char *vm, struct dev_list *l)
{
	struct lhv_nl_result res;
	struct nlmsghdr *req;
	int ret;

	memset(l, 0, sizeof(*l));
	l->vm = vm;
	l->type = LHV_DEV_BLK;

	req = lhv_nl_dump_request(nl, LHV_CMD_DEV_GET);
	if (lhv_req_dev_get(req, LHV_NL_REQ_SIZE, vm, LHV_DEV_BLK)) {
		lhvctl_err("VM name too long to fit in a netlink message");
		return LHVCTL_EXIT_FAIL;
	}
	ret = lhvctl_dump(nl, req, collect_dev, l, &res);
	if (l->bad_reply)
		lhvctl_err("bad DEV_GET reply from the lhv module: %s",
			   l->perr.msg);
	else if (l->no_memory)
		lhvctl_err("out of memory");
	if (ret)
		dev_list_free(l);
	return ret;
}

/* "-" for a value the kernel did not report. */
static const char *cell_u64(char *buf, size_t size, bool has, uint64_t v)
{
	if (!has)
		return "-";
	snprintf(buf, size, "%llu", (unsigned long long)v);
	return buf;
}

static int print_table(FILE *f, const struct dev_list *l)
{
	static const char *const heads[] = {
		"VM",	   "ID", "NAME",   "BACKING", "START",
		"SECTORS", "RO", "QUEUES", "CACHE",   "SERIAL",
	};
	char id[16], start[24], sectors[24], queues[16], cache[32];
	const char *cells[ARRAY_SIZE(heads)];
	const struct lhv_blk_info *b;
	struct out_table t;
	size_t i;
	int ret;

	if (out_table_init(&t, ARRAY_SIZE(heads), heads))
		goto no_memory;
	for (i = 0; i < l->n; i++) {
		b = &l->v[i].blk;
		snprintf(id, sizeof(id), "%u", l->v[i].id);
		cells[0] = l->v[i].vm;
		cells[1] = id;
		cells[2] = l->v[i].name;
		cells[3] = b->backing;
		cells[4] = cell_u64(start, sizeof(start),
				    blk_has(b, LHV_BLK_ATTR_START), b->start);
		cells[5] =
			cell_u64(sectors, sizeof(sectors),
				 blk_has(b, LHV_BLK_ATTR_SECTORS), b->sectors);
		cells[6] = b->read_only ? "yes" : "no";
		cells[7] = cell_u64(queues, sizeof(queues),
				    blk_has(b, LHV_BLK_ATTR_QUEUES), b->queues);
		cells[8] = blk_has(b, LHV_BLK_ATTR_CACHE)
				   ? enum_name(lhv_blk_cache_name(b->cache),
					       b->cache, cache, sizeof(cache))
				   : "-";
		cells[9] = b->serial[0] ? b->serial : "-";
		ret = out_table_add(&t, cells);
		if (ret) {
			out_table_free(&t);
			goto no_memory;
		}
	}
	out_table_print(&t, f);
	out_table_free(&t);
	return LHVCTL_EXIT_OK;

no_memory:
	lhvctl_err("out of memory");
	return LHVCTL_EXIT_FAIL;
}

int cmd_blk_list(struct lhvctl *ctl, int argc, char **argv)
{
	struct dev_list *l;
	struct lhv_nl *nl;
	size_t i;
	int ret;

	(void)argc;
	(void)argv;

	l = malloc(sizeof(*l));
	if (!l) {
		lhvctl_err("out of memory");
		return LHVCTL_EXIT_FAIL;
	}
	ret = lhvctl_connect(&nl);
	if (!ret) {
		ret = get_blk_devs(nl, lhvctl_opt(ctl, "vm"), l);
		lhv_nl_close(nl);
	}
	if (ret) {
		free(l);
		return ret;
	}

	if (ctl->out.fmt == OUT_JSON) {
		for (i = 0; i < l->n; i++) {
			out_begin(&ctl->out);
			put_dev_ids(&ctl->out, &l->v[i]);
			put_blk_config(&ctl->out, &l->v[i].blk);
			out_end(&ctl->out);
		}
	} else {
		ret = print_table(ctl->out.f, l);
	}
	dev_list_free(l);
	free(l);
	return ret;
}

/*
 * Find the blk device called name on vm. Returns an exit code; on success
 * *id is its id.
 */
static int resolve_name(struct lhv_nl *nl, const char *vm, const char *name,
			uint32_t *id)
{
	struct dev_list *l;
	size_t i;
	int ret;

	l = malloc(sizeof(*l));
	if (!l) {
		lhvctl_err("out of memory");
		return LHVCTL_EXIT_FAIL;
	}
	ret = get_blk_devs(nl, vm, l);
	if (ret) {
		free(l);
		return ret;
	}
	ret = LHVCTL_EXIT_FAIL;
	for (i = 0; i < l->n; i++) {
		if (!strcmp(l->v[i].name, name)) {
			*id = l->v[i].id;
			ret = LHVCTL_EXIT_OK;
			break;
		}
	}
	if (ret) {
		fputs("lhvctl: VM ", stderr);
		out_write_safe(stderr, vm);
		fputs(" has no blk device called ", stderr);
		out_write_safe(stderr, name);
		fputc('\n', stderr);
	}
	dev_list_free(l);
	free(l);
	return ret;
}

int cmd_blk_del(struct lhvctl *ctl, int argc, char **argv)
{
	const char *vm = lhvctl_opt(ctl, "vm");
	const char *name = NULL;
	struct lhv_nl_result res;
	struct nlmsghdr *req;
	struct lhv_nl *nl;
	uint64_t v = 0;
	uint32_t id;
	int ret;

	(void)argc;
	/* A number is an id; anything else names the device. */
	ret = lhv_parse_uint(argv[0], 32, &v);
	if (ret == -ERANGE)
		return lhvctl_usage(ctl, "device id %s does not fit in 32 bits",
				    argv[0]);
	if (ret)
		name = argv[0];
	id = (uint32_t)v;

	ret = lhvctl_connect(&nl);
	if (ret)
		return ret;
	if (name)
		ret = resolve_name(nl, vm, name, &id);
	if (!ret) {
		req = lhv_nl_request(nl, LHV_CMD_DEV_DEL);
		if (lhv_req_dev_del(req, LHV_NL_REQ_SIZE, vm, id)) {
			lhvctl_err("VM name too long to fit in a netlink "
				   "message");
			ret = LHVCTL_EXIT_FAIL;
		} else {
			ret = lhvctl_call(nl, req, false, &res);
		}
	}
	lhv_nl_close(nl);
	if (ret)
		return ret;

	out_begin(&ctl->out);
	if (ctl->out.fmt == OUT_JSON) {
		out_str(&ctl->out, "vm", "VM", vm);
		out_uint(&ctl->out, "id", "id", id);
		if (name)
			out_str(&ctl->out, "name", "name", name);
	} else {
		fputs("removed ", ctl->out.f);
		if (name) {
			out_write_safe(ctl->out.f, name);
			fprintf(ctl->out.f, " (id %u)", id);
		} else {
			fprintf(ctl->out.f, "device %u", id);
		}
		fputs(" from ", ctl->out.f);
		out_write_safe(ctl->out.f, vm);
		fputc('\n', ctl->out.f);
	}
	out_end(&ctl->out);
	return LHVCTL_EXIT_OK;
}
