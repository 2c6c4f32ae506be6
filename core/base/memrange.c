// SPDX-License-Identifier: Apache-2.0
/* A loaded module's memory; see memrange.h. */
#include <dlfcn.h>
#include <link.h>
#include <string.h>

#include "memrange.h"

struct find_ctx {
	uintptr_t base;
	struct ig_mem_range *r;
	size_t max, n;
};

static int add_object(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct find_ctx *f = arg;

	if (info->dlpi_addr != f->base)
		return 0;
	for (int i = 0; i < info->dlpi_phnum && f->n < f->max; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];

		if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_R))
			continue;
		f->r[f->n].start = info->dlpi_addr + ph->p_vaddr;
		f->r[f->n].end = f->r[f->n].start + ph->p_memsz;
		f->r[f->n].exec = ph->p_flags & PF_X;
		f->n++;
	}
	return 1;
}

size_t ig_mem__module_ranges(void *handle, struct ig_mem_range *r, size_t max)
{
	struct link_map *lm = NULL;
	struct find_ctx f = { .r = r, .max = max };

	if (dlinfo(handle, RTLD_DI_LINKMAP, &lm) || !lm)
		return 0;
	f.base = lm->l_addr;
	dl_iterate_phdr(add_object, &f);
	return f.n;
}

bool ig_mem__inside(const struct ig_mem_range *r, size_t nr, const void *p, size_t len,
		    bool exec)
{
	uintptr_t a = (uintptr_t)p;

	for (size_t i = 0; i < nr; i++)
		if (a >= r[i].start && a < r[i].end && len <= r[i].end - a && (!exec || r[i].exec))
			return true;
	return false;
}

bool ig_mem__str(const struct ig_mem_range *r, size_t nr, const char *s, size_t max)
{
	uintptr_t a = (uintptr_t)s;

	for (size_t i = 0; i < nr; i++)
		if (a >= r[i].start && a < r[i].end) {
			size_t room = r[i].end - a;

			return memchr(s, '\0', room < max ? room : max) != NULL;
		}
	return false;
}
