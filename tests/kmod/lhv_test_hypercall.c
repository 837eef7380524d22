// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * lhv_test_hypercall: calls the hv from ring 0 with good and hostile
 * arguments and checks every answer against the ABI (uapi/lhv/hypercall.h),
 * then probes hv memory from the SOS: each access must fault (#GP, caught
 * by an exception-table fixup here) and the hv must stay up. Load it with
 * the hv running; the results are TAP lines in
 * /sys/kernel/debug/lhv_test_hypercall/results. Test-only, never packaged.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/asm.h>
#include <lhv/hypercall.h>
#include <lhv/version.h>

#define RESULTS_MAX 8192

static char *results;
static size_t results_len;
static unsigned int n_tests;
static struct dentry *dir;
static struct debugfs_blob_wrapper blob;

static __printf(2, 3) void report(bool ok, const char *fmt, ...)
{
	va_list ap;

	n_tests++;
	results_len +=
		scnprintf(results + results_len, RESULTS_MAX - results_len,
			  "%sok %u - ", ok ? "" : "not ", n_tests);
	va_start(ap, fmt);
	results_len += vscnprintf(results + results_len,
				  RESULTS_MAX - results_len, fmt, ap);
	va_end(ap);
	results_len += scnprintf(results + results_len,
				 RESULTS_MAX - results_len, "\n");
}

#define expect(got, want, what)                                                \
	do {                                                                   \
		long __g = (got), __w = (want);                                \
		report(__g == __w, "%s (got %ld, want %ld)", what, __g, __w);  \
	} while (0)

/* Calls go through the ABI header's own VMMCALL wrapper. */
#define hc lhv_vmmcall

/* A load that faults is fixed up to -EFAULT instead of an oops. */
/* clang-format off: it would split the %0 operand of the fixup macro. */
// clang-format off
static int probe_read(const void *p, u64 *val)
{
	int err = 0;
	u64 v = 0;

	asm volatile(
		"1: movq (%2), %1\n"
		"2:\n" _ASM_EXTABLE_TYPE_REG(1b, 2b, EX_TYPE_EFAULT_REG, %0)
		: "+r"(err), "+r"(v)
		: "r"(p)
		: "memory");
	*val = v;
	return err;
}

static int probe_write(void *p, u64 val)
{
	int err = 0;

	asm volatile(
		"1: movq %2, (%1)\n"
		"2:\n" _ASM_EXTABLE_TYPE_REG(1b, 2b, EX_TYPE_EFAULT_REG, %0)
		: "+r"(err)
		: "r"(p), "r"(val)
		: "memory");
	return err;
}
// clang-format on

static void test_basic(void)
{
	expect(hc(LHV_HC_GET_API_VERSION, 0, 0), LHV_ABI_VERSION,
	       "GET_API_VERSION answers the ABI version");
	expect(hc(0x7fff, 0, 0), -ENOSYS, "an unknown id answers -ENOSYS");
	expect(hc(0, 0, 0), -ENOSYS, "id 0 answers -ENOSYS");
}

static void test_hw_info(struct lhv_hc_hw_info *hw, void *buf)
{
	long ret;

	ret = hc(LHV_HC_GET_HW_INFO, virt_to_phys(hw), sizeof(*hw));
	expect(ret, sizeof(*hw), "GET_HW_INFO fills the whole struct");
	expect(hw->abi_version, LHV_ABI_VERSION, "hw info: ABI version");
	expect(hw->vendor, LHV_HC_VENDOR_AMD_SVM, "hw info: AMD SVM");
	report(hw->features & LHV_HC_HW_NPT, "hw info: nested paging");
	expect(hw->cpus_running, num_online_cpus(),
	       "hw info: every online CPU runs the hv");
	report(hw->mem_size >= PAGE_SIZE && !(hw->mem_phys & ~PAGE_MASK),
	       "hw info: hv memory 0x%llx + 0x%llx", hw->mem_phys,
	       hw->mem_size);
	report(!strcmp(hw->version, LHV_VERSION_STRING),
	       "hw info: release %.16s", hw->version);
	report(hw->nr_ram > 0, "hw info: %u SOS RAM ranges", hw->nr_ram);

	expect(hc(LHV_HC_GET_HW_INFO, virt_to_phys(buf), 4), -EINVAL,
	       "GET_HW_INFO with a 4-byte buffer: -EINVAL");
	expect(hc(LHV_HC_GET_HW_INFO, virt_to_phys(buf), 8), 8,
	       "GET_HW_INFO with an 8-byte buffer writes 8 bytes");
	expect(hc(LHV_HC_GET_HW_INFO, virt_to_phys(buf), ~0UL), sizeof(*hw),
	       "GET_HW_INFO with a huge size writes the struct");
	expect(hc(LHV_HC_GET_HW_INFO, hw->mem_phys, sizeof(*hw)), -EFAULT,
	       "GET_HW_INFO into hv memory: -EFAULT");
	expect(hc(LHV_HC_GET_HW_INFO, hw->mem_phys + hw->mem_size - 8,
		  sizeof(*hw)),
	       -EFAULT, "GET_HW_INFO into the end of hv memory: -EFAULT");
	expect(hc(LHV_HC_GET_HW_INFO, hw->mem_phys - 16, sizeof(*hw)), -EFAULT,
	       "GET_HW_INFO straddling into hv memory: -EFAULT");
	expect(hc(LHV_HC_GET_HW_INFO, 0xfee00000UL, sizeof(*hw)), -EFAULT,
	       "GET_HW_INFO into the local APIC page: -EFAULT");
	expect(hc(LHV_HC_GET_HW_INFO, 1UL << 50, sizeof(*hw)), -EFAULT,
	       "GET_HW_INFO far beyond RAM: -EFAULT");
	expect(hc(LHV_HC_GET_HW_INFO, -16UL, sizeof(*hw)), -EFAULT,
	       "GET_HW_INFO at a wrapping address: -EFAULT");
}

static void test_log_read(const struct lhv_hc_hw_info *hw, void *buf)
{
	struct lhv_hc_log_read *req = kzalloc(sizeof(*req), GFP_KERNEL);
	char *text = kzalloc(PAGE_SIZE + 1, GFP_KERNEL);
	long ret;

	if (!req || !text) {
		report(false, "LOG_READ: no memory for the test");
		goto out;
	}
	req->buf = virt_to_phys(text);
	req->len = PAGE_SIZE;
	ret = hc(LHV_HC_LOG_READ, virt_to_phys(req), 0);
	report(ret > 0 && ret <= PAGE_SIZE, "LOG_READ copies text (%ld)", ret);
	report(ret > 0 && strnstr(text, "entered on cpu", ret),
	       "LOG_READ text is the hv's log");
	report(ret > 0 && req->cursor == req->lost + ret,
	       "LOG_READ advances the cursor (%llu = %llu lost + %ld)",
	       req->cursor, req->lost, ret);
	ret = hc(LHV_HC_LOG_READ, virt_to_phys(req), 0);
	report(ret >= 0, "LOG_READ from the cursor on (%ld more bytes)", ret);

	req->cursor = 0;
	req->len = LHV_HC_MAX_COPY + 1;
	expect(hc(LHV_HC_LOG_READ, virt_to_phys(req), 0), -E2BIG,
	       "LOG_READ of more than LHV_HC_MAX_COPY: -E2BIG");
	req->len = 64;
	req->pad = 1;
	expect(hc(LHV_HC_LOG_READ, virt_to_phys(req), 0), -EINVAL,
	       "LOG_READ with pad set: -EINVAL");
	req->pad = 0;
	req->cursor = 1ULL << 62;
	expect(hc(LHV_HC_LOG_READ, virt_to_phys(req), 0), -EINVAL,
	       "LOG_READ with a cursor beyond the log: -EINVAL");
	req->cursor = 0;
	req->buf = hw->mem_phys;
	expect(hc(LHV_HC_LOG_READ, virt_to_phys(req), 0), -EFAULT,
	       "LOG_READ into hv memory: -EFAULT");
	expect(hc(LHV_HC_LOG_READ, hw->mem_phys, 0), -EFAULT,
	       "LOG_READ request block in hv memory: -EFAULT");
	expect(hc(LHV_HC_LOG_READ, 0xfee00000UL, 0), -EFAULT,
	       "LOG_READ request block in MMIO: -EFAULT");
out:
	kfree(text);
	kfree(req);
}

static void test_stats(const struct lhv_hc_hw_info *hw)
{
	struct lhv_hc_cpu_stats *st = kzalloc(sizeof(*st), GFP_KERNEL);
	unsigned int cpu;
	long ret;

	if (!st) {
		report(false, "GET_STATS: no memory for the test");
		return;
	}
	cpu = get_cpu();
	ret = hc(LHV_HC_GET_STATS, cpu, virt_to_phys(st));
	put_cpu();
	expect(ret, 0, "GET_STATS of this CPU");
	expect(st->cpu, cpu, "stats: the CPU asked for");
	expect(st->nr_reasons, LHV_EXIT_REASON_COUNT, "stats: reason count");
	report(st->count[LHV_EXIT_HYPERCALL] > 0,
	       "stats: hypercalls counted (%llu)",
	       st->count[LHV_EXIT_HYPERCALL]);
	report(st->exits >= st->count[LHV_EXIT_HYPERCALL],
	       "stats: exits (%llu) include them", st->exits);
	expect(hc(LHV_HC_GET_STATS, 4096, virt_to_phys(st)), -ENOENT,
	       "GET_STATS of CPU 4096: -ENOENT");
	expect(hc(LHV_HC_GET_STATS, ~0UL, virt_to_phys(st)), -ENOENT,
	       "GET_STATS of CPU ~0: -ENOENT");
	expect(hc(LHV_HC_GET_STATS, 0, hw->mem_phys + PAGE_SIZE), -EFAULT,
	       "GET_STATS into hv memory: -EFAULT");
	kfree(st);
}

/*
 * The SOS's own view of hv memory, page by page: no write reaches it, and
 * only the log ring's pages (16 KiB of text plus its header: 5 pages) may
 * be read. A write stores back what a read returned, so even a wrongly
 * writable page would not change. The hv must answer afterwards.
 */
static void test_hv_memory_probe(const struct lhv_hc_hw_info *hw)
{
	unsigned int pages = 0, readable = 0, write_faults = 0;
	bool reserved;
	u64 off, val;
	void *base, *p;

	/*
	 * Reserved at boot (hv_mem=): not in the direct map, so map it the
	 * way a rogue driver would; development memory is in the direct map.
	 */
	reserved = region_intersects(hw->mem_phys, hw->mem_size,
				     IORESOURCE_SYSTEM_RAM,
				     IORES_DESC_NONE) == REGION_DISJOINT;
	base = reserved ? memremap(hw->mem_phys, hw->mem_size, MEMREMAP_WB)
			: phys_to_virt(hw->mem_phys);
	if (!base) {
		report(false, "memremap of hv memory");
		return;
	}
	results_len += scnprintf(
		results + results_len, RESULTS_MAX - results_len,
		"# probing hv memory %s\n",
		reserved ? "reserved at boot, mapped with memremap"
			 : "from the page allocator, in the direct map");
	for (off = 0; off < hw->mem_size; off += PAGE_SIZE) {
		p = base + off + 64;
		pages++;
		if (!probe_read(p, &val))
			readable++;
		else
			val = 0;
		if (probe_write(p, val) == -EFAULT)
			write_faults++;
	}
	if (reserved)
		memunmap(base);
	expect(write_faults, pages, "every page of hv memory refuses writes");
	report(readable <= 5, "only the log pages are readable (%u of %u)",
	       readable, pages);
	expect(hc(LHV_HC_GET_API_VERSION, 0, 0), LHV_ABI_VERSION,
	       "the hv still answers after the probes");
}

static int __init lhv_test_hc_init(void)
{
	struct lhv_hc_hw_info *hw;
	void *buf;

	results = kzalloc(RESULTS_MAX, GFP_KERNEL);
	hw = kzalloc(sizeof(*hw), GFP_KERNEL);
	buf = kzalloc(PAGE_SIZE, GFP_KERNEL);
	if (!results || !hw || !buf) {
		kfree(results);
		kfree(hw);
		kfree(buf);
		return -ENOMEM;
	}
	test_basic();
	test_hw_info(hw, buf);
	test_log_read(hw, buf);
	test_stats(hw);
	test_hv_memory_probe(hw);
	kfree(buf);
	kfree(hw);

	blob.data = results;
	blob.size = results_len;
	dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_blob("results", 0400, dir, &blob);
	return 0;
}

static void __exit lhv_test_hc_exit(void)
{
	debugfs_remove(dir);
	kfree(results);
}

module_init(lhv_test_hc_init);
module_exit(lhv_test_hc_exit);
MODULE_DESCRIPTION("lhv test: hypercall ABI and hv memory isolation");
MODULE_LICENSE("Dual BSD/GPL");
