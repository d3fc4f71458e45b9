// SPDX-License-Identifier: GPL-2.0
/* vswctl flow add|del|flush|show, cache show|flush */
#include <stdlib.h>
#include <string.h>

#include "vswctl.h"

/* ------------------------------------------------------------------ */
/* struct match / struct actions <-> netlink */

static void put_masked(struct nlmsghdr *nlh, uint16_t type, uint16_t mtype,
		       const uint8_t *v, const uint8_t *mask, size_t len)
{
	size_t i;

	mnl_attr_put(nlh, type, len, v);
	for (i = 0; i < len; i++)
		if (mask[i] != 0xff) {
			mnl_attr_put(nlh, mtype, len, mask);
			return;
		}
}

static void plen_mask(uint8_t *mask, unsigned int plen, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++, plen = plen > 8 ? plen - 8 : 0)
		mask[i] = plen >= 8 ? 0xff : (uint8_t)(0xff00 >> plen);
}

static void put_prefix(struct nlmsghdr *nlh, uint16_t type, uint16_t mtype,
		       const uint8_t *addr, unsigned int plen, size_t len)
{
	uint8_t mask[16];

	plen_mask(mask, plen, len);
	put_masked(nlh, type, mtype, addr, mask, len);
}

void match_to_nl(struct nlmsghdr *nlh, uint16_t type, const struct match *m)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);
	uint32_t f = m->fields;

	if (f & MF(MF_IN_PORT))
		mnl_attr_put_u32(nlh, VSW_KEY_ATTR_IN_PORT, m->in_port_ifindex);
	if (f & MF(MF_DL_SRC))
		put_masked(nlh, VSW_KEY_ATTR_ETH_SRC, VSW_KEY_ATTR_ETH_SRC_MASK,
			   m->dl_src, m->dl_src_mask, 6);
	if (f & MF(MF_DL_DST))
		put_masked(nlh, VSW_KEY_ATTR_ETH_DST, VSW_KEY_ATTR_ETH_DST_MASK,
			   m->dl_dst, m->dl_dst_mask, 6);
	if ((f & MF(MF_DL_VLAN)) && m->vlan_none)
		mnl_attr_put(nlh, VSW_KEY_ATTR_VLAN_NONE, 0, NULL);
	else if (f & MF(MF_DL_VLAN))
		mnl_attr_put_u16(nlh, VSW_KEY_ATTR_VLAN_VID, m->dl_vlan);
	if (f & MF(MF_DL_VLAN_PCP))
		mnl_attr_put_u8(nlh, VSW_KEY_ATTR_VLAN_PCP, m->dl_vlan_pcp);
	if (f & MF(MF_DL_TYPE))
		mnl_attr_put_u16(nlh, VSW_KEY_ATTR_ETH_TYPE, m->dl_type);
	if (f & MF(MF_NW_SRC))
		put_prefix(nlh, VSW_KEY_ATTR_IPV4_SRC, VSW_KEY_ATTR_IPV4_SRC_MASK,
			   m->nw_src, m->nw_src_plen, 4);
	if (f & MF(MF_NW_DST))
		put_prefix(nlh, VSW_KEY_ATTR_IPV4_DST, VSW_KEY_ATTR_IPV4_DST_MASK,
			   m->nw_dst, m->nw_dst_plen, 4);
	if (f & MF(MF_IPV6_SRC))
		put_prefix(nlh, VSW_KEY_ATTR_IPV6_SRC, VSW_KEY_ATTR_IPV6_SRC_MASK,
			   m->ipv6_src, m->ipv6_src_plen, 16);
	if (f & MF(MF_IPV6_DST))
		put_prefix(nlh, VSW_KEY_ATTR_IPV6_DST, VSW_KEY_ATTR_IPV6_DST_MASK,
			   m->ipv6_dst, m->ipv6_dst_plen, 16);
	if (f & MF(MF_NW_PROTO))
		mnl_attr_put_u8(nlh, VSW_KEY_ATTR_IP_PROTO, m->nw_proto);
	if (f & MF(MF_NW_TOS))
		mnl_attr_put_u8(nlh, VSW_KEY_ATTR_IP_TOS, m->nw_tos);
	if (f & MF(MF_TP_SRC))
		mnl_attr_put_u16(nlh, VSW_KEY_ATTR_L4_SRC, m->tp_src);
	if (f & MF(MF_TP_DST))
		mnl_attr_put_u16(nlh, VSW_KEY_ATTR_L4_DST, m->tp_dst);
	if (f & MF(MF_ARP_OP))
		mnl_attr_put_u16(nlh, VSW_KEY_ATTR_ARP_OP, m->arp_op);
	mnl_attr_nest_end(nlh, nest);
}

/* Prefix length of a (contiguous) mask; absent mask = full length. */
static uint8_t mask_plen(const struct nlattr *a, size_t len)
{
	const uint8_t *mask = nla_bin(a, len);
	unsigned int i, plen = 0;

	if (!mask)
		return len * 8;
	for (i = 0; i < len * 8; i++)
		if (mask[i / 8] & (0x80 >> (i % 8)))
			plen++;
	return plen;
}

static void get_bin(const struct nlattr *a, uint8_t *dst, size_t len,
		    uint32_t *fields, enum match_field f)
{
	const void *p = nla_bin(a, len);

	if (p) {
		memcpy(dst, p, len);
		*fields |= MF(f);
	}
}

/* Value of a numeric key attribute, marking its field present. */
static uint64_t get_num(const struct nlattr *a, uint32_t *fields,
			enum match_field f)
{
	if (a)
		*fields |= MF(f);
	return nla_uint(a);
}

int match_from_nl(const struct nlattr *nest, struct match *m)
{
	const struct nlattr *tb[VSW_KEY_ATTR_MAX + 1];
	const uint8_t *mask;

	match_init(m);
	if (nla_parse(nest, tb, VSW_KEY_ATTR_MAX))
		return -1;
	m->in_port_ifindex = get_num(tb[VSW_KEY_ATTR_IN_PORT], &m->fields,
				     MF_IN_PORT);
	if (m->in_port_ifindex)
		ifname_of(m->in_port_ifindex, m->in_port);
	get_bin(tb[VSW_KEY_ATTR_ETH_SRC], m->dl_src, 6, &m->fields, MF_DL_SRC);
	mask = nla_bin(tb[VSW_KEY_ATTR_ETH_SRC_MASK], 6);
	memcpy(m->dl_src_mask, mask ? mask : (const uint8_t *)"\xff\xff\xff\xff\xff\xff", 6);
	get_bin(tb[VSW_KEY_ATTR_ETH_DST], m->dl_dst, 6, &m->fields, MF_DL_DST);
	mask = nla_bin(tb[VSW_KEY_ATTR_ETH_DST_MASK], 6);
	memcpy(m->dl_dst_mask, mask ? mask : (const uint8_t *)"\xff\xff\xff\xff\xff\xff", 6);
	if (tb[VSW_KEY_ATTR_VLAN_NONE] || tb[VSW_KEY_ATTR_VLAN_VID]) {
		m->fields |= MF(MF_DL_VLAN);
		m->vlan_none = tb[VSW_KEY_ATTR_VLAN_NONE] != NULL;
		m->dl_vlan = nla_uint(tb[VSW_KEY_ATTR_VLAN_VID]);
		m->dl_vlan_mask = nla_uint(tb[VSW_KEY_ATTR_VLAN_VID_MASK]);
	}
	m->dl_vlan_pcp = get_num(tb[VSW_KEY_ATTR_VLAN_PCP], &m->fields,
				 MF_DL_VLAN_PCP);
	m->dl_type = get_num(tb[VSW_KEY_ATTR_ETH_TYPE], &m->fields, MF_DL_TYPE);
	m->dl_type_mask = nla_uint(tb[VSW_KEY_ATTR_ETH_TYPE_MASK]);
	get_bin(tb[VSW_KEY_ATTR_IPV4_SRC], m->nw_src, 4, &m->fields, MF_NW_SRC);
	m->nw_src_plen = mask_plen(tb[VSW_KEY_ATTR_IPV4_SRC_MASK], 4);
	get_bin(tb[VSW_KEY_ATTR_IPV4_DST], m->nw_dst, 4, &m->fields, MF_NW_DST);
	m->nw_dst_plen = mask_plen(tb[VSW_KEY_ATTR_IPV4_DST_MASK], 4);
	get_bin(tb[VSW_KEY_ATTR_IPV6_SRC], m->ipv6_src, 16, &m->fields,
		MF_IPV6_SRC);
	m->ipv6_src_plen = mask_plen(tb[VSW_KEY_ATTR_IPV6_SRC_MASK], 16);
	get_bin(tb[VSW_KEY_ATTR_IPV6_DST], m->ipv6_dst, 16, &m->fields,
		MF_IPV6_DST);
	m->ipv6_dst_plen = mask_plen(tb[VSW_KEY_ATTR_IPV6_DST_MASK], 16);
	m->nw_proto = get_num(tb[VSW_KEY_ATTR_IP_PROTO], &m->fields, MF_NW_PROTO);
	m->nw_tos = get_num(tb[VSW_KEY_ATTR_IP_TOS], &m->fields, MF_NW_TOS);
	m->tp_src = get_num(tb[VSW_KEY_ATTR_L4_SRC], &m->fields, MF_TP_SRC);
	m->tp_dst = get_num(tb[VSW_KEY_ATTR_L4_DST], &m->fields, MF_TP_DST);
	m->arp_op = get_num(tb[VSW_KEY_ATTR_ARP_OP], &m->fields, MF_ARP_OP);
	return 0;
}

void actions_to_nl(struct nlmsghdr *nlh, uint16_t type, const struct actions *a)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);
	unsigned int i;

	for (i = 0; i < a->n; i++) {
		const struct action *x = &a->a[i];

		switch (x->type) {
		case VSW_ACTION_ATTR_OUTPUT:
			mnl_attr_put_u32(nlh, x->type, x->arg);
			break;
		case VSW_ACTION_ATTR_SET_VLAN_VID:
		case VSW_ACTION_ATTR_PUSH_VLAN:
			mnl_attr_put_u16(nlh, x->type, x->arg);
			break;
		default:
			mnl_attr_put(nlh, x->type, 0, NULL);
		}
	}
	mnl_attr_nest_end(nlh, nest);
}

int actions_from_nl(const struct nlattr *nest, struct actions *a)
{
	const struct nlattr *attr;

	memset(a, 0, sizeof(*a));
	if (!nest)
		return 0;
	mnl_attr_for_each_nested(attr, nest) {
		struct action *x;

		if (a->n == VSW_ACTIONS_MAX)
			return -1;
		x = &a->a[a->n++];
		x->type = mnl_attr_get_type(attr);
		x->arg = nla_uint(attr);
		if (x->type == VSW_ACTION_ATTR_OUTPUT)
			ifname_of(x->arg, x->dev);
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Output */

static void print_used(const struct nlattr *used)
{
	unsigned long long ms = nla_uint(used);

	if (used)
		fprintf(out, " used=%llu.%03llus", ms / 1000, ms % 1000);
	else
		fprintf(out, " used=never");
}

/* One rule or cache entry; priority < 0 for cache entries. */
static int show_entry(const struct nlattr *mnest, const struct nlattr *anest,
		      long priority, const struct nlattr *packets,
		      const struct nlattr *bytes, const struct nlattr *used)
{
	char mstr[MATCH_STRMAX], astr[ACTIONS_STRMAX];
	struct match m;
	struct actions a;

	if (match_from_nl(mnest, &m) || actions_from_nl(anest, &a))
		return MNL_CB_OK;
	format_actions(&a, astr, sizeof(astr));
	if (opt.json) {
		format_match(&m, mstr, sizeof(mstr));
		jw_obj_open(NULL);
		if (priority >= 0)
			jw_uint("priority", priority);
		jw_str("match", mstr);
		jw_str("actions", astr);
		jw_uint("n_packets", nla_uint(packets));
		jw_uint("n_bytes", nla_uint(bytes));
		if (used || priority < 0)	/* cache entries: always */
			jw_uint("used_ms", nla_uint(used));
		jw_obj_close();
		return MNL_CB_OK;
	}
	m.has_priority = priority >= 0;
	m.priority = priority;
	format_match(&m, mstr, sizeof(mstr));
	fprintf(out, "%s%sactions=%s", mstr, *mstr ? " " : "", astr);
	if (opt.stats || priority < 0) {
		fprintf(out, " packets=%llu bytes=%llu",
			(unsigned long long)nla_uint(packets),
			(unsigned long long)nla_uint(bytes));
		print_used(used);
	}
	fputc('\n', out);
	return MNL_CB_OK;
}

int flow_show_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VSW_ATTR_MAX + 1], *ra[VSW_RULE_ATTR_MAX + 1];

	(void)data;
	if (genl_parse(nlh, tb, VSW_ATTR_MAX) || !tb[VSW_ATTR_RULE] ||
	    nla_parse(tb[VSW_ATTR_RULE], ra, VSW_RULE_ATTR_MAX))
		return MNL_CB_OK;
	return show_entry(ra[VSW_RULE_ATTR_MATCH], ra[VSW_RULE_ATTR_ACTIONS],
			  ra[VSW_RULE_ATTR_PRIORITY] ?
			  (long)nla_uint(ra[VSW_RULE_ATTR_PRIORITY]) :
			  VSW_RULE_PRIORITY_DEFAULT,
			  ra[VSW_RULE_ATTR_PACKETS], ra[VSW_RULE_ATTR_BYTES],
			  ra[VSW_RULE_ATTR_USED]);
}

int cache_show_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VSW_ATTR_MAX + 1], *ca[VSW_CACHE_ATTR_MAX + 1];

	(void)data;
	if (genl_parse(nlh, tb, VSW_ATTR_MAX) || !tb[VSW_ATTR_CACHE] ||
	    nla_parse(tb[VSW_ATTR_CACHE], ca, VSW_CACHE_ATTR_MAX))
		return MNL_CB_OK;
	return show_entry(ca[VSW_CACHE_ATTR_MATCH], ca[VSW_CACHE_ATTR_ACTIONS],
			  -1, ca[VSW_CACHE_ATTR_PACKETS],
			  ca[VSW_CACHE_ATTR_BYTES], ca[VSW_CACHE_ATTR_USED]);
}

/* ------------------------------------------------------------------ */
/* Commands */

/* Join the words after SWITCH into one ovs-ofctl style string. */
static int flow_join(int argc, char **argv, char **str, struct match *prio)
{
	size_t len = 1;
	char *s;
	int i;

	prio->has_priority = false;
	for (i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	s = *str = calloc(1, len);
	if (!s)
		return err("out of memory");
	for (; argc > 0; argc--, argv++) {
		if (matches(argv[0], "priority")) {
			if (prio->has_priority)
				return usage_err("duplicate \"priority\"");
			NEXT_ARG();
			if (parse_u16(argv[0], 0, VSW_PRIORITY_MAX, "priority",
				      &prio->priority))
				return perr();
			prio->has_priority = true;
			continue;
		}
		if (*s && s[strlen(s) - 1] != ',' && argv[0][0] != ',')
			strcat(s, ",");
		strcat(s, argv[0]);
	}
	return 0;
}

static int resolve_names(struct match *m, struct actions *a)
{
	unsigned int i;

	if ((m->fields & MF(MF_IN_PORT)) &&
	    dev_index(m->in_port, &m->in_port_ifindex))
		return -1;
	for (i = 0; i < a->n; i++)
		if (a->a[i].type == VSW_ACTION_ATTR_OUTPUT &&
		    dev_index(a->a[i].dev, &a->a[i].arg))
			return -1;
	return 0;
}

static int flow_mod(int argc, char **argv, bool add)
{
	char buf[NL_BUFSZ], what[MATCH_STRMAX + ACTIONS_STRMAX + 64], *str = NULL;
	char mstr[MATCH_STRMAX], astr[ACTIONS_STRMAX];
	const char *sw = argv[0];
	struct match m, prio;
	struct actions a = { 0 };
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	int ret;

	ret = flow_join(argc - 1, argv + 1, &str, &prio);
	if (!ret && parse_flow(str, &m, &a, add))
		ret = perr();
	free(str);
	if (ret)
		return -1;
	if (m.has_priority && prio.has_priority)
		return usage_err("duplicate \"priority\"");
	if (prio.has_priority)
		m.priority = prio.priority;
	else if (!m.has_priority)
		m.priority = VSW_RULE_PRIORITY_DEFAULT;
	nlh = vsw_req(buf, add ? VSW_CMD_RULE_NEW : VSW_CMD_RULE_DEL, 0);
	if (put_switch(nlh, sw) || resolve_names(&m, &a))
		return -1;
	nest = mnl_attr_nest_start(nlh, VSW_ATTR_RULE);
	mnl_attr_put_u16(nlh, VSW_RULE_ATTR_PRIORITY, m.priority);
	match_to_nl(nlh, VSW_RULE_ATTR_MATCH, &m);
	if (add)
		actions_to_nl(nlh, VSW_RULE_ATTR_ACTIONS, &a);
	mnl_attr_nest_end(nlh, nest);
	m.has_priority = true;
	format_match(&m, mstr, sizeof(mstr));
	format_actions(&a, astr, sizeof(astr));
	snprintf(what, sizeof(what), "cannot %s flow \"%s%s%s\" %s \"%s\"",
		 add ? "add" : "delete", mstr, add ? " actions=" : "",
		 add ? astr : "", add ? "to" : "of", sw);
	return vsw_talk(nlh, NULL, NULL, what);
}

/* "OBJ show SWITCH" and "OBJ flush SWITCH" of flow and cache. */
static int table_cmd(int argc, char **argv, const char *obj, const char *noun,
		     uint8_t show_cmd, uint8_t flush_cmd, mnl_cb_t cb)
{
	char buf[NL_BUFSZ], what[64];
	bool show = matches(argv[0], "show") || matches(argv[0], "list");
	struct nlmsghdr *nlh;
	int ret;

	if (argc < 2)
		return usage_err("%s %s: missing SWITCH", obj, argv[0]);
	if (argc > 2)
		return usage_err("unexpected \"%s\"", argv[2]);
	nlh = vsw_req(buf, show ? show_cmd : flush_cmd, show ? NLM_F_DUMP : 0);
	if (put_switch(nlh, argv[1]))
		return -1;
	snprintf(what, sizeof(what), "cannot %s %s of \"%s\"",
		 show ? "dump" : "flush", noun, argv[1]);
	if (!show)
		return vsw_talk(nlh, NULL, NULL, what);
	ret = show_talk(nlh, cb, NULL, what);
	show_end(ret);
	return ret;
}

int do_flow(int argc, char **argv)
{
	if (!argc)
		return usage_err("flow: missing command");
	if (matches(argv[0], "add") || matches(argv[0], "del")) {
		if (argc < 2)
			return usage_err("flow %s: missing SWITCH", argv[0]);
		return flow_mod(argc - 1, argv + 1, matches(argv[0], "add"));
	}
	if (matches(argv[0], "show") || matches(argv[0], "list") ||
	    matches(argv[0], "flush"))
		return table_cmd(argc, argv, "flow", "flows", VSW_CMD_RULE_GET,
				 VSW_CMD_RULE_FLUSH, flow_show_cb);
	return usage_err("unknown flow command \"%s\"", argv[0]);
}

int do_cache(int argc, char **argv)
{
	if (!argc)
		return usage_err("cache: missing command");
	if (matches(argv[0], "show") || matches(argv[0], "list") ||
	    matches(argv[0], "flush"))
		return table_cmd(argc, argv, "cache", "flow cache", VSW_CMD_CACHE_GET,
				 VSW_CMD_CACHE_FLUSH, cache_show_cb);
	return usage_err("unknown cache command \"%s\"", argv[0]);
}
