/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause */
/*
 * The lhv virtio HECI device: what lhv_heci (the device, in the Service
 * OS) and lhv_heci_fe (the driver, in a guest) share. docs/heci.md
 * describes the protocol; this header is its one definition.
 *
 * Identity: virtio has no HECI device id. lhv uses 63, the last id the
 * modern virtio-pci scheme can express (PCI device 0x1040 + 63 = 0x107f),
 * which the VIRTIO specification has not assigned. On the loopback
 * transport the virtio vendor is lhv's (0x6c6876); a driver matches the
 * device id with any vendor.
 *
 * Queues: 0 "rx" carries messages from the ME to the host (the driver
 * posts device-writable buffers), 1 "tx" from the host to the ME (one
 * device-readable chain per message). Every message is one MEI packet: the
 * 32-bit little-endian MEI header (me_addr, host_addr, length,
 * msg_complete) followed by length payload bytes. A client message longer
 * than one packet is sent as several packets, the last with msg_complete.
 */
#ifndef _UAPI_LHV_VIRTIO_HECI_H
#define _UAPI_LHV_VIRTIO_HECI_H

#include <linux/types.h>

#define LHV_VIRTIO_ID_HECI 63

#define LHV_HECI_VQ_RX 0 /* ME -> host */
#define LHV_HECI_VQ_TX 1 /* host -> ME */
#define LHV_HECI_NR_VQS 2

/* No device-specific feature bits yet. */

/*
 * Configuration space, little endian.
 * buf_depth   read-only: one packet is at most buf_depth * 4 bytes,
 *             header included; rx buffers should hold that much (the
 *             device cuts packets to smaller buffers, never below 8 bytes).
 * hw_ready    read-only: 1 when the ME side accepts HOST_START_REQ.
 * host_reset  the driver writes 1 to reset the link: every connection is
 *             dropped, undelivered ME messages are discarded, the bus
 *             returns to its idle state. The device then writes 0 and
 *             hw_ready 1 and signals a configuration change.
 * fw_status   the ME's firmware status registers (FWSTS1..6), as the ME
 *             reports them; the simulator reports fixed values.
 */
struct lhv_virtio_heci_config {
	__le32 buf_depth;
	__u8 hw_ready;
	__u8 host_reset;
	__u8 reserved[2];
	__le32 fw_status[6];
};

#define LHV_HECI_BUF_DEPTH 128 /* 512-byte packets */

#endif /* _UAPI_LHV_VIRTIO_HECI_H */
