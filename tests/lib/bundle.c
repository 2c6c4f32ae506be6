// SPDX-License-Identifier: Apache-2.0
/*
 * OCI bundles for kernel tests: a busybox-static rootfs and runc.
 *
 * A pristine rootfs is built once (shared by every test process of a user,
 * under /tmp/igt-rootfs-cache-<uid>) and copied per bundle: directories and
 * small files are copied, the big busybox binary is hard-linked, so a bundle
 * costs a few milliseconds. Containers use runc's default root (/run/runc) so
 * that ig's runc plugin sees them.
 *
 * Every bundle is registered; an atexit handler destroys what a failed test
 * left behind, and the first bundle of a process removes the leftovers of
 * test processes that died without running it (killed on timeout).
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
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

#define BUSYBOX "/bin/busybox"
#define RUNC_TIMEOUT_MS 20000
/* Files bigger than this are hard-linked from the cache instead of copied. */
#define HARDLINK_MIN_SIZE (256 * 1024)

/* ---------------------------------------------------------------- registry */

struct reg {
	struct igt_bundle *b;
	bool started;	/* runc may hold state for it: kill + delete on destroy */
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

static struct reg *reg_find(struct igt_bundle *b)
{
	struct reg *r;

	for (r = registry; r; r = r->next)
		if (r->b == b)
			return r;
	return NULL;
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

/* ---------------------------------------------------------------- files */

/* dst = a + b, failing the test rather than truncating a path. */
static void pjoin(char *dst, size_t size, const char *a, const char *b)
{
	if ((size_t)snprintf(dst, size, "%s%s", a, b) >= size)
		cr_assert_fail("path too long: %s%s", a, b);
}

static int rm_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	if (type == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

int igt_rm_rf(const char *path)
{
	if (nftw(path, rm_entry, 32, FTW_DEPTH | FTW_PHYS | FTW_MOUNT) < 0 && errno != ENOENT)
		return -errno;
	return 0;
}

static int copy_file(const char *src, const char *dst, mode_t mode)
{
	char buf[65536];
	int in, out, err = 0;
	ssize_t n;

	in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -errno;
	out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode & 07777);
	if (out < 0) {
		err = -errno;
		goto close_in;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0) {
		if (write(out, buf, n) != n) {
			err = -EIO;
			break;
		}
	}
	if (n < 0)
		err = -errno;
	/* open() honoured the umask; the caller asked for this exact mode. */
	if (!err && fchmod(out, mode & 07777) < 0)
		err = -errno;
	close(out);
close_in:
	close(in);
	return err;
}

static void write_text(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");

	if (!f || fputs(text, f) < 0 || fclose(f) != 0)
		cr_assert_fail("writing %s: %s", path, strerror(errno));
	chmod(path, mode);
}

static void mkdir_p(const char *path, mode_t mode)
{
	char tmp[PATH_MAX];
	char *p;

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
			cr_assert_fail("mkdir %s: %s", tmp, strerror(errno));
		*p = '/';
	}
	if (mkdir(tmp, mode) < 0 && errno != EEXIST)
		cr_assert_fail("mkdir %s: %s", tmp, strerror(errno));
	chmod(tmp, mode);
}

/* ---------------------------------------------------------------- rootfs */

static void add_applet_links(const char *root)
{
	const char *argv[] = { BUSYBOX, "--list", NULL };
	struct igt_result *r = igt_run(argv, 10000);
	char link[PATH_MAX], rel[256];
	char *save, *name;

	if (r->status != 0)
		cr_assert_fail("%s --list failed (status %d): %s; install busybox-static",
			       BUSYBOX, r->status, r->err);
	for (name = strtok_r(r->out, "\n", &save); name; name = strtok_r(NULL, "\n", &save)) {
		if (!strcmp(name, "busybox"))
			continue;
		snprintf(rel, sizeof(rel), "/bin/%s", name);
		pjoin(link, sizeof(link), root, rel);
		if (symlink("busybox", link) < 0 && errno != EEXIST)
			cr_assert_fail("symlink %s: %s", link, strerror(errno));
	}
	igt_result_free(r);
}

static void populate_rootfs(const char *root)
{
	static const char *const dirs[] = {
		"bin", "etc", "proc", "sys", "dev", "root", "var", "run", "usr", NULL,
	};
	char path[PATH_MAX], rel[64];
	struct stat st;
	size_t i;
	int err;

	if (stat(BUSYBOX, &st) < 0 || !(st.st_mode & S_IXUSR))
		cr_assert_fail("%s is missing: apt-get install busybox-static", BUSYBOX);
	for (i = 0; dirs[i]; i++) {
		snprintf(rel, sizeof(rel), "/%s", dirs[i]);
		pjoin(path, sizeof(path), root, rel);
		mkdir_p(path, 0755);
	}
	pjoin(path, sizeof(path), root, "/tmp");
	mkdir_p(path, 01777);
	pjoin(path, sizeof(path), root, "/bin/busybox");
	err = copy_file(BUSYBOX, path, 0755);
	if (err)
		cr_assert_fail("copy %s: %s", BUSYBOX, strerror(-err));
	add_applet_links(root);
	/* Some programs look in /usr/bin and /sbin. */
	pjoin(path, sizeof(path), root, "/sbin");
	symlink("bin", path);
	pjoin(path, sizeof(path), root, "/usr/bin");
	symlink("../bin", path);
	pjoin(path, sizeof(path), root, "/etc/passwd");
	write_text(path, "root:x:0:0:root:/root:/bin/sh\n"
			 "nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n", 0644);
	pjoin(path, sizeof(path), root, "/etc/group");
	write_text(path, "root:x:0:\nnogroup:x:65534:\n", 0644);
	pjoin(path, sizeof(path), root, "/etc/hostname");
	write_text(path, "igt\n", 0644);
}

/* The cache is valid when its stamp names the current busybox. */
static void busybox_stamp(char *buf, size_t size)
{
	struct stat st;

	if (stat(BUSYBOX, &st) < 0)
		cr_assert_fail("%s is missing: apt-get install busybox-static", BUSYBOX);
	snprintf(buf, size, "v1 %lld %lld %lld\n", (long long)st.st_ino,
		 (long long)st.st_size, (long long)st.st_mtime);
}

static const char *rootfs_cache(void)
{
	static char cache[PATH_MAX];
	char stamp[128], path[PATH_MAX + 16], tmp[PATH_MAX];
	char *have;

	snprintf(cache, sizeof(cache), "/tmp/igt-rootfs-cache-%u", (unsigned)getuid());
	busybox_stamp(stamp, sizeof(stamp));
	snprintf(path, sizeof(path), "%s/.igt-stamp", cache);
	have = igt_read_file(path, NULL);
	if (have && !strcmp(have, stamp)) {
		free(have);
		return cache;
	}
	free(have);
	/* Build aside and rename, so parallel test processes never see half a tree. */
	snprintf(tmp, sizeof(tmp), "/tmp/igt-rootfs-build-XXXXXX");
	if (!mkdtemp(tmp))
		cr_assert_fail("mkdtemp: %s", strerror(errno));
	chmod(tmp, 0755);
	populate_rootfs(tmp);
	snprintf(path, sizeof(path), "%s/.igt-stamp", tmp);
	write_text(path, stamp, 0644);
	if (rename(tmp, cache) < 0) {
		/* Stale cache or another process won the race: replace a stale one. */
		char old[PATH_MAX + 32];

		snprintf(old, sizeof(old), "%s.old-%d", cache, (int)getpid());
		if (rename(cache, old) == 0)
			igt_rm_rf(old);
		if (rename(tmp, cache) < 0)
			igt_rm_rf(tmp);
	}
	return cache;
}

static const char *copy_root;
static size_t copy_root_len;
static const char *copy_dest;

static int copy_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	char dst[PATH_MAX], target[PATH_MAX];
	const char *rel = path + copy_root_len;
	ssize_t n;
	int err = 0;

	if (!strcmp(rel, "/.igt-stamp"))
		return 0;
	snprintf(dst, sizeof(dst), "%s%s", copy_dest, rel);
	switch (type) {
	case FTW_D:
		if (mkdir(dst, st->st_mode & 07777) < 0 && errno != EEXIST)
			err = -errno;
		else
			chmod(dst, st->st_mode & 07777);
		break;
	case FTW_SL:
		n = readlink(path, target, sizeof(target) - 1);
		if (n < 0)
			return -1;
		target[n] = '\0';
		if (symlink(target, dst) < 0)
			err = -errno;
		break;
	case FTW_F:
		if (st->st_size >= HARDLINK_MIN_SIZE && link(path, dst) == 0)
			break;
		err = copy_file(path, dst, st->st_mode);
		break;
	default:
		err = -EINVAL;
	}
	if (err) {
		errno = -err;
		return -1;
	}
	return 0;
}

static void copy_rootfs(const char *dest)
{
	copy_root = rootfs_cache();
	copy_root_len = strlen(copy_root);
	copy_dest = dest;
	if (nftw(copy_root, copy_entry, 32, FTW_PHYS) != 0)
		cr_assert_fail("copying the rootfs cache %s to %s: %s", copy_root, dest,
			       strerror(errno));
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

/* Remove containers and bundle dirs of test processes that died (SIGKILL on
 * a Criterion timeout) without running their atexit handler. */
static void reap_stale(void)
{
	static pid_t done;
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d;

	if (done == getpid())
		return;
	done = getpid();
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
		if (strncmp(de->d_name, "igt-bundle-igt-", 15) || !owner_dead(de->d_name))
			continue;
		snprintf(path, sizeof(path), "/tmp/%s", de->d_name);
		igt_rm_rf(path);
	}
	if (d)
		closedir(d);
}

/* ---------------------------------------------------------------- bundles */

struct igt_bundle *igt_bundle_new(const char *id, const char *const args[])
{
	struct igt_bundle *b = calloc(1, sizeof(*b));

	if (!b)
		cr_assert_fail("out of memory");
	if (!id || !id[0] || strlen(id) >= sizeof(b->id))
		cr_assert_fail("igt_bundle_new: bad id '%s' (use igt_unique_id)", id ?: "");
	reap_stale();
	snprintf(b->id, sizeof(b->id), "%s", id);
	snprintf(b->dir, sizeof(b->dir), "/tmp/igt-bundle-%s", id);
	snprintf(b->rootfs, sizeof(b->rootfs), "%s/rootfs", b->dir);
	igt_rm_rf(b->dir);
	if (mkdir(b->dir, 0755) < 0)
		cr_assert_fail("mkdir %s: %s", b->dir, strerror(errno));
	reg_add(b);
	copy_rootfs(b->rootfs);
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
	mkdir_p(dir, 0755);
	unlink(dst); /* may be a busybox link or a hard link to the cache */
	err = copy_file(host_path, dst, st.st_mode);
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
	reg_find(b)->started = true;
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
	pid_t pid;

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
		igt_exec_child(argv, NULL, out_fd, err_fd);
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

void igt_bundle_start(struct igt_bundle *b)
{
	const char *argv[] = { "runc", "state", b->id, NULL };
	char err_path[PATH_MAX];
	struct igt_result *r;
	const char *status;
	json_t *state;
	int rc;

	igt_bundle_write(b);
	reg_find(b)->started = true;
	rc = runc_detach(b, err_path, sizeof(err_path));
	if (rc != 0) {
		char *err = igt_read_file(err_path, NULL);

		cr_assert_fail("runc run --detach %s failed (status %d): %s", b->id, rc,
			       err ?: "");
	}
	r = igt_run(argv, RUNC_TIMEOUT_MS);
	state = json_loads(r->out, 0, NULL);
	status = json_string_value(json_object_get(state, "status"));
	if (r->status != 0 || !status || strcmp(status, "running"))
		cr_assert_fail("container %s is not running after start (%s): %s%s", b->id,
			       status ?: "no state", r->out, r->err);
	json_decref(state);
	igt_result_free(r);
}

void igt_bundle_destroy(struct igt_bundle *b)
{
	struct reg *r;

	if (!b)
		return;
	r = reg_find(b);
	if (!r || r->started) {
		runc_quiet("kill", b->id, "KILL", NULL);
		runc_quiet("delete", "--force", b->id, NULL);
	}
	reg_remove(b);
	igt_rm_rf(b->dir);
	json_decref(b->config);
	free(b);
}
