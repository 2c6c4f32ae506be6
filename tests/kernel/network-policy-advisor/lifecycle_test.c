// SPDX-License-Identifier: Apache-2.0
/*
 * network-policy-advisor recordings that say how complete they are: each
 * policy's ig.io/report annotation (how long, how many containers or runs,
 * the last new flow and when, how it ended), --until-stable (a client
 * container that keeps running gets its policy once it made no new flow for
 * the period; a command's run is ended) and --output-dir made when missing.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "npa_helpers.h"

/* The report of the policy named name in ig's output (fails without). */
static json_t *report_of(json_t *vals, const char *name)
{
	json_t *v, *meta;
	size_t i;

	json_array_foreach(vals, i, v) {
		meta = json_object_get(v, "metadata");
		if (!json_object_get(v, "kind") ||
		    strcmp(json_string_value(json_object_get(meta, "name")) ?: "", name))
			continue;
		v = json_loads(json_string_value(json_object_get(json_object_get(meta,
					"annotations"), "ig.io/report")) ?: "", 0, NULL);
		cr_assert_not_null(v, "no ig.io/report on %s", name);
		return v;
	}
	cr_assert_fail("no policy %s", name);
	return NULL;
}

static const char *str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key)) ?: "";
}

Test(lifecycle, until_stable_container, .init = npa_world_up, .fini = npa_world_down,
     .timeout = 120)
{
	char script[256], want[96], dir[300], file[400], id[64];
	struct igt_bundle *b;
	struct igt_result *r;
	struct igt_proc *p;
	json_t *vals, *rep;
	bool got;

	snprintf(dir, sizeof(dir), "/tmp/igt-npalc-%d/policies", (int)getpid());
	snprintf(script, sizeof(script), "wget -q -O /dev/null http://%s:8080/ && exec sleep 60",
		 W.srv4);
	b = npa_container("npalc", W.ns_cli, script);
	p = igt_spawn_ig_ready("run", "network-policy-advisor", "-c", b->id, "-o", "json",
			       "--until-stable", "2", "--output-dir", dir, NULL);
	igt_bundle_start(b);
	got = igt_proc_wait_output(p, "ig.io/report", 20000);
	r = igt_proc_finish(p, SIGINT, 15000);
	snprintf(id, sizeof(id), "%s", b->id);
	igt_bundle_destroy(b);
	cr_assert(got, "no policy while the client ran:\n%s\n%s", r->out, r->err);
	vals = igt_json_values(r->out);
	rep = report_of(vals, id);
	cr_expect_str_eq(str(rep, "stoppedBy"), "until-stable");
	/* the client's namespace: this container and the world's cli */
	cr_expect_eq(json_integer_value(json_object_get(rep, "containers")), 2);
	cr_expect_geq(json_integer_value(json_object_get(rep, "items")), 1);
	snprintf(want, sizeof(want), "egress TCP %s:8080", W.srv4);
	cr_expect_str_eq(str(rep, "lastNewItem"), want);
	cr_expect_eq(json_integer_value(json_object_get(rep, "untilStableMs")), 2000);
	snprintf(file, sizeof(file), "%s/%s.json", dir, id);
	cr_expect_eq(access(file, F_OK), 0, "--output-dir: no %s", file);
	npa_sh("rm -rf /tmp/igt-npalc-%d", (int)getpid());
	json_decref(rep);
	json_decref(vals);
	igt_result_free(r);
}

Test(lifecycle, until_stable_command, .init = npa_world_up, .fini = npa_world_down,
     .timeout = 120)
{
	char script[256], out[128];
	struct igt_result *r;
	json_t *vals, *rep;
	char *text;

	snprintf(out, sizeof(out), "/tmp/igt-npalc-%d.json", (int)getpid());
	snprintf(script, sizeof(script), "busybox wget -q -O /dev/null http://%s:8080/ && "
		 "exec sleep 60", W.srv4);
	r = igt_ig(60000, "run", "network-policy-advisor", "-o", "json", "--output-file", out,
		   "--until-stable", "1", "--", "ip", "netns", "exec", W.ns_cli, "/bin/sh", "-c",
		   script, NULL);
	cr_assert_not(r->timed_out, "the run was not ended");
	cr_assert_eq(r->status, 0, "%s", r->err);
	text = igt_read_file(out, NULL);
	cr_assert_not_null(text);
	unlink(out);
	vals = igt_json_values(text);
	rep = report_of(vals, "command");
	cr_expect_str_eq(str(rep, "stoppedBy"), "until-stable");
	cr_expect_eq(json_integer_value(json_object_get(rep, "runs")), 1);
	/* both are rounded to the ms apart: 999 is 1000 */
	cr_expect_geq(json_integer_value(json_object_get(rep, "recordedMs")) -
		      json_integer_value(json_object_get(rep, "lastNewAfterMs")), 999,
		      "ended before the period: %s", text);
	json_decref(rep);
	json_decref(vals);
	free(text);
	igt_result_free(r);
}
