// SPDX-License-Identifier: BSD-3-Clause
/*
 * Writes seed inputs for fuzz_virtq into a directory: well-formed rings
 * as a driver lays them out (plain, read+write, indirect, EVENT_IDX,
 * wrapping indices, buffers and an indirect table split by map), so the
 * fuzzer starts deep inside the walker.
 *
 * Usage: seeds_virtq <dir>
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "seed_file.h"

#include "virtq.h"
#include "fuzz_virtq.h"

#define IMG_SIZE 0x1800u
#define DESC_OFF 0x0u
#define AVAIL_OFF 0x400u
#define USED_OFF 0x500u
#define TABLE_OFF 0x700u
#define BUF_OFF 0x800u

static struct {
	struct fuzz_virtq_header h;
	uint8_t img[IMG_SIZE];
} seed;

static void desc_at(uint32_t table, uint16_t i, uint32_t buf, uint32_t len,
		    uint16_t flags, uint16_t next)
{
	struct virtq_desc d = { FUZZ_VIRTQ_GPA + buf, len, flags, next };

	memcpy(seed.img + table + 16u * i, &d, sizeof(d));
}

static void avail_add(uint16_t head)
{
	uint16_t idx, size = (uint16_t)(1u << seed.h.size_log2);

	memcpy(&idx, seed.img + AVAIL_OFF + 2, 2);
	memcpy(seed.img + AVAIL_OFF + 4 + 2 * (idx & (size - 1)), &head, 2);
	idx++;
	memcpy(seed.img + AVAIL_OFF + 2, &idx, 2);
}

static void start(uint8_t features, uint16_t idx)
{
	memset(&seed, 0, sizeof(seed));
	seed.h.size_log2 = 4;
	seed.h.features = features;
	seed.h.max_segs = 16;
	seed.h.script = 0x5a;
	seed.h.start_idx = idx;
	seed.h.desc_off = DESC_OFF;
	seed.h.avail_off = AVAIL_OFF;
	seed.h.used_off = USED_OFF;
	memcpy(seed.img + AVAIL_OFF + 2, &idx, 2);
	memcpy(seed.img + USED_OFF + 2, &idx, 2);
}

static int save(const char *dir, const char *name)
{
	return seed_save(dir, name, &seed, sizeof(seed));
}

int main(int argc, char **argv)
{
	int err = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: %s <dir>\n", argv[0]);
		return 2;
	}

	start(0, 0);
	desc_at(DESC_OFF, 3, BUF_OFF, 64, 0, 0);
	avail_add(3);
	err |= save(argv[1], "plain");

	start(0, 65534);
	desc_at(DESC_OFF, 0, BUF_OFF, 16, VIRTQ_DESC_F_NEXT, 5);
	desc_at(DESC_OFF, 5, BUF_OFF + 0x100, 512,
		VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 9);
	desc_at(DESC_OFF, 9, BUF_OFF + 0x300, 1, VIRTQ_DESC_F_WRITE, 0);
	desc_at(DESC_OFF, 1, BUF_OFF + 0x400, 8, 0, 0);
	avail_add(0);
	avail_add(1);
	avail_add(0);
	err |= save(argv[1], "read-write-wrap");

	start(3, 0);
	desc_at(DESC_OFF, 2, BUF_OFF, 16, VIRTQ_DESC_F_NEXT, 4);
	desc_at(DESC_OFF, 4, TABLE_OFF, 3 * 16, VIRTQ_DESC_F_INDIRECT, 0);
	desc_at(TABLE_OFF, 0, BUF_OFF + 0x100, 32, VIRTQ_DESC_F_NEXT, 1);
	desc_at(TABLE_OFF, 1, BUF_OFF + 0x200, 256,
		VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 2);
	desc_at(TABLE_OFF, 2, BUF_OFF + 0x400, 1, VIRTQ_DESC_F_WRITE, 0);
	desc_at(DESC_OFF, 7, BUF_OFF + 0x500, 4, 0, 0);
	avail_add(2);
	avail_add(7);
	err |= save(argv[1], "indirect-event-idx");

	/* Memory split every 0x100 bytes: buffers and a table cross edges. */
	start(1, 0);
	seed.h.split = 0x100;
	desc_at(DESC_OFF, 0, BUF_OFF + 0xf8, 16, VIRTQ_DESC_F_NEXT, 1);
	desc_at(DESC_OFF, 1, 0x6f8, 3 * 16, VIRTQ_DESC_F_INDIRECT, 0);
	desc_at(0x6f8, 0, BUF_OFF + 0x180, 0x300, VIRTQ_DESC_F_NEXT, 1);
	desc_at(0x6f8, 1, BUF_OFF + 0x4ff, 2,
		VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 2);
	desc_at(0x6f8, 2, BUF_OFF + 0x600, 1, VIRTQ_DESC_F_WRITE, 0);
	avail_add(0);
	err |= save(argv[1], "split-memory");
	return err;
}
