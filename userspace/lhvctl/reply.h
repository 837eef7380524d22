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
};

struct lhv_vm_info {
	uint32_t id;
	char name[LHV_VM_NAME_MAX + 1];
	uint32_t state; /* enum lhv_vm_state, or a value newer than us */
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
 * *out is zeroed on failure.
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

/* Names of enum values, NULL for a value this lhvctl does not know. */
const char *lhv_hv_state_name(uint32_t state);
/*
 * The state's name, or "unknown(N)" written to buf for a state a newer
 * module reports that this lhvctl has no name for.
 */
const char *lhv_hv_state_label(uint32_t state, char *buf, size_t len);
const char *lhv_vm_state_name(uint32_t state);
const char *lhv_dev_type_name(uint32_t type);	/* "blk", "snd", ... */
const char *lhv_blk_cache_name(uint32_t cache); /* "writeback", ... */

/* Name of an LHV_ATTR_* type for messages, "unknown" if out of range. */
const char *lhv_attr_name(unsigned int type);
/* Name of an LHV_BLK_ATTR_* type, "BLK_BACKING"..., or "unknown". */
const char *lhv_blk_attr_name(unsigned int type);
/* Names of LHV_SND_ATTR_* and LHV_SND_STREAM_ATTR_* types, or "unknown". */
const char *lhv_snd_attr_name(unsigned int type);
const char *lhv_snd_stream_attr_name(unsigned int type);
/* "out", "in", or NULL for a direction this lhvctl does not know. */
const char *lhv_snd_dir_name(uint32_t dir);

#endif /* LHVCTL_REPLY_H */
