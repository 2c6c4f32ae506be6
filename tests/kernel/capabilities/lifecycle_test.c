// SPDX-License-Identifier: Apache-2.0
/*
 * capabilities --advise recordings that say how complete they are, and
 * advice grown run after run: the document's "report" (how long, how many
 * containers, the last new capability, how it ended), --update FILE (an OCI
 * process.capabilities block, then the previous advice itself) unioned into
 * the advice, --output-dir made when missing, --until-stable reporting a
 * container that still runs, and bad --update files one line each.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ct_helpers.h"

static char dir[256];

static void setup(void)
{
	igt_tmpdir_new(dir, sizeof(dir), "caplc");
}

static void teardown(void)
{
	igt_tmpdir_remove(dir);
}

TestSuite(lifecycle, .init = setup, .fini = teardown, .timeout = 150);

static const char *write_file(const char *name, const char *text)
{
	static char path[2][512];
	static int i;
	char *p = path[i++ % 2];
	FILE *f;

	snprintf(p, sizeof(path[0]), "%s/%s", dir, name);
	f = fopen(p, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
	return p;
}

static bool has(json_t *arr, const char *name)
{
	json_t *v;
	size_t i;

	json_array_foreach(arr, i, v)
		if (!strcmp(json_string_value(v), name))
			return true;
	return false;
}

static json_t *bounding(json_t *advice)
{
	return json_object_get(json_object_get(json_object_get(advice, "process"), "capabilities"),
			       "bounding");
}

/* Record a container of cap_work actions with --advise, --update FILE and
 * --output-dir OUT; returns the advice (the file's, checked equal). */
static json_t *advise(const char *tag, const char *const actions[], const char *update,
		      const char *out)
{
	const char *const extra[] = { "--advise", "--update", update, NULL };
	struct igt_bundle *b = ct_bundle(tag, actions);
	struct igt_result *run;
	json_t *recs, *advice, *file;
	char path[700], *p;
	struct igt_proc *ig;
	struct igt_result *r;

	ig = igt_spawn_ig_ready("run", "capabilities", "-c", b->id, "-o", "json", extra[0],
				extra[1], extra[2], "--output-dir", out, NULL);
	run = igt_bundle_run(b, 30000);
	r = igt_proc_finish(ig, SIGINT, 15000);
	cr_assert_eq(run->status, 0, "%s%s", run->out, run->err);
	cr_assert_eq(r->status, 0, "%s", r->err);
	recs = igt_json_values(r->out);
	advice = json_incref(ct_advice(recs, b->id));
	snprintf(path, sizeof(path), "%s/%s.json", out, b->id);
	p = igt_read_file(path, NULL);
	cr_assert_not_null(p, "--output-dir: no %s", path);
	file = json_loads(p, 0, NULL);
	cr_expect(json_equal(file, advice), "the file is not the advice printed");
	json_decref(file);
	json_decref(recs);
	free(p);
	igt_result_free(r);
	igt_result_free(run);
	igt_bundle_destroy(b);
	return advice;
}

Test(lifecycle, report_update_and_output_dir)
{
	const char *const chown_only[] = { "chown", NULL };
	const char *const bind_only[] = { "bind80", NULL };
	const char *oci = write_file("oci.json", "{\"bounding\": [\"CAP_NET_RAW\"], "
				     "\"effective\": [\"CAP_NET_RAW\"]}");
	char out[600], prev[600], *text;
	json_t *a, *b, *report;

	snprintf(out, sizeof(out), "%s/new/advice", dir);
	a = advise("caplc-a", chown_only, oci, out);
	cr_expect(has(bounding(a), "CAP_CHOWN"), "recorded");
	cr_expect(has(bounding(a), "CAP_NET_RAW"), "from --update");
	cr_expect(has(json_object_get(json_object_get(json_object_get(a, "securityContext"),
				      "capabilities"), "add"), "NET_RAW"));
	report = json_object_get(a, "report");
	cr_assert_not_null(report, "no report: %s", json_dumps(a, 0));
	cr_expect_eq(json_integer_value(json_object_get(report, "containers")), 1);
	cr_expect_str_eq(json_string_value(json_object_get(report, "stoppedBy")), "exit");
	cr_expect_str_eq(json_string_value(json_object_get(report, "lastNewItem")), "CAP_CHOWN");
	cr_expect(has(json_object_get(report, "fromUpdate"), "CAP_NET_RAW"));
	cr_expect_not(has(json_object_get(report, "fromUpdate"), "CAP_CHOWN"));
	ct_validate(a);

	/* the advice itself as the next run's --update: the set grows */
	text = json_dumps(a, JSON_INDENT(2));
	snprintf(prev, sizeof(prev), "%s", write_file("prev.json", text));
	free(text);
	b = advise("caplc-b", bind_only, prev, out);
	cr_expect(has(bounding(b), "CAP_NET_BIND_SERVICE"));
	cr_expect(has(bounding(b), "CAP_CHOWN"));
	cr_expect(has(bounding(b), "CAP_NET_RAW"));
	ct_validate(b);
	json_decref(a);
	json_decref(b);
}

/* A container that keeps running after its last capability check: its
 * advice comes once nothing new came for the period. */
Test(lifecycle, until_stable_container)
{
	const char *const args[] = { "/bin/sh", "-c", "/bin/cap_work chown && exec sleep 60",
				     NULL };
	char id[64], host[512];
	struct igt_bundle *b = igt_bundle_new(igt_unique_id(id, "caplc-st"), args);
	struct igt_result *r;
	struct igt_proc *p;
	json_t *recs, *report;
	bool got;

	snprintf(host, sizeof(host), "%s/tests/fixtures/static/cap_work", igt_build_dir());
	igt_bundle_add_file(b, host, "/bin/cap_work");
	p = igt_spawn_ig_ready("run", "capabilities", "--advise", "-c", b->id, "-o", "json",
			       "--until-stable", "1", NULL);
	igt_bundle_start(b);
	got = igt_proc_wait_output(p, "\"report\"", 20000);
	r = igt_proc_finish(p, SIGINT, 15000);
	igt_bundle_destroy(b);
	cr_assert(got, "no advice while the container ran:\n%s\n%s", r->out, r->err);
	recs = igt_json_values(r->out);
	report = json_object_get(ct_advice(recs, id), "report");
	cr_expect_str_eq(json_string_value(json_object_get(report, "stoppedBy")), "until-stable");
	cr_expect_eq(json_integer_value(json_object_get(report, "untilStableMs")), 1000);
	json_decref(recs);
	igt_result_free(r);
}

Test(lifecycle, bad_update_files)
{
	static const struct {
		const char *text, *want;
	} bad[] = {
		{ "{\"bounding\": [\"CAP_CHOWN\",]}", ":1:27: " },
		{ "{\"kind\": \"Pod\"}", ": no capabilities found" },
		{ "{\"bounding\": [\"CAP_FLY\"]}", ": \"bounding\": \"CAP_FLY\" is not a capability" },
		{ "{\"bounding\": \"CAP_CHOWN\"}", ": \"bounding\" is not a list" },
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *f = write_file("bad.json", bad[i].text);
		struct igt_result *r = igt_ig(20000, "run", "capabilities", "--advise", "--update",
					      f, "--", "/bin/true", NULL);
		char want[700];

		snprintf(want, sizeof(want), "ig: capabilities: --update %s%s", f, bad[i].want);
		cr_expect_neq(r->status, 0);
		cr_expect_eq(strncmp(r->err, want, strlen(want)), 0, "got %s, want %s", r->err,
			     want);
		cr_expect_eq(igt_count(r->err, "\n"), 1, "%s", r->err);
		igt_result_free(r);
	}
}
