// SPDX-License-Identifier: GPL-2.0
/*
 * vsw - flow-based, 802.1Q VLAN-aware virtual switch.
 *
 * The switch device ("ip link add sw0 type vsw") is the switch's internal
 * port: what the host sends on it enters the switch, what the switch sends
 * to it is received by the host. Other ports are enslaved with
 * "ip link set DEV master sw0".
 *
 * This file: the switch device (rtnl_link_ops "vsw", its net_device_ops,
 * what the host sends on it entering the switch), switch-wide settings and
 * the periodic GC, the netdevice notifier, and module init/exit.
 */
#include <linux/module.h>
#include <linux/etherdevice.h>
#include <linux/rtnetlink.h>
#include <net/rtnetlink.h>

#include "vsw_dp.h"

/* ---------------------------------------------------------------------- */
/* Switch-wide settings                                                   */

void vsw_gc_reschedule(struct vsw *sw, unsigned long delay)
{
	mod_delayed_work(system_power_efficient_wq, &sw->gc_work, delay);
}

void vsw_set_ageing(struct vsw *sw, u32 secs)
{
	ASSERT_RTNL();
	WRITE_ONCE(sw->ageing, min_t(u32, secs, VSW_AGEING_MAX));
	vsw_gc_reschedule(sw, 0);	/* re-evaluate expiry now */
	vsw_nl_notify_switch(sw);
}

void vsw_set_max_macs(struct vsw *sw, u32 max)
{
	ASSERT_RTNL();
	WRITE_ONCE(sw->max_macs, max);
	vsw_invalidate(sw);		/* cached MAC-limit drops */
	vsw_nl_notify_switch(sw);
}
EXPORT_SYMBOL_VSW_KUNIT(vsw_set_max_macs);

/* FDB ageing and cache GC; reschedules itself at the next FDB expiry. */
static void vsw_gc_work(struct work_struct *work)
{
	struct vsw *sw = container_of(to_delayed_work(work), struct vsw,
				      gc_work);
	unsigned long next, delay = VSW_GC_INTERVAL;

	next = vsw_fdb_age(sw);
	vsw_cache_gc(sw);
	if (next) {
		long until = (long)(next - jiffies);

		delay = clamp_t(long, until + 1, HZ / 10, VSW_GC_INTERVAL);
	}
	queue_delayed_work(system_power_efficient_wq, &sw->gc_work, delay);
}

/* ---------------------------------------------------------------------- */
/* The switch device                                                      */

bool netif_is_vsw(const struct net_device *dev)
{
	return dev->rtnl_link_ops == &vsw_link_ops;
}

struct vsw *vsw_from_dev(const struct net_device *dev)
{
	return netif_is_vsw(dev) ? netdev_priv(dev) : NULL;
}

static int vsw_dev_init(struct net_device *dev)
{
	struct vsw *sw = netdev_priv(dev);
	struct vsw_port_cfg *cfg;
	int err;

	sw->dev = dev;
	INIT_LIST_HEAD(&sw->ports);
	atomic_set(&sw->gen, 0);
	sw->ageing = VSW_DEFAULT_AGEING;
	sw->max_macs = VSW_DEFAULT_MAX_MACS;
	sw->cache_size = VSW_DEFAULT_CACHE_SIZE;
	INIT_DELAYED_WORK(&sw->gc_work, vsw_gc_work);
	/*
	 * Whoever creates the switch (ip link add, in process context) pays
	 * for what guests make it allocate later, in softirq, where there is
	 * no current memcg to charge; a reference, put in vsw_dev_free().
	 */
	sw->memcg = get_mem_cgroup_from_mm(current->mm);

	err = vsw_fdb_init(sw);
	if (err)
		goto err_memcg;
	err = vsw_rules_init(sw);
	if (err)
		goto err_fdb;
	err = vsw_cache_init(sw);
	if (err)
		goto err_rules;
	err = vsw_vlan_stats_init(sw);
	if (err)
		goto err_cache;
	cfg = kmalloc(sizeof(*cfg), VSW_GFP_USER);
	if (!cfg) {
		err = -ENOMEM;
		goto err_vlan;
	}
	vsw_port_cfg_default(cfg);
	RCU_INIT_POINTER(sw->port_default, cfg);
	sw->internal = vsw_port_create(sw, dev, true);
	if (!sw->internal) {
		err = -ENOMEM;
		goto err_default;
	}
	list_add_tail_rcu(&sw->internal->list, &sw->ports);
	sw->n_ports = 1;
	netdev_lockdep_set_classes(dev);
	queue_delayed_work(system_power_efficient_wq, &sw->gc_work,
			   VSW_GC_INTERVAL);
	return 0;

err_default:
	RCU_INIT_POINTER(sw->port_default, NULL);
	kfree(cfg);
err_vlan:
	vsw_vlan_stats_free(sw);
err_cache:
	vsw_cache_destroy(sw);
err_rules:
	vsw_rules_destroy(sw);
err_fdb:
	vsw_fdb_destroy(sw);
err_memcg:
	mem_cgroup_put(sw->memcg);
	sw->memcg = NULL;
	return err;
}

static void vsw_dev_uninit(struct net_device *dev)
{
	struct vsw *sw = netdev_priv(dev);
	struct vsw_port *port, *tmp;

	/* dellink removed the ports; this covers any other way here */
	list_for_each_entry_safe(port, tmp, &sw->ports, list)
		if (!port->internal)
			vsw_port_del(port);
	vsw_port_sample_stop(sw->internal);
	cancel_delayed_work_sync(&sw->gc_work);
	vsw_rules_stop(sw);
}

/* After unregistration and a grace period: no reader left. */
static void vsw_dev_free(struct net_device *dev)
{
	struct vsw *sw = netdev_priv(dev);

	vsw_cache_destroy(sw);
	vsw_rules_destroy(sw);
	vsw_fdb_destroy(sw);
	vsw_vlan_stats_free(sw);
	vsw_port_destroy(sw->internal);
	kfree(rcu_dereference_protected(sw->port_default, 1));
	mem_cgroup_put(sw->memcg);
}

void vsw_set_port_default(struct vsw *sw, struct vsw_port_cfg *cfg)
{
	struct vsw_port_cfg *old = rtnl_dereference(sw->port_default);

	cfg->cvlans_filter = !bitmap_empty(cfg->cvlans, VLAN_N_VID);
	rcu_assign_pointer(sw->port_default, cfg);
	kfree_rcu(old, rcu);
	vsw_nl_notify_switch(sw);
}

static int vsw_dev_open(struct net_device *dev)
{
	netif_start_queue(dev);
	return 0;
}

static int vsw_dev_stop(struct net_device *dev)
{
	netif_stop_queue(dev);
	return 0;
}

/* The host sends: the frame enters the switch on the internal port. */
static netdev_tx_t vsw_dev_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct vsw *sw = netdev_priv(dev);
	struct vsw_port *port = sw->internal;

	rcu_read_lock();
	skb_reset_mac_header(skb);
	if (unlikely(!pskb_may_pull(skb, ETH_HLEN))) {
		vsw_port_count_drop(port, VSW_DROP_MALFORMED);
		kfree_skb(skb);
		goto out;
	}
	/* into the shape of a received frame: data after the Ethernet
	 * header, outer tag in hwaccel (see vsw_dp.h)
	 */
	__skb_pull(skb, ETH_HLEN);
	if (!skb_vlan_tag_present(skb) && eth_type_vlan(eth_hdr(skb)->h_proto)) {
		skb->protocol = eth_hdr(skb)->h_proto;
		skb = skb_vlan_untag(skb);
		if (unlikely(!skb)) {
			vsw_port_count_drop(port, VSW_DROP_MALFORMED);
			goto out;
		}
	}
	vsw_process(sw, port, skb);
out:
	rcu_read_unlock();
	return NETDEV_TX_OK;
}

static void vsw_dev_get_stats64(struct net_device *dev,
				struct rtnl_link_stats64 *stats)
{
	struct vsw *sw = netdev_priv(dev);
	struct vsw_port_stats st;

	/* the device's view is the reverse of its port's */
	vsw_port_get_stats(sw->internal, &st);
	stats->rx_packets = st.tx_packets;
	stats->rx_bytes = st.tx_bytes;
	stats->tx_packets = st.rx_packets;
	stats->tx_bytes = st.rx_bytes;
	stats->tx_dropped = st.drops;
}

static int vsw_dev_add_slave(struct net_device *dev,
			     struct net_device *slave_dev,
			     struct netlink_ext_ack *extack)
{
	return vsw_port_add(netdev_priv(dev), slave_dev, extack);
}

static int vsw_dev_del_slave(struct net_device *dev,
			     struct net_device *slave_dev)
{
	struct vsw_port *port = vsw_port_from_dev(slave_dev);

	if (!port || port->internal || port->sw != netdev_priv(dev))
		return -EINVAL;
	vsw_port_del(port);
	return 0;
}

/* ---------------------------------------------------------------------- */
/* "bridge fdb show": rtnetlink calls the switch device's own ndo_fdb_dump
 * (as "self"), so the whole FDB is listed, each entry with its port as the
 * device and the switch as master, like the bridge does. "bridge fdb show
 * br sw0" and "bridge fdb add/del ... master" only reach bridge masters
 * and ports (IFF_EBRIDGE / IFF_BRIDGE_PORT): faking those flags would make
 * bridge code treat our private data as its own, so they are not offered.
 */

struct vsw_fdb_dump {
	struct sk_buff *skb;
	struct netlink_callback *cb;
	struct net_device *dev;
	int *idx;
};

static int vsw_fdb_fill(const struct vsw_fdb_entry *f, void *arg)
{
	const struct vsw_port *port = READ_ONCE(f->port);
	struct vsw_fdb_dump *d = arg;
	struct nda_cacheinfo ci = {};
	struct nlmsghdr *nlh;
	struct ndmsg *ndm;

	if (*d->idx < d->cb->args[2])
		goto skip;
	nlh = nlmsg_put(d->skb, NETLINK_CB(d->cb->skb).portid,
			d->cb->nlh->nlmsg_seq, RTM_NEWNEIGH, sizeof(*ndm),
			NLM_F_MULTI);
	if (!nlh)
		return -EMSGSIZE;
	ndm = nlmsg_data(nlh);
	memset(ndm, 0, sizeof(*ndm));
	ndm->ndm_family = AF_BRIDGE;
	ndm->ndm_flags = NTF_MASTER;
	ndm->ndm_ifindex = port->dev->ifindex;
	ndm->ndm_state = f->flags & VSW_FDB_F_STATIC ? NUD_NOARP :
						       NUD_REACHABLE;
	ci.ndm_updated = jiffies_to_clock_t(jiffies - READ_ONCE(f->updated));
	ci.ndm_used = ci.ndm_updated;
	if (nla_put(d->skb, NDA_LLADDR, ETH_ALEN, f->key.addr) ||
	    nla_put_u32(d->skb, NDA_MASTER, d->dev->ifindex) ||
	    nla_put(d->skb, NDA_CACHEINFO, sizeof(ci), &ci) ||
	    nla_put_u16(d->skb, NDA_VLAN, f->key.vid)) {
		nlmsg_cancel(d->skb, nlh);
		return -EMSGSIZE;
	}
	nlmsg_end(d->skb, nlh);
skip:
	*d->idx += 1;
	return 0;
}

static int vsw_dev_fdb_dump(struct sk_buff *skb, struct netlink_callback *cb,
			    struct net_device *dev,
			    struct net_device *filter_dev, int *idx)
{
	struct vsw_fdb_dump d = { skb, cb, dev, idx };
	struct vsw_walk_pos pos = {};
	int err;

	err = ndo_dflt_fdb_dump(skb, cb, dev, filter_dev, idx);
	if (err < 0)
		return err;
	return vsw_fdb_walk(netdev_priv(dev), &pos, vsw_fdb_fill, &d);
}

static const struct net_device_ops vsw_netdev_ops = {
	.ndo_init		= vsw_dev_init,
	.ndo_uninit		= vsw_dev_uninit,
	.ndo_open		= vsw_dev_open,
	.ndo_stop		= vsw_dev_stop,
	.ndo_start_xmit		= vsw_dev_xmit,
	.ndo_get_stats64	= vsw_dev_get_stats64,
	.ndo_set_mac_address	= eth_mac_addr,
	.ndo_validate_addr	= eth_validate_addr,
	.ndo_add_slave		= vsw_dev_add_slave,
	.ndo_del_slave		= vsw_dev_del_slave,
	.ndo_fdb_dump		= vsw_dev_fdb_dump,
};

static void vsw_setup(struct net_device *dev)
{
	ether_setup(dev);
	eth_hw_addr_random(dev);
	dev->netdev_ops = &vsw_netdev_ops;
	dev->needs_free_netdev = true;
	dev->priv_destructor = vsw_dev_free;
	/* frames are edited (pull, tags): no shared skbs (pktgen) */
	dev->priv_flags &= ~IFF_TX_SKB_SHARING;
	/*
	 * No netpoll (netconsole): its transmit runs with IRQs off, and ours
	 * takes BH spinlocks (learning, cache inserts), which must not be
	 * taken, let alone released (local_bh_enable()), with IRQs off.
	 */
	dev->priv_flags |= IFF_NO_QUEUE | IFF_LIVE_ADDR_CHANGE |
			   IFF_DISABLE_NETPOLL;
	dev->features |= NETIF_F_SG | NETIF_F_FRAGLIST | NETIF_F_HIGHDMA |
			 NETIF_F_HW_CSUM | NETIF_F_GSO_SOFTWARE |
			 NETIF_F_HW_VLAN_CTAG_TX | NETIF_F_HW_VLAN_STAG_TX;
	dev->hw_features = dev->features;
	dev->vlan_features = dev->features & ~(NETIF_F_HW_VLAN_CTAG_TX |
					       NETIF_F_HW_VLAN_STAG_TX);
	vsw_dev_set_lltx_netns_local(dev);
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = ETH_MAX_MTU;
}

static int vsw_validate(struct nlattr *tb[], struct nlattr *data[],
			struct netlink_ext_ack *extack)
{
	if (data) {
		NL_SET_ERR_MSG_MOD(extack, "vsw takes no link attributes");
		return -EINVAL;
	}
	if (tb[IFLA_ADDRESS] && (nla_len(tb[IFLA_ADDRESS]) != ETH_ALEN ||
				 !is_valid_ether_addr(nla_data(tb[IFLA_ADDRESS])))) {
		NL_SET_ERR_MSG_MOD(extack, "Invalid MAC address");
		return -EADDRNOTAVAIL;
	}
	return 0;
}

static void vsw_dellink(struct net_device *dev, struct list_head *head)
{
	struct vsw *sw = netdev_priv(dev);
	struct vsw_port *port, *tmp;

	list_for_each_entry_safe(port, tmp, &sw->ports, list)
		if (!port->internal)
			vsw_port_del(port);
	unregister_netdevice_queue(dev, head);
}

/* maxtype 1 (no attribute 1 exists) only so that IFLA_INFO_DATA reaches
 * vsw_validate() and can be refused
 */
static const struct nla_policy vsw_link_policy[2] = {
	[1] = { .type = NLA_REJECT },
};

struct rtnl_link_ops vsw_link_ops __read_mostly = {
	.kind		= "vsw",
	.priv_size	= sizeof(struct vsw),
	.setup		= vsw_setup,
	.maxtype	= 1,
	.policy		= vsw_link_policy,
	.validate	= vsw_validate,
	.dellink	= vsw_dellink,
};
EXPORT_SYMBOL_VSW_KUNIT(vsw_link_ops);

/* ---------------------------------------------------------------------- */
/* Netdevice events                                                       */

static int vsw_netdev_event(struct notifier_block *nb, unsigned long event,
			    void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct vsw_port *port = vsw_port_from_dev(dev);

	if (!port)
		return NOTIFY_DONE;

	switch (event) {
	case NETDEV_UNREGISTER:
		/* also a move to another netns; the switch itself goes
		 * through dellink/uninit
		 */
		if (!port->internal)
			vsw_port_del(port);
		break;
	case NETDEV_UP:
	case NETDEV_DOWN:
	case NETDEV_CHANGE:
		vsw_port_oper_changed(port);
		break;
	case NETDEV_CHANGEADDR:
		if (port->internal)
			vsw_invalidate(port->sw);	/* frames to our MAC */
		break;
	case NETDEV_CHANGEMTU:
		vsw_invalidate(port->sw);
		break;
	case NETDEV_PRE_TYPE_CHANGE:
		/* a port must stay Ethernet */
		return notifier_from_errno(-EBUSY);
	}
	return NOTIFY_DONE;
}

static struct notifier_block vsw_notifier = {
	.notifier_call = vsw_netdev_event,
};

/* ---------------------------------------------------------------------- */

static int __init vsw_init(void)
{
	int err;

	err = vsw_flow_init();
	if (err)
		return err;
	/* the family first: a switch can emit events as soon as it exists */
	err = vsw_nl_init();
	if (err)
		goto err_flow;
	err = register_netdevice_notifier(&vsw_notifier);
	if (err)
		goto err_nl;
	err = rtnl_link_register(&vsw_link_ops);
	if (err)
		goto err_notifier;
	return 0;

err_notifier:
	unregister_netdevice_notifier(&vsw_notifier);
err_nl:
	vsw_nl_exit();
err_flow:
	vsw_flow_exit();
	return err;
}

static void __exit vsw_exit(void)
{
	/* deletes every vsw device in every netns (dellink) and waits */
	rtnl_link_unregister(&vsw_link_ops);
	unregister_netdevice_notifier(&vsw_notifier);
	vsw_nl_exit();
	/* call_rcu() callbacks (ports, rules, cache entries) run our code */
	rcu_barrier();
	vsw_flow_exit();
}

module_init(vsw_init);
module_exit(vsw_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("vsw: flow-based 802.1Q VLAN-aware virtual switch");
MODULE_ALIAS_RTNL_LINK("vsw");
