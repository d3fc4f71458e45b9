// SPDX-License-Identifier: GPL-2.0
/*
 * vsw - netlink: dumps (every *_GET with NLM_F_DUMP). One resumable
 * iteration for all of them: switches in ifindex order, and inside a switch
 * the position of the FDB, rule or cache walk (struct vsw_walk_pos), ports by
 * ifindex or VLANs by VID, all kept in cb->ctx as numbers and keys. Every
 * chunk runs under rcu_read_lock() only, never RTNL: anyone may dump, and
 * read slowly; a chunk ends when the skb is full, so a dump is O(n) overall
 * (the port dump O(ports^2) per switch, at most VSW_MAX_PORTS).
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

/* The body of vsw_nl_dump_switches(), under rcu_read_lock() */
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
 * @fn runs under rcu_read_lock() only, so that a dump, which anyone may
 * run and slowly read, never holds RTNL. That keeps the switch alive
 * (vsw_dev_free() runs after unregistration and a grace period), its
 * ports (list_del_rcu(), freed by call_rcu()), their configuration
 * (kfree_rcu()) and backends (vsw_backend_detach() waits for readers).
 */
static int vsw_nl_dump_switches(struct sk_buff *skb, struct netlink_callback *cb,
				vsw_nl_dump_fn fn, bool check,
				u32 (*seq)(const struct vsw *sw),
				vsw_nl_prep_fn prep, void *priv)
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

	rcu_read_lock();
	err = vsw_nl_dump_loop(skb, cb, fn, check, seq, priv);
	rcu_read_unlock();

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
				    NULL, vsw_nl_dump_start, NULL);
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
		list_for_each_entry_rcu(port, &sw->ports, list) {
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
				    vsw_nl_port_dump_start, NULL);
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
	err = vsw_nl_dump_switches(skb, cb, fn, check, seq, prep, w);
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
				    vsw_nl_dump_start, NULL);
}
