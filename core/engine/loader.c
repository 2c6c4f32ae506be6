// SPDX-License-Identifier: Apache-2.0
/*
 * Gadget loader: the search path, and what a gadget descriptor must hold
 * beyond what the module loader (core/base/module.c) checks for every
 * module, gadget or plugin: the file, its owner and directory, ELF, entry
 * symbol and ABI version.
 */
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/base/log.h"
#include "core/base/module.h"
#include "desc.h"
#include "hooks.h"
#include "loader.h"

static const struct ig_module_abi gadget_abi = {
	.noun = "gadget",
	.entry = IG_GADGET_ENTRY_NAME,
	.major = IG_GADGET_ABI_MAJOR,
	.minor = IG_GADGET_ABI_MINOR,
};

/* Size of the 1.0 descriptor and tables: anything smaller is corrupt. */
#define DESC_MIN_SZ	(offsetof(struct ig_gadget_desc, container_removed) + \
			 sizeof(((struct ig_gadget_desc *)0)->container_removed))
#define FIELD_MIN_SZ	(offsetof(struct ig_field, enums) + sizeof(void *))
#define PARAM_MIN_SZ	(offsetof(struct ig_param, pad) + 1)

/* What the module loader does not know: a gadget descriptor's own members. */
static int check_desc(const struct ig_gadget_desc *d, char *why, size_t whylen)
{
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

/* The hook table of an ABI 1.4 gadget, checked and host-sized; none before. */
static int normalise_hooks(struct ig_gadget_mod *m, char *why, size_t whylen)
{
	const struct ig_gadget_desc *d = m->desc;
	int err;

	if (!IG_DESC_HAS(d, hooks) || !d->nr_hooks)
		return 0;
	if (!d->hooks || d->hook_sz < IG_DESC_HOOK_MIN_SZ) {
		snprintf(why, whylen, "not a gadget: hook table is malformed");
		return -EINVAL;
	}
	m->hooks = normalise(d->hooks, d->nr_hooks, d->hook_sz, sizeof(struct ig_hook));
	if (!m->hooks) {
		snprintf(why, whylen, "out of memory");
		return -ENOMEM;
	}
	m->nr_hooks = d->nr_hooks;
	err = ig_hooks__check(m->hooks, m->nr_hooks, why, whylen);
	if (err)
		snprintf(why + strlen(why), whylen - strlen(why), " (not a usable gadget)");
	return err;
}

struct ig_gadget_mod *ig_gadget_mod__open(const char *path, char *why, size_t whylen)
{
	struct ig_mem_range ranges[IG_MEM_MAX_RANGES];
	struct ig_gadget_mod *m;
	size_t nr;
	int err;

	m = calloc(1, sizeof(*m));
	if (!m) {
		snprintf(why, whylen, "out of memory");
		errno = ENOMEM;
		return NULL;
	}
	m->desc = ig_module__open(&gadget_abi, path, &m->handle, why, whylen);
	if (!m->desc) {
		err = -errno;
		goto err_close;
	}
	/* Everything it points to must be the gadget's own (desc.h), before a
	 * table of 10^8 fields or a wild pointer is read. */
	nr = ig_mem__module_ranges(m->handle, ranges, IG_MEM_MAX_RANGES);
	err = ig_desc__check(m->desc, ranges, nr, why, whylen);
	if (!err)
		err = check_desc(m->desc, why, whylen);
	if (err)
		goto err_close;
	m->path = strdup(path);
	m->nr_fields = m->desc->nr_fields;
	m->nr_params = m->desc->nr_params;
	m->fields = normalise(m->desc->fields, m->nr_fields, m->desc->field_sz,
			      sizeof(struct ig_field));
	m->params = normalise(m->desc->params, m->nr_params, m->desc->param_sz,
			      sizeof(struct ig_param));
	err = normalise_hooks(m, why, whylen);
	if (err)
		goto err_close;
	if (!m->path || !m->fields || !m->params) {
		snprintf(why, whylen, "out of memory");
		err = -ENOMEM;
		goto err_close;
	}
	return m;

err_close:
	ig_gadget_mod__close(m);
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
	free(m->hooks);
	free(m->path);
	free(m);
}

char **ig_loader__dirs(const char *gadget_path)
{
	const char *env = getenv("IG_GADGET_PATH");
	char **dirs = NULL;
	size_t n = 0;

	if ((gadget_path && ig_module__push_dirs(&dirs, &n, gadget_path)) ||
	    (env && *env && ig_module__push_dirs(&dirs, &n, env)) ||
	    ig_module__push_default_dirs(&dirs, &n, "gadgets")) {
		ig_module__free_dirs(dirs);
		errno = ENOMEM;
		return NULL;
	}
	return dirs;
}

void ig_loader__free_dirs(char **dirs)
{
	ig_module__free_dirs(dirs);
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

struct foreach_ctx {
	bool quiet;
	int (*fn)(void *arg, const struct ig_gadget_mod *m);
	void *arg;
	char **names;			/* listed already: later ones are shadowed */
	size_t nr_names;
	int ret;			/* fn's, as -errno */
};

static bool seen_before(const struct foreach_ctx *fc, const char *name)
{
	size_t i;

	for (i = 0; i < fc->nr_names; i++)
		if (!strcmp(fc->names[i], name))
			return true;
	return false;
}

/* One file of the scan; non-zero stops it. */
static int foreach_file(void *arg, const char *path)
{
	struct foreach_ctx *fc = arg;
	struct ig_gadget_mod *m;
	char why[256], **grown;

	m = ig_gadget_mod__open(path, why, sizeof(why));
	if (!m) {
		if (!fc->quiet)
			ig_warn("refusing gadget %s: %s", path, why);
		return 0;
	}
	if (seen_before(fc, m->desc->name)) {
		ig_info("%s: gadget %s is shadowed by an earlier one", path, m->desc->name);
		ig_gadget_mod__close(m);
		return 0;
	}
	grown = realloc(fc->names, (fc->nr_names + 1) * sizeof(char *));
	if (grown) {
		fc->names = grown;
		fc->names[fc->nr_names++] = strdup(m->desc->name);
	}
	fc->ret = fc->fn(fc->arg, m);
	ig_gadget_mod__close(m);
	if (fc->ret > 0)
		fc->ret = -fc->ret;
	return fc->ret;
}

int ig_loader__foreach(const char *gadget_path, bool quiet,
		       int (*fn)(void *arg, const struct ig_gadget_mod *m), void *arg)
{
	struct foreach_ctx fc = { .quiet = quiet, .fn = fn, .arg = arg };
	char **dirs = ig_loader__dirs(gadget_path), **d;
	size_t i;

	if (!dirs)
		return -errno;
	for (d = dirs; *d && !fc.ret; d++)
		ig_module__scan(*d, foreach_file, &fc);	/* an unreadable dir: none there */
	for (i = 0; i < fc.nr_names; i++)
		free(fc.names[i]);
	free(fc.names);
	ig_loader__free_dirs(dirs);
	return fc.ret < 0 ? fc.ret : (int)fc.nr_names;
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
