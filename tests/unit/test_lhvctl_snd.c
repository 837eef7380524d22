// SPDX-License-Identifier: BSD-3-Clause
/*
 * Unit tests of lhvctl's snd commands without a kernel: the stream syntax
 * of "snd add" (lhv_parse_snd_stream), the DEV_ADD request it builds
 * (read back attribute by attribute), and DEV_ADD / DEV_GET replies of a
 * snd device built in memory and fed to lhv_parse_dev().
 */
#include <errno.h>
#include <setjmp.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <lhv/netlink.h>

#include "args.h"
#include "reply.h"
#include "request.h"

#define TEST_FAMILY_ID 0x1c
#define FMT(b) (UINT64_C(1) << (b))

static alignas(struct nlmsghdr) char buf[8192];
static struct lhv_dev_info dev;

static struct nlmsghdr *msg_start(uint8_t cmd)
{
	struct genlmsghdr *genl;
	struct nlmsghdr *nlh;

	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = TEST_FAMILY_ID;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = LHV_GENL_VERSION;
	return nlh;
}

static void test_stream_good(void **state)
{
	struct lhv_snd_stream_req st;
	char why[96];

	(void)state;
	assert_int_equal(lhv_parse_snd_stream("out", &st, why, sizeof(why)), 0);
	assert_int_equal(st.direction, LHV_SND_DIR_OUTPUT);
	assert_int_equal(st.set, LHV_BLK_BIT(LHV_SND_STREAM_ATTR_DIRECTION));

	assert_int_equal(lhv_parse_snd_stream("in,channels=1-8,formats=s16,"
					      "s32,rates=44100,48000",
					      &st, why, sizeof(why)),
			 0);
	assert_int_equal(st.direction, LHV_SND_DIR_INPUT);
	assert_int_equal(st.channels_min, 1);
	assert_int_equal(st.channels_max, 8);
	assert_true(st.formats == (FMT(5) | FMT(17)));
	assert_true(st.rates == (FMT(6) | FMT(7)));
	assert_true(st.set & LHV_BLK_BIT(LHV_SND_STREAM_ATTR_RATES));

	assert_int_equal(lhv_parse_snd_stream("out,rates=8000,channels=2", &st,
					      why, sizeof(why)),
			 0);
	assert_int_equal(st.channels_min, 2);
	assert_int_equal(st.channels_max, 2);
	assert_true(st.rates == FMT(1));
	assert_false(st.set & LHV_BLK_BIT(LHV_SND_STREAM_ATTR_FORMATS));
}

static void test_stream_bad(void **state)
{
	static const char *const bad[] = {
		"",
		"both",
		"outx",
		"out,",
		"out,,channels=2",
		"out,channels=",
		"out,channels=x",
		"out,channels=300",
		"out,channels=1-2-3",
		"out,formats=s17",
		"out,rates=44101",
		"out,rates=99999999999999999999",
		"out,volume=3",
		"out,channels=2,4",
		"out,s16",
	};
	struct lhv_snd_stream_req st;
	char why[96];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why[0] = '\0';
		assert_int_equal(
			lhv_parse_snd_stream(bad[i], &st, why, sizeof(why)),
			-EINVAL);
		assert_true(why[0] != '\0');
	}
	assert_int_equal(lhv_parse_snd_stream(NULL, &st, why, sizeof(why)),
			 -EINVAL);
}

static void test_format_names(void **state)
{
	(void)state;
	assert_string_equal(lhv_snd_format_name(5), "s16");
	assert_string_equal(lhv_snd_format_name(17), "s32");
	assert_null(lhv_snd_format_name(0));
	assert_null(lhv_snd_format_name(21));
	assert_int_equal(lhv_snd_rate_hz(7), 48000);
	assert_int_equal(lhv_snd_rate_hz(13), 0);
}

/* The DEV_CONFIG nest of a request or reply, or NULL. */
static const struct nlattr *config_of(const struct nlmsghdr *nlh)
{
	const struct nlattr *a;

	mnl_attr_for_each (a, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(a) == LHV_ATTR_DEV_CONFIG)
			return a;
	}
	return NULL;
}

static void test_req_snd_add(void **state)
{
	struct lhv_snd_req r = { .vm = "service" };
	const struct nlattr *cfg, *a, *s;
	struct nlmsghdr *nlh;
	unsigned int n = 0, fields;
	char why[96];

	(void)state;
	assert_int_equal(lhv_parse_snd_stream("out,channels=2,formats=s16",
					      &r.streams[0], why, sizeof(why)),
			 0);
	assert_int_equal(
		lhv_parse_snd_stream("in", &r.streams[1], why, sizeof(why)), 0);
	r.nr_streams = 2;
	r.jacks_set = true;
	r.jacks = 3;
	r.chmaps = true;
	nlh = msg_start(LHV_CMD_DEV_ADD);
	assert_int_equal(lhv_req_snd_add(nlh, sizeof(buf), &r), 0);
	cfg = config_of(nlh);
	assert_non_null(cfg);
	mnl_attr_for_each_nested (a, cfg) {
		switch (mnl_attr_get_type(a)) {
		case LHV_SND_ATTR_JACKS:
			assert_int_equal(mnl_attr_get_u32(a), 3);
			break;
		case LHV_SND_ATTR_CHMAPS:
			assert_int_equal(mnl_attr_get_payload_len(a), 0);
			break;
		case LHV_SND_ATTR_STREAMS:
			mnl_attr_for_each_nested (s, a) {
				const struct nlattr *f;

				n++;
				assert_int_equal(mnl_attr_get_type(s), n);
				fields = 0;
				mnl_attr_for_each_nested (f, s)
					fields++;
				/* out: direction, channels x2, formats. */
				assert_int_equal(fields, n == 1 ? 4 : 1);
			}
			break;
		default:
			fail();
		}
	}
	assert_int_equal(n, 2);

	/* A buffer too small leaves the message as it was. */
	nlh = msg_start(LHV_CMD_DEV_ADD);
	{
		uint32_t len = nlh->nlmsg_len;

		assert_int_equal(lhv_req_snd_add(nlh, len + 40, &r), -EMSGSIZE);
		assert_int_equal(nlh->nlmsg_len, len);
	}
}

/* A DEV_GET reply of a snd device with n streams (n may be 0). */
static struct nlmsghdr *snd_reply(unsigned int n, bool bad_dir)
{
	struct nlmsghdr *nlh = msg_start(LHV_CMD_DEV_GET);
	struct nlattr *cfg, *list, *st;
	unsigned int i;

	mnl_attr_put_strz(nlh, LHV_ATTR_VM_NAME, "service");
	mnl_attr_put_u32(nlh, LHV_ATTR_DEV_ID, 4);
	mnl_attr_put_u32(nlh, LHV_ATTR_DEV_TYPE, LHV_DEV_SND);
	mnl_attr_put_strz(nlh, LHV_ATTR_DEV_NAME, "snd0");
	cfg = mnl_attr_nest_start(nlh, LHV_ATTR_DEV_CONFIG);
	list = mnl_attr_nest_start(nlh, LHV_SND_ATTR_STREAMS);
	for (i = 0; i < n; i++) {
		st = mnl_attr_nest_start(nlh, (uint16_t)(i + 1));
		if (bad_dir)
			mnl_attr_put_u64(nlh, LHV_SND_STREAM_ATTR_DIRECTION, 1);
		else
			mnl_attr_put_u32(nlh, LHV_SND_STREAM_ATTR_DIRECTION,
					 i & 1);
		mnl_attr_put_u32(nlh, LHV_SND_STREAM_ATTR_CHANNELS_MIN, 1);
		mnl_attr_put_u32(nlh, LHV_SND_STREAM_ATTR_CHANNELS_MAX, 8);
		mnl_attr_put_u64(nlh, LHV_SND_STREAM_ATTR_FORMATS, FMT(5));
		mnl_attr_put_u64(nlh, LHV_SND_STREAM_ATTR_RATES, FMT(7));
		mnl_attr_nest_end(nlh, st);
	}
	mnl_attr_nest_end(nlh, list);
	mnl_attr_put_u32(nlh, LHV_SND_ATTR_JACKS, 2);
	mnl_attr_put_strz(nlh, LHV_SND_ATTR_CARD, "lhvservice");
	mnl_attr_nest_end(nlh, cfg);
	return nlh;
}

static void test_reply_snd(void **state)
{
	struct lhv_parse_err err;

	(void)state;
	assert_int_equal(lhv_parse_dev(snd_reply(2, false), &dev, &err), 0);
	assert_int_equal(dev.type, LHV_DEV_SND);
	assert_int_equal(dev.snd.nr_streams, 2);
	assert_int_equal(dev.snd.streams[1].direction, LHV_SND_DIR_INPUT);
	assert_int_equal(dev.snd.streams[0].channels_max, 8);
	assert_true(dev.snd.streams[0].formats == FMT(5));
	assert_int_equal(dev.snd.jacks, 2);
	assert_false(dev.snd.chmaps);
	assert_string_equal(dev.snd.card, "lhvservice");

	assert_int_equal(lhv_parse_dev(snd_reply(0, false), &dev, &err),
			 -ENODATA);
	assert_int_equal(err.attr, LHV_ATTR_DEV_CONFIG);
	assert_int_equal(err.nested, LHV_SND_ATTR_STREAMS);
	assert_int_equal(
		lhv_parse_dev(snd_reply(LHV_SND_MAX_STREAMS + 1, false), &dev,
			      &err),
		-ERANGE);
	assert_int_equal(lhv_parse_dev(snd_reply(1, true), &dev, &err),
			 -ERANGE);
	assert_int_equal(err.nested, LHV_SND_STREAM_ATTR_DIRECTION);
	assert_int_equal(dev.snd.nr_streams, 0); /* zeroed on failure */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stream_good),
		cmocka_unit_test(test_stream_bad),
		cmocka_unit_test(test_format_names),
		cmocka_unit_test(test_req_snd_add),
		cmocka_unit_test(test_reply_snd),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
