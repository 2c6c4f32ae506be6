// SPDX-License-Identifier: Apache-2.0
/* Reading untrusted files, writing files as root; see file.h. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file.h"
#include "log.h"

const char *ig_file__kind(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG:	return "a regular file";
	case S_IFDIR:	return "a directory";
	case S_IFLNK:	return "a symlink";
	case S_IFIFO:	return "a FIFO";
	case S_IFSOCK:	return "a socket";
	case S_IFCHR:	return "a character device";
	case S_IFBLK:	return "a block device";
	}
	return "not a regular file";
}

static char *read_fd(int fd, size_t max, size_t *len, char *why, size_t whylen)
{
	size_t n = 0, cap;
	struct stat sb;
	char *buf, *tmp;
	ssize_t r;

	if (fstat(fd, &sb)) {
		snprintf(why, whylen, "%s", strerror(errno));
		return NULL;
	}
	if (!S_ISREG(sb.st_mode)) {
		snprintf(why, whylen, "is %s, not a regular file", ig_file__kind(sb.st_mode));
		errno = EINVAL;
		return NULL;
	}
	if ((unsigned long long)sb.st_size > max) {
		snprintf(why, whylen, "is larger than %zu bytes", max);
		errno = EFBIG;
		return NULL;
	}
	/* The size may change while we read: read up to max and judge. */
	cap = (size_t)sb.st_size + 1;
	buf = malloc(cap + 1);
	if (!buf)
		goto err_nomem;
	for (;;) {
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			snprintf(why, whylen, "%s", strerror(errno));
			goto err_free;
		}
		if (!r)
			break;
		n += (size_t)r;
		if (n == cap) {
			if (cap > max) {
				snprintf(why, whylen, "is larger than %zu bytes", max);
				errno = EFBIG;
				goto err_free;
			}
			cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
			tmp = realloc(buf, cap + 1);
			if (!tmp)
				goto err_nomem;
			buf = tmp;
		}
	}
	buf[n] = '\0';
	*len = n;
	return buf;

err_nomem:
	snprintf(why, whylen, "out of memory");
	errno = ENOMEM;
err_free:
	free(buf);
	return NULL;
}

char *ig_file__read(const char *path, size_t max, unsigned int flags, size_t *len,
		    char *why, size_t whylen)
{
	int fd, saved;
	char *buf;

	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC |
		  (flags & IG_FILE_NOFOLLOW ? O_NOFOLLOW : 0));
	if (fd < 0) {
		saved = errno;
		snprintf(why, whylen, "%s", saved == ELOOP && (flags & IG_FILE_NOFOLLOW) ?
			 "is a symlink; not following it" : strerror(saved));
		errno = saved;
		return NULL;
	}
	buf = read_fd(fd, max, len, why, whylen);
	saved = errno;
	close(fd);
	errno = saved;
	return buf;
}

/* dirname and basename of path into dir and base. -ENAMETOOLONG, -EINVAL. */
static int split(const char *path, char *dir, size_t dirlen, char *base, size_t baselen)
{
	const char *slash = strrchr(path, '/');
	size_t n;

	if (!slash) {
		snprintf(dir, dirlen, ".");
		slash = path - 1;
	} else {
		n = slash == path ? 1 : (size_t)(slash - path);
		if (n >= dirlen)
			return -ENAMETOOLONG;
		memcpy(dir, path, n);
		dir[n] = '\0';
	}
	if (!slash[1] || !strcmp(slash + 1, ".") || !strcmp(slash + 1, ".."))
		return -EINVAL;
	if (strlen(slash + 1) >= baselen)
		return -ENAMETOOLONG;
	strcpy(base, slash + 1);
	return 0;
}

/* A new file ".<base>.<random>" in dirfd, created exclusively; its fd. */
static int create_temp(int dirfd, const char *base, char *tmp, size_t tmplen, mode_t mode)
{
	unsigned long long rnd[2];
	int fd, tries;

	for (tries = 0; tries < 8; tries++) {
		if (getrandom(rnd, sizeof(rnd), 0) != sizeof(rnd))
			return -EIO;
		/* NAME_MAX: keep the random part whole, cut the name. */
		snprintf(tmp, tmplen, ".%.200s.%016llx%016llx", base, rnd[0], rnd[1]);
		fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			    mode);
		if (fd >= 0 || errno != EEXIST)
			return fd >= 0 ? fd : -errno;
	}
	return -EEXIST;
}

static int write_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n) {
		w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/*
 * Put tmp in place of base, which must be absent or a regular file. With
 * renameat2: RENAME_NOREPLACE when absent, RENAME_EXCHANGE when present,
 * then a look at what was swapped out (swapped back if it was not a regular
 * file). A file system without renameat2 gets a plain rename after the check.
 */
static int replace(int dirfd, const char *tmp, const char *base, char *why, size_t whylen)
{
	struct stat sb;
	int tries, r;

	for (tries = 0; tries < 8; tries++) {
		if (fstatat(dirfd, base, &sb, AT_SYMLINK_NOFOLLOW)) {
			if (errno != ENOENT)
				return -errno;
			r = renameat2(dirfd, tmp, dirfd, base, RENAME_NOREPLACE);
			if (!r)
				return 0;
			if (errno == EEXIST)
				continue;	/* someone was quicker: look again */
			if (errno == EINVAL || errno == ENOSYS)
				return renameat(dirfd, tmp, dirfd, base) ? -errno : 0;
			return -errno;
		}
		if (!S_ISREG(sb.st_mode))
			goto not_regular;
		if (renameat2(dirfd, tmp, dirfd, base, RENAME_EXCHANGE)) {
			if (errno == EINVAL || errno == ENOSYS)
				return renameat(dirfd, tmp, dirfd, base) ? -errno : 0;
			return -errno;
		}
		/* tmp now names what base was. */
		if (!fstatat(dirfd, tmp, &sb, AT_SYMLINK_NOFOLLOW) && !S_ISREG(sb.st_mode)) {
			renameat2(dirfd, tmp, dirfd, base, RENAME_EXCHANGE);
			goto not_regular;
		}
		unlinkat(dirfd, tmp, 0);
		return 0;
	}
	snprintf(why, whylen, "keeps changing while ig replaces it");
	return -EAGAIN;

not_regular:
	snprintf(why, whylen, "is %s; ig only replaces regular files", ig_file__kind(sb.st_mode));
	return -EEXIST;
}

int ig_file__write(const char *path, const void *data, size_t len, mode_t mode,
		   unsigned int flags, char *why, size_t whylen)
{
	char dir[PATH_MAX], base[NAME_MAX + 1], tmp[NAME_MAX + 1];
	int dirfd, fd, err;

	why[0] = '\0';
	err = split(path, dir, sizeof(dir), base, sizeof(base));
	if (err) {
		snprintf(why, whylen, "%s", err == -EINVAL ? "names no file" : strerror(-err));
		return err;
	}
	dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0) {
		err = -errno;
		snprintf(why, whylen, "directory %s: %s", dir, strerror(-err));
		return err;
	}
	fd = create_temp(dirfd, base, tmp, sizeof(tmp), mode);
	if (fd < 0) {
		err = fd;
		snprintf(why, whylen, "cannot create a file in %s: %s", dir, strerror(-err));
		goto out_close_dir;
	}
	err = write_all(fd, data, len);
	if (!err && (flags & IG_FILE_SYNC) && fsync(fd))
		err = -errno;
	if (close(fd) && !err)
		err = -errno;
	if (!err)
		err = replace(dirfd, tmp, base, why, whylen);
	if (err && !why[0])
		snprintf(why, whylen, "%s", strerror(-err));
	if (err)
		unlinkat(dirfd, tmp, 0);
out_close_dir:
	close(dirfd);
	return err;
}

int ig_file__check_dir(const char *dir, char *why, size_t whylen)
{
	char tmp[NAME_MAX + 1];
	struct stat sb;
	int dirfd, fd, err = 0;

	dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0) {
		err = -errno;
		if (err == -ENOTDIR && !stat(dir, &sb))
			snprintf(why, whylen, "is %s, not a directory", ig_file__kind(sb.st_mode));
		else
			snprintf(why, whylen, "%s", strerror(-err));
		return err;
	}
	/* Root may create files nearly anywhere, but not in /proc or on a
	 * read-only or full file system: try. */
	fd = create_temp(dirfd, "ig-probe", tmp, sizeof(tmp), 0600);
	if (fd < 0) {
		err = fd;
		/* /proc says ENOENT for a file it will not create. */
		snprintf(why, whylen, "cannot create files there: %s", err == -ENOENT ?
			 "the file system does not take new files" : strerror(-err));
	} else {
		close(fd);
		unlinkat(dirfd, tmp, 0);
	}
	close(dirfd);
	return err;
}

int ig_file__make_dirs(const char *dir, char *why, size_t whylen)
{
	char path[PATH_MAX];
	size_t i, n = strlen(dir);

	if (!n || n >= sizeof(path)) {
		snprintf(why, whylen, "give a directory path");
		return -EINVAL;
	}
	memcpy(path, dir, n + 1);
	for (i = 1; i <= n; i++) {
		if (path[i] != '/' && path[i])
			continue;
		path[i] = '\0';
		if (mkdir(path, 0755) && errno != EEXIST) {
			int err = -errno;

			snprintf(why, whylen, "cannot make %s: %s", path, strerror(-err));
			return err;
		}
		path[i] = i < n ? '/' : '\0';
	}
	return 0;
}

int ig_file__write_ready(const char *path)
{
	char text[32], why[256];
	int n, err;

	n = snprintf(text, sizeof(text), "%d\n", (int)getpid());
	err = ig_file__write(path, text, (size_t)n, 0644, 0, why, sizeof(why));
	if (err)
		ig_err("cannot write --ready-file %s: %s", path, why);
	return err;
}

size_t ig_file__safe_name(char *dst, size_t size, const char *name)
{
	static const char keep[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				   "0123456789._-";
	size_t n = strlen(name), out = 0, i;
	unsigned long long h = 1469598103934665603ull;	/* FNV-1a of the whole name */

	if (size < IG_FILE_SAFE_NAME_MAX + 1)
		return 0;
	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)name[i]) * 1099511628211ull;
	for (i = 0; i < n && out < IG_FILE_SAFE_NAME_CUT; i++)
		dst[out++] = strchr(keep, name[i]) && !(i == 0 && name[i] == '.') ? name[i] : '_';
	if (!out)
		dst[out++] = '_';
	/* Cut: two long names that share their start stay two files. */
	if (i < n)
		out += (size_t)snprintf(dst + out, size - out, "-%08llx", h & 0xffffffffull);
	dst[out] = '\0';
	return out;
}
