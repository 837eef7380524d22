/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * virtio-snd messages (VIRTIO 1.2, 5.14), the device side. Portable core:
 * no kernel headers, the same code runs in lhv_snd.ko, the unit tests and
 * the fuzzer.
 *
 * What it decides: whether a control request is well formed and allowed
 * (header code, exact size per code, start_id/count/size of *_INFO
 * queries, SET_PARAMS fields against the stream's capabilities, the PCM
 * state machine), the *_INFO answers, and the framing of a tx/rx transfer
 * (xfer header, data, status). The guest may rewrite its buffers at any
 * time, so every field is copied once and only the copy is checked.
 * docs/snd.md lists every refusal.
 */
#ifndef LHV_LIB_SND_MSG_H
#define LHV_LIB_SND_MSG_H

#include "portable.h"
#include "virtq.h"
#include "seg_copy.h"

/* Queues (5.14.2). */
#define VSND_VQ_CONTROL 0u
#define VSND_VQ_EVENT 1u
#define VSND_VQ_TX 2u
#define VSND_VQ_RX 3u
#define VSND_NR_VQS 4u

/* Request codes (5.14.6). */
#define VSND_R_JACK_INFO 1u
#define VSND_R_JACK_REMAP 2u
#define VSND_R_PCM_INFO 0x0100u
#define VSND_R_PCM_SET_PARAMS 0x0101u
#define VSND_R_PCM_PREPARE 0x0102u
#define VSND_R_PCM_RELEASE 0x0103u
#define VSND_R_PCM_START 0x0104u
#define VSND_R_PCM_STOP 0x0105u
#define VSND_R_CHMAP_INFO 0x0200u

/* Event codes. */
#define VSND_EVT_JACK_CONNECTED 0x1000u
#define VSND_EVT_JACK_DISCONNECTED 0x1001u
#define VSND_EVT_PCM_PERIOD_ELAPSED 0x1100u
#define VSND_EVT_PCM_XRUN 0x1101u

/* Status codes. */
#define VSND_S_OK 0x8000u
#define VSND_S_BAD_MSG 0x8001u
#define VSND_S_NOT_SUPP 0x8002u
#define VSND_S_IO_ERR 0x8003u

/* Data flow directions. */
#define VSND_D_OUTPUT 0u
#define VSND_D_INPUT 1u

/* PCM stream features (bit numbers). */
#define VSND_PCM_F_SHMEM_HOST 0
#define VSND_PCM_F_SHMEM_GUEST 1
#define VSND_PCM_F_MSG_POLLING 2
#define VSND_PCM_F_EVT_SHMEM_PERIODS 3
#define VSND_PCM_F_EVT_XRUNS 4
/* The features this device implements: xrun events only. */
#define VSND_PCM_FEATURES (1u << VSND_PCM_F_EVT_XRUNS)

/* Sample formats (bit numbers of pcm_info.formats) used by name. */
#define VSND_PCM_FMT_S8 3u
#define VSND_PCM_FMT_U8 4u
#define VSND_PCM_FMT_S16 5u
#define VSND_PCM_FMT_U16 6u
#define VSND_PCM_FMT_S32 17u
#define VSND_PCM_FMT_FLOAT64 20u
#define VSND_PCM_FMT_COUNT 25u

/* Frame rates (bit numbers of pcm_info.rates). */
#define VSND_PCM_RATE_44100 6u
#define VSND_PCM_RATE_48000 7u
#define VSND_PCM_RATE_COUNT 13u /* 5512 .. 192000 */

/* Channel positions of a chmap (5.14.6.9.1), those a default map uses. */
#define VSND_CHMAP_MONO 2u
#define VSND_CHMAP_FL 3u
#define VSND_CHMAP_MAX_SIZE 18u

/* Wire formats, little endian. */
struct vsnd_hdr {
	lhv_le32 code;
};

struct vsnd_query_info {
	struct vsnd_hdr hdr;
	lhv_le32 start_id;
	lhv_le32 count;
	lhv_le32 size;
};

struct vsnd_info {
	lhv_le32 hda_fn_nid;
};

struct vsnd_jack_info {
	struct vsnd_info hdr;
	lhv_le32 features;
	lhv_le32 hda_reg_defconf;
	lhv_le32 hda_reg_caps;
	uint8_t connected;
	uint8_t padding[7];
};

struct vsnd_pcm_info {
	struct vsnd_info hdr;
	lhv_le32 features;
	lhv_le64 formats;
	lhv_le64 rates;
	uint8_t direction;
	uint8_t channels_min;
	uint8_t channels_max;
	uint8_t padding[5];
};

struct vsnd_chmap_info {
	struct vsnd_info hdr;
	uint8_t direction;
	uint8_t channels;
	uint8_t positions[VSND_CHMAP_MAX_SIZE];
};

struct vsnd_pcm_hdr {
	struct vsnd_hdr hdr;
	lhv_le32 stream_id;
};

struct vsnd_pcm_set_params {
	struct vsnd_pcm_hdr hdr;
	lhv_le32 buffer_bytes;
	lhv_le32 period_bytes;
	lhv_le32 features;
	uint8_t channels;
	uint8_t format;
	uint8_t rate;
	uint8_t padding;
};

struct vsnd_pcm_xfer {
	lhv_le32 stream_id;
};

struct vsnd_pcm_status {
	lhv_le32 status;
	lhv_le32 latency_bytes;
};

struct vsnd_event {
	struct vsnd_hdr hdr;
	lhv_le32 data;
};

/* The largest control request we read (SET_PARAMS); longer ones are bad. */
#define VSND_CTL_REQ_MAX ((uint32_t)sizeof(struct vsnd_pcm_set_params))
/* Largest *_INFO entry size a driver may ask for. */
#define VSND_INFO_SIZE_MAX 256u
/* Shortest period the device clocks, in microseconds. */
#define VSND_PERIOD_US_MIN 250u
/* Largest buffer per stream. */
#define VSND_BUFFER_BYTES_MAX (4u << 20)

/* What a stream offers (the configuration). */
struct vsnd_stream_caps {
	uint8_t direction; /* VSND_D_* */
	uint8_t channels_min, channels_max;
	uint64_t formats; /* bits VSND_PCM_FMT_*, only ones with a width */
	uint64_t rates;	  /* bits VSND_PCM_RATE_*, < VSND_PCM_RATE_COUNT */
};

/* The device as the parser sees it. */
struct vsnd_dev_desc {
	uint32_t jacks;
	uint32_t streams;
	uint32_t chmaps; /* 0 or streams: chmap i belongs to stream i */
	const struct vsnd_stream_caps *caps; /* streams entries */
};

/* The PCM stream states (5.14.6.6.1). */
enum vsnd_pcm_state {
	VSND_PCM_ST_INIT,     /* no parameters yet */
	VSND_PCM_ST_PARAMS,   /* SET_PARAMS done */
	VSND_PCM_ST_PREPARED, /* PREPARE done */
	VSND_PCM_ST_RUNNING,  /* START done */
	VSND_PCM_ST_STOPPED,  /* STOP done */
	VSND_PCM_ST_RELEASED, /* RELEASE done */
};

/* Accepted parameters, host byte order, with what follows from them. */
struct vsnd_pcm_params {
	uint32_t buffer_bytes;
	uint32_t period_bytes;
	uint32_t features;
	uint8_t channels;
	uint8_t format; /* VSND_PCM_FMT_* */
	uint8_t rate;	/* VSND_PCM_RATE_* */
	uint32_t frame_bytes;
	uint32_t rate_hz;
};

/* A decoded control request. */
struct vsnd_ctl_req {
	uint32_t code;
	uint32_t stream_id;		/* PCM commands */
	uint32_t start_id, count, size; /* *_INFO */
	struct vsnd_pcm_params params;	/* SET_PARAMS */
};

/*
 * Check the control request in req[0..len) (a copy of the driver's
 * readable bytes, at most VSND_CTL_REQ_MAX of them; len is how many the
 * driver gave) with resp_len writable bytes for the answer. Returns
 * VSND_S_OK with out filled, or the status to answer at once:
 * VSND_S_BAD_MSG for a malformed request (short or over-long, a bad
 * stream or item id, a response buffer too small, invalid buffer or
 * period sizes), VSND_S_NOT_SUPP for an unknown code, JACK_REMAP, or
 * parameters the stream does not offer. The PCM state is not checked
 * here: see vsnd_pcm_transition.
 */
uint32_t vsnd_ctl_parse(const void *req, uint32_t len, uint32_t resp_len,
			const struct vsnd_dev_desc *d,
			struct vsnd_ctl_req *out);

/*
 * Apply the PCM command code (SET_PARAMS .. STOP) to state *st: returns
 * VSND_S_OK with *st updated, or VSND_S_BAD_MSG for a transition the state
 * machine does not allow (*st unchanged).
 */
uint32_t vsnd_pcm_transition(enum vsnd_pcm_state *st, uint32_t code);

/* Bytes of the answer to r (an *_INFO request): header and entries. */
uint32_t vsnd_info_answer_len(const struct vsnd_ctl_req *r);

/*
 * Write entry i (0-based within the request) of the *_INFO answer to r
 * into out (r->size bytes; the tail past the structure is zeroed).
 */
void vsnd_info_entry(const struct vsnd_ctl_req *r,
		     const struct vsnd_dev_desc *d, uint32_t i, uint8_t *out);

/* Bytes per sample of format f, 0 for a format without a fixed width. */
uint32_t vsnd_format_width(uint32_t f);
/* Frames per second of rate bit r, 0 for an unknown one. */
uint32_t vsnd_rate_hz(uint32_t r);

/*
 * Where a transfer's 8-byte status (struct vsnd_pcm_status) lies: the last
 * 8 writable bytes of the chain, which may straddle segments (a buffer
 * crossing a chunk edge is split; every segment holds at least a byte).
 */
#define VSND_STATUS_SEGS 8u
struct vsnd_status_loc {
	struct virtq_seg seg[VSND_STATUS_SEGS];
	uint16_t nr;
};

/* A decoded transfer (tx or rx message). */
struct vsnd_xfer {
	uint32_t stream_id;
	/* BAD_MSG to answer at once, or VSND_S_OK: queue it. */
	uint32_t answer;
	/* tx: readable data after the header; rx: writable before status. */
	struct virtq_seg *data;
	uint16_t nr_data;
	uint32_t data_len;
	struct vsnd_status_loc status;
};

/*
 * Parse a chain taken from the tx queue (tx true) or the rx queue. data
 * must have room for c->nr_segs segments. Returns 0 with x filled (see
 * x->answer), or -EPROTO when the chain has fewer than 8 writable bytes
 * for the status: the device cannot answer. Refused with BAD_MSG:
 * a header shorter than 4 bytes, a stream id out of range, a stream of
 * the other direction, no data.
 */
int vsnd_xfer_parse(const struct virtq_chain *c, bool tx,
		    const struct vsnd_dev_desc *d, struct vsnd_xfer *x,
		    struct virtq_seg *data);

/*
 * Whether a parsed transfer may be queued now: the stream is prepared,
 * running or stopped, the data is whole frames, and with queued bytes
 * already pending it does not exceed the buffer. VSND_S_OK or BAD_MSG.
 */
uint32_t vsnd_xfer_check(const struct vsnd_xfer *x, enum vsnd_pcm_state st,
			 const struct vsnd_pcm_params *p, uint64_t queued);

/* Write the status of a transfer. */
void vsnd_xfer_status(const struct vsnd_xfer *x, uint32_t status,
		      uint32_t latency_bytes);

#endif /* LHV_LIB_SND_MSG_H */
