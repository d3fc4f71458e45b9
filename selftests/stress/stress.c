// SPDX-License-Identifier: GPL-2.0
/*
 * stress - concurrent random control-plane operations against vsw switches
 * in several network namespaces (issue 13, "Concurrency stress").
 *
 *   stress [-t SECS] [-n OPS] [-H CYCLES] [-s SEED] [-j THREADS] [-w WORLDS]
 *          [-c PERMILLE]
 *
 * It stops after SECS, or earlier once every target given is reached: OPS
 * operations (-n) and CYCLES unplug/plug cycles of the traffic ports (-H).
 *
 * A "world" is a network namespace: world 0 is the one the program starts
 * in (the traffic one, see selftests/stress.sh), worlds 1..WORLDS-1 are
 * made by a thread with unshare(CLONE_NEWNET) and deleted again (every
 * socket and fd of them closed: the kernel's cleanup_net() removes their
 * switches and veths, and the veth peers they have in world 0) and made
 * anew while the others run. Every world has slots with fixed ifindexes,
 * so creations reuse them: switches "swS" (1000 + S), veths "pK" (1100 +
 * K) with their peer "qK" (1200 + K) in the same world or "yW_K" (2000 +
 * 64 W + K) in world 0. Slots p0 and p1 of world 0 carry pktgen traffic:
 * never deleted or moved, only unplugged and plugged again.
 *
 * THREADS threads each loop: pick a world, then one of
 *  - a batch of 1..16 generic netlink requests, each either valid (random
 *    switch set, port set, FDB add/del/flush, rule add/del/flush, cache
 *    flush, gets; it may fail because of what others did, with ENODEV,
 *    EINVAL, ENOENT, EEXIST, ENOSPC...) or invalid by construction
 *    (values outside the policy, read-only or unknown attributes, missing
 *    ones, bad action lists, unknown commands, truncated attributes),
 *    which must fail with EINVAL/ERANGE/EOPNOTSUPP/E2BIG/ENODEV/ENOENT;
 *  - a batch of 1..4 rtnetlink requests: switch create (with its ifindex)
 *    or delete, veth create or delete, master/nomaster, up/down, a move
 *    to another world; invalid ones (a switch in a switch, a switch into
 *    itself, lo as a port, a multicast switch address, MTU 0);
 *  - a dump (switches, ports, FDB, rules, cache, VLANs; all or one
 *    switch) on a fresh socket with a small SO_RCVBUF, read to the end,
 *    or with sleeps between the parts, or with the dumped switch deleted
 *    and made again with the same ifindex between two parts, or
 *    abandoned (socket closed) after the first part;
 *  - a burst of frames (packet socket, random source MACs) into a port;
 *  - rarely, the deletion of a world (netns) and its re-creation;
 *  - with -c, in PERMILLE of the iterations (before any of the above): a
 *    batch of 64 invalid requests the policy rejects before RTNL is taken
 *    (cheap: what makes the operation count on a slow debug kernel).
 * One more thread, at a higher priority, unplugs and plugs the traffic
 * ports p0, p1 of world 0 (nomaster + master sw0, 8 of these cycles per
 * batch) all the time.
 *
 * An operation is one request message (a batch of N requests is N
 * operations; a dump is one), one frame burst or one netns re-creation.
 * Anything other than success or an expected error is a failure: an
 * unexpected errno (EFAULT, ENOMEM, EBADMSG, ...), the success of a
 * request that must fail, a dump that ends without NLMSG_DONE or takes
 * more than 30 s. At the end it prints the counters and
 *   ops=N hotplug=M unexpected=K seed=S
 * and exits 1 if K > 0. The seed fixes each thread's sequence of
 * operations (not their interleaving).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <libmnl/libmnl.h>
#include <linux/vsw.h>

#define MAXT		16
#define MAXW		8
#define NSW		4	/* switch slots per world */
#define NPORT		8	/* veth slots per world */
#define NPROT		2	/* world 0: p0, p1 carry pktgen traffic */
#define SW_IDX(s)	(1000 + (s))
#define P_IDX(k)	(1100 + (k))
#define Q_IDX(k)	(1200 + (k))
#define Y_IDX(w, k)	(2000 + 64 * (w) + (k))
#define BUFSZ		65536
#define MAXBATCH	64	/* requests in one sendmsg */
#define MSGMAX		1024	/* the largest request built */
#define NRECV		16	/* datagrams per recvmmsg */

enum op {
	/* generic netlink */
	O_SW_GET, O_SW_SET, O_PORT_GET, O_PORT_SET, O_FDB_NEW, O_FDB_DEL,
	O_FDB_FLUSH, O_RULE_NEW, O_RULE_DEL, O_RULE_FLUSH, O_CACHE_FLUSH,
	O_BAD_GENL,
	/* rtnetlink */
	O_SW_ADD, O_SW_DEL, O_VETH_ADD, O_LINK_DEL, O_MASTER, O_NOMASTER,
	O_UPDOWN, O_MOVE, O_BAD_RTNL,
	/* others */
	O_DUMP, O_TX, O_NETNS, O_HOTPLUG,
	NOPS
};

static const char *const op_name[NOPS] = {
	"switch_get", "switch_set", "port_get", "port_set", "fdb_add",
	"fdb_del", "fdb_flush", "rule_add", "rule_del", "rule_flush",
	"cache_flush", "bad_genl", "switch_add", "switch_del", "veth_add",
	"link_del", "master", "nomaster", "updown", "netns_move", "bad_rtnl",
	"dump", "tx_burst", "netns_recreate", "hotplug",
};

#define NERR	160

struct stats {
	uint64_t ok[NOPS], experr[NOPS], unexp[NOPS];
	uint64_t err[NERR];
	uint64_t dump_parts, dump_abandoned, dump_intr, dump_recreated;
	uint64_t hotplug, frames;
};

struct conn {
	unsigned int gen;	/* of the world; 0: not open */
	struct mnl_socket *rt, *ge;
	int pk;
};

struct world {
	pthread_rwlock_t lock;
	int nsfd;
	unsigned int gen;
};

struct thr {
	int id;
	uint64_t rng;
	pthread_t tid;
	struct conn c[MAXW];
	struct stats st;
	uint32_t seq;
};

static struct world W[MAXW];
static struct thr T[MAXT + 1];
static int nthreads = 4, nworlds = 3;
static unsigned int cheap;	/* permille of iterations: invalid batch */
static int initfd;
static uint16_t fam;
static atomic_bool stop;
static atomic_ullong total_ops, total_hot;
static unsigned long long max_ops, max_hot;
static atomic_int unexp_printed;

/* every target given (-n, -H) reached; false if none is given */
static bool targets_met(void)
{
	if (!max_ops && !max_hot)
		return false;
	return (!max_ops || atomic_load(&total_ops) >= max_ops) &&
	       (!max_hot || atomic_load(&total_hot) >= max_hot);
}

static void die(const char *msg)
{
	perror(msg);
	exit(2);
}

/* ------------------------------------------------------------ random -- */

static uint64_t rnd64(struct thr *t)
{
	uint64_t z = (t->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned int rnd(struct thr *t, unsigned int n)
{
	return n ? rnd64(t) % n : 0;
}

static bool chance(struct thr *t, unsigned int pct)
{
	return rnd(t, 100) < pct;
}

/* ---------------------------------------------------------- counting -- */

/* errors a valid request may get because of what the other threads did */
static bool race_errno(int e)
{
	switch (e) {
	case ENODEV: case EINVAL: case ENOENT: case EEXIST: case EBUSY:
	case ENOSPC: case ELOOP: case EOPNOTSUPP: case ENETDOWN: case ENXIO:
		return true;
	}
	return false;
}

/* errors a request that is invalid by construction may get */
static bool bad_errno(int e)
{
	switch (e) {
	case EINVAL: case ERANGE: case EOPNOTSUPP: case E2BIG: case ENODEV:
	case ENOENT: case ELOOP: case EADDRNOTAVAIL: case EMSGSIZE:
	case EEXIST: case EBUSY: /* a creation that collided first */
		return true;
	}
	return false;
}

/* e: 0 or a positive errno; must_fail: invalid by construction */
static void account(struct thr *t, int op, bool must_fail, int e,
		    const char *extack)
{
	bool good = must_fail ? (e && bad_errno(e)) : (!e || race_errno(e));

	atomic_fetch_add_explicit(&total_ops, 1, memory_order_relaxed);
	t->st.err[e < NERR ? e : 0]++;
	if (good) {
		if (e)
			t->st.experr[op]++;
		else
			t->st.ok[op]++;
		return;
	}
	t->st.unexp[op]++;
	if (atomic_fetch_add(&unexp_printed, 1) < 40)
		fprintf(stderr, "UNEXPECTED: thread %d op %s (%s): %s%s%s\n",
			t->id, op_name[op], must_fail ? "invalid" : "valid",
			e ? strerror(e) : "succeeded but must fail",
			extack && *extack ? ": " : "", extack ? extack : "");
}

/* ----------------------------------------------------------- sockets -- */

static struct mnl_socket *nl_open(int bus)
{
	struct mnl_socket *nl = mnl_socket_open(bus);
	struct timeval tv = { .tv_sec = 30 };
	int one = 1;

	if (!nl)
		return NULL;
	mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVTIMEO, &tv,
		   sizeof(tv));
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		mnl_socket_close(nl);
		return NULL;
	}
	return nl;
}

static void enter(int nsfd)
{
	if (setns(nsfd, CLONE_NEWNET))
		die("setns");
}

static void conn_close(struct conn *c)
{
	if (c->rt)
		mnl_socket_close(c->rt);
	if (c->ge)
		mnl_socket_close(c->ge);
	if (c->pk >= 0)
		close(c->pk);
	c->rt = c->ge = NULL;
	c->pk = -1;
	c->gen = 0;
}

/* world @w read-locked */
static struct conn *conn_get(struct thr *t, int w)
{
	struct conn *c = &t->c[w];

	if (c->gen == W[w].gen)
		return c;
	conn_close(c);
	enter(W[w].nsfd);
	c->rt = nl_open(NETLINK_ROUTE);
	c->ge = nl_open(NETLINK_GENERIC);
	c->pk = socket(AF_PACKET, SOCK_RAW, 0);
	enter(initfd);
	if (!c->rt || !c->ge || c->pk < 0)
		die("socket");
	c->gen = W[w].gen;
	return c;
}

/* ----------------------------------------------------------- batches -- */

struct batch {
	char buf[BUFSZ];
	size_t len;
	int n;
	struct {
		uint32_t seq;
		int op, err;
		bool must_fail, done;
	} r[MAXBATCH];
};

static struct nlmsghdr *msg_start(struct thr *t, struct batch *b,
				  uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh;

	/* a request is < MSGMAX: no uninitialised padding */
	memset(b->buf + b->len, 0, MSGMAX);
	nlh = mnl_nlmsg_put_header(b->buf + b->len);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = ++t->seq;
	return nlh;
}

static void msg_end(struct batch *b, struct nlmsghdr *nlh, int op,
		    bool must_fail)
{
	b->r[b->n].seq = nlh->nlmsg_seq;
	b->r[b->n].op = op;
	b->r[b->n].must_fail = must_fail;
	b->r[b->n].done = false;
	b->r[b->n].err = 0;
	b->n++;
	b->len += NLMSG_ALIGN(nlh->nlmsg_len);
}

static void extack_msg(const struct nlmsghdr *nlh, char *out, size_t sz)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t off = sizeof(*e);
	const struct nlattr *a;

	*out = 0;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(e->msg);
	if (off > mnl_nlmsg_get_payload_len(nlh))
		return;
	mnl_attr_for_each(a, nlh, off)
		if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG)
			snprintf(out, sz, "%.*s",
				 (int)mnl_attr_get_payload_len(a),
				 (const char *)mnl_attr_get_payload(a));
}

/* an acknowledgement of request @nlh of batch @b */
static int batch_ack(struct thr *t, struct batch *b, const struct nlmsghdr *nlh)
{
	char ext[256];
	int i, e;

	if (nlh->nlmsg_type != NLMSG_ERROR)
		return 0; /* a GET's reply */
	for (i = 0; i < b->n; i++)
		if (b->r[i].seq == nlh->nlmsg_seq && !b->r[i].done)
			break;
	if (i == b->n)
		return 0;
	e = -((const struct nlmsgerr *)mnl_nlmsg_get_payload(nlh))->error;
	extack_msg(nlh, ext, sizeof(ext));
	account(t, b->r[i].op, b->r[i].must_fail, e, ext);
	b->r[i].err = e;
	b->r[i].done = true;
	return 1;
}

/*
 * Send the batch, account every acknowledgement. Each acknowledgement is a
 * datagram of its own: read up to NRECV of them per recvmmsg(). A GET's
 * reply larger than the 4 KiB slot is truncated: it is skipped anyway.
 */
static void batch_run(struct thr *t, struct mnl_socket *nl, struct batch *b)
{
	static __thread char rbuf[NRECV][4096];
	struct mmsghdr mm[NRECV];
	struct iovec iov[NRECV];
	int left = b->n, i, j;

	if (!b->n)
		return;
	if (mnl_socket_sendto(nl, b->buf, b->len) < 0) {
		for (i = 0; i < b->n; i++) {
			account(t, b->r[i].op, b->r[i].must_fail, errno,
				"sendmsg");
			b->r[i].err = errno;
		}
		return;
	}
	while (left) {
		int n;

		memset(mm, 0, sizeof(mm));
		for (j = 0; j < NRECV; j++) {
			iov[j].iov_base = rbuf[j];
			iov[j].iov_len = sizeof(rbuf[j]);
			mm[j].msg_hdr.msg_iov = &iov[j];
			mm[j].msg_hdr.msg_iovlen = 1;
		}
		n = recvmmsg(mnl_socket_get_fd(nl), mm, NRECV, MSG_WAITFORONE,
			     NULL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			for (i = 0; i < b->n; i++)
				if (!b->r[i].done) {
					b->r[i].err = errno == EAGAIN ? ETIMEDOUT : errno;
					account(t, b->r[i].op,
						b->r[i].must_fail, b->r[i].err,
						"no acknowledgement");
				}
			return;
		}
		for (j = 0; j < n; j++) {
			const struct nlmsghdr *nlh = (const void *)rbuf[j];
			int len = mm[j].msg_len;

			if (mm[j].msg_hdr.msg_flags & MSG_TRUNC)
				continue;
			for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len))
				left -= batch_ack(t, b, nlh);
		}
	}
}

/* ------------------------------------------------- generic netlink ops -- */

static const uint8_t mac_pool_hi[] = { 0x02, 0x5e, 0x00, 0x00 };

static void put_mac(struct thr *t, struct nlmsghdr *nlh, int type,
		    bool mcast)
{
	uint8_t mac[ETH_ALEN];

	memcpy(mac, mac_pool_hi, 4);
	mac[4] = rnd(t, 4);
	mac[5] = rnd(t, 64);
	if (mcast)
		mac[0] = 0x01;
	mnl_attr_put(nlh, type, ETH_ALEN, mac);
}

static void put_switch(struct thr *t, struct nlmsghdr *nlh)
{
	int s = chance(t, 40) ? 0 : (int)rnd(t, NSW);
	char name[IFNAMSIZ];

	if (chance(t, 80)) {
		mnl_attr_put_u32(nlh, VSW_ATTR_IFINDEX, SW_IDX(s));
	} else {
		snprintf(name, sizeof(name), "sw%d", s);
		mnl_attr_put_strz(nlh, VSW_ATTR_IFNAME, name);
	}
}

static uint32_t any_port(struct thr *t)
{
	if (chance(t, 15))
		return SW_IDX(rnd(t, NSW));
	return P_IDX(chance(t, 50) ? rnd(t, 2) : rnd(t, NPORT));
}

static void put_bitmap(struct thr *t, struct nlmsghdr *nlh, int type,
		       bool bad)
{
	uint8_t bm[VSW_VLAN_BITMAP_LEN] = { 0 };
	int i, vid;

	for (i = rnd(t, 6); i > 0; i--) {
		vid = 1 + rnd(t, 8);
		bm[vid / 8] |= 1 << (vid % 8);
	}
	if (bad)
		bm[4095 / 8] |= 0x80;
	mnl_attr_put(nlh, type, bad && chance(t, 50) ? 100 : sizeof(bm), bm);
}

static const uint16_t prios[] = { 10, 20, 100, 32768, 40000 };

/* one of a few matches, so that adds replace and deletes find rules */
static void put_match(struct thr *t, struct nlmsghdr *nlh, bool bad)
{
	struct nlattr *m = mnl_attr_nest_start(nlh, VSW_RULE_ATTR_MATCH);
	uint8_t ip[4] = { 198, 51, 100, (uint8_t)rnd(t, 4) };

	switch (rnd(t, bad ? 9 : 6)) {
	case 0:
		mnl_attr_put_u32(nlh, VSW_KEY_ATTR_IN_PORT, P_IDX(rnd(t, 3)));
		break;
	case 1:
		mnl_attr_put_u16(nlh, VSW_KEY_ATTR_ETH_TYPE, htons(0x0800));
		mnl_attr_put_u8(nlh, VSW_KEY_ATTR_IP_PROTO, 17);
		break;
	case 2:
		put_mac(t, nlh, VSW_KEY_ATTR_ETH_SRC, false);
		break;
	case 3:
		mnl_attr_put_u16(nlh, VSW_KEY_ATTR_VLAN_VID, 1 + rnd(t, 4));
		break;
	case 4:
		mnl_attr_put_u16(nlh, VSW_KEY_ATTR_ETH_TYPE, htons(0x0800));
		mnl_attr_put(nlh, VSW_KEY_ATTR_IPV4_DST, 4, ip);
		break;
	case 5:
		break; /* match all */
	case 6: /* invalid: an IPv4 field without its ethertype */
		mnl_attr_put(nlh, VSW_KEY_ATTR_IPV4_SRC, 4, ip);
		break;
	case 7: /* invalid: VID 0 */
		mnl_attr_put_u16(nlh, VSW_KEY_ATTR_VLAN_VID, 0);
		break;
	default: /* invalid: a cache-only attribute */
		mnl_attr_put_u16(nlh, VSW_KEY_ATTR_ETH_TYPE_MASK, 0xffff);
		break;
	}
	mnl_attr_nest_end(nlh, m);
}

static void put_actions(struct thr *t, struct nlmsghdr *nlh, bool bad)
{
	struct nlattr *a = mnl_attr_nest_start(nlh, VSW_RULE_ATTR_ACTIONS);
	int i;

	if (bad) {
		switch (rnd(t, 3)) {
		case 0: /* DROP is not last */
			mnl_attr_put(nlh, VSW_ACTION_ATTR_DROP, 0, NULL);
			mnl_attr_put(nlh, VSW_ACTION_ATTR_NORMAL, 0, NULL);
			break;
		case 1: /* too many */
			for (i = 0; i <= VSW_ACTIONS_MAX; i++)
				mnl_attr_put_u16(nlh, VSW_ACTION_ATTR_SET_VLAN_VID, 2);
			mnl_attr_put(nlh, VSW_ACTION_ATTR_NORMAL, 0, NULL);
			break;
		default: /* none */
			break;
		}
		mnl_attr_nest_end(nlh, a);
		return;
	}
	if (chance(t, 20))
		mnl_attr_put_u32(nlh, VSW_ACTION_ATTR_OUTPUT, P_IDX(rnd(t, 3)));
	if (chance(t, 15))
		mnl_attr_put_u16(nlh, VSW_ACTION_ATTR_SET_VLAN_VID, 1 + rnd(t, 4));
	switch (rnd(t, 4)) {
	case 0:
		mnl_attr_put(nlh, VSW_ACTION_ATTR_DROP, 0, NULL);
		break;
	case 1:
		mnl_attr_put(nlh, VSW_ACTION_ATTR_FLOOD, 0, NULL);
		break;
	default:
		mnl_attr_put(nlh, VSW_ACTION_ATTR_NORMAL, 0, NULL);
	}
	mnl_attr_nest_end(nlh, a);
}

/* invalid requests the policy rejects before any lock is taken */
static const uint8_t cheap_kinds[] = { 0, 1, 2, 3, 4, 7, 8, 9, 11 };

/* @cheap: only requests rejected by the policy (no RTNL) */
static void genl_one(struct thr *t, struct batch *b, bool cheap)
{
	bool bad = cheap || chance(t, 45);
	int op = bad ? O_BAD_GENL : (int)rnd(t, O_BAD_GENL);
	struct nlmsghdr *nlh = msg_start(t, b, fam, 0);
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	struct nlattr *n;
	int kind;

	g->version = VSW_GENL_VERSION;
	if (bad) {
		/* the command the invalid request is for */
		kind = cheap ? cheap_kinds[rnd(t, sizeof(cheap_kinds))] :
			       (int)rnd(t, 12);
		op = O_BAD_GENL;
		switch (kind) {
		case 0:
			g->cmd = VSW_CMD_SWITCH_SET;
			put_switch(t, nlh);
			if (chance(t, 50))
				mnl_attr_put_u32(nlh, VSW_ATTR_AGEING,
						 VSW_AGEING_MAX + 1 + rnd(t, 1000));
			else
				mnl_attr_put_u32(nlh, VSW_ATTR_CACHE_SIZE, 0);
			break;
		case 1:
			g->cmd = VSW_CMD_SWITCH_SET;
			put_switch(t, nlh);
			mnl_attr_put_u32(nlh, VSW_ATTR_FDB_COUNT, 1); /* read only */
			break;
		case 2:
			g->cmd = VSW_CMD_PORT_SET;
			n = mnl_attr_nest_start(nlh, VSW_ATTR_PORT);
			mnl_attr_put_u32(nlh, VSW_PORT_ATTR_IFINDEX, any_port(t));
			switch (rnd(t, 4)) {
			case 0:
				mnl_attr_put_u16(nlh, VSW_PORT_ATTR_TAG,
						 chance(t, 50) ? 0 : 4095 + rnd(t, 100));
				break;
			case 1:
				mnl_attr_put_u8(nlh, VSW_PORT_ATTR_MODE,
						__VSW_VLAN_MODE_MAX + rnd(t, 200));
				break;
			case 2: /* 4095 set is found only under RTNL */
				if (cheap)
					mnl_attr_put(nlh, VSW_PORT_ATTR_TRUNKS, 7, "1234567");
				else
					put_bitmap(t, nlh, VSW_PORT_ATTR_TRUNKS, true);
				break;
			default:
				mnl_attr_put_u32(nlh, VSW_PORT_ATTR_MAC_COUNT, 3);
			}
			mnl_attr_nest_end(nlh, n);
			break;
		case 3:
			g->cmd = VSW_CMD_FDB_NEW;
			put_switch(t, nlh);
			n = mnl_attr_nest_start(nlh, VSW_ATTR_FDB);
			put_mac(t, nlh, VSW_FDB_ATTR_MAC, chance(t, 50));
			mnl_attr_put_u16(nlh, VSW_FDB_ATTR_VID, chance(t, 50) ? 0 : 4095);
			mnl_attr_put_u32(nlh, VSW_FDB_ATTR_PORT_IFINDEX, any_port(t));
			mnl_attr_nest_end(nlh, n);
			break;
		case 4:
			g->cmd = VSW_CMD_FDB_DEL;
			put_switch(t, nlh);
			n = mnl_attr_nest_start(nlh, VSW_ATTR_FDB);
			put_mac(t, nlh, VSW_FDB_ATTR_MAC, false); /* no VID */
			mnl_attr_nest_end(nlh, n);
			break;
		case 5:
		case 6:
			g->cmd = VSW_CMD_RULE_NEW;
			put_switch(t, nlh);
			n = mnl_attr_nest_start(nlh, VSW_ATTR_RULE);
			mnl_attr_put_u16(nlh, VSW_RULE_ATTR_PRIORITY, prios[rnd(t, 5)]);
			if (kind == 5) {
				put_match(t, nlh, false);
				put_actions(t, nlh, true);
			} else {
				/* match 6..8 are the invalid ones */
				struct nlattr *m = mnl_attr_nest_start(nlh, VSW_RULE_ATTR_MATCH);

				mnl_attr_put(nlh, VSW_KEY_ATTR_IPV6_DST, 4, "abcd");
				mnl_attr_nest_end(nlh, m);
				put_actions(t, nlh, false);
			}
			mnl_attr_nest_end(nlh, n);
			break;
		case 7:
			g->cmd = VSW_CMD_RULE_DEL;
			put_switch(t, nlh);
			n = mnl_attr_nest_start(nlh, VSW_ATTR_RULE);
			put_match(t, nlh, true);
			mnl_attr_put(nlh, VSW_RULE_ATTR_ACTIONS, 0, NULL); /* not taken */
			mnl_attr_nest_end(nlh, n);
			break;
		case 8:
			g->cmd = chance(t, 50) ? VSW_CMD_EVENT : 100 + rnd(t, 150);
			put_switch(t, nlh);
			break;
		case 9: /* an attribute beyond the family's maxattr */
			g->cmd = VSW_CMD_CACHE_FLUSH;
			put_switch(t, nlh);
			mnl_attr_put_u32(nlh, VSW_ATTR_MAX + 1 + rnd(t, 20), 0);
			break;
		case 10: /* truncated attribute: nla_len beyond the message */
			g->cmd = VSW_CMD_RULE_FLUSH;
			put_switch(t, nlh);
			mnl_attr_put_u32(nlh, VSW_ATTR_IFINDEX, SW_IDX(0));
			((struct nlattr *)((char *)nlh + nlh->nlmsg_len - 8))->nla_len = 64;
			break;
		default: /* switch index 0 (policy minimum 1) */
			g->cmd = VSW_CMD_SWITCH_GET;
			mnl_attr_put_u32(nlh, VSW_ATTR_IFINDEX, 0);
			break;
		}
		msg_end(b, nlh, op, true);
		return;
	}

	switch (op) {
	case O_SW_GET:
		g->cmd = VSW_CMD_SWITCH_GET;
		put_switch(t, nlh);
		break;
	case O_SW_SET:
		g->cmd = VSW_CMD_SWITCH_SET;
		put_switch(t, nlh);
		if (chance(t, 60))
			mnl_attr_put_u32(nlh, VSW_ATTR_AGEING,
					 (const uint32_t[]){ 0, 1, 2, 300 }[rnd(t, 4)]);
		if (chance(t, 40))
			mnl_attr_put_u32(nlh, VSW_ATTR_MAX_MACS,
					 (const uint32_t[]){ 0, 16, 1000 }[rnd(t, 3)]);
		if (chance(t, 40))
			mnl_attr_put_u32(nlh, VSW_ATTR_CACHE_SIZE,
					 (const uint32_t[]){ 1, 8, 256, 4096 }[rnd(t, 4)]);
		break;
	case O_PORT_GET:
	case O_PORT_SET:
		g->cmd = op == O_PORT_GET ? VSW_CMD_PORT_GET : VSW_CMD_PORT_SET;
		if (chance(t, 50))
			put_switch(t, nlh);
		n = mnl_attr_nest_start(nlh, VSW_ATTR_PORT);
		mnl_attr_put_u32(nlh, VSW_PORT_ATTR_IFINDEX, any_port(t));
		if (op == O_PORT_SET) {
			unsigned int mode = rnd(t, __VSW_VLAN_MODE_MAX);

			if (chance(t, 60))
				mnl_attr_put_u8(nlh, VSW_PORT_ATTR_MODE,
						chance(t, 50) ? 0 : mode);
			if (chance(t, 50))
				mnl_attr_put_u16(nlh, VSW_PORT_ATTR_TAG, 1 + rnd(t, 4));
			if (chance(t, 40))
				put_bitmap(t, nlh, VSW_PORT_ATTR_TRUNKS, false);
			if (chance(t, 20))
				put_bitmap(t, nlh, VSW_PORT_ATTR_CVLANS, false);
			if (chance(t, 30))
				mnl_attr_put_u8(nlh, VSW_PORT_ATTR_LEARNING, rnd(t, 2));
			if (chance(t, 20))
				mnl_attr_put_u8(nlh, VSW_PORT_ATTR_FLOOD_UCAST, rnd(t, 2));
			if (chance(t, 20))
				mnl_attr_put_u8(nlh, VSW_PORT_ATTR_ISOLATED, rnd(t, 2));
			if (chance(t, 20))
				mnl_attr_put_u32(nlh, VSW_PORT_ATTR_MAX_MACS,
						 rnd(t, 3) * 50);
		}
		mnl_attr_nest_end(nlh, n);
		break;
	case O_FDB_NEW:
	case O_FDB_DEL:
	case O_FDB_FLUSH:
		g->cmd = op == O_FDB_NEW ? VSW_CMD_FDB_NEW :
			 op == O_FDB_DEL ? VSW_CMD_FDB_DEL : VSW_CMD_FDB_FLUSH;
		put_switch(t, nlh);
		if (op == O_FDB_FLUSH && chance(t, 50))
			break;
		n = mnl_attr_nest_start(nlh, VSW_ATTR_FDB);
		if (op != O_FDB_FLUSH)
			put_mac(t, nlh, VSW_FDB_ATTR_MAC, false);
		if (op != O_FDB_FLUSH || chance(t, 50))
			mnl_attr_put_u16(nlh, VSW_FDB_ATTR_VID, 1 + rnd(t, 4));
		if (op == O_FDB_NEW || (op == O_FDB_FLUSH && chance(t, 50)))
			mnl_attr_put_u32(nlh, VSW_FDB_ATTR_PORT_IFINDEX,
					 P_IDX(chance(t, 60) ? rnd(t, 2) : rnd(t, NPORT)));
		mnl_attr_nest_end(nlh, n);
		break;
	case O_RULE_NEW:
	case O_RULE_DEL:
		g->cmd = op == O_RULE_NEW ? VSW_CMD_RULE_NEW : VSW_CMD_RULE_DEL;
		put_switch(t, nlh);
		n = mnl_attr_nest_start(nlh, VSW_ATTR_RULE);
		mnl_attr_put_u16(nlh, VSW_RULE_ATTR_PRIORITY, prios[rnd(t, 5)]);
		put_match(t, nlh, false);
		if (op == O_RULE_NEW)
			put_actions(t, nlh, false);
		mnl_attr_nest_end(nlh, n);
		break;
	case O_RULE_FLUSH:
		g->cmd = VSW_CMD_RULE_FLUSH;
		put_switch(t, nlh);
		break;
	default:
		op = O_CACHE_FLUSH;
		g->cmd = VSW_CMD_CACHE_FLUSH;
		put_switch(t, nlh);
		break;
	}
	msg_end(b, nlh, op, false);
}

/* ------------------------------------------------------ rtnetlink ops -- */

static struct nlmsghdr *link_msg(struct thr *t, struct batch *b, int type,
				 uint16_t flags, int ifindex)
{
	struct nlmsghdr *nlh = msg_start(t, b, type, flags);
	struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));

	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = ifindex;
	return nlh;
}

static void sw_add(struct thr *t, struct batch *b, int s, bool bad)
{
	struct nlmsghdr *nlh = link_msg(t, b, RTM_NEWLINK,
					NLM_F_CREATE | NLM_F_EXCL, SW_IDX(s));
	struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);
	char name[IFNAMSIZ];
	struct nlattr *li;

	ifm->ifi_flags = ifm->ifi_change = IFF_UP;
	snprintf(name, sizeof(name), "sw%d", s);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	if (bad) {
		if (chance(t, 50)) {
			mnl_attr_put_u32(nlh, IFLA_MTU, rnd(t, 60));
		} else {
			uint8_t mac[ETH_ALEN] = { 0x01, 0, 0x5e, 0, 0, 1 };

			mnl_attr_put(nlh, IFLA_ADDRESS, ETH_ALEN, mac);
		}
	}
	li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "vsw");
	mnl_attr_nest_end(nlh, li);
	msg_end(b, nlh, bad ? O_BAD_RTNL : O_SW_ADD, bad);
}

static void veth_add(struct thr *t, struct batch *b, int w, int k)
{
	struct nlmsghdr *nlh = link_msg(t, b, RTM_NEWLINK,
					NLM_F_CREATE | NLM_F_EXCL, P_IDX(k));
	struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh), *pm;
	bool cross = w && chance(t, 30) && W[0].nsfd >= 0;
	struct nlattr *li, *data, *peer;
	char name[IFNAMSIZ];

	/* promiscuous already: enslaving it logs no "entered promiscuous
	 * mode" (100k such lines slow everything down)
	 */
	ifm->ifi_flags = ifm->ifi_change = IFF_UP | IFF_PROMISC;
	snprintf(name, sizeof(name), "p%d", k);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	peer = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	pm = mnl_nlmsg_put_extra_header(nlh, sizeof(*pm));
	pm->ifi_family = AF_UNSPEC; /* not up: it has no peer yet (ENOTCONN) */
	pm->ifi_index = cross ? Y_IDX(w, k) : Q_IDX(k);
	if (cross)
		snprintf(name, sizeof(name), "y%d_%d", w, k);
	else
		snprintf(name, sizeof(name), "q%d", k);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	if (cross) /* world 0 is never deleted: its fd stays valid */
		mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, W[0].nsfd);
	mnl_attr_nest_end(nlh, peer);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, li);
	msg_end(b, nlh, O_VETH_ADD, false);
	if (!cross) { /* its peer up, in the same batch */
		nlh = link_msg(t, b, RTM_SETLINK, 0, Q_IDX(k));
		ifm = mnl_nlmsg_get_payload(nlh);
		ifm->ifi_flags = ifm->ifi_change = IFF_UP;
		msg_end(b, nlh, O_UPDOWN, false);
	}
}

static void set_master(struct thr *t, struct batch *b, int ifindex,
		       int master, int op, bool bad)
{
	struct nlmsghdr *nlh = link_msg(t, b, RTM_SETLINK, 0, ifindex);

	mnl_attr_put_u32(nlh, IFLA_MASTER, master);
	msg_end(b, nlh, op, bad);
}

static void rtnl_one(struct thr *t, struct batch *b, int w)
{
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm;
	int k = rnd(t, NPORT);
	bool prot = !w && k < NPROT;

	switch (rnd(t, 16)) {
	case 0:
	case 1:
		sw_add(t, b, rnd(t, NSW), false);
		break;
	case 2:
		nlh = link_msg(t, b, RTM_DELLINK, 0, SW_IDX(rnd(t, NSW)));
		msg_end(b, nlh, O_SW_DEL, false);
		break;
	case 3:
	case 4:
		veth_add(t, b, w, k);
		break;
	case 5:
		if (prot)
			k = NPROT + rnd(t, NPORT - NPROT);
		nlh = link_msg(t, b, RTM_DELLINK, 0,
			       chance(t, 70) ? P_IDX(k) : Q_IDX(k));
		msg_end(b, nlh, O_LINK_DEL, false);
		break;
	case 6:
	case 7:
	case 8:
		set_master(t, b, P_IDX(k),
			   SW_IDX(chance(t, 50) ? 0 : (int)rnd(t, NSW)),
			   O_MASTER, false);
		break;
	case 9:
	case 10:
		set_master(t, b, P_IDX(k), 0, O_NOMASTER, false);
		break;
	case 11:
		nlh = link_msg(t, b, RTM_SETLINK, 0,
			       chance(t, 50) ? P_IDX(k) : Q_IDX(k));
		ifm = mnl_nlmsg_get_payload(nlh);
		ifm->ifi_change = IFF_UP;
		ifm->ifi_flags = chance(t, 70) ? IFF_UP : 0;
		msg_end(b, nlh, O_UPDOWN, false);
		break;
	case 12: /* a switch as a port of a switch, or of itself */
		k = rnd(t, NSW);
		set_master(t, b, SW_IDX(k),
			   SW_IDX(chance(t, 50) ? k : (int)rnd(t, NSW)),
			   O_BAD_RTNL, true);
		break;
	case 13: /* lo as a port */
		set_master(t, b, 1, SW_IDX(rnd(t, NSW)), O_BAD_RTNL, true);
		break;
	case 14:
		sw_add(t, b, rnd(t, NSW), true);
		break;
	default: /* a port moved to another world: done in rtnl_batch */
		set_master(t, b, P_IDX(k), SW_IDX(rnd(t, NSW)), O_MASTER, false);
		break;
	}
}

/* move veth pK of world @w to another world (its switch loses it) */
static void netns_move(struct thr *t, int w, struct mnl_socket *rt)
{
	int v = rnd(t, nworlds), k = rnd(t, NPORT);
	struct batch *b;

	if (v == w || (!w && k < NPROT) || pthread_rwlock_tryrdlock(&W[v].lock))
		return;
	b = calloc(1, sizeof(*b));
	if (!b)
		die("calloc");
	struct nlmsghdr *nlh = link_msg(t, b, RTM_SETLINK, 0, P_IDX(k));

	mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, W[v].nsfd);
	msg_end(b, nlh, O_MOVE, false);
	batch_run(t, rt, b);
	pthread_rwlock_unlock(&W[v].lock);
	free(b);
}

/* ------------------------------------------------------------- dumps -- */

static void dump_op(struct thr *t, int w, struct conn *c)
{
	static const uint8_t cmds[] = {
		VSW_CMD_SWITCH_GET, VSW_CMD_PORT_GET, VSW_CMD_FDB_GET,
		VSW_CMD_FDB_GET, VSW_CMD_RULE_GET, VSW_CMD_CACHE_GET,
		VSW_CMD_VLAN_GET,
	};
	static __thread char rbuf[BUFSZ];
	char req[512];
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;
	int mode = rnd(t, 4), s = rnd(t, NSW), rcvbuf = 1024 + rnd(t, 8192);
	int parts = 0, e = -1;
	size_t rlen = sizeof(rbuf);
	bool filter = chance(t, 60), intr = false;
	uint32_t seq = ++t->seq;

	enter(W[w].nsfd);
	nl = nl_open(NETLINK_GENERIC);
	enter(initfd);
	if (!nl)
		die("dump socket");
	setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVBUF, &rcvbuf,
		   sizeof(rcvbuf));
	memset(req, 0, sizeof(req));
	nlh = mnl_nlmsg_put_header(req);
	nlh->nlmsg_type = fam;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmds[rnd(t, sizeof(cmds))];
	g->version = VSW_GENL_VERSION;
	if (filter)
		mnl_attr_put_u32(nlh, VSW_ATTR_IFINDEX, SW_IDX(s));
	if (g->cmd == VSW_CMD_FDB_GET && chance(t, 30)) {
		struct nlattr *n = mnl_attr_nest_start(nlh, VSW_ATTR_FDB);

		mnl_attr_put_u16(nlh, VSW_FDB_ATTR_VID, 1);
		mnl_attr_nest_end(nlh, n);
	}
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		e = errno;
		goto out;
	}
	for (;;) {
		ssize_t n = recv(mnl_socket_get_fd(nl), rbuf, rlen, 0);
		const struct nlmsghdr *m = (const void *)rbuf;
		int len = n;

		if (n < 0) {
			e = errno == EAGAIN ? ETIMEDOUT : errno;
			break;
		}
		parts++;
		t->st.dump_parts++;
		for (; mnl_nlmsg_ok(m, len); m = mnl_nlmsg_next(m, &len)) {
			if (m->nlmsg_seq != seq) {
				e = EBADMSG;
				goto out;
			}
			if (m->nlmsg_flags & NLM_F_DUMP_INTR)
				intr = true;
			if (m->nlmsg_type == NLMSG_DONE ||
			    m->nlmsg_type == NLMSG_ERROR) {
				e = 0;
				if (mnl_nlmsg_get_payload_len(m) >= sizeof(int))
					e = -*(const int *)mnl_nlmsg_get_payload(m);
				goto out;
			}
		}
		if (parts == 1 && mode == 2) { /* abandon */
			t->st.dump_abandoned++;
			e = 0;
			goto out;
		}
		if (parts == 1 && mode == 3 && filter) {
			/* the switch deleted and made again, same ifindex */
			struct batch *b = calloc(1, sizeof(*b));

			if (!b)
				die("calloc");
			nlh = link_msg(t, b, RTM_DELLINK, 0, SW_IDX(s));
			msg_end(b, nlh, O_SW_DEL, false);
			sw_add(t, b, s, false);
			batch_run(t, c->rt, b);
			free(b);
			t->st.dump_recreated++;
		}
		if (mode == 1)
			usleep(rnd(t, 20000));
	}
out:
	if (intr)
		t->st.dump_intr++;
	mnl_socket_close(nl);
	account(t, O_DUMP, false, e < 0 ? EPROTO : e, "dump");
}

/* ---------------------------------------------------------- frames ---- */

static void tx_burst(struct thr *t, struct conn *c)
{
	uint8_t fr[64] = { 0 };
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_ifindex = Q_IDX(rnd(t, NPORT)),
		.sll_halen = ETH_ALEN,
	};
	int i, n = 4 + rnd(t, 12), e = 0;

	for (i = 0; i < n; i++) {
		if (chance(t, 30))
			memset(fr, 0xff, 6);
		else
			memcpy(fr, mac_pool_hi, 4), fr[4] = rnd(t, 4), fr[5] = rnd(t, 64);
		memcpy(fr + 6, mac_pool_hi, 4);
		fr[10] = rnd(t, 4);
		fr[11] = rnd(t, 64);
		fr[12] = 0x88;
		fr[13] = 0xb5; /* local experimental ethertype */
		if (sendto(c->pk, fr, 60, 0, (struct sockaddr *)&sll,
			   sizeof(sll)) < 0) {
			e = errno;
			if (e == ENOBUFS) { /* dropped: a backlog is full */
				e = 0;
				continue;
			}
			break;
		}
		t->st.frames++;
	}
	account(t, O_TX, false, e, "tx");
}

/* ----------------------------------------------------------- worlds ---- */

static int new_netns(void)
{
	const char *const knobs[] = {
		"/proc/sys/net/ipv6/conf/all/disable_ipv6",
		"/proc/sys/net/ipv6/conf/default/disable_ipv6",
	};
	unsigned int i;
	int fd;

	if (unshare(CLONE_NEWNET))
		die("unshare(CLONE_NEWNET)");
	fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die("open ns");
	for (i = 0; i < 2; i++) {
		int k = open(knobs[i], O_WRONLY);

		if (k >= 0) {
			if (write(k, "1", 1) < 0)
				perror(knobs[i]);
			close(k);
		}
	}
	enter(initfd);
	return fd;
}

/* delete world @w (the kernel removes its devices) and make it again */
static void recreate_world(struct thr *t, int w)
{
	int i;

	if (pthread_rwlock_trywrlock(&W[w].lock))
		return;
	for (i = 0; i <= nthreads; i++)
		conn_close(&T[i].c[w]);
	close(W[w].nsfd);
	W[w].nsfd = new_netns();
	if (++W[w].gen == 0)
		W[w].gen = 1;
	pthread_rwlock_unlock(&W[w].lock);
	account(t, O_NETNS, false, 0, NULL);
}

/* ---------------------------------------------------------- threads ---- */

static void *op_thread(void *arg)
{
	struct thr *t = arg;
	struct batch *b = malloc(sizeof(*b));
	int i, n;

	if (!b)
		die("malloc");
	while (!atomic_load(&stop)) {
		int w = rnd(t, nworlds), k = rnd(t, 1000);
		struct conn *c;

		if (rnd(t, 1000) < cheap) {
			/* a batch of invalid requests: cheap, no RTNL */
			pthread_rwlock_rdlock(&W[w].lock);
			c = conn_get(t, w);
			b->len = b->n = 0;
			for (i = 0; i < MAXBATCH; i++)
				genl_one(t, b, true);
			batch_run(t, c->ge, b);
			pthread_rwlock_unlock(&W[w].lock);
			continue;
		}
		if (w && k < 2) {
			recreate_world(t, w);
			continue;
		}
		pthread_rwlock_rdlock(&W[w].lock);
		c = conn_get(t, w);
		b->len = b->n = 0;
		if (k < 40) {
			dump_op(t, w, c);
		} else if (k < 90) {
			tx_burst(t, c);
		} else if (k < 100) {
			netns_move(t, w, c->rt);
		} else if (k < 330) {
			n = 1 + rnd(t, 4);
			for (i = 0; i < n; i++)
				rtnl_one(t, b, w);
			batch_run(t, c->rt, b);
		} else {
			n = 1 + rnd(t, 16);
			for (i = 0; i < n; i++)
				genl_one(t, b, false);
			batch_run(t, c->ge, b);
		}
		pthread_rwlock_unlock(&W[w].lock);
		if (targets_met())
			atomic_store(&stop, true);
	}
	free(b);
	return NULL;
}

/*
 * World 0: p0 and p1 (pktgen traffic) unplugged and plugged again, 8
 * cycles per sendmsg (less waiting for the scheduler on a loaded VM), at a
 * higher priority than the operation threads.
 */
#define HOTPLUG_BATCH	8

static void *hotplug_thread(void *arg)
{
	struct thr *t = arg;
	struct batch *b = malloc(sizeof(*b));
	int i, k, sw_gone;

	if (!b)
		die("malloc");
	if (setpriority(PRIO_PROCESS, gettid(), -10))
		perror("setpriority");
	while (!atomic_load(&stop)) {
		struct conn *c;

		pthread_rwlock_rdlock(&W[0].lock);
		c = conn_get(t, 0);
		b->len = b->n = 0;
		for (i = 0; i < HOTPLUG_BATCH; i++) {
			k = i % NPROT;
			set_master(t, b, P_IDX(k), 0, O_HOTPLUG, false);
			set_master(t, b, P_IDX(k), SW_IDX(0), O_HOTPLUG, false);
		}
		batch_run(t, c->rt, b);
		for (i = sw_gone = 0; i < b->n; i += 2) {
			if (!b->r[i].done || !b->r[i + 1].done)
				continue;
			if (!b->r[i].err && !b->r[i + 1].err) {
				t->st.hotplug++;
				atomic_fetch_add_explicit(&total_hot, 1,
							  memory_order_relaxed);
			}
			else if (b->r[i + 1].err)
				sw_gone = 1;
		}
		if (sw_gone) { /* another thread deleted sw0 */
			b->len = b->n = 0;
			sw_add(t, b, 0, false);
			batch_run(t, c->rt, b);
		}
		pthread_rwlock_unlock(&W[0].lock);
		if (targets_met())
			atomic_store(&stop, true);
	}
	free(b);
	return NULL;
}

static void on_alarm(int sig)
{
	(void)sig;
	atomic_store(&stop, true);
}

static uint16_t resolve_family(void)
{
	char buf[BUFSZ];
	struct mnl_socket *nl = nl_open(NETLINK_GENERIC);
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;
	struct nlattr *a;
	ssize_t n;

	if (!nl)
		die("genl socket");
	memset(buf, 0, 1024);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, VSW_GENL_NAME);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		die("send");
	n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
	nlh = (struct nlmsghdr *)buf;
	if (n < 0 || nlh->nlmsg_type == NLMSG_ERROR) {
		fprintf(stderr, "stress: no \"vsw\" generic netlink family\n");
		exit(2);
	}
	mnl_attr_for_each(a, nlh, sizeof(*g))
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID)
			fam = mnl_attr_get_u16(a);
	mnl_socket_close(nl);
	return fam;
}

int main(int argc, char **argv)
{
	unsigned long long seed = 0;
	struct timespec t0, t1;
	unsigned int secs = 30;
	struct stats s = { 0 };
	int opt, i, j;
	double el;

	clock_gettime(CLOCK_REALTIME, &t0);
	seed = (unsigned long long)t0.tv_nsec ^ ((unsigned long long)getpid() << 32);
	while ((opt = getopt(argc, argv, "t:n:H:s:j:w:c:")) != -1) {
		switch (opt) {
		case 't': secs = strtoul(optarg, NULL, 0); break;
		case 'n': max_ops = strtoull(optarg, NULL, 0); break;
		case 'H': max_hot = strtoull(optarg, NULL, 0); break;
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'j': nthreads = atoi(optarg); break;
		case 'w': nworlds = atoi(optarg); break;
		case 'c': cheap = strtoul(optarg, NULL, 0); break;
		default:
			fprintf(stderr, "usage: stress [-t SECS] [-n OPS] [-H CYCLES] [-s SEED] [-j THREADS] [-w WORLDS] [-c PERMILLE]\n");
			return 2;
		}
	}
	if (nthreads < 1 || nthreads > MAXT || nworlds < 1 || nworlds > MAXW) {
		fprintf(stderr, "stress: 1..%d threads, 1..%d worlds\n", MAXT, MAXW);
		return 2;
	}
	printf("seed=%llu threads=%d worlds=%d secs=%u max_ops=%llu max_hotplug=%llu cheap=%u\n",
	       seed, nthreads, nworlds, secs, max_ops, max_hot, cheap);
	fflush(stdout);
	signal(SIGPIPE, SIG_IGN);
	initfd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (initfd < 0)
		die("open /proc/self/ns/net");
	resolve_family();
	for (i = 0; i < nworlds; i++) {
		pthread_rwlock_init(&W[i].lock, NULL);
		W[i].gen = 1;
		W[i].nsfd = i ? new_netns() : initfd;
	}
	for (i = 0; i <= nthreads; i++) {
		T[i].id = i;
		T[i].rng = seed * 0x100000001b3ULL + i;
		for (j = 0; j < MAXW; j++)
			T[i].c[j].pk = -1;
	}
	signal(SIGALRM, on_alarm);
	if (secs)
		alarm(secs);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < nthreads; i++)
		if (pthread_create(&T[i].tid, NULL, op_thread, &T[i]))
			die("pthread_create");
	if (pthread_create(&T[nthreads].tid, NULL, hotplug_thread, &T[nthreads]))
		die("pthread_create");
	for (i = 0; i <= nthreads; i++)
		pthread_join(T[i].tid, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	el = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;

	for (i = 0; i <= nthreads; i++) {
		struct stats *p = &T[i].st;

		for (j = 0; j < NOPS; j++) {
			s.ok[j] += p->ok[j];
			s.experr[j] += p->experr[j];
			s.unexp[j] += p->unexp[j];
		}
		for (j = 0; j < NERR; j++)
			s.err[j] += p->err[j];
		s.dump_parts += p->dump_parts;
		s.dump_abandoned += p->dump_abandoned;
		s.dump_intr += p->dump_intr;
		s.dump_recreated += p->dump_recreated;
		s.hotplug += p->hotplug;
		s.frames += p->frames;
		for (j = 0; j < nworlds; j++)
			conn_close(&T[i].c[j]);
	}
	uint64_t unexp = 0;

	for (j = 0; j < NOPS; j++) {
		printf("op %-14s ok=%llu expected_err=%llu unexpected=%llu\n",
		       op_name[j], (unsigned long long)s.ok[j],
		       (unsigned long long)s.experr[j],
		       (unsigned long long)s.unexp[j]);
		unexp += s.unexp[j];
	}
	printf("errors-by-type:");
	for (j = 1; j < NERR; j++)
		if (s.err[j])
			printf(" %s=%llu", strerrorname_np(j) ?: "?",
			       (unsigned long long)s.err[j]);
	if (s.err[0])
		printf(" ok=%llu", (unsigned long long)s.err[0]);
	printf("\n");
	printf("dumps: parts=%llu abandoned=%llu intr=%llu switch_recreated_mid_dump=%llu; frames=%llu\n",
	       (unsigned long long)s.dump_parts,
	       (unsigned long long)s.dump_abandoned,
	       (unsigned long long)s.dump_intr,
	       (unsigned long long)s.dump_recreated,
	       (unsigned long long)s.frames);
	printf("ops=%llu hotplug=%llu unexpected=%llu seconds=%.1f ops/s=%.0f seed=%llu\n",
	       (unsigned long long)atomic_load(&total_ops),
	       (unsigned long long)s.hotplug, (unsigned long long)unexp, el,
	       atomic_load(&total_ops) / (el > 0 ? el : 1), seed);
	for (i = 1; i < nworlds; i++)
		close(W[i].nsfd);
	return unexp ? 1 : 0;
}
