/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * BPF side of the core's target filter. A gadget includes this, calls
 * ig_filter_current() (or ig_filter_task(), or ig_filter_task_mntns() when
 * its event carries the mntns) first in its programs, and on the
 * user side sets rodata ig_filter_mode = host->filter_mode() and calls
 * ig_gadget_reuse_filter() before load, so these maps are the core's own.
 */
#ifndef IG_BPF_FILTER_H
#define IG_BPF_FILTER_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

/* IG_FILTER_NONE/MNTNS/PID, shared with user space. A sibling include, so
 * code built with only -I<bpfincludedir> ("ig_filter.h") finds it too. */
#include "consts.h"

#define IG_MAX_FILTER_MNTNS	4096
#define IG_MAX_FILTER_PIDS	65536

const volatile __u32 ig_filter_mode = IG_FILTER_NONE;

/* Not preallocated: the maps are mostly near-empty, and preallocating 64k
 * entries costs ~20 ms at ig's start and again at its exit. */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, IG_MAX_FILTER_MNTNS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u64);
	__type(value, __u8);
} ig_mntns_filter SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, IG_MAX_FILTER_PIDS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u32);
	__type(value, __u8);
} ig_pid_filter SEC(".maps");

static __always_inline __u64 ig_task_mntns(struct task_struct *task)
{
	return BPF_CORE_READ(task, nsproxy, mnt_ns, ns.inum);
}

static __always_inline __u64 ig_task_netns(struct task_struct *task)
{
	return BPF_CORE_READ(task, nsproxy, net_ns, ns.inum);
}

/* true when the task is selected (or nothing is filtered) */
static __always_inline bool ig_filter_task(struct task_struct *task)
{
	if (ig_filter_mode == IG_FILTER_MNTNS) {
		__u64 mntns = ig_task_mntns(task);

		return bpf_map_lookup_elem(&ig_mntns_filter, &mntns) != NULL;
	}
	if (ig_filter_mode == IG_FILTER_PID) {
		__u32 tgid = BPF_CORE_READ(task, tgid);

		return bpf_map_lookup_elem(&ig_pid_filter, &tgid) != NULL;
	}
	return true;
}

/*
 * ig_filter_task(), also handing out the task's mntns when the filter had to
 * read it (mntns mode), else 0 (namespace inode numbers are never 0). Pass it
 * to ig_event_fill_mntns() so an event costs one mntns read, not two. Other
 * modes read nothing more than ig_filter_task() does: a rejected task in pid
 * mode stays as cheap as before.
 */
static __always_inline bool ig_filter_task_mntns(struct task_struct *task, __u64 *mntns)
{
	*mntns = 0;
	if (ig_filter_mode == IG_FILTER_MNTNS) {
		*mntns = ig_task_mntns(task);
		return bpf_map_lookup_elem(&ig_mntns_filter, mntns) != NULL;
	}
	return ig_filter_task(task);
}

static __always_inline bool ig_filter_current(void)
{
	/* probe reads only: the plain helper does, on every kernel */
	return ig_filter_task((struct task_struct *)bpf_get_current_task());
}

#endif /* IG_BPF_FILTER_H */
