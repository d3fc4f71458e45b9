// SPDX-License-Identifier: GPL-2.0
/*
 * vsw - the flow cache: megaflows, as in the Open vSwitch datapath.
 *
 * An entry is a masked key -> compiled decision. The distinct masks live in
 * a small RCU-published array; an entry is hashed by (key & mask, mask id)
 * in one rhashtable, so a lookup is one hash probe per mask. Entries carry
 * the sw->gen they were computed at; an entry whose gen is not current is
 * never used (it is replaced on the next miss or dropped by the GC).
 *
 * The masks are probed in array order, so the GC keeps the array sorted by
 * how many lookups each mask answered since the last GC pass (as the OVS
 * datapath reorders its mask array by usage): the mask of the bulk of the
 * traffic is probed first, and a mask only stale or rare entries hold (say,
 * from before a rule change, or of a neighbour's few IPv6 frames) costs
 * the busy flows no probe.
 *
 * Bounded by sw->cache_size entries and by VSW_CACHE_ENTRY_BYTES times
 * that in bytes (entries are of variable size): inserting into a full
 * cache evicts the least recently used of the few oldest entries (a cheap
 * approximation of LRU: no list reordering on hits, so hits stay
 * lock-free). Idle entries expire after VSW_CACHE_IDLE.
 *
 * Entries, masks and counters are made in the data path (softirq) for a
 * guest's traffic: VSW_GFP_GUEST, charged to the switch creator's memcg.
 *
 * Writers hold sw->cache_lock (BH); readers are RCU. Entries are freed with
 * call_rcu() (they may own per-CPU counters).
 */
#include <linux/slab.h>

#include "vsw_dp.h"

#define VSW_EVICT_SCAN	8

/* also hashes the entries: their hkey is at key_offset */
static u32 cache_hashfn(const void *data, u32 len, u32 seed)
{
	const struct vsw_cache_hkey *hk = data;

	return vsw_range_hash((const u64 *)&hk->key, hk->start, hk->end,
			      seed ^ hk->mask_id);
}

static int cache_obj_cmpfn(struct rhashtable_compare_arg *arg,
			   const void *obj)
{
	const struct vsw_cache_hkey *a = arg->key;
	const struct vsw_cache_hkey *b = &((const struct vsw_cache_entry *)obj)->hkey;

	/* one mask id, one range */
	return a->mask_id != b->mask_id ||
	       !vsw_range_eq((const u64 *)&a->key, (const u64 *)&b->key,
			     a->start, a->end);
}

static const struct rhashtable_params vsw_cache_params = {
	.head_offset = offsetof(struct vsw_cache_entry, node),
	.key_offset = offsetof(struct vsw_cache_entry, hkey),
	.key_len = sizeof(struct vsw_cache_hkey),
	.hashfn = cache_hashfn,
	.obj_cmpfn = cache_obj_cmpfn,
	.automatic_shrinking = true,
};

int vsw_cache_init(struct vsw *sw)
{
	struct vsw_cache *c;
	int err;

	spin_lock_init(&sw->cache_lock);
	sw->cache_stats = __netdev_alloc_pcpu_stats(struct vsw_cache_pcpu_stats,
						    VSW_GFP_USER);
	if (!sw->cache_stats)
		return -ENOMEM;
	c = kzalloc(sizeof(*c), VSW_GFP_USER);
	if (!c)
		goto err_stats;
	err = rhashtable_init(&c->table, &vsw_cache_params);
	if (err)
		goto err_free;
	INIT_LIST_HEAD(&c->list);
	sw->cache = c;
	return 0;

err_free:
	kfree(c);
err_stats:
	free_percpu(sw->cache_stats);
	sw->cache_stats = NULL;
	return -ENOMEM;
}

static void cache_entry_free_rcu(struct rcu_head *head)
{
	vsw_cache_entry_free(container_of(head, struct vsw_cache_entry, rcu));
}

struct vsw_cache_entry *vsw_cache_entry_alloc(unsigned int max_ops)
{
	struct vsw_cache_entry *e;

	e = kzalloc(vsw_cache_entry_size(max_ops), VSW_GFP_GUEST);
	if (!e)
		return NULL;
	/* any CPU would do: only this one ever writes stats0 */
	e->cpu = raw_smp_processor_id();
	u64_stats_init(&e->stats0.syncp);
	e->dec.max_ops = max_ops;
	e->used = jiffies;
	return e;
}
EXPORT_SYMBOL_VSW_KUNIT(vsw_cache_entry_alloc);

/* A hit from a CPU other than the entry's own; @sw NULL: no memcg. */
void __vsw_cache_entry_count(struct vsw *sw, struct vsw_cache_entry *e,
			     unsigned int len)
{
	struct vsw_flow_stats __percpu *st = READ_ONCE(e->stats);

	if (unlikely(!st)) {
		struct vsw_flow_stats __percpu *old;
		struct mem_cgroup *memcg = NULL;

		if (sw)
			memcg = vsw_guest_memcg_enter(sw);
		st = alloc_percpu_gfp(struct vsw_flow_stats,
				      VSW_GFP_GUEST | __GFP_ZERO);
		if (sw)
			vsw_guest_memcg_exit(memcg);
		if (!st)
			return;
		/* another CPU may have been first */
		old = cmpxchg(&e->stats, NULL, st);
		if (old) {
			free_percpu(st);
			st = old;
		}
	}
	vsw_flow_stats_add(st, len);
}
EXPORT_SYMBOL_VSW_KUNIT(__vsw_cache_entry_count);

void vsw_cache_entry_free(struct vsw_cache_entry *e)
{
	free_percpu(e->stats);
	kfree(e);
}
EXPORT_SYMBOL_VSW_KUNIT(vsw_cache_entry_free);

/* @hk for @key under @m; only the mask's word range is written */
static void mask_key(struct vsw_cache_hkey *hk, const struct vsw_key *key,
		     const struct vsw_mask *m)
{
	const u64 *k = (const u64 *)key, *mk = (const u64 *)&m->key;
	u64 *o = (u64 *)&hk->key;
	unsigned int i;

	for (i = m->start; i <= m->end; i++)
		o[i] = k[i] & mk[i];
	hk->mask_id = m->id;
	hk->start = m->start;
	hk->end = m->end;
	hk->pad = 0;
}

struct vsw_cache_entry *vsw_cache_lookup(struct vsw *sw,
					 const struct vsw_key *key, u32 gen)
{
	const struct vsw_mask_array *ma = rcu_dereference(sw->cache->masks);
	struct vsw_cache_hkey hk;
	unsigned int i;

	if (!ma)
		return NULL;
	for (i = 0; i < ma->n; i++) {
		const struct vsw_mask *m = ma->masks[i];
		struct vsw_cache_entry *e;

		mask_key(&hk, key, m);
		e = rhashtable_lookup(&sw->cache->table, &hk, vsw_cache_params);
		/* a stale entry may hide behind a current one of another mask */
		if (e && e->gen == gen) {
			this_cpu_inc(*m->hits);
			return e;
		}
	}
	return NULL;
}
EXPORT_SYMBOL_VSW_KUNIT(vsw_cache_lookup);

/* ---------------------------------------------------------------------- */
/* Masks (cache_lock held)                                                */

static struct vsw_mask_array *masks_locked(struct vsw *sw)
{
	return rcu_dereference_protected(sw->cache->masks,
					 lockdep_is_held(&sw->cache_lock));
}

static void masks_publish(struct vsw *sw, struct vsw_mask_array *na)
{
	struct vsw_mask_array *old = masks_locked(sw);

	rcu_assign_pointer(sw->cache->masks, na);
	if (old)
		kfree_rcu(old, rcu);
}

static struct vsw_mask *mask_get(struct vsw *sw, const struct vsw_key *mask)
{
	struct vsw_mask_array *ma = masks_locked(sw), *na;
	unsigned int i, n = ma ? ma->n : 0;
	struct vsw_mask *m;

	for (i = 0; i < n; i++) {
		if (!memcmp(&ma->masks[i]->key, mask, sizeof(*mask))) {
			ma->masks[i]->ref++;
			return ma->masks[i];
		}
	}
	if (n >= VSW_MASKS_MAX)
		return NULL;

	m = kzalloc(sizeof(*m), VSW_GFP_GUEST);
	na = kzalloc(struct_size(na, masks, n + 1), VSW_GFP_GUEST);
	if (m)
		m->hits = alloc_percpu_gfp(unsigned long, VSW_GFP_GUEST);
	if (!m || !m->hits || !na) {
		if (m)
			free_percpu(m->hits);
		kfree(m);
		kfree(na);
		return NULL;
	}
	m->key = *mask;
	m->id = sw->cache->next_mask_id++;
	vsw_mask_range(mask, &m->start, &m->end);
	m->ref = 1;
	if (n)
		memcpy(na->masks, ma->masks, n * sizeof(m));
	na->masks[n] = m;
	na->n = n + 1;
	masks_publish(sw, na);
	return m;
}

static void mask_free_rcu(struct rcu_head *head)
{
	struct vsw_mask *m = container_of(head, struct vsw_mask, rcu);

	free_percpu(m->hits);
	kfree(m);
}

/*
 * Publish the mask array without its unused masks (ref 0) and free those
 * after a grace period. Without memory for the new array they stay where
 * they are (an unused mask only costs lookups a probe, and mask_get() may
 * use it again) until the next call: the GC's, or vsw_cache_destroy(),
 * which frees whatever is left. Once, a failed allocation here dropped
 * the mask from every list while leaving it allocated: a leak.
 */
static void masks_prune(struct vsw *sw)
{
	struct vsw_mask_array *ma = masks_locked(sw), *na;
	unsigned int i, j, unused = 0;

	if (!ma)
		return;
	for (i = 0; i < ma->n; i++)
		unused += !ma->masks[i]->ref;
	if (!unused)
		return;
	na = kzalloc(struct_size(na, masks, ma->n - unused), VSW_GFP_GUEST);
	if (!na)
		return;
	for (i = 0, j = 0; i < ma->n; i++) {
		struct vsw_mask *m = ma->masks[i];

		if (m->ref)
			na->masks[j++] = m;
		else
			call_rcu(&m->rcu, mask_free_rcu);
	}
	na->n = j;
	masks_publish(sw, na);
}

static void mask_put(struct vsw *sw, struct vsw_mask *m)
{
	if (!--m->ref)
		masks_prune(sw);
}

static unsigned long mask_hits(const struct vsw_mask *m)
{
	unsigned long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(*per_cpu_ptr(m->hits, cpu));
	return sum;
}

/*
 * Sort the masks by the lookups each answered since the last call, busiest
 * first (stable: ties keep their order). Publishes a new array only if the
 * order changes; if that allocation fails the old order stays, which only
 * costs probes.
 */
static void masks_reorder(struct vsw *sw)
{
	struct vsw_mask_array *ma = masks_locked(sw), *na;
	unsigned long delta[VSW_MASKS_MAX];
	u8 order[VSW_MASKS_MAX];
	bool moved = false;
	unsigned int i, j;

	if (!ma)
		return;
	for (i = 0; i < ma->n; i++) {
		struct vsw_mask *m = ma->masks[i];
		unsigned long hits = mask_hits(m), d = hits - m->seen;

		m->seen = hits;
		/* insertion sort of the indices, descending by delta */
		for (j = i; j > 0 && delta[j - 1] < d; j--) {
			delta[j] = delta[j - 1];
			order[j] = order[j - 1];
			moved = true;
		}
		delta[j] = d;
		order[j] = i;
	}
	if (!moved)
		return;
	na = kzalloc(struct_size(na, masks, ma->n), GFP_ATOMIC);
	if (!na)
		return;
	na->n = ma->n;
	for (i = 0; i < ma->n; i++)
		na->masks[i] = ma->masks[order[i]];
	masks_publish(sw, na);
}

/* ---------------------------------------------------------------------- */
/* Entries (cache_lock held)                                              */

static void entry_remove(struct vsw *sw, struct vsw_cache_entry *e)
{
	struct vsw_cache *c = sw->cache;

	rhashtable_remove_fast(&c->table, &e->node, vsw_cache_params);
	list_del_rcu(&e->list);
	/* poison-free marker for walkers racing with us */
	e->list.prev = NULL;
	mask_put(sw, e->mask);
	WRITE_ONCE(c->count, c->count - 1);
	WRITE_ONCE(c->bytes, c->bytes - vsw_cache_entry_size(e->dec.max_ops));
	WRITE_ONCE(c->seq, c->seq + 1);
	call_rcu(&e->rcu, cache_entry_free_rcu);
}

static bool entry_dead(const struct vsw_cache_entry *e)
{
	return !READ_ONCE(e->list.prev);
}

/* Evict one entry: the least recently used of the oldest few. */
static void evict_one(struct vsw *sw)
{
	struct vsw_cache_entry *e, *victim = NULL;
	unsigned int n = 0;

	list_for_each_entry(e, &sw->cache->list, list) {
		if (!victim || time_before(READ_ONCE(e->used),
					   READ_ONCE(victim->used)))
			victim = e;
		if (++n == VSW_EVICT_SCAN)
			break;
	}
	if (victim)
		entry_remove(sw, victim);
}

/* Evict until within @size entries and its byte bound. */
static void cache_shrink(struct vsw *sw, u32 size)
{
	size_t max_bytes = (size_t)size * VSW_CACHE_ENTRY_BYTES;
	struct vsw_cache *c = sw->cache;

	while (c->count > size || (c->count && c->bytes > max_bytes))
		evict_one(sw);
}

bool vsw_cache_insert(struct vsw *sw, struct vsw_cache_entry *e,
		      const struct vsw_key *key, const struct vsw_key *mask)
{
	struct vsw_cache *c = sw->cache;
	struct vsw_cache_entry *old;
	struct vsw_mask *m;

	spin_lock_bh(&sw->cache_lock);
	m = mask_get(sw, mask);
	if (!m)
		goto fail;
	e->mask = m;
	/* the entry is zeroed: words outside the range stay 0 for dumps */
	mask_key(&e->hkey, key, m);

	old = rhashtable_lookup_get_insert_fast(&c->table, &e->node,
						vsw_cache_params);
	if (IS_ERR(old))
		goto fail_mask;
	if (old) {
		if (old->gen == (u32)atomic_read(&sw->gen))
			goto fail_mask;	/* another CPU was quicker */
		if (rhashtable_replace_fast(&c->table, &old->node, &e->node,
					    vsw_cache_params))
			goto fail_mask;
		/* old is out of the table; finish removing it */
		list_del_rcu(&old->list);
		old->list.prev = NULL;
		mask_put(sw, old->mask);
		WRITE_ONCE(c->count, c->count - 1);
		WRITE_ONCE(c->bytes,
			   c->bytes - vsw_cache_entry_size(old->dec.max_ops));
		call_rcu(&old->rcu, cache_entry_free_rcu);
	}
	list_add_tail_rcu(&e->list, &c->list);
	WRITE_ONCE(c->count, c->count + 1);
	WRITE_ONCE(c->bytes, c->bytes + vsw_cache_entry_size(e->dec.max_ops));
	WRITE_ONCE(c->seq, c->seq + 1);
	cache_shrink(sw, READ_ONCE(sw->cache_size));
	spin_unlock_bh(&sw->cache_lock);
	return true;

fail_mask:
	e->mask = NULL;
	mask_put(sw, m);
fail:
	spin_unlock_bh(&sw->cache_lock);
	return false;
}
EXPORT_SYMBOL_VSW_KUNIT(vsw_cache_insert);

void vsw_cache_flush(struct vsw *sw)
{
	struct vsw_cache_entry *e, *tmp;

	spin_lock_bh(&sw->cache_lock);
	list_for_each_entry_safe(e, tmp, &sw->cache->list, list)
		entry_remove(sw, e);
	spin_unlock_bh(&sw->cache_lock);
}
EXPORT_SYMBOL_VSW_KUNIT(vsw_cache_flush);

void vsw_cache_destroy(struct vsw *sw)
{
	struct vsw_mask_array *ma;
	unsigned int i;

	if (!sw->cache)
		return;
	vsw_cache_flush(sw);
	rhashtable_destroy(&sw->cache->table);
	ma = rcu_dereference_protected(sw->cache->masks, 1);
	/* unused masks a failed masks_prune() left; no reader remains */
	for (i = 0; ma && i < ma->n; i++) {
		free_percpu(ma->masks[i]->hits);
		kfree(ma->masks[i]);
	}
	kfree(ma);
	kfree(sw->cache);
	sw->cache = NULL;
	free_percpu(sw->cache_stats);
	sw->cache_stats = NULL;
}

void vsw_cache_gc(struct vsw *sw)
{
	u32 gen = atomic_read(&sw->gen);
	unsigned long now = jiffies;
	struct vsw_cache_entry *e;

	rcu_read_lock();
	list_for_each_entry_rcu(e, &sw->cache->list, list) {
		if (e->gen == gen &&
		    time_before(now, READ_ONCE(e->used) + VSW_CACHE_IDLE))
			continue;
		spin_lock_bh(&sw->cache_lock);
		if (!entry_dead(e))
			entry_remove(sw, e);
		spin_unlock_bh(&sw->cache_lock);
	}
	rcu_read_unlock();
	spin_lock_bh(&sw->cache_lock);
	masks_prune(sw);
	masks_reorder(sw);
	spin_unlock_bh(&sw->cache_lock);
}
EXPORT_SYMBOL_VSW_KUNIT(vsw_cache_gc);

int vsw_cache_set_size(struct vsw *sw, u32 size,
		       struct netlink_ext_ack *extack)
{
	ASSERT_RTNL();
	if (size < 1 || size > VSW_CACHE_SIZE_MAX) {
		NL_SET_ERR_MSG_MOD(extack, "Cache size must be 1-4194304");
		return -EINVAL;
	}
	if (size == sw->cache_size)
		return 0;
	WRITE_ONCE(sw->cache_size, size);
	spin_lock_bh(&sw->cache_lock);
	cache_shrink(sw, size);
	spin_unlock_bh(&sw->cache_lock);
	vsw_nl_notify_switch(sw);
	return 0;
}

u32 vsw_cache_count(const struct vsw *sw)
{
	return READ_ONCE(sw->cache->count);
}
EXPORT_SYMBOL_VSW_KUNIT(vsw_cache_count);

u64 vsw_cache_bytes(const struct vsw *sw)
{
	return READ_ONCE(sw->cache->bytes);
}
EXPORT_SYMBOL_VSW_KUNIT(vsw_cache_bytes);

void vsw_cache_count_hit(struct vsw *sw, bool hit)
{
	struct vsw_cache_pcpu_stats *st = this_cpu_ptr(sw->cache_stats);

	u64_stats_update_begin(&st->syncp);
	if (hit)
		u64_stats_inc(&st->hits);
	else
		u64_stats_inc(&st->misses);
	u64_stats_update_end(&st->syncp);
}

void vsw_cache_get_stats(const struct vsw *sw, u64 *hits, u64 *misses)
{
	int cpu;

	*hits = 0;
	*misses = 0;
	for_each_possible_cpu(cpu) {
		const struct vsw_cache_pcpu_stats *st;
		unsigned int start;
		u64 h, m;

		st = per_cpu_ptr(sw->cache_stats, cpu);
		do {
			start = u64_stats_fetch_begin(&st->syncp);
			h = u64_stats_read(&st->hits);
			m = u64_stats_read(&st->misses);
		} while (u64_stats_fetch_retry(&st->syncp, start));
		*hits += h;
		*misses += m;
	}
}
EXPORT_SYMBOL_VSW_KUNIT(vsw_cache_get_stats);

/*
 * Resumable walk by hash bucket and index in the bucket's chain, as the
 * Open vSwitch datapath dumps its flow table: pos->a is the bucket,
 * pos->b the number of entries of that chain already visited. Only
 * current entries are shown. Nothing saved is a pointer, so whatever
 * happened between two walks (entries freed, the cache flushed, the switch
 * deleted and another made at the same ifindex) the next one is safe. The
 * cache changes all the time and its dump is not checked for consistency:
 * an entry inserted or removed in a bucket already partly visited, or a
 * table resize between two walks, can make a dump skip or repeat entries.
 * A resume costs one chain (O(1) on average), a whole dump O(n + buckets).
 */
int vsw_cache_walk(struct vsw *sw, struct vsw_walk_pos *pos,
		   int (*fn)(const struct vsw_cache_entry *e, void *arg),
		   void *arg)
{
	struct rhashtable *ht = &sw->cache->table;
	const struct bucket_table *tbl;
	u32 gen;
	int ret = 0;

	rcu_read_lock();
	gen = atomic_read(&sw->gen);
	tbl = rht_dereference_rcu(ht->tbl, ht);
	for (; pos->a < tbl->size; pos->a++, pos->b = 0) {
		struct vsw_cache_entry *e;
		struct rhash_head *hp;
		u64 idx = 0;

		rht_for_each_entry_rcu(e, hp, tbl, pos->a, node) {
			if (idx++ < pos->b)
				continue;
			if (e->gen != gen || entry_dead(e))
				continue;
			ret = fn(e, arg);
			if (ret) {
				/* this entry again, next time */
				pos->b = idx - 1;
				goto out;
			}
		}
	}
out:
	rcu_read_unlock();
	return ret;
}
