// SPDX-License-Identifier: Apache-2.0
/*
 * seccomp-audit: AUDIT_SECCOMP record parsing, the merge of one event seen
 * by several sources, and --unique, fed synthetic records.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "gadgets/seccomp-audit/seccomp_audit_int.h"

Test(audit, parse_record)
{
	static const char txt[] =
		"audit(1795923510.245:2): auid=4294967295 uid=0 gid=0 ses=4294967295 "
		"pid=8244 comm=\"t x\" exe=\"/tmp/t\" sig=0 arch=c000003e syscall=110 compat=0 "
		"ip=0x7fb414a27829 code=0x7ffc0000";
	struct sau_audit_rec r;

	cr_assert_eq(sau_audit_parse(txt, sizeof(txt), &r), 0);
	cr_expect_eq(r.wall_ms, 1795923510245ull);
	cr_expect_eq(r.pid, 8244);
	cr_expect_eq(r.arch, 0xc000003e);
	cr_expect_eq(r.nr, 110);
	cr_expect_eq(r.code, 0x7ffc0000);
	cr_expect_eq(sp_act_from_ret(r.code), SP_ACT_LOG);
	cr_expect_str_eq(r.exe, "/tmp/t");
}

Test(audit, parse_hex_comm_and_garbage)
{
	static const char txt[] = "audit(1.002:9): pid=7 uid=0 comm=6120622063 exe=2F62 sig=31 "
				  "arch=c000003e syscall=163 compat=0 ip=0x1 code=0x0";
	struct sau_audit_rec r;

	cr_assert_eq(sau_audit_parse(txt, strlen(txt), &r), 0);
	cr_expect_str_eq(r.comm, "a b c");
	cr_expect_str_eq(r.exe, "/b");
	cr_expect_eq(r.wall_ms, 1002);
	cr_expect_eq(sp_act_from_ret(r.code), SP_ACT_KILL_THREAD);
	cr_expect_eq(sau_audit_parse("audit(1.2:3): pid=1", 19, &r), -EINVAL);
	cr_expect_eq(sau_audit_parse("type=SECCOMP", 12, &r), -EINVAL);
	cr_expect_eq(sau_audit_parse("audit(", 6, &r), -EINVAL);
	cr_expect_eq(sau_audit_parse("", 0, &r), -EINVAL);
	cr_expect_eq(sau_audit_parse("audit(1.2:3): pid=x arch=1 syscall=1 code=0x0", 45, &r),
		     -EINVAL);
}

#define MAXREC 16
static struct sau_rec out[MAXREC];
static int nout;

static void collect(void *ctx, const struct sau_rec *r)
{
	(void)ctx;
	if (nout < MAXREC)
		out[nout++] = *r;
}

static struct sau_rec rec(uint32_t pid, int nr, enum sp_act act, uint32_t src)
{
	struct sau_rec r = { .pid = pid, .tid = src == SAU_SRC_AUDIT ? 0 : pid, .nr = nr,
			     .act = act, .err = -1, .sources = src };

	return r;
}

#define MS 1000000ull

Test(merge, signal_then_audit_is_one_record)
{
	struct sau_merge *m = sau_merge_new(250 * MS, collect, NULL);
	struct sau_rec r;

	nout = 0;
	sau_merge_add(m, (r = rec(10, 163, SP_ACT_KILL_PROCESS, SAU_SRC_SIGNAL), &r), 1000 * MS);
	sau_merge_add(m, (r = rec(10, 110, SP_ACT_LOG, SAU_SRC_AUDIT), &r), 1010 * MS);
	sau_merge_flush(m, 1100 * MS, false);
	cr_expect_eq(nout, 0, "held events left early");
	sau_merge_add(m, (r = rec(10, 163, SP_ACT_KILL_THREAD, SAU_SRC_AUDIT), &r), 1120 * MS);
	sau_merge_flush(m, 1300 * MS, false);
	cr_assert_eq(nout, 2);
	cr_expect_eq(out[0].nr, 163, "order kept");
	cr_expect_eq(out[0].act, SP_ACT_KILL_THREAD, "audit has the exact action");
	cr_expect_eq(out[0].sources, SAU_SRC_SIGNAL | SAU_SRC_AUDIT);
	cr_expect_eq(out[0].tid, 10);
	cr_expect_eq(out[1].act, SP_ACT_LOG);
	sau_merge_free(m);
}

/* The kernel logs before it raises the signal: when the task is preempted in
 * between, the audit copy is read first. Still one record, with the audit's
 * exact action and the signal's thread. */
Test(merge, audit_then_signal_is_one_record)
{
	struct sau_merge *m = sau_merge_new(250 * MS, collect, NULL);
	struct sau_rec r;

	nout = 0;
	sau_merge_add(m, (r = rec(10, 163, SP_ACT_KILL_PROCESS, SAU_SRC_AUDIT), &r), 1000 * MS);
	sau_merge_flush(m, 1001 * MS, false);
	cr_expect_eq(nout, 0, "an audit copy a signal may follow waits");
	sau_merge_add(m, (r = rec(10, 163, SP_ACT_KILL_PROCESS, SAU_SRC_SIGNAL), &r), 1002 * MS);
	/* a LOG record has no tracepoint copy to wait for */
	sau_merge_add(m, (r = rec(10, 110, SP_ACT_LOG, SAU_SRC_AUDIT), &r), 1003 * MS);
	sau_merge_flush(m, 1100 * MS, false);
	cr_expect_eq(nout, 0, "the LOG record leaves after the kill, not before");
	sau_merge_flush(m, 1300 * MS, false);
	cr_assert_eq(nout, 2);
	cr_expect_eq(out[0].nr, 163);
	cr_expect_eq(out[0].act, SP_ACT_KILL_PROCESS);
	cr_expect_eq(out[0].sources, SAU_SRC_SIGNAL | SAU_SRC_AUDIT);
	cr_expect_eq(out[0].tid, 10, "the signal's thread");
	cr_expect_eq(out[1].act, SP_ACT_LOG);
	/* a second signal of the same kind is an event of its own */
	sau_merge_add(m, (r = rec(10, 163, SP_ACT_KILL_PROCESS, SAU_SRC_SIGNAL), &r), 1400 * MS);
	sau_merge_flush(m, 0, true);
	cr_expect_eq(nout, 3);
	sau_merge_free(m);
}

Test(merge, late_audit_copy_and_repeats)
{
	struct sau_merge *m = sau_merge_new(250 * MS, collect, NULL);
	struct sau_rec r;
	int i;

	nout = 0;
	/* three ERRNO exits, then three audit copies (filter with LOG flag) */
	for (i = 0; i < 3; i++) {
		r = rec(20, 140, SP_ACT_ERRNO, SAU_SRC_EXIT);
		r.err = 13;
		sau_merge_add(m, &r, (uint64_t)(1000 + i) * MS);
	}
	sau_merge_flush(m, 1300 * MS, false);
	cr_assert_eq(nout, 3);
	/* late: after emission, still recognised as copies */
	for (i = 0; i < 3; i++)
		sau_merge_add(m, (r = rec(20, 140, SP_ACT_ERRNO, SAU_SRC_AUDIT), &r), 1400 * MS);
	/* a fourth audit record has no twin: it is an event of its own */
	sau_merge_add(m, (r = rec(20, 140, SP_ACT_ERRNO, SAU_SRC_AUDIT), &r), 1400 * MS);
	/* different family (trap) never merges with errno */
	sau_merge_add(m, (r = rec(20, 140, SP_ACT_TRAP, SAU_SRC_AUDIT), &r), 1400 * MS);
	sau_merge_flush(m, 0, true);
	cr_expect_eq(nout, 5);
	cr_expect_eq(out[0].err, 13);
	cr_expect_eq(out[3].sources, SAU_SRC_AUDIT);
	cr_expect_eq(out[4].act, SP_ACT_TRAP);
	sau_merge_free(m);
}

Test(merge, no_hold_emits_at_once)
{
	struct sau_merge *m = sau_merge_new(0, collect, NULL);
	struct sau_rec r = rec(5, 1, SP_ACT_ERRNO, SAU_SRC_EXIT);

	nout = 0;
	sau_merge_add(m, &r, 1);
	cr_expect_eq(nout, 1);
	sau_merge_flush(m, 2, true);
	cr_expect_eq(nout, 1);
	sau_merge_free(m);
	sau_merge_free(NULL);
}

Test(uniq, once_per_container_syscall_action)
{
	struct sau_uniq *u = sau_uniq_new();
	int i;

	cr_assert_not_null(u);
	cr_expect(sau_uniq_first(u, 1, 140, SP_ACT_ERRNO));
	cr_expect_not(sau_uniq_first(u, 1, 140, SP_ACT_ERRNO));
	cr_expect(sau_uniq_first(u, 2, 140, SP_ACT_ERRNO));
	cr_expect(sau_uniq_first(u, 1, 140, SP_ACT_LOG));
	cr_expect(sau_uniq_first(u, 1, 141, SP_ACT_ERRNO));
	for (i = 0; i < 1000; i++)
		cr_expect(sau_uniq_first(u, 9, i, SP_ACT_TRAP));
	for (i = 0; i < 1000; i++)
		cr_expect_not(sau_uniq_first(u, 9, i, SP_ACT_TRAP));
	cr_expect_not(sau_uniq_first(u, 1, 140, SP_ACT_ERRNO));
	sau_uniq_free(u);
	sau_uniq_free(NULL);
}
