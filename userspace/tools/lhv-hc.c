// SPDX-License-Identifier: BSD-3-Clause
/*
 * lhv-hc: makes one lhv hypercall from ring 3 and prints RAX as a signed
 * number. Under lhv every call from ring 3 must come back -EPERM (-1),
 * whatever the id (uapi/lhv/hypercall.h); the QEMU scenarios check that
 * (hv-seed: LHV_HC_GET_VSEED pointing at a buffer of this process). On
 * bare metal VMMCALL raises #UD: the process dies of SIGILL.
 *     lhv-hc <id> [rdi] [rsi]     numbers in C notation; rdi "buf": the
 *                                 address of a 4 KiB buffer here
 * Exit status 0 when the call returned, 2 on bad arguments.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lhv/hypercall.h>

static unsigned char buf[4096];

int main(int argc, char **argv)
{
	unsigned long id, a0 = 0, a1 = 0;

	if (argc < 2 || argc > 4) {
		fprintf(stderr, "usage: lhv-hc <id> [rdi|buf] [rsi]\n");
		return 2;
	}
	id = strtoul(argv[1], NULL, 0);
	if (argc > 2)
		a0 = strcmp(argv[2], "buf") ? strtoul(argv[2], NULL, 0)
					    : (unsigned long)(uintptr_t)buf;
	if (argc > 3)
		a1 = strtoul(argv[3], NULL, 0);
	printf("%ld\n", lhv_vmmcall(id, a0, a1));
	return 0;
}
