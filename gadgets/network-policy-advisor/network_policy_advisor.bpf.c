// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * network-policy-advisor: who talks to whom, per network namespace.
 *
 * TCP comes from the tp_btf inet_sock_set_state tracepoint: a move to SYN_SENT
 * is an outgoing connect (process context, so pid/comm are the caller's), a
 * move SYN_RECV -> ESTABLISHED is an accepted connection (softirq: no useful
 * task, the netns comes from the socket). UDP comes from the cgroup sock_addr
 * hooks on the root cgroup v2: connect4/6 and sendmsg4/6 (egress) and
 * recvmsg4/6 (ingress), all in process context. A datagram that answers a
 * flow already seen in the other direction is a reply, not a new flow.
 *
 * Every flow is deduplicated in npa_flows; only the first sighting goes to the
 * ring buffer, and a known flow costs at most two lookups and no shared write
 * (UDP first compares with the CPU's last key). A flow that does not fit is
 * counted in npa_stats.
 *
 * Selection: by network namespace (npa_netns, from the selected containers),
 * or with -- COMMAND by the core's pid filter in process context and, for
 * accepted TCP (softirq), by the ports the command's processes bound
 * (cgroup/post_bind4/6 -> npa_ports).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_endian.h>

#include <ig/ig_filter.h>
#include <ig/ig_ringbuf.h>
#include "network_policy_advisor.h"

#ifndef AF_INET
#define AF_INET		2
#define AF_INET6	10
#endif
#ifndef EEXIST
#define EEXIST		17
#endif

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

/* The last UDP flow key each CPU saw: a datagram stream repeats it, and
 * comparing 32 bytes of per-CPU memory is cheaper than hashing them. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
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

/* Direct (CO-RE relocated) loads through the trusted task pointer: cheaper
 * than a bpf_probe_read_kernel() per hop on the per-datagram path. */
static __always_inline __u64 current_netns(void)
{
	struct task_struct *task = bpf_get_current_task_btf();

	return task->nsproxy->net_ns->ns.inum;
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
	struct npa_flow_key key = {};
	struct npa_flow_event *ev;
	__u16 family, lport, rport;
	__u8 dir;
	__u64 netns;

	if (sk->sk_protocol != IPPROTO_TCP)
		return 0;
	if (newstate == TCP_SYN_SENT)
		dir = NPA_DIR_EGRESS;
	else if (oldstate == TCP_SYN_RECV && newstate == TCP_ESTABLISHED)
		dir = NPA_DIR_INGRESS;
	else
		return 0;

	netns = BPF_CORE_READ(sk, __sk_common.skc_net.net, ns.inum);
	lport = sk->__sk_common.skc_num;
	if (dir == NPA_DIR_EGRESS && !task_selected(netns))
		return 0;	/* connect() runs in the caller's context */
	if (dir == NPA_DIR_INGRESS && !passive_selected(netns, lport))
		return 0;
	family = sk->__sk_common.skc_family;
	if (family != AF_INET && family != AF_INET6)
		return 0;

	rport = bpf_ntohs(sk->__sk_common.skc_dport);
	key.netns = netns;
	key.proto = NPA_PROTO_TCP;
	key.dir = dir;
	key.family = family;
	key.port = dir == NPA_DIR_EGRESS ? rport : lport;
	if (family == AF_INET) {
		bpf_core_read(key.peer, 4, &sk->__sk_common.skc_daddr);
	} else {
		bpf_core_read(key.peer, 16, &sk->__sk_common.skc_v6_daddr);
		unmap_v4(&key);
	}
	if (flow_known(&key))
		return 0;
	ev = new_event(&key);
	if (!ev)
		return 0;
	if (family == AF_INET)
		bpf_core_read(ev->val.local, 4, &sk->__sk_common.skc_rcv_saddr);
	else
		bpf_core_read(ev->val.local, 16, &sk->__sk_common.skc_v6_rcv_saddr);
	ev->val.other_port = dir == NPA_DIR_EGRESS ? lport : rport;
	if (dir == NPA_DIR_EGRESS)
		fill_task(&ev->val);
	record_flow(ev);
	return 0;
}

/* ------------------------------------------------------------------ UDP */

/*
 * One UDP sighting from a sock_addr hook. peer/peer_port come from the hook's
 * user address (destination on send, source on receive). A datagram that
 * answers a flow already recorded the other way round is a reply: a server
 * answering with sendto() to its client, or a client reading the answer with
 * recvfrom(), is not a new flow.
 */
static __always_inline bool same_key(const struct npa_flow_key *a, const struct npa_flow_key *b)
{
	const __u64 *x = (const __u64 *)a, *y = (const __u64 *)b;

	return x[0] == y[0] && x[1] == y[1] && x[2] == y[2] && x[3] == y[3];
}

static __always_inline void udp_sighting(struct bpf_sock_addr *ctx, __u8 dir, bool v6)
{
	struct npa_flow_key key = {}, *last;
	__u32 zero = 0;
	struct npa_flow_event *ev;
	__u16 peer_port, local_port;
	struct bpf_sock *sk;

	if (ctx->protocol != IPPROTO_UDP)
		return;
	sk = ctx->sk;
	if (!sk)
		return;

	peer_port = bpf_ntohs((__u16)ctx->user_port);
	local_port = sk->src_port;
	key.netns = current_netns();
	key.proto = NPA_PROTO_UDP;
	/* v6 is a constant per program: a *4 hook may not touch user_ip6 */
	if (!v6) {
		__u32 ip = ctx->user_ip4;

		__builtin_memcpy(key.peer, &ip, 4);
		key.family = AF_INET;
	} else {
		__u32 *p = (__u32 *)key.peer;

		p[0] = ctx->user_ip6[0];
		p[1] = ctx->user_ip6[1];
		p[2] = ctx->user_ip6[2];
		p[3] = ctx->user_ip6[3];
		key.family = AF_INET6;
		unmap_v4(&key);
	}
	key.dir = dir;
	key.port = dir == NPA_DIR_EGRESS ? peer_port : local_port;

	/*
	 * The common case first: the flow of this CPU's last selected datagram.
	 * It is known whoever sends it now, so no selection lookup is needed
	 * to drop it: a datagram stream costs no hash lookup at all.
	 */
	last = bpf_map_lookup_elem(&npa_last, &zero);
	if (!last)
		return;
	if (same_key(last, &key))
		return;
	if (!task_selected(key.netns))
		return;
	*last = key;	/* only selected flows: see above */
	if (flow_known(&key))
		return;
	/* Is this the answer to a flow seen the other way round? */
	key.dir = dir == NPA_DIR_EGRESS ? NPA_DIR_INGRESS : NPA_DIR_EGRESS;
	key.port = dir == NPA_DIR_EGRESS ? local_port : peer_port;
	if (flow_known(&key))
		return;
	key.dir = dir;
	key.port = dir == NPA_DIR_EGRESS ? peer_port : local_port;

	ev = new_event(&key);
	if (!ev)
		return;
	if (!v6) {
		__u32 ip = sk->src_ip4;

		__builtin_memcpy(ev->val.local, &ip, 4);
	} else {
		__u32 *l = (__u32 *)ev->val.local;

		l[0] = sk->src_ip6[0];
		l[1] = sk->src_ip6[1];
		l[2] = sk->src_ip6[2];
		l[3] = sk->src_ip6[3];
	}
	ev->val.other_port = dir == NPA_DIR_EGRESS ? local_port : peer_port;
	fill_task(&ev->val);
	record_flow(ev);
}

SEC("cgroup/connect4")
int npa_connect4(struct bpf_sock_addr *ctx)
{
	udp_sighting(ctx, NPA_DIR_EGRESS, false);
	return 1;
}

SEC("cgroup/connect6")
int npa_connect6(struct bpf_sock_addr *ctx)
{
	udp_sighting(ctx, NPA_DIR_EGRESS, true);
	return 1;
}

SEC("cgroup/sendmsg4")
int npa_sendmsg4(struct bpf_sock_addr *ctx)
{
	udp_sighting(ctx, NPA_DIR_EGRESS, false);
	return 1;
}

SEC("cgroup/sendmsg6")
int npa_sendmsg6(struct bpf_sock_addr *ctx)
{
	udp_sighting(ctx, NPA_DIR_EGRESS, true);
	return 1;
}

SEC("cgroup/recvmsg4")
int npa_recvmsg4(struct bpf_sock_addr *ctx)
{
	udp_sighting(ctx, NPA_DIR_INGRESS, false);
	return 1;
}

SEC("cgroup/recvmsg6")
int npa_recvmsg6(struct bpf_sock_addr *ctx)
{
	udp_sighting(ctx, NPA_DIR_INGRESS, true);
	return 1;
}

/* -- COMMAND mode: remember what the command's processes bind (after the
 * port is chosen). Attached only in that mode. */
static __always_inline void note_bind(struct bpf_sock *sk)
{
	struct npa_port_key pk = {};
	__u8 one = 1;

	if (ig_filter_mode != IG_FILTER_PID || !ig_filter_current())
		return;
	pk.netns = current_netns();
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

char LICENSE[] SEC("license") = "Dual BSD/GPL";
