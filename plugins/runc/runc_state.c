// SPDX-License-Identifier: Apache-2.0
/*
 * Parse runc's per-container state.json and the OCI bundle's config.json.
 *
 * runc 1.1 writes <root>/<id>/state.json with "id", "init_process_pid",
 * "init_process_start" (clock ticks after boot, to tell a reused pid from the
 * container's), "created" (RFC 3339) and "config", whose "labels" list holds
 * every OCI annotation as "key=value" plus runc's own "bundle=<dir>". The
 * bundle's config.json is the authoritative source of the annotations; the
 * labels are the fallback when the bundle is gone or unreadable.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "runc.h"

/* state.json is a few KiB; config.json of a Kubernetes pod tens of KiB. */
#define RUNC_MAX_FILE	(4u << 20)

static void free_labels(struct ig_label *l, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free((char *)l[i].key);
		free((char *)l[i].value);
	}
	free(l);
}

void runc_state__free(struct runc_state *st)
{
	if (!st)
		return;
	free(st->id);
	free(st->bundle);
	free_labels(st->annotations, st->nr_annotations);
	memset(st, 0, sizeof(*st));
}

static int push_label(struct ig_label **arr, size_t *n, const char *key, size_t klen,
		      const char *value)
{
	struct ig_label *tmp;
	char *k, *v;

	tmp = realloc(*arr, (*n + 1) * sizeof(**arr));
	if (!tmp)
		return -ENOMEM;
	*arr = tmp;
	k = strndup(key, klen);
	v = strdup(value);
	if (!k || !v) {
		free(k);
		free(v);
		return -ENOMEM;
	}
	tmp[*n].key = k;
	tmp[*n].value = v;
	(*n)++;
	return 0;
}

int runc_parse_rfc3339(const char *s, uint64_t *ns)
{
	struct tm tm = { 0 };
	uint64_t frac = 0;
	int digits = 0;
	long off = 0;
	const char *p;
	time_t t;

	p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!p)
		return -EINVAL;
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++, digits++)
			if (digits < 9)
				frac = frac * 10 + (uint64_t)(*p - '0');
		if (!digits)
			return -EINVAL;
		for (; digits < 9; digits++)
			frac *= 10;
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if ((*p == '+' || *p == '-') && strlen(p) == 6 && p[3] == ':') {
		int hh = atoi(p + 1), mm = atoi(p + 4);

		off = (hh * 3600L + mm * 60L) * (*p == '-' ? -1 : 1);
		p += 6;
	} else {
		return -EINVAL;
	}
	if (*p)
		return -EINVAL;
	t = timegm(&tm);
	if (t == (time_t)-1 || t - off < 0)
		return -EINVAL;
	*ns = (uint64_t)(t - off) * 1000000000ull + frac;
	return 0;
}

/* config.labels: ["key=value", ..., "bundle=/dir"] */
static int parse_labels(json_t *labels, struct runc_state *st)
{
	size_t i;
	json_t *v;
	int err;

	json_array_foreach(labels, i, v) {
		const char *s = json_string_value(v), *eq;

		if (!s || !(eq = strchr(s, '=')) || eq == s)
			continue;
		if (eq - s == 6 && !strncmp(s, "bundle", 6)) {
			free(st->bundle);
			st->bundle = strdup(eq + 1);
			if (!st->bundle)
				return -ENOMEM;
			continue;
		}
		err = push_label(&st->annotations, &st->nr_annotations, s, (size_t)(eq - s),
				 eq + 1);
		if (err)
			return err;
	}
	return 0;
}

int runc_state__parse(const char *json, size_t len, struct runc_state *st,
		      char *err, size_t errlen)
{
	json_t *root, *v, *cfg;
	json_error_t jerr;
	json_int_t pid;
	int ret = -EINVAL;

	memset(st, 0, sizeof(*st));
	root = json_loadb(json, len, 0, &jerr);
	if (!root) {
		snprintf(err, errlen, "not JSON (line %d: %s)", jerr.line, jerr.text);
		return -EINVAL;
	}
	if (!json_is_object(root)) {
		snprintf(err, errlen, "not a JSON object");
		goto out_free_json;
	}
	v = json_object_get(root, "id");
	if (!json_is_string(v) || !json_string_length(v)) {
		snprintf(err, errlen, "no \"id\" string");
		goto out_free_json;
	}
	st->id = strdup(json_string_value(v));
	v = json_object_get(root, "init_process_pid");
	pid = json_is_integer(v) ? json_integer_value(v) : 0;
	if (pid <= 0 || pid > INT_MAX) {
		snprintf(err, errlen, "no valid \"init_process_pid\"");
		goto out_free_state;
	}
	st->pid = (int)pid;
	v = json_object_get(root, "init_process_start");
	if (json_is_integer(v) && json_integer_value(v) > 0)
		st->start_time = (uint64_t)json_integer_value(v);
	v = json_object_get(root, "created");
	if (json_is_string(v) && runc_parse_rfc3339(json_string_value(v), &st->created_ns))
		st->created_ns = 0;
	cfg = json_object_get(root, "config");
	v = json_is_object(cfg) ? json_object_get(cfg, "labels") : NULL;
	if (json_is_array(v) && parse_labels(v, st)) {
		snprintf(err, errlen, "out of memory");
		ret = -ENOMEM;
		goto out_free_state;
	}
	if (!st->id) {
		ret = -ENOMEM;
		snprintf(err, errlen, "out of memory");
		goto out_free_state;
	}
	json_decref(root);
	return 0;

out_free_state:
	runc_state__free(st);
out_free_json:
	json_decref(root);
	return ret;
}

int runc_state__parse_config(const char *json, size_t len, struct runc_state *st,
			     char *err, size_t errlen)
{
	struct ig_label *annots = NULL;
	size_t nr = 0;
	json_error_t jerr;
	json_t *root, *a, *v;
	const char *key;
	int ret = -EINVAL;

	root = json_loadb(json, len, 0, &jerr);
	if (!root) {
		snprintf(err, errlen, "config.json is not JSON (line %d: %s)", jerr.line,
			 jerr.text);
		return -EINVAL;
	}
	if (!json_is_object(root)) {
		snprintf(err, errlen, "config.json is not a JSON object");
		goto out_free_json;
	}
	a = json_object_get(root, "annotations");
	if (a && !json_is_object(a)) {
		snprintf(err, errlen, "config.json \"annotations\" is not an object");
		goto out_free_json;
	}
	json_object_foreach(a, key, v) {
		if (!json_is_string(v))
			continue;	/* the OCI spec says string values only */
		ret = push_label(&annots, &nr, key, strlen(key), json_string_value(v));
		if (ret) {
			snprintf(err, errlen, "out of memory");
			free_labels(annots, nr);
			goto out_free_json;
		}
	}
	free_labels(st->annotations, st->nr_annotations);
	st->annotations = annots;
	st->nr_annotations = nr;
	st->annotations_from_config = true;
	ret = 0;
out_free_json:
	json_decref(root);
	return ret;
}

char *runc_read_file(const char *path, size_t *len)
{
	struct meta_read_opts o = { .max = RUNC_MAX_FILE, .owner = META_ANY_OWNER };

	return meta_read_file(path, &o, len);
}

int runc_state__load_as(const char *dir, uid_t owner, struct runc_state *st, char *err,
			size_t errlen)
{
	struct meta_read_opts o = { .max = RUNC_MAX_FILE, .owner = owner,
				    .no_symlinks = owner != META_ANY_OWNER };
	char path[PATH_MAX], cerr[128];
	size_t len;
	char *text;
	int ret;

	memset(st, 0, sizeof(*st));
	snprintf(path, sizeof(path), "%s/state.json", dir);
	text = meta_read_file(path, &o, &len);
	if (!text) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return ret;
	}
	ret = runc_state__parse(text, len, st, cerr, sizeof(cerr));
	free(text);
	if (ret) {
		snprintf(err, errlen, "%s: %s", path, cerr);
		return ret;
	}
	if (!st->bundle)
		return 0;
	/* The labels already carry the annotations; config.json is better
	 * (no "=" ambiguity, other runtimes) but optional: a bundle may be
	 * gone or private. Keep the labels then. */
	snprintf(path, sizeof(path), "%s/config.json", st->bundle);
	text = meta_read_file(path, &o, &len);
	if (text) {
		runc_state__parse_config(text, len, st, cerr, sizeof(cerr));
		free(text);
	}
	return 0;
}

int runc_state__load(const char *dir, struct runc_state *st, char *err, size_t errlen)
{
	return runc_state__load_as(dir, META_ANY_OWNER, st, err, errlen);
}

int runc_proc_start_time(int pid, uint64_t *ticks)
{
	char path[64], buf[1024];
	unsigned long long v;
	const char *p;
	ssize_t n;
	int fd, field;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return n < 0 ? -errno : -EIO;
	buf[n] = '\0';
	/* comm (field 2) may hold spaces and ')': skip to the last ')'. */
	p = strrchr(buf, ')');
	if (!p)
		return -EIO;
	/* Each step moves p to the space before the next field, field 3
	 * first; stop before starttime, field 22. */
	for (field = 3; field <= 22 && p; field++)
		p = strchr(p + 1, ' ');
	if (!p || sscanf(p + 1, "%llu", &v) != 1)
		return -EIO;
	*ticks = v;
	return 0;
}

int runc_docker_meta(const char *json, size_t len, char **name, char **image)
{
	const char *n, *i;
	json_t *root;

	*name = *image = NULL;
	root = json_loadb(json, len, 0, NULL);
	if (!json_is_object(root)) {
		json_decref(root);
		return -EINVAL;
	}
	n = json_string_value(json_object_get(root, "Name"));
	i = json_string_value(json_object_get(json_object_get(root, "Config"), "Image"));
	if (n && *n == '/')
		n++;
	if (n && *n)
		*name = strdup(n);
	if (i && *i)
		*image = strdup(i);
	json_decref(root);
	return 0;
}
