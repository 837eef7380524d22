// SPDX-License-Identifier: BSD-3-Clause
/*
 * Unit tests of lhvctl's netlink transport against the running kernel's
 * own generic netlink controller ("nlctrl"), which every Linux has and
 * which needs no privilege to read: its family and policy dumps exercise
 * lhv_nl_dump() (multipart replies up to NLMSG_DONE, a dump refused with
 * NLMSG_ERROR, a callback that stops early) without the lhv module. The
 * tests skip when no netlink socket can be opened (a restricted sandbox).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include "nl.h"
#include "reply.h"

static int setup(void **state)
{
	struct lhv_nl *nl;

	if (lhv_nl_open(&nl))
		nl = NULL;
	*state = nl;
	return 0;
}

static int teardown(void **state)
{
	lhv_nl_close(*state);
	return 0;
}

static struct lhv_nl *get_nl(void **state)
{
	if (!*state)
		skip();
	return *state;
}

/* A dump request to nlctrl instead of the lhv family. */
static struct nlmsghdr *ctrl_dump(struct lhv_nl *nl, uint8_t cmd)
{
	struct nlmsghdr *req = lhv_nl_dump_request(nl, cmd);

	req->nlmsg_type = GENL_ID_CTRL;
	return req;
}

struct families {
	unsigned int n;
	bool saw_nlctrl;
	unsigned int stop_after; /* 0: never stop */
};

static int count_family(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1] = { NULL };
	const size_t hdrs = MNL_NLMSG_HDRLEN + GENL_HDRLEN;
	struct families *f = data;
	const struct nlattr *a;

	assert_true(nlh->nlmsg_len >= hdrs);
	assert_int_equal(lhv_attrs_index((const char *)nlh + hdrs,
					 nlh->nlmsg_len - hdrs, tb,
					 CTRL_ATTR_MAX),
			 0);
	a = tb[CTRL_ATTR_FAMILY_NAME];
	if (a && mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0 &&
	    !strcmp(mnl_attr_get_str(a), "nlctrl"))
		f->saw_nlctrl = true;
	f->n++;
	return f->stop_after && f->n >= f->stop_after;
}

static void test_dump_families(void **state)
{
	struct lhv_nl *nl = get_nl(state);
	struct families f = { 0 };
	struct lhv_nl_result res;

	assert_int_equal(lhv_nl_dump(nl, ctrl_dump(nl, CTRL_CMD_GETFAMILY),
				     count_family, &f, &res),
			 0);
	assert_int_equal(res.error, 0);
	assert_true(f.n > 0);
	assert_true(f.saw_nlctrl);
	assert_int_equal(res.nreplies, f.n);
	assert_null(res.reply);
}

static void test_dump_refused(void **state)
{
	struct lhv_nl *nl = get_nl(state);
	struct families f = { 0 };
	struct lhv_nl_result res;
	struct nlmsghdr *req;

	/* A policy dump needs a family: refused before any entry. */
	req = ctrl_dump(nl, CTRL_CMD_GETPOLICY);
	assert_int_equal(lhv_nl_dump(nl, req, count_family, &f, &res), 0);
	assert_int_equal(res.error, EINVAL);
	assert_int_equal(f.n, 0);

	req = ctrl_dump(nl, CTRL_CMD_GETPOLICY);
	mnl_attr_put_strz(req, CTRL_ATTR_FAMILY_NAME, "no-such-family");
	assert_int_equal(lhv_nl_dump(nl, req, count_family, &f, &res), 0);
	assert_int_equal(res.error, ENOENT);
	assert_int_equal(res.nreplies, 0);
}

static int count_any(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(*(unsigned int *)data)++;
	return 0;
}

static void test_dump_policy(void **state)
{
	struct lhv_nl *nl = get_nl(state);
	struct lhv_nl_result res;
	struct nlmsghdr *req;
	unsigned int n = 0;

	req = ctrl_dump(nl, CTRL_CMD_GETPOLICY);
	mnl_attr_put_strz(req, CTRL_ATTR_FAMILY_NAME, "nlctrl");
	assert_int_equal(lhv_nl_dump(nl, req, count_any, &n, &res), 0);
	assert_int_equal(res.error, 0);
	assert_true(n > 0);
}

static void test_dump_stopped_then_reuse(void **state)
{
	struct lhv_nl *nl = get_nl(state);
	struct families f = { .stop_after = 1 };
	struct families all = { 0 };
	struct lhv_nl_result res;

	assert_int_equal(lhv_nl_dump(nl, ctrl_dump(nl, CTRL_CMD_GETFAMILY),
				     count_family, &f, &res),
			 LHV_NL_STOPPED);
	/* The callback is not called again once it said stop. */
	assert_int_equal(f.n, 1);

	/* The rest was drained: the socket takes the next request. */
	assert_int_equal(lhv_nl_dump(nl, ctrl_dump(nl, CTRL_CMD_GETFAMILY),
				     count_family, &all, &res),
			 0);
	assert_true(all.n >= 1);
	assert_int_equal(lhv_nl_resolve(nl, "nlctrl"), 0);
}

static void test_call_after_dump(void **state)
{
	struct lhv_nl *nl = get_nl(state);

	assert_int_equal(lhv_nl_resolve(nl, "nlctrl"), 0);
	assert_int_equal(lhv_nl_resolve(nl, "no-such-family"), -ENOENT);
}

static int never_called(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	fail_msg("a notification came on a quiet group");
	return 1;
}

/*
 * nlctrl's own multicast group "notify" (family changes), found in the
 * GETFAMILY answer as lhv_nl_join() finds the lhv family's "vm" group.
 */
static void test_join_group(void **state)
{
	struct lhv_nl *nl;

	(void)get_nl(state);
	assert_int_equal(lhv_nl_open(&nl), 0);
	assert_int_equal(lhv_nl_join(nl, "nlctrl", "nosuch"), -ENOENT);
	assert_int_equal(lhv_nl_join(nl, "no-such-family", "notify"), -ENOENT);
	assert_int_equal(lhv_nl_join(nl, "nlctrl", "notify"), 0);
	/* Nothing registers a family meanwhile: the wait times out. */
	assert_int_equal(lhv_nl_wait(nl, 50, never_called, NULL), -ETIMEDOUT);
	/* The joined socket still makes requests. */
	assert_int_equal(lhv_nl_resolve(nl, "nlctrl"), 0);
	lhv_nl_close(nl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dump_families),
		cmocka_unit_test(test_dump_refused),
		cmocka_unit_test(test_dump_policy),
		cmocka_unit_test(test_dump_stopped_then_reuse),
		cmocka_unit_test(test_call_after_dump),
		cmocka_unit_test(test_join_group),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
