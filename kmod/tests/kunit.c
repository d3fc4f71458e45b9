// SPDX-License-Identifier: GPL-2.0
/*
 * vsw - KUnit tests (vsw_kunit.ko, built when the kernel has CONFIG_KUNIT).
 *
 *  vsw_key:   flow key extraction over crafted frames, and every truncation
 *  vsw_vlan:  the per-mode ingress/egress decisions (pure functions)
 *  vsw_rule:  rule priority, masked matches, staged mask unions
 *  vsw_storm: the storm control rate check (pure function)
 *  vsw_dp:    a live switch with fake ports (dp_test.c)
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/module.h>
#include <linux/prandom.h>
#include <linux/rtnetlink.h>
#include <net/rtnetlink.h>

#include "kunit.h"

static const u8 kt_dst[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0x02 };
const u8 kt_src[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0x01 };

/* ---------------------------------------------------------------------- */
/* Frame builder                                                          */

struct kt_pkt {
	const char *name;
	u8 ntags;
	u16 tpid[2];
	u16 tci[2];
	bool hwaccel;		/* the outer tag in skb metadata, as on rx */
	u16 type;		/* ethertype after the tags */
	u8 proto;		/* IPv4/IPv6 protocol */
};

/* offsets filled in by kt_build() */
struct kt_layout {
	unsigned int l3;	/* start of L3 in the wire frame */
	unsigned int l3_end;	/* end of the fixed L3 header */
	unsigned int l4_end;	/* end of the L4 fields the key uses */
	unsigned int len;	/* whole wire frame */
};

static unsigned int kt_put_l4(u8 *p, u8 proto, unsigned int *used)
{
	switch (proto) {
	case IPPROTO_TCP:
		put_unaligned_be16(1234, p);
		put_unaligned_be16(80, p + 2);
		*used = 4;
		return 20;
	case IPPROTO_UDP:
		put_unaligned_be16(53, p);
		put_unaligned_be16(5353, p + 2);
		*used = 4;
		return 8;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		p[0] = 8;
		p[1] = 0;
		*used = 2;
		return 8;
	}
	*used = 0;
	return 0;
}

/* Build the wire frame of @d into @buf (>= 128 bytes). */
static void kt_build(const struct kt_pkt *d, u8 *buf, struct kt_layout *l)
{
	unsigned int off = 2 * ETH_ALEN, i, used = 0, n;

	memset(buf, 0, 128);
	ether_addr_copy(buf, kt_dst);
	ether_addr_copy(buf + ETH_ALEN, kt_src);
	for (i = 0; i < d->ntags; i++) {
		put_unaligned_be16(d->tpid[i], buf + off);
		put_unaligned_be16(d->tci[i], buf + off + 2);
		off += VLAN_HLEN;
	}
	put_unaligned_be16(d->type, buf + off);
	off += 2;
	l->l3 = off;
	l->l3_end = off;
	l->l4_end = off;

	if (d->type == ETH_P_IP) {
		struct iphdr *ip = (struct iphdr *)(buf + off);

		ip->version = 4;
		ip->ihl = 5;
		ip->tos = 0x10;
		ip->protocol = d->proto;
		ip->saddr = htonl(0xc0000201);
		ip->daddr = htonl(0xc0000202);
		off += sizeof(*ip);
		l->l3_end = off;
		n = kt_put_l4(buf + off, d->proto, &used);
		l->l4_end = off + used;
		off += n;
	} else if (d->type == ETH_P_IPV6) {
		struct ipv6hdr *ip6 = (struct ipv6hdr *)(buf + off);

		ip6->version = 6;
		ip6->priority = 2;		/* traffic class 0x20 */
		ip6->nexthdr = d->proto;
		ip6->saddr.s6_addr[0] = 0x20;
		ip6->saddr.s6_addr[15] = 1;
		ip6->daddr.s6_addr[0] = 0x20;
		ip6->daddr.s6_addr[15] = 2;
		off += sizeof(*ip6);
		l->l3_end = off;
		n = kt_put_l4(buf + off, d->proto, &used);
		l->l4_end = off + used;
		off += n;
	} else if (d->type == ETH_P_ARP) {
		u8 *a = buf + off;

		/* l3_end: the fixed header (opcode); l4_end: the addresses */

		put_unaligned_be16(ARPHRD_ETHER, a);
		put_unaligned_be16(ETH_P_IP, a + 2);
		a[4] = ETH_ALEN;
		a[5] = 4;
		put_unaligned_be16(ARPOP_REQUEST, a + 6);
		ether_addr_copy(a + 8, kt_src);
		put_unaligned_be32(0xc0000201, a + 14);
		put_unaligned_be32(0xc0000202, a + 24);
		l->l3_end = off + 8;
		off += 28;
		l->l4_end = off;
	}
	l->len = off;
}

/*
 * An skb as a port's rx_handler sees it: MAC header set, data after the
 * Ethernet header; with @hwaccel the outer tag moved to the metadata.
 * Only the first @len bytes of the wire frame are present.
 */
static struct sk_buff *kt_skb(struct kunit *test, const u8 *frame,
			      unsigned int len, bool hwaccel)
{
	unsigned int hdr = min_t(unsigned int, len, ETH_HLEN);
	struct sk_buff *skb;

	skb = alloc_skb(len + 64, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, 32);
	if (hwaccel && len >= ETH_HLEN + VLAN_HLEN) {
		u16 tpid = get_unaligned_be16(frame + 12);
		u16 tci = get_unaligned_be16(frame + 14);

		skb_put_data(skb, frame, 12);
		skb_put_data(skb, frame + 16, len - 16);
		__vlan_hwaccel_put_tag(skb, htons(tpid), tci);
		len -= VLAN_HLEN;
	} else {
		skb_put_data(skb, frame, len);
	}
	skb_reset_mac_header(skb);
	__skb_pull(skb, hdr);
	return skb;
}

/* ---------------------------------------------------------------------- */
/* vsw_key                                                                */

static const struct kt_pkt kt_key_cases[] = {
	{ "ipv4-tcp", 0, {}, {}, false, ETH_P_IP, IPPROTO_TCP },
	{ "ipv4-udp", 0, {}, {}, false, ETH_P_IP, IPPROTO_UDP },
	{ "ipv4-icmp", 0, {}, {}, false, ETH_P_IP, IPPROTO_ICMP },
	{ "ipv6-udp", 0, {}, {}, false, ETH_P_IPV6, IPPROTO_UDP },
	{ "arp", 0, {}, {}, false, ETH_P_ARP, 0 },
	{ "other", 0, {}, {}, false, KT_TYPE_TEST, 0 },
	{ "dot1q-udp", 1, { ETH_P_8021Q }, { 0x600a }, false, ETH_P_IP,
	  IPPROTO_UDP },
	{ "dot1q-hwaccel-tcp", 1, { ETH_P_8021Q }, { 0x600a }, true, ETH_P_IP,
	  IPPROTO_TCP },
	{ "prio-tag", 1, { ETH_P_8021Q }, { 0xa000 }, false, ETH_P_IP,
	  IPPROTO_UDP },
	{ "qinq-udp", 2, { ETH_P_8021AD, ETH_P_8021Q }, { 0x0064, 0x2005 },
	  false, ETH_P_IP, IPPROTO_UDP },
	{ "qinq-hwaccel-ipv6", 2, { ETH_P_8021AD, ETH_P_8021Q },
	  { 0x0064, 0x2005 }, true, ETH_P_IPV6, IPPROTO_UDP },
	{ "qinq-arp", 2, { ETH_P_8021Q, ETH_P_8021Q }, { 0x000a, 0x0014 },
	  false, ETH_P_ARP, 0 },
};

static void kt_pkt_desc(const struct kt_pkt *p, char *desc)
{
	strscpy(desc, p->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(kt_key, kt_key_cases, kt_pkt_desc);

/* the key fields @d leads to, for a frame cut at @len (wire bytes) */
static void kt_expect_key(struct kunit *test, const struct kt_pkt *d,
			  const struct kt_layout *l, unsigned int len,
			  const struct vsw_key *k, int ret)
{
	unsigned int tags_end = 2 * ETH_ALEN + d->ntags * VLAN_HLEN + 2;
	bool hw = d->hwaccel && d->ntags;
	bool full_l3 = len >= l->l3_end, full_l4 = len >= l->l4_end;
	bool ip = d->type == ETH_P_IP || d->type == ETH_P_IPV6;

	/* a hwaccel outer tag needs the whole outer tag in the frame */
	if (len < ETH_HLEN || (hw && len < ETH_HLEN + VLAN_HLEN)) {
		KUNIT_EXPECT_EQ(test, ret, -EINVAL);
		return;
	}
	KUNIT_EXPECT_EQ(test, k->in_port, 7U);
	KUNIT_EXPECT_TRUE(test, ether_addr_equal(k->eth_src, kt_src));
	KUNIT_EXPECT_TRUE(test, ether_addr_equal(k->eth_dst, kt_dst));
	/* complete = every byte the key reads is there */
	KUNIT_EXPECT_EQ(test, ret, len >= l->l4_end ? 0 : -EINVAL);
	if (len < tags_end) {
		KUNIT_EXPECT_EQ(test, ntohs(k->eth_type), 0);
		return;
	}
	KUNIT_EXPECT_EQ(test, ntohs(k->eth_type), d->type);
	if (d->ntags > 0) {
		KUNIT_EXPECT_EQ(test, ntohs(k->vlan_tci),
				d->tci[0] | VSW_TAG_PRESENT);
		KUNIT_EXPECT_EQ(test, ntohs(k->vlan_tpid), d->tpid[0]);
	} else {
		KUNIT_EXPECT_EQ(test, ntohs(k->vlan_tci), 0);
	}
	if (d->ntags > 1) {
		KUNIT_EXPECT_EQ(test, ntohs(k->cvlan_tci),
				d->tci[1] | VSW_TAG_PRESENT);
		KUNIT_EXPECT_EQ(test, ntohs(k->cvlan_tpid), d->tpid[1]);
	} else {
		KUNIT_EXPECT_EQ(test, ntohs(k->cvlan_tci), 0);
	}
	if (!full_l3) {
		KUNIT_EXPECT_EQ(test, k->ip_proto, 0);
		KUNIT_EXPECT_EQ(test, ntohl(k->nw.ipv4.src), 0);
		KUNIT_EXPECT_EQ(test, ntohs(k->tp_src), 0);
		return;
	}
	if (d->type == ETH_P_IP) {
		KUNIT_EXPECT_EQ(test, ntohl(k->nw.ipv4.src), 0xc0000201);
		KUNIT_EXPECT_EQ(test, ntohl(k->nw.ipv4.dst), 0xc0000202);
		KUNIT_EXPECT_EQ(test, k->ip_tos, 0x10);
	} else if (d->type == ETH_P_IPV6) {
		KUNIT_EXPECT_EQ(test, k->nw.ipv6.src.s6_addr[15], 1);
		KUNIT_EXPECT_EQ(test, k->nw.ipv6.dst.s6_addr[15], 2);
		KUNIT_EXPECT_EQ(test, k->ip_tos, 0x20);
	} else if (d->type == ETH_P_ARP) {
		KUNIT_EXPECT_EQ(test, ntohs(k->tp_src), ARPOP_REQUEST);
		KUNIT_EXPECT_EQ(test, k->ip_proto, ARPOP_REQUEST);
		KUNIT_EXPECT_EQ(test, ntohl(k->nw.ipv4.src),
				full_l4 ? 0xc0000201 : 0);
		KUNIT_EXPECT_EQ(test, ntohl(k->nw.ipv4.dst),
				full_l4 ? 0xc0000202 : 0);
	}
	if (!ip)
		return;
	KUNIT_EXPECT_EQ(test, k->ip_proto, d->proto);
	if (!full_l4) {
		KUNIT_EXPECT_EQ(test, ntohs(k->tp_src), 0);
		KUNIT_EXPECT_EQ(test, ntohs(k->tp_dst), 0);
		return;
	}
	switch (d->proto) {
	case IPPROTO_TCP:
		KUNIT_EXPECT_EQ(test, ntohs(k->tp_src), 1234);
		KUNIT_EXPECT_EQ(test, ntohs(k->tp_dst), 80);
		break;
	case IPPROTO_UDP:
		KUNIT_EXPECT_EQ(test, ntohs(k->tp_src), 53);
		KUNIT_EXPECT_EQ(test, ntohs(k->tp_dst), 5353);
		break;
	case IPPROTO_ICMP:
		KUNIT_EXPECT_EQ(test, ntohs(k->tp_src), 8);
		KUNIT_EXPECT_EQ(test, ntohs(k->tp_dst), 0);
		break;
	}
}

/* The whole frame, then every shorter cut of it. */
static void kt_key_extract(struct kunit *test)
{
	const struct kt_pkt *d = test->param_value;
	struct kt_layout l;
	struct vsw_key k;
	unsigned int len;
	u8 buf[128];

	kt_build(d, buf, &l);
	for (len = l.len + 1; len-- > 0;) {
		struct sk_buff *skb = kt_skb(test, buf, len, d->hwaccel);
		int ret = vsw_key_extract(skb, 7, &k);

		kt_expect_key(test, d, &l, len, &k, ret);
		kfree_skb(skb);
	}
}

static void kt_key_fragment(struct kunit *test)
{
	static const struct kt_pkt d = { "frag", 0, {}, {}, false, ETH_P_IP,
					 IPPROTO_UDP };
	struct sk_buff *skb;
	struct kt_layout l;
	struct iphdr *ip;
	struct vsw_key k;
	u8 buf[128];

	kt_build(&d, buf, &l);
	ip = (struct iphdr *)(buf + l.l3);
	ip->frag_off = htons(100);	/* a later fragment: no ports */
	skb = kt_skb(test, buf, l.len, false);
	KUNIT_EXPECT_EQ(test, vsw_key_extract(skb, 1, &k), 0);
	KUNIT_EXPECT_EQ(test, k.ip_proto, IPPROTO_UDP);
	KUNIT_EXPECT_EQ(test, ntohs(k.tp_src), 0);
	KUNIT_EXPECT_EQ(test, ntohs(k.tp_dst), 0);
	kfree_skb(skb);

	ip->ihl = 4;			/* invalid: stop at L3 */
	skb = kt_skb(test, buf, l.len, false);
	KUNIT_EXPECT_EQ(test, vsw_key_extract(skb, 1, &k), -EINVAL);
	KUNIT_EXPECT_EQ(test, ntohl(k.nw.ipv4.src), 0);
	KUNIT_EXPECT_EQ(test, ntohs(k.eth_type), ETH_P_IP);
	kfree_skb(skb);
}

/* Without l3 (no rule looks there) the parse stops at the Ethernet type. */
static void kt_key_l2_only(struct kunit *test)
{
	static const struct kt_pkt d = { "l2", 0, {}, {}, false, ETH_P_IP,
					 IPPROTO_UDP };
	struct sk_buff *skb;
	struct kt_layout l;
	struct vsw_key k, zero = {};
	u8 buf[128];

	kt_build(&d, buf, &l);
	skb = kt_skb(test, buf, l.len, false);
	KUNIT_EXPECT_EQ(test, __vsw_key_extract(skb, 1, &k, false), 0);
	KUNIT_EXPECT_EQ(test, ntohs(k.eth_type), ETH_P_IP);
	KUNIT_EXPECT_EQ(test, k.in_port, 1U);
	KUNIT_EXPECT_TRUE(test, is_valid_ether_addr(k.eth_src));
	KUNIT_EXPECT_EQ(test, k.ip_proto, 0);
	KUNIT_EXPECT_EQ(test, ntohs(k.tp_dst), 0);
	KUNIT_EXPECT_EQ(test, memcmp(&k.nw, &zero.nw, sizeof(k.nw)), 0);
	/* the full parse of the same frame does fill them */
	KUNIT_EXPECT_EQ(test, __vsw_key_extract(skb, 1, &k, true), 0);
	KUNIT_EXPECT_EQ(test, k.ip_proto, IPPROTO_UDP);
	KUNIT_EXPECT_EQ(test, ntohs(k.tp_dst), 5353);
	kfree_skb(skb);
}

static struct kunit_case kt_key_test_cases[] = {
	KUNIT_CASE_PARAM(kt_key_extract, kt_key_gen_params),
	KUNIT_CASE(kt_key_fragment),
	KUNIT_CASE(kt_key_l2_only),
	{}
};

static struct kunit_suite kt_key_suite = {
	.name = "vsw_key",
	.test_cases = kt_key_test_cases,
};

/* ---------------------------------------------------------------------- */
/* vsw_vlan: the decision matrix                                          */

#define T(vid)		htons((vid) | VSW_TAG_PRESENT)	/* tag in key form */
#define Q		htons(ETH_P_8021Q)
#define AD		htons(ETH_P_8021AD)

void kt_cfg(struct vsw_port_cfg *c, u8 mode, u16 tag, u16 t1, u16 t2)
{
	vsw_port_cfg_default(c);
	c->mode = mode;
	c->tag = tag;
	if (t1)
		set_bit(t1, c->trunks);
	if (t2)
		set_bit(t2, c->trunks);
}

struct kt_in_case {
	const char *name;
	u8 mode;
	__be16 tci;
	__be16 tpid;
	bool admit;
	u16 vid;
	__be16 out_tpid;
};

/* ports: tag 10, trunks {20, 30}; tunnel: S-VLAN 100 */
static const struct kt_in_case kt_in_cases[] = {
	{ "access-untagged", VSW_VLAN_MODE_ACCESS, 0, 0, true, 10, Q },
	{ "access-prio", VSW_VLAN_MODE_ACCESS, T(0) | htons(0xa000), Q, true,
	  10, Q },
	{ "access-tagged", VSW_VLAN_MODE_ACCESS, T(10), Q, false },
	{ "trunk-untagged", VSW_VLAN_MODE_TRUNK, 0, 0, false },
	{ "trunk-prio", VSW_VLAN_MODE_TRUNK, T(0), Q, false },
	{ "trunk-20", VSW_VLAN_MODE_TRUNK, T(20), Q, true, 20, Q },
	{ "trunk-30-ad", VSW_VLAN_MODE_TRUNK, T(30), AD, true, 30, AD },
	{ "trunk-10-native-not-trunked", VSW_VLAN_MODE_TRUNK, T(10), Q, false },
	{ "trunk-40", VSW_VLAN_MODE_TRUNK, T(40), Q, false },
	{ "nu-untagged", VSW_VLAN_MODE_NATIVE_UNTAGGED, 0, 0, true, 10, Q },
	{ "nu-prio", VSW_VLAN_MODE_NATIVE_UNTAGGED, T(0), Q, true, 10, Q },
	{ "nu-native-tagged", VSW_VLAN_MODE_NATIVE_UNTAGGED, T(10), Q, true,
	  10, Q },
	{ "nu-20", VSW_VLAN_MODE_NATIVE_UNTAGGED, T(20), Q, true, 20, Q },
	{ "nu-40", VSW_VLAN_MODE_NATIVE_UNTAGGED, T(40), Q, false },
	{ "nt-untagged", VSW_VLAN_MODE_NATIVE_TAGGED, 0, 0, true, 10, Q },
	{ "nt-30", VSW_VLAN_MODE_NATIVE_TAGGED, T(30), AD, true, 30, AD },
	{ "tunnel-untagged", VSW_VLAN_MODE_DOT1Q_TUNNEL, 0, 0, true, 100, AD },
	{ "tunnel-tagged", VSW_VLAN_MODE_DOT1Q_TUNNEL, T(5), Q, true, 100, AD },
	{ "tunnel-ad-tagged", VSW_VLAN_MODE_DOT1Q_TUNNEL, T(7), AD, true, 100,
	  AD },
};

static void kt_in_desc(const struct kt_in_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(kt_in, kt_in_cases, kt_in_desc);

static void kt_vlan_ingress(struct kunit *test)
{
	const struct kt_in_case *c = test->param_value;
	struct vsw_port_cfg *cfg = kunit_kzalloc(test, sizeof(*cfg),
						 GFP_KERNEL);
	struct vsw_vlan_in in;
	bool ok;

	KUNIT_ASSERT_NOT_NULL(test, cfg);
	kt_cfg(cfg, c->mode, c->mode == VSW_VLAN_MODE_DOT1Q_TUNNEL ? 100 : 10,
	       20, 30);
	ok = vsw_vlan_ingress(cfg, c->tci, c->tpid, 0, &in);
	KUNIT_EXPECT_EQ(test, ok, c->admit);
	if (!ok)
		return;
	KUNIT_EXPECT_EQ(test, in.vid, c->vid);
	KUNIT_EXPECT_EQ(test, ntohs(in.tpid), ntohs(c->out_tpid));
	/* a dot1q-tunnel port's S-tag has PCP 0, as in Open vSwitch */
	KUNIT_EXPECT_EQ(test, in.pcp, c->mode == VSW_VLAN_MODE_DOT1Q_TUNNEL ?
			0 : ntohs(c->tci) & VLAN_PRIO_MASK);
	KUNIT_EXPECT_EQ(test, in.keep_outer,
			c->mode == VSW_VLAN_MODE_DOT1Q_TUNNEL);
}

static char kt_egress_char(enum vsw_egress e)
{
	switch (e) {
	case VSW_EGRESS_UNTAGGED:
		return 'u';
	case VSW_EGRESS_PRIORITY:
		return 'p';
	case VSW_EGRESS_TAGGED:
		return 't';
	default:
		return '-';
	}
}

/* egress of VLAN @vid out of each mode: "-" not allowed, "u", "t" */
static void kt_vlan_egress(struct kunit *test)
{
	static const struct {
		u8 mode;
		const char *want;	/* VLANs 10, 20, 40, 100 */
	} rows[] = {
		{ VSW_VLAN_MODE_ACCESS, "u---" },
		{ VSW_VLAN_MODE_TRUNK, "-t--" },
		{ VSW_VLAN_MODE_NATIVE_UNTAGGED, "ut--" },
		{ VSW_VLAN_MODE_NATIVE_TAGGED, "tt--" },
	};
	static const u16 vids[] = { 10, 20, 40, 100 };
	struct vsw_port_cfg *cfg = kunit_kzalloc(test, sizeof(*cfg),
						 GFP_KERNEL);
	struct vsw_vlan_in in = {};
	unsigned int r, v;
	char got[5];

	KUNIT_ASSERT_NOT_NULL(test, cfg);
	for (r = 0; r < ARRAY_SIZE(rows); r++) {
		kt_cfg(cfg, rows[r].mode, 10, 20, 0);
		for (v = 0; v < ARRAY_SIZE(vids); v++) {
			in.vid = vids[v];
			got[v] = kt_egress_char(vsw_vlan_egress(cfg, &in));
		}
		got[v] = 0;
		KUNIT_EXPECT_STREQ_MSG(test, got, rows[r].want, "mode %u",
				       rows[r].mode);
	}

	/* dot1q-tunnel: S-VLAN only, never tagged, cvlans filter */
	kt_cfg(cfg, VSW_VLAN_MODE_DOT1Q_TUNNEL, 100, 0, 0);
	in.vid = 100;
	in.cvid = 5;
	KUNIT_EXPECT_EQ(test, vsw_vlan_egress(cfg, &in), VSW_EGRESS_UNTAGGED);
	in.vid = 10;
	KUNIT_EXPECT_EQ(test, vsw_vlan_egress(cfg, &in), VSW_EGRESS_DENY);
	set_bit(6, cfg->cvlans);
	cfg->cvlans_filter = true;
	in.vid = 100;
	KUNIT_EXPECT_EQ(test, vsw_vlan_egress(cfg, &in), VSW_EGRESS_DENY);
	set_bit(5, cfg->cvlans);
	KUNIT_EXPECT_EQ(test, vsw_vlan_egress(cfg, &in), VSW_EGRESS_UNTAGGED);
	in.cvid = 0;
	KUNIT_EXPECT_EQ(test, vsw_vlan_egress(cfg, &in), VSW_EGRESS_DENY);
	set_bit(0, cfg->cvlans);	/* bit 0: untagged customer frames */
	KUNIT_EXPECT_EQ(test, vsw_vlan_egress(cfg, &in), VSW_EGRESS_UNTAGGED);
}

/*
 * The egress cases of Open vSwitch's priority-tags and of its access ports
 * (no customer VLAN inside): port tag 10 (native modes: trunks 20), frame
 * in VLAN 10 or 20 with PCP 0 or 5, with or without a tag left inside.
 */
struct kt_eg_case {
	const char *name;
	u8 mode;
	u8 prio;		/* enum vsw_priority_tags */
	u16 vid;
	u16 pcp;		/* PCP in VLAN_PRIO_MASK position */
	u16 cvid;
	bool payload_tagged;
	enum vsw_egress want;
};

#define P5	(5 << VLAN_PRIO_SHIFT)
#define NEVER	VSW_PRIORITY_TAGS_NEVER
#define NZ	VSW_PRIORITY_TAGS_IF_NONZERO
#define ALWAYS	VSW_PRIORITY_TAGS_ALWAYS

static const struct kt_eg_case kt_eg_cases[] = {
	{ "access-never-pcp5", VSW_VLAN_MODE_ACCESS, NEVER, 10, P5, 0, false,
	  VSW_EGRESS_UNTAGGED },
	{ "access-nonzero-pcp0", VSW_VLAN_MODE_ACCESS, NZ, 10, 0, 0, false,
	  VSW_EGRESS_UNTAGGED },
	{ "access-nonzero-pcp5", VSW_VLAN_MODE_ACCESS, NZ, 10, P5, 0, false,
	  VSW_EGRESS_PRIORITY },
	{ "access-always-pcp0", VSW_VLAN_MODE_ACCESS, ALWAYS, 10, 0, 0, false,
	  VSW_EGRESS_PRIORITY },
	{ "access-always-other-vlan", VSW_VLAN_MODE_ACCESS, ALWAYS, 20, P5, 0,
	  false, VSW_EGRESS_DENY },
	{ "access-refuses-customer-vlan", VSW_VLAN_MODE_ACCESS, NEVER, 10, 0,
	  5, true, VSW_EGRESS_DENY },
	{ "access-admits-inner-priority-tag", VSW_VLAN_MODE_ACCESS, ALWAYS, 10,
	  0, 0, true, VSW_EGRESS_UNTAGGED },
	{ "nu-native-nonzero-pcp5", VSW_VLAN_MODE_NATIVE_UNTAGGED, NZ, 10, P5,
	  0, false, VSW_EGRESS_PRIORITY },
	{ "nu-native-nonzero-inner-tag", VSW_VLAN_MODE_NATIVE_UNTAGGED, NZ, 10,
	  P5, 5, true, VSW_EGRESS_UNTAGGED },
	{ "nu-trunked-always", VSW_VLAN_MODE_NATIVE_UNTAGGED, ALWAYS, 20, 0, 0,
	  false, VSW_EGRESS_TAGGED },
	{ "nt-always-still-tagged", VSW_VLAN_MODE_NATIVE_TAGGED, ALWAYS, 10, 0,
	  0, false, VSW_EGRESS_TAGGED },
	{ "trunk-always-still-tagged", VSW_VLAN_MODE_TRUNK, ALWAYS, 20, P5, 0,
	  false, VSW_EGRESS_TAGGED },
	{ "tunnel-nonzero-untagged-customer", VSW_VLAN_MODE_DOT1Q_TUNNEL, NZ,
	  10, P5, 0, false, VSW_EGRESS_PRIORITY },
	{ "tunnel-nonzero-customer-tag-kept", VSW_VLAN_MODE_DOT1Q_TUNNEL, NZ,
	  10, P5, 7, true, VSW_EGRESS_UNTAGGED },
	{ "tunnel-always-pcp0", VSW_VLAN_MODE_DOT1Q_TUNNEL, ALWAYS, 10, 0, 0,
	  false, VSW_EGRESS_PRIORITY },
};

static void kt_eg_desc(const struct kt_eg_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(kt_eg, kt_eg_cases, kt_eg_desc);

static void kt_vlan_egress_priority(struct kunit *test)
{
	const struct kt_eg_case *c = test->param_value;
	struct vsw_port_cfg *cfg = kunit_kzalloc(test, sizeof(*cfg),
						 GFP_KERNEL);
	struct vsw_vlan_in in = {
		.vid = c->vid,
		.pcp = c->pcp,
		.tpid = Q,
		.cvid = c->cvid,
		.payload_tagged = c->payload_tagged,
	};

	KUNIT_ASSERT_NOT_NULL(test, cfg);
	kt_cfg(cfg, c->mode, 10,
	       c->mode == VSW_VLAN_MODE_DOT1Q_TUNNEL ? 0 : 20, 0);
	cfg->priority_tags = c->prio;
	KUNIT_EXPECT_EQ(test, kt_egress_char(vsw_vlan_egress(cfg, &in)),
			kt_egress_char(c->want));
}

/* qinq-ethtype: the S-tag's TPID; payload_tagged as the egress needs it */
static void kt_vlan_qinq_ethtype(struct kunit *test)
{
	struct vsw_port_cfg *cfg = kunit_kzalloc(test, sizeof(*cfg),
						 GFP_KERNEL);
	struct vsw_vlan_in in;

	KUNIT_ASSERT_NOT_NULL(test, cfg);
	kt_cfg(cfg, VSW_VLAN_MODE_DOT1Q_TUNNEL, 100, 0, 0);
	KUNIT_EXPECT_TRUE(test, vsw_vlan_ingress(cfg, 0, 0, 0, &in));
	KUNIT_EXPECT_EQ(test, ntohs(in.tpid), ETH_P_8021AD);
	KUNIT_EXPECT_FALSE(test, in.payload_tagged);
	cfg->qinq_tpid = Q;
	KUNIT_EXPECT_TRUE(test, vsw_vlan_ingress(cfg, T(5) | htons(P5), Q, 0,
						 &in));
	KUNIT_EXPECT_EQ(test, ntohs(in.tpid), ETH_P_8021Q);
	KUNIT_EXPECT_EQ(test, in.pcp, 0);
	KUNIT_EXPECT_TRUE(test, in.payload_tagged);

	/* a trunk: a tag is left only if the frame had an inner one */
	kt_cfg(cfg, VSW_VLAN_MODE_TRUNK, 1, 100, 0);
	KUNIT_EXPECT_TRUE(test, vsw_vlan_ingress(cfg, T(100), AD, 0, &in));
	KUNIT_EXPECT_FALSE(test, in.payload_tagged);
	KUNIT_EXPECT_TRUE(test, vsw_vlan_ingress(cfg, T(100), AD, T(0), &in));
	KUNIT_EXPECT_TRUE(test, in.payload_tagged);
	KUNIT_EXPECT_EQ(test, in.cvid, 0);
}

static void kt_vlan_cvlans_ingress(struct kunit *test)
{
	struct vsw_port_cfg *cfg = kunit_kzalloc(test, sizeof(*cfg),
						 GFP_KERNEL);
	struct vsw_vlan_in in;

	KUNIT_ASSERT_NOT_NULL(test, cfg);
	kt_cfg(cfg, VSW_VLAN_MODE_DOT1Q_TUNNEL, 100, 0, 0);
	set_bit(5, cfg->cvlans);
	cfg->cvlans_filter = true;
	KUNIT_EXPECT_TRUE(test, vsw_vlan_ingress(cfg, T(5), Q, 0, &in));
	KUNIT_EXPECT_EQ(test, in.cvid, 5);
	KUNIT_EXPECT_FALSE(test, vsw_vlan_ingress(cfg, T(6), Q, 0, &in));
	KUNIT_EXPECT_FALSE(test, vsw_vlan_ingress(cfg, 0, 0, 0, &in));
	set_bit(0, cfg->cvlans);
	KUNIT_EXPECT_TRUE(test, vsw_vlan_ingress(cfg, 0, 0, 0, &in));
	KUNIT_EXPECT_TRUE(test, vsw_vlan_ingress(cfg, T(0), Q, 0, &in));

	/* a trunk strips the outer tag: the customer VID is the inner one */
	kt_cfg(cfg, VSW_VLAN_MODE_TRUNK, 1, 100, 0);
	KUNIT_EXPECT_TRUE(test, vsw_vlan_ingress(cfg, T(100), AD, T(5), &in));
	KUNIT_EXPECT_EQ(test, in.vid, 100);
	KUNIT_EXPECT_EQ(test, in.cvid, 5);
	KUNIT_EXPECT_FALSE(test, in.keep_outer);
}

static void kt_vlan_member(struct kunit *test)
{
	struct vsw_port_cfg *cfg = kunit_kzalloc(test, sizeof(*cfg),
						 GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, cfg);
	kt_cfg(cfg, VSW_VLAN_MODE_NATIVE_TAGGED, 10, 20, 0);
	KUNIT_EXPECT_TRUE(test, vsw_vlan_member(cfg, 10));
	KUNIT_EXPECT_TRUE(test, vsw_vlan_member(cfg, 20));
	KUNIT_EXPECT_FALSE(test, vsw_vlan_member(cfg, 30));
	kt_cfg(cfg, VSW_VLAN_MODE_TRUNK, 10, 20, 0);
	KUNIT_EXPECT_FALSE(test, vsw_vlan_member(cfg, 10));
	kt_cfg(cfg, VSW_VLAN_MODE_TRUNK, 10, 0, 0);	/* empty = none */
	KUNIT_EXPECT_FALSE(test, vsw_vlan_member(cfg, 20));
	kt_cfg(cfg, VSW_VLAN_MODE_ACCESS, 10, 20, 0);
	KUNIT_EXPECT_TRUE(test, vsw_vlan_member(cfg, 10));
	KUNIT_EXPECT_FALSE(test, vsw_vlan_member(cfg, 20));
}

static struct kunit_case kt_vlan_test_cases[] = {
	KUNIT_CASE_PARAM(kt_vlan_ingress, kt_in_gen_params),
	KUNIT_CASE(kt_vlan_egress),
	KUNIT_CASE_PARAM(kt_vlan_egress_priority, kt_eg_gen_params),
	KUNIT_CASE(kt_vlan_qinq_ethtype),
	KUNIT_CASE(kt_vlan_cvlans_ingress),
	KUNIT_CASE(kt_vlan_member),
	{}
};

static struct kunit_suite kt_vlan_suite = {
	.name = "vsw_vlan",
	.test_cases = kt_vlan_test_cases,
};

/* ---------------------------------------------------------------------- */
/* vsw_rule: priority order and masks                                     */

static struct vsw_rule *kt_rule(struct kunit *test, u16 prio)
{
	struct vsw_rule *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, r);
	r->priority = prio;
	return r;
}

static void kt_rule_lookup(struct kunit *test)
{
	struct vsw_rule *ip_drop, *tcp80, *src_mask, *catch_all;
	struct vsw_key key = {}, mask;
	struct vsw_rule_table *t;
	const u64 *w = (const u64 *)&mask;
	unsigned int i;

	/* 300: tcp dst 80; 200: dl_src 02:00:00:00:00:00/ff..fe; 100: ip;
	 * 0: everything
	 */
	tcp80 = kt_rule(test, 300);
	tcp80->match.key.eth_type = htons(ETH_P_IP);
	tcp80->match.mask.eth_type = htons(0xffff);
	tcp80->match.key.ip_proto = IPPROTO_TCP;
	tcp80->match.mask.ip_proto = 0xff;
	tcp80->match.key.tp_dst = htons(80);
	tcp80->match.mask.tp_dst = htons(0xffff);
	src_mask = kt_rule(test, 200);
	ether_addr_copy(src_mask->match.key.eth_src, kt_src);
	src_mask->match.key.eth_src[5] = 0;
	eth_broadcast_addr(src_mask->match.mask.eth_src);
	src_mask->match.mask.eth_src[5] = 0xfe;
	ip_drop = kt_rule(test, 100);
	ip_drop->match.key.eth_type = htons(ETH_P_IP);
	ip_drop->match.mask.eth_type = htons(0xffff);
	catch_all = kt_rule(test, 0);

	t = kunit_kzalloc(test, struct_size(t, rules, 4), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	t->n = 4;
	t->rules[0] = tcp80;
	t->rules[1] = src_mask;
	t->rules[2] = ip_drop;
	t->rules[3] = catch_all;

	/* IPv4 UDP from 02:..:03: misses 300 (on ip_proto), 200, hits 100 */
	key.eth_type = htons(ETH_P_IP);
	key.ip_proto = IPPROTO_UDP;
	key.tp_dst = htons(80);
	ether_addr_copy(key.eth_src, kt_src);
	key.eth_src[5] = 3;
	memset(&mask, 0, sizeof(mask));
	KUNIT_EXPECT_PTR_EQ(test, vsw_rule_lookup(t, &key, &mask), ip_drop);
	KUNIT_EXPECT_EQ(test, ntohs(mask.eth_type), 0xffff);
	/* staged: 300 was ruled out by the word holding ip_proto */
	KUNIT_EXPECT_EQ(test, mask.ip_proto, 0xff);
	KUNIT_EXPECT_EQ(test, mask.eth_src[5], 0xfe);
	KUNIT_EXPECT_FALSE(test, vsw_key_match(&key, &tcp80->match));

	/* TCP 80: 300 */
	key.ip_proto = IPPROTO_TCP;
	memset(&mask, 0, sizeof(mask));
	KUNIT_EXPECT_PTR_EQ(test, vsw_rule_lookup(t, &key, &mask), tcp80);
	KUNIT_EXPECT_EQ(test, ntohs(mask.tp_dst), 0xffff);
	KUNIT_EXPECT_EQ(test, mask.eth_src[0], 0);	/* never looked at */

	/* masked dl_src: 02:..:01 and 02:..:00 match 200, ARP */
	key.eth_type = htons(ETH_P_ARP);
	key.eth_src[5] = 1;
	memset(&mask, 0, sizeof(mask));
	KUNIT_EXPECT_PTR_EQ(test, vsw_rule_lookup(t, &key, &mask), src_mask);
	key.eth_src[5] = 2;
	KUNIT_EXPECT_PTR_EQ(test, vsw_rule_lookup(t, &key, &mask), catch_all);

	/* the union never has a bit the matching rule's mask lacks but no
	 * examined rule has either: here catch_all ends with the union of
	 * 300's eth_type word, 200's eth_src word and 100's eth_type word
	 */
	for (i = 0; i < VSW_KEY_WORDS; i++)
		KUNIT_EXPECT_EQ(test, w[i] & ~(((u64 *)&tcp80->match.mask)[i] |
					       ((u64 *)&src_mask->match.mask)[i] |
					       ((u64 *)&ip_drop->match.mask)[i]),
				0ULL);

	/* empty table: NORMAL, no mask */
	t->n = 0;
	memset(&mask, 0, sizeof(mask));
	KUNIT_EXPECT_NULL(test, vsw_rule_lookup(t, &key, &mask));
	KUNIT_EXPECT_TRUE(test, !memchr_inv(&mask, 0, sizeof(mask)));
}

static struct kunit_case kt_rule_test_cases[] = {
	KUNIT_CASE(kt_rule_lookup),
	{}
};

static struct kunit_suite kt_rule_suite = {
	.name = "vsw_rule",
	.test_cases = kt_rule_test_cases,
};

/* ---------------------------------------------------------------------- */
/* vsw_storm: the GCRA of storm control                                   */

/* Frames admitted at @pps when @n arrive evenly over @ns from @t0. */
static unsigned int kt_storm_run(u64 *tat, u64 t0, u64 ns, unsigned int n,
				 u32 pps)
{
	unsigned int i, ok = 0;
	u64 next;

	for (i = 0; i < n; i++) {
		if (vsw_storm_conform(*tat, t0 + ns * i / n, pps, &next)) {
			*tat = next;
			ok++;
		}
	}
	return ok;
}

static void kt_storm_conform(struct kunit *test)
{
	u64 tat = 0, next, t0 = 5 * NSEC_PER_SEC;

	/* after a quiet spell, a burst of pps / 10 back to back */
	KUNIT_EXPECT_EQ(test, kt_storm_run(&tat, t0, 0, 1000, 1000), 100);
	/* then the rate: 10x over it for a second lets 1000 through */
	tat = 0;
	KUNIT_EXPECT_EQ(test, kt_storm_run(&tat, t0, NSEC_PER_SEC, 10000,
					   1000), 1000 + 100 - 1);
	/* under the rate everything passes */
	tat = 0;
	KUNIT_EXPECT_EQ(test, kt_storm_run(&tat, t0, NSEC_PER_SEC, 500, 1000),
			500);
	/* a rate under 10/s still admits one frame */
	tat = 0;
	KUNIT_EXPECT_TRUE(test, vsw_storm_conform(tat, t0, 1, &next));
	KUNIT_EXPECT_EQ(test, next, t0 + NSEC_PER_SEC);
	KUNIT_EXPECT_FALSE(test, vsw_storm_conform(next, t0 + 1, 1, &next));
	/* the highest rate */
	KUNIT_EXPECT_TRUE(test, vsw_storm_conform(0, t0, VSW_STORM_PPS_MAX,
						  &next));
	KUNIT_EXPECT_EQ(test, next, t0 + NSEC_PER_SEC / VSW_STORM_PPS_MAX);
}

static struct kunit_case kt_storm_test_cases[] = {
	KUNIT_CASE(kt_storm_conform),
	{}
};

static struct kunit_suite kt_storm_suite = {
	.name = "vsw_storm",
	.test_cases = kt_storm_test_cases,
};

kunit_test_suites(&kt_key_suite, &kt_vlan_suite, &kt_rule_suite,
		  &kt_storm_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("vsw KUnit tests");
