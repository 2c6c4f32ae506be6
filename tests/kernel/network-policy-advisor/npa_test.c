// SPDX-License-Identifier: Apache-2.0
/*
 * network-policy-advisor against real traffic: runc containers in network
 * namespaces of our own (npa_world.c), TCP and UDP over IPv4 and IPv6, a DNS
 * answer. Checks the live records, the exact rules of the report, the
 * Kubernetes schema (kubernetes-models, through node) and that the same
 * traffic gives byte-identical YAML.
 */
#include <criterion/criterion.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "npa_helpers.h"

static json_t *ctr_meta_annotations(json_t *doc)
{
	return json_object_get(json_object_get(doc, "metadata"), "annotations");
}

/* One ig run over npa_traffic() (extra: one more flag or NULL). */
static struct igt_result *observe_run(const char *fmt, const char *extra)
{
	struct igt_proc *p;
	char sel[160];

	/* names: the server's is its Kubernetes container name */
	snprintf(sel, sizeof(sel), "%s,%s", W.srv_name, W.cli->id);
	p = igt_spawn_ig_ready("run", "network-policy-advisor", "-c", sel, "-o", fmt, extra, NULL);
	npa_traffic();
	usleep(300 * 1000);
	return igt_proc_finish(p, SIGINT, 20000);
}

/* The same, nothing lost; returns ig's stdout (caller frees). */
static char *observe(const char *fmt)
{
	struct igt_result *r = observe_run(fmt, NULL);
	char *out;

	cr_assert_eq(r->status, 0, "ig failed (%d): %s", r->status, r->err);
	cr_assert_eq(igt_count(r->err, "lost"), 0, "ig lost events: %s", r->err);
	out = strdup(r->out);
	igt_result_free(r);
	return out;
}

static const char *str_at(json_t *o, const char *a, const char *b)
{
	json_t *v = json_object_get(o, a);

	return json_string_value(b ? json_object_get(v, b) : v);
}

static long long int_at(json_t *o, const char *a, const char *b)
{
	return json_integer_value(json_object_get(json_object_get(o, a), b));
}

struct want {
	const char *who;		/* container name */
	const char *dir, *proto, *peer;
	int port;
	const char *comm, *dns;
};

static bool record_matches(json_t *rec, const struct want *w)
{
	bool egress = !strcmp(w->dir, "egress");
	const char *ctr = str_at(rec, "runtime", "containerName");
	const char *dns = str_at(rec, "dns", NULL), *comm = str_at(rec, "comm", NULL);

	if (!ctr || strcmp(ctr, w->who) || strcmp(str_at(rec, "direction", NULL), w->dir) ||
	    strcmp(str_at(rec, "proto", NULL), w->proto) ||
	    strcmp(str_at(rec, "remote", "addr"), w->peer) ||
	    int_at(rec, egress ? "remote" : "local", "port") != w->port)
		return false;
	cr_assert(!w->comm || (comm && !strcmp(comm, w->comm)), "comm %s, want %s", comm,
		  w->comm);
	cr_assert(!w->dns || (dns && !strcmp(dns, w->dns)), "dns %s, want %s", dns, w->dns);
	return true;
}

static void check_records(json_t *vals)
{
	const struct want wants[] = {
		{ W.cli->id, "egress", "UDP", W.ext4, 53, "nslookup", NULL },
		{ W.cli->id, "egress", "TCP", W.srv4, 8080, "wget", NULL },
		{ W.cli->id, "egress", "TCP", W.srv6, 8080, "wget", NULL },
		{ W.cli->id, "egress", "UDP", W.srv4, 9000, "npa_net", NULL },
		{ W.cli->id, "egress", "UDP", W.ext6, 9001, "npa_net", "example.test" },
		{ W.cli->id, "egress", "TCP", W.ext4, 80, "wget", "example.test" },
		{ W.srv_name, "ingress", "TCP", W.cli4, 8080, NULL, NULL },
		{ W.srv_name, "ingress", "TCP", W.cli6, 8080, NULL, NULL },
		{ W.srv_name, "ingress", "UDP", W.cli4, 9000, "npa_net", NULL },
		{ W.srv_name, "ingress", "TCP", W.ext4, 8080, NULL, NULL },
		{ W.srv_name, "egress", "TCP", "127.0.0.1", 8080, "wget", NULL },
		{ W.srv_name, "ingress", "TCP", "127.0.0.1", 8080, NULL, NULL },
	};
	size_t nwant = sizeof(wants) / sizeof(wants[0]), records = 0;
	char *dump = json_dumps(vals, JSON_INDENT(1));
	FILE *f = fopen("/tmp/npa-last-output.json", "w");

	/* the whole output, for whoever reads a failure below (removed when the
	 * test passes) */
	if (f) {
		fputs(dump, f);
		fclose(f);
	}

	for (size_t i = 0; i < json_array_size(vals); i++)
		records += json_object_get(json_array_get(vals, i), "kind") == NULL;
	for (size_t w = 0; w < nwant; w++) {
		bool found = false;

		for (size_t i = 0; i < json_array_size(vals) && !found; i++)
			found = record_matches(json_array_get(vals, i), &wants[w]);
		cr_assert(found, "no record for %s %s %s %s port %d in: %s", wants[w].who,
			  wants[w].dir, wants[w].proto, wants[w].peer, wants[w].port, dump);
	}
	/* replies (UDP echoes, DNS answers) are not flows: nothing else */
	cr_assert_eq(records, nwant, "%zu records, want %zu: %s", records, nwant, dump);
	free(dump);
}

static void keep_no_output(void)
{
	unlink("/tmp/npa-last-output.json");
}

static json_t *find_policy(json_t *vals, const char *name)
{
	for (size_t i = 0; i < json_array_size(vals); i++) {
		json_t *v = json_array_get(vals, i);

		if (str_at(v, "kind", NULL) && !strcmp(str_at(v, "metadata", "name"), name))
			return v;
	}
	cr_assert_fail("no NetworkPolicy named %s", name);
	return NULL;
}

static void assert_spec(json_t *doc, const char *expect_fmt, ...)
{
	char text[4096], *got;
	json_error_t err;
	json_t *want;
	va_list ap;

	va_start(ap, expect_fmt);
	vsnprintf(text, sizeof(text), expect_fmt, ap);
	va_end(ap);
	want = json_loads(text, 0, &err);
	cr_assert_not_null(want, "bad expectation: %s: %s", err.text, text);
	got = json_dumps(json_object_get(doc, "spec"), JSON_SORT_KEYS | JSON_COMPACT);
	cr_assert(json_equal(json_object_get(doc, "spec"), want), "spec\n got %s\nwant %s", got,
		  text);
	free(got);
	json_decref(want);
}

static void check_report(json_t *vals)
{
	json_t *web = find_policy(vals, "web"), *cli = find_policy(vals, W.cli->id);
	size_t docs = 0;

	for (size_t i = 0; i < json_array_size(vals); i++)
		docs += json_object_get(json_array_get(vals, i), "kind") != NULL;
	cr_assert_eq(docs, 2, "one policy per workload, got %zu", docs);
	cr_assert_str_eq(str_at(web, "metadata", "namespace"), "shop");
	cr_assert_null(json_object_get(json_object_get(cli, "metadata"), "namespace"));
	assert_spec(web,
		"{\"podSelector\":{\"matchLabels\":{\"app\":\"web\"}},"
		"\"policyTypes\":[\"Ingress\",\"Egress\"],\"egress\":[],\"ingress\":["
		"{\"from\":[{\"ipBlock\":{\"cidr\":\"%s/32\"}}],"
		"\"ports\":[{\"protocol\":\"TCP\",\"port\":8080}]},"
		"{\"from\":[{\"podSelector\":{\"matchLabels\":{\"ig.io/container-name\":\"%s\"}}}],"
		"\"ports\":[{\"protocol\":\"TCP\",\"port\":8080},{\"protocol\":\"UDP\",\"port\":9000}]}"
		"]}", W.ext4, W.cli->id);
	assert_spec(cli,
		"{\"podSelector\":{\"matchLabels\":{\"ig.io/container-name\":\"%s\"}},"
		"\"policyTypes\":[\"Ingress\",\"Egress\"],\"ingress\":[],\"egress\":["
		"{\"to\":[{\"ipBlock\":{\"cidr\":\"%s/32\"}}],"
		"\"ports\":[{\"protocol\":\"TCP\",\"port\":80}]},"
		"{\"to\":[{\"ipBlock\":{\"cidr\":\"%s/128\"}}],"
		"\"ports\":[{\"protocol\":\"UDP\",\"port\":9001}]},"
		"{\"to\":[{\"namespaceSelector\":{\"matchLabels\":"
		"{\"kubernetes.io/metadata.name\":\"shop\"}},"
		"\"podSelector\":{\"matchLabels\":{\"app\":\"web\"}}}],"
		"\"ports\":[{\"protocol\":\"TCP\",\"port\":8080},{\"protocol\":\"UDP\",\"port\":9000}]},"
		"{\"to\":[{\"ipBlock\":{\"cidr\":\"%s/32\"}}],"
		"\"ports\":[{\"protocol\":\"UDP\",\"port\":53}]}"
		"]}", W.cli->id, W.ext4, W.ext6, W.ext4);
	{
		char names[160];
		const char *got = str_at(json_object_get(cli, "metadata"), "annotations",
					 "ig.io/egress-dns-names");

		snprintf(names, sizeof(names), "example.test: %s, %s", W.ext4, W.ext6);
		cr_assert(got && !strcmp(got, names), "dns names annotation: %s", got);
	}
	cr_assert_not_null(str_at(json_object_get(cli, "metadata"), "annotations",
				  "ig.io/selector-note"));
}

/* The schema check: kubernetes-models' NetworkPolicy.validate() in node. */
static void validate_with_node(const char *text, const char *suffix)
{
	char script[PATH_MAX], file[64];
	struct igt_result *r;
	FILE *f;

	snprintf(script, sizeof(script), "%s/tests/schema/validate-netpol.mjs",
		 getenv("IG_SRC_DIR") ? getenv("IG_SRC_DIR") : ".");
	cr_assert_eq(access(script, R_OK), 0, "%s not found: run from the source tree or set "
		     "IG_SRC_DIR", script);
	snprintf(file, sizeof(file), "/tmp/npa-docs-%d.%s", (int)getpid(), suffix);
	f = fopen(file, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
	{
		const char *const argv[] = { "node", script, file, NULL };

		r = igt_run(argv, 60000);
	}
	unlink(file);
	cr_assert_eq(r->status, 0, "schema validation failed (run `make deps` for "
		     "kubernetes-models): %s%s", r->out, r->err);
	cr_assert(strstr(r->out, "ok: 2 NetworkPolicy documents"), "%s", r->out);
	igt_result_free(r);
}

/* The NetworkPolicy documents of a YAML stream, concatenated as emitted. */
/* The ig.io/report annotation says when and for how long: not the policy,
 * and never the same twice. Its line goes. */
static char *drop_report(char *yaml)
{
	char *at, *end;

	while ((at = strstr(yaml, "    ig.io/report: "))) {
		end = strchr(at, '\n');
		memmove(at, end ? end + 1 : at + strlen(at), strlen(end ? end + 1 : at) + 1);
	}
	return yaml;
}

static char *yaml_policies(const char *yaml)
{
	size_t len = strlen(yaml);
	char *out = calloc(1, len + 1);
	const char *p = yaml;

	cr_assert_not_null(out);
	while (p && *p) {
		const char *next = strstr(p + 1, "\n---");
		size_t n = next ? (size_t)(next + 1 - p) : strlen(p);

		if (memmem(p, n, "\nkind: NetworkPolicy", 20))
			strncat(out, p, n);
		p = next ? next + 1 : NULL;
	}
	return drop_report(out);
}

/* Table output: the records, then one summary line per policy. */
static void check_table(void)
{
	char *t = observe("table"), want[128];
	FILE *f = fopen("/tmp/npa-last-table.txt", "w");	/* removed on success */

	if (f) {
		fputs(t, f);
		fclose(f);
	}
	cr_assert_eq(igt_count(t, "NetworkPolicy"), 2, "%s", t);
	cr_assert(strstr(t, "shop/web"), "%s", t);
	cr_assert(strstr(t, "2 ingress, 0 egress rules"), "%s", t);
	cr_assert(strstr(t, "0 ingress, 4 egress rules"), "%s", t);
	snprintf(want, sizeof(want), "%s", W.ext6);
	cr_assert(strstr(t, want) && strstr(t, "example.test"), "%s", t);
	cr_assert_null(strstr(t, "apiVersion"), "documents in table output: %s", t);
	unlink("/tmp/npa-last-table.txt");
	free(t);
}

static json_t *egress_of(json_t *doc)
{
	return json_object_get(json_object_get(doc, "spec"), "egress");
}

/* --format cilium: the peers DNS named are allowed by name. */
static void check_cilium(void)
{
	struct igt_result *r = observe_run("json", "--format=cilium");
	json_t *vals, *doc = NULL, *want;
	char text[1024];
	size_t docs = 0;

	cr_assert_eq(r->status, 0, "ig failed: %s", r->err);
	vals = igt_json_values(r->out);
	for (size_t i = 0; i < json_array_size(vals); i++) {
		json_t *v = json_array_get(vals, i);

		if (!json_object_get(v, "kind"))
			continue;
		docs++;
		cr_assert_str_eq(str_at(v, "kind", NULL), "CiliumNetworkPolicy");
		if (!strcmp(str_at(v, "metadata", "name"), W.cli->id))
			doc = v;
	}
	cr_assert_eq(docs, 2, "%s", r->out);
	cr_assert_not_null(doc, "%s", r->out);
	snprintf(text, sizeof(text), "["
		"{\"toFQDNs\":[{\"matchName\":\"example.test\"}],"
		"\"toPorts\":[{\"ports\":[{\"port\":\"80\",\"protocol\":\"TCP\"}]}]},"
		"{\"toFQDNs\":[{\"matchName\":\"example.test\"}],"
		"\"toPorts\":[{\"ports\":[{\"port\":\"9001\",\"protocol\":\"UDP\"}]}]},"
		"{\"toEndpoints\":[{\"matchLabels\":{\"app\":\"web\","
		"\"k8s:io.kubernetes.pod.namespace\":\"shop\"}}],"
		"\"toPorts\":[{\"ports\":[{\"port\":\"8080\",\"protocol\":\"TCP\"},"
		"{\"port\":\"9000\",\"protocol\":\"UDP\"}]}]},"
		"{\"toCIDR\":[\"%s/32\"],\"toPorts\":[{\"ports\":[{\"port\":\"53\","
		"\"protocol\":\"UDP\"}],\"rules\":{\"dns\":[{\"matchPattern\":\"*\"}]}}]}]",
		W.ext4);
	want = json_loads(text, 0, NULL);
	cr_assert_not_null(want, "%s", text);
	cr_assert(json_equal(egress_of(doc), want), "cilium egress: %s", r->out);
	json_decref(want);
	json_decref(vals);
	igt_result_free(r);
}

Test(network_policy_advisor, real_traffic_to_policies, .init = npa_world_up,
     .fini = npa_world_down, .timeout = 240)
{
	char *json_out = observe("json"), *y1, *y2, *p1, *p2, *docs;
	json_t *vals = igt_json_values(json_out), *policies = json_array();

	check_records(vals);
	check_report(vals);
	keep_no_output();
	for (size_t i = 0; i < json_array_size(vals); i++)
		if (json_object_get(json_array_get(vals, i), "kind"))
			json_array_append(policies, json_array_get(vals, i));
	docs = json_dumps(policies, JSON_INDENT(2));
	validate_with_node(docs, "json");

	/* same traffic, twice more: the YAML documents are byte-identical */
	y1 = observe("yaml");
	y2 = observe("yaml");
	p1 = yaml_policies(y1);
	p2 = yaml_policies(y2);
	cr_assert_eq(igt_count(p1, "kind: NetworkPolicy"), 2, "%s", y1);
	cr_assert_str_eq(p1, p2, "YAML differs between two runs of the same traffic");
	validate_with_node(p1, "yaml");
	check_table();
	check_cilium();

	free(docs);
	json_decref(policies);
	json_decref(vals);
	free(json_out);
	free(y1);
	free(y2);
	free(p1);
	free(p2);
}

/* A full flow table is said, counted as lost, and the report still valid. */
Test(network_policy_advisor, full_flow_table_is_reported, .init = npa_world_up,
     .fini = npa_world_down, .timeout = 120)
{
	struct igt_result *r = observe_run("json", "--max-flows=3");
	json_t *vals, *policies = json_array();
	size_t records = 0;
	char *docs;

	cr_assert_eq(r->status, 3, "incomplete results exit 3 (%d): %s", r->status, r->err);
	cr_assert(strstr(r->err, "flow table is full (3 flows)"), "no full-table warning: %s",
		  r->err);
	cr_assert(strstr(r->err, "events were lost"), "loss not counted: %s", r->err);
	vals = igt_json_values(r->out);
	for (size_t i = 0; i < json_array_size(vals); i++) {
		json_t *v = json_array_get(vals, i);

		if (json_object_get(v, "kind")) {
			cr_expect(json_object_get(ctr_meta_annotations(v), "ig.io/lost-events"),
				  "a policy of an incomplete run says so");
			json_array_append(policies, v);
		} else if (!json_object_get(v, "lost")) {
			records++;
		}
	}
	cr_assert_eq(records, 3, "the table holds 3 flows, %zu records: %s", records, r->out);
	docs = json_dumps(policies, JSON_INDENT(2));
	validate_with_node(docs, "json");
	free(docs);
	json_decref(policies);
	json_decref(vals);
	igt_result_free(r);
}

/* A container started while ig runs is observed, DNS names included; when
 * it exits, its policy comes out then, and only once. */
Test(network_policy_advisor, container_started_later_and_exits, .init = npa_world_up,
     .fini = npa_world_down, .timeout = 120)
{
	struct igt_bundle *late;
	char url[96], names[128], id[64];
	const char *const dns[] = { "nslookup", "example.test", W.ext4, NULL };
	const char *const tcp[] = { "wget", "-q", "-O", "/dev/null", url, NULL };
	struct igt_result *r;
	struct igt_proc *p;
	json_t *vals, *doc;
	bool seen = false;

	npa_world_add_late();
	late = npa_container("npalate", W.ns_late, "while true; do sleep 1; done");
	snprintf(id, sizeof(id), "%s", late->id);	/* outlives the bundle */
	snprintf(url, sizeof(url), "http://%s:80/", W.ext4);
	p = igt_spawn_ig_ready("run", "network-policy-advisor", "-c", late->id, "-o", "json",
			       "-v", NULL);
	igt_bundle_start(late);
	cr_assert(igt_proc_wait_output(p, "observing network namespace", 10000),
		  "ig did not pick up the new container");
	r = igt_bundle_exec(late, dns, 20000);
	cr_assert_eq(r->status, 0, "nslookup: %s", r->err);
	igt_result_free(r);
	r = igt_bundle_exec(late, tcp, 20000);
	cr_assert_eq(r->status, 0, "wget: %s", r->err);
	igt_result_free(r);
	usleep(300 * 1000);
	igt_bundle_destroy(late);	/* exits while ig runs */
	cr_assert(igt_proc_wait_output(p, "\"kind\":\"NetworkPolicy\"", 10000),
		  "no policy when the container exited");
	r = igt_proc_finish(p, SIGINT, 20000);
	cr_assert_eq(r->status, 0, "ig failed: %s", r->err);
	cr_assert_eq(igt_count(r->out, "\"kind\":\"NetworkPolicy\""), 1, "%s", r->out);
	vals = igt_json_values(r->out);
	for (size_t i = 0; i < json_array_size(vals); i++) {
		json_t *v = json_array_get(vals, i);
		const char *d = str_at(v, "dns", NULL);

		seen |= !json_object_get(v, "kind") && int_at(v, "remote", "port") == 80 &&
			d && !strcmp(d, "example.test") &&
			!strcmp(str_at(v, "runtime", "containerName"), id);
	}
	cr_assert(seen, "no egress record to %s:80 carrying example.test: %s", W.ext4, r->out);
	doc = find_policy(vals, id);
	assert_spec(doc,
		"{\"podSelector\":{\"matchLabels\":{\"ig.io/container-name\":\"%s\"}},"
		"\"policyTypes\":[\"Ingress\",\"Egress\"],\"ingress\":[],\"egress\":["
		"{\"to\":[{\"ipBlock\":{\"cidr\":\"%s/32\"}}],"
		"\"ports\":[{\"protocol\":\"TCP\",\"port\":80}]},"
		"{\"to\":[{\"ipBlock\":{\"cidr\":\"%s/32\"}}],"
		"\"ports\":[{\"protocol\":\"UDP\",\"port\":53}]}]}", id, W.ext4, W.ext4);
	snprintf(names, sizeof(names), "example.test: %s", W.ext4);
	cr_assert_str_eq(str_at(json_object_get(doc, "metadata"), "annotations",
				"ig.io/egress-dns-names"), names);
	json_decref(vals);
	igt_result_free(r);
}
