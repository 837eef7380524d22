// SPDX-License-Identifier: BSD-3-Clause
/*
 * lhvctl xhci ...: emulated xHCI controllers of user VMs, served by
 * lhv_xhci. --usb-port names the SOS USB port whose device the guest
 * gets, --role-switch the SOS USB role switch its DRD register drives;
 * the kernel checks both.
 */
#include <stddef.h>
#include <stdint.h>

#include <lhv/netlink.h>

#include "devlist.h"
#include "output.h"
#include "lhvctl.h"
#include "reply.h"
#include "request.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* A controller's record: the forwarded SOS port, if it has one. */
static void put_xhci_dev(struct out *o, const struct lhv_dev_info *d)
{
	static const char *const roles[] = { "none", "host", "device" };
	uint32_t role = d->xhci.role;

	if (d->xhci.present & (UINT32_C(1) << LHV_XHCI_ATTR_USB_PORT))
		out_str(o, "usb_port", "usb port", d->xhci.usb_port);
	if (d->xhci.present & (UINT32_C(1) << LHV_XHCI_ATTR_ROLE_SWITCH))
		out_str(o, "role_switch", "role switch", d->xhci.role_switch);
	if (d->xhci.present & (UINT32_C(1) << LHV_XHCI_ATTR_ROLE))
		out_str(o, "role", "role",
			role < ARRAY_SIZE(roles) ? roles[role] : "unknown");
}

static int build_xhci_add(struct nlmsghdr *req, size_t size, const void *r)
{
	return lhv_req_xhci_add(req, size, r);
}

int cmd_xhci_add(struct lhvctl *ctl, int argc, char **argv)
{
	struct lhv_xhci_req r = {
		.vm = lhvctl_opt(ctl, "vm"),
		.usb_port = lhvctl_opt(ctl, "usb-port"),
		.role_switch = lhvctl_opt(ctl, "role-switch"),
	};

	(void)argc;
	(void)argv;
	return lhvctl_dev_add(ctl, build_xhci_add, &r, LHV_DEV_XHCI,
			      put_xhci_dev, "(a string too long)");
}

int cmd_xhci_del(struct lhvctl *ctl, int argc, char **argv)
{
	(void)argc;
	return lhvctl_dev_del(ctl, argv[0], LHV_DEV_XHCI);
}

static const char *const xhci_heads[] = { "VM", "ID", "NAME", "USB PORT" };

static int xhci_rows(struct out_table *t, const char **cells,
		     const struct lhv_dev_info *d)
{
	cells[3] = d->xhci.usb_port[0] ? d->xhci.usb_port : "-";
	return out_table_add(t, cells);
}

static const struct lhvctl_table xhci_table = {
	xhci_heads,
	ARRAY_SIZE(xhci_heads),
	xhci_rows,
};

int cmd_xhci_list(struct lhvctl *ctl, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return lhvctl_dev_list(ctl, LHV_DEV_XHCI, put_xhci_dev, &xhci_table);
}
