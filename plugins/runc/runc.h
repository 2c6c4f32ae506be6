/* SPDX-License-Identifier: Apache-2.0 */
/*
 * runc-family discovery plugin, internal interfaces between its files.
 *
 * runc_state.c: parse a container's state.json and its bundle's config.json
 * (pure functions, unit-tested on synthetic files in tests/unit/runc/).
 * runc_watch.c: the state roots and inotify.
 * runc.c: the plugin descriptor, lifecycle and reports to the core.
 */
#ifndef IG_PLUGIN_RUNC_H
#define IG_PLUGIN_RUNC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ig/container.h>
#include <ig/plugin.h>

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
/* The same, but -ESRCH as soon as the state names an init process that is
 * gone (a stopped container: runc keeps its state until `runc delete`),
 * without reading the rest of a state file that may be MiBs. */
int runc_state__load_running(const char *dir, struct runc_state *st, char *err,
			     size_t errlen);

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

/* Read a whole small file; NULL with errno. */
char *runc_read_file(const char *path, size_t *len);

/* Runtime name for a container of the given root: CRI-O uses runc's default
 * root but marks its containers with io.kubernetes.cri-o.* annotations. */
const char *runc_runtime_name(const char *root_runtime, const struct runc_state *st);

/* ------------------------------------------------------------ runc.c */

struct runc_plugin;

/* A container directory holds a (new or rewritten) state.json: load it and
 * report the container if it is running and not yet reported. Returns true
 * when the container is (now or already) reported. */
bool runc_plugin__seen(struct runc_plugin *p, const char *root_runtime, const char *dir,
		       const char *id, bool reported);
void runc_plugin__gone(struct runc_plugin *p, const char *id);
void runc_plugin__log(struct runc_plugin *p, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ------------------------------------------------------------ runc_watch.c */

struct runc_watch;

enum runc_root_kind {
	RUNC_ROOT_STATE = 0,	/* <root>/<id>/state.json */
	RUNC_ROOT_PARENT,	/* <root>/<ns>/<id>/state.json (containerd) */
};

struct runc_watch *runc_watch__new(struct runc_plugin *p);
int runc_watch__add_root(struct runc_watch *w, const char *path, const char *runtime,
			 enum runc_root_kind kind);
/* Arm every root (watch it, or its nearest existing ancestor until it
 * appears), then scan what the armed roots hold. */
int runc_watch__start(struct runc_watch *w);
int runc_watch__fd(struct runc_watch *w);
int runc_watch__dispatch(struct runc_watch *w);
void runc_watch__destroy(struct runc_watch *w);

#endif /* IG_PLUGIN_RUNC_H */
