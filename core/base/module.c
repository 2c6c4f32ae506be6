// SPDX-License-Identifier: Apache-2.0
/*
 * The one module loader for gadgets and runtime plugins (module.h). A module
 * is code that ig runs as root, so a file is checked before dlopen() runs
 * any of it, and what is opened is the resolved path that was checked: a
 * symlink swapped after the check is not followed.
 */
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elfcheck.h"
#include "memrange.h"
#include "module.h"

#ifndef IG_LIBDIR
#define IG_LIBDIR "/usr/local/lib/ig"
#endif

/* Who may write st's file: NULL if only its owner can, and the owner is root
 * or the user running ig; else why not. */
static const char *unsafe_owner(const struct stat *st, char *buf, size_t len)
{
	if (st->st_mode & S_IWOTH) {
		snprintf(buf, len, "writable by anyone (mode %04o)", st->st_mode & 07777);
		return buf;
	}
	if (st->st_mode & S_IWGRP) {
		snprintf(buf, len, "writable by group %u (mode %04o)", (unsigned int)st->st_gid,
			 st->st_mode & 07777);
		return buf;
	}
	if (st->st_uid != 0 && st->st_uid != geteuid()) {
		snprintf(buf, len, "owned by uid %u, not root", (unsigned int)st->st_uid);
		return buf;
	}
	return NULL;
}

/* The directory holding path (path itself is not changed). */
static const char *unsafe_dir(const char *path, char *reason, size_t len)
{
	char dir[PATH_MAX], *slash;
	struct stat st;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else
		*(slash == dir ? slash + 1 : slash) = '\0';
	if (stat(dir, &st))
		return NULL;	/* the file's own checks fail on their own */
	return unsafe_owner(&st, reason, len);
}

/*
 * Every directory above the file's own (up to /) must be safe as well, or
 * whoever may write one could rename the gadget's directory away and put
 * one of theirs in its place. A sticky directory (/tmp) lets nobody rename
 * what they do not own: writable by all is fine there, if root (or ig's
 * user) owns it. NULL if all are safe, else why (in reason).
 */
static const char *unsafe_ancestor(const char *file, char *reason, size_t len)
{
	char dir[PATH_MAX], *slash;
	struct stat st;

	snprintf(dir, sizeof(dir), "%s", file);
	slash = strrchr(dir, '/');	/* the file's own directory: checked already */
	if (!slash || slash == dir)
		return NULL;
	*slash = '\0';
	while ((slash = strrchr(dir, '/'))) {
		if (slash == dir)
			slash[1] = '\0';
		else
			*slash = '\0';
		if (stat(dir, &st))
			return NULL;	/* gone meanwhile: the open fails on its own */
		if (st.st_uid != 0 && st.st_uid != geteuid())
			snprintf(reason, len, "its parent directory %.200s is owned by uid %u",
				 dir, (unsigned int)st.st_uid);
		else if ((st.st_mode & (S_IWGRP | S_IWOTH)) && !(st.st_mode & S_ISVTX))
			snprintf(reason, len, "its parent directory %.200s is writable by others "
				 "(mode %04o)", dir, st.st_mode & 07777);
		else if (slash == dir)
			return NULL;
		else
			continue;
		return reason;
	}
	return NULL;
}

/*
 * Check 3: what is opened is the file that was checked (same inode), and an
 * ELF shared object whose segments all lie inside it: dlopen() maps what
 * the program headers say, and a file cut short (a copy interrupted, a full
 * disk) kills ig with SIGBUS there, before any check of ours (elfcheck.h).
 * O_NONBLOCK: a FIFO swapped in must not make ig wait.
 */
static int check_elf(const struct ig_module_abi *abi, const char *real, const struct stat *st,
		     char *why, size_t whylen)
{
	char reason[160];
	struct stat fst;
	int fd, err;

	fd = open(real, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		snprintf(why, whylen, "%s", strerror(errno));
		return -errno;
	}
	if (fstat(fd, &fst) || fst.st_dev != st->st_dev || fst.st_ino != st->st_ino ||
	    !S_ISREG(fst.st_mode)) {
		close(fd);
		snprintf(why, whylen, "changed while ig checked it");
		return -EAGAIN;
	}
	err = ig_elf__check_fd(fd, (uint64_t)fst.st_size, reason, sizeof(reason));
	close(fd);
	if (err)
		snprintf(why, whylen, "not a %s: %s", abi->noun, reason);
	return err;
}

/* Checks 1-3 of module.h; real gets the resolved path. */
static int check_file(const struct ig_module_abi *abi, const char *path, char *real,
		      char *why, size_t whylen)
{
	char reason[256];
	struct stat st;

	if (!realpath(path, real) || stat(real, &st)) {
		snprintf(why, whylen, "%s", strerror(errno));
		return -errno;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(why, whylen, "not a regular file");
		return -EINVAL;
	}
	if (unsafe_owner(&st, reason, sizeof(reason))) {
		snprintf(why, whylen, "file is %s; only root may be able to change a %s",
			 reason, abi->noun);
		return -EPERM;
	}
	if (unsafe_dir(real, reason, sizeof(reason)) ||
	    (!lstat(path, &st) && S_ISLNK(st.st_mode) &&
	     unsafe_dir(path, reason, sizeof(reason)))) {
		snprintf(why, whylen, "its directory is %s; only root may be able to change "
			 "a %s", reason, abi->noun);
		return -EPERM;
	}
	if (unsafe_ancestor(real, reason, sizeof(reason))) {
		snprintf(why, whylen, "%s; only root may be able to change a %s", reason,
			 abi->noun);
		return -EPERM;
	}
	return check_elf(abi, real, &st, why, whylen);
}

/* Check 5: the descriptor's ABI header. */
static int check_abi(const struct ig_module_abi *abi, const void *desc, char *why,
		     size_t whylen)
{
	struct ig_module_hdr h;

	if (!desc) {
		snprintf(why, whylen, "not a %s: %s() returned NULL", abi->noun, abi->entry);
		return -EINVAL;
	}
	memcpy(&h, desc, sizeof(h));
	if (h.sz < sizeof(h)) {
		snprintf(why, whylen, "not a %s: descriptor is truncated", abi->noun);
		return -EINVAL;
	}
	if (h.abi_major != abi->major) {
		snprintf(why, whylen, "built for %s ABI %u.%u, but this ig has ABI %u.%u (the "
			 "major must match); rebuild it against this ig's headers", abi->noun,
			 h.abi_major, h.abi_minor, abi->major, abi->minor);
		return -EPROTO;
	}
	if (h.abi_minor > abi->minor) {
		snprintf(why, whylen, "built for %s ABI %u.%u, newer than this ig's %u.%u; "
			 "upgrade ig", abi->noun, h.abi_major, h.abi_minor, abi->major,
			 abi->minor);
		return -EPROTO;
	}
	return 0;
}

const void *ig_module__open(const struct ig_module_abi *abi, const char *path, void **handle,
			    char *why, size_t whylen)
{
	struct ig_mem_range ranges[IG_MEM_MAX_RANGES];
	const void *(*entry)(void);
	char real[PATH_MAX];
	const void *desc;
	int err;

	*handle = NULL;
	err = check_file(abi, path, real, why, whylen);
	if (err)
		goto err_out;
	*handle = dlopen(real, RTLD_NOW | RTLD_LOCAL);
	if (!*handle) {
		snprintf(why, whylen, "not a %s: %s", abi->noun, dlerror());
		err = -ENOEXEC;
		goto err_out;
	}
	*(void **)&entry = dlsym(*handle, abi->entry);
	if (!entry) {
		snprintf(why, whylen, "not a %s: no entry symbol %s", abi->noun, abi->entry);
		err = -ENOEXEC;
		goto err_close;
	}
	desc = entry();
	/* The header is read before anything else: it must be the module's. */
	if (desc && !ig_mem__inside(ranges, ig_mem__module_ranges(*handle, ranges,
				    IG_MEM_MAX_RANGES), desc, sizeof(struct ig_module_hdr), false)) {
		snprintf(why, whylen, "not a %s: %s() returned a pointer outside it", abi->noun,
			 abi->entry);
		err = -EINVAL;
		goto err_close;
	}
	err = check_abi(abi, desc, why, whylen);
	if (err)
		goto err_close;
	return desc;

err_close:
	dlclose(*handle);
	*handle = NULL;
err_out:
	errno = -err;
	return NULL;
}

static int push_dir(char ***dirs, size_t *n, const char *dir)
{
	char **grown = realloc(*dirs, (*n + 2) * sizeof(char *));

	if (!grown)
		return -ENOMEM;
	*dirs = grown;
	grown[*n] = strdup(dir);
	if (!grown[*n])
		return -ENOMEM;
	grown[++*n] = NULL;
	return 0;
}

int ig_module__push_dirs(char ***dirs, size_t *n, const char *list)
{
	char *copy = strdup(list), *save = NULL, *tok;
	int err = 0;

	if (!copy)
		return -ENOMEM;
	for (tok = strtok_r(copy, ":", &save); tok && !err; tok = strtok_r(NULL, ":", &save))
		err = push_dir(dirs, n, tok);
	free(copy);
	return err;
}

int ig_module__push_default_dirs(char ***dirs, size_t *n, const char *subdir)
{
	char exe[PATH_MAX], lib[PATH_MAX + 32], *slash;
	ssize_t len;
	int err = 0;

	len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (len > 0) {
		exe[len] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			/* build tree: build/ig next to build/<subdir>/ */
			snprintf(lib, sizeof(lib), "%s/%s", exe, subdir);
			err = push_dir(dirs, n, lib);
			/* installed anywhere: PREFIX/bin/ig and PREFIX/lib/ig/<subdir> */
			snprintf(lib, sizeof(lib), "%s/../lib/ig/%s", exe, subdir);
			if (!err)
				err = push_dir(dirs, n, lib);
		}
	}
	snprintf(lib, sizeof(lib), "%s/%s", IG_LIBDIR, subdir);
	return err ? err : push_dir(dirs, n, lib);
}

void ig_module__free_dirs(char **dirs)
{
	char **d;

	if (!dirs)
		return;
	for (d = dirs; *d; d++)
		free(*d);
	free(dirs);
}

static int is_so(const struct dirent *e)
{
	size_t len = strlen(e->d_name);

	return len > 3 && !strcmp(e->d_name + len - 3, ".so");
}

int ig_module__scan(const char *dir, int (*fn)(void *arg, const char *path), void *arg)
{
	char path[PATH_MAX];
	struct dirent **ents;
	int n, i, ret = 0;

	n = scandir(dir, &ents, is_so, alphasort);
	if (n < 0)
		return -errno;
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, ents[i]->d_name);
		if (!ret)
			ret = fn(arg, path);
		free(ents[i]);
	}
	free(ents);
	return ret;
}
