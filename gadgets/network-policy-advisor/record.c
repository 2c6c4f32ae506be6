// SPDX-License-Identifier: Apache-2.0
/* network-policy-advisor: ring buffer samples -> records (pure). */
#include <string.h>

#include "network_policy_advisor_int.h"

uint32_t npa_event_type(const void *data, size_t size)
{
	uint32_t type;

	if (size < sizeof(type))
		return 0;
	memcpy(&type, data, sizeof(type));
	if (type == NPA_EV_FLOW && size >= sizeof(struct npa_flow_event))
		return type;
	if (type == NPA_EV_DNS && size >= sizeof(struct npa_dns_event))
		return type;
	return 0;
}

void npa_flow_record(const struct npa_flow_event *e, const char *dns, struct ig_value *v,
		     struct npa_record_bufs *bufs)
{
	uint16_t other = e->val.other_port;
	struct npa_ip peer, local;

	memset(v, 0, NPA_NR_FIELDS * sizeof(*v));
	npa_ip_set(&peer, e->key.family, e->key.peer);
	npa_ip_set_local(&local, e->key.family, e->val.local);
	v[NPA_F_TIMESTAMP] = ig_val_u64(e->val.first_ts);
	v[NPA_F_NETNS] = ig_val_u64(e->key.netns);
	if (e->val.pid) {	/* 0: accepted in softirq, no process */
		v[NPA_F_PID] = ig_val_u64(e->val.pid);
		v[NPA_F_COMM] = ig_val_strn(e->val.comm,
					    (uint32_t)strnlen(e->val.comm, NPA_COMM_LEN));
	}
	v[NPA_F_PROTO] = ig_val_u64(e->key.proto);
	v[NPA_F_DIR] = ig_val_u64(e->key.dir);
	if (!npa_ip_is_any(&local))
		v[NPA_F_LADDR] = ig_val_str(npa_ip_str(&local, bufs->laddr, sizeof(bufs->laddr)));
	v[NPA_F_RADDR] = ig_val_str(npa_ip_str(&peer, bufs->raddr, sizeof(bufs->raddr)));
	/* the key's port is the service port; the other side's may be unknown (0) */
	if (e->key.dir == NPA_DIR_EGRESS) {
		v[NPA_F_RPORT] = ig_val_u64(e->key.port);
		if (other)
			v[NPA_F_LPORT] = ig_val_u64(other);
	} else {
		v[NPA_F_LPORT] = ig_val_u64(e->key.port);
		if (other)
			v[NPA_F_RPORT] = ig_val_u64(other);
	}
	v[NPA_F_DNS] = ig_val_str(dns);
}
