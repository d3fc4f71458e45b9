/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vsw_vhost - what vhost.c (rings, frames, the vsw backend) and vhost_dev.c
 * (the character device: eventfds, ioctls) share: the per-open
 * device state and the few functions one calls in the other.
 */
#ifndef _VSW_VHOST_H
#define _VSW_VHOST_H

#include <linux/eventfd.h>
#include <linux/file.h>
#include <linux/if_tun.h>
#include <linux/kthread.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/ptr_ring.h>
#include <linux/sched/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <linux/vhost.h>
#include <linux/virtio_byteorder.h>
#include <linux/virtio_net.h>
#include <linux/virtio_ring.h>

#include "vsw.h"
#include "vsw_compat.h"

#define VSW_VHOST_RX			0
#define VSW_VHOST_TX			1
#define VSW_VHOST_NVQS			2
#define VSW_VHOST_WEIGHT		64	/* frames per queue and turn */
#define VSW_VHOST_QUEUE_LEN		1024	/* frames waiting for the guest (tun: 1000) */
#define VSW_VHOST_MAX_REGIONS		64
#define VSW_VHOST_MAX_FRAME		(65535 + VLAN_ETH_HLEN)
#define VSW_VHOST_COPYBREAK		2048	/* smaller frames are linear */
#define VSW_VHOST_HDR_MAX		sizeof(struct virtio_net_hdr_mrg_rxbuf)

#define VSW_VHOST_FEATURES	(BIT_ULL(VIRTIO_F_VERSION_1) |			\
			 BIT_ULL(VIRTIO_F_ANY_LAYOUT) |			\
			 BIT_ULL(VIRTIO_F_NOTIFY_ON_EMPTY) |		\
			 BIT_ULL(VIRTIO_NET_F_MRG_RXBUF) |		\
			 BIT_ULL(VIRTIO_RING_F_EVENT_IDX) |		\
			 BIT_ULL(VIRTIO_RING_F_INDIRECT_DESC))

/* x86 and every vhost user we serve is little-endian: VERSION_1 rings are
 * little-endian by definition and legacy ones are guest-native.
 */
#define vv16(v)		__virtio16_to_cpu(true, v)
#define vv32(v)		__virtio32_to_cpu(true, v)
#define vv64(v)		__virtio64_to_cpu(true, v)
#define to_vv16(v)	__cpu_to_virtio16(true, v)
#define to_vv32(v)	__cpu_to_virtio32(true, v)

struct vsw_vhost_mem {
	u32 nregions;
	struct vhost_memory_region regions[];
};

struct vsw_vhost;

/* A file we wait on (a kick eventfd, the tap): readable = work @work. */
struct vsw_vhost_poll {
	struct vsw_vhost *vv;
	unsigned int work;
	atomic64_t *count;		/* wakeups, or NULL */
	wait_queue_head_t *wqh;		/* non-NULL while polling */
	wait_queue_entry_t wait;
	poll_table pt;
};

struct vsw_vhost_vq {
	struct vsw_vhost *vv;
	unsigned int index;
	struct mutex mutex;		/* ring state; the worker holds it */

	/* ring, set up by ioctls; used by the worker under mutex */
	unsigned int num;
	struct vring_desc __user *desc;
	struct vring_avail __user *avail;
	struct vring_used __user *used;
	u16 last_avail_idx;
	u16 avail_idx;			/* last avail->idx read */
	u16 last_used_idx;
	u16 signalled_used;
	bool signalled_used_valid;
	bool ready;			/* backend set: the worker runs it */
	bool broken;			/* ring error: stopped until set up */

	struct file *kick;
	struct vsw_vhost_poll kick_poll;
	struct eventfd_ctx *call;
	struct eventfd_ctx *err;

	struct iovec iov[UIO_MAXIOV];
	u16 heads[UIO_MAXIOV];		/* RX: buffers of one frame */
	u32 lens[UIO_MAXIOV];
};

struct vsw_vhost_stats {
	u64 rx_packets, rx_bytes, rx_dropped;
	u64 tx_packets, tx_bytes, tx_dropped;
	u64 ring_errors, signals;
};

struct vsw_vhost {
	struct mutex mutex;		/* ioctls */
	struct mm_struct *mm;		/* the owner's */
	struct vsw_worker worker;	/* in the owner's cgroups */
	bool has_worker;
	unsigned long pending;		/* BIT(vq index): work to do */

	u64 features;
	unsigned int hdr_len;		/* virtio-net header in the rings */
	struct vsw_vhost_mem *mem;		/* changed under all vq mutexes */

	struct file *tap;		/* the backend, both queues */
	struct ptr_ring *tap_ring;	/* tun's queue of the tap: frames the
					 * host sent it while we were not
					 * bound, or not through the switch
					 */
	struct vsw_vhost_poll tap_poll;
	struct vsw_backend be;
	bool bound;			/* be attached to a port */

	struct ptr_ring rxq;		/* frames for the guest (xmit) */
	struct sk_buff_head rx_backlog;	/* next frame, waiting for buffers */

	struct vsw_vhost_stats st;		/* written under the vq mutexes */
	atomic64_t rx_dropped;		/* rxq full (softirq) */
	atomic64_t kicks;

	struct vsw_vhost_vq vqs[VSW_VHOST_NVQS];
};

/* vhost_dev.c */
void vsw_vhost_poll_stop(struct vsw_vhost_poll *p);
int vsw_vhost_poll_start(struct vsw_vhost_poll *p, struct file *file);

/* vhost.c */
extern const struct vsw_backend_ops vsw_vhost_backend_ops;
void vsw_vhost_queue_work(struct vsw_vhost *vv, unsigned int index);
bool vsw_vhost_work(void *data);
void vsw_vhost_worker_killed(void *data);
int vsw_vhost_bind_tap(struct vsw_vhost *vv, struct file *file);
void vsw_vhost_unbind(struct vsw_vhost *vv);

#endif /* _VSW_VHOST_H */
