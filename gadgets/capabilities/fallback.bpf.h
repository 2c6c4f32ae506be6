/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * capabilities.bpf.c on kernels without the capability:cap_capable
 * tracepoint (before 6.14): the same records from cap_capable() itself,
 *
 *     int cap_capable(const struct cred *cred, struct user_namespace *targ_ns,
 *                     int cap, unsigned int opts)
 *
 * by fexit (cheapest: arguments and result in one program), or a kprobe that
 * keeps the arguments for the kretprobe. Both see opts, so whether a check is
 * audited comes from the kernel (CAP_OPT_NOAUDIT), not from the call stack.
 *
 * These kernels may lack what the tracepoint program relies on, so every
 * read here is a probe read (the task through ig_task.h's knob), and:
 *  - cap_fexit batches records per CPU and flushes them from a timer pinned
 *    to the CPU where the kernel has one (6.7); elsewhere it sends every
 *    check as it comes (caps_timer_pin off);
 *  - cap_fexit_nt and the kprobe pair have no timer code at all: a timer in
 *    a program is refused before 5.15, and in a kprobe program always. They
 *    build each check in a per-CPU scratch batch and send it at once;
 *  - the syscall number comes from bpf_task_pt_regs() (5.15) or, before,
 *    from the user registers at the top of the task's kernel stack;
 *  - the checks cap_capable()'s own file makes by calling it directly, which
 *    the compiler may inline, are made up from their callers (direct.bpf.h).
 */
#ifndef IG_CAPS_FALLBACK_BPF_H
#define IG_CAPS_FALLBACK_BPF_H

#define CAP_OPT_NOAUDIT_BIT	(1u << 1)	/* include/linux/security.h */

const volatile bool caps_pt_regs = true;	/* bpf_task_pt_regs() (and ig_task_btf) */
const volatile bool caps_timer_pin = true;	/* bpf_timer_start(..., BPF_F_TIMER_CPU_PIN) */

/* One batch per CPU for the programs without a timer: raw bytes, so the map
 * carries no bpf_timer for the verifier to refuse in a kprobe program. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u8[sizeof(struct caps_batch)]);
} caps_scratch SEC(".maps");

/* kprobe -> kretprobe: the arguments of the cap_capable() call a thread is in. */
struct caps_call {
	const struct cred *cred;
	struct user_namespace *targ_ns;
	__s32 cap;
	__u32 opts;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__uint(map_flags, BPF_F_NO_PREALLOC);	/* preallocated before 6.1 (ig_gadget_fit_maps) */
	__type(key, __u64);
	__type(value, struct caps_call);
} caps_calls SEC(".maps");

#define CAPS_INIT_USERNS	0xEFFFFFFDu	/* PROC_USER_INIT_INO */

/*
 * Threads inside a function that calls cap_capable() directly (direct.bpf.h):
 * what its probe needs at the exit, and whether cap_capable()'s own program
 * saw the check in between (the call was not inlined).
 */
struct caps_direct_call {
	const struct cred *cred;	/* cap_capset: the old credentials */
	__u8 seen;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u64);
	__type(value, struct caps_direct_call);
} caps_direct SEC(".maps");

static __always_inline void direct_seen(__u64 id)
{
	struct caps_direct_call *call = bpf_map_lookup_elem(&caps_direct, &id);

	if (call)
		call->seen = 1;
}

#ifdef __TARGET_ARCH_x86
#define CAPS_THREAD_SIZE	(4096 << 2)	/* x86-64 without KASAN */
#define CAPS_USER_CS		0x33
#define CAPS_USER32_CS		0x23
#endif

/* The task's user registers (the syscall it is in, its arguments), NULL
 * when they cannot be told. */
static __always_inline struct pt_regs *user_regs(struct task_struct *task)
{
	struct pt_regs *regs;
	__u64 cs;

	if (caps_pt_regs)
		return (struct pt_regs *)bpf_task_pt_regs(task);
#ifdef __TARGET_ARCH_x86
	/* task_pt_regs() of these kernels: the user registers end the stack,
	 * which is believed only when they look like a user context */
	regs = (struct pt_regs *)((char *)IG_TASK_READ(task, stack) + CAPS_THREAD_SIZE) - 1;
	cs = BPF_CORE_READ(regs, cs);
	if (cs == CAPS_USER_CS || cs == CAPS_USER32_CS)
		return regs;
#endif
	return NULL;
}

/* who_of() with probe reads. */
static __always_inline void who_of_probe(struct caps_who *w, struct task_struct *task,
					 const struct cred *task_cred, __u32 mntns)
{
	__u64 flags = 0;

	w->ids = (__u32)IG_TASK_READ(task, pid) | (__u64)IG_TASK_READ(task, tgid) << 32;
	w->creds = BPF_CORE_READ(task_cred, uid.val) |
		   (__u64)BPF_CORE_READ(task_cred, gid.val) << 32;
	bpf_get_current_comm(w->comm, sizeof(w->comm));
	if (is_runtime_setup(w->comm[0]))
		flags |= CAPS_F_SETUP;
	if (IG_TASK_READ(task, flags) & PF_KTHREAD_FLAG)
		flags |= CAPS_F_KTHREAD;
	w->ns = mntns | flags << 32;
}

/* check_of() with probe reads, and audited from opts (moot.bpf.h as there). */
static __always_inline void check_of_probe(struct cap_check_rec *c, struct task_struct *task,
					   const struct cred *task_cred, const struct cred *cred,
					   struct user_namespace *targ_ns, int cap, int ret,
					   bool audited, __u64 task_flags)
{
	__u8 flags = audited ? CAPS_F_AUDIT : 0;
	struct pt_regs *regs;

	if (cred != task_cred)
		flags |= CAPS_F_OTHER_CRED;
	else if (task_cred != IG_TASK_READ(task, real_cred))
		flags |= CAPS_F_OVERRIDE;
	c->kind = CAPS_REC_CHECK;
	c->cap = cap;
	c->verdict = ret ? CAPS_VERDICT_DENY : CAPS_VERDICT_ALLOW;
	c->flags = flags;
	c->target_userns = targ_ns ? BPF_CORE_READ(targ_ns, ns.inum) : CAPS_INIT_USERNS;
	c->current_userns = BPF_CORE_READ(cred, user_ns, ns.inum);
	regs = task_flags & CAPS_F_KTHREAD ? NULL : user_regs(task);
	c->syscall = regs ? BPF_CORE_READ(regs, orig_ax) : -1;
	if (cap == CAPS_CAP_SETPCAP && c->syscall == CAPS_NR_CAPSET &&
	    capset_moot_args(BPF_CORE_READ(regs, di), BPF_CORE_READ(regs, si), cred))
		c->flags |= CAPS_F_MOOT;
}

/*
 * One check, from any of the programs below; timer: the program may use the
 * per-CPU batches and their flush timer (a compile-time constant).
 */
static __always_inline int check_probe(const struct cred *cred, struct user_namespace *targ_ns,
				       int cap, unsigned int opts, int ret, bool timer)
{
	struct task_struct *task = ig_current_task();
	__u32 cpu = bpf_get_smp_processor_id(), zero = 0, mntns;
	const struct cred *task_cred;
	struct cap_check_rec c;
	struct caps_batch *b;
	struct caps_who w;
	__u64 jiffies, id = bpf_get_current_pid_tgid();
	bool audited;

	direct_seen(id);
	if (ctl == CAPS_CTL_STOP)	/* no calibration: opts says it all */
		return timer && ctl_tid == (__u32)id ? flush_cpu(cpu) : 0;
	if (timer)
		b = bpf_map_lookup_elem(&caps_batches, &cpu);
	else
		b = bpf_map_lookup_elem(&caps_scratch, &zero);
	if (!b)
		return 0;
	mntns = IG_TASK_READ(task, nsproxy, mnt_ns, ns.inum);
	jiffies = bpf_jiffies64();
	if (!selected_cached(b, task, mntns, jiffies, false))
		return 0;
	audited = !(opts & CAP_OPT_NOAUDIT_BIT);
	if (targ_audit_only && !audited)
		return 0;
	task_cred = IG_TASK_READ(task, cred);
	who_of_probe(&w, task, task_cred, mntns);
	check_of_probe(&c, task, task_cred, cred, targ_ns, cap, ret, audited, w.ns >> 32);
	return deliver(b, &w, &c, mntns, jiffies, !timer || !caps_timer_pin);
}

SEC("fexit/cap_capable")
int BPF_PROG(cap_fexit, const struct cred *cred, struct user_namespace *targ_ns, int cap,
	     unsigned int opts, int ret)
{
	return check_probe(cred, targ_ns, cap, opts, ret, true);
}

SEC("fexit/cap_capable")
int BPF_PROG(cap_fexit_nt, const struct cred *cred, struct user_namespace *targ_ns, int cap,
	     unsigned int opts, int ret)
{
	return check_probe(cred, targ_ns, cap, opts, ret, false);
}

SEC("kprobe/cap_capable")
int BPF_KPROBE(cap_kprobe, const struct cred *cred, struct user_namespace *targ_ns, int cap,
	       unsigned int opts)
{
	struct caps_call call = { cred, targ_ns, cap, opts };
	__u64 id = bpf_get_current_pid_tgid();

	bpf_map_update_elem(&caps_calls, &id, &call, BPF_ANY);
	return 0;
}

SEC("kretprobe/cap_capable")
int BPF_KRETPROBE(cap_kretprobe, int ret)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct caps_call *call = bpf_map_lookup_elem(&caps_calls, &id);
	struct caps_call a;

	if (!call)
		return 0;
	a = *call;
	bpf_map_delete_elem(&caps_calls, &id);
	return check_probe(a.cred, a.targ_ns, a.cap, a.opts, ret, false);
}

#include "direct.bpf.h"

#endif /* IG_CAPS_FALLBACK_BPF_H */
