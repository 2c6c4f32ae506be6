/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The common event header most gadgets start their events with, filled by
 * ig_event_fill() (or ig_event_fill_mntns() when the mntns was read already).
 * Fixed-width types only: shared with user space through each gadget's <g>.h
 * (include this file there too; it is plain C when __bpf__ is not defined).
 */
#ifndef IG_BPF_EVENT_H
#define IG_BPF_EVENT_H

#define IG_COMM_LEN 16

#ifdef __bpf__
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#else
#include <linux/types.h>	/* __u64/__u32 as libbpf's headers define them */
#endif

struct ig_event_hdr {
	__u64 timestamp;	/* bpf_ktime_get_boot_ns() */
	__u64 mntns;
	__u64 netns;
	__u32 pid;		/* tgid */
	__u32 tid;
	__u32 ppid;
	__u32 uid;
	__u32 gid;
	__u32 pad;
	char comm[IG_COMM_LEN];
};

#ifdef __bpf__
/*
 * ig_event_fill() for the current task, with its mntns already read (by
 * ig_filter_task_mntns() or ig_task_mntns()); 0 means not read: read it here.
 * Every field is a probe read, so the plain bpf_get_current_task() does, on
 * every kernel (the _btf one is 5.11 and newer).
 */
static __always_inline void ig_event_fill_mntns(struct ig_event_hdr *h, __u64 mntns)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u64 uid_gid = bpf_get_current_uid_gid();

	h->timestamp = bpf_ktime_get_boot_ns();
	h->mntns = mntns ?: BPF_CORE_READ(task, nsproxy, mnt_ns, ns.inum);
	h->netns = BPF_CORE_READ(task, nsproxy, net_ns, ns.inum);
	h->pid = pid_tgid >> 32;
	h->tid = (__u32)pid_tgid;
	h->ppid = BPF_CORE_READ(task, real_parent, tgid);
	h->uid = (__u32)uid_gid;
	h->gid = uid_gid >> 32;
	h->pad = 0;
	bpf_get_current_comm(h->comm, sizeof(h->comm));
}

static __always_inline void ig_event_fill(struct ig_event_hdr *h)
{
	ig_event_fill_mntns(h, 0);
}
#endif

#endif /* IG_BPF_EVENT_H */
