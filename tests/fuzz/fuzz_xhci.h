/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The input format of fuzz_xhci, shared with its seed generator.
 *
 * Byte 0: the controller: bits 0-1 USB 2 ports, 2-3 USB 3 ports (both 0:
 * one USB 2 port), bit 4 64-byte contexts, bits 5-6 interrupters - 1,
 * bit 7 skip the driver-style init. Byte 1: backend behaviour: bits 0-1
 * what transfer ops return (0 accept, 1 -EPIPE, 2 -EFAULT, 3 -EIO), bits
 * 2-3 port_reset (0 done, 1 pending, 2 failed), bits 4-5 command (0
 * Success, 1 pending, 2 Parameter Error, 3 no command op at all), bit 6
 * the DRD capability.
 *
 * Then records, an op byte (taken modulo FZ_NR_OPS) and its payload;
 * the input ends at the first record that does not fit.
 */
#ifndef LHV_FUZZ_XHCI_H
#define LHV_FUZZ_XHCI_H

/* Guest memory: FZ_MEM bytes at guest-physical 0. */
#define FZ_MEM 0x10000u
#define FZ_DCBAA 0x0000u
#define FZ_CMD_RING 0x1000u
#define FZ_CMD_TRBS 64u
#define FZ_ERST 0x2000u
#define FZ_EVENT_SEG 0x3000u /* two segments of 16 TRBs */
#define FZ_EVENT_TRBS 16u
#define FZ_INPUT_CTX 0x4000u
#define FZ_OUT_CTX 0x5000u /* slot s at + 0x800 * (s - 1), 4 slots */
#define FZ_RINGS 0x8000u   /* transfer ring k at + 0x800 * k */
#define FZ_RING_TRBS 128u
#define FZ_NR_RINGS 8u
#define FZ_DATA 0xc000u
#define FZ_MAX_SLOTS 4u

enum fz_op {
	FZ_MMIO_WRITE,	 /* off:2 size:1 value:8 */
	FZ_MMIO_READ,	 /* off:2 size:1 */
	FZ_POKE,	 /* off:2 len:1 bytes:len */
	FZ_CMD_TRB,	 /* trb:16 (cycle fixed up), doorbell 0, run */
	FZ_XFER_TRB,	 /* ring:1 trb:16 (cycle fixed up) */
	FZ_DOORBELL,	 /* slot:1 target:1, run */
	FZ_PORT,	 /* port:1 speed:1 (0: disconnect) */
	FZ_XFER_DONE,	 /* index:1 cc:1 actual:4, run */
	FZ_CMD_DONE,	 /* cc:1, run */
	FZ_RESET_DONE,	 /* port:1 ok:1, run */
	FZ_INTERRUPTS,	 /* (none) assert what is wanted, consume events */
	FZ_INPUT_CTX_DW, /* ctx:1 dw:1 value:4 into the input context */
	FZ_ROLE_DONE,	 /* seq back:1 role:1 ok:1 (ok 0xff: role_now) */
	FZ_NR_OPS
};

#endif /* LHV_FUZZ_XHCI_H */
