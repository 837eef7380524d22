// SPDX-License-Identifier: BSD-3-Clause
/*
 * Unit tests of lhvctl's device commands without a kernel: DEV_ADD /
 * DEV_GET replies built in memory with libmnl and fed to lhv_parse_dev(),
 * the syntax of option values (lhv_parse_uint(), lhv_parse_blk_cache(),
 * lhv_parse_uuid(), lhv_parse_heci_backend()),
 * and the wire format of DEV_ADD / DEV_DEL / DEV_GET requests, built into
 * a buffer and read back attribute by attribute.
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
#include <lhv/hypercall.h>
#include <lhv/netlink.h>

#include "args.h"
#include "reply.h"
#include "request.h"

/* Any id the nlctrl would hand out to a dynamic family. */
#define TEST_FAMILY_ID 0x1c

static alignas(struct nlmsghdr) char buf[8192];

/* The device under test is big (a whole path): keep it off the stack. */
static struct lhv_dev_info dev;

static struct nlmsghdr *msg_start(uint8_t cmd)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;

	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = TEST_FAMILY_ID;
	nlh->nlmsg_seq = 1;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = LHV_GENL_VERSION;
	return nlh;
}

/* The device attributes of a reply, leaving out top-level type skip. */
static void put_dev_ids(struct nlmsghdr *nlh, unsigned int skip, uint32_t type)
{
	if (skip != LHV_ATTR_VM_NAME)
		mnl_attr_put_strz(nlh, LHV_ATTR_VM_NAME, "service");
	if (skip != LHV_ATTR_DEV_ID)
		mnl_attr_put_u32(nlh, LHV_ATTR_DEV_ID, 1);
	if (skip != LHV_ATTR_DEV_TYPE)
		mnl_attr_put_u32(nlh, LHV_ATTR_DEV_TYPE, type);
	if (skip != LHV_ATTR_DEV_NAME)
		mnl_attr_put_strz(nlh, LHV_ATTR_DEV_NAME, "blk0");
}

/* A full blk config, leaving out LHV_BLK_ATTR_* type skip. */
static void put_blk_config(struct nlmsghdr *nlh, unsigned int skip)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, LHV_ATTR_DEV_CONFIG);

	if (skip != LHV_BLK_ATTR_BACKING)
		mnl_attr_put_strz(nlh, LHV_BLK_ATTR_BACKING, "/dev/vdb");
	if (skip != LHV_BLK_ATTR_START)
		mnl_attr_put_u64(nlh, LHV_BLK_ATTR_START, 2048);
	if (skip != LHV_BLK_ATTR_SECTORS)
		mnl_attr_put_u64(nlh, LHV_BLK_ATTR_SECTORS, 0x100000000ULL);
	if (skip != LHV_BLK_ATTR_READ_ONLY)
		mnl_attr_put(nlh, LHV_BLK_ATTR_READ_ONLY, 0, "");
	if (skip != LHV_BLK_ATTR_SERIAL)
		mnl_attr_put_strz(nlh, LHV_BLK_ATTR_SERIAL, "LHV-0001");
	if (skip != LHV_BLK_ATTR_QUEUES)
		mnl_attr_put_u32(nlh, LHV_BLK_ATTR_QUEUES, 4);
	if (skip != LHV_BLK_ATTR_QUEUE_SIZE)
		mnl_attr_put_u32(nlh, LHV_BLK_ATTR_QUEUE_SIZE, 128);
	if (skip != LHV_BLK_ATTR_CACHE)
		mnl_attr_put_u32(nlh, LHV_BLK_ATTR_CACHE,
				 LHV_BLK_CACHE_WRITETHROUGH);
	if (skip != LHV_BLK_ATTR_LOGICAL_BLOCK)
		mnl_attr_put_u32(nlh, LHV_BLK_ATTR_LOGICAL_BLOCK, 4096);
	mnl_attr_nest_end(nlh, nest);
}

/* A DEV_ADD reply for a blk device, without the config. */
static struct nlmsghdr *blk_reply_ids(void)
{
	struct nlmsghdr *nlh = msg_start(LHV_CMD_DEV_ADD);

	put_dev_ids(nlh, 0, LHV_DEV_BLK);
	return nlh;
}

static struct nlmsghdr *blk_reply(unsigned int skip_blk)
{
	struct nlmsghdr *nlh = blk_reply_ids();

	put_blk_config(nlh, skip_blk);
	return nlh;
}

/* ---- lhv_parse_dev() ---- */

static void test_dev_good(void **state)
{
	struct lhv_parse_err err;
	uint32_t all = 0;
	unsigned int t;

	(void)state;
	assert_int_equal(lhv_parse_dev(blk_reply(0), &dev, &err), 0);
	assert_string_equal(err.msg, "");
	assert_string_equal(dev.vm, "service");
	assert_int_equal(dev.id, 1);
	assert_int_equal(dev.type, LHV_DEV_BLK);
	assert_string_equal(dev.name, "blk0");
	assert_true(dev.has_config);
	assert_string_equal(dev.blk.backing, "/dev/vdb");
	assert_int_equal(dev.blk.start, 2048);
	assert_true(dev.blk.sectors == 0x100000000ULL);
	assert_true(dev.blk.read_only);
	assert_string_equal(dev.blk.serial, "LHV-0001");
	assert_int_equal(dev.blk.queues, 4);
	assert_int_equal(dev.blk.queue_size, 128);
	assert_int_equal(dev.blk.cache, LHV_BLK_CACHE_WRITETHROUGH);
	assert_int_equal(dev.blk.logical_block, 4096);
	for (t = LHV_BLK_ATTR_BACKING; t <= LHV_BLK_ATTR_MAX; t++)
		all |= LHV_BLK_BIT(t);
	assert_int_equal(dev.blk.present, all);
	assert_string_equal(lhv_dev_type_name(dev.type), "blk");
	assert_string_equal(lhv_blk_cache_name(dev.blk.cache), "writethrough");
}

static void test_dev_missing_top(void **state)
{
	static const unsigned int need[] = {
		LHV_ATTR_VM_NAME,
		LHV_ATTR_DEV_ID,
		LHV_ATTR_DEV_TYPE,
		LHV_ATTR_DEV_NAME,
	};
	struct lhv_parse_err err;
	struct nlmsghdr *nlh;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
		nlh = msg_start(LHV_CMD_DEV_GET);
		put_dev_ids(nlh, need[i], LHV_DEV_BLK);
		put_blk_config(nlh, 0);
		memset(&dev, 0xa5, sizeof(dev));
		assert_int_equal(lhv_parse_dev(nlh, &dev, &err), -ENODATA);
		assert_int_equal(err.attr, need[i]);
		assert_int_equal(err.nested, 0);
		assert_non_null(strstr(err.msg, lhv_attr_name(need[i])));
		/* Nothing half-parsed is left behind. */
		assert_int_equal(dev.id, 0);
		assert_string_equal(dev.blk.backing, "");
		assert_false(dev.has_config);
	}
}

static void test_dev_blk_needs_config(void **state)
{
	struct lhv_parse_err err;

	(void)state;
	assert_int_equal(lhv_parse_dev(blk_reply_ids(), &dev, &err), -ENODATA);
	assert_int_equal(err.attr, LHV_ATTR_DEV_CONFIG);
	assert_non_null(strstr(err.msg, "DEV_CONFIG"));

	/* Inside it, BACKING is the one required attribute. */
	assert_int_equal(
		lhv_parse_dev(blk_reply(LHV_BLK_ATTR_BACKING), &dev, &err),
		-ENODATA);
	assert_int_equal(err.attr, LHV_ATTR_DEV_CONFIG);
	assert_int_equal(err.nested, LHV_BLK_ATTR_BACKING);
	assert_non_null(strstr(err.msg, "BLK_BACKING"));
	assert_non_null(strstr(err.msg, "in DEV_CONFIG"));
}

static void test_dev_blk_optional_missing(void **state)
{
	unsigned int t;

	(void)state;
	for (t = LHV_BLK_ATTR_START; t <= LHV_BLK_ATTR_MAX; t++) {
		assert_int_equal(lhv_parse_dev(blk_reply(t), &dev, NULL), 0);
		assert_false(dev.blk.present & LHV_BLK_BIT(t));
		assert_true(dev.blk.present &
			    LHV_BLK_BIT(LHV_BLK_ATTR_BACKING));
	}
	/* An absent flag is a writable device. */
	assert_int_equal(
		lhv_parse_dev(blk_reply(LHV_BLK_ATTR_READ_ONLY), &dev, NULL),
		0);
	assert_false(dev.blk.read_only);
	assert_int_equal(dev.blk.queues, 4);
}

static void test_dev_wrong_length_top(void **state)
{
	struct lhv_parse_err err;
	struct nlmsghdr *nlh;

	(void)state;
	nlh = msg_start(LHV_CMD_DEV_GET);
	put_dev_ids(nlh, LHV_ATTR_DEV_ID, LHV_DEV_BLK);
	mnl_attr_put_u64(nlh, LHV_ATTR_DEV_ID, 1);
	put_blk_config(nlh, 0);
	assert_int_equal(lhv_parse_dev(nlh, &dev, &err), -ERANGE);
	assert_int_equal(err.attr, LHV_ATTR_DEV_ID);
	assert_non_null(strstr(err.msg, "8 bytes, not 4"));

	nlh = msg_start(LHV_CMD_DEV_GET);
	put_dev_ids(nlh, LHV_ATTR_DEV_TYPE, LHV_DEV_BLK);
	mnl_attr_put_u16(nlh, LHV_ATTR_DEV_TYPE, LHV_DEV_BLK);
	put_blk_config(nlh, 0);
	assert_int_equal(lhv_parse_dev(nlh, &dev, &err), -ERANGE);
	assert_int_equal(err.attr, LHV_ATTR_DEV_TYPE);
}

/* One blk attribute replaced by a payload of the wrong size. */
static int parse_blk_with(unsigned int type, size_t len, const void *data,
			  struct lhv_parse_err *err)
{
	struct nlmsghdr *nlh = blk_reply_ids();
	struct nlattr *nest = mnl_attr_nest_start(nlh, LHV_ATTR_DEV_CONFIG);

	mnl_attr_put_strz(nlh, LHV_BLK_ATTR_BACKING, "/dev/vdb");
	mnl_attr_put(nlh, type, len, data);
	mnl_attr_nest_end(nlh, nest);
	return lhv_parse_dev(nlh, &dev, err);
}

static void test_dev_wrong_length_nested(void **state)
{
	static const char zeros[16];
	struct lhv_parse_err err;

	(void)state;
	/* u64 as u32, u64 as 12 bytes, u32 as u64, u32 as u8. */
	assert_int_equal(parse_blk_with(LHV_BLK_ATTR_START, 4, zeros, &err),
			 -ERANGE);
	assert_int_equal(err.attr, LHV_ATTR_DEV_CONFIG);
	assert_int_equal(err.nested, LHV_BLK_ATTR_START);
	assert_non_null(strstr(err.msg, "BLK_START"));
	assert_non_null(strstr(err.msg, "not 8"));
	assert_int_equal(parse_blk_with(LHV_BLK_ATTR_SECTORS, 12, zeros, &err),
			 -ERANGE);
	assert_int_equal(err.nested, LHV_BLK_ATTR_SECTORS);
	assert_int_equal(parse_blk_with(LHV_BLK_ATTR_QUEUES, 8, zeros, &err),
			 -ERANGE);
	assert_int_equal(err.nested, LHV_BLK_ATTR_QUEUES);
	assert_int_equal(parse_blk_with(LHV_BLK_ATTR_CACHE, 1, zeros, &err),
			 -ERANGE);
	assert_int_equal(err.nested, LHV_BLK_ATTR_CACHE);
	/* A flag carries nothing. */
	assert_int_equal(parse_blk_with(LHV_BLK_ATTR_READ_ONLY, 4, zeros, &err),
			 -ERANGE);
	assert_int_equal(err.nested, LHV_BLK_ATTR_READ_ONLY);
	assert_int_equal(dev.id, 0);
}

static void test_dev_strings_bounded(void **state)
{
	char serial[LHV_BLK_SERIAL_MAX + 2];
	struct lhv_parse_err err;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	char *path;

	(void)state;
	/* SERIAL: 20 bytes fit, 21 do not. */
	memset(serial, 's', sizeof(serial) - 1);
	serial[sizeof(serial) - 1] = '\0';
	assert_int_equal(parse_blk_with(LHV_BLK_ATTR_SERIAL, sizeof(serial),
					serial, &err),
			 -ERANGE);
	assert_int_equal(err.nested, LHV_BLK_ATTR_SERIAL);
	serial[LHV_BLK_SERIAL_MAX] = '\0';
	assert_int_equal(parse_blk_with(LHV_BLK_ATTR_SERIAL,
					LHV_BLK_SERIAL_MAX + 1, serial, &err),
			 0);
	assert_string_equal(dev.blk.serial, serial);

	/* Not NUL-terminated. */
	assert_int_equal(parse_blk_with(LHV_BLK_ATTR_SERIAL, 4, "abcd", &err),
			 -EINVAL);
	assert_int_equal(err.nested, LHV_BLK_ATTR_SERIAL);

	/* DEV_NAME: LHV_DEV_NAME_MAX with its NUL, no more. */
	nlh = msg_start(LHV_CMD_DEV_GET);
	put_dev_ids(nlh, LHV_ATTR_DEV_NAME, LHV_DEV_BLK);
	mnl_attr_put_strz(nlh, LHV_ATTR_DEV_NAME, "blk0123456789abcd");
	put_blk_config(nlh, 0);
	assert_int_equal(lhv_parse_dev(nlh, &dev, &err), -ERANGE);
	assert_int_equal(err.attr, LHV_ATTR_DEV_NAME);

	/* BACKING: a path as long as the buffer's room does not fit. */
	path = malloc(LHV_BLK_BACKING_BUF + 1);
	assert_non_null(path);
	memset(path, 'p', LHV_BLK_BACKING_BUF);
	path[LHV_BLK_BACKING_BUF] = '\0';
	nlh = blk_reply_ids();
	nest = mnl_attr_nest_start(nlh, LHV_ATTR_DEV_CONFIG);
	mnl_attr_put_strz(nlh, LHV_BLK_ATTR_BACKING, path);
	mnl_attr_nest_end(nlh, nest);
	assert_int_equal(lhv_parse_dev(nlh, &dev, &err), -ERANGE);
	assert_int_equal(err.nested, LHV_BLK_ATTR_BACKING);
	free(path);
}

static void test_dev_nested_garbage(void **state)
{
	struct lhv_parse_err err;
	struct nlmsghdr *nlh;
	struct nlattr *nest, *a;

	(void)state;
	/* An inner attribute that claims more than the nest holds. */
	nlh = blk_reply_ids();
	nest = mnl_attr_nest_start(nlh, LHV_ATTR_DEV_CONFIG);
	mnl_attr_put_strz(nlh, LHV_BLK_ATTR_BACKING, "/dev/vdb");
	a = mnl_nlmsg_get_payload_tail(nlh);
	a->nla_type = LHV_BLK_ATTR_QUEUES;
	a->nla_len = 64;
	nlh->nlmsg_len += sizeof(*a);
	mnl_attr_nest_end(nlh, nest);
	assert_int_equal(lhv_parse_dev(nlh, &dev, &err), -EBADMSG);
	assert_int_equal(err.attr, LHV_ATTR_DEV_CONFIG);
	assert_non_null(strstr(err.msg, "DEV_CONFIG"));

	/* Three bytes: not even an attribute header. */
	nlh = blk_reply_ids();
	mnl_attr_put(nlh, LHV_ATTR_DEV_CONFIG | NLA_F_NESTED, 3, "xyz");
	assert_int_equal(lhv_parse_dev(nlh, &dev, &err), -EBADMSG);
	assert_int_equal(err.attr, LHV_ATTR_DEV_CONFIG);

	/* A u32 where the nest should be. */
	nlh = blk_reply_ids();
	mnl_attr_put_u32(nlh, LHV_ATTR_DEV_CONFIG, 0xdeadbeef);
	assert_int_equal(lhv_parse_dev(nlh, &dev, &err), -EBADMSG);

	/* Broken nests are refused for other types as well. */
	nlh = msg_start(LHV_CMD_DEV_GET);
	put_dev_ids(nlh, 0, LHV_DEV_XHCI);
	mnl_attr_put(nlh, LHV_ATTR_DEV_CONFIG | NLA_F_NESTED, 2, "zz");
	assert_int_equal(lhv_parse_dev(nlh, &dev, &err), -EBADMSG);
	assert_int_equal(dev.type, 0);

	/* An empty nest is well-formed, but a blk needs BACKING. */
	nlh = blk_reply_ids();
	mnl_attr_nest_end(nlh, mnl_attr_nest_start(nlh, LHV_ATTR_DEV_CONFIG));
	assert_int_equal(lhv_parse_dev(nlh, &dev, &err), -ENODATA);
	assert_int_equal(err.nested, LHV_BLK_ATTR_BACKING);
}

static void test_dev_unknown_tolerated(void **state)
{
	struct lhv_parse_err err;
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	(void)state;
	nlh = msg_start(LHV_CMD_DEV_ADD);
	mnl_attr_put_u64(nlh, 200, 1);
	mnl_attr_put_u32(nlh, LHV_ATTR_MAX + 1, 7);
	/* Known, but not part of a DEV reply: ignored. */
	mnl_attr_put_u16(nlh, LHV_ATTR_VM_STATE, 3);
	put_dev_ids(nlh, 0, LHV_DEV_BLK);
	nest = mnl_attr_nest_start(nlh, LHV_ATTR_DEV_CONFIG);
	/* A pad (type 0), a newer blk attribute, then the backing. */
	mnl_attr_put(nlh, LHV_BLK_ATTR_UNSPEC, 4, "\0\0\0\0");
	mnl_attr_put_u64(nlh, LHV_BLK_ATTR_MAX + 1, 99);
	mnl_attr_put_strz(nlh, LHV_BLK_ATTR_BACKING, "/srv/disk.img");
	mnl_attr_put_u32(nlh, LHV_BLK_ATTR_CACHE, 7);
	mnl_attr_nest_end(nlh, nest);
	assert_int_equal(lhv_parse_dev(nlh, &dev, &err), 0);
	assert_string_equal(dev.blk.backing, "/srv/disk.img");
	assert_int_equal(dev.blk.present,
			 LHV_BLK_BIT(LHV_BLK_ATTR_BACKING) |
				 LHV_BLK_BIT(LHV_BLK_ATTR_CACHE));
	/* A cache mode newer than lhvctl: kept, but has no name. */
	assert_int_equal(dev.blk.cache, 7);
	assert_null(lhv_blk_cache_name(dev.blk.cache));
}

static void test_dev_other_type(void **state)
{
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	(void)state;
	/* An unknown type's config is skipped, and it may have none. */
	nlh = msg_start(LHV_CMD_DEV_GET);
	put_dev_ids(nlh, 0, 77);
	nest = mnl_attr_nest_start(nlh, LHV_ATTR_DEV_CONFIG);
	mnl_attr_put_u64(nlh, 1, 5); /* would be a bad BLK_BACKING */
	mnl_attr_nest_end(nlh, nest);
	assert_int_equal(lhv_parse_dev(nlh, &dev, NULL), 0);
	assert_int_equal(dev.type, 77);
	assert_true(dev.has_config);
	assert_string_equal(dev.blk.backing, "");

	nlh = msg_start(LHV_CMD_DEV_GET);
	put_dev_ids(nlh, 0, 77);
	assert_int_equal(lhv_parse_dev(nlh, &dev, NULL), 0);
	assert_int_equal(dev.type, 77);
	assert_false(dev.has_config);
	assert_null(lhv_dev_type_name(dev.type));
}

static void test_dev_xhci(void **state)
{
	struct lhv_parse_err err;
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	(void)state;
	/* Without a forwarded port: no DEV_CONFIG at all. */
	nlh = msg_start(LHV_CMD_DEV_GET);
	put_dev_ids(nlh, 0, LHV_DEV_XHCI);
	assert_int_equal(lhv_parse_dev(nlh, &dev, NULL), 0);
	assert_int_equal(dev.type, LHV_DEV_XHCI);
	assert_int_equal(dev.xhci.present, 0);
	assert_string_equal(dev.xhci.usb_port, "");

	nlh = msg_start(LHV_CMD_DEV_GET);
	put_dev_ids(nlh, 0, LHV_DEV_XHCI);
	nest = mnl_attr_nest_start(nlh, LHV_ATTR_DEV_CONFIG);
	mnl_attr_put_strz(nlh, LHV_XHCI_ATTR_USB_PORT, "1-1.2");
	mnl_attr_nest_end(nlh, nest);
	assert_int_equal(lhv_parse_dev(nlh, &dev, NULL), 0);
	assert_true(dev.xhci.present & (1u << LHV_XHCI_ATTR_USB_PORT));
	assert_string_equal(dev.xhci.usb_port, "1-1.2");

	/* A controller with a role switch, and the switch's role. */
	nlh = msg_start(LHV_CMD_DEV_GET);
	put_dev_ids(nlh, 0, LHV_DEV_XHCI);
	nest = mnl_attr_nest_start(nlh, LHV_ATTR_DEV_CONFIG);
	mnl_attr_put_strz(nlh, LHV_XHCI_ATTR_ROLE_SWITCH, "intel-xhci-usb-sw");
	mnl_attr_put_u32(nlh, LHV_XHCI_ATTR_ROLE, LHV_XHCI_ROLE_DEVICE);
	mnl_attr_nest_end(nlh, nest);
	assert_int_equal(lhv_parse_dev(nlh, &dev, NULL), 0);
	assert_int_equal(dev.xhci.present, (1u << LHV_XHCI_ATTR_ROLE_SWITCH) |
						   (1u << LHV_XHCI_ATTR_ROLE));
	assert_string_equal(dev.xhci.role_switch, "intel-xhci-usb-sw");
	assert_int_equal(dev.xhci.role, LHV_XHCI_ROLE_DEVICE);

	/* A port longer than the kernel ever sends is refused. */
	nlh = msg_start(LHV_CMD_DEV_GET);
	put_dev_ids(nlh, 0, LHV_DEV_XHCI);
	nest = mnl_attr_nest_start(nlh, LHV_ATTR_DEV_CONFIG);
	mnl_attr_put_strz(nlh, LHV_XHCI_ATTR_USB_PORT,
			  "1-1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1");
	mnl_attr_nest_end(nlh, nest);
	assert_int_equal(lhv_parse_dev(nlh, &dev, &err), -ERANGE);

	/* Not a string. */
	nlh = msg_start(LHV_CMD_DEV_GET);
	put_dev_ids(nlh, 0, LHV_DEV_XHCI);
	nest = mnl_attr_nest_start(nlh, LHV_ATTR_DEV_CONFIG);
	mnl_attr_put_u32(nlh, LHV_XHCI_ATTR_USB_PORT, 0x31312d31);
	mnl_attr_nest_end(nlh, nest);
	assert_int_not_equal(lhv_parse_dev(nlh, &dev, &err), 0);
}

static void test_dev_short_message(void **state)
{
	struct lhv_parse_err err;
	struct nlmsghdr *nlh;

	(void)state;
	nlh = msg_start(LHV_CMD_DEV_GET);
	nlh->nlmsg_len = MNL_NLMSG_HDRLEN + 1;
	assert_int_equal(lhv_parse_dev(nlh, &dev, &err), -EBADMSG);

	nlh = blk_reply(0);
	nlh->nlmsg_len += 2; /* stray bytes after the last attribute */
	assert_int_equal(lhv_parse_dev(nlh, &dev, &err), -EBADMSG);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(lhv_dev_type_name(LHV_DEV_BLK), "blk");
	assert_string_equal(lhv_dev_type_name(LHV_DEV_SND), "snd");
	assert_string_equal(lhv_dev_type_name(LHV_DEV_HECI), "heci");
	assert_string_equal(lhv_dev_type_name(LHV_DEV_XHCI), "xhci");
	assert_null(lhv_dev_type_name(LHV_DEV_UNSPEC));
	assert_null(lhv_dev_type_name(__LHV_DEV_TYPE_COUNT));
	assert_string_equal(lhv_blk_cache_name(LHV_BLK_CACHE_WRITEBACK),
			    "writeback");
	assert_string_equal(lhv_attr_name(LHV_ATTR_DEV_CONFIG), "DEV_CONFIG");
	assert_string_equal(lhv_blk_attr_name(LHV_BLK_ATTR_QUEUE_SIZE),
			    "BLK_QUEUE_SIZE");
	assert_string_equal(lhv_blk_attr_name(LHV_BLK_ATTR_MAX + 1), "unknown");
}

/* ---- lhv_parse_uint(), lhv_parse_blk_cache() ---- */

static void assert_uint(const char *s, unsigned int bits, uint64_t want)
{
	uint64_t v = 0xdeadbeef;

	assert_int_equal(lhv_parse_uint(s, bits, &v), 0);
	assert_true(v == want);
}

static void assert_uint_err(const char *s, unsigned int bits, int want)
{
	uint64_t v = 0xdeadbeef;

	assert_int_equal(lhv_parse_uint(s, bits, &v), want);
	/* Untouched on failure. */
	assert_true(v == 0xdeadbeef);
}

static void test_uint_good(void **state)
{
	(void)state;
	assert_uint("0", 32, 0);
	assert_uint("1", 32, 1);
	assert_uint("0010", 32, 10); /* decimal, not octal */
	assert_uint("4294967295", 32, UINT32_MAX);
	assert_uint("0xffffffff", 32, UINT32_MAX);
	assert_uint("0XFFFFffff", 32, UINT32_MAX);
	assert_uint("0x0", 32, 0);
	assert_uint("0x00000000000000000001", 64, 1);
	assert_uint("18446744073709551615", 64, UINT64_MAX);
	assert_uint("0xffffffffffffffff", 64, UINT64_MAX);
	assert_uint("1", 1, 1);
	assert_uint("255", 8, 255);
}

static void test_uint_overflow(void **state)
{
	(void)state;
	assert_uint_err("4294967296", 32, -ERANGE);
	assert_uint_err("0x100000000", 32, -ERANGE);
	assert_uint_err("18446744073709551616", 64, -ERANGE);
	assert_uint_err("99999999999999999999999999", 64, -ERANGE);
	assert_uint_err("0x10000000000000000", 64, -ERANGE);
	assert_uint_err("2", 1, -ERANGE);
	assert_uint_err("256", 8, -ERANGE);
	/* Garbage after an overflow is garbage first. */
	assert_uint_err("99999999999999999999999z", 64, -EINVAL);
}

static void test_uint_garbage(void **state)
{
	(void)state;
	assert_uint_err("", 32, -EINVAL);
	assert_uint_err("-1", 32, -EINVAL);
	assert_uint_err("-0", 32, -EINVAL);
	assert_uint_err("+1", 32, -EINVAL);
	assert_uint_err(" 1", 32, -EINVAL);
	assert_uint_err("1 ", 32, -EINVAL);
	assert_uint_err("12x", 32, -EINVAL);
	assert_uint_err("1k", 64, -EINVAL); /* no suffixes */
	assert_uint_err("1M", 64, -EINVAL);
	assert_uint_err("1.5", 32, -EINVAL);
	assert_uint_err("0x", 32, -EINVAL);
	assert_uint_err("0xg", 32, -EINVAL);
	assert_uint_err("x10", 32, -EINVAL);
	assert_uint_err("0x-1", 32, -EINVAL);
	assert_uint_err("0x 1", 32, -EINVAL);
	assert_uint_err("ff", 32, -EINVAL); /* hex only with 0x */
	assert_uint_err("0b101", 32, -EINVAL);
	assert_uint_err("1e3", 32, -EINVAL);
	assert_uint_err(NULL, 32, -EINVAL);
	/* A bad width is no number either. */
	assert_uint_err("1", 0, -EINVAL);
	assert_uint_err("1", 65, -EINVAL);
}

static void test_cache_words(void **state)
{
	uint32_t c = 99;

	(void)state;
	assert_int_equal(lhv_parse_blk_cache("writeback", &c), 0);
	assert_int_equal(c, LHV_BLK_CACHE_WRITEBACK);
	assert_int_equal(lhv_parse_blk_cache("writethrough", &c), 0);
	assert_int_equal(c, LHV_BLK_CACHE_WRITETHROUGH);
	c = 99;
	assert_int_equal(lhv_parse_blk_cache("WriteBack", &c), -EINVAL);
	assert_int_equal(lhv_parse_blk_cache("writeback ", &c), -EINVAL);
	assert_int_equal(lhv_parse_blk_cache("1", &c), -EINVAL);
	assert_int_equal(lhv_parse_blk_cache("", &c), -EINVAL);
	assert_int_equal(lhv_parse_blk_cache(NULL, &c), -EINVAL);
	assert_int_equal(c, 99);
}

/* ---- requests ---- */

/* Index the top-level attributes of a request in buf. */
static void index_request(const struct nlmsghdr *nlh, const struct nlattr **tb)
{
	const size_t hdrs = MNL_NLMSG_HDRLEN + GENL_HDRLEN;

	memset(tb, 0, (LHV_ATTR_MAX + 1) * sizeof(*tb));
	assert_int_equal(lhv_attrs_index((const char *)nlh + hdrs,
					 nlh->nlmsg_len - hdrs, tb,
					 LHV_ATTR_MAX),
			 0);
}

/* The attribute must be a string equal to want. */
static void assert_attr_str(const struct nlattr *a, const char *want)
{
	assert_non_null(a);
	assert_int_equal(mnl_attr_validate(a, MNL_TYPE_NUL_STRING), 0);
	assert_string_equal(mnl_attr_get_str(a), want);
	/* Exactly the string and its NUL. */
	assert_int_equal(mnl_attr_get_payload_len(a), strlen(want) + 1);
}

static void assert_attr_u32(const struct nlattr *a, uint32_t want)
{
	assert_non_null(a);
	assert_int_equal(mnl_attr_get_payload_len(a), 4);
	assert_int_equal(mnl_attr_get_u32(a), want);
}

static void assert_attr_u64(const struct nlattr *a, uint64_t want)
{
	uint64_t v;

	assert_non_null(a);
	assert_int_equal(mnl_attr_get_payload_len(a), 8);
	memcpy(&v, mnl_attr_get_payload(a), sizeof(v));
	assert_true(v == want);
}

/* Count the attributes in a nest, to catch any extra one. */
static unsigned int count_nested(const struct nlattr *nest)
{
	const struct nlattr *a;
	unsigned int n = 0;

	mnl_attr_for_each_nested (a, nest)
		n++;
	return n;
}

static void test_req_blk_add_full(void **state)
{
	const struct nlattr *tb[LHV_ATTR_MAX + 1];
	const struct nlattr *cfg[LHV_BLK_ATTR_MAX + 1] = { NULL };
	const struct lhv_blk_req r = {
		.vm = "service",
		.backing = "/dev/vdb",
		.serial = "SN1",
		.read_only = true,
		.set = LHV_BLK_BIT(LHV_BLK_ATTR_START) |
		       LHV_BLK_BIT(LHV_BLK_ATTR_SECTORS) |
		       LHV_BLK_BIT(LHV_BLK_ATTR_QUEUES) |
		       LHV_BLK_BIT(LHV_BLK_ATTR_QUEUE_SIZE) |
		       LHV_BLK_BIT(LHV_BLK_ATTR_CACHE),
		.start = 0x123456789ULL,
		.sectors = UINT64_MAX,
		.queues = 2,
		.queue_size = 512,
		.cache = LHV_BLK_CACHE_WRITETHROUGH,
	};
	struct nlmsghdr *nlh;
	const struct nlattr *c;

	(void)state;
	nlh = msg_start(LHV_CMD_DEV_ADD);
	assert_int_equal(lhv_req_blk_add(nlh, sizeof(buf), &r), 0);
	index_request(nlh, tb);
	assert_attr_str(tb[LHV_ATTR_VM_NAME], "service");
	assert_attr_u32(tb[LHV_ATTR_DEV_TYPE], LHV_DEV_BLK);
	assert_null(tb[LHV_ATTR_DEV_ID]);

	c = tb[LHV_ATTR_DEV_CONFIG];
	assert_non_null(c);
	/* The kernel's strict policy wants the nested flag. */
	assert_true(c->nla_type & NLA_F_NESTED);
	assert_int_equal(lhv_attrs_index(mnl_attr_get_payload(c),
					 mnl_attr_get_payload_len(c), cfg,
					 LHV_BLK_ATTR_MAX),
			 0);
	assert_int_equal(count_nested(c), 8);
	assert_attr_str(cfg[LHV_BLK_ATTR_BACKING], "/dev/vdb");
	assert_attr_u64(cfg[LHV_BLK_ATTR_START], 0x123456789ULL);
	assert_attr_u64(cfg[LHV_BLK_ATTR_SECTORS], UINT64_MAX);
	assert_non_null(cfg[LHV_BLK_ATTR_READ_ONLY]);
	assert_int_equal(mnl_attr_get_payload_len(cfg[LHV_BLK_ATTR_READ_ONLY]),
			 0);
	assert_attr_str(cfg[LHV_BLK_ATTR_SERIAL], "SN1");
	assert_attr_u32(cfg[LHV_BLK_ATTR_QUEUES], 2);
	assert_attr_u32(cfg[LHV_BLK_ATTR_QUEUE_SIZE], 512);
	assert_attr_u32(cfg[LHV_BLK_ATTR_CACHE], LHV_BLK_CACHE_WRITETHROUGH);
	assert_null(cfg[LHV_BLK_ATTR_LOGICAL_BLOCK]);
}

static void test_req_blk_add_minimal(void **state)
{
	const struct nlattr *tb[LHV_ATTR_MAX + 1];
	const struct nlattr *cfg[LHV_BLK_ATTR_MAX + 1] = { NULL };
	/* Values without their set bit stay home: the kernel's defaults. */
	const struct lhv_blk_req r = {
		.vm = "vm1",
		.backing = "/srv/a.img",
		.start = 5,
		.queues = 3,
	};
	struct nlmsghdr *nlh;
	struct lhv_blk_req z;

	(void)state;
	nlh = msg_start(LHV_CMD_DEV_ADD);
	assert_int_equal(lhv_req_blk_add(nlh, sizeof(buf), &r), 0);
	index_request(nlh, tb);
	assert_attr_str(tb[LHV_ATTR_VM_NAME], "vm1");
	assert_non_null(tb[LHV_ATTR_DEV_CONFIG]);
	assert_int_equal(count_nested(tb[LHV_ATTR_DEV_CONFIG]), 1);
	lhv_attrs_index(mnl_attr_get_payload(tb[LHV_ATTR_DEV_CONFIG]),
			mnl_attr_get_payload_len(tb[LHV_ATTR_DEV_CONFIG]), cfg,
			LHV_BLK_ATTR_MAX);
	assert_attr_str(cfg[LHV_BLK_ATTR_BACKING], "/srv/a.img");

	/* Zero is a value like any other once it is set. */
	z = r;
	z.set = LHV_BLK_BIT(LHV_BLK_ATTR_SECTORS);
	z.sectors = 0;
	nlh = msg_start(LHV_CMD_DEV_ADD);
	assert_int_equal(lhv_req_blk_add(nlh, sizeof(buf), &z), 0);
	index_request(nlh, tb);
	memset(cfg, 0, sizeof(cfg));
	lhv_attrs_index(mnl_attr_get_payload(tb[LHV_ATTR_DEV_CONFIG]),
			mnl_attr_get_payload_len(tb[LHV_ATTR_DEV_CONFIG]), cfg,
			LHV_BLK_ATTR_MAX);
	assert_attr_u64(cfg[LHV_BLK_ATTR_SECTORS], 0);
	assert_null(cfg[LHV_BLK_ATTR_START]);
}

static void test_req_blk_add_as_given(void **state)
{
	const struct nlattr *tb[LHV_ATTR_MAX + 1];
	const struct nlattr *cfg[LHV_BLK_ATTR_MAX + 1] = { NULL };
	/* Semantics are the kernel's: lhvctl passes nonsense through. */
	const struct lhv_blk_req r = {
		.vm = "",
		.backing = "",
		.serial = "a serial far longer than twenty bytes",
		.set = LHV_BLK_BIT(LHV_BLK_ATTR_QUEUES) |
		       LHV_BLK_BIT(LHV_BLK_ATTR_QUEUE_SIZE),
		.queues = 0,
		.queue_size = 3,
	};
	struct nlmsghdr *nlh;

	(void)state;
	nlh = msg_start(LHV_CMD_DEV_ADD);
	assert_int_equal(lhv_req_blk_add(nlh, sizeof(buf), &r), 0);
	index_request(nlh, tb);
	assert_attr_str(tb[LHV_ATTR_VM_NAME], "");
	lhv_attrs_index(mnl_attr_get_payload(tb[LHV_ATTR_DEV_CONFIG]),
			mnl_attr_get_payload_len(tb[LHV_ATTR_DEV_CONFIG]), cfg,
			LHV_BLK_ATTR_MAX);
	assert_attr_str(cfg[LHV_BLK_ATTR_BACKING], "");
	assert_attr_str(cfg[LHV_BLK_ATTR_SERIAL],
			"a serial far longer than twenty bytes");
	assert_attr_u32(cfg[LHV_BLK_ATTR_QUEUES], 0);
	assert_attr_u32(cfg[LHV_BLK_ATTR_QUEUE_SIZE], 3);
}

static void test_req_blk_add_too_big(void **state)
{
	struct lhv_blk_req r = { .vm = "service" };
	struct nlmsghdr *nlh;
	uint32_t len;
	char *path;

	(void)state;
	path = malloc(sizeof(buf));
	assert_non_null(path);
	memset(path, 'p', sizeof(buf) - 1);
	path[sizeof(buf) - 1] = '\0';
	r.backing = path;

	nlh = msg_start(LHV_CMD_DEV_ADD);
	len = nlh->nlmsg_len;
	assert_int_equal(lhv_req_blk_add(nlh, sizeof(buf), &r), -EMSGSIZE);
	/* Left as it was: nothing half-built. */
	assert_int_equal(nlh->nlmsg_len, len);

	/* A shorter path fits the buffer... */
	path[200] = '\0';
	assert_int_equal(lhv_req_blk_add(nlh, sizeof(buf), &r), 0);
	/* ...but not a tiny one. */
	nlh = msg_start(LHV_CMD_DEV_ADD);
	assert_int_equal(lhv_req_blk_add(nlh, 64, &r), -EMSGSIZE);
	assert_int_equal(nlh->nlmsg_len, len);
	free(path);
}

static void test_req_dev_del(void **state)
{
	const struct nlattr *tb[LHV_ATTR_MAX + 1];
	struct nlmsghdr *nlh;

	(void)state;
	nlh = msg_start(LHV_CMD_DEV_DEL);
	assert_int_equal(
		lhv_req_dev_del(nlh, sizeof(buf), "service", 0xfffffff0), 0);
	index_request(nlh, tb);
	assert_attr_str(tb[LHV_ATTR_VM_NAME], "service");
	assert_attr_u32(tb[LHV_ATTR_DEV_ID], 0xfffffff0);
	assert_null(tb[LHV_ATTR_DEV_TYPE]);
	assert_null(tb[LHV_ATTR_DEV_CONFIG]);

	nlh = msg_start(LHV_CMD_DEV_DEL);
	assert_int_equal(lhv_req_dev_del(nlh, 24, "service", 1), -EMSGSIZE);
	assert_int_equal(nlh->nlmsg_len, MNL_NLMSG_HDRLEN + GENL_HDRLEN);
}

static void test_req_dev_get(void **state)
{
	const struct nlattr *tb[LHV_ATTR_MAX + 1];
	struct nlmsghdr *nlh;

	(void)state;
	nlh = msg_start(LHV_CMD_DEV_GET);
	assert_int_equal(lhv_req_dev_get(nlh, sizeof(buf), "vm2", LHV_DEV_BLK),
			 0);
	index_request(nlh, tb);
	assert_attr_str(tb[LHV_ATTR_VM_NAME], "vm2");
	assert_attr_u32(tb[LHV_ATTR_DEV_TYPE], LHV_DEV_BLK);

	/* No filters: no attributes at all. */
	nlh = msg_start(LHV_CMD_DEV_GET);
	assert_int_equal(
		lhv_req_dev_get(nlh, sizeof(buf), NULL, LHV_DEV_UNSPEC), 0);
	assert_int_equal(nlh->nlmsg_len, MNL_NLMSG_HDRLEN + GENL_HDRLEN);

	nlh = msg_start(LHV_CMD_DEV_GET);
	assert_int_equal(lhv_req_dev_get(nlh, sizeof(buf), NULL, LHV_DEV_BLK),
			 0);
	index_request(nlh, tb);
	assert_null(tb[LHV_ATTR_VM_NAME]);
	assert_attr_u32(tb[LHV_ATTR_DEV_TYPE], LHV_DEV_BLK);
}

/* What lhvctl sends, the kernel answers with, and lhvctl parses back. */
/* The echo client of lhv's ME simulator, as text and in MEI order. */
static const char echo_text[] = "d2e5c6a4-0001-4c68-8076-6c6876000001";
static const uint8_t echo_wire[16] = { 0xa4, 0xc6, 0xe5, 0xd2, 0x01, 0x00,
				       0x68, 0x4c, 0x80, 0x76, 0x6c, 0x68,
				       0x76, 0x00, 0x00, 0x01 };

static void test_uuid_good(void **state)
{
	uint8_t u[16];
	char text[37];

	(void)state;
	assert_int_equal(lhv_parse_uuid(echo_text, u), 0);
	assert_memory_equal(u, echo_wire, 16);
	lhv_format_uuid(u, text);
	assert_string_equal(text, echo_text);
	/* Upper case reads the same; the text form is lower case. */
	assert_int_equal(
		lhv_parse_uuid("D2E5C6A4-0001-4C68-8076-6C6876000001", u), 0);
	assert_memory_equal(u, echo_wire, 16);
}

static void test_uuid_bad(void **state)
{
	static const char *const bad[] = {
		"",
		"d2e5c6a4-0001-4c68-8076-6c687600000",	 /* short */
		"d2e5c6a4-0001-4c68-8076-6c68760000011", /* long */
		"d2e5c6a40-001-4c68-8076-6c6876000001",	 /* dashes moved */
		"d2e5c6a4-0001-4c68-8076_6c6876000001",	 /* not a dash */
		"g2e5c6a4-0001-4c68-8076-6c6876000001",	 /* not hex */
		"d2e5c6a4-0001-4c68-8076-6c687600000 ",	 /* a space */
		"{2e5c6a4-0001-4c68-8076-6c6876000001",
	};
	uint8_t u[16];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(u, 0xee, sizeof(u));
		assert_int_equal(lhv_parse_uuid(bad[i], u), -EINVAL);
		assert_int_equal(u[0], 0xee); /* untouched */
	}
	assert_int_equal(lhv_parse_uuid(NULL, u), -EINVAL);
}

static void test_heci_backend_words(void **state)
{
	uint32_t v = 77;

	(void)state;
	assert_int_equal(lhv_parse_heci_backend("sim", &v), 0);
	assert_int_equal(v, LHV_HECI_BACKEND_SIM);
	assert_int_equal(lhv_parse_heci_backend("mei", &v), 0);
	assert_int_equal(v, LHV_HECI_BACKEND_MEI);
	assert_int_equal(lhv_parse_heci_backend("MEI", &v), -EINVAL);
	assert_int_equal(lhv_parse_heci_backend("", &v), -EINVAL);
	assert_int_equal(v, LHV_HECI_BACKEND_MEI);
	assert_string_equal(lhv_heci_backend_name(LHV_HECI_BACKEND_SIM), "sim");
	assert_string_equal(lhv_heci_backend_name(LHV_HECI_BACKEND_MEI), "mei");
	assert_null(lhv_heci_backend_name(9));
	assert_string_equal(lhv_heci_attr_name(LHV_HECI_ATTR_ALLOW),
			    "HECI_ALLOW");
	assert_string_equal(lhv_heci_attr_name(99), "unknown");
}

/* A heci DEV_CONFIG: backend, n UUIDs of ulen bytes, max and vtag. */
static void put_heci_config(struct nlmsghdr *nlh, bool backend, unsigned int n,
			    uint16_t ulen)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, LHV_ATTR_DEV_CONFIG);
	struct nlattr *allow;
	uint8_t u[20];
	unsigned int i;

	if (backend)
		mnl_attr_put_u32(nlh, LHV_HECI_ATTR_BACKEND,
				 LHV_HECI_BACKEND_MEI);
	allow = mnl_attr_nest_start(nlh, LHV_HECI_ATTR_ALLOW);
	for (i = 0; i < n; i++) {
		memcpy(u, echo_wire, 16);
		u[15] = (uint8_t)i;
		mnl_attr_put(nlh, LHV_HECI_ALLOW_UUID, ulen, u);
	}
	mnl_attr_nest_end(nlh, allow);
	mnl_attr_put_u32(nlh, LHV_HECI_ATTR_MAX_MSG_LEN, 4096);
	mnl_attr_put_u32(nlh, LHV_HECI_ATTR_VTAG, 3);
	mnl_attr_nest_end(nlh, nest);
}

static void test_dev_heci_good(void **state)
{
	struct nlmsghdr *nlh;

	(void)state;
	nlh = msg_start(LHV_CMD_DEV_ADD);
	put_dev_ids(nlh, 0, LHV_DEV_HECI);
	put_heci_config(nlh, true, 2, 16);
	assert_int_equal(lhv_parse_dev(nlh, &dev, NULL), 0);
	assert_int_equal(dev.type, LHV_DEV_HECI);
	assert_int_equal(dev.heci.backend, LHV_HECI_BACKEND_MEI);
	assert_int_equal(dev.heci.max_msg_len, 4096);
	assert_int_equal(dev.heci.vtag, 3);
	assert_int_equal(dev.heci.nr_allow, 2);
	assert_memory_equal(dev.heci.allow[0], echo_wire, 15);
	assert_int_equal(dev.heci.allow[1][15], 1);
	assert_true(dev.heci.present & (1u << LHV_HECI_ATTR_ALLOW));
}

static void test_dev_heci_bad(void **state)
{
	struct lhv_parse_err err;
	struct nlmsghdr *nlh;

	(void)state;
	/* BACKEND is required. */
	nlh = msg_start(LHV_CMD_DEV_ADD);
	put_dev_ids(nlh, 0, LHV_DEV_HECI);
	put_heci_config(nlh, false, 1, 16);
	assert_int_equal(lhv_parse_dev(nlh, &dev, &err), -ENODATA);
	assert_int_equal(err.nested, LHV_HECI_ATTR_BACKEND);
	assert_int_equal(dev.type, 0); /* zeroed on failure */

	/* A UUID of 15 or 17 bytes. */
	nlh = msg_start(LHV_CMD_DEV_ADD);
	put_dev_ids(nlh, 0, LHV_DEV_HECI);
	put_heci_config(nlh, true, 1, 15);
	assert_int_equal(lhv_parse_dev(nlh, &dev, &err), -ERANGE);
	assert_int_equal(err.nested, LHV_HECI_ATTR_ALLOW);
	nlh = msg_start(LHV_CMD_DEV_ADD);
	put_dev_ids(nlh, 0, LHV_DEV_HECI);
	put_heci_config(nlh, true, 1, 17);
	assert_int_equal(lhv_parse_dev(nlh, &dev, &err), -ERANGE);

	/* More UUIDs than the ABI allows. */
	nlh = msg_start(LHV_CMD_DEV_ADD);
	put_dev_ids(nlh, 0, LHV_DEV_HECI);
	put_heci_config(nlh, true, LHV_HECI_MAX_ALLOW + 1, 16);
	assert_int_equal(lhv_parse_dev(nlh, &dev, &err), -ERANGE);

	/* A heci device's reply needs its DEV_CONFIG. */
	nlh = msg_start(LHV_CMD_DEV_ADD);
	put_dev_ids(nlh, 0, LHV_DEV_HECI);
	assert_int_equal(lhv_parse_dev(nlh, &dev, &err), -ENODATA);
	assert_int_equal(err.attr, LHV_ATTR_DEV_CONFIG);
}

static void test_dev_heci_allow_garbage(void **state)
{
	struct lhv_parse_err err;
	struct nlmsghdr *nlh;
	struct nlattr *nest, *allow;
	uint8_t junk[6] = { 0xff, 0x00, 0x01, 0x00, 0, 0 }; /* nla_len 255 */

	(void)state;
	nlh = msg_start(LHV_CMD_DEV_ADD);
	put_dev_ids(nlh, 0, LHV_DEV_HECI);
	nest = mnl_attr_nest_start(nlh, LHV_ATTR_DEV_CONFIG);
	mnl_attr_put_u32(nlh, LHV_HECI_ATTR_BACKEND, LHV_HECI_BACKEND_SIM);
	allow = mnl_attr_nest_start(nlh, LHV_HECI_ATTR_ALLOW);
	memcpy((char *)mnl_nlmsg_get_payload_tail(nlh), junk, sizeof(junk));
	nlh->nlmsg_len += 8;
	mnl_attr_nest_end(nlh, allow);
	mnl_attr_nest_end(nlh, nest);
	assert_int_equal(lhv_parse_dev(nlh, &dev, &err), -EBADMSG);
	assert_int_equal(err.nested, LHV_HECI_ATTR_ALLOW);
}

static void test_req_heci_add(void **state)
{
	const struct nlattr *tb[LHV_ATTR_MAX + 1] = { NULL };
	const struct nlattr *cfg[LHV_HECI_ATTR_MAX + 1] = { NULL };
	struct lhv_heci_req r = { .vm = "service",
				  .backend = LHV_HECI_BACKEND_MEI,
				  .has_max_msg_len = true,
				  .max_msg_len = 512,
				  .nr_allow = 2 };
	const struct nlattr *a;
	struct nlmsghdr *nlh;
	unsigned int n = 0;
	uint32_t len;

	(void)state;
	memcpy(r.allow[0], echo_wire, 16);
	memcpy(r.allow[1], echo_wire, 16);
	r.allow[1][15] = 2;
	nlh = msg_start(LHV_CMD_DEV_ADD);
	assert_int_equal(lhv_req_heci_add(nlh, sizeof(buf), &r), 0);
	assert_int_equal(
		lhv_attrs_index(mnl_nlmsg_get_payload_offset(nlh, GENL_HDRLEN),
				nlh->nlmsg_len - MNL_NLMSG_HDRLEN - GENL_HDRLEN,
				tb, LHV_ATTR_MAX),
		0);
	assert_attr_str(tb[LHV_ATTR_VM_NAME], "service");
	assert_attr_u32(tb[LHV_ATTR_DEV_TYPE], LHV_DEV_HECI);
	assert_non_null(tb[LHV_ATTR_DEV_CONFIG]);
	assert_int_equal(
		lhv_attrs_index(
			mnl_attr_get_payload(tb[LHV_ATTR_DEV_CONFIG]),
			mnl_attr_get_payload_len(tb[LHV_ATTR_DEV_CONFIG]), cfg,
			LHV_HECI_ATTR_MAX),
		0);
	assert_int_equal(count_nested(tb[LHV_ATTR_DEV_CONFIG]), 3);
	assert_attr_u32(cfg[LHV_HECI_ATTR_BACKEND], LHV_HECI_BACKEND_MEI);
	assert_attr_u32(cfg[LHV_HECI_ATTR_MAX_MSG_LEN], 512);
	assert_non_null(cfg[LHV_HECI_ATTR_ALLOW]);
	mnl_attr_for_each_nested (a, cfg[LHV_HECI_ATTR_ALLOW]) {
		assert_int_equal(mnl_attr_get_type(a), LHV_HECI_ALLOW_UUID);
		assert_int_equal(mnl_attr_get_payload_len(a), 16);
		assert_memory_equal(mnl_attr_get_payload(a), r.allow[n], 16);
		n++;
	}
	assert_int_equal(n, 2);

	/* Without an allow list or a length: BACKEND alone. */
	r.nr_allow = 0;
	r.has_max_msg_len = false;
	nlh = msg_start(LHV_CMD_DEV_ADD);
	assert_int_equal(lhv_req_heci_add(nlh, sizeof(buf), &r), 0);
	memset(tb, 0, sizeof(tb));
	lhv_attrs_index(mnl_nlmsg_get_payload_offset(nlh, GENL_HDRLEN),
			nlh->nlmsg_len - MNL_NLMSG_HDRLEN - GENL_HDRLEN, tb,
			LHV_ATTR_MAX);
	assert_int_equal(count_nested(tb[LHV_ATTR_DEV_CONFIG]), 1);

	/* Too small a buffer: refused, the message as it was. */
	r.nr_allow = 2;
	nlh = msg_start(LHV_CMD_DEV_ADD);
	len = nlh->nlmsg_len;
	assert_int_equal(lhv_req_heci_add(nlh, len + 40, &r), -EMSGSIZE);
	assert_int_equal(nlh->nlmsg_len, len);
}

static void test_req_reply_round_trip(void **state)
{
	const struct lhv_blk_req r = {
		.vm = "service",
		.backing = "/dev/vdc",
		.set = LHV_BLK_BIT(LHV_BLK_ATTR_QUEUES),
		.queues = 2,
	};
	struct nlmsghdr *nlh;

	(void)state;
	/* A reply carries the request's attributes plus the ids. */
	nlh = msg_start(LHV_CMD_DEV_ADD);
	mnl_attr_put_u32(nlh, LHV_ATTR_DEV_ID, 7);
	mnl_attr_put_strz(nlh, LHV_ATTR_DEV_NAME, "blk3");
	assert_int_equal(lhv_req_blk_add(nlh, sizeof(buf), &r), 0);
	assert_int_equal(lhv_parse_dev(nlh, &dev, NULL), 0);
	assert_string_equal(dev.vm, "service");
	assert_int_equal(dev.id, 7);
	assert_string_equal(dev.name, "blk3");
	assert_string_equal(dev.blk.backing, "/dev/vdc");
	assert_int_equal(dev.blk.queues, 2);
	assert_int_equal(dev.blk.present,
			 LHV_BLK_BIT(LHV_BLK_ATTR_BACKING) |
				 LHV_BLK_BIT(LHV_BLK_ATTR_QUEUES));
}

static void test_req_vm_stop(void **state)
{
	const struct nlattr *tb[LHV_ATTR_MAX + 1];
	struct nlmsghdr *nlh;

	(void)state;
	/* Graceful: the name and nothing else. */
	nlh = msg_start(LHV_CMD_VM_STOP);
	assert_int_equal(lhv_req_vm(nlh, sizeof(buf), "uos", false), 0);
	index_request(nlh, tb);
	assert_attr_str(tb[LHV_ATTR_VM_NAME], "uos");
	assert_null(tb[LHV_ATTR_VM_STOP_FORCE]);
	assert_int_equal(nlh->nlmsg_len,
			 MNL_NLMSG_HDRLEN + GENL_HDRLEN + MNL_ALIGN(4 + 4));

	/* Forced: a flag, no payload. */
	nlh = msg_start(LHV_CMD_VM_STOP);
	assert_int_equal(lhv_req_vm(nlh, sizeof(buf), "uos", true), 0);
	index_request(nlh, tb);
	assert_attr_str(tb[LHV_ATTR_VM_NAME], "uos");
	assert_non_null(tb[LHV_ATTR_VM_STOP_FORCE]);
	assert_int_equal(mnl_attr_get_payload_len(tb[LHV_ATTR_VM_STOP_FORCE]),
			 0);

	/* Room for the name but not the flag: nothing half-built. */
	nlh = msg_start(LHV_CMD_VM_STOP);
	assert_int_equal(lhv_req_vm(nlh, MNL_NLMSG_HDRLEN + GENL_HDRLEN + 8,
				    "uos", true),
			 -EMSGSIZE);
	assert_int_equal(nlh->nlmsg_len, MNL_NLMSG_HDRLEN + GENL_HDRLEN);
}

static void test_req_console_write(void **state)
{
	const struct nlattr *tb[LHV_ATTR_MAX + 1];
	char text[LHV_VM_CONSOLE_IN_MAX + 1];
	struct nlmsghdr *nlh;

	(void)state;
	memset(text, 'x', sizeof(text));
	text[3] = '\0'; /* bytes, not a string: a NUL goes as it is */
	nlh = msg_start(LHV_CMD_VM_CONSOLE_WRITE);
	assert_int_equal(lhv_req_console_write(nlh, sizeof(buf), "uos", text,
					       LHV_VM_CONSOLE_IN_MAX),
			 0);
	index_request(nlh, tb);
	assert_attr_str(tb[LHV_ATTR_VM_NAME], "uos");
	assert_non_null(tb[LHV_ATTR_VM_CONSOLE_TEXT]);
	assert_int_equal(mnl_attr_get_payload_len(tb[LHV_ATTR_VM_CONSOLE_TEXT]),
			 LHV_VM_CONSOLE_IN_MAX);
	assert_memory_equal(mnl_attr_get_payload(tb[LHV_ATTR_VM_CONSOLE_TEXT]),
			    text, LHV_VM_CONSOLE_IN_MAX);

	nlh = msg_start(LHV_CMD_VM_CONSOLE_WRITE);
	assert_int_equal(lhv_req_console_write(nlh, sizeof(buf), "uos", text,
					       LHV_VM_CONSOLE_IN_MAX + 1),
			 -EINVAL);
	assert_int_equal(
		lhv_req_console_write(nlh, sizeof(buf), "uos", text, 0),
		-EINVAL);
	assert_int_equal(nlh->nlmsg_len, MNL_NLMSG_HDRLEN + GENL_HDRLEN);
	assert_int_equal(lhv_req_console_write(nlh, 64, "uos", text, 100),
			 -EMSGSIZE);
	assert_int_equal(nlh->nlmsg_len, MNL_NLMSG_HDRLEN + GENL_HDRLEN);
}

static void test_req_measure(void **state)
{
	const struct lhv_measure_req r[] = {
		{ LHV_MEASURE_KERNEL, 0x1000000, 65536 },
		{ LHV_MEASURE_INITRD, 0, 0 }, /* no initrd */
		{ LHV_MEASURE_CMDLINE, 0x4000, 20 },
	};
	struct lhv_measure_req many[LHV_VM_MEASURE_MAX + 1];
	struct lhv_hc_vm_measure m;
	unsigned int i;

	(void)state;
	memset(&m, 0xa5, sizeof(m));
	assert_int_equal(lhv_req_measure(&m, r, 3), 2);
	assert_int_equal(m.id, 0); /* the kernel's to fill */
	assert_int_equal(m.nr, 2);
	assert_int_equal(m.region[0].kind, LHV_MEASURE_KERNEL);
	assert_true(m.region[0].gpa == 0x1000000);
	assert_true(m.region[0].len == 65536);
	assert_int_equal(m.region[1].kind, LHV_MEASURE_CMDLINE);
	assert_true(m.region[1].gpa == 0x4000);
	assert_true(m.region[1].len == 20);
	assert_int_equal(m.region[0].pad, 0);
	/* Slots not used are zero. */
	assert_int_equal(m.region[2].kind, 0);
	assert_true(m.region[3].len == 0);

	for (i = 0; i < LHV_VM_MEASURE_MAX + 1; i++)
		many[i] = (struct lhv_measure_req){ LHV_MEASURE_KERNEL,
						    0x1000 * i, 1 };
	assert_int_equal(lhv_req_measure(&m, many, LHV_VM_MEASURE_MAX),
			 LHV_VM_MEASURE_MAX);
	assert_int_equal(lhv_req_measure(&m, many, LHV_VM_MEASURE_MAX + 1),
			 -E2BIG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dev_good),
		cmocka_unit_test(test_dev_xhci),
		cmocka_unit_test(test_dev_missing_top),
		cmocka_unit_test(test_dev_blk_needs_config),
		cmocka_unit_test(test_dev_blk_optional_missing),
		cmocka_unit_test(test_dev_wrong_length_top),
		cmocka_unit_test(test_dev_wrong_length_nested),
		cmocka_unit_test(test_dev_strings_bounded),
		cmocka_unit_test(test_dev_nested_garbage),
		cmocka_unit_test(test_dev_unknown_tolerated),
		cmocka_unit_test(test_dev_other_type),
		cmocka_unit_test(test_dev_short_message),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_uint_good),
		cmocka_unit_test(test_uint_overflow),
		cmocka_unit_test(test_uint_garbage),
		cmocka_unit_test(test_cache_words),
		cmocka_unit_test(test_req_blk_add_full),
		cmocka_unit_test(test_req_blk_add_minimal),
		cmocka_unit_test(test_req_blk_add_as_given),
		cmocka_unit_test(test_req_blk_add_too_big),
		cmocka_unit_test(test_req_vm_stop),
		cmocka_unit_test(test_req_console_write),
		cmocka_unit_test(test_req_measure),
		cmocka_unit_test(test_req_dev_del),
		cmocka_unit_test(test_req_dev_get),
		cmocka_unit_test(test_req_reply_round_trip),
		cmocka_unit_test(test_uuid_good),
		cmocka_unit_test(test_uuid_bad),
		cmocka_unit_test(test_heci_backend_words),
		cmocka_unit_test(test_dev_heci_good),
		cmocka_unit_test(test_dev_heci_bad),
		cmocka_unit_test(test_dev_heci_allow_garbage),
		cmocka_unit_test(test_req_heci_add),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
