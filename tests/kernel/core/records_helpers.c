// SPDX-License-Identifier: Apache-2.0
/* Parse ig's output with real parsers: jansson for JSON, libyaml for YAML. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "records_helpers.h"

json_t *records_from_json_lines(const char *text)
{
	json_t *arr = json_array();
	const char *line = text;

	while (line && *line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		json_error_t jerr;
		json_t *o;

		if (len && line[0] == '{') {
			o = json_loadb(line, len, 0, &jerr);
			cr_assert_not_null(o, "bad JSON line (%s): %.*s", jerr.text, (int)len,
					   line);
			/* A lost-events notice is no record (docs/output.md). */
			if (json_object_size(o) == 1 && json_object_get(o, "lost"))
				json_decref(o);
			else
				json_array_append_new(arr, o);
		}
		line = nl ? nl + 1 : NULL;
	}
	return arr;
}

static json_t *node_to_json(yaml_document_t *doc, yaml_node_t *n)
{
	json_t *j;

	switch (n->type) {
	case YAML_SCALAR_NODE: {
		const char *v = (const char *)n->data.scalar.value;

		if (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
		    (!strcmp(v, "null") || !strcmp(v, "~") || !*v))
			return json_null();
		return json_stringn(v, n->data.scalar.length);
	}
	case YAML_SEQUENCE_NODE: {
		yaml_node_item_t *it;

		j = json_array();
		for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++)
			json_array_append_new(j, node_to_json(doc,
						yaml_document_get_node(doc, *it)));
		return j;
	}
	case YAML_MAPPING_NODE: {
		yaml_node_pair_t *p;

		j = json_object();
		for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
			yaml_node_t *k = yaml_document_get_node(doc, p->key);

			cr_assert_eq(k->type, YAML_SCALAR_NODE);
			json_object_set_new(j, (const char *)k->data.scalar.value,
					    node_to_json(doc,
						yaml_document_get_node(doc, p->value)));
		}
		return j;
	}
	default:
		return json_null();
	}
}

json_t *records_from_yaml(const char *text)
{
	json_t *arr = json_array();
	yaml_parser_t parser;

	cr_assert(yaml_parser_initialize(&parser));
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, strlen(text));
	for (;;) {
		yaml_document_t doc;
		yaml_node_t *root;

		cr_assert(yaml_parser_load(&parser, &doc), "invalid YAML (%s) in:\n%s",
			  parser.problem ? parser.problem : "?", text);
		root = yaml_document_get_root_node(&doc);
		if (!root) {
			yaml_document_delete(&doc);
			break;
		}
		json_array_append_new(arr, node_to_json(&doc, root));
		yaml_document_delete(&doc);
	}
	yaml_parser_delete(&parser);
	return arr;
}

long long rec_int(const json_t *rec, const char *key)
{
	const json_t *v = json_object_get(rec, key);

	if (json_is_integer(v))
		return json_integer_value(v);
	if (json_is_string(v))
		return strtoll(json_string_value(v), NULL, 10);
	cr_assert_fail("record has no integer %s", key);
	return -1;
}

const char *rec_str(const json_t *rec, const char *key)
{
	const json_t *v = json_object_get(rec, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

int records_count(const json_t *recs, const char *key, const char *value)
{
	size_t i;
	json_t *r;
	int n = 0;

	json_array_foreach(recs, i, r) {
		const char *s = rec_str(r, key);

		if (s && !strcmp(s, value))
			n++;
	}
	return n;
}
