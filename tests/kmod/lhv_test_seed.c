// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * lhv_test_seed.ko: pokes LHV_HC_GET_VSEED and looks for leftovers of the
 * platform seed, for tests/scenarios/hv-seed.sh. Never shipped.
 *
 * debugfs lhv_test_seed/:
 *   call     write "<gpa> <size>" (hex; gpa "buf" = our buffer): makes the
 *            hypercall from ring 0; read: "<ret> <hex of ret buffer bytes>"
 *   buf_phys read: physical address of our 4 KiB buffer
 *   scan     read: "pages <n> skipped <n> hits <n>": System RAM pages that
 *            hold the first 16 bytes of the seed (parameter seed_inv, the
 *            seed's bytes inverted so this module holds no copy), hv
 *            memory (hv_phys, hv_size) skipped
 *   page     read: "zero" or "nonzero": the bootloader's seed page
 *            (parameter seed_page); write "bad-crc" or "bad-version": put
 *            a broken seed page there (bytes 0x5a), for lhv.ko to refuse
 */
#include <linux/crc32.h>
#include <linux/debugfs.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <lhv/hypercall.h>
#include <lhv/seed.h>

#define TSEED_PREFIX 16

static char *seed_inv = "";
module_param(seed_inv, charp, 0400);
static unsigned long long hv_phys, hv_size, seed_page;
module_param(hv_phys, ullong, 0400);
module_param(hv_size, ullong, 0400);
module_param(seed_page, ullong, 0400);

static struct dentry *tseed_dir;
static u8 *tseed_buf; /* one page, the hypercall's buffer */
static u64 tseed_buf_phys;
static long tseed_ret;		   /* the last call's result */
static u8 tseed_pat[TSEED_PREFIX]; /* inverted */
static DEFINE_MUTEX(tseed_lock);

static ssize_t tseed_call_write(struct file *f, const char __user *ubuf,
				size_t len, loff_t *pos)
{
	char s[64], gpa_s[24];
	unsigned long long gpa, size;

	if (len >= sizeof(s))
		return -EINVAL;
	if (copy_from_user(s, ubuf, len))
		return -EFAULT;
	s[len] = '\0';
	if (sscanf(s, "%23s %llx", gpa_s, &size) != 2)
		return -EINVAL;
	if (!strcmp(gpa_s, "buf"))
		gpa = tseed_buf_phys;
	else if (kstrtoull(gpa_s, 16, &gpa))
		return -EINVAL;
	mutex_lock(&tseed_lock);
	memset(tseed_buf, 0, PAGE_SIZE);
	tseed_ret = lhv_vmmcall(LHV_HC_GET_VSEED, gpa, size);
	mutex_unlock(&tseed_lock);
	return len;
}

static ssize_t tseed_call_read(struct file *f, char __user *ubuf, size_t len,
			       loff_t *pos)
{
	char *s = kzalloc(256, GFP_KERNEL);
	int n, i;
	ssize_t ret;

	if (!s)
		return -ENOMEM;
	mutex_lock(&tseed_lock);
	n = scnprintf(s, 256, "%ld ", tseed_ret);
	for (i = 0; i < tseed_ret && i < 64; i++)
		n += scnprintf(s + n, 256 - n, "%02x", tseed_buf[i]);
	mutex_unlock(&tseed_lock);
	n += scnprintf(s + n, 256 - n, "\n");
	ret = simple_read_from_buffer(ubuf, len, pos, s, n);
	kfree(s);
	return ret;
}

static const struct file_operations tseed_call_fops = {
	.owner = THIS_MODULE,
	.read = tseed_call_read,
	.write = tseed_call_write,
	.llseek = default_llseek,
};

struct tseed_scan {
	u8 *page; /* a bounce copy */
	unsigned long pages, skipped, hits;
};

static bool tseed_match(const u8 *p, size_t len)
{
	size_t i, j;

	for (i = 0; i + TSEED_PREFIX <= len; i++) {
		for (j = 0; j < TSEED_PREFIX; j++) {
			if (p[i + j] != (u8)~tseed_pat[j])
				break;
		}
		if (j == TSEED_PREFIX)
			return true;
	}
	return false;
}

static int tseed_scan_range(struct resource *res, void *arg)
{
	unsigned long pfn = PHYS_PFN(PAGE_ALIGN(res->start));
	unsigned long end = PHYS_PFN(res->end + 1);
	unsigned long nr = end > pfn ? end - pfn : 0;
	struct tseed_scan *sc = arg;
	unsigned long i;

	for (i = 0; i < nr; i++) {
		u64 pa = PFN_PHYS(pfn + i);

		/* Touching hv memory would fault in the nested page table. */
		if (pa >= hv_phys && pa < hv_phys + hv_size) {
			sc->skipped++;
			continue;
		}
		if (!pfn_valid(pfn + i) ||
		    copy_from_kernel_nofault(sc->page, __va(pa), PAGE_SIZE)) {
			sc->skipped++;
			continue;
		}
		sc->pages++;
		if (tseed_match(sc->page, PAGE_SIZE))
			sc->hits++;
		/* The bounce page must not become a hit itself. */
		memset(sc->page, 0, PAGE_SIZE);
		cond_resched();
	}
	return 0;
}

static int tseed_scan_show(struct seq_file *m, void *v)
{
	struct tseed_scan sc = {};

	sc.page = kzalloc(PAGE_SIZE, GFP_KERNEL);
	if (!sc.page)
		return -ENOMEM;
	walk_iomem_res_desc(IORES_DESC_NONE,
			    IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY, 0, -1, &sc,
			    tseed_scan_range);
	kfree(sc.page);
	seq_printf(m, "pages %lu skipped %lu hits %lu\n", sc.pages, sc.skipped,
		   sc.hits);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(tseed_scan);

static int tseed_page_show(struct seq_file *m, void *v)
{
	u8 *p;

	if (!seed_page)
		return -ENOENT;
	p = memremap(seed_page, PAGE_SIZE, MEMREMAP_WB);
	if (!p)
		return -ENOMEM;
	seq_printf(m, "%s\n", memchr_inv(p, 0, PAGE_SIZE) ? "nonzero" : "zero");
	memunmap(p);
	return 0;
}

static int tseed_page_open(struct inode *inode, struct file *f)
{
	return single_open(f, tseed_page_show, inode->i_private);
}

static ssize_t tseed_page_write(struct file *f, const char __user *ubuf,
				size_t len, loff_t *pos)
{
	struct lhv_seed_page *p;
	ssize_t ret = len;
	char s[16];

	if (!seed_page || len >= sizeof(s))
		return -EINVAL;
	if (copy_from_user(s, ubuf, len))
		return -EFAULT;
	s[len] = '\0';
	p = memremap(seed_page, PAGE_SIZE, MEMREMAP_WB);
	if (!p)
		return -ENOMEM;
	memset(p, 0, PAGE_SIZE);
	p->magic = LHV_SEED_PAGE_MAGIC;
	p->version = LHV_SEED_PAGE_VERSION;
	p->seed_len = 32;
	memset(p->seed, 0x5a, 32);
	p->crc32 = ~crc32_le(~0U, p->seed, 32);
	if (sysfs_streq(s, "bad-crc"))
		p->crc32 ^= 1;
	else if (sysfs_streq(s, "bad-version"))
		p->version = LHV_SEED_PAGE_VERSION + 1;
	else
		ret = -EINVAL;
	memunmap(p);
	return ret;
}

static const struct file_operations tseed_page_fops = {
	.owner = THIS_MODULE,
	.open = tseed_page_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.write = tseed_page_write,
};

static int __init tseed_init(void)
{
	if (strlen(seed_inv) < 2 * TSEED_PREFIX ||
	    hex2bin(tseed_pat, seed_inv, TSEED_PREFIX))
		return -EINVAL;
	tseed_buf = (u8 *)get_zeroed_page(GFP_KERNEL);
	if (!tseed_buf)
		return -ENOMEM;
	tseed_buf_phys = virt_to_phys(tseed_buf);
	tseed_dir = debugfs_create_dir("lhv_test_seed", NULL);
	debugfs_create_file("call", 0600, tseed_dir, NULL, &tseed_call_fops);
	debugfs_create_x64("buf_phys", 0400, tseed_dir, &tseed_buf_phys);
	debugfs_create_file("scan", 0400, tseed_dir, NULL, &tseed_scan_fops);
	debugfs_create_file("page", 0600, tseed_dir, NULL, &tseed_page_fops);
	return 0;
}

static void __exit tseed_exit(void)
{
	debugfs_remove_recursive(tseed_dir);
	free_page((unsigned long)tseed_buf);
}

module_init(tseed_init);
module_exit(tseed_exit);
MODULE_DESCRIPTION("lhv test: HC_GET_VSEED and the platform seed's wipe");
MODULE_LICENSE("Dual BSD/GPL");
