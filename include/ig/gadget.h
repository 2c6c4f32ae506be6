/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ig gadget ABI.
 *
 * A gadget is a shared object that exports one symbol, IG_GADGET_ENTRY_NAME
 * ("ig_gadget_entry"), a function returning a pointer to a const
 * struct ig_gadget_desc. Everything else in the .so should be hidden
 * (-fvisibility=hidden; IG_EXPORT marks the entry point).
 *
 * Versioning. The descriptor starts with its size and the ABI version the
 * gadget was built against. The host accepts a gadget when
 *     desc->abi_major == IG_GADGET_ABI_MAJOR && IG_GADGET_ABI_MINOR >= desc->abi_minor
 * and refuses it otherwise with one line naming both versions. Every struct
 * in this header is append-only: new members go at the end, the minor
 * version goes up, nothing is ever reordered or removed (that is a major
 * bump). The host never copies a gadget struct by its own sizeof: it reads
 * desc->sz, and walks the field and parameter tables with desc->field_sz and
 * desc->param_sz. Likewise a gadget must check host->sz (IG_HOST_HAS()) before
 * calling a service newer than the minor it was built against.
 *
 * History (each minor only appends):
 *   1.0  the descriptor, fields, parameters and host services up to
 *        boot_to_wall_ns
 *   1.1  host->ring_drain
 *   1.2  host->read_file, host->write_file, parameter type IG_PT_DIR
 *   1.3  desc->tick, desc->command_run; host->set_status, host->command_runs,
 *        host->end_run (recordings that say how complete they are)
 *   1.4  desc->hooks (attach points and their alternatives, ig/kernel.h),
 *        host->hook_chosen, host->kernel_has
 * A gadget built against an older minor runs unchanged on a newer host (it
 * never looks past the members it knows); a newer gadget is refused by an
 * older host.
 *
 * Threads. The host runs one event loop on its main thread. Every callback
 * below is called on that thread, one at a time, and every host service may
 * be called only from that thread (from inside a callback, or from a ring
 * buffer sample callback, which also runs there). A gadget needs no locks
 * unless it starts threads of its own, which it should not.
 *
 * Memory. The descriptor, its tables and every string in them are static and
 * owned by the gadget for as long as the .so is loaded. Per-run state is
 * allocated by the gadget in init() and freed in destroy(). Anything the host
 * hands out (struct ig_host, containers, parameter values) is owned by the
 * host and valid until destroy() returns, unless said otherwise below.
 *
 * Lifecycle, in order, for one `ig run`:
 *   desc = ig_gadget_entry();          at load time, also for `ig list`
 *   init(host, &state)                 parse nothing: parameters are already
 *                                      validated against desc->params; open,
 *                                      configure, load and attach BPF here
 *   container_added(state, c) ...      for containers known at start and later
 *   (event loop: ring buffer callbacks, container_added/removed)
 *   stop(state)                        detach programs; no more events
 *   report(state)                      advisors: emit the report documents
 *   destroy(state)                     free everything; accepts NULL state
 * init() may fail: it returns -errno after logging exactly one IG_LOG_ERROR
 * line that says what failed and what to do; the host then calls destroy().
 */
#ifndef IG_GADGET_H
#define IG_GADGET_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ig/common.h>
#include <ig/consts.h>
#include <ig/container.h>
#include <ig/kernel.h>
#include <ig/record.h>

#ifdef __cplusplus
extern "C" {
#endif

#define IG_GADGET_ABI_MAJOR	1
#define IG_GADGET_ABI_MINOR	6

#define IG_GADGET_ENTRY_NAME	"ig_gadget_entry"

/* Gadget kinds (bits; a gadget may be both). */
#define IG_KIND_TRACE		(1u << 0)	/* streams records while it runs */
#define IG_KIND_ADVISE		(1u << 1)	/* emits report documents at the end */
/*
 * ABI 1.6: with -- COMMAND the gadget still wants the containers the
 * command talks to (network-policy-advisor names its peers), so the host
 * follows containers in command mode too (container_added/removed, the
 * container lookups). Without it a command run follows none: the runtime
 * plugins' watches cost 10-15 ms of start-up and exit. A gadget built for
 * 1.5 or older is followed as before, whatever its kind.
 */
#define IG_KIND_PEERS		(1u << 2)

/* ------------------------------------------------------------ parameters */

enum ig_param_type {
	IG_PT_BOOL = 1,		/* --name (true), --name=false */
	IG_PT_INT,		/* signed decimal/hex */
	IG_PT_UINT,		/* unsigned decimal/hex */
	IG_PT_STRING,
	IG_PT_ENUM,		/* one of choices ("oci|spo") */
	IG_PT_PATH,		/* a string; help shows FILE */
	/* ABI 1.2: a directory ig writes into (help shows DIR). The host
	 * makes it (with its parents) when missing, and checks before init()
	 * that it is a directory in which files can be created, and refuses the
	 * run with one line otherwise. */
	IG_PT_DIR,
};

/*
 * One gadget flag, declared as data. The host parses `--name VALUE`,
 * `--name=VALUE` (and `-x VALUE` when short_name is set), validates the type
 * and the choices, rejects unknown flags with the list of valid ones, and
 * renders `ig run <gadget> --help` from this table. All strings static.
 */
struct ig_param {
	const char *name;	/* long name without dashes: "default-errno" */
	const char *def;	/* default as text, or NULL for "unset" */
	const char *help;	/* one line */
	const char *choices;	/* IG_PT_ENUM: "a|b|c"; otherwise NULL */
	uint16_t type;		/* enum ig_param_type */
	char short_name;	/* 0 for none */
	uint8_t pad;
};

/* A parameter's value as parsed by the host. Owned by the host. */
struct ig_param_value {
	const char *str;	/* the text (default or given), NULL if unset */
	int64_t i;		/* INT: the value */
	uint64_t u;		/* UINT/BOOL: the value */
	bool set;		/* given on the command line (not the default) */
};

/* ------------------------------------------------------------ host services */

/* What the run is targeting; the host decides, the gadget may specialise. */
enum ig_target_mode {
	IG_TARGET_CONTAINERS = 1,	/* containers selected by -c, or all */
	IG_TARGET_HOST,			/* --host: everything, no filter */
	IG_TARGET_COMMAND,		/* -- COMMAND: one process tree */
};

/* Which filter map. */
enum ig_filter_map {
	IG_FILTER_MAP_MNTNS = 0,	/* BPF_MAP_TYPE_HASH u64 mntns -> u8 */
	IG_FILTER_MAP_PID = 1,		/* BPF_MAP_TYPE_HASH u32 tgid -> u8, kept
					 * up to date over fork by the core */
};

struct ig_host_ctx;	/* opaque, host-owned, one per running gadget */

/* Ring buffer sample callback: same contract as libbpf's ring_buffer_sample_fn.
 * data/size are valid only during the call. Return 0 to continue, <0 to stop
 * consuming this batch (the error is logged by the host). */
typedef int (*ig_sample_fn)(void *cb_ctx, void *data, size_t size);

struct ig_host {
	uint32_t sz;		/* sizeof(struct ig_host) of the host */
	uint16_t abi_major;
	uint16_t abi_minor;
	struct ig_host_ctx *ctx;	/* pass back as the first argument */

	/* printf-style; one line, no trailing newline needed. */
	void (*log)(struct ig_host_ctx *ctx, int level, const char *fmt, ...)
		__attribute__((format(printf, 3, 4)));

	/* Parameter value by long name; never NULL for a declared parameter,
	 * NULL (errno ENOENT) for an undeclared one. */
	const struct ig_param_value *(*param)(struct ig_host_ctx *ctx, const char *name);

	/* Stream one record: vals has exactly desc->nr_fields entries in field
	 * table order. The host enriches, filters columns and formats it before
	 * returning; vals and the strings they point to may be reused after. */
	int (*emit)(struct ig_host_ctx *ctx, const struct ig_value *vals);

	/*
	 * Emit one report document (advisors). doc is a jansson json_t *
	 * (declared void * so this header needs no jansson); the host takes its
	 * own reference, so the gadget still owns (and must json_decref) its
	 * reference. summary is NULL or a record (desc->nr_fields values) shown
	 * in table output instead of the document; in json, jsonpretty and yaml
	 * output the document itself is printed.
	 */
	int (*emit_document)(struct ig_host_ctx *ctx, void *doc, const struct ig_value *summary);

	/* The target of this run and the matching filter mode for the BPF knob
	 * ig_filter_mode (enum ig_filter_mode, ig/consts.h). */
	enum ig_target_mode (*target)(struct ig_host_ctx *ctx);
	enum ig_filter_mode (*filter_mode)(struct ig_host_ctx *ctx);

	/* fd of a core-owned filter map (enum ig_filter_map), for
	 * bpf_map__reuse_fd() between open and load; see ig_gadget_reuse_filter()
	 * in ig/bpf_gadget.h. The host keeps the maps in sync with the
	 * container selection / command tree. <0 -errno on failure. */
	int (*filter_map_fd)(struct ig_host_ctx *ctx, enum ig_filter_map which);

	/* The command pid in IG_TARGET_COMMAND mode (0 otherwise). The command
	 * is held before execve until the gadget's init() returned. */
	int (*command_pid)(struct ig_host_ctx *ctx);

	/* Container lookup; NULL if unknown. See ig/container.h for lifetime. */
	const struct ig_container *(*container_by_mntns)(struct ig_host_ctx *ctx, uint64_t mntns);
	const struct ig_container *(*container_by_netns)(struct ig_host_ctx *ctx, uint64_t netns);
	const struct ig_container *(*container_by_id)(struct ig_host_ctx *ctx, const char *id);
	/* Iterate over known containers (including removed ones); stops early
	 * when fn returns non-zero and returns that value. */
	int (*container_foreach)(struct ig_host_ctx *ctx,
				 int (*fn)(void *arg, const struct ig_container *c), void *arg);
	/* Whether a container is selected by -c / --host / the defaults. */
	bool (*container_selected)(struct ig_host_ctx *ctx, const struct ig_container *c);

	/*
	 * Consume a BPF ring buffer map in batches: the host adds it to its event
	 * loop and also drains it on a short timer, so BPF programs may submit
	 * with BPF_RB_NO_WAKEUP (see include/ig/ig_ringbuf.h). lost_map_fd is a
	 * BPF_MAP_TYPE_PERCPU_ARRAY of one u64 counting reservations that failed
	 * (or -1); the host sums it into the lost-events count it reports.
	 */
	int (*ring_add)(struct ig_host_ctx *ctx, int ringbuf_map_fd, int lost_map_fd,
			ig_sample_fn fn, void *cb_ctx);

	/* Count of distinct items for the live status line (advisors: syscalls
	 * seen, flows seen ...). Optional to call. */
	void (*set_progress)(struct ig_host_ctx *ctx, uint64_t items, const char *what);

	/* Report n events lost outside ring buffers (e.g. a full map). */
	void (*add_lost)(struct ig_host_ctx *ctx, uint64_t n);

	/* Boot-time ns -> wall clock ns (for documents that carry times). */
	uint64_t (*boot_to_wall_ns)(struct ig_host_ctx *ctx, uint64_t boot_ns);

	/* ---- ABI 1.1 ---- */

	/*
	 * Drain the gadget's ring buffers now, synchronously: every record
	 * committed to any ring registered with ring_add() before this call
	 * has been passed to its sample callback (on this thread, in ring
	 * order) when it returns; records submitted meanwhile may be passed
	 * too. Use it where the gadget needs its stream complete before it
	 * reads its maps or writes a report: in stop() after detaching, in
	 * report(), in container_removed(). The host already drains before
	 * calling stop() and report(), but not what the gadget produces
	 * inside them (e.g. records injected from a helper thread it has just
	 * joined); it drains once more after report() returns, so records left
	 * there are not lost, only later than report()'s own. A record
	 * reserved but not yet committed is waited for (briefly: BPF programs
	 * commit before they return).
	 * Returns the number of samples consumed (0 if no ring was added), or
	 * -EBUSY when called from a sample callback (the ring is being read
	 * already), -ETIMEDOUT when a reserved record stayed uncommitted, or
	 * the -errno a sample callback returned.
	 */
	int (*ring_drain)(struct ig_host_ctx *ctx);

	/* ---- ABI 1.2 ---- */

	/*
	 * Read a whole file the user named (a profile to start from): a
	 * regular file of at most max bytes, opened so that a FIFO never makes
	 * ig wait. what names it for the error ("--base-profile"). Returns a
	 * NUL-terminated buffer the gadget must free() (*len without the NUL),
	 * or NULL with errno after one IG_LOG_ERROR line naming what and path
	 * ("--base-profile /x: is a directory, not a regular file").
	 */
	char *(*read_file)(struct ig_host_ctx *ctx, const char *what, const char *path,
			   size_t max, size_t *len);

	/*
	 * Write one file of this run's results (a profile per container) into
	 * dir (an IG_PT_DIR parameter's value), as root, safely: the file is
	 * named after name (a container's name: bytes other than A-Z a-z 0-9
	 * . _ - become '_', a leading '.' too; longer than 160 bytes: cut, plus
	 * a hash of the whole name) followed by ext (".json"); a name this run
	 * wrote already gets "-2", "-3" ... (a warning says so), so two
	 * containers of the same name keep both files. The content goes to a
	 * temporary created with O_EXCL and is renamed over a regular file
	 * only, never through a symlink. path (path_len bytes) receives the
	 * file's path, for the report. 0, or -errno after one IG_LOG_ERROR line.
	 */
	int (*write_file)(struct ig_host_ctx *ctx, const char *dir, const char *name,
			  const char *ext, const void *data, size_t len, char *path,
			  size_t path_len);

	/* ---- ABI 1.3 ---- */

	/*
	 * Text for the live status line (shown on a terminal only), after the
	 * core's own fields: what the gadget is learning, e.g. "web 41
	 * syscalls, last new 12s ago". Copied; NULL or "" clears it; the line
	 * is cut to the terminal's width.
	 */
	void (*set_status)(struct ig_host_ctx *ctx, const char *text);

	/* How many runs of -- COMMAND this ig makes (--runs N; 1 without it),
	 * 0 when the target is not a command. */
	uint32_t (*command_runs)(struct ig_host_ctx *ctx);

	/*
	 * The gadget has what it needs (--until-stable): in command mode the
	 * current run of the command gets SIGTERM, as on --timeout, and ig goes
	 * on with the next run (--runs) or ends; a run ended so counts as a
	 * success. Otherwise ig ends as on --timeout. Returns at once; the end
	 * comes through the event loop.
	 */
	void (*end_run)(struct ig_host_ctx *ctx);

	/* ---- ABI 1.4 ---- */

	/*
	 * Whether desc->hooks[idx] is the alternative this run uses for its
	 * role: 1 yes, 0 no, -EINVAL past the table. The core chose before
	 * init() (see ig/kernel.h) and does not start a gadget that has a role
	 * no alternative can fill, so each role has exactly one chosen entry.
	 */
	int (*hook_chosen)(struct ig_host_ctx *ctx, uint32_t idx);

	/*
	 * Whether the kernel has a feature (enum ig_kfeature): 1 yes, 0 no
	 * (missing, refused, or named in IG_DISABLE_FEATURES), -EINVAL for a
	 * feature this ig does not know. Probed on first use, once per ig
	 * process, and shared by every gadget.
	 */
	int (*kernel_has)(struct ig_host_ctx *ctx, uint32_t feature);
};

#define IG_HOST_HAS(h, member) \
	((h)->sz >= offsetof(struct ig_host, member) + sizeof((h)->member))

/* ------------------------------------------------------------ descriptor */

struct ig_gadget_desc {
	uint32_t sz;		/* sizeof(struct ig_gadget_desc) of the gadget */
	uint16_t abi_major;	/* IG_GADGET_ABI_MAJOR */
	uint16_t abi_minor;	/* IG_GADGET_ABI_MINOR */
	const char *name;	/* "seccomp-advisor": what `ig run` takes */
	const char *version;	/* gadget's own version, free-form */
	const char *summary;	/* one line for `ig list` */
	const char *description;/* paragraph for --help, or NULL */
	uint32_t kind;		/* IG_KIND_* bits */
	uint32_t field_sz;	/* sizeof(struct ig_field) of the gadget */
	const struct ig_field *fields;	/* record columns, nr_fields of them */
	uint32_t nr_fields;
	uint32_t param_sz;	/* sizeof(struct ig_param) of the gadget */
	const struct ig_param *params;	/* gadget flags, nr_params of them */
	uint32_t nr_params;
	uint32_t pad0;

	/* Required. Allocate state, open/configure/load/attach BPF, register
	 * ring buffers. host is valid until destroy() returns. */
	int (*init)(const struct ig_host *host, void **state);
	/* Optional. Detach; called once before report(). */
	void (*stop)(void *state);
	/* Optional (required for IG_KIND_ADVISE). Emit report documents for
	 * everything not yet reported. Called after stop(); the host drains
	 * the rings again after it returns. */
	int (*report)(void *state);
	/* Required. Free everything; accepts NULL. */
	void (*destroy)(void *state);
	/* Optional. A container appeared (also for each one known at start). */
	void (*container_added)(void *state, const struct ig_container *c);
	/* Optional. A container exited. Called synchronously from the host's
	 * event loop before the container is marked removed in BPF filters, so
	 * an advisor can read its maps and emit that container's report now. */
	void (*container_removed)(void *state, const struct ig_container *c);

	/* ---- ABI 1.3 (read only when desc->sz covers them: IG_DESC_HAS) ---- */

	/* Optional. Called about every IG_TICK_MS while the gadget runs (after
	 * init(), before stop()), with or without a terminal: an advisor polls
	 * what it learned here (when the last new item came, --until-stable). */
	void (*tick)(void *state);
	/*
	 * Optional. --runs N: run `run` (1 ... N-1) of -- COMMAND is about to
	 * start as pid, held before its execve (the pid filter has it, and
	 * command_pid() answers it from now on). The previous run has exited
	 * and its records were drained: the gadget closes that run's recording
	 * here and starts the next.
	 */
	void (*command_run)(void *state, uint32_t run, int pid);

	/* ---- ABI 1.4 ---- */
	uint32_t hook_sz;	/* sizeof(struct ig_hook) of the gadget */
	uint32_t nr_hooks;
	/* The attach points and their alternatives, roles in order, each
	 * role's alternatives cheapest first (ig/kernel.h); NULL/0 for a
	 * gadget that declares none (it is then always "ready"). */
	const struct ig_hook *hooks;
};

/* How often desc->tick() is called: the status line's interval. */
#define IG_TICK_MS	250

#define IG_DESC_HAS(d, member) \
	((d)->sz >= offsetof(struct ig_gadget_desc, member) + sizeof((d)->member))

/* Declare a gadget's entry point:
 *     IG_GADGET_DEFINE(my_desc);
 * with `static const struct ig_gadget_desc my_desc = { IG_GADGET_DESC_HEADER, ... };` */
#define IG_GADGET_DESC_HEADER \
	.sz = sizeof(struct ig_gadget_desc), \
	.abi_major = IG_GADGET_ABI_MAJOR, \
	.abi_minor = IG_GADGET_ABI_MINOR, \
	.field_sz = sizeof(struct ig_field), \
	.param_sz = sizeof(struct ig_param), \
	.hook_sz = sizeof(struct ig_hook)

#define IG_GADGET_DEFINE(desc) \
	IG_EXPORT const struct ig_gadget_desc *ig_gadget_entry(void); \
	IG_EXPORT const struct ig_gadget_desc *ig_gadget_entry(void) { return &(desc); }

typedef const struct ig_gadget_desc *(*ig_gadget_entry_fn)(void);

#ifdef __cplusplus
}
#endif

#endif /* IG_GADGET_H */
