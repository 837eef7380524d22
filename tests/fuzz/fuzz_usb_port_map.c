// SPDX-License-Identifier: BSD-3-Clause
/*
 * libFuzzer harness of guest root port pairs (kmod/lib/usb_port_map.c):
 * a requested port, a controller size and a busy mask from the input; an
 * answer must be a free pair of the controller that the port (if named)
 * belongs to, and a refusal must have a reason.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "usb_port_map.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t port = 0, busy = 0;
	unsigned int nr_pairs, pair;
	uint8_t n = 0;
	int got;

	if (size < 9)
		return 0;
	memcpy(&port, data, 4);
	memcpy(&busy, data + 4, 4);
	n = data[8];
	nr_pairs = n % (USB_PORT_MAP_MAX_PAIRS + 3);
	got = usb_port_map_pick(port, nr_pairs, busy);
	pair = usb_port_map_pair(port, nr_pairs);
	if (got < 0) {
		if (got != -EINVAL && got != -EBUSY)
			abort();
		/* -EINVAL only for a bad size or a port outside it. */
		if (got == -EINVAL && nr_pairs && nr_pairs <= 16 &&
		    (!port || pair))
			abort();
		return 0;
	}
	if (!nr_pairs || nr_pairs > USB_PORT_MAP_MAX_PAIRS ||
	    (unsigned int)got > nr_pairs || !got ||
	    (busy & (1u << (unsigned int)got)))
		abort();
	if (port && pair != (unsigned int)got)
		abort();
	if (usb_port_map_pair(
		    usb_port_map_guest(pair ? pair : (unsigned int)got,
				       nr_pairs, port > nr_pairs),
		    nr_pairs) != (unsigned int)got)
		abort();
	return 0;
}
