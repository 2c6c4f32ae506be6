/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Normalising and merging seccomp profiles. A profile is first taken apart
 * into entries, one per (syscall, action, errno, conditions); the entries of
 * every input are sorted and deduplicated, then per syscall:
 *
 *  - a names-only rule absorbs the conditional rules of its syscall;
 *  - actions other than SCMP_ACT_ALLOW are never merged into ALLOW: when a
 *    syscall has a rule of another action in some input, its unconditional
 *    ALLOW is dropped (with a warning naming both files) and the other
 *    rules stay as they were; of several names-only actions the strictest
 *    (the kernel's precedence) stays;
 *  - rules that repeat the default action are dropped (runc ignores them).
 *
 * Out of the remaining entries comes one profile: one names-only ALLOW rule
 * with the names sorted, then one rule per conditional ALLOW entry (two
 * rules with conditions on the same syscall stay apart, conditions exact),
 * then the other actions in precedence order, names-only rules grouped by
 * (action, errnoRet), conditional ones one per entry. Every choice depends
 * on the inputs' contents only, never on their order: merging the same
 * files in any order gives the same profile.
 */
#ifndef IG_LIB_SECCOMP_NORMAL_H
#define IG_LIB_SECCOMP_NORMAL_H

#include "profile.h"

/* One (syscall, action, errno, conditions): what a rule says of one name. */
struct sp_entry {
	const char *name;	/* points into the profile it came from */
	const char *path;	/* that profile's path, for warnings */
	enum sp_act act;
	int err;		/* errnoRet; -1 when not given or irrelevant */
	struct sp_cond *conds;	/* sorted by index, op, values; owned */
	unsigned int nr_conds;
};

struct sp_entries {
	struct sp_entry *v;
	size_t n;
};

/* The entries of every rule of in[0..n), sorted and without duplicates.
 * 0 or -ENOMEM. The entries point into the profiles: keep them alive. */
int sp_entries__collect(struct sp_entries *e, struct sp_profile *const *in, unsigned int n);
void sp_entries__free(struct sp_entries *e);
/* The order entries are kept in: name, conditions, action, errno. */
int sp_entry__cmp(const struct sp_entry *a, const struct sp_entry *b);


/* The normalised union of in[0..n) (n >= 1). Header fields: the strictest
 * defaultAction (and of those inputs the least defaultErrnoRet given), the
 * union of architectures and flags, sorted. NULL with errno set. */
struct sp_profile *sp_profile__merge(struct sp_profile *const *in, unsigned int n,
				     const struct sp_merge_opts *o);

#endif /* IG_LIB_SECCOMP_NORMAL_H */
