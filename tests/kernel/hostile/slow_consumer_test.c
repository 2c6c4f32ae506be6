// SPDX-License-Identifier: Apache-2.0
/*
 * Case 5 (first part) of issue 17: a reader of stdout that stops reading
 * never stalls ig. Stop signals are honoured whatever the reader does, the
 * end of the run waits for it only so long, and while it does not read, ig
 * keeps recording and counts the records it could not write.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <jansson.h>

#include "tests/kernel/hostile/hostile_helpers.h"

static char dir[256], gdir[256], ready[300];

static void setup(void)
{
	igt_tmpdir_new(dir, sizeof(dir), "slow");
	snprintf(ready, sizeof(ready), "%s/ready", dir);
	hs_gadget_dir(gdir, sizeof(gdir), "burst", "fixture-burst");
}

static void teardown(void)
{
	igt_tmpdir_remove(dir);
	igt_tmpdir_remove(gdir);
}

TestSuite(slow_consumer, .init = setup, .fini = teardown, .timeout = 120);

/* execs with a 1000-byte argument: 300 of them are ~400 KiB of JSON, more
 * than a pipe holds. */
static void exec_burst(int n)
{
	static char arg[1001];
	const char *const argv[] = { "/bin/true", arg, NULL };

	memset(arg, 'a', sizeof(arg) - 1);
	hs_run_n(argv, n);
}

Test(slow_consumer, stop_signal_while_stdout_is_blocked)
{
	const char *const argv[] = { igt_ig_path(), "run", "trace-exec", "--host", "-o", "json",
				     "--ready-file", ready, NULL };
	struct hs_piped *p = hs_spawn_piped(argv);
	long t0;
	char *err;
	int st;

	cr_assert(hs_wait_file(ready, 20000), "ig did not get ready");
	exec_burst(300);
	usleep(200 * 1000);	/* ig has read them and tried to write */
	t0 = hs_now_ms();
	kill(p->pid, SIGTERM);
	st = hs_piped_wait(p, 10000, &err);
	cr_log_info("ig exited %ld ms after SIGTERM with stdout blocked", hs_now_ms() - t0);
	cr_assert_neq(st, -1, "ig ignored SIGTERM for 10 s with stdout blocked: %s", err);
	cr_expect_eq(st, 3, "output was not written: incomplete (%d): %s", st, err);
	cr_expect(strstr(err, "bytes of output were not written"), "%s", err);
	free(err);
}

Test(slow_consumer, timeout_while_stdout_is_blocked)
{
	const char *const argv[] = { igt_ig_path(), "run", "trace-exec", "--host", "-o", "json",
				     "-t", "1", "--ready-file", ready, NULL };
	struct hs_piped *p = hs_spawn_piped(argv);
	char *err;
	int st;

	cr_assert(hs_wait_file(ready, 20000), "ig did not get ready");
	exec_burst(300);
	/* Nobody ever reads: ig must still end, after its timeout and a
	 * bounded wait for the reader. */
	st = hs_piped_wait(p, 30000, &err);
	cr_assert_neq(st, -1, "ig never ended with stdout blocked: %s", err);
	cr_expect_eq(st, 3, "%d: %s", st, err);
	cr_expect(strstr(err, "stdout's reader took nothing"), "%s", err);
	free(err);
}

/* Records that do not fit while nobody reads are dropped and counted, in
 * the stream itself; everything else arrives whole, in order. */
Test(slow_consumer, records_dropped_are_counted_in_band)
{
	const char *const argv[] = { igt_ig_path(), "run", "fixture-burst", "--gadget-path", gdir,
				     "--burst", "8000", "--pad", "4000", "--host", "-o", "json",
				     "-t", "1", "--ready-file", ready, NULL };
	struct hs_piped *p = hs_spawn_piped(argv);
	uint64_t records = 0, dropped = 0, next = 0;
	char *out = NULL, *err;
	size_t len = 0;
	json_t *vals;
	int st;

	/* init() emits 32 MB before ig is ready: not a byte is read yet. */
	cr_assert(hs_wait_file(ready, 30000), "ig blocked on its stdout (no ready file)");
	hs_piped_read(p, &out, &len, true);
	st = hs_piped_wait(p, 30000, &err);
	cr_assert_eq(st, 3, "records were dropped: incomplete (%d): %s", st, err);
	cr_expect(strstr(err, "records were not written: stdout's reader did not keep up"),
		  "%s", err);
	vals = igt_json_values(out);
	for (size_t i = 0; i < json_array_size(vals); i++) {
		json_t *v = json_array_get(vals, i), *lost = json_object_get(v, "lost");

		if (lost) {
			dropped += json_integer_value(json_object_get(lost, "records"));
			continue;
		}
		cr_assert_eq(json_integer_value(json_object_get(v, "value")), next,
			     "records arrive whole and in order");
		next++;
		records++;
	}
	cr_expect_gt(records, 0);
	cr_expect_gt(dropped, 0, "the stream says records were dropped");
	cr_expect_eq(records + dropped, 8000, "%llu written + %llu dropped",
		     (unsigned long long)records, (unsigned long long)dropped);
	json_decref(vals);
	free(out);
	free(err);
}
