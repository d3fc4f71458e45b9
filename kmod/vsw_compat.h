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

/* ---------------------------------------------------------------------- */
/* vsw_vhost's worker (vhost.c, vhost_dev.c)                              */

/*
 * The worker runs in the owner's cgroups, as drivers/vhost's does, so a
 * guest's ring processing counts against its VM. 6.12: a vhost_task, a
 * thread of the owner's process (it shares its mm, is in its cgroups by
 * construction, and dies with it). 6.1, which has no vhost_task: a
 * kthread that adopts the owner's mm and is attached to all the owner's
 * cgroups before it first runs (6.1's vhost: cgroup_attach_task_all()).
 * @fn does one round of work: false if there was none (the worker then
 * sleeps until vsw_worker_wake()); it is called in TASK_INTERRUPTIBLE and
 * sets TASK_RUNNING when it finds work. @killed is called (6.12) when the
 * owner's process is killed before vsw_worker_stop(); no @fn runs after.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0) && IS_ENABLED(CONFIG_VHOST_TASK)
#include <linux/sched/vhost_task.h>

struct vsw_worker {
	struct vhost_task *vtsk;
};

static inline int vsw_worker_start(struct vsw_worker *w, bool (*fn)(void *),
				   void (*killed)(void *), void *arg,
				   struct mm_struct *mm, const char *name)
{
	struct vhost_task *vtsk = vhost_task_create(fn, killed, arg, name);

	if (IS_ERR(vtsk))
		return PTR_ERR(vtsk);
	WRITE_ONCE(w->vtsk, vtsk);
	vhost_task_start(vtsk);
	return 0;
}

static inline void vsw_worker_wake(struct vsw_worker *w)
{
	struct vhost_task *vtsk = READ_ONCE(w->vtsk);

	if (vtsk)
		vhost_task_wake(vtsk);
}

static inline void vsw_worker_stop(struct vsw_worker *w)
{
	struct vhost_task *vtsk = w->vtsk;

	if (vtsk) {
		WRITE_ONCE(w->vtsk, NULL);
		vhost_task_stop(vtsk);
	}
}
#else
#include <linux/cgroup.h>
#include <linux/completion.h>
#include <linux/kthread.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>

struct vsw_worker {
	struct task_struct *task;
	bool (*fn)(void *arg);
	void *arg;
	struct mm_struct *mm;
	struct task_struct *owner;	/* while it starts */
	struct completion attached;
	int attach_err;
};

static inline int vsw_worker_thread(void *data)
{
	struct vsw_worker *w = data;

	/* as 6.1's vhost does, from the worker itself (a kthread is
	 * movable once it runs), before any work
	 */
	w->attach_err = cgroup_attach_task_all(w->owner, current);
	complete(&w->attached);
	if (w->attach_err)
		return w->attach_err;	/* vsw_worker_start() stops us */
	kthread_use_mm(w->mm);
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_stop()) {
			__set_current_state(TASK_RUNNING);
			break;
		}
		if (!w->fn(w->arg))
			schedule();
	}
	kthread_unuse_mm(w->mm);
	return 0;
}

static inline int vsw_worker_start(struct vsw_worker *w, bool (*fn)(void *),
				   void (*killed)(void *), void *arg,
				   struct mm_struct *mm, const char *name)
{
	struct task_struct *task;
	int err;

	w->fn = fn;
	w->arg = arg;
	w->mm = mm;
	w->owner = current;
	init_completion(&w->attached);
	task = kthread_create(vsw_worker_thread, w, "%s", name);
	if (IS_ERR(task))
		return PTR_ERR(task);
	get_task_struct(task);
	wake_up_process(task);
	wait_for_completion(&w->attached);
	w->owner = NULL;
	err = w->attach_err;
	if (err) {
		kthread_stop(task);
		put_task_struct(task);
		return err;
	}
	WRITE_ONCE(w->task, task);
	return 0;
}

static inline void vsw_worker_wake(struct vsw_worker *w)
{
	struct task_struct *task = READ_ONCE(w->task);

	if (task)
		wake_up_process(task);
}

static inline void vsw_worker_stop(struct vsw_worker *w)
{
	struct task_struct *task = w->task;

	if (task) {
		WRITE_ONCE(w->task, NULL);
		kthread_stop(task);
		put_task_struct(task);
	}
}
#endif

#endif /* _VSW_COMPAT_H */
