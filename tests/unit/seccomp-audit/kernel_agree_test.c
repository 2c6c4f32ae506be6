// SPDX-License-Identifier: Apache-2.0
/*
 * seccomp-audit: the user-space interpreter agrees with the kernel. A child
 * loads the very program sau_filter_build() produced (no root needed with
 * no_new_privs) and makes harmless syscalls with many argument vectors; each
 * ERRNO rule has its own errno value, so what the kernel did is visible and
 * compared with sau_filter_run()'s prediction.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gadgets/seccomp-audit/seccomp_audit_int.h"

static const char profile[] =
	"defaultAction: SCMP_ACT_ALLOW\n"
	"syscalls:\n"
	"- {names: [getpriority], action: SCMP_ACT_ERRNO, errnoRet: 201,\n"
	"   args: [{index: 0, value: 1, op: SCMP_CMP_GE},\n"
	"          {index: 1, value: 100, op: SCMP_CMP_LT}]}\n"
	"- {names: [getpriority], action: SCMP_ACT_ERRNO, errnoRet: 202,\n"
	"   args: [{index: 1, value: 7, op: SCMP_CMP_EQ}]}\n"
	"- {names: [getpgid], action: SCMP_ACT_ERRNO, errnoRet: 203,\n"
	"   args: [{index: 0, value: 240, valueTwo: 16, op: SCMP_CMP_MASKED_EQ},\n"
	"          {index: 0, value: 3, op: SCMP_CMP_LE}]}\n"
	"- {names: [getsid], action: SCMP_ACT_ERRNO, errnoRet: 204,\n"
	"   args: [{index: 0, value: 5, op: SCMP_CMP_NE}]}\n"
	"- {names: [sched_getscheduler], action: SCMP_ACT_ERRNO, errnoRet: 205,\n"
	"   args: [{index: 0, value: 4294967296, op: SCMP_CMP_GT}]}\n";

static const int nrs[] = { SYS_getpriority, SYS_getpgid, SYS_getsid, SYS_sched_getscheduler };
static const uint64_t vals[] = { 0, 1, 2, 3, 5, 7, 16, 17, 99, 100, 0x10, 0xf0, 0x1f3,
				 4294967296ull, 4294967297ull, ~0ull };
#define NV (sizeof(vals) / sizeof(vals[0]))

/* errno the kernel gave, or 0 when the syscall was not denied by us */
static int kernel_errno(const struct sau_filter *f, struct sock_fprog *prog, int nr,
			uint64_t a0, uint64_t a1)
{
	int pipefd[2], st, got = -1;
	pid_t pid;

	(void)f;
	cr_assert_eq(pipe(pipefd), 0);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		long r;
		int e;

		prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, prog))
			_exit(2);
		r = syscall(nr, a0, a1, 0, 0, 0, 0);
		e = r == -1 && errno > 200 && errno < 210 ? errno : 0;
		if (write(pipefd[1], &e, sizeof(e)) != sizeof(e))
			_exit(3);
		_exit(0);
	}
	close(pipefd[1]);
	cr_assert_eq(read(pipefd[0], &got, sizeof(got)), sizeof(got));
	close(pipefd[0]);
	waitpid(pid, &st, 0);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	return got;
}

Test(eval, interpreter_agrees_with_kernel)
{
	char err[SP_ERR_LEN];
	struct sp_profile *p;
	struct sau_filter *f;
	struct sock_filter *insns;
	struct sock_fprog prog;
	size_t len, i, j, k;

	p = sp_profile__parse("k.yaml", profile, sizeof(profile) - 1, err, sizeof(err));
	cr_assert_not_null(p, "%s", err);
	f = sau_filter_build(p, err, sizeof(err));
	cr_assert_not_null(f, "%s", err);
	cr_assert_eq(sau_filter_insns(f, &insns, &len), 0);
	prog.len = (unsigned short)len;
	prog.filter = insns;
	for (i = 0; i < sizeof(nrs) / sizeof(nrs[0]); i++) {
		for (j = 0; j < NV; j++) {
			for (k = 0; k < NV; k += 3) {
				uint64_t args[6] = { vals[j], vals[k] };
				uint32_t ret = sau_filter_run(f, nrs[i], args);
				int want = (ret & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_ERRNO ?
					   (int)(ret & 0xffff) : 0;

				cr_expect_eq(kernel_errno(f, &prog, nrs[i], vals[j], vals[k]), want,
					     "nr %d args %#llx %#llx", nrs[i],
					     (unsigned long long)vals[j],
					     (unsigned long long)vals[k]);
			}
		}
	}
	sau_filter_free(f);
	sp_profile__free(p);
}
