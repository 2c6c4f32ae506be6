// SPDX-License-Identifier: Apache-2.0
/*
 * Dry-run evaluation of a candidate profile. Rather than re-implementing
 * libseccomp's rule precedence, build the very filter runc would load (same
 * libseccomp, same rule shaping as runc's libcontainer/seccomp) and run the
 * classic BPF program it generates on each syscall in user space. What the
 * dry run predicts is then what the kernel would do, by construction.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "seccomp_audit_int.h"

#define SAU_MAX_SYSCALL	1024

struct sau_filter {
	struct sock_filter *insns;
	size_t len;
	uint32_t arch;			/* native AUDIT_ARCH_* */
	uint8_t may_act[SAU_MAX_SYSCALL];
};

/* runc's getAction(): ERRNO and TRACE default to EPERM. */
static uint32_t scmp_action(enum sp_act act, int errno_ret)
{
	int ret = errno_ret >= 0 ? errno_ret : EPERM;

	switch (act) {
	case SP_ACT_ALLOW:
		return SCMP_ACT_ALLOW;
	case SP_ACT_LOG:
		return SCMP_ACT_LOG;
	case SP_ACT_TRACE:
		return SCMP_ACT_TRACE(ret);
	case SP_ACT_USER_NOTIF:
		return SCMP_ACT_NOTIFY;
	case SP_ACT_ERRNO:
		return SCMP_ACT_ERRNO(ret);
	case SP_ACT_TRAP:
		return SCMP_ACT_TRAP;
	case SP_ACT_KILL_THREAD:
		return SCMP_ACT_KILL_THREAD;
	case SP_ACT_KILL_PROCESS:
		break;
	}
	return SCMP_ACT_KILL_PROCESS;
}

/* runc: conditions on distinct arguments form one rule (AND); when an
 * argument is named twice, every condition becomes a rule of its own (OR). */
static int add_rule(scmp_filter_ctx ctx, const struct sp_rule *r, uint32_t act, int nr)
{
	struct scmp_arg_cmp cmp[6];
	unsigned int count[6] = { 0 };
	bool repeated = false;
	unsigned int i;
	int err;

	if (!r->nr_conds)
		return seccomp_rule_add(ctx, act, nr, 0);
	for (i = 0; i < r->nr_conds; i++) {
		if (++count[r->conds[i].index] > 1)
			repeated = true;
	}
	for (i = 0; i < r->nr_conds && i < 6; i++) {
		cmp[i].arg = r->conds[i].index;
		cmp[i].op = r->conds[i].op;
		cmp[i].datum_a = r->conds[i].value;
		cmp[i].datum_b = r->conds[i].value_two;
	}
	if (!repeated)
		return seccomp_rule_add_array(ctx, act, nr, r->nr_conds, cmp);
	for (i = 0; i < r->nr_conds; i++) {
		struct scmp_arg_cmp one = {
			.arg = r->conds[i].index, .op = r->conds[i].op,
			.datum_a = r->conds[i].value, .datum_b = r->conds[i].value_two,
		};

		err = seccomp_rule_add_array(ctx, act, nr, 1, &one);
		if (err)
			return err;
	}
	return 0;
}

static int add_rules(scmp_filter_ctx ctx, const struct sp_profile *p, uint32_t def,
		     char *err, size_t errlen)
{
	unsigned int i, j;
	int ret;

	for (i = 0; i < p->nr_rules; i++) {
		const struct sp_rule *r = &p->rules[i];
		uint32_t act = scmp_action(r->action, r->errno_ret);

		if (act == def)	/* runc ignores rules that repeat the default */
			continue;
		for (j = 0; j < r->nr_names; j++) {
			int nr = seccomp_syscall_resolve_name(r->names[j]);

			if (nr == __NR_SCMP_ERROR)	/* runc: unknown here, skipped */
				continue;
			ret = add_rule(ctx, r, act, nr);
			if (ret) {
				snprintf(err, errlen,
					 "%s:%u:%u: libseccomp refused the rule for %s: %s",
					 p->path, r->line, r->col, r->names[j], strerror(-ret));
				return ret;
			}
		}
	}
	return 0;
}

static int export_bpf(scmp_filter_ctx ctx, struct sau_filter *f)
{
	int fd, ret;
	off_t size;

	fd = memfd_create("sau-filter", MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = seccomp_export_bpf(ctx, fd);
	if (ret)
		goto out_close;
	size = lseek(fd, 0, SEEK_END);
	f->insns = malloc(size > 0 ? (size_t)size : 1);
	ret = -ENOMEM;
	if (!f->insns)
		goto out_close;
	ret = pread(fd, f->insns, size, 0) == size ? 0 : -EIO;
	f->len = (size_t)size / sizeof(*f->insns);
out_close:
	close(fd);
	return ret;
}

struct sau_filter *sau_filter_build(const struct sp_profile *p, char *err, size_t errlen)
{
	struct sau_filter *f;
	scmp_filter_ctx ctx;
	uint32_t def;
	unsigned int i;
	int ret = -ENOMEM;

	f = calloc(1, sizeof(*f));
	if (!f)
		goto out_oom;
	f->arch = seccomp_arch_native();
	def = scmp_action(p->def_action, p->def_errno);
	ctx = seccomp_init(def);
	if (!ctx)
		goto out_oom;
	for (i = 0; i < p->nr_arches; i++) {
		ret = seccomp_arch_add(ctx, p->arches[i]);
		if (ret && ret != -EEXIST) {
			snprintf(err, errlen, "%s: libseccomp refused an architecture: %s",
				 p->path, strerror(-ret));
			goto out_ctx;
		}
	}
	ret = add_rules(ctx, p, def, err, errlen);
	if (ret)
		goto out_ctx;
	ret = export_bpf(ctx, f);
	if (ret) {
		snprintf(err, errlen, "%s: cannot export the filter: %s", p->path, strerror(-ret));
		goto out_ctx;
	}
	seccomp_release(ctx);
	/* What may act: the default, or any rule's syscall. */
	for (i = 0; i < SAU_MAX_SYSCALL; i++)
		f->may_act[i] = def != SCMP_ACT_ALLOW;
	for (i = 0; i < p->nr_rules; i++) {
		unsigned int j;

		if (scmp_action(p->rules[i].action, p->rules[i].errno_ret) == def)
			continue;
		for (j = 0; j < p->rules[i].nr_names; j++) {
			int nr = seccomp_syscall_resolve_name(p->rules[i].names[j]);

			if (nr >= 0 && nr < SAU_MAX_SYSCALL)
				f->may_act[nr] = 1;
		}
	}
	return f;
out_ctx:
	seccomp_release(ctx);
	sau_filter_free(f);
	errno = -ret;
	return NULL;
out_oom:
	snprintf(err, errlen, "%s: out of memory building the filter", p->path);
	sau_filter_free(f);
	errno = ENOMEM;
	return NULL;
}

bool sau_filter_may_act(const struct sau_filter *f, int nr)
{
	return nr >= 0 && nr < SAU_MAX_SYSCALL ? f->may_act[nr] : true;
}

static uint32_t load_word(const struct seccomp_data *d, uint32_t off)
{
	uint32_t w = 0;

	if (off + 4 <= sizeof(*d) && !(off & 3))
		memcpy(&w, (const char *)d + off, 4);
	return w;
}

/* A classic BPF interpreter for the instructions seccomp accepts. Jumps are
 * forward only, so it always ends; a bad program kills, as in the kernel. */
static uint32_t run_insns(const struct sock_filter *insns, size_t len, const struct seccomp_data *d)
{
	uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = { 0 };
	size_t pc;

	for (pc = 0; pc < len; pc++) {
		const struct sock_filter *i = &insns[pc];
		uint32_t src = BPF_SRC(i->code) == BPF_X ? x : i->k;

		switch (i->code) {
		case BPF_LD | BPF_W | BPF_ABS:	a = load_word(d, i->k); continue;
		case BPF_LD | BPF_W | BPF_LEN:	a = sizeof(*d); continue;
		case BPF_LDX | BPF_W | BPF_LEN:	x = sizeof(*d); continue;
		case BPF_LD | BPF_IMM:		a = i->k; continue;
		case BPF_LDX | BPF_IMM:		x = i->k; continue;
		case BPF_LD | BPF_MEM:		a = mem[i->k % BPF_MEMWORDS]; continue;
		case BPF_LDX | BPF_MEM:		x = mem[i->k % BPF_MEMWORDS]; continue;
		case BPF_ST:			mem[i->k % BPF_MEMWORDS] = a; continue;
		case BPF_STX:			mem[i->k % BPF_MEMWORDS] = x; continue;
		case BPF_MISC | BPF_TAX:	x = a; continue;
		case BPF_MISC | BPF_TXA:	a = x; continue;
		case BPF_RET | BPF_K:		return i->k;
		case BPF_RET | BPF_A:		return a;
		case BPF_JMP | BPF_JA:		pc += i->k; continue;
		}
		if (BPF_CLASS(i->code) == BPF_ALU) {
			switch (BPF_OP(i->code)) {
			case BPF_ADD: a += src; break;
			case BPF_SUB: a -= src; break;
			case BPF_MUL: a *= src; break;
			case BPF_DIV: if (!src) return SECCOMP_RET_KILL_PROCESS; a /= src; break;
			case BPF_AND: a &= src; break;
			case BPF_OR:  a |= src; break;
			case BPF_XOR: a ^= src; break;
			case BPF_LSH: a = src < 32 ? a << src : 0; break;
			case BPF_RSH: a = src < 32 ? a >> src : 0; break;
			case BPF_NEG: a = -a; break;
			default: return SECCOMP_RET_KILL_PROCESS;
			}
			continue;
		}
		if (BPF_CLASS(i->code) == BPF_JMP) {
			bool t;

			switch (BPF_OP(i->code)) {
			case BPF_JEQ: t = a == src; break;
			case BPF_JGT: t = a > src; break;
			case BPF_JGE: t = a >= src; break;
			case BPF_JSET: t = (a & src) != 0; break;
			default: return SECCOMP_RET_KILL_PROCESS;
			}
			pc += t ? i->jt : i->jf;
			continue;
		}
		return SECCOMP_RET_KILL_PROCESS;
	}
	return SECCOMP_RET_KILL_PROCESS;
}

uint32_t sau_filter_run_arch(const struct sau_filter *f, uint32_t arch, int nr,
			    const uint64_t args[6])
{
	struct seccomp_data d = { .nr = nr, .arch = arch ? arch : f->arch };

	memcpy(d.args, args, sizeof(d.args));
	return run_insns(f->insns, f->len, &d);
}

int sau_filter_insns(const struct sau_filter *f, struct sock_filter **insns, size_t *len)
{
	*insns = f->insns;
	*len = f->len;
	return 0;
}

uint32_t sau_filter_run(const struct sau_filter *f, int nr, const uint64_t args[6])
{
	return sau_filter_run_arch(f, 0, nr, args);
}

void sau_filter_free(struct sau_filter *f)
{
	if (!f)
		return;
	free(f->insns);
	free(f);
}
