/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * An emulated xHCI host controller (xHCI 1.2) as Linux's xhci_hcd drives
 * it: the controller state, the calls the kernel module makes into it and
 * the backend ops it calls out. Portable core: no kernel headers; guest
 * memory only through struct xhci_mem. docs/xhci.md describes the model,
 * the completion codes for malformed input and the limits.
 *
 * The caller serialises every call on one controller (one lock); ops are
 * called with that lock held and must not call back into the core: they
 * return, and the module reports results later through xhci_xfer_done,
 * xhci_cmd_done and xhci_port_reset_done.
 *
 * Work model: xhci_mmio_write does register work at once (HCRST, R/S,
 * CRCR stop and abort) but only latches doorbells and port resets;
 * xhci_process runs the command ring, the rung endpoints and the port
 * resets, about XHCI_PROCESS_BUDGET TRBs per call (it finishes the TD it
 * is reading), and returns true when work is left (call it again). After
 * any call the module asks xhci_intr_want for each interrupter and,
 * subject to its moderation timer (xhci_intr_moderation_ns), calls
 * xhci_intr_assert and sends the MSI-X message when that returns true.
 */
#ifndef LHV_LIB_XHCI_HC_H
#define LHV_LIB_XHCI_HC_H

#include "portable.h"
#include "xhci_trb.h"
#include "xhci_ring.h"
#include "xhci_ctx.h"
#include "xhci_drd.h"

#define XHCI_MAX_SLOTS 16u
#define XHCI_MAX_PORTS 15u
#define XHCI_MAX_INTRS 4u
/*
 * TDs of one endpoint handed to the backend and not completed yet: 32
 * holds the whole queue of Linux's snd-usb-audio at full speed (about 18
 * ms, one TD each), which 16 cut short (docs/xhci.md, "Isochronous").
 */
#define XHCI_EP_INFLIGHT 32u
/* TRBs (other than Link) one TD may have. */
#define XHCI_TD_MAX_TRBS 256u
/* TRBs one xhci_process call handles over all rings. */
#define XHCI_PROCESS_BUDGET 1024u
/* Bytes of the MMIO BAR. */
#define XHCI_BAR_SIZE 0x4000u

struct xhci_config {
	uint8_t nr_usb2_ports; /* ports 1..nr_usb2_ports speak USB 2 */
	uint8_t nr_usb3_ports; /* the next nr_usb3_ports speak USB 3 */
	uint8_t max_slots;     /* 1..XHCI_MAX_SLOTS */
	uint8_t nr_intrs;      /* 1..XHCI_MAX_INTRS */
	bool ctx64;	       /* CSZ=1: 64-byte contexts */
	bool drd;	       /* the DRD capability (needs ops->role_set) */
};

/* One buffer of a TD: gpa/len, or with immediate len <= 8 bytes in gpa. */
struct xhci_seg {
	uint64_t gpa;
	uint32_t len;
	bool immediate;
};

/* A TD handed to the backend; valid only during the op call. */
struct xhci_xfer {
	uint32_t id; /* for xhci_xfer_done and ops->cancel */
	uint8_t port, slot, dci;
	uint8_t ep_addr; /* USB endpoint address, 0x80 set for IN */
	uint8_t ep_type; /* XHCI_EP_* */
	uint16_t max_packet;
	uint8_t interval; /* endpoint context encoding */
	bool in;
	bool has_setup; /* control: setup holds the 8-byte SETUP packet */
	uint8_t setup[8];
	bool isoch_asap;   /* Isoch TRB SIA */
	uint16_t frame_id; /* Isoch TRB Frame ID when not ASAP */
	/* Isoch: frames from now to frame_id (not ASAP; 0..895). */
	uint16_t frame_delay;
	uint32_t isoch_esit; /* isoch: bytes per service interval */
	uint32_t len;	     /* sum of the data segments */
	unsigned int nr_segs;
	const struct xhci_seg *segs;
};

/* A command the backend may carry out after the core checked it. */
struct xhci_cmd_req {
	uint32_t seq; /* for xhci_cmd_done */
	uint8_t type; /* Address Device, Configure EP or Reset Device */
	uint8_t slot, port;
	bool bsr, deconfigure;
	const struct xhci_input_ctx *in; /* Address Device, Configure EP */
};

/*
 * What the kernel module implements. Every op may be NULL except submit
 * and control (and role_set with cfg.drd). Transfer ops return 0 when the TD is accepted (the module
 * later calls xhci_xfer_done with xfer->id) or, for a TD that failed at
 * once, -EPIPE (stall), -EFAULT (guest buffer unusable: Data Buffer
 * Error) or another negative errno (USB Transaction Error). -EAGAIN:
 * not now (out of buffers); the TD stays on the ring and the endpoint
 * fetches nothing until the backend calls xhci_xfer_retry.
 */
struct xhci_backend_ops {
	/* A control TD on EP0 other than the requests below. */
	int (*control)(void *priv, const struct xhci_xfer *xfer);
	/* SET_CONFIGURATION, SET_INTERFACE, CLEAR_FEATURE(ENDPOINT_HALT). */
	int (*set_config)(void *priv, const struct xhci_xfer *xfer,
			  uint8_t value);
	int (*set_interface)(void *priv, const struct xhci_xfer *xfer,
			     uint8_t intf, uint8_t alt);
	int (*clear_halt)(void *priv, const struct xhci_xfer *xfer,
			  uint8_t ep_addr);
	/* A bulk, interrupt or isochronous TD. */
	int (*submit)(void *priv, const struct xhci_xfer *xfer);
	/* Cancel the TD id; xhci_xfer_done still follows (any code). */
	void (*cancel)(void *priv, uint32_t id);
	/*
	 * Reset the device on port (warm: a USB 3 warm reset). Returns 0 when
	 * done, 1 when xhci_port_reset_done follows, <0 when it failed.
	 */
	int (*port_reset)(void *priv, uint8_t port, bool warm);
	/*
	 * A checked Address Device, Configure Endpoint or Reset Device.
	 * Returns a completion code, or -EINPROGRESS when xhci_cmd_done
	 * follows with req->seq. NULL: every such command succeeds.
	 */
	int (*command)(void *priv, const struct xhci_cmd_req *req);
	/* A monotonic clock for MFINDEX; NULL: MFINDEX reads 0. */
	uint64_t (*now_ns)(void *priv);
	/*
	 * The guest asks for role (XHCI_ROLE_*) through the DRD capability;
	 * xhci_drd_role_done follows with seq. A later request may come
	 * first: the backend may carry out only the latest.
	 */
	void (*role_set)(void *priv, unsigned int role, uint32_t seq);
};

/* One TD the backend holds, in ring order. */
struct xhci_inflight {
	uint64_t end; /* ring position after the TD: dequeue | cycle */
	uint32_t id;
	uint32_t len;
	uint32_t actual;
	uint16_t nr_trbs; /* TRBs other than Link */
	uint8_t cc;
	bool done;
};

struct xhci_ep {
	struct xhci_ep_ctx ctx; /* state and dequeue kept in the fields */
	struct xhci_ring ring;	/* next TRB to fetch */
	uint64_t head_start;	/* ring position of the oldest in-flight TD */
	uint64_t rewind;	/* where fetching resumes after a drain */
	bool draining;		/* dropping in-flight TDs after halt/stop */
	bool stop_pending;	/* a Stop Endpoint waits for the in-flight */
	bool kicked;		/* the ring wants a look */
	bool doorbell;		/* rung by the guest (restarts Stopped) */
	bool error_queued;	/* a TRB Error waits behind in-flight TDs */
	bool deferred;		/* the backend said -EAGAIN: wait for retry */
	uint8_t head, count;
	struct xhci_inflight inflight[XHCI_EP_INFLIGHT];
};

struct xhci_slot {
	bool enabled;
	struct xhci_slot_ctx ctx;
	uint64_t dev_ctx; /* output device context (DCBAA entry) */
	uint8_t port;	  /* root port once addressed, else 0 */
	struct xhci_ep ep[XHCI_MAX_DCI + 1];
};

struct xhci_port {
	uint32_t portsc;
	uint32_t pmsc, hlpmc;
	bool usb3;
	bool connected;
	uint8_t speed;
	bool reset_latched; /* PR/WPR written, reset not started */
	bool reset_warm;
	bool reset_busy; /* the backend is resetting */
};

struct xhci_intr {
	uint32_t iman, imod, erstsz;
	uint64_t erstba, erdp;
	struct xhci_event_ring er;
	bool irq_request; /* an event wants an interrupt */
};

struct xhci_cmd_state {
	bool pending;	 /* waiting for the backend or a Stop Endpoint */
	bool stop_after; /* CRCR.CS while pending: stop once it completes */
	uint32_t seq;
	uint64_t gpa;
	struct xhci_trb trb;
	struct xhci_input_ctx in;
	uint64_t dev_ctx; /* Address Device: the DCBAA entry */
};

struct xhci_hc {
	struct xhci_config cfg;
	struct xhci_mem mem;
	const struct xhci_backend_ops *ops;
	void *priv;

	uint32_t usbcmd, usbsts, dnctrl, config;
	uint64_t dcbaap;
	struct xhci_ring cmd_ring;
	bool crr;	 /* command ring running */
	bool cmd_kicked; /* doorbell 0 rung */
	struct xhci_cmd_state cmd;
	uint64_t run_start_ns;
	uint32_t next_id;

	struct xhci_port port[XHCI_MAX_PORTS + 1]; /* [1..nr_ports] */
	struct xhci_intr intr[XHCI_MAX_INTRS];
	struct xhci_slot slot[XHCI_MAX_SLOTS + 1]; /* [1..max_slots] */
	struct xhci_seg segs[XHCI_TD_MAX_TRBS];	   /* TD being handed out */
	struct xhci_drd drd;			   /* cfg.drd: the role mux */
};

/*
 * Set x up as after power-on (halted, ports empty). Returns 0, or -EINVAL
 * for a configuration outside the limits above or missing ops.
 */
int xhci_init(struct xhci_hc *x, const struct xhci_config *cfg,
	      const struct xhci_mem *mem, const struct xhci_backend_ops *ops,
	      void *priv);

/* Host controller reset (HCRST): every TD is cancelled, slots freed. */
void xhci_reset(struct xhci_hc *x);

static inline unsigned int xhci_nr_ports(const struct xhci_hc *x)
{
	return x->cfg.nr_usb2_ports + x->cfg.nr_usb3_ports;
}

/*
 * MMIO in the BAR at off, size 1, 2, 4 or 8 bytes, any alignment: reads
 * outside registers give 0, writes there are ignored; other sizes read 0
 * and write nothing.
 */
uint64_t xhci_mmio_read(struct xhci_hc *x, uint32_t off, unsigned int size);
void xhci_mmio_write(struct xhci_hc *x, uint32_t off, unsigned int size,
		     uint64_t val);

/* Run latched work; true when some is left. */
bool xhci_process(struct xhci_hc *x);

/*
 * A device appears on port at speed (XHCI_SPEED_*: SuperSpeed ones on USB 3
 * ports only, the others on USB 2 ports) or goes away. Returns 0 or
 * -EINVAL.
 */
int xhci_port_connect(struct xhci_hc *x, unsigned int port, unsigned int speed);
int xhci_port_disconnect(struct xhci_hc *x, unsigned int port);
/* The backend finished a port reset it returned 1 for. */
void xhci_port_reset_done(struct xhci_hc *x, unsigned int port, bool ok);

/*
 * The backend finished TD id on slot/dci with cc (XHCI_CC_SUCCESS,
 * _STALL, _USB_TRANSACTION, _BABBLE, _DATA_BUFFER, _MISSED_SERVICE, or
 * _STOPPED after a cancel) having moved actual bytes. Success with fewer
 * bytes than the TD is a short packet. Unknown ids are ignored.
 */
void xhci_xfer_done(struct xhci_hc *x, unsigned int slot, unsigned int dci,
		    uint32_t id, uint8_t cc, uint32_t actual);

/*
 * The backend has room again: endpoints whose TD it deferred (-EAGAIN)
 * fetch it again at the next xhci_process.
 */
void xhci_xfer_retry(struct xhci_hc *x);

/* The backend finished command seq with completion code cc. */
void xhci_cmd_done(struct xhci_hc *x, uint32_t seq, uint8_t cc);

/*
 * The backend carried out (ok) or failed role request seq; role is the
 * switch's role now. A stale seq only updates the role.
 */
void xhci_drd_role_done(struct xhci_hc *x, uint32_t seq, unsigned int role,
			bool ok);
/* The switch's role changed (or is first known) outside any request. */
void xhci_drd_role_now(struct xhci_hc *x, unsigned int role);

/* Interrupter i has an event to signal and is not busy (EHB clear). */
bool xhci_intr_want(const struct xhci_hc *x, unsigned int i);
/* IMOD interval of interrupter i in ns (0: no moderation). */
uint32_t xhci_intr_moderation_ns(const struct xhci_hc *x, unsigned int i);
/*
 * Raise interrupter i (IP, EHB, USBSTS.EINT). Returns true when the
 * module must send its MSI-X message (IE and USBCMD.INTE set); IP is then
 * cleared as for MSI delivery.
 */
bool xhci_intr_assert(struct xhci_hc *x, unsigned int i);

#endif /* LHV_LIB_XHCI_HC_H */
