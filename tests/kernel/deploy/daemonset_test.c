// SPDX-License-Identifier: Apache-2.0
/*
 * The ig command of deploy/ig-daemonset.yaml, taken from the manifest and run
 * as the pod would run it, minus Kubernetes: the built ig for /usr/bin/ig and
 * a temporary directory for the host's profile directory. A runc container
 * runs and exits while it records; kubelet's SIGTERM stops it. The container's
 * SeccompProfile must be in the directory, valid against the SPO CRD, and
 * allow what the container did. (The command records every container of the
 * node, so other containers running here may leave profiles beside it.)
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tests/lib/igtest.h"

#define MAX_ARGS 32

/* The manifest's ig command, one arg a line, into argv (strings in *text). */
static int manifest_command(char **text, const char *argv[], int max)
{
	struct igt_result *r = igt_run((const char *const[]){ "node",
		"tests/schema/validate-manifests.mjs", "--command", "deploy/ig-daemonset.yaml",
		NULL }, 30000);
	char *line, *save = NULL;
	int n = 0;

	cr_assert_eq(r->status, 0, "validate-manifests.mjs --command: %s", r->err);
	*text = strdup(r->out);
	igt_result_free(r);
	for (line = strtok_r(*text, "\n", &save); line && n < max; line = strtok_r(NULL, "\n", &save))
		argv[n++] = line;
	return n;
}

static void validate_spo(const char *path)
{
	struct igt_result *r = igt_run((const char *const[]){ "/usr/bin/python3",
		"tests/kernel/seccomp-advisor/validate.py", "spo", path, NULL }, 30000);

	cr_assert_eq(r->status, 0, "SPO schema validation failed:\n%s%s", r->out, r->err);
	igt_result_free(r);
}

static void wait_ready(const char *path, struct igt_proc *ig)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	int i;

	for (i = 0; i < 1000 && access(path, F_OK); i++)
		nanosleep(&ts, NULL);
	if (access(path, F_OK))
		cr_assert_fail("ig did not get ready: %s", igt_proc_finish(ig, SIGKILL, 5000)->err);
}

Test(daemonset, command_records_a_container_into_the_host_dir, .timeout = 120)
{
	const char *argv[MAX_ARGS + 3];
	const char *const work[] = { "/bin/sh", "-c", "echo recorded > /tmp/f; cat /tmp/f", NULL };
	char *text, dir[64], ready[96], id[64], prof[512], *doc;
	struct igt_bundle *b;
	struct igt_result *r;
	struct igt_proc *ig;
	int n, i, dirs = 0;

	n = manifest_command(&text, argv, MAX_ARGS);
	cr_assert_str_eq(argv[0], "/usr/bin/ig", "the pod runs %s", argv[0]);
	argv[0] = igt_ig_path();
	igt_tmpdir_new(dir, sizeof(dir), "deploy");
	for (i = 1; i < n; i++) {
		if (!strcmp(argv[i - 1], "--output-dir")) {
			argv[i] = dir;	/* the hostPath volume */
			dirs++;
		}
	}
	cr_assert_eq(dirs, 1, "no --output-dir in the manifest's command");
	snprintf(ready, sizeof(ready), "%s.ready", dir);
	argv[n++] = "--ready-file";
	argv[n++] = ready;
	argv[n] = NULL;

	ig = igt_spawn(argv);
	wait_ready(ready, ig);
	b = igt_bundle_new(igt_unique_id(id, "deploy"), work);
	igt_bundle_write(b);
	r = igt_bundle_run(b, 30000);
	cr_assert_eq(r->status, 0, "container: %s", r->err);
	cr_assert(strstr(r->out, "recorded"), "%s", r->out);
	igt_result_free(r);
	r = igt_proc_finish(ig, SIGTERM, 30000);	/* what kubelet sends */
	cr_assert_eq(r->status, 0, "ig: %s", r->err);
	cr_assert(strstr(r->out, id), "the container is not in ig's table:\n%s", r->out);
	igt_result_free(r);

	/* no pod: one profile per container, named after it */
	snprintf(prof, sizeof(prof), "%s/%s.json", dir, id);
	doc = igt_read_file(prof, NULL);
	cr_assert_not_null(doc, "no profile %s for the container", prof);
	cr_assert(strstr(doc, "SeccompProfile") && strstr(doc, id), "not the container's SPO "
		  "profile: %s", doc);
	cr_assert(strstr(doc, "\"write\""), "write (echo) not allowed: %s", doc);
	validate_spo(prof);
	free(doc);
	free(text);
	unlink(ready);
	igt_bundle_destroy(b);
	igt_tmpdir_remove(dir);
}
