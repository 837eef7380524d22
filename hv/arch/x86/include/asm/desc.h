/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The hv's own GDT and IDT, in hv memory. The SOS's tables are in SOS
 * memory, which the hv neither trusts nor maps once it runs on its own
 * page table; with its own IDT, a fault in the hv is logged and stops the
 * CPU instead of vectoring through SOS code.
 */
#ifndef _ASM_X86_DESC_H
#define _ASM_X86_DESC_H

#include <hv/types.h>

/*
 * Builds the tables (once, first CPU in). The GDT gives the code and stack
 * selectors the CPU holds now (@cs, @ss) flat 64-bit descriptors, so
 * loading it changes no selector: the way back to the SOS's GDT needs no
 * far jump either.
 */
void desc_setup(u16 cs, u16 ss);

/* Loads the hv's GDT and IDT on this CPU. */
void desc_load(void);

#endif /* _ASM_X86_DESC_H */
