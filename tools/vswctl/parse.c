// SPDX-License-Identifier: GPL-2.0
/* vswctl: pure parsers and formatters (see parse.h). */
#define _DEFAULT_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

static char errmsg[256];

const char *parse_error(void)
{
	return errmsg;
}

int parse_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(errmsg, sizeof(errmsg), fmt, ap);
	va_end(ap);
	return -1;
}

/* Bounded string builder: remembers truncation instead of overflowing. */
struct sbuf {
	char *p;
	size_t len, off;
	bool trunc;
};

static void __attribute__((format(printf, 2, 3)))
sb_printf(struct sbuf *sb, const char *fmt, ...)
{
	size_t room = sb->off < sb->len ? sb->len - sb->off : 0;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(sb->p + sb->off, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= room) {
		sb->trunc = true;
		sb->off = sb->len;
	} else {
		sb->off += n;
	}
}

static int sb_done(const struct sbuf *sb)
{
	return sb->trunc ? -1 : (int)sb->off;
}

int parse_num(const char *s, uint64_t min, uint64_t max, const char *what,
	      uint64_t *v)
{
	const char *p = s;
	unsigned int base = 10;
	uint64_t n = 0;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	if (!*p)
		goto bad;
	for (; *p; p++) {
		unsigned int d;

		if (isdigit((unsigned char)*p))
			d = *p - '0';
		else if (base == 16 && isxdigit((unsigned char)*p))
			d = tolower((unsigned char)*p) - 'a' + 10;
		else
			goto bad;
		if (n > (UINT64_MAX - d) / base)
			goto bad;
		n = n * base + d;
	}
	if (n < min || n > max)
		goto bad;
	*v = n;
	return 0;
bad:
	return parse_fail("invalid %s \"%s\" (%" PRIu64 "-%" PRIu64 ")",
			  what, s, min, max);
}

int parse_u8(const char *s, uint8_t max, const char *what, uint8_t *v)
{
	uint64_t n;

	if (parse_num(s, 0, max, what, &n))
		return -1;
	*v = n;
	return 0;
}

int parse_u16(const char *s, uint16_t min, uint16_t max, const char *what,
	      uint16_t *v)
{
	uint64_t n;

	if (parse_num(s, min, max, what, &n))
		return -1;
	*v = n;
	return 0;
}

int parse_u32(const char *s, uint32_t max, const char *what, uint32_t *v)
{
	uint64_t n;

	if (parse_num(s, 0, max, what, &n))
		return -1;
	*v = n;
	return 0;
}

int parse_bool(const char *s, const char *what, bool *v)
{
	if (!strcmp(s, "on")) {
		*v = true;
	} else if (!strcmp(s, "off")) {
		*v = false;
	} else {
		return parse_fail("invalid %s value \"%s\" (on or off)",
				  what, s);
	}
	return 0;
}

int parse_ifname(const char *s, char name[IFNAMSIZ])
{
	size_t len = strlen(s);

	if (!len || len >= IFNAMSIZ || !strcmp(s, ".") || !strcmp(s, "..") ||
	    strpbrk(s, "/:,= \t\n"))
		return parse_fail("invalid device name \"%s\"", s);
	memcpy(name, s, len + 1);
	return 0;
}

int parse_vid(const char *s, uint16_t *vid)
{
	return parse_u16(s, 1, VSW_VID_MAX, "VLAN id", vid);
}

static int hexval(char c)
{
	if (isdigit((unsigned char)c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int parse_mac(const char *s, uint8_t mac[6])
{
	const char *p = s;
	int i;

	for (i = 0; i < 6; i++) {
		int hi = hexval(*p), lo;

		if (hi < 0)
			goto bad;
		lo = hexval(*++p);
		if (lo >= 0) {
			mac[i] = hi << 4 | lo;
			p++;
		} else {
			mac[i] = hi;
		}
		if (i < 5 && *p++ != ':')
			goto bad;
	}
	if (!*p)
		return 0;
bad:
	return parse_fail("invalid MAC address \"%s\"", s);
}

int parse_mac_masked(const char *s, uint8_t mac[6], uint8_t mask[6])
{
	const char *slash = strchr(s, '/');
	char addr[18];
	int i;

	memset(mask, 0xff, 6);
	if (!slash)
		return parse_mac(s, mac);
	if ((size_t)(slash - s) >= sizeof(addr))
		return parse_fail("invalid MAC address \"%.*s\"",
				  (int)(slash - s), s);
	memcpy(addr, s, slash - s);
	addr[slash - s] = '\0';
	if (parse_mac(addr, mac))
		return -1;
	if (parse_mac(slash + 1, mask))
		return parse_fail("invalid MAC mask \"%s\"", slash + 1);
	for (i = 0; i < 6; i++)
		mac[i] &= mask[i];
	return 0;
}

void format_mac(const uint8_t m[6], char buf[18])
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x",
		 m[0], m[1], m[2], m[3], m[4], m[5]);
}

int parse_prefix(const char *s, int *family, uint8_t addr[16], uint8_t *plen)
{
	const char *slash = strchr(s, '/');
	size_t alen = slash ? (size_t)(slash - s) : strlen(s);
	char buf[INET6_ADDRSTRLEN];
	unsigned int bits, i;

	if (alen >= sizeof(buf))
		goto bad;
	memcpy(buf, s, alen);
	buf[alen] = '\0';
	memset(addr, 0, 16);
	if (inet_pton(AF_INET, buf, addr) == 1) {
		*family = AF_INET;
		bits = 32;
	} else if (inet_pton(AF_INET6, buf, addr) == 1) {
		*family = AF_INET6;
		bits = 128;
	} else {
		goto bad;
	}
	*plen = bits;
	if (slash && parse_u8(slash + 1, bits, "prefix length", plen))
		return -1;
	for (i = *plen; i < bits; i++)
		addr[i / 8] &= ~(0x80 >> (i % 8));
	return 0;
bad:
	return parse_fail("invalid IP address \"%s\"", s);
}

int parse_vlist(const char *s, enum vlist_kind kind,
		uint8_t bm[VSW_VLAN_BITMAP_LEN])
{
	uint16_t min = kind == VLIST_CVLANS ? 0 : 1;
	char *copy, *rest, *tok;
	int ret = 0;

	memset(bm, 0, VSW_VLAN_BITMAP_LEN);
	if (!strcmp(s, "all")) {
		if (kind == VLIST_TRUNKS)
			for (unsigned int v = 1; v <= VSW_VID_MAX; v++)
				vlist_set(bm, v);
		return 0;
	}
	if (kind == VLIST_TRUNKS && !strcmp(s, "none"))
		return 0;
	if (!*s)
		return 0;
	rest = copy = strdup(s);
	if (!copy)
		return parse_fail("out of memory");
	while (!ret && (tok = strsep(&rest, ","))) {
		char *dash = strchr(tok, '-');
		uint16_t lo, hi = 0;

		if (dash)
			*dash = '\0';
		if (dash && (!*tok || !dash[1])) {
			*dash = '-';
			ret = parse_fail("invalid VLAN range \"%s\"", tok);
		} else if (parse_u16(tok, min, VSW_VID_MAX, "VLAN id", &lo) ||
			   (dash && parse_u16(dash + 1, min, VSW_VID_MAX,
					      "VLAN id", &hi))) {
			ret = -1;
		} else if (dash && hi < lo) {
			ret = parse_fail("invalid VLAN range \"%u-%u\" (reversed)",
					 lo, hi);
		} else {
			for (unsigned int v = lo; v <= (dash ? hi : lo); v++)
				vlist_set(bm, v);
		}
	}
	free(copy);
	return ret;
}

void format_vlist(const uint8_t bm[VSW_VLAN_BITMAP_LEN], enum vlist_kind kind,
		  char *buf, size_t len)
{
	struct sbuf sb = { buf, len, 0, false };
	bool all = !vlist_test(bm, 0) && !vlist_test(bm, 4095);
	unsigned int v, end;
	bool empty = true;

	for (v = 0; v < 4096; v++) {
		if (vlist_test(bm, v))
			empty = false;
		else if (v >= 1 && v <= VSW_VID_MAX)
			all = false;
	}
	if (len)
		buf[0] = '\0';
	if (empty) {
		sb_printf(&sb, kind == VLIST_CVLANS ? "all" : "none");
		return;
	}
	if (all && kind == VLIST_TRUNKS) {
		sb_printf(&sb, "all");
		return;
	}
	for (v = 0; v < 4096; v = end + 1) {
		end = v;
		if (!vlist_test(bm, v))
			continue;
		while (end + 1 < 4096 && vlist_test(bm, end + 1))
			end++;
		sb_printf(&sb, sb.off ? ",%u" : "%u", v);
		if (end > v)
			sb_printf(&sb, "-%u", end);
	}
}

/* ------------------------------------------------------------------ */
/* MATCH */

static const char *const mf_names[MF_COUNT] = {
	[MF_IN_PORT] = "in_port",	[MF_DL_SRC] = "dl_src",
	[MF_DL_DST] = "dl_dst",		[MF_DL_VLAN] = "dl_vlan",
	[MF_DL_VLAN_PCP] = "dl_vlan_pcp", [MF_DL_TYPE] = "dl_type",
	[MF_NW_SRC] = "nw_src",		[MF_NW_DST] = "nw_dst",
	[MF_NW_PROTO] = "nw_proto",	[MF_NW_TOS] = "nw_tos",
	[MF_TP_SRC] = "tp_src",		[MF_TP_DST] = "tp_dst",
	[MF_IPV6_SRC] = "ipv6_src",	[MF_IPV6_DST] = "ipv6_dst",
	[MF_ARP_OP] = "arp_op",
};

static const struct shorthand {
	const char *name;
	uint16_t dl_type;
	int nw_proto;		/* -1: none */
} shorthands[] = {
	{ "ip", 0x0800, -1 },	{ "arp", 0x0806, -1 },	{ "ipv6", 0x86dd, -1 },
	{ "tcp", 0x0800, 6 },	{ "udp", 0x0800, 17 },	{ "icmp", 0x0800, 1 },
	{ "sctp", 0x0800, 132 }, { "tcp6", 0x86dd, 6 }, { "udp6", 0x86dd, 17 },
	{ "icmp6", 0x86dd, 58 }, { "sctp6", 0x86dd, 132 },
};

void match_init(struct match *m)
{
	memset(m, 0, sizeof(*m));
}

/* Set dl_type or nw_proto; a second, different value is a conflict. */
static int match_set16(struct match *m, enum match_field f, uint16_t *field,
		       uint16_t v, const char *word)
{
	if ((m->fields & MF(f)) && *field != v)
		return parse_fail("conflicting match field \"%s\"", word);
	m->fields |= MF(f);
	*field = v;
	return 0;
}

static int match_shorthand(struct match *m, const struct shorthand *sh)
{
	uint16_t proto = m->nw_proto;

	if (match_set16(m, MF_DL_TYPE, &m->dl_type, sh->dl_type, sh->name))
		return -1;
	m->dl_type_mask = 0xffff;
	if (sh->nw_proto < 0)
		return 0;
	if (match_set16(m, MF_NW_PROTO, &proto, sh->nw_proto, sh->name))
		return -1;
	m->nw_proto = proto;
	return 0;
}

static int match_ip(struct match *m, enum match_field f, const char *val)
{
	int family;
	uint8_t addr[16], plen;
	bool src;

	if (parse_prefix(val, &family, addr, &plen))
		return -1;
	if (f == MF_NW_SRC || f == MF_NW_DST) {
		src = f == MF_NW_SRC;
		if (family == AF_INET6)
			f = src ? MF_IPV6_SRC : MF_IPV6_DST;
	} else if (family != AF_INET6) {
		return parse_fail("invalid IPv6 address \"%s\"", val);
	}
	src = f == MF_NW_SRC || f == MF_IPV6_SRC;
	if (m->fields & MF(f))
		return parse_fail("duplicate match field \"%s\"", mf_names[f]);
	if (!plen)		/* /0 matches everything: wildcard */
		return 0;
	m->fields |= MF(f);
	if (family == AF_INET) {
		memcpy(src ? m->nw_src : m->nw_dst, addr, 4);
		*(src ? &m->nw_src_plen : &m->nw_dst_plen) = plen;
	} else {
		memcpy(src ? m->ipv6_src : m->ipv6_dst, addr, 16);
		*(src ? &m->ipv6_src_plen : &m->ipv6_dst_plen) = plen;
	}
	return 0;
}

static int match_field(struct match *m, enum match_field f, const char *val,
		       uint32_t *explicit)
{
	static const uint8_t zero[6];
	uint16_t v16;

	if (*explicit & MF(f))
		return parse_fail("duplicate match field \"%s\"", mf_names[f]);
	*explicit |= MF(f);

	switch (f) {
	case MF_IN_PORT:
		if (parse_ifname(val, m->in_port))
			return -1;
		break;
	case MF_DL_SRC:
	case MF_DL_DST: {
		uint8_t *mac = f == MF_DL_SRC ? m->dl_src : m->dl_dst;
		uint8_t *mask = f == MF_DL_SRC ? m->dl_src_mask : m->dl_dst_mask;

		if (parse_mac_masked(val, mac, mask))
			return -1;
		if (!memcmp(mask, zero, 6))
			return 0;	/* all-zero mask: wildcard */
		break;
	}
	case MF_DL_VLAN:
		if (!strcmp(val, "none")) {
			m->vlan_none = true;
			m->dl_vlan = 0;
		} else if (parse_vid(val, &m->dl_vlan)) {
			return -1;
		}
		m->dl_vlan_mask = 0xfff;
		break;
	case MF_DL_VLAN_PCP:
		if (parse_u8(val, 7, "VLAN PCP", &m->dl_vlan_pcp))
			return -1;
		break;
	case MF_DL_TYPE:
		if (parse_u16(val, 0, 0xffff, "ethertype", &v16))
			return -1;
		m->dl_type_mask = 0xffff;
		return match_set16(m, f, &m->dl_type, v16, mf_names[f]);
	case MF_NW_PROTO: {
		uint16_t proto = m->nw_proto;

		if (parse_u16(val, 0, 255, "IP protocol", &v16) ||
		    match_set16(m, f, &proto, v16, mf_names[f]))
			return -1;
		m->nw_proto = proto;
		return 0;
	}
	case MF_NW_SRC:
	case MF_NW_DST:
	case MF_IPV6_SRC:
	case MF_IPV6_DST:
		return match_ip(m, f, val);
	case MF_NW_TOS:
		if (parse_u8(val, 255, "IP TOS", &m->nw_tos))
			return -1;
		break;
	case MF_TP_SRC:
	case MF_TP_DST:
		if (parse_u16(val, 0, 0xffff, "L4 port",
			      f == MF_TP_SRC ? &m->tp_src : &m->tp_dst))
			return -1;
		break;
	case MF_ARP_OP:
		if (parse_u16(val, 0, 0xffff, "ARP opcode", &m->arp_op))
			return -1;
		break;
	case MF_COUNT:
		return -1;
	}
	m->fields |= MF(f);
	return 0;
}

static int match_token(struct match *m, char *tok, uint32_t *explicit)
{
	char *val = strchr(tok, '=');
	size_t i;

	if (val)
		*val++ = '\0';
	if (!*tok)
		return parse_fail(val ? "missing match field name before \"=%s\""
				      : "empty match field%s", val ? val : "");
	if (!strcmp(tok, "priority")) {
		if (!val || !*val)
			return parse_fail("missing value for \"%s\"", tok);
		if (m->has_priority)
			return parse_fail("duplicate match field \"%s\"", tok);
		m->has_priority = true;
		return parse_u16(val, 0, VSW_PRIORITY_MAX, "priority",
				 &m->priority);
	}
	for (i = 0; i < MF_COUNT; i++) {
		if (strcmp(tok, mf_names[i]))
			continue;
		if (!val || !*val)
			return parse_fail("missing value for \"%s\"", tok);
		return match_field(m, i, val, explicit);
	}
	for (i = 0; !val && i < sizeof(shorthands) / sizeof(shorthands[0]); i++)
		if (!strcmp(tok, shorthands[i].name))
			return match_shorthand(m, &shorthands[i]);
	return parse_fail("unknown match field \"%s\"", tok);
}

int parse_match(const char *s, struct match *m)
{
	uint32_t explicit = 0;
	char *copy, *rest, *tok;
	int ret = 0;

	match_init(m);
	if (!*s)
		return 0;
	rest = copy = strdup(s);
	if (!copy)
		return parse_fail("out of memory");
	while (!ret && (tok = strsep(&rest, ",")))
		ret = match_token(m, tok, &explicit);
	free(copy);
	return ret;
}

static bool match_has(const struct match *m, enum match_field f)
{
	return m->fields & MF(f);
}

int match_check(const struct match *m)
{
	static const struct {
		enum match_field f;
		uint16_t type, type2;
		const char *need;
	} req[] = {
		{ MF_NW_SRC, 0x0800, 0, "dl_type=0x0800 (ip)" },
		{ MF_NW_DST, 0x0800, 0, "dl_type=0x0800 (ip)" },
		{ MF_IPV6_SRC, 0x86dd, 0, "dl_type=0x86dd (ipv6)" },
		{ MF_IPV6_DST, 0x86dd, 0, "dl_type=0x86dd (ipv6)" },
		{ MF_NW_PROTO, 0x0800, 0x86dd, "dl_type=0x0800 or 0x86dd" },
		{ MF_NW_TOS, 0x0800, 0x86dd, "dl_type=0x0800 or 0x86dd" },
		{ MF_ARP_OP, 0x0806, 0, "dl_type=0x0806 (arp)" },
	};
	size_t i;

	for (i = 0; i < sizeof(req) / sizeof(req[0]); i++) {
		if (!match_has(m, req[i].f))
			continue;
		if (!match_has(m, MF_DL_TYPE) ||
		    (m->dl_type != req[i].type &&
		     (!req[i].type2 || m->dl_type != req[i].type2)))
			return parse_fail("match field \"%s\" needs %s",
					  mf_names[req[i].f], req[i].need);
	}
	for (i = MF_TP_SRC; i <= MF_TP_DST; i++) {
		if (!match_has(m, i))
			continue;
		if (!match_has(m, MF_NW_PROTO) ||
		    (m->nw_proto != 6 && m->nw_proto != 17 &&
		     m->nw_proto != 132))
			return parse_fail("match field \"%s\" needs nw_proto=6, 17 or 132 (tcp, udp, sctp)",
					  mf_names[i]);
	}
	return 0;
}

static void sb_mac(struct sbuf *sb, const uint8_t mac[6], const uint8_t mask[6])
{
	static const uint8_t ones[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	char b[18];

	format_mac(mac, b);
	sb_printf(sb, "%s", b);
	if (memcmp(mask, ones, 6)) {
		format_mac(mask, b);
		sb_printf(sb, "/%s", b);
	}
}

static void sb_ip(struct sbuf *sb, int family, const uint8_t *addr,
		  unsigned int plen)
{
	char b[INET6_ADDRSTRLEN];

	inet_ntop(family, addr, b, sizeof(b));
	sb_printf(sb, "%s", b);
	if (plen < (family == AF_INET ? 32u : 128u))
		sb_printf(sb, "/%u", plen);
}

int format_match(const struct match *m, char *buf, size_t len)
{
	struct sbuf sb = { buf, len, 0, false };
	unsigned int f;

	if (len)
		buf[0] = '\0';
	if (m->has_priority)
		sb_printf(&sb, "priority=%u", m->priority);
	for (f = 0; f < MF_COUNT; f++) {
		if (!match_has(m, f))
			continue;
		sb_printf(&sb, "%s%s=", sb.off ? "," : "", mf_names[f]);
		switch ((enum match_field)f) {
		case MF_IN_PORT:
			if (m->in_port[0])
				sb_printf(&sb, "%s", m->in_port);
			else
				sb_printf(&sb, "%u", m->in_port_ifindex);
			break;
		case MF_DL_SRC:
			sb_mac(&sb, m->dl_src, m->dl_src_mask);
			break;
		case MF_DL_DST:
			sb_mac(&sb, m->dl_dst, m->dl_dst_mask);
			break;
		case MF_DL_VLAN:
			if (m->vlan_none)
				sb_printf(&sb, "none");
			else
				sb_printf(&sb, "%u", m->dl_vlan);
			if (m->dl_vlan_mask && m->dl_vlan_mask != 0xfff)
				sb_printf(&sb, "/0x%03x", m->dl_vlan_mask);
			break;
		case MF_DL_VLAN_PCP:
			sb_printf(&sb, "%u", m->dl_vlan_pcp);
			break;
		case MF_DL_TYPE:
			sb_printf(&sb, "0x%04x", m->dl_type);
			if (m->dl_type_mask && m->dl_type_mask != 0xffff)
				sb_printf(&sb, "/0x%04x", m->dl_type_mask);
			break;
		case MF_NW_SRC:
			sb_ip(&sb, AF_INET, m->nw_src, m->nw_src_plen);
			break;
		case MF_NW_DST:
			sb_ip(&sb, AF_INET, m->nw_dst, m->nw_dst_plen);
			break;
		case MF_IPV6_SRC:
			sb_ip(&sb, AF_INET6, m->ipv6_src, m->ipv6_src_plen);
			break;
		case MF_IPV6_DST:
			sb_ip(&sb, AF_INET6, m->ipv6_dst, m->ipv6_dst_plen);
			break;
		case MF_NW_PROTO:
			sb_printf(&sb, "%u", m->nw_proto);
			break;
		case MF_NW_TOS:
			sb_printf(&sb, "%u", m->nw_tos);
			break;
		case MF_TP_SRC:
			sb_printf(&sb, "%u", m->tp_src);
			break;
		case MF_TP_DST:
			sb_printf(&sb, "%u", m->tp_dst);
			break;
		case MF_ARP_OP:
			sb_printf(&sb, "%u", m->arp_op);
			break;
		case MF_COUNT:
			break;
		}
	}
	return sb_done(&sb);
}

/* ------------------------------------------------------------------ */
/* ACTIONS */

static const char *const action_names[] = {
	[VSW_ACTION_ATTR_NORMAL] = "normal",
	[VSW_ACTION_ATTR_DROP] = "drop",
	[VSW_ACTION_ATTR_FLOOD] = "flood",
	[VSW_ACTION_ATTR_OUTPUT] = "output",
	[VSW_ACTION_ATTR_SET_VLAN_VID] = "mod_vlan_vid",
	[VSW_ACTION_ATTR_POP_VLAN] = "strip_vlan",
	[VSW_ACTION_ATTR_PUSH_VLAN] = "push_vlan",
};

static bool action_is_terminal(uint16_t type)
{
	return type == VSW_ACTION_ATTR_NORMAL || type == VSW_ACTION_ATTR_DROP ||
	       type == VSW_ACTION_ATTR_FLOOD;
}

static bool action_has_arg(uint16_t type)
{
	return type == VSW_ACTION_ATTR_OUTPUT ||
	       type == VSW_ACTION_ATTR_SET_VLAN_VID ||
	       type == VSW_ACTION_ATTR_PUSH_VLAN;
}

static int action_token(struct action *a, char *tok)
{
	char *arg = strchr(tok, ':');
	uint16_t t;

	if (!*tok)
		return parse_fail("empty action");
	if (arg)
		*arg++ = '\0';
	for (t = 1; t <= VSW_ACTION_ATTR_MAX; t++)
		if (!strcmp(tok, action_names[t]))
			break;
	if (!strcmp(tok, "pop_vlan"))
		t = VSW_ACTION_ATTR_POP_VLAN;
	if (t > VSW_ACTION_ATTR_MAX) {
		if (arg)
			arg[-1] = ':';
		return parse_fail("invalid action \"%s\"", tok);
	}
	if (!action_has_arg(t) && arg)
		return parse_fail("action \"%s\" takes no argument", tok);
	if (action_has_arg(t) && (!arg || !*arg))
		return parse_fail("missing argument for action \"%s\"", tok);
	a->type = t;
	switch (t) {
	case VSW_ACTION_ATTR_OUTPUT:
		return parse_ifname(arg, a->dev);
	case VSW_ACTION_ATTR_SET_VLAN_VID: {
		uint16_t vid;

		if (parse_vid(arg, &vid))
			return -1;
		a->arg = vid;
		return 0;
	}
	case VSW_ACTION_ATTR_PUSH_VLAN:
		if (parse_u32(arg, 0xffff, "TPID", &a->arg))
			return -1;
		if (a->arg != 0x8100 && a->arg != 0x88a8)
			return parse_fail("invalid TPID \"%s\" (0x8100 or 0x88a8)",
					  arg);
		return 0;
	}
	return 0;
}

int parse_actions(const char *s, struct actions *a)
{
	char *copy, *rest, *tok;
	int ret = 0;

	memset(a, 0, sizeof(*a));
	if (!*s)
		return parse_fail("no actions given");
	rest = copy = strdup(s);
	if (!copy)
		return parse_fail("out of memory");
	while (!ret && (tok = strsep(&rest, ","))) {
		if (a->n && action_is_terminal(a->a[a->n - 1].type))
			ret = parse_fail("action \"%s\" must be the last one",
					 action_names[a->a[a->n - 1].type]);
		else if (a->n == VSW_ACTIONS_MAX)
			ret = parse_fail("too many actions (at most %d)",
					 VSW_ACTIONS_MAX);
		else
			ret = action_token(&a->a[a->n++], tok);
	}
	free(copy);
	return ret;
}

int format_actions(const struct actions *a, char *buf, size_t len)
{
	struct sbuf sb = { buf, len, 0, false };
	unsigned int i;

	if (len)
		buf[0] = '\0';
	if (!a->n)
		sb_printf(&sb, "drop");
	for (i = 0; i < a->n; i++) {
		const struct action *x = &a->a[i];
		const char *name = x->type <= VSW_ACTION_ATTR_MAX ?
				   action_names[x->type] : NULL;

		if (i)
			sb_printf(&sb, ",");
		if (!name)
			sb_printf(&sb, "unknown_%u", x->type);
		else
			sb_printf(&sb, "%s", name);
		if (x->type == VSW_ACTION_ATTR_OUTPUT && x->dev[0])
			sb_printf(&sb, ":%s", x->dev);
		else if (x->type == VSW_ACTION_ATTR_PUSH_VLAN)
			sb_printf(&sb, ":0x%04x", x->arg);
		else if (action_has_arg(x->type))
			sb_printf(&sb, ":%u", x->arg);
	}
	return sb_done(&sb);
}

int parse_flow(const char *s, struct match *m, struct actions *a,
	       bool want_actions)
{
	const char *p = s, *acts = NULL;
	char *mstr;
	int ret;

	while ((p = strstr(p, "actions="))) {
		if (p == s || p[-1] == ',') {
			acts = p;
			break;
		}
		p++;
	}
	if (acts && !want_actions)
		return parse_fail("unexpected \"%s\" (no actions allowed here)",
				  acts);
	if (!acts && want_actions)
		return parse_fail("missing \"actions=ACTIONS\"");
	mstr = strndup(s, acts ? (size_t)(acts - s) : strlen(s));
	if (!mstr)
		return parse_fail("out of memory");
	if (acts && acts > s)
		mstr[acts - s - 1] = '\0';	/* drop the ',' before actions= */
	ret = parse_match(mstr, m);
	free(mstr);
	if (!ret && acts)
		ret = parse_actions(acts + strlen("actions="), a);
	return ret ? ret : match_check(m);
}
