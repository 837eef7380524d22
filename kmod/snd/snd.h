/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Internal interface of lhv_snd.ko, the virtio-snd backend: what its files
 * share. Nothing here is ABI; the ABI is uapi/lhv/netlink.h (enum
 * lhv_snd_attr) and the virtio-snd device itself (VIRTIO 1.2, 5.14).
 */
#ifndef LHV_SND_H
#define LHV_SND_H

#include <linux/hrtimer.h>
#include <linux/kobject.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <sound/core.h>
#include <sound/pcm.h>
#include <lhv/netlink.h>

#include "lhv_vdev.h"
#include "snd_msg.h"

#define LHV_SND_VIRTIO_ID 25 /* VIRTIO_ID_SOUND */
#define LHV_SND_QUEUE_SIZE 256
/* Segments of one chain: a period of up to 1 MiB in 4 KiB pages, and more. */
#define LHV_SND_MAX_SEGS 512

/* Configuration space (5.14.4), without the controls of VIRTIO 1.3. */
struct lhv_snd_config {
	__le32 jacks;
	__le32 streams;
	__le32 chmaps;
} __packed;

/* A tx/rx message between its arrival and its completion. */
struct lhv_snd_msg {
	struct list_head node;
	u16 head;
	u32 data_len; /* bytes of data (tx: to play, rx: to fill) */
	u32 done;     /* bytes consumed or filled so far */
	struct vsnd_status_loc status; /* in guest memory, maybe split */
	ktime_t queued;
	u16 nr_segs;
	struct virtq_seg segs[];
};

/* Per-stream statistics (sysfs streamN/); under the stream's lock. */
struct lhv_snd_stats {
	u64 periods;	    /* guest periods the clock went through */
	u64 bytes;	    /* data bytes moved to/from guest buffers */
	u64 xruns;	    /* times the clock found too few guest buffers */
	u64 dropped_frames; /* tx: no SOS reader; rx: silence sent */
	u64 messages;	    /* messages completed */
	u64 bad_msgs;	    /* messages answered BAD_MSG */
	u64 latency_us;	    /* last message: arrival to completion */
	u64 latency_max_us; /* largest of those */
	u64 late_max_us;    /* largest tick lateness (timer jitter) */
	u64 resyncs;	    /* clock fell > 100 ms behind and restarted */
};

struct lhv_snd_dev;

struct lhv_snd_stream {
	struct lhv_snd_dev *dev;
	unsigned int id;
	const struct vsnd_stream_caps *caps;
	spinlock_t lock; /* everything below; taken in the timer (softirq) */
	enum vsnd_pcm_state state;
	struct vsnd_pcm_params params;
	struct list_head queue; /* struct lhv_snd_msg, in arrival order */
	u64 queued_bytes;	/* data bytes not yet consumed */
	bool running;		/* the clock ticks */
	struct hrtimer timer;
	ktime_t t0;  /* time of frame 0 */
	u64 pos;     /* frames moved since t0 */
	u32 tick;    /* frames the next tick moves */
	u32 starved; /* frames short since buffers last sufficed */
	u8 *silence; /* a page of silence in the format */
	unsigned int silence_bytes; /* whole frames of it */
	struct lhv_snd_stats stats;

	/* The SOS side (alsa.c): the PCM of opposite direction. */
	struct snd_pcm *pcm;
	struct snd_pcm_substream *sos; /* open substream, or NULL */
	bool sos_running;	       /* WRITE_ONCE from trigger */
	snd_pcm_uframes_t sos_abs;     /* frames moved, mod boundary */
	snd_pcm_uframes_t sos_pos;     /* sos_abs % buffer_size */
	snd_pcm_uframes_t sos_acc;     /* frames since the last period */

	struct kobject kobj; /* sysfs <vm>/<dev>/streamN */
	bool kobj_added;
};

struct lhv_snd_dev {
	struct lhv_vdev vdev;
	struct vsnd_dev_desc desc;
	struct vsnd_stream_caps caps[LHV_SND_MAX_STREAMS];
	struct lhv_snd_stream *streams;
	struct lhv_snd_config config;
	bool chmaps;
	/* Parsed data segments of the tx and rx workers. */
	struct virtq_seg *scratch[2];
	/* Buffers the driver gave the event queue. */
	spinlock_t evt_lock;
	struct list_head evt_bufs;
	bool live; /* between start and stop; under evt_lock */
	struct snd_card *card;
};

static inline struct lhv_snd_dev *to_snd_dev(struct lhv_vdev *vdev)
{
	return container_of(vdev, struct lhv_snd_dev, vdev);
}

/* device.c */
extern const struct lhv_vdev_ops lhv_snd_vdev_ops;
void lhv_snd_init_config(struct lhv_snd_dev *dev);
/* Post an event (SND_EVT_*) if the driver gave a buffer; any context. */
void lhv_snd_event(struct lhv_snd_dev *dev, u32 code, u32 data);

/* ctl.c: the control queue. */
void lhv_snd_ctl_request(struct lhv_vq *vq, const struct virtq_chain *c);

/* pcm_stream.c: states, queued messages and the clock. */
void lhv_snd_stream_init(struct lhv_snd_stream *s, struct lhv_snd_dev *dev,
			 unsigned int id);
void lhv_snd_stream_free(struct lhv_snd_stream *s);
/* SET_PARAMS .. STOP on a stream; returns the SND_S_* status. */
u32 lhv_snd_pcm_command(struct lhv_snd_dev *dev, const struct vsnd_ctl_req *r);
void lhv_snd_xfer_request(struct lhv_vq *vq, const struct virtq_chain *c);
/* Device reset: stop the clocks, forget every message (no completion). */
void lhv_snd_stream_reset(struct lhv_snd_stream *s);

/* alsa.c: the SOS card, one PCM per stream. */
int lhv_snd_card_create(struct lhv_snd_dev *dev);
void lhv_snd_card_free(struct lhv_snd_dev *dev);
/*
 * Whether this tick moves data to/from the SOS side: its substream runs
 * with the guest's format, rate and channels and (rx) holds frames.
 * Called by the clock with the stream lock held, as are the next three.
 */
bool lhv_snd_sos_ready(struct lhv_snd_stream *s, u32 frames);
/*
 * Copy len bytes at off of message m to (tx) or from (rx) the SOS ring,
 * at bytes into this tick's period.
 */
void lhv_snd_sos_copy(struct lhv_snd_stream *s, const struct lhv_snd_msg *m,
		      u32 off, u32 len, u32 at);
/* The SOS substream's period in frames while it runs, else 0. */
u32 lhv_snd_sos_period(const struct lhv_snd_stream *s);
/* Advance the SOS position by frames; true if an SOS period elapsed. */
bool lhv_snd_sos_advance(struct lhv_snd_stream *s, u32 frames);
/* Bytes the SOS side holds in its ring (the device's added latency). */
u32 lhv_snd_sos_latency_bytes(struct lhv_snd_stream *s);

/* sysfs.c: streamN directories. */
int lhv_snd_sysfs_add(struct lhv_snd_dev *dev);
void lhv_snd_sysfs_del(struct lhv_snd_dev *dev);

#endif /* LHV_SND_H */
