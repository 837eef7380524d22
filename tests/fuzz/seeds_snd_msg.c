// SPDX-License-Identifier: BSD-3-Clause
/*
 * Writes seed inputs for fuzz_snd_msg into a directory: the control
 * requests Linux's virtio_snd sends (PCM_INFO for every stream,
 * SET_PARAMS, PREPARE, START, STOP, RELEASE, JACK_INFO, CHMAP_INFO) and a
 * tx and an rx transfer of one period, framed as the driver frames them.
 *
 * Usage: seeds_snd_msg <dir>
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fuzz_snd_msg.h"
#include "snd_msg.h"

static uint8_t seed[4096];
static int nseeds;
static const char *dir;

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* Write a seed: mode, a request of rlen bytes, room of wlen bytes. */
static int emit(uint8_t mode, const uint8_t *req, uint16_t rlen, uint16_t data,
		uint16_t wlen)
{
	struct fuzz_snd_header h;
	char path[512];
	size_t len;
	FILE *f;

	memset(&h, 0, sizeof(h));
	memset(seed, 0, sizeof(seed));
	h.mode = mode;
	h.state = VSND_PCM_ST_RUNNING;
	h.nr_segs = 0;
	h.segs[h.nr_segs].off = 0;
	h.segs[h.nr_segs++].len = rlen;
	memcpy(seed + sizeof(h), req, rlen);
	if (data) {
		h.writable |= mode == 2 ? 1u << h.nr_segs : 0;
		h.segs[h.nr_segs].off = 256;
		h.segs[h.nr_segs++].len = data;
	}
	h.writable |= 1u << h.nr_segs;
	h.segs[h.nr_segs].off = 2048;
	h.segs[h.nr_segs++].len = wlen;
	memcpy(seed, &h, sizeof(h));
	len = sizeof(h) + 2048 + wlen;
	snprintf(path, sizeof(path), "%s/seed-%02d", dir, nseeds++);
	f = fopen(path, "wb");
	if (!f || fwrite(seed, len, 1, f) != 1) {
		perror(path);
		return 1;
	}
	return fclose(f) ? 1 : 0;
}

static int pcm(uint32_t code, uint32_t sid)
{
	uint8_t r[8];

	put32(r, code);
	put32(r + 4, sid);
	return emit(0, r, 8, 0, 4);
}

int main(int argc, char **argv)
{
	uint8_t r[24];
	int bad = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: seeds_snd_msg <dir>\n");
		return 2;
	}
	dir = argv[1];
	put32(r, VSND_R_PCM_INFO);
	put32(r + 4, 0);
	put32(r + 8, 3);
	put32(r + 12, 32);
	bad |= emit(0, r, 16, 0, 4 + 3 * 32);
	put32(r, VSND_R_JACK_INFO);
	put32(r + 8, 2);
	put32(r + 12, 24);
	bad |= emit(0, r, 16, 0, 4 + 2 * 24);
	put32(r, VSND_R_CHMAP_INFO);
	bad |= emit(0, r, 16, 0, 4 + 2 * 24);
	memset(r, 0, sizeof(r));
	put32(r, VSND_R_PCM_SET_PARAMS);
	put32(r + 8, 7680);
	put32(r + 12, 1920);
	r[20] = 2;
	r[21] = VSND_PCM_FMT_S16;
	r[22] = VSND_PCM_RATE_48000;
	bad |= emit(0, r, 24, 0, 4);
	bad |= pcm(VSND_R_PCM_PREPARE, 0);
	bad |= pcm(VSND_R_PCM_START, 0);
	bad |= pcm(VSND_R_PCM_STOP, 0);
	bad |= pcm(VSND_R_PCM_RELEASE, 1);
	put32(r, 0);
	bad |= emit(1, r, 4, 1024, 8);
	put32(r, 1);
	bad |= emit(2, r, 4, 1024, 8);
	return bad;
}
