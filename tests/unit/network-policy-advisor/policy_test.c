// SPDX-License-Identifier: Apache-2.0
/* Unit tests: NetworkPolicy generation of network-policy-advisor (policy.c). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "gadgets/network-policy-advisor/network_policy_advisor_int.h"

static struct npa_ip ip(const char *s)
{
	struct npa_ip v;

	cr_assert_eq(npa_ip_parse(&v, s), 0, "%s", s);
	return v;
}

static const struct ig_label web_labels[] = {
	{ "app", "web" },
	{ "pod-template-hash", "5d8f7" },
	{ "tier", "backend" },
	{ "topology.kubernetes.io/zone", "z1" },
};

#define NS_WEB	1001
#define NS_WEB2	1002
#define NS_CLI	2001

static struct npa_ip web_ips[2], web2_ips[1], cli_ips[2];
static struct npa_workload workloads[3];

static void world(void)
{
	web_ips[0] = ip("10.1.0.2");
	web_ips[1] = ip("fd00:1::2");
	web2_ips[0] = ip("10.1.0.3");
	cli_ips[0] = ip("10.1.0.9");
	cli_ips[1] = ip("fd00:1::9");
	workloads[0] = (struct npa_workload){ .name = "web", .k8s_namespace = "shop",
		.k8s_pod = "web-5d8f7-abcde", .labels = web_labels, .nr_labels = 4,
		.netns = NS_WEB, .ips = web_ips, .nr_ips = 2 };
	/* a second replica: same labels, other pod */
	workloads[1] = workloads[0];
	workloads[1].k8s_pod = "web-5d8f7-fghij";
	workloads[1].netns = NS_WEB2;
	workloads[1].ips = web2_ips;
	workloads[1].nr_ips = 1;
	workloads[2] = (struct npa_workload){ .name = "client_1", .netns = NS_CLI,
		.ips = cli_ips, .nr_ips = 2 };
}

#define FLOW(ns, peer_, port_, proto_, dir_) \
	{ .netns = ns, .peer = ip(peer_), .port = port_, .proto = NPA_PROTO_##proto_, \
	  .dir = NPA_DIR_##dir_ }

static char *build(struct npa_flow *flows, size_t nr, struct npa_dns_name *names, size_t nn,
		   int expect)
{
	struct npa_input in = { workloads, 3, flows, nr, names, nn };
	struct npa_policy *p;
	json_t *all = json_array();
	char *s;
	int n = npa_policies_build(&in, &p);

	cr_assert_eq(n, expect);
	for (int i = 0; i < n; i++)
		json_array_append(all, p[i].doc);
	s = json_dumps(all, JSON_INDENT(1));
	json_decref(all);
	npa_policies_free(p, n);
	return s;
}

/* What load() parsed, released after each test (the sanitizer build checks
 * for leaks, and assertions compare loaded values inline). */
static json_t *loaded[64];
static size_t nr_loaded;

static json_t *keep(json_t *j)
{
	cr_assert_not_null(j);
	cr_assert_lt(nr_loaded, sizeof(loaded) / sizeof(loaded[0]));
	loaded[nr_loaded++] = j;
	return j;
}

static json_t *load(const char *s)
{
	return keep(json_loads(s, 0, NULL));
}

static void forget(void)
{
	while (nr_loaded)
		json_decref(loaded[--nr_loaded]);
}

Test(policy, rules_peers_ports_dns, .init = world, .fini = forget)
{
	struct npa_flow flows[] = {
		FLOW(NS_CLI, "10.1.0.2", 8080, TCP, EGRESS),
		FLOW(NS_CLI, "fd00:1::2", 8080, TCP, EGRESS),
		FLOW(NS_CLI, "10.1.0.2", 9000, UDP, EGRESS),
		FLOW(NS_CLI, "10.9.9.9", 80, TCP, EGRESS),
		FLOW(NS_CLI, "10.9.9.53", 53, UDP, EGRESS),
		FLOW(NS_CLI, "10.9.9.53", 443, TCP, EGRESS),
		FLOW(NS_CLI, "127.0.0.1", 5000, TCP, EGRESS),	/* loopback: no rule */
		FLOW(NS_CLI, "10.1.0.9", 5001, TCP, EGRESS),	/* own address */
		FLOW(NS_WEB, "10.1.0.9", 8080, TCP, INGRESS),
		FLOW(NS_WEB, "fd00:1::9", 8080, TCP, INGRESS),
		FLOW(NS_WEB2, "10.1.0.9", 9000, UDP, INGRESS),
		FLOW(NS_WEB, "fd00:9::1", 8080, TCP, INGRESS),
		FLOW(NS_WEB, "::1", 8080, TCP, INGRESS),
		FLOW(3333, "10.9.9.9", 22, TCP, EGRESS),	/* unknown netns: ignored */
	};
	struct npa_dns_name names[] = {
		{ NS_CLI, ip("10.9.9.9"), "www.example.test" },
		{ NS_CLI, ip("10.9.9.9"), "alias.example.test" },
		{ NS_WEB, ip("10.9.9.9"), "other-netns.test" },
	};
	char *s = build(flows, sizeof(flows) / sizeof(flows[0]), names, 3, 2);
	json_t *all = load(s), *cli, *web, *eg, *in;

	/* sorted: "" namespace (client) before "shop" */
	cli = json_array_get(all, 0);
	web = json_array_get(all, 1);
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(web, "metadata"),
							   "name")), "web");
	cr_assert(json_equal(json_object_get(web, "spec") ?
		json_object_get(json_object_get(json_object_get(web, "spec"), "podSelector"),
				"matchLabels") : NULL,
		keep(json_pack("{s:s, s:s}", "app", "web", "tier", "backend"))));

	in = json_object_get(json_object_get(web, "spec"), "ingress");
	cr_assert_eq(json_array_size(in), 2, "%s", s);
	/* client (podSelector by name, ports of both replicas merged) */
	cr_assert(json_equal(json_array_get(in, 1), load(
		"{\"from\":[{\"podSelector\":{\"matchLabels\":{\"ig.io/container-name\":"
		"\"client_1\"}}}],\"ports\":[{\"protocol\":\"TCP\",\"port\":8080},"
		"{\"protocol\":\"UDP\",\"port\":9000}]}")), "%s", s);
	cr_assert(json_equal(json_array_get(in, 0), load(
		"{\"from\":[{\"ipBlock\":{\"cidr\":\"fd00:9::1/128\"}}],"
		"\"ports\":[{\"protocol\":\"TCP\",\"port\":8080}]}")), "%s", s);
	cr_assert_eq(json_array_size(json_object_get(json_object_get(web, "spec"), "egress")), 0);

	eg = json_object_get(json_object_get(cli, "spec"), "egress");
	cr_assert_eq(json_array_size(eg), 4, "%s", s);
	cr_assert(json_equal(json_array_get(eg, 0), load(
		"{\"to\":[{\"ipBlock\":{\"cidr\":\"10.9.9.53/32\"}}],"
		"\"ports\":[{\"protocol\":\"TCP\",\"port\":443}]}")), "%s", s);
	cr_assert(json_equal(json_array_get(eg, 1), load(
		"{\"to\":[{\"ipBlock\":{\"cidr\":\"10.9.9.9/32\"}}],"
		"\"ports\":[{\"protocol\":\"TCP\",\"port\":80}]}")), "%s", s);
	cr_assert(json_equal(json_array_get(eg, 2), load(
		"{\"to\":[{\"namespaceSelector\":{\"matchLabels\":{\"kubernetes.io/metadata.name\":"
		"\"shop\"}},\"podSelector\":{\"matchLabels\":{\"app\":\"web\",\"tier\":\"backend\"}}}],"
		"\"ports\":[{\"protocol\":\"TCP\",\"port\":8080},{\"protocol\":\"UDP\",\"port\":9000}]}")),
		"%s", s);
	/* DNS is its own rule, last */
	cr_assert(json_equal(json_array_get(eg, 3), load(
		"{\"to\":[{\"ipBlock\":{\"cidr\":\"10.9.9.53/32\"}}],"
		"\"ports\":[{\"protocol\":\"UDP\",\"port\":53}]}")), "%s", s);
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(json_object_get(cli,
		"metadata"), "annotations"), "ig.io/egress-dns-names")),
		"alias.example.test: 10.9.9.9; www.example.test: 10.9.9.9");
	cr_assert_not_null(json_object_get(json_object_get(json_object_get(cli, "metadata"),
		"annotations"), "ig.io/selector-note"));
	cr_assert_null(json_object_get(json_object_get(cli, "metadata"), "namespace"));
	cr_assert_eq(json_array_size(json_object_get(json_object_get(cli, "spec"), "policyTypes")), 2);
	free(s);
}

Test(policy, deterministic_whatever_the_order, .init = world, .fini = forget)
{
	struct npa_flow flows[] = {
		FLOW(NS_CLI, "10.1.0.2", 8080, TCP, EGRESS),
		FLOW(NS_CLI, "10.9.9.9", 80, TCP, EGRESS),
		FLOW(NS_CLI, "10.9.9.9", 81, UDP, EGRESS),
		FLOW(NS_CLI, "fd00:9::53", 53, UDP, EGRESS),
		FLOW(NS_WEB, "10.1.0.9", 8080, TCP, INGRESS),
		FLOW(NS_WEB, "10.7.0.1", 8080, TCP, INGRESS),
	};
	size_t n = sizeof(flows) / sizeof(flows[0]);
	char *first = build(flows, n, NULL, 0, 2), *again;

	for (int round = 0; round < 20; round++) {
		for (size_t i = n - 1; i > 0; i--) {
			size_t j = (size_t)rand() % (i + 1);
			struct npa_flow t = flows[i];

			flows[i] = flows[j];
			flows[j] = t;
		}
		again = build(flows, n, NULL, 0, 2);
		cr_assert_str_eq(first, again);
		free(again);
	}
	free(first);
}

Test(policy, no_flows_means_deny_all, .init = world, .fini = forget)
{
	char *s = build(NULL, 0, NULL, 0, 2);
	json_t *all = load(s), *spec = json_object_get(json_array_get(all, 1), "spec");

	cr_assert_eq(json_array_size(json_object_get(spec, "ingress")), 0);
	cr_assert_eq(json_array_size(json_object_get(spec, "egress")), 0);
	cr_assert_not_null(json_object_get(spec, "ingress"));
	free(s);
}

Test(policy, labels)
{
	char v[64];

	cr_assert(npa_label_ignored("pod-template-hash"));
	cr_assert(npa_label_ignored("controller-revision-hash"));
	cr_assert(npa_label_ignored("pod-template-generation"));
	cr_assert(npa_label_ignored("topology.kubernetes.io/region"));
	cr_assert_not(npa_label_ignored("app"));
	npa_label_value("-my/container:v1-", v, sizeof(v));
	cr_assert_str_eq(v, "my-container-v1");
	npa_label_value("", v, sizeof(v));
	cr_assert_str_eq(v, "unnamed");
	npa_label_value("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
			v, sizeof(v));
	cr_assert_eq(strlen(v), 63);
}

Test(policy, peer_only_workloads_are_peers_not_policies, .init = world, .fini = forget)
{
	struct npa_flow flows[] = {
		FLOW(NS_CLI, "10.1.0.2", 8080, TCP, EGRESS),
		FLOW(NS_WEB, "10.1.0.9", 8080, TCP, INGRESS),	/* not observed: ignored */
	};
	struct npa_input in = { workloads, 3, flows, 2, NULL, 0 };
	struct npa_policy *p;
	json_t *to;
	int n;

	workloads[0].peer_only = true;
	workloads[1].peer_only = true;
	n = npa_policies_build(&in, &p);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(p[0].title, "client-1");
	to = json_array_get(json_object_get(json_array_get(json_object_get(json_object_get(p[0].doc,
		"spec"), "egress"), 0), "to"), 0);
	cr_assert(json_equal(json_object_get(json_object_get(to, "podSelector"), "matchLabels"),
			     keep(json_pack("{s:s, s:s}", "app", "web", "tier", "backend"))));
	cr_assert_eq(p[0].nr_egress, 1);
	cr_assert_eq(p[0].nr_ingress, 0);
	npa_policies_free(p, n);
}

Test(policy, names_are_valid_and_unique, .init = world, .fini = forget)
{
	static const struct ig_label a_labels[] = { { "app", "Shop_API" }, { "team", "a" } };
	static const struct ig_label b_labels[] = { { "app", "Shop_API" }, { "team", "b" } };
	struct npa_workload w[3] = {
		{ .name = "x", .k8s_namespace = "ns1", .k8s_pod = "p1", .labels = a_labels,
		  .nr_labels = 2, .netns = 1 },
		{ .name = "y", .k8s_namespace = "ns1", .k8s_pod = "p2", .labels = b_labels,
		  .nr_labels = 2, .netns = 2 },
		{ .name = "--Weird Name!--", .netns = 3 },
	};
	struct npa_input in = { w, 3, NULL, 0, NULL, 0 };
	struct npa_policy *p;
	int n = npa_policies_build(&in, &p);

	cr_assert_eq(n, 3);
	/* sorted: no namespace first, then ns1 by selector (team a, team b) */
	cr_assert_str_eq(p[0].title, "weird-name");
	cr_assert_str_eq(p[1].title, "ns1/shop-api");
	cr_assert_str_eq(p[2].title, "ns1/shop-api-2");
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(p[2].doc, "metadata"),
							   "name")), "shop-api-2");
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(json_object_get(
		json_object_get(p[0].doc, "spec"), "podSelector"), "matchLabels"),
		"ig.io/container-name")), "Weird-Name");
	npa_policies_free(p, n);
}

Test(policy, same_namespace_peer_has_no_namespace_selector)
{
	static const struct ig_label la[] = { { "app", "a" } }, lb[] = { { "app", "b" } };
	struct npa_ip ipa = ip("10.2.0.1"), ipb = ip("10.2.0.2");
	struct npa_workload w[2] = {
		{ .name = "a", .k8s_namespace = "ns", .labels = la, .nr_labels = 1, .netns = 1,
		  .ips = &ipa, .nr_ips = 1 },
		{ .name = "b", .k8s_namespace = "ns", .labels = lb, .nr_labels = 1, .netns = 2,
		  .ips = &ipb, .nr_ips = 1 },
	};
	struct npa_flow f[] = { FLOW(1, "10.2.0.2", 5432, TCP, EGRESS) };
	struct npa_input in = { w, 2, f, 1, NULL, 0 };
	struct npa_policy *p;
	int n = npa_policies_build(&in, &p);
	char *s;

	cr_assert_eq(n, 2);
	s = json_dumps(json_object_get(p[0].doc, "spec"), JSON_COMPACT | JSON_SORT_KEYS);
	cr_assert_str_eq(s, "{\"egress\":[{\"ports\":[{\"port\":5432,\"protocol\":\"TCP\"}],"
			 "\"to\":[{\"podSelector\":{\"matchLabels\":{\"app\":\"b\"}}}]}],"
			 "\"ingress\":[],\"podSelector\":{\"matchLabels\":{\"app\":\"a\"}},"
			 "\"policyTypes\":[\"Ingress\",\"Egress\"]}");
	free(s);
	npa_policies_free(p, n);
}

Test(policy, cilium_format_names_peers_by_dns, .init = world, .fini = forget)
{
	struct npa_flow flows[] = {
		FLOW(NS_CLI, "10.1.0.2", 8080, TCP, EGRESS),
		FLOW(NS_CLI, "10.9.9.9", 80, TCP, EGRESS),
		FLOW(NS_CLI, "10.9.9.53", 53, UDP, EGRESS),
		FLOW(NS_WEB, "fd00:9::1", 8080, TCP, INGRESS),
	};
	struct npa_dns_name names[] = {
		{ NS_CLI, ip("10.9.9.9"), "www.example.test" },
		{ NS_CLI, ip("10.9.9.9"), "alias.example.test" },
		{ NS_CLI, ip("10.9.9.9"), "www.example.test" },
	};
	struct npa_input in = { workloads, 3, flows, 4, names, 3, NPA_FORMAT_CILIUM };
	struct npa_policy *p;
	json_t *eg, *want;
	char *s;
	int n = npa_policies_build(&in, &p);

	cr_assert_eq(n, 2);
	cr_assert_str_eq(json_string_value(json_object_get(p[0].doc, "apiVersion")), "cilium.io/v2");
	cr_assert_str_eq(json_string_value(json_object_get(p[0].doc, "kind")),
			 "CiliumNetworkPolicy");
	eg = json_object_get(json_object_get(p[0].doc, "spec"), "egress");
	s = json_dumps(eg, JSON_COMPACT | JSON_SORT_KEYS);
	want = json_loads("["
		"{\"toFQDNs\":[{\"matchName\":\"alias.example.test\"},"
		"{\"matchName\":\"www.example.test\"}],"
		"\"toPorts\":[{\"ports\":[{\"port\":\"80\",\"protocol\":\"TCP\"}]}]},"
		"{\"toEndpoints\":[{\"matchLabels\":{\"app\":\"web\",\"tier\":\"backend\","
		"\"k8s:io.kubernetes.pod.namespace\":\"shop\"}}],"
		"\"toPorts\":[{\"ports\":[{\"port\":\"8080\",\"protocol\":\"TCP\"}]}]},"
		"{\"toCIDR\":[\"10.9.9.53/32\"],\"toPorts\":[{\"ports\":[{\"port\":\"53\","
		"\"protocol\":\"UDP\"}],\"rules\":{\"dns\":[{\"matchPattern\":\"*\"}]}}]}]", 0, NULL);
	cr_assert_not_null(want);
	cr_assert(json_equal(eg, want), "%s", s);
	free(s);
	s = json_dumps(json_object_get(json_object_get(p[1].doc, "spec"), "ingress"),
		       JSON_COMPACT | JSON_SORT_KEYS);
	cr_assert_str_eq(s, "[{\"fromCIDR\":[\"fd00:9::1/128\"],\"toPorts\":[{\"ports\":"
			 "[{\"port\":\"8080\",\"protocol\":\"TCP\"}]}]}]");
	free(s);
	json_decref(want);
	want = json_pack("{s:{s:s, s:s}}", "matchLabels", "app", "web", "tier", "backend");
	cr_assert(json_equal(json_object_get(json_object_get(p[1].doc, "spec"), "endpointSelector"),
			     want));
	json_decref(want);
	npa_policies_free(p, n);
}
