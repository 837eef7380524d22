/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The name of an SOS USB port as sysfs spells its devices: "<bus>-<port>"
 * for a root hub port, then ".<port>" per hub below it ("1-1", "3-1.4.2").
 * lhv_xhci takes it from netlink (LHV_XHCI_ATTR_USB_PORT) to find the hub
 * whose port it claims. Portable core.
 */
#ifndef LHV_LIB_USB_PORT_PATH_H
#define LHV_LIB_USB_PORT_PATH_H

#include "portable.h"

/* Ports of one hub are numbered 1..31 (USB 2.0 11.23.2.1). */
#define USB_PORT_PATH_MAX_PORT 31u
/* Buses are numbered from 1; Linux's allocator stays well below this. */
#define USB_PORT_PATH_MAX_BUS 9999u
/* A root port and up to 5 hubs below it (7 tiers with the host). */
#define USB_PORT_PATH_MAX_PORTS 6u
/* Longest path those limits allow, NUL excluded: "9999-31.31.31.31.31.31". */
#define USB_PORT_PATH_MAX_LEN 22u

/*
 * Splits path (NUL-terminated) into the sysfs name of the hub the port is
 * on ("usb<bus>" for a root port, else the path up to its last '.') in
 * hub (hub_size bytes with the NUL) and the port number in *port. Numbers
 * are decimal without leading zeroes. Returns 0, or -EINVAL for anything
 * else (nothing written to *port; hub may hold a partial name).
 */
int usb_port_path_parse(const char *path, char *hub, size_t hub_size,
			unsigned int *port);

#endif /* LHV_LIB_USB_PORT_PATH_H */
