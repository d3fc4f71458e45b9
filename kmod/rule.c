// SPDX-License-Identifier: GPL-2.0
/*
 * vsw - the rule table: user rules (priority, masked match, actions) in an
 * RCU-published array sorted by priority, highest first (equal priorities
 * in the order they were added). Changes are rare and copy the array. The
 * table is consulted only on a flow cache miss; the implicit lowest rule is
 * NORMAL (xlate.c).
 *
 * A table of VSW_RULE_INDEX_MIN or more rules gets a tuple-space index
 * (as the OVS classifier): one hash per distinct mask, probed in the order
 * of each subtable's best rule, stopping once no later subtable can beat
 * the best match so far. A rule's rank is its array index, so the index
 * answers exactly as the scan does. It is rebuilt, in O(n), for a new
 * table VSW_RULE_INDEX_DELAY after the first change that follows the last
 * build, not later: so while rules keep changing, the table is still
 * indexed at most every VSW_RULE_INDEX_DELAY (sw->rule_index_gen counts
 * the builds).
 *
 * A hash of the rules by (match, priority), for RTNL only, finds the rule
 * a change replaces or deletes without comparing it with every rule, and a
 * binary search by priority where a new rule goes: a change is O(n) only
 * in copying the array of pointers, never in comparisons.
 *
 * Everything here is charged to the memory cgroup of the netlink caller
 * (the index, built by a worker, to the switch creator's).
 */
#include <linux/slab.h>

#include "vsw_dp.h"

#define KEY_WORDS(k)	((u64 *)(k))
#define CKEY_WORDS(k)	((const u64 *)(k))

static struct vsw_rule_table *rule_table_alloc(unsigned int n)
{
	struct vsw_rule_table *t;

	t = kvzalloc(struct_size(t, rules, n), VSW_GFP_USER);
	if (t)
		t->n = n;
	return t;
}

static void index_free(struct vsw_rule_index *ix);

static void rule_table_free(struct vsw_rule_table *t)
{
	index_free(t->index);
	kvfree(t);
}

static void rule_table_free_rcu(struct rcu_head *head)
{
	rule_table_free(container_of(head, struct vsw_rule_table, rcu));
}

static void rule_free(struct vsw_rule *r)
{
	free_percpu(r->stats);
	kfree(r);
}

static void rule_free_rcu(struct rcu_head *head)
{
	rule_free(container_of(head, struct vsw_rule, rcu));
}

static void rule_index_work(struct work_struct *work)
{
	struct vsw *sw = container_of(to_delayed_work(work), struct vsw,
				      rule_index_work);

	struct mem_cgroup *memcg;

	/* vsw_rules_stop() waits for us under RTNL: never block on it */
	if (!rtnl_trylock()) {
		schedule_delayed_work(&sw->rule_index_work, 1);
		return;
	}
	memcg = set_active_memcg(sw->memcg);
	vsw_rule_index_now(sw);
	set_active_memcg(memcg);
	rtnl_unlock();
}

int vsw_rules_init(struct vsw *sw)
{
	struct vsw_rule_table *t = rule_table_alloc(0);

	if (!t)
		return -ENOMEM;
	RCU_INIT_POINTER(sw->rules, t);
	INIT_DELAYED_WORK(&sw->rule_index_work, rule_index_work);
	return 0;
}

void vsw_rules_stop(struct vsw *sw)
{
	cancel_delayed_work_sync(&sw->rule_index_work);
}

/* Teardown, no readers left. */
void vsw_rules_destroy(struct vsw *sw)
{
	struct vsw_rule_table *t = rcu_dereference_protected(sw->rules, 1);
	unsigned int i;

	if (!t)
		return;
	for (i = 0; i < t->n; i++)
		rule_free(t->rules[i]);
	rule_table_free(t);
	RCU_INIT_POINTER(sw->rules, NULL);
	kvfree(sw->rule_hash);
	sw->rule_hash = NULL;
}

struct vsw_rule *vsw_rule_scan(const struct vsw_rule_table *t,
			       const struct vsw_key *key,
			       struct vsw_key *mask)
{
	const u64 *k = CKEY_WORDS(key);
	u64 *wc = KEY_WORDS(mask);
	unsigned int i, w;

	for (i = 0; i < t->n; i++) {
		const struct vsw_rule *r = t->rules[i];
		const u64 *v = CKEY_WORDS(&r->match.key);
		const u64 *m = CKEY_WORDS(&r->match.mask);

		for (w = 0; w < VSW_KEY_WORDS; w++)
			if ((k[w] & m[w]) != v[w])
				break;
		if (w < VSW_KEY_WORDS) {
			/*
			 * The miss is decided by word w alone: any frame that
			 * agrees with this one on the rule's bits of word w
			 * misses the rule too.
			 */
			wc[w] |= m[w];
			continue;
		}
		for (w = 0; w < VSW_KEY_WORDS; w++)
			wc[w] |= m[w];
		return t->rules[i];
	}
	return NULL;
}
EXPORT_SYMBOL_VSW_KUNIT(vsw_rule_scan);

/* ---------------------------------------------------------------------- */
/* The tuple-space index                                                  */

static void index_free(struct vsw_rule_index *ix)
{
	if (!ix)
		return;
	kvfree(ix->next);
	kvfree(ix->bucket_mem);
	kvfree(ix);
}

/*
 * Build @t's index: O(n) with a temporary hash of the masks. Returns NULL
 * (scan instead) for small tables or if memory is short.
 */
static struct vsw_rule_index *index_build(const struct vsw_rule_table *t)
{
	u32 *sub_of = NULL, *mhash = NULL, *count = NULL, *first = NULL;
	unsigned int n = t->n, n_sub = 0, i, s, mh_size;
	struct vsw_rule_index *ix = NULL, *ret = NULL;
	size_t total = 0;

	if (n < VSW_RULE_INDEX_MIN)
		return NULL;
	mh_size = roundup_pow_of_two(2 * n);
	sub_of = kvmalloc_array(n, sizeof(u32), VSW_GFP_USER);
	first = kvmalloc_array(n, sizeof(u32), VSW_GFP_USER);
	count = kvcalloc(n, sizeof(u32), VSW_GFP_USER);
	mhash = kvcalloc(mh_size, sizeof(u32), VSW_GFP_USER);
	if (!sub_of || !first || !count || !mhash)
		goto out;

	/* subtables in the order of their first (best) rule */
	for (i = 0; i < n; i++) {
		const u64 *m = CKEY_WORDS(&t->rules[i]->match.mask);
		u32 h = jhash2((const u32 *)m, 2 * VSW_KEY_WORDS, 0);

		for (h &= mh_size - 1; mhash[h]; h = (h + 1) & (mh_size - 1)) {
			s = mhash[h] - 1;
			if (!memcmp(m, &t->rules[first[s]]->match.mask,
				    sizeof(struct vsw_key)))
				break;
		}
		if (!mhash[h]) {
			s = n_sub++;
			first[s] = i;
			mhash[h] = s + 1;
		}
		sub_of[i] = s;
		count[s]++;
	}

	ix = kvzalloc(struct_size(ix, sub, n_sub), VSW_GFP_USER);
	if (!ix)
		goto out;
	ix->n_sub = n_sub;
	for (s = 0; s < n_sub; s++) {
		struct vsw_subtable *st = &ix->sub[s];

		st->mask = t->rules[first[s]]->match.mask;
		vsw_mask_range(&st->mask, &st->start, &st->end);
		st->min_idx = first[s];
		st->n_buckets = roundup_pow_of_two(2 * count[s]);
		total += st->n_buckets;
	}
	ix->next = kvcalloc(n, sizeof(u32), VSW_GFP_USER);
	ix->bucket_mem = kvcalloc(total, sizeof(u32), VSW_GFP_USER);
	if (!ix->next || !ix->bucket_mem)
		goto out;
	total = 0;
	for (s = 0; s < n_sub; s++) {
		ix->sub[s].buckets = ix->bucket_mem + total;
		total += ix->sub[s].n_buckets;
	}
	/* backwards, each at its chain's head: chains end up ascending */
	for (i = n; i-- > 0;) {
		struct vsw_subtable *st = &ix->sub[sub_of[i]];
		u32 b = vsw_range_hash(CKEY_WORDS(&t->rules[i]->match.key),
				       st->start, st->end, 0) &
			(st->n_buckets - 1);

		ix->next[i] = st->buckets[b];
		st->buckets[b] = i + 1;
	}
	ret = ix;
	ix = NULL;
out:
	index_free(ix);
	kvfree(sub_of);
	kvfree(first);
	kvfree(count);
	kvfree(mhash);
	return ret;
}

/*
 * The same rules in the same order, now with an index: the answers do not
 * change, so neither gen nor rule_seq does.
 */
void vsw_rule_index_now(struct vsw *sw)
{
	struct vsw_rule_table *t = rtnl_dereference(sw->rules), *nt;
	struct vsw_rule_index *ix;

	ASSERT_RTNL();
	if (t->index || t->n < VSW_RULE_INDEX_MIN)
		return;
	/* without memory for it the table is scanned: slower, as correct */
	ix = index_build(t);
	if (!ix)
		return;
	nt = rule_table_alloc(t->n);
	if (!nt) {
		index_free(ix);
		return;
	}
	memcpy(nt->rules, t->rules, t->n * sizeof(*t->rules));
	nt->l3 = t->l3;
	nt->index = ix;
	rcu_assign_pointer(sw->rules, nt);
	WRITE_ONCE(sw->rule_index_gen, sw->rule_index_gen + 1);
	call_rcu(&t->rcu, rule_table_free_rcu);
}
EXPORT_SYMBOL_VSW_KUNIT(vsw_rule_index_now);

struct vsw_rule *vsw_rule_lookup(const struct vsw_rule_table *t,
				 const struct vsw_key *key,
				 struct vsw_key *mask)
{
	const struct vsw_rule_index *ix = t->index;
	const u64 *k = CKEY_WORDS(key);
	u64 *wc = KEY_WORDS(mask);
	u32 best = U32_MAX;
	unsigned int s;

	if (!ix)
		return vsw_rule_scan(t, key, mask);
	for (s = 0; s < ix->n_sub; s++) {
		const struct vsw_subtable *st = &ix->sub[s];
		const u64 *m = CKEY_WORDS(&st->mask);
		u64 mk[VSW_KEY_WORDS];
		unsigned int w;
		u32 j;

		/* every later subtable's rules rank after the best so far */
		if (st->min_idx >= best)
			break;
		for (w = st->start; w <= st->end; w++) {
			mk[w] = k[w] & m[w];
			wc[w] |= m[w];
		}
		j = st->buckets[vsw_range_hash(mk, st->start, st->end, 0) &
				(st->n_buckets - 1)];
		for (; j; j = ix->next[j - 1]) {
			const u64 *v = CKEY_WORDS(&t->rules[j - 1]->match.key);

			if (vsw_range_eq(v, mk, st->start, st->end)) {
				best = min(best, j - 1);
				break;
			}
		}
	}
	return best == U32_MAX ? NULL : t->rules[best];
}
EXPORT_SYMBOL_VSW_KUNIT(vsw_rule_lookup);

static int rule_validate(struct vsw *sw, const struct vsw_action *actions,
			 unsigned int n, struct netlink_ext_ack *extack)
{
	unsigned int i;

	if (!n || n > VSW_ACTIONS_MAX) {
		NL_SET_ERR_MSG_MOD(extack, "A rule needs 1 to 32 actions");
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		const struct vsw_action *a = &actions[i];

		switch (a->type) {
		case VSW_ACTION_ATTR_NORMAL:
		case VSW_ACTION_ATTR_DROP:
		case VSW_ACTION_ATTR_FLOOD:
			if (i != n - 1) {
				NL_SET_ERR_MSG_MOD(extack,
						   "normal, drop and flood must be the last action");
				return -EINVAL;
			}
			break;
		case VSW_ACTION_ATTR_OUTPUT:
			if (!vsw_port_by_ifindex(sw, a->arg)) {
				NL_SET_ERR_MSG_MOD(extack,
						   "Output device is not a port of this switch");
				return -EINVAL;
			}
			break;
		case VSW_ACTION_ATTR_SET_VLAN_VID:
			if (a->arg > VSW_VID_MAX) {
				NL_SET_ERR_MSG_MOD(extack, "VLAN id must be 0-4094");
				return -EINVAL;
			}
			break;
		case VSW_ACTION_ATTR_POP_VLAN:
			break;
		case VSW_ACTION_ATTR_PUSH_VLAN:
			if (a->arg != ETH_P_8021Q && a->arg != ETH_P_8021AD) {
				NL_SET_ERR_MSG_MOD(extack,
						   "push_vlan TPID must be 0x8100 or 0x88a8");
				return -EINVAL;
			}
			break;
		default:
			NL_SET_ERR_MSG_MOD(extack, "Unknown action");
			return -EINVAL;
		}
	}
	return 0;
}

static bool rule_same(const struct vsw_rule *r, const struct vsw_match *m,
		      u16 priority)
{
	return r->priority == priority && !memcmp(&r->match, m, sizeof(*m));
}

/* ---------------------------------------------------------------------- */
/* The rules by (match, priority), RTNL                                   */

#define RULE_HASH_MIN_BITS	4

static u32 rule_hashfn(const struct vsw_match *m, u16 priority)
{
	return jhash2((const u32 *)m, sizeof(*m) / sizeof(u32), priority);
}

static struct hlist_head *rule_bucket(struct vsw *sw, u32 hash)
{
	return &sw->rule_hash[hash & ((1U << sw->rule_hash_bits) - 1)];
}

static struct vsw_rule *rule_find(struct vsw *sw, const struct vsw_match *m,
				  u16 priority, u32 hash)
{
	struct vsw_rule *r;

	if (!sw->rule_hash)
		return NULL;
	hlist_for_each_entry(r, rule_bucket(sw, hash), hnode)
		if (r->hash == hash && rule_same(r, m, priority))
			return r;
	return NULL;
}

/* At least @n buckets (a load of 1 at most); -ENOMEM leaves it as it was. */
static int rule_hash_reserve(struct vsw *sw, unsigned int n)
{
	unsigned int bits = RULE_HASH_MIN_BITS, i, old_n;
	struct hlist_head *nh, *old = sw->rule_hash;
	struct hlist_node *tmp;
	struct vsw_rule *r;

	if (old && n <= 1U << sw->rule_hash_bits)
		return 0;
	while (1U << bits < n)
		bits++;
	nh = kvmalloc_array(1U << bits, sizeof(*nh), VSW_GFP_USER);
	if (!nh)
		return -ENOMEM;
	for (i = 0; i < 1U << bits; i++)
		INIT_HLIST_HEAD(&nh[i]);
	old_n = old ? 1U << sw->rule_hash_bits : 0;
	for (i = 0; i < old_n; i++) {
		hlist_for_each_entry_safe(r, tmp, &old[i], hnode) {
			hlist_del(&r->hnode);
			hlist_add_head(&r->hnode,
				       &nh[r->hash & ((1U << bits) - 1)]);
		}
	}
	sw->rule_hash = nh;
	sw->rule_hash_bits = bits;
	kvfree(old);
	return 0;
}

/* Index of @r in @t: a pointer scan, as cheap as the copy that follows. */
static unsigned int rule_pos(const struct vsw_rule_table *t,
			     const struct vsw_rule *r)
{
	unsigned int i;

	for (i = 0; i < t->n; i++)
		if (t->rules[i] == r)
			break;
	return i;
}

/* Where a new rule of @priority goes: after every rule of higher or equal
 * priority (the array is sorted by descending priority).
 */
static unsigned int rule_insert_pos(const struct vsw_rule_table *t,
				    u16 priority)
{
	unsigned int lo = 0, hi = t->n;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (t->rules[mid]->priority >= priority)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Publish @nt and notify; then free the old table and every rule in @gone
 * (@n_gone of them) after a grace period: nothing of it is reachable for
 * readers that start from now on.
 */
static void rule_table_replace(struct vsw *sw, struct vsw_rule_table *nt,
			       struct vsw_rule *changed,
			       struct vsw_rule **gone, unsigned int n_gone)
{
	const size_t l3 = offsetof(struct vsw_key, ip_proto);
	struct vsw_rule_table *old = rtnl_dereference(sw->rules);
	unsigned int i;

	/* the data path parses L3/L4 only if some rule looks at it */
	for (i = 0; i < nt->n && !nt->l3; i++) {
		const u8 *m = (const u8 *)&nt->rules[i]->match.mask;

		nt->l3 = !!memchr_inv(m + l3, 0, sizeof(struct vsw_key) - l3);
	}
	rcu_assign_pointer(sw->rules, nt);
	WRITE_ONCE(sw->rule_seq, sw->rule_seq + 1);
	vsw_invalidate(sw);
	vsw_nl_notify_rule(sw, changed);
	/*
	 * Scanned for a while (a batch of adds rebuilds nothing per rule),
	 * then indexed: the first change after a build arms the work, later
	 * ones do not push it back (queue_delayed_work() leaves a pending
	 * work as it is), so rules that never stop changing are still
	 * indexed every VSW_RULE_INDEX_DELAY.
	 */
	if (nt->n >= VSW_RULE_INDEX_MIN)
		queue_delayed_work(system_wq, &sw->rule_index_work,
				   VSW_RULE_INDEX_DELAY);
	for (i = 0; i < n_gone; i++)
		call_rcu(&gone[i]->rcu, rule_free_rcu);
	call_rcu(&old->rcu, rule_table_free_rcu);
}

int vsw_rule_add(struct vsw *sw, const struct vsw_match *match, u16 priority,
		 const struct vsw_action *actions, unsigned int n_actions,
		 struct netlink_ext_ack *extack)
{
	struct vsw_rule_table *t = rtnl_dereference(sw->rules), *nt;
	struct vsw_rule *r, *gone;
	unsigned int i, j, pos;
	int err;

	ASSERT_RTNL();
	err = rule_validate(sw, actions, n_actions, extack);
	if (err)
		return err;

	r = kzalloc(sizeof(*r), VSW_GFP_USER);
	if (!r)
		goto nomem;
	r->stats = __netdev_alloc_pcpu_stats(struct vsw_flow_stats,
					     VSW_GFP_USER);
	if (!r->stats) {
		kfree(r);
		goto nomem;
	}
	r->match = *match;
	/* keep the invariant key == key & mask that lookups rely on */
	for (i = 0; i < VSW_KEY_WORDS; i++)
		KEY_WORDS(&r->match.key)[i] &= CKEY_WORDS(&r->match.mask)[i];
	r->priority = priority;
	r->n_actions = n_actions;
	memcpy(r->actions, actions, n_actions * sizeof(*actions));
	r->hash = rule_hashfn(&r->match, priority);

	gone = rule_find(sw, &r->match, priority, r->hash);
	if (!gone && t->n >= VSW_RULES_MAX) {
		NL_SET_ERR_MSG_MOD(extack, "Too many rules");
		rule_free(r);
		return -ENOSPC;
	}
	if (!gone && rule_hash_reserve(sw, t->n + 1)) {
		rule_free(r);
		goto nomem;
	}

	nt = rule_table_alloc(gone ? t->n : t->n + 1);
	if (!nt) {
		rule_free(r);
		goto nomem;
	}
	if (gone) {
		/* replace: same place, counters restart */
		memcpy(nt->rules, t->rules, t->n * sizeof(r));
		nt->rules[rule_pos(t, gone)] = r;
		hlist_del(&gone->hnode);
	} else {
		pos = rule_insert_pos(t, priority);
		for (i = 0, j = 0; i < t->n; i++) {
			if (i == pos)
				nt->rules[j++] = r;
			nt->rules[j++] = t->rules[i];
		}
		if (pos == t->n)
			nt->rules[j] = r;
	}
	hlist_add_head(&r->hnode, rule_bucket(sw, r->hash));
	rule_table_replace(sw, nt, r, &gone, gone ? 1 : 0);
	return 0;

nomem:
	NL_SET_ERR_MSG_MOD(extack, "Out of memory for the rule table");
	return -ENOMEM;
}
EXPORT_SYMBOL_VSW_KUNIT(vsw_rule_add);

int vsw_rule_del(struct vsw *sw, const struct vsw_match *match, u16 priority,
		 struct netlink_ext_ack *extack)
{
	struct vsw_rule_table *t = rtnl_dereference(sw->rules), *nt;
	struct vsw_match m = *match;
	struct vsw_rule *r;
	unsigned int i, j;

	ASSERT_RTNL();
	for (i = 0; i < VSW_KEY_WORDS; i++)
		KEY_WORDS(&m.key)[i] &= CKEY_WORDS(&m.mask)[i];
	r = rule_find(sw, &m, priority, rule_hashfn(&m, priority));
	if (!r) {
		NL_SET_ERR_MSG_MOD(extack, "No rule with this priority and match");
		return -ENOENT;
	}
	nt = rule_table_alloc(t->n - 1);
	if (!nt) {
		NL_SET_ERR_MSG_MOD(extack, "Out of memory for the rule table");
		return -ENOMEM;
	}
	i = rule_pos(t, r);
	for (j = 0; j < i; j++)
		nt->rules[j] = t->rules[j];
	for (j = i + 1; j < t->n; j++)
		nt->rules[j - 1] = t->rules[j];
	hlist_del(&r->hnode);
	rule_table_replace(sw, nt, r, &r, 1);
	return 0;
}
EXPORT_SYMBOL_VSW_KUNIT(vsw_rule_del);

int vsw_rule_flush(struct vsw *sw)
{
	struct vsw_rule_table *t = rtnl_dereference(sw->rules), *nt;
	unsigned int i;

	ASSERT_RTNL();
	nt = rule_table_alloc(0);
	if (!nt)
		return -ENOMEM;	/* the table stays as it was */
	if (sw->rule_hash)
		for (i = 0; i < 1U << sw->rule_hash_bits; i++)
			INIT_HLIST_HEAD(&sw->rule_hash[i]);
	/* the old table is freed by the last call_rcu() in there */
	rule_table_replace(sw, nt, NULL, t->rules, t->n);
	return 0;
}
EXPORT_SYMBOL_VSW_KUNIT(vsw_rule_flush);

void vsw_rule_get_stats(const struct vsw_rule *rule, u64 *packets, u64 *bytes)
{
	vsw_flow_stats_read(rule->stats, packets, bytes);
}

u32 vsw_rule_count(const struct vsw *sw)
{
	u32 n;

	rcu_read_lock();
	n = rcu_dereference(sw->rules)->n;
	rcu_read_unlock();
	return n;
}

u32 vsw_rule_index_gen(const struct vsw *sw)
{
	return READ_ONCE(sw->rule_index_gen);
}

bool vsw_rule_indexed(const struct vsw *sw)
{
	bool ix;

	rcu_read_lock();
	ix = !!rcu_dereference(sw->rules)->index;
	rcu_read_unlock();
	return ix;
}

u32 vsw_rule_seq(const struct vsw *sw)
{
	return READ_ONCE(sw->rule_seq);
}

int vsw_rule_walk(struct vsw *sw, struct vsw_walk_pos *pos,
		  int (*fn)(const struct vsw_rule *r, void *arg), void *arg)
{
	const struct vsw_rule_table *t;
	int ret = 0;
	u64 i;

	rcu_read_lock();
	t = rcu_dereference(sw->rules);
	for (i = pos->a; i < t->n; i++) {
		ret = fn(t->rules[i], arg);
		if (ret)
			break;
	}
	pos->a = i;
	rcu_read_unlock();
	return ret;
}
