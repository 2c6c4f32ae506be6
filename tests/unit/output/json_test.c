// SPDX-License-Identifier: Apache-2.0
/* JSON and pretty JSON: golden text, nesting, escaping, and every line read
 * back by jansson. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "out_helpers.h"

static const struct ig_value *const both[] = { t_rec1, t_rec2 };

#define REC1_JSON "{\"timestamp\":\"2026-11-29T03:24:42.123456789Z\",\"pid\":1234," \
	"\"comm\":\"cat\",\"syscall\":\"execve\",\"ret\":-2,\"mode\":\"READ|EXEC\"," \
	"\"allowed\":true,\"runtime\":{\"containerName\":\"web\"}," \
	"\"k8s\":{\"namespace\":\"default\",\"podName\":\"web-0\"}}\n"
#define REC2_JSON "{\"timestamp\":\"2026-11-29T03:24:43.123456789Z\",\"pid\":1," \
	"\"comm\":\"a-very-long-command-name\",\"syscall\":\"999\",\"ret\":0," \
	"\"mode\":\"WRITE|0x10\",\"allowed\":false,\"runtime\":{\"containerName\":null}," \
	"\"k8s\":{\"namespace\":null,\"podName\":null}}\n"

Test(json, golden_every_field_hidden_included)
{
	struct ig_output_opts o = t_opts(IG_OUT_JSON, NULL, NULL);
	char *s = t_format(&o, both, 2);

	cr_assert_str_eq(s, REC1_JSON REC2_JSON);
	free(s);
}

Test(json, pretty_golden)
{
	struct ig_output_opts o = t_opts(IG_OUT_JSONPRETTY, NULL, NULL);
	char *s = t_format(&o, both, 1);

	cr_assert_str_eq(s,
		"{\n"
		"  \"timestamp\": \"2026-11-29T03:24:42.123456789Z\",\n"
		"  \"pid\": 1234,\n"
		"  \"comm\": \"cat\",\n"
		"  \"syscall\": \"execve\",\n"
		"  \"ret\": -2,\n"
		"  \"mode\": \"READ|EXEC\",\n"
		"  \"allowed\": true,\n"
		"  \"runtime\": {\n"
		"    \"containerName\": \"web\"\n"
		"  },\n"
		"  \"k8s\": {\n"
		"    \"namespace\": \"default\",\n"
		"    \"podName\": \"web-0\"\n"
		"  }\n"
		"}\n");
	free(s);
}

/* Pretty and compact describe the same values. */
Test(json, pretty_parses_to_same_value)
{
	struct ig_output_opts oc = t_opts(IG_OUT_JSON, NULL, NULL);
	struct ig_output_opts op = t_opts(IG_OUT_JSONPRETTY, NULL, NULL);
	char *c = t_format(&oc, both + 1, 1), *p = t_format(&op, both + 1, 1);
	json_error_t e;
	json_t *jc = json_loads(c, 0, &e), *jp = json_loads(p, 0, &e);

	cr_assert_not_null(jc);
	cr_assert_not_null(jp, "pretty does not parse: %s", e.text);
	cr_assert(json_equal(jc, jp));
	cr_assert(json_is_null(json_object_get(json_object_get(jp, "k8s"), "podName")));
	json_decref(jc);
	json_decref(jp);
	free(c);
	free(p);
}

Test(json, fields_restrict_keys_and_nest_by_first_appearance)
{
	static const struct ig_field f[] = {
		{ .name = "k8s.a", .type = IG_FT_STRING },
		{ .name = "pid", .type = IG_FT_UINT },
		{ .name = "k8s.b.c", .type = IG_FT_INT },
		{ .name = "k8s.d", .type = IG_FT_BOOL },
	};
	struct ig_value r[] = { ig_val_str("x"), ig_val_u64(7), ig_val_i64(INT64_MIN),
				ig_val_bool(false) };
	const struct ig_value *const recs[] = { r };
	struct ig_output_opts o = t_opts(IG_OUT_JSON, NULL, NULL);
	char *s = t_format_fields(f, 4, &o, recs, 1);

	cr_assert_str_eq(s, "{\"k8s\":{\"a\":\"x\",\"b\":{\"c\":-9223372036854775808},"
			    "\"d\":false},\"pid\":7}\n");
	free(s);
	o.fields = "pid,k8s.b.c";
	s = t_format_fields(f, 4, &o, recs, 1);
	cr_assert_str_eq(s, "{\"pid\":7,\"k8s\":{\"b\":{\"c\":-9223372036854775808}}}\n");
	free(s);
	o.fields = "-k8s.a";
	s = t_format_fields(f, 4, &o, recs, 1);
	cr_assert_str_eq(s, "{\"pid\":7,\"k8s\":{\"b\":{\"c\":-9223372036854775808},"
			    "\"d\":false}}\n");
	free(s);
}

Test(json, integers_at_the_limits)
{
	static const struct ig_field f[] = {
		{ .name = "u", .type = IG_FT_UINT },
		{ .name = "i", .type = IG_FT_INT },
		{ .name = "z", .type = IG_FT_UINT },
	};
	struct ig_value r[] = { ig_val_u64(UINT64_MAX), ig_val_i64(INT64_MAX), ig_val_u64(0) };
	const struct ig_value *const recs[] = { r };
	struct ig_output_opts o = t_opts(IG_OUT_JSON, NULL, NULL);
	char *s = t_format_fields(f, 3, &o, recs, 1);

	cr_assert_str_eq(s, "{\"u\":18446744073709551615,\"i\":9223372036854775807,\"z\":0}\n");
	free(s);
}

struct esc_case {
	const char *in;
	size_t len;		/* 0: strlen */
	const char *json;	/* expected literal */
	const char *decoded;	/* what a JSON parser must read back */
	size_t decoded_len;
};

static const struct esc_case esc_cases[] = {
	{ "say \"hi\"\\", 0, "\"say \\\"hi\\\"\\\\\"", "say \"hi\"\\", 0 },
	{ "a\nb\tc\rd\be\ff", 0, "\"a\\nb\\tc\\rd\\be\\ff\"", "a\nb\tc\rd\be\ff", 0 },
	{ "\x01\x1f\x7f", 0, "\"\\u0001\\u001f\\u007f\"", "\x01\x1f\x7f", 0 },
	/* C1 controls (U+0080..U+009F): a terminal may obey them too */
	{ "\xc2\x9b" "1m\xc2\x85", 0, "\"\\u009b1m\\u0085\"", "\xc2\x9b" "1m\xc2\x85", 0 },
	{ "a\0b", 3, "\"a\\u0000b\"", "a\0b", 3 },
	{ "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 0, "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"",
	  "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 0 },
	/* invalid UTF-8: a lone byte, an overlong '/', a surrogate, a cut sequence */
	{ "x\xffy", 0, "\"x\xef\xbf\xbdy\"", "x\xef\xbf\xbdy", 0 },
	{ "\xc0\xaf", 0, "\"\xef\xbf\xbd\xef\xbf\xbd\"", "\xef\xbf\xbd\xef\xbf\xbd", 0 },
	{ "\xed\xa0\x80", 0, "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"",
	  "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", 0 },
	{ "ok\xe2\x82", 0, "\"ok\xef\xbf\xbd\xef\xbf\xbd\"", "ok\xef\xbf\xbd\xef\xbf\xbd", 0 },
	{ "\xf4\x90\x80\x80", 0, "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"",
	  "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", 0 },
	{ "", 0, "\"\"", "", 0 },
};

Test(json, string_escaping_and_invalid_utf8)
{
	static const struct ig_field f[] = { { .name = "s", .type = IG_FT_STRING } };
	struct ig_output_opts o = t_opts(IG_OUT_JSON, NULL, NULL);
	size_t i;

	for (i = 0; i < sizeof(esc_cases) / sizeof(esc_cases[0]); i++) {
		const struct esc_case *ec = &esc_cases[i];
		struct ig_value r[] = { ig_val_strn(ec->in, ec->len) };
		const struct ig_value *const recs[] = { r };
		char *s = t_format_fields(f, 1, &o, recs, 1), want[128];
		size_t dl = ec->decoded_len ? ec->decoded_len : strlen(ec->decoded);
		json_error_t e;
		json_t *j, *v;

		snprintf(want, sizeof(want), "{\"s\":%s}\n", ec->json);
		cr_assert_str_eq(s, want, "case %zu", i);
		j = json_loads(s, JSON_ALLOW_NUL, &e);
		cr_assert_not_null(j, "case %zu does not parse: %s", i, e.text);
		v = json_object_get(j, "s");
		cr_assert_eq(json_string_length(v), dl, "case %zu", i);
		cr_assert_eq(memcmp(json_string_value(v), ec->decoded, dl), 0, "case %zu", i);
		json_decref(j);
		free(s);
	}
}

Test(json, long_string_crosses_buffer_boundaries)
{
	static const struct ig_field f[] = { { .name = "s", .type = IG_FT_STRING } };
	struct ig_output_opts o = t_opts(IG_OUT_JSON, NULL, NULL);
	size_t n = 200000, i;
	char *big = malloc(n + 1), *s;
	json_t *j;

	cr_assert_not_null(big);
	for (i = 0; i < n; i++)
		big[i] = i % 7 == 0 ? '"' : (char)('a' + i % 26);
	big[n] = '\0';
	{
		struct ig_value r[] = { ig_val_str(big) };
		const struct ig_value *const recs[] = { r, r, r };

		s = t_format_fields(f, 1, &o, recs, 3);
	}
	j = json_loads(strchr(s, '\n') + 1, JSON_DISABLE_EOF_CHECK, NULL);
	cr_assert_not_null(j);
	cr_assert_str_eq(json_string_value(json_object_get(j, "s")), big);
	json_decref(j);
	free(s);
	free(big);
}

Test(json, enums_large_values_and_bitmask_zero)
{
	static const struct ig_enum_name big[] = {
		{ 100000, "far" }, { 7, "near" }, { 0, NULL },
	};
	static const struct ig_enum_name flags[] = {
		{ 0, "NONE" }, { 1, "A" }, { 6, "BC" }, { 0, NULL },
	};
	static const struct ig_enum_name nozero[] = { { 1, "A" }, { 0, NULL } };
	static const struct ig_field f[] = {
		{ .name = "e", .type = IG_FT_ENUM, .enums = big },
		{ .name = "e2", .type = IG_FT_ENUM, .enums = big },
		{ .name = "b0", .type = IG_FT_BITMASK, .enums = flags },
		{ .name = "b1", .type = IG_FT_BITMASK, .enums = flags },
		{ .name = "b2", .type = IG_FT_BITMASK, .enums = nozero },
		{ .name = "n", .type = IG_FT_ENUM, .enums = NULL },
	};
	struct ig_value r[] = { ig_val_u64(100000), ig_val_u64(7), ig_val_u64(0), ig_val_u64(7),
				ig_val_u64(0), ig_val_u64(3) };
	const struct ig_value *const recs[] = { r };
	struct ig_output_opts o = t_opts(IG_OUT_JSON, NULL, NULL);
	char *s = t_format_fields(f, 6, &o, recs, 1);

	cr_assert_str_eq(s, "{\"e\":\"far\",\"e2\":\"near\",\"b0\":\"NONE\",\"b1\":\"A|BC\","
			    "\"b2\":\"0x0\",\"n\":\"3\"}\n");
	free(s);
}

Test(json, set_but_null_string_is_empty_not_a_crash)
{
	static const struct ig_field f[] = { { .name = "s", .type = IG_FT_STRING, .width = 3 } };
	struct ig_value r[] = { { .v.s = NULL, .len = 5, .flags = IG_VALUE_SET } };
	const struct ig_value *const recs[] = { r };
	struct ig_output_opts o = t_opts(IG_OUT_JSON, NULL, NULL);
	char *s = t_format_fields(f, 1, &o, recs, 1);

	cr_assert_str_eq(s, "{\"s\":\"\"}\n");
	free(s);
	o.format = IG_OUT_YAML;
	s = t_format_fields(f, 1, &o, recs, 1);
	cr_assert_str_eq(s, "---\ns: ''\n");
	free(s);
	o.format = IG_OUT_TABLE;
	s = t_format_fields(f, 1, &o, recs, 1);
	cr_assert_str_eq(s, "S\n\n");
	free(s);
}
