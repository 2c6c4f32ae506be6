/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ig runtime-plugin ABI: container discovery.
 *
 * A runtime plugin is a shared object that finds the containers of one family
 * of container runtimes (runc and what drives it: containerd, Docker, CRI-O)
 * and reports them to the core as they appear and disappear. The core owns
 * the container table, derives the names (Kubernetes names from annotations,
 * namespaces from the init pid), keeps removed containers for late records,
 * selects containers (-c/--host) and keeps the BPF filter map in sync. A
 * plugin only reports what the runtime's own state says.
 *
 * Entry point. The .so exports one symbol, IG_PLUGIN_ENTRY_NAME
 * ("ig_plugin_entry"), a function returning a pointer to a const
 * struct ig_plugin_desc. Everything else should be hidden
 * (-fvisibility=hidden). Use IG_PLUGIN_DEFINE(desc).
 *
 * Versioning, same rules as gadgets (gadget.h). The descriptor starts with its
 * size and the ABI version the plugin was built against. The core accepts a
 * plugin when
 *     desc->abi_major == IG_PLUGIN_ABI_MAJOR && IG_PLUGIN_ABI_MINOR >= desc->abi_minor
 * and otherwise refuses it with one line naming the file and both versions;
 * the other plugins still load. Every struct here is append-only: members
 * are added at the end with a minor bump, never reordered or removed (that
 * is a major bump). Neither side copies the other's struct by its own
 * sizeof: the core reads desc->sz (IG_PLUGIN_DESC_HAS()), and a plugin checks
 * host->sz (IG_PLUGIN_HOST_HAS()) before using a member newer than the minor
 * it was built against. The container a plugin reports is a struct
 * ig_container (ig/container.h) whose sz member is the plugin's sizeof.
 *
 * Threads. The core runs one event loop on its main thread. Every callback
 * below is called on that thread, one at a time, and every host service may
 * be called only from that thread, from inside a callback (init, start,
 * dispatch). A plugin starts no threads and needs no locks. It must not
 * block: dispatch() handles what is readable and returns.
 *
 * Memory. The descriptor and its strings are static, owned by the plugin for
 * as long as the .so is loaded. Per-instance state is allocated in init() and
 * freed in destroy(). The host struct, its ctx and the strings it points to
 * are owned by the core and valid until destroy() returns. Whatever a plugin
 * passes to a host service (the container, its strings and arrays, an id) is
 * borrowed for the duration of the call only: the core copies what it keeps,
 * so the plugin may free or reuse it as soon as the call returns.
 *
 * File descriptors. A plugin owns the fds it opens and closes them in
 * destroy(). fds() tells the core which of them to poll for readability; the
 * core never reads or closes them, it calls dispatch() with the fd that is
 * readable. The set is read once, after start(), and must stay the same for
 * the life of the instance (use one inotify/epoll fd for a changing set).
 *
 * Lifecycle, in order, for one run of ig:
 *   desc = ig_plugin_entry();   at load time
 *   init(host, &state)          read options (host->runtime_roots), allocate;
 *                               report nothing yet
 *   start(state)                start watching FIRST, then report every
 *                               container that exists now (container_added),
 *                               so that nothing falls between the two
 *   fds(state, fds, max)        once
 *   dispatch(state, fd) ...     whenever one of those fds is readable:
 *                               report additions and removals
 *   identify(state, query) ...  (1.1, optional) the core found a container
 *                               no plugin reported (`ig hook`, or a runtime's
 *                               fork the kernel saw): report it if known
 *   destroy(state)              close fds, free; accepts NULL. Reports nothing.
 * init() or start() may fail: they return -errno after logging one
 * IG_LOG_ERROR line saying what failed; the core then calls destroy() and
 * goes on without this plugin. Conditions a user can have on purpose (a
 * runtime that is not installed, a missing state directory) are not
 * failures: log them at IG_LOG_DEBUG and carry on.
 */
#ifndef IG_PLUGIN_H
#define IG_PLUGIN_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <ig/common.h>
#include <ig/container.h>

#ifdef __cplusplus
extern "C" {
#endif

#define IG_PLUGIN_ABI_MAJOR	1
#define IG_PLUGIN_ABI_MINOR	1	/* 1.1: identify() */

#define IG_PLUGIN_ENTRY_NAME	"ig_plugin_entry"

struct ig_plugin_host_ctx;	/* opaque, core-owned, one per plugin instance */

struct ig_plugin_host {
	uint32_t sz;		/* sizeof(struct ig_plugin_host) of the core */
	uint16_t abi_major;	/* IG_PLUGIN_ABI_MAJOR of the core */
	uint16_t abi_minor;
	struct ig_plugin_host_ctx *ctx;	/* pass back as the first argument */

	/* printf-style, one line, no trailing newline needed. Levels are
	 * enum ig_log_level of common.h (0 error, 1 warn, 2 info with -v,
	 * 3 debug with -vv); IG_ERROR(host, ...) and its siblings spell the
	 * call. The core prefixes the plugin name. Use WARN only for
	 * something the user must fix; a malformed state file of one
	 * container is INFO (shown with -v), it never stops the plugin. */
	void (*log)(struct ig_plugin_host_ctx *ctx, int level, const char *fmt, ...)
		__attribute__((format(printf, 3, 4)));

	/* Extra state roots given with --runtime-root, NULL-terminated, or
	 * NULL. The plugin watches them in addition to its defaults; each is
	 * a directory holding one subdirectory per container. */
	const char *const *runtime_roots;

	/*
	 * A container exists (at start, or appeared later). The plugin fills
	 * what its runtime state says: sz (the plugin's sizeof), runtime, id
	 * (required, unique), pid (required, > 0: the init pid in ig's pid
	 * namespace, checked to still be that process, e.g. by its start
	 * time), bundle, created_ns, annotations (any order; the core sorts).
	 * It may also fill name, image, cgroup, mntns, netns, k8s_* and labels
	 * when it knows them better than the core would derive them; left
	 * NULL/0 they are derived by the core (names from the annotations,
	 * namespaces and cgroup from /proc/<pid>). flags must be 0, except
	 * inside identify() for a query with IG_QUERY_EXITED: then
	 * IG_CONTAINER_REMOVED says the container ran and is gone (its init
	 * pid is the query's, mntns the query's; nothing is read from /proc).
	 * Reporting the same id again is harmless: the core keeps the first
	 * report and fills only what it lacked. Returns 0 or -errno (-EINVAL
	 * for a bad report, -ESRCH if the pid is already gone).
	 */
	int (*container_added)(struct ig_plugin_host_ctx *ctx, const struct ig_container *c);

	/* A container is gone (its state directory was deleted). The core
	 * also notices the init process exiting on its own (pidfd), so a
	 * plugin need not watch processes. Unknown ids are ignored. */
	int (*container_removed)(struct ig_plugin_host_ctx *ctx, const char *id);

	/* -v count of the command line (0, 1, 2...). */
	int verbose;
	uint32_t pad0;
};

#define IG_PLUGIN_HOST_HAS(h, member) \
	((h)->sz >= offsetof(struct ig_plugin_host, member) + sizeof((h)->member))

/* identify(): the init process is gone (the container ran and exited). */
#define IG_QUERY_EXITED		(1u << 0)

/*
 * What the core knows about a container no plugin reported yet (ABI 1.1),
 * for identify(). From `ig hook`: id, pid, bundle, annotations (the OCI
 * state; the runtime's own state may not be written yet). From the kernel,
 * when a runtime forked a container's init (ig recorded it from there on):
 * pid, start_ticks, mntns, and the names of the init's cgroup and of that
 * cgroup's parent as they were at the fork (engines put the container id in
 * it: docker/<id>, libpod-<id>, <namespace>/<id>, cri-containerd-<id>.scope).
 * Unknown members are NULL/0. Borrowed for the call.
 */
struct ig_plugin_query {
	uint32_t sz;		/* sizeof(struct ig_plugin_query) of the core */
	uint32_t flags;		/* IG_QUERY_* */
	const char *id;
	int32_t pid;		/* the container's init pid */
	uint32_t pad0;
	uint64_t start_ticks;	/* its start, clock ticks after boot (/proc/<pid>/stat
				 * field 22, runc's init_process_start) */
	uint64_t mntns;
	const char *bundle;
	const struct ig_label *annotations;
	uint32_t nr_annotations;
	uint32_t pad1;
	const char *cgroup;
	const char *cgroup_parent;
};

#define IG_PLUGIN_QUERY_HAS(q, member) \
	((q)->sz >= offsetof(struct ig_plugin_query, member) + sizeof((q)->member))

struct ig_plugin_desc {
	uint32_t sz;		/* sizeof(struct ig_plugin_desc) of the plugin */
	uint16_t abi_major;	/* IG_PLUGIN_ABI_MAJOR */
	uint16_t abi_minor;	/* IG_PLUGIN_ABI_MINOR */
	const char *name;	/* "runc": log prefix and `ig list-containers -v` */
	const char *version;	/* plugin's own version, free-form */
	const char *summary;	/* one line */

	/* Required. Allocate the instance state; host is valid until
	 * destroy() returns. */
	int (*init)(const struct ig_plugin_host *host, void **state);
	/* Required. Start watching, then report the existing containers. */
	int (*start)(void *state);
	/* Required. Write up to max fds to poll for readability into fds and
	 * return how many (0 if the plugin cannot notice changes), or -errno. */
	int (*fds)(void *state, int *fds, int max);
	/* Required if fds() returns any: fd is readable. Handle everything
	 * pending on it without blocking. Returns 0 or -errno (logged by the
	 * core; the plugin stays loaded). */
	int (*dispatch)(void *state, int fd);
	/* Required. Close and free everything; accepts NULL. */
	void (*destroy)(void *state);

	/* Optional (ABI 1.1). Which container is this? If the plugin's
	 * runtime knows it (its state, or the engine's own records), report
	 * it with host->container_added() before returning 0 (with the
	 * query's pid; flags IG_CONTAINER_REMOVED if the query says
	 * IG_QUERY_EXITED); -ENOENT if not. Called on the main thread, from
	 * the core's event loop (never from inside another callback of this
	 * plugin); must not block. */
	int (*identify)(void *state, const struct ig_plugin_query *q);
};

#define IG_PLUGIN_DESC_HAS(d, member) \
	((d)->sz >= offsetof(struct ig_plugin_desc, member) + sizeof((d)->member))

#define IG_PLUGIN_DESC_HEADER \
	.sz = sizeof(struct ig_plugin_desc), \
	.abi_major = IG_PLUGIN_ABI_MAJOR, \
	.abi_minor = IG_PLUGIN_ABI_MINOR

/* Declare a plugin's entry point:
 *     static const struct ig_plugin_desc my_desc = { IG_PLUGIN_DESC_HEADER, ... };
 *     IG_PLUGIN_DEFINE(my_desc); */
#define IG_PLUGIN_DEFINE(desc) \
	IG_EXPORT const struct ig_plugin_desc *ig_plugin_entry(void); \
	IG_EXPORT const struct ig_plugin_desc *ig_plugin_entry(void) { return &(desc); }

typedef const struct ig_plugin_desc *(*ig_plugin_entry_fn)(void);

#ifdef __cplusplus
}
#endif

#endif /* IG_PLUGIN_H */
