/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the device commands (blk, snd, ...) share: the DEV_GET dump of one
 * type into a list, finding a device by name, the ids every device record
 * starts with, and "<type> del".
 */
#ifndef LHVCTL_DEVLIST_H
#define LHVCTL_DEVLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "lhvctl.h"
#include "reply.h"

/* The devices a dump brought, those that pass its filters. */
struct lhvctl_dev_list {
	const char *vm; /* only this VM's, or NULL */
	uint32_t type;	/* only this type, LHV_DEV_UNSPEC for all */
	struct lhv_dev_info *v;
	size_t n, cap;
	struct lhv_dev_info tmp;
	struct lhv_parse_err perr;
	bool bad_reply, no_memory;
};

/* Dump the devices of type (of vm, if not NULL) into l; an exit code. */
int lhvctl_get_devs(struct lhv_nl *nl, const char *vm, uint32_t type,
		    struct lhvctl_dev_list *l);
void lhvctl_dev_list_free(struct lhvctl_dev_list *l);
/*
 * Append item (size bytes) to the array *v of *n items, *cap allocated,
 * growing it as needed; 0 or -ENOMEM (the array is left as it was).
 */
int lhvctl_push(void **v, size_t *n, size_t *cap, const void *item,
		size_t size);

/* "unknown(N)" in buf for an enum value with no name, else name. */
const char *lhvctl_enum_label(const char *name, uint32_t val, char *buf,
			      size_t size);

/* The vm, id, name and type fields of a device record. */
void lhvctl_put_dev_ids(struct out *o, const struct lhv_dev_info *d);

/* The configuration part of a device record, by kind. */
typedef void lhvctl_put_dev_fn(struct out *o, const struct lhv_dev_info *d);
/* Append a kind's DEV_ADD attributes for request r; 0 or -EMSGSIZE. */
typedef int lhvctl_build_add_fn(struct nlmsghdr *req, size_t size,
				const void *r);
/* Most columns a "<type> list" table has. */
#define LHVCTL_TABLE_MAX_COLS 16

/*
 * The rows of device d in a "<type> list" table: cells[0..2] hold its VM,
 * id and name already; fill the others and out_table_add() each row.
 * Returns 0 or -ENOMEM.
 */
typedef int lhvctl_rows_fn(struct out_table *t, const char **cells,
			   const struct lhv_dev_info *d);

/* The table of "<type> list" for people: VM, ID, NAME, then the kind's. */
struct lhvctl_table {
	const char *const *heads; /* all columns, "VM", "ID", "NAME" first */
	unsigned int ncols;	  /* at most LHVCTL_TABLE_MAX_COLS */
	lhvctl_rows_fn *rows;
};

/*
 * "<type> add": send the DEV_ADD build makes of r and print the device
 * added ("added <name> to <vm> (id <n>)" and put's fields, or JSON).
 * too_long is appended to the message when the request does not fit.
 */
int lhvctl_dev_add(struct lhvctl *ctl, lhvctl_build_add_fn *build,
		   const void *r, uint32_t type, lhvctl_put_dev_fn *put,
		   const char *too_long);

/* "<type> list [--vm <vm>]": a table, or one JSON object per device. */
int lhvctl_dev_list(struct lhvctl *ctl, uint32_t type, lhvctl_put_dev_fn *put,
		    const struct lhvctl_table *table);

/*
 * "<type> del --vm <vm> <name|id>": a number is an id, anything else the
 * name of one of the VM's devices of type. Returns an exit code.
 */
int lhvctl_dev_del(struct lhvctl *ctl, const char *what, uint32_t type);

#endif /* LHVCTL_DEVLIST_H */
