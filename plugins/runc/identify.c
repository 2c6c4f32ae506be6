// SPDX-License-Identifier: Apache-2.0
/*
 * identify() of the plugin ABI: the core has a container no state told us
 * about yet, and asks which one it is.
 *
 * From `ig hook` (createRuntime: runc has not written state.json yet) it
 * has the id, the bundle and the annotations: the bundle says the engine
 * (containerd's task directory /run/containerd/io.containerd.runtime.v2.task/
 * <namespace>/<id>, "moby" being Docker's namespace; podman's storage with
 * its io.container.manager annotation), whose record then gives the name.
 *
 * From the kernel (a birth: runc forked a container's init) it has the
 * init's pid and start time, its mount namespace and its cgroup's name,
 * which holds the id (meta.c). A runc state with that id and init pid is
 * the best answer; else the engine's own record of that id, which exists
 * from `create` until the container is removed, so also after a short
 * container ran and runc deleted its state.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "meta.h"
#include "runc.h"

#define TASK_DIR	"/run/containerd/io.containerd.runtime.v2.task/"

struct try_state {
	struct runc_plugin *p;
	const struct ig_plugin_query *q;
	const char *id;
	int ret;
};

/* <root>/<id>/state.json, if it is the queried init. */
static int try_root(void *arg, const char *root, const char *runtime, uid_t owner)
{
	struct try_state *t = arg;
	const struct ig_plugin_query *q = t->q;
	char dir[PATH_MAX], err[512];
	struct runc_state st;
	uint64_t start = 0;
	bool alive;

	if ((size_t)snprintf(dir, sizeof(dir), "%s/%s", root, t->id) >= sizeof(dir) ||
	    runc_state__load_as(dir, owner, &st, err, sizeof(err)))
		return 0;
	if (st.pid != q->pid || (q->start_ticks && st.start_time && q->start_ticks != st.start_time))
		goto out_next;
	alive = !runc_proc_start_time(st.pid, &start) &&
		(!st.start_time || start == st.start_time);
	if (!alive && !(q->flags & IG_QUERY_EXITED))
		goto out_next;	/* gone since the core asked: it asks again */
	t->ret = runc_plugin__report_state(t->p, runtime, root, owner, &st,
					   alive ? 0 : IG_CONTAINER_REMOVED, q->mntns);
	runc_state__free(&st);
	return 1;

out_next:
	runc_state__free(&st);
	return 0;
}

static int report_engine(struct runc_plugin *p, const struct ig_plugin_query *q, const char *id,
			 const struct runc_engine *eng, bool gone)
{
	struct ig_container c = {
		.sz = sizeof(c), .runtime = eng->runtime, .id = id, .pid = q->pid,
		.mntns = q->mntns, .name = eng->mi.name, .image = eng->mi.image,
		.flags = gone ? IG_CONTAINER_REMOVED : 0,
		/* containerd's CRI labels carry the Kubernetes names
		 * (io.kubernetes.pod.name, ...): the core reads them as it reads
		 * CRI-O's annotations */
		.annotations = eng->mi.labels, .nr_annotations = (uint32_t)eng->mi.nr_labels,
	};

	return runc_plugin__report(p, &c);
}

static int by_cgroup(struct runc_plugin *p, struct runc_watch *w, const struct ig_plugin_query *q)
{
	struct try_state t = { .p = p, .q = q, .ret = -ENOENT };
	struct meta_cgroup_id cg;
	struct runc_engine eng;
	const char *rt;
	char err[512];
	int ret;

	if (meta_cgroup_id(q->cgroup, q->cgroup_parent, &cg))
		return -ENOENT;
	t.id = cg.id;
	if (runc_watch__foreach_root(w, try_root, &t))
		return t.ret;
	ret = runc_engine__lookup(cg.engine, cg.parent[0] ? cg.parent : NULL, cg.id, &eng, err,
				  sizeof(err));
	if (ret == -EINVAL)
		runc_plugin__log(p, IG_LOG_INFO, "container %s: %s", cg.id, err);
	/* runc alone, gone: its id is its name, and a directory of that name
	 * came and went in runc's root while ig watched. (Alive, its state is
	 * about to be written: the annotations in it may name it otherwise.) */
	if (ret && (q->flags & IG_QUERY_EXITED) && cg.engine == META_ENGINE_RUNC &&
	    !cg.parent[0] &&
	    (rt = runc_watch__recent(w, cg.id)) && !strcmp(rt, "runc")) {
		runc_engine__fini(&eng);
		eng.runtime = "runc";
		ret = 0;
	}
	if (!ret)
		ret = report_engine(p, q, cg.id, &eng, q->flags & IG_QUERY_EXITED);
	runc_engine__fini(&eng);
	return ret ? -ENOENT : 0;
}

/* The hook's OCI state: no runc state yet; the bundle and annotations say
 * which engine to ask. */
static int by_bundle(struct runc_plugin *p, const struct ig_plugin_query *q)
{
	struct runc_state st = {
		.id = (char *)q->id, .pid = q->pid, .bundle = (char *)q->bundle,
		.annotations = (struct ig_label *)q->annotations,
		.nr_annotations = q->nr_annotations,
	};
	const char *runtime = "runc", *ns, *slash;
	char root_dir[PATH_MAX] = "", err[512];
	struct runc_engine eng;
	int ret;

	if (q->bundle && !strncmp(q->bundle, TASK_DIR, strlen(TASK_DIR))) {
		ns = q->bundle + strlen(TASK_DIR);
		slash = strchr(ns, '/');
		if (slash && !strcmp(slash + 1, q->id)) {
			runtime = !strncmp(ns, "moby/", 5) ? "docker" : "containerd";
			snprintf(root_dir, sizeof(root_dir), "/run/containerd/runc/%.*s",
				 (int)(slash - ns), ns);
		}
	}
	ret = runc_engine__describe(runtime, root_dir[0] ? root_dir : NULL, META_ANY_OWNER, &st,
				    &eng, err, sizeof(err));
	if (ret)
		runc_plugin__log(p, IG_LOG_INFO, "container %s: %s", q->id, err);
	ret = -ENOENT;
	if (eng.mi.name || eng.mi.image || strcmp(eng.runtime, "runc")) {
		struct ig_container c = {
			.sz = sizeof(c), .runtime = eng.runtime, .id = q->id, .pid = q->pid,
			.bundle = q->bundle, .annotations = q->annotations,
			.nr_annotations = q->nr_annotations, .name = eng.mi.name,
			.image = eng.mi.image,
		};

		ret = runc_plugin__report(p, &c) ? -ENOENT : 0;
	}
	runc_engine__fini(&eng);
	return ret;
}

int runc_identify(struct runc_plugin *p, struct runc_watch *w, const struct ig_plugin_query *q)
{
	if (!q || !IG_PLUGIN_QUERY_HAS(q, cgroup_parent) || q->pid <= 0)
		return -ENOENT;
	if (q->id)
		return meta_id_valid(q->id, strlen(q->id)) ? by_bundle(p, q) : -ENOENT;
	if (q->cgroup)
		return by_cgroup(p, w, q);
	return -ENOENT;
}
