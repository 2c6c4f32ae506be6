// SPDX-License-Identifier: Apache-2.0
/*
 * runc-family discovery plugin: containers run by runc directly, by
 * containerd (and so Kubernetes with containerd), by Docker, and by CRI-O
 * with runc, found through runc's per-container state directories.
 *
 * Default roots: runc's /run/runc (also CRI-O's), containerd's
 * /run/containerd/runc/<namespace>/ and Docker's /run/docker/runtime-runc/moby,
 * plus every --runtime-root. The plugin reports what the state says (id,
 * init pid, bundle, creation time, annotations); the core derives names.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ig/plugin.h>

#include "runc.h"

static const struct {
	const char *path;
	const char *runtime;
	enum runc_root_kind kind;
} default_roots[] = {
	{ "/run/runc", "runc", RUNC_ROOT_STATE },
	{ "/run/containerd/runc", "containerd", RUNC_ROOT_PARENT },
	{ "/run/docker/runtime-runc/moby", "docker", RUNC_ROOT_STATE },
	{ "/run/user", "runc", RUNC_ROOT_USERS },	/* rootless podman, rootless runc */
};

/* A user's container: its init must be that user's process, or a state
 * file of theirs could claim someone else's process. */
static bool owned_by(int pid, uid_t owner)
{
	char path[32];
	struct stat sb;

	if (owner == META_ANY_OWNER)
		return true;
	snprintf(path, sizeof(path), "/proc/%d", pid);
	return !stat(path, &sb) && sb.st_uid == owner;
}

/* runc_watch_ops.seen */
static bool seen(void *arg, const char *root_runtime, uid_t owner, const char *dir,
		 const char *id, bool reported)
{
	struct runc_plugin *p = arg;
	char root_dir[PATH_MAX], *slash;
	struct runc_state st;
	uint64_t start;
	char err[512];
	int ret;

	if (reported)
		return true;	/* state.json rewritten on start/pause: nothing new */
	ret = runc_state__load_running_as(dir, owner, &st, err, sizeof(err));
	if (ret == -ENOENT)
		return false;	/* the directory is there, state.json not yet */
	if (ret == -ESRCH) {
		/* Stopped: runc keeps the state until `runc delete`. */
		runc_plugin__log(p, IG_LOG_DEBUG, "%s: %s", dir, err);
		return false;
	}
	if (ret) {
		/* A container ig cannot see is a warning, named, even without
		 * -v: its processes go untraced. It must not hide the others. */
		runc_plugin__log(p, IG_LOG_WARN, "skipping container %s: %s", id, err);
		return false;
	}
	if (st.annotations_truncated)
		runc_plugin__log(p, IG_LOG_WARN, "container %s: more annotations than ig keeps "
				 "(4096, 1 MiB in all): the rest are ignored", st.id);
	if (strcmp(st.id, id))
		runc_plugin__log(p, IG_LOG_DEBUG, "%s: id \"%s\" differs from its directory name",
				 dir, st.id);
	ret = runc_proc_start_time(st.pid, &start);
	if (ret || (st.start_time && start != st.start_time)) {
		/* Stopped (runc keeps the state until `runc delete`), or the pid
		 * now belongs to another process. A container that ran while ig
		 * looked is reported through identify() (its birth). */
		runc_plugin__log(p, IG_LOG_DEBUG, "%s: init pid %d is gone: container stopped",
				 dir, st.pid);
		runc_state__free(&st);
		return false;
	}
	if (!owned_by(st.pid, owner)) {
		runc_plugin__log(p, IG_LOG_WARN, "%s: init pid %d is not a process of uid %u, "
				 "who owns this state: ignored", dir, st.pid, (unsigned int)owner);
		runc_state__free(&st);
		return false;
	}
	/* dir is <root>/<id> */
	snprintf(root_dir, sizeof(root_dir), "%s", dir);
	if ((slash = strrchr(root_dir, '/')))
		*slash = '\0';
	ret = runc_plugin__report_state(p, root_runtime, root_dir, owner, &st, 0, 0);
	runc_state__free(&st);
	return ret == 0;
}

/* runc_watch_ops.gone */
static void gone(void *arg, const char *id)
{
	struct runc_plugin *p = arg;

	p->host->container_removed(p->host->ctx, id);
}

static int runc_identify_cb(void *state, const struct ig_plugin_query *q)
{
	struct runc_plugin *p = state;

	return runc_identify(p, p->watch, q);
}

static int runc_init(const struct ig_plugin_host *host, void **state)
{
	struct runc_plugin *p;
	int err;

	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->host = host;
	p->watch_ops = (struct runc_watch_ops){ .seen = seen, .gone = gone, .arg = p };
	p->watch = runc_watch__new(host, &p->watch_ops);
	if (!p->watch) {
		err = -errno;
		IG_ERROR(host, "inotify: %s", strerror(errno));
		goto out_free_plugin;
	}
	for (size_t i = 0; i < IG_ARRAY_SIZE(default_roots); i++) {
		err = runc_watch__add_root(p->watch, default_roots[i].path,
					   default_roots[i].runtime, default_roots[i].kind);
		if (err)
			goto out_free_watch;
	}
	for (const char *const *r = host->runtime_roots; r && *r; r++) {
		err = runc_watch__add_root(p->watch, *r, "runc", RUNC_ROOT_STATE);
		if (err) {
			IG_ERROR(host, "--runtime-root %s: %s (give an absolute directory path)",
				 *r, strerror(-err));
			goto out_free_watch;
		}
	}
	*state = p;
	return 0;

out_free_watch:
	runc_watch__destroy(p->watch);
out_free_plugin:
	free(p);
	return err;
}

/* The first directory below dir holding a state.json, "" if none. */
static bool state_below(const char *dir, char *found, size_t size)
{
	struct dirent *de;
	char path[PATH_MAX];
	bool hit = false;
	DIR *d = opendir(dir);

	while (d && !hit && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s/state.json", dir, de->d_name);
		hit = !access(path, F_OK);
		if (hit)
			snprintf(found, size, "%s/%s", dir, de->d_name);
	}
	if (d)
		closedir(d);
	return hit;
}

/*
 * A --runtime-root that holds no container state is most likely not what
 * the user meant (one level too high, as with containerd's
 * /run/containerd/runc): say so, and which directory would be.
 */
static void check_root(struct runc_plugin *p, const char *root)
{
	char hit[PATH_MAX], sub[PATH_MAX], inner[PATH_MAX];
	struct dirent *de;
	struct stat sb;
	DIR *d;

	if (stat(root, &sb)) {
		IG_WARN(p->host, "--runtime-root %s does not exist (yet): %s; ig watches for it",
			root, strerror(errno));
		return;
	}
	if (!S_ISDIR(sb.st_mode)) {
		IG_WARN(p->host, "--runtime-root %s is not a directory: give the directory "
			"`runc --root` takes", root);
		return;
	}
	if (state_below(root, hit, sizeof(hit)))
		return;
	d = opendir(root);
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", root, de->d_name);
		if (state_below(sub, inner, sizeof(inner))) {
			IG_WARN(p->host, "--runtime-root %s holds no container state "
				"(<id>/state.json), its subdirectory %s does: give --runtime-root %s "
				"(what `runc --root` takes)", root, sub, sub);
			closedir(d);
			return;
		}
	}
	if (d)
		closedir(d);
	IG_WARN(p->host, "--runtime-root %s holds no container state (<id>/state.json, as "
		"`runc --root` keeps it) now; ig watches it for new containers", root);
}

static int runc_start(void *state)
{
	struct runc_plugin *p = state;
	int err = runc_watch__start(p->watch);

	for (const char *const *r = p->host->runtime_roots; !err && r && *r; r++)
		check_root(p, *r);
	return err;
}

static int runc_fds(void *state, int *fds, int max)
{
	struct runc_plugin *p = state;

	if (max < 1)
		return 0;
	fds[0] = runc_watch__fd(p->watch);
	return 1;
}

static int runc_dispatch(void *state, int fd)
{
	struct runc_plugin *p = state;

	return runc_watch__dispatch(p->watch);
}

static void runc_destroy(void *state)
{
	struct runc_plugin *p = state;

	if (!p)
		return;
	runc_watch__destroy(p->watch);
	/* The cached containers.json goes with the plugin (dlclose() would
	 * leave it unreachable: make test SANITIZE=1 saw the leak). */
	meta_podman_cache_drop();
	free(p);
}

static const struct ig_plugin_desc runc_desc = {
	IG_PLUGIN_DESC_HEADER,
	.name = "runc",
	.version = "0.1.0",
	.summary = "containers of runc, containerd, Docker and CRI-O (runc state directories)",
	.init = runc_init,
	.start = runc_start,
	.fds = runc_fds,
	.dispatch = runc_dispatch,
	.destroy = runc_destroy,
	.identify = runc_identify_cb,
};

IG_PLUGIN_DEFINE(runc_desc);
