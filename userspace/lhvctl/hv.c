// SPDX-License-Identifier: BSD-3-Clause
/*
 * lhvctl hv enable|disable|status: the hypervisor, through the module.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

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
