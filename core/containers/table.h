/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The core's container table (internal). Runtime plugins (plugins/, ABI in
 * <ig/plugin.h>) report containers added and removed; this module owns the
 * struct ig_container objects, keeps removed ones until destroy, answers
 * lookups, applies the -c/--host selection and keeps the BPF mntns filter map
 * in sync. Single-threaded: everything runs on the main event loop.
 */
#ifndef IG_CORE_CONTAINERS_TABLE_H
#define IG_CORE_CONTAINERS_TABLE_H

#include <stdbool.h>
#include <stdint.h>

#include <ig/container.h>

#include "report.h"

struct ig_containers;
struct ctr_births;
struct ctr_selector;

typedef void (*ig_container_cb)(void *arg, const struct ig_container *c);

struct ig_containers_opts {
	size_t sz;			/* sizeof(struct ig_containers_opts) */
	const char *plugin_dir;		/* where runtime plugins (*.so) are, or NULL
					 * for the defaults (IG_PLUGIN_PATH, build
					 * dir next to the binary, install dir) */
	const char *const *runtime_roots;	/* extra --runtime-root dirs, NULL-terminated, or NULL */
	const char *selector;		/* -c value: "a,b", "!a", NULL = all */
	bool host;			/* --host: no filtering at all */
	bool discover;			/* false: no plugins (command mode) */
	int verbose;			/* -v count */
	ig_container_cb on_added;	/* called for every container, also those
					 * found at start (during __start) */
	ig_container_cb on_removed;	/* called before the container is marked
					 * removed and dropped from the filter */
	void *cb_arg;
};

/* Load the plugins and read what is running. NULL with errno on failure. */
struct ig_containers *ig_containers__new(const struct ig_containers_opts *opts);
/* Enumerate existing containers (calls on_added) and start watching. */
int ig_containers__start(struct ig_containers *cs);
/* Pollable fds to add to the event loop (up to max), returns count. */
int ig_containers__fds(struct ig_containers *cs, int *fds, int max);
/* One of those fds is readable: process it (may call on_added/on_removed). */
int ig_containers__dispatch(struct ig_containers *cs, int fd);
/* Keep this BPF hash map (u64 mntns -> u8) holding exactly the selected
 * containers' mount namespaces from now on. */
int ig_containers__set_filter_map(struct ig_containers *cs, int map_fd);

/* Decide the container births the kernel reports on the ring ring_fd (the
 * core's ig_births map; births.h): after set_filter_map. 0 or -errno. */
int ig_containers__set_births(struct ig_containers *cs, int ring_fd);
/* The -c selector, parsed. */
const struct ctr_selector *ig_containers__selector(struct ig_containers *cs);
/* The births (records held for them, what ended unnamed), or NULL. */
struct ctr_births *ig_containers__births(struct ig_containers *cs);

const struct ig_container *ig_containers__by_mntns(struct ig_containers *cs, uint64_t mntns);
const struct ig_container *ig_containers__by_netns(struct ig_containers *cs, uint64_t netns);
const struct ig_container *ig_containers__by_id(struct ig_containers *cs, const char *id);
int ig_containers__foreach(struct ig_containers *cs,
			   int (*fn)(void *arg, const struct ig_container *c), void *arg);
bool ig_containers__selected(struct ig_containers *cs, const struct ig_container *c);
/* Number of containers currently running and selected (status line). */
unsigned int ig_containers__count(struct ig_containers *cs);
/* Register a container by hand (command mode, hook mode). The strings are
 * copied. Calls on_added. */
int ig_containers__add(struct ig_containers *cs, const struct ig_container *c);
int ig_containers__remove(struct ig_containers *cs, const char *id);

/* The ops the table hands the plugin host and the hook server; tests feed
 * hook messages through them (ctr_hook_apply). */
const struct ctr_report_ops *ig_containers__report_ops(struct ig_containers *cs);

void ig_containers__destroy(struct ig_containers *cs);

#endif /* IG_CORE_CONTAINERS_TABLE_H */
