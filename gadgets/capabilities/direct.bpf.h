/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * fallback.bpf.h's made-up checks. security/commoncap.c calls cap_capable()
 * directly in three places, and the compiler may inline those calls (Debian's
 * 5.10, 6.1 and 6.12 do), so a probe on cap_capable() never sees them:
 *  - cap_vm_enough_memory(): CAP_SYS_ADMIN, CAP_OPT_NOAUDIT, on every
 *    writable private mapping; it returns 1 when the task has it;
 *  - cap_capset() through cap_inh_is_capped(): CAP_SETPCAP, audited, on
 *    every capset(2), asked of the caller's own user namespace, so granted
 *    exactly when the old credentials' effective set has it;
 *  - cap_mmap_addr(): CAP_SYS_RAWIO for a mapping below mmap_min_addr
 *    (rare; not made up).
 * A probe at the caller's entry notes the thread (caps_direct); at its exit,
 * unless cap_capable()'s program saw the check in between (the call was
 * not inlined after all: direct_seen()), the check is made up as the
 * tracepoint would have shown it.
 */
#ifndef IG_CAPS_DIRECT_BPF_H
#define IG_CAPS_DIRECT_BPF_H

#define CAPS_SYS_ADMIN		21
#define CAPS_EPERM		1

static __always_inline int direct_enter(const struct cred *cred)
{
	struct caps_direct_call call = { .cred = cred };
	__u64 id = bpf_get_current_pid_tgid();

	bpf_map_update_elem(&caps_direct, &id, &call, BPF_ANY);
	return 0;
}

/* The thread's entry, taken out: true when the check needs making up. */
static __always_inline bool direct_unseen(struct caps_direct_call *out)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct caps_direct_call *call = bpf_map_lookup_elem(&caps_direct, &id);

	if (!call)
		return false;
	*out = *call;
	bpf_map_delete_elem(&caps_direct, &id);
	return !out->seen;
}

/* cap_vm_enough_memory() returned ret (1: the task has CAP_SYS_ADMIN). */
static __always_inline int vm_exit(int ret, bool timer)
{
	struct caps_direct_call call;
	struct task_struct *task;

	if (!direct_unseen(&call))
		return 0;
	task = ig_current_task();
	return check_probe(IG_TASK_READ(task, cred), NULL, CAPS_SYS_ADMIN, CAP_OPT_NOAUDIT_BIT,
			   ret == 1 ? 0 : -CAPS_EPERM, timer);
}

/* cap_capset() of the old credentials returned: its CAP_SETPCAP check. */
static __always_inline int capset_exit(const struct cred *old, bool timer)
{
	struct caps_direct_call call;
	__u64 eff = 0;

	if (!direct_unseen(&call))
		return 0;
	if (!old)
		old = call.cred;
	/* kernel_cap_t: a u64 since 6.3, two u32 before; bit 8 either way */
	bpf_core_read(&eff, sizeof(eff), &old->cap_effective);
	return check_probe(old, BPF_CORE_READ(old, user_ns), CAPS_CAP_SETPCAP, 0,
			   eff & (1ull << CAPS_CAP_SETPCAP) ? 0 : -CAPS_EPERM, timer);
}

SEC("fentry/cap_vm_enough_memory")
int BPF_PROG(cap_vm_fentry)
{
	return direct_enter(NULL);
}

SEC("fexit/cap_vm_enough_memory")
int BPF_PROG(cap_vm_fexit, struct mm_struct *mm, long pages, int ret)
{
	return vm_exit(ret, true);
}

SEC("fexit/cap_vm_enough_memory")
int BPF_PROG(cap_vm_fexit_nt, struct mm_struct *mm, long pages, int ret)
{
	return vm_exit(ret, false);
}

SEC("kprobe/cap_vm_enough_memory")
int BPF_KPROBE(cap_vm_kprobe)
{
	return direct_enter(NULL);
}

SEC("kretprobe/cap_vm_enough_memory")
int BPF_KRETPROBE(cap_vm_kretprobe, int ret)
{
	return vm_exit(ret, false);
}

SEC("fentry/cap_capset")
int BPF_PROG(cap_capset_fentry)
{
	return direct_enter(NULL);
}

SEC("fexit/cap_capset")
int BPF_PROG(cap_capset_fexit, struct cred *new, const struct cred *old)
{
	return capset_exit(old, true);
}

SEC("fexit/cap_capset")
int BPF_PROG(cap_capset_fexit_nt, struct cred *new, const struct cred *old)
{
	return capset_exit(old, false);
}

SEC("kprobe/cap_capset")
int BPF_KPROBE(cap_capset_kprobe, struct cred *new, const struct cred *old)
{
	return direct_enter(old);
}

SEC("kretprobe/cap_capset")
int BPF_KRETPROBE(cap_capset_kretprobe)
{
	return capset_exit(NULL, false);
}

#endif /* IG_CAPS_DIRECT_BPF_H */
