// SPDX-License-Identifier: BSD-3-Clause
/*
 * lhvctl vm ...: VM commands (show, create, destroy, start, console,
 * send; stop is vm_stop.c). User VMs are described in docs/uvm.md.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libmnl/libmnl.h>
#include <lhv/hypercall.h>
#include <lhv/netlink.h>

#include "args.h"
#include "lhvctl.h"
#include "reply.h"
#include "request.h"

static void print_stop_reason(struct out *o, uint32_t reason)
{
	const char *name = lhv_vm_stop_reason_name(reason);
	char unknown[32];

	snprintf(unknown, sizeof(unknown), "unknown(%u)", reason);
	out_str(o, "stop_reason", "stop reason", name ? name : unknown);
}

/*
 * One region the hv measured: "measure <kind>: gpa=0x.. len=.. sha256=.."
 * for people; measure_<kind>_{gpa,len,sha256} in JSON.
 */
static void print_measurement(struct out *o, const struct lhv_measurement *m)
{
	const char *kind = lhv_measure_kind_name(m->kind);
	char kbuf[24], key[48], label[48], hex[65], val[160];
	unsigned int i;

	if (!kind) {
		snprintf(kbuf, sizeof(kbuf), "kind%u", m->kind);
		kind = kbuf;
	}
	for (i = 0; i < sizeof(m->sha256); i++)
		snprintf(hex + 2 * i, 3, "%02x", m->sha256[i]);
	if (o->fmt != OUT_JSON) {
		snprintf(label, sizeof(label), "measure %s", kind);
		snprintf(val, sizeof(val),
			 "gpa=0x%" PRIx64 " len=%" PRIu64 " sha256=%s", m->gpa,
			 m->len, hex);
		out_str(o, "", label, val);
		return;
	}
	snprintf(key, sizeof(key), "measure_%s_gpa", kind);
	out_uint(o, key, key, m->gpa);
	snprintf(key, sizeof(key), "measure_%s_len", kind);
	out_uint(o, key, key, m->len);
	snprintf(key, sizeof(key), "measure_%s_sha256", kind);
	out_str(o, key, key, hex);
}

static void print_vm(struct out *o, const struct lhv_vm_info *vm)
{
	const char *state = lhv_vm_state_name(vm->state);
	char unknown[32], uuid[37], cpus[64];
	size_t n = 0;
	unsigned int i;

	if (!state) {
		snprintf(unknown, sizeof(unknown), "unknown(%u)", vm->state);
		state = unknown;
	}

	out_begin(o);
	out_uint(o, "id", "id", vm->id);
	out_str(o, "name", "name", vm->name);
	out_str(o, "state", "state", state);
	if (vm->is_user) {
		snprintf(uuid, sizeof(uuid),
			 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
			 "%02x%02x%02x%02x%02x%02x",
			 vm->uuid[0], vm->uuid[1], vm->uuid[2], vm->uuid[3],
			 vm->uuid[4], vm->uuid[5], vm->uuid[6], vm->uuid[7],
			 vm->uuid[8], vm->uuid[9], vm->uuid[10], vm->uuid[11],
			 vm->uuid[12], vm->uuid[13], vm->uuid[14],
			 vm->uuid[15]);
		out_str(o, "uuid", "uuid", uuid);
		out_str(o, "profile", "profile",
			vm->profile == LHV_VM_PROFILE_ANDROID ? "android"
							      : "linux");
		cpus[0] = '\0';
		for (i = 0; i < vm->nr_cpus && n < sizeof(cpus); i++)
			n += (size_t)snprintf(cpus + n, sizeof(cpus) - n,
					      "%s%u", i ? "," : "",
					      vm->cpus[i]);
		out_str(o, "cpus", "CPUs", cpus);
		out_uint(o, "mem_size", "memory", vm->mem_size);
		out_uint(o, "exits", "exits", vm->exits);
		out_uint(o, "ioreqs", "ioreqs", vm->ioreqs);
		out_uint(o, "doorbells", "doorbells", vm->doorbells);
		out_uint(o, "msis", "msis", vm->msis);
		if (vm->crash_reason[0])
			out_str(o, "crash_reason", "crashed", vm->crash_reason);
		if (vm->has_stop_reason)
			print_stop_reason(o, vm->stop_reason);
		for (i = 0; i < vm->nr_measured; i++)
			print_measurement(o, &vm->measured[i]);
	}
	out_end(o);
}

/* A request naming a VM; NULL (and a message) if the name cannot fit. */
static struct nlmsghdr *vm_request(struct lhv_nl *nl, uint8_t cmd,
				   const char *name)
{
	struct nlmsghdr *req = lhv_nl_request(nl, cmd);

	/* The name goes as given: the kernel checks it and says why not. */
	if (!mnl_attr_put_strz_check(req, LHV_NL_REQ_SIZE, LHV_ATTR_VM_NAME,
				     name)) {
		lhvctl_err("VM name too long to fit in a netlink message");
		return NULL;
	}
	return req;
}

int lhvctl_get_vm(const char *name, struct lhv_vm_info *vm)
{
	struct lhv_nl_result res;
	struct lhv_parse_err perr;
	struct nlmsghdr *req;
	struct lhv_nl *nl;
	int ret;

	ret = lhvctl_connect(&nl);
	if (ret)
		return ret;
	req = vm_request(nl, LHV_CMD_VM_GET, name);
	ret = req ? lhvctl_call(nl, req, true, &res) : LHVCTL_EXIT_FAIL;
	if (!ret && lhv_parse_vm(res.reply, vm, &perr)) {
		lhvctl_err("bad VM_GET reply from the lhv module: %s",
			   perr.msg);
		ret = LHVCTL_EXIT_FAIL;
	}
	lhv_nl_close(nl);
	return ret;
}

int cmd_vm_show(struct lhvctl *ctl, int argc, char **argv)
{
	struct lhv_vm_info vm;
	int ret;

	(void)argc;
	ret = lhvctl_get_vm(argv[0], &vm);
	if (ret)
		return ret;
	print_vm(&ctl->out, &vm);
	return LHVCTL_EXIT_OK;
}

int cmd_vm_create(struct lhvctl *ctl, int argc, char **argv)
{
	const char *cpus_arg = lhvctl_opt(ctl, "cpus");
	const char *uuid_arg = lhvctl_opt(ctl, "uuid");
	const char *profile = lhvctl_opt(ctl, "profile");
	uint32_t cpus[LHV_VM_MAX_VCPUS], prof = LHV_VM_PROFILE_LINUX;
	unsigned char uuid[16];
	struct lhv_nl_result res;
	struct nlmsghdr *req;
	struct nlattr *nest;
	unsigned int n, i;
	struct lhv_nl *nl;
	uint64_t mem;
	int ret;

	(void)argc;
	if (lhv_parse_cpu_list(cpus_arg, cpus, LHV_VM_MAX_VCPUS, &n)) {
		lhvctl_err("--cpus: a comma-separated list of at most %u CPU "
			   "numbers",
			   LHV_VM_MAX_VCPUS);
		return LHVCTL_EXIT_USAGE;
	}
	if (lhv_parse_size(lhvctl_opt(ctl, "mem"), &mem)) {
		lhvctl_err("--mem: a size such as 64M or 1G");
		return LHVCTL_EXIT_USAGE;
	}
	if (uuid_arg && lhv_parse_vm_uuid(uuid_arg, uuid)) {
		lhvctl_err("--uuid: 8-4-4-4-12 hex digits");
		return LHVCTL_EXIT_USAGE;
	}
	if (profile && !strcmp(profile, "android")) {
		prof = LHV_VM_PROFILE_ANDROID;
	} else if (profile && strcmp(profile, "linux")) {
		lhvctl_err("--profile: linux or android");
		return LHVCTL_EXIT_USAGE;
	}

	ret = lhvctl_connect(&nl);
	if (ret)
		return ret;
	req = vm_request(nl, LHV_CMD_VM_CREATE, argv[0]);
	if (!req) {
		lhv_nl_close(nl);
		return LHVCTL_EXIT_FAIL;
	}
	nest = mnl_attr_nest_start(req, LHV_ATTR_VM_CPUS);
	for (i = 0; i < n; i++)
		mnl_attr_put_u32(req, (uint16_t)(i + 1), cpus[i]);
	mnl_attr_nest_end(req, nest);
	mnl_attr_put_u64(req, LHV_ATTR_VM_MEM_SIZE, mem);
	mnl_attr_put_u32(req, LHV_ATTR_VM_PROFILE, prof);
	if (uuid_arg)
		mnl_attr_put(req, LHV_ATTR_VM_UUID, sizeof(uuid), uuid);
	ret = lhvctl_call(nl, req, false, &res);
	lhv_nl_close(nl);
	return ret;
}

int lhvctl_vm_command(const char *name, uint8_t cmd, bool force)
{
	struct lhv_nl_result res;
	struct nlmsghdr *req;
	struct lhv_nl *nl;
	int ret;

	ret = lhvctl_connect(&nl);
	if (ret)
		return ret;
	req = lhv_nl_request(nl, cmd);
	/* The name goes as given: the kernel checks it and says why not. */
	if (lhv_req_vm(req, LHV_NL_REQ_SIZE, name, force)) {
		lhvctl_err("VM name too long to fit in a netlink message");
		ret = LHVCTL_EXIT_FAIL;
	} else {
		ret = lhvctl_call(nl, req, false, &res);
	}
	lhv_nl_close(nl);
	return ret;
}

int cmd_vm_destroy(struct lhvctl *ctl, int argc, char **argv)
{
	(void)ctl;
	(void)argc;
	return lhvctl_vm_command(argv[0], LHV_CMD_VM_DESTROY, false);
}

int cmd_vm_start(struct lhvctl *ctl, int argc, char **argv)
{
	(void)ctl;
	(void)argc;
	return lhvctl_vm_command(argv[0], LHV_CMD_VM_START, false);
}

/* One VM_CONSOLE exchange: prints what came and advances *cursor. */
static int console_once(struct lhv_nl *nl, const char *name, uint64_t *cursor,
			size_t *got)
{
	struct lhv_console_chunk c;
	struct lhv_parse_err perr;
	struct lhv_nl_result res;
	struct nlmsghdr *req;
	int ret;

	req = vm_request(nl, LHV_CMD_VM_CONSOLE, name);
	if (!req)
		return LHVCTL_EXIT_FAIL;
	mnl_attr_put_u64(req, LHV_ATTR_VM_CONSOLE_CURSOR, *cursor);
	ret = lhvctl_call(nl, req, true, &res);
	if (ret)
		return ret;
	if (lhv_parse_console(res.reply, &c, &perr)) {
		lhvctl_err("bad VM_CONSOLE reply from the lhv module: %s",
			   perr.msg);
		return LHVCTL_EXIT_FAIL;
	}
	if (c.lost)
		fprintf(stderr, "lhvctl: %" PRIu64 " console bytes lost\n",
			c.lost);
	/* The VM's bytes as they came: a console is the VM's to format. */
	fwrite(c.text, 1, c.len, stdout);
	fflush(stdout);
	*cursor = c.cursor;
	*got = c.len;
	return 0;
}

int cmd_vm_console(struct lhvctl *ctl, int argc, char **argv)
{
	const char *follow = lhvctl_opt(ctl, "follow");
	struct timespec nap = { 0, 100 * 1000 * 1000 };
	uint64_t cursor = 0, seconds = 0, polls = 0;
	struct lhv_nl *nl;
	size_t got;
	int ret;

	(void)argc;
	if (follow && lhv_parse_uint(follow, 32, &seconds)) {
		lhvctl_err("--follow: seconds to keep reading (0: forever)");
		return LHVCTL_EXIT_USAGE;
	}
	ret = lhvctl_connect(&nl);
	if (ret)
		return ret;
	do {
		do {
			ret = console_once(nl, argv[0], &cursor, &got);
		} while (!ret && got);
		if (ret || !follow)
			break;
		nanosleep(&nap, NULL);
		polls++;
	} while (!seconds || polls < seconds * 10);
	lhv_nl_close(nl);
	return ret;
}

/* Most bytes vm send reads from its standard input ("-"). */
#define SEND_STDIN_MAX (1u << 20)
/* Tries without progress before the console's FIFO counts as stuck. */
#define SEND_STALLS_MAX 250
#define SEND_STALL_NS (20 * 1000 * 1000)

/* The text of vm send: the argument, or standard input for "-". */
static char *send_text(const char *arg, bool newline, size_t *len)
{
	size_t n = 0, cap = SEND_STDIN_MAX + 2, got;
	char *buf;

	buf = malloc(strcmp(arg, "-") ? strlen(arg) + 2 : cap);
	if (!buf)
		return NULL;
	if (strcmp(arg, "-")) {
		n = strlen(arg);
		memcpy(buf, arg, n);
	} else {
		while ((got = fread(buf + n, 1, SEND_STDIN_MAX + 1 - n,
				    stdin)) > 0)
			n += got;
		if (ferror(stdin) || n > SEND_STDIN_MAX) {
			lhvctl_err("standard input: unreadable or more than "
				   "%u bytes",
				   SEND_STDIN_MAX);
			free(buf);
			return NULL;
		}
	}
	if (newline)
		buf[n++] = '\n';
	*len = n;
	return buf;
}

/* One VM_CONSOLE_WRITE of at most LHV_VM_CONSOLE_IN_MAX bytes. */
static int send_piece(struct lhv_nl *nl, const char *vm, const char *p,
		      size_t len, uint32_t *accepted)
{
	struct lhv_parse_err perr;
	struct lhv_nl_result res;
	struct nlmsghdr *req;
	int ret;

	req = lhv_nl_request(nl, LHV_CMD_VM_CONSOLE_WRITE);
	if (lhv_req_console_write(req, LHV_NL_REQ_SIZE, vm, p, len)) {
		lhvctl_err("VM name too long to fit in a netlink message");
		return LHVCTL_EXIT_FAIL;
	}
	ret = lhvctl_call(nl, req, true, &res);
	if (ret)
		return ret;
	if (lhv_parse_console_accepted(res.reply, accepted, &perr) ||
	    *accepted > len) {
		lhvctl_err("bad VM_CONSOLE_WRITE reply from the lhv module: %s",
			   perr.msg[0] ? perr.msg : "more bytes than sent");
		return LHVCTL_EXIT_FAIL;
	}
	return LHVCTL_EXIT_OK;
}

int cmd_vm_send(struct lhvctl *ctl, int argc, char **argv)
{
	const struct timespec nap = { 0, SEND_STALL_NS };
	bool newline = !lhvctl_opt(ctl, "no-newline");
	unsigned int stalls = 0;
	size_t len, off = 0, piece;
	uint32_t accepted;
	struct lhv_nl *nl;
	char *text;
	int ret;

	(void)argc;
	text = send_text(argv[1], newline, &len);
	if (!text)
		return LHVCTL_EXIT_FAIL;
	ret = len ? lhvctl_connect(&nl) : LHVCTL_EXIT_OK;
	if (ret || !len) {
		free(text);
		return ret;
	}
	while (off < len) {
		piece = len - off;
		if (piece > LHV_VM_CONSOLE_IN_MAX)
			piece = LHV_VM_CONSOLE_IN_MAX;
		ret = send_piece(nl, argv[0], text + off, piece, &accepted);
		if (ret)
			break;
		off += accepted;
		/* The guest drains its FIFO as it polls: give it time. */
		stalls = accepted ? 0 : stalls + 1;
		if (stalls > SEND_STALLS_MAX) {
			lhvctl_err("%s does not read its console: %zu of %zu "
				   "bytes sent",
				   argv[0], off, len);
			ret = LHVCTL_EXIT_FAIL;
			break;
		}
		if (accepted < piece)
			nanosleep(&nap, NULL);
	}
	lhv_nl_close(nl);
	free(text);
	return ret;
}
