// SPDX-License-Identifier: BSD-3-Clause
/*
 * lhvctl hv enable|disable|status: the hypervisor, through the module.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lhv/hypercall.h>

#include <lhv/netlink.h>

#include "lhvctl.h"
#include "reply.h"

static void print_hv_status(struct out *o, const struct lhv_status *st)
{
	char buf[32];

	out_begin(o);
	out_str(o, "state", "state",
		lhv_hv_state_label(st->hv_state, buf, sizeof(buf)));
	if (st->hv_image_size) {
		out_uint(o, "image_size", "image size", st->hv_image_size);
		out_uint(o, "mem_size", "hv memory", st->hv_mem_size);
		out_uint(o, "cpus", "CPUs", st->hv_cpus);
		out_str(o, "seed", "platform seed",
			lhv_hv_seed_name(st->hv_seed));
	}
	if (st->hv_vendor) {
		out_str(o, "vendor", "virtualization",
			st->hv_vendor == LHV_HC_VENDOR_AMD_SVM	   ? "amd-svm"
			: st->hv_vendor == LHV_HC_VENDOR_INTEL_VMX ? "intel-vmx"
								   : "unknown");
		out_bool(o, "nested_paging", "nested paging",
			 st->hv_features & LHV_HC_HW_NPT);
		out_bool(o, "next_rip", "next RIP saved",
			 st->hv_features & LHV_HC_HW_NRIP);
		out_bool(o, "decode_assists", "decode assists",
			 st->hv_features & LHV_HC_HW_DECODE);
		out_bool(o, "la57", "5-level paging",
			 st->hv_features & LHV_HC_HW_LA57);
	}
	out_end(o);
}

int cmd_hv_status(struct lhvctl *ctl, int argc, char **argv)
{
	struct lhv_status st;
	int ret;

	(void)argc;
	(void)argv;

	ret = lhvctl_get_status(&st);
	if (ret)
		return ret;
	print_hv_status(&ctl->out, &st);
	return LHVCTL_EXIT_OK;
}

static int hv_simple(uint8_t cmd)
{
	struct lhv_nl_result res;
	struct lhv_nl *nl;
	int ret;

	ret = lhvctl_connect(&nl);
	if (ret)
		return ret;
	ret = lhvctl_call(nl, lhv_nl_request(nl, cmd), false, &res);
	lhv_nl_close(nl);
	return ret;
}

int cmd_hv_enable(struct lhvctl *ctl, int argc, char **argv)
{
	(void)ctl;
	(void)argc;
	(void)argv;
	return hv_simple(LHV_CMD_HV_ENABLE);
}

int cmd_hv_disable(struct lhvctl *ctl, int argc, char **argv)
{
	(void)ctl;
	(void)argc;
	(void)argv;
	return hv_simple(LHV_CMD_HV_DISABLE);
}

/* The hv's log ring, as lhv.ko shows it in sysfs (root only). */
#define LHV_HV_LOG_PATH "/sys/class/lhv/hv_log"

int cmd_hv_log(struct lhvctl *ctl, int argc, char **argv)
{
	char buf[8192], *line, *next;
	size_t n;
	FILE *f;

	(void)argc;
	(void)argv;

	f = fopen(LHV_HV_LOG_PATH, "r");
	if (!f) {
		lhvctl_err("cannot read %s: %s%s", LHV_HV_LOG_PATH,
			   strerror(errno),
			   errno == ENOENT ? " (modprobe lhv)" : "");
		return LHVCTL_EXIT_FAIL;
	}
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';

	if (ctl->out.fmt == OUT_JSON) {
		fputs("{\"log\":", stdout);
		json_write_str(stdout, buf);
		fputs("}\n", stdout);
		return LHVCTL_EXIT_OK;
	}
	/* Line by line, so control bytes cannot reach the terminal. */
	for (line = buf; *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		else
			next = line + strlen(line);
		out_write_safe(stdout, line);
		fputc('\n', stdout);
	}
	return LHVCTL_EXIT_OK;
}

struct stats_list {
	struct lhv_hv_cpu_stats *v;
	size_t n, cap;
	struct lhv_parse_err perr;
	bool bad_reply, no_memory;
};

static int collect_stats(const struct nlmsghdr *nlh, void *data)
{
	struct stats_list *l = data;
	struct lhv_hv_cpu_stats *grown;
	size_t cap;

	if (l->n == l->cap) {
		cap = l->cap ? 2 * l->cap : 8;
		grown = realloc(l->v, cap * sizeof(*grown));
		if (!grown) {
			l->no_memory = true;
			return 1;
		}
		l->v = grown;
		l->cap = cap;
	}
	if (lhv_parse_hv_stats(nlh, &l->v[l->n], &l->perr)) {
		l->bad_reply = true;
		return 1;
	}
	l->n++;
	return 0;
}

static void print_stats_json(FILE *f, const struct lhv_hv_cpu_stats *st)
{
	unsigned int r;

	fprintf(f, "{\"cpu\":%" PRIu32 ",\"exits\":%" PRIu64, st->cpu,
		st->exits);
	for (r = 0; r < LHV_EXIT_REASON_COUNT; r++)
		fprintf(f,
			",\"%s\":{\"count\":%" PRIu64 ",\"cycles\":%" PRIu64
			"}",
			lhv_exit_reason_name(r), st->count[r], st->cycles[r]);
	fputs("}\n", f);
}

static int print_stats_table(FILE *f, const struct stats_list *l)
{
	const char *heads[2 + LHV_EXIT_REASON_COUNT + 1];
	char cells_buf[2 + LHV_EXIT_REASON_COUNT + 1][24];
	const char *cells[2 + LHV_EXIT_REASON_COUNT + 1];
	const unsigned int ncols = 2 + LHV_EXIT_REASON_COUNT + 1;
	struct out_table t;
	unsigned int r;
	size_t i;

	heads[0] = "CPU";
	heads[1] = "EXITS";
	for (r = 0; r < LHV_EXIT_REASON_COUNT; r++)
		heads[2 + r] = lhv_exit_reason_name(r);
	heads[ncols - 1] = "CYCLES/EXIT";
	if (out_table_init(&t, ncols, heads))
		goto no_memory;
	for (i = 0; i < l->n; i++) {
		const struct lhv_hv_cpu_stats *st = &l->v[i];
		uint64_t cycles = 0;

		snprintf(cells_buf[0], sizeof(cells_buf[0]), "%" PRIu32,
			 st->cpu);
		snprintf(cells_buf[1], sizeof(cells_buf[1]), "%" PRIu64,
			 st->exits);
		for (r = 0; r < LHV_EXIT_REASON_COUNT; r++) {
			snprintf(cells_buf[2 + r], sizeof(cells_buf[2 + r]),
				 "%" PRIu64, st->count[r]);
			cycles += st->cycles[r];
		}
		snprintf(cells_buf[ncols - 1], sizeof(cells_buf[ncols - 1]),
			 "%" PRIu64, st->exits ? cycles / st->exits : 0);
		for (r = 0; r < ncols; r++)
			cells[r] = cells_buf[r];
		if (out_table_add(&t, cells)) {
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

int cmd_hv_stats(struct lhvctl *ctl, int argc, char **argv)
{
	struct stats_list l = { 0 };
	struct lhv_nl_result res;
	struct nlmsghdr *req;
	struct lhv_nl *nl;
	size_t i;
	int ret;

	(void)argc;
	(void)argv;

	ret = lhvctl_connect(&nl);
	if (ret)
		return ret;
	req = lhv_nl_dump_request(nl, LHV_CMD_HV_STATS);
	ret = lhvctl_dump(nl, req, collect_stats, &l, &res);
	lhv_nl_close(nl);
	if (!ret && l.no_memory) {
		lhvctl_err("out of memory");
		ret = LHVCTL_EXIT_FAIL;
	} else if (!ret && l.bad_reply) {
		lhvctl_err("bad reply from the kernel: %s", l.perr.msg);
		ret = LHVCTL_EXIT_FAIL;
	}
	if (!ret) {
		if (ctl->out.fmt == OUT_JSON)
			for (i = 0; i < l.n; i++)
				print_stats_json(ctl->out.f, &l.v[i]);
		else
			ret = print_stats_table(ctl->out.f, &l);
	}
	free(l.v);
	return ret;
}
