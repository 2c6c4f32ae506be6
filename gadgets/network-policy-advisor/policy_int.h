/* SPDX-License-Identifier: Apache-2.0 */
/* network-policy-advisor: what policy.c and rules.c share (internal). */
#ifndef NPA_POLICY_INT_H
#define NPA_POLICY_INT_H

#include "npa.h"

/* Label and annotation keys ig writes. */
#define NPA_NAME_LABEL		"ig.io/container-name"
#define NPA_NOTE_ANNOTATION	"ig.io/selector-note"
#define NPA_DNS_ANNOTATION	"ig.io/egress-dns-names"

/* Workloads that share a namespace and a selector: one policy. */
struct npa_group {
	const struct npa_workload *w;	/* the first member, names the policy */
	json_t *selector;		/* matchLabels object */
	char *key;			/* namespace \x01 selector JSON: sort/identity */
	uint64_t *netns;
	size_t nr_netns;
	bool from_name;			/* selector built from the container name */
	bool peer_only;			/* every member is peer_only: no policy */
};

struct npa_groups {
	struct npa_group *v;
	size_t nr;
};

const struct npa_group *npa_group_of_netns(const struct npa_groups *gs, uint64_t netns);
const struct npa_workload *npa_owner_of_ip(const struct npa_input *in, const struct npa_ip *ip);

/* The CiliumNetworkPolicy for group g, from its NetworkPolicy (cilium.c). */
json_t *npa_cilium_from(const struct npa_input *in, const struct npa_group *g, json_t *k8s);

/* Add spec.ingress and spec.egress for group g (and the DNS names
 * annotation to ann); counts the rules. 0 or -errno. */
int npa_rules_add(const struct npa_input *in, const struct npa_groups *gs,
		  const struct npa_group *g, json_t *spec, json_t *ann,
		  uint32_t *nr_ingress, uint32_t *nr_egress);

#endif /* NPA_POLICY_INT_H */
