/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The dual-role (DRD) mux of the emulated xHCI: a vendor-defined extended
 * capability laid out like Intel's (capability ID 192, DUAL_ROLE_CFG0 and
 * DUAL_ROLE_CFG1 at +0x68 and +0x6c, the layout Linux's
 * intel-xhci-usb-role-switch driver programs), plus one register of lhv's
 * own at +0x70 that tells the whole story of the last request. A role the
 * guest writes goes to the backend (ops->role_set); the backend reports the
 * SOS switch's role back (xhci_drd_role_done, xhci_drd_role_now), and that
 * is what CFG1 and ROLE_STATUS show. docs/xhci.md, "Dual role".
 */
#ifndef LHV_LIB_XHCI_DRD_H
#define LHV_LIB_XHCI_DRD_H

#include "portable.h"

/* Where the capability sits in the BAR, and the window it spans. */
#define XHCI_DRD_CAP 0x800u
#define XHCI_DRD_CAP_SIZE 0x400u
#define XHCI_EXT_CAP_VENDOR_DRD 192u

/* Registers, offsets from XHCI_DRD_CAP. */
#define XHCI_DRD_CFG0 0x68u
#define XHCI_DRD_CFG1 0x6cu
#define XHCI_DRD_STATUS 0x70u

/* DUAL_ROLE_CFG0: the role software asks for. */
#define XHCI_DRD_SW_SWITCH_METHOD (1u << 19)
#define XHCI_DRD_SW_IDPIN (1u << 20)
#define XHCI_DRD_SW_IDPIN_EN (1u << 21)
#define XHCI_DRD_SW_VBUS_VALID (1u << 24)
#define XHCI_DRD_CFG0_RW                                                       \
	(XHCI_DRD_SW_SWITCH_METHOD | XHCI_DRD_SW_IDPIN |                       \
	 XHCI_DRD_SW_IDPIN_EN | XHCI_DRD_SW_VBUS_VALID)

/* DUAL_ROLE_CFG1 (read-only): the port is in host mode. */
#define XHCI_DRD_HOST_MODE (1u << 29)

/* ROLE_STATUS (lhv, read-only). */
#define XHCI_DRD_STATUS_ROLE 0x3u	   /* the switch's role, enum below */
#define XHCI_DRD_STATUS_REFUSED (1u << 29) /* the last CFG0 write was refused */
#define XHCI_DRD_STATUS_FAILED (1u << 30)  /* the SOS refused the last role */
#define XHCI_DRD_STATUS_PENDING (1u << 31) /* a role is on its way */

/* Roles, numbered as Linux's enum usb_role. */
enum xhci_role {
	XHCI_ROLE_NONE,
	XHCI_ROLE_HOST,
	XHCI_ROLE_DEVICE,
	XHCI_ROLE_COUNT
};

struct xhci_drd {
	uint32_t cfg0;	 /* as the guest last wrote it (accepted bits) */
	uint32_t seq;	 /* of the last request given to ops->role_set */
	uint8_t actual;	 /* the switch's role as the backend reported it */
	bool pending;	 /* the request seq is not done yet */
	bool failed;	 /* the backend could not set the last role */
	bool refused;	 /* the last CFG0 write was malformed */
	uint32_t nr_set; /* requests given to the backend */
	uint32_t nr_refused;
};

/* xhci_drd_cfg0_role: CFG0 asks for no role (SW_IDPIN_EN clear). */
#define XHCI_DRD_NO_REQUEST (-1)

/*
 * The role a CFG0 value asks for: XHCI_ROLE_*, XHCI_DRD_NO_REQUEST, or
 * -EINVAL when it is malformed (ID pin low, i.e. host, while VBUS is said
 * to come from outside).
 */
int xhci_drd_cfg0_role(uint32_t cfg0);

#endif /* LHV_LIB_XHCI_DRD_H */
