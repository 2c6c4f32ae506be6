/* SPDX-License-Identifier: Apache-2.0 */
/* network-policy-advisor: the record columns (internal). */
#ifndef NPA_FIELDS_H
#define NPA_FIELDS_H

#include <ig/record.h>

enum {
	NPA_F_TIMESTAMP, NPA_F_NETNS, NPA_F_PID, NPA_F_COMM, NPA_F_PROTO, NPA_F_DIR,
	NPA_F_LADDR, NPA_F_LPORT, NPA_F_RADDR, NPA_F_RPORT, NPA_F_DNS,
	NPA_NR_FIELDS,
};

extern const struct ig_field npa_fields[NPA_NR_FIELDS];

#endif /* NPA_FIELDS_H */
