// SPDX-License-Identifier: Apache-2.0
/*
 * seccomp-advisor recordings that say how complete they are: the report's
 * "ig.io/report" (how long, how many runs or containers, when the last new
 * syscall came and which, how it ended), --runs (the union, and what only
 * some runs used), --until-stable (a container's report once it learned
 * nothing for the period, a command's run ended), --stage, --widen, and
 * --output-dir made when missing.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <ig/gadget.h>

#include "sa_helpers.h"

static char dir[256];

static void setup(void)
{
	igt_tmpdir_new(dir, sizeof(dir), "salc");
}

static void teardown(void)
{
	igt_tmpdir_remove(dir);
}

TestSuite(lifecycle, .init = setup, .fini = teardown, .timeout = 180);

static const char *in_dir(const char *name)
{
	static char buf[4][512];
	static int i;
	char *p = buf[i++ % 4];

	snprintf(p, sizeof(buf[0]), "%s/%s", dir, name);
	return p;
}

static const char *fixture(const char *name)
{
	static char buf[512];

	snprintf(buf, sizeof(buf), "%s/tests/fixtures/static/%s", igt_build_dir(), name);
	return buf;
}

static json_t *load(const char *path)
{
	json_error_t e;
	json_t *j = json_load_file(path, 0, &e);

	cr_assert_not_null(j, "%s: %s", path, e.text);
	return j;
}

static long long report_int(json_t *doc, const char *key)
{
	return json_integer_value(json_object_get(json_object_get(doc, "ig.io/report"), key));
}

static const char *report_str(json_t *doc, const char *key)
{
	return json_string_value(json_object_get(json_object_get(doc, "ig.io/report"), key)) ?: "";
}

/* The report's lastNew (RFC 3339, ms) as ms since the epoch. */
static long long last_new_ms(json_t *doc)
{
	struct tm tm = { 0 };
	const char *s = report_str(doc, "lastNew"), *end;

	end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	cr_assert(end && *end == '.', "lastNew '%s'", s);
	return (long long)timegm(&tm) * 1000 + atoi(end + 1);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Four runs of a command whose every second run polls: one profile, the
 * union, and the report says poll came in 2 runs of 4. */
Test(lifecycle, runs_union_and_what_only_some_used)
{
	const char *out = in_dir("runs.json");
	struct igt_result *r = igt_ig(120000, "run", "seccomp-advisor", "-o", "json",
				      "--output-file", out, "--runs", "4", "--",
				      fixture("lc_paths"), "timing", in_dir("count"), NULL);
	json_t *doc, *only, *e;
	char *text;
	bool poll = false;
	size_t i;

	cr_assert_eq(r->status, 0, "%s", r->err);
	cr_expect_eq(igt_count(r->out, "polled"), 2, "%s", r->out);
	doc = load(out);
	cr_expect_eq(report_int(doc, "runs"), 4);
	only = json_object_get(json_object_get(doc, "ig.io/report"), "onlySomeRuns");
	json_array_foreach(only, i, e) {
		if (strcmp(json_string_value(json_object_get(e, "syscall")), "poll"))
			continue;
		poll = true;
		cr_expect_eq(json_integer_value(json_object_get(e, "runs")), 2);
	}
	cr_expect(poll, "poll not among what only some runs used: %s",
		  json_dumps(only, 0));
	text = igt_read_file(out, NULL);
	cr_expect(sa_profile_allows(text, "poll"), "poll not in the union");
	free(text);
	json_decref(doc);
	igt_result_free(r);
}

/*
 * A container makes its last new syscall (getpriority) at a known time T,
 * then idles: with --until-stable 2 its report comes while it still runs,
 * within a second of T + 2 s, saying getpriority came at T (to within the
 * status interval, 250 ms) and that it stopped this way.
 */
Test(lifecycle, until_stable_container)
{
	const char *const args[] = { "/bin/lc_late", "1500", NULL };
	struct igt_bundle *b = sa_bundle("salcst", args, "lc_late");
	long long t_new = 0, arrived, last;
	struct igt_result *r;
	struct igt_proc *p;
	char path[600], *text, *t, *dumped;
	bool got;
	json_t *docs, *doc;

	p = igt_spawn_ig_ready("run", "seccomp-advisor", "-c", b->id, "-o", "json",
			       "--until-stable", "2", NULL);
	igt_bundle_start(b);
	got = igt_proc_wait_output(p, "ig.io/report", 20000);
	arrived = now_ms();
	r = igt_proc_finish(p, SIGINT, 15000);
	snprintf(path, sizeof(path), "%s/container.out", b->dir);
	text = igt_read_file(path, NULL);
	igt_bundle_destroy(b);
	cr_assert(got, "no report within 20 s:\n%s\n%s", r->out, r->err);
	cr_assert_not_null(text);
	t = strstr(text, "T=");
	cr_assert_not_null(t, "the workload did not say when: %s", text);
	t_new = atoll(t + 2);
	docs = igt_json_values(r->out);
	cr_assert_eq(json_array_size(docs), 1, "one report: %s", r->out);
	doc = json_array_get(docs, 0);
	cr_expect_str_eq(report_str(doc, "stoppedBy"), "until-stable");
	cr_expect_str_eq(report_str(doc, "lastNewItem"), "getpriority");
	cr_expect_eq(report_int(doc, "containers"), 1);
	last = last_new_ms(doc);
	cr_log_info("until-stable: last new %+lld ms from T, report %+lld ms from T + 2 s",
		    last - t_new, arrived - (t_new + 2000));
	cr_expect(last >= t_new && last - t_new <= IG_TICK_MS,
		  "last new at %lld, getpriority came at %lld", last, t_new);
	cr_expect(arrived - (t_new + 2000) >= 0 && arrived - (t_new + 2000) <= 1000,
		  "report %lld ms after T + 2 s", arrived - (t_new + 2000));
	dumped = json_dumps(doc, 0);
	cr_expect(sa_profile_allows(dumped, "getpriority"));
	free(dumped);
	json_decref(docs);
	free(text);
	igt_result_free(r);
}

/* With -- COMMAND, --until-stable ends the run (ig exits 0) and says so. */
Test(lifecycle, until_stable_command)
{
	const char *out = in_dir("stable.json");
	struct igt_result *r = igt_ig(60000, "run", "seccomp-advisor", "-o", "json",
				      "--output-file", out, "--until-stable", "1", "--",
				      fixture("lc_late"), "300", NULL);
	json_t *docs, *doc;
	char *text;

	cr_assert_not(r->timed_out, "the run was not ended");
	cr_assert_eq(r->status, 0, "%s", r->err);
	cr_expect_neq(strstr(r->out, "T="), NULL, "the command's stdout: %s", r->out);
	text = igt_read_file(out, NULL);
	cr_assert_not_null(text);
	docs = igt_json_values(text);
	free(text);
	doc = json_array_get(docs, 0);
	cr_expect_str_eq(report_str(doc, "stoppedBy"), "until-stable");
	cr_expect_str_eq(report_str(doc, "lastNewItem"), "getpriority");
	/* both are rounded to the ms apart: 999 is 1000 */
	cr_expect_geq(report_int(doc, "recordedMs") - report_int(doc, "lastNewAfterMs"), 999,
		      "ended before the period");
	cr_expect_eq(report_int(doc, "untilStableMs"), 1000);
	json_decref(docs);
	igt_result_free(r);
}

/* --stage: SCMP_ACT_LOG by default; --widen: each sibling marked with the
 * syscall it stands for, and in the profile. OCI and SPO validate. */
Test(lifecycle, stage_and_widen)
{
	static const char *const formats[] = { "oci", "spo" };
	size_t f, i;

	for (f = 0; f < 2; f++) {
		struct igt_result *r = igt_ig(60000, "run", "seccomp-advisor", "-o", "json",
					      "--stage", "--widen", "--format", formats[f], "--",
					      "/bin/sh", "-c", "cat /dev/null", NULL);
		json_t *doc, *body, *report, *w, *e;
		char *text;

		cr_assert_eq(r->status, 0, "%s", r->err);
		doc = json_loads(r->out, 0, NULL);
		cr_assert_not_null(doc, "%s", r->out);
		body = f ? json_object_get(doc, "spec") : doc;
		cr_expect_str_eq(json_string_value(json_object_get(body, "defaultAction")),
				 "SCMP_ACT_LOG");
		report = f ? json_loads(json_string_value(json_object_get(json_object_get(
				json_object_get(doc, "metadata"), "annotations"), "ig.io/report")),
				0, NULL) : json_incref(json_object_get(doc, "ig.io/report"));
		cr_assert_not_null(report);
		cr_expect(json_is_true(json_object_get(report, "staged")));
		w = json_object_get(report, "widened");
		cr_expect_gt(json_array_size(w), 0, "nothing widened");
		text = json_dumps(body, 0);
		json_array_foreach(w, i, e) {
			cr_expect(json_string_value(json_object_get(e, "for")));
			cr_expect(strstr(text, json_string_value(json_object_get(e, "syscall"))),
				  "%s marked but not in the profile",
				  json_string_value(json_object_get(e, "syscall")));
		}
		sa_validate(r->out, formats[f]);
		free(text);
		json_decref(report);
		json_decref(doc);
		igt_result_free(r);
	}
}

/* --output-dir is made with its parents; a file in its way is one line. */
Test(lifecycle, output_dir_made)
{
	const char *sub = in_dir("a/b/c");
	struct igt_result *r = igt_ig(60000, "run", "seccomp-advisor", "--output-dir", sub, "--",
				      "/bin/true", NULL);
	struct stat sb;
	char file[600];

	cr_assert_eq(r->status, 0, "%s", r->err);
	snprintf(file, sizeof(file), "%s/command.json", sub);
	cr_expect_eq(stat(file, &sb), 0, "%s not written", file);
	igt_result_free(r);
	snprintf(file, sizeof(file), "%s/command.json/x", sub);
	r = igt_ig(60000, "run", "seccomp-advisor", "--output-dir", file, "--", "/bin/true", NULL);
	cr_expect_neq(r->status, 0);
	cr_expect_eq(igt_count(r->err, "\n"), 1, "%s", r->err);
	cr_expect_neq(strstr(r->err, "--output-dir"), NULL, "%s", r->err);
	igt_result_free(r);
}

/*
 * The acceptance case of --runs: a workload whose path depends on timing
 * (lc_paths timing: every second run waits in poll()) recorded five times
 * as a command, for runc (--for-runtime runc), gives a profile under which
 * 20 runs in runc containers succeed, the ten that poll included; the
 * report says poll came in 2 runs of 5, and without poll a polling run fails.
 */
Test(lifecycle, runs_profile_holds_under_runc)
{
	const char *const args[] = { "/bin/lc_paths", "timing", "/tmp/count", NULL };
	struct igt_bundle *b = sa_bundle("salcruns", args, "lc_paths");
	const char *out = in_dir("runs-runc.json");
	struct igt_result *r;
	char *profile, *weaker;
	json_t *doc, *e;
	int i, ok = 0, polled = 0;
	size_t k;

	r = igt_ig(180000, "run", "seccomp-advisor", "-o", "json", "--output-file", out,
		   "--runs", "5", "--for-runtime", "runc", "--", fixture("lc_paths"), "timing",
		   in_dir("count5"), NULL);
	cr_assert_eq(r->status, 0, "%s%s", r->out, r->err);
	cr_assert_eq(igt_count(r->out, "polled"), 2, "%s", r->out);
	igt_result_free(r);
	profile = igt_read_file(out, NULL);
	cr_assert_not_null(profile);
	doc = json_loads(profile, 0, NULL);
	cr_assert_not_null(doc, "%s", profile);
	cr_expect_eq(report_int(doc, "runs"), 5);
	json_array_foreach(json_object_get(json_object_get(doc, "ig.io/report"), "onlySomeRuns"),
			   k, e)
		if (!strcmp(json_string_value(json_object_get(e, "syscall")), "poll"))
			cr_expect_eq(json_integer_value(json_object_get(e, "runs")), 2);
	cr_assert(sa_profile_allows(profile, "poll"), "poll not in the union");
	json_decref(doc);
	igt_bundle_set_seccomp(b, profile);
	for (i = 0; i < 20; i++) {
		r = igt_bundle_run(b, 30000);
		ok += r->status == 0;
		polled += !!strstr(r->out, "polled");
		if (r->status)
			cr_log_error("run %d: %d %s%s", i, r->status, r->out, r->err);
		igt_result_free(r);
	}
	cr_expect_eq(ok, 20, "%d of 20 runs under the profile succeeded", ok);
	cr_expect_eq(polled, 10, "%d of 20 runs polled", polled);
	/* what the runs are worth: without poll, the run that polls fails */
	weaker = sa_profile_without(profile, "poll");
	igt_bundle_set_seccomp(b, weaker);
	free(weaker);
	for (i = 0, ok = 0; i < 2; i++) {
		r = igt_bundle_run(b, 30000);
		ok += r->status == 0;
		cr_expect(r->status == 0 || strstr(r->out, "poll: Operation not permitted"),
			  "%s%s", r->out, r->err);
		igt_result_free(r);
	}
	cr_expect_eq(ok, 1, "without poll %d of 2 runs succeeded", ok);
	free(profile);
	igt_bundle_destroy(b);
}
