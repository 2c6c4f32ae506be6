// SPDX-License-Identifier: Apache-2.0
/*
 * Held records (hold.h): one allocation each, the values followed by a copy
 * of every string they point to, so a held record needs nothing the gadget
 * owns.
 */
#include <stdlib.h>
#include <string.h>

#include "hold.h"

struct ctr_held {
	struct ctr_held *next;
	struct ig_value v[];	/* the values, then their strings */
};

void ctr_hold__init(struct ctr_hold *h)
{
	memset(h, 0, sizeof(*h));
	h->tail = &h->head;
}

static bool is_str(const struct ig_field *f, const struct ig_value *v)
{
	return f->type == IG_FT_STRING && (v->flags & IG_VALUE_SET) && v->v.s;
}

static size_t str_len(const struct ig_value *v)
{
	return v->len ? v->len : strlen(v->v.s);
}

static struct ctr_held *copy(const struct ig_field *fields, size_t nr,
			     const struct ig_value *vals, size_t *bytes)
{
	size_t size = sizeof(struct ctr_held) + nr * sizeof(*vals), n;
	struct ctr_held *h;
	char *p;

	for (size_t i = 0; i < nr; i++)
		if (is_str(&fields[i], &vals[i]))
			size += str_len(&vals[i]) + 1;
	h = malloc(size);
	if (!h)
		return NULL;
	h->next = NULL;
	memcpy(h->v, vals, nr * sizeof(*vals));
	p = (char *)&h->v[nr];
	for (size_t i = 0; i < nr; i++) {
		if (!is_str(&fields[i], &vals[i]))
			continue;
		n = str_len(&vals[i]);
		memcpy(p, vals[i].v.s, n);
		p[n] = '\0';
		h->v[i].v.s = p;
		p += n + 1;
	}
	*bytes = size;
	return h;
}

void ctr_hold__add(struct ctr_hold *h, const struct ig_field *fields, size_t nr,
		   const struct ig_value *vals)
{
	struct ctr_held *r;
	size_t bytes;

	if (h->nr >= CTR_HOLD_MAX_RECORDS || h->bytes >= CTR_HOLD_MAX_BYTES ||
	    !(r = copy(fields, nr, vals, &bytes))) {
		h->lost++;
		return;
	}
	*h->tail = r;
	h->tail = &r->next;
	h->nr++;
	h->bytes += bytes;
}

void ctr_hold__release(struct ctr_hold *h, int (*fn)(void *arg, const struct ig_value *vals),
		       void *arg)
{
	for (struct ctr_held *r = h->head; r && fn; r = r->next)
		fn(arg, r->v);
	ctr_hold__fini(h);
}

void ctr_hold__fini(struct ctr_hold *h)
{
	while (h->head) {
		struct ctr_held *r = h->head;

		h->head = r->next;
		free(r);
	}
	h->tail = &h->head;
	h->nr = 0;
	h->bytes = 0;
}
