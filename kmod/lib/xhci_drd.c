// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The dual-role mux capability (xhci_drd.h). The guest asks for a role by
 * writing DUAL_ROLE_CFG0 as Intel's driver does: SW_IDPIN_EN takes the ID
 * pin under software control, SW_IDPIN low means host (an A-plug), high
 * means device when SW_VBUS_VALID says a host powers the bus, else no
 * role. Each change of the asked role goes to the backend at once; the
 * switch is slow (it may sleep), so the result comes back later and only
 * then moves CFG1.HOST_MODE, the way real hardware lags behind the write.
 */
#include "xhci_core.h"

int xhci_drd_cfg0_role(uint32_t cfg0)
{
	bool id_high = cfg0 & XHCI_DRD_SW_IDPIN;
	bool vbus = cfg0 & XHCI_DRD_SW_VBUS_VALID;

	if (!(cfg0 & XHCI_DRD_SW_IDPIN_EN))
		return XHCI_DRD_NO_REQUEST;
	if (!id_high)
		return vbus ? -EINVAL : XHCI_ROLE_HOST;
	return vbus ? XHCI_ROLE_DEVICE : XHCI_ROLE_NONE;
}

uint32_t xhci_drd_read(const struct xhci_hc *x, uint32_t off)
{
	const struct xhci_drd *d = &x->drd;

	switch (off) {
	case 0:
		/* The last capability: Next 0. */
		return XHCI_EXT_CAP_VENDOR_DRD;
	case XHCI_DRD_CFG0:
		return d->cfg0;
	case XHCI_DRD_CFG1:
		return d->actual == XHCI_ROLE_HOST ? XHCI_DRD_HOST_MODE : 0;
	case XHCI_DRD_STATUS:
		return d->actual | (d->refused ? XHCI_DRD_STATUS_REFUSED : 0) |
		       (d->failed ? XHCI_DRD_STATUS_FAILED : 0) |
		       (d->pending ? XHCI_DRD_STATUS_PENDING : 0);
	default:
		return 0;
	}
}

void xhci_drd_write(struct xhci_hc *x, uint32_t off, uint32_t val,
		    uint32_t mask)
{
	struct xhci_drd *d = &x->drd;
	uint32_t cfg0;
	int role;

	if (off != XHCI_DRD_CFG0)
		return; /* the rest is read-only */
	cfg0 = xhci_merge32(d->cfg0, val, mask & XHCI_DRD_CFG0_RW);
	role = xhci_drd_cfg0_role(cfg0);
	if (role == -EINVAL) {
		/* Keep the last good value: the switch never sees it. */
		d->refused = true;
		d->nr_refused++;
		return;
	}
	d->refused = false;
	/*
	 * Rewriting the role already asked for (a read-modify-write) is no
	 * news, unless the SOS failed it: then it is a retry.
	 */
	if (role != XHCI_DRD_NO_REQUEST &&
	    (role != xhci_drd_cfg0_role(d->cfg0) || d->failed)) {
		d->seq++;
		d->pending = true;
		d->failed = false;
		d->nr_set++;
		x->ops->role_set(x->priv, (unsigned int)role, d->seq);
	}
	d->cfg0 = cfg0;
}

void xhci_drd_role_done(struct xhci_hc *x, uint32_t seq, unsigned int role,
			bool ok)
{
	struct xhci_drd *d = &x->drd;

	if (!x->cfg.drd)
		return;
	if (role < XHCI_ROLE_COUNT)
		d->actual = (uint8_t)role;
	if (d->pending && seq == d->seq) {
		d->pending = false;
		d->failed = !ok;
	}
}

void xhci_drd_role_now(struct xhci_hc *x, unsigned int role)
{
	if (x->cfg.drd && role < XHCI_ROLE_COUNT)
		x->drd.actual = (uint8_t)role;
}
