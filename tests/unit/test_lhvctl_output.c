// SPDX-License-Identifier: BSD-3-Clause
/*
 * Unit tests of lhvctl's output: the JSON string writer (escaping of
 * quotes, backslashes and control characters, UTF-8 passed through,
 * broken UTF-8 replaced), the terminal-safe writer, whole records in both
 * forms, and tables.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "output.h"

/* Everything f received, as a NUL-terminated string to free(). */
struct capture {
	FILE *f;
	char *buf;
	size_t len;
};

static void capture_start(struct capture *c)
{
	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
	assert_non_null(c->f);
}

static char *capture_end(struct capture *c)
{
	assert_int_equal(fclose(c->f), 0);
	return c->buf;
}

static void assert_json(const char *in, const char *want)
{
	struct capture c;
	char *got;

	capture_start(&c);
	json_write_str(c.f, in);
	got = capture_end(&c);
	assert_string_equal(got, want);
	free(got);
}

static void assert_safe(const char *in, const char *want)
{
	struct capture c;
	char *got;

	capture_start(&c);
	out_write_safe(c.f, in);
	got = capture_end(&c);
	assert_string_equal(got, want);
	free(got);
}

static void test_json_plain(void **state)
{
	(void)state;
	assert_json("", "\"\"");
	assert_json("service", "\"service\"");
	assert_json("0.1.0 with spaces/slash", "\"0.1.0 with spaces/slash\"");
}

static void test_json_quotes_backslashes(void **state)
{
	(void)state;
	assert_json("a\"b", "\"a\\\"b\"");
	assert_json("a\\b", "\"a\\\\b\"");
	assert_json("\\\"", "\"\\\\\\\"\"");
	assert_json("\"\"", "\"\\\"\\\"\"");
}

static void test_json_control_chars(void **state)
{
	(void)state;
	assert_json("\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\"");
	assert_json("\x01", "\"\\u0001\"");
	assert_json("a\x1b[31mb", "\"a\\u001b[31mb\"");
	assert_json("\x1f", "\"\\u001f\"");
	assert_json("\x7f", "\"\\u007f\"");
	assert_json(" ~", "\" ~\"");
}

static void test_json_utf8_passthrough(void **state)
{
	(void)state;
	/* e-acute, euro, two CJK, U+1F600, U+10FFFF, U+0080 (C1, legal JSON) */
	assert_json("caf\xc3\xa9", "\"caf\xc3\xa9\"");
	assert_json("\xe2\x82\xac", "\"\xe2\x82\xac\"");
	assert_json("\xe6\x97\xa5\xe6\x9c\xac", "\"\xe6\x97\xa5\xe6\x9c\xac\"");
	assert_json("\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\"");
	assert_json("\xf4\x8f\xbf\xbf", "\"\xf4\x8f\xbf\xbf\"");
	assert_json("\xc2\x80", "\"\xc2\x80\"");
}

static void test_json_broken_utf8(void **state)
{
	(void)state;
#define BAD "\\ufffd"
	assert_json("\xff", "\"" BAD "\"");
	/* a lone continuation byte, a sequence cut at the end or midway */
	assert_json("a\x80z", "\"a" BAD "z\"");
	assert_json("\xe2\x82", "\"" BAD BAD "\"");
	assert_json("\xe2\x82z", "\"" BAD BAD "z\"");
	/* overlong forms of '/', a UTF-16 surrogate, beyond U+10FFFF */
	assert_json("\xc0\xaf", "\"" BAD BAD "\"");
	assert_json("\xe0\x80\xaf", "\"" BAD BAD BAD "\"");
	assert_json("\xed\xa0\x80", "\"" BAD BAD BAD "\"");
	assert_json("\xf4\x90\x80\x80", "\"" BAD BAD BAD BAD "\"");
	assert_json("\xf5\x80\x80\x80", "\"" BAD BAD BAD BAD "\"");
#undef BAD
}

static void test_safe_writer(void **state)
{
	(void)state;
	assert_safe("service", "service");
	assert_safe("caf\xc3\xa9", "caf\xc3\xa9");
	assert_safe("a\x1b]0;pwned\x07z", "a\\x1b]0;pwned\\x07z");
	assert_safe("line\nbreak", "line\\x0abreak");
	assert_safe("\x7f", "\\x7f");
	assert_safe("\xc2\x9bm", "\\xc2\\x9bm"); /* C1 CSI */
	assert_safe("\xff", "\\xff");
	assert_safe("\xc2\xa0", "\xc2\xa0"); /* NBSP is printable */
}

static void test_json_record(void **state)
{
	struct capture c;
	struct out o;
	char *got;

	(void)state;
	capture_start(&c);
	out_init(&o, c.f, OUT_JSON);
	out_begin(&o);
	out_str(&o, "module_version", "module version", "0.1.0");
	out_uint(&o, "abi_version", "ABI version", 1);
	out_str(&o, "hypervisor", "hypervisor", "absent");
	out_uint(&o, "max_vms", "max VMs", 8);
	out_end(&o);
	out_begin(&o);
	out_str(&o, "name", "name", "we\"ird\n");
	out_end(&o);
	got = capture_end(&c);
	assert_string_equal(got,
			    "{\"module_version\":\"0.1.0\",\"abi_version\":1,"
			    "\"hypervisor\":\"absent\",\"max_vms\":8}\n"
			    "{\"name\":\"we\\\"ird\\n\"}\n");
	free(got);
}

static void test_human_record(void **state)
{
	struct capture c;
	struct out o;
	char *got;

	(void)state;
	capture_start(&c);
	out_init(&o, c.f, OUT_HUMAN);
	out_begin(&o);
	out_str(&o, "module_version", "module version", "0.1.0");
	out_uint(&o, "abi_version", "ABI version", 1);
	out_str(&o, "hypervisor", "hypervisor", "absent");
	out_uint(&o, "max_vms", "max VMs", 8);
	out_str(&o, "name", "name", "bad\x1b");
	out_str(&o, "x", "a label longer than the column", "v");
	out_end(&o);
	got = capture_end(&c);
	assert_string_equal(got, "module version: 0.1.0\n"
				 "ABI version:    1\n"
				 "hypervisor:     absent\n"
				 "max VMs:        8\n"
				 "name:           bad\\x1b\n"
				 "a label longer than the column: v\n");
	free(got);
}

static void test_bool_fields(void **state)
{
	struct capture c;
	struct out o;
	char *got;

	(void)state;
	capture_start(&c);
	out_init(&o, c.f, OUT_JSON);
	out_begin(&o);
	out_bool(&o, "read_only", "read-only", true);
	out_bool(&o, "b", "b", false);
	out_end(&o);
	out_init(&o, c.f, OUT_HUMAN);
	out_begin(&o);
	out_bool(&o, "read_only", "read-only", true);
	out_bool(&o, "b", "b", false);
	out_end(&o);
	got = capture_end(&c);
	assert_string_equal(got, "{\"read_only\":true,\"b\":false}\n"
				 "read-only:      yes\n"
				 "b:              no\n");
	free(got);
}

static void test_table(void **state)
{
	static const char *const heads[] = { "VM", "ID", "NAME" };
	static const char *const row1[] = { "service", "1", "blk0" };
	/* Escaped, then measured in characters, not bytes. */
	static const char *const row2[] = { "v\x1b", "10", "caf\xc3\xa9" };
	static const char *const row3[] = { NULL, "", "x" };
	struct out_table t;
	struct capture c;
	char *got;

	(void)state;
	assert_int_equal(out_table_init(&t, 3, heads), 0);
	assert_int_equal(out_table_add(&t, row1), 0);
	assert_int_equal(out_table_add(&t, row2), 0);
	assert_int_equal(out_table_add(&t, row3), 0);
	assert_int_equal(t.nrows, 4);
	capture_start(&c);
	out_table_print(&t, c.f);
	got = capture_end(&c);
	assert_string_equal(got, "VM       ID  NAME\n"
				 "service  1   blk0\n"
				 "v\\x1b    10  caf\xc3\xa9\n"
				 "             x\n");
	free(got);
	out_table_free(&t);
}

static void test_table_grows(void **state)
{
	static const char *const heads[] = { "N" };
	const char *row[1];
	struct out_table t;
	struct capture c;
	char cell[16];
	char *got;
	int i;

	(void)state;
	assert_int_equal(out_table_init(&t, 1, heads), 0);
	for (i = 0; i < 100; i++) {
		snprintf(cell, sizeof(cell), "%d", i);
		row[0] = cell;
		assert_int_equal(out_table_add(&t, row), 0);
	}
	capture_start(&c);
	out_table_print(&t, c.f);
	got = capture_end(&c);
	/* One column: nothing padded. */
	assert_non_null(strstr(got, "N\n0\n1\n"));
	assert_non_null(strstr(got, "\n99\n"));
	free(got);
	out_table_free(&t);
	/* Freed and zeroed: freeing again is harmless. */
	out_table_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_plain),
		cmocka_unit_test(test_json_quotes_backslashes),
		cmocka_unit_test(test_json_control_chars),
		cmocka_unit_test(test_json_utf8_passthrough),
		cmocka_unit_test(test_json_broken_utf8),
		cmocka_unit_test(test_safe_writer),
		cmocka_unit_test(test_json_record),
		cmocka_unit_test(test_human_record),
		cmocka_unit_test(test_bool_fields),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_table_grows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
