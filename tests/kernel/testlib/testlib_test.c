// SPDX-License-Identifier: Apache-2.0
/*
 * Tests of the test helpers themselves (tests/lib/): real runc containers
 * with the busybox rootfs, process capture and timeouts.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/lib/igtest.h"

static struct igt_bundle *new_bundle(const char *tag, const char *const args[])
{
	char id[64];

	return igt_bundle_new(igt_unique_id(id, tag), args);
}

Test(testlib, container_prints_what_it_was_told, .timeout = 60)
{
	const char *const args[] = { "/bin/sh", "-c", "echo told-$((6 * 7)); echo err >&2; exit 3",
				     NULL };
	struct igt_bundle *b = new_bundle("echo", args);
	struct igt_result *r = igt_bundle_run(b, 20000);

	cr_assert_not(r->timed_out);
	cr_assert_eq(r->status, 3, "status %d, stderr: %s", r->status, r->err);
	cr_assert_str_eq(r->out, "told-42\n");
	cr_assert(strstr(r->err, "err\n"), "stderr: %s", r->err);
	igt_result_free(r);
	igt_bundle_destroy(b);
}

Test(testlib, container_has_users_and_tmp, .timeout = 60)
{
	const char *const args[] = { "/bin/sh", "-c",
		"id -un; grep -c nobody /etc/passwd; stat -c %a /tmp; hostname; touch /tmp/x",
		NULL };
	struct igt_bundle *b = new_bundle("etc", args);
	struct igt_result *r = igt_bundle_run(b, 20000);
	char want[200];

	snprintf(want, sizeof(want), "root\n1\n1777\n%s\n", b->id);
	cr_assert_eq(r->status, 0, "status %d, stderr: %s", r->status, r->err);
	cr_assert_str_eq(r->out, want);
	igt_result_free(r);
	igt_bundle_destroy(b);
}

Test(testlib, two_containers_in_parallel, .timeout = 60)
{
	const char *const a1[] = { "/bin/sh", "-c", "sleep 30", NULL };
	const char *const a2[] = { "/bin/sh", "-c", "echo second", NULL };
	struct igt_bundle *b1 = new_bundle("par1", a1);
	struct igt_bundle *b2 = new_bundle("par2", a2);
	struct igt_result *r;

	cr_assert_str_neq(b1->id, b2->id);
	igt_bundle_start(b1);
	r = igt_bundle_run(b2, 20000);
	cr_assert_eq(r->status, 0, "stderr: %s", r->err);
	cr_assert_str_eq(r->out, "second\n");
	igt_result_free(r);
	igt_bundle_destroy(b2);
	igt_bundle_destroy(b1);
}

Test(testlib, annotation_lands_in_config, .timeout = 30)
{
	const char *const args[] = { "/bin/true", NULL };
	struct igt_bundle *b = new_bundle("annot", args);
	char path[400];
	json_t *cfg;
	const char *v;

	igt_bundle_annotate(b, "io.kubernetes.pod.name", "mypod");
	igt_bundle_write(b);
	snprintf(path, sizeof(path), "%s/config.json", b->dir);
	cfg = json_load_file(path, 0, NULL);
	cr_assert_not_null(cfg);
	v = json_string_value(json_object_get(json_object_get(cfg, "annotations"),
					      "io.kubernetes.pod.name"));
	cr_assert_str_eq(v ?: "(none)", "mypod");
	cr_assert_eq(json_array_size(json_object_get(json_object_get(json_object_get(cfg,
		"process"), "capabilities"), "bounding")), 14);
	json_decref(cfg);
	igt_bundle_destroy(b);
}

static char *runc_state(const char *id, int *status)
{
	const char *argv[] = { "runc", "state", id, NULL };
	struct igt_result *r = igt_run(argv, 20000);
	char *out = strdup(r->out);

	*status = r->status;
	igt_result_free(r);
	return out;
}

Test(testlib, detached_container_runs_until_destroyed, .timeout = 60)
{
	const char *const args[] = { "/bin/sleep", "60", NULL };
	struct igt_bundle *b = new_bundle("detach", args);
	char id[64], dir[256];
	struct stat st;
	char *state;
	int status;

	igt_bundle_start(b);
	state = runc_state(b->id, &status);
	cr_assert_eq(status, 0);
	cr_assert(strstr(state, "\"running\""), "state: %s", state);
	free(state);
	snprintf(id, sizeof(id), "%s", b->id);
	snprintf(dir, sizeof(dir), "%s", b->dir);
	igt_bundle_destroy(b);
	state = runc_state(id, &status);
	cr_assert_neq(status, 0, "container %s still there: %s", id, state);
	free(state);
	cr_assert_neq(stat(dir, &st), 0, "%s still exists", dir);
}

Test(testlib, static_fixture_runs_in_container, .timeout = 60)
{
	const char *const args[] = { "/usr/local/bin/hello", "a", "b", NULL };
	struct igt_bundle *b = new_bundle("fixture", args);
	char host[512];
	struct igt_result *r;

	snprintf(host, sizeof(host), "%s/tests/fixtures/static/hello", igt_build_dir());
	igt_bundle_add_file(b, host, "/usr/local/bin/hello");
	r = igt_bundle_run(b, 20000);
	cr_assert_eq(r->status, 2, "status %d, stderr: %s", r->status, r->err);
	cr_assert_str_eq(r->out, "hello from pid 1: a b\n");
	igt_result_free(r);
	igt_bundle_destroy(b);
}

Test(testlib, run_timeout_kills, .timeout = 30)
{
	const char *const argv[] = { "/bin/sh", "-c", "echo started; sleep 20; echo late", NULL };
	struct igt_result *r = igt_run(argv, 300);

	cr_assert(r->timed_out);
	cr_assert_eq(r->status, 128 + 9);
	cr_assert_str_eq(r->out, "started\n");
	igt_result_free(r);
}

Test(testlib, run_captures_1mb_without_deadlock, .timeout = 30)
{
	const char *const argv[] = { "/bin/sh", "-c",
		"head -c 1048576 /dev/zero | tr '\\0' x; head -c 300000 /dev/zero | tr '\\0' e >&2",
		NULL };
	struct igt_result *r = igt_run(argv, 20000);

	cr_assert_not(r->timed_out);
	cr_assert_eq(r->status, 0, "stderr: %.200s", r->err);
	cr_assert_eq(r->out_len, 1048576);
	cr_assert_eq(r->err_len, 300000);
	cr_assert_eq(strlen(r->out), 1048576);
	cr_assert_eq(igt_count(r->out, "xxxxxxxx"), 1048576 / 8);
	igt_result_free(r);
}

Test(testlib, run_env_and_status, .timeout = 30)
{
	const char *const argv[] = { "/bin/sh", "-c", "echo $IGT_X; kill -TERM $$", NULL };
	const char *const env[] = { "IGT_X=hello-env", NULL };
	struct igt_result *r = igt_run_env(argv, env, 20000);

	cr_assert_not(r->timed_out);
	cr_assert_eq(r->status, 128 + 15);
	cr_assert_str_eq(r->out, "hello-env\n");
	igt_result_free(r);
	r = igt_run((const char *const[]){ "igt-no-such-program", NULL }, 20000);
	cr_assert_eq(r->status, 127);
	cr_assert(strstr(r->err, "igt-no-such-program"));
	igt_result_free(r);
}

Test(testlib, spawn_wait_finish, .timeout = 30)
{
	const char *const argv[] = { "/bin/sh", "-c",
		"trap 'echo got-int; exit 5' INT; echo ready >&2; while :; do sleep 0.05; done",
		NULL };
	struct igt_proc *p = igt_spawn(argv);
	struct igt_result *r;

	cr_assert(igt_proc_wait_output(p, "ready", 10000));
	cr_assert_not(igt_proc_wait_output(p, "never-printed", 200));
	r = igt_proc_finish(p, SIGINT, 10000);
	cr_assert_not(r->timed_out);
	cr_assert_eq(r->status, 5, "status %d", r->status);
	cr_assert_str_eq(r->out, "got-int\n");
	igt_result_free(r);
}

Test(testlib, build_dir_from_exe)
{
	char path[600];
	struct stat st;

	snprintf(path, sizeof(path), "%s/tests", igt_build_dir());
	cr_assert_eq(stat(path, &st), 0, "%s", path);
	cr_assert(S_ISDIR(st.st_mode));
	cr_assert(strstr(igt_ig_path(), "/ig"));
}

/*
 * Where igt_spawn_ig_ready() puts --ready-file: before "--" or at the end.
 * ig itself is not the subject here, so a shell script stands in for it
 * (via IG_BUILD_DIR): it records its argv and writes its pid where told.
 */
static const char fake_ig[] =
	"#!/bin/sh\n"
	"echo \"$*\"\n"
	"while [ $# -gt 0 ]; do\n"
	"  if [ \"$1\" = --ready-file ]; then echo $$ > \"$2\"; fi\n"
	"  shift\n"
	"done\n"
	"trap 'exit 0' TERM\n"
	"while :; do sleep 0.05; done\n";

static char fake_dir[64];

static void fake_ig_setup(void)
{
	char path[128];
	FILE *f;

	snprintf(fake_dir, sizeof(fake_dir), "/tmp/igt-fakeig-XXXXXX");
	cr_assert_not_null(mkdtemp(fake_dir));
	snprintf(path, sizeof(path), "%s/ig", fake_dir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(fake_ig, f);
	fclose(f);
	chmod(path, 0755);
	setenv("IG_BUILD_DIR", fake_dir, 1);
}

static void fake_ig_teardown(void)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/ig", fake_dir);
	unlink(path);
	rmdir(fake_dir);
}

static void check_ready_args(struct igt_proc *p, const char *before, const char *after)
{
	struct igt_result *r = igt_proc_finish(p, SIGTERM, 10000);
	char *rf = strstr(r->out, "--ready-file /tmp/igt-ready-");
	char *space;

	cr_assert_eq(r->status, 0, "status %d: %s", r->status, r->err);
	cr_assert_not_null(rf, "no --ready-file in: %s", r->out);
	cr_assert_eq(strncmp(r->out, before, strlen(before)), 0, "argv: %s", r->out);
	cr_assert_eq(rf - r->out, (long)strlen(before), "argv: %s", r->out);
	space = strchr(rf + strlen("--ready-file "), ' ');
	cr_assert_str_eq(space ? space : "\n", after, "argv: %s", r->out);
	igt_result_free(r);
}

Test(testlib, ready_file_before_double_dash, .init = fake_ig_setup, .fini = fake_ig_teardown,
     .timeout = 30)
{
	struct igt_proc *p = igt_spawn_ig_ready("run", "g", "-o", "json", "--", "/bin/true", "--",
						NULL);

	check_ready_args(p, "run g -o json ", " -- /bin/true --\n");
}

Test(testlib, ready_file_at_end, .init = fake_ig_setup, .fini = fake_ig_teardown, .timeout = 30)
{
	struct igt_proc *p = igt_spawn_ig_ready("run", "trace-exec", "-o", "json", NULL);

	check_ready_args(p, "run trace-exec -o json ", "\n");
}

Test(testlib, container_loopback_and_hosts, .timeout = 60)
{
	const char *const args[] = { "/bin/sh", "-c", "ping -c 1 -W 5 localhost", NULL };
	struct igt_bundle *b = new_bundle("lo", args);
	struct igt_result *r = igt_bundle_run(b, 20000);

	cr_assert_eq(r->status, 0, "status %d: %s%s", r->status, r->out, r->err);
	cr_assert(strstr(r->out, "1 packets received"), "%s", r->out);
	cr_assert(strstr(r->out, "127.0.0.1"), "%s", r->out);
	igt_result_free(r);
	igt_bundle_destroy(b);
}
