// SPDX-License-Identifier: GPL-2.0
/*
 * vsw - netlink: ports (PORT_GET, PORT_SET): a port's attributes, its
 * configuration to and from netlink, its backend's counters.
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

/* bit n of byte n / 8, LSB first (the uapi layout), any endianness */
static int vsw_nl_put_vlans(struct sk_buff *skb, int type,
			    const unsigned long *bm)
{
	struct nlattr *nla;
	unsigned int vid;
	u8 *bytes;

	nla = nla_reserve(skb, type, VSW_VLAN_BITMAP_LEN);
	if (!nla)
		return -EMSGSIZE;
	bytes = nla_data(nla);
	memset(bytes, 0, VSW_VLAN_BITMAP_LEN);
	for_each_set_bit(vid, bm, VLAN_N_VID)
		bytes[vid / 8] |= BIT(vid % 8);
	return 0;
}

int vsw_nl_put_port_cfg(struct sk_buff *skb, const struct vsw_port_cfg *cfg)
{
	if (nla_put_u8(skb, VSW_PORT_ATTR_MODE, cfg->mode) ||
	    nla_put_u16(skb, VSW_PORT_ATTR_TAG, cfg->tag) ||
	    vsw_nl_put_vlans(skb, VSW_PORT_ATTR_TRUNKS, cfg->trunks) ||
	    vsw_nl_put_vlans(skb, VSW_PORT_ATTR_CVLANS, cfg->cvlans) ||
	    nla_put_u8(skb, VSW_PORT_ATTR_LEARNING, cfg->learning) ||
	    nla_put_u8(skb, VSW_PORT_ATTR_FLOOD_UCAST, cfg->flood_ucast) ||
	    nla_put_u8(skb, VSW_PORT_ATTR_FLOOD_BCAST, cfg->flood_bcast) ||
	    nla_put_u8(skb, VSW_PORT_ATTR_FLOOD_MCAST, cfg->flood_mcast) ||
	    nla_put_u8(skb, VSW_PORT_ATTR_ISOLATED, cfg->isolated) ||
	    nla_put_u32(skb, VSW_PORT_ATTR_MAX_MACS, cfg->max_macs) ||
	    nla_put_u8(skb, VSW_PORT_ATTR_PRIORITY_TAGS, cfg->priority_tags) ||
	    nla_put_u16(skb, VSW_PORT_ATTR_QINQ_ETHTYPE, ntohs(cfg->qinq_tpid)) ||
	    nla_put_u32(skb, VSW_PORT_ATTR_SAMPLE_RATE, cfg->sample_rate) ||
	    nla_put_u32(skb, VSW_PORT_ATTR_SAMPLE_GROUP, cfg->sample_group) ||
	    nla_put_u32(skb, VSW_PORT_ATTR_STORM_BCAST,
			cfg->storm_pps[VSW_STORM_BCAST]) ||
	    nla_put_u32(skb, VSW_PORT_ATTR_STORM_MCAST,
			cfg->storm_pps[VSW_STORM_MCAST]) ||
	    nla_put_u32(skb, VSW_PORT_ATTR_STORM_UNKNOWN,
			cfg->storm_pps[VSW_STORM_UNKNOWN]))
		return -EMSGSIZE;
	return 0;
}

/* The port's backend, if it has one: its kind and counters. */
static int vsw_nl_put_backend(struct sk_buff *skb, const struct vsw_port *port)
{
	static const struct {
		u16 type;
		size_t off;
	} ctr[] = {
#define VSW_BE_CTR(attr, field) \
	{ VSW_BACKEND_ATTR_##attr, offsetof(struct vsw_backend_stats, field) }
		VSW_BE_CTR(RX_PACKETS, rx_packets),
		VSW_BE_CTR(RX_BYTES, rx_bytes),
		VSW_BE_CTR(RX_DROPPED, rx_dropped),
		VSW_BE_CTR(TX_PACKETS, tx_packets),
		VSW_BE_CTR(TX_BYTES, tx_bytes),
		VSW_BE_CTR(TX_DROPPED, tx_dropped),
		VSW_BE_CTR(RING_ERRORS, ring_errors),
		VSW_BE_CTR(KICKS, kicks),
		VSW_BE_CTR(SIGNALS, signals),
#undef VSW_BE_CTR
	};
	struct vsw_backend_stats st = {};
	const struct vsw_backend *be;
	struct nlattr *nest;
	unsigned int i;

	/* RTNL (doit) or RCU (dump); the backend is freed after a GP */
	be = rcu_dereference_rtnl(port->backend);
	if (!be)
		return 0;
	be->ops->get_stats(be->priv, &st);
	nest = nla_nest_start(skb, VSW_PORT_ATTR_BACKEND);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_string(skb, VSW_BACKEND_ATTR_KIND, be->ops->kind))
		goto cancel;
	for (i = 0; i < ARRAY_SIZE(ctr); i++)
		if (nla_put_u64_64bit(skb, ctr[i].type,
				      *(const u64 *)((const u8 *)&st + ctr[i].off),
				      VSW_BACKEND_ATTR_PAD))
			goto cancel;
	nla_nest_end(skb, nest);
	return 0;

cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/*
 * A %VSW_ATTR_PORT nest: identity, configuration, state and, if
 * @with_stats, counters. RTNL or RCU.
 */
int vsw_nl_put_port(struct sk_buff *skb, const struct vsw_port *port,
		    bool with_stats)
{
	const struct vsw_port_cfg *cfg;
	struct vsw_port_stats st;
	struct nlattr *nest;

	nest = nla_nest_start(skb, VSW_ATTR_PORT);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, VSW_PORT_ATTR_IFINDEX, port->dev->ifindex) ||
	    nla_put_string(skb, VSW_PORT_ATTR_IFNAME, port->dev->name))
		goto cancel;
	cfg = rcu_dereference_rtnl(port->cfg);
	if (cfg && vsw_nl_put_port_cfg(skb, cfg))
		goto cancel;
	if (nla_put_u32(skb, VSW_PORT_ATTR_MAC_COUNT,
			atomic_read(&port->mac_count)) ||
	    nla_put_u8(skb, VSW_PORT_ATTR_OPER_UP, vsw_port_oper_up(port)))
		goto cancel;
	if (port->internal && nla_put_flag(skb, VSW_PORT_ATTR_INTERNAL))
		goto cancel;
	if (vsw_nl_put_backend(skb, port))
		goto cancel;
	if (with_stats) {
		vsw_port_get_stats(port, &st);
		if (vsw_nl_put_stats(skb, VSW_PORT_ATTR_STATS, &st))
			goto cancel;
	}
	nla_nest_end(skb, nest);
	return 0;

cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

int vsw_nl_fill_port(struct sk_buff *skb, const struct vsw_port *port,
		     u32 portid, u32 seq, int flags,
		     struct netlink_callback *cb)
{
	void *hdr;

	hdr = vsw_nl_put_hdr(skb, portid, seq, flags, VSW_CMD_PORT_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (vsw_nl_put_switch_id(skb, port->sw) ||
	    vsw_nl_put_port(skb, port, true)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static void vsw_nl_get_vlans(const struct nlattr *attr, unsigned long *bm)
{
	const u8 *bytes = nla_data(attr);
	unsigned int vid;

	bitmap_zero(bm, VLAN_N_VID);
	for (vid = 0; vid < VLAN_N_VID; vid++)
		if (bytes[vid / 8] & BIT(vid % 8))
			__set_bit(vid, bm);
}

static int vsw_nl_parse_vlans(const struct nlattr *attr, unsigned long *bm,
			      bool vid0_ok, struct netlink_ext_ack *extack)
{
	vsw_nl_get_vlans(attr, bm);
	if (!vid0_ok && test_bit(0, bm)) {
		VSW_NL_ERR_ATTR(extack, attr,
				"VLAN bitmap: VID 0 must be clear");
		return -EINVAL;
	}
	if (test_bit(VLAN_N_VID - 1, bm)) {
		VSW_NL_ERR_ATTR(extack, attr,
				"VLAN bitmap: VID 4095 must be clear");
		return -EINVAL;
	}
	return 0;
}

/* @cfg (a copy of the current configuration) updated from nest @tb. */
int vsw_nl_parse_port_cfg(struct nlattr **tb, struct vsw_port_cfg *cfg,
			  struct netlink_ext_ack *extack)
{
	int err;

	if (tb[VSW_PORT_ATTR_MODE])
		cfg->mode = nla_get_u8(tb[VSW_PORT_ATTR_MODE]);
	if (tb[VSW_PORT_ATTR_TAG])
		cfg->tag = nla_get_u16(tb[VSW_PORT_ATTR_TAG]);
	if (tb[VSW_PORT_ATTR_TRUNKS]) {
		err = vsw_nl_parse_vlans(tb[VSW_PORT_ATTR_TRUNKS], cfg->trunks,
					 false, extack);
		if (err)
			return err;
	}
	if (tb[VSW_PORT_ATTR_CVLANS]) {
		/* bit 0 stands for untagged customer frames */
		err = vsw_nl_parse_vlans(tb[VSW_PORT_ATTR_CVLANS], cfg->cvlans,
					 true, extack);
		if (err)
			return err;
	}
	if (tb[VSW_PORT_ATTR_LEARNING])
		cfg->learning = nla_get_u8(tb[VSW_PORT_ATTR_LEARNING]);
	if (tb[VSW_PORT_ATTR_FLOOD_UCAST])
		cfg->flood_ucast = nla_get_u8(tb[VSW_PORT_ATTR_FLOOD_UCAST]);
	if (tb[VSW_PORT_ATTR_FLOOD_BCAST])
		cfg->flood_bcast = nla_get_u8(tb[VSW_PORT_ATTR_FLOOD_BCAST]);
	if (tb[VSW_PORT_ATTR_FLOOD_MCAST])
		cfg->flood_mcast = nla_get_u8(tb[VSW_PORT_ATTR_FLOOD_MCAST]);
	if (tb[VSW_PORT_ATTR_ISOLATED])
		cfg->isolated = nla_get_u8(tb[VSW_PORT_ATTR_ISOLATED]);
	if (tb[VSW_PORT_ATTR_MAX_MACS])
		cfg->max_macs = nla_get_u32(tb[VSW_PORT_ATTR_MAX_MACS]);
	if (tb[VSW_PORT_ATTR_PRIORITY_TAGS])
		cfg->priority_tags = nla_get_u8(tb[VSW_PORT_ATTR_PRIORITY_TAGS]);
	if (tb[VSW_PORT_ATTR_QINQ_ETHTYPE]) {
		u16 tpid = nla_get_u16(tb[VSW_PORT_ATTR_QINQ_ETHTYPE]);

		if (tpid != ETH_P_8021AD && tpid != ETH_P_8021Q) {
			VSW_NL_ERR_ATTR(extack, tb[VSW_PORT_ATTR_QINQ_ETHTYPE],
					"QinQ ethertype must be 0x88a8 (802.1ad) or 0x8100 (802.1q)");
			return -EINVAL;
		}
		cfg->qinq_tpid = htons(tpid);
	}
	if (tb[VSW_PORT_ATTR_SAMPLE_RATE])
		cfg->sample_rate = nla_get_u32(tb[VSW_PORT_ATTR_SAMPLE_RATE]);
	if (tb[VSW_PORT_ATTR_SAMPLE_GROUP])
		cfg->sample_group = nla_get_u32(tb[VSW_PORT_ATTR_SAMPLE_GROUP]);
	/* range checked by the policy */
	if (tb[VSW_PORT_ATTR_STORM_BCAST])
		cfg->storm_pps[VSW_STORM_BCAST] =
			nla_get_u32(tb[VSW_PORT_ATTR_STORM_BCAST]);
	if (tb[VSW_PORT_ATTR_STORM_MCAST])
		cfg->storm_pps[VSW_STORM_MCAST] =
			nla_get_u32(tb[VSW_PORT_ATTR_STORM_MCAST]);
	if (tb[VSW_PORT_ATTR_STORM_UNKNOWN])
		cfg->storm_pps[VSW_STORM_UNKNOWN] =
			nla_get_u32(tb[VSW_PORT_ATTR_STORM_UNKNOWN]);
	return 0;
}

/*
 * Parse the %VSW_ATTR_PORT nest of a PORT_GET/PORT_SET request into @tb and
 * look the port up (in the switch named at the top level, if any).
 */
static struct vsw_port *vsw_nl_req_port(struct genl_info *info,
					struct nlattr **tb,
					const struct nla_policy *policy)
{
	struct nlattr **attrs = info->attrs;
	struct net *net = genl_info_net(info);
	struct vsw *sw = NULL;
	int err;

	err = vsw_nl_require(info->extack, NULL, attrs, VSW_ATTR_PORT,
			     VSW_NL_MSG("VSW_ATTR_PORT is missing (the port to act on)"));
	if (err)
		return ERR_PTR(err);
	err = nla_parse_nested(tb, VSW_PORT_ATTR_MAX, attrs[VSW_ATTR_PORT],
			       policy, info->extack);
	if (err)
		return ERR_PTR(err);
	if (vsw_nl_has_switch(attrs)) {
		sw = vsw_nl_get_switch(net, attrs, info->extack);
		if (IS_ERR(sw))
			return ERR_CAST(sw);
	}
	return vsw_nl_get_port(net, sw, tb, attrs[VSW_ATTR_PORT],
			       info->extack);
}

int vsw_nl_port_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[VSW_PORT_ATTR_MAX + 1];
	struct vsw_port *port;
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	rtnl_lock();
	port = vsw_nl_req_port(info, tb, vsw_nl_port_id_policy);
	if (IS_ERR(port)) {
		err = PTR_ERR(port);
		goto err_unlock;
	}
	err = vsw_nl_fill_port(msg, port, info->snd_portid, info->snd_seq, 0,
			       NULL);
	if (err)
		goto err_unlock;
	rtnl_unlock();
	return genlmsg_reply(msg, info);

err_unlock:
	rtnl_unlock();
	nlmsg_free(msg);
	return err;
}

int vsw_nl_port_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[VSW_PORT_ATTR_MAX + 1];
	struct vsw_port_cfg *cfg;
	struct vsw_port *port;
	bool change = false;
	int err, i;

	cfg = kmalloc(sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		return -ENOMEM;

	rtnl_lock();
	port = vsw_nl_req_port(info, tb, vsw_nl_port_set_policy);
	if (IS_ERR(port)) {
		err = PTR_ERR(port);
		goto out;
	}
	for (i = VSW_PORT_ATTR_MODE; i <= VSW_PORT_ATTR_MAX; i++)
		change |= !!tb[i];
	err = 0;
	if (!change)
		goto out;

	/* the whole new configuration, checked before anything changes */
	memcpy(cfg, vsw_port_cfg_rtnl(port), sizeof(*cfg));
	memset(&cfg->rcu, 0, sizeof(cfg->rcu));
	err = vsw_nl_parse_port_cfg(tb, cfg, info->extack);
	if (err)
		goto out;
	err = vsw_port_cfg_validate(cfg, info->extack);
	if (err)
		goto out;
	err = vsw_port_set_cfg(port, cfg, info->extack);
out:
	rtnl_unlock();
	kfree(cfg);
	return err;
}
