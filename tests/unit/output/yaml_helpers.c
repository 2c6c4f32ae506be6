// SPDX-License-Identifier: Apache-2.0
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yaml.h>

#include "yaml_helpers.h"

static json_t *resolve_plain(const char *s, size_t n)
{
	char *end;
	long long ll;
	double d;

	if (!n || !strcmp(s, "null") || !strcmp(s, "~"))
		return json_null();
	if (!strcmp(s, "true"))
		return json_true();
	if (!strcmp(s, "false"))
		return json_false();
	ll = strtoll(s, &end, 10);
	if (end == s + n && strspn(s, "-0123456789") == n)
		return json_integer(ll);
	d = strtod(s, &end);
	if (end == s + n && strchr(s, '.'))
		return json_real(d);
	return json_stringn(s, n);
}

static json_t *node_to_json(yaml_document_t *doc, yaml_node_t *n)
{
	yaml_node_pair_t *p;
	yaml_node_item_t *it;
	json_t *j;

	switch (n->type) {
	case YAML_SCALAR_NODE:
		if (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
			return resolve_plain((char *)n->data.scalar.value, n->data.scalar.length);
		return json_stringn((char *)n->data.scalar.value, n->data.scalar.length);
	case YAML_SEQUENCE_NODE:
		j = json_array();
		for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++)
			json_array_append_new(j, node_to_json(doc, yaml_document_get_node(doc, *it)));
		return j;
	case YAML_MAPPING_NODE:
		j = json_object();
		for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
			yaml_node_t *k = yaml_document_get_node(doc, p->key);

			cr_assert_eq(k->type, YAML_SCALAR_NODE);
			if (k->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
				json_t *kj = resolve_plain((char *)k->data.scalar.value,
							   k->data.scalar.length);

				cr_assert(json_is_string(kj), "plain key '%s' is not a string",
					  k->data.scalar.value);
				json_decref(kj);
			}
			json_object_setn_new(j, (char *)k->data.scalar.value,
					     k->data.scalar.length,
					     node_to_json(doc, yaml_document_get_node(doc,
										     p->value)));
		}
		return j;
	default:
		cr_assert_fail("empty YAML node");
	}
	return NULL;
}

json_t *yl_load_all(const char *text)
{
	yaml_parser_t parser;
	json_t *all = json_array();

	cr_assert(yaml_parser_initialize(&parser));
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, strlen(text));
	for (;;) {
		yaml_document_t doc;
		yaml_node_t *root;

		cr_assert(yaml_parser_load(&parser, &doc), "YAML does not parse: %s at line %zu",
			  parser.problem, parser.problem_mark.line + 1);
		root = yaml_document_get_root_node(&doc);
		if (!root) {
			yaml_document_delete(&doc);
			break;
		}
		json_array_append_new(all, node_to_json(&doc, root));
		yaml_document_delete(&doc);
	}
	yaml_parser_delete(&parser);
	return all;
}

json_t *yl_json_lines(const char *text)
{
	json_t *all = json_array();
	const char *p = text;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		json_error_t e;
		json_t *j = json_loadb(p, n, JSON_ALLOW_NUL | JSON_DECODE_ANY, &e);

		cr_assert_not_null(j, "JSON line does not parse: %s: %.*s", e.text, (int)n, p);
		json_array_append_new(all, j);
		p += n + (nl != NULL);
	}
	return all;
}

char *yl_pyyaml_to_json_lines(const char *yaml)
{
	char path[] = "/tmp/ig-yaml-XXXXXX", cmd[256], *out = NULL;
	size_t len = 0;
	FILE *f, *mem;
	int fd = mkstemp(path), c;

	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, yaml, strlen(yaml)), (ssize_t)strlen(yaml));
	close(fd);
	snprintf(cmd, sizeof(cmd), "python3 -c 'import sys, yaml, json\n"
		 "for d in yaml.safe_load_all(sys.stdin.buffer): print(json.dumps(d))' < %s",
		 path);
	f = popen(cmd, "r");
	cr_assert_not_null(f);
	mem = open_memstream(&out, &len);
	while ((c = fgetc(f)) != EOF)
		fputc(c, mem);
	fclose(mem);
	cr_assert_eq(pclose(f), 0, "python3 yaml.safe_load_all failed on:\n%s", yaml);
	unlink(path);
	return out;
}
