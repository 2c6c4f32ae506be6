// SPDX-License-Identifier: Apache-2.0
/*
 * network-policy-advisor: --format cilium. The same rules as a cilium.io/v2
 * CiliumNetworkPolicy, made from the NetworkPolicy document, with one thing
 * the Kubernetes API cannot say: an egress peer that a DNS answer named is
 * allowed by name (toFQDNs) instead of by address. The DNS rule then carries
 * an L7 dns rule, which Cilium needs to see the answers toFQDNs relies on.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "network_policy_advisor_int.h"

#define CILIUM_NS_LABEL	"k8s:io.kubernetes.pod.namespace"

/* {"port": "8080", "protocol": "TCP"}... from the NetworkPolicy ports. */
static json_t *cilium_ports(json_t *ports, bool dns)
{
	json_t *out = json_array(), *p, *to;
	size_t i;

	json_array_foreach(ports, i, p) {
		char num[8];

		snprintf(num, sizeof(num), "%d",
			 (int)json_integer_value(json_object_get(p, "port")));
		json_array_append_new(out, json_pack("{s:s, s:O}", "port", num, "protocol",
						     json_object_get(p, "protocol")));
	}
	to = json_pack("{s:o}", "ports", out);
	if (to && dns)
		json_object_set_new(to, "rules", json_pack("{s:[{s:s}]}", "dns",
							    "matchPattern", "*"));
	return json_pack("[o]", to);
}

static bool only_port_53(json_t *ports)
{
	json_t *p;
	size_t i;

	json_array_foreach(ports, i, p)
		if (json_integer_value(json_object_get(p, "port")) != 53)
			return false;
	return json_array_size(ports) > 0;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Names the group's DNS answers gave the address of cidr, sorted, as
 * [{"matchName": ...}], or NULL when there are none. */
static json_t *fqdns(const struct npa_input *in, const struct npa_group *g, const char *cidr)
{
	char addr[NPA_IP_STRLEN + 5], *slash;
	const char **names;
	json_t *out = NULL;
	struct npa_ip ip;
	size_t n = 0;

	snprintf(addr, sizeof(addr), "%s", cidr);
	slash = strchr(addr, '/');
	if (slash)
		*slash = '\0';
	if (npa_ip_parse(&ip, addr) || !in->nr_names)
		return NULL;
	names = calloc(in->nr_names, sizeof(*names));
	if (!names)
		return NULL;
	for (size_t i = 0; i < in->nr_names; i++) {
		bool mine = false;

		for (size_t j = 0; j < g->nr_netns && !mine; j++)
			mine = g->netns[j] == in->names[i].netns;
		if (mine && npa_ip_equal(&in->names[i].ip, &ip))
			names[n++] = in->names[i].name;
	}
	if (n)
		qsort(names, n, sizeof(*names), str_cmp);
	for (size_t i = 0; i < n; i++) {
		if (i && !strcmp(names[i], names[i - 1]))
			continue;
		if (!out)
			out = json_array();
		json_array_append_new(out, json_pack("{s:s}", "matchName", names[i]));
	}
	free(names);
	return out;
}

/* One NetworkPolicy rule -> one Cilium rule. */
static json_t *cilium_rule(const struct npa_input *in, const struct npa_group *g, json_t *rule,
			   bool egress)
{
	json_t *peer = json_array_get(json_object_get(rule, egress ? "to" : "from"), 0);
	json_t *ports = json_object_get(rule, "ports"), *out, *ipb, *sel, *nsel;
	bool dns = egress && only_port_53(ports);

	out = json_pack("{s:o}", "toPorts", cilium_ports(ports, dns));
	if (!out)
		return NULL;
	ipb = json_object_get(peer, "ipBlock");
	if (ipb) {
		const char *cidr = json_string_value(json_object_get(ipb, "cidr"));
		json_t *names = egress && !dns ? fqdns(in, g, cidr) : NULL;

		if (names)
			json_object_set_new(out, "toFQDNs", names);
		else
			json_object_set_new(out, egress ? "toCIDR" : "fromCIDR",
					    json_pack("[s]", cidr));
		return out;
	}
	sel = json_deep_copy(json_object_get(json_object_get(peer, "podSelector"),
					     "matchLabels"));
	nsel = json_object_get(json_object_get(json_object_get(peer, "namespaceSelector"),
					       "matchLabels"), "kubernetes.io/metadata.name");
	if (sel && nsel)
		json_object_set(sel, CILIUM_NS_LABEL, nsel);
	json_object_set_new(out, egress ? "toEndpoints" : "fromEndpoints",
			    json_pack("[{s:o}]", "matchLabels", sel));
	return out;
}

json_t *npa_cilium_from(const struct npa_input *in, const struct npa_group *g, json_t *k8s)
{
	json_t *spec = json_object_get(k8s, "spec"), *out, *cspec, *rule;
	static const char *const dirs[] = { "ingress", "egress" };
	size_t i;

	cspec = json_pack("{s:O, s:{s:b, s:b}}", "endpointSelector",
			  json_object_get(spec, "podSelector"),
			  "enableDefaultDeny", "ingress", 1, "egress", 1);
	out = json_pack("{s:s, s:s, s:O, s:o}", "apiVersion", "cilium.io/v2",
			"kind", "CiliumNetworkPolicy", "metadata", json_object_get(k8s, "metadata"),
			"spec", cspec);
	if (!out)
		return NULL;
	for (size_t d = 0; d < 2; d++) {
		json_t *rules = json_array();

		json_array_foreach(json_object_get(spec, dirs[d]), i, rule)
			json_array_append_new(rules, cilium_rule(in, g, rule, d == 1));
		json_object_set_new(cspec, dirs[d], rules);
	}
	return out;
}
