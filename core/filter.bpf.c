// SPDX-License-Identifier: GPL-2.0
/*
 * The core's own BPF object. It owns the filter maps every gadget reuses
 * (ig_mntns_filter, ig_pid_filter: see bpf/ig_filter.h, whose definitions
 * this includes so the map types match exactly) and, in command mode, keeps
 * ig_pid_filter holding the whole process tree of the command: a child
 * process joins when its parent is in the map. tp_btf needs no tracefs.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "ig_filter.h"

SEC("tp_btf/sched_process_fork")
int BPF_PROG(ig_follow_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 ptgid = parent->tgid, ctgid = child->tgid;
	__u8 one = 1;

	/* A new thread shares its tgid: nothing to add. */
	if (ptgid == ctgid)
		return 0;
	if (bpf_map_lookup_elem(&ig_pid_filter, &ptgid))
		bpf_map_update_elem(&ig_pid_filter, &ctgid, &one, BPF_ANY);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
