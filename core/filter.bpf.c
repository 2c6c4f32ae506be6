// SPDX-License-Identifier: GPL-2.0
/*
 * The core's own BPF object. It owns the filter maps every gadget reuses
 * (ig_mntns_filter, ig_pid_filter: see bpf/ig_filter.h, whose definitions
 * this includes so the map types match exactly) and, in command mode, keeps
 * ig_pid_filter holding the whole process tree of the command: a child
 * joins when its parent is in the map, and leaves when it exits.
 *
 * Plain raw tracepoints on purpose, no CO-RE and no BTF-typed attach: libbpf
 * then never parses the kernel's BTF for this object (~35 ms, a third of the
 * start-up budget), and raw tracepoints detach without waiting for an RCU
 * grace period the way perf-event tracepoints do. The one kernel layout fact
 * needed, the offset of task_struct.tgid, is found by the core (kbtf.c) and
 * set below before load.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#include "ig_filter.h"

const volatile __u32 task_tgid_off = 0;

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

/* sched_process_exit runs in the exiting task: when the group leader goes,
 * drop the entry so a reused pid is not traced by mistake. */
SEC("raw_tp/sched_process_exit")
int ig_forget_exit(__u64 *ctx)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tgid = pid_tgid >> 32;

	if ((__u32)pid_tgid == tgid)
		bpf_map_delete_elem(&ig_pid_filter, &tgid);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
