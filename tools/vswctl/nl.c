// SPDX-License-Identifier: GPL-2.0
/* vswctl: netlink plumbing over libmnl. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "nl.h"
#include "vswctl.h"

#define NL_RCVBUF	65536
#define DUMP_RETRIES	5

int nl_open(struct nl *nl, int bus)
{
	int one = 1;

	memset(nl, 0, sizeof(*nl));
	nl->sk = mnl_socket_open(bus);
	if (!nl->sk)
		return err("cannot open netlink socket: %s", strerror(errno));
	/* Best effort: old kernels lack these, errors are then plain. */
	mnl_socket_setsockopt(nl->sk, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sk, NETLINK_CAP_ACK, &one, sizeof(one));
	if (mnl_socket_bind(nl->sk, 0, MNL_SOCKET_AUTOPID) < 0) {
		err("cannot bind netlink socket: %s", strerror(errno));
		nl_close(nl);
		return -1;
	}
	nl->portid = mnl_socket_get_portid(nl->sk);
	nl->seq = 1;
	return 0;
}

void nl_close(struct nl *nl)
{
	if (nl->sk)
		mnl_socket_close(nl->sk);
	nl->sk = NULL;
}

struct nlmsghdr *nl_req(char *buf, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh;

	memset(buf, 0, NL_BUFSZ);	/* no uninitialised attribute padding */
	nlh = mnl_nlmsg_put_header(buf);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	return nlh;
}

struct nlmsghdr *genl_req(char *buf, uint16_t family, uint8_t cmd,
			  uint16_t flags)
{
	struct nlmsghdr *nlh = nl_req(buf, family, flags);
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));

	g->cmd = cmd;
	g->version = family == GENL_ID_CTRL ? 1 : VSW_GENL_VERSION;
	return nlh;
}

/* Error code and extack message of an NLMSG_ERROR or NLMSG_DONE. */
int nl_parse_ack(struct nl *nl, const struct nlmsghdr *nlh)
{
	size_t hlen = nlh->nlmsg_type == NLMSG_ERROR ?
		      sizeof(struct nlmsgerr) : sizeof(int);
	const struct nlattr *a;
	int error = 0;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(int))
		return nlh->nlmsg_type == NLMSG_ERROR ? -EBADMSG : 0;
	memcpy(&error, mnl_nlmsg_get_payload(nlh), sizeof(int));
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) ||
	    mnl_nlmsg_get_payload_len(nlh) < hlen)
		return error;
	if (nlh->nlmsg_type == NLMSG_ERROR &&
	    !(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

		hlen += e->msg.nlmsg_len - sizeof(e->msg);
	}
	if (hlen > mnl_nlmsg_get_payload_len(nlh))
		return error;
	mnl_attr_for_each(a, nlh, hlen) {
		if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG &&
		    nla_str(a)) {
			snprintf(nl->extack, sizeof(nl->extack), "%s",
				 nla_str(a));
			/* drop a trailing newline some kernels append */
			nl->extack[strcspn(nl->extack, "\n")] = '\0';
		}
	}
	return error;
}

struct nl_coll {
	char *buf;
	size_t len, cap;
	bool intr;
};

static int coll_add(struct nl_coll *c, const struct nlmsghdr *nlh)
{
	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		c->intr = true;
	if (c->len + nlh->nlmsg_len > c->cap) {
		size_t cap = c->cap ? c->cap * 2 : NL_RCVBUF;
		char *p;

		while (cap < c->len + nlh->nlmsg_len)
			cap *= 2;
		p = realloc(c->buf, cap);
		if (!p)
			return -ENOMEM;
		c->buf = p;
		c->cap = cap;
	}
	memcpy(c->buf + c->len, nlh, nlh->nlmsg_len);
	c->len += NLMSG_ALIGN(nlh->nlmsg_len);
	return 0;
}

/* Send req once and collect the replies; returns 0 or a negative errno. */
static int nl_exchange(struct nl *nl, struct nlmsghdr *req, struct nl_coll *c)
{
	static char rbuf[NL_RCVBUF];
	uint32_t seq = ++nl->seq;

	req->nlmsg_seq = seq;
	nl->extack[0] = '\0';
	if (mnl_socket_sendto(nl->sk, req, req->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl->sk, rbuf, sizeof(rbuf));
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)rbuf;
		int len = n;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
			int ret;

			if (nlh->nlmsg_seq != seq || nlh->nlmsg_pid != nl->portid)
				continue;
			switch (nlh->nlmsg_type) {
			case NLMSG_NOOP:
				continue;
			case NLMSG_OVERRUN:
				return -ENOBUFS;
			case NLMSG_ERROR:
			case NLMSG_DONE:
				ret = nl_parse_ack(nl, nlh);
				if (!ret && nl->extack[0])
					warn("%s", nl->extack);
				return ret < 0 ? ret : 0;
			default:
				ret = coll_add(c, nlh);
				if (ret)
					return ret;
			}
		}
	}
}

int nl_talk(struct nl *nl, struct nlmsghdr *req, mnl_cb_t cb, void *data,
	    const char *what)
{
	struct nl_coll c = { 0 };
	int tries = 0, ret = 0;

	do {
		c.len = 0;
		c.intr = false;
		ret = nl_exchange(nl, req, &c);
	} while (!ret && c.intr && (req->nlmsg_flags & NLM_F_DUMP) &&
		 ++tries < DUMP_RETRIES);
	if (!ret && c.intr)
		warn("%s: table kept changing, output may be inconsistent",
		     what ? what : "dump");
	if (!ret && cb) {
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)c.buf;
		int len = c.len;

		for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
			int r = cb(nlh, data);

			if (r == MNL_CB_ERROR) {
				ret = -EINVAL;
				what = NULL;	/* cb printed the error */
			}
			if (r != MNL_CB_OK)
				break;
		}
	}
	free(c.buf);
	if (ret && what)
		err("%s: %s", what, nl->extack[0] ? nl->extack : strerror(-ret));
	return ret;
}

struct family_info {
	uint16_t id;
	const char *group;
	uint32_t group_id;
};

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1], *g;
	struct family_info *fi = data;

	if (genl_parse(nlh, tb, CTRL_ATTR_MAX) < 0)
		return MNL_CB_OK;
	fi->id = nla_uint(tb[CTRL_ATTR_FAMILY_ID]);
	if (!tb[CTRL_ATTR_MCAST_GROUPS] || !fi->group)
		return MNL_CB_OK;
	mnl_attr_for_each_nested(g, tb[CTRL_ATTR_MCAST_GROUPS]) {
		const struct nlattr *gb[CTRL_ATTR_MCAST_GRP_MAX + 1];
		const char *name;

		if (nla_parse(g, gb, CTRL_ATTR_MCAST_GRP_MAX) < 0)
			continue;
		name = nla_str(gb[CTRL_ATTR_MCAST_GRP_NAME]);
		if (name && !strcmp(name, fi->group))
			fi->group_id = nla_uint(gb[CTRL_ATTR_MCAST_GRP_ID]);
	}
	return MNL_CB_OK;
}

int genl_resolve(struct nl *nl, const char *name, uint16_t *id,
		 const char *group, uint32_t *group_id)
{
	char buf[NL_BUFSZ];
	struct family_info fi = { 0, group, 0 };
	struct nlmsghdr *nlh = genl_req(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0);
	int ret;

	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, name);
	ret = nl_talk(nl, nlh, family_cb, &fi, NULL);
	if (ret)
		return ret;
	if (!fi.id)
		return -ENOENT;
	*id = fi.id;
	if (group_id)
		*group_id = fi.group_id;
	return 0;
}

struct tb_ctx {
	const struct nlattr **tb;
	int max;
};

static int tb_cb(const struct nlattr *a, void *data)
{
	struct tb_ctx *t = data;
	int type = mnl_attr_get_type(a);

	if (type <= t->max)
		t->tb[type] = a;
	return MNL_CB_OK;
}

int nla_parse(const struct nlattr *nest, const struct nlattr **tb, int max)
{
	struct tb_ctx t = { tb, max };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	if (!nest)
		return 0;
	return mnl_attr_parse_nested(nest, tb_cb, &t) < 0 ? -1 : 0;
}

int nl_parse(const struct nlmsghdr *nlh, size_t hdrlen,
	     const struct nlattr **tb, int max)
{
	struct tb_ctx t = { tb, max };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	if (mnl_nlmsg_get_payload_len(nlh) < hdrlen)
		return -1;
	return mnl_attr_parse(nlh, hdrlen, tb_cb, &t) < 0 ? -1 : 0;
}

int genl_parse(const struct nlmsghdr *nlh, const struct nlattr **tb, int max)
{
	return nl_parse(nlh, sizeof(struct genlmsghdr), tb, max);
}

uint64_t nla_uint(const struct nlattr *a)
{
	uint64_t v64;
	uint32_t v32;

	if (!a)
		return 0;
	switch (mnl_attr_get_payload_len(a)) {
	case 1:
		return mnl_attr_get_u8(a);
	case 2:
		return mnl_attr_get_u16(a);
	case 4:
		memcpy(&v32, mnl_attr_get_payload(a), 4);
		return v32;
	case 8:
		memcpy(&v64, mnl_attr_get_payload(a), 8);
		return v64;
	}
	return 0;
}

const char *nla_str(const struct nlattr *a)
{
	const char *s;
	size_t len;

	if (!a)
		return NULL;
	s = mnl_attr_get_payload(a);
	len = mnl_attr_get_payload_len(a);
	return len && memchr(s, '\0', len) ? s : NULL;
}

const void *nla_bin(const struct nlattr *a, size_t len)
{
	return a && mnl_attr_get_payload_len(a) == len ?
	       mnl_attr_get_payload(a) : NULL;
}
