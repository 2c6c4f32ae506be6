/* SPDX-License-Identifier: Apache-2.0 */
/*
 * seccomp-audit internals shared by its user-space files (not an ABI):
 * actions, the candidate profile, its evaluation, audit records, and the
 * merge of events seen by several sources.
 */
#ifndef SAU_H
#define SAU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SAU_ERR_LEN	512
#define SAU_COUNT(a)	(sizeof(a) / sizeof((a)[0]))

/* Actions, ordered by the kernel's precedence (low to high). */
enum sau_act {
	SAU_ACT_ALLOW = 0,
	SAU_ACT_LOG,
	SAU_ACT_TRACE,
	SAU_ACT_USER_NOTIF,
	SAU_ACT_ERRNO,
	SAU_ACT_TRAP,
	SAU_ACT_KILL_THREAD,
	SAU_ACT_KILL_PROCESS,
};

/* Sources (bits of the "source" field). */
#define SAU_SRC_EXIT	(1u << 0)
#define SAU_SRC_SIGNAL	(1u << 1)
#define SAU_SRC_AUDIT	(1u << 2)
#define SAU_SRC_PROFILE	(1u << 3)

/* The action a seccomp filter return value (SECCOMP_RET_*) stands for. */
enum sau_act sau_act_from_ret(uint32_t ret);
const char *sau_act_name(enum sau_act act);

/* ------------------------------------------------------------ profile */

struct sau_cond {
	uint32_t index;		/* 0..5 */
	uint32_t op;		/* enum scmp_compare */
	uint64_t value;
	uint64_t value_two;
};

struct sau_rule {
	char **names;
	unsigned int nr_names;
	enum sau_act action;
	int errno_ret;		/* -1: not given */
	struct sau_cond *conds;
	unsigned int nr_conds;
	unsigned int line, col;	/* of the rule, for error messages */
};

struct sau_profile {
	char *path;
	enum sau_act def_action;
	int def_errno;		/* defaultErrnoRet, -1: not given */
	uint32_t *arches;	/* SCMP_ARCH_* tokens */
	unsigned int nr_arches;
	struct sau_rule *rules;
	unsigned int nr_rules;
};

/* Parse an OCI linux.seccomp object or an SPO SeccompProfile (YAML or JSON).
 * On error returns NULL and writes "<path>:<line>:<col>: expected ..." to err. */
struct sau_profile *sau_profile_parse(const char *path, const char *buf, size_t len,
				      char *err, size_t errlen);
/* The same from the text of a whole file (host->read_file: NUL-terminated,
 * writable), tabs between JSON tokens blanked first (libyaml refuses them). */
struct sau_profile *sau_profile_load(const char *path, char *buf, size_t len, char *err,
				     size_t errlen);
void sau_profile_free(struct sau_profile *p);

/* ------------------------------------------------------------ evaluation */

struct sau_filter;
struct sock_filter;

/* Compile the profile the way runc does (libseccomp, same rule shaping) and
 * keep the classic BPF program libseccomp generated. NULL + err on error. */
struct sau_filter *sau_filter_build(const struct sau_profile *p, char *err, size_t errlen);
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

/* ------------------------------------------------------------ audit */

struct sau_audit_rec {
	uint64_t wall_ms;	/* audit(SEC.MS:SERIAL) */
	uint32_t pid;
	uint32_t arch;
	int32_t nr;
	uint32_t code;		/* the filter's return value */
	char comm[16];
};

/* Parse the text of an AUDIT_SECCOMP (1326) record. 0 or -EINVAL. */
int sau_audit_parse(const char *txt, size_t len, struct sau_audit_rec *r);

/* ------------------------------------------------------------ merge */

struct sau_rec {
	uint64_t ts;		/* boot ns */
	uint64_t mntns;
	uint32_t pid, tid;
	char comm[16];
	int32_t nr;
	uint32_t arch;		/* AUDIT_ARCH_*, 0 native */
	enum sau_act act;
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
bool sau_uniq_first(struct sau_uniq *u, uint64_t mntns, int32_t nr, enum sau_act act);
void sau_uniq_free(struct sau_uniq *u);

#endif /* SAU_H */
