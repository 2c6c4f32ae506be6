/* SPDX-License-Identifier: Apache-2.0 */
/* network-policy-advisor: the gadget's run state (user side, internal). */
#ifndef NPA_GADGET_H
#define NPA_GADGET_H

#include <ig/gadget.h>

#include "npa.h"
#include "network_policy_advisor.skel.h"

struct dns_filter_bpf;

/* One observed network namespace (a pod, a container, or the command's). */
struct npa_ns {
	uint64_t netns;
	int nsfd;			/* /proc/<pid>/ns/net, keeps it alive; -1 */
	int pkt_fd;			/* AF_PACKET socket with the DNS filter; -1 */
	struct dns_filter_bpf *dns;
	struct npa_ip *ips;		/* its addresses: interfaces + flows */
	uint32_t nr_ips;
	const struct ig_container **containers;	/* host-owned */
	size_t nr_containers;
	bool workload;			/* observed, gets a policy; else only a peer */
	bool gone;			/* every container of it exited */
	bool reported;			/* its policy was emitted already */
};

struct npa_state {
	const struct ig_host *host;
	struct network_policy_advisor_bpf *skel;
	struct bpf_link *cg_links[8];
	int cgroup_fd;
	int self_netns_fd;
	uint32_t max_flows;		/* --max-flows: npa_flows entries */
	bool filtered;			/* only namespaces in npa_netns */
	bool stopped;
	struct npa_ns *ns;
	size_t nr_ns;
	struct npa_dns_name *names;	/* learned from DNS answers; name owned */
	size_t nr_names;
	uint64_t flows;			/* flow records streamed */
	uint64_t dns_answers;
	char cmd_name[64];		/* workload name in command mode */
};

struct npa_ns *npa_ns_find(struct npa_state *st, uint64_t netns);
struct npa_ns *npa_ns_observe(struct npa_state *st, uint64_t netns, int pid,
			      const struct ig_container *c, bool workload);
int npa_ns_add_ip(struct npa_ns *ns, const struct npa_ip *ip);
void npa_ns_refresh(struct npa_state *st, struct npa_ns *ns);
void npa_ns_release(struct npa_ns *ns);

/* The first name a DNS answer in netns gave ip, or NULL. */
const char *npa_name_of(const struct npa_state *st, uint64_t netns, const struct npa_ip *ip);

/* report.c: at the end, everything not reported yet */
int npa_report(void *state);
/* The policies of workloads whose namespaces are all gone, now. */
int npa_report_finished(struct npa_state *st);

#endif /* NPA_GADGET_H */
