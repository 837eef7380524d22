/* SPDX-License-Identifier: BSD-3-Clause */
/* How the seeds_<name> generators write one seed input into their directory. */
#ifndef LHV_SEED_FILE_H
#define LHV_SEED_FILE_H

#include <stddef.h>
#include <stdio.h>

/* Writes @len bytes to @dir/@name; 0, or 1 after printing why. */
static inline int seed_save(const char *dir, const char *name, const void *buf,
			    size_t len)
{
	char path[4096];
	FILE *f;
	int err;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f) {
		perror(path);
		return 1;
	}
	err = fwrite(buf, 1, len, f) != len;
	err |= fclose(f) != 0;
	if (err)
		perror(path);
	return err;
}

#endif /* LHV_SEED_FILE_H */
