/* SPDX-License-Identifier: GPL-2.0 */
/* vswctl: netlink plumbing over libmnl (rtnetlink and generic netlink). */
#ifndef VSWCTL_NL_H
#define VSWCTL_NL_H

#include <stdbool.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

#define NL_BUFSZ	8192	/* request buffers */

struct nl {
	struct mnl_socket *sk;
	uint32_t portid;
	uint32_t seq;
	char extack[256];	/* NLMSGERR_ATTR_MSG of the last error */
};

/* Netlink socket with NETLINK_EXT_ACK and NETLINK_CAP_ACK set. */
int nl_open(struct nl *nl, int bus);
void nl_close(struct nl *nl);

/* Fresh request in buf (NL_BUFSZ bytes): NLM_F_REQUEST|ACK. */
struct nlmsghdr *nl_req(char *buf, uint16_t type, uint16_t flags);
struct nlmsghdr *genl_req(char *buf, uint16_t family, uint8_t cmd,
			  uint16_t flags);

/*
 * Send req and read replies up to the ACK or NLMSG_DONE; cb (may be NULL)
 * runs on each data message.  A dump is collected whole first and retried
 * when the kernel flags it NLM_F_DUMP_INTR, so cb sees a consistent table.
 * Returns 0, or a negative errno; with what != NULL the error is printed as
 * "vswctl: WHAT: <extack or strerror>".
 */
int nl_talk(struct nl *nl, struct nlmsghdr *req, mnl_cb_t cb, void *data,
	    const char *what);

/* Error code (<= 0) of an NLMSG_ERROR/NLMSG_DONE; extack text to nl->extack. */
int nl_parse_ack(struct nl *nl, const struct nlmsghdr *nlh);

/* Resolve a generic netlink family; -ENOENT if it does not exist. */
int genl_resolve(struct nl *nl, const char *name, uint16_t *id,
		 const char *group, uint32_t *group_id);

/* Attribute helpers: store attrs of type <= max in tb[] (zeroed first). */
int nla_parse(const struct nlattr *nest, const struct nlattr **tb, int max);
int nl_parse(const struct nlmsghdr *nlh, size_t hdrlen,
	     const struct nlattr **tb, int max);
int genl_parse(const struct nlmsghdr *nlh, const struct nlattr **tb, int max);
/* Unsigned value of a 1/2/4/8 byte attribute (0 if NULL or bad length). */
uint64_t nla_uint(const struct nlattr *a);
/* NUL-terminated string payload, or NULL. */
const char *nla_str(const struct nlattr *a);
/* Payload if exactly len bytes long, else NULL. */
const void *nla_bin(const struct nlattr *a, size_t len);

#endif
