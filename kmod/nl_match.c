// SPDX-License-Identifier: GPL-2.0
/*
 * vsw - netlink: the match and action codecs. A %VSW_KEY_ATTR_* nest to and
 * from a masked key (struct vsw_match), with the OpenFlow prerequisites and
 * the mask dependencies; a %VSW_ACTION_ATTR_* list to and from struct
 * vsw_action. Used by rules (nl_rule.c) and cache dumps (nl_dump.c).
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
