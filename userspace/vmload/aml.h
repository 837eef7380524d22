/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The AML of the UOS's DSDT, written out byte by byte (ACPI 6.5, chapter
 * 20): COM1, COM2, the pvpanic device, the PCI root bridge and the
 * reservation of its ECAM, and the \_S5 sleep package.
 */
#ifndef VMLOAD_AML_H
#define VMLOAD_AML_H

#include <stddef.h>
#include <stdint.h>

/*
 * Write the DSDT's AML (what follows the table header) to buf. Returns
 * its length, or 0 if cap is too small.
 */
size_t vml_dsdt_aml(uint8_t *buf, size_t cap);

#endif /* VMLOAD_AML_H */
