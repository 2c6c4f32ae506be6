// SPDX-License-Identifier: Apache-2.0
/* Walking a libyaml document with a position in every complaint. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ynode.h"

int y_fail(struct yctx *c, const yaml_node_t *n, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(c->err, c->errlen, "%s:%zu:%zu: %s", c->path,
		 n ? n->start_mark.line + 1 : 1, n ? n->start_mark.column + 1 : 1, msg);
	return -EINVAL;
}

const char *y_kind(const yaml_node_t *n)
{
	if (n->type == YAML_MAPPING_NODE)
		return "a mapping";
	if (n->type == YAML_SEQUENCE_NODE)
		return "a list";
	return "a scalar";
}

const char *y_scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

int y_is_null(const yaml_node_t *n)
{
	const char *s = y_scalar(n);

	return s && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	       (!*s || !strcmp(s, "null") || !strcmp(s, "~"));
}

yaml_node_t *y_node(struct yctx *c, int id)
{
	return yaml_document_get_node(c->doc, id);
}

yaml_node_t *y_get(struct yctx *c, yaml_node_t *map, const char *key)
{
	yaml_node_pair_t *p;

	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		const char *k = y_scalar(y_node(c, p->key));

		if (k && !strcmp(k, key))
			return y_node(c, p->value);
	}
	return NULL;
}

int y_want(struct yctx *c, yaml_node_t *n, yaml_node_type_t type, const char *what)
{
	static const char *const names[] = { "", "a scalar", "a list", "a mapping" };

	if (n->type == type)
		return 0;
	return y_fail(c, n, "expected %s for %s, found %s", names[type], what, y_kind(n));
}

int y_u64(struct yctx *c, yaml_node_t *n, const char *what, uint64_t max, uint64_t *out)
{
	const char *s = y_scalar(n);
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
	return y_fail(c, n, "expected an integer 0..%llu for %s, found %s%s%s",
		      (unsigned long long)max, what, s ? "\"" : "", s ? s : y_kind(n),
		      s ? "\"" : "");
}

int y_str(struct yctx *c, yaml_node_t *n, const char *what, char **out)
{
	const char *s = y_scalar(n);

	if (!s)
		return y_fail(c, n, "expected a string for %s, found %s", what, y_kind(n));
	*out = strdup(s);
	return *out ? 0 : -ENOMEM;
}
