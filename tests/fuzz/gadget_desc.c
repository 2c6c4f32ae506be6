// SPDX-License-Identifier: Apache-2.0
// fuzz-sources: core/engine/desc.c core/base/memrange.c
// fuzz-libs: -ldl
/*
 * A gadget's descriptor (core/engine/desc.c): the input is the gadget's
 * memory, mapped at a fixed address so that the pointers in it mean
 * something (GD_BASE + offset points into it; anything else does not). The
 * descriptor sits at the start. When the check accepts it, everything the
 * loader and the formatters read of it is walked, and each read must stay in
 * the gadget's memory.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "core/engine/desc.h"
#include "fuzz.h"

#define GD_BASE		0x3f0000000000ull
#define GD_CAP		(1u << 20)

static uintptr_t lo, hi;

static void in(const void *p, size_t len)
{
	if ((uintptr_t)p < lo || (uintptr_t)p + len > hi || (uintptr_t)p + len < (uintptr_t)p)
		abort();	/* the check let a read outside the gadget through */
}

static void str(const char *s)
{
	if (!s)
		return;
	in(s, 1);
	in(s, strnlen(s, hi - (uintptr_t)s) + 1);
}

static void walk(const struct ig_gadget_desc *d)
{
	in(d, d->sz < sizeof(*d) ? d->sz : sizeof(*d));
	str(d->name);
	str(d->version);
	str(d->summary);
	str(d->description);
	for (uint32_t i = 0; i < d->nr_fields; i++) {
		const struct ig_field *f = (const void *)((const char *)d->fields +
							  (size_t)i * d->field_sz);

		in(f, d->field_sz);
		str(f->name);
		if (d->field_sz >= offsetof(struct ig_field, description) + sizeof(void *))
			str(f->description);
		if (d->field_sz >= offsetof(struct ig_field, enums) + sizeof(void *) && f->enums)
			for (const struct ig_enum_name *e = f->enums; in(e, sizeof(*e)), e->name; e++)
				str(e->name);
	}
	for (uint32_t i = 0; i < d->nr_params; i++) {
		const struct ig_param *p = (const void *)((const char *)d->params +
							  (size_t)i * d->param_sz);

		in(p, d->param_sz);
		str(p->name);
	}
}

FUZZ_TARGET(gadget_desc)
{
	static char *mem;
	struct ig_mem_range r;
	char why[256];

	if (!mem) {
		mem = mmap((void *)GD_BASE, GD_CAP, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
		if (mem != (void *)GD_BASE)
			abort();
	}
	if (size > GD_CAP)
		size = GD_CAP;
	memcpy(mem, data, size);
	lo = GD_BASE;
	hi = GD_BASE + size;
	r = (struct ig_mem_range){ .start = lo, .end = hi, .exec = true };
	if (!ig_desc__check((const void *)mem, &r, 1, why, sizeof(why)))
		walk((const void *)mem);
	memset(mem, 0, size);
	return 0;
}
