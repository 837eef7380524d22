// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * An SOS USB port path into its hub's name and port number
 * (usb_port_path.h). Every character is checked; nothing is read past
 * USB_PORT_PATH_MAX_LEN + 1 bytes of the input.
 */
#include "usb_port_path.h"

/*
 * A decimal number of 1..max without leading zeroes at s; returns the
 * characters it took, 0 if there is none.
 */
static size_t usb_port_path_number(const char *s, unsigned int max,
				   unsigned int *out)
{
	unsigned int v = 0;
	size_t n = 0;

	if (s[0] < '1' || s[0] > '9')
		return 0;
	while (s[n] >= '0' && s[n] <= '9') {
		v = v * 10 + (unsigned int)(s[n] - '0');
		if (v > max)
			return 0;
		n++;
	}
	*out = v;
	return n;
}

static int usb_port_path_put(char *hub, size_t hub_size, size_t *at,
			     const char *s, size_t n)
{
	size_t i;

	if (n >= hub_size - *at)
		return -EINVAL;
	for (i = 0; i < n; i++)
		hub[(*at)++] = s[i];
	hub[*at] = '\0';
	return 0;
}

int usb_port_path_parse(const char *path, char *hub, size_t hub_size,
			unsigned int *port)
{
	size_t pos, n, last = 0, at = 0;
	unsigned int v, ports = 0;

	if (!path || !hub || !hub_size || !port)
		return -EINVAL;
	hub[0] = '\0';
	n = usb_port_path_number(path, USB_PORT_PATH_MAX_BUS, &v);
	if (!n || path[n] != '-')
		return -EINVAL;
	pos = n;
	/* Each port: its separator ('-' first, then '.') and number. */
	while (path[pos] == (ports ? '.' : '-')) {
		if (++ports > USB_PORT_PATH_MAX_PORTS)
			return -EINVAL;
		last = pos;
		n = usb_port_path_number(path + pos + 1, USB_PORT_PATH_MAX_PORT,
					 &v);
		if (!n)
			return -EINVAL;
		pos += 1 + n;
	}
	if (path[pos] != '\0' || !ports)
		return -EINVAL;
	if (ports == 1) {
		/* A root port: the root hub is usb<bus>. */
		if (usb_port_path_put(hub, hub_size, &at, "usb", 3) ||
		    usb_port_path_put(hub, hub_size, &at, path, last))
			return -EINVAL;
	} else if (usb_port_path_put(hub, hub_size, &at, path, last)) {
		return -EINVAL;
	}
	*port = v;
	return 0;
}
