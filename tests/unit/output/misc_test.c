// SPDX-License-Identifier: Apache-2.0
/* Format names, --fields errors, timestamps, write errors. */
#include <criterion/criterion.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "out_helpers.h"

Test(format, parse_names_and_error)
{
	static const char *const names[] = { "table", "json", "jsonpretty", "yaml" };
	enum ig_output_format f;
	char err[128] = "";
	int i;

	for (i = 0; i < 4; i++) {
		cr_assert_eq(ig_output_format__parse(names[i], &f, err, sizeof(err)), 0);
		cr_assert_eq(f, (enum ig_output_format)i);
	}
	cr_assert_eq(ig_output_format__parse("xml", &f, err, sizeof(err)), -EINVAL);
	cr_assert_str_eq(err, "unknown output format 'xml' (valid: table, json, jsonpretty, yaml)");
	cr_assert_eq(ig_output_format__parse("JSON", &f, err, sizeof(err)), -EINVAL);
}

static void expect_fields_error(enum ig_output_format fmt, const char *fields, const char *msg)
{
	struct ig_output_opts o = t_opts(fmt, NULL, fields);
	char err[512] = "";
	struct ig_output *out;

	errno = 0;
	out = ig_output__new(t_fields, NR_T_FIELDS, &o, err, sizeof(err));
	cr_assert_null(out, "--fields '%s' accepted", fields);
	cr_assert_eq(errno, EINVAL);
	cr_assert_str_eq(err, msg);
}

#define VALID "(valid: timestamp, pid, comm, syscall, ret, mode, allowed, " \
	"runtime.containerName, k8s.namespace, k8s.podName)"

Test(fields, unknown_field_lists_valid_ones)
{
	expect_fields_error(IG_OUT_TABLE, "pid,bogus", "unknown field 'bogus' " VALID);
	expect_fields_error(IG_OUT_JSON, "+bogus", "unknown field 'bogus' " VALID);
	expect_fields_error(IG_OUT_YAML, "-nope", "unknown field 'nope' " VALID);
}

Test(fields, malformed_lists)
{
	expect_fields_error(IG_OUT_TABLE, "pid,,comm", "empty field name in --fields 'pid,,comm'");
	expect_fields_error(IG_OUT_TABLE, "pid,+comm",
			    "--fields 'pid,+comm': either list the fields to show (a,b) or edit "
			    "the default set (+x,-y), not both");
	expect_fields_error(IG_OUT_TABLE, "-pid,-comm,-syscall,-ret,-mode,-allowed,"
			    "-containerName", "no field left to print: check --fields");
}

Test(fields, short_names_and_case)
{
	struct ig_output_opts o = t_opts(IG_OUT_JSON, NULL, " PID , containername ");
	const struct ig_value *const recs[] = { t_rec1 };
	char *s = t_format(&o, recs, 1);

	cr_assert_str_eq(s, "{\"pid\":1234,\"runtime\":{\"containerName\":\"web\"}}\n");
	free(s);
}

Test(fields, ambiguous_short_name_is_refused)
{
	static const struct ig_field f[] = {
		{ .name = "src.port", .type = IG_FT_UINT },
		{ .name = "dst.port", .type = IG_FT_UINT },
	};
	struct ig_output_opts o = t_opts(IG_OUT_TABLE, NULL, "port");
	char err[256];

	cr_assert_null(ig_output__new(f, 2, &o, err, sizeof(err)));
	cr_assert_eq(errno, EINVAL);
	cr_assert_str_eq(err, "ambiguous field 'port': say 'src.port' or 'dst.port'");
}

Test(fields, nesting_clash_refused_for_json_only)
{
	static const struct ig_field f[] = {
		{ .name = "k8s", .type = IG_FT_STRING },
		{ .name = "k8s.pod", .type = IG_FT_STRING },
	};
	struct ig_output_opts o = t_opts(IG_OUT_JSON, NULL, NULL);
	struct ig_output *out;
	char err[256];

	cr_assert_null(ig_output__new(f, 2, &o, err, sizeof(err)));
	cr_assert_eq(errno, EINVAL);
	cr_assert_str_eq(err, "field 'k8s.pod' clashes with field 'k8s' in JSON nesting");
	o.format = IG_OUT_TABLE;
	out = ig_output__new(f, 2, &o, err, sizeof(err));
	cr_assert_not_null(out);
	ig_output__destroy(out);
}

Test(output, bad_arguments)
{
	struct ig_output_opts o = t_opts(IG_OUT_TABLE, NULL, NULL);
	char err[128];

	cr_assert_null(ig_output__new(t_fields, NR_T_FIELDS, NULL, err, sizeof(err)));
	cr_assert_eq(errno, EINVAL);
	o.format = 42;
	cr_assert_null(ig_output__new(t_fields, NR_T_FIELDS, &o, err, sizeof(err)));
	cr_assert_eq(errno, EINVAL);
	cr_assert_eq(ig_output__record(NULL, t_rec1), -EINVAL);
	cr_assert_eq(ig_output__flush(NULL), -EINVAL);
	ig_output__destroy(NULL);
}

Test(timestamp, known_values)
{
	char buf[40];

	cr_assert_eq(ig_format_timestamp(buf, sizeof(buf), T_TS1, T_BOOT_TO_WALL), 0);
	cr_assert_str_eq(buf, "2026-11-29T03:24:42.123456789Z");
	cr_assert_eq(ig_format_timestamp(buf, sizeof(buf), 0, 0), 0);
	cr_assert_str_eq(buf, "1970-01-01T00:00:00.000000000Z");
	/* a leap day, one ns before midnight */
	cr_assert_eq(ig_format_timestamp(buf, sizeof(buf), 999999999,
					 951868799LL * 1000000000LL), 0);
	cr_assert_str_eq(buf, "2000-02-29T23:59:59.999999999Z");
	/* before the epoch: floor, not truncation, of the seconds */
	cr_assert_eq(ig_format_timestamp(buf, sizeof(buf), 0, -1), 0);
	cr_assert_str_eq(buf, "1969-12-31T23:59:59.999999999Z");
	cr_assert_eq(ig_format_timestamp(buf, 30, 0, 0), -EINVAL);
}

/* Against the C library over many seconds, including across year ends. */
Test(timestamp, agrees_with_gmtime)
{
	unsigned int seed = 12345;
	int i;

	for (i = 0; i < 20000; i++) {
		int64_t sec = (int64_t)(rand_r(&seed) % 4000000) * 1009 + (i % 7) * 86399;
		int64_t ns = rand_r(&seed) % 1000000000;
		time_t t = (time_t)sec;
		struct tm tm;
		char want[64], got[40];

		gmtime_r(&t, &tm);
		snprintf(want, sizeof(want), "%04d-%02d-%02dT%02d:%02d:%02d.%09lldZ",
			 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
			 tm.tm_sec, (long long)ns);
		cr_assert_eq(ig_format_timestamp(got, sizeof(got), (uint64_t)ns,
						 sec * 1000000000LL), 0);
		cr_assert_str_eq(got, want);
	}
}

/* The reader went away: -EPIPE, every time after, and no SIGPIPE death. */
Test(output, epipe_is_reported)
{
	struct ig_output_opts o = t_opts(IG_OUT_JSON, NULL, NULL);
	struct ig_output *out;
	char err[128];
	int fds[2], i, ret = 0;
	FILE *f;

	cr_assert_neq(signal(SIGPIPE, SIG_IGN), SIG_ERR);
	cr_assert_eq(pipe(fds), 0);
	close(fds[0]);
	f = fdopen(fds[1], "w");
	cr_assert_not_null(f);
	o.out = f;
	out = ig_output__new(t_fields, NR_T_FIELDS, &o, err, sizeof(err));
	cr_assert_not_null(out);
	for (i = 0; i < 100000 && !ret; i++)	/* fills the buffer: a write happens */
		ret = ig_output__record(out, t_rec1);
	cr_assert_eq(ret, -EPIPE);
	cr_assert_eq(ig_output__record(out, t_rec1), -EPIPE);
	cr_assert_eq(ig_output__flush(out), -EPIPE);
	ig_output__destroy(out);
	fclose(f);
}

Test(output, epipe_on_flush_and_documents)
{
	struct ig_output_opts o = t_opts(IG_OUT_YAML, NULL, NULL);
	struct ig_output *out;
	char err[128];
	int fds[2];
	FILE *f;

	cr_assert_neq(signal(SIGPIPE, SIG_IGN), SIG_ERR);
	cr_assert_eq(pipe(fds), 0);
	close(fds[0]);
	f = fdopen(fds[1], "w");
	o.out = f;
	out = ig_output__new(t_fields, NR_T_FIELDS, &o, err, sizeof(err));
	cr_assert_not_null(out);
	cr_assert_eq(ig_output__record(out, t_rec1), 0);	/* still buffered */
	cr_assert_eq(ig_output__flush(out), -EPIPE);
	cr_assert_eq(ig_output__document(out, (void *)1), -EPIPE);	/* not even looked at */
	ig_output__destroy(out);
	fclose(f);
}

/* On a terminal every record is written at once (nothing waits in a buffer). */
Test(output, tty_writes_each_record)
{
	struct ig_output_opts o = t_opts(IG_OUT_TABLE, NULL, NULL);
	struct ig_output *out;
	char err[128], buf[512];
	int fds[2];
	ssize_t n;
	FILE *f;

	cr_assert_eq(pipe(fds), 0);
	f = fdopen(fds[1], "w");
	o.out = f;
	o.tty = true;
	o.term_width = 120;
	out = ig_output__new(t_fields, NR_T_FIELDS, &o, err, sizeof(err));
	cr_assert_not_null(out);
	cr_assert_eq(ig_output__record(out, t_rec1), 0);
	n = read(fds[0], buf, sizeof(buf) - 1);
	cr_assert_gt(n, 0);
	buf[n] = '\0';
	cr_assert_not_null(strstr(buf, "execve"));
	ig_output__destroy(out);
	fclose(f);
	close(fds[0]);
}
