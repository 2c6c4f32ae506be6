// SPDX-License-Identifier: Apache-2.0
/*
 * ig's command line, run as a subprocess: every usage error is exactly one
 * line on stderr, names what was wrong and lists the valid choices, and
 * exits 2. None of these needs root or BPF: they fail before loading any.
 */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ig/gadget.h>

#include "tests/lib/igtest.h"

static void expect_usage_error(struct igt_result *r, const char *what, const char *const want[])
{
	int i;

	cr_assert_eq(r->status, 2, "%s: status %d, stderr: %s", what, r->status, r->err);
	cr_assert_eq(igt_count(r->err, "\n"), 1, "%s: not one line:\n%s", what, r->err);
	cr_assert_eq(r->out_len, 0, "%s: printed to stdout: %s", what, r->out);
	for (i = 0; want[i]; i++)
		cr_assert(strstr(r->err, want[i]), "%s: '%s' not in: %s", what, want[i], r->err);
	igt_result_free(r);
}

#define EXPECT(what, r, ...) \
	expect_usage_error(r, what, (const char *const[]){ __VA_ARGS__, NULL })

Test(cli, unknown_command)
{
	EXPECT("frob", igt_ig(5000, "frob", NULL), "unknown command 'frob'",
	       "valid: run, list, list-containers, profile, doctor, hook, version, help");
}

Test(cli, run_without_gadget)
{
	EXPECT("run", igt_ig(5000, "run", NULL), "which gadget", "ig list");
}

Test(cli, unknown_gadget_lists_valid_ones)
{
	EXPECT("nope", igt_ig(5000, "run", "nope", NULL), "unknown gadget 'nope'",
	       "valid: ", "trace-exec");
}

Test(cli, unknown_flag_lists_gadget_flags)
{
	EXPECT("--bogus", igt_ig(5000, "run", "trace-exec", "--bogus", NULL),
	       "unknown flag '--bogus' for gadget trace-exec", "gadget flags: --uid");
}

Test(cli, bad_gadget_flag_value)
{
	EXPECT("--uid abc", igt_ig(5000, "run", "trace-exec", "--uid", "abc", NULL),
	       "invalid value 'abc' for --uid");
}

Test(cli, unknown_format_lists_valid_ones)
{
	EXPECT("-o xml", igt_ig(5000, "run", "trace-exec", "-o", "xml", NULL),
	       "unknown output format 'xml'", "table", "json", "jsonpretty", "yaml");
	EXPECT("--output=", igt_ig(5000, "run", "trace-exec", "--output=", NULL),
	       "unknown output format");
}

Test(cli, unknown_field_lists_valid_ones)
{
	EXPECT("--fields", igt_ig(5000, "run", "trace-exec", "--fields", "pid,nope", NULL),
	       "unknown field 'nope'", "pid", "comm", "args", "runtime.containerName");
}

Test(cli, bad_timeout)
{
	EXPECT("-t -3", igt_ig(5000, "run", "trace-exec", "-t", "-3", NULL),
	       "invalid --timeout '-3'");
	EXPECT("-t abc", igt_ig(5000, "run", "trace-exec", "--timeout=abc", NULL),
	       "invalid --timeout 'abc'");
}

Test(cli, missing_values)
{
	EXPECT("-o", igt_ig(5000, "run", "trace-exec", "-o", NULL), "--output needs a value");
	EXPECT("--", igt_ig(5000, "run", "trace-exec", "--", NULL),
	       "'--' must be followed by a command");
	EXPECT("--host=1", igt_ig(5000, "run", "trace-exec", "--host=1", NULL),
	       "--host takes no value");
}

Test(cli, stray_argument)
{
	EXPECT("stray", igt_ig(5000, "run", "trace-exec", "ls", NULL),
	       "unexpected argument 'ls'", "after '--'");
}

Test(cli, command_with_host)
{
	EXPECT("--host --", igt_ig(5000, "run", "trace-exec", "--host", "--", "/bin/true", NULL),
	       "cannot be combined with --host");
}

Test(cli, host_with_containers)
{
	EXPECT("--host -c", igt_ig(5000, "run", "trace-exec", "--host", "-c", "web", NULL),
	       "--host traces everything and -c selects containers");
}

Test(cli, list_bad_args)
{
	EXPECT("list -o yaml", igt_ig(5000, "list", "-o", "yaml", NULL),
	       "unknown output format 'yaml' for ig list (valid: table, json)");
	EXPECT("list --x", igt_ig(5000, "list", "--x", NULL), "unknown argument '--x'");
}

Test(cli, no_arguments_prints_usage)
{
	struct igt_result *r = igt_ig(5000, NULL);

	cr_assert_eq(r->status, 2);
	cr_assert(strstr(r->err, "Usage: ig COMMAND"), "%s", r->err);
	igt_result_free(r);
}

Test(cli, help_and_version)
{
	struct igt_result *r = igt_ig(5000, "help", NULL);
	char abi[64];

	cr_assert_eq(r->status, 0);
	cr_assert(strstr(r->out, "list-containers"), "%s", r->out);
	cr_assert(strstr(r->out, "--ready-file PATH"), "%s", r->out);
	igt_result_free(r);

	r = igt_ig(5000, "version", NULL);
	cr_assert_eq(r->status, 0);
	snprintf(abi, sizeof(abi), "(gadget ABI %d.%d)", IG_GADGET_ABI_MAJOR, IG_GADGET_ABI_MINOR);
	cr_assert(strstr(r->out, abi), "%s", r->out);
	igt_result_free(r);
}

/* `ig run <g> --help` is rendered from the gadget's own tables. */
Test(cli, gadget_help)
{
	struct igt_result *r = igt_ig(5000, "run", "trace-exec", "--help", NULL);

	cr_assert_eq(r->status, 0, "%s", r->err);
	cr_assert(strstr(r->out, "Usage: ig run trace-exec"), "%s", r->out);
	cr_assert(strstr(r->out, "--uid INT"), "parameter table: %s", r->out);
	cr_assert(strstr(r->out, "(default -1)"), "%s", r->out);
	cr_assert(strstr(r->out, "* args"), "visible field: %s", r->out);
	cr_assert(strstr(r->out, "    mntns"), "hidden field: %s", r->out);
	cr_assert(strstr(r->out, "runtime.containerName"), "enrichment: %s", r->out);
	cr_assert(strstr(r->out, "Global flags:"), "%s", r->out);
	igt_result_free(r);

	r = igt_ig(5000, "run", "--help", NULL);
	cr_assert_eq(r->status, 0, "%s", r->err);
	cr_assert(strstr(r->out, "Usage: ig run GADGET"), "%s", r->out);
	igt_result_free(r);
}

/* Without root: one line saying so, before any BPF. Run as nobody when the
 * tests run as root, so this is checked either way. */
/* As root: a copy of ig and trace-exec that nobody can reach, wherever the
 * tree is (a clone in root's 0700 home is not). */
static struct igt_result *run_as_nobody(void)
{
	char dir[64], cmd[PATH_MAX * 2 + 200], ig[96];
	const char *const argv[] = { "setpriv", "--reuid=65534", "--regid=65534",
		"--clear-groups", ig, "run", "trace-exec", "--", "/bin/true", NULL };
	struct igt_result *r;

	igt_tmpdir_new(dir, sizeof(dir), "cli-nobody");
	snprintf(cmd, sizeof(cmd), "chmod 0755 %s && mkdir %s/gadgets && cp %s %s/ && "
		 "cp %s/gadgets/trace-exec.so %s/gadgets/", dir, dir, igt_ig_path(), dir,
		 igt_build_dir(), dir);
	cr_assert_eq(system(cmd), 0, "%s", cmd);
	snprintf(ig, sizeof(ig), "%s/ig", dir);
	r = igt_run(argv, 10000);
	igt_tmpdir_remove(dir);
	return r;
}

Test(cli, not_root)
{
	struct igt_result *r;

	if (geteuid() == 0)
		r = run_as_nobody();
	else
		r = igt_ig(10000, "run", "trace-exec", "--", "/bin/true", NULL);
	cr_assert_eq(r->status, 1, "status %d: %s", r->status, r->err);
	cr_assert_eq(igt_count(r->err, "\n"), 1, "%s", r->err);
	cr_assert(strstr(r->err, "needs root"), "%s", r->err);
	cr_assert(strstr(r->err, "EPERM"), "%s", r->err);
	igt_result_free(r);
}

Test(cli, bad_container_selector)
{
	EXPECT("-c a,,b", igt_ig(5000, "run", "trace-exec", "-c", "a,,b", NULL),
	       "bad container selector 'a,,b'", "-c web,db");
	EXPECT("-c a,", igt_ig(5000, "run", "trace-exec", "--containername", "a,", NULL),
	       "bad container selector 'a,'");
}
