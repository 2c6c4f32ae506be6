// SPDX-License-Identifier: Apache-2.0
/* Unit tests: ring buffer samples -> records (record.c), with hand-built
 * events, short and unknown samples included. */
#include <criterion/criterion.h>
#include <string.h>

#include "gadgets/network-policy-advisor/network_policy_advisor_int.h"

Test(record, event_types_and_short_samples)
{
	struct npa_flow_event f = { .type = NPA_EV_FLOW };
	struct npa_dns_event d = { .type = NPA_EV_DNS };
	uint32_t junk = 77;

	cr_assert_eq(npa_event_type(&f, sizeof(f)), NPA_EV_FLOW);
	cr_assert_eq(npa_event_type(&d, sizeof(d)), NPA_EV_DNS);
	cr_assert_eq(npa_event_type(&f, sizeof(f) - 1), 0);
	cr_assert_eq(npa_event_type(&d, sizeof(f)), 0, "a DNS type with a flow's size");
	cr_assert_eq(npa_event_type(&f, 3), 0);
	cr_assert_eq(npa_event_type(&junk, sizeof(junk)), 0);
	cr_assert_eq(npa_event_type(NULL, 0), 0);
}

Test(record, egress_v4)
{
	struct npa_flow_event e = { .type = NPA_EV_FLOW };
	struct npa_record_bufs bufs;
	struct ig_value v[NPA_NR_FIELDS];

	e.key = (struct npa_flow_key){ .netns = 4026531840ull, .port = 443,
		.proto = NPA_PROTO_TCP, .dir = NPA_DIR_EGRESS, .family = NPA_AF_INET,
		.peer = { 93, 184, 216, 34 } };
	e.val = (struct npa_flow_val){ .first_ts = 42, .pid = 1234, .local = { 10, 0, 0, 2 } };
	memcpy(e.val.comm, "curl-with-a-very-long-name", NPA_COMM_LEN);	/* no NUL */
	npa_flow_record(&e, "example.com", v, &bufs);
	cr_assert_eq(v[NPA_F_NETNS].v.u, 4026531840ull);
	cr_assert_eq(v[NPA_F_TIMESTAMP].v.u, 42);
	cr_assert_eq(v[NPA_F_PID].v.u, 1234);
	cr_assert_eq(v[NPA_F_COMM].len, NPA_COMM_LEN);
	cr_assert_eq(v[NPA_F_PROTO].v.u, NPA_PROTO_TCP);
	cr_assert_eq(v[NPA_F_DIR].v.u, NPA_DIR_EGRESS);
	cr_assert_str_eq(v[NPA_F_RADDR].v.s, "93.184.216.34");
	cr_assert_str_eq(v[NPA_F_LADDR].v.s, "10.0.0.2");
	cr_assert_eq(v[NPA_F_RPORT].v.u, 443);
	cr_assert_eq(v[NPA_F_LPORT].flags, 0, "TCP egress: local port not chosen yet");
	cr_assert_str_eq(v[NPA_F_DNS].v.s, "example.com");
}

Test(record, ingress_v6_softirq_and_mapped_local)
{
	struct npa_flow_event e = { .type = NPA_EV_FLOW };
	struct npa_record_bufs bufs;
	struct ig_value v[NPA_NR_FIELDS];

	e.key = (struct npa_flow_key){ .netns = 7, .port = 8080, .proto = NPA_PROTO_TCP,
		.dir = NPA_DIR_INGRESS, .family = NPA_AF_INET6,
		.peer = { 0xfd, 0, [15] = 9 } };
	e.val = (struct npa_flow_val){ .other_port = 50123 };
	npa_flow_record(&e, NULL, v, &bufs);
	cr_assert_eq(v[NPA_F_PID].flags, 0, "softirq: no pid");
	cr_assert_eq(v[NPA_F_COMM].flags, 0);
	cr_assert_str_eq(v[NPA_F_RADDR].v.s, "fd00::9");
	cr_assert_eq(v[NPA_F_LADDR].flags, 0, "unbound local address is unset");
	cr_assert_eq(v[NPA_F_LPORT].v.u, 8080);
	cr_assert_eq(v[NPA_F_RPORT].v.u, 50123);
	cr_assert_eq(v[NPA_F_DNS].flags, 0);

	/* an IPv4 peer of a dual-stack socket: the local side stays mapped */
	e.key.family = NPA_AF_INET;
	memset(e.key.peer, 0, sizeof(e.key.peer));
	memcpy(e.key.peer, "\x0a\x00\x00\x03", 4);
	memcpy(e.val.local, "\0\0\0\0\0\0\0\0\0\0\xff\xff\x0a\x00\x00\x02", 16);
	npa_flow_record(&e, NULL, v, &bufs);
	cr_assert_str_eq(v[NPA_F_RADDR].v.s, "10.0.0.3");
	cr_assert_str_eq(v[NPA_F_LADDR].v.s, "10.0.0.2");
}
