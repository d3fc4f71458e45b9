/* SPDX-License-Identifier: GPL-2.0 */
/* vswctl: declarations shared by the command files. */
#ifndef VSWCTL_H
#define VSWCTL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <net/if.h>
#include <linux/vsw.h>

#include "json.h"
#include "nl.h"
#include "parse.h"

struct opts {
	bool json, pretty, stats;
	const char *netns;
	const char *batch;
	bool check;	/* vswctl apply's syntax pass: no kernel access */
};
extern struct opts opt;
extern FILE *out;		/* command output (stdout; tests redirect) */
#define ERR_PREFIX_LEN 4200
extern char err_prefix[ERR_PREFIX_LEN];	/* "FILE:LINE: " in batch mode */
extern bool want_usage;		/* a syntax error was reported */

/* "vswctl: ..." on stderr; returns -1. */
int err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Like err() for bad syntax: usage is printed afterwards. */
int usage_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* err() with the message of the last failed parser. */
int perr(void);
void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Lazily opened sockets; NULL after printing an error. */
struct nl *rtnl(void);
void sockets_close(void);
struct nl *genl(void);
extern uint16_t vsw_family;
extern uint32_t vsw_events_group;
/* Fresh vsw request in buf (no module needed: vsw_talk() sets the family). */
struct nlmsghdr *vsw_req(char *buf, uint8_t cmd, uint16_t flags);
/* Put VSW_ATTR_IFNAME of a switch after checking the name. */
int put_switch(struct nlmsghdr *nlh, const char *name);
/* Send a vsw request (see nl_talk()); 0 or -1, errors printed. */
int vsw_talk(struct nlmsghdr *req, mnl_cb_t cb, void *data, const char *what);

/* Argument helpers. */
#define NEXT_ARG() do { if (next_arg(&argc, &argv)) return -1; } while (0)
int next_arg(int *argc, char ***argv);
bool matches(const char *arg, const char *word);
/*
 * Index of word in an array of structs whose first member is the keyword
 * (const char *); -1 with an error if unknown or already in *seen.
 */
int kw_find(const char *word, const void *tab, size_t n, size_t size,
	    unsigned int *seen, const char *what);
#define KW_FIND(word, tab, seen, what) \
	kw_find(word, tab, sizeof(tab) / sizeof((tab)[0]), sizeof((tab)[0]), \
		seen, what)
int dev_index(const char *name, uint32_t *ifindex);
const char *ifname_of(uint32_t ifindex, char buf[IFNAMSIZ]);

/* Name of an interface from a name attribute, else from an ifindex one. */
const char *attr_ifname(const struct nlattr *name, const struct nlattr *index,
			char buf[IFNAMSIZ]);

/* rtnetlink (link.c) */
struct link_info {
	uint32_t ifindex, master;
	char kind[32];		/* IFLA_INFO_KIND, "" if none */
};
/* Look a link up by name (ifindex 0) or by ifindex; errors printed. */
int link_get(const char *name, uint32_t ifindex, struct link_info *li);
/* link_get() of a device that must be a vsw switch. */
int link_get_switch(const char *name, struct link_info *li);
int link_add_vsw(const char *name);
int link_del(uint32_t ifindex, const char *what);
int link_set_master(uint32_t ifindex, uint32_t master, const char *what);

extern const char *const vlan_mode_names[__VSW_VLAN_MODE_MAX];
/* port.c: "port set" options (KEY VALUE...) as PORT nest attributes */
int port_cfg_put(struct nlmsghdr *nlh, int argc, char **argv);
/* port.c: the configuration keys of "port show -j" from a PORT nest */
void port_cfg_json(const struct nlattr *const *pa);
extern const char *const priority_tags_names[__VSW_PRIORITY_TAGS_MAX];
/* "802.1ad" / "802.1q" for a qinq-ethtype TPID, NULL if neither */
const char *qinq_ethtype_name(unsigned int tpid);

/*
 * Options of "port set" (port.c) and "switch set" (switch.c): their parsers
 * and "vswctl save" (save.c, which prints an option unless its value is
 * the default, def) read the same tables, so a new option is one row.
 */
enum port_kw_kind {
	K_MODE, K_TAG, K_TRUNKS, K_CVLANS, K_BOOL, K_U32, K_PRIO_TAGS, K_QINQ,
	K_PPS
};
struct port_kw {
	const char *kw;
	uint16_t attr;			/* VSW_PORT_ATTR_* */
	enum port_kw_kind kind;
	const char *def;		/* value of a new port, as printed */
};
extern const struct port_kw port_kws[];
extern const size_t n_port_kws;

struct switch_kw {
	const char *kw, *what;
	uint16_t attr;			/* VSW_ATTR_*, u32 */
	uint32_t min, max;
	const char *def;		/* value of a new switch, as printed */
};
extern const struct switch_kw switch_kws[];
extern const size_t n_switch_kws;

/* Output helpers shared by show commands. */
/*
 * A show prints one JSON array: "[" before the first entry (show_begin()),
 * "]" at the end (show_end(), which prints "[]" if nothing came and nothing
 * at all after an error before the first entry).
 */
void show_begin(void);
void show_end(int ret);
/* vsw_talk() whose callback output is inside the show's JSON array. */
int show_talk(struct nlmsghdr *req, mnl_cb_t cb, void *data, const char *what);
void print_stats(const struct nlattr *stats, const char *indent);
void json_stats(const char *key, const struct nlattr *stats);

int do_switch(int argc, char **argv);
int do_port(int argc, char **argv);
int do_fdb(int argc, char **argv);
int do_flow(int argc, char **argv);
int do_cache(int argc, char **argv);
int do_vlan(int argc, char **argv);
int do_monitor(int argc, char **argv);
int do_apply(int argc, char **argv);

/* Batch mode (vswctl.c), also used by apply.c. */
#define BATCH_MAXARGS 256
/* Split a line into words ("..." '...' quote, # comments); count or -1. */
int split_line(char *p, char **argv);
/* Run one command (argv[0] is the object). */
int do_cmd(int argc, char **argv);
int do_save(int argc, char **argv);
/* save.c: " KW VALUE" for each option of a DEFAULT_PORT nest that differs
 * from a new port's ("" if none), malloc'd; NULL if out of memory
 */
char *port_default_text(const struct nlattr *nest);

/* Callbacks, exported for the unit tests. */
int switch_show_cb(const struct nlmsghdr *nlh, void *data);
int port_show_cb(const struct nlmsghdr *nlh, void *data);
int fdb_show_cb(const struct nlmsghdr *nlh, void *data);
int flow_show_cb(const struct nlmsghdr *nlh, void *data);
int cache_show_cb(const struct nlmsghdr *nlh, void *data);
int vlan_show_cb(const struct nlmsghdr *nlh, void *data);
int vlan_stats_cb(const struct nlmsghdr *nlh, void *data);
int monitor_cb(const struct nlmsghdr *nlh, void *data);

/* Netlink nests <-> struct match / struct actions (flow.c). */
void match_to_nl(struct nlmsghdr *nlh, uint16_t type, const struct match *m);
void actions_to_nl(struct nlmsghdr *nlh, uint16_t type, const struct actions *a);
int match_from_nl(const struct nlattr *nest, struct match *m);
int actions_from_nl(const struct nlattr *nest, struct actions *a);

#endif
