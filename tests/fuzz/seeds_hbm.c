// SPDX-License-Identifier: BSD-3-Clause
/*
 * Writes seed inputs for fuzz_hbm into a directory: the bus sessions a
 * host driver runs (start, enumerate, properties, connect, flow control,
 * notify, disconnect, stop), raw and framed behind headers, and client
 * messages with credits, so the fuzzer starts with connections in place.
 *
 * Usage: seeds_hbm <dir>
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "seed_file.h"

#include "hbm.h"

static uint8_t seed[1024];
static size_t seed_len;

/* One record: op, length, bytes (see fuzz_hbm.c). */
static void rec(uint8_t op, const uint8_t *b, uint8_t n)
{
	if (seed_len + 2 + n > sizeof(seed))
		return;
	seed[seed_len++] = op;
	seed[seed_len++] = n;
	memcpy(seed + seed_len, b, n);
	seed_len += n;
}

/* A bus message handed over raw (op 6). */
static void raw(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	const uint8_t m[4] = { a, b, c, d };

	rec(6, m, 4);
}

/* A bus message behind a header (op 0; bit 25 set: length made right). */
static void framed(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	const uint8_t m[8] = { 0, 0, 0, 0x82, a, b, c, d };

	rec(0, m, 8);
}

static void fc(uint8_t me, uint8_t host)
{
	const uint8_t m[8] = { HBM_FLOW_CONTROL, me, host };

	rec(6, m, 8);
}

static int save(const char *dir, const char *name)
{
	int err = seed_save(dir, name, seed, seed_len);

	seed_len = 0;
	return err;
}

int main(int argc, char **argv)
{
	const uint8_t addrs[2] = { 5, 1 }; /* host 5, me 1 */
	int err = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: %s <dir>\n", argv[0]);
		return 2;
	}
	raw(HBM_HOST_START_REQ, 0, 2, 2);
	raw(HBM_HOST_ENUM_REQ, 0, 0, 0);
	raw(HBM_CLIENT_PROPS_REQ, 1, 0, 0);
	raw(HBM_CLIENT_PROPS_REQ, 2, 0, 0);
	raw(HBM_CLIENT_CONNECT_REQ, 1, 5, 0);
	raw(HBM_CLIENT_CONNECT_REQ, 2, 6, 0);
	raw(HBM_CLIENT_CONNECT_REQ, 0x80, 7, 0);
	raw(HBM_NOTIFY_REQ, 1, 5, 1);
	fc(1, 5);
	fc(1, 5);
	rec(8, addrs, 2);
	rec(9, addrs, 8);
	raw(HBM_CLIENT_DISCONNECT_REQ, 1, 5, 0);
	raw(HBM_HOST_STOP_REQ, 0, 0, 0);
	err |= save(argv[1], "session-raw");

	framed(HBM_HOST_START_REQ, 0, 0, 2);
	framed(HBM_HOST_ENUM_REQ, 0, 0, 0);
	framed(HBM_CLIENT_CONNECT_REQ, 0xff, 9, 0);
	framed(HBM_CLIENT_CONNECT_REQ, 0xff, 10, 0);
	framed(HBM_NOTIFY_REQ, 0xff, 9, 1);
	rec(7, NULL, 0);
	framed(HBM_HOST_START_REQ, 0, 0, 1);
	framed(HBM_HOST_ENUM_REQ, 0, 0, 0);
	framed(HBM_CLIENT_CONNECT_REQ, 2, 9, 0);
	err |= save(argv[1], "session-framed");

	/* Client messages: credits granted (op 11), packets (op 10). */
	raw(HBM_HOST_START_REQ, 0, 0, 2);
	raw(HBM_HOST_ENUM_REQ, 0, 0, 0);
	raw(HBM_CLIENT_CONNECT_REQ, 1, 5, 0);
	raw(HBM_CLIENT_CONNECT_REQ, 0xff, 6, 0);
	rec(11, addrs, 2);
	rec(10, (const uint8_t[]){ 5, 1, 0, 'a', 'b', 'c' }, 6);
	rec(10, (const uint8_t[]){ 5, 1, 1, 'd' }, 4);
	rec(10, (const uint8_t[]){ 5, 1, 1, 'e' }, 4); /* no credit */
	rec(11, addrs, 2);
	rec(10, (const uint8_t[]){ 5, 1, 1 }, 3); /* empty */
	rec(11, (const uint8_t[]){ 6, 0xff }, 2);
	rec(10, (const uint8_t[]){ 6, 0xff, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 }, 12);
	err |= save(argv[1], "session-client");
	return err;
}
