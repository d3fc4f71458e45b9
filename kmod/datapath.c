// SPDX-License-Identifier: GPL-2.0
/*
 * vsw - the fast path, in the order a frame meets it: vsw_process() is the
 * receive path of every port (port.c's rx_handler, the switch device's
 * xmit, a vhost guest's TX): extract the flow key (key.c), look it up in
 * the flow cache (cache.c), on a miss translate it (xlate.c) and cache the
 * result, then execute the decision's ops: tag operations and vsw_output()
 * to each port (or its backend).
 */

#include <linux/random.h>
#include <net/psample.h>

#include "vsw_dp.h"

/* ---------------------------------------------------------------------- */
/* Execution (fast path)                                                  */

#define VSW_SCRATCH_OPS	(VSW_ACTIONS_MAX + VSW_MAX_PORTS + 4)

/*
 * Per-CPU translation buffer, big enough for any decision. The data path
 * runs with BH disabled and translation does not transmit, so it is never
 * used twice at once on a CPU.
 */
static struct vsw_decision __percpu *vsw_scratch;

int vsw_flow_init(void)
{
	size_t size = sizeof(struct vsw_decision) +
		      VSW_SCRATCH_OPS * sizeof(struct vsw_op);

	vsw_scratch = __alloc_percpu(size, __alignof__(struct vsw_decision));
	return vsw_scratch ? 0 : -ENOMEM;
}

void vsw_flow_exit(void)
{
	free_percpu(vsw_scratch);
}

void vsw_output(struct vsw *sw, struct vsw_port *port, struct sk_buff *skb)
{
	struct net_device *dev = port->dev;
	enum vsw_drop_reason reason;
	struct vsw_backend *be;
	int depth;

	if (unlikely(!vsw_port_oper_up(port))) {
		reason = VSW_DROP_PORT_DOWN;
		goto drop;
	}
	if (unlikely(!is_skb_forwardable(dev, skb))) {
		reason = VSW_DROP_MTU;
		goto drop;
	}
	vsw_port_count_tx(port, skb->len);

	if (port->internal) {
		/* up into the host stack, as received by the switch device;
		 * eth_type_trans() only ever lowers pkt_type from HOST
		 */
		skb->pkt_type = PACKET_HOST;
		skb->protocol = eth_type_trans(skb, dev);
		netif_rx(skb);
		return;
	}

	skb->dev = dev;
	skb_forward_csum(skb);
	be = rcu_dereference(port->backend);
	if (be) {
		/* straight to the peer (a guest's RX ring), tag and offload
		 * metadata as they are: the backend writes them out
		 */
		be->ops->xmit(be->priv, skb);
		return;
	}
	/* as br_dev_queue_push_xmit(): offloads need the L3 offset */
	if (skb->ip_summed == CHECKSUM_PARTIAL && eth_type_vlan(skb->protocol)) {
		if (!vlan_get_protocol_and_depth(skb, skb->protocol, &depth)) {
			reason = VSW_DROP_MALFORMED;
			goto drop;
		}
		skb_set_network_header(skb, depth);
	}
	skb_clear_tstamp(skb);
	dev_queue_xmit(skb);
	return;

drop:
	vsw_port_count_drop(port, reason);
	kfree_skb(skb);
}

static int exec_tag_op(struct sk_buff *skb, const struct vsw_op *op)
{
	u16 tci;

	switch (op->type) {
	case VSW_OP_POP:
		return skb_vlan_pop(skb);
	case VSW_OP_PUSH:
		return skb_vlan_push(skb, op->tpid, 0);
	case VSW_OP_SET_VID:
		if (!skb_vlan_tag_present(skb))
			return skb_vlan_push(skb, htons(ETH_P_8021Q), op->tci);
		tci = (skb_vlan_tag_get(skb) & ~VLAN_VID_MASK) | op->tci;
		__vlan_hwaccel_put_tag(skb, skb->vlan_proto, tci);
		return 0;
	case VSW_OP_SET_TAG:
		__vlan_hwaccel_put_tag(skb, op->tpid, op->tci);
		return 0;
	case VSW_OP_PUSH_TAG:
		/* moves the frame's own outer tag into the data first */
		return skb_vlan_push(skb, op->tpid, op->tci);
	case VSW_OP_STRIP:
		/* inner tags stay in the data, where the wire has them */
		__vlan_hwaccel_clear_tag(skb);
		return 0;
	}
	return 0;
}

static void vsw_execute(struct vsw *sw, struct vsw_port *in_port,
			const struct vsw_decision *dec, struct sk_buff *skb)
{
	unsigned int i;

	/* egress and the tag helpers want the whole frame */
	skb_push(skb, skb->data - skb_mac_header(skb));

	for (i = 0; i < dec->n_ops; i++) {
		const struct vsw_op *op = &dec->ops[i];
		struct sk_buff *nskb;

		if (op->type == VSW_OP_DROP) {
			vsw_port_count_drop(op->port, op->reason);
			continue;
		}
		if (!skb)
			continue;
		if (op->type != VSW_OP_OUTPUT) {
			if (unlikely(exec_tag_op(skb, op))) {
				vsw_port_count_drop(in_port, VSW_DROP_NOMEM);
				kfree_skb(skb);
				return;
			}
			continue;
		}
		if (i == dec->last_out) {
			nskb = skb;
			skb = NULL;
		} else {
			nskb = skb_clone(skb, GFP_ATOMIC);
			if (unlikely(!nskb)) {
				vsw_port_count_drop(in_port, VSW_DROP_NOMEM);
				continue;
			}
		}
		if (op->vid)
			vsw_vlan_count(sw, op->vid, true, nskb->len);
		vsw_output(sw, op->port, nskb);
	}
	kfree_skb(skb);		/* no output took it: dropped */
}

/*
 * The decision for a miss of a @len-byte frame, in an entry that is cached
 * (and counts the frame) or, if it cannot be (*@own set), that the caller
 * frees once it has executed it: nobody else ever saw it. So a miss
 * allocates one entry of the decision's size (at most VSW_SCRATCH_OPS
 * ops), charged to the switch creator's memcg, and either the cache (which
 * is bounded) holds it or it is freed before the frame's processing ends:
 * a stream of uncacheable misses (new source MACs, say) leaves nothing
 * waiting for a grace period.
 */
static struct vsw_cache_entry *vsw_miss(struct vsw *sw,
					struct vsw_port *in_port,
					const struct vsw_rule_table *rules,
					const struct vsw_key *key, u32 gen,
					unsigned int len, bool *own)
{
	struct vsw_decision *dec = this_cpu_ptr(vsw_scratch);
	struct vsw_cache_entry *e;
	struct mem_cgroup *memcg;
	struct vsw_key mask;
	bool cacheable;

	dec->max_ops = VSW_SCRATCH_OPS;
	cacheable = vsw_xlate(sw, in_port, rules, key, dec, &mask);
	/*
	 * An entry made at an old gen would never be used, and one for the
	 * first frame from a new MAC (not cacheable) is seldom worth its
	 * insertion: such an entry is not inserted.
	 */
	if (cacheable && gen != (u32)atomic_read(&sw->gen))
		cacheable = false;
	memcg = vsw_guest_memcg_enter(sw);
	e = vsw_cache_entry_alloc(dec->n_ops);
	vsw_guest_memcg_exit(memcg);
	if (!e)
		return NULL;
	e->dec.rule = dec->rule;
	e->dec.src = dec->src;
	e->dec.vid = dec->vid;
	e->dec.n_ops = dec->n_ops;
	e->dec.last_out = dec->last_out;
	e->dec.storm = dec->storm;
	memcpy(e->dec.ops, dec->ops, dec->n_ops * sizeof(*dec->ops));
	e->gen = gen;
	if (cacheable) {
		vsw_cache_entry_count(sw, e, len);
		memcg = vsw_guest_memcg_enter(sw);	/* masks */
		cacheable = vsw_cache_insert(sw, e, key, &mask);
		vsw_guest_memcg_exit(memcg);
	}
	*own = !cacheable;
	return e;
}

/*
 * Sampling: 1 in port->sample_rate frames received, at random (as tc's
 * act_sample and Open vSwitch's sample action), goes to psample as the
 * port received it: from the Ethernet header, the outer tag back in the
 * data (so a copy of the headers for a tagged frame), original size its
 * length. The output port is not known yet (0). Only called while the
 * port samples; nothing is counted or charged to the frame.
 */
static void vsw_sample(struct vsw_port *port, struct sk_buff *skb,
		       u32 rate)
{
#if IS_ENABLED(CONFIG_PSAMPLE)
	unsigned int mac = skb->data - skb_mac_header(skb);
	struct psample_metadata md = {};
	struct psample_group *group;
	struct sk_buff *nskb;

	if (reciprocal_scale(get_random_u32(), rate))
		return;
	group = rcu_dereference(port->sample_group);
	if (!group)
		return;
	md.in_ifindex = port->dev->ifindex;
	if (!skb_vlan_tag_present(skb)) {
		skb_push(skb, mac);
		md.trunc_size = skb->len;	/* no truncation */
		psample_sample_packet(group, skb, rate, &md);
		skb_pull(skb, mac);
		return;
	}
	nskb = skb_clone(skb, GFP_ATOMIC);
	if (!nskb)
		return;
	skb_push(nskb, mac);
	nskb = __vlan_hwaccel_push_inside(nskb);	/* frees on failure */
	if (!nskb)
		return;
	md.trunc_size = nskb->len;
	psample_sample_packet(group, nskb, rate, &md);
	consume_skb(nskb);
#endif
}

static void vsw_drop(struct vsw_port *port, struct sk_buff *skb,
		     enum vsw_drop_reason reason)
{
	vsw_port_count_drop(port, reason);
	kfree_skb(skb);
}

/*
 * A frame received on @in_port: skb->data at the network header (after
 * the Ethernet header), outer tag in hwaccel. RCU, BH disabled.
 */
void vsw_process(struct vsw *sw, struct vsw_port *in_port, struct sk_buff *skb)
{
	unsigned int len = skb->len + (skb->data - skb_mac_header(skb));
	const struct vsw_rule_table *rules;
	struct vsw_cache_entry *e;
	struct vsw_decision *dec;
	bool own = false;
	struct vsw_key key;
	u32 gen, rate;

	vsw_port_count_rx(in_port, len);
	if (unlikely(len < ETH_HLEN)) {
		vsw_drop(in_port, skb, VSW_DROP_MALFORMED);
		return;
	}
	/* the only cost of sampling where it is off: a field next to ->dev */
	rate = READ_ONCE(in_port->sample_rate);
	if (unlikely(rate))
		vsw_sample(in_port, skb, rate);
	/*
	 * gen first: a reader that sees a new gen sees the rule table that
	 * came with it. The key is parsed as deep as that table looks, and
	 * a miss is translated with the same table, so a rule change never
	 * meets a key parsed for another table. A frame truncated after the
	 * Ethernet header is still switched: fields that could not be parsed
	 * are zero in the key.
	 */
	gen = atomic_read_acquire(&sw->gen);
	rules = rcu_dereference(sw->rules);
	__vsw_key_extract(skb, in_port->dev->ifindex, &key, rules->l3);
	if (unlikely(!is_valid_ether_addr(key.eth_src))) {
		vsw_drop(in_port, skb, VSW_DROP_INVALID_SRC);
		return;
	}

	e = vsw_cache_lookup(sw, &key, gen);
	if (likely(e)) {
		vsw_cache_count_hit(sw, true);
		if (e->dec.src)
			vsw_touch(&e->dec.src->updated);
		vsw_cache_entry_count(sw, e, len);
		vsw_touch(&e->used);
	} else {
		vsw_cache_count_hit(sw, false);
		e = vsw_miss(sw, in_port, rules, &key, gen, len, &own);
		if (unlikely(!e)) {
			vsw_drop(in_port, skb, VSW_DROP_NOMEM);
			return;
		}
	}
	dec = &e->dec;
	/* storm control: known unicast only tests the flag */
	if (unlikely(dec->storm) &&
	    !vsw_storm_admit(in_port, dec->storm - 1)) {
		vsw_drop(in_port, skb, VSW_DROP_STORM);
		goto out;
	}
	if (dec->rule) {
		vsw_flow_stats_add(dec->rule->stats, len);
		vsw_touch(&dec->rule->used);
	}
	if (dec->vid)
		vsw_vlan_count(sw, dec->vid, false, len);
	vsw_execute(sw, in_port, dec, skb);
out:
	if (own)
		vsw_cache_entry_free(e);
}
EXPORT_SYMBOL_VSW_KUNIT(vsw_process);
