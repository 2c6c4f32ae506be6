// SPDX-License-Identifier: Apache-2.0
/*
 * ig profile diff: what two profiles allow differently after normalising
 * both (grouping and order never show), one line per difference, exit 1 when
 * they differ, 0 when not, 2 on bad input; across formats.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "spt_helpers.h"

TestSuite(diff, .fini = spt_fini, .timeout = 60);

static struct igt_result *diff(const char *a, const char *b)
{
	const char *const argv[] = { igt_ig_path(), "profile", "diff", a, b, NULL };

	return igt_run(argv, 20000);
}

static const char staged[] =
	"{\"defaultAction\": \"SCMP_ACT_LOG\", \"architectures\": [\"SCMP_ARCH_X86_64\"],\n"
	" \"syscalls\": [\n"
	"  {\"names\": [\"read\", \"write\"], \"action\": \"SCMP_ACT_ALLOW\"},\n"
	"  {\"names\": [\"socket\"], \"action\": \"SCMP_ACT_ALLOW\",\n"
	"   \"args\": [{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]},\n"
	"  {\"names\": [\"ptrace\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 1}\n"
	" ]}\n";

/* The same profile, as an SPO document, rules split and reordered. */
static const char staged_spo[] =
	"apiVersion: security-profiles-operator.x-k8s.io/v1beta1\n"
	"kind: SeccompProfile\nmetadata: {name: x}\n"
	"spec:\n  defaultAction: SCMP_ACT_LOG\n  architectures: [SCMP_ARCH_X86_64]\n"
	"  syscalls:\n"
	"  - {names: [ptrace], action: SCMP_ACT_ERRNO, errnoRet: 1}\n"
	"  - {names: [write], action: SCMP_ACT_ALLOW}\n"
	"  - names: [socket]\n    action: SCMP_ACT_ALLOW\n"
	"    args: [{index: 0, value: 1, op: SCMP_CMP_EQ}]\n"
	"  - {names: [read], action: SCMP_ACT_ALLOW}\n";

/* Enforcing, poll added, socket's condition changed, ptrace allowed. */
static const char enforcing[] =
	"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_X86_64\"],\n"
	" \"syscalls\": [\n"
	"  {\"names\": [\"poll\", \"read\", \"write\", \"ptrace\"], \"action\": \"SCMP_ACT_ALLOW\"},\n"
	"  {\"names\": [\"socket\"], \"action\": \"SCMP_ACT_ALLOW\",\n"
	"   \"args\": [{\"index\": 0, \"value\": 2, \"op\": \"SCMP_CMP_EQ\"}]}\n"
	" ]}\n";

Test(diff, same_after_normalising)
{
	struct igt_result *r = diff(spt_write("a.json", staged), spt_write("b.yaml", staged_spo));

	cr_expect_eq(r->status, 0, "status %d: %s%s", r->status, r->out, r->err);
	cr_expect_str_empty(r->out);
	igt_result_free(r);
}

Test(diff, differences_and_status)
{
	struct igt_result *r = diff(spt_write("a.json", staged), spt_write("c.json", enforcing));

	cr_expect_eq(r->status, 1, "status %d: %s", r->status, r->err);
	cr_expect_str_eq(r->out,
			 "~ defaultAction SCMP_ACT_LOG -> SCMP_ACT_ERRNO\n"
			 "+ syscall poll (SCMP_ACT_ALLOW)\n"
			 "+ syscall ptrace (SCMP_ACT_ALLOW)\n"
			 "- syscall ptrace (SCMP_ACT_ERRNO errnoRet 1)\n"
			 "- rule socket (SCMP_ACT_ALLOW) if arg0 == 1\n"
			 "+ rule socket (SCMP_ACT_ALLOW) if arg0 == 2\n");
	igt_result_free(r);
	/* the other way round: signs swap */
	r = diff(spt_write("c.json", enforcing), spt_write("a.json", staged));
	cr_expect_eq(r->status, 1);
	cr_expect_neq(strstr(r->out, "- syscall poll (SCMP_ACT_ALLOW)\n"), NULL, "%s", r->out);
	igt_result_free(r);
}

Test(diff, bad_input)
{
	struct igt_result *r = diff(spt_write("a.json", staged), spt_write("bad.json", "{\"x\": 1"));

	cr_expect_eq(r->status, 2);
	cr_expect_str_empty(r->out);
	cr_expect_neq(strstr(r->err, "bad.json:2:1: expected valid YAML or JSON"), NULL, "%s",
		      r->err);
	igt_result_free(r);
	{
		const char *const argv[] = { igt_ig_path(), "profile", "diff",
					     spt_write("a.json", staged), NULL };

		r = igt_run(argv, 20000);
		cr_expect_eq(r->status, 2);
		cr_expect_neq(strstr(r->err, "takes two profiles"), NULL, "%s", r->err);
		igt_result_free(r);
	}
}
