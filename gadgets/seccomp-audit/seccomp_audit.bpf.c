// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * seccomp-audit: what seccomp filters did to the selected tasks, seen from
 * tracepoints only (kprobes, fentry and LSM are refused on our kernels).
 *
 * seccomp runs in syscall_trace_enter() before the sys_enter tracepoint, so
 * a syscall a filter skips (ERRNO, TRACE without tracer, USER_NOTIF, and
 * TRAP/KILL) shows up as a sys_exit with no sys_enter on that thread. A
 * per-thread flag set at sys_enter and cleared at sys_exit finds them. A
 * thread's first event may legitimately be an exit: a thread that sat in a
 * syscall when we attached, a new thread or child (its first event is the
 * exit of clone/fork returning 0), or a task that just joined the selection
 * (setns/unshare). So the first event of a thread only marks it known.
 *
 * TRAP and KILL also raise SIGSYS with si_code SYS_SECCOMP; signal_generate
 * sees it in the context of the offending thread. A KILL action sets the
 * thread's seccomp mode to SECCOMP_MODE_DEAD before it raises the signal,
 * TRAP does not: that tells them apart. The skipped syscall's sys_exit that
 * follows is the same event and is swallowed here.
 *
 * LOG is invisible to tracepoints: user space reads audit records and
 * injects them through the "inject" program so every event reaches user
 * space on one ring buffer, in the gadget's main thread.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#include <ig/ig_filter.h>
#include <ig/ig_task.h>
#include <ig/ig_ringbuf.h>
#include "seccomp_audit.h"

#define SIGSYS_NR		31
#define SYS_SECCOMP_CODE	1
#define SECCOMP_MODE_FILTER_NR	2
#define SECCOMP_MODE_DEAD_NR	3
#define TS_COMPAT_FLAG		0x0002	/* x86 thread_info.status: 32-bit call */
#define X32_SYSCALL_BIT		0x40000000
#define ARCH_I386		0x40000003	/* AUDIT_ARCH_I386 */
#define ARCH_X86_64		0xc000003e	/* AUDIT_ARCH_X86_64 (x32 numbers too) */

/* The AUDIT_ARCH_* of the current syscall, as seccomp_data.arch has it. */
static __always_inline __u32 syscall_arch(struct task_struct *task)
{
	return IG_TASK_READ(task, thread_info.status) & TS_COMPAT_FLAG ? ARCH_I386 : ARCH_X86_64;
}

const volatile bool targ_live = true;	/* exit and signal sources */
const volatile bool targ_dry = false;	/* dry run: stream sys_enter arguments */
/* sau_tasks is task local storage (5.11 and newer, with ig_task_btf), else
 * user space made it an LRU hash keyed by tid before load. */
const volatile bool targ_task_storage = true;

IG_RINGBUF_DEFINE(events, SAU_RINGBUF_BYTES);

/*
 * Per-thread state, in the task itself (task local storage): it is created
 * on first sight, goes with the thread, and cannot be mistaken for another
 * thread's (a recycled tid, or the thread that took its leader's tid in
 * execve, keeps its own). Nothing is preallocated: the LRU hash this was
 * (65536 tids) cost ~13 ms to create at start-up and as much at exit.
 * Kernels before 5.11 have no task storage for tracing programs: there user
 * space turns this map into that LRU hash, keyed by the task's address (not
 * its tid: the thread that takes its leader's tid in execve also takes its
 * start time), and an entry carries the start time to tell a new task at a
 * recycled address (task_get()).
 */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct sau_task);
} sau_tasks SEC(".maps");

/* Filled once per thread: lets user space attribute audit records (which
 * carry only a pid) to a selected task and its mount namespace. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, struct sau_proc);
} sau_procs SEC(".maps");

/* Dry run: syscall numbers the candidate profile may act on (set by user
 * space after load); the others are not worth a ring buffer record. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SAU_MAX_NR);
	__type(key, __u32);
	__type(value, __u8);
} sau_interest SEC(".maps");

/* task->nsproxy->mnt_ns->ns.inum as plain BTF loads where the task is a
 * trusted pointer (ig_task.h), so no bpf_probe_read_kernel() is needed
 * (ig_task_mntns() makes three); a NULL nsproxy (an exiting task) reads 0. */
static __always_inline __u64 task_mntns(struct task_struct *task)
{
	return IG_TASK_READ(task, nsproxy, mnt_ns, ns.inum);
}

/* ig_filter_task() (include/ig/ig_filter.h), the same decision without a helper
 * call: it is on the path of every syscall of every thread with a filter. */
static __always_inline bool selected(struct task_struct *task)
{
	__u64 mntns;
	__u32 tgid;

	if (ig_filter_mode == IG_FILTER_MNTNS) {
		mntns = task_mntns(task);
		return bpf_map_lookup_elem(&ig_mntns_filter, &mntns) != NULL;
	}
	if (ig_filter_mode == IG_FILTER_PID) {
		tgid = IG_TASK_READ(task, tgid);
		return bpf_map_lookup_elem(&ig_pid_filter, &tgid) != NULL;
	}
	return true;
}

/* The thread's entry, if it has one (and, with create, a fresh one if not). */
static __always_inline struct sau_task *task_get(struct task_struct *task, bool create)
{
	struct sau_task *st, fresh = {};
	__u64 key = (__u64)task;

	if (targ_task_storage)
		return bpf_task_storage_get(&sau_tasks, task, NULL,
					    create ? BPF_LOCAL_STORAGE_GET_F_CREATE : 0);
	fresh.start = IG_TASK_READ(task, start_time);
	st = bpf_map_lookup_elem(&sau_tasks, &key);
	if (st && st->start == fresh.start)
		return st;
	if (!create)
		return NULL;
	bpf_map_update_elem(&sau_tasks, &key, &fresh, BPF_ANY);
	return bpf_map_lookup_elem(&sau_tasks, &key);
}

/* First sight of a selected thread: a fresh entry, and its process noted
 * for audit. Kept out of line so the common path of its callers stays a
 * lookup. */
static __noinline struct sau_task *task_new(struct task_struct *task)
{
	struct sau_proc proc = {};
	__u32 tgid = IG_TASK_READ(task, tgid);
	struct sau_task *st;

	st = task_get(task, true);
	if (!st)
		return NULL;
	proc.mntns = task_mntns(task);
	st->mntns = proc.mntns;
	bpf_get_current_comm(proc.comm, sizeof(proc.comm));
	bpf_map_update_elem(&sau_procs, &tgid, &proc, BPF_ANY);
	return st;
}

/*
 * The state of a selected thread, or NULL. State is made only for selected
 * threads, so having it answers the selection without the filter's hash
 * lookup, which cost the live path about 20 ns per syscall: with --host
 * everything is selected, and in pid mode (-- COMMAND) a tgid stays in the
 * filter while its process lives. In mntns mode a thread may have moved
 * (setns, unshare): its state is trusted only in the namespace it was
 * selected in, else the filter is asked again.
 */
static __always_inline struct sau_task *task_state(struct task_struct *task)
{
	struct sau_task *st = task_get(task, false);

	if (st && (ig_filter_mode != IG_FILTER_MNTNS || st->mntns == task_mntns(task)))
		return st;
	if (!selected(task))
		return NULL;
	if (!st)
		return task_new(task);
	st->mntns = task_mntns(task);
	return st;
}

/*
 * Dry run: processes that have not yet run their own program. A runtime
 * (runc init) or ig's command child does its set-up -- mount, pivot_root,
 * sethostname... -- before the filter is installed and the workload exec'd;
 * that is not the workload's doing and a profile is never applied to it.
 * A new process is "fresh" when its parent is outside the selection or
 * fresh itself, until it calls execve. A selected process that forks
 * (a shell, nginx workers) gives non-fresh children.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, __u8);
} sau_fresh SEC(".maps");

SEC("tp_btf/sched_process_fork")
int BPF_PROG(sau_fork, struct task_struct *parent, struct task_struct *child)
{
	/* tracepoint pointer arguments: probe reads (see sau_signal) */
	__u32 ptgid = BPF_CORE_READ(parent, tgid), ctgid = BPF_CORE_READ(child, tgid);
	__u8 one = 1;

	if (!targ_dry || ptgid == ctgid)
		return 0;
	if (!selected(parent) || bpf_map_lookup_elem(&sau_fresh, &ptgid))
		bpf_map_update_elem(&sau_fresh, &ctgid, &one, BPF_ANY);
	return 0;
}

/* Dry run: a process that execs has run its own program from here on. (A
 * live run needs nothing here: the state of a thread that takes its
 * leader's tid in execve stays its own, in its task.) */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(sau_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	__u32 tgid = BPF_CORE_READ(p, tgid);

	if (targ_dry)
		bpf_map_delete_elem(&sau_fresh, &tgid);
	return 0;
}

static __always_inline void emit_enter(struct task_struct *task, struct pt_regs *regs, long id)
{
	__u32 arch = syscall_arch(task);
	__u32 nr = id, tgid = IG_TASK_READ(task, tgid);
	struct pt_regs r;
	struct sau_event *e;
	__u8 *want;

	if (bpf_map_lookup_elem(&sau_fresh, &tgid))
		return;

	/* the interest table is in native numbers: 32-bit and x32 syscalls
	 * are always worth a look */
	if (arch == ARCH_X86_64 && !(nr & X32_SYSCALL_BIT)) {
		if (nr >= SAU_MAX_NR)
			return;
		want = bpf_map_lookup_elem(&sau_interest, &nr);
		if (!want || !*want)
			return;
	}
	e = ig_rb_reserve(&events, &events_lost, sizeof(*e));
	if (!e)
		return;
	ig_event_fill(&e->hdr);
	e->type = SAU_EV_ENTER;
	e->nr = id;
	e->ret = 0;
	e->arch = arch;
	e->sig_kind = 0;
	e->data = 0;
	e->live = 0;
	/* x86-64 syscall argument registers, copied in one probe read (regs is
	 * a tracepoint argument: see sau_signal) */
	if (bpf_core_read(&r, sizeof(r), regs))
		__builtin_memset(&r, 0, sizeof(r));
	e->args[0] = r.di;
	e->args[1] = r.si;
	e->args[2] = r.dx;
	e->args[3] = r.r10;
	e->args[4] = r.r8;
	e->args[5] = r.r9;
	ig_rb_submit(&events, e);
}

/*
 * Live, both directions: only a thread in SECCOMP_MODE_FILTER can have a
 * syscall skipped by a filter, so every other thread costs one load and
 * keeps no state. A thread that installs its first filter is unknown at the
 * exit of that seccomp()/prctl() call, which only marks it known; a thread
 * that gets one by TSYNC while inside a syscall, likewise. The mode never
 * goes back, and children inherit it (their first event is an exit too).
 */
SEC("tp_btf/sys_enter")
int BPF_PROG(sau_sys_enter, struct pt_regs *regs, long id)
{
	struct task_struct *task = ig_current_task();
	struct sau_task *st;

	if (targ_dry) {
		if (id >= 0 && selected(task))
			emit_enter(task, regs, id);
		return 0;
	}
	if (!targ_live || IG_TASK_READ(task, seccomp.mode) != SECCOMP_MODE_FILTER_NR)
		return 0;
	st = task_state(task);
	if (!st)
		return 0;
	st->known = 1;
	st->in_syscall = 1;
	st->sigsys = 0;
	return 0;
}

/* A skipped syscall: built in place on the ring, off the common path. */
static __noinline void emit_exit(struct task_struct *task, long nr, long ret)
{
	struct sau_event *e = ig_rb_reserve(&events, &events_lost, sizeof(*e));

	if (!e)
		return;
	ig_event_fill(&e->hdr);
	e->type = SAU_EV_EXIT;
	e->nr = nr;
	e->ret = ret;
	e->arch = syscall_arch(task);
	e->sig_kind = 0;
	e->data = 0;
	e->live = 0;
	__builtin_memset(e->args, 0, sizeof(e->args));
	ig_rb_submit(&events, e);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(sau_sys_exit, struct pt_regs *regs, long ret)
{
	struct task_struct *task = ig_current_task();
	struct sau_task *st;
	long nr;

	if (!targ_live || IG_TASK_READ(task, seccomp.mode) != SECCOMP_MODE_FILTER_NR)
		return 0;
	st = task_state(task);
	if (!st)
		return 0;
	if (!st->known || st->in_syscall) {
		/* a normal exit, or the first event of this thread */
		st->known = 1;
		st->in_syscall = 0;
		return 0;
	}
	/* A successful result (> 0) is not seccomp's doing; only a USER_NOTIF
	 * answer could be (see docs/gadgets/seccomp-audit.md, "Precision"). */
	if (ret > 0)
		return 0;
	nr = BPF_CORE_READ(regs, orig_ax);
	if (st->sigsys && st->sigsys_nr == nr) {
		/* the skipped syscall of a TRAP/KILL already reported */
		st->sigsys = 0;
		return 0;
	}
	/* A tracer skipping a syscall sets the number to -1: not seccomp's doing. */
	if (nr < 0)
		return 0;
	emit_exit(task, nr, ret);
	return 0;
}

SEC("tp_btf/signal_generate")
int BPF_PROG(sau_signal, int sig, struct kernel_siginfo *info, struct task_struct *target,
	     int group, int result)
{
	struct task_struct *task = ig_current_task();
	struct sau_event e = {};
	struct sau_task *st;

	/* Newer verifiers (seen on 6.18) mark a tracepoint pointer argument that
	 * may encode an error as a scalar, so info is never dereferenced directly:
	 * every read of it goes through CO-RE probe reads. */
	if (!targ_live || sig != SIGSYS_NR || BPF_CORE_READ(info, si_code) != SYS_SECCOMP_CODE)
		return 0;
	/* force_sig_seccomp() signals the offending thread itself */
	if ((__u64)target != (__u64)task || !selected(task))
		return 0;
	ig_event_fill(&e.hdr);
	e.type = SAU_EV_SIGNAL;
	/* the siginfo union overlaps pointers: read it as plain memory */
	e.nr = BPF_CORE_READ(info, _sifields._sigsys._syscall);
	e.arch = BPF_CORE_READ(info, _sifields._sigsys._arch);
	e.data = BPF_CORE_READ(info, si_errno);
	e.live = BPF_CORE_READ(task, signal, live.counter);
	e.sig_kind = BPF_CORE_READ(task, seccomp.mode) == SECCOMP_MODE_DEAD_NR ?
		     SAU_SIG_KILL : SAU_SIG_TRAP;
	st = task_state(task);
	if (st) {
		st->known = 1;
		st->sigsys = 1;
		st->sigsys_nr = e.nr;
	}
	ig_rb_output(&events, &events_lost, &e, sizeof(e));
	return 0;
}

/* Run by user space (BPF_PROG_TEST_RUN) with an audit record or a tick
 * already shaped as a struct sau_event: puts it on the ring buffer so the
 * main thread sees it in order with the others, and wakes it. A raw_tp
 * test run (5.10 and newer; the "syscall" program type is 5.14): it runs in
 * the calling thread, whose memory holds the event (struct sau_inject_ctx),
 * and is never attached. */
SEC("raw_tp")
int sau_inject(struct sau_inject_ctx *ctx)
{
	struct sau_event e;

	if (ctx->size != sizeof(e) || bpf_probe_read_user(&e, sizeof(e), (void *)ctx->event))
		return 0;
	if (bpf_ringbuf_output(&events, &e, sizeof(e), BPF_RB_FORCE_WAKEUP))
		ig_rb_count_lost(&events_lost);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
