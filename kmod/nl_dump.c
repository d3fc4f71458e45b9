// SPDX-License-Identifier: GPL-2.0
/*
 * vsw - the "vsw" generic netlink family (control plane).
 *
 * Every request is parsed and validated as a whole into local structures
 * before anything is changed, so a rejected request changes nothing; the
 * reason goes back in the extended ack, pointing at the offending attribute.
 * Switches and ports are looked up in the network namespace of the
 * requesting socket only. Handlers run under RTNL (which also keeps the
 * switches, their ports and their configuration stable); dumps keep their
 * position in cb->ctx (numbers and keys only), so they can be resumed and
 * are O(n) overall; the switch and port dumps take RTNL for each chunk, the
 * table dumps (FDB, rules, cache, VLANs) only rcu_read_lock().
 */

#include <linux/bitmap.h>
#include <linux/etherdevice.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/jhash.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "nl.h"

static bool vsw_nl_is_zero(const void *p, size_t len)
{
	return !memchr_inv(p, 0, len);
}

static bool vsw_nl_is_ones(const void *p, size_t len)
{
	return !memchr_inv(p, 0xff, len);
}

/* Field @type with its mask @mtype (0: none) from key @k and mask @m. */
static int vsw_nl_put_masked(struct sk_buff *skb, int type, int mtype,
			     const void *k, const void *m, size_t len)
{
	if (vsw_nl_is_zero(m, len))
		return 0;
	if (nla_put(skb, type, len, k))
		return -EMSGSIZE;
	if (mtype && !vsw_nl_is_ones(m, len) && nla_put(skb, mtype, len, m))
		return -EMSGSIZE;
	return 0;
}

/*
 * Emit @match (pre-masked) as a nest of enum vsw_key_attr, in the canonical
 * form vsw_nl_parse_match() accepts: fields with an all-zero mask are
 * omitted, *_MASK only when partial. @cache: also emit the ETH_TYPE and
 * VLAN_VID masks when they are partial (cache entries only).
 */
int vsw_nl_put_match(struct sk_buff *skb, int type,
		     const struct vsw_match *match, bool cache)
{
	const struct vsw_key *k = &match->key, *m = &match->mask;
	u16 tci = ntohs(k->vlan_tci), tci_m = ntohs(m->vlan_tci);
	u16 type_m = ntohs(m->eth_type);
	u16 etype = ntohs(k->eth_type);
	bool l3 = type_m == 0xffff;
	struct nlattr *nest;

	nest = nla_nest_start(skb, type);
	if (!nest)
		return -EMSGSIZE;

	if (m->in_port && nla_put_u32(skb, VSW_KEY_ATTR_IN_PORT, k->in_port))
		goto cancel;
	if (vsw_nl_put_masked(skb, VSW_KEY_ATTR_ETH_SRC,
			      VSW_KEY_ATTR_ETH_SRC_MASK, k->eth_src, m->eth_src,
			      ETH_ALEN) ||
	    vsw_nl_put_masked(skb, VSW_KEY_ATTR_ETH_DST,
			      VSW_KEY_ATTR_ETH_DST_MASK, k->eth_dst, m->eth_dst,
			      ETH_ALEN))
		goto cancel;

	/* VLAN: see the vsw_key encoding in vsw.h */
	if ((tci_m & VLAN_VID_MASK) == VLAN_VID_MASK) {
		if (!(tci & VLAN_VID_MASK)) {
			if (nla_put_flag(skb, VSW_KEY_ATTR_VLAN_NONE))
				goto cancel;
		} else if (nla_put_u16(skb, VSW_KEY_ATTR_VLAN_VID,
				       tci & VLAN_VID_MASK)) {
			goto cancel;
		}
	} else if (cache && (tci_m & VLAN_VID_MASK)) {
		if (nla_put_u16(skb, VSW_KEY_ATTR_VLAN_VID, tci & VLAN_VID_MASK) ||
		    nla_put_u16(skb, VSW_KEY_ATTR_VLAN_VID_MASK,
				tci_m & VLAN_VID_MASK))
			goto cancel;
	}
	/* a PCP only where a tag is (a cache entry of an untagged frame
	 * matches the whole TCI, PCP bits included)
	 */
	if ((tci_m & VLAN_PRIO_MASK) &&
	    ((tci & VSW_TCI_PRESENT) || !(tci_m & VSW_TCI_PRESENT)) &&
	    nla_put_u8(skb, VSW_KEY_ATTR_VLAN_PCP,
		       (tci & VLAN_PRIO_MASK) >> VLAN_PRIO_SHIFT))
		goto cancel;

	if (type_m) {
		if (nla_put_u16(skb, VSW_KEY_ATTR_ETH_TYPE, etype))
			goto cancel;
		if (cache && !l3 &&
		    nla_put_u16(skb, VSW_KEY_ATTR_ETH_TYPE_MASK, type_m))
			goto cancel;
	}

	if (l3 && etype == ETH_P_IP) {
		if (vsw_nl_put_masked(skb, VSW_KEY_ATTR_IPV4_SRC,
				      VSW_KEY_ATTR_IPV4_SRC_MASK, &k->nw.ipv4.src,
				      &m->nw.ipv4.src, sizeof(__be32)) ||
		    vsw_nl_put_masked(skb, VSW_KEY_ATTR_IPV4_DST,
				      VSW_KEY_ATTR_IPV4_DST_MASK, &k->nw.ipv4.dst,
				      &m->nw.ipv4.dst, sizeof(__be32)))
			goto cancel;
	} else if (l3 && etype == ETH_P_IPV6) {
		if (vsw_nl_put_masked(skb, VSW_KEY_ATTR_IPV6_SRC,
				      VSW_KEY_ATTR_IPV6_SRC_MASK, &k->nw.ipv6.src,
				      &m->nw.ipv6.src, sizeof(struct in6_addr)) ||
		    vsw_nl_put_masked(skb, VSW_KEY_ATTR_IPV6_DST,
				      VSW_KEY_ATTR_IPV6_DST_MASK, &k->nw.ipv6.dst,
				      &m->nw.ipv6.dst, sizeof(struct in6_addr)))
			goto cancel;
	}

	if (l3 && etype == ETH_P_ARP) {
		/* the opcode lives in tp_src (and its low byte in ip_proto) */
		if (m->tp_src &&
		    nla_put_u16(skb, VSW_KEY_ATTR_ARP_OP, ntohs(k->tp_src)))
			goto cancel;
	} else {
		if (m->ip_proto &&
		    nla_put_u8(skb, VSW_KEY_ATTR_IP_PROTO, k->ip_proto))
			goto cancel;
		if (m->ip_tos && nla_put_u8(skb, VSW_KEY_ATTR_IP_TOS, k->ip_tos))
			goto cancel;
		if (m->tp_src &&
		    nla_put_u16(skb, VSW_KEY_ATTR_L4_SRC, ntohs(k->tp_src)))
			goto cancel;
		if (m->tp_dst &&
		    nla_put_u16(skb, VSW_KEY_ATTR_L4_DST, ntohs(k->tp_dst)))
			goto cancel;
	}
	nla_nest_end(skb, nest);
	return 0;

cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

int vsw_nl_put_actions(struct sk_buff *skb, int type,
		       const struct vsw_action *act, unsigned int n)
{
	struct nlattr *nest;
	unsigned int i;
	int err = 0;

	nest = nla_nest_start(skb, type);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < n && !err; i++) {
		switch (act[i].type) {
		case VSW_ACTION_ATTR_OUTPUT:
			err = nla_put_u32(skb, act[i].type, act[i].arg);
			break;
		case VSW_ACTION_ATTR_SET_VLAN_VID:
		case VSW_ACTION_ATTR_PUSH_VLAN:
			err = nla_put_u16(skb, act[i].type, act[i].arg);
			break;
		default:
			err = nla_put_flag(skb, act[i].type);
			break;
		}
	}
	if (err) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Parsing                                                                */
static bool vsw_nl_prefix_ok(const u8 *mask, size_t len)
{
	unsigned int inv;
	size_t i = 0;

	while (i < len && mask[i] == 0xff)
		i++;
	if (i == len)
		return true;
	/* one partial byte 1..10..0 (its complement is 2^n - 1), zeros */
	inv = (u8)~mask[i];
	if (inv & (inv + 1))
		return false;
	return vsw_nl_is_zero(mask + i + 1, len - i - 1);
}

/* Value @type and optional mask @mtype (all ones if absent) into k/m. */
static int vsw_nl_get_masked(struct nlattr **tb, int type, int mtype,
			     void *k, void *m, size_t len, bool prefix,
			     struct netlink_ext_ack *extack)
{
	if (!tb[type])
		return 0;
	memcpy(k, nla_data(tb[type]), len);
	if (mtype && tb[mtype]) {
		memcpy(m, nla_data(tb[mtype]), len);
		if (prefix && !vsw_nl_prefix_ok(m, len)) {
			VSW_NL_ERR_ATTR(extack, tb[mtype],
					"address mask must be a contiguous prefix");
			return -EINVAL;
		}
	} else {
		memset(m, 0xff, len);
	}
	return 0;
}

struct vsw_nl_dep {
	u16 attr;		/* this attribute ... */
	u16 need;		/* ... needs this one */
	const char *msg;
};

static const struct vsw_nl_dep vsw_nl_mask_deps[] = {
	{ VSW_KEY_ATTR_ETH_SRC_MASK, VSW_KEY_ATTR_ETH_SRC,
	  VSW_NL_MSG("match: ETH_SRC_MASK needs ETH_SRC") },
	{ VSW_KEY_ATTR_ETH_DST_MASK, VSW_KEY_ATTR_ETH_DST,
	  VSW_NL_MSG("match: ETH_DST_MASK needs ETH_DST") },
	{ VSW_KEY_ATTR_IPV4_SRC_MASK, VSW_KEY_ATTR_IPV4_SRC,
	  VSW_NL_MSG("match: IPV4_SRC_MASK needs IPV4_SRC") },
	{ VSW_KEY_ATTR_IPV4_DST_MASK, VSW_KEY_ATTR_IPV4_DST,
	  VSW_NL_MSG("match: IPV4_DST_MASK needs IPV4_DST") },
	{ VSW_KEY_ATTR_IPV6_SRC_MASK, VSW_KEY_ATTR_IPV6_SRC,
	  VSW_NL_MSG("match: IPV6_SRC_MASK needs IPV6_SRC") },
	{ VSW_KEY_ATTR_IPV6_DST_MASK, VSW_KEY_ATTR_IPV6_DST,
	  VSW_NL_MSG("match: IPV6_DST_MASK needs IPV6_DST") },
};

/* OpenFlow prerequisites: field -> the ETH_TYPE it needs (0: IPv4 or v6) */
static const struct {
	u16 attr;
	u16 eth_type;
	const char *msg;
} vsw_nl_l3_deps[] = {
	{ VSW_KEY_ATTR_IPV4_SRC, ETH_P_IP,
	  VSW_NL_MSG("match: IPV4_SRC needs ETH_TYPE 0x0800") },
	{ VSW_KEY_ATTR_IPV4_DST, ETH_P_IP,
	  VSW_NL_MSG("match: IPV4_DST needs ETH_TYPE 0x0800") },
	{ VSW_KEY_ATTR_IPV6_SRC, ETH_P_IPV6,
	  VSW_NL_MSG("match: IPV6_SRC needs ETH_TYPE 0x86dd") },
	{ VSW_KEY_ATTR_IPV6_DST, ETH_P_IPV6,
	  VSW_NL_MSG("match: IPV6_DST needs ETH_TYPE 0x86dd") },
	{ VSW_KEY_ATTR_IP_PROTO, 0,
	  VSW_NL_MSG("match: IP_PROTO needs ETH_TYPE 0x0800 or 0x86dd") },
	{ VSW_KEY_ATTR_IP_TOS, 0,
	  VSW_NL_MSG("match: IP_TOS needs ETH_TYPE 0x0800 or 0x86dd") },
	{ VSW_KEY_ATTR_ARP_OP, ETH_P_ARP,
	  VSW_NL_MSG("match: ARP_OP needs ETH_TYPE 0x0806") },
};

/*
 * Parse a %VSW_RULE_ATTR_MATCH nest (NULL: match everything) into @match,
 * pre-masked. @sw, if not NULL, is the switch an IN_PORT must belong to.
 */
int vsw_nl_parse_match(struct net *net, const struct vsw *sw,
		       const struct nlattr *nest,
		       struct vsw_match *match,
		       struct netlink_ext_ack *extack)
{
	struct vsw_key *k = &match->key, *m = &match->mask;
	struct nlattr *tb[VSW_KEY_ATTR_MAX + 1];
	u64 *kw = (u64 *)k, *mw = (u64 *)m;
	u16 tci = 0, tci_m = 0, etype = 0;
	unsigned int i;
	int err;

	memset(match, 0, sizeof(*match));
	if (!nest)
		return 0;
	err = nla_parse_nested(tb, VSW_KEY_ATTR_MAX, nest, vsw_nl_key_policy,
			       extack);
	if (err)
		return err;

	for (i = 0; i < ARRAY_SIZE(vsw_nl_mask_deps); i++) {
		const struct vsw_nl_dep *d = &vsw_nl_mask_deps[i];

		if (tb[d->attr] && !tb[d->need]) {
			vsw_nl_err_attr(extack, tb[d->attr], d->msg);
			return -EINVAL;
		}
	}
	if (tb[VSW_KEY_ATTR_ETH_TYPE])
		etype = nla_get_u16(tb[VSW_KEY_ATTR_ETH_TYPE]);
	for (i = 0; i < ARRAY_SIZE(vsw_nl_l3_deps); i++) {
		const struct nlattr *a = tb[vsw_nl_l3_deps[i].attr];
		u16 need = vsw_nl_l3_deps[i].eth_type;
		bool ok;

		if (!a)
			continue;
		if (!tb[VSW_KEY_ATTR_ETH_TYPE])
			ok = false;
		else if (need)
			ok = etype == need;
		else
			ok = etype == ETH_P_IP || etype == ETH_P_IPV6;
		if (!ok) {
			vsw_nl_err_attr(extack, a, vsw_nl_l3_deps[i].msg);
			return -EINVAL;
		}
	}
	if (tb[VSW_KEY_ATTR_L4_SRC] || tb[VSW_KEY_ATTR_L4_DST]) {
		const struct nlattr *a = tb[VSW_KEY_ATTR_L4_SRC] ?:
					 tb[VSW_KEY_ATTR_L4_DST];
		u8 proto = tb[VSW_KEY_ATTR_IP_PROTO] ?
			   nla_get_u8(tb[VSW_KEY_ATTR_IP_PROTO]) : 0;

		if (proto != IPPROTO_TCP && proto != IPPROTO_UDP &&
		    proto != IPPROTO_SCTP) {
			VSW_NL_ERR_ATTR(extack, a,
					"match: L4 ports need IP_PROTO 6, 17 or 132");
			return -EINVAL;
		}
	}
	if (tb[VSW_KEY_ATTR_VLAN_NONE] && tb[VSW_KEY_ATTR_VLAN_VID]) {
		VSW_NL_ERR_ATTR(extack, tb[VSW_KEY_ATTR_VLAN_NONE],
				"match: VLAN_NONE and VLAN_VID are exclusive");
		return -EINVAL;
	}

	if (tb[VSW_KEY_ATTR_IN_PORT]) {
		if (sw) {
			struct vsw_port *port;

			port = vsw_nl_port_by_index(net, sw,
						    tb[VSW_KEY_ATTR_IN_PORT],
						    extack);
			if (IS_ERR(port))
				return PTR_ERR(port);
		}
		k->in_port = nla_get_u32(tb[VSW_KEY_ATTR_IN_PORT]);
		m->in_port = U32_MAX;
	}
	err = vsw_nl_get_masked(tb, VSW_KEY_ATTR_ETH_SRC,
				VSW_KEY_ATTR_ETH_SRC_MASK, k->eth_src,
				m->eth_src, ETH_ALEN, false, extack);
	if (!err)
		err = vsw_nl_get_masked(tb, VSW_KEY_ATTR_ETH_DST,
					VSW_KEY_ATTR_ETH_DST_MASK, k->eth_dst,
					m->eth_dst, ETH_ALEN, false, extack);
	if (err)
		return err;

	/* VLAN: see the vsw_key encoding in vsw.h */
	if (tb[VSW_KEY_ATTR_VLAN_VID]) {
		tci |= VSW_TCI_PRESENT | nla_get_u16(tb[VSW_KEY_ATTR_VLAN_VID]);
		tci_m |= VSW_TCI_PRESENT | VLAN_VID_MASK;
	}
	if (tb[VSW_KEY_ATTR_VLAN_NONE])
		tci_m |= VLAN_VID_MASK;		/* VID 0, tag or not */
	if (tb[VSW_KEY_ATTR_VLAN_PCP]) {
		/* PCP needs a tag (a priority tag will do) */
		tci |= VSW_TCI_PRESENT |
		       nla_get_u8(tb[VSW_KEY_ATTR_VLAN_PCP]) << VLAN_PRIO_SHIFT;
		tci_m |= VSW_TCI_PRESENT | VLAN_PRIO_MASK;
	}
	k->vlan_tci = htons(tci);
	m->vlan_tci = htons(tci_m);

	if (tb[VSW_KEY_ATTR_ETH_TYPE]) {
		k->eth_type = htons(etype);
		m->eth_type = htons(0xffff);
	}
	if (etype == ETH_P_IP) {
		err = vsw_nl_get_masked(tb, VSW_KEY_ATTR_IPV4_SRC,
					VSW_KEY_ATTR_IPV4_SRC_MASK,
					&k->nw.ipv4.src, &m->nw.ipv4.src,
					sizeof(__be32), true, extack);
		if (!err)
			err = vsw_nl_get_masked(tb, VSW_KEY_ATTR_IPV4_DST,
						VSW_KEY_ATTR_IPV4_DST_MASK,
						&k->nw.ipv4.dst,
						&m->nw.ipv4.dst,
						sizeof(__be32), true, extack);
	} else if (etype == ETH_P_IPV6) {
		err = vsw_nl_get_masked(tb, VSW_KEY_ATTR_IPV6_SRC,
					VSW_KEY_ATTR_IPV6_SRC_MASK,
					&k->nw.ipv6.src, &m->nw.ipv6.src,
					sizeof(struct in6_addr), true, extack);
		if (!err)
			err = vsw_nl_get_masked(tb, VSW_KEY_ATTR_IPV6_DST,
						VSW_KEY_ATTR_IPV6_DST_MASK,
						&k->nw.ipv6.dst,
						&m->nw.ipv6.dst,
						sizeof(struct in6_addr), true,
						extack);
	}
	if (err)
		return err;
	if (tb[VSW_KEY_ATTR_IP_PROTO]) {
		k->ip_proto = nla_get_u8(tb[VSW_KEY_ATTR_IP_PROTO]);
		m->ip_proto = 0xff;
	}
	if (tb[VSW_KEY_ATTR_IP_TOS]) {
		k->ip_tos = nla_get_u8(tb[VSW_KEY_ATTR_IP_TOS]);
		m->ip_tos = 0xff;
	}
	if (tb[VSW_KEY_ATTR_L4_SRC]) {
		k->tp_src = htons(nla_get_u16(tb[VSW_KEY_ATTR_L4_SRC]));
		m->tp_src = htons(0xffff);
	}
	if (tb[VSW_KEY_ATTR_L4_DST]) {
		k->tp_dst = htons(nla_get_u16(tb[VSW_KEY_ATTR_L4_DST]));
		m->tp_dst = htons(0xffff);
	}
	if (tb[VSW_KEY_ATTR_ARP_OP]) {
		/* the opcode is in tp_src (see struct vsw_key) */
		k->tp_src = htons(nla_get_u16(tb[VSW_KEY_ATTR_ARP_OP]));
		m->tp_src = htons(0xffff);
	}

	/* pre-mask the key */
	for (i = 0; i < VSW_KEY_WORDS; i++)
		kw[i] &= mw[i];
	return 0;
}

static bool vsw_nl_action_terminal(u16 type)
{
	return type == VSW_ACTION_ATTR_NORMAL || type == VSW_ACTION_ATTR_DROP ||
	       type == VSW_ACTION_ATTR_FLOOD;
}

/* Parse a %VSW_RULE_ATTR_ACTIONS nest (already validated by the policy). */
int vsw_nl_parse_actions(struct net *net, const struct vsw *sw,
			 const struct nlattr *nest,
			 struct vsw_nl_rule *rule,
			 struct netlink_ext_ack *extack)
{
	const struct nlattr *a;
	bool last = false;
	int rem;

	rule->n_actions = 0;
	nla_for_each_nested(a, nest, rem) {
		struct vsw_action *act = &rule->actions[rule->n_actions];
		u16 type = nla_type(a);

		if (rule->n_actions >= VSW_ACTIONS_MAX) {
			VSW_NL_ERR_ATTR(extack, a,
					"too many actions (at most 32)");
			return -E2BIG;
		}
		if (last) {
			VSW_NL_ERR_ATTR(extack, a,
					"NORMAL, DROP and FLOOD must be the last action");
			return -EINVAL;
		}
		act->type = type;
		act->arg = 0;
		switch (type) {
		case VSW_ACTION_ATTR_OUTPUT: {
			struct vsw_port *port;

			port = vsw_nl_port_by_index(net, sw, a, extack);
			if (IS_ERR(port))
				return PTR_ERR(port);
			act->arg = nla_get_u32(a);
			break;
		}
		case VSW_ACTION_ATTR_SET_VLAN_VID:
			act->arg = nla_get_u16(a);
			break;
		case VSW_ACTION_ATTR_PUSH_VLAN:
			act->arg = nla_get_u16(a);
			if (act->arg != ETH_P_8021Q && act->arg != ETH_P_8021AD) {
				VSW_NL_ERR_ATTR(extack, a,
						"PUSH_VLAN TPID must be 0x8100 or 0x88a8");
				return -EINVAL;
			}
			break;
		case VSW_ACTION_ATTR_NORMAL:
		case VSW_ACTION_ATTR_DROP:
		case VSW_ACTION_ATTR_FLOOD:
		case VSW_ACTION_ATTR_POP_VLAN:
			break;
		default:	/* the policy let nothing else through */
			VSW_NL_ERR_ATTR(extack, a, "unknown action");
			return -EINVAL;
		}
		last = vsw_nl_action_terminal(type);
		rule->n_actions++;
	}
	if (!rule->n_actions) {
		VSW_NL_ERR_ATTR(extack, nest, "a rule needs at least one action");
		return -EINVAL;
	}
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Do handlers                                                            */

int vsw_nl_cache_flush_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vsw *sw;
	int err = 0;

	rtnl_lock();
	sw = vsw_nl_get_switch(genl_info_net(info), info->attrs, info->extack);
	if (IS_ERR(sw))
		err = PTR_ERR(sw);
	else
		vsw_cache_flush(sw);
	rtnl_unlock();
	return err;
}

/* ---------------------------------------------------------------------- */
/* Dumps                                                                  */

/*
 * Dump state, in cb->ctx. Switches are visited in ifindex order, starting
 * at @cur; @pos/@port/@vlan is the position inside switch @cur. Nothing
 * here is a pointer: between two parts of a dump anything can happen
 * (switches deleted and made again with the same ifindex, ports and
 * entries come and go, the netns loses its name), and each part looks
 * everything up again. A switch is identified by ifindex plus sw->id,
 * which tells a switch made again at the same ifindex from the one whose
 * position we hold (@cur_id, @sw_id: their low 32 bits; enough, as they
 * only decide where to resume, never whether something is safe to use).
 */
struct vsw_nl_dump {
	u32 sw_ifindex;		/* filter: only this switch (0: all) */
	u32 sw_id;		/* ... and only this incarnation of it */
	u32 port_ifindex;	/* filter: FDB entries of this port */
	u32 cur;		/* switch being dumped, by ifindex */
	u32 cur_id;		/* ... its id, the one @pos etc. belong to */
	u32 port;		/* port dump: next port ifindex */
	u16 vid;		/* filter: FDB entries of this VLAN */
	u16 vlan;		/* VLAN dump: next VID */
	bool prepared;		/* request parsed (filters above set) */
	struct vsw_walk_pos pos; /* FDB/rule/cache walk position */
};

static struct vsw_nl_dump *vsw_nl_dump_ctx(struct netlink_callback *cb)
{
	BUILD_BUG_ON(sizeof(struct vsw_nl_dump) > sizeof(cb->ctx));
	return (struct vsw_nl_dump *)cb->ctx;
}

static void vsw_nl_dump_reset(struct vsw_nl_dump *d, u32 ifindex, u32 id)
{
	d->cur = ifindex;
	d->cur_id = id;
	d->port = 0;
	d->vlan = 0;
	memset(&d->pos, 0, sizeof(d->pos));
}

/*
 * Next switch to dump, or NULL at the end; the caller holds RTNL or
 * rcu_read_lock(), which keeps it alive. A switch found at the
 * ifindex of the position but made after it (another id) is dumped from
 * its start; a filtered dump whose switch is gone (even if another one
 * took its ifindex) ends. Either way cb->seq changed (vsw_nl_dump_seq()),
 * so the dump is flagged NLM_F_DUMP_INTR.
 */
static struct vsw *vsw_nl_dump_next(struct net *net, struct vsw_nl_dump *d)
{
	struct net_device *dev, *best = NULL;
	struct vsw *sw = NULL;

	rcu_read_lock();
	if (d->sw_ifindex) {
		if (d->cur > d->sw_ifindex)
			goto out;
		best = dev_get_by_index_rcu(net, d->sw_ifindex);
		sw = best ? vsw_from_dev(best) : NULL;
		if (!sw || (u32)sw->id != d->sw_id) {
			sw = NULL;
			goto out;
		}
	} else {
		for_each_netdev_rcu(net, dev) {
			if ((u32)dev->ifindex < d->cur || !netif_is_vsw(dev))
				continue;
			if (!best || dev->ifindex < best->ifindex)
				best = dev;
		}
		if (!best)
			goto out;
		sw = vsw_from_dev(best);
	}
	if ((u32)best->ifindex != d->cur || (u32)sw->id != d->cur_id)
		vsw_nl_dump_reset(d, best->ifindex, sw->id);
out:
	rcu_read_unlock();
	return sw;
}

/* What cb->seq takes from one switch: which switch, and its table's seq. */
static u32 vsw_nl_sw_seq(const struct vsw *sw,
			 u32 (*seq)(const struct vsw *sw))
{
	return jhash_2words(seq ? seq(sw) : 0, (u32)sw->id, sw->id >> 32);
}

/*
 * cb->seq for nl_dump_check_consistent(): the table sequence numbers and
 * ids of the dumped switches (plus the netns device list sequence when
 * all switches are dumped), so that a switch deleted and made again with
 * the same ifindex changes it too, even with the same number of table
 * changes. Never 0, which would disable the check. RTNL or RCU.
 */
static unsigned int vsw_nl_dump_seq(struct net *net,
				    const struct vsw_nl_dump *d,
				    u32 (*seq)(const struct vsw *sw))
{
	struct net_device *dev;
	unsigned int s = 0;
	struct vsw *sw;

	rcu_read_lock();
	if (d->sw_ifindex) {
		dev = dev_get_by_index_rcu(net, d->sw_ifindex);
		sw = dev ? vsw_from_dev(dev) : NULL;
		if (sw && (u32)sw->id == d->sw_id)
			s = vsw_nl_sw_seq(sw, seq);
	} else {
		s = READ_ONCE(net->dev_base_seq);
		for_each_netdev_rcu(net, dev) {
			sw = vsw_from_dev(dev);
			if (sw)
				s += vsw_nl_sw_seq(sw, seq);
		}
	}
	rcu_read_unlock();
	return (s << 1) | 1;
}

/*
 * Dump one switch: 0 when done with it, -EMSGSIZE when the skb is full.
 * @priv: what the dumpit passed to vsw_nl_dump_switches().
 */
typedef int (*vsw_nl_dump_fn)(struct sk_buff *skb, struct netlink_callback *cb,
			      struct vsw *sw, void *priv);

/*
 * Parse the request of a dump (filters) into cb->ctx: the .start of the
 * dump where .start has the request's extack (VSW_NL_DUMP_START_EXTACK),
 * else run by the first .dumpit call, whose errors and extack message end
 * the dump in its NLMSG_DONE.
 */
typedef int (*vsw_nl_prep_fn)(struct netlink_callback *cb);

/* The body of vsw_nl_dump_switches(), under RTNL or rcu_read_lock() */
static int vsw_nl_dump_loop(struct sk_buff *skb, struct netlink_callback *cb,
			    vsw_nl_dump_fn fn, bool check,
			    u32 (*seq)(const struct vsw *sw), void *priv)
{
	struct vsw_nl_dump *d = vsw_nl_dump_ctx(cb);
	struct net *net = sock_net(skb->sk);
	struct vsw *sw;
	int err = 0;

	if (check)
		cb->seq = vsw_nl_dump_seq(net, d, seq);
	while ((sw = vsw_nl_dump_next(net, d))) {
		err = fn(skb, cb, sw, priv);
		if (err)
			break;
		vsw_nl_dump_reset(d, sw->dev->ifindex + 1U, 0);
	}
	return err;
}

/*
 * Run @fn for every switch of the dump, from the saved position on.
 * @seq: how to compute cb->seq (NULL: switch/port list only); @check:
 * whether to check consistency at all; @prep: see vsw_nl_prep_fn.
 *
 * @rtnl: run @fn under RTNL (it reads what only RTNL keeps stable: port
 * lists and backends, switch and port dumps); else under rcu_read_lock()
 * only (the table walks: FDB, rules, cache, VLANs), so that a dump, which
 * anyone may run and slowly read, never holds RTNL. Both keep the switch
 * alive (vsw_dev_free() runs after unregistration and a grace period).
 */
static int vsw_nl_dump_switches(struct sk_buff *skb, struct netlink_callback *cb,
				vsw_nl_dump_fn fn, bool check,
				u32 (*seq)(const struct vsw *sw),
				vsw_nl_prep_fn prep, bool rtnl, void *priv)
{
	struct vsw_nl_dump *d = vsw_nl_dump_ctx(cb);
	int err = 0;

	if (!d->prepared) {
		d->prepared = true;
		if (!VSW_NL_DUMP_START_EXTACK) {
			err = prep(cb);
			if (err)
				return err;
		}
	}

	if (rtnl) {
		rtnl_lock();
		err = vsw_nl_dump_loop(skb, cb, fn, check, seq, priv);
		rtnl_unlock();
	} else {
		rcu_read_lock();
		err = vsw_nl_dump_loop(skb, cb, fn, check, seq, priv);
		rcu_read_unlock();
	}

	/* a full skb ends this part; an object too big for an empty one
	 * ends the dump with an error rather than loop forever
	 */
	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err ?: skb->len;
}

/* Optional switch filter of a dump request: VSW_ATTR_IFINDEX/IFNAME. */
static int vsw_nl_dump_start_switch(struct netlink_callback *cb,
				    struct nlattr **attrs)
{
	struct vsw_nl_dump *d = vsw_nl_dump_ctx(cb);
	struct vsw *sw;

	if (!vsw_nl_has_switch(attrs))
		return 0;
	sw = vsw_nl_get_switch(sock_net(cb->skb->sk), attrs, cb->extack);
	if (IS_ERR(sw))
		return PTR_ERR(sw);
	d->sw_ifindex = sw->dev->ifindex;
	d->sw_id = sw->id;
	return 0;
}

/* .start of the dumps that take only a switch filter */
int vsw_nl_dump_start(struct netlink_callback *cb)
{
	struct nlattr **attrs = vsw_genl_dump_attrs(cb);
	int err;

	rtnl_lock();
	err = vsw_nl_dump_start_switch(cb, attrs);
	rtnl_unlock();
	return err;
}

/* SWITCH_GET */

static int vsw_nl_switch_dump_one(struct sk_buff *skb,
				  struct netlink_callback *cb, struct vsw *sw,
				  void *priv)
{
	return vsw_nl_fill_switch(skb, sw, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, NLM_F_MULTI, cb);
}

int vsw_nl_switch_dumpit(struct sk_buff *skb,
			 struct netlink_callback *cb)
{
	return vsw_nl_dump_switches(skb, cb, vsw_nl_switch_dump_one, true,
				    NULL, vsw_nl_dump_start, true, NULL);
}

/* PORT_GET: ports in ifindex order */

static int vsw_nl_port_dump_one(struct sk_buff *skb,
				struct netlink_callback *cb, struct vsw *sw,
				void *priv)
{
	struct vsw_nl_dump *d = vsw_nl_dump_ctx(cb);
	struct vsw_port *port, *next;
	int err;

	for (;;) {
		next = NULL;
		list_for_each_entry(port, &sw->ports, list) {
			if ((u32)port->dev->ifindex < d->port)
				continue;
			if (!next || port->dev->ifindex < next->dev->ifindex)
				next = port;
		}
		if (!next)
			return 0;
		err = vsw_nl_fill_port(skb, next, NETLINK_CB(cb->skb).portid,
				       cb->nlh->nlmsg_seq, NLM_F_MULTI, cb);
		if (err)
			return err;
		d->port = next->dev->ifindex + 1U;
	}
}

int vsw_nl_port_dump_start(struct netlink_callback *cb)
{
	struct nlattr **attrs = vsw_genl_dump_attrs(cb);
	int err;

	if (attrs[VSW_ATTR_PORT]) {
		VSW_NL_ERR_ATTR(cb->extack, attrs[VSW_ATTR_PORT],
				"a port dump takes no VSW_ATTR_PORT (use a PORT_GET request without NLM_F_DUMP)");
		return -EINVAL;
	}
	rtnl_lock();
	err = vsw_nl_dump_start_switch(cb, attrs);
	rtnl_unlock();
	return err;
}

int vsw_nl_port_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	return vsw_nl_dump_switches(skb, cb, vsw_nl_port_dump_one, true, NULL,
				    vsw_nl_port_dump_start, true, NULL);
}

/* Walk callbacks (FDB, rules, cache) */

struct vsw_nl_walk {
	struct sk_buff *skb;
	struct netlink_callback *cb;
	const struct vsw *sw;
	const struct vsw_nl_dump *d;
	/* cache entries */
	struct vsw_match match;
	struct vsw_action actions[VSW_ACTIONS_MAX];
};

static void *vsw_nl_walk_hdr(struct vsw_nl_walk *w, u8 cmd)
{
	struct netlink_callback *cb = w->cb;
	void *hdr;

	hdr = vsw_nl_put_hdr(w->skb, NETLINK_CB(cb->skb).portid,
			     cb->nlh->nlmsg_seq, NLM_F_MULTI, cmd);
	if (!hdr)
		return NULL;
	genl_dump_check_consistent(cb, hdr);
	if (vsw_nl_put_switch_id(w->skb, w->sw)) {
		genlmsg_cancel(w->skb, hdr);
		return NULL;
	}
	return hdr;
}

/* A table walk dump (FDB, rules, cache), under RCU: see vsw_nl_dump_switches */
static int vsw_nl_walk_dumpit(struct sk_buff *skb, struct netlink_callback *cb,
			      vsw_nl_dump_fn fn, bool check,
			      u32 (*seq)(const struct vsw *sw),
			      vsw_nl_prep_fn prep)
{
	struct vsw_nl_walk *w;
	int err;

	/* before rcu_read_lock(): too big for the stack */
	w = kmalloc(sizeof(*w), GFP_KERNEL);
	if (!w)
		return -ENOMEM;
	w->skb = skb;
	w->cb = cb;
	w->d = vsw_nl_dump_ctx(cb);
	err = vsw_nl_dump_switches(skb, cb, fn, check, seq, prep, false, w);
	kfree(w);
	return err;
}

/* FDB_GET */

static int vsw_nl_fdb_dump_entry(const struct vsw_fdb_entry *e, void *arg)
{
	struct vsw_nl_walk *w = arg;
	const struct vsw_port *port = READ_ONCE(e->port);
	void *hdr;

	if (w->d->vid && e->key.vid != w->d->vid)
		return 0;
	if (w->d->port_ifindex &&
	    (!port || (u32)port->dev->ifindex != w->d->port_ifindex))
		return 0;

	hdr = vsw_nl_walk_hdr(w, VSW_CMD_FDB_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (vsw_nl_put_fdb(w->skb, e)) {
		genlmsg_cancel(w->skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(w->skb, hdr);
	return 0;
}

static int vsw_nl_fdb_dump_one(struct sk_buff *skb,
			       struct netlink_callback *cb, struct vsw *sw,
			       void *priv)
{
	struct vsw_nl_dump *d = vsw_nl_dump_ctx(cb);
	struct vsw_nl_walk *w = priv;

	w->sw = sw;
	return vsw_fdb_walk(sw, &d->pos, vsw_nl_fdb_dump_entry, w);
}

int vsw_nl_fdb_dump_start(struct netlink_callback *cb)
{
	struct nlattr **attrs = vsw_genl_dump_attrs(cb);
	struct vsw_nl_dump *d = vsw_nl_dump_ctx(cb);
	struct nlattr *tb[VSW_FDB_ATTR_MAX + 1] = {};
	struct net *net = sock_net(cb->skb->sk);
	struct vsw_port *port;
	int err;

	if (attrs[VSW_ATTR_FDB]) {
		err = nla_parse_nested(tb, VSW_FDB_ATTR_MAX, attrs[VSW_ATTR_FDB],
				       vsw_nl_fdb_filter_policy, cb->extack);
		if (err)
			return err;
	}
	if (tb[VSW_FDB_ATTR_VID])
		d->vid = nla_get_u16(tb[VSW_FDB_ATTR_VID]);

	rtnl_lock();
	err = vsw_nl_dump_start_switch(cb, attrs);
	if (err || !tb[VSW_FDB_ATTR_PORT_IFINDEX])
		goto out;
	port = vsw_nl_port_by_index(net, NULL, tb[VSW_FDB_ATTR_PORT_IFINDEX],
				    cb->extack);
	if (IS_ERR(port)) {
		err = PTR_ERR(port);
		goto out;
	}
	if (d->sw_ifindex && (u32)port->sw->dev->ifindex != d->sw_ifindex) {
		VSW_NL_ERR_ATTR_FMT(cb->extack, tb[VSW_FDB_ATTR_PORT_IFINDEX],
				    "device is not a port of this switch",
				    "%s is not a port of the switch",
				    port->dev->name);
		err = -EINVAL;
		goto out;
	}
	/* a port filter implies its switch */
	d->sw_ifindex = port->sw->dev->ifindex;
	d->sw_id = port->sw->id;
	d->port_ifindex = port->dev->ifindex;
out:
	rtnl_unlock();
	return err;
}

int vsw_nl_fdb_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	return vsw_nl_walk_dumpit(skb, cb, vsw_nl_fdb_dump_one, true,
				  vsw_fdb_seq, vsw_nl_fdb_dump_start);
}

/* RULE_GET */

static int vsw_nl_rule_dump_entry(const struct vsw_rule *r, void *arg)
{
	struct vsw_nl_walk *w = arg;
	void *hdr;

	hdr = vsw_nl_walk_hdr(w, VSW_CMD_RULE_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (vsw_nl_put_rule(w->skb, r, true)) {
		genlmsg_cancel(w->skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(w->skb, hdr);
	return 0;
}

static int vsw_nl_rule_dump_one(struct sk_buff *skb,
				struct netlink_callback *cb, struct vsw *sw,
				void *priv)
{
	struct vsw_nl_dump *d = vsw_nl_dump_ctx(cb);
	struct vsw_nl_walk *w = priv;

	w->sw = sw;
	return vsw_rule_walk(sw, &d->pos, vsw_nl_rule_dump_entry, w);
}

int vsw_nl_rule_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	return vsw_nl_walk_dumpit(skb, cb, vsw_nl_rule_dump_one, true,
				  vsw_rule_seq, vsw_nl_dump_start);
}

/* CACHE_GET */

static int vsw_nl_cache_dump_entry(const struct vsw_cache_entry *e, void *arg)
{
	struct vsw_nl_walk *w = arg;
	struct sk_buff *skb = w->skb;
	unsigned int n_actions;
	unsigned long used;
	struct nlattr *nest;
	u64 packets, bytes;
	void *hdr;

	n_actions = vsw_cache_entry_info(e, &w->match, w->actions,
					 VSW_ACTIONS_MAX, &packets, &bytes,
					 &used);
	hdr = vsw_nl_walk_hdr(w, VSW_CMD_CACHE_GET);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(skb, VSW_ATTR_CACHE);
	if (!nest ||
	    vsw_nl_put_match(skb, VSW_CACHE_ATTR_MATCH, &w->match, true) ||
	    vsw_nl_put_actions(skb, VSW_CACHE_ATTR_ACTIONS, w->actions,
			       n_actions) ||
	    nla_put_u64_64bit(skb, VSW_CACHE_ATTR_PACKETS, packets,
			      VSW_CACHE_ATTR_PAD) ||
	    nla_put_u64_64bit(skb, VSW_CACHE_ATTR_BYTES, bytes,
			      VSW_CACHE_ATTR_PAD) ||
	    nla_put_u64_64bit(skb, VSW_CACHE_ATTR_USED,
			      vsw_nl_msecs_since(used), VSW_CACHE_ATTR_PAD)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
}

static int vsw_nl_cache_dump_one(struct sk_buff *skb,
				 struct netlink_callback *cb, struct vsw *sw,
				 void *priv)
{
	struct vsw_nl_dump *d = vsw_nl_dump_ctx(cb);
	struct vsw_nl_walk *w = priv;

	w->sw = sw;
	return vsw_cache_walk(sw, &d->pos, vsw_nl_cache_dump_entry, w);
}

int vsw_nl_cache_dumpit(struct sk_buff *skb,
			struct netlink_callback *cb)
{
	/* the cache changes all the time: no consistency check */
	return vsw_nl_walk_dumpit(skb, cb, vsw_nl_cache_dump_one, false,
				  NULL, vsw_nl_dump_start);
}

/* VLAN_GET: VLANs with non-zero counters */

static int vsw_nl_vlan_dump_one(struct sk_buff *skb,
				struct netlink_callback *cb, struct vsw *sw,
				void *priv)
{
	struct vsw_nl_dump *d = vsw_nl_dump_ctx(cb);
	struct vsw_port_stats st = {};
	struct vsw_vlan_counters c;
	struct nlattr *nest;
	void *hdr;

	if (!d->vlan)
		d->vlan = 1;
	for (; d->vlan <= VSW_VID_MAX; d->vlan++) {
		vsw_vlan_get_stats(sw, d->vlan, &c);
		if (!c.rx_packets && !c.rx_bytes && !c.tx_packets &&
		    !c.tx_bytes)
			continue;
		st.rx_packets = c.rx_packets;
		st.rx_bytes = c.rx_bytes;
		st.tx_packets = c.tx_packets;
		st.tx_bytes = c.tx_bytes;

		hdr = vsw_nl_put_hdr(skb, NETLINK_CB(cb->skb).portid,
				     cb->nlh->nlmsg_seq, NLM_F_MULTI,
				     VSW_CMD_VLAN_GET);
		if (!hdr)
			return -EMSGSIZE;
		if (vsw_nl_put_switch_id(skb, sw))
			goto cancel;
		nest = nla_nest_start(skb, VSW_ATTR_VLAN);
		if (!nest ||
		    nla_put_u16(skb, VSW_VLAN_ATTR_VID, d->vlan) ||
		    vsw_nl_put_stats(skb, VSW_VLAN_ATTR_STATS, &st))
			goto cancel;
		nla_nest_end(skb, nest);
		genlmsg_end(skb, hdr);
	}
	return 0;

cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

int vsw_nl_vlan_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	/* RCU: the per-CPU counters of 4094 VLANs are summed here */
	return vsw_nl_dump_switches(skb, cb, vsw_nl_vlan_dump_one, false, NULL,
				    vsw_nl_dump_start, false, NULL);
}
