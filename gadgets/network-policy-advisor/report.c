// SPDX-License-Identifier: Apache-2.0
/*
 * network-policy-advisor: the report. The kernel's flow table is the source
 * of truth (the stream may have lost records; the table has not, or says so
 * in npa_stats), joined with what user space learned: the namespaces'
 * addresses, the containers and the DNS names.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "network_policy_advisor.skel.h"
#include "network_policy_advisor_int.h"

/* The namespace of a flow in the table. With -- COMMAND every flow there is
 * the command's (its pids, the ports it bound): one in a namespace the
 * command's socket event did not name (the ring lost it) is the command's
 * all the same. */
static struct npa_ns *flow_ns(struct npa_state *st, uint64_t netns)
{
	struct npa_ns *ns = npa_ns_find(st, netns);

	if ((!ns || !ns->workload) && st->host->target(st->host->ctx) == IG_TARGET_COMMAND)
		ns = npa_ns_observe(st, netns, 0, NULL, true);
	return ns && ns->workload ? ns : NULL;
}

/* Read npa_flows; flows of namespaces we do not observe are left out. */
static int read_flows(struct npa_state *st, struct npa_flow **out, size_t *nr)
{
	int fd = bpf_map__fd(st->skel->maps.npa_flows);
	struct npa_flow_key key, next, *prev = NULL;
	struct npa_flow *flows = NULL, *more;
	struct npa_flow_val val;
	size_t n = 0;

	while (!bpf_map_get_next_key(fd, prev, &next)) {
		struct npa_ns *ns = flow_ns(st, next.netns);
		struct npa_ip local;

		key = next;
		prev = &key;
		if (!ns || bpf_map_lookup_elem(fd, &key, &val))
			continue;
		more = realloc(flows, (n + 1) * sizeof(*more));
		if (!more) {
			free(flows);
			return -ENOMEM;
		}
		flows = more;
		memset(&flows[n], 0, sizeof(flows[n]));
		flows[n].netns = key.netns;
		npa_ip_set(&flows[n].peer, key.family, key.peer);
		flows[n].port = key.port;
		flows[n].proto = key.proto;
		flows[n].dir = key.dir;
		n++;
		npa_ip_set_local(&local, key.family, val.local);
		npa_ns_add_ip(ns, &local);
	}
	*out = flows;
	*nr = n;
	return 0;
}

/* Order of preference for the container that names a namespace's workload:
 * selected ones, then ones with pod labels (a pod's containers share them),
 * then the first by name. */
static int rank(const struct npa_state *st, const struct ig_container *c)
{
	return (st->host->container_selected(st->host->ctx, c) ? 2 : 0) + (c->nr_labels ? 1 : 0);
}

static const struct ig_container *representative(const struct npa_state *st,
						 const struct npa_ns *ns)
{
	const struct ig_container *best = NULL;

	for (size_t i = 0; i < ns->nr_containers; i++) {
		const struct ig_container *c = ns->containers[i];
		int r = rank(st, c), rb = best ? rank(st, best) : -1;

		if (r > rb || (r == rb && strcmp(c->name, best->name) < 0))
			best = c;
	}
	return best;
}

static void fill_workloads(struct npa_state *st, struct npa_workload *w)
{
	for (size_t i = 0; i < st->nr_ns; i++) {
		struct npa_ns *ns = &st->ns[i];
		/* with -- COMMAND the containers are only peers: the policy is the
		 * command's, whichever namespaces it used */
		const struct ig_container *c = ns->workload && st->host->target(st->host->ctx) ==
			IG_TARGET_COMMAND ? NULL : representative(st, ns);

		memset(&w[i], 0, sizeof(w[i]));
		w[i].netns = ns->netns;
		w[i].ips = ns->ips;
		w[i].nr_ips = ns->nr_ips;
		w[i].name = c ? c->name : st->cmd_name;
		w[i].peer_only = !ns->workload;
		if (c && c->k8s_namespace) {
			w[i].k8s_namespace = c->k8s_namespace;
			w[i].k8s_pod = c->k8s_pod;
			w[i].labels = c->labels;
			w[i].nr_labels = c->nr_labels;
		}
	}
}

static uint64_t stat(struct npa_state *st, uint32_t idx)
{
	uint64_t v = 0;

	bpf_map_lookup_elem(bpf_map__fd(st->skel->maps.npa_stats), &idx, &v);
	return v;
}

static void check_full(struct npa_state *st)
{
	uint64_t flows = stat(st, NPA_STAT_MAP_FULL), ports = stat(st, NPA_STAT_PORTS_FULL);

	if (flows) {
		st->host->add_lost(st->host->ctx, flows);
		IG_WARN(st->host, "the flow table is full (%u flows): "
			"%llu new flows were not recorded, so the policies miss them "
			"(raise --max-flows)", st->max_flows, (unsigned long long)flows);
	}
	if (ports) {
		st->host->add_lost(st->host->ctx, ports);
		IG_WARN(st->host, "the command bound more than %u ports: "
			"%llu binds were not kept, and connections accepted on those ports "
			"were not recorded",
			NPA_MAX_PORTS, (unsigned long long)ports);
	}
}

/* Every namespace of the policy's workload satisfies: gone (final false) or
 * reported (final true). */
static bool all_members(struct npa_state *st, const struct npa_policy *p, bool final)
{
	for (size_t j = 0; j < p->nr_members; j++) {
		struct npa_ns *ns = npa_ns_find(st, p->members[j]);

		if (ns && !(final ? ns->reported : ns->gone || ns->stable))
			return false;
	}
	return true;
}

static int emit_policies(struct npa_state *st, struct npa_policy *p, size_t n, bool final)
{
	struct ig_value v[NPA_NR_FIELDS];
	char rules[64];
	int err = 0;

	for (size_t i = 0; i < n && !err; i++) {
		/* at the end: what was not reported; on an exit: what is finished
		 * and was not reported on an earlier exit (each policy once) */
		if (all_members(st, &p[i], true) ||
		    (!final && !all_members(st, &p[i], false)))
			continue;
		if (!final)
			for (size_t j = 0; j < p[i].nr_members; j++) {
				struct npa_ns *ns = npa_ns_find(st, p[i].members[j]);

				if (ns)
					ns->reported = true;
			}
		memset(v, 0, sizeof(v));
		snprintf(rules, sizeof(rules), "%u ingress, %u egress rules", p[i].nr_ingress,
			 p[i].nr_egress);
		v[NPA_F_NETNS] = ig_val_u64(p[i].netns);
		v[NPA_F_COMM] = ig_val_str(json_string_value(json_object_get(p[i].doc, "kind")));
		v[NPA_F_RADDR] = ig_val_str(p[i].title);
		v[NPA_F_DNS] = ig_val_str(rules);
		err = npa_lc__attach(st, &p[i], final);
		if (!err)
			err = st->host->emit_document(st->host->ctx, p[i].doc, v);
	}
	return err;
}

static int report(struct npa_state *st, bool final)
{
	struct npa_workload *w = NULL;
	struct npa_policy *p = NULL;
	struct npa_flow *flows = NULL;
	size_t nr_flows = 0;
	int n, err;

	if (!st || !st->skel)
		return 0;
	for (size_t i = 0; i < st->nr_ns; i++)
		npa_ns_refresh(st, &st->ns[i]);
	err = read_flows(st, &flows, &nr_flows);
	if (err)
		goto out_free;
	w = calloc(st->nr_ns ? st->nr_ns : 1, sizeof(*w));
	if (!w) {
		err = -ENOMEM;
		goto out_free;
	}
	fill_workloads(st, w);
	{
		const struct ig_param_value *fmt = st->host->param(st->host->ctx, "format");
		struct npa_input in = { w, st->nr_ns, flows, nr_flows, st->names, st->nr_names,
					fmt && fmt->str && !strcmp(fmt->str, "cilium") ?
					NPA_FORMAT_CILIUM : NPA_FORMAT_KUBERNETES };

		n = npa_policies_build(&in, &p);
	}
	if (n < 0) {
		err = n;
		goto out_free;
	}
	if (!n && final)
		IG_WARN(st->host, "no container was observed: no policy "
			"to suggest (select containers with -c, or run a command)");
	err = emit_policies(st, p, (size_t)n, final);
	npa_policies_free(p, (size_t)n);
out_free:
	free(w);
	free(flows);
	return err;
}

int npa_report(void *state)
{
	struct npa_state *st = state;

	if (st && st->skel)
		check_full(st);
	return report(st, true);
}

int npa_report_finished(struct npa_state *st)
{
	return report(st, false);
}
