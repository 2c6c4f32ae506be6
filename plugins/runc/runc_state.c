// SPDX-License-Identifier: Apache-2.0
/*
 * Parse runc's per-container state.json and the OCI bundle's config.json.
 *
 * runc 1.1 writes <root>/<id>/state.json with "id", "init_process_pid",
 * "init_process_start" (clock ticks after boot, to tell a reused pid from the
 * container's), "created" (RFC 3339) and "config", whose "labels" list holds
 * every OCI annotation as "key=value" plus runc's own "bundle=<dir>". The
 * bundle's config.json is the authoritative source of the annotations; the
 * labels are the fallback when the bundle is gone or unreadable. Both are
 * streamed through runc_parse.c; this file opens them through meta_file.c
 * (regular files only, no symlink, no waiting on a FIFO, the owner checked
 * for a user's root) and holds the small helpers.
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

#include "json_scan.h"
#include "runc.h"

/* Whole files (dockerd's config.v2.json) are a few KiB. */
#define RUNC_MAX_FILE	(4u << 20)
/* state.json and config.json are streamed (runc_parse.c); past this they are
 * refused. runc's are a few KiB, tens with big OCI configs. */
#define RUNC_MAX_STREAM	(256u << 20)

char *runc_read_file(const char *path, size_t *len)
{
	struct meta_read_opts o = { .max = RUNC_MAX_FILE, .owner = META_ANY_OWNER };

	return meta_read_file(path, &o, len);
}

/* runc_gone_fn for runc_state__scan: the init is gone, or is another
 * process now (start time differs). */
static bool init_gone(int pid, uint64_t start, bool start_known)
{
	uint64_t now;

	if (runc_proc_start_time(pid, &now))
		return true;
	return start_known && start && now != start;
}

/* Stream path through scan, opened as o says (meta_file.c: a regular file,
 * no symlink, the right owner); 0, -ENOENT (no file), or -errno with err. */
static int scan_file(const char *path, const struct meta_read_opts *o, struct runc_state *st,
		     bool state, bool stop_if_gone, char *err, size_t errlen)
{
	struct jscan s;
	char why[192];
	int fd, ret;

	fd = meta_open_file(path, o);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, fd == -EINVAL ? "not a regular file" :
			 strerror(-fd));
		return fd;
	}
	ret = js_init_fd(&s, fd, RUNC_MAX_STREAM);
	if (!ret)
		ret = state ? runc_state__scan(&s, st, stop_if_gone ? init_gone : NULL, why,
					       sizeof(why)) :
			      runc_state__scan_config(&s, st, why, sizeof(why));
	else
		snprintf(why, sizeof(why), "out of memory");
	js_fini(&s);
	close(fd);
	if (ret)
		snprintf(err, errlen, "%s: %s", path, why);
	return ret;
}

static int load(const char *dir, uid_t owner, struct runc_state *st, bool stop_if_gone,
		char *err, size_t errlen)
{
	struct meta_read_opts o = { .max = RUNC_MAX_STREAM, .owner = owner,
				    .no_symlinks = owner != META_ANY_OWNER };
	char path[PATH_MAX], cerr[PATH_MAX + 200];
	int ret;

	memset(st, 0, sizeof(*st));
	snprintf(path, sizeof(path), "%s/state.json", dir);
	ret = scan_file(path, &o, st, true, stop_if_gone, err, errlen);
	if (ret || !st->bundle)
		return ret;
	/* The labels already carry the annotations; config.json is better
	 * (no "=" ambiguity, other runtimes) but optional: a bundle may be
	 * gone or private. Keep the labels then. */
	snprintf(path, sizeof(path), "%s/config.json", st->bundle);
	scan_file(path, &o, st, false, false, cerr, sizeof(cerr));
	return 0;
}

int runc_state__load_as(const char *dir, uid_t owner, struct runc_state *st, char *err,
			size_t errlen)
{
	return load(dir, owner, st, false, err, errlen);
}

int runc_state__load(const char *dir, struct runc_state *st, char *err, size_t errlen)
{
	return load(dir, META_ANY_OWNER, st, false, err, errlen);
}

int runc_state__load_running_as(const char *dir, uid_t owner, struct runc_state *st,
				char *err, size_t errlen)
{
	return load(dir, owner, st, true, err, errlen);
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
