// SPDX-License-Identifier: Apache-2.0
/*
 * seccomp-advisor's implicit syscalls (implicit.c): the table names real
 * syscalls with a reason each, a profile gets the ones it lacks (and the
 * mask says which), and a union counts as implicit only what neither
 * member recorded.
 */
#include <criterion/criterion.h>
#include <seccomp.h>
#include <string.h>

#include "gadgets/seccomp-advisor/seccomp_advisor_int.h"

static uint32_t bit_of(const char *name)
{
	const struct sa_implicit *t;
	uint32_t n, i;

	t = sa_implicit_table(&n);
	for (i = 0; i < n; i++)
		if (!strcmp(t[i].name, name))
			return 1u << i;
	cr_assert_fail("%s is not in the implicit table", name);
	return 0;
}

Test(implicit, table_names_real_syscalls)
{
	const struct sa_implicit *t;
	uint32_t n, i;

	t = sa_implicit_table(&n);
	cr_assert(n >= 6 && n <= 32, "%u entries", n);
	for (i = 0; i < n; i++) {
		cr_assert_geq(seccomp_syscall_resolve_name(t[i].name), 0,
			      "libseccomp does not know %s", t[i].name);
		cr_assert(t[i].by && *t[i].by && t[i].why && strlen(t[i].why) > 10,
			  "%s: no reason", t[i].name);
	}
	/* the two the issue found, and the ones with evidence */
	bit_of("restart_syscall");
	bit_of("rt_sigreturn");
	bit_of("exit");
	bit_of("exit_group");
	bit_of("clock_gettime");
	bit_of("gettimeofday");
}

Test(implicit, adds_only_what_is_missing)
{
	struct sa_profile *p = sa_profile__new();
	uint32_t added, n;
	char names[256];

	cr_assert_eq(sa_profile__add_name(p, "read"), 0);
	cr_assert_eq(sa_profile__add_name(p, "rt_sigreturn"), 0);	/* recorded */
	cr_assert_eq(sa_implicit_add(p, &added), 0);
	sa_implicit_table(&n);
	cr_assert_eq(added & bit_of("rt_sigreturn"), 0, "a recorded name counted as added");
	cr_assert(added & bit_of("restart_syscall"));
	cr_assert_eq(sa_implicit_count(added), n - 1);
	cr_assert_eq(sa_profile__count(p), n + 1, "read + the whole table");
	cr_assert(sa_profile__has(p, "restart_syscall") && sa_profile__has(p, "exit_group"));
	sa_implicit_names(added, names, sizeof(names));
	cr_assert(strstr(names, "restart_syscall,") == names, "%s", names);
	cr_assert_null(strstr(names, "rt_sigreturn"), "%s", names);
	/* again: nothing more to add */
	cr_assert_eq(sa_implicit_add(p, &added), 0);
	cr_assert_eq(added, 0);
	sa_profile__free(p);
}

Test(implicit, union_counts_what_neither_recorded)
{
	struct sa_profile *a = sa_profile__new(), *b = sa_profile__new();
	uint32_t ma, mb, u;

	sa_profile__add_name(a, "rt_sigreturn");	/* a recorded it, b did not */
	sa_profile__add_name(b, "exit");		/* b recorded exit */
	sa_implicit_add(a, &ma);
	sa_implicit_add(b, &mb);
	u = sa_implicit_union(a, ma, b, mb);
	cr_assert_eq(u & bit_of("rt_sigreturn"), 0);
	cr_assert_eq(u & bit_of("exit"), 0);
	cr_assert(u & bit_of("restart_syscall"));
	cr_assert_eq(sa_implicit_count(u), sa_implicit_count(ma) - 1);
	sa_profile__free(a);
	sa_profile__free(b);
}

Test(implicit, runc_lists_whole_or_intersected)
{
	struct sa_profile *p = sa_profile__new(), *q = sa_profile__new();
	struct sa_set *setup = sa_set__new(sa_native_syscall_count());

	/* command mode: the lists whole; nnp false holds setgroups */
	cr_assert_gt(sa_runc_add(p, NULL, 0), 0);
	cr_assert(sa_profile__has(p, "setgroups") && sa_profile__has(p, "fstatfs") &&
		  sa_profile__has(p, "futex"));
	/* a container: only what its set-up phase made (getdents64), plus the
	 * Go runtime's */
	sa_set__add(setup, false, seccomp_syscall_resolve_name("getdents64"));
	sa_runc_add(q, setup, 1);
	cr_assert(sa_profile__has(q, "getdents64") && sa_profile__has(q, "futex"));
	cr_assert_not(sa_profile__has(q, "fstatfs"));
	cr_assert_not(sa_profile__has(q, "setgroups"));
	sa_set__free(setup);
	sa_profile__free(p);
	sa_profile__free(q);
}
