// SPDX-License-Identifier: Apache-2.0
/*
 * seccomp-advisor: syscall sets, architectures and syscall names. Names and
 * numbers always come from libseccomp, for the architecture the number was
 * recorded in (a compat number is an i386 number, never an x86_64 one).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <seccomp.h>

#include "seccomp_advisor_int.h"

struct sa_set *sa_set__new(uint32_t nr_syscalls)
{
	struct sa_set *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->nr_syscalls = nr_syscalls;
	s->native = calloc(nr_syscalls / 64, sizeof(uint64_t));
	s->compat = calloc(nr_syscalls / 64, sizeof(uint64_t));
	if (!s->native || !s->compat) {
		sa_set__free(s);
		errno = ENOMEM;
		return NULL;
	}
	return s;
}

void sa_set__free(struct sa_set *s)
{
	if (!s)
		return;
	free(s->native);
	free(s->compat);
	free(s);
}

void sa_set__add(struct sa_set *s, bool compat, uint32_t nr)
{
	uint64_t *w = compat ? s->compat : s->native;

	if (nr < s->nr_syscalls)
		w[nr / 64] |= 1ULL << (nr % 64);
}

bool sa_set__has(const struct sa_set *s, bool compat, uint32_t nr)
{
	const uint64_t *w = compat ? s->compat : s->native;

	return nr < s->nr_syscalls && (w[nr / 64] >> (nr % 64)) & 1;
}

uint32_t sa_set__count(const struct sa_set *s, bool compat)
{
	const uint64_t *w = compat ? s->compat : s->native;
	uint32_t i, n = 0;

	for (i = 0; i < s->nr_syscalls / 64; i++)
		n += __builtin_popcountll(w[i]);
	return n;
}

static struct sa_argvals *argvals_of(struct sa_set *s, uint32_t nr, uint32_t pos)
{
	uint32_t i;

	for (i = 0; i < s->nr_args; i++)
		if (s->args[i].nr == nr)
			return &s->args[i];
	if (s->nr_args == SA_ARG_SYSCALLS)
		return NULL;
	s->args[s->nr_args].nr = nr;
	s->args[s->nr_args].pos = pos;
	return &s->args[s->nr_args++];
}

void sa_set__add_arg(struct sa_set *s, uint32_t nr, uint32_t pos, uint64_t value, bool overflow)
{
	struct sa_argvals *a = argvals_of(s, nr, pos);
	uint32_t i;

	if (!a || a->overflow)
		return;
	if (overflow) {
		a->overflow = true;
		return;
	}
	for (i = 0; i < a->n; i++)
		if (a->vals[i] == value)
			return;
	if (a->n == SA_ARGS_MAX_VALUES) {
		a->overflow = true;
		return;
	}
	a->vals[a->n++] = value;
}

void sa_set__or(struct sa_set *dst, const struct sa_set *src)
{
	uint32_t i, j, words = dst->nr_syscalls < src->nr_syscalls ? dst->nr_syscalls :
				src->nr_syscalls;

	for (i = 0; i < words / 64; i++) {
		dst->native[i] |= src->native[i];
		dst->compat[i] |= src->compat[i];
	}
	if (src->stamp > dst->stamp)
		dst->stamp = src->stamp;
	for (i = 0; i < src->nr_args; i++) {
		const struct sa_argvals *a = &src->args[i];

		if (a->overflow)
			sa_set__add_arg(dst, a->nr, a->pos, 0, true);
		for (j = 0; j < a->n; j++)
			sa_set__add_arg(dst, a->nr, a->pos, a->vals[j], false);
	}
}

/* ------------------------------------------------------------ architectures */

static const struct {
	uint32_t token;
	const char *name;
	uint32_t companions[2];		/* other ABIs the same kernel runs */
} arch_table[] = {
	{ SCMP_ARCH_X86_64, "SCMP_ARCH_X86_64", { SCMP_ARCH_X86, SCMP_ARCH_X32 } },
	{ SCMP_ARCH_X86, "SCMP_ARCH_X86", { 0 } },
	{ SCMP_ARCH_X32, "SCMP_ARCH_X32", { 0 } },
	{ SCMP_ARCH_AARCH64, "SCMP_ARCH_AARCH64", { SCMP_ARCH_ARM } },
	{ SCMP_ARCH_ARM, "SCMP_ARCH_ARM", { 0 } },
	{ SCMP_ARCH_PPC64LE, "SCMP_ARCH_PPC64LE", { 0 } },
	{ SCMP_ARCH_PPC64, "SCMP_ARCH_PPC64", { SCMP_ARCH_PPC } },
	{ SCMP_ARCH_PPC, "SCMP_ARCH_PPC", { 0 } },
	{ SCMP_ARCH_S390X, "SCMP_ARCH_S390X", { SCMP_ARCH_S390 } },
	{ SCMP_ARCH_S390, "SCMP_ARCH_S390", { 0 } },
	{ SCMP_ARCH_RISCV64, "SCMP_ARCH_RISCV64", { 0 } },
	{ SCMP_ARCH_MIPS64, "SCMP_ARCH_MIPS64", { SCMP_ARCH_MIPS, SCMP_ARCH_MIPS64N32 } },
	{ SCMP_ARCH_MIPSEL64, "SCMP_ARCH_MIPSEL64", { SCMP_ARCH_MIPSEL, SCMP_ARCH_MIPSEL64N32 } },
};

#define ARCH_TABLE_LEN (sizeof(arch_table) / sizeof(arch_table[0]))

uint32_t sa_arch_native(void)
{
	return seccomp_arch_native();
}

const char *sa_arch_name(uint32_t token)
{
	unsigned int i;

	for (i = 0; i < ARCH_TABLE_LEN; i++)
		if (arch_table[i].token == token)
			return arch_table[i].name;
	return NULL;
}

/* The companion whose syscalls the kernel reports as compat (TS_COMPAT):
 * the first one listed (x86_64: i386; x32 calls carry their own bit). */
uint32_t sa_arch_compat(uint32_t native)
{
	unsigned int i;

	for (i = 0; i < ARCH_TABLE_LEN; i++)
		if (arch_table[i].token == native)
			return arch_table[i].companions[0];
	return 0;
}

int sa_arch_list(uint32_t native, uint32_t *out, int max)
{
	unsigned int i, j;
	int n = 0;

	if (max < 1)
		return 0;
	out[n++] = native;
	for (i = 0; i < ARCH_TABLE_LEN; i++) {
		if (arch_table[i].token != native)
			continue;
		for (j = 0; j < 2 && n < max; j++)
			if (arch_table[i].companions[j])
				out[n++] = arch_table[i].companions[j];
	}
	return n;
}

uint32_t sa_native_syscall_count(void)
{
	uint32_t nr, last = 0;
	char *name;

	/* libseccomp's table is sparse at the top (x86_64 jumps from 334 to
	 * 424): scan well past it. */
	for (nr = 0; nr < SA_MAX_SYSCALLS; nr++) {
		name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
		if (name)
			last = nr;
		free(name);
	}
	/* Room for syscalls newer than this libseccomp (they are recorded and
	 * reported by number). */
	nr = (last + 1 + 63 + 64) & ~63u;
	return nr > SA_MAX_SYSCALLS ? SA_MAX_SYSCALLS : nr;
}
