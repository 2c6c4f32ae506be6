// SPDX-License-Identifier: Apache-2.0
/*
 * `-c NAME` that matches no container during the run: the run ends with one
 * line on stderr naming what was asked for and what ig saw, and a non-zero
 * exit; an advisor writes nothing. And a selected container that was already
 * running is named with the reason it was not recorded from its start.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "eng_helpers.h"

/* The last line of text (without its newline), in buf. */
static const char *last_line(const char *text, char *buf, size_t size)
{
	size_t len = strlen(text);
	const char *start;

	while (len && text[len - 1] == '\n')
		len--;
	start = memrchr(text, '\n', len);
	start = start ? start + 1 : text;
	snprintf(buf, size, "%.*s", (int)(len - (size_t)(start - text)), start);
	return buf;
}

Test(nomatch, name_never_seen_is_one_line_and_exit_1, .timeout = 240)
{
	struct igt_ctr_opts o = { .detach = true };
	char other[64], never[64], want[160], line[4096], dir[64];
	struct igt_result *r;

	igt_engines_up();
	o.name = eng_name(other, sizeof(other), "seen");
	r = igt_engine_run(IGT_DOCKER, &o, 120000);
	cr_assert_eq(r->status, 0, "%s", r->err);
	igt_result_free(r);
	eng_name(never, sizeof(never), "never");
	eng_tmpdir(dir, sizeof(dir), "eng-nomatch");

	r = igt_ig(60000, "run", "seccomp-advisor", "-c", never, "--output-dir", dir, "-t", "2",
		   NULL);
	cr_expect_eq(r->status, 1, "exit status %d, stderr:\n%s", r->status, r->err);
	snprintf(want, sizeof(want), "ig: no container named %s was seen; ig saw: ", never);
	last_line(r->err, line, sizeof(line));
	cr_expect(!strncmp(line, want, strlen(want)), "last stderr line: %s", line);
	cr_expect(strstr(line, other), "ig saw the running %s, the line does not say so: %s",
		  other, line);
	cr_expect_eq(igt_count(r->err, "no container named"), 1, "%s", r->err);
	cr_expect_eq(igt_count(r->out, "\n"), 0, "no profile, no table: %s", r->out);
	igt_result_free(r);
	r = igt_run((const char *const[]){ "sh", "-c", "ls -A \"$0\" | wc -l", dir, NULL }, 10000);
	cr_expect_str_eq(r->out, "0\n", "files written for a container never seen");
	igt_result_free(r);

	/* Two names, one of them there: only the missing one is named. */
	snprintf(want, sizeof(want), "%s,%s", other, never);
	r = igt_ig(60000, "run", "trace-exec", "-c", want, "-t", "1", NULL);
	cr_expect_eq(r->status, 1, "%s", r->err);
	snprintf(want, sizeof(want), "ig: no container named %s was seen; ig saw: ", never);
	cr_expect(!strncmp(last_line(r->err, line, sizeof(line)), want, strlen(want)), "%s",
		  line);
	/* ... and the one that was there ran before ig: it says so */
	snprintf(want, sizeof(want), "container %s was already running when ig started", other);
	cr_expect(strstr(r->err, want), "%s", r->err);
	igt_result_free(r);

	igt_engine_rm(IGT_DOCKER, other);
	igt_tmpdir_remove(dir);
}

Test(nomatch, names_seen_exit_0, .timeout = 240)
{
	struct igt_ctr_opts o = { .detach = true };
	struct igt_result *r;
	char name[64];

	igt_engines_up();
	o.name = eng_name(name, sizeof(name), "there");
	r = igt_engine_run(IGT_PODMAN, &o, 120000);
	cr_assert_eq(r->status, 0, "%s", r->err);
	igt_result_free(r);
	r = igt_ig(60000, "run", "trace-exec", "-c", name, "-t", "1", NULL);
	cr_expect_eq(r->status, 0, "%s", r->err);
	cr_expect_null(strstr(r->err, "no container named"), "%s", r->err);
	igt_result_free(r);
	igt_engine_rm(IGT_PODMAN, name);
}
