// SPDX-License-Identifier: GPL-2.0
/*
 * vsw - per-port VLAN policy (pure functions, so KUnit can test the whole
 * ingress/egress matrix) and per-VLAN counters.
 *
 * Modes have Open vSwitch meanings, with one difference: an empty trunk
 * list means no VLAN at all. VID 0 (priority tag) counts as untagged for
 * classification; its PCP is kept. The priority-tags and qinq-ethtype port
 * options are OVS's other_config keys of the same names; selftests/
 * vlan_ovs_table.sh replays OVS's own VLAN-handling table against this.
 */
#include <linux/slab.h>
#include <linux/mm.h>

#include "vsw_dp.h"

static inline bool tag_present(__be16 tci)
{
	return tci & htons(VSW_TAG_PRESENT);
}

static inline u16 tag_vid(__be16 tci)
{
	return ntohs(tci) & VLAN_VID_MASK;
}

bool vsw_vlan_ingress(const struct vsw_port_cfg *cfg, __be16 tci, __be16 tpid,
		      __be16 ctci, struct vsw_vlan_in *in)
{
	bool present = tag_present(tci);
	u16 vid = present ? tag_vid(tci) : 0;	/* 0: untagged or priority */

	memset(in, 0, sizeof(*in));
	in->had_outer = present;
	in->pcp = present ? ntohs(tci) & VLAN_PRIO_MASK : 0;
	in->tpid = htons(ETH_P_8021Q);

	switch (cfg->mode) {
	case VSW_VLAN_MODE_ACCESS:
		if (vid)
			return false;
		in->vid = cfg->tag;
		break;
	case VSW_VLAN_MODE_TRUNK:
		if (!vid || !test_bit(vid, cfg->trunks))
			return false;
		in->vid = vid;
		in->tpid = tpid;
		break;
	case VSW_VLAN_MODE_NATIVE_UNTAGGED:
	case VSW_VLAN_MODE_NATIVE_TAGGED:
		if (!vid) {
			in->vid = cfg->tag;
			break;
		}
		/* the native VLAN is implicitly trunked */
		if (vid != cfg->tag && !test_bit(vid, cfg->trunks))
			return false;
		in->vid = vid;
		in->tpid = tpid;
		break;
	case VSW_VLAN_MODE_DOT1Q_TUNNEL:
		/* all of the frame, tags included, is the customer's; the
		 * S-tag has PCP 0 (as in OVS) and the port's TPID
		 */
		in->vid = cfg->tag;
		in->pcp = 0;
		in->tpid = cfg->qinq_tpid;
		in->keep_outer = true;
		in->cvid = vid;
		in->cvid_outer = true;
		in->payload_tagged = present;
		return !cfg->cvlans_filter || test_bit(vid, cfg->cvlans);
	default:
		return false;
	}
	/* the outer tag, if any, is consumed: the payload starts inside it */
	in->payload_tagged = present && tag_present(ctci);
	in->cvid = in->payload_tagged ? tag_vid(ctci) : 0;
	return true;
}
EXPORT_SYMBOL_VSW_KUNIT(vsw_vlan_ingress);

static enum vsw_egress vlan_egress(const struct vsw_port_cfg *cfg,
				   const struct vsw_vlan_in *in)
{
	switch (cfg->mode) {
	case VSW_VLAN_MODE_ACCESS:
		/* not a frame that carries a customer VLAN inside (OVS) */
		if (in->vid != cfg->tag || in->cvid)
			return VSW_EGRESS_DENY;
		return VSW_EGRESS_UNTAGGED;
	case VSW_VLAN_MODE_TRUNK:
		if (!test_bit(in->vid, cfg->trunks))
			return VSW_EGRESS_DENY;
		return VSW_EGRESS_TAGGED;
	case VSW_VLAN_MODE_NATIVE_UNTAGGED:
		if (in->vid == cfg->tag)
			return VSW_EGRESS_UNTAGGED;
		if (!test_bit(in->vid, cfg->trunks))
			return VSW_EGRESS_DENY;
		return VSW_EGRESS_TAGGED;
	case VSW_VLAN_MODE_NATIVE_TAGGED:
		if (in->vid != cfg->tag && !test_bit(in->vid, cfg->trunks))
			return VSW_EGRESS_DENY;
		return VSW_EGRESS_TAGGED;
	case VSW_VLAN_MODE_DOT1Q_TUNNEL:
		/* the S-tag is not sent; the customer's tags are */
		if (in->vid != cfg->tag)
			return VSW_EGRESS_DENY;
		if (cfg->cvlans_filter && !test_bit(in->cvid, cfg->cvlans))
			return VSW_EGRESS_DENY;
		return VSW_EGRESS_UNTAGGED;
	default:
		return VSW_EGRESS_DENY;
	}
}

enum vsw_egress vsw_vlan_egress(const struct vsw_port_cfg *cfg,
				const struct vsw_vlan_in *in)
{
	enum vsw_egress e = vlan_egress(cfg, in);

	/* a frame that would leave with no tag at all: priority-tags */
	if (e == VSW_EGRESS_UNTAGGED && !in->payload_tagged &&
	    (cfg->priority_tags == VSW_PRIORITY_TAGS_ALWAYS ||
	     (cfg->priority_tags == VSW_PRIORITY_TAGS_IF_NONZERO && in->pcp)))
		return VSW_EGRESS_PRIORITY;
	return e;
}
EXPORT_SYMBOL_VSW_KUNIT(vsw_vlan_egress);

bool vsw_vlan_member(const struct vsw_port_cfg *cfg, u16 vid)
{
	switch (cfg->mode) {
	case VSW_VLAN_MODE_TRUNK:
		return test_bit(vid, cfg->trunks);
	case VSW_VLAN_MODE_NATIVE_UNTAGGED:
	case VSW_VLAN_MODE_NATIVE_TAGGED:
		return vid == cfg->tag || test_bit(vid, cfg->trunks);
	default:
		return vid == cfg->tag;
	}
}
EXPORT_SYMBOL_VSW_KUNIT(vsw_vlan_member);

/* ---------------------------------------------------------------------- */

static struct vsw_vlan_chunk __percpu *vlan_chunk_alloc(gfp_t gfp)
{
	struct vsw_vlan_chunk __percpu *ch;
	int cpu;

	ch = alloc_percpu_gfp(struct vsw_vlan_chunk, gfp | __GFP_ZERO);
	if (!ch)
		return NULL;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(ch, cpu)->syncp);
	return ch;
}

/* Chunk 0 (VIDs 1-63, the default VLAN 1 among them) now, the others on
 * first use (vsw_vlan_count()).
 */
int vsw_vlan_stats_init(struct vsw *sw)
{
	struct vsw_vlan_chunk __percpu *ch;

	ch = vlan_chunk_alloc(VSW_GFP_USER);
	if (!ch)
		return -ENOMEM;
	sw->vlan_chunks[0] = ch;
	return 0;
}

void vsw_vlan_stats_free(struct vsw *sw)
{
	unsigned int i;

	for (i = 0; i < VSW_VLAN_CHUNKS; i++) {
		free_percpu(sw->vlan_chunks[i]);
		sw->vlan_chunks[i] = NULL;
	}
}

/*
 * The chunk of a VLAN frames are counted in, made on first use: only
 * VLANs a port's configuration lets in (or a rule sets) are ever counted,
 * so what a guest can make us allocate here is bounded by its admin. On
 * failure the frame goes uncounted and the next one tries again. A chunk,
 * once published (cmpxchg, ordered), stays until the switch is freed:
 * readers only need READ_ONCE.
 */
static noinline struct vsw_vlan_chunk __percpu *
vlan_chunk_make(struct vsw *sw, unsigned int i)
{
	struct vsw_vlan_chunk __percpu *ch, *old;
	struct mem_cgroup *memcg;

	memcg = vsw_guest_memcg_enter(sw);
	ch = vlan_chunk_alloc(VSW_GFP_GUEST);
	vsw_guest_memcg_exit(memcg);
	if (!ch)
		return NULL;
	/* another CPU may have been first */
	old = cmpxchg(&sw->vlan_chunks[i], NULL, ch);
	if (old) {
		free_percpu(ch);
		return old;
	}
	return ch;
}

void vsw_vlan_count(struct vsw *sw, u16 vid, bool tx, unsigned int len)
{
	unsigned int i = (vid & VLAN_VID_MASK) / VSW_VLAN_CHUNK;
	struct vsw_vlan_chunk __percpu *ch;
	struct vsw_vlan_chunk *p;
	struct vsw_vlan_ctr *c;

	ch = READ_ONCE(sw->vlan_chunks[i]);
	if (unlikely(!ch)) {
		ch = vlan_chunk_make(sw, i);
		if (!ch)
			return;
	}
	p = this_cpu_ptr(ch);
	c = &p->ctr[vid % VSW_VLAN_CHUNK];
	u64_stats_update_begin(&p->syncp);
	if (tx) {
		u64_stats_inc(&c->tx_packets);
		u64_stats_add(&c->tx_bytes, len);
	} else {
		u64_stats_inc(&c->rx_packets);
		u64_stats_add(&c->rx_bytes, len);
	}
	u64_stats_update_end(&p->syncp);
}

void vsw_vlan_get_stats(const struct vsw *sw, u16 vid,
			struct vsw_vlan_counters *c)
{
	const struct vsw_vlan_chunk __percpu *ch;
	int cpu;

	memset(c, 0, sizeof(*c));
	if (vid >= VLAN_N_VID)
		return;
	ch = READ_ONCE(sw->vlan_chunks[vid / VSW_VLAN_CHUNK]);
	if (!ch)
		return;
	for_each_possible_cpu(cpu) {
		const struct vsw_vlan_chunk *p = per_cpu_ptr(ch, cpu);
		const struct vsw_vlan_ctr *v = &p->ctr[vid % VSW_VLAN_CHUNK];
		u64 rxp, rxb, txp, txb;
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&p->syncp);
			rxp = u64_stats_read(&v->rx_packets);
			rxb = u64_stats_read(&v->rx_bytes);
			txp = u64_stats_read(&v->tx_packets);
			txb = u64_stats_read(&v->tx_bytes);
		} while (u64_stats_fetch_retry(&p->syncp, start));
		c->rx_packets += rxp;
		c->rx_bytes += rxb;
		c->tx_packets += txp;
		c->tx_bytes += txb;
	}
}
