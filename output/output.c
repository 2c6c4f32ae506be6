// SPDX-License-Identifier: Apache-2.0
/*
 * The formatter object: options, field selection, dispatch to the format,
 * and when to write the buffer out.
 *
 * Output is buffered in our own 64 KiB buffer and written out when a record
 * leaves it half full, after every record on a terminal, after every
 * document, and on ig_output__flush() (the core calls it after each batch it
 * drains, so a slow stream is never held back) and destroy.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>

#include <jansson.h>

#include "output_int.h"

static const char *const format_names[] = {
	[IG_OUT_TABLE] = "table",
	[IG_OUT_JSON] = "json",
	[IG_OUT_JSONPRETTY] = "jsonpretty",
	[IG_OUT_YAML] = "yaml",
};
#define NR_FORMATS	(sizeof(format_names) / sizeof(format_names[0]))

int ig_output_format__parse(const char *s, enum ig_output_format *fmt, char *err, size_t errlen)
{
	size_t i;

	for (i = 0; s && i < NR_FORMATS; i++) {
		if (!strcmp(s, format_names[i])) {
			*fmt = (enum ig_output_format)i;
			return 0;
		}
	}
	if (err && errlen)
		snprintf(err, errlen, "unknown output format '%s' (valid: table, json, "
			 "jsonpretty, yaml)", s ? s : "");
	return -EINVAL;
}

static int setup_format(struct ig_output *o, char *err, size_t errlen)
{
	int ret;

	switch (o->opts.format) {
	case IG_OUT_TABLE:
		return table_setup(o);
	case IG_OUT_JSON:
	case IG_OUT_JSONPRETTY:
		ret = layout_build(o, err, errlen);
		return ret ? ret : json_setup(o, o->opts.format == IG_OUT_JSONPRETTY);
	case IG_OUT_YAML:
		return layout_build(o, err, errlen);
	}
	return -EINVAL;
}

struct ig_output *ig_output__new(const struct ig_field *fields, size_t nr_fields,
				 const struct ig_output_opts *opts, char *err, size_t errlen)
{
	char dummy[1];
	struct ig_output *o;
	int ret = -EINVAL;

	if (!err || !errlen) {
		err = dummy;
		errlen = sizeof(dummy);
	}
	err[0] = '\0';
	if ((!fields && nr_fields) || !opts ||
	    opts->sz < offsetof(struct ig_output_opts, boot_to_wall_ns) ||
	    (unsigned int)opts->format >= NR_FORMATS) {
		snprintf(err, errlen, "output: invalid options");
		errno = EINVAL;
		return NULL;
	}
	o = calloc(1, sizeof(*o));
	if (!o) {
		snprintf(err, errlen, "output: out of memory");
		return NULL;
	}
	memcpy(&o->opts, opts, opts->sz < sizeof(o->opts) ? opts->sz : sizeof(o->opts));
	o->opts.sz = sizeof(o->opts);
	if (!o->opts.out)
		o->opts.out = stdout;
	o->fields = fields;
	o->nr_fields = nr_fields;

	ret = obuf_init(&o->ob, &o->opts);
	if (!ret)
		ret = cols_select(o, o->opts.fields, err, errlen);
	if (!ret)
		ret = setup_format(o, err, errlen);
	if (ret)
		goto err_destroy;
	return o;

err_destroy:
	if (ret == -ENOMEM && !err[0])
		snprintf(err, errlen, "output: out of memory");
	ig_output__destroy(o);
	errno = -ret;
	return NULL;
}

int ig_output__record(struct ig_output *o, const struct ig_value *vals)
{
	int err;

	if (!o || !vals)
		return -EINVAL;
	if (o->ob.err)
		return o->ob.err;
	switch (o->opts.format) {
	case IG_OUT_JSON:
	case IG_OUT_JSONPRETTY:
		err = json_record(o, vals);
		break;
	case IG_OUT_YAML:
		err = yaml_record(o, vals);
		break;
	default:
		err = table_record(o, vals);
		break;
	}
	if (!err && (o->opts.tty || o->ob.len >= OBUF_HIGH))
		err = obuf_flush(&o->ob);
	return err ? err : o->ob.err;
}

int ig_output__document(struct ig_output *o, const void *doc)
{
	int err;

	if (!o || !doc)
		return -EINVAL;
	if (o->ob.err)
		return o->ob.err;
	switch (o->opts.format) {
	case IG_OUT_JSON:
		err = json_document(o, doc, false);
		break;
	case IG_OUT_JSONPRETTY:
		err = json_document(o, doc, true);
		break;
	default:	/* yaml, and table: a report is not a table */
		err = yaml_document(o, doc);
		break;
	}
	if (!err)
		err = obuf_flush(&o->ob);
	return err;
}

int ig_output__lost(struct ig_output *o, uint64_t events, uint64_t records)
{
	json_t *doc;
	char line[160];
	int n, err;

	if (!o)
		return -EINVAL;
	if (o->ob.err)
		return o->ob.err;
	if (o->opts.format == IG_OUT_TABLE) {
		n = snprintf(line, sizeof(line), "LOST: %llu events (kernel buffers full), %llu "
			     "records (output reader too slow); results are incomplete\n",
			     (unsigned long long)events, (unsigned long long)records);
		obuf_put(&o->ob, line, (size_t)n);
		return obuf_flush(&o->ob);
	}
	doc = json_pack("{s:{s:I,s:I}}", "lost", "events", (json_int_t)events, "records",
			(json_int_t)records);
	if (!doc)
		return -ENOMEM;
	err = ig_output__document(o, doc);
	json_decref(doc);
	return err;
}

int ig_output__flush(struct ig_output *o)
{
	if (!o)
		return -EINVAL;
	return obuf_flush(&o->ob);
}

void ig_output__destroy(struct ig_output *o)
{
	size_t i;

	if (!o)
		return;
	yaml_cleanup(o);
	if (o->ob.buf)
		obuf_flush(&o->ob);
	obuf_fini(&o->ob);
	json_cleanup(o);
	for (i = 0; i < o->nr_cols; i++)
		free(o->cols[i].enum_direct);
	free(o->cols);
	free(o->nodes);
	free(o->tmp.s);
	free(o->cell.s);
	free(o);
}
