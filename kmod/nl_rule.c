// SPDX-License-Identifier: GPL-2.0
/*
 * vsw - netlink: the rule table (RULE_NEW, RULE_DEL, RULE_FLUSH) and a rule
 * as a %VSW_ATTR_RULE nest.
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

/* A %VSW_ATTR_RULE nest; @full: also actions and counters. */
int vsw_nl_put_rule(struct sk_buff *skb, const struct vsw_rule *r,
		    bool full)
{
	unsigned long used = READ_ONCE(r->used);
	struct nlattr *nest;
	u64 packets, bytes;

	nest = nla_nest_start(skb, VSW_ATTR_RULE);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u16(skb, VSW_RULE_ATTR_PRIORITY, r->priority) ||
	    vsw_nl_put_match(skb, VSW_RULE_ATTR_MATCH, &r->match, false))
		goto cancel;
	if (full) {
		vsw_rule_get_stats(r, &packets, &bytes);
		if (vsw_nl_put_actions(skb, VSW_RULE_ATTR_ACTIONS, r->actions,
				       r->n_actions) ||
		    nla_put_u64_64bit(skb, VSW_RULE_ATTR_PACKETS, packets,
				      VSW_RULE_ATTR_PAD) ||
		    nla_put_u64_64bit(skb, VSW_RULE_ATTR_BYTES, bytes,
				      VSW_RULE_ATTR_PAD))
			goto cancel;
		if (used &&
		    nla_put_u64_64bit(skb, VSW_RULE_ATTR_USED,
				      vsw_nl_msecs_since(used),
				      VSW_RULE_ATTR_PAD))
			goto cancel;
	}
	nla_nest_end(skb, nest);
	return 0;

cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/* Parse a %VSW_ATTR_RULE nest; actions only if @policy allows them. */
static int vsw_nl_parse_rule(struct net *net, const struct vsw *sw,
			     struct nlattr **attrs,
			     const struct nla_policy *policy, bool new,
			     struct vsw_nl_rule *rule,
			     struct netlink_ext_ack *extack)
{
	struct nlattr *tb[VSW_RULE_ATTR_MAX + 1];
	int err;

	err = vsw_nl_require(extack, NULL, attrs, VSW_ATTR_RULE,
			     VSW_NL_MSG("VSW_ATTR_RULE is missing"));
	if (err)
		return err;
	err = nla_parse_nested(tb, VSW_RULE_ATTR_MAX, attrs[VSW_ATTR_RULE],
			       policy, extack);
	if (err)
		return err;

	rule->priority = tb[VSW_RULE_ATTR_PRIORITY] ?
			 nla_get_u16(tb[VSW_RULE_ATTR_PRIORITY]) :
			 VSW_RULE_PRIORITY_DEFAULT;
	/* a rule to delete may name a port that is gone since */
	err = vsw_nl_parse_match(net, new ? sw : NULL, tb[VSW_RULE_ATTR_MATCH],
				 &rule->match, extack);
	if (err || !new)
		return err;

	err = vsw_nl_require(extack, attrs[VSW_ATTR_RULE], tb,
			     VSW_RULE_ATTR_ACTIONS,
			     VSW_NL_MSG("a rule needs at least one action"));
	if (err)
		return err;
	return vsw_nl_parse_actions(net, sw, tb[VSW_RULE_ATTR_ACTIONS], rule,
				    extack);
}

static int vsw_nl_rule_change(struct genl_info *info, bool new)
{
	struct netlink_ext_ack *extack = info->extack;
	struct net *net = genl_info_net(info);
	struct vsw_nl_rule *rule;
	struct vsw *sw;
	int err;

	rule = kzalloc(sizeof(*rule), VSW_GFP_USER);
	if (!rule)
		return -ENOMEM;

	rtnl_lock();
	sw = vsw_nl_get_switch(net, info->attrs, extack);
	if (IS_ERR(sw)) {
		err = PTR_ERR(sw);
		goto out;
	}
	err = vsw_nl_parse_rule(net, sw, info->attrs,
				new ? vsw_nl_rule_new_policy :
				      vsw_nl_rule_del_policy,
				new, rule, extack);
	if (err)
		goto out;
	if (new) {
		err = vsw_rule_add(sw, &rule->match, rule->priority,
				   rule->actions, rule->n_actions, extack);
	} else {
		err = vsw_rule_del(sw, &rule->match, rule->priority, extack);
		if (err == -ENOENT)
			VSW_NL_ERR_WEAK(extack,
					VSW_NL_MSG("no rule with this priority and match"));
	}
out:
	rtnl_unlock();
	kfree(rule);
	return err;
}

int vsw_nl_rule_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	return vsw_nl_rule_change(info, true);
}

int vsw_nl_rule_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	return vsw_nl_rule_change(info, false);
}

int vsw_nl_rule_flush_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vsw *sw;
	int err = 0;

	rtnl_lock();
	sw = vsw_nl_get_switch(genl_info_net(info), info->attrs, info->extack);
	if (IS_ERR(sw))
		err = PTR_ERR(sw);
	else
		err = vsw_rule_flush(sw);
	rtnl_unlock();
	return err;
}
