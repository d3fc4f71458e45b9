/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vsw - internal interfaces shared by the data path (switch.c, port.c,
 * backend.c, vlan.c, fdb.c, key.c, xlate.c, datapath.c, cache.c, rule.c,
 * stats.c), the control plane (genl.c, nl_*.c) and vsw_vhost.ko (the
 * backend API).
 *
 * Locking model
 *  - RTNL: port list, port configuration, switch configuration, rule table
 *    changes, switch/port lifetime. Every generic netlink command that
 *    changes state runs under rtnl_lock().
 *  - sw->fdb_lock (spinlock, BH): FDB writers (learning in softirq, the
 *    ageing worker, netlink). Readers: RCU.
 *  - sw->cache_lock (spinlock, BH): flow cache inserts and removals.
 *    Readers: RCU.
 *  - Fast path (rx_handler, switch xmit): rcu_read_lock() only; per-CPU
 *    counters; no lock and no atomic read-modify-write on a cache hit.
 *
 * Cache coherence: every cached decision records sw->gen at install time.
 * Anything that may change a decision (FDB add/move/delete/age/flush, rule
 * change, port add/remove/config/up/down, switch config) calls
 * vsw_invalidate(), which bumps sw->gen; a cache entry whose gen differs is
 * treated as a miss and replaced. One exception: learning a new MAC bumps
 * gen only if a decision since the last bump may have flooded a frame to
 * it as unknown (sw->flood_dsts, see vsw_flood_note()); nothing else a
 * cached decision depends on changes when a MAC first appears. Objects a
 * cache entry points to (ports, rules, FDB entries) are freed only after an
 * RCU grace period that follows the bump, so a reader that still sees the
 * old gen may use them.
 *
 * Changes to this header after the first version (no signature changed):
 *  - the uapi header is included as "../uapi/linux/vsw.h" (always ours);
 *  - vsw_invalidate() orders the state change before the bump;
 *  - struct vsw_port_cfg: cvlans_filter (derived, set by vsw_port_set_cfg);
 *  - struct vsw_port: oper_up; new vsw_port_oper_up();
 *  - documented which calls emit events: vsw_fdb_add_static (FDB_ADDED),
 *    vsw_fdb_del (FDB_DELETED), vsw_cache_set_size (SWITCH_CHANGED);
 *    vsw_cache_flush and vsw_rule_* as before. The caller never emits
 *    these itself;
 *  - vsw_key_extract: ARP sender/target IPv4 addresses go to nw.ipv4;
 *  - struct vsw: flood_dsts; vsw_invalidate() clears it before the bump;
 *  - struct vsw: memcg (the creator's, charged for what guests make the
 *    switch allocate), vlan_chunks instead of vlan_stats, rule_hash and
 *    rule_index_gen; struct vsw_rule: hnode, hash; max_macs defaults to
 *    VSW_DEFAULT_MAX_MACS;
 *  - struct vsw_port_cfg: priority_tags, qinq_tpid (vsw_port_cfg_default()
 *    sets 802.1ad; vsw_port_cfg_validate() checks both);
 *  - struct vsw: port_default, copied by vsw_port_create() for ports other
 *    than the internal one; vsw_set_port_default().
 *  - struct vsw_port_cfg: sample_rate, sample_group; struct vsw_port:
 *    sample_rate, sample_group (the psample group held while sampling is
 *    on, see vsw_port_set_cfg()).
 *  - storm control: struct vsw_port_cfg: storm_pps[]; struct vsw_port:
 *    storm_tat[] (runtime state, not configuration: see there).
 */
#ifndef _VSW_H
#define _VSW_H

#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/rhashtable.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>
#include <net/netlink.h>

#include "../uapi/linux/vsw.h"

#include "vsw_compat.h"

/* Internal symbols for vsw_kunit.ko; nothing is exported otherwise. */
#if IS_ENABLED(CONFIG_KUNIT)
#define EXPORT_SYMBOL_VSW_KUNIT(sym)	EXPORT_SYMBOL_GPL(sym)
#else
#define EXPORT_SYMBOL_VSW_KUNIT(sym)	extern typeof(sym) sym
#endif

#define VSW_DEFAULT_AGEING	300
/*
 * Learned FDB entries per switch unless the admin says otherwise (0 =
 * unlimited stays available): a guest sending from a new source MAC per
 * frame fills this many entries (about 1 MiB), then frames from further
 * new MACs are dropped (mac_limit), as under any limit. Open vSwitch's
 * default MAC table size is 2048 (mac-table-size); the Linux bridge has
 * none (fdb_max_learned 0).
 */
#define VSW_DEFAULT_MAX_MACS	8192
/*
 * Memory a netlink request, "ip link add" or "ip link set master" makes the
 * switch allocate (switch, ports, rules and their index, static FDB
 * entries): charged to the caller's memory cgroup; at its limit the
 * request fails with -ENOMEM (no OOM kill, as alloc_netdev() does), and
 * without a warning: the caller gets the error.
 */
#define VSW_GFP_USER		(GFP_KERNEL_ACCOUNT | __GFP_RETRY_MAYFAIL | \
				 __GFP_NOWARN)

#define VSW_DEFAULT_CACHE_SIZE	65536
#define VSW_CACHE_SIZE_MAX	BIT(22)

/* ---------------------------------------------------------------------- */
/* Flow key                                                               */

/*
 * The flow key of a frame as received (OpenFlow semantics): tags are the
 * frame's own, before the NORMAL action's VLAN policy. Compared and hashed
 * as u64 words; unused bytes are zero.
 *
 * VLAN encoding: vlan_tci is the outer tag's TCI with VLAN_CFI_MASK (0x1000)
 * set when a tag is present (so VID 0 priority tags are distinguishable
 * from no tag, while "VID bits == 0" matches both, which is dl_vlan=none).
 * vlan_tpid is the outer TPID (ETH_P_8021Q / ETH_P_8021AD) or 0. cvlan_tci
 * and cvlan_tpid describe a second (inner) tag the same way.
 *
 * ARP (Ethernet/IPv4): the opcode is in tp_src (and its low byte in
 * ip_proto), the sender/target protocol addresses in nw.ipv4.src/dst.
 * ICMP/ICMPv6: type in tp_src, code in tp_dst (network order u16).
 */
struct vsw_key {
	u32 in_port;			/* ifindex of the ingress port */
	u8 eth_src[ETH_ALEN];
	u8 eth_dst[ETH_ALEN];
	__be16 eth_type;		/* after VLAN tags */
	__be16 vlan_tci;
	__be16 vlan_tpid;
	__be16 cvlan_tci;
	__be16 cvlan_tpid;
	u8 ip_proto;			/* ARP: low byte of the opcode */
	u8 ip_tos;
	__be16 tp_src;			/* L4 ports; ARP: opcode in tp_src */
	__be16 tp_dst;
	u8 pad[2];
	union {
		struct {
			__be32 src;
			__be32 dst;
		} ipv4;
		struct {
			struct in6_addr src;
			struct in6_addr dst;
		} ipv6;
	} nw;
} __aligned(8);

#define VSW_KEY_WORDS	(sizeof(struct vsw_key) / sizeof(u64))

/* A masked match: key holds the value already ANDed with mask. */
struct vsw_match {
	struct vsw_key key;
	struct vsw_key mask;
};

/*
 * Extract the flow key of @skb received on @in_ifindex. skb->data points at
 * the network header with the MAC header at skb_mac_header() (rx_handler
 * context) and the outer tag, if any, in skb->vlan_tci (hwaccel).
 * Returns 0, or -EINVAL for a frame too short for the headers it claims
 * (the key is still filled as far as it could be parsed). Never modifies or
 * linearizes @skb.
 */
int vsw_key_extract(const struct sk_buff *skb, u32 in_ifindex,
		    struct vsw_key *key);
/* The same, but with @l3 false it stops after the Ethernet type. */
int __vsw_key_extract(const struct sk_buff *skb, u32 in_ifindex,
		      struct vsw_key *key, bool l3);

static inline bool vsw_key_match(const struct vsw_key *key,
				 const struct vsw_match *m)
{
	const u64 *k = (const u64 *)key, *v = (const u64 *)&m->key;
	const u64 *mk = (const u64 *)&m->mask;
	unsigned int i;

	for (i = 0; i < VSW_KEY_WORDS; i++)
		if ((k[i] & mk[i]) != v[i])
			return false;
	return true;
}

/* ---------------------------------------------------------------------- */
/* Ports                                                                  */

/*
 * Storm control classes (index of storm_pps[] and storm_tat[]); a cached
 * decision records its frame's class as the index + 1 (0: none).
 */
enum vsw_storm_class {
	VSW_STORM_BCAST,
	VSW_STORM_MCAST,
	VSW_STORM_UNKNOWN,
	VSW_STORM_N
};

/* Per-port configuration; replaced as a whole (RCU) on every change. */
struct vsw_port_cfg {
	u8 mode;			/* enum vsw_vlan_mode */
	u16 tag;			/* access / native / S-VLAN */
	bool learning;
	bool flood_ucast;
	bool flood_bcast;
	bool flood_mcast;
	bool isolated;
	u32 max_macs;			/* 0 = unlimited */
	u8 priority_tags;		/* enum vsw_priority_tags */
	__be16 qinq_tpid;		/* S-tag a dot1q-tunnel port pushes */
	u32 sample_rate;		/* psample 1 in N received, 0 = off */
	u32 sample_group;		/* psample group number */
	u32 storm_pps[VSW_STORM_N];	/* frames/s received, 0 = no limit */
	DECLARE_BITMAP(trunks, VLAN_N_VID);
	DECLARE_BITMAP(cvlans, VLAN_N_VID);	/* bit 0 = untagged */
	bool cvlans_filter;		/* cvlans not empty; derived, set by
					 * vsw_port_set_cfg()
					 */
	struct rcu_head rcu;
};

struct vsw_pcpu_stats {
	u64_stats_t rx_packets;
	u64_stats_t rx_bytes;
	u64_stats_t tx_packets;
	u64_stats_t tx_bytes;
	u64_stats_t drops[__VSW_DROP_MAX];
	struct u64_stats_sync syncp;
};

struct vsw_port_stats {
	u64 rx_packets;
	u64 rx_bytes;
	u64 tx_packets;
	u64 tx_bytes;
	u64 drops;			/* sum of drop[] */
	u64 drop[__VSW_DROP_MAX];
};

struct vsw;

struct psample_group;

struct vsw_port {
	struct net_device *dev;		/* the port device */
	struct vsw *sw;
	/*
	 * Sampling, read by vsw_process() for every frame the port receives:
	 * rate (READ_ONCE; 0 = off, the only test made when off) next to
	 * what the fast path reads anyway, and the psample group held while
	 * the rate is not 0. Both written under RTNL.
	 */
	u32 sample_rate;
	struct psample_group __rcu *sample_group;
	struct list_head list;		/* sw->ports, RTNL (RCU for readers) */
	struct vsw_port_cfg __rcu *cfg;
	struct vsw_pcpu_stats __percpu *stats;
	atomic_t mac_count;		/* learned entries on this port */
	bool internal;			/* the switch device itself */
	bool oper_up;			/* last state reported (PORT_UP/DOWN),
					 * RTNL
					 */
	struct vsw_backend __rcu *backend;	/* see vsw_backend_attach() */
	struct rcu_head rcu;
	/*
	 * Storm control state per class: the GCRA's theoretical arrival
	 * time (ns, ktime_get_ns()), one cmpxchg per frame of a limited
	 * class (datapath.c). Not in the configuration, which is replaced
	 * on every change: a change of an unrelated setting must not refill
	 * the buckets. On a line of its own: known unicast never touches it.
	 */
	atomic64_t storm_tat[VSW_STORM_N] ____cacheline_aligned_in_smp;
};

/* The port can send and receive: device up and carrier on. Any context. */
bool vsw_port_oper_up(const struct vsw_port *port);

/* The port for @dev: a device enslaved to a vsw switch, or a vsw switch
 * device itself (its internal port). RTNL or RCU. NULL otherwise.
 */
struct vsw_port *vsw_port_from_dev(const struct net_device *dev);

static inline const struct vsw_port_cfg *
vsw_port_cfg_rtnl(const struct vsw_port *port)
{
	return rtnl_dereference(port->cfg);
}

/* Check that @cfg is a valid whole configuration (extack names the
 * problem). No side effects.
 */
int vsw_port_cfg_validate(const struct vsw_port_cfg *cfg,
			  struct netlink_ext_ack *extack);

/*
 * Replace the configuration of @port with a copy of @cfg (validated again
 * here). RTNL. Invalidates the flow cache, flushes FDB entries of VLANs no
 * longer reachable through the port, emits VSW_EVENT_PORT_CHANGED.
 * All or nothing: on error nothing changed.
 */
int vsw_port_set_cfg(struct vsw_port *port, const struct vsw_port_cfg *cfg,
		     struct netlink_ext_ack *extack);

/* Replace the configuration ports added from now on get; takes @cfg
 * (validated by the caller), frees the old one after a grace period. RTNL.
 */
void vsw_set_port_default(struct vsw *sw, struct vsw_port_cfg *cfg);

void vsw_port_get_stats(const struct vsw_port *port,
			struct vsw_port_stats *st);

/* ---------------------------------------------------------------------- */
/* Port backends (backend.c; used by vsw_vhost.ko)                       */

/*
 * A backend takes over a port's peer side: frames the switch sends to the
 * port go to ops->xmit() instead of the device's queue, and the backend
 * feeds the frames of the port's peer into the switch with
 * vsw_backend_receive(), as if the device had received them. The port, its
 * configuration and its counters stay those of the device.
 */
struct vsw_backend_stats {
	u64 rx_packets;		/* to the peer: written into its RX ring */
	u64 rx_bytes;
	u64 rx_dropped;		/* peer's queue full or frame not deliverable */
	u64 tx_packets;		/* from the peer into the switch */
	u64 tx_bytes;
	u64 tx_dropped;		/* invalid header, unreadable buffer, no port */
	u64 ring_errors;	/* malformed rings: the queue stopped */
	u64 kicks;		/* notifications from the peer */
	u64 signals;		/* notifications to the peer */
};

struct vsw_backend_ops {
	/* A frame for the peer. BH disabled, RCU. Consumes @skb. */
	void (*xmit)(void *priv, struct sk_buff *skb);
	/* Optional. The port is going away (RTNL): no xmit() after an RCU
	 * grace period, vsw_backend_receive() drops from now on. The
	 * backend stays attached to nothing until it calls
	 * vsw_backend_detach().
	 */
	void (*unbind)(void *priv);
	/* Its counters, any context. */
	void (*get_stats)(void *priv, struct vsw_backend_stats *st);
	const char *kind;	/* "vhost" */
};

struct vsw_backend {
	const struct vsw_backend_ops *ops;
	void *priv;
	struct vsw_port __rcu *port;	/* NULL once unbound */
};

/*
 * Bind @be to the vsw port @dev (RTNL). -ENODEV if @dev is not a port of a
 * vsw switch (or is a switch device), -EBUSY if the port already has a
 * backend.
 */
int vsw_backend_attach(struct vsw_backend *be, struct net_device *dev);
/* Undo vsw_backend_attach() or an unbind (RTNL); waits for readers. */
void vsw_backend_detach(struct vsw_backend *be);
/*
 * Feed frames of the port's peer into the switch: each skb has skb->data at
 * the Ethernet header and offload metadata set (virtio_net_hdr_to_skb()).
 * Process context; takes the frames whatever happens. Returns the number
 * of frames the switch took: all, or none when there is no port or it is
 * not up (vsw_port_oper_up(): a bridge drops what a disabled port
 * receives; the backend counts them as dropped).
 */
unsigned int vsw_backend_receive(struct vsw_backend *be,
				 struct sk_buff_head *frames);

/* ---------------------------------------------------------------------- */
/* FDB                                                                    */

struct vsw_fdb_key {
	u8 addr[ETH_ALEN];
	u16 vid;
};

struct vsw_fdb_entry {
	struct rhash_head rhnode;
	struct vsw_fdb_key key;
	struct vsw_port *port;		/* READ_ONCE/WRITE_ONCE; moves */
	unsigned long updated;		/* jiffies, last seen */
	u32 flags;			/* VSW_FDB_F_* */
	struct hlist_node list;		/* sw->fdb_list, for walks */
	u64 serial;			/* order of insertion, see vsw_fdb_walk() */
	struct rcu_head rcu;
};

/* Add or replace a static entry. RTNL. Emits VSW_EVENT_FDB_ADDED. */
int vsw_fdb_add_static(struct vsw *sw, const u8 *addr, u16 vid,
		       struct vsw_port *port, struct netlink_ext_ack *extack);
/* Delete an entry (learned or static). RTNL. -ENOENT if absent.
 * Emits VSW_EVENT_FDB_DELETED.
 */
int vsw_fdb_del(struct vsw *sw, const u8 *addr, u16 vid,
		struct netlink_ext_ack *extack);
/* Delete learned and static entries; @port NULL = any, @vid 0 = any.
 * Returns the number of entries removed. Emits VSW_EVENT_FDB_FLUSHED.
 */
unsigned int vsw_fdb_flush(struct vsw *sw, const struct vsw_port *port,
			   u16 vid);
/* Lookup under RCU. */
struct vsw_fdb_entry *vsw_fdb_lookup(struct vsw *sw, const u8 *addr,
				     u16 vid);

/* ---------------------------------------------------------------------- */
/* Rules                                                                  */

struct vsw_action {
	u16 type;			/* enum vsw_action_attr */
	u32 arg;			/* OUTPUT: ifindex, SET_VLAN_VID: vid,
					 * PUSH_VLAN: tpid (host order)
					 */
};

struct vsw_flow_stats {
	u64_stats_t packets;
	u64_stats_t bytes;
	struct u64_stats_sync syncp;
};

struct vsw_rule {
	struct vsw_match match;
	u16 priority;
	u8 n_actions;
	struct vsw_action actions[VSW_ACTIONS_MAX];
	struct vsw_flow_stats __percpu *stats;
	unsigned long used;		/* jiffies of last match, 0 = never */
	struct hlist_node hnode;	/* sw->rule_hash, RTNL */
	u32 hash;			/* of match and priority */
	struct rcu_head rcu;
};

/*
 * Add a rule, or replace the rule with the same priority and match. RTNL.
 * Validates actions (terminal actions last, OUTPUT ifindex is a port of @sw,
 * VIDs, TPIDs). Invalidates the flow cache; emits VSW_EVENT_RULE_CHANGED.
 */
int vsw_rule_add(struct vsw *sw, const struct vsw_match *match, u16 priority,
		 const struct vsw_action *actions, unsigned int n_actions,
		 struct netlink_ext_ack *extack);
/* Delete the rule with exactly this priority and match. -ENOENT if none. */
int vsw_rule_del(struct vsw *sw, const struct vsw_match *match, u16 priority,
		 struct netlink_ext_ack *extack);
int vsw_rule_flush(struct vsw *sw);
void vsw_rule_get_stats(const struct vsw_rule *rule, u64 *packets,
			u64 *bytes);

/* ---------------------------------------------------------------------- */
/* Flow cache                                                             */

struct vsw_cache_entry;

void vsw_cache_flush(struct vsw *sw);
/* Resize the cache bound (evicting as needed). RTNL. Emits
 * VSW_EVENT_SWITCH_CHANGED (when the size changed).
 */
int vsw_cache_set_size(struct vsw *sw, u32 size,
		       struct netlink_ext_ack *extack);
/* For dumps: the entry's masked key, its decision as an action list
 * (OUTPUT/PUSH_VLAN/SET_VLAN_VID/POP_VLAN/DROP, at most @max), counters.
 * Returns the number of actions written.
 */
unsigned int vsw_cache_entry_info(const struct vsw_cache_entry *e,
				  struct vsw_match *match,
				  struct vsw_action *actions, unsigned int max,
				  u64 *packets, u64 *bytes,
				  unsigned long *used);

/* ---------------------------------------------------------------------- */
/* Resumable walks for netlink dumps                                      */

/*
 * A dump position, opaque to the caller, stored between dump calls (it fits
 * in netlink_callback->ctx). Zeroed = start. The walkers call @fn for each
 * object from @pos on, under rcu_read_lock(); when @fn returns non-zero the
 * walk stops and @pos is left at that object, so the next walk starts with
 * it again. They return @fn's non-zero value, or 0 at the end. A whole
 * dump is O(n). The matching *_seq() counter changes whenever the table
 * changes (for nl_dump_check_consistent()).
 *
 * A position holds only numbers and keys, never a pointer: anything may
 * happen between two dump calls (objects freed, the switch deleted and
 * another made at the same ifindex), and a position of another table or
 * of another switch is merely a wrong place to resume, never unsafe.
 */
struct vsw_walk_pos {
	u64 a;
	u64 b;
};

int vsw_fdb_walk(struct vsw *sw, struct vsw_walk_pos *pos,
		 int (*fn)(const struct vsw_fdb_entry *e, void *arg),
		 void *arg);
int vsw_rule_walk(struct vsw *sw, struct vsw_walk_pos *pos,
		  int (*fn)(const struct vsw_rule *r, void *arg), void *arg);
int vsw_cache_walk(struct vsw *sw, struct vsw_walk_pos *pos,
		   int (*fn)(const struct vsw_cache_entry *e, void *arg),
		   void *arg);
u32 vsw_fdb_seq(const struct vsw *sw);
u32 vsw_rule_seq(const struct vsw *sw);

/* ---------------------------------------------------------------------- */
/* Switch                                                                 */

struct vsw_vlan_counters {
	u64 rx_packets;
	u64 rx_bytes;
	u64 tx_packets;
	u64 tx_bytes;
};

struct vsw_fdb_table;
struct vsw_vlan_chunk;		/* VSW_VLAN_CHUNK VIDs' counters, vlan.c */
#define VSW_VLAN_CHUNK		64
#define VSW_VLAN_CHUNKS		(VLAN_N_VID / VSW_VLAN_CHUNK)
struct mem_cgroup;
struct vsw_cache;
struct vsw_rule_table;

#define VSW_FLOOD_DSTS	4096		/* bits in struct vsw.flood_dsts */

struct vsw {
	struct net_device *dev;
	struct vsw_port *internal;	/* the switch device as a port */
	struct list_head ports;		/* RTNL, RCU readers */
	u32 n_ports;

	atomic_t gen;			/* cache generation, see top */
	/*
	 * Hashes of the (MAC, VID)s that decisions made since the last gen
	 * bump flooded to as unknown unicast (set in translation, cleared
	 * by vsw_invalidate()); learning one of them bumps gen.
	 */
	DECLARE_BITMAP(flood_dsts, VSW_FLOOD_DSTS);

	/* configuration: written under RTNL, read with READ_ONCE */
	u32 ageing;			/* seconds, 0 = never */
	u32 max_macs;			/* 0 = unlimited */
	u32 cache_size;

	/* FDB */
	spinlock_t fdb_lock;
	struct rhashtable fdb;
	struct hlist_head fdb_list;
	atomic_t fdb_count;		/* all entries */
	atomic_t fdb_learned;		/* learned entries (max_macs) */
	u32 fdb_seq;			/* under fdb_lock */
	u64 fdb_serial;			/* last entry's serial, fdb_lock */
	/* unique among all switches ever made, for dumps (ifindex reuse) */
	u64 id;
	struct delayed_work gc_work;

	/* rules */
	struct vsw_rule_table __rcu *rules;
	u32 rule_seq;			/* RTNL */
	struct delayed_work rule_index_work;	/* indexes the rule table */
	u32 rule_index_gen;		/* indexes built, READ_ONCE */
	/* the rules by match and priority (duplicates), RTNL */
	struct hlist_head *rule_hash;
	u8 rule_hash_bits;

	/* flow cache */
	spinlock_t cache_lock;
	struct vsw_cache *cache;

	/* per-VLAN counters: per CPU, in chunks of VIDs (vlan.c) */
	struct vsw_vlan_chunk __percpu *vlan_chunks[VSW_VLAN_CHUNKS];
	/* the creator's memory cgroup, charged for what guests make us
	 * allocate (see vsw_guest_memcg_enter())
	 */
	struct mem_cgroup *memcg;
	/* cache hit/miss counters */
	struct vsw_cache_pcpu_stats __percpu *cache_stats;
	/* what a port gets when it is added (RTNL; RCU for dumps) */
	struct vsw_port_cfg __rcu *port_default;
};

static inline void vsw_invalidate(struct vsw *sw)
{
	unsigned int i;

	/*
	 * Every cached flood is stale after the bump: forget their
	 * destinations first, so that a reader that sees the new gen notes
	 * its own into a cleared set (a note of a reader still at the old
	 * gen may be lost: its decision is stale anyway).
	 */
	for (i = 0; i < BITS_TO_LONGS(VSW_FLOOD_DSTS); i++)
		if (READ_ONCE(sw->flood_dsts[i]))
			WRITE_ONCE(sw->flood_dsts[i], 0);
	/* The change that made the bump necessary must be visible to a
	 * reader that sees the new gen (it reads gen with acquire).
	 */
	smp_mb__before_atomic();
	atomic_inc(&sw->gen);
}

bool netif_is_vsw(const struct net_device *dev);
/* The switch for a vsw device, NULL if @dev is not one. */
struct vsw *vsw_from_dev(const struct net_device *dev);

/* Switch-wide settings, RTNL. Each emits VSW_EVENT_SWITCH_CHANGED. */
void vsw_set_ageing(struct vsw *sw, u32 secs);
void vsw_set_max_macs(struct vsw *sw, u32 max);

u32 vsw_fdb_count(const struct vsw *sw);
u32 vsw_rule_count(const struct vsw *sw);
/* Rule indexes built since the switch was made, and whether the current
 * table has one (for dumps).
 */
u32 vsw_rule_index_gen(const struct vsw *sw);
bool vsw_rule_indexed(const struct vsw *sw);
u32 vsw_cache_count(const struct vsw *sw);
u64 vsw_cache_bytes(const struct vsw *sw);
void vsw_cache_get_stats(const struct vsw *sw, u64 *hits, u64 *misses);
void vsw_vlan_get_stats(const struct vsw *sw, u16 vid,
			struct vsw_vlan_counters *c);
/* Sum of the counters of all ports of @sw. */
void vsw_get_stats(const struct vsw *sw, struct vsw_port_stats *st);

/* ---------------------------------------------------------------------- */
/* Control plane (genl.c, nl_*.c)                                        */

int vsw_nl_init(void);
void vsw_nl_exit(void);

/*
 * Events to the "events" multicast group. Cheap when nobody listens. Safe
 * in any context (softirq, under fdb_lock): they allocate with GFP_ATOMIC
 * and never sleep.
 */
void vsw_nl_notify_fdb(struct vsw *sw, enum vsw_event event,
		       const struct vsw_fdb_entry *e);
void vsw_nl_notify_fdb_flush(struct vsw *sw, const struct vsw_port *port,
			     u16 vid);
void vsw_nl_notify_port(struct vsw_port *port, enum vsw_event event);
void vsw_nl_notify_rule(struct vsw *sw, const struct vsw_rule *rule);
void vsw_nl_notify_switch(struct vsw *sw);

#endif /* _VSW_H */
