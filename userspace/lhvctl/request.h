/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Requests of the "lhv" family built into a caller's buffer: the
 * attributes after the netlink and genetlink headers, which the caller has
 * put already (lhv_nl_request() does). Kept apart from the socket so unit
 * tests can check the wire format without a kernel.
 *
 * Values go as given: the kernel validates them and says why not.
 */
#ifndef LHVCTL_REQUEST_H
#define LHVCTL_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nlmsghdr;

/* Bit of an LHV_BLK_ATTR_* type in lhv_blk_req.set and lhv_blk_info. */
#define LHV_BLK_BIT(type) (UINT32_C(1) << (type))

/* An LHV_CMD_DEV_ADD of a LHV_DEV_BLK device. */
struct lhv_blk_req {
	const char *vm;	     /* LHV_ATTR_VM_NAME */
	const char *backing; /* LHV_BLK_ATTR_BACKING, NULL: left out */
	const char *serial;  /* LHV_BLK_ATTR_SERIAL, NULL: left out */
	bool read_only;	     /* LHV_BLK_ATTR_READ_ONLY, a flag */
	/* The numbers, each sent only if its LHV_BLK_BIT is in set; the
	 * kernel applies its default to those left out.
	 */
	uint32_t set;
	uint64_t start, sectors;
	uint32_t queues, queue_size, cache;
};

/* An LHV_CMD_DEV_ADD of a LHV_DEV_HECI device. */
struct lhv_heci_req {
	const char *vm;	      /* LHV_ATTR_VM_NAME */
	uint32_t backend;     /* LHV_HECI_ATTR_BACKEND */
	bool has_max_msg_len; /* send LHV_HECI_ATTR_MAX_MSG_LEN */
	uint32_t max_msg_len;
	unsigned int nr_allow; /* LHV_HECI_ATTR_ALLOW entries, 0: left out */
	uint8_t allow[32][16];
};

struct lhv_xhci_req {
	const char *vm;
	const char *usb_port;	 /* SOS port to forward, or NULL */
	const char *role_switch; /* SOS role switch for DRD, or NULL */
};

/*
 * DEV_ADD of an xHCI controller: VM_NAME, DEV_TYPE = LHV_DEV_XHCI and,
 * with a port or a role switch, DEV_CONFIG with USB_PORT, ROLE_SWITCH. Returns 0 or -EMSGSIZE (nlh
 * unchanged).
 */
int lhv_req_xhci_add(struct nlmsghdr *nlh, size_t size,
		     const struct lhv_xhci_req *r);

/* USB_ASSIGN: controller and guest_port (0) are left out when unset. */
struct lhv_usb_assign_req {
	const char *vm;
	const char *port;	/* SOS port path */
	const char *controller; /* "xhci1", or NULL: the VM's first */
	uint32_t guest_port;	/* 1-8, 0: any free pair */
};

int lhv_req_usb_assign(struct nlmsghdr *nlh, size_t size,
		       const struct lhv_usb_assign_req *r);
/* USB_RELEASE of port; USB_GET of vm's ports (NULL: every VM's). */
int lhv_req_usb_release(struct nlmsghdr *nlh, size_t size, const char *port);
int lhv_req_usb_get(struct nlmsghdr *nlh, size_t size, const char *vm);

/*
 * DEV_ADD of a heci device: VM_NAME, DEV_TYPE = LHV_DEV_HECI and
 * DEV_CONFIG with BACKEND, ALLOW (nested UUIDs) if any and MAX_MSG_LEN
 * if set. Returns 0 or -EMSGSIZE (nlh unchanged).
 */
int lhv_req_heci_add(struct nlmsghdr *nlh, size_t size,
		     const struct lhv_heci_req *r);

/*
 * Append to nlh (a request in a buffer of size bytes in all) the
 * attributes of a DEV_ADD for r: VM_NAME, DEV_TYPE = LHV_DEV_BLK and
 * DEV_CONFIG nested with the LHV_BLK_ATTR_* given. Returns 0, or
 * -EMSGSIZE if they do not fit (nlh is then left as it was).
 */
int lhv_req_blk_add(struct nlmsghdr *nlh, size_t size,
		    const struct lhv_blk_req *r);

#include <lhv/netlink.h>

/* One stream of a snd DEV_ADD; each field sent if its LHV_BLK_BIT is set. */
struct lhv_snd_stream_req {
	uint32_t set; /* LHV_BLK_BIT(LHV_SND_STREAM_ATTR_*) */
	uint32_t direction;
	uint32_t channels_min, channels_max;
	uint64_t formats, rates;
};

/* An LHV_CMD_DEV_ADD of a LHV_DEV_SND device. */
struct lhv_snd_req {
	const char *vm;
	bool jacks_set;
	uint32_t jacks;
	bool chmaps;
	uint32_t nr_streams; /* 0: the kernel's default streams */
	struct lhv_snd_stream_req streams[LHV_SND_MAX_STREAMS];
};

/*
 * DEV_ADD of a snd device: VM_NAME, DEV_TYPE = LHV_DEV_SND, DEV_CONFIG
 * with STREAMS (one nest per stream, types 1..n) if any, JACKS, CHMAPS.
 * Returns 0 or -EMSGSIZE (nlh unchanged).
 */
int lhv_req_snd_add(struct nlmsghdr *nlh, size_t size,
		    const struct lhv_snd_req *r);

/* DEV_DEL: VM_NAME and DEV_ID. Returns 0 or -EMSGSIZE (nlh unchanged). */
int lhv_req_dev_del(struct nlmsghdr *nlh, size_t size, const char *vm,
		    uint32_t id);

/*
 * The filters of a DEV_GET dump: VM_NAME if vm is not NULL, DEV_TYPE if
 * type is not LHV_DEV_UNSPEC. Returns 0 or -EMSGSIZE (nlh unchanged).
 */
int lhv_req_dev_get(struct nlmsghdr *nlh, size_t size, const char *vm,
		    uint32_t type);

/*
 * A request naming a VM (VM_GET, VM_START, VM_STOP, VM_DESTROY ...):
 * VM_NAME, and for VM_STOP the VM_STOP_FORCE flag if force (without it
 * the stop is graceful: a request to the guest's lifecycle agent).
 * Returns 0 or -EMSGSIZE (nlh unchanged).
 */
int lhv_req_vm(struct nlmsghdr *nlh, size_t size, const char *vm, bool force);

/*
 * VM_CONSOLE_WRITE: VM_NAME and VM_CONSOLE_TEXT, the len bytes at text.
 * Returns 0, -EINVAL if len is 0 or above LHV_VM_CONSOLE_IN_MAX, or
 * -EMSGSIZE (nlh unchanged).
 */
int lhv_req_console_write(struct nlmsghdr *nlh, size_t size, const char *vm,
			  const void *text, size_t len);

struct lhv_hc_vm_measure;

/* One region of a VM's memory to measure; len 0: absent. */
struct lhv_measure_req {
	uint32_t kind; /* LHV_MEASURE_* */
	uint64_t gpa, len;
};

/*
 * The argument of LHV_VM_IOC_SET_MEASURE: the n regions that have a
 * length, in order, at most LHV_VM_MEASURE_MAX (-E2BIG beyond); id is
 * left 0 for the kernel to fill. Returns the count of regions placed.
 */
int lhv_req_measure(struct lhv_hc_vm_measure *m,
		    const struct lhv_measure_req *r, unsigned int n);

#endif /* LHVCTL_REQUEST_H */
