/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vsw - what the netlink files (genl.c, nl_*.c) share among themselves:
 * extack helpers, the policies the commands parse nests with, the object
 * lookups and message helpers of genl.c, each object's message filling and
 * the command handlers the ops table points to. Nothing outside the control
 * plane includes it (the data path has vsw_nl_notify_*() from vsw.h).
 */
#ifndef _VSW_NL_H
#define _VSW_NL_H

#include <net/genetlink.h>

#include "vsw.h"

/* extack messages carry the module name, like the data path's */
#define VSW_NL_MSG(msg)		KBUILD_MODNAME ": " msg
#define VSW_NL_ERR_ATTR(extack, attr, msg)				\
	NL_SET_ERR_MSG_ATTR(extack, attr, VSW_NL_MSG(msg))

/* Set @msg unless the callee already said why (NL_SET_ERR_MSG_WEAK). */
#define VSW_NL_ERR_WEAK(extack, msg) do {				\
	struct netlink_ext_ack *__vsw_ea = (extack);			\
									\
	if (__vsw_ea && !__vsw_ea->_msg)				\
		NL_SET_ERR_MSG(__vsw_ea, msg);				\
} while (0)

/* VLAN_CFI_MASK marks "a tag is present" in struct vsw_key (see vsw.h). */
#define VSW_TCI_PRESENT		VLAN_CFI_MASK

/* A rule as parsed from a %VSW_ATTR_RULE nest (nl_rule.c, nl_match.c). */
struct vsw_nl_rule {
	struct vsw_match match;
	u16 priority;
	unsigned int n_actions;
	struct vsw_action actions[VSW_ACTIONS_MAX];
};

/* genl.c: the family, policies, lookups (RTNL), common message parts */
extern struct genl_family vsw_genl_family;
extern const struct nla_policy vsw_nl_port_id_policy[VSW_PORT_ATTR_MAX + 1];
extern const struct nla_policy vsw_nl_port_set_policy[VSW_PORT_ATTR_MAX + 1];
extern const struct nla_policy vsw_nl_fdb_new_policy[VSW_FDB_ATTR_MAX + 1];
extern const struct nla_policy vsw_nl_fdb_del_policy[VSW_FDB_ATTR_MAX + 1];
extern const struct nla_policy vsw_nl_fdb_filter_policy[VSW_FDB_ATTR_MAX + 1];
extern const struct nla_policy vsw_nl_key_policy[VSW_KEY_ATTR_MAX + 1];
extern const struct nla_policy vsw_nl_rule_new_policy[VSW_RULE_ATTR_MAX + 1];
extern const struct nla_policy vsw_nl_rule_del_policy[VSW_RULE_ATTR_MAX + 1];
struct vsw *vsw_nl_get_switch(struct net *net, struct nlattr **attrs,
			      struct netlink_ext_ack *extack);
bool vsw_nl_has_switch(struct nlattr **attrs);
struct vsw_port *vsw_nl_port_by_index(struct net *net,
				      const struct vsw *sw,
				      const struct nlattr *attr,
				      struct netlink_ext_ack *extack);
struct vsw_port *vsw_nl_get_port(struct net *net, const struct vsw *sw,
				 struct nlattr **tb,
				 const struct nlattr *nest,
				 struct netlink_ext_ack *extack);
void vsw_nl_err_attr(struct netlink_ext_ack *extack,
		     const struct nlattr *attr, const char *msg);
int vsw_nl_require(struct netlink_ext_ack *extack,
		   const struct nlattr *nest, struct nlattr **tb,
		   int type, const char *msg);
u64 vsw_nl_msecs_since(unsigned long when);
void *vsw_nl_put_hdr(struct sk_buff *skb, u32 portid, u32 seq,
		     int flags, u8 cmd);
int vsw_nl_put_switch_id(struct sk_buff *skb, const struct vsw *sw);
int vsw_nl_put_stats(struct sk_buff *skb, int type,
		     const struct vsw_port_stats *st);

/* nl_switch.c */
int vsw_nl_put_switch_cfg(struct sk_buff *skb, const struct vsw *sw);
int vsw_nl_fill_switch(struct sk_buff *skb, const struct vsw *sw,
		       u32 portid, u32 seq, int flags,
		       struct netlink_callback *cb);
int vsw_nl_switch_get_doit(struct sk_buff *skb, struct genl_info *info);
int vsw_nl_switch_set_doit(struct sk_buff *skb, struct genl_info *info);

/* nl_port.c */
int vsw_nl_put_port_cfg(struct sk_buff *skb, const struct vsw_port_cfg *cfg);
/* @cfg (a copy of a current configuration) updated from PORT nest @tb */
int vsw_nl_parse_port_cfg(struct nlattr **tb, struct vsw_port_cfg *cfg,
			  struct netlink_ext_ack *extack);
int vsw_nl_put_port(struct sk_buff *skb, const struct vsw_port *port,
		    bool with_stats);
int vsw_nl_fill_port(struct sk_buff *skb, const struct vsw_port *port,
		     u32 portid, u32 seq, int flags,
		     struct netlink_callback *cb);
int vsw_nl_port_get_doit(struct sk_buff *skb, struct genl_info *info);
int vsw_nl_port_set_doit(struct sk_buff *skb, struct genl_info *info);

/* nl_fdb.c */
int vsw_nl_put_fdb(struct sk_buff *skb, const struct vsw_fdb_entry *e);
int vsw_nl_fdb_new_doit(struct sk_buff *skb, struct genl_info *info);
int vsw_nl_fdb_del_doit(struct sk_buff *skb, struct genl_info *info);
int vsw_nl_fdb_flush_doit(struct sk_buff *skb, struct genl_info *info);

/* nl_match.c */
int vsw_nl_put_match(struct sk_buff *skb, int type,
		     const struct vsw_match *match, bool cache);
int vsw_nl_put_actions(struct sk_buff *skb, int type,
		       const struct vsw_action *act, unsigned int n);
int vsw_nl_parse_match(struct net *net, const struct vsw *sw,
		       const struct nlattr *nest,
		       struct vsw_match *match,
		       struct netlink_ext_ack *extack);
int vsw_nl_parse_actions(struct net *net, const struct vsw *sw,
			 const struct nlattr *nest,
			 struct vsw_nl_rule *rule,
			 struct netlink_ext_ack *extack);

/* nl_rule.c */
int vsw_nl_put_rule(struct sk_buff *skb, const struct vsw_rule *r,
		    bool full);
int vsw_nl_rule_new_doit(struct sk_buff *skb, struct genl_info *info);
int vsw_nl_rule_del_doit(struct sk_buff *skb, struct genl_info *info);
int vsw_nl_rule_flush_doit(struct sk_buff *skb, struct genl_info *info);

/* nl_cache.c */
int vsw_nl_cache_flush_doit(struct sk_buff *skb, struct genl_info *info);

/* nl_dump.c: the .start and .dumpit of every dump */
int vsw_nl_dump_start(struct netlink_callback *cb);
int vsw_nl_switch_dumpit(struct sk_buff *skb,
			 struct netlink_callback *cb);
int vsw_nl_port_dump_start(struct netlink_callback *cb);
int vsw_nl_port_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int vsw_nl_fdb_dump_start(struct netlink_callback *cb);
int vsw_nl_fdb_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int vsw_nl_rule_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int vsw_nl_cache_dumpit(struct sk_buff *skb,
			struct netlink_callback *cb);
int vsw_nl_vlan_dumpit(struct sk_buff *skb, struct netlink_callback *cb);

#endif /* _VSW_NL_H */
