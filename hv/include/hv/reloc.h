/* SPDX-License-Identifier: BSD-3-Clause */
/* The hv's own run-time relocations (core/reloc.c). */
#ifndef _HV_RELOC_H
#define _HV_RELOC_H

/*
 * Applies the image's R_X86_64_RELATIVE relocations on the first call of
 * an enable; later calls only report the outcome. Returns 0 or -ENOEXEC.
 */
int hv_relocate(void);

#endif /* _HV_RELOC_H */
