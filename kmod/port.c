// SPDX-License-Identifier: GPL-2.0
/*
 * vsw - ports: enslaving devices (rx_handler + master upper link, like
 * the bridge), their configuration and counters. The rx_handler,
 * vsw_handle_frame(), is where a port's frame enters the switch: it hands
 * it to vsw_process() (datapath.c).
 */
#include <linux/if_arp.h>
#include <linux/slab.h>
#include <net/psample.h>

#include "vsw_dp.h"

/*
 * Sampling (psample): the group a sampling configuration needs, taken
 * before anything changes; NULL when @cfg does not sample. RTNL.
 */
static struct psample_group *vsw_sample_group_get(struct net_device *dev,
						  const struct vsw_port_cfg *cfg,
						  int *err)
{
	struct psample_group *group = NULL;

	*err = 0;
#if IS_ENABLED(CONFIG_PSAMPLE)
	if (cfg->sample_rate) {
		group = psample_group_get(dev_net(dev), cfg->sample_group);
		if (!group)
			*err = -ENOMEM;
	}
#endif
	return group;
}

/*
 * Publish @group (may be NULL) and @rate for the fast path and drop the
 * old group. RTNL. A reader that still sees the old group uses it under
 * RCU: psample frees a group after a grace period.
 */
static void vsw_port_sample_set(struct vsw_port *port,
				struct psample_group *group, u32 rate)
{
#if IS_ENABLED(CONFIG_PSAMPLE)
	struct psample_group *old = rtnl_dereference(port->sample_group);

	WRITE_ONCE(port->sample_rate, group ? rate : 0);
	rcu_assign_pointer(port->sample_group, group);
	if (old)
		psample_group_put(old);
#endif
}

/* Sampling off, the group dropped: before the port's netns can go. RTNL. */
void vsw_port_sample_stop(struct vsw_port *port)
{
	vsw_port_sample_set(port, NULL, 0);
}

void vsw_port_cfg_default(struct vsw_port_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->mode = VSW_VLAN_MODE_ACCESS;
	cfg->tag = 1;
	cfg->learning = true;
	cfg->flood_ucast = true;
	cfg->flood_bcast = true;
	cfg->flood_mcast = true;
	cfg->qinq_tpid = htons(ETH_P_8021AD);
}
EXPORT_SYMBOL_VSW_KUNIT(vsw_port_cfg_default);

struct vsw_port *vsw_port_create(struct vsw *sw, struct net_device *dev,
				 bool internal)
{
	struct psample_group *group;
	struct vsw_port_cfg *cfg;
	struct vsw_port *port;
	int err;

	port = kzalloc(sizeof(*port), VSW_GFP_USER);
	cfg = kzalloc(sizeof(*cfg), VSW_GFP_USER);
	if (!port || !cfg)
		goto err;
	port->stats = __netdev_alloc_pcpu_stats(struct vsw_pcpu_stats,
						VSW_GFP_USER);
	if (!port->stats)
		goto err;
	if (internal) {
		vsw_port_cfg_default(cfg);
	} else {
		memcpy(cfg, rtnl_dereference(sw->port_default), sizeof(*cfg));
		memset(&cfg->rcu, 0, sizeof(cfg->rcu));
	}
	group = vsw_sample_group_get(dev, cfg, &err);
	if (err)
		goto err_stats;
	RCU_INIT_POINTER(port->cfg, cfg);
	port->dev = dev;
	port->sw = sw;
	port->internal = internal;
	INIT_LIST_HEAD(&port->list);
	RCU_INIT_POINTER(port->sample_group, group);
	port->sample_rate = group ? cfg->sample_rate : 0;
	return port;

err_stats:
	free_percpu(port->stats);
err:
	kfree(cfg);
	kfree(port);
	return NULL;
}
EXPORT_SYMBOL_VSW_KUNIT(vsw_port_create);

/* No reader can see @port any more. */
void vsw_port_destroy(struct vsw_port *port)
{
	/* RTNL, unless vsw_port_sample_stop() already ran (port_del) */
	if (rcu_access_pointer(port->sample_group))
		vsw_port_sample_stop(port);
	kfree(rcu_dereference_protected(port->cfg, 1));
	free_percpu(port->stats);
	kfree(port);
}
EXPORT_SYMBOL_VSW_KUNIT(vsw_port_destroy);

static void vsw_port_free_rcu(struct rcu_head *head)
{
	vsw_port_destroy(container_of(head, struct vsw_port, rcu));
}

bool vsw_port_oper_up(const struct vsw_port *port)
{
	return netif_running(port->dev) && netif_carrier_ok(port->dev);
}

static rx_handler_result_t vsw_handle_frame(struct sk_buff **pskb)
{
	struct sk_buff *skb = *pskb;
	struct vsw_port *port;

	if (unlikely(skb->pkt_type == PACKET_LOOPBACK))
		return RX_HANDLER_PASS;
	/*
	 * IEEE 802.1D reserved group addresses (STP, LACP, LLDP...) are not
	 * switched, as with the bridge: they belong to the port's own stack.
	 */
	if (unlikely(is_link_local_ether_addr(eth_hdr(skb)->h_dest)))
		return RX_HANDLER_PASS;

	port = rcu_dereference(skb->dev->rx_handler_data);
	skb = skb_share_check(skb, GFP_ATOMIC);
	if (skb)
		vsw_process(port->sw, port, skb);
	return RX_HANDLER_CONSUMED;
}

struct vsw_port *vsw_port_from_dev(const struct net_device *dev)
{
	struct vsw *sw = vsw_from_dev(dev);

	if (sw)
		return sw->internal;
	if (rcu_access_pointer(dev->rx_handler) == vsw_handle_frame)
		return rcu_dereference_rtnl(dev->rx_handler_data);
	return NULL;
}
EXPORT_SYMBOL_VSW_KUNIT(vsw_port_from_dev);

struct vsw_port *vsw_port_by_ifindex(struct vsw *sw, int ifindex)
{
	struct vsw_port *p;

	list_for_each_entry_rcu(p, &sw->ports, list, lockdep_rtnl_is_held())
		if (p->dev->ifindex == ifindex)
			return p;
	return NULL;
}

int vsw_port_add(struct vsw *sw, struct net_device *dev,
		 struct netlink_ext_ack *extack)
{
	struct vsw_port *port;
	int err;

	ASSERT_RTNL();
	if (dev == sw->dev) {
		NL_SET_ERR_MSG_MOD(extack, "Cannot add a switch to itself");
		return -ELOOP;
	}
	if (netif_is_vsw(dev)) {
		/* simplest loop-free answer: no switch in a switch */
		NL_SET_ERR_MSG_MOD(extack, "A vsw switch cannot be a port of a vsw switch");
		return -ELOOP;
	}
	if (dev->flags & IFF_LOOPBACK) {
		NL_SET_ERR_MSG_MOD(extack, "Loopback device cannot be a port");
		return -EINVAL;
	}
	if (dev->type != ARPHRD_ETHER || dev->addr_len != ETH_ALEN) {
		NL_SET_ERR_MSG_MOD(extack, "Only Ethernet devices can be ports");
		return -EINVAL;
	}
	if (dev->priv_flags & IFF_DONT_BRIDGE) {
		NL_SET_ERR_MSG_MOD(extack, "Device does not allow enslaving to a switch");
		return -EOPNOTSUPP;
	}
	if (!net_eq(dev_net(dev), dev_net(sw->dev))) {
		NL_SET_ERR_MSG_MOD(extack, "Device is in another network namespace");
		return -EINVAL;
	}
	if (netdev_master_upper_dev_get(dev)) {
		NL_SET_ERR_MSG_MOD(extack, "Device is already enslaved");
		return -EBUSY;
	}
	if (netdev_is_rx_handler_busy(dev)) {
		NL_SET_ERR_MSG_MOD(extack, "Device is already in use (rx handler busy)");
		return -EBUSY;
	}
	if (sw->n_ports >= VSW_MAX_PORTS) {
		NL_SET_ERR_MSG_MOD(extack, "Too many ports");
		return -ENOSPC;
	}

	port = vsw_port_create(sw, dev, false);
	if (!port)
		return -ENOMEM;
	err = dev_set_promiscuity(dev, 1);
	if (err)
		goto err_free;
	/* LRO-merged frames cannot be forwarded */
	dev_disable_lro(dev);
	err = netdev_rx_handler_register(dev, vsw_handle_frame, port);
	if (err) {
		NL_SET_ERR_MSG_MOD(extack, "Device is already in use (rx handler busy)");
		goto err_promisc;
	}
	err = netdev_master_upper_dev_link(dev, sw->dev, NULL, NULL, extack);
	if (err)
		goto err_rx_handler;

	port->oper_up = vsw_port_oper_up(port);
	list_add_tail_rcu(&port->list, &sw->ports);
	WRITE_ONCE(sw->n_ports, sw->n_ports + 1);
	vsw_invalidate(sw);
	vsw_nl_notify_port(port, VSW_EVENT_PORT_ADDED);
	return 0;

err_rx_handler:
	netdev_rx_handler_unregister(dev);
err_promisc:
	dev_set_promiscuity(dev, -1);
err_free:
	vsw_port_destroy(port);
	return err;
}
EXPORT_SYMBOL_VSW_KUNIT(vsw_port_add);

void vsw_port_del(struct vsw_port *port)
{
	struct vsw_backend *be = rtnl_dereference(port->backend);
	struct net_device *dev = port->dev;
	struct vsw *sw = port->sw;

	ASSERT_RTNL();
	if (be) {
		/* the synchronize_net() below ends its xmit() calls */
		RCU_INIT_POINTER(port->backend, NULL);
		RCU_INIT_POINTER(be->port, NULL);
		if (be->ops->unbind)
			be->ops->unbind(be->priv);
	}
	list_del_rcu(&port->list);
	WRITE_ONCE(sw->n_ports, sw->n_ports - 1);
	vsw_port_sample_stop(port);
	netdev_upper_dev_unlink(dev, sw->dev);
	/* waits for readers (synchronize_net): nothing learns on it after */
	netdev_rx_handler_unregister(dev);
	dev_set_promiscuity(dev, -1);
	vsw_fdb_flush(sw, port, 0);
	vsw_invalidate(sw);
	vsw_nl_notify_port(port, VSW_EVENT_PORT_REMOVED);
	/* cache entries may still point to it: free after the bump + GP */
	call_rcu(&port->rcu, vsw_port_free_rcu);
}

void vsw_port_oper_changed(struct vsw_port *port)
{
	bool up = vsw_port_oper_up(port);

	ASSERT_RTNL();
	if (up == port->oper_up)
		return;
	port->oper_up = up;
	vsw_invalidate(port->sw);
	vsw_nl_notify_port(port, up ? VSW_EVENT_PORT_UP : VSW_EVENT_PORT_DOWN);
}

int vsw_port_cfg_validate(const struct vsw_port_cfg *cfg,
			  struct netlink_ext_ack *extack)
{
	unsigned int i;

	if (cfg->mode >= __VSW_VLAN_MODE_MAX) {
		NL_SET_ERR_MSG_MOD(extack, "Invalid VLAN mode");
		return -EINVAL;
	}
	if (cfg->tag < 1 || cfg->tag > VSW_VID_MAX) {
		NL_SET_ERR_MSG_MOD(extack, "VLAN tag must be 1-4094");
		return -EINVAL;
	}
	if (test_bit(0, cfg->trunks) || test_bit(VLAN_N_VID - 1, cfg->trunks)) {
		NL_SET_ERR_MSG_MOD(extack, "VLANs 0 and 4095 cannot be trunked");
		return -EINVAL;
	}
	if (test_bit(VLAN_N_VID - 1, cfg->cvlans)) {
		NL_SET_ERR_MSG_MOD(extack, "Customer VLAN 4095 is invalid");
		return -EINVAL;
	}
	if (cfg->priority_tags >= __VSW_PRIORITY_TAGS_MAX) {
		NL_SET_ERR_MSG_MOD(extack, "Invalid priority-tags mode");
		return -EINVAL;
	}
	if (cfg->qinq_tpid != htons(ETH_P_8021AD) &&
	    cfg->qinq_tpid != htons(ETH_P_8021Q)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "QinQ ethertype must be 0x88a8 (802.1ad) or 0x8100 (802.1q)");
		return -EINVAL;
	}
	if (!IS_ENABLED(CONFIG_PSAMPLE) && cfg->sample_rate) {
		NL_SET_ERR_MSG_MOD(extack,
				   "Sampling needs a kernel with psample (CONFIG_PSAMPLE)");
		return -EOPNOTSUPP;
	}
	for (i = 0; i < VSW_STORM_N; i++) {
		if (cfg->storm_pps[i] > VSW_STORM_PPS_MAX) {
			NL_SET_ERR_MSG_MOD(extack,
					   "Storm control rate above VSW_STORM_PPS_MAX");
			return -EINVAL;
		}
	}
	return 0;
}

int vsw_port_set_cfg(struct vsw_port *port, const struct vsw_port_cfg *cfg,
		     struct netlink_ext_ack *extack)
{
	struct vsw_port_cfg *new, *old;
	struct psample_group *group;
	struct vsw *sw = port->sw;
	int err;

	ASSERT_RTNL();
	err = vsw_port_cfg_validate(cfg, extack);
	if (err)
		return err;
	new = kmemdup(cfg, sizeof(*cfg), VSW_GFP_USER);
	if (!new)
		return -ENOMEM;
	new->cvlans_filter = !bitmap_empty(new->cvlans, VLAN_N_VID);
	group = vsw_sample_group_get(port->dev, new, &err);
	if (err) {
		kfree(new);
		return err;
	}

	old = rtnl_dereference(port->cfg);
	rcu_assign_pointer(port->cfg, new);
	vsw_port_sample_set(port, group, new->sample_rate);
	vsw_fdb_flush_vlans(sw, port, new);
	vsw_invalidate(sw);
	vsw_nl_notify_port(port, VSW_EVENT_PORT_CHANGED);
	kfree_rcu(old, rcu);
	return 0;
}
EXPORT_SYMBOL_VSW_KUNIT(vsw_port_set_cfg);

static void port_stats_add(const struct vsw_port *port,
			   struct vsw_port_stats *st)
{
	int cpu, i;

	for_each_possible_cpu(cpu) {
		const struct vsw_pcpu_stats *s = per_cpu_ptr(port->stats, cpu);
		u64 rxp, rxb, txp, txb, drop[__VSW_DROP_MAX];
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			rxp = u64_stats_read(&s->rx_packets);
			rxb = u64_stats_read(&s->rx_bytes);
			txp = u64_stats_read(&s->tx_packets);
			txb = u64_stats_read(&s->tx_bytes);
			for (i = 0; i < __VSW_DROP_MAX; i++)
				drop[i] = u64_stats_read(&s->drops[i]);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		st->rx_packets += rxp;
		st->rx_bytes += rxb;
		st->tx_packets += txp;
		st->tx_bytes += txb;
		for (i = 0; i < __VSW_DROP_MAX; i++) {
			st->drop[i] += drop[i];
			st->drops += drop[i];
		}
	}
}

void vsw_port_get_stats(const struct vsw_port *port, struct vsw_port_stats *st)
{
	memset(st, 0, sizeof(*st));
	port_stats_add(port, st);
}
EXPORT_SYMBOL_VSW_KUNIT(vsw_port_get_stats);

void vsw_get_stats(const struct vsw *sw, struct vsw_port_stats *st)
{
	const struct vsw_port *p;

	memset(st, 0, sizeof(*st));
	rcu_read_lock();
	list_for_each_entry_rcu(p, &sw->ports, list)
		port_stats_add(p, st);
	rcu_read_unlock();
}
