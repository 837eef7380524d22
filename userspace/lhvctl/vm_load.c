// SPDX-License-Identifier: BSD-3-Clause
/*
 * lhvctl vm load: verify a UOS's kernel, initrd and command line against
 * the trusted key, measure them, and build its guest memory image
 * (userspace/vmload/) straight into the VM's RAM through /dev/lhv-<vm>
 * (mmap), then set vCPU 0's boot state (LHV_VM_IOC_SET_BOOT). The VM's
 * size and CPUs come from the module (VM_GET). --dry-run builds the image
 * in this process instead and writes it to a folder.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lhv/vm_dev.h>

#include "args.h"
#include "reply.h"
#include "request.h"
#include "lhvctl.h"
#include "vm_load.h"

#define DEFAULT_TRUSTED_KEY "/etc/lhv/trusted-key.pem"
#define DEFAULT_MEM_MIB 1024
/* Largest kernel and initrd files read. */
#define KERNEL_FILE_MAX (256u << 20)
#define INITRD_FILE_MAX (2048ull << 20)

enum { OBJ_KERNEL, OBJ_INITRD, OBJ_CMDLINE, NR_OBJS };

struct load_args {
	const char *vm, *out, *key_path;
	bool insecure, dry_run;
	uint64_t mem_mib, cpus, tsc_khz;
	struct vm_object obj[NR_OBJS];
	unsigned int nobjs; /* kernel, then initrd if given, then cmdline */
	char sig_buf[NR_OBJS][4096];
};

/*
 * Read the whole file at path, at most max bytes. Returns 0, -ENOENT if
 * it does not exist (errors other than that are printed), or -1.
 */
static int read_file(const char *path, uint64_t max, uint8_t **data,
		     size_t *len)
{
	struct stat st;
	uint8_t *buf;
	size_t got = 0;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		return -ENOENT;
	if (fd < 0 || fstat(fd, &st)) {
		lhvctl_err("%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size > max) {
		lhvctl_err("%s: not a regular file of at most %" PRIu64
			   " bytes",
			   path, max);
		close(fd);
		return -1;
	}
	/* One byte more than the size: a file that grows is caught. */
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		lhvctl_err("%s: out of memory", path);
		close(fd);
		return -1;
	}
	while ((n = read(fd, buf + got, (size_t)st.st_size + 1 - got)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || got + (size_t)n > (size_t)st.st_size) {
			lhvctl_err("%s: %s", path,
				   n < 0 ? strerror(errno)
					 : "changed while read");
			free(buf);
			close(fd);
			return -1;
		}
		got += (size_t)n;
	}
	close(fd);
	*data = buf;
	*len = got;
	return 0;
}

/* --name as a number in [min, max]; a usage error otherwise. */
static int opt_number(struct lhvctl *ctl, const char *name, uint64_t min,
		      uint64_t max, uint64_t *val)
{
	const char *s = lhvctl_opt(ctl, name);

	if (!s)
		return LHVCTL_EXIT_OK;
	if (lhv_parse_uint(s, 64, val) || *val < min || *val > max)
		return lhvctl_usage(ctl,
				    "--%s: '%s' is not a number from %" PRIu64
				    " to %" PRIu64,
				    name, s, min, max);
	return LHVCTL_EXIT_OK;
}

/* The signature file of o: --<what>-sig, else next to its file. */
static int sig_path(struct lhvctl *ctl, struct load_args *a,
		    struct vm_object *o, unsigned int i)
{
	char opt[32];
	const char *base;
	int n;

	snprintf(opt, sizeof(opt), "%s-sig", o->what);
	o->sig_path = lhvctl_opt(ctl, opt);
	if (o->sig_path)
		return LHVCTL_EXIT_OK;
	/* The command line's sits next to the kernel: <kernel>.cmdline.sig. */
	base = o->path ? o->path : a->obj[OBJ_KERNEL].path;
	n = snprintf(a->sig_buf[i], sizeof(a->sig_buf[i]), "%s%s.sig", base,
		     o->path ? "" : ".cmdline");
	if (n < 0 || (size_t)n >= sizeof(a->sig_buf[i]))
		return lhvctl_usage(ctl, "%s: path too long", base);
	o->sig_path = a->sig_buf[i];
	return LHVCTL_EXIT_OK;
}

static int parse_args(struct lhvctl *ctl, char **argv, struct load_args *a)
{
	const char *cmdline = lhvctl_opt(ctl, "cmdline");
	int ret;

	memset(a, 0, sizeof(*a));
	a->vm = argv[0];
	a->out = lhvctl_opt(ctl, "out");
	a->key_path = lhvctl_opt(ctl, "trusted-key");
	if (!a->key_path)
		a->key_path = DEFAULT_TRUSTED_KEY;
	a->insecure = lhvctl_opt(ctl, "insecure") != NULL;
	a->dry_run = lhvctl_opt(ctl, "dry-run") != NULL;
	a->mem_mib = DEFAULT_MEM_MIB;
	a->cpus = 1;
	ret = opt_number(ctl, "mem", LHV_VM_RAM_MIN >> 20, LHV_VM_RAM_MAX >> 20,
			 &a->mem_mib);
	if (!ret)
		ret = opt_number(ctl, "cpus", 1, VML_MAX_CPUS, &a->cpus);
	if (!ret)
		ret = opt_number(ctl, "tsc-khz", 1, UINT32_MAX, &a->tsc_khz);
	if (ret)
		return ret;
	if (a->mem_mib % (LHV_VM_RAM_ALIGN >> 20))
		return lhvctl_usage(ctl,
				    "--mem: %" PRIu64
				    " MiB is not a multiple of 2 MiB",
				    a->mem_mib);
	if (a->dry_run && !a->out)
		return lhvctl_usage(ctl, "--dry-run needs --out <dir>");

	a->obj[a->nobjs++] =
		(struct vm_object){ .what = "kernel",
				    .path = lhvctl_opt(ctl, "kernel") };
	if (lhvctl_opt(ctl, "initrd"))
		a->obj[a->nobjs++] =
			(struct vm_object){ .what = "initrd",
					    .path = lhvctl_opt(ctl, "initrd") };
	else if (lhvctl_opt(ctl, "initrd-sig"))
		return lhvctl_usage(ctl, "--initrd-sig without --initrd");
	a->obj[a->nobjs] = (struct vm_object){ .what = "cmdline" };
	/* The signed bytes: exactly the string, no NUL, no newline. */
	a->obj[a->nobjs].data = (uint8_t *)(cmdline ? cmdline : "");
	a->obj[a->nobjs].len = strlen((const char *)a->obj[a->nobjs].data);
	a->nobjs++;
	for (unsigned int i = 0; i < a->nobjs && !ret; i++)
		ret = sig_path(ctl, a, &a->obj[i], i);
	return ret;
}

static int read_objects(struct load_args *a)
{
	struct vm_object *o;
	unsigned int i;
	int ret;

	for (i = 0; i < a->nobjs; i++) {
		o = &a->obj[i];
		if (o->path) {
			ret = read_file(o->path,
					i == OBJ_KERNEL ? KERNEL_FILE_MAX
							: INITRD_FILE_MAX,
					&o->data, &o->len);
			if (ret == -ENOENT)
				lhvctl_err("%s %s: no such file", o->what,
					   o->path);
			if (ret)
				return LHVCTL_EXIT_FAIL;
		}
		vml_sha256(o->data, o->len, o->hash);
	}
	return LHVCTL_EXIT_OK;
}

/* One object against its signature; refusals are printed. */
static int check_one(const struct load_args *a, const struct vml_key *key,
		     struct vm_object *o)
{
	const char *name = o->path ? o->path : "(the --cmdline string)";
	struct vml_err err;
	uint8_t *sig;
	size_t len;
	int ret;

	ret = read_file(o->sig_path, VML_SIG_FILE_MAX, &sig, &len);
	if (ret == -ENOENT) {
		o->status = "unsigned";
		if (!a->insecure) {
			lhvctl_err("%s %s is not signed: no %s (refused; "
				   "--insecure boots it anyway)",
				   o->what, name, o->sig_path);
			return LHVCTL_EXIT_FAIL;
		}
		lhvctl_warn("INSECURE: %s %s is not signed (no %s)", o->what,
			    name, o->sig_path);
		return LHVCTL_EXIT_OK;
	}
	if (ret)
		return LHVCTL_EXIT_FAIL;
	ret = vml_verify(key, o->hash, sig, len, &err);
	free(sig);
	if (!ret) {
		o->status = "verified";
		return LHVCTL_EXIT_OK;
	}
	o->status = "bad-signature";
	if (!a->insecure) {
		lhvctl_err("%s %s: bad signature %s (%s key %s): %s; refused",
			   o->what, name, o->sig_path, vml_key_name(key),
			   a->key_path, err.msg);
		return LHVCTL_EXIT_FAIL;
	}
	lhvctl_warn("INSECURE: %s %s: bad signature %s: %s", o->what, name,
		    o->sig_path, err.msg);
	return LHVCTL_EXIT_OK;
}

static int verify_objects(struct load_args *a)
{
	struct vml_key key;
	struct vml_err err;
	uint8_t *pem;
	size_t len;
	unsigned int i;
	int ret;

	ret = read_file(a->key_path, VML_KEY_FILE_MAX, &pem, &len);
	if (ret == -ENOENT && a->insecure) {
		lhvctl_warn("INSECURE: no trusted key %s: nothing is verified",
			    a->key_path);
		for (i = 0; i < a->nobjs; i++)
			a->obj[i].status = "unchecked";
		return LHVCTL_EXIT_OK;
	}
	if (ret == -ENOENT)
		lhvctl_err("trusted key %s: no such file (--trusted-key names "
			   "another; --insecure boots unverified images)",
			   a->key_path);
	if (ret)
		return LHVCTL_EXIT_FAIL;
	ret = vml_key_load(&key, pem, len, &err);
	free(pem);
	if (ret) {
		lhvctl_err("%s: %s", a->key_path, err.msg);
		return LHVCTL_EXIT_FAIL;
	}
	for (i = 0; i < a->nobjs && !ret; i++)
		ret = check_one(a, &key, &a->obj[i]);
	vml_key_free(&key);
	return ret;
}

static void *map_ram(uint64_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* Guest memory in this process: anonymous maps, zero until written. */
static int dry_run_mem(const struct load_args *a, struct vml_mem *m)
{
	struct vml_err err;
	int n, i;

	memset(m, 0, sizeof(*m));
	n = vml_ram_ranges(a->mem_mib << 20, m->range, &err);
	if (n < 0) {
		lhvctl_err("--mem: %s", err.msg);
		return LHVCTL_EXIT_FAIL;
	}
	m->nr_ranges = (unsigned int)n;
	for (i = 0; i < n; i++) {
		m->range[i].host = map_ram(m->range[i].size);
		if (!m->range[i].host) {
			lhvctl_err("cannot map %" PRIu64 " MiB for guest RAM",
				   m->range[i].size >> 20);
			return LHVCTL_EXIT_FAIL;
		}
	}
	return LHVCTL_EXIT_OK;
}

static void print_result(struct lhvctl *ctl, const struct load_args *a,
			 const struct vml_result *r,
			 const uint8_t loaded[VML_SHA256_LEN])
{
	char key[32], label[32], hex[65];
	unsigned int i;

	out_begin(&ctl->out);
	out_str(&ctl->out, "vm", "VM", a->vm);
	if (a->out)
		out_str(&ctl->out, "out", "written to", a->out);
	for (i = 0; i < a->nobjs; i++) {
		vml_hex(a->obj[i].hash, hex);
		snprintf(key, sizeof(key), "%s_sha256", a->obj[i].what);
		snprintf(label, sizeof(label), "%s SHA-256", a->obj[i].what);
		out_str(&ctl->out, key, label, hex);
		snprintf(key, sizeof(key), "%s_signature", a->obj[i].what);
		snprintf(label, sizeof(label), "%s signature", a->obj[i].what);
		out_str(&ctl->out, key, label, a->obj[i].status);
	}
	out_str(&ctl->out, "cmdline_extra", "cmdline appended",
		r->cmdline_extra);
	/* What the guest will read: the signed line and the platform's part. */
	vml_hex(loaded, hex);
	out_str(&ctl->out, "cmdline_loaded_sha256", "loaded cmdline SHA-256",
		hex);
	out_uint(&ctl->out, "kernel_gpa", "kernel at", r->kernel_gpa);
	if (r->initrd_size)
		out_uint(&ctl->out, "initrd_gpa", "initrd at", r->initrd_gpa);
	out_uint(&ctl->out, "entry", "entry (startup_64)", r->boot.rip);
	out_end(&ctl->out);
}

/* SHA-256 of the command line as placed in guest memory, NUL excluded. */
static int measure_loaded_cmdline(const struct vml_mem *m,
				  const struct vml_result *r,
				  uint8_t hash[VML_SHA256_LEN])
{
	char line[LHV_VM_CMDLINE_MAX];
	struct vml_err err;

	if (r->cmdline_len >= sizeof(line) ||
	    vml_mem_read(m, LHV_VM_CMDLINE_GPA, line, r->cmdline_len, &err)) {
		lhvctl_err("cannot read back the command line");
		return LHVCTL_EXIT_FAIL;
	}
	vml_sha256(line, r->cmdline_len, hash);
	return LHVCTL_EXIT_OK;
}

/* The verified files and the options, as the builder takes them. */
static void config_objects(struct vml_config *c, const struct load_args *a)
{
	c->kernel = a->obj[OBJ_KERNEL].data;
	c->kernel_size = a->obj[OBJ_KERNEL].len;
	if (a->nobjs == NR_OBJS) {
		c->initrd = a->obj[OBJ_INITRD].data;
		c->initrd_size = a->obj[OBJ_INITRD].len;
	}
	c->cmdline = (const char *)a->obj[a->nobjs - 1].data;
	c->tsc_khz = (uint32_t)a->tsc_khz;
}

/* What the hv measures at each start: the objects as placed. */
struct placed {
	struct lhv_measure_req reg[NR_OBJS];
	uint8_t hash[NR_OBJS][VML_SHA256_LEN];
};

/*
 * The regions as the builder placed them (the kernel's protected-mode
 * part, the initrd, the whole command line with its NUL) and the
 * SHA-256 of each. The kernel part and the initrd are copied verbatim
 * from the files, so their hashes come from the buffers already in
 * memory (the initrd's is the one the signature check used): reading
 * 50 MB back out of guest RAM took seconds under emulation, and the hv
 * measures the guest's copy itself at each start. Only the command line,
 * which the loader extends, is read back.
 */
static int measure_placed(const struct vml_mem *m, const struct vml_result *r,
			  const struct load_args *a, struct placed *p)
{
	struct vml_err err;

	memset(p, 0, sizeof(*p));
	p->reg[OBJ_KERNEL] =
		(struct lhv_measure_req){ LHV_MEASURE_KERNEL, r->kernel_gpa,
					  r->bz.pm_size };
	vml_sha256(r->bz.data + r->bz.setup_size, r->bz.pm_size,
		   p->hash[OBJ_KERNEL]);
	p->reg[OBJ_INITRD] =
		(struct lhv_measure_req){ LHV_MEASURE_INITRD, r->initrd_gpa,
					  r->initrd_size };
	if (r->initrd_size)
		memcpy(p->hash[OBJ_INITRD], a->obj[OBJ_INITRD].hash,
		       VML_SHA256_LEN);
	p->reg[OBJ_CMDLINE] = (struct lhv_measure_req){ LHV_MEASURE_CMDLINE,
							LHV_VM_CMDLINE_GPA,
							r->cmdline_len + 1 };
	if (vml_sha256_guest(m, LHV_VM_CMDLINE_GPA, r->cmdline_len + 1,
			     p->hash[OBJ_CMDLINE], &err)) {
		lhvctl_err("measuring the loaded cmdline: %s", err.msg);
		return LHVCTL_EXIT_FAIL;
	}
	return LHVCTL_EXIT_OK;
}

/*
 * "measure <kind> gpa=0x<hex> len=<n> sha256=<hex>" per region, the form
 * vm show gives the hv's own values in; JSON: one object per region.
 */
static void print_placed(struct lhvctl *ctl, const struct placed *p)
{
	struct out *o = &ctl->out;
	const char *kind;
	char hex[65];
	unsigned int i;

	for (i = 0; i < NR_OBJS; i++) {
		if (!p->reg[i].len)
			continue;
		kind = lhv_measure_kind_name(p->reg[i].kind);
		vml_hex(p->hash[i], hex);
		if (o->fmt != OUT_JSON) {
			fprintf(o->f,
				"measure %s gpa=0x%" PRIx64 " len=%" PRIu64
				" sha256=%s\n",
				kind, p->reg[i].gpa, p->reg[i].len, hex);
			continue;
		}
		out_begin(o);
		out_str(o, "measure", "measure", kind);
		out_uint(o, "gpa", "gpa", p->reg[i].gpa);
		out_uint(o, "len", "len", p->reg[i].len);
		out_str(o, "sha256", "sha256", hex);
		out_end(o);
	}
}

/* Tell the hv what to measure when it starts the VM. */
static int set_measure(int fd, const char *path, const struct placed *p)
{
	struct lhv_hc_vm_measure meas;

	if (lhv_req_measure(&meas, p->reg, NR_OBJS) < 0 ||
	    ioctl(fd, LHV_VM_IOC_SET_MEASURE, &meas)) {
		lhvctl_err("%s: setting the measured regions: %s", path,
			   strerror(errno));
		return LHVCTL_EXIT_FAIL;
	}
	return LHVCTL_EXIT_OK;
}

static int build_and_dump(struct lhvctl *ctl, const struct load_args *a)
{
	uint8_t loaded[VML_SHA256_LEN];
	uint32_t ids[VML_MAX_CPUS];
	struct vml_config c = { .nr_cpus = (unsigned int)a->cpus };
	struct vml_result *r = calloc(1, sizeof(*r));
	struct placed *p = calloc(1, sizeof(*p));
	struct vml_err err;
	struct vml_mem m;
	unsigned int i;
	int ret;

	if (!r || !p) {
		free(r);
		free(p);
		return LHVCTL_EXIT_FAIL;
	}
	/* The Service OS will supply the physical CPUs' ids; here 0..n-1. */
	for (i = 0; i < c.nr_cpus; i++)
		ids[i] = i;
	c.apic_ids = ids;
	config_objects(&c, a);
	ret = dry_run_mem(a, &m);
	if (!ret && vml_build(&m, &c, r, &err)) {
		lhvctl_err("%s", err.msg);
		ret = LHVCTL_EXIT_FAIL;
	}
	if (!ret && vm_dump(a->out, &m, r, a->obj, a->nobjs))
		ret = LHVCTL_EXIT_FAIL;
	if (!ret)
		ret = measure_loaded_cmdline(&m, r, loaded);
	if (!ret)
		ret = measure_placed(&m, r, a, p);
	if (!ret) {
		print_result(ctl, a, r, loaded);
		print_placed(ctl, p);
	}
	for (i = 0; i < m.nr_ranges; i++)
		if (m.range[i].host)
			munmap(m.range[i].host, m.range[i].size);
	free(p);
	free(r);
	return ret;
}

static void boot_state_to_hv(const struct lhv_vcpu_boot_state *b,
			     struct lhv_hc_vcpu_state *st)
{
	memset(st, 0, sizeof(*st));
	st->rip = b->rip;
	st->rsi = b->rsi;
	st->rsp = b->rsp;
	st->rflags = b->rflags;
	st->cr0 = b->cr0;
	st->cr3 = b->cr3;
	st->cr4 = b->cr4;
	st->efer = b->efer;
	st->gdt_base = b->gdtr_base;
	st->gdt_limit = b->gdtr_limit;
	st->cs = b->cs.selector;
	st->ds = b->ds.selector;
}

/*
 * Build into the VM's own RAM: /dev/lhv-<vm> maps it from guest-physical
 * 0 (user VMs have no RAM above 4 GiB yet, so one range).
 */
static int build_and_load(struct lhvctl *ctl, const struct load_args *a)
{
	struct vml_result *r = calloc(1, sizeof(*r));
	struct placed p;
	struct vml_config c = { 0 };
	uint32_t ids[LHV_VM_MAX_VCPUS];
	uint8_t loaded[VML_SHA256_LEN];
	struct lhv_vm_boot boot = { 0 };
	struct lhv_vm_info vm;
	struct vml_err err;
	struct vml_mem m;
	char path[64];
	unsigned int i;
	void *ram;
	int ret, fd;

	if (!r)
		return LHVCTL_EXIT_FAIL;
	ret = lhvctl_get_vm(a->vm, &vm);
	if (!ret && (!vm.is_user || vm.mem_size > LHV_VM_LOW_RAM_END)) {
		lhvctl_err("%s: not a user VM this loader can fill", a->vm);
		ret = LHVCTL_EXIT_FAIL;
	}
	/* The MADT lists the physical CPUs' APIC ids, as the module says. */
	for (i = 0; !ret && i < vm.nr_cpus; i++)
		ids[i] = vm.apic_ids[i];
	if (ret) {
		free(r);
		return ret;
	}
	snprintf(path, sizeof(path), "/dev/lhv-%s", a->vm);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		lhvctl_err("%s: %s", path, strerror(errno));
		free(r);
		return LHVCTL_EXIT_FAIL;
	}
	/*
	 * What an earlier load left must not survive into this one. The
	 * module zeroes it: through the mapping, each 4 KiB page would fault.
	 */
	if (ioctl(fd, LHV_VM_IOC_CLEAR_RAM) < 0) {
		lhvctl_err("clearing the RAM of %s: %s", a->vm,
			   errno == EBUSY ? "the VM is running or being loaded"
					  : strerror(errno));
		close(fd);
		free(r);
		return LHVCTL_EXIT_FAIL;
	}
	ram = mmap(NULL, vm.mem_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		   0);
	if (ram == MAP_FAILED) {
		lhvctl_err("mmap of %s: %s", path, strerror(errno));
		close(fd);
		free(r);
		return LHVCTL_EXIT_FAIL;
	}
	memset(&m, 0, sizeof(m));
	m.range[0] = (struct vml_range){ .gpa = 0,
					 .size = vm.mem_size,
					 .host = ram };
	m.nr_ranges = 1;
	c.nr_cpus = vm.nr_cpus;
	c.apic_ids = ids;
	config_objects(&c, a);
	if (vml_build(&m, &c, r, &err)) {
		lhvctl_err("%s", err.msg);
		ret = LHVCTL_EXIT_FAIL;
	}
	if (!ret)
		ret = measure_loaded_cmdline(&m, r, loaded);
	if (!ret)
		ret = measure_placed(&m, r, a, &p);
	if (!ret) {
		boot.vcpu = 0;
		boot_state_to_hv(&r->boot, &boot.state);
		if (ioctl(fd, LHV_VM_IOC_SET_BOOT, &boot)) {
			lhvctl_err("%s: setting the boot state: %s", path,
				   strerror(errno));
			ret = LHVCTL_EXIT_FAIL;
		}
	}
	if (!ret)
		ret = set_measure(fd, path, &p);
	munmap(ram, vm.mem_size);
	close(fd);
	if (!ret) {
		print_result(ctl, a, r, loaded);
		print_placed(ctl, &p);
	}
	free(r);
	return ret;
}

/* The TSC frequency the module measured (STATUS), if it tells. */
static int module_tsc_khz(struct load_args *a)
{
	struct lhv_status st;
	int ret;

	ret = lhvctl_get_status(&st);
	if (!ret)
		a->tsc_khz = st.hv_tsc_khz;
	return ret;
}

int cmd_vm_load(struct lhvctl *ctl, int argc, char **argv)
{
	struct load_args *a = calloc(1, sizeof(*a));
	unsigned int i;
	int ret;

	(void)argc;
	if (!a)
		return LHVCTL_EXIT_FAIL;
	ret = parse_args(ctl, argv, a);
	if (!ret)
		ret = read_objects(a);
	if (!ret)
		ret = verify_objects(a);
	if (!ret && !a->tsc_khz && !a->dry_run)
		ret = module_tsc_khz(a);
	if (!ret && !a->tsc_khz)
		lhvctl_warn("no TSC frequency (--tsc-khz, or the module's): a "
			    "UOS without PIT or HPET cannot calibrate its TSC");
	if (!ret)
		ret = a->dry_run ? build_and_dump(ctl, a)
				 : build_and_load(ctl, a);
	for (i = 0; i < a->nobjs; i++)
		if (a->obj[i].path)
			free(a->obj[i].data);
	free(a);
	return ret;
}
