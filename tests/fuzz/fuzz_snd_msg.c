// SPDX-License-Identifier: BSD-3-Clause
/*
 * libFuzzer harness for the virtio-snd message checks (kmod/lib/snd_msg.c).
 * The input is struct fuzz_snd_header (fuzz_snd_msg.h), then the guest
 * memory image. A chain is built from the header's segments the way
 * virtq_pop hands it over (readable ones first) and handled as lhv_snd
 * does: a control request is copied out and checked, an accepted *_INFO
 * answer is built entry by entry into exactly the room the parser
 * promised, a PCM command runs through the state machine; a tx/rx
 * transfer is framed, its promises checked (status the last 8 writable
 * bytes, data inside the image and as long as said), then its
 * data is read or written and its status set. The image sits in its own
 * heap block, so ASan reports any access beyond it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "fuzz_snd_msg.h"
#include "snd_msg.h"

static const struct vsnd_stream_caps caps[3] = {
	{ VSND_D_OUTPUT, 1, 8,
	  (1ull << VSND_PCM_FMT_S16) | (1ull << VSND_PCM_FMT_S32),
	  (1ull << VSND_PCM_RATE_44100) | (1ull << VSND_PCM_RATE_48000) },
	{ VSND_D_INPUT, 2, 2, 1ull << VSND_PCM_FMT_S16,
	  1ull << VSND_PCM_RATE_48000 },
	{ VSND_D_OUTPUT, 1, 2, 0xffffeull, 0x1fffull },
};

static const struct vsnd_dev_desc desc = { 2, 3, 3, caps };

static void control(const struct virtq_chain *c)
{
	const struct virtq_seg *w = c->segs + c->nr_readable;
	uint8_t req[VSND_CTL_REQ_MAX], *entry;
	struct vsnd_ctl_req r;
	uint32_t st, i, len;

	len = c->readable_len < sizeof(req) ? c->readable_len : sizeof(req);
	check(seg_read(c->segs, c->nr_readable, 0, req, len) == len);
	st = vsnd_ctl_parse(req, c->readable_len, c->writable_len, &desc, &r);
	check(st == VSND_S_OK || st == VSND_S_BAD_MSG || st == VSND_S_NOT_SUPP);
	if (st != VSND_S_OK)
		return;
	if (r.code == VSND_R_JACK_INFO || r.code == VSND_R_PCM_INFO ||
	    r.code == VSND_R_CHMAP_INFO) {
		check(vsnd_info_answer_len(&r) <= c->writable_len);
		check(r.size >= sizeof(struct vsnd_info) &&
		      r.size <= VSND_INFO_SIZE_MAX);
		entry = malloc(r.size);
		check(entry != NULL);
		for (i = 0; i < r.count; i++) {
			vsnd_info_entry(&r, &desc, i, entry);
			check(seg_write(w, c->nr_writable, 4 + i * r.size,
					entry, r.size) == r.size);
		}
		free(entry);
		return;
	}
	check(r.stream_id < desc.streams);
	if (r.code == VSND_R_PCM_SET_PARAMS) {
		check(r.params.frame_bytes > 0);
		check(r.params.period_bytes % r.params.frame_bytes == 0);
		check(r.params.buffer_bytes % r.params.period_bytes == 0);
	}
}

static void transfer(const struct virtq_chain *c, bool tx,
		     const struct fuzz_snd_header *h, const uint8_t *img,
		     size_t img_len)
{
	struct vsnd_pcm_params p = { .buffer_bytes = 4096,
				     .period_bytes = 1024,
				     .frame_bytes = 4 };
	const struct virtq_seg *last = &c->segs[c->nr_segs - 1];
	struct virtq_seg data[FUZZ_SND_MAX_SEGS];
	uint32_t status_len = 0;
	enum vsnd_pcm_state st = (enum vsnd_pcm_state)(h->state % 6);
	uint8_t buf[256];
	struct vsnd_xfer x;
	uint64_t total = 0;
	uint32_t i, n;

	if (vsnd_xfer_parse(c, tx, &desc, &x, data)) {
		check(!c->nr_writable || c->writable_len < 8);
		return;
	}
	/* The status is the last 8 writable bytes, however they are split. */
	check(x.status.nr >= 1 && x.status.nr <= VSND_STATUS_SEGS);
	for (i = 0; i < x.status.nr; i++) {
		check(x.status.seg[i].len > 0 && x.status.seg[i].writable);
		check(inside(img, img_len, x.status.seg[i].addr,
			     x.status.seg[i].len));
		status_len += x.status.seg[i].len;
	}
	check(status_len == 8);
	i = x.status.nr - 1;
	check((uint8_t *)x.status.seg[i].addr + x.status.seg[i].len ==
	      (uint8_t *)last->addr + last->len);
	check(x.nr_data <= c->nr_segs);
	for (i = 0; i < x.nr_data; i++) {
		check(x.data[i].len > 0);
		check(inside(img, img_len, x.data[i].addr, x.data[i].len));
		check(x.data[i].writable == !tx);
		total += x.data[i].len;
	}
	if (x.answer == VSND_S_OK) {
		check(total == x.data_len && x.data_len > 0);
		check(x.stream_id < desc.streams);
		if (vsnd_xfer_check(&x, st, &p, h->queued) == VSND_S_OK) {
			check(x.data_len % 4 == 0);
			check((uint64_t)h->queued + x.data_len <= 4096);
		}
		for (i = 0; i < x.data_len; i += n) {
			n = x.data_len - i < sizeof(buf) ? x.data_len - i
							 : sizeof(buf);
			if (tx)
				check(seg_read(x.data, x.nr_data, i, buf, n) ==
				      n);
			else
				check(seg_write(x.data, x.nr_data, i, buf, n) ==
				      n);
		}
	}
	vsnd_xfer_status(&x, x.answer, 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *in, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *in, size_t len)
{
	struct virtq_seg segs[FUZZ_SND_MAX_SEGS];
	struct fuzz_snd_header h;
	struct virtq_chain c;
	uint8_t *img;
	size_t img_len;
	unsigned int i, n, mode;

	if (len < sizeof(h))
		return 0;
	memcpy(&h, in, sizeof(h));
	img_len = len - sizeof(h);
	img = malloc(img_len ? img_len : 1);
	if (!img)
		return 0;
	memcpy(img, in + sizeof(h), img_len);

	memset(&c, 0, sizeof(c));
	c.segs = segs;
	c.max_segs = FUZZ_SND_MAX_SEGS;
	n = h.nr_segs % (FUZZ_SND_MAX_SEGS + 1);
	/* Readable segments first, as virtq_pop orders them. */
	for (mode = 0; mode < 2; mode++) {
		for (i = 0; i < n; i++) {
			bool w = (h.writable >> i) & 1;
			uint32_t off = h.segs[i].off, sl = h.segs[i].len;

			if (w != (mode == 1) || !sl || off > img_len ||
			    sl > img_len - off)
				continue;
			segs[c.nr_segs].addr = img + off;
			segs[c.nr_segs].gpa = off;
			segs[c.nr_segs].len = sl;
			segs[c.nr_segs].writable = w;
			c.nr_segs++;
			if (w) {
				c.nr_writable++;
				c.writable_len += sl;
			} else {
				c.nr_readable++;
				c.readable_len += sl;
			}
		}
	}
	if (c.nr_segs) {
		switch (h.mode % 3) {
		case 0:
			control(&c);
			break;
		default:
			transfer(&c, h.mode % 3 == 1, &h, img, img_len);
			break;
		}
	}
	{
		enum vsnd_pcm_state st = (enum vsnd_pcm_state)(h.state % 6);
		enum vsnd_pcm_state before = st;
		uint32_t code = 0x100u + (h.mode & 0x7);

		if (vsnd_pcm_transition(&st, code) != VSND_S_OK)
			check(st == before);
	}
	free(img);
	return 0;
}
