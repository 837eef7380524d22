// SPDX-License-Identifier: BSD-3-Clause
/*
 * libFuzzer harness of SOS USB port paths (kmod/lib/usb_port_path.c):
 * any bytes as a path; an accepted one must be well formed (checked by
 * rebuilding it from the answer) and the hub name must fit its buffer.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "usb_port_path.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64], hub[16], again[96];
	unsigned int port = 0;
	size_t n = size < sizeof(path) - 1 ? size : sizeof(path) - 1;
	size_t hub_size = size ? 1 + data[0] % sizeof(hub) : sizeof(hub);

	memcpy(path, data, n);
	path[n] = '\0';
	if (usb_port_path_parse(path, hub, hub_size, &port))
		return 0;
	if (strlen(hub) >= hub_size || !port || port > USB_PORT_PATH_MAX_PORT ||
	    strlen(path) > USB_PORT_PATH_MAX_LEN)
		abort();
	/* usb<bus> + "-" + port, or hub + "." + port, is the path again. */
	if (!strncmp(hub, "usb", 3) && !strchr(hub, '-'))
		snprintf(again, sizeof(again), "%s-%u", hub + 3, port);
	else
		snprintf(again, sizeof(again), "%s.%u", hub, port);
	if (strcmp(again, path))
		abort();
	return 0;
}
