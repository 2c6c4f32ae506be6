// SPDX-License-Identifier: Apache-2.0
/*
 * YAML output through libyaml's emitter: one document per record or report,
 * each starting with "---". libyaml picks a scalar style that is
 * syntactically safe (leading spaces, ": ", "#", control characters, ...);
 * what it does not know is that a YAML 1.1 reader turns plain `yes`, `null`,
 * `1e3` or `12:30` into a bool, a null or a number, so strings that could
 * read back as anything but a string are forced into quotes here.
 */
#include <errno.h>
#include <stdlib.h>
#include <strings.h>

#include <jansson.h>
#include <yaml.h>

#include "output_int.h"

bool yaml_plain_is_special(const char *s, size_t n)
{
	/* YAML 1.1 and 1.2 null and bool words (any case, to be safe) */
	static const char *const words[] = {
		"null", "true", "false", "yes", "no", "on", "off", "y", "n",
	};
	size_t i;

	if (!n)
		return true;	/* empty plain is null */
	/* numbers, .inf/.nan, timestamps, sexagesimals, ~, merge "<<", "=" */
	if (strchr("0123456789+-.~<=", s[0]))
		return true;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strlen(words[i]) == n && !strncasecmp(words[i], s, n))
			return true;
	return false;
}

static int write_handler(void *data, unsigned char *buf, size_t size)
{
	struct obuf *b = data;

	obuf_put(b, buf, size);
	return !b->err;
}

static int emit(struct ig_output *o, yaml_event_t *ev)
{
	if (yaml_emitter_emit(o->ye, ev))
		return 0;
	return o->ob.err ? o->ob.err : -EIO;
}

static int ye_begin(struct ig_output *o)
{
	yaml_event_t ev;

	if (!o->ye) {
		o->ye = calloc(1, sizeof(*o->ye));
		if (!o->ye)
			return -ENOMEM;
		if (!yaml_emitter_initialize(o->ye)) {
			free(o->ye);
			o->ye = NULL;
			return -ENOMEM;
		}
		yaml_emitter_set_output(o->ye, write_handler, &o->ob);
		yaml_emitter_set_unicode(o->ye, 1);
		yaml_emitter_set_indent(o->ye, 2);
		yaml_emitter_set_width(o->ye, -1);	/* never fold long lines */
	}
	if (o->ye_started)
		return 0;
	o->ye_started = true;
	yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
	return emit(o, &ev);
}

static int doc_start(struct ig_output *o)
{
	yaml_event_t ev;
	int err = ye_begin(o);

	if (err)
		return err;
	yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 0);
	return emit(o, &ev);
}

static int doc_end(struct ig_output *o)
{
	yaml_event_t ev;

	yaml_document_end_event_initialize(&ev, 1);
	return emit(o, &ev);
}

static int collection(struct ig_output *o, bool mapping, bool start)
{
	yaml_event_t ev;

	if (mapping && start)
		yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE);
	else if (mapping)
		yaml_mapping_end_event_initialize(&ev);
	else if (start)
		yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
						     YAML_BLOCK_SEQUENCE_STYLE);
	else
		yaml_sequence_end_event_initialize(&ev);
	return emit(o, &ev);
}

/* A non-string scalar (null, number, bool): plain. */
static int scalar_plain(struct ig_output *o, const char *s, size_t n)
{
	yaml_event_t ev;

	if (!yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, (int)n, 1, 0,
					  YAML_PLAIN_SCALAR_STYLE))
		return -ENOMEM;
	return emit(o, &ev);
}

/* A string: valid UTF-8 first (libyaml refuses anything else), then quoted
 * when plain would read back as another type. */
static int scalar_str(struct ig_output *o, const char *s, size_t n)
{
	struct sbuf *sb = &o->cell;
	yaml_event_t ev;
	int err = sbuf_set_utf8(sb, s, n, 0);

	if (err)
		return err;
	if (!yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)sb->s, (int)sb->len,
					  !yaml_plain_is_special(sb->s, sb->len), 1,
					  YAML_ANY_SCALAR_STYLE))
		return -ENOMEM;
	return emit(o, &ev);
}

static int record_value(struct ig_output *o, const struct ig_col *c, const struct ig_value *v)
{
	const char *s;
	int n;

	if (!(v->flags & IG_VALUE_SET))
		return scalar_plain(o, "null", 4);
	n = value_text(o, c, v, &s);
	if (n < 0)
		return n;
	switch (c->f->type) {
	case IG_FT_INT:
	case IG_FT_UINT:
	case IG_FT_BOOL:
		return scalar_plain(o, s, n);
	default:	/* an enum without a name for its value stays a string too */
		return scalar_str(o, s, n);
	}
}

static int record_map(struct ig_output *o, int node, const struct ig_value *vals)
{
	int ch, err = collection(o, true, true);

	for (ch = o->nodes[node].first_child; ch >= 0 && !err; ch = o->nodes[ch].next_sibling) {
		const struct lnode *nd = &o->nodes[ch];

		err = scalar_str(o, nd->name, nd->namelen);
		if (err)
			break;
		if (nd->col >= 0)
			err = record_value(o, &o->cols[nd->col], &vals[o->cols[nd->col].idx]);
		else
			err = record_map(o, ch, vals);
	}
	return err ? err : collection(o, true, false);
}

int yaml_record(struct ig_output *o, const struct ig_value *vals)
{
	int err = doc_start(o);

	if (!err)
		err = record_map(o, 0, vals);
	if (!err)
		err = doc_end(o);
	return err;
}

static int json_node(struct ig_output *o, const json_t *j)
{
	char num[40];
	const char *key;
	json_t *v;
	size_t i;
	int err = 0, n;

	switch (json_typeof(j)) {
	case JSON_OBJECT:
		err = collection(o, true, true);
		json_object_foreach((json_t *)j, key, v) {
			if (!err)
				err = scalar_str(o, key, strlen(key));
			if (!err)
				err = json_node(o, v);
		}
		return err ? err : collection(o, true, false);
	case JSON_ARRAY:
		err = collection(o, false, true);
		json_array_foreach(j, i, v)
			if (!err)
				err = json_node(o, v);
		return err ? err : collection(o, false, false);
	case JSON_STRING:
		return scalar_str(o, json_string_value(j), json_string_length(j));
	case JSON_INTEGER:
		n = snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(j));
		return scalar_plain(o, num, n);
	case JSON_REAL:
		n = snprintf(num, sizeof(num), "%.17g", json_real_value(j));
		if (!strpbrk(num, ".eEin"))	/* keep it a float when read back */
			n += snprintf(num + n, sizeof(num) - n, ".0");
		return scalar_plain(o, num, n);
	case JSON_TRUE:
		return scalar_plain(o, "true", 4);
	case JSON_FALSE:
		return scalar_plain(o, "false", 5);
	default:
		return scalar_plain(o, "null", 4);
	}
}

int yaml_document(struct ig_output *o, const void *doc)
{
	int err = doc_start(o);

	if (!err)
		err = json_node(o, doc);
	if (!err)
		err = doc_end(o);
	return err;
}

void yaml_cleanup(struct ig_output *o)
{
	yaml_event_t ev;

	if (!o->ye)
		return;
	if (o->ye_started && !o->ob.err) {
		yaml_stream_end_event_initialize(&ev);
		emit(o, &ev);
	}
	yaml_emitter_delete(o->ye);
	free(o->ye);
	o->ye = NULL;
}
