// SPDX-License-Identifier: Apache-2.0
/*
 * seccomp-advisor: the syscalls the kernel, the vDSO and the C library make
 * on a program's behalf, without its code asking for them. A recording sees
 * them only when the event behind them happened while it ran (a pause, a
 * signal, a thread's end, a clocksource without vDSO support), so every
 * profile gets them unless --no-implicit. Denying any of them has no
 * security value and breaks the program the first time the event happens.
 *
 * Each entry was checked on this project's machines (glibc 2.36, kernel
 * 6.18; the vDSO ones on Debian's 6.12 under qemu with clocksource=acpi_pm):
 * a profile recorded without the event, applied with libseccomp or runc,
 * then the event. docs/gadgets/seccomp-advisor.md has the table with the
 * evidence, and the calls that were considered and left out.
 */
#include <seccomp.h>
#include <stdio.h>
#include <string.h>

#include "seccomp_advisor_int.h"

static const struct sa_implicit implicit[] = {
	{ "restart_syscall", "kernel",
	  "resumes a poll(), nanosleep(), clock_nanosleep() or futex wait with a timeout "
	  "that a stop (SIGSTOP/SIGCONT, a cgroup freezer: runc/docker pause) or a signal "
	  "interrupted; denied, the interrupted call fails with EPERM" },
	{ "rt_sigreturn", "C library",
	  "returns from every signal handler (the handler's sa_restorer); denied, the "
	  "process dies of SIGSEGV the first time a handler returns" },
	{ "exit", "C library",
	  "ends a thread that returns from its start routine or calls pthread_exit(); "
	  "denied, the thread spins retrying it and pthread_join() never returns" },
	{ "exit_group", "C library",
	  "ends the process (exit(), a return from main); a recording that ended with a "
	  "signal (a container stopped) never saw it; denied, the process dies of SIGSEGV" },
	{ "clock_gettime", "vDSO",
	  "the vDSO reads the clock without a syscall only when the clocksource allows it "
	  "(tsc, kvm-clock); on hpet, acpi_pm or a TSC found unstable it makes the "
	  "syscall; denied, the call fails with EPERM" },
	{ "gettimeofday", "vDSO", "as clock_gettime" },
};

const struct sa_implicit *sa_implicit_table(uint32_t *n)
{
	*n = IG_ARRAY_SIZE(implicit);
	return implicit;
}

/* Bit i set: the profile allows implicit[i] (by name, with or without
 * argument rules: the implicit calls have none). */
static uint32_t present(const struct sa_profile *p)
{
	uint32_t i, mask = 0;

	for (i = 0; i < IG_ARRAY_SIZE(implicit); i++)
		if (sa_profile__has(p, implicit[i].name))
			mask |= 1u << i;
	return mask;
}

int sa_implicit_add(struct sa_profile *p, uint32_t *added)
{
	uint32_t i, had = present(p);
	int err;

	*added = 0;
	for (i = 0; i < IG_ARRAY_SIZE(implicit); i++) {
		if (had & (1u << i) || seccomp_syscall_resolve_name(implicit[i].name) < 0)
			continue;
		err = sa_profile__add_name(p, implicit[i].name);
		if (err)
			return err;
		*added |= 1u << i;
	}
	return 0;
}

uint32_t sa_implicit_union(const struct sa_profile *a, uint32_t added_a,
			   const struct sa_profile *b, uint32_t added_b)
{
	uint32_t recorded = (present(a) & ~added_a) | (present(b) & ~added_b);

	return (added_a | added_b) & ~recorded;
}

uint32_t sa_implicit_count(uint32_t added)
{
	return (uint32_t)__builtin_popcount(added);
}

size_t sa_implicit_names(uint32_t added, char *buf, size_t size)
{
	size_t n = 0;
	uint32_t i;

	if (size)
		buf[0] = '\0';
	for (i = 0; i < IG_ARRAY_SIZE(implicit) && n < size; i++)
		if (added & (1u << i))
			n += snprintf(buf + n, size - n, "%s%s", n ? "," : "", implicit[i].name);
	return n;
}
