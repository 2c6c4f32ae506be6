// SPDX-License-Identifier: Apache-2.0
/*
 * Candidate profile parser: an OCI linux.seccomp object (JSON) or a Security
 * Profiles Operator SeccompProfile (YAML or JSON). libyaml reads both (JSON
 * is YAML flow style) and keeps a start mark per node, so every complaint
 * names the line and column of the node that is wrong.
 */
#include <errno.h>
#include <limits.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "seccomp_audit_int.h"

struct pctx {
	yaml_document_t *doc;
	const char *path;
	char *err;
	size_t errlen;
};

static const struct {
	const char *name;
	enum sau_act act;
} act_names[] = {
	{ "SCMP_ACT_ALLOW", SAU_ACT_ALLOW },
	{ "SCMP_ACT_LOG", SAU_ACT_LOG },
	{ "SCMP_ACT_TRACE", SAU_ACT_TRACE },
	{ "SCMP_ACT_NOTIFY", SAU_ACT_USER_NOTIF },
	{ "SCMP_ACT_ERRNO", SAU_ACT_ERRNO },
	{ "SCMP_ACT_TRAP", SAU_ACT_TRAP },
	{ "SCMP_ACT_KILL", SAU_ACT_KILL_THREAD },
	{ "SCMP_ACT_KILL_THREAD", SAU_ACT_KILL_THREAD },
	{ "SCMP_ACT_KILL_PROCESS", SAU_ACT_KILL_PROCESS },
};

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

static int fail(struct pctx *c, const yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct pctx *c, const yaml_node_t *n, const char *fmt, ...)
{
	char msg[SAU_ERR_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(c->err, c->errlen, "%s:%zu:%zu: %s", c->path,
		 n ? n->start_mark.line + 1 : 1, n ? n->start_mark.column + 1 : 1, msg);
	return -EINVAL;
}

static const char *kind_name(const yaml_node_t *n)
{
	if (n->type == YAML_MAPPING_NODE)
		return "a mapping";
	if (n->type == YAML_SEQUENCE_NODE)
		return "a list";
	return "a scalar";
}

static const char *scalar(const yaml_node_t *n)
{
	return n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static yaml_node_t *node(struct pctx *c, int id)
{
	return yaml_document_get_node(c->doc, id);
}

/* Value node of key in a mapping, or NULL. */
static yaml_node_t *map_get(struct pctx *c, yaml_node_t *map, const char *key)
{
	yaml_node_pair_t *p;

	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		const char *k = scalar(node(c, p->key));

		if (k && !strcmp(k, key))
			return node(c, p->value);
	}
	return NULL;
}

static int want_kind(struct pctx *c, yaml_node_t *n, yaml_node_type_t type, const char *what)
{
	static const char *const names[] = { "", "a scalar", "a list", "a mapping" };

	if (n->type == type)
		return 0;
	return fail(c, n, "expected %s for %s, found %s", names[type], what, kind_name(n));
}

static int get_u64(struct pctx *c, yaml_node_t *n, const char *what, uint64_t max, uint64_t *out)
{
	const char *s = scalar(n);
	unsigned long long v;
	char *end;

	if (!s || !*s || *s == '-' || *s == '+')
		goto bad;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v > max)
		goto bad;
	*out = v;
	return 0;
bad:
	return fail(c, n, "expected an integer 0..%llu for %s, found %s%s%s",
		    (unsigned long long)max, what, s ? "\"" : "", s ? s : kind_name(n),
		    s ? "\"" : "");
}

static int get_action(struct pctx *c, yaml_node_t *n, const char *what, enum sau_act *out)
{
	const char *s = scalar(n);
	size_t i;

	for (i = 0; s && i < SAU_COUNT(act_names); i++) {
		if (!strcmp(s, act_names[i].name)) {
			*out = act_names[i].act;
			return 0;
		}
	}
	return fail(c, n, "expected an action (SCMP_ACT_ALLOW, SCMP_ACT_ERRNO, SCMP_ACT_LOG, "
		    "SCMP_ACT_TRAP, SCMP_ACT_KILL, SCMP_ACT_KILL_THREAD, SCMP_ACT_KILL_PROCESS, "
		    "SCMP_ACT_TRACE, SCMP_ACT_NOTIFY) for %s, found %s%s%s", what,
		    s ? "\"" : "", s ? s : kind_name(n), s ? "\"" : "");
}

static int get_errno(struct pctx *c, yaml_node_t *map, const char *key, int *out)
{
	yaml_node_t *n = map_get(c, map, key);
	uint64_t v;
	int err;

	*out = -1;
	if (!n)
		return 0;
	err = get_u64(c, n, key, 4095, &v);
	if (!err)
		*out = (int)v;
	return err;
}

static int parse_arches(struct pctx *c, yaml_node_t *seq, struct sau_profile *p)
{
	yaml_node_item_t *it;
	int err;

	err = want_kind(c, seq, YAML_SEQUENCE_NODE, "architectures");
	if (err)
		return err;
	p->arches = calloc(seq->data.sequence.items.top - seq->data.sequence.items.start + 1,
			   sizeof(*p->arches));
	if (!p->arches)
		return -ENOMEM;
	for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
		yaml_node_t *n = node(c, *it);
		const char *s = scalar(n);
		char lower[32];
		uint32_t tok = 0;
		size_t i;

		if (s && !strncmp(s, "SCMP_ARCH_", 10) && strlen(s + 10) < sizeof(lower)) {
			for (i = 0; s[10 + i]; i++)
				lower[i] = (char)(s[10 + i] >= 'A' && s[10 + i] <= 'Z' ?
						  s[10 + i] - 'A' + 'a' : s[10 + i]);
			lower[i] = '\0';
			tok = seccomp_arch_resolve_name(lower);
		}
		if (!tok)
			return fail(c, n, "expected an architecture (SCMP_ARCH_X86_64, "
				    "SCMP_ARCH_X86, SCMP_ARCH_AARCH64 ...), found %s%s%s",
				    s ? "\"" : "", s ? s : kind_name(n), s ? "\"" : "");
		p->arches[p->nr_arches++] = tok;
	}
	return 0;
}

static int parse_op(struct pctx *c, yaml_node_t *n, uint32_t *op)
{
	const char *s = scalar(n);
	size_t i;

	for (i = 0; s && i < SAU_COUNT(op_names); i++) {
		if (!strcmp(s, op_names[i].name)) {
			*op = op_names[i].op;
			return 0;
		}
	}
	return fail(c, n, "expected an operator (SCMP_CMP_NE, SCMP_CMP_LT, SCMP_CMP_LE, "
		    "SCMP_CMP_EQ, SCMP_CMP_GE, SCMP_CMP_GT, SCMP_CMP_MASKED_EQ) for op, "
		    "found %s%s%s",
		    s ? "\"" : "", s ? s : kind_name(n), s ? "\"" : "");
}

static int parse_cond(struct pctx *c, yaml_node_t *n, struct sau_cond *cond)
{
	yaml_node_t *v;
	uint64_t idx;
	int err;

	err = want_kind(c, n, YAML_MAPPING_NODE, "an argument condition");
	if (err)
		return err;
	v = map_get(c, n, "index");
	if (!v)
		return fail(c, n, "expected key \"index\" in the argument condition");
	err = get_u64(c, v, "index", 5, &idx);
	if (err)
		return err;
	cond->index = (uint32_t)idx;
	v = map_get(c, n, "value");
	if (!v)
		return fail(c, n, "expected key \"value\" in the argument condition");
	err = get_u64(c, v, "value", UINT64_MAX, &cond->value);
	if (err)
		return err;
	v = map_get(c, n, "valueTwo");
	if (v) {
		err = get_u64(c, v, "valueTwo", UINT64_MAX, &cond->value_two);
		if (err)
			return err;
	}
	v = map_get(c, n, "op");
	if (!v)
		return fail(c, n, "expected key \"op\" in the argument condition");
	return parse_op(c, v, &cond->op);
}

static int parse_names(struct pctx *c, yaml_node_t *seq, struct sau_rule *r)
{
	yaml_node_item_t *it;
	int err;

	err = want_kind(c, seq, YAML_SEQUENCE_NODE, "names");
	if (err)
		return err;
	if (seq->data.sequence.items.top == seq->data.sequence.items.start)
		return fail(c, seq, "expected at least one syscall name in names");
	r->names = calloc(seq->data.sequence.items.top - seq->data.sequence.items.start,
			  sizeof(*r->names));
	if (!r->names)
		return -ENOMEM;
	for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
		yaml_node_t *n = node(c, *it);
		const char *s = scalar(n);

		if (!s || !*s ||
		    (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && !strcmp(s, "null")))
			return fail(c, n, "expected a syscall name, found %s",
				    s ? "an empty value" : kind_name(n));
		r->names[r->nr_names] = strdup(s);
		if (!r->names[r->nr_names])
			return -ENOMEM;
		r->nr_names++;
	}
	return 0;
}

static int parse_rule(struct pctx *c, yaml_node_t *n, struct sau_rule *r)
{
	yaml_node_item_t *it;
	yaml_node_t *v;
	int err;

	r->errno_ret = -1;
	r->line = n->start_mark.line + 1;
	r->col = n->start_mark.column + 1;
	err = want_kind(c, n, YAML_MAPPING_NODE, "a syscalls entry");
	if (err)
		return err;
	v = map_get(c, n, "names");
	if (!v)
		return fail(c, n, "expected key \"names\" in the syscalls entry");
	err = parse_names(c, v, r);
	if (err)
		return err;
	v = map_get(c, n, "action");
	if (!v)
		return fail(c, n, "expected key \"action\" in the syscalls entry");
	err = get_action(c, v, "action", &r->action);
	if (!err)
		err = get_errno(c, n, "errnoRet", &r->errno_ret);
	if (err)
		return err;
	v = map_get(c, n, "args");
	if (!v || (v->type == YAML_SCALAR_NODE && !strcmp(scalar(v), "null")))
		return 0;
	err = want_kind(c, v, YAML_SEQUENCE_NODE, "args");
	if (err)
		return err;
	r->conds = calloc(v->data.sequence.items.top - v->data.sequence.items.start + 1,
			  sizeof(*r->conds));
	if (!r->conds)
		return -ENOMEM;
	for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		err = parse_cond(c, node(c, *it), &r->conds[r->nr_conds]);
		if (err)
			return err;
		r->nr_conds++;
	}
	return 0;
}

static int parse_syscalls(struct pctx *c, yaml_node_t *seq, struct sau_profile *p)
{
	yaml_node_item_t *it;
	int err;

	if (seq->type == YAML_SCALAR_NODE && !strcmp(scalar(seq), "null"))
		return 0;
	err = want_kind(c, seq, YAML_SEQUENCE_NODE, "syscalls");
	if (err)
		return err;
	p->rules = calloc(seq->data.sequence.items.top - seq->data.sequence.items.start + 1,
			  sizeof(*p->rules));
	if (!p->rules)
		return -ENOMEM;
	for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
		/* count it first so a half-parsed rule is freed too */
		p->nr_rules++;
		err = parse_rule(c, node(c, *it), &p->rules[p->nr_rules - 1]);
		if (err)
			return err;
	}
	return 0;
}

/* The profile body: the OCI object itself, or an SPO object's spec. */
static int parse_body(struct pctx *c, yaml_node_t *root, struct sau_profile *p)
{
	yaml_node_t *v;
	int err;

	v = map_get(c, root, "kind");
	if (v || map_get(c, root, "apiVersion")) {
		const char *kind = v ? scalar(v) : NULL;

		if (!kind || strcmp(kind, "SeccompProfile"))
			return fail(c, v ? v : root, "expected kind: SeccompProfile");
		v = map_get(c, root, "spec");
		if (!v)
			return fail(c, root, "expected key \"spec\" in the SeccompProfile");
		err = want_kind(c, v, YAML_MAPPING_NODE, "spec");
		if (err)
			return err;
		root = v;
	}
	v = map_get(c, root, "defaultAction");
	if (!v)
		return fail(c, root, "expected key \"defaultAction\"");
	err = get_action(c, v, "defaultAction", &p->def_action);
	if (!err)
		err = get_errno(c, root, "defaultErrnoRet", &p->def_errno);
	if (!err && (v = map_get(c, root, "architectures")))
		err = parse_arches(c, v, p);
	if (!err && (v = map_get(c, root, "syscalls")))
		err = parse_syscalls(c, v, p);
	return err;
}

struct sau_profile *sau_profile_parse(const char *path, const char *buf, size_t len,
				      char *err, size_t errlen)
{
	struct pctx c = { .path = path, .err = err, .errlen = errlen };
	yaml_parser_t parser;
	yaml_document_t doc;
	struct sau_profile *p = NULL;
	yaml_node_t *root;
	int ret = -ENOMEM;

	if (!yaml_parser_initialize(&parser)) {
		snprintf(err, errlen, "%s: out of memory", path);
		errno = ENOMEM;
		return NULL;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	if (!yaml_parser_load(&parser, &doc)) {
		snprintf(err, errlen, "%s:%zu:%zu: expected valid YAML or JSON: %s%s%s", path,
			 parser.problem_mark.line + 1, parser.problem_mark.column + 1,
			 parser.problem ? parser.problem : "parse error",
			 parser.context ? " " : "", parser.context ? parser.context : "");
		ret = -EINVAL;
		goto out_parser;
	}
	c.doc = &doc;
	root = yaml_document_get_root_node(&doc);
	if (!root) {
		snprintf(err, errlen, "%s:1:1: expected a seccomp profile, found an empty file",
			 path);
		ret = -EINVAL;
		goto out_doc;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		goto out_doc;
	p->def_errno = -1;
	p->path = strdup(path);
	ret = p->path ? want_kind(&c, root, YAML_MAPPING_NODE, "the profile") : -ENOMEM;
	if (!ret)
		ret = parse_body(&c, root, p);
	if (ret == -ENOMEM)
		snprintf(err, errlen, "%s: out of memory", path);
out_doc:
	yaml_document_delete(&doc);
out_parser:
	yaml_parser_delete(&parser);
	if (ret) {
		sau_profile_free(p);
		errno = -ret;
		return NULL;
	}
	return p;
}

struct sau_profile *sau_profile_load(const char *path, char *buf, size_t len, char *err,
				     size_t errlen)
{
	size_t n;

	/* JSON allows tabs between tokens, libyaml does not: they only ever
	 * appear outside strings in valid JSON, so blank them. */
	if (len && buf[strspn(buf, " \t\r\n")] == '{') {
		for (n = 0; n < len; n++)
			if (buf[n] == '\t')
				buf[n] = ' ';
	}
	return sau_profile_parse(path, buf, len, err, errlen);
}

void sau_profile_free(struct sau_profile *p)
{
	unsigned int i, j;

	if (!p)
		return;
	for (i = 0; i < p->nr_rules; i++) {
		for (j = 0; j < p->rules[i].nr_names; j++)
			free(p->rules[i].names[j]);
		free(p->rules[i].names);
		free(p->rules[i].conds);
	}
	free(p->rules);
	free(p->arches);
	free(p->path);
	free(p);
}
