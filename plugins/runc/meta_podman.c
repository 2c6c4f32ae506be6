// SPDX-License-Identifier: Apache-2.0
/*
 * podman's names and images, from containers/storage (which CRI-O uses too).
 *
 * libpod keeps its own database (bolt_state.db, or sqlite in podman 4.8+),
 * but the storage layer it sits on keeps, for every container, one entry in
 * <graphroot>/<driver>-containers/containers.json:
 *     {"id": "587c...", "names": ["p2"], "image": "<image id>",
 *      "metadata": "{\"image-name\":\"localhost/busybox:latest\",
 *                    \"name\":\"p2\",...}", ...}
 * written when the container is created, before runc runs, and deleted with
 * the container. podman's bundle is <graphroot>/<driver>-containers/<id>/userdata,
 * so the file is found from the bundle for rootful and rootless stores alike.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "meta.h"

/* Thousands of containers at ~700 bytes each. */
#define PODMAN_MAX_FILE	(64u << 20)
#define PODMAN_MAX_META	(64u << 10)

static struct {
	char path[4096];
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
	uid_t owner;		/* the checks it was read under */
	bool no_symlinks;
	json_t *root;
} cache;

void meta_podman_cache_drop(void)
{
	json_decref(cache.root);
	memset(&cache, 0, sizeof(cache));
}

static int dup_str(char **dst, const char *src)
{
	if (!src || !*src)
		return 0;
	*dst = strdup(src);
	return *dst ? 0 : -ENOMEM;
}

/* The image name in the entry's "metadata", itself a JSON text. */
static int image_from_metadata(json_t *entry, struct meta_info *mi)
{
	json_t *md = json_object_get(entry, "metadata"), *inner;
	int ret;

	if (!json_is_string(md) || json_string_length(md) > PODMAN_MAX_META)
		return 0;
	inner = json_loadb(json_string_value(md), json_string_length(md), 0, NULL);
	ret = dup_str(&mi->image, json_string_value(json_object_get(inner, "image-name")));
	if (!ret && !mi->name)
		ret = dup_str(&mi->name, json_string_value(json_object_get(inner, "name")));
	json_decref(inner);
	return ret;
}

static int find_in(json_t *root, const char *id, struct meta_info *mi)
{
	size_t i;
	json_t *e;

	json_array_foreach(root, i, e) {
		json_t *names;

		if (!json_is_object(e) || !json_is_string(json_object_get(e, "id")) ||
		    strcmp(json_string_value(json_object_get(e, "id")), id))
			continue;
		names = json_object_get(e, "names");
		if (json_is_array(names) &&
		    dup_str(&mi->name, json_string_value(json_array_get(names, 0))))
			return -ENOMEM;
		if (image_from_metadata(e, mi)) {
			meta_info__free(mi);
			return -ENOMEM;
		}
		return 0;
	}
	return -ENOENT;
}

static json_t *parse(const char *json, size_t len, char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);

	if (!root) {
		snprintf(err, errlen, "not JSON (line %d: %s)", jerr.line, jerr.text);
		return NULL;
	}
	if (!json_is_array(root)) {
		snprintf(err, errlen, "not a JSON array of containers");
		json_decref(root);
		return NULL;
	}
	return root;
}

int meta_podman_parse(const char *json, size_t len, const char *id, struct meta_info *mi,
		      char *err, size_t errlen)
{
	json_t *root;
	int ret;

	memset(mi, 0, sizeof(*mi));
	root = parse(json, len, err, errlen);
	if (!root)
		return -EINVAL;
	ret = find_in(root, id, mi);
	json_decref(root);
	return ret;
}

/* The cached parse of path if the file did not change, else a new one. */
static int load(const char *path, const struct meta_read_opts *o, json_t **out,
		char *err, size_t errlen)
{
	struct meta_read_opts ro = *o;
	struct stat sb;
	size_t len;
	char *text;
	int ret, st;

	st = stat(path, &sb);
	if (!st && cache.root && !strcmp(cache.path, path) && cache.owner == o->owner &&
	    cache.no_symlinks == o->no_symlinks &&
	    cache.dev == sb.st_dev && cache.ino == sb.st_ino && cache.size == sb.st_size &&
	    cache.mtime.tv_sec == sb.st_mtim.tv_sec && cache.mtime.tv_nsec == sb.st_mtim.tv_nsec) {
		*out = cache.root;
		return 0;
	}
	if (!ro.max || ro.max > PODMAN_MAX_FILE)
		ro.max = PODMAN_MAX_FILE;
	text = meta_read_file(path, &ro, &len);
	if (!text) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(-ret));
		return ret == -ENOENT ? -ENOENT : -EINVAL;
	}
	meta_podman_cache_drop();
	cache.root = parse(text, len, err, errlen);
	free(text);
	if (!cache.root)
		return -EINVAL;
	*out = cache.root;
	if (st)
		return 0;	/* no key to cache it by: parsed again next time */
	/* The stat of before the read: a change after it shows as a new
	 * size or mtime next time. */
	snprintf(cache.path, sizeof(cache.path), "%s", path);
	cache.dev = sb.st_dev;
	cache.ino = sb.st_ino;
	cache.size = sb.st_size;
	cache.mtime = sb.st_mtim;
	cache.owner = o->owner;
	cache.no_symlinks = o->no_symlinks;
	return 0;
}

static int lookup_file(const char *path, const char *id, const struct meta_read_opts *o,
		       struct meta_info *mi, char *err, size_t errlen)
{
	json_t *root;
	int ret;

	memset(mi, 0, sizeof(*mi));
	ret = load(path, o, &root, err, errlen);
	return ret ? ret : find_in(root, id, mi);
}

int meta_podman_lookup(const char *bundle, const char *id, const struct meta_read_opts *o,
		       struct meta_info *mi, char *err, size_t errlen)
{
	char path[4096];
	const char *end;
	size_t n;

	memset(mi, 0, sizeof(*mi));
	/* bundle = <store>/<driver>-containers/<id>/userdata */
	n = strlen(bundle);
	while (n > 1 && bundle[n - 1] == '/')
		n--;
	if (n < 9 || strncmp(bundle + n - 9, "/userdata", 9))
		return -ENOENT;
	n -= 9;
	end = memrchr(bundle, '/', n);
	if (!end || (size_t)(bundle + n - end - 1) != strlen(id) || strncmp(end + 1, id, strlen(id)))
		return -ENOENT;
	n = (size_t)(end - bundle);
	if ((size_t)snprintf(path, sizeof(path), "%.*s/containers.json", (int)n, bundle) >=
	    sizeof(path))
		return -ENAMETOOLONG;
	return lookup_file(path, id, o, mi, err, errlen);
}

int meta_podman_lookup_store(const char *graphroot, const char *id,
			     const struct meta_read_opts *o, struct meta_info *mi,
			     char *err, size_t errlen)
{
	static const char *const drivers[] = { "overlay", "vfs", "btrfs", "zfs" };
	char path[4096];
	int ret = -ENOENT;

	for (size_t i = 0; i < sizeof(drivers) / sizeof(*drivers) && ret == -ENOENT; i++) {
		snprintf(path, sizeof(path), "%s/%s-containers/containers.json", graphroot,
			 drivers[i]);
		ret = lookup_file(path, id, o, mi, err, errlen);
	}
	return ret;
}
