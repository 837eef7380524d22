/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A synthetic 64-bit bzImage for tests: a valid setup header (protocol
 * 2.15, relocatable, XLF_KERNEL_64 and XLF_CAN_BE_LOADED_ABOVE_4G) and
 * pm_size bytes of patterned "code", so tests need no real kernel.
 */
#ifndef TESTS_SYNTH_BZIMAGE_H
#define TESTS_SYNTH_BZIMAGE_H

#include <stddef.h>
#include <stdint.h>

/* One setup sector: the real-mode part is 1024 bytes. */
#define SYNTH_SETUP_SIZE 1024u
#define SYNTH_PREF_ADDRESS 0x1000000u
#define SYNTH_ALIGN 0x200000u
#define SYNTH_CMDLINE_SIZE 2047u

/* Byte i of the synthetic code. */
uint8_t synth_code_byte(size_t i);

/*
 * Write the image into buf (at least SYNTH_SETUP_SIZE + pm_size bytes;
 * pm_size a multiple of 16). Returns its length.
 */
size_t synth_bzimage(uint8_t *buf, uint32_t pm_size, uint32_t init_size);

#endif /* TESTS_SYNTH_BZIMAGE_H */
