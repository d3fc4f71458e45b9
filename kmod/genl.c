// SPDX-License-Identifier: GPL-2.0
/*
 * vsw - the "vsw" generic netlink family (control plane): its policies,
 * the lookup of the switches and ports a request names, the helpers every
 * message shares, the ops table, events and registration. The commands are
 * in nl_switch.c, nl_port.c, nl_fdb.c, nl_rule.c and nl_cache.c, the match
 * and action codecs in nl_match.c, the dumps in nl_dump.c.
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

/* Index of the "events" group in vsw_nl_mcgrps[]. */
#define VSW_NL_MCGRP_EVENTS	0

/* Cleared (and an RCU grace period waited for) before the family goes. */
static bool vsw_nl_registered;

/* ---------------------------------------------------------------------- */
/* Policies                                                               */

static struct netlink_range_validation vsw_nl_ageing_range = {
	.max = VSW_AGEING_MAX,
};

static struct netlink_range_validation vsw_nl_storm_range = {
	.max = VSW_STORM_PPS_MAX,
};

static struct netlink_range_validation vsw_nl_cache_size_range = {
	.min = 1,
	.max = VSW_CACHE_SIZE_MAX,
};

#define VSW_NL_IFINDEX_POLICY	NLA_POLICY_MIN(NLA_U32, 1)
#define VSW_NL_IFNAME_POLICY	{ .type = NLA_STRING, .len = IFNAMSIZ - 1 }
#define VSW_NL_VID_POLICY	NLA_POLICY_RANGE(NLA_U16, 1, VSW_VID_MAX)
#define VSW_NL_BOOL_POLICY	NLA_POLICY_MAX(NLA_U8, 1)
#define VSW_NL_BITMAP_POLICY	NLA_POLICY_EXACT_LEN(VSW_VLAN_BITMAP_LEN)
#define VSW_NL_RO(msg)		{ .type = NLA_REJECT, .reject_message = VSW_NL_MSG(msg) }

/* A port named in a %VSW_ATTR_PORT nest (PORT_GET). */
const struct nla_policy vsw_nl_port_id_policy[VSW_PORT_ATTR_MAX + 1] = {
	[VSW_PORT_ATTR_IFINDEX]		= VSW_NL_IFINDEX_POLICY,
	[VSW_PORT_ATTR_IFNAME]		= VSW_NL_IFNAME_POLICY,
};

/* PORT_SET: a port and the configuration attributes to change. */
const struct nla_policy vsw_nl_port_set_policy[VSW_PORT_ATTR_MAX + 1] = {
	[VSW_PORT_ATTR_IFINDEX]		= VSW_NL_IFINDEX_POLICY,
	[VSW_PORT_ATTR_IFNAME]		= VSW_NL_IFNAME_POLICY,
	[VSW_PORT_ATTR_MODE]		= NLA_POLICY_MAX(NLA_U8, __VSW_VLAN_MODE_MAX - 1),
	[VSW_PORT_ATTR_TAG]		= VSW_NL_VID_POLICY,
	[VSW_PORT_ATTR_TRUNKS]		= VSW_NL_BITMAP_POLICY,
	[VSW_PORT_ATTR_CVLANS]		= VSW_NL_BITMAP_POLICY,
	[VSW_PORT_ATTR_LEARNING]	= VSW_NL_BOOL_POLICY,
	[VSW_PORT_ATTR_FLOOD_UCAST]	= VSW_NL_BOOL_POLICY,
	[VSW_PORT_ATTR_FLOOD_BCAST]	= VSW_NL_BOOL_POLICY,
	[VSW_PORT_ATTR_FLOOD_MCAST]	= VSW_NL_BOOL_POLICY,
	[VSW_PORT_ATTR_ISOLATED]	= VSW_NL_BOOL_POLICY,
	[VSW_PORT_ATTR_MAX_MACS]	= { .type = NLA_U32 },
	[VSW_PORT_ATTR_MAC_COUNT]	= VSW_NL_RO("VSW_PORT_ATTR_MAC_COUNT is read-only"),
	[VSW_PORT_ATTR_OPER_UP]		= VSW_NL_RO("VSW_PORT_ATTR_OPER_UP is read-only"),
	[VSW_PORT_ATTR_STATS]		= VSW_NL_RO("VSW_PORT_ATTR_STATS is read-only"),
	[VSW_PORT_ATTR_INTERNAL]	= VSW_NL_RO("VSW_PORT_ATTR_INTERNAL is read-only"),
	[VSW_PORT_ATTR_BACKEND]		= VSW_NL_RO("VSW_PORT_ATTR_BACKEND is read-only"),
	[VSW_PORT_ATTR_PRIORITY_TAGS]	= NLA_POLICY_MAX(NLA_U8, __VSW_PRIORITY_TAGS_MAX - 1),
	[VSW_PORT_ATTR_QINQ_ETHTYPE]	= { .type = NLA_U16 },
	[VSW_PORT_ATTR_SAMPLE_RATE]	= { .type = NLA_U32 },
	[VSW_PORT_ATTR_SAMPLE_GROUP]	= { .type = NLA_U32 },
	[VSW_PORT_ATTR_STORM_BCAST]	= NLA_POLICY_FULL_RANGE(NLA_U32, &vsw_nl_storm_range),
	[VSW_PORT_ATTR_STORM_MCAST]	= NLA_POLICY_FULL_RANGE(NLA_U32, &vsw_nl_storm_range),
	[VSW_PORT_ATTR_STORM_UNKNOWN]	= NLA_POLICY_FULL_RANGE(NLA_U32, &vsw_nl_storm_range),
};

/* FDB_NEW */
const struct nla_policy vsw_nl_fdb_new_policy[VSW_FDB_ATTR_MAX + 1] = {
	[VSW_FDB_ATTR_MAC]		= NLA_POLICY_ETH_ADDR,
	[VSW_FDB_ATTR_VID]		= VSW_NL_VID_POLICY,
	[VSW_FDB_ATTR_PORT_IFINDEX]	= VSW_NL_IFINDEX_POLICY,
	[VSW_FDB_ATTR_PORT_IFNAME]	= VSW_NL_RO("VSW_FDB_ATTR_PORT_IFNAME is read-only"),
	[VSW_FDB_ATTR_FLAGS]		= NLA_POLICY_MASK(NLA_U32, VSW_FDB_F_STATIC),
	[VSW_FDB_ATTR_AGE]		= VSW_NL_RO("VSW_FDB_ATTR_AGE is read-only"),
};

/* FDB_DEL */
const struct nla_policy vsw_nl_fdb_del_policy[VSW_FDB_ATTR_MAX + 1] = {
	[VSW_FDB_ATTR_MAC]		= NLA_POLICY_ETH_ADDR,
	[VSW_FDB_ATTR_VID]		= VSW_NL_VID_POLICY,
};

/* FDB_GET (dump) and FDB_FLUSH filters */
const struct nla_policy vsw_nl_fdb_filter_policy[VSW_FDB_ATTR_MAX + 1] = {
	[VSW_FDB_ATTR_VID]		= VSW_NL_VID_POLICY,
	[VSW_FDB_ATTR_PORT_IFINDEX]	= VSW_NL_IFINDEX_POLICY,
};

const struct nla_policy vsw_nl_key_policy[VSW_KEY_ATTR_MAX + 1] = {
	[VSW_KEY_ATTR_IN_PORT]		= VSW_NL_IFINDEX_POLICY,
	[VSW_KEY_ATTR_ETH_SRC]		= NLA_POLICY_ETH_ADDR,
	[VSW_KEY_ATTR_ETH_SRC_MASK]	= NLA_POLICY_ETH_ADDR,
	[VSW_KEY_ATTR_ETH_DST]		= NLA_POLICY_ETH_ADDR,
	[VSW_KEY_ATTR_ETH_DST_MASK]	= NLA_POLICY_ETH_ADDR,
	[VSW_KEY_ATTR_VLAN_VID]		= VSW_NL_VID_POLICY,
	[VSW_KEY_ATTR_VLAN_NONE]	= { .type = NLA_FLAG },
	[VSW_KEY_ATTR_VLAN_PCP]		= NLA_POLICY_MAX(NLA_U8, 7),
	[VSW_KEY_ATTR_ETH_TYPE]		= { .type = NLA_U16 },
	[VSW_KEY_ATTR_IPV4_SRC]		= NLA_POLICY_EXACT_LEN(sizeof(__be32)),
	[VSW_KEY_ATTR_IPV4_SRC_MASK]	= NLA_POLICY_EXACT_LEN(sizeof(__be32)),
	[VSW_KEY_ATTR_IPV4_DST]		= NLA_POLICY_EXACT_LEN(sizeof(__be32)),
	[VSW_KEY_ATTR_IPV4_DST_MASK]	= NLA_POLICY_EXACT_LEN(sizeof(__be32)),
	[VSW_KEY_ATTR_IPV6_SRC]		= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[VSW_KEY_ATTR_IPV6_SRC_MASK]	= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[VSW_KEY_ATTR_IPV6_DST]		= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[VSW_KEY_ATTR_IPV6_DST_MASK]	= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[VSW_KEY_ATTR_IP_PROTO]		= { .type = NLA_U8 },
	[VSW_KEY_ATTR_IP_TOS]		= { .type = NLA_U8 },
	[VSW_KEY_ATTR_L4_SRC]		= { .type = NLA_U16 },
	[VSW_KEY_ATTR_L4_DST]		= { .type = NLA_U16 },
	[VSW_KEY_ATTR_ARP_OP]		= { .type = NLA_U16 },
	[VSW_KEY_ATTR_ETH_TYPE_MASK]	= VSW_NL_RO("ETH_TYPE_MASK is for cache dumps only"),
	[VSW_KEY_ATTR_VLAN_VID_MASK]	= VSW_NL_RO("VLAN_VID_MASK is for cache dumps only"),
};

static const struct nla_policy vsw_nl_action_policy[VSW_ACTION_ATTR_MAX + 1] = {
	[VSW_ACTION_ATTR_NORMAL]	= { .type = NLA_FLAG },
	[VSW_ACTION_ATTR_DROP]		= { .type = NLA_FLAG },
	[VSW_ACTION_ATTR_FLOOD]		= { .type = NLA_FLAG },
	[VSW_ACTION_ATTR_OUTPUT]	= VSW_NL_IFINDEX_POLICY,
	[VSW_ACTION_ATTR_SET_VLAN_VID]	= VSW_NL_VID_POLICY,
	[VSW_ACTION_ATTR_POP_VLAN]	= { .type = NLA_FLAG },
	[VSW_ACTION_ATTR_PUSH_VLAN]	= { .type = NLA_U16 },
};

/* RULE_NEW */
const struct nla_policy vsw_nl_rule_new_policy[VSW_RULE_ATTR_MAX + 1] = {
	[VSW_RULE_ATTR_PRIORITY]	= { .type = NLA_U16 },
	[VSW_RULE_ATTR_MATCH]		= NLA_POLICY_NESTED(vsw_nl_key_policy),
	[VSW_RULE_ATTR_ACTIONS]		= NLA_POLICY_NESTED(vsw_nl_action_policy),
	[VSW_RULE_ATTR_PACKETS]		= VSW_NL_RO("VSW_RULE_ATTR_PACKETS is read-only"),
	[VSW_RULE_ATTR_BYTES]		= VSW_NL_RO("VSW_RULE_ATTR_BYTES is read-only"),
	[VSW_RULE_ATTR_USED]		= VSW_NL_RO("VSW_RULE_ATTR_USED is read-only"),
};

/* RULE_DEL: a rule is named by its priority and match only. */
const struct nla_policy vsw_nl_rule_del_policy[VSW_RULE_ATTR_MAX + 1] = {
	[VSW_RULE_ATTR_PRIORITY]	= { .type = NLA_U16 },
	[VSW_RULE_ATTR_MATCH]		= NLA_POLICY_NESTED(vsw_nl_key_policy),
};

/* Top level, per command. Every table has VSW_ATTR_MAX + 1 entries, so any
 * attribute a command does not take is rejected as unsupported.
 */
#define VSW_NL_SWITCH_ID					\
	[VSW_ATTR_IFINDEX]	= VSW_NL_IFINDEX_POLICY,	\
	[VSW_ATTR_IFNAME]	= VSW_NL_IFNAME_POLICY

/* SWITCH_GET, RULE_GET, RULE_FLUSH, CACHE_GET, CACHE_FLUSH, VLAN_GET */
static const struct nla_policy vsw_nl_switch_policy[VSW_ATTR_MAX + 1] = {
	VSW_NL_SWITCH_ID,
};

static const struct nla_policy vsw_nl_switch_set_policy[VSW_ATTR_MAX + 1] = {
	VSW_NL_SWITCH_ID,
	[VSW_ATTR_AGEING]	= NLA_POLICY_FULL_RANGE(NLA_U32, &vsw_nl_ageing_range),
	[VSW_ATTR_MAX_MACS]	= { .type = NLA_U32 },
	[VSW_ATTR_CACHE_SIZE]	= NLA_POLICY_FULL_RANGE(NLA_U32, &vsw_nl_cache_size_range),
	[VSW_ATTR_DEFAULT_PORT]	= NLA_POLICY_NESTED(vsw_nl_port_set_policy),
};

static const struct nla_policy vsw_nl_port_get_policy[VSW_ATTR_MAX + 1] = {
	VSW_NL_SWITCH_ID,
	[VSW_ATTR_PORT]		= NLA_POLICY_NESTED(vsw_nl_port_id_policy),
};

static const struct nla_policy vsw_nl_port_set_top_policy[VSW_ATTR_MAX + 1] = {
	VSW_NL_SWITCH_ID,
	[VSW_ATTR_PORT]		= NLA_POLICY_NESTED(vsw_nl_port_set_policy),
};

static const struct nla_policy vsw_nl_fdb_filter_top_policy[VSW_ATTR_MAX + 1] = {
	VSW_NL_SWITCH_ID,
	[VSW_ATTR_FDB]		= NLA_POLICY_NESTED(vsw_nl_fdb_filter_policy),
};

static const struct nla_policy vsw_nl_fdb_new_top_policy[VSW_ATTR_MAX + 1] = {
	VSW_NL_SWITCH_ID,
	[VSW_ATTR_FDB]		= NLA_POLICY_NESTED(vsw_nl_fdb_new_policy),
};

static const struct nla_policy vsw_nl_fdb_del_top_policy[VSW_ATTR_MAX + 1] = {
	VSW_NL_SWITCH_ID,
	[VSW_ATTR_FDB]		= NLA_POLICY_NESTED(vsw_nl_fdb_del_policy),
};

static const struct nla_policy vsw_nl_rule_new_top_policy[VSW_ATTR_MAX + 1] = {
	VSW_NL_SWITCH_ID,
	[VSW_ATTR_RULE]		= NLA_POLICY_NESTED(vsw_nl_rule_new_policy),
};

static const struct nla_policy vsw_nl_rule_del_top_policy[VSW_ATTR_MAX + 1] = {
	VSW_NL_SWITCH_ID,
	[VSW_ATTR_RULE]		= NLA_POLICY_NESTED(vsw_nl_rule_del_policy),
};

/* ---------------------------------------------------------------------- */
/* Looking up switches and ports (RTNL)                                   */

static struct net_device *vsw_nl_get_dev(struct net *net,
					 const struct nlattr *idx_attr,
					 const struct nlattr *name_attr,
					 const struct nlattr *nest,
					 int idx_type, const char *what,
					 struct netlink_ext_ack *extack)
{
	struct net_device *dev;
	char name[IFNAMSIZ];

	if (idx_attr) {
		u32 ifindex = nla_get_u32(idx_attr);

		dev = ifindex <= INT_MAX ? __dev_get_by_index(net, ifindex) :
					   NULL;
		if (!dev) {
			VSW_NL_ERR_ATTR_FMT(extack, idx_attr,
					    "no such device (bad ifindex)",
					    "no such device: ifindex %u", ifindex);
			return ERR_PTR(-ENODEV);
		}
		if (name_attr && nla_strcmp(name_attr, dev->name)) {
			VSW_NL_ERR_ATTR(extack, name_attr,
					"ifindex and ifname name different devices");
			return ERR_PTR(-EINVAL);
		}
		return dev;
	}
	if (name_attr) {
		nla_strscpy(name, name_attr, sizeof(name));
		dev = __dev_get_by_name(net, name);
		if (!dev) {
			VSW_NL_ERR_ATTR_FMT(extack, name_attr,
					    "no such device (bad ifname)",
					    "no such device: %s", name);
			return ERR_PTR(-ENODEV);
		}
		return dev;
	}
	VSW_NL_ERR_FMT(extack, "device not specified (ifindex or ifname)",
		       "%s not specified (ifindex or ifname)", what);
	NL_SET_ERR_ATTR_MISS(extack, nest, idx_type);
	return ERR_PTR(-EINVAL);
}

/* The switch named by VSW_ATTR_IFINDEX / VSW_ATTR_IFNAME of @attrs. */
struct vsw *vsw_nl_get_switch(struct net *net, struct nlattr **attrs,
			      struct netlink_ext_ack *extack)
{
	struct net_device *dev;
	struct vsw *sw;

	dev = vsw_nl_get_dev(net, attrs[VSW_ATTR_IFINDEX],
			     attrs[VSW_ATTR_IFNAME], NULL, VSW_ATTR_IFINDEX,
			     "switch", extack);
	if (IS_ERR(dev))
		return ERR_CAST(dev);
	sw = vsw_from_dev(dev);
	if (!sw) {
		VSW_NL_ERR_ATTR_FMT(extack, attrs[VSW_ATTR_IFINDEX] ?:
				    attrs[VSW_ATTR_IFNAME],
				    "device is not a vsw switch",
				    "%s is not a vsw switch", dev->name);
		return ERR_PTR(-EINVAL);
	}
	return sw;
}

bool vsw_nl_has_switch(struct nlattr **attrs)
{
	return attrs[VSW_ATTR_IFINDEX] || attrs[VSW_ATTR_IFNAME];
}

/*
 * The port for device @dev, which must be a port of @sw if @sw is not NULL.
 * @attr is the attribute that named it (for the extack).
 */
static struct vsw_port *vsw_nl_dev_port(struct net_device *dev,
					const struct vsw *sw,
					const struct nlattr *attr,
					struct netlink_ext_ack *extack)
{
	struct vsw_port *port = vsw_port_from_dev(dev);

	if (!port) {
		VSW_NL_ERR_ATTR_FMT(extack, attr, "device is not a vsw port",
				    "%s is not a vsw port", dev->name);
		return ERR_PTR(-EINVAL);
	}
	if (sw && port->sw != sw) {
		VSW_NL_ERR_ATTR_FMT(extack, attr,
				    "device is not a port of this switch",
				    "%s is not a port of %s", dev->name,
				    sw->dev->name);
		return ERR_PTR(-EINVAL);
	}
	return port;
}

/* A port by ifindex (FDB, actions, in_port): must be a port of @sw. */
struct vsw_port *vsw_nl_port_by_index(struct net *net,
				      const struct vsw *sw,
				      const struct nlattr *attr,
				      struct netlink_ext_ack *extack)
{
	struct net_device *dev;

	dev = vsw_nl_get_dev(net, attr, NULL, NULL, 0, "port", extack);
	if (IS_ERR(dev))
		return ERR_CAST(dev);
	return vsw_nl_dev_port(dev, sw, attr, extack);
}

/* The port named in a %VSW_ATTR_PORT nest already parsed into @tb. */
struct vsw_port *vsw_nl_get_port(struct net *net, const struct vsw *sw,
				 struct nlattr **tb,
				 const struct nlattr *nest,
				 struct netlink_ext_ack *extack)
{
	struct net_device *dev;

	dev = vsw_nl_get_dev(net, tb[VSW_PORT_ATTR_IFINDEX],
			     tb[VSW_PORT_ATTR_IFNAME], nest,
			     VSW_PORT_ATTR_IFINDEX, "port", extack);
	if (IS_ERR(dev))
		return ERR_CAST(dev);
	return vsw_nl_dev_port(dev, sw, tb[VSW_PORT_ATTR_IFINDEX] ?:
			       tb[VSW_PORT_ATTR_IFNAME], extack);
}

/* Like VSW_NL_ERR_ATTR() for a message that is not a literal. */
void vsw_nl_err_attr(struct netlink_ext_ack *extack,
		     const struct nlattr *attr, const char *msg)
{
	if (!extack)
		return;
	NL_SET_BAD_ATTR(extack, attr);
	extack->_msg = msg;	/* static storage */
}

/* Attribute @type of @tb (in @nest, NULL: top level) must be present. */
int vsw_nl_require(struct netlink_ext_ack *extack,
		   const struct nlattr *nest, struct nlattr **tb,
		   int type, const char *msg)
{
	if (tb[type])
		return 0;
	if (extack)
		extack->_msg = msg;	/* static storage */
	NL_SET_ERR_ATTR_MISS(extack, nest, type);
	return -EINVAL;
}

/* ---------------------------------------------------------------------- */
/* Filling messages                                                       */

u64 vsw_nl_msecs_since(unsigned long when)
{
	return jiffies64_to_msecs((u64)(jiffies - when));
}

void *vsw_nl_put_hdr(struct sk_buff *skb, u32 portid, u32 seq,
		     int flags, u8 cmd)
{
	return genlmsg_put(skb, portid, seq, &vsw_genl_family, flags, cmd);
}

int vsw_nl_put_switch_id(struct sk_buff *skb, const struct vsw *sw)
{
	if (nla_put_u32(skb, VSW_ATTR_IFINDEX, sw->dev->ifindex) ||
	    nla_put_string(skb, VSW_ATTR_IFNAME, sw->dev->name))
		return -EMSGSIZE;
	return 0;
}

int vsw_nl_put_stats(struct sk_buff *skb, int type,
		     const struct vsw_port_stats *st)
{
	struct nlattr *nest, *reasons;
	int i;

	nest = nla_nest_start(skb, type);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, VSW_STATS_RX_PACKETS, st->rx_packets,
			      VSW_STATS_PAD) ||
	    nla_put_u64_64bit(skb, VSW_STATS_RX_BYTES, st->rx_bytes,
			      VSW_STATS_PAD) ||
	    nla_put_u64_64bit(skb, VSW_STATS_TX_PACKETS, st->tx_packets,
			      VSW_STATS_PAD) ||
	    nla_put_u64_64bit(skb, VSW_STATS_TX_BYTES, st->tx_bytes,
			      VSW_STATS_PAD) ||
	    nla_put_u64_64bit(skb, VSW_STATS_DROPS, st->drops, VSW_STATS_PAD))
		goto cancel;

	reasons = nla_nest_start(skb, VSW_STATS_DROP_REASONS);
	if (!reasons)
		goto cancel;
	for (i = VSW_DROP_UNSPEC + 1; i < __VSW_DROP_MAX; i++) {
		if (!st->drop[i])
			continue;
		/* The reasons nest has no pad type; 0 (unused) pads. */
		if (nla_put_u64_64bit(skb, i, st->drop[i], VSW_DROP_UNSPEC))
			goto cancel;
	}
	nla_nest_end(skb, reasons);
	nla_nest_end(skb, nest);
	return 0;

cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/* ---------------------------------------------------------------------- */
/* Family                                                                 */

#define VSW_NL_DUMP_START(prep)	(VSW_NL_DUMP_START_EXTACK ? (prep) : NULL)

static const struct genl_ops vsw_genl_ops[] = {
	{
		.cmd = VSW_CMD_SWITCH_GET,
		.doit = vsw_nl_switch_get_doit,
		.start = VSW_NL_DUMP_START(vsw_nl_dump_start),
		.dumpit = vsw_nl_switch_dumpit,
		.policy = vsw_nl_switch_policy,
		.maxattr = VSW_ATTR_MAX,
	},
	{
		.cmd = VSW_CMD_SWITCH_SET,
		.doit = vsw_nl_switch_set_doit,
		.policy = vsw_nl_switch_set_policy,
		.maxattr = VSW_ATTR_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = VSW_CMD_PORT_GET,
		.doit = vsw_nl_port_get_doit,
		.start = VSW_NL_DUMP_START(vsw_nl_port_dump_start),
		.dumpit = vsw_nl_port_dumpit,
		.policy = vsw_nl_port_get_policy,
		.maxattr = VSW_ATTR_MAX,
	},
	{
		.cmd = VSW_CMD_PORT_SET,
		.doit = vsw_nl_port_set_doit,
		.policy = vsw_nl_port_set_top_policy,
		.maxattr = VSW_ATTR_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = VSW_CMD_FDB_GET,
		.start = VSW_NL_DUMP_START(vsw_nl_fdb_dump_start),
		.dumpit = vsw_nl_fdb_dumpit,
		.policy = vsw_nl_fdb_filter_top_policy,
		.maxattr = VSW_ATTR_MAX,
	},
	{
		.cmd = VSW_CMD_FDB_NEW,
		.doit = vsw_nl_fdb_new_doit,
		.policy = vsw_nl_fdb_new_top_policy,
		.maxattr = VSW_ATTR_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = VSW_CMD_FDB_DEL,
		.doit = vsw_nl_fdb_del_doit,
		.policy = vsw_nl_fdb_del_top_policy,
		.maxattr = VSW_ATTR_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = VSW_CMD_FDB_FLUSH,
		.doit = vsw_nl_fdb_flush_doit,
		.policy = vsw_nl_fdb_filter_top_policy,
		.maxattr = VSW_ATTR_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = VSW_CMD_RULE_GET,
		.start = VSW_NL_DUMP_START(vsw_nl_dump_start),
		.dumpit = vsw_nl_rule_dumpit,
		.policy = vsw_nl_switch_policy,
		.maxattr = VSW_ATTR_MAX,
	},
	{
		.cmd = VSW_CMD_RULE_NEW,
		.doit = vsw_nl_rule_new_doit,
		.policy = vsw_nl_rule_new_top_policy,
		.maxattr = VSW_ATTR_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = VSW_CMD_RULE_DEL,
		.doit = vsw_nl_rule_del_doit,
		.policy = vsw_nl_rule_del_top_policy,
		.maxattr = VSW_ATTR_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = VSW_CMD_RULE_FLUSH,
		.doit = vsw_nl_rule_flush_doit,
		.policy = vsw_nl_switch_policy,
		.maxattr = VSW_ATTR_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = VSW_CMD_CACHE_GET,
		.start = VSW_NL_DUMP_START(vsw_nl_dump_start),
		.dumpit = vsw_nl_cache_dumpit,
		.policy = vsw_nl_switch_policy,
		.maxattr = VSW_ATTR_MAX,
	},
	{
		.cmd = VSW_CMD_CACHE_FLUSH,
		.doit = vsw_nl_cache_flush_doit,
		.policy = vsw_nl_switch_policy,
		.maxattr = VSW_ATTR_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = VSW_CMD_VLAN_GET,
		.start = VSW_NL_DUMP_START(vsw_nl_dump_start),
		.dumpit = vsw_nl_vlan_dumpit,
		.policy = vsw_nl_switch_policy,
		.maxattr = VSW_ATTR_MAX,
	},
};

static const struct genl_multicast_group vsw_nl_mcgrps[] = {
	[VSW_NL_MCGRP_EVENTS] = { .name = VSW_GENL_MCGRP_EVENTS },
};

struct genl_family vsw_genl_family __ro_after_init = {
	.name = VSW_GENL_NAME,
	.version = VSW_GENL_VERSION,
	.maxattr = VSW_ATTR_MAX,
	.netnsok = true,
	/* handlers take RTNL themselves; dumps RTNL or RCU, per chunk */
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = vsw_genl_ops,
	.n_ops = ARRAY_SIZE(vsw_genl_ops),
	.mcgrps = vsw_nl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(vsw_nl_mcgrps),
};

/* ---------------------------------------------------------------------- */
/* Events                                                                 */

/*
 * An event could not be built: its listeners get ENOBUFS, as rtnetlink's
 * do (rtnl_set_sk_err()), so that they know to dump the state again.
 */
static void vsw_nl_event_lost(const struct vsw *sw)
{
	genl_set_err(&vsw_genl_family, dev_net(sw->dev), 0,
		     VSW_NL_MCGRP_EVENTS, -ENOBUFS);
}

/*
 * Start an event for @sw, or NULL if nobody listens (or no memory).
 * Caller holds rcu_read_lock().
 */
static struct sk_buff *vsw_nl_event_new(const struct vsw *sw,
					enum vsw_event event, size_t size,
					void **hdr)
{
	struct sk_buff *skb;

	if (!READ_ONCE(vsw_nl_registered) ||
	    !genl_has_listeners(&vsw_genl_family, dev_net(sw->dev),
				VSW_NL_MCGRP_EVENTS))
		return NULL;
	skb = genlmsg_new(size, GFP_ATOMIC);
	if (!skb) {
		vsw_nl_event_lost(sw);
		return NULL;
	}
	*hdr = vsw_nl_put_hdr(skb, 0, 0, 0, VSW_CMD_EVENT);
	if (!*hdr || nla_put_u32(skb, VSW_ATTR_EVENT, event) ||
	    vsw_nl_put_switch_id(skb, sw)) {
		nlmsg_free(skb);
		vsw_nl_event_lost(sw);
		return NULL;
	}
	return skb;
}

static void vsw_nl_event_send(const struct vsw *sw, struct sk_buff *skb,
			      void *hdr)
{
	genlmsg_end(skb, hdr);
	genlmsg_multicast_netns(&vsw_genl_family, dev_net(sw->dev), skb, 0,
				VSW_NL_MCGRP_EVENTS, GFP_ATOMIC);
}

void vsw_nl_notify_fdb(struct vsw *sw, enum vsw_event event,
		       const struct vsw_fdb_entry *e)
{
	struct sk_buff *skb;
	void *hdr;

	rcu_read_lock();
	skb = vsw_nl_event_new(sw, event, NLMSG_DEFAULT_SIZE, &hdr);
	if (!skb)
		goto out;
	if (vsw_nl_put_fdb(skb, e)) {
		nlmsg_free(skb);
		vsw_nl_event_lost(sw);
		goto out;
	}
	vsw_nl_event_send(sw, skb, hdr);
out:
	rcu_read_unlock();
}

void vsw_nl_notify_fdb_flush(struct vsw *sw, const struct vsw_port *port,
			     u16 vid)
{
	struct sk_buff *skb;
	struct nlattr *nest;
	void *hdr;

	rcu_read_lock();
	skb = vsw_nl_event_new(sw, VSW_EVENT_FDB_FLUSHED, NLMSG_DEFAULT_SIZE,
			       &hdr);
	if (!skb)
		goto out;
	if (port || vid) {
		nest = nla_nest_start(skb, VSW_ATTR_FDB);
		if (!nest ||
		    (vid && nla_put_u16(skb, VSW_FDB_ATTR_VID, vid)) ||
		    (port &&
		     (nla_put_u32(skb, VSW_FDB_ATTR_PORT_IFINDEX,
				  port->dev->ifindex) ||
		      nla_put_string(skb, VSW_FDB_ATTR_PORT_IFNAME,
				     port->dev->name)))) {
			nlmsg_free(skb);
			vsw_nl_event_lost(sw);
			goto out;
		}
		nla_nest_end(skb, nest);
	}
	vsw_nl_event_send(sw, skb, hdr);
out:
	rcu_read_unlock();
}

void vsw_nl_notify_port(struct vsw_port *port, enum vsw_event event)
{
	struct sk_buff *skb;
	void *hdr;

	rcu_read_lock();
	skb = vsw_nl_event_new(port->sw, event, NLMSG_GOODSIZE, &hdr);
	if (!skb)
		goto out;
	if (vsw_nl_put_port(skb, port, false)) {
		nlmsg_free(skb);
		vsw_nl_event_lost(port->sw);
		goto out;
	}
	vsw_nl_event_send(port->sw, skb, hdr);
out:
	rcu_read_unlock();
}

void vsw_nl_notify_rule(struct vsw *sw, const struct vsw_rule *rule)
{
	struct sk_buff *skb;
	void *hdr;

	rcu_read_lock();
	skb = vsw_nl_event_new(sw, VSW_EVENT_RULE_CHANGED, NLMSG_DEFAULT_SIZE,
			       &hdr);
	if (!skb)
		goto out;
	/* NULL: the table was flushed */
	if (rule && vsw_nl_put_rule(skb, rule, false)) {
		nlmsg_free(skb);
		vsw_nl_event_lost(sw);
		goto out;
	}
	vsw_nl_event_send(sw, skb, hdr);
out:
	rcu_read_unlock();
}

void vsw_nl_notify_switch(struct vsw *sw)
{
	struct sk_buff *skb;
	void *hdr;

	rcu_read_lock();
	skb = vsw_nl_event_new(sw, VSW_EVENT_SWITCH_CHANGED,
			       NLMSG_DEFAULT_SIZE, &hdr);
	if (!skb)
		goto out;
	if (vsw_nl_put_switch_cfg(skb, sw)) {
		nlmsg_free(skb);
		vsw_nl_event_lost(sw);
		goto out;
	}
	vsw_nl_event_send(sw, skb, hdr);
out:
	rcu_read_unlock();
}

/* ---------------------------------------------------------------------- */

int __init vsw_nl_init(void)
{
	int err;

	err = genl_register_family(&vsw_genl_family);
	if (err)
		return err;
	WRITE_ONCE(vsw_nl_registered, true);
	return 0;
}

void vsw_nl_exit(void)
{
	/* no event may use the family once it is gone */
	WRITE_ONCE(vsw_nl_registered, false);
	synchronize_rcu();
	genl_unregister_family(&vsw_genl_family);
}

MODULE_ALIAS_GENL_FAMILY(VSW_GENL_NAME);
