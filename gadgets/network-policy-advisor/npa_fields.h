/* SPDX-License-Identifier: Apache-2.0 */
/* network-policy-advisor: the record columns (internal). */
#ifndef NPA_FIELDS_H
#define NPA_FIELDS_H

#include <stddef.h>
#include <stdint.h>

#include <ig/record.h>

enum {
	NPA_F_TIMESTAMP, NPA_F_NETNS, NPA_F_PID, NPA_F_COMM, NPA_F_PROTO, NPA_F_DIR,
	NPA_F_LADDR, NPA_F_LPORT, NPA_F_RADDR, NPA_F_RPORT, NPA_F_DNS,
	NPA_NR_FIELDS,
};

extern const struct ig_field npa_fields[NPA_NR_FIELDS];

struct npa_flow_event;

/* Text the values of a record point to: keep it alive until emit returns. */
struct npa_record_bufs {
	char laddr[46];
	char raddr[46];
};

/*
 * The type of a ring buffer sample (NPA_EV_FLOW, NPA_EV_DNS) when it is
 * complete, else 0: short samples and unknown types are not decoded.
 */
uint32_t npa_event_type(const void *data, size_t size);

/* Fill v (NPA_NR_FIELDS values) from a flow event; dns is the peer's name or
 * NULL. Strings point into bufs or e. */
void npa_flow_record(const struct npa_flow_event *e, const char *dns, struct ig_value *v,
		     struct npa_record_bufs *bufs);

#endif /* NPA_FIELDS_H */
