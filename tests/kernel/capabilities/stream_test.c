// SPDX-License-Identifier: Apache-2.0
/*
 * The streaming path under load: a setuid(0) loop makes ~500k identical
 * checks per second, which the program sends as check records with repeat
 * counts; every check must still come out as one record, none lost.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "ct_helpers.h"

Test(stream, every_repeated_check_is_a_record, .timeout = 60)
{
	char loop[512], res[] = "/tmp/igt-caps-loop-XXXXXX";
	unsigned long checks = 0;
	struct igt_result *r;
	char *text;
	int fd;

	fd = mkstemp(res);
	cr_assert_geq(fd, 0);
	close(fd);
	snprintf(loop, sizeof(loop), "%s/tests/fixtures/cap_loop", igt_build_dir());
	r = igt_ig(30000, "run", "capabilities", "-o", "json", "--fields", "cap,pid", "--", loop,
		   "0.1", res, NULL);
	text = igt_read_file(res, NULL);
	unlink(res);
	cr_assert_eq(r->status, 0, "ig failed: %s", r->err);
	cr_assert(text && sscanf(text, "checks %lu", &checks) == 1, "cap_loop wrote no count");
	cr_assert_gt(checks, 1000, "the loop made only %lu checks", checks);
	cr_assert_eq((unsigned long)igt_count(r->out, "\"cap\":\"CAP_SETUID\""), checks,
		     "records vs checks made");
	cr_assert_null(strstr(r->err, "lost"), "%s", r->err);
	free(text);
	igt_result_free(r);
}
