// SPDX-License-Identifier: GPL-2.0
/* vswctl fdb show|add|del|flush */
#include <stdlib.h>
#include <string.h>

#include "table.h"
#include "vswctl.h"

static const char *const fdb_hdr[] = { "MAC", "VLAN", "PORT", "TYPE", "AGE" };
static const int fdb_minw[] = { 19, 6, 6, 9, 0 };

int fdb_show_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VSW_ATTR_MAX + 1], *fa[VSW_FDB_ATTR_MAX + 1];
	char mac[18] = "?", vid[8], port[IFNAMSIZ], master[IFNAMSIZ], age[24];
	const uint8_t *addr;
	struct table *t = data;
	uint32_t flags;
	const char *type, *state;

	if (genl_parse(nlh, tb, VSW_ATTR_MAX) || !tb[VSW_ATTR_FDB] ||
	    nla_parse(tb[VSW_ATTR_FDB], fa, VSW_FDB_ATTR_MAX))
		return MNL_CB_OK;
	addr = nla_bin(fa[VSW_FDB_ATTR_MAC], 6);
	if (addr)
		format_mac(addr, mac);
	attr_ifname(fa[VSW_FDB_ATTR_PORT_IFNAME], fa[VSW_FDB_ATTR_PORT_IFINDEX],
		    port);
	attr_ifname(tb[VSW_ATTR_IFNAME], tb[VSW_ATTR_IFINDEX], master);
	flags = nla_uint(fa[VSW_FDB_ATTR_FLAGS]);
	if (flags & VSW_FDB_F_LOCAL) {
		type = "local";
		state = "permanent";
	} else if (flags & VSW_FDB_F_STATIC) {
		type = state = "static";
	} else {
		type = "learned";
		state = "";
	}
	if (opt.json) {
		jw_obj_open(NULL);
		jw_str("mac", mac);
		jw_str("ifname", port);
		jw_uint("vlan", nla_uint(fa[VSW_FDB_ATTR_VID]));
		jw_str("master", master);
		jw_arr_open("flags");
		jw_arr_close();
		jw_str("state", state);
		jw_uint("updated", nla_uint(fa[VSW_FDB_ATTR_AGE]) / 1000);
		jw_obj_close();
		return MNL_CB_OK;
	}
	snprintf(vid, sizeof(vid), "%llu",
		 (unsigned long long)nla_uint(fa[VSW_FDB_ATTR_VID]));
	if (*state)
		snprintf(age, sizeof(age), "-");
	else
		snprintf(age, sizeof(age), "%llus", (unsigned long long)
			 nla_uint(fa[VSW_FDB_ATTR_AGE]) / 1000);
	table_row(t, mac, vid, port, type, age);
	return MNL_CB_OK;
}

struct fdb_args {
	const char *sw;
	bool has_mac;
	uint8_t mac[6];
	uint32_t port;		/* ifindex, 0 = none */
	uint16_t vid;		/* 0 = none */
};

/* [SWITCH] [MAC] [port DEV] [vlan VID], as allowed by the command. */
static int fdb_args(int argc, char **argv, bool want_mac, struct fdb_args *a)
{
	memset(a, 0, sizeof(*a));
	if (argc && !matches(argv[0], "port") && !matches(argv[0], "vlan")) {
		a->sw = argv[0];
		argc--;
		argv++;
	}
	if (want_mac) {
		if (!argc)
			return usage_err("missing MAC address");
		if (parse_mac(argv[0], a->mac))
			return perr();
		a->has_mac = true;
		argc--;
		argv++;
	}
	for (; argc > 0; argc--, argv++) {
		if (matches(argv[0], "port")) {
			if (a->port)
				return usage_err("duplicate \"port\"");
			NEXT_ARG();
			if (dev_index(argv[0], &a->port))
				return -1;
		} else if (matches(argv[0], "vlan")) {
			if (a->vid)
				return usage_err("duplicate \"vlan\"");
			NEXT_ARG();
			if (parse_vid(argv[0], &a->vid))
				return perr();
		} else {
			return usage_err("unexpected \"%s\"", argv[0]);
		}
	}
	return 0;
}

static struct nlmsghdr *fdb_req(char *buf, uint8_t cmd, uint16_t flags,
				const struct fdb_args *a)
{
	struct nlmsghdr *nlh = vsw_req(buf, cmd, flags);
	struct nlattr *nest;

	/* a port filter alone names its switch (the kernel implies it) */
	if ((a->sw || !a->port) && put_switch(nlh, a->sw))
		return NULL;
	nest = mnl_attr_nest_start(nlh, VSW_ATTR_FDB);
	if (a->has_mac)
		mnl_attr_put(nlh, VSW_FDB_ATTR_MAC, 6, a->mac);
	if (a->vid)
		mnl_attr_put_u16(nlh, VSW_FDB_ATTR_VID, a->vid);
	if (a->port)
		mnl_attr_put_u32(nlh, VSW_FDB_ATTR_PORT_IFINDEX, a->port);
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

struct name_list {
	unsigned int n;
	char (*names)[IFNAMSIZ];
};

static int collect_switch_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VSW_ATTR_MAX + 1];
	struct name_list *l = data;
	void *p;

	if (genl_parse(nlh, tb, VSW_ATTR_MAX))
		return MNL_CB_OK;
	p = realloc(l->names, (l->n + 1) * sizeof(*l->names));
	if (!p) {
		err("out of memory");
		return MNL_CB_ERROR;
	}
	l->names = p;
	attr_ifname(tb[VSW_ATTR_IFNAME], tb[VSW_ATTR_IFINDEX], l->names[l->n++]);
	return MNL_CB_OK;
}

static int fdb_dump(struct fdb_args *a, struct table *t)
{
	char buf[NL_BUFSZ], what[64];
	struct nlmsghdr *nlh = fdb_req(buf, VSW_CMD_FDB_GET, NLM_F_DUMP, a);

	if (!nlh)
		return -1;
	if (a->sw)
		snprintf(what, sizeof(what), "cannot dump FDB of \"%s\"", a->sw);
	else
		snprintf(what, sizeof(what), "cannot dump FDB");
	return show_talk(nlh, fdb_show_cb, t, what);
}

static int fdb_show(int argc, char **argv)
{
	struct table t = TABLE_INIT(fdb_hdr, fdb_minw);
	struct name_list l = { 0, NULL };
	char buf[NL_BUFSZ];
	struct fdb_args a;
	unsigned int i;
	int ret = 0;

	if (fdb_args(argc, argv, false, &a))
		return -1;
	/* with a port filter one dump is enough: the port names its switch */
	if (!a.sw && !a.port &&
	    vsw_talk(vsw_req(buf, VSW_CMD_SWITCH_GET, NLM_F_DUMP),
			    collect_switch_cb, &l, "cannot dump switches")) {
		free(l.names);
		return -1;
	}
	if (a.sw || a.port)
		ret = fdb_dump(&a, &t);
	for (i = 0; !ret && i < l.n; i++) {
		a.sw = l.names[i];
		ret = fdb_dump(&a, &t);
	}
	show_end(ret);
	table_print(&t, out);
	free(l.names);
	return ret;
}

/* "cannot add FDB entry 02:..:01 vlan 1 port p1 of "sw0"" */
static void fdb_what(char *what, size_t len, const char *cmd,
		     const struct fdb_args *a, int argc, char **argv)
{
	int n = snprintf(what, len, "cannot %s FDB %s",
			 matches(cmd, "add") ? "add" : matches(cmd, "del") ?
			 "delete" : "flush", matches(cmd, "flush") ? "entries" :
			 "entry");

	for (argv++, argc--; argc > 0 && n > 0 && (size_t)n < len; argc--, argv++)
		n += snprintf(what + n, len - n, " %s", argv[0]);
	if (n > 0 && (size_t)n < len)
		snprintf(what + n, len - n, " of \"%s\"", a->sw);
}

int do_fdb(int argc, char **argv)
{
	char buf[NL_BUFSZ], what[160];
	struct nlmsghdr *nlh;
	struct fdb_args a;
	uint8_t cmd;

	if (!argc || matches(argv[0], "show") || matches(argv[0], "list"))
		return fdb_show(argc ? argc - 1 : 0, argv + 1);
	if (matches(argv[0], "add"))
		cmd = VSW_CMD_FDB_NEW;
	else if (matches(argv[0], "del"))
		cmd = VSW_CMD_FDB_DEL;
	else if (matches(argv[0], "flush"))
		cmd = VSW_CMD_FDB_FLUSH;
	else
		return usage_err("unknown fdb command \"%s\"", argv[0]);
	if (fdb_args(argc - 1, argv + 1, cmd != VSW_CMD_FDB_FLUSH, &a))
		return -1;
	if (!a.sw)
		return usage_err("fdb %s: missing SWITCH", argv[0]);
	if (cmd != VSW_CMD_FDB_FLUSH && !a.vid)
		return usage_err("fdb %s: missing \"vlan VID\"", argv[0]);
	if (cmd == VSW_CMD_FDB_NEW && !a.port)
		return usage_err("fdb add: missing \"port DEV\"");
	if (cmd == VSW_CMD_FDB_DEL && a.port)
		return usage_err("fdb del: unexpected \"port\"");
	nlh = fdb_req(buf, cmd, 0, &a);
	if (!nlh)
		return -1;
	fdb_what(what, sizeof(what), argv[0], &a, argc - 1, argv + 1);
	return vsw_talk(nlh, NULL, NULL, what);
}
