// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * network-policy-advisor: DNS answers. A socket filter attached to one
 * AF_PACKET (SOCK_DGRAM) socket per observed network namespace: the packet
 * starts at the network header. Answers from port 53 (UDP, or the first
 * segment of a TCP answer) are copied to the shared ring buffer; the filter
 * always returns 0, so the packet socket itself never queues anything.
 *
 * The netns is a knob (one loaded instance per namespace) because a socket
 * filter has no reliable way to learn which namespace its socket lives in.
 */
/* UAPI types, not vmlinux.h: nothing here needs CO-RE, and without
 * relocations libbpf does not parse the kernel BTF to load this object. */
#include <linux/bpf.h>
#include <linux/types.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include <ig/ig_ringbuf.h>
#include "network_policy_advisor.h"

#define ETH_P_IP	0x0800
#define ETH_P_IPV6	0x86DD
#define PACKET_OUTGOING	4
#define DNS_PORT	53

const volatile __u64 targ_netns = 0;

/* Same definition as in network_policy_advisor.bpf.c: user space points this
 * at that object's maps (bpf_map__reuse_fd) so both share one stream. */
IG_RINGBUF_DEFINE(npa_events, NPA_RINGBUF_BYTES);

struct l4_info {
	__u32 off;	/* offset of the L4 header */
	__u8 proto;
	__u8 family;
};

/*
 * Every packet of the namespace comes through here and nearly none is DNS:
 * one bpf_skb_load_bytes() of the L3 header and the source port decides
 * for the common case (IPv4 without options, IPv6 without extension
 * headers), instead of a helper call per field. On success all 16 bytes of
 * server are written, so the caller need not zero it for every packet.
 */
static __always_inline int parse_v4(struct __sk_buff *skb, struct l4_info *l4, __u8 *server)
{
	__u8 h[24];	/* IPv4 header without options, then the source port */
	__u16 sport;

	if (bpf_skb_load_bytes(skb, 0, h, sizeof(h)))
		return -1;
	l4->proto = h[9];
	if (l4->proto != NPA_PROTO_UDP && l4->proto != NPA_PROTO_TCP)
		return -1;
	if (((h[6] << 8) | h[7]) & 0x1fff)
		return -1;	/* not the first fragment */
	l4->off = (h[0] & 0xf) * 4;
	if (l4->off == 20)
		__builtin_memcpy(&sport, &h[20], 2);
	else if (bpf_skb_load_bytes(skb, l4->off, &sport, 2))
		return -1;
	if (bpf_ntohs(sport) != DNS_PORT)
		return -1;
	/* Only answers get here: zero the rest of the 16-byte address now. */
	__builtin_memset(server + 4, 0, 12);
	__builtin_memcpy(server, &h[12], 4);
	l4->family = NPA_AF_INET;
	return 0;
}

static __always_inline int parse_v6(struct __sk_buff *skb, struct l4_info *l4, __u8 *server)
{
	__u8 h[42];	/* IPv6 header, then the source port */
	__u16 sport;

	/* extension headers are rare on DNS answers: not followed */
	if (bpf_skb_load_bytes(skb, 0, h, sizeof(h)))
		return -1;
	l4->proto = h[6];
	if (l4->proto != NPA_PROTO_UDP && l4->proto != NPA_PROTO_TCP)
		return -1;
	__builtin_memcpy(&sport, &h[40], 2);
	if (bpf_ntohs(sport) != DNS_PORT)
		return -1;
	__builtin_memcpy(server, &h[8], 16);
	l4->off = 40;
	l4->family = NPA_AF_INET6;
	return 0;
}

SEC("socket")
int npa_dns_filter(struct __sk_buff *skb)
{
	struct npa_dns_event *ev;
	struct l4_info l4 = {};	/* registers, not memory: free (and clang may
				 * read a member on a path that then returns) */
	__u8 server[16];	/* 16 bytes of stack: written only for an answer */
	__u32 off, len;
	__u8 doff;
	int err;

	if (skb->pkt_type == PACKET_OUTGOING)
		return 0;	/* PACKET_IGNORE_OUTGOING, where the kernel lacks it */
	if (skb->protocol == bpf_htons(ETH_P_IP))
		err = parse_v4(skb, &l4, server);
	else if (skb->protocol == bpf_htons(ETH_P_IPV6))
		err = parse_v6(skb, &l4, server);
	else
		return 0;
	if (err)
		return 0;	/* not from port 53 */
	if (l4.proto == NPA_PROTO_UDP) {
		off = l4.off + 8;
	} else {
		if (bpf_skb_load_bytes(skb, l4.off + 12, &doff, 1))
			return 0;
		off = l4.off + (doff >> 4) * 4;
	}
	if (off >= skb->len)
		return 0;
	len = skb->len - off;
	if (len < 12)
		return 0;	/* shorter than a DNS header (or a bare TCP ACK) */
	if (len > NPA_DNS_MAX)
		len = NPA_DNS_MAX;

	ev = ig_rb_reserve(&npa_events, &npa_events_lost, sizeof(*ev));
	if (!ev)
		return 0;
	ev->type = NPA_EV_DNS;
	ev->proto = l4.proto;
	ev->family = l4.family;
	ev->netns = targ_netns;
	ev->timestamp = bpf_ktime_get_boot_ns();
	__builtin_memcpy(ev->server, server, sizeof(server));
	/* (len - 1) & mask, + 1: a size the verifier can bound to [1, NPA_DNS_MAX] */
	if (bpf_skb_load_bytes(skb, off, ev->data, ((len - 1) & (NPA_DNS_MAX - 1)) + 1)) {
		bpf_ringbuf_discard(ev, 0);
		return 0;
	}
	ev->len = len;
	ig_rb_submit(&npa_events, ev);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
