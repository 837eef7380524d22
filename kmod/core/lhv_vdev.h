/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The virtio device core of lhv.ko, as device backends (lhv_blk, lhv_snd,
 * lhv_heci) see it. A backend fills a struct lhv_vdev (type, features,
 * config size, queues, ops) and registers it on a VM; the core negotiates
 * features, owns the queues and their workers, and hides the transport
 * (loopback for the service VM, virtio-pci over ioreq for user VMs). A
 * device never knows its transport.
 *
 * Request flow: a queue's worker pops each available chain and hands it to
 * ops->handle_request; the backend completes it, possibly later and from
 * any context (bio completion), with lhv_vq_complete(). The core then
 * publishes the used buffer and notifies the driver unless it suppressed
 * the notification (EVENT_IDX).
 */
#ifndef LHV_VDEV_H
#define LHV_VDEV_H

#include <linux/atomic.h>
#include <linux/kthread.h>
#include <linux/kobject.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <net/genetlink.h>
#include <lhv/netlink.h>

#include "virtq.h"

struct lhv_vm;
struct lhv_vdev;
struct lhv_vq;
struct lhv_transport;
struct lhv_vpci_fn;
struct kthread_worker;

/* Per-queue statistics, in sysfs as <vm>/<dev>/queueN/<name>. */
struct lhv_vq_stats {
	atomic64_t requests;	  /* chains taken */
	atomic64_t bytes;	  /* payload bytes moved (backend-reported) */
	atomic64_t errors;	  /* requests completed with an error status */
	atomic64_t notifications; /* driver kicks received */
	atomic64_t interrupts;	  /* used-buffer notifications sent */
};

struct lhv_vq {
	struct lhv_vdev *vdev;
	unsigned int index;
	struct virtq ring;	  /* valid while the device is live */
	spinlock_t complete_lock; /* serialises lhv_vq_complete() */
	struct kthread_worker *worker;
	struct kthread_work work;
	struct virtq_seg *segs; /* chain buffer for the worker */
	bool ready;		/* driver enabled the queue */
	u32 size;		/* negotiated queue size */
	u64 desc, avail, used;	/* guest addresses of the areas */
	struct lhv_vq_stats stats;
	struct kobject kobj; /* sysfs: queueN */
	void *backend;	     /* free for the backend */
};

struct lhv_vdev_ops {
	/* Device config space: read/write len bytes at off (bounds checked). */
	void (*get_config)(struct lhv_vdev *vdev, unsigned int off, void *buf,
			   unsigned int len);
	/* Optional: the driver wrote config (e.g. virtio-blk's wce). */
	void (*set_config)(struct lhv_vdev *vdev, unsigned int off,
			   const void *buf, unsigned int len);
	/* DRIVER_OK: the negotiated features are in vdev->features. */
	int (*start)(struct lhv_vdev *vdev);
	/*
	 * Reset or removal: when this returns, no request of the device is
	 * in flight and the backend calls lhv_vq_complete() no more.
	 */
	void (*stop)(struct lhv_vdev *vdev);
	/*
	 * One available chain. The backend must call lhv_vq_complete() for
	 * chain->head exactly once. chain->segs is valid only during the
	 * call; the buffers it points to stay mapped until completion.
	 */
	void (*handle_request)(struct lhv_vq *vq,
			       const struct virtq_chain *chain);
};

struct lhv_vdev {
	/* Filled by the backend before lhv_vdev_register(). */
	u32 device_id;	     /* VIRTIO_ID_*, e.g. 2 for block */
	u64 device_features; /* device-specific bits offered */
	unsigned int config_size;
	unsigned int nr_queues;
	unsigned int queue_max_size; /* power of 2 */
	/* Most segments of a chain (>= 2); a buffer may give several. */
	unsigned int max_segs;
	const struct lhv_vdev_ops *ops;
	void *priv; /* the backend's device */

	/* Owned by the core. */
	struct lhv_vm *vm;
	u32 id; /* unique within the VM */
	char name[LHV_DEV_NAME_MAX];
	u64 features; /* negotiated (driver-accepted) features */
	u8 status;    /* VIRTIO_CONFIG_S_* as the driver set it */
	struct lhv_vq *vqs;
	const struct lhv_transport *transport;
	void *transport_priv;
	struct mutex lock;   /* status changes, start/stop */
	struct kobject kobj; /* sysfs: /sys/class/lhv/<vm>/<name> */
	struct list_head vm_node;
	const struct lhv_backend *backend;
	/* A device that is its own PCI function (lhv_vdev_register_pci). */
	struct lhv_vpci_fn *pci_fn;

	/* Core-private state (added for vdev.c; backends ignore it). */
	u64 driver_features; /* what the driver accepted, pre FEATURES_OK */
	bool live;	     /* queues are serviced (DRIVER_OK, no reset due) */
	bool started;	     /* ops->start succeeded, ops->stop owed */
	bool registered;     /* sysfs and transport are set up */
	spinlock_t reset_lock; /* needs_reset, needs_reset_why */
	bool needs_reset;      /* DEVICE_NEEDS_RESET (0x40) reported */
	char needs_reset_why[64];
};

/*
 * Attach vdev to vm: picks its id and name ("<prefix><n>"), creates its
 * sysfs directory and exposes it through the VM's transport (for the
 * service VM: registers it on the Service OS's virtio bus). Returns 0 or a
 * negative errno.
 */
int lhv_vdev_register(struct lhv_vdev *vdev, struct lhv_vm *vm,
		      const char *name_prefix);
/* Detach: the driver goes away, the device is stopped, sysfs removed. */
void lhv_vdev_unregister(struct lhv_vdev *vdev);

/*
 * A user VM device that is not virtio (lhv_xhci): it brings its own
 * function for the VM's virtual PCI bus (vpci.h), set up with
 * lhv_vpci_fn_init and its capabilities. Registering gives vdev its id,
 * name and sysfs directory and puts fn on the bus; vdev has no queues
 * (nr_queues 0) and no transport. Only for a user VM that is not running
 * (the netlink layer checks). Returns 0 or a negative errno.
 */
int lhv_vdev_register_pci(struct lhv_vdev *vdev, struct lhv_vm *vm,
			  const char *name_prefix, struct lhv_vpci_fn *fn);
/* Takes the function off the bus (no guest access follows), sysfs, list. */
void lhv_vdev_unregister_pci(struct lhv_vdev *vdev);

/*
 * Give chain head back to the driver with written bytes written into its
 * buffers; counts bytes and (if error) an error in the queue's
 * statistics. Any context. Notifies the driver unless suppressed.
 */
void lhv_vq_complete(struct lhv_vq *vq, u16 head, u32 written, u64 bytes,
		     bool error);

/*
 * The device found the driver's ring or request broken beyond a status
 * reply: sets DEVICE_NEEDS_RESET, stops the queues and tells the driver
 * (config change). The device then waits for a reset.
 */
void lhv_vdev_needs_reset(struct lhv_vdev *vdev, const char *why);

/* Signal a device config change to the driver (e.g. capacity). */
void lhv_vdev_config_changed(struct lhv_vdev *vdev);

/*
 * A device type's backend module, for the netlink DEV_ADD/DEL/GET
 * commands. The core parses LHV_ATTR_DEV_CONFIG against policy (maxattr)
 * before calling create, so create sees validated attributes.
 */
struct lhv_backend {
	u32 type;	  /* enum lhv_dev_type */
	const char *name; /* "blk" */
	struct module *owner;
	const struct nla_policy *policy;
	unsigned int maxattr;
	/* Create and register a device on vm; ERR_PTR with extack on error. */
	struct lhv_vdev *(*create)(struct lhv_vm *vm, struct nlattr **cfg,
				   struct netlink_ext_ack *extack);
	/* Unregister and free a device create() made. */
	void (*destroy)(struct lhv_vdev *vdev);
	/* Put the device's configuration as attributes of enum type. */
	int (*fill_config)(struct sk_buff *msg, struct lhv_vdev *vdev);
	/*
	 * Optional, LHV_DEV_XHCI only: SOS USB port assignment, the
	 * LHV_CMD_USB_* requests (netlink_usb.c checked the required
	 * attributes). assign (vm found, its controllers stable) and
	 * release run under lhv_dev_mutex and lhv_vm_lock and answer the
	 * request themselves; dump runs under lhv_vm_lock.
	 */
	int (*usb_assign)(struct lhv_vm *vm, struct genl_info *info);
	int (*usb_release)(struct genl_info *info);
	int (*usb_dump)(struct sk_buff *skb, struct netlink_callback *cb,
			const char *vm_name);
	struct list_head node;
};

/*
 * Register a backend; the module is then loaded on demand as
 * "lhv-dev-<name>" (MODULE_ALIAS). Unregistering destroys every device
 * it still has, on every VM.
 */
int lhv_backend_register(struct lhv_backend *backend);
void lhv_backend_unregister(struct lhv_backend *backend);

#endif /* LHV_VDEV_H */
