// SPDX-License-Identifier: Apache-2.0
/*
 * A gadget whose ring never runs dry (fixture-flood: a helper thread keeps
 * it full, each sample takes 20 us to read) cannot wedge ig: the drains the
 * core does on its own -- before a container's removal reaches the gadget,
 * and at the end of the run -- stop at what was in the rings when they
 * started, so the removal, the timeout and SIGTERM are still acted on.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/lib/igtest.h"
#include "records_helpers.h"

static char tmpdir[64];

static void setup(void)
{
	char cmd[512];

	igt_tmpdir_new(tmpdir, sizeof(tmpdir), "flood");
	snprintf(cmd, sizeof(cmd), "cp '%s/tests/fixtures/gadgets/flood.so' "
		 "'%s/fixture-flood.so'", igt_build_dir(), tmpdir);
	cr_assert_eq(system(cmd), 0, "%s", cmd);
}

static void teardown(void)
{
	igt_tmpdir_remove(tmpdir);
}

TestSuite(flood, .init = setup, .fini = teardown, .timeout = 90);

/* --timeout with the producer still running: the drain before stop() ends. */
Test(flood, timeout_stops_a_flooded_run)
{
	/* The ring overflows by design: the lost events are not the point. */
	struct igt_result *r = igt_ig(10000, "run", "--gadget-path", tmpdir, "fixture-flood",
				      "-o", "json", "-t", "1", "--allow-loss", NULL);
	json_t *recs;

	cr_assert_not(r->timed_out, "ig did not stop within 9 s of its timeout: %s", r->err);
	cr_assert_eq(r->status, 0, "%s", r->err);
	/* One "samples" record; "removed" ones of other containers that ended
	 * meanwhile on this machine (container mode selects them all) are not
	 * the point. */
	cr_assert_eq(igt_count(r->out, "\"what\":\"samples\""), 1, "%s", r->out);
	recs = records_from_json_lines(r->out);
	for (size_t i = 0; i < json_array_size(recs); i++) {
		json_t *rec = json_array_get(recs, i);

		if (!strcmp(json_string_value(json_object_get(rec, "what")) ?: "", "samples"))
			cr_assert_gt(rec_int(rec, "count"), 0, "no sample read: %s", r->out);
	}
	json_decref(recs);
	igt_result_free(r);
}

/* A container exits while the ring is flooded: the gadget hears of it, and
 * SIGTERM afterwards still stops ig. */
Test(flood, container_removal_is_delivered)
{
	const char *const args[] = { "/bin/sleep", "1", NULL };
	struct igt_result *r, *run;
	struct igt_bundle *b;
	struct igt_proc *p;
	char id[64], want[128];
	bool removed;

	b = igt_bundle_new(igt_unique_id(id, "flood"), args);
	p = igt_spawn_ig_ready("run", "--gadget-path", tmpdir, "fixture-flood", "-o", "json",
			       "-c", id, NULL);
	run = igt_bundle_run(b, 30000);
	snprintf(want, sizeof(want), "{\"what\":\"removed\",\"id\":\"%s\",", id);
	/* No assertion before ig is stopped: a wedged ig must not outlive us. */
	removed = igt_proc_wait_output(p, want, 10000);
	r = igt_proc_finish(p, SIGTERM, 5000);
	igt_bundle_destroy(b);
	cr_assert_eq(run->status, 0, "container: %s", run->err);
	cr_assert(removed, "the removal did not reach the gadget within 10 s:\n%s\n%s", r->out,
		  r->err);
	cr_assert_eq(r->status, 0, "ig after SIGTERM: %d %s", r->status, r->err);
	cr_assert_eq(igt_count(r->out, "\"what\":\"samples\""), 1, "%s", r->out);
	igt_result_free(run);
	igt_result_free(r);
}
