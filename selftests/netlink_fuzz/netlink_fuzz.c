// SPDX-License-Identifier: GPL-2.0
/*
 * netlink_fuzz - raw generic netlink fuzzer and request tool for the "vsw"
 * family (no libmnl: plain AF_NETLINK sockets).
 *
 *   netlink_fuzz fuzz -s SWITCH [-p PORT]... [-n COUNT] [-t SECS] [-S SEED]
 *	Send COUNT (default 100000) malformed or random requests (or stop
 *	after SECS seconds) built around the existing switch and ports, read
 *	every reply, and fail if a request that must be answered is not
 *	answered within 30 s, if a reply is malformed, or if the switch no
 *	longer answers a valid SWITCH_GET at the end.
 *
 *   netlink_fuzz req [-d] CMD ATTR...
 *	Send one request (a dump with -d) and print each reply message on a
 *	line as "cmd=NAME path=value ...", then "ok", or
 *	"error ERRNO NAME: extack message" (exit status 1). ATTR is
 *	NAME=VALUE, NAME:TYPE=VALUE (force an encoding: u8 u16 u32 u64 str
 *	strz hex flag), NAME { ATTR... } for a nest, NAME alone for a flag,
 *	and @N instead of NAME for a raw attribute type. Values: numbers (0x.. hex), MACs, IPv4/IPv6
 *	addresses, VLAN lists (10,20-30 / none / all) for bitmaps, "-" for a
 *	flag. CMD is a name (switch_get, port_set, ...) or a number.
 *	Example: netlink_fuzz req port_set port { ifname=p1 mode=1 tag=5000 }
 *
 *   netlink_fuzz batch
 *	Requests from stdin, one per line (the words of a req command line),
 *	each answered like req, then a line "---". One socket, one process.
 *
 *   netlink_fuzz scale -s SWITCH -p PORT [-f N_FDB] [-r N_RULES]
 *	Add N_FDB (100000) static FDB entries on PORT and N_RULES (10000)
 *	rules, in batches; dump both tables and check that each comes back
 *	exactly once and consistent ("ok"/"not ok" lines); then check that an
 *	FDB dump during which the table changes is flagged NLM_F_DUMP_INTR.
 *
 *   netlink_fuzz monitor [-c COUNT] [-t SECS]
 *	Join the "events" group, print "ready", then one line per event
 *	("event=NAME cmd=N path=value ...") until COUNT events or SECS s.
 *
 *   netlink_fuzz resume [-b BYTES] [-x PART:COMMAND]... CMD ATTR...
 *	A dump (CMD and ATTRs as for req) read one datagram at a time with a
 *	BYTES (4096) receive buffer and a small SO_RCVBUF, so that the
 *	kernel builds it in many parts, each when the previous one has been
 *	read. After reading part PART, COMMAND runs (bash -c) before the
 *	next recv(): the kernel has then built part PART+1 already, so parts
 *	PART+2 and later are built after COMMAND changed things. Prints
 *	"part=N cmd=NAME [dump_intr=1] path=value ..." per message,
 *	"exec PART rc=N" per COMMAND and finally
 *	"end parts=N msgs=N intr=0|1 err=ERRNO". Exit status 0 unless the
 *	dump could not be read at all.
 *
 *   netlink_fuzz failnth [-k] [-m MAXN] < SCRIPT
 *	Fault injection: run each request of SCRIPT (vsw generic netlink or
 *	rtnetlink link add/master/nomaster/del) with the Nth allocation of
 *	the task failed (/proc/thread-self/fail-nth), N = 1, 2, ... until it
 *	succeeds; check the error and that the state did not change (see
 *	do_failnth()). Exit status 4 without CONFIG_FAULT_INJECTION.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <net/if.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/vsw.h>

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif

#define BUFSZ		(1 << 16)
#define RECVSZ		(1 << 18)
#define REPLY_TIMEOUT_MS 30000

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "netlink_fuzz: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(2);
}

/* ------------------------------------------------------------------ */
/* Attribute tables (names and types of the uapi)                      */

enum kind { K_NONE, K_U8, K_U16, K_U32, K_U64, K_STR, K_FLAG, K_MAC, K_IP4,
	    K_IP6, K_BITMAP, K_NEST, K_HEX };

struct attr_def;
struct table {
	const char *name;
	int max;
	const struct attr_def *defs;	/* indexed by type */
};

struct attr_def {
	const char *name;
	enum kind kind;
	const struct table *nest;
};

extern const struct table t_top, t_port, t_fdb, t_rule, t_key, t_action,
	t_cache, t_vlan, t_stats, t_reasons;

static const struct attr_def d_stats[VSW_STATS_MAX + 1] = {
	[VSW_STATS_RX_PACKETS] = { "rx_packets", K_U64 },
	[VSW_STATS_RX_BYTES] = { "rx_bytes", K_U64 },
	[VSW_STATS_TX_PACKETS] = { "tx_packets", K_U64 },
	[VSW_STATS_TX_BYTES] = { "tx_bytes", K_U64 },
	[VSW_STATS_DROPS] = { "drops", K_U64 },
	[VSW_STATS_DROP_REASONS] = { "drop_reasons", K_NEST, &t_reasons },
	[VSW_STATS_PAD] = { "pad", K_HEX },
};
const struct table t_stats = { "stats", VSW_STATS_MAX, d_stats };

static const struct attr_def d_reasons[__VSW_DROP_MAX] = {
	[VSW_DROP_UNSPEC] = { "pad", K_HEX },
	[VSW_DROP_VLAN_INGRESS] = { "vlan_ingress", K_U64 },
	[VSW_DROP_VLAN_EGRESS] = { "vlan_egress", K_U64 },
	[VSW_DROP_MAC_LIMIT] = { "mac_limit", K_U64 },
	[VSW_DROP_RULE] = { "rule", K_U64 },
	[VSW_DROP_NO_FLOOD] = { "no_flood", K_U64 },
	[VSW_DROP_ISOLATED] = { "isolated", K_U64 },
	[VSW_DROP_MTU] = { "mtu", K_U64 },
	[VSW_DROP_MALFORMED] = { "malformed", K_U64 },
	[VSW_DROP_NOMEM] = { "nomem", K_U64 },
	[VSW_DROP_PORT_DOWN] = { "port_down", K_U64 },
	[VSW_DROP_INVALID_SRC] = { "invalid_src", K_U64 },
	[VSW_DROP_STORM] = { "storm", K_U64 },
};
const struct table t_reasons = { "drop_reasons", __VSW_DROP_MAX - 1, d_reasons };

static const struct attr_def d_backend[VSW_BACKEND_ATTR_MAX + 1] = {
	[VSW_BACKEND_ATTR_KIND] = { "kind", K_STR },
	[VSW_BACKEND_ATTR_RX_PACKETS] = { "rx_packets", K_U64 },
	[VSW_BACKEND_ATTR_RX_BYTES] = { "rx_bytes", K_U64 },
	[VSW_BACKEND_ATTR_RX_DROPPED] = { "rx_dropped", K_U64 },
	[VSW_BACKEND_ATTR_TX_PACKETS] = { "tx_packets", K_U64 },
	[VSW_BACKEND_ATTR_TX_BYTES] = { "tx_bytes", K_U64 },
	[VSW_BACKEND_ATTR_TX_DROPPED] = { "tx_dropped", K_U64 },
	[VSW_BACKEND_ATTR_RING_ERRORS] = { "ring_errors", K_U64 },
	[VSW_BACKEND_ATTR_KICKS] = { "kicks", K_U64 },
	[VSW_BACKEND_ATTR_SIGNALS] = { "signals", K_U64 },
	[VSW_BACKEND_ATTR_PAD] = { "pad", K_HEX },
};
static const struct table t_backend = { "backend", VSW_BACKEND_ATTR_MAX, d_backend };

static const struct attr_def d_port[VSW_PORT_ATTR_MAX + 1] = {
	[VSW_PORT_ATTR_IFINDEX] = { "ifindex", K_U32 },
	[VSW_PORT_ATTR_IFNAME] = { "ifname", K_STR },
	[VSW_PORT_ATTR_MODE] = { "mode", K_U8 },
	[VSW_PORT_ATTR_TAG] = { "tag", K_U16 },
	[VSW_PORT_ATTR_TRUNKS] = { "trunks", K_BITMAP },
	[VSW_PORT_ATTR_CVLANS] = { "cvlans", K_BITMAP },
	[VSW_PORT_ATTR_LEARNING] = { "learning", K_U8 },
	[VSW_PORT_ATTR_FLOOD_UCAST] = { "flood_ucast", K_U8 },
	[VSW_PORT_ATTR_FLOOD_BCAST] = { "flood_bcast", K_U8 },
	[VSW_PORT_ATTR_FLOOD_MCAST] = { "flood_mcast", K_U8 },
	[VSW_PORT_ATTR_ISOLATED] = { "isolated", K_U8 },
	[VSW_PORT_ATTR_MAX_MACS] = { "max_macs", K_U32 },
	[VSW_PORT_ATTR_MAC_COUNT] = { "mac_count", K_U32 },
	[VSW_PORT_ATTR_OPER_UP] = { "oper_up", K_U8 },
	[VSW_PORT_ATTR_STATS] = { "stats", K_NEST, &t_stats },
	[VSW_PORT_ATTR_INTERNAL] = { "internal", K_FLAG },
	[VSW_PORT_ATTR_PAD] = { "pad", K_HEX },
	[VSW_PORT_ATTR_BACKEND] = { "backend", K_NEST, &t_backend },
	[VSW_PORT_ATTR_PRIORITY_TAGS] = { "priority_tags", K_U8 },
	[VSW_PORT_ATTR_QINQ_ETHTYPE] = { "qinq_ethtype", K_U16 },
	[VSW_PORT_ATTR_SAMPLE_RATE] = { "sample_rate", K_U32 },
	[VSW_PORT_ATTR_SAMPLE_GROUP] = { "sample_group", K_U32 },
	[VSW_PORT_ATTR_STORM_BCAST] = { "storm_bcast", K_U32 },
	[VSW_PORT_ATTR_STORM_MCAST] = { "storm_mcast", K_U32 },
	[VSW_PORT_ATTR_STORM_UNKNOWN] = { "storm_unknown", K_U32 },
};
const struct table t_port = { "port", VSW_PORT_ATTR_MAX, d_port };

static const struct attr_def d_fdb[VSW_FDB_ATTR_MAX + 1] = {
	[VSW_FDB_ATTR_MAC] = { "mac", K_MAC },
	[VSW_FDB_ATTR_VID] = { "vid", K_U16 },
	[VSW_FDB_ATTR_PORT_IFINDEX] = { "port_ifindex", K_U32 },
	[VSW_FDB_ATTR_PORT_IFNAME] = { "port_ifname", K_STR },
	[VSW_FDB_ATTR_FLAGS] = { "flags", K_U32 },
	[VSW_FDB_ATTR_AGE] = { "age", K_U32 },
};
const struct table t_fdb = { "fdb", VSW_FDB_ATTR_MAX, d_fdb };

static const struct attr_def d_key[VSW_KEY_ATTR_MAX + 1] = {
	[VSW_KEY_ATTR_IN_PORT] = { "in_port", K_U32 },
	[VSW_KEY_ATTR_ETH_SRC] = { "eth_src", K_MAC },
	[VSW_KEY_ATTR_ETH_SRC_MASK] = { "eth_src_mask", K_MAC },
	[VSW_KEY_ATTR_ETH_DST] = { "eth_dst", K_MAC },
	[VSW_KEY_ATTR_ETH_DST_MASK] = { "eth_dst_mask", K_MAC },
	[VSW_KEY_ATTR_VLAN_VID] = { "vlan_vid", K_U16 },
	[VSW_KEY_ATTR_VLAN_NONE] = { "vlan_none", K_FLAG },
	[VSW_KEY_ATTR_VLAN_PCP] = { "vlan_pcp", K_U8 },
	[VSW_KEY_ATTR_ETH_TYPE] = { "eth_type", K_U16 },
	[VSW_KEY_ATTR_IPV4_SRC] = { "ipv4_src", K_IP4 },
	[VSW_KEY_ATTR_IPV4_SRC_MASK] = { "ipv4_src_mask", K_IP4 },
	[VSW_KEY_ATTR_IPV4_DST] = { "ipv4_dst", K_IP4 },
	[VSW_KEY_ATTR_IPV4_DST_MASK] = { "ipv4_dst_mask", K_IP4 },
	[VSW_KEY_ATTR_IPV6_SRC] = { "ipv6_src", K_IP6 },
	[VSW_KEY_ATTR_IPV6_SRC_MASK] = { "ipv6_src_mask", K_IP6 },
	[VSW_KEY_ATTR_IPV6_DST] = { "ipv6_dst", K_IP6 },
	[VSW_KEY_ATTR_IPV6_DST_MASK] = { "ipv6_dst_mask", K_IP6 },
	[VSW_KEY_ATTR_IP_PROTO] = { "ip_proto", K_U8 },
	[VSW_KEY_ATTR_IP_TOS] = { "ip_tos", K_U8 },
	[VSW_KEY_ATTR_L4_SRC] = { "l4_src", K_U16 },
	[VSW_KEY_ATTR_L4_DST] = { "l4_dst", K_U16 },
	[VSW_KEY_ATTR_ARP_OP] = { "arp_op", K_U16 },
	[VSW_KEY_ATTR_ETH_TYPE_MASK] = { "eth_type_mask", K_U16 },
	[VSW_KEY_ATTR_VLAN_VID_MASK] = { "vlan_vid_mask", K_U16 },
};
const struct table t_key = { "match", VSW_KEY_ATTR_MAX, d_key };

static const struct attr_def d_action[VSW_ACTION_ATTR_MAX + 1] = {
	[VSW_ACTION_ATTR_NORMAL] = { "normal", K_FLAG },
	[VSW_ACTION_ATTR_DROP] = { "drop", K_FLAG },
	[VSW_ACTION_ATTR_FLOOD] = { "flood", K_FLAG },
	[VSW_ACTION_ATTR_OUTPUT] = { "output", K_U32 },
	[VSW_ACTION_ATTR_SET_VLAN_VID] = { "set_vlan_vid", K_U16 },
	[VSW_ACTION_ATTR_POP_VLAN] = { "pop_vlan", K_FLAG },
	[VSW_ACTION_ATTR_PUSH_VLAN] = { "push_vlan", K_U16 },
};
const struct table t_action = { "actions", VSW_ACTION_ATTR_MAX, d_action };

static const struct attr_def d_rule[VSW_RULE_ATTR_MAX + 1] = {
	[VSW_RULE_ATTR_PRIORITY] = { "priority", K_U16 },
	[VSW_RULE_ATTR_MATCH] = { "match", K_NEST, &t_key },
	[VSW_RULE_ATTR_ACTIONS] = { "actions", K_NEST, &t_action },
	[VSW_RULE_ATTR_PACKETS] = { "packets", K_U64 },
	[VSW_RULE_ATTR_BYTES] = { "bytes", K_U64 },
	[VSW_RULE_ATTR_USED] = { "used", K_U64 },
	[VSW_RULE_ATTR_PAD] = { "pad", K_HEX },
};
const struct table t_rule = { "rule", VSW_RULE_ATTR_MAX, d_rule };

static const struct attr_def d_cache[VSW_CACHE_ATTR_MAX + 1] = {
	[VSW_CACHE_ATTR_MATCH] = { "match", K_NEST, &t_key },
	[VSW_CACHE_ATTR_ACTIONS] = { "actions", K_NEST, &t_action },
	[VSW_CACHE_ATTR_PACKETS] = { "packets", K_U64 },
	[VSW_CACHE_ATTR_BYTES] = { "bytes", K_U64 },
	[VSW_CACHE_ATTR_USED] = { "used", K_U64 },
	[VSW_CACHE_ATTR_PAD] = { "pad", K_HEX },
};
const struct table t_cache = { "cache", VSW_CACHE_ATTR_MAX, d_cache };

static const struct attr_def d_vlan[VSW_VLAN_ATTR_MAX + 1] = {
	[VSW_VLAN_ATTR_VID] = { "vid", K_U16 },
	[VSW_VLAN_ATTR_STATS] = { "stats", K_NEST, &t_stats },
};
const struct table t_vlan = { "vlan", VSW_VLAN_ATTR_MAX, d_vlan };

static const struct attr_def d_top[VSW_ATTR_MAX + 1] = {
	[VSW_ATTR_IFINDEX] = { "ifindex", K_U32 },
	[VSW_ATTR_IFNAME] = { "ifname", K_STR },
	[VSW_ATTR_AGEING] = { "ageing", K_U32 },
	[VSW_ATTR_MAX_MACS] = { "max_macs", K_U32 },
	[VSW_ATTR_CACHE_SIZE] = { "cache_size", K_U32 },
	[VSW_ATTR_FDB_COUNT] = { "fdb_count", K_U32 },
	[VSW_ATTR_RULE_COUNT] = { "rule_count", K_U32 },
	[VSW_ATTR_CACHE_COUNT] = { "cache_count", K_U32 },
	[VSW_ATTR_PORT_COUNT] = { "port_count", K_U32 },
	[VSW_ATTR_PORT] = { "port", K_NEST, &t_port },
	[VSW_ATTR_FDB] = { "fdb", K_NEST, &t_fdb },
	[VSW_ATTR_RULE] = { "rule", K_NEST, &t_rule },
	[VSW_ATTR_CACHE] = { "cache", K_NEST, &t_cache },
	[VSW_ATTR_VLAN] = { "vlan", K_NEST, &t_vlan },
	[VSW_ATTR_STATS] = { "stats", K_NEST, &t_stats },
	[VSW_ATTR_EVENT] = { "event", K_U32 },
	[VSW_ATTR_PAD] = { "pad", K_HEX },
	[VSW_ATTR_CACHE_HITS] = { "cache_hits", K_U64 },
	[VSW_ATTR_CACHE_MISSES] = { "cache_misses", K_U64 },
	[VSW_ATTR_CACHE_BYTES] = { "cache_bytes", K_U64 },
	[VSW_ATTR_RULE_INDEX_GEN] = { "rule_index_gen", K_U32 },
	[VSW_ATTR_RULES_INDEXED] = { "rules_indexed", K_U8 },
	[VSW_ATTR_DEFAULT_PORT] = { "default_port", K_NEST, &t_port },
};
const struct table t_top = { "", VSW_ATTR_MAX, d_top };

static const char *const cmd_names[__VSW_CMD_MAX] = {
	[VSW_CMD_SWITCH_GET] = "switch_get", [VSW_CMD_SWITCH_SET] = "switch_set",
	[VSW_CMD_PORT_GET] = "port_get", [VSW_CMD_PORT_SET] = "port_set",
	[VSW_CMD_FDB_GET] = "fdb_get", [VSW_CMD_FDB_NEW] = "fdb_new",
	[VSW_CMD_FDB_DEL] = "fdb_del", [VSW_CMD_FDB_FLUSH] = "fdb_flush",
	[VSW_CMD_RULE_GET] = "rule_get", [VSW_CMD_RULE_NEW] = "rule_new",
	[VSW_CMD_RULE_DEL] = "rule_del", [VSW_CMD_RULE_FLUSH] = "rule_flush",
	[VSW_CMD_CACHE_GET] = "cache_get", [VSW_CMD_CACHE_FLUSH] = "cache_flush",
	[VSW_CMD_VLAN_GET] = "vlan_get", [VSW_CMD_EVENT] = "event",
};

static bool cmd_is_get(int cmd)
{
	return cmd == VSW_CMD_SWITCH_GET || cmd == VSW_CMD_PORT_GET ||
	       cmd == VSW_CMD_FDB_GET || cmd == VSW_CMD_RULE_GET ||
	       cmd == VSW_CMD_CACHE_GET || cmd == VSW_CMD_VLAN_GET;
}

/* ------------------------------------------------------------------ */
/* Message building                                                    */

struct msg {
	uint8_t buf[BUFSZ];
	size_t len;		/* bytes used */
	size_t nest[16];	/* offsets of open nests */
	int depth;
};

static struct nlmsghdr *msg_start(struct msg *m, uint16_t type, uint16_t flags,
				  uint32_t seq, uint8_t cmd, uint8_t version)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)m->buf;
	struct genlmsghdr *g;

	memset(m->buf, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = seq;
	g = (struct genlmsghdr *)(m->buf + NLMSG_HDRLEN);
	g->cmd = cmd;
	g->version = version;
	m->len = NLMSG_HDRLEN + GENL_HDRLEN;
	m->depth = 0;
	return nlh;
}

static bool msg_room(const struct msg *m, size_t len)
{
	return m->len + NLA_HDRLEN + NLA_ALIGN(len) + 64 < BUFSZ;
}

/* An attribute whose header says @hdrlen but that carries @len bytes. */
static void put_raw(struct msg *m, uint16_t type, const void *data,
		    size_t len, size_t hdrlen)
{
	struct nlattr *nla;

	if (!msg_room(m, len))
		return;
	nla = (struct nlattr *)(m->buf + m->len);
	nla->nla_type = type;
	nla->nla_len = hdrlen;
	if (len)
		memcpy(m->buf + m->len + NLA_HDRLEN, data, len);
	memset(m->buf + m->len + NLA_HDRLEN + len, 0,
	       NLA_ALIGN(len) - len);
	m->len += NLA_HDRLEN + NLA_ALIGN(len);
}

static void put(struct msg *m, uint16_t type, const void *data, size_t len)
{
	put_raw(m, type, data, len, NLA_HDRLEN + len);
}

static bool nest_start(struct msg *m, uint16_t type)
{
	if (m->depth >= 16 || !msg_room(m, 0))
		return false;
	m->nest[m->depth++] = m->len;
	put(m, type, NULL, 0);
	return true;
}

static void nest_end(struct msg *m)
{
	struct nlattr *nla = (struct nlattr *)(m->buf + m->nest[--m->depth]);
	size_t len = m->len - m->nest[m->depth];

	nla->nla_len = len > 0xffff ? 0xffff : len;
}

static void msg_end(struct msg *m)
{
	((struct nlmsghdr *)m->buf)->nlmsg_len = m->len;
}

/* ------------------------------------------------------------------ */
/* Socket                                                              */

struct nl {
	int fd;
	uint32_t portid;
	uint16_t family;
	uint32_t events_grp;	/* id of the "events" multicast group */
	uint8_t rbuf[RECVSZ];
};

static int nl_open(struct nl *nl)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	socklen_t salen = sizeof(sa);
	int one = 1, rcvbuf = 4 << 20;

	nl->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (nl->fd < 0)
		return -errno;
	setsockopt(nl->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(nl->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	if (setsockopt(nl->fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
		       sizeof(rcvbuf)))
		setsockopt(nl->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
			   sizeof(rcvbuf));
	if (bind(nl->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    getsockname(nl->fd, (struct sockaddr *)&sa, &salen) < 0) {
		close(nl->fd);
		return -errno;
	}
	nl->portid = sa.nl_pid;
	return 0;
}

static int nl_send(struct nl *nl, const void *buf, size_t len)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	ssize_t n;

	n = sendto(nl->fd, buf, len, 0, (struct sockaddr *)&sa, sizeof(sa));
	if (n < 0)
		return -errno;
	return 0;
}

/* Receive one datagram within @ms; 0 on timeout, -errno on error. */
static ssize_t nl_recv(struct nl *nl, int ms)
{
	struct pollfd p = { .fd = nl->fd, .events = POLLIN };
	ssize_t n;
	int r;

	r = poll(&p, 1, ms);
	if (r < 0)
		return errno == EINTR ? 0 : -errno;
	if (!r)
		return 0;
	n = recv(nl->fd, nl->rbuf, sizeof(nl->rbuf), MSG_DONTWAIT);
	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -errno;
	return n ? n : -EPIPE;
}

/*
 * The extack message and error of an NLMSG_ERROR, or of an NLMSG_DONE
 * (error code, then the TLVs); "" if none.
 */
static int nl_err(const struct nlmsghdr *nlh, const char **msg)
{
	const struct nlmsgerr *e = NLMSG_DATA(nlh);
	size_t off, end = nlh->nlmsg_len;
	const struct nlattr *a;

	*msg = "";
	if (nlh->nlmsg_type == NLMSG_DONE) {
		if (nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(int))
			return 0;
		off = NLMSG_HDRLEN + sizeof(int);
	} else {
		if (nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(*e))
			return -EBADMSG;
		off = NLMSG_HDRLEN + sizeof(*e);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			off += NLMSG_ALIGN(e->msg.nlmsg_len) - NLMSG_HDRLEN;
	}
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
		while (off + NLA_HDRLEN <= end) {
			a = (const struct nlattr *)((const uint8_t *)nlh + off);
			if (a->nla_len < NLA_HDRLEN || off + a->nla_len > end)
				break;
			if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG &&
			    a->nla_len > NLA_HDRLEN)
				*msg = (const char *)a + NLA_HDRLEN;
			off += NLA_ALIGN(a->nla_len);
		}
	}
	return nlh->nlmsg_type == NLMSG_DONE ? *(const int *)NLMSG_DATA(nlh) :
						 e->error;
}

/* CTRL_ATTR_MCAST_GROUPS: remember the id of the "events" group. */
static void nl_mcgrps(struct nl *nl, const struct nlattr *grps)
{
	const uint8_t *p = (const uint8_t *)(grps + 1);
	size_t len = grps->nla_len - NLA_HDRLEN, off, off2;

	for (off = 0; off + NLA_HDRLEN <= len; ) {
		const struct nlattr *g = (const void *)(p + off);
		const char *name = NULL;
		uint32_t id = 0;

		if (g->nla_len < NLA_HDRLEN || off + g->nla_len > len)
			return;
		for (off2 = NLA_HDRLEN; off2 + NLA_HDRLEN <= g->nla_len; ) {
			const struct nlattr *a = (const void *)((const uint8_t *)g + off2);

			if (a->nla_len < NLA_HDRLEN)
				break;
			if (a->nla_type == CTRL_ATTR_MCAST_GRP_NAME)
				name = (const char *)(a + 1);
			if (a->nla_type == CTRL_ATTR_MCAST_GRP_ID)
				id = *(const uint32_t *)(a + 1);
			off2 += NLA_ALIGN(a->nla_len);
		}
		if (name && !strcmp(name, VSW_GENL_MCGRP_EVENTS))
			nl->events_grp = id;
		off += NLA_ALIGN(g->nla_len);
	}
}

/* Resolve the family id of "vsw" (and its "events" group). */
static int nl_family(struct nl *nl)
{
	static struct msg m;
	struct nlmsghdr *nlh;
	uint32_t seq = 1;
	ssize_t n;

	/* no NLM_F_ACK: nothing may be left queued after the reply */
	msg_start(&m, GENL_ID_CTRL, NLM_F_REQUEST, seq, CTRL_CMD_GETFAMILY, 1);
	put(&m, CTRL_ATTR_FAMILY_NAME, VSW_GENL_NAME, sizeof(VSW_GENL_NAME));
	msg_end(&m);
	if (nl_send(nl, m.buf, m.len))
		return -1;
	for (;;) {
		n = nl_recv(nl, REPLY_TIMEOUT_MS);
		if (n <= 0)
			return -1;
		for (nlh = (struct nlmsghdr *)nl->rbuf; NLMSG_OK(nlh, n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			const char *msg;
			struct nlattr *a;
			size_t off;

			if (nlh->nlmsg_type == NLMSG_ERROR) {
				int err = nl_err(nlh, &msg);

				if (err)
					return err;
				continue;
			}
			if (nlh->nlmsg_type != GENL_ID_CTRL)
				continue;
			for (off = NLMSG_HDRLEN + GENL_HDRLEN;
			     off + NLA_HDRLEN <= nlh->nlmsg_len;
			     off += NLA_ALIGN(a->nla_len)) {
				a = (struct nlattr *)((uint8_t *)nlh + off);
				if (a->nla_len < NLA_HDRLEN)
					break;
				if (a->nla_type == CTRL_ATTR_FAMILY_ID)
					nl->family = *(uint16_t *)(a + 1);
				if ((a->nla_type & NLA_TYPE_MASK) ==
				    CTRL_ATTR_MCAST_GROUPS)
					nl_mcgrps(nl, a);
			}
			if (nl->family)
				return 0;
		}
	}
}

/* ------------------------------------------------------------------ */
/* Reply validation and printing                                       */

static void fmt_vlans(const uint8_t *bm, char *out, size_t len)
{
	int v, start = -1;
	size_t o = 0;

	out[0] = 0;
	for (v = 0; v <= 4096; v++) {
		bool set = v < 4096 && (bm[v / 8] & (1u << (v % 8)));

		if (set && start < 0)
			start = v;
		if (!set && start >= 0) {
			if (o + 16 >= len)
				break;
			o += snprintf(out + o, len - o, "%s%d", o ? "," : "",
				      start);
			if (v - 1 > start)
				o += snprintf(out + o, len - o, "-%d", v - 1);
			start = -1;
		}
	}
	if (!o)
		snprintf(out, len, "none");
}

/*
 * Check (and with @print, print) the attributes in [p, p+len) against
 * @t. Returns false if the stream is malformed.
 */
static bool walk_attrs(const uint8_t *p, size_t len, const struct table *t,
		       const char *prefix, bool print, int depth)
{
	size_t off = 0;

	if (depth > 8)
		return false;
	while (off + NLA_HDRLEN <= len) {
		const struct nlattr *a = (const struct nlattr *)(p + off);
		const uint8_t *d = p + off + NLA_HDRLEN;
		size_t alen = a->nla_len;
		const struct attr_def *def = NULL;
		uint16_t type = a->nla_type & NLA_TYPE_MASK;
		char name[128], vbuf[20000];
		size_t dl;

		if (alen < NLA_HDRLEN || off + alen > len)
			return false;
		dl = alen - NLA_HDRLEN;
		if (t && type <= t->max && t->defs[type].name)
			def = &t->defs[type];
		if (def)
			snprintf(name, sizeof(name), "%s%s", prefix, def->name);
		else
			snprintf(name, sizeof(name), "%s@%u", prefix, type);

		if (def && def->kind == K_NEST) {
			char sub[160];

			snprintf(sub, sizeof(sub), "%s.", name);
			if (!walk_attrs(d, dl, def->nest, sub, print, depth + 1))
				return false;
		} else if (def) {
			bool ok = true;

			vbuf[0] = 0;
			switch (def->kind) {
			case K_U8:
				ok = dl == 1;
				if (ok)
					snprintf(vbuf, sizeof(vbuf), "%u", d[0]);
				break;
			case K_U16:
				ok = dl == 2;
				if (ok)
					snprintf(vbuf, sizeof(vbuf), "%u",
						 *(const uint16_t *)d);
				break;
			case K_U32:
				ok = dl == 4;
				if (ok)
					snprintf(vbuf, sizeof(vbuf), "%u",
						 *(const uint32_t *)d);
				break;
			case K_U64: {
				uint64_t v;

				ok = dl == 8;
				if (ok) {
					memcpy(&v, d, 8);
					snprintf(vbuf, sizeof(vbuf), "%" PRIu64, v);
				}
				break;
			}
			case K_STR:
				ok = dl >= 1 && dl <= IFNAMSIZ &&
				     memchr(d, 0, dl) == d + dl - 1;
				if (ok)
					snprintf(vbuf, sizeof(vbuf), "%s", d);
				break;
			case K_FLAG:
				ok = dl == 0;
				snprintf(vbuf, sizeof(vbuf), "1");
				break;
			case K_MAC:
				ok = dl == 6;
				if (ok)
					snprintf(vbuf, sizeof(vbuf),
						 "%02x:%02x:%02x:%02x:%02x:%02x",
						 d[0], d[1], d[2], d[3], d[4], d[5]);
				break;
			case K_IP4:
				ok = dl == 4;
				if (ok)
					inet_ntop(AF_INET, d, vbuf, sizeof(vbuf));
				break;
			case K_IP6:
				ok = dl == 16;
				if (ok)
					inet_ntop(AF_INET6, d, vbuf, sizeof(vbuf));
				break;
			case K_BITMAP:
				ok = dl == VSW_VLAN_BITMAP_LEN;
				if (ok)
					fmt_vlans(d, vbuf, sizeof(vbuf));
				break;
			default: {
				size_t i, o = 0;

				for (i = 0; i < dl && o + 3 < sizeof(vbuf); i++)
					o += snprintf(vbuf + o, sizeof(vbuf) - o,
						      "%02x", d[i]);
				break;
			}
			}
			if (!ok) {
				if (print)
					printf(" %s=<bad length %zu>", name, dl);
				return false;
			}
			if (print)
				printf(" %s=%s", name, vbuf);
		} else if (print) {
			printf(" %s=<%zu bytes>", name, dl);
		}
		off += NLA_ALIGN(alen);
	}
	return off == len || (off > len && off - len < NLA_ALIGNTO);
}

/* One reply message as a line: its command, the dump-interrupted flag, and
 * its attributes (MALFORMED if they do not parse).
 */
static void print_msg(const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *g = NLMSG_DATA(nlh);

	printf("cmd=%s", g->cmd < __VSW_CMD_MAX &&
	       cmd_names[g->cmd] ? cmd_names[g->cmd] : "?");
	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		printf(" dump_intr=1");
	if (!walk_attrs((const uint8_t *)g + GENL_HDRLEN,
			nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN, &t_top,
			"", true, 0))
		printf(" MALFORMED");
	printf("\n");
}

/* ------------------------------------------------------------------ */
/* Request mode                                                        */

static const struct attr_def *find_def(const struct table *t, const char *name,
				       int *type)
{
	int i;

	for (i = 0; i <= t->max; i++) {
		if (t->defs[i].name && !strcmp(t->defs[i].name, name)) {
			*type = i;
			return &t->defs[i];
		}
	}
	return NULL;
}

static enum kind kind_of(const char *s)
{
	static const struct { const char *n; enum kind k; } kinds[] = {
		{ "u8", K_U8 }, { "u16", K_U16 }, { "u32", K_U32 },
		{ "u64", K_U64 }, { "str", K_STR }, { "strz", K_STR },
		{ "hex", K_HEX }, { "flag", K_FLAG }, { "mac", K_MAC },
		{ "ip4", K_IP4 }, { "ip6", K_IP6 }, { "bitmap", K_BITMAP },
	};
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(s, kinds[i].n))
			return kinds[i].k;
	die("unknown type \"%s\"", s);
}

static void parse_vlans(const char *s, uint8_t *bm)
{
	char *copy, *tok, *save;

	memset(bm, 0, VSW_VLAN_BITMAP_LEN);
	if (!strcmp(s, "none"))
		return;
	if (!strcmp(s, "all"))
		s = "1-4094";
	copy = strdup(s);
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		unsigned long a, b;
		char *end;

		a = strtoul(tok, &end, 0);
		b = *end == '-' ? strtoul(end + 1, &end, 0) : a;
		if (*end || a > 4095 || b > 4095 || a > b)
			die("bad VLAN list \"%s\"", s);
		for (; a <= b; a++)
			bm[a / 8] |= 1u << (a % 8);
	}
	free(copy);
}

static void put_value(struct msg *m, uint16_t type, enum kind k,
		      const char *v, bool strz)
{
	uint8_t b[VSW_VLAN_BITMAP_LEN];
	unsigned long long n;
	char *end;

	switch (k) {
	case K_U8: case K_U16: case K_U32: case K_U64:
		errno = 0;
		n = strtoull(v, &end, 0);
		if (errno || *end || !*v)
			die("bad number \"%s\"", v);
		if (k == K_U8) {
			uint8_t x = n;

			put(m, type, &x, 1);
		} else if (k == K_U16) {
			uint16_t x = n;

			put(m, type, &x, 2);
		} else if (k == K_U32) {
			uint32_t x = n;

			put(m, type, &x, 4);
		} else {
			uint64_t x = n;

			put(m, type, &x, 8);
		}
		break;
	case K_STR:
		put(m, type, v, strlen(v) + (strz ? 1 : 0));
		break;
	case K_FLAG:
		put(m, type, NULL, 0);
		break;
	case K_MAC:
		if (sscanf(v, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &b[0], &b[1],
			   &b[2], &b[3], &b[4], &b[5]) != 6)
			die("bad MAC \"%s\"", v);
		put(m, type, b, 6);
		break;
	case K_IP4:
		if (inet_pton(AF_INET, v, b) != 1)
			die("bad IPv4 address \"%s\"", v);
		put(m, type, b, 4);
		break;
	case K_IP6:
		if (inet_pton(AF_INET6, v, b) != 1)
			die("bad IPv6 address \"%s\"", v);
		put(m, type, b, 16);
		break;
	case K_BITMAP:
		parse_vlans(v, b);
		put(m, type, b, sizeof(b));
		break;
	case K_HEX: {
		size_t i, l = strlen(v) / 2;
		uint8_t *h = malloc(l + 1);

		for (i = 0; i < l; i++)
			if (sscanf(v + 2 * i, "%2hhx", &h[i]) != 1)
				die("bad hex \"%s\"", v);
		put(m, type, h, l);
		free(h);
		break;
	}
	default:
		die("cannot encode a value for this attribute");
	}
}

/* Encode argv[*i...] (until "}" or the end) as attributes of table @t. */
static void req_attrs(struct msg *m, const struct table *t, int argc,
		      char **argv, int *i)
{
	while (*i < argc) {
		char *w = argv[(*i)++], *eq, *colon, *name;
		const struct attr_def *def = NULL;
		enum kind k;
		int type = -1;
		bool strz = true;

		if (!strcmp(w, "}"))
			return;
		name = strdup(w);
		eq = strchr(name, '=');
		if (eq)
			*eq++ = 0;
		colon = strchr(name, ':');
		if (colon)
			*colon++ = 0;
		if (name[0] == '@')
			type = atoi(name + 1);
		else if (t)
			def = find_def(t, name, &type);
		if (type < 0)
			die("unknown attribute \"%s\" in %s", name,
			    t ? (t->name[0] ? t->name : "top level") : "nest");
		if (!eq && def && def->kind == K_FLAG) {	/* a flag */
			put(m, type, NULL, 0);
			free(name);
			continue;
		}
		if (!eq) {	/* a nest: NAME { ... } */
			if (*i >= argc || strcmp(argv[*i], "{"))
				die("\"%s\" needs =VALUE or { ... }", name);
			(*i)++;
			nest_start(m, type | NLA_F_NESTED);
			req_attrs(m, def && def->kind == K_NEST ? def->nest : NULL,
				  argc, argv, i);
			nest_end(m);
			free(name);
			continue;
		}
		if (colon) {
			k = kind_of(colon);
			strz = strcmp(colon, "str") != 0;
		} else if (def) {
			k = def->kind;
		} else {
			die("raw attribute \"%s\" needs :TYPE", w);
		}
		put_value(m, type, k, eq, strz);
		free(name);
	}
}

static int cmd_by_name(const char *s)
{
	char *end;
	long n;
	int i;

	for (i = 0; i < __VSW_CMD_MAX; i++)
		if (cmd_names[i] && !strcmp(cmd_names[i], s))
			return i;
	n = strtol(s, &end, 0);
	if (*end || n < 0 || n > 255)
		die("unknown command \"%s\"", s);
	return n;
}

/* One request on @nl: print the replies, then "ok" or "error ...". */
static int req_one(struct nl *nl, int argc, char **argv)
{
	static struct msg m;
	static uint32_t seq = 42;
	bool dump = false, done = false;
	int i = 0, cmd, err = 0;
	const char *emsg = "";
	char ebuf[1024] = "";

	if (argc > 0 && !strcmp(argv[0], "-d")) {
		dump = true;
		i++;
	}
	if (i >= argc)
		die("req: missing command");
	cmd = cmd_by_name(argv[i++]);
	seq++;
	msg_start(&m, nl->family, NLM_F_REQUEST | NLM_F_ACK |
		  (dump ? NLM_F_DUMP : 0), seq, cmd, VSW_GENL_VERSION);
	req_attrs(&m, &t_top, argc, argv, &i);
	msg_end(&m);
	if (nl_send(nl, m.buf, m.len))
		die("send: %s", strerror(errno));

	while (!done) {
		struct nlmsghdr *nlh;
		ssize_t n = nl_recv(nl, REPLY_TIMEOUT_MS);

		if (n <= 0)
			die("no reply (%s)", n ? strerror(-n) : "timeout");
		for (nlh = (struct nlmsghdr *)nl->rbuf; NLMSG_OK(nlh, n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			if (nlh->nlmsg_seq != seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				err = nl_err(nlh, &emsg);
				snprintf(ebuf, sizeof(ebuf), "%s", emsg);
				done = true;
			} else if (nlh->nlmsg_type == NLMSG_DONE) {
				err = nl_err(nlh, &emsg);
				snprintf(ebuf, sizeof(ebuf), "%s", emsg);
				done = true;
			} else if (nlh->nlmsg_type == nl->family) {
				print_msg(nlh);
			}
		}
	}
	if (err) {
		printf("error %d %s: %s\n", -err, strerrorname_np(-err) ?: "?",
		       ebuf);
		return 1;
	}
	printf("ok\n");
	return 0;
}

static int do_req(int argc, char **argv)
{
	static struct nl nl;

	if (nl_open(&nl) || nl_family(&nl))
		die("cannot resolve the \"" VSW_GENL_NAME "\" family");
	return req_one(&nl, argc, argv);
}

/*
 * netlink_fuzz batch: requests from stdin, one per line (the words of a
 * req command line), each answered like req and followed by "---".
 */
static int do_batch(void)
{
	static struct nl nl;
	char line[65536];

	if (nl_open(&nl) || nl_family(&nl))
		die("cannot resolve the \"" VSW_GENL_NAME "\" family");
	while (fgets(line, sizeof(line), stdin)) {
		char *argv[4096], *save, *w;
		int argc = 0;

		for (w = strtok_r(line, " \t\n", &save); w && argc < 4096;
		     w = strtok_r(NULL, " \t\n", &save))
			argv[argc++] = w;
		if (argc) {
			optind = 1;
			req_one(&nl, argc, argv);
		}
		printf("---\n");
		fflush(stdout);
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Fuzz mode                                                           */

static uint64_t rng_state;

static uint64_t rnd64(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

static uint32_t rnd(uint32_t n)
{
	return n ? rnd64() % n : 0;
}

static bool chance(unsigned int pct)
{
	return rnd(100) < pct;
}

#define MAX_PORTS 16
static struct {
	char sw[IFNAMSIZ];
	uint32_t sw_ifindex;
	char ports[MAX_PORTS][IFNAMSIZ];
	uint32_t port_ifindex[MAX_PORTS];
	int n_ports;
} target;

static uint32_t rnd_ifindex(void)
{
	switch (rnd(10)) {
	case 0: return 0;
	case 1: return 1;		/* lo */
	case 2: return rnd(64);
	case 3: return 0x80000000u + rnd(2);
	case 4: return UINT32_MAX;
	case 5: case 6: return target.sw_ifindex;
	default:
		return target.n_ports ?
		       target.port_ifindex[rnd(target.n_ports)] :
		       target.sw_ifindex;
	}
}

static const char *rnd_name(char *buf)
{
	switch (rnd(10)) {
	case 0: return "lo";
	case 1: return "";
	case 2: return "nosuchdev0";
	case 3: return "0123456789abcdef";	/* 16: too long */
	case 4: {
		int i, n = rnd(20);

		for (i = 0; i < n; i++)
			buf[i] = 1 + rnd(255);
		buf[n] = 0;
		return buf;
	}
	case 5: case 6: return target.sw;
	default:
		return target.n_ports ? target.ports[rnd(target.n_ports)] :
					target.sw;
	}
}

static uint64_t rnd_int(enum kind k)
{
	static const uint64_t interesting[] = {
		0, 1, 2, 3, 4, 5, 6, 7, 8, 17, 32, 33, 127, 128, 255, 256,
		1000, 4093, 4094, 4095, 4096, 0x0800, 0x0806, 0x86dd, 0x8100,
		0x88a8, 32767, 32768, 65535, 65536, 300, 1000000, 1000001,
		(1 << 22), (1 << 22) + 1, 0x7fffffff, 0x80000000, 0xffffffff,
		0x100000000ULL, UINT64_MAX,
	};

	switch (rnd(4)) {
	case 0:
		return rnd64();
	case 1:
		return rnd_ifindex();
	default:
		(void)k;
		return interesting[rnd(sizeof(interesting) /
				       sizeof(interesting[0]))];
	}
}

static void rnd_bytes(uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		b[i] = rnd64();
}

static void gen_attrs(struct msg *m, const struct table *t, int depth);

/* One attribute of kind @k, usually well formed. */
static void gen_value(struct msg *m, uint16_t type, const struct attr_def *def,
		      int depth)
{
	uint8_t b[1100];
	char name[32];
	enum kind k = def ? def->kind : (enum kind)(1 + rnd(K_HEX));
	size_t len;
	uint64_t v;

	/* wrong length now and then */
	if (chance(6)) {
		len = chance(50) ? rnd(10) : rnd(sizeof(b));
		rnd_bytes(b, len);
		put(m, type, b, len);
		return;
	}
	switch (k) {
	case K_U8: case K_U16: case K_U32: case K_U64:
		v = rnd_int(k);
		len = k == K_U8 ? 1 : k == K_U16 ? 2 : k == K_U32 ? 4 : 8;
		if (k == K_U8 && chance(70))
			v = rnd(8);
		if (k == K_U16 && def && chance(50))
			v = rnd(4097);
		memcpy(b, &v, 8);	/* little endian: low bytes first */
		put(m, type, b, len);
		break;
	case K_STR: {
		const char *s = rnd_name(name);

		if (chance(10))
			put(m, type, s, strlen(s));	/* no NUL */
		else
			put(m, type, s, strlen(s) + 1);
		break;
	}
	case K_FLAG:
		if (chance(5)) {
			rnd_bytes(b, 4);
			put(m, type, b, 1 + rnd(4));
		} else {
			put(m, type, NULL, 0);
		}
		break;
	case K_MAC:
		rnd_bytes(b, 6);
		switch (rnd(5)) {
		case 0: memset(b, 0, 6); break;
		case 1: memset(b, 0xff, 6); break;
		case 2: b[0] &= 0xfe; break;			/* unicast */
		case 3: b[0] = 0x02; b[1] = 0; b[2] = 0; break;	/* few MACs */
		}
		put(m, type, b, 6);
		break;
	case K_IP4:
	case K_IP6:
		len = k == K_IP4 ? 4 : 16;
		rnd_bytes(b, len);
		if (chance(50)) {	/* a prefix mask */
			size_t bits = rnd(len * 8 + 1), i;

			memset(b, 0, len);
			for (i = 0; i < bits; i++)
				b[i / 8] |= 0x80 >> (i % 8);
		}
		put(m, type, b, len);
		break;
	case K_BITMAP:
		len = VSW_VLAN_BITMAP_LEN;
		switch (rnd(6)) {
		case 0: memset(b, 0, len); break;
		case 1: memset(b, 0xff, len); break;
		case 2: memset(b, 0xff, len); b[0] &= 0xfe; b[511] &= 0x7f; break;
		case 3: len += chance(50) ? 1 : -1; rnd_bytes(b, len); break;
		default:
			rnd_bytes(b, len);
			if (chance(70)) {
				b[0] &= 0xfe;
				b[511] &= 0x7f;
			}
		}
		put(m, type, b, len);
		break;
	case K_NEST:
		if (depth > 5 || !nest_start(m, type | (chance(90) ? NLA_F_NESTED : 0)))
			break;
		gen_attrs(m, def && chance(90) ? def->nest :
			  chance(50) ? &t_key : NULL, depth + 1);
		nest_end(m);
		break;
	default:
		len = rnd(64);
		rnd_bytes(b, len);
		put(m, type, b, len);
	}
}

/* Random attributes, mostly from table @t (NULL: anything). */
static void gen_attrs(struct msg *m, const struct table *t, int depth)
{
	int n = rnd(8), i;

	if (t == &t_action)	/* action lists can be long */
		n = chance(10) ? rnd(40) : rnd(5);
	for (i = 0; i < n; i++) {
		uint16_t type;

		if (t && chance(85)) {
			type = 1 + rnd(t->max);
			if (!t->defs[type].name)
				continue;
			gen_value(m, type, &t->defs[type], depth);
		} else {
			switch (rnd(4)) {
			case 0: type = 0; break;
			case 1: type = rnd64(); break;	/* flag bits too */
			default: type = rnd(48);
			}
			if (t && (type & NLA_TYPE_MASK) <= t->max &&
			    t->defs[type & NLA_TYPE_MASK].name && chance(50))
				gen_value(m, type, &t->defs[type & NLA_TYPE_MASK],
					  depth);
			else
				gen_value(m, type, NULL, depth);
		}
	}
}

/* A mostly valid rule, to reach vsw_rule_add()/del() past the parser. */
static void gen_rule(struct msg *m)
{
	static const uint16_t types[] = { 0x0800, 0x86dd, 0x0806, 0x8100, 0 };
	uint16_t et = types[rnd(5)], v16;
	uint8_t b[16], proto;
	uint32_t v32;
	int i, n;

	nest_start(m, VSW_ATTR_RULE | NLA_F_NESTED);
	if (chance(80)) {
		v16 = chance(50) ? rnd(8) * 1000 : rnd64();
		put(m, VSW_RULE_ATTR_PRIORITY, &v16, 2);
	}
	nest_start(m, VSW_RULE_ATTR_MATCH | NLA_F_NESTED);
	if (chance(30)) {
		v32 = rnd_ifindex();
		put(m, VSW_KEY_ATTR_IN_PORT, &v32, 4);
	}
	if (chance(30)) {
		rnd_bytes(b, 6);
		b[0] = 2;
		b[5] &= 3;
		put(m, VSW_KEY_ATTR_ETH_SRC, b, 6);
	}
	if (chance(20)) {
		v16 = 1 + rnd(10);
		put(m, VSW_KEY_ATTR_VLAN_VID, &v16, 2);
	} else if (chance(10)) {
		put(m, VSW_KEY_ATTR_VLAN_NONE, NULL, 0);
	}
	if (et && chance(80)) {
		put(m, VSW_KEY_ATTR_ETH_TYPE, &et, 2);
		if (et == 0x0800 && chance(50)) {
			rnd_bytes(b, 4);
			put(m, VSW_KEY_ATTR_IPV4_DST, b, 4);
			if (chance(50)) {
				v32 = htonl(~0u << rnd(33 - 1));
				put(m, VSW_KEY_ATTR_IPV4_DST_MASK, &v32, 4);
			}
		}
		if (et == 0x86dd && chance(50)) {
			rnd_bytes(b, 16);
			put(m, VSW_KEY_ATTR_IPV6_SRC, b, 16);
		}
		if (et == 0x0806 && chance(50)) {
			v16 = 1 + rnd(2);
			put(m, VSW_KEY_ATTR_ARP_OP, &v16, 2);
		}
		if ((et == 0x0800 || et == 0x86dd) && chance(60)) {
			static const uint8_t protos[] = { 6, 17, 132, 1, 58 };

			proto = protos[rnd(5)];
			put(m, VSW_KEY_ATTR_IP_PROTO, &proto, 1);
			if (proto != 1 && proto != 58 && chance(70)) {
				v16 = rnd(1024);
				put(m, VSW_KEY_ATTR_L4_DST, &v16, 2);
			}
		}
	}
	nest_end(m);
	if (chance(95)) {
		nest_start(m, VSW_RULE_ATTR_ACTIONS | NLA_F_NESTED);
		n = rnd(4);
		for (i = 0; i < n; i++) {
			switch (rnd(4)) {
			case 0:
				v32 = rnd_ifindex();
				put(m, VSW_ACTION_ATTR_OUTPUT, &v32, 4);
				break;
			case 1:
				v16 = 1 + rnd(4094);
				put(m, VSW_ACTION_ATTR_SET_VLAN_VID, &v16, 2);
				break;
			case 2:
				put(m, VSW_ACTION_ATTR_POP_VLAN, NULL, 0);
				break;
			default:
				v16 = chance(50) ? 0x8100 : 0x88a8;
				put(m, VSW_ACTION_ATTR_PUSH_VLAN, &v16, 2);
			}
		}
		if (chance(80))
			put(m, VSW_ACTION_ATTR_NORMAL + rnd(3), NULL, 0);
		nest_end(m);
	}
	nest_end(m);
}

static void gen_switch_id(struct msg *m)
{
	char name[32];
	uint32_t v;
	const char *s;

	switch (rnd(6)) {
	case 0:
		break;
	case 1:
		v = rnd_ifindex();
		put(m, VSW_ATTR_IFINDEX, &v, 4);
		break;
	case 2:
		s = rnd_name(name);
		put(m, VSW_ATTR_IFNAME, s, strlen(s) + 1);
		break;
	case 3:
		put(m, VSW_ATTR_IFINDEX, &target.sw_ifindex, 4);
		put(m, VSW_ATTR_IFNAME, target.sw, strlen(target.sw) + 1);
		break;
	default:
		put(m, VSW_ATTR_IFINDEX, &target.sw_ifindex, 4);
	}
}

struct stats {
	unsigned long sent, batches, acks, errors, data, dones, intr,
		no_reply_ok, enobufs, abandoned, malformed_sent;
	unsigned long errno_count[160];
};
static struct stats st;

enum expect { EXP_NONE, EXP_MAYBE, EXP_MUST };

struct pending {
	uint32_t seq;
	uint8_t cmd;
	bool dump;
	enum expect exp;
	bool done;
};

/*
 * Build one fuzz message at m->buf (alone) and say what reply it must
 * get. Returns false if the message is malformed at the netlink level
 * (the kernel silently stops processing the datagram there).
 */
static bool gen_msg(struct nl *nl, struct msg *m, uint32_t seq,
		    struct pending *p)
{
	struct nlmsghdr *nlh;
	uint16_t flags = NLM_F_REQUEST, type = nl->family;
	uint8_t cmd, version = VSW_GENL_VERSION;
	bool wellformed = true;

	if (chance(90))
		cmd = 1 + rnd(VSW_CMD_MAX);
	else
		cmd = chance(50) ? rnd(__VSW_CMD_MAX + 3) : rnd(256);
	if (chance(93))
		flags |= NLM_F_ACK;
	if (chance(cmd_is_get(cmd) ? 60 : 10))
		flags |= NLM_F_DUMP;
	if (chance(3))
		flags = rnd64();
	if (chance(3))
		version = rnd(256);
	if (chance(2))
		type = rnd(NLMSG_MIN_TYPE);	/* control messages */

	nlh = msg_start(m, type, flags, seq, cmd, version);
	if (chance(2))
		((struct genlmsghdr *)NLMSG_DATA(nlh))->reserved = rnd64();

	switch (rnd(10)) {
	case 0: case 1: case 2:		/* structured per command */
		gen_switch_id(m);
		switch (cmd) {
		case VSW_CMD_SWITCH_SET:
			gen_attrs(m, &t_top, 1);
			break;
		case VSW_CMD_PORT_GET:
		case VSW_CMD_PORT_SET:
			if (chance(90)) {
				struct attr_def d = { "port", K_NEST, &t_port };

				gen_value(m, VSW_ATTR_PORT, &d, 1);
			}
			break;
		case VSW_CMD_FDB_GET: case VSW_CMD_FDB_NEW:
		case VSW_CMD_FDB_DEL: case VSW_CMD_FDB_FLUSH:
			if (chance(80)) {
				struct attr_def d = { "fdb", K_NEST, &t_fdb };

				gen_value(m, VSW_ATTR_FDB, &d, 1);
			}
			break;
		case VSW_CMD_RULE_NEW: case VSW_CMD_RULE_DEL:
			if (chance(80)) {
				struct attr_def d = { "rule", K_NEST, &t_rule };

				gen_value(m, VSW_ATTR_RULE, &d, 1);
			}
			break;
		}
		break;
	case 3: case 4:			/* mostly valid rules */
		if (cmd != VSW_CMD_RULE_DEL && chance(80))
			cmd = VSW_CMD_RULE_NEW;
		((struct genlmsghdr *)NLMSG_DATA(nlh))->cmd = cmd;
		put(m, VSW_ATTR_IFINDEX, &target.sw_ifindex, 4);
		gen_rule(m);
		break;
	case 5:				/* random top-level soup */
		gen_attrs(m, &t_top, 0);
		break;
	case 6:				/* attributes of any table */
		gen_attrs(m, NULL, 0);
		break;
	default:			/* switch + one nest */
		gen_switch_id(m);
		gen_attrs(m, &t_top, 1);
	}
	msg_end(m);

	/* netlink-level corruption */
	if (chance(4)) {
		switch (rnd(6)) {
		case 0:	/* no room for the genl header */
			nlh->nlmsg_len = NLMSG_HDRLEN + rnd(GENL_HDRLEN);
			m->len = nlh->nlmsg_len;
			break;
		case 1:	/* says more than was sent */
			nlh->nlmsg_len = m->len + 1 + rnd(4096);
			wellformed = false;
			break;
		case 2:	/* huge */
			nlh->nlmsg_len = UINT32_MAX - rnd(16);
			wellformed = false;
			break;
		case 3:	/* shorter than a header */
			nlh->nlmsg_len = rnd(NLMSG_HDRLEN);
			wellformed = false;
			break;
		case 4: { /* an attribute header lies about its length */
			struct nlattr *a = (struct nlattr *)(m->buf +
					    NLMSG_HDRLEN + GENL_HDRLEN);

			if (m->len >= NLMSG_HDRLEN + GENL_HDRLEN + NLA_HDRLEN)
				a->nla_len = chance(50) ? rnd(4) : rnd(65536);
			break;
		}
		default: /* truncated attribute stream, unaligned length */
			if (m->len > NLMSG_HDRLEN + GENL_HDRLEN + 1) {
				m->len -= 1 + rnd(3);
				nlh->nlmsg_len = m->len;
			}
		}
	}

	p->seq = seq;
	p->cmd = cmd;
	p->dump = (nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
	p->done = false;
	if (!wellformed)
		p->exp = EXP_NONE;
	else if (nlh->nlmsg_flags & NLM_F_ACK)
		p->exp = EXP_MUST;	/* an ack, an error or a DONE */
	else
		p->exp = EXP_MAYBE;
	if (!wellformed)
		st.malformed_sent++;
	return wellformed;
}

static int fail_count;

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fail(const char *fmt, ...)
{
	va_list ap;

	fail_count++;
	if (fail_count > 20)
		return;
	va_start(ap, fmt);
	printf("# FAIL: ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
}

/* Check one received message; mark its request done. */
static void check_reply(struct nl *nl, const struct nlmsghdr *nlh,
			struct pending *pend, int npend)
{
	struct pending *p = NULL;
	int i;

	for (i = 0; i < npend; i++)
		if (pend[i].seq == nlh->nlmsg_seq)
			p = &pend[i];
	if (nlh->nlmsg_pid != nl->portid)
		fail("reply to port id %u, we are %u", nlh->nlmsg_pid,
		     nl->portid);

	if (nlh->nlmsg_type == NLMSG_ERROR) {
		const char *msg;
		int err = nl_err(nlh, &msg);

		if (err > 0 || err < -4095)
			fail("bad error code %d", err);
		if (err)
			st.errors++;
		else
			st.acks++;
		if (err < 0 && -err < 160)
			st.errno_count[-err]++;
		if (p)
			p->done = true;
		return;
	}
	if (nlh->nlmsg_type == NLMSG_DONE) {
		st.dones++;
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
			st.intr++;
		if (p)
			p->done = true;
		return;
	}
	if (nlh->nlmsg_type != nl->family) {
		fail("reply of type %u", nlh->nlmsg_type);
		return;
	}
	st.data++;
	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		st.intr++;
	if (nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN) {
		fail("data reply without a genl header");
		return;
	} else {
		const struct genlmsghdr *g = NLMSG_DATA(nlh);

		if (!cmd_is_get(g->cmd))
			fail("data reply with command %u", g->cmd);
		if (p && g->cmd != p->cmd)
			fail("reply command %u to a request %u", g->cmd, p->cmd);
		if (!walk_attrs((const uint8_t *)g + GENL_HDRLEN,
				nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN,
				&t_top, "", false, 0))
			fail("malformed attributes in a %s reply",
			     cmd_names[g->cmd] ? cmd_names[g->cmd] : "?");
	}
	/* a do's data reply is followed by an ack; a dump ends with DONE */
}

/* Read replies until every EXP_MUST request is done (or a timeout). */
static int collect(struct nl *nl, struct pending *pend, int npend)
{
	int i, missing, ms;
	ssize_t n;

	for (;;) {
		missing = 0;
		for (i = 0; i < npend; i++)
			if (pend[i].exp == EXP_MUST && !pend[i].done)
				missing++;
		/* nothing owed: just drain what is already queued */
		ms = missing ? REPLY_TIMEOUT_MS : 0;
		n = nl_recv(nl, ms);
		if (n == -ENOBUFS) {
			st.enobufs++;
			return 0;	/* replies were lost: don't wait */
		}
		if (n < 0) {
			fail("recv: %s", strerror(-n));
			return -1;
		}
		if (!n) {
			if (missing) {
				for (i = 0; i < npend; i++)
					if (pend[i].exp == EXP_MUST &&
					    !pend[i].done)
						fail("no reply to request seq %u (cmd %u%s) within %d s",
						     pend[i].seq, pend[i].cmd,
						     pend[i].dump ? ", dump" : "",
						     REPLY_TIMEOUT_MS / 1000);
				return -1;
			}
			return 0;
		}
		{
			struct nlmsghdr *nlh = (struct nlmsghdr *)nl->rbuf;
			int len = n;

			for (; NLMSG_OK(nlh, len); nlh = NLMSG_NEXT(nlh, len))
				check_reply(nl, nlh, pend, npend);
			if (len > 0)
				fail("%d trailing bytes in a reply datagram", len);
		}
	}
}

/* Start a dump on a fresh socket, read at most one part, close it. */
static void abandoned_dump(void)
{
	static const uint8_t cmds[] = { VSW_CMD_SWITCH_GET, VSW_CMD_PORT_GET,
		VSW_CMD_FDB_GET, VSW_CMD_RULE_GET, VSW_CMD_CACHE_GET,
		VSW_CMD_VLAN_GET };
	static struct msg m;
	static struct nl nl2;

	if (nl_open(&nl2))
		return;
	nl2.family = 0;
	msg_start(&m, 0, NLM_F_REQUEST | NLM_F_DUMP, 1, cmds[rnd(6)],
		  VSW_GENL_VERSION);
	((struct nlmsghdr *)m.buf)->nlmsg_type = 0;
	if (chance(50))
		put(&m, VSW_ATTR_IFINDEX, &target.sw_ifindex, 4);
	msg_end(&m);
	if (!nl_family(&nl2)) {
		((struct nlmsghdr *)m.buf)->nlmsg_type = nl2.family;
		if (!nl_send(&nl2, m.buf, m.len) && chance(50))
			nl_recv(&nl2, 100);
	}
	close(nl2.fd);
	st.abandoned++;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The final check: a valid SWITCH_GET must still work. */
static int final_check(struct nl *nl)
{
	static struct msg m;
	uint32_t seq = 0x7fff0000;
	bool got_data = false, acked = false;
	double end = now() + REPLY_TIMEOUT_MS / 1000;

	msg_start(&m, nl->family, NLM_F_REQUEST | NLM_F_ACK, seq,
		  VSW_CMD_SWITCH_GET, VSW_GENL_VERSION);
	put(&m, VSW_ATTR_IFNAME, target.sw, strlen(target.sw) + 1);
	msg_end(&m);
	if (nl_send(nl, m.buf, m.len)) {
		printf("# final SWITCH_GET: send failed: %s\n", strerror(errno));
		return -1;
	}
	while (!acked && now() < end) {
		ssize_t n = nl_recv(nl, 1000);
		struct nlmsghdr *nlh;

		if (n < 0 && n != -ENOBUFS)
			break;
		for (nlh = (struct nlmsghdr *)nl->rbuf; n > 0 && NLMSG_OK(nlh, n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			if (nlh->nlmsg_seq != seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				const char *msg;
				int err = nl_err(nlh, &msg);

				if (err) {
					printf("# final SWITCH_GET failed: %s: %s\n",
					       strerror(-err), msg);
					return -1;
				}
				acked = true;
			} else if (nlh->nlmsg_type == nl->family) {
				const struct genlmsghdr *g = NLMSG_DATA(nlh);
				const uint8_t *p = (const uint8_t *)g + GENL_HDRLEN;
				size_t len = nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
				size_t off = 0;

				if (!walk_attrs(p, len, &t_top, "", false, 0))
					break;
				while (off + NLA_HDRLEN <= len) {
					const struct nlattr *a = (const void *)(p + off);

					if (a->nla_type == VSW_ATTR_IFNAME &&
					    !strcmp((const char *)(a + 1), target.sw))
						got_data = true;
					off += NLA_ALIGN(a->nla_len);
				}
			}
		}
	}
	if (!acked || !got_data) {
		printf("# final SWITCH_GET: no valid reply naming %s\n",
		       target.sw);
		return -1;
	}
	return 0;
}

static int do_fuzz(int argc, char **argv)
{
	static struct msg m;
	static struct nl nl;
	static uint8_t batch[BUFSZ * 4];
	unsigned long count = 100000, i;
	double secs = 0, start, progress;
	uint64_t seed = time(NULL);
	uint32_t seq = 1000;
	int opt;

	while ((opt = getopt(argc, argv, "s:p:n:t:S:")) != -1) {
		switch (opt) {
		case 's':
			snprintf(target.sw, IFNAMSIZ, "%s", optarg);
			break;
		case 'p':
			if (target.n_ports < MAX_PORTS)
				snprintf(target.ports[target.n_ports++],
					 IFNAMSIZ, "%s", optarg);
			break;
		case 'n':
			count = strtoul(optarg, NULL, 0);
			break;
		case 't':
			secs = strtod(optarg, NULL);
			break;
		case 'S':
			seed = strtoull(optarg, NULL, 0);
			break;
		default:
			die("usage: netlink_fuzz fuzz -s SWITCH [-p PORT]... [-n COUNT] [-t SECS] [-S SEED]");
		}
	}
	if (!target.sw[0])
		die("fuzz: -s SWITCH is required");
	target.sw_ifindex = if_nametoindex(target.sw);
	if (!target.sw_ifindex)
		die("no such switch device %s", target.sw);
	for (i = 0; i < (unsigned long)target.n_ports; i++) {
		target.port_ifindex[i] = if_nametoindex(target.ports[i]);
		if (!target.port_ifindex[i])
			die("no such port device %s", target.ports[i]);
	}
	rng_state = seed ? seed : 1;
	printf("# seed %" PRIu64 ", count %lu, time limit %.0f s\n", seed,
	       count, secs);
	if (nl_open(&nl) || nl_family(&nl))
		die("cannot resolve the \"" VSW_GENL_NAME "\" family");

	start = now();
	progress = start;
	for (i = 0; i < count && fail_count == 0;) {
		struct pending pend[8];
		size_t blen = 0;
		int nb = chance(15) ? 2 + rnd(6) : 1, j;

		for (j = 0; j < nb && i < count; j++, i++) {
			bool ok;

			if (blen + BUFSZ > sizeof(batch))
				break;
			ok = gen_msg(&nl, &m, ++seq, &pend[j]);
			memcpy(batch + blen, m.buf, m.len);
			blen += NLMSG_ALIGN(m.len);
			if (m.len != NLMSG_ALIGN(m.len)) {
				/* the kernel stops at an unaligned end */
				j++, i++;
				break;
			}
			if (!ok) {	/* the rest would be ignored */
				j++, i++;
				break;
			}
		}
		nb = j;
		st.sent += nb;
		st.batches++;
		if (nl_send(&nl, batch, blen)) {
			/* e.g. EMSGSIZE / ENOBUFS: nothing to wait for */
			for (j = 0; j < nb; j++)
				pend[j].exp = EXP_NONE;
		}
		if (collect(&nl, pend, nb))
			break;
		if (chance(1))
			abandoned_dump();
		if (secs && now() - start > secs)
			break;
		if (now() - progress > 10) {
			progress = now();
			printf("# %lu requests, %.0f s\n", st.sent,
			       progress - start);
			fflush(stdout);
		}
	}

	printf("# sent %lu requests in %lu datagrams in %.1f s: %lu acks, %lu errors, %lu data replies, %lu dumps done (%lu interrupted), %lu netlink-malformed, %lu abandoned dumps, %lu ENOBUFS\n",
	       st.sent, st.batches, now() - start, st.acks, st.errors, st.data,
	       st.dones, st.intr, st.malformed_sent, st.abandoned, st.enobufs);
	printf("# errors by errno:");
	for (i = 0; i < 160; i++)
		if (st.errno_count[i])
			printf(" %s=%lu", strerrorname_np(i) ?: "?",
			       st.errno_count[i]);
	printf("\n");
	if (final_check(&nl))
		fail_count++;
	if (fail_count) {
		printf("# %d failures\n", fail_count);
		return 1;
	}
	printf("# switch %s still answers SWITCH_GET\n", target.sw);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Scale mode                                                          */

/* Send @n requests built by @build(i) in batches; every one must be acked. */
static int bulk(struct nl *nl, unsigned long n,
		void (*build)(struct msg *m, unsigned long i, void *arg),
		void *arg)
{
	static struct msg m;
	static uint8_t batch[1 << 17];
	unsigned long i = 0, acked;
	int bad = 0;

	while (i < n) {
		size_t blen = 0;
		unsigned long first = i, k;

		for (k = 0; k < 128 && i < n; k++, i++) {
			build(&m, i, arg);
			((struct nlmsghdr *)m.buf)->nlmsg_seq = i + 1;
			msg_end(&m);
			if (blen + m.len > sizeof(batch))
				break;
			memcpy(batch + blen, m.buf, m.len);
			blen += NLMSG_ALIGN(m.len);
		}
		if (nl_send(nl, batch, blen)) {
			printf("# bulk send: %s\n", strerror(errno));
			return -1;
		}
		for (acked = 0; acked < i - first; ) {
			ssize_t r = nl_recv(nl, REPLY_TIMEOUT_MS);
			struct nlmsghdr *nlh;

			if (r <= 0) {
				printf("# bulk: no ack (%s)\n",
				       r ? strerror(-r) : "timeout");
				return -1;
			}
			for (nlh = (struct nlmsghdr *)nl->rbuf; NLMSG_OK(nlh, r);
			     nlh = NLMSG_NEXT(nlh, r)) {
				const char *msg;
				int err;

				if (nlh->nlmsg_type != NLMSG_ERROR ||
				    nlh->nlmsg_seq <= first ||
				    nlh->nlmsg_seq > i)
					continue;
				acked++;
				err = nl_err(nlh, &msg);
				if (err && bad++ < 5)
					printf("# bulk request %u: %s: %s\n",
					       nlh->nlmsg_seq, strerror(-err), msg);
			}
		}
	}
	return bad ? -1 : 0;
}

struct scale_arg {
	uint16_t family;
	uint32_t sw, port;
};

static void mac_of(unsigned long i, uint8_t *mac)
{
	mac[0] = 0x02;
	mac[1] = 0x5c;
	mac[2] = i >> 24;
	mac[3] = i >> 16;
	mac[4] = i >> 8;
	mac[5] = i;
}

static void build_fdb(struct msg *m, unsigned long i, void *arg)
{
	const struct scale_arg *a = arg;
	uint16_t vid = 1 + i % 100;
	uint8_t mac[6];

	mac_of(i, mac);
	msg_start(m, a->family, NLM_F_REQUEST | NLM_F_ACK, 0, VSW_CMD_FDB_NEW,
		  VSW_GENL_VERSION);
	put(m, VSW_ATTR_IFINDEX, &a->sw, 4);
	nest_start(m, VSW_ATTR_FDB | NLA_F_NESTED);
	put(m, VSW_FDB_ATTR_MAC, mac, 6);
	put(m, VSW_FDB_ATTR_VID, &vid, 2);
	put(m, VSW_FDB_ATTR_PORT_IFINDEX, &a->port, 4);
	nest_end(m);
}

static void build_rule(struct msg *m, unsigned long i, void *arg)
{
	const struct scale_arg *a = arg;
	uint16_t prio = 1000 + i % 1000, et = 0x0800, port = i;
	uint8_t proto = 17;

	msg_start(m, a->family, NLM_F_REQUEST | NLM_F_ACK, 0, VSW_CMD_RULE_NEW,
		  VSW_GENL_VERSION);
	put(m, VSW_ATTR_IFINDEX, &a->sw, 4);
	nest_start(m, VSW_ATTR_RULE | NLA_F_NESTED);
	put(m, VSW_RULE_ATTR_PRIORITY, &prio, 2);
	nest_start(m, VSW_RULE_ATTR_MATCH | NLA_F_NESTED);
	put(m, VSW_KEY_ATTR_ETH_TYPE, &et, 2);
	put(m, VSW_KEY_ATTR_IP_PROTO, &proto, 1);
	put(m, VSW_KEY_ATTR_L4_DST, &port, 2);
	nest_end(m);
	nest_start(m, VSW_RULE_ATTR_ACTIONS | NLA_F_NESTED);
	put(m, VSW_ACTION_ATTR_NORMAL, NULL, 0);
	nest_end(m);
	nest_end(m);
}

/* Find attribute @type in [p, p+len); NULL if absent. */
static const struct nlattr *find_attr(const uint8_t *p, size_t len, int type)
{
	size_t off = 0;

	while (off + NLA_HDRLEN <= len) {
		const struct nlattr *a = (const void *)(p + off);

		if (a->nla_len < NLA_HDRLEN || off + a->nla_len > len)
			return NULL;
		if ((a->nla_type & NLA_TYPE_MASK) == type)
			return a;
		off += NLA_ALIGN(a->nla_len);
	}
	return NULL;
}

static const struct nlattr *find_nested(const struct nlattr *a, int type)
{
	return a ? find_attr((const uint8_t *)(a + 1), a->nla_len - NLA_HDRLEN,
			     type) : NULL;
}

struct dump_result {
	unsigned long msgs, found, dups, datagrams;
	bool intr, error;
};

/*
 * Dump @cmd of switch @sw; mark the entries we added (index from @key) in
 * @seen. @between(arg) runs after the first datagram (to change the table
 * mid-dump).
 */
static void scale_dump(struct nl *nl, uint8_t cmd, uint32_t sw,
		       uint8_t *seen, unsigned long n,
		       long (*key)(const uint8_t *attrs, size_t len),
		       void (*between)(void *arg), void *arg,
		       struct dump_result *res)
{
	static struct msg m;
	bool done = false;

	memset(res, 0, sizeof(*res));
	msg_start(&m, nl->family, NLM_F_REQUEST | NLM_F_DUMP, 7, cmd,
		  VSW_GENL_VERSION);
	put(&m, VSW_ATTR_IFINDEX, &sw, 4);
	msg_end(&m);
	if (nl_send(nl, m.buf, m.len)) {
		res->error = true;
		return;
	}
	while (!done) {
		ssize_t r = nl_recv(nl, REPLY_TIMEOUT_MS);
		struct nlmsghdr *nlh;

		if (r <= 0) {
			printf("# dump: %s\n", r ? strerror(-r) : "timeout");
			res->error = true;
			return;
		}
		res->datagrams++;
		for (nlh = (struct nlmsghdr *)nl->rbuf; NLMSG_OK(nlh, r);
		     nlh = NLMSG_NEXT(nlh, r)) {
			const uint8_t *p = (const uint8_t *)NLMSG_DATA(nlh) +
					   GENL_HDRLEN;
			long idx;

			if (nlh->nlmsg_seq != 7)
				continue;	/* not ours */
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				res->intr = true;
			if (nlh->nlmsg_type == NLMSG_DONE) {
				const char *msg;
				int err = nl_err(nlh, &msg);

				if (err) {
					printf("# dump ended with %s: %s\n",
					       strerror(-err), msg);
					res->error = true;
				}
				done = true;
				break;
			}
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				const char *msg = "";
				int err = nl_err(nlh, &msg);

				printf("# dump failed: %s: %s\n",
				       strerror(-err), msg);
				res->error = true;
				return;
			}
			res->msgs++;
			idx = key(p, nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN);
			if (idx < 0 || (unsigned long)idx >= n)
				continue;
			if (seen[idx])
				res->dups++;
			else
				res->found++;
			seen[idx] = 1;
		}
		if (between && res->datagrams == 1)
			between(arg);
	}
}

/* keys: the index we encoded, from the message's attributes */
static long fdb_key(const uint8_t *attrs, size_t len)
{
	const struct nlattr *fdb = find_attr(attrs, len, VSW_ATTR_FDB);
	const struct nlattr *mac = find_nested(fdb, VSW_FDB_ATTR_MAC);
	const uint8_t *b;

	if (!mac || mac->nla_len != NLA_HDRLEN + 6)
		return -1;
	b = (const uint8_t *)(mac + 1);
	if (b[0] != 0x02 || b[1] != 0x5c)
		return -1;
	return (long)b[2] << 24 | b[3] << 16 | b[4] << 8 | b[5];
}

static long rule_key(const uint8_t *attrs, size_t len)
{
	const struct nlattr *rule = find_attr(attrs, len, VSW_ATTR_RULE);
	const struct nlattr *match = find_nested(rule, VSW_RULE_ATTR_MATCH);
	const struct nlattr *l4 = find_nested(match, VSW_KEY_ATTR_L4_DST);
	const struct nlattr *prio = find_nested(rule, VSW_RULE_ATTR_PRIORITY);
	uint16_t port;

	if (!l4 || !prio)
		return -1;
	port = *(const uint16_t *)(l4 + 1);
	if (*(const uint16_t *)(prio + 1) != 1000 + port % 1000)
		return -1;
	return port;
}

struct between_arg {
	struct nl *nl;
	struct scale_arg sa;
	unsigned long next;
};

static void build_fdb_next(struct msg *m, unsigned long i, void *arg)
{
	struct between_arg *b = arg;

	build_fdb(m, b->next, &b->sa);
}

static void add_one_fdb(void *arg)
{
	struct between_arg *b = arg;

	bulk(b->nl, 1, build_fdb_next, b);	/* a new entry */
	b->next++;
}

static int do_scale(int argc, char **argv)
{
	static struct nl nl, nl2;
	struct scale_arg sa = { 0 };
	unsigned long nfdb = 100000, nrules = 10000;
	struct dump_result res;
	struct between_arg ba;
	const char *sw = NULL, *port = NULL;
	uint8_t *seen;
	int opt, fails = 0;
	double t;

	while ((opt = getopt(argc, argv, "s:p:f:r:")) != -1) {
		switch (opt) {
		case 's': sw = optarg; break;
		case 'p': port = optarg; break;
		case 'f': nfdb = strtoul(optarg, NULL, 0); break;
		case 'r': nrules = strtoul(optarg, NULL, 0); break;
		default:
			die("usage: netlink_fuzz scale -s SWITCH -p PORT [-f N] [-r N]");
		}
	}
	if (!sw || !port)
		die("scale: -s SWITCH and -p PORT are required");
	if (nrules > 65536)
		die("scale: at most 65536 rules");
	sa.sw = if_nametoindex(sw);
	sa.port = if_nametoindex(port);
	if (!sa.sw || !sa.port)
		die("no such device %s or %s", sw, port);
	if (nl_open(&nl) || nl_family(&nl) || nl_open(&nl2) || nl_family(&nl2))
		die("cannot resolve the \"" VSW_GENL_NAME "\" family");
	sa.family = nl.family;
	seen = calloc(nfdb > nrules ? nfdb : nrules, 1);

	t = now();
	if (bulk(&nl, nfdb, build_fdb, &sa))
		die("adding %lu FDB entries failed", nfdb);
	printf("# added %lu FDB entries in %.1f s\n", nfdb, now() - t);
	t = now();
	if (bulk(&nl, nrules, build_rule, &sa))
		die("adding %lu rules failed", nrules);
	printf("# added %lu rules in %.1f s\n", nrules, now() - t);

	t = now();
	memset(seen, 0, nfdb);
	scale_dump(&nl, VSW_CMD_FDB_GET, sa.sw, seen, nfdb, fdb_key, NULL,
		   NULL, &res);
	printf("# FDB dump: %lu messages in %lu datagrams, %lu of %lu entries, %lu duplicates, %s, %.1f s\n",
	       res.msgs, res.datagrams, res.found, nfdb, res.dups,
	       res.intr ? "interrupted" : "consistent", now() - t);
	if (res.error || res.found != nfdb || res.dups || res.intr) {
		printf("not ok FDB dump of %lu entries\n", nfdb);
		fails++;
	} else {
		printf("ok FDB dump of %lu entries\n", nfdb);
	}

	t = now();
	memset(seen, 0, nrules);
	scale_dump(&nl, VSW_CMD_RULE_GET, sa.sw, seen, nrules, rule_key, NULL,
		   NULL, &res);
	printf("# rule dump: %lu messages in %lu datagrams, %lu of %lu rules, %lu duplicates, %s, %.1f s\n",
	       res.msgs, res.datagrams, res.found, nrules, res.dups,
	       res.intr ? "interrupted" : "consistent", now() - t);
	if (res.error || res.found != nrules || res.dups || res.intr) {
		printf("not ok rule dump of %lu rules\n", nrules);
		fails++;
	} else {
		printf("ok rule dump of %lu rules\n", nrules);
	}

	if (nfdb) {
		/* a change in the middle must flag the dump */
		ba.nl = &nl2;
		ba.sa = sa;
		ba.next = nfdb;
		memset(seen, 0, nfdb);
		scale_dump(&nl, VSW_CMD_FDB_GET, sa.sw, seen, nfdb, fdb_key,
			   add_one_fdb, &ba, &res);
		printf("# FDB dump with a change after the first part: %lu datagrams, %s\n",
		       res.datagrams, res.intr ? "NLM_F_DUMP_INTR" : "no NLM_F_DUMP_INTR");
		if (res.datagrams > 1 && !res.intr) {
			printf("not ok FDB dump changed midway is flagged NLM_F_DUMP_INTR\n");
			fails++;
		} else {
			printf("ok FDB dump changed midway is flagged NLM_F_DUMP_INTR\n");
		}
	}
	free(seen);
	return fails ? 1 : 0;
}

/* ------------------------------------------------------------------ */
/* Resume mode: a dump read slowly, with changes between its parts      */

#define RESUME_MAX_EXEC	16

/* system(3), but with bash if there is one (it sees exported functions) */
static int run_cmd(const char *cmd)
{
	int status;
	pid_t pid;

	if (access("/bin/bash", X_OK))
		return system(cmd);
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		execl("/bin/bash", "bash", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return status;
}

static int do_resume(int argc, char **argv)
{
	static struct nl nl;
	static struct msg m;
	struct {
		unsigned long part;
		const char *cmd;
	} ex[RESUME_MAX_EXEC];
	unsigned long parts = 0, msgs = 0;
	size_t bufsz = 4096;
	int opt, nex = 0, cmd, i, err = 0, rcvbuf = 8192;
	bool intr = false, done = false;
	const uint32_t seq = 4242;
	uint16_t family;

	while ((opt = getopt(argc, argv, "+b:x:")) != -1) {
		switch (opt) {
		case 'b':
			bufsz = strtoul(optarg, NULL, 0);
			if (bufsz < 1024 || bufsz > RECVSZ)
				die("resume: -b 1024..%d", RECVSZ);
			break;
		case 'x': {
			char *colon = strchr(optarg, ':');

			if (!colon || nex == RESUME_MAX_EXEC)
				die("resume: -x PART:COMMAND (at most %d)",
				    RESUME_MAX_EXEC);
			ex[nex].part = strtoul(optarg, NULL, 0);
			ex[nex].cmd = colon + 1;
			nex++;
			break;
		}
		default:
			die("usage: netlink_fuzz resume [-b BYTES] [-x PART:COMMAND]... CMD ATTR...");
		}
	}
	if (optind >= argc)
		die("resume: missing command");
	/*
	 * A socket of its own for the dump: the kernel sizes a part by the
	 * largest recv() buffer seen on the socket, and nl_family() used a
	 * big one.
	 */
	if (nl_open(&nl) || nl_family(&nl))
		die("cannot resolve the \"" VSW_GENL_NAME "\" family");
	family = nl.family;
	close(nl.fd);
	if (nl_open(&nl))
		die("socket: %s", strerror(errno));
	nl.family = family;
	/* small: one part queued at a time (the kernel doubles it) */
	setsockopt(nl.fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	i = optind;
	cmd = cmd_by_name(argv[i++]);
	msg_start(&m, nl.family, NLM_F_REQUEST | NLM_F_DUMP, seq, cmd,
		  VSW_GENL_VERSION);
	req_attrs(&m, &t_top, argc, argv, &i);
	msg_end(&m);
	if (nl_send(&nl, m.buf, m.len))
		die("send: %s", strerror(errno));

	while (!done) {
		struct pollfd p = { .fd = nl.fd, .events = POLLIN };
		struct nlmsghdr *nlh;
		ssize_t n;
		int k, rc;

		if (poll(&p, 1, REPLY_TIMEOUT_MS) <= 0)
			die("resume: no part %lu within %d ms", parts + 1,
			    REPLY_TIMEOUT_MS);
		n = recv(nl.fd, nl.rbuf, bufsz, MSG_DONTWAIT | MSG_TRUNC);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n < 0)
			die("resume: recv: %s", strerror(errno));
		if ((size_t)n > bufsz)
			die("resume: part %lu truncated (%zd bytes)", parts + 1,
			    n);
		parts++;
		for (nlh = (struct nlmsghdr *)nl.rbuf; NLMSG_OK(nlh, n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			const char *emsg;

			if (nlh->nlmsg_seq != seq)
				continue;
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				intr = true;
			if (nlh->nlmsg_type == NLMSG_DONE ||
			    nlh->nlmsg_type == NLMSG_ERROR) {
				err = nl_err(nlh, &emsg);
				if (err)
					printf("# dump ended: %s: %s\n",
					       strerror(-err), emsg);
				done = true;
				break;
			}
			if (nlh->nlmsg_type == nl.family) {
				msgs++;
				printf("part=%lu ", parts);
				print_msg(nlh);
			}
		}
		if (done)
			break;
		for (k = 0; k < nex; k++) {
			if (ex[k].part != parts)
				continue;
			fflush(stdout);
			rc = run_cmd(ex[k].cmd);
			printf("exec %lu rc=%d\n", parts,
			       WIFEXITED(rc) ? WEXITSTATUS(rc) : -1);
		}
	}
	printf("end parts=%lu msgs=%lu intr=%d err=%d\n", parts, msgs, intr,
	       -err);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Fail-nth mode: fault injection in every state-changing command      */

/*
 * netlink_fuzz failnth [-k] [-m MAXN] < SCRIPT
 *
 * -k: write "failnth: CASE N=..." to the kernel log before each run with a
 * fault (to match the stack traces of fault injection's verbose mode).
 * SCRIPT is a list of cases:
 *	case NAME
 *	do REQUEST
 *	undo REQUEST		(any number, run in order)
 *	end
 * REQUEST is a vsw generic netlink request in the words of "req" (CMD
 * ATTR...) or an rtnetlink one: "link_add NAME INDEX MAC KIND",
 * "link_master DEV MASTER", "link_nomaster DEV", "link_del DEV".
 *
 * For each case: dump the state (every vsw switch, port, FDB entry, rule,
 * cache entry and VLAN of the netns, and every link), run the request
 * without a fault and dump the "after" state, undo it and check that the
 * state is the "before" one again. Then for N = 1, 2, ...: write N to
 * /proc/thread-self/fail-nth, send the request, read fail-nth back (0: the
 * Nth fault-injection point of this task failed), write 0, read the ack.
 * A request that fails must fail with ENOMEM or ENOBUFS and leave the
 * "before" state; one that succeeds must leave the "after" state (then it
 * is undone if a fault was hit, as the fault was tolerated). A socket in
 * the "events" group must get as many events as in the run without a
 * fault, or ENOBUFS (events lost), and none if the request failed. The loop ends
 * at the first N at which the request succeeds without the fault being
 * hit (-m 0: no fault injection, the request is done, undone and done
 * again). Prints one "ok CASE ..." or "not ok CASE ..." line per case, "#"
 * lines for each injected fault, and finally
 * "failnth cases=C runs=R faults=F errors=E tolerated=T".
 */

#define FN_MAX_WORDS	256
#define FN_MAX_UNDO	16
#define FN_ACK_LOST	1	/* request ran, its ack could not be allocated */

struct fn_req {
	int argc;
	char *argv[FN_MAX_WORDS];
};

struct fn_case {
	char name[128];
	struct fn_req req;
	struct fn_req undo[FN_MAX_UNDO];
	int nundo;
};

struct fn_ctx {
	struct nl genl, rt;
	int failfd;
	int kmsgfd;		/* -k: "failnth: CASE N=..." in the kernel log */
	struct nl mon;		/* joined to the "events" group */
	uint32_t seq;
	unsigned long runs, faults, errors, tolerated;
};

static void fn_split(char *line, struct fn_req *r)
{
	char *save, *w;

	r->argc = 0;
	for (w = strtok_r(line, " \t\n", &save); w && r->argc < FN_MAX_WORDS;
	     w = strtok_r(NULL, " \t\n", &save))
		r->argv[r->argc++] = strdup(w);
}

static uint32_t fn_ifindex(const char *name)
{
	uint32_t i = if_nametoindex(name);

	if (!i)
		i = strtoul(name, NULL, 0);
	return i;
}

/* Build the rtnetlink request of @r in @m; false if @r is not one. */
static bool fn_build_rt(struct msg *m, const struct fn_req *r, uint32_t seq)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)m->buf;
	struct ifinfomsg *ifi;
	const char *op = r->argv[0];
	uint32_t master;

	if (strncmp(op, "link_", 5))
		return false;
	memset(m->buf, 0, NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(*ifi)));
	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = seq;
	ifi = NLMSG_DATA(nlh);
	ifi->ifi_family = AF_UNSPEC;
	m->len = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(*ifi));
	m->depth = 0;
	if (!strcmp(op, "link_add") && r->argc == 5) {
		uint8_t mac[6];

		nlh->nlmsg_flags |= NLM_F_CREATE | NLM_F_EXCL;
		ifi->ifi_index = strtoul(r->argv[2], NULL, 0);
		put(m, IFLA_IFNAME, r->argv[1], strlen(r->argv[1]) + 1);
		if (sscanf(r->argv[3], "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &mac[0],
			   &mac[1], &mac[2], &mac[3], &mac[4], &mac[5]) != 6)
			die("failnth: bad MAC \"%s\"", r->argv[3]);
		put(m, IFLA_ADDRESS, mac, 6);
		nest_start(m, IFLA_LINKINFO);
		put(m, IFLA_INFO_KIND, r->argv[4], strlen(r->argv[4]));
		nest_end(m);
	} else if (!strcmp(op, "link_master") && r->argc == 3) {
		ifi->ifi_index = fn_ifindex(r->argv[1]);
		master = fn_ifindex(r->argv[2]);
		put(m, IFLA_MASTER, &master, 4);
	} else if (!strcmp(op, "link_nomaster") && r->argc == 2) {
		ifi->ifi_index = fn_ifindex(r->argv[1]);
		master = 0;
		put(m, IFLA_MASTER, &master, 4);
	} else if (!strcmp(op, "link_del") && r->argc == 2) {
		nlh->nlmsg_type = RTM_DELLINK;
		ifi->ifi_index = fn_ifindex(r->argv[1]);
	} else {
		die("failnth: bad request \"%s\" (%d words)", op, r->argc);
	}
	msg_end(m);
	return true;
}

/*
 * Run @r, failing the @nth fault-injection point (0: none). Returns 0,
 * FN_ACK_LOST or -errno (then the extack message is in @emsg); *@hit
 * says whether the fault was injected.
 */
static int fn_exec(struct fn_ctx *c, const struct fn_req *r, unsigned int nth,
		   bool *hit, char *emsg, size_t elen)
{
	static struct msg m;
	struct nl *nl = &c->genl;
	char buf[32];
	int i = 0, len, err = 0;
	bool done = false;
	ssize_t n;
	uint32_t seq = ++c->seq;

	*hit = false;
	emsg[0] = 0;
	if (fn_build_rt(&m, r, seq)) {
		nl = &c->rt;
	} else {
		msg_start(&m, nl->family, NLM_F_REQUEST | NLM_F_ACK, seq,
			  cmd_by_name(r->argv[i++]), VSW_GENL_VERSION);
		req_attrs(&m, &t_top, r->argc, (char **)r->argv, &i);
		msg_end(&m);
	}
	if (nth) {
		len = snprintf(buf, sizeof(buf), "%u", nth);
		if (write(c->failfd, buf, len) != len)
			die("failnth: write fail-nth: %s", strerror(errno));
	}
	n = sendto(nl->fd, m.buf, m.len, 0,
		   (struct sockaddr *)&(struct sockaddr_nl){ .nl_family = AF_NETLINK },
		   sizeof(struct sockaddr_nl));
	if (n < 0)
		err = -errno;
	if (nth) {
		n = pread(c->failfd, buf, sizeof(buf) - 1, 0);
		if (n <= 0)
			die("failnth: read fail-nth: %s", strerror(errno));
		buf[n] = 0;
		*hit = strtoul(buf, NULL, 10) == 0;
		if (write(c->failfd, "0", 1) != 1)
			die("failnth: write fail-nth: %s", strerror(errno));
	}
	if (err) {
		snprintf(emsg, elen, "(sendmsg)");
		return err;
	}
	while (!done) {
		struct nlmsghdr *nlh;

		n = nl_recv(nl, REPLY_TIMEOUT_MS);
		if (n == -ENOBUFS)
			return FN_ACK_LOST;
		if (n <= 0)
			die("failnth: no ack (%s)", n ? strerror(-n) : "timeout");
		for (nlh = (struct nlmsghdr *)nl->rbuf; NLMSG_OK(nlh, n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			const char *em;

			if (nlh->nlmsg_seq != seq || nlh->nlmsg_type != NLMSG_ERROR)
				continue;
			err = nl_err(nlh, &em);
			snprintf(emsg, elen, "%s", em);
			done = true;
		}
	}
	return err;
}

/* A dump of @m on @nl, each reply message handed to @cb; 0 or -errno. */
static int fn_dump(struct nl *nl, struct msg *m, bool *intr,
		   void (*cb)(const struct nlmsghdr *, void *), void *arg)
{
	uint32_t seq = ((struct nlmsghdr *)m->buf)->nlmsg_seq;

	if (nl_send(nl, m->buf, m->len))
		return -errno;
	for (;;) {
		struct nlmsghdr *nlh;
		ssize_t n = nl_recv(nl, REPLY_TIMEOUT_MS);

		if (n <= 0)
			return n ? n : -ETIMEDOUT;
		for (nlh = (struct nlmsghdr *)nl->rbuf; NLMSG_OK(nlh, n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			const char *em;

			if (nlh->nlmsg_seq != seq)
				continue;
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				*intr = true;
			if (nlh->nlmsg_type == NLMSG_DONE ||
			    nlh->nlmsg_type == NLMSG_ERROR)
				return nl_err(nlh, &em);
			cb(nlh, arg);
		}
	}
}

struct fn_state {
	FILE *f;
	char ctx[64];		/* what is dumped, at the start of each line */
	uint32_t sw[64];
	int nsw;
};

/* print_msg() into the state, without the fields that change with time */
static void fn_vsw_msg(const struct nlmsghdr *nlh, void *arg)
{
	struct fn_state *s = arg;
	const uint8_t *p = (const uint8_t *)NLMSG_DATA(nlh) + GENL_HDRLEN;
	size_t len = nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	const struct genlmsghdr *g = NLMSG_DATA(nlh);
	const struct nlattr *a;
	char *line = NULL, *tok, *save;
	size_t sz = 0;
	FILE *out = stdout;

	stdout = open_memstream(&line, &sz);
	print_msg(nlh);
	fclose(stdout);
	stdout = out;
	fprintf(s->f, "%s ", s->ctx);
	for (tok = strtok_r(line, " \n", &save); tok;
	     tok = strtok_r(NULL, " \n", &save)) {
		char *eq = strchr(tok, '=');
		size_t nl = eq ? (size_t)(eq - tok) : strlen(tok);

		if (eq && ((nl >= 4 && !strncmp(eq - 4, ".age", 4)) ||
			   (nl >= 5 && !strncmp(eq - 5, ".used", 5))))
			continue;
		fprintf(s->f, "%s ", tok);
	}
	fprintf(s->f, "\n");
	free(line);
	if (g->cmd == VSW_CMD_SWITCH_GET && s->nsw < 64) {
		a = find_attr(p, len, VSW_ATTR_IFINDEX);
		if (a)
			s->sw[s->nsw++] = *(const uint32_t *)(a + 1);
	}
}

/* A link: every attribute but the statistics and the per-family data. */
static void fn_link_msg(const struct nlmsghdr *nlh, void *arg)
{
	struct fn_state *s = arg;
	const struct ifinfomsg *ifi = NLMSG_DATA(nlh);
	const uint8_t *p = (const uint8_t *)ifi + NLMSG_ALIGN(sizeof(*ifi));
	size_t len = nlh->nlmsg_len - NLMSG_HDRLEN - NLMSG_ALIGN(sizeof(*ifi));
	size_t off = 0, i;

	if (nlh->nlmsg_type != RTM_NEWLINK)
		return;
	fprintf(s->f, "link %d type=%u flags=%#x", ifi->ifi_index,
		ifi->ifi_type, ifi->ifi_flags);
	while (off + NLA_HDRLEN <= len) {
		const struct nlattr *a = (const void *)(p + off);
		uint16_t type = a->nla_type & NLA_TYPE_MASK;

		if (a->nla_len < NLA_HDRLEN || off + a->nla_len > len)
			break;
		if (type != IFLA_STATS && type != IFLA_STATS64 &&
		    type != IFLA_AF_SPEC) {
			fprintf(s->f, " %u=", type);
			for (i = NLA_HDRLEN; i < a->nla_len; i++)
				fprintf(s->f, "%02x", ((const uint8_t *)a)[i]);
		}
		off += NLA_ALIGN(a->nla_len);
	}
	fprintf(s->f, "\n");
}

static int fn_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The lines of @text sorted: a table's order is not part of its state (an
 * FDB entry deleted and added again may land elsewhere in its bucket).
 */
static char *fn_sort(char *text)
{
	size_t n = 0, cap = 64, i, len = strlen(text);
	char **lines = malloc(cap * sizeof(*lines)), *save, *l, *out, *o;

	for (l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		if (n == cap)
			lines = realloc(lines, (cap *= 2) * sizeof(*lines));
		lines[n++] = l;
	}
	qsort(lines, n, sizeof(*lines), fn_cmp);
	o = out = malloc(len + 2);
	for (i = 0; i < n; i++)
		o += sprintf(o, "%s\n", lines[i]);
	*o = 0;
	free(lines);
	free(text);
	return out;
}

/* The whole state as text, one sorted line per object (malloc'd). */
static char *fn_state(struct fn_ctx *c)
{
	static const uint8_t per_switch[] = { VSW_CMD_FDB_GET,
		VSW_CMD_RULE_GET, VSW_CMD_CACHE_GET, VSW_CMD_VLAN_GET };
	static struct msg m;
	struct fn_state s;
	char *text;
	size_t sz;
	int tries, k, i, err;

	for (tries = 0; tries < 10; tries++) {
		bool intr = false;
		struct nlmsghdr *nlh;

		memset(&s, 0, sizeof(s));
		text = NULL;
		s.f = open_memstream(&text, &sz);
		snprintf(s.ctx, sizeof(s.ctx), "all");
		msg_start(&m, c->genl.family, NLM_F_REQUEST | NLM_F_DUMP,
			  ++c->seq, VSW_CMD_SWITCH_GET, VSW_GENL_VERSION);
		msg_end(&m);
		err = fn_dump(&c->genl, &m, &intr, fn_vsw_msg, &s);
		msg_start(&m, c->genl.family, NLM_F_REQUEST | NLM_F_DUMP,
			  ++c->seq, VSW_CMD_PORT_GET, VSW_GENL_VERSION);
		msg_end(&m);
		err = err ?: fn_dump(&c->genl, &m, &intr, fn_vsw_msg, &s);
		for (i = 0; i < s.nsw && !err; i++) {
			for (k = 0; k < (int)sizeof(per_switch) && !err; k++) {
				msg_start(&m, c->genl.family,
					  NLM_F_REQUEST | NLM_F_DUMP, ++c->seq,
					  per_switch[k], VSW_GENL_VERSION);
				put(&m, VSW_ATTR_IFINDEX, &s.sw[i], 4);
				msg_end(&m);
				snprintf(s.ctx, sizeof(s.ctx), "switch=%u",
					 s.sw[i]);
				err = fn_dump(&c->genl, &m, &intr, fn_vsw_msg,
					      &s);
			}
		}
		memset(m.buf, 0, NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct ifinfomsg)));
		nlh = (struct nlmsghdr *)m.buf;
		nlh->nlmsg_type = RTM_GETLINK;
		nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
		nlh->nlmsg_seq = ++c->seq;
		m.len = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct ifinfomsg));
		msg_end(&m);
		err = err ?: fn_dump(&c->rt, &m, &intr, fn_link_msg, &s);
		fclose(s.f);
		if (err)
			die("failnth: state dump: %s", strerror(-err));
		if (!intr)
			return fn_sort(text);
		free(text);
	}
	die("failnth: state dump interrupted 10 times");
}

/* Print the lines of @a missing from @b and of @b missing from @a. */
static void fn_diff(const char *a, const char *b)
{
	const char *ab[2] = { a, b }, *sign = "-+";
	int k, shown = 0;

	for (k = 0; k < 2; k++) {
		const char *x = ab[k], *y = ab[!k], *eol;

		for (; *x && shown < 12; x = *eol ? eol + 1 : eol) {
			size_t l;
			const char *f;
			bool found = false;

			eol = strchrnul(x, '\n');
			l = eol - x;
			for (f = y; *f; ) {
				const char *e2 = strchrnul(f, '\n');

				if ((size_t)(e2 - f) == l && !memcmp(f, x, l)) {
					found = true;
					break;
				}
				f = *e2 ? e2 + 1 : e2;
			}
			if (!found) {
				printf("#   %c %.*s\n", sign[k], (int)l, x);
				shown++;
			}
		}
	}
}

/*
 * Read what the events socket got since the last call: the number of
 * events, and whether the kernel said that some were lost (ENOBUFS).
 */
static unsigned int fn_events(struct fn_ctx *c, bool *lost)
{
	unsigned int n = 0;
	ssize_t len;

	*lost = false;
	for (;;) {
		struct nlmsghdr *nlh;

		len = recv(c->mon.fd, c->mon.rbuf, sizeof(c->mon.rbuf),
			   MSG_DONTWAIT);
		if (len < 0 && errno == ENOBUFS) {
			*lost = true;
			continue;
		}
		if (len <= 0)
			return n;
		for (nlh = (struct nlmsghdr *)c->mon.rbuf; NLMSG_OK(nlh, len);
		     nlh = NLMSG_NEXT(nlh, len))
			if (nlh->nlmsg_type == c->mon.family)
				n++;
	}
}

static bool fn_undo(struct fn_ctx *c, const struct fn_case *fc,
		    const char *before, const char *when)
{
	char emsg[1024], *s;
	bool hit;
	int k, err;

	for (k = 0; k < fc->nundo; k++) {
		err = fn_exec(c, &fc->undo[k], 0, &hit, emsg, sizeof(emsg));
		if (err < 0) {
			printf("not ok %s: undo %s %s: %s %s\n", fc->name, when,
			       fc->undo[k].argv[0], strerror(-err), emsg);
			return false;
		}
	}
	s = fn_state(c);
	if (strcmp(s, before)) {
		printf("not ok %s: the undo %s does not restore the state\n",
		       fc->name, when);
		fn_diff(before, s);
		free(s);
		return false;
	}
	free(s);
	return true;
}

static bool fn_run_case(struct fn_ctx *c, const struct fn_case *fc,
			unsigned int maxn)
{
	char emsg[1024], errs[512] = "", *before, *after, *s;
	unsigned int nth, nerr = 0, ntol = 0, nev, n;
	bool hit, ok = false, lost;
	int err;

	before = fn_state(c);
	err = fn_exec(c, &fc->req, 0, &hit, emsg, sizeof(emsg));
	if (err) {
		printf("not ok %s: fails without fault injection: %s %s\n",
		       fc->name, err < 0 ? strerror(-err) : "ack lost", emsg);
		free(before);
		return false;
	}
	after = fn_state(c);
	nev = fn_events(c, &lost);
	if (!fn_undo(c, fc, before, "of the run without a fault"))
		goto out;
	if (!maxn) {		/* no fault injection: do it again, as it was */
		err = fn_exec(c, &fc->req, 0, &hit, emsg, sizeof(emsg));
		s = fn_state(c);
		ok = !err && !strcmp(s, after);
		if (ok)
			printf("ok %s: done, undone, done again\n", fc->name);
		else
			printf("not ok %s: done again: %s, state %s\n", fc->name,
			       err ? strerror(-err) : "ok",
			       strcmp(s, after) ? "differs" : "as before");
		free(s);
		goto out;
	}
	for (nth = 1; nth <= maxn; nth++) {
		if (c->kmsgfd >= 0) {
			char mark[192];
			int ml = snprintf(mark, sizeof(mark), "failnth: %s N=%u\n",
					  fc->name, nth);

			if (write(c->kmsgfd, mark, ml) != ml)
				printf("# /dev/kmsg: %s\n", strerror(errno));
		}
		fn_events(c, &lost);	/* those of the undo */
		err = fn_exec(c, &fc->req, nth, &hit, emsg, sizeof(emsg));
		c->runs++;
		c->faults += hit;
		s = fn_state(c);
		/*
		 * Listeners get the events of a change, or learn that they
		 * lost some (ENOBUFS); none for a request that failed.
		 */
		n = fn_events(c, &lost);
		if (!lost && n != (err < 0 ? 0 : nev)) {
			printf("not ok %s: N=%u: %s%s and %u events instead of %u, without ENOBUFS to the listener\n",
			       fc->name, nth, err < 0 ? "failed: " : "succeeded",
			       err < 0 ? strerror(-err) : "", n,
			       err < 0 ? 0 : nev);
			free(s);
			goto out;
		}
		if (lost)
			printf("# %s N=%u: events lost, the listener got ENOBUFS\n",
			       fc->name, nth);
		if (err < 0) {
			c->errors++;
			nerr++;
			printf("# %s N=%u: %s (%s)%s%s\n", fc->name, nth,
			       strerrorname_np(-err) ?: "?", strerror(-err),
			       emsg[0] ? ": " : "", emsg);
			if (strlen(errs) < sizeof(errs) - 40)
				snprintf(errs + strlen(errs),
					 sizeof(errs) - strlen(errs), "%s%u:%s",
					 errs[0] ? "," : "", nth,
					 strerrorname_np(-err) ?: "?");
			if (!hit) {
				printf("not ok %s: N=%u: fails (%s) but no fault was injected\n",
				       fc->name, nth, strerror(-err));
				free(s);
				goto out;
			}
			/*
			 * The core's netdev_register_kobject() ignores an
			 * ENOMEM from dev_set_name(); device_add() then
			 * refuses the nameless device with EINVAL (no extack).
			 */
			if (err == -EINVAL && !emsg[0] &&
			    !strncmp(fc->req.argv[0], "link_", 5)) {
				printf("# %s N=%u: EINVAL from the core (device_add() of a device whose name could not be allocated)\n",
				       fc->name, nth);
			} else if (err != -ENOMEM && err != -ENOBUFS) {
				printf("not ok %s: N=%u: an allocation failure reported as %s (%s)\n",
				       fc->name, nth, strerrorname_np(-err) ?: "?",
				       emsg);
				free(s);
				goto out;
			}
			if (strcmp(s, before)) {
				printf("not ok %s: N=%u: failed (%s) but changed the state\n",
				       fc->name, nth, strerror(-err));
				fn_diff(before, s);
				free(s);
				goto out;
			}
			free(s);
			continue;
		}
		if (strcmp(s, after)) {
			printf("not ok %s: N=%u: succeeded%s%s but the state differs from a run without fault\n",
			       fc->name, nth, hit ? " with a fault injected" : "",
			       err == FN_ACK_LOST ? " (ack lost)" : "");
			fn_diff(after, s);
			free(s);
			goto out;
		}
		free(s);
		if (!hit) {
			ok = true;
			break;
		}
		c->tolerated++;
		ntol++;
		printf("# %s N=%u: fault tolerated%s\n", fc->name, nth,
		       err == FN_ACK_LOST ? " (ack lost, the request ran)" : "");
		if (!fn_undo(c, fc, before, "after a tolerated fault"))
			goto out;
		/* the request ran: do it again without a fault for the next N */
	}
	if (!ok && nth > maxn) {
		printf("not ok %s: still failing at N=%u\n", fc->name, maxn);
	} else if (ok) {
		printf("ok %s: %u runs, %u faults: %u errors (%s), %u tolerated\n",
		       fc->name, nth, nth - 1, nerr, errs[0] ? errs : "-",
		       ntol);
	}
	/* the state is "after" now: the next case starts from it */
out:
	free(before);
	free(after);
	return ok;
}

static int do_failnth(int argc, char **argv)
{
	static struct fn_ctx c;
	static struct fn_case fc;
	unsigned int maxn = 2000;
	unsigned long ncases = 0, nfail = 0;
	char line[65536];
	bool in_case = false;
	int opt;

	c.kmsgfd = -1;
	while ((opt = getopt(argc, argv, "km:")) != -1) {
		switch (opt) {
		case 'k':
			c.kmsgfd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
			break;
		case 'm':
			maxn = strtoul(optarg, NULL, 0);
			break;
		default:
			die("usage: netlink_fuzz failnth [-k] [-m MAXN] < SCRIPT");
		}
	}
	c.failfd = maxn ? open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC) : -1;
	if (maxn && c.failfd < 0) {
		printf("# /proc/thread-self/fail-nth: %s (no CONFIG_FAULT_INJECTION)\n",
		       strerror(errno));
		return 4;
	}
	if (nl_open(&c.genl) || nl_family(&c.genl))
		die("cannot resolve the \"" VSW_GENL_NAME "\" family");
	if (nl_open(&c.mon) || nl_family(&c.mon) || !c.mon.events_grp ||
	    setsockopt(c.mon.fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
		       &c.mon.events_grp, sizeof(c.mon.events_grp)))
		die("cannot join the \"" VSW_GENL_MCGRP_EVENTS "\" group");
	c.rt.fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (c.rt.fd < 0)
		die("rtnetlink socket: %s", strerror(errno));
	opt = 1;
	setsockopt(c.rt.fd, SOL_NETLINK, NETLINK_EXT_ACK, &opt, sizeof(opt));
	setsockopt(c.rt.fd, SOL_NETLINK, NETLINK_CAP_ACK, &opt, sizeof(opt));
	while (fgets(line, sizeof(line), stdin)) {
		struct fn_req r;

		fn_split(line, &r);
		if (!r.argc || r.argv[0][0] == '#')
			continue;
		if (!strcmp(r.argv[0], "case") && r.argc == 2 && !in_case) {
			memset(&fc, 0, sizeof(fc));
			snprintf(fc.name, sizeof(fc.name), "%s", r.argv[1]);
			in_case = true;
		} else if (!strcmp(r.argv[0], "do") && in_case && r.argc > 1) {
			fc.req.argc = r.argc - 1;
			memcpy(fc.req.argv, r.argv + 1,
			       fc.req.argc * sizeof(char *));
		} else if (!strcmp(r.argv[0], "undo") && in_case &&
			   r.argc > 1 && fc.nundo < FN_MAX_UNDO) {
			fc.undo[fc.nundo].argc = r.argc - 1;
			memcpy(fc.undo[fc.nundo].argv, r.argv + 1,
			       (r.argc - 1) * sizeof(char *));
			fc.nundo++;
		} else if (!strcmp(r.argv[0], "end") && in_case && fc.req.argc) {
			in_case = false;
			optind = 1;
			ncases++;
			if (!fn_run_case(&c, &fc, maxn)) {
				nfail++;
				/* a broken state makes the next cases meaningless */
				break;
			}
		} else {
			die("failnth: bad script line \"%s\"", r.argv[0]);
		}
	}
	printf("failnth cases=%lu runs=%lu faults=%lu errors=%lu tolerated=%lu failed=%lu\n",
	       ncases, c.runs, c.faults, c.errors, c.tolerated, nfail);
	return nfail ? 1 : 0;
}

static const char *const event_names[__VSW_EVENT_MAX] = {
	[VSW_EVENT_MAC_LEARNED] = "mac_learned",
	[VSW_EVENT_MAC_MOVED] = "mac_moved",
	[VSW_EVENT_MAC_AGED] = "mac_aged",
	[VSW_EVENT_FDB_FLUSHED] = "fdb_flushed",
	[VSW_EVENT_PORT_ADDED] = "port_added",
	[VSW_EVENT_PORT_REMOVED] = "port_removed",
	[VSW_EVENT_PORT_UP] = "port_up",
	[VSW_EVENT_PORT_DOWN] = "port_down",
	[VSW_EVENT_RULE_CHANGED] = "rule_changed",
	[VSW_EVENT_FDB_ADDED] = "fdb_added",
	[VSW_EVENT_FDB_DELETED] = "fdb_deleted",
	[VSW_EVENT_PORT_CHANGED] = "port_changed",
	[VSW_EVENT_SWITCH_CHANGED] = "switch_changed",
};

/*
 * netlink_fuzz monitor [-c COUNT] [-t SECS]: print the events of the
 * "events" group, one line each ("cmd=event event=NAME attrs..."), until
 * COUNT events or SECS seconds (default 10). Prints "ready" once joined.
 */
static int do_monitor(int argc, char **argv)
{
	static struct nl nl;
	unsigned long count = 0, seen = 0;
	double secs = 10, end;
	int opt;

	while ((opt = getopt(argc, argv, "c:t:")) != -1) {
		switch (opt) {
		case 'c':
			count = strtoul(optarg, NULL, 0);
			break;
		case 't':
			secs = strtod(optarg, NULL);
			break;
		default:
			die("usage: netlink_fuzz monitor [-c COUNT] [-t SECS]");
		}
	}
	if (nl_open(&nl) || nl_family(&nl) || !nl.events_grp)
		die("cannot resolve the \"" VSW_GENL_NAME "\" family");
	if (setsockopt(nl.fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
		       &nl.events_grp, sizeof(nl.events_grp)))
		die("join the events group: %s", strerror(errno));
	printf("ready\n");
	end = now() + secs;
	while ((!count || seen < count) && now() < end) {
		struct nlmsghdr *nlh;
		ssize_t n = nl_recv(&nl, 100);

		if (n < 0) {
			printf("recv error %s\n", strerror(-n));
			continue;
		}
		for (nlh = (struct nlmsghdr *)nl.rbuf; n > 0 && NLMSG_OK(nlh, n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			const struct genlmsghdr *g = NLMSG_DATA(nlh);
			const uint8_t *p = (const uint8_t *)g + GENL_HDRLEN;
			size_t len = nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;

			if (nlh->nlmsg_type != nl.family)
				continue;
			if (len >= 8 && ((const struct nlattr *)p)->nla_type ==
			    VSW_ATTR_EVENT) {
				uint32_t ev = *(const uint32_t *)(p + 4);

				printf("event=%s", ev < __VSW_EVENT_MAX &&
				       event_names[ev] ? event_names[ev] : "?");
			}
			printf(" cmd=%u", g->cmd);
			if (!walk_attrs(p, len, &t_top, "", true, 0))
				printf(" MALFORMED");
			printf("\n");
			seen++;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 2 && !strcmp(argv[1], "fuzz"))
		return do_fuzz(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "req"))
		return do_req(argc - 2, argv + 2);
	if (argc >= 2 && !strcmp(argv[1], "batch"))
		return do_batch();
	if (argc >= 2 && !strcmp(argv[1], "monitor"))
		return do_monitor(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "scale"))
		return do_scale(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "resume"))
		return do_resume(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "failnth"))
		return do_failnth(argc - 1, argv + 1);
	fprintf(stderr,
		"usage: netlink_fuzz fuzz -s SWITCH [-p PORT]... [-n COUNT] [-t SECS] [-S SEED]\n"
		"       netlink_fuzz req [-d] CMD ATTR...\n"
		"       netlink_fuzz batch < REQUESTS\n"
		"       netlink_fuzz monitor [-c COUNT] [-t SECS]\n"
		"       netlink_fuzz scale -s SWITCH -p PORT [-f N_FDB] [-r N_RULES]\n"
		"       netlink_fuzz resume [-b BYTES] [-x PART:COMMAND]... CMD ATTR...\n"
		"       netlink_fuzz failnth [-k] [-m MAXN] < SCRIPT\n");
	return 2;
}
