// SPDX-License-Identifier: Apache-2.0
/* A seccomp profile in memory: the names of actions, architectures and
 * operators, building a profile rule by rule, freeing it. */
#include <errno.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>

#include "profile.h"

#define COUNT(a)	(sizeof(a) / sizeof((a)[0]))

static const char *const scmp_names[SP_NR_ACTS] = {
	"SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_TRACE", "SCMP_ACT_NOTIFY",
	"SCMP_ACT_ERRNO", "SCMP_ACT_TRAP", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_KILL_PROCESS",
};

static const char *const short_names[SP_NR_ACTS] = {
	"allow", "log", "trace", "user_notif", "errno", "trap", "kill_thread", "kill_process",
};

const char *sp_act_scmp_name(enum sp_act act)
{
	return (unsigned int)act < SP_NR_ACTS ? scmp_names[act] : "?";
}

const char *sp_act_name(enum sp_act act)
{
	return (unsigned int)act < SP_NR_ACTS ? short_names[act] : "?";
}

int sp_act_parse(const char *s, enum sp_act *out)
{
	unsigned int i;

	if (!s)
		return -EINVAL;
	if (!strcmp(s, "SCMP_ACT_KILL")) {	/* runc: the thread */
		*out = SP_ACT_KILL_THREAD;
		return 0;
	}
	for (i = 0; i < SP_NR_ACTS; i++) {
		if (!strcmp(s, scmp_names[i])) {
			*out = (enum sp_act)i;
			return 0;
		}
	}
	return -EINVAL;
}

enum sp_act sp_act_from_ret(uint32_t ret)
{
	switch (ret & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_KILL_PROCESS:
		return SP_ACT_KILL_PROCESS;
	case SECCOMP_RET_KILL_THREAD:
		return SP_ACT_KILL_THREAD;
	case SECCOMP_RET_TRAP:
		return SP_ACT_TRAP;
	case SECCOMP_RET_ERRNO:
		return SP_ACT_ERRNO;
	case SECCOMP_RET_USER_NOTIF:
		return SP_ACT_USER_NOTIF;
	case SECCOMP_RET_TRACE:
		return SP_ACT_TRACE;
	case SECCOMP_RET_LOG:
		return SP_ACT_LOG;
	case SECCOMP_RET_ALLOW:
		return SP_ACT_ALLOW;
	}
	/* the kernel treats unknown actions as KILL_PROCESS */
	return SP_ACT_KILL_PROCESS;
}

/* The architectures the OCI runtime spec names; libseccomp knows the token
 * of each under its lower-case name. */
static const char *const arch_names[] = {
	"SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32", "SCMP_ARCH_ARM",
	"SCMP_ARCH_AARCH64", "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K", "SCMP_ARCH_MIPS",
	"SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64",
	"SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64", "SCMP_ARCH_PPC64LE",
	"SCMP_ARCH_S390", "SCMP_ARCH_S390X", "SCMP_ARCH_SH", "SCMP_ARCH_SHEB",
	"SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64",
};

uint32_t sp_arch_parse(const char *s)
{
	char lower[32];
	size_t i;

	if (!s || strncmp(s, "SCMP_ARCH_", 10) || strlen(s + 10) >= sizeof(lower))
		return 0;
	for (i = 0; s[10 + i]; i++)
		lower[i] = (char)(s[10 + i] >= 'A' && s[10 + i] <= 'Z' ?
				  s[10 + i] - 'A' + 'a' : s[10 + i]);
	lower[i] = '\0';
	return seccomp_arch_resolve_name(lower);
}

const char *sp_arch_name(uint32_t token)
{
	size_t i;

	for (i = 0; token && i < COUNT(arch_names); i++)
		if (sp_arch_parse(arch_names[i]) == token)
			return arch_names[i];
	return NULL;
}

static const struct {
	const char *name;
	uint32_t op;
} op_names[] = {
	{ "SCMP_CMP_NE", SCMP_CMP_NE },
	{ "SCMP_CMP_LT", SCMP_CMP_LT },
	{ "SCMP_CMP_LE", SCMP_CMP_LE },
	{ "SCMP_CMP_EQ", SCMP_CMP_EQ },
	{ "SCMP_CMP_GE", SCMP_CMP_GE },
	{ "SCMP_CMP_GT", SCMP_CMP_GT },
	{ "SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ },
};

const char *sp_op_name(uint32_t op)
{
	size_t i;

	for (i = 0; i < COUNT(op_names); i++)
		if (op_names[i].op == op)
			return op_names[i].name;
	return NULL;
}

int sp_op_parse(const char *s, uint32_t *op)
{
	size_t i;

	for (i = 0; s && i < COUNT(op_names); i++) {
		if (!strcmp(s, op_names[i].name)) {
			*op = op_names[i].op;
			return 0;
		}
	}
	return -EINVAL;
}

struct sp_profile *sp_profile__new(void)
{
	struct sp_profile *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->def_action = SP_ACT_ERRNO;
	p->def_errno = -1;
	return p;
}

static void free_strv(char **v, unsigned int n)
{
	unsigned int i;

	for (i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

void sp_profile__free(struct sp_profile *p)
{
	unsigned int i;

	if (!p)
		return;
	for (i = 0; i < p->nr_rules; i++) {
		free_strv(p->rules[i].names, p->rules[i].nr_names);
		free(p->rules[i].conds);
	}
	free(p->rules);
	free(p->arches);
	free_strv(p->flags, p->nr_flags);
	free(p->listener_path);
	free(p->listener_meta);
	free(p->api);
	free(p->name);
	free(p->path);
	free(p);
}

int sp_profile__add_rule(struct sp_profile *p, const char *const *names, unsigned int nr_names,
			 enum sp_act act, int errno_ret, const struct sp_cond *conds,
			 unsigned int nr_conds)
{
	struct sp_rule *more, *r;
	unsigned int i;

	more = realloc(p->rules, (p->nr_rules + 1) * sizeof(*more));
	if (!more)
		return -ENOMEM;
	p->rules = more;
	r = &p->rules[p->nr_rules];
	memset(r, 0, sizeof(*r));
	r->action = act;
	r->errno_ret = errno_ret;
	r->names = calloc(nr_names ? nr_names : 1, sizeof(*r->names));
	r->conds = nr_conds ? calloc(nr_conds, sizeof(*r->conds)) : NULL;
	if (!r->names || (nr_conds && !r->conds))
		goto err_free;
	for (i = 0; i < nr_names; i++) {
		r->names[i] = strdup(names[i]);
		if (!r->names[i])
			goto err_free;
		r->nr_names++;
	}
	if (nr_conds)
		memcpy(r->conds, conds, nr_conds * sizeof(*conds));
	r->nr_conds = nr_conds;
	p->nr_rules++;
	return 0;

err_free:
	free_strv(r->names, r->nr_names);
	free(r->conds);
	return -ENOMEM;
}

int sp_profile__plain_action(const struct sp_profile *p, const char *name)
{
	unsigned int i, j;

	for (i = 0; i < p->nr_rules; i++) {
		if (p->rules[i].nr_conds)
			continue;
		for (j = 0; j < p->rules[i].nr_names; j++)
			if (!strcmp(p->rules[i].names[j], name))
				return (int)p->rules[i].action;
	}
	return -1;
}
