/* SPDX-License-Identifier: Apache-2.0 */
/*
 * network-policy-advisor, user side internals, shared by its .c files and
 * its unit tests. The pure parts first (addresses in ip.c, DNS answers in
 * dns.c, records in record.c, NetworkPolicy generation in groups.c, rules.c,
 * policy.c and cilium.c: no BPF and no host services, so unit tests call
 * them directly), then the gadget's run state (network_policy_advisor.c,
 * events.c, netns.c, report.c).
 */
#ifndef NETWORK_POLICY_ADVISOR_INT_H
#define NETWORK_POLICY_ADVISOR_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include <ig/container.h>
#include <ig/gadget.h>
#include <ig/record.h>

#include "lib/advise/track.h"

#include "network_policy_advisor.h"

/* An IP address: family is NPA_AF_INET or NPA_AF_INET6 (2 or 10); IPv4 uses
 * the first 4 bytes of addr, the rest is zero. */
struct npa_ip {
	uint8_t family;
	uint8_t addr[16];
};

#define NPA_IP_STRLEN	46	/* INET6_ADDRSTRLEN */

/* Normalise raw bytes from the kernel: an IPv4-mapped IPv6 address becomes
 * IPv4, and bytes past an IPv4 address are cleared. */
void npa_ip_set(struct npa_ip *ip, uint8_t family, const uint8_t raw[16]);
/* The same for a local address next to a peer of family: the kernel keeps
 * ::ffff:a.b.c.d on the local side of dual-stack sockets with IPv4 peers. */
void npa_ip_set_local(struct npa_ip *ip, uint8_t family, const uint8_t raw[16]);
/* Text form ("10.0.0.1", "fd00::1"); returns buf. */
const char *npa_ip_str(const struct npa_ip *ip, char *buf, size_t len);
/* Parse text; 0 or -EINVAL. */
int npa_ip_parse(struct npa_ip *ip, const char *text);
bool npa_ip_equal(const struct npa_ip *a, const struct npa_ip *b);
/* Zero address (not bound yet). */
bool npa_ip_is_any(const struct npa_ip *ip);
/* 127.0.0.0/8 or ::1. */
bool npa_ip_is_loopback(const struct npa_ip *ip);

/* ---------------------------------------------------------------- DNS (dns.c) */

#define NPA_DNS_NAME_MAX	254
#define NPA_DNS_MAX_ADDRS	32

struct npa_dns_answer {
	char name[NPA_DNS_NAME_MAX];	/* the question name, lower case, no trailing dot */
	uint32_t nr_addrs;
	struct npa_ip addrs[NPA_DNS_MAX_ADDRS];	/* A and AAAA answers */
};

/*
 * Parse one DNS message (UDP payload; for TCP, the caller strips the 2-byte
 * length). Returns 0 for a response with one question (nr_addrs may be 0),
 * -ENOMSG for a query or a response that answers nothing usable, -EBADMSG
 * for malformed bytes. Addresses beyond NPA_DNS_MAX_ADDRS are dropped.
 */
int npa_dns_parse(const uint8_t *msg, size_t len, struct npa_dns_answer *out);
/* The same from a transport payload: UDP as is, TCP with its 2-byte length
 * prefix. -EPROTONOSUPPORT for another protocol. */
int npa_dns_parse_payload(uint8_t proto, const uint8_t *data, size_t len,
			  struct npa_dns_answer *out);

/* ---------------------------------------------------------------- policy (policy.c) */

/* A workload as the policy generator sees it: one container (the first, by
 * name, of its network namespace) and the addresses of that namespace. */
struct npa_workload {
	const char *name;		/* container name */
	const char *k8s_namespace;	/* NULL when not a Kubernetes container */
	const char *k8s_pod;
	const struct ig_label *labels;	/* pod labels */
	uint32_t nr_labels;
	uint64_t netns;
	const struct npa_ip *ips;
	uint32_t nr_ips;
	bool peer_only;			/* known for its addresses, gets no policy */
};

/* One deduplicated flow, as observed in netns. port is the service port
 * (remote for egress, local for ingress). */
struct npa_flow {
	uint64_t netns;
	struct npa_ip peer;
	uint16_t port;
	uint8_t proto;		/* NPA_PROTO_TCP / NPA_PROTO_UDP */
	uint8_t dir;		/* NPA_DIR_INGRESS / NPA_DIR_EGRESS */
};

/* A name a DNS answer in netns gave to ip. */
struct npa_dns_name {
	uint64_t netns;
	struct npa_ip ip;
	const char *name;
};

struct npa_input {
	const struct npa_workload *workloads;
	size_t nr_workloads;
	const struct npa_flow *flows;
	size_t nr_flows;
	const struct npa_dns_name *names;
	size_t nr_names;
	uint32_t format;		/* NPA_FORMAT_* */
};

#define NPA_FORMAT_KUBERNETES	0	/* networking.k8s.io/v1 NetworkPolicy */
#define NPA_FORMAT_CILIUM	1	/* cilium.io/v2 CiliumNetworkPolicy, toFQDNs */

/* One generated policy: the document and what the summary line needs. */
struct npa_policy {
	json_t *doc;		/* owned: json_decref */
	uint64_t netns;		/* a namespace of the workload (for enrichment) */
	uint64_t *members;	/* every namespace of the workload (owned) */
	size_t nr_members;
	char title[480];	/* "namespace/name" or "name" */
	uint32_t nr_ingress;
	uint32_t nr_egress;
};

/*
 * Build one NetworkPolicy per workload group (same namespace and selector),
 * sorted by namespace and name; groups of peer_only workloads only serve as
 * peers. Flows of network namespaces without a
 * workload are ignored. On success *out is a calloc'ed array (free with
 * npa_policies_free) and the count is returned; -errno on failure.
 */
int npa_policies_build(const struct npa_input *in, struct npa_policy **out);
void npa_policies_free(struct npa_policy *p, size_t n);

/* ---------------------------------------------------------------- groups (groups.c) */

/* Is this label dropped from selectors (pod-template-hash ...)? */
bool npa_label_ignored(const char *key);
/* Make a valid label value from any text (container names). */
void npa_label_value(const char *in, char *out, size_t len);

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

/* The workloads of in, grouped (sorted by namespace and selector). 0 or
 * -errno; free with npa_groups_free() either way. */
int npa_groups_build(const struct npa_input *in, struct npa_groups *gs);
void npa_groups_free(struct npa_groups *gs);
/* The group a network namespace belongs to (the first, in sorted order). */
const struct npa_group *npa_group_of_netns(const struct npa_groups *gs, uint64_t netns);
/* The workload owning an address, or NULL. */
const struct npa_workload *npa_owner_of_ip(const struct npa_input *in, const struct npa_ip *ip);

/* ---------------------------------------------------------------- rules and Cilium */

/* The CiliumNetworkPolicy for group g, from its NetworkPolicy (cilium.c). */
json_t *npa_cilium_from(const struct npa_input *in, const struct npa_group *g, json_t *k8s);

/* Add spec.ingress and spec.egress for group g (and the DNS names
 * annotation to ann); counts the rules. 0 or -errno. */
int npa_rules_add(const struct npa_input *in, const struct npa_groups *gs,
		  const struct npa_group *g, json_t *spec, json_t *ann,
		  uint32_t *nr_ingress, uint32_t *nr_egress);

/* ---------------------------------------------------------------- records (record.c) */

enum {
	NPA_F_TIMESTAMP, NPA_F_NETNS, NPA_F_PID, NPA_F_COMM, NPA_F_PROTO, NPA_F_DIR,
	NPA_F_LADDR, NPA_F_LPORT, NPA_F_RADDR, NPA_F_RPORT, NPA_F_DNS,
	NPA_NR_FIELDS,
};

extern const struct ig_field npa_fields[NPA_NR_FIELDS];

struct npa_flow_event;

/* Text the values of a record point to: keep it alive until emit returns. */
struct npa_record_bufs {
	char laddr[46];
	char raddr[46];
};

/*
 * The type of a ring buffer sample (NPA_EV_FLOW, NPA_EV_DNS) when it is
 * complete, else 0: short samples and unknown types are not decoded.
 */
uint32_t npa_event_type(const void *data, size_t size);

/* Fill v (NPA_NR_FIELDS values) from a flow event; dns is the peer's name or
 * NULL. Strings point into bufs or e. */
void npa_flow_record(const struct npa_flow_event *e, const char *dns, struct ig_value *v,
		     struct npa_record_bufs *bufs);

/* ---------------------------------------------------------------- the gadget's run state */

struct network_policy_advisor_bpf;

/* One observed network namespace (a pod, a container, or the command's). */
struct npa_ns {
	uint64_t netns;
	int nsfd;			/* /proc/<pid>/ns/net, keeps it alive; -1 */
	bool dns;			/* in npa_dns_netns: its DNS answers are read */
	struct npa_ip *ips;		/* its addresses: interfaces + flows */
	uint32_t nr_ips;
	const struct ig_container **containers;	/* host-owned */
	size_t nr_containers;
	bool workload;			/* observed, gets a policy; else only a peer */
	bool gone;			/* every container of it exited */
	bool reported;			/* its policy was emitted already */
	bool stable;			/* --until-stable: learned nothing for that long */
	struct adv_track tr;		/* how complete its recording is (lifecycle.c) */
};

struct npa_state {
	const struct ig_host *host;
	struct network_policy_advisor_bpf *skel;
	struct bpf_link *cg_links[12];
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
	/* lifecycle.c */
	uint64_t until_stable_ns;	/* --until-stable, 0: not given */
	const char *output_dir;		/* --output-dir, made at init */
	int64_t boot_to_wall;
	uint64_t start_ns;		/* when ig started recording (boot ns) */
	bool run_ended;			/* -- COMMAND: --until-stable ended the run */
};

/* netns.c: the observed network namespaces */
struct npa_ns *npa_ns_find(struct npa_state *st, uint64_t netns);
struct npa_ns *npa_ns_observe(struct npa_state *st, uint64_t netns, int pid,
			      const struct ig_container *c, bool workload);
int npa_ns_add_ip(struct npa_ns *ns, const struct npa_ip *ip);
void npa_ns_refresh(struct npa_state *st, struct npa_ns *ns);
void npa_ns_release(struct npa_ns *ns);

/* events.c: a ring buffer sample (host->ring_add's callback, ctx the state):
 * a flow becomes a record, a DNS answer names addresses. */
int npa_on_event(void *ctx, void *data, size_t size);
/* The first name a DNS answer in netns gave ip, or NULL. */
const char *npa_name_of(const struct npa_state *st, uint64_t netns, const struct npa_ip *ip);

/* report.c: at the end, everything not reported yet */
int npa_report(void *state);
/* The policies of workloads whose namespaces are all gone, now. */
int npa_report_finished(struct npa_state *st);

/* lifecycle.c: how complete each recording is */
/* --until-stable, --output-dir (made); one error line. */
int npa_lc__configure(struct npa_state *st);
/* A new flow of ns: its kernel timestamp is the last new item's time. */
void npa_lc__flow(struct npa_state *st, struct npa_ns *ns, const struct npa_flow_event *e);
/* A tick: the status line; --until-stable: true when a workload became
 * finished (report.c reports it as if it had exited); -- COMMAND: ends the
 * run instead. */
bool npa_lc__tick(struct npa_state *st);
/* The policy's ig.io/report annotation (and its --output-dir file). */
int npa_lc__attach(struct npa_state *st, const struct npa_policy *p, bool final);

#endif /* NETWORK_POLICY_ADVISOR_INT_H */
