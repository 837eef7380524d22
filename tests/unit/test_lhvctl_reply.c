// SPDX-License-Identifier: BSD-3-Clause
/*
 * Unit tests of lhvctl's reply parsing: netlink replies are built in
 * memory with libmnl, the way the kernel would send them (or must not),
 * and fed to lhv_parse_status() / lhv_parse_vm().
 */
#include <errno.h>
#include <setjmp.h>
#include <stdalign.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <lhv/netlink.h>

#include "reply.h"

/* Any id the nlctrl would hand out to a dynamic family. */
#define TEST_FAMILY_ID 0x1c

static alignas(struct nlmsghdr) char buf[4096];

static struct nlmsghdr *reply_start(uint8_t cmd)
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

/* A STATUS reply; skip names one attribute to leave out. */
static struct nlmsghdr *status_reply(unsigned int skip)
{
	struct nlmsghdr *nlh = reply_start(LHV_CMD_STATUS);

	if (skip != LHV_ATTR_MODULE_VERSION)
		mnl_attr_put_strz(nlh, LHV_ATTR_MODULE_VERSION, "0.1.0");
	if (skip != LHV_ATTR_ABI_VERSION)
		mnl_attr_put_u32(nlh, LHV_ATTR_ABI_VERSION, 1);
	if (skip != LHV_ATTR_HV_STATE)
		mnl_attr_put_u32(nlh, LHV_ATTR_HV_STATE, LHV_HV_ABSENT);
	if (skip != LHV_ATTR_MAX_VMS)
		mnl_attr_put_u32(nlh, LHV_ATTR_MAX_VMS, 8);
	return nlh;
}

static struct nlmsghdr *vm_reply(unsigned int skip, const char *name)
{
	struct nlmsghdr *nlh = reply_start(LHV_CMD_VM_GET);

	if (skip != LHV_ATTR_VM_ID)
		mnl_attr_put_u32(nlh, LHV_ATTR_VM_ID, 0);
	if (skip != LHV_ATTR_VM_NAME)
		mnl_attr_put_strz(nlh, LHV_ATTR_VM_NAME, name);
	if (skip != LHV_ATTR_VM_STATE)
		mnl_attr_put_u32(nlh, LHV_ATTR_VM_STATE, LHV_VM_RUNNING);
	return nlh;
}

/* One CPU of a HV_STATS dump; bad_reason adds a reason that is no u64. */
static struct nlmsghdr *stats_reply(unsigned int skip, bool bad_reason,
				    bool future_reason)
{
	struct nlmsghdr *nlh = reply_start(LHV_CMD_HV_STATS);
	struct nlattr *nest;
	unsigned int r;

	if (skip != LHV_ATTR_HV_CPU)
		mnl_attr_put_u32(nlh, LHV_ATTR_HV_CPU, 3);
	if (skip != LHV_ATTR_HV_EXITS)
		mnl_attr_put_u64(nlh, LHV_ATTR_HV_EXITS, 1000);
	nest = mnl_attr_nest_start(nlh, LHV_ATTR_HV_EXIT_COUNT);
	for (r = 0; r < LHV_EXIT_REASON_COUNT; r++)
		mnl_attr_put_u64(nlh, r + 1, 10 * (r + 1));
	if (future_reason)
		mnl_attr_put_u64(nlh, LHV_EXIT_REASON_COUNT + 1, 77);
	if (bad_reason)
		mnl_attr_put_u32(nlh, LHV_EXIT_CPUID + 1, 5);
	mnl_attr_nest_end(nlh, nest);
	nest = mnl_attr_nest_start(nlh, LHV_ATTR_HV_EXIT_CYCLES);
	mnl_attr_put_u64(nlh, LHV_EXIT_NPF + 1, 123456);
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

static void test_hv_stats_good(void **state)
{
	struct lhv_hv_cpu_stats st;
	struct lhv_parse_err err;

	(void)state;
	assert_int_equal(
		lhv_parse_hv_stats(stats_reply(0, false, true), &st, &err), 0);
	assert_int_equal(st.cpu, 3);
	assert_int_equal(st.exits, 1000);
	assert_int_equal(st.count[LHV_EXIT_CPUID], 10);
	assert_int_equal(st.count[LHV_EXIT_OTHER], 10 * (LHV_EXIT_OTHER + 1));
	assert_int_equal(st.cycles[LHV_EXIT_NPF], 123456);
	assert_int_equal(st.cycles[LHV_EXIT_CPUID], 0);
	assert_string_equal(lhv_exit_reason_name(LHV_EXIT_NPF), "npf");
	assert_string_equal(lhv_exit_reason_name(999), "unknown");
}

static void test_hv_stats_refusals(void **state)
{
	struct lhv_hv_cpu_stats st;
	struct lhv_parse_err err;

	(void)state;
	assert_int_equal(
		lhv_parse_hv_stats(stats_reply(LHV_ATTR_HV_CPU, false, false),
				   &st, &err),
		-ENODATA);
	assert_non_null(strstr(err.msg, "HV_CPU"));
	assert_int_equal(
		lhv_parse_hv_stats(stats_reply(0, true, false), &st, &err),
		-ERANGE);
	assert_non_null(strstr(err.msg, "HV_EXIT_COUNT"));
	/* Nothing of a refused message is kept. */
	assert_int_equal(st.cpu, 0);
	assert_int_equal(st.count[LHV_EXIT_OTHER], 0);
}

static void test_status_good(void **state)
{
	struct lhv_parse_err err;
	struct lhv_status st;

	(void)state;
	assert_int_equal(lhv_parse_status(status_reply(0), &st, &err), 0);
	assert_string_equal(st.module_version, "0.1.0");
	assert_int_equal(st.abi_version, 1);
	assert_int_equal(st.hv_state, LHV_HV_ABSENT);
	assert_int_equal(st.max_vms, 8);
	assert_string_equal(err.msg, "");
}

static void test_status_err_may_be_null(void **state)
{
	struct lhv_status st;

	(void)state;
	assert_int_equal(lhv_parse_status(status_reply(0), &st, NULL), 0);
	assert_int_equal(
		lhv_parse_status(status_reply(LHV_ATTR_MAX_VMS), &st, NULL),
		-ENODATA);
}

static void test_status_missing_each(void **state)
{
	struct lhv_parse_err err;
	struct lhv_status st;
	unsigned int type;

	(void)state;
	for (type = LHV_ATTR_MODULE_VERSION; type <= LHV_ATTR_MAX_VMS; type++) {
		memset(&st, 0xa5, sizeof(st));
		assert_int_equal(
			lhv_parse_status(status_reply(type), &st, &err),
			-ENODATA);
		assert_int_equal(err.attr, type);
		assert_non_null(strstr(err.msg, lhv_attr_name(type)));
		/* Nothing half-parsed is left behind. */
		assert_int_equal(st.abi_version, 0);
		assert_string_equal(st.module_version, "");
	}
}

static void test_status_u32_wrong_length(void **state)
{
	struct lhv_parse_err err;
	struct lhv_status st;
	struct nlmsghdr *nlh;

	(void)state;
	nlh = status_reply(LHV_ATTR_ABI_VERSION);
	mnl_attr_put_u16(nlh, LHV_ATTR_ABI_VERSION, 1);
	assert_int_equal(lhv_parse_status(nlh, &st, &err), -ERANGE);
	assert_int_equal(err.attr, LHV_ATTR_ABI_VERSION);
	assert_non_null(strstr(err.msg, "ABI_VERSION"));

	nlh = status_reply(LHV_ATTR_MAX_VMS);
	mnl_attr_put_u64(nlh, LHV_ATTR_MAX_VMS, 8);
	assert_int_equal(lhv_parse_status(nlh, &st, &err), -ERANGE);
	assert_int_equal(err.attr, LHV_ATTR_MAX_VMS);

	nlh = status_reply(LHV_ATTR_HV_STATE);
	mnl_attr_put(nlh, LHV_ATTR_HV_STATE, 0, "");
	assert_int_equal(lhv_parse_status(nlh, &st, &err), -ERANGE);
	assert_int_equal(err.attr, LHV_ATTR_HV_STATE);
}

static void test_status_string_not_terminated(void **state)
{
	struct lhv_parse_err err;
	struct lhv_status st;
	struct nlmsghdr *nlh;

	(void)state;
	nlh = status_reply(LHV_ATTR_MODULE_VERSION);
	mnl_attr_put(nlh, LHV_ATTR_MODULE_VERSION, 5, "0.1.0");
	assert_int_equal(lhv_parse_status(nlh, &st, &err), -EINVAL);
	assert_int_equal(err.attr, LHV_ATTR_MODULE_VERSION);
	assert_non_null(strstr(err.msg, "NUL-terminated"));

	/* Empty payload: not even the NUL. */
	nlh = status_reply(LHV_ATTR_MODULE_VERSION);
	mnl_attr_put(nlh, LHV_ATTR_MODULE_VERSION, 0, "");
	assert_int_equal(lhv_parse_status(nlh, &st, &err), -EINVAL);
}

static void test_status_string_too_long(void **state)
{
	char ver[LHV_MODULE_VERSION_MAX + 1]; /* one too long */
	struct lhv_parse_err err;
	struct lhv_status st;
	struct nlmsghdr *nlh;

	(void)state;
	memset(ver, '9', sizeof(ver) - 1);
	ver[sizeof(ver) - 1] = '\0';
	nlh = status_reply(LHV_ATTR_MODULE_VERSION);
	mnl_attr_put_strz(nlh, LHV_ATTR_MODULE_VERSION, ver);
	assert_int_equal(lhv_parse_status(nlh, &st, &err), -ERANGE);

	/* One shorter fits exactly. */
	ver[sizeof(ver) - 2] = '\0';
	nlh = status_reply(LHV_ATTR_MODULE_VERSION);
	mnl_attr_put_strz(nlh, LHV_ATTR_MODULE_VERSION, ver);
	assert_int_equal(lhv_parse_status(nlh, &st, &err), 0);
	assert_string_equal(st.module_version, ver);
}

/* Where the platform seed came from: optional, a u32, named. */
static void test_status_hv_seed(void **state)
{
	struct lhv_parse_err err;
	struct lhv_status st;
	struct nlmsghdr *nlh;

	(void)state;
	assert_int_equal(lhv_parse_status(status_reply(0), &st, &err), 0);
	assert_int_equal(st.hv_seed, LHV_HV_SEED_NONE);
	nlh = status_reply(0);
	mnl_attr_put_u32(nlh, LHV_ATTR_HV_SEED, LHV_HV_SEED_BOOT);
	assert_int_equal(lhv_parse_status(nlh, &st, &err), 0);
	assert_int_equal(st.hv_seed, LHV_HV_SEED_BOOT);
	nlh = status_reply(0);
	mnl_attr_put_u64(nlh, LHV_ATTR_HV_SEED, 1); /* not a u32 */
	assert_int_equal(lhv_parse_status(nlh, &st, &err), -ERANGE);
	assert_string_equal(lhv_hv_seed_name(LHV_HV_SEED_NONE), "none");
	assert_string_equal(lhv_hv_seed_name(LHV_HV_SEED_BOOT), "boot");
	assert_string_equal(lhv_hv_seed_name(LHV_HV_SEED_FILE), "firmware");
	assert_string_equal(lhv_hv_seed_name(9), "unknown");
	assert_string_equal(lhv_attr_name(LHV_ATTR_HV_SEED), "HV_SEED");
}

/* The hv's sizes are optional; present, they must have their widths. */
static void test_status_hv_sizes(void **state)
{
	struct lhv_parse_err err;
	struct lhv_status st;
	struct nlmsghdr *nlh;
	char label[32];

	(void)state;
	assert_int_equal(lhv_parse_status(status_reply(0), &st, &err), 0);
	assert_true(st.hv_image_size == 0 && st.hv_mem_size == 0);

	nlh = status_reply(0);
	mnl_attr_put_u64(nlh, LHV_ATTR_HV_IMAGE_SIZE, 16384);
	mnl_attr_put_u64(nlh, LHV_ATTR_HV_MEM_SIZE, 2195456);
	mnl_attr_put_u32(nlh, LHV_ATTR_HV_CPUS, 2);
	assert_int_equal(lhv_parse_status(nlh, &st, &err), 0);
	assert_true(st.hv_image_size == 16384);
	assert_true(st.hv_mem_size == 2195456);
	assert_int_equal(st.hv_cpus, 2);

	nlh = status_reply(0);
	mnl_attr_put_u32(nlh, LHV_ATTR_HV_IMAGE_SIZE, 16384); /* not a u64 */
	assert_int_equal(lhv_parse_status(nlh, &st, &err), -ERANGE);

	assert_string_equal(
		lhv_hv_state_label(LHV_HV_RUNNING, label, sizeof(label)),
		"running");
	assert_string_equal(lhv_hv_state_label(77, label, sizeof(label)),
			    "unknown(77)");
}

static void test_status_unknown_attrs_tolerated(void **state)
{
	struct lhv_parse_err err;
	struct lhv_status st;
	struct nlmsghdr *nlh;

	(void)state;
	nlh = reply_start(LHV_CMD_STATUS);
	mnl_attr_put_u64(nlh, 200, 0x1122334455667788ULL);
	mnl_attr_put_strz(nlh, LHV_ATTR_MODULE_VERSION, "0.2.0");
	mnl_attr_put_u32(nlh, LHV_ATTR_MAX + 1, 7);
	mnl_attr_put_u32(nlh, LHV_ATTR_ABI_VERSION, 2);
	mnl_attr_put(nlh, LHV_ATTR_UNSPEC, 3, "xyz");
	mnl_attr_put_u32(nlh, LHV_ATTR_HV_STATE, 42);
	/* Known, but not part of this reply: ignored too. */
	mnl_attr_put_u16(nlh, LHV_ATTR_VM_ID, 3);
	mnl_attr_put_u32(nlh, LHV_ATTR_MAX_VMS, 16);
	mnl_attr_put(nlh, 0xffff & ~NLA_TYPE_MASK, 0, "");
	assert_int_equal(lhv_parse_status(nlh, &st, &err), 0);
	assert_string_equal(st.module_version, "0.2.0");
	assert_int_equal(st.abi_version, 2);
	assert_int_equal(st.hv_state, 42);
	assert_int_equal(st.max_vms, 16);
	assert_null(lhv_hv_state_name(st.hv_state));
}

static void test_short_message(void **state)
{
	struct lhv_parse_err err;
	struct lhv_status st;
	struct nlmsghdr *nlh;

	(void)state;
	nlh = reply_start(LHV_CMD_STATUS);
	nlh->nlmsg_len = MNL_NLMSG_HDRLEN + 2; /* half a genlmsghdr */
	assert_int_equal(lhv_parse_status(nlh, &st, &err), -EBADMSG);

	/* Headers only: every attribute is missing. */
	nlh = reply_start(LHV_CMD_STATUS);
	assert_int_equal(lhv_parse_status(nlh, &st, &err), -ENODATA);
}

static void test_malformed_attrs(void **state)
{
	struct lhv_parse_err err;
	struct lhv_status st;
	struct nlmsghdr *nlh;
	struct nlattr *a;

	(void)state;
	/* An attribute that claims more than the message holds. */
	nlh = status_reply(0);
	a = mnl_nlmsg_get_payload_tail(nlh);
	a->nla_type = LHV_ATTR_MAX_VMS;
	a->nla_len = 64;
	nlh->nlmsg_len += sizeof(*a);
	assert_int_equal(lhv_parse_status(nlh, &st, &err), -EBADMSG);

	/* One shorter than its own header. */
	nlh = status_reply(0);
	a = mnl_nlmsg_get_payload_tail(nlh);
	a->nla_type = LHV_ATTR_MAX_VMS;
	a->nla_len = 2;
	nlh->nlmsg_len += sizeof(*a);
	assert_int_equal(lhv_parse_status(nlh, &st, &err), -EBADMSG);

	/* Two stray bytes after the last attribute. */
	nlh = status_reply(0);
	nlh->nlmsg_len += 2;
	assert_int_equal(lhv_parse_status(nlh, &st, &err), -EBADMSG);
}

static void test_last_attr_unpadded(void **state)
{
	struct lhv_status st;
	struct nlmsghdr *nlh;

	(void)state;
	/* "0.1.0" + NUL is 6 bytes: the attribute ends 2 bytes short of
	 * alignment, and the message may end there too.
	 */
	nlh = status_reply(LHV_ATTR_MODULE_VERSION);
	mnl_attr_put_strz(nlh, LHV_ATTR_MODULE_VERSION, "0.1.0");
	nlh->nlmsg_len -= 2;
	assert_int_equal(lhv_parse_status(nlh, &st, NULL), 0);
	assert_string_equal(st.module_version, "0.1.0");
}

static void test_vm_good(void **state)
{
	struct lhv_parse_err err;
	struct lhv_vm_info vm;

	(void)state;
	assert_int_equal(lhv_parse_vm(vm_reply(0, "service"), &vm, &err), 0);
	assert_int_equal(vm.id, 0);
	assert_string_equal(vm.name, "service");
	assert_int_equal(vm.state, LHV_VM_RUNNING);
	assert_string_equal(lhv_vm_state_name(vm.state), "running");
}

static void test_vm_missing(void **state)
{
	struct lhv_parse_err err;
	struct lhv_vm_info vm;

	(void)state;
	assert_int_equal(
		lhv_parse_vm(vm_reply(LHV_ATTR_VM_STATE, "x"), &vm, &err),
		-ENODATA);
	assert_int_equal(err.attr, LHV_ATTR_VM_STATE);
	assert_int_equal(
		lhv_parse_vm(vm_reply(LHV_ATTR_VM_NAME, "x"), &vm, &err),
		-ENODATA);
	assert_int_equal(err.attr, LHV_ATTR_VM_NAME);
	/* A STATUS reply is no VM reply. */
	assert_int_equal(lhv_parse_vm(status_reply(0), &vm, &err), -ENODATA);
}

static void test_vm_name_limits(void **state)
{
	char name[LHV_VM_NAME_MAX + 2];
	char padded[LHV_VM_NAME_MAX + 1] = "padded";
	struct lhv_vm_info vm;
	struct nlmsghdr *nlh;

	(void)state;
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	assert_int_equal(lhv_parse_vm(vm_reply(0, name), &vm, NULL), -ERANGE);

	name[LHV_VM_NAME_MAX] = '\0';
	assert_int_equal(lhv_parse_vm(vm_reply(0, name), &vm, NULL), 0);
	assert_string_equal(vm.name, name);

	/* A fixed-size, NUL-padded buffer is a valid string too. */
	nlh = vm_reply(LHV_ATTR_VM_NAME, NULL);
	mnl_attr_put(nlh, LHV_ATTR_VM_NAME, sizeof(padded), padded);
	assert_int_equal(lhv_parse_vm(nlh, &vm, NULL), 0);
	assert_string_equal(vm.name, "padded");

	/* Not terminated. */
	nlh = vm_reply(LHV_ATTR_VM_NAME, NULL);
	mnl_attr_put(nlh, LHV_ATTR_VM_NAME, 4, "abcd");
	assert_int_equal(lhv_parse_vm(nlh, &vm, NULL), -EINVAL);
}

static void test_vm_id_wrong_length(void **state)
{
	struct lhv_parse_err err;
	struct lhv_vm_info vm;
	struct nlmsghdr *nlh;

	(void)state;
	nlh = vm_reply(LHV_ATTR_VM_ID, "service");
	mnl_attr_put_u8(nlh, LHV_ATTR_VM_ID, 0);
	assert_int_equal(lhv_parse_vm(nlh, &vm, &err), -ERANGE);
	assert_int_equal(err.attr, LHV_ATTR_VM_ID);
}

static void test_vm_duplicate_last_wins(void **state)
{
	struct lhv_vm_info vm;
	struct nlmsghdr *nlh;

	(void)state;
	/* As the kernel's nla_parse does. */
	nlh = vm_reply(0, "first");
	mnl_attr_put_strz(nlh, LHV_ATTR_VM_NAME, "second");
	assert_int_equal(lhv_parse_vm(nlh, &vm, NULL), 0);
	assert_string_equal(vm.name, "second");
}

static void test_state_names(void **state)
{
	(void)state;
	assert_string_equal(lhv_hv_state_name(LHV_HV_ABSENT), "absent");
	assert_string_equal(lhv_hv_state_name(LHV_HV_LOADED), "loaded");
	assert_string_equal(lhv_hv_state_name(LHV_HV_RUNNING), "running");
	assert_string_equal(lhv_hv_state_name(LHV_HV_FAILED), "failed");
	assert_null(lhv_hv_state_name(LHV_HV_FAILED + 1));
	assert_null(lhv_hv_state_name(UINT32_MAX));
	assert_string_equal(lhv_vm_state_name(LHV_VM_CREATED), "created");
	assert_string_equal(lhv_vm_state_name(LHV_VM_LOADED), "loaded");
	assert_string_equal(lhv_vm_state_name(LHV_VM_RUNNING), "running");
	assert_string_equal(lhv_vm_state_name(LHV_VM_STOPPED), "stopped");
	assert_string_equal(lhv_vm_state_name(LHV_VM_CRASHED), "crashed");
	assert_null(lhv_vm_state_name(LHV_VM_CRASHED + 1));
	assert_string_equal(lhv_attr_name(LHV_ATTR_VM_NAME), "VM_NAME");
	assert_string_equal(lhv_attr_name(LHV_ATTR_MAX + 1), "unknown");
}

static void test_attrs_index(void **state)
{
	const struct nlattr *tb[LHV_ATTR_MAX + 1] = { NULL };
	const size_t hdrs = MNL_NLMSG_HDRLEN + GENL_HDRLEN;
	struct nlmsghdr *nlh;
	int ret;

	(void)state;
	nlh = reply_start(LHV_CMD_STATUS);
	mnl_attr_put_u32(nlh, LHV_ATTR_MAX_VMS | NLA_F_NET_BYTEORDER, 1);
	mnl_attr_put_u32(nlh, 300, 1);
	ret = lhv_attrs_index(buf + hdrs, nlh->nlmsg_len - hdrs, tb,
			      LHV_ATTR_MAX);
	assert_int_equal(ret, 0);
	/* Flag bits are not part of the type. */
	assert_non_null(tb[LHV_ATTR_MAX_VMS]);
	assert_null(tb[LHV_ATTR_VM_ID]);
	assert_int_equal(lhv_attrs_index(buf, 0, tb, LHV_ATTR_MAX), 0);
	assert_int_equal(lhv_attrs_index(buf + hdrs, 3, tb, LHV_ATTR_MAX),
			 -EBADMSG);
}

static void test_status_tsc_khz(void **state)
{
	struct lhv_status st;
	struct nlmsghdr *nlh;

	(void)state;
	assert_int_equal(lhv_parse_status(status_reply(0), &st, NULL), 0);
	assert_int_equal(st.hv_tsc_khz, 0); /* an older module: not sent */
	nlh = status_reply(0);
	mnl_attr_put_u32(nlh, LHV_ATTR_HV_TSC_KHZ, 2494000);
	assert_int_equal(lhv_parse_status(nlh, &st, NULL), 0);
	assert_int_equal(st.hv_tsc_khz, 2494000);
	nlh = status_reply(0);
	mnl_attr_put_u64(nlh, LHV_ATTR_HV_TSC_KHZ, 2494000);
	assert_int_equal(lhv_parse_status(nlh, &st, NULL), -ERANGE);
}

/* How a test breaks one MEASUREMENTS entry. */
enum measure_fault {
	MEAS_GOOD,
	MEAS_NO_SHA,	/* SHA256 left out */
	MEAS_SHORT_SHA, /* 31 bytes */
	MEAS_GPA_U32,	/* GPA as a u32 */
	MEAS_TRUNCATED, /* the entry's header claims more than is there */
};

static void put_measurement(struct nlmsghdr *nlh, uint16_t type, uint32_t kind,
			    enum measure_fault fault)
{
	struct nlattr *e = mnl_attr_nest_start(nlh, type);
	unsigned char sha[32];

	memset(sha, (int)kind, sizeof(sha));
	mnl_attr_put_u32(nlh, LHV_MEASURE_ATTR_KIND, kind);
	if (fault == MEAS_GPA_U32)
		mnl_attr_put_u32(nlh, LHV_MEASURE_ATTR_GPA, 0x1000);
	else
		mnl_attr_put_u64(nlh, LHV_MEASURE_ATTR_GPA,
				 0x1000000ull * kind);
	mnl_attr_put_u64(nlh, LHV_MEASURE_ATTR_LEN, 100 + kind);
	if (fault != MEAS_NO_SHA)
		mnl_attr_put(nlh, LHV_MEASURE_ATTR_SHA256,
			     fault == MEAS_SHORT_SHA ? 31 : 32, sha);
	mnl_attr_nest_end(nlh, e);
	if (fault == MEAS_TRUNCATED)
		e->nla_len += 64;
}

/* A user VM's VM_GET reply with n measurements, the last one faulty. */
static struct nlmsghdr *vm_measured_reply(unsigned int n,
					  enum measure_fault fault)
{
	struct nlmsghdr *nlh = vm_reply(0, "uos");
	unsigned char uuid[16] = { 1 };
	struct nlattr *list;
	unsigned int i;

	mnl_attr_put(nlh, LHV_ATTR_VM_UUID, sizeof(uuid), uuid);
	mnl_attr_put_u32(nlh, LHV_ATTR_VM_STOP_REASON, LHV_VM_STOP_POWEROFF);
	list = mnl_attr_nest_start(nlh, LHV_ATTR_VM_MEASUREMENTS);
	for (i = 0; i < n; i++)
		put_measurement(nlh, (uint16_t)(i + 1), i % 3 + 1,
				i + 1 == n ? fault : MEAS_GOOD);
	if (fault == MEAS_TRUNCATED)
		/* The list must still end where the message does. */
		list->nla_len =
			(uint16_t)((char *)mnl_nlmsg_get_payload_tail(nlh) -
				   (char *)list);
	else
		mnl_attr_nest_end(nlh, list);
	return nlh;
}

static void test_vm_measurements(void **state)
{
	struct lhv_parse_err err;
	struct lhv_vm_info vm;

	(void)state;
	assert_int_equal(
		lhv_parse_vm(vm_measured_reply(3, MEAS_GOOD), &vm, &err), 0);
	assert_true(vm.is_user);
	assert_true(vm.has_stop_reason);
	assert_int_equal(vm.stop_reason, LHV_VM_STOP_POWEROFF);
	assert_int_equal(vm.nr_measured, 3);
	assert_int_equal(vm.measured[0].kind, LHV_MEASURE_KERNEL);
	assert_int_equal(vm.measured[1].kind, LHV_MEASURE_INITRD);
	assert_int_equal(vm.measured[2].kind, LHV_MEASURE_CMDLINE);
	assert_int_equal(vm.measured[1].gpa, 0x2000000);
	assert_int_equal(vm.measured[2].len, 103);
	assert_int_equal(vm.measured[2].sha256[31], 3);

	/* No MEASUREMENTS (not started yet) and no STOP_REASON: none. */
	assert_int_equal(lhv_parse_vm(vm_reply(0, "uos"), &vm, &err), 0);
	assert_int_equal(vm.nr_measured, 0);
	assert_false(vm.has_stop_reason);
	/* An empty list is no list. */
	assert_int_equal(
		lhv_parse_vm(vm_measured_reply(0, MEAS_GOOD), &vm, &err), 0);
	assert_int_equal(vm.nr_measured, 0);
}

static void test_vm_measurements_refused(void **state)
{
	struct lhv_parse_err err;
	struct lhv_vm_info vm;

	(void)state;
	assert_int_equal(lhv_parse_vm(vm_measured_reply(LHV_VM_MEASURE_MAX + 1,
							MEAS_GOOD),
				      &vm, &err),
			 -ERANGE);
	assert_int_equal(err.attr, LHV_ATTR_VM_MEASUREMENTS);
	assert_int_equal(vm.nr_measured, 0); /* nothing kept */
	assert_int_equal(
		lhv_parse_vm(vm_measured_reply(2, MEAS_NO_SHA), &vm, &err),
		-ENODATA);
	assert_int_equal(err.attr, LHV_ATTR_VM_MEASUREMENTS);
	assert_int_equal(err.nested, LHV_MEASURE_ATTR_SHA256);
	assert_non_null(strstr(err.msg, "MEASURE_SHA256"));
	assert_int_equal(
		lhv_parse_vm(vm_measured_reply(1, MEAS_SHORT_SHA), &vm, &err),
		-ERANGE);
	assert_int_equal(err.nested, LHV_MEASURE_ATTR_SHA256);
	assert_int_equal(
		lhv_parse_vm(vm_measured_reply(1, MEAS_GPA_U32), &vm, &err),
		-ERANGE);
	assert_int_equal(err.nested, LHV_MEASURE_ATTR_GPA);
	assert_int_equal(
		lhv_parse_vm(vm_measured_reply(2, MEAS_TRUNCATED), &vm, &err),
		-EBADMSG);
	assert_int_equal(err.attr, LHV_ATTR_VM_MEASUREMENTS);
}

/* A VM_EVENT notification; skip names one attribute to leave out. */
static struct nlmsghdr *event_reply(unsigned int skip, uint32_t event,
				    const char *crash)
{
	struct nlmsghdr *nlh = reply_start(LHV_CMD_VM_EVENT);

	nlh->nlmsg_seq = 0; /* a notification */
	if (skip != LHV_ATTR_VM_ID)
		mnl_attr_put_u32(nlh, LHV_ATTR_VM_ID, 2);
	if (skip != LHV_ATTR_VM_NAME)
		mnl_attr_put_strz(nlh, LHV_ATTR_VM_NAME, "uos");
	if (skip != LHV_ATTR_VM_EVENT)
		mnl_attr_put_u32(nlh, LHV_ATTR_VM_EVENT, event);
	if (skip != LHV_ATTR_VM_STATE)
		mnl_attr_put_u32(nlh, LHV_ATTR_VM_STATE,
				 event == LHV_VM_EVENT_CRASHED
					 ? LHV_VM_CRASHED
					 : LHV_VM_STOPPED);
	if (crash)
		mnl_attr_put_strz(nlh, LHV_ATTR_VM_CRASH_REASON, crash);
	return nlh;
}

static void test_vm_event_parse(void **state)
{
	const unsigned int required[] = { LHV_ATTR_VM_ID, LHV_ATTR_VM_NAME,
					  LHV_ATTR_VM_STATE };
	struct lhv_vm_event_info e;
	struct lhv_parse_err err;
	struct nlmsghdr *nlh;
	unsigned int i, type;

	(void)state;
	assert_int_equal(lhv_parse_vm_event(event_reply(0, LHV_VM_EVENT_CRASHED,
							"triple fault"),
					    &e, &err),
			 0);
	assert_int_equal(e.id, 2);
	assert_string_equal(e.name, "uos");
	assert_int_equal(e.event, LHV_VM_EVENT_CRASHED);
	assert_int_equal(e.state, LHV_VM_CRASHED);
	assert_string_equal(e.crash_reason, "triple fault");
	assert_false(e.has_stop_reason);

	nlh = event_reply(0, LHV_VM_EVENT_POWEROFF, NULL);
	mnl_attr_put_u32(nlh, LHV_ATTR_VM_STOP_REASON, LHV_VM_STOP_POWEROFF);
	assert_int_equal(lhv_parse_vm_event(nlh, &e, &err), 0);
	assert_true(e.has_stop_reason);
	assert_int_equal(e.stop_reason, LHV_VM_STOP_POWEROFF);
	assert_string_equal(e.crash_reason, "");

	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		type = required[i];
		assert_int_equal(
			lhv_parse_vm_event(
				event_reply(type, LHV_VM_EVENT_STOPPED, NULL),
				&e, &err),
			-ENODATA);
		assert_int_equal(err.attr, type);
		assert_string_equal(e.name, ""); /* nothing kept */
	}
	assert_int_equal(
		lhv_parse_vm_event(event_reply(LHV_ATTR_VM_EVENT,
					       LHV_VM_EVENT_STOPPED, NULL),
				   &e, &err),
		-ENODATA);
	assert_int_equal(err.attr, LHV_ATTR_VM_EVENT);
	nlh = event_reply(LHV_ATTR_VM_EVENT, 0, NULL);
	mnl_attr_put_u16(nlh, LHV_ATTR_VM_EVENT, 1);
	assert_int_equal(lhv_parse_vm_event(nlh, &e, &err), -ERANGE);
}

/* A USB_GET message; skip names one attribute to leave out. */
static struct nlmsghdr *usb_port_reply(unsigned int skip, bool dev)
{
	struct nlmsghdr *nlh = reply_start(LHV_CMD_USB_GET);
	const unsigned int types[] = { LHV_ATTR_DEV_ID, LHV_ATTR_USB_GUEST_PORT,
				       LHV_ATTR_USB_GUEST_PORT_SS };
	const uint32_t vals[] = { 3, 2, 6 };
	unsigned int i;

	if (skip != LHV_ATTR_VM_NAME)
		mnl_attr_put_strz(nlh, LHV_ATTR_VM_NAME, "uos");
	if (skip != LHV_ATTR_DEV_NAME)
		mnl_attr_put_strz(nlh, LHV_ATTR_DEV_NAME, "xhci3");
	if (skip != LHV_ATTR_USB_PORT)
		mnl_attr_put_strz(nlh, LHV_ATTR_USB_PORT, "3-1.4");
	for (i = 0; i < 3; i++)
		if (skip != types[i])
			mnl_attr_put_u32(nlh, types[i], vals[i]);
	if (dev) {
		mnl_attr_put_u32(nlh, LHV_ATTR_USB_DEV_PORT, 6);
		mnl_attr_put_u32(nlh, LHV_ATTR_USB_DEV_SPEED,
				 LHV_USB_SPEED_SUPER);
		mnl_attr_put_u32(nlh, LHV_ATTR_USB_DEV_VENDOR, 0x1d6b);
		mnl_attr_put_u32(nlh, LHV_ATTR_USB_DEV_PRODUCT, 0x0104);
	}
	return nlh;
}

static void test_usb_port_parse(void **state)
{
	const unsigned int required[] = { LHV_ATTR_VM_NAME, LHV_ATTR_DEV_ID,
					  LHV_ATTR_DEV_NAME, LHV_ATTR_USB_PORT,
					  LHV_ATTR_USB_GUEST_PORT };
	struct lhv_usb_port_info u;
	struct lhv_parse_err err;
	struct nlmsghdr *nlh;
	unsigned int i;

	(void)state;
	assert_int_equal(lhv_parse_usb_port(usb_port_reply(0, false), &u, &err),
			 0);
	assert_string_equal(u.vm, "uos");
	assert_string_equal(u.controller, "xhci3");
	assert_string_equal(u.port, "3-1.4");
	assert_int_equal(u.dev_id, 3);
	assert_int_equal(u.guest_port, 2);
	assert_int_equal(u.guest_port_ss, 6);
	assert_false(u.has_dev);
	assert_int_equal(lhv_parse_usb_port(usb_port_reply(0, true), &u, &err),
			 0);
	assert_true(u.has_dev);
	assert_int_equal(u.dev_port, 6);
	assert_int_equal(u.dev_speed, LHV_USB_SPEED_SUPER);
	assert_int_equal(u.dev_vendor, 0x1d6b);
	assert_int_equal(u.dev_product, 0x0104);
	assert_string_equal(lhv_usb_speed_name(u.dev_speed), "super");
	assert_null(lhv_usb_speed_name(0));
	assert_null(lhv_usb_speed_name(7));
	/* An older module without the USB 3 partner: still a port. */
	assert_int_equal(
		lhv_parse_usb_port(
			usb_port_reply(LHV_ATTR_USB_GUEST_PORT_SS, false), &u,
			&err),
		0);
	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		assert_int_equal(
			lhv_parse_usb_port(usb_port_reply(required[i], true),
					   &u, &err),
			-ENODATA);
		assert_int_equal(err.attr, required[i]);
		assert_false(u.has_dev); /* nothing kept */
	}
	nlh = usb_port_reply(LHV_ATTR_USB_GUEST_PORT, false);
	mnl_attr_put_u16(nlh, LHV_ATTR_USB_GUEST_PORT, 1);
	assert_int_equal(lhv_parse_usb_port(nlh, &u, &err), -ERANGE);
}

static void test_vm_event_line(void **state)
{
	struct lhv_vm_event_info e = { .id = 2, .name = "uos" };
	char line[128];

	(void)state;
	e.event = LHV_VM_EVENT_STARTED;
	e.state = LHV_VM_RUNNING;
	lhv_vm_event_line(&e, line, sizeof(line));
	assert_string_equal(line, "vm uos id 2 started state running");

	e.event = LHV_VM_EVENT_POWEROFF;
	e.state = LHV_VM_STOPPED;
	e.has_stop_reason = true;
	e.stop_reason = LHV_VM_STOP_POWEROFF;
	lhv_vm_event_line(&e, line, sizeof(line));
	assert_string_equal(
		line, "vm uos id 2 poweroff state stopped reason poweroff");

	/* A crash reason wins over the stop reason. */
	e.event = LHV_VM_EVENT_CRASHED;
	e.state = LHV_VM_CRASHED;
	snprintf(e.crash_reason, sizeof(e.crash_reason), "guest panic");
	lhv_vm_event_line(&e, line, sizeof(line));
	assert_string_equal(
		line, "vm uos id 2 crashed state crashed reason guest panic");

	/* Values of a newer module are shown as numbers. */
	e.crash_reason[0] = '\0';
	e.event = 99;
	e.state = 77;
	e.stop_reason = LHV_VM_STOP_NONE;
	lhv_vm_event_line(&e, line, sizeof(line));
	assert_string_equal(line, "vm uos id 2 unknown(99) state unknown(77)");
	e.stop_reason = 42;
	lhv_vm_event_line(&e, line, sizeof(line));
	assert_string_equal(line, "vm uos id 2 unknown(99) state unknown(77) "
				  "reason unknown(42)");

	assert_string_equal(lhv_vm_event_name(LHV_VM_EVENT_STOP_REQUESTED),
			    "stop_requested");
	assert_string_equal(lhv_vm_event_name(LHV_VM_EVENT_REBOOT), "reboot");
	assert_null(lhv_vm_event_name(LHV_VM_EVENT_STOP_REQUESTED + 1));
	assert_string_equal(lhv_vm_stop_reason_name(LHV_VM_STOP_FORCED),
			    "forced");
	assert_null(lhv_vm_stop_reason_name(LHV_VM_STOP_REBOOT + 1));
	assert_string_equal(lhv_measure_kind_name(LHV_MEASURE_CMDLINE),
			    "cmdline");
	assert_null(lhv_measure_kind_name(0));
}

static void test_console_accepted(void **state)
{
	struct lhv_parse_err err;
	struct nlmsghdr *nlh;
	uint32_t n = 7;

	(void)state;
	nlh = reply_start(LHV_CMD_VM_CONSOLE_WRITE);
	mnl_attr_put_u32(nlh, LHV_ATTR_VM_CONSOLE_ACCEPTED, 12);
	assert_int_equal(lhv_parse_console_accepted(nlh, &n, &err), 0);
	assert_int_equal(n, 12);
	nlh = reply_start(LHV_CMD_VM_CONSOLE_WRITE);
	assert_int_equal(lhv_parse_console_accepted(nlh, &n, &err), -ENODATA);
	assert_non_null(strstr(err.msg, "VM_CONSOLE_ACCEPTED"));
	nlh = reply_start(LHV_CMD_VM_CONSOLE_WRITE);
	mnl_attr_put_u64(nlh, LHV_ATTR_VM_CONSOLE_ACCEPTED, 12);
	assert_int_equal(lhv_parse_console_accepted(nlh, &n, &err), -ERANGE);
}

/* CTRL_ATTR_MCAST_GROUPS as nlctrl sends it: entries 1..n. */
static const struct nlattr *groups_attr(bool bad_id)
{
	struct nlmsghdr *nlh = reply_start(CTRL_CMD_NEWFAMILY);
	struct nlattr *list, *e;

	list = mnl_attr_nest_start(nlh, CTRL_ATTR_MCAST_GROUPS);
	e = mnl_attr_nest_start(nlh, 1);
	mnl_attr_put_strz(nlh, CTRL_ATTR_MCAST_GRP_NAME, "other");
	mnl_attr_put_u32(nlh, CTRL_ATTR_MCAST_GRP_ID, 11);
	mnl_attr_nest_end(nlh, e);
	e = mnl_attr_nest_start(nlh, 2);
	mnl_attr_put_u32(nlh, CTRL_ATTR_MCAST_GRP_ID, 12);
	mnl_attr_put_strz(nlh, CTRL_ATTR_MCAST_GRP_NAME, LHV_GENL_MCGRP_VM);
	if (bad_id)
		mnl_attr_put_u16(nlh, CTRL_ATTR_MCAST_GRP_ID, 12);
	mnl_attr_nest_end(nlh, e);
	mnl_attr_nest_end(nlh, list);
	return list;
}

static void test_mcast_group(void **state)
{
	uint32_t id = 0;

	(void)state;
	assert_int_equal(lhv_parse_mcast_group(groups_attr(false),
					       LHV_GENL_MCGRP_VM, &id),
			 0);
	assert_int_equal(id, 12);
	assert_int_equal(
		lhv_parse_mcast_group(groups_attr(false), "other", &id), 0);
	assert_int_equal(id, 11);
	assert_int_equal(lhv_parse_mcast_group(groups_attr(false), "vmx", &id),
			 -ENOENT);
	assert_int_equal(lhv_parse_mcast_group(groups_attr(true),
					       LHV_GENL_MCGRP_VM, &id),
			 -EBADMSG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_good),
		cmocka_unit_test(test_status_err_may_be_null),
		cmocka_unit_test(test_status_missing_each),
		cmocka_unit_test(test_status_u32_wrong_length),
		cmocka_unit_test(test_status_string_not_terminated),
		cmocka_unit_test(test_status_string_too_long),
		cmocka_unit_test(test_status_hv_sizes),
		cmocka_unit_test(test_status_hv_seed),
		cmocka_unit_test(test_status_unknown_attrs_tolerated),
		cmocka_unit_test(test_short_message),
		cmocka_unit_test(test_malformed_attrs),
		cmocka_unit_test(test_last_attr_unpadded),
		cmocka_unit_test(test_vm_good),
		cmocka_unit_test(test_vm_missing),
		cmocka_unit_test(test_vm_name_limits),
		cmocka_unit_test(test_vm_id_wrong_length),
		cmocka_unit_test(test_vm_duplicate_last_wins),
		cmocka_unit_test(test_state_names),
		cmocka_unit_test(test_attrs_index),
		cmocka_unit_test(test_hv_stats_good),
		cmocka_unit_test(test_hv_stats_refusals),
		cmocka_unit_test(test_status_tsc_khz),
		cmocka_unit_test(test_vm_measurements),
		cmocka_unit_test(test_vm_measurements_refused),
		cmocka_unit_test(test_vm_event_parse),
		cmocka_unit_test(test_usb_port_parse),
		cmocka_unit_test(test_vm_event_line),
		cmocka_unit_test(test_console_accepted),
		cmocka_unit_test(test_mcast_group),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
