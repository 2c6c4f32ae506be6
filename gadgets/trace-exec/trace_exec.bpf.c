// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * trace-exec: one event per successful execve. sched_process_exec fires
 * only once the new program is in place, so failed execs never show and
 * comm, the argument strings and the mm are already the new program's.
 * tp_btf: typed arguments, no tracefs needed.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#include <ig/ig_filter.h>
#include <ig/ig_ringbuf.h>
#include <ig/ig_event.h>
#include "trace_exec.h"

/* Only this uid, or all when (u32)-1. */
const volatile __u32 targ_uid = (__u32)-1;

IG_RINGBUF_DEFINE(events, 256 * 1024);

SEC("tp_btf/sched_process_exec")
int BPF_PROG(trace_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	struct trace_exec_event *e;
	unsigned long start, end;
	struct mm_struct *mm;
	__u64 len, mntns;

	/* p is current here (the exec'ing task): the filter's mntns is the event's */
	if (!ig_filter_task_mntns(p, &mntns))
		return 0;
	if (targ_uid != (__u32)-1 && (__u32)bpf_get_current_uid_gid() != targ_uid)
		return 0;
	e = ig_rb_reserve(&events, &events_lost, sizeof(*e));
	if (!e)
		return 0;
	ig_event_fill_mntns(&e->hdr, mntns);
	e->flags = 0;
	bpf_probe_read_kernel_str(e->filename, sizeof(e->filename), BPF_CORE_READ(bprm, filename));

	mm = BPF_CORE_READ(p, mm);
	start = BPF_CORE_READ(mm, arg_start);
	end = BPF_CORE_READ(mm, arg_end);
	len = end > start ? end - start : 0;
	if (len > TRACE_EXEC_ARGS_LEN) {
		len = TRACE_EXEC_ARGS_LEN;
		e->flags |= TRACE_EXEC_ARGS_TRUNCATED;
	}
	/* The mask bounds the size for the verifier; len == LEN masks to 0. */
	if (len && bpf_probe_read_user(e->args,
				       len & (TRACE_EXEC_ARGS_LEN - 1) ?: TRACE_EXEC_ARGS_LEN,
				       (void *)start))
		len = 0;
	e->args_size = (__u32)len;
	ig_rb_submit(&events, e);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
