// SPDX-License-Identifier: Apache-2.0
/* Comparing two normalised profiles entry by entry. */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>

#include "diff.h"

static const char *op_text(uint32_t op)
{
	switch (op) {
	case SCMP_CMP_NE: return "!=";
	case SCMP_CMP_LT: return "<";
	case SCMP_CMP_LE: return "<=";
	case SCMP_CMP_EQ: return "==";
	case SCMP_CMP_GE: return ">=";
	case SCMP_CMP_GT: return ">";
	default: return "?";
	}
}

void sp_entry__text(const struct sp_entry *e, char *buf, size_t size)
{
	size_t n;
	unsigned int i;

	n = (size_t)snprintf(buf, size, "%s %s (%s", e->nr_conds ? "rule" : "syscall", e->name,
			     sp_act_scmp_name(e->act));
	if (e->err >= 0 && n < size)
		n += (size_t)snprintf(buf + n, size - n, " errnoRet %d", e->err);
	if (n < size)
		n += (size_t)snprintf(buf + n, size - n, ")");
	for (i = 0; i < e->nr_conds && n < size; i++) {
		const struct sp_cond *c = &e->conds[i];

		if (c->op == SCMP_CMP_MASKED_EQ)
			n += (size_t)snprintf(buf + n, size - n, "%s arg%u & %#llx == %llu",
					      i ? " &&" : " if", c->index,
					      (unsigned long long)c->value,
					      (unsigned long long)c->value_two);
		else
			n += (size_t)snprintf(buf + n, size - n, "%s arg%u %s %llu",
					      i ? " &&" : " if", c->index, op_text(c->op),
					      (unsigned long long)c->value);
	}
}

static int diff_head(const struct sp_profile *a, const struct sp_profile *b, FILE *out)
{
	unsigned int i, j;
	int n = 0;

	if (a->def_action != b->def_action)
		n += fprintf(out, "~ defaultAction %s -> %s\n", sp_act_scmp_name(a->def_action),
			     sp_act_scmp_name(b->def_action)) > 0;
	if (a->def_errno != b->def_errno)
		n += fprintf(out, "~ defaultErrnoRet %d -> %d\n", a->def_errno, b->def_errno) > 0;
	for (i = 0; i < a->nr_arches; i++) {
		for (j = 0; j < b->nr_arches && b->arches[j] != a->arches[i]; j++)
			;
		if (j == b->nr_arches)
			n += fprintf(out, "- architecture %s\n", sp_arch_name(a->arches[i])) > 0;
	}
	for (j = 0; j < b->nr_arches; j++) {
		for (i = 0; i < a->nr_arches && a->arches[i] != b->arches[j]; i++)
			;
		if (i == a->nr_arches)
			n += fprintf(out, "+ architecture %s\n", sp_arch_name(b->arches[j])) > 0;
	}
	for (i = 0; i < a->nr_flags; i++) {
		for (j = 0; j < b->nr_flags && strcmp(b->flags[j], a->flags[i]); j++)
			;
		if (j == b->nr_flags)
			n += fprintf(out, "- flag %s\n", a->flags[i]) > 0;
	}
	for (j = 0; j < b->nr_flags; j++) {
		for (i = 0; i < a->nr_flags && strcmp(a->flags[i], b->flags[j]); i++)
			;
		if (i == a->nr_flags)
			n += fprintf(out, "+ flag %s\n", b->flags[j]) > 0;
	}
	return n;
}

static int diff_entries(const struct sp_entries *ea, const struct sp_entries *eb, FILE *out)
{
	size_t i = 0, j = 0;
	char text[1024];
	int n = 0, c;

	while (i < ea->n || j < eb->n) {
		c = i == ea->n ? 1 : j == eb->n ? -1 : sp_entry__cmp(&ea->v[i], &eb->v[j]);
		if (!c) {
			i++;
			j++;
			continue;
		}
		sp_entry__text(c < 0 ? &ea->v[i] : &eb->v[j], text, sizeof(text));
		fprintf(out, "%c %s\n", c < 0 ? '-' : '+', text);
		n++;
		if (c < 0)
			i++;
		else
			j++;
	}
	return n;
}

int sp_profile__diff(struct sp_profile *a, struct sp_profile *b, const struct sp_merge_opts *o,
		     FILE *out)
{
	struct sp_profile *na, *nb = NULL;
	struct sp_entries ea = { 0 }, eb = { 0 };
	int err = -ENOMEM, n;

	na = sp_profile__merge(&a, 1, o);
	if (na)
		nb = sp_profile__merge(&b, 1, o);
	if (!na || !nb)
		goto out;
	err = sp_entries__collect(&ea, &na, 1);
	err = err ?: sp_entries__collect(&eb, &nb, 1);
	if (err)
		goto out;
	n = diff_head(na, nb, out);
	n += diff_entries(&ea, &eb, out);
	err = n;
out:
	sp_entries__free(&ea);
	sp_entries__free(&eb);
	sp_profile__free(na);
	sp_profile__free(nb);
	return err;
}
