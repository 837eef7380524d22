// SPDX-License-Identifier: BSD-3-Clause
/*
 * lhvctl vm load --dry-run: the built image as files (see vm_load.h), so
 * it can be inspected, disassembled (iasl -d *.dat) and compared.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output.h"
#include "vm_load.h"

#define CHUNK (1u << 20)
#define BLOCK 4096u

static int path_in(char *buf, size_t size, const char *dir, const char *name)
{
	int n = snprintf(buf, size, "%s/%s", dir, name);

	if (n < 0 || (size_t)n >= size) {
		lhvctl_err("%s/%s: path too long", dir, name);
		return -1;
	}
	return 0;
}

static bool all_zero(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* Write len bytes, leaving holes for zero blocks. */
static int write_sparse(int fd, const uint8_t *p, size_t len)
{
	size_t n;
	ssize_t w;

	while (len) {
		n = len < BLOCK ? len : BLOCK;
		if (all_zero(p, n)) {
			if (lseek(fd, (off_t)n, SEEK_CUR) < 0)
				return -1;
		} else {
			while (n) {
				w = write(fd, p, n);
				if (w < 0 && errno == EINTR)
					continue;
				if (w <= 0)
					return -1;
				p += w;
				len -= (size_t)w;
				n -= (size_t)w;
			}
			continue;
		}
		p += n;
		len -= n;
	}
	return 0;
}

/* Guest memory [gpa, gpa + len) into dir/name. */
static int dump_range(const char *dir, const char *name,
		      const struct vml_mem *m, uint64_t gpa, uint64_t len)
{
	char path[PATH_MAX];
	struct vml_err err;
	uint8_t *buf;
	uint64_t off, n;
	int fd, ret = 0;

	if (path_in(path, sizeof(path), dir, name))
		return -1;
	buf = malloc(CHUNK);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
		  0644);
	if (!buf || fd < 0) {
		lhvctl_err("%s: %s", path, strerror(errno));
		free(buf);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	for (off = 0; off < len && !ret; off += n) {
		n = len - off < CHUNK ? len - off : CHUNK;
		if (vml_mem_read(m, gpa + off, buf, n, &err)) {
			lhvctl_err("%s: %s", path, err.msg);
			ret = -1;
		} else if (write_sparse(fd, buf, n)) {
			lhvctl_err("%s: %s", path, strerror(errno));
			ret = -1;
		}
	}
	/* The holes at the end count too. */
	if (!ret && ftruncate(fd, (off_t)len)) {
		lhvctl_err("%s: %s", path, strerror(errno));
		ret = -1;
	}
	if (close(fd) && !ret) {
		lhvctl_err("%s: %s", path, strerror(errno));
		ret = -1;
	}
	free(buf);
	return ret;
}

static FILE *open_json(const char *dir, const char *name)
{
	char path[PATH_MAX];
	FILE *f = NULL;
	int fd;

	if (path_in(path, sizeof(path), dir, name))
		return NULL;
	/* Not through a symbolic link someone left in the folder. */
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
		  0644);
	if (fd >= 0)
		f = fdopen(fd, "w");
	if (!f) {
		lhvctl_err("%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	return f;
}

static int close_json(FILE *f, const char *name)
{
	if (ferror(f) | fclose(f)) {
		lhvctl_err("%s: cannot write it", name);
		return -1;
	}
	return 0;
}

static void seg_json(FILE *f, const char *name,
		     const struct lhv_vcpu_segment *s, bool last)
{
	fprintf(f,
		"  \"%s\": {\"selector\": %u, \"base\": %" PRIu64
		", \"limit\": %" PRIu32 ", \"attr\": %u}%s\n",
		name, s->selector, s->base, s->limit, s->attr, last ? "" : ",");
}

static int boot_state_json(const char *dir, const struct lhv_vcpu_boot_state *b)
{
	FILE *f = open_json(dir, "boot-state.json");

	if (!f)
		return -1;
	fprintf(f,
		"{\n  \"version\": %" PRIu32 ",\n  \"rip\": %" PRIu64
		",\n  \"rsi\": %" PRIu64 ",\n  \"rsp\": %" PRIu64
		",\n  \"rflags\": %" PRIu64 ",\n  \"cr0\": %" PRIu64
		",\n  \"cr3\": %" PRIu64 ",\n  \"cr4\": %" PRIu64
		",\n  \"efer\": %" PRIu64 ",\n  \"gdtr_base\": %" PRIu64
		",\n  \"gdtr_limit\": %" PRIu32 ",\n",
		b->version, b->rip, b->rsi, b->rsp, b->rflags, b->cr0, b->cr3,
		b->cr4, b->efer, b->gdtr_base, b->gdtr_limit);
	seg_json(f, "cs", &b->cs, false);
	seg_json(f, "ds", &b->ds, false);
	seg_json(f, "es", &b->es, false);
	seg_json(f, "ss", &b->ss, false);
	seg_json(f, "fs", &b->fs, false);
	seg_json(f, "gs", &b->gs, false);
	seg_json(f, "tr", &b->tr, false);
	seg_json(f, "ldtr", &b->ldtr, true);
	fputs("}\n", f);
	return close_json(f, "boot-state.json");
}

static void objects_json(FILE *f, const struct vml_mem *m)
{
	unsigned int i;

	fputs("  \"objects\": [\n", f);
	for (i = 0; i < m->nr_objs; i++)
		fprintf(f,
			"    {\"name\": \"%s\", \"gpa\": %" PRIu64
			", \"size\": %" PRIu64 ", \"file\": \"%s.bin\"}%s\n",
			m->obj[i].name, m->obj[i].gpa, m->obj[i].size,
			m->obj[i].name, i + 1 < m->nr_objs ? "," : "");
	fputs("  ],\n", f);
}

static void e820_json(FILE *f, const struct vml_result *r)
{
	unsigned int i;

	fputs("  \"e820\": [\n", f);
	for (i = 0; i < r->nr_e820; i++)
		fprintf(f,
			"    {\"addr\": %" PRIu64 ", \"size\": %" PRIu64
			", \"type\": %" PRIu32 "}%s\n",
			r->e820[i].addr, r->e820[i].size, r->e820[i].type,
			i + 1 < r->nr_e820 ? "," : "");
	fputs("  ],\n", f);
}

static void acpi_json(FILE *f, const struct vml_result *r)
{
	unsigned int i;

	fputs("  \"acpi\": [\n", f);
	for (i = 0; i < VML_ACPI_NR; i++)
		fprintf(f,
			"    {\"signature\": \"%s\", \"gpa\": %" PRIu64
			", \"size\": %" PRIu32 "}%s\n",
			r->acpi[i].sig, r->acpi[i].gpa, r->acpi[i].size,
			i + 1 < VML_ACPI_NR ? "," : "");
	fputs("  ],\n", f);
}

static void measure_json(FILE *f, const struct vm_object *objs,
			 unsigned int nobjs)
{
	char hex[65];
	unsigned int i;

	fputs("  \"measurements\": [\n", f);
	for (i = 0; i < nobjs; i++) {
		vml_hex(objs[i].hash, hex);
		fprintf(f,
			"    {\"object\": \"%s\", \"sha256\": \"%s\", "
			"\"signature\": \"%s\"}%s\n",
			objs[i].what, hex, objs[i].status,
			i + 1 < nobjs ? "," : "");
	}
	fputs("  ],\n", f);
}

static int layout_json(const char *dir, const struct vml_mem *m,
		       const struct vml_result *r, const struct vm_object *objs,
		       unsigned int nobjs)
{
	FILE *f = open_json(dir, "layout.json");

	if (!f)
		return -1;
	fputs("{\n", f);
	objects_json(f, m);
	e820_json(f, r);
	acpi_json(f, r);
	measure_json(f, objs, nobjs);
	fprintf(f,
		"  \"kernel_gpa\": %" PRIu64 ",\n  \"initrd_gpa\": %" PRIu64
		",\n  \"initrd_size\": %" PRIu64
		",\n  \"boot_protocol\": \"%u.%02u\",\n  \"cmdline_extra\": ",
		r->kernel_gpa, r->initrd_gpa, r->initrd_size,
		r->bz.version >> 8, r->bz.version & 0xff);
	json_write_str(f, r->cmdline_extra);
	fputs("\n}\n", f);
	return close_json(f, "layout.json");
}

int vm_dump(const char *dir, const struct vml_mem *m,
	    const struct vml_result *r, const struct vm_object *objs,
	    unsigned int nobjs)
{
	char name[64];
	unsigned int i, j;

	if (mkdir(dir, 0755) && errno != EEXIST) {
		lhvctl_err("%s: %s", dir, strerror(errno));
		return -1;
	}
	for (i = 0; i < m->nr_objs; i++) {
		snprintf(name, sizeof(name), "%s.bin", m->obj[i].name);
		if (dump_range(dir, name, m, m->obj[i].gpa, m->obj[i].size))
			return -1;
	}
	for (i = 0; i < VML_ACPI_NR; i++) {
		for (j = 0; j < 4; j++)
			name[j] =
				(char)tolower((unsigned char)r->acpi[i].sig[j]);
		strcpy(name + 4, ".dat");
		if (dump_range(dir, name, m, r->acpi[i].gpa, r->acpi[i].size))
			return -1;
	}
	if (boot_state_json(dir, &r->boot) ||
	    layout_json(dir, m, r, objs, nobjs))
		return -1;
	return 0;
}
