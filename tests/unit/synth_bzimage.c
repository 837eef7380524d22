// SPDX-License-Identifier: BSD-3-Clause
/*
 * A synthetic 64-bit bzImage for tests (see synth_bzimage.h). Offsets are
 * those of Documentation/arch/x86/boot.rst, written out here on purpose:
 * the tests must not share the parser's own constants.
 */
#include "synth_bzimage.h"

#include <string.h>

static void put(uint8_t *p, uint64_t v, unsigned int bytes)
{
	unsigned int i;

	for (i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

uint8_t synth_code_byte(size_t i)
{
	return (uint8_t)(i * 7 + 1);
}

size_t synth_bzimage(uint8_t *buf, uint32_t pm_size, uint32_t init_size)
{
	size_t i;

	memset(buf, 0, SYNTH_SETUP_SIZE);
	buf[0x1f1] = 1;			   /* setup_sects */
	put(buf + 0x1f4, pm_size / 16, 4); /* syssize */
	put(buf + 0x1fe, 0xaa55, 2);	   /* boot_flag */
	buf[0x200] = 0xeb;		   /* jmp short */
	buf[0x201] = 0x6a;		   /* header ends at 0x26c */
	memcpy(buf + 0x202, "HdrS", 4);
	put(buf + 0x206, 0x020f, 2);		 /* version 2.15 */
	buf[0x211] = 0x01;			 /* LOADED_HIGH */
	put(buf + 0x214, 0x100000, 4);		 /* code32_start */
	put(buf + 0x22c, 0x7fffffff, 4);	 /* initrd_addr_max */
	put(buf + 0x230, SYNTH_ALIGN, 4);	 /* kernel_alignment */
	buf[0x234] = 1;				 /* relocatable_kernel */
	buf[0x235] = 21;			 /* min_alignment */
	put(buf + 0x236, 0x3, 2);		 /* XLF_KERNEL_64 | ABOVE_4G */
	put(buf + 0x238, SYNTH_CMDLINE_SIZE, 4); /* cmdline_size */
	put(buf + 0x258, SYNTH_PREF_ADDRESS, 8); /* pref_address */
	put(buf + 0x260, init_size, 4);		 /* init_size */
	for (i = 0; i < pm_size; i++)
		buf[SYNTH_SETUP_SIZE + i] = synth_code_byte(i);
	return SYNTH_SETUP_SIZE + pm_size;
}
