// SPDX-License-Identifier: GPL-2.0
/* vswctl vlan show|stats */
#include <string.h>

#include "table.h"
#include "vswctl.h"

#define V_MEMBER	1
#define V_PVID		2
#define V_UNTAGGED	4

static const char *const vlan_hdr[] = { "port", "vlan-id" };
static const int vlan_minw[] = { 18, 0 };

/* Bridge-style membership of a port derived from its mode/tag/trunks. */
static void port_vlans(unsigned int mode, uint16_t tag, const uint8_t *trunks,
		       uint8_t v[4096])
{
	unsigned int vid;

	memset(v, 0, 4096);
	if (mode == VSW_VLAN_MODE_TRUNK || mode == VSW_VLAN_MODE_NATIVE_UNTAGGED ||
	    mode == VSW_VLAN_MODE_NATIVE_TAGGED)
		for (vid = 1; trunks && vid <= VSW_VID_MAX; vid++)
			if (vlist_test(trunks, vid))
				v[vid] = V_MEMBER;
	if (tag < 1 || tag > VSW_VID_MAX || mode == VSW_VLAN_MODE_TRUNK)
		return;
	v[tag] = V_MEMBER | V_PVID;
	if (mode != VSW_VLAN_MODE_NATIVE_TAGGED)
		v[tag] |= V_UNTAGGED;
}

int vlan_show_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VSW_ATTR_MAX + 1], *pa[VSW_PORT_ATTR_MAX + 1];
	struct table *t = data;
	char name[IFNAMSIZ], range[48];
	unsigned int vid, end;
	uint8_t v[4096];
	bool first = true;

	if (genl_parse(nlh, tb, VSW_ATTR_MAX) || !tb[VSW_ATTR_PORT] ||
	    nla_parse(tb[VSW_ATTR_PORT], pa, VSW_PORT_ATTR_MAX))
		return MNL_CB_OK;
	attr_ifname(pa[VSW_PORT_ATTR_IFNAME], pa[VSW_PORT_ATTR_IFINDEX], name);
	port_vlans(nla_uint(pa[VSW_PORT_ATTR_MODE]),
		   nla_uint(pa[VSW_PORT_ATTR_TAG]),
		   nla_bin(pa[VSW_PORT_ATTR_TRUNKS], VSW_VLAN_BITMAP_LEN), v);
	if (opt.json) {
		jw_obj_open(NULL);
		jw_str("ifname", name);
		jw_arr_open("vlans");
		for (vid = 1; vid <= VSW_VID_MAX; vid++) {
			if (!v[vid])
				continue;
			jw_obj_open(NULL);
			jw_uint("vlan", vid);
			jw_arr_open("flags");
			if (v[vid] & V_PVID)
				jw_str(NULL, "PVID");
			if (v[vid] & V_UNTAGGED)
				jw_str(NULL, "Egress Untagged");
			jw_arr_close();
			jw_obj_close();
		}
		jw_arr_close();
		jw_obj_close();
		return MNL_CB_OK;
	}
	for (vid = 1; vid <= VSW_VID_MAX; vid = end + 1) {
		end = vid;
		if (!v[vid])
			continue;
		while (end < VSW_VID_MAX && v[end + 1] == v[vid])
			end++;
		if (end > vid)
			snprintf(range, sizeof(range), "%u-%u", vid, end);
		else
			snprintf(range, sizeof(range), "%u", vid);
		if (v[vid] & V_PVID)
			strcat(range, " PVID");
		if (v[vid] & V_UNTAGGED)
			strcat(range, " Egress Untagged");
		table_row(t, first ? name : "", range);
		first = false;
	}
	if (first)
		table_row(t, name, "None");
	return MNL_CB_OK;
}

static const char *const stats_hdr[] = {
	"VLAN", "RX-PACKETS", "RX-BYTES", "TX-PACKETS", "TX-BYTES"
};
static const int stats_minw[] = { 6, 0, 0, 0, 0 };

int vlan_stats_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VSW_ATTR_MAX + 1], *va[VSW_VLAN_ATTR_MAX + 1];
	const struct nlattr *sa[VSW_STATS_MAX + 1];
	static const char *const keys[] = {
		"rx_packets", "rx_bytes", "tx_packets", "tx_bytes"
	};
	char cells[5][24];
	uint64_t c[4];
	int i;

	if (genl_parse(nlh, tb, VSW_ATTR_MAX) || !tb[VSW_ATTR_VLAN] ||
	    nla_parse(tb[VSW_ATTR_VLAN], va, VSW_VLAN_ATTR_MAX) ||
	    nla_parse(va[VSW_VLAN_ATTR_STATS], sa, VSW_STATS_MAX))
		return MNL_CB_OK;
	for (i = 0; i < 4; i++)	/* RX_PACKETS..TX_BYTES are 1..4 */
		c[i] = nla_uint(sa[VSW_STATS_RX_PACKETS + i]);
	if (!(c[0] | c[1] | c[2] | c[3]))
		return MNL_CB_OK;	/* VLANs with traffic only */
	if (opt.json) {
		jw_obj_open(NULL);
		jw_uint("vlan", nla_uint(va[VSW_VLAN_ATTR_VID]));
		for (i = 0; i < 4; i++)
			jw_uint(keys[i], c[i]);
		jw_obj_close();
		return MNL_CB_OK;
	}
	snprintf(cells[0], sizeof(cells[0]), "%llu",
		 (unsigned long long)nla_uint(va[VSW_VLAN_ATTR_VID]));
	for (i = 0; i < 4; i++)
		snprintf(cells[i + 1], sizeof(cells[0]), "%llu",
			 (unsigned long long)c[i]);
	table_row(data, cells[0], cells[1], cells[2], cells[3], cells[4]);
	return MNL_CB_OK;
}

int do_vlan(int argc, char **argv)
{
	struct table vt = TABLE_INIT(vlan_hdr, vlan_minw);
	struct table st = TABLE_INIT(stats_hdr, stats_minw);
	char buf[NL_BUFSZ], what[64];
	bool stats = argc && matches(argv[0], "stats");
	struct nlmsghdr *nlh;
	int ret;

	if (argc && !stats && !matches(argv[0], "show") &&
	    !matches(argv[0], "list"))
		return usage_err("unknown vlan command \"%s\"", argv[0]);
	if (argc > 2)
		return usage_err("unexpected \"%s\"", argv[2]);
	if (stats && argc < 2)
		return usage_err("vlan stats: missing SWITCH");
	nlh = vsw_req(buf, stats ? VSW_CMD_VLAN_GET : VSW_CMD_PORT_GET,
		      NLM_F_DUMP);
	if (argc == 2 && put_switch(nlh, argv[1]))
		return -1;
	if (argc == 2)
		snprintf(what, sizeof(what), "cannot dump VLANs of \"%s\"",
			 argv[1]);
	else
		snprintf(what, sizeof(what), "cannot dump ports");
	ret = show_talk(nlh, stats ? vlan_stats_cb : vlan_show_cb,
		       stats ? &st : &vt, what);
	show_end(ret);
	table_print(stats ? &st : &vt, out);
	return ret;
}
