// SPDX-License-Identifier: Apache-2.0
/*
 * The profile parser: OCI or SPO, JSON or YAML, one positioned complaint per
 * problem (ynode.c). What it keeps is struct sp_profile (profile.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parse.h"
#include "ynode.h"

#define SPO_GROUP	"security-profiles-operator.x-k8s.io/"
#define MAX_FILE	(16u << 20)

static const char *const flag_names[] = {
	"SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
	"SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
};

static int quoted_fail(struct yctx *c, yaml_node_t *n, const char *what, const char *list)
{
	const char *s = y_scalar(n);

	return y_fail(c, n, "expected %s (%s), found %s%s%s", what, list, s ? "\"" : "",
		      s ? s : y_kind(n), s ? "\"" : "");
}

static int get_action(struct yctx *c, yaml_node_t *n, enum sp_act *out)
{
	if (!sp_act_parse(y_scalar(n), out))
		return 0;
	return quoted_fail(c, n, "an action", "SCMP_ACT_ALLOW, SCMP_ACT_ERRNO, SCMP_ACT_LOG, "
			   "SCMP_ACT_TRAP, SCMP_ACT_KILL, SCMP_ACT_KILL_THREAD, "
			   "SCMP_ACT_KILL_PROCESS, SCMP_ACT_TRACE, SCMP_ACT_NOTIFY");
}

static int get_errno(struct yctx *c, yaml_node_t *map, const char *key, int *out)
{
	yaml_node_t *n = y_get(c, map, key);
	uint64_t v;
	int err;

	*out = -1;
	if (!n)
		return 0;
	err = y_u64(c, n, key, 4095, &v);
	if (!err)
		*out = (int)v;
	return err;
}

static int parse_arches(struct yctx *c, yaml_node_t *seq, struct sp_profile *p)
{
	yaml_node_item_t *it;
	int err;

	err = y_want(c, seq, YAML_SEQUENCE_NODE, "architectures");
	if (err)
		return err;
	p->arches = calloc(y_len(seq) + 1, sizeof(*p->arches));
	if (!p->arches)
		return -ENOMEM;
	for (it = y_first(seq); it < y_end(seq); it++) {
		yaml_node_t *n = y_node(c, *it);
		uint32_t tok = sp_arch_parse(y_scalar(n));

		if (!tok)
			return quoted_fail(c, n, "an architecture", "SCMP_ARCH_X86_64, "
					   "SCMP_ARCH_X86, SCMP_ARCH_AARCH64 ...");
		p->arches[p->nr_arches++] = tok;
	}
	return 0;
}

static int parse_flags(struct yctx *c, yaml_node_t *seq, struct sp_profile *p)
{
	yaml_node_item_t *it;
	size_t i;
	int err;

	err = y_want(c, seq, YAML_SEQUENCE_NODE, "flags");
	if (err)
		return err;
	p->flags = calloc(y_len(seq) + 1, sizeof(*p->flags));
	if (!p->flags)
		return -ENOMEM;
	for (it = y_first(seq); it < y_end(seq); it++) {
		yaml_node_t *n = y_node(c, *it);
		const char *s = y_scalar(n);

		for (i = 0; s && i < sizeof(flag_names) / sizeof(flag_names[0]); i++)
			if (!strcmp(s, flag_names[i]))
				break;
		if (!s || i == sizeof(flag_names) / sizeof(flag_names[0]))
			return quoted_fail(c, n, "a flag", "SECCOMP_FILTER_FLAG_TSYNC, "
					   "SECCOMP_FILTER_FLAG_LOG, SECCOMP_FILTER_FLAG_SPEC_ALLOW, "
					   "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV");
		p->flags[p->nr_flags] = strdup(s);
		if (!p->flags[p->nr_flags++])
			return -ENOMEM;
	}
	return 0;
}

/* OCI requires "value"; the SPO CRD does not (it means 0 there). */
static int parse_cond(struct yctx *c, yaml_node_t *n, bool spo, struct sp_cond *cond)
{
	yaml_node_t *v;
	uint64_t idx;
	int err;

	err = y_want(c, n, YAML_MAPPING_NODE, "an argument condition");
	if (err)
		return err;
	v = y_get(c, n, "index");
	if (!v)
		return y_fail(c, n, "expected key \"index\" in the argument condition");
	err = y_u64(c, v, "index", 5, &idx);
	if (err)
		return err;
	cond->index = (uint32_t)idx;
	v = y_get(c, n, "value");
	if (!v && !spo)
		return y_fail(c, n, "expected key \"value\" in the argument condition");
	if (v && (err = y_u64(c, v, "value", UINT64_MAX, &cond->value)))
		return err;
	v = y_get(c, n, "valueTwo");
	if (v && (err = y_u64(c, v, "valueTwo", UINT64_MAX, &cond->value_two)))
		return err;
	v = y_get(c, n, "op");
	if (!v)
		return y_fail(c, n, "expected key \"op\" in the argument condition");
	if (sp_op_parse(y_scalar(v), &cond->op))
		return quoted_fail(c, v, "an operator", "SCMP_CMP_NE, SCMP_CMP_LT, "
				   "SCMP_CMP_LE, SCMP_CMP_EQ, SCMP_CMP_GE, SCMP_CMP_GT, "
				   "SCMP_CMP_MASKED_EQ");
	return 0;
}

static int parse_names(struct yctx *c, yaml_node_t *seq, struct sp_rule *r)
{
	yaml_node_item_t *it;
	int err;

	err = y_want(c, seq, YAML_SEQUENCE_NODE, "names");
	if (err)
		return err;
	if (!y_len(seq))
		return y_fail(c, seq, "expected at least one syscall name in names");
	r->names = calloc(y_len(seq), sizeof(*r->names));
	if (!r->names)
		return -ENOMEM;
	for (it = y_first(seq); it < y_end(seq); it++) {
		yaml_node_t *n = y_node(c, *it);
		const char *s = y_scalar(n);

		if (!s || y_is_null(n) || !*s)
			return y_fail(c, n, "expected a syscall name, found %s",
				      s ? "an empty value" : y_kind(n));
		if (s[strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_")])
			return y_fail(c, n, "expected a syscall name (a-z, 0-9, _), found \"%s\"",
				      s);
		r->names[r->nr_names] = strdup(s);
		if (!r->names[r->nr_names])
			return -ENOMEM;
		r->nr_names++;
	}
	return 0;
}

static int parse_rule(struct yctx *c, yaml_node_t *n, bool spo, struct sp_rule *r)
{
	yaml_node_item_t *it;
	yaml_node_t *v;
	int err;

	r->errno_ret = -1;
	r->line = n->start_mark.line + 1;
	r->col = n->start_mark.column + 1;
	err = y_want(c, n, YAML_MAPPING_NODE, "a syscalls entry");
	if (err)
		return err;
	v = y_get(c, n, "names");
	if (!v)
		return y_fail(c, n, "expected key \"names\" in the syscalls entry");
	err = parse_names(c, v, r);
	if (err)
		return err;
	v = y_get(c, n, "action");
	if (!v)
		return y_fail(c, n, "expected key \"action\" in the syscalls entry");
	err = get_action(c, v, &r->action);
	if (!err)
		err = get_errno(c, n, "errnoRet", &r->errno_ret);
	if (err)
		return err;
	v = y_get(c, n, "args");
	if (!v || y_is_null(v))
		return 0;
	err = y_want(c, v, YAML_SEQUENCE_NODE, "args");
	if (err)
		return err;
	r->conds = calloc(y_len(v) + 1, sizeof(*r->conds));
	if (!r->conds)
		return -ENOMEM;
	for (it = y_first(v); it < y_end(v); it++) {
		err = parse_cond(c, y_node(c, *it), spo, &r->conds[r->nr_conds]);
		if (err)
			return err;
		r->nr_conds++;
	}
	return 0;
}

static int parse_syscalls(struct yctx *c, yaml_node_t *seq, struct sp_profile *p)
{
	yaml_node_item_t *it;
	int err;

	if (y_is_null(seq))
		return 0;
	err = y_want(c, seq, YAML_SEQUENCE_NODE, "syscalls");
	if (err)
		return err;
	p->rules = calloc(y_len(seq) + 1, sizeof(*p->rules));
	if (!p->rules)
		return -ENOMEM;
	for (it = y_first(seq); it < y_end(seq); it++) {
		/* count it first so a half-parsed rule is freed too */
		p->nr_rules++;
		err = parse_rule(c, y_node(c, *it), p->format == SP_FMT_SPO,
				 &p->rules[p->nr_rules - 1]);
		if (err)
			return err;
	}
	return 0;
}

/* An SPO envelope: apiVersion, kind, metadata.name; *body is its spec. */
static int parse_spo(struct yctx *c, yaml_node_t *root, struct sp_profile *p, yaml_node_t **body)
{
	yaml_node_t *v = y_get(c, root, "kind"), *api = y_get(c, root, "apiVersion");
	const char *s;
	int err;

	if (!v || !y_scalar(v) || strcmp(y_scalar(v), "SeccompProfile"))
		return y_fail(c, v ? v : root, "expected kind: SeccompProfile");
	/* without one (not a valid object, but kubectl-edited files lose it),
	 * the CRD's storage version */
	s = api ? y_scalar(api) : SPO_GROUP "v1";
	if (!s || strncmp(s, SPO_GROUP, strlen(SPO_GROUP)) ||
	    (strcmp(s + strlen(SPO_GROUP), "v1") && strcmp(s + strlen(SPO_GROUP), "v1beta1")))
		return y_fail(c, api, "expected apiVersion " SPO_GROUP "v1 or " SPO_GROUP
			      "v1beta1");
	p->format = SP_FMT_SPO;
	p->api = strdup(s + strlen(SPO_GROUP));
	if (!p->api)
		return -ENOMEM;
	v = y_get(c, y_get(c, root, "metadata"), "name");
	if (v && (err = y_str(c, v, "metadata.name", &p->name)))
		return err;
	v = y_get(c, root, "spec");
	if (!v)
		return y_fail(c, root, "expected key \"spec\" in the SeccompProfile");
	err = y_want(c, v, YAML_MAPPING_NODE, "spec");
	*body = v;
	return err;
}

/* The profile body: the OCI object itself, the linux.seccomp of an OCI
 * config, or an SPO object's spec. */
static int parse_body(struct yctx *c, yaml_node_t *root, struct sp_profile *p)
{
	yaml_node_t *v;
	int err = 0;

	if (y_get(c, root, "kind") || y_get(c, root, "apiVersion"))
		err = parse_spo(c, root, p, &root);
	else if ((v = y_get(c, root, "linux")) && !y_get(c, root, "defaultAction")) {
		root = y_get(c, v, "seccomp");
		if (!root)
			return y_fail(c, v, "expected key \"seccomp\" in linux: this "
				      "OCI config has no seccomp profile");
		err = y_want(c, root, YAML_MAPPING_NODE, "linux.seccomp");
	}
	if (err)
		return err;
	v = y_get(c, root, "defaultAction");
	if (!v)
		return y_fail(c, root, "expected key \"defaultAction\"");
	err = get_action(c, v, &p->def_action);
	if (!err)
		err = get_errno(c, root, "defaultErrnoRet", &p->def_errno);
	if (!err && (v = y_get(c, root, "architectures")) && !y_is_null(v))
		err = parse_arches(c, v, p);
	if (!err && (v = y_get(c, root, "flags")) && !y_is_null(v))
		err = parse_flags(c, v, p);
	if (!err && (v = y_get(c, root, "listenerPath")))
		err = y_str(c, v, "listenerPath", &p->listener_path);
	if (!err && (v = y_get(c, root, "listenerMetadata")))
		err = y_str(c, v, "listenerMetadata", &p->listener_meta);
	if (!err && (v = y_get(c, root, "syscalls")))
		err = parse_syscalls(c, v, p);
	return err;
}

static int parse_doc(struct yctx *c, yaml_document_t *doc, struct sp_profile **out)
{
	yaml_node_t *root = yaml_document_get_root_node(doc);
	struct sp_profile *p;
	int ret;

	c->doc = doc;
	if (!root)
		return y_fail(c, NULL, "expected a seccomp profile, found an empty file");
	p = sp_profile__new();
	if (!p)
		return -ENOMEM;
	p->path = strdup(c->path);
	ret = p->path ? y_want(c, root, YAML_MAPPING_NODE, "the profile") : -ENOMEM;
	if (!ret)
		ret = parse_body(c, root, p);
	if (ret) {
		sp_profile__free(p);
		return ret;
	}
	*out = p;
	return 0;
}

struct sp_profile *sp_profile__parse(const char *path, const char *buf, size_t len,
				     char *err, size_t errlen)
{
	struct yctx c = { .path = path, .err = err, .errlen = errlen };
	struct sp_profile *p = NULL;
	yaml_parser_t parser;
	yaml_document_t doc;
	int ret;

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
		yaml_parser_delete(&parser);
		errno = EINVAL;
		return NULL;
	}
	ret = parse_doc(&c, &doc, &p);
	if (ret == -ENOMEM)
		snprintf(err, errlen, "%s: out of memory", path);
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	if (ret)
		errno = -ret;
	return ret ? NULL : p;
}

/* A regular file, opened so that a FIFO does not block. */
static char *read_all(const char *path, size_t *len, char *err, size_t errlen)
{
	struct stat sb;
	char *buf = NULL;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0 || fstat(fd, &sb)) {
		snprintf(err, errlen, "%s: cannot open the profile: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(sb.st_mode) || (size_t)sb.st_size > MAX_FILE) {
		snprintf(err, errlen, "%s: %s", path, !S_ISREG(sb.st_mode) ?
			 "not a regular file: give a profile file" : "larger than 16 MiB: "
			 "not a seccomp profile");
		errno = EINVAL;
		goto out;
	}
	buf = malloc((size_t)sb.st_size + 1);
	if (!buf) {
		snprintf(err, errlen, "%s: out of memory", path);
		goto out;
	}
	*len = 0;
	while ((n = read(fd, buf + *len, (size_t)sb.st_size - *len)) > 0)
		*len += (size_t)n;
	if (n < 0) {
		snprintf(err, errlen, "%s: cannot read the profile: %s", path, strerror(errno));
		free(buf);
		buf = NULL;
		goto out;
	}
	buf[*len] = '\0';
out:
	if (fd >= 0)
		close(fd);
	return buf;
}

struct sp_profile *sp_profile__load_text(const char *path, char *buf, size_t len, char *err,
					 size_t errlen)
{
	size_t i;

	/* JSON allows tabs between tokens, libyaml does not: they only ever
	 * appear outside strings in valid JSON, so blank them. */
	if (len && buf[strspn(buf, " \t\r\n")] == '{') {
		for (i = 0; i < len; i++)
			if (buf[i] == '\t')
				buf[i] = ' ';
	}
	return sp_profile__parse(path, buf, len, err, errlen);
}

struct sp_profile *sp_profile__load(const char *path, char *err, size_t errlen)
{
	struct sp_profile *p;
	size_t len = 0;
	char *buf;

	buf = read_all(path, &len, err, errlen);
	if (!buf)
		return NULL;
	p = sp_profile__load_text(path, buf, len, err, errlen);
	free(buf);
	return p;
}
