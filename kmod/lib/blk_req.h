/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * virtio-blk request parser (VIRTIO 1.2, 5.2.6), the device side. Portable
 * core: no kernel headers, the same code runs in lhv_blk.ko, the unit
 * tests and the fuzzer.
 *
 * Given a chain taken by virtq_pop and the device's limits, blk_req_parse
 * checks the request and describes it: its type, the window-relative
 * sector, the data segments (without the 16-byte header and the final
 * status byte, split off where they share a segment with data), the
 * discard/write-zeroes ranges, the status byte, and whether the request
 * must be answered at once with a status (refusals) or needs I/O.
 * Every guest value (header, ranges) is copied once and only the copy is
 * checked and used. docs/blk.md lists every refusal.
 */
#ifndef LHV_LIB_BLK_REQ_H
#define LHV_LIB_BLK_REQ_H

#include "portable.h"
#include "virtq.h"

/* Request types (5.2.6). */
#define BLK_REQ_T_IN 0u
#define BLK_REQ_T_OUT 1u
#define BLK_REQ_T_FLUSH 4u
#define BLK_REQ_T_GET_ID 8u
#define BLK_REQ_T_GET_LIFETIME 10u
#define BLK_REQ_T_DISCARD 11u
#define BLK_REQ_T_WRITE_ZEROES 13u
#define BLK_REQ_T_SECURE_ERASE 14u

/* Status byte values (5.2.6). */
#define BLK_REQ_S_OK 0u
#define BLK_REQ_S_IOERR 1u
#define BLK_REQ_S_UNSUPP 2u

/* Feature bits the parser consults (5.2.3). */
#define BLK_REQ_F_RO 5
#define BLK_REQ_F_FLUSH 9
#define BLK_REQ_F_DISCARD 13
#define BLK_REQ_F_WRITE_ZEROES 14

/* struct virtio_blk_discard_write_zeroes flags. */
#define BLK_REQ_DWZ_F_UNMAP 1u

/* GET_ID answers at most this many bytes (VIRTIO_BLK_ID_BYTES). */
#define BLK_REQ_ID_BYTES 20u

#define BLK_REQ_SECTOR_SHIFT 9
#define BLK_REQ_SECTOR_SIZE 512u

/* Wire formats, little endian. */
struct blk_req_hdr {
	lhv_le32 type;
	lhv_le32 reserved; /* ioprio in legacy devices; ignored */
	lhv_le64 sector;
};

struct blk_req_dwz {
	lhv_le64 sector;
	lhv_le32 num_sectors;
	lhv_le32 flags;
};

/* What the device offers and the driver accepted. */
struct blk_req_limits {
	uint64_t capacity;	/* sectors in the device (the window) */
	uint64_t features;	/* negotiated feature bits */
	bool read_only;		/* writes answer IOERR */
	uint32_t logical_block; /* bytes: power of 2, >= 512 */
	uint32_t max_discard_sectors;
	uint32_t max_discard_seg;
	uint32_t max_write_zeroes_sectors;
	uint32_t max_write_zeroes_seg;
};

/* One validated discard or write-zeroes range, host byte order. */
struct blk_req_range {
	uint64_t sector;
	uint32_t num_sectors;
	bool unmap;
};

/* blk_req.answer when the request needs I/O. */
#define BLK_REQ_DO_IO (-1)

struct blk_req {
	uint32_t type;	 /* as the driver sent it */
	uint64_t sector; /* IN/OUT: first sector, relative to the window */
	/*
	 * BLK_REQ_DO_IO, or the BLK_REQ_S_* status to answer without I/O
	 * (a refusal, or a request with nothing to do).
	 */
	int answer;
	uint8_t *status; /* host pointer to the status byte */
	/* IN, GET_ID: writable data; OUT: readable data. Else none. */
	struct virtq_seg *data;
	uint16_t nr_data;
	uint32_t data_len;
	/* DISCARD, WRITE_ZEROES: the ranges (when answer is DO_IO). */
	struct blk_req_range *ranges;
	uint16_t nr_ranges;
};

/*
 * Parse chain c into req. data must have room for c->nr_segs segments and
 * ranges for the larger of the two *_seg limits. Returns 0 with req filled
 * (look at req->answer), or -EPROTO when the chain has no writable byte
 * for a status: a broken request the device cannot answer (the device
 * model then sets DEVICE_NEEDS_RESET). A header shorter than 16 bytes with
 * a status byte present is answered IOERR.
 */
int blk_req_parse(const struct virtq_chain *c, const struct blk_req_limits *l,
		  struct blk_req *req, struct virtq_seg *data,
		  struct blk_req_range *ranges, uint32_t max_ranges);

/*
 * Copy up to len bytes of src into req's data segments (GET_ID). Returns
 * the number of bytes copied (at most req->data_len).
 */
uint32_t blk_req_copy_to_data(const struct blk_req *req, const void *src,
			      uint32_t len);

/*
 * Write the status byte and return the used length to report: the data
 * written plus the status byte. data_written is what the device wrote to
 * the data (IN, GET_ID), 0 otherwise or on error.
 */
uint32_t blk_req_complete(const struct blk_req *req, uint8_t status,
			  uint32_t data_written);

#endif /* LHV_LIB_BLK_REQ_H */
