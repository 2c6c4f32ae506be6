// SPDX-License-Identifier: Apache-2.0
/*
 * The bounded slot table. While a test runs, the mount namespaces that make
 * syscalls are the host's (ig, runc, this test) and the container's, so
 * --max-slots 2 leaves exactly one slot for containers: a container that
 * exits gives it back and the next one must start from an empty bitmap
 * (every CPU's cache copy of the old one dropped), and with --max-slots 1
 * the container is not recorded and the report names its namespace.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sa_helpers.h"

static char *profile_of(const char *dir, const struct igt_bundle *b)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s.json", dir, b->id);
	return igt_read_file(path, NULL);
}

Test(slots, freed_slot_starts_empty, .timeout = 120)
{
	const char *const a1[] = { "/bin/sync", NULL };
	const char *const a2[] = { "/bin/uname", "-s", NULL };
	/* Namespaces beyond the two slots are lost on purpose (exit 3). */
	const char *const extra[] = { "--max-slots", "2", "--allow-loss", NULL };
	struct igt_bundle *b[2] = { sa_bundle("sa-slot", a1, NULL), sa_bundle("sa-slot", a2, NULL) };
	const char *dir = sa_record_many(b, 2, extra);
	char *first = profile_of(dir, b[0]), *second = profile_of(dir, b[1]);

	cr_assert(first && second, "missing profiles in %s (was a container dropped?)", dir);
	cr_assert(sa_profile_allows(first, "sync"), "the first container's sync:\n%s", first);
	cr_assert(sa_profile_allows(second, "uname"), "the second container's uname:\n%s", second);
	cr_assert_not(sa_profile_allows(second, "sync"),
		      "the reused slot kept the first container's sync:\n%s", second);
	free(first);
	free(second);
	igt_bundle_destroy(b[0]);
	igt_bundle_destroy(b[1]);
	igt_tmpdir_remove(dir);
}

Test(slots, full_table_names_the_dropped_namespace, .timeout = 120)
{
	const char *const args[] = { "/bin/uname", "-s", NULL };
	struct igt_bundle *b = sa_bundle("sa-full", args, NULL);
	char dir[64], *text;
	struct igt_result *r, *run;
	struct igt_proc *p;

	igt_tmpdir_new(dir, sizeof(dir), "sa-full");
	p = igt_spawn_ig_ready("run", "seccomp-advisor", "-c", b->id, "--output-dir", dir,
			       "--max-slots", "1", NULL);
	run = igt_bundle_run(b, 30000);
	cr_assert_eq(run->status, 0, "container run failed: %s", run->err);
	r = igt_proc_finish(p, SIGINT, 15000);
	cr_assert(strstr(r->err, "slots full (--max-slots 1): mount namespace "),
		  "no dropped namespace in ig's report:\n%s", r->err);
	text = profile_of(dir, b);
	cr_assert_null(text, "a profile was written for a container that had no slot:\n%s", text);
	igt_result_free(r);
	igt_result_free(run);
	igt_bundle_destroy(b);
	igt_tmpdir_remove(dir);
}
