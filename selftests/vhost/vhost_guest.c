// SPDX-License-Identifier: GPL-2.0
/*
 * vhost_guest - a userspace virtio-net "guest" driving a vhost-net style
 * character device (/dev/vhost-vsw, or the stock /dev/vhost-net) the way
 * QEMU does, then exchanging Ethernet frames through it.
 *
 * Each guest owns split virtqueues (RX = vq 0, TX = vq 1) in one anonymous
 * mapping which is also its only memory-table region, identity mapped
 * (guest physical address == pointer), like tools/virtio/vhost_net_test.c.
 * The backend of both vqs is a persistent tap the caller created and
 * enslaved ("ip tuntap add dev NAME mode tap vnet_hdr"), attached by name.
 *
 * Ring protocol (driver side): descriptors and the avail ring entry are
 * plain stores, then a release store of avail->idx; used->idx is read with
 * an acquire load before its entries and buffers. A full barrier separates
 * publishing avail->idx from reading avail_event / used->flags (kick
 * decision) and writing used_event from re-checking used->idx (before
 * sleeping on the call eventfd). All waits use poll() with timeouts.
 *
 * Usage: see usage() below (the command line is a contract of the
 * selftests). Exit status: 0 success, 1 test failure (one-line reason on
 * stderr), 2 usage or setup error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <linux/if_tun.h>
#include <linux/vhost.h>
#include <linux/virtio_config.h>
#include <linux/virtio_net.h>
#include <linux/virtio_ring.h>

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "little-endian hosts only (legacy virtio rings are native endian)"
#endif

#define READ_ONCE(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
#define load_acquire(x)		__atomic_load_n(&(x), __ATOMIC_ACQUIRE)
#define store_release(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELEASE)
#define smp_mb()		__atomic_thread_fence(__ATOMIC_SEQ_CST)

enum { RXQ = 0, TXQ = 1, NVQ = 2 };

#define TXBUF		2048u		/* per-head TX buffer */
#define IND_MAX		4u		/* entries of a per-head indirect table */
#define SCRATCH		(256u << 10)	/* hostile chains live here */
#define HOLE		(64u << 10)	/* its end: unmapped by case unmapped */
#define OVERSIZED_N	1100u		/* > UIO_MAXIOV and > any test qsize */
#define MAX_FRAME	(128u << 10)
#define ETH_P_DATA	0x88b5
#define ETH_P_LEARN	0x88b6
#define IDLE_TIMEOUT_MS	15000
#define RESTART_QUEUED	8u		/* frames queued while stopped */
#define NOREFILL_COUNT	2000u
/*
 * xfer: frames one guest has queued for the other and the other has not
 * received yet. A device may drop what it cannot hold while the receiver
 * does not keep up (vhost-vsw queues up to 1024 frames per guest, tun
 * tx_queue_len = 1000 frames for vhost-net), which is correct behaviour,
 * not a fault; so the sender waits for the receiver beyond this window.
 * Frames, not buffers: with MRG_RXBUF and small RX buffers a frame takes
 * several of the receiver's buffers, so fewer of them sit in its RX ring and
 * more in the device's queue, but never more than the window. Half of the
 * smallest queue: the other half is room for frames not of this transfer
 * (learning broadcasts, flooding).
 */
#define XFER_WINDOW	500u
#define GSO_MSS		1448u		/* gso_size of the TCP super frames */
#define GSO_HDRS	(14u + 20u + 20u)	/* Ethernet + IPv4 + TCP */
#define GSO_MAX_LEN	(65535u - 40u)	/* payload: IPv4 total length <= 64 KiB */
#define GSO_SLOTS	4u		/* super frames in flight */
#define GSO_SLOT	(72u << 10)	/* vnet header, frame, indirect table */
#define GSO_TABLE	(68u << 10)	/* offset of the table in a slot */
#define GSO_ISN		0xfffe0000u	/* the default run wraps the seq space */
#define ALL_OFFLOADS	(TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6)
#define GUARD		(64u << 10)	/* after mem, outside the table */
#define CANARY		0x5a		/* in memory outside the table */
#define ETH_P_FUZZ	0x88b7

static struct {
	const char *dev;
	unsigned int qsize, rx_buf, offloads, size, batch, hostile_len;
	bool no_mrg, no_event_idx, no_indirect, no_v1, verbose, bench;
	bool gso, count_set, unplug_close, fuzz, check_each;
	uint64_t seed;
	const char *before_bind;
	uint32_t count, allow_loss, gso_len;
	int tag_a, tag_b;
	uint8_t mac_a[6], mac_b[6];
	double seconds;
	const char *then, *while_held;
} opt = {
	.seed = 1,
	.dev = "/dev/vhost-vsw",
	.qsize = 256,
	.rx_buf = 2048,
	.offloads = ALL_OFFLOADS,
	.batch = 32,
	.hostile_len = 1000,
	.count = 1000,
	.tag_a = -1,
	.tag_b = -1,
	.mac_a = { 0x02, 0, 0, 0, 0, 0x0a },
	.mac_b = { 0x02, 0, 0, 0, 0, 0x0b },
	.seconds = 5,
	.gso_len = 20000,
};

/* exit status of an ioctl failure: setup error until the first xfer runs */
static int ioctl_rc = 2;

struct vq {
	int index;
	unsigned int num;
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
	uint16_t avail_idx;	/* next avail index to publish */
	uint16_t kick_old;	/* avail index at the last kick decision */
	uint16_t last_used;	/* next used entry to read */
	uint16_t *free;		/* stack of free descriptors */
	unsigned int nfree;
	uint16_t *next;		/* our copy of the chain links */
	uint16_t *chain;	/* at a posted head: descriptors in its chain */
	struct vring_desc *indir;	/* TX: IND_MAX entries per head */
	uint8_t *buf;		/* TX: TXBUF per head; RX: rx_buf per desc */
	int kick, call, err;
	unsigned int base;	/* from VHOST_GET_VRING_BASE */
	unsigned int errors;	/* error eventfd signals seen */
	uint64_t err_total;	/* ... since the device was opened */
	unsigned int start_base;	/* base of the last vq_start */
	uint64_t consumed;	/* avail entries the device took (stopped) */
	long bad_head;		/* hostile: the head made bad, -1: none */
	bool bad_used;		/* ... and the device returned it */
};

struct guest {
	const char *name, *tap;
	int fd, tapfd;
	uint8_t mac[6], peer[6];
	int tag;		/* VID sent and expected, -1: untagged */
	uint64_t features;
	unsigned int hdr_len, rx_ndesc, offloads;
	bool mrg, event_idx, indirect;
	bool rx_big;		/* no MRG_RXBUF: RX chains of 64 KiB (GSO) */
	uint8_t *mem, *mem2, *outside, *scratch, *hole, *gso_buf;
	size_t mem_size, mem2_size;
	bool use_mem2;		/* mem2 is in the table: TX data of odd seq */
	struct vq vq[NVQ];
	bool rx_hold;		/* post no RX buffers */
	bool rx_readonly_next;	/* hostile: next RX buffer lacks WRITE */
	bool expect_err;	/* hostile: error signals are expected */
	bool checking;		/* check data frames (else: stale, dropped) */
	bool hostile_rx;	/* any data frame is a failure */
	bool got_learn;
	bool gso_rx;		/* IPv4 from the peer: gso super frame checks */
	uint8_t *frame;		/* RX reassembly */
	size_t frame_len;
	unsigned int frags_left, rx_gso;
	struct virtio_net_hdr rx_hdr;	/* of the frame being reassembled */
	uint32_t run, peer_run;
	uint32_t tx_seq, tx_target, tx_done;
	uint32_t window;	/* xfer: max frames sent, not yet received by
				 * the peer (XFER_WINDOW); 0: unbounded */
	struct guest *peer_g;	/* the receiver of our data frames */
	uint32_t rx_next, rx_count, rx_lost, rx_other, rx_stale;
	uint64_t rx_last_ns;
	unsigned long progress;
	uint64_t tx_used_total;	/* TX used entries since the open */
	bool sctp_rx;		/* check IPv4/SCTP frames' CRC32c */
	uint32_t sctp_ok;
	uint8_t *guard;		/* mapped right after mem, not in the table */
};

static void vlog(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void vlog(const char *fmt, ...)
{
	va_list ap;

	if (!opt.verbose)
		return;
	va_start(ap, fmt);
	fputs("vhost_guest: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static void die(int rc, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));
static void die(int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs(rc == 1 ? "vhost_guest: FAIL: " : "vhost_guest: ERROR: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(rc);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* An ioctl blocked for 30 s (a device bug) fails the test, no hang. */
static const char *volatile in_ioctl;

static void watchdog(int sig)
{
	static const char m[] = "vhost_guest: FAIL: ioctl blocked for 30 s: ";
	const char *w = in_ioctl ? in_ioctl : "?";

	(void)sig;
	if (write(2, m, sizeof(m) - 1) < 0 || write(2, w, strlen(w)) < 0 || write(2, "\n", 1) < 0)
		_exit(1);
	_exit(1);
}

static void xioctl(struct guest *g, int fd, unsigned long req, void *arg, const char *what)
{
	int r;

	in_ioctl = what;
	alarm(30);
	r = ioctl(fd, req, arg);
	alarm(0);
	if (r < 0)
		die(ioctl_rc, "%s: %s: %s", g->name, what, strerror(errno));
}

static void put16(uint8_t *p, uint16_t v) { p[0] = v >> 8; p[1] = v; }
static uint16_t get16(const uint8_t *p) { return p[0] << 8 | p[1]; }
static void put32(uint8_t *p, uint32_t v) { put16(p, v >> 16); put16(p + 2, v); }
static uint32_t get32(const uint8_t *p) { return (uint32_t)get16(p) << 16 | get16(p + 2); }

static const char *mac_str(const uint8_t *m)
{
	static char s[4][18];
	static int i;

	i = (i + 1) % 4;
	snprintf(s[i], sizeof(s[i]), "%02x:%02x:%02x:%02x:%02x:%02x",
		 m[0], m[1], m[2], m[3], m[4], m[5]);
	return s[i];
}

/* ------------------------------------------------------------- frames ---- */

static size_t frame_ulen(uint32_t seq)
{
	if (opt.size)
		return opt.size;
	if (seq % 100 == 99)
		return 1514;
	return 60 + (seq * 197u) % 1455;	/* 60..1514 */
}

static uint8_t pattern(uint32_t seq, uint32_t run, size_t i)
{
	return (uint8_t)(seq * 13u + run + i * 7u + (i >> 8));
}

/* Frame of untagged length ulen (+4 when g sends tagged). Payload: seq,
 * run, pattern. */
static size_t build_frame(struct guest *g, uint8_t *f, const uint8_t *dst,
			  uint16_t type, uint32_t seq, size_t ulen)
{
	size_t off = 12, i, plen = ulen - 14;
	uint8_t *p;

	memcpy(f, dst, 6);
	memcpy(f + 6, g->mac, 6);
	if (g->tag >= 0) {
		put16(f + 12, 0x8100);
		put16(f + 14, g->tag);
		off = 16;
	}
	put16(f + off, type);
	p = f + off + 2;
	put32(p, seq);
	put32(p + 4, g->run);
	for (i = 8; i < plen; i++)
		p[i] = pattern(seq, g->run, i);
	return off + 2 + plen;
}

static void gso_rx_frame(struct guest *g, const uint8_t *f, size_t len);
static void sctp_rx_frame(struct guest *g, const uint8_t *f, size_t len);

/*
 * What the device says it dropped towards @g, for a failure message: the
 * vsw port's backend rx_dropped (vswctl; vhost-vsw) and the tap's
 * tx_dropped (tun's queue full; vhost-net, or vhost-vsw while detached).
 * Counters since the device was opened / the tap was created.
 */
static const char *drops_of(const struct guest *g)
{
	static char bufs[2][256];	/* two calls in one message */
	static unsigned int k;
	char *msg = bufs[k++ % 2];
	char path[128], buf[8192], *p;
	unsigned long long be = 0, tun = 0;
	bool have_be = false, have_tun = false;
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/net/%s/statistics/tx_dropped", g->tap);
	f = fopen(path, "r");
	if (f) {
		have_tun = fscanf(f, "%llu", &tun) == 1;
		fclose(f);
	}
	if (strstr(opt.dev, "vhost-vsw")) {
		snprintf(buf, sizeof(buf), "vswctl -j -s port show %s 2>/dev/null", g->tap);
		f = popen(buf, "r");
		if (f) {
			n = fread(buf, 1, sizeof(buf) - 1, f);
			buf[n] = 0;
			pclose(f);
			p = strstr(buf, "\"backend\"");
			p = p ? strstr(p, "\"rx_dropped\":") : NULL;
			have_be = p && sscanf(p + 13, "%llu", &be) == 1;
		}
	}
	n = snprintf(msg, sizeof(bufs[0]), "the device counted as dropped towards %s (%s): ",
		     g->name, g->tap);
	if (have_be)
		n += snprintf(msg + n, sizeof(bufs[0]) - n, "backend rx_dropped %llu, ", be);
	if (have_tun)
		snprintf(msg + n, sizeof(bufs[0]) - n, "tap tx_dropped %llu", tun);
	else
		snprintf(msg + n, sizeof(bufs[0]) - n, "tap tx_dropped unknown");
	return msg;
}

static void handle_frame(struct guest *g, const uint8_t *f, size_t len)
{
	size_t off = 12, ulen = len, plen, i;
	bool tagged = false;
	uint16_t type, tci = 0;
	uint32_t seq, run;
	const uint8_t *p;

	if (len < 14) {
		g->rx_other++;
		return;
	}
	type = get16(f + 12);
	if (type == 0x8100 && len >= 18) {
		tagged = true;
		tci = get16(f + 14);
		type = get16(f + 16);
		off = 16;
		ulen -= 4;
	}
	if (type == ETH_P_LEARN) {
		if (!memcmp(f + 6, g->peer, 6))
			g->got_learn = true;
		return;
	}
	if (type == 0x0800 && g->gso_rx && !tagged) {
		gso_rx_frame(g, f, len);
		return;
	}
	if (type == 0x0800 && g->sctp_rx && !tagged && len >= 14 + 20 + 12 &&
	    f[14 + 9] == 132) {
		sctp_rx_frame(g, f, len);
		return;
	}
	if (type != ETH_P_DATA) {
		g->rx_other++;
		return;
	}
	p = f + off + 2;
	plen = ulen - 14;
	if (g->hostile_rx)
		die(1, "%s received a frame (%zu bytes from %s) while its peer's ring was hostile: derived from the bad chain",
		    g->name, len, mac_str(f + 6));
	if (!g->checking) {
		g->rx_stale++;
		return;
	}
	g->rx_last_ns = now_ns();
	if (memcmp(f + 6, g->peer, 6) || memcmp(f, g->mac, 6))
		die(1, "%s: data frame %s -> %s, expected %s -> %s", g->name,
		    mac_str(f + 6), mac_str(f), mac_str(g->peer), mac_str(g->mac));
	if (g->tag >= 0 && (!tagged || tci != g->tag))
		die(1, "%s: frame received %s, expected 802.1Q tag %d", g->name,
		    tagged ? "with another tag" : "untagged", g->tag);
	if (g->tag < 0 && tagged)
		die(1, "%s: frame received with 802.1Q tag 0x%04x, expected untagged",
		    g->name, tci);
	if (g->rx_gso != VIRTIO_NET_HDR_GSO_NONE)
		die(1, "%s: frame with vnet gso_type %u", g->name, g->rx_gso);
	if (plen < 8)
		die(1, "%s: runt data frame, %zu bytes", g->name, ulen);
	seq = get32(p);
	run = get32(p + 4);
	if (run != g->peer_run && opt.fuzz) {
		/* fuzz: random rings can make a device send old frames
		 * again (from buffers a random chain points at)
		 */
		g->rx_stale++;
		return;
	}
	if (run != g->peer_run)
		die(1, "%s: stale or foreign frame (run %08x, seq %u; expected run %08x)",
		    g->name, run, seq, g->peer_run);
	if (seq < g->rx_next)
		die(1, "%s: frame seq %u after seq %u: duplicated or reordered",
		    g->name, seq, g->rx_next - 1);
	if (seq > g->rx_next) {
		g->rx_lost += seq - g->rx_next;
		if (g->rx_lost > opt.allow_loss)
			die(1, "%s: frame seq %u missing (next received: %u): %u lost; %s",
			    g->name, g->rx_next, seq, seq - g->rx_next, drops_of(g));
	}
	if (ulen != frame_ulen(seq))
		die(1, "%s: frame seq %u: length %zu, expected %zu", g->name,
		    seq, ulen, frame_ulen(seq));
	if (!opt.bench) {
		for (i = 8; i < plen; i++)
			if (p[i] != pattern(seq, run, i))
				die(1, "%s: frame seq %u: payload byte %zu is 0x%02x, expected 0x%02x",
				    g->name, seq, i, p[i], pattern(seq, run, i));
	}
	g->rx_next = seq + 1;
	g->rx_count++;
}

/* -------------------------------------------------------------- rings ---- */

static uint16_t *used_event(struct vq *vq) { return &vq->avail->ring[vq->num]; }
static uint16_t *avail_event(struct vq *vq) { return (uint16_t *)&vq->used->ring[vq->num]; }

static int chain_alloc(struct vq *vq, unsigned int n)
{
	unsigned int k;
	uint16_t head, prev, d;

	if (!n || vq->nfree < n)
		return -1;
	head = prev = vq->free[--vq->nfree];
	for (k = 1; k < n; k++) {
		d = vq->free[--vq->nfree];
		vq->next[prev] = d;
		vq->desc[prev].next = d;
		vq->desc[prev].flags = VRING_DESC_F_NEXT;
		prev = d;
	}
	vq->desc[prev].flags = 0;
	vq->desc[prev].next = 0;
	vq->chain[head] = n;
	return head;
}

static void chain_free(struct vq *vq, uint16_t head)
{
	unsigned int n = vq->chain[head];
	uint16_t i = head;

	vq->chain[head] = 0;
	while (n--) {
		vq->free[vq->nfree++] = i;
		i = vq->next[i];
	}
}

static void avail_add(struct vq *vq, uint16_t head)
{
	WRITE_ONCE(vq->avail->ring[vq->avail_idx % vq->num], head);
	vq->avail_idx++;
}

static void publish(struct vq *vq)
{
	store_release(vq->avail->idx, vq->avail_idx);
}

static void kick_now(struct guest *g, struct vq *vq)
{
	uint64_t one = 1;

	if (write(vq->kick, &one, sizeof(one)) != sizeof(one))
		die(1, "%s: kick eventfd write: %s", g->name, strerror(errno));
}

/* Publish and kick if the device asked for it (EVENT_IDX: avail_event,
 * else used->flags). */
static void kick(struct guest *g, struct vq *vq)
{
	uint16_t old = vq->kick_old, new = vq->avail_idx;
	bool need;

	publish(vq);
	if (old == new)
		return;
	smp_mb();
	vq->kick_old = new;
	if (g->event_idx)
		need = vring_need_event(READ_ONCE(*avail_event(vq)), new, old);
	else
		need = !(READ_ONCE(vq->used->flags) & VRING_USED_F_NO_NOTIFY);
	if (need)
		kick_now(g, vq);
}

static uint16_t used_idx(struct guest *g, struct vq *vq)
{
	uint16_t idx = load_acquire(vq->used->idx);

	if ((uint16_t)(idx - vq->last_used) > vq->num)
		die(1, "%s %s: used->idx jumped from %u to %u (ring size %u)",
		    g->name, vq->index ? "TX" : "RX", vq->last_used, idx, vq->num);
	return idx;
}

static void tx_reap(struct guest *g)
{
	struct vq *vq = &g->vq[TXQ];
	uint16_t idx = used_idx(g, vq);
	uint32_t id;

	while (vq->last_used != idx) {
		id = READ_ONCE(vq->used->ring[vq->last_used % vq->num].id);
		vq->last_used++;
		g->progress++;
		g->tx_used_total++;
		if ((long)id == vq->bad_head) {
			vq->bad_used = true;
			if (id < vq->num && vq->chain[id])
				chain_free(vq, id);
			continue;
		}
		if (id >= vq->num || !vq->chain[id])
			die(1, "%s TX: used entry id %u is not a posted head", g->name, id);
		chain_free(vq, id);
		g->tx_done++;
	}
}

static void rx_append(struct guest *g, uint16_t head, uint32_t len)
{
	struct vq *vq = &g->vq[RXQ];
	size_t pos = 0, c, skip = 0;
	uint16_t i = head;
	unsigned int k;

	if (!g->frags_left) {
		struct virtio_net_hdr_mrg_rxbuf h = { 0 };

		if (len < g->hdr_len)
			die(1, "%s RX: used len %u shorter than the vnet header (%u)",
			    g->name, len, g->hdr_len);
		memcpy(&h, vq->buf + (size_t)head * opt.rx_buf, g->hdr_len);
		g->rx_hdr = h.hdr;
		g->rx_gso = h.hdr.gso_type & ~VIRTIO_NET_HDR_GSO_ECN;
		g->frags_left = g->mrg ? h.num_buffers : 1;
		if (!g->frags_left || g->frags_left > vq->num)
			die(1, "%s RX: num_buffers %u (ring size %u)", g->name,
			    g->frags_left, vq->num);
		g->frame_len = 0;
		skip = g->hdr_len;
	}
	for (k = 0; k < vq->chain[head] && pos < len; k++, i = vq->next[i]) {
		c = len - pos < opt.rx_buf ? len - pos : opt.rx_buf;
		if (g->frame_len + c - skip > MAX_FRAME)
			die(1, "%s RX: frame longer than %u bytes", g->name, MAX_FRAME);
		memcpy(g->frame + g->frame_len, vq->buf + (size_t)i * opt.rx_buf + skip, c - skip);
		g->frame_len += c - skip;
		pos += c;
		skip = 0;
	}
	if (--g->frags_left == 0)
		handle_frame(g, g->frame, g->frame_len);
}

static void rx_reap(struct guest *g)
{
	struct vq *vq = &g->vq[RXQ];
	uint16_t idx = used_idx(g, vq);
	uint32_t id, len;

	while (vq->last_used != idx) {
		id = READ_ONCE(vq->used->ring[vq->last_used % vq->num].id);
		len = READ_ONCE(vq->used->ring[vq->last_used % vq->num].len);
		vq->last_used++;
		g->progress++;
		if ((long)id == vq->bad_head) {
			vq->bad_used = true;
			if (id < vq->num && vq->chain[id])
				chain_free(vq, id);
			continue;
		}
		if (id >= vq->num || !vq->chain[id])
			die(1, "%s RX: used entry id %u is not a posted head", g->name, id);
		if (len > vq->chain[id] * opt.rx_buf)
			die(1, "%s RX: used len %u > buffer size %u", g->name, len,
			    vq->chain[id] * opt.rx_buf);
		rx_append(g, id, len);
		chain_free(vq, id);
	}
}

static void rx_refill(struct guest *g)
{
	struct vq *vq = &g->vq[RXQ];
	unsigned int k;
	uint16_t i;
	int head;

	while (!g->rx_hold && (head = chain_alloc(vq, g->rx_ndesc)) >= 0) {
		for (k = 0, i = head; k < g->rx_ndesc; k++, i = vq->next[i]) {
			vq->desc[i].addr = (uintptr_t)(vq->buf + (size_t)i * opt.rx_buf);
			vq->desc[i].len = opt.rx_buf;
			vq->desc[i].flags |= VRING_DESC_F_WRITE;
		}
		if (g->rx_readonly_next) {
			g->rx_readonly_next = false;
			vq->desc[head].flags &= ~VRING_DESC_F_WRITE;
			vq->bad_head = head;
		}
		avail_add(vq, head);
	}
}

static void set_desc(struct vring_desc *d, const void *addr, uint32_t len, uint16_t flags)
{
	d->addr = (uintptr_t)addr;
	d->len = len;
	d->flags = flags;
}

/* Queue one frame; layout (seq % 4): 0 header+frame in one descriptor,
 * 1 header and frame in two, 2 the same through an indirect table,
 * 3 header + frame in two halves (indirect when negotiated). */
static bool tx_frame(struct guest *g, const uint8_t *dst, uint16_t type,
		     uint32_t seq, size_t ulen, unsigned int layout)
{
	struct vq *vq = &g->vq[TXQ];
	uint8_t *slot, *data;
	struct vring_desc *t;
	unsigned int nd[4] = { 1, 2, g->indirect ? 1 : 2, g->indirect ? 1 : 3 };
	size_t flen, h;
	int head;
	uint16_t i;

	head = chain_alloc(vq, nd[layout]);
	if (head < 0)
		return false;
	slot = vq->buf + (size_t)head * TXBUF;
	memset(slot, 0, g->hdr_len);
	data = layout ? slot + 64 : slot + g->hdr_len;
	if (layout && g->use_mem2 && (seq & 1))
		data = g->mem2 + (size_t)head * TXBUF;
	flen = build_frame(g, data, dst, type, seq, ulen);
	h = flen / 2;
	i = vq->next[head];
	switch (layout) {
	case 0:
		set_desc(&vq->desc[head], slot, g->hdr_len + flen, 0);
		break;
	case 1:
		set_desc(&vq->desc[head], slot, g->hdr_len, VRING_DESC_F_NEXT);
		set_desc(&vq->desc[i], data, flen, 0);
		break;
	default:
		if (!g->indirect) {
			set_desc(&vq->desc[head], slot, g->hdr_len, VRING_DESC_F_NEXT);
			if (layout == 2) {
				set_desc(&vq->desc[i], data, flen, 0);
				break;
			}
			set_desc(&vq->desc[i], data, h, VRING_DESC_F_NEXT);
			set_desc(&vq->desc[vq->next[i]], data + h, flen - h, 0);
			break;
		}
		t = vq->indir + (size_t)head * IND_MAX;
		set_desc(&t[0], slot, g->hdr_len, VRING_DESC_F_NEXT);
		t[0].next = 1;
		if (layout == 2) {
			set_desc(&t[1], data, flen, 0);
		} else {
			set_desc(&t[1], data, h, VRING_DESC_F_NEXT);
			t[1].next = 2;
			set_desc(&t[2], data + h, flen - h, 0);
		}
		set_desc(&vq->desc[head], t, (layout == 2 ? 2 : 3) * sizeof(*t),
			 VRING_DESC_F_INDIRECT);
		break;
	}
	avail_add(vq, head);
	return true;
}

static void tx_fill(struct guest *g)
{
	struct vq *vq = &g->vq[TXQ];
	unsigned int n = 0;

	while (g->tx_seq < g->tx_target &&
	       (!g->window || g->tx_seq - g->peer_g->rx_next < g->window) &&
	       tx_frame(g, g->peer, ETH_P_DATA, g->tx_seq, frame_ulen(g->tx_seq), g->tx_seq % 4)) {
		g->tx_seq++;
		if (++n % opt.batch == 0)
			kick(g, vq);
	}
	kick(g, vq);
}

static bool tx_idle(struct guest *g)
{
	return g->vq[TXQ].nfree == g->vq[TXQ].num;
}

static unsigned long pump(struct guest *g)
{
	unsigned long p = g->progress;

	tx_reap(g);
	rx_reap(g);
	rx_refill(g);
	kick(g, &g->vq[RXQ]);
	tx_fill(g);
	return g->progress - p;
}

static unsigned long pump2(struct guest *a, struct guest *b)
{
	unsigned long p = pump(a);

	return p + pump(b);
}

/* Sleep until a call (or error) eventfd fires or timeout_ms pass; first
 * ask for a call at the next used entry and re-check (no lost wakeup). */
static void wait_guests(struct guest **gs, int n, int timeout_ms)
{
	struct pollfd p[4 * NVQ];
	struct vq *vqs[4 * NVQ];
	struct guest *owner[4 * NVQ];
	int i, q, k = 0;
	uint64_t v;

	for (i = 0; i < n; i++)
		for (q = 0; q < NVQ; q++)
			if (gs[i]->event_idx)
				WRITE_ONCE(*used_event(&gs[i]->vq[q]), gs[i]->vq[q].last_used);
	smp_mb();
	for (i = 0; i < n; i++) {
		for (q = 0; q < NVQ; q++) {
			struct vq *vq = &gs[i]->vq[q];

			if (load_acquire(vq->used->idx) != vq->last_used)
				timeout_ms = 0;
			p[k] = (struct pollfd){ .fd = vq->call, .events = POLLIN };
			vqs[k] = NULL;
			owner[k++] = gs[i];
			p[k] = (struct pollfd){ .fd = vq->err, .events = POLLIN };
			vqs[k] = vq;
			owner[k++] = gs[i];
		}
	}
	if (poll(p, k, timeout_ms) < 0 && errno != EINTR)
		die(1, "poll: %s", strerror(errno));
	for (i = 0; i < k; i++) {
		if (!(p[i].revents & POLLIN) || read(p[i].fd, &v, sizeof(v)) != sizeof(v))
			continue;
		if (!vqs[i])
			continue;
		vqs[i]->errors += v;
		vqs[i]->err_total += v;
		if (!owner[i]->expect_err)
			die(1, "%s %s vq: the device signalled its error eventfd",
			    owner[i]->name, vqs[i]->index ? "TX" : "RX");
		vlog("%s %s vq: error eventfd signalled", owner[i]->name,
		     vqs[i]->index ? "TX" : "RX");
	}
}

/* ------------------------------------------------------------- device ---- */

static size_t layout(struct guest *g, bool apply)
{
	size_t off = 0, n = opt.qsize;
	int q;

#define CARVE(ptr, len, align) do {						\
		off = (off + (align) - 1) & ~((size_t)(align) - 1);		\
		if (apply)							\
			(ptr) = (void *)(g->mem + off);				\
		off += (len);							\
	} while (0)
	for (q = 0; q < NVQ; q++) {
		struct vq *vq = &g->vq[q];

		CARVE(vq->desc, 16 * n, 4096);
		CARVE(vq->avail, 4 + 2 * n + 2, 2);
		CARVE(vq->used, 4 + 8 * n + 2, 4096);
	}
	CARVE(g->vq[TXQ].indir, n * IND_MAX * 16, 4096);
	CARVE(g->vq[TXQ].buf, n * TXBUF, 4096);
	CARVE(g->vq[RXQ].buf, n * opt.rx_buf, 4096);
	CARVE(g->gso_buf, opt.gso ? GSO_SLOTS * GSO_SLOT : 0, 4096);
	CARVE(g->scratch, SCRATCH, 4096);
#undef CARVE
	if (apply)
		g->hole = g->scratch + SCRATCH - HOLE;
	return off;
}

static void *map_anon(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die(2, "mmap %zu bytes: %s", len, strerror(errno));
	return p;
}

static void guest_init(struct guest *g, const char *name, const char *tap,
		       const uint8_t *mac, const uint8_t *peer, int tag)
{
	struct ifreq ifr = { 0 };
	int q;

	g->name = name;
	g->tap = tap;
	memcpy(g->mac, mac, 6);
	memcpy(g->peer, peer, 6);
	g->tag = tag;
	g->mem_size = (layout(g, false) + (2u << 20) - 1) & ~((size_t)(2u << 20) - 1);
	if (g->mem_size < (4u << 20))
		g->mem_size = 4u << 20;
	/* a guard area right after the table's region: never to be touched */
	g->mem = map_anon(g->mem_size + GUARD);
	g->guard = g->mem + g->mem_size;
	memset(g->guard, CANARY, GUARD);
	layout(g, true);
	g->mem2_size = ((size_t)opt.qsize * TXBUF + (1u << 20) - 1) & ~((size_t)(1u << 20) - 1);
	g->mem2 = map_anon(g->mem2_size);
	g->outside = map_anon(64u << 10);
	memset(g->outside, CANARY, 64u << 10);
	g->frame = malloc(MAX_FRAME);
	for (q = 0; q < NVQ; q++) {
		struct vq *vq = &g->vq[q];

		vq->index = q;
		vq->num = opt.qsize;
		vq->free = calloc(vq->num, sizeof(*vq->free));
		vq->next = calloc(vq->num, sizeof(*vq->next));
		vq->chain = calloc(vq->num, sizeof(*vq->chain));
		vq->kick = vq->call = vq->err = -1;
		if (!vq->free || !vq->next || !vq->chain)
			die(2, "out of memory");
	}
	if (!g->frame)
		die(2, "out of memory");
	g->fd = open(opt.dev, O_RDWR | O_CLOEXEC);
	if (g->fd < 0)
		die(2, "%s: open %s: %s", name, opt.dev, strerror(errno));
	g->tapfd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (g->tapfd < 0)
		die(2, "%s: open /dev/net/tun: %s", name, strerror(errno));
	if (strlen(tap) >= IFNAMSIZ)
		die(2, "tap name too long: %s", tap);
	strcpy(ifr.ifr_name, tap);
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR;
	xioctl(g, g->tapfd, TUNSETIFF, &ifr, "TUNSETIFF");
}

/* Forget all ring state; zero the memory (fresh rings, indexes from 0). */
static void guest_fresh(struct guest *g)
{
	int q;
	unsigned int i;

	memset(g->mem, 0, g->mem_size);
	for (q = 0; q < NVQ; q++) {
		struct vq *vq = &g->vq[q];

		vq->avail_idx = vq->kick_old = vq->last_used = 0;
		vq->nfree = vq->num;
		for (i = 0; i < vq->num; i++) {
			vq->free[i] = vq->num - 1 - i;
			vq->chain[i] = 0;
		}
		vq->bad_head = -1;
		vq->bad_used = false;
		vq->errors = 0;
	}
	g->frags_left = 0;
	g->use_mem2 = false;
}

static void set_mem_table(struct guest *g)
{
	unsigned int n = g->use_mem2 ? 2 : 1;
	struct vhost_memory *m = calloc(1, sizeof(*m) + n * sizeof(m->regions[0]));

	if (!m)
		die(2, "out of memory");
	m->nregions = n;
	m->regions[0].guest_phys_addr = (uintptr_t)g->mem;
	m->regions[0].userspace_addr = (uintptr_t)g->mem;
	m->regions[0].memory_size = g->mem_size;
	if (n == 2) {
		m->regions[1].guest_phys_addr = (uintptr_t)g->mem2;
		m->regions[1].userspace_addr = (uintptr_t)g->mem2;
		m->regions[1].memory_size = g->mem2_size;
	}
	xioctl(g, g->fd, VHOST_SET_MEM_TABLE, m, "VHOST_SET_MEM_TABLE");
	free(m);
}

static int new_eventfd(int old)
{
	int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);

	if (fd < 0)
		die(2, "eventfd: %s", strerror(errno));
	if (old >= 0)
		close(old);
	return fd;
}

static void vring_file(struct guest *g, unsigned long req, int index, int fd, const char *what)
{
	struct vhost_vring_file f = { .index = index, .fd = fd };

	xioctl(g, g->fd, req, &f, what);
}

/* SET_VRING_NUM, _BASE, _ADDR, _KICK (QEMU's vhost_virtqueue_start) */
static void vq_start(struct guest *g, struct vq *vq, unsigned int base)
{
	struct vhost_vring_state s = { .index = vq->index, .num = vq->num };
	struct vhost_vring_addr a = {
		.index = vq->index,
		.desc_user_addr = (uintptr_t)vq->desc,
		.avail_user_addr = (uintptr_t)vq->avail,
		.used_user_addr = (uintptr_t)vq->used,
	};

	xioctl(g, g->fd, VHOST_SET_VRING_NUM, &s, "VHOST_SET_VRING_NUM");
	vq->start_base = base;
	s.num = base;
	xioctl(g, g->fd, VHOST_SET_VRING_BASE, &s, "VHOST_SET_VRING_BASE");
	xioctl(g, g->fd, VHOST_SET_VRING_ADDR, &a, "VHOST_SET_VRING_ADDR");
	vring_file(g, VHOST_SET_VRING_KICK, vq->index, vq->kick, "VHOST_SET_VRING_KICK");
}

static void set_backends(struct guest *g, int fd)
{
	int q;

	for (q = 0; q < NVQ; q++)
		vring_file(g, VHOST_NET_SET_BACKEND, q, fd, "VHOST_NET_SET_BACKEND");
}

/* QEMU's order: owner, features, memory, per vq num/base/addr/kick/call
 * (and err), then the backend of each vq. */
static void guest_setup(struct guest *g)
{
	uint64_t offered, want = 0;
	int hdr, q;
	unsigned long off = g->offloads;

	guest_fresh(g);
	xioctl(g, g->fd, VHOST_SET_OWNER, NULL, "VHOST_SET_OWNER");
	xioctl(g, g->fd, VHOST_GET_FEATURES, &offered, "VHOST_GET_FEATURES");
	if (!opt.no_v1)
		want |= 1ull << VIRTIO_F_VERSION_1;
	if (!opt.no_mrg)
		want |= 1ull << VIRTIO_NET_F_MRG_RXBUF;
	if (!opt.no_event_idx)
		want |= 1ull << VIRTIO_RING_F_EVENT_IDX;
	if (!opt.no_indirect)
		want |= 1ull << VIRTIO_RING_F_INDIRECT_DESC;
	g->features = offered & want;
	xioctl(g, g->fd, VHOST_SET_FEATURES, &g->features, "VHOST_SET_FEATURES");
	g->mrg = g->features & (1ull << VIRTIO_NET_F_MRG_RXBUF);
	g->event_idx = g->features & (1ull << VIRTIO_RING_F_EVENT_IDX);
	g->indirect = g->features & (1ull << VIRTIO_RING_F_INDIRECT_DESC);
	g->hdr_len = (g->features & (1ull << VIRTIO_F_VERSION_1)) || g->mrg ?
		sizeof(struct virtio_net_hdr_mrg_rxbuf) : sizeof(struct virtio_net_hdr);
	g->rx_ndesc = g->mrg || opt.rx_buf >= 2048 ? 1 : (2048 + opt.rx_buf - 1) / opt.rx_buf;
	if (!g->mrg && g->rx_big)	/* virtio-net's "big packets" */
		g->rx_ndesc = (g->hdr_len + 14 + 65535 + opt.rx_buf - 1) / opt.rx_buf;
	if (g->rx_ndesc > opt.qsize)
		die(2, "--rx-buf %u without MRG_RXBUF needs %u descriptors per buffer (> qsize)",
		    opt.rx_buf, g->rx_ndesc);
	vlog("%s: features offered %#llx, negotiated %#llx (vnet header %u, %u desc/RX buffer)",
	     g->name, (unsigned long long)offered, (unsigned long long)g->features,
	     g->hdr_len, g->rx_ndesc);
	hdr = g->hdr_len;
	xioctl(g, g->tapfd, TUNSETVNETHDRSZ, &hdr, "TUNSETVNETHDRSZ");
	xioctl(g, g->tapfd, TUNSETOFFLOAD, (void *)(uintptr_t)off, "TUNSETOFFLOAD");
	set_mem_table(g);
	for (q = 0; q < NVQ; q++) {
		struct vq *vq = &g->vq[q];

		vq->kick = new_eventfd(vq->kick);
		vq->call = new_eventfd(vq->call);
		vq->err = new_eventfd(vq->err);
		vq_start(g, vq, 0);
		vring_file(g, VHOST_SET_VRING_CALL, q, vq->call, "VHOST_SET_VRING_CALL");
		vring_file(g, VHOST_SET_VRING_ERR, q, vq->err, "VHOST_SET_VRING_ERR");
	}
	rx_refill(g);
	publish(&g->vq[RXQ]);
	if (opt.before_bind) {	/* taps attached and set up, none bound yet */
		const char *cmd = opt.before_bind;
		int st = system(cmd);

		opt.before_bind = NULL;
		if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st))
			die(2, "--before-bind command failed (status %d): %s", st, cmd);
	}
	set_backends(g, g->tapfd);
	kick(g, &g->vq[RXQ]);
}

/* QEMU's stop path: backend -1 on each vq, then GET_VRING_BASE. */
static void guest_stop(struct guest *g, bool check)
{
	struct vhost_vring_state s;
	uint16_t used;
	int q;

	set_backends(g, -1);
	for (q = 0; q < NVQ; q++) {
		s = (struct vhost_vring_state){ .index = q };
		xioctl(g, g->fd, VHOST_GET_VRING_BASE, &s, "VHOST_GET_VRING_BASE");
		g->vq[q].base = s.num;
		g->vq[q].consumed += (uint16_t)(s.num - g->vq[q].start_base);
		g->vq[q].start_base = s.num;
		used = load_acquire(g->vq[q].used->idx);
		vlog("%s %s: stopped, base %u, used->idx %u, avail->idx %u", g->name,
		     q ? "TX" : "RX", s.num, used, g->vq[q].avail_idx);
		if (check && (s.num > 0xffff || s.num != used))
			die(1, "%s %s: GET_VRING_BASE returned %u but used->idx is %u (consumed buffers not returned)",
			    g->name, q ? "TX" : "RX", s.num, used);
	}
}

/* Device stopped: everything fresh on the same fd (RESET_OWNER, setup). */
static void guest_reset(struct guest *g)
{
	xioctl(g, g->fd, VHOST_RESET_OWNER, NULL, "VHOST_RESET_OWNER");
	guest_setup(g);
	vlog("%s: reset and set up again", g->name);
}

/* ------------------------------------------------------------ traffic ---- */

static uint32_t run_counter;

static void xfer_begin(struct guest *a, struct guest *b, uint32_t count_a, uint32_t count_b)
{
	struct guest *gs[2] = { a, b };
	int i;

	for (i = 0; i < 2; i++) {
		gs[i]->run = (uint32_t)getpid() << 16 | (++run_counter & 0xffff);
		gs[i]->tx_seq = gs[i]->tx_done = 0;
		gs[i]->rx_next = gs[i]->rx_count = gs[i]->rx_lost = 0;
		gs[i]->checking = true;
	}
	a->peer_run = b->run;
	b->peer_run = a->run;
	a->peer_g = b;
	b->peer_g = a;
	a->window = b->window = XFER_WINDOW;
	a->tx_target = count_a;
	b->tx_target = count_b;
}

/* Pump both until quiet_ms without RX data and TX idle (max max_ms). */
static void drain(struct guest *a, struct guest *b, int quiet_ms, int max_ms)
{
	struct guest *gs[2] = { a, b };
	uint64_t t0 = now_ns(), last = t0, t;

	for (;;) {
		unsigned long rx = a->vq[RXQ].last_used + b->vq[RXQ].last_used;
		unsigned long p = pump2(a, b);

		t = now_ns();
		if (a->vq[RXQ].last_used + b->vq[RXQ].last_used != rx)
			last = t;
		if ((t - last) / 1000000 >= (uint64_t)quiet_ms && tx_idle(a) && tx_idle(b))
			return;
		if ((t - t0) / 1000000 >= (uint64_t)max_ms)
			return;
		if (!p)
			wait_guests(gs, 2, 20);
	}
}

/* One broadcast from each until each saw the other's (a learning switch
 * knows both MACs then, and both ports forward), then drain leftovers. */
static void learn(struct guest *a, struct guest *b)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct guest *gs[2] = { a, b };
	int attempt, i;
	uint64_t t;

	a->checking = b->checking = false;
	a->got_learn = b->got_learn = false;
	for (attempt = 0; attempt < 50 && !(a->got_learn && b->got_learn); attempt++) {
		for (i = 0; i < 2; i++) {
			tx_reap(gs[i]);
			if (!tx_frame(gs[i], bcast, ETH_P_LEARN, attempt, 60, 0))
				die(1, "%s: TX ring full while learning", gs[i]->name);
			kick(gs[i], &gs[i]->vq[TXQ]);
		}
		t = now_ns();
		while (now_ns() - t < 200000000ull && !(a->got_learn && b->got_learn))
			if (!pump2(a, b))
				wait_guests(gs, 2, 50);
	}
	if (!(a->got_learn && b->got_learn))
		die(1, "learning: broadcast not received after 10 s (A got B's: %s, B got A's: %s)",
		    a->got_learn ? "yes" : "no", b->got_learn ? "yes" : "no");
	vlog("learned after %d broadcast(s) each", attempt);
	drain(a, b, 500, 5000);
	if (a->rx_stale || b->rx_stale)
		vlog("dropped stale data frames: A %u, B %u", a->rx_stale, b->rx_stale);
	a->rx_stale = b->rx_stale = 0;
}

static bool rx_done(struct guest *g, uint32_t count)
{
	return g->rx_next >= count;
}

static void xfer_finish(struct guest *a, struct guest *b, const char *what)
{
	struct guest *gs[2] = { a, b };
	uint64_t last = now_ns(), t0 = last, t;
	uint32_t ca = b->tx_target, cb = a->tx_target;	/* what each receives */

	ioctl_rc = 1;
	for (;;) {
		unsigned long p = pump2(a, b);

		t = now_ns();
		if (p)
			last = t;
		if (tx_idle(a) && tx_idle(b) && a->tx_seq == a->tx_target &&
		    b->tx_seq == b->tx_target) {
			if (rx_done(a, ca) && rx_done(b, cb))
				break;
			if (opt.allow_loss && (t - last) > 1000000000ull)
				break;
		}
		if ((t - last) / 1000000 > IDLE_TIMEOUT_MS)
			die(1, "%s: no progress for %d s: A sent %u/%u (%u completed), received %u/%u; B sent %u/%u (%u completed), received %u/%u; %s; %s",
			    what, IDLE_TIMEOUT_MS / 1000, a->tx_seq, a->tx_target, a->tx_done,
			    a->rx_count, ca, b->tx_seq, b->tx_target, b->tx_done, b->rx_count, cb,
			    drops_of(a), drops_of(b));
		if (!p)
			wait_guests(gs, 2, 100);
	}
	a->rx_lost += ca - a->rx_next;
	b->rx_lost += cb - b->rx_next;
	if (a->rx_lost > opt.allow_loss || b->rx_lost > opt.allow_loss)
		die(1, "%s: lost frames: A %u, B %u (allowed %u); %s; %s", what, a->rx_lost,
		    b->rx_lost, opt.allow_loss, drops_of(a), drops_of(b));
	vlog("%s: A->B %u frames, B->A %u frames (lost %u/%u) in %.2f s; ignored %u/%u non-test frames",
	     what, b->rx_count, a->rx_count, b->rx_lost, a->rx_lost,
	     (t - t0) / 1e9, a->rx_other, b->rx_other);
	a->checking = b->checking = false;
}

static void xfer(struct guest *a, struct guest *b, const char *what)
{
	learn(a, b);
	xfer_begin(a, b, opt.count, opt.count);
	xfer_finish(a, b, what);
}

/* ------------------------------------------------------------ commands ---- */

static void cmd_restart(struct guest *a, struct guest *b)
{
	struct guest *gs[2] = { a, b };
	uint16_t used[2][NVQ];
	int i, q;

	xfer(a, b, "xfer 1");
	guest_stop(a, true);
	guest_stop(b, true);
	/* the guests do not know: they queue (and kick) frames */
	xfer_begin(a, b, RESTART_QUEUED, RESTART_QUEUED);
	for (i = 0; i < 2; i++) {
		tx_fill(gs[i]);
		for (q = 0; q < NVQ; q++)
			used[i][q] = load_acquire(gs[i]->vq[q].used->idx);
	}
	usleep(1000000);
	for (i = 0; i < 2; i++) {
		struct pollfd p[NVQ] = { { .fd = gs[i]->vq[RXQ].err, .events = POLLIN },
					 { .fd = gs[i]->vq[TXQ].err, .events = POLLIN } };

		for (q = 0; q < NVQ; q++)
			if (load_acquire(gs[i]->vq[q].used->idx) != used[i][q])
				die(1, "%s %s: used->idx moved %u -> %u while the backend was detached",
				    gs[i]->name, q ? "TX" : "RX", used[i][q],
				    gs[i]->vq[q].used->idx);
		if (poll(p, NVQ, 0) > 0)
			die(1, "%s: error eventfd signalled while stopped", gs[i]->name);
	}
	vlog("stopped for 1 s: %u frames queued each, none consumed", RESTART_QUEUED);
	for (i = 0; i < 2; i++) {
		struct guest *g = gs[i];

		for (q = 0; q < NVQ; q++) {
			g->vq[q].call = new_eventfd(g->vq[q].call);
			vring_file(g, VHOST_SET_VRING_CALL, q, g->vq[q].call, "VHOST_SET_VRING_CALL");
		}
		g->use_mem2 = true;
		set_mem_table(g);
		for (q = 0; q < NVQ; q++)
			vq_start(g, &g->vq[q], g->vq[q].base);
		set_backends(g, g->tapfd);
	}
	a->tx_target = b->tx_target = opt.count;
	xfer_finish(a, b, "xfer 2 (after restart)");
}

static const char *const hostile_cases[] = {
	"desc-loop", "oob-addr", "unmapped", "oversized-chain", "bad-len",
	"bad-avail-idx", "bad-head", "indirect-nested", "indirect-bad-len",
	"write-only-tx", "rx-readonly", "rx-norefill", NULL
};

/* Build A's bad TX chain for case c; returns the head (or bad value). */
static long hostile_inject(struct guest *a, struct guest *b, const char *c)
{
	struct vq *vq = &a->vq[TXQ];
	uint8_t *hdr = a->scratch, *frame = a->scratch + 64;
	struct vring_desc *t = (void *)(a->scratch + 4096), *t2 = (void *)(a->scratch + 32768);
	size_t flen;
	unsigned int k, n;
	long head = -1;
	uint16_t i;

	memset(hdr, 0, 64);
	flen = build_frame(a, frame, b->mac, ETH_P_DATA, 0xbad, 1000);
	memcpy(a->outside, a->scratch, 64 + flen);
#define ALLOC(n) do {								\
		head = chain_alloc(vq, (n));					\
		if (head < 0)							\
			die(2, "hostile: no free TX descriptors");		\
		i = vq->next[head];						\
	} while (0)
	if (!strcmp(c, "desc-loop")) {
		ALLOC(2);
		set_desc(&vq->desc[head], hdr, a->hdr_len, VRING_DESC_F_NEXT);
		set_desc(&vq->desc[i], frame, flen, VRING_DESC_F_NEXT);
		vq->desc[i].next = head;
	} else if (!strcmp(c, "oob-addr")) {
		ALLOC(2);	/* readable memory of ours, not in the table */
		set_desc(&vq->desc[head], hdr, a->hdr_len, VRING_DESC_F_NEXT);
		set_desc(&vq->desc[i], a->outside + 64, flen, 0);
	} else if (!strcmp(c, "unmapped")) {
		ALLOC(2);
		set_desc(&vq->desc[head], hdr, a->hdr_len, VRING_DESC_F_NEXT);
		set_desc(&vq->desc[i], a->hole, opt.hostile_len, 0);
		if (munmap(a->hole, HOLE))
			die(2, "munmap: %s", strerror(errno));
	} else if (!strcmp(c, "oversized-chain") && a->indirect) {
		ALLOC(1);	/* OVERSIZED_N x 64 bytes: > 64 KiB, > ring size */
		set_desc(&t[0], hdr, a->hdr_len, VRING_DESC_F_NEXT);
		t[0].next = 1;
		for (k = 1; k < OVERSIZED_N; k++) {
			set_desc(&t[k], frame, 64, k + 1 < OVERSIZED_N ? VRING_DESC_F_NEXT : 0);
			t[k].next = k + 1;
		}
		set_desc(&vq->desc[head], t, OVERSIZED_N * sizeof(*t), VRING_DESC_F_INDIRECT);
	} else if (!strcmp(c, "oversized-chain")) {
		n = vq->num;	/* the whole ring, > 64 KiB + header in total */
		ALLOC(n);
		set_desc(&vq->desc[head], hdr, a->hdr_len, VRING_DESC_F_NEXT);
		for (k = 1; k < n; k++, i = vq->next[i])
			set_desc(&vq->desc[i], frame, (66560 + n - 2) / (n - 1),
				 k + 1 < n ? VRING_DESC_F_NEXT : 0);
	} else if (!strcmp(c, "bad-len")) {
		ALLOC(2);
		set_desc(&vq->desc[head], hdr, a->hdr_len, VRING_DESC_F_NEXT);
		set_desc(&vq->desc[i], frame, 0x7fffffff, 0);
	} else if (!strcmp(c, "bad-avail-idx")) {
		ALLOC(1);	/* a valid frame in every slot, idx + qsize + 1 */
		memmove(hdr + a->hdr_len, frame, flen);
		set_desc(&vq->desc[head], hdr, a->hdr_len + flen, 0);
		for (k = 0; k < vq->num; k++)
			WRITE_ONCE(vq->avail->ring[k], (uint16_t)head);
		vq->avail_idx += vq->num + 1;
	} else if (!strcmp(c, "bad-head")) {
		head = vq->num;
		avail_add(vq, vq->num);
	} else if (!strcmp(c, "indirect-nested")) {
		ALLOC(1);
		set_desc(&t[0], hdr, a->hdr_len, VRING_DESC_F_NEXT);
		t[0].next = 1;
		set_desc(&t[1], t2, sizeof(*t2), VRING_DESC_F_INDIRECT);
		set_desc(&t2[0], frame, flen, 0);
		set_desc(&vq->desc[head], t, 2 * sizeof(*t), VRING_DESC_F_INDIRECT);
	} else if (!strcmp(c, "indirect-bad-len")) {
		ALLOC(1);
		set_desc(&t[0], hdr, a->hdr_len, VRING_DESC_F_NEXT);
		t[0].next = 1;
		set_desc(&t[1], frame, flen, 0);
		set_desc(&vq->desc[head], t, 2 * sizeof(*t) + 8, VRING_DESC_F_INDIRECT);
	} else if (!strcmp(c, "write-only-tx")) {
		ALLOC(1);
		memmove(hdr + a->hdr_len, frame, flen);
		set_desc(&vq->desc[head], hdr, a->hdr_len + flen, VRING_DESC_F_WRITE);
	} else {
		die(2, "hostile: unknown case '%s'", c);
	}
#undef ALLOC
	(void)i;
	if (strcmp(c, "bad-avail-idx") && strcmp(c, "bad-head"))
		avail_add(vq, head);
	publish(vq);
	kick_now(a, vq);
	vq->bad_head = head;
	return head;
}

static int cmd_hostile(struct guest *a, struct guest *b, const char *c)
{
	struct guest *gs[2] = { a, b }, *victim = a;
	struct vq *bad;
	uint64_t t0;
	const char *how;
	int k;

	for (k = 0; hostile_cases[k] && strcmp(hostile_cases[k], c); k++)
		;
	if (!hostile_cases[k])
		die(2, "hostile: unknown case '%s'", c);
	if (!strcmp(c, "rx-norefill")) {
		b->rx_hold = true;
		guest_setup(a);
		guest_setup(b);
		ioctl_rc = 1;
		xfer_begin(a, b, NOREFILL_COUNT, 0);
		a->window = 0;	/* the point: the device must drop */
		b->checking = false;
		t0 = now_ns();
		while (a->tx_seq < NOREFILL_COUNT || !tx_idle(a)) {
			if (now_ns() - t0 > 10000000000ull)
				die(1, "hostile rx-norefill: A's TX stuck with B's RX ring empty: %u/%u queued, %u completed after 10 s",
				    a->tx_seq, NOREFILL_COUNT, a->tx_done);
			if (!pump2(a, b))
				wait_guests(gs, 2, 100);
		}
		vlog("rx-norefill: %u frames completed in %.2f s", a->tx_done, (now_ns() - t0) / 1e9);
		b->rx_hold = false;
		xfer(a, b, "xfer after refill");
		printf("hostile %s: ok (%u frames completed without RX buffers, then xfer passed)\n",
		       c, NOREFILL_COUNT);
		return 0;
	}
	if (!strcmp(c, "rx-readonly")) {
		victim = b;
		b->rx_readonly_next = true;
	} else if (!strncmp(c, "indirect-", 9) && opt.no_indirect) {
		die(2, "hostile %s needs VIRTIO_RING_F_INDIRECT_DESC", c);
	}
	guest_setup(a);
	guest_setup(b);
	if (!strncmp(c, "indirect-", 9) && !a->indirect)
		die(2, "hostile %s: the device does not offer VIRTIO_RING_F_INDIRECT_DESC", c);
	ioctl_rc = 1;
	victim->expect_err = true;
	if (victim == b) {
		bad = &b->vq[RXQ];
		/* frames for the bad RX buffer: one every 0.5 s (the bridge
		 * port may not forward yet); into good buffers they are fine */
		xfer_begin(a, b, 0, 0);
		b->checking = false;
	} else {
		learn(a, b);
		xfer_begin(a, b, 0, 0);
		b->hostile_rx = true;
		bad = &a->vq[TXQ];
		hostile_inject(a, b, c);
	}
	vlog("hostile %s: bad head %ld posted", c, bad->bad_head);
	t0 = now_ns();
	while (!bad->errors && !bad->bad_used && now_ns() - t0 < 5000000000ull) {
		if (victim == b && a->tx_target <= (now_ns() - t0) / 500000000ull)
			a->tx_target++;
		if (!pump2(a, b))
			wait_guests(gs, 2, 100);
	}
	if (bad->errors)
		how = "error signalled";
	else if (bad->bad_used)
		how = "chain dropped";
	else
		die(1, "hostile %s: within 5 s neither the error eventfd was signalled nor the bad chain consumed (%s %s vq stuck)",
		    c, victim->name, bad->index ? "TX" : "RX");
	if (bad->errors) {
		/* moving the base of a running queue is refused (as vhost)
		 * and must not restart the stopped queue: kicked, it must
		 * not retry the bad chain (a second ring error)
		 */
		struct vhost_vring_state st = { .index = bad->index, .num = 0 };

		if (ioctl(victim->fd, VHOST_SET_VRING_BASE, &st) != -1 || errno != EBUSY)
			die(1, "hostile %s: VHOST_SET_VRING_BASE on the running %s vq: %s, expected EBUSY",
			    c, bad->index ? "TX" : "RX", errno ? strerror(errno) : "success");
		kick_now(victim, bad);
	}
	/* a late delivery of the bad chain is a failure too */
	t0 = now_ns();
	while (now_ns() - t0 < 500000000ull)
		if (!pump2(a, b))
			wait_guests(gs, 2, 50);
	vlog("hostile %s: %s; recovering %s (stop, RESET_OWNER, setup)", c, how, victim->name);
	b->hostile_rx = false;
	if (!strcmp(c, "unmapped") &&
	    mmap(a->hole, HOLE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
		 -1, 0) == MAP_FAILED)
		die(2, "mmap: %s", strerror(errno));
	guest_stop(victim, false);
	guest_reset(victim);
	victim->expect_err = false;
	xfer(a, b, "xfer after recovery");
	printf("hostile %s: ok (%s)\n", c, how);
	return 0;
}

static int cmd_bench(struct guest *a, struct guest *b)
{
	struct guest *gs[2] = { a, b };
	uint64_t t0, end, t;
	double secs;

	opt.bench = true;
	opt.allow_loss = UINT32_MAX;
	if (!opt.size)
		opt.size = 60;
	guest_setup(a);
	guest_setup(b);
	ioctl_rc = 1;
	learn(a, b);
	xfer_begin(a, b, UINT32_MAX, 0);
	a->window = 0;		/* throughput, losses allowed (as before) */
	t0 = now_ns();
	end = t0 + (uint64_t)(opt.seconds * 1e9);
	while ((t = now_ns()) < end)
		if (!pump2(a, b))
			wait_guests(gs, 2, 10);
	a->tx_target = a->tx_seq;
	drain(a, b, 500, 5000);
	t = b->rx_last_ns > end ? b->rx_last_ns : end;
	secs = (t - t0) / 1e9;
	printf("{\"tx_frames\":%u,\"rx_frames\":%u,\"seconds\":%.3f,\"rx_pps\":%.0f}\n",
	       a->tx_seq, b->rx_count, secs, b->rx_count / secs);
	if (!b->rx_count)
		die(1, "bench: B received no frame");
	return 0;
}

/*
 * unplug: B posts no RX buffers, A sends it --count frames, which wait in
 * B's device; then --while-held CMD runs (say, deletes B's tap) and B
 * refills its ring and must receive every one of them in order (or, with
 * --unplug-close, closes the device with the frames still queued).
 */
static int cmd_unplug(struct guest *a, struct guest *b)
{
	struct guest *gs[2] = { a, b };
	uint64_t t0;
	int st;

	if (!opt.while_held)
		die(2, "unplug needs --while-held CMD");
	b->rx_hold = true;
	guest_setup(a);
	guest_setup(b);
	ioctl_rc = 1;
	xfer_begin(a, b, opt.count, 0);
	a->window = 0;		/* B takes nothing: all wait in the device */
	t0 = now_ns();
	while (a->tx_seq < opt.count || !tx_idle(a)) {
		if (now_ns() - t0 > 10000000000ull)
			die(1, "unplug: A's TX stuck: %u/%u queued, %u completed after 10 s",
			    a->tx_seq, opt.count, a->tx_done);
		if (!pump2(a, b))
			wait_guests(gs, 2, 100);
	}
	/* A's worker completes a batch before it hands it to the switch */
	usleep(300000);
	st = system(opt.while_held);
	if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st))
		die(1, "unplug: --while-held command failed (status %d): %s", st,
		    opt.while_held);
	vlog("unplug: %u frames sent to B while it had no RX buffers, then ran: %s",
	     opt.count, opt.while_held);
	if (opt.unplug_close) {
		printf("unplug: ok (device closed with frames queued)\n");
		return 0;
	}
	b->rx_hold = false;
	t0 = now_ns();
	while (!rx_done(b, opt.count)) {
		if (now_ns() - t0 > 5000000000ull)
			die(1, "unplug: B received %u of the %u frames queued for it (next expected seq %u); %s",
			    b->rx_count, opt.count, b->rx_next, drops_of(b));
		if (!pump2(a, b))
			wait_guests(gs, 2, 100);
	}
	printf("unplug: ok (B received the %u frames queued before: %s)\n",
	       b->rx_count, opt.while_held);
	return 0;
}

/* ---------------------------------------------------------------- gso ---- */

/* TCP/IPv4 super frames from A (vnet header: NEEDS_CSUM, GSO_TCPV4) that B
 * must receive segmented and checksummed (tap without offloads) or, with
 * TSO on B's tap, possibly still as one GSO frame. */
static const uint8_t gso_saddr[4] = { 10, 0, 0, 1 }, gso_daddr[4] = { 10, 0, 0, 2 };

#define TCP_PSH	0x08
#define TCP_ACK	0x10

static struct {
	uint32_t sent;			/* super frames queued by A */
	int head[GSO_SLOTS];		/* TX head using each slot, -1: free */
	uint64_t rx_off;		/* payload stream bytes B received */
	uint32_t done;			/* super frames B received completely */
	uint32_t as_gso, as_segs;	/* ... as one GSO frame, segmented */
	uint32_t segs, cur_segs, partial;	/* segments (NEEDS_CSUM ones) */
} gso;

static uint64_t csum_add(uint64_t sum, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += get16(p + i);
	if (n & 1)
		sum += (uint16_t)(p[n - 1] << 8);
	return sum;
}

/* ones' complement 16-bit sum (Linux: ~csum_fold()) */
static uint16_t csum_fold16(uint64_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

static uint64_t gso_pseudo_sum(size_t tcp_len)
{
	return csum_add(csum_add(0, gso_saddr, 4), gso_daddr, 4) + 6 + tcp_len;
}

/* what Linux stores in the TCP checksum field for CHECKSUM_PARTIAL */
static uint16_t gso_pseudo(size_t tcp_len)
{
	return csum_fold16(gso_pseudo_sum(tcp_len));
}

static uint8_t gso_pattern(uint32_t idx, uint32_t off)
{
	return (uint8_t)(idx * 31u + off * 7u + (off >> 8) + (off >> 16) * 3u);
}

static size_t gso_build(struct guest *a, uint8_t *f, uint32_t idx)
{
	uint32_t n = opt.gso_len, i;
	uint8_t *ip = f + 14, *th = ip + 20, *p = th + 20;

	memcpy(f, a->peer, 6);
	memcpy(f + 6, a->mac, 6);
	put16(f + 12, 0x0800);
	memset(ip, 0, 40);
	ip[0] = 0x45;
	put16(ip + 2, 40 + n);
	put16(ip + 4, idx);
	put16(ip + 6, 0x4000);			/* DF */
	ip[8] = 64;
	ip[9] = 6;
	memcpy(ip + 12, gso_saddr, 4);
	memcpy(ip + 16, gso_daddr, 4);
	put16(ip + 10, ~csum_fold16(csum_add(0, ip, 20)));
	put16(th, 5000);
	put16(th + 2, 6000);
	put32(th + 4, GSO_ISN + idx * n);
	put32(th + 8, 1);
	th[12] = 5 << 4;
	th[13] = TCP_ACK | TCP_PSH;
	put16(th + 14, 65535);
	put16(th + 16, gso_pseudo(20 + n));
	for (i = 0; i < n; i++)
		p[i] = gso_pattern(idx, i);
	return GSO_HDRS + n;
}

/* descriptors of a super frame: the header, then TXBUF-sized pieces */
static unsigned int gso_ndesc(void)
{
	return 1 + (GSO_HDRS + opt.gso_len + TXBUF - 1) / TXBUF;
}

/* Queue super frame gso.sent: odd ones through an indirect table (when
 * negotiated, or always if a direct chain can never fit the ring). */
static bool gso_tx(struct guest *a)
{
	struct vq *vq = &a->vq[TXQ];
	struct virtio_net_hdr *h;
	struct vring_desc *t;
	unsigned int s, k, n = gso_ndesc();
	size_t flen, off, c;
	uint8_t *slot, *f;
	bool ind;
	int head;
	uint16_t i;

	for (s = 0; s < GSO_SLOTS && gso.head[s] >= 0; s++)
		;
	if (s == GSO_SLOTS)
		return false;
	ind = a->indirect && ((gso.sent & 1) || n > vq->num);
	head = chain_alloc(vq, ind ? 1 : n);
	if (head < 0)
		return false;
	slot = a->gso_buf + (size_t)s * GSO_SLOT;
	f = slot + 64;
	memset(slot, 0, 64);
	h = (void *)slot;
	h->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	h->gso_type = VIRTIO_NET_HDR_GSO_TCPV4;
	h->hdr_len = GSO_HDRS;
	h->gso_size = GSO_MSS;
	h->csum_start = 14 + 20;
	h->csum_offset = 16;
	flen = gso_build(a, f, gso.sent);
	if (ind) {
		t = (void *)(slot + GSO_TABLE);
		set_desc(&t[0], slot, a->hdr_len, VRING_DESC_F_NEXT);
		t[0].next = 1;
		for (k = 1, off = 0; off < flen; k++, off += c) {
			c = flen - off < TXBUF ? flen - off : TXBUF;
			set_desc(&t[k], f + off, c, off + c < flen ? VRING_DESC_F_NEXT : 0);
			t[k].next = k + 1;
		}
		set_desc(&vq->desc[head], t, n * sizeof(*t), VRING_DESC_F_INDIRECT);
	} else {
		set_desc(&vq->desc[head], slot, a->hdr_len, VRING_DESC_F_NEXT);
		for (i = vq->next[head], off = 0; off < flen; off += c, i = vq->next[i]) {
			c = flen - off < TXBUF ? flen - off : TXBUF;
			set_desc(&vq->desc[i], f + off, c, off + c < flen ? VRING_DESC_F_NEXT : 0);
		}
	}
	avail_add(vq, head);
	gso.head[s] = head;
	gso.sent++;
	return true;
}

/* slots whose chain the device returned (tx_reap freed it) */
static void gso_reclaim(struct guest *a)
{
	unsigned int s;

	for (s = 0; s < GSO_SLOTS; s++)
		if (gso.head[s] >= 0 && !a->vq[TXQ].chain[gso.head[s]])
			gso.head[s] = -1;
}

static void gso_rx_frame(struct guest *g, const uint8_t *f, size_t len)
{
	const struct virtio_net_hdr *h = &g->rx_hdr;
	const uint8_t *ip = f + 14, *th = ip + 20, *p = th + 20;
	uint64_t total = (uint64_t)opt.count * opt.gso_len;
	uint32_t idx, within, rem, want, seq, wseq, i;
	size_t tot, plen;
	uint16_t ck;
	bool partial = h->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM;

	if (memcmp(f + 6, g->peer, 6)) {
		g->rx_other++;
		return;
	}
	if (memcmp(f, g->mac, 6))
		die(1, "gso: IPv4 frame %s -> %s, expected %s -> %s", mac_str(f + 6),
		    mac_str(f), mac_str(g->peer), mac_str(g->mac));
	if (len < GSO_HDRS)
		die(1, "gso: runt IPv4 frame of %zu bytes", len);
	if (gso.rx_off >= total)
		die(1, "gso: frame of %zu bytes after all %u super frames were received (duplicate?)",
		    len, opt.count);
	idx = gso.rx_off / opt.gso_len;
	within = gso.rx_off % opt.gso_len;
	rem = opt.gso_len - within;
	if (ip[0] != 0x45)
		die(1, "gso: super frame %u: IPv4 version/IHL byte 0x%02x", idx, ip[0]);
	tot = get16(ip + 2);
	if (tot < 40 || 14 + tot > len || (14 + tot < len && len > 60))
		die(1, "gso: super frame %u: IPv4 total length %zu in a frame of %zu bytes",
		    idx, tot, len);
	if (csum_fold16(csum_add(0, ip, 20)) != 0xffff)
		die(1, "gso: super frame %u: IPv4 header checksum 0x%04x invalid (frame of %zu bytes, vnet gso_type %u)",
		    idx, get16(ip + 10), len, g->rx_gso);
	if (ip[9] != 6 || memcmp(ip + 12, gso_saddr, 4) || memcmp(ip + 16, gso_daddr, 4) ||
	    (get16(ip + 6) & 0x3fff))
		die(1, "gso: super frame %u: IPv4 protocol %u, %u.%u.%u.%u -> %u.%u.%u.%u, frag 0x%04x",
		    idx, ip[9], ip[12], ip[13], ip[14], ip[15], ip[16], ip[17], ip[18],
		    ip[19], get16(ip + 6));
	if (get16(th) != 5000 || get16(th + 2) != 6000 || th[12] >> 4 != 5)
		die(1, "gso: super frame %u: TCP ports %u -> %u, data offset %u", idx,
		    get16(th), get16(th + 2), th[12] >> 4);
	plen = tot - 40;
	seq = get32(th + 4);
	wseq = GSO_ISN + (uint32_t)gso.rx_off;
	if (seq != wseq)
		die(1, "gso: super frame %u: TCP seq %u, expected %u (payload offset %u): segment lost, reordered or duplicated",
		    idx, seq, wseq, within);
	ck = get16(th + 16);
	if (g->rx_gso != VIRTIO_NET_HDR_GSO_NONE) {
		if (!(g->offloads & TUN_F_TSO4))
			die(1, "gso: super frame %u: received with vnet gso_type %u on a tap without TSO4",
			    idx, g->rx_gso);
		if (g->rx_gso != VIRTIO_NET_HDR_GSO_TCPV4 || h->gso_size != GSO_MSS)
			die(1, "gso: super frame %u: vnet gso_type %u gso_size %u, expected TCPV4 (%u) and %u",
			    idx, g->rx_gso, h->gso_size, VIRTIO_NET_HDR_GSO_TCPV4, GSO_MSS);
		if (within || plen != opt.gso_len)
			die(1, "gso: super frame %u: GSO frame with %zu payload bytes at offset %u, expected the whole %u",
			    idx, plen, within, opt.gso_len);
		if (!partial || h->csum_start != 14 + 20 || h->csum_offset != 16)
			die(1, "gso: super frame %u: GSO frame with vnet flags %#x csum_start %u csum_offset %u, expected NEEDS_CSUM 34/16",
			    idx, h->flags, h->csum_start, h->csum_offset);
		if (ck != gso_pseudo(tot - 20))
			die(1, "gso: super frame %u: GSO frame's TCP checksum field 0x%04x, expected the pseudo-header sum 0x%04x (partial)",
			    idx, ck, gso_pseudo(tot - 20));
		if (th[13] != (TCP_ACK | TCP_PSH))
			die(1, "gso: super frame %u: GSO frame with TCP flags 0x%02x, expected ACK|PSH",
			    idx, th[13]);
		gso.as_gso++;
	} else {
		want = rem < GSO_MSS ? rem : GSO_MSS;
		if (plen != want)
			die(1, "gso: super frame %u: segment %u has %zu payload bytes, expected %u (vnet flags %#x)",
			    idx, gso.cur_segs, plen, want, h->flags);
		want = TCP_ACK | (plen == rem ? TCP_PSH : 0);
		if (th[13] != want)
			die(1, "gso: super frame %u: segment %u has TCP flags 0x%02x, expected 0x%02x",
			    idx, gso.cur_segs, th[13], want);
		if (partial) {
			if (!(g->offloads & TUN_F_CSUM))
				die(1, "gso: super frame %u: segment %u with vnet NEEDS_CSUM on a tap without CSUM offload (the device must checksum it)",
				    idx, gso.cur_segs);
			if (h->csum_start != 14 + 20 || h->csum_offset != 16 ||
			    ck != gso_pseudo(tot - 20))
				die(1, "gso: super frame %u: partial segment %u: csum_start %u csum_offset %u field 0x%04x, expected 34/16 0x%04x",
				    idx, gso.cur_segs, h->csum_start, h->csum_offset, ck,
				    gso_pseudo(tot - 20));
			gso.partial++;
		} else if (csum_fold16(csum_add(gso_pseudo_sum(tot - 20), th, tot - 20)) != 0xffff) {
			die(1, "gso: super frame %u: segment %u (%zu payload bytes): TCP checksum 0x%04x invalid (vnet flags %#x)",
			    idx, gso.cur_segs, plen, ck, h->flags);
		}
		gso.segs++;
		gso.cur_segs++;
		if (plen == rem) {
			gso.as_segs++;
			gso.cur_segs = 0;
		}
	}
	for (i = 0; i < plen; i++)
		if (p[i] != gso_pattern(idx, within + i))
			die(1, "gso: super frame %u: payload byte %u is 0x%02x, expected 0x%02x",
			    idx, within + i, p[i], gso_pattern(idx, within + i));
	gso.rx_off += plen;
	if (plen == rem)
		gso.done++;
	g->rx_last_ns = now_ns();
	g->rx_count++;
}

static int cmd_gso(struct guest *a, struct guest *b)
{
	struct guest *gs[2] = { a, b };
	uint64_t last, t;
	unsigned int s;

	guest_setup(a);
	guest_setup(b);
	if (gso_ndesc() > a->vq[TXQ].num && !a->indirect)
		die(2, "gso: a super frame needs %u TX descriptors, more than the ring (%u) without indirect descriptors",
		    gso_ndesc(), a->vq[TXQ].num);
	ioctl_rc = 1;
	learn(a, b);
	for (s = 0; s < GSO_SLOTS; s++)
		gso.head[s] = -1;
	b->gso_rx = true;
	last = now_ns();
	while (gso.done < opt.count || !tx_idle(a)) {
		unsigned long p = pump2(a, b);

		gso_reclaim(a);
		while (gso.sent < opt.count && gso_tx(a))
			p++;
		kick(a, &a->vq[TXQ]);
		t = now_ns();
		if (p)
			last = t;
		if ((t - last) / 1000000 > IDLE_TIMEOUT_MS)
			die(1, "gso: no progress for %d s: A queued %u/%u super frames (%u completed); B received %u complete (%u as gso, %u segments, %llu payload bytes)",
			    IDLE_TIMEOUT_MS / 1000, gso.sent, opt.count, a->tx_done, gso.done,
			    gso.as_gso, gso.segs, (unsigned long long)gso.rx_off);
		if (!p)
			wait_guests(gs, 2, 100);
	}
	drain(a, b, 300, 2000);	/* a late duplicate fails in gso_rx_frame */
	vlog("gso: B: %u as gso, %u segmented (%u segments, %u with NEEDS_CSUM); ignored %u non-test frames",
	     gso.as_gso, gso.as_segs, gso.segs, gso.partial, b->rx_other);
	if (!gso.as_gso)
		printf("gso: ok (%u super frames of %u bytes, B received %u segments)\n",
		       opt.count, opt.gso_len, gso.segs);
	else if (!gso.as_segs)
		printf("gso: ok (%u super frames, B received them as gso)\n", opt.count);
	else
		printf("gso: ok (%u super frames of %u bytes, B received %u as gso, %u segmented in %u segments)\n",
		       opt.count, opt.gso_len, gso.as_gso, gso.as_segs, gso.segs);
	return 0;
}

/* --------------------------------------------------------------- sctp ---- */

/*
 * IPv4/SCTP frames (the test's host stack sends SCTP INITs to B's address
 * through the switch): each must arrive with a complete, valid CRC32c and
 * without NEEDS_CSUM (a virtio-net header can only ask for an Internet
 * checksum; an SCTP packet with one is corrupt).
 */
static uint32_t crc32c(uint32_t crc, const uint8_t *p, size_t n)
{
	int k;

	while (n--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = crc & 1 ? (crc >> 1) ^ 0x82f63b78u : crc >> 1;
	}
	return crc;
}

static void sctp_rx_frame(struct guest *g, const uint8_t *f, size_t len)
{
	const uint8_t *ip = f + 14, *sh;
	size_t ihl = (ip[0] & 15) * 4, tot = get16(ip + 2), slen;
	uint32_t want, got;
	uint8_t zero[4] = { 0 };

	if (ihl < 20 || tot < ihl + 12 || 14 + tot > len)
		die(1, "%s: SCTP frame of %zu bytes: IPv4 IHL %zu total length %zu",
		    g->name, len, ihl, tot);
	if (g->rx_hdr.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM)
		die(1, "%s: SCTP frame with vnet NEEDS_CSUM (csum_start %u csum_offset %u): the guest would write an Internet checksum over the CRC32c",
		    g->name, g->rx_hdr.csum_start, g->rx_hdr.csum_offset);
	sh = ip + ihl;
	slen = tot - ihl;
	want = crc32c(~0u, sh, 8);
	want = crc32c(want, zero, 4);
	want = ~crc32c(want, sh + 12, slen - 12);
	got = sh[8] | sh[9] << 8 | sh[10] << 16 | (uint32_t)sh[11] << 24;
	if (got != want)
		die(1, "%s: SCTP packet of %zu bytes (%u.%u.%u.%u -> %u.%u.%u.%u): checksum field 0x%08x, CRC32c is 0x%08x",
		    g->name, slen, ip[12], ip[13], ip[14], ip[15], ip[16], ip[17],
		    ip[18], ip[19], got, want);
	g->sctp_ok++;
	vlog("%s: SCTP packet of %zu bytes, CRC32c 0x%08x ok", g->name, slen, got);
}

/* sctp: B waits (up to 20 s) for --count SCTP frames, each checked. */
static int cmd_sctp(struct guest *a, struct guest *b)
{
	struct guest *gs[2] = { a, b };
	uint64_t t0;

	guest_setup(a);
	guest_setup(b);
	ioctl_rc = 1;
	b->sctp_rx = true;
	printf("sctp: ready\n");
	t0 = now_ns();
	while (b->sctp_ok < opt.count) {
		if (now_ns() - t0 > 20000000000ull)
			die(1, "sctp: B received %u of %u SCTP frames in 20 s", b->sctp_ok,
			    opt.count);
		if (!pump2(a, b))
			wait_guests(gs, 2, 100);
	}
	printf("sctp: ok (%u SCTP frames with a valid CRC32c)\n", b->sctp_ok);
	return 0;
}

/* --------------------------------------------------------------- fuzz ---- */

/*
 * fuzz: --count random descriptor chains (and rings), seeded by --seed and
 * reproducible, in batches mixed with valid frames: A's TX ring gets random
 * chains (bad addresses and lengths, loops, random next, indirect tables
 * with random entries, out-of-range heads, avail index jumps), B's RX ring
 * random writable chains, some batches put A's used ring over its avail
 * ring or desc table or make ring pages read-only or inaccessible, and
 * some start at a ring base that wraps the 16-bit indexes. After each
 * batch: no byte outside the memory table changed (guard areas), the
 * fuzzed queues are stopped and set up again (every 8th batch with
 * RESET_OWNER), and a transfer A <-> B must pass. At the end the device's
 * ring_errors (vswctl) equal the error eventfd signals the guests saw, and
 * A's backend tx_packets + tx_dropped equal the TX chains it returned.
 */
static uint64_t rng;

static uint64_t rnd(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint32_t rn(uint32_t n)
{
	return n ? rnd() % n : 0;
}

static struct {
	uint64_t chains, batches, resets, frames, odd, wraps, rx_batches;
	uint8_t *posted;	/* per head of the fuzzed vq: posted, not used */
} fz;

static uint64_t fuzz_addr(struct guest *g, uint32_t len)
{
	uint8_t *mem_end = g->mem + g->mem_size;

	switch (rn(12)) {
	case 0:
		return (uintptr_t)(g->outside + rn(60u << 10));
	case 1:
		return (uintptr_t)(g->guard + rn(GUARD / 2));
	case 2:
		return (uintptr_t)(mem_end - 1 - rn(len < 4096 ? len + 1 : 4096));
	case 3:
		return rnd();
	case 4:
		return rn(8192);
	case 5:
		return ~0ull - rn(4096);
	case 6:
		return (uintptr_t)g->mem + rn(4096);	/* the rings themselves */
	default:
		return (uintptr_t)(g->scratch + rn(SCRATCH - HOLE - 8192));
	}
}

static uint32_t fuzz_len(void)
{
	switch (rn(10)) {
	case 0:
		return 0;
	case 1:
		return 0x7fffffffu;
	case 2:
		return 0xffffffffu - rn(16);
	case 3:
		return rn(70000);
	case 4:
		return 16 * (1 + rn(16));
	default:
		return 1 + rn(2048);
	}
}

static void fuzz_desc(struct guest *g, struct vring_desc *d, bool rx, unsigned int num)
{
	uint32_t len = fuzz_len();
	uint16_t flags = 0;

	if (rn(2))
		flags |= VRING_DESC_F_NEXT;
	if (rx ? rn(8) : !rn(8))
		flags |= VRING_DESC_F_WRITE;
	if (!rn(10))
		flags |= VRING_DESC_F_INDIRECT;
	d->addr = fuzz_addr(g, len);
	d->len = len;
	d->flags = flags;
	d->next = rn(4) ? rn(num) : rn(3 * num);
}

/* a valid frame (header + Ethernet, type ETH_P_FUZZ) at @p; its length */
static size_t fuzz_frame(struct guest *g, uint8_t *p)
{
	size_t flen = 60 + rn(1455), i;

	memset(p, 0, g->hdr_len);
	memcpy(p + g->hdr_len, g->peer, 6);
	memcpy(p + g->hdr_len + 6, g->mac, 6);
	put16(p + g->hdr_len + 12, ETH_P_FUZZ);
	for (i = 14; i < flen; i++)
		p[g->hdr_len + i] = (uint8_t)i;
	return g->hdr_len + flen;
}

/* One random chain at a free head of @vq (descriptors used as they
 * come); returns the value put into the avail ring. */
static uint16_t fuzz_chain(struct guest *g, struct vq *vq, bool rx)
{
	unsigned int n = vq->num, k, m;
	uint16_t head = rn(n), i;
	uint8_t *s = g->scratch + rn(SCRATCH - HOLE - 12288);
	struct vring_desc *t;

	fz.chains++;
	static const int rx_kinds[] = { 1, 2, 4, 5, 7, 8 };

	switch (rx ? rx_kinds[rn(6)] : (int)rn(10)) {
	case 0:		/* a valid frame, direct or through a table */
		fz.frames++;
		if (g->indirect && rn(2)) {
			t = (void *)((uintptr_t)(s + 4096) & ~15ul);
			set_desc(&t[0], s, fuzz_frame(g, s), 0);
			set_desc(&vq->desc[head], t, 16, VRING_DESC_F_INDIRECT);
		} else {
			set_desc(&vq->desc[head], s, fuzz_frame(g, s), 0);
		}
		return head;
	case 1:		/* random descriptors, linked */
	case 2:
	case 3:
		m = 1 + rn(6);
		for (k = 0, i = head; k < m; k++) {
			fuzz_desc(g, &vq->desc[i], rx, n);
			vq->desc[i].flags &= ~VRING_DESC_F_INDIRECT;
			if (k + 1 < m) {
				vq->desc[i].flags |= VRING_DESC_F_NEXT;
				i = vq->desc[i].next = rn(4) ? rn(n) : head;
			} else if (rn(4)) {
				vq->desc[i].flags &= ~VRING_DESC_F_NEXT;
			}
			if (!rx && k == 0 && rn(2)) {	/* a readable header */
				vq->desc[i].addr = (uintptr_t)s;
				fuzz_frame(g, s);
				vq->desc[i].len = g->hdr_len + rn(64);
			}
		}
		return head;
	case 4:		/* an indirect table of random entries */
	case 5:
		t = (void *)((uintptr_t)(s + 4096) & ~15ul);
		m = 1 + rn(12);
		for (k = 0; k < m; k++) {
			fuzz_desc(g, &t[k], rx, m);
			if (!rn(3))
				t[k].next = k + 1;
		}
		set_desc(&vq->desc[head], t, rn(8) ? m * 16 : fuzz_len(),
			 VRING_DESC_F_INDIRECT | (rn(8) ? 0 : VRING_DESC_F_NEXT));
		if (!rn(8))
			vq->desc[head].addr = fuzz_addr(g, vq->desc[head].len);
		return head;
	case 6:		/* a head out of range */
		return n + rn(65536 - n);
	case 7:		/* a loop */
		vq->desc[head].addr = (uintptr_t)s;
		vq->desc[head].len = 64;
		vq->desc[head].flags = VRING_DESC_F_NEXT;
		vq->desc[head].next = head;
		return head;
	default:	/* one random descriptor */
		fuzz_desc(g, &vq->desc[head], rx, n);
		return head;
	}
}

static void fuzz_check_guard(struct guest *g, const char *when)
{
	size_t i;

	for (i = 0; i < GUARD; i++)
		if (g->guard[i] != CANARY)
			die(1, "fuzz: %s: byte %zu after %s's memory table region changed (0x%02x) %s",
			    g->name, i, g->name, g->guard[i], when);
	for (i = 0; i < (64u << 10); i++)
		if (g->outside[i] != CANARY)
			die(1, "fuzz: %s: byte %zu of memory outside %s's table changed (0x%02x) %s",
			    g->name, i, g->name, g->outside[i], when);
}

/* read what the error eventfds hold (they are replaced on RESET_OWNER) */
static void fuzz_drain_err(struct guest *g)
{
	uint64_t v;
	int q;

	for (q = 0; q < NVQ; q++)
		if (read(g->vq[q].err, &v, sizeof(v)) == sizeof(v)) {
			g->vq[q].errors += v;
			g->vq[q].err_total += v;
		}
}

/* stop g's queues, fresh rings at @base, start again (or RESET_OWNER) */
static void fuzz_resetup(struct guest *g, bool full, unsigned int base)
{
	unsigned int i;
	int q;

	guest_stop(g, false);
	fuzz_drain_err(g);
	if (full) {
		fz.resets++;
		guest_reset(g);
		return;
	}
	for (q = 0; q < NVQ; q++) {
		struct vq *vq = &g->vq[q];

		memset(vq->desc, 0, 16 * vq->num);
		memset(vq->avail, 0, 4 + 2 * vq->num + 2);
		memset(vq->used, 0, 4 + 8 * vq->num + 2);
		vq->avail_idx = vq->kick_old = vq->last_used = base;
		vq->avail->idx = base;
		vq->used->idx = base;
		vq->nfree = vq->num;
		for (i = 0; i < vq->num; i++) {
			vq->free[i] = vq->num - 1 - i;
			vq->chain[i] = 0;
		}
		vq->bad_head = -1;
		vq->bad_used = false;
		vq->errors = 0;
		vq_start(g, vq, base);
	}
	g->frags_left = 0;
	rx_refill(g);
	publish(&g->vq[RXQ]);
	set_backends(g, g->tapfd);
	kick(g, &g->vq[RXQ]);
}

/* wait until @vq signalled an error, returned what was posted, or for
 * @quiet_ms nothing moved */
static void fuzz_wait(struct guest **gs, struct vq *vq, int quiet_ms, bool noaccess)
{
	uint64_t last = now_ns(), v;
	uint16_t seen;
	unsigned int err0 = vq->errors;

	if (noaccess) {		/* ring pages we may not touch: only the eventfd */
		struct pollfd p = { .fd = vq->err, .events = POLLIN };

		if (poll(&p, 1, quiet_ms) > 0 && read(vq->err, &v, sizeof(v)) == sizeof(v)) {
			vq->errors += v;
			vq->err_total += v;
		}
		return;
	}
	seen = load_acquire(vq->used->idx);
	for (;;) {
		uint16_t u = load_acquire(vq->used->idx);

		if (vq->errors != err0 || u == vq->avail_idx)
			return;
		if (u != seen) {
			seen = u;
			last = now_ns();
		}
		if ((now_ns() - last) / 1000000 >= (uint64_t)quiet_ms)
			return;
		wait_guests(gs, 2, 20);
	}
}

/* used entries of a fuzzed vq: count them (TX), check ids if sane layout */
static void fuzz_reap(struct guest *g, struct vq *vq, bool sane)
{
	uint16_t idx = load_acquire(vq->used->idx);

	if (sane && (uint16_t)(idx - vq->last_used) > vq->num)
		die(1, "fuzz: %s %s: used->idx moved from %u to %u (ring %u)", g->name,
		    vq->index ? "TX" : "RX", vq->last_used, idx, vq->num);
	while (sane && vq->last_used != idx) {
		uint32_t id = vq->used->ring[vq->last_used % vq->num].id;

		if (id >= vq->num || !fz.posted[id])
			die(1, "fuzz: %s %s: used id %u was not posted", g->name,
			    vq->index ? "TX" : "RX", id);
		fz.posted[id]--;
		if (vq->index == TXQ)
			g->tx_used_total++;
		vq->last_used++;
	}
}

static unsigned long long vswctl_backend(const char *tap, const char *key)
{
	char cmd[256], buf[8192], k[64], *p;
	unsigned long long v = ~0ull;
	size_t n;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "vswctl -j -s port show %s 2>/dev/null", tap);
	f = popen(cmd, "r");
	if (!f)
		return v;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = 0;
	pclose(f);
	snprintf(k, sizeof(k), "\"%s\":", key);
	p = strstr(buf, "\"backend\"");
	p = p ? strstr(p, k) : NULL;
	if (!p || sscanf(p + strlen(k), "%llu", &v) != 1)
		return ~0ull;
	return v;
}

static int cmd_fuzz(struct guest *a, struct guest *b)
{
	struct guest *gs[2] = { a, b };
	unsigned long long errs_a, errs_b, txp = 0, txd = 0;
	uint64_t batch_seed;
	unsigned int k, m, base;
	long pg = sysconf(_SC_PAGESIZE);
	int q;

	printf("fuzz: seed %llu count %u\n", (unsigned long long)opt.seed, opt.count);
	a->expect_err = b->expect_err = true;
	guest_setup(a);
	guest_setup(b);
	ioctl_rc = 1;
	fz.posted = calloc(opt.qsize, 1);
	if (!fz.posted)
		die(2, "out of memory");
	learn(a, b);
	while (fz.chains < opt.count) {
		bool rx, odd = false, sane = true, full;
		struct guest *g;
		struct vq *vq;
		void *prot = NULL;

		batch_seed = opt.seed * 1000003ull + fz.batches;
		rng = batch_seed;
		fz.batches++;
		rx = !rn(5);
		g = rx ? b : a;
		vq = &g->vq[rx ? RXQ : TXQ];
		vlog("fuzz: batch %llu (%s), %llu chains so far",
		     (unsigned long long)fz.batches - 1, rx ? "B's RX" : "A's TX",
		     (unsigned long long)fz.chains);
		memset(fz.posted, 0, opt.qsize);
		for (k = 0; k < SCRATCH - HOLE; k += 8)
			*(uint64_t *)(g->scratch + k) = rnd() & 0x7f7f7f7f7f7f7f7full;
		if (!rx && !rn(6)) {
			/* the used ring over the avail ring or the desc table,
			 * or a ring page read-only / inaccessible
			 */
			struct vhost_vring_addr ad = {
				.index = TXQ,
				.desc_user_addr = (uintptr_t)vq->desc,
				.avail_user_addr = (uintptr_t)vq->avail,
				.used_user_addr = (uintptr_t)vq->used,
			};
			struct vhost_vring_file f = { .index = TXQ, .fd = -1 };

			odd = true;
			sane = false;
			fz.odd++;
			switch (rn(4)) {
			case 0:
				ad.used_user_addr = (uintptr_t)vq->avail;
				break;
			case 1:
				ad.used_user_addr = (uintptr_t)vq->desc + 16 * rn(vq->num / 2);
				break;
			case 2:
				prot = vq->used;
				break;
			default:
				prot = (uint8_t *)vq->avail - ((uintptr_t)vq->avail % pg);
				break;
			}
			xioctl(g, g->fd, VHOST_NET_SET_BACKEND, &f, "VHOST_NET_SET_BACKEND");
			xioctl(g, g->fd, VHOST_SET_VRING_ADDR, &ad, "VHOST_SET_VRING_ADDR");
			f.fd = g->tapfd;
			xioctl(g, g->fd, VHOST_NET_SET_BACKEND, &f, "VHOST_NET_SET_BACKEND");
		}
		if (rx) {	/* B's RX ring empty: only random buffers */
			fz.rx_batches++;
			b->rx_hold = true;
			fuzz_resetup(b, false, 0);
		}
		m = 1 + rn(24);
		for (k = 0; k < m && fz.chains < opt.count; k++) {
			uint16_t h = fuzz_chain(g, vq, rx);

			if (h < vq->num)
				fz.posted[h]++;
			avail_add(vq, h);
		}
		if (!rn(16)) {		/* the avail index runs away */
			vq->avail_idx += vq->num + 1 + rn(1000);
			sane = false;
		}
		publish(vq);
		if (prot && mprotect(prot, pg, rn(2) ? PROT_READ : PROT_NONE))
			die(2, "mprotect: %s", strerror(errno));
		kick_now(g, vq);
		if (rx) {	/* frames for B's random buffers */
			for (k = 1 + rn(4); k; k--) {
				tx_reap(a);
				if (tx_frame(a, b->mac, ETH_P_FUZZ, k, 60 + rn(1400), 0)) {
					publish(&a->vq[TXQ]);
					kick_now(a, &a->vq[TXQ]);
				}
			}
		}
		fuzz_wait(gs, vq, rx ? 300 : 200, prot);
		if (rx)
			vlog("fuzz: B's RX: %u chains posted (avail %u), used->idx %u, errors %u; A's TX used %u avail %u",
			     m, vq->avail_idx, vq->used->idx, vq->errors,
			     a->vq[TXQ].used->idx, a->vq[TXQ].avail_idx);
		if (prot && mprotect(prot, pg, PROT_READ | PROT_WRITE))
			die(2, "mprotect: %s", strerror(errno));
		fuzz_check_guard(a, "");
		fuzz_check_guard(b, "");
		/* RX: the device may write frames over the rings (the
		 * buffers may point there): nothing to check in them
		 */
		fuzz_reap(g, vq, sane && !odd && !rx);
		if (rx)
			tx_reap(a);
		/* re-setup: the fuzzed guest; sometimes at a wrapping base */
		b->rx_hold = false;
		base = 0;
		if (!rn(4)) {
			base = 65536 - 1 - rn(2 * opt.qsize);
			fz.wraps++;
		}
		full = fz.batches % 8 == 0;
		if (opt.check_each && g == a) {	/* A quiet: its counters now */
			unsigned long long p0, d0;
			uint64_t c0 = a->vq[TXQ].consumed;

			usleep(100000);
			p0 = vswctl_backend(a->tap, "tx_packets");
			d0 = vswctl_backend(a->tap, "tx_dropped");
			fuzz_resetup(g, full, full ? 0 : base);
			if (p0 + d0 != a->vq[TXQ].consumed)
				die(1, "fuzz: batch %llu (odd %d prot %p sane %d): tx_packets %llu + tx_dropped %llu != %llu taken (before the batch's stop %llu)",
				    (unsigned long long)fz.batches - 1, odd, prot, sane, p0, d0,
				    (unsigned long long)a->vq[TXQ].consumed, (unsigned long long)c0);
		} else {
			fuzz_resetup(g, full, full ? 0 : base);
		}
		/* a ring error now would be the device's */
		a->expect_err = b->expect_err = false;
		xfer_begin(a, b, 2, 2);
		xfer_finish(a, b, "fuzz: xfer after re-setup");
		a->expect_err = b->expect_err = true;
		for (q = 0; q < 2; q++)
			fuzz_check_guard(gs[q], "after the transfer");
	}
	drain(a, b, 300, 3000);
	for (q = 0; q < 2; q++)
		fuzz_drain_err(gs[q]);
	errs_a = a->vq[RXQ].err_total + a->vq[TXQ].err_total;
	errs_b = b->vq[RXQ].err_total + b->vq[TXQ].err_total;
	if (strstr(opt.dev, "vhost-vsw")) {
		unsigned long long ra = vswctl_backend(a->tap, "ring_errors");
		unsigned long long rb = vswctl_backend(b->tap, "ring_errors");

		if (ra != errs_a || rb != errs_b)
			die(1, "fuzz: ring_errors A %llu B %llu, error eventfd signals A %llu B %llu",
			    ra, rb, errs_a, errs_b);
		txp = vswctl_backend(a->tap, "tx_packets");
		txd = vswctl_backend(a->tap, "tx_dropped");
		guest_stop(a, false);	/* the device's count of TX chains taken */
		if (txp + txd != a->vq[TXQ].consumed)
			die(1, "fuzz: A's backend tx_packets %llu + tx_dropped %llu != %llu TX chains the device took",
			    txp, txd, (unsigned long long)a->vq[TXQ].consumed);
	}
	printf("fuzz: ok (seed %llu: %llu chains in %llu batches, %llu of them B's RX, %llu valid frames, %llu odd rings, %llu wrapping bases, %llu RESET_OWNER; ring errors A %llu B %llu; A: %llu TX chains taken = tx_packets %llu + tx_dropped %llu)\n",
	       (unsigned long long)opt.seed, (unsigned long long)fz.chains,
	       (unsigned long long)fz.batches, (unsigned long long)fz.rx_batches,
	       (unsigned long long)fz.frames, (unsigned long long)fz.odd,
	       (unsigned long long)fz.wraps, (unsigned long long)fz.resets, errs_a, errs_b,
	       (unsigned long long)a->vq[TXQ].consumed, txp, txd);
	return 0;
}

/* --------------------------------------------------------------- main ---- */

static void usage(void)
{
	fputs("usage: vhost_guest [-d DEV] [--qsize N] [--no-mrg] [--no-event-idx] [--no-indirect] [--no-v1]\n"
	      "                   [--offloads none|csum|all] [--rx-buf BYTES] [-v] COMMAND ARGS...\n"
	      "  -d DEV   vhost device, default /dev/vhost-vsw\n"
	      "  --offloads  TUNSETOFFLOAD of both taps (gso: of B's), default all\n"
	      "COMMANDS\n"
	      "  xfer TAP_A TAP_B [--count N] [--size LEN] [--expect-tag-b VID] [--tag-a VID]\n"
	      "                   [--mac-a MAC] [--mac-b MAC] [--allow-loss N]\n"
	      "  restart TAP_A TAP_B\n"
	      "  reset TAP_A TAP_B\n"
	      "  hostile TAP_A TAP_B CASE\n"
	      "      CASE: desc-loop oob-addr unmapped oversized-chain bad-len bad-avail-idx\n"
	      "            bad-head indirect-nested indirect-bad-len write-only-tx rx-readonly rx-norefill\n"
	      "      [--hostile-len BYTES]  length of the unmapped data descriptor (default 1000)\n"
	      "  bench TAP_A TAP_B [--seconds S] [--size LEN] [--batch N]\n"
	      "  unplug TAP_A TAP_B --while-held CMD [--count N] [--unplug-close]\n"
	      "      B posts no RX buffers; A sends N frames to it (default 1000), then\n"
	      "      CMD (sh -c) runs; then B refills and must receive all N, or with\n"
	      "      --unplug-close closes its device with the frames still queued\n"
	      "  gso TAP_A TAP_B [--count N] [--gso-len BYTES]\n"
	      "      A sends N (default 20) TCP/IPv4 GSO super frames (NEEDS_CSUM, GSO_TCPV4,\n"
	      "      gso_size 1448) of BYTES payload (default 20000, max 65495); B must get\n"
	      "      them segmented and checksummed, or (TSO on its tap) possibly as GSO.\n"
	      "      Segments may keep NEEDS_CSUM only if B's tap has CSUM offload.\n"
	      "      A's tap always has offloads all; --offloads applies to B's tap only\n"
	      "  sctp TAP_A TAP_B [--count N]\n"
	      "      B waits up to 20 s for N (default 1000: set it) IPv4/SCTP frames sent to it\n"
	      "      (by the test); each must have a valid CRC32c and no NEEDS_CSUM\n"
	      "  fuzz TAP_A TAP_B [--seed S] [--count N]\n"
	      "      N (default 10000) random descriptor chains and rings, seeded,\n"
	      "      reproducible, in batches; after each: memory outside the table\n"
	      "      untouched, re-setup, an A <-> B transfer; at the end ring_errors and\n"
	      "      tx_packets + tx_dropped checked against what the guests saw\n"
	      "      --check-each: check the counters after each batch of A's (slow)\n"
	      "  --before-bind CMD   run CMD (sh -c) once, after both taps are attached\n"
	      "               (TUNSETIFF) and A's device is set up, before it is bound\n"
	      "  --then CMD   run CMD (sh -c) after a passing command, devices still open\n"
	      "exit: 0 success, 1 test failure, 2 usage/setup error\n", stderr);
	exit(2);
}

static unsigned long num_arg(const char *o, const char *s, unsigned long min, unsigned long max)
{
	char *end;
	unsigned long v;

	if (!s)
		die(2, "%s needs a value", o);
	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end || !*s || v < min || v > max)
		die(2, "%s: bad value '%s' (%lu..%lu)", o, s, min, max);
	return v;
}

static void mac_arg(const char *o, const char *s, uint8_t *m)
{
	char c;

	if (!s || sscanf(s, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx%c", &m[0], &m[1], &m[2],
			 &m[3], &m[4], &m[5], &c) != 6)
		die(2, "%s: bad MAC '%s'", o, s ? s : "");
}

/* --then CMD: run CMD (sh -c) once the command passed, devices still open */
static int finish(int rc)
{
	int st;

	if (rc || !opt.then)
		return rc;
	st = system(opt.then);
	if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st))
		die(1, "--then command failed (status %d): %s", st, opt.then);
	return 0;
}

int main(int argc, char **argv)
{
	const char *pos[4] = { 0 };
	struct guest *a, *b;
	int npos = 0, i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGALRM, watchdog);
	for (i = 1; i < argc; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (o[0] != '-' || !o[1]) {
			if (npos == 4)
				usage();
			pos[npos++] = o;
			continue;
		}
		if (!strcmp(o, "-v")) {
			opt.verbose = true;
			continue;
		} else if (!strcmp(o, "-h") || !strcmp(o, "--help")) {
			usage();
		} else if (!strcmp(o, "--no-mrg")) {
			opt.no_mrg = true;
			continue;
		} else if (!strcmp(o, "--no-event-idx")) {
			opt.no_event_idx = true;
			continue;
		} else if (!strcmp(o, "--no-indirect")) {
			opt.no_indirect = true;
			continue;
		} else if (!strcmp(o, "--no-v1")) {
			opt.no_v1 = true;
			continue;
		} else if (!strcmp(o, "--check-each")) {
			opt.check_each = true;
			continue;
		} else if (!strcmp(o, "--unplug-close")) {
			opt.unplug_close = true;
			continue;
		}
		if (!v)
			die(2, "%s needs a value", o);
		i++;
		if (!strcmp(o, "-d"))
			opt.dev = v;
		else if (!strcmp(o, "--qsize"))
			opt.qsize = num_arg(o, v, 8, 4096);
		else if (!strcmp(o, "--rx-buf"))
			opt.rx_buf = num_arg(o, v, 64, 65536);
		else if (!strcmp(o, "--count"))
			opt.count = num_arg(o, v, 1, 100000000), opt.count_set = true;
		else if (!strcmp(o, "--gso-len"))
			opt.gso_len = num_arg(o, v, 1, GSO_MAX_LEN);
		else if (!strcmp(o, "--size"))
			opt.size = num_arg(o, v, 22, 1514);
		else if (!strcmp(o, "--tag-a"))
			opt.tag_a = num_arg(o, v, 1, 4094);
		else if (!strcmp(o, "--expect-tag-b"))
			opt.tag_b = num_arg(o, v, 1, 4094);
		else if (!strcmp(o, "--allow-loss"))
			opt.allow_loss = num_arg(o, v, 0, 100000000);
		else if (!strcmp(o, "--seconds"))
			opt.seconds = num_arg(o, v, 1, 3600);
		else if (!strcmp(o, "--hostile-len"))
			opt.hostile_len = num_arg(o, v, 1, HOLE);
		else if (!strcmp(o, "--then"))
			opt.then = v;
		else if (!strcmp(o, "--while-held"))
			opt.while_held = v;
		else if (!strcmp(o, "--before-bind"))
			opt.before_bind = v;
		else if (!strcmp(o, "--seed"))
			opt.seed = strtoull(v, NULL, 0);
		else if (!strcmp(o, "--batch"))
			opt.batch = num_arg(o, v, 1, 4096);
		else if (!strcmp(o, "--mac-a"))
			mac_arg(o, v, opt.mac_a);
		else if (!strcmp(o, "--mac-b"))
			mac_arg(o, v, opt.mac_b);
		else if (!strcmp(o, "--offloads")) {
			if (!strcmp(v, "none"))
				opt.offloads = 0;
			else if (!strcmp(v, "csum"))
				opt.offloads = TUN_F_CSUM;
			else if (!strcmp(v, "all"))
				opt.offloads = ALL_OFFLOADS;
			else
				die(2, "--offloads: none, csum or all");
		} else {
			die(2, "unknown option %s", o);
		}
	}
	if (opt.qsize & (opt.qsize - 1))
		die(2, "--qsize must be a power of 2");
	if (npos < 3 || (strcmp(pos[0], "hostile") ? npos != 3 : npos != 4))
		usage();
	if (strcmp(pos[0], "xfer") && strcmp(pos[0], "restart") && strcmp(pos[0], "reset") &&
	    strcmp(pos[0], "hostile") && strcmp(pos[0], "bench") && strcmp(pos[0], "gso") &&
	    strcmp(pos[0], "unplug") && strcmp(pos[0], "sctp") && strcmp(pos[0], "fuzz"))
		usage();
	opt.gso = !strcmp(pos[0], "gso");
	if (opt.gso && (opt.tag_a >= 0 || opt.tag_b >= 0))
		die(2, "gso: --tag-a / --expect-tag-b are not supported");
	if (opt.gso && !opt.count_set)
		opt.count = 20;
	a = calloc(1, sizeof(*a));
	b = calloc(1, sizeof(*b));
	if (!a || !b)
		die(2, "out of memory");
	guest_init(a, "A", pos[1], opt.mac_a, opt.mac_b, opt.tag_a);
	guest_init(b, "B", pos[2], opt.mac_b, opt.mac_a, opt.tag_b);
	a->offloads = opt.gso ? ALL_OFFLOADS : opt.offloads;
	b->offloads = opt.offloads;
	b->rx_big = opt.gso && (b->offloads & TUN_F_TSO4);
	if (!strcmp(pos[0], "sctp"))
		return finish(cmd_sctp(a, b));
	if (!strcmp(pos[0], "fuzz")) {
		if (!opt.count_set)
			opt.count = 10000;
		opt.fuzz = true;
		return finish(cmd_fuzz(a, b));
	}
	if (opt.gso)
		return finish(cmd_gso(a, b));
	if (!strcmp(pos[0], "hostile"))
		return finish(cmd_hostile(a, b, pos[3]));
	if (!strcmp(pos[0], "bench"))
		return finish(cmd_bench(a, b));
	if (!strcmp(pos[0], "unplug"))
		return finish(cmd_unplug(a, b));
	guest_setup(a);
	guest_setup(b);
	ioctl_rc = 1;
	if (!strcmp(pos[0], "restart")) {
		cmd_restart(a, b);
	} else {
		xfer(a, b, "xfer");
		if (!strcmp(pos[0], "reset")) {
			guest_reset(a);
			guest_reset(b);
			xfer(a, b, "xfer after reset");
		}
	}
	printf("%s: ok\n", pos[0]);
	return finish(0);
}
