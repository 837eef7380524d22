// SPDX-License-Identifier: BSD-3-Clause
/*
 * lhvctl: the command-line client of the lhv service module. This file
 * parses the command line and dispatches through the command table; each
 * command lives in its own file.
 *
 * Options may stand anywhere before "--": lhvctl --json status and
 * lhvctl status --json are the same. Words that are not options name the
 * command (walking down groups such as "vm") and then its arguments.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lhv/version.h>

#include "lhvctl.h"

static int cmd_help(struct lhvctl *ctl, int argc, char **argv);

static const struct lhvctl_cmd vm_cmds[] = {
	{
		.name = "show",
		.args = "<name>",
		.summary = "describe one VM",
		.help = "Print the id, name and state of the VM called\n"
			"<name>. The service VM is called \"service\" and\n"
			"has id 0.",
		.nargs = 1,
		.run = cmd_vm_show,
	},
	{ .name = NULL },
};

static const struct lhvctl_cmd commands[] = {
	{
		.name = "status",
		.args = "",
		.summary = "show the module and hypervisor state",
		.help = "Print the lhv module's release and ABI version,\n"
			"the hypervisor's state and the most VMs the module\n"
			"allows. Warns on stderr when the module's ABI\n"
			"differs from lhvctl's.",
		.nargs = 0,
		.run = cmd_status,
	},
	{
		.name = "vm",
		.args = "<command>",
		.summary = "inspect VMs",
		.help = "Commands about VMs.",
		.sub = vm_cmds,
	},
	{
		.name = "help",
		.args = "[<command>]",
		.summary = "show help for lhvctl or for a command",
		.help = "Without a command, list all commands; with one, show\n"
			"its help, as \"lhvctl <command> --help\" does.",
		.nargs = -1,
		.run = cmd_help,
	},
	{ .name = NULL },
};

static const struct lhvctl_cmd *find_cmd(const struct lhvctl_cmd *tbl,
					 const char *name)
{
	for (; tbl->name; tbl++)
		if (!strcmp(tbl->name, name))
			return tbl;
	return NULL;
}

/*
 * Follow the words in words[] down the command table. Returns the deepest
 * command named (NULL if the first word names none) and the number of
 * words it took in *used.
 */
static const struct lhvctl_cmd *walk_cmds(int nwords, char **words, int *used)
{
	const struct lhvctl_cmd *tbl = commands, *cmd = NULL, *next;
	int i;

	for (i = 0; i < nwords && tbl; i++) {
		next = find_cmd(tbl, words[i]);
		if (!next)
			break;
		cmd = next;
		tbl = cmd->sub;
	}
	*used = i;
	return cmd;
}

/* Join the first n words with spaces: the path of a command, "vm show". */
static void join_words(char *buf, size_t size, int n, char **words)
{
	size_t len = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < n && len < size; i++)
		len += snprintf(buf + len, size - len, "%s%s", i ? " " : "",
				words[i]);
}

/* "prefix name args", the way a command is typed. */
static void cmd_synopsis(char *buf, size_t size, const char *prefix,
			 const struct lhvctl_cmd *cmd)
{
	snprintf(buf, size, "%s%s%s%s", prefix, cmd->name,
		 cmd->args && cmd->args[0] ? " " : "",
		 cmd->args ? cmd->args : "");
}

/* List the commands in tbl, groups expanded, values in column width. */
static void list_cmds(FILE *f, const char *prefix, const struct lhvctl_cmd *tbl,
		      int width)
{
	char line[128], sub_prefix[64];

	for (; tbl->name; tbl++) {
		if (tbl->sub) {
			snprintf(sub_prefix, sizeof(sub_prefix), "%s%s ",
				 prefix, tbl->name);
			list_cmds(f, sub_prefix, tbl->sub, width);
			continue;
		}
		cmd_synopsis(line, sizeof(line), prefix, tbl);
		fprintf(f, "  %-*s  %s\n", width, line, tbl->summary);
	}
}

static int list_width(const char *prefix, const struct lhvctl_cmd *tbl)
{
	char line[128], sub_prefix[64];
	int width = 0, w;

	for (; tbl->name; tbl++) {
		if (tbl->sub) {
			snprintf(sub_prefix, sizeof(sub_prefix), "%s%s ",
				 prefix, tbl->name);
			w = list_width(sub_prefix, tbl->sub);
		} else {
			cmd_synopsis(line, sizeof(line), prefix, tbl);
			w = (int)strlen(line);
		}
		if (w > width)
			width = w;
	}
	return width;
}

static void print_main_help(FILE *f)
{
	int width = list_width("", commands);

	if (width < 16)
		width = 16;
	fputs("Usage: lhvctl [--json] <command> [<args>]\n"
	      "       lhvctl --version\n"
	      "\n"
	      "Talk to the lhv hypervisor service module (generic\n"
	      "netlink family \"lhv\").\n"
	      "\n"
	      "Commands:\n",
	      f);
	list_cmds(f, "", commands, width);
	fputs("\nOptions:\n", f);
	fprintf(f, "  %-*s  %s\n", width, "--json",
		"print each result as one JSON object per line");
	fprintf(f, "  %-*s  %s\n", width, "-h, --help",
		"show this help, or a command's after it");
	fprintf(f, "  %-*s  %s\n", width, "-V, --version",
		"print the lhvctl release and ABI version");
	fputs("\nExit status: 0 success, 1 failure, 2 usage error.\n", f);
}

static void print_cmd_help(FILE *f, const char *path,
			   const struct lhvctl_cmd *cmd)
{
	char prefix[128];

	fprintf(f, "Usage: lhvctl [--json] %s%s%s%s\n\n%s\n", path,
		cmd->args && cmd->args[0] ? " " : "",
		cmd->args ? cmd->args : "", cmd->sub ? " [<args>]" : "",
		cmd->help);
	if (cmd->sub) {
		snprintf(prefix, sizeof(prefix), "%s ", path);
		fputs("\nCommands:\n", f);
		list_cmds(f, prefix, cmd->sub, list_width(prefix, cmd->sub));
	}
}

static int cmd_help(struct lhvctl *ctl, int argc, char **argv)
{
	const struct lhvctl_cmd *cmd;
	char path[128];
	int used;

	(void)ctl;
	if (!argc) {
		print_main_help(stdout);
		return LHVCTL_EXIT_OK;
	}
	cmd = walk_cmds(argc, argv, &used);
	if (!cmd || used < argc) {
		lhvctl_err("no such command: %s", argv[used]);
		fputs("Try 'lhvctl --help'.\n", stderr);
		return LHVCTL_EXIT_USAGE;
	}
	join_words(path, sizeof(path), used, argv);
	print_cmd_help(stdout, path, cmd);
	return LHVCTL_EXIT_OK;
}

static int print_version(struct lhvctl *ctl)
{
	if (ctl->out.fmt == OUT_JSON) {
		out_begin(&ctl->out);
		out_str(&ctl->out, "version", "version", LHV_VERSION_STRING);
		out_uint(&ctl->out, "abi_version", "ABI version",
			 LHV_ABI_VERSION);
		out_end(&ctl->out);
	} else {
		printf("lhvctl %s (ABI %d)\n", LHV_VERSION_STRING,
		       LHV_ABI_VERSION);
	}
	return LHVCTL_EXIT_OK;
}

/* Report a usage error with a pointer to the right help; exit code 2. */
static int usage_error(const char *help_path, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int usage_error(const char *help_path, const char *fmt, ...)
{
	va_list ap;

	fputs("lhvctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'lhvctl %s%s--help'.\n", help_path,
		help_path[0] ? " " : "");
	return LHVCTL_EXIT_USAGE;
}

struct cmdline {
	bool json, help, version;
	int nwords;
	char **words; /* command words and arguments, options removed */
};

static int parse_cmdline(int argc, char **argv, struct cmdline *cl)
{
	bool options_done = false;
	const char *a;
	int i;

	for (i = 1; i < argc; i++) {
		a = argv[i];
		if (options_done || a[0] != '-' || !a[1]) {
			cl->words[cl->nwords++] = argv[i];
		} else if (!strcmp(a, "--")) {
			options_done = true;
		} else if (!strcmp(a, "--json")) {
			cl->json = true;
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			cl->help = true;
		} else if (!cl->nwords &&
			   (!strcmp(a, "--version") || !strcmp(a, "-V"))) {
			cl->version = true;
		} else {
			return usage_error("", "unknown option '%s'", a);
		}
	}
	return LHVCTL_EXIT_OK;
}

static int dispatch(struct lhvctl *ctl, const struct cmdline *cl)
{
	const struct lhvctl_cmd *cmd;
	char path[128];
	int used, nargs;

	if (cl->version)
		return print_version(ctl);
	if (!cl->nwords) {
		if (cl->help) {
			print_main_help(stdout);
			return LHVCTL_EXIT_OK;
		}
		return usage_error("", "no command given");
	}

	cmd = walk_cmds(cl->nwords, cl->words, &used);
	if (!cmd)
		return usage_error("", "unknown command '%s'", cl->words[0]);
	join_words(path, sizeof(path), used, cl->words);

	if (cmd->sub && used < cl->nwords)
		return usage_error(path, "unknown %s command '%s'", path,
				   cl->words[used]);
	if (cl->help) {
		print_cmd_help(stdout, path, cmd);
		return LHVCTL_EXIT_OK;
	}
	if (cmd->sub)
		return usage_error(path, "%s: which command?", path);

	nargs = cl->nwords - used;
	if (cmd->nargs >= 0 && nargs != cmd->nargs)
		return usage_error(path, "%s takes %d argument%s%s%s, not %d",
				   path, cmd->nargs, cmd->nargs == 1 ? "" : "s",
				   cmd->nargs ? " " : "", cmd->args, nargs);
	return cmd->run(ctl, nargs, cl->words + used);
}

int main(int argc, char **argv)
{
	struct cmdline cl = { .nwords = 0 };
	struct lhvctl ctl;
	int ret;

	cl.words = calloc(argc > 0 ? argc : 1, sizeof(*cl.words));
	if (!cl.words) {
		lhvctl_err("out of memory");
		return LHVCTL_EXIT_FAIL;
	}

	ret = parse_cmdline(argc, argv, &cl);
	if (!ret) {
		out_init(&ctl.out, stdout, cl.json ? OUT_JSON : OUT_HUMAN);
		ret = dispatch(&ctl, &cl);
	}
	free(cl.words);

	/* A full disk or closed pipe must not look like success. */
	if (fflush(stdout) || ferror(stdout)) {
		lhvctl_err("cannot write the output");
		if (!ret)
			ret = LHVCTL_EXIT_FAIL;
	}
	return ret;
}
