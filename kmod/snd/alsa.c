// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The Service OS side of a device: one ALSA card per device, id
 * "lhv_<vm>" (ALSA keeps letters and digits of it, at most 15: for the
 * service VM "lhvservice"), with one PCM device per guest stream, of the
 * opposite direction: a guest playback stream is captured here, a guest
 * capture stream is played here. The PCMs have no clock of their own:
 * the device's clock (pcm_stream.c) moves their pointer as it serves the
 * guest, so the SOS audio stack runs at the guest stream's pace.
 *
 * While the guest stream is set up (SET_PARAMS up to RELEASE), an SOS open
 * is limited to the same format, rate and channels; data moves only while both sides run
 * with equal parameters (else tx data is dropped and rx gets silence,
 * both counted in dropped_frames).
 *
 * Locking: open/close/prepare take the stream lock; trigger and pointer
 * run under ALSA's substream lock, which nests inside the stream lock
 * (the clock calls snd_pcm_period_elapsed with it held), so they only
 * touch sos_running and sos_pos with READ_ONCE/WRITE_ONCE.
 */
#include <linux/minmax.h>
#include <sound/initval.h>
#include <sound/pcm_params.h>

#include "lhv.h"
#include "snd.h"

/* virtio sample formats as ALSA's (little endian), by VSND_PCM_FMT_* bit. */
static const snd_pcm_format_t lhv_snd_alsa_fmt[VSND_PCM_FMT_COUNT] = {
	[1] = SNDRV_PCM_FORMAT_MU_LAW,	  [2] = SNDRV_PCM_FORMAT_A_LAW,
	[3] = SNDRV_PCM_FORMAT_S8,	  [4] = SNDRV_PCM_FORMAT_U8,
	[5] = SNDRV_PCM_FORMAT_S16_LE,	  [6] = SNDRV_PCM_FORMAT_U16_LE,
	[7] = SNDRV_PCM_FORMAT_S18_3LE,	  [8] = SNDRV_PCM_FORMAT_U18_3LE,
	[9] = SNDRV_PCM_FORMAT_S20_3LE,	  [10] = SNDRV_PCM_FORMAT_U20_3LE,
	[11] = SNDRV_PCM_FORMAT_S24_3LE,  [12] = SNDRV_PCM_FORMAT_U24_3LE,
	[13] = SNDRV_PCM_FORMAT_S20_LE,	  [14] = SNDRV_PCM_FORMAT_U20_LE,
	[15] = SNDRV_PCM_FORMAT_S24_LE,	  [16] = SNDRV_PCM_FORMAT_U24_LE,
	[17] = SNDRV_PCM_FORMAT_S32_LE,	  [18] = SNDRV_PCM_FORMAT_U32_LE,
	[19] = SNDRV_PCM_FORMAT_FLOAT_LE, [20] = SNDRV_PCM_FORMAT_FLOAT64_LE,
};

static const struct snd_pcm_hardware lhv_snd_hw = {
	.info = SNDRV_PCM_INFO_MMAP | SNDRV_PCM_INFO_MMAP_VALID |
		SNDRV_PCM_INFO_INTERLEAVED | SNDRV_PCM_INFO_BLOCK_TRANSFER |
		SNDRV_PCM_INFO_BATCH,
	.buffer_bytes_max = VSND_BUFFER_BYTES_MAX,
	.period_bytes_min = 16,
	.period_bytes_max = VSND_BUFFER_BYTES_MAX / 2,
	.periods_min = 2,
	.periods_max = 1024,
};

/* What the SOS may ask for: the stream's offer, or the guest's choice. */
static void sos_hw(struct lhv_snd_stream *s, struct snd_pcm_hardware *hw)
{
	const struct vsnd_stream_caps *c = s->caps;
	const struct vsnd_pcm_params *p = &s->params;
	unsigned int i, hz;

	*hw = lhv_snd_hw;
	/* A guest stream between SET_PARAMS and RELEASE: its parameters. */
	if (s->state != VSND_PCM_ST_INIT && s->state != VSND_PCM_ST_RELEASED &&
	    p->frame_bytes) {
		hw->formats = pcm_format_to_bits(lhv_snd_alsa_fmt[p->format]);
		hw->rates = snd_pcm_rate_to_rate_bit(p->rate_hz);
		hw->rate_min = p->rate_hz;
		hw->rate_max = p->rate_hz;
		hw->channels_min = p->channels;
		hw->channels_max = p->channels;
		return;
	}
	for (i = 0; i < VSND_PCM_FMT_COUNT; i++)
		if (c->formats & BIT_ULL(i))
			hw->formats |= pcm_format_to_bits(lhv_snd_alsa_fmt[i]);
	for (i = 0; i < VSND_PCM_RATE_COUNT; i++) {
		if (!(c->rates & BIT_ULL(i)))
			continue;
		hz = vsnd_rate_hz(i);
		hw->rates |= snd_pcm_rate_to_rate_bit(hz);
		if (!hw->rate_min || hz < hw->rate_min)
			hw->rate_min = hz;
		hw->rate_max = max(hw->rate_max, hz);
	}
	hw->channels_min = c->channels_min;
	hw->channels_max = c->channels_max;
}

static int lhv_snd_sos_open(struct snd_pcm_substream *ss)
{
	struct lhv_snd_stream *s = snd_pcm_substream_chip(ss);
	unsigned long flags;

	spin_lock_irqsave(&s->lock, flags);
	sos_hw(s, &ss->runtime->hw);
	s->sos = ss;
	WRITE_ONCE(s->sos_running, false);
	spin_unlock_irqrestore(&s->lock, flags);
	return 0;
}

static int lhv_snd_sos_close(struct snd_pcm_substream *ss)
{
	struct lhv_snd_stream *s = snd_pcm_substream_chip(ss);
	unsigned long flags;

	spin_lock_irqsave(&s->lock, flags);
	s->sos = NULL;
	WRITE_ONCE(s->sos_running, false);
	spin_unlock_irqrestore(&s->lock, flags);
	return 0;
}

static int lhv_snd_sos_prepare(struct snd_pcm_substream *ss)
{
	struct lhv_snd_stream *s = snd_pcm_substream_chip(ss);
	unsigned long flags;

	spin_lock_irqsave(&s->lock, flags);
	s->sos_abs = 0;
	s->sos_acc = 0;
	WRITE_ONCE(s->sos_pos, 0);
	spin_unlock_irqrestore(&s->lock, flags);
	return 0;
}

static int lhv_snd_sos_trigger(struct snd_pcm_substream *ss, int cmd)
{
	struct lhv_snd_stream *s = snd_pcm_substream_chip(ss);

	switch (cmd) {
	case SNDRV_PCM_TRIGGER_START:
	case SNDRV_PCM_TRIGGER_PAUSE_RELEASE:
	case SNDRV_PCM_TRIGGER_RESUME:
		WRITE_ONCE(s->sos_running, true);
		return 0;
	case SNDRV_PCM_TRIGGER_STOP:
	case SNDRV_PCM_TRIGGER_PAUSE_PUSH:
	case SNDRV_PCM_TRIGGER_SUSPEND:
		WRITE_ONCE(s->sos_running, false);
		return 0;
	}
	return -EINVAL;
}

/* After a stop: wait for a clock tick that may still copy to the ring. */
static int lhv_snd_sos_sync_stop(struct snd_pcm_substream *ss)
{
	struct lhv_snd_stream *s = snd_pcm_substream_chip(ss);
	unsigned long flags;

	spin_lock_irqsave(&s->lock, flags);
	spin_unlock_irqrestore(&s->lock, flags);
	return 0;
}

static snd_pcm_uframes_t lhv_snd_sos_pointer(struct snd_pcm_substream *ss)
{
	struct lhv_snd_stream *s = snd_pcm_substream_chip(ss);

	return READ_ONCE(s->sos_pos);
}

static const struct snd_pcm_ops lhv_snd_sos_ops = {
	.open = lhv_snd_sos_open,
	.close = lhv_snd_sos_close,
	.prepare = lhv_snd_sos_prepare,
	.trigger = lhv_snd_sos_trigger,
	.sync_stop = lhv_snd_sos_sync_stop,
	.pointer = lhv_snd_sos_pointer,
};

/* Frames between a and b on ALSA's position circle (b ahead of a). */
static snd_pcm_uframes_t ring_dist(struct snd_pcm_runtime *rt,
				   snd_pcm_uframes_t a, snd_pcm_uframes_t b)
{
	snd_pcm_uframes_t d = b >= a ? b - a : b + rt->boundary - a;

	return d > rt->buffer_size ? 0 : d;
}

bool lhv_snd_sos_ready(struct lhv_snd_stream *s, u32 frames)
{
	const struct vsnd_pcm_params *p = &s->params;
	struct snd_pcm_runtime *rt;

	if (!s->sos || !READ_ONCE(s->sos_running))
		return false;
	rt = s->sos->runtime;
	if (!rt || !rt->dma_area || rt->format != lhv_snd_alsa_fmt[p->format] ||
	    rt->channels != p->channels || rt->rate != p->rate_hz)
		return false;
	if (s->caps->direction == VSND_D_OUTPUT)
		return true; /* an SOS capture overrun is ALSA's to detect */
	return ring_dist(rt, s->sos_abs, READ_ONCE(rt->control->appl_ptr)) >=
	       frames;
}

u32 lhv_snd_sos_period(const struct lhv_snd_stream *s)
{
	if (!s->sos || !READ_ONCE(s->sos_running) || !s->sos->runtime)
		return 0;
	return (u32)min_t(snd_pcm_uframes_t, s->sos->runtime->period_size,
			  U32_MAX);
}

void lhv_snd_sos_copy(struct lhv_snd_stream *s, const struct lhv_snd_msg *m,
		      u32 off, u32 len, u32 at)
{
	struct snd_pcm_runtime *rt = s->sos->runtime;
	size_t ring = frames_to_bytes(rt, rt->buffer_size);
	size_t pos = (frames_to_bytes(rt, s->sos_pos) + at) % ring;
	u32 n;

	while (len) {
		n = min_t(size_t, len, ring - pos);
		if (s->caps->direction == VSND_D_OUTPUT)
			seg_read(m->segs, m->nr_segs, off, rt->dma_area + pos,
				 n);
		else
			seg_write(m->segs, m->nr_segs, off, rt->dma_area + pos,
				  n);
		off += n;
		len -= n;
		pos = (pos + n) % ring;
	}
}

bool lhv_snd_sos_advance(struct lhv_snd_stream *s, u32 frames)
{
	struct snd_pcm_runtime *rt = s->sos->runtime;

	s->sos_abs += frames;
	if (s->sos_abs >= rt->boundary)
		s->sos_abs -= rt->boundary;
	WRITE_ONCE(s->sos_pos, s->sos_abs % rt->buffer_size);
	s->sos_acc += frames;
	if (s->sos_acc < rt->period_size)
		return false;
	s->sos_acc %= rt->period_size;
	return true;
}

u32 lhv_snd_sos_latency_bytes(struct lhv_snd_stream *s)
{
	struct snd_pcm_runtime *rt;
	snd_pcm_uframes_t appl, held;

	if (!s->sos || !READ_ONCE(s->sos_running) || !s->sos->runtime)
		return 0;
	rt = s->sos->runtime;
	appl = READ_ONCE(rt->control->appl_ptr);
	/* tx: captured, not yet read; rx: written, not yet played. */
	if (s->caps->direction == VSND_D_OUTPUT)
		held = ring_dist(rt, appl, s->sos_abs);
	else
		held = ring_dist(rt, s->sos_abs, appl);
	return (u32)min_t(u64, (u64)held * s->params.frame_bytes, U32_MAX);
}

int lhv_snd_card_create(struct lhv_snd_dev *dev)
{
	struct lhv_vdev *vdev = &dev->vdev;
	struct lhv_snd_stream *s;
	struct snd_card *card;
	struct snd_pcm *pcm;
	char buf[128];
	unsigned int i;
	bool out;
	int err;

	/* ALSA cuts the id to 15 characters and keeps letters and digits. */
	snprintf(buf, sizeof(buf), "lhv_%s", vdev->vm->name);
	err = snd_card_new(vdev->vm->dev, SNDRV_DEFAULT_IDX1, buf, THIS_MODULE,
			   0, &card);
	if (err)
		return err;
	strscpy(card->driver, "lhv_snd", sizeof(card->driver));
	snprintf(buf, sizeof(buf), "lhv %s/%s", vdev->vm->name, vdev->name);
	strscpy(card->shortname, buf, sizeof(card->shortname));
	snprintf(buf, sizeof(buf), "lhv virtio-snd %s of VM %s (%u streams)",
		 vdev->name, vdev->vm->name, dev->desc.streams);
	strscpy(card->longname, buf, sizeof(card->longname));

	for (i = 0; i < dev->desc.streams; i++) {
		s = &dev->streams[i];
		out = s->caps->direction == VSND_D_OUTPUT;
		/* Guest output is SOS capture and the other way round. */
		err = snd_pcm_new(card, "lhv", i, out ? 0 : 1, out ? 1 : 0,
				  &pcm);
		if (err)
			goto err_free;
		pcm->private_data = s;
		snprintf(pcm->name, sizeof(pcm->name), "guest stream %u (%s)",
			 i, out ? "guest playback" : "guest capture");
		snd_pcm_set_ops(pcm,
				out ? SNDRV_PCM_STREAM_CAPTURE
				    : SNDRV_PCM_STREAM_PLAYBACK,
				&lhv_snd_sos_ops);
		snd_pcm_set_managed_buffer_all(pcm, SNDRV_DMA_TYPE_VMALLOC,
					       NULL, 0, 0);
		s->pcm = pcm;
	}
	err = snd_card_register(card);
	if (err)
		goto err_free;
	dev->card = card;
	return 0;

err_free:
	snd_card_free(card);
	return err;
}

void lhv_snd_card_free(struct lhv_snd_dev *dev)
{
	/* Waits for SOS users: their files return errors once disconnected. */
	if (dev->card)
		snd_card_free(dev->card);
	dev->card = NULL;
}
