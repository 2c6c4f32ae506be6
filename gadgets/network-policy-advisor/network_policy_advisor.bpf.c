// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * network-policy-advisor: who talks to whom, per network namespace.
 *
 * TCP comes from the tp_btf inet_sock_set_state tracepoint: a move to SYN_SENT
 * is an outgoing connect (process context, so pid/comm are the caller's), a
 * move SYN_RECV -> ESTABLISHED is an accepted connection (softirq: no useful
 * task, the netns comes from the socket). UDP out comes from the route lookup
 * of a datagram sent by this host (tp_btf fib_table_lookup and
 * fib6_table_lookup, in the sender's context: an unconnected socket looks up
 * a route for every datagram, a connected one at connect()); UDP in from the
 * cgroup recvmsg4/6 hooks on the root cgroup v2 (process context, at read).
 * A datagram that answers a flow already seen in the other direction is a
 * reply, not a new flow. The cgroup sendmsg/connect hooks that UDP out used
 * to come from cost ~70-85 ns per datagram before the program even ran
 * (they lock the socket): see docs/performance.md.
 *
 * DNS answers come from the received packets a reader consumed (see DNS
 * below): an answer from port 53 in an observed namespace (npa_dns_netns)
 * goes to the ring buffer. (It was a socket filter on a packet socket per
 * namespace, run for every packet received there: ~55 ns each.)
 *
 * Every flow is deduplicated in npa_flows; only the first sighting goes to the
 * ring buffer, and a known flow costs at most two lookups and no shared write
 * (UDP first compares with the CPU's last key). A flow that does not fit is
 * counted in npa_stats.
 *
 * Selection: by network namespace (npa_netns, from the selected containers),
 * or with -- COMMAND by the core's pid filter in process context and, for
 * accepted TCP (softirq), by the ports the command's processes bound
 * (cgroup/post_bind4/6 -> npa_ports). With -- COMMAND, npa_netns holds the
 * namespaces known to user space: the first socket the command creates in
 * another one (ip netns exec, setns, unshare) is reported
 * (cgroup/sock_create), so a server that only accepts there is followed.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_endian.h>

#include <ig/ig_filter.h>
#include <ig/ig_task.h>
#include <ig/ig_ringbuf.h>
#include "network_policy_advisor.h"

#ifndef AF_INET
#define AF_INET		2
#define AF_INET6	10
#endif
#ifndef EEXIST
#define EEXIST		17
#endif
#define ETH_P_IP_BE	0x0008	/* htons(ETH_P_IP), as skb->protocol reads on x86 */
#define ETH_P_IPV6_BE	0xDD86	/* htons(ETH_P_IPV6) */
#define LOOPBACK_IFINDEX 1	/* flowi iif of every output route lookup */
#define DNS_PORT	53

const volatile __u32 targ_netns_filter = NPA_FILTER_NONE;

IG_RINGBUF_DEFINE(npa_events, NPA_RINGBUF_BYTES);

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, NPA_MAX_FLOWS);
	__type(key, struct npa_flow_key);
	__type(value, struct npa_flow_val);
} npa_flows SEC(".maps");

/* Network namespaces to observe (NPA_FILTER_NETNS), filled by user space. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, NPA_MAX_NETNS);
	__type(key, __u64);
	__type(value, __u8);
} npa_netns SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, NPA_STAT_NR);
	__type(key, __u32);
	__type(value, __u64);
} npa_stats SEC(".maps");

/*
 * -- COMMAND mode (ig_filter_mode == IG_FILTER_PID): ports the command's
 * processes bound, so that a TCP connection accepted in softirq, where there
 * is no task to check, can still be told to be the command's.
 */
struct npa_port_key {
	__u64 netns;
	__u16 port;
	__u16 proto;
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, NPA_MAX_PORTS);
	__type(key, struct npa_port_key);
	__type(value, __u8);
} npa_ports SEC(".maps");

/* Network namespaces whose DNS answers are read (the observed workloads'),
 * filled by user space. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, NPA_MAX_NETNS);
	__type(key, __u64);
	__type(value, __u8);
} npa_dns_netns SEC(".maps");

/* The last selected UDP and TCP flow keys each CPU saw: a datagram stream
 * or a connect loop repeats them, and comparing 32 bytes of per-CPU memory
 * is cheaper than hashing them. */
#define NPA_LAST_UDP	0
#define NPA_LAST_TCP_OUT 1	/* a connect loop alternates out and in on one CPU */
#define NPA_LAST_TCP_IN	2
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 3);
	__type(key, __u32);
	__type(value, struct npa_flow_key);
} npa_last SEC(".maps");

/* Scratch for building an event (too big for comfort on the stack). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct npa_flow_event);
} npa_scratch SEC(".maps");

static __always_inline bool netns_selected(__u64 netns)
{
	if (targ_netns_filter == NPA_FILTER_NONE)
		return true;
	return bpf_map_lookup_elem(&npa_netns, &netns) != NULL;
}

static __always_inline bool pid_selected(void)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;

	return bpf_map_lookup_elem(&ig_pid_filter, &tgid) != NULL;
}

/* In process context: the command's process tree in -- COMMAND mode, else
 * the namespace filter. */
static __always_inline bool task_selected(__u64 netns)
{
	if (ig_filter_mode == IG_FILTER_PID)
		return pid_selected();
	return netns_selected(netns);
}

/* Direct (CO-RE relocated) loads through the trusted task pointer where the
 * kernel has one: cheaper than a bpf_probe_read_kernel() per hop on the
 * per-datagram path (the route lookup). Probe reads on older kernels
 * (ig_task.h). */
static __always_inline __u64 current_netns(void)
{
	struct task_struct *task = ig_current_task();

	return IG_TASK_READ(task, nsproxy, net_ns, ns.inum);
}

/*
 * The same with probe reads on every kernel, for the hooks that run once a
 * socket or a read (the cgroup ones): a pointer loaded through a trusted
 * one makes the verifier search the kernel's whole BTF, by name and
 * linearly, for trust annotations (four searches per load, about a
 * millisecond each here), so each program spared is start-up time.
 */
static __always_inline __u64 current_netns_probe(void)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();

	return BPF_CORE_READ(task, nsproxy, net_ns, ns.inum);
}

/* The scratch event for a new flow: key copied, the rest zeroed. */
static __always_inline struct npa_flow_event *new_event(const struct npa_flow_key *key)
{
	__u32 zero = 0;
	struct npa_flow_event *ev = bpf_map_lookup_elem(&npa_scratch, &zero);

	if (!ev)
		return NULL;
	__builtin_memset(ev, 0, sizeof(*ev));
	ev->type = NPA_EV_FLOW;
	ev->key = *key;
	return ev;
}

/*
 * A dual-stack socket talking IPv4 shows the peer as ::ffff:a.b.c.d in the
 * v6 hooks but as a.b.c.d in the v4 ones (udpv6_sendmsg
 * hands mapped addresses to udp_sendmsg): keep one form, plain IPv4, so a
 * reply finds its flow.
 */
static __always_inline void unmap_v4(struct npa_flow_key *key)
{
	__u32 *p = (__u32 *)key->peer;

	if (p[0] || p[1] || p[2] != bpf_htonl(0xffff))
		return;
	p[0] = p[3];
	p[2] = 0;
	p[3] = 0;
	key->family = AF_INET;
}

/* An IPv6 address inside a tracepoint argument, by plain loads. */
static __always_inline void in6_words(__u32 *dst, const struct in6_addr *a)
{
	for (int i = 0; i < 4; i++)
		dst[i] = a->in6_u.u6_addr32[i];
}

static __always_inline void fill_task(struct npa_flow_val *val)
{
	val->pid = bpf_get_current_pid_tgid() >> 32;
	bpf_get_current_comm(val->comm, sizeof(val->comm));
}

/* The common case, a flow already recorded, is one lookup and no write. */
static __always_inline bool flow_known(const struct npa_flow_key *key)
{
	return bpf_map_lookup_elem(&npa_flows, key) != NULL;
}

/* Insert a new flow (ev filled); only a successful insert is streamed. */
static __always_inline void record_flow(struct npa_flow_event *ev)
{
	__u32 idx = NPA_STAT_MAP_FULL;
	__u64 *full;
	long err;

	ev->val.first_ts = bpf_ktime_get_boot_ns();
	err = bpf_map_update_elem(&npa_flows, &ev->key, &ev->val, BPF_NOEXIST);
	if (err == -EEXIST)
		return;		/* another CPU won the race: not new */
	if (err) {
		full = bpf_map_lookup_elem(&npa_stats, &idx);
		if (full)
			__sync_fetch_and_add(full, 1);
		return;
	}
	ig_rb_output(&npa_events, &npa_events_lost, ev, sizeof(*ev));
}

/* ------------------------------------------------------------------ TCP */

static __always_inline bool same_key(const struct npa_flow_key *a, const struct npa_flow_key *b)
{
	const __u64 *x = (const __u64 *)a, *y = (const __u64 *)b;

	return x[0] == y[0] && x[1] == y[1] && x[2] == y[2] && x[3] == y[3];
}


/* An accepted connection (softirq: no task): by namespace, or in -- COMMAND
 * mode by the ports the command bound. */
static __always_inline bool passive_selected(__u64 netns, __u16 lport)
{
	struct npa_port_key pk = { .netns = netns, .port = lport, .proto = NPA_PROTO_TCP };

	if (ig_filter_mode == IG_FILTER_PID)
		return bpf_map_lookup_elem(&npa_ports, &pk) != NULL;
	return netns_selected(netns);
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(npa_tcp_state, const struct sock *sk, const int oldstate, const int newstate)
{
	struct npa_flow_key key = {}, *last;
	__u32 *peer = (__u32 *)key.peer, local[4] = {};
	struct npa_flow_event *ev;
	__u16 family, lport, rport;
	__u32 slot;
	__u8 dir;

	/* Plain loads (fault-safe: the verifier marks them), not a probe read
	 * call per field: this runs about eight times per connection. */
	if (!sk || sk->sk_protocol != IPPROTO_TCP)
		return 0;
	if (newstate == TCP_SYN_SENT)
		dir = NPA_DIR_EGRESS;
	else if (oldstate == TCP_SYN_RECV && newstate == TCP_ESTABLISHED)
		dir = NPA_DIR_INGRESS;
	else
		return 0;
	family = sk->__sk_common.skc_family;
	if (family != AF_INET && family != AF_INET6)
		return 0;

	lport = sk->__sk_common.skc_num;
	rport = bpf_ntohs(sk->__sk_common.skc_dport);
	/* a probe read: a pointer loaded through a trusted one costs the verifier
	 * linear searches of the kernel BTF (start-up), and this runs twice a
	 * connection */
	key.netns = BPF_CORE_READ(sk, __sk_common.skc_net.net, ns.inum);
	key.proto = NPA_PROTO_TCP;
	key.dir = dir;
	key.family = family;
	key.port = dir == NPA_DIR_EGRESS ? rport : lport;
	if (family == AF_INET) {
		peer[0] = sk->__sk_common.skc_daddr;
	} else {
		in6_words(peer, &sk->__sk_common.skc_v6_daddr);
		unmap_v4(&key);
	}
	/* This CPU's last selected TCP flow: known, whoever makes it now (a
	 * connect loop to one service costs no hash lookup). */
	slot = dir == NPA_DIR_EGRESS ? NPA_LAST_TCP_OUT : NPA_LAST_TCP_IN;
	last = bpf_map_lookup_elem(&npa_last, &slot);
	if (!last || same_key(last, &key))
		return 0;
	if (dir == NPA_DIR_EGRESS && !task_selected(key.netns))
		return 0;	/* connect() runs in the caller's context */
	if (dir == NPA_DIR_INGRESS && !passive_selected(key.netns, lport))
		return 0;
	*last = key;
	if (flow_known(&key))
		return 0;
	ev = new_event(&key);
	if (!ev)
		return 0;
	if (family == AF_INET)
		local[0] = sk->__sk_common.skc_rcv_saddr;
	else
		in6_words(local, &sk->__sk_common.skc_v6_rcv_saddr);
	__builtin_memcpy(ev->val.local, local, 16);
	ev->val.other_port = dir == NPA_DIR_EGRESS ? lport : rport;
	if (dir == NPA_DIR_EGRESS)
		fill_task(&ev->val);
	record_flow(ev);
	return 0;
}

#include "udp.bpf.h"
#include "dns.bpf.h"

/* -- COMMAND mode: remember what the command's processes bind (after the
 * port is chosen). Attached only in that mode. */
static __always_inline void note_bind(struct bpf_sock *sk)
{
	struct npa_port_key pk = {};
	__u8 one = 1;

	if (ig_filter_mode != IG_FILTER_PID || !ig_filter_current())
		return;
	pk.netns = current_netns_probe();
	pk.port = sk->src_port;
	pk.proto = sk->protocol;
	if (bpf_map_update_elem(&npa_ports, &pk, &one, BPF_ANY)) {
		__u32 idx = NPA_STAT_PORTS_FULL;
		__u64 *full = bpf_map_lookup_elem(&npa_stats, &idx);

		if (full)
			__sync_fetch_and_add(full, 1);
	}
}

SEC("cgroup/post_bind4")
int npa_post_bind4(struct bpf_sock *sk)
{
	note_bind(sk);
	return 1;
}

SEC("cgroup/post_bind6")
int npa_post_bind6(struct bpf_sock *sk)
{
	note_bind(sk);
	return 1;
}

/* -- COMMAND mode: the command's first socket in a network namespace user
 * space does not know yet. Attached only in that mode, on every socket the
 * host creates: a socket in a known namespace costs one hash lookup and
 * stops there; only one in a new namespace asks whether it is the
 * command's (the pid filter) and inserts. */
SEC("cgroup/sock_create")
int npa_sock_create(struct bpf_sock *sk)
{
	struct npa_netns_event ev = { .type = NPA_EV_NETNS };
	__u8 one = 1;

	if (ig_filter_mode != IG_FILTER_PID)
		return 1;
	ev.netns = current_netns_probe();
	if (bpf_map_lookup_elem(&npa_netns, &ev.netns) || !ig_filter_current() ||
	    bpf_map_update_elem(&npa_netns, &ev.netns, &one, BPF_NOEXIST))
		return 1;	/* known already, not the command's (or the table is full) */
	ev.pid = bpf_get_current_pid_tgid() >> 32;
	ig_rb_output(&npa_events, &npa_events_lost, &ev, sizeof(ev));
	return 1;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
