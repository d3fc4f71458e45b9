// SPDX-License-Identifier: GPL-2.0
/*
 * vsw - flow key extraction: the fields of a frame that rules and the flow
 * cache match on (struct vsw_key), read with skb_header_pointer() so that
 * a truncated frame yields zeroed fields, never a read past its end.
 */
#include <linux/if_arp.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/dsfield.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "vsw_dp.h"

/* ---------------------------------------------------------------------- */
/* Flow key                                                               */

static int key_l4(const struct sk_buff *skb, int off, struct vsw_key *key)
{
	switch (key->ip_proto) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
	case IPPROTO_SCTP: {
		const __be16 *ports;
		__be16 _ports[2];

		ports = skb_header_pointer(skb, off, sizeof(_ports), _ports);
		if (!ports)
			return -EINVAL;
		key->tp_src = ports[0];
		key->tp_dst = ports[1];
		break;
	}
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6: {
		const u8 *tc;
		u8 _tc[2];

		tc = skb_header_pointer(skb, off, sizeof(_tc), _tc);
		if (!tc)
			return -EINVAL;
		key->tp_src = htons(tc[0]);	/* type */
		key->tp_dst = htons(tc[1]);	/* code */
		break;
	}
	}
	return 0;
}

static int key_ipv4(const struct sk_buff *skb, int off, struct vsw_key *key)
{
	const struct iphdr *iph;
	struct iphdr _iph;

	iph = skb_header_pointer(skb, off, sizeof(_iph), &_iph);
	if (!iph || iph->version != 4 || iph->ihl < 5)
		return -EINVAL;
	key->nw.ipv4.src = iph->saddr;
	key->nw.ipv4.dst = iph->daddr;
	key->ip_proto = iph->protocol;
	key->ip_tos = iph->tos;
	if (iph->frag_off & htons(IP_OFFSET))
		return 0;		/* a later fragment: no L4 header */
	return key_l4(skb, off + iph->ihl * 4, key);
}

static int key_ipv6(const struct sk_buff *skb, int off, struct vsw_key *key)
{
	const struct ipv6hdr *ip6;
	struct ipv6hdr _ip6;
	__be16 frag_off;
	u8 nexthdr;
	int l4;

	ip6 = skb_header_pointer(skb, off, sizeof(_ip6), &_ip6);
	if (!ip6 || ip6->version != 6)
		return -EINVAL;
	key->nw.ipv6.src = ip6->saddr;
	key->nw.ipv6.dst = ip6->daddr;
	key->ip_tos = ipv6_get_dsfield(ip6);
	nexthdr = ip6->nexthdr;
	key->ip_proto = nexthdr;
	if (!IS_ENABLED(CONFIG_IPV6))
		return 0;
	l4 = ipv6_skip_exthdr(skb, off + sizeof(_ip6), &nexthdr, &frag_off);
	if (l4 < 0)
		return nexthdr == NEXTHDR_NONE ? 0 : -EINVAL;
	key->ip_proto = nexthdr;
	if (frag_off & htons(IP6_OFFSET))
		return 0;
	return key_l4(skb, l4, key);
}

static int key_arp(const struct sk_buff *skb, int off, struct vsw_key *key)
{
	const struct arphdr *arp;
	struct arphdr _arp;
	const u8 *body;
	u8 _body[2 * (ETH_ALEN + 4)];

	arp = skb_header_pointer(skb, off, sizeof(_arp), &_arp);
	if (!arp)
		return -EINVAL;
	key->tp_src = arp->ar_op;
	key->ip_proto = ntohs(arp->ar_op) & 0xff;
	if (arp->ar_hrd != htons(ARPHRD_ETHER) ||
	    arp->ar_pro != htons(ETH_P_IP) ||
	    arp->ar_hln != ETH_ALEN || arp->ar_pln != 4)
		return 0;
	body = skb_header_pointer(skb, off + sizeof(_arp), sizeof(_body), _body);
	if (!body)
		return -EINVAL;
	memcpy(&key->nw.ipv4.src, body + ETH_ALEN, 4);
	memcpy(&key->nw.ipv4.dst, body + 2 * ETH_ALEN + 4, 4);
	return 0;
}

int __vsw_key_extract(const struct sk_buff *skb, u32 in_ifindex,
		      struct vsw_key *key, bool l3)
{
	const struct ethhdr *eth;
	struct ethhdr _eth;
	int off, depth = 0;
	__be16 proto;

	memset(key, 0, sizeof(*key));
	key->in_port = in_ifindex;
	if (!skb_mac_header_was_set(skb))
		return -EINVAL;
	/* the MAC header is before skb->data: negative offsets are fine */
	off = skb_mac_offset(skb);
	eth = skb_header_pointer(skb, off, sizeof(_eth), &_eth);
	if (!eth)
		return -EINVAL;
	ether_addr_copy(key->eth_dst, eth->h_dest);
	ether_addr_copy(key->eth_src, eth->h_source);
	proto = eth->h_proto;
	off += ETH_HLEN;

	if (skb_vlan_tag_present(skb)) {
		key->vlan_tci = htons(skb_vlan_tag_get(skb) | VSW_TAG_PRESENT);
		key->vlan_tpid = skb->vlan_proto;
		depth = 1;
	}
	for (; depth < 2 && eth_type_vlan(proto); depth++) {
		const struct vlan_hdr *vh;
		struct vlan_hdr _vh;

		vh = skb_header_pointer(skb, off, sizeof(_vh), &_vh);
		if (!vh)
			return -EINVAL;
		if (!depth) {
			key->vlan_tci = vh->h_vlan_TCI | htons(VSW_TAG_PRESENT);
			key->vlan_tpid = proto;
		} else {
			key->cvlan_tci = vh->h_vlan_TCI | htons(VSW_TAG_PRESENT);
			key->cvlan_tpid = proto;
		}
		proto = vh->h_vlan_encapsulated_proto;
		off += VLAN_HLEN;
	}
	key->eth_type = proto;
	if (!l3)
		return 0;

	switch (proto) {
	case htons(ETH_P_IP):
		return key_ipv4(skb, off, key);
	case htons(ETH_P_IPV6):
		return key_ipv6(skb, off, key);
	case htons(ETH_P_ARP):
		return key_arp(skb, off, key);
	}
	return 0;
}
EXPORT_SYMBOL_VSW_KUNIT(__vsw_key_extract);

int vsw_key_extract(const struct sk_buff *skb, u32 in_ifindex,
		    struct vsw_key *key)
{
	return __vsw_key_extract(skb, in_ifindex, key, true);
}
EXPORT_SYMBOL_VSW_KUNIT(vsw_key_extract);
