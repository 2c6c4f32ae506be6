// SPDX-License-Identifier: Apache-2.0
/* Unit tests: DNS answer parsing of network-policy-advisor (dns.c). */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "gadgets/network-policy-advisor/network_policy_advisor_int.h"

struct msg {
	uint8_t b[600];
	size_t n;
};

static void put(struct msg *m, const void *p, size_t n)
{
	memcpy(m->b + m->n, p, n);
	m->n += n;
}

static void put16(struct msg *m, uint16_t v)
{
	uint8_t b[2] = { v >> 8, v & 0xff };

	put(m, b, 2);
}

/* Header: id 0x1234, flags, 1 question, ancount answers. */
static void header(struct msg *m, uint16_t flags, uint16_t ancount)
{
	m->n = 0;
	put16(m, 0x1234);
	put16(m, flags);
	put16(m, 1);
	put16(m, ancount);
	put16(m, 0);
	put16(m, 0);
}

static void qname(struct msg *m, const char *dotted)
{
	const char *p = dotted;

	while (*p) {
		const char *dot = strchr(p, '.');
		size_t l = dot ? (size_t)(dot - p) : strlen(p);
		uint8_t lb = (uint8_t)l;

		put(m, &lb, 1);
		put(m, p, l);
		p += l + (dot ? 1 : 0);
	}
	put(m, "", 1);
}

static void question(struct msg *m, const char *name, uint16_t type)
{
	qname(m, name);
	put16(m, type);
	put16(m, 1);
}

/* An answer whose owner is a pointer to offset 12 (the question name). */
static void answer(struct msg *m, uint16_t type, const void *rdata, uint16_t rdlen)
{
	put16(m, 0xc00c);
	put16(m, type);
	put16(m, 1);
	put16(m, 0);
	put16(m, 60);
	put16(m, rdlen);
	put(m, rdata, rdlen);
}

Test(dns, a_and_aaaa_with_compression)
{
	static const uint8_t v4[4] = { 10, 1, 2, 3 };
	static const uint8_t v6[16] = { 0xfd, 0, [15] = 7 };
	struct npa_dns_answer a;
	char ip[NPA_IP_STRLEN];
	struct msg m;

	header(&m, 0x8180, 2);
	question(&m, "Example.TEST", 1);
	answer(&m, 1, v4, 4);
	answer(&m, 28, v6, 16);
	cr_assert_eq(npa_dns_parse(m.b, m.n, &a), 0);
	cr_assert_str_eq(a.name, "example.test");
	cr_assert_eq(a.nr_addrs, 2);
	cr_assert_str_eq(npa_ip_str(&a.addrs[0], ip, sizeof(ip)), "10.1.2.3");
	cr_assert_str_eq(npa_ip_str(&a.addrs[1], ip, sizeof(ip)), "fd00::7");
}

Test(dns, cname_then_a)
{
	static const uint8_t v4[4] = { 192, 0, 2, 9 };
	struct npa_dns_answer a;
	uint8_t cname[] = { 3, 'w', 'e', 'b', 0xc0, 12 };
	struct msg m;

	header(&m, 0x8180, 2);
	question(&m, "www.example.test", 1);
	answer(&m, 5, cname, sizeof(cname));
	/* owner: the CNAME target, itself a pointer into the answer */
	put16(&m, 0xc000 | 46);
	put16(&m, 1);
	put16(&m, 1);
	put16(&m, 0);
	put16(&m, 60);
	put16(&m, 4);
	put(&m, v4, 4);
	cr_assert_eq(npa_dns_parse(m.b, m.n, &a), 0);
	cr_assert_str_eq(a.name, "www.example.test");
	cr_assert_eq(a.nr_addrs, 1);
	cr_assert_eq(a.addrs[0].family, NPA_AF_INET);
	cr_assert_eq(a.addrs[0].addr[0], 192);
}

Test(dns, query_is_not_an_answer)
{
	struct npa_dns_answer a;
	struct msg m;

	header(&m, 0x0100, 0);
	question(&m, "example.test", 1);
	cr_assert_eq(npa_dns_parse(m.b, m.n, &a), -ENOMSG);
}

Test(dns, nxdomain_has_name_no_address)
{
	struct npa_dns_answer a;
	struct msg m;

	header(&m, 0x8183, 0);
	question(&m, "nope.test", 1);
	cr_assert_eq(npa_dns_parse(m.b, m.n, &a), 0);
	cr_assert_str_eq(a.name, "nope.test");
	cr_assert_eq(a.nr_addrs, 0);
}

Test(dns, short_and_malformed)
{
	static const uint8_t v4[4] = { 10, 0, 0, 1 };
	struct npa_dns_answer a;
	struct msg m;

	header(&m, 0x8180, 1);
	cr_assert_eq(npa_dns_parse(m.b, 11, &a), -EBADMSG);
	/* question name runs off the end */
	cr_assert_eq(npa_dns_parse(m.b, m.n + 0, &a), -EBADMSG);
	/* label longer than the message */
	put(&m, "\x3f" "abc", 4);
	cr_assert_eq(npa_dns_parse(m.b, m.n, &a), -EBADMSG);
	/* a pointer to itself in the question */
	header(&m, 0x8180, 0);
	put16(&m, 0xc00c);
	put16(&m, 1);
	put16(&m, 1);
	cr_assert_eq(npa_dns_parse(m.b, m.n, &a), -EBADMSG);
	/* a forward pointer in an answer owner */
	header(&m, 0x8180, 1);
	question(&m, "a.test", 1);
	put16(&m, 0xc000 | 200);
	put16(&m, 1);
	put16(&m, 1);
	put16(&m, 0);
	put16(&m, 60);
	put16(&m, 4);
	put(&m, v4, 4);
	cr_assert_eq(npa_dns_parse(m.b, m.n, &a), -EBADMSG);
	/* rdlength past the end */
	header(&m, 0x8180, 1);
	question(&m, "a.test", 1);
	answer(&m, 1, v4, 4);
	m.b[m.n - 5] = 40;
	cr_assert_eq(npa_dns_parse(m.b, m.n, &a), -EBADMSG);
}

Test(dns, truncated_copy_keeps_leading_records)
{
	static const uint8_t v4[4] = { 10, 0, 0, 1 };
	struct npa_dns_answer a;
	struct msg m;

	header(&m, 0x8180, 2);
	question(&m, "a.test", 1);
	answer(&m, 1, v4, 4);
	answer(&m, 1, v4, 4);
	cr_assert_eq(npa_dns_parse(m.b, m.n - 3, &a), 0);
	cr_assert_eq(a.nr_addrs, 1);
}

Test(dns, wrong_rdlength_is_ignored)
{
	static const uint8_t junk[5] = { 1, 2, 3, 4, 5 };
	struct npa_dns_answer a;
	struct msg m;

	header(&m, 0x8180, 1);
	question(&m, "a.test", 1);
	answer(&m, 1, junk, 5);
	cr_assert_eq(npa_dns_parse(m.b, m.n, &a), 0);
	cr_assert_eq(a.nr_addrs, 0);
}

Test(ip, mapped_and_text)
{
	struct npa_ip ip, other;
	uint8_t raw[16] = { [10] = 0xff, [11] = 0xff, [12] = 10, [13] = 9, [14] = 8, [15] = 7 };
	char buf[NPA_IP_STRLEN];

	npa_ip_set(&ip, NPA_AF_INET6, raw);
	cr_assert_eq(ip.family, NPA_AF_INET);
	cr_assert_str_eq(npa_ip_str(&ip, buf, sizeof(buf)), "10.9.8.7");
	cr_assert_eq(npa_ip_parse(&other, "10.9.8.7"), 0);
	cr_assert(npa_ip_equal(&ip, &other));
	cr_assert_eq(npa_ip_parse(&other, "::ffff:10.9.8.7"), 0);
	cr_assert(npa_ip_equal(&ip, &other));
	cr_assert_eq(npa_ip_parse(&other, "nonsense"), -EINVAL);
	cr_assert_eq(npa_ip_parse(&other, "::1"), 0);
	cr_assert(npa_ip_is_loopback(&other));
	cr_assert_eq(npa_ip_parse(&other, "127.3.0.1"), 0);
	cr_assert(npa_ip_is_loopback(&other));
	cr_assert_not(npa_ip_is_loopback(&ip));
}

Test(dns, tcp_payload_has_a_length_prefix)
{
	static const uint8_t v4[4] = { 10, 0, 0, 5 };
	struct npa_dns_answer a;
	struct msg m, t;

	header(&m, 0x8180, 1);
	question(&m, "tcp.test", 1);
	answer(&m, 1, v4, 4);
	t.n = 0;
	put16(&t, (uint16_t)m.n);
	put(&t, m.b, m.n);
	cr_assert_eq(npa_dns_parse_payload(NPA_PROTO_TCP, t.b, t.n, &a), 0);
	cr_assert_str_eq(a.name, "tcp.test");
	cr_assert_eq(a.nr_addrs, 1);
	/* the same bytes read as UDP are garbage */
	cr_assert_neq(npa_dns_parse_payload(NPA_PROTO_UDP, t.b, t.n, &a), 0);
	cr_assert_eq(npa_dns_parse_payload(NPA_PROTO_UDP, m.b, m.n, &a), 0);
	cr_assert_eq(npa_dns_parse_payload(NPA_PROTO_TCP, t.b, 1, &a), -EBADMSG);
	cr_assert_eq(npa_dns_parse_payload(132, m.b, m.n, &a), -EPROTONOSUPPORT);
	/* a length prefix shorter than the copy bounds the message */
	t.b[1] = 11;
	cr_assert_eq(npa_dns_parse_payload(NPA_PROTO_TCP, t.b, t.n, &a), -EBADMSG);
}
