// SPDX-License-Identifier: BSD-3-Clause
/*
 * Unit tests for guest root port pairs (kmod/lib/usb_port_map.c): a
 * named port of either speed, the lowest free pair, busy pairs, ports
 * and controller sizes outside the limits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "usb_port_map.h"

/* lhv_xhci's controllers: 4 USB 2 ports (1-4), 4 USB 3 ports (5-8). */
#define PAIRS 4u

static void test_named_ports(void **state)
{
	unsigned int port;

	(void)state;
	for (port = 1; port <= PAIRS; port++) {
		assert_int_equal(usb_port_map_pick(port, PAIRS, 0), port);
		assert_int_equal(usb_port_map_pick(port + PAIRS, PAIRS, 0),
				 port);
		assert_int_equal(usb_port_map_pair(port, PAIRS), port);
		assert_int_equal(usb_port_map_pair(port + PAIRS, PAIRS), port);
	}
	assert_int_equal(usb_port_map_guest(3, PAIRS, false), 3);
	assert_int_equal(usb_port_map_guest(3, PAIRS, true), 7);
	assert_int_equal(usb_port_map_guest(1, PAIRS, true), 5);
}

static void test_lowest_free(void **state)
{
	(void)state;
	assert_int_equal(usb_port_map_pick(0, PAIRS, 0), 1);
	assert_int_equal(usb_port_map_pick(0, PAIRS, 1u << 1), 2);
	assert_int_equal(usb_port_map_pick(0, PAIRS, (1u << 1) | (1u << 2)), 3);
	/* Bit 0 is no pair: a busy mask with it set changes nothing. */
	assert_int_equal(usb_port_map_pick(0, PAIRS, 1u), 1);
	assert_int_equal(usb_port_map_pick(0, PAIRS, 0x1eu), -EBUSY);
	/* Bits above the controller's pairs do not count. */
	assert_int_equal(usb_port_map_pick(0, PAIRS, 0xffe0u), 1);
}

static void test_busy(void **state)
{
	(void)state;
	assert_int_equal(usb_port_map_pick(2, PAIRS, 1u << 2), -EBUSY);
	/* The USB 3 port of a busy pair is busy too. */
	assert_int_equal(usb_port_map_pick(6, PAIRS, 1u << 2), -EBUSY);
	assert_int_equal(usb_port_map_pick(5, PAIRS, 1u << 2), 1);
}

static void test_out_of_range(void **state)
{
	(void)state;
	assert_int_equal(usb_port_map_pick(9, PAIRS, 0), -EINVAL);
	assert_int_equal(usb_port_map_pick(0xffffffffu, PAIRS, 0), -EINVAL);
	assert_int_equal(usb_port_map_pair(0, PAIRS), 0);
	assert_int_equal(usb_port_map_pair(9, PAIRS), 0);
	assert_int_equal(usb_port_map_pair(0x80000001u, PAIRS), 0);
	assert_int_equal(usb_port_map_pick(1, 0, 0), -EINVAL);
	assert_int_equal(usb_port_map_pick(0, 0, 0), -EINVAL);
	assert_int_equal(usb_port_map_pick(0, USB_PORT_MAP_MAX_PAIRS + 1, 0),
			 -EINVAL);
	assert_int_equal(usb_port_map_pair(1, USB_PORT_MAP_MAX_PAIRS + 1), 0);
	/* The largest controller: all 16 pairs, port 32 is pair 16. */
	assert_int_equal(usb_port_map_pick(32, USB_PORT_MAP_MAX_PAIRS, 0), 16);
	assert_int_equal(usb_port_map_pick(0, USB_PORT_MAP_MAX_PAIRS, 0xfffeu),
			 16);
	assert_int_equal(usb_port_map_pick(0, USB_PORT_MAP_MAX_PAIRS, 0x1fffeu),
			 -EBUSY);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_named_ports),
		cmocka_unit_test(test_lowest_free),
		cmocka_unit_test(test_busy),
		cmocka_unit_test(test_out_of_range),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
