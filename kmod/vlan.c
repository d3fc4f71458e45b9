// SPDX-License-Identifier: GPL-2.0
/*
 * vsw - per-port VLAN policy (pure functions, so KUnit can test the whole
 * ingress/egress matrix) and per-VLAN counters.
 *
 * Modes have Open vSwitch meanings, with one difference: an empty trunk
 * list means no VLAN at all. VID 0 (priority tag) counts as untagged for
 * classification; its PCP is kept.
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
		/* all of the frame, tags included, is the customer's */
		in->vid = cfg->tag;
		in->tpid = htons(ETH_P_8021AD);
		in->keep_outer = true;
		in->cvid = vid;
		in->cvid_outer = true;
		return !cfg->cvlans_filter || test_bit(vid, cfg->cvlans);
	default:
		return false;
	}
	/* the outer tag, if any, is consumed: the payload starts inside it */
	in->cvid = tag_present(ctci) ? tag_vid(ctci) : 0;
	return true;
}
EXPORT_SYMBOL_VSW_KUNIT(vsw_vlan_ingress);

bool vsw_vlan_egress(const struct vsw_port_cfg *cfg,
		     const struct vsw_vlan_in *in, bool *tagged)
{
	*tagged = false;
	switch (cfg->mode) {
	case VSW_VLAN_MODE_ACCESS:
		return in->vid == cfg->tag;
	case VSW_VLAN_MODE_TRUNK:
		*tagged = true;
		return test_bit(in->vid, cfg->trunks);
	case VSW_VLAN_MODE_NATIVE_UNTAGGED:
		if (in->vid == cfg->tag)
			return true;
		*tagged = true;
		return test_bit(in->vid, cfg->trunks);
	case VSW_VLAN_MODE_NATIVE_TAGGED:
		*tagged = true;
		return in->vid == cfg->tag || test_bit(in->vid, cfg->trunks);
	case VSW_VLAN_MODE_DOT1Q_TUNNEL:
		/* the S-tag is not sent; the customer's tags are */
		if (in->vid != cfg->tag)
			return false;
		return !cfg->cvlans_filter || test_bit(in->cvid, cfg->cvlans);
	default:
		return false;
	}
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

int vsw_vlan_stats_init(struct vsw *sw)
{
	int cpu;

	sw->vlan_stats = alloc_percpu(struct vsw_vlan_pcpu);
	if (!sw->vlan_stats)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		struct vsw_vlan_pcpu *p = per_cpu_ptr(sw->vlan_stats, cpu);

		u64_stats_init(&p->syncp);
		p->ctr = kvcalloc(VLAN_N_VID, sizeof(*p->ctr), GFP_KERNEL);
		if (!p->ctr) {
			vsw_vlan_stats_free(sw);
			return -ENOMEM;
		}
	}
	return 0;
}

void vsw_vlan_stats_free(struct vsw *sw)
{
	int cpu;

	if (!sw->vlan_stats)
		return;
	for_each_possible_cpu(cpu)
		kvfree(per_cpu_ptr(sw->vlan_stats, cpu)->ctr);
	free_percpu(sw->vlan_stats);
	sw->vlan_stats = NULL;
}

void vsw_vlan_count(struct vsw *sw, u16 vid, bool tx, unsigned int len)
{
	struct vsw_vlan_pcpu *p = this_cpu_ptr(sw->vlan_stats);
	struct vsw_vlan_ctr *c = &p->ctr[vid & VLAN_VID_MASK];

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
	int cpu;

	memset(c, 0, sizeof(*c));
	if (vid >= VLAN_N_VID)
		return;
	for_each_possible_cpu(cpu) {
		const struct vsw_vlan_pcpu *p = per_cpu_ptr(sw->vlan_stats, cpu);
		const struct vsw_vlan_ctr *v = &p->ctr[vid];
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
