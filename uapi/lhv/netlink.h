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
	 *        LHV_ATTR_HV_STATE, LHV_ATTR_MAX_VMS; once an image has
	 *        been loaded also LHV_ATTR_HV_IMAGE_SIZE, LHV_ATTR_HV_MEM_SIZE
	 *        and LHV_ATTR_HV_CPUS; while it runs also LHV_ATTR_HV_VENDOR
	 *        and LHV_ATTR_HV_FEATURES (from LHV_HC_GET_HW_INFO); once
	 *        an image has been loaded LHV_ATTR_HV_SEED.
	 */
	LHV_CMD_STATUS,
	/*
	 * Describe one VM.
	 * Request: LHV_ATTR_VM_NAME (required).
	 * Reply: LHV_ATTR_VM_ID, LHV_ATTR_VM_NAME, LHV_ATTR_VM_STATE; for a
	 * user VM also LHV_ATTR_VM_UUID, LHV_ATTR_VM_PROFILE,
	 * LHV_ATTR_VM_CPUS, LHV_ATTR_VM_MEM_SIZE, LHV_ATTR_VM_EXITS and,
	 * once crashed, LHV_ATTR_VM_CRASH_REASON.
	 * Errors: ENOENT (no VM of that name).
	 */
	LHV_CMD_VM_GET,
	/*
	 * Attach a device to a VM (needs the backend module, e.g. lhv_blk,
	 * which the kernel loads on demand). For the service VM the device
	 * appears at once on the Service OS's own virtio bus (loopback).
	 * Request: LHV_ATTR_VM_NAME, LHV_ATTR_DEV_TYPE (required),
	 *          LHV_ATTR_DEV_CONFIG (nested, per type: enum lhv_blk_attr,
	 *          enum lhv_heci_attr, enum lhv_snd_attr, enum lhv_xhci_attr).
	 * Reply: LHV_ATTR_VM_NAME, LHV_ATTR_DEV_ID, LHV_ATTR_DEV_TYPE,
	 *        LHV_ATTR_DEV_NAME, LHV_ATTR_DEV_CONFIG (as in use).
	 */
	LHV_CMD_DEV_ADD,
	/*
	 * Detach and destroy a device; in-flight requests end first.
	 * Request: LHV_ATTR_VM_NAME, LHV_ATTR_DEV_ID (required).
	 */
	LHV_CMD_DEV_DEL,
	/*
	 * List devices (dump), optionally only those of LHV_ATTR_VM_NAME and
	 * of LHV_ATTR_DEV_TYPE. One message per device, as the DEV_ADD reply.
	 */
	LHV_CMD_DEV_GET,
	/*
	 * Load lhv/lhv.bin (request_firmware), give it memory and enter it on
	 * every online CPU: the Service OS continues as its guest.
	 * Request: no attributes. Errors: EALREADY (already running), ENOENT
	 * (no image file), ENOEXEC/EPROTO/EINVAL (image refused), ENODEV (no
	 * SVM with nested paging), EBUSY (SVM in use by someone else).
	 */
	LHV_CMD_HV_ENABLE,
	/*
	 * Return every CPU to bare metal; the image stays loaded (its log
	 * readable) until the module unloads. Request: no attributes.
	 * Errors: EALREADY (not running).
	 */
	LHV_CMD_HV_DISABLE,
	/*
	 * Exit statistics of the hv (dump): one message per CPU running under
	 * it, with LHV_ATTR_HV_CPU, LHV_ATTR_HV_EXITS, LHV_ATTR_HV_EXIT_COUNT
	 * and LHV_ATTR_HV_EXIT_CYCLES. Request: no attributes. Errors:
	 * ENODEV (the hv is not running).
	 */
	LHV_CMD_HV_STATS,
	/*
	 * Create a user VM (docs/uvm.md): RAM from the SOS in 2 MiB chunks,
	 * its CPUs taken offline and given to the hv, /dev/lhv-<name> for
	 * its memory and boot state.
	 * Request: LHV_ATTR_VM_NAME, LHV_ATTR_VM_CPUS, LHV_ATTR_VM_MEM_SIZE
	 * (required), LHV_ATTR_VM_UUID, LHV_ATTR_VM_PROFILE.
	 * Reply: as VM_GET. Errors: EEXIST (name taken), ENOSPC (no slot),
	 * ENODEV (hv not running), EINVAL, EBUSY (a CPU not available),
	 * ENOMEM.
	 */
	LHV_CMD_VM_CREATE,
	/*
	 * Destroy a user VM, stopping it first: its CPUs come back online,
	 * its RAM is scrubbed and returned. Request: LHV_ATTR_VM_NAME.
	 */
	LHV_CMD_VM_DESTROY,
	/* Start a loaded or stopped VM. Request: LHV_ATTR_VM_NAME. */
	LHV_CMD_VM_START,
	/*
	 * Stop a running VM. Request: LHV_ATTR_VM_NAME, LHV_ATTR_VM_STOP_FORCE.
	 * Forced: the hv stops the vCPUs at once (state stopped). Graceful
	 * (no FORCE): the shutdown request goes to the guest's lifecycle
	 * agent on its COM2 (docs/uvm.md) and the call returns; the VM stops
	 * when the guest powers off, announced as LHV_VM_EVENT_POWEROFF on
	 * the "vm" multicast group. Errors: EALREADY (not running).
	 */
	LHV_CMD_VM_STOP,
	/*
	 * Read a VM's console. Request: LHV_ATTR_VM_NAME,
	 * LHV_ATTR_VM_CONSOLE_CURSOR (0 for the oldest text kept). Reply:
	 * LHV_ATTR_VM_CONSOLE_TEXT (bytes, maybe none), the new cursor,
	 * LHV_ATTR_VM_CONSOLE_LOST (bytes overwritten before the cursor).
	 */
	LHV_CMD_VM_CONSOLE,
	/*
	 * Type into a VM's console (COM1) receive FIFO. Request:
	 * LHV_ATTR_VM_NAME, LHV_ATTR_VM_CONSOLE_TEXT (1..LHV_VM_CONSOLE_IN_MAX
	 * bytes). Reply: LHV_ATTR_VM_CONSOLE_ACCEPTED (bytes taken; fewer
	 * when the FIFO is full). Errors: EALREADY (VM not running).
	 */
	LHV_CMD_VM_CONSOLE_WRITE,
	/*
	 * Notification only (never a request), on the multicast group
	 * LHV_GENL_MCGRP_VM: a VM changed state. Attributes: LHV_ATTR_VM_ID,
	 * LHV_ATTR_VM_NAME, LHV_ATTR_VM_EVENT, LHV_ATTR_VM_STATE, and
	 * LHV_ATTR_VM_CRASH_REASON for LHV_VM_EVENT_CRASHED.
	 */
	LHV_CMD_VM_EVENT,
	/*
	 * Give an SOS USB port to a user VM's xHCI controller (lhv_xhci,
	 * docs/xhci.md): the port is claimed, a device plugged in there now
	 * or later goes to the guest (its SOS drivers unbound), on a pair of
	 * guest root ports: USB 2 port N for low/full/high speed, USB 3 port
	 * N + 4 for SuperSpeed. Works while the VM runs.
	 * Request: LHV_ATTR_VM_NAME, LHV_ATTR_USB_PORT (required),
	 * LHV_ATTR_DEV_NAME (the controller, e.g. "xhci1"; default: the VM's
	 * first), LHV_ATTR_USB_GUEST_PORT (1-8, either port of the pair;
	 * default: the lowest free pair).
	 * Reply: as one USB_GET message.
	 * Errors: ENOENT (no such VM, controller, hub or port), EINVAL
	 * (malformed path, guest port out of range), EBUSY (port assigned or
	 * claimed already, guest port pair taken), ENODEV (no lhv_xhci).
	 */
	LHV_CMD_USB_ASSIGN,
	/*
	 * Give an assigned port back to the SOS: the guest sees a
	 * disconnect, transfers in flight end, the SOS's drivers bind to the
	 * device again. Request: LHV_ATTR_USB_PORT. Errors: ENOENT (not
	 * assigned), EINVAL (malformed).
	 */
	LHV_CMD_USB_RELEASE,
	/*
	 * List assigned ports (dump), optionally only those of
	 * LHV_ATTR_VM_NAME. One message per port: LHV_ATTR_VM_NAME,
	 * LHV_ATTR_DEV_ID, LHV_ATTR_DEV_NAME (the controller),
	 * LHV_ATTR_USB_PORT, LHV_ATTR_USB_GUEST_PORT,
	 * LHV_ATTR_USB_GUEST_PORT_SS and, while a device is forwarded,
	 * LHV_ATTR_USB_DEV_PORT, LHV_ATTR_USB_DEV_SPEED,
	 * LHV_ATTR_USB_DEV_VENDOR, LHV_ATTR_USB_DEV_PRODUCT.
	 */
	LHV_CMD_USB_GET,

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
	LHV_ATTR_DEV_ID,	 /* u32: device id, unique within its VM */
	LHV_ATTR_DEV_TYPE,	 /* u32: enum lhv_dev_type */
	LHV_ATTR_DEV_NAME,	 /* string: e.g. "blk0", < LHV_DEV_NAME_MAX */
	LHV_ATTR_DEV_CONFIG,	 /* nested: the type's attributes */
	LHV_ATTR_HV_IMAGE_SIZE,	 /* u64: bytes of lhv.bin loaded */
	LHV_ATTR_HV_MEM_SIZE,	 /* u64: bytes of memory given to the hv */
	LHV_ATTR_HV_CPUS,	 /* u32: CPUs running under the hv */
	LHV_ATTR_HV_VENDOR,	 /* u32: LHV_HC_VENDOR_* (<lhv/hypercall.h>) */
	LHV_ATTR_HV_FEATURES,	 /* u32: LHV_HC_HW_* (<lhv/hypercall.h>) */
	LHV_ATTR_HV_CPU,	 /* u32: a CPU (Linux numbering) */
	LHV_ATTR_HV_EXITS,	 /* u64: exits of that CPU */
	/*
	 * Nested, per enum lhv_exit_reason (<lhv/hypercall.h>): attribute
	 * type reason + 1, a u64. COUNT: exits; CYCLES: TSC cycles the hv
	 * spent handling them. Reasons a client does not know: skip them.
	 */
	LHV_ATTR_HV_EXIT_COUNT,
	LHV_ATTR_HV_EXIT_CYCLES,
	LHV_ATTR_HV_SEED,    /* u32: enum lhv_hv_seed */
	LHV_ATTR_VM_UUID,    /* binary, 16 bytes */
	LHV_ATTR_VM_PROFILE, /* u32: LHV_VM_PROFILE_* (<lhv/hypercall.h>) */
	/* nested: u32 CPU numbers (attribute type = vCPU index + 1) */
	LHV_ATTR_VM_CPUS,
	LHV_ATTR_VM_MEM_SIZE,	    /* u64: bytes of RAM, a multiple of 2 MiB */
	LHV_ATTR_VM_CONSOLE_CURSOR, /* u64 */
	LHV_ATTR_VM_CONSOLE_TEXT,   /* binary, console bytes as written */
	LHV_ATTR_VM_CONSOLE_LOST,   /* u64 */
	LHV_ATTR_VM_CRASH_REASON,   /* string, when the state is crashed */
	LHV_ATTR_VM_EXITS,	    /* u64: exits of its vCPUs */
	/* nested: u32 APIC ids of the VM's CPUs (type = vCPU index + 1) */
	LHV_ATTR_VM_APIC_IDS,
	LHV_ATTR_VM_EVENT,	      /* u32: enum lhv_vm_event */
	LHV_ATTR_VM_STOP_FORCE,	      /* flag: VM_STOP stops at once */
	LHV_ATTR_VM_CONSOLE_ACCEPTED, /* u32: console input bytes taken */
	/*
	 * nested: what the hv measured when it last started the VM, one
	 * LHV_ATTR_VM_MEASUREMENT entry per region (enum lhv_measure_attr).
	 */
	LHV_ATTR_VM_MEASUREMENTS,
	LHV_ATTR_VM_STOP_REASON, /* u32: enum lhv_vm_stop_reason */
	LHV_ATTR_HV_TSC_KHZ, /* u32: the SOS's TSC frequency, for UOS boot */
	/* u64 each, in VM_GET: the VM's device I/O as the hv counted it */
	LHV_ATTR_VM_IOREQS,    /* accesses the SOS answered (ioreqs) */
	LHV_ATTR_VM_DOORBELLS, /* notify writes completed at once */
	LHV_ATTR_VM_MSIS,      /* MSIs delivered to the VM */
	/* USB port assignment (LHV_CMD_USB_*) */
	LHV_ATTR_USB_PORT, /* string: SOS port as in sysfs, "1-1", "3-1.4" */
	/* u32: guest root port; a reply gives the pair's USB 2 port (1-4) */
	LHV_ATTR_USB_GUEST_PORT,
	LHV_ATTR_USB_GUEST_PORT_SS, /* u32: the pair's USB 3 port (5-8) */
	LHV_ATTR_USB_DEV_PORT,	    /* u32: guest port the device is on */
	LHV_ATTR_USB_DEV_SPEED,	    /* u32: enum lhv_usb_speed */
	LHV_ATTR_USB_DEV_VENDOR,    /* u32: idVendor */
	LHV_ATTR_USB_DEV_PRODUCT,   /* u32: idProduct */

	__LHV_ATTR_COUNT,
	LHV_ATTR_MAX = __LHV_ATTR_COUNT - 1,
};

/* The multicast group VM state-change events go to (lhvctl monitor). */
#define LHV_GENL_MCGRP_VM "vm"

/* Most console input bytes one VM_CONSOLE_WRITE carries. */
#define LHV_VM_CONSOLE_IN_MAX 256

enum lhv_vm_event {
	LHV_VM_EVENT_CREATED,
	LHV_VM_EVENT_LOADED,
	LHV_VM_EVENT_STARTED,
	LHV_VM_EVENT_STOPPED,  /* forced stop by the SOS */
	LHV_VM_EVENT_CRASHED,  /* triple fault, guest panic, ... */
	LHV_VM_EVENT_POWEROFF, /* the guest powered itself off */
	LHV_VM_EVENT_REBOOT,   /* the guest asked for a reset */
	LHV_VM_EVENT_DESTROYED,
	LHV_VM_EVENT_STOP_REQUESTED, /* graceful stop sent to the guest */
};

/* Why a VM is stopped (LHV_ATTR_VM_STOP_REASON). */
enum lhv_vm_stop_reason {
	LHV_VM_STOP_NONE,     /* never stopped, or running again */
	LHV_VM_STOP_FORCED,   /* the SOS stopped it */
	LHV_VM_STOP_POWEROFF, /* ACPI S5 from the guest */
	LHV_VM_STOP_REBOOT,   /* ACPI reset register from the guest */
};

/* One entry of LHV_ATTR_VM_MEASUREMENTS. */
enum lhv_measure_attr {
	LHV_MEASURE_ATTR_UNSPEC,
	LHV_MEASURE_ATTR_KIND,	 /* u32: LHV_MEASURE_* (<lhv/hypercall.h>) */
	LHV_MEASURE_ATTR_GPA,	 /* u64: where it lies in guest memory */
	LHV_MEASURE_ATTR_LEN,	 /* u64: bytes measured */
	LHV_MEASURE_ATTR_SHA256, /* binary, 32 bytes */

	__LHV_MEASURE_ATTR_COUNT,
	LHV_MEASURE_ATTR_MAX = __LHV_MEASURE_ATTR_COUNT - 1,
};

/* Bound on LHV_ATTR_DEV_NAME, NUL included. */
#define LHV_DEV_NAME_MAX 16

enum lhv_dev_type {
	LHV_DEV_UNSPEC,
	LHV_DEV_BLK,  /* virtio-blk, served by lhv_blk */
	LHV_DEV_SND,  /* virtio-snd, served by lhv_snd */
	LHV_DEV_HECI, /* virtio HECI, served by lhv_heci */
	LHV_DEV_XHCI, /* emulated xHCI, served by lhv_xhci */
	__LHV_DEV_TYPE_COUNT,
};

/*
 * LHV_ATTR_DEV_CONFIG of a LHV_DEV_BLK device. Sectors are 512 bytes.
 * In a DEV_ADD request only BACKING is required; replies carry them all.
 */
enum lhv_blk_attr {
	LHV_BLK_ATTR_UNSPEC,
	LHV_BLK_ATTR_BACKING,	    /* string: block device or regular file */
	LHV_BLK_ATTR_START,	    /* u64: first sector of the window (0) */
	LHV_BLK_ATTR_SECTORS,	    /* u64: window length, 0 = to the end (0) */
	LHV_BLK_ATTR_READ_ONLY,	    /* flag: the guest may not write */
	LHV_BLK_ATTR_SERIAL,	    /* string, <= LHV_BLK_SERIAL_MAX bytes */
	LHV_BLK_ATTR_QUEUES,	    /* u32: 1..LHV_BLK_MAX_QUEUES (1) */
	LHV_BLK_ATTR_QUEUE_SIZE,    /* u32: power of 2, 2..1024 (256) */
	LHV_BLK_ATTR_CACHE,	    /* u32: enum lhv_blk_cache (writeback) */
	LHV_BLK_ATTR_LOGICAL_BLOCK, /* u32, reply only: backing's block size */

	__LHV_BLK_ATTR_COUNT,
	LHV_BLK_ATTR_MAX = __LHV_BLK_ATTR_COUNT - 1,
};

/* VIRTIO_BLK_ID_BYTES: GET_ID answers at most 20 bytes. */
#define LHV_BLK_SERIAL_MAX 20
#define LHV_BLK_MAX_QUEUES 16
#define LHV_BLK_MAX_QUEUE_SIZE 1024

/* The initial cache mode; the guest may switch it (CONFIG_WCE). */
enum lhv_blk_cache {
	LHV_BLK_CACHE_WRITEBACK,    /* FLUSH needed for durability */
	LHV_BLK_CACHE_WRITETHROUGH, /* each write is durable when done */
};

/*
 * LHV_ATTR_DEV_CONFIG of a LHV_DEV_XHCI device (all optional). USB_PORT
 * forwards the SOS USB port it names to the controller: what is plugged
 * in there goes to the guest instead of the SOS's drivers. ROLE_SWITCH
 * gives the controller the DRD capability, which drives the SOS
 * usb_role_switch it names (docs/xhci.md, "Dual role"); replies then carry
 * ROLE too.
 */
enum lhv_xhci_attr {
	LHV_XHCI_ATTR_UNSPEC,
	/* string: the SOS port as in sysfs, "<bus>-<port>[.<port>]...", e.g. "1-1" */
	LHV_XHCI_ATTR_USB_PORT,
	/* string: the SOS role switch, by the name of its software node */
	LHV_XHCI_ATTR_ROLE_SWITCH,
	/* u32 (replies only): the switch's role, enum lhv_xhci_role */
	LHV_XHCI_ATTR_ROLE,

	__LHV_XHCI_ATTR_COUNT,
	LHV_XHCI_ATTR_MAX = __LHV_XHCI_ATTR_COUNT - 1,
};

/* Bound on LHV_XHCI_ATTR_USB_PORT and LHV_ATTR_USB_PORT, NUL included. */
#define LHV_XHCI_USB_PORT_MAX 32
/* Bound on LHV_XHCI_ATTR_ROLE_SWITCH, NUL included. */
#define LHV_XHCI_ROLE_SWITCH_MAX 64

/* LHV_XHCI_ATTR_ROLE: numbered as the kernel's enum usb_role. */
enum lhv_xhci_role {
	LHV_XHCI_ROLE_NONE,
	LHV_XHCI_ROLE_HOST,
	LHV_XHCI_ROLE_DEVICE,
};

/* LHV_ATTR_USB_DEV_SPEED: as the USB core numbers speeds. */
enum lhv_usb_speed {
	LHV_USB_SPEED_UNKNOWN,
	LHV_USB_SPEED_LOW,	  /* 1.5 Mb/s */
	LHV_USB_SPEED_FULL,	  /* 12 Mb/s */
	LHV_USB_SPEED_HIGH,	  /* 480 Mb/s */
	LHV_USB_SPEED_WIRELESS,	  /* not forwarded */
	LHV_USB_SPEED_SUPER,	  /* 5 Gb/s */
	LHV_USB_SPEED_SUPER_PLUS, /* 10 Gb/s and up */
};

/*
 * LHV_ATTR_DEV_CONFIG of a LHV_DEV_HECI device. In a DEV_ADD request
 * BACKEND is required, and ALLOW for the mei backend; replies carry
 * BACKEND, ALLOW (the clients the guest sees), MAX_MSG_LEN and VTAG.
 */
enum lhv_heci_attr {
	LHV_HECI_ATTR_UNSPEC,
	LHV_HECI_ATTR_BACKEND, /* u32: enum lhv_heci_backend */
	LHV_HECI_ATTR_ALLOW,   /* nested: LHV_HECI_ALLOW_UUID entries */
	LHV_HECI_ATTR_MAX_MSG_LEN, /* u32: mei backend, 16..LHV_HECI_MAX_MSG (4096) */
	LHV_HECI_ATTR_VTAG,	   /* u32, reply only: the vtag of the VM */

	__LHV_HECI_ATTR_COUNT,
	LHV_HECI_ATTR_MAX = __LHV_HECI_ATTR_COUNT - 1,
};

/* Inside LHV_HECI_ATTR_ALLOW: one entry per allowed ME client. */
enum lhv_heci_allow_attr {
	LHV_HECI_ALLOW_UNSPEC,
	LHV_HECI_ALLOW_UUID, /* binary, 16 bytes: the client's UUID, MEI order */

	__LHV_HECI_ALLOW_COUNT,
	LHV_HECI_ALLOW_MAX = __LHV_HECI_ALLOW_COUNT - 1,
};

/* Where a heci device's ME clients live. */
enum lhv_heci_backend {
	LHV_HECI_BACKEND_SIM, /* the built-in ME simulator */
	LHV_HECI_BACKEND_MEI, /* the Service OS's MEI client bus */
};

/* Most allowed clients of one device; longest client message. */
#define LHV_HECI_MAX_ALLOW 32
#define LHV_HECI_MAX_MSG 4096
#define LHV_HECI_UUID_LEN 16

/*
 * LHV_ATTR_DEV_CONFIG of a LHV_DEV_SND device (virtio-snd, VIRTIO 1.2
 * 5.14). Every attribute is optional in a DEV_ADD request; without
 * STREAMS the device has one stereo-capable output and one input stream
 * (channels 1..8, S16|S32, 44100|48000). Replies carry them all.
 */
enum lhv_snd_attr {
	LHV_SND_ATTR_UNSPEC,
	/*
	 * Nested array: one LHV_SND_ATTR_STREAMS entry per stream, in
	 * stream-id order (the entry's own type is ignored), each holding
	 * enum lhv_snd_stream_attr. 1..LHV_SND_MAX_STREAMS entries.
	 */
	LHV_SND_ATTR_STREAMS,
	LHV_SND_ATTR_JACKS,  /* u32: jacks the guest sees, 0..8 (0) */
	LHV_SND_ATTR_CHMAPS, /* flag: one channel map per stream */
	LHV_SND_ATTR_CARD,   /* string, reply only: the SOS ALSA card id */

	__LHV_SND_ATTR_COUNT,
	LHV_SND_ATTR_MAX = __LHV_SND_ATTR_COUNT - 1,
};

/* One stream of LHV_SND_ATTR_STREAMS; DIRECTION is required. */
enum lhv_snd_stream_attr {
	LHV_SND_STREAM_ATTR_UNSPEC,
	LHV_SND_STREAM_ATTR_DIRECTION,	  /* u32: enum lhv_snd_dir */
	LHV_SND_STREAM_ATTR_CHANNELS_MIN, /* u32: 1..LHV_SND_MAX_CHANNELS (1) */
	LHV_SND_STREAM_ATTR_CHANNELS_MAX, /* u32: >= CHANNELS_MIN (8) */
	/*
	 * u64: VIRTIO_SND_PCM_FMT_* bits (bit 5 S16, bit 17 S32, ...);
	 * only formats with a sample width (not ADPCM, DSD, IEC958)
	 * (S16|S32)
	 */
	LHV_SND_STREAM_ATTR_FORMATS,
	/* u64: VIRTIO_SND_PCM_RATE_* bits (bit 6 44100, bit 7 48000, ...) */
	LHV_SND_STREAM_ATTR_RATES,

	__LHV_SND_STREAM_ATTR_COUNT,
	LHV_SND_STREAM_ATTR_MAX = __LHV_SND_STREAM_ATTR_COUNT - 1,
};

/* A stream's direction as the guest sees it (VIRTIO_SND_D_*). */
enum lhv_snd_dir {
	LHV_SND_DIR_OUTPUT, /* guest playback: a capture PCM in the SOS */
	LHV_SND_DIR_INPUT,  /* guest capture: a playback PCM in the SOS */
};

#define LHV_SND_MAX_STREAMS 16
#define LHV_SND_MAX_CHANNELS 8 /* virtio allows 255; ALSA chmaps 18 */
#define LHV_SND_MAX_JACKS 8

enum lhv_hv_state {
	LHV_HV_ABSENT,	/* no hypervisor image loaded */
	LHV_HV_LOADED,	/* image loaded and verified, not entered */
	LHV_HV_RUNNING, /* every online CPU runs under the hypervisor */
	LHV_HV_FAILED,	/* enabling failed; see the kernel log */
};

/* Where the platform seed the hv holds came from (docs/hv.md, SEED). */
enum lhv_hv_seed {
	LHV_HV_SEED_NONE, /* none: LHV_HC_GET_VSEED answers -ENODATA */
	LHV_HV_SEED_BOOT, /* the bootloader's seed page (seed_addr) */
	LHV_HV_SEED_FILE, /* the development file lhv/seed.bin */
};

enum lhv_vm_state {
	LHV_VM_CREATED,
	LHV_VM_LOADED,
	LHV_VM_RUNNING,
	LHV_VM_STOPPED,
	LHV_VM_CRASHED,
};

#endif /* _UAPI_LHV_NETLINK_H */
