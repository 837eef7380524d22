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
#include "vpci.h"
#include "vpci_msix.h"
#include "xhci_hc.h"

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

	/* The SOS port forwarded to the guest (usb_port.c, urb.c). */
	struct lhv_xhci_usb {
		struct list_head node;	/* lhv_xhci_ports, while claimed */
		struct usb_device *hub; /* NULL: no port forwarded */
		unsigned int hub_port;
		char path[LHV_XHCI_USB_PORT_MAX];
		struct usb_device *udev; /* plugged in there; x->lock */
		u8 guest_port;
		spinlock_t reqs_lock; /* reqs */
		struct list_head reqs;
		atomic_t inflight;
		wait_queue_head_t drained;
	} usb;

	/* Isochronous TDs in batches, one URB each (isoch.c). */
	struct lhv_xhci_isoch {
		/* Gathering during xhci_process, sent after it; x->lock. */
		struct lhv_xhci_isoch_batch *open;
		struct list_head batches; /* sent, in order; x->lock */
		atomic_t playing;	  /* batches whose URB is not over */
		struct kobject *kobj;	  /* isoch/ under the vdev's */
		atomic64_t urbs, packets, bytes, missed, errors;
		atomic64_t last_error; /* errno of the last failed URB */
	} isoch;

	atomic64_t irqs_sent;
	atomic64_t mem_faults;
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

/* usb_port.c */
struct netlink_ext_ack;
int lhv_xhci_port_claim(struct lhv_xhci *x, const char *path,
			struct netlink_ext_ack *extack);
void lhv_xhci_port_unlist(struct lhv_xhci *x);
void lhv_xhci_port_release(struct lhv_xhci *x);
void lhv_xhci_usb_init(void);
void lhv_xhci_usb_exit(void);

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
int lhv_xhci_isoch_sysfs_add(struct lhv_xhci *x);
void lhv_xhci_isoch_sysfs_del(struct lhv_xhci *x);

#endif /* LHV_XHCI_H */
