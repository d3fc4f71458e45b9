// SPDX-License-Identifier: GPL-2.0
/* vswctl port add|del|show|set */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "table.h"
#include "vswctl.h"

static const char *const port_hdr[] = {
	"PORT", "SWITCH", "MODE", "TAG", "TRUNKS", "STATE", "MACS", "FLAGS"
};
static const int port_minw[] = { 7, 8, 8, 5, 8, 7, 6, 0 };

static bool flag_attr(const struct nlattr *a, bool def)
{
	return a ? nla_uint(a) != 0 : def;
}

/* VSW_PORT_ATTR_BACKEND counters, in attribute order */
static const char *const backend_ctr[] = {
	[VSW_BACKEND_ATTR_RX_PACKETS]	= "rx_packets",
	[VSW_BACKEND_ATTR_RX_BYTES]	= "rx_bytes",
	[VSW_BACKEND_ATTR_RX_DROPPED]	= "rx_dropped",
	[VSW_BACKEND_ATTR_TX_PACKETS]	= "tx_packets",
	[VSW_BACKEND_ATTR_TX_BYTES]	= "tx_bytes",
	[VSW_BACKEND_ATTR_TX_DROPPED]	= "tx_dropped",
	[VSW_BACKEND_ATTR_RING_ERRORS]	= "ring_errors",
	[VSW_BACKEND_ATTR_KICKS]	= "kicks",
	[VSW_BACKEND_ATTR_SIGNALS]	= "signals",
};

static void backend_parse(const struct nlattr *be, uint64_t *v,
			  const char **kind)
{
	const struct nlattr *tb[VSW_BACKEND_ATTR_MAX + 1];
	int i;

	nla_parse(be, tb, VSW_BACKEND_ATTR_MAX);
	for (i = 0; i <= VSW_BACKEND_ATTR_MAX; i++)
		v[i] = nla_uint(tb[i]);
	*kind = tb[VSW_BACKEND_ATTR_KIND] ?
		mnl_attr_get_str(tb[VSW_BACKEND_ATTR_KIND]) : "?";
}

static void json_backend(const struct nlattr *be, bool stats)
{
	uint64_t v[VSW_BACKEND_ATTR_MAX + 1];
	const char *kind;
	size_t i;

	backend_parse(be, v, &kind);
	jw_obj_open("backend");
	jw_str("kind", kind);
	for (i = 0; stats && i < sizeof(backend_ctr) / sizeof(backend_ctr[0]); i++)
		if (backend_ctr[i])
			jw_uint(backend_ctr[i], v[i]);
	jw_obj_close();
}

static void print_backend(const struct nlattr *be, const char *indent)
{
	uint64_t v[VSW_BACKEND_ATTR_MAX + 1];
	const char *kind;

	backend_parse(be, v, &kind);
	fprintf(out, "%s%s RX: packets %llu bytes %llu dropped %llu\n", indent,
		kind, (unsigned long long)v[VSW_BACKEND_ATTR_RX_PACKETS],
		(unsigned long long)v[VSW_BACKEND_ATTR_RX_BYTES],
		(unsigned long long)v[VSW_BACKEND_ATTR_RX_DROPPED]);
	fprintf(out, "%s%s TX: packets %llu bytes %llu dropped %llu\n", indent,
		kind, (unsigned long long)v[VSW_BACKEND_ATTR_TX_PACKETS],
		(unsigned long long)v[VSW_BACKEND_ATTR_TX_BYTES],
		(unsigned long long)v[VSW_BACKEND_ATTR_TX_DROPPED]);
	fprintf(out, "%s%s ring-errors %llu kicks %llu signals %llu\n", indent,
		kind, (unsigned long long)v[VSW_BACKEND_ATTR_RING_ERRORS],
		(unsigned long long)v[VSW_BACKEND_ATTR_KICKS],
		(unsigned long long)v[VSW_BACKEND_ATTR_SIGNALS]);
}

static char *port_stats_text(const struct nlattr *stats,
			     const struct nlattr *be)
{
	FILE *saved = out;
	char *text = NULL;
	size_t len;

	out = open_memstream(&text, &len);
	if (!out) {
		out = saved;
		return NULL;
	}
	print_stats(stats, "    ");
	if (be)
		print_backend(be, "    ");
	fclose(out);
	out = saved;
	return text;
}

int port_show_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VSW_ATTR_MAX + 1], *pa[VSW_PORT_ATTR_MAX + 1];
	char name[IFNAMSIZ], master[IFNAMSIZ], trunks[VLIST_STRMAX];
	char tag[8], macs[16], flags[320], kind[24] = "", sample[48] = "";
	const char *prio, *qinq;
	static const uint8_t none[VSW_VLAN_BITMAP_LEN];
	const uint8_t *bm;
	struct table *t = data;
	unsigned int mode, pt, srate, sgroup;
	bool learning, ucast, bcast, mcast, isolated, internal, up;
	unsigned long long sb, sm, su;
	char storm[80];

	if (genl_parse(nlh, tb, VSW_ATTR_MAX) || !tb[VSW_ATTR_PORT] ||
	    nla_parse(tb[VSW_ATTR_PORT], pa, VSW_PORT_ATTR_MAX))
		return MNL_CB_OK;
	attr_ifname(pa[VSW_PORT_ATTR_IFNAME], pa[VSW_PORT_ATTR_IFINDEX], name);
	attr_ifname(tb[VSW_ATTR_IFNAME], tb[VSW_ATTR_IFINDEX], master);
	mode = nla_uint(pa[VSW_PORT_ATTR_MODE]);
	bm = nla_bin(pa[VSW_PORT_ATTR_TRUNKS], VSW_VLAN_BITMAP_LEN);
	format_vlist(bm ? bm : none, VLIST_TRUNKS, trunks, sizeof(trunks));
	learning = flag_attr(pa[VSW_PORT_ATTR_LEARNING], true);
	ucast = flag_attr(pa[VSW_PORT_ATTR_FLOOD_UCAST], true);
	bcast = flag_attr(pa[VSW_PORT_ATTR_FLOOD_BCAST], true);
	mcast = flag_attr(pa[VSW_PORT_ATTR_FLOOD_MCAST], true);
	isolated = flag_attr(pa[VSW_PORT_ATTR_ISOLATED], false);
	internal = pa[VSW_PORT_ATTR_INTERNAL] != NULL;
	up = flag_attr(pa[VSW_PORT_ATTR_OPER_UP], false);
	pt = nla_uint(pa[VSW_PORT_ATTR_PRIORITY_TAGS]);
	prio = pt < __VSW_PRIORITY_TAGS_MAX ? priority_tags_names[pt] : "unknown";
	qinq = pa[VSW_PORT_ATTR_QINQ_ETHTYPE] ?
	       qinq_ethtype_name(nla_uint(pa[VSW_PORT_ATTR_QINQ_ETHTYPE])) :
	       "802.1ad";
	if (!qinq)
		qinq = "unknown";
	srate = nla_uint(pa[VSW_PORT_ATTR_SAMPLE_RATE]);
	sgroup = nla_uint(pa[VSW_PORT_ATTR_SAMPLE_GROUP]);
	sb = nla_uint(pa[VSW_PORT_ATTR_STORM_BCAST]);
	sm = nla_uint(pa[VSW_PORT_ATTR_STORM_MCAST]);
	su = nla_uint(pa[VSW_PORT_ATTR_STORM_UNKNOWN]);

	if (opt.json) {
		jw_obj_open(NULL);
		jw_str("ifname", name);
		jw_uint("ifindex", nla_uint(pa[VSW_PORT_ATTR_IFINDEX]));
		jw_str("master", master);
		jw_str("mode", mode < __VSW_VLAN_MODE_MAX ?
			       vlan_mode_names[mode] : "unknown");
		jw_uint("tag", nla_uint(pa[VSW_PORT_ATTR_TAG]));
		jw_str("trunks", trunks);
		/* meaningful in dot1q-tunnel mode only, but always there */
		bm = nla_bin(pa[VSW_PORT_ATTR_CVLANS], VSW_VLAN_BITMAP_LEN);
		format_vlist(bm ? bm : none, VLIST_CVLANS, trunks, sizeof(trunks));
		jw_str("cvlans", trunks);
		jw_bool("learning", learning);
		jw_bool("flood", ucast);
		jw_bool("bcast_flood", bcast);
		jw_bool("mcast_flood", mcast);
		jw_bool("isolated", isolated);
		jw_bool("internal", internal);
		jw_uint("max_macs", nla_uint(pa[VSW_PORT_ATTR_MAX_MACS]));
		jw_str("priority_tags", prio);
		jw_str("qinq_ethtype", qinq);
		jw_uint("sample_rate", srate);
		jw_uint("sample_group", sgroup);
		jw_uint("storm_bcast", sb);
		jw_uint("storm_mcast", sm);
		jw_uint("storm_unknown", su);
		jw_uint("macs", nla_uint(pa[VSW_PORT_ATTR_MAC_COUNT]));
		jw_str("state", up ? "up" : "down");
		if (opt.stats)
			json_stats("stats", pa[VSW_PORT_ATTR_STATS]);
		if (pa[VSW_PORT_ATTR_BACKEND])
			json_backend(pa[VSW_PORT_ATTR_BACKEND], opt.stats);
		jw_obj_close();
		return MNL_CB_OK;
	}
	snprintf(tag, sizeof(tag), "%llu",
		 (unsigned long long)nla_uint(pa[VSW_PORT_ATTR_TAG]));
	snprintf(macs, sizeof(macs), "%llu",
		 (unsigned long long)nla_uint(pa[VSW_PORT_ATTR_MAC_COUNT]));
	if (pa[VSW_PORT_ATTR_BACKEND]) {
		uint64_t v[VSW_BACKEND_ATTR_MAX + 1];
		const char *k;

		backend_parse(pa[VSW_PORT_ATTR_BACKEND], v, &k);
		snprintf(kind, sizeof(kind), ",%s", k);
	}
	if (srate)
		snprintf(sample, sizeof(sample), ",sample-rate=%u,sample-group=%u",
			 srate, sgroup);
	/* non-zero storm limits only */
	snprintf(storm, sizeof(storm), "%s%.0llu%s%.0llu%s%.0llu",
		 sb ? ",storm-bcast=" : "", sb, sm ? ",storm-mcast=" : "", sm,
		 su ? ",storm-unknown=" : "", su);
	snprintf(flags, sizeof(flags), "%s%s%s%s%s%s%s%s%s%s%s%s%s",
		 internal ? ",internal" : "", kind, learning ? ",learning" : "",
		 ucast ? ",flood" : "", isolated ? ",isolated" : "",
		 bcast ? "" : ",no-bcast-flood", mcast ? "" : ",no-mcast-flood",
		 pt ? ",priority-tags=" : "", pt ? prio : "",
		 strcmp(qinq, "802.1ad") ? ",qinq-ethtype=" : "",
		 strcmp(qinq, "802.1ad") ? qinq : "", sample, storm);
	table_row(t, name, master,
		  mode < __VSW_VLAN_MODE_MAX ? vlan_mode_names[mode] : "?",
		  mode == VSW_VLAN_MODE_TRUNK ? "-" : tag,
		  mode == VSW_VLAN_MODE_ACCESS ||
		  mode == VSW_VLAN_MODE_DOT1Q_TUNNEL ? "-" : trunks,
		  up ? "up" : "down", macs, flags[0] ? flags + 1 : "-");
	if (opt.stats)
		table_trailer(t, port_stats_text(pa[VSW_PORT_ATTR_STATS],
						 pa[VSW_PORT_ATTR_BACKEND]));
	return MNL_CB_OK;
}

/* Start a request with a VSW_ATTR_PORT nest naming DEV. */
static struct nlattr *port_req(char *buf, struct nlmsghdr **nlh, uint8_t cmd,
			       const char *dev)
{
	char ifname[IFNAMSIZ];
	struct nlattr *nest;

	if (parse_ifname(dev, ifname)) {
		perr();
		return NULL;
	}
	*nlh = vsw_req(buf, cmd, 0);
	nest = mnl_attr_nest_start(*nlh, VSW_ATTR_PORT);
	mnl_attr_put_strz(*nlh, VSW_PORT_ATTR_IFNAME, ifname);
	return nest;
}

static int port_show(int argc, char **argv)
{
	char buf[NL_BUFSZ], what[64];
	struct table t = TABLE_INIT(port_hdr, port_minw);
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	int ret;

	if (argc > 1)
		return usage_err("unexpected \"%s\"", argv[1]);
	if (argc) {
		nest = port_req(buf, &nlh, VSW_CMD_PORT_GET, argv[0]);
		if (!nest)
			return -1;
		mnl_attr_nest_end(nlh, nest);
		snprintf(what, sizeof(what), "cannot show port \"%s\"", argv[0]);
	} else {
		nlh = vsw_req(buf, VSW_CMD_PORT_GET, NLM_F_DUMP);
		snprintf(what, sizeof(what), "cannot dump ports");
	}
	ret = show_talk(nlh, port_show_cb, &t, what);
	show_end(ret);
	table_print(&t, out);
	return ret;
}

/* "port set" options; vswctl save prints them from this table, too. */
const struct port_kw port_kws[] = {
	{ "mode", VSW_PORT_ATTR_MODE, K_MODE, "access" },
	{ "tag", VSW_PORT_ATTR_TAG, K_TAG, "1" },
	{ "trunks", VSW_PORT_ATTR_TRUNKS, K_TRUNKS, "none" },
	{ "cvlans", VSW_PORT_ATTR_CVLANS, K_CVLANS, "all" },
	{ "learning", VSW_PORT_ATTR_LEARNING, K_BOOL, "on" },
	{ "flood", VSW_PORT_ATTR_FLOOD_UCAST, K_BOOL, "on" },
	{ "bcast-flood", VSW_PORT_ATTR_FLOOD_BCAST, K_BOOL, "on" },
	{ "mcast-flood", VSW_PORT_ATTR_FLOOD_MCAST, K_BOOL, "on" },
	{ "isolated", VSW_PORT_ATTR_ISOLATED, K_BOOL, "off" },
	{ "max-macs", VSW_PORT_ATTR_MAX_MACS, K_U32, "0" },
	{ "priority-tags", VSW_PORT_ATTR_PRIORITY_TAGS, K_PRIO_TAGS, "never" },
	{ "qinq-ethtype", VSW_PORT_ATTR_QINQ_ETHTYPE, K_QINQ, "802.1ad" },
	{ "sample-rate", VSW_PORT_ATTR_SAMPLE_RATE, K_U32, "0" },
	{ "sample-group", VSW_PORT_ATTR_SAMPLE_GROUP, K_U32, "0" },
	{ "storm-bcast", VSW_PORT_ATTR_STORM_BCAST, K_PPS, "0" },
	{ "storm-mcast", VSW_PORT_ATTR_STORM_MCAST, K_PPS, "0" },
	{ "storm-unknown", VSW_PORT_ATTR_STORM_UNKNOWN, K_PPS, "0" },
};
const size_t n_port_kws = sizeof(port_kws) / sizeof(port_kws[0]);

static int port_set_attr(struct nlmsghdr *nlh, const struct port_kw *k,
			 const char *val)
{
	uint8_t bm[VSW_VLAN_BITMAP_LEN];
	uint32_t v32;
	uint16_t v16;
	bool b;
	int i;

	switch (k->kind) {
	case K_MODE:
		for (i = 0; i < __VSW_VLAN_MODE_MAX; i++)
			if (matches(val, vlan_mode_names[i]))
				break;
		if (i == __VSW_VLAN_MODE_MAX)
			return usage_err("invalid mode \"%s\" (access, trunk, native-untagged, native-tagged or dot1q-tunnel)",
					 val);
		mnl_attr_put_u8(nlh, k->attr, i);
		return 0;
	case K_TAG:
		if (parse_vid(val, &v16))
			return perr();
		mnl_attr_put_u16(nlh, k->attr, v16);
		return 0;
	case K_TRUNKS:
	case K_CVLANS:
		if (parse_vlist(val, k->kind == K_TRUNKS ? VLIST_TRUNKS :
				VLIST_CVLANS, bm))
			return perr();
		mnl_attr_put(nlh, k->attr, sizeof(bm), bm);
		return 0;
	case K_BOOL:
		if (parse_bool(val, k->kw, &b))
			return perr();
		mnl_attr_put_u8(nlh, k->attr, b);
		return 0;
	case K_U32:
		if (parse_u32(val, UINT32_MAX,
			      k->attr == VSW_PORT_ATTR_MAX_MACS ? "MAC limit" :
			      k->kw, &v32))
			return perr();
		mnl_attr_put_u32(nlh, k->attr, v32);
		return 0;
	case K_PRIO_TAGS:
		for (i = 0; i < __VSW_PRIORITY_TAGS_MAX; i++)
			if (!strcmp(val, priority_tags_names[i]))
				break;
		if (i == __VSW_PRIORITY_TAGS_MAX)
			return usage_err("invalid priority-tags \"%s\" (never, if-nonzero or always)",
					 val);
		mnl_attr_put_u8(nlh, k->attr, i);
		return 0;
	case K_QINQ:
		if (!strcmp(val, "802.1ad"))
			v16 = 0x88a8;
		else if (!strcmp(val, "802.1q"))
			v16 = 0x8100;
		else
			return usage_err("invalid qinq-ethtype \"%s\" (802.1ad or 802.1q)",
					 val);
		mnl_attr_put_u16(nlh, k->attr, v16);
		return 0;
	case K_PPS:
		if (parse_u32(val, VSW_STORM_PPS_MAX, "frames per second",
			      &v32))
			return perr();
		mnl_attr_put_u32(nlh, k->attr, v32);
		return 0;
	}
	return -1;
}

int port_cfg_put(struct nlmsghdr *nlh, int argc, char **argv)
{
	unsigned int seen = 0;
	int i;

	for (; argc > 0; argc--, argv++) {
		i = kw_find(argv[0], port_kws, n_port_kws, sizeof(port_kws[0]),
			    &seen, "port option");
		if (i < 0)
			return -1;
		NEXT_ARG();
		if (port_set_attr(nlh, &port_kws[i], argv[0]))
			return -1;
	}
	return 0;
}

/* The port configuration attributes of a PORT nest as the JSON keys of
 * "port show" (the same values for absent attributes as port_show_cb()).
 */
void port_cfg_json(const struct nlattr *const *pa)
{
	static const uint8_t none[VSW_VLAN_BITMAP_LEN];
	unsigned int mode = nla_uint(pa[VSW_PORT_ATTR_MODE]);
	unsigned int pt = nla_uint(pa[VSW_PORT_ATTR_PRIORITY_TAGS]);
	char vl[VLIST_STRMAX];
	const uint8_t *bm;
	const char *q;

	jw_str("mode", mode < __VSW_VLAN_MODE_MAX ? vlan_mode_names[mode] :
		       "unknown");
	jw_uint("tag", nla_uint(pa[VSW_PORT_ATTR_TAG]));
	bm = nla_bin(pa[VSW_PORT_ATTR_TRUNKS], VSW_VLAN_BITMAP_LEN);
	format_vlist(bm ? bm : none, VLIST_TRUNKS, vl, sizeof(vl));
	jw_str("trunks", vl);
	bm = nla_bin(pa[VSW_PORT_ATTR_CVLANS], VSW_VLAN_BITMAP_LEN);
	format_vlist(bm ? bm : none, VLIST_CVLANS, vl, sizeof(vl));
	jw_str("cvlans", vl);
	jw_bool("learning", flag_attr(pa[VSW_PORT_ATTR_LEARNING], true));
	jw_bool("flood", flag_attr(pa[VSW_PORT_ATTR_FLOOD_UCAST], true));
	jw_bool("bcast_flood", flag_attr(pa[VSW_PORT_ATTR_FLOOD_BCAST], true));
	jw_bool("mcast_flood", flag_attr(pa[VSW_PORT_ATTR_FLOOD_MCAST], true));
	jw_bool("isolated", flag_attr(pa[VSW_PORT_ATTR_ISOLATED], false));
	jw_uint("max_macs", nla_uint(pa[VSW_PORT_ATTR_MAX_MACS]));
	jw_str("priority_tags", pt < __VSW_PRIORITY_TAGS_MAX ?
		priority_tags_names[pt] : "unknown");
	q = pa[VSW_PORT_ATTR_QINQ_ETHTYPE] ?
	    qinq_ethtype_name(nla_uint(pa[VSW_PORT_ATTR_QINQ_ETHTYPE])) :
	    "802.1ad";
	jw_str("qinq_ethtype", q ? q : "unknown");
	jw_uint("sample_rate", nla_uint(pa[VSW_PORT_ATTR_SAMPLE_RATE]));
	jw_uint("sample_group", nla_uint(pa[VSW_PORT_ATTR_SAMPLE_GROUP]));
	jw_uint("storm_bcast", nla_uint(pa[VSW_PORT_ATTR_STORM_BCAST]));
	jw_uint("storm_mcast", nla_uint(pa[VSW_PORT_ATTR_STORM_MCAST]));
	jw_uint("storm_unknown", nla_uint(pa[VSW_PORT_ATTR_STORM_UNKNOWN]));
}

static int port_set(int argc, char **argv)
{
	char buf[NL_BUFSZ], what[64];
	const char *dev = argv[0];
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	nest = port_req(buf, &nlh, VSW_CMD_PORT_SET, dev);
	if (!nest)
		return -1;
	if (argc < 2)
		return usage_err("port set: nothing to change");
	if (port_cfg_put(nlh, argc - 1, argv + 1))
		return -1;
	mnl_attr_nest_end(nlh, nest);
	snprintf(what, sizeof(what), "cannot change port \"%s\"", dev);
	return vsw_talk(nlh, NULL, NULL, what);
}

int do_port(int argc, char **argv)
{
	struct link_info sw, dev;
	char what[80];

	if (!argc || matches(argv[0], "show") || matches(argv[0], "list"))
		return port_show(argc ? argc - 1 : 0, argv + 1);
	if (!matches(argv[0], "add") && !matches(argv[0], "del") &&
	    !matches(argv[0], "set"))
		return usage_err("unknown port command \"%s\"", argv[0]);
	if (matches(argv[0], "add")) {
		if (argc < 3)
			return usage_err("port add: missing SWITCH or DEV");
		if (argc > 3)
			return usage_err("unexpected \"%s\"", argv[3]);
		if (link_get_switch(argv[1], &sw) || link_get(argv[2], 0, &dev))
			return -1;
		/* the kernel would silently move it from its current master */
		if (dev.master) {
			char mname[IF_NAMESIZE];

			if (!if_indextoname(dev.master, mname))
				snprintf(mname, sizeof(mname), "%u", dev.master);
			return err("cannot add port \"%s\" to \"%s\": it is already a port of \"%s\" (remove it first)",
				   argv[2], argv[1], mname);
		}
		snprintf(what, sizeof(what), "cannot add port \"%s\" to \"%s\"",
			 argv[2], argv[1]);
		return link_set_master(dev.ifindex, sw.ifindex, what);
	}
	if (argc < 2)
		return usage_err("port %s: missing DEV", argv[0]);
	if (matches(argv[0], "del")) {
		if (argc != 2)
			return usage_err("unexpected \"%s\"", argv[2]);
		if (link_get(argv[1], 0, &dev))
			return -1;
		if (!dev.master || link_get(NULL, dev.master, &sw) ||
		    strcmp(sw.kind, "vsw"))
			return err("\"%s\" is not a port of a vsw switch", argv[1]);
		snprintf(what, sizeof(what), "cannot remove port \"%s\"",
			 argv[1]);
		return link_set_master(dev.ifindex, 0, what);
	}
	return port_set(argc - 1, argv + 1);
}
