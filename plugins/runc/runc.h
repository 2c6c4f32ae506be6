/* SPDX-License-Identifier: Apache-2.0 */
/*
 * runc-family discovery plugin, internal interfaces between its files.
 *
 * runc_state.c: parse a container's state.json and its bundle's config.json
 * (pure functions, unit-tested on synthetic files in tests/unit/runc/).
 * runc_watch.c: the state roots and inotify; tells runc.c what it sees
 * through struct runc_watch_ops.
 * engine.c, meta*.c, bolt.c: each engine's own names and images.
 * identify.c: which container a birth is (the plugin ABI's identify()).
 * report.c: reports to the core, for runc.c and identify.c alike.
 * runc.c: the plugin descriptor and lifecycle.
 */
#ifndef IG_PLUGIN_RUNC_H
#define IG_PLUGIN_RUNC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ig/container.h>
#include <ig/plugin.h>

#include "meta.h"

/* What runc's state.json (and the bundle's config.json) say about one
 * container. Every string is owned (freed by runc_state__free). */
struct runc_state {
	char *id;
	int pid;			/* init_process_pid */
	uint64_t start_time;		/* init_process_start: clock ticks after boot
					 * (/proc/<pid>/stat field 22) */
	uint64_t created_ns;		/* "created", wall clock ns; 0 if absent */
	char *bundle;			/* from the "bundle=" label, or NULL */
	struct ig_label *annotations;	/* owned keys and values */
	size_t nr_annotations;
	bool annotations_from_config;	/* read from <bundle>/config.json (else
					 * from the state's config.labels) */
	bool annotations_truncated;	/* more than ig keeps: some dropped */
};

/* Parse the text of a state.json. Annotations are taken from the state's
 * config.labels ("key=value", except runc's own "bundle=" entry). Returns 0,
 * or -EINVAL with a reason in err (errlen bytes). st is zeroed first. */
int runc_state__parse(const char *json, size_t len, struct runc_state *st,
		      char *err, size_t errlen);

/* Replace st's annotations with the "annotations" object of a bundle's
 * config.json text. -EINVAL (reason in err) if it is not an OCI config;
 * a config without annotations gives none. */
int runc_state__parse_config(const char *json, size_t len, struct runc_state *st,
			     char *err, size_t errlen);

/* Read <dir>/state.json and, when it names a readable bundle, the bundle's
 * config.json, streaming both (any size up to 256 MiB, regular files only,
 * never through a symlink). -ENOENT if there is no state.json yet, -EINVAL
 * for a malformed one, -errno for other read errors; reason in err. */
int runc_state__load(const char *dir, struct runc_state *st, char *err, size_t errlen);
/* The same for a user's root: state.json and the bundle's config.json must
 * belong to owner, and no path component may be a symlink. */
int runc_state__load_as(const char *dir, uid_t owner, struct runc_state *st, char *err,
			size_t errlen);
/* runc_state__load_as, but -ESRCH as soon as the state names an init process
 * that is gone (a stopped container: runc keeps its state until `runc
 * delete`), without reading the rest of a state file that may be MiBs. */
int runc_state__load_running_as(const char *dir, uid_t owner, struct runc_state *st,
				char *err, size_t errlen);

/* The parsers behind the above (runc_parse.c), on a streaming reader.
 * gone (or NULL: read it all) says whether the init process of a state is
 * gone (start: its start time, when the state gave one): reading stops with
 * -ESRCH as soon as the pid and start time are known. */
struct jscan;
typedef bool (*runc_gone_fn)(int pid, uint64_t start, bool start_known);
int runc_state__scan(struct jscan *s, struct runc_state *st, runc_gone_fn gone, char *err,
		     size_t errlen);
int runc_state__scan_config(struct jscan *s, struct runc_state *st, char *err, size_t errlen);

void runc_state__free(struct runc_state *st);

/* "2026-11-29T03:33:47.634645675Z" (or with a +hh:mm offset) -> ns since the
 * epoch. -EINVAL if it is not RFC 3339. */
int runc_parse_rfc3339(const char *s, uint64_t *ns);

/* Start time of a process in clock ticks after boot (field 22 of
 * /proc/<pid>/stat), or -errno (-ENOENT: no such process). */
int runc_proc_start_time(int pid, uint64_t *ticks);

/* Docker keeps the name and image of a container in
 * <data-root>/containers/<id>/config.v2.json ("Name": "/web", "Config":
 * {"Image": "nginx"}). Parse that text: *name (without the '/') and *image
 * are strdup'ed or left NULL. -EINVAL if it is not a JSON object. */
int runc_docker_meta(const char *json, size_t len, char **name, char **image);
#define RUNC_DOCKER_DATA_ROOT	"/var/lib/docker"

/* Read a whole small file (regular, not through a symlink, at most 4 MiB);
 * NULL with errno. */
char *runc_read_file(const char *path, size_t *len);

/* ------------------------------------------------------------ engine.c */

/* Runtime name for a container of the given root: podman and CRI-O use
 * runc's default root; podman marks its containers io.container.manager=libpod
 * (and sets some io.kubernetes.cri-o.* annotations too), CRI-O only the
 * latter. */
const char *runc_runtime_name(const char *root_runtime, const struct runc_state *st);

/* The engine of a container and what its own files say (meta.h). */
struct runc_engine {
	const char *runtime;	/* static: "docker", "podman", "containerd", "cri-o", "runc" */
	struct meta_info mi;	/* name, image, labels; empty when unknown */
};

/* Describe the container of st found in root_dir (a state root of
 * root_runtime; owner: the uid its files must belong to, META_ANY_OWNER for
 * the system's roots). An engine file that is missing is not an error (0,
 * nothing filled); one that cannot be parsed is -EINVAL with err. */
int runc_engine__describe(const char *root_runtime, const char *root_dir, uid_t owner,
			  const struct runc_state *st, struct runc_engine *out,
			  char *err, size_t errlen);
/* The engine's own record of container id when there is no runc state to go
 * by (the cgroup told the engine and, for containerd, its namespace ns):
 * Docker's config.v2.json, podman's store, containerd's meta.db (ns, or
 * k8s.io for the CRI). 0, -ENOENT, or -EINVAL with err. */
int runc_engine__lookup(enum meta_engine engine, const char *ns, const char *id,
			struct runc_engine *out, char *err, size_t errlen);
void runc_engine__fini(struct runc_engine *e);

/* ------------------------------------------------------------ identify.c */

struct runc_plugin;
struct runc_watch;

/* identify() of the plugin ABI: which container q is, from a runc state in
 * a watched root or the engine's own records; reports it and returns 0, or
 * -ENOENT. */
int runc_identify(struct runc_plugin *p, struct runc_watch *w, const struct ig_plugin_query *q);

/* ------------------------------------------------------------ runc_watch.c */

struct runc_watch;

enum runc_root_kind {
	RUNC_ROOT_STATE = 0,	/* <root>/<id>/state.json */
	RUNC_ROOT_PARENT,	/* <root>/<ns>/<id>/state.json (containerd) */
	RUNC_ROOT_USERS,	/* <root>/<uid>/runc/<id>/state.json (rootless:
				 * $XDG_RUNTIME_DIR/runc), owned by that uid */
};

/* What the watch tells its owner (runc.c), which hands it these: the watch
 * never calls into runc.c by name. */
struct runc_watch_ops {
	/* A container directory holds a (new or rewritten) state.json: load it
	 * and report the container if it is running and not yet reported
	 * (owner: the uid its files must belong to, META_ANY_OWNER for the
	 * system's roots). Returns true when the container is (now or already)
	 * reported. */
	bool (*seen)(void *arg, const char *root_runtime, uid_t owner, const char *dir,
		     const char *id, bool reported);
	/* A reported container's directory is gone. */
	void (*gone)(void *arg, const char *id);
	void *arg;
};

/* host: for logging; host and ops must outlive the watch. */
struct runc_watch *runc_watch__new(const struct ig_plugin_host *host,
				    const struct runc_watch_ops *ops);
int runc_watch__add_root(struct runc_watch *w, const char *path, const char *runtime,
			 enum runc_root_kind kind);
/* Arm every root (watch it, or its nearest existing ancestor until it
 * appears), then scan what the armed roots hold. */
int runc_watch__start(struct runc_watch *w);
int runc_watch__fd(struct runc_watch *w);
int runc_watch__dispatch(struct runc_watch *w);
/* The runtime name of the root where a container directory named id was
 * seen during this run (even if it was gone before its state could be
 * read), or NULL. */
const char *runc_watch__recent(struct runc_watch *w, const char *id);
/* The state roots watched now (containerd's namespaces included): fn for
 * each, with its path and runtime name, until it returns non-zero. */
int runc_watch__foreach_root(struct runc_watch *w,
			     int (*fn)(void *arg, const char *path, const char *runtime,
				       uid_t owner),
			     void *arg);
void runc_watch__destroy(struct runc_watch *w);

/* ------------------------------------------------------------ report.c */

/* The plugin's state; runc.c owns it. */
struct runc_plugin {
	const struct ig_plugin_host *host;
	struct runc_watch_ops watch_ops;	/* what the watch reports through */
	struct runc_watch *watch;
};

/* Report the container of a loaded state, with its engine's names, from
 * root_dir (a state root of root_runtime). flags: 0, or IG_CONTAINER_REMOVED
 * (inside identify(), its init gone; mntns then the query's). 0 or -errno. */
int runc_plugin__report_state(struct runc_plugin *p, const char *root_runtime,
			      const char *root_dir, uid_t owner, const struct runc_state *st,
			      uint32_t flags, uint64_t mntns);
/* Report c as it is (identify(): an engine's record without a runc state). */
int runc_plugin__report(struct runc_plugin *p, const struct ig_container *c);
void runc_plugin__log(struct runc_plugin *p, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* IG_PLUGIN_RUNC_H */
