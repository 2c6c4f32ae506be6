// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The core's own BPF object. It owns the filter maps every gadget reuses
 * (ig_mntns_filter, ig_pid_filter: see include/ig/ig_filter.h, whose definitions
 * this includes so the map types match exactly) and, in command mode, keeps
 * ig_pid_filter holding the whole process tree of the command: a child
 * joins when its parent is in the map, and leaves when it exits.
 *
 * Plain raw tracepoints on purpose, no CO-RE and no BTF-typed attach: libbpf
 * then never parses the kernel's BTF for this object (~35 ms, a third of the
 * start-up budget), and raw tracepoints detach without waiting for an RCU
 * grace period the way perf-event tracepoints do. The kernel layout facts
 * needed, three member offsets, are found by the core (kbtf.c) and set below
 * before load.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#include <ig/ig_filter.h>

#include "core/containers/birth.h"

const volatile __u32 task_tgid_off = 0;
const volatile __u32 task_signal_off = 0;
const volatile __u32 signal_live_off = 0;	/* atomic_t: its counter is at 0 */

/* sched_process_fork(struct task_struct *parent, struct task_struct *child);
 * it runs in the parent. ctx is the raw argument array: plain u64s, not
 * struct bpf_raw_tracepoint_args, whose vmlinux.h definition would bring a
 * CO-RE relocation and with it the BTF parse this object avoids. */
SEC("raw_tp/sched_process_fork")
int ig_follow_fork(__u64 *ctx)
{
	__u32 ptgid = bpf_get_current_pid_tgid() >> 32, ctgid = 0;
	__u8 one = 1;

	if (!bpf_map_lookup_elem(&ig_pid_filter, &ptgid))
		return 0;
	if (bpf_probe_read_kernel(&ctgid, sizeof(ctgid), (void *)ctx[1] + task_tgid_off))
		return 0;
	/* A new thread shares its parent's tgid: nothing to add. */
	if (ctgid && ctgid != ptgid)
		bpf_map_update_elem(&ig_pid_filter, &ctgid, &one, BPF_ANY);
	return 0;
}

/*
 * sched_process_exit runs in the exiting task, after do_exit() took it off
 * signal->live (kernel/exit.c, 6.18 and older kernels alike: the
 * atomic_dec_and_test() that yields group_dead comes before the tracepoint).
 * So live == 0 here means the whole thread group is gone: drop the entry
 * then, so a reused pid is not traced by mistake. Not when the leader alone
 * exits: after its pthread_exit(), or when another thread's execve()
 * replaces it (de_thread), the process lives on under the same tgid. The
 * tracepoint's own group_dead argument, added when it moved ahead of
 * exit_mm(), would do too, but reading it makes older kernels refuse the
 * attach.
 */
SEC("raw_tp/sched_process_exit")
int ig_forget_exit(__u64 *ctx)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	void *task = (void *)bpf_get_current_task(), *signal = NULL;
	int live = 1;

	if (!bpf_map_lookup_elem(&ig_pid_filter, &tgid))
		return 0;
	if (bpf_probe_read_kernel(&signal, sizeof(signal), task + task_signal_off) || !signal ||
	    bpf_probe_read_kernel(&live, sizeof(live), signal + signal_live_off))
		return 0;
	if (live == 0)
		bpf_map_delete_elem(&ig_pid_filter, &tgid);
	return 0;
}

/*
 * Container births (container and host mode): runc's nsexec stage 1
 * (comm "runc:[1:CHILD]") unshares the container's namespaces and forks
 * stage 2, which becomes the container's init. The tracepoint runs before
 * the child is first woken up, and the child is already in the container's
 * mount namespace and cgroup (runc puts stage 0 in the cgroup before it
 * sends the bootstrap data). So the namespace goes into ig_mntns_filter
 * now, before the container's first instruction, as "birth" (any value
 * passes a gadget's filter); user space decides when it knows the name.
 * The cgroup's name (docker/<id>, libpod-<id>, <ns>/<id>, ...) lets user space
 * find the container in its engine's records even if it ran and was
 * deleted before ig got to it. Layout offsets as for the follower above.
 */
const volatile bool births_filter = false;	/* container mode: add to the filter */
const volatile __u32 task_nsproxy_off = 0;
const volatile __u32 nsproxy_mnt_off = 0;
const volatile __u32 mnt_ns_off = 0;		/* mnt_namespace.ns (struct ns_common) */
const volatile __u32 ns_inum_off = 0;
const volatile __u32 mnt_id_off = 0;		/* in mnt_namespace: its id, 0 none */
const volatile __u32 task_start_off = 0;	/* task_struct.start_boottime */
const volatile __u32 task_cgroups_off = 0;
const volatile __u32 cset_dfl_off = 0;		/* css_set.dfl_cgrp */
const volatile __u32 cset_subsys_off = 0;	/* css_set.subsys[] */
const volatile __u32 cset_nr_subsys = 0;
const volatile __u32 css_cgroup_off = 0;
const volatile __u32 cgroup_kn_off = 0;
const volatile __u32 kn_name_off = 0;
const volatile __u32 kn_parent_off = 0;

#define MAX_SUBSYS	16

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} ig_births SEC(".maps");

__u64 ig_births_lost;

static __always_inline void *kptr(void *base, __u32 off)
{
	void *p = 0;

	if (!base || bpf_probe_read_kernel(&p, sizeof(p), base + off))
		return 0;
	return p;
}

static __always_inline bool is_runc_stage1(void)
{
	static const char want[] = "runc:[1:CHILD]";
	char comm[16];

	bpf_get_current_comm(comm, sizeof(comm));
	for (int i = 0; i < sizeof(want); i++)
		if (comm[i] != want[i])
			return false;
	return true;
}

/* The cgroup a container is in: the default hierarchy's when it is not the
 * root there (cgroup v2, or v1 with runc joining the unified tree), else
 * the first v1 controller's that is not a hierarchy root. */
static __always_inline void *container_kn(void *task)
{
	void *cset = kptr(task, task_cgroups_off), *kn;

	kn = kptr(kptr(cset, cset_dfl_off), cgroup_kn_off);
	if (kptr(kn, kn_parent_off))
		return kn;
	for (int i = 0; i < MAX_SUBSYS; i++) {
		if (i >= cset_nr_subsys)
			break;
		kn = kptr(kptr(kptr(cset, cset_subsys_off + i * 8), css_cgroup_off), cgroup_kn_off);
		if (kptr(kn, kn_parent_off))
			return kn;
	}
	return 0;
}

SEC("raw_tp/sched_process_fork")
int ig_birth(__u64 *ctx)
{
	void *child = (void *)ctx[1], *kn, *mnt;
	__u8 birth = IG_FILTER_BIRTH;
	struct ig_birth *b;
	__u64 mntns = 0;
	__u32 inum = 0;

	if (!is_runc_stage1())
		return 0;
	mnt = kptr(kptr(child, task_nsproxy_off), nsproxy_mnt_off);
	if (bpf_probe_read_kernel(&inum, sizeof(inum), mnt + mnt_ns_off + ns_inum_off) || !inum)
		return 0;
	mntns = inum;
	/* Recorded from here on; an entry already there (a selected
	 * container, or a birth with a recycled inode) stays. */
	if (births_filter)
		bpf_map_update_elem(&ig_mntns_filter, &mntns, &birth, BPF_NOEXIST);
	b = bpf_ringbuf_reserve(&ig_births, sizeof(*b), 0);
	if (!b) {
		__sync_fetch_and_add(&ig_births_lost, 1);
		return 0;
	}
	b->mntns = mntns;
	b->pid = bpf_get_current_pid_tgid() >> 32;	/* fixed below */
	b->ppid = b->pid;
	b->start_ns = 0;
	b->mntns_id = 0;
	b->cgroup[0] = b->parent[0] = 0;
	if (mnt_id_off)
		bpf_probe_read_kernel(&b->mntns_id, sizeof(b->mntns_id), mnt + mnt_id_off);
	bpf_probe_read_kernel(&b->pid, sizeof(b->pid), child + task_tgid_off);
	bpf_probe_read_kernel(&b->start_ns, sizeof(b->start_ns), child + task_start_off);
	kn = container_kn(child);
	if (kn) {
		bpf_probe_read_kernel_str(b->cgroup, sizeof(b->cgroup), kptr(kn, kn_name_off));
		bpf_probe_read_kernel_str(b->parent, sizeof(b->parent),
					  kptr(kptr(kn, kn_parent_off), kn_name_off));
	}
	bpf_ringbuf_submit(b, 0);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
