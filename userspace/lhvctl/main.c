// SPDX-License-Identifier: BSD-3-Clause
/*
 * lhvctl: the command-line client of the lhv service module. This file
 * parses the command line and dispatches through the command table; each
 * command lives in its own file.
 *
 * The global options (--json, --help) may stand anywhere before "--":
 * lhvctl --json status and lhvctl status --json are the same. Words that
 * are not options name the command (walking down groups such as "vm") and
 * then its arguments. A command's own options (blk add --vm <vm>) follow
 * its name; an option's value is the next word, whatever it looks like, or
 * follows an "=" (--vm=service).
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lhv/version.h>

#include "lhvctl.h"

static int cmd_help(struct lhvctl *ctl, int argc, char **argv);

static const struct lhvctl_opt vm_create_opts[] = {
	{ "cpus", "<n[,n...]>", "SOS CPUs that become the VM's vCPUs (1-4)",
	  true },
	{ "mem", "<size>", "memory, a multiple of 2M, at most 3G", true },
	{ "uuid", "<uuid>", "the VM's UUID (default: random)", false },
	{ "profile", "<p>", "linux (default) or android: vSEED derivation",
	  false },
	{ .name = NULL },
};

static const struct lhvctl_opt vm_console_opts[] = {
	{ "follow", "<s>", "keep reading for <s> seconds (0: forever)", false },
	{ .name = NULL },
};

static const struct lhvctl_opt vm_stop_opts[] = {
	{ "force", NULL, "stop the vCPUs at once, do not ask the guest",
	  false },
	{ "timeout", "<s>", "wait for poweroff, then force (30; 0: only ask)",
	  false },
	{ .name = NULL },
};

static const struct lhvctl_opt vm_send_opts[] = {
	{ "no-newline", NULL, "do not end the text with a newline", false },
	{ .name = NULL },
};

static const struct lhvctl_opt vm_load_opts[] = {
	{ "kernel", "<bzImage>", "the kernel", true },
	{ "initrd", "<file>", "the initial ramdisk", false },
	{ "cmdline", "<string>", "the kernel command line (signed as is)",
	  false },
	{ "kernel-sig", "<file>", "kernel signature (<bzImage>.sig)", false },
	{ "initrd-sig", "<file>", "initrd signature (<file>.sig)", false },
	{ "cmdline-sig", "<file>",
	  "command line signature (<bzImage>.cmdline.sig)", false },
	{ "trusted-key", "<pem>",
	  "public key to trust (/etc/lhv/trusted-key.pem)", false },
	{ "insecure", NULL, "boot unsigned or badly signed images (warns)",
	  false },
	{ "mem", "<MiB>", "guest RAM in MiB, a multiple of 2 (1024)", false },
	{ "cpus", "<n>", "vCPUs, 1..64 (1)", false },
	{ "tsc-khz", "<kHz>",
	  "TSC frequency the guest is told (default: the module's)", false },
	{ "dry-run", NULL, "build in memory and write it to --out", false },
	{ "out", "<dir>", "where --dry-run writes the image", false },
	{ .name = NULL },
};

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
	{
		.name = "create",
		.args = "<name>",
		.summary = "create a user VM on CPUs taken from the SOS",
		.help = "Create user VM <name>: its memory comes from the\n"
			"SOS in 2 MiB blocks, its CPUs go offline in the SOS\n"
			"and run the VM's vCPUs under the hypervisor. Load it\n"
			"through /dev/lhv-<name>, then start it.",
		.nargs = 1,
		.opts = vm_create_opts,
		.run = cmd_vm_create,
	},
	{
		.name = "start",
		.args = "<name>",
		.summary = "start a loaded or stopped VM",
		.help = "Run the VM's vCPUs from their boot state.",
		.nargs = 1,
		.run = cmd_vm_start,
	},
	{
		.name = "stop",
		.args = "<name>",
		.summary = "shut a running VM down, or stop it at once",
		.help = "Ask the guest to shut down (\"shutdown\" on its\n"
			"lifecycle channel, COM2: docs/uvm.md) and wait up to\n"
			"--timeout seconds for it to power off, printing its\n"
			"events as lhvctl monitor does. If it does not, stop\n"
			"it by force and exit with status 3. --force stops\n"
			"the vCPUs at once, where they are. Exit status 1 if\n"
			"the guest crashed instead.",
		.nargs = 1,
		.opts = vm_stop_opts,
		.run = cmd_vm_stop,
	},
	{
		.name = "destroy",
		.args = "<name>",
		.summary = "destroy a user VM",
		.help = "Stop the VM, give its CPUs back to the SOS (online\n"
			"again), scrub and free its memory.",
		.nargs = 1,
		.run = cmd_vm_destroy,
	},
	{
		.name = "console",
		.args = "<name>",
		.summary = "print a VM's console",
		.help = "Print what the VM wrote to its COM1, as far as the\n"
			"hypervisor keeps it (16 KiB). --follow <s> keeps\n"
			"reading for <s> seconds (0: until interrupted).",
		.nargs = 1,
		.opts = vm_console_opts,
		.run = cmd_vm_console,
	},
	{
		.name = "send",
		.args = "<name> <text>",
		.summary = "type text into a VM's console",
		.help = "Put <text> and a newline into the receive FIFO of\n"
			"the VM's COM1, in pieces of at most 256 bytes,\n"
			"waiting while the FIFO is full (the guest polls it);\n"
			"fails if the guest takes nothing for about 5 s.\n"
			"<text> \"-\" sends standard input (at most 1 MiB).",
		.nargs = 2,
		.opts = vm_send_opts,
		.run = cmd_vm_send,
	},
	{
		.name = "load",
		.args = "<name>",
		.summary = "verify and build a user VM's boot image",
		.help = "Verify the kernel (a bzImage), initrd and command\n"
			"line against detached signatures (<file>.sig, the\n"
			"command line's <kernel>.cmdline.sig) and the trusted\n"
			"key, print their SHA-256 measurements, and build the\n"
			"VM's memory for the Linux 64-bit boot protocol.\n"
			"Unsigned or badly signed images are refused unless\n"
			"--insecure is given. The hypervisor measures the\n"
			"kernel, initrd and command line as placed at each\n"
			"start; their SHA-256 is printed as \"measure "
			"<kind>\"\n"
			"lines. --dry-run writes the image to <dir> instead\n"
			"(docs/uos-boot.md).",
		.nargs = 1,
		.opts = vm_load_opts,
		.run = cmd_vm_load,
	},
	{ .name = NULL },
};

static const struct lhvctl_opt blk_add_opts[] = {
	{ "vm", "<vm>", "the VM that gets the device", true },
	{ "path", "<backing>", "block device or regular file to serve", true },
	{ "start", "<sector>", "first sector of the window (default 0)",
	  false },
	{ "sectors", "<n>", "sectors in the window, 0 = to the end (default 0)",
	  false },
	{ "ro", NULL, "read-only: the guest may not write", false },
	{ "serial", "<s>", "serial number the guest reads (at most 20 bytes)",
	  false },
	{ "queues", "<n>", "request queues, 1..16 (default 1)", false },
	{ "queue-size", "<n>", "entries per queue, power of 2, 2..1024 (256)",
	  false },
	{ "cache", "<mode>", "writeback (default) or writethrough", false },
	{ .name = NULL },
};

static const struct lhvctl_opt blk_del_opts[] = {
	{ "vm", "<vm>", "the VM the device belongs to", true },
	{ .name = NULL },
};

static const struct lhvctl_opt blk_list_opts[] = {
	{ "vm", "<vm>", "only the devices of this VM", false },
	{ .name = NULL },
};

static const struct lhvctl_opt heci_add_opts[] = {
	{ "vm", "<vm>", "the VM that gets the device", true },
	{ "backend", "<mei|sim>", "the SOS's ME clients, or the simulator",
	  true },
	{ "allow", "<uuid>[,<uuid>]...",
	  "ME clients the guest may see (repeatable)", false },
	{ "max-msg-len", "<n>", "mei: longest message, 16..4096 (4096)",
	  false },
	{ .name = NULL },
};

/* Each table, its { NULL } end included, fits struct lhvctl's optv. */
#define OPTS_FIT(t) (sizeof(t) / sizeof((t)[0]) <= LHVCTL_MAX_OPTS + 1)
_Static_assert(OPTS_FIT(blk_add_opts), "raise LHVCTL_MAX_OPTS");
_Static_assert(OPTS_FIT(blk_del_opts), "raise LHVCTL_MAX_OPTS");
_Static_assert(OPTS_FIT(heci_add_opts), "raise LHVCTL_MAX_OPTS");
_Static_assert(OPTS_FIT(blk_list_opts), "raise LHVCTL_MAX_OPTS");
_Static_assert(OPTS_FIT(vm_load_opts), "raise LHVCTL_MAX_OPTS");
_Static_assert(OPTS_FIT(vm_create_opts), "raise LHVCTL_MAX_OPTS");
_Static_assert(OPTS_FIT(vm_console_opts), "raise LHVCTL_MAX_OPTS");
_Static_assert(OPTS_FIT(vm_stop_opts), "raise LHVCTL_MAX_OPTS");
_Static_assert(OPTS_FIT(vm_send_opts), "raise LHVCTL_MAX_OPTS");

static const struct lhvctl_cmd blk_cmds[] = {
	{
		.name = "add",
		.args = "",
		.summary = "attach a virtio-blk device to a VM",
		.help = "Attach a virtio-blk device to VM <vm>, served from\n"
			"<backing> (a block device or a regular file) by the\n"
			"lhv_blk module. The guest sees the window of <n>\n"
			"sectors of 512 bytes from <sector>. Sizes and\n"
			"offsets are plain sector counts (no suffixes), in\n"
			"decimal or 0x hex. Only the syntax is checked here;\n"
			"the module judges the rest and says why it refuses.\n"
			"On the service VM the disk appears at once in the\n"
			"Service OS. Prints the device as the module made it.",
		.nargs = 0,
		.opts = blk_add_opts,
		.run = cmd_blk_add,
	},
	{
		.name = "del",
		.args = "<id|name>",
		.summary = "detach and destroy a device",
		.help = "Detach the device with id <id> (a number) or name\n"
			"<name> (such as blk0) from VM <vm> and destroy it;\n"
			"in-flight requests end first. A name is looked up\n"
			"among the VM's blk devices; an id is passed on as\n"
			"is, and names a device of any type.",
		.nargs = 1,
		.opts = blk_del_opts,
		.run = cmd_blk_del,
	},
	{
		.name = "list",
		.args = "",
		.summary = "list blk devices",
		.help = "List the blk devices of every VM, or of VM <vm>:\n"
			"a table with a header line, or with --json one\n"
			"object per device and line (none: no output).",
		.nargs = 0,
		.opts = blk_list_opts,
		.run = cmd_blk_list,
	},
	{ .name = NULL },
};

static const struct lhvctl_opt xhci_add_opts[] = {
	{ "vm", "<vm>", "the user VM that gets the controller", true },
	{ "usb-port", "<bus>-<port>[.<port>]...",
	  "SOS USB port whose device the guest gets", false },
	{ "role-switch", "<name>", "SOS USB role switch the guest drives (DRD)",
	  false },
	{ .name = NULL },
};
_Static_assert(OPTS_FIT(xhci_add_opts), "raise LHVCTL_MAX_OPTS");

static const struct lhvctl_cmd xhci_cmds[] = {
	{
		.name = "add",
		.summary = "give a user VM an emulated xHCI controller",
		.help = "Put an emulated xHCI controller (4 USB 2 and 4 USB 3\n"
			"ports) on the virtual PCI bus of user VM <vm>, "
			"served\n"
			"by the lhv_xhci module; the guest's xhci_pci drives\n"
			"it. Add it before the VM starts. With --usb-port the\n"
			"device plugged into that SOS port (as in sysfs, e.g.\n"
			"1-1) goes to the guest instead of the SOS's drivers;\n"
			"the port must be empty when the controller is added.\n"
			"With --role-switch the controller gets a dual-role\n"
			"register whose writes set that SOS role switch "
			"(named\n"
			"by its software node, e.g. intel-xhci-usb-sw).",
		.nargs = 0,
		.opts = xhci_add_opts,
		.run = cmd_xhci_add,
	},
	{
		.name = "del",
		.args = "<id|name>",
		.summary = "remove an xHCI controller",
		.help = "Remove the controller with id <id> or name <name>\n"
			"(such as xhci0) from VM <vm>, which must not run.",
		.nargs = 1,
		.opts = blk_del_opts,
		.run = cmd_xhci_del,
	},
	{
		.name = "list",
		.summary = "list xHCI controllers",
		.help = "List the xHCI controllers of every VM, or of VM <vm>.",
		.nargs = 0,
		.opts = blk_list_opts,
		.run = cmd_xhci_list,
	},
	{ .name = NULL },
};

static const struct lhvctl_opt usb_assign_opts[] = {
	{ "vm", "<vm>", "the user VM whose controller gets the port", true },
	{ "port", "<bus>-<port>[.<port>]...", "the SOS USB port, as in sysfs",
	  true },
	{ "controller", "<xhciN>", "which controller (default: the first)",
	  false },
	{ "guest-port", "<n>", "guest root port, 1-4 or its USB 3 pair 5-8",
	  false },
	{ .name = NULL },
};
_Static_assert(OPTS_FIT(usb_assign_opts), "raise LHVCTL_MAX_OPTS");

static const struct lhvctl_opt usb_list_opts[] = {
	{ "vm", "<vm>", "only the ports of this VM", false },
	{ .name = NULL },
};

static const struct lhvctl_cmd usb_cmds[] = {
	{
		.name = "assign",
		.summary = "give an SOS USB port to a user VM",
		.help = "Give SOS USB port <port> to an xHCI controller of "
			"user\n"
			"VM <vm>, also while it runs. The port is claimed: "
			"what\n"
			"is plugged in there, now or later, goes to the guest\n"
			"(a device there now loses its SOS drivers and is\n"
			"reset) on guest root port <n> (1-4) or, when\n"
			"SuperSpeed, on its pair <n>+4. Without --guest-port\n"
			"the lowest free pair. A port belongs to one VM.",
		.nargs = 0,
		.opts = usb_assign_opts,
		.run = cmd_usb_assign,
	},
	{
		.name = "release",
		.args = "<port>",
		.summary = "give an SOS USB port back to the SOS",
		.help = "Take SOS USB port <port> from the VM it was given\n"
			"to: the guest sees the device go, its transfers end,\n"
			"and the SOS's drivers bind to it again.",
		.nargs = 1,
		.run = cmd_usb_release,
	},
	{
		.name = "list",
		.summary = "list assigned SOS USB ports",
		.help = "List the SOS USB ports given to VMs (of VM <vm>):\n"
			"controller, guest ports and the device forwarded.",
		.nargs = 0,
		.opts = usb_list_opts,
		.run = cmd_usb_list,
	},
	{ .name = NULL },
};

static const struct lhvctl_cmd heci_cmds[] = {
	{
		.name = "add",
		.summary = "attach a virtio HECI (MEI) device to a VM",
		.help = "Attach a virtio HECI device to VM <vm>, served by "
			"the\n"
			"lhv_heci module. With --backend sim the guest sees\n"
			"the built-in ME simulator's clients (all of them, or\n"
			"those --allow names); with --backend mei the Service\n"
			"OS's ME clients that --allow names (at least one).\n"
			"A UUID is written 8-4-4-4-12 in hex.",
		.nargs = 0,
		.opts = heci_add_opts,
		.run = cmd_heci_add,
	},
	{
		.name = "del",
		.args = "<id|name>",
		.summary = "detach a heci device",
		.help = "Detach the heci device with id <id> or name <name>\n"
			"(such as heci0) from VM <vm> and destroy it; the\n"
			"guest's connections end first.",
		.nargs = 1,
		.opts = blk_del_opts,
		.run = cmd_heci_del,
	},
	{
		.name = "list",
		.summary = "list heci devices",
		.help = "List the heci devices of every VM, or of VM <vm>:\n"
			"backend, the clients the guest sees and the vtag.",
		.nargs = 0,
		.opts = blk_list_opts,
		.run = cmd_heci_list,
	},
	{ .name = NULL },
};

static const struct lhvctl_opt snd_add_opts[] = {
	{ "vm", "<vm>", "the VM that gets the device", true },
	{ "jacks", "<n>", "jacks the guest sees, 0..8 (default 0)", false },
	{ "chmaps", NULL, "one channel map per stream", false },
	{ .name = NULL },
};

_Static_assert(OPTS_FIT(snd_add_opts), "raise LHVCTL_MAX_OPTS");

static const struct lhvctl_cmd snd_cmds[] = {
	{
		.name = "add",
		.args = "[<stream>...]",
		.summary = "attach a virtio-snd device to a VM",
		.help = "Attach a virtio-snd device to VM <vm>, served by the\n"
			"lhv_snd module; in the Service OS its streams appear\n"
			"as the ALSA card lhv_<vm>, each in the opposite\n"
			"direction. Each <stream> is out|in[,channels=N[-M]]\n"
			"[,formats=s16,s32,...][,rates=44100,48000,...];\n"
			"without any: one out and one in stream, channels\n"
			"1-8, s16 and s32, 44100 and 48000.",
		.nargs = -1,
		.opts = snd_add_opts,
		.run = cmd_snd_add,
	},
	{
		.name = "del",
		.args = "<name|id>",
		.summary = "detach a virtio-snd device",
		.help = "Detach the snd device with id <id> or called <name>\n"
			"(such as snd0) from VM <vm> and destroy it; waits\n"
			"until the Service OS closes the device's card.",
		.nargs = 1,
		.opts = blk_del_opts,
		.run = cmd_snd_del,
	},
	{
		.name = "list",
		.args = "",
		.summary = "list snd devices",
		.help = "List the snd devices of every VM, or of VM <vm>:\n"
			"a table with one line per stream, or with --json one\n"
			"object per device and line.",
		.nargs = 0,
		.opts = blk_list_opts,
		.run = cmd_snd_list,
	},
	{ .name = NULL },
};

static const struct lhvctl_cmd hv_cmds[] = {
	{
		.name = "enable",
		.args = "",
		.summary = "start the hypervisor under the running system",
		.help = "Load lhv/lhv.bin (from the firmware directory) and\n"
			"enter it on every online CPU: the system goes on\n"
			"running as the hypervisor's Service OS.",
		.nargs = 0,
		.run = cmd_hv_enable,
	},
	{
		.name = "disable",
		.args = "",
		.summary = "return every CPU to bare metal",
		.help = "Leave the hypervisor on every CPU. The image stays\n"
			"loaded until the lhv module unloads.",
		.nargs = 0,
		.run = cmd_hv_disable,
	},
	{
		.name = "status",
		.args = "",
		.summary = "show the hypervisor's state and footprint",
		.help = "Print the hypervisor's state (absent, loaded,\n"
			"running, failed) and, once an image was loaded, its\n"
			"size, the memory given to it and the CPUs it runs on.",
		.nargs = 0,
		.run = cmd_hv_status,
	},
	{
		.name = "log",
		.args = "",
		.summary = "print the hypervisor's log",
		.help = "Print the newest text of the hypervisor's log ring\n"
			"(/sys/class/lhv/hv_log, readable by root), which the\n"
			"hypervisor writes without any call into the module.\n"
			"Empty until an image was loaded.",
		.nargs = 0,
		.run = cmd_hv_log,
	},
	{
		.name = "stats",
		.args = "",
		.summary = "show the hypervisor's exit statistics",
		.help = "Print, for each CPU under the hypervisor, its exits\n"
			"by reason (cpuid, hypercall, msr, npf, ...) and the\n"
			"TSC cycles the hypervisor spent per exit, counted\n"
			"since the last enable. --json: one object per CPU.",
		.nargs = 0,
		.run = cmd_hv_stats,
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
		.summary = "inspect and load VMs",
		.help = "Commands about VMs.",
		.sub = vm_cmds,
	},
	{
		.name = "monitor",
		.args = "",
		.summary = "print VM state changes as they happen",
		.help = "Listen on the \"vm\" multicast group and print one\n"
			"line per event until interrupted:\n"
			"  vm <name> id <n> <event> state <state> [reason "
			"<r>]\n"
			"<r> is the crash reason or the stop reason. With\n"
			"--json one object per line (vm, id, event, state,\n"
			"reason).",
		.nargs = 0,
		.run = cmd_monitor,
	},
	{
		.name = "blk",
		.args = "<command>",
		.summary = "manage virtio-blk devices",
		.help = "Attach, detach and list virtio-blk devices of VMs\n"
			"(served by the lhv_blk module).",
		.sub = blk_cmds,
	},
	{
		.name = "heci",
		.args = "<command>",
		.summary = "manage virtio HECI (MEI) devices",
		.help = "Attach, detach and list virtio HECI devices of VMs\n"
			"(served by the lhv_heci module).",
		.sub = heci_cmds,
	},
	{
		.name = "xhci",
		.args = "<command>",
		.summary = "manage emulated xHCI controllers",
		.help = "Add, remove and list the emulated xHCI controllers "
			"of\n"
			"user VMs (served by the lhv_xhci module).",
		.sub = xhci_cmds,
	},
	{
		.name = "usb",
		.args = "<command>",
		.summary = "assign SOS USB ports to user VMs",
		.help = "Give SOS USB ports to the xHCI controllers of user\n"
			"VMs, take them back, list them (lhv_xhci).",
		.sub = usb_cmds,
	},
	{
		.name = "snd",
		.args = "<command>",
		.summary = "manage virtio-snd devices",
		.help = "Attach, detach and list virtio-snd devices of VMs\n"
			"(served by the lhv_snd module).",
		.sub = snd_cmds,
	},
	{
		.name = "hv",
		.args = "<command>",
		.summary = "control the hypervisor",
		.help = "Enable, disable and inspect the hypervisor.",
		.sub = hv_cmds,
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

/* Command lists put summaries in a column at most this far right. */
#define LIST_WIDTH_MAX 28

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

/*
 * What follows a command's name, the way it is typed: its required
 * options, the optional ones (by name if only one, else "[<options>]"),
 * then its arguments. Starts with a space unless empty.
 */
static void cmd_tail(char *buf, size_t size, const struct lhvctl_cmd *cmd)
{
	const struct lhvctl_opt *o, *opt1 = NULL;
	size_t len = 0;
	int nopt = 0;

	buf[0] = '\0';
	for (o = cmd->opts; o && o->name; o++) {
		if (!o->required) {
			opt1 = o;
			nopt++;
			continue;
		}
		if (len < size)
			len += snprintf(buf + len, size - len, " --%s%s%s",
					o->name, o->arg ? " " : "",
					o->arg ? o->arg : "");
	}
	if (nopt == 1 && len < size)
		len += snprintf(buf + len, size - len, " [--%s%s%s]",
				opt1->name, opt1->arg ? " " : "",
				opt1->arg ? opt1->arg : "");
	else if (nopt > 1 && len < size)
		len += snprintf(buf + len, size - len, " [<options>]");
	if (cmd->args && cmd->args[0] && len < size)
		snprintf(buf + len, size - len, " %s", cmd->args);
}

/* "prefix name tail", the way a command is typed. */
static void cmd_synopsis(char *buf, size_t size, const char *prefix,
			 const struct lhvctl_cmd *cmd)
{
	char tail[128];

	cmd_tail(tail, sizeof(tail), cmd);
	snprintf(buf, size, "%s%s%s", prefix, cmd->name, tail);
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
		/* Too long for the column: the summary goes below. */
		if ((int)strlen(line) > width)
			fprintf(f, "  %s\n  %-*s  %s\n", line, width, "",
				tbl->summary);
		else
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
	return width < LIST_WIDTH_MAX ? width : LIST_WIDTH_MAX;
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
	fputs("\nExit status: 0 success, 1 failure, 2 usage error, 3 vm stop\n"
	      "had to force the stop.\n",
	      f);
}

static void print_opts(FILE *f, const struct lhvctl_opt *opts)
{
	const struct lhvctl_opt *o;
	char word[64];
	int width = 0, w;

	for (o = opts; o->name; o++) {
		w = snprintf(word, sizeof(word), "--%s%s%s", o->name,
			     o->arg ? " " : "", o->arg ? o->arg : "");
		if (w > width)
			width = w;
	}
	fputs("\nOptions:\n", f);
	for (o = opts; o->name; o++) {
		snprintf(word, sizeof(word), "--%s%s%s", o->name,
			 o->arg ? " " : "", o->arg ? o->arg : "");
		fprintf(f, "  %-*s  %s%s\n", width, word, o->help,
			o->required ? " (required)" : "");
	}
}

static void print_cmd_help(FILE *f, const char *path,
			   const struct lhvctl_cmd *cmd)
{
	char prefix[128], tail[128];

	cmd_tail(tail, sizeof(tail), cmd);
	fprintf(f, "Usage: lhvctl [--json] %s%s%s\n\n%s\n", path, tail,
		cmd->sub ? " [<args>]" : "", cmd->help);
	if (cmd->opts)
		print_opts(f, cmd->opts);
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
static int usage_verror(const char *help_path, const char *fmt, va_list ap)
{
	fputs("lhvctl: ", stderr);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\nTry 'lhvctl %s%s--help'.\n", help_path,
		help_path[0] ? " " : "");
	return LHVCTL_EXIT_USAGE;
}

static int usage_error(const char *help_path, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int usage_error(const char *help_path, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = usage_verror(help_path, fmt, ap);
	va_end(ap);
	return ret;
}

int lhvctl_usage(const struct lhvctl *ctl, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = usage_verror(ctl->path ? ctl->path : "", fmt, ap);
	va_end(ap);
	return ret;
}

const char *lhvctl_opt(const struct lhvctl *ctl, const char *name)
{
	const struct lhvctl_opt *o;

	for (o = ctl->opts; o && o->name; o++)
		if (!strcmp(o->name, name))
			return ctl->optv[o - ctl->opts];
	return NULL;
}

struct cmdline {
	bool json, help, version;
	const struct lhvctl_cmd *cmd; /* the deepest command named */
	char path[128];		      /* its words, "blk add" */
	int nargs;
	char **args; /* its arguments, options removed */
	const char *optv[LHVCTL_MAX_OPTS];
};

/* An option whose value synopsis ends in "..." may be given again. */
static bool opt_repeats(const struct lhvctl_opt *o)
{
	size_t n = o->arg ? strlen(o->arg) : 0;

	return n > 3 && !strcmp(o->arg + n - 3, "...");
}

/* argv[*i] is an option of cl->cmd, or a usage error; takes its value. */
static int take_cmd_option(struct cmdline *cl, int argc, char **argv, int *i)
{
	const char *a = argv[*i], *name, *eq, *val;
	const struct lhvctl_opt *o = NULL;
	char *joined;
	size_t len;
	int idx;

	if (!strncmp(a, "--", 2) && cl->cmd && !cl->cmd->sub && cl->cmd->opts) {
		name = a + 2;
		eq = strchr(name, '=');
		len = eq ? (size_t)(eq - name) : strlen(name);
		for (o = cl->cmd->opts; o->name; o++)
			if (strlen(o->name) == len &&
			    !strncmp(o->name, name, len))
				break;
		if (!o->name)
			o = NULL;
	}
	if (!o)
		return usage_error(cl->path, "unknown option '%s'", a);

	idx = (int)(o - cl->cmd->opts);
	if (cl->optv[idx] && !opt_repeats(o))
		return usage_error(cl->path, "option --%s given twice",
				   o->name);
	if (!o->arg) {
		if (eq)
			return usage_error(cl->path,
					   "option --%s takes no value",
					   o->name);
		val = a;
	} else if (eq) {
		val = eq + 1;
	} else if (*i + 1 < argc) {
		val = argv[++*i];
	} else {
		return usage_error(cl->path, "option --%s needs a value %s",
				   o->name, o->arg);
	}
	if (cl->optv[idx]) {
		/* A repeatable option: its values, joined with commas. */
		joined = malloc(strlen(cl->optv[idx]) + strlen(val) + 2);
		if (!joined)
			return usage_error(cl->path, "out of memory");
		sprintf(joined, "%s,%s", cl->optv[idx], val);
		val = joined;
	}
	cl->optv[idx] = val;
	return LHVCTL_EXIT_OK;
}

/* A word that is no option: the next command name, or an argument. */
static int take_word(struct cmdline *cl, const char *w, bool *walking)
{
	const struct lhvctl_cmd *tbl = cl->cmd ? cl->cmd->sub : commands;
	const struct lhvctl_cmd *next;
	size_t len;

	if (*walking && tbl) {
		next = find_cmd(tbl, w);
		if (next) {
			len = strlen(cl->path);
			snprintf(cl->path + len, sizeof(cl->path) - len, "%s%s",
				 len ? " " : "", w);
			cl->cmd = next;
			return LHVCTL_EXIT_OK;
		}
	}
	/* Once arguments begin, no word names a command any more. */
	*walking = false;
	if (!cl->cmd)
		return usage_error("", "unknown command '%s'", w);
	if (cl->cmd->sub)
		return usage_error(cl->path, "unknown %s command '%s'",
				   cl->path, w);
	cl->args[cl->nargs++] = (char *)w;
	return LHVCTL_EXIT_OK;
}

static int parse_cmdline(int argc, char **argv, struct cmdline *cl)
{
	bool options_done = false, walking = true;
	const char *a;
	int i, ret;

	for (i = 1; i < argc; i++) {
		a = argv[i];
		if (options_done || a[0] != '-' || !a[1])
			ret = take_word(cl, a, &walking);
		else if (!strcmp(a, "--"))
			options_done = true, ret = 0;
		else if (!strcmp(a, "--json"))
			cl->json = true, ret = 0;
		else if (!strcmp(a, "--help") || !strcmp(a, "-h"))
			cl->help = true, ret = 0;
		else if (!cl->cmd &&
			 (!strcmp(a, "--version") || !strcmp(a, "-V")))
			cl->version = true, ret = 0;
		else
			ret = take_cmd_option(cl, argc, argv, &i);
		if (ret)
			return ret;
	}
	return LHVCTL_EXIT_OK;
}

static int dispatch(struct lhvctl *ctl, struct cmdline *cl)
{
	const struct lhvctl_cmd *cmd = cl->cmd;
	const struct lhvctl_opt *o;
	const char *path = cl->path;

	if (cl->version)
		return print_version(ctl);
	if (!cmd) {
		if (cl->help) {
			print_main_help(stdout);
			return LHVCTL_EXIT_OK;
		}
		return usage_error("", "no command given");
	}
	if (cl->help) {
		print_cmd_help(stdout, path, cmd);
		return LHVCTL_EXIT_OK;
	}
	if (cmd->sub)
		return usage_error(path, "%s: which command?", path);

	if (cmd->nargs >= 0 && cl->nargs != cmd->nargs)
		return usage_error(path, "%s takes %d argument%s%s%s, not %d",
				   path, cmd->nargs, cmd->nargs == 1 ? "" : "s",
				   cmd->nargs ? " " : "", cmd->args, cl->nargs);
	for (o = cmd->opts; o && o->name; o++)
		if (o->required && !cl->optv[o - cmd->opts])
			return usage_error(path, "%s needs --%s %s", path,
					   o->name, o->arg ? o->arg : "");

	ctl->path = path;
	ctl->opts = cmd->opts;
	memcpy(ctl->optv, cl->optv, sizeof(ctl->optv));
	return cmd->run(ctl, cl->nargs, cl->args);
}

int main(int argc, char **argv)
{
	struct cmdline cl = { .nargs = 0 };
	struct lhvctl ctl = { .path = NULL };
	int ret;

	cl.args = calloc(argc > 0 ? argc : 1, sizeof(*cl.args));
	if (!cl.args) {
		lhvctl_err("out of memory");
		return LHVCTL_EXIT_FAIL;
	}

	ret = parse_cmdline(argc, argv, &cl);
	if (!ret) {
		out_init(&ctl.out, stdout, cl.json ? OUT_JSON : OUT_HUMAN);
		ret = dispatch(&ctl, &cl);
	}
	free(cl.args);

	/* A full disk or closed pipe must not look like success. */
	if (fflush(stdout) || ferror(stdout)) {
		lhvctl_err("cannot write the output");
		if (!ret)
			ret = LHVCTL_EXIT_FAIL;
	}
	return ret;
}
