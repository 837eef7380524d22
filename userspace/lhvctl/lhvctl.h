/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What lhvctl's subcommands share: the run context, the command table
 * entry, and the helpers that talk to the lhv module with lhvctl's error
 * messages.
 */
#ifndef LHVCTL_LHVCTL_H
#define LHVCTL_LHVCTL_H

#include <stdbool.h>
#include <stdint.h>

#include "nl.h"
#include "output.h"

/* Exit codes: success, a failure (kernel refused, no module...), misuse. */
#define LHVCTL_EXIT_OK 0
#define LHVCTL_EXIT_FAIL 1
#define LHVCTL_EXIT_USAGE 2
/* vm stop: the guest did not power off in time and was stopped by force. */
#define LHVCTL_EXIT_FORCED 3

/* Most options one command may have. */
#define LHVCTL_MAX_OPTS 16

/*
 * An option of one command, "--name <arg>" or "--name=<arg>", or a flag
 * "--name" when arg is NULL. Each may be given once, except one whose arg
 * ends in "...": given again, its values are joined with commas.
 */
struct lhvctl_opt {
	const char *name; /* without the dashes */
	const char *arg;  /* "<vm>" for help, NULL for a flag */
	const char *help; /* one line */
	bool required;
};

struct lhvctl {
	struct out out;	  /* where and in which form records go */
	const char *path; /* the command as typed, "blk add", for messages */
	const struct lhvctl_opt *opts; /* the command's options, or NULL */
	/* opts[i]'s value, NULL if not given */
	const char *optv[LHVCTL_MAX_OPTS];
};

struct lhvctl_cmd {
	const char *name;
	const char *args;    /* synopsis of the positional arguments */
	const char *summary; /* one line, for command lists */
	const char *help;    /* the paragraph "<command> --help" prints */
	int nargs;	     /* exact number of arguments, -1 for any */
	/* Options after the command words; { NULL } ends, NULL for none. */
	const struct lhvctl_opt *opts;
	/* Gets the arguments after the command words; returns an exit code. */
	int (*run)(struct lhvctl *ctl, int argc, char **argv);
	const struct lhvctl_cmd *sub; /* a group: its commands, { NULL } ends */
};

/* Subcommand handlers. */
int cmd_status(struct lhvctl *ctl, int argc, char **argv);
int cmd_vm_show(struct lhvctl *ctl, int argc, char **argv);
struct lhv_vm_info;
/* VM_GET for name into *vm; an exit code, the failure reported. */
int lhvctl_get_vm(const char *name, struct lhv_vm_info *vm);
int cmd_vm_create(struct lhvctl *ctl, int argc, char **argv);
/*
 * A request that only names the VM (VM_START, VM_STOP, VM_DESTROY),
 * with VM_STOP_FORCE if force; an exit code, the failure reported.
 */
int lhvctl_vm_command(const char *name, uint8_t cmd, bool force);
int cmd_vm_destroy(struct lhvctl *ctl, int argc, char **argv);
int cmd_vm_start(struct lhvctl *ctl, int argc, char **argv);
int cmd_vm_stop(struct lhvctl *ctl, int argc, char **argv);
int cmd_vm_console(struct lhvctl *ctl, int argc, char **argv);
int cmd_vm_send(struct lhvctl *ctl, int argc, char **argv);
int cmd_monitor(struct lhvctl *ctl, int argc, char **argv);

/*
 * Open a socket that has joined the lhv family's "vm" multicast group;
 * on failure say why on stderr and return LHVCTL_EXIT_FAIL.
 */
int lhvctl_listen(struct lhv_nl **nlp);

struct lhv_vm_event_info;
/* One VM event: the monitor line, or a JSON object; flushed at once. */
void lhvctl_print_event(struct out *o, const struct lhv_vm_event_info *e);
int cmd_vm_load(struct lhvctl *ctl, int argc, char **argv);
int cmd_blk_add(struct lhvctl *ctl, int argc, char **argv);
int cmd_blk_del(struct lhvctl *ctl, int argc, char **argv);
int cmd_blk_list(struct lhvctl *ctl, int argc, char **argv);
int cmd_heci_add(struct lhvctl *ctl, int argc, char **argv);
int cmd_heci_del(struct lhvctl *ctl, int argc, char **argv);
int cmd_heci_list(struct lhvctl *ctl, int argc, char **argv);
int cmd_xhci_add(struct lhvctl *ctl, int argc, char **argv);
int cmd_xhci_del(struct lhvctl *ctl, int argc, char **argv);
int cmd_xhci_list(struct lhvctl *ctl, int argc, char **argv);
int cmd_usb_assign(struct lhvctl *ctl, int argc, char **argv);
int cmd_usb_release(struct lhvctl *ctl, int argc, char **argv);
int cmd_usb_list(struct lhvctl *ctl, int argc, char **argv);
int cmd_snd_add(struct lhvctl *ctl, int argc, char **argv);
int cmd_snd_del(struct lhvctl *ctl, int argc, char **argv);
int cmd_snd_list(struct lhvctl *ctl, int argc, char **argv);
int cmd_hv_enable(struct lhvctl *ctl, int argc, char **argv);
int cmd_hv_disable(struct lhvctl *ctl, int argc, char **argv);
int cmd_hv_status(struct lhvctl *ctl, int argc, char **argv);
/*
 * One STATUS round trip, parsed (status.c); errors are printed. Returns 0
 * or an LHVCTL_EXIT_* code.
 */
struct lhv_status;
int lhvctl_get_status(struct lhv_status *st);
int cmd_hv_log(struct lhvctl *ctl, int argc, char **argv);
int cmd_hv_stats(struct lhvctl *ctl, int argc, char **argv);

/*
 * The value of the running command's option --name, or NULL if it was not
 * given. A flag that was given reads as the word that gave it.
 */
const char *lhvctl_opt(const struct lhvctl *ctl, const char *name);

/*
 * Report a usage error of the running command, pointing at its help;
 * returns LHVCTL_EXIT_USAGE.
 */
__attribute__((format(printf, 2, 3))) int lhvctl_usage(const struct lhvctl *ctl,
						       const char *fmt, ...);

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

/*
 * Run the dump req, calling cb for each entry (see lhv_nl_dump()). Reports
 * failures and refusals as lhvctl_call() does, and warns when the kernel
 * flagged the dump as interrupted. When cb stopped the dump it returns
 * LHVCTL_EXIT_FAIL and prints nothing: the callback's owner knows why.
 */
int lhvctl_dump(struct lhv_nl *nl, struct nlmsghdr *req, lhv_nl_msg_cb cb,
		void *data, struct lhv_nl_result *res);

#endif /* LHVCTL_LHVCTL_H */
