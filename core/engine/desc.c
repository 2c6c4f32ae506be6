// SPDX-License-Identifier: Apache-2.0
/* Checking a gadget's descriptor against its module's memory; see desc.h. */
#include <errno.h>
#include <stdalign.h>
#include <stdio.h>
#include <string.h>

#include "desc.h"

/* The 1.0 descriptor: every member up to container_removed. */
#define DESC_V10_SZ	(offsetof(struct ig_gadget_desc, container_removed) + sizeof(void *))

#define ALIGNED(p, type)	(!((uintptr_t)(p) % alignof(type)))

/* Which members an element of the gadget's size holds. */
#define HAS(sz, type, member)	((sz) >= offsetof(type, member) + sizeof(((type *)0)->member))

static int bad(char *why, size_t whylen, const char *what)
{
	snprintf(why, whylen, "not a gadget: %s", what);
	return -EINVAL;
}

static bool opt_str(const struct ig_mem_range *r, size_t nr, const char *s)
{
	return !s || ig_mem__str(r, nr, s, IG_DESC_MAX_STR);
}

static int check_enums(const struct ig_enum_name *e, const struct ig_mem_range *r, size_t nr)
{
	if (!e)
		return 0;
	if (!ALIGNED(e, struct ig_enum_name))
		return -EINVAL;
	for (size_t i = 0; i < IG_DESC_MAX_ENUMS; i++, e++) {
		if (!ig_mem__inside(r, nr, e, sizeof(*e), false))
			return -EINVAL;
		if (!e->name)
			return 0;
		if (!ig_mem__str(r, nr, e->name, IG_DESC_MAX_STR))
			return -EINVAL;
	}
	return -EINVAL;	/* no end marker within bounds */
}

static int check_fields(const struct ig_gadget_desc *d, const struct ig_mem_range *r, size_t nr,
			char *why, size_t whylen)
{
	const char *base = (const char *)d->fields;
	uint32_t sz = d->field_sz;

	if (!d->nr_fields)
		return 0;
	if (!ALIGNED(base, struct ig_field) || sz % alignof(struct ig_field) ||
	    !ig_mem__inside(r, nr, base, (size_t)d->nr_fields * sz, false))
		return bad(why, whylen, "its field table is not in the gadget's memory");
	for (uint32_t i = 0; i < d->nr_fields; i++) {
		const struct ig_field *f = (const void *)(base + (size_t)i * sz);

		if (!f->name || !ig_mem__str(r, nr, f->name, IG_DESC_MAX_STR) ||
		    (HAS(sz, struct ig_field, description) && !opt_str(r, nr, f->description)) ||
		    (HAS(sz, struct ig_field, enums) && check_enums(f->enums, r, nr)))
			return bad(why, whylen, "a field's name, description or enum table is not "
				   "in the gadget's memory");
	}
	return 0;
}

static int check_params(const struct ig_gadget_desc *d, const struct ig_mem_range *r, size_t nr,
			char *why, size_t whylen)
{
	const char *base = (const char *)d->params;
	uint32_t sz = d->param_sz;

	if (!d->nr_params)
		return 0;
	if (!ALIGNED(base, struct ig_param) || sz % alignof(struct ig_param) ||
	    !ig_mem__inside(r, nr, base, (size_t)d->nr_params * sz, false))
		return bad(why, whylen, "its parameter table is not in the gadget's memory");
	for (uint32_t i = 0; i < d->nr_params; i++) {
		const struct ig_param *p = (const void *)(base + (size_t)i * sz);

		if (!p->name || !ig_mem__str(r, nr, p->name, IG_DESC_MAX_NAME + 1) ||
		    (HAS(sz, struct ig_param, def) && !opt_str(r, nr, p->def)) ||
		    (HAS(sz, struct ig_param, help) && !opt_str(r, nr, p->help)) ||
		    (HAS(sz, struct ig_param, choices) && !opt_str(r, nr, p->choices)))
			return bad(why, whylen, "a parameter's name or texts are not in the gadget's "
				   "memory");
	}
	return 0;
}

/* ABI 1.4: the hook table (ig/kernel.h) and its strings. */
static int check_hooks(const struct ig_gadget_desc *d, const struct ig_mem_range *r, size_t nr,
		       char *why, size_t whylen)
{
	const char *base;
	uint32_t sz;

	if (!HAS(d->sz, struct ig_gadget_desc, hooks) || !d->nr_hooks)
		return 0;
	base = (const char *)d->hooks;
	sz = d->hook_sz;
	if (d->nr_hooks > IG_DESC_MAX_HOOKS || sz > IG_DESC_MAX_ELEM_SZ ||
	    sz < IG_DESC_HOOK_MIN_SZ || !ALIGNED(base, struct ig_hook) ||
	    sz % alignof(struct ig_hook) ||
	    !ig_mem__inside(r, nr, base, (size_t)d->nr_hooks * sz, false))
		return bad(why, whylen, "its hook table is not in the gadget's memory");
	for (uint32_t i = 0; i < d->nr_hooks; i++) {
		const struct ig_hook *h = (const void *)(base + (size_t)i * sz);

		if (!opt_str(r, nr, h->role) || !opt_str(r, nr, h->target) ||
		    !opt_str(r, nr, h->progs) || !opt_str(r, nr, h->note) ||
		    (HAS(sz, struct ig_hook, since) && !opt_str(r, nr, h->since)))
			return bad(why, whylen, "a hook's texts are not in the gadget's memory");
	}
	return 0;
}

/* Callbacks the descriptor holds must be code of the gadget's own. */
static bool code_ok(const struct ig_gadget_desc *d, const struct ig_mem_range *r, size_t nr)
{
	const void *fns[6] = { NULL };
	size_t n = 0;

#define FN(m) if (HAS(d->sz, struct ig_gadget_desc, m)) memcpy(&fns[n++], &d->m, sizeof(void *))
	FN(init); FN(stop); FN(report); FN(destroy); FN(container_added); FN(container_removed);
#undef FN
	for (size_t i = 0; i < n; i++)
		if (fns[i] && !ig_mem__inside(r, nr, fns[i], 1, true))
			return false;
	return true;
}

static bool name_ok(const char *s)
{
	size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-");

	return n && !s[n] && n <= IG_DESC_MAX_NAME;
}

int ig_desc__check(const struct ig_gadget_desc *d, const struct ig_mem_range *r, size_t nr,
		   char *why, size_t whylen)
{
	char what[96];

	if (!d || !ALIGNED(d, struct ig_gadget_desc) ||
	    !ig_mem__inside(r, nr, d, sizeof(d->sz), false))
		return bad(why, whylen, "its descriptor is not in the gadget's memory");
	if (d->sz > IG_DESC_MAX_ELEM_SZ || d->sz < DESC_V10_SZ ||
	    !ig_mem__inside(r, nr, d, d->sz < sizeof(*d) ? d->sz : sizeof(*d), false))
		return bad(why, whylen, "its descriptor is truncated or not in its memory");
	if (!d->name || !ig_mem__str(r, nr, d->name, IG_DESC_MAX_NAME + 1) || !name_ok(d->name))
		return bad(why, whylen, "its name is not 1 to 64 of A-Z a-z 0-9 . _ -");
	if (!opt_str(r, nr, d->version) || !opt_str(r, nr, d->summary) ||
	    !opt_str(r, nr, d->description))
		return bad(why, whylen, "its version, summary or description is not in its memory");
	if (d->nr_fields > IG_DESC_MAX_FIELDS || d->nr_params > IG_DESC_MAX_PARAMS ||
	    d->field_sz > IG_DESC_MAX_ELEM_SZ || d->param_sz > IG_DESC_MAX_ELEM_SZ) {
		snprintf(what, sizeof(what), "%u fields of %u bytes, %u parameters of %u bytes "
			 "(at most %d and %d)", d->nr_fields, d->field_sz, d->nr_params,
			 d->param_sz, IG_DESC_MAX_FIELDS, IG_DESC_MAX_PARAMS);
		return bad(why, whylen, what);
	}
	if (check_fields(d, r, nr, why, whylen) || check_params(d, r, nr, why, whylen) ||
	    check_hooks(d, r, nr, why, whylen))
		return -EINVAL;
	if (!code_ok(d, r, nr))
		return bad(why, whylen, "a callback is not in the gadget's code");
	return 0;
}
