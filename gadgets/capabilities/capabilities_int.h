/* SPDX-License-Identifier: Apache-2.0 */
/*
 * User-side internals of the capabilities gadget, shared by its .c files and
 * its unit tests. Pure functions first (no BPF, no host), then the run state.
 */
#ifndef CAPABILITIES_INT_H
#define CAPABILITIES_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include <ig/record.h>

#include "lib/advise/track.h"

#include "capabilities.h"

#define CAPS_NR		(CAPS_LAST_CAP + 1)

/* Record fields, in table order (capabilities.c). */
enum caps_field {
	F_TIMESTAMP, F_MNTNS, F_PID, F_TID, F_COMM, F_UID, F_GID, F_CAP, F_CAPNUM, F_VERDICT,
	F_AUDIT, F_SYSCALL, F_CREDS, F_SETUP, F_TARGET_USERNS, F_CURRENT_USERNS, F_NR
};

/* Values of the "creds" field. */
#define CREDS_OWN	0
#define CREDS_OVERRIDE	1
#define CREDS_OTHER	2

/* Syscall number -> name, or NULL when unknown. */
typedef const char *(*caps_syscall_name_fn)(int nr);

/*
 * Decode one struct cap_event into vals[F_NR]. Strings point into data (comm,
 * bounded by len) or at static/cached storage. -EINVAL when size is short.
 */
int caps_decode(const void *data, size_t size, struct ig_value *vals,
		caps_syscall_name_fn sysname);

/* ---- batch.c */
/* Called once per check record; a non-zero return stops the walk. */
typedef int (*caps_check_fn)(void *ctx, const struct cap_event *e);

/*
 * Walk one batch sample (task, check and repeat records, capabilities.h): fn
 * gets each check with the task record in effect, as one struct cap_event,
 * once more for each repeat. Returns the number of checks, fn's error, or
 * -EINVAL at a record that is malformed (unknown kind, cut short, a check
 * before any task record, a repeat not after a check), after the checks
 * before it were passed on.
 */
int caps_walk_batch(const void *data, size_t size, caps_check_fn fn, void *ctx);

/* ---- names.c */
/* Native syscall name via libseccomp, cached; NULL when unknown. */
const char *caps_syscall_name(int nr);
void caps_syscall_names_free(void);

/* sysname(nr), else "syscall N" in buf, or "no syscall" for nr < 0. */
const char *caps_syscall_text(caps_syscall_name_fn sysname, int nr, char *buf, size_t len);
/* "CAP_CHOWN" for 0 ... NULL when out of range. */
const char *caps_name(unsigned int cap);
/* Capability number for "CAP_CHOWN" or "chown" (any case); -1 if unknown. */
int caps_from_name(const char *name);

/* ---- audit.c: kernel text ranges for the audited/non-audited derivation */
struct caps_range {
	uint64_t start;
	uint64_t end;
	uint8_t kind;		/* CAPS_RANGE_INNER or CAPS_RANGE_NOAUDIT */
};

/*
 * Read kallsyms-format text ("ffffffff81abd470 T cap_capable") and return
 * the ranges of the capability functions, at most max of them: the count, or
 * -ENOENT when cap_capable or security_capable is missing (or all addresses
 * are zero: kptr_restrict), -EINVAL on malformed input, -ENOSPC when max is
 * too small. A function ends where the next text symbol starts.
 */
int caps_find_ranges(FILE *f, struct caps_range *out, int max);

/*
 * The ranges of one boot, saved and read back (start-up skips /proc/kallsyms
 * when they are cached). Load returns the count, -ESTALE when the cache is
 * from another boot, -EINVAL when malformed (or without both inner
 * functions), -ENOSPC when max is too small. Save returns 0 or -EIO.
 */
int caps_ranges_save(FILE *f, const char *boot_id, const struct caps_range *r, int n);
int caps_ranges_load(FILE *f, const char *boot_id, struct caps_range *out, int max);

/* ---- rcache.c */
/* The ranges for this boot: from ig's cache (/run/ig, root-only) or else
 * from /proc/kallsyms, then cached. *cached says which. caps_find_ranges()'s
 * errors, or -errno opening /proc/kallsyms. */
int caps_ranges_for_boot(struct caps_range *out, int max, bool *cached);

/* ---- calib.c: learn the stack layout for the fast audit path */
/*
 * From a calibration record of an audited check made through
 * security_capable() (setgroups -> ns_capable_setid), find where the return
 * addresses sit above the program's anchor. 0, or -ENOENT when the record
 * does not have that shape.
 */
int caps_layout_from_calib(const struct caps_calib *c, const struct caps_range *r, int nr,
			   struct caps_layout *out);
/* true when the fast path and the stack walk agree with what was expected */
bool caps_calib_agrees(const struct caps_calib *c, unsigned int cap, bool audited);
/* One audited capability check made by the calling thread (setgroups() with
 * its own groups): how ig runs the program on purpose (CAPS_CTL_*). */
void caps_own_check(void);
struct ig_host;
struct capabilities_bpf;
/* With the program attached: learn the layout on this thread's own checks,
 * verify it, and switch the fast path on (or log why not). */
void caps_calibrate(const struct ig_host *host, struct capabilities_bpf *skel,
		    const struct caps_range *ranges, int nr_ranges);

/* ---- advise.c: the per-container advice */
/* Checks of one capability in one syscall that the kernel refused. */
struct caps_refusal {
	uint8_t cap;
	int32_t syscall;
	uint64_t count;
	uint32_t pid;			/* the first such check's */
	char comm[IG_COMM_LEN + 1];
};

#define CAPS_MAX_REFUSALS	64

struct caps_advice {
	uint64_t mntns;
	uint64_t needed;		/* the advice: granted to an audited, own check
					 * whose answer mattered (not CAPS_F_MOOT) */
	uint64_t denied;		/* ... refused at least once (needed or not) */
	uint64_t noaudit_caps;		/* capabilities only probed without audit */
	uint64_t allowed_count[CAPS_NR];
	uint64_t denied_count[CAPS_NR];
	int32_t need_syscall[CAPS_NR];	/* the syscall granted it most often */
	uint64_t need_count[CAPS_NR];	/* ... that many times */
	struct caps_refusal refusals[CAPS_MAX_REFUSALS];	/* by capability, syscall */
	uint32_t nr_refusals;
	uint64_t refusals_untold;	/* refused checks past CAPS_MAX_REFUSALS */
	uint64_t ignored_noaudit;	/* checks left out, by reason */
	uint64_t ignored_setup;
	uint64_t ignored_override;
	uint64_t ignored_kthread;
	uint64_t ignored_moot;
};

void caps_advice_init(struct caps_advice *a, uint64_t mntns);
/* Account one aggregated (key, value) pair from the BPF map caps_agg. */
void caps_advice_add(struct caps_advice *a, const struct cap_agg_key *k,
		     const struct cap_agg_val *v);

/* Names the document uses for the workload; NULL members are left out. */
struct caps_advice_target {
	const char *container;	/* container name, or NULL (host / command) */
	const char *id;		/* container id, or NULL */
	const char *runtime;
};

/*
 * The report document: Kubernetes securityContext.capabilities, OCI
 * process.capabilities, per-capability counts and notes. NULL with errno
 * ENOMEM on allocation failure.
 */
json_t *caps_advice_document(const struct caps_advice *a, const struct caps_advice_target *t,
			     caps_syscall_name_fn sysname);

/* ---- refused.c: what the workload asked for and was only ever refused */
/* [{capability, syscall, count, comm, pid}] for the capabilities not
 * needed, by capability then syscall. NULL on ENOMEM. */
json_t *caps_refused_array(const struct caps_advice *a, caps_syscall_name_fn sysname);
/* One note per such capability appended to notes. 0, or non-zero on ENOMEM. */
int caps_refused_notes(const struct caps_advice *a, json_t *notes, caps_syscall_name_fn sysname);
struct caps_state;

/* ---- report.c: read the BPF map caps_agg and emit advice documents */
/* Every container (mount namespace) still in the map, ended as end. 0 or
 * -errno. */
int caps_report_all(struct caps_state *st, enum adv_end end);
/* One container, then forget its entries. 0 or -errno. */
int caps_report_mntns(struct caps_state *st, uint64_t mntns, enum adv_end end);

/* ---- the run (capabilities.c) and its records (events.c) */
struct caps_prog;

struct caps_state {
	const struct ig_host *host;
	struct capabilities_bpf *skel;
	struct bpf_program *miss_prog;	/* the one counting recursion misses */
	int variant;			/* which of caps_hooks[] (CAPS_V_*) */
	bool advise;
	bool stopped;
	struct caps_range ranges[CAPS_MAX_RANGES];
	int nr_ranges;
	/* lifecycle.c: how complete each advice is, --until-stable,
	 * --output-dir, --update */
	uint64_t until_stable_ns;
	bool run_ended;			/* the command's run, by --until-stable */
	const char *output_dir;
	uint64_t update_caps;		/* --update: capabilities to union in */
	int64_t boot_to_wall;
	struct caps_prog *prog;
	uint32_t nr_prog;
};

/* ---- lifecycle.c */
/* Read --until-stable, --output-dir (made), --update; one error line. */
int caps_lifecycle__configure(struct caps_state *st);
/* A tick: what each container's advice learned, the status line; *stable
 * (malloc'ed) the containers --until-stable is done with, counted. */
int caps_lifecycle__tick(struct caps_state *st, uint64_t **stable);
/* Whether mntns was reported already (--until-stable). */
bool caps_lifecycle__done(struct caps_state *st, uint64_t mntns);
/* Union --update's capabilities into a; returns those the recording lacked. */
uint64_t caps_lifecycle__union(const struct caps_state *st, struct caps_advice *a);
/* The document's "report" member (and its --output-dir file, named name). */
int caps_lifecycle__attach(struct caps_state *st, const struct caps_advice *a, const char *name,
			   json_t *doc, enum adv_end end, uint64_t from_file);
void caps_lifecycle__free(struct caps_state *st);

/* A ring buffer sample: one CPU's batch (host->ring_add's callback). */
int caps_on_event(void *ctx, void *data, size_t size);
/* Before detach: stop the program and have every CPU we can run on send its
 * batch. */
void caps_flush_batches_now(struct caps_state *st);
/* After detach: wait for, or else read, the batches CPUs we could not visit
 * still hold. */
void caps_flush_batches_left(struct caps_state *st);

#endif /* CAPABILITIES_INT_H */
