// SPDX-License-Identifier: BSD-3-Clause
/*
 * Unit tests for hv_image_check() (hv/lib/image_check.c): a well-formed
 * image built in memory, one test per rule it breaks, and optionally the
 * real image.
 *
 * Usage: test_hv_image_check [lhv.bin]
 * With a path the built image must pass too; without, that test is skipped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <lhv/version.h>

#include "image_check.h"

/*
 * The in-memory image, laid out as lhv.ld does: header page, one page of
 * text, one of data; log ring and per-CPU areas in .bss.
 */
#define T_IMAGE_SIZE 0x3000
#define T_MEM_SIZE 0x10000
#define T_TEXT_OFFSET 0x1000
#define T_TEXT_SIZE 0x800
#define T_LOG_OFFSET 0x3000
#define T_LOG_SIZE 0x1000
#define T_KEEP_OFFSET 0xf000
#define T_KEEP_SIZE 0x1000

static union {
	struct lhv_hv_image_header h;
	unsigned char bytes[T_IMAGE_SIZE + 64];
} img;

static const char *image_path;

static int reset_image(void **state)
{
	struct lhv_hv_image_header *h = &img.h;

	(void)state;
	memset(&img, 0, sizeof(img));
	h->magic = LHV_IMAGE_MAGIC;
	h->header_version = LHV_IMAGE_HEADER_VERSION;
	h->header_size = sizeof(*h);
	h->abi_version = LHV_ABI_VERSION;
	h->image_size = T_IMAGE_SIZE;
	h->mem_size = T_MEM_SIZE;
	h->text_offset = T_TEXT_OFFSET;
	h->text_size = T_TEXT_SIZE;
	h->entry_offset = T_TEXT_OFFSET + 0x10;
	h->log_offset = T_LOG_OFFSET;
	h->log_size = T_LOG_SIZE;
	h->max_cpus = 4;
	h->percpu_size = 0x2000;
	h->stack_size = 0x1000;
	strcpy(h->version, LHV_VERSION_STRING);
	h->keep_offset = T_KEEP_OFFSET;
	h->keep_size = T_KEEP_SIZE;
	return 0;
}

/* Checks the in-memory image; @len is what the "file" holds. */
static int check_len(size_t len, const char **why)
{
	return hv_image_check(img.bytes, len, why);
}

/* The image must be refused with -@err and a reason containing @reason. */
static void assert_rejected(size_t len, int err, const char *reason)
{
	const char *why = NULL;
	int ret = check_len(len, &why);

	assert_int_equal(ret, -err);
	assert_non_null(why);
	if (!strstr(why, reason))
		fail_msg("reason \"%s\" does not mention \"%s\"", why, reason);
	/* The verdict must not depend on whether a reason is wanted. */
	assert_int_equal(check_len(len, NULL), -err);
}

static void assert_header_rejected(int err, const char *reason)
{
	assert_rejected(T_IMAGE_SIZE, err, reason);
}

/* Accepted cases. */

static void test_good_image(void **state)
{
	const char *why = NULL;

	(void)state;
	assert_int_equal(check_len(T_IMAGE_SIZE, &why), 0);
	assert_string_equal(why, "ok");
	assert_int_equal(check_len(T_IMAGE_SIZE, NULL), 0);
}

static void test_trailing_bytes_ignored(void **state)
{
	(void)state;
	assert_int_equal(check_len(sizeof(img.bytes), NULL), 0);
}

static void test_unaligned_buffer(void **state)
{
	unsigned char *copy = malloc(T_IMAGE_SIZE + 1);

	(void)state;
	assert_non_null(copy);
	memcpy(copy + 1, img.bytes, T_IMAGE_SIZE);
	assert_int_equal(hv_image_check(copy + 1, T_IMAGE_SIZE, NULL), 0);
	free(copy);
}

static void test_larger_header_accepted(void **state)
{
	/* A newer header with appended fields, same version. */
	(void)state;
	img.h.header_size = sizeof(img.h) + 64;
	assert_int_equal(check_len(T_IMAGE_SIZE, NULL), 0);
}

static void test_entry_at_last_text_byte(void **state)
{
	(void)state;
	img.h.entry_offset = T_TEXT_OFFSET + T_TEXT_SIZE - 1;
	assert_int_equal(check_len(T_IMAGE_SIZE, NULL), 0);
}

/* Short buffers. */

static void test_null_buffer(void **state)
{
	const char *why = NULL;

	(void)state;
	assert_int_equal(hv_image_check(NULL, 0, &why), -LHV_EINVAL);
	assert_non_null(strstr(why, "shorter"));
}

static void test_empty_buffer(void **state)
{
	(void)state;
	assert_rejected(0, LHV_EINVAL, "shorter");
}

static void test_short_buffer(void **state)
{
	(void)state;
	assert_rejected(sizeof(struct lhv_hv_image_header) - 1, LHV_EINVAL,
			"shorter");
}

/* Identity: magic, versions, flags, link base. */

static void test_bad_magic(void **state)
{
	(void)state;
	img.bytes[0] ^= 0x20;
	assert_header_rejected(LHV_ENOEXEC, "magic");
}

static void test_header_version(void **state)
{
	(void)state;
	img.h.header_version = LHV_IMAGE_HEADER_VERSION + 1;
	assert_header_rejected(LHV_EPROTO, "header version");
}

static void test_abi_version(void **state)
{
	(void)state;
	img.h.abi_version = LHV_ABI_VERSION + 1;
	assert_header_rejected(LHV_EPROTO, "ABI version");
}

static void test_header_size_small(void **state)
{
	(void)state;
	img.h.header_size = sizeof(img.h) - 8;
	assert_header_rejected(LHV_EINVAL, "header size");
}

static void test_flags(void **state)
{
	(void)state;
	img.h.flags = 1;
	assert_header_rejected(LHV_EINVAL, "flags");
}

static void test_link_base(void **state)
{
	(void)state;
	img.h.link_base = 0xffffffffc0000000ULL;
	assert_header_rejected(LHV_EINVAL, "link base");
}

/* Sizes. */

static void test_image_size_exceeds_buffer(void **state)
{
	(void)state;
	assert_rejected(T_IMAGE_SIZE - 1, LHV_EINVAL, "exceeds the buffer");
}

static void test_image_smaller_than_header(void **state)
{
	(void)state;
	img.h.image_size = sizeof(img.h) - 1;
	assert_header_rejected(LHV_EINVAL, "smaller than its header");
}

static void test_mem_size_below_image(void **state)
{
	(void)state;
	img.h.mem_size = 0x2000;
	assert_header_rejected(LHV_EINVAL, "memory size below");
}

static void test_mem_size_unaligned(void **state)
{
	(void)state;
	img.h.mem_size = T_MEM_SIZE + 8;
	assert_header_rejected(LHV_EINVAL, "memory size not page aligned");
}

/* Text and entry point. */

static void test_text_wraps(void **state)
{
	(void)state;
	img.h.text_size = UINT64_MAX;
	assert_header_rejected(LHV_EOVERFLOW, "text range wraps");
}

static void test_text_unaligned(void **state)
{
	(void)state;
	img.h.text_offset = T_TEXT_OFFSET + 0x10;
	assert_header_rejected(LHV_EINVAL, "text not page aligned");
}

static void test_text_overlaps_header(void **state)
{
	(void)state;
	img.h.text_offset = 0;
	img.h.entry_offset = 0x10;
	assert_header_rejected(LHV_EINVAL, "overlaps the header");
}

static void test_text_outside_image(void **state)
{
	(void)state;
	img.h.text_size = T_IMAGE_SIZE;
	assert_header_rejected(LHV_EINVAL, "text outside the image");
}

static void test_entry_before_text(void **state)
{
	(void)state;
	img.h.entry_offset = T_TEXT_OFFSET - 1;
	assert_header_rejected(LHV_EINVAL, "entry point outside");
}

static void test_entry_after_text(void **state)
{
	(void)state;
	img.h.entry_offset = T_TEXT_OFFSET + T_TEXT_SIZE;
	assert_header_rejected(LHV_EINVAL, "entry point outside");
}

static void test_entry_far_beyond(void **state)
{
	/* An offset that would wrap if added to the text start. */
	(void)state;
	img.h.entry_offset = UINT64_MAX;
	assert_header_rejected(LHV_EINVAL, "entry point outside");
}

static void test_empty_text(void **state)
{
	(void)state;
	img.h.text_size = 0;
	assert_header_rejected(LHV_EINVAL, "entry point outside");
}

/* Log ring. */

static void test_log_size_zero(void **state)
{
	(void)state;
	img.h.log_size = 0;
	assert_header_rejected(LHV_EINVAL, "power of two");
}

static void test_log_size_not_power_of_two(void **state)
{
	(void)state;
	img.h.log_size = 3000;
	assert_header_rejected(LHV_EINVAL, "power of two");
}

static void test_log_unaligned(void **state)
{
	(void)state;
	img.h.log_offset = T_LOG_OFFSET + 4;
	assert_header_rejected(LHV_EINVAL, "8-byte aligned");
}

static void test_log_wraps(void **state)
{
	(void)state;
	img.h.log_offset = UINT64_MAX - 7;
	assert_header_rejected(LHV_EOVERFLOW, "log range wraps");
}

static void test_log_outside_memory(void **state)
{
	/* The ring header fits, its text does not. */
	(void)state;
	img.h.log_offset = T_MEM_SIZE - sizeof(struct lhv_log_ring);
	assert_header_rejected(LHV_EINVAL, "log ring outside");
}

static void test_log_in_header(void **state)
{
	(void)state;
	img.h.log_offset = 0;
	assert_header_rejected(LHV_EINVAL, "log ring outside");
}

/* The area kept across enables. */

static void test_keep_none(void **state)
{
	const char *why;

	(void)state;
	img.h.keep_offset = 0;
	img.h.keep_size = 0;
	assert_int_equal(check_len(T_IMAGE_SIZE, &why), 0);
}

static void test_keep_unaligned(void **state)
{
	(void)state;
	img.h.keep_offset = T_KEEP_OFFSET + 8;
	img.h.keep_size = 0x800;
	assert_header_rejected(LHV_EINVAL, "keep area not page aligned");
}

static void test_keep_wraps(void **state)
{
	(void)state;
	img.h.keep_offset = UINT64_MAX - 0xfff;
	assert_header_rejected(LHV_EOVERFLOW, "keep area wraps");
}

static void test_keep_in_image(void **state)
{
	/* Data the file carries is copied at every enable. */
	(void)state;
	img.h.keep_offset = T_IMAGE_SIZE - 0x1000;
	assert_header_rejected(LHV_EINVAL, "keep area outside .bss");
}

static void test_keep_beyond_memory(void **state)
{
	(void)state;
	img.h.keep_offset = T_MEM_SIZE;
	assert_header_rejected(LHV_EINVAL, "keep area outside .bss");
}

static void test_keep_overlaps_log(void **state)
{
	(void)state;
	img.h.keep_offset = T_LOG_OFFSET;
	assert_header_rejected(LHV_EINVAL, "overlaps the log");
}

/* CPUs. */

static void test_max_cpus_zero(void **state)
{
	(void)state;
	img.h.max_cpus = 0;
	assert_header_rejected(LHV_EINVAL, "max_cpus");
}

static void test_stack_zero(void **state)
{
	(void)state;
	img.h.stack_size = 0;
	assert_header_rejected(LHV_EINVAL, "stack size");
}

static void test_stack_above_percpu(void **state)
{
	(void)state;
	img.h.stack_size = img.h.percpu_size + 1;
	assert_header_rejected(LHV_EINVAL, "stack size");
}

static void test_percpu_exceeds_memory(void **state)
{
	/* 32-bit count times 32-bit size: large, but must not wrap. */
	(void)state;
	img.h.max_cpus = UINT32_MAX;
	img.h.percpu_size = UINT32_MAX;
	assert_header_rejected(LHV_EINVAL, "per-CPU areas");
}

/* Version string. */

static void test_version_empty(void **state)
{
	(void)state;
	memset(img.h.version, 0, sizeof(img.h.version));
	assert_header_rejected(LHV_EINVAL, "empty version");
}

static void test_version_unterminated(void **state)
{
	(void)state;
	memset(img.h.version, 'x', sizeof(img.h.version));
	assert_header_rejected(LHV_EINVAL, "not terminated");
}

/* The real image, as built by make -C hv. */

static void test_built_image(void **state)
{
	struct lhv_hv_image_header h;
	const char *why = NULL;
	unsigned char *buf;
	long size;
	FILE *f;

	(void)state;
	if (!image_path)
		skip();

	f = fopen(image_path, "rb");
	if (!f)
		fail_msg("cannot open %s", image_path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	size = ftell(f);
	assert_true(size > 0);
	rewind(f);
	buf = malloc((size_t)size);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)size, f), (size_t)size);
	fclose(f);

	if (hv_image_check(buf, (size_t)size, &why))
		fail_msg("%s: %s", image_path, why);

	memcpy(&h, buf, sizeof(h));
	/* objcopy must write exactly the image, no more and no less. */
	assert_int_equal(h.image_size, (uint64_t)size);
	assert_int_equal(h.header_size, sizeof(h));
	assert_int_equal(h.abi_version, LHV_ABI_VERSION);
	assert_string_equal(h.version, LHV_VERSION_STRING);
	assert_int_equal(h.text_offset % LHV_IMAGE_ALIGN, 0);
	/* The log ring is in .bss, which the file does not carry. */
	assert_true(h.log_offset >= h.image_size);
	/* The hv keeps the platform seed there. */
	assert_true(h.keep_size >= LHV_IMAGE_ALIGN);
	assert_true(h.keep_offset >= h.image_size);
	free(buf);
}

/* Every test starts from the good image. */
#define IMAGE_TEST(f) cmocka_unit_test_setup(f, reset_image)

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		IMAGE_TEST(test_good_image),
		IMAGE_TEST(test_trailing_bytes_ignored),
		IMAGE_TEST(test_unaligned_buffer),
		IMAGE_TEST(test_larger_header_accepted),
		IMAGE_TEST(test_entry_at_last_text_byte),
		IMAGE_TEST(test_null_buffer),
		IMAGE_TEST(test_empty_buffer),
		IMAGE_TEST(test_short_buffer),
		IMAGE_TEST(test_bad_magic),
		IMAGE_TEST(test_header_version),
		IMAGE_TEST(test_abi_version),
		IMAGE_TEST(test_header_size_small),
		IMAGE_TEST(test_flags),
		IMAGE_TEST(test_link_base),
		IMAGE_TEST(test_image_size_exceeds_buffer),
		IMAGE_TEST(test_image_smaller_than_header),
		IMAGE_TEST(test_mem_size_below_image),
		IMAGE_TEST(test_mem_size_unaligned),
		IMAGE_TEST(test_text_wraps),
		IMAGE_TEST(test_text_unaligned),
		IMAGE_TEST(test_text_overlaps_header),
		IMAGE_TEST(test_text_outside_image),
		IMAGE_TEST(test_entry_before_text),
		IMAGE_TEST(test_entry_after_text),
		IMAGE_TEST(test_entry_far_beyond),
		IMAGE_TEST(test_empty_text),
		IMAGE_TEST(test_log_size_zero),
		IMAGE_TEST(test_log_size_not_power_of_two),
		IMAGE_TEST(test_log_unaligned),
		IMAGE_TEST(test_log_wraps),
		IMAGE_TEST(test_log_outside_memory),
		IMAGE_TEST(test_log_in_header),
		IMAGE_TEST(test_keep_none),
		IMAGE_TEST(test_keep_unaligned),
		IMAGE_TEST(test_keep_wraps),
		IMAGE_TEST(test_keep_in_image),
		IMAGE_TEST(test_keep_beyond_memory),
		IMAGE_TEST(test_keep_overlaps_log),
		IMAGE_TEST(test_max_cpus_zero),
		IMAGE_TEST(test_stack_zero),
		IMAGE_TEST(test_stack_above_percpu),
		IMAGE_TEST(test_percpu_exceeds_memory),
		IMAGE_TEST(test_version_empty),
		IMAGE_TEST(test_version_unterminated),
		cmocka_unit_test(test_built_image),
	};

	if (argc > 2) {
		fprintf(stderr, "usage: %s [lhv.bin]\n", argv[0]);
		return 2;
	}
	if (argc == 2)
		image_path = argv[1];
	return cmocka_run_group_tests(tests, NULL, NULL);
}
