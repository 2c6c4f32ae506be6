// SPDX-License-Identifier: Apache-2.0
/*
 * The busybox-static rootfs of test bundles.
 *
 * A pristine tree is built once per user (/tmp/igt-rootfs-cache-<uid>,
 * stamped with busybox's inode/size/mtime so an upgrade rebuilds it) and
 * shared by every test process; each bundle gets a copy where directories and
 * small files are copied and the big busybox binary is hard-linked, so a
 * bundle costs a few milliseconds.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "igtest.h"
#include "igtest_priv.h"

#define BUSYBOX "/bin/busybox"
/* Files bigger than this are hard-linked from the cache instead of copied. */
#define HARDLINK_MIN_SIZE (256 * 1024)

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

int igt_copy_file(const char *src, const char *dst, mode_t mode)
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

void igt_mkdir_p(const char *path, mode_t mode)
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
		igt_mkdir_p(path, 0755);
	}
	pjoin(path, sizeof(path), root, "/tmp");
	igt_mkdir_p(path, 01777);
	pjoin(path, sizeof(path), root, "/bin/busybox");
	err = igt_copy_file(BUSYBOX, path, 0755);
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
	pjoin(path, sizeof(path), root, "/etc/hosts");
	write_text(path, "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n", 0644);
	pjoin(path, sizeof(path), root, "/etc/hostname");
	write_text(path, "igt\n", 0644);
}

/* The cache is valid when its stamp names the current busybox. */
static void busybox_stamp(char *buf, size_t size)
{
	struct stat st;

	if (stat(BUSYBOX, &st) < 0)
		cr_assert_fail("%s is missing: apt-get install busybox-static", BUSYBOX);
	snprintf(buf, size, "v2 %lld %lld %lld\n", (long long)st.st_ino,
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
	if (rename(tmp, cache) == 0)
		return cache;
	/* Another test process won the race (keep its tree, others may be
	 * copying it) or the cache is stale (busybox changed): replace it. */
	snprintf(path, sizeof(path), "%s/.igt-stamp", cache);
	have = igt_read_file(path, NULL);
	if (!have || strcmp(have, stamp)) {
		char old[PATH_MAX + 32];

		snprintf(old, sizeof(old), "%s.old-%d", cache, (int)getpid());
		if (rename(cache, old) == 0)
			igt_rm_rf(old);
		if (rename(tmp, cache) == 0)
			tmp[0] = '\0';
	}
	free(have);
	if (tmp[0])
		igt_rm_rf(tmp);
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
		err = igt_copy_file(path, dst, st->st_mode);
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

void igt_rootfs_copy(const char *dest)
{
	copy_root = rootfs_cache();
	copy_root_len = strlen(copy_root);
	copy_dest = dest;
	if (nftw(copy_root, copy_entry, 32, FTW_PHYS) != 0)
		cr_assert_fail("copying the rootfs cache %s to %s: %s", copy_root, dest,
			       strerror(errno));
}
