// SPDX-License-Identifier: BSD-3-Clause
/*
 * Unit tests for SOS USB port paths (kmod/lib/usb_port_path.c): root
 * ports, ports behind hubs, the limits, and every malformed form.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "usb_port_path.h"

static void expect_ok(const char *path, const char *hub, unsigned int port)
{
	char name[32];
	unsigned int got = 0;

	assert_int_equal(usb_port_path_parse(path, name, sizeof(name), &got),
			 0);
	assert_string_equal(name, hub);
	assert_int_equal(got, port);
}

static void expect_bad(const char *path)
{
	char name[32];
	unsigned int got = 77;

	assert_int_equal(usb_port_path_parse(path, name, sizeof(name), &got),
			 -EINVAL);
	assert_int_equal(got, 77);
}

static void test_root_ports(void **state)
{
	(void)state;
	expect_ok("1-1", "usb1", 1);
	expect_ok("3-12", "usb3", 12);
	expect_ok("9999-31", "usb9999", 31);
}

static void test_behind_hubs(void **state)
{
	(void)state;
	expect_ok("1-1.2", "1-1", 2);
	expect_ok("2-3.4.31", "2-3.4", 31);
	/* The deepest: a root port and five hubs. */
	expect_ok("9999-31.31.31.31.31.31", "9999-31.31.31.31.31", 31);
	assert_int_equal(strlen("9999-31.31.31.31.31.31"),
			 USB_PORT_PATH_MAX_LEN);
}

static void test_malformed(void **state)
{
	static const char *const bad[] = {
		"",
		"1",
		"1-",
		"-1",
		"1--1",
		"1-1.",
		"1-.1",
		"1-1..2",
		"1-0",
		"0-1",
		"01-1",
		"1-01",
		"1-32",
		"10000-1",
		"1-1-1",
		"1.1",
		"usb1-1",
		"1-1 ",
		" 1-1",
		"1-1\n",
		"1-1.2a",
		"a-1",
		"1-+1",
		"1--",
		"1-4294967297",
		"1-1.1.1.1.1.1.1",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_bad(bad[i]);
}

static void test_small_buffers(void **state)
{
	char name[5];
	unsigned int port = 0;

	(void)state;
	/* "usb1" and its NUL fit in 5 bytes; "usb10" does not. */
	assert_int_equal(usb_port_path_parse("1-1", name, sizeof(name), &port),
			 0);
	assert_string_equal(name, "usb1");
	assert_int_equal(usb_port_path_parse("10-1", name, sizeof(name), &port),
			 -EINVAL);
	assert_int_equal(usb_port_path_parse("1-1.2", name, 3, &port), -EINVAL);
	assert_int_equal(usb_port_path_parse("1-1", name, 0, &port), -EINVAL);
	assert_int_equal(usb_port_path_parse(NULL, name, 5, &port), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_root_ports),
		cmocka_unit_test(test_behind_hubs),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_small_buffers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
