// SPDX-License-Identifier: BSD-3-Clause
/*
 * Writes seed inputs for fuzz_xhci into a directory: what xhci_hcd does
 * for a device (port reset, Enable Slot, Address Device with and without
 * BSR, GET_DESCRIPTOR, Configure Endpoint, bulk TDs, Stop Endpoint and
 * Set TR Dequeue), so the fuzzer starts from enumerated devices; and role
 * writes to the DRD capability.
 *
 * Usage: seeds_xhci <dir>
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fuzz_xhci.h"
#include "xhci_hc.h"
#include "xhci_regs.h"

static uint8_t seed[4096];
static size_t seed_len;

static void bytes(const void *p, size_t n)
{
	if (seed_len + n > sizeof(seed))
		return;
	memcpy(seed + seed_len, p, n);
	seed_len += n;
}

static void byte(uint8_t b)
{
	bytes(&b, 1);
}

static void le(uint64_t v, unsigned int n)
{
	while (n--) {
		byte((uint8_t)v);
		v >>= 8;
	}
}

static void trb(uint64_t param, uint32_t status, uint32_t control)
{
	le(param, 8);
	le(status, 4);
	le(control, 4);
}

/* Seeds for a backend that answers commands later (mode bits 4-5 = 1). */
static bool async_commands;

static void command(uint64_t param, uint32_t type, uint32_t extra)
{
	byte(FZ_CMD_TRB);
	trb(param, 0, type << 10 | extra);
	if (async_commands) {
		byte(FZ_CMD_DONE);
		byte(XHCI_CC_SUCCESS);
	}
}

static void xfer(uint8_t ring, uint64_t param, uint32_t status,
		 uint32_t control)
{
	byte(FZ_XFER_TRB);
	byte(ring);
	trb(param, status, control);
}

static void mmio_write(uint16_t off, uint64_t v)
{
	byte(FZ_MMIO_WRITE);
	le(off, 2);
	byte(4);
	le(v, 8);
}

static void ictx(uint8_t ctx, uint8_t dw, uint32_t v)
{
	byte(FZ_INPUT_CTX_DW);
	byte(ctx);
	byte(dw);
	le(v, 4);
}

static void simple(uint8_t op, uint8_t a, uint8_t b)
{
	byte(op);
	byte(a);
	byte(b);
}

/* An endpoint context for dci on transfer ring k. */
static void ep_ctx(uint8_t dci, uint32_t type, uint32_t mps, uint8_t k)
{
	ictx((uint8_t)(dci + 1), 1, 3u << 1 | type << 3 | mps << 16);
	ictx((uint8_t)(dci + 1), 2, (FZ_RINGS + 0x800u * k) | 1);
}

/* USB 2 port 1 reset, slot 1 addressed (bsr: first with BSR=1). */
static void enumerate(bool bsr)
{
	simple(FZ_PORT, 1, XHCI_SPEED_HIGH);
	mmio_write(XHCI_PORTS, XHCI_PORTSC_PP | XHCI_PORTSC_PR);
	simple(FZ_DOORBELL, 0, 0);
	command(0, XHCI_TRB_ENABLE_SLOT, 0);
	ictx(0, 1, 3);
	ictx(1, 0, 1u << 27 | XHCI_SPEED_HIGH << 20);
	ictx(1, 1, 1u << 16);
	ep_ctx(1, XHCI_EP_CONTROL, 64, 0);
	if (bsr)
		command(FZ_INPUT_CTX, XHCI_TRB_ADDRESS_DEVICE,
			XHCI_TRB_BSR | 1u << 24);
	command(FZ_INPUT_CTX, XHCI_TRB_ADDRESS_DEVICE, 1u << 24);
	byte(FZ_INTERRUPTS);
}

static void get_descriptor(void)
{
	xfer(0, 0x0012000001000680ull, 8,
	     XHCI_TRB_SETUP << 10 | XHCI_TRB_IDT | XHCI_TRT_IN << 16);
	xfer(0, FZ_DATA, 18,
	     XHCI_TRB_DATA << 10 | XHCI_TRB_DIR_IN | XHCI_TRB_ISP);
	xfer(0, 0, 0, XHCI_TRB_STATUS << 10 | XHCI_TRB_IOC);
	simple(FZ_DOORBELL, 1, 1);
	byte(FZ_XFER_DONE);
	byte(0);
	byte(XHCI_CC_SUCCESS);
	le(8, 4);
	byte(FZ_INTERRUPTS);
}

static void configure_bulk(void)
{
	ictx(0, 0, 0);
	ictx(0, 1, 1u | 1u << 2 | 1u << 3);
	ictx(1, 0, 3u << 27 | XHCI_SPEED_HIGH << 20);
	ep_ctx(2, XHCI_EP_BULK_OUT, 512, 1);
	ep_ctx(3, XHCI_EP_BULK_IN, 512, 2);
	command(FZ_INPUT_CTX, XHCI_TRB_CONFIGURE_EP, 1u << 24);
}

static void bulk(void)
{
	xfer(1, FZ_DATA, 100, XHCI_TRB_NORMAL << 10 | XHCI_TRB_CH);
	xfer(1, 0x0807060504030201ull, 8,
	     XHCI_TRB_NORMAL << 10 | XHCI_TRB_IDT | XHCI_TRB_IOC);
	xfer(2, FZ_DATA, 512,
	     XHCI_TRB_NORMAL << 10 | XHCI_TRB_ISP | XHCI_TRB_IOC);
	simple(FZ_DOORBELL, 1, 2);
	simple(FZ_DOORBELL, 1, 3);
}

/*
 * Isoch OUT 1 (ring 3, high-bandwidth: 2 x 1024 per microframe) and IN 2
 * (ring 4); TDs with SIA, with a Frame ID and with chained Normal TRBs.
 */
static void isoch(void)
{
	ictx(0, 0, 0);
	ictx(0, 1, 1u | 1u << 2 | 1u << 5);
	ictx(1, 0, 5u << 27 | XHCI_SPEED_HIGH << 20);
	ep_ctx(2, XHCI_EP_ISOCH_OUT, 1024, 3);
	ictx(3, 1, 3u << 1 | XHCI_EP_ISOCH_OUT << 3 | 1024u << 16 | 1u << 8);
	ep_ctx(5, XHCI_EP_ISOCH_IN, 192, 4);
	command(FZ_INPUT_CTX, XHCI_TRB_CONFIGURE_EP, 1u << 24);
	xfer(3, FZ_DATA, 1500,
	     XHCI_TRB_ISOCH << 10 | XHCI_TRB_SIA | XHCI_TRB_CH);
	xfer(3, FZ_DATA + 1500, 548, XHCI_TRB_NORMAL << 10 | XHCI_TRB_IOC);
	xfer(3, FZ_DATA, 2048, XHCI_TRB_ISOCH << 10 | 3u << 20 | XHCI_TRB_IOC);
	xfer(4, FZ_DATA, 192,
	     XHCI_TRB_ISOCH << 10 | XHCI_TRB_SIA | XHCI_TRB_ISP | XHCI_TRB_IOC);
	simple(FZ_DOORBELL, 1, 2);
	simple(FZ_DOORBELL, 1, 5);
	byte(FZ_XFER_DONE);
	le(0, 1);
	byte(XHCI_CC_MISSED_SERVICE);
	le(0, 4);
	byte(FZ_XFER_DONE);
	le(2, 1);
	byte(XHCI_CC_SUCCESS);
	le(100, 4);
	byte(FZ_INTERRUPTS);
}

static int save(const char *dir, const char *name, uint8_t cfg, uint8_t mode)
{
	uint8_t head[2] = { cfg, mode };
	char path[4096];
	FILE *f;
	int err;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f)
		return 1;
	err = fwrite(head, 1, 2, f) != 2 ||
	      fwrite(seed, 1, seed_len, f) != seed_len;
	err |= fclose(f) != 0;
	seed_len = 0;
	return err;
}

int main(int argc, char **argv)
{
	int err = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: %s <dir>\n", argv[0]);
		return 2;
	}
	enumerate(false);
	get_descriptor();
	err |= save(argv[1], "enumerate", 0x06, 0);

	enumerate(true);
	configure_bulk();
	bulk();
	byte(FZ_XFER_DONE);
	le(0, 1);
	byte(XHCI_CC_SUCCESS);
	le(108, 4);
	command(0, XHCI_TRB_STOP_EP, 1u << 24 | 3u << 16);
	byte(FZ_XFER_DONE);
	le(0, 1);
	byte(XHCI_CC_STOPPED);
	le(0, 4);
	command((FZ_RINGS + 0x1000u) | 1, XHCI_TRB_SET_TR_DEQ,
		1u << 24 | 3u << 16);
	byte(FZ_INTERRUPTS);
	err |= save(argv[1], "bulk-stop", 0x16, 0);

	enumerate(false);
	configure_bulk();
	bulk();
	byte(FZ_XFER_DONE);
	le(1, 1);
	byte(XHCI_CC_STALL);
	le(0, 4);
	command(0, XHCI_TRB_RESET_EP, 1u << 24 | 3u << 16);
	command(0, XHCI_TRB_RESET_DEVICE, 1u << 24);
	command(0, XHCI_TRB_DISABLE_SLOT, 1u << 24);
	err |= save(argv[1], "stall-reset", 0x05, 0);

	enumerate(false);
	isoch();
	err |= save(argv[1], "isoch", 0x06, 0);

	async_commands = true;
	enumerate(true);
	configure_bulk();
	bulk();
	command(0, XHCI_TRB_RESET_DEVICE, 1u << 24);
	/* A command left pending, aborted; the port suspended and resumed. */
	async_commands = false;
	command(0, XHCI_TRB_RESET_DEVICE, 1u << 24);
	mmio_write(XHCI_OP + XHCI_CRCR, XHCI_CRCR_CA);
	mmio_write(XHCI_PORTS, XHCI_PORTSC_PP | XHCI_PORTSC_LWS |
				       XHCI_PLS_U3 << XHCI_PORTSC_PLS_SHIFT);
	mmio_write(XHCI_PORTS,
		   XHCI_PORTSC_PP | XHCI_PORTSC_LWS |
			   XHCI_PLS_RESUME << XHCI_PORTSC_PLS_SHIFT);
	mmio_write(XHCI_PORTS, XHCI_PORTSC_PP | XHCI_PORTSC_LWS);
	err |= save(argv[1], "async-commands", 0x65, 0x10);

	/* The DRD mux: host, device, a malformed write, the switch's answers. */
	seed_len = 0;
	mmio_write(XHCI_DRD_CAP + XHCI_DRD_CFG0, XHCI_DRD_SW_IDPIN_EN);
	byte(FZ_ROLE_DONE);
	byte(0);
	byte(XHCI_ROLE_HOST);
	byte(1);
	mmio_write(XHCI_DRD_CAP + XHCI_DRD_CFG0,
		   XHCI_DRD_SW_IDPIN_EN | XHCI_DRD_SW_IDPIN |
			   XHCI_DRD_SW_VBUS_VALID);
	mmio_write(XHCI_DRD_CAP + XHCI_DRD_CFG0,
		   XHCI_DRD_SW_IDPIN_EN | XHCI_DRD_SW_VBUS_VALID);
	byte(FZ_ROLE_DONE);
	byte(0);
	byte(XHCI_ROLE_DEVICE);
	byte(0);
	err |= save(argv[1], "drd-roles", 0x05, 0x40);
	return err;
}
