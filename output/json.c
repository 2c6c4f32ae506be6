// SPDX-License-Identifier: Apache-2.0
/*
 * JSON and pretty JSON. Records are written by hand, never through jansson:
 * every field is always printed (null when unset), so the text between two
 * values depends only on the field layout and is precompiled once into
 * "slots" (closing braces, comma, indentation, opening braces, key). A record
 * is then: for each slot, one memcpy and one value.
 *
 * Documents (advisor reports) are jansson values and go through jansson's
 * encoder.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "output_int.h"

static int put_indent(struct sbuf *sb, bool pretty, int depth)
{
	int err = 0;

	if (!pretty)
		return 0;
	err = sbuf_put(sb, "\n", 1);
	while (!err && depth-- > 0)
		err = sbuf_put(sb, "  ", 2);
	return err;
}

/* A field-name component as a JSON key (names are identifiers in practice,
 * but a gadget could declare anything). */
static int put_key(struct sbuf *sb, const char *s, size_t n, bool pretty)
{
	char esc[8];
	size_t i;
	int err = sbuf_put(sb, "\"", 1);

	for (i = 0; i < n && !err; i++) {
		unsigned char c = s[i];

		if (c < 0x20 || c == '"' || c == '\\') {
			snprintf(esc, sizeof(esc), c < 0x20 ? "\\u%04x" : "\\%c", c);
			err = sbuf_puts(sb, esc);
		} else {
			err = sbuf_put(sb, &s[i], 1);
		}
	}
	return err ? err : sbuf_puts(sb, pretty ? "\": " : "\":");
}

static int add_slot(struct ig_output *o, struct sbuf *pend, int col)
{
	struct jslot *sl = &o->slots[o->nr_slots];

	sl->pre = malloc(pend->len + 1);
	if (!sl->pre)
		return -ENOMEM;
	memcpy(sl->pre, pend->s, pend->len + 1);
	sl->prelen = pend->len;
	sl->col = col;
	o->nr_slots++;
	pend->len = 0;
	return 0;
}

static int compile(struct ig_output *o, struct sbuf *pend, int node, int depth, bool pretty)
{
	int ch, err = 0;

	for (ch = o->nodes[node].first_child; ch >= 0 && !err; ch = o->nodes[ch].next_sibling) {
		const struct lnode *nd = &o->nodes[ch];

		if (ch != o->nodes[node].first_child)
			err = sbuf_put(pend, ",", 1);
		if (!err)
			err = put_indent(pend, pretty, depth + 1);
		if (!err)
			err = put_key(pend, nd->name, nd->namelen, pretty);
		if (err)
			break;
		if (nd->col >= 0) {
			err = add_slot(o, pend, nd->col);
			continue;
		}
		err = sbuf_put(pend, "{", 1);
		if (!err)
			err = compile(o, pend, ch, depth + 1, pretty);
		if (!err)
			err = put_indent(pend, pretty, depth + 1);
		if (!err)
			err = sbuf_put(pend, "}", 1);
	}
	return err;
}

int json_setup(struct ig_output *o, bool pretty)
{
	struct sbuf pend = { 0 };
	int err;

	o->slots = calloc(o->nr_cols, sizeof(*o->slots));
	if (!o->slots)
		return -ENOMEM;
	err = sbuf_put(&pend, "{", 1);
	if (!err)
		err = compile(o, &pend, 0, 0, pretty);
	if (!err)
		err = put_indent(&pend, pretty, 0);
	if (!err)
		err = sbuf_put(&pend, "}\n", 2);
	if (!err) {
		o->jtail = pend.s;
		o->jtaillen = pend.len;
		pend.s = NULL;
	}
	free(pend.s);
	return err;
}

void json_cleanup(struct ig_output *o)
{
	size_t i;

	for (i = 0; i < o->nr_slots; i++)
		free(o->slots[i].pre);
	free(o->slots);
	free(o->jtail);
}

static void json_enum(struct obuf *b, const struct ig_col *c, uint64_t u)
{
	const char *name = enum_name(c, u);
	char *p;

	if (name) {
		json_put_str(b, name, strlen(name));
		return;
	}
	/* no name: still a string, so the key keeps one JSON type */
	p = obuf_room(b, 24);
	p[0] = '"';
	p += 1 + fmt_u64(p + 1, u);
	*p++ = '"';
	b->len = p - b->buf;
}

static inline void json_value(struct ig_output *o, const struct ig_col *c,
			      const struct ig_value *v)
{
	struct obuf *b = &o->ob;
	const char *s;
	char *p;
	int n;

	if (!(v->flags & IG_VALUE_SET)) {
		obuf_put(b, "null", 4);
		return;
	}
	switch (c->f->type) {
	case IG_FT_STRING:
		if (!v->v.s)	/* set but NULL: a gadget bug, never a crash */
			obuf_put(b, "\"\"", 2);
		else
			json_put_str(b, v->v.s, v->len ? v->len : strlen(v->v.s));
		return;
	case IG_FT_INT:
		p = obuf_room(b, 24);
		b->len += fmt_i64(p, v->v.i);
		return;
	case IG_FT_UINT:
		p = obuf_room(b, 24);
		b->len += fmt_u64(p, v->v.u);
		return;
	case IG_FT_BOOL:
		if (v->v.u)
			obuf_put(b, "true", 4);
		else
			obuf_put(b, "false", 5);
		return;
	case IG_FT_TIMESTAMP:
		p = obuf_room(b, TS_LEN + 2);
		p[0] = '"';
		ts_format_cached(p + 1, (int64_t)(v->v.u + (uint64_t)o->opts.boot_to_wall_ns),
				 &o->ts_sec, o->ts_cache);
		p[TS_LEN + 1] = '"';
		b->len += TS_LEN + 2;
		return;
	case IG_FT_ENUM:
		json_enum(b, c, v->v.u);
		return;
	default:	/* bitmask, or a type from a newer ABI: as text */
		n = value_text(o, c, v, &s);
		if (n < 0)
			obuf_put(b, "null", 4);
		else
			json_put_str(b, s, n);
		return;
	}
}

int json_record(struct ig_output *o, const struct ig_value *vals)
{
	size_t i;

	for (i = 0; i < o->nr_slots; i++) {
		const struct jslot *sl = &o->slots[i];
		const struct ig_col *c = &o->cols[sl->col];

		obuf_put(&o->ob, sl->pre, sl->prelen);
		json_value(o, c, &vals[c->idx]);
	}
	obuf_put(&o->ob, o->jtail, o->jtaillen);
	return o->ob.err;
}

/* jansson escapes C0 controls but writes DEL and the C1 controls as they
 * are; a terminal may obey those. They only occur inside strings, and
 * jansson hands a string's characters over whole, never a split sequence. */
static int dump_cb(const char *buf, size_t size, void *data)
{
	const unsigned char *s = (const unsigned char *)buf;
	size_t i, start = 0;
	char esc[7];

	for (i = 0; i < size; i++) {
		bool c1 = i + 1 < size && utf8_is_c1(s + i, 2);

		if (s[i] != 0x7f && !c1)
			continue;
		obuf_put(data, buf + start, i - start);
		snprintf(esc, sizeof(esc), "\\u%04x", c1 ? s[i + 1] : 0x7f);
		obuf_put(data, esc, 6);
		i += c1;
		start = i + 1;
	}
	obuf_put(data, buf + start, size - start);
	return 0;
}

int json_document(struct ig_output *o, const void *doc, bool pretty)
{
	size_t flags = JSON_PRESERVE_ORDER | JSON_ENCODE_ANY |
		       (pretty ? JSON_INDENT(2) : JSON_COMPACT);

	if (json_dump_callback(doc, dump_cb, &o->ob, flags))
		return o->ob.err ? o->ob.err : -EINVAL;
	obuf_putc(&o->ob, '\n');
	return o->ob.err;
}
