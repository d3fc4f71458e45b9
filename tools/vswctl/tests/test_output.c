// SPDX-License-Identifier: GPL-2.0
/*
 * Output tests: fake kernel replies (built with libmnl) are fed to the show
 * callbacks; their JSON and text output is compared with the contract of
 * docs/cli.md.  Also: match/actions netlink round trips, extack parsing and
 * the JSON writer.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/netlink.h>

#include "ktest.h"
#include "table.h"
#include "vswctl.h"

static char msgbuf[NL_BUFSZ];
static char *cap;
static size_t caplen;

static struct nlmsghdr *msg(uint8_t cmd)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(msgbuf);
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));

	nlh->nlmsg_type = vsw_family = 0x42;
	g->cmd = cmd;
	g->version = VSW_GENL_VERSION;
	return nlh;
}

static void cap_start(bool json, bool stats)
{
	opt.json = json;
	opt.stats = stats;
	opt.pretty = false;
	free(cap);
	cap = NULL;
	out = open_memstream(&cap, &caplen);
}

static const char *cap_end(void)
{
	fclose(out);
	out = stdout;
	return cap;
}

/* Run cb on nlh inside a JSON array (or a text table) and return output. */
static const char *run(mnl_cb_t cb, const struct nlmsghdr *nlh, bool json,
		       bool stats, struct table *t)
{
	cap_start(json, stats);
	show_begin();
	cb(nlh, t);
	show_end(0);
	if (t)
		table_print(t, out);
	return cap_end();
}

static void put_stats(struct nlmsghdr *nlh, uint16_t type)
{
	struct nlattr *s = mnl_attr_nest_start(nlh, type), *d;

	mnl_attr_put_u64(nlh, VSW_STATS_RX_PACKETS, 10);
	mnl_attr_put_u64(nlh, VSW_STATS_RX_BYTES, 1000);
	mnl_attr_put_u64(nlh, VSW_STATS_TX_PACKETS, 5);
	mnl_attr_put_u64(nlh, VSW_STATS_TX_BYTES, 500);
	mnl_attr_put_u64(nlh, VSW_STATS_DROPS, 3);
	d = mnl_attr_nest_start(nlh, VSW_STATS_DROP_REASONS);
	mnl_attr_put_u64(nlh, VSW_DROP_VLAN_INGRESS, 2);
	mnl_attr_put_u64(nlh, VSW_DROP_INVALID_SRC, 1);
	mnl_attr_nest_end(nlh, d);
	mnl_attr_nest_end(nlh, s);
}

static void test_switch(void)
{
	struct nlmsghdr *nlh = msg(VSW_CMD_SWITCH_GET);

	mnl_attr_put_u32(nlh, VSW_ATTR_IFINDEX, 7);
	mnl_attr_put_strz(nlh, VSW_ATTR_IFNAME, "sw0");
	mnl_attr_put_u32(nlh, VSW_ATTR_AGEING, 300);
	mnl_attr_put_u32(nlh, VSW_ATTR_MAX_MACS, 0);
	mnl_attr_put_u32(nlh, VSW_ATTR_CACHE_SIZE, 65536);
	mnl_attr_put_u32(nlh, VSW_ATTR_FDB_COUNT, 2);
	mnl_attr_put_u32(nlh, VSW_ATTR_RULE_COUNT, 0);
	mnl_attr_put_u32(nlh, VSW_ATTR_CACHE_COUNT, 4);
	mnl_attr_put_u32(nlh, VSW_ATTR_PORT_COUNT, 3);
	mnl_attr_put_u64(nlh, VSW_ATTR_CACHE_HITS, 11);
	mnl_attr_put_u64(nlh, VSW_ATTR_CACHE_MISSES, 12);
	put_stats(nlh, VSW_ATTR_STATS);

	kt_streq(run(switch_show_cb, nlh, false, false, NULL),
		 "sw0: ports 3 fdb 2 rules 0 cache 4 ageing 300 max-macs 0 cache-size 65536\n",
		 "switch show: text as in docs/cli.md");
	kt_streq(run(switch_show_cb, nlh, true, false, NULL),
		 "[{\"ifname\":\"sw0\",\"ifindex\":7,\"ageing\":300,\"max_macs\":0,"
		 "\"cache_size\":65536,\"ports\":3,\"fdb_entries\":2,\"rules\":0,"
		 "\"cache_entries\":4}]\n", "switch show -j: keys");
	kt_streq(run(switch_show_cb, nlh, true, true, NULL),
		 "[{\"ifname\":\"sw0\",\"ifindex\":7,\"ageing\":300,\"max_macs\":0,"
		 "\"cache_size\":65536,\"ports\":3,\"fdb_entries\":2,\"rules\":0,"
		 "\"cache_entries\":4,\"cache_hits\":11,\"cache_misses\":12,"
		 "\"stats\":{\"rx_packets\":10,\"rx_bytes\":1000,\"tx_packets\":5,"
		 "\"tx_bytes\":500,\"drops\":3,\"drop_reasons\":{\"vlan_ingress\":2,"
		 "\"vlan_egress\":0,\"mac_limit\":0,\"rule\":0,\"no_flood\":0,"
		 "\"isolated\":0,\"mtu\":0,\"malformed\":0,\"nomem\":0,"
		 "\"port_down\":0,\"invalid_src\":1,\"storm\":0}}}]\n",
		 "switch show -j -s: stats with every drop reason");
	kt_streq(run(switch_show_cb, nlh, false, true, NULL),
		 "sw0: ports 3 fdb 2 rules 0 cache 4 ageing 300 max-macs 0 cache-size 65536\n"
		 "    cache hits 11 misses 12\n"
		 "    RX: packets 10 bytes 1000\n"
		 "    TX: packets 5 bytes 500\n"
		 "    drops 3 vlan_ingress 2 invalid_src 1\n",
		 "switch show -s: text");

	/* the attributes added later: rule index, cache bytes */
	mnl_attr_put_u64(nlh, VSW_ATTR_CACHE_BYTES, 880);
	mnl_attr_put_u32(nlh, VSW_ATTR_RULE_INDEX_GEN, 5);
	mnl_attr_put_u8(nlh, VSW_ATTR_RULES_INDEXED, 1);
	kt_streq(run(switch_show_cb, nlh, true, false, NULL),
		 "[{\"ifname\":\"sw0\",\"ifindex\":7,\"ageing\":300,\"max_macs\":0,"
		 "\"cache_size\":65536,\"ports\":3,\"fdb_entries\":2,\"rules\":0,"
		 "\"cache_entries\":4,\"rule_index_gen\":5,\"rules_indexed\":true}]\n",
		 "switch show -j: rule_index_gen, rules_indexed");
	kt_check(strstr(run(switch_show_cb, nlh, true, true, NULL),
			"\"cache_misses\":12,\"cache_bytes\":880,") != NULL,
		 "switch show -j -s: cache_bytes");
}

static struct nlmsghdr *port_msg(const char *name, uint32_t ifindex,
				 uint8_t mode, uint16_t tag, const char *trunks,
				 const char *cvlans, bool internal, bool stats)
{
	struct nlmsghdr *nlh = msg(VSW_CMD_PORT_GET);
	uint8_t bm[VSW_VLAN_BITMAP_LEN];
	struct nlattr *p;

	mnl_attr_put_u32(nlh, VSW_ATTR_IFINDEX, 7);
	mnl_attr_put_strz(nlh, VSW_ATTR_IFNAME, "sw0");
	p = mnl_attr_nest_start(nlh, VSW_ATTR_PORT);
	mnl_attr_put_u32(nlh, VSW_PORT_ATTR_IFINDEX, ifindex);
	mnl_attr_put_strz(nlh, VSW_PORT_ATTR_IFNAME, name);
	mnl_attr_put_u8(nlh, VSW_PORT_ATTR_MODE, mode);
	mnl_attr_put_u16(nlh, VSW_PORT_ATTR_TAG, tag);
	parse_vlist(trunks, VLIST_TRUNKS, bm);
	mnl_attr_put(nlh, VSW_PORT_ATTR_TRUNKS, sizeof(bm), bm);
	parse_vlist(cvlans, VLIST_CVLANS, bm);
	mnl_attr_put(nlh, VSW_PORT_ATTR_CVLANS, sizeof(bm), bm);
	mnl_attr_put_u8(nlh, VSW_PORT_ATTR_LEARNING, 1);
	mnl_attr_put_u8(nlh, VSW_PORT_ATTR_FLOOD_UCAST, 1);
	mnl_attr_put_u8(nlh, VSW_PORT_ATTR_FLOOD_BCAST, 1);
	mnl_attr_put_u8(nlh, VSW_PORT_ATTR_FLOOD_MCAST, 1);
	mnl_attr_put_u8(nlh, VSW_PORT_ATTR_ISOLATED, 0);
	mnl_attr_put_u32(nlh, VSW_PORT_ATTR_MAX_MACS, 0);
	mnl_attr_put_u32(nlh, VSW_PORT_ATTR_MAC_COUNT, ifindex == 11 ? 1 : 0);
	mnl_attr_put_u8(nlh, VSW_PORT_ATTR_OPER_UP, 1);
	if (ifindex == 16) {	/* p6 samples; two of three storm limits */
		mnl_attr_put_u32(nlh, VSW_PORT_ATTR_SAMPLE_RATE, 100);
		mnl_attr_put_u32(nlh, VSW_PORT_ATTR_SAMPLE_GROUP, 5);
		mnl_attr_put_u32(nlh, VSW_PORT_ATTR_STORM_BCAST, 1000);
		mnl_attr_put_u32(nlh, VSW_PORT_ATTR_STORM_MCAST, 0);
		mnl_attr_put_u32(nlh, VSW_PORT_ATTR_STORM_UNKNOWN, 50);
	}
	if (internal)
		mnl_attr_put(nlh, VSW_PORT_ATTR_INTERNAL, 0, NULL);
	if (stats)
		put_stats(nlh, VSW_PORT_ATTR_STATS);
	mnl_attr_nest_end(nlh, p);
	return nlh;
}

static void test_ports(void)
{
	static const char *const hdr[] = {
		"PORT", "SWITCH", "MODE", "TAG", "TRUNKS", "STATE", "MACS", "FLAGS"
	};
	static const int minw[] = { 7, 8, 8, 5, 8, 7, 6, 0 };
	struct table t = TABLE_INIT(hdr, minw);
	struct nlmsghdr *nlh;

	/* the three ports of the docs/cli.md example, as one table */
	cap_start(false, false);
	port_show_cb(port_msg("sw0", 7, VSW_VLAN_MODE_ACCESS, 1, "none", "all",
			      true, false), &t);
	port_show_cb(port_msg("p1", 11, VSW_VLAN_MODE_ACCESS, 10, "none", "all",
			      false, false), &t);
	port_show_cb(port_msg("p2", 12, VSW_VLAN_MODE_TRUNK, 1, "10,20", "all",
			      false, false), &t);
	table_print(&t, out);
	kt_streq(cap_end(),
		 "PORT   SWITCH  MODE    TAG  TRUNKS  STATE  MACS  FLAGS\n"
		 "sw0    sw0     access  1    -       up     0     internal,learning,flood\n"
		 "p1     sw0     access  10   -       up     1     learning,flood\n"
		 "p2     sw0     trunk   -    10,20   up     0     learning,flood\n",
		 "port show: table as in docs/cli.md");

	nlh = port_msg("p1", 11, VSW_VLAN_MODE_ACCESS, 10, "none", "all", false,
		       false);
	kt_streq(run(port_show_cb, nlh, true, false, NULL),
		 "[{\"ifname\":\"p1\",\"ifindex\":11,\"master\":\"sw0\","
		 "\"mode\":\"access\",\"tag\":10,\"trunks\":\"none\","
		 "\"cvlans\":\"all\",\"learning\":true,\"flood\":true,\"bcast_flood\":true,"
		 "\"mcast_flood\":true,\"isolated\":false,\"internal\":false,"
		 "\"max_macs\":0,\"priority_tags\":\"never\","
		 "\"qinq_ethtype\":\"802.1ad\",\"sample_rate\":0,\"sample_group\":0,"
		 "\"storm_bcast\":0,\"storm_mcast\":0,\"storm_unknown\":0,\"macs\":1,\"state\":\"up\"}]\n",
		 "port show -j: access port keys (cvlans always there)");
	nlh = port_msg("p5", 15, VSW_VLAN_MODE_DOT1Q_TUNNEL, 100, "none",
		       "0,10,20-29", false, true);
	kt_streq(run(port_show_cb, nlh, true, true, NULL),
		 "[{\"ifname\":\"p5\",\"ifindex\":15,\"master\":\"sw0\","
		 "\"mode\":\"dot1q-tunnel\",\"tag\":100,\"trunks\":\"none\","
		 "\"cvlans\":\"0,10,20-29\",\"learning\":true,\"flood\":true,"
		 "\"bcast_flood\":true,\"mcast_flood\":true,\"isolated\":false,"
		 "\"internal\":false,\"max_macs\":0,\"priority_tags\":\"never\","
		 "\"qinq_ethtype\":\"802.1ad\",\"sample_rate\":0,\"sample_group\":0,"
		 "\"storm_bcast\":0,\"storm_mcast\":0,\"storm_unknown\":0,\"macs\":0,\"state\":\"up\","
		 "\"stats\":{\"rx_packets\":10,\"rx_bytes\":1000,\"tx_packets\":5,"
		 "\"tx_bytes\":500,\"drops\":3,\"drop_reasons\":{\"vlan_ingress\":2,"
		 "\"vlan_egress\":0,\"mac_limit\":0,\"rule\":0,\"no_flood\":0,"
		 "\"isolated\":0,\"mtu\":0,\"malformed\":0,\"nomem\":0,"
		 "\"port_down\":0,\"invalid_src\":1,\"storm\":0}}}]\n",
		 "port show -j -s: dot1q-tunnel with cvlans and stats");
	nlh = port_msg("p4", 14, VSW_VLAN_MODE_NATIVE_UNTAGGED, 5, "all", "all",
		       false, true);
	kt_streq(run(port_show_cb, nlh, false, true, &t),
		 "PORT   SWITCH  MODE             TAG  TRUNKS  STATE  MACS  FLAGS\n"
		 "p4     sw0     native-untagged  5    all     up     0     learning,flood\n"
		 "    RX: packets 10 bytes 1000\n"
		 "    TX: packets 5 bytes 500\n"
		 "    drops 3 vlan_ingress 2 invalid_src 1\n",
		 "port show -s: counters below the row, columns widen");
	nlh = port_msg("p6", 16, VSW_VLAN_MODE_ACCESS, 1, "none", "all",
		       false, false);
	kt_streq(run(port_show_cb, nlh, false, false, &t),
		 "PORT   SWITCH  MODE    TAG  TRUNKS  STATE  MACS  FLAGS\n"
		 "p6     sw0     access  1    -       up     0     learning,flood,sample-rate=100,sample-group=5,storm-bcast=1000,storm-unknown=50\n",
		 "port show: a sampling port's FLAGS, non-zero storm limits");
	nlh = port_msg("p6", 16, VSW_VLAN_MODE_ACCESS, 1, "none", "all",
		       false, false);
	kt_streq(run(port_show_cb, nlh, true, false, NULL),
		 "[{\"ifname\":\"p6\",\"ifindex\":16,\"master\":\"sw0\","
		 "\"mode\":\"access\",\"tag\":1,\"trunks\":\"none\","
		 "\"cvlans\":\"all\",\"learning\":true,\"flood\":true,\"bcast_flood\":true,"
		 "\"mcast_flood\":true,\"isolated\":false,\"internal\":false,"
		 "\"max_macs\":0,\"priority_tags\":\"never\","
		 "\"qinq_ethtype\":\"802.1ad\",\"sample_rate\":100,\"sample_group\":5,"
		 "\"storm_bcast\":1000,\"storm_mcast\":0,\"storm_unknown\":50,"
		 "\"macs\":0,\"state\":\"up\"}]\n",
		 "port show -j: sample_rate, sample_group, storm limits");
}

static struct nlmsghdr *fdb_msg(const char *mac, uint16_t vid, uint32_t flags,
				uint32_t age)
{
	struct nlmsghdr *nlh = msg(VSW_CMD_FDB_GET);
	struct nlattr *f;
	uint8_t addr[6];

	parse_mac(mac, addr);
	mnl_attr_put_u32(nlh, VSW_ATTR_IFINDEX, 7);
	mnl_attr_put_strz(nlh, VSW_ATTR_IFNAME, "sw0");
	f = mnl_attr_nest_start(nlh, VSW_ATTR_FDB);
	mnl_attr_put(nlh, VSW_FDB_ATTR_MAC, 6, addr);
	mnl_attr_put_u16(nlh, VSW_FDB_ATTR_VID, vid);
	mnl_attr_put_u32(nlh, VSW_FDB_ATTR_PORT_IFINDEX, 11);
	mnl_attr_put_strz(nlh, VSW_FDB_ATTR_PORT_IFNAME, "p1");
	mnl_attr_put_u32(nlh, VSW_FDB_ATTR_FLAGS, flags);
	mnl_attr_put_u32(nlh, VSW_FDB_ATTR_AGE, age);
	mnl_attr_nest_end(nlh, f);
	return nlh;
}

static void test_fdb(void)
{
	static const char *const hdr[] = { "MAC", "VLAN", "PORT", "TYPE", "AGE" };
	static const int minw[] = { 19, 6, 6, 9, 0 };
	struct table t = TABLE_INIT(hdr, minw);

	kt_streq(run(fdb_show_cb, fdb_msg("02:00:00:00:00:01", 10, 0, 3400),
		     false, false, &t),
		 "MAC                VLAN  PORT  TYPE     AGE\n"
		 "02:00:00:00:00:01  10    p1    learned  3s\n",
		 "fdb show: table as in docs/cli.md");
	kt_streq(run(fdb_show_cb, fdb_msg("02:00:00:00:00:01", 10, 0, 3400),
		     true, false, NULL),
		 "[{\"mac\":\"02:00:00:00:00:01\",\"ifname\":\"p1\",\"vlan\":10,"
		 "\"master\":\"sw0\",\"flags\":[],\"state\":\"\",\"updated\":3}]\n",
		 "fdb show -j: learned entry");
	kt_streq(run(fdb_show_cb, fdb_msg("02:00:00:00:00:09", 20,
					  VSW_FDB_F_STATIC, 0), true, false, NULL),
		 "[{\"mac\":\"02:00:00:00:00:09\",\"ifname\":\"p1\",\"vlan\":20,"
		 "\"master\":\"sw0\",\"flags\":[],\"state\":\"static\",\"updated\":0}]\n",
		 "fdb show -j: static entry");
	kt_streq(run(fdb_show_cb, fdb_msg("02:00:00:00:00:09", 20,
					  VSW_FDB_F_STATIC, 0), false, false, &t),
		 "MAC                VLAN  PORT  TYPE     AGE\n"
		 "02:00:00:00:00:09  20    p1    static   -\n",
		 "fdb show: static entry");
}

static struct nlmsghdr *rule_msg(uint8_t cmd, const char *flow, long prio,
				 bool used)
{
	struct nlmsghdr *nlh = msg(cmd);
	struct match m;
	struct actions a;
	struct nlattr *r;
	unsigned int i;

	if (parse_flow(flow, &m, &a, true))
		printf("# bad test flow %s: %s\n", flow, parse_error());
	m.in_port_ifindex = 1;		/* "lo" */
	for (i = 0; i < a.n; i++)
		if (a.a[i].type == VSW_ACTION_ATTR_OUTPUT)
			a.a[i].arg = 1;
	r = mnl_attr_nest_start(nlh, prio >= 0 ? VSW_ATTR_RULE : VSW_ATTR_CACHE);
	if (prio >= 0)
		mnl_attr_put_u16(nlh, VSW_RULE_ATTR_PRIORITY, prio);
	match_to_nl(nlh, prio >= 0 ? VSW_RULE_ATTR_MATCH : VSW_CACHE_ATTR_MATCH, &m);
	actions_to_nl(nlh, prio >= 0 ? VSW_RULE_ATTR_ACTIONS :
		      VSW_CACHE_ATTR_ACTIONS, &a);
	mnl_attr_put_u64(nlh, prio >= 0 ? VSW_RULE_ATTR_PACKETS :
			 VSW_CACHE_ATTR_PACKETS, 3);
	mnl_attr_put_u64(nlh, prio >= 0 ? VSW_RULE_ATTR_BYTES :
			 VSW_CACHE_ATTR_BYTES, 294);
	if (used)
		mnl_attr_put_u64(nlh, prio >= 0 ? VSW_RULE_ATTR_USED :
				 VSW_CACHE_ATTR_USED, 120);
	mnl_attr_nest_end(nlh, r);
	return nlh;
}

static void test_flows(void)
{
	struct nlmsghdr *nlh;

	nlh = rule_msg(VSW_CMD_RULE_GET, "in_port=lo,ip,actions=drop", 100, false);
	kt_streq(run(flow_show_cb, nlh, false, false, NULL),
		 "priority=100,in_port=lo,dl_type=0x0800 actions=drop\n",
		 "flow show: text as in docs/cli.md");
	kt_streq(run(flow_show_cb, nlh, true, false, NULL),
		 "[{\"priority\":100,\"match\":\"in_port=lo,dl_type=0x0800\","
		 "\"actions\":\"drop\",\"n_packets\":3,\"n_bytes\":294}]\n",
		 "flow show -j: no used_ms when never used");
	kt_streq(run(flow_show_cb, nlh, false, true, NULL),
		 "priority=100,in_port=lo,dl_type=0x0800 actions=drop packets=3 bytes=294 used=never\n",
		 "flow show -s: counters");
	nlh = rule_msg(VSW_CMD_RULE_GET, "actions=output:lo,normal", 0, true);
	kt_streq(run(flow_show_cb, nlh, true, false, NULL),
		 "[{\"priority\":0,\"match\":\"\",\"actions\":\"output:lo,normal\","
		 "\"n_packets\":3,\"n_bytes\":294,\"used_ms\":120}]\n",
		 "flow show -j: match-all rule");
	nlh = rule_msg(VSW_CMD_RULE_GET,
		       "tcp,nw_src=10.0.0.0/8,tp_dst=22,dl_vlan=none,actions=push_vlan:0x88a8,mod_vlan_vid:100,output:lo",
		       VSW_PRIORITY_MAX, true);
	kt_streq(run(flow_show_cb, nlh, false, true, NULL),
		 "priority=65535,dl_vlan=none,dl_type=0x0800,nw_src=10.0.0.0/8,nw_proto=6,tp_dst=22 "
		 "actions=push_vlan:0x88a8,mod_vlan_vid:100,output:lo packets=3 bytes=294 used=0.120s\n",
		 "flow show: canonical field order, shorthands expanded");

	/* cache: the example of docs/cli.md */
	nlh = rule_msg(VSW_CMD_CACHE_GET,
		       "in_port=lo,dl_src=02:00:00:00:00:01,dl_dst=ff:ff:ff:ff:ff:ff,dl_vlan=none,actions=output:lo",
		       -1, true);
	kt_streq(run(cache_show_cb, nlh, false, false, NULL),
		 "in_port=lo,dl_src=02:00:00:00:00:01,dl_dst=ff:ff:ff:ff:ff:ff,dl_vlan=none "
		 "actions=output:lo packets=3 bytes=294 used=0.120s\n",
		 "cache show: text as in docs/cli.md");
	kt_streq(run(cache_show_cb, nlh, true, false, NULL),
		 "[{\"match\":\"in_port=lo,dl_src=02:00:00:00:00:01,"
		 "dl_dst=ff:ff:ff:ff:ff:ff,dl_vlan=none\",\"actions\":\"output:lo\","
		 "\"n_packets\":3,\"n_bytes\":294,\"used_ms\":120}]\n",
		 "cache show -j: keys");
	nlh = rule_msg(VSW_CMD_CACHE_GET, "actions=drop", -1, false);
	kt_check(strstr(run(cache_show_cb, nlh, true, false, NULL),
			"\"used_ms\":0") != NULL, "cache show -j: used_ms always there");
}

/* Every match field through match_to_nl() and match_from_nl(). */
static void test_match_nl(void)
{
	static const char *const flows[] = {
		"in_port=lo,dl_src=02:00:00:00:00:01/ff:ff:ff:ff:ff:fe,"
		"dl_dst=01:00:00:00:00:00/01:00:00:00:00:00,dl_vlan=10,dl_vlan_pcp=5,"
		"dl_type=0x0800,nw_src=10.1.0.0/16,nw_dst=10.0.0.1,nw_proto=17,"
		"nw_tos=8,tp_src=1000,tp_dst=2000",
		"dl_vlan=none,ipv6,ipv6_src=2001:db8::/48,ipv6_dst=fe80::1,nw_proto=58",
		"arp,arp_op=2",
		"",
	};
	char a[MATCH_STRMAX], b[MATCH_STRMAX];
	struct match m, m2;
	size_t i;

	for (i = 0; i < sizeof(flows) / sizeof(flows[0]); i++) {
		struct nlmsghdr *nlh = msg(VSW_CMD_RULE_NEW);
		const struct nlattr *nest;

		parse_match(flows[i], &m);
		m.in_port_ifindex = 1;
		match_to_nl(nlh, VSW_RULE_ATTR_MATCH, &m);
		nest = (const struct nlattr *)((char *)nlh + NLMSG_HDRLEN +
					       GENL_HDRLEN);
		match_from_nl(nest, &m2);
		format_match(&m, a, sizeof(a));
		format_match(&m2, b, sizeof(b));
		kt_streq(b, a, flows[i][0] ? flows[i] : "(empty match)");
	}
}

static void test_vlan(void)
{
	static const char *const hdr[] = { "port", "vlan-id" };
	static const int minw[] = { 18, 0 };
	struct table t = TABLE_INIT(hdr, minw);
	static const struct {
		uint8_t mode;
		uint16_t tag;
		const char *trunks, *json;
	} t2[] = {
		{ VSW_VLAN_MODE_ACCESS, 10, "20",
		  "[{\"ifname\":\"p1\",\"vlans\":[{\"vlan\":10,\"flags\":[\"PVID\",\"Egress Untagged\"]}]}]\n" },
		{ VSW_VLAN_MODE_TRUNK, 10, "20,30",
		  "[{\"ifname\":\"p1\",\"vlans\":[{\"vlan\":20,\"flags\":[]},{\"vlan\":30,\"flags\":[]}]}]\n" },
		{ VSW_VLAN_MODE_NATIVE_UNTAGGED, 10, "20",
		  "[{\"ifname\":\"p1\",\"vlans\":[{\"vlan\":10,\"flags\":[\"PVID\",\"Egress Untagged\"]},{\"vlan\":20,\"flags\":[]}]}]\n" },
		{ VSW_VLAN_MODE_NATIVE_TAGGED, 30, "20,30",
		  "[{\"ifname\":\"p1\",\"vlans\":[{\"vlan\":20,\"flags\":[]},{\"vlan\":30,\"flags\":[\"PVID\"]}]}]\n" },
		{ VSW_VLAN_MODE_DOT1Q_TUNNEL, 100, "20",
		  "[{\"ifname\":\"p1\",\"vlans\":[{\"vlan\":100,\"flags\":[\"PVID\",\"Egress Untagged\"]}]}]\n" },
		{ VSW_VLAN_MODE_TRUNK, 1, "none", "[{\"ifname\":\"p1\",\"vlans\":[]}]\n" },
	};
	struct nlmsghdr *nlh;
	size_t i;

	for (i = 0; i < sizeof(t2) / sizeof(t2[0]); i++) {
		nlh = port_msg("p1", 11, t2[i].mode, t2[i].tag, t2[i].trunks,
			       "all", false, false);
		kt_streq(run(vlan_show_cb, nlh, true, false, NULL), t2[i].json,
			 vlan_mode_names[t2[i].mode]);
	}
	cap_start(false, false);
	vlan_show_cb(port_msg("p1", 11, VSW_VLAN_MODE_ACCESS, 10, "none", "all",
			      false, false), &t);
	vlan_show_cb(port_msg("p2", 12, VSW_VLAN_MODE_NATIVE_UNTAGGED, 1,
			      "1-100,200", "all", false, false), &t);
	table_print(&t, out);
	kt_streq(cap_end(),
		 "port              vlan-id\n"
		 "p1                10 PVID Egress Untagged\n"
		 "p2                1 PVID Egress Untagged\n"
		 "                  2-100\n"
		 "                  200\n",
		 "vlan show: bridge-style text");
}

static struct nlmsghdr *vlan_stats_msg(uint16_t vid, uint64_t n)
{
	struct nlmsghdr *nlh = msg(VSW_CMD_VLAN_GET);
	struct nlattr *v = mnl_attr_nest_start(nlh, VSW_ATTR_VLAN), *s;

	mnl_attr_put_u16(nlh, VSW_VLAN_ATTR_VID, vid);
	s = mnl_attr_nest_start(nlh, VSW_VLAN_ATTR_STATS);
	mnl_attr_put_u64(nlh, VSW_STATS_RX_PACKETS, n);
	mnl_attr_put_u64(nlh, VSW_STATS_RX_BYTES, 100 * n);
	mnl_attr_put_u64(nlh, VSW_STATS_TX_PACKETS, 2 * n);
	mnl_attr_put_u64(nlh, VSW_STATS_TX_BYTES, 200 * n);
	mnl_attr_nest_end(nlh, s);
	mnl_attr_nest_end(nlh, v);
	return nlh;
}

static void test_vlan_stats(void)
{
	kt_streq(run(vlan_stats_cb, vlan_stats_msg(10, 5), true, false, NULL),
		 "[{\"vlan\":10,\"rx_packets\":5,\"rx_bytes\":500,\"tx_packets\":10,"
		 "\"tx_bytes\":1000}]\n", "vlan stats -j");
	kt_streq(run(vlan_stats_cb, vlan_stats_msg(20, 0), true, false, NULL),
		 "[]\n", "vlan stats -j: idle VLANs left out");
}

static void test_monitor(void)
{
	struct nlmsghdr *nlh = msg(VSW_CMD_EVENT);
	struct nlattr *f;
	uint8_t mac[6] = { 2, 0, 0, 0, 0, 1 };

	mnl_attr_put_u32(nlh, VSW_ATTR_IFINDEX, 7);
	mnl_attr_put_strz(nlh, VSW_ATTR_IFNAME, "sw0");
	mnl_attr_put_u32(nlh, VSW_ATTR_EVENT, VSW_EVENT_MAC_LEARNED);
	f = mnl_attr_nest_start(nlh, VSW_ATTR_FDB);
	mnl_attr_put(nlh, VSW_FDB_ATTR_MAC, 6, mac);
	mnl_attr_put_u16(nlh, VSW_FDB_ATTR_VID, 10);
	mnl_attr_put_strz(nlh, VSW_FDB_ATTR_PORT_IFNAME, "p1");
	mnl_attr_nest_end(nlh, f);

	cap_start(true, false);
	monitor_cb(nlh, NULL);
	monitor_cb(nlh, "sw1");		/* filtered out */
	kt_streq(cap_end(),
		 "{\"event\":\"mac_learned\",\"switch\":\"sw0\",\"mac\":\"02:00:00:00:00:01\","
		 "\"vlan\":10,\"ifname\":\"p1\"}\n", "monitor -j: one object per line");
	cap_start(false, false);
	monitor_cb(nlh, "sw0");
	kt_streq(cap_end(), "sw0: mac_learned mac 02:00:00:00:00:01 vlan 10 ifname p1\n",
		 "monitor: text line");

	nlh = rule_msg(VSW_CMD_EVENT, "in_port=lo,actions=drop", 100, false);
	mnl_attr_put_u32(nlh, VSW_ATTR_EVENT, VSW_EVENT_RULE_CHANGED);
	mnl_attr_put_strz(nlh, VSW_ATTR_IFNAME, "sw0");
	cap_start(true, false);
	monitor_cb(nlh, NULL);
	kt_streq(cap_end(),
		 "{\"event\":\"rule_changed\",\"switch\":\"sw0\",\"priority\":100,"
		 "\"match\":\"in_port=lo\"}\n", "monitor -j: rule_changed");
}

static void test_extack(void)
{
	char buf[512];
	struct nl nl = { 0 };
	struct nlmsghdr *nlh, *req;
	struct nlmsgerr *e;

	/* capped ack: TLVs right after struct nlmsgerr */
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = NLM_F_CAPPED | NLM_F_ACK_TLVS;
	e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));
	e->error = -22;
	e->msg.nlmsg_len = 64;
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "VLAN 5000 out of range\n");
	mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, 20);
	kt_check(nl_parse_ack(&nl, nlh) == -22 &&
		 !strcmp(nl.extack, "VLAN 5000 out of range"),
		 "extack message of a capped ack");

	/* uncapped: the whole request is echoed before the TLVs */
	nl.extack[0] = '\0';
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = NLM_F_ACK_TLVS;
	e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));
	e->error = -95;
	req = &e->msg;
	req->nlmsg_len = NLMSG_HDRLEN + 8;
	mnl_nlmsg_put_extra_header(nlh, 8);
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "Unknown device type");
	kt_check(nl_parse_ack(&nl, nlh) == -95 &&
		 !strcmp(nl.extack, "Unknown device type"),
		 "extack message of an uncapped ack");

	nl.extack[0] = '\0';
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_ERROR;
	e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));
	e->error = 0;
	kt_check(nl_parse_ack(&nl, nlh) == 0 && !nl.extack[0], "plain ack");
}

static int count_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];
	int *n = data;
	const char *name;

	if (!genl_parse(nlh, tb, CTRL_ATTR_MAX)) {
		name = nla_str(tb[CTRL_ATTR_FAMILY_NAME]);
		n[0]++;
		n[1] += name && !strcmp(name, "nlctrl");
	}
	return MNL_CB_OK;
}

/* nl.c against the running kernel, with the always-present nlctrl family. */
static void test_kernel(void)
{
	char buf[NL_BUFSZ];
	struct nl nl;
	uint16_t id;
	uint32_t grp = 0;
	int n[2] = { 0, 0 }, ret;
	struct nlmsghdr *nlh;

	if (nl_open(&nl, NETLINK_GENERIC)) {
		kt_check(0, "kernel: generic netlink socket");
		return;
	}
	kt_check(!genl_resolve(&nl, "nlctrl", &id, "notify", &grp) &&
		 id == GENL_ID_CTRL && grp > 0, "kernel: resolve nlctrl and its notify group");
	ret = genl_resolve(&nl, "vswnosuchfam", &id, NULL, NULL);
	kt_check(ret == -ENOENT, "kernel: unknown family: %s", strerror(-ret));
	nlh = genl_req(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, NLM_F_DUMP);
	ret = nl_talk(&nl, nlh, count_cb, n, NULL);
	kt_check(!ret && n[0] >= 2 && n[1] == 1,
		 "kernel: multi-part dump of %d families collected whole", n[0]);
	nlh = genl_req(buf, GENL_ID_CTRL, 0xfe, 0);
	ret = nl_talk(&nl, nlh, NULL, NULL, NULL);
	kt_check(ret == -EOPNOTSUPP, "kernel: unknown command: %s", strerror(-ret));
	nl_close(&nl);

	/* an extack message: RTM_NEWLINK of a kind no module provides */
	if (nl_open(&nl, NETLINK_ROUTE)) {
		kt_check(0, "kernel: rtnetlink socket");
		return;
	}
	{
		struct ifinfomsg *ifm;
		struct nlattr *li;

		nlh = nl_req(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
		ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
		ifm->ifi_family = AF_UNSPEC;
		mnl_attr_put_strz(nlh, IFLA_IFNAME, "vswtest0");
		li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
		mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "vswnokind");
		mnl_attr_nest_end(nlh, li);
	}
	ret = nl_talk(&nl, nlh, NULL, NULL, NULL);
	if (ret == -EPERM)
		kt_check(1, "kernel: extack message # SKIP not CAP_NET_ADMIN");
	else
		kt_check(ret == -EOPNOTSUPP && !strcmp(nl.extack, "Unknown device type"),
			 "kernel: extack message \"%s\" (%s)", nl.extack,
			 strerror(-ret));
	nl_close(&nl);
}

static void test_json(void)
{
	cap_start(true, false);
	jw_start(out, true);
	jw_arr_open(NULL);
	jw_obj_open(NULL);
	jw_str("s", "a\"b\\c\n\x01");
	jw_arr_open("e");
	jw_arr_close();
	jw_bool("t", true);
	jw_obj_close();
	jw_arr_close();
	kt_streq(cap_end(),
		 "[\n    {\n        \"s\": \"a\\\"b\\\\c\\n\\u0001\",\n"
		 "        \"e\": [],\n        \"t\": true\n    }\n]\n",
		 "JSON escaping and pretty printing");
	cap_start(true, false);
	jw_start(out, true);
	jw_arr_open(NULL);
	jw_arr_close();
	kt_streq(cap_end(), "[]\n", "empty pretty array");
}

int main(void)
{
	kt_begin("output");
	test_switch();
	test_ports();
	test_fdb();
	test_flows();
	test_match_nl();
	test_vlan();
	test_vlan_stats();
	test_monitor();
	test_extack();
	test_kernel();
	test_json();
	free(cap);
	return kt_end("output");
}
