// SPDX-License-Identifier: GPL-2.0
/* vswctl: switch and port creation/removal over rtnetlink. */
#include <errno.h>
#include <string.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "vswctl.h"

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[IFLA_MAX + 1], *info[IFLA_INFO_MAX + 1];
	const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);
	struct link_info *li = data;
	const char *kind;

	if (nlh->nlmsg_type != RTM_NEWLINK ||
	    nl_parse(nlh, sizeof(*ifm), tb, IFLA_MAX))
		return MNL_CB_OK;
	li->ifindex = ifm->ifi_index;
	li->master = nla_uint(tb[IFLA_MASTER]);
	nla_parse(tb[IFLA_LINKINFO], info, IFLA_INFO_MAX);
	kind = nla_str(info[IFLA_INFO_KIND]);
	snprintf(li->kind, sizeof(li->kind), "%s", kind ? kind : "");
	return MNL_CB_OK;
}

int link_get(const char *name, uint32_t ifindex, struct link_info *li)
{
	char buf[NL_BUFSZ], ifname[IFNAMSIZ];
	struct nl *nl = rtnl();
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm;
	int ret;

	memset(li, 0, sizeof(*li));
	if (name && parse_ifname(name, ifname))
		return perr();
	if (!nl)
		return -1;
	nlh = nl_req(buf, RTM_GETLINK, 0);
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = ifindex;
	if (name)
		mnl_attr_put_strz(nlh, IFLA_IFNAME, ifname);
	ret = nl_talk(nl, nlh, link_cb, li, NULL);
	if (ret == -ENODEV || (!ret && !li->ifindex)) {
		if (name)
			return err("cannot find device \"%s\"", name);
		return err("cannot find device with index %u", ifindex);
	}
	if (ret)
		return err("cannot look up device \"%s\": %s",
			   name ? name : "?",
			   nl->extack[0] ? nl->extack : strerror(-ret));
	return 0;
}

int link_get_switch(const char *name, struct link_info *li)
{
	if (link_get(name, 0, li))
		return -1;
	if (strcmp(li->kind, "vsw"))
		return err("\"%s\" is not a vsw switch", name);
	return 0;
}

int link_add_vsw(const char *name)
{
	char buf[NL_BUFSZ], ifname[IFNAMSIZ];
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm;
	struct nlattr *linkinfo;
	struct nl *nl;
	int ret;

	if (parse_ifname(name, ifname))
		return perr();
	nl = rtnl();
	if (!nl)
		return -1;
	nlh = nl_req(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, ifname);
	linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "vsw");
	mnl_attr_nest_end(nlh, linkinfo);
	ret = nl_talk(nl, nlh, NULL, NULL, NULL);
	if (ret)
		err("cannot add switch \"%s\": %s%s", ifname,
		    nl->extack[0] ? nl->extack : strerror(-ret),
		    ret == -EOPNOTSUPP ? " (is the vsw module loaded?)" : "");
	return ret ? -1 : 0;
}

static struct nlmsghdr *link_req(char *buf, uint16_t type, uint32_t ifindex)
{
	struct nlmsghdr *nlh = nl_req(buf, type, 0);
	struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));

	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = ifindex;
	return nlh;
}

int link_del(uint32_t ifindex, const char *what)
{
	char buf[NL_BUFSZ];
	struct nl *nl = rtnl();

	if (!nl)
		return -1;
	return nl_talk(nl, link_req(buf, RTM_DELLINK, ifindex), NULL, NULL,
		       what) ? -1 : 0;
}

int link_set_master(uint32_t ifindex, uint32_t master, const char *what)
{
	char buf[NL_BUFSZ];
	struct nl *nl = rtnl();
	struct nlmsghdr *nlh;

	if (!nl)
		return -1;
	nlh = link_req(buf, RTM_SETLINK, ifindex);
	mnl_attr_put_u32(nlh, IFLA_MASTER, master);
	return nl_talk(nl, nlh, NULL, NULL, what) ? -1 : 0;
}
