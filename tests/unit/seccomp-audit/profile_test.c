// SPDX-License-Identifier: Apache-2.0
/*
 * seccomp-audit: the candidate-profile parser (OCI JSON, SPO YAML/JSON) and
 * the dry-run evaluator, fed synthetic profiles. Malformed profiles must give
 * one "<file>:<line>:<col>: expected ..." message each.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <string.h>
#include <sys/syscall.h>

#include "gadgets/seccomp-audit/seccomp_audit_int.h"

static struct sp_profile *parse(const char *text, char *err)
{
	err[0] = '\0';
	return sp_profile__parse("p.json", text, strlen(text), err, SP_ERR_LEN);
}

static const char oci[] =
	"{\n"
	"  \"defaultAction\": \"SCMP_ACT_ALLOW\",\n"
	"  \"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\"],\n"
	"  \"syscalls\": [\n"
	"    {\"names\": [\"getpriority\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 13},\n"
	"    {\"names\": [\"sysinfo\", \"uname\"], \"action\": \"SCMP_ACT_LOG\"},\n"
	"    {\"names\": [\"acct\"], \"action\": \"SCMP_ACT_KILL_PROCESS\"},\n"
	"    {\"names\": [\"personality\"], \"action\": \"SCMP_ACT_ERRNO\",\n"
	"     \"args\": [{\"index\": 0, \"value\": 8, \"op\": \"SCMP_CMP_EQ\"}]},\n"
	"    {\"names\": [\"kill\"], \"action\": \"SCMP_ACT_TRAP\",\n"
	"     \"args\": [{\"index\": 1, \"value\": 9, \"op\": \"SCMP_CMP_EQ\"},\n"
	"              {\"index\": 1, \"value\": 15, \"op\": \"SCMP_CMP_EQ\"}]},\n"
	"    {\"names\": [\"mmap\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 1,\n"
	"     \"args\": [{\"index\": 2, \"value\": 4, \"valueTwo\": 4,\n"
	"               \"op\": \"SCMP_CMP_MASKED_EQ\"},\n"
	"              {\"index\": 3, \"value\": 32, \"op\": \"SCMP_CMP_GE\"}]},\n"
	"    {\"names\": [\"no_such_syscall_here\"], \"action\": \"SCMP_ACT_ERRNO\"}\n"
	"  ]\n"
	"}\n";

Test(profile, oci_json)
{
	char err[SP_ERR_LEN];
	struct sp_profile *p = parse(oci, err);

	cr_assert_not_null(p, "%s", err);
	cr_expect_eq(p->def_action, SP_ACT_ALLOW);
	cr_expect_eq(p->nr_arches, 2);
	cr_expect_eq(p->arches[0], SCMP_ARCH_X86_64);
	cr_assert_eq(p->nr_rules, 7);
	cr_expect_eq(p->rules[0].errno_ret, 13);
	cr_expect_eq(p->rules[1].nr_names, 2);
	cr_expect_str_eq(p->rules[1].names[1], "uname");
	cr_expect_eq(p->rules[2].action, SP_ACT_KILL_PROCESS);
	cr_expect_eq(p->rules[5].nr_conds, 2);
	cr_expect_eq(p->rules[5].conds[0].op, SCMP_CMP_MASKED_EQ);
	cr_expect_eq(p->rules[5].conds[1].index, 3);
	cr_expect_eq(p->rules[3].line, 8);
	sp_profile__free(p);
}

static uint32_t run(const struct sau_filter *f, int nr, uint64_t a0, uint64_t a1, uint64_t a2,
		    uint64_t a3)
{
	uint64_t args[6] = { a0, a1, a2, a3, 0, 0 };

	return sau_filter_run(f, nr, args);
}

Test(eval, oci_actions_and_args)
{
	char err[SP_ERR_LEN];
	struct sp_profile *p = parse(oci, err);
	struct sau_filter *f;

	cr_assert_not_null(p, "%s", err);
	f = sau_filter_build(p, err, sizeof(err));
	cr_assert_not_null(f, "%s", err);
	cr_expect_eq(run(f, SYS_getpid, 0, 0, 0, 0), SECCOMP_RET_ALLOW);
	cr_expect_eq(run(f, SYS_getpriority, 0, 0, 0, 0), SECCOMP_RET_ERRNO | 13);
	cr_expect_eq(run(f, SYS_sysinfo, 0, 0, 0, 0), SECCOMP_RET_LOG);
	cr_expect_eq(run(f, SYS_uname, 0, 0, 0, 0), SECCOMP_RET_LOG);
	cr_expect_eq(run(f, SYS_acct, 0, 0, 0, 0), SECCOMP_RET_KILL_PROCESS);
	/* args: EQ; errnoRet unset means EPERM (runc) */
	cr_expect_eq(run(f, SYS_personality, 8, 0, 0, 0), SECCOMP_RET_ERRNO | EPERM);
	cr_expect_eq(run(f, SYS_personality, 0xffffffff, 0, 0, 0), SECCOMP_RET_ALLOW);
	/* the same index twice: runc makes them alternatives (OR) */
	cr_expect_eq(run(f, SYS_kill, 1, 9, 0, 0), SECCOMP_RET_TRAP);
	cr_expect_eq(run(f, SYS_kill, 1, 15, 0, 0), SECCOMP_RET_TRAP);
	cr_expect_eq(run(f, SYS_kill, 1, 0, 0, 0), SECCOMP_RET_ALLOW);
	/* distinct indexes: all must hold (AND) */
	cr_expect_eq(run(f, SYS_mmap, 0, 0, 7, 32), SECCOMP_RET_ERRNO | 1);
	cr_expect_eq(run(f, SYS_mmap, 0, 0, 7, 31), SECCOMP_RET_ALLOW);
	cr_expect_eq(run(f, SYS_mmap, 0, 0, 3, 64), SECCOMP_RET_ALLOW);
	cr_expect(sau_filter_may_act(f, SYS_mmap));
	cr_expect_not(sau_filter_may_act(f, SYS_getpid));
	sau_filter_free(f);
	sp_profile__free(p);
}

/* libseccomp's precedence: an unconditional rule for a syscall absorbs the
 * argument rules for it (write with fd 2 stays allowed); rules repeating the
 * default are dropped; with a default that denies, allowed names pass. */
Test(eval, precedence_and_default)
{
	static const char text[] =
		"defaultAction: SCMP_ACT_ERRNO\n"
		"defaultErrnoRet: 38\n"
		"syscalls:\n"
		"- names: [read, write, exit_group]\n"
		"  action: SCMP_ACT_ALLOW\n"
		"- names: [write]\n"
		"  action: SCMP_ACT_LOG\n"
		"  args:\n"
		"  - {index: 0, value: 2, op: SCMP_CMP_EQ}\n"
		"- names: [ioctl]\n"
		"  action: SCMP_ACT_ERRNO\n"
		"- names: [openat]\n"
		"  action: SCMP_ACT_KILL_THREAD\n"
		"  args:\n"
		"  - {index: 2, value: 1, op: SCMP_CMP_LT}\n"
		"  - {index: 3, value: 10, op: SCMP_CMP_NE}\n";
	char err[SP_ERR_LEN];
	struct sp_profile *p = parse(text, err);
	struct sau_filter *f;

	cr_assert_not_null(p, "%s", err);
	f = sau_filter_build(p, err, sizeof(err));
	cr_assert_not_null(f, "%s", err);
	cr_expect_eq(run(f, SYS_read, 0, 0, 0, 0), SECCOMP_RET_ALLOW);
	cr_expect_eq(run(f, SYS_getpid, 0, 0, 0, 0), SECCOMP_RET_ERRNO | 38);
	cr_expect_eq(run(f, SYS_write, 1, 0, 0, 0), SECCOMP_RET_ALLOW);
	cr_expect_eq(run(f, SYS_write, 2, 0, 0, 0), SECCOMP_RET_ALLOW);
	/* same action as the default (ERRNO(38) vs ERRNO(EPERM)): not the same */
	cr_expect_eq(run(f, SYS_ioctl, 0, 0, 0, 0), SECCOMP_RET_ERRNO | EPERM);
	cr_expect_eq(run(f, SYS_openat, 0, 0, 0, 3), SECCOMP_RET_KILL_THREAD);
	cr_expect_eq(run(f, SYS_openat, 0, 0, 0, 10), SECCOMP_RET_ERRNO | 38);
	cr_expect_eq(run(f, SYS_openat, 0, 0, 1, 3), SECCOMP_RET_ERRNO | 38);
	cr_expect(sau_filter_may_act(f, SYS_getpid));
	sau_filter_free(f);
	sp_profile__free(p);
}

Test(profile, spo_yaml_and_json)
{
	static const char yaml[] =
		"apiVersion: security-profiles-operator.x-k8s.io/v1beta1\n"
		"kind: SeccompProfile\n"
		"metadata:\n"
		"  name: demo\n"
		"spec:\n"
		"  defaultAction: SCMP_ACT_LOG\n"
		"  architectures: [SCMP_ARCH_X86_64]\n"
		"  syscalls:\n"
		"  - action: SCMP_ACT_ALLOW\n"
		"    names:\n"
		"    - read\n"
		"    - write\n";
	static const char json[] =
		"{\"apiVersion\": \"security-profiles-operator.x-k8s.io/v1\",\n"
		"\t\"kind\": \"SeccompProfile\",\n"
		"\t\"spec\": {\"defaultAction\": \"SCMP_ACT_ALLOW\",\n"
		"\t\"syscalls\": [{\"names\": [\"acct\"], \"action\": \"SCMP_ACT_TRAP\"}]}}\n";
	char err[SP_ERR_LEN];
	struct sp_profile *p = parse(yaml, err);

	cr_assert_not_null(p, "%s", err);
	cr_expect_eq(p->def_action, SP_ACT_LOG);
	cr_expect_eq(p->nr_rules, 1);
	cr_expect_eq(p->rules[0].nr_names, 2);
	sp_profile__free(p);
	/* tabs between JSON tokens: sp_profile__load blanks them; parse
	 * directly here after the same treatment */
	{
		char *copy = strdup(json), *c;

		for (c = copy; *c; c++)
			if (*c == '\t')
				*c = ' ';
		p = parse(copy, err);
		free(copy);
	}
	cr_assert_not_null(p, "%s", err);
	cr_expect_eq(p->rules[0].action, SP_ACT_TRAP);
	sp_profile__free(p);
}

struct bad {
	const char *text;
	const char *want;	/* expected part of the message */
};

static const struct bad bad_profiles[] = {
	{ "", "1:1: expected a seccomp profile" },
	{ "[1, 2]", "1:1: expected a mapping for the profile, found a list" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\"",
	  ":1: expected valid YAML or JSON: did not find expected ',' or '}'" },
	{ "{}", "1:1: expected key \"defaultAction\"" },
	{ "{\"defaultAction\": \"ALLOW\"}", "1:19: expected an action" },
	{ "{\"defaultAction\": []}", "1:19: expected an action (SCMP_ACT_ALLOW" },
	{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\",\n \"defaultErrnoRet\": -1}",
	  "2:21: expected an integer 0..4095 for defaultErrnoRet, found \"-1\"" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": [\"SCMP_ARCH_Z80\"]}",
	  "1:55: expected an architecture" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": \"x86\"}",
	  "1:54: expected a list for architectures, found a scalar" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": {}}",
	  "1:49: expected a list for syscalls, found a mapping" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"action\": \"SCMP_ACT_LOG\"}]}",
	  "1:50: expected key \"names\" in the syscalls entry" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": []}]}",
	  "1:60: expected at least one syscall name" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"]}]}",
	  "1:50: expected key \"action\"" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [[1]], "
	  "\"action\": \"SCMP_ACT_LOG\"}]}", "1:61: expected a syscall name, found a list" },
	{ "defaultAction: SCMP_ACT_ALLOW\nsyscalls:\n- names: [read]\n  action: SCMP_ACT_LOG\n"
	  "  args:\n  - {index: 6, value: 1, op: SCMP_CMP_EQ}\n",
	  "6:13: expected an integer 0..5 for index, found \"6\"" },
	{ "defaultAction: SCMP_ACT_ALLOW\nsyscalls:\n- names: [read]\n  action: SCMP_ACT_LOG\n"
	  "  args:\n  - {index: 0, value: 1, op: EQ}\n",
	  "6:30: expected an operator (SCMP_CMP_NE" },
	{ "defaultAction: SCMP_ACT_ALLOW\nsyscalls:\n- names: [read]\n  action: SCMP_ACT_LOG\n"
	  "  args:\n  - {index: 0, op: SCMP_CMP_EQ}\n",
	  "6:5: expected key \"value\" in the argument condition" },
	{ "defaultAction: SCMP_ACT_ALLOW\nsyscalls:\n- names: [read]\n  action: SCMP_ACT_LOG\n"
	  "  args:\n  - {index: 0, value: 18446744073709551616, op: SCMP_CMP_EQ}\n",
	  "6:23: expected an integer 0..18446744073709551615 for value" },
	{ "kind: Pod\nspec: {}\n", "1:7: expected kind: SeccompProfile" },
	{ "kind: SeccompProfile\n", "1:1: expected key \"spec\" in the SeccompProfile" },
	{ "kind: SeccompProfile\nspec:\n  defaultAction: SCMP_ACT_ALLOW\n  syscalls:\n"
	  "  - names: [read]\n    action: SCMP_ACT_NOPE\n",
	  "6:13: expected an action" },
	{ "defaultAction: SCMP_ACT_ALLOW\n  bad indent: [\n", "expected valid YAML or JSON" },
};

/* One test walks the whole table (cheap under valgrind.sh, which pays a
 * process start per test). */
Test(profile, malformed_table)
{
	size_t i;

	for (i = 0; i < sizeof(bad_profiles) / sizeof(bad_profiles[0]); i++) {
		const struct bad *b = &bad_profiles[i];
		char err[SP_ERR_LEN];
		struct sp_profile *p = parse(b->text, err);

		cr_expect_null(p, "accepted: %s", b->text);
		sp_profile__free(p);
		cr_expect_eq(strncmp(err, "p.json:", 7), 0, "no file name: %s", err);
		cr_expect_neq(strstr(err, b->want), NULL, "got \"%s\", want \"%s\"", err, b->want);
		cr_expect_neq(strstr(err, "expected"), NULL, "%s", err);
		cr_expect_null(strchr(err, '\n'), "not one line: %s", err);
	}
}

/* Mutations of a valid profile: every one either parses or fails with a
 * positioned message; never a crash (valgrind.sh also checks for leaks). */
Test(profile, fuzz_mutations)
{
	size_t len = strlen(oci), i, n;
	char *buf = malloc(len + 1);
	unsigned int seed = 12345;
	static const char alphabet[] = "{}[]\":,0123456789 \n\tabc-_SCMP";
	char err[SP_ERR_LEN];

	for (n = 0; n < 600; n++) {
		struct sp_profile *p;
		struct sau_filter *f;
		size_t cut = len;

		memcpy(buf, oci, len + 1);
		for (i = 0; i < 1 + n % 4; i++) {
			seed = seed * 1103515245 + 12345;
			buf[(seed >> 8) % len] = alphabet[(seed >> 20) % (sizeof(alphabet) - 1)];
		}
		if (n % 7 == 0)
			cut = (seed >> 4) % len;
		err[0] = '\0';
		p = sp_profile__parse("p.json", buf, cut, err, sizeof(err));
		if (!p) {
			cr_assert_eq(strncmp(err, "p.json:", 7), 0, "%s", err);
			continue;
		}
		f = sau_filter_build(p, err, sizeof(err));
		sau_filter_free(f);
		sp_profile__free(p);
	}
	free(buf);
}

/* The host reads the file (host->read_file); load blanks a JSON text's tabs,
 * which libyaml refuses, and parses it. */
Test(profile, load_blanks_json_tabs)
{
	char err[SP_ERR_LEN], text[] = "{\t\"defaultAction\":\t\"SCMP_ACT_ALLOW\"}";
	struct sp_profile *p = sp_profile__load_text("p.json", text, strlen(text), err,
						     sizeof(err));

	cr_assert_not_null(p, "%s", err);
	sp_profile__free(p);
}
