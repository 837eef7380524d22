/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * lhv_xhci: one emulated xHCI controller per `lhvctl` device add on a user
 * VM (docs/xhci.md, "The kernel module"). The guest-facing model is the
 * portable core of ../lib/xhci_*.c; this module gives it a PCI function on
 * the VM's virtual bus (pci.c) and runs it (hc.c): the controller lock,
 * the worker that calls xhci_process, interrupter moderation and MSI-X,
 * and guest memory.
 */
#ifndef LHV_XHCI_H
#define LHV_XHCI_H

#include <linux/hrtimer.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/wait.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include <lhv/netlink.h>

#include "lhv_vdev.h"
#include "bounce_budget.h"
#include "vpci.h"
#include "vpci_msix.h"
#include "xhci_hc.h"

struct lhv_xhci_port;
struct usb_device;

/* BAR 0/1: the registers (64-bit); BAR 2: MSI-X table and PBA. */
#define LHV_XHCI_REG_BAR 0
#define LHV_XHCI_MSIX_BAR 2
#define LHV_XHCI_MSIX_BAR_SIZE 0x1000
#define LHV_XHCI_PBA_OFF 0x800

/* What every controller offers the guest. */
#define LHV_XHCI_USB2_PORTS 4
#define LHV_XHCI_USB3_PORTS 4
#define LHV_XHCI_SLOTS 16
#define LHV_XHCI_INTRS 4

struct lhv_xhci {
	struct lhv_vdev vdev; /* nr_queues 0: registered as a PCI function */
	struct lhv_vpci_fn fn;
	struct lhv_vm *vm;

	/* Serialises every call into the core (xhci_hc.h). */
	struct mutex lock;
	struct xhci_hc *hc;
	struct work_struct process_work;
	bool dying; /* no more work or timers: the controller goes */

	/* Interrupter moderation: last MSI-X message and the timer. */
	struct lhv_xhci_intr {
		struct lhv_xhci *x;
		u64 last_ns;
		struct hrtimer timer;
	} intr[LHV_XHCI_INTRS];

	struct lhv_vpci_irq irq; /* MSI-X, one vector per interrupter */
	struct vpci_msix_entry table[LHV_XHCI_INTRS];
	u64 pba[1];

	/*
	 * The SOS ports assigned to the guest's port pairs (usb_port.c):
	 * ports[p] backs USB 2 port p and USB 3 port p + LHV_XHCI_USB2_PORTS.
	 * Changed under lhv_vm_lock and x->lock; read under either.
	 */
	struct lhv_xhci_port *ports[LHV_XHCI_USB2_PORTS + 1];

	/* Requests at the SOS USB core (urb.c). */
	struct lhv_xhci_usb {
		spinlock_t reqs_lock; /* reqs */
		struct list_head reqs;
		atomic_t inflight;
		wait_queue_head_t drained; /* woken at each completion */
	} usb;

	/* The SOS role switch the DRD capability drives (role.c). */
	struct lhv_xhci_drd {
		struct usb_role_switch *sw; /* NULL: no DRD capability */
		struct list_head node;	    /* lhv_xhci_roles, while held */
		char name[LHV_XHCI_ROLE_SWITCH_MAX];
		struct work_struct work;
		unsigned int want; /* the latest request; x->lock */
		u32 seq;
	} role;

	/* Isochronous TDs in batches, one URB each (isoch.c). */
	struct lhv_xhci_isoch {
		/* Gathering during xhci_process, sent after it; x->lock. */
		struct lhv_xhci_isoch_batch *open;
		struct list_head batches; /* sent, in order; x->lock */
		atomic_t playing;	  /* batches whose URB is not over */
		struct kobject *kobj;	  /* isoch/ under the vdev's */
		atomic64_t urbs, packets, bytes, missed, errors, killed;
		atomic64_t last_error; /* errno of the last failed URB */
	} isoch;

	/* Bounce buffers in flight against the budget (bounce.c). */
	struct lhv_xhci_bounce {
		spinlock_t lock; /* budget */
		struct bounce_budget budget;
		atomic_t retry;	      /* room again: xhci_xfer_retry */
		struct kobject *kobj; /* bounce/ under the vdev's */
	} bounce;

	atomic64_t irqs_sent;
	atomic64_t mem_faults;
};

/*
 * An SOS USB port given to a guest port pair (usb_port.c): claimed on
 * its hub, so the SOS's drivers keep off what is plugged in there.
 */
struct lhv_xhci_port {
	struct list_head node; /* lhv_xhci_ports, while notified */
	struct lhv_xhci *x;
	struct usb_device *hub; /* referenced */
	unsigned int hub_port;
	char path[LHV_XHCI_USB_PORT_MAX];
	u8 pair; /* guest USB 2 port; + LHV_XHCI_USB2_PORTS: USB 3 */
	/* x->lock: the device shown to the guest, and where. */
	struct usb_device *udev; /* referenced */
	u8 guest_port;
	bool adopting; /* taking over a device that was there already */
	struct work_struct reset_work; /* guest port reset: usb_reset_device */
};

static inline struct lhv_xhci *lhv_xhci_of_fn(struct lhv_vpci_fn *fn)
{
	return container_of(fn, struct lhv_xhci, fn);
}

/* main.c: the module's workqueue (xhci_process, URB completions). */
extern struct workqueue_struct *lhv_xhci_wq;

/* pci.c */
int lhv_xhci_pci_init(struct lhv_xhci *x);
void lhv_xhci_fire(struct lhv_xhci *x, unsigned int vector);

/* hc.c */
int lhv_xhci_hc_init(struct lhv_xhci *x);
void lhv_xhci_hc_stop(struct lhv_xhci *x);
void lhv_xhci_hc_free(struct lhv_xhci *x);
void lhv_xhci_hc_reset(struct lhv_xhci *x);
u64 lhv_xhci_mmio_read(struct lhv_xhci *x, u32 off, unsigned int size);
void lhv_xhci_mmio_write(struct lhv_xhci *x, u32 off, unsigned int size,
			 u64 val);
void lhv_xhci_kick(struct lhv_xhci *x);
int lhv_xhci_guest_read(struct lhv_xhci *x, u64 gpa, void *buf, size_t len);
int lhv_xhci_guest_write(struct lhv_xhci *x, u64 gpa, const void *buf,
			 size_t len);

/* usb_port.c: assigned SOS ports (changed under lhv_vm_lock) */
struct netlink_ext_ack;
struct lhv_xhci_port *lhv_xhci_port_assign(struct lhv_xhci *x, const char *path,
					   unsigned int guest_port,
					   struct netlink_ext_ack *extack);
void lhv_xhci_port_release(struct lhv_xhci_port *p);
struct lhv_xhci_port *lhv_xhci_port_find(const char *path);
/* Every assigned port in assignment order (lhv_vm_lock held). */
struct lhv_xhci_port *lhv_xhci_port_next(struct lhv_xhci_port *p);
/* The device shown on guest port port, or NULL; x->lock held. */
struct usb_device *lhv_xhci_port_dev(struct lhv_xhci *x, u8 port);
int lhv_xhci_op_port_reset(void *priv, u8 port, bool warm);
void lhv_xhci_usb_init(void);
void lhv_xhci_usb_exit(void);

/* usb_nl.c: LHV_CMD_USB_* for lhv.ko (struct lhv_backend) */
struct genl_info;
struct netlink_callback;
struct lhv_vm;
int lhv_xhci_nl_assign(struct lhv_vm *vm, struct genl_info *info);
int lhv_xhci_nl_release(struct genl_info *info);
int lhv_xhci_nl_dump(struct sk_buff *skb, struct netlink_callback *cb,
		     const char *vm_name);

/* urb.c: the backend ops that reach the device */
int lhv_xhci_op_control(void *priv, const struct xhci_xfer *xfer);
int lhv_xhci_op_submit(void *priv, const struct xhci_xfer *xfer);
int lhv_xhci_op_set_config(void *priv, const struct xhci_xfer *xfer, u8 value);
int lhv_xhci_op_set_interface(void *priv, const struct xhci_xfer *xfer, u8 intf,
			      u8 alt);
int lhv_xhci_op_clear_halt(void *priv, const struct xhci_xfer *xfer,
			   u8 ep_addr);
void lhv_xhci_op_cancel(void *priv, u32 id);
void lhv_xhci_urbs_drain(struct lhv_xhci *x);
/* Ends every request on udev (it leaves the guest) and waits for them. */
void lhv_xhci_urbs_kill(struct lhv_xhci *x, struct usb_device *udev);

/* role.c: the DRD capability's SOS role switch */
int lhv_xhci_role_get(struct lhv_xhci *x, const char *name,
		      struct netlink_ext_ack *extack);
void lhv_xhci_role_start(struct lhv_xhci *x);
unsigned int lhv_xhci_role_now(struct lhv_xhci *x);
void lhv_xhci_role_put(struct lhv_xhci *x);
void lhv_xhci_op_role_set(void *priv, unsigned int role, u32 seq);

u8 lhv_xhci_cc(int status);
/* Between a bounce buffer and a TD's guest segments (from its start). */
int lhv_xhci_segs_copy(struct lhv_xhci *x, const struct xhci_seg *segs,
		       unsigned int nr_segs, void *buf, u32 bytes,
		       bool to_guest);

/* isoch.c: isochronous TDs as isochronous URBs (urb.c, hc.c call it) */
int lhv_xhci_isoch_submit(struct lhv_xhci *x, const struct xhci_xfer *xfer);
void lhv_xhci_isoch_flush(struct lhv_xhci *x);
void lhv_xhci_isoch_cancel(struct lhv_xhci *x, u32 id);
void lhv_xhci_isoch_quiesce(struct lhv_xhci *x);
/* udev leaves the guest: its isoch URBs are killed, waited for. */
void lhv_xhci_isoch_kill(struct lhv_xhci *x, struct usb_device *udev);
extern const struct attribute_group lhv_xhci_isoch_group; /* isoch/ */

/* bounce.c: bounce buffers against the controller's budget */
void lhv_xhci_bounce_init(struct lhv_xhci *x);
/*
 * A buffer of len bytes, or ERR_PTR: -EAGAIN (not now: the op defers the
 * TD), -EFAULT (larger than the budget), -ENOMEM.
 */
void *lhv_xhci_bounce_alloc(struct lhv_xhci *x, u32 len);
u64 lhv_xhci_bounce_room(struct lhv_xhci *x);
/* Frees buf (may be NULL) and gives len back; may kick the worker. */
void lhv_xhci_bounce_free(struct lhv_xhci *x, void *buf, u32 len);
void lhv_xhci_bounce_retry(struct lhv_xhci *x);
extern const struct attribute_group lhv_xhci_bounce_group; /* bounce/ */

#endif /* LHV_XHCI_H */
