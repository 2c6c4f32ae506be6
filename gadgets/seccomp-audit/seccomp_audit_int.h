/* SPDX-License-Identifier: Apache-2.0 */
/*
 * seccomp-audit, user side internals, shared by its .c files and its unit
 * tests (not an ABI): actions, the candidate profile, its evaluation, audit
 * records and the audit switch, the merge of events seen by several sources,
 * then the run's state and its event handling.
 */
#ifndef SECCOMP_AUDIT_INT_H
#define SECCOMP_AUDIT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <ig/gadget.h>

#include "lib/advise/track.h"
#include "lib/seccomp/parse.h"
#include "lib/seccomp/profile.h"

#define SAU_COUNT(a)	(sizeof(a) / sizeof((a)[0]))

/* Sources (bits of the "source" field). */
#define SAU_SRC_EXIT	(1u << 0)
#define SAU_SRC_SIGNAL	(1u << 1)
#define SAU_SRC_AUDIT	(1u << 2)
#define SAU_SRC_PROFILE	(1u << 3)

/* Actions (enum sp_act) and the candidate profile (struct sp_profile, read
 * by sp_profile__load) are lib/seccomp's, shared with seccomp-advisor and
 * `ig profile`. */

/* ------------------------------------------------------------ evaluation (profile_eval.c) */

struct sau_filter;
struct sock_filter;

/* Compile the profile the way runc does (libseccomp, same rule shaping) and
 * keep the classic BPF program libseccomp generated. NULL + err on error. */
struct sau_filter *sau_filter_build(const struct sp_profile *p, char *err, size_t errlen);
/* Run the program on one syscall of the native architecture: the
 * SECCOMP_RET_* value the kernel would act on. */
uint32_t sau_filter_run(const struct sau_filter *f, int nr, const uint64_t args[6]);
/* Same for a given AUDIT_ARCH_* (0: native), e.g. a 32-bit syscall. */
uint32_t sau_filter_run_arch(const struct sau_filter *f, uint32_t arch, int nr,
			    const uint64_t args[6]);
/* Whether nr can get anything but ALLOW (so it is worth tracing). */
bool sau_filter_may_act(const struct sau_filter *f, int nr);
/* The generated program (owned by f), for tests that load it for real. */
int sau_filter_insns(const struct sau_filter *f, struct sock_filter **insns, size_t *len);
void sau_filter_free(struct sau_filter *f);

/* ------------------------------------------------------------ audit records (audit_record.c) */

struct sau_audit_rec {
	uint64_t wall_ms;	/* audit(SEC.MS:SERIAL) */
	uint32_t pid;
	uint32_t arch;
	int32_t nr;
	uint32_t code;		/* the filter's return value */
	char comm[16];
	char exe[256];		/* the executable's path, "" when not given */
};

/* Parse the text of an AUDIT_SECCOMP (1326) record. 0 or -EINVAL. */
int sau_audit_parse(const char *txt, size_t len, struct sau_audit_rec *r);

/* ------------------------------------------------------------ merge (sau_merge.c) */

struct sau_rec {
	uint64_t ts;		/* boot ns */
	uint64_t mntns;
	uint32_t pid, tid;
	char comm[16];
	int32_t nr;
	uint32_t arch;		/* AUDIT_ARCH_*, 0 native */
	enum sp_act act;
	int err;		/* errno, -1 for none */
	uint32_t sources;	/* SAU_SRC_* */
	uint64_t seen;		/* monotonic ns when user space got it */
	bool emitted;
};

typedef void (*sau_emit_fn)(void *ctx, const struct sau_rec *r);

struct sau_merge;

/* hold_ns: how long exit/signal events wait for the audit record of the
 * same event (0: emit at once, nothing to wait for). */
struct sau_merge *sau_merge_new(uint64_t hold_ns, sau_emit_fn fn, void *ctx);
void sau_merge_add(struct sau_merge *m, const struct sau_rec *r, uint64_t now);
/* Emit what waited long enough (everything when force). */
void sau_merge_flush(struct sau_merge *m, uint64_t now, bool force);
void sau_merge_free(struct sau_merge *m);

/* --unique: true the first time (mntns, nr, act) is seen. */
struct sau_uniq;
struct sau_uniq *sau_uniq_new(void);
bool sau_uniq_first(struct sau_uniq *u, uint64_t mntns, int32_t nr, enum sp_act act);
void sau_uniq_free(struct sau_uniq *u);

/* ------------------------------------------------------------ audit status (audit_status.c) */

/* Audit status "enabled" (0 off, 1 on, 2 locked) or -errno. */
int sau_audit_get_enabled(void);
/* The registered audit daemon's pid (0: none) or -errno. */
int sau_audit_get_daemon(void);
/* 0 or -errno. */
int sau_audit_set_enabled(int enabled);

/* ------------------------------------------------------------ audit switch (audit_share.c) */

/* Shared audit switch: join says in *prev what audit was
 * before any ig run switched it on (0: it is on now for us); leave switches
 * it off again when the last run leaves, unless an audit daemon registered
 * since ig switched it on (the switch is the daemon's then). 0 or -errno. */
int sau_audit_share_join(int *prev);
int sau_audit_share_leave(void);

/* ------------------------------------------------------------ audit reader (audit_netlink.c) */

struct sau_audit;

/* Called on the reader thread with a record, or with NULL every ~100 ms. */
typedef void (*sau_audit_fn)(void *ctx, const struct sau_audit_rec *r);

/* Subscribe to the readlog group; when audit is off and enable is set,
 * switch it on (*enabled_by_us tells). NULL + errno on failure. */
struct sau_audit *sau_audit_open(bool enable, bool *enabled_by_us);
/* Start the reader thread. 0 or -errno. */
int sau_audit_start(struct sau_audit *a, sau_audit_fn fn, void *ctx);
/* Stop and join the thread, then hand records that arrive within quiet_ms of
 * each other (at most max_ms in all) to fn on the calling thread. */
void sau_audit_stop(struct sau_audit *a, int quiet_ms, int max_ms);
/* Restore the audit state found at open. 0 or -errno. */
int sau_audit_restore(struct sau_audit *a);
/* Stops, restores, frees; accepts NULL. */
void sau_audit_free(struct sau_audit *a);

/* ------------------------------------------------------------ the run (seccomp_audit.c) */

struct seccomp_audit_bpf;

struct sau_state {
	const struct ig_host *host;
	struct seccomp_audit_bpf *skel;
	struct sp_profile *profile;
	struct sau_filter *filter;
	struct sau_audit *audit;
	struct sau_merge *merge;
	struct sau_uniq *uniq;
	int inject_fd;
	int procs_fd;
	bool unique;
	bool unfiltered;
	bool stopped;
	int64_t wall_minus_boot_ns;
	struct sau_update *upd;		/* --update, or NULL */
	const char *output_dir;		/* --output-dir, made at init */
};

/* The record's columns (fields[] in seccomp_audit.c). */
enum { F_TS, F_MNTNS, F_PID, F_TID, F_COMM, F_SYSCALL, F_ACTION, F_ERRNO, F_SOURCE, F_NR };

/* ------------------------------------------------------------ events (events.c) */

uint64_t sau_now_ns(clockid_t clk);
/* A merged event becomes a record (sau_emit_fn, ctx the state). */
void sau_emit_rec(void *ctx, const struct sau_rec *r);
/* A ring buffer sample (host->ring_add's callback, ctx the state). */
int sau_on_sample(void *ctx, void *data, size_t size);
/* The audit reader thread's callback (sau_audit_fn): an audit record, or a
 * tick, pushed into the ring through the inject program. */
void sau_on_audit(void *ctx, const struct sau_audit_rec *a);

/* ------------------------------------------------------------ --update (update.c) */

struct sau_update;

/* The staged profile from its text (host->read_file's: writable); NULL
 * with the reason ("<path>:<line>:<col>: expected ...") in err. */
struct sau_update *sau_update__new(const char *path, char *text, size_t len, char *err,
				   size_t errlen);
void sau_update__free(struct sau_update *u);
/* A LOG action's audit record of a selected task in mntns (any thread:
 * the reader thread adds, under the update's lock). */
void sau_update__add(struct sau_update *u, uint64_t mntns, const struct sau_audit_rec *a);
/* A selected container: it gets a profile even if it logged nothing. */
void sau_update__container(struct sau_update *u, uint64_t mntns);
/* At the end (the reader thread joined): one updated profile per container
 * (per command), emitted and, with --output-dir, written. 0 or -errno. */
int sau_update__report(struct sau_state *st);

#endif /* SECCOMP_AUDIT_INT_H */
