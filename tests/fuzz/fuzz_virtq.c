// SPDX-License-Identifier: BSD-3-Clause
/*
 * libFuzzer harness for the split-virtqueue walker (kmod/lib/virtq.c). The
 * input is a header (fuzz_virtq.h) and a guest memory image; the harness
 * sets up a queue over the image and serves it like a device would (pop,
 * push, notification toggles) until it is empty or broken, checking that
 * every segment lies inside the image and inside one contiguous piece of
 * it (the header chooses where map splits), and every count is within
 * bounds.
 * The image sits in its own heap block, so ASan reports any access beyond
 * it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "virtq.h"
#include "fuzz_virtq.h"

#define MAX_POPS 512

struct image {
	uint8_t *base;
	size_t len;
	uint64_t split; /* pieces end at multiples of it; 0: never */
};

/* The piece of [gpa, gpa + len) up to the next multiple of split. */
static void *image_map(void *ctx, uint64_t gpa, uint64_t len, bool writable,
		       uint64_t *mapped)
{
	struct image *img = ctx;
	uint64_t edge;

	(void)writable;
	if (!len || gpa + len < gpa)
		abort(); /* the walker promises never to ask for these */
	if (gpa < FUZZ_VIRTQ_GPA || gpa - FUZZ_VIRTQ_GPA >= img->len)
		return NULL;
	*mapped = len;
	if (img->split) {
		edge = img->split - gpa % img->split;
		if (*mapped > edge)
			*mapped = edge;
	}
	if (*mapped > img->len - (gpa - FUZZ_VIRTQ_GPA))
		*mapped = img->len - (gpa - FUZZ_VIRTQ_GPA);
	return img->base + (gpa - FUZZ_VIRTQ_GPA);
}

static const struct virtq_mem_ops ops = { .map = image_map };

static void check(bool ok)
{
	if (!ok)
		abort();
}

static void check_chain(const struct image *img, const struct virtq_chain *c,
			uint32_t size)
{
	uint64_t rlen = 0, wlen = 0;
	unsigned int i;

	check(c->head < size);
	check(c->nr_segs <= c->max_segs);
	check(c->nr_readable + c->nr_writable == c->nr_segs);
	for (i = 0; i < c->nr_segs; i++) {
		const struct virtq_seg *s = &c->segs[i];
		const uint8_t *p = s->addr;

		check(s->len > 0);
		check(p >= img->base && s->len <= img->len &&
		      (size_t)(p - img->base) <= img->len - s->len);
		check((uint64_t)(p - img->base) == s->gpa - FUZZ_VIRTQ_GPA);
		check(!img->split || s->gpa / img->split == (s->gpa + s->len -
							     1) / img->split);
		/* Readable segments first. */
		check(s->writable == (i >= c->nr_readable));
		if (s->writable)
			wlen += s->len;
		else
			rlen += s->len;
	}
	check(rlen == c->readable_len && wlen == c->writable_len);
	check(rlen + wlen <= UINT32_MAX);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct virtq_seg segs[FUZZ_VIRTQ_MAX_SEGS];
	struct fuzz_virtq_header h;
	struct virtq_layout l;
	struct virtq_chain c;
	struct image img;
	struct virtq vq;
	uint16_t old_used;
	int i, ret;

	if (size < sizeof(h))
		return 0;
	memcpy(&h, data, sizeof(h));
	img.len = size - sizeof(h);
	img.base = malloc(img.len ? img.len : 1);
	if (!img.base)
		return 0;
	memcpy(img.base, data + sizeof(h), img.len);
	img.split = h.split;

	l = (struct virtq_layout){
		.size = 1u << (h.size_log2 % 16),
		.desc = FUZZ_VIRTQ_GPA + h.desc_off,
		.avail = FUZZ_VIRTQ_GPA + h.avail_off,
		.used = FUZZ_VIRTQ_GPA + h.used_off,
		.features =
			(h.features & 1 ? 1ull << VIRTQ_F_INDIRECT_DESC : 0) |
			(h.features & 2 ? 1ull << VIRTQ_F_EVENT_IDX : 0),
		.last_avail_idx = h.start_idx,
		.used_idx = h.start_idx,
	};
	c = (struct virtq_chain){
		.segs = segs,
		.max_segs = h.max_segs % (FUZZ_VIRTQ_MAX_SEGS + 1),
	};
	if (virtq_setup(&vq, &l, &ops, &img)) {
		check(vq.broken != 0);
		check(virtq_pop(&vq, &c) == vq.broken);
		goto out;
	}

	virtq_notify_disable(&vq);
	old_used = vq.used_idx;
	for (i = 0; i < MAX_POPS; i++) {
		ret = virtq_pop(&vq, &c);
		if (ret < 0) {
			check(vq.broken == ret);
			check(virtq_pop(&vq, &c) == ret);
			check(virtq_push(&vq, 0, 0) == ret);
			check(!virtq_notify_enable(&vq));
			break;
		}
		if (ret == 0) {
			if (!virtq_notify_enable(&vq))
				break;
			virtq_notify_disable(&vq);
			continue;
		}
		check(ret == 1);
		check_chain(&img, &c, vq.size);
		/* Touch every byte, as a device would. */
		for (unsigned int s = 0; s < c.nr_segs; s++) {
			volatile uint8_t *p = segs[s].addr;

			if (segs[s].writable)
				p[segs[s].len - 1] = p[0];
			else
				(void)p[segs[s].len - 1];
		}
		if (h.script & (1u << (i % 8)))
			continue; /* complete later, in a batch */
		check(virtq_push(&vq, c.head, c.writable_len) == 0);
		(void)virtq_needs_interrupt(&vq, old_used, vq.used_idx);
		old_used = vq.used_idx;
	}
	check(virtq_push(&vq, (uint16_t)vq.size, 0) != 0);
out:
	free(img.base);
	return 0;
}
