// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The per-queue service loop, after Linux vhost: on a kick, turn driver
 * notifications off, take chains until the ring is empty (handing each to
 * the backend), optionally keep polling for busy_poll_us, then turn
 * notifications back on and look once more (the race the walker's
 * virtq_notify_enable reports). A queue gives up its worker thread after
 * LHV_VQ_BUDGET chains and requeues itself, so one busy queue of a device
 * does not starve the others sharing a CPU.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kthread.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>

#include "lhv.h"
#include "lhv_vdev.h"

#define LHV_VQ_BUDGET 64

unsigned int lhv_busy_poll_us;
module_param_named(busy_poll_us, lhv_busy_poll_us, uint, 0644);
MODULE_PARM_DESC(busy_poll_us, "Microseconds a queue worker keeps polling "
			       "an empty ring before it re-enables driver "
			       "notifications (0 = no polling, default)");

/* Polls an empty ring for busy_poll_us: 1 if a chain was taken, 0, or < 0. */
static int lhv_vq_busy_poll(struct lhv_vq *vq, struct virtq_chain *c)
{
	unsigned int us = READ_ONCE(lhv_busy_poll_us);
	u64 end;
	int ret;

	if (!us)
		return 0;
	end = local_clock() + (u64)us * NSEC_PER_USEC;
	do {
		cpu_relax();
		ret = virtq_pop(&vq->ring, c);
		if (ret)
			return ret;
		if (need_resched())
			break;
	} while (local_clock() < end && READ_ONCE(vq->vdev->live));
	return 0;
}

/* The next chain: 1, 0 when empty with notifications back on, or < 0. */
static int lhv_vq_next(struct lhv_vq *vq, struct virtq_chain *c)
{
	int ret;

	for (;;) {
		ret = virtq_pop(&vq->ring, c);
		if (ret)
			return ret;
		ret = lhv_vq_busy_poll(vq, c);
		if (ret)
			return ret;
		if (!virtq_notify_enable(&vq->ring))
			return 0;
		/* Work arrived while notifications were off: keep going. */
		virtq_notify_disable(&vq->ring);
	}
}

static void lhv_vq_work(struct kthread_work *work)
{
	struct lhv_vq *vq = container_of(work, struct lhv_vq, work);
	struct lhv_vdev *vdev = vq->vdev;
	struct virtq_chain chain;
	unsigned int n = 0;
	char why[64];
	int ret;

	if (!READ_ONCE(vdev->live))
		return;
	virtq_notify_disable(&vq->ring);
	while (READ_ONCE(vdev->live)) {
		chain.segs = vq->segs;
		chain.max_segs = vdev->max_segs;
		ret = lhv_vq_next(vq, &chain);
		if (ret < 0) {
			snprintf(why, sizeof(why), "queue %u: ring broken (%d)",
				 vq->index, ret);
			lhv_vdev_needs_reset(vdev, why);
			return;
		}
		if (!ret)
			return;
		atomic64_inc(&vq->stats.requests);
		vdev->ops->handle_request(vq, &chain);
		if (++n >= LHV_VQ_BUDGET) {
			/* Notifications stay off: we come back by ourselves. */
			kthread_queue_work(vq->worker, &vq->work);
			return;
		}
	}
}

void lhv_vq_kick(struct lhv_vq *vq)
{
	if (READ_ONCE(vq->vdev->live))
		kthread_queue_work(vq->worker, &vq->work);
}

void lhv_vq_worker_stop(struct lhv_vq *vq)
{
	/* vdev->live is already false: a requeued or new kick returns. */
	if (vq->worker)
		kthread_cancel_work_sync(&vq->work);
}

int lhv_vq_worker_create(struct lhv_vq *vq)
{
	struct lhv_vdev *vdev = vq->vdev;
	struct kthread_worker *w;

	kthread_init_work(&vq->work, lhv_vq_work);
	w = kthread_create_worker(0, "lhv-%s-%s-q%u", vdev->vm->name,
				  vdev->name, vq->index);
	if (IS_ERR(w))
		return PTR_ERR(w);
	vq->worker = w;
	return 0;
}

void lhv_vq_worker_destroy(struct lhv_vq *vq)
{
	if (!vq->worker)
		return;
	kthread_cancel_work_sync(&vq->work);
	kthread_destroy_worker(vq->worker);
	vq->worker = NULL;
}
