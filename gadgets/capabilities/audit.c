// SPDX-License-Identifier: Apache-2.0
/*
 * Where the kernel's capability functions are, from /proc/kallsyms, so the
 * BPF program can tell an audited check from a CAP_OPT_NOAUDIT one by the
 * frame that called security_capable()/cap_capable(). The function lists are
 * what kernel 6.18 does; docs/gadgets/capabilities.md says how they were
 * measured.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "capabilities_int.h"

/* cap_capable and security_capable: the frames to look past. */
static const char *const inner_fns[] = { "cap_capable", "security_capable" };

/* Callers that pass CAP_OPT_NOAUDIT (or are inlined wrappers of one). */
static const char *const noaudit_fns[] = {
	"ns_capable_noaudit",		/* ptrace_may_access, seccomp, proc ... */
	"has_ns_capability_noaudit",
	"has_capability_noaudit",	/* OOM killer, ptracer_capable */
	"cap_vm_enough_memory",		/* every writable private mmap/brk */
	"security_vm_enough_memory_mm",	/* ... where cap_vm_enough_memory is inlined */
	"kallsyms_show_value",		/* CAP_SYSLOG for /proc/kallsyms readers */
};

/* The base name a symbol is a part of: "ns_capable_noaudit.cold" matches
 * "ns_capable_noaudit". */
static bool name_is(const char *sym, size_t len, const char *fn)
{
	size_t n = strlen(fn);

	return len >= n && !strncmp(sym, fn, n) && (len == n || sym[n] == '.');
}

static int kind_of(const char *sym, size_t len)
{
	size_t i;

	for (i = 0; i < (sizeof(inner_fns) / sizeof(inner_fns[0])); i++)
		if (name_is(sym, len, inner_fns[i]))
			return CAPS_RANGE_INNER;
	for (i = 0; i < (sizeof(noaudit_fns) / sizeof(noaudit_fns[0])); i++)
		if (name_is(sym, len, noaudit_fns[i]))
			return CAPS_RANGE_NOAUDIT;
	return 0;
}

/* Parse "ADDR TYPE NAME[\t[module]]"; false on a malformed line. */
static bool parse_line(char *line, uint64_t *addr, char *type, char **name, size_t *len)
{
	char *end;

	*addr = strtoull(line, &end, 16);
	if (end == line || *end != ' ' || !end[1] || end[2] != ' ')
		return false;
	*type = end[1];
	*name = end + 3;
	*len = strcspn(*name, " \t\n");
	return *len > 0;
}

#define NR_FNS	(sizeof(inner_fns) / sizeof(inner_fns[0]) + \
		 sizeof(noaudit_fns) / sizeof(noaudit_fns[0]))

int caps_find_ranges(FILE *f, struct caps_range *out, int max)
{
	char line[512];
	int nr = 0, open = 0, bases = 0, i;
	bool inner[2] = { false, false };

	/* Reading all of /proc/kallsyms costs tens of ms: stop once every
	 * function was found and ended (their .cold parts live in
	 * .text.unlikely, which comes first). */
	while ((bases < (int)NR_FNS || open) && fgets(line, sizeof(line), f)) {
		uint64_t addr;
		char type, *name;
		size_t len;
		int kind;

		if (!parse_line(line, &addr, &type, &name, &len))
			return -EINVAL;
		if (type != 't' && type != 'T')
			continue;
		/* kallsyms lists kernel text in address order: the first later
		 * text symbol ends every range still open. */
		for (i = nr - open; i < nr; i++) {
			if (addr > out[i].start) {
				out[i].end = addr;
				open--;
			}
		}
		kind = kind_of(name, len);
		if (!kind || strchr(name, '['))
			continue;
		if (!addr)
			return -ENOENT;	/* kptr_restrict hides addresses */
		if (nr == max)
			return -ENOSPC;
		if (kind == CAPS_RANGE_INNER)
			inner[name_is(name, len, inner_fns[1])] = true;
		if (!memchr(name, '.', len))
			bases++;
		out[nr].start = addr;
		out[nr].end = 0;
		out[nr].kind = kind;
		nr++;
		open++;
	}
	if (!inner[0] || !inner[1] || open)
		return -ENOENT;
	return nr;
}

/*
 * The ranges cache (capabilities.c keeps it in /run/ig, root-only): reading
 * /proc/kallsyms is most of the gadget's start-up, and the addresses only
 * change at boot. Format: "ig-caps-ranges 1 BOOT_ID\n", then
 * "START END KIND\n" per range, hexadecimal.
 */
#define CACHE_MAGIC	"ig-caps-ranges 1"

int caps_ranges_save(FILE *f, const char *boot_id, const struct caps_range *r, int n)
{
	int i;

	fprintf(f, "%s %s\n", CACHE_MAGIC, boot_id);
	for (i = 0; i < n; i++)
		fprintf(f, "%llx %llx %u\n", (unsigned long long)r[i].start,
			(unsigned long long)r[i].end, r[i].kind);
	return ferror(f) ? -EIO : 0;
}

int caps_ranges_load(FILE *f, const char *boot_id, struct caps_range *out, int max)
{
	char line[128], want[128];
	unsigned long long start, end;
	unsigned int kind;
	int nr = 0, inner = 0;

	snprintf(want, sizeof(want), "%s %s\n", CACHE_MAGIC, boot_id);
	if (!fgets(line, sizeof(line), f))
		return -EINVAL;
	if (strncmp(line, CACHE_MAGIC " ", sizeof(CACHE_MAGIC)))
		return -EINVAL;
	if (strcmp(line, want))
		return -ESTALE;		/* written during another boot */
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx %llx %u", &start, &end, &kind) != 3 || start >= end ||
		    (kind != CAPS_RANGE_INNER && kind != CAPS_RANGE_NOAUDIT))
			return -EINVAL;
		if (nr == max)
			return -ENOSPC;
		out[nr].start = start;
		out[nr].end = end;
		out[nr].kind = kind;
		inner += kind == CAPS_RANGE_INNER;
		nr++;
	}
	return inner >= 2 ? nr : -EINVAL;	/* cap_capable and security_capable */
}
