// SPDX-License-Identifier: BSD-3-Clause
/*
 * Requests of the "lhv" family (see request.h).
 */
#include "request.h"

#include <errno.h>

#include <string.h>

#include <libmnl/libmnl.h>
#include <lhv/hypercall.h>
#include <lhv/netlink.h>

/* Fail with the message back as it was: no half-built request is sent. */
static int too_big(struct nlmsghdr *nlh, uint32_t len)
{
	nlh->nlmsg_len = len;
	return -EMSGSIZE;
}

static bool put_blk_u32(struct nlmsghdr *nlh, size_t size,
			const struct lhv_blk_req *r, uint16_t type,
			uint32_t val)
{
	if (!(r->set & LHV_BLK_BIT(type)))
		return true;
	return mnl_attr_put_u32_check(nlh, size, type, val);
}

static bool put_blk_u64(struct nlmsghdr *nlh, size_t size,
			const struct lhv_blk_req *r, uint16_t type,
			uint64_t val)
{
	if (!(r->set & LHV_BLK_BIT(type)))
		return true;
	return mnl_attr_put_u64_check(nlh, size, type, val);
}

int lhv_req_blk_add(struct nlmsghdr *nlh, size_t size,
		    const struct lhv_blk_req *r)
{
	const uint32_t len = nlh->nlmsg_len;
	struct nlattr *nest;

	if ((r->vm &&
	     !mnl_attr_put_strz_check(nlh, size, LHV_ATTR_VM_NAME, r->vm)) ||
	    !mnl_attr_put_u32_check(nlh, size, LHV_ATTR_DEV_TYPE, LHV_DEV_BLK))
		return too_big(nlh, len);

	nest = mnl_attr_nest_start_check(nlh, size, LHV_ATTR_DEV_CONFIG);
	if (!nest)
		return too_big(nlh, len);
	if ((r->backing &&
	     !mnl_attr_put_strz_check(nlh, size, LHV_BLK_ATTR_BACKING,
				      r->backing)) ||
	    !put_blk_u64(nlh, size, r, LHV_BLK_ATTR_START, r->start) ||
	    !put_blk_u64(nlh, size, r, LHV_BLK_ATTR_SECTORS, r->sectors) ||
	    (r->read_only &&
	     !mnl_attr_put_check(nlh, size, LHV_BLK_ATTR_READ_ONLY, 0, "")) ||
	    (r->serial && !mnl_attr_put_strz_check(
				  nlh, size, LHV_BLK_ATTR_SERIAL, r->serial)) ||
	    !put_blk_u32(nlh, size, r, LHV_BLK_ATTR_QUEUES, r->queues) ||
	    !put_blk_u32(nlh, size, r, LHV_BLK_ATTR_QUEUE_SIZE,
			 r->queue_size) ||
	    !put_blk_u32(nlh, size, r, LHV_BLK_ATTR_CACHE, r->cache))
		return too_big(nlh, len);
	mnl_attr_nest_end(nlh, nest);
	return 0;
}

static bool put_snd_stream(struct nlmsghdr *nlh, size_t size,
			   const struct lhv_snd_stream_req *st, uint16_t type)
{
	struct nlattr *nest = mnl_attr_nest_start_check(nlh, size, type);
	uint32_t set = st->set;

	if (!nest)
		return false;
	if (((set & LHV_BLK_BIT(LHV_SND_STREAM_ATTR_DIRECTION)) &&
	     !mnl_attr_put_u32_check(nlh, size, LHV_SND_STREAM_ATTR_DIRECTION,
				     st->direction)) ||
	    ((set & LHV_BLK_BIT(LHV_SND_STREAM_ATTR_CHANNELS_MIN)) &&
	     !mnl_attr_put_u32_check(nlh, size,
				     LHV_SND_STREAM_ATTR_CHANNELS_MIN,
				     st->channels_min)) ||
	    ((set & LHV_BLK_BIT(LHV_SND_STREAM_ATTR_CHANNELS_MAX)) &&
	     !mnl_attr_put_u32_check(nlh, size,
				     LHV_SND_STREAM_ATTR_CHANNELS_MAX,
				     st->channels_max)) ||
	    ((set & LHV_BLK_BIT(LHV_SND_STREAM_ATTR_FORMATS)) &&
	     !mnl_attr_put_u64_check(nlh, size, LHV_SND_STREAM_ATTR_FORMATS,
				     st->formats)) ||
	    ((set & LHV_BLK_BIT(LHV_SND_STREAM_ATTR_RATES)) &&
	     !mnl_attr_put_u64_check(nlh, size, LHV_SND_STREAM_ATTR_RATES,
				     st->rates)))
		return false;
	mnl_attr_nest_end(nlh, nest);
	return true;
}

int lhv_req_snd_add(struct nlmsghdr *nlh, size_t size,
		    const struct lhv_snd_req *r)
{
	const uint32_t len = nlh->nlmsg_len;
	struct nlattr *nest, *list;
	uint32_t i;

	if ((r->vm &&
	     !mnl_attr_put_strz_check(nlh, size, LHV_ATTR_VM_NAME, r->vm)) ||
	    !mnl_attr_put_u32_check(nlh, size, LHV_ATTR_DEV_TYPE, LHV_DEV_SND))
		return too_big(nlh, len);
	nest = mnl_attr_nest_start_check(nlh, size, LHV_ATTR_DEV_CONFIG);
	if (!nest)
		return too_big(nlh, len);
	if (r->nr_streams) {
		list = mnl_attr_nest_start_check(nlh, size,
						 LHV_SND_ATTR_STREAMS);
		if (!list)
			return too_big(nlh, len);
		for (i = 0; i < r->nr_streams && i < LHV_SND_MAX_STREAMS; i++)
			if (!put_snd_stream(nlh, size, &r->streams[i],
					    (uint16_t)(i + 1)))
				return too_big(nlh, len);
		mnl_attr_nest_end(nlh, list);
	}
	if ((r->jacks_set &&
	     !mnl_attr_put_u32_check(nlh, size, LHV_SND_ATTR_JACKS,
				     r->jacks)) ||
	    (r->chmaps &&
	     !mnl_attr_put_check(nlh, size, LHV_SND_ATTR_CHMAPS, 0, "")))
		return too_big(nlh, len);
	mnl_attr_nest_end(nlh, nest);
	return 0;
}

int lhv_req_heci_add(struct nlmsghdr *nlh, size_t size,
		     const struct lhv_heci_req *r)
{
	const uint32_t len = nlh->nlmsg_len;
	struct nlattr *nest, *allow;
	unsigned int i;

	if ((r->vm &&
	     !mnl_attr_put_strz_check(nlh, size, LHV_ATTR_VM_NAME, r->vm)) ||
	    !mnl_attr_put_u32_check(nlh, size, LHV_ATTR_DEV_TYPE, LHV_DEV_HECI))
		return too_big(nlh, len);
	nest = mnl_attr_nest_start_check(nlh, size, LHV_ATTR_DEV_CONFIG);
	if (!nest || !mnl_attr_put_u32_check(nlh, size, LHV_HECI_ATTR_BACKEND,
					     r->backend))
		return too_big(nlh, len);
	if (r->has_max_msg_len &&
	    !mnl_attr_put_u32_check(nlh, size, LHV_HECI_ATTR_MAX_MSG_LEN,
				    r->max_msg_len))
		return too_big(nlh, len);
	if (r->nr_allow) {
		allow = mnl_attr_nest_start_check(nlh, size,
						  LHV_HECI_ATTR_ALLOW);
		if (!allow)
			return too_big(nlh, len);
		for (i = 0; i < r->nr_allow && i < 32; i++)
			if (!mnl_attr_put_check(nlh, size, LHV_HECI_ALLOW_UUID,
						16, r->allow[i]))
				return too_big(nlh, len);
		mnl_attr_nest_end(nlh, allow);
	}
	mnl_attr_nest_end(nlh, nest);
	return 0;
}

int lhv_req_dev_del(struct nlmsghdr *nlh, size_t size, const char *vm,
		    uint32_t id)
{
	const uint32_t len = nlh->nlmsg_len;

	if (!mnl_attr_put_strz_check(nlh, size, LHV_ATTR_VM_NAME, vm) ||
	    !mnl_attr_put_u32_check(nlh, size, LHV_ATTR_DEV_ID, id))
		return too_big(nlh, len);
	return 0;
}

int lhv_req_dev_get(struct nlmsghdr *nlh, size_t size, const char *vm,
		    uint32_t type)
{
	const uint32_t len = nlh->nlmsg_len;

	if ((vm && !mnl_attr_put_strz_check(nlh, size, LHV_ATTR_VM_NAME, vm)) ||
	    (type != LHV_DEV_UNSPEC &&
	     !mnl_attr_put_u32_check(nlh, size, LHV_ATTR_DEV_TYPE, type)))
		return too_big(nlh, len);
	return 0;
}

int lhv_req_vm(struct nlmsghdr *nlh, size_t size, const char *vm, bool force)
{
	const uint32_t len = nlh->nlmsg_len;

	if (!mnl_attr_put_strz_check(nlh, size, LHV_ATTR_VM_NAME, vm) ||
	    (force &&
	     !mnl_attr_put_check(nlh, size, LHV_ATTR_VM_STOP_FORCE, 0, "")))
		return too_big(nlh, len);
	return 0;
}

int lhv_req_console_write(struct nlmsghdr *nlh, size_t size, const char *vm,
			  const void *text, size_t len)
{
	const uint32_t old = nlh->nlmsg_len;

	if (!len || len > LHV_VM_CONSOLE_IN_MAX)
		return -EINVAL;
	if (!mnl_attr_put_strz_check(nlh, size, LHV_ATTR_VM_NAME, vm) ||
	    !mnl_attr_put_check(nlh, size, LHV_ATTR_VM_CONSOLE_TEXT, len, text))
		return too_big(nlh, old);
	return 0;
}

int lhv_req_measure(struct lhv_hc_vm_measure *m,
		    const struct lhv_measure_req *r, unsigned int n)
{
	unsigned int i;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < n; i++) {
		if (!r[i].len)
			continue;
		if (m->nr == LHV_VM_MEASURE_MAX)
			return -E2BIG;
		m->region[m->nr].kind = r[i].kind;
		m->region[m->nr].gpa = r[i].gpa;
		m->region[m->nr].len = r[i].len;
		m->nr++;
	}
	return (int)m->nr;
}

int lhv_req_xhci_add(struct nlmsghdr *nlh, size_t size,
		     const struct lhv_xhci_req *r)
{
	const uint32_t len = nlh->nlmsg_len;
	const char *vm = r->vm;
	struct nlattr *nest;

	if ((vm && !mnl_attr_put_strz_check(nlh, size, LHV_ATTR_VM_NAME, vm)) ||
	    !mnl_attr_put_u32_check(nlh, size, LHV_ATTR_DEV_TYPE, LHV_DEV_XHCI))
		return too_big(nlh, len);
	if (!r->usb_port && !r->role_switch)
		return 0;
	nest = mnl_attr_nest_start_check(nlh, size, LHV_ATTR_DEV_CONFIG);
	if (!nest ||
	    (r->usb_port &&
	     !mnl_attr_put_strz_check(nlh, size, LHV_XHCI_ATTR_USB_PORT,
				      r->usb_port)) ||
	    (r->role_switch &&
	     !mnl_attr_put_strz_check(nlh, size, LHV_XHCI_ATTR_ROLE_SWITCH,
				      r->role_switch)))
		return too_big(nlh, len);
	mnl_attr_nest_end(nlh, nest);
	return 0;
}

int lhv_req_usb_assign(struct nlmsghdr *nlh, size_t size,
		       const struct lhv_usb_assign_req *r)
{
	const uint32_t len = nlh->nlmsg_len;

	if (!mnl_attr_put_strz_check(nlh, size, LHV_ATTR_VM_NAME, r->vm) ||
	    !mnl_attr_put_strz_check(nlh, size, LHV_ATTR_USB_PORT, r->port) ||
	    (r->controller &&
	     !mnl_attr_put_strz_check(nlh, size, LHV_ATTR_DEV_NAME,
				      r->controller)) ||
	    (r->guest_port &&
	     !mnl_attr_put_u32_check(nlh, size, LHV_ATTR_USB_GUEST_PORT,
				     r->guest_port)))
		return too_big(nlh, len);
	return 0;
}

int lhv_req_usb_release(struct nlmsghdr *nlh, size_t size, const char *port)
{
	const uint32_t len = nlh->nlmsg_len;

	if (!mnl_attr_put_strz_check(nlh, size, LHV_ATTR_USB_PORT, port))
		return too_big(nlh, len);
	return 0;
}

int lhv_req_usb_get(struct nlmsghdr *nlh, size_t size, const char *vm)
{
	const uint32_t len = nlh->nlmsg_len;

	if (vm && !mnl_attr_put_strz_check(nlh, size, LHV_ATTR_VM_NAME, vm))
		return too_big(nlh, len);
	return 0;
}
