// SPDX-License-Identifier: BSD-3-Clause
/*
 * lhv-snd-sig: test signals for the audio scenarios.
 *
 *   lhv-snd-sig gen <bytes> <channels> <frames> <seed>   raw signal to stdout
 *   lhv-snd-sig cmp <bytes> <channels> <ref> <capture> <min-frames>
 *
 * gen writes little-endian samples of 2 or 4 bytes from a 64-bit xorshift
 * generator: a non-periodic signal with no run of silence, so an offset
 * between two recordings has exactly one match. cmp aligns a capture with
 * the reference (it finds the reference's first frames in the capture, or
 * the capture's first non-silent frames in the reference), compares the
 * overlap sample for sample and prints "offset <n> compared <n>
 * mismatches <n>"; it exits 0 only with no mismatch and at least
 * min-frames compared.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ALIGN_FRAMES 4

static int usage(void)
{
	fprintf(stderr,
		"usage: lhv-snd-sig gen <bytes> <channels> <frames> <seed>\n"
		"       lhv-snd-sig cmp <bytes> <channels> <ref> <capture> "
		"<min-frames>\n");
	return 2;
}

static int gen(unsigned int bytes, unsigned int ch, unsigned long frames,
	       uint64_t seed)
{
	uint64_t x = seed | 1;
	unsigned char s[4];
	unsigned long i;
	unsigned int c, b;

	for (i = 0; i < frames; i++) {
		for (c = 0; c < ch; c++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			/* Never all-zero: a sample of silence could align. */
			for (b = 0; b < bytes; b++)
				s[b] = (unsigned char)(x >> (8 * b + 8));
			s[bytes - 1] |= 0x01;
			if (fwrite(s, bytes, 1, stdout) != 1)
				return 1;
		}
	}
	return fflush(stdout) ? 1 : 0;
}

static unsigned char *slurp(const char *path, size_t *len)
{
	unsigned char *buf = NULL, *grown;
	size_t cap = 0, n;
	FILE *f = fopen(path, "rb");

	*len = 0;
	if (!f)
		return NULL;
	for (;;) {
		if (*len == cap) {
			cap = cap ? 2 * cap : 1 << 20;
			grown = realloc(buf, cap);
			if (!grown) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = grown;
		}
		n = fread(buf + *len, 1, cap - *len, f);
		if (!n)
			break;
		*len += n;
	}
	fclose(f);
	return buf;
}

/* First frame index where needle (n frames) appears in hay, or -1. */
static long find(const unsigned char *hay, size_t hay_frames,
		 const unsigned char *needle, size_t fb)
{
	size_t i;

	for (i = 0; i + ALIGN_FRAMES <= hay_frames; i++)
		if (!memcmp(hay + i * fb, needle, ALIGN_FRAMES * fb))
			return (long)i;
	return -1;
}

static int silent(const unsigned char *p, size_t fb)
{
	size_t i;

	for (i = 0; i < fb; i++)
		if (p[i])
			return 0;
	return 1;
}

static int cmp(unsigned int bytes, unsigned int ch, const char *ref_path,
	       const char *cap_path, unsigned long min)
{
	size_t fb = (size_t)bytes * ch, rlen, clen, rf, cf, i, n, bad = 0;
	unsigned char *ref = slurp(ref_path, &rlen);
	unsigned char *cap = slurp(cap_path, &clen);
	long off, roff = 0, coff = 0;
	size_t s = 0;

	if (!ref || !cap) {
		fprintf(stderr, "lhv-snd-sig: cannot read %s or %s\n", ref_path,
			cap_path);
		return 1;
	}
	rf = rlen / fb;
	cf = clen / fb;
	off = rf >= ALIGN_FRAMES ? find(cap, cf, ref, fb) : -1;
	if (off >= 0) {
		coff = off;
	} else {
		/* The capture may have begun after the signal did. */
		while (s < cf && silent(cap + s * fb, fb))
			s++;
		if (s + ALIGN_FRAMES <= cf)
			off = find(ref, rf, cap + s * fb, fb);
		if (off < 0) {
			printf("offset none compared 0 mismatches 0\n");
			return 1;
		}
		roff = off;
		coff = (long)s;
		off = -off;
	}
	n = rf - (size_t)roff;
	if (n > cf - (size_t)coff)
		n = cf - (size_t)coff;
	for (i = 0; i < n * ch; i++)
		if (memcmp(ref + (size_t)roff * fb + i * bytes,
			   cap + (size_t)coff * fb + i * bytes, bytes))
			bad++;
	printf("offset %ld compared %zu mismatches %zu\n", off, n, bad);
	free(ref);
	free(cap);
	return bad || n < min;
}

int main(int argc, char **argv)
{
	unsigned long bytes, ch;

	if (argc < 4)
		return usage();
	bytes = strtoul(argv[2], NULL, 0);
	ch = strtoul(argv[3], NULL, 0);
	if ((bytes != 2 && bytes != 4) || !ch || ch > 64)
		return usage();
	if (!strcmp(argv[1], "gen") && argc == 6)
		return gen((unsigned int)bytes, (unsigned int)ch,
			   strtoul(argv[4], NULL, 0),
			   strtoull(argv[5], NULL, 0));
	if (!strcmp(argv[1], "cmp") && argc == 7)
		return cmp((unsigned int)bytes, (unsigned int)ch, argv[4],
			   argv[5], strtoul(argv[6], NULL, 0));
	return usage();
}
