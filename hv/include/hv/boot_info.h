/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the loader tells the hv once per enable (struct lhv_hv_boot_info):
 * the Service OS's RAM, the platform seed and the SOS's UUID, copied into
 * hv memory by the first CPU that enters.
 */
#ifndef _HV_BOOT_INFO_H
#define _HV_BOOT_INFO_H

#include <lhv/hv_image.h>
#include <hv/types.h>

/*
 * The checked copy. Its seed[] is wiped once taken (core/vseed.c keeps
 * the seed); seed_len then says how long a seed the hv holds.
 */
extern struct lhv_hv_boot_info hv_boot_info;

/*
 * Takes the loader's block on the first call of an enable and checks it;
 * later calls only report whether the first succeeded. Returns 0 or a
 * negative errno with *why set.
 */
int boot_info_take(const struct lhv_hv_boot_info *info, const char **why);

/* Whether [start, start + len) lies inside one SOS RAM range. */
bool boot_info_is_sos_ram(u64 start, u64 len);

#endif /* _HV_BOOT_INFO_H */
