// SPDX-License-Identifier: BSD-3-Clause
/*
 * Replies of the "lhv" family into plain structs (see reply.h).
 */
#include "reply.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

/* How one reply attribute lands in the output struct. */
struct reply_field {
	unsigned int type;
	enum { FIELD_U32, FIELD_STR } kind;
	size_t off;  /* offset in the output struct */
	size_t size; /* size of the member, for a string NUL included */
};

/* Offset and size of a member of the output struct, for the tables. */
#define MEMBER(s, m) offsetof(s, m), sizeof(((s *)0)->m)
#define ST(m) MEMBER(struct lhv_status, m)
#define VM(m) MEMBER(struct lhv_vm_info, m)

static const struct reply_field status_fields[] = {
	{ LHV_ATTR_MODULE_VERSION, FIELD_STR, ST(module_version) },
	{ LHV_ATTR_ABI_VERSION, FIELD_U32, ST(abi_version) },
	{ LHV_ATTR_HV_STATE, FIELD_U32, ST(hv_state) },
	{ LHV_ATTR_MAX_VMS, FIELD_U32, ST(max_vms) },
};

static const struct reply_field vm_fields[] = {
	{ LHV_ATTR_VM_ID, FIELD_U32, VM(id) },
	{ LHV_ATTR_VM_NAME, FIELD_STR, VM(name) },
	{ LHV_ATTR_VM_STATE, FIELD_U32, VM(state) },
};

static const char *const attr_names[] = {
	[LHV_ATTR_UNSPEC] = "UNSPEC",
	[LHV_ATTR_MODULE_VERSION] = "MODULE_VERSION",
	[LHV_ATTR_ABI_VERSION] = "ABI_VERSION",
	[LHV_ATTR_HV_STATE] = "HV_STATE",
	[LHV_ATTR_MAX_VMS] = "MAX_VMS",
	[LHV_ATTR_VM_ID] = "VM_ID",
	[LHV_ATTR_VM_NAME] = "VM_NAME",
	[LHV_ATTR_VM_STATE] = "VM_STATE",
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

const char *lhv_attr_name(unsigned int type)
{
	if (type < ARRAY_SIZE(attr_names) && attr_names[type])
		return attr_names[type];
	return "unknown";
}

const char *lhv_hv_state_name(uint32_t state)
{
	switch (state) {
	case LHV_HV_ABSENT:
		return "absent";
	case LHV_HV_LOADED:
		return "loaded";
	case LHV_HV_RUNNING:
		return "running";
	case LHV_HV_FAILED:
		return "failed";
	default:
		return NULL;
	}
}

const char *lhv_vm_state_name(uint32_t state)
{
	switch (state) {
	case LHV_VM_CREATED:
		return "created";
	case LHV_VM_LOADED:
		return "loaded";
	case LHV_VM_RUNNING:
		return "running";
	case LHV_VM_STOPPED:
		return "stopped";
	case LHV_VM_CRASHED:
		return "crashed";
	default:
		return NULL;
	}
}

int lhv_attrs_index(const void *buf, size_t len, const struct nlattr **tb,
		    unsigned int maxtype)
{
	const struct nlattr *a = buf;
	uint16_t type;
	size_t step;

	while (len > 0) {
		if (len < sizeof(*a) || a->nla_len < sizeof(*a) ||
		    a->nla_len > len)
			return -EBADMSG;
		type = mnl_attr_get_type(a);
		if (type <= maxtype)
			tb[type] = a;
		/* The last attribute may come without its padding. */
		step = MNL_ALIGN(a->nla_len);
		if (step > len)
			step = len;
		len -= step;
		a = (const struct nlattr *)((const char *)a + step);
	}
	return 0;
}

static int parse_fail(struct lhv_parse_err *err, int ret, unsigned int attr,
		      const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int parse_fail(struct lhv_parse_err *err, int ret, unsigned int attr,
		      const char *fmt, ...)
{
	va_list ap;

	if (err) {
		err->attr = attr;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return ret;
}

static int parse_field(const struct nlattr *a, const struct reply_field *f,
		       char *out, struct lhv_parse_err *err)
{
	const char *name = lhv_attr_name(f->type);
	uint16_t plen = mnl_attr_get_payload_len(a);
	uint32_t v;
	size_t len;

	if (f->kind == FIELD_U32) {
		if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
			return parse_fail(err, -ERANGE, f->type,
					  "attribute %s (%u): %u bytes, not 4",
					  name, f->type, plen);
		v = mnl_attr_get_u32(a);
		memcpy(out + f->off, &v, sizeof(v));
		return 0;
	}

	if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0)
		return parse_fail(err, -EINVAL, f->type,
				  "attribute %s (%u): no NUL-terminated string",
				  name, f->type);
	len = strlen(mnl_attr_get_str(a));
	if (len >= f->size)
		return parse_fail(err, -ERANGE, f->type,
				  "attribute %s (%u): %zu bytes, %zu at most",
				  name, f->type, len, f->size - 1);
	memcpy(out + f->off, mnl_attr_get_str(a), len + 1);
	return 0;
}

static int parse_reply(const struct nlmsghdr *nlh,
		       const struct reply_field *fields, size_t nfields,
		       void *out, size_t out_size, struct lhv_parse_err *err)
{
	const struct nlattr *tb[LHV_ATTR_MAX + 1] = { NULL };
	const size_t hdrs = MNL_NLMSG_HDRLEN + GENL_HDRLEN;
	const struct nlattr *a;
	size_t i;
	int ret;

	memset(out, 0, out_size);
	if (err) {
		err->attr = 0;
		err->msg[0] = '\0';
	}

	if (nlh->nlmsg_len < hdrs)
		return parse_fail(err, -EBADMSG, 0,
				  "reply of %u bytes, shorter than its headers",
				  nlh->nlmsg_len);

	ret = lhv_attrs_index((const char *)nlh + hdrs, nlh->nlmsg_len - hdrs,
			      tb, LHV_ATTR_MAX);
	if (ret)
		return parse_fail(err, ret, 0,
				  "reply has a malformed attribute");

	for (i = 0; i < nfields; i++) {
		a = tb[fields[i].type];
		if (!a)
			ret = parse_fail(err, -ENODATA, fields[i].type,
					 "reply lacks attribute %s (%u)",
					 lhv_attr_name(fields[i].type),
					 fields[i].type);
		else
			ret = parse_field(a, &fields[i], out, err);
		if (ret) {
			memset(out, 0, out_size);
			return ret;
		}
	}
	return 0;
}

int lhv_parse_status(const struct nlmsghdr *nlh, struct lhv_status *out,
		     struct lhv_parse_err *err)
{
	return parse_reply(nlh, status_fields, ARRAY_SIZE(status_fields), out,
			   sizeof(*out), err);
}

int lhv_parse_vm(const struct nlmsghdr *nlh, struct lhv_vm_info *out,
		 struct lhv_parse_err *err)
{
	return parse_reply(nlh, vm_fields, ARRAY_SIZE(vm_fields), out,
			   sizeof(*out), err);
}
