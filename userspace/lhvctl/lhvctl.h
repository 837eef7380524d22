/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What lhvctl's subcommands share: the run context, the command table
 * entry, and the helpers that talk to the lhv module with lhvctl's error
 * messages.
 */
#ifndef LHVCTL_LHVCTL_H
#define LHVCTL_LHVCTL_H

#include <stdbool.h>

#include "nl.h"
#include "output.h"

/* Exit codes: success, a failure (kernel refused, no module...), misuse. */
#define LHVCTL_EXIT_OK 0
#define LHVCTL_EXIT_FAIL 1
#define LHVCTL_EXIT_USAGE 2

struct lhvctl {
	struct out out; /* where and in which form records go */
};

struct lhvctl_cmd {
	const char *name;
	const char *args;    /* synopsis of the positional arguments */
	const char *summary; /* one line, for command lists */
	const char *help;    /* the paragraph "<command> --help" prints */
	int nargs;	     /* exact number of arguments, -1 for any */
	/* Gets the arguments after the command words; returns an exit code. */
	int (*run)(struct lhvctl *ctl, int argc, char **argv);
	const struct lhvctl_cmd *sub; /* a group: its commands, { NULL } ends */
};

/* Subcommand handlers. */
int cmd_status(struct lhvctl *ctl, int argc, char **argv);
int cmd_vm_show(struct lhvctl *ctl, int argc, char **argv);

/*
 * Open a socket and resolve the "lhv" family; on failure say why on stderr
 * and return LHVCTL_EXIT_FAIL.
 */
int lhvctl_connect(struct lhv_nl **nlp);

/*
 * Send req and wait for the answer. If the exchange fails or the kernel
 * refuses, print "lhvctl: <strerror>: <extack message>" and return
 * LHVCTL_EXIT_FAIL; likewise when want_reply and no reply came.
 */
int lhvctl_call(struct lhv_nl *nl, struct nlmsghdr *req, bool want_reply,
		struct lhv_nl_result *res);

#endif /* LHVCTL_LHVCTL_H */
