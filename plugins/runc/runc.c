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
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ig/plugin.h>

#include "runc.h"

struct runc_plugin {
	const struct ig_plugin_host *host;
	struct runc_watch *watch;
};

static const struct {
	const char *path;
	const char *runtime;
	enum runc_root_kind kind;
} default_roots[] = {
	{ "/run/runc", "runc", RUNC_ROOT_STATE },
	{ "/run/containerd/runc", "containerd", RUNC_ROOT_PARENT },
	{ "/run/docker/runtime-runc/moby", "docker", RUNC_ROOT_STATE },
};

void runc_plugin__log(struct runc_plugin *p, int level, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	IG_LOG(p->host, level, "%s", msg);
}

/* Docker's own name and image of a container; nothing if unreadable. */
static void docker_meta(const char *id, char **name, char **image)
{
	char path[512];
	size_t len;
	char *text;

	snprintf(path, sizeof(path), "%s/containers/%s/config.v2.json", RUNC_DOCKER_DATA_ROOT, id);
	text = runc_read_file(path, &len);
	if (!text)
		return;
	runc_docker_meta(text, len, name, image);
	free(text);
}

bool runc_plugin__seen(struct runc_plugin *p, const char *root_runtime, const char *dir,
		       const char *id, bool reported)
{
	struct ig_container c = { .sz = sizeof(c) };
	char *name = NULL, *image = NULL;
	struct runc_state st;
	uint64_t start;
	char err[512];
	int ret;

	if (reported)
		return true;	/* state.json rewritten on start/pause: nothing new */
	ret = runc_state__load_running(dir, &st, err, sizeof(err));
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
		 * now belongs to another process. */
		runc_plugin__log(p, IG_LOG_DEBUG, "%s: init pid %d is gone: container stopped",
				 dir, st.pid);
		goto out_free_state;
	}
	c.runtime = runc_runtime_name(root_runtime, &st);
	c.id = st.id;
	c.pid = st.pid;
	c.bundle = st.bundle;
	c.created_ns = st.created_ns;
	c.annotations = st.annotations;
	c.nr_annotations = (uint32_t)st.nr_annotations;
	if (!strcmp(root_runtime, "docker"))
		docker_meta(st.id, &name, &image);
	c.name = name;
	c.image = image;
	ret = p->host->container_added(p->host->ctx, &c);
	free(name);
	free(image);
	/* -ESRCH: gone meanwhile; -EPERM: the core said why it refused. */
	if (ret && ret != -ESRCH && ret != -EPERM)
		runc_plugin__log(p, IG_LOG_WARN, "cannot register container %s: %s", st.id,
				 strerror(-ret));
	runc_state__free(&st);
	return ret == 0;

out_free_state:
	runc_state__free(&st);
	return false;
}

void runc_plugin__gone(struct runc_plugin *p, const char *id)
{
	p->host->container_removed(p->host->ctx, id);
}

static int runc_init(const struct ig_plugin_host *host, void **state)
{
	struct runc_plugin *p;
	int err;

	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->host = host;
	p->watch = runc_watch__new(p);
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

static int runc_start(void *state)
{
	struct runc_plugin *p = state;

	return runc_watch__start(p->watch);
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
};

IG_PLUGIN_DEFINE(runc_desc);
