/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Split-virtqueue walker (VIRTIO 1.2, 2.7), the device side: takes
 * available descriptor chains, gives back used buffers and decides about
 * notifications in both directions. Portable core: no kernel headers, the
 * same code runs in lhv.ko, the unit tests and the fuzzer.
 *
 * Guest memory is reached only through the map callback of
 * struct virtq_mem_ops; the walker never dereferences a guest address
 * itself. A ring the guest breaks is refused for good: every call after
 * the first refusal returns the same negative errno, and the device model
 * sets DEVICE_NEEDS_RESET. docs/virtqueue.md lists every refusal.
 *
 * One virtq is used by one thread at a time (the queue's worker); the
 * walker does no locking of its own.
 */
#ifndef LHV_LIB_VIRTQ_H
#define LHV_LIB_VIRTQ_H

#include "portable.h"

/* Feature bits the walker honours (bit numbers, VIRTIO 1.2 6). */
#define VIRTQ_F_INDIRECT_DESC 28
#define VIRTQ_F_EVENT_IDX 29

/* The largest split queue (VIRTIO 1.2 2.7). */
#define VIRTQ_MAX_SIZE 32768u

/* Descriptor flags (2.7.5). */
#define VIRTQ_DESC_F_NEXT 1u
#define VIRTQ_DESC_F_WRITE 2u
#define VIRTQ_DESC_F_INDIRECT 4u

/* avail->flags: the driver asks for no used-buffer notifications. */
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1u
/* used->flags: the device asks for no available-buffer notifications. */
#define VIRTQ_USED_F_NO_NOTIFY 1u

/* Ring layouts in guest memory, all little endian (2.7.5-2.7.8). */
struct virtq_desc {
	lhv_le64 addr;
	lhv_le32 len;
	lhv_le16 flags;
	lhv_le16 next;
};

/* Followed by used_event (le16) when EVENT_IDX is negotiated. */
struct virtq_avail {
	lhv_le16 flags;
	lhv_le16 idx;
	lhv_le16 ring[];
};

struct virtq_used_elem {
	lhv_le32 id;
	lhv_le32 len;
};

/* Followed by avail_event (le16) when EVENT_IDX is negotiated. */
struct virtq_used {
	lhv_le16 flags;
	lhv_le16 idx;
	struct virtq_used_elem ring[];
};

/* Alignment the spec requires of each area (2.7). */
#define VIRTQ_DESC_ALIGN 16u
#define VIRTQ_AVAIL_ALIGN 2u
#define VIRTQ_USED_ALIGN 4u

/*
 * How the environment reaches guest memory. map returns a host pointer to
 * the first contiguous piece of [gpa, gpa + len) and stores its length in
 * *mapped (1 <= *mapped <= len): a range that crosses into memory not
 * contiguous in the host (another RAM chunk) is mapped piece by piece,
 * the walker calling again at gpa + *mapped. It returns NULL for a gpa
 * outside the VM's memory, or not writable by the device when writable is
 * asked; it must refuse a range that wraps. len is never 0. Pointers stay
 * valid while the queue is set up. The walker refuses a ring whose map
 * answers *mapped of 0 or above len (-EFAULT), so a broken map cannot
 * make it loop.
 */
struct virtq_mem_ops {
	void *(*map)(void *ctx, uint64_t gpa, uint64_t len, bool writable,
		     uint64_t *mapped);
};

/* What the driver configured: the queue registers of the transport. */
struct virtq_layout {
	uint32_t size; /* power of 2, 1..VIRTQ_MAX_SIZE */
	uint64_t desc; /* guest-physical addresses of the three areas */
	uint64_t avail;
	uint64_t used;
	uint64_t features; /* negotiated feature bits */
	/* Where to start: 0 and 0 for a freshly enabled queue. */
	uint16_t last_avail_idx;
	uint16_t used_idx;
};

struct virtq {
	uint32_t size;
	uint64_t desc_gpa, avail_gpa, used_gpa;
	const struct virtq_desc *desc; /* host mappings of the areas */
	struct virtq_avail *avail;
	struct virtq_used *used;
	lhv_le16 *used_event;	 /* in the avail area; NULL without EVENT_IDX */
	lhv_le16 *avail_event;	 /* in the used area; NULL without EVENT_IDX */
	bool indirect;		 /* VIRTQ_F_INDIRECT_DESC negotiated */
	bool event_idx;		 /* VIRTQ_F_EVENT_IDX negotiated */
	uint16_t last_avail_idx; /* next avail entry to take */
	uint16_t avail_idx;	 /* avail->idx as last read */
	uint16_t used_idx;	 /* our used->idx */
	uint16_t used_flags;	 /* our used->flags */
	int broken; /* 0, or the negative errno of the first refusal */
	const struct virtq_mem_ops *ops;
	void *ctx;
};

/*
 * One host-contiguous piece of a guest buffer of a chain, mapped. A
 * descriptor yields one segment per piece map returns (several when its
 * buffer crosses a chunk edge), none when it is empty.
 */
struct virtq_seg {
	void *addr; /* host pointer to len bytes */
	uint64_t gpa;
	uint32_t len;  /* never 0 */
	bool writable; /* device-writable (an "in" buffer) */
};

/*
 * A taken chain. The caller sets segs and max_segs; virtq_pop fills the
 * rest. Readable segments come first, then writable ones. max_segs bounds
 * segments, not descriptors: size it for the pieces a buffer may split
 * into (a buffer of at most one chunk splits into at most two).
 */
struct virtq_chain {
	struct virtq_seg *segs;
	uint16_t max_segs;
	uint16_t nr_segs;
	uint16_t nr_readable;
	uint16_t nr_writable;
	uint32_t readable_len; /* bytes in readable segments */
	uint32_t writable_len; /* bytes in writable segments */
	uint16_t head;	       /* give back to virtq_push */
};

/*
 * Checks and maps the three areas. Each area must be contiguous in the
 * host (map returns it whole); an area map splits is refused like one
 * outside memory. Returns 0, -EINVAL for a bad size or misaligned area,
 * -EFAULT if map refuses or splits an area; on error vq is left broken
 * (-EINVAL or -EFAULT) with nothing mapped.
 */
int virtq_setup(struct virtq *vq, const struct virtq_layout *l,
		const struct virtq_mem_ops *ops, void *ctx);

/*
 * Takes the next available chain into c: returns 1, 0 if the ring is
 * empty, or a negative errno if the ring is broken (sticky; see above).
 */
int virtq_pop(struct virtq *vq, struct virtq_chain *c);

/*
 * Gives chain head back as used, with written bytes written by the device,
 * and publishes it (used element, write barrier, used->idx). Returns 0,
 * the sticky error of a broken ring, or -EINVAL for head >= size.
 */
int virtq_push(struct virtq *vq, uint16_t head, uint32_t written);

/*
 * Whether the driver wants an interrupt now that used->idx went from
 * old_used to new_used (the value of vq->used_idx before and after a batch
 * of virtq_push). Issues the full barrier that orders the used->idx store
 * before reading the driver's suppression field.
 */
bool virtq_needs_interrupt(struct virtq *vq, uint16_t old_used,
			   uint16_t new_used);

/* Asks the driver not to notify us (best effort: the driver may still). */
void virtq_notify_disable(struct virtq *vq);

/*
 * Asks the driver to notify us again. Returns true if buffers arrived that
 * have not been taken yet (then the caller must keep popping: the driver
 * may have decided not to notify before it saw the request), or the ring
 * is found broken (the next virtq_pop reports it).
 */
bool virtq_notify_enable(struct virtq *vq);

#endif /* LHV_LIB_VIRTQ_H */
