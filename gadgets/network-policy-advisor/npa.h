/* SPDX-License-Identifier: Apache-2.0 */
/*
 * network-policy-advisor, user side: the pure parts (DNS answer parsing in
 * dns.c, NetworkPolicy generation in policy.c) and the small model they share.
 * No BPF and no host services here, so unit tests call these directly.
 */
#ifndef NPA_H
#define NPA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include <ig/container.h>

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

/* ---------------------------------------------------------------- DNS */

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

/* ---------------------------------------------------------------- policy */

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

/* Is this label dropped from selectors (pod-template-hash ...)? */
bool npa_label_ignored(const char *key);
/* Make a valid label value from any text (container names). */
void npa_label_value(const char *in, char *out, size_t len);

#endif /* NPA_H */
