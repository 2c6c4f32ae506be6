// SPDX-License-Identifier: Apache-2.0
/*
 * --runs N, --output-file and the ABI 1.3 lifecycle services through the
 * fixture-runs gadget: each run is a process of its own that the gadget hears
 * of before its execve, ig exits with the first failed run's status, a run
 * the gadget ends counts as a success, the status line carries the gadget's
 * text, and with --output-file the command keeps stdout.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>

#include "tests/lib/igtest.h"

static char tmpdir[256];

static void setup(void)
{
	char cmd[1024];

	igt_tmpdir_new(tmpdir, sizeof(tmpdir), "runs");
	snprintf(cmd, sizeof(cmd), "cp '%s/tests/fixtures/gadgets/runs.so' '%s/fixture-runs.so'",
		 igt_build_dir(), tmpdir);
	cr_assert_eq(system(cmd), 0, "%s", cmd);
}

static void teardown(void)
{
	igt_tmpdir_remove(tmpdir);
}

TestSuite(runs, .init = setup, .fini = teardown, .timeout = 120);

static const char *path_in(const char *name)
{
	static char buf[4][512];
	static int i;
	char *p = buf[i++ % 4];

	snprintf(p, sizeof(buf[0]), "%s/%s", tmpdir, name);
	return p;
}

/* The records of the fixture in a JSON lines file. */
static json_t *records(const char *file)
{
	char *text = igt_read_file(file, NULL);
	json_t *all;

	cr_assert_not_null(text, "%s was not written", file);
	all = igt_json_values(text);
	free(text);
	return all;
}

static long long num(json_t *rec, const char *key)
{
	return json_integer_value(json_object_get(rec, key));
}

/* Three runs, each its own process, announced before its execve: the pid
 * the gadget is given is the one that ran (it prints its own $$), and the
 * command's stdout is its own, the records in the file. */
Test(runs, each_run_its_own_process)
{
	const char *out = path_in("out.json");
	struct igt_result *r = igt_ig(60000, "run", "--gadget-path", tmpdir, "fixture-runs",
				      "-o", "json", "--output-file", out, "--runs", "3", "--",
				      "/bin/sh", "-c", "echo pid $$", NULL);
	json_t *recs, *rec;
	char want[64];
	size_t i;

	cr_assert_eq(r->status, 0, "%s", r->err);
	cr_assert_eq(igt_count(r->out, "pid "), 3, "stdout is the command's: %s", r->out);
	cr_assert_null(strchr(r->out, '{'), "records on stdout: %s", r->out);
	recs = records(out);
	cr_assert_eq(json_array_size(recs), 4, "3 runs + end: %s", json_dumps(recs, 0));
	for (i = 0; i < 3; i++) {
		rec = json_array_get(recs, i);
		cr_expect_str_eq(json_string_value(json_object_get(rec, "event")), "run");
		cr_expect_eq(num(rec, "run"), (long long)i);
		cr_expect_eq(num(rec, "runs"), 3);
		snprintf(want, sizeof(want), "pid %lld\n", num(rec, "pid"));
		cr_expect_neq(strstr(r->out, want), NULL, "run %zu: pid %lld did not run: %s", i,
			      num(rec, "pid"), r->out);
	}
	json_decref(recs);
	igt_result_free(r);
}

/* ig exits with the status of the first run that failed. */
Test(runs, first_failure_is_the_status)
{
	const char *count = path_in("count");
	char script[512];
	struct igt_result *r;

	/* runs 1 and 3 fail (5, then 7), run 2 succeeds */
	snprintf(script, sizeof(script), "n=$(cat %s 2>/dev/null || echo 0); n=$((n+1)); "
		 "echo $n > %s; case $n in 1) exit 5;; 3) exit 7;; esac; exit 0", count, count);
	r = igt_ig(60000, "run", "--gadget-path", tmpdir, "fixture-runs", "--output-file",
		   path_in("o"), "--runs", "3", "--", "/bin/sh", "-c", script, NULL);
	cr_expect_eq(r->status, 5, "status %d: %s", r->status, r->err);
	igt_result_free(r);
	free(igt_read_file(count, NULL));
	r = igt_ig(60000, "run", "--gadget-path", tmpdir, "fixture-runs", "--output-file",
		   path_in("o"), "--runs", "2", "--", "/bin/sh", "-c", "exit 0", NULL);
	cr_expect_eq(r->status, 0, "status %d: %s", r->status, r->err);
	igt_result_free(r);
}

/* host->end_run after 3 ticks ends each run of a command that would sleep
 * for a minute; runs ended so count as successes; every run saw its ticks. */
Test(runs, gadget_ends_each_run)
{
	const char *out = path_in("end.json");
	struct igt_result *r = igt_ig(60000, "run", "--gadget-path", tmpdir, "fixture-runs",
				      "--end-after", "3", "-o", "json", "--output-file", out,
				      "--runs", "2", "--", "/bin/sleep", "60", NULL);
	json_t *recs;
	size_t i;

	cr_assert_not(r->timed_out, "the runs were not ended");
	cr_assert_eq(r->status, 0, "status %d: %s", r->status, r->err);
	recs = records(out);
	cr_assert_eq(json_array_size(recs), 3);
	for (i = 0; i < 2; i++)
		cr_expect_geq(num(json_array_get(recs, i), "ticks"), 3);
	json_decref(recs);
	igt_result_free(r);
}

/* Usage: --runs needs a command and a number; --output-file a path ig can
 * open, before anything runs. */
Test(runs, bad_flags)
{
	const char *marker = path_in("ran");
	char touch[600];
	struct igt_result *r;

	r = igt_ig(20000, "run", "--gadget-path", tmpdir, "fixture-runs", "--runs", "2", NULL);
	cr_expect_eq(r->status, 2);
	cr_expect_neq(strstr(r->err, "give it after '--'"), NULL, "%s", r->err);
	igt_result_free(r);
	r = igt_ig(20000, "run", "--gadget-path", tmpdir, "fixture-runs", "--runs", "x", "--",
		   "/bin/true", NULL);
	cr_expect_eq(r->status, 2);
	cr_expect_eq(igt_count(r->err, "\n"), 1, "%s", r->err);
	igt_result_free(r);
	snprintf(touch, sizeof(touch), "touch %s", marker);
	r = igt_ig(20000, "run", "--gadget-path", tmpdir, "fixture-runs", "--output-file",
		   "/nonexistent/dir/out.json", "--", "/bin/sh", "-c", touch, NULL);
	cr_expect_eq(r->status, 1);
	cr_expect_str_eq(r->err, "ig: --output-file /nonexistent/dir/out.json: "
			 "No such file or directory\n");
	cr_expect_neq(access(marker, F_OK), 0, "the command ran");
	igt_result_free(r);
}
