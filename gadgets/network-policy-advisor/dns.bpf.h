/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * network_policy_advisor.bpf.c's DNS answers, copied to the shared ring
 * buffer. Included by it, after its maps.
 */
#ifndef NPA_DNS_BPF_H
#define NPA_DNS_BPF_H

/* ------------------------------------------------------------------ DNS */

/*
 * DNS answers are taken where a received packet is queued to a socket
 * (tp_btf/sk_data_ready, 6.6 and later: the new packet is the tail of the
 * socket's receive queue), not from every packet the host receives: nothing
 * runs for a packet dropped on the way (a full socket, a closed port) or
 * forwarded, and a non-IP socket costs two loads. Kernels without that
 * tracepoint read every received packet (tp_btf/netif_receive_skb; user
 * space loads one of the two). Either way one bpf_probe_read_kernel() of the
 * headers at head + network_header decides (the receive path set the offset).
 * The socket and the packet are tracepoint arguments, read with CO-RE probe
 * reads only: newer verifiers treat some such arguments as possibly NULL or
 * an error pointer and refuse a plain load (docs/kernels.md).
 */
struct dns_pkt {
	__u32 l4;		/* offset of the L4 header from skb->head */
	__u8 proto;
	__u8 family;
	__u8 server[16];	/* the resolver that answered */
};

static __always_inline int parse_v4(const __u8 *h, struct dns_pkt *p)
{
	p->proto = h[9];
	if (((h[6] << 8) | h[7]) & 0x1fff)
		return -1;	/* not the first fragment */
	if ((h[0] & 0xf) != 5 || h[20] != 0 || h[21] != DNS_PORT)
		return -1;	/* options (rare on an answer), or not from port 53 */
	p->l4 = 20;
	p->family = NPA_AF_INET;
	__builtin_memset(p->server, 0, 16);
	__builtin_memcpy(p->server, &h[12], 4);
	return 0;
}

static __always_inline int parse_v6(const __u8 *h, struct dns_pkt *p)
{
	p->proto = h[6];
	if (h[40] != 0 || h[41] != DNS_PORT)
		return -1;	/* extension headers are rare on answers: not followed */
	p->l4 = 40;
	p->family = NPA_AF_INET6;
	__builtin_memcpy(p->server, &h[8], 16);
	return 0;
}

/* An answer: copy it (the linear part, at most NPA_DNS_MAX bytes) to the ring. */
static __noinline void dns_answer(struct sk_buff *skb, const struct sock *sk,
				  struct dns_pkt *p, __u32 off)
{
	__u32 end = BPF_CORE_READ(skb, tail), len;
	struct npa_dns_event *ev;
	struct net_device *dev;
	__u64 netns;

	if (sk)
		netns = BPF_CORE_READ(sk, __sk_common.skc_net.net, ns.inum);
	else if ((dev = BPF_CORE_READ(skb, dev)))
		netns = BPF_CORE_READ(dev, nd_net.net, ns.inum);
	else
		return;
	if (!bpf_map_lookup_elem(&npa_dns_netns, &netns))
		return;
	if (off >= end || end - off < 12)
		return;		/* shorter than a DNS header (or a bare TCP ACK) */
	len = end - off;
	if (len > NPA_DNS_MAX)
		len = NPA_DNS_MAX;
	ev = ig_rb_reserve(&npa_events, &npa_events_lost, sizeof(*ev));
	if (!ev)
		return;
	ev->type = NPA_EV_DNS;
	ev->proto = p->proto;
	ev->family = p->family;
	ev->netns = netns;
	ev->timestamp = bpf_ktime_get_boot_ns();
	__builtin_memcpy(ev->server, p->server, sizeof(p->server));
	/* (len - 1) & mask, + 1: a size the verifier can bound to [1, NPA_DNS_MAX] */
	if (bpf_probe_read_kernel(ev->data, ((len - 1) & (NPA_DNS_MAX - 1)) + 1,
				  BPF_CORE_READ(skb, head) + off)) {
		bpf_ringbuf_discard(ev, 0);
		return;
	}
	ev->len = len;
	ig_rb_submit(&npa_events, ev);
}

/* A received packet from port 53 goes to dns_answer() (nh: the offset of
 * its network header from head; sk: the socket it was queued to, or NULL). */
static __always_inline void dns_skb(struct sk_buff *skb, __u32 nh, const struct sock *sk)
{
	__u16 l3 = BPF_CORE_READ(skb, protocol);
	unsigned char *head = BPF_CORE_READ(skb, head);
	__u8 h[56];	/* L3 header without options, then 13 bytes of TCP header */
	struct dns_pkt p;
	__u32 off;

	if (l3 == ETH_P_IP_BE) {
		if (bpf_probe_read_kernel(h, 40, head + nh) || parse_v4(h, &p))
			return;
	} else if (l3 == ETH_P_IPV6_BE) {
		if (bpf_probe_read_kernel(h, sizeof(h), head + nh) || parse_v6(h, &p))
			return;
	} else {
		return;
	}
	off = nh + p.l4;
	if (p.proto == NPA_PROTO_UDP)
		off += 8;
	else if (p.proto == NPA_PROTO_TCP)	/* the data offset, in the header read above */
		off += (h[(p.l4 + 12) & 63] >> 4) * 4;
	else
		return;
	dns_answer(skb, sk, &p, off);
}

SEC("tp_btf/sk_data_ready")
int BPF_PROG(npa_dns_ready, const struct sock *sk)
{
	__u16 family, proto;
	struct sk_buff *skb;

	/* scalars as plain loads (fault-safe), the queue pointer with a probe
	 * read: a pointer loaded through this trusted argument would cost the
	 * verifier linear searches of the kernel's BTF */
	if (!sk)
		return 0;
	family = sk->__sk_common.skc_family;
	if (family != AF_INET && family != AF_INET6)
		return 0;
	proto = sk->sk_protocol;
	if (proto != IPPROTO_UDP && proto != IPPROTO_TCP)
		return 0;
	/* A connected socket hears only its peer: an answer needs port 53
	 * there (TCP is always connected; a resolver's UDP socket may not be). */
	if (sk->__sk_common.skc_dport && sk->__sk_common.skc_dport != bpf_htons(DNS_PORT))
		return 0;
	skb = BPF_CORE_READ(sk, sk_receive_queue.prev);
	/* empty (a listener telling of a connection to accept): the head itself */
	if (!skb || (__u64)skb == (__u64)&sk->sk_receive_queue)
		return 0;
	dns_skb(skb, BPF_CORE_READ(skb, network_header), sk);
	return 0;
}

SEC("tp_btf/netif_receive_skb")
int BPF_PROG(npa_dns_rx, struct sk_buff *skb)
{
	/* here the network header offset is not set yet: data is at it */
	dns_skb(skb, BPF_CORE_READ(skb, data) - BPF_CORE_READ(skb, head), NULL);
	return 0;
}

#endif /* NPA_DNS_BPF_H */
