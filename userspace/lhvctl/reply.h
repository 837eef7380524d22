/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Replies of the "lhv" family turned into plain structs. Kept apart from
 * the socket so that unit tests can feed it messages built in memory.
 *
 * Everything here treats a message as untrusted: attributes are checked for
 * type and size before use, unknown attributes are skipped (a newer module
 * may add some), and a missing required one is an error that names it.
 */
#ifndef LHVCTL_REPLY_H
#define LHVCTL_REPLY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <lhv/hypercall.h>
#include <lhv/netlink.h>

struct nlmsghdr;
struct nlattr;

struct lhv_status {
	char module_version[LHV_MODULE_VERSION_MAX]; /* NUL included */
	uint32_t abi_version;
	uint32_t hv_state; /* enum lhv_hv_state, or a value newer than us */
	uint32_t max_vms;
	/* Once an hv image was loaded (0 before): */
	uint64_t hv_image_size, hv_mem_size;
	uint32_t hv_cpus;
	/* While it runs (0 otherwise): LHV_HC_VENDOR_*, LHV_HC_HW_*. */
	uint32_t hv_vendor, hv_features;
	uint32_t hv_seed;    /* enum lhv_hv_seed, or a value newer than us */
	uint32_t hv_tsc_khz; /* the SOS's TSC frequency; 0: not sent */
};

/* One CPU of a LHV_CMD_HV_STATS dump. */
struct lhv_hv_cpu_stats {
	uint32_t cpu;
	uint64_t exits;
	/* Per enum lhv_exit_reason; a reason the module did not send is 0. */
	uint64_t count[LHV_EXIT_REASON_COUNT];
	uint64_t cycles[LHV_EXIT_REASON_COUNT];
};

struct lhv_vm_info {
	uint32_t id;
	char name[LHV_VM_NAME_MAX + 1];
	uint32_t state; /* enum lhv_vm_state, or a value newer than us */
	/* A user VM's (is_user set when the reply carried its UUID): */
	bool is_user;
	unsigned char uuid[16];
	uint32_t profile;
	uint64_t mem_size, exits;
	uint64_t ioreqs, doorbells, msis; /* device I/O the hv carried */
	uint32_t nr_cpus;
	uint32_t cpus[LHV_VM_MAX_VCPUS];
	uint32_t apic_ids[LHV_VM_MAX_VCPUS]; /* of those CPUs, if sent */
	char crash_reason[64];
	bool has_stop_reason;
	uint32_t stop_reason; /* enum lhv_vm_stop_reason, or newer */
	/* What the hv measured at the last start (MEASUREMENTS), in order. */
	unsigned int nr_measured;
	struct lhv_measurement {
		uint32_t kind; /* LHV_MEASURE_*, or newer */
		uint64_t gpa, len;
		unsigned char sha256[32];
	} measured[LHV_VM_MEASURE_MAX];
};

/* A LHV_CMD_VM_EVENT notification of the "vm" multicast group. */
struct lhv_vm_event_info {
	uint32_t id;
	char name[LHV_VM_NAME_MAX + 1];
	uint32_t event;	       /* enum lhv_vm_event, or newer */
	uint32_t state;	       /* enum lhv_vm_state, or newer */
	char crash_reason[64]; /* "" if not sent */
	bool has_stop_reason;
	uint32_t stop_reason;
};

/* A VM_CONSOLE reply; text points into the message. */
struct lhv_console_chunk {
	const char *text;
	size_t len;
	uint64_t cursor, lost;
};

/*
 * Longest LHV_BLK_ATTR_BACKING kept, NUL included: PATH_MAX. The ABI sets
 * no bound of its own; a longer path in a reply is refused.
 */
#define LHV_BLK_BACKING_BUF 4096

/*
 * The LHV_ATTR_DEV_CONFIG of a LHV_DEV_BLK device. present has
 * LHV_BLK_BIT(type) (request.h) set for each attribute the reply carried;
 * the others read as zero. BACKING is always there.
 */
struct lhv_blk_info {
	uint32_t present;
	char backing[LHV_BLK_BACKING_BUF];
	uint64_t start;
	uint64_t sectors;
	bool read_only; /* the READ_ONLY flag was present */
	char serial[LHV_BLK_SERIAL_MAX + 1];
	uint32_t queues;
	uint32_t queue_size;
	uint32_t cache; /* enum lhv_blk_cache, or a value newer than us */
	uint32_t logical_block;
};

/* Longest card id an SOS ALSA card has, NUL included. */
#define LHV_SND_CARD_BUF 32

/* One stream of a LHV_DEV_SND device; present as in struct lhv_blk_info. */
struct lhv_snd_stream_info {
	uint32_t present;
	uint32_t direction; /* enum lhv_snd_dir, or a value newer than us */
	uint32_t channels_min, channels_max;
	uint64_t formats, rates; /* VIRTIO_SND_PCM_FMT / _RATE bits */
};

/*
 * The LHV_ATTR_DEV_CONFIG of a LHV_DEV_SND device: STREAMS is required
 * (1..LHV_SND_MAX_STREAMS entries, each with a DIRECTION), the rest
 * optional; present has LHV_BLK_BIT(type) of each LHV_SND_ATTR_* seen.
 */
struct lhv_snd_info {
	uint32_t present;
	uint32_t jacks;
	bool chmaps;
	char card[LHV_SND_CARD_BUF];
	uint32_t nr_streams;
	struct lhv_snd_stream_info streams[LHV_SND_MAX_STREAMS];
};

/*
 * The LHV_ATTR_DEV_CONFIG of a LHV_DEV_HECI device; present as for blk
 * (bit LHV_HECI_ATTR_*). BACKEND is required; ALLOW holds at most
 * LHV_HECI_MAX_ALLOW UUIDs of 16 bytes.
 */
struct lhv_heci_info {
	uint32_t present;
	uint32_t backend; /* enum lhv_heci_backend, or newer */
	uint32_t max_msg_len;
	uint32_t vtag;
	unsigned int nr_allow;
	uint8_t allow[LHV_HECI_MAX_ALLOW][LHV_HECI_UUID_LEN];
};

/* The DEV_CONFIG of an xhci device (all optional). */
struct lhv_xhci_info {
	uint32_t present;
	char usb_port[LHV_XHCI_USB_PORT_MAX];
	char role_switch[LHV_XHCI_ROLE_SWITCH_MAX];
	uint32_t role; /* enum lhv_xhci_role */
};

/* One device, as DEV_ADD answers and DEV_GET dumps it. */
struct lhv_dev_info {
	char vm[LHV_VM_NAME_MAX + 1];
	uint32_t id;
	uint32_t type; /* enum lhv_dev_type, or a value newer than us */
	char name[LHV_DEV_NAME_MAX];
	bool has_config; /* DEV_CONFIG was present */
	/* Parsed when type is LHV_DEV_BLK (then DEV_CONFIG is required). */
	struct lhv_blk_info blk;
	/* Parsed when type is LHV_DEV_SND (then DEV_CONFIG is required). */
	struct lhv_snd_info snd;
	/* Parsed when type is LHV_DEV_HECI (DEV_CONFIG required). */
	struct lhv_heci_info heci;
	/* Parsed when type is LHV_DEV_XHCI (DEV_CONFIG optional). */
	struct lhv_xhci_info xhci;
};

/* One assigned SOS USB port: USB_ASSIGN's reply, a USB_GET message. */
struct lhv_usb_port_info {
	char vm[LHV_VM_NAME_MAX + 1];
	uint32_t dev_id;
	char controller[LHV_DEV_NAME_MAX]; /* "xhci0" */
	char port[LHV_XHCI_USB_PORT_MAX];  /* SOS port path */
	uint32_t guest_port, guest_port_ss;
	bool has_dev; /* a device is forwarded: the fields below */
	uint32_t dev_port, dev_speed, dev_vendor, dev_product;
};

/* Why a reply was refused, in words for the user. */
struct lhv_parse_err {
	unsigned int attr; /* the attribute at fault, 0 for the whole message */
	unsigned int nested; /* within attr (a nest): the one at fault, or 0 */
	char msg[128];
};

/*
 * Index the attributes in buf[0..len): tb[type] points at the last
 * attribute of each type up to maxtype (tb must have maxtype + 1 entries,
 * zeroed by the caller); other types are skipped. Returns 0, or -EBADMSG
 * if an attribute header is malformed or runs past the end.
 */
int lhv_attrs_index(const void *buf, size_t len, const struct nlattr **tb,
		    unsigned int maxtype);

/*
 * Parse a reply to LHV_CMD_STATUS / LHV_CMD_VM_GET. nlh must point at
 * nlh->nlmsg_len readable bytes (nl.c and the tests guarantee it). Return
 * 0 and fill *out, or a negative errno with err (if not NULL) filled in:
 *   -EBADMSG  message shorter than its headers, or attributes malformed
 *   -ENODATA  a required attribute is missing
 *   -ERANGE   an attribute has the wrong size, or a string is too long
 *   -EINVAL   a string attribute is not NUL-terminated
 * *out is zeroed on failure. A VM_GET reply's MEASUREMENTS holds at most
 * LHV_VM_MEASURE_MAX entries (any type), each a nest with KIND, GPA, LEN
 * and a 32-byte SHA256, all required.
 */
int lhv_parse_status(const struct nlmsghdr *nlh, struct lhv_status *out,
		     struct lhv_parse_err *err);
int lhv_parse_vm(const struct nlmsghdr *nlh, struct lhv_vm_info *out,
		 struct lhv_parse_err *err);

/*
 * Parse a reply to LHV_CMD_DEV_ADD or one message of a LHV_CMD_DEV_GET
 * dump, with the errors above. VM_NAME, DEV_ID, DEV_TYPE and DEV_NAME are
 * required. DEV_CONFIG must hold well-formed attributes; for a LHV_DEV_BLK
 * device it is required and parsed into out->blk (BACKING required, the
 * others optional, each checked for its type and size), while for other
 * types its contents are skipped. A LHV_DEV_SND device's is parsed into
 * out->snd likewise (STREAMS and each stream's DIRECTION required). err->nested names the attribute at
 * fault inside DEV_CONFIG.
 */
int lhv_parse_dev(const struct nlmsghdr *nlh, struct lhv_dev_info *out,
		  struct lhv_parse_err *err);

/*
 * Parse a USB_ASSIGN reply or one USB_GET message, with the errors above:
 * VM_NAME, DEV_ID, DEV_NAME, USB_PORT and USB_GUEST_PORT required, the
 * others optional; has_dev says USB_DEV_PORT came.
 */
int lhv_parse_usb_port(const struct nlmsghdr *nlh,
		       struct lhv_usb_port_info *out,
		       struct lhv_parse_err *err);
/* "low", "full", "high", "super", ... (enum lhv_usb_speed), or NULL. */
const char *lhv_usb_speed_name(uint32_t speed);

/*
 * Parse a VM_CONSOLE reply: CURSOR required, TEXT (any length up to the
 * message) and LOST optional. Errors as above.
 */
int lhv_parse_console(const struct nlmsghdr *nlh, struct lhv_console_chunk *out,
		      struct lhv_parse_err *err);

/*
 * Parse a VM_EVENT notification: VM_ID, VM_NAME, VM_EVENT and VM_STATE
 * required; VM_CRASH_REASON and VM_STOP_REASON optional. Errors as above.
 */
int lhv_parse_vm_event(const struct nlmsghdr *nlh,
		       struct lhv_vm_event_info *out,
		       struct lhv_parse_err *err);

/*
 * One line for people: "vm <name> id <n> <event> state <state>", then
 * " reason <crash reason or stop reason>" when there is one. Names from
 * the kernel are passed through as they are (the caller escapes them).
 * Returns what snprintf() returns.
 */
int lhv_vm_event_line(const struct lhv_vm_event_info *e, char *buf, size_t len);

/* The bytes a VM_CONSOLE_WRITE reply says were taken (ACCEPTED). */
int lhv_parse_console_accepted(const struct nlmsghdr *nlh, uint32_t *accepted,
			       struct lhv_parse_err *err);

/*
 * The id of multicast group name in a CTRL_CMD_GETFAMILY reply's
 * CTRL_ATTR_MCAST_GROUPS nest (groups, whole attribute). Returns 0,
 * -ENOENT if the family has no such group, or -EBADMSG.
 */
int lhv_parse_mcast_group(const struct nlattr *groups, const char *name,
			  uint32_t *id);

/*
 * Parse one message of a LHV_CMD_HV_STATS dump, with the errors above:
 * HV_CPU and HV_EXITS are required; the per-reason nests are optional,
 * must hold whole attributes, and each known reason must be a u64.
 */
int lhv_parse_hv_stats(const struct nlmsghdr *nlh, struct lhv_hv_cpu_stats *out,
		       struct lhv_parse_err *err);

/* "cpuid", "hypercall", ... for an enum lhv_exit_reason; "unknown". */
const char *lhv_exit_reason_name(unsigned int reason);

/* Names of enum values, NULL for a value this lhvctl does not know. */
const char *lhv_hv_state_name(uint32_t state);
/*
 * The state's name, or "unknown(N)" written to buf for a state a newer
 * module reports that this lhvctl has no name for.
 */
const char *lhv_hv_state_label(uint32_t state, char *buf, size_t len);
const char *lhv_vm_state_name(uint32_t state);
/* "created", ..., "stop_requested" for an enum lhv_vm_event. */
const char *lhv_vm_event_name(uint32_t event);
/* "none", "forced", "poweroff", "reboot" (enum lhv_vm_stop_reason). */
const char *lhv_vm_stop_reason_name(uint32_t reason);
/* "kernel", "initrd", "cmdline" for LHV_MEASURE_*. */
const char *lhv_measure_kind_name(uint32_t kind);
/* "none", "boot", "firmware" for an enum lhv_hv_seed; "unknown". */
const char *lhv_hv_seed_name(uint32_t seed);
const char *lhv_dev_type_name(uint32_t type);	     /* "blk", "snd", ... */
const char *lhv_blk_cache_name(uint32_t cache);	     /* "writeback", ... */
const char *lhv_heci_backend_name(uint32_t backend); /* "sim", "mei" */

/* Name of an LHV_ATTR_* type for messages, "unknown" if out of range. */
const char *lhv_attr_name(unsigned int type);
/* Name of an LHV_BLK_ATTR_* type, "BLK_BACKING"..., or "unknown". */
const char *lhv_blk_attr_name(unsigned int type);
/* Names of LHV_SND_ATTR_* and LHV_SND_STREAM_ATTR_* types, or "unknown". */
const char *lhv_snd_attr_name(unsigned int type);
const char *lhv_snd_stream_attr_name(unsigned int type);
/* "out", "in", or NULL for a direction this lhvctl does not know. */
const char *lhv_snd_dir_name(uint32_t dir);
/* Name of an LHV_HECI_ATTR_* type, "HECI_BACKEND"..., or "unknown". */
const char *lhv_heci_attr_name(unsigned int type);

#endif /* LHVCTL_REPLY_H */
