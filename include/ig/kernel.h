/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What a gadget needs from the kernel, and the attach points it can use.
 * Part of the gadget ABI since 1.4 (included by ig/gadget.h).
 *
 * The kernels users run, 5.10 to the newest, differ in which tracepoints
 * exist, whether fentry/fexit and kprobes are allowed, and which helpers,
 * kfuncs and map types a BPF program may use. A gadget never compares
 * version numbers (backports break them). It declares, for each attach point
 * ("role"), its alternatives cheapest first -- a BTF-typed tracepoint, then
 * fentry/fexit, then a kprobe -- in desc->hooks, and before init() the core
 * chooses for each role the first alternative this kernel has: BTF first
 * (does the tracepoint or the function exist), a probe load where BTF cannot
 * tell (is fentry allowed, does a helper exist). Probes run once per ig
 * process, only for what is asked, and every gadget shares the answers;
 * `ig doctor` prints them. A gadget with a role that no alternative can fill
 * is not started: the core prints one line naming what is missing and since
 * which Linux version it exists.
 *
 * In init() a gadget turns off the programs of the alternatives that lost
 * (ig_gadget_select_programs() in ig/bpf_gadget.h does it from the table),
 * and asks host->kernel_has() for features it handles itself: a helper or
 * kfunc called behind a read-only knob, so that the verifier of a kernel
 * without it never sees the call (it skips branches a known constant rules
 * out).
 *
 * IG_DISABLE_FEATURES=name[,name...] in the environment makes ig treat those
 * features as missing (names as ig doctor prints them: tp_btf, fentry,
 * kprobe, task_btf ...): a way to run the fallbacks on a kernel that would
 * not need them, and to see what a gadget does without a hook.
 */
#ifndef IG_KERNEL_H
#define IG_KERNEL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Kernel features, by bit number (1ull << IG_KF_x in struct ig_hook.needs).
 * Append only: the numbers are ABI. The Linux version in each comment is
 * when mainline got it; ig doctor prints the same. */
enum ig_kfeature {
	IG_KF_TP_BTF = 0,	/* BTF-typed tracepoints, SEC("tp_btf/x") (5.5) */
	IG_KF_RAW_TP,		/* raw tracepoints, SEC("raw_tp/x"), and their test runs (5.10) */
	IG_KF_FENTRY,		/* fentry/fexit trampolines (5.5; refused on some kernels) */
	IG_KF_KPROBE,		/* kprobes and kretprobes (4.1; CONFIG_KPROBES) */
	IG_KF_RINGBUF,		/* BPF ring buffer maps (5.8) */
	IG_KF_TASK_BTF,		/* bpf_get_current_task_btf() in tracing programs (5.11) */
	IG_KF_TASK_BTF_ANY,	/* ... in every program type, cgroup ones too (by 5.17) */
	IG_KF_TASK_STORAGE,	/* task local storage in tracing programs (5.11) */
	IG_KF_TASK_PT_REGS,	/* bpf_task_pt_regs() (5.15) */
	IG_KF_TIMER,		/* bpf_timer (5.15) */
	IG_KF_TIMER_CPU_PIN,	/* bpf_timer_start(..., BPF_F_TIMER_CPU_PIN) (6.7) */
	IG_KF_RDONLY_CAST,	/* the bpf_rdonly_cast() kfunc (6.2) */
	IG_KF_RUNTIME_ALLOC,	/* hash maps without preallocation in kprobe and raw_tp
				 * programs: older kernels warn (and may deadlock) (6.1) */
	IG_KF_NR,		/* how many this ig knows; not a feature */
};

#define IG_KF(f)	(1ull << (f))

/* How an alternative attaches (struct ig_hook.kind). */
enum ig_hook_kind {
	IG_HOOK_TP_BTF = 1,	/* target: a tracepoint, "sys_enter" */
	IG_HOOK_RAW_TP,		/* target: a tracepoint */
	IG_HOOK_FENTRY,		/* target: a kernel function */
	IG_HOOK_FEXIT,		/* target: a kernel function */
	IG_HOOK_KPROBE,		/* target: a kernel function (kprobe, kretprobe or both) */
	IG_HOOK_OTHER,		/* cgroup, socket filter...: only .needs is checked;
				 * target is shown as it is */
};

/*
 * One alternative of one attach point. A gadget's table lists, for each role,
 * its alternatives one after the other, cheapest first; the core takes the
 * first whose kind is allowed, whose target exists in the kernel's BTF
 * (typedef btf_trace_<target> for tracepoints, function <target> for
 * fentry/fexit/kprobe) and whose needs are all there. Roles are independent:
 * alternatives that share state must declare the same needs, so that a
 * kernel picks them together. All strings static.
 */
struct ig_hook {
	const char *role;	/* what it is for, one short phrase: "syscall entry" */
	const char *target;	/* tracepoint or function name */
	const char *progs;	/* this alternative's BPF programs, space separated:
				 * the ones ig_gadget_select_programs() switches */
	const char *note;	/* NULL, or how it differs, shown by ig doctor:
				 * "probe reads" */
	const char *since;	/* NULL, or the Linux version the target appeared
				 * in, for the line that says it is missing */
	uint64_t needs;		/* IG_KF() bits needed besides the kind's own */
	uint32_t kind;		/* enum ig_hook_kind */
	uint32_t pad;
};

#ifdef __cplusplus
}
#endif

#endif /* IG_KERNEL_H */
