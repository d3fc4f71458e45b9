// SPDX-License-Identifier: GPL-2.0
/*
 * vsw - the backend API (for vsw_vhost.ko): a backend takes over a port's
 * peer side. Attached, it gets the frames the switch sends to the port
 * (ops->xmit() from vsw_output()) and hands the frames its peer sends to
 * vsw_backend_receive(), which enters them into the switch as if the
 * port's device had received them. See struct vsw_backend in vsw.h.
 */

#include <linux/etherdevice.h>

#include "vsw_dp.h"

int vsw_backend_attach(struct vsw_backend *be, struct net_device *dev)
{
	struct vsw_port *port;

	ASSERT_RTNL();
	port = vsw_port_from_dev(dev);
	if (!port || port->internal)
		return -ENODEV;
	if (rtnl_dereference(port->backend))
		return -EBUSY;
	rcu_assign_pointer(be->port, port);
	rcu_assign_pointer(port->backend, be);
	vsw_nl_notify_port(port, VSW_EVENT_PORT_CHANGED);
	return 0;
}
EXPORT_SYMBOL_GPL(vsw_backend_attach);

void vsw_backend_detach(struct vsw_backend *be)
{
	struct vsw_port *port = rtnl_dereference(be->port);

	ASSERT_RTNL();
	if (port) {
		RCU_INIT_POINTER(port->backend, NULL);
		RCU_INIT_POINTER(be->port, NULL);
		vsw_nl_notify_port(port, VSW_EVENT_PORT_CHANGED);
	}
	/* no xmit() to @be, no reader of its counters after this */
	synchronize_net();
}
EXPORT_SYMBOL_GPL(vsw_backend_detach);

unsigned int vsw_backend_receive(struct vsw_backend *be,
				 struct sk_buff_head *frames)
{
	struct vsw_port *port;
	struct sk_buff *skb;
	unsigned int n = 0;

	local_bh_disable();
	rcu_read_lock();
	port = rcu_dereference(be->port);
	if (unlikely(!port || !vsw_port_oper_up(port))) {
		__skb_queue_purge(frames);
		goto out;
	}
	while ((skb = __skb_dequeue(frames))) {
		n++;
		skb->dev = port->dev;
		skb->protocol = eth_type_trans(skb, port->dev);
		skb_reset_network_header(skb);
		if (!skb_transport_header_was_set(skb))
			skb_reset_transport_header(skb);
		skb_reset_mac_len(skb);
		/* link-local groups belong to the device's own stack, as
		 * they do when it receives them (see vsw_handle_frame())
		 */
		if (unlikely(is_link_local_ether_addr(eth_hdr(skb)->h_dest))) {
			netif_receive_skb(skb);
			continue;
		}
		if (eth_type_vlan(skb->protocol)) {
			/* the outer tag goes to hwaccel, as the core does */
			skb = skb_vlan_untag(skb);
			if (unlikely(!skb)) {
				vsw_port_count_drop(port, VSW_DROP_MALFORMED);
				continue;
			}
		}
		vsw_process(port->sw, port, skb);
	}
out:
	rcu_read_unlock();
	local_bh_enable();
	return n;
}
EXPORT_SYMBOL_GPL(vsw_backend_receive);
