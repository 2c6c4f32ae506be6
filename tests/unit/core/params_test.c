// SPDX-License-Identifier: Apache-2.0
/* Gadget flag parsing and validation against a parameter table. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/engine/params.h"

static const struct ig_param tab[] = {
	{ .name = "count", .type = IG_PT_UINT, .def = "3", .help = "how many" },
	{ .name = "delta", .type = IG_PT_INT, .help = "signed, unset by default" },
	{ .name = "mode", .type = IG_PT_ENUM, .def = "fast", .choices = "fast|slow|auto",
	  .short_name = 'm', .help = "speed" },
	{ .name = "loud", .type = IG_PT_BOOL, .def = "false", .help = "shout" },
	{ .name = "out", .type = IG_PT_PATH, .help = "where to write" },
};

static struct ig_params *p;
static char err[256];

static void setup(void)
{
	p = ig_params__new(tab, IG_ARRAY_SIZE(tab), err, sizeof(err));
	cr_assert_not_null(p, "%s", err);
	err[0] = '\0';
}

static void teardown(void)
{
	ig_params__destroy(p);
}

TestSuite(params, .init = setup, .fini = teardown);

/* Parse one argv; returns parse_arg's value and how far it advanced. */
static int parse(const char *const *args, int *consumed)
{
	int argc = 0, i = 0, ret;

	while (args[argc])
		argc++;
	ret = ig_params__parse_arg(p, argc, (char **)args, &i, err, sizeof(err));
	*consumed = i;
	return ret;
}

Test(params, defaults)
{
	const struct ig_param_value *v = ig_params__get(p, "count");

	cr_assert_eq(v->u, 3);
	cr_assert_not(v->set);
	cr_assert_str_eq(v->str, "3");
	v = ig_params__get(p, "delta");
	cr_assert_null(v->str, "no default means unset");
	cr_assert_not(v->set);
	cr_assert_str_eq(ig_params__get(p, "mode")->str, "fast");
	cr_assert_eq(ig_params__get(p, "loud")->u, 0);
	errno = 0;
	cr_assert_null(ig_params__get(p, "nope"));
	cr_assert_eq(errno, ENOENT);
}

struct ok_case {
	const char *args[4];
	const char *name;
	int consumed;
	int64_t i;		/* expected numeric value (u or i) */
	const char *str;
};

static const struct ok_case ok_cases[] = {
	{ { "--count=5" }, "count", 1, 5, "5" },
	{ { "--count", "7" }, "count", 2, 7, "7" },
	{ { "--count", "0x10" }, "count", 2, 16, "0x10" },
	{ { "--delta=-5" }, "delta", 1, -5, "-5" },
	{ { "--delta", "-0x20" }, "delta", 2, -32, "-0x20" },
	{ { "-m", "slow" }, "mode", 2, 0, "slow" },
	{ { "-mauto" }, "mode", 1, 0, "auto" },
	{ { "--mode=fast" }, "mode", 1, 0, "fast" },
	{ { "--loud" }, "loud", 1, 1, "true" },
	{ { "--loud", "next" }, "loud", 1, 1, "true" },
	{ { "--loud=false" }, "loud", 1, 0, "false" },
	{ { "--loud=yes" }, "loud", 1, 1, "yes" },
	{ { "--out", "/tmp/x y" }, "out", 2, 0, "/tmp/x y" },
};

/* Criterion runs each test in a fresh exec of this binary, so parameters
 * holding pointers to static strings would be stale there (ASLR): table
 * cases are looped over inside one test instead, and each message names
 * its case. */
static void check_ok(const struct ok_case *c)
{
	const struct ig_param_value *v;
	int used, ret = parse(c->args, &used);

	cr_assert_eq(ret, 1, "%s: ret %d (%s)", c->args[0], ret, err);
	cr_assert_eq(used, c->consumed, "%s consumed %d", c->args[0], used);
	v = ig_params__get(p, c->name);
	cr_assert(v->set);
	cr_assert_str_eq(v->str, c->str);
	if (!strcmp(c->name, "delta"))
		cr_assert_eq(v->i, c->i);
	else if (strcmp(c->name, "mode") && strcmp(c->name, "out"))
		cr_assert_eq((int64_t)v->u, c->i, "%s: %llu", c->args[0],
			     (unsigned long long)v->u);
}

struct bad_case {
	const char *args[3];
	const char *msg;	/* must appear in the error */
};

static const struct bad_case bad_cases[] = {
	{ { "--count=-1" }, "invalid value '-1' for --count (expected an unsigned integer)" },
	{ { "--count", "12abc" }, "invalid value '12abc' for --count" },
	{ { "--count=" }, "invalid value '' for --count" },
	{ { "--count" }, "--count needs a value (UINT)" },
	{ { "--count", "99999999999999999999" }, "out of range" },
	{ { "--delta", "1.5" }, "expected an integer" },
	{ { "--mode", "medium" }, "invalid value 'medium' for --mode (valid: fast|slow|auto)" },
	{ { "-m", "fas" }, "(valid: fast|slow|auto)" },
	{ { "--loud=maybe" }, "invalid value 'maybe' for --loud (valid: true, false)" },
	{ { "--out" }, "--out needs a value (FILE)" },
};

Test(params, accepts)
{
	size_t i;

	for (i = 0; i < IG_ARRAY_SIZE(ok_cases); i++) {
		teardown();
		setup();
		check_ok(&ok_cases[i]);
	}
}

static void check_bad(const struct bad_case *c)
{
	int used, ret = parse(c->args, &used);

	cr_assert_eq(ret, -EINVAL, "%s accepted", c->args[0]);
	cr_assert(strstr(err, c->msg), "error '%s' lacks '%s'", err, c->msg);
	cr_assert_eq(used, 0, "nothing consumed on error");
	cr_assert_not(strchr(err, '\n'), "one line");
}

Test(params, rejects)
{
	size_t i;

	for (i = 0; i < IG_ARRAY_SIZE(bad_cases); i++)
		check_bad(&bad_cases[i]);
}

Test(params, not_a_gadget_flag)
{
	const char *const a1[] = { "--output", "json", NULL };
	const char *const a2[] = { "positional", NULL };
	const char *const a3[] = { "-x", NULL };
	int used;

	cr_assert_eq(parse(a1, &used), 0);
	cr_assert_eq(parse(a2, &used), 0);
	cr_assert_eq(parse(a3, &used), 0);
	cr_assert_eq(used, 0);
}

Test(params, set_by_name)
{
	cr_assert_eq(ig_params__set(p, "count", "9", err, sizeof(err)), 0);
	cr_assert_eq(ig_params__get(p, "count")->u, 9);
	cr_assert_eq(ig_params__set(p, "nope", "1", err, sizeof(err)), -ENOENT);
	cr_assert(strstr(err, "unknown gadget flag --nope"), "%s", err);
}

Test(params, bad_default_in_table)
{
	static const struct ig_param broken[] = {
		{ .name = "n", .type = IG_PT_UINT, .def = "many" },
	};
	struct ig_params *q = ig_params__new(broken, 1, err, sizeof(err));

	cr_assert_null(q);
	cr_assert_eq(errno, EINVAL);
	cr_assert(strstr(err, "'many'"), "%s", err);
}

Test(params, names_and_help)
{
	char names[256], *buf = NULL;
	size_t len = 0;
	FILE *f;

	ig_params__names(tab, IG_ARRAY_SIZE(tab), names, sizeof(names));
	cr_assert_str_eq(names, "--count, --delta, -m/--mode, --loud, --out");
	ig_params__names(tab, 0, names, sizeof(names));
	cr_assert_str_eq(names, "none");

	f = open_memstream(&buf, &len);
	ig_params__help(tab, IG_ARRAY_SIZE(tab), f);
	fclose(f);
	cr_assert(strstr(buf, "--count UINT"), "%s", buf);
	cr_assert(strstr(buf, "how many (default 3)"), "%s", buf);
	cr_assert(strstr(buf, "-m, --mode fast|slow|auto"), "%s", buf);
	cr_assert(strstr(buf, "--out FILE"), "%s", buf);
	cr_assert(strstr(buf, "--loud "), "%s", buf);
	cr_assert_not(strstr(buf, "shout (default"), "false booleans show no default: %s", buf);
	free(buf);
}
