/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The register map of the emulated xHCI BAR (xHCI 1.2, chapter 5) and the
 * bits the core implements. Offsets are from the start of the BAR.
 *
 *   0x0000 capability registers (CAPLENGTH 0x20)
 *   0x0020 operational registers; port register sets at 0x0420 + 0x10*(n-1)
 *   0x0600 extended capabilities: Supported Protocol USB 2, then USB 3
 *   0x1000 runtime registers (RTSOFF): MFINDEX, interrupters at 0x1020
 *   0x2000 doorbells (DBOFF), one dword per slot, 0 for the command ring
 */
#ifndef LHV_LIB_XHCI_REGS_H
#define LHV_LIB_XHCI_REGS_H

#include "portable.h"

#define XHCI_HCIVERSION 0x0110u
#define XHCI_CAPLENGTH 0x20u
#define XHCI_OP 0x20u
#define XHCI_PORTS (XHCI_OP + 0x400u)
#define XHCI_XECP 0x600u
#define XHCI_RTSOFF 0x1000u
#define XHCI_DBOFF 0x2000u

/* Capability registers. */
#define XHCI_CAP_LENGTH_VERSION 0x00u
#define XHCI_CAP_HCSPARAMS1 0x04u
#define XHCI_CAP_HCSPARAMS2 0x08u
#define XHCI_CAP_HCSPARAMS3 0x0cu
#define XHCI_CAP_HCCPARAMS1 0x10u
#define XHCI_CAP_DBOFF 0x14u
#define XHCI_CAP_RTSOFF 0x18u
#define XHCI_CAP_HCCPARAMS2 0x1cu

#define XHCI_HCC1_AC64 (1u << 0)
#define XHCI_HCC1_CSZ (1u << 2)

/* Operational registers, offsets from XHCI_OP. */
#define XHCI_USBCMD 0x00u
#define XHCI_USBSTS 0x04u
#define XHCI_PAGESIZE 0x08u
#define XHCI_DNCTRL 0x14u
#define XHCI_CRCR 0x18u
#define XHCI_DCBAAP 0x30u
#define XHCI_CONFIG 0x38u

#define XHCI_CMD_RUN (1u << 0)
#define XHCI_CMD_HCRST (1u << 1)
#define XHCI_CMD_INTE (1u << 2)
#define XHCI_CMD_HSEE (1u << 3)
#define XHCI_CMD_EWE (1u << 10)
/* USBCMD bits kept as written (the rest read 0). */
#define XHCI_CMD_RW                                                            \
	(XHCI_CMD_RUN | XHCI_CMD_INTE | XHCI_CMD_HSEE | XHCI_CMD_EWE)

#define XHCI_STS_HCH (1u << 0)
#define XHCI_STS_HSE (1u << 2)
#define XHCI_STS_EINT (1u << 3)
#define XHCI_STS_PCD (1u << 4)
#define XHCI_STS_SRE (1u << 10)
#define XHCI_STS_CNR (1u << 11)
#define XHCI_STS_HCE (1u << 12)
#define XHCI_STS_RW1C                                                          \
	(XHCI_STS_HSE | XHCI_STS_EINT | XHCI_STS_PCD | XHCI_STS_SRE)

#define XHCI_CRCR_RCS (1u << 0)
#define XHCI_CRCR_CS (1u << 1)
#define XHCI_CRCR_CA (1u << 2)
#define XHCI_CRCR_CRR (1u << 3)

/* Port register set, offsets from XHCI_PORTS + 0x10 * (port - 1). */
#define XHCI_PORTSC 0x0u
#define XHCI_PORTPMSC 0x4u
#define XHCI_PORTLI 0x8u
#define XHCI_PORTHLPMC 0xcu

#define XHCI_PORTSC_CCS (1u << 0)
#define XHCI_PORTSC_PED (1u << 1)
#define XHCI_PORTSC_PR (1u << 4)
#define XHCI_PORTSC_PLS_SHIFT 5
#define XHCI_PORTSC_PLS (0xfu << 5)
#define XHCI_PORTSC_PP (1u << 9)
#define XHCI_PORTSC_SPEED_SHIFT 10
#define XHCI_PORTSC_SPEED (0xfu << 10)
#define XHCI_PORTSC_PIC (3u << 14)
#define XHCI_PORTSC_LWS (1u << 16)
#define XHCI_PORTSC_CSC (1u << 17)
#define XHCI_PORTSC_PEC (1u << 18)
#define XHCI_PORTSC_WRC (1u << 19)
#define XHCI_PORTSC_OCC (1u << 20)
#define XHCI_PORTSC_PRC (1u << 21)
#define XHCI_PORTSC_PLC (1u << 22)
#define XHCI_PORTSC_CEC (1u << 23)
#define XHCI_PORTSC_WAKE (7u << 25) /* WCE, WDE, WOE */
#define XHCI_PORTSC_WPR (1u << 31)
#define XHCI_PORTSC_CHANGE                                                     \
	(XHCI_PORTSC_CSC | XHCI_PORTSC_PEC | XHCI_PORTSC_WRC |                 \
	 XHCI_PORTSC_OCC | XHCI_PORTSC_PRC | XHCI_PORTSC_PLC |                 \
	 XHCI_PORTSC_CEC)

/* Port link states (PORTSC PLS). */
#define XHCI_PLS_U0 0u
#define XHCI_PLS_U3 3u
#define XHCI_PLS_RX_DETECT 5u
#define XHCI_PLS_POLLING 7u
#define XHCI_PLS_RESUME 15u

/* Runtime registers, offsets from XHCI_RTSOFF. */
#define XHCI_MFINDEX 0x00u
#define XHCI_IR0 0x20u
#define XHCI_IR_SIZE 0x20u
#define XHCI_IMAN 0x00u
#define XHCI_IMOD 0x04u
#define XHCI_ERSTSZ 0x08u
#define XHCI_ERSTBA 0x10u
#define XHCI_ERDP 0x18u

#define XHCI_IMAN_IP (1u << 0)
#define XHCI_IMAN_IE (1u << 1)
#define XHCI_ERDP_EHB (1u << 3)

/* Supported Protocol capability (7.2). */
#define XHCI_EXT_CAP_PROTOCOL 2u
#define XHCI_PROTOCOL_NAME 0x20425355u /* "USB " */

#endif /* LHV_LIB_XHCI_REGS_H */
