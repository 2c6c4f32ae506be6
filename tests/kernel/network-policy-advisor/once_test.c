// SPDX-License-Identifier: Apache-2.0
/*
 * network-policy-advisor with two selected containers that both exit while
 * ig runs: each policy comes out once, when its workload is gone (the
 * client's policy was printed again when the server exited).
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "npa_helpers.h"

/* Policies named name in vals. */
static int policies_named(json_t *vals, const char *name)
{
	int n = 0;

	for (size_t i = 0; i < json_array_size(vals); i++) {
		json_t *v = json_array_get(vals, i);
		const char *got = json_string_value(json_object_get(json_object_get(v, "metadata"),
								   "name"));

		n += json_object_get(v, "kind") && got && !strcmp(got, name);
	}
	return n;
}

/* Destroy b and wait for the policy named after it. */
static void exit_and_wait(struct igt_proc *p, struct igt_bundle *b, const char *id)
{
	char needle[96];

	igt_bundle_destroy(b);
	snprintf(needle, sizeof(needle), "\"name\":\"%s\"", id);
	if (!igt_proc_wait_output(p, needle, 10000)) {
		struct igt_result *r = igt_proc_finish(p, SIGINT, 20000);

		cr_assert_fail("no policy when %s exited:\n%s%s", id, r->err, r->out);
	}
}

/* A server of its own (labels no other test's container shares: replicas
 * would make one policy of them, reported when all are gone) and the
 * world's client. */
Test(network_policy_advisor, two_containers_exit_each_policy_once, .init = npa_world_up,
     .fini = npa_world_down, .timeout = 120)
{
	char sel[160], cli[64], srv[64], url[96];
	const char *const get[] = { "wget", "-q", "-O", "/dev/null", url, NULL };
	struct igt_bundle *late;
	struct igt_result *r = NULL;
	struct igt_proc *p;
	json_t *vals;
	int tries;

	npa_world_add_late();
	late = npa_container("npaonce", W.ns_late, "mkdir -p /www && echo hi > /www/index.html"
			     " && exec httpd -f -p 8080 -h /www");
	snprintf(srv, sizeof(srv), "%s", late->id);
	snprintf(cli, sizeof(cli), "%s", W.cli->id);
	snprintf(sel, sizeof(sel), "%s,%s", srv, cli);
	snprintf(url, sizeof(url), "http://10.231.%d.4:8080/", W.net);
	p = igt_spawn_ig_ready("run", "network-policy-advisor", "-c", sel, "-o", "json", NULL);
	igt_bundle_start(late);
	for (tries = 0; tries < 50; tries++) {
		igt_result_free(r);
		r = igt_bundle_exec(W.cli, get, 10000);
		if (!r->status)
			break;
		usleep(100 * 1000);
	}
	cr_assert_eq(r->status, 0, "the server never answered: %s", r->err);
	igt_result_free(r);
	usleep(300 * 1000);
	exit_and_wait(p, W.cli, cli);	/* the client exits first */
	W.cli = NULL;
	exit_and_wait(p, late, srv);	/* then the server: its policy, and only its */
	r = igt_proc_finish(p, SIGINT, 20000);
	cr_assert_eq(r->status, 0, "ig failed: %s", r->err);
	vals = igt_json_values(r->out);
	cr_assert_eq(policies_named(vals, cli), 1, "the client's policy %d times:\n%s",
		     policies_named(vals, cli), r->out);
	cr_assert_eq(policies_named(vals, srv), 1, "the server's policy %d times:\n%s",
		     policies_named(vals, srv), r->out);
	cr_assert_eq(igt_count(r->out, "\"kind\":\"NetworkPolicy\""), 2, "%s", r->out);
	json_decref(vals);
	igt_result_free(r);
}
