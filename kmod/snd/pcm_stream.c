// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * A PCM stream of the device: its state machine (the transitions are the
 * portable core's), the tx/rx messages the driver queued, and the clock.
 *
 * The clock is one hrtimer per running stream, expiring in softirq
 * context (HRTIMER_MODE_ABS_SOFT: the copies and the driver's completion
 * handling stay out of hard irq), on absolute times t0 + frames / rate
 * (a period that is not a whole number of nanoseconds does not drift).
 * Each tick moves a part of a guest period (tick_frames) between the
 * guest's buffers and the SOS ring when the SOS side runs with the same
 * parameters (else tx data is dropped and rx buffers get silence), and
 * completes the messages it finished. Copies are from the direct map
 * (guest memory of the service VM) and at most one tick of audio.
 *
 * Locking: the stream's spinlock covers its state, queue, clock and SOS
 * position; lock order stream lock -> ALSA substream lock. Completions
 * (lhv_vq_complete, which may run the driver's interrupt handler) happen
 * after the lock is dropped.
 */
#include <linux/math64.h>
#include <linux/slab.h>

#include "snd.h"

/* The longest tick: the SOS side sees data at least this often. */
#define LHV_SND_TICK_MAX_US 5000u
/* A clock more than this late restarts from now instead of catching up. */
#define LHV_SND_RESYNC_NS (100 * NSEC_PER_MSEC)

static u32 period_frames(const struct lhv_snd_stream *s)
{
	return s->params.period_bytes / s->params.frame_bytes;
}

/* Time at which the clock has played (or recorded) frames since t0. */
static ktime_t frames_time(const struct lhv_snd_stream *s, u64 frames)
{
	return ktime_add_ns(s->t0, mul_u64_u32_div(frames, NSEC_PER_SEC,
						   s->params.rate_hz));
}

/*
 * Frames the next tick moves. A tick is a part of a guest period, so
 * every period ends exactly on a tick (the guest's completions keep the
 * period's rhythm): the period is cut into the fewest equal parts no
 * longer than LHV_SND_TICK_MAX_US nor, while the SOS side runs, its
 * period (ALSA gives up on a PCM whose pointer stands still for about a
 * buffer's time), and no shorter than VSND_PERIOD_US_MIN.
 */
static u32 tick_frames(const struct lhv_snd_stream *s)
{
	u32 period = period_frames(s), off = s->pos % period, parts, part;
	u32 limit = max(1u, s->params.rate_hz /
				    (USEC_PER_SEC / LHV_SND_TICK_MAX_US));
	u32 floor = max(1u, s->params.rate_hz /
				    (USEC_PER_SEC / VSND_PERIOD_US_MIN));
	u32 sos = lhv_snd_sos_period(s);

	if (sos && sos < limit)
		limit = max(sos, floor);
	parts = DIV_ROUND_UP(period, limit);
	part = DIV_ROUND_UP(period, parts);
	return min(part, period - off);
}

static void msg_complete(struct lhv_snd_dev *dev, unsigned int qidx,
			 struct lhv_snd_msg *m, u32 status, u32 latency)
{
	struct vsnd_xfer x = { .status = m->status };
	u32 written = sizeof(struct vsnd_pcm_status);

	vsnd_xfer_status(&x, status, latency);
	if (qidx == VSND_VQ_RX)
		written += m->done;
	lhv_vq_complete(&dev->vdev.vqs[qidx], m->head, written, m->done,
			status != VSND_S_OK);
	kfree(m);
}

static unsigned int stream_queue(const struct lhv_snd_stream *s)
{
	return s->caps->direction == VSND_D_OUTPUT ? VSND_VQ_TX : VSND_VQ_RX;
}

/* Complete a list of finished messages; no lock held. */
static void complete_list(struct lhv_snd_stream *s, struct list_head *done,
			  u32 status, u32 latency)
{
	struct lhv_snd_msg *m, *tmp;
	unsigned int q = stream_queue(s);

	list_for_each_entry_safe (m, tmp, done, node) {
		list_del(&m->node);
		msg_complete(s->dev, q, m, status, latency);
	}
}

static void note_latency(struct lhv_snd_stream *s, ktime_t now,
			 const struct lhv_snd_msg *m)
{
	u64 us = ktime_to_us(ktime_sub(now, m->queued));

	s->stats.latency_us = us;
	if (us > s->stats.latency_max_us)
		s->stats.latency_max_us = us;
	s->stats.messages++;
}

/* rx without SOS data: the guest hears silence. */
static void fill_silence(struct lhv_snd_stream *s, const struct lhv_snd_msg *m,
			 u32 off, u32 len)
{
	u32 n;

	while (len) {
		n = min(len, s->silence_bytes);
		seg_write(m->segs, m->nr_segs, off, s->silence, n);
		off += n;
		len -= n;
	}
}

/*
 * One tick: move frames between the queued messages and the SOS side (or
 * drop / fill silence), finished messages to done. Returns whether the
 * SOS substream completed a period.
 */
static bool tick_transfer(struct lhv_snd_stream *s, u32 frames, ktime_t now,
			  struct list_head *done, bool *xrun_out)
{
	bool xrun = false;
	const struct vsnd_pcm_params *p = &s->params;
	u32 need = frames * p->frame_bytes;
	bool tx = s->caps->direction == VSND_D_OUTPUT;
	bool sos = lhv_snd_sos_ready(s, frames);
	struct lhv_snd_msg *m;
	u32 moved = 0, n;

	while (need && !list_empty(&s->queue)) {
		m = list_first_entry(&s->queue, struct lhv_snd_msg, node);
		n = min(need, m->data_len - m->done);
		if (sos)
			lhv_snd_sos_copy(s, m, m->done, n, moved);
		else if (!tx)
			fill_silence(s, m, m->done, n);
		m->done += n;
		need -= n;
		moved += n;
		s->queued_bytes -= n;
		if (m->done == m->data_len) {
			note_latency(s, now, m);
			list_move_tail(&m->node, done);
		}
	}
	s->stats.bytes += moved;
	if (!sos)
		s->stats.dropped_frames += moved / p->frame_bytes;
	/*
	 * An xrun is a whole guest period without buffers: shorter gaps
	 * happen at every end of a stream (the last buffer is gone before
	 * the driver's STOP arrives) and are not the guest's fault.
	 */
	if (need) {
		u32 before = s->starved;

		s->starved += need / p->frame_bytes;
		if (before < period_frames(s) &&
		    s->starved >= period_frames(s)) {
			s->stats.xruns++;
			xrun = true;
		}
	} else {
		s->starved = 0;
	}
	*xrun_out = xrun;
	return sos && lhv_snd_sos_advance(s, moved / p->frame_bytes);
}

static enum hrtimer_restart lhv_snd_tick(struct hrtimer *t)
{
	struct lhv_snd_stream *s =
		container_of(t, struct lhv_snd_stream, timer);
	struct snd_pcm_substream *sos = NULL;
	ktime_t now = ktime_get(), next;
	bool xrun_event = false;
	u32 frames;
	unsigned long flags;
	LIST_HEAD(done);
	u32 latency;
	u64 late;

	spin_lock_irqsave(&s->lock, flags);
	if (!s->running) {
		spin_unlock_irqrestore(&s->lock, flags);
		return HRTIMER_NORESTART;
	}
	late = ktime_after(now, hrtimer_get_expires(t))
		       ? ktime_to_us(ktime_sub(now, hrtimer_get_expires(t)))
		       : 0;
	if (late > s->stats.late_max_us)
		s->stats.late_max_us = late;
	frames = s->tick;
	if (tick_transfer(s, frames, now, &done, &xrun_event))
		sos = s->sos;
	/* A guest periods' worth of frames went by: one period. */
	s->stats.periods +=
		(s->pos % period_frames(s) + frames) / period_frames(s);
	s->pos += frames;
	/* The driver hears of an xrun if it asked to. */
	xrun_event &= !!(s->params.features & BIT(VSND_PCM_F_EVT_XRUNS));
	latency = lhv_snd_sos_latency_bytes(s);

	s->tick = tick_frames(s);
	next = frames_time(s, s->pos + s->tick);
	if (ktime_sub(now, next) > LHV_SND_RESYNC_NS) {
		s->stats.resyncs++;
		s->t0 = now;
		s->pos = 0;
		next = frames_time(s, s->tick);
	}
	hrtimer_set_expires(t, next);
	/* Under our lock: ALSA's substream lock nests inside it. */
	if (sos)
		snd_pcm_period_elapsed(sos);
	spin_unlock_irqrestore(&s->lock, flags);

	complete_list(s, &done, VSND_S_OK, latency);
	if (xrun_event)
		lhv_snd_event(s->dev, VSND_EVT_PCM_XRUN, s->id);
	return HRTIMER_RESTART;
}

void lhv_snd_stream_init(struct lhv_snd_stream *s, struct lhv_snd_dev *dev,
			 unsigned int id)
{
	s->dev = dev;
	s->id = id;
	s->caps = &dev->caps[id];
	spin_lock_init(&s->lock);
	INIT_LIST_HEAD(&s->queue);
	s->state = VSND_PCM_ST_INIT;
	hrtimer_init(&s->timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS_SOFT);
	s->timer.function = lhv_snd_tick;
}

void lhv_snd_stream_free(struct lhv_snd_stream *s)
{
	kfree(s->silence);
	s->silence = NULL;
}

/* Stop the clock; the caller holds no lock. */
static void stream_stop_clock(struct lhv_snd_stream *s)
{
	unsigned long flags;

	spin_lock_irqsave(&s->lock, flags);
	s->running = false;
	spin_unlock_irqrestore(&s->lock, flags);
	hrtimer_cancel(&s->timer);
}

void lhv_snd_stream_reset(struct lhv_snd_stream *s)
{
	struct lhv_snd_msg *m, *tmp;
	unsigned long flags;
	LIST_HEAD(gone);

	stream_stop_clock(s);
	spin_lock_irqsave(&s->lock, flags);
	list_splice_init(&s->queue, &gone);
	s->queued_bytes = 0;
	s->state = VSND_PCM_ST_INIT;
	memset(&s->params, 0, sizeof(s->params));
	spin_unlock_irqrestore(&s->lock, flags);
	/* The rings are gone: nothing to complete. */
	list_for_each_entry_safe (m, tmp, &gone, node)
		kfree(m);
}

/* A page of silence in the new format (signed formats: zeroes). */
static int stream_make_silence(struct lhv_snd_stream *s,
			       const struct vsnd_pcm_params *p)
{
	u32 width = p->frame_bytes / p->channels;
	unsigned int i, bytes = PAGE_SIZE / p->frame_bytes * p->frame_bytes;

	if (!s->silence) {
		s->silence = kzalloc(PAGE_SIZE, GFP_KERNEL);
		if (!s->silence)
			return -ENOMEM;
	}
	memset(s->silence, 0, PAGE_SIZE);
	/* Unsigned formats rest at half scale: the top bit of the MSB. */
	if (p->format == VSND_PCM_FMT_U8 || p->format == VSND_PCM_FMT_U16 ||
	    p->format == 8 || p->format == 10 || p->format == 12 ||
	    p->format == 14 || p->format == 16 || p->format == 18)
		for (i = 0; i < bytes; i += width)
			s->silence[i + width - 1] = 0x80;
	return 0;
}

u32 lhv_snd_pcm_command(struct lhv_snd_dev *dev, const struct vsnd_ctl_req *r)
{
	struct lhv_snd_stream *s = &dev->streams[r->stream_id];
	enum vsnd_pcm_state st;
	unsigned long flags;
	LIST_HEAD(released);
	u64 dropped = 0;
	u32 status;

	spin_lock_irqsave(&s->lock, flags);
	st = s->state;
	status = vsnd_pcm_transition(&st, r->code);
	spin_unlock_irqrestore(&s->lock, flags);
	if (status != VSND_S_OK)
		return status;

	/* Commands come from the control queue's one worker: no race here. */
	if (r->code == VSND_R_PCM_SET_PARAMS &&
	    stream_make_silence(s, &r->params))
		return VSND_S_IO_ERR;
	if (r->code == VSND_R_PCM_STOP || r->code == VSND_R_PCM_RELEASE)
		stream_stop_clock(s);

	spin_lock_irqsave(&s->lock, flags);
	switch (r->code) {
	case VSND_R_PCM_SET_PARAMS:
		s->params = r->params;
		s->silence_bytes = PAGE_SIZE / r->params.frame_bytes *
				   r->params.frame_bytes;
		break;
	case VSND_R_PCM_PREPARE:
		s->starved = 0;
		break;
	case VSND_R_PCM_START:
		s->t0 = ktime_get();
		s->pos = 0;
		s->starved = 0;
		s->running = true;
		s->tick = tick_frames(s);
		hrtimer_start(&s->timer, frames_time(s, s->tick),
			      HRTIMER_MODE_ABS_SOFT);
		break;
	case VSND_R_PCM_RELEASE:
		/* 5.14.6.6.5: every pending message completes now. */
		list_splice_init(&s->queue, &released);
		dropped = s->queued_bytes / s->params.frame_bytes;
		s->stats.dropped_frames += dropped;
		s->queued_bytes = 0;
		break;
	}
	s->state = st;
	spin_unlock_irqrestore(&s->lock, flags);

	complete_list(s, &released, VSND_S_OK, 0);
	return VSND_S_OK;
}

static void xfer_answer(struct lhv_vq *vq, const struct vsnd_xfer *x, u16 head,
			u32 status)
{
	vsnd_xfer_status(x, status, 0);
	lhv_vq_complete(vq, head, sizeof(struct vsnd_pcm_status), 0, true);
}

void lhv_snd_xfer_request(struct lhv_vq *vq, const struct virtq_chain *c)
{
	struct lhv_snd_dev *dev = to_snd_dev(vq->vdev);
	bool tx = vq->index == VSND_VQ_TX;
	struct virtq_seg *scratch = dev->scratch[tx ? 0 : 1];
	struct lhv_snd_stream *s;
	struct lhv_snd_msg *m;
	unsigned long flags;
	struct vsnd_xfer x;
	u32 status;

	if (vsnd_xfer_parse(c, tx, &dev->desc, &x, scratch)) {
		/* No room for a status: nothing to answer with. */
		lhv_vq_complete(vq, c->head, 0, 0, true);
		return;
	}
	if (x.answer != VSND_S_OK) {
		xfer_answer(vq, &x, c->head, x.answer);
		return;
	}
	s = &dev->streams[x.stream_id];
	m = kmalloc(struct_size(m, segs, x.nr_data), GFP_KERNEL);
	if (!m) {
		xfer_answer(vq, &x, c->head, VSND_S_IO_ERR);
		return;
	}
	m->head = c->head;
	m->data_len = x.data_len;
	m->done = 0;
	m->status = x.status;
	m->queued = ktime_get();
	m->nr_segs = x.nr_data;
	memcpy(m->segs, x.data, x.nr_data * sizeof(*x.data));

	spin_lock_irqsave(&s->lock, flags);
	status = vsnd_xfer_check(&x, s->state, &s->params, s->queued_bytes);
	if (status == VSND_S_OK) {
		list_add_tail(&m->node, &s->queue);
		s->queued_bytes += x.data_len;
	} else {
		s->stats.bad_msgs++;
	}
	spin_unlock_irqrestore(&s->lock, flags);
	if (status != VSND_S_OK) {
		kfree(m);
		xfer_answer(vq, &x, c->head, status);
	}
}
