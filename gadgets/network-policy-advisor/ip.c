// SPDX-License-Identifier: Apache-2.0
/* network-policy-advisor: IP address helpers shared by the user-side files. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "network_policy_advisor_int.h"

static const uint8_t v4_mapped_prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

void npa_ip_set(struct npa_ip *ip, uint8_t family, const uint8_t raw[16])
{
	memset(ip, 0, sizeof(*ip));
	if (family == NPA_AF_INET6 && !memcmp(raw, v4_mapped_prefix, sizeof(v4_mapped_prefix))) {
		ip->family = NPA_AF_INET;
		memcpy(ip->addr, raw + 12, 4);
		return;
	}
	ip->family = family;
	memcpy(ip->addr, raw, family == NPA_AF_INET ? 4 : 16);
}

const char *npa_ip_str(const struct npa_ip *ip, char *buf, size_t len)
{
	int af = ip->family == NPA_AF_INET ? AF_INET : AF_INET6;

	if (!inet_ntop(af, ip->addr, buf, len))
		snprintf(buf, len, "?");
	return buf;
}

int npa_ip_parse(struct npa_ip *ip, const char *text)
{
	memset(ip, 0, sizeof(*ip));
	if (inet_pton(AF_INET, text, ip->addr) == 1) {
		ip->family = NPA_AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, text, ip->addr) == 1) {
		uint8_t raw[16];

		memcpy(raw, ip->addr, sizeof(raw));
		npa_ip_set(ip, NPA_AF_INET6, raw);
		return 0;
	}
	return -EINVAL;
}

bool npa_ip_equal(const struct npa_ip *a, const struct npa_ip *b)
{
	return a->family == b->family && !memcmp(a->addr, b->addr, sizeof(a->addr));
}

bool npa_ip_is_any(const struct npa_ip *ip)
{
	static const uint8_t zero[16];

	return !memcmp(ip->addr, zero, sizeof(zero));
}

bool npa_ip_is_loopback(const struct npa_ip *ip)
{
	static const uint8_t v6_lo[16] = { [15] = 1 };

	if (ip->family == NPA_AF_INET)
		return ip->addr[0] == 127;
	return !memcmp(ip->addr, v6_lo, sizeof(v6_lo));
}

void npa_ip_set_local(struct npa_ip *ip, uint8_t family, const uint8_t raw[16])
{
	if (family == NPA_AF_INET && !memcmp(raw, v4_mapped_prefix, sizeof(v4_mapped_prefix)))
		family = NPA_AF_INET6;	/* npa_ip_set() unmaps it */
	npa_ip_set(ip, family, raw);
}
