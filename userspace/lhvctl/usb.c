// SPDX-License-Identifier: BSD-3-Clause
/*
 * lhvctl usb ...: SOS USB ports given to the xHCI controllers of user VMs
 * (LHV_CMD_USB_ASSIGN, USB_RELEASE, USB_GET; served by lhv_xhci). The
 * kernel checks paths, ports and guest ports; lhvctl only passes them on.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lhv/netlink.h>

#include "args.h"
#include "devlist.h"
#include "lhvctl.h"
#include "output.h"
#include "reply.h"
#include "request.h"

/* The guest ports as people read them: "1/5". */
static void guest_ports(const struct lhv_usb_port_info *u, char *buf,
			size_t size)
{
	snprintf(buf, size, "%u/%u", u->guest_port, u->guest_port_ss);
}

/* "1d6b:0104 high on 1", or "-" with nothing plugged in. */
static void device_cell(const struct lhv_usb_port_info *u, char *buf,
			size_t size)
{
	char speed[24];

	if (!u->has_dev) {
		snprintf(buf, size, "-");
		return;
	}
	snprintf(buf, size, "%04x:%04x %s on %u", u->dev_vendor & 0xffff,
		 u->dev_product & 0xffff,
		 lhvctl_enum_label(lhv_usb_speed_name(u->dev_speed),
				   u->dev_speed, speed, sizeof(speed)),
		 u->dev_port);
}

/* The JSON object of one port: the same for assign and list. */
static void put_usb_port(struct out *o, const struct lhv_usb_port_info *u)
{
	char buf[32];

	out_str(o, "vm", "VM", u->vm);
	out_str(o, "controller", "controller", u->controller);
	out_uint(o, "controller_id", "controller id", u->dev_id);
	out_str(o, "port", "SOS port", u->port);
	out_uint(o, "guest_port", "guest port (USB 2)", u->guest_port);
	out_uint(o, "guest_port_ss", "guest port (USB 3)", u->guest_port_ss);
	if (!u->has_dev)
		return;
	out_uint(o, "device_port", "device on guest port", u->dev_port);
	out_str(o, "speed", "speed",
		lhvctl_enum_label(lhv_usb_speed_name(u->dev_speed),
				  u->dev_speed, buf, sizeof(buf)));
	snprintf(buf, sizeof(buf), "%04x", u->dev_vendor & 0xffff);
	out_str(o, "vendor", "vendor", buf);
	snprintf(buf, sizeof(buf), "%04x", u->dev_product & 0xffff);
	out_str(o, "product", "product", buf);
}

int cmd_usb_assign(struct lhvctl *ctl, int argc, char **argv)
{
	const char *guest = lhvctl_opt(ctl, "guest-port");
	struct lhv_usb_assign_req r = {
		.vm = lhvctl_opt(ctl, "vm"),
		.port = lhvctl_opt(ctl, "port"),
		.controller = lhvctl_opt(ctl, "controller"),
	};
	struct lhv_usb_port_info u;
	struct lhv_parse_err perr;
	struct lhv_nl_result res;
	struct nlmsghdr *req;
	struct lhv_nl *nl;
	char ports[24];
	uint64_t v;
	int ret;

	(void)argc;
	(void)argv;
	if (guest) {
		/* The range is the kernel's to check; 0 would mean "any". */
		if (lhv_parse_uint(guest, 32, &v) || !v)
			return lhvctl_usage(ctl, "--guest-port takes a port "
						 "number (1-8)");
		r.guest_port = (uint32_t)v;
	}
	ret = lhvctl_connect(&nl);
	if (ret)
		return ret;
	req = lhv_nl_request(nl, LHV_CMD_USB_ASSIGN);
	if (lhv_req_usb_assign(req, LHV_NL_REQ_SIZE, &r)) {
		lhvctl_err("the request does not fit in a netlink message");
		ret = LHVCTL_EXIT_FAIL;
	} else {
		ret = lhvctl_call(nl, req, true, &res);
	}
	if (!ret && lhv_parse_usb_port(res.reply, &u, &perr)) {
		lhvctl_err("bad USB_ASSIGN reply from the lhv module: %s",
			   perr.msg);
		ret = LHVCTL_EXIT_FAIL;
	}
	lhv_nl_close(nl);
	if (ret)
		return ret;
	out_begin(&ctl->out);
	if (ctl->out.fmt == OUT_JSON) {
		put_usb_port(&ctl->out, &u);
	} else {
		guest_ports(&u, ports, sizeof(ports));
		fputs("assigned ", ctl->out.f);
		out_write_safe(ctl->out.f, u.port);
		fputs(" to ", ctl->out.f);
		out_write_safe(ctl->out.f, u.vm);
		fputc('/', ctl->out.f);
		out_write_safe(ctl->out.f, u.controller);
		fprintf(ctl->out.f, " guest ports %s\n", ports);
	}
	out_end(&ctl->out);
	return LHVCTL_EXIT_OK;
}

int cmd_usb_release(struct lhvctl *ctl, int argc, char **argv)
{
	struct lhv_nl_result res;
	struct nlmsghdr *req;
	struct lhv_nl *nl;
	int ret;

	(void)argc;
	ret = lhvctl_connect(&nl);
	if (ret)
		return ret;
	req = lhv_nl_request(nl, LHV_CMD_USB_RELEASE);
	if (lhv_req_usb_release(req, LHV_NL_REQ_SIZE, argv[0])) {
		lhvctl_err("the request does not fit in a netlink message");
		ret = LHVCTL_EXIT_FAIL;
	} else {
		ret = lhvctl_call(nl, req, false, &res);
	}
	lhv_nl_close(nl);
	if (ret)
		return ret;
	out_begin(&ctl->out);
	if (ctl->out.fmt == OUT_JSON) {
		out_str(&ctl->out, "port", "SOS port", argv[0]);
	} else {
		fputs("released ", ctl->out.f);
		out_write_safe(ctl->out.f, argv[0]);
		fputc('\n', ctl->out.f);
	}
	out_end(&ctl->out);
	return LHVCTL_EXIT_OK;
}

/* The ports a USB_GET dump brought (those of the VM asked for). */
struct usb_list {
	const char *vm;
	struct lhv_usb_port_info *v;
	size_t n, cap;
	struct lhv_parse_err perr;
	bool bad_reply, no_memory;
};

static int collect_port(const struct nlmsghdr *nlh, void *data)
{
	struct usb_list *l = data;
	struct lhv_usb_port_info u;

	if (lhv_parse_usb_port(nlh, &u, &l->perr)) {
		l->bad_reply = true;
		return 1;
	}
	/* A module that ignored the filter must not mix VMs up. */
	if (l->vm && strcmp(u.vm, l->vm))
		return 0;
	if (lhvctl_push((void **)&l->v, &l->n, &l->cap, &u, sizeof(u))) {
		l->no_memory = true;
		return 1;
	}
	return 0;
}

static const char *const usb_heads[] = { "VM", "CONTROLLER", "SOS PORT",
					 "GUEST PORTS", "DEVICE" };

static int print_ports(FILE *f, const struct usb_list *l)
{
	char ports[24], dev[64];
	const char *cells[5];
	struct out_table t;
	size_t i;

	if (out_table_init(&t, 5, usb_heads))
		return -ENOMEM;
	for (i = 0; i < l->n; i++) {
		guest_ports(&l->v[i], ports, sizeof(ports));
		device_cell(&l->v[i], dev, sizeof(dev));
		cells[0] = l->v[i].vm;
		cells[1] = l->v[i].controller;
		cells[2] = l->v[i].port;
		cells[3] = ports;
		cells[4] = dev;
		if (out_table_add(&t, cells)) {
			out_table_free(&t);
			return -ENOMEM;
		}
	}
	out_table_print(&t, f);
	out_table_free(&t);
	return 0;
}

int cmd_usb_list(struct lhvctl *ctl, int argc, char **argv)
{
	struct usb_list l = { .vm = lhvctl_opt(ctl, "vm") };
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
	req = lhv_nl_dump_request(nl, LHV_CMD_USB_GET);
	if (lhv_req_usb_get(req, LHV_NL_REQ_SIZE, l.vm)) {
		lhvctl_err("VM name too long to fit in a netlink message");
		ret = LHVCTL_EXIT_FAIL;
	} else {
		ret = lhvctl_dump(nl, req, collect_port, &l, &res);
	}
	lhv_nl_close(nl);
	if (l.bad_reply)
		lhvctl_err("bad USB_GET reply from the lhv module: %s",
			   l.perr.msg);
	else if (l.no_memory)
		lhvctl_err("out of memory");
	if (!ret && ctl->out.fmt == OUT_JSON) {
		for (i = 0; i < l.n; i++) {
			out_begin(&ctl->out);
			put_usb_port(&ctl->out, &l.v[i]);
			out_end(&ctl->out);
		}
	} else if (!ret && print_ports(ctl->out.f, &l)) {
		lhvctl_err("out of memory");
		ret = LHVCTL_EXIT_FAIL;
	}
	free(l.v);
	return ret;
}
