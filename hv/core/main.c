// SPDX-License-Identifier: BSD-3-Clause
/*
 * hv_main: what a CPU does inside the hv. It checks the loader's boot
 * block and hands the CPU to the architecture code, which comes back only
 * if it could not virtualize it.
 */
#include <lhv/hv_image.h>
#include <lhv/version.h>
#include <hv/boot_info.h>
#include <hv/entry.h>
#include <hv/errno.h>
#include <hv/log.h>
#include <hv/memory.h>
#include <hv/page.h>
#include <hv/reloc.h>

u64 hv_image_phys;

/* Returns 0 if the loader's block is one this hv understands. */
static int boot_check(const struct lhv_hv_boot *boot, const char **why)
{
	if (boot->size < sizeof(*boot)) {
		*why = "boot block too small";
		return -EINVAL;
	}
	if (boot->abi_version != LHV_ABI_VERSION) {
		*why = "loader ABI version differs";
		return -EPROTO;
	}
	if (boot->flags) {
		*why = "unknown boot flags";
		return -EINVAL;
	}
	if (boot->image_phys & (PAGE_SIZE - 1)) {
		*why = "image not page aligned";
		return -EINVAL;
	}
	if (hv_image_phys && boot->image_phys != hv_image_phys) {
		*why = "image address differs from the other CPUs'";
		return -EINVAL;
	}
	return 0;
}

int hv_main(const struct lhv_hv_boot *boot, struct per_cpu *cpu)
{
	const char *why;
	int err;

	/* Before anything reads a pointer from hv data. */
	err = hv_relocate();
	if (err)
		return err;
	err = boot_check(boot, &why);
	if (err) {
		log_printf("lhv: cpu %u: %s (%d)\n", boot->cpu_id, why, err);
		return err;
	}
	if (cpu->running) {
		log_printf("lhv: cpu %u: already running\n", boot->cpu_id);
		return -EBUSY;
	}

	err = boot_info_take((const struct lhv_hv_boot_info *)boot->info, &why);
	if (err) {
		log_printf("lhv: cpu %u: %s (%d)\n", boot->cpu_id, why, err);
		return err;
	}
	hv_image_phys = boot->image_phys;
	cpu->cpu_id = boot->cpu_id;
	log_printf("lhv: hv %s entered on cpu %u\n", LHV_VERSION_STRING,
		   cpu->cpu_id);
	return arch_cpu_enable(cpu);
}
