// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * virtio-snd message checks; the contract is in snd_msg.h, the refusals
 * in docs/snd.md.
 */
#include "snd_msg.h"
#include "seg_copy.h"

#define STATUS_LEN ((uint32_t)sizeof(struct vsnd_pcm_status))
#define XFER_LEN ((uint32_t)sizeof(struct vsnd_pcm_xfer))

/* Bytes per sample; 0 where the format has no fixed width. */
static const uint8_t format_width[VSND_PCM_FMT_COUNT] = {
	[1] = 1,  [2] = 1,  [3] = 1,  [4] = 1,	[5] = 2,  [6] = 2,  [7] = 3,
	[8] = 3,  [9] = 3,  [10] = 3, [11] = 3, [12] = 3, [13] = 4, [14] = 4,
	[15] = 4, [16] = 4, [17] = 4, [18] = 4, [19] = 4, [20] = 8,
};

static const uint32_t rate_hz[VSND_PCM_RATE_COUNT] = {
	5512,  8000,  11025, 16000, 22050,  32000,  44100,
	48000, 64000, 88200, 96000, 176400, 192000,
};

uint32_t vsnd_format_width(uint32_t f)
{
	return f < VSND_PCM_FMT_COUNT ? format_width[f] : 0;
}

uint32_t vsnd_rate_hz(uint32_t r)
{
	return r < VSND_PCM_RATE_COUNT ? rate_hz[r] : 0;
}

/* Items an *_INFO request may name, and the size of one entry. */
static bool info_kind(uint32_t code, const struct vsnd_dev_desc *d,
		      uint32_t *items, uint32_t *entry)
{
	switch (code) {
	case VSND_R_JACK_INFO:
		*items = d->jacks;
		*entry = sizeof(struct vsnd_jack_info);
		return true;
	case VSND_R_PCM_INFO:
		*items = d->streams;
		*entry = sizeof(struct vsnd_pcm_info);
		return true;
	case VSND_R_CHMAP_INFO:
		*items = d->chmaps;
		*entry = sizeof(struct vsnd_chmap_info);
		return true;
	}
	return false;
}

static uint32_t parse_query(const uint8_t *req, uint32_t len, uint32_t resp_len,
			    const struct vsnd_dev_desc *d,
			    struct vsnd_ctl_req *out)
{
	struct vsnd_query_info q;
	uint32_t items = 0, entry = 0;
	uint64_t need;

	if (len != sizeof(q))
		return VSND_S_BAD_MSG;
	memcpy(&q, req, sizeof(q));
	out->start_id = lhv_le32_to_cpu(q.start_id);
	out->count = lhv_le32_to_cpu(q.count);
	out->size = lhv_le32_to_cpu(q.size);
	info_kind(out->code, d, &items, &entry);
	/* 64-bit sums: start_id + count and count * size cannot wrap. */
	if ((uint64_t)out->start_id + out->count > items)
		return VSND_S_BAD_MSG;
	if (out->size < entry || out->size > VSND_INFO_SIZE_MAX)
		return VSND_S_BAD_MSG;
	need = sizeof(struct vsnd_hdr) + (uint64_t)out->count * out->size;
	if (need > resp_len)
		return VSND_S_BAD_MSG;
	return VSND_S_OK;
}

static uint32_t parse_set_params(const uint8_t *req, uint32_t len,
				 const struct vsnd_stream_caps *caps,
				 struct vsnd_pcm_params *p)
{
	struct vsnd_pcm_set_params sp;
	uint64_t period_us;
	uint32_t width;

	if (len != sizeof(sp))
		return VSND_S_BAD_MSG;
	memcpy(&sp, req, sizeof(sp));
	p->buffer_bytes = lhv_le32_to_cpu(sp.buffer_bytes);
	p->period_bytes = lhv_le32_to_cpu(sp.period_bytes);
	p->features = lhv_le32_to_cpu(sp.features);
	p->channels = sp.channels;
	p->format = sp.format;
	p->rate = sp.rate;

	if (p->features & ~VSND_PCM_FEATURES)
		return VSND_S_NOT_SUPP;
	if (p->format >= 64 || !((caps->formats >> p->format) & 1))
		return VSND_S_NOT_SUPP;
	if (p->rate >= 64 || !((caps->rates >> p->rate) & 1))
		return VSND_S_NOT_SUPP;
	if (p->channels < caps->channels_min ||
	    p->channels > caps->channels_max)
		return VSND_S_NOT_SUPP;
	width = vsnd_format_width(p->format);
	p->rate_hz = vsnd_rate_hz(p->rate);
	if (!width || !p->rate_hz) /* the configuration let it through */
		return VSND_S_NOT_SUPP;
	p->frame_bytes = width * p->channels;

	if (!p->period_bytes || p->period_bytes % p->frame_bytes ||
	    p->buffer_bytes < p->period_bytes ||
	    p->buffer_bytes % p->period_bytes)
		return VSND_S_BAD_MSG;
	if (p->buffer_bytes > VSND_BUFFER_BYTES_MAX)
		return VSND_S_NOT_SUPP;
	period_us = (uint64_t)(p->period_bytes / p->frame_bytes) * 1000000u /
		    p->rate_hz;
	if (period_us < VSND_PERIOD_US_MIN)
		return VSND_S_NOT_SUPP;
	return VSND_S_OK;
}

uint32_t vsnd_ctl_parse(const void *req, uint32_t len, uint32_t resp_len,
			const struct vsnd_dev_desc *d, struct vsnd_ctl_req *out)
{
	const uint8_t *r = req;
	struct vsnd_pcm_hdr ph;
	struct vsnd_hdr h;

	memset(out, 0, sizeof(*out));
	if (len < sizeof(h) || len > VSND_CTL_REQ_MAX)
		return VSND_S_BAD_MSG;
	memcpy(&h, r, sizeof(h));
	out->code = lhv_le32_to_cpu(h.code);

	switch (out->code) {
	case VSND_R_JACK_INFO:
	case VSND_R_PCM_INFO:
	case VSND_R_CHMAP_INFO:
		return parse_query(r, len, resp_len, d, out);
	case VSND_R_PCM_SET_PARAMS:
	case VSND_R_PCM_PREPARE:
	case VSND_R_PCM_RELEASE:
	case VSND_R_PCM_START:
	case VSND_R_PCM_STOP:
		break;
	default: /* JACK_REMAP included: jacks have no remap feature */
		return VSND_S_NOT_SUPP;
	}

	if (len < sizeof(ph))
		return VSND_S_BAD_MSG;
	memcpy(&ph, r, sizeof(ph));
	out->stream_id = lhv_le32_to_cpu(ph.stream_id);
	if (out->stream_id >= d->streams)
		return VSND_S_BAD_MSG;
	if (out->code == VSND_R_PCM_SET_PARAMS)
		return parse_set_params(r, len, &d->caps[out->stream_id],
					&out->params);
	return len == sizeof(ph) ? VSND_S_OK : VSND_S_BAD_MSG;
}

/*
 * The transitions of 5.14.6.6.1: SET_PARAMS from the initial, params,
 * prepared and released states; PREPARE from params, prepared, released;
 * START from prepared and stopped; STOP from running; RELEASE from
 * prepared and stopped.
 */
uint32_t vsnd_pcm_transition(enum vsnd_pcm_state *st, uint32_t code)
{
	enum vsnd_pcm_state s = *st, to;
	bool ok;

	switch (code) {
	case VSND_R_PCM_SET_PARAMS:
		ok = s == VSND_PCM_ST_INIT || s == VSND_PCM_ST_PARAMS ||
		     s == VSND_PCM_ST_PREPARED || s == VSND_PCM_ST_RELEASED;
		to = VSND_PCM_ST_PARAMS;
		break;
	case VSND_R_PCM_PREPARE:
		ok = s == VSND_PCM_ST_PARAMS || s == VSND_PCM_ST_PREPARED ||
		     s == VSND_PCM_ST_RELEASED;
		to = VSND_PCM_ST_PREPARED;
		break;
	case VSND_R_PCM_START:
		ok = s == VSND_PCM_ST_PREPARED || s == VSND_PCM_ST_STOPPED;
		to = VSND_PCM_ST_RUNNING;
		break;
	case VSND_R_PCM_STOP:
		ok = s == VSND_PCM_ST_RUNNING;
		to = VSND_PCM_ST_STOPPED;
		break;
	case VSND_R_PCM_RELEASE:
		ok = s == VSND_PCM_ST_PREPARED || s == VSND_PCM_ST_STOPPED;
		to = VSND_PCM_ST_RELEASED;
		break;
	default:
		return VSND_S_BAD_MSG;
	}
	if (!ok)
		return VSND_S_BAD_MSG;
	*st = to;
	return VSND_S_OK;
}

uint32_t vsnd_info_answer_len(const struct vsnd_ctl_req *r)
{
	/* Bounded by vsnd_ctl_parse: count <= 16-bit items, size <= 256. */
	return (uint32_t)sizeof(struct vsnd_hdr) + r->count * r->size;
}

static void fill_jack(uint32_t id, uint8_t *out)
{
	struct vsnd_jack_info j;

	(void)id;
	memset(&j, 0, sizeof(j));
	/* All jacks sit on function node 0 and are always connected. */
	j.connected = 1;
	memcpy(out, &j, sizeof(j));
}

static void fill_pcm(const struct vsnd_stream_caps *c, uint32_t id,
		     uint8_t *out)
{
	struct vsnd_pcm_info p;

	memset(&p, 0, sizeof(p));
	/* One function node per stream: one guest PCM device each. */
	p.hdr.hda_fn_nid = lhv_cpu_to_le32(id);
	p.features = lhv_cpu_to_le32(VSND_PCM_FEATURES);
	p.formats = lhv_cpu_to_le64(c->formats);
	p.rates = lhv_cpu_to_le64(c->rates);
	p.direction = c->direction;
	p.channels_min = c->channels_min;
	p.channels_max = c->channels_max;
	memcpy(out, &p, sizeof(p));
}

/* The standard map for the stream's largest channel count. */
static void fill_chmap(const struct vsnd_stream_caps *c, uint32_t id,
		       uint8_t *out)
{
	struct vsnd_chmap_info m;
	uint32_t i;

	memset(&m, 0, sizeof(m));
	m.hdr.hda_fn_nid = lhv_cpu_to_le32(id);
	m.direction = c->direction;
	m.channels = c->channels_max;
	if (m.channels == 1)
		m.positions[0] = VSND_CHMAP_MONO;
	else
		for (i = 0; i < m.channels && i < VSND_CHMAP_MAX_SIZE; i++)
			m.positions[i] = (uint8_t)(VSND_CHMAP_FL + i);
	memcpy(out, &m, sizeof(m));
}

void vsnd_info_entry(const struct vsnd_ctl_req *r,
		     const struct vsnd_dev_desc *d, uint32_t i, uint8_t *out)
{
	uint32_t id = r->start_id + i;

	memset(out, 0, r->size);
	switch (r->code) {
	case VSND_R_JACK_INFO:
		fill_jack(id, out);
		break;
	case VSND_R_PCM_INFO:
		fill_pcm(&d->caps[id], id, out);
		break;
	case VSND_R_CHMAP_INFO:
		fill_chmap(&d->caps[id], id, out);
		break;
	}
}

int vsnd_xfer_parse(const struct virtq_chain *c, bool tx,
		    const struct vsnd_dev_desc *d, struct vsnd_xfer *x,
		    struct virtq_seg *data)
{
	struct vsnd_pcm_xfer h;
	uint16_t wfirst = c->nr_readable;

	memset(x, 0, sizeof(*x));
	x->data = data;
	if (!c->nr_writable || c->writable_len < STATUS_LEN)
		return -EPROTO;
	/* At most STATUS_LEN segments: each holds at least one byte. */
	x->status.nr = seg_slice(c->segs, wfirst, c->nr_segs,
				 c->writable_len - STATUS_LEN, STATUS_LEN,
				 x->status.seg);

	x->answer = VSND_S_BAD_MSG;
	if (c->readable_len < XFER_LEN)
		return 0;
	seg_read(c->segs, c->nr_readable, 0, &h, XFER_LEN);
	x->stream_id = lhv_le32_to_cpu(h.stream_id);
	if (x->stream_id >= d->streams ||
	    d->caps[x->stream_id].direction !=
		    (tx ? VSND_D_OUTPUT : VSND_D_INPUT))
		return 0;

	if (tx) {
		x->data_len = c->readable_len - XFER_LEN;
		x->nr_data = seg_slice(c->segs, 0, c->nr_readable, XFER_LEN,
				       x->data_len, data);
	} else {
		x->data_len = c->writable_len - STATUS_LEN;
		x->nr_data = seg_slice(c->segs, wfirst, c->nr_segs, 0,
				       x->data_len, data);
	}
	if (!x->data_len)
		return 0;
	x->answer = VSND_S_OK;
	return 0;
}

uint32_t vsnd_xfer_check(const struct vsnd_xfer *x, enum vsnd_pcm_state st,
			 const struct vsnd_pcm_params *p, uint64_t queued)
{
	if (st != VSND_PCM_ST_PREPARED && st != VSND_PCM_ST_RUNNING &&
	    st != VSND_PCM_ST_STOPPED)
		return VSND_S_BAD_MSG;
	if (!p->frame_bytes || x->data_len % p->frame_bytes)
		return VSND_S_BAD_MSG;
	if (queued + x->data_len > p->buffer_bytes)
		return VSND_S_BAD_MSG;
	return VSND_S_OK;
}

void vsnd_xfer_status(const struct vsnd_xfer *x, uint32_t status,
		      uint32_t latency_bytes)
{
	struct vsnd_pcm_status s;

	s.status = lhv_cpu_to_le32(status);
	s.latency_bytes = lhv_cpu_to_le32(latency_bytes);
	seg_write(x->status.seg, x->status.nr, 0, &s, sizeof(s));
}
