// SPDX-License-Identifier: Apache-2.0
/*
 * Cases 3 and 4 of issue 17: containers ig used to skip silently, and state
 * files that hung it.
 *   - an annotation holding \u0000, a state.json of more than 4 MiB: the
 *     container is tracked and its execs traced;
 *   - a state that cannot be read is a warning naming it, without -v;
 *   - stopped containers with state files of many MiB cost no warning;
 *   - a FIFO state.json or config.json appearing during a run does not hang
 *     ig past its timeout.
 */
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <jansson.h>

#include "tests/kernel/hostile/hostile_helpers.h"

TestSuite(runc_state, .timeout = 120);

static void nul_annotation(struct igt_bundle *b)
{
	json_t *a;

	igt_bundle_annotate(b, "io.kubernetes.cri.container-name", "placeholder");
	a = json_object_get(b->config, "annotations");
	json_object_set_new(a, "io.kubernetes.cri.container-name",
			    json_stringn("nul-name\0tail", 13));
	json_object_set_new(a, "igt.nul", json_stringn("a\0b", 3));
}

/* 5 MiB in one annotation: runc copies it into state.json's labels. */
static void big_annotation(struct igt_bundle *b)
{
	size_t n = 5u << 20;
	char *big = malloc(n + 1);

	cr_assert_not_null(big);
	memset(big, 'x', n);
	big[n] = '\0';
	igt_bundle_annotate(b, "io.kubernetes.cri.container-name", "big-state");
	igt_bundle_annotate(b, "igt.big", big);
	free(big);
}

/* list-containers lists b, and trace-exec on it sees an exec in it. */
static void expect_tracked(struct igt_bundle *b, const char *name)
{
	const char *const argv[] = { "/bin/true", "igt-tracked", NULL };
	struct igt_result *r = igt_ig(20000, "list-containers", "-o", "json", NULL);
	struct igt_proc *p;
	struct igt_result *ex;
	char want[128];

	cr_expect_eq(r->status, 0, "%s", r->err);
	cr_expect(strstr(r->out, b->id), "%s not listed: %s\n%s", b->id, r->out, r->err);
	igt_result_free(r);
	p = igt_spawn_ig_ready("run", "trace-exec", "-c", name, "-o", "json", NULL);
	ex = igt_bundle_exec(b, argv, 20000);
	cr_expect_eq(ex->status, 0, "%s", ex->err);
	igt_result_free(ex);
	usleep(300 * 1000);
	r = igt_proc_finish(p, SIGINT, 10000);
	snprintf(want, sizeof(want), "\"containerName\":\"%s\"", name);
	cr_expect(strstr(r->out, "igt-tracked") && strstr(r->out, want),
		  "the exec in %s was not traced: %s\n%s", name, r->out, r->err);
	igt_result_free(r);
}

Test(runc_state, nul_in_an_annotation)
{
	struct igt_bundle *b = hs_container("nul", nul_annotation);

	expect_tracked(b, "nul-name");
	igt_bundle_destroy(b);
}

Test(runc_state, state_file_over_4_mib)
{
	struct igt_bundle *b = hs_container("big", big_annotation);
	char path[PATH_MAX];
	struct stat sb;

	snprintf(path, sizeof(path), "/run/runc/%s/state.json", b->id);
	cr_assert_eq(stat(path, &sb), 0);
	cr_assert_gt(sb.st_size, 4 << 20, "runc wrote %lld bytes", (long long)sb.st_size);
	expect_tracked(b, "big-state");
	igt_bundle_destroy(b);
}

Test(runc_state, unreadable_state_is_a_warning_without_v)
{
	char root[256], path[PATH_MAX];
	struct igt_result *r;

	igt_tmpdir_new(root, sizeof(root), "warnroot");
	snprintf(path, sizeof(path), "%s/half-written", root);
	cr_assert_eq(mkdir(path, 0700), 0);
	strcat(path, "/state.json");
	hs_write(path, "{\"id\": \"half-written\", \"init_process_pid\": ");
	r = igt_ig(20000, "list-containers", "--runtime-root", root, NULL);
	cr_expect_eq(r->status, 0, "%s", r->err);
	cr_expect(strstr(r->err, "warning") && strstr(r->err, "skipping container half-written"),
		  "no warning without -v: %s", r->err);
	igt_result_free(r);
	igt_tmpdir_remove(root);
}

/* Stopped containers (runc keeps their state until `runc delete`) with
 * states of 8 MiB: nothing to say, and not read past their pid (what
 * follows it here is not even JSON). */
Test(runc_state, stopped_containers_with_big_states)
{
	static const char head[] = "{\"id\":\"stopped-%d\",\"init_process_pid\":%d,"
				   "\"init_process_start\":1,\"config\":{";
	size_t n = 8u << 20;
	char root[256], path[PATH_MAX], *text = malloc(n);
	struct igt_result *r;
	long t0;
	FILE *f;

	cr_assert_not_null(text);
	igt_tmpdir_new(root, sizeof(root), "stoproot");
	memset(text, '@', n);
	for (int i = 0; i < 10; i++) {
		snprintf(path, sizeof(path), "%s/stopped-%d", root, i);
		cr_assert_eq(mkdir(path, 0700), 0);
		strcat(path, "/state.json");
		f = fopen(path, "w");
		cr_assert_not_null(f);
		fprintf(f, head, i, (int)hs_free_pid());
		fwrite(text, 1, n, f);
		fclose(f);
	}
	free(text);
	t0 = hs_now_ms();
	/* -v: a state ig tried to read whole would be named (too large, not
	 * JSON); a stopped container is no problem to report. */
	r = igt_ig(20000, "list-containers", "-v", "--runtime-root", root, NULL);
	cr_log_info("list-containers with 10 stopped 8 MiB states: %ld ms", hs_now_ms() - t0);
	cr_expect_eq(r->status, 0, "%s", r->err);
	cr_expect_not(strstr(r->err, "stopped-"), "a stopped container is not a problem: %s",
		      r->err);
	igt_result_free(r);
	igt_tmpdir_remove(root);
}

/* A FIFO where state.json or config.json should be, appearing while ig
 * runs: ig must still stop at its timeout. */
Test(runc_state, fifo_state_during_a_run)
{
	struct igt_bundle *b = hs_container("fifo", NULL);
	char root[256], bundle[256], path[PATH_MAX], *state;
	struct igt_proc *p;
	struct igt_result *r;
	long t0;

	igt_tmpdir_new(root, sizeof(root), "fiforoot");
	igt_tmpdir_new(bundle, sizeof(bundle), "fifobundle");
	p = igt_spawn_ig_ready("run", "trace-exec", "--runtime-root", root, "-t", "3", "-o",
			       "json", NULL);
	t0 = hs_now_ms();
	/* A container directory that arrives whole (renamed in), so ig reads
	 * its state.json at once. */
	snprintf(path, sizeof(path), "%s/fifo-state", bundle);
	cr_assert_eq(mkdir(path, 0700), 0);
	strcat(path, "/state.json");
	cr_assert_eq(mkfifo(path, 0600), 0);
	{
		char from[PATH_MAX], to[PATH_MAX];

		snprintf(from, sizeof(from), "%s/fifo-state", bundle);
		snprintf(to, sizeof(to), "%s/fifo-state", root);
		cr_assert_eq(rename(from, to), 0);
	}
	/* A real state whose bundle holds a FIFO config.json. */
	snprintf(path, sizeof(path), "%s/config.json", bundle);
	cr_assert_eq(mkfifo(path, 0600), 0);
	state = hs_state_copy(b, "fifo-config", 0);
	{
		json_t *st = json_loads(state, 0, NULL);
		char label[300];

		snprintf(label, sizeof(label), "bundle=%s", bundle);
		json_array_append_new(json_object_get(json_object_get(st, "config"), "labels"),
				      json_string(label));
		free(state);
		state = json_dumps(st, JSON_COMPACT);
		json_decref(st);
	}
	snprintf(path, sizeof(path), "%s/fifo-config", root);
	cr_assert_eq(mkdir(path, 0700), 0);
	strcat(path, "/state.json");
	hs_write(path, state);
	free(state);
	r = igt_proc_finish(p, 0, 20000);
	cr_log_info("ig with FIFO state files ended %ld ms after they appeared (-t 3)",
		    hs_now_ms() - t0);
	cr_expect_eq(r->status, 0, "ig did not end at its timeout (%d): %s", r->status, r->err);
	cr_expect(strstr(r->err, "fifo-state") && strstr(r->err, "not a regular file"), "%s",
		  r->err);
	igt_result_free(r);
	igt_tmpdir_remove(root);
	igt_tmpdir_remove(bundle);
	igt_bundle_destroy(b);
}
