// SPDX-License-Identifier: Apache-2.0
/*
 * network-policy-advisor: DNS answer parsing (RFC 1035 wire format).
 *
 * Input is whatever the socket filter copied off the wire, so every length
 * and every compression pointer is checked; a pointer must point backwards
 * (which also bounds the number of jumps), as real compressors always do.
 */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "network_policy_advisor_int.h"

#define DNS_HDR_LEN	12
#define DNS_TYPE_A	1
#define DNS_TYPE_CNAME	5
#define DNS_TYPE_AAAA	28
#define DNS_CLASS_IN	1

struct dns_msg {
	const uint8_t *p;
	size_t len;
};

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/*
 * Read the (possibly compressed) name at *off into out (lower case, dotted,
 * no trailing dot) and move *off past it. out may be NULL to skip a name.
 */
static int read_name(const struct dns_msg *m, size_t *off, char *out, size_t outsz)
{
	size_t pos = *off, o = 0, end = 0;
	bool jumped = false;

	for (;;) {
		uint8_t l;

		if (pos >= m->len)
			return -EBADMSG;
		l = m->p[pos];
		if ((l & 0xc0) == 0xc0) {
			size_t target;

			if (pos + 1 >= m->len)
				return -EBADMSG;
			target = (size_t)(l & 0x3f) << 8 | m->p[pos + 1];
			if (target >= pos)
				return -EBADMSG;	/* forward or self pointer: a loop */
			if (!jumped)
				end = pos + 2;
			jumped = true;
			pos = target;
			continue;
		}
		if (l & 0xc0)
			return -EBADMSG;		/* reserved label types */
		pos++;
		if (!l)
			break;
		if (pos + l > m->len)
			return -EBADMSG;
		if (out) {
			if (o + l + 2 > outsz)
				return -EBADMSG;
			if (o)
				out[o++] = '.';
			for (size_t i = 0; i < l; i++)
				out[o++] = (char)tolower(m->p[pos + i]);
		}
		pos += l;
	}
	if (out)
		out[o] = '\0';
	*off = jumped ? end : pos;
	return 0;
}

static void add_addr(struct npa_dns_answer *out, uint8_t family, const uint8_t *rdata)
{
	uint8_t raw[16] = { 0 };

	if (out->nr_addrs >= NPA_DNS_MAX_ADDRS)
		return;
	memcpy(raw, rdata, family == NPA_AF_INET ? 4 : 16);
	npa_ip_set(&out->addrs[out->nr_addrs++], family, raw);
}

/* Walk the answer section; keep A/AAAA records of class IN. */
static int read_answers(const struct dns_msg *m, size_t off, unsigned int ancount,
			struct npa_dns_answer *out)
{
	for (unsigned int i = 0; i < ancount; i++) {
		uint16_t type, class, rdlen;
		int err = read_name(m, &off, NULL, 0);

		if (err)
			return err;
		if (off + 10 > m->len)
			return -EBADMSG;
		type = get16(m->p + off);
		class = get16(m->p + off + 2);
		rdlen = get16(m->p + off + 8);
		off += 10;
		if (off + rdlen > m->len)
			return -EBADMSG;
		if (class == DNS_CLASS_IN && type == DNS_TYPE_A && rdlen == 4)
			add_addr(out, NPA_AF_INET, m->p + off);
		else if (class == DNS_CLASS_IN && type == DNS_TYPE_AAAA && rdlen == 16)
			add_addr(out, NPA_AF_INET6, m->p + off);
		off += rdlen;
	}
	return 0;
}

int npa_dns_parse(const uint8_t *msg, size_t len, struct npa_dns_answer *out)
{
	struct dns_msg m = { .p = msg, .len = len };
	size_t off = DNS_HDR_LEN;
	uint16_t qdcount, ancount;
	int err;

	memset(out, 0, sizeof(*out));
	if (len < DNS_HDR_LEN)
		return -EBADMSG;
	if (!(msg[2] & 0x80))
		return -ENOMSG;			/* a query, not an answer */
	qdcount = get16(msg + 4);
	ancount = get16(msg + 6);
	if (qdcount != 1)
		return -ENOMSG;			/* nobody sends anything else */
	err = read_name(&m, &off, out->name, sizeof(out->name));
	if (err)
		return err;
	if (off + 4 > len)
		return -EBADMSG;
	off += 4;				/* qtype, qclass */
	if ((msg[3] & 0x0f) != 0)
		return 0;			/* NXDOMAIN, SERVFAIL...: a name, no address */
	/* A truncated copy (the filter keeps NPA_DNS_MAX bytes) still yields
	 * the records before the cut. */
	err = read_answers(&m, off, ancount, out);
	if (err && !out->nr_addrs)
		return err;
	return 0;
}

int npa_dns_parse_payload(uint8_t proto, const uint8_t *data, size_t len,
			  struct npa_dns_answer *out)
{
	if (proto == NPA_PROTO_TCP) {
		size_t mlen;

		if (len < 2)
			return -EBADMSG;
		/* DNS over TCP: a 2-byte length, then the message; a copy may end
		 * before the message does (the filter keeps NPA_DNS_MAX bytes) */
		mlen = (size_t)data[0] << 8 | data[1];
		data += 2;
		len -= 2;
		if (mlen < len)
			len = mlen;
	} else if (proto != NPA_PROTO_UDP) {
		return -EPROTONOSUPPORT;
	}
	return npa_dns_parse(data, len, out);
}
