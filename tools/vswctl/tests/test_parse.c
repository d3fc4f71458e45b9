// SPDX-License-Identifier: GPL-2.0
/* Table-driven tests of the vswctl parsers and formatters (parse.c). */
#include <stdlib.h>

#include "ktest.h"
#include "parse.h"

/* Expect failure with a message containing sub. */
static void expect_err(int ret, const char *sub, const char *name)
{
	int ok = ret < 0 && strstr(parse_error(), sub);

	kt_check(ok, "%s fails", name);
	if (!ok)
		printf("#   ret %d, message: %s\n#   want message with: %s\n",
		       ret, ret < 0 ? parse_error() : "-", sub);
}

static void test_numbers(void)
{
	static const struct {
		const char *s;
		uint64_t min, max, want;
		int ok;
	} t[] = {
		{ "0", 0, 65535, 0, 1 },
		{ "65535", 0, 65535, 65535, 1 },
		{ "65536", 0, 65535, 0, 0 },
		{ "99999999999999", 0, 65535, 0, 0 },
		{ "-1", 0, 65535, 0, 0 },
		{ "", 0, 65535, 0, 0 },
		{ "0x", 0, 65535, 0, 0 },
		{ "0x10", 0, 65535, 16, 1 },
		{ "0XfF", 0, 65535, 255, 1 },
		{ "010", 0, 65535, 10, 1 },
		{ " 1", 0, 65535, 0, 0 },
		{ "1 ", 0, 65535, 0, 0 },
		{ "+1", 0, 65535, 0, 0 },
		{ "1e3", 0, 65535, 0, 0 },
		{ "18446744073709551615", 0, UINT64_MAX, UINT64_MAX, 1 },
		{ "18446744073709551616", 0, UINT64_MAX, 0, 0 },
		{ "0x10000000000000000", 0, UINT64_MAX, 0, 0 },
		{ "99999999999999999999999", 0, UINT64_MAX, 0, 0 },
		{ "4294967296", 0, UINT32_MAX, 0, 0 },
		{ "0", 1, 10, 0, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		uint64_t v = 0;
		int ret = parse_num(t[i].s, t[i].min, t[i].max, "number", &v);

		kt_check(t[i].ok ? ret == 0 && v == t[i].want : ret < 0,
			 "parse_num \"%s\" %s", t[i].s, t[i].ok ? "ok" : "fails");
	}
	{
		uint16_t prio;

		parse_u16("99999999999999", 0, 65535, "priority", &prio);
		kt_streq(parse_error(),
			 "invalid priority \"99999999999999\" (0-65535)",
			 "priority error message quotes the word");
	}
}

static void test_vids(void)
{
	static const struct {
		const char *s;
		int ok;
	} t[] = {
		{ "0", 0 }, { "1", 1 }, { "4094", 1 }, { "4095", 0 },
		{ "-1", 0 }, { "5000", 0 }, { "99999999999999999999", 0 },
		{ "abc", 0 }, { "", 0 }, { "10x", 0 }, { "0x0a", 1 },
	};
	size_t i;
	uint16_t vid;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		kt_check((parse_vid(t[i].s, &vid) == 0) == t[i].ok,
			 "parse_vid \"%s\" %s", t[i].s, t[i].ok ? "ok" : "fails");
	parse_vid("5000", &vid);
	kt_streq(parse_error(), "invalid VLAN id \"5000\" (1-4094)",
		 "VLAN id error message as in docs/cli.md");
}

static void test_misc(void)
{
	char name[IFNAMSIZ];
	bool b;

	kt_check(!parse_bool("on", "x", &b) && b, "parse_bool on");
	kt_check(!parse_bool("off", "x", &b) && !b, "parse_bool off");
	expect_err(parse_bool("yes", "learning", &b), "\"yes\"", "parse_bool yes");
	kt_check(!parse_ifname("p1", name) && !strcmp(name, "p1"), "ifname p1");
	kt_check(!parse_ifname("abcdefghijklmno", name), "ifname 15 chars");
	expect_err(parse_ifname("abcdefghijklmnop", name), "invalid device name",
		   "ifname 16 chars");
	expect_err(parse_ifname("", name), "invalid device name", "empty ifname");
	expect_err(parse_ifname("a/b", name), "\"a/b\"", "ifname with /");
	expect_err(parse_ifname("..", name), "\"..\"", "ifname ..");
}

static void test_macs(void)
{
	static const struct {
		const char *s;
		const char *want;	/* NULL: error */
	} t[] = {
		{ "aa:bb:cc:dd:ee:ff", "aa:bb:cc:dd:ee:ff" },
		{ "AA:BB:CC:DD:EE:FF", "aa:bb:cc:dd:ee:ff" },
		{ "0:1:2:3:4:5", "00:01:02:03:04:05" },
		{ "02:00:00:00:00:01", "02:00:00:00:00:01" },
		{ "aa:bb:cc:dd:ee", NULL },
		{ "aa:bb:cc:dd:ee:ff:00", NULL },
		{ "aa-bb-cc-dd-ee-ff", NULL },
		{ "gg:bb:cc:dd:ee:ff", NULL },
		{ "aaa:bb:cc:dd:ee:ff", NULL },
		{ "", NULL },
		{ "aa:bb:cc:dd:ee:ff ", NULL },
		{ ":aa:bb:cc:dd:ee:ff", NULL },
		{ "aa:bb:cc:dd:ee:", NULL },
		{ "aabbccddeeff", NULL },
	};
	uint8_t mac[6], mask[6];
	char buf[18];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int ret = parse_mac(t[i].s, mac);

		if (!t[i].want) {
			expect_err(ret, "invalid MAC address", t[i].s);
			continue;
		}
		format_mac(mac, buf);
		kt_check(!ret && !strcmp(buf, t[i].want), "parse_mac \"%s\"",
			 t[i].s);
	}
	kt_check(!parse_mac_masked("02:00:00:00:00:01/ff:ff:ff:ff:ff:fe", mac,
				   mask) && mac[5] == 0 && mask[5] == 0xfe &&
		 mask[0] == 0xff, "MAC/MASK masks the address");
	kt_check(!parse_mac_masked("02:00:00:00:00:01", mac, mask) &&
		 mask[0] == 0xff && mask[5] == 0xff && mac[5] == 1,
		 "MAC without mask: all-ones mask");
	expect_err(parse_mac_masked("02:00:00:00:00:01/ff", mac, mask),
		   "invalid MAC mask \"ff\"", "bad MAC mask");
	expect_err(parse_mac_masked("02:00:00:00:00/ff:ff:ff:ff:ff:ff", mac,
				    mask), "invalid MAC address", "bad MAC with mask");
	expect_err(parse_mac_masked("02:00:00:00:00:01/", mac, mask),
		   "invalid MAC mask", "empty MAC mask");
}

static void test_prefix(void)
{
	uint8_t a[16], plen;
	int fam;

	kt_check(!parse_prefix("10.1.2.3/8", &fam, a, &plen) && fam == AF_INET &&
		 plen == 8 && a[0] == 10 && a[1] == 0 && a[3] == 0,
		 "IPv4 /8 clears host bits");
	kt_check(!parse_prefix("10.1.2.3", &fam, a, &plen) && plen == 32 &&
		 a[3] == 3, "IPv4 without prefix");
	kt_check(!parse_prefix("2001:db8::1/64", &fam, a, &plen) &&
		 fam == AF_INET6 && plen == 64 && a[15] == 0, "IPv6 /64");
	kt_check(!parse_prefix("::1", &fam, a, &plen) && plen == 128,
		 "IPv6 without prefix");
	expect_err(parse_prefix("10.0.0.1/33", &fam, a, &plen),
		   "invalid prefix length \"33\"", "IPv4 /33");
	expect_err(parse_prefix("::1/129", &fam, a, &plen), "\"129\"", "IPv6 /129");
	expect_err(parse_prefix("10.0.0.256", &fam, a, &plen),
		   "invalid IP address \"10.0.0.256\"", "bad IPv4");
	expect_err(parse_prefix("10.0.0.1/", &fam, a, &plen), "prefix length",
		   "empty prefix");
	expect_err(parse_prefix("", &fam, a, &plen), "invalid IP", "empty IP");
}

static int bm_count(const uint8_t *bm)
{
	int n = 0, v;

	for (v = 0; v < 4096; v++)
		n += vlist_test(bm, v);
	return n;
}

static void test_vlists(void)
{
	static const struct {
		const char *s;
		enum vlist_kind kind;
		const char *want;	/* canonical form, NULL: error */
		int count;
	} t[] = {
		{ "10,20,100-199", VLIST_TRUNKS, "10,20,100-199", 102 },
		{ "all", VLIST_TRUNKS, "all", 4094 },
		{ "1-4094", VLIST_TRUNKS, "all", 4094 },
		{ "none", VLIST_TRUNKS, "none", 0 },
		{ "", VLIST_TRUNKS, "none", 0 },
		{ "10-20,15", VLIST_TRUNKS, "10-20", 11 },
		{ "15,10-20,20", VLIST_TRUNKS, "10-20", 11 },
		{ "5,3,1", VLIST_TRUNKS, "1,3,5", 3 },
		{ "10-10", VLIST_TRUNKS, "10", 1 },
		{ "1,2,3,4", VLIST_TRUNKS, "1-4", 4 },
		{ "2-4094", VLIST_TRUNKS, "2-4094", 4093 },
		{ "4094", VLIST_TRUNKS, "4094", 1 },
		{ "20-10", VLIST_TRUNKS, NULL, 0 },
		{ "0", VLIST_TRUNKS, NULL, 0 },
		{ "4095", VLIST_TRUNKS, NULL, 0 },
		{ "10,,20", VLIST_TRUNKS, NULL, 0 },
		{ "10,", VLIST_TRUNKS, NULL, 0 },
		{ ",10", VLIST_TRUNKS, NULL, 0 },
		{ "10-", VLIST_TRUNKS, NULL, 0 },
		{ "-10", VLIST_TRUNKS, NULL, 0 },
		{ "1-2-3", VLIST_TRUNKS, NULL, 0 },
		{ "x", VLIST_TRUNKS, NULL, 0 },
		{ "ALL", VLIST_TRUNKS, NULL, 0 },
		{ "all", VLIST_CVLANS, "all", 0 },
		{ "", VLIST_CVLANS, "all", 0 },
		{ "0,10", VLIST_CVLANS, "0,10", 2 },
		{ "0-4094", VLIST_CVLANS, "0-4094", 4095 },
		{ "none", VLIST_CVLANS, NULL, 0 },
		{ "4095", VLIST_CVLANS, NULL, 0 },
	};
	uint8_t bm[VSW_VLAN_BITMAP_LEN], bm2[VSW_VLAN_BITMAP_LEN];
	char buf[VLIST_STRMAX];
	size_t i;
	int r;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int ret = parse_vlist(t[i].s, t[i].kind, bm);

		if (!t[i].want) {
			kt_check(ret < 0, "vlist \"%s\" fails (%s)", t[i].s,
				 parse_error());
			continue;
		}
		format_vlist(bm, t[i].kind, buf, sizeof(buf));
		kt_check(!ret && bm_count(bm) == t[i].count &&
			 !strcmp(buf, t[i].want), "vlist \"%s\" -> \"%s\"",
			 t[i].s, buf);
	}
	parse_vlist("20-10", VLIST_TRUNKS, bm);
	kt_check(strstr(parse_error(), "\"20-10\"") != NULL,
		 "reversed range quoted: %s", parse_error());
	parse_vlist("10,5000", VLIST_TRUNKS, bm);
	kt_streq(parse_error(), "invalid VLAN id \"5000\" (1-4094)",
		 "bad VID inside a list quoted");

	/* bitmap -> string -> bitmap round trips */
	srand(1);
	for (r = 0; r < 200; r++) {
		int density = 1 + r % 7;
		unsigned int v;

		memset(bm, 0, sizeof(bm));
		for (v = 1; v <= VSW_VID_MAX; v++)
			if (rand() % 8 < density)
				vlist_set(bm, v);
		format_vlist(bm, VLIST_TRUNKS, buf, sizeof(buf));
		if (parse_vlist(buf, VLIST_TRUNKS, bm2) ||
		    memcmp(bm, bm2, sizeof(bm)))
			break;
	}
	kt_check(r == 200, "200 random bitmaps round trip through LIST strings");
	memset(bm, 0, sizeof(bm));
	for (r = 1; r <= VSW_VID_MAX; r += 2)
		vlist_set(bm, r);
	format_vlist(bm, VLIST_TRUNKS, buf, sizeof(buf));
	kt_check(!parse_vlist(buf, VLIST_TRUNKS, bm2) && !memcmp(bm, bm2, sizeof(bm)) &&
		 strlen(buf) < VLIST_STRMAX - 1, "worst-case list (odd VIDs) fits");
	kt_check(bm[1] == 0xaa, "bit n is byte n/8, bit n%%8, LSB first");
}

static void test_matches(void)
{
	static const struct {
		const char *s;
		const char *want;	/* canonical; NULL: error */
		const char *err;	/* substring of the error */
	} t[] = {
		{ "", "", NULL },
		{ "in_port=p1", "in_port=p1", NULL },
		{ "dl_src=02:00:00:00:00:01", "dl_src=02:00:00:00:00:01", NULL },
		{ "dl_src=02:00:00:00:00:01/ff:ff:ff:ff:ff:fe",
		  "dl_src=02:00:00:00:00:00/ff:ff:ff:ff:ff:fe", NULL },
		{ "dl_dst=FF:FF:FF:FF:FF:FF", "dl_dst=ff:ff:ff:ff:ff:ff", NULL },
		{ "dl_dst=01:00:00:00:00:00/01:00:00:00:00:00",
		  "dl_dst=01:00:00:00:00:00/01:00:00:00:00:00", NULL },
		{ "dl_src=00:00:00:00:00:00/00:00:00:00:00:00", "", NULL },
		{ "dl_vlan=10", "dl_vlan=10", NULL },
		{ "dl_vlan=none", "dl_vlan=none", NULL },
		{ "dl_vlan=0", NULL, "invalid VLAN id \"0\"" },
		{ "dl_vlan=4095", NULL, "\"4095\"" },
		{ "dl_vlan_pcp=7", "dl_vlan_pcp=7", NULL },
		{ "dl_vlan_pcp=8", NULL, "invalid VLAN PCP \"8\"" },
		{ "dl_type=0x0800", "dl_type=0x0800", NULL },
		{ "dl_type=2048", "dl_type=0x0800", NULL },
		{ "dl_type=0x88b5", "dl_type=0x88b5", NULL },
		{ "dl_type=0x10000", NULL, "invalid ethertype" },
		{ "ip", "dl_type=0x0800", NULL },
		{ "arp", "dl_type=0x0806", NULL },
		{ "ipv6", "dl_type=0x86dd", NULL },
		{ "tcp", "dl_type=0x0800,nw_proto=6", NULL },
		{ "udp", "dl_type=0x0800,nw_proto=17", NULL },
		{ "icmp", "dl_type=0x0800,nw_proto=1", NULL },
		{ "tcp6", "dl_type=0x86dd,nw_proto=6", NULL },
		{ "ip,nw_src=10.0.0.1", "dl_type=0x0800,nw_src=10.0.0.1", NULL },
		{ "ip,nw_src=10.0.0.1/24", "dl_type=0x0800,nw_src=10.0.0.0/24", NULL },
		{ "ip,nw_src=192.0.2.0/31", "dl_type=0x0800,nw_src=192.0.2.0/31", NULL },
		{ "ip,nw_dst=10.0.0.0/0", "dl_type=0x0800", NULL },
		{ "ip,nw_dst=10.0.0.0/33", NULL, "\"33\"" },
		{ "ip,nw_dst=10.0.0.300", NULL, "invalid IP address \"10.0.0.300\"" },
		{ "ip,nw_proto=47,nw_tos=16", "dl_type=0x0800,nw_proto=47,nw_tos=16", NULL },
		{ "ip,nw_tos=256", NULL, "invalid IP TOS \"256\"" },
		{ "ip,nw_proto=256", NULL, "invalid IP protocol \"256\"" },
		{ "tcp,tp_dst=80", "dl_type=0x0800,nw_proto=6,tp_dst=80", NULL },
		{ "udp,tp_src=53,tp_dst=5353",
		  "dl_type=0x0800,nw_proto=17,tp_src=53,tp_dst=5353", NULL },
		{ "tcp,tp_dst=65536", NULL, "invalid L4 port \"65536\"" },
		{ "arp,arp_op=2", "dl_type=0x0806,arp_op=2", NULL },
		{ "ipv6,ipv6_src=2001:db8::1/64", "dl_type=0x86dd,ipv6_src=2001:db8::/64", NULL },
		{ "ipv6,ipv6_dst=fe80::1", "dl_type=0x86dd,ipv6_dst=fe80::1", NULL },
		{ "ipv6,nw_src=2001:db8::1", "dl_type=0x86dd,ipv6_src=2001:db8::1", NULL },
		{ "ipv6,nw_dst=2001:db8::/32", "dl_type=0x86dd,ipv6_dst=2001:db8::/32", NULL },
		{ "ipv6_src=10.0.0.1", NULL, "invalid IPv6 address \"10.0.0.1\"" },
		{ "nw_src=2001:db8::1,ipv6_src=2001:db8::2", NULL,
		  "duplicate match field \"ipv6_src\"" },
		{ "tp_dst=80,tcp,in_port=p1,dl_vlan=10",
		  "in_port=p1,dl_vlan=10,dl_type=0x0800,nw_proto=6,tp_dst=80", NULL },
		{ "in_port=p1,dl_src=02:00:00:00:00:01,dl_dst=02:00:00:00:00:02,"
		  "dl_vlan=10,dl_vlan_pcp=3,dl_type=0x0800,nw_src=10.0.0.1,"
		  "nw_dst=10.0.0.2,nw_proto=6,nw_tos=4,tp_src=1,tp_dst=2",
		  "in_port=p1,dl_src=02:00:00:00:00:01,dl_dst=02:00:00:00:00:02,"
		  "dl_vlan=10,dl_vlan_pcp=3,dl_type=0x0800,nw_src=10.0.0.1,"
		  "nw_dst=10.0.0.2,nw_proto=6,nw_tos=4,tp_src=1,tp_dst=2", NULL },
		{ "ip,tcp", "dl_type=0x0800,nw_proto=6", NULL },
		{ "tcp,ip,dl_type=0x0800,nw_proto=6", "dl_type=0x0800,nw_proto=6", NULL },
		{ "arp,tcp", NULL, "conflicting match field \"tcp\"" },
		{ "dl_type=0x0806,ip", NULL, "conflicting match field \"ip\"" },
		{ "tcp,nw_proto=17", NULL, "conflicting match field \"nw_proto\"" },
		{ "foo=1", NULL, "unknown match field \"foo\"" },
		{ "bogus", NULL, "unknown match field \"bogus\"" },
		{ "in_port=p1,in_port=p2", NULL, "duplicate match field \"in_port\"" },
		{ "dl_type=0x800,dl_type=0x800", NULL, "duplicate match field \"dl_type\"" },
		{ "dl_src=", NULL, "missing value for \"dl_src\"" },
		{ "dl_src", NULL, "missing value for \"dl_src\"" },
		{ "=5", NULL, "missing match field name" },
		{ "in_port=", NULL, "missing value" },
		{ "in_port=abcdefghijklmnopq", NULL, "invalid device name" },
		{ ",in_port=p1", NULL, "empty match field" },
		{ "in_port=p1,", NULL, "empty match field" },
		{ "ip=1", NULL, "unknown match field \"ip\"" },
		{ "priority=100,in_port=p1", "priority=100,in_port=p1", NULL },
		{ "in_port=p1,priority=0", "priority=0,in_port=p1", NULL },
		{ "priority=70000", NULL, "invalid priority \"70000\" (0-65535)" },
		{ "priority=1,priority=2", NULL, "duplicate match field \"priority\"" },
	};
	char buf[MATCH_STRMAX];
	struct match m, m2;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int ret = parse_match(t[i].s, &m);

		if (!t[i].want) {
			expect_err(ret, t[i].err, t[i].s);
			continue;
		}
		format_match(&m, buf, sizeof(buf));
		kt_check(!ret && !strcmp(buf, t[i].want),
			 "match \"%s\" -> \"%s\"", t[i].s, ret ? parse_error() : buf);
		/* canonical form parses back to the same struct */
		kt_check(!parse_match(buf, &m2) && !memcmp(&m, &m2, sizeof(m)),
			 "match \"%s\" round trip", buf);
	}
	kt_check(format_match(&m, buf, 4) < 0, "format_match reports truncation");
}

static void test_actions(void)
{
	static const struct {
		const char *s;
		const char *want;
		const char *err;
	} t[] = {
		{ "normal", "normal", NULL },
		{ "drop", "drop", NULL },
		{ "flood", "flood", NULL },
		{ "output:p1", "output:p1", NULL },
		{ "mod_vlan_vid:10", "mod_vlan_vid:10", NULL },
		{ "strip_vlan", "strip_vlan", NULL },
		{ "pop_vlan", "strip_vlan", NULL },
		{ "push_vlan:0x8100", "push_vlan:0x8100", NULL },
		{ "push_vlan:0x88a8", "push_vlan:0x88a8", NULL },
		{ "push_vlan:33024", "push_vlan:0x8100", NULL },
		{ "output:p1,output:p2,normal", "output:p1,output:p2,normal", NULL },
		{ "push_vlan:0x88a8,mod_vlan_vid:100,output:p4",
		  "push_vlan:0x88a8,mod_vlan_vid:100,output:p4", NULL },
		{ "strip_vlan,output:p2", "strip_vlan,output:p2", NULL },
		{ "normal,output:p1", NULL, "action \"normal\" must be the last one" },
		{ "drop,drop", NULL, "action \"drop\" must be the last one" },
		{ "flood,strip_vlan", NULL, "action \"flood\" must be the last one" },
		{ "", NULL, "no actions given" },
		{ "output:", NULL, "missing argument for action \"output\"" },
		{ "output", NULL, "missing argument" },
		{ "normal:1", NULL, "action \"normal\" takes no argument" },
		{ "mod_vlan_vid:4095", NULL, "invalid VLAN id \"4095\"" },
		{ "mod_vlan_vid:0", NULL, "invalid VLAN id \"0\"" },
		{ "push_vlan:0x8101", NULL, "invalid TPID \"0x8101\"" },
		{ "push_vlan:0x188a8", NULL, "invalid TPID" },
		{ "foo", NULL, "invalid action \"foo\"" },
		{ "foo:bar", NULL, "invalid action \"foo:bar\"" },
		{ "output:p1,,drop", NULL, "empty action" },
		{ "drop,", NULL, "must be the last" },
		{ "output:p1,", NULL, "empty action" },
		{ "output:a/b", NULL, "invalid device name \"a/b\"" },
	};
	char buf[ACTIONS_STRMAX], big[1024];
	struct actions a, a2;
	size_t i;
	int n;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int ret = parse_actions(t[i].s, &a);

		if (!t[i].want) {
			expect_err(ret, t[i].err, t[i].s);
			continue;
		}
		format_actions(&a, buf, sizeof(buf));
		kt_check(!ret && !strcmp(buf, t[i].want), "actions \"%s\" -> \"%s\"",
			 t[i].s, ret ? parse_error() : buf);
		kt_check(!parse_actions(buf, &a2) && !memcmp(&a, &a2, sizeof(a)),
			 "actions \"%s\" round trip", buf);
	}
	for (big[0] = '\0', n = 0; n < 31; n++)
		strcat(big, "output:p1,");
	strcat(big, "normal");
	kt_check(!parse_actions(big, &a) && a.n == 32, "32 actions accepted");
	strcat(big, ",drop");
	expect_err(parse_actions(big, &a), "must be the last", "normal then drop");
	for (big[0] = '\0', n = 0; n < 33; n++)
		strcat(big, n ? ",strip_vlan" : "strip_vlan");
	expect_err(parse_actions(big, &a), "too many actions (at most 32)",
		   "33 actions");
	a.n = 0;
	format_actions(&a, buf, sizeof(buf));
	kt_streq(buf, "drop", "empty action list prints as drop");
}

static void test_flows(void)
{
	static const struct {
		const char *s;
		bool want_actions;
		const char *match, *actions;	/* NULL match: error */
		const char *err;
	} t[] = {
		{ "in_port=p1,dl_vlan=10,actions=drop", true, "in_port=p1,dl_vlan=10",
		  "drop", NULL },
		{ "actions=normal", true, "", "normal", NULL },
		{ "priority=5,ip,actions=output:p1,output:p2", true,
		  "priority=5,dl_type=0x0800", "output:p1,output:p2", NULL },
		{ "in_port=p1,dl_type=0x88b5,actions=drop", true,
		  "in_port=p1,dl_type=0x88b5", "drop", NULL },
		{ "ip,nw_proto=6,tp_dst=80,actions=drop", true,
		  "dl_type=0x0800,nw_proto=6,tp_dst=80", "drop", NULL },
		{ "in_port=p1", false, "in_port=p1", NULL, NULL },
		{ "", false, "", NULL, NULL },
		{ "in_port=p1", true, NULL, NULL, "missing \"actions=ACTIONS\"" },
		{ "", true, NULL, NULL, "missing \"actions=" },
		{ "in_port=p1,actions=drop", false, NULL, NULL, "unexpected \"actions=drop\"" },
		{ "actions=", true, NULL, NULL, "no actions given" },
		{ "in_port=p1,actions=normal,drop", true, NULL, NULL, "must be the last" },
		{ "nw_src=10.0.0.1,actions=drop", true, NULL, NULL,
		  "match field \"nw_src\" needs dl_type=0x0800" },
		{ "ipv6,nw_src=10.0.0.1,actions=drop", true, NULL, NULL,
		  "\"nw_src\" needs dl_type=0x0800" },
		{ "ip,ipv6_dst=::1,actions=drop", true, NULL, NULL,
		  "\"ipv6_dst\" needs dl_type=0x86dd" },
		{ "ip,tp_dst=80,actions=drop", true, NULL, NULL,
		  "\"tp_dst\" needs nw_proto" },
		{ "icmp,tp_src=80,actions=drop", true, NULL, NULL, "needs nw_proto" },
		{ "arp_op=1,actions=drop", true, NULL, NULL, "needs dl_type=0x0806" },
		{ "nw_proto=6,actions=drop", true, NULL, NULL, "\"nw_proto\" needs dl_type" },
		{ "ipv6,nw_tos=4,actions=drop", true, "dl_type=0x86dd,nw_tos=4", "drop", NULL },
	};
	char mbuf[MATCH_STRMAX], abuf[ACTIONS_STRMAX];
	struct match m;
	struct actions a;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int ret = parse_flow(t[i].s, &m, &a, t[i].want_actions);

		if (!t[i].match) {
			expect_err(ret, t[i].err, t[i].s);
			continue;
		}
		format_match(&m, mbuf, sizeof(mbuf));
		if (t[i].actions)
			format_actions(&a, abuf, sizeof(abuf));
		kt_check(!ret && !strcmp(mbuf, t[i].match) &&
			 (!t[i].actions || !strcmp(abuf, t[i].actions)),
			 "flow \"%s\"", t[i].s);
	}
}

int main(void)
{
	kt_begin("parse");
	test_numbers();
	test_vids();
	test_misc();
	test_macs();
	test_prefix();
	test_vlists();
	test_matches();
	test_actions();
	test_flows();
	return kt_end("parse");
}
