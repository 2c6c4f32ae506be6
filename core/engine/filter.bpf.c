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

char LICENSE[] SEC("license") = "Dual BSD/GPL";
