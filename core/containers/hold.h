/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A bounded queue of records (internal): the records a container birth
 * made while ig did not know its name yet (births.c), deep-copied so the
 * gadget's strings can go, and given out in order once it is decided.
 */
#ifndef IG_CORE_CONTAINERS_HOLD_H
#define IG_CORE_CONTAINERS_HOLD_H

#include <stddef.h>
#include <stdint.h>

#include <ig/record.h>

#define CTR_HOLD_MAX_RECORDS	4096
#define CTR_HOLD_MAX_BYTES	(1u << 20)

struct ctr_held;

struct ctr_hold {
	struct ctr_held *head, **tail;	/* zero-initialise, then ctr_hold__init */
	uint32_t nr;
	size_t bytes;
	uint64_t lost;			/* records past the bounds, or out of memory */
};

void ctr_hold__init(struct ctr_hold *h);
/* Copy a record of nr fields (string values with the strings they point to)
 * to the end of the queue, or count it lost past the bounds. */
void ctr_hold__add(struct ctr_hold *h, const struct ig_field *fields, size_t nr,
		   const struct ig_value *vals);
/* Each record in order, then the queue is empty. */
void ctr_hold__release(struct ctr_hold *h, int (*fn)(void *arg, const struct ig_value *vals),
		       void *arg);
/* Drop everything. */
void ctr_hold__fini(struct ctr_hold *h);

#endif /* IG_CORE_CONTAINERS_HOLD_H */
