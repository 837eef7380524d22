// SPDX-License-Identifier: BSD-3-Clause
/*
 * Device listing, lookup and removal shared by the device commands (see
 * devlist.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lhv/netlink.h>

#include "args.h"
#include "devlist.h"
#include "request.h"

/* "unknown(N)" for an enum value this lhvctl has no name for. */
const char *lhvctl_enum_label(const char *name, uint32_t val, char *buf,
			      size_t size)
{
	if (name)
		return name;
	snprintf(buf, size, "unknown(%u)", val);
	return buf;
}

/* The JSON object of a device: the same for add, list and del. */
void lhvctl_put_dev_ids(struct out *o, const struct lhv_dev_info *d)
{
	char buf[32];

	out_str(o, "vm", "VM", d->vm);
	out_uint(o, "id", "id", d->id);
	out_str(o, "name", "name", d->name);
	out_str(o, "type", "type",
		lhvctl_enum_label(lhv_dev_type_name(d->type), d->type, buf,
				  sizeof(buf)));
}

int lhvctl_push(void **v, size_t *n, size_t *cap, const void *item, size_t size)
{
	size_t grow;
	void *grown;

	if (*n == *cap) {
		grow = *cap ? 2 * *cap : 4;
		grown = realloc(*v, grow * size);
		if (!grown)
			return -ENOMEM;
		*v = grown;
		*cap = grow;
	}
	memcpy((char *)*v + *n * size, item, size);
	(*n)++;
	return 0;
}

void lhvctl_dev_list_free(struct lhvctl_dev_list *l)
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
	struct lhvctl_dev_list *l = data;

	if (lhv_parse_dev(nlh, &l->tmp, &l->perr)) {
		l->bad_reply = true;
		return 1;
	}
	if ((l->type != LHV_DEV_UNSPEC && l->tmp.type != l->type) ||
	    (l->vm && strcmp(l->tmp.vm, l->vm)))
		return 0;
	if (lhvctl_push((void **)&l->v, &l->n, &l->cap, &l->tmp,
			sizeof(l->tmp))) {
		l->no_memory = true;
		return 1;
	}
	return 0;
}

int lhvctl_get_devs(struct lhv_nl *nl, const char *vm, uint32_t type,
		    struct lhvctl_dev_list *l)
{
	struct lhv_nl_result res;
	struct nlmsghdr *req;
	int ret;

	memset(l, 0, sizeof(*l));
	l->vm = vm;
	l->type = type;

	req = lhv_nl_dump_request(nl, LHV_CMD_DEV_GET);
	if (lhv_req_dev_get(req, LHV_NL_REQ_SIZE, vm, type)) {
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
		lhvctl_dev_list_free(l);
	return ret;
}

/*
 * Find the device of type called name on vm. Returns an exit code; on success
 * *id is its id.
 */
static int resolve_name(struct lhv_nl *nl, const char *vm, uint32_t type,
			const char *name, uint32_t *id)
{
	struct lhvctl_dev_list *l;
	size_t i;
	int ret;

	l = malloc(sizeof(*l));
	if (!l) {
		lhvctl_err("out of memory");
		return LHVCTL_EXIT_FAIL;
	}
	ret = lhvctl_get_devs(nl, vm, type, l);
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
		fprintf(stderr, " has no %s device called ",
			lhv_dev_type_name(type));
		out_write_safe(stderr, name);
		fputc('\n', stderr);
	}
	lhvctl_dev_list_free(l);
	free(l);
	return ret;
}

int lhvctl_dev_del(struct lhvctl *ctl, const char *what, uint32_t type)
{
	const char *vm = lhvctl_opt(ctl, "vm");
	const char *name = NULL;
	struct lhv_nl_result res;
	struct nlmsghdr *req;
	struct lhv_nl *nl;
	uint64_t v = 0;
	uint32_t id;
	int ret;

	/* A number is an id; anything else names the device. */
	ret = lhv_parse_uint(what, 32, &v);
	if (ret == -ERANGE)
		return lhvctl_usage(ctl, "device id %s does not fit in 32 bits",
				    what);
	if (ret)
		name = what;
	id = (uint32_t)v;

	ret = lhvctl_connect(&nl);
	if (ret)
		return ret;
	if (name)
		ret = resolve_name(nl, vm, type, name, &id);
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

int lhvctl_dev_add(struct lhvctl *ctl, lhvctl_build_add_fn *build,
		   const void *r, uint32_t type, lhvctl_put_dev_fn *put,
		   const char *too_long)
{
	struct lhv_parse_err perr;
	struct lhv_nl_result res;
	struct lhv_dev_info *dev;
	struct nlmsghdr *req;
	struct lhv_nl *nl;
	int ret;

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
	if (build(req, LHV_NL_REQ_SIZE, r)) {
		lhvctl_err("the request does not fit in a netlink message %s",
			   too_long);
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
	if (!ret) {
		out_begin(&ctl->out);
		if (ctl->out.fmt == OUT_JSON) {
			lhvctl_put_dev_ids(&ctl->out, dev);
		} else {
			fputs("added ", ctl->out.f);
			out_write_safe(ctl->out.f, dev->name);
			fputs(" to ", ctl->out.f);
			out_write_safe(ctl->out.f, dev->vm);
			fprintf(ctl->out.f, " (id %u)\n", dev->id);
		}
		if (dev->type == type)
			put(&ctl->out, dev);
		out_end(&ctl->out);
	}
	free(dev);
	return ret;
}

static int print_table(FILE *f, const struct lhvctl_dev_list *l,
		       const struct lhvctl_table *table)
{
	const char *cells[LHVCTL_TABLE_MAX_COLS];
	struct out_table t;
	char id[16];
	size_t i;

	if (out_table_init(&t, table->ncols, table->heads))
		goto no_memory;
	for (i = 0; i < l->n; i++) {
		snprintf(id, sizeof(id), "%u", l->v[i].id);
		cells[0] = l->v[i].vm;
		cells[1] = id;
		cells[2] = l->v[i].name;
		if (table->rows(&t, cells, &l->v[i])) {
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

int lhvctl_dev_list(struct lhvctl *ctl, uint32_t type, lhvctl_put_dev_fn *put,
		    const struct lhvctl_table *table)
{
	struct lhvctl_dev_list *l;
	struct lhv_nl *nl;
	size_t i;
	int ret;

	l = malloc(sizeof(*l));
	if (!l) {
		lhvctl_err("out of memory");
		return LHVCTL_EXIT_FAIL;
	}
	ret = lhvctl_connect(&nl);
	if (!ret) {
		ret = lhvctl_get_devs(nl, lhvctl_opt(ctl, "vm"), type, l);
		lhv_nl_close(nl);
	}
	if (ret) {
		free(l);
		return ret;
	}

	if (ctl->out.fmt == OUT_JSON) {
		for (i = 0; i < l->n; i++) {
			out_begin(&ctl->out);
			lhvctl_put_dev_ids(&ctl->out, &l->v[i]);
			put(&ctl->out, &l->v[i]);
			out_end(&ctl->out);
		}
	} else {
		ret = print_table(ctl->out.f, l, table);
	}
	lhvctl_dev_list_free(l);
	free(l);
	return ret;
}
