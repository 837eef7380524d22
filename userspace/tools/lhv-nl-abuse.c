// SPDX-License-Identifier: BSD-3-Clause
/*
 * lhv-nl-abuse: send hostile requests to the "lhv" generic netlink family
 * and check that the kernel refuses each one with the right errno and an
 * extack message, and still answers good requests afterwards. Runs in the
 * test VM with lhv.ko loaded; prints TAP and exits 0 only if all passed.
 *
 * The DEV_* cases do not need a device backend (lhv_blk) to be loaded:
 * each is refused by the policy or by a lookup (of the VM, of the device
 * id) that a backend does not take part in, and the dump is expected empty
 * because the box has no devices when this runs. The exception is DEV_ADD
 * of a blk device with an empty DEV_CONFIG, which only lhv_blk itself can
 * refuse (no backing): lhv.ko loads lhv_blk on demand, and where it cannot
 * (no modprobe) the case is reported as skipped (TAP "# SKIP"). The heci
 * DEV_ADD cases (a broken heci DEV_CONFIG, refused by lhv_heci's policy
 * or create) run only when lhv_heci is loaded already, so that they never
 * load it on demand into a box that means to unload lhv; otherwise they
 * are skipped.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <lhv/netlink.h>
#include <lhv/version.h>

#include "nl.h"
#include "output.h"
#include "reply.h"
#include "request.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define STR_(x) #x
#define STR(x) STR_(x)

/* Reserved but, being the last id, the least likely to be implemented. */
#define UNIMPLEMENTED_CMD LHV_CMD_RESERVED_MAX
_Static_assert(LHV_CMD_MAX < UNIMPLEMENTED_CMD, "pick an unused command id");

/* Beyond the reserved range: only the genetlink core can answer. */
#define FOREIGN_CMD 250
_Static_assert(FOREIGN_CMD > LHV_CMD_RESERVED_MAX, "must be unreserved");

#define UNKNOWN_ATTR 200
_Static_assert(UNKNOWN_ATTR > LHV_ATTR_MAX, "must be an unknown attribute");

#define LONG_NAME_LEN 200

#define UNKNOWN_DEV_TYPE 200
_Static_assert(UNKNOWN_DEV_TYPE >= __LHV_DEV_TYPE_COUNT, "must be unknown");

/* A device id no VM hands out this early. */
#define NO_SUCH_DEV_ID 0xfffffff0u

/* What a refusal (or an acceptance) must look like. */
struct expect {
	int error;	/* errno wanted, 0 for success */
	int alt_error;	/* another acceptable errno, 0 if none */
	bool any_error; /* any nonzero errno will do */
	bool need_msg;	/* the extack message must be present */
	bool need_miss; /* NLMSGERR_ATTR_MISS_TYPE must be ... */
	uint32_t miss;	/* ... this attribute type */
};

/* Set by a case that could not judge; main() reports it as skipped. */
static const char *skip_reason;

__attribute__((format(printf, 1, 2))) static void note(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
}

static void note_result(const struct lhv_nl_result *res)
{
	printf("# errno %d (%s)", res->error,
	       res->error ? strerror(res->error) : "success");
	if (res->msg[0]) {
		/* Escaped: a newline in the message would break TAP. */
		fputs(", extack: \"", stdout);
		out_write_safe(stdout, res->msg);
		fputc('"', stdout);
	} else {
		fputs(", no extack message", stdout);
	}
	if (res->has_miss_type)
		printf(", missing attribute %u", res->miss_type);
	if (res->has_offs)
		printf(", at offset %u", res->offs);
	fputc('\n', stdout);
}

static bool errno_ok(const struct expect *e, int error)
{
	if (e->any_error)
		return error != 0;
	return error == e->error || (e->alt_error && error == e->alt_error);
}

/* Describe the answer res in TAP comments, and judge it. */
static bool judge(const struct expect *e, const struct lhv_nl_result *res)
{
	bool ok = true;

	note_result(res);
	if (!errno_ok(e, res->error)) {
		if (e->any_error)
			note("expected an error");
		else
			note("expected errno %d (%s)", e->error,
			     e->error ? strerror(e->error) : "success");
		ok = false;
	}
	if (e->need_msg && !res->msg[0]) {
		note("expected an extack message");
		ok = false;
	}
	if (e->need_miss &&
	    (!res->has_miss_type || res->miss_type != e->miss)) {
		note("expected missing attribute %u", e->miss);
		ok = false;
	}
	return ok;
}

/* Send req, describe the answer in TAP comments, and judge it. */
static bool call_expect(struct lhv_nl *nl, struct nlmsghdr *req,
			const struct expect *e, struct lhv_nl_result *res)
{
	int ret;

	ret = lhv_nl_call(nl, req, res);
	if (ret) {
		note("no valid answer: %s", strerror(-ret));
		return false;
	}
	return judge(e, res);
}

static bool t_unimplemented_cmd(struct lhv_nl *nl)
{
	const struct expect e = { .error = EOPNOTSUPP, .need_msg = true };
	struct lhv_nl_result res;

	return call_expect(nl, lhv_nl_request(nl, UNIMPLEMENTED_CMD), &e, &res);
}

static bool t_foreign_cmd(struct lhv_nl *nl)
{
	const struct expect e = { .error = EOPNOTSUPP };
	struct lhv_nl_result res;

	return call_expect(nl, lhv_nl_request(nl, FOREIGN_CMD), &e, &res);
}

static bool t_unterminated_name(struct lhv_nl *nl)
{
	const struct expect e = { .error = EINVAL, .need_msg = true };
	struct nlmsghdr *req = lhv_nl_request(nl, LHV_CMD_VM_GET);
	struct lhv_nl_result res;

	mnl_attr_put(req, LHV_ATTR_VM_NAME, 4, "abcd");
	return call_expect(nl, req, &e, &res);
}

static bool t_short_vm_id(struct lhv_nl *nl)
{
	const struct expect e = { .error = EINVAL, .need_msg = true };
	struct nlmsghdr *req = lhv_nl_request(nl, LHV_CMD_VM_GET);
	struct lhv_nl_result res;

	mnl_attr_put_strz(req, LHV_ATTR_VM_NAME, LHV_SERVICE_VM_NAME);
	mnl_attr_put_u16(req, LHV_ATTR_VM_ID, 0);
	return call_expect(nl, req, &e, &res);
}

static bool t_long_name(struct lhv_nl *nl)
{
	const struct expect e = {
		.error = EINVAL,
		.alt_error = ERANGE,
		.need_msg = true,
	};
	struct nlmsghdr *req = lhv_nl_request(nl, LHV_CMD_VM_GET);
	char name[LONG_NAME_LEN + 1];
	struct lhv_nl_result res;

	memset(name, 'a', LONG_NAME_LEN);
	name[LONG_NAME_LEN] = '\0';
	mnl_attr_put_strz(req, LHV_ATTR_VM_NAME, name);
	return call_expect(nl, req, &e, &res);
}

static bool t_no_name(struct lhv_nl *nl)
{
	const struct expect e = {
		.error = EINVAL,
		.need_msg = true,
		.need_miss = true,
		.miss = LHV_ATTR_VM_NAME,
	};
	struct lhv_nl_result res;

	return call_expect(nl, lhv_nl_request(nl, LHV_CMD_VM_GET), &e, &res);
}

static bool t_unknown_attr(struct lhv_nl *nl)
{
	const struct expect e = { .any_error = true, .need_msg = true };
	struct nlmsghdr *req = lhv_nl_request(nl, LHV_CMD_STATUS);
	struct lhv_nl_result res;

	mnl_attr_put_u32(req, UNKNOWN_ATTR, 0);
	return call_expect(nl, req, &e, &res);
}

/* An attribute header that claims more bytes than the message holds. */
static bool t_overrunning_attr(struct lhv_nl *nl)
{
	const struct expect e = { .error = EINVAL, .need_msg = true };
	struct nlmsghdr *req = lhv_nl_request(nl, LHV_CMD_VM_GET);
	struct lhv_nl_result res;
	struct nlattr *a;

	mnl_attr_put_strz(req, LHV_ATTR_VM_NAME, LHV_SERVICE_VM_NAME);
	a = mnl_nlmsg_get_payload_tail(req);
	a->nla_type = LHV_ATTR_VM_NAME;
	a->nla_len = 64;
	req->nlmsg_len += sizeof(*a);
	return call_expect(nl, req, &e, &res);
}

/*
 * genetlink (Linux 6.1+) refuses a nonzero reserved byte for commands from
 * resv_start_op on; the lhv family leaves that at 0, so for all of them.
 */
static bool t_genl_reserved(struct lhv_nl *nl)
{
	const struct expect e = { .error = EINVAL, .need_msg = true };
	struct nlmsghdr *req = lhv_nl_request(nl, LHV_CMD_STATUS);
	struct genlmsghdr *genl = mnl_nlmsg_get_payload(req);
	struct lhv_nl_result res;

	genl->reserved = 0x5a;
	return call_expect(nl, req, &e, &res);
}

static bool t_service_vm(struct lhv_nl *nl)
{
	const struct expect e = { .error = 0 };
	struct nlmsghdr *req = lhv_nl_request(nl, LHV_CMD_VM_GET);
	struct lhv_parse_err perr;
	struct lhv_nl_result res;
	struct lhv_vm_info vm;

	mnl_attr_put_strz(req, LHV_ATTR_VM_NAME, LHV_SERVICE_VM_NAME);
	if (!call_expect(nl, req, &e, &res))
		return false;
	if (!res.reply) {
		note("no reply message");
		return false;
	}
	if (lhv_parse_vm(res.reply, &vm, &perr)) {
		note("bad reply: %s", perr.msg);
		return false;
	}
	note("id %u, name \"%s\", state %u", vm.id, vm.name, vm.state);
	return vm.id == 0 && !strcmp(vm.name, LHV_SERVICE_VM_NAME) &&
	       vm.state == LHV_VM_RUNNING;
}

static bool t_no_such_vm(struct lhv_nl *nl)
{
	const struct expect e = { .error = ENOENT, .need_msg = true };
	struct nlmsghdr *req = lhv_nl_request(nl, LHV_CMD_VM_GET);
	struct lhv_nl_result res;

	mnl_attr_put_strz(req, LHV_ATTR_VM_NAME, "nosuchvm");
	return call_expect(nl, req, &e, &res);
}

/* A DEV_ADD of a blk device for vm (NULL: no VM_NAME) with a backing. */
static struct nlmsghdr *blk_add(struct lhv_nl *nl, const char *vm)
{
	const struct lhv_blk_req r = { .vm = vm, .backing = "/dev/null" };
	struct nlmsghdr *req = lhv_nl_request(nl, LHV_CMD_DEV_ADD);

	lhv_req_blk_add(req, LHV_NL_REQ_SIZE, &r);
	return req;
}

static bool t_dev_add_no_vm(struct lhv_nl *nl)
{
	const struct expect e = {
		.error = EINVAL,
		.need_msg = true,
		.need_miss = true,
		.miss = LHV_ATTR_VM_NAME,
	};
	struct lhv_nl_result res;

	return call_expect(nl, blk_add(nl, NULL), &e, &res);
}

static bool t_dev_add_unknown_type(struct lhv_nl *nl)
{
	const struct expect e = { .error = EINVAL, .need_msg = true };
	struct nlmsghdr *req = lhv_nl_request(nl, LHV_CMD_DEV_ADD);
	struct lhv_nl_result res;
	struct nlattr *nest;

	mnl_attr_put_strz(req, LHV_ATTR_VM_NAME, LHV_SERVICE_VM_NAME);
	mnl_attr_put_u32(req, LHV_ATTR_DEV_TYPE, UNKNOWN_DEV_TYPE);
	nest = mnl_attr_nest_start(req, LHV_ATTR_DEV_CONFIG);
	mnl_attr_put_strz(req, LHV_BLK_ATTR_BACKING, "/dev/null");
	mnl_attr_nest_end(req, nest);
	return call_expect(nl, req, &e, &res);
}

static bool t_dev_add_no_type(struct lhv_nl *nl)
{
	const struct expect e = {
		.error = EINVAL,
		.need_msg = true,
		.need_miss = true,
		.miss = LHV_ATTR_DEV_TYPE,
	};
	struct nlmsghdr *req = lhv_nl_request(nl, LHV_CMD_DEV_ADD);
	struct lhv_nl_result res;

	mnl_attr_put_strz(req, LHV_ATTR_VM_NAME, LHV_SERVICE_VM_NAME);
	return call_expect(nl, req, &e, &res);
}

/*
 * Send a DEV_ADD a backend must refuse as e says, with word (if not NULL)
 * in its extack. ENODEV (the backend is not in the box) skips the case
 * with the reason skip.
 */
static bool backend_refuses(struct lhv_nl *nl, struct nlmsghdr *req,
			    const struct expect *e, const char *word,
			    const char *skip)
{
	struct lhv_nl_result res;
	int ret;

	ret = lhv_nl_call(nl, req, &res);
	if (ret) {
		note("no valid answer: %s", strerror(-ret));
		return false;
	}
	if (res.error == ENODEV) {
		note_result(&res);
		skip_reason = skip;
		return true;
	}
	if (!judge(e, &res))
		return false;
	if (word && !strstr(res.msg, word)) {
		note("expected the extack to mention '%s'", word);
		return false;
	}
	return true;
}

static bool t_dev_add_no_such_vm(struct lhv_nl *nl)
{
	const struct expect e = { .error = ENOENT, .need_msg = true };

	/* The backend is looked up first: without it, no VM lookup. */
	return backend_refuses(nl, blk_add(nl, "nosuchvm"), &e, NULL,
			       "no blk backend (lhv_blk) in this box");
}

/* A blk device without a backing: lhv_blk refuses it, naming the backing. */
static bool t_dev_add_no_backing(struct lhv_nl *nl)
{
	const struct expect e = { .error = EINVAL, .need_msg = true };
	struct nlmsghdr *req = lhv_nl_request(nl, LHV_CMD_DEV_ADD);
	struct nlattr *nest;

	mnl_attr_put_strz(req, LHV_ATTR_VM_NAME, LHV_SERVICE_VM_NAME);
	mnl_attr_put_u32(req, LHV_ATTR_DEV_TYPE, LHV_DEV_BLK);
	nest = mnl_attr_nest_start(req, LHV_ATTR_DEV_CONFIG);
	mnl_attr_nest_end(req, nest);
	return backend_refuses(nl, req, &e, "backing", "lhv_blk not loaded");
}

static bool t_dev_del_no_such_id(struct lhv_nl *nl)
{
	const struct expect e = { .error = ENOENT, .need_msg = true };
	struct nlmsghdr *req = lhv_nl_request(nl, LHV_CMD_DEV_DEL);
	struct lhv_nl_result res;

	lhv_req_dev_del(req, LHV_NL_REQ_SIZE, LHV_SERVICE_VM_NAME,
			NO_SUCH_DEV_ID);
	return call_expect(nl, req, &e, &res);
}

static bool t_dev_del_no_such_vm(struct lhv_nl *nl)
{
	const struct expect e = { .error = ENOENT, .need_msg = true };
	struct nlmsghdr *req = lhv_nl_request(nl, LHV_CMD_DEV_DEL);
	struct lhv_nl_result res;

	lhv_req_dev_del(req, LHV_NL_REQ_SIZE, "nosuchvm", 0);
	return call_expect(nl, req, &e, &res);
}

static bool t_dev_del_no_id(struct lhv_nl *nl)
{
	const struct expect e = {
		.error = EINVAL,
		.need_msg = true,
		.need_miss = true,
		.miss = LHV_ATTR_DEV_ID,
	};
	struct nlmsghdr *req = lhv_nl_request(nl, LHV_CMD_DEV_DEL);
	struct lhv_nl_result res;

	mnl_attr_put_strz(req, LHV_ATTR_VM_NAME, LHV_SERVICE_VM_NAME);
	return call_expect(nl, req, &e, &res);
}

/*
 * DEV_ADD for the service VM whose DEV_CONFIG is len bytes of data. The
 * core policy refuses it, whether lhv_blk is there or not. For a nest
 * shorter than an attribute header validate_nla() answers ERANGE, not
 * EINVAL, so either is accepted.
 */
static bool dev_add_bad_config(struct lhv_nl *nl, uint16_t type, size_t len,
			       const void *data)
{
	const struct expect e = {
		.error = EINVAL,
		.alt_error = ERANGE,
		.need_msg = true,
	};
	struct nlmsghdr *req = lhv_nl_request(nl, LHV_CMD_DEV_ADD);
	struct lhv_nl_result res;

	mnl_attr_put_strz(req, LHV_ATTR_VM_NAME, LHV_SERVICE_VM_NAME);
	mnl_attr_put_u32(req, LHV_ATTR_DEV_TYPE, LHV_DEV_BLK);
	mnl_attr_put(req, type, len, data);
	return call_expect(nl, req, &e, &res);
}

/* A u32 where the nest belongs, without NLA_F_NESTED. */
static bool t_dev_config_not_nested(struct lhv_nl *nl)
{
	const uint32_t v = 0xdeadbeef;

	return dev_add_bad_config(nl, LHV_ATTR_DEV_CONFIG, sizeof(v), &v);
}

/* Flagged nested, but three bytes: not even one attribute header. */
static bool t_dev_config_garbage(struct lhv_nl *nl)
{
	return dev_add_bad_config(nl, LHV_ATTR_DEV_CONFIG | NLA_F_NESTED, 3,
				  "\xff\xff\xff");
}

/*
 * A snd DEV_ADD whose STREAMS nest gets n entries from put_entry. lhv_snd
 * must refuse it with error (or alt) and an extack containing word (if
 * not NULL); without lhv_snd in the box the case is skipped. Nothing is
 * created either way.
 */
static bool snd_add_refused(struct lhv_nl *nl, unsigned int n,
			    void (*put_entry)(struct nlmsghdr *req,
					      unsigned int i),
			    int error, int alt, const char *word)
{
	const struct expect e = { .error = error,
				  .alt_error = alt,
				  .need_msg = true };
	struct nlmsghdr *req = lhv_nl_request(nl, LHV_CMD_DEV_ADD);
	struct nlattr *cfg, *list;
	unsigned int i;

	mnl_attr_put_strz(req, LHV_ATTR_VM_NAME, LHV_SERVICE_VM_NAME);
	mnl_attr_put_u32(req, LHV_ATTR_DEV_TYPE, LHV_DEV_SND);
	cfg = mnl_attr_nest_start(req, LHV_ATTR_DEV_CONFIG);
	list = mnl_attr_nest_start(req, LHV_SND_ATTR_STREAMS);
	for (i = 0; i < n; i++)
		put_entry(req, i);
	mnl_attr_nest_end(req, list);
	mnl_attr_nest_end(req, cfg);
	return backend_refuses(nl, req, &e, word,
			       "no snd backend (lhv_snd) in this box");
}

/* A good output stream. */
static void put_stream(struct nlmsghdr *req, unsigned int i)
{
	struct nlattr *st = mnl_attr_nest_start(req, (uint16_t)(i + 1));

	mnl_attr_put_u32(req, LHV_SND_STREAM_ATTR_DIRECTION,
			 LHV_SND_DIR_OUTPUT);
	mnl_attr_nest_end(req, st);
}

/* Three bytes where a stream's nest belongs. */
static void put_garbage_stream(struct nlmsghdr *req, unsigned int i)
{
	mnl_attr_put(req, (uint16_t)(i + 1), 3, "\xff\xff\xff");
}

static void put_stream_no_direction(struct nlmsghdr *req, unsigned int i)
{
	struct nlattr *st = mnl_attr_nest_start(req, (uint16_t)(i + 1));

	mnl_attr_put_u32(req, LHV_SND_STREAM_ATTR_CHANNELS_MAX, 2);
	mnl_attr_nest_end(req, st);
}

/* IMA ADPCM (format bit 0) has no sample width: the clock cannot count it. */
static void put_stream_adpcm(struct nlmsghdr *req, unsigned int i)
{
	struct nlattr *st = mnl_attr_nest_start(req, (uint16_t)(i + 1));

	mnl_attr_put_u32(req, LHV_SND_STREAM_ATTR_DIRECTION, LHV_SND_DIR_INPUT);
	mnl_attr_put_u64(req, LHV_SND_STREAM_ATTR_FORMATS, 1);
	mnl_attr_nest_end(req, st);
}

static bool t_snd_garbage_stream(struct lhv_nl *nl)
{
	return snd_add_refused(nl, 1, put_garbage_stream, EINVAL, ERANGE, NULL);
}

static bool t_snd_too_many_streams(struct lhv_nl *nl)
{
	return snd_add_refused(nl, LHV_SND_MAX_STREAMS + 1, put_stream, E2BIG,
			       0, "too many streams");
}

static bool t_snd_no_direction(struct lhv_nl *nl)
{
	return snd_add_refused(nl, 1, put_stream_no_direction, EINVAL, 0,
			       "direction");
}

static bool t_snd_adpcm(struct lhv_nl *nl)
{
	return snd_add_refused(nl, 1, put_stream_adpcm, EINVAL, 0, "formats");
}

static bool t_snd_empty_streams(struct lhv_nl *nl)
{
	return snd_add_refused(nl, 0, put_stream, EINVAL, 0, "empty");
}

static int count_entry(const struct nlmsghdr *nlh, void *data)
{
	struct lhv_parse_err perr;
	struct lhv_dev_info dev;

	/* Say what is there: the test expects nothing. */
	if (lhv_parse_dev(nlh, &dev, &perr))
		note("unparsable entry: %s", perr.msg);
	else
		note("device %u \"%s\" of VM \"%s\", type %u", dev.id, dev.name,
		     dev.vm, dev.type);
	(*(unsigned int *)data)++;
	return 0;
}

/* Send the dump req and judge its outcome as call_expect() does. */
static bool dump_expect(struct lhv_nl *nl, struct nlmsghdr *req,
			const struct expect *e, unsigned int *entries)
{
	struct lhv_nl_result res;
	bool ok;
	int ret;

	*entries = 0;
	ret = lhv_nl_dump(nl, req, count_entry, entries, &res);
	if (ret) {
		note("no valid answer: %s",
		     ret == LHV_NL_STOPPED ? "stopped" : strerror(-ret));
		return false;
	}
	ok = judge(e, &res);
	note("%u entries%s", *entries,
	     res.interrupted ? ", dump interrupted" : "");
	return ok;
}

static bool t_dev_get_empty(struct lhv_nl *nl)
{
	const struct expect e = { .error = 0 };
	unsigned int n;

	if (!dump_expect(nl, lhv_nl_dump_request(nl, LHV_CMD_DEV_GET), &e, &n))
		return false;
	return n == 0;
}

/* The list is a dump: a plain request is refused with a reason. */
static bool t_dev_get_not_dump(struct lhv_nl *nl)
{
	const struct expect e = { .error = EOPNOTSUPP, .need_msg = true };
	struct lhv_nl_result res;

	return call_expect(nl, lhv_nl_request(nl, LHV_CMD_DEV_GET), &e, &res);
}

/* A dump's request is validated like any other: refused before entries. */
static bool t_dev_get_bad_filter(struct lhv_nl *nl)
{
	const struct expect e = { .error = EINVAL, .need_msg = true };
	struct nlmsghdr *req = lhv_nl_dump_request(nl, LHV_CMD_DEV_GET);
	unsigned int n;

	mnl_attr_put(req, LHV_ATTR_VM_NAME, 4, "abcd");
	if (!dump_expect(nl, req, &e, &n))
		return false;
	return n == 0;
}

/* Ask for STATUS and parse it; false (with a note) on any failure. */
static bool get_status(struct lhv_nl *nl, struct lhv_status *st)
{
	const struct expect e = { .error = 0 };
	struct lhv_parse_err perr;
	struct lhv_nl_result res;

	if (!call_expect(nl, lhv_nl_request(nl, LHV_CMD_STATUS), &e, &res))
		return false;
	if (!res.reply) {
		note("no reply message");
		return false;
	}
	if (lhv_parse_status(res.reply, st, &perr)) {
		note("bad reply: %s", perr.msg);
		return false;
	}
	return true;
}

static bool t_truncated_genl_header(struct lhv_nl *nl)
{
	const struct expect e = { .any_error = true };
	struct nlmsghdr *req = lhv_nl_request(nl, LHV_CMD_STATUS);
	struct lhv_nl_result res;
	struct lhv_status st;

	/* Two of the four bytes of struct genlmsghdr. */
	req->nlmsg_len = MNL_NLMSG_HDRLEN + 2;
	if (!call_expect(nl, req, &e, &res))
		return false;
	note("the module must still answer:");
	return get_status(nl, &st);
}

static bool t_status_abi(struct lhv_nl *nl)
{
	struct lhv_status st;

	if (!get_status(nl, &st))
		return false;
	note("module %s, ABI %u, hypervisor state %u, max VMs %u",
	     st.module_version, st.abi_version, st.hv_state, st.max_vms);
	return st.abi_version == LHV_ABI_VERSION;
}

/* Ways to break a heci DEV_CONFIG; lhv_heci's policy and create judge. */
enum heci_bad {
	HECI_NO_BACKEND, /* no BACKEND */
	HECI_BACKEND_7,	 /* BACKEND past the enum */
	HECI_SHORT_UUID, /* an ALLOW entry of 15 bytes */
	HECI_VTAG,	 /* VTAG is reported, never set */
	HECI_TOO_MANY,	 /* 33 distinct UUIDs */
	HECI_SMALL_MSG,	 /* mei with MAX_MSG_LEN 8 */
};

static bool heci_bad_config(struct lhv_nl *nl, enum heci_bad bad, int error,
			    int alt_error)
{
	const struct expect e = { .error = error,
				  .alt_error = alt_error,
				  .need_msg = true };
	struct nlmsghdr *req = lhv_nl_request(nl, LHV_CMD_DEV_ADD);
	struct nlattr *nest, *allow;
	uint8_t uuid[16] = { 0xa4, 0xc6, 0xe5, 0xd2, 0x01 };
	unsigned int i, n = bad == HECI_TOO_MANY ? 33 : 1;

	if (access("/sys/module/lhv_heci", F_OK)) {
		skip_reason = "lhv_heci not loaded";
		return true;
	}
	mnl_attr_put_strz(req, LHV_ATTR_VM_NAME, LHV_SERVICE_VM_NAME);
	mnl_attr_put_u32(req, LHV_ATTR_DEV_TYPE, LHV_DEV_HECI);
	nest = mnl_attr_nest_start(req, LHV_ATTR_DEV_CONFIG);
	if (bad != HECI_NO_BACKEND)
		mnl_attr_put_u32(req, LHV_HECI_ATTR_BACKEND,
				 bad == HECI_BACKEND_7 ? 7
				 : bad == HECI_SMALL_MSG
					 ? LHV_HECI_BACKEND_MEI
					 : LHV_HECI_BACKEND_SIM);
	allow = mnl_attr_nest_start(req, LHV_HECI_ATTR_ALLOW);
	for (i = 0; i < n; i++) {
		uuid[15] = (uint8_t)i;
		mnl_attr_put(req, LHV_HECI_ALLOW_UUID,
			     bad == HECI_SHORT_UUID ? 15 : 16, uuid);
	}
	mnl_attr_nest_end(req, allow);
	if (bad == HECI_VTAG)
		mnl_attr_put_u32(req, LHV_HECI_ATTR_VTAG, 5);
	if (bad == HECI_SMALL_MSG)
		mnl_attr_put_u32(req, LHV_HECI_ATTR_MAX_MSG_LEN, 8);
	mnl_attr_nest_end(req, nest);
	return backend_refuses(nl, req, &e, NULL, "lhv_heci not loaded");
}

static bool t_heci_no_backend(struct lhv_nl *nl)
{
	return heci_bad_config(nl, HECI_NO_BACKEND, EINVAL, 0);
}

static bool t_heci_backend_7(struct lhv_nl *nl)
{
	return heci_bad_config(nl, HECI_BACKEND_7, ERANGE, EINVAL);
}

static bool t_heci_short_uuid(struct lhv_nl *nl)
{
	return heci_bad_config(nl, HECI_SHORT_UUID, EINVAL, ERANGE);
}

static bool t_heci_vtag(struct lhv_nl *nl)
{
	return heci_bad_config(nl, HECI_VTAG, EINVAL, 0);
}

static bool t_heci_too_many(struct lhv_nl *nl)
{
	return heci_bad_config(nl, HECI_TOO_MANY, E2BIG, 0);
}

static bool t_heci_small_msg(struct lhv_nl *nl)
{
	return heci_bad_config(nl, HECI_SMALL_MSG, ERANGE, EINVAL);
}

static const struct {
	const char *desc;
	bool (*run)(struct lhv_nl *nl);
} cases[] = {
	{ "unimplemented reserved command: EOPNOTSUPP with extack",
	  t_unimplemented_cmd },
	{ "command 250 beyond the reserved range: EOPNOTSUPP", t_foreign_cmd },
	{ "VM_GET, VM_NAME not NUL-terminated: EINVAL with extack",
	  t_unterminated_name },
	{ "VM_GET, VM_ID as u16: EINVAL with extack", t_short_vm_id },
	{ "VM_GET, 200-byte VM_NAME: EINVAL or ERANGE with extack",
	  t_long_name },
	{ "VM_GET without attributes: EINVAL, extack, missing VM_NAME",
	  t_no_name },
	{ "STATUS with unknown attribute 200: error with extack",
	  t_unknown_attr },
	{ "VM_GET, attribute overrunning the message: EINVAL with extack",
	  t_overrunning_attr },
	{ "genetlink header with reserved byte set: EINVAL with extack",
	  t_genl_reserved },
	{ "VM_GET service: id 0, running", t_service_vm },
	{ "VM_GET nosuchvm: ENOENT with extack", t_no_such_vm },
	{ "DEV_ADD without VM_NAME: EINVAL, extack, missing VM_NAME",
	  t_dev_add_no_vm },
	{ "DEV_ADD without DEV_TYPE: EINVAL, extack, missing DEV_TYPE",
	  t_dev_add_no_type },
	{ "DEV_ADD, DEV_TYPE 200: EINVAL with extack", t_dev_add_unknown_type },
	{ "DEV_ADD for nosuchvm: ENOENT with extack", t_dev_add_no_such_vm },
	{ "DEV_ADD blk, empty DEV_CONFIG: EINVAL, extack names the backing",
	  t_dev_add_no_backing },
	{ "DEV_DEL of a nonexistent id: ENOENT with extack",
	  t_dev_del_no_such_id },
	{ "DEV_DEL on nosuchvm: ENOENT with extack", t_dev_del_no_such_vm },
	{ "DEV_DEL without DEV_ID: EINVAL, extack, missing DEV_ID",
	  t_dev_del_no_id },
	{ "DEV_ADD, DEV_CONFIG a u32, not nested: EINVAL with extack",
	  t_dev_config_not_nested },
	{ "DEV_ADD, DEV_CONFIG 3 bytes of garbage: EINVAL/ERANGE, extack",
	  t_dev_config_garbage },
	{ "DEV_ADD snd, a stream of 3 garbage bytes: EINVAL/ERANGE, extack",
	  t_snd_garbage_stream },
	{ "DEV_ADD snd, 17 streams: E2BIG, extack 'too many streams'",
	  t_snd_too_many_streams },
	{ "DEV_ADD snd, a stream without direction: EINVAL with extack",
	  t_snd_no_direction },
	{ "DEV_ADD snd, ADPCM (no sample width): EINVAL, extack on formats",
	  t_snd_adpcm },
	{ "DEV_ADD snd, an empty stream list: EINVAL with extack",
	  t_snd_empty_streams },
	{ "DEV_GET without NLM_F_DUMP: EOPNOTSUPP with extack",
	  t_dev_get_not_dump },
	{ "DEV_GET dump without devices: success, no entries",
	  t_dev_get_empty },
	{ "DEV_GET dump, VM_NAME not NUL-terminated: EINVAL with extack",
	  t_dev_get_bad_filter },
	{ "truncated genetlink header: error, module still answers",
	  t_truncated_genl_header },
	{ "STATUS reports ABI version " STR(LHV_ABI_VERSION), t_status_abi },
	{ "DEV_ADD heci without BACKEND: EINVAL with extack",
	  t_heci_no_backend },
	{ "DEV_ADD heci, BACKEND 7: ERANGE with extack", t_heci_backend_7 },
	{ "DEV_ADD heci, a 15-byte UUID: EINVAL with extack",
	  t_heci_short_uuid },
	{ "DEV_ADD heci, VTAG set: EINVAL with extack", t_heci_vtag },
	{ "DEV_ADD heci, 33 UUIDs: E2BIG with extack", t_heci_too_many },
	{ "DEV_ADD heci mei, MAX_MSG_LEN 8: ERANGE with extack",
	  t_heci_small_msg },
};

int main(int argc, char **argv)
{
	unsigned int failed = 0;
	struct lhv_nl *nl;
	size_t i;
	bool ok;
	int ret;

	(void)argv;
	if (argc > 1) {
		fputs("usage: lhv-nl-abuse (no arguments; prints TAP)\n",
		      stderr);
		return 2;
	}

	ret = lhv_nl_open(&nl);
	if (ret) {
		printf("Bail out! cannot open a netlink socket: %s\n",
		       strerror(-ret));
		return 1;
	}
	ret = lhv_nl_resolve(nl, LHV_GENL_NAME);
	if (ret) {
		printf("Bail out! no \"%s\" family (lhv.ko loaded?): %s\n",
		       LHV_GENL_NAME, strerror(-ret));
		lhv_nl_close(nl);
		return 1;
	}

	printf("1..%zu\n", ARRAY_SIZE(cases));
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		skip_reason = NULL;
		ok = cases[i].run(nl);
		if (!ok)
			failed++;
		printf("%sok %zu - %s%s%s\n", ok ? "" : "not ", i + 1,
		       cases[i].desc, skip_reason ? " # SKIP " : "",
		       skip_reason ? skip_reason : "");
		fflush(stdout);
	}
	lhv_nl_close(nl);

	if (failed)
		note("%u of %zu failed", failed, ARRAY_SIZE(cases));
	return failed ? 1 : 0;
}
