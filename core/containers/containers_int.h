/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internals of the container table (core/containers/), shared between its
 * files and the unit tests; nothing else includes this.
 *
 *   table.c          the table: add/remove, lookups, selection, filter map
 *   meta.c           one entry: copy a report, derive names from
 *                    annotations, namespaces and cgroup from /proc
 *   plugins.c        runtime plugins (dlopen, ABI checks, host services)
 *   hook_server.c    the unix socket `ig hook` talks to
 *   index.c          namespace -> container lookups (every record)
 */
#ifndef IG_CORE_CONTAINERS_INT_H
#define IG_CORE_CONTAINERS_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "table.h"

/* Where running ig instances listen for `ig hook`: one socket per instance,
 * <dir>/ig-<pid>.sock; IG_HOOK_DIR overrides the directory. */
#define IG_HOOK_DIR_DEFAULT	"/run/ig"
#define IG_HOOK_TIMEOUT_MS	2000
#define IG_HOOK_MAX_MSG		(192u * 1024)
const char *ig_hook_dir(void);
/* 0 if dir is a directory owned by this user that no one else can write,
 * -EPERM otherwise (-errno if it cannot be read). */
int ig_hook_dir_check(const char *dir);

/* What epoll hands back: every pollable thing starts with this. */
enum ctr_poll_kind {
	CTR_POLL_PLUGIN = 1,
	CTR_POLL_PIDFD,
	CTR_POLL_HOOK,
};

struct ctr_pollable {
	enum ctr_poll_kind kind;
	int fd;
};

/* One container in the table. c is the public view; every string and array
 * it points to is owned by the entry. */
struct ctr_entry {
	struct ig_container c;
	struct ctr_pollable pidfd;	/* kind CTR_POLL_PIDFD, fd -1 if none */
	bool in_filter;			/* its mntns is in the BPF filter map */
	bool from_hook;			/* registered by `ig hook`: a plugin's
					 * report may correct the runtime name */
	uint64_t seq;			/* order of addition (newest wins lookups) */
	char *labels_text;		/* c.labels as "k=v,k=v" for enrichment, built
					 * once when they became known; NULL if none */
	uint32_t labels_len;
};

/* ---------------------------------------------------------- meta.c */

/* Copy a report (plugin, hook or ig_containers__add) into a new entry: copy
 * strings, sort annotations and labels, derive what is missing (names from
 * annotations). No /proc access. NULL with errno (EINVAL: no id). */
struct ctr_entry *ctr_entry__new(const struct ig_container *info);
/* Fill what entry e lacks from a second report of the same container. */
int ctr_entry__merge(struct ctr_entry *e, const struct ig_container *info);
/* mntns, netns and cgroup of e->c.pid from /proc where not known yet.
 * -ESRCH if the process is gone. */
int ctr_entry__probe(struct ctr_entry *e);
void ctr_entry__free(struct ctr_entry *e);

/* Annotation value by key (annotations sorted), NULL if absent. */
const char *ctr_annotation(const struct ig_container *c, const char *key);
/* Runtime name implied by annotations alone (for hook reports, which do not
 * say): "cri-o", "containerd" for CRI annotations, else fallback. */
const char *ctr_runtime_from_annotations(const struct ig_container *c, const char *fallback);

/* -c selector: comma-separated names; "!name" excludes. A name is selected
 * when it matches no exclusion and (there is no positive name, or it matches
 * one). Parsed once (the table does it in ig_containers__new): matching runs
 * for every container_selected call, which gadgets may make per event. */
struct ctr_sel_item {
	const char *name;	/* into ctr_selector.buf, never empty */
	bool neg;		/* "!name" */
};

struct ctr_selector {
	char *buf;		/* the text, split at the commas */
	struct ctr_sel_item *items;
	size_t nr;		/* 0: selects everything */
	bool any_pos;		/* some item is not an exclusion */
};

/* NULL text: an empty selector (everything). -EINVAL for a selector that
 * selects nothing sensible ("", "a,,b", "a,", "!"), -ENOMEM; reason in err.
 * On error sel is empty (fini is still fine). */
int ctr_selector__parse(struct ctr_selector *sel, const char *text, char *err, size_t errlen);
bool ctr_selector__match(const struct ctr_selector *sel, const char *name);
void ctr_selector__fini(struct ctr_selector *sel);
/* Parse and drop: for option parsing, so a bad -c is a usage error. */
int ctr_selector_check(const char *text, char *err, size_t errlen);

/* The cgroup path in a /proc/<pid>/cgroup text: the v2 ("0::") entry, else
 * the name=systemd one, else the first; strdup'ed, NULL if none. */
char *ctr_cgroup_from_text(const char *text);

/* ---------------------------------------------------------- index.c */

struct ctr_index_slot {
	uint64_t ns;
	struct ctr_entry *e;
};

/* Sorted namespace index of the table; zero-initialise with by_netns set,
 * start dirty. */
struct ctr_index {
	struct ctr_index_slot *slots;
	size_t n, cap;
	bool by_netns;
	bool dirty;
	bool cached;
	uint64_t cached_ns;
	struct ctr_entry *cached_e;	/* NULL: a remembered miss */
};

/* The table changed (entry added, removed or freed). */
void ctr_index__invalidate(struct ctr_index *ix);
struct ctr_entry *ctr_index__lookup(struct ctr_index *ix, struct ctr_entry *const *v, size_t nr,
				    uint64_t ns);
void ctr_index__fini(struct ctr_index *ix);

/* ---------------------------------------------------------- table.c */

/* Used by the plugin host and the hook listener (same as the public
 * ig_containers__add, plus: a report for a known id merges). */
int ctr_table__report(struct ig_containers *cs, const struct ig_container *info,
		      bool from_hook);
int ctr_table__epoll_add(struct ig_containers *cs, struct ctr_pollable *p);
void ctr_table__epoll_del(struct ig_containers *cs, struct ctr_pollable *p);
const struct ig_containers_opts *ctr_table__opts(struct ig_containers *cs);
void ctr_log(struct ig_containers *cs, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ---------------------------------------------------------- plugins.c */

struct ctr_plugins;

struct ctr_plugins *ctr_plugins__load(struct ig_containers *cs);
int ctr_plugins__start(struct ctr_plugins *ps);
int ctr_plugins__dispatch(struct ctr_plugins *ps, struct ctr_pollable *p);
void ctr_plugins__destroy(struct ctr_plugins *ps);

/* ---------------------------------------------------------- hook_server.c */

struct ctr_hook_server;

/* Listen on <hook dir>/ig-<pid>.sock. NULL with errno. */
struct ctr_hook_server *ctr_hook_server__new(struct ig_containers *cs);
int ctr_hook_server__dispatch(struct ctr_hook_server *hs);
void ctr_hook_server__destroy(struct ctr_hook_server *hs);

/* Turn a hook message {"stage": ..., "state": {OCI state}} into a report and
 * apply it to cs. Returns 0 or -errno, reason in err. */
int ctr_hook_apply(struct ig_containers *cs, const char *msg, size_t len,
		   char *err, size_t errlen);

#endif /* IG_CORE_CONTAINERS_INT_H */
