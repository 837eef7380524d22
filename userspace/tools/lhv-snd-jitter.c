// SPDX-License-Identifier: BSD-3-Clause
/*
 * lhv-snd-jitter: how steadily an ALSA playback PCM frees its periods.
 *
 *   lhv-snd-jitter <pcm-node> <rate> <channels> <period-frames> <periods>
 *                  <seconds>
 *
 * Opens the PCM node (/dev/snd/pcmC0D0p) with the raw ALSA ioctls (no
 * alsa-lib), S16_LE interleaved, starting when the buffer is full (as
 * aplay does), keeps its buffer full with blocking
 * period-sized writes and, once the buffer is full, timestamps each
 * write's return with CLOCK_MONOTONIC: the interval between two is the
 * interval between two period completions as the application sees them.
 * Prints one line: "period_us <p> n <n> p50_us <a> p99_us <b> max_us <c>
 * xruns <x> elapsed_us <e> frames <f> rate <r>", where x counts
 * underruns and stalls (the stream is restarted after each), a, b, c are
 * percentiles of |interval - period|, e the time from the first timed
 * return to the last, f the frames the PCM consumed in the timed
 * intervals and r the rate it played at in them (frames per second, two
 * decimals; the restarts after xruns do not count). Gives
 * up after twice the time asked for and 5 s more. Exit 0 if at least one
 * period was timed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <sound/asound.h>

static struct snd_mask *mask(struct snd_pcm_hw_params *p, int n)
{
	return &p->masks[n - SNDRV_PCM_HW_PARAM_FIRST_MASK];
}

static struct snd_interval *ival(struct snd_pcm_hw_params *p, int n)
{
	return &p->intervals[n - SNDRV_PCM_HW_PARAM_FIRST_INTERVAL];
}

static void mask_only(struct snd_mask *m, unsigned int bit)
{
	memset(m->bits, 0, sizeof(m->bits));
	m->bits[bit / 32] = 1u << (bit % 32);
}

static void ival_fix(struct snd_interval *i, unsigned int v)
{
	memset(i, 0, sizeof(*i));
	i->min = v;
	i->max = v;
	i->integer = 1;
}

static int set_params(int fd, unsigned int rate, unsigned int ch,
		      unsigned int period, unsigned int periods)
{
	struct snd_pcm_hw_params p;
	struct snd_pcm_sw_params sw;
	unsigned int n;

	memset(&p, 0, sizeof(p));
	for (n = SNDRV_PCM_HW_PARAM_FIRST_MASK;
	     n <= SNDRV_PCM_HW_PARAM_LAST_MASK; n++)
		memset(mask(&p, (int)n)->bits, 0xff,
		       sizeof(mask(&p, (int)n)->bits));
	for (n = SNDRV_PCM_HW_PARAM_FIRST_INTERVAL;
	     n <= SNDRV_PCM_HW_PARAM_LAST_INTERVAL; n++)
		ival(&p, (int)n)->max = ~0u;
	p.rmask = ~0u;
	p.info = ~0u;
	mask_only(mask(&p, SNDRV_PCM_HW_PARAM_ACCESS),
		  SNDRV_PCM_ACCESS_RW_INTERLEAVED);
	mask_only(mask(&p, SNDRV_PCM_HW_PARAM_FORMAT),
		  (unsigned int)SNDRV_PCM_FORMAT_S16_LE);
	mask_only(mask(&p, SNDRV_PCM_HW_PARAM_SUBFORMAT),
		  (unsigned int)SNDRV_PCM_SUBFORMAT_STD);
	ival_fix(ival(&p, SNDRV_PCM_HW_PARAM_CHANNELS), ch);
	ival_fix(ival(&p, SNDRV_PCM_HW_PARAM_RATE), rate);
	ival_fix(ival(&p, SNDRV_PCM_HW_PARAM_PERIOD_SIZE), period);
	ival_fix(ival(&p, SNDRV_PCM_HW_PARAM_PERIODS), periods);
	if (ioctl(fd, SNDRV_PCM_IOCTL_HW_PARAMS, &p)) {
		perror("lhv-snd-jitter: HW_PARAMS");
		return -1;
	}
	/* Start once the buffer is full, as aplay does. */
	memset(&sw, 0, sizeof(sw));
	sw.proto = SNDRV_PCM_VERSION;
	sw.period_step = 1;
	sw.avail_min = period;
	sw.start_threshold = (snd_pcm_uframes_t)period * periods;
	sw.stop_threshold = (snd_pcm_uframes_t)period * periods;
	if (ioctl(fd, SNDRV_PCM_IOCTL_SW_PARAMS, &sw)) {
		perror("lhv-snd-jitter: SW_PARAMS");
		return -1;
	}
	if (ioctl(fd, SNDRV_PCM_IOCTL_PREPARE)) {
		perror("lhv-snd-jitter: PREPARE");
		return -1;
	}
	return 0;
}

static int64_t now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

static int by_value(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	unsigned int rate, ch, period, periods, seconds;
	int64_t *dev, t, last = 0, start = 0, period_us;
	unsigned long n = 0, max_n, xruns = 0, frames = 0, writes = 0;
	int64_t end = 0, deadline, busy = 0;
	struct snd_xferi x;
	int16_t *buf;
	int fd;

	if (argc != 7) {
		fprintf(stderr, "usage: lhv-snd-jitter <pcm-node> <rate> "
				"<channels> <period-frames> <periods> "
				"<seconds>\n");
		return 2;
	}
	rate = (unsigned int)strtoul(argv[2], NULL, 0);
	ch = (unsigned int)strtoul(argv[3], NULL, 0);
	period = (unsigned int)strtoul(argv[4], NULL, 0);
	periods = (unsigned int)strtoul(argv[5], NULL, 0);
	seconds = (unsigned int)strtoul(argv[6], NULL, 0);
	if (!rate || !ch || !period || periods < 2 || !seconds)
		return 2;
	period_us = (int64_t)period * 1000000 / rate;
	max_n = (unsigned long)seconds * rate / period + 1;
	dev = calloc(max_n, sizeof(*dev));
	buf = calloc((size_t)period * ch, sizeof(*buf));
	if (!dev || !buf)
		return 1;
	fd = open(argv[1], O_RDWR);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	if (set_params(fd, rate, ch, period, periods))
		return 1;

	deadline = now_us() + (int64_t)seconds * 2000000 + 5000000;
	while (n < max_n && now_us() < deadline) {
		memset(&x, 0, sizeof(x));
		x.buf = buf;
		x.frames = period;
		if (ioctl(fd, SNDRV_PCM_IOCTL_WRITEI_FRAMES, &x)) {
			/*
			 * EPIPE: an underrun; EIO: ALSA saw the pointer stand
			 * still for a buffer's time (at least 100 ms). Both
			 * count, and the stream starts over.
			 */
			if (errno != EPIPE && errno != EIO) {
				perror("lhv-snd-jitter: write");
				return 1;
			}
			xruns++;
			ioctl(fd, SNDRV_PCM_IOCTL_PREPARE);
			writes = 0;
			last = 0;
			continue;
		}
		t = now_us();
		/* The first periods only fill the buffer. */
		if (++writes <= periods)
			continue;
		if (!start)
			start = t;
		if (last) {
			/* Each return means a period was consumed. */
			frames += period;
			busy += t - last;
			dev[n++] = llabs(t - last - period_us);
		}
		last = t;
		end = t;
	}
	ioctl(fd, SNDRV_PCM_IOCTL_DROP);
	close(fd);
	if (!n) {
		fprintf(stderr, "lhv-snd-jitter: no period completed\n");
		return 1;
	}
	qsort(dev, n, sizeof(*dev), by_value);
	printf("period_us %lld n %lu p50_us %lld p99_us %lld max_us %lld "
	       "xruns %lu elapsed_us %lld frames %lu rate %.2f\n",
	       (long long)period_us, n, (long long)dev[n / 2],
	       (long long)dev[n * 99 / 100], (long long)dev[n - 1], xruns,
	       (long long)(end - start), frames,
	       busy ? frames * 1e6 / (double)busy : 0.0);
	return 0;
}
