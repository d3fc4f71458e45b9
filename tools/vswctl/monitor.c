// SPDX-License-Identifier: GPL-2.0
/* vswctl monitor: print the events of the "events" multicast group. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <linux/genetlink.h>

#include "vswctl.h"

static const char *const event_names[__VSW_EVENT_MAX] = {
	[VSW_EVENT_MAC_LEARNED] = "mac_learned",
	[VSW_EVENT_MAC_MOVED] = "mac_moved",
	[VSW_EVENT_MAC_AGED] = "mac_aged",
	[VSW_EVENT_FDB_FLUSHED] = "fdb_flushed",
	[VSW_EVENT_PORT_ADDED] = "port_added",
	[VSW_EVENT_PORT_REMOVED] = "port_removed",
	[VSW_EVENT_PORT_UP] = "port_up",
	[VSW_EVENT_PORT_DOWN] = "port_down",
	[VSW_EVENT_RULE_CHANGED] = "rule_changed",
	[VSW_EVENT_FDB_ADDED] = "fdb_added",
	[VSW_EVENT_FDB_DELETED] = "fdb_deleted",
	[VSW_EVENT_PORT_CHANGED] = "port_changed",
	[VSW_EVENT_SWITCH_CHANGED] = "switch_changed",
};

/* One "key value" field of an event, printed in both output modes. */
static void ev_str(const char *key, const char *val)
{
	if (opt.json)
		jw_str(key, val);
	else
		fprintf(out, " %s %s", key, val);
}

static void ev_uint(const char *key, uint64_t val)
{
	if (opt.json)
		jw_uint(key, val);
	else
		fprintf(out, " %s %llu", key, (unsigned long long)val);
}

static void ev_fdb(const struct nlattr *nest)
{
	const struct nlattr *fa[VSW_FDB_ATTR_MAX + 1];
	const uint8_t *mac;
	char buf[IFNAMSIZ > 18 ? IFNAMSIZ : 18];

	if (!nest || nla_parse(nest, fa, VSW_FDB_ATTR_MAX))
		return;
	mac = nla_bin(fa[VSW_FDB_ATTR_MAC], 6);
	if (mac) {
		format_mac(mac, buf);
		ev_str("mac", buf);
	}
	if (fa[VSW_FDB_ATTR_VID])
		ev_uint("vlan", nla_uint(fa[VSW_FDB_ATTR_VID]));
	if (fa[VSW_FDB_ATTR_PORT_IFNAME] || fa[VSW_FDB_ATTR_PORT_IFINDEX])
		ev_str("ifname", attr_ifname(fa[VSW_FDB_ATTR_PORT_IFNAME],
					     fa[VSW_FDB_ATTR_PORT_IFINDEX], buf));
}

static void ev_port(const struct nlattr *nest)
{
	const struct nlattr *pa[VSW_PORT_ATTR_MAX + 1];
	unsigned int mode;
	char buf[IFNAMSIZ];

	if (!nest || nla_parse(nest, pa, VSW_PORT_ATTR_MAX))
		return;
	ev_str("ifname", attr_ifname(pa[VSW_PORT_ATTR_IFNAME],
				     pa[VSW_PORT_ATTR_IFINDEX], buf));
	mode = nla_uint(pa[VSW_PORT_ATTR_MODE]);
	if (pa[VSW_PORT_ATTR_MODE] && mode < __VSW_VLAN_MODE_MAX)
		ev_str("mode", vlan_mode_names[mode]);
	if (pa[VSW_PORT_ATTR_TAG])
		ev_uint("tag", nla_uint(pa[VSW_PORT_ATTR_TAG]));
}

static void ev_rule(const struct nlattr *nest)
{
	const struct nlattr *ra[VSW_RULE_ATTR_MAX + 1];
	char mstr[MATCH_STRMAX];
	struct match m;

	if (!nest || nla_parse(nest, ra, VSW_RULE_ATTR_MAX))
		return;
	if (ra[VSW_RULE_ATTR_PRIORITY])
		ev_uint("priority", nla_uint(ra[VSW_RULE_ATTR_PRIORITY]));
	if (ra[VSW_RULE_ATTR_MATCH] &&
	    !match_from_nl(ra[VSW_RULE_ATTR_MATCH], &m)) {
		format_match(&m, mstr, sizeof(mstr));
		ev_str("match", opt.json || *mstr ? mstr : "\"\"");
	}
}

int monitor_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[VSW_ATTR_MAX + 1];
	const char *filter = data, *ev;
	char sw[IFNAMSIZ], evbuf[24];
	unsigned int type;

	if (nlh->nlmsg_type != vsw_family || genl_parse(nlh, tb, VSW_ATTR_MAX) ||
	    g->cmd != VSW_CMD_EVENT)
		return MNL_CB_OK;
	attr_ifname(tb[VSW_ATTR_IFNAME], tb[VSW_ATTR_IFINDEX], sw);
	if (filter && strcmp(filter, sw))
		return MNL_CB_OK;
	type = nla_uint(tb[VSW_ATTR_EVENT]);
	ev = type && type < __VSW_EVENT_MAX ? event_names[type] : NULL;
	if (!ev) {
		snprintf(evbuf, sizeof(evbuf), "event_%u", type);
		ev = evbuf;
	}
	if (opt.json) {
		jw_start(out, false);
		jw_obj_open(NULL);
		jw_str("event", ev);
		jw_str("switch", sw);
	} else {
		fprintf(out, "%s: %s", sw, ev);
	}
	ev_fdb(tb[VSW_ATTR_FDB]);
	ev_port(tb[VSW_ATTR_PORT]);
	ev_rule(tb[VSW_ATTR_RULE]);
	if (opt.json)
		jw_obj_close();
	else
		fputc('\n', out);
	fflush(out);
	return MNL_CB_OK;
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int do_monitor(int argc, char **argv)
{
	static char buf[65536];
	struct sigaction sa = { .sa_handler = on_signal };
	char ifname[IFNAMSIZ], *filter = NULL;
	sigset_t block, orig;
	struct pollfd pfd;
	struct nl *nl;
	ssize_t n;

	if (argc > 1)
		return usage_err("unexpected \"%s\"", argv[1]);
	if (argc) {
		char req[NL_BUFSZ], what[64];
		struct nlmsghdr *nlh = vsw_req(req, VSW_CMD_SWITCH_GET, 0);

		if (put_switch(nlh, argv[0]))
			return -1;
		snprintf(what, sizeof(what), "cannot monitor switch \"%s\"",
			 argv[0]);
		if (vsw_talk(nlh, NULL, NULL, what))
			return -1;
		filter = strcpy(ifname, argv[0]);
	}
	nl = genl();
	if (!nl)
		return -1;
	if (!vsw_events_group)
		return err("the vsw family has no \"%s\" multicast group",
			   VSW_GENL_MCGRP_EVENTS);
	if (mnl_socket_setsockopt(nl->sk, NETLINK_ADD_MEMBERSHIP,
				  &vsw_events_group, sizeof(vsw_events_group)))
		return err("cannot join the \"%s\" group: %s",
			   VSW_GENL_MCGRP_EVENTS, strerror(errno));
	/* Signals are only delivered inside ppoll(): no lost wake-up. */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &orig);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	pfd.fd = mnl_socket_get_fd(nl->sk);
	pfd.events = POLLIN;
	while (!stop) {
		if (ppoll(&pfd, 1, NULL, &orig) < 0) {
			if (errno == EINTR)
				continue;
			return err("poll: %s", strerror(errno));
		}
		n = recv(pfd.fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				warn("events lost (receive buffer overrun)");
				continue;
			}
			return err("cannot receive events: %s", strerror(errno));
		}
		if (mnl_cb_run(buf, n, 0, 0, monitor_cb, filter) < 0 &&
		    errno != ENOENT)
			return err("bad event message: %s", strerror(errno));
	}
	sigprocmask(SIG_SETMASK, &orig, NULL);
	return 0;
}
