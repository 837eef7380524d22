/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the device commands (blk, heci, ...) share: the identity fields of
 * a device in output, the DEV_GET dump of one type into a list, and
 * "del <id|name>".
 */
#ifndef LHVCTL_DEVLIST_H
#define LHVCTL_DEVLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "lhvctl.h"
#include "reply.h"

/* "unknown(N)" in buf for an enum value this lhvctl has no name for. */
const char *lhvctl_enum_name(const char *name, uint32_t val, char *buf,
			     size_t size);

/* The identity of a device (VM, id, name, type): the same everywhere. */
void lhvctl_put_dev_ids(struct out *o, const struct lhv_dev_info *d);

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

void dev_list_free(struct dev_list *l);

/* Dump the devices of type (of vm, if not NULL) into l. An exit code. */
int lhvctl_get_devs(struct lhv_nl *nl, const char *vm, uint32_t type,
		    struct dev_list *l);

/* Append a DEV_ADD's attributes for r; 0 or -EMSGSIZE (request.h). */
typedef int (*lhvctl_build_add)(struct nlmsghdr *req, size_t size,
				const void *r);

/*
 * "<type> add": send the DEV_ADD build makes of r and print the device
 * added, its configuration by put_config (called only for a reply of the
 * expected type's shape). An exit code.
 */
int lhvctl_dev_add(struct lhvctl *ctl, lhvctl_build_add build, const void *r,
		   void (*put_config)(struct out *o,
				      const struct lhv_dev_info *d));

/*
 * "<type> list [--vm <vm>]": one JSON object per device (its ids, then
 * put_config), or the table print_table makes. An exit code.
 */
int lhvctl_dev_list(struct lhvctl *ctl, uint32_t type,
		    void (*put_config)(struct out *o,
				       const struct lhv_dev_info *d),
		    int (*print_table)(FILE *f, const struct dev_list *l));

/*
 * "<type> del <id|name> --vm <vm>": a number is an id, anything else the
 * name of a device of type on vm. Prints what was removed. An exit code.
 */
int lhvctl_dev_del(struct lhvctl *ctl, char **argv, uint32_t type);

#endif /* LHVCTL_DEVLIST_H */
