// SPDX-License-Identifier: BSD-3-Clause
/*
 * Replies of the "lhv" family into plain structs (see reply.h).
 */
#include "reply.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

/* How one reply attribute lands in the output struct. */
struct reply_field {
	unsigned int type;
	/* FIELD_BIN: exactly size bytes, copied as they are. */
	enum { FIELD_U32, FIELD_U64, FIELD_STR, FIELD_FLAG, FIELD_BIN } kind;
	size_t off;  /* offset in the output struct */
	size_t size; /* size of the member, for a string NUL included */
	enum { REQUIRED, OPTIONAL } need; /* OPTIONAL: missing reads as 0 */
};

/* Where a table's attributes live: the top level or one nest. */
struct attr_space {
	unsigned int nest; /* 0 at the top level, else the LHV_ATTR_* nest */
	const char *(*name)(unsigned int type);
};

/* Offset and size of a member of the output struct, for the tables. */
#define MEMBER(s, m) offsetof(s, m), sizeof(((s *)0)->m)
#define ST(m) MEMBER(struct lhv_status, m)
#define VM(m) MEMBER(struct lhv_vm_info, m)
#define DEV(m) MEMBER(struct lhv_dev_info, m)
#define BLK(m) MEMBER(struct lhv_blk_info, m)
#define SND(m) MEMBER(struct lhv_snd_info, m)
#define SNDS(m) MEMBER(struct lhv_snd_stream_info, m)
#define HECI(m) MEMBER(struct lhv_heci_info, m)
#define XHCI(m) MEMBER(struct lhv_xhci_info, m)

static const struct reply_field status_fields[] = {
	{ LHV_ATTR_MODULE_VERSION, FIELD_STR, ST(module_version), REQUIRED },
	{ LHV_ATTR_ABI_VERSION, FIELD_U32, ST(abi_version), REQUIRED },
	{ LHV_ATTR_HV_STATE, FIELD_U32, ST(hv_state), REQUIRED },
	{ LHV_ATTR_MAX_VMS, FIELD_U32, ST(max_vms), REQUIRED },
	{ LHV_ATTR_HV_IMAGE_SIZE, FIELD_U64, ST(hv_image_size), OPTIONAL },
	{ LHV_ATTR_HV_MEM_SIZE, FIELD_U64, ST(hv_mem_size), OPTIONAL },
	{ LHV_ATTR_HV_CPUS, FIELD_U32, ST(hv_cpus), OPTIONAL },
	{ LHV_ATTR_HV_VENDOR, FIELD_U32, ST(hv_vendor), OPTIONAL },
	{ LHV_ATTR_HV_FEATURES, FIELD_U32, ST(hv_features), OPTIONAL },
	{ LHV_ATTR_HV_SEED, FIELD_U32, ST(hv_seed), OPTIONAL },
	{ LHV_ATTR_HV_TSC_KHZ, FIELD_U32, ST(hv_tsc_khz), OPTIONAL },
};

#define HS(m) MEMBER(struct lhv_hv_cpu_stats, m)

static const struct reply_field hv_stats_fields[] = {
	{ LHV_ATTR_HV_CPU, FIELD_U32, HS(cpu), REQUIRED },
	{ LHV_ATTR_HV_EXITS, FIELD_U64, HS(exits), REQUIRED },
};

static const struct reply_field vm_fields[] = {
	{ LHV_ATTR_VM_ID, FIELD_U32, VM(id), REQUIRED },
	{ LHV_ATTR_VM_NAME, FIELD_STR, VM(name), REQUIRED },
	{ LHV_ATTR_VM_STATE, FIELD_U32, VM(state), REQUIRED },
	{ LHV_ATTR_VM_UUID, FIELD_BIN, VM(uuid), OPTIONAL },
	{ LHV_ATTR_VM_PROFILE, FIELD_U32, VM(profile), OPTIONAL },
	{ LHV_ATTR_VM_MEM_SIZE, FIELD_U64, VM(mem_size), OPTIONAL },
	{ LHV_ATTR_VM_EXITS, FIELD_U64, VM(exits), OPTIONAL },
	{ LHV_ATTR_VM_IOREQS, FIELD_U64, VM(ioreqs), OPTIONAL },
	{ LHV_ATTR_VM_DOORBELLS, FIELD_U64, VM(doorbells), OPTIONAL },
	{ LHV_ATTR_VM_MSIS, FIELD_U64, VM(msis), OPTIONAL },
	{ LHV_ATTR_VM_CRASH_REASON, FIELD_STR, VM(crash_reason), OPTIONAL },
	{ LHV_ATTR_VM_STOP_REASON, FIELD_U32, VM(stop_reason), OPTIONAL },
};

#define EV(m) MEMBER(struct lhv_vm_event_info, m)

static const struct reply_field vm_event_fields[] = {
	{ LHV_ATTR_VM_ID, FIELD_U32, EV(id), REQUIRED },
	{ LHV_ATTR_VM_NAME, FIELD_STR, EV(name), REQUIRED },
	{ LHV_ATTR_VM_EVENT, FIELD_U32, EV(event), REQUIRED },
	{ LHV_ATTR_VM_STATE, FIELD_U32, EV(state), REQUIRED },
	{ LHV_ATTR_VM_CRASH_REASON, FIELD_STR, EV(crash_reason), OPTIONAL },
	{ LHV_ATTR_VM_STOP_REASON, FIELD_U32, EV(stop_reason), OPTIONAL },
};

#define MEAS(m) MEMBER(struct lhv_measurement, m)

static const struct reply_field measure_fields[] = {
	{ LHV_MEASURE_ATTR_KIND, FIELD_U32, MEAS(kind), REQUIRED },
	{ LHV_MEASURE_ATTR_GPA, FIELD_U64, MEAS(gpa), REQUIRED },
	{ LHV_MEASURE_ATTR_LEN, FIELD_U64, MEAS(len), REQUIRED },
	{ LHV_MEASURE_ATTR_SHA256, FIELD_BIN, MEAS(sha256), REQUIRED },
};

static const struct reply_field console_write_fields[] = {
	{ LHV_ATTR_VM_CONSOLE_ACCEPTED, FIELD_U32, 0, sizeof(uint32_t),
	  REQUIRED },
};

#define CON(m) MEMBER(struct lhv_console_chunk, m)

static const struct reply_field console_fields[] = {
	{ LHV_ATTR_VM_CONSOLE_CURSOR, FIELD_U64, CON(cursor), REQUIRED },
	{ LHV_ATTR_VM_CONSOLE_LOST, FIELD_U64, CON(lost), OPTIONAL },
};

static const struct reply_field dev_fields[] = {
	{ LHV_ATTR_VM_NAME, FIELD_STR, DEV(vm), REQUIRED },
	{ LHV_ATTR_DEV_ID, FIELD_U32, DEV(id), REQUIRED },
	{ LHV_ATTR_DEV_TYPE, FIELD_U32, DEV(type), REQUIRED },
	{ LHV_ATTR_DEV_NAME, FIELD_STR, DEV(name), REQUIRED },
};

/* "Replies carry them all", but an older module may lack a newer one. */
static const struct reply_field blk_fields[] = {
	{ LHV_BLK_ATTR_BACKING, FIELD_STR, BLK(backing), REQUIRED },
	{ LHV_BLK_ATTR_START, FIELD_U64, BLK(start), OPTIONAL },
	{ LHV_BLK_ATTR_SECTORS, FIELD_U64, BLK(sectors), OPTIONAL },
	{ LHV_BLK_ATTR_READ_ONLY, FIELD_FLAG, BLK(read_only), OPTIONAL },
	{ LHV_BLK_ATTR_SERIAL, FIELD_STR, BLK(serial), OPTIONAL },
	{ LHV_BLK_ATTR_QUEUES, FIELD_U32, BLK(queues), OPTIONAL },
	{ LHV_BLK_ATTR_QUEUE_SIZE, FIELD_U32, BLK(queue_size), OPTIONAL },
	{ LHV_BLK_ATTR_CACHE, FIELD_U32, BLK(cache), OPTIONAL },
	{ LHV_BLK_ATTR_LOGICAL_BLOCK, FIELD_U32, BLK(logical_block), OPTIONAL },
};

/* STREAMS is a nested array, handled apart from this table. */
static const struct reply_field snd_fields[] = {
	{ LHV_SND_ATTR_JACKS, FIELD_U32, SND(jacks), OPTIONAL },
	{ LHV_SND_ATTR_CHMAPS, FIELD_FLAG, SND(chmaps), OPTIONAL },
	{ LHV_SND_ATTR_CARD, FIELD_STR, SND(card), OPTIONAL },
};

static const struct reply_field snd_stream_fields[] = {
	{ LHV_SND_STREAM_ATTR_DIRECTION, FIELD_U32, SNDS(direction), REQUIRED },
	{ LHV_SND_STREAM_ATTR_CHANNELS_MIN, FIELD_U32, SNDS(channels_min),
	  OPTIONAL },
	{ LHV_SND_STREAM_ATTR_CHANNELS_MAX, FIELD_U32, SNDS(channels_max),
	  OPTIONAL },
	{ LHV_SND_STREAM_ATTR_FORMATS, FIELD_U64, SNDS(formats), OPTIONAL },
	{ LHV_SND_STREAM_ATTR_RATES, FIELD_U64, SNDS(rates), OPTIONAL },
};

static const struct reply_field heci_fields[] = {
	{ LHV_HECI_ATTR_BACKEND, FIELD_U32, HECI(backend), REQUIRED },
	{ LHV_HECI_ATTR_MAX_MSG_LEN, FIELD_U32, HECI(max_msg_len), OPTIONAL },
	{ LHV_HECI_ATTR_VTAG, FIELD_U32, HECI(vtag), OPTIONAL },
};

static const struct reply_field xhci_fields[] = {
	{ LHV_XHCI_ATTR_USB_PORT, FIELD_STR, XHCI(usb_port), OPTIONAL },
	{ LHV_XHCI_ATTR_ROLE_SWITCH, FIELD_STR, XHCI(role_switch), OPTIONAL },
	{ LHV_XHCI_ATTR_ROLE, FIELD_U32, XHCI(role), OPTIONAL },
};

#define USB(m) MEMBER(struct lhv_usb_port_info, m)

static const struct reply_field usb_port_fields[] = {
	{ LHV_ATTR_VM_NAME, FIELD_STR, USB(vm), REQUIRED },
	{ LHV_ATTR_DEV_ID, FIELD_U32, USB(dev_id), REQUIRED },
	{ LHV_ATTR_DEV_NAME, FIELD_STR, USB(controller), REQUIRED },
	{ LHV_ATTR_USB_PORT, FIELD_STR, USB(port), REQUIRED },
	{ LHV_ATTR_USB_GUEST_PORT, FIELD_U32, USB(guest_port), REQUIRED },
	{ LHV_ATTR_USB_GUEST_PORT_SS, FIELD_U32, USB(guest_port_ss), OPTIONAL },
	{ LHV_ATTR_USB_DEV_PORT, FIELD_U32, USB(dev_port), OPTIONAL },
	{ LHV_ATTR_USB_DEV_SPEED, FIELD_U32, USB(dev_speed), OPTIONAL },
	{ LHV_ATTR_USB_DEV_VENDOR, FIELD_U32, USB(dev_vendor), OPTIONAL },
	{ LHV_ATTR_USB_DEV_PRODUCT, FIELD_U32, USB(dev_product), OPTIONAL },
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
	[LHV_ATTR_DEV_ID] = "DEV_ID",
	[LHV_ATTR_DEV_TYPE] = "DEV_TYPE",
	[LHV_ATTR_DEV_NAME] = "DEV_NAME",
	[LHV_ATTR_DEV_CONFIG] = "DEV_CONFIG",
	[LHV_ATTR_HV_IMAGE_SIZE] = "HV_IMAGE_SIZE",
	[LHV_ATTR_HV_MEM_SIZE] = "HV_MEM_SIZE",
	[LHV_ATTR_HV_CPUS] = "HV_CPUS",
	[LHV_ATTR_HV_VENDOR] = "HV_VENDOR",
	[LHV_ATTR_HV_FEATURES] = "HV_FEATURES",
	[LHV_ATTR_HV_SEED] = "HV_SEED",
	[LHV_ATTR_HV_CPU] = "HV_CPU",
	[LHV_ATTR_HV_EXITS] = "HV_EXITS",
	[LHV_ATTR_HV_EXIT_COUNT] = "HV_EXIT_COUNT",
	[LHV_ATTR_HV_EXIT_CYCLES] = "HV_EXIT_CYCLES",
	[LHV_ATTR_VM_UUID] = "VM_UUID",
	[LHV_ATTR_VM_PROFILE] = "VM_PROFILE",
	[LHV_ATTR_VM_CPUS] = "VM_CPUS",
	[LHV_ATTR_VM_MEM_SIZE] = "VM_MEM_SIZE",
	[LHV_ATTR_VM_CONSOLE_CURSOR] = "VM_CONSOLE_CURSOR",
	[LHV_ATTR_VM_CONSOLE_TEXT] = "VM_CONSOLE_TEXT",
	[LHV_ATTR_VM_CONSOLE_LOST] = "VM_CONSOLE_LOST",
	[LHV_ATTR_VM_CRASH_REASON] = "VM_CRASH_REASON",
	[LHV_ATTR_VM_EXITS] = "VM_EXITS",
	[LHV_ATTR_VM_APIC_IDS] = "VM_APIC_IDS",
	[LHV_ATTR_VM_EVENT] = "VM_EVENT",
	[LHV_ATTR_VM_STOP_FORCE] = "VM_STOP_FORCE",
	[LHV_ATTR_VM_CONSOLE_ACCEPTED] = "VM_CONSOLE_ACCEPTED",
	[LHV_ATTR_VM_MEASUREMENTS] = "VM_MEASUREMENTS",
	[LHV_ATTR_VM_STOP_REASON] = "VM_STOP_REASON",
	[LHV_ATTR_HV_TSC_KHZ] = "HV_TSC_KHZ",
	[LHV_ATTR_VM_IOREQS] = "VM_IOREQS",
	[LHV_ATTR_VM_DOORBELLS] = "VM_DOORBELLS",
	[LHV_ATTR_VM_MSIS] = "VM_MSIS",
	[LHV_ATTR_USB_PORT] = "USB_PORT",
	[LHV_ATTR_USB_GUEST_PORT] = "USB_GUEST_PORT",
	[LHV_ATTR_USB_GUEST_PORT_SS] = "USB_GUEST_PORT_SS",
	[LHV_ATTR_USB_DEV_PORT] = "USB_DEV_PORT",
	[LHV_ATTR_USB_DEV_SPEED] = "USB_DEV_SPEED",
	[LHV_ATTR_USB_DEV_VENDOR] = "USB_DEV_VENDOR",
	[LHV_ATTR_USB_DEV_PRODUCT] = "USB_DEV_PRODUCT",
};

static const char *const measure_attr_names[] = {
	[LHV_MEASURE_ATTR_UNSPEC] = "MEASURE_UNSPEC",
	[LHV_MEASURE_ATTR_KIND] = "MEASURE_KIND",
	[LHV_MEASURE_ATTR_GPA] = "MEASURE_GPA",
	[LHV_MEASURE_ATTR_LEN] = "MEASURE_LEN",
	[LHV_MEASURE_ATTR_SHA256] = "MEASURE_SHA256",
};

static const char *const blk_attr_names[] = {
	[LHV_BLK_ATTR_UNSPEC] = "BLK_UNSPEC",
	[LHV_BLK_ATTR_BACKING] = "BLK_BACKING",
	[LHV_BLK_ATTR_START] = "BLK_START",
	[LHV_BLK_ATTR_SECTORS] = "BLK_SECTORS",
	[LHV_BLK_ATTR_READ_ONLY] = "BLK_READ_ONLY",
	[LHV_BLK_ATTR_SERIAL] = "BLK_SERIAL",
	[LHV_BLK_ATTR_QUEUES] = "BLK_QUEUES",
	[LHV_BLK_ATTR_QUEUE_SIZE] = "BLK_QUEUE_SIZE",
	[LHV_BLK_ATTR_CACHE] = "BLK_CACHE",
	[LHV_BLK_ATTR_LOGICAL_BLOCK] = "BLK_LOGICAL_BLOCK",
};

static const char *const snd_attr_names[] = {
	[LHV_SND_ATTR_UNSPEC] = "SND_UNSPEC",
	[LHV_SND_ATTR_STREAMS] = "SND_STREAMS",
	[LHV_SND_ATTR_JACKS] = "SND_JACKS",
	[LHV_SND_ATTR_CHMAPS] = "SND_CHMAPS",
	[LHV_SND_ATTR_CARD] = "SND_CARD",
};

static const char *const snd_stream_attr_names[] = {
	[LHV_SND_STREAM_ATTR_UNSPEC] = "STREAM_UNSPEC",
	[LHV_SND_STREAM_ATTR_DIRECTION] = "STREAM_DIRECTION",
	[LHV_SND_STREAM_ATTR_CHANNELS_MIN] = "STREAM_CHANNELS_MIN",
	[LHV_SND_STREAM_ATTR_CHANNELS_MAX] = "STREAM_CHANNELS_MAX",
	[LHV_SND_STREAM_ATTR_FORMATS] = "STREAM_FORMATS",
	[LHV_SND_STREAM_ATTR_RATES] = "STREAM_RATES",
};

static const char *const heci_attr_names[] = {
	[LHV_HECI_ATTR_UNSPEC] = "HECI_UNSPEC",
	[LHV_HECI_ATTR_BACKEND] = "HECI_BACKEND",
	[LHV_HECI_ATTR_ALLOW] = "HECI_ALLOW",
	[LHV_HECI_ATTR_MAX_MSG_LEN] = "HECI_MAX_MSG_LEN",
	[LHV_HECI_ATTR_VTAG] = "HECI_VTAG",
};

static const char *const xhci_attr_names[] = {
	[LHV_XHCI_ATTR_UNSPEC] = "XHCI_UNSPEC",
	[LHV_XHCI_ATTR_USB_PORT] = "XHCI_USB_PORT",
	[LHV_XHCI_ATTR_ROLE_SWITCH] = "XHCI_ROLE_SWITCH",
	[LHV_XHCI_ATTR_ROLE] = "XHCI_ROLE",
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

const char *lhv_snd_attr_name(unsigned int type)
{
	if (type < ARRAY_SIZE(snd_attr_names) && snd_attr_names[type])
		return snd_attr_names[type];
	return "unknown";
}

const char *lhv_snd_stream_attr_name(unsigned int type)
{
	if (type < ARRAY_SIZE(snd_stream_attr_names) &&
	    snd_stream_attr_names[type])
		return snd_stream_attr_names[type];
	return "unknown";
}

const char *lhv_snd_dir_name(uint32_t dir)
{
	switch (dir) {
	case LHV_SND_DIR_OUTPUT:
		return "out";
	case LHV_SND_DIR_INPUT:
		return "in";
	default:
		return NULL;
	}
}

const char *lhv_heci_attr_name(unsigned int type)
{
	if (type < ARRAY_SIZE(heci_attr_names) && heci_attr_names[type])
		return heci_attr_names[type];
	return "unknown";
}

static const char *xhci_attr_name(unsigned int type)
{
	if (type < ARRAY_SIZE(xhci_attr_names) && xhci_attr_names[type])
		return xhci_attr_names[type];
	return "unknown";
}

static const char *measure_attr_name(unsigned int type)
{
	if (type < ARRAY_SIZE(measure_attr_names) && measure_attr_names[type])
		return measure_attr_names[type];
	return "unknown";
}

const char *lhv_attr_name(unsigned int type)
{
	if (type < ARRAY_SIZE(attr_names) && attr_names[type])
		return attr_names[type];
	return "unknown";
}

const char *lhv_blk_attr_name(unsigned int type)
{
	if (type < ARRAY_SIZE(blk_attr_names) && blk_attr_names[type])
		return blk_attr_names[type];
	return "unknown";
}

static const struct attr_space top_space = { 0, lhv_attr_name };
static const struct attr_space blk_space = { LHV_ATTR_DEV_CONFIG,
					     lhv_blk_attr_name };
static const struct attr_space snd_space = { LHV_ATTR_DEV_CONFIG,
					     lhv_snd_attr_name };
static const struct attr_space snd_stream_space = { LHV_ATTR_DEV_CONFIG,
						    lhv_snd_stream_attr_name };
static const struct attr_space heci_space = { LHV_ATTR_DEV_CONFIG,
					      lhv_heci_attr_name };
static const struct attr_space xhci_space = { LHV_ATTR_DEV_CONFIG,
					      xhci_attr_name };
static const struct attr_space measure_space = { LHV_ATTR_VM_MEASUREMENTS,
						 measure_attr_name };

const char *lhv_hv_state_label(uint32_t state, char *buf, size_t len)
{
	const char *name = lhv_hv_state_name(state);

	if (name)
		return name;
	snprintf(buf, len, "unknown(%u)", state);
	return buf;
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

const char *lhv_vm_event_name(uint32_t event)
{
	static const char *const names[] = {
		[LHV_VM_EVENT_CREATED] = "created",
		[LHV_VM_EVENT_LOADED] = "loaded",
		[LHV_VM_EVENT_STARTED] = "started",
		[LHV_VM_EVENT_STOPPED] = "stopped",
		[LHV_VM_EVENT_CRASHED] = "crashed",
		[LHV_VM_EVENT_POWEROFF] = "poweroff",
		[LHV_VM_EVENT_REBOOT] = "reboot",
		[LHV_VM_EVENT_DESTROYED] = "destroyed",
		[LHV_VM_EVENT_STOP_REQUESTED] = "stop_requested",
	};

	return event < ARRAY_SIZE(names) ? names[event] : NULL;
}

const char *lhv_vm_stop_reason_name(uint32_t reason)
{
	static const char *const names[] = {
		[LHV_VM_STOP_NONE] = "none",
		[LHV_VM_STOP_FORCED] = "forced",
		[LHV_VM_STOP_POWEROFF] = "poweroff",
		[LHV_VM_STOP_REBOOT] = "reboot",
	};

	return reason < ARRAY_SIZE(names) ? names[reason] : NULL;
}

const char *lhv_measure_kind_name(uint32_t kind)
{
	switch (kind) {
	case LHV_MEASURE_KERNEL:
		return "kernel";
	case LHV_MEASURE_INITRD:
		return "initrd";
	case LHV_MEASURE_CMDLINE:
		return "cmdline";
	default:
		return NULL;
	}
}

const char *lhv_hv_seed_name(uint32_t seed)
{
	switch (seed) {
	case LHV_HV_SEED_NONE:
		return "none";
	case LHV_HV_SEED_BOOT:
		return "boot";
	case LHV_HV_SEED_FILE:
		return "firmware";
	default:
		return "unknown";
	}
}

const char *lhv_dev_type_name(uint32_t type)
{
	switch (type) {
	case LHV_DEV_BLK:
		return "blk";
	case LHV_DEV_SND:
		return "snd";
	case LHV_DEV_HECI:
		return "heci";
	case LHV_DEV_XHCI:
		return "xhci";
	default:
		return NULL;
	}
}

const char *lhv_heci_backend_name(uint32_t backend)
{
	switch (backend) {
	case LHV_HECI_BACKEND_SIM:
		return "sim";
	case LHV_HECI_BACKEND_MEI:
		return "mei";
	default:
		return NULL;
	}
}

const char *lhv_blk_cache_name(uint32_t cache)
{
	switch (cache) {
	case LHV_BLK_CACHE_WRITEBACK:
		return "writeback";
	case LHV_BLK_CACHE_WRITETHROUGH:
		return "writethrough";
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

/*
 * Step through the attributes of a nest's payload (*p, *len bytes left):
 * returns 1 with *a the next one, 0 at the end, or -EBADMSG if its header
 * is malformed or runs past the end.
 */
static int nest_next(const char **p, size_t *len, const struct nlattr **a)
{
	size_t step;

	if (!*len)
		return 0;
	*a = (const struct nlattr *)*p;
	if (*len < sizeof(**a) || (*a)->nla_len < sizeof(**a) ||
	    (*a)->nla_len > *len)
		return -EBADMSG;
	/* The last attribute may come without its padding. */
	step = MNL_ALIGN((*a)->nla_len);
	if (step > *len)
		step = *len;
	*len -= step;
	*p += step;
	return 1;
}

static void clear_err(struct lhv_parse_err *err)
{
	if (err) {
		err->attr = 0;
		err->nested = 0;
		err->msg[0] = '\0';
	}
}

static int parse_fail(struct lhv_parse_err *err, int ret,
		      const struct attr_space *sp, unsigned int attr,
		      const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/*
 * Record an error about attribute attr of space sp (0: the message). The
 * message gets " in <nest>" appended for an attribute inside a nest.
 */
static int parse_fail(struct lhv_parse_err *err, int ret,
		      const struct attr_space *sp, unsigned int attr,
		      const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!err)
		return ret;
	err->attr = sp && sp->nest ? sp->nest : attr;
	err->nested = sp && sp->nest ? attr : 0;
	va_start(ap, fmt);
	n = vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	if (sp && sp->nest && n >= 0 && (size_t)n < sizeof(err->msg))
		snprintf(err->msg + n, sizeof(err->msg) - (size_t)n, " in %s",
			 lhv_attr_name(sp->nest));
	return ret;
}

static int parse_field(const struct nlattr *a, const struct reply_field *f,
		       const struct attr_space *sp, char *out,
		       struct lhv_parse_err *err)
{
	const char *name = sp->name(f->type);
	uint16_t plen = mnl_attr_get_payload_len(a);
	const char *str;
	size_t len;

	switch (f->kind) {
	case FIELD_U32:
	case FIELD_U64:
	case FIELD_BIN:
		/* Exactly the member's size: no more, no less. */
		if (plen != f->size)
			return parse_fail(
				err, -ERANGE, sp, f->type,
				"attribute %s (%u): %u bytes, not %zu", name,
				f->type, plen, f->size);
		memcpy(out + f->off, mnl_attr_get_payload(a), f->size);
		return 0;
	case FIELD_FLAG:
		if (plen)
			return parse_fail(
				err, -ERANGE, sp, f->type,
				"attribute %s (%u): %u bytes, a flag has none",
				name, f->type, plen);
		memcpy(out + f->off, &(bool){ true }, sizeof(bool));
		return 0;
	case FIELD_STR:
		break;
	}

	if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0)
		return parse_fail(err, -EINVAL, sp, f->type,
				  "attribute %s (%u): no NUL-terminated string",
				  name, f->type);
	str = mnl_attr_get_str(a);
	len = strlen(str);
	if (len >= f->size)
		return parse_fail(err, -ERANGE, sp, f->type,
				  "attribute %s (%u): %zu bytes, %zu at most",
				  name, f->type, len, f->size - 1);
	memcpy(out + f->off, str, len + 1);
	return 0;
}

/*
 * Fill out from the attributes indexed in tb, by the table fields. Sets
 * LHV_BLK_BIT(type) in *present (if not NULL) for each one found.
 */
static int parse_fields(const struct nlattr *const *tb,
			const struct reply_field *fields, size_t nfields,
			const struct attr_space *sp, void *out,
			uint32_t *present, struct lhv_parse_err *err)
{
	const struct nlattr *a;
	size_t i;
	int ret;

	for (i = 0; i < nfields; i++) {
		a = tb[fields[i].type];
		if (!a) {
			if (fields[i].need == OPTIONAL)
				continue;
			return parse_fail(err, -ENODATA, sp, fields[i].type,
					  "reply lacks attribute %s (%u)",
					  sp->name(fields[i].type),
					  fields[i].type);
		}
		ret = parse_field(a, &fields[i], sp, out, err);
		if (ret)
			return ret;
		if (present)
			*present |= UINT32_C(1) << fields[i].type;
	}
	return 0;
}

/* Check the headers of nlh and index its attributes into tb. */
static int index_reply(const struct nlmsghdr *nlh, const struct nlattr **tb,
		       struct lhv_parse_err *err)
{
	const size_t hdrs = MNL_NLMSG_HDRLEN + GENL_HDRLEN;
	int ret;

	if (nlh->nlmsg_len < hdrs)
		return parse_fail(err, -EBADMSG, NULL, 0,
				  "reply of %u bytes, shorter than its headers",
				  nlh->nlmsg_len);

	ret = lhv_attrs_index((const char *)nlh + hdrs, nlh->nlmsg_len - hdrs,
			      tb, LHV_ATTR_MAX);
	if (ret)
		return parse_fail(err, ret, NULL, 0,
				  "reply has a malformed attribute");
	return 0;
}

static int parse_reply(const struct nlmsghdr *nlh,
		       const struct reply_field *fields, size_t nfields,
		       void *out, size_t out_size, struct lhv_parse_err *err)
{
	const struct nlattr *tb[LHV_ATTR_MAX + 1] = { NULL };
	int ret;

	memset(out, 0, out_size);
	clear_err(err);

	ret = index_reply(nlh, tb, err);
	if (!ret)
		ret = parse_fields(tb, fields, nfields, &top_space, out, NULL,
				   err);
	if (ret)
		memset(out, 0, out_size);
	return ret;
}

int lhv_parse_status(const struct nlmsghdr *nlh, struct lhv_status *out,
		     struct lhv_parse_err *err)
{
	return parse_reply(nlh, status_fields, ARRAY_SIZE(status_fields), out,
			   sizeof(*out), err);
}

/*
 * VM_CPUS / VM_APIC_IDS: u32 per vCPU, attribute type vCPU index + 1,
 * no gaps; into v, the count into *n.
 */
static int parse_vm_cpus(const struct nlattr *nest, uint32_t *v, uint32_t *n,
			 struct lhv_parse_err *err)
{
	const struct nlattr *tb[LHV_VM_MAX_VCPUS + 1] = { NULL };
	unsigned int i;

	if (lhv_attrs_index(mnl_attr_get_payload(nest),
			    mnl_attr_get_payload_len(nest), tb,
			    LHV_VM_MAX_VCPUS))
		return parse_fail(err, -EBADMSG, NULL, LHV_ATTR_VM_CPUS,
				  "attribute VM_CPUS (%u): malformed nested "
				  "attributes",
				  LHV_ATTR_VM_CPUS);
	for (i = 0; i < LHV_VM_MAX_VCPUS && tb[i + 1]; i++) {
		if (mnl_attr_get_payload_len(tb[i + 1]) != sizeof(uint32_t))
			return parse_fail(err, -ERANGE, NULL, LHV_ATTR_VM_CPUS,
					  "attribute VM_CPUS (%u): CPU %u is "
					  "not a u32",
					  LHV_ATTR_VM_CPUS, i);
		v[i] = mnl_attr_get_u32(tb[i + 1]);
	}
	*n = i;
	return 0;
}

/* MEASUREMENTS: one nest per region, whatever its type, in order. */
static int parse_measurements(const struct nlattr *list,
			      struct lhv_vm_info *out,
			      struct lhv_parse_err *err)
{
	const char *p = mnl_attr_get_payload(list);
	size_t len = mnl_attr_get_payload_len(list);
	const struct nlattr *a;
	int ret;

	while ((ret = nest_next(&p, &len, &a)) > 0) {
		const struct nlattr *tb[LHV_MEASURE_ATTR_MAX + 1] = { NULL };

		if (lhv_attrs_index(mnl_attr_get_payload(a),
				    mnl_attr_get_payload_len(a), tb,
				    LHV_MEASURE_ATTR_MAX))
			break;
		if (out->nr_measured == LHV_VM_MEASURE_MAX)
			return parse_fail(
				err, -ERANGE, NULL, LHV_ATTR_VM_MEASUREMENTS,
				"attribute VM_MEASUREMENTS (%u): "
				"more than %d entries",
				LHV_ATTR_VM_MEASUREMENTS, LHV_VM_MEASURE_MAX);
		ret = parse_fields(tb, measure_fields,
				   ARRAY_SIZE(measure_fields), &measure_space,
				   &out->measured[out->nr_measured], NULL, err);
		if (ret)
			return ret;
		out->nr_measured++;
	}
	if (ret)
		return parse_fail(err, -EBADMSG, NULL, LHV_ATTR_VM_MEASUREMENTS,
				  "attribute VM_MEASUREMENTS (%u): malformed "
				  "entry",
				  LHV_ATTR_VM_MEASUREMENTS);
	return 0;
}

int lhv_parse_vm(const struct nlmsghdr *nlh, struct lhv_vm_info *out,
		 struct lhv_parse_err *err)
{
	const struct nlattr *tb[LHV_ATTR_MAX + 1] = { NULL };
	int ret;

	memset(out, 0, sizeof(*out));
	clear_err(err);
	ret = index_reply(nlh, tb, err);
	if (!ret)
		ret = parse_fields(tb, vm_fields, ARRAY_SIZE(vm_fields),
				   &top_space, out, NULL, err);
	if (!ret && tb[LHV_ATTR_VM_CPUS])
		ret = parse_vm_cpus(tb[LHV_ATTR_VM_CPUS], out->cpus,
				    &out->nr_cpus, err);
	if (!ret && tb[LHV_ATTR_VM_APIC_IDS]) {
		uint32_t n;

		ret = parse_vm_cpus(tb[LHV_ATTR_VM_APIC_IDS], out->apic_ids, &n,
				    err);
	}
	if (!ret && tb[LHV_ATTR_VM_MEASUREMENTS])
		ret = parse_measurements(tb[LHV_ATTR_VM_MEASUREMENTS], out,
					 err);
	if (!ret) {
		out->is_user = tb[LHV_ATTR_VM_UUID] != NULL;
		out->has_stop_reason = tb[LHV_ATTR_VM_STOP_REASON] != NULL;
	}
	if (ret)
		memset(out, 0, sizeof(*out));
	return ret;
}

int lhv_parse_vm_event(const struct nlmsghdr *nlh,
		       struct lhv_vm_event_info *out, struct lhv_parse_err *err)
{
	const struct nlattr *tb[LHV_ATTR_MAX + 1] = { NULL };
	int ret;

	memset(out, 0, sizeof(*out));
	clear_err(err);
	ret = index_reply(nlh, tb, err);
	if (!ret)
		ret = parse_fields(tb, vm_event_fields,
				   ARRAY_SIZE(vm_event_fields), &top_space, out,
				   NULL, err);
	if (ret)
		memset(out, 0, sizeof(*out));
	else
		out->has_stop_reason = tb[LHV_ATTR_VM_STOP_REASON] != NULL;
	return ret;
}

int lhv_parse_usb_port(const struct nlmsghdr *nlh,
		       struct lhv_usb_port_info *out, struct lhv_parse_err *err)
{
	int ret = parse_reply(nlh, usb_port_fields, ARRAY_SIZE(usb_port_fields),
			      out, sizeof(*out), err);

	/* Guest ports count from 1: DEV_PORT came when it is not 0. */
	out->has_dev = !ret && out->dev_port;
	return ret;
}

const char *lhv_usb_speed_name(uint32_t speed)
{
	static const char *const names[] = {
		[LHV_USB_SPEED_LOW] = "low",
		[LHV_USB_SPEED_FULL] = "full",
		[LHV_USB_SPEED_HIGH] = "high",
		[LHV_USB_SPEED_WIRELESS] = "wireless",
		[LHV_USB_SPEED_SUPER] = "super",
		[LHV_USB_SPEED_SUPER_PLUS] = "super+",
	};

	return speed < ARRAY_SIZE(names) ? names[speed] : NULL;
}

/* An enum's name, or "unknown(N)" in buf. */
static const char *label(const char *name, uint32_t v, char *buf, size_t len)
{
	if (name)
		return name;
	snprintf(buf, len, "unknown(%u)", v);
	return buf;
}

int lhv_vm_event_line(const struct lhv_vm_event_info *e, char *buf, size_t len)
{
	char ev_buf[24], st_buf[24], why_buf[24];
	const char *ev = label(lhv_vm_event_name(e->event), e->event, ev_buf,
			       sizeof(ev_buf));
	const char *st = label(lhv_vm_state_name(e->state), e->state, st_buf,
			       sizeof(st_buf));
	const char *why = NULL;

	if (e->crash_reason[0])
		why = e->crash_reason;
	else if (e->has_stop_reason && e->stop_reason != LHV_VM_STOP_NONE)
		why = label(lhv_vm_stop_reason_name(e->stop_reason),
			    e->stop_reason, why_buf, sizeof(why_buf));
	return snprintf(buf, len, "vm %s id %u %s state %s%s%s", e->name, e->id,
			ev, st, why ? " reason " : "", why ? why : "");
}

int lhv_parse_console_accepted(const struct nlmsghdr *nlh, uint32_t *accepted,
			       struct lhv_parse_err *err)
{
	return parse_reply(nlh, console_write_fields,
			   ARRAY_SIZE(console_write_fields), accepted,
			   sizeof(*accepted), err);
}

int lhv_parse_mcast_group(const struct nlattr *groups, const char *name,
			  uint32_t *id)
{
	const char *p = mnl_attr_get_payload(groups);
	size_t len = mnl_attr_get_payload_len(groups);
	const struct nlattr *a, *n, *i;
	int ret;

	while ((ret = nest_next(&p, &len, &a)) > 0) {
		const struct nlattr *tb[CTRL_ATTR_MCAST_GRP_MAX + 1] = { NULL };

		if (lhv_attrs_index(mnl_attr_get_payload(a),
				    mnl_attr_get_payload_len(a), tb,
				    CTRL_ATTR_MCAST_GRP_MAX))
			return -EBADMSG;
		n = tb[CTRL_ATTR_MCAST_GRP_NAME];
		i = tb[CTRL_ATTR_MCAST_GRP_ID];
		if (!n || mnl_attr_validate(n, MNL_TYPE_NUL_STRING) < 0 ||
		    strcmp(mnl_attr_get_str(n), name))
			continue;
		if (!i || mnl_attr_validate(i, MNL_TYPE_U32) < 0)
			return -EBADMSG;
		*id = mnl_attr_get_u32(i);
		return 0;
	}
	return ret ? -EBADMSG : -ENOENT;
}

int lhv_parse_console(const struct nlmsghdr *nlh, struct lhv_console_chunk *out,
		      struct lhv_parse_err *err)
{
	const struct nlattr *tb[LHV_ATTR_MAX + 1] = { NULL };
	const struct nlattr *text;
	int ret;

	memset(out, 0, sizeof(*out));
	clear_err(err);
	ret = index_reply(nlh, tb, err);
	if (!ret)
		ret = parse_fields(tb, console_fields,
				   ARRAY_SIZE(console_fields), &top_space, out,
				   NULL, err);
	if (ret) {
		memset(out, 0, sizeof(*out));
		return ret;
	}
	text = tb[LHV_ATTR_VM_CONSOLE_TEXT];
	if (text) {
		out->text = mnl_attr_get_payload(text);
		out->len = mnl_attr_get_payload_len(text);
	}
	return 0;
}

/* The ALLOW nest of a heci device: UUID entries of 16 bytes each. */
static int parse_heci_allow(const struct nlattr *nest, struct lhv_heci_info *h,
			    struct lhv_parse_err *err)
{
	const char *p = mnl_attr_get_payload(nest);
	size_t len = mnl_attr_get_payload_len(nest), step;
	const struct nlattr *a;

	while (len > 0) {
		a = (const struct nlattr *)p;
		if (len < sizeof(*a) || a->nla_len < sizeof(*a) ||
		    a->nla_len > len)
			return parse_fail(err, -EBADMSG, &heci_space,
					  LHV_HECI_ATTR_ALLOW,
					  "attribute HECI_ALLOW: malformed");
		if (mnl_attr_get_type(a) == LHV_HECI_ALLOW_UUID) {
			if (mnl_attr_get_payload_len(a) != LHV_HECI_UUID_LEN)
				return parse_fail(err, -ERANGE, &heci_space,
						  LHV_HECI_ATTR_ALLOW,
						  "attribute HECI_ALLOW: a "
						  "UUID of %u bytes",
						  mnl_attr_get_payload_len(a));
			if (h->nr_allow == LHV_HECI_MAX_ALLOW)
				return parse_fail(err, -ERANGE, &heci_space,
						  LHV_HECI_ATTR_ALLOW,
						  "attribute HECI_ALLOW: more "
						  "than %d UUIDs",
						  LHV_HECI_MAX_ALLOW);
			memcpy(h->allow[h->nr_allow++], mnl_attr_get_payload(a),
			       LHV_HECI_UUID_LEN);
		}
		step = MNL_ALIGN(a->nla_len);
		if (step > len)
			step = len;
		len -= step;
		p += step;
	}
	return 0;
}

/* The STREAMS array of a snd config: each entry a nest of stream attrs. */
static int parse_snd_streams(const struct nlattr *list,
			     struct lhv_snd_info *out,
			     struct lhv_parse_err *err)
{
	const char *p = mnl_attr_get_payload(list);
	size_t len = mnl_attr_get_payload_len(list), step;
	const struct nlattr *a;
	int ret;

	while (len > 0) {
		const struct nlattr *tb[LHV_SND_STREAM_ATTR_MAX + 1] = { NULL };

		a = (const struct nlattr *)p;
		if (len < sizeof(*a) || a->nla_len < sizeof(*a) ||
		    a->nla_len > len ||
		    lhv_attrs_index(mnl_attr_get_payload(a),
				    mnl_attr_get_payload_len(a), tb,
				    LHV_SND_STREAM_ATTR_MAX))
			return parse_fail(err, -EBADMSG, &snd_space,
					  LHV_SND_ATTR_STREAMS,
					  "attribute SND_STREAMS: malformed "
					  "stream entry");
		if (out->nr_streams == LHV_SND_MAX_STREAMS)
			return parse_fail(err, -ERANGE, &snd_space,
					  LHV_SND_ATTR_STREAMS,
					  "attribute SND_STREAMS: more than %d "
					  "streams",
					  LHV_SND_MAX_STREAMS);
		ret = parse_fields(
			tb, snd_stream_fields, ARRAY_SIZE(snd_stream_fields),
			&snd_stream_space, &out->streams[out->nr_streams],
			&out->streams[out->nr_streams].present, err);
		if (ret)
			return ret;
		out->nr_streams++;
		step = MNL_ALIGN(a->nla_len);
		if (step > len)
			step = len;
		len -= step;
		p += step;
	}
	if (!out->nr_streams)
		return parse_fail(err, -ENODATA, &snd_space,
				  LHV_SND_ATTR_STREAMS,
				  "attribute SND_STREAMS: no stream");
	return 0;
}

static int parse_snd_config(const struct nlattr *cfg, struct lhv_snd_info *out,
			    struct lhv_parse_err *err)
{
	const struct nlattr *tb[LHV_SND_ATTR_MAX + 1] = { NULL };
	int ret;

	lhv_attrs_index(mnl_attr_get_payload(cfg),
			mnl_attr_get_payload_len(cfg), tb, LHV_SND_ATTR_MAX);
	ret = parse_fields(tb, snd_fields, ARRAY_SIZE(snd_fields), &snd_space,
			   out, &out->present, err);
	if (ret)
		return ret;
	if (!tb[LHV_SND_ATTR_STREAMS])
		return parse_fail(err, -ENODATA, &snd_space,
				  LHV_SND_ATTR_STREAMS,
				  "reply lacks attribute SND_STREAMS (%u)",
				  LHV_SND_ATTR_STREAMS);
	out->present |= UINT32_C(1) << LHV_SND_ATTR_STREAMS;
	return parse_snd_streams(tb[LHV_SND_ATTR_STREAMS], out, err);
}

/* The DEV_CONFIG of a device whose top level has been parsed into out. */
static int parse_dev_config(const struct nlattr *cfg, struct lhv_dev_info *out,
			    struct lhv_parse_err *err)
{
	/* Room for the larger of the per-type attribute spaces. */
	enum {
		CFG_MAX = (int)LHV_BLK_ATTR_MAX > (int)LHV_HECI_ATTR_MAX
				  ? (int)LHV_BLK_ATTR_MAX
				  : (int)LHV_HECI_ATTR_MAX
	};
	const struct nlattr *tb[CFG_MAX + 1] = { NULL };
	int ret;

	if (cfg) {
		out->has_config = true;
		/* Whatever the type, the nest must hold whole attributes. */
		if (lhv_attrs_index(mnl_attr_get_payload(cfg),
				    mnl_attr_get_payload_len(cfg), tb, CFG_MAX))
			return parse_fail(err, -EBADMSG, NULL,
					  LHV_ATTR_DEV_CONFIG,
					  "attribute DEV_CONFIG (%u): "
					  "malformed nested attributes",
					  LHV_ATTR_DEV_CONFIG);
	}

	/* A controller without a forwarded port has no DEV_CONFIG. */
	if (out->type == LHV_DEV_XHCI)
		return parse_fields(tb, xhci_fields, ARRAY_SIZE(xhci_fields),
				    &xhci_space, &out->xhci, &out->xhci.present,
				    err);
	if (out->type != LHV_DEV_BLK && out->type != LHV_DEV_SND &&
	    out->type != LHV_DEV_HECI)
		return 0;
	if (!cfg)
		return parse_fail(err, -ENODATA, NULL, LHV_ATTR_DEV_CONFIG,
				  "reply lacks attribute DEV_CONFIG (%u)",
				  LHV_ATTR_DEV_CONFIG);
	if (out->type == LHV_DEV_SND)
		return parse_snd_config(cfg, &out->snd, err);
	if (out->type == LHV_DEV_BLK)
		return parse_fields(tb, blk_fields, ARRAY_SIZE(blk_fields),
				    &blk_space, &out->blk, &out->blk.present,
				    err);
	ret = parse_fields(tb, heci_fields, ARRAY_SIZE(heci_fields),
			   &heci_space, &out->heci, &out->heci.present, err);
	if (!ret && tb[LHV_HECI_ATTR_ALLOW]) {
		out->heci.present |= UINT32_C(1) << LHV_HECI_ATTR_ALLOW;
		ret = parse_heci_allow(tb[LHV_HECI_ATTR_ALLOW], &out->heci,
				       err);
	}
	return ret;
}

int lhv_parse_dev(const struct nlmsghdr *nlh, struct lhv_dev_info *out,
		  struct lhv_parse_err *err)
{
	const struct nlattr *tb[LHV_ATTR_MAX + 1] = { NULL };
	int ret;

	memset(out, 0, sizeof(*out));
	clear_err(err);

	ret = index_reply(nlh, tb, err);
	if (!ret)
		ret = parse_fields(tb, dev_fields, ARRAY_SIZE(dev_fields),
				   &top_space, out, NULL, err);
	if (!ret)
		ret = parse_dev_config(tb[LHV_ATTR_DEV_CONFIG], out, err);
	if (ret)
		memset(out, 0, sizeof(*out));
	return ret;
}

/*
 * A per-reason nest of u64 values (attribute type reason + 1). Reasons
 * newer than this lhvctl are skipped; each known one must be a u64.
 */
static int parse_reasons(const struct nlattr *nest, uint64_t *v,
			 struct lhv_parse_err *err)
{
	const struct nlattr *tb[LHV_EXIT_REASON_COUNT + 1] = { NULL };
	unsigned int type = mnl_attr_get_type(nest), r;

	if (lhv_attrs_index(mnl_attr_get_payload(nest),
			    mnl_attr_get_payload_len(nest), tb,
			    LHV_EXIT_REASON_COUNT))
		return parse_fail(err, -EBADMSG, NULL, type,
				  "attribute %s (%u): malformed nested "
				  "attributes",
				  lhv_attr_name(type), type);
	for (r = 0; r < LHV_EXIT_REASON_COUNT; r++) {
		const struct nlattr *a = tb[r + 1];

		if (!a)
			continue;
		if (mnl_attr_get_payload_len(a) != sizeof(uint64_t))
			return parse_fail(err, -ERANGE, NULL, type,
					  "attribute %s (%u): reason %u is "
					  "not a u64",
					  lhv_attr_name(type), type, r);
		memcpy(&v[r], mnl_attr_get_payload(a), sizeof(uint64_t));
	}
	return 0;
}

int lhv_parse_hv_stats(const struct nlmsghdr *nlh, struct lhv_hv_cpu_stats *out,
		       struct lhv_parse_err *err)
{
	const struct nlattr *tb[LHV_ATTR_MAX + 1] = { NULL };
	int ret;

	memset(out, 0, sizeof(*out));
	clear_err(err);

	ret = index_reply(nlh, tb, err);
	if (!ret)
		ret = parse_fields(tb, hv_stats_fields,
				   ARRAY_SIZE(hv_stats_fields), &top_space, out,
				   NULL, err);
	if (!ret && tb[LHV_ATTR_HV_EXIT_COUNT])
		ret = parse_reasons(tb[LHV_ATTR_HV_EXIT_COUNT], out->count,
				    err);
	if (!ret && tb[LHV_ATTR_HV_EXIT_CYCLES])
		ret = parse_reasons(tb[LHV_ATTR_HV_EXIT_CYCLES], out->cycles,
				    err);
	if (ret)
		memset(out, 0, sizeof(*out));
	return ret;
}

const char *lhv_exit_reason_name(unsigned int reason)
{
	static const char *const names[] = {
		[LHV_EXIT_CPUID] = "cpuid",
		[LHV_EXIT_HYPERCALL] = "hypercall",
		[LHV_EXIT_MSR] = "msr",
		[LHV_EXIT_NPF] = "npf",
		[LHV_EXIT_VIRT_INSN] = "virt_insn",
		[LHV_EXIT_IO] = "io",
		[LHV_EXIT_INTR] = "intr",
		[LHV_EXIT_HLT] = "hlt",
		[LHV_EXIT_OTHER] = "other",
	};

	if (reason < ARRAY_SIZE(names) && names[reason])
		return names[reason];
	return "unknown";
}
