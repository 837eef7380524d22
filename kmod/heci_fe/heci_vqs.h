/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Finding the two queues of the lhv virtio HECI device, for its drivers
 * (lhv_heci_fe and the test driver lhv_test_heci_raw): virtio_find_vqs
 * takes struct virtqueue_info since 6.11, callback and name arrays before.
 */
#ifndef LHV_HECI_VQS_H
#define LHV_HECI_VQS_H

#include <linux/version.h>
#include <linux/virtio.h>
#include <linux/virtio_config.h>
#include <lhv/virtio_heci.h>

static inline int lhv_heci_find_vqs(struct virtio_device *vdev,
				    vq_callback_t *rx, vq_callback_t *tx,
				    struct virtqueue **rxq,
				    struct virtqueue **txq)
{
	struct virtqueue *vqs[LHV_HECI_NR_VQS];
	int err;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
	struct virtqueue_info info[LHV_HECI_NR_VQS] = {
		[LHV_HECI_VQ_RX] = { "rx", rx },
		[LHV_HECI_VQ_TX] = { "tx", tx },
	};

	err = virtio_find_vqs(vdev, LHV_HECI_NR_VQS, vqs, info, NULL);
#else
	vq_callback_t *cbs[LHV_HECI_NR_VQS] = {
		[LHV_HECI_VQ_RX] = rx, [LHV_HECI_VQ_TX] = tx
	};
	static const char *const names[LHV_HECI_NR_VQS] = {
		[LHV_HECI_VQ_RX] = "rx",
		[LHV_HECI_VQ_TX] = "tx",
	};

	err = virtio_find_vqs(vdev, LHV_HECI_NR_VQS, vqs, cbs, names, NULL);
#endif
	if (err)
		return err;
	*rxq = vqs[LHV_HECI_VQ_RX];
	*txq = vqs[LHV_HECI_VQ_TX];
	return 0;
}

#endif /* LHV_HECI_VQS_H */
