// SPDX-License-Identifier: BSD-3-Clause
/*
 * Writes seed inputs for fuzz_bzimage into a directory: the control block
 * (see fuzz_bzimage.c) and a synthetic 64-bit bzImage
 * (tests/unit/synth_bzimage.c), with and without initrd, command line and
 * TSC, and with a few header fields at their limits.
 *
 * Usage: seeds_bzimage <dir>
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "synth_bzimage.h"

#define PM 0x2000u

static uint8_t seed[6 + SYNTH_SETUP_SIZE + PM];

static int write_seed(const char *dir, int n, const uint8_t ctl[6], size_t off,
		      uint8_t val)
{
	char path[512];
	size_t len;
	FILE *f;

	memcpy(seed, ctl, 6);
	len = 6 + synth_bzimage(seed + 6, PM, 0x100000);
	if (off)
		seed[6 + off] = val;
	snprintf(path, sizeof(path), "%s/seed-%02d", dir, n);
	f = fopen(path, "wb");
	if (!f || fwrite(seed, 1, len, f) != len || fclose(f)) {
		perror(path);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const uint8_t ctl[][6] = {
		{ 0, 0, 0, 0, 0, 0 },	     /* 1 vCPU, nothing else */
		{ 3, 25, 0, 40, 0, 0x81 },   /* initrd, cmdline, TSC */
		{ 63, 0, 1, 0xf0, 0x07, 0 }, /* 64 vCPUs, 2032-byte line */
	};
	/* Header bytes at interesting values: alignment, init_size, max. */
	static const struct {
		size_t off;
		uint8_t val;
	} tweak[] = {
		{ 0, 0 },	 { 0x232, 0x00 }, { 0x262, 0x10 },
		{ 0x22f, 0x00 }, { 0x236, 0x01 }, { 0x25a, 0x40 },
	};
	unsigned int i, j;
	int n = 0, rc = 0;

	if (argc != 2) {
		fputs("usage: seeds_bzimage <dir>\n", stderr);
		return 2;
	}
	for (i = 0; i < sizeof(ctl) / sizeof(ctl[0]); i++)
		for (j = 0; j < sizeof(tweak) / sizeof(tweak[0]); j++)
			rc |= write_seed(argv[1], n++, ctl[i], tweak[j].off,
					 tweak[j].val);
	return rc;
}
