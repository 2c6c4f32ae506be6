// SPDX-License-Identifier: Apache-2.0
/*
 * Opening and reading an engine's file as untrusted input: a regular file
 * (a FIFO would block ig's only thread, a device could be anything), not
 * through a symlink, of bounded size, owned by whom it should be.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "meta.h"

/* O_NONBLOCK: opening a FIFO for reading would wait for a writer. */
#define META_OPEN_FLAGS	(O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY)

static int open_checked(int dirfd, const char *path, bool no_symlinks)
{
	struct open_how how = {
		.flags = META_OPEN_FLAGS,
		.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	int fd;

	if (no_symlinks) {
		fd = (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
		if (fd >= 0 || errno != ENOSYS)
			return fd;
	}
	return openat(dirfd, path, META_OPEN_FLAGS);
}

/* fd is a regular file of the right owner and at most o->max bytes: its
 * size, or -errno. */
static off_t check_fd(int fd, const struct meta_read_opts *o)
{
	struct stat sb;

	if (fstat(fd, &sb))
		return -errno;
	if (!S_ISREG(sb.st_mode))
		return -EINVAL;
	if (o->owner != META_ANY_OWNER && sb.st_uid != o->owner)
		return -EPERM;
	if (sb.st_size < 0 || (size_t)sb.st_size > o->max)
		return -EFBIG;
	return sb.st_size;
}

static char *read_fd(int fd, const struct meta_read_opts *o, size_t *len)
{
	off_t st_size = check_fd(fd, o);
	size_t off = 0, size;
	char *buf;
	ssize_t n;

	if (st_size < 0) {
		errno = (int)-st_size;
		return NULL;
	}
	/* The size may change while we read (the engine rewrites the file by
	 * rename, so normally it does not): read up to max + 1 and judge. */
	size = (size_t)st_size + 1;
	buf = malloc(size + 1);
	if (!buf)
		return NULL;
	for (;;) {
		n = read(fd, buf + off, size - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
		if (off == size) {
			char *tmp;

			if (size > o->max) {
				free(buf);
				errno = EFBIG;
				return NULL;
			}
			size = size * 2 > o->max + 1 ? o->max + 1 : size * 2;
			tmp = realloc(buf, size + 1);
			if (!tmp) {
				free(buf);
				return NULL;
			}
			buf = tmp;
		}
	}
	if (n < 0) {
		int saved = errno;

		free(buf);
		errno = saved;
		return NULL;
	}
	buf[off] = '\0';
	*len = off;
	return buf;
}

char *meta_read_fileat(int dirfd, const char *name, const struct meta_read_opts *o, size_t *len)
{
	char *buf;
	int fd, saved;

	fd = open_checked(dirfd, name, o->no_symlinks);
	if (fd < 0)
		return NULL;
	buf = read_fd(fd, o, len);
	saved = errno;
	close(fd);
	errno = saved;
	return buf;
}

char *meta_read_file(const char *path, const struct meta_read_opts *o, size_t *len)
{
	return meta_read_fileat(AT_FDCWD, path, o, len);
}

int meta_open_file(const char *path, const struct meta_read_opts *o)
{
	off_t size;
	int fd;

	fd = open_checked(AT_FDCWD, path, o->no_symlinks);
	if (fd < 0)
		return -errno;
	size = check_fd(fd, o);
	if (size < 0) {
		close(fd);
		return (int)size;
	}
	return fd;
}
