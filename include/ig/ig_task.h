/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The current task on every kernel ig runs on (BPF side).
 *
 * Since 5.11 a tracing program gets the current task as a trusted BTF
 * pointer, bpf_get_current_task_btf(), whose fields are plain loads. Before
 * that it is an address, read with probe reads (BPF_CORE_READ), which cost
 * a helper call per field. ig_task_btf says which this run has: user space
 * sets it before load from host->kernel_has(IG_KF_TASK_BTF) (or _ANY for
 * cgroup programs). The verifier knows the value of a read-only knob and
 * never looks at a branch it rules out, so a kernel without the helper
 * never sees the call, and the fast path costs nothing where it exists.
 */
#ifndef IG_BPF_TASK_H
#define IG_BPF_TASK_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

const volatile bool ig_task_btf = true;

static __always_inline struct task_struct *ig_current_task(void)
{
	if (ig_task_btf)
		return bpf_get_current_task_btf();
	return (struct task_struct *)bpf_get_current_task();
}

/* task->a->b.c of a task from ig_current_task() (or a trusted tracepoint
 * argument): one load where the task is a BTF pointer, probe reads where it
 * is an address. */
#define IG_TASK_READ(task, ...) \
	(ig_task_btf ? ___arrow(task, __VA_ARGS__) : BPF_CORE_READ(task, __VA_ARGS__))

#endif /* IG_BPF_TASK_H */
