/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pure parsers and formatters of vswctl: no I/O, no netlink.  On failure a
 * parser returns -1 and leaves a message quoting the bad word in
 * parse_error().
 */
#ifndef VSWCTL_PARSE_H
#define VSWCTL_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>
#include <linux/vsw.h>

#define VLIST_STRMAX	16384	/* enough for any formatted VLAN list */
#define MATCH_STRMAX	512
#define ACTIONS_STRMAX	(VSW_ACTIONS_MAX * (16 + IFNAMSIZ))

const char *parse_error(void);
int parse_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Decimal or 0x-hex, no sign, no blanks; "invalid WHAT "S" (MIN-MAX)". */
int parse_num(const char *s, uint64_t min, uint64_t max, const char *what,
	      uint64_t *v);
int parse_u8(const char *s, uint8_t max, const char *what, uint8_t *v);
int parse_u16(const char *s, uint16_t min, uint16_t max, const char *what,
	      uint16_t *v);
int parse_u32(const char *s, uint32_t max, const char *what, uint32_t *v);
int parse_bool(const char *s, const char *what, bool *v);	/* on|off */
int parse_ifname(const char *s, char name[IFNAMSIZ]);
int parse_vid(const char *s, uint16_t *vid);			/* 1..4094 */
int parse_mac(const char *s, uint8_t mac[6]);
/* MAC[/MASK]: mask set to all-ones if absent; the address is masked. */
int parse_mac_masked(const char *s, uint8_t mac[6], uint8_t mask[6]);
/* IP[/LEN]; *family is AF_INET or AF_INET6; host bits are cleared. */
int parse_prefix(const char *s, int *family, uint8_t addr[16], uint8_t *plen);
void format_mac(const uint8_t mac[6], char buf[18]);

/* VLAN lists: bit n of byte n / 8, LSB first (VSW_PORT_ATTR_TRUNKS). */
enum vlist_kind {
	VLIST_TRUNKS,	/* all|none|LIST of 1..4094; all = 1-4094 */
	VLIST_CVLANS,	/* all|LIST of 0..4094; all = empty bitmap; 0 = untagged */
};
int parse_vlist(const char *s, enum vlist_kind kind,
		uint8_t bm[VSW_VLAN_BITMAP_LEN]);
void format_vlist(const uint8_t bm[VSW_VLAN_BITMAP_LEN], enum vlist_kind kind,
		  char *buf, size_t len);
static inline bool vlist_test(const uint8_t *bm, unsigned int vid)
{
	return bm[vid / 8] & (1u << (vid % 8));
}
static inline void vlist_set(uint8_t *bm, unsigned int vid)
{
	bm[vid / 8] |= 1u << (vid % 8);
}

/* Match fields, in canonical (printing) order. */
enum match_field {
	MF_IN_PORT, MF_DL_SRC, MF_DL_DST, MF_DL_VLAN, MF_DL_VLAN_PCP,
	MF_DL_TYPE, MF_NW_SRC, MF_NW_DST, MF_NW_PROTO, MF_NW_TOS, MF_TP_SRC,
	MF_TP_DST, MF_IPV6_SRC, MF_IPV6_DST, MF_ARP_OP,
	MF_COUNT
};
#define MF(f)	(1u << (f))

struct match {
	uint32_t fields;		/* MF() bits of the fields present */
	bool has_priority;		/* "priority=N" was part of the string */
	uint16_t priority;
	char in_port[IFNAMSIZ];		/* name; in_port_ifindex set by caller */
	uint32_t in_port_ifindex;
	uint8_t dl_src[6], dl_src_mask[6];
	uint8_t dl_dst[6], dl_dst_mask[6];
	bool vlan_none;			/* dl_vlan=none */
	uint16_t dl_vlan, dl_vlan_mask;	/* mask: cache dumps only */
	uint8_t dl_vlan_pcp;
	uint16_t dl_type, dl_type_mask;	/* mask: cache dumps only */
	uint8_t nw_src[4], nw_dst[4];
	uint8_t nw_src_plen, nw_dst_plen;
	uint8_t ipv6_src[16], ipv6_dst[16];
	uint8_t ipv6_src_plen, ipv6_dst_plen;
	uint8_t nw_proto, nw_tos;
	uint16_t tp_src, tp_dst, arp_op;
};

struct action {
	uint16_t type;			/* VSW_ACTION_ATTR_* */
	uint32_t arg;			/* ifindex, VID or TPID */
	char dev[IFNAMSIZ];		/* output:DEV */
};

struct actions {
	unsigned int n;
	struct action a[VSW_ACTIONS_MAX];
};

void match_init(struct match *m);
/* Comma separated fields; "" = match all; "priority=N" is accepted. */
int parse_match(const char *s, struct match *m);
/* Check OpenFlow-style prerequisites (nw_* need dl_type, tp_* nw_proto...). */
int match_check(const struct match *m);
int format_match(const struct match *m, char *buf, size_t len);
int parse_actions(const char *s, struct actions *a);
int format_actions(const struct actions *a, char *buf, size_t len);
/*
 * "[MATCH,]actions=ACTIONS" (ovs-ofctl style).  With want_actions false an
 * actions= part is an error; with it true the part is required.
 */
int parse_flow(const char *s, struct match *m, struct actions *a,
	       bool want_actions);

#endif
