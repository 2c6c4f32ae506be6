// SPDX-License-Identifier: Apache-2.0
/*
 * seccomp-advisor, --runs N: the command runs N times, each recorded from its
 * own execve into the command's slot. Between runs (desc->command_run) the
 * slot is read into a set of its own and emptied; the profile is the union
 * of the runs, and the report lists the syscalls only some runs made, with
 * how many of them did: the paths that timing, load or input decide.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <seccomp.h>

#include "seccomp_advisor_int.h"

void sa_runs__next(struct sa_state *st, uint32_t run, int pid)
{
	struct sa_set *setup = NULL, *last = NULL, **more;
	struct sa_target t = { 0 };

	if (!st->rec)
		return;
	if (sa_recorder__read(st->rec, &t, &setup, &last)) {
		IG_WARN(st->host, "run %u: cannot read its syscalls", run);
	} else {
		more = realloc(st->run_sets, (st->nr_runs + 1) * sizeof(*more));
		if (more) {
			st->run_sets = more;
			st->run_sets[st->nr_runs++] = last;
			last = NULL;
		}
	}
	sa_set__free(setup);
	sa_set__free(last);
	sa_recorder__next_run(st->rec, pid);
}

void sa_runs__or(const struct sa_state *st, struct sa_set *s)
{
	uint32_t i;

	for (i = 0; i < st->nr_runs; i++)
		sa_set__or(s, st->run_sets[i]);
}

struct only_some {
	char *name;
	uint32_t runs;
};

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct only_some *)a)->name, ((const struct only_some *)b)->name);
}

/* How many of the runs (the stored ones and last) made syscall nr. */
static uint32_t runs_with(const struct sa_state *st, const struct sa_set *last, bool compat,
			  uint32_t nr)
{
	uint32_t i, n = sa_set__has(last, compat, nr);

	for (i = 0; i < st->nr_runs; i++)
		n += sa_set__has(st->run_sets[i], compat, nr);
	return n;
}

json_t *sa_runs__only_some(const struct sa_state *st, const struct sa_set *last)
{
	uint32_t total = st->nr_runs + 1, nr, n = 0, k, cap = 64;
	struct only_some *v = calloc(cap, sizeof(*v));
	json_t *arr = json_array();
	int compat;

	for (compat = 0; v && arr && compat < 2 && st->nr_runs; compat++) {
		uint32_t arch = compat ? st->names.compat_arch : st->names.native_arch;

		for (nr = 0; arch && nr < last->nr_syscalls; nr++) {
			uint32_t used = runs_with(st, last, compat, nr);
			char *name;

			if (!used || used == total || n == cap)
				continue;
			name = seccomp_syscall_resolve_num_arch(arch, (int)nr);
			if (name)
				v[n++] = (struct only_some){ name, used };
		}
	}
	if (n)
		qsort(v, n, sizeof(*v), by_name);
	for (k = 0; k < n; k++) {
		if (arr && json_array_append_new(arr, json_pack("{s:s, s:i}", "syscall", v[k].name,
								 "runs", (int)v[k].runs))) {
			json_decref(arr);
			arr = NULL;
		}
		free(v[k].name);
	}
	free(v);
	return arr;
}

json_t *sa_runs__merge(const struct sa_state *st, struct sa_set *last)
{
	json_t *only = st->nr_runs ? sa_runs__only_some(st, last) : NULL;

	sa_runs__or(st, last);
	return only;
}

void sa_runs__free(struct sa_state *st)
{
	uint32_t i;

	for (i = 0; i < st->nr_runs; i++)
		sa_set__free(st->run_sets[i]);
	free(st->run_sets);
	st->run_sets = NULL;
	st->nr_runs = 0;
}
