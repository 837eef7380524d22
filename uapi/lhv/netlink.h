/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause */
/*
 * The "lhv" generic netlink family: how lhvctl (or any client) configures
 * the lhv service module. See docs/netlink.md for the full description.
 *
 * Rules of the ABI:
 * - Every request is a generic netlink message with version LHV_GENL_VERSION.
 * - Attributes are validated strictly by the kernel against per-command
 *   policies; unknown attributes, wrong sizes and over-long strings are
 *   refused with an extended-ack (extack) message naming the attribute.
 * - Command ids 1..LHV_CMD_RESERVED_MAX are owned by the family: ids that
 *   this module version does not implement are refused with an extack
 *   message (not only EOPNOTSUPP), so an old module tells a new client why.
 * - Numbers are host-endian; strings are NUL-terminated.
 * - Every command needs CAP_NET_ADMIN (the family manages isolation).
 * - A reply carries the command id of its request.
 * - Enumerations (hv and VM states) may gain values without an ABI bump:
 *   clients must show an unknown value, not fail on it.
 */
#ifndef _UAPI_LHV_NETLINK_H
#define _UAPI_LHV_NETLINK_H

#define LHV_GENL_NAME "lhv"
#define LHV_GENL_VERSION 1

/*
 * Longest VM name, not counting the terminating NUL. Names are printable
 * ASCII; the kernel refuses others when VMs can be created.
 */
#define LHV_VM_NAME_MAX 31

/* Bound on LHV_ATTR_MODULE_VERSION, NUL included ("0.1.0"-like). */
#define LHV_MODULE_VERSION_MAX 64

/* Name of the service VM, which always exists and has id 0. */
#define LHV_SERVICE_VM_NAME "service"

enum lhv_cmd {
	LHV_CMD_UNSPEC,
	/*
	 * Report the module and hypervisor state.
	 * Request: no attributes.
	 * Reply: LHV_ATTR_MODULE_VERSION, LHV_ATTR_ABI_VERSION,
	 *        LHV_ATTR_HV_STATE, LHV_ATTR_MAX_VMS.
	 */
	LHV_CMD_STATUS,
	/*
	 * Describe one VM.
	 * Request: LHV_ATTR_VM_NAME (required).
	 * Reply: LHV_ATTR_VM_ID, LHV_ATTR_VM_NAME, LHV_ATTR_VM_STATE.
	 * Errors: ENOENT (no VM of that name).
	 */
	LHV_CMD_VM_GET,

	__LHV_CMD_COUNT,
	LHV_CMD_MAX = __LHV_CMD_COUNT - 1,
	/* Ids up to this one are reserved for the family (see above). */
	LHV_CMD_RESERVED_MAX = 63,
};

enum lhv_attr {
	LHV_ATTR_UNSPEC,
	LHV_ATTR_MODULE_VERSION, /* string, < LHV_MODULE_VERSION_MAX bytes */
	LHV_ATTR_ABI_VERSION,	 /* u32: LHV_ABI_VERSION of lhv.ko */
	LHV_ATTR_HV_STATE,	 /* u32: enum lhv_hv_state */
	LHV_ATTR_MAX_VMS,	 /* u32: the max_vms module parameter */
	LHV_ATTR_VM_ID,		 /* u32: 0 is the service VM */
	LHV_ATTR_VM_NAME,	 /* string, <= LHV_VM_NAME_MAX bytes + NUL */
	LHV_ATTR_VM_STATE,	 /* u32: enum lhv_vm_state */

	__LHV_ATTR_COUNT,
	LHV_ATTR_MAX = __LHV_ATTR_COUNT - 1,
};

enum lhv_hv_state {
	LHV_HV_ABSENT,	/* no hypervisor image loaded */
	LHV_HV_LOADED,	/* image loaded and verified, not entered */
	LHV_HV_RUNNING, /* every online CPU runs under the hypervisor */
	LHV_HV_FAILED,	/* enabling failed; see the kernel log */
};

enum lhv_vm_state {
	LHV_VM_CREATED,
	LHV_VM_LOADED,
	LHV_VM_RUNNING,
	LHV_VM_STOPPED,
	LHV_VM_CRASHED,
};

#endif /* _UAPI_LHV_NETLINK_H */
