/* SPDX-License-Identifier: Apache-2.0 */
/*
 * seccomp-advisor internals shared by the gadget's user-side files (and its
 * unit/kernel tests). Not part of any ABI.
 */
#ifndef SA_INTERNAL_H
#define SA_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

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

struct sa_recorder;

struct sa_recorder_opts {
	bool command_mode;	/* record the pid-filter tree, from cmd_pid's execve */
	int cmd_pid;
	int pid_filter_fd;	/* core's ig_pid_filter map fd to reuse, or -1 */
	bool args;		/* --args */
	uint32_t max_slots;	/* 0: SA_DEFAULT_SLOTS */
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
/* The id of the newest namespace recorded with inode inum (0 if none). */
uint64_t sa_recorder__newest(struct sa_recorder *r, uint64_t inum);
/* The id of the mount namespace of pid (NS_GET_MNTNS_ID), or 0. */
uint64_t sa_mntns_id_of_pid(int pid);
/* Mount namespace inodes seen so far; *keys malloc'ed. Count or -errno. */
int sa_recorder__keys(struct sa_recorder *r, uint64_t **keys);
/* Counters and dropped keys (mntns that got no slot). */
uint64_t sa_recorder__counter(struct sa_recorder *r, enum sa_counter which);
int sa_recorder__dropped(struct sa_recorder *r, uint64_t **keys);

/* ------------------------------------------------------------ runc */

/* Syscalls runc 1.1 makes after installing the filter, before its exec
 * (see runc.c). NULL-terminated names. */
const char *const *sa_runc_after_filter(bool no_new_privileges);
const char *const *sa_runc_go_runtime(void);
/* Read noNewPrivileges from <bundle>/config.json: 1, 0, or -errno. */
int sa_bundle_nnp(const char *bundle);

#endif /* SA_INTERNAL_H */
