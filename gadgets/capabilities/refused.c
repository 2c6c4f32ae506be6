// SPDX-License-Identifier: Apache-2.0
/*
 * The advice's refused checks: capabilities the workload asked for and was
 * only ever refused, so it went on without them. They are not advised
 * (advise.c); they are listed apart, one entry per capability and syscall
 * with its count, and one note per capability.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capabilities_int.h"

static int by_cap_syscall(const void *x, const void *y)
{
	const struct caps_refusal *a = x, *b = y;

	if (a->cap != b->cap)
		return a->cap < b->cap ? -1 : 1;
	return a->syscall < b->syscall ? -1 : a->syscall > b->syscall;
}

/* The refusals of capabilities never granted, sorted; *n of them. */
static struct caps_refusal *only_refused(const struct caps_advice *a, uint32_t *n)
{
	struct caps_refusal *v = calloc(a->nr_refusals + 1, sizeof(*v));
	uint32_t i;

	*n = 0;
	for (i = 0; v && i < a->nr_refusals; i++)
		if (!(a->needed & (1ull << a->refusals[i].cap)))
			v[(*n)++] = a->refusals[i];
	if (v)
		qsort(v, *n, sizeof(*v), by_cap_syscall);
	return v;
}

json_t *caps_refused_array(const struct caps_advice *a, caps_syscall_name_fn sysname)
{
	json_t *arr = json_array();
	struct caps_refusal *v;
	uint32_t i, n;
	char buf[32];

	v = only_refused(a, &n);
	for (i = 0; arr && v && i < n; i++) {
		if (json_array_append_new(arr, json_pack("{s:s, s:s, s:I, s:s, s:I}",
				"capability", caps_name(v[i].cap),
				"syscall", caps_syscall_text(sysname, v[i].syscall, buf, sizeof(buf)),
				"count", (json_int_t)v[i].count, "comm", v[i].comm,
				"pid", (json_int_t)v[i].pid))) {
			json_decref(arr);
			arr = NULL;
		}
	}
	if (!v) {
		json_decref(arr);
		arr = NULL;
	}
	free(v);
	return arr;
}

/* "setuid, capset" for the refusals of one capability (sorted v). */
static void syscalls_of(const struct caps_refusal *v, uint32_t n, uint8_t cap,
			caps_syscall_name_fn sysname, char *out, size_t size)
{
	size_t off = 0;
	uint32_t i;
	char buf[32];

	out[0] = '\0';
	for (i = 0; i < n && off < size; i++)
		if (v[i].cap == cap)
			off += snprintf(out + off, size - off, "%s%s", off ? ", " : "",
					caps_syscall_text(sysname, v[i].syscall, buf, sizeof(buf)));
}

int caps_refused_notes(const struct caps_advice *a, json_t *notes, caps_syscall_name_fn sysname)
{
	struct caps_refusal *v;
	char text[512], calls[192];
	uint32_t i, n;
	int err = 0;

	v = only_refused(a, &n);
	if (!v)
		return -1;
	for (i = 0; i < n && !err; i++) {
		if (i && v[i].cap == v[i - 1].cap)
			continue;
		syscalls_of(v, n, v[i].cap, sysname, calls, sizeof(calls));
		snprintf(text, sizeof(text), "the workload asked for %s and was refused every "
			 "time (%llu time%s, in %s; first by %s pid %u): it went on without it, "
			 "so it is not in the advice; add it only if the workload failed for "
			 "want of it", caps_name(v[i].cap),
			 (unsigned long long)a->denied_count[v[i].cap],
			 a->denied_count[v[i].cap] == 1 ? "" : "s", calls, v[i].comm, v[i].pid);
		err = json_array_append_new(notes, json_string(text));
	}
	if (!err && a->refusals_untold) {
		snprintf(text, sizeof(text), "%llu more refused checks are counted but not "
			 "listed (more than %d capability and syscall pairs)",
			 (unsigned long long)a->refusals_untold, CAPS_MAX_REFUSALS);
		err = json_array_append_new(notes, json_string(text));
	}
	free(v);
	return err;
}
