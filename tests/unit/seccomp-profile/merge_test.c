// SPDX-License-Identifier: Apache-2.0
/*
 * ig profile merge: OCI and SPO (v1, v1beta1) inputs, JSON and YAML, with
 * argument rules and actions other than ALLOW, merged into one normalised
 * profile that validates against both schemas and is the same bytes for
 * every order of the inputs; malformed inputs are one line naming the file
 * and the position.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/seccomp/normal.h"
#include "lib/seccomp/parse.h"
#include "spt_helpers.h"

/* OCI JSON: two rules with conditions on socket (stay apart unless a
 * names-only rule absorbs them), an explicit ERRNO for ptrace. */
static const char oci_a[] =
	"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 1,\n"
	" \"architectures\": [\"SCMP_ARCH_X86_64\"],\n"
	" \"syscalls\": [\n"
	"  {\"names\": [\"write\", \"read\", \"openat\"], \"action\": \"SCMP_ACT_ALLOW\"},\n"
	"  {\"names\": [\"socket\"], \"action\": \"SCMP_ACT_ALLOW\",\n"
	"   \"args\": [{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]},\n"
	"  {\"names\": [\"socket\"], \"action\": \"SCMP_ACT_ALLOW\",\n"
	"   \"args\": [{\"index\": 0, \"value\": 2, \"op\": \"SCMP_CMP_EQ\"}]},\n"
	"  {\"names\": [\"personality\"], \"action\": \"SCMP_ACT_ALLOW\",\n"
	"   \"args\": [{\"index\": 0, \"value\": 0, \"op\": \"SCMP_CMP_EQ\"}]},\n"
	"  {\"names\": [\"ptrace\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 38}\n"
	" ]}\n";

/* SPO v1 YAML: a names-only socket (absorbs A's socket rules), a second
 * personality condition, a LOG rule, a duplicate of read. */
static const char spo_v1[] =
	"apiVersion: security-profiles-operator.x-k8s.io/v1\n"
	"kind: SeccompProfile\n"
	"metadata:\n  name: web\n"
	"spec:\n"
	"  defaultAction: SCMP_ACT_ERRNO\n"
	"  architectures: [SCMP_ARCH_X86_64, SCMP_ARCH_X86]\n"
	"  syscalls:\n"
	"  - names: [read, socket, epoll_wait]\n"
	"    action: SCMP_ACT_ALLOW\n"
	"  - names: [personality]\n"
	"    action: SCMP_ACT_ALLOW\n"
	"    args:\n"
	"    - {index: 0, value: 8, op: SCMP_CMP_EQ}\n"
	"  - names: [uname]\n"
	"    action: SCMP_ACT_LOG\n";

/* SPO v1beta1 JSON: ptrace allowed (A's ERRNO must win), a masked argument
 * with a value past 2^63, a kill rule. */
static const char spo_v1beta1[] =
	"{\"apiVersion\": \"security-profiles-operator.x-k8s.io/v1beta1\",\n"
	" \"kind\": \"SeccompProfile\", \"metadata\": {\"name\": \"web\"},\n"
	" \"spec\": {\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [\n"
	"  {\"names\": [\"ptrace\", \"close\"], \"action\": \"SCMP_ACT_ALLOW\"},\n"
	"  {\"names\": [\"mmap\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [\n"
	"    {\"index\": 2, \"value\": 18446744069414584320, \"valueTwo\": 4,\n"
	"     \"op\": \"SCMP_CMP_MASKED_EQ\"}]},\n"
	"  {\"names\": [\"reboot\"], \"action\": \"SCMP_ACT_KILL_PROCESS\"}\n"
	" ]}}\n";

/* An OCI config.json holding a staged profile (default LOG). */
static const char oci_config[] =
	"{\"ociVersion\": \"1.0.2\", \"linux\": {\"seccomp\": {\n"
	"  \"defaultAction\": \"SCMP_ACT_LOG\",\n"
	"  \"syscalls\": [{\"names\": [\"exit_group\", \"close\"], \"action\": \"SCMP_ACT_ALLOW\"}]\n"
	"}}}\n";

static const char *paths[4];

static void setup(void)
{
	paths[0] = spt_write("a.json", oci_a);
	paths[1] = spt_write("b.yaml", spo_v1);
	paths[2] = spt_write("c.json", spo_v1beta1);
	paths[3] = spt_write("config.json", oci_config);
}

TestSuite(merge, .init = setup, .fini = spt_fini, .timeout = 120);

static struct igt_result *merge(const char *const files[], int n, const char *flag,
				const char *val)
{
	const char *argv[16] = { igt_ig_path(), "profile", "merge" };
	int i, k = 3;

	if (flag) {
		argv[k++] = flag;
		argv[k++] = val;
	}
	for (i = 0; i < n; i++)
		argv[k++] = files[i];
	return igt_run(argv, 20000);
}

static struct sp_profile *parse(const char *text)
{
	char err[SP_ERR_LEN];
	struct sp_profile *p = sp_profile__parse("merged", text, strlen(text), err, sizeof(err));

	cr_assert_not_null(p, "%s", err);
	return p;
}

/* The rules of p for name: how many, and the one names-only rule's action
 * (-1 for none). */
static int rules_for(const struct sp_profile *p, const char *name, int *plain_act)
{
	unsigned int i, j;
	int n = 0;

	*plain_act = -1;
	for (i = 0; i < p->nr_rules; i++) {
		for (j = 0; j < p->rules[i].nr_names; j++) {
			if (strcmp(p->rules[i].names[j], name))
				continue;
			n++;
			if (!p->rules[i].nr_conds)
				*plain_act = (int)p->rules[i].action;
		}
	}
	return n;
}

Test(merge, normalised_union)
{
	struct igt_result *r = merge(paths, 4, NULL, NULL);
	struct sp_profile *p;
	unsigned int i, allow = 0;
	int act;

	cr_assert_eq(r->status, 0, "%s", r->err);
	p = parse(r->out);
	/* mixed inputs: OCI; the strictest default, the least errno given */
	cr_expect_eq(p->format, SP_FMT_OCI);
	cr_expect_eq(p->def_action, SP_ACT_ERRNO);
	cr_expect_eq(p->def_errno, 1);
	cr_expect_eq(p->nr_arches, 2);
	for (i = 0; i < p->nr_rules; i++) {
		const struct sp_rule *rl = &p->rules[i];
		unsigned int j;

		if (rl->action != SP_ACT_ALLOW || rl->nr_conds)
			continue;
		allow++;
		for (j = 1; j < rl->nr_names; j++)
			cr_expect_lt(strcmp(rl->names[j - 1], rl->names[j]), 0,
				     "names not sorted and unique: %s, %s", rl->names[j - 1],
				     rl->names[j]);
		cr_expect_eq(rl->nr_names, 7, "close epoll_wait exit_group openat read socket "
			     "write and nothing else, got %u", rl->nr_names);
	}
	cr_expect_eq(allow, 1, "one names-only ALLOW rule, got %u", allow);
	/* the names-only socket absorbed both conditional ones */
	cr_expect_eq(rules_for(p, "socket", &act), 1);
	cr_expect_eq(act, SP_ACT_ALLOW);
	/* two conditions on personality from two files: two rules */
	cr_expect_eq(rules_for(p, "personality", &act), 2);
	cr_expect_eq(act, -1);
	/* an explicit ERRNO is never merged into ALLOW, errnoRet kept */
	cr_expect_eq(rules_for(p, "ptrace", &act), 1);
	cr_expect_eq(act, SP_ACT_ERRNO);
	cr_expect_neq(strstr(r->err, "ptrace: SCMP_ACT_ERRNO"), NULL, "no warning: %s", r->err);
	cr_expect_eq(rules_for(p, "uname", &act), 1);
	cr_expect_eq(act, SP_ACT_LOG);
	cr_expect_eq(rules_for(p, "reboot", &act), 1);
	cr_expect_eq(act, SP_ACT_KILL_PROCESS);
	/* argument rules exactly as written, 64-bit values included */
	cr_expect_neq(strstr(r->out, "\"value\": 18446744069414584320,\n"), NULL, "%s", r->out);
	cr_expect_eq(rules_for(p, "mmap", &act), 1);
	sp_profile__free(p);
	spt_validate(r->out, "oci");
	igt_result_free(r);
}

static void permute(int *a, int n, int k, const char **first, int *count, const char *flag,
		    const char *val)
{
	const char *files[4];
	struct igt_result *r;
	int i, t;

	if (k == n) {
		for (i = 0; i < n; i++)
			files[i] = paths[a[i]];
		r = merge(files, n, flag, val);
		cr_assert_eq(r->status, 0, "%s", r->err);
		if (!*first)
			*first = strdup(r->out);
		cr_assert_str_eq(r->out, *first, "order %d %d %d %d gives other bytes", a[0], a[1],
				 a[2], a[3]);
		(*count)++;
		igt_result_free(r);
		return;
	}
	for (i = k; i < n; i++) {
		t = a[k], a[k] = a[i], a[i] = t;
		permute(a, n, k + 1, first, count, flag, val);
		t = a[k], a[k] = a[i], a[i] = t;
	}
}

/* Every one of the 24 orders, as OCI and as SPO: one output each. */
Test(merge, same_bytes_in_every_order)
{
	static const char *const forms[][3] = {
		{ NULL, NULL, "oci" },
		{ "--format", "spo", "spo" },
	};
	size_t f;

	for (f = 0; f < sizeof(forms) / sizeof(forms[0]); f++) {
		int order[4] = { 0, 1, 2, 3 }, count = 0;
		const char *first = NULL;

		permute(order, 4, 0, &first, &count, forms[f][0], forms[f][1]);
		cr_expect_eq(count, 24);
		spt_validate(first, forms[f][2]);
		free((char *)first);
	}
}

/* SPO inputs of one version and name stay SPO, that version; --spo-api
 * picks the other. Both validate against their version's schema. */
Test(merge, spo_versions)
{
	const char *const same[] = { paths[2], paths[2] };
	const char *const both[] = { paths[1], paths[2] };
	struct igt_result *r = merge(same, 2, NULL, NULL);
	struct sp_profile *p;

	cr_assert_eq(r->status, 0, "%s", r->err);
	p = parse(r->out);
	cr_expect_eq(p->format, SP_FMT_SPO);
	cr_expect_str_eq(p->api, "v1beta1");
	cr_expect_str_eq(p->name, "web");
	sp_profile__free(p);
	spt_validate(r->out, "spo");
	igt_result_free(r);
	r = merge(both, 2, "--spo-api", "v1beta1");
	cr_assert_eq(r->status, 0, "%s", r->err);
	cr_expect_neq(strstr(r->out, "x-k8s.io/v1beta1\""), NULL, "%s", r->out);
	spt_validate(r->out, "spo");
	igt_result_free(r);
	r = merge(both, 2, NULL, NULL);
	cr_assert_eq(r->status, 0, "%s", r->err);
	cr_expect_neq(strstr(r->out, "x-k8s.io/v1\""), NULL, "two versions: v1, %s", r->out);
	cr_expect_neq(strstr(r->err, "different SPO apiVersions"), NULL, "%s", r->err);
	igt_result_free(r);
}

struct bad {
	const char *text;
	const char *want;	/* after "ig: <file>:" */
};

static const struct bad bad_files[] = {
	{ "{\"defaultAction\": \"SCMP_ACT_ALOW\"}\n",
	  "1:19: expected an action (SCMP_ACT_ALLOW" },
	{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\",\n \"syscalls\": [{\"names\": [\"read\"]\n",
	  "3:1: expected valid YAML or JSON" },
	{ "apiVersion: security-profiles-operator.x-k8s.io/v2\nkind: SeccompProfile\n"
	  "spec: {defaultAction: SCMP_ACT_ERRNO}\n",
	  "1:13: expected apiVersion security-profiles-operator.x-k8s.io/v1 or" },
	{ "{\"syscalls\": []}\n", "1:1: expected key \"defaultAction\"" },
	{ "defaultAction: SCMP_ACT_ERRNO\nsyscalls:\n- names: [read]\n  action: SCMP_ACT_ALLOW\n"
	  "  args: [{index: 7, value: 1, op: SCMP_CMP_EQ}]\n",
	  "5:18: expected an integer 0..5 for index, found \"7\"" },
	{ "defaultAction: SCMP_ACT_ERRNO\nsyscalls:\n- names: [\"Read Me\"]\n"
	  "  action: SCMP_ACT_ALLOW\n", "3:11: expected a syscall name (a-z, 0-9, _)" },
	{ "{\"linux\": {\"namespaces\": []}}\n", "1:11: expected key \"seccomp\" in linux" },
};

/* One line on stderr naming the file and the position, exit 2, no output. */
Test(merge, malformed_inputs)
{
	size_t i;

	for (i = 0; i < sizeof(bad_files) / sizeof(bad_files[0]); i++) {
		const char *bad = spt_write("bad.yaml", bad_files[i].text);
		const char *const files[] = { paths[0], bad };
		struct igt_result *r = merge(files, 2, NULL, NULL);
		char want[1024];

		snprintf(want, sizeof(want), "ig: %s:%s", bad, bad_files[i].want);
		cr_expect_eq(r->status, 2, "exit %d for %s", r->status, bad_files[i].text);
		cr_expect_str_empty(r->out);
		cr_expect_eq(strncmp(r->err, want, strlen(want)), 0, "got '%s', want '%s...'",
			     r->err, want);
		cr_expect_eq(igt_count(r->err, "\n"), 1, "not one line: %s", r->err);
		igt_result_free(r);
	}
}

/* Files that are not there or not files: one line too. */
Test(merge, unreadable_inputs)
{
	const char *const missing[] = { paths[0], "/nonexistent/p.json" };
	const char *const dir[] = { spt_dir(), paths[0] };
	struct igt_result *r = merge(missing, 2, NULL, NULL);

	cr_expect_eq(r->status, 2);
	cr_expect_str_eq(r->err, "ig: /nonexistent/p.json: cannot open the profile: "
			 "No such file or directory\n");
	igt_result_free(r);
	r = merge(dir, 2, NULL, NULL);
	cr_expect_eq(r->status, 2);
	cr_expect_neq(strstr(r->err, "not a regular file"), NULL, "%s", r->err);
	cr_expect_eq(igt_count(r->err, "\n"), 1, "%s", r->err);
	igt_result_free(r);
}
