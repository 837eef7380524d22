/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The guest root ports of an lhv_xhci controller as pairs: USB 2 port p
 * (1..nr_pairs) and USB 3 port p + nr_pairs form pair p, and one SOS port
 * backs one pair: its SuperSpeed devices show on the USB 3 port, the
 * others on the USB 2 port. `lhvctl usb assign --guest-port N` names
 * either port of a pair. Portable core.
 */
#ifndef LHV_LIB_USB_PORT_MAP_H
#define LHV_LIB_USB_PORT_MAP_H

#include "portable.h"

/* Pairs are bits 1..USB_PORT_MAP_MAX_PAIRS of a busy mask. */
#define USB_PORT_MAP_MAX_PAIRS 16u

/*
 * The pair for a request naming guest port `port` (0: the lowest pair
 * whose bit in busy is clear) on a controller of nr_pairs pairs. Returns
 * the pair, -EINVAL for a port outside 1..2*nr_pairs or nr_pairs outside
 * 1..USB_PORT_MAP_MAX_PAIRS, or -EBUSY when that pair (or, for 0, every
 * pair) is busy.
 */
int usb_port_map_pick(unsigned int port, unsigned int nr_pairs, uint32_t busy);

/*
 * The pair guest port `port` belongs to, 0 if it is outside
 * 1..2*nr_pairs.
 */
unsigned int usb_port_map_pair(unsigned int port, unsigned int nr_pairs);

/* The guest port of pair for a device that is SuperSpeed or not. */
unsigned int usb_port_map_guest(unsigned int pair, unsigned int nr_pairs,
				bool super);

#endif /* LHV_LIB_USB_PORT_MAP_H */
