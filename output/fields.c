// SPDX-License-Identifier: Apache-2.0
/*
 * Which fields are printed (--fields), their table headers, the nesting of
 * dotted names for JSON and YAML, and the text of a value.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <strings.h>

#include "output_int.h"

/* Enum values below this get a direct lookup table (syscall numbers do). */
#define ENUM_DIRECT_MAX	4096

static const char *last_component(const char *name)
{
	const char *dot = strrchr(name, '.');

	return dot ? dot + 1 : name;
}

/* Exact name (any case) first; else a unique match of the last component,
 * so "containerName" finds "runtime.containerName". -1: none, -2: ambiguous. */
static int field_lookup(const struct ig_output *o, const char *name, size_t n)
{
	int found = -1;
	size_t i;

	for (i = 0; i < o->nr_fields; i++) {
		const char *fn = o->fields[i].name;

		if (strlen(fn) == n && !strncasecmp(fn, name, n))
			return (int)i;
	}
	for (i = 0; i < o->nr_fields; i++) {
		const char *lc = last_component(o->fields[i].name);

		if (strlen(lc) == n && !strncasecmp(lc, name, n)) {
			if (found >= 0)
				return -2;	/* ambiguous: make the user spell it out */
			found = (int)i;
		}
	}
	return found;
}

static void unknown_field_err(const struct ig_output *o, const char *name, size_t n,
			      char *err, size_t errlen)
{
	size_t i, off;

	if (!err || !errlen)
		return;
	off = snprintf(err, errlen, "unknown field '%.*s' (valid: ", (int)n, name);
	for (i = 0; i < o->nr_fields && off < errlen; i++)
		off += snprintf(err + off, errlen - off, "%s%s", i ? ", " : "", o->fields[i].name);
	if (off < errlen)
		snprintf(err + off, errlen - off, ")");
}

static void ambiguous_field_err(const struct ig_output *o, const char *name, size_t n,
				char *err, size_t errlen)
{
	size_t i, off, k = 0;

	if (!err || !errlen)
		return;
	off = snprintf(err, errlen, "ambiguous field '%.*s': say ", (int)n, name);
	for (i = 0; i < o->nr_fields && off < errlen; i++) {
		const char *lc = last_component(o->fields[i].name);

		if (strlen(lc) == n && !strncasecmp(lc, name, n))
			off += snprintf(err + off, errlen - off, "%s'%s'", k++ ? " or " : "",
					o->fields[i].name);
	}
}

static void col_init(struct ig_output *o, struct ig_col *c, size_t idx)
{
	const struct ig_field *f = &o->fields[idx];
	const struct ig_enum_name *e;
	uint64_t max = 0;

	c->f = f;
	c->idx = idx;
	c->key = last_component(f->name);
	c->width = f->width ? f->width : IG_OUT_DEFAULT_WIDTH;
	if (f->type != IG_FT_ENUM || !f->enums)
		return;
	for (e = f->enums; e->name; e++)
		if (e->value > max)
			max = e->value;
	if (max >= ENUM_DIRECT_MAX)
		return;
	c->enum_direct = calloc(max + 1, sizeof(*c->enum_direct));
	if (!c->enum_direct)
		return;		/* the linear search still works */
	c->enum_direct_n = max + 1;
	for (e = f->enums; e->name; e++)
		if (!c->enum_direct[e->value])
			c->enum_direct[e->value] = e->name;
}

/* Headers: the last dotted component upper-cased ("runtime.containerName"
 * -> "CONTAINERNAME"), or the whole name when two columns share it. */
static void set_headers(struct ig_output *o)
{
	size_t i, j, k;

	for (i = 0; i < o->nr_cols; i++) {
		struct ig_col *c = &o->cols[i];
		const char *src = c->key;
		size_t hl;

		for (j = 0; j < o->nr_cols; j++)
			if (j != i && !strcasecmp(o->cols[j].key, c->key))
				src = c->f->name;
		for (k = 0; src[k] && k < sizeof(c->header) - 1; k++)
			c->header[k] = (char)toupper((unsigned char)src[k]);
		c->header[k] = '\0';
		hl = strlen(c->header);
		if (c->width < hl)
			c->width = (unsigned int)hl;
	}
}

static bool default_has(const struct ig_output *o, size_t i)
{
	if (o->opts.format != IG_OUT_TABLE)
		return true;	/* json and yaml carry every field by default */
	return !(o->fields[i].flags & IG_FIELD_HIDDEN);
}

/* One --fields entry (p, len bytes) -> field index, or -EINVAL with err set. */
static int item_lookup(const struct ig_output *o, const char *p, size_t len, const char *spec,
		       char *err, size_t errlen)
{
	int idx;

	if (!len) {
		snprintf(err, errlen, "empty field name in --fields '%s'", spec);
		return -EINVAL;
	}
	idx = field_lookup(o, p, len);
	if (idx == -2)
		ambiguous_field_err(o, p, len, err, errlen);
	else if (idx < 0)
		unknown_field_err(o, p, len, err, errlen);
	return idx < 0 ? -EINVAL : idx;
}

/* Parse spec into sel (ordered field indices). Returns the count or -errno.
 * "a,b" picks (in that order, once each); "+x,-y" edits the default set. */
static int parse_spec(struct ig_output *o, const char *spec, int *sel, char *err, size_t errlen)
{
	bool *on = calloc(o->nr_fields + 1, sizeof(*on));
	const char *p = spec;
	int n = 0, mode = 0;	/* 1: pick list, 2: edit list, 0: not known yet */
	size_t i;

	if (!on)
		return -ENOMEM;
	for (i = 0; i < o->nr_fields; i++)
		on[i] = default_has(o, i);
	for (;;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		int sign = 0, idx, k;

		for (; len && isspace((unsigned char)*p); len--)
			p++;
		while (len && isspace((unsigned char)p[len - 1]))
			len--;
		if (len && (*p == '+' || *p == '-')) {
			sign = *p == '+' ? 1 : -1;
			p++;
			len--;
		}
		if (mode && mode != (sign ? 2 : 1)) {
			snprintf(err, errlen, "--fields '%s': either list the fields to show (a,b) "
				 "or edit the default set (+x,-y), not both", spec);
			goto err_free_on;
		}
		mode = sign ? 2 : 1;
		idx = item_lookup(o, p, len, spec, err, errlen);
		if (idx < 0)
			goto err_free_on;
		if (sign) {
			on[idx] = sign > 0;
		} else {
			for (k = 0; k < n && sel[k] != idx; k++)
				;
			if (k == n)
				sel[n++] = idx;
		}
		if (!end)
			break;
		p = end + 1;
	}
	if (mode == 2)
		for (i = 0; i < o->nr_fields; i++)
			if (on[i])
				sel[n++] = (int)i;
	free(on);
	return n;

err_free_on:
	free(on);
	return -EINVAL;
}

int cols_select(struct ig_output *o, const char *spec, char *err, size_t errlen)
{
	int *sel = calloc(o->nr_fields + 1, sizeof(*sel));
	int n = 0, i;

	if (!sel)
		return -ENOMEM;
	if (spec && !spec[strspn(spec, " \t")]) {
		/* docs/output.md: an empty entry is refused; a blank list too. */
		snprintf(err, errlen, "--fields is empty: name the fields to print "
			 "(e.g. --fields pid,comm) or leave --fields out");
		n = -EINVAL;
		goto out_free_sel;
	}
	if (spec) {
		n = parse_spec(o, spec, sel, err, errlen);
		if (n < 0)
			goto out_free_sel;
	} else {
		for (i = 0; i < (int)o->nr_fields; i++)
			if (default_has(o, i))
				sel[n++] = i;
	}
	if (!n) {
		snprintf(err, errlen, "no field left to print: check --fields");
		n = -EINVAL;
		goto out_free_sel;
	}
	o->cols = calloc(n, sizeof(*o->cols));
	if (!o->cols) {
		n = -ENOMEM;
		goto out_free_sel;
	}
	o->nr_cols = n;
	for (i = 0; i < n; i++)
		col_init(o, &o->cols[i], sel[i]);
	set_headers(o);
	n = 0;
out_free_sel:
	free(sel);
	return n;
}

static int node_add(struct ig_output *o, int parent, const char *name, size_t len, int col)
{
	struct lnode *nd = &o->nodes[o->nr_nodes];
	int *link = &o->nodes[parent].first_child;

	while (*link >= 0)
		link = &o->nodes[*link].next_sibling;
	nd->name = name;
	nd->namelen = len;
	nd->col = col;
	nd->first_child = -1;
	nd->next_sibling = -1;
	*link = (int)o->nr_nodes;
	return (int)o->nr_nodes++;
}

static int node_find(const struct ig_output *o, int parent, const char *name, size_t len)
{
	int i;

	for (i = o->nodes[parent].first_child; i >= 0; i = o->nodes[i].next_sibling)
		if (o->nodes[i].namelen == len && !memcmp(o->nodes[i].name, name, len))
			return i;
	return -1;
}

/* Dotted names -> a tree of objects, siblings in order of first appearance.
 * A name that is both a value and an object ("k8s" and "k8s.pod") cannot
 * be printed as JSON: that is a gadget bug, refused here. */
int layout_build(struct ig_output *o, char *err, size_t errlen)
{
	size_t i, nmax = 1;

	for (i = 0; i < o->nr_cols; i++) {
		const char *p = o->cols[i].f->name;

		for (nmax++; *p; p++)
			nmax += *p == '.';
	}
	o->nodes = calloc(nmax, sizeof(*o->nodes));
	if (!o->nodes)
		return -ENOMEM;
	o->nodes[0] = (struct lnode){ .col = -1, .first_child = -1, .next_sibling = -1 };
	o->nr_nodes = 1;
	for (i = 0; i < o->nr_cols; i++) {
		const char *name = o->cols[i].f->name, *p = name;
		int cur = 0;

		for (;;) {
			const char *dot = strchr(p, '.');
			size_t len = dot ? (size_t)(dot - p) : strlen(p);
			int nd = node_find(o, cur, p, len);

			if (nd >= 0 && (!dot || o->nodes[nd].col >= 0)) {
				snprintf(err, errlen, "field '%s' clashes with field '%s' in "
					 "JSON nesting", name,
					 o->cols[o->nodes[nd].col >= 0 ? o->nodes[nd].col
						 : (int)i].f->name);
				return -EINVAL;
			}
			if (nd < 0)
				nd = node_add(o, cur, p, len, dot ? -1 : (int)i);
			if (!dot)
				break;
			cur = nd;
			p = dot + 1;
		}
	}
	return 0;
}

const char *enum_name(const struct ig_col *c, uint64_t v)
{
	const struct ig_enum_name *e;

	if (v < c->enum_direct_n)
		return c->enum_direct[v];
	if (c->enum_direct || !c->f->enums)
		return NULL;
	for (e = c->f->enums; e->name; e++)
		if (e->value == v)
			return e->name;
	return NULL;
}

static int bitmask_text(struct ig_output *o, const struct ig_col *c, uint64_t v)
{
	const struct ig_enum_name *e;
	uint64_t left = v;
	char num[24];
	int err = 0;

	for (e = c->f->enums; e && e->name && !err; e++) {
		if (e->value ? (v & e->value) != e->value : v != 0)
			continue;
		if (o->tmp.len)
			err = sbuf_put(&o->tmp, "|", 1);
		if (!err)
			err = sbuf_puts(&o->tmp, e->name);
		left &= ~e->value;
		if (!e->value)
			break;
	}
	if (!err && (left || !o->tmp.len)) {
		/* bits without a name, or 0 without a name for it */
		if (o->tmp.len)
			err = sbuf_put(&o->tmp, "|", 1);
		if (!err)
			err = sbuf_put(&o->tmp, num, snprintf(num, sizeof(num), "0x%llx",
							      (unsigned long long)left));
	}
	return err;
}

int value_text(struct ig_output *o, const struct ig_col *c, const struct ig_value *v,
	       const char **s)
{
	char num[TS_LEN + 2];
	const char *name;
	size_t n = 0;
	int err = 0;

	o->tmp.len = 0;
	switch (c->f->type) {
	case IG_FT_STRING:
		*s = v->v.s ? v->v.s : "";
		return !v->v.s ? 0 : v->len ? (int)v->len : (int)strlen(*s);
	case IG_FT_INT:
		n = fmt_i64(num, v->v.i);
		break;
	case IG_FT_BOOL:
		*s = v->v.u ? "true" : "false";
		return (int)strlen(*s);
	case IG_FT_TIMESTAMP:
		ts_format_cached(num, (int64_t)(v->v.u + (uint64_t)o->opts.boot_to_wall_ns),
				 &o->ts_sec, o->ts_cache);
		n = TS_LEN;
		break;
	case IG_FT_ENUM:
		name = enum_name(c, v->v.u);
		if (name) {
			*s = name;
			return (int)strlen(name);
		}
		n = fmt_u64(num, v->v.u);
		break;
	case IG_FT_BITMASK:
		err = bitmask_text(o, c, v->v.u);
		if (err)
			return err;
		*s = o->tmp.s;
		return (int)o->tmp.len;
	default:	/* IG_FT_UINT, and any type from a newer ABI */
		n = fmt_u64(num, v->v.u);
		break;
	}
	err = sbuf_put(&o->tmp, num, n);
	if (err)
		return err;
	*s = o->tmp.s;
	return (int)n;
}
