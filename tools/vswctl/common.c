// SPDX-License-Identifier: GPL-2.0
/* vswctl: globals and helpers shared by the command files. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netlink.h>

#include "vswctl.h"

struct opts opt;
FILE *out;
char err_prefix[ERR_PREFIX_LEN];
bool want_usage;

uint16_t vsw_family;
uint32_t vsw_events_group;

static void verr(const char *fmt, va_list ap)
{
	fflush(out);
	fprintf(stderr, "%svswctl: ", err_prefix);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

int err(const char *fmt, ...)
{
	va_list ap;

	if (opt.check)	/* apply's syntax pass: only syntax errors count */
		return -1;
	va_start(ap, fmt);
	verr(fmt, ap);
	va_end(ap);
	return -1;
}

int usage_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verr(fmt, ap);
	va_end(ap);
	want_usage = true;
	return -1;
}

int perr(void)
{
	return usage_err("%s", parse_error());
}

void warn(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%svswctl: warning: ", err_prefix);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* ------------------------------------------------------------------ */
/* Sockets */

static struct nl rt_sock, genl_sock;

struct nl *rtnl(void)
{
	if (opt.check)
		return NULL;
	if (!rt_sock.sk && nl_open(&rt_sock, NETLINK_ROUTE))
		return NULL;
	return &rt_sock;
}

void sockets_close(void)
{
	nl_close(&rt_sock);
	nl_close(&genl_sock);
	vsw_family = 0;
}

struct nl *genl(void)
{
	int ret;

	if (opt.check)
		return NULL;
	if (vsw_family)
		return &genl_sock;
	if (!genl_sock.sk && nl_open(&genl_sock, NETLINK_GENERIC))
		return NULL;
	/* Asking by name makes the kernel autoload "net-pf-16-proto-16-family-vsw". */
	ret = genl_resolve(&genl_sock, VSW_GENL_NAME, &vsw_family,
			   VSW_GENL_MCGRP_EVENTS, &vsw_events_group);
	if (ret == -ENOENT) {
		err("vsw module not loaded (generic netlink family \"%s\" not found; try: modprobe vsw)",
		    VSW_GENL_NAME);
		return NULL;
	}
	if (ret) {
		err("cannot resolve generic netlink family \"%s\": %s",
		    VSW_GENL_NAME, genl_sock.extack[0] ? genl_sock.extack :
		    strerror(-ret));
		return NULL;
	}
	return &genl_sock;
}

struct nlmsghdr *vsw_req(char *buf, uint8_t cmd, uint16_t flags)
{
	return genl_req(buf, 0, cmd, flags);	/* family set by vsw_talk() */
}

int put_switch(struct nlmsghdr *nlh, const char *name)
{
	char ifname[IFNAMSIZ];

	if (parse_ifname(name, ifname))
		return perr();
	mnl_attr_put_strz(nlh, VSW_ATTR_IFNAME, ifname);
	return 0;
}

int vsw_talk(struct nlmsghdr *req, mnl_cb_t cb, void *data, const char *what)
{
	struct nl *nl = genl();

	if (!nl)
		return -1;
	req->nlmsg_type = vsw_family;
	return nl_talk(nl, req, cb, data, what) ? -1 : 0;
}

/* ------------------------------------------------------------------ */
/* Arguments and names */

int next_arg(int *argc, char ***argv)
{
	if (*argc <= 1)
		return usage_err("missing argument after \"%s\"", (*argv)[0]);
	(*argc)--;
	(*argv)++;
	return 0;
}

bool matches(const char *arg, const char *word)
{
	return !strcmp(arg, word);
}

int kw_find(const char *word, const void *tab, size_t n, size_t size,
	    unsigned int *seen, const char *what)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const char *kw = *(const char *const *)((const char *)tab + i * size);

		if (!matches(word, kw))
			continue;
		if (*seen & (1u << i))
			return usage_err("duplicate \"%s\"", word);
		*seen |= 1u << i;
		return i;
	}
	return usage_err("unknown %s \"%s\"", what, word);
}

int dev_index(const char *name, uint32_t *ifindex)
{
	char ifname[IFNAMSIZ];

	if (parse_ifname(name, ifname))
		return perr();
	if (opt.check) {	/* a name is all the syntax pass needs */
		*ifindex = 1;
		return 0;
	}
	*ifindex = if_nametoindex(ifname);
	if (!*ifindex)
		return err("cannot find device \"%s\"", name);
	return 0;
}

const char *ifname_of(uint32_t ifindex, char buf[IFNAMSIZ])
{
	if (!ifindex || !if_indextoname(ifindex, buf))
		snprintf(buf, IFNAMSIZ, "if%u", ifindex);
	return buf;
}

const char *attr_ifname(const struct nlattr *name, const struct nlattr *index,
			char buf[IFNAMSIZ])
{
	const char *s = nla_str(name);

	if (s && strlen(s) < IFNAMSIZ)
		return strcpy(buf, s);
	return ifname_of(nla_uint(index), buf);
}

/* ------------------------------------------------------------------ */
/* Shared output */

const char *const vlan_mode_names[__VSW_VLAN_MODE_MAX] = {
	[VSW_VLAN_MODE_ACCESS] = "access",
	[VSW_VLAN_MODE_TRUNK] = "trunk",
	[VSW_VLAN_MODE_NATIVE_UNTAGGED] = "native-untagged",
	[VSW_VLAN_MODE_NATIVE_TAGGED] = "native-tagged",
	[VSW_VLAN_MODE_DOT1Q_TUNNEL] = "dot1q-tunnel",
};

const char *const priority_tags_names[__VSW_PRIORITY_TAGS_MAX] = {
	[VSW_PRIORITY_TAGS_NEVER] = "never",
	[VSW_PRIORITY_TAGS_IF_NONZERO] = "if-nonzero",
	[VSW_PRIORITY_TAGS_ALWAYS] = "always",
};

const char *qinq_ethtype_name(unsigned int tpid)
{
	if (tpid == 0x88a8)
		return "802.1ad";
	if (tpid == 0x8100)
		return "802.1q";
	return NULL;
}

static const char *const drop_names[__VSW_DROP_MAX] = {
	[VSW_DROP_VLAN_INGRESS] = "vlan_ingress",
	[VSW_DROP_VLAN_EGRESS] = "vlan_egress",
	[VSW_DROP_MAC_LIMIT] = "mac_limit",
	[VSW_DROP_RULE] = "rule",
	[VSW_DROP_NO_FLOOD] = "no_flood",
	[VSW_DROP_ISOLATED] = "isolated",
	[VSW_DROP_MTU] = "mtu",
	[VSW_DROP_MALFORMED] = "malformed",
	[VSW_DROP_NOMEM] = "nomem",
	[VSW_DROP_PORT_DOWN] = "port_down",
	[VSW_DROP_INVALID_SRC] = "invalid_src",
	[VSW_DROP_STORM] = "storm",
};

static bool show_open;

void show_begin(void)
{
	if (opt.json && !show_open) {
		jw_start(out, opt.pretty);
		jw_arr_open(NULL);
	}
	show_open = true;
}

void show_end(int ret)
{
	if (!ret)
		show_begin();	/* "[]" for an empty table */
	if (opt.json && show_open)
		jw_arr_close();
	show_open = false;
}

struct show_ctx {
	mnl_cb_t cb;
	void *data;
};

static int show_cb(const struct nlmsghdr *nlh, void *data)
{
	struct show_ctx *ctx = data;

	show_begin();
	return ctx->cb(nlh, ctx->data);
}

int show_talk(struct nlmsghdr *req, mnl_cb_t cb, void *data, const char *what)
{
	struct show_ctx ctx = { cb, data };

	return vsw_talk(req, show_cb, &ctx, what);
}

static void stats_parse(const struct nlattr *stats, uint64_t v[VSW_STATS_MAX + 1],
			uint64_t drops[__VSW_DROP_MAX])
{
	const struct nlattr *tb[VSW_STATS_MAX + 1], *a;
	int i;

	nla_parse(stats, tb, VSW_STATS_MAX);
	for (i = 0; i <= VSW_STATS_MAX; i++)
		v[i] = nla_uint(tb[i]);
	memset(drops, 0, __VSW_DROP_MAX * sizeof(drops[0]));
	if (tb[VSW_STATS_DROP_REASONS])
		mnl_attr_for_each_nested(a, tb[VSW_STATS_DROP_REASONS])
			if (mnl_attr_get_type(a) < __VSW_DROP_MAX)
				drops[mnl_attr_get_type(a)] = nla_uint(a);
}

void print_stats(const struct nlattr *stats, const char *indent)
{
	uint64_t v[VSW_STATS_MAX + 1], drops[__VSW_DROP_MAX];
	int i;

	stats_parse(stats, v, drops);
	fprintf(out, "%sRX: packets %llu bytes %llu\n", indent,
		(unsigned long long)v[VSW_STATS_RX_PACKETS],
		(unsigned long long)v[VSW_STATS_RX_BYTES]);
	fprintf(out, "%sTX: packets %llu bytes %llu\n", indent,
		(unsigned long long)v[VSW_STATS_TX_PACKETS],
		(unsigned long long)v[VSW_STATS_TX_BYTES]);
	fprintf(out, "%sdrops %llu", indent,
		(unsigned long long)v[VSW_STATS_DROPS]);
	for (i = 1; i < __VSW_DROP_MAX; i++)
		if (drops[i])
			fprintf(out, " %s %llu", drop_names[i],
				(unsigned long long)drops[i]);
	fputc('\n', out);
}

void json_stats(const char *key, const struct nlattr *stats)
{
	uint64_t v[VSW_STATS_MAX + 1], drops[__VSW_DROP_MAX];
	int i;

	stats_parse(stats, v, drops);
	jw_obj_open(key);
	jw_uint("rx_packets", v[VSW_STATS_RX_PACKETS]);
	jw_uint("rx_bytes", v[VSW_STATS_RX_BYTES]);
	jw_uint("tx_packets", v[VSW_STATS_TX_PACKETS]);
	jw_uint("tx_bytes", v[VSW_STATS_TX_BYTES]);
	jw_uint("drops", v[VSW_STATS_DROPS]);
	jw_obj_open("drop_reasons");
	for (i = 1; i < __VSW_DROP_MAX; i++)
		jw_uint(drop_names[i], drops[i]);
	jw_obj_close();
	jw_obj_close();
}

