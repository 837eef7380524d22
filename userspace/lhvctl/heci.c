// SPDX-License-Identifier: BSD-3-Clause
/*
 * lhvctl heci ...: virtio HECI (MEI) devices, served by lhv_heci. lhvctl
 * checks the syntax of UUIDs and numbers; which clients exist, whether a
 * backend needs an allow list and what a VM may see is the kernel's call,
 * and its extack says why it refuses.
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

/* --allow's comma-separated UUIDs into r. */
static int parse_allow(struct lhvctl *ctl, const char *list,
		       struct lhv_heci_req *r)
{
	char *copy, *tok, *save = NULL;
	int ret = LHVCTL_EXIT_OK;

	copy = strdup(list);
	if (!copy) {
		lhvctl_err("out of memory");
		return LHVCTL_EXIT_FAIL;
	}
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (r->nr_allow == ARRAY_SIZE(r->allow)) {
			ret = lhvctl_usage(ctl, "--allow: more than %zu UUIDs",
					   ARRAY_SIZE(r->allow));
			break;
		}
		if (lhv_parse_uuid(tok, r->allow[r->nr_allow])) {
			ret = lhvctl_usage(ctl,
					   "--allow: '%s' is not a UUID "
					   "(8-4-4-4-12 hex digits)",
					   tok);
			break;
		}
		r->nr_allow++;
	}
	free(copy);
	return ret;
}

static int heci_add_request(struct lhvctl *ctl, struct lhv_heci_req *r)
{
	const char *backend = lhvctl_opt(ctl, "backend");
	const char *allow = lhvctl_opt(ctl, "allow");
	const char *max = lhvctl_opt(ctl, "max-msg-len");
	uint64_t v;
	int ret;

	memset(r, 0, sizeof(*r));
	r->vm = lhvctl_opt(ctl, "vm");
	if (lhv_parse_heci_backend(backend, &r->backend))
		return lhvctl_usage(
			ctl, "--backend: '%s' is neither mei nor sim", backend);
	if (allow) {
		ret = parse_allow(ctl, allow, r);
		if (ret)
			return ret;
	}
	if (max) {
		ret = lhv_parse_uint(max, 32, &v);
		if (ret)
			return lhvctl_usage(ctl,
					    "--max-msg-len: '%s' is not a "
					    "32-bit unsigned number",
					    max);
		r->has_max_msg_len = true;
		r->max_msg_len = (uint32_t)v;
	}
	return LHVCTL_EXIT_OK;
}

/* The UUIDs of h's clients, comma-separated, into buf (37 each). */
static void join_clients(const struct lhv_heci_info *h, char *buf)
{
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < h->nr_allow; i++) {
		if (i)
			strcat(buf, ",");
		lhv_format_uuid(h->allow[i], buf + strlen(buf));
	}
}

/* The configuration of a heci device, what the kernel reported. */
static void put_heci_config(struct out *o, const struct lhv_heci_info *h)
{
	char buf[32], clients[LHV_HECI_MAX_ALLOW * 37 + 1];

	out_str(o, "backend", "backend",
		lhvctl_enum_label(lhv_heci_backend_name(h->backend), h->backend,
				  buf, sizeof(buf)));
	if (h->present & (UINT32_C(1) << LHV_HECI_ATTR_MAX_MSG_LEN))
		out_uint(o, "max_msg_len", "max msg length", h->max_msg_len);
	if (h->present & (UINT32_C(1) << LHV_HECI_ATTR_VTAG))
		out_uint(o, "vtag", "vtag", h->vtag);
	join_clients(h, clients);
	out_str(o, "clients", "clients", clients);
}

/* The kind-specific part of a device record: its configuration. */
static void put_heci_dev(struct out *o, const struct lhv_dev_info *d)
{
	put_heci_config(o, &d->heci);
}

static int build_heci_add(struct nlmsghdr *req, size_t size, const void *r)
{
	return lhv_req_heci_add(req, size, r);
}

int cmd_heci_add(struct lhvctl *ctl, int argc, char **argv)
{
	struct lhv_heci_req r;
	int ret;

	(void)argc;
	(void)argv;
	ret = heci_add_request(ctl, &r);
	if (ret)
		return ret;
	return lhvctl_dev_add(ctl, build_heci_add, &r, LHV_DEV_HECI,
			      put_heci_dev, "(a string too long)");
}

int cmd_heci_del(struct lhvctl *ctl, int argc, char **argv)
{
	(void)argc;
	return lhvctl_dev_del(ctl, argv[0], LHV_DEV_HECI);
}

static const char *const heci_heads[] = {
	"VM", "ID", "NAME", "BACKEND", "VTAG", "CLIENTS",
};

/* One table row per device; the clients as a comma-separated list. */
static int heci_rows(struct out_table *t, const char **cells,
		     const struct lhv_dev_info *d)
{
	char vtag[16], backend[32], clients[LHV_HECI_MAX_ALLOW * 37 + 1];
	const struct lhv_heci_info *h = &d->heci;

	snprintf(vtag, sizeof(vtag), "%u", h->vtag);
	join_clients(h, clients);
	cells[3] = lhvctl_enum_label(lhv_heci_backend_name(h->backend),
				     h->backend, backend, sizeof(backend));
	cells[4] = vtag;
	cells[5] = h->nr_allow ? clients : "-";
	return out_table_add(t, cells);
}

static const struct lhvctl_table heci_table = {
	heci_heads,
	ARRAY_SIZE(heci_heads),
	heci_rows,
};

int cmd_heci_list(struct lhvctl *ctl, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return lhvctl_dev_list(ctl, LHV_DEV_HECI, put_heci_dev, &heci_table);
}
