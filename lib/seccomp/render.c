// SPDX-License-Identifier: Apache-2.0
/* A profile as JSON text, the same bytes for the same profile. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"

#define SPO_GROUP	"security-profiles-operator.x-k8s.io/"

struct out {
	char *buf;
	size_t len, cap;
	bool oom;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = o->oom ? 0 : vsnprintf(o->buf ? o->buf + o->len : NULL, o->cap - o->len, fmt,
					   ap);
		va_end(ap);
		if (o->oom || (o->buf && (size_t)n < o->cap - o->len))
			break;
		char *more = realloc(o->buf, (o->cap + (size_t)n + 1) * 2);

		if (!more) {
			o->oom = true;
			break;
		}
		o->buf = more;
		o->cap = (o->cap + (size_t)n + 1) * 2;
	}
	if (!o->oom)
		o->len += (size_t)n;
}

static void put_str(struct out *o, const char *s)
{
	put(o, "\"");
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			put(o, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			put(o, "\\u%04x", c);
		else
			put(o, "%c", c);
	}
	put(o, "\"");
}

static void put_strv(struct out *o, int ind, const char *key, const char *const *v,
		     unsigned int n, bool comma)
{
	unsigned int i;

	put(o, "%*s\"%s\": [\n", ind, "", key);
	for (i = 0; i < n; i++) {
		put(o, "%*s", ind + 2, "");
		put_str(o, v[i]);
		put(o, "%s\n", i + 1 < n ? "," : "");
	}
	put(o, "%*s]%s\n", ind, "", comma ? "," : "");
}

static void put_args(struct out *o, int ind, const struct sp_rule *r)
{
	unsigned int i;

	put(o, "%*s\"args\": [\n", ind, "");
	for (i = 0; i < r->nr_conds; i++) {
		const struct sp_cond *c = &r->conds[i];

		put(o, "%*s{\n%*s\"index\": %u,\n%*s\"value\": %llu,\n", ind + 2, "", ind + 4, "",
		    c->index, ind + 4, "", (unsigned long long)c->value);
		if (c->value_two)
			put(o, "%*s\"valueTwo\": %llu,\n", ind + 4, "",
			    (unsigned long long)c->value_two);
		put(o, "%*s\"op\": \"%s\"\n%*s}%s\n", ind + 4, "", sp_op_name(c->op) ?: "?",
		    ind + 2, "", i + 1 < r->nr_conds ? "," : "");
	}
	put(o, "%*s]\n", ind, "");
}

static void put_rule(struct out *o, int ind, const struct sp_rule *r, bool comma)
{
	bool errno_ret = r->errno_ret >= 0 &&
			 (r->action == SP_ACT_ERRNO || r->action == SP_ACT_TRACE);

	put(o, "%*s{\n", ind, "");
	put_strv(o, ind + 2, "names", (const char *const *)r->names, r->nr_names, true);
	put(o, "%*s\"action\": \"%s\"%s\n", ind + 2, "", sp_act_scmp_name(r->action),
	    errno_ret || r->nr_conds ? "," : "");
	if (errno_ret)
		put(o, "%*s\"errnoRet\": %d%s\n", ind + 2, "", r->errno_ret,
		    r->nr_conds ? "," : "");
	if (r->nr_conds)
		put_args(o, ind + 2, r);
	put(o, "%*s}%s\n", ind, "", comma ? "," : "");
}

/* The members both forms share: the OCI object, or the SPO spec. */
static void put_body(struct out *o, int ind, const struct sp_profile *p, bool more)
{
	const char *arches[64];
	unsigned int i, n = 0;

	put(o, "%*s\"defaultAction\": \"%s\",\n", ind, "", sp_act_scmp_name(p->def_action));
	if (p->def_errno >= 0)
		put(o, "%*s\"defaultErrnoRet\": %d,\n", ind, "", p->def_errno);
	for (i = 0; i < p->nr_arches && n < 64; i++)
		if (sp_arch_name(p->arches[i]))
			arches[n++] = sp_arch_name(p->arches[i]);
	if (n)
		put_strv(o, ind, "architectures", arches, n, true);
	if (p->nr_flags)
		put_strv(o, ind, "flags", (const char *const *)p->flags, p->nr_flags, true);
	if (p->listener_path) {
		put(o, "%*s\"listenerPath\": ", ind, "");
		put_str(o, p->listener_path);
		put(o, ",\n");
	}
	if (p->listener_meta) {
		put(o, "%*s\"listenerMetadata\": ", ind, "");
		put_str(o, p->listener_meta);
		put(o, ",\n");
	}
	put(o, "%*s\"syscalls\": [\n", ind, "");
	for (i = 0; i < p->nr_rules; i++)
		put_rule(o, ind + 2, &p->rules[i], i + 1 < p->nr_rules);
	put(o, "%*s]%s\n", ind, "", more ? "," : "");
}

char *sp_profile__render(const struct sp_profile *p, const char *report)
{
	struct out o = { 0 };

	put(&o, "{\n");
	if (p->format == SP_FMT_SPO) {
		put(&o, "  \"apiVersion\": \"" SPO_GROUP "%s\",\n  \"kind\": \"SeccompProfile\",\n"
		    "  \"metadata\": {\n    \"name\": ", p->api ? p->api : "v1");
		put_str(&o, p->name ? p->name : "profile");
		if (report) {
			put(&o, ",\n    \"annotations\": {\n      \"ig.io/report\": ");
			put_str(&o, report);
			put(&o, "\n    }");
		}
		put(&o, "\n  },\n  \"spec\": {\n");
		put_body(&o, 4, p, false);
		put(&o, "  }\n");
	} else {
		put_body(&o, 2, p, report);
		if (report)
			put(&o, "  \"ig.io/report\": %s\n", report);
	}
	put(&o, "}\n");
	if (o.oom) {
		free(o.buf);
		errno = ENOMEM;
		return NULL;
	}
	return o.buf;
}
