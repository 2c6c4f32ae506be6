/* SPDX-License-Identifier: Apache-2.0 */
/*
 * seccomp-advisor, user side internals, shared by its .c files and its unit
 * and kernel tests (not part of any ABI): syscall sets, the recorder (the BPF
 * program's user half), profiles and documents, then the run state and the
 * report logic.
 */
#ifndef SECCOMP_ADVISOR_INT_H
#define SECCOMP_ADVISOR_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include <ig/gadget.h>

#include "lib/advise/track.h"
#include "seccomp_advisor.h"

/* ------------------------------------------------------------ syscall sets */

/* Distinct argument values of one syscall (--args). */
struct sa_argvals {
	uint32_t nr;			/* native syscall number */
	uint32_t pos;			/* argument index (0-based) */
	uint32_t n;			/* values used */
	bool overflow;			/* more than SA_ARGS_MAX_VALUES were seen */
	uint64_t vals[SA_ARGS_MAX_VALUES];
};

/* A recorded set: native and compat syscall numbers, plus argument values. */
struct sa_set {
	uint32_t nr_syscalls;		/* bits per region (multiple of 64) */
	uint64_t *native;		/* nr_syscalls / 64 words */
	uint64_t *compat;
	uint32_t nr_args;
	struct sa_argvals args[SA_ARG_SYSCALLS];
	uint64_t stamp;			/* the last bit set, boot ns (0: unknown) */
};

struct sa_set *sa_set__new(uint32_t nr_syscalls);
void sa_set__free(struct sa_set *s);
void sa_set__add(struct sa_set *s, bool compat, uint32_t nr);
bool sa_set__has(const struct sa_set *s, bool compat, uint32_t nr);
/* dst |= src (syscalls and argument values). */
void sa_set__or(struct sa_set *dst, const struct sa_set *src);
/* Record an argument value; past the bound the syscall becomes name-only. */
void sa_set__add_arg(struct sa_set *s, uint32_t nr, uint32_t pos, uint64_t value, bool overflow);
uint32_t sa_set__count(const struct sa_set *s, bool compat);

/* ------------------------------------------------------------ arch + names */

/* The host's native libseccomp arch token and its 32-bit companion (0 if
 * none), e.g. SCMP_ARCH_X86_64 and SCMP_ARCH_X86. */
uint32_t sa_arch_native(void);
uint32_t sa_arch_compat(uint32_t native);
/* "SCMP_ARCH_X86_64" for a token; NULL if unknown. */
const char *sa_arch_name(uint32_t token);
/* Architectures a profile for this host lists: native first, then its
 * companions. Returns the count written to out (at most max). */
int sa_arch_list(uint32_t native, uint32_t *out, int max);
/* Highest native syscall number libseccomp knows + 1, rounded up to 64. */
uint32_t sa_native_syscall_count(void);

/* ------------------------------------------------------------ recorder */

struct seccomp_advisor_bpf;

/* The BPF side's user half (recorder.c; rec_runs.c for --runs and polls). */
struct sa_recorder {
	struct seccomp_advisor_bpf *skel;
	uint32_t nr_syscalls;
	uint32_t max_slots;
	uint32_t value_size;	/* bytes of one bitmap value (both regions) */
	int ncpus;
	bool command_mode;
	int8_t keyed_by_id;	/* slots keyed by namespace id: 1, 0, -1 not known yet */
	void *buf;		/* one per-CPU lookup buffer */
};

struct sa_recorder_opts {
	bool command_mode;	/* record the pid-filter tree, from cmd_pid's execve */
	int cmd_pid;
	int pid_filter_fd;	/* core's ig_pid_filter map fd to reuse, or -1 */
	bool args;		/* --args */
	uint32_t max_slots;	/* 0: SA_DEFAULT_SLOTS */
	bool task_btf;		/* sa_sys_enter (the task as a BTF pointer, 5.11+),
				 * else sa_sys_enter_probe (probe reads) */
};

/* Open, size, load and attach. NULL with errno set; *why (static text) says
 * which step failed. */
struct sa_recorder *sa_recorder__open(const struct sa_recorder_opts *o, const char **why);
void sa_recorder__detach(struct sa_recorder *r);
void sa_recorder__destroy(struct sa_recorder *r);
/* Which argument --args records for native syscall nr, or -ENOENT. */
int sa_arg_pos(uint32_t nr);
uint32_t sa_recorder__nr_syscalls(const struct sa_recorder *r);
/* Which namespace an inode number means when it was recycled (several
 * slots): the live one, or the one of a container that just exited. */
enum sa_pick {
	SA_PICK_LIVE = 0,
	SA_PICK_EXITED,
};
/* A mount namespace: its id when known (exact), else its inode number
 * (0 in command mode) and how to pick among recycled ones. */
struct sa_target {
	uint64_t nsid;
	uint64_t inum;
	enum sa_pick pick;
};
/* Read the two phases (set-up, run) of t into fresh sets. -ENOENT when it
 * was never seen. */
int sa_recorder__read(struct sa_recorder *r, const struct sa_target *t,
		      struct sa_set **setup, struct sa_set **run);
/* Forget a namespace that is gone: free its slot for reuse. */
int sa_recorder__release(struct sa_recorder *r, const struct sa_target *t);
/* The slot of t and its key (-ENOENT when never seen). */
int sa_recorder__slot_of(struct sa_recorder *r, const struct sa_target *t, uint64_t *key_out,
			 uint32_t *slot);
/* OR every CPU's copy of bitmap idx (slot * 2 + phase) into s. */
int sa_recorder__or_bitmap(struct sa_recorder *r, uint32_t idx, struct sa_set *s);
/* Empty a slot's bitmaps and argument values; every CPU's cache refills. */
void sa_recorder__clear_slot(struct sa_recorder *r, uint32_t slot);
void sa_recorder__forget_args(struct sa_recorder *r, uint32_t idx);
/* rec_runs.c: the syscalls t made in both phases, into s (no argument
 * values: what a poll needs). -ENOENT when never seen. */
int sa_recorder__bits(struct sa_recorder *r, const struct sa_target *t, struct sa_set *s);
/* rec_runs.c, --runs: empty the command's slot and record from pid's execve
 * on (the next run, held before it). */
void sa_recorder__next_run(struct sa_recorder *r, int pid);
/* The id of the namespace recorded with inode inum that pick means (as
 * sa_recorder__slot_of(): LIVE the newest, EXITED not one a live process
 * still has), 0 if none. */
uint64_t sa_recorder__key_of(struct sa_recorder *r, uint64_t inum, enum sa_pick pick);
/* Whether slots are keyed by namespace id (this kernel has ns.ns_id, 6.18)
 * rather than by inode: 1 or 0, -1 while no slot tells. */
int sa_recorder__keyed_by_id(struct sa_recorder *r);
/* The keys of the slots recorded with inode inum; *keys malloc'ed. Count or
 * -errno. */
int sa_recorder__keys_with_inum(struct sa_recorder *r, uint64_t inum, uint64_t **keys);
/* Mount namespace inodes seen so far; *keys malloc'ed. Count or -errno. */
int sa_recorder__keys(struct sa_recorder *r, uint64_t **keys);
/* Counters and dropped keys (mntns that got no slot). */
uint64_t sa_recorder__counter(struct sa_recorder *r, enum sa_counter which);
int sa_recorder__dropped(struct sa_recorder *r, uint64_t **keys);

/* ------------------------------------------------------------ mount namespaces (mntns.c) */

/* Whether a live process is in the mount namespace with inode inum (and, if
 * nsid is not 0, with that id: NS_GET_MNTNS_ID, 6.8+). */
bool sa_mntns_alive(uint64_t inum, uint64_t nsid);

/* ------------------------------------------------------------ runc */

/* Syscalls runc 1.1 makes after installing the filter, before its exec
 * (see runc.c). NULL-terminated names. */
const char *const *sa_runc_after_filter(bool no_new_privileges);
const char *const *sa_runc_go_runtime(void);
/* Read noNewPrivileges from <bundle>/config.json: 1, 0, or -errno. */
int sa_bundle_nnp(const char *bundle);

struct sa_profile;
struct sa_set;
/* Add what runc does after installing the filter to p; returns how many
 * names were new. setup: the container's set-up phase, which the two
 * after-filter lists are intersected with; NULL (command mode, for a
 * container later) adds them whole. nnp: 1 for noNewPrivileges true, else
 * the larger list. */
uint32_t sa_runc_add(struct sa_profile *p, const struct sa_set *setup, int nnp);

/* ------------------------------------------------------------ implicit syscalls (implicit.c) */

/* A syscall made on a program's behalf, which its code never asks for. */
struct sa_implicit {
	const char *name;
	const char *by;		/* "kernel", "C library", "vDSO" */
	const char *why;
};

/* The table (at most 32 entries: masks below have a bit per entry). */
const struct sa_implicit *sa_implicit_table(uint32_t *n);
/* Add the table's names p lacks; *added gets a bit per name added. */
int sa_implicit_add(struct sa_profile *p, uint32_t *added);
/* The added mask of the union of a and b (a name recorded in either is
 * not implicit in the union). */
uint32_t sa_implicit_union(const struct sa_profile *a, uint32_t added_a,
			   const struct sa_profile *b, uint32_t added_b);
uint32_t sa_implicit_count(uint32_t added);
/* "restart_syscall,rt_sigreturn" for a mask; returns the length. */
size_t sa_implicit_names(uint32_t added, char *buf, size_t size);

/* ------------------------------------------------------------ profiles (profile.c, document.c) */

/* Internal to profile.c and document.c. */
struct sa_profile {
	char **names;		/* unconditional, unsorted until rendered */
	uint32_t n, cap;
	json_t *arg_rules;	/* array of {names:[one], action, args} */
};

/* Which libseccomp arch names the native and the compat region. */
struct sa_names {
	uint32_t native_arch;
	uint32_t compat_arch;	/* 0: compat numbers are reported unnamed */
};

/* Numbers libseccomp has no name for (newer than it); never in a profile. */
#define SA_MAX_UNNAMED		32
#define SA_UNNAMED_COMPAT	0x80000000u
struct sa_unnamed {
	uint32_t n;
	uint32_t nr[SA_MAX_UNNAMED];
};

struct sa_profile *sa_profile__new(void);
void sa_profile__free(struct sa_profile *p);
int sa_profile__add_name(struct sa_profile *p, const char *name);
bool sa_profile__has(const struct sa_profile *p, const char *name);
/* Add a recorded set: names for both regions; with args, the --args
 * syscalls with bounded values become one EQ rule per value. */
int sa_profile__add_set(struct sa_profile *p, const struct sa_set *s, const struct sa_names *nm,
			bool args, struct sa_unnamed *unnamed);
int sa_profile__union(struct sa_profile *dst, const struct sa_profile *src);
/* Union an OCI seccomp profile (or a document holding one under
 * "linux.seccomp" or an SPO "spec") into p: its unconditional SCMP_ACT_ALLOW
 * names and its SCMP_ACT_ALLOW rules with args. -EINVAL with *why set when
 * it is not a seccomp profile. */
int sa_profile__add_oci(struct sa_profile *p, const json_t *doc, const char **why);
/* Distinct names allowed (with or without conditions). */
uint32_t sa_profile__count(const struct sa_profile *p);

struct sa_doc_opts {
	bool errno_set;			/* --default-errno given */
	uint32_t default_errno;
	const uint32_t *archs;		/* libseccomp tokens, native first */
	int nr_archs;
};

/* The OCI linux.seccomp object. New reference, NULL on ENOMEM. */
json_t *sa_profile__oci(const struct sa_profile *p, const struct sa_doc_opts *o);

struct sa_spo_meta {
	const char *api;		/* "v1" or "v1beta1" */
	const char *name;		/* metadata.name (made DNS-safe here) */
	const char *recorded_from;	/* annotation text: container, pod, runtime */
	const char *container_id;
	const char *recorded_in;	/* "container", "command", "host" */
	const char *made_for;		/* sa_for_name() */
	const char *implicit;		/* implicit syscalls added, comma-separated */
};

/* The SPO SeccompProfile object. New reference, NULL on ENOMEM. */
json_t *sa_profile__spo(const struct sa_profile *p, const struct sa_doc_opts *o,
			const struct sa_spo_meta *m);
/* DNS-1123 subdomain from free text: lower case, [a-z0-9-.], at most 253. */
void sa_dns_name(char *out, size_t size, const char *in);

/* ------------------------------------------------------------ the run (report.c, setup.c) */

/* What can apply a profile: a process on its own (a libseccomp wrapper, a
 * filter it inherits), or runc, which needs its own calls after the filter
 * (the longer list without noNewPrivileges). Ordered: a union is for the
 * largest of its members'. */
enum sa_for {
	SA_FOR_PROCESS = 0,
	SA_FOR_RUNC_NNP,
	SA_FOR_RUNC,
};

/* "process", "runc-nnp", "runc" (the --for-runtime choices but "none"). */
const char *sa_for_name(enum sa_for f);

/* The report's fields (seccomp_advisor.c), in order. */
enum {
	SA_F_MNTNS, SA_F_NAME, SA_F_SYSCALLS, SA_F_COMPAT, SA_F_ADDED, SA_F_IMPLICIT,
	SA_F_RECORDED, SA_F_FOR, SA_F_FILE, SA_F_DURATION, SA_F_MERGED, SA_F_LASTNEW, SA_F_END,
	SA_NR_FIELDS
};

struct sa_group;
struct sa_prog;

/* A container seen alive, and the id of its mount namespace then. */
struct sa_known {
	const struct ig_container *c;
	uint64_t nsid;
};

struct sa_state {
	const struct ig_host *host;
	struct sa_recorder *rec;
	enum ig_target_mode target;
	bool args, spo, merge_pod;
	bool task_btf;			/* the sys_enter variant the core chose */
	bool no_implicit;		/* --no-implicit */
	enum sa_for for_runtime;	/* --for-runtime (command mode) */
	struct sa_doc_opts doc;
	uint32_t archs[4];
	struct sa_names names;
	const char *spo_api;
	const char *output_dir;
	struct sa_profile *base;	/* --base-profile, or NULL */
	uint32_t max_slots;
	uint64_t *done;			/* mntns keys already reported */
	uint32_t nr_done, cap_done;
	struct sa_group *groups;	/* --merge pod: pods collected so far */
	uint32_t nr_groups;
	struct sa_known *known;		/* containers and their namespace ids */
	uint32_t nr_known;

	/* how complete each recording is (progress.c), --runs (runs.c),
	 * --stage and --widen (stage.c) */
	bool stage, widen;
	uint64_t until_stable_ns;	/* --until-stable, 0: not given */
	int64_t boot_to_wall;		/* boot ns -> wall clock ns */
	struct sa_prog *prog;		/* per target, see progress.c */
	uint32_t nr_prog;
	struct adv_track run_track;	/* the current run of the command */
	bool run_ended;			/* it was ended by --until-stable */
	struct sa_set **run_sets;	/* --runs: the runs before the current one */
	uint32_t nr_runs;
};

/* Read parameters (logs one error line and returns -errno on bad input). */
int sa_state_configure(struct sa_state *st);
/* Load and attach the recorder. */
int sa_state_start(struct sa_state *st);
void sa_state_free(struct sa_state *st);

/* ------------------------------------------------------------ lifecycle */

/* progress.c: the track of a target (key: mntns inode, 0 for the command),
 * made on first use; NULL on ENOMEM. */
struct adv_track *sa_progress__track(struct sa_state *st, uint64_t key);
/* A container was first seen at since (boot ns): its recording began then. */
void sa_progress__seen(struct sa_state *st, uint64_t key, uint64_t since);
/* Poll every target still recorded (a tick); in container mode *stable
 * gets the keys --until-stable is done with (malloc'ed), the count is
 * returned. In command mode a stable run is ended here. */
int sa_progress__poll(struct sa_state *st, uint64_t **stable);
/* The track of key for its report, ended (end) after a last poll. */
int sa_progress__take(struct sa_state *st, uint64_t key, enum adv_end end,
		      struct adv_track *out);
/* The namespace is gone: a new one with its inode starts afresh. */
void sa_progress__forget(struct sa_state *st, uint64_t key);
/* The status line's text (host->set_status). */
void sa_progress__status(struct sa_state *st);
/* A new run of the command starts (--until-stable looks at it alone). */
void sa_progress__new_run(struct sa_state *st);
void sa_progress__free(struct sa_state *st);

/* runs.c: desc->command_run: keep the run that ended, record pid next. */
void sa_runs__next(struct sa_state *st, uint32_t run, int pid);
/* OR the runs before the current one into s. */
void sa_runs__or(const struct sa_state *st, struct sa_set *s);
/* The syscalls only some runs made: [{"syscall", "runs"}], sorted; last is
 * the current run's set. */
json_t *sa_runs__only_some(const struct sa_state *st, const struct sa_set *last);
/* The two above: last becomes the union; returns the list (NULL with a
 * single run). */
json_t *sa_runs__merge(const struct sa_state *st, struct sa_set *last);
void sa_runs__free(struct sa_state *st);

/* stage.c: --widen: add the siblings of p's names; "widened" into extra. */
int sa_stage__widen(struct sa_profile *p, json_t *extra);
/* The document's last touches: --stage's default action, the report
 * (the track, plus extra's members) as "ig.io/report". */
int sa_stage__finish(const struct sa_state *st, json_t *doc, const struct adv_track *tr,
		     json_t *extra);

/* The summary row's duration, merged, lastnew and end columns into v[0..3]
 * (dur and last: buffers of size the values point into). */
void sa_stage__columns(const struct adv_track *tr, char *dur, char *last, size_t size,
		       struct ig_value *v);

/* known.c: where a container's recording is: its namespace id, taken while
 * it was alive (exact), or else its inode number (recycled: a best guess). */
void sa_target_of(const struct sa_state *st, const struct ig_container *c, uint64_t inum,
		  enum sa_pick pick, struct sa_target *t);

/* Gadget callbacks. */
int sa_report_all(void *state);
void sa_tick(void *state);
void sa_container_added(void *state, const struct ig_container *c);
/* c was reported: its slot is no one's now. */
void sa_known_forget(struct sa_state *st, const struct ig_container *c);
void sa_container_removed(void *state, const struct ig_container *c);

#endif /* SECCOMP_ADVISOR_INT_H */
