// SPDX-License-Identifier: Apache-2.0
/*
 * The other default roots: containerd's /run/containerd/runc/<namespace>/
 * (a namespace directory that appears while ig runs) and Docker's
 * /run/docker/runtime-runc/moby, driven with `runc --root` as containerd's
 * shim and dockerd do. Directories the test created are removed again.
 */
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "ctr_helpers.h"

/* mkdir -p, remembering which components were created (to rmdir them). */
static int mkdirs(const char *path, char made[][PATH_MAX], int max)
{
	char buf[PATH_MAX];
	int n = 0;

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1;; p++) {
		if (*p != '/' && *p)
			continue;
		char c = *p;

		*p = '\0';
		if (!mkdir(buf, 0711) && n < max)
			snprintf(made[n++], PATH_MAX, "%s", buf);
		*p = c;
		if (!c)
			break;
	}
	return n;
}

static void rmdirs(char made[][PATH_MAX], int n)
{
	while (n-- > 0)
		rmdir(made[n]);
}

static void runc_root(const char *root, const char *what, struct igt_bundle *b)
{
	char cmd[PATH_MAX * 3];
	int rc;

	if (!strcmp(what, "run"))
		snprintf(cmd, sizeof(cmd), "runc --root %s run -d --bundle %s %s "
			 "</dev/null >/dev/null 2>&1", root, b->dir, b->id);
	else
		snprintf(cmd, sizeof(cmd), "runc --root %s delete --force %s >/dev/null 2>&1",
			 root, b->id);
	rc = system(cmd);
	if (!strcmp(what, "run"))
		cr_assert_eq(rc, 0, "%s", cmd);
}

/* dockerd's record of a container: where its name and image come from. */
static int docker_config(struct igt_bundle *b, char made[][PATH_MAX], int max)
{
	char dir[PATH_MAX], path[PATH_MAX + 32];
	int n;
	FILE *f;

	snprintf(dir, sizeof(dir), "/var/lib/docker/containers/%s", b->id);
	n = mkdirs(dir, made, max);
	snprintf(path, sizeof(path), "%s/config.v2.json", dir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fprintf(f, "{\"ID\":\"%s\",\"Name\":\"/dk-%s\",\"Config\":{\"Image\":\"nginx:igt\"}}",
		b->id, b->id);
	fclose(f);
	return n;
}

static void check_root(const char *root, const char *parent_to_create, const char *runtime)
{
	const char *const args[] = { "/bin/sh", "-c", "while true; do sleep 1; done", NULL };
	char ready[64], made[8][PATH_MAX], needle[96], id[64];
	const char *const argv[] = { igt_ig_path(), "list-containers", "--watch", "-o", "json",
				     "--ready-file", ready, NULL };
	struct igt_bundle *b;
	struct igt_proc *p;
	struct igt_result *r;
	int nmade;
	json_t *o;

	/* The parent may exist or not; ig must cope with both. */
	nmade = mkdirs(parent_to_create, made, 8);
	snprintf(ready, sizeof(ready), "/tmp/igt-roots-ready-%d", getpid());
	unlink(ready);
	p = igt_spawn(argv);
	cr_assert_eq(ctr_wait_file(ready, "\n", 20000), 0, "not ready");
	b = igt_bundle_new(igt_unique_id(id, "root"), args);
	igt_bundle_write(b);
	if (!strcmp(runtime, "docker"))
		nmade += docker_config(b, made + nmade, 8 - nmade);
	nmade += mkdirs(root, made + nmade, 8 - nmade);	/* appears after ig started */
	runc_root(root, "run", b);
	snprintf(needle, sizeof(needle), "\"%s\"", b->id);
	cr_expect_eq(ctr_wait_file(p->out_path, needle, 10000), 0, "not ADDED from %s", root);
	runc_root(root, "kill", b);
	cr_expect_eq(ctr_wait_file(p->out_path, "REMOVED", 10000), 0, "not REMOVED");
	r = igt_proc_finish(p, SIGINT, 10000);
	o = ctr_find_line(r->out, "event", "ADDED", "id", b->id);
	cr_expect_not_null(o, "%s\n%s", r->out, r->err);
	cr_expect_str_eq(ctr_str(o, "runtime"), runtime);
	if (!strcmp(runtime, "docker")) {
		char name[80];

		snprintf(name, sizeof(name), "dk-%s", b->id);
		cr_expect_str_eq(ctr_str(o, "name"), name, "Docker's name");
		cr_expect_str_eq(ctr_str(o, "image"), "nginx:igt");
	} else {
		cr_expect_str_eq(ctr_str(o, "name"), b->id);
	}
	json_decref(o);
	igt_result_free(r);
	if (!strcmp(runtime, "docker")) {
		char path[PATH_MAX + 64];

		snprintf(path, sizeof(path), "/var/lib/docker/containers/%s/config.v2.json",
			 b->id);
		unlink(path);
	}
	igt_bundle_destroy(b);
	rmdirs(made, nmade);
	unlink(ready);
}

Test(ctr_roots, containerd_namespace_appears_later, .timeout = 60)
{
	char ns[PATH_MAX];

	snprintf(ns, sizeof(ns), "/run/containerd/runc/igt-ns-%d", getpid());
	check_root(ns, "/run/containerd/runc", "containerd");
}

Test(ctr_roots, docker_root_appears_later, .timeout = 60)
{
	/* only /run/docker exists when ig starts: the rest appears later */
	check_root("/run/docker/runtime-runc/moby", "/run/docker", "docker");
}
