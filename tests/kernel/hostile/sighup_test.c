// SPDX-License-Identifier: Apache-2.0
/*
 * Case 6 of issue 17 (SIGHUP): a closed terminal stops ig like Ctrl-C does,
 * and advisors still write their report.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <jansson.h>

#include "tests/kernel/hostile/hostile_helpers.h"

Test(sighup, advisor_reports_on_sighup, .timeout = 60)
{
	struct igt_proc *p = igt_spawn_ig_ready("run", "seccomp-advisor", "-o", "json", "--",
						"/bin/sleep", "30", NULL);
	struct igt_result *r = igt_proc_finish(p, SIGHUP, 20000);
	json_t *vals, *doc;

	cr_assert_eq(r->status, 0, "stopped by SIGHUP: exit 0 like SIGINT (%d): %s", r->status,
		     r->err);
	vals = igt_json_values(r->out);
	cr_assert_eq(json_array_size(vals), 1, "one profile: %s", r->out);
	doc = json_array_get(vals, 0);
	cr_expect_str_eq(json_string_value(json_object_get(doc, "defaultAction")),
			 "SCMP_ACT_ERRNO", "%s", r->out);
	cr_expect_gt(json_array_size(json_object_get(doc, "syscalls")), 0, "%s", r->out);
	json_decref(vals);
	igt_result_free(r);
}
