// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Guest root port pairs of an lhv_xhci controller (usb_port_map.h). */
#include "usb_port_map.h"

static bool usb_port_map_valid(unsigned int nr_pairs)
{
	return nr_pairs && nr_pairs <= USB_PORT_MAP_MAX_PAIRS;
}

unsigned int usb_port_map_pair(unsigned int port, unsigned int nr_pairs)
{
	if (!usb_port_map_valid(nr_pairs) || !port || port > 2 * nr_pairs)
		return 0;
	return port > nr_pairs ? port - nr_pairs : port;
}

int usb_port_map_pick(unsigned int port, unsigned int nr_pairs, uint32_t busy)
{
	unsigned int pair;

	if (!usb_port_map_valid(nr_pairs))
		return -EINVAL;
	if (port) {
		pair = usb_port_map_pair(port, nr_pairs);
		if (!pair)
			return -EINVAL;
		return busy & (1u << pair) ? -EBUSY : (int)pair;
	}
	for (pair = 1; pair <= nr_pairs; pair++)
		if (!(busy & (1u << pair)))
			return (int)pair;
	return -EBUSY;
}

unsigned int usb_port_map_guest(unsigned int pair, unsigned int nr_pairs,
				bool super)
{
	return super ? pair + nr_pairs : pair;
}
