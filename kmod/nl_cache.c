// SPDX-License-Identifier: GPL-2.0
/*
 * vsw - netlink: the flow cache (CACHE_FLUSH).
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
