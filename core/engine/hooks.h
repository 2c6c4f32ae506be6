/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Choosing a gadget's attach points (internal): for each role of its hook
 * table (ig/kernel.h), the first alternative the running kernel has. The
 * same choice serves `ig run` (before the gadget's init(), which asks
 * host->hook_chosen) and `ig doctor`.
 */
#ifndef IG_CORE_HOOKS_H
#define IG_CORE_HOOKS_H

#include <stdbool.h>
#include <stddef.h>

#include <ig/kernel.h>

struct ig_hook_plan {
	size_t nr;		/* entries of the hook table */
	bool *chosen;		/* nr flags: the alternative this kernel gets */
	char *missing;		/* NULL when every role has one, else one line:
				 * "capability checks need one of: ..." */
};

/* A table a gadget may hand over: every entry has a role, a known kind, a
 * target and programs. 0, or -EINVAL with the reason in why. */
int ig_hooks__check(const struct ig_hook *h, size_t n, char *why, size_t whylen);

/* Choose. 0 (the plan says what, or what is missing), or -ENOMEM. Free the
 * plan with ig_hooks__plan_free() either way. */
int ig_hooks__plan(const struct ig_hook *h, size_t n, struct ig_hook_plan *plan);
void ig_hooks__plan_free(struct ig_hook_plan *plan);

/* "tp_btf/sys_enter", "kprobe/cap_capable (probe reads)" */
void ig_hooks__name(const struct ig_hook *h, bool with_note, char *buf, size_t len);

#endif /* IG_CORE_HOOKS_H */
