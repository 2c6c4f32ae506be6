/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Record enrichment (internal): a gadget whose fields include a MNTNS (or,
 * failing that, a NETNS) field gets container and Kubernetes columns
 * appended, filled from the container table by that namespace.
 */
#ifndef IG_CORE_ENGINE_ENRICH_H
#define IG_CORE_ENGINE_ENRICH_H

#include <stddef.h>

#include <ig/record.h>

#include "core/containers/table.h"

#define IG_ENRICH_MAX_FIELDS	9

struct ig_enrich {
	struct ig_field *fields;	/* gadget fields + enrichment fields */
	size_t nr_fields;		/* all of them */
	size_t nr_gadget;		/* the gadget's own */
	int ns_idx;			/* gadget field to look up by, -1 if none */
	bool by_netns;
	struct ig_value *vals;		/* scratch record of nr_fields values */
};

/* gf: the gadget's host-sized fields (n). Returns 0 or -ENOMEM. */
int ig_enrich__init(struct ig_enrich *e, const struct ig_field *gf, size_t n);
/* The record to format: the gadget's values followed by the enrichment
 * values (unset when no container matches). Valid until the next call. */
const struct ig_value *ig_enrich__fill(struct ig_enrich *e, struct ig_containers *cs,
				       const struct ig_value *in);
void ig_enrich__fini(struct ig_enrich *e);

#endif /* IG_CORE_ENGINE_ENRICH_H */
