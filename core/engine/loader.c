// SPDX-License-Identifier: Apache-2.0
/*
 * Gadget loader. A gadget is code that ig runs as root, so a file is checked
 * before dlopen() runs any of it: it must be an ELF file that nobody but root
 * (or the user running ig) can rewrite, in a directory with the same
 * property. Only then is it opened and its descriptor checked.
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

#include "loader.h"
#include "core/base/log.h"

/* Size of the 1.0 descriptor and tables: anything smaller is corrupt. */
#define DESC_MIN_SZ	(offsetof(struct ig_gadget_desc, container_removed) + \
			 sizeof(((struct ig_gadget_desc *)0)->container_removed))
#define FIELD_MIN_SZ	(offsetof(struct ig_field, enums) + sizeof(void *))
#define PARAM_MIN_SZ	(offsetof(struct ig_param, pad) + 1)

/* Who may write st's file: NULL if only root or we can, else why not. */
static const char *unsafe_owner(const struct stat *st, char *buf, size_t len)
{
	if (st->st_mode & S_IWOTH) {
		snprintf(buf, len, "writable by anyone (mode %04o)", st->st_mode & 07777);
		return buf;
	}
	if ((st->st_mode & S_IWGRP) && st->st_gid != 0) {
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

/* Checks before any of the file's code runs. real gets the resolved path,
 * which is what is opened: a symlink swapped after the check is not. */
static int check_file(const char *path, char *real, char *why, size_t whylen)
{
	char reason[96], magic[4];
	struct stat st;
	ssize_t n;
	int fd;

	if (!realpath(path, real) || stat(real, &st)) {
		snprintf(why, whylen, "%s", strerror(errno));
		return -errno;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(why, whylen, "not a regular file");
		return -EINVAL;
	}
	if (unsafe_owner(&st, reason, sizeof(reason))) {
		snprintf(why, whylen, "file is %s; only root may be able to change a gadget",
			 reason);
		return -EPERM;
	}
	if (unsafe_dir(real, reason, sizeof(reason)) ||
	    (!lstat(path, &st) && S_ISLNK(st.st_mode) &&
	     unsafe_dir(path, reason, sizeof(reason)))) {
		snprintf(why, whylen, "its directory is %s; only root may be able to change "
			 "a gadget", reason);
		return -EPERM;
	}
	fd = open(real, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(why, whylen, "%s", strerror(errno));
		return -errno;
	}
	n = read(fd, magic, sizeof(magic));
	close(fd);
	if (n != sizeof(magic) || memcmp(magic, "\177ELF", 4)) {
		snprintf(why, whylen, "not a gadget: not an ELF shared object");
		return -ENOEXEC;
	}
	return 0;
}

static int check_desc(const struct ig_gadget_desc *d, char *why, size_t whylen)
{
	if (!d) {
		snprintf(why, whylen, "not a gadget: %s() returned NULL", IG_GADGET_ENTRY_NAME);
		return -EINVAL;
	}
	if (d->abi_major != IG_GADGET_ABI_MAJOR) {
		snprintf(why, whylen, "built for gadget ABI %u.%u, but this ig has ABI %u.%u "
			 "(the major must match); rebuild it against this ig's headers",
			 d->abi_major, d->abi_minor, IG_GADGET_ABI_MAJOR, IG_GADGET_ABI_MINOR);
		return -EPROTO;
	}
	if (d->abi_minor > IG_GADGET_ABI_MINOR) {
		snprintf(why, whylen, "built for gadget ABI %u.%u, newer than this ig's %u.%u; "
			 "upgrade ig", d->abi_major, d->abi_minor, IG_GADGET_ABI_MAJOR,
			 IG_GADGET_ABI_MINOR);
		return -EPROTO;
	}
	if (d->sz < DESC_MIN_SZ || !d->name || !d->name[0] || !d->init || !d->destroy) {
		snprintf(why, whylen, "not a gadget: descriptor is truncated or lacks "
			 "name/init/destroy");
		return -EINVAL;
	}
	if ((d->nr_fields && (!d->fields || d->field_sz < FIELD_MIN_SZ)) ||
	    (d->nr_params && (!d->params || d->param_sz < PARAM_MIN_SZ))) {
		snprintf(why, whylen, "not a gadget: field or parameter table is malformed");
		return -EINVAL;
	}
	if ((d->kind & IG_KIND_ADVISE) && !d->report) {
		snprintf(why, whylen, "advisor gadget without a report() callback");
		return -EINVAL;
	}
	return 0;
}

/* Copy a table the gadget laid out with its own element size into one laid
 * out with ours: members the gadget did not know about stay zero. */
static void *normalise(const void *src, size_t n, size_t src_sz, size_t dst_sz)
{
	size_t copy = src_sz < dst_sz ? src_sz : dst_sz;
	char *dst = calloc(n ? n : 1, dst_sz);
	size_t i;

	if (!dst)
		return NULL;
	for (i = 0; i < n; i++)
		memcpy(dst + i * dst_sz, (const char *)src + i * src_sz, copy);
	return dst;
}

struct ig_gadget_mod *ig_gadget_mod__open(const char *path, char *why, size_t whylen)
{
	char real[PATH_MAX];
	struct ig_gadget_mod *m;
	ig_gadget_entry_fn entry;
	int err;

	err = check_file(path, real, why, whylen);
	if (err)
		goto err_out;
	m = calloc(1, sizeof(*m));
	if (!m) {
		err = -ENOMEM;
		snprintf(why, whylen, "out of memory");
		goto err_out;
	}
	m->path = strdup(path);
	m->handle = dlopen(real, RTLD_NOW | RTLD_LOCAL);
	if (!m->handle) {
		snprintf(why, whylen, "not a gadget: %s", dlerror());
		err = -ENOEXEC;
		goto err_close;
	}
	entry = (ig_gadget_entry_fn)dlsym(m->handle, IG_GADGET_ENTRY_NAME);
	if (!entry) {
		snprintf(why, whylen, "not a gadget: no entry symbol %s", IG_GADGET_ENTRY_NAME);
		err = -ENOEXEC;
		goto err_close;
	}
	m->desc = entry();
	err = check_desc(m->desc, why, whylen);
	if (err)
		goto err_close;
	m->nr_fields = m->desc->nr_fields;
	m->nr_params = m->desc->nr_params;
	m->fields = normalise(m->desc->fields, m->nr_fields, m->desc->field_sz,
			      sizeof(struct ig_field));
	m->params = normalise(m->desc->params, m->nr_params, m->desc->param_sz,
			      sizeof(struct ig_param));
	if (!m->path || !m->fields || !m->params) {
		snprintf(why, whylen, "out of memory");
		err = -ENOMEM;
		goto err_close;
	}
	return m;

err_close:
	ig_gadget_mod__close(m);
err_out:
	errno = -err;
	return NULL;
}

void ig_gadget_mod__close(struct ig_gadget_mod *m)
{
	if (!m)
		return;
	if (m->handle)
		dlclose(m->handle);
	free(m->fields);
	free(m->params);
	free(m->path);
	free(m);
}

static int push_dirs(char ***dirs, size_t *n, const char *list)
{
	char *copy = strdup(list), *save = NULL, *tok;
	int err = 0;

	if (!copy)
		return -ENOMEM;
	for (tok = strtok_r(copy, ":", &save); tok; tok = strtok_r(NULL, ":", &save)) {
		char **grown = realloc(*dirs, (*n + 2) * sizeof(char *));

		if (!grown) {
			err = -ENOMEM;
			break;
		}
		*dirs = grown;
		grown[(*n)++] = strdup(tok);
		grown[*n] = NULL;
	}
	free(copy);
	return err;
}

char **ig_loader__dirs(const char *gadget_path)
{
	char exe[PATH_MAX], *slash;
	char **dirs = NULL;
	const char *env;
	size_t n = 0;
	ssize_t len;

	if (gadget_path && push_dirs(&dirs, &n, gadget_path))
		goto err_free;
	env = getenv("IG_GADGET_PATH");
	if (env && *env && push_dirs(&dirs, &n, env))
		goto err_free;
	len = readlink("/proc/self/exe", exe, sizeof(exe) - sizeof("/../lib/ig/gadgets"));
	if (len > 0) {
		exe[len] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			/* build tree: build/ig next to build/gadgets/ */
			strcpy(slash, "/gadgets");
			if (push_dirs(&dirs, &n, exe))
				goto err_free;
			/* installed anywhere: PREFIX/bin/ig and PREFIX/lib/ig/gadgets */
			strcpy(slash, "/../lib/ig/gadgets");
			if (push_dirs(&dirs, &n, exe))
				goto err_free;
		}
	}
	if (push_dirs(&dirs, &n, IG_LIBDIR "/gadgets"))
		goto err_free;
	return dirs;

err_free:
	ig_loader__free_dirs(dirs);
	errno = ENOMEM;
	return NULL;
}

void ig_loader__free_dirs(char **dirs)
{
	char **d;

	if (!dirs)
		return;
	for (d = dirs; *d; d++)
		free(*d);
	free(dirs);
}

struct ig_gadget_mod *ig_loader__find(const char *name, const char *gadget_path)
{
	char **dirs = ig_loader__dirs(gadget_path), **d;
	struct ig_gadget_mod *m = NULL;
	char path[PATH_MAX], why[256];

	if (!dirs)
		return NULL;
	for (d = dirs; *d && !m; d++) {
		snprintf(path, sizeof(path), "%s/%s.so", *d, name);
		if (access(path, F_OK))
			continue;
		m = ig_gadget_mod__open(path, why, sizeof(why));
		if (!m)
			ig_warn("refusing gadget %s: %s", path, why);
	}
	ig_loader__free_dirs(dirs);
	if (!m)
		errno = ENOENT;
	return m;
}

static int is_so(const struct dirent *e)
{
	size_t len = strlen(e->d_name);

	return len > 3 && !strcmp(e->d_name + len - 3, ".so");
}

/* Names already listed, to skip shadowed files. */
static bool seen_before(char **names, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return true;
	return false;
}

int ig_loader__foreach(const char *gadget_path, bool quiet,
		       int (*fn)(void *arg, const struct ig_gadget_mod *m), void *arg)
{
	char **dirs = ig_loader__dirs(gadget_path), **d, **names = NULL;
	char path[PATH_MAX], why[256];
	size_t nr_names = 0, i;
	int ret = 0;

	if (!dirs)
		return -errno;
	for (d = dirs; *d && ret >= 0; d++) {
		struct dirent **ents = NULL;
		int nents = scandir(*d, &ents, is_so, alphasort), k;

		for (k = 0; k < nents; k++) {
			struct ig_gadget_mod *m;
			char **grown;

			snprintf(path, sizeof(path), "%s/%s", *d, ents[k]->d_name);
			free(ents[k]);
			if (ret < 0)
				continue;
			m = ig_gadget_mod__open(path, why, sizeof(why));
			if (!m) {
				if (!quiet)
					ig_warn("refusing gadget %s: %s", path, why);
				continue;
			}
			if (seen_before(names, nr_names, m->desc->name)) {
				ig_info("%s: gadget %s is shadowed by an earlier one", path,
					m->desc->name);
				ig_gadget_mod__close(m);
				continue;
			}
			grown = realloc(names, (nr_names + 1) * sizeof(char *));
			if (grown) {
				names = grown;
				names[nr_names++] = strdup(m->desc->name);
			}
			ret = fn(arg, m);
			ig_gadget_mod__close(m);
			if (ret)
				ret = ret > 0 ? -ret : ret;
		}
		free(ents);
	}
	for (i = 0; i < nr_names; i++)
		free(names[i]);
	free(names);
	ig_loader__free_dirs(dirs);
	return ret < 0 ? ret : (int)nr_names;
}

struct names_buf {
	char *buf;
	size_t len, off;
};

static int add_name(void *arg, const struct ig_gadget_mod *m)
{
	struct names_buf *nb = arg;
	int w;

	if (nb->off >= nb->len)
		return 0;
	w = snprintf(nb->buf + nb->off, nb->len - nb->off, "%s%s", nb->off ? ", " : "",
		     m->desc->name);
	if (w > 0)
		nb->off += (size_t)w;
	return 0;
}

void ig_loader__names(const char *gadget_path, char *buf, size_t len)
{
	struct names_buf nb = { buf, len, 0 };

	buf[0] = '\0';
	ig_loader__foreach(gadget_path, true, add_name, &nb);
	if (!buf[0])
		snprintf(buf, len, "none found; build them or use --gadget-path");
}
