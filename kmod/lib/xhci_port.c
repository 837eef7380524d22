// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * xHCI root hub ports (xHCI 1.2, 4.19, 5.4.8): PORTSC with its RW1C change
 * bits, connect and disconnect from the backend, port reset and link
 * state writes. USB 2 ports wait in Polling after a connect until the
 * guest resets them; USB 3 ports train at once and are enabled in U0.
 * Each 0-to-1 change bit posts a Port Status Change Event and sets
 * USBSTS.PCD.
 */
#include "xhci_core.h"

#define PORT_REG_SIZE 0x10u

static uint32_t with_pls(uint32_t portsc, uint32_t pls)
{
	return (portsc & ~XHCI_PORTSC_PLS) | pls << XHCI_PORTSC_PLS_SHIFT;
}

static uint32_t pls_of(uint32_t portsc)
{
	return (portsc & XHCI_PORTSC_PLS) >> XHCI_PORTSC_PLS_SHIFT;
}

static void port_change(struct xhci_hc *x, unsigned int n, uint32_t bits)
{
	struct xhci_port *p = &x->port[n];
	uint32_t fresh = bits & ~p->portsc & XHCI_PORTSC_CHANGE;

	p->portsc |= bits;
	if (!fresh)
		return;
	x->usbsts |= XHCI_STS_PCD;
	xhci_post_event(x, 0, xhci_event_port((uint8_t)n), false);
}

/* The state a device just plugged in leaves the port in. */
static void port_attach(struct xhci_port *p)
{
	p->portsc = XHCI_PORTSC_PP | XHCI_PORTSC_CCS |
		    (uint32_t)p->speed << XHCI_PORTSC_SPEED_SHIFT;
	if (p->usb3)
		p->portsc = with_pls(p->portsc | XHCI_PORTSC_PED, XHCI_PLS_U0);
	else
		p->portsc = with_pls(p->portsc, XHCI_PLS_POLLING);
}

void xhci_ports_reset(struct xhci_hc *x)
{
	unsigned int n;

	for (n = 1; n <= xhci_nr_ports(x); n++) {
		struct xhci_port *p = &x->port[n];

		p->usb3 = n > x->cfg.nr_usb2_ports;
		p->pmsc = 0;
		p->hlpmc = 0;
		p->reset_latched = false;
		p->reset_warm = false;
		p->reset_busy = false;
		if (p->connected) {
			port_attach(p);
			p->portsc |= XHCI_PORTSC_CSC;
		} else {
			p->portsc =
				with_pls(XHCI_PORTSC_PP, XHCI_PLS_RX_DETECT);
		}
	}
}

int xhci_port_connect(struct xhci_hc *x, unsigned int n, unsigned int speed)
{
	struct xhci_port *p;
	bool super;

	if (!n || n > xhci_nr_ports(x))
		return -EINVAL;
	p = &x->port[n];
	super = speed == XHCI_SPEED_SUPER || speed == XHCI_SPEED_SUPER_PLUS;
	if (speed < XHCI_SPEED_FULL || speed > XHCI_SPEED_SUPER_PLUS ||
	    super != p->usb3)
		return -EINVAL;
	p->connected = true;
	p->speed = (uint8_t)speed;
	p->reset_latched = false;
	p->reset_busy = false;
	port_attach(p);
	port_change(x, n, XHCI_PORTSC_CSC);
	return 0;
}

int xhci_port_disconnect(struct xhci_hc *x, unsigned int n)
{
	struct xhci_port *p;

	if (!n || n > xhci_nr_ports(x))
		return -EINVAL;
	p = &x->port[n];
	p->connected = false;
	p->speed = 0;
	p->reset_latched = false;
	p->reset_busy = false;
	p->portsc &= ~(XHCI_PORTSC_CCS | XHCI_PORTSC_PED | XHCI_PORTSC_PR |
		       XHCI_PORTSC_SPEED);
	p->portsc = with_pls(p->portsc, XHCI_PLS_RX_DETECT);
	port_change(x, n, XHCI_PORTSC_CSC);
	return 0;
}

static void reset_finish(struct xhci_hc *x, unsigned int n, bool ok)
{
	struct xhci_port *p = &x->port[n];
	uint32_t change = XHCI_PORTSC_PRC;

	if (p->reset_warm)
		change |= XHCI_PORTSC_WRC;
	p->reset_busy = false;
	p->portsc &= ~XHCI_PORTSC_PR;
	if (ok && p->connected)
		p->portsc = with_pls(p->portsc | XHCI_PORTSC_PED, XHCI_PLS_U0);
	else
		p->portsc &= ~XHCI_PORTSC_PED;
	port_change(x, n, change);
}

void xhci_port_reset_done(struct xhci_hc *x, unsigned int n, bool ok)
{
	if (n && n <= xhci_nr_ports(x) && x->port[n].reset_busy)
		reset_finish(x, n, ok);
}

void xhci_ports_process(struct xhci_hc *x)
{
	unsigned int n;

	for (n = 1; n <= xhci_nr_ports(x); n++) {
		struct xhci_port *p = &x->port[n];
		int ret = 0;

		if (!p->reset_latched)
			continue;
		p->reset_latched = false;
		p->reset_busy = true;
		if (x->ops->port_reset)
			ret = x->ops->port_reset(x->priv, (uint8_t)n,
						 p->reset_warm);
		if (ret != 1)
			reset_finish(x, n, ret == 0);
	}
}

void xhci_ports_announce(struct xhci_hc *x)
{
	unsigned int n;

	for (n = 1; n <= xhci_nr_ports(x); n++)
		if (x->port[n].portsc & XHCI_PORTSC_CHANGE)
			xhci_post_event(x, 0, xhci_event_port((uint8_t)n),
					false);
}

uint32_t xhci_port_read(const struct xhci_hc *x, uint32_t off)
{
	unsigned int n = off / PORT_REG_SIZE + 1;
	const struct xhci_port *p;

	if (n > xhci_nr_ports(x))
		return 0;
	p = &x->port[n];
	switch (off % PORT_REG_SIZE) {
	case XHCI_PORTSC:
		return p->portsc;
	case XHCI_PORTPMSC:
		return p->pmsc;
	case XHCI_PORTHLPMC:
		return p->hlpmc;
	default:
		return 0;
	}
}

/* A link state write (LWS set); only U0, U3 and (USB 2) Resume act. */
static void write_link_state(struct xhci_hc *x, unsigned int n, uint32_t pls)
{
	struct xhci_port *p = &x->port[n];
	uint32_t old = pls_of(p->portsc);

	if (!(p->portsc & XHCI_PORTSC_PED))
		return;
	if (pls == XHCI_PLS_U3 && old == XHCI_PLS_U0) {
		p->portsc = with_pls(p->portsc, XHCI_PLS_U3);
	} else if (pls == XHCI_PLS_RESUME && !p->usb3 && old == XHCI_PLS_U3) {
		p->portsc = with_pls(p->portsc, XHCI_PLS_RESUME);
	} else if (pls == XHCI_PLS_U0 &&
		   (old == XHCI_PLS_U3 || old == XHCI_PLS_RESUME)) {
		p->portsc = with_pls(p->portsc, XHCI_PLS_U0);
		port_change(x, n, XHCI_PORTSC_PLC);
	}
}

static void write_portsc(struct xhci_hc *x, unsigned int n, uint32_t val,
			 uint32_t mask)
{
	struct xhci_port *p = &x->port[n];
	uint32_t w = val & mask;
	uint32_t rw = mask & (XHCI_PORTSC_PIC | XHCI_PORTSC_WAKE);
	bool warm = p->usb3 && (w & XHCI_PORTSC_WPR);

	p->portsc &= ~(w & XHCI_PORTSC_CHANGE);
	p->portsc = (p->portsc & ~rw) | (val & rw);
	if (w & XHCI_PORTSC_PED)
		p->portsc &= ~XHCI_PORTSC_PED;
	if ((w & XHCI_PORTSC_LWS) &&
	    (mask & XHCI_PORTSC_PLS) == XHCI_PORTSC_PLS)
		write_link_state(x, n, pls_of(val));
	if (((w & XHCI_PORTSC_PR) || warm) && p->connected &&
	    !(p->portsc & XHCI_PORTSC_PR)) {
		p->portsc = (p->portsc | XHCI_PORTSC_PR) & ~XHCI_PORTSC_PED;
		p->reset_latched = true;
		p->reset_warm = warm;
	}
}

void xhci_port_write(struct xhci_hc *x, uint32_t off, uint32_t val,
		     uint32_t mask)
{
	unsigned int n = off / PORT_REG_SIZE + 1;
	struct xhci_port *p;

	if (n > xhci_nr_ports(x))
		return;
	p = &x->port[n];
	switch (off % PORT_REG_SIZE) {
	case XHCI_PORTSC:
		write_portsc(x, n, val, mask);
		break;
	case XHCI_PORTPMSC:
		p->pmsc = (p->pmsc & ~mask) | (val & mask);
		break;
	case XHCI_PORTHLPMC:
		p->hlpmc = (p->hlpmc & ~mask) | (val & mask);
		break;
	default:
		break;
	}
}
