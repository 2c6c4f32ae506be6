// SPDX-License-Identifier: Apache-2.0
/*
 * The bounded slot table. Every mount namespace that makes a syscall while ig
 * runs takes a slot: this test's (ig, runc), and any other with live processes
 * (the host's when the test runs in a root of its own, as make check-fresh
 * does; sandboxed services; other containers). With one slot more than those,
 * taken by them first, exactly one is left for containers: a container that
 * exits gives it back and the next one must start from an empty bitmap
 * (every CPU's cache copy of the old one dropped). With --max-slots 1 the
 * container is not recorded and the report names its namespace.
 */
#include <criterion/criterion.h>
#include <dirent.h>
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

#define MAX_NS 512

/* One pid in each mount namespace that has live processes; returns how many. */
static int live_mntns(pid_t pids[], int max)
{
	char path[300], ns[MAX_NS][32], link[32];
	struct dirent *de;
	DIR *d = opendir("/proc");
	int n = 0, i;
	ssize_t len;

	cr_assert_not_null(d);
	while ((de = readdir(d)) && n < max) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/ns/mnt", de->d_name);
		len = readlink(path, link, sizeof(link) - 1);
		if (len <= 0)
			continue;	/* gone, or a kernel thread */
		link[len] = '\0';
		for (i = 0; i < n && strcmp(ns[i], link); i++)
			;
		if (i < n)
			continue;
		snprintf(ns[n], sizeof(ns[n]), "%s", link);
		pids[n++] = atoi(de->d_name);
	}
	closedir(d);
	cr_assert_lt(n, max, "more than %d mount namespaces", max);
	return n;
}

/* A syscall in the mount namespace of pid (setns, then a failing exec). */
static void touch_mntns(pid_t pid)
{
	char ns[64];

	snprintf(ns, sizeof(ns), "--mount=/proc/%d/ns/mnt", (int)pid);
	igt_result_free(igt_run((const char *const[]){ "nsenter", ns, "--",
		"/nonexistent-igt", NULL }, 10000));
}

Test(slots, freed_slot_starts_empty, .timeout = 120)
{
	const char *const a1[] = { "/bin/sync", NULL };
	const char *const a2[] = { "/bin/uname", "-s", NULL };
	struct igt_bundle *b[2] = { sa_bundle("sa-slot", a1, NULL), sa_bundle("sa-slot", a2, NULL) };
	char dir[64], sel[160], slots[16], *first, *second;
	pid_t pids[MAX_NS];
	struct igt_result *r;
	struct igt_proc *p;
	int n = live_mntns(pids, MAX_NS), i;

	igt_tmpdir_new(dir, sizeof(dir), "sa-slot");
	snprintf(sel, sizeof(sel), "%s,%s", b[0]->id, b[1]->id);
	snprintf(slots, sizeof(slots), "%d", n + 1);
	p = igt_spawn_ig_ready("run", "seccomp-advisor", "-c", sel, "--output-dir", dir,
			       "--max-slots", slots,
			       /* namespaces beyond the slots are lost on purpose (exit 3) */
			       "--allow-loss", NULL);
	for (i = 0; i < n; i++)
		touch_mntns(pids[i]);	/* they take their slots before the containers */
	for (i = 0; i < 2; i++) {
		r = igt_bundle_run(b[i], 30000);
		cr_assert_eq(r->status, 0, "recording run of %s failed: %s", b[i]->id, r->err);
		igt_result_free(r);
	}
	r = igt_proc_finish(p, SIGINT, 15000);
	cr_assert_eq(r->status, 0, "ig failed: %s", r->err);
	first = profile_of(dir, b[0]);
	second = profile_of(dir, b[1]);

	cr_assert(first && second, "missing profiles in %s (was a container dropped?): %s", dir,
		  r->err);
	igt_result_free(r);
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
