// SPDX-License-Identifier: GPL-2.0
/*
 * vsw - translation (the slow path): on a flow cache miss, the rule table,
 * then NORMAL - the learning VLAN switch - turn a flow key into a list of
 * ops plus the mask of the key bits the result depends on, which
 * datapath.c caches as a megaflow.
 *
 * NORMAL puts in_port, eth_src, eth_dst and the outer tag (TCI incl. PCP,
 * TPID) into the mask, and the inner tag when a customer-VLAN filter or a
 * popped tag makes the result depend on it. eth_src being exact is what
 * sends every new source MAC to the slow path, where it is learned; a hit
 * only refreshes the entry's timestamp through dec->src.
 *
 * And back, for cache dumps: vsw_cache_entry_info() renders a cached
 * decision's ops as the OpenFlow-like actions they stand for.
 */

#include "vsw_dp.h"

/* ---------------------------------------------------------------------- */
/* Translation (slow path)                                                */

struct xlate {
	struct vsw *sw;
	struct vsw_port *in_port;
	const struct vsw_key *key;
	struct vsw_key *mask;
	struct vsw_decision *dec;
	bool overflow;
	bool uncacheable;	/* NORMAL learned a new MAC (or failed to) */
	bool popped;		/* an action popped a tag: cvlan matters */
	bool has_tag;		/* NORMAL: the frame now has an outer tag, */
	__be16 cur_tpid;	/* ... this one */
	u16 cur_tci;		/* (VID and PCP bits) */
	/* the outer two tags of the frame after the actions so far */
	__be16 tci;
	__be16 tpid;
	__be16 ctci;
	__be16 ctpid;
};

/* The key bits NORMAL depends on, beyond the rule table's. */
static void mask_normal(struct vsw_key *m)
{
	m->in_port = ~0U;
	eth_broadcast_addr(m->eth_src);
	eth_broadcast_addr(m->eth_dst);
	m->vlan_tci = htons(0xffff);
	m->vlan_tpid = htons(0xffff);
}

static void mask_cvlan(struct vsw_key *m)
{
	m->cvlan_tci = htons(0xffff);
	m->cvlan_tpid = htons(0xffff);
}

static struct vsw_op *emit(struct xlate *x, u8 type)
{
	struct vsw_decision *dec = x->dec;
	struct vsw_op *op;

	if (dec->n_ops >= dec->max_ops) {
		x->overflow = true;
		return NULL;
	}
	op = &dec->ops[dec->n_ops++];
	memset(op, 0, sizeof(*op));
	op->type = type;
	return op;
}

static void emit_drop(struct xlate *x, enum vsw_drop_reason reason,
		      struct vsw_port *port)
{
	struct vsw_op *op = emit(x, VSW_OP_DROP);

	if (op) {
		op->reason = reason;
		op->port = port;
	}
}

static void emit_output(struct xlate *x, struct vsw_port *port, u16 vid)
{
	struct vsw_op *op = emit(x, VSW_OP_OUTPUT);

	if (op) {
		op->port = port;
		op->vid = vid;
	}
}

/* vsw_vlan_egress(), noting the key bits that read the inner tag */
static enum vsw_egress egress_form(struct xlate *x,
				   const struct vsw_port_cfg *cfg,
				   const struct vsw_vlan_in *in)
{
	/* access ports refuse a customer VLAN, tunnel ports may filter it,
	 * priority tags need to know whether a tag is left. The inner tag
	 * counts only under an outer one (whose bits are in the mask): an
	 * untagged frame's megaflow does not grow.
	 */
	if (!in->cvid_outer && in->had_outer &&
	    (cfg->mode == VSW_VLAN_MODE_ACCESS ||
	     cfg->priority_tags != VSW_PRIORITY_TAGS_NEVER ||
	     (cfg->mode == VSW_VLAN_MODE_DOT1Q_TUNNEL && cfg->cvlans_filter)))
		mask_cvlan(x->mask);
	return vsw_vlan_egress(cfg, in);
}

/* The frame's outer tag := @tpid/@tci, as one SET_TAG (or nothing). */
static void emit_set_tag(struct xlate *x, __be16 tpid, u16 tci)
{
	struct vsw_op *op;

	if (x->has_tag && x->cur_tpid == tpid && x->cur_tci == tci)
		return;			/* already right */
	op = emit(x, VSW_OP_SET_TAG);
	if (op) {
		op->tpid = tpid;
		op->tci = tci;
		if (x->has_tag)
			op->flags |= VSW_OPF_HAD_TAG;
		if (x->has_tag && x->cur_tpid == tpid)
			op->flags |= VSW_OPF_SAME_TPID;
	}
	x->has_tag = true;
	x->cur_tpid = tpid;
	x->cur_tci = tci;
}

/* Turn the frame as it is now into what leaves a port as @form. */
static void emit_egress_tag(struct xlate *x, const struct vsw_vlan_in *in,
			    enum vsw_egress form)
{
	u16 tci = in->vid | in->pcp;
	struct vsw_op *op;

	if (form == VSW_EGRESS_PRIORITY) {
		/* only for frames that would leave with no tag at all */
		emit_set_tag(x, htons(ETH_P_8021Q), in->pcp);
		return;
	}
	if (in->keep_outer) {
		/* dot1q-tunnel ingress: the S-tag goes on top, or nothing.
		 * Flooding sends the frame as received first.
		 */
		if (form != VSW_EGRESS_TAGGED)
			return;
		if (!in->had_outer) {
			/* also replaces a priority tag set for others */
			emit_set_tag(x, in->tpid, tci);
			return;
		}
		op = emit(x, VSW_OP_PUSH_TAG);
		if (op) {
			op->tpid = in->tpid;
			op->tci = tci;
		}
		x->cur_tpid = in->tpid;
		x->cur_tci = tci;
		return;
	}
	if (form == VSW_EGRESS_UNTAGGED) {
		if (x->has_tag)
			emit(x, VSW_OP_STRIP);
		x->has_tag = false;
		return;
	}
	emit_set_tag(x, in->tpid, tci);
}

static bool flood_allowed(const struct vsw_port_cfg *cfg, const u8 *dst)
{
	if (is_broadcast_ether_addr(dst))
		return cfg->flood_bcast;
	if (is_multicast_ether_addr(dst))
		return cfg->flood_mcast;
	return cfg->flood_ucast;
}

static void normal_unicast(struct xlate *x, const struct vsw_port_cfg *icfg,
			   const struct vsw_vlan_in *in, struct vsw_port *dst)
{
	const struct vsw_port_cfg *ocfg;
	enum vsw_egress form;

	if (dst == x->in_port) {
		emit_drop(x, VSW_DROP_NO_FLOOD, x->in_port);
		return;
	}
	ocfg = rcu_dereference(dst->cfg);
	form = egress_form(x, ocfg, in);
	if (form == VSW_EGRESS_DENY) {
		emit_drop(x, VSW_DROP_VLAN_EGRESS, dst);
		return;
	}
	if (icfg->isolated && ocfg->isolated) {
		emit_drop(x, VSW_DROP_ISOLATED, x->in_port);
		return;
	}
	emit_egress_tag(x, in, form);
	emit_output(x, dst, in->vid);
}

/*
 * Flood in the VLAN. Outputs are grouped by egress form so that one tag
 * operation on the frame serves a whole group: tagged ports first when the
 * frame loses its tag for the others, untagged (unchanged) ports first when
 * it gains one (dot1q-tunnel ingress); priority-tagged ones in between.
 */
static void normal_flood(struct xlate *x, const struct vsw_port_cfg *icfg,
			 const struct vsw_vlan_in *in)
{
	static const enum vsw_egress order[2][3] = {
		{ VSW_EGRESS_TAGGED, VSW_EGRESS_PRIORITY, VSW_EGRESS_UNTAGGED },
		{ VSW_EGRESS_UNTAGGED, VSW_EGRESS_PRIORITY, VSW_EGRESS_TAGGED },
	};
	const enum vsw_egress *forms = order[in->keep_outer];
	unsigned int pass, n = 0;
	struct vsw_port *p;
	bool iso = false;

	for (pass = 0; pass < ARRAY_SIZE(order[0]); pass++) {
		bool tag_done = false;

		list_for_each_entry_rcu(p, &x->sw->ports, list) {
			const struct vsw_port_cfg *ocfg;

			if (p == x->in_port || !vsw_port_oper_up(p))
				continue;
			ocfg = rcu_dereference(p->cfg);
			if (!flood_allowed(ocfg, x->key->eth_dst))
				continue;
			if (egress_form(x, ocfg, in) != forms[pass])
				continue;
			if (icfg->isolated && ocfg->isolated) {
				iso = true;
				continue;
			}
			if (!tag_done) {
				emit_egress_tag(x, in, forms[pass]);
				tag_done = true;
			}
			emit_output(x, p, in->vid);
			n++;
		}
	}
	if (!n)
		emit_drop(x, iso ? VSW_DROP_ISOLATED : VSW_DROP_NO_FLOOD,
			  x->in_port);
}

static struct vsw_port *normal_lookup(struct xlate *x,
				      const struct vsw_vlan_in *in)
{
	const u8 *dst = x->key->eth_dst;
	struct vsw *sw = x->sw;
	struct vsw_fdb_entry *f;

	/* the switch device's own MAC, in a VLAN it is in: the host */
	if (ether_addr_equal(dst, sw->dev->dev_addr) &&
	    vsw_vlan_member(rcu_dereference(sw->internal->cfg), in->vid))
		return sw->internal;
	f = vsw_fdb_lookup(sw, dst, in->vid);
	return f ? READ_ONCE(f->port) : NULL;
}

/*
 * Storm control: a frame NORMAL or FLOOD floods is of a class by its
 * destination (broadcast, multicast, else unicast the FDB does not know,
 * or that a FLOOD rule floods without asking it). The decision records
 * the class if the ingress port limits it (a change of the limits
 * invalidates the cache), so that datapath.c meters each frame: a known
 * unicast decision never has it. Frames a rule sends with OUTPUT actions
 * are the admin's own forwarding and not limited. eth_dst is in the mask
 * (mask_normal()).
 */
static void storm_class(struct xlate *x, const struct vsw_port_cfg *icfg)
{
	const u8 *dst = x->key->eth_dst;
	enum vsw_storm_class cls;

	if (is_broadcast_ether_addr(dst))
		cls = VSW_STORM_BCAST;
	else if (is_multicast_ether_addr(dst))
		cls = VSW_STORM_MCAST;
	else
		cls = VSW_STORM_UNKNOWN;
	if (icfg->storm_pps[cls])
		x->dec->storm = cls + 1;
}

/* NORMAL (@flood false) or FLOOD (@flood true: no learning, no lookup). */
static void xlate_normal(struct xlate *x, bool flood)
{
	struct vsw_port *in_port = x->in_port, *dst = NULL;
	const struct vsw_port_cfg *icfg = rcu_dereference(in_port->cfg);
	const struct vsw_key *key = x->key;
	struct vsw_vlan_in in;

	mask_normal(x->mask);
	if (x->popped)
		mask_cvlan(x->mask);

	if (!vsw_vlan_ingress(icfg, x->tci, x->tpid, x->ctci, &in)) {
		emit_drop(x, VSW_DROP_VLAN_INGRESS, in_port);
		return;
	}
	x->dec->vid = in.vid;
	x->has_tag = in.had_outer;
	x->cur_tpid = x->tpid;
	x->cur_tci = ntohs(x->tci) & (VLAN_VID_MASK | VLAN_PRIO_MASK);

	if (!flood) {
		if (icfg->learning) {
			struct vsw_fdb_entry *src;

			switch (vsw_fdb_learn(x->sw, in_port, key->eth_src,
					      in.vid, &src)) {
			case VSW_LEARN_LIMIT:
				emit_drop(x, VSW_DROP_MAC_LIMIT, in_port);
				return;
			case VSW_LEARN_NEW:
				/* a new sender, often a one-off (and if it
				 * was not learned, its next frame must try)
				 */
				x->uncacheable = true;
				break;
			case VSW_LEARN_OK:
				break;
			}
			x->dec->src = src;
		}
		if (is_unicast_ether_addr(key->eth_dst)) {
			dst = normal_lookup(x, &in);
			if (!dst) {
				/* unknown: its learning must invalidate */
				vsw_flood_note(x->sw, key->eth_dst, in.vid);
				dst = normal_lookup(x, &in);
			}
		}
	}
	if (dst) {
		normal_unicast(x, icfg, &in, dst);
		return;
	}
	storm_class(x, icfg);
	normal_flood(x, icfg, &in);
}

static bool has_output(const struct vsw_decision *dec)
{
	unsigned int i;

	for (i = 0; i < dec->n_ops; i++)
		if (dec->ops[i].type == VSW_OP_OUTPUT)
			return true;
	return false;
}

static void xlate_actions(struct xlate *x, const struct vsw_rule *r)
{
	unsigned int i;

	for (i = 0; i < r->n_actions; i++) {
		const struct vsw_action *a = &r->actions[i];
		struct vsw_port *port;
		struct vsw_op *op;

		switch (a->type) {
		case VSW_ACTION_ATTR_NORMAL:
			xlate_normal(x, false);
			return;
		case VSW_ACTION_ATTR_FLOOD:
			xlate_normal(x, true);
			return;
		case VSW_ACTION_ATTR_DROP:
			if (!has_output(x->dec))
				emit_drop(x, VSW_DROP_RULE, x->in_port);
			return;
		case VSW_ACTION_ATTR_OUTPUT:
			/* never back out of the ingress port */
			port = vsw_port_by_ifindex(x->sw, a->arg);
			if (port && port != x->in_port)
				emit_output(x, port, 0);
			break;
		case VSW_ACTION_ATTR_SET_VLAN_VID:
			op = emit(x, VSW_OP_SET_VID);
			if (op)
				op->tci = a->arg;
			if (x->tci & htons(VSW_TAG_PRESENT)) {
				x->tci &= ~htons(VLAN_VID_MASK);
				x->tci |= htons(a->arg);
				break;
			}
			x->ctci = x->tci;
			x->ctpid = x->tpid;
			x->tci = htons(a->arg | VSW_TAG_PRESENT);
			x->tpid = htons(ETH_P_8021Q);
			break;
		case VSW_ACTION_ATTR_POP_VLAN:
			emit(x, VSW_OP_POP);
			x->tci = x->ctci;
			x->tpid = x->ctpid;
			x->ctci = 0;
			x->ctpid = 0;
			x->popped = true;
			break;
		case VSW_ACTION_ATTR_PUSH_VLAN:
			op = emit(x, VSW_OP_PUSH);
			if (op)
				op->tpid = htons(a->arg);
			x->ctci = x->tci;
			x->ctpid = x->tpid;
			x->tci = htons(VSW_TAG_PRESENT);
			x->tpid = htons(a->arg);
			break;
		}
	}
}

/*
 * Tag operations after the last output change nothing: drop them, so that
 * the last output can take the skb itself. A decision without any output
 * or drop (a rule that only edits tags) is a rule drop.
 */
static void xlate_finish(struct xlate *x)
{
	struct vsw_decision *dec = x->dec;
	unsigned int i, n = 0;
	int last = -1;

	for (i = 0; i < dec->n_ops; i++)
		if (dec->ops[i].type == VSW_OP_OUTPUT)
			last = i;
	for (i = 0; i < dec->n_ops; i++)
		if ((int)i <= last || dec->ops[i].type == VSW_OP_DROP)
			dec->ops[n++] = dec->ops[i];
	dec->n_ops = n;
	if (!n)
		emit_drop(x, VSW_DROP_RULE, x->in_port);
	/* only ops up to the last output were kept: its index is unchanged */
	dec->last_out = last >= 0 ? last : dec->n_ops;
}

bool vsw_xlate(struct vsw *sw, struct vsw_port *in_port,
	       const struct vsw_rule_table *rules,
	       const struct vsw_key *key, struct vsw_decision *dec,
	       struct vsw_key *mask)
{
	struct xlate x = {
		.sw = sw,
		.in_port = in_port,
		.key = key,
		.mask = mask,
		.dec = dec,
		.tci = key->vlan_tci,
		.tpid = key->vlan_tpid,
		.ctci = key->cvlan_tci,
		.ctpid = key->cvlan_tpid,
	};

	memset(mask, 0, sizeof(*mask));
	dec->src = NULL;
	dec->vid = 0;
	dec->n_ops = 0;
	dec->storm = 0;
	dec->rule = vsw_rule_lookup(rules, key, mask);
	if (dec->rule)
		xlate_actions(&x, dec->rule);
	else
		xlate_normal(&x, false);
	xlate_finish(&x);
	return !x.overflow && !x.uncacheable;
}
EXPORT_SYMBOL_VSW_KUNIT(vsw_xlate);

/* ---------------------------------------------------------------------- */
/* Dumps: the decision as an OpenFlow-like action list                    */

static void entry_stats(const struct vsw_cache_entry *e, u64 *packets,
			u64 *bytes)
{
	struct vsw_flow_stats __percpu *st = READ_ONCE(e->stats);
	u64 p = 0, b = 0;

	vsw_flow_stats_fetch(&e->stats0, packets, bytes);
	if (st)
		vsw_flow_stats_read(st, &p, &b);
	*packets += p;
	*bytes += b;
}

struct info_ctx {
	struct vsw_action *a;
	unsigned int n;
	unsigned int max;
};

static void info_put(struct info_ctx *c, u16 type, u32 arg)
{
	if (c->n < c->max) {
		c->a[c->n].type = type;
		c->a[c->n].arg = arg;
	}
	c->n++;
}

unsigned int vsw_cache_entry_info(const struct vsw_cache_entry *e,
				  struct vsw_match *match,
				  struct vsw_action *actions, unsigned int max,
				  u64 *packets, u64 *bytes,
				  unsigned long *used)
{
	const struct vsw_decision *dec = &e->dec;
	struct info_ctx c = { .a = actions, .max = max };
	bool outputs = false;
	unsigned int i;

	match->key = e->hkey.key;
	match->mask = e->mask->key;
	entry_stats(e, packets, bytes);
	*used = READ_ONCE(e->used);

	for (i = 0; i < dec->n_ops; i++) {
		const struct vsw_op *op = &dec->ops[i];

		switch (op->type) {
		case VSW_OP_OUTPUT:
			info_put(&c, VSW_ACTION_ATTR_OUTPUT,
				 op->port->dev->ifindex);
			outputs = true;
			break;
		case VSW_OP_POP:
		case VSW_OP_STRIP:
			info_put(&c, VSW_ACTION_ATTR_POP_VLAN, 0);
			break;
		case VSW_OP_PUSH:
			info_put(&c, VSW_ACTION_ATTR_PUSH_VLAN, ntohs(op->tpid));
			break;
		case VSW_OP_SET_VID:
			info_put(&c, VSW_ACTION_ATTR_SET_VLAN_VID,
				 op->tci & VLAN_VID_MASK);
			break;
		case VSW_OP_SET_TAG:
			/* with the same TPID only the VID changes */
			if (!(op->flags & VSW_OPF_SAME_TPID)) {
				if (op->flags & VSW_OPF_HAD_TAG)
					info_put(&c, VSW_ACTION_ATTR_POP_VLAN, 0);
				info_put(&c, VSW_ACTION_ATTR_PUSH_VLAN,
					 ntohs(op->tpid));
			}
			info_put(&c, VSW_ACTION_ATTR_SET_VLAN_VID,
				 op->tci & VLAN_VID_MASK);
			break;
		case VSW_OP_PUSH_TAG:
			info_put(&c, VSW_ACTION_ATTR_PUSH_VLAN, ntohs(op->tpid));
			info_put(&c, VSW_ACTION_ATTR_SET_VLAN_VID,
				 op->tci & VLAN_VID_MASK);
			break;
		case VSW_OP_DROP:
			break;
		}
	}
	if (!outputs)
		info_put(&c, VSW_ACTION_ATTR_DROP, 0);
	return min(c.n, max);
}
EXPORT_SYMBOL_VSW_KUNIT(vsw_cache_entry_info);
