// SPDX-License-Identifier: GPL-2.0
/*
 * vsw_vhost - the /dev/vhost-vsw character device: one struct vsw_vhost per open,
 * the files it polls (kick eventfds, the tap), the vhost-net ioctls that set
 * up the owner (and its worker), memory table, rings and backend, and the
 * module. What runs on the rings is in vhost.c; see there for the overview.
 */

#include "vhost.h"

/* ---------------------------------------------------------------------- */
/* Kick eventfds                                                          */

static int vsw_vhost_poll_wake(wait_queue_entry_t *wait, unsigned int mode,
			       int sync, void *key)
{
	struct vsw_vhost_poll *p = container_of(wait, struct vsw_vhost_poll, wait);

	if (!(key_to_poll(key) & EPOLLIN))
		return 0;
	if (p->count)
		atomic64_inc(p->count);
	vsw_vhost_queue_work(p->vv, p->work);
	return 0;
}

static void vsw_vhost_poll_queue_proc(struct file *file,
				      wait_queue_head_t *wqh, poll_table *pt)
{
	struct vsw_vhost_poll *p = container_of(pt, struct vsw_vhost_poll, pt);

	p->wqh = wqh;
	add_wait_queue(wqh, &p->wait);
}

static void vsw_vhost_poll_init(struct vsw_vhost_poll *p, struct vsw_vhost *vv,
				unsigned int work, atomic64_t *count)
{
	p->vv = vv;
	p->work = work;
	p->count = count;
	init_waitqueue_func_entry(&p->wait, vsw_vhost_poll_wake);
	init_poll_funcptr(&p->pt, vsw_vhost_poll_queue_proc);
}

/* After this no wakeup of @p runs (remove_wait_queue takes the lock). */
void vsw_vhost_poll_stop(struct vsw_vhost_poll *p)
{
	if (p->wqh)
		remove_wait_queue(p->wqh, &p->wait);
	p->wqh = NULL;
}

int vsw_vhost_poll_start(struct vsw_vhost_poll *p, struct file *file)
{
	__poll_t mask = vfs_poll(file, &p->pt);

	if (!p->wqh)
		return -EINVAL;		/* not pollable */
	if (mask & EPOLLIN)
		vsw_vhost_queue_work(p->vv, p->work);
	return 0;
}

/* vq->mutex */
static void vsw_vhost_kick_stop(struct vsw_vhost_vq *vq)
{
	vsw_vhost_poll_stop(&vq->kick_poll);
	if (vq->kick)
		fput(vq->kick);
	vq->kick = NULL;
}

/* vq->mutex */
static int vsw_vhost_kick_start(struct vsw_vhost_vq *vq, struct file *file)
{
	int err = vsw_vhost_poll_start(&vq->kick_poll, file);

	if (!err)
		vq->kick = file;
	return err;
}

/* ---------------------------------------------------------------------- */
/* ioctls                                                                 */

static void vsw_vhost_vq_reset(struct vsw_vhost_vq *vq)
{
	vsw_vhost_kick_stop(vq);
	if (vq->call)
		eventfd_ctx_put(vq->call);
	if (vq->err)
		eventfd_ctx_put(vq->err);
	vq->call = NULL;
	vq->err = NULL;
	vq->num = 0;
	vq->desc = NULL;
	vq->avail = NULL;
	vq->used = NULL;
	vq->last_avail_idx = 0;
	vq->avail_idx = 0;
	vq->last_used_idx = 0;
	vq->signalled_used_valid = false;
	vq->ready = false;
	vq->broken = false;
}

/* vv->mutex: back to the state of a fresh open. */
static void vsw_vhost_reset(struct vsw_vhost *vv)
{
	int i;

	/* no kick and (after vsw_vhost_unbind) no xmit wakes the worker any more */
	for (i = 0; i < VSW_VHOST_NVQS; i++) {
		mutex_lock(&vv->vqs[i].mutex);
		vv->vqs[i].ready = false;
		vsw_vhost_kick_stop(&vv->vqs[i]);
		mutex_unlock(&vv->vqs[i].mutex);
	}
	vsw_vhost_unbind(vv);
	if (vv->has_worker)
		vsw_worker_stop(&vv->worker);
	vv->has_worker = false;
	vv->pending = 0;
	for (i = 0; i < VSW_VHOST_NVQS; i++) {
		mutex_lock(&vv->vqs[i].mutex);
		vsw_vhost_vq_reset(&vv->vqs[i]);
		mutex_unlock(&vv->vqs[i].mutex);
	}
	kfree(vv->mem);
	vv->mem = NULL;
	vv->features = 0;
	vv->hdr_len = sizeof(struct virtio_net_hdr);
	if (vv->mm)
		mmput(vv->mm);
	vv->mm = NULL;
}

static int vsw_vhost_set_owner(struct vsw_vhost *vv)
{
	char name[TASK_COMM_LEN];
	int err;

	if (vv->mm)
		return -EBUSY;
	vv->mm = get_task_mm(current);
	if (!vv->mm)
		return -EINVAL;
	/* in the owner's cgroups, as drivers/vhost's worker */
	snprintf(name, sizeof(name), "vhost-vsw-%d", current->pid);
	err = vsw_worker_start(&vv->worker, vsw_vhost_work,
			       vsw_vhost_worker_killed, vv, vv->mm, name);
	if (err) {
		mmput(vv->mm);
		vv->mm = NULL;
		return err;
	}
	vv->has_worker = true;
	return 0;
}

static int vsw_vhost_set_features(struct vsw_vhost *vv, u64 features)
{
	int i;

	if (features & ~VSW_VHOST_FEATURES)
		return -EOPNOTSUPP;
	for (i = 0; i < VSW_VHOST_NVQS; i++)
		mutex_lock_nested(&vv->vqs[i].mutex, i);
	vv->features = features;
	vv->hdr_len = (features & (BIT_ULL(VIRTIO_F_VERSION_1) |
				   BIT_ULL(VIRTIO_NET_F_MRG_RXBUF))) ?
		      sizeof(struct virtio_net_hdr_mrg_rxbuf) :
		      sizeof(struct virtio_net_hdr);
	for (i = VSW_VHOST_NVQS - 1; i >= 0; i--)
		mutex_unlock(&vv->vqs[i].mutex);
	return 0;
}

static int vsw_vhost_set_mem_table(struct vsw_vhost *vv, struct vhost_memory __user *um)
{
	struct vsw_vhost_mem *mem, *old;
	struct vhost_memory hdr;
	u32 i;

	if (copy_from_user(&hdr, um, sizeof(hdr)))
		return -EFAULT;
	if (hdr.padding)
		return -EOPNOTSUPP;
	if (hdr.nregions > VSW_VHOST_MAX_REGIONS)
		return -E2BIG;
	mem = kmalloc(struct_size(mem, regions, hdr.nregions), GFP_KERNEL);
	if (!mem)
		return -ENOMEM;
	mem->nregions = hdr.nregions;
	if (copy_from_user(mem->regions, um->regions,
			   flex_array_size(mem, regions, hdr.nregions))) {
		kfree(mem);
		return -EFAULT;
	}
	for (i = 0; i < mem->nregions; i++) {
		const struct vhost_memory_region *r = &mem->regions[i];

		if (!r->memory_size ||
		    r->guest_phys_addr + r->memory_size - 1 < r->guest_phys_addr ||
		    r->userspace_addr + r->memory_size - 1 < r->userspace_addr ||
		    !access_ok(u64_to_user_ptr(r->userspace_addr),
			       r->memory_size)) {
			kfree(mem);
			return -EFAULT;
		}
	}
	for (i = 0; i < VSW_VHOST_NVQS; i++)
		mutex_lock_nested(&vv->vqs[i].mutex, i);
	old = vv->mem;
	vv->mem = mem;
	for (i = VSW_VHOST_NVQS; i-- > 0;)
		mutex_unlock(&vv->vqs[i].mutex);
	kfree(old);
	return 0;
}

static int vsw_vhost_set_backend(struct vsw_vhost *vv, struct vhost_vring_file __user *argp)
{
	struct vhost_vring_file f;
	struct file *file = NULL;
	struct vsw_vhost_vq *vq;
	__virtio16 used;
	int err = 0;

	if (copy_from_user(&f, argp, sizeof(f)))
		return -EFAULT;
	if (f.index >= VSW_VHOST_NVQS)
		return -ENOBUFS;
	vq = &vv->vqs[f.index];

	if (f.fd == -1) {
		mutex_lock(&vq->mutex);
		vq->ready = false;
		mutex_unlock(&vq->mutex);
		if (!vv->vqs[0].ready && !vv->vqs[1].ready)
			vsw_vhost_unbind(vv);
		return 0;
	}

	file = fget(f.fd);
	if (!file)
		return -EBADF;
	if (vv->tap && vv->tap != file) {
		fput(file);
		return -EBUSY;	/* both queues serve one tap */
	}
	mutex_lock(&vq->mutex);
	if (!vq->num || !vq->desc) {
		err = -EFAULT;	/* as vhost: ring not set up */
		goto unlock;
	}
	if (get_user(used, &vq->used->idx)) {
		err = -EFAULT;
		goto unlock;
	}
	mutex_unlock(&vq->mutex);

	if (!vv->tap) {
		err = vsw_vhost_bind_tap(vv, file);
		if (err) {
			fput(file);
			return err;
		}
	} else {
		fput(file);	/* already hold it */
	}

	mutex_lock(&vq->mutex);
	vq->last_used_idx = vv16(used);
	vq->signalled_used_valid = false;
	vq->broken = false;
	vq->ready = true;
	vsw_vhost_queue_work(vv, vq->index);
	mutex_unlock(&vq->mutex);
	return 0;

unlock:
	mutex_unlock(&vq->mutex);
	fput(file);
	return err;
}

static int vsw_vhost_vring_ioctl(struct vsw_vhost *vv, unsigned int cmd, void __user *argp)
{
	struct vhost_vring_state s;
	struct vhost_vring_addr a;
	struct vhost_vring_file f;
	struct eventfd_ctx *ctx = NULL;
	struct file *file = NULL;
	struct vsw_vhost_vq *vq;
	u32 index;
	int err = 0;

	if (get_user(index, (u32 __user *)argp))
		return -EFAULT;
	if (index >= VSW_VHOST_NVQS)
		return -ENOBUFS;
	vq = &vv->vqs[index];

	switch (cmd) {
	case VHOST_SET_VRING_NUM:
	case VHOST_SET_VRING_BASE:
	case VHOST_GET_VRING_BASE:
		if (copy_from_user(&s, argp, sizeof(s)))
			return -EFAULT;
		break;
	case VHOST_SET_VRING_ADDR:
		if (copy_from_user(&a, argp, sizeof(a)))
			return -EFAULT;
		break;
	case VHOST_SET_VRING_KICK:
	case VHOST_SET_VRING_CALL:
	case VHOST_SET_VRING_ERR:
		if (copy_from_user(&f, argp, sizeof(f)))
			return -EFAULT;
		if (f.fd == -1)
			break;
		if (cmd == VHOST_SET_VRING_KICK) {
			file = eventfd_fget(f.fd);
			if (IS_ERR(file))
				return PTR_ERR(file);
		} else {
			ctx = eventfd_ctx_fdget(f.fd);
			if (IS_ERR(ctx))
				return PTR_ERR(ctx);
		}
		break;
	default:
		return -ENOIOCTLCMD;
	}

	mutex_lock(&vq->mutex);
	switch (cmd) {
	case VHOST_SET_VRING_NUM:
		if (vq->ready)
			err = -EBUSY;
		else if (!s.num || s.num > 32768 || (s.num & (s.num - 1)))
			err = -EINVAL;
		else
			vq->num = s.num;
		break;
	case VHOST_SET_VRING_BASE:
		if (vq->ready) {
			err = -EBUSY;
		} else if (s.num > 0xffff) {
			err = -EINVAL;
		} else {
			vq->last_avail_idx = s.num;
			vq->avail_idx = s.num;
			vq->broken = false;
		}
		break;
	case VHOST_GET_VRING_BASE:
		s.num = vq->last_avail_idx;
		if (copy_to_user(argp, &s, sizeof(s)))
			err = -EFAULT;
		break;
	case VHOST_SET_VRING_ADDR:
		if (vq->ready) {
			err = -EBUSY;
		} else if (a.flags & ~BIT(VHOST_VRING_F_LOG)) {
			err = -EOPNOTSUPP;
		} else if (!vq->num ||
			   (a.desc_user_addr & 15) || (a.avail_user_addr & 1) ||
			   (a.used_user_addr & 3)) {
			err = -EINVAL;
		} else if (!access_ok(u64_to_user_ptr(a.desc_user_addr),
				      vq->num * sizeof(struct vring_desc)) ||
			   !access_ok(u64_to_user_ptr(a.avail_user_addr),
				      sizeof(struct vring_avail) +
				      (vq->num + 1) * sizeof(__virtio16)) ||
			   !access_ok(u64_to_user_ptr(a.used_user_addr),
				      sizeof(struct vring_used) +
				      vq->num * sizeof(struct vring_used_elem) +
				      sizeof(__virtio16))) {
			err = -EINVAL;
		} else {
			vq->desc = u64_to_user_ptr(a.desc_user_addr);
			vq->avail = u64_to_user_ptr(a.avail_user_addr);
			vq->used = u64_to_user_ptr(a.used_user_addr);
			vq->broken = false;
		}
		break;
	case VHOST_SET_VRING_KICK:
		vsw_vhost_kick_stop(vq);
		if (file)
			err = vsw_vhost_kick_start(vq, file);
		if (err)
			fput(file);
		break;
	case VHOST_SET_VRING_CALL:
		swap(vq->call, ctx);
		vq->signalled_used_valid = false;
		break;
	case VHOST_SET_VRING_ERR:
		swap(vq->err, ctx);
		break;
	}
	mutex_unlock(&vq->mutex);
	if (ctx)
		eventfd_ctx_put(ctx);
	return err;
}

static long vsw_vhost_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	void __user *argp = (void __user *)arg;
	u64 __user *featurep = argp;
	struct vsw_vhost *vv = f->private_data;
	u64 features;
	long err;

	/* no owner needed */
	switch (cmd) {
	case VHOST_GET_FEATURES:
		features = VSW_VHOST_FEATURES;
		return copy_to_user(featurep, &features, sizeof(features)) ?
		       -EFAULT : 0;
	case VHOST_GET_BACKEND_FEATURES:
		features = 0;
		return copy_to_user(featurep, &features, sizeof(features)) ?
		       -EFAULT : 0;
	case VHOST_SET_BACKEND_FEATURES:
		if (copy_from_user(&features, featurep, sizeof(features)))
			return -EFAULT;
		return features ? -EOPNOTSUPP : 0;
	}

	mutex_lock(&vv->mutex);
	if (cmd == VHOST_SET_OWNER) {
		err = vsw_vhost_set_owner(vv);
		goto out;
	}
	/* everything else is the owner's, as with vhost */
	if (!vv->mm || vv->mm != current->mm) {
		err = -EPERM;
		goto out;
	}
	switch (cmd) {
	case VHOST_RESET_OWNER:
		vsw_vhost_reset(vv);
		err = 0;
		break;
	case VHOST_SET_FEATURES:
		err = -EFAULT;
		if (!copy_from_user(&features, featurep, sizeof(features)))
			err = vsw_vhost_set_features(vv, features);
		break;
	case VHOST_SET_MEM_TABLE:
		err = vsw_vhost_set_mem_table(vv, argp);
		break;
	case VHOST_NET_SET_BACKEND:
		err = vsw_vhost_set_backend(vv, argp);
		break;
	case VHOST_SET_VRING_BUSYLOOP_TIMEOUT:
		/* accepted for QEMU's poll-us; we do not busy-poll */
		err = 0;
		break;
	default:
		err = vsw_vhost_vring_ioctl(vv, cmd, argp);
		if (err == -ENOIOCTLCMD)
			err = -ENOTTY;
		break;
	}
out:
	mutex_unlock(&vv->mutex);
	return err;
}

static int vsw_vhost_open(struct inode *inode, struct file *f)
{
	struct vsw_vhost *vv;
	int i, err;

	vv = kvzalloc(sizeof(*vv), GFP_KERNEL_ACCOUNT);
	if (!vv)
		return -ENOMEM;
	err = ptr_ring_init(&vv->rxq, VSW_VHOST_QUEUE_LEN, GFP_KERNEL);
	if (err) {
		kvfree(vv);
		return err;
	}
	mutex_init(&vv->mutex);
	skb_queue_head_init(&vv->rx_backlog);
	vv->hdr_len = sizeof(struct virtio_net_hdr);
	vv->be.ops = &vsw_vhost_backend_ops;
	vv->be.priv = vv;
	vsw_vhost_poll_init(&vv->tap_poll, vv, VSW_VHOST_RX, NULL);
	for (i = 0; i < VSW_VHOST_NVQS; i++) {
		mutex_init(&vv->vqs[i].mutex);
		vv->vqs[i].vv = vv;
		vv->vqs[i].index = i;
		vsw_vhost_poll_init(&vv->vqs[i].kick_poll, vv, i, &vv->kicks);
	}
	f->private_data = vv;
	return 0;
}

static int vsw_vhost_release(struct inode *inode, struct file *f)
{
	struct vsw_vhost *vv = f->private_data;

	mutex_lock(&vv->mutex);
	vsw_vhost_reset(vv);
	mutex_unlock(&vv->mutex);
	ptr_ring_cleanup(&vv->rxq, NULL);
	kvfree(vv);
	return 0;
}

static const struct file_operations vsw_vhost_fops = {
	.owner = THIS_MODULE,
	.open = vsw_vhost_open,
	.release = vsw_vhost_release,
	.unlocked_ioctl = vsw_vhost_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

/*
 * A fixed misc minor, like vhost-net's 238, so that the module autoloads on
 * the first open of /dev/vhost-vsw: depmod turns the two aliases below into
 * a modules.devname line, kmod static-nodes (systemd-tmpfiles at boot) makes
 * the node before the module is loaded, and opening it makes the kernel
 * request "char-major-10-248". 248 is in the 243-254 range that
 * Documentation/admin-guide/devices.txt reserves for local use, which no
 * in-tree driver takes.
 */
#define VSW_VHOST_MINOR 248

static struct miscdevice vsw_vhost_misc = {
	.minor = VSW_VHOST_MINOR,
	.name = "vhost-vsw",
	.fops = &vsw_vhost_fops,
};

module_misc_device(vsw_vhost_misc);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("vsw: vhost-net compatible fast path for guests");
MODULE_ALIAS_MISCDEV(VSW_VHOST_MINOR);
MODULE_ALIAS("devname:vhost-vsw");
