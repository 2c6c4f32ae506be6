// SPDX-License-Identifier: Apache-2.0
/*
 * network-policy-advisor: what comes through the ring buffer. A new flow
 * becomes a record (and its local address one of its namespace's); a DNS
 * answer seen by a namespace's socket filter names the addresses it gave, so
 * records and policies can show names.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "network_policy_advisor_int.h"

const char *npa_name_of(const struct npa_state *st, uint64_t netns, const struct npa_ip *ip)
{
	for (size_t i = 0; i < st->nr_names; i++)
		if (st->names[i].netns == netns && npa_ip_equal(&st->names[i].ip, ip))
			return st->names[i].name;
	return NULL;
}

static int on_flow(struct npa_state *st, const struct npa_flow_event *e)
{
	struct ig_value v[NPA_NR_FIELDS];
	struct npa_record_bufs bufs;
	struct npa_ip peer, local;
	struct npa_ns *ns;

	npa_ip_set(&peer, e->key.family, e->key.peer);
	npa_ip_set_local(&local, e->key.family, e->val.local);
	ns = npa_ns_find(st, e->key.netns);
	if ((!ns || !ns->workload) && e->val.pid &&
	    st->host->target(st->host->ctx) == IG_TARGET_COMMAND)
		/* the command entered another namespace (ip netns exec, unshare) */
		ns = npa_ns_observe(st, e->key.netns, (int)e->val.pid, NULL, true);
	if (ns)
		npa_ns_add_ip(ns, &local);
	if (ns && ns->workload)
		npa_lc__flow(st, ns, e);

	npa_flow_record(e, npa_name_of(st, e->key.netns, &peer), v, &bufs);
	st->flows++;
	st->host->set_progress(st->host->ctx, st->flows, "flows");
	return st->host->emit(st->host->ctx, v);
}

static int add_name(struct npa_state *st, uint64_t netns, const struct npa_ip *ip,
		    const char *name)
{
	struct npa_dns_name *more;
	char *copy;

	for (size_t i = 0; i < st->nr_names; i++)
		if (st->names[i].netns == netns && npa_ip_equal(&st->names[i].ip, ip) &&
		    !strcmp(st->names[i].name, name))
			return 0;
	copy = strdup(name);
	more = realloc(st->names, (st->nr_names + 1) * sizeof(*more));
	if (!copy || !more) {
		free(copy);
		if (more)
			st->names = more;
		return -ENOMEM;
	}
	st->names = more;
	st->names[st->nr_names++] = (struct npa_dns_name){ netns, *ip, copy };
	return 0;
}

static int on_dns(struct npa_state *st, const struct npa_dns_event *e)
{
	size_t len = e->len > NPA_DNS_MAX ? NPA_DNS_MAX : e->len;
	struct npa_dns_answer a;

	if (npa_dns_parse_payload(e->proto, e->data, len, &a))
		return 0;	/* not an answer we can use: nothing to learn */
	st->dns_answers++;
	for (uint32_t i = 0; i < a.nr_addrs; i++)
		if (add_name(st, e->netns, &a.addrs[i], a.name))
			return -ENOMEM;
	return 0;
}

/* -- COMMAND: the command made a socket in a namespace not observed yet
 * (ip netns exec, setns, unshare): its flows there are the command's. */
static int on_netns(struct npa_state *st, const struct npa_netns_event *e)
{
	IG_INFO(st->host, "the command (pid %u) entered network namespace %llu", e->pid,
		(unsigned long long)e->netns);
	if (!npa_ns_observe(st, e->netns, (int)e->pid, NULL, true))
		IG_WARN(st->host, "cannot observe network namespace %llu: %s",
			(unsigned long long)e->netns, strerror(errno));
	return 0;
}

int npa_on_event(void *ctx, void *data, size_t size)
{
	struct npa_state *st = ctx;

	switch (npa_event_type(data, size)) {
	case NPA_EV_FLOW:
		return on_flow(st, data);
	case NPA_EV_DNS:
		return on_dns(st, data);
	case NPA_EV_NETNS:
		return on_netns(st, data);
	default:
		return 0;	/* short or unknown: nothing to decode */
	}
}
