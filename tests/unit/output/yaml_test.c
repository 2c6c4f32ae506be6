// SPDX-License-Identifier: Apache-2.0
/* YAML: golden text, and every document read back (libyaml here, PyYAML in
 * test_yaml_pyyaml) to the values the JSON formatter prints. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "out_helpers.h"
#include "yaml_helpers.h"

static const struct ig_value *const both[] = { t_rec1, t_rec2 };

Test(yaml, golden_records)
{
	struct ig_output_opts o = t_opts(IG_OUT_YAML, NULL, NULL);
	char *s = t_format(&o, both, 2);

	cr_assert_str_eq(s,
		"---\n"
		"timestamp: '2026-11-29T03:24:42.123456789Z'\n"
		"pid: 1234\n"
		"comm: cat\n"
		"syscall: execve\n"
		"ret: -2\n"
		"mode: READ|EXEC\n"
		"allowed: true\n"
		"runtime:\n"
		"  containerName: web\n"
		"k8s:\n"
		"  namespace: default\n"
		"  podName: web-0\n"
		"---\n"
		"timestamp: '2026-11-29T03:24:43.123456789Z'\n"
		"pid: 1\n"
		"comm: a-very-long-command-name\n"
		"syscall: '999'\n"
		"ret: 0\n"
		"mode: WRITE|0x10\n"
		"allowed: false\n"
		"runtime:\n"
		"  containerName: null\n"
		"k8s:\n"
		"  namespace: null\n"
		"  podName: null\n");
	free(s);
}

Test(yaml, records_read_back_equal_to_json)
{
	struct ig_output_opts oy = t_opts(IG_OUT_YAML, NULL, NULL);
	struct ig_output_opts oj = t_opts(IG_OUT_JSON, NULL, NULL);
	char *y = t_format(&oy, both, 2), *j = t_format(&oj, both, 2);
	json_t *docs = yl_load_all(y), *want = yl_json_lines(j);

	cr_assert(json_equal(docs, want), "yaml: %s\njson: %s", y, j);
	json_decref(docs);
	json_decref(want);
	free(y);
	free(j);
}

struct tricky {
	const char *s;
	size_t len;
};

/* Strings a naive emitter gets wrong. */
static const struct tricky tricky[] = {
	{ "yes", 0 }, { "no", 0 }, { "On", 0 }, { "OFF", 0 }, { "y", 0 }, { "true", 0 },
	{ "False", 0 }, { "null", 0 }, { "NULL", 0 }, { "~", 0 }, { "", 0 }, { "1e3", 0 },
	{ "0x1F", 0 }, { "0o17", 0 }, { "017", 0 }, { "12:30", 0 }, { "1_000", 0 },
	{ ".inf", 0 }, { "-.NaN", 0 }, { "+1", 0 }, { "-", 0 }, { "2026-11-29", 0 },
	{ "2026-11-29T03:24:42Z", 0 }, { "<<", 0 }, { "=", 0 }, { ": ", 0 }, { "a: b", 0 },
	{ "a:b", 0 }, { " leading", 0 }, { "trailing ", 0 }, { "#hash", 0 }, { "a #b", 0 },
	{ "- dash", 0 }, { "? q", 0 }, { "@at", 0 }, { "`tick", 0 }, { "'single", 0 },
	{ "\"double", 0 }, { "it's", 0 }, { "[x]", 0 }, { "{y: 1}", 0 }, { "*alias", 0 },
	{ "&anchor", 0 }, { "!tag", 0 }, { "%pct", 0 }, { "|pipe", 0 }, { ">gt", 0 },
	{ "multi\nline\n", 0 }, { "tab\there", 0 }, { "ctl\x01\x1b[0m", 0 }, { "a\0b", 3 },
	{ "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80 unicode", 0 }, { "nel\xc2\x85x", 0 },
	{ "ls\xe2\x80\xa8x", 0 }, { "\xef\xbb\xbf" "bom", 0 }, { "bad\xff utf8", 0 },
	{ "---", 0 }, { "...", 0 }, { "a\\b", 0 }, { "  ", 0 },
	{ NULL, 0 },
};

static char *format_tricky(enum ig_output_format fmt)
{
	static const struct ig_field f[] = {
		{ .name = "s", .type = IG_FT_STRING },
		{ .name = "yes", .type = IG_FT_STRING },	/* a key that needs quotes too */
	};
	struct ig_output_opts o = t_opts(fmt, NULL, NULL);
	struct ig_value vals[64][2];
	const struct ig_value *recs[64];
	size_t n;

	for (n = 0; tricky[n].s; n++) {
		vals[n][0] = ig_val_strn(tricky[n].s, tricky[n].len);
		vals[n][1] = ig_val_str("v");
		recs[n] = vals[n];
	}
	cr_assert_lt(n, 64);
	return t_format_fields(f, 2, &o, recs, n);
}

Test(yaml, tricky_strings_read_back_as_the_same_strings)
{
	char *y = format_tricky(IG_OUT_YAML), *j = format_tricky(IG_OUT_JSON);
	json_t *docs = yl_load_all(y), *want = yl_json_lines(j);
	size_t i;

	cr_assert_eq(json_array_size(docs), json_array_size(want));
	for (i = 0; i < json_array_size(want); i++) {
		json_t *d = json_array_get(docs, i), *w = json_array_get(want, i);

		cr_assert(json_is_string(json_object_get(d, "s")), "case %zu not a string", i);
		cr_assert(json_equal(d, w), "case %zu: yaml %s json %s", i,
			  json_dumps(d, JSON_ENCODE_ANY), json_dumps(w, JSON_ENCODE_ANY));
	}
	json_decref(docs);
	json_decref(want);
	free(y);
	free(j);
}

/* A second, independent YAML 1.1 reader: PyYAML (python3-yaml in deps.txt). */
Test(yaml, tricky_strings_read_back_by_pyyaml)
{
	char *y = format_tricky(IG_OUT_YAML), *j = format_tricky(IG_OUT_JSON), *py;
	json_t *got, *want = yl_json_lines(j);

	py = yl_pyyaml_to_json_lines(y);
	got = yl_json_lines(py);
	cr_assert(json_equal(got, want), "pyyaml read:\n%s\nexpected:\n%s", py, j);
	json_decref(got);
	json_decref(want);
	free(py);
	free(y);
	free(j);
}

static json_t *sample_doc(void)
{
	json_error_t e;
	json_t *d = json_loads("{\"name\":\"x\",\"list\":[1,\"yes\",{\"c\":null}],\"r\":1.5,"
			       "\"whole\":2.0,\"t\":true,\"empty\":{},\"ea\":[],"
			       "\"nested\":{\"z\":\"1\",\"a\":\"null\"}}",
			       JSON_PRESERVE_ORDER, &e);

	cr_assert_not_null(d, "%s", e.text);
	return d;
}

static char *format_doc(enum ig_output_format fmt, json_t *doc, bool with_record)
{
	struct cap c;
	struct ig_output_opts o;
	struct ig_output *out;
	char err[256];

	cap_open(&c);
	o = t_opts(fmt, &c, "pid");
	out = ig_output__new(t_fields, NR_T_FIELDS, &o, err, sizeof(err));
	cr_assert_not_null(out, "%s", err);
	if (with_record)
		cr_assert_eq(ig_output__record(out, t_rec1), 0);
	cr_assert_eq(ig_output__document(out, doc), 0);
	ig_output__destroy(out);
	return cap_close(&c);
}

#define DOC_YAML "---\n" \
	"name: x\n" \
	"list:\n" \
	"- 1\n" \
	"- 'yes'\n" \
	"- c: null\n" \
	"r: 1.5\n" \
	"whole: 2.0\n" \
	"t: true\n" \
	"empty: {}\n" \
	"ea: []\n" \
	"nested:\n" \
	"  z: '1'\n" \
	"  a: 'null'\n"

Test(documents, every_format)
{
	json_t *doc = sample_doc(), *back;
	char *s;

	s = format_doc(IG_OUT_JSON, doc, false);
	cr_assert_str_eq(s, "{\"name\":\"x\",\"list\":[1,\"yes\",{\"c\":null}],\"r\":1.5,"
			    "\"whole\":2.0,\"t\":true,\"empty\":{},\"ea\":[],"
			    "\"nested\":{\"z\":\"1\",\"a\":\"null\"}}\n");
	free(s);

	s = format_doc(IG_OUT_JSONPRETTY, doc, false);
	cr_assert(strncmp(s, "{\n  \"name\": \"x\",\n  \"list\": [\n    1,\n", 35) == 0, "%s", s);
	back = json_loads(s, 0, NULL);
	cr_assert(json_equal(back, doc));
	json_decref(back);
	free(s);

	s = format_doc(IG_OUT_YAML, doc, false);
	cr_assert_str_eq(s, DOC_YAML);
	back = yl_load_all(s);
	cr_assert(json_equal(json_array_get(back, 0), doc));
	json_decref(back);
	free(s);

	/* a report is not a table: table output prints it as YAML */
	s = format_doc(IG_OUT_TABLE, doc, false);
	cr_assert_str_eq(s, DOC_YAML);
	free(s);
	json_decref(doc);
}

Test(documents, after_records_in_the_same_stream)
{
	json_t *doc = sample_doc();
	char *s;

	s = format_doc(IG_OUT_YAML, doc, true);
	cr_assert_str_eq(s, "---\npid: 1234\n" DOC_YAML);
	free(s);
	s = format_doc(IG_OUT_TABLE, doc, true);
	cr_assert_str_eq(s, "    PID\n   1234\n" DOC_YAML);
	free(s);
	s = format_doc(IG_OUT_JSON, doc, true);
	cr_assert(!strncmp(s, "{\"pid\":1234}\n{\"name\":\"x\",",
			   strlen("{\"pid\":1234}\n{\"name\":\"x\",")), "%s", s);
	free(s);
	json_decref(doc);
}
