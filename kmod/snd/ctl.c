// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The control queue: each chain is one request (readable) and its answer
 * (writable): a status header, and for *_INFO queries the entries. The
 * portable core checks the request; PCM commands go to the stream.
 */
#include "snd.h"

#define HDR_LEN ((u32)sizeof(struct vsnd_hdr))

static void ctl_answer(struct lhv_vq *vq, const struct virtq_chain *c,
		       u32 status, u32 written)
{
	const struct virtq_seg *w = c->segs + c->nr_readable;
	struct vsnd_hdr h = { .code = cpu_to_le32(status) };

	seg_write(w, c->nr_writable, 0, &h, HDR_LEN);
	lhv_vq_complete(vq, c->head, written, written, status != VSND_S_OK);
}

/* The entries of an *_INFO answer after the header (bounded by the core). */
static void ctl_info(struct lhv_snd_dev *dev, const struct virtq_chain *c,
		     const struct vsnd_ctl_req *r)
{
	const struct virtq_seg *w = c->segs + c->nr_readable;
	u8 entry[VSND_INFO_SIZE_MAX];
	u32 i;

	for (i = 0; i < r->count; i++) {
		vsnd_info_entry(r, &dev->desc, i, entry);
		seg_write(w, c->nr_writable, HDR_LEN + i * r->size, entry,
			  r->size);
	}
}

void lhv_snd_ctl_request(struct lhv_vq *vq, const struct virtq_chain *c)
{
	struct lhv_snd_dev *dev = to_snd_dev(vq->vdev);
	u8 req[VSND_CTL_REQ_MAX];
	struct vsnd_ctl_req r;
	u32 status;

	if (c->writable_len < HDR_LEN) {
		/* Nowhere to put a status: give the chain back empty. */
		lhv_vq_complete(vq, c->head, 0, 0, true);
		return;
	}
	seg_read(c->segs, c->nr_readable, 0, req,
		 min_t(u32, c->readable_len, sizeof(req)));
	status = vsnd_ctl_parse(req, c->readable_len, c->writable_len,
				&dev->desc, &r);
	if (status != VSND_S_OK) {
		ctl_answer(vq, c, status, HDR_LEN);
		return;
	}
	switch (r.code) {
	case VSND_R_JACK_INFO:
	case VSND_R_PCM_INFO:
	case VSND_R_CHMAP_INFO:
		ctl_info(dev, c, &r);
		ctl_answer(vq, c, VSND_S_OK, vsnd_info_answer_len(&r));
		return;
	}
	status = lhv_snd_pcm_command(dev, &r);
	ctl_answer(vq, c, status, HDR_LEN);
}
