// SPDX-License-Identifier: GPL-2.0
/* vswctl switch add|del|show|set */
#include <stdlib.h>
#include <string.h>

#include "vswctl.h"

int switch_show_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[VSW_ATTR_MAX + 1], *pa[VSW_PORT_ATTR_MAX + 1];
	char name[IFNAMSIZ];

	(void)data;
	if (genl_parse(nlh, tb, VSW_ATTR_MAX))
		return MNL_CB_OK;
	attr_ifname(tb[VSW_ATTR_IFNAME], tb[VSW_ATTR_IFINDEX], name);
	if (opt.json) {
		jw_obj_open(NULL);
		jw_str("ifname", name);
		jw_uint("ifindex", nla_uint(tb[VSW_ATTR_IFINDEX]));
		jw_uint("ageing", nla_uint(tb[VSW_ATTR_AGEING]));
		jw_uint("max_macs", nla_uint(tb[VSW_ATTR_MAX_MACS]));
		jw_uint("cache_size", nla_uint(tb[VSW_ATTR_CACHE_SIZE]));
		jw_uint("ports", nla_uint(tb[VSW_ATTR_PORT_COUNT]));
		jw_uint("fdb_entries", nla_uint(tb[VSW_ATTR_FDB_COUNT]));
		jw_uint("rules", nla_uint(tb[VSW_ATTR_RULE_COUNT]));
		jw_uint("cache_entries", nla_uint(tb[VSW_ATTR_CACHE_COUNT]));
		if (tb[VSW_ATTR_RULE_INDEX_GEN])
			jw_uint("rule_index_gen",
				nla_uint(tb[VSW_ATTR_RULE_INDEX_GEN]));
		if (tb[VSW_ATTR_RULES_INDEXED])
			jw_bool("rules_indexed",
				nla_uint(tb[VSW_ATTR_RULES_INDEXED]));
		if (tb[VSW_ATTR_DEFAULT_PORT] &&
		    !nla_parse(tb[VSW_ATTR_DEFAULT_PORT], pa,
			       VSW_PORT_ATTR_MAX)) {
			jw_obj_open("default_port");
			port_cfg_json(pa);
			jw_obj_close();
		}
		if (opt.stats) {
			jw_uint("cache_hits", nla_uint(tb[VSW_ATTR_CACHE_HITS]));
			jw_uint("cache_misses",
				nla_uint(tb[VSW_ATTR_CACHE_MISSES]));
			if (tb[VSW_ATTR_CACHE_BYTES])
				jw_uint("cache_bytes",
					nla_uint(tb[VSW_ATTR_CACHE_BYTES]));
			json_stats("stats", tb[VSW_ATTR_STATS]);
		}
		jw_obj_close();
		return MNL_CB_OK;
	}
	fprintf(out, "%s: ports %llu fdb %llu rules %llu cache %llu ageing %llu max-macs %llu cache-size %llu\n",
		name,
		(unsigned long long)nla_uint(tb[VSW_ATTR_PORT_COUNT]),
		(unsigned long long)nla_uint(tb[VSW_ATTR_FDB_COUNT]),
		(unsigned long long)nla_uint(tb[VSW_ATTR_RULE_COUNT]),
		(unsigned long long)nla_uint(tb[VSW_ATTR_CACHE_COUNT]),
		(unsigned long long)nla_uint(tb[VSW_ATTR_AGEING]),
		(unsigned long long)nla_uint(tb[VSW_ATTR_MAX_MACS]),
		(unsigned long long)nla_uint(tb[VSW_ATTR_CACHE_SIZE]));
	if (tb[VSW_ATTR_DEFAULT_PORT]) {
		char *text = port_default_text(tb[VSW_ATTR_DEFAULT_PORT]);

		/* only when it is not a new port's configuration */
		if (text && *text)
			fprintf(out, "    default-port%s\n", text);
		free(text);
	}
	if (opt.stats) {
		fprintf(out, "    cache hits %llu misses %llu\n",
			(unsigned long long)nla_uint(tb[VSW_ATTR_CACHE_HITS]),
			(unsigned long long)nla_uint(tb[VSW_ATTR_CACHE_MISSES]));
		print_stats(tb[VSW_ATTR_STATS], "    ");
	}
	return MNL_CB_OK;
}

static int switch_show(int argc, char **argv)
{
	char buf[NL_BUFSZ], what[64];
	struct nlmsghdr *nlh;
	int ret;

	if (argc > 1)
		return usage_err("unexpected \"%s\"", argv[1]);
	nlh = vsw_req(buf, VSW_CMD_SWITCH_GET, argc ? 0 : NLM_F_DUMP);
	if (argc && put_switch(nlh, argv[0]))
		return -1;
	if (argc)
		snprintf(what, sizeof(what), "cannot show switch \"%s\"",
			 argv[0]);
	else
		snprintf(what, sizeof(what), "cannot dump switches");
	ret = show_talk(nlh, switch_show_cb, NULL, what);
	show_end(ret);
	return ret;
}

/* "switch set" options; vswctl save prints them from this table, too. */
const struct switch_kw switch_kws[] = {
	{ "ageing", "ageing time", VSW_ATTR_AGEING, 0, VSW_AGEING_MAX, "300" },
	{ "max-macs", "MAC limit", VSW_ATTR_MAX_MACS, 0, UINT32_MAX, "8192" },
	{ "cache-size", "cache size", VSW_ATTR_CACHE_SIZE, 1, UINT32_MAX,
	  "65536" },
};
const size_t n_switch_kws = sizeof(switch_kws) / sizeof(switch_kws[0]);

static int switch_set(int argc, char **argv)
{
	const struct switch_kw *kws = switch_kws;
	char buf[NL_BUFSZ], what[64];
	const char *name = argv[0];
	struct nlmsghdr *nlh;
	unsigned int seen = 0;
	int i;

	nlh = vsw_req(buf, VSW_CMD_SWITCH_SET, 0);
	if (put_switch(nlh, name))
		return -1;
	if (argc < 2)
		return usage_err("switch set: nothing to change");
	while (--argc > 0) {
		struct nlattr *nest;
		uint64_t v;

		argv++;
		if (!strcmp(argv[0], "default-port")) {
			/* the rest are port options: "port set" syntax */
			if (argc < 2)
				return usage_err("default-port: no port option");
			nest = mnl_attr_nest_start(nlh, VSW_ATTR_DEFAULT_PORT);
			if (port_cfg_put(nlh, argc - 1, argv + 1))
				return -1;
			mnl_attr_nest_end(nlh, nest);
			break;
		}
		i = kw_find(argv[0], kws, n_switch_kws, sizeof(kws[0]), &seen,
			    "switch option");
		if (i < 0)
			return -1;
		NEXT_ARG();
		if (parse_num(argv[0], kws[i].min, kws[i].max, kws[i].what, &v))
			return perr();
		mnl_attr_put_u32(nlh, kws[i].attr, v);
	}
	snprintf(what, sizeof(what), "cannot change switch \"%s\"", name);
	return vsw_talk(nlh, NULL, NULL, what);
}

int do_switch(int argc, char **argv)
{
	struct link_info li;
	char what[64];

	if (!argc || matches(argv[0], "show") || matches(argv[0], "list"))
		return switch_show(argc ? argc - 1 : 0, argv + 1);
	if (!matches(argv[0], "add") && !matches(argv[0], "del") &&
	    !matches(argv[0], "set"))
		return usage_err("unknown switch command \"%s\"", argv[0]);
	if (argc < 2)
		return usage_err("switch %s: missing switch name", argv[0]);
	if (matches(argv[0], "add") && argc == 2)
		return link_add_vsw(argv[1]);
	if (matches(argv[0], "del") && argc == 2) {
		if (link_get_switch(argv[1], &li))
			return -1;
		snprintf(what, sizeof(what), "cannot delete switch \"%s\"",
			 argv[1]);
		return link_del(li.ifindex, what);
	}
	if (matches(argv[0], "set"))
		return switch_set(argc - 1, argv + 1);
	return usage_err("unexpected \"%s\"", argv[2]);
}
