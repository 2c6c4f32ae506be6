// SPDX-License-Identifier: Apache-2.0
/*
 * Case 7 of issue 17: events lost in the kernel's buffers are said in the
 * stream itself, in every format (a "lost" notice among records, a field of
 * a report document), and the run exits 3 unless --allow-loss.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <jansson.h>

#include "tests/kernel/hostile/hostile_helpers.h"

static char gdir[256], adir[256];

static void setup(void)
{
	hs_gadget_dir(gdir, sizeof(gdir), "good", "fixture-good");
	hs_gadget_dir(adir, sizeof(adir), "advisor", "fixture-advisor");
}

static void teardown(void)
{
	igt_tmpdir_remove(gdir);
	igt_tmpdir_remove(adir);
}

TestSuite(lost, .init = setup, .fini = teardown, .timeout = 60);

static struct igt_result *run_lossy(const char *fmt, const char *extra)
{
	return igt_ig(20000, "run", "fixture-good", "--gadget-path", gdir, "--lose", "5",
		      "--host", "-t", "0.3", "-o", fmt, extra, NULL);
}

Test(lost, said_in_band_in_every_format_and_exit_3)
{
	static const char *const formats[] = { "json", "jsonpretty", "yaml" };
	struct igt_result *r;

	for (size_t i = 0; i < IG_ARRAY_SIZE(formats); i++) {
		json_t *vals, *lost = NULL;

		r = run_lossy(formats[i], NULL);
		cr_expect_eq(r->status, 3, "%s: %d %s", formats[i], r->status, r->err);
		if (strcmp(formats[i], "yaml")) {
			vals = igt_json_values(r->out);
			for (size_t k = 0; k < json_array_size(vals); k++)
				lost = lost ?: json_object_get(json_array_get(vals, k), "lost");
			cr_expect_eq(json_integer_value(json_object_get(lost, "events")), 5,
				     "%s: %s", formats[i], r->out);
			json_decref(vals);
		} else {
			cr_expect(strstr(r->out, "---\nlost:\n  events: 5\n  records: 0\n"),
				  "yaml: %s", r->out);
		}
		igt_result_free(r);
	}
	r = run_lossy("table", NULL);
	cr_expect_eq(r->status, 3, "table: %d %s", r->status, r->err);
	cr_expect(strstr(r->out, "LOST: 5 events"), "table: %s", r->out);
	igt_result_free(r);
}

Test(lost, allow_loss_exits_0_and_still_says_it)
{
	struct igt_result *r = run_lossy("json", "--allow-loss");

	cr_expect_eq(r->status, 0, "%d %s", r->status, r->err);
	cr_expect(strstr(r->out, "{\"lost\":{\"events\":5,"), "%s", r->out);
	cr_expect(strstr(r->err, "5 events were lost"), "%s", r->err);
	igt_result_free(r);
}

Test(lost, nothing_lost_nothing_said)
{
	struct igt_result *r = igt_ig(20000, "run", "fixture-good", "--gadget-path", gdir,
				      "--host", "-t", "0.3", "-o", "json", NULL);

	cr_expect_eq(r->status, 0, "%d %s", r->status, r->err);
	cr_expect_str_eq(r->out, "{\"value\":3}\n");
	igt_result_free(r);
}

/* Report documents carry it: a Kubernetes object as an annotation, any
 * other document as a member. */
Test(lost, report_documents_say_it)
{
	struct igt_result *r = igt_ig(20000, "run", "fixture-advisor", "--gadget-path", adir,
				      "--lose", "7", "--plain", "--host", "-t", "0.3", "-o", "json",
				      NULL);
	json_t *vals, *k8s = NULL, *plain = NULL;

	cr_expect_eq(r->status, 3, "%d %s", r->status, r->err);
	vals = igt_json_values(r->out);
	for (size_t i = 0; i < json_array_size(vals); i++) {
		json_t *v = json_array_get(vals, i);

		if (json_object_get(v, "apiVersion"))
			k8s = v;
		else if (json_object_get(v, "defaultAction"))
			plain = v;
		cr_expect_null(json_object_get(v, "lost"),
			       "the documents said it: no separate notice: %s", r->out);
	}
	cr_assert_not_null(k8s, "%s", r->out);
	cr_expect_str_eq(json_string_value(json_object_get(json_object_get(json_object_get(k8s,
			 "metadata"), "annotations"), "ig.io/lost-events")), "7", "%s", r->out);
	cr_expect_str_eq(json_string_value(json_object_get(json_object_get(json_object_get(k8s,
			 "metadata"), "annotations"), "a")), "b", "other annotations kept");
	cr_assert_not_null(plain, "%s", r->out);
	cr_expect_eq(json_integer_value(json_object_get(plain, "lostEvents")), 7, "%s", r->out);
	json_decref(vals);
	igt_result_free(r);
}
