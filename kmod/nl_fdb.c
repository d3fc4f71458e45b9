// SPDX-License-Identifier: GPL-2.0
/*
 * vsw - netlink: the forwarding database (FDB_NEW, FDB_DEL, FDB_FLUSH) and
 * the FDB entry as a %VSW_ATTR_FDB nest.
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

/* A %VSW_ATTR_FDB nest for entry @e. RCU or fdb_lock. */
int vsw_nl_put_fdb(struct sk_buff *skb, const struct vsw_fdb_entry *e)
{
	const struct vsw_port *port = READ_ONCE(e->port);
	u64 age = vsw_nl_msecs_since(READ_ONCE(e->updated));
	struct nlattr *nest;

	nest = nla_nest_start(skb, VSW_ATTR_FDB);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put(skb, VSW_FDB_ATTR_MAC, ETH_ALEN, e->key.addr) ||
	    nla_put_u16(skb, VSW_FDB_ATTR_VID, e->key.vid) ||
	    nla_put_u32(skb, VSW_FDB_ATTR_FLAGS, READ_ONCE(e->flags)) ||
	    nla_put_u32(skb, VSW_FDB_ATTR_AGE, min_t(u64, age, U32_MAX)))
		goto cancel;
	if (port &&
	    (nla_put_u32(skb, VSW_FDB_ATTR_PORT_IFINDEX, port->dev->ifindex) ||
	     nla_put_string(skb, VSW_FDB_ATTR_PORT_IFNAME, port->dev->name)))
		goto cancel;
	nla_nest_end(skb, nest);
	return 0;

cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

int vsw_nl_fdb_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[VSW_FDB_ATTR_MAX + 1];
	struct nlattr **attrs = info->attrs;
	struct net *net = genl_info_net(info);
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *nest = attrs[VSW_ATTR_FDB];
	struct vsw_port *port;
	struct vsw *sw;
	const u8 *mac;
	int err;

	err = vsw_nl_require(extack, NULL, attrs, VSW_ATTR_FDB,
			     VSW_NL_MSG("VSW_ATTR_FDB is missing"));
	if (err)
		return err;
	err = nla_parse_nested(tb, VSW_FDB_ATTR_MAX, nest,
			       vsw_nl_fdb_new_policy, extack);
	if (err)
		return err;
	err = vsw_nl_require(extack, nest, tb, VSW_FDB_ATTR_MAC,
			     VSW_NL_MSG("VSW_FDB_ATTR_MAC is missing")) ?:
	      vsw_nl_require(extack, nest, tb, VSW_FDB_ATTR_VID,
			     VSW_NL_MSG("VSW_FDB_ATTR_VID is missing")) ?:
	      vsw_nl_require(extack, nest, tb, VSW_FDB_ATTR_PORT_IFINDEX,
			     VSW_NL_MSG("VSW_FDB_ATTR_PORT_IFINDEX is missing"));
	if (err)
		return err;
	mac = nla_data(tb[VSW_FDB_ATTR_MAC]);
	if (!is_valid_ether_addr(mac)) {
		VSW_NL_ERR_ATTR_FMT(extack, tb[VSW_FDB_ATTR_MAC],
				    "FDB MAC must be unicast and not zero",
				    "FDB MAC %pM must be unicast and not zero",
				    mac);
		return -EINVAL;
	}

	rtnl_lock();
	sw = vsw_nl_get_switch(net, attrs, extack);
	if (IS_ERR(sw)) {
		err = PTR_ERR(sw);
		goto out;
	}
	port = vsw_nl_port_by_index(net, sw, tb[VSW_FDB_ATTR_PORT_IFINDEX],
				    extack);
	if (IS_ERR(port)) {
		err = PTR_ERR(port);
		goto out;
	}
	err = vsw_fdb_add_static(sw, mac, nla_get_u16(tb[VSW_FDB_ATTR_VID]),
				 port, extack);
out:
	rtnl_unlock();
	return err;
}

int vsw_nl_fdb_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[VSW_FDB_ATTR_MAX + 1];
	struct nlattr **attrs = info->attrs;
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *nest = attrs[VSW_ATTR_FDB];
	struct vsw *sw;
	int err;

	err = vsw_nl_require(extack, NULL, attrs, VSW_ATTR_FDB,
			     VSW_NL_MSG("VSW_ATTR_FDB is missing"));
	if (err)
		return err;
	err = nla_parse_nested(tb, VSW_FDB_ATTR_MAX, nest,
			       vsw_nl_fdb_del_policy, extack);
	if (err)
		return err;
	err = vsw_nl_require(extack, nest, tb, VSW_FDB_ATTR_MAC,
			     VSW_NL_MSG("VSW_FDB_ATTR_MAC is missing")) ?:
	      vsw_nl_require(extack, nest, tb, VSW_FDB_ATTR_VID,
			     VSW_NL_MSG("VSW_FDB_ATTR_VID is missing"));
	if (err)
		return err;

	rtnl_lock();
	sw = vsw_nl_get_switch(genl_info_net(info), attrs, extack);
	if (IS_ERR(sw)) {
		err = PTR_ERR(sw);
		goto out;
	}
	err = vsw_fdb_del(sw, nla_data(tb[VSW_FDB_ATTR_MAC]),
			  nla_get_u16(tb[VSW_FDB_ATTR_VID]), extack);
	if (err == -ENOENT)
		VSW_NL_ERR_WEAK(extack, VSW_NL_MSG("no such FDB entry"));
out:
	rtnl_unlock();
	return err;
}

int vsw_nl_fdb_flush_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[VSW_FDB_ATTR_MAX + 1] = {};
	struct nlattr **attrs = info->attrs;
	struct net *net = genl_info_net(info);
	struct netlink_ext_ack *extack = info->extack;
	struct vsw_port *port = NULL;
	struct vsw *sw;
	u16 vid = 0;
	int err;

	if (attrs[VSW_ATTR_FDB]) {
		err = nla_parse_nested(tb, VSW_FDB_ATTR_MAX, attrs[VSW_ATTR_FDB],
				       vsw_nl_fdb_filter_policy, extack);
		if (err)
			return err;
	}
	if (tb[VSW_FDB_ATTR_VID])
		vid = nla_get_u16(tb[VSW_FDB_ATTR_VID]);

	rtnl_lock();
	sw = vsw_nl_get_switch(net, attrs, extack);
	if (IS_ERR(sw)) {
		err = PTR_ERR(sw);
		goto out;
	}
	if (tb[VSW_FDB_ATTR_PORT_IFINDEX]) {
		port = vsw_nl_port_by_index(net, sw,
					    tb[VSW_FDB_ATTR_PORT_IFINDEX],
					    extack);
		if (IS_ERR(port)) {
			err = PTR_ERR(port);
			goto out;
		}
	}
	vsw_fdb_flush(sw, port, vid);
	err = 0;
out:
	rtnl_unlock();
	return err;
}
