// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Split-virtqueue walker; the contract is in virtq.h, the refusals in
 * docs/virtqueue.md. The guest may rewrite any ring byte at any time, so
 * every guest value is fetched once into a local and only the local is
 * checked and used.
 */
#include "virtq.h"

/* A descriptor as fetched: host byte order, never re-read. */
struct desc_copy {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

/*
 * The table a chain is being walked in: the ring's or an indirect one. An
 * indirect table may be split in the host: base covers its first contig
 * bytes, the rest is read piece by piece from gpa.
 */
struct desc_table {
	const struct virtq_desc *base;
	uint64_t gpa;
	uint32_t contig;
	uint32_t entries;
	bool indirect;
};

/* State of one chain walk. */
struct walk {
	struct desc_table table;
	uint32_t visited; /* descriptors visited in the current table */
	bool seen_writable;
	uint32_t total_len; /* readable + writable bytes */
};

static int virtq_fail(struct virtq *vq, int err)
{
	vq->broken = err;
	return err;
}

static bool has_feature(uint64_t features, unsigned int bit)
{
	return (features >> bit) & 1;
}

static bool is_pow2(uint32_t v)
{
	return v && !(v & (v - 1));
}

/*
 * The first host-contiguous piece of [gpa, gpa + len) and its length in
 * *piece, or NULL when map refuses the range or answers a length outside
 * 1..len (so no caller can loop on a piece of 0 bytes).
 */
static void *map_piece(struct virtq *vq, uint64_t gpa, uint64_t len,
		       bool writable, uint64_t *piece)
{
	void *p;

	*piece = 0;
	if (!len || gpa + len < gpa)
		return NULL;
	p = vq->ops->map(vq->ctx, gpa, len, writable, piece);
	if (!p || !*piece || *piece > len)
		return NULL;
	return p;
}

/* All of [gpa, gpa + len) as one host-contiguous piece, or NULL. */
static void *map_whole(struct virtq *vq, uint64_t gpa, uint64_t len,
		       bool writable)
{
	uint64_t piece;
	void *p = map_piece(vq, gpa, len, writable, &piece);

	return piece == len ? p : NULL;
}

/* Copy len guest bytes at gpa to dst, piece by piece; -EFAULT if unmapped. */
static int read_guest(struct virtq *vq, uint64_t gpa, void *dst, uint32_t len)
{
	uint8_t *out = dst;
	uint64_t piece;
	const void *p;

	while (len) {
		p = map_piece(vq, gpa, len, false, &piece);
		if (!p)
			return -EFAULT;
		memcpy(out, p, piece);
		out += piece;
		gpa += piece;
		len -= (uint32_t)piece;
	}
	return 0;
}

int virtq_setup(struct virtq *vq, const struct virtq_layout *l,
		const struct virtq_mem_ops *ops, void *ctx)
{
	uint64_t avail_len, used_len;
	void *desc, *avail, *used;
	bool event_idx;

	memset(vq, 0, sizeof(*vq));
	vq->broken = -EINVAL;
	if (!is_pow2(l->size) || l->size > VIRTQ_MAX_SIZE)
		return -EINVAL;
	if (l->desc % VIRTQ_DESC_ALIGN || l->avail % VIRTQ_AVAIL_ALIGN ||
	    l->used % VIRTQ_USED_ALIGN)
		return -EINVAL;

	event_idx = has_feature(l->features, VIRTQ_F_EVENT_IDX);
	avail_len = sizeof(struct virtq_avail) + 2ull * l->size;
	used_len = sizeof(struct virtq_used) +
		   sizeof(struct virtq_used_elem) * (uint64_t)l->size;
	if (event_idx) {
		avail_len += sizeof(lhv_le16);
		used_len += sizeof(lhv_le16);
	}

	vq->ops = ops;
	vq->ctx = ctx;
	desc = map_whole(vq, l->desc, sizeof(struct virtq_desc) * l->size,
			 false);
	avail = map_whole(vq, l->avail, avail_len, false);
	used = map_whole(vq, l->used, used_len, true);
	if (!desc || !avail || !used) {
		vq->ops = NULL;
		vq->ctx = NULL;
		vq->broken = -EFAULT;
		return -EFAULT;
	}

	vq->size = l->size;
	vq->desc_gpa = l->desc;
	vq->avail_gpa = l->avail;
	vq->used_gpa = l->used;
	vq->desc = desc;
	vq->avail = avail;
	vq->used = used;
	vq->indirect = has_feature(l->features, VIRTQ_F_INDIRECT_DESC);
	vq->event_idx = event_idx;
	if (event_idx) {
		vq->used_event = &vq->avail->ring[l->size];
		vq->avail_event = (lhv_le16 *)&vq->used->ring[l->size];
	}
	vq->last_avail_idx = l->last_avail_idx;
	vq->avail_idx = l->last_avail_idx;
	vq->used_idx = l->used_idx;
	vq->broken = 0;
	return 0;
}

/*
 * Fetch descriptor i of table t once. memcpy tolerates indirect tables at
 * any alignment; the compiler barrier after it forbids the compiler to
 * read the guest copy again in place of the local one. An entry past the
 * table's first host piece is read through map again.
 */
static int fetch_desc(struct virtq *vq, const struct desc_table *t, uint32_t i,
		      struct desc_copy *d)
{
	const uint32_t sz = sizeof(struct virtq_desc);
	struct virtq_desc raw;
	int err;

	if ((i + 1) * sz <= t->contig) {
		memcpy(&raw, &t->base[i], sz);
	} else {
		err = read_guest(vq, t->gpa + (uint64_t)i * sz, &raw, sz);
		if (err)
			return err;
	}
	lhv_barrier();
	d->addr = lhv_le64_to_cpu(raw.addr);
	d->len = lhv_le32_to_cpu(raw.len);
	d->flags = lhv_le16_to_cpu(raw.flags);
	d->next = lhv_le16_to_cpu(raw.next);
	return 0;
}

/* Whether all of [gpa, gpa + len) is guest memory, in however many pieces. */
static bool readable_whole(struct virtq *vq, uint64_t gpa, uint64_t len)
{
	uint64_t piece;

	while (len) {
		if (!map_piece(vq, gpa, len, false, &piece))
			return false;
		gpa += piece;
		len -= piece;
	}
	return true;
}

/* Switch the walk to the indirect table d points to. */
static int enter_indirect(struct virtq *vq, struct walk *w,
			  const struct desc_copy *d)
{
	const struct virtq_desc *table;
	uint64_t contig;

	if (!vq->indirect || w->table.indirect)
		return -EINVAL;
	if (d->flags & VIRTQ_DESC_F_NEXT)
		return -EINVAL;
	if (!d->len || d->len % sizeof(struct virtq_desc) ||
	    d->len / sizeof(struct virtq_desc) > vq->size)
		return -EINVAL;
	table = map_piece(vq, d->addr, d->len, false, &contig);
	if (!table || !readable_whole(vq, d->addr + contig, d->len - contig))
		return -EFAULT;
	w->table.base = table;
	w->table.gpa = d->addr;
	w->table.contig = (uint32_t)contig;
	w->table.entries = d->len / (uint32_t)sizeof(struct virtq_desc);
	w->table.indirect = true;
	w->visited = 0;
	return 0;
}

/*
 * Map the buffer of a plain descriptor and append it to the chain as one
 * segment per host-contiguous piece.
 */
static int add_segments(struct virtq *vq, struct walk *w, struct virtq_chain *c,
			const struct desc_copy *d)
{
	bool writable = d->flags & VIRTQ_DESC_F_WRITE;
	uint64_t gpa = d->addr, piece;
	uint32_t left = d->len;
	struct virtq_seg *s;
	void *p;

	if (!writable && w->seen_writable)
		return -EINVAL;
	w->seen_writable |= writable;
	if (!d->len)
		return 0;
	if (d->len > UINT32_MAX - w->total_len)
		return -EOVERFLOW;
	/* Every round takes at least one byte: left bounds the loop. */
	while (left) {
		if (c->nr_segs >= c->max_segs)
			return -ENOSPC;
		p = map_piece(vq, gpa, left, writable, &piece);
		if (!p)
			return -EFAULT;
		s = &c->segs[c->nr_segs++];
		s->addr = p;
		s->gpa = gpa;
		s->len = (uint32_t)piece;
		s->writable = writable;
		if (writable)
			c->nr_writable++;
		else
			c->nr_readable++;
		gpa += piece;
		left -= (uint32_t)piece;
	}
	w->total_len += d->len;
	if (writable)
		c->writable_len += d->len;
	else
		c->readable_len += d->len;
	return 0;
}

/* Walk the chain starting at head (already checked < size) into c. */
static int walk_chain(struct virtq *vq, uint16_t head, struct virtq_chain *c)
{
	struct walk w = {
		.table = { .base = vq->desc,
			   .gpa = vq->desc_gpa,
			   .contig = vq->size *
				     (uint32_t)sizeof(struct virtq_desc),
			   .entries = vq->size },
	};
	struct desc_copy d;
	uint32_t i = head;
	int err;

	for (;;) {
		/* Each table is walked at most once through: more is a loop. */
		if (++w.visited > w.table.entries)
			return -ELOOP;
		err = fetch_desc(vq, &w.table, i, &d);
		if (err)
			return err;
		if (d.flags & VIRTQ_DESC_F_INDIRECT) {
			err = enter_indirect(vq, &w, &d);
			if (err)
				return err;
			i = 0;
			continue;
		}
		err = add_segments(vq, &w, c, &d);
		if (err)
			return err;
		if (!(d.flags & VIRTQ_DESC_F_NEXT))
			return 0;
		if (d.next >= w.table.entries)
			return -ERANGE;
		i = d.next;
	}
}

/* Re-read avail->idx; false (and broken) if it jumped by more than size. */
static bool refresh_avail_idx(struct virtq *vq)
{
	uint16_t idx = lhv_le16_to_cpu(LHV_READ_ONCE(vq->avail->idx));

	if ((uint16_t)(idx - vq->last_avail_idx) > vq->size) {
		virtq_fail(vq, -EOVERFLOW);
		return false;
	}
	vq->avail_idx = idx;
	return true;
}

int virtq_pop(struct virtq *vq, struct virtq_chain *c)
{
	uint16_t head;
	int err;

	if (vq->broken)
		return vq->broken;
	if (vq->avail_idx == vq->last_avail_idx) {
		if (!refresh_avail_idx(vq))
			return vq->broken;
		if (vq->avail_idx == vq->last_avail_idx)
			return 0;
		/* The ring entries are read after the index that covers them. */
		lhv_rmb();
	}

	head = lhv_le16_to_cpu(LHV_READ_ONCE(
		vq->avail->ring[vq->last_avail_idx & (vq->size - 1)]));
	if (head >= vq->size)
		return virtq_fail(vq, -ERANGE);

	c->nr_segs = 0;
	c->nr_readable = 0;
	c->nr_writable = 0;
	c->readable_len = 0;
	c->writable_len = 0;
	err = walk_chain(vq, head, c);
	if (err)
		return virtq_fail(vq, err);
	c->head = head;
	vq->last_avail_idx++;
	return 1;
}

int virtq_push(struct virtq *vq, uint16_t head, uint32_t written)
{
	struct virtq_used_elem *e;

	if (vq->broken)
		return vq->broken;
	if (head >= vq->size)
		return -EINVAL;
	e = &vq->used->ring[vq->used_idx & (vq->size - 1)];
	LHV_WRITE_ONCE(e->id, lhv_cpu_to_le32((uint32_t)head));
	LHV_WRITE_ONCE(e->len, lhv_cpu_to_le32(written));
	/* The driver must see the element before the index that covers it. */
	lhv_wmb();
	vq->used_idx++;
	LHV_WRITE_ONCE(vq->used->idx, lhv_cpu_to_le16(vq->used_idx));
	return 0;
}

bool virtq_needs_interrupt(struct virtq *vq, uint16_t old_used,
			   uint16_t new_used)
{
	uint16_t event, flags;

	if (vq->broken || old_used == new_used)
		return false;
	/* Our used->idx store before the driver's suppression field. */
	lhv_mb();
	if (vq->event_idx) {
		event = lhv_le16_to_cpu(LHV_READ_ONCE(*vq->used_event));
		/* Interrupt iff used_event lies in [old_used, new_used). */
		return (uint16_t)(new_used - event - 1) <
		       (uint16_t)(new_used - old_used);
	}
	flags = lhv_le16_to_cpu(LHV_READ_ONCE(vq->avail->flags));
	return !(flags & VIRTQ_AVAIL_F_NO_INTERRUPT);
}

static void set_used_flags(struct virtq *vq, uint16_t flags)
{
	if (vq->used_flags == flags)
		return;
	vq->used_flags = flags;
	LHV_WRITE_ONCE(vq->used->flags, lhv_cpu_to_le16(flags));
}

void virtq_notify_disable(struct virtq *vq)
{
	/*
	 * With EVENT_IDX there is nothing to write: avail_event stays behind
	 * the driver's index, so it does not notify again until we move it.
	 */
	if (vq->broken || vq->event_idx)
		return;
	set_used_flags(vq, vq->used_flags | VIRTQ_USED_F_NO_NOTIFY);
}

bool virtq_notify_enable(struct virtq *vq)
{
	if (vq->broken)
		return false;
	if (vq->event_idx)
		LHV_WRITE_ONCE(*vq->avail_event,
			       lhv_cpu_to_le16(vq->last_avail_idx));
	else
		set_used_flags(vq, vq->used_flags & ~VIRTQ_USED_F_NO_NOTIFY);
	/*
	 * The driver may have added a buffer and read the old suppression
	 * state just before our store: publish it, then look again.
	 */
	lhv_mb();
	if (!refresh_avail_idx(vq))
		return true;
	return vq->avail_idx != vq->last_avail_idx;
}
