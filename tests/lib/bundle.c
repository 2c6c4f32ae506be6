// SPDX-License-Identifier: Apache-2.0
/*
 * OCI bundles for kernel tests: a busybox-static rootfs (rootfs.c), a
 * config.json (bundle_spec.c) and runc. Containers use runc's default root
 * (/run/runc) so that ig's runc plugin sees them; ids are unique per process.
 *
 * Every bundle is registered; an atexit handler destroys what a failed test
 * left behind, and the first bundle of a process removes the leftovers of
 * test processes that died without running it (killed on timeout).
 */
#include <criterion/criterion.h>
#include <criterion/hooks.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "igtest.h"
#include "igtest_priv.h"

#define RUNC_TIMEOUT_MS 20000
#define IGT_MAX_EXEC_ARGS 64

/* ---------------------------------------------------------------- registry */

struct reg {
	struct igt_bundle *b;
	struct reg *next;
};

static struct reg *registry;
static pid_t registry_owner;

static void cleanup_at_exit(void)
{
	/* A forked child inherits the handler but not the ownership. */
	if (getpid() != registry_owner)
		return;
	while (registry)
		igt_bundle_destroy(registry->b);
}

static void reg_add(struct igt_bundle *b)
{
	struct reg *r = calloc(1, sizeof(*r));

	if (!r)
		cr_assert_fail("out of memory");
	if (registry_owner != getpid()) {
		registry = NULL; /* entries copied from a parent are not ours */
		registry_owner = getpid();
		atexit(cleanup_at_exit);
	}
	r->b = b;
	r->next = registry;
	registry = r;
}

static void reg_remove(struct igt_bundle *b)
{
	struct reg **pp, *r;

	for (pp = &registry; (r = *pp); pp = &r->next) {
		if (r->b == b) {
			*pp = r->next;
			free(r);
			return;
		}
	}
}

/* ---------------------------------------------------------------- runc */

static struct igt_result *runc(int timeout_ms, const char *a1, const char *a2, const char *a3,
			       const char *a4, const char *a5)
{
	const char *argv[] = { "runc", a1, a2, a3, a4, a5, NULL };

	return igt_run(argv, timeout_ms);
}

static void runc_quiet(const char *a1, const char *a2, const char *a3, const char *a4)
{
	igt_result_free(runc(RUNC_TIMEOUT_MS, a1, a2, a3, a4, NULL));
}

/* Is pid (from an "igt-<tag>-<pid>-<n>" name) a dead process? */
static bool owner_dead(const char *name)
{
	const char *dash = strrchr(name, '-');
	const char *p;
	long pid;

	if (!dash || dash == name)
		return false;
	for (p = dash - 1; p > name && *p != '-'; p--)
		;
	pid = strtol(p + 1, NULL, 10);
	return pid > 1 && kill(pid, 0) < 0 && errno == ESRCH;
}

/* /tmp names made by tests/lib: igt-<kind>-...-<pid>-<suffix>. */
static bool stale_tmp_name(const char *name)
{
	static const char *const prefixes[] = {
		"igt-bundle-igt-", "igt-out-", "igt-err-", "igt-ready-", NULL,
	};
	size_t i;

	for (i = 0; prefixes[i]; i++)
		if (!strncmp(name, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

/* Remove containers, bundle dirs and temp files of test processes that died (SIGKILL on
 * a Criterion timeout) without running their atexit handler. */
static void reap_stale(void)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d;

	d = opendir("/run/runc");
	while (d && (de = readdir(d))) {
		if (strncmp(de->d_name, "igt-", 4) || !owner_dead(de->d_name))
			continue;
		runc_quiet("kill", de->d_name, "KILL", NULL);
		runc_quiet("delete", "--force", de->d_name, NULL);
	}
	if (d)
		closedir(d);
	d = opendir("/tmp");
	while (d && (de = readdir(d))) {
		if (!stale_tmp_name(de->d_name) || !owner_dead(de->d_name))
			continue;
		snprintf(path, sizeof(path), "/tmp/%s", de->d_name);
		igt_rm_rf(path);
	}
	if (d)
		closedir(d);
}

/*
 * Criterion runs report hooks in the runner process; after the last test
 * every worker is gone, so whatever igt-* is left belongs to a killed one.
 * Registered by hand rather than with ReportHook(), whose generated global
 * name (hook_l<line>_impl) would clash with a test file's hook on the same line.
 */
static void reap_after_all(void *stats)
{
	reap_stale();
}

__attribute__((section("cr_poa"), used))
static f_report_hook igt_reap_after_all = reap_after_all;

/* ---------------------------------------------------------------- bundles */

struct igt_bundle *igt_bundle_new(const char *id, const char *const args[])
{
	struct igt_bundle *b = calloc(1, sizeof(*b));

	if (!b)
		cr_assert_fail("out of memory");
	if (!id || !id[0] || strlen(id) >= sizeof(b->id))
		cr_assert_fail("igt_bundle_new: bad id '%s' (use igt_unique_id)", id ?: "");
	if (registry_owner != getpid())
		reap_stale(); /* first bundle of this process */
	snprintf(b->id, sizeof(b->id), "%s", id);
	snprintf(b->dir, sizeof(b->dir), "/tmp/igt-bundle-%s", id);
	snprintf(b->rootfs, sizeof(b->rootfs), "%s/rootfs", b->dir);
	igt_rm_rf(b->dir);
	if (mkdir(b->dir, 0755) < 0)
		cr_assert_fail("mkdir %s: %s", b->dir, strerror(errno));
	reg_add(b);
	igt_rootfs_copy(b->rootfs);
	b->config = igt_spec_default(b->id, args);
	return b;
}

void igt_bundle_add_file(struct igt_bundle *b, const char *host_path, const char *rootfs_path)
{
	char dst[PATH_MAX], dir[PATH_MAX];
	struct stat st;
	char *slash;
	int err;

	if (stat(host_path, &st) < 0)
		cr_assert_fail("igt_bundle_add_file: %s: %s (built by make tests-build?)",
			       host_path, strerror(errno));
	snprintf(dst, sizeof(dst), "%s/%s", b->rootfs, rootfs_path);
	snprintf(dir, sizeof(dir), "%s", dst);
	slash = strrchr(dir, '/');
	*slash = '\0';
	igt_mkdir_p(dir, 0755);
	unlink(dst); /* may be a busybox link or a hard link to the cache */
	err = igt_copy_file(host_path, dst, st.st_mode);
	if (err)
		cr_assert_fail("copy %s to %s: %s", host_path, dst, strerror(-err));
}

void igt_bundle_write(struct igt_bundle *b)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/config.json", b->dir);
	if (json_dump_file(b->config, path, JSON_INDENT(2)) < 0)
		cr_assert_fail("writing %s failed", path);
}

struct igt_result *igt_bundle_run(struct igt_bundle *b, int timeout_ms)
{
	const char *argv[] = { "runc", "run", "--bundle", b->dir, b->id, NULL };
	struct igt_result *r;

	igt_bundle_write(b);
	r = igt_run(argv, timeout_ms);
	if (r->timed_out) {
		/* runc died by SIGKILL: its container lives on. */
		runc_quiet("kill", b->id, "KILL", NULL);
		runc_quiet("delete", "--force", b->id, NULL);
	}
	return r;
}

/* runc run --detach, its output in files in the bundle dir (a pipe would be
 * held open by the container for its whole life). */
static int runc_detach(struct igt_bundle *b, char *err_path, size_t size)
{
	const char *argv[] = { "runc", "run", "--detach", "--bundle", b->dir, b->id, NULL };
	char out_path[PATH_MAX];
	long deadline = igt_now_ms() + RUNC_TIMEOUT_MS;
	int out_fd, err_fd, wstatus = 0;
	pid_t pid, parent = getpid();

	snprintf(out_path, sizeof(out_path), "%s/container.out", b->dir);
	snprintf(err_path, size, "%s/container.err", b->dir);
	out_fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	err_fd = open(err_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out_fd < 0 || err_fd < 0)
		cr_assert_fail("creating %s: %s", out_path, strerror(errno));
	pid = fork();
	if (pid < 0)
		cr_assert_fail("fork: %s", strerror(errno));
	if (pid == 0)
		igt_exec_child(parent, argv, NULL, out_fd, err_fd);
	close(out_fd);
	close(err_fd);
	while (waitpid(pid, &wstatus, WNOHANG) == 0) {
		if (igt_now_ms() >= deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, &wstatus, 0);
			break;
		}
		usleep(2000);
	}
	return igt_status_from_wait(wstatus);
}

/* `runc state`: the init pid of a running container; fails the test otherwise. */
static pid_t running_pid(struct igt_bundle *b, const char *when)
{
	const char *argv[] = { "runc", "state", b->id, NULL };
	struct igt_result *r = igt_run(argv, RUNC_TIMEOUT_MS);
	json_t *state = json_loads(r->out, JSON_ALLOW_NUL, NULL);
	const char *status = json_string_value(json_object_get(state, "status"));
	json_int_t pid = json_integer_value(json_object_get(state, "pid"));

	if (r->status != 0 || !status || strcmp(status, "running") || pid <= 0)
		cr_assert_fail("container %s is not running %s (%s): %s%s", b->id, when,
			       status ?: "no state", r->out, r->err);
	json_decref(state);
	igt_result_free(r);
	return pid;
}

void igt_bundle_start(struct igt_bundle *b)
{
	char err_path[PATH_MAX];
	int rc;

	igt_bundle_write(b);
	rc = runc_detach(b, err_path, sizeof(err_path));
	if (rc != 0) {
		char *err = igt_read_file(err_path, NULL);

		cr_assert_fail("runc run --detach %s failed (status %d): %s", b->id, rc,
			       err ?: "");
	}
	running_pid(b, "after start");
}

pid_t igt_bundle_pid(struct igt_bundle *b)
{
	return running_pid(b, "(igt_bundle_pid)");
}

struct igt_result *igt_bundle_exec(struct igt_bundle *b, const char *const argv[], int timeout_ms)
{
	const char *full[IGT_MAX_EXEC_ARGS + 4] = { "runc", "exec", b->id };
	size_t i;

	for (i = 0; argv && argv[i]; i++) {
		if (i >= IGT_MAX_EXEC_ARGS)
			cr_assert_fail("igt_bundle_exec: more than %d arguments",
				       IGT_MAX_EXEC_ARGS);
		full[3 + i] = argv[i];
	}
	if (!i)
		cr_assert_fail("igt_bundle_exec: empty argv");
	full[3 + i] = NULL;
	return igt_run(full, timeout_ms);
}

void igt_bundle_destroy(struct igt_bundle *b)
{
	char state[128];

	if (!b)
		return;
	/* runc keeps /run/runc/<id> for the container's whole life; without
	 * it (a foreground run that ended) there is nothing to kill. */
	snprintf(state, sizeof(state), "/run/runc/%s", b->id);
	if (access(state, F_OK) == 0) {
		runc_quiet("kill", b->id, "KILL", NULL);
		runc_quiet("delete", "--force", b->id, NULL);
	}
	reg_remove(b);
	igt_rm_rf(b->dir);
	json_decref(b->config);
	free(b);
}
