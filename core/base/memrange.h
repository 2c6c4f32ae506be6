/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The memory of a loaded module (internal): its loaded segments, and whether
 * a pointer it handed over lies inside them. A gadget's or plugin's
 * descriptor, tables and strings are its static data and its callbacks its
 * code (include/ig/gadget.h, plugin.h): a pointer anywhere else is a broken
 * or hostile module, refused before ig reads through it.
 */
#ifndef IG_CORE_BASE_MEMRANGE_H
#define IG_CORE_BASE_MEMRANGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One loaded segment. */
struct ig_mem_range {
	uintptr_t start, end;		/* [start, end) */
	bool exec;
};

#define IG_MEM_MAX_RANGES	16

/* The loaded (readable) segments of the object dlopen() returned handle for;
 * how many (0 if it cannot be found). */
size_t ig_mem__module_ranges(void *handle, struct ig_mem_range *r, size_t max);

/* [p, p + len) inside one range (an executable one when exec). */
bool ig_mem__inside(const struct ig_mem_range *r, size_t nr, const void *p, size_t len,
		    bool exec);

/* A NUL-terminated string of at most max bytes (NUL included), inside one
 * range. */
bool ig_mem__str(const struct ig_mem_range *r, size_t nr, const char *s, size_t max);

#endif /* IG_CORE_BASE_MEMRANGE_H */
