// SPDX-License-Identifier: BSD-3-Clause
/*
 * hv_main: what a CPU does inside the hv. For now it checks the loader's
 * boot block and logs its arrival; enabling virtualization comes next.
 */
#include <lhv/hv_image.h>
#include <lhv/version.h>
#include <hv/entry.h>
#include <hv/errno.h>
#include <hv/log.h>
#include <hv/page.h>

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
	return 0;
}

int hv_main(const struct lhv_hv_boot *boot, struct per_cpu *cpu)
{
	const char *why;
	int err;

	err = boot_check(boot, &why);
	if (err) {
		log_printf("lhv: cpu %u: %s (%d)\n", boot->cpu_id, why, err);
		return err;
	}

	cpu->cpu_id = boot->cpu_id;
	log_printf("lhv: hv %s entered on cpu %u\n", LHV_VERSION_STRING,
		   cpu->cpu_id);
	return 0;
}
