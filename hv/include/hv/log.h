/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The hv log: a ring of text lines in hv memory that the SOS reads. Its
 * layout and the reader's protocol are part of the image ABI, see struct
 * lhv_log_ring in <lhv/hv_image.h>; the image header gives its offset.
 */
#ifndef _HV_LOG_H
#define _HV_LOG_H

#include <lhv/hv_image.h>
#include <hv/compiler.h>
#include <hv/page.h>
#include <hv/types.h>

/* Bytes of log text; a power of two so positions reduce with a mask. */
#define HV_LOG_SIZE (16 * 1024)

/*
 * The ring header followed directly by its text, in .bss. Page aligned
 * and padded to whole pages: the SOS's nested page table maps exactly
 * these pages read-only, and nothing else of the hv may share them.
 */
struct hv_log_area {
	struct lhv_log_ring ring;
	char data[HV_LOG_SIZE];
} __aligned(PAGE_SIZE);

extern struct hv_log_area hv_log;

/* Appends @len bytes to the ring; only the last HV_LOG_SIZE are kept. */
void log_write(const char *s, size_t len);

/* Formats one line (at most HV_LOG_LINE_MAX bytes) and appends it. */
#define HV_LOG_LINE_MAX 160
void log_printf(const char *fmt, ...) __printf(1, 2);

#endif /* _HV_LOG_H */
