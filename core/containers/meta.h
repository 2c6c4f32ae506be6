/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One container's entry in the table (internal to core/containers/ and its
 * tests): copy what a plugin or the hook reported, derive names from the
 * annotations Kubernetes runtimes set, read namespaces and cgroup from /proc.
 */
#ifndef IG_CORE_CONTAINERS_META_H
#define IG_CORE_CONTAINERS_META_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ig/container.h>

#include "report.h"

/* One container in the table. c is the public view; every string and array
 * it points to is owned by the entry. */
struct ctr_entry {
	struct ig_container c;
	struct ctr_pollable pidfd;	/* kind CTR_POLL_PIDFD, fd -1 if none */
	bool in_filter;			/* its mntns is in the BPF filter map */
	bool from_hook;			/* registered by `ig hook`: a plugin's
					 * report may correct the runtime name */
	bool from_start;		/* its birth was seen: recorded from its
					 * first instruction (births.c) */
	bool at_start;			/* already running when ig started */
	uint64_t seq;			/* order of addition (newest wins lookups) */
	char *labels_text;		/* c.labels as "k=v,k=v" for enrichment, built
					 * once when they became known; NULL if none */
	uint32_t labels_len;
};

/* The entry of a container the table handed out. */
static inline struct ctr_entry *ctr_entry_of(const struct ig_container *c)
{
	return (struct ctr_entry *)((char *)c - offsetof(struct ctr_entry, c));
}

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
/* c's pod labels as "k=v,k=v" (length in *len), built once per container when
 * its labels became known; NULL if it has none. c must be one the container
 * table handed out (lookup or callback); the text lives as long as c. */
const char *ctr_entry__labels_text(const struct ig_container *c, uint32_t *len);

/* Annotation value by key (annotations sorted), NULL if absent. */
const char *ctr_annotation(const struct ig_container *c, const char *key);
/* Runtime name implied by annotations alone (for hook reports, which do not
 * say): "podman" (io.container.manager=libpod), "cri-o", "containerd" for
 * CRI annotations, else fallback. */
const char *ctr_runtime_from_annotations(const struct ig_container *c, const char *fallback);

/* The inode of /proc/<pid>/ns/<ns> (gone once the process left its
 * namespaces in exit_task_namespaces()). 0 or -errno. */
int ctr_proc_ns_inode(int pid, const char *ns, uint64_t *ino);

/* The cgroup path in a /proc/<pid>/cgroup text: the v2 ("0::") entry, else
 * the name=systemd one, else the first; strdup'ed, NULL if none. */
char *ctr_cgroup_from_text(const char *text);

#endif /* IG_CORE_CONTAINERS_META_H */
