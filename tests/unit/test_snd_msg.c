// SPDX-License-Identifier: BSD-3-Clause
/*
 * Unit tests for the virtio-snd message checks (kmod/lib/snd_msg.c):
 * control requests of every code with good and bad sizes, *_INFO bounds
 * (start_id + count overflow, entry sizes, answer room), SET_PARAMS
 * against the stream's offer, the PCM state machine (every state x every
 * command), the *_INFO entries, and the framing of tx/rx transfers in
 * one or several segments. A flat buffer plays guest memory; guard bytes
 * around it must never change.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "snd_msg.h"

#define GUARD 4096u
#define GUARD_BYTE 0x5a
#define MEM_SIZE 0x4000u
#define MAX_SEGS 8u

static uint8_t arena[GUARD + MEM_SIZE + GUARD];
static uint8_t *const mem = arena + GUARD;

static const struct vsnd_stream_caps caps[2] = {
	{ .direction = VSND_D_OUTPUT,
	  .channels_min = 1,
	  .channels_max = 8,
	  .formats = (1ull << VSND_PCM_FMT_S16) | (1ull << VSND_PCM_FMT_S32),
	  .rates = (1ull << VSND_PCM_RATE_44100) |
		   (1ull << VSND_PCM_RATE_48000) },
	{ .direction = VSND_D_INPUT,
	  .channels_min = 2,
	  .channels_max = 2,
	  .formats = 1ull << VSND_PCM_FMT_S16,
	  .rates = 1ull << VSND_PCM_RATE_48000 },
};

static const struct vsnd_dev_desc desc = {
	.jacks = 1,
	.streams = 2,
	.chmaps = 2,
	.caps = caps,
};

static struct vsnd_ctl_req r;
static struct virtq_seg segs[MAX_SEGS];
static struct virtq_seg data[MAX_SEGS];
static struct virtq_chain chain;
static struct vsnd_xfer x;

static int setup(void **state)
{
	(void)state;
	memset(arena, GUARD_BYTE, sizeof(arena));
	memset(mem, 0, MEM_SIZE);
	memset(&chain, 0, sizeof(chain));
	chain.segs = segs;
	chain.max_segs = MAX_SEGS;
	return 0;
}

static int teardown(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 0; i < GUARD; i++) {
		assert_int_equal(arena[i], GUARD_BYTE);
		assert_int_equal(arena[GUARD + MEM_SIZE + i], GUARD_BYTE);
	}
	return 0;
}

static void put32(uint8_t *p, uint32_t v)
{
	lhv_le32 le = lhv_cpu_to_le32(v);

	memcpy(p, &le, 4);
}

static uint32_t get32(const uint8_t *p)
{
	lhv_le32 le;

	memcpy(&le, p, 4);
	return lhv_le32_to_cpu(le);
}

static uint32_t query(uint32_t code, uint32_t start, uint32_t count,
		      uint32_t size, uint32_t resp)
{
	uint8_t q[16];

	put32(q, code);
	put32(q + 4, start);
	put32(q + 8, count);
	put32(q + 12, size);
	return vsnd_ctl_parse(q, sizeof(q), resp, &desc, &r);
}

static uint32_t set_params(uint32_t sid, uint32_t buffer, uint32_t period,
			   uint32_t features, uint8_t ch, uint8_t fmt,
			   uint8_t rate)
{
	uint8_t q[24];

	put32(q, VSND_R_PCM_SET_PARAMS);
	put32(q + 4, sid);
	put32(q + 8, buffer);
	put32(q + 12, period);
	put32(q + 16, features);
	q[20] = ch;
	q[21] = fmt;
	q[22] = rate;
	q[23] = 0;
	return vsnd_ctl_parse(q, sizeof(q), 4, &desc, &r);
}

static void test_ctl_header(void **state)
{
	uint8_t q[32] = { 0 };

	(void)state;
	assert_int_equal(vsnd_ctl_parse(q, 0, 4, &desc, &r), VSND_S_BAD_MSG);
	assert_int_equal(vsnd_ctl_parse(q, 3, 4, &desc, &r), VSND_S_BAD_MSG);
	put32(q, 0x12345);
	assert_int_equal(vsnd_ctl_parse(q, 4, 4, &desc, &r), VSND_S_NOT_SUPP);
	assert_int_equal(r.code, 0x12345);
	put32(q, VSND_R_JACK_REMAP);
	assert_int_equal(vsnd_ctl_parse(q, 12, 4, &desc, &r), VSND_S_NOT_SUPP);
	/* Longer than any request: malformed whatever the code. */
	put32(q, VSND_R_PCM_START);
	assert_int_equal(vsnd_ctl_parse(q, 25, 4, &desc, &r), VSND_S_BAD_MSG);
}

static void test_ctl_pcm_sizes(void **state)
{
	uint8_t q[24] = { 0 };
	uint32_t codes[] = { VSND_R_PCM_PREPARE, VSND_R_PCM_RELEASE,
			     VSND_R_PCM_START, VSND_R_PCM_STOP };
	unsigned int i;

	(void)state;
	for (i = 0; i < 4; i++) {
		put32(q, codes[i]);
		put32(q + 4, 1);
		assert_int_equal(vsnd_ctl_parse(q, 8, 4, &desc, &r), VSND_S_OK);
		assert_int_equal(r.stream_id, 1);
		assert_int_equal(vsnd_ctl_parse(q, 7, 4, &desc, &r),
				 VSND_S_BAD_MSG);
		assert_int_equal(vsnd_ctl_parse(q, 12, 4, &desc, &r),
				 VSND_S_BAD_MSG);
		put32(q + 4, 2); /* no such stream */
		assert_int_equal(vsnd_ctl_parse(q, 8, 4, &desc, &r),
				 VSND_S_BAD_MSG);
		put32(q + 4, 0xffffffffu);
		assert_int_equal(vsnd_ctl_parse(q, 8, 4, &desc, &r),
				 VSND_S_BAD_MSG);
	}
}

static void test_query_bounds(void **state)
{
	(void)state;
	assert_int_equal(query(VSND_R_PCM_INFO, 0, 2, 32, 4 + 64), VSND_S_OK);
	assert_int_equal(vsnd_info_answer_len(&r), 68);
	assert_int_equal(query(VSND_R_PCM_INFO, 1, 1, 32, 36), VSND_S_OK);
	assert_int_equal(query(VSND_R_PCM_INFO, 0, 0, 32, 4), VSND_S_OK);
	/* Past the last stream, and the 32-bit wrap of start + count. */
	assert_int_equal(query(VSND_R_PCM_INFO, 1, 2, 32, 4096),
			 VSND_S_BAD_MSG);
	assert_int_equal(query(VSND_R_PCM_INFO, 0xffffffffu, 2, 32, 4096),
			 VSND_S_BAD_MSG);
	assert_int_equal(query(VSND_R_PCM_INFO, 2, 0xffffffffu, 32, 4096),
			 VSND_S_BAD_MSG);
	/* Entry sizes: at least the structure, at most the bound. */
	assert_int_equal(query(VSND_R_PCM_INFO, 0, 1, 31, 4096),
			 VSND_S_BAD_MSG);
	assert_int_equal(query(VSND_R_PCM_INFO, 0, 1, 64, 4096), VSND_S_OK);
	assert_int_equal(query(VSND_R_PCM_INFO, 0, 1, VSND_INFO_SIZE_MAX + 1,
			       0xffffffffu),
			 VSND_S_BAD_MSG);
	/* The answer must fit the driver's buffer. */
	assert_int_equal(query(VSND_R_PCM_INFO, 0, 2, 32, 67), VSND_S_BAD_MSG);
	/* Jacks and chmaps by their own counts. */
	assert_int_equal(query(VSND_R_JACK_INFO, 0, 1, 24, 28), VSND_S_OK);
	assert_int_equal(query(VSND_R_JACK_INFO, 0, 2, 24, 52), VSND_S_BAD_MSG);
	assert_int_equal(query(VSND_R_CHMAP_INFO, 0, 2, 24, 52), VSND_S_OK);
	/* A query of the wrong size. */
	{
		uint8_t q[20] = { 0 };

		put32(q, VSND_R_PCM_INFO);
		assert_int_equal(vsnd_ctl_parse(q, 12, 4096, &desc, &r),
				 VSND_S_BAD_MSG);
		assert_int_equal(vsnd_ctl_parse(q, 20, 4096, &desc, &r),
				 VSND_S_BAD_MSG);
	}
}

static void test_info_entries(void **state)
{
	uint8_t e[64];

	(void)state;
	assert_int_equal(query(VSND_R_PCM_INFO, 0, 2, 64, 4096), VSND_S_OK);
	memset(e, 0xee, sizeof(e));
	vsnd_info_entry(&r, &desc, 1, e);
	assert_int_equal(get32(e), 1); /* hda_fn_nid = stream id */
	assert_int_equal(get32(e + 4), VSND_PCM_FEATURES);
	assert_int_equal(get32(e + 8), 1u << VSND_PCM_FMT_S16);
	assert_int_equal(get32(e + 16), 1u << VSND_PCM_RATE_48000);
	assert_int_equal(e[24], VSND_D_INPUT);
	assert_int_equal(e[25], 2);
	assert_int_equal(e[26], 2);
	assert_int_equal(e[40], 0); /* the tail past the structure is zero */
	assert_int_equal(e[63], 0);

	assert_int_equal(query(VSND_R_CHMAP_INFO, 0, 1, 24, 4096), VSND_S_OK);
	vsnd_info_entry(&r, &desc, 0, e);
	assert_int_equal(e[4], VSND_D_OUTPUT);
	assert_int_equal(e[5], 8);
	assert_int_equal(e[6], VSND_CHMAP_FL);
	assert_int_equal(e[13], VSND_CHMAP_FL + 7);

	assert_int_equal(query(VSND_R_JACK_INFO, 0, 1, 24, 4096), VSND_S_OK);
	vsnd_info_entry(&r, &desc, 0, e);
	assert_int_equal(e[16], 1); /* connected */
}

static void test_set_params(void **state)
{
	(void)state;
	assert_int_equal(set_params(0, 19200, 1920, 0, 2, VSND_PCM_FMT_S16,
				    VSND_PCM_RATE_48000),
			 VSND_S_OK);
	assert_int_equal(r.params.frame_bytes, 4);
	assert_int_equal(r.params.rate_hz, 48000);
	assert_int_equal(set_params(0, 3528, 1764, 0, 1, VSND_PCM_FMT_S32,
				    VSND_PCM_RATE_44100),
			 VSND_S_OK);
	/* An unsupported rate, format, channel count or feature. */
	assert_int_equal(set_params(0, 19200, 1920, 0, 2, VSND_PCM_FMT_S16,
				    10 /* 96000 */),
			 VSND_S_NOT_SUPP);
	assert_int_equal(
		set_params(0, 19200, 1920, 0, 2, VSND_PCM_FMT_S16, 200),
		VSND_S_NOT_SUPP);
	assert_int_equal(set_params(0, 19200, 1920, 0, 2, VSND_PCM_FMT_U8,
				    VSND_PCM_RATE_48000),
			 VSND_S_NOT_SUPP);
	assert_int_equal(
		set_params(0, 19200, 1920, 0, 2, 255, VSND_PCM_RATE_48000),
		VSND_S_NOT_SUPP);
	assert_int_equal(set_params(0, 19200, 1920, 0, 9, VSND_PCM_FMT_S16,
				    VSND_PCM_RATE_48000),
			 VSND_S_NOT_SUPP);
	assert_int_equal(set_params(1, 19200, 1920, 0, 1, VSND_PCM_FMT_S16,
				    VSND_PCM_RATE_48000),
			 VSND_S_NOT_SUPP);
	assert_int_equal(set_params(0, 19200, 1920, 1u << VSND_PCM_F_SHMEM_HOST,
				    2, VSND_PCM_FMT_S16, VSND_PCM_RATE_48000),
			 VSND_S_NOT_SUPP);
	assert_int_equal(set_params(0, 19200, 1920, 1u << VSND_PCM_F_EVT_XRUNS,
				    2, VSND_PCM_FMT_S16, VSND_PCM_RATE_48000),
			 VSND_S_OK);
	/* Sizes: no period, partial frames, buffer not whole periods. */
	assert_int_equal(set_params(0, 19200, 0, 0, 2, VSND_PCM_FMT_S16,
				    VSND_PCM_RATE_48000),
			 VSND_S_BAD_MSG);
	assert_int_equal(set_params(0, 19200, 1922, 0, 2, VSND_PCM_FMT_S16,
				    VSND_PCM_RATE_48000),
			 VSND_S_BAD_MSG);
	assert_int_equal(set_params(0, 1000, 1920, 0, 2, VSND_PCM_FMT_S16,
				    VSND_PCM_RATE_48000),
			 VSND_S_BAD_MSG);
	assert_int_equal(set_params(0, 5000, 1920, 0, 2, VSND_PCM_FMT_S16,
				    VSND_PCM_RATE_48000),
			 VSND_S_BAD_MSG);
	/* A period shorter than the clock allows, a buffer too big. */
	assert_int_equal(set_params(0, 400, 40, 0, 2, VSND_PCM_FMT_S16,
				    VSND_PCM_RATE_48000),
			 VSND_S_NOT_SUPP);
	assert_int_equal(set_params(0, 1920u * 4096, 1920, 0, 2,
				    VSND_PCM_FMT_S16, VSND_PCM_RATE_48000),
			 VSND_S_NOT_SUPP);
	/* 1 ms is fine (48 frames). */
	assert_int_equal(set_params(0, 768, 192, 0, 2, VSND_PCM_FMT_S16,
				    VSND_PCM_RATE_48000),
			 VSND_S_OK);
}

/* Every state x command against the table of 5.14.6.6.1. */
static void test_state_machine(void **state)
{
	static const uint32_t cmds[] = {
		VSND_R_PCM_SET_PARAMS, VSND_R_PCM_PREPARE, VSND_R_PCM_START,
		VSND_R_PCM_STOP,       VSND_R_PCM_RELEASE,
	};
	/* allowed[state][cmd] -> next state, or -1 */
	static const int next[6][5] = {
		[VSND_PCM_ST_INIT] = { VSND_PCM_ST_PARAMS, -1, -1, -1, -1 },
		[VSND_PCM_ST_PARAMS] = { VSND_PCM_ST_PARAMS,
					 VSND_PCM_ST_PREPARED, -1, -1, -1 },
		[VSND_PCM_ST_PREPARED] = { VSND_PCM_ST_PARAMS,
					   VSND_PCM_ST_PREPARED,
					   VSND_PCM_ST_RUNNING, -1,
					   VSND_PCM_ST_RELEASED },
		[VSND_PCM_ST_RUNNING] = { -1, -1, -1, VSND_PCM_ST_STOPPED, -1 },
		[VSND_PCM_ST_STOPPED] = { -1, -1, VSND_PCM_ST_RUNNING, -1,
					  VSND_PCM_ST_RELEASED },
		[VSND_PCM_ST_RELEASED] = { VSND_PCM_ST_PARAMS,
					   VSND_PCM_ST_PREPARED, -1, -1, -1 },
	};
	enum vsnd_pcm_state st;
	unsigned int s, c;

	(void)state;
	for (s = 0; s < 6; s++) {
		for (c = 0; c < 5; c++) {
			st = (enum vsnd_pcm_state)s;
			if (next[s][c] < 0) {
				assert_int_equal(
					vsnd_pcm_transition(&st, cmds[c]),
					VSND_S_BAD_MSG);
				assert_int_equal(st, s);
			} else {
				assert_int_equal(
					vsnd_pcm_transition(&st, cmds[c]),
					VSND_S_OK);
				assert_int_equal(st, next[s][c]);
			}
		}
		st = (enum vsnd_pcm_state)s;
		assert_int_equal(vsnd_pcm_transition(&st, VSND_R_PCM_INFO),
				 VSND_S_BAD_MSG);
	}
}

static void seg(unsigned int i, uint32_t off, uint32_t len, bool w)
{
	segs[i].addr = mem + off;
	segs[i].gpa = 0x100000 + off;
	segs[i].len = len;
	segs[i].writable = w;
}

/* A tx chain: header, data in n pieces, status; readable first. */
static void tx_chain(uint32_t sid, uint32_t len, unsigned int pieces)
{
	unsigned int i;

	put32(mem, sid);
	seg(0, 0, 4, false);
	for (i = 0; i < pieces; i++)
		seg(1 + i, 64 + i * 1024, len / pieces, false);
	seg(1 + pieces, 0x3000, 8, true);
	chain.nr_segs = (uint16_t)(pieces + 2);
	chain.nr_readable = (uint16_t)(pieces + 1);
	chain.nr_writable = 1;
	chain.readable_len = 4 + len;
	chain.writable_len = 8;
}

static void test_xfer_tx(void **state)
{
	struct vsnd_pcm_params p = { .buffer_bytes = 1920 * 4,
				     .period_bytes = 1920,
				     .frame_bytes = 4 };

	(void)state;
	tx_chain(0, 1920, 3);
	assert_int_equal(vsnd_xfer_parse(&chain, true, &desc, &x, data), 0);
	assert_int_equal(x.answer, VSND_S_OK);
	assert_int_equal(x.stream_id, 0);
	assert_int_equal(x.data_len, 1920);
	assert_int_equal(x.nr_data, 3);
	assert_int_equal(x.status.nr, 1);
	assert_ptr_equal(x.status.seg[0].addr, mem + 0x3000);
	assert_int_equal(vsnd_xfer_check(&x, VSND_PCM_ST_RUNNING, &p, 0),
			 VSND_S_OK);
	assert_int_equal(vsnd_xfer_check(&x, VSND_PCM_ST_PARAMS, &p, 0),
			 VSND_S_BAD_MSG);
	assert_int_equal(vsnd_xfer_check(&x, VSND_PCM_ST_PREPARED, &p, 0),
			 VSND_S_OK);
	/* More than the buffer in flight. */
	assert_int_equal(vsnd_xfer_check(&x, VSND_PCM_ST_RUNNING, &p, 6000),
			 VSND_S_BAD_MSG);
	vsnd_xfer_status(&x, VSND_S_OK, 480);
	assert_int_equal(get32(mem + 0x3000), VSND_S_OK);
	assert_int_equal(get32(mem + 0x3004), 480);

	/* Header and data in one segment. */
	put32(mem, 0);
	seg(0, 0, 4 + 16, false);
	seg(1, 0x3000, 8, true);
	chain.nr_segs = 2;
	chain.nr_readable = 1;
	chain.readable_len = 20;
	assert_int_equal(vsnd_xfer_parse(&chain, true, &desc, &x, data), 0);
	assert_int_equal(x.answer, VSND_S_OK);
	assert_int_equal(x.data_len, 16);
	assert_ptr_equal(x.data[0].addr, mem + 4);
	/* Partial frames. */
	x.data_len = 6;
	assert_int_equal(vsnd_xfer_check(&x, VSND_PCM_ST_RUNNING, &p, 0),
			 VSND_S_BAD_MSG);
}

static void test_xfer_bad(void **state)
{
	(void)state;
	/* The input stream on the tx queue: wrong direction. */
	tx_chain(1, 64, 1);
	assert_int_equal(vsnd_xfer_parse(&chain, true, &desc, &x, data), 0);
	assert_int_equal(x.answer, VSND_S_BAD_MSG);
	/* And the output stream on the rx queue. */
	tx_chain(0, 64, 1);
	assert_int_equal(vsnd_xfer_parse(&chain, false, &desc, &x, data), 0);
	assert_int_equal(x.answer, VSND_S_BAD_MSG);
	/* No such stream. */
	tx_chain(7, 64, 1);
	assert_int_equal(vsnd_xfer_parse(&chain, true, &desc, &x, data), 0);
	assert_int_equal(x.answer, VSND_S_BAD_MSG);
	/* No data. */
	tx_chain(0, 0, 0);
	assert_int_equal(vsnd_xfer_parse(&chain, true, &desc, &x, data), 0);
	assert_int_equal(x.answer, VSND_S_BAD_MSG);
	/* A header of 2 bytes. */
	seg(0, 0, 2, false);
	seg(1, 0x3000, 8, true);
	chain.nr_segs = 2;
	chain.nr_readable = 1;
	chain.readable_len = 2;
	assert_int_equal(vsnd_xfer_parse(&chain, true, &desc, &x, data), 0);
	assert_int_equal(x.answer, VSND_S_BAD_MSG);
	/* A status buffer of 7 bytes: nothing to answer with. */
	seg(1, 0x3000, 7, true);
	chain.writable_len = 7;
	assert_int_equal(vsnd_xfer_parse(&chain, true, &desc, &x, data),
			 -EPROTO);
	/* No writable buffer at all. */
	chain.nr_segs = 1;
	chain.nr_writable = 0;
	chain.writable_len = 0;
	assert_int_equal(vsnd_xfer_parse(&chain, true, &desc, &x, data),
			 -EPROTO);
}

/* An rx chain for stream 1: the header, then n writable buffers; parsed. */
static void rx_chain(const uint32_t (*bufs)[2], unsigned int n)
{
	unsigned int i;

	put32(mem, 1);
	seg(0, 0, 4, false);
	chain.writable_len = 0;
	for (i = 0; i < n; i++) {
		seg(1 + i, bufs[i][0], bufs[i][1], true);
		chain.writable_len += bufs[i][1];
	}
	chain.nr_segs = (uint16_t)(n + 1);
	chain.nr_readable = 1;
	chain.nr_writable = (uint16_t)n;
	chain.readable_len = 4;
	assert_int_equal(vsnd_xfer_parse(&chain, false, &desc, &x, data), 0);
	assert_int_equal(x.answer, VSND_S_OK);
}

/*
 * An rx chain whose buffer the walker split at guest-memory edges: the
 * status straddles three segments (5 data bytes + 1, 2, 5 status bytes).
 */
static void test_xfer_rx_status_split(void **state)
{
	static const uint8_t pcm[4] = { 1, 2, 3, 4 };
	static const uint32_t split_bufs[][2] = { { 0x100, 5 },
						  { 0x200, 2 },
						  { 0x300, 5 } };

	(void)state;
	memset(mem + 0x100, 0xee, 0x300);
	rx_chain(split_bufs, 3);
	assert_int_equal(x.data_len, 4);
	assert_int_equal(x.nr_data, 1);
	assert_int_equal(x.status.nr, 3);
	assert_int_equal(seg_write(x.data, x.nr_data, 0, pcm, 4), 4);
	vsnd_xfer_status(&x, VSND_S_IO_ERR, 0x11223344);
	assert_memory_equal(mem + 0x100, pcm, 4);
	/* le32 status 0x8003, then le32 latency, across the three pieces. */
	assert_int_equal(mem[0x104], 0x03);
	assert_int_equal(mem[0x200], 0x80);
	assert_int_equal(mem[0x201], 0);
	assert_int_equal(mem[0x300], 0);
	assert_int_equal(get32(mem + 0x301), 0x11223344);
	assert_int_equal(mem[0x305], 0xee);
}

static void test_xfer_rx(void **state)
{
	static const uint8_t pcm[12] = {
		1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12
	};
	/* The data tail and the status together in the second buffer. */
	static const uint32_t bufs[][2] = { { 0x100, 5 }, { 0x200, 7 + 8 } };
	uint8_t back[12];

	(void)state;
	rx_chain(bufs, 2);
	assert_int_equal(x.data_len, 12);
	assert_int_equal(x.nr_data, 2);
	assert_int_equal(x.status.nr, 1);
	assert_ptr_equal(x.status.seg[0].addr, mem + 0x200 + 7);
	assert_int_equal(seg_write(x.data, x.nr_data, 0, pcm, 12), 12);
	assert_memory_equal(mem + 0x100, pcm, 5);
	assert_memory_equal(mem + 0x200, pcm + 5, 7);
	assert_int_equal(seg_read(x.data, x.nr_data, 3, back, 12), 9);
	assert_memory_equal(back, pcm + 3, 9);
	/* Writes stop at the end of the segments. */
	assert_int_equal(seg_write(x.data, x.nr_data, 10, pcm, 12), 2);
}

static void test_widths_rates(void **state)
{
	(void)state;
	assert_int_equal(vsnd_format_width(VSND_PCM_FMT_S16), 2);
	assert_int_equal(vsnd_format_width(VSND_PCM_FMT_S32), 4);
	assert_int_equal(vsnd_format_width(VSND_PCM_FMT_FLOAT64), 8);
	assert_int_equal(vsnd_format_width(0), 0);  /* IMA ADPCM */
	assert_int_equal(vsnd_format_width(21), 0); /* DSD */
	assert_int_equal(vsnd_format_width(64), 0);
	assert_int_equal(vsnd_rate_hz(VSND_PCM_RATE_44100), 44100);
	assert_int_equal(vsnd_rate_hz(12), 192000);
	assert_int_equal(vsnd_rate_hz(13), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ctl_header, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_ctl_pcm_sizes, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_query_bounds, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_info_entries, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_set_params, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_state_machine, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_xfer_tx, setup, teardown),
		cmocka_unit_test_setup_teardown(test_xfer_bad, setup, teardown),
		cmocka_unit_test_setup_teardown(test_xfer_rx, setup, teardown),
		cmocka_unit_test_setup_teardown(test_xfer_rx_status_split,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_widths_rates, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
