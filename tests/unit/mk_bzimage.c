// SPDX-License-Identifier: BSD-3-Clause
/*
 * mk_bzimage <file>: write a synthetic bzImage (64 KiB of code, init_size
 * 1 MiB) for tests/unit/test_vm_load.sh.
 */
#include <stdio.h>
#include <stdlib.h>

#include "synth_bzimage.h"

#define PM_SIZE 0x10000u

int main(int argc, char **argv)
{
	static uint8_t buf[SYNTH_SETUP_SIZE + PM_SIZE];
	size_t len = synth_bzimage(buf, PM_SIZE, 0x100000);
	FILE *f;

	if (argc != 2) {
		fputs("usage: mk_bzimage <file>\n", stderr);
		return 2;
	}
	f = fopen(argv[1], "wb");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f)) {
		perror(argv[1]);
		return 1;
	}
	return 0;
}
