// SPDX-License-Identifier: BSD-3-Clause
/*
 * lhv.bin header validation; the rules it enforces are the loader contract
 * in <lhv/hv_image.h>. Checks run in an order where each one may rely on
 * the ones before (e.g. ranges are known not to wrap before they are
 * compared), and every arithmetic step is overflow-free on 64 bits.
 */
#include <lhv/version.h>

#include "image_check.h"

/* The outcome of one group of checks: 0, or a negative LHV_E* and why. */
struct check_result {
	int err;
	const char *why;
};

#define CHECK_OK ((struct check_result){ 0, NULL })
#define CHECK_FAIL(e, w) ((struct check_result){ -(e), (w) })

static int is_aligned(uint64_t v)
{
	return (v & (LHV_IMAGE_ALIGN - 1)) == 0;
}

/* Whether off + size wraps around 2^64. */
static int range_wraps(uint64_t off, uint64_t size)
{
	return off + size < off;
}

/* Whether [off, off + size) lies in [0, limit); the range must not wrap. */
static int range_inside(uint64_t off, uint64_t size, uint64_t limit)
{
	return off + size <= limit;
}

static struct check_result check_identity(const struct lhv_hv_image_header *h)
{
	if (h->magic != LHV_IMAGE_MAGIC)
		return CHECK_FAIL(LHV_ENOEXEC, "bad magic: not an lhv image");
	if (h->header_version != LHV_IMAGE_HEADER_VERSION)
		return CHECK_FAIL(LHV_EPROTO, "unsupported header version");
	if (h->abi_version != LHV_ABI_VERSION)
		return CHECK_FAIL(LHV_EPROTO, "hv ABI version differs");
	if (h->header_size < sizeof(*h))
		return CHECK_FAIL(LHV_EINVAL, "header size too small");
	if (h->flags)
		return CHECK_FAIL(LHV_EINVAL, "unknown header flags");
	if (h->link_base)
		return CHECK_FAIL(LHV_EINVAL, "link base not 0 (not PIC)");
	return CHECK_OK;
}

static struct check_result check_sizes(const struct lhv_hv_image_header *h,
				       size_t len)
{
	if (h->image_size > len)
		return CHECK_FAIL(LHV_EINVAL, "image size exceeds the buffer");
	if (h->image_size < h->header_size)
		return CHECK_FAIL(LHV_EINVAL, "image smaller than its header");
	if (h->mem_size < h->image_size)
		return CHECK_FAIL(LHV_EINVAL, "memory size below image size");
	if (!is_aligned(h->mem_size))
		return CHECK_FAIL(LHV_EINVAL, "memory size not page aligned");
	return CHECK_OK;
}

static struct check_result check_text(const struct lhv_hv_image_header *h)
{
	if (range_wraps(h->text_offset, h->text_size))
		return CHECK_FAIL(LHV_EOVERFLOW, "text range wraps around");
	if (!is_aligned(h->text_offset))
		return CHECK_FAIL(LHV_EINVAL, "text not page aligned");
	if (h->text_offset < h->header_size)
		return CHECK_FAIL(LHV_EINVAL, "text overlaps the header");
	if (!range_inside(h->text_offset, h->text_size, h->image_size))
		return CHECK_FAIL(LHV_EINVAL, "text outside the image");
	if (h->entry_offset < h->text_offset ||
	    h->entry_offset - h->text_offset >= h->text_size)
		return CHECK_FAIL(LHV_EINVAL, "entry point outside the text");
	return CHECK_OK;
}

static struct check_result check_log(const struct lhv_hv_image_header *h)
{
	uint64_t size = sizeof(struct lhv_log_ring) + (uint64_t)h->log_size;

	if (!h->log_size || (h->log_size & (h->log_size - 1)))
		return CHECK_FAIL(LHV_EINVAL, "log size not a power of two");
	if (h->log_offset & 7)
		return CHECK_FAIL(LHV_EINVAL, "log ring not 8-byte aligned");
	if (range_wraps(h->log_offset, size))
		return CHECK_FAIL(LHV_EOVERFLOW, "log range wraps around");
	if (h->log_offset < h->header_size ||
	    !range_inside(h->log_offset, size, h->mem_size))
		return CHECK_FAIL(LHV_EINVAL, "log ring outside hv memory");
	return CHECK_OK;
}

static struct check_result check_keep(const struct lhv_hv_image_header *h)
{
	uint64_t log_end = h->log_offset + sizeof(struct lhv_log_ring) +
			   (uint64_t)h->log_size;

	if (!h->keep_size)
		return CHECK_OK;
	if (!is_aligned(h->keep_offset) || !is_aligned(h->keep_size))
		return CHECK_FAIL(LHV_EINVAL, "keep area not page aligned");
	if (range_wraps(h->keep_offset, h->keep_size))
		return CHECK_FAIL(LHV_EOVERFLOW, "keep area wraps around");
	if (h->keep_offset < h->image_size ||
	    !range_inside(h->keep_offset, h->keep_size, h->mem_size))
		return CHECK_FAIL(LHV_EINVAL, "keep area outside .bss");
	/* check_log ran first: log_end does not wrap. */
	if (h->keep_offset < log_end &&
	    h->log_offset < h->keep_offset + h->keep_size)
		return CHECK_FAIL(LHV_EINVAL, "keep area overlaps the log");
	return CHECK_OK;
}

static struct check_result check_cpus(const struct lhv_hv_image_header *h)
{
	/* 32 x 32 bits: the product cannot wrap on 64. */
	uint64_t percpu_total = (uint64_t)h->max_cpus * h->percpu_size;

	if (!h->max_cpus)
		return CHECK_FAIL(LHV_EINVAL, "max_cpus is 0");
	if (!h->stack_size || h->stack_size > h->percpu_size)
		return CHECK_FAIL(LHV_EINVAL,
				  "stack size not within per-CPU size");
	if (percpu_total > h->mem_size)
		return CHECK_FAIL(LHV_EINVAL, "per-CPU areas exceed hv memory");
	return CHECK_OK;
}

static struct check_result check_version(const struct lhv_hv_image_header *h)
{
	if (!h->version[0])
		return CHECK_FAIL(LHV_EINVAL, "empty version string");
	for (size_t i = 1; i < sizeof(h->version); i++) {
		if (!h->version[i])
			return CHECK_OK;
	}
	return CHECK_FAIL(LHV_EINVAL, "version string not terminated");
}

int hv_image_check(const void *buf, size_t len, const char **why)
{
	struct lhv_hv_image_header h;
	struct check_result r;
	const unsigned char *src = buf;
	unsigned char *dst = (unsigned char *)&h;

	if (!buf || len < sizeof(h)) {
		r = CHECK_FAIL(LHV_EINVAL,
			       "buffer shorter than the image header");
		goto out;
	}
	/* Byte copy: @buf may be unaligned, and is read once. */
	for (size_t i = 0; i < sizeof(h); i++)
		dst[i] = src[i];

	r = check_identity(&h);
	if (!r.err)
		r = check_sizes(&h, len);
	if (!r.err)
		r = check_text(&h);
	if (!r.err)
		r = check_log(&h);
	if (!r.err)
		r = check_keep(&h);
	if (!r.err)
		r = check_cpus(&h);
	if (!r.err)
		r = check_version(&h);
out:
	if (why)
		*why = r.err ? r.why : "ok";
	return r.err;
}
