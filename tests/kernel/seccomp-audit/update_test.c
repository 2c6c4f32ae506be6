// SPDX-License-Identifier: Apache-2.0
/*
 * The lifecycle end to end, under runc: a program with a rare path (taken
 * when LC_RARE=1) is recorded without it; its profile is staged
 * (seccomp-advisor --stage: default SCMP_ACT_LOG); the rare path runs under
 * the staged profile and is not denied; seccomp-audit --update writes the
 * enforcing profile with what was logged; under it both paths run, and a
 * syscall neither path makes (getcpu) is still denied.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kt_helpers.h"

static char dir[256];

static void setup(void)
{
	igt_tmpdir_new(dir, sizeof(dir), "sauup");
}

static void teardown(void)
{
	igt_tmpdir_remove(dir);
}

TestSuite(update, .init = setup, .fini = teardown, .timeout = 240);

static struct igt_bundle *bundle(const char *tag, const char *mode, bool rare, const char *profile)
{
	const char *const args[] = { "/bin/lc_paths", mode, NULL };
	char id[64], host[512];
	struct igt_bundle *b = igt_bundle_new(igt_unique_id(id, tag), args);
	json_t *env;

	snprintf(host, sizeof(host), "%s/tests/fixtures/static/lc_paths", igt_build_dir());
	igt_bundle_add_file(b, host, "/bin/lc_paths");
	if (rare) {
		env = json_object_get(json_object_get(b->config, "process"), "env");
		json_array_append_new(env, json_string("LC_RARE=1"));
	}
	if (profile)
		igt_bundle_set_seccomp(b, profile);
	return b;
}

static struct igt_result *run(struct igt_bundle *b)
{
	struct igt_result *r = igt_bundle_run(b, 30000);

	cr_assert_not(r->timed_out, "%s timed out", b->id);
	return r;
}

/* The profile file ig wrote for b under dir/sub. */
static char *profile_file(const char *sub, const struct igt_bundle *b)
{
	char path[600];
	char *text;

	snprintf(path, sizeof(path), "%s/%s/%s.json", dir, sub, b->id);
	text = igt_read_file(path, NULL);
	cr_assert_not_null(text, "no profile %s", path);
	return text;
}

static bool allows(const char *profile, const char *name)
{
	json_t *j = json_loads(profile, 0, NULL), *rule, *n;
	bool found = false;
	size_t i, k;

	json_array_foreach(json_object_get(j, "syscalls"), i, rule)
		json_array_foreach(json_object_get(rule, "names"), k, n)
			found |= !strcmp(json_string_value(n), name) &&
				 !strcmp(json_string_value(json_object_get(rule, "action")),
					 "SCMP_ACT_ALLOW");
	json_decref(j);
	return found;
}

static const char *default_action(const char *profile)
{
	static char buf[64];
	json_t *j = json_loads(profile, 0, NULL);

	snprintf(buf, sizeof(buf), "%s", json_string_value(json_object_get(j, "defaultAction")));
	json_decref(j);
	return buf;
}

/* The added syscall's entry in the report, or NULL. */
static json_t *added(json_t *doc, const char *name)
{
	json_t *e;
	size_t i;

	json_array_foreach(json_object_get(json_object_get(doc, "ig.io/report"), "added"), i, e)
		if (!strcmp(json_string_value(json_object_get(e, "syscall")), name))
			return e;
	return NULL;
}

Test(update, rare_path_staged_then_enforced)
{
	char out1[600], out2[600], *staged, *enforcing, *text;
	struct igt_bundle *rec, *st, *en;
	struct igt_result *r;
	struct igt_proc *p;
	json_t *doc, *e;

	/* 1. record the common path, staged */
	snprintf(out1, sizeof(out1), "%s/staged", dir);
	rec = bundle("sauup-rec", "rare", false, NULL);
	p = igt_spawn_ig_ready("run", "seccomp-advisor", "-c", rec->id, "--stage",
			       "--output-dir", out1, NULL);
	r = run(rec);
	cr_assert_eq(r->status, 0, "%s%s", r->out, r->err);
	cr_assert_neq(strstr(r->out, "common path"), NULL, "%s", r->out);
	igt_result_free(r);
	igt_result_free(igt_proc_finish(p, SIGINT, 15000));
	staged = profile_file("staged", rec);
	igt_bundle_destroy(rec);
	cr_assert_str_eq(default_action(staged), "SCMP_ACT_LOG");
	cr_assert_not(allows(staged, "sysinfo"), "the recording took the rare path");

	/* 2. under the staged profile the rare path runs, logged, not denied */
	kt_lock();
	snprintf(out2, sizeof(out2), "%s/enforcing", dir);
	st = bundle("sauup-st", "rare", true, staged);
	p = igt_spawn_ig_ready("run", "seccomp-audit", "-c", st->id, "--update",
			       kt_write_temp("staged", staged, (char[256]){ 0 }, 256),
			       "--output-dir", out2, "-o", "json", NULL);
	r = run(st);
	cr_expect_eq(r->status, 0, "rare path under the staged profile: %s%s", r->out, r->err);
	cr_expect_neq(strstr(r->out, "rare path\n"), NULL, "%s", r->out);
	igt_result_free(r);
	r = igt_proc_finish(p, SIGINT, 20000);
	kt_unlock();
	cr_assert_eq(r->status, 0, "%s", r->err);
	enforcing = profile_file("enforcing", st);
	cr_log_info("enforcing profile:\n%s", enforcing);

	/* 3. the update: enforcing, the rare path's syscalls added and reported */
	cr_expect_str_eq(default_action(enforcing), "SCMP_ACT_ERRNO");
	cr_expect(allows(enforcing, "sysinfo"), "%s", enforcing);
	cr_expect(allows(enforcing, "statfs"), "%s", enforcing);
	doc = json_loads(enforcing, 0, NULL);
	e = added(doc, "sysinfo");
	cr_assert_not_null(e, "sysinfo not in the report: %s", enforcing);
	cr_expect_geq(json_integer_value(json_object_get(e, "hits")), 1);
	text = json_dumps(json_object_get(e, "executables"), 0);
	cr_expect_neq(strstr(text, "lc_paths"), NULL, "%s", text);
	free(text);
	json_decref(doc);
	cr_expect_neq(strstr(r->out, "\"sysinfo\""), NULL, "the document on stdout: %s", r->out);
	igt_result_free(r);
	igt_bundle_destroy(st);

	/* 4. under it both paths run; getcpu, in neither, is still denied */
	en = bundle("sauup-en", "rare", true, enforcing);
	r = run(en);
	cr_expect_eq(r->status, 0, "rare path: %s%s", r->out, r->err);
	igt_result_free(r);
	igt_bundle_destroy(en);
	en = bundle("sauup-en", "rare", false, enforcing);
	r = run(en);
	cr_expect_eq(r->status, 0, "common path: %s%s", r->out, r->err);
	igt_result_free(r);
	igt_bundle_destroy(en);
	en = bundle("sauup-en", "probe", false, enforcing);
	r = run(en);
	cr_expect_eq(r->status, 3, "getcpu not denied: %d %s%s", r->status, r->out, r->err);
	igt_result_free(r);
	igt_bundle_destroy(en);
	free(staged);
	free(enforcing);
}

/* Bad input: one line each, before anything runs. */
Test(update, bad_flags)
{
	char path[256];
	struct igt_result *r;

	r = igt_ig(20000, "run", "seccomp-audit", "--update", "/nonexistent.json", "--",
		   "/bin/true", NULL);
	cr_expect_neq(r->status, 0);
	cr_expect_neq(strstr(r->err, "--update /nonexistent.json: No such file or directory"), NULL,
		      "%s", r->err);
	cr_expect_eq(igt_count(r->err, "\n"), 1, "%s", r->err);
	igt_result_free(r);
	kt_write_temp("bad", "{\"defaultAction\": \"SCMP_ACT_NOPE\"}", path, sizeof(path));
	r = igt_ig(20000, "run", "seccomp-audit", "--update", path, "--", "/bin/true", NULL);
	cr_expect_neq(strstr(r->err, ":1:19: expected an action"), NULL, "%s", r->err);
	igt_result_free(r);
	r = igt_ig(20000, "run", "seccomp-audit", "--output-dir", dir, "--", "/bin/true", NULL);
	cr_expect_neq(strstr(r->err, "--output-dir goes with --update"), NULL, "%s", r->err);
	igt_result_free(r);
}

/*
 * The other way to a profile that holds: a workload whose every second run
 * polls (lc_paths timing), recorded once (no poll), staged, run three times
 * under seccomp-audit --update (one run polls, logged), updated: 20 runs
 * under the enforcing profile all succeed, the ten that poll included.
 */
Test(update, timing_path_holds_20_of_20)
{
	const char *const args[] = { "/bin/lc_paths", "timing", "/tmp/count", NULL };
	char host[512], id[64], out1[600], out2[600], path[600], *staged, *enforcing;
	struct igt_bundle *b;
	struct igt_result *r;
	struct igt_proc *p;
	int i, ok = 0, polled = 0;

	snprintf(host, sizeof(host), "%s/tests/fixtures/static/lc_paths", igt_build_dir());
	b = igt_bundle_new(igt_unique_id(id, "sauup-t"), args);
	igt_bundle_add_file(b, host, "/bin/lc_paths");
	snprintf(out1, sizeof(out1), "%s/t-staged", dir);
	p = igt_spawn_ig_ready("run", "seccomp-advisor", "-c", b->id, "--stage", "--output-dir",
			       out1, NULL);
	r = run(b);
	cr_assert_eq(r->status, 0, "%s%s", r->out, r->err);
	igt_result_free(r);
	igt_result_free(igt_proc_finish(p, SIGINT, 15000));
	staged = profile_file("t-staged", b);
	cr_assert_not(allows(staged, "poll"), "the first run polled");

	kt_lock();
	snprintf(out2, sizeof(out2), "%s/t-enforcing", dir);
	snprintf(path, sizeof(path), "%s/t-staged/%s.json", dir, b->id);
	igt_bundle_set_seccomp(b, staged);
	p = igt_spawn_ig_ready("run", "seccomp-audit", "-c", b->id, "--update", path,
			       "--output-dir", out2, "-v", NULL);
	for (i = 0; i < 3; i++) {
		r = run(b);
		cr_expect_eq(r->status, 0, "staged run %d: %s%s", i, r->out, r->err);
		igt_result_free(r);
	}
	r = igt_proc_finish(p, SIGINT, 20000);
	kt_unlock();
	cr_assert_eq(r->status, 0, "%s", r->err);
	enforcing = profile_file("t-enforcing", b);
	cr_assert(allows(enforcing, "poll"), "poll was not added: %s\nig: %s", enforcing, r->err);
	igt_result_free(r);
	cr_assert_str_eq(default_action(enforcing), "SCMP_ACT_ERRNO");

	igt_bundle_set_seccomp(b, enforcing);
	for (i = 0; i < 20; i++) {
		r = run(b);
		ok += r->status == 0;
		polled += !!strstr(r->out, "polled");
		if (r->status)
			cr_log_error("run %d: %d %s%s", i, r->status, r->out, r->err);
		igt_result_free(r);
	}
	cr_expect_eq(ok, 20, "%d of 20 runs under the updated profile succeeded", ok);
	cr_expect_eq(polled, 10, "%d of 20 runs polled", polled);
	igt_bundle_destroy(b);
	free(staged);
	free(enforcing);
}
