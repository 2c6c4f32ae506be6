// SPDX-License-Identifier: Apache-2.0
/*
 * core/engine/hooks.c: which alternative of each role a kernel gets, and the
 * one line for a role none can fill. Features named in IG_DISABLE_FEATURES
 * are missing without a probe, so this needs no root: each test sets it
 * before its first question (Criterion runs every test in a process of its
 * own, so the answers kfeat.c remembers never leak between tests).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/engine/hooks.h"
#include "core/engine/kfeat.h"

static const struct ig_hook table[] = {
	{ .role = "syscalls", .kind = IG_HOOK_TP_BTF, .target = "sys_enter",
	  .progs = "fast", .needs = IG_KF(IG_KF_TASK_BTF) },
	{ .role = "syscalls", .kind = IG_HOOK_TP_BTF, .target = "sys_enter",
	  .progs = "slow", .note = "probe reads" },
	{ .role = "flows", .kind = IG_HOOK_OTHER, .target = "cgroup/connect", .progs = "a b" },
};

static void disable(const char *list)
{
	cr_assert_eq(setenv("IG_DISABLE_FEATURES", list, 1), 0);
	cr_assert_eq(ig_kfeat__init(), 0, "IG_DISABLE_FEATURES=%s refused", list);
}

Test(hooks, a_missing_need_picks_the_next_alternative)
{
	struct ig_hook_plan plan;

	disable("task_btf,tp_btf");
	cr_assert_eq(ig_hooks__plan(table, 3, &plan), 0);
	cr_assert_not_null(plan.missing);
	cr_assert_str_eq(plan.missing, "syscalls need tp_btf/sys_enter (BTF-typed tracepoint "
			 "programs: disabled by IG_DISABLE_FEATURES, since Linux 5.5)");
	cr_assert(!plan.chosen[0] && !plan.chosen[1]);
	cr_assert(plan.chosen[2], "a role that needs nothing is always filled");
	ig_hooks__plan_free(&plan);
}

Test(hooks, needs_are_checked_after_the_kind)
{
	struct ig_hook_plan plan;
	struct ig_hook two[] = { table[0], table[2] };

	/* tp_btf itself is there (probed: as root only), task_btf is not */
	disable("task_btf");
	two[0].kind = IG_HOOK_OTHER;
	cr_assert_eq(ig_hooks__plan(two, 2, &plan), 0);
	cr_assert_str_eq(plan.missing, "syscalls need sys_enter (bpf_get_current_task_btf() in "
			 "tracing programs: disabled by IG_DISABLE_FEATURES, since Linux 5.11)");
	ig_hooks__plan_free(&plan);
}

Test(hooks, a_target_the_kernel_lacks_is_named_with_its_version)
{
	struct ig_hook_plan plan;
	const struct ig_hook h[] = {
		{ .role = "checks", .kind = IG_HOOK_TP_BTF, .target = "no_such_tracepoint_ig",
		  .progs = "p", .since = "9.9" },
	};

	disable("");
	cr_assert_eq(ig_hooks__plan(h, 1, &plan), 0);
	cr_assert_not_null(plan.missing);
	cr_assert(strstr(plan.missing, "checks need tp_btf/no_such_tracepoint_ig ("),
		  "%s", plan.missing);
	/* the kind's own probe needs root (as the tests do); the target not */
	if (ig_kfeat__has(IG_KF_TP_BTF) == 1)
		cr_assert(strstr(plan.missing, "the tracepoint no_such_tracepoint_ig is not in this "
				 "kernel, since Linux 9.9)"), "%s", plan.missing);
	ig_hooks__plan_free(&plan);
}

Test(hooks, names)
{
	char buf[64];

	ig_hooks__name(&table[1], true, buf, sizeof(buf));
	cr_assert_str_eq(buf, "tp_btf/sys_enter (probe reads)");
	ig_hooks__name(&table[1], false, buf, sizeof(buf));
	cr_assert_str_eq(buf, "tp_btf/sys_enter");
	ig_hooks__name(&table[2], true, buf, sizeof(buf));
	cr_assert_str_eq(buf, "cgroup/connect");
}

Test(hooks, malformed_tables_are_refused)
{
	struct ig_hook bad[] = { table[0] };
	char why[128];

	cr_assert_eq(ig_hooks__check(table, 3, why, sizeof(why)), 0);
	bad[0].progs = NULL;
	cr_assert_eq(ig_hooks__check(bad, 1, why, sizeof(why)), -EINVAL);
	cr_assert_str_eq(why, "hook table entry 0 lacks a role, target, programs or a known kind");
	bad[0] = table[0];
	bad[0].kind = 42;
	cr_assert_eq(ig_hooks__check(bad, 1, why, sizeof(why)), -EINVAL);
}

Test(hooks, unknown_feature_names_are_refused)
{
	cr_assert_eq(setenv("IG_DISABLE_FEATURES", "tp_btf, nonsense", 1), 0);
	cr_assert_eq(ig_kfeat__init(), -EINVAL);
}
