// SPDX-License-Identifier: Apache-2.0
/*
 * seccomp-audit --profile (dry run): the same workload is run once without a
 * filter under --profile and once with the profile applied by runc under the
 * live audit; the (syscall, action) sets must be equal. Malformed profiles
 * are refused with file:line:col and a non-zero exit.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kt_helpers.h"

TestSuite(dryrun, .init = kt_lock, .fini = kt_unlock, .timeout = 90);

static char *live_set(const char *const args[])
{
	const char *const extra[] = { "--unique", NULL };
	struct igt_bundle *b = kt_bundle("sau-l", args, kt_profile_json);
	struct igt_result *run;
	json_t *recs = kt_record(b, extra, &run);
	char *set = kt_set(recs);

	json_decref(recs);
	igt_result_free(run);
	igt_bundle_destroy(b);
	return set;
}

static char *dry_set(const char *const args[], const char *profile_text, const char *tag)
{
	char path[128];
	const char *const extra[] = { "--unique", "--profile",
				      kt_write_temp(tag, profile_text, path, sizeof(path)), NULL };
	struct igt_bundle *b = kt_bundle("sau-d", args, NULL);
	struct igt_result *run;
	json_t *recs = kt_record(b, extra, &run), *rec;
	char *set = kt_set(recs);
	size_t i;

	/* nothing is applied: the workload runs to its end untouched */
	cr_expect(strstr(run->out, "traps=0"), "%s%s", run->out, run->err);
	json_array_foreach(recs, i, rec)
		cr_expect_str_eq(json_string_value(json_object_get(rec, "source")), "profile");
	json_decref(recs);
	igt_result_free(run);
	igt_bundle_destroy(b);
	unlink(path);
	return set;
}

Test(dryrun, agrees_with_live_oci_json)
{
	const char *const args[] = { "run", "kill", NULL };
	char *live = live_set(args), *dry = dry_set(args, kt_profile_json, "oci");

	cr_expect_str_eq(live, "acct/kill_process,getcpu/trap,getpriority/errno,personality/errno,"
			 "sysinfo/log", "live audit: %s", live);
	cr_expect_str_eq(dry, live, "dry run %s != live %s", dry, live);
	free(live);
	free(dry);
}

Test(dryrun, agrees_with_live_spo_yaml)
{
	const char *const args[] = { "run", NULL };
	char *live = live_set(args), *dry = dry_set(args, kt_profile_spo_yaml, "spo");

	cr_expect_str_eq(live, "getcpu/trap,getpriority/errno,personality/errno,sysinfo/log",
			 "live audit: %s", live);
	cr_expect_str_eq(dry, live, "dry run %s != live %s", dry, live);
	free(live);
	free(dry);
}

/* errno values of the prediction: EACCES from errnoRet, EPERM by default */
Test(dryrun, errno_and_counts)
{
	char path[128];
	const char *const args[] = { "run", NULL };
	const char *const extra[] = { "--profile", kt_write_temp("cnt", kt_profile_json, path,
								 sizeof(path)), NULL };
	struct igt_bundle *b = kt_bundle("sau-c", args, NULL);
	struct igt_result *run;
	json_t *recs = kt_record(b, extra, &run);
	char *set = kt_set(recs);

	cr_expect_eq(kt_count(recs, "getpriority", "errno", "EACCES"), 3, "%s", set);
	cr_expect_eq(kt_count(recs, "personality", "errno", "EPERM"), 3, "%s", set);
	cr_expect_eq(kt_count(recs, "sysinfo", "log", NULL), 3, "%s", set);
	cr_expect_eq(kt_count(recs, "getcpu", "trap", NULL), 3, "%s", set);
	cr_expect_eq(json_array_size(recs), 12, "%s", set);
	free(set);
	json_decref(recs);
	igt_result_free(run);
	igt_bundle_destroy(b);
	unlink(path);
}

struct bad_cli {
	char text[160];
	char want[64];
};

static struct bad_cli bad_cli[] = {
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\",\n \"syscalls\": [{\"names\": [\"read\"],\n"
	  "  \"action\": \"SCMP_ACT_NOPE\"}]}\n", ":3:13: expected an action" },
	{ "kind: SeccompProfile\nspec:\n  defaultAction: SCMP_ACT_ALLOW\n  syscalls: [\n",
	  ":5:1: expected valid YAML or JSON" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], "
	  "\"action\": \"SCMP_ACT_LOG\", \"args\": [{\"index\": 9}]}]}",
	  ":1:115: expected an integer 0..5 for index" },
};

Test(dryrun, malformed_profile_refused)
{
	size_t i;

	for (i = 0; i < sizeof(bad_cli) / sizeof(bad_cli[0]); i++) {
		char path[128], want[256];
		struct igt_result *r;

		kt_write_temp("bad", bad_cli[i].text, path, sizeof(path));
		r = igt_ig(20000, "run", "seccomp-audit", "--profile", path, "--", "/bin/true",
			   NULL);
		snprintf(want, sizeof(want), "%s%s", path, bad_cli[i].want);
		cr_expect_neq(r->status, 0, "accepted %s", bad_cli[i].text);
		cr_expect(strstr(r->err, want), "stderr lacks \"%s\": %s", want, r->err);
		cr_expect_eq(igt_count(r->err, "\n"), 1 + igt_count(r->err, "init failed"),
			     "more than one line: %s", r->err);
		igt_result_free(r);
		unlink(path);
	}
}

/* -- COMMAND: what ig's held child does before its execve (close, read on
 * its pipe ...) is ig's set-up, not the workload's, and is not evaluated. */
Test(dryrun, command_setup_not_counted)
{
	static const char profile[] =
		"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\", "
		"\"close\", \"dup2\", \"dup3\", \"prctl\", \"setpgid\", \"rt_sigprocmask\", "
		"\"rt_sigaction\", \"fcntl\", \"close_range\"], \"action\": \"SCMP_ACT_ERRNO\"}]}";
	char path[128], fixture[512];
	struct igt_result *r;
	json_t *recs;
	char *set;

	snprintf(fixture, sizeof(fixture), "%s/tests/fixtures/static/sau_work", igt_build_dir());
	kt_write_temp("setup", profile, path, sizeof(path));
	r = igt_ig(30000, "run", "seccomp-audit", "-o", "json", "--unique", "--profile", path,
		   "--", fixture, "run", NULL);
	cr_assert_eq(r->status, 0, "%d %s", r->status, r->err);
	memset(strstr(r->out, "traps=0"), ' ', 7);
	recs = kt_parse(r->out);
	set = kt_set(recs);
	/* sau_work's own sigaction(SIGSYS) is the only one */
	cr_expect_str_eq(set, "rt_sigaction/errno");
	cr_expect_eq(igt_count(r->out, "\"comm\":\"sau_work\""), 1, "%s", r->out);
	free(set);
	json_decref(recs);
	igt_result_free(r);
	unlink(path);
}
