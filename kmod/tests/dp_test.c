// SPDX-License-Identifier: GPL-2.0
/*
 * vsw - KUnit suite vsw_dp (vsw_kunit.ko): a live switch with fake port
 * devices that record what they transmit: the VLAN matrix end to end, QinQ,
 * flood grouping, cache invalidation, FDB learning/limits/ageing/moves.
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

static const u8 kt_bcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

/* ---------------------------------------------------------------------- */
/* vsw_dp: a live switch with fake ports                                  */

struct kt_port_priv {
	struct sk_buff_head q;	/* what the switch transmitted */
};

/* the ethertype after the tags; the fake ports also carry host traffic */
static u16 kt_skb_type(const struct sk_buff *skb)
{
	unsigned int off = 2 * ETH_ALEN;

	while (skb->len >= off + 4 &&
	       eth_type_vlan(*(__be16 *)(skb->data + off)))
		off += VLAN_HLEN;
	return skb->len >= off + 2 ? get_unaligned_be16(skb->data + off) : 0;
}

static netdev_tx_t kt_port_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct kt_port_priv *p = netdev_priv(dev);

	if (kt_skb_type(skb) == KT_TYPE_TEST)
		skb_queue_tail(&p->q, skb);
	else
		kfree_skb(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops kt_port_ops = {
	.ndo_start_xmit = kt_port_xmit,
};

static void kt_port_free(struct net_device *dev)
{
	struct kt_port_priv *p = netdev_priv(dev);

	skb_queue_purge(&p->q);
}

static void kt_port_setup(struct net_device *dev)
{
	struct kt_port_priv *p = netdev_priv(dev);

	ether_setup(dev);
	dev->netdev_ops = &kt_port_ops;
	/* noqueue: transmit synchronously into ndo_start_xmit */
	dev->priv_flags |= IFF_NO_QUEUE;
	dev->needs_free_netdev = true;
	dev->priv_destructor = kt_port_free;
	eth_hw_addr_random(dev);
	skb_queue_head_init(&p->q);
}

#define KT_PORTS	6

struct kt_sw {
	struct net_device *sw;
	struct net_device *port[KT_PORTS];
};

static void kt_sw_free(struct kt_sw *k)
{
	int i;

	rtnl_lock();
	for (i = 0; i < KT_PORTS; i++)
		if (k->port[i])
			unregister_netdevice(k->port[i]);
	if (k->sw)
		unregister_netdevice(k->sw);
	rtnl_unlock();
}

static void kt_sw_exit(struct kunit_resource *res)
{
	kt_sw_free(res->data);
	kfree(res->data);
}

static int kt_sw_init(struct kunit_resource *res, void *context)
{
	struct kt_sw *k = kzalloc(sizeof(*k), GFP_KERNEL);
	struct net_device *dev;
	int i, err = 0;

	if (!k)
		return -ENOMEM;
	res->data = k;
	rtnl_lock();
	dev = alloc_netdev(vsw_link_ops.priv_size, "vswkt%d", NET_NAME_ENUM,
			   vsw_link_ops.setup);
	if (!dev)
		goto nomem;
	dev->rtnl_link_ops = &vsw_link_ops;
	err = register_netdevice(dev);
	if (err) {
		free_netdev(dev);
		goto out;
	}
	/* left down: no host traffic on the internal port */
	k->sw = dev;
	for (i = 0; i < KT_PORTS; i++) {
		dev = alloc_netdev(sizeof(struct kt_port_priv), "vswktp%d",
				   NET_NAME_ENUM, kt_port_setup);
		if (!dev)
			goto nomem;
		err = register_netdevice(dev);
		if (err) {
			free_netdev(dev);
			goto out;
		}
		k->port[i] = dev;
		dev_open(dev, NULL);
		err = vsw_port_add(netdev_priv(k->sw), dev, NULL);
		if (err)
			goto out;
	}
out:
	rtnl_unlock();
	if (err) {
		kt_sw_free(k);
		kfree(k);
	}
	return err;
nomem:
	err = -ENOMEM;
	goto out;
}

static struct kt_sw *kt_sw_new(struct kunit *test)
{
	struct kt_sw *k = kunit_alloc_resource(test, kt_sw_init, kt_sw_exit,
					       GFP_KERNEL, NULL);

	KUNIT_ASSERT_NOT_NULL(test, k);
	return k;
}

static struct vsw *kt_vsw(struct kt_sw *k)
{
	return netdev_priv(k->sw);
}

/* the tests own the ports: the pointer stays valid until kt_sw_free() */
static struct vsw_port *kt_port(struct kt_sw *k, int i)
{
	struct vsw_port *port;

	rcu_read_lock();
	port = vsw_port_from_dev(k->port[i]);
	rcu_read_unlock();
	return port;
}

static void kt_set(struct kunit *test, struct kt_sw *k, int i, u8 mode,
		   u16 tag, u16 t1, u16 t2)
{
	struct vsw_port_cfg *cfg = kunit_kzalloc(test, sizeof(*cfg),
						 GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, cfg);
	kt_cfg(cfg, mode, tag, t1, t2);
	rtnl_lock();
	KUNIT_EXPECT_EQ(test, vsw_port_set_cfg(kt_port(k, i), cfg, NULL), 0);
	rtnl_unlock();
}

/* Receive a frame on port @i: as the core hands it to the rx_handler. */
static void kt_rx(struct kunit *test, struct kt_sw *k, int i,
		  const u8 *src, const u8 *dst, const u16 *tags, int ntags)
{
	struct net_device *dev = k->port[i];
	struct vsw_port *port;
	struct sk_buff *skb;
	int t;

	skb = alloc_skb(128, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, 32);
	skb_put_data(skb, dst, ETH_ALEN);
	skb_put_data(skb, src, ETH_ALEN);
	for (t = 0; t < 2 * ntags; t++)
		put_unaligned_be16(tags[t], skb_put(skb, 2));
	put_unaligned_be16(KT_TYPE_TEST, skb_put(skb, 2));
	skb_put_zero(skb, 46);
	skb->dev = dev;
	skb->protocol = eth_type_trans(skb, dev);
	skb_reset_network_header(skb);
	skb_reset_mac_len(skb);
	if (eth_type_vlan(skb->protocol)) {
		skb = skb_vlan_untag(skb);
		KUNIT_ASSERT_NOT_NULL(test, skb);
	}
	rcu_read_lock();
	local_bh_disable();
	port = vsw_port_from_dev(dev);
	vsw_process(port->sw, port, skb);
	local_bh_enable();
	rcu_read_unlock();
}

/* What port @i sent since last asked: "-", "u", "10", "s100.5", ... */
static void kt_tx(struct kt_sw *k, int i, char *out, size_t size)
{
	struct kt_port_priv *p = netdev_priv(k->port[i]);
	struct sk_buff *skb = skb_dequeue(&p->q);
	unsigned int off = 2 * ETH_ALEN, n = 0;
	const char *sep = "";

	if (!skb) {
		strscpy(out, "-", size);
		return;
	}
	if (skb_vlan_tag_present(skb)) {
		n += scnprintf(out + n, size - n, "%s%u",
			       skb->vlan_proto == htons(ETH_P_8021AD) ? "s" : "",
			       skb_vlan_tag_get_id(skb));
		sep = ".";
	}
	while (skb->len >= off + 4 &&
	       eth_type_vlan(*(__be16 *)(skb->data + off))) {
		n += scnprintf(out + n, size - n, "%s%s%u", sep,
			       *(__be16 *)(skb->data + off) ==
					htons(ETH_P_8021AD) ? "s" : "",
			       get_unaligned_be16(skb->data + off + 2) &
					VLAN_VID_MASK);
		sep = ".";
		off += VLAN_HLEN;
	}
	if (!n)
		strscpy(out, "u", size);
	kfree_skb(skb);
	/* a second copy would be a bug */
	skb = skb_dequeue(&p->q);
	if (skb) {
		strlcat(out, "+dup", size);
		kfree_skb(skb);
	}
}

static void kt_expect_tx(struct kunit *test, struct kt_sw *k,
			 const char *const want[KT_PORTS], const char *what)
{
	char got[24];
	int i;

	for (i = 0; i < KT_PORTS; i++) {
		kt_tx(k, i, got, sizeof(got));
		KUNIT_EXPECT_STREQ_MSG(test, got, want[i], "%s, port %d",
				       what, i);
	}
}

static u8 kt_mac_n;

static void kt_mac(u8 *mac)
{
	eth_zero_addr(mac);
	mac[0] = 0x02;
	mac[4] = 0xc0;
	mac[5] = ++kt_mac_n;
}

/*
 * The OVS-style VLAN matrix (selftests/vlan_trunk.sh part 2) end to end:
 * A access 10, B access 20, T trunk 10,20, U native-untagged 10 +20,
 * G native-tagged 10 +20; port 5 unused (access 30).
 */
static void kt_dp_vlan_matrix(struct kunit *test)
{
	static const struct {
		const char *name;
		int from;
		u16 tci;		/* 0xffff = untagged */
		const char *want[KT_PORTS];
	} cases[] = {
		{ "A-untagged", 0, 0xffff, { "-", "-", "10", "u", "10", "-" } },
		{ "A-tag10", 0, 10, { "-", "-", "-", "-", "-", "-" } },
		{ "A-prio", 0, 0x4000, { "-", "-", "10", "u", "10", "-" } },
		{ "T-untagged", 2, 0xffff, { "-", "-", "-", "-", "-", "-" } },
		{ "T-prio", 2, 0x4000, { "-", "-", "-", "-", "-", "-" } },
		{ "T-tag10", 2, 10, { "u", "-", "-", "u", "10", "-" } },
		{ "T-tag20", 2, 20, { "-", "u", "-", "20", "20", "-" } },
		{ "T-tag30", 2, 30, { "-", "-", "-", "-", "-", "-" } },
		{ "U-untagged", 3, 0xffff, { "u", "-", "10", "-", "10", "-" } },
		{ "U-tag10", 3, 10, { "u", "-", "10", "-", "10", "-" } },
		{ "U-tag20", 3, 20, { "-", "u", "20", "-", "20", "-" } },
		{ "G-untagged", 4, 0xffff, { "u", "-", "10", "u", "-", "-" } },
		{ "G-tag20", 4, 20, { "-", "u", "20", "20", "-", "-" } },
		{ "B-untagged", 1, 0xffff, { "-", "-", "20", "20", "20", "-" } },
	};
	struct kt_sw *k = kt_sw_new(test);
	u8 src[ETH_ALEN];
	unsigned int c;
	u16 tag[2];

	kt_set(test, k, 0, VSW_VLAN_MODE_ACCESS, 10, 0, 0);
	kt_set(test, k, 1, VSW_VLAN_MODE_ACCESS, 20, 0, 0);
	kt_set(test, k, 2, VSW_VLAN_MODE_TRUNK, 1, 10, 20);
	kt_set(test, k, 3, VSW_VLAN_MODE_NATIVE_UNTAGGED, 10, 20, 0);
	kt_set(test, k, 4, VSW_VLAN_MODE_NATIVE_TAGGED, 10, 20, 0);
	kt_set(test, k, 5, VSW_VLAN_MODE_ACCESS, 30, 0, 0);

	for (c = 0; c < ARRAY_SIZE(cases); c++) {
		int ntags = cases[c].tci != 0xffff;

		kt_mac(src);
		tag[0] = ETH_P_8021Q;
		tag[1] = cases[c].tci;
		kt_rx(test, k, cases[c].from, src, kt_bcast, tag, ntags);
		kt_expect_tx(test, k, cases[c].want, cases[c].name);
	}
}

/* dot1q-tunnel <-> trunk: S-tag 0x88a8 pushed above the customer tag. */
static void kt_dp_qinq(struct kunit *test)
{
	static const char *const c_tagged[KT_PORTS] = {
		"-", "s100.5", "5", "-", "-", "-" };
	static const char *const c_untagged[KT_PORTS] = {
		"-", "s100", "u", "-", "-", "-" };
	static const char *const from_trunk[KT_PORTS] = {
		"5", "-", "5", "-", "-", "-" };
	static const char *const filtered[KT_PORTS] = {
		"-", "-", "-", "-", "-", "-" };
	struct kt_sw *k = kt_sw_new(test);
	u16 ctag[2] = { ETH_P_8021Q, 5 };
	u16 stag[4] = { ETH_P_8021AD, 100, ETH_P_8021Q, 5 };
	struct vsw_port_cfg *cfg;
	u8 src[ETH_ALEN];

	/* 0 tunnel 100, 1 trunk 100, 2 tunnel 100; others elsewhere */
	kt_set(test, k, 0, VSW_VLAN_MODE_DOT1Q_TUNNEL, 100, 0, 0);
	kt_set(test, k, 1, VSW_VLAN_MODE_TRUNK, 1, 100, 0);
	kt_set(test, k, 2, VSW_VLAN_MODE_DOT1Q_TUNNEL, 100, 0, 0);
	kt_set(test, k, 3, VSW_VLAN_MODE_ACCESS, 30, 0, 0);
	kt_set(test, k, 4, VSW_VLAN_MODE_ACCESS, 30, 0, 0);
	kt_set(test, k, 5, VSW_VLAN_MODE_ACCESS, 30, 0, 0);

	kt_mac(src);
	kt_rx(test, k, 0, src, kt_bcast, ctag, 1);
	kt_expect_tx(test, k, c_tagged, "customer C-tag 5 in");
	kt_mac(src);
	kt_rx(test, k, 0, src, kt_bcast, NULL, 0);
	kt_expect_tx(test, k, c_untagged, "untagged customer frame in");
	kt_mac(src);
	kt_rx(test, k, 1, src, kt_bcast, stag, 2);
	kt_expect_tx(test, k, from_trunk, "S 100 + C 5 from the trunk");

	/* cvlans 6 on port 0: C-VLAN 5 neither in nor out */
	cfg = kunit_kzalloc(test, sizeof(*cfg), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, cfg);
	kt_cfg(cfg, VSW_VLAN_MODE_DOT1Q_TUNNEL, 100, 0, 0);
	set_bit(6, cfg->cvlans);
	rtnl_lock();
	KUNIT_EXPECT_EQ(test, vsw_port_set_cfg(kt_port(k, 0), cfg, NULL), 0);
	rtnl_unlock();
	kt_mac(src);
	kt_rx(test, k, 0, src, kt_bcast, ctag, 1);
	kt_expect_tx(test, k, filtered, "cvlans 6: C-VLAN 5 not admitted");
	{
		static const char *const want[KT_PORTS] = {
			"-", "-", "5", "-", "-", "-" };

		kt_mac(src);
		kt_rx(test, k, 1, src, kt_bcast, stag, 2);
		kt_expect_tx(test, k, want, "cvlans 6: C-VLAN 5 not sent out");
	}
	{
		struct vsw_port_stats st;

		vsw_port_get_stats(kt_port(k, 0), &st);
		KUNIT_EXPECT_EQ(test, st.drop[VSW_DROP_VLAN_INGRESS], 1ULL);
	}
}

/* Learning, known unicast, cache hits and invalidation by a MAC move. */
static void kt_dp_fdb_cache(struct kunit *test)
{
	static const char *const flood[KT_PORTS] = {
		"-", "u", "u", "u", "u", "u" };
	static const char *const to2[KT_PORTS] = {
		"-", "-", "u", "-", "-", "-" };
	static const char *const to3[KT_PORTS] = {
		"-", "-", "-", "u", "-", "-" };
	struct kt_sw *k = kt_sw_new(test);
	struct vsw *sw = kt_vsw(k);
	u8 a[ETH_ALEN], b[ETH_ALEN];
	struct vsw_fdb_entry *f;
	char junk[24];
	u64 hits, misses, h0, m0;

	kt_mac(a);
	kt_mac(b);
	/* unknown b: flood; a learned on 0 */
	kt_rx(test, k, 0, a, b, NULL, 0);
	kt_expect_tx(test, k, flood, "unknown unicast");
	rcu_read_lock();
	f = vsw_fdb_lookup(sw, a, 1);
	KUNIT_EXPECT_TRUE(test, f && f->port == kt_port(k, 0));
	rcu_read_unlock();

	/* b speaks on 2: known from now on */
	kt_rx(test, k, 2, b, a, NULL, 0);
	kt_rx(test, k, 0, a, b, NULL, 0);
	kt_tx(k, 0, junk, sizeof(junk));
	kt_expect_tx(test, k, to2, "known unicast");
	vsw_cache_get_stats(sw, &h0, &m0);
	kt_rx(test, k, 0, a, b, NULL, 0);
	kt_expect_tx(test, k, to2, "known unicast, cached");
	vsw_cache_get_stats(sw, &hits, &misses);
	KUNIT_EXPECT_EQ(test, hits, h0 + 1);
	KUNIT_EXPECT_EQ(test, misses, m0);

	/* b moves to 3: the cached decision must not be used */
	kt_rx(test, k, 3, b, a, NULL, 0);
	kt_tx(k, 0, junk, sizeof(junk));
	kt_rx(test, k, 0, a, b, NULL, 0);
	kt_expect_tx(test, k, to3, "after a MAC move");
	KUNIT_EXPECT_EQ(test, atomic_read(&kt_port(k, 2)->mac_count), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&kt_port(k, 3)->mac_count), 1);

	/* a rule change invalidates too: drop everything from port 0 */
	{
		static const char *const none[KT_PORTS] = {
			"-", "-", "-", "-", "-", "-" };
		struct vsw_action act = { .type = VSW_ACTION_ATTR_DROP };
		struct vsw_match m = {};

		m.key.in_port = k->port[0]->ifindex;
		m.mask.in_port = ~0U;
		rtnl_lock();
		KUNIT_EXPECT_EQ(test, vsw_rule_add(sw, &m, 100, &act, 1, NULL),
				0);
		rtnl_unlock();
		kt_rx(test, k, 0, a, b, NULL, 0);
		kt_expect_tx(test, k, none, "after a drop rule");
		rtnl_lock();
		vsw_rule_flush(sw);
		rtnl_unlock();
		kt_rx(test, k, 0, a, b, NULL, 0);
		kt_expect_tx(test, k, to3, "after the rule flush");
	}
}

/*
 * Learning a new MAC leaves cached decisions alone unless one of them
 * flooded to that MAC: established flows keep hitting while new senders
 * appear, and a flood to a MAC goes stale the moment it is learned.
 */
static void kt_dp_learn_keeps_cache(struct kunit *test)
{
	static const char *const flood[KT_PORTS] = {
		"-", "u", "u", "u", "u", "u" };
	static const char *const to2[KT_PORTS] = {
		"-", "-", "u", "-", "-", "-" };
	static const char *const to5[KT_PORTS] = {
		"-", "-", "-", "-", "-", "u" };
	struct kt_sw *k = kt_sw_new(test);
	struct vsw *sw = kt_vsw(k);
	u8 a[ETH_ALEN], b[ETH_ALEN], c[ETH_ALEN], d[ETH_ALEN];
	u64 hits, misses, h0, m0;
	char junk[24];
	u32 gen;
	int i;

	kt_mac(a);
	kt_mac(b);
	kt_mac(c);
	kt_mac(d);
	/* b on 2, a on 0 (a's frame to b is not cached: a is new) */
	kt_rx(test, k, 2, b, a, NULL, 0);
	for (i = 0; i < KT_PORTS; i++)
		if (i != 2)
			kt_tx(k, i, junk, sizeof(junk));
	kt_rx(test, k, 0, a, b, NULL, 0);
	kt_expect_tx(test, k, to2, "a -> b, a new");
	kt_rx(test, k, 0, a, b, NULL, 0);
	kt_expect_tx(test, k, to2, "a -> b, cached now");
	vsw_cache_get_stats(sw, &h0, &m0);
	gen = atomic_read(&sw->gen);

	/* a new sender c (to b, known) on 4: no bump, a -> b still hits */
	kt_rx(test, k, 4, c, b, NULL, 0);
	kt_expect_tx(test, k, to2, "c -> b");
	KUNIT_EXPECT_EQ(test, atomic_read(&sw->gen), gen);
	kt_rx(test, k, 0, a, b, NULL, 0);
	kt_expect_tx(test, k, to2, "a -> b after c was learned");
	vsw_cache_get_stats(sw, &hits, &misses);
	KUNIT_EXPECT_EQ(test, hits, h0 + 1);
	KUNIT_EXPECT_EQ(test, misses, m0 + 1);	/* c's frame */

	/* a flood to unknown d, cached; d's learning must end it */
	kt_rx(test, k, 0, a, d, NULL, 0);
	kt_expect_tx(test, k, flood, "a -> d, d unknown");
	vsw_cache_get_stats(sw, &h0, &m0);
	kt_rx(test, k, 0, a, d, NULL, 0);
	kt_expect_tx(test, k, flood, "a -> d, d unknown, cached");
	vsw_cache_get_stats(sw, &hits, &misses);
	KUNIT_EXPECT_EQ(test, hits, h0 + 1);
	gen = atomic_read(&sw->gen);
	kt_rx(test, k, 5, d, c, NULL, 0);
	kt_tx(k, 4, junk, sizeof(junk));
	KUNIT_EXPECT_NE(test, atomic_read(&sw->gen), gen);
	kt_rx(test, k, 0, a, d, NULL, 0);
	kt_expect_tx(test, k, to5, "a -> d once d is learned");
	/* the bump forgot the noted floods: a newcomer (in c) does not bump */
	gen = atomic_read(&sw->gen);
	kt_mac(c);
	kt_rx(test, k, 3, c, d, NULL, 0);
	kt_expect_tx(test, k, to5, "newcomer -> d");
	KUNIT_EXPECT_EQ(test, atomic_read(&sw->gen), gen);
}

/* The rule table says whether the data path must parse L3/L4. */
static void kt_dp_rules_l3(struct kunit *test)
{
	struct vsw_action act = { .type = VSW_ACTION_ATTR_DROP };
	struct kt_sw *k = kt_sw_new(test);
	struct vsw *sw = kt_vsw(k);
	struct vsw_match m = {};

	rtnl_lock();
	KUNIT_EXPECT_FALSE(test, rtnl_dereference(sw->rules)->l3);
	m.key.eth_type = htons(ETH_P_IP);	/* L2 only */
	m.mask.eth_type = htons(0xffff);
	KUNIT_EXPECT_EQ(test, vsw_rule_add(sw, &m, 10, &act, 1, NULL), 0);
	KUNIT_EXPECT_FALSE(test, rtnl_dereference(sw->rules)->l3);
	m.key.tp_dst = htons(80);
	m.mask.tp_dst = htons(0xffff);
	KUNIT_EXPECT_EQ(test, vsw_rule_add(sw, &m, 20, &act, 1, NULL), 0);
	KUNIT_EXPECT_TRUE(test, rtnl_dereference(sw->rules)->l3);
	/* deleting the L4 rule: back to L2 */
	KUNIT_EXPECT_EQ(test, vsw_rule_del(sw, &m, 20, NULL), 0);
	KUNIT_EXPECT_FALSE(test, rtnl_dereference(sw->rules)->l3);
	m.key.tp_dst = 0;
	m.mask.tp_dst = 0;
	m.key.nw.ipv4.dst = htonl(0x0a000001);
	m.mask.nw.ipv4.dst = htonl(0xffffffff);	/* the last key word */
	KUNIT_EXPECT_EQ(test, vsw_rule_add(sw, &m, 30, &act, 1, NULL), 0);
	KUNIT_EXPECT_TRUE(test, rtnl_dereference(sw->rules)->l3);
	vsw_rule_flush(sw);
	KUNIT_EXPECT_FALSE(test, rtnl_dereference(sw->rules)->l3);
	rtnl_unlock();
}

/* Keys and matches from small domains, so that rules overlap and tie. */
static void kt_rand_key(struct rnd_state *rs, struct vsw_key *k)
{
	static const u16 types[] = { ETH_P_IP, ETH_P_IPV6, ETH_P_ARP };
	u32 r = prandom_u32_state(rs);

	memset(k, 0, sizeof(*k));
	k->in_port = 1 + r % 4;
	k->eth_type = htons(types[(r >> 2) % 3]);
	k->ip_proto = (r >> 4) & 1 ? IPPROTO_UDP : IPPROTO_TCP;
	k->tp_dst = htons((r >> 5) % 8);
	k->nw.ipv4.dst = htonl(0x0a000000 | ((r >> 8) % 4) << 8 | (r >> 10 & 0xff));
	ether_addr_copy(k->eth_src, kt_src);
	k->eth_src[5] = (r >> 18) % 8;
}

static void kt_rand_match(struct rnd_state *rs, struct vsw_match *m)
{
	u32 r = prandom_u32_state(rs);

	memset(m, 0, sizeof(*m));
	kt_rand_key(rs, &m->key);
	switch (r % 6) {
	case 0:
		m->mask.in_port = ~0U;
		break;
	case 1:
		m->mask.eth_type = htons(0xffff);
		break;
	case 2:
		m->mask.eth_type = htons(0xffff);
		m->mask.ip_proto = 0xff;
		m->mask.tp_dst = htons(0xffff);
		if ((r >> 3) & 1)
			m->mask.in_port = ~0U;
		break;
	case 3:
		m->mask.eth_type = htons(0xffff);
		m->mask.nw.ipv4.dst = htonl(0xffffff00);
		break;
	case 4:
		eth_broadcast_addr(m->mask.eth_src);
		m->mask.eth_src[5] = 0xfe;
		break;
	default:
		if ((r >> 3) % 8)	/* rarely: match everything */
			m->mask.tp_dst = htons(0xffff);
		break;
	}
}

/*
 * The tuple-space index answers what the scan answers, and its mask is
 * sound: every key that agrees with the frame on it gets the same rule.
 */
static void kt_dp_rules_index(struct kunit *test)
{
	struct vsw_action act = { .type = VSW_ACTION_ATTR_DROP };
	struct kt_sw *k = kt_sw_new(test);
	struct vsw *sw = kt_vsw(k);
	const struct vsw_rule_table *t;
	unsigned int i, w, hits = 0;
	struct rnd_state rs;

	prandom_seed_state(&rs, 6);
	rtnl_lock();
	for (i = 0; i < 300; i++) {
		struct vsw_match m;

		kt_rand_match(&rs, &m);
		KUNIT_EXPECT_EQ(test, vsw_rule_add(sw, &m,
						   prandom_u32_state(&rs) % 8,
						   &act, 1, NULL), 0);
	}
	/* scanned until the rules settle (the work cannot run: RTNL) */
	KUNIT_EXPECT_NULL(test, rtnl_dereference(sw->rules)->index);
	vsw_rule_index_now(sw);
	t = rtnl_dereference(sw->rules);
	KUNIT_ASSERT_NOT_NULL(test, t->index);
	KUNIT_EXPECT_LT(test, t->index->n_sub, t->n);
	for (i = 0; i < 4000; i++) {
		struct vsw_key key, key2, mask = {}, mask2 = {};
		const u64 *kw = (const u64 *)&key, *mw = (const u64 *)&mask;
		u64 *k2 = (u64 *)&key2;
		struct vsw_rule *r;

		kt_rand_key(&rs, &key);
		r = vsw_rule_lookup(t, &key, &mask);
		KUNIT_EXPECT_PTR_EQ(test, r, vsw_rule_scan(t, &key, &mask2));
		hits += !!r;
		for (w = 0; w < VSW_KEY_WORDS; w++) {
			u64 x = (u64)prandom_u32_state(&rs) << 32 |
				prandom_u32_state(&rs);

			k2[w] = (kw[w] & mw[w]) | (x & ~mw[w]);
		}
		KUNIT_EXPECT_PTR_EQ(test, vsw_rule_scan(t, &key2, &mask2), r);
	}
	/* the domains make most keys match some rule */
	KUNIT_EXPECT_GT(test, hits, 1000U);
	/* small tables are scanned */
	vsw_rule_flush(sw);
	KUNIT_EXPECT_NULL(test, rtnl_dereference(sw->rules)->index);
	vsw_rule_index_now(sw);
	KUNIT_EXPECT_NULL(test, rtnl_dereference(sw->rules)->index);
	/* a settled table of VSW_RULE_INDEX_MIN rules gets indexed by itself */
	for (i = 0; i < VSW_RULE_INDEX_MIN; i++) {
		struct vsw_match m = {};

		m.key.tp_dst = htons(i);
		m.mask.tp_dst = htons(0xffff);
		KUNIT_EXPECT_EQ(test, vsw_rule_add(sw, &m, 1, &act, 1, NULL), 0);
	}
	rtnl_unlock();
	msleep(jiffies_to_msecs(VSW_RULE_INDEX_DELAY) + 500);
	rtnl_lock();
	KUNIT_EXPECT_NOT_NULL(test, rtnl_dereference(sw->rules)->index);
	vsw_rule_flush(sw);
	rtnl_unlock();
}

/* The flood regression: one frame, tagged and untagged ports mixed. */
static void kt_dp_flood_groups(struct kunit *test)
{
	static const char *const want[KT_PORTS] = {
		"-", "10", "u", "10", "u", "-" };
	static const char *const want_t[KT_PORTS] = {
		"u", "-", "u", "10", "u", "-" };
	struct kt_sw *k = kt_sw_new(test);
	u16 tag[2] = { ETH_P_8021Q, 10 };
	u8 src[ETH_ALEN];
	int i;

	kt_set(test, k, 0, VSW_VLAN_MODE_ACCESS, 10, 0, 0);
	kt_set(test, k, 1, VSW_VLAN_MODE_TRUNK, 1, 10, 0);
	kt_set(test, k, 2, VSW_VLAN_MODE_ACCESS, 10, 0, 0);
	kt_set(test, k, 3, VSW_VLAN_MODE_NATIVE_TAGGED, 10, 0, 0);
	kt_set(test, k, 4, VSW_VLAN_MODE_NATIVE_UNTAGGED, 10, 0, 0);
	kt_set(test, k, 5, VSW_VLAN_MODE_ACCESS, 20, 0, 0);
	for (i = 0; i < 2; i++) {	/* second time from the cache */
		kt_mac(src);
		kt_rx(test, k, 0, src, kt_bcast, NULL, 0);
		kt_expect_tx(test, k, want, "untagged in");
		kt_rx(test, k, 0, src, kt_bcast, NULL, 0);
		kt_expect_tx(test, k, want, "untagged in (cached)");
		kt_mac(src);
		kt_rx(test, k, 1, src, kt_bcast, tag, 1);
		kt_expect_tx(test, k, want_t, "tagged in");
	}
}

static void kt_dp_fdb_limits_ageing(struct kunit *test)
{
	struct kt_sw *k = kt_sw_new(test);
	struct vsw *sw = kt_vsw(k);
	struct vsw_port *p0 = kt_port(k, 0), *p1 = kt_port(k, 1);
	struct vsw_port_cfg *cfg;
	struct vsw_fdb_entry *e;
	u8 mac[4][ETH_ALEN];
	int i;

	for (i = 0; i < 4; i++)
		kt_mac(mac[i]);
	cfg = kunit_kzalloc(test, sizeof(*cfg), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, cfg);
	vsw_port_cfg_default(cfg);
	cfg->max_macs = 2;
	rtnl_lock();
	KUNIT_EXPECT_EQ(test, vsw_port_set_cfg(p0, cfg, NULL), 0);
	rtnl_unlock();

	rcu_read_lock();
	local_bh_disable();
	KUNIT_EXPECT_EQ(test, vsw_fdb_learn(sw, p0, mac[0], 1, &e),
			VSW_LEARN_NEW);
	KUNIT_EXPECT_EQ(test, vsw_fdb_learn(sw, p0, mac[1], 1, &e),
			VSW_LEARN_NEW);
	KUNIT_EXPECT_EQ(test, vsw_fdb_learn(sw, p0, mac[2], 1, &e),
			VSW_LEARN_LIMIT);
	/* known MACs still pass at the limit; other VLAN = other entry */
	KUNIT_EXPECT_EQ(test, vsw_fdb_learn(sw, p0, mac[0], 1, &e),
			VSW_LEARN_OK);
	KUNIT_EXPECT_EQ(test, vsw_fdb_learn(sw, p0, mac[0], 2, &e),
			VSW_LEARN_LIMIT);
	/* a move onto a full port is refused too */
	KUNIT_EXPECT_EQ(test, vsw_fdb_learn(sw, p1, mac[3], 1, &e),
			VSW_LEARN_NEW);
	KUNIT_EXPECT_EQ(test, vsw_fdb_learn(sw, p0, mac[3], 1, &e),
			VSW_LEARN_LIMIT);
	local_bh_enable();
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, atomic_read(&p0->mac_count), 2);
	KUNIT_EXPECT_EQ(test, vsw_fdb_count(sw), 3U);

	/* switch-wide limit */
	rtnl_lock();
	vsw_set_max_macs(sw, 3);
	rtnl_unlock();
	rcu_read_lock();
	local_bh_disable();
	KUNIT_EXPECT_EQ(test, vsw_fdb_learn(sw, p1, mac[2], 1, &e),
			VSW_LEARN_LIMIT);
	local_bh_enable();
	rcu_read_unlock();

	/* ageing: learned entries older than ageing go, static ones stay */
	rtnl_lock();
	KUNIT_EXPECT_EQ(test, vsw_fdb_add_static(sw, mac[2], 1, p1, NULL), 0);
	rtnl_unlock();
	WRITE_ONCE(sw->ageing, 1);
	rcu_read_lock();
	e = vsw_fdb_lookup(sw, mac[0], 1);
	KUNIT_ASSERT_NOT_NULL(test, e);
	WRITE_ONCE(e->updated, jiffies - 5 * HZ);
	e = vsw_fdb_lookup(sw, mac[2], 1);
	KUNIT_ASSERT_NOT_NULL(test, e);
	WRITE_ONCE(e->updated, jiffies - 5 * HZ);
	rcu_read_unlock();
	KUNIT_EXPECT_NE(test, vsw_fdb_age(sw), 0UL);	/* mac[1] is left */
	rcu_read_lock();
	KUNIT_EXPECT_NULL(test, vsw_fdb_lookup(sw, mac[0], 1));
	KUNIT_EXPECT_NOT_NULL(test, vsw_fdb_lookup(sw, mac[1], 1));
	KUNIT_EXPECT_NOT_NULL(test, vsw_fdb_lookup(sw, mac[2], 1));
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, atomic_read(&p0->mac_count), 1);

	/* a VLAN leaving the port flushes its learned entries there */
	kt_set(test, k, 0, VSW_VLAN_MODE_ACCESS, 10, 0, 0);
	rcu_read_lock();
	KUNIT_EXPECT_NULL(test, vsw_fdb_lookup(sw, mac[1], 1));
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, atomic_read(&p0->mac_count), 0);
	WRITE_ONCE(sw->ageing, VSW_DEFAULT_AGEING);
}

/* Cache entries: installed at one gen, never used at another. */
static void kt_dp_cache_gen(struct kunit *test)
{
	struct kt_sw *k = kt_sw_new(test);
	struct vsw *sw = kt_vsw(k);
	struct vsw_cache_entry *e;
	struct vsw_key key = {}, mask = {}, other;
	u32 gen;

	key.in_port = 5;
	key.eth_type = htons(ETH_P_IP);
	key.tp_dst = htons(80);
	mask.in_port = ~0U;
	mask.eth_type = htons(0xffff);

	local_bh_disable();
	rcu_read_lock();
	gen = atomic_read(&sw->gen);
	e = vsw_cache_entry_alloc(1);
	KUNIT_ASSERT_NOT_NULL(test, e);
	e->gen = gen;
	e->dec.n_ops = 1;
	e->dec.ops[0].type = VSW_OP_DROP;
	e->dec.ops[0].port = sw->internal;
	KUNIT_EXPECT_TRUE(test, vsw_cache_insert(sw, e, &key, &mask));
	KUNIT_EXPECT_PTR_EQ(test, vsw_cache_lookup(sw, &key, gen), e);
	other = key;
	other.tp_dst = htons(443);	/* wildcarded: same entry */
	KUNIT_EXPECT_PTR_EQ(test, vsw_cache_lookup(sw, &other, gen), e);
	other.in_port = 6;		/* exact: no entry */
	KUNIT_EXPECT_NULL(test, vsw_cache_lookup(sw, &other, gen));
	vsw_invalidate(sw);
	gen = atomic_read(&sw->gen);
	KUNIT_EXPECT_NULL(test, vsw_cache_lookup(sw, &key, gen));
	rcu_read_unlock();
	local_bh_enable();
	vsw_cache_gc(sw);		/* stale: gone */
	KUNIT_EXPECT_EQ(test, vsw_cache_count(sw), 0U);
}

static struct vsw_cache_entry *
kt_cache_add(struct kunit *test, struct vsw *sw, const struct vsw_key *key,
	     const struct vsw_key *mask)
{
	struct vsw_cache_entry *e = vsw_cache_entry_alloc(1);

	KUNIT_ASSERT_NOT_NULL(test, e);
	e->gen = atomic_read(&sw->gen);
	e->dec.n_ops = 1;
	e->dec.ops[0].type = VSW_OP_DROP;
	e->dec.ops[0].port = sw->internal;
	local_bh_disable();
	if (!vsw_cache_insert(sw, e, key, mask)) {
		vsw_cache_entry_free(e);
		e = NULL;
	}
	local_bh_enable();
	return e;
}

/*
 * Entry counters: the making CPU counts in the entry itself; a hit from
 * any other CPU (played here by giving the entry another owner) gets
 * per-CPU counters on first use. The dump sums both.
 */
static void kt_dp_cache_stats(struct kunit *test)
{
	struct vsw_cache_entry *e = vsw_cache_entry_alloc(1);
	struct vsw_action act[2];
	struct vsw_match m;
	u64 packets, bytes;
	unsigned long used;

	KUNIT_ASSERT_NOT_NULL(test, e);
	e->dec.n_ops = 0;
	local_bh_disable();
	e->cpu = smp_processor_id();
	vsw_cache_entry_count(NULL, e, 60);
	vsw_cache_entry_count(NULL, e, 100);
	local_bh_enable();
	KUNIT_EXPECT_TRUE(test, !e->stats);	/* no per-CPU memory yet */
	e->mask = kunit_kzalloc(test, sizeof(*e->mask), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, e->mask);
	vsw_cache_entry_info(e, &m, act, ARRAY_SIZE(act), &packets, &bytes,
			     &used);
	KUNIT_EXPECT_EQ(test, packets, 2ULL);
	KUNIT_EXPECT_EQ(test, bytes, 160ULL);

	local_bh_disable();
	e->cpu = smp_processor_id() + 1;	/* now "another" CPU's entry */
	vsw_cache_entry_count(NULL, e, 1000);
	vsw_cache_entry_count(NULL, e, 1000);
	local_bh_enable();
	KUNIT_EXPECT_TRUE(test, !!e->stats);
	vsw_cache_entry_info(e, &m, act, ARRAY_SIZE(act), &packets, &bytes,
			     &used);
	KUNIT_EXPECT_EQ(test, packets, 4ULL);
	KUNIT_EXPECT_EQ(test, bytes, 2160ULL);
	vsw_cache_entry_free(e);
}

/* @n lookups of @key, each must find @e; then the mask probed first. */
static const struct vsw_mask *kt_cache_hit(struct kunit *test, struct vsw *sw,
					   const struct vsw_key *key,
					   struct vsw_cache_entry *e,
					   unsigned int n)
{
	const struct vsw_mask *first;
	u32 gen = atomic_read(&sw->gen);
	unsigned int i;

	local_bh_disable();
	rcu_read_lock();
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_PTR_EQ(test, vsw_cache_lookup(sw, key, gen), e);
	first = rcu_dereference(sw->cache->masks)->masks[0];
	rcu_read_unlock();
	local_bh_enable();
	return first;
}

/* The GC sorts the masks by the lookups each answered since its last run. */
static void kt_dp_cache_mask_order(struct kunit *test)
{
	struct kt_sw *k = kt_sw_new(test);
	struct vsw *sw = kt_vsw(k);
	struct vsw_key ka = {}, ma = {}, kb = {}, mb = {};
	struct vsw_cache_entry *a, *b;

	ka.in_port = 5;
	ma.in_port = ~0U;
	kb.in_port = 6;
	kb.eth_type = htons(ETH_P_IP);
	mb.in_port = ~0U;
	mb.eth_type = htons(0xffff);
	a = kt_cache_add(test, sw, &ka, &ma);
	b = kt_cache_add(test, sw, &kb, &mb);
	KUNIT_ASSERT_EQ(test, vsw_cache_count(sw), 2U);

	/* insertion order first: a's mask, though b's answers the lookups */
	KUNIT_EXPECT_PTR_EQ(test, kt_cache_hit(test, sw, &kb, b, 10), a->mask);
	vsw_cache_gc(sw);
	KUNIT_EXPECT_PTR_EQ(test, kt_cache_hit(test, sw, &kb, b, 0), b->mask);
	/* both entries still found through the new order */
	KUNIT_EXPECT_PTR_EQ(test, kt_cache_hit(test, sw, &ka, a, 11), b->mask);
	kt_cache_hit(test, sw, &kb, b, 10);
	/* counts are per GC period: a 11, b 10 since the last run */
	vsw_cache_gc(sw);
	KUNIT_EXPECT_PTR_EQ(test, kt_cache_hit(test, sw, &kb, b, 0), a->mask);
	/* no lookups at all: ties keep the order */
	vsw_cache_gc(sw);
	KUNIT_EXPECT_PTR_EQ(test, kt_cache_hit(test, sw, &kb, b, 1), a->mask);
	KUNIT_EXPECT_EQ(test, vsw_cache_count(sw), 2U);
	vsw_cache_flush(sw);
	KUNIT_EXPECT_EQ(test, rcu_dereference_protected(sw->cache->masks,
							1)->n, 0U);
}

/*
 * Only the mask's word range is hashed and compared: entries that differ
 * only outside it are one entry, and an all-zero mask (empty range)
 * matches every key.
 */
static void kt_dp_cache_ranges(struct kunit *test)
{
	struct kt_sw *k = kt_sw_new(test);
	struct vsw *sw = kt_vsw(k);
	struct vsw_key key = {}, mask = {}, other = {};
	struct vsw_cache_entry *e, *all;

	key.nw.ipv4.dst = htonl(0x0a000001);	/* the last word */
	mask.nw.ipv4.dst = htonl(0xffffffff);
	e = kt_cache_add(test, sw, &key, &mask);
	other.in_port = 9;			/* outside the range: ignored */
	other.nw.ipv4.dst = key.nw.ipv4.dst;
	kt_cache_hit(test, sw, &other, e, 1);
	other.nw.ipv4.dst = htonl(0x0a000002);
	local_bh_disable();
	rcu_read_lock();
	KUNIT_EXPECT_NULL(test, vsw_cache_lookup(sw, &other,
						 atomic_read(&sw->gen)));
	rcu_read_unlock();
	local_bh_enable();

	memset(&mask, 0, sizeof(mask));
	all = kt_cache_add(test, sw, &key, &mask);
	kt_cache_hit(test, sw, &other, all, 1);
	kt_cache_hit(test, sw, &key, e, 1);	/* e's mask is probed first */
	KUNIT_EXPECT_EQ(test, vsw_cache_count(sw), 2U);
}

/*
 * The cache is bounded in bytes as well as in entries: entries of many ops
 * (floods to many ports) fit VSW_CACHE_ENTRY_BYTES per entry of the size
 * on average, small ones fill the size.
 */
static void kt_dp_cache_bytes(struct kunit *test)
{
	struct kt_sw *k = kt_sw_new(test);
	struct vsw *sw = kt_vsw(k);
	struct vsw_key key = {}, mask = {};
	unsigned int i, ops;

	WRITE_ONCE(sw->cache_size, 8);		/* empty: nothing to evict */
	mask.tp_dst = htons(0xffff);
	/* 8 entries of 1 op fit, not more */
	for (i = 0; i < 10; i++) {
		key.tp_dst = htons(i);
		kt_cache_add(test, sw, &key, &mask);
	}
	KUNIT_EXPECT_EQ(test, vsw_cache_count(sw), 8U);
	KUNIT_EXPECT_EQ(test, vsw_cache_bytes(sw),
			(u64)8 * vsw_cache_entry_size(1));
	/* entries of 100 ops: as many as 8 * 512 bytes hold */
	ops = 100;
	for (i = 0; i < 10; i++) {
		struct vsw_cache_entry *e = vsw_cache_entry_alloc(ops);

		KUNIT_ASSERT_NOT_NULL(test, e);
		e->gen = atomic_read(&sw->gen);
		e->dec.n_ops = 1;
		e->dec.ops[0].type = VSW_OP_DROP;
		e->dec.ops[0].port = sw->internal;
		key.tp_dst = htons(100 + i);
		local_bh_disable();
		if (!vsw_cache_insert(sw, e, &key, &mask))
			vsw_cache_entry_free(e);
		local_bh_enable();
	}
	KUNIT_EXPECT_LE(test, vsw_cache_bytes(sw), (u64)8 * VSW_CACHE_ENTRY_BYTES);
	KUNIT_EXPECT_EQ(test, vsw_cache_count(sw),
			(u32)(8 * VSW_CACHE_ENTRY_BYTES / vsw_cache_entry_size(ops)));
	vsw_cache_flush(sw);
	KUNIT_EXPECT_EQ(test, vsw_cache_bytes(sw), 0ULL);
}

/*
 * Rules are found by (match, priority) through a hash: adds of an
 * existing rule replace it in place, deletes find it, the table stays
 * sorted by priority with no duplicate, whatever the order of changes.
 */
static void kt_dp_rules_hash(struct kunit *test)
{
	struct vsw_action act = { .type = VSW_ACTION_ATTR_DROP };
	struct kt_sw *k = kt_sw_new(test);
	struct vsw *sw = kt_vsw(k);
	const struct vsw_rule_table *t;
	unsigned int i, j, n;
	struct rnd_state rs;

	prandom_seed_state(&rs, 13);
	rtnl_lock();
	for (i = 0; i < 3000; i++) {
		struct vsw_match m = {};
		u16 prio = prandom_u32_state(&rs) % 4;
		int err;

		m.key.tp_dst = htons(prandom_u32_state(&rs) % 200);
		m.mask.tp_dst = htons(0xffff);
		if (prandom_u32_state(&rs) % 3) {
			KUNIT_EXPECT_EQ(test, vsw_rule_add(sw, &m, prio, &act,
							   1, NULL), 0);
		} else {
			err = vsw_rule_del(sw, &m, prio, NULL);
			KUNIT_EXPECT_TRUE(test, !err || err == -ENOENT);
		}
	}
	t = rtnl_dereference(sw->rules);
	KUNIT_EXPECT_GT(test, t->n, 100U);
	KUNIT_EXPECT_LE(test, t->n, 800U);
	for (i = 0; i < t->n; i++) {
		if (i)
			KUNIT_EXPECT_GE(test, t->rules[i - 1]->priority,
					t->rules[i]->priority);
		for (j = i + 1; j < t->n; j++)
			KUNIT_EXPECT_FALSE(test, t->rules[i]->priority ==
					   t->rules[j]->priority &&
					   !memcmp(&t->rules[i]->match,
						   &t->rules[j]->match,
						   sizeof(struct vsw_match)));
	}
	/* a replace keeps the count */
	n = t->n;
	KUNIT_EXPECT_EQ(test, vsw_rule_add(sw, &t->rules[0]->match,
					   t->rules[0]->priority, &act, 1,
					   NULL), 0);
	t = rtnl_dereference(sw->rules);
	KUNIT_EXPECT_EQ(test, t->n, n);
	/* every rule is found again, then none is left */
	while (t->n) {
		struct vsw_match m = t->rules[t->n / 2]->match;

		KUNIT_ASSERT_EQ(test, vsw_rule_del(sw, &m,
						   t->rules[t->n / 2]->priority,
						   NULL), 0);
		t = rtnl_dereference(sw->rules);
	}
	vsw_rule_flush(sw);
	rtnl_unlock();
}

/* Resumable FDB walks (netlink dumps): collect at most @limit per walk. */
#define KT_WALK_N	300

struct kt_walk {
	u8 seen[KT_WALK_N];
	unsigned int n, limit, dups;
};

static void kt_walk_mac(u8 *mac, unsigned int i)
{
	eth_zero_addr(mac);
	mac[0] = 0x02;
	mac[1] = 0x5c;
	mac[4] = i >> 8;
	mac[5] = i;
}

static int kt_walk_fn(const struct vsw_fdb_entry *e, void *arg)
{
	struct kt_walk *w = arg;
	unsigned int i = e->key.addr[4] << 8 | e->key.addr[5];

	if (w->n == w->limit)
		return -EMSGSIZE;	/* "skb full": this one again next time */
	w->n++;
	if (i < KT_WALK_N && w->seen[i]++)
		w->dups++;
	return 0;
}

/* walk on from @pos in parts of @limit; returns the number of parts */
static unsigned int kt_walk_rest(struct vsw *sw, struct vsw_walk_pos *pos,
				 struct kt_walk *w)
{
	unsigned int parts = 0;
	int ret;

	do {
		w->n = 0;
		ret = vsw_fdb_walk(sw, pos, kt_walk_fn, w);
		parts++;
	} while (ret && parts < 10 * KT_WALK_N);
	return parts;
}

/*
 * A walk resumed after its entry was deleted (and re-added: a new entry
 * with the same key) neither repeats nor skips an entry that stayed; a
 * position taken on another switch is only a place to resume at.
 */
static void kt_dp_fdb_walk_resume(struct kunit *test)
{
	struct kt_sw *k = kt_sw_new(test), *k2 = kt_sw_new(test);
	struct vsw *sw = kt_vsw(k), *sw2 = kt_vsw(k2);
	struct vsw_port *p0 = kt_port(k, 0);
	struct vsw_walk_pos pos = {}, pos2;
	struct kt_walk *w;
	u8 mac[ETH_ALEN];
	unsigned int i, round;

	w = kunit_kzalloc(test, sizeof(*w), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, w);
	rtnl_lock();
	for (i = 0; i < KT_WALK_N; i++) {
		kt_walk_mac(mac, i);
		KUNIT_EXPECT_EQ(test, vsw_fdb_add_static(sw, mac, 1, p0, NULL),
				0);
	}
	rtnl_unlock();

	/* unchanged: every entry once, in parts of 7 */
	w->limit = 7;
	KUNIT_EXPECT_EQ(test, kt_walk_rest(sw, &pos, w),
			DIV_ROUND_UP(KT_WALK_N, 7));
	for (i = 0; i < KT_WALK_N; i++)
		KUNIT_EXPECT_EQ(test, w->seen[i], 1);

	/*
	 * In each round: a first part, then the entry it stopped at is
	 * deleted (odd rounds: and added again), then the rest.
	 */
	for (round = 0; round < 4; round++) {
		unsigned int stop, gone = KT_WALK_N;

		memset(w, 0, sizeof(*w));
		memset(&pos, 0, sizeof(pos));
		w->limit = 20 + 30 * round;
		KUNIT_EXPECT_NE(test, vsw_fdb_walk(sw, &pos, kt_walk_fn, w), 0);
		/* the entry it resumes at: its key is in pos.b (white box) */
		stop = (pos.b >> 8 & 0xff) << 8 | (pos.b & 0xff);
		KUNIT_ASSERT_LT(test, stop, KT_WALK_N);
		KUNIT_EXPECT_EQ(test, w->seen[stop], 0);
		kt_walk_mac(mac, stop);
		rtnl_lock();
		KUNIT_EXPECT_EQ(test, vsw_fdb_del(sw, mac, 1, NULL), 0);
		if (round & 1)
			KUNIT_EXPECT_EQ(test,
					vsw_fdb_add_static(sw, mac, 1, p0, NULL),
					0);
		else
			gone = stop;
		rtnl_unlock();
		kt_walk_rest(sw, &pos, w);
		KUNIT_EXPECT_EQ(test, w->dups, 0U);
		for (i = 0; i < KT_WALK_N; i++)
			if (i != stop)
				KUNIT_EXPECT_EQ_MSG(test, w->seen[i], 1,
						    "round %u entry %u", round, i);
		/* the re-added one is newer than the dump: not shown */
		KUNIT_EXPECT_EQ(test, w->seen[stop], 0);
		if (gone == KT_WALK_N)
			continue;
		/* put it back for the next round */
		rtnl_lock();
		KUNIT_EXPECT_EQ(test, vsw_fdb_add_static(sw, mac, 1, p0, NULL),
				0);
		rtnl_unlock();
	}

	/* a position of another switch: safe, and it ends */
	memset(w, 0, sizeof(*w));
	memset(&pos, 0, sizeof(pos));
	w->limit = 10;
	KUNIT_EXPECT_NE(test, vsw_fdb_walk(sw, &pos, kt_walk_fn, w), 0);
	pos2 = pos;
	memset(w, 0, sizeof(*w));
	w->limit = 10;
	kt_walk_rest(sw2, &pos2, w);
	KUNIT_EXPECT_EQ(test, w->dups, 0U);
	pos2.a = U64_MAX;	/* any garbage */
	pos2.b = U64_MAX;
	kt_walk_rest(sw, &pos2, w);
}

static struct kunit_case kt_dp_test_cases[] = {
	KUNIT_CASE(kt_dp_vlan_matrix),
	KUNIT_CASE(kt_dp_qinq),
	KUNIT_CASE(kt_dp_flood_groups),
	KUNIT_CASE(kt_dp_fdb_cache),
	KUNIT_CASE(kt_dp_learn_keeps_cache),
	KUNIT_CASE(kt_dp_fdb_limits_ageing),
	KUNIT_CASE(kt_dp_cache_gen),
	KUNIT_CASE(kt_dp_cache_stats),
	KUNIT_CASE(kt_dp_cache_mask_order),
	KUNIT_CASE(kt_dp_cache_ranges),
	KUNIT_CASE(kt_dp_cache_bytes),
	KUNIT_CASE(kt_dp_rules_hash),
	KUNIT_CASE(kt_dp_rules_l3),
	KUNIT_CASE(kt_dp_rules_index),
	KUNIT_CASE(kt_dp_fdb_walk_resume),
	{}
};

static struct kunit_suite kt_dp_suite = {
	.name = "vsw_dp",
	.test_cases = kt_dp_test_cases,
};

kunit_test_suites(&kt_dp_suite);
