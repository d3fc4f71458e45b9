// SPDX-License-Identifier: GPL-2.0
/*
 * vsw_vhost - a vhost-net compatible fast path into vsw.
 *
 * This file is what runs on the rings: the worker thread, reading and
 * writing the split virtqueues, the guest's TX frames into the switch, the
 * switch's frames into the guest's RX ring, and binding to the port as its
 * vsw backend. The character device (eventfds, ioctls) is vhost_dev.c,
 * the shared state vhost.h.
 *
 * /dev/vhost-vsw speaks the vhost-net ioctl ABI (include/uapi/linux/vhost.h)
 * the way QEMU, libvirt and DPDK virtio-user drive /dev/vhost-net: each open
 * is one queue pair (virtqueue 0 = the guest's RX, 1 = its TX), the backend
 * is the guest's tap (VHOST_NET_SET_BACKEND with the tap fd). The tap must
 * be a port of a vsw switch: from then on the guest's TX frames enter the
 * switch as if that port had received them, and frames the switch sends to
 * the port are written straight into the guest's RX ring; the tun device's
 * queues are not used. Detaching (fd -1) gives the tap back to its owner.
 *
 * The rings are split virtqueues in the owner's address space; a per-device
 * worker thread adopts the owner's mm and copies with copy_{from,to}_user,
 * like drivers/vhost, but on public interfaces only (drivers/vhost/vhost.h
 * is private). Everything the guest writes is checked: a malformed ring
 * (descriptor loop, chain longer than the ring, address outside the memory
 * table, index out of range, nested or misaligned indirect table, wrong
 * descriptor direction) stops that virtqueue, counts a ring error and
 * signals its error eventfd; it runs again once it is set up again. A frame
 * with an invalid virtio-net header or unreadable data is dropped and
 * counted. At most VSW_VHOST_WEIGHT frames are handled per queue and turn.
 *
 * Locking: vv->mutex (ioctls) > vq->mutex (ring state; the worker holds it
 * while it uses a ring) > RTNL. The switch calls vsw_vhost_deliver_to_guest() (softirq) and
 * vsw_vhost_unbind() (RTNL), which take none of these.
 */

#include "vhost.h"

/* ---------------------------------------------------------------------- */
/* Worker                                                                 */

void vsw_vhost_queue_work(struct vsw_vhost *vv, unsigned int index)
{
	/* the worker exists while a kick or the switch can call */
	if (!test_and_set_bit(index, &vv->pending))
		vsw_worker_wake(&vv->worker);
}

static void vsw_vhost_handle_rx(struct vsw_vhost *vv);
static void vsw_vhost_handle_tx(struct vsw_vhost *vv);

/*
 * One round of the worker (vsw_worker_start(): a vhost_task of the owner
 * on 6.12, a kthread in the owner's cgroups on 6.1). Called in
 * TASK_INTERRUPTIBLE: false (and sleep) if there is nothing to do.
 */
bool vsw_vhost_work(void *data)
{
	struct vsw_vhost *vv = data;
	unsigned long pending = xchg(&vv->pending, 0);

	if (!pending)
		return false;
	__set_current_state(TASK_RUNNING);
	if (pending & BIT(VSW_VHOST_TX))
		vsw_vhost_handle_tx(vv);
	if (pending & BIT(VSW_VHOST_RX))
		vsw_vhost_handle_rx(vv);
	cond_resched();
	return true;
}

/*
 * 6.12: the owner's process was killed (its worker thread with it) before
 * the device was reset. Nothing runs the rings any more; frames for the
 * guest wait in (and overflow from) the bounded rxq until the file is
 * closed, which happens as the process exits.
 */
void vsw_vhost_worker_killed(void *data)
{
	struct vsw_vhost *vv = data;

	pr_debug("worker of %p: owner killed\n", vv);
}

/* ---------------------------------------------------------------------- */
/* Rings (vq->mutex held, in the worker with the owner's mm)             */

/* counters of a queue, written under its mutex; read at any time */
static void vsw_vhost_count(u64 *ctr, u64 n)
{
	WRITE_ONCE(*ctr, *ctr + n);
}

static bool vsw_vhost_has(const struct vsw_vhost *vv, unsigned int bit)
{
	return vv->features & BIT_ULL(bit);
}

static void vsw_vhost_ring_error(struct vsw_vhost_vq *vq, const char *why)
{
	vq->broken = true;
	vsw_vhost_count(&vq->vv->st.ring_errors, 1);
	if (vq->err)
		vsw_eventfd_signal(vq->err);
	pr_debug("vq %u: %s: queue stopped\n", vq->index, why);
}

static __virtio16 __user *vsw_vhost_used_event(struct vsw_vhost_vq *vq)
{
	return &vq->avail->ring[vq->num];
}

static __virtio16 __user *vsw_vhost_avail_event(struct vsw_vhost_vq *vq)
{
	return (__virtio16 __user *)&vq->used->ring[vq->num];
}

static int vsw_vhost_disable_notify(struct vsw_vhost_vq *vq)
{
	if (vsw_vhost_has(vq->vv, VIRTIO_RING_F_EVENT_IDX))
		return 0;
	return put_user(to_vv16(VRING_USED_F_NO_NOTIFY), &vq->used->flags);
}

/*
 * Returns 1 if the guest made buffers available since we last looked at
 * avail->idx (vq->avail_idx), 0 if not, -EFAULT.
 */
static int vsw_vhost_enable_notify(struct vsw_vhost_vq *vq)
{
	__virtio16 idx;
	int err;

	/* kick when the guest adds past what we saw (which may be more
	 * than we used: RX buffers too small for the frame at hand)
	 */
	if (vsw_vhost_has(vq->vv, VIRTIO_RING_F_EVENT_IDX))
		err = put_user(to_vv16(vq->avail_idx), vsw_vhost_avail_event(vq));
	else
		err = put_user(to_vv16(0), &vq->used->flags);
	if (err)
		return err;
	/* the flag/event before the index, as the driver does the reverse */
	smp_mb();
	if (get_user(idx, &vq->avail->idx))
		return -EFAULT;
	return vv16(idx) != vq->avail_idx;
}

/*
 * The head of the next available chain: its index, vq->num if the ring is
 * empty, or -errno (ring error, reported).
 */
static int vsw_vhost_next_avail(struct vsw_vhost_vq *vq)
{
	__virtio16 v;
	u16 head;

	if (vq->avail_idx == vq->last_avail_idx) {
		if (get_user(v, &vq->avail->idx)) {
			vsw_vhost_ring_error(vq, "cannot read avail index");
			return -EFAULT;
		}
		if ((u16)(vv16(v) - vq->last_avail_idx) > vq->num) {
			vsw_vhost_ring_error(vq, "avail index moved too far");
			return -EINVAL;
		}
		vq->avail_idx = vv16(v);
		if (vq->avail_idx == vq->last_avail_idx)
			return vq->num;
		/* ring entries after the index that published them */
		smp_rmb();
	}
	if (get_user(v, &vq->avail->ring[vq->last_avail_idx & (vq->num - 1)])) {
		vsw_vhost_ring_error(vq, "cannot read avail ring");
		return -EFAULT;
	}
	head = vv16(v);
	if (head >= vq->num) {
		vsw_vhost_ring_error(vq, "avail ring entry out of range");
		return -EINVAL;
	}
	return head;
}

/* Guest-physical [addr, addr + len) as user iovecs appended to @iov. */
static int vsw_vhost_translate(const struct vsw_vhost_mem *mem, u64 addr,
			       u64 len, struct iovec *iov, unsigned int *n,
			       unsigned int max)
{
	while (len) {
		const struct vhost_memory_region *r = NULL;
		u64 off, seg;
		u32 i;

		for (i = 0; mem && i < mem->nregions; i++) {
			const struct vhost_memory_region *c = &mem->regions[i];

			if (addr >= c->guest_phys_addr &&
			    addr - c->guest_phys_addr < c->memory_size) {
				r = c;
				break;
			}
		}
		if (!r)
			return -EFAULT;
		if (*n >= max)
			return -ENOBUFS;
		off = addr - r->guest_phys_addr;
		seg = min(len, r->memory_size - off);
		iov[*n].iov_base = u64_to_user_ptr(r->userspace_addr + off);
		iov[*n].iov_len = seg;
		(*n)++;
		addr += seg;
		len -= seg;
	}
	return 0;
}

/*
 * The descriptor chain at @head as iovecs appended to vq->iov from *@n:
 * all device-readable (@write false) or all device-writable. Returns the
 * chain's length in bytes, or -errno (ring error, reported).
 */
static long vsw_vhost_walk(struct vsw_vhost_vq *vq, unsigned int head,
			   bool write, unsigned int *n)
{
	struct vring_desc __user *table = vq->desc;
	unsigned int i = head, max = vq->num, count = 0;
	bool indirect = false;
	u64 total = 0;

	for (;;) {
		struct vring_desc d;
		u16 flags;
		u64 addr;
		u32 len;
		int err;

		if (++count > max) {
			vsw_vhost_ring_error(vq, "descriptor loop or chain too long");
			return -ELOOP;
		}
		if (copy_from_user(&d, table + i, sizeof(d))) {
			vsw_vhost_ring_error(vq, "cannot read descriptor");
			return -EFAULT;
		}
		flags = vv16(d.flags);
		addr = vv64(d.addr);
		len = vv32(d.len);
		if (flags & VRING_DESC_F_INDIRECT) {
			unsigned int tn = 0;
			struct iovec tiov;

			if (indirect || (flags & VRING_DESC_F_NEXT) ||
			    !vsw_vhost_has(vq->vv, VIRTIO_RING_F_INDIRECT_DESC)) {
				vsw_vhost_ring_error(vq, "invalid indirect descriptor");
				return -EINVAL;
			}
			if (!len || len % sizeof(d) || len / sizeof(d) > 0xffff) {
				vsw_vhost_ring_error(vq, "bad indirect table length");
				return -EINVAL;
			}
			/* one contiguous table, to index it */
			if (vsw_vhost_translate(vq->vv->mem, addr, len, &tiov, &tn, 1)) {
				vsw_vhost_ring_error(vq, "indirect table not in guest memory");
				return -EFAULT;
			}
			table = tiov.iov_base;
			max = len / sizeof(d);
			i = 0;
			count = 0;
			indirect = true;
			continue;
		}
		if (!!(flags & VRING_DESC_F_WRITE) != write) {
			vsw_vhost_ring_error(vq, write ? "read-only descriptor in RX ring" :
					  "write-only descriptor in TX ring");
			return -EINVAL;
		}
		total += len;
		if (total > (write ? U32_MAX : VSW_VHOST_HDR_MAX + VSW_VHOST_MAX_FRAME)) {
			vsw_vhost_ring_error(vq, "chain too long");
			return -EMSGSIZE;
		}
		err = vsw_vhost_translate(vq->vv->mem, addr, len, vq->iov, n,
					  UIO_MAXIOV);
		if (err) {
			vsw_vhost_ring_error(vq, err == -ENOBUFS ?
				      "chain has too many segments" :
				      "buffer not in guest memory");
			return err;
		}
		if (!(flags & VRING_DESC_F_NEXT))
			return total;
		i = vv16(d.next);
		if (i >= max) {
			vsw_vhost_ring_error(vq, "next descriptor out of range");
			return -EINVAL;
		}
	}
}

static int vsw_vhost_add_used(struct vsw_vhost_vq *vq, u32 id, u32 len)
{
	struct vring_used_elem e = {
		.id = to_vv32(id),
		.len = to_vv32(len),
	};

	if (copy_to_user(&vq->used->ring[vq->last_used_idx & (vq->num - 1)],
			 &e, sizeof(e)))
		return -EFAULT;
	vq->last_used_idx++;
	return 0;
}

static bool vsw_vhost_need_signal(struct vsw_vhost_vq *vq)
{
	__virtio16 v;
	u16 old, new;
	bool valid;

	/* the used index before the flags / event we read */
	smp_mb();
	if (vsw_vhost_has(vq->vv, VIRTIO_F_NOTIFY_ON_EMPTY) &&
	    vq->avail_idx == vq->last_avail_idx &&
	    !get_user(v, &vq->avail->idx) && vv16(v) == vq->last_avail_idx)
		return true;
	if (!vsw_vhost_has(vq->vv, VIRTIO_RING_F_EVENT_IDX)) {
		if (get_user(v, &vq->avail->flags))
			return true;
		return !(vv16(v) & VRING_AVAIL_F_NO_INTERRUPT);
	}
	old = vq->signalled_used;
	valid = vq->signalled_used_valid;
	new = vq->last_used_idx;
	vq->signalled_used = new;
	vq->signalled_used_valid = true;
	if (!valid || get_user(v, vsw_vhost_used_event(vq)))
		return true;
	return vring_need_event(vv16(v), new, old);
}

/* Publish used entries added since @old and signal the guest if it asks. */
static void vsw_vhost_flush_used(struct vsw_vhost_vq *vq, u16 old)
{
	if (vq->last_used_idx == old)
		return;
	/* entries before the index */
	smp_wmb();
	if (put_user(to_vv16(vq->last_used_idx), &vq->used->idx)) {
		vsw_vhost_ring_error(vq, "cannot write used index");
		return;
	}
	if (vq->call && vsw_vhost_need_signal(vq)) {
		vsw_eventfd_signal(vq->call);
		vsw_vhost_count(&vq->vv->st.signals, 1);
	}
}

/*
 * Start a worker's turn on @vq (vq->mutex held): false if the queue does
 * not run (no backend, or stopped by a ring error). Guest notifications
 * are off for the turn.
 */
static bool vsw_vhost_turn_begin(struct vsw_vhost_vq *vq)
{
	if (!vq->ready || vq->broken)
		return false;
	if (vsw_vhost_disable_notify(vq)) {
		vsw_vhost_ring_error(vq, "cannot write used flags");
		return false;
	}
	return true;
}

/* ---------------------------------------------------------------------- */
/* Guest TX: ring -> switch                                               */

static struct sk_buff *vsw_vhost_build_skb(struct vsw_vhost *vv,
					   struct vsw_vhost_vq *vq,
					   unsigned int niov, size_t len)
{
	struct virtio_net_hdr_mrg_rxbuf hdr;
	size_t plen, linear;
	struct iov_iter it;
	struct sk_buff *skb;
	int err;

	if (len < vv->hdr_len + ETH_HLEN || len - vv->hdr_len > VSW_VHOST_MAX_FRAME)
		return NULL;
	iov_iter_init(&it, ITER_SOURCE, vq->iov, niov, len);
	if (copy_from_iter(&hdr, vv->hdr_len, &it) != vv->hdr_len)
		return NULL;
	plen = len - vv->hdr_len;
	/* big frames: headers linear (the guest's hint, bounded), data in
	 * pages
	 */
	linear = plen <= VSW_VHOST_COPYBREAK ? plen :
		 clamp_t(size_t, vv16(hdr.hdr.hdr_len), ETH_HLEN + 128, 1024);
	skb = alloc_skb_with_frags(NET_SKB_PAD + NET_IP_ALIGN + linear,
				   plen - linear, PAGE_ALLOC_COSTLY_ORDER, &err,
				   GFP_KERNEL);
	if (!skb)
		return NULL;
	skb_reserve(skb, NET_SKB_PAD + NET_IP_ALIGN);
	skb_put(skb, linear);
	skb->data_len = plen - linear;
	skb->len += plen - linear;
	if (skb_copy_datagram_from_iter(skb, 0, &it, plen))
		goto drop;
	skb_reset_mac_header(skb);
	if (virtio_net_hdr_to_skb(skb, &hdr.hdr, true))
		goto drop;
	return skb;

drop:
	kfree_skb(skb);
	return NULL;
}

static void vsw_vhost_handle_tx(struct vsw_vhost *vv)
{
	struct vsw_vhost_vq *vq = &vv->vqs[VSW_VHOST_TX];
	struct sk_buff_head frames;
	unsigned int n = 0, in;
	u64 bytes = 0, dropped = 0;
	struct sk_buff *skb;
	u16 old_used;
	long len;
	int head;

	__skb_queue_head_init(&frames);
	mutex_lock(&vq->mutex);
	if (!vsw_vhost_turn_begin(vq))
		goto unlock;
	old_used = vq->last_used_idx;
	while (n < VSW_VHOST_WEIGHT) {
		unsigned int niov = 0;

		head = vsw_vhost_next_avail(vq);
		if (head < 0)
			break;
		if (head == vq->num) {
			int more = vsw_vhost_enable_notify(vq);

			if (more < 0) {
				vsw_vhost_ring_error(vq, "cannot write avail event");
				break;
			}
			if (!more)
				break;
			vsw_vhost_disable_notify(vq);
			continue;
		}
		len = vsw_vhost_walk(vq, head, false, &niov);
		if (len < 0)
			break;
		skb = vsw_vhost_build_skb(vv, vq, niov, len);
		vq->last_avail_idx++;
		if (vsw_vhost_add_used(vq, head, 0)) {
			/* taken from the ring: a dropped frame too */
			kfree_skb(skb);
			dropped++;
			vsw_vhost_ring_error(vq, "cannot write used ring");
			break;
		}
		n++;
		if (!skb) {
			dropped++;
			continue;
		}
		bytes += skb->len;
		__skb_queue_tail(&frames, skb);
	}
	vsw_vhost_flush_used(vq, old_used);
	if (n == VSW_VHOST_WEIGHT)
		vsw_vhost_queue_work(vv, VSW_VHOST_TX);	/* others first */
unlock:
	mutex_unlock(&vq->mutex);

	in = skb_queue_len(&frames);
	if (in) {
		unsigned int took = vsw_backend_receive(&vv->be, &frames);

		/* all or none: no port or a down one takes none */
		dropped += in - took;
		if (!took)
			bytes = 0;
		vsw_vhost_count(&vv->st.tx_packets, took);
		vsw_vhost_count(&vv->st.tx_bytes, bytes);
	}
	if (dropped)
		vsw_vhost_count(&vv->st.tx_dropped, dropped);
}

/* ---------------------------------------------------------------------- */
/* Guest RX: switch -> ring                                               */

static void vsw_vhost_rxq_add(struct vsw_vhost *vv, struct sk_buff *skb)
{
	/* the tap may go away while the frame waits for the guest (one that
	 * does not refill its RX ring): a queued frame references no device
	 */
	skb->dev = NULL;
	if (unlikely(ptr_ring_produce(&vv->rxq, skb))) {
		atomic64_inc(&vv->rx_dropped);
		kfree_skb(skb);
	}
}

/*
 * A checksum the guest cannot be asked for is done here, as
 * validate_xmit_skb() does for a device: skb_csum_hwoffload_help() fills
 * in an SCTP CRC32c (csum_not_inet: a tap has no NETIF_F_SCTP_CRC and a
 * virtio-net header can only ask for an Internet checksum) and an Internet
 * checksum the tap's offloads (TUNSETOFFLOAD) do not cover.
 */
static int vsw_vhost_csum(struct sk_buff *skb, netdev_features_t features)
{
	if (skb->ip_summed != CHECKSUM_PARTIAL)
		return 0;
	return skb_csum_hwoffload_help(skb, features);
}

/*
 * From the switch (vsw_output()): BH disabled, RCU; skb->dev is the port,
 * the tap, alive here. As validate_xmit_skb() would before the tap's xmit,
 * the frame is made fit for the guest: segmented or checksummed in software
 * for what its tap does not take (the offloads QEMU set with
 * TUNSETOFFLOAD). The worker never looks at the device.
 */
static void vsw_vhost_deliver_to_guest(void *priv, struct sk_buff *skb)
{
	netdev_features_t features = READ_ONCE(skb->dev->features);
	struct sk_buff *segs, *next;
	struct vsw_vhost *vv = priv;

	if (unlikely(skb_orphan_frags_rx(skb, GFP_ATOMIC)))
		goto drop;
	skb_orphan(skb);
	skb_dst_drop(skb);
	nf_reset_ct(skb);
	if (skb_is_gso(skb) && !skb_gso_ok(skb, features)) {
		/* a guest's GSO frame (DODGY) that the tap's TSO takes comes
		 * back NULL, its segment count reset
		 */
		segs = skb_gso_segment(skb, features);
		if (IS_ERR(segs))
			goto drop;
		if (segs) {
			consume_skb(skb);
			skb_list_walk_safe(segs, skb, next) {
				skb_mark_not_on_list(skb);
				if (unlikely(vsw_vhost_csum(skb, features))) {
					atomic64_inc(&vv->rx_dropped);
					kfree_skb(skb);
					continue;
				}
				vsw_vhost_rxq_add(vv, skb);
			}
			goto queued;
		}
	}
	if (!skb_is_gso(skb) && vsw_vhost_csum(skb, features))
		goto drop;
	vsw_vhost_rxq_add(vv, skb);
queued:
	vsw_vhost_queue_work(vv, VSW_VHOST_RX);
	return;

drop:
	atomic64_inc(&vv->rx_dropped);
	kfree_skb(skb);
}

/*
 * The next frame for the guest: first what tun queued on the tap (older:
 * sent while we were not bound), then what the switch gave us.
 */
static struct sk_buff *vsw_vhost_rx_next(struct vsw_vhost *vv)
{
	void *ptr;

	while (vv->tap_ring && (ptr = ptr_ring_consume_bh(vv->tap_ring))) {
		if (!tun_is_xdp_frame(ptr))
			return ptr;
		/* XDP frames (tun's own XDP redirect) are not handled */
		tun_ptr_free(ptr);
		vsw_vhost_count(&vv->st.rx_dropped, 1);
	}
	return ptr_ring_consume(&vv->rxq);
}

/*
 * Buffers for @need bytes: one chain, or with MRG_RXBUF as many as it
 * takes. Fills vq->iov and @heads/@lens. Returns the number of heads, 0 if
 * the ring has not enough (nothing consumed), -ENOSPC if the frame can
 * never fit a single buffer, or -errno (ring error).
 */
static int vsw_vhost_rx_bufs(struct vsw_vhost_vq *vq, size_t need, unsigned int *niov)
{
	unsigned int max = min_t(unsigned int, vq->num, UIO_MAXIOV);
	bool mrg = vsw_vhost_has(vq->vv, VIRTIO_NET_F_MRG_RXBUF);
	u16 start = vq->last_avail_idx;
	unsigned int nheads = 0;
	size_t got = 0;

	*niov = 0;
	while (got < need) {
		int head = vsw_vhost_next_avail(vq);
		long len;

		if (head < 0)
			return head;
		if (head == vq->num) {
			/* wait for more, unless no ring could ever do */
			vq->last_avail_idx = start;
			return nheads >= max ? -ENOSPC : 0;
		}
		if (nheads == max) {
			vq->last_avail_idx = start;
			return -ENOSPC;
		}
		len = vsw_vhost_walk(vq, head, true, niov);
		if (len < 0)
			return len;
		vq->heads[nheads] = head;
		vq->lens[nheads] = min_t(size_t, len, need - got);
		nheads++;
		got += len;
		vq->last_avail_idx++;
		if (!mrg && got < need) {
			/* too small for the frame: it is dropped, the
			 * buffer stays the guest's
			 */
			vq->last_avail_idx = start;
			return -ENOSPC;
		}
	}
	return nheads;
}

static void vsw_vhost_handle_rx(struct vsw_vhost *vv)
{
	struct vsw_vhost_vq *vq = &vv->vqs[VSW_VHOST_RX];
	/* frames from the queue, drops and retries count too */
	unsigned int n = 0, budget = 4 * VSW_VHOST_WEIGHT;
	u64 bytes = 0;
	u16 old_used;

	mutex_lock(&vq->mutex);
	if (!vsw_vhost_turn_begin(vq))
		goto unlock;
	old_used = vq->last_used_idx;
	while (n < VSW_VHOST_WEIGHT && budget--) {
		struct virtio_net_hdr_mrg_rxbuf hdr = {};
		struct sk_buff *skb = skb_peek(&vv->rx_backlog);
		unsigned int niov, i;
		struct iov_iter it;
		int vlan_hlen = 0;
		int nheads;

		if (!skb) {
			skb = vsw_vhost_rx_next(vv);
			if (!skb)
				break;
			/* ours are fit for the guest (vsw_vhost_deliver_to_guest()), tun's for
			 * the tap (its xmit path)
			 */
			__skb_queue_tail(&vv->rx_backlog, skb);
			continue;
		}
		if (skb_vlan_tag_present(skb))
			vlan_hlen = VLAN_HLEN;
		nheads = vsw_vhost_rx_bufs(vq,
					   vv->hdr_len + skb->len + vlan_hlen,
					   &niov);
		if (nheads == -ENOSPC) {
			__skb_unlink(skb, &vv->rx_backlog);
			vsw_vhost_count(&vv->st.rx_dropped, 1);
			kfree_skb(skb);
			continue;
		}
		if (nheads < 0)
			break;
		if (!nheads) {
			int more = vsw_vhost_enable_notify(vq);

			if (more < 0) {
				vsw_vhost_ring_error(vq, "cannot write avail event");
				break;
			}
			if (!more)
				break;	/* the guest's kick resumes us */
			vsw_vhost_disable_notify(vq);
			continue;
		}
		__skb_unlink(skb, &vv->rx_backlog);
		if (virtio_net_hdr_from_skb(skb, &hdr.hdr, true, true,
					    vlan_hlen)) {
			/* an offload the guest cannot be told about */
			vq->last_avail_idx -= nheads;
			vsw_vhost_count(&vv->st.rx_dropped, 1);
			kfree_skb(skb);
			continue;
		}
		hdr.num_buffers = to_vv16(nheads);
		if (vlan_hlen) {
			skb = __vlan_hwaccel_push_inside(skb);
			if (!skb) {
				vq->last_avail_idx -= nheads;
				vsw_vhost_count(&vv->st.rx_dropped, 1);
				continue;
			}
		}
		iov_iter_init(&it, ITER_DEST, vq->iov, niov,
			      vv->hdr_len + skb->len);
		if (copy_to_iter(&hdr, vv->hdr_len, &it) != vv->hdr_len ||
		    skb_copy_datagram_iter(skb, 0, &it, skb->len)) {
			kfree_skb(skb);
			vsw_vhost_count(&vv->st.rx_dropped, 1);
			vsw_vhost_ring_error(vq, "cannot write RX buffer");
			break;
		}
		bytes += skb->len;
		consume_skb(skb);
		for (i = 0; i < nheads; i++)
			if (vsw_vhost_add_used(vq, vq->heads[i], vq->lens[i]))
				break;
		if (i < nheads) {
			vsw_vhost_ring_error(vq, "cannot write used ring");
			break;
		}
		n++;
	}
	vsw_vhost_flush_used(vq, old_used);
	if (n == VSW_VHOST_WEIGHT || !budget)
		vsw_vhost_queue_work(vv, VSW_VHOST_RX);
	vsw_vhost_count(&vv->st.rx_packets, n);
	vsw_vhost_count(&vv->st.rx_bytes, bytes);
unlock:
	mutex_unlock(&vq->mutex);
}

/* ---------------------------------------------------------------------- */
/* Backend binding                                                        */

static void vsw_vhost_get_stats(void *priv, struct vsw_backend_stats *st)
{
	struct vsw_vhost *vv = priv;

	st->rx_packets = READ_ONCE(vv->st.rx_packets);
	st->rx_bytes = READ_ONCE(vv->st.rx_bytes);
	st->rx_dropped = READ_ONCE(vv->st.rx_dropped) +
			 atomic64_read(&vv->rx_dropped);
	st->tx_packets = READ_ONCE(vv->st.tx_packets);
	st->tx_bytes = READ_ONCE(vv->st.tx_bytes);
	st->tx_dropped = READ_ONCE(vv->st.tx_dropped);
	st->ring_errors = READ_ONCE(vv->st.ring_errors);
	st->kicks = atomic64_read(&vv->kicks);
	st->signals = READ_ONCE(vv->st.signals);
}

const struct vsw_backend_ops vsw_vhost_backend_ops = {
	.xmit = vsw_vhost_deliver_to_guest,
	/* no .unbind: when the port goes away the rings keep running and
	 * the guest's frames are dropped (counted) until the owner detaches
	 */
	.get_stats = vsw_vhost_get_stats,
	.kind = "vhost",
};

/*
 * The name of the tun/tap device behind @file, which tun_get_socket()
 * accepted, as its fdinfo ("iff:\tNAME") says: a hint for
 * vsw_vhost_tun_dev(), which may be stale by the time it is used.
 */
static int vsw_vhost_tap_name(struct file *file, char *name)
{
	char buf[64];
	struct seq_file m = {
		.buf = buf,
		.size = sizeof(buf),
	};
	char *p, *e;

	if (!file->f_op->show_fdinfo)
		return -EOPNOTSUPP;
	file->f_op->show_fdinfo(&m, file);
	if (seq_has_overflowed(&m) || m.count >= sizeof(buf))
		return -EINVAL;
	buf[m.count] = '\0';
	p = strstr(buf, "iff:\t");
	if (!p)
		return -EINVAL;
	p += 5;
	e = strchrnul(p, '\n');
	if (e == p || e - p >= IFNAMSIZ)
		return -EBADFD;		/* tap not attached to a device */
	memcpy(name, p, e - p);
	name[e - p] = '\0';
	return 0;
}

/*
 * The head of tun's private struct tun_file (drivers/net/tun.c), the same
 * on every kernel since 5.3 (and on 6.1, 6.12): the file's socket and the
 * device it is attached to. tun exports tun_get_socket() (&tfile->socket)
 * but nothing from a file to its device, and vhost-net never needs one. We
 * use only these three members, check the one we can (socket.sk is sk) and
 * never dereference the tun pointer: it is compared with netdev_priv() of
 * real devices, so a different layout can only make binding fail.
 */
struct vsw_tun_file_head {
	struct sock sk;
	struct socket socket;
	void __rcu *tun;	/* struct tun_struct: netdev_priv(dev) */
};

/* RTNL. Is @dev the tun device whose private data is @tun? */
static bool vsw_vhost_is_tun(const struct net_device *dev, const void *tun)
{
	return dev && netdev_priv(dev) == tun;
}

/*
 * RTNL. The net_device behind the tun file whose socket is @sock, wherever
 * it is now (renamed, moved to another netns), or NULL (no device: never
 * attached, detached queue, device deleted). tun attaches and detaches
 * files under RTNL (tun_set_iff(), tun_detach(), tun_net_uninit()), so
 * under RTNL the device is registered while tfile->tun points to it, and
 * renames and netns moves (also RTNL) cannot happen under us. @hint, the
 * name fdinfo gave before RTNL (it takes RTNL itself), makes the usual case
 * one lookup; it is only trusted once the device is checked.
 */
static struct net_device *vsw_vhost_tun_dev(struct socket *sock, const char *hint)
{
	struct vsw_tun_file_head *tf = container_of(sock, struct vsw_tun_file_head, socket);
	struct net_device *dev, *found = NULL;
	struct net *net;
	void *tun;

	ASSERT_RTNL();
	if (WARN_ON_ONCE(sock->sk != &tf->sk))
		return NULL;	/* tun's layout is not what we know */
	tun = rcu_dereference_protected(tf->tun, lockdep_rtnl_is_held());
	if (!tun)
		return NULL;
	dev = hint[0] ? __dev_get_by_name(sock_net(sock->sk), hint) : NULL;
	if (vsw_vhost_is_tun(dev, tun))
		return dev;
	/* renamed or moved meanwhile: look everywhere (rare, O(devices)) */
	rcu_read_lock();
	for_each_net_rcu(net) {
		for_each_netdev_rcu(net, dev) {
			if (vsw_vhost_is_tun(dev, tun)) {
				found = dev;
				goto out;
			}
		}
	}
out:
	rcu_read_unlock();
	return found;	/* registered: RTNL, tfile->tun */
}

/* vv->mutex. Attach to the vsw port that is the tap behind @file. */
static int vsw_vhost_bind(struct vsw_vhost *vv, struct file *file)
{
	char name[IFNAMSIZ] = "";
	struct net_device *dev;
	struct socket *sock;
	int err;

	sock = tun_get_socket(file);
	if (IS_ERR(sock))
		return -ENOTSOCK;
	/* a hint only: the device is identified by the file, not its name */
	if (vsw_vhost_tap_name(file, name))
		name[0] = '\0';

	rtnl_lock();
	dev = vsw_vhost_tun_dev(sock, name);
	if (!dev) {
		err = -EBADFD;		/* tap not attached to a device */
	} else {
		err = vsw_backend_attach(&vv->be, dev);
		if (err == -ENODEV)
			pr_info_ratelimited("%s is not a port of a vsw switch: enslave it first (ip link set %s master SWITCH)\n",
					    dev->name, dev->name);
		else if (err == -EBUSY)
			pr_info_ratelimited("%s is already served by another vhost-vsw device\n",
					    dev->name);
	}
	rtnl_unlock();
	if (!err)
		vv->bound = true;
	return err;
}

/* vv->mutex, no vq mutex. Start serving the tap behind @file. */
int vsw_vhost_bind_tap(struct vsw_vhost *vv, struct file *file)
{
	struct ptr_ring *ring;
	int err;

	err = vsw_vhost_bind(vv, file);
	if (err)
		return err;
	ring = tun_get_tx_ring(file);
	mutex_lock(&vv->vqs[VSW_VHOST_RX].mutex);
	vv->tap = file;
	vv->tap_ring = IS_ERR(ring) ? NULL : ring;
	mutex_unlock(&vv->vqs[VSW_VHOST_RX].mutex);
	/* frames tun queues (sent while we were not bound, or by the host
	 * stack to the tap itself) wake us like the switch's do
	 */
	vsw_vhost_poll_start(&vv->tap_poll, file);
	return 0;
}

/*
 * vv->mutex, no vq mutex. Give the tap back to its owner: frames still
 * waiting for the guest go to tun's queue, where the owner (QEMU's own
 * virtio, or this device once bound again) reads them, as with vhost-net.
 */
void vsw_vhost_unbind(struct vsw_vhost *vv)
{
	struct sk_buff *skb;
	struct socket *sock;
	bool woke = false;

	vsw_vhost_poll_stop(&vv->tap_poll);
	if (vv->bound) {
		rtnl_lock();
		vsw_backend_detach(&vv->be);	/* waits for xmit() */
		rtnl_unlock();
		vv->bound = false;
	}
	mutex_lock(&vv->vqs[VSW_VHOST_RX].mutex);
	while ((skb = __skb_dequeue(&vv->rx_backlog)) ||
	       (skb = ptr_ring_consume(&vv->rxq))) {
		if (!vv->tap_ring || ptr_ring_produce_bh(vv->tap_ring, skb)) {
			vsw_vhost_count(&vv->st.rx_dropped, 1);
			kfree_skb(skb);
			continue;
		}
		woke = true;
	}
	vv->tap_ring = NULL;
	mutex_unlock(&vv->vqs[VSW_VHOST_RX].mutex);
	if (vv->tap) {
		sock = tun_get_socket(vv->tap);
		if (woke && !IS_ERR(sock))
			sock->sk->sk_data_ready(sock->sk);
		fput(vv->tap);
	}
	vv->tap = NULL;
}
