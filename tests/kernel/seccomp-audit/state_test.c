// SPDX-License-Identifier: Apache-2.0
/*
 * seccomp-audit leaves audit as it found it: switched on for the run when
 * it was off (said under -v), off again after a command run and after
 * SIGINT, untouched when it was on. Also runs the parser unit tests under
 * valgrind (tests/unit/seccomp-audit/valgrind.sh).
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kt_helpers.h"

static int orig_enabled = -1;

static void state_init(void)
{
	kt_lock();
	orig_enabled = kt_audit_enabled();
}

static void state_fini(void)
{
	if (orig_enabled == 0 || orig_enabled == 1)
		kt_audit_set(orig_enabled);
	kt_unlock();
}

TestSuite(state, .init = state_init, .fini = state_fini, .timeout = 60);

Test(state, restored_after_command_and_sigint)
{
	struct igt_result *r;
	struct igt_proc *p;

	cr_assert_neq(orig_enabled, 2, "audit is locked (enabled=2): this test cannot toggle it");
	kt_audit_set(0);
	r = igt_ig(20000, "run", "seccomp-audit", "-v", "--", "/bin/true", NULL);
	cr_expect_eq(r->status, 0, "%s", r->err);
	cr_expect(strstr(r->err, "audit was disabled: enabled it for this run"), "%s", r->err);
	cr_expect_eq(kt_audit_enabled(), 0, "audit left on after a command run");
	igt_result_free(r);

	p = igt_spawn_ig_ready("run", "seccomp-audit", "--", "/bin/sleep", "30", NULL);
	cr_expect_eq(kt_audit_enabled(), 1, "audit not on while ig runs");
	r = igt_proc_finish(p, SIGINT, 10000);
	cr_expect_eq(r->status, 0, "ig after SIGINT: %d %s", r->status, r->err);
	cr_expect_eq(kt_audit_enabled(), 0, "audit left on after SIGINT");
	igt_result_free(r);

	p = igt_spawn_ig_ready("run", "seccomp-audit", "--", "/bin/sleep", "30", NULL);
	r = igt_proc_finish(p, SIGTERM, 10000);
	cr_expect_eq(kt_audit_enabled(), 0, "audit left on after SIGTERM");
	igt_result_free(r);
}

/* Two runs at once: the first to end must not switch audit off under the
 * second; the last one does. */
Test(state, overlapping_runs)
{
	struct igt_proc *a, *b;
	struct igt_result *r;

	kt_audit_set(0);
	a = igt_spawn_ig_ready("run", "seccomp-audit", "--", "/bin/sleep", "30", NULL);
	b = igt_spawn_ig_ready("run", "seccomp-audit", "--", "/bin/sleep", "30", NULL);
	cr_expect_eq(kt_audit_enabled(), 1);
	r = igt_proc_finish(a, SIGINT, 10000);
	igt_result_free(r);
	cr_expect_eq(kt_audit_enabled(), 1, "the first run to end switched audit off");
	r = igt_proc_finish(b, SIGINT, 10000);
	igt_result_free(r);
	cr_expect_eq(kt_audit_enabled(), 0, "the last run left audit on");
}

/* A run killed with SIGKILL cannot restore; the next run that ends does. */
Test(state, after_sigkill_next_run_restores)
{
	struct igt_result *r;
	struct igt_proc *p;

	kt_audit_set(0);
	p = igt_spawn_ig_ready("run", "seccomp-audit", "--", "/bin/sleep", "2", NULL);
	r = igt_proc_finish(p, SIGKILL, 10000);
	igt_result_free(r);
	cr_expect_eq(kt_audit_enabled(), 1, "SIGKILL cannot restore: expected still on");
	r = igt_ig(20000, "run", "seccomp-audit", "--", "/bin/true", NULL);
	cr_expect_eq(r->status, 0, "%s", r->err);
	igt_result_free(r);
	cr_expect_eq(kt_audit_enabled(), 0, "the next run did not restore audit");
}

Test(state, untouched_when_on)
{
	struct igt_result *r;

	kt_audit_set(1);
	r = igt_ig(20000, "run", "seccomp-audit", "-v", "--", "/bin/true", NULL);
	cr_expect_eq(r->status, 0, "%s", r->err);
	cr_expect_null(strstr(r->err, "audit was disabled"), "%s", r->err);
	cr_expect_eq(kt_audit_enabled(), 1, "audit switched off although it was on");
	igt_result_free(r);
	/* --audit=false: audit is not touched at all */
	kt_audit_set(0);
	r = igt_ig(20000, "run", "seccomp-audit", "--audit=false", "--", "/bin/true", NULL);
	cr_expect_eq(r->status, 0, "%s", r->err);
	cr_expect_eq(kt_audit_enabled(), 0);
	igt_result_free(r);
}

Test(valgrind, parser_and_evaluator, .timeout = 400)
{
	const char *const argv[] = {
		"tests/unit/seccomp-audit/valgrind.sh", igt_build_dir(), NULL,
	};
	struct igt_result *r;

	cr_assert_eq(access(argv[0], X_OK), 0,
		     "run from the source tree root (scripts/run-tests.sh does)");
	r = igt_run(argv, 390000);
	cr_expect_eq(r->status, 0, "valgrind found errors or leaks:\n%s%s", r->out,
		     r->err + (r->err_len > 8000 ? r->err_len - 8000 : 0));
	cr_expect(strstr(r->out, "no memory errors, no leaks"), "%s", r->out);
	igt_result_free(r);
}
