// SPDX-License-Identifier: Apache-2.0
/* Gadget flags: parsed and validated by the host from the gadget's table. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/base/file.h"
#include "params.h"

struct ig_params {
	const struct ig_param *tab;
	size_t n;
	struct ig_param_value *vals;
	char **owned;		/* our copy of each value's text (vals[i].str) */
};

static const char *type_name(const struct ig_param *prm)
{
	switch (prm->type) {
	case IG_PT_BOOL:	return "";
	case IG_PT_INT:		return "INT";
	case IG_PT_UINT:	return "UINT";
	case IG_PT_ENUM:	return prm->choices ? prm->choices : "CHOICE";
	case IG_PT_PATH:	return "FILE";
	case IG_PT_DIR:		return "DIR";
	default:		return "STRING";
	}
}

static int find(const struct ig_params *p, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (strlen(p->tab[i].name) == len && !strncmp(p->tab[i].name, name, len))
			return (int)i;
	return -1;
}

static bool choice_ok(const char *choices, const char *v)
{
	size_t vlen = strlen(v);
	const char *c = choices;

	while (c && *c) {
		const char *bar = strchr(c, '|');
		size_t clen = bar ? (size_t)(bar - c) : strlen(c);

		if (clen == vlen && !strncmp(c, v, vlen))
			return true;
		c = bar ? bar + 1 : NULL;
	}
	return false;
}

static int parse_value(const struct ig_param *prm, const char *v, struct ig_param_value *out,
		       char *err, size_t errlen)
{
	char *end = NULL;

	errno = 0;
	switch (prm->type) {
	case IG_PT_BOOL:
		if (!v || !strcasecmp(v, "true") || !strcmp(v, "1") || !strcasecmp(v, "yes"))
			out->u = 1;
		else if (!strcasecmp(v, "false") || !strcmp(v, "0") || !strcasecmp(v, "no"))
			out->u = 0;
		else
			goto bad;
		return 0;
	case IG_PT_INT:
		if (!v || !*v)
			goto bad;
		out->i = strtoll(v, &end, 0);
		if (errno || *end)
			goto bad;
		return 0;
	case IG_PT_UINT:
		if (!v || !*v || strchr(v, '-'))
			goto bad;
		out->u = strtoull(v, &end, 0);
		if (errno || *end)
			goto bad;
		return 0;
	case IG_PT_ENUM:
		if (!v || !choice_ok(prm->choices, v))
			goto bad;
		return 0;
	default:
		if (!v)
			goto bad;
		return 0;
	}
bad:
	if (prm->type == IG_PT_ENUM)
		snprintf(err, errlen, "invalid value '%s' for --%s (valid: %s)", v ? v : "",
			 prm->name, prm->choices ? prm->choices : "");
	else if (prm->type == IG_PT_BOOL)
		snprintf(err, errlen, "invalid value '%s' for --%s (valid: true, false)",
			 v ? v : "", prm->name);
	else if (!v)
		snprintf(err, errlen, "--%s needs a value (%s)", prm->name, type_name(prm));
	else
		snprintf(err, errlen, "invalid value '%s' for --%s (expected %s%s)", v, prm->name,
			 prm->type == IG_PT_UINT ? "an unsigned integer" :
			 prm->type == IG_PT_INT ? "an integer" : "text",
			 errno == ERANGE ? ", out of range" : "");
	return -EINVAL;
}

static int assign(struct ig_params *p, size_t idx, const char *v, bool set, char *err,
		  size_t errlen)
{
	struct ig_param_value val = { 0 };
	char *copy = NULL;
	int ret;

	ret = parse_value(&p->tab[idx], v, &val, err, errlen);
	if (ret)
		return ret;
	if (p->tab[idx].type == IG_PT_BOOL && !v)
		v = "true";
	copy = strdup(v);
	if (!copy)
		return -ENOMEM;
	free(p->owned[idx]);
	p->owned[idx] = copy;
	val.str = copy;
	val.set = set;
	p->vals[idx] = val;
	return 0;
}

struct ig_params *ig_params__new(const struct ig_param *tab, size_t n, char *err, size_t errlen)
{
	struct ig_params *p = calloc(1, sizeof(*p));
	size_t i;
	int ret = -ENOMEM;

	if (!p)
		goto err_out;
	p->tab = tab;
	p->n = n;
	p->vals = calloc(n ? n : 1, sizeof(*p->vals));
	p->owned = calloc(n ? n : 1, sizeof(*p->owned));
	if (!p->vals || !p->owned)
		goto err_free;
	for (i = 0; i < n; i++) {
		if (!tab[i].name || !tab[i].name[0]) {
			snprintf(err, errlen, "gadget parameter %zu has no name", i);
			ret = -EINVAL;
			goto err_free;
		}
		if (!tab[i].def)
			continue;	/* unset: str NULL, numbers 0 */
		ret = assign(p, i, tab[i].def, false, err, errlen);
		if (ret)
			goto err_free;
	}
	return p;

err_free:
	ig_params__destroy(p);
err_out:
	errno = -ret;
	return NULL;
}

void ig_params__destroy(struct ig_params *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; p->owned && i < p->n; i++)
		free(p->owned[i]);
	free(p->owned);
	free(p->vals);
	free(p);
}

int ig_params__set(struct ig_params *p, const char *name, const char *value,
		   char *err, size_t errlen)
{
	int idx = find(p, name, strlen(name));

	if (idx < 0) {
		snprintf(err, errlen, "unknown gadget flag --%s", name);
		return -ENOENT;
	}
	return assign(p, idx, value, true, err, errlen);
}

int ig_params__parse_arg(struct ig_params *p, int argc, char **argv, int *i,
			 char *err, size_t errlen)
{
	const char *a = argv[*i], *eq, *v = NULL;
	int idx = -1, used = 1;
	size_t k;

	if (a[0] != '-' || !a[1])
		return 0;
	if (a[1] == '-') {
		eq = strchr(a + 2, '=');
		idx = find(p, a + 2, eq ? (size_t)(eq - a - 2) : strlen(a + 2));
		if (eq)
			v = eq + 1;
	} else {
		for (k = 0; k < p->n && idx < 0; k++)
			if (p->tab[k].short_name && p->tab[k].short_name == a[1])
				idx = (int)k;
		if (idx >= 0 && a[2])
			v = a[2] == '=' ? a + 3 : a + 2;
	}
	if (idx < 0)
		return 0;
	/* A boolean takes a value only when glued with '='. */
	if (!v && p->tab[idx].type != IG_PT_BOOL) {
		if (*i + 1 >= argc) {
			snprintf(err, errlen, "--%s needs a value (%s)", p->tab[idx].name,
				 type_name(&p->tab[idx]));
			return -EINVAL;
		}
		v = argv[*i + 1];
		used = 2;
	}
	if (assign(p, idx, v, true, err, errlen))
		return -EINVAL;
	*i += used;
	return 1;
}

int ig_params__check_dirs(const struct ig_params *p, char *err, size_t errlen)
{
	char why[256];
	int ret;

	for (size_t i = 0; i < p->n; i++) {
		if (p->tab[i].type != IG_PT_DIR || !p->vals[i].str)
			continue;
		/* made when missing: a report's directory need not exist yet */
		ret = ig_file__make_dirs(p->vals[i].str, why, sizeof(why));
		if (!ret)
			ret = ig_file__check_dir(p->vals[i].str, why, sizeof(why));
		if (ret) {
			snprintf(err, errlen, "--%s %s: %s", p->tab[i].name, p->vals[i].str, why);
			return ret;
		}
	}
	return 0;
}

const struct ig_param_value *ig_params__get(const struct ig_params *p, const char *name)
{
	int idx = find(p, name, strlen(name));

	if (idx < 0) {
		errno = ENOENT;
		return NULL;
	}
	return &p->vals[idx];
}

void ig_params__names(const struct ig_param *tab, size_t n, char *buf, size_t len)
{
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < n && off < len; i++) {
		int w;

		if (tab[i].short_name)
			w = snprintf(buf + off, len - off, "%s-%c/--%s", i ? ", " : "",
				     tab[i].short_name, tab[i].name);
		else
			w = snprintf(buf + off, len - off, "%s--%s", i ? ", " : "", tab[i].name);
		if (w < 0)
			break;
		off += (size_t)w;
	}
	if (!n)
		snprintf(buf, len, "none");
}

void ig_params__help(const struct ig_param *tab, size_t n, FILE *out)
{
	size_t i;

	if (!n) {
		fprintf(out, "Gadget flags: none\n");
		return;
	}
	fprintf(out, "Gadget flags:\n");
	for (i = 0; i < n; i++) {
		char left[96];
		const char *t = type_name(&tab[i]);

		snprintf(left, sizeof(left), "%s%c%s--%s%s%s",
			 tab[i].short_name ? "-" : "   ",
			 tab[i].short_name ? tab[i].short_name : ' ',
			 tab[i].short_name ? ", " : "", tab[i].name, *t ? " " : "", t);
		fprintf(out, "  %-32s %s", left, tab[i].help ? tab[i].help : "");
		if (tab[i].def && tab[i].type != IG_PT_BOOL)
			fprintf(out, " (default %s)", tab[i].def);
		else if (tab[i].def && tab[i].type == IG_PT_BOOL && strcmp(tab[i].def, "false"))
			fprintf(out, " (default %s)", tab[i].def);
		fputc('\n', out);
	}
}
