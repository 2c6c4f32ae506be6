/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Types shared by the network-policy-advisor BPF programs and its user side.
 * Fixed-width types only. Addresses are stored as 16 bytes in network order:
 * IPv4 in the first 4 bytes (family says which), IPv6 as is.
 */
#ifndef NETWORK_POLICY_ADVISOR_H
#define NETWORK_POLICY_ADVISOR_H

#ifndef __bpf__
#include <linux/types.h>
#endif

#define NPA_COMM_LEN		16

#define NPA_MAX_FLOWS		16384
#define NPA_MAX_NETNS		4096
#define NPA_MAX_PORTS		4096	/* ports bound by the command (-- COMMAND) */
#define NPA_DNS_MAX		512	/* DNS payload bytes copied per answer */
#define NPA_RINGBUF_BYTES	(256 * 1024)

/* Event types in the ring buffer. */
#define NPA_EV_FLOW		1
#define NPA_EV_DNS		2

#define NPA_DIR_INGRESS		1
#define NPA_DIR_EGRESS		2

#define NPA_PROTO_TCP		6
#define NPA_PROTO_UDP		17

#define NPA_AF_INET		2
#define NPA_AF_INET6		10

/* Values of the knob targ_netns_filter. */
#define NPA_FILTER_NONE		0	/* every network namespace */
#define NPA_FILTER_NETNS	1	/* only netns present in npa_netns */

/* Index of npa_stats counters. */
#define NPA_STAT_MAP_FULL	0	/* new flows that did not fit in npa_flows */
#define NPA_STAT_PORTS_FULL	1	/* binds of the command not kept in npa_ports */
#define NPA_STAT_NR		2

/*
 * Dedup key: one entry per (netns, proto, direction, peer, port). port is the
 * service port: the remote port for egress, the local port for ingress (the
 * other side's port is ephemeral and would defeat deduplication).
 */
struct npa_flow_key {
	__u64 netns;
	__u8 peer[16];
	__u16 port;
	__u8 proto;
	__u8 dir;
	__u8 family;
	__u8 pad[3];
};

/* First sighting of a flow (later ones are not counted: that would put a
 * shared write on every datagram). */
struct npa_flow_val {
	__u64 first_ts;
	__u8 local[16];		/* local address, zero when not yet bound */
	__u32 pid;		/* 0 when seen in softirq (passive TCP) */
	__u16 other_port;	/* the ephemeral side's port at first sighting */
	__u16 pad;
	char comm[NPA_COMM_LEN];
};

struct npa_flow_event {
	__u32 type;		/* NPA_EV_FLOW */
	__u32 pad;
	struct npa_flow_key key;
	struct npa_flow_val val;
};

/* A DNS answer seen by the socket filter in one container's netns. */
struct npa_dns_event {
	__u32 type;		/* NPA_EV_DNS */
	__u16 len;		/* bytes in data */
	__u8 proto;		/* UDP, or TCP (data starts with the 2-byte length) */
	__u8 family;
	__u64 netns;
	__u64 timestamp;
	__u8 server[16];	/* the resolver that answered */
	__u8 data[NPA_DNS_MAX];
};

#endif /* NETWORK_POLICY_ADVISOR_H */
