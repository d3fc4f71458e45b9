/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vsw - the few differences between the kernels vsw builds against
 * (Debian 6.1 and 6.12). Only what the module actually uses.
 */
#ifndef _VSW_COMPAT_H
#define _VSW_COMPAT_H

#include <linux/version.h>
#include <linux/netdevice.h>

/*
 * 6.12 turned the LLTX and NETNS_LOCAL feature bits into net_device
 * bitfields (Debian's 6.12 already has the later netns_immutable name).
 */
static inline void vsw_dev_set_lltx_netns_local(struct net_device *dev)
{
#ifdef NETIF_F_LLTX
	dev->features |= NETIF_F_LLTX | NETIF_F_NETNS_LOCAL;
#else
	dev->lltx = true;
	dev->netns_immutable = true;
#endif
}

/* 6.8 dropped eventfd_signal()'s count argument (it was always 1). */
#include <linux/eventfd.h>
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
#define vsw_eventfd_signal(ctx)	eventfd_signal(ctx)
#else
#define vsw_eventfd_signal(ctx)	eventfd_signal(ctx, 1)
#endif

/* 6.4 moved skb_gso_segment() and friends to <net/gso.h>. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
#include <net/gso.h>
#endif

/* ---------------------------------------------------------------------- */
/* netlink (genl.c, nl_*.c)                                               */

#include <net/genetlink.h>

/* Parsed attributes of a dump request, in .start and .dumpit. */
static inline struct nlattr **vsw_genl_dump_attrs(struct netlink_callback *cb)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
	return genl_dumpit_info(cb)->info.attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

/*
 * 6.2+ hands the request's extack to a dump's ->start(); 6.1 does not, so
 * there nl_dump.c parses dump requests in the first ->dumpit() call,
 * whose extack message reaches the NLMSG_DONE.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define VSW_NL_DUMP_START_EXTACK	1
#else
#define VSW_NL_DUMP_START_EXTACK	0
#endif

/*
 * Formatted extack messages, "vsw: " prefixed (6.3+: NL_SET_ERR_MSG_FMT).
 * Older kernels have no buffer for them in struct netlink_ext_ack and get
 * the fixed text @plain instead (the arguments are still type checked).
 */
#ifdef NL_SET_ERR_MSG_ATTR_FMT
#define VSW_NL_ERR_ATTR_FMT(extack, attr, plain, fmt, args...)		\
	NL_SET_ERR_MSG_ATTR_FMT(extack, attr, KBUILD_MODNAME ": " fmt, ##args)
#define VSW_NL_ERR_FMT(extack, plain, fmt, args...)			\
	NL_SET_ERR_MSG_FMT_MOD(extack, fmt, ##args)
#else
#define VSW_NL_ERR_ATTR_FMT(extack, attr, plain, fmt, args...) do {	\
	if (0)								\
		no_printk(fmt, ##args);					\
	NL_SET_ERR_MSG_ATTR(extack, attr, KBUILD_MODNAME ": " plain);	\
} while (0)
#define VSW_NL_ERR_FMT(extack, plain, fmt, args...) do {		\
	if (0)								\
		no_printk(fmt, ##args);					\
	NL_SET_ERR_MSG_MOD(extack, plain);				\
} while (0)
#endif

#endif /* _VSW_COMPAT_H */
