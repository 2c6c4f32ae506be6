// SPDX-License-Identifier: Apache-2.0
/*
 * The container target end to end: a real runc container is discovered,
 * selected with -c, filtered in BPF by its mount namespace, and its records
 * carry the container columns; an exec outside it does not show.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tests/lib/igtest.h"
#include "records_helpers.h"

Test(container, exec_in_selected_container_is_enriched, .timeout = 90)
{
	const char *const args[] = { "/bin/sh", "-c", "sleep 1; /bin/true in-container", NULL };
	struct igt_bundle *b;
	struct igt_result *r, *run;
	struct igt_proc *p;
	json_t *recs, *rec, *rt;
	char id[64];
	size_t i;
	int seen = 0;

	b = igt_bundle_new(igt_unique_id(id, "enrich"), args);
	p = igt_spawn_ig_ready("run", "trace-exec", "-o", "json", "-c", id, NULL);
	run = igt_bundle_run(b, 30000);
	/* An exec on the host meanwhile: not selected, must not show. */
	igt_result_free(igt_run((const char *const[]){ "/bin/true", "on-host", NULL }, 5000));
	usleep(300000);
	r = igt_proc_finish(p, SIGINT, 10000);
	cr_assert_eq(run->status, 0, "container: %s", run->err);
	cr_assert_eq(r->status, 0, "ig: %s", r->err);

	recs = records_from_json_lines(r->out);
	json_array_foreach(recs, i, rec) {
		rt = json_object_get(rec, "runtime");
		cr_assert_str_eq(json_string_value(json_object_get(rt, "containerName")), id,
				 "record from outside the container: %s", json_dumps(rec, 0));
		if (!strcmp(rec_str(rec, "args"), "/bin/true in-container")) {
			cr_assert_str_eq(json_string_value(json_object_get(rt, "containerId")), id);
			cr_assert_str_eq(json_string_value(json_object_get(rt, "runtimeName")),
					 "runc");
			seen++;
		}
	}
	cr_assert_eq(seen, 1, "the container's exec was seen %d times:\n%s", seen, r->out);
	cr_assert_eq(records_count(recs, "args", "/bin/true on-host"), 0);
	json_decref(recs);
	igt_result_free(run);
	igt_result_free(r);
	igt_bundle_destroy(b);
}
