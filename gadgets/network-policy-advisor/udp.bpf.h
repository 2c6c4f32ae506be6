/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * network_policy_advisor.bpf.c's UDP flows: out from the route lookup of a
 * datagram sent, in from the cgroup recvmsg hooks. Included by it, after
 * its maps and flow helpers.
 */
#ifndef NPA_UDP_BPF_H
#define NPA_UDP_BPF_H

/* ------------------------------------------------------------------ UDP */

/*
 * One UDP sighting. key has netns, family and peer set; peer_port and
 * local_port are in host order; local is the local address (4 or 16 bytes by
 * family, may be all zero). A datagram that answers a flow already recorded
 * the other way round is a reply: a server answering with sendto() to its
 * client, or a client reading the answer with recvfrom(), is not a new flow.
 */
static __noinline void udp_new_flow(struct npa_flow_key *key, __u16 peer_port,
				    __u16 local_port, const __u32 *local)
{
	__u8 dir = key->dir;
	struct npa_flow_event *ev;

	if (flow_known(key))
		return;
	/* Is this the answer to a flow seen the other way round? */
	key->dir = dir == NPA_DIR_EGRESS ? NPA_DIR_INGRESS : NPA_DIR_EGRESS;
	key->port = dir == NPA_DIR_EGRESS ? local_port : peer_port;
	if (flow_known(key))
		return;
	key->dir = dir;
	key->port = dir == NPA_DIR_EGRESS ? peer_port : local_port;

	ev = new_event(key);
	if (!ev)
		return;
	__builtin_memcpy(ev->val.local, local, 16);
	ev->val.other_port = dir == NPA_DIR_EGRESS ? local_port : peer_port;
	fill_task(&ev->val);
	record_flow(ev);
}

static __always_inline void udp_sighting(struct npa_flow_key *key, __u8 dir, __u16 peer_port,
					 __u16 local_port, const __u32 *local)
{
	struct npa_flow_key *last;
	__u32 slot = NPA_LAST_UDP;

	key->proto = NPA_PROTO_UDP;
	key->dir = dir;
	key->port = dir == NPA_DIR_EGRESS ? peer_port : local_port;
	/*
	 * The common case first: the flow of this CPU's last selected datagram.
	 * It is known whoever sends it now, so no selection lookup is needed
	 * to drop it: a datagram stream costs no hash lookup at all.
	 */
	last = bpf_map_lookup_elem(&npa_last, &slot);
	if (!last || same_key(last, key))
		return;
	if (!task_selected(key->netns))
		return;
	*last = *key;	/* only selected flows: see above */
	udp_new_flow(key, peer_port, local_port, local);
}

/* UDP out, IPv4: a route lookup for a datagram this host sends (iif is the
 * loopback for every output lookup; input lookups of forwarded packets have
 * the device they came in on). Every route lookup of the host runs this, so
 * the flow is read with plain loads (the verifier makes them fault-safe), not
 * a bpf_probe_read_kernel() call per field: ~40 ns a datagram on 6.18. */
SEC("tp_btf/fib_table_lookup")
int BPF_PROG(npa_udp_out4, __u32 tb_id, const struct flowi4 *flp)
{
	struct npa_flow_key key = {};
	__u32 local[4] = {};
	__u32 daddr;
	__u16 dport;

	if (!flp || flp->__fl_common.flowic_proto != IPPROTO_UDP ||
	    flp->__fl_common.flowic_iif != LOOPBACK_IFINDEX ||
	    !(dport = flp->uli.ports.dport))
		return 0;
	key.netns = current_netns();
	key.family = AF_INET;
	daddr = flp->daddr;
	__builtin_memcpy(key.peer, &daddr, 4);
	local[0] = flp->saddr;
	udp_sighting(&key, NPA_DIR_EGRESS, bpf_ntohs(dport), bpf_ntohs(flp->uli.ports.sport),
		     local);
	return 0;
}

SEC("tp_btf/fib6_table_lookup")
int BPF_PROG(npa_udp_out6, const struct net *net, const struct fib6_result *res,
	     struct fib6_table *table, const struct flowi6 *flp)
{
	struct npa_flow_key key = {};
	__u32 local[4] = {}, *peer = (__u32 *)key.peer;
	__u16 dport;

	/* plain loads, as in npa_udp_out4 */
	if (!net || !flp || flp->__fl_common.flowic_proto != IPPROTO_UDP ||
	    flp->__fl_common.flowic_iif != LOOPBACK_IFINDEX ||
	    !(dport = flp->uli.ports.dport))
		return 0;
	key.netns = net->ns.inum;
	key.family = AF_INET6;
	in6_words(peer, &flp->daddr);
	in6_words(local, &flp->saddr);
	unmap_v4(&key);
	udp_sighting(&key, NPA_DIR_EGRESS, bpf_ntohs(dport), bpf_ntohs(flp->uli.ports.sport),
		     local);
	return 0;
}

/* UDP in: the cgroup recvmsg hooks, at read (ctx->user_* is the sender). */
static __always_inline void udp_in(struct bpf_sock_addr *ctx, bool v6)
{
	struct npa_flow_key key = {};
	struct bpf_sock *sk;
	__u32 local[4] = {};

	if (ctx->protocol != IPPROTO_UDP)
		return;
	sk = ctx->sk;
	if (!sk)
		return;
	key.netns = current_netns_probe();
	/* v6 is a constant per program: a *4 hook may not touch user_ip6 */
	if (!v6) {
		__u32 ip = ctx->user_ip4;

		__builtin_memcpy(key.peer, &ip, 4);
		key.family = AF_INET;
		local[0] = sk->src_ip4;
	} else {
		__u32 *p = (__u32 *)key.peer;

		p[0] = ctx->user_ip6[0];
		p[1] = ctx->user_ip6[1];
		p[2] = ctx->user_ip6[2];
		p[3] = ctx->user_ip6[3];
		key.family = AF_INET6;
		unmap_v4(&key);
		local[0] = sk->src_ip6[0];
		local[1] = sk->src_ip6[1];
		local[2] = sk->src_ip6[2];
		local[3] = sk->src_ip6[3];
	}
	udp_sighting(&key, NPA_DIR_INGRESS, bpf_ntohs((__u16)ctx->user_port), sk->src_port,
		     local);
}

SEC("cgroup/recvmsg4")
int npa_recvmsg4(struct bpf_sock_addr *ctx)
{
	udp_in(ctx, false);
	return 1;
}

SEC("cgroup/recvmsg6")
int npa_recvmsg6(struct bpf_sock_addr *ctx)
{
	udp_in(ctx, true);
	return 1;
}

#endif /* NPA_UDP_BPF_H */
