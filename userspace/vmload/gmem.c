// SPDX-License-Identifier: BSD-3-Clause
/*
 * Checked guest memory for the VM image builder (see gmem.h).
 */
#include "gmem.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <lhv/vm_layout.h>

int vml_ram_ranges(uint64_t ram_size, struct vml_range out[VML_MAX_RANGES],
		   struct vml_err *err)
{
	uint64_t low;

	if (ram_size % LHV_VM_RAM_ALIGN)
		return vml_fail(err, -EINVAL,
				"RAM size %" PRIu64
				" is not a multiple of 2 MiB",
				ram_size);
	if (ram_size < LHV_VM_RAM_MIN || ram_size > LHV_VM_RAM_MAX)
		return vml_fail(err, -EINVAL,
				"RAM size %" PRIu64
				" MiB is outside %llu MiB to %llu GiB",
				ram_size >> 20, LHV_VM_RAM_MIN >> 20,
				LHV_VM_RAM_MAX >> 30);
	memset(out, 0, sizeof(*out) * VML_MAX_RANGES);
	low = ram_size < LHV_VM_LOW_RAM_END ? ram_size : LHV_VM_LOW_RAM_END;
	out[0].gpa = 0;
	out[0].size = low;
	if (ram_size == low)
		return 1;
	out[1].gpa = LHV_VM_HIGH_RAM_BASE;
	out[1].size = ram_size - low;
	return 2;
}

/* The range holding all of [gpa, gpa + len), or NULL. len > 0. */
static const struct vml_range *find_range(const struct vml_mem *m, uint64_t gpa,
					  uint64_t len)
{
	const struct vml_range *r;
	unsigned int i;

	for (i = 0; i < m->nr_ranges && i < VML_MAX_RANGES; i++) {
		r = &m->range[i];
		/* Written so that no sum can wrap. */
		if (gpa >= r->gpa && gpa - r->gpa < r->size &&
		    len <= r->size - (gpa - r->gpa))
			return r;
	}
	return NULL;
}

static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

/* The object overlapping [gpa, gpa + len) (in RAM, so no wrap), or NULL. */
static const struct vml_obj *find_overlap(const struct vml_mem *m, uint64_t gpa,
					  uint64_t len)
{
	unsigned int i;

	for (i = 0; i < m->nr_objs; i++)
		if (overlaps(gpa, len, m->obj[i].gpa, m->obj[i].size))
			return &m->obj[i];
	return NULL;
}

bool vml_mem_free(const struct vml_mem *m, uint64_t gpa, uint64_t size)
{
	return size && find_range(m, gpa, size) && !find_overlap(m, gpa, size);
}

int vml_mem_claim(struct vml_mem *m, const char *name, uint64_t gpa,
		  uint64_t size, struct vml_err *err)
{
	const struct vml_obj *o;

	if (!size)
		return vml_fail(err, -EINVAL, "%s: empty object", name);
	if (!find_range(m, gpa, size))
		return vml_fail(err, -ENOSPC,
				"%s: 0x%" PRIx64 "+0x%" PRIx64
				" is not inside guest RAM",
				name, gpa, size);
	o = find_overlap(m, gpa, size);
	if (o)
		return vml_fail(err, -EEXIST,
				"%s: 0x%" PRIx64 "+0x%" PRIx64
				" overlaps %s at 0x%" PRIx64 "+0x%" PRIx64,
				name, gpa, size, o->name, o->gpa, o->size);
	if (m->nr_objs >= VML_MAX_OBJS)
		return vml_fail(err, -ENOSPC, "%s: too many objects", name);
	m->obj[m->nr_objs].name = name;
	m->obj[m->nr_objs].gpa = gpa;
	m->obj[m->nr_objs].size = size;
	m->nr_objs++;
	return 0;
}

int vml_mem_find_top(const struct vml_mem *m, uint64_t lo, uint64_t hi,
		     uint64_t size, uint64_t align, uint64_t *gpa)
{
	const struct vml_obj *o;
	uint64_t a;
	unsigned int tries;

	if (!size || !align || (align & (align - 1)))
		return -EINVAL;
	/* Each miss lowers hi below one object's start: at most nr_objs. */
	for (tries = 0; tries <= m->nr_objs; tries++) {
		if (hi < lo || hi - lo < size)
			return -ENOSPC;
		a = (hi - size) & ~(align - 1);
		if (a < lo)
			return -ENOSPC;
		if (!find_range(m, a, size))
			return -ENOSPC;
		o = find_overlap(m, a, size);
		if (!o) {
			*gpa = a;
			return 0;
		}
		hi = o->gpa;
	}
	return -ENOSPC;
}

/* The object holding all of [gpa, gpa + len), or NULL. */
static const struct vml_obj *find_obj(const struct vml_mem *m, uint64_t gpa,
				      uint64_t len)
{
	const struct vml_obj *o;
	unsigned int i;

	for (i = 0; i < m->nr_objs; i++) {
		o = &m->obj[i];
		if (gpa >= o->gpa && gpa - o->gpa < o->size &&
		    len <= o->size - (gpa - o->gpa))
			return o;
	}
	return NULL;
}

int vml_mem_write(struct vml_mem *m, uint64_t gpa, const void *src,
		  uint64_t len, struct vml_err *err)
{
	const struct vml_range *r;

	if (!len)
		return 0;
	r = find_range(m, gpa, len);
	if (!r || !find_obj(m, gpa, len))
		return vml_fail(err, -EFAULT,
				"write of 0x%" PRIx64 " bytes at 0x%" PRIx64
				" is outside RAM or any placed object",
				len, gpa);
	memcpy(r->host + (gpa - r->gpa), src, len);
	return 0;
}

int vml_mem_read(const struct vml_mem *m, uint64_t gpa, void *dst, uint64_t len,
		 struct vml_err *err)
{
	const struct vml_range *r;

	if (!len)
		return 0;
	r = find_range(m, gpa, len);
	if (!r)
		return vml_fail(err, -EFAULT,
				"read of 0x%" PRIx64 " bytes at 0x%" PRIx64
				" is outside RAM",
				len, gpa);
	memcpy(dst, r->host + (gpa - r->gpa), len);
	return 0;
}
