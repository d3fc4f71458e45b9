/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vsw - data path internals, shared by the data path files and the KUnit tests
 * only (the control plane uses vsw.h).
 *
 * Frame representation on the data path: from the moment a frame enters the
 * switch until it leaves, the outermost VLAN tag, if the frame has one, is
 * in the skb's hwaccel metadata (skb->vlan_proto / skb->vlan_tci) and any
 * further tags are in the packet data. The core's skb_vlan_untag() gives us
 * frames from ports in that shape; the internal port's xmit makes it so.
 * Every tag operation keeps it (skb_vlan_push/skb_vlan_pop do).
 */
#ifndef _VSW_DP_H
#define _VSW_DP_H

#include <linux/jhash.h>
#include <linux/memcontrol.h>
#include <linux/sched/mm.h>
#include <linux/percpu.h>
#include <linux/spinlock.h>
#include "vsw.h"

#define VSW_MAX_PORTS		1024
#define VSW_RULES_MAX		65536
#define VSW_MASKS_MAX		64
#define VSW_CACHE_IDLE		(10 * HZ)	/* idle cache entries expire */
#define VSW_GC_INTERVAL		(2 * HZ)

/* key encoding of a tag: TCI with VLAN_CFI_MASK standing for "present" */
#define VSW_TAG_PRESENT		VLAN_CFI_MASK

/* ---------------------------------------------------------------------- */
/* Counters                                                               */

struct vsw_vlan_ctr {
	u64_stats_t rx_packets;
	u64_stats_t rx_bytes;
	u64_stats_t tx_packets;
	u64_stats_t tx_bytes;
};

/*
 * Per-VLAN counters come in chunks of VSW_VLAN_CHUNK VIDs, per CPU, each
 * allocated when a frame is first counted in one of its VLANs (chunk 0, VIDs
 * 0-63, with the switch): a switch pays 2 KiB per CPU per chunk of VLANs
 * in use instead of 128 KiB per CPU for all 4096.
 */
struct vsw_vlan_chunk {
	struct u64_stats_sync syncp;
	struct vsw_vlan_ctr ctr[VSW_VLAN_CHUNK];
};

/*
 * Memory a guest's traffic makes the switch allocate (learned FDB entries,
 * flow cache entries and masks, counters), in softirq or with BH off: no
 * sleeping, no reserves, no warning (a failure only costs a cache entry or
 * a learned MAC), and charged to the memory cgroup of whoever created the
 * switch: vsw_guest_memcg_enter() makes it the active memcg for the
 * allocations until vsw_guest_memcg_exit() (as BPF maps charge their
 * elements to the map creator's memcg).
 */
#define VSW_GFP_GUEST		(GFP_NOWAIT | __GFP_NOWARN | __GFP_ACCOUNT)

static inline struct mem_cgroup *vsw_guest_memcg_enter(const struct vsw *sw)
{
	return set_active_memcg(sw->memcg);
}

static inline void vsw_guest_memcg_exit(struct mem_cgroup *old)
{
	set_active_memcg(old);
}

struct vsw_cache_pcpu_stats {
	u64_stats_t hits;
	u64_stats_t misses;
	struct u64_stats_sync syncp;
};

static inline void vsw_port_count_rx(struct vsw_port *port, unsigned int len)
{
	struct vsw_pcpu_stats *st = this_cpu_ptr(port->stats);

	u64_stats_update_begin(&st->syncp);
	u64_stats_inc(&st->rx_packets);
	u64_stats_add(&st->rx_bytes, len);
	u64_stats_update_end(&st->syncp);
}

static inline void vsw_port_count_tx(struct vsw_port *port, unsigned int len)
{
	struct vsw_pcpu_stats *st = this_cpu_ptr(port->stats);

	u64_stats_update_begin(&st->syncp);
	u64_stats_inc(&st->tx_packets);
	u64_stats_add(&st->tx_bytes, len);
	u64_stats_update_end(&st->syncp);
}

static inline void vsw_port_count_drop(struct vsw_port *port,
				       enum vsw_drop_reason reason)
{
	struct vsw_pcpu_stats *st = this_cpu_ptr(port->stats);

	u64_stats_update_begin(&st->syncp);
	u64_stats_inc(&st->drops[reason]);
	u64_stats_update_end(&st->syncp);
}

void vsw_vlan_count(struct vsw *sw, u16 vid, bool tx, unsigned int len);

/* One writer at a time (a CPU's own copy, BH disabled). */
static inline void __vsw_flow_stats_add(struct vsw_flow_stats *st,
					unsigned int len)
{
	u64_stats_update_begin(&st->syncp);
	u64_stats_inc(&st->packets);
	u64_stats_add(&st->bytes, len);
	u64_stats_update_end(&st->syncp);
}

static inline void vsw_flow_stats_add(struct vsw_flow_stats __percpu *stats,
				      unsigned int len)
{
	__vsw_flow_stats_add(this_cpu_ptr(stats), len);
}

/* One copy's counters, consistent with its writer. */
void vsw_flow_stats_fetch(const struct vsw_flow_stats *s, u64 *packets,
			  u64 *bytes);
void vsw_flow_stats_read(struct vsw_flow_stats __percpu *stats,
			 u64 *packets, u64 *bytes);

/* Refresh a "last used" jiffies stamp without dirtying the line needlessly */
static inline void vsw_touch(unsigned long *stamp)
{
	unsigned long now = jiffies;

	if (READ_ONCE(*stamp) != now)
		WRITE_ONCE(*stamp, now);
}

/* ---------------------------------------------------------------------- */
/* VLAN policy (vlan.c): pure functions of a port configuration          */

/* How a frame was classified on ingress by the NORMAL action. */
struct vsw_vlan_in {
	u16 vid;		/* the switch VLAN */
	u16 pcp;		/* PCP bits of the switch's tag (VLAN_PRIO_MASK):
				 * as received, 0 for a pushed S-tag
				 */
	__be16 tpid;		/* TPID of the tag when it leaves a port tagged */
	u16 cvid;		/* customer VID of the payload, 0 = untagged */
	bool keep_outer;	/* dot1q-tunnel: the frame's own outer tag is
				 * payload (the S-tag is pushed on top)
				 */
	bool had_outer;		/* the frame has an outer tag */
	bool cvid_outer;	/* cvid came from the outer tag (else inner) */
	bool payload_tagged;	/* a tag is left when the switch's tag is not
				 * sent (customer or inner tag)
				 */
};

/* How a frame leaves a port (vsw_vlan_egress()). */
enum vsw_egress {
	VSW_EGRESS_DENY,	/* the VLAN may not leave through the port */
	VSW_EGRESS_UNTAGGED,	/* without the switch's tag */
	VSW_EGRESS_PRIORITY,	/* instead, an 802.1Q tag of VID 0 with the
				 * frame's PCP (priority-tags)
				 */
	VSW_EGRESS_TAGGED,	/* with the switch's tag (in->tpid/vid/pcp) */
};

/*
 * Ingress classification. @tci/@tpid describe the outer tag, @ctci/@ctpid
 * the inner one, in key encoding (VSW_TAG_PRESENT set when present).
 * Returns false if the port does not admit the frame (VSW_DROP_VLAN_INGRESS).
 */
bool vsw_vlan_ingress(const struct vsw_port_cfg *cfg, __be16 tci, __be16 tpid,
		      __be16 ctci, struct vsw_vlan_in *in);
/* Egress policy for a frame classified as @in: whether and how it leaves. */
enum vsw_egress vsw_vlan_egress(const struct vsw_port_cfg *cfg,
				const struct vsw_vlan_in *in);
/* VLANs a port carries (FDB entries in other VLANs are stale). */
bool vsw_vlan_member(const struct vsw_port_cfg *cfg, u16 vid);

int vsw_vlan_stats_init(struct vsw *sw);
void vsw_vlan_stats_free(struct vsw *sw);

/* ---------------------------------------------------------------------- */
/* Compiled decisions                                                     */

enum vsw_op_type {
	VSW_OP_OUTPUT,		/* send (a clone) out of @port */
	VSW_OP_POP,		/* strip_vlan: skb_vlan_pop() */
	VSW_OP_PUSH,		/* push_vlan: @tpid, TCI 0 */
	VSW_OP_SET_VID,		/* mod_vlan_vid: @tci; push 802.1Q if untagged */
	VSW_OP_SET_TAG,		/* NORMAL: outer tag := @tpid/@tci */
	VSW_OP_PUSH_TAG,	/* NORMAL: push @tpid/@tci above the frame */
	VSW_OP_STRIP,		/* NORMAL: drop the outer tag (inner ones stay
				 * in the data: no memmove)
				 */
	VSW_OP_DROP,		/* count @reason on @port */
};

/* vsw_op.flags: how SET_TAG relates to the frame (for dumps) */
#define VSW_OPF_HAD_TAG		BIT(0)	/* the frame has an outer tag */
#define VSW_OPF_SAME_TPID	BIT(1)	/* ... with this TPID */

struct vsw_op {
	u8 type;
	u8 reason;		/* DROP */
	u8 flags;		/* VSW_OPF_* */
	__be16 tpid;
	u16 tci;
	u16 vid;		/* OUTPUT by NORMAL: VLAN for tx counters */
	struct vsw_port *port;
};

/* The result of the rule table + NORMAL for one megaflow. */
struct vsw_decision {
	struct vsw_rule *rule;		/* matched rule, NULL = implicit NORMAL */
	struct vsw_fdb_entry *src;	/* source entry to refresh on a hit */
	u16 vid;			/* VLAN classified into (rx counters) */
	u16 n_ops;
	u16 max_ops;
	u16 last_out;			/* index of the last OUTPUT, or n_ops */
	u8 storm;			/* storm class + 1 of a flood the
					 * ingress port limits, 0 = none
					 */
	struct vsw_op ops[];
};

/* ---------------------------------------------------------------------- */
/* Storm control                                                          */

/*
 * A frame may burst this far ahead of its class's rate (or one frame's
 * interval, for rates under 10/s): a limit of R frames/s lets R / 10
 * frames through back to back after a quiet spell, then R per second.
 */
#define VSW_STORM_BURST_NS	(NSEC_PER_SEC / 10)

/*
 * The generic cell rate algorithm (a token bucket kept as one number, so
 * that one cmpxchg updates it): @tat is the theoretical arrival time of
 * the next frame at exactly @pps (ns). A frame at @now conforms if it is
 * at most the burst ahead of it; then *@next is the new @tat.
 */
static inline bool vsw_storm_conform(u64 tat, u64 now, u32 pps, u64 *next)
{
	u64 t = NSEC_PER_SEC / pps;
	u64 start = max(tat, now);

	if (start + t - now > max_t(u64, VSW_STORM_BURST_NS, t))
		return false;
	*next = start + t;
	return true;
}

/*
 * Storm control on the fast path, for a frame whose cached decision has
 * dec->storm (a flood of a class its ingress port limits). Lock-free: one
 * cmpxchg on the port's shared state (retried if another CPU got there
 * first). The rate is read from the current configuration: a decision
 * cached before the limit was lifted admits everything.
 */
static inline bool vsw_storm_admit(struct vsw_port *port, unsigned int cls)
{
	const struct vsw_port_cfg *cfg = rcu_dereference(port->cfg);
	u32 pps = READ_ONCE(cfg->storm_pps[cls]);
	atomic64_t *tat = &port->storm_tat[cls];
	u64 now, next;
	s64 old;

	if (!pps)
		return true;
	now = ktime_get_ns();
	old = atomic64_read(tat);
	do {
		if (!vsw_storm_conform(old, now, pps, &next))
			return false;
	} while (!atomic64_try_cmpxchg(tat, &old, next));
	return true;
}

/* ---------------------------------------------------------------------- */
/* Word ranges of a mask: outside [start, end] a masked key is zero       */

/* First and last non-zero 64-bit word of @mask (start > end: all zero). */
static inline void vsw_mask_range(const struct vsw_key *mask, u8 *start,
				  u8 *end)
{
	const u64 *w = (const u64 *)mask;
	unsigned int i;

	*start = VSW_KEY_WORDS - 1;
	*end = 0;
	for (i = 0; i < VSW_KEY_WORDS; i++) {
		if (!w[i])
			continue;
		*start = min_t(u8, *start, i);
		*end = i;
	}
}

static inline u32 vsw_range_hash(const u64 *k, unsigned int start,
				 unsigned int end, u32 seed)
{
	if (start > end)
		return seed;
	return jhash2((const u32 *)(k + start), 2 * (end - start + 1), seed);
}

static inline bool vsw_range_eq(const u64 *a, const u64 *b,
				unsigned int start, unsigned int end)
{
	unsigned int i;

	for (i = start; i <= end; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

/* ---------------------------------------------------------------------- */
/* Flow cache (cache.c)                                                  */

struct vsw_mask {
	struct vsw_key key;		/* the mask */
	u32 id;
	u8 start;			/* first and last non-zero word */
	u8 end;
	unsigned int ref;		/* entries using it, cache_lock */
	unsigned long __percpu *hits;	/* lookups it answered */
	unsigned long seen;		/* sum of hits at the last reorder */
	struct rcu_head rcu;
};

struct vsw_mask_array {
	unsigned int n;
	struct rcu_head rcu;
	struct vsw_mask *masks[];
};

/*
 * The hash key of a cache entry: masked key plus the id of its mask. The
 * masked key's words outside the mask's [start, end] are zero for every
 * entry of that mask, so only that range is hashed and compared (start >
 * end: a mask that matches everything); a lookup key is not even written
 * outside it.
 */
struct vsw_cache_hkey {
	struct vsw_key key;
	u32 mask_id;
	u8 start;
	u8 end;
	u16 pad;
};

struct vsw_cache_entry {
	struct rhash_head node;
	struct vsw_cache_hkey hkey;
	struct vsw_mask *mask;
	u32 gen;			/* sw->gen the decision was made at */
	unsigned long used;		/* jiffies of the last hit */
	/*
	 * Counters, as the OVS datapath keeps flow stats: the CPU that made
	 * the entry counts in @stats0, other CPUs in @stats, allocated on
	 * the first hit from one of them (a hit that finds no memory then
	 * goes uncounted). So a miss allocates no per-CPU memory.
	 */
	int cpu;
	struct vsw_flow_stats stats0;
	struct vsw_flow_stats __percpu *stats;
	struct list_head list;		/* vsw_cache.list, oldest first */
	struct rcu_head rcu;
	struct vsw_decision dec;	/* must be last */
};

struct vsw_cache {
	struct rhashtable table;
	struct vsw_mask_array __rcu *masks;
	struct list_head list;		/* all entries, insertion order */
	u32 count;			/* cache_lock; READ_ONCE elsewhere */
	size_t bytes;			/* sum of vsw_cache_entry_size(), ditto */
	u32 seq;			/* changes on insert/remove */
	u32 next_mask_id;
};

int vsw_cache_init(struct vsw *sw);
void vsw_cache_destroy(struct vsw *sw);
/* Lookup under RCU: the entry matching @key made at @gen, or NULL. */
struct vsw_cache_entry *vsw_cache_lookup(struct vsw *sw,
					 const struct vsw_key *key, u32 gen);
/*
 * An entry for a decision of up to @max_ops ops, made (and counted) here.
 * VSW_GFP_GUEST: the caller makes the switch's memcg the active one.
 */
struct vsw_cache_entry *vsw_cache_entry_alloc(unsigned int max_ops);
/* What an entry of @max_ops ops costs, for the cache's byte bound. */
static inline size_t vsw_cache_entry_size(unsigned int max_ops)
{
	struct vsw_cache_entry *e;

	return struct_size(e, dec.ops, max_ops);
}

/*
 * The cache holds at most sw->cache_size entries and, entries being of
 * variable size (a flood to many ports is a long list of ops), at most
 * sw->cache_size * VSW_CACHE_ENTRY_BYTES bytes of them (32 MiB for the
 * default size; a one-output entry takes about 220).
 */
#define VSW_CACHE_ENTRY_BYTES	512
void vsw_cache_entry_free(struct vsw_cache_entry *e);
void __vsw_cache_entry_count(struct vsw *sw, struct vsw_cache_entry *e,
			     unsigned int len);

/* Count a frame of @len bytes on @e of @sw (a hit). BH disabled. */
static inline void vsw_cache_entry_count(struct vsw *sw,
					 struct vsw_cache_entry *e,
					 unsigned int len)
{
	if (likely(e->cpu == smp_processor_id()))
		__vsw_flow_stats_add(&e->stats0, len);
	else
		__vsw_cache_entry_count(sw, e, len);
}

/*
 * Insert @e for @key under @mask (its decision filled in, gen set). Returns
 * true if it took @e (the caller may keep using it under rcu_read_lock():
 * an evicted entry is freed after a grace period), false if not (no mask
 * slot or memory, or an up-to-date entry already exists): then @e was
 * never visible to anyone else and the caller frees it with
 * vsw_cache_entry_free() once done, at once, so that misses that are not
 * cached leave no memory waiting for a grace period.
 */
bool vsw_cache_insert(struct vsw *sw, struct vsw_cache_entry *e,
		      const struct vsw_key *key, const struct vsw_key *mask);
/* Periodic: drop stale (old gen) and idle entries, sort the masks by use. */
void vsw_cache_gc(struct vsw *sw);
void vsw_cache_count_hit(struct vsw *sw, bool hit);

/* ---------------------------------------------------------------------- */
/* Rules (rule.c) and translation (xlate.c)                              */

/*
 * Tuple-space index of a rule table (built with it, immutable): one
 * subtable per distinct mask, in the order of the subtables' best rules;
 * each hashes its rules' masked keys over the mask's word range. Chains
 * hold rule indexes + 1 in ascending order (0 ends a chain), so the first
 * key match in a chain is the best rule of the subtable with that key.
 */
struct vsw_subtable {
	struct vsw_key mask;
	u8 start;			/* first and last non-zero word */
	u8 end;
	u32 min_idx;			/* its best rule (lowest index) */
	u32 n_buckets;			/* power of 2 */
	u32 *buckets;			/* rule index + 1, 0 = empty */
};

struct vsw_rule_index {
	unsigned int n_sub;
	u32 *next;			/* per rule: next in its chain, + 1 */
	u32 *bucket_mem;
	struct vsw_subtable sub[];
};

/* Tables of fewer rules are scanned: as fast, and narrower megaflows. */
#define VSW_RULE_INDEX_MIN	16
/* A new table is indexed once the rules have not changed for this long. */
#define VSW_RULE_INDEX_DELAY	(HZ / 20)

struct vsw_rule_table {
	unsigned int n;
	bool l3;			/* a rule matches L3/L4 fields */
	struct vsw_rule_index *index;	/* NULL: scan the rules */
	struct rcu_head rcu;
	struct vsw_rule *rules[];	/* highest priority first */
};

int vsw_rules_init(struct vsw *sw);
/* Before destroy, RTNL held: no index build pending or running after it. */
void vsw_rules_stop(struct vsw *sw);
void vsw_rules_destroy(struct vsw *sw);
/* Index the current rule table now (the delayed work does it later). RTNL. */
void vsw_rule_index_now(struct vsw *sw);
/*
 * The highest priority rule matching @key, or NULL (implicit NORMAL); of
 * equal priorities the one added first. ORs into @mask the bits the answer
 * depends on. With an index: the masks of the subtables probed; without:
 * staged, for a rule that does not match only the first key word that
 * rules it out (vsw_rule_scan()).
 */
struct vsw_rule *vsw_rule_lookup(const struct vsw_rule_table *t,
				 const struct vsw_key *key,
				 struct vsw_key *mask);
struct vsw_rule *vsw_rule_scan(const struct vsw_rule_table *t,
			       const struct vsw_key *key,
			       struct vsw_key *mask);

/*
 * Translate a frame (its key, ingress port) into a decision and the mask of
 * the key fields it depends on. Runs @rules (the table @key was extracted
 * for: without rules->l3 its L3/L4 fields are unset) and NORMAL, learning
 * the source MAC. RCU, softirq or BH-disabled context. @dec->max_ops must
 * be set; returns false if the decision is not to be cached: it did not
 * fit, or its frame came from a MAC learned (or not, for want of memory)
 * just now.
 */
bool vsw_xlate(struct vsw *sw, struct vsw_port *in_port,
	       const struct vsw_rule_table *rules,
	       const struct vsw_key *key, struct vsw_decision *dec,
	       struct vsw_key *mask);

/* Data path entry points (datapath.c). */
int vsw_flow_init(void);
void vsw_flow_exit(void);
void vsw_process(struct vsw *sw, struct vsw_port *in_port,
		 struct sk_buff *skb);

/* ---------------------------------------------------------------------- */
/* FDB (fdb.c)                                                           */

int vsw_fdb_init(struct vsw *sw);
void vsw_fdb_destroy(struct vsw *sw);

enum vsw_learn {
	VSW_LEARN_OK,		/* known (or moved here); *e set if on this port */
	VSW_LEARN_LIMIT,	/* new MAC over a limit: drop the frame */
	/* a new MAC: learned (*e), or not for want of memory (*e NULL);
	 * either way a decision for this frame is not worth caching
	 */
	VSW_LEARN_NEW,
};

/*
 * Unknown unicast and learning. A decision that floods a frame to an
 * unknown (MAC, VID) notes it in sw->flood_dsts before it looks the MAC up
 * (again), and learning a new (MAC, VID) inserts the entry before it asks
 * vsw_flood_noted(), each with a full barrier between: either the lookup
 * finds the new entry, or the learn sees the note and bumps gen. So a
 * cached flood never outlives the learning of its destination, and a new
 * MAC that nothing flooded to leaves the cache alone.
 */
static inline unsigned int vsw_flood_hash(const u8 *addr, u16 vid)
{
	const u16 *a = (const u16 *)addr;	/* as ether_addr_copy() */

	return jhash_3words(a[0], a[1], a[2] | (u32)vid << 16, 0) &
	       (VSW_FLOOD_DSTS - 1);
}

static inline void vsw_flood_note(struct vsw *sw, const u8 *addr, u16 vid)
{
	unsigned int b = vsw_flood_hash(addr, vid);

	if (!test_bit(b, sw->flood_dsts))
		set_bit(b, sw->flood_dsts);
	smp_mb();	/* the note before the lookup; pairs with the learn */
}

static inline bool vsw_flood_noted(struct vsw *sw, const u8 *addr, u16 vid)
{
	smp_mb();	/* the new entry before the test; pairs with the note */
	return test_bit(vsw_flood_hash(addr, vid), sw->flood_dsts);
}

/*
 * Learn @addr in @vid on @port (softirq). A new entry bumps sw->gen only if
 * vsw_flood_noted(): see vsw_flood_note().
 */
enum vsw_learn vsw_fdb_learn(struct vsw *sw, struct vsw_port *port,
			     const u8 *addr, u16 vid,
			     struct vsw_fdb_entry **e);
/* Age out learned entries; returns jiffies of the next expiry, or 0. */
unsigned long vsw_fdb_age(struct vsw *sw);
/* Remove learned entries of @port in VLANs @cfg does not carry. RTNL. */
void vsw_fdb_flush_vlans(struct vsw *sw, struct vsw_port *port,
			 const struct vsw_port_cfg *cfg);
/* Remove everything, no events (switch teardown). */
void vsw_fdb_flush_all_quiet(struct vsw *sw);

/* ---------------------------------------------------------------------- */
/* Ports and switch (port.c, switch.c)                                   */

extern struct rtnl_link_ops vsw_link_ops;

struct vsw_port *vsw_port_create(struct vsw *sw, struct net_device *dev,
				 bool internal);
void vsw_port_destroy(struct vsw_port *port);
void vsw_port_sample_stop(struct vsw_port *port);
int vsw_port_add(struct vsw *sw, struct net_device *dev,
		 struct netlink_ext_ack *extack);
void vsw_port_del(struct vsw_port *port);
/* Re-evaluate oper state after a netdev event; RTNL. */
void vsw_port_oper_changed(struct vsw_port *port);
struct vsw_port *vsw_port_by_ifindex(struct vsw *sw, int ifindex);
void vsw_port_cfg_default(struct vsw_port_cfg *cfg);

/* Send @skb (data at the MAC header) out of @port; consumes @skb. */
void vsw_output(struct vsw *sw, struct vsw_port *port, struct sk_buff *skb);

void vsw_gc_reschedule(struct vsw *sw, unsigned long delay);

#endif /* _VSW_DP_H */
