/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A seccomp profile as ig reads, merges, compares and writes it: the body
 * of an OCI linux.seccomp object or of a Security Profiles Operator
 * SeccompProfile's spec, plus what the SPO envelope names. Shared by
 * seccomp-audit (dry runs, --update), seccomp-advisor and `ig profile`
 * (core/cli); lib/ code includes only <ig/...> and lib/.
 *
 * The parser is parse.c, normalising and merging normal.c, writing render.c,
 * comparing diff.c, the sibling table widen.c.
 */
#ifndef IG_LIB_SECCOMP_PROFILE_H
#define IG_LIB_SECCOMP_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SP_ERR_LEN	512

/* Actions, in the kernel's precedence order (low to high): when a thread
 * has several filters, the highest action any returns wins. */
enum sp_act {
	SP_ACT_ALLOW = 0,
	SP_ACT_LOG,
	SP_ACT_TRACE,
	SP_ACT_USER_NOTIF,
	SP_ACT_ERRNO,
	SP_ACT_TRAP,
	SP_ACT_KILL_THREAD,
	SP_ACT_KILL_PROCESS,
};
#define SP_NR_ACTS	(SP_ACT_KILL_PROCESS + 1)

enum sp_format {
	SP_FMT_OCI = 0,		/* linux.seccomp (or a config.json holding one) */
	SP_FMT_SPO,		/* SeccompProfile, spec holds the body */
};

/* One argument condition: arg[index] op value (value_two for MASKED_EQ). */
struct sp_cond {
	uint32_t index;		/* 0..5 */
	uint32_t op;		/* enum scmp_compare */
	uint64_t value;
	uint64_t value_two;
};

struct sp_rule {
	char **names;
	unsigned int nr_names;
	enum sp_act action;
	int errno_ret;		/* -1: not given */
	struct sp_cond *conds;
	unsigned int nr_conds;
	unsigned int line, col;	/* of the rule in its file, 0 when made */
};

struct sp_profile {
	char *path;		/* where it was read from, for messages */
	enum sp_format format;
	char *api;		/* SPO: "v1", "v1beta1"; NULL for OCI */
	char *name;		/* SPO metadata.name, or NULL */
	enum sp_act def_action;
	int def_errno;		/* defaultErrnoRet, -1: not given */
	uint32_t *arches;	/* SCMP_ARCH_* tokens */
	unsigned int nr_arches;
	char **flags;		/* SECCOMP_FILTER_FLAG_* names */
	unsigned int nr_flags;
	char *listener_path;	/* SCMP_ACT_NOTIFY's agent, or NULL */
	char *listener_meta;
	struct sp_rule *rules;
	unsigned int nr_rules;
};

/* How profiles are merged (normal.h, merge_head.c). */
struct sp_merge_opts {
	int format;		/* enum sp_format, or -1: SPO when every input is */
	const char *api;	/* SPO apiVersion; NULL: the inputs' when they agree, else v1 */
	const char *name;	/* SPO metadata.name; NULL: the inputs' (the least if several) */
	/* Called once per choice the merge made that the inputs disagreed on. */
	void (*warn)(void *arg, const char *msg);
	void *arg;
};

/* "SCMP_ACT_ALLOW" ... for an action. */
const char *sp_act_scmp_name(enum sp_act act);
/* "allow", "log", "errno" ...: how records and reports name it. */
const char *sp_act_name(enum sp_act act);
/* The action a seccomp filter return value (SECCOMP_RET_*) stands for. */
enum sp_act sp_act_from_ret(uint32_t ret);
/* Parse "SCMP_ACT_..." (SCMP_ACT_KILL is KILL_THREAD, as runc has it);
 * 0 or -EINVAL. */
int sp_act_parse(const char *s, enum sp_act *out);
/* "SCMP_ARCH_X86_64" for a libseccomp token, NULL if unknown; and back
 * (0 if unknown). */
const char *sp_arch_name(uint32_t token);
uint32_t sp_arch_parse(const char *s);
/* "SCMP_CMP_EQ" for an operator, NULL if unknown; and back (0 or -EINVAL). */
const char *sp_op_name(uint32_t op);
int sp_op_parse(const char *s, uint32_t *op);

/* An empty OCI profile (defaultAction SCMP_ACT_ERRNO); NULL on ENOMEM. */
struct sp_profile *sp_profile__new(void);
void sp_profile__free(struct sp_profile *p);
/* Append a rule (names and conds copied); 0 or -ENOMEM. */
int sp_profile__add_rule(struct sp_profile *p, const char *const *names, unsigned int nr_names,
			 enum sp_act act, int errno_ret, const struct sp_cond *conds,
			 unsigned int nr_conds);
/* The action p gives name without looking at arguments: that of the first
 * names-only rule listing it, or -1 when none does. */
int sp_profile__plain_action(const struct sp_profile *p, const char *name);

#endif /* IG_LIB_SECCOMP_PROFILE_H */
