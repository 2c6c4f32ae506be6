/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A gadget's descriptor, checked before ig trusts any of it (internal).
 *
 * The descriptor, its field and parameter tables, their enum tables and every
 * string in them are the gadget's static data (include/ig/gadget.h): they lie
 * inside the shared object's own loaded segments, and its callbacks inside
 * its executable ones. A descriptor that says otherwise (a table of 10^8
 * fields, a pointer anywhere) is refused with one line instead of read: ig
 * would otherwise copy a hundred million fields or follow a wild pointer.
 * The checks take the module's ranges as data, so they run on synthetic
 * memory too (tests/fuzz/gadget_desc.c).
 */
#ifndef IG_CORE_ENGINE_DESC_H
#define IG_CORE_ENGINE_DESC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ig/gadget.h>

#include "core/base/memrange.h"

/* Bounds no real gadget comes near (ours: at most 40 fields, 12 flags). */
#define IG_DESC_MAX_FIELDS	1024
#define IG_DESC_MAX_PARAMS	256
#define IG_DESC_MAX_ELEM_SZ	4096	/* field_sz, param_sz, desc->sz */
#define IG_DESC_MAX_ENUMS	65536
#define IG_DESC_MAX_STR		65536
#define IG_DESC_MAX_NAME	64
#define IG_DESC_MAX_HOOKS	64	/* ABI 1.4 hook table entries */
/* The 1.4 hook entry: anything smaller is corrupt */
#define IG_DESC_HOOK_MIN_SZ	(offsetof(struct ig_hook, pad) + sizeof(uint32_t))

/*
 * 0 when everything d points to (d itself for d->sz bytes, the tables for
 * nr * element size, every string, enum table and callback) lies inside r,
 * the counts and sizes are within the bounds above and the name is one a
 * user can type ([A-Za-z0-9._-], at most IG_DESC_MAX_NAME); else -EINVAL
 * with a reason: "not a gadget: 100000000 fields (at most 1024)".
 */
int ig_desc__check(const struct ig_gadget_desc *d, const struct ig_mem_range *r, size_t nr,
		   char *why, size_t whylen);

#endif /* IG_CORE_ENGINE_DESC_H */
