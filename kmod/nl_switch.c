// SPDX-License-Identifier: GPL-2.0
/*
 * vsw - netlink: switches (SWITCH_GET, SWITCH_SET): the switch-wide
 * settings and counters.
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

/* RTNL or RCU */
int vsw_nl_put_switch_cfg(struct sk_buff *skb, const struct vsw *sw)
{
	struct nlattr *nest;

	if (nla_put_u32(skb, VSW_ATTR_AGEING, READ_ONCE(sw->ageing)) ||
	    nla_put_u32(skb, VSW_ATTR_MAX_MACS, READ_ONCE(sw->max_macs)) ||
	    nla_put_u32(skb, VSW_ATTR_CACHE_SIZE, READ_ONCE(sw->cache_size)))
		return -EMSGSIZE;
	nest = nla_nest_start(skb, VSW_ATTR_DEFAULT_PORT);
	if (!nest ||
	    vsw_nl_put_port_cfg(skb, rcu_dereference_rtnl(sw->port_default)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * The new default port configuration of a SWITCH_SET, or NULL if it has
 * none; checked whole, nothing changed yet. RTNL.
 */
static struct vsw_port_cfg *switch_new_port_default(struct vsw *sw,
						    struct genl_info *info)
{
	struct nlattr *tb[VSW_PORT_ATTR_MAX + 1];
	struct nlattr *attr = info->attrs[VSW_ATTR_DEFAULT_PORT];
	struct vsw_port_cfg *cfg;
	int err;

	if (!attr)
		return NULL;
	/* validated by the policy (vsw_nl_port_set_policy) */
	err = nla_parse_nested(tb, VSW_PORT_ATTR_MAX, attr,
			       vsw_nl_port_set_policy, info->extack);
	if (err)
		return ERR_PTR(err);
	if (tb[VSW_PORT_ATTR_IFINDEX] || tb[VSW_PORT_ATTR_IFNAME]) {
		VSW_NL_ERR_ATTR(info->extack, attr,
				"The default port configuration names no port");
		return ERR_PTR(-EINVAL);
	}
	cfg = kmemdup(rtnl_dereference(sw->port_default), sizeof(*cfg),
		      VSW_GFP_USER);
	if (!cfg)
		return ERR_PTR(-ENOMEM);
	memset(&cfg->rcu, 0, sizeof(cfg->rcu));
	err = vsw_nl_parse_port_cfg(tb, cfg, info->extack);
	if (!err)
		err = vsw_port_cfg_validate(cfg, info->extack);
	if (err) {
		kfree(cfg);
		return ERR_PTR(err);
	}
	return cfg;
}

/* RTNL or RCU */
int vsw_nl_fill_switch(struct sk_buff *skb, const struct vsw *sw,
		       u32 portid, u32 seq, int flags,
		       struct netlink_callback *cb)
{
	struct vsw_port_stats st;
	u64 hits, misses;
	void *hdr;

	hdr = vsw_nl_put_hdr(skb, portid, seq, flags, VSW_CMD_SWITCH_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);

	vsw_cache_get_stats(sw, &hits, &misses);
	vsw_get_stats(sw, &st);
	if (vsw_nl_put_switch_id(skb, sw) ||
	    vsw_nl_put_switch_cfg(skb, sw) ||
	    nla_put_u32(skb, VSW_ATTR_FDB_COUNT, vsw_fdb_count(sw)) ||
	    nla_put_u32(skb, VSW_ATTR_RULE_COUNT, vsw_rule_count(sw)) ||
	    nla_put_u32(skb, VSW_ATTR_CACHE_COUNT, vsw_cache_count(sw)) ||
	    nla_put_u32(skb, VSW_ATTR_PORT_COUNT, READ_ONCE(sw->n_ports)) ||
	    nla_put_u64_64bit(skb, VSW_ATTR_CACHE_HITS, hits, VSW_ATTR_PAD) ||
	    nla_put_u64_64bit(skb, VSW_ATTR_CACHE_MISSES, misses,
			      VSW_ATTR_PAD) ||
	    nla_put_u64_64bit(skb, VSW_ATTR_CACHE_BYTES, vsw_cache_bytes(sw),
			      VSW_ATTR_PAD) ||
	    nla_put_u32(skb, VSW_ATTR_RULE_INDEX_GEN, vsw_rule_index_gen(sw)) ||
	    nla_put_u8(skb, VSW_ATTR_RULES_INDEXED, vsw_rule_indexed(sw)) ||
	    vsw_nl_put_stats(skb, VSW_ATTR_STATS, &st)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

int vsw_nl_switch_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	struct vsw *sw;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	rtnl_lock();
	sw = vsw_nl_get_switch(genl_info_net(info), info->attrs, info->extack);
	if (IS_ERR(sw)) {
		err = PTR_ERR(sw);
		goto err_unlock;
	}
	err = vsw_nl_fill_switch(msg, sw, info->snd_portid, info->snd_seq, 0,
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

int vsw_nl_switch_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **attrs = info->attrs;
	struct vsw_port_cfg *port_default = NULL;
	struct vsw *sw;
	int err = 0;

	rtnl_lock();
	sw = vsw_nl_get_switch(genl_info_net(info), attrs, info->extack);
	if (IS_ERR(sw)) {
		err = PTR_ERR(sw);
		goto out;
	}
	/* every value was range checked by the policy; the fallible steps
	 * go first, so an error leaves everything as it was
	 */
	port_default = switch_new_port_default(sw, info);
	if (IS_ERR(port_default)) {
		err = PTR_ERR(port_default);
		port_default = NULL;
		goto out;
	}
	if (attrs[VSW_ATTR_CACHE_SIZE]) {
		u32 size = nla_get_u32(attrs[VSW_ATTR_CACHE_SIZE]);

		if (size != READ_ONCE(sw->cache_size)) {
			err = vsw_cache_set_size(sw, size, info->extack);
			if (err)
				goto out;
		}
	}
	if (port_default) {
		vsw_set_port_default(sw, port_default);
		port_default = NULL;
	}
	if (attrs[VSW_ATTR_AGEING]) {
		u32 secs = nla_get_u32(attrs[VSW_ATTR_AGEING]);

		if (secs != READ_ONCE(sw->ageing))
			vsw_set_ageing(sw, secs);
	}
	if (attrs[VSW_ATTR_MAX_MACS]) {
		u32 max = nla_get_u32(attrs[VSW_ATTR_MAX_MACS]);

		if (max != READ_ONCE(sw->max_macs))
			vsw_set_max_macs(sw, max);
	}
out:
	rtnl_unlock();
	kfree(port_default);
	return err;
}
