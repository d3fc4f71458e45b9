// SPDX-License-Identifier: GPL-2.0
/*
 * vsw - forwarding database: (MAC, VID) -> port, independent VLAN learning.
 *
 * An rhashtable for lookups (RCU readers, like br_fdb) plus an hlist of all
 * entries for walks (ageing, flushes, dumps). Writers hold sw->fdb_lock
 * (BH): learning runs in softirq. Every change that can alter a forwarding
 * decision bumps sw->gen (a new MAC only if something flooded to it, see
 * vsw_flood_note()); entries are freed with kfree_rcu() after that.
 *
 * Learned entries are counted per port (port->mac_count) and per switch
 * (sw->fdb_learned) for the MAC limits; static entries are not. A switch
 * learns at most VSW_DEFAULT_MAX_MACS entries unless its admin sets
 * another limit (0: none). Static entries are charged to the memcg of the
 * netlink caller that adds them, learned ones to the switch creator's.
 */
#include <linux/slab.h>

#include "vsw_dp.h"

static const struct rhashtable_params vsw_fdb_params = {
	.head_offset = offsetof(struct vsw_fdb_entry, rhnode),
	.key_offset = offsetof(struct vsw_fdb_entry, key),
	.key_len = sizeof(struct vsw_fdb_key),
	.automatic_shrinking = true,
};

static inline bool fdb_is_static(const struct vsw_fdb_entry *f)
{
	return f->flags & (VSW_FDB_F_STATIC | VSW_FDB_F_LOCAL);
}

int vsw_fdb_init(struct vsw *sw)
{
	static atomic64_t ids = ATOMIC64_INIT(0);

	/* here: every switch has an FDB, made once when the switch is */
	sw->id = atomic64_inc_return(&ids);
	sw->fdb_serial = sw->id << 32;
	spin_lock_init(&sw->fdb_lock);
	INIT_HLIST_HEAD(&sw->fdb_list);
	atomic_set(&sw->fdb_count, 0);
	atomic_set(&sw->fdb_learned, 0);
	return rhashtable_init(&sw->fdb, &vsw_fdb_params);
}

void vsw_fdb_destroy(struct vsw *sw)
{
	vsw_fdb_flush_all_quiet(sw);
	rhashtable_destroy(&sw->fdb);
}

struct vsw_fdb_entry *vsw_fdb_lookup(struct vsw *sw, const u8 *addr, u16 vid)
{
	struct vsw_fdb_key key;

	ether_addr_copy(key.addr, addr);
	key.vid = vid;
	return rhashtable_lookup(&sw->fdb, &key, vsw_fdb_params);
}
EXPORT_SYMBOL_VSW_KUNIT(vsw_fdb_lookup);

static struct vsw_fdb_entry *fdb_lookup_locked(struct vsw *sw, const u8 *addr,
					       u16 vid)
{
	struct vsw_fdb_key key;

	lockdep_assert_held(&sw->fdb_lock);
	ether_addr_copy(key.addr, addr);
	key.vid = vid;
	return rhashtable_lookup_fast(&sw->fdb, &key, vsw_fdb_params);
}

static void fdb_count(struct vsw *sw, struct vsw_port *port, int d)
{
	atomic_add(d, &port->mac_count);
	atomic_add(d, &sw->fdb_learned);
}

/* Insert a new entry. fdb_lock held. */
static int fdb_insert(struct vsw *sw, struct vsw_fdb_entry *f)
{
	int err;

	/*
	 * Before the entry is visible; the list stays sorted by serial,
	 * newest first (vsw_fdb_walk()). A failed insert wastes a serial.
	 */
	f->serial = ++sw->fdb_serial;
	err = rhashtable_lookup_insert_fast(&sw->fdb, &f->rhnode,
					    vsw_fdb_params);
	if (err)
		return err;
	hlist_add_head_rcu(&f->list, &sw->fdb_list);
	atomic_inc(&sw->fdb_count);
	if (!fdb_is_static(f))
		fdb_count(sw, f->port, 1);
	WRITE_ONCE(sw->fdb_seq, sw->fdb_seq + 1);
	return 0;
}

/*
 * Remove an entry, notify @event (if any), free after a grace period.
 *
 * Cached decisions point to the entry they learned from (dec.src: a hit
 * refreshes its age), so the order is: unlink (no new decision can find
 * it), bump gen (no reader that starts from now on uses a decision that
 * points to it), then kfree_rcu() (the grace period waits for the readers
 * that saw the old gen). Freeing first and bumping later, as ageing once
 * did, lets a grace period end in between and a cache hit write into the
 * freed entry.
 */
static void fdb_delete(struct vsw *sw, struct vsw_fdb_entry *f,
		       enum vsw_event event)
{
	lockdep_assert_held(&sw->fdb_lock);
	rhashtable_remove_fast(&sw->fdb, &f->rhnode, vsw_fdb_params);
	/* _init: walkers that raced with us see it unhashed */
	hlist_del_init_rcu(&f->list);
	atomic_dec(&sw->fdb_count);
	if (!fdb_is_static(f))
		fdb_count(sw, f->port, -1);
	WRITE_ONCE(sw->fdb_seq, sw->fdb_seq + 1);
	if (event)
		vsw_nl_notify_fdb(sw, event, f);
	vsw_invalidate(sw);
	kfree_rcu(f, rcu);
}

static struct vsw_fdb_entry *fdb_alloc(struct vsw_port *port, const u8 *addr,
				       u16 vid, u32 flags, gfp_t gfp)
{
	struct vsw_fdb_entry *f = kzalloc(sizeof(*f), gfp);

	if (!f)
		return NULL;
	ether_addr_copy(f->key.addr, addr);
	f->key.vid = vid;
	f->port = port;
	f->flags = flags;
	f->updated = jiffies;
	return f;
}

static bool port_over_limit(struct vsw_port *port)
{
	const struct vsw_port_cfg *cfg = rcu_dereference(port->cfg);
	u32 max = cfg->max_macs;

	return max && atomic_read(&port->mac_count) >= max;
}

enum vsw_learn vsw_fdb_learn(struct vsw *sw, struct vsw_port *port,
			     const u8 *addr, u16 vid,
			     struct vsw_fdb_entry **e)
{
	enum vsw_learn ret = VSW_LEARN_OK;
	struct mem_cgroup *memcg;
	struct vsw_fdb_entry *f;
	u32 max;

	*e = NULL;
	f = vsw_fdb_lookup(sw, addr, vid);
	if (likely(f && READ_ONCE(f->port) == port)) {
		vsw_touch(&f->updated);
		*e = f;
		return VSW_LEARN_OK;
	}
	if (f && fdb_is_static(f))
		return VSW_LEARN_OK;	/* static entries never move */

	spin_lock_bh(&sw->fdb_lock);
	f = fdb_lookup_locked(sw, addr, vid);
	if (f) {
		if (f->port == port) {
			vsw_touch(&f->updated);
			*e = f;
		} else if (fdb_is_static(f)) {
			/* turned static meanwhile */
		} else if (port_over_limit(port)) {
			ret = VSW_LEARN_LIMIT;
		} else {
			/* MAC move */
			fdb_count(sw, f->port, -1);
			fdb_count(sw, port, 1);
			WRITE_ONCE(f->port, port);
			f->updated = jiffies;
			vsw_invalidate(sw);
			vsw_nl_notify_fdb(sw, VSW_EVENT_MAC_MOVED, f);
			*e = f;
		}
		goto out;
	}

	max = READ_ONCE(sw->max_macs);
	if (port_over_limit(port) ||
	    (max && atomic_read(&sw->fdb_learned) >= max)) {
		ret = VSW_LEARN_LIMIT;
		goto out;
	}
	/* not learned for want of memory: the frame still goes */
	ret = VSW_LEARN_NEW;
	memcg = vsw_guest_memcg_enter(sw);
	f = fdb_alloc(port, addr, vid, 0, VSW_GFP_GUEST);
	vsw_guest_memcg_exit(memcg);
	if (!f)
		goto out;
	if (fdb_insert(sw, f)) {
		kfree(f);
		goto out;
	}
	/* only decisions that flooded to this MAC change */
	if (vsw_flood_noted(sw, addr, vid))
		vsw_invalidate(sw);
	vsw_nl_notify_fdb(sw, VSW_EVENT_MAC_LEARNED, f);
	*e = f;
out:
	spin_unlock_bh(&sw->fdb_lock);
	return ret;
}
EXPORT_SYMBOL_VSW_KUNIT(vsw_fdb_learn);

int vsw_fdb_add_static(struct vsw *sw, const u8 *addr, u16 vid,
		       struct vsw_port *port, struct netlink_ext_ack *extack)
{
	struct vsw_fdb_entry *f, *n;
	int err = 0;

	ASSERT_RTNL();
	if (!is_valid_ether_addr(addr)) {
		NL_SET_ERR_MSG_MOD(extack, "FDB MAC must be a unicast address");
		return -EINVAL;
	}
	if (vid < 1 || vid > VSW_VID_MAX) {
		NL_SET_ERR_MSG_MOD(extack, "FDB VLAN must be 1-4094");
		return -EINVAL;
	}
	if (!port || port->sw != sw) {
		NL_SET_ERR_MSG_MOD(extack, "Device is not a port of this switch");
		return -EINVAL;
	}
	n = fdb_alloc(port, addr, vid, VSW_FDB_F_STATIC, VSW_GFP_USER);
	if (!n) {
		NL_SET_ERR_MSG_MOD(extack, "Out of memory for the FDB entry");
		return -ENOMEM;
	}

	spin_lock_bh(&sw->fdb_lock);
	f = fdb_lookup_locked(sw, addr, vid);
	if (f) {
		/* replace in place: readers see the new port at once */
		if (!fdb_is_static(f))
			fdb_count(sw, f->port, -1);
		f->flags = VSW_FDB_F_STATIC;
		WRITE_ONCE(f->port, port);
		f->updated = jiffies;
	} else {
		err = fdb_insert(sw, n);
		if (!err) {
			f = n;
			n = NULL;
		}
	}
	if (!err) {
		vsw_invalidate(sw);
		vsw_nl_notify_fdb(sw, VSW_EVENT_FDB_ADDED, f);
	}
	spin_unlock_bh(&sw->fdb_lock);
	kfree(n);
	if (err)
		NL_SET_ERR_MSG_MOD(extack, "Could not insert FDB entry");
	return err;
}
EXPORT_SYMBOL_VSW_KUNIT(vsw_fdb_add_static);

int vsw_fdb_del(struct vsw *sw, const u8 *addr, u16 vid,
		struct netlink_ext_ack *extack)
{
	struct vsw_fdb_entry *f;
	int err = 0;

	spin_lock_bh(&sw->fdb_lock);
	f = fdb_lookup_locked(sw, addr, vid);
	if (f) {
		fdb_delete(sw, f, VSW_EVENT_FDB_DELETED);
	} else {
		NL_SET_ERR_MSG_MOD(extack, "No such FDB entry");
		err = -ENOENT;
	}
	spin_unlock_bh(&sw->fdb_lock);
	return err;
}
EXPORT_SYMBOL_VSW_KUNIT(vsw_fdb_del);

unsigned int vsw_fdb_flush(struct vsw *sw, const struct vsw_port *port,
			   u16 vid)
{
	struct vsw_fdb_entry *f;
	struct hlist_node *tmp;
	unsigned int n = 0;

	spin_lock_bh(&sw->fdb_lock);
	hlist_for_each_entry_safe(f, tmp, &sw->fdb_list, list) {
		if (port && f->port != port)
			continue;
		if (vid && f->key.vid != vid)
			continue;
		fdb_delete(sw, f, VSW_EVENT_UNSPEC);
		n++;
	}
	spin_unlock_bh(&sw->fdb_lock);
	vsw_nl_notify_fdb_flush(sw, port, vid);
	return n;
}

void vsw_fdb_flush_vlans(struct vsw *sw, struct vsw_port *port,
			 const struct vsw_port_cfg *cfg)
{
	struct vsw_fdb_entry *f;
	struct hlist_node *tmp;
	unsigned int n = 0;

	/* static entries are the admin's: they stay */
	spin_lock_bh(&sw->fdb_lock);
	hlist_for_each_entry_safe(f, tmp, &sw->fdb_list, list) {
		if (f->port != port || fdb_is_static(f) ||
		    vsw_vlan_member(cfg, f->key.vid))
			continue;
		fdb_delete(sw, f, VSW_EVENT_UNSPEC);
		n++;
	}
	spin_unlock_bh(&sw->fdb_lock);
	if (n)
		vsw_nl_notify_fdb_flush(sw, port, 0);
}

void vsw_fdb_flush_all_quiet(struct vsw *sw)
{
	struct vsw_fdb_entry *f;
	struct hlist_node *tmp;

	spin_lock_bh(&sw->fdb_lock);
	hlist_for_each_entry_safe(f, tmp, &sw->fdb_list, list)
		fdb_delete(sw, f, VSW_EVENT_UNSPEC);
	vsw_invalidate(sw);
	spin_unlock_bh(&sw->fdb_lock);
}

unsigned long vsw_fdb_age(struct vsw *sw)
{
	unsigned long ageing = READ_ONCE(sw->ageing) * HZ;
	unsigned long now = jiffies, next = 0;
	struct vsw_fdb_entry *f;

	if (!ageing)
		return 0;
	/* walk under RCU, lock only to delete (like br_fdb_cleanup) */
	rcu_read_lock();
	hlist_for_each_entry_rcu(f, &sw->fdb_list, list) {
		unsigned long end = READ_ONCE(f->updated) + ageing;

		if (fdb_is_static(f))
			continue;
		if (time_before(now, end)) {
			if (!next || time_before(end, next))
				next = end;
			continue;
		}
		spin_lock_bh(&sw->fdb_lock);
		if (!hlist_unhashed(&f->list))
			fdb_delete(sw, f, VSW_EVENT_MAC_AGED);	/* bumps gen */
		spin_unlock_bh(&sw->fdb_lock);
	}
	rcu_read_unlock();
	return next;
}
EXPORT_SYMBOL_VSW_KUNIT(vsw_fdb_age);

u32 vsw_fdb_count(const struct vsw *sw)
{
	return atomic_read(&sw->fdb_count);
}
EXPORT_SYMBOL_VSW_KUNIT(vsw_fdb_count);

u32 vsw_fdb_seq(const struct vsw *sw)
{
	return READ_ONCE(sw->fdb_seq);
}

/* the entry an RCU-protected hlist pointer (first, next) points to */
#define fdb_entry_rcu(p) \
	hlist_entry_safe(rcu_dereference(p), struct vsw_fdb_entry, list)

/*
 * Resumable walk, in list order: newest first, so by descending serial.
 * pos->a is the serial of the entry to resume at (0: from the start),
 * pos->b its key (MAC and VID, see fdb_pos_key()). Serials are 64-bit and
 * never reused, so a position stays meaningful whatever happens between
 * two walks, and nothing saved is ever dereferenced:
 *
 *  - the entry is looked up again by its key; if it is the same entry
 *    (same serial) and still linked, the walk resumes there: O(1);
 *  - else (deleted, or deleted and re-added: a new serial) the walk
 *    skips, from the head, every entry newer than the position: O(n) for
 *    that call, and only when the table changed, which also changed
 *    fdb_seq (NLM_F_DUMP_INTR). Entries added since the dump started are
 *    newer: skipped, never dumped twice; the others come in order.
 *
 * A dump of an unchanging table of n entries is O(n) in all; under churn
 * each call is O(n) at worst, never more. A position taken on another
 * switch (the dumper notices a re-created switch and starts it afresh,
 * see vsw_nl_dump_next()) would only resume at some place of this list;
 * serials of different switches come from different ranges (sw->id).
 */
static u64 fdb_pos_key(const struct vsw_fdb_entry *f)
{
	u64 k = f->key.vid;
	int i;

	for (i = 0; i < ETH_ALEN; i++)
		k = k << 8 | f->key.addr[i];
	return k;
}

static struct vsw_fdb_entry *fdb_resume(struct vsw *sw,
					const struct vsw_walk_pos *pos)
{
	struct vsw_fdb_entry *f;
	u8 addr[ETH_ALEN];
	u64 k = pos->b;
	int i;

	f = fdb_entry_rcu(hlist_first_rcu(&sw->fdb_list));
	if (!pos->a)
		return f;
	for (i = ETH_ALEN - 1; i >= 0; i--, k >>= 8)
		addr[i] = k & 0xff;
	f = vsw_fdb_lookup(sw, addr, k & 0xffff);
	/* the entry itself, still on the list (not even being deleted) */
	if (f && f->serial == pos->a && !hlist_unhashed_lockless(&f->list))
		return f;
	f = fdb_entry_rcu(hlist_first_rcu(&sw->fdb_list));
	while (f && f->serial > pos->a)
		f = fdb_entry_rcu(hlist_next_rcu(&f->list));
	return f;
}

int vsw_fdb_walk(struct vsw *sw, struct vsw_walk_pos *pos,
		 int (*fn)(const struct vsw_fdb_entry *e, void *arg),
		 void *arg)
{
	struct vsw_fdb_entry *f;
	int ret = 0;

	rcu_read_lock();
	for (f = fdb_resume(sw, pos); f;
	     f = fdb_entry_rcu(hlist_next_rcu(&f->list))) {
		ret = fn(f, arg);
		if (ret) {
			pos->a = f->serial;
			pos->b = fdb_pos_key(f);
			break;
		}
	}
	rcu_read_unlock();
	return ret;
}
EXPORT_SYMBOL_VSW_KUNIT(vsw_fdb_walk);
