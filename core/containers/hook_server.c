// SPDX-License-Identifier: Apache-2.0
/*
 * The listening side of `ig hook` (client in core/cli/cmd_hook.c).
 *
 * Every ig that discovers containers and polls listens on
 * <hook dir>/ig-<pid>.sock (SOCK_SEQPACKET: one message per hook, no
 * framing). An OCI hook sends {"stage": "createRuntime", "state": {OCI
 * state}}; this ig registers the container (filter map, gadgets'
 * container_added) before it answers "ok", so the hook, and with it the
 * runtime, waits until tracing is in place. The message is read with a short
 * timeout on the accepted socket: the hook sends it right after connecting,
 * and a client that does not cannot stall the event loop for long. Sockets
 * of igs that died without cleaning up (SIGKILL) are removed at start.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "core/base/log.h"
#include "hook_server.h"

#define HOOK_READ_TIMEOUT_MS	500

struct ctr_hook_server {
	const struct ctr_report_ops *ops;
	struct ctr_pollable listen;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
};

const char *ig_hook_dir(void)
{
	const char *d = getenv("IG_HOOK_DIR");

	return d && *d ? d : IG_HOOK_DIR_DEFAULT;
}

int ig_hook_dir_check(const char *dir)
{
	struct stat sb;

	if (lstat(dir, &sb))
		return -errno;
	/* Whoever can write here can impersonate ig or read container states. */
	if (!S_ISDIR(sb.st_mode) || sb.st_uid != geteuid() || (sb.st_mode & (S_IWGRP | S_IWOTH)))
		return -EPERM;
	return 0;
}

/* The pid of a name "ig-<digits>.sock", or 0 for any other name. */
static pid_t sock_pid(const char *name)
{
	const char *p = name + 3;
	long pid = 0;

	if (strncmp(name, "ig-", 3) || *p < '0' || *p > '9')
		return 0;
	for (; *p >= '0' && *p <= '9'; p++) {
		pid = pid * 10 + (*p - '0');
		if (pid > INT_MAX)
			return 0;
	}
	return strcmp(p, ".sock") ? 0 : (pid_t)pid;
}

/* Nobody accepts on it: refused, not merely slow. Closing right after
 * connecting costs a listening ig nothing (its read sees EOF at once). */
static bool sock_refused(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd, refused;

	if (strlen(path) >= sizeof(addr.sun_path))
		return false;
	strcpy(addr.sun_path, path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return false;
	refused = connect(fd, (struct sockaddr *)&addr, sizeof(addr)) && errno == ECONNREFUSED;
	close(fd);
	return refused;
}

/*
 * An ig killed with SIGKILL leaves its ig-<pid>.sock behind. Remove those
 * whose pid no longer exists and that nobody listens on (an ig in another
 * pid namespace sharing the directory has a pid we cannot see, but it
 * accepts). Only sockets with exactly that name pattern; dir has passed
 * ig_hook_dir_check(), so no one else can plant or swap files here.
 */
static void remove_stale(const char *dir)
{
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct dirent *de;
	struct stat sb;
	pid_t pid;
	DIR *d;

	d = opendir(dir);
	if (!d)
		return;
	while ((de = readdir(d))) {
		pid = sock_pid(de->d_name);
		if (!pid || pid == getpid() || !kill(pid, 0) || errno != ESRCH)
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >=
		    sizeof(path) || lstat(path, &sb) || !S_ISSOCK(sb.st_mode) ||
		    !sock_refused(path))
			continue;
		if (!unlink(path))
			ig_dbg("removed %s: its ig (pid %d) is gone", path, (int)pid);
	}
	closedir(d);
}

struct ctr_hook_server *ctr_hook_server__new(const struct ctr_report_ops *ops)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct ctr_hook_server *hs;
	const char *dir = ig_hook_dir();
	int saved;

	if (mkdir(dir, 0700) && errno != EEXIST)
		return NULL;
	if (ig_hook_dir_check(dir)) {
		ig_warn("hook directory %s is not a directory owned by this user and writable by "
			"it alone: not listening for `ig hook` (fix: chmod 700, chown)", dir);
		errno = EPERM;
		return NULL;
	}
	remove_stale(dir);
	hs = calloc(1, sizeof(*hs));
	if (!hs)
		return NULL;
	hs->ops = ops;
	hs->listen.kind = CTR_POLL_HOOK;
	if ((size_t)snprintf(hs->path, sizeof(hs->path), "%s/ig-%d.sock", dir, (int)getpid()) >=
	    sizeof(hs->path)) {
		errno = ENAMETOOLONG;
		goto out_free_hs;
	}
	strcpy(addr.sun_path, hs->path);
	hs->listen.fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (hs->listen.fd < 0)
		goto out_free_hs;
	unlink(hs->path);	/* a previous ig with our pid died without cleanup */
	if (bind(hs->listen.fd, (struct sockaddr *)&addr, sizeof(addr)) ||
	    chmod(hs->path, 0600) || listen(hs->listen.fd, 64))
		goto out_close_fd;
	if (ops->poll_add(ops->arg, &hs->listen))
		goto out_unlink;
	return hs;

out_unlink:
	unlink(hs->path);
out_close_fd:
	saved = errno;
	close(hs->listen.fd);
	errno = saved;
out_free_hs:
	free(hs);
	return NULL;
}

static void annotations_from_json(json_t *obj, struct ig_label **out, uint32_t *nr)
{
	const char *key;
	json_t *v;

	*out = NULL;
	*nr = 0;
	if (!json_is_object(obj) || !json_object_size(obj))
		return;
	*out = calloc(json_object_size(obj), sizeof(**out));
	if (!*out)
		return;
	json_object_foreach(obj, key, v) {
		if (!json_is_string(v))
			continue;
		(*out)[*nr].key = key;	/* borrowed from obj: copied by the table */
		(*out)[*nr].value = json_string_value(v);
		(*nr)++;
	}
}

int ctr_hook_apply(const struct ctr_report_ops *ops, const char *msg, size_t len,
		   char *err, size_t errlen)
{
	struct ig_container c = { .sz = sizeof(c) };
	struct ig_label *annots = NULL;
	json_t *root, *st, *v;
	const char *stage;
	struct timespec now;
	int ret = -EINVAL;

	root = json_loadb(msg, len, 0, NULL);
	st = json_object_get(root, "state");
	stage = json_string_value(json_object_get(root, "stage"));
	if (!json_is_object(st) || !stage) {
		snprintf(err, errlen, "hook message without \"stage\" and \"state\"");
		goto out_free_json;
	}
	c.id = json_string_value(json_object_get(st, "id"));
	if (!c.id || !*c.id) {
		snprintf(err, errlen, "OCI state without \"id\"");
		goto out_free_json;
	}
	if (!strcmp(stage, "poststop")) {
		ops->remove(ops->arg, c.id);
		ret = 0;
		goto out_free_json;
	}
	v = json_object_get(st, "pid");
	c.pid = json_is_integer(v) ? (int32_t)json_integer_value(v) : 0;
	if (c.pid <= 0) {
		snprintf(err, errlen, "OCI state of %s has no pid (stage %s)", c.id, stage);
		goto out_free_json;
	}
	c.bundle = json_string_value(json_object_get(st, "bundle"));
	annotations_from_json(json_object_get(st, "annotations"), &annots, &c.nr_annotations);
	c.annotations = annots;
	clock_gettime(CLOCK_REALTIME, &now);
	c.created_ns = (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec;
	/* The engine names it, as it would without the hook: the plugins
	 * report it first when they know it, and this report only fills in. */
	if (ops->identify) {
		struct ig_plugin_query q = {
			.sz = sizeof(q), .id = c.id, .pid = c.pid, .bundle = c.bundle,
			.annotations = c.annotations, .nr_annotations = c.nr_annotations,
		};

		ops->identify(ops->arg, &q);
	}
	ret = ops->report(ops->arg, &c, true);
	if (ret)
		snprintf(err, errlen, "cannot register %s: %s", c.id, strerror(-ret));
	free(annots);
out_free_json:
	json_decref(root);
	return ret;
}

int ctr_hook_server__dispatch(struct ctr_hook_server *hs)
{
	struct timeval tv = { .tv_usec = HOOK_READ_TIMEOUT_MS * 1000 };
	char err[256] = "", *buf = NULL;
	ssize_t n;
	int fd;

	/* Several hooks may be queued; handle them all. */
	while ((fd = accept4(hs->listen.fd, NULL, NULL, SOCK_CLOEXEC)) >= 0) {
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		n = recv(fd, NULL, 0, MSG_PEEK | MSG_TRUNC);
		if (n > 0 && (size_t)n <= IG_HOOK_MAX_MSG && (buf = malloc((size_t)n + 1)) &&
		    (n = recv(fd, buf, (size_t)n, 0)) > 0) {
			int ret = ctr_hook_apply(hs->ops, buf, (size_t)n, err, sizeof(err));

			if (ret)
				ig_info("hook: %s", err);
			/* The hook only waits; it does not care about errors. */
			send(fd, ret ? "error" : "ok", ret ? 5 : 2, MSG_NOSIGNAL);
		}
		free(buf);
		buf = NULL;
		close(fd);
	}
	return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -errno;
}

void ctr_hook_server__destroy(struct ctr_hook_server *hs)
{
	if (!hs)
		return;
	unlink(hs->path);
	close(hs->listen.fd);
	free(hs);
}
