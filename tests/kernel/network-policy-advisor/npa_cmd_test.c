// SPDX-License-Identifier: Apache-2.0
/*
 * network-policy-advisor with -- COMMAND: only the command's process tree
 * counts (egress and UDP by pid, accepted TCP by the ports it bound), even
 * when it moves into another network namespace; containers are peers only.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "npa_helpers.h"

Test(network_policy_advisor, command_mode, .init = npa_world_up, .fini = npa_world_down,
     .timeout = 120)
{
	char script[1024], go[64], url[96], npa_net[300], want[1024];
	const char *const probe[] = { "wget", "-q", "-O", "/dev/null", url, NULL };
	struct igt_result *r = NULL;
	json_t *vals, *doc = NULL, *expect;
	size_t records = 0;
	struct igt_proc *p;
	int tries;

	snprintf(npa_net, sizeof(npa_net), "%s/tests/fixtures/static/npa_net", igt_build_dir());
	snprintf(go, sizeof(go), "/tmp/npa-go-%d", (int)getpid());
	unlink(go);
	snprintf(script, sizeof(script),
		 "busybox httpd -f -p 8081 -h %s & H=$!; "
		 "busybox wget -q -O /dev/null http://%s:8080/ && %s udp-client %s 9000 >/dev/null || exit 1; "
		 "for i in $(seq 200); do [ -e %s ] && break; sleep 0.1; done; kill $H",
		 W.www, W.srv4, npa_net, W.srv4, go);
	p = igt_spawn_ig_ready("run", "network-policy-advisor", "-o", "json", "--", "ip", "netns",
			       "exec", W.ns_cli, "/bin/sh", "-c", script, NULL);
	/* the server container connects to the command's httpd */
	snprintf(url, sizeof(url), "http://%s:8081/", W.cli4);
	for (tries = 0; tries < 50; tries++) {
		igt_result_free(r);
		r = igt_bundle_exec(W.srv, probe, 10000);
		if (!r->status)
			break;
		usleep(100 * 1000);
	}
	cr_assert_eq(r->status, 0, "the command's httpd never answered: %s", r->err);
	igt_result_free(r);
	npa_sh("touch %s", go);
	r = igt_proc_finish(p, 0, 30000);
	unlink(go);
	cr_assert_eq(r->status, 0, "ig or the command failed (%d): %s", r->status, r->err);

	vals = igt_json_values(r->out);
	for (size_t i = 0; i < json_array_size(vals); i++) {
		json_t *v = json_array_get(vals, i);

		if (json_object_get(v, "kind")) {
			cr_assert_null(doc, "more than one policy: %s", r->out);
			doc = v;
		} else {
			records++;
		}
	}
	/* wget, udp-client, the accepted connection: nothing of the containers */
	cr_assert_eq(records, 3, "%zu records: %s", records, r->out);
	cr_assert_not_null(doc, "no policy: %s", r->out);
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(doc, "metadata"),
							   "name")), "command");
	snprintf(want, sizeof(want),
		 "{\"podSelector\":{\"matchLabels\":{\"ig.io/container-name\":\"command\"}},"
		 "\"policyTypes\":[\"Ingress\",\"Egress\"],"
		 "\"ingress\":[{\"from\":[{\"namespaceSelector\":{\"matchLabels\":"
		 "{\"kubernetes.io/metadata.name\":\"shop\"}},"
		 "\"podSelector\":{\"matchLabels\":{\"app\":\"web\"}}}],"
		 "\"ports\":[{\"protocol\":\"TCP\",\"port\":8081}]}],"
		 "\"egress\":[{\"to\":[{\"namespaceSelector\":{\"matchLabels\":"
		 "{\"kubernetes.io/metadata.name\":\"shop\"}},"
		 "\"podSelector\":{\"matchLabels\":{\"app\":\"web\"}}}],"
		 "\"ports\":[{\"protocol\":\"TCP\",\"port\":8080},{\"protocol\":\"UDP\",\"port\":9000}]}]}");
	expect = json_loads(want, 0, NULL);
	cr_assert_not_null(expect);
	{
		char *got = json_dumps(json_object_get(doc, "spec"), JSON_COMPACT);

		cr_assert(json_equal(json_object_get(doc, "spec"), expect), "got %s", got);
		free(got);
	}
	json_decref(expect);
	json_decref(vals);
	igt_result_free(r);
}
