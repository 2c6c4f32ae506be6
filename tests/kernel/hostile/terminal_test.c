// SPDX-License-Identifier: Apache-2.0
/*
 * Case 8 of issue 17: escape sequences that others wrote (container names,
 * state directory names, a gadget's descriptor) never reach the terminal,
 * neither in records nor in log lines nor in `ig list`.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <criterion/criterion.h>

#include "tests/kernel/hostile/hostile_helpers.h"

#define EVIL	"evil\033]2;retitled\007\033[31mred\302\233" "0m\302\205" "nel\177"

static void expect_clean(const struct igt_result *r, const char *what)
{
	const char *at = NULL;

	cr_expect_not(hs_has_control(r->out, r->out_len, &at),
		      "%s: stdout carries a control character at offset %td: %s", what,
		      at - r->out, r->out);
	cr_expect_not(hs_has_control(r->err, r->err_len, &at),
		      "%s: stderr carries a control character at offset %td: %s", what,
		      at - r->err, r->err);
}

static void evil_name(struct igt_bundle *b)
{
	igt_bundle_annotate(b, "io.kubernetes.cri.container-name", EVIL);
}

Test(terminal, container_name_in_log_lines, .timeout = 60)
{
	struct igt_bundle *b = hs_container("term", evil_name);
	struct igt_result *r = igt_ig(20000, "list-containers", "-vv", NULL);

	static const char *const formats[] = { "json", "jsonpretty", "yaml" };

	cr_assert_eq(r->status, 0, "stderr: %s", r->err);
	cr_expect(strstr(r->err, "container added: evil\\x1b]2;retitled\\x07"),
		  "the debug line names the container, escaped: %s", r->err);
	expect_clean(r, "list-containers -vv");
	igt_result_free(r);
	for (size_t i = 0; i < IG_ARRAY_SIZE(formats); i++) {
		r = igt_ig(20000, "list-containers", "-o", formats[i], NULL);
		cr_assert_eq(r->status, 0, "stderr: %s", r->err);
		cr_expect(strstr(r->out, b->id), "%s lists the container: %s", formats[i], r->out);
		expect_clean(r, formats[i]);
		igt_result_free(r);
	}
	igt_bundle_destroy(b);
}

Test(terminal, state_directory_name_in_warnings, .timeout = 60)
{
	char root[256], path[PATH_MAX];
	struct igt_result *r;

	igt_tmpdir_new(root, sizeof(root), "term-root");
	snprintf(path, sizeof(path), "%s/" EVIL, root);
	cr_assert_eq(mkdir(path, 0700), 0);
	strcat(path, "/state.json");
	hs_write(path, "{\"id\": 7");
	r = igt_ig(20000, "list-containers", "-v", "--runtime-root", root, NULL);
	cr_expect(strstr(r->err, "warning") && strstr(r->err, "evil\\x1b]2;"),
		  "the skipped state is named, escaped: %s", r->err);
	expect_clean(r, "list-containers with a hostile state dir");
	igt_result_free(r);
	igt_tmpdir_remove(root);
}

Test(terminal, gadget_descriptor_in_ig_list, .timeout = 30)
{
	char dir[256];
	struct igt_result *r;

	hs_gadget_dir(dir, sizeof(dir), "hostile_text", "hostile_text");
	r = igt_ig(10000, "list", "--gadget-path", dir, NULL);
	cr_assert_eq(r->status, 0, "stderr: %s", r->err);
	cr_expect(strstr(r->out, "fixture-hostile"), "listed: %s", r->out);
	cr_expect(strstr(r->out, "hostile \\x1b[2J"), "summary escaped: %s", r->out);
	expect_clean(r, "ig list");
	igt_result_free(r);
	igt_tmpdir_remove(dir);
}
