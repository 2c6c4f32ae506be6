// SPDX-License-Identifier: Apache-2.0
/*
 * seccomp-advisor pure logic: syscall sets, libseccomp naming per ABI,
 * argument rules, unions, base profiles, OCI and SPO rendering.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <jansson.h>
#include <seccomp.h>
#include <string.h>

#include "gadgets/seccomp-advisor/seccomp_advisor_int.h"

static struct sa_names names(void)
{
	struct sa_names nm = { sa_arch_native(), sa_arch_compat(sa_arch_native()) };

	return nm;
}

static int nr_of(const char *name)
{
	int nr = seccomp_syscall_resolve_name(name);

	cr_assert_geq(nr, 0, "libseccomp does not know %s", name);
	return nr;
}

static json_t *render(struct sa_profile *p, bool errno_set, uint32_t err)
{
	uint32_t archs[4];
	struct sa_doc_opts o = { .errno_set = errno_set, .default_errno = err, .archs = archs };

	o.nr_archs = sa_arch_list(sa_arch_native(), archs, 4);
	return sa_profile__oci(p, &o);
}

/* The unconditional rule's names, space-joined. */
static char *allow_names(json_t *doc)
{
	json_t *rule = json_array_get(json_object_get(doc, "syscalls"), 0), *n;
	static char buf[4096];
	size_t i;

	buf[0] = '\0';
	json_array_foreach(json_object_get(rule, "names"), i, n)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s", i ? " " : "",
			 json_string_value(n));
	return buf;
}

Test(set, add_has_count_or)
{
	struct sa_set *a = sa_set__new(512), *b = sa_set__new(512);

	sa_set__add(a, false, 0);
	sa_set__add(a, false, 511);
	sa_set__add(a, false, 512);	/* out of range: ignored */
	sa_set__add(b, true, 3);
	cr_assert(sa_set__has(a, false, 511));
	cr_assert_not(sa_set__has(a, true, 511));
	cr_assert_eq(sa_set__count(a, false), 2);
	sa_set__or(a, b);
	cr_assert(sa_set__has(a, true, 3));
	cr_assert_eq(sa_set__count(a, true), 1);
	sa_set__free(a);
	sa_set__free(b);
	sa_set__free(NULL);
}

Test(set, arg_values_bounded)
{
	struct sa_set *s = sa_set__new(512);
	uint64_t v;

	for (v = 0; v < SA_ARGS_MAX_VALUES; v++)
		sa_set__add_arg(s, 41, 0, v, false);
	sa_set__add_arg(s, 41, 0, 3, false);	/* duplicate */
	cr_assert_eq(s->nr_args, 1);
	cr_assert_eq(s->args[0].n, SA_ARGS_MAX_VALUES);
	cr_assert_not(s->args[0].overflow);
	sa_set__add_arg(s, 41, 0, 99, false);
	cr_assert(s->args[0].overflow, "past the bound the syscall becomes name-only");
	sa_set__free(s);
}

Test(arch, native_first_with_companions)
{
	uint32_t archs[4];
	int n = sa_arch_list(sa_arch_native(), archs, 4);

	cr_assert_geq(n, 1);
	cr_assert_eq(archs[0], seccomp_arch_native());
	cr_assert_not_null(sa_arch_name(archs[0]));
	if (seccomp_arch_native() == SCMP_ARCH_X86_64) {
		cr_assert_eq(n, 3);
		cr_assert_str_eq(sa_arch_name(archs[1]), "SCMP_ARCH_X86");
		cr_assert_str_eq(sa_arch_name(archs[2]), "SCMP_ARCH_X32");
	}
	cr_assert_geq(sa_native_syscall_count(), (uint32_t)nr_of("execve") + 1);
	cr_assert_eq(sa_native_syscall_count() % 64, 0);
}

/* A compat number is named for the 32-bit ABI: on x86_64, 20 is writev
 * natively and getpid for i386. */
Test(names, compat_named_for_its_abi)
{
	struct sa_set *s = sa_set__new(512);
	struct sa_profile *p = sa_profile__new();
	struct sa_names nm = names();
	json_t *doc;

	char *want;

	cr_assert_neq(nm.compat_arch, 0, "this host has no compat ABI in the table");
	want = seccomp_syscall_resolve_num_arch(nm.compat_arch, 20);
	cr_assert_not_null(want);
	sa_set__add(s, true, 20);
	cr_assert_eq(sa_profile__add_set(p, s, &nm, false, NULL), 0);
	doc = render(p, false, 0);
	cr_assert_str_eq(allow_names(doc), want);
	if (nm.native_arch == SCMP_ARCH_X86_64)
		cr_assert_str_eq(want, "getpid", "i386 20 is getpid (x86_64 20 is writev)");
	free(want);
	json_decref(doc);
	sa_set__free(s);
	sa_profile__free(p);
}

Test(names, sorted_unique_and_errno)
{
	struct sa_set *s = sa_set__new(512);
	struct sa_profile *p = sa_profile__new();
	struct sa_names nm = names();
	json_t *doc;

	sa_set__add(s, false, nr_of("write"));
	sa_set__add(s, false, nr_of("read"));
	sa_set__add(s, false, nr_of("exit_group"));
	cr_assert_eq(sa_profile__add_set(p, s, &nm, false, NULL), 0);
	cr_assert_eq(sa_profile__add_name(p, "read"), 0);
	doc = render(p, true, 38);
	cr_assert_str_eq(allow_names(doc), "exit_group read write");
	cr_assert_str_eq(json_string_value(json_object_get(doc, "defaultAction")),
			 "SCMP_ACT_ERRNO");
	cr_assert_eq(json_integer_value(json_object_get(doc, "defaultErrnoRet")), 38);
	cr_assert_eq(sa_profile__count(p), 3);
	json_decref(doc);
	doc = render(p, false, 0);
	cr_assert_null(json_object_get(doc, "defaultErrnoRet"));
	json_decref(doc);
	sa_set__free(s);
	sa_profile__free(p);
}

/* --args: one rule per value (conditions in one rule are ANDed). */
Test(args, one_rule_per_value)
{
	struct sa_set *s = sa_set__new(512);
	struct sa_profile *p = sa_profile__new();
	struct sa_names nm = names();
	int sock = nr_of("socket");
	json_t *doc, *rules, *r1, *r2;

	sa_set__add(s, false, sock);
	sa_set__add_arg(s, sock, 0, 2, false);
	sa_set__add_arg(s, sock, 0, 1, false);
	cr_assert_eq(sa_profile__add_set(p, s, &nm, true, NULL), 0);
	doc = render(p, false, 0);
	rules = json_object_get(doc, "syscalls");
	cr_assert_eq(json_array_size(rules), 2, "no unconditional rule, two arg rules");
	r1 = json_array_get(rules, 0);
	r2 = json_array_get(rules, 1);
	cr_assert_eq(json_array_size(json_object_get(r1, "args")), 1);
	cr_assert_eq(json_integer_value(json_object_get(
		json_array_get(json_object_get(r1, "args"), 0), "value")), 1);
	cr_assert_eq(json_integer_value(json_object_get(
		json_array_get(json_object_get(r2, "args"), 0), "value")), 2);
	cr_assert_str_eq(json_string_value(json_object_get(
		json_array_get(json_object_get(r2, "args"), 0), "op")), "SCMP_CMP_EQ");
	cr_assert_eq(sa_profile__count(p), 1);
	json_decref(doc);
	sa_set__free(s);
	sa_profile__free(p);
}

Test(args, overflow_is_name_only)
{
	struct sa_set *s = sa_set__new(512);
	struct sa_profile *p = sa_profile__new();
	struct sa_names nm = names();
	int ioc = nr_of("ioctl");
	json_t *doc;

	sa_set__add(s, false, ioc);
	sa_set__add_arg(s, ioc, 1, 0, true);
	cr_assert_eq(sa_profile__add_set(p, s, &nm, true, NULL), 0);
	doc = render(p, false, 0);
	cr_assert_str_eq(allow_names(doc), "ioctl");
	cr_assert_eq(json_array_size(json_object_get(doc, "syscalls")), 1);
	json_decref(doc);
	sa_set__free(s);
	sa_profile__free(p);
}

Test(base, union_and_bad_input)
{
	struct sa_profile *p = sa_profile__new(), *q = sa_profile__new();
	const char *why = NULL;
	json_t *base, *doc;

	base = json_loads("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":["
			  "{\"names\":[\"getpid\",\"read\"],\"action\":\"SCMP_ACT_ALLOW\"},"
			  "{\"names\":[\"reboot\"],\"action\":\"SCMP_ACT_ERRNO\"},"
			  "{\"names\":[\"personality\"],\"action\":\"SCMP_ACT_ALLOW\","
			  "\"args\":[{\"index\":0,\"value\":8,\"op\":\"SCMP_CMP_EQ\"}]}]}", 0, NULL);
	cr_assert_not_null(base);
	sa_profile__add_name(p, "write");
	cr_assert_eq(sa_profile__add_oci(q, base, &why), 0);
	cr_assert_eq(sa_profile__union(p, q), 0);
	doc = render(p, false, 0);
	cr_assert_str_eq(allow_names(doc), "getpid read write", "reboot (ERRNO) must not widen");
	cr_assert_eq(json_array_size(json_object_get(doc, "syscalls")), 2);
	json_decref(doc);
	json_decref(base);
	base = json_loads("{\"hello\":1}", 0, NULL);
	cr_assert_eq(sa_profile__add_oci(q, base, &why), -EINVAL);
	cr_assert_not_null(why);
	json_decref(base);
	sa_profile__free(p);
	sa_profile__free(q);
	sa_profile__free(NULL);
}

Test(spo, document_shape)
{
	struct sa_profile *p = sa_profile__new();
	uint32_t archs[4];
	struct sa_doc_opts o = { .archs = archs };
	struct sa_spo_meta m = { .api = "v1beta1", .name = "My_Pod-web", .recorded_from = "x" };
	json_t *doc;

	o.nr_archs = sa_arch_list(sa_arch_native(), archs, 4);
	sa_profile__add_name(p, "read");
	doc = sa_profile__spo(p, &o, &m);
	cr_assert_str_eq(json_string_value(json_object_get(doc, "apiVersion")),
			 "security-profiles-operator.x-k8s.io/v1beta1");
	cr_assert_str_eq(json_string_value(json_object_get(doc, "kind")), "SeccompProfile");
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(doc, "metadata"),
							   "name")), "my-pod-web");
	cr_assert_not_null(json_object_get(json_object_get(doc, "spec"), "syscalls"));
	json_decref(doc);
	sa_profile__free(p);
}

Test(spo, dns_names)
{
	char out[64];

	sa_dns_name(out, sizeof(out), "--A b/C..");
	cr_assert_str_eq(out, "a-b-c");
	sa_dns_name(out, sizeof(out), "///");
	cr_assert_str_eq(out, "profile");
}

Test(runc, after_filter_lists)
{
	const char *const *nnp = sa_runc_after_filter(true), *const *no = sa_runc_after_filter(false);
	bool execve = false, capset_nnp = false, capset = false, sigreturn = false;
	const char *const *go;

	for (; *nnp; nnp++) {
		execve |= !strcmp(*nnp, "execve");
		capset_nnp |= !strcmp(*nnp, "capset");
		cr_assert(strcmp(*nnp, "mount") && strcmp(*nnp, "pivot_root"), "%s", *nnp);
	}
	for (; *no; no++)
		capset |= !strcmp(*no, "capset");
	cr_assert(execve && capset && !capset_nnp);
	/* the timing-dependent Go runtime calls are a list of their own */
	for (go = sa_runc_go_runtime(); *go; go++) {
		sigreturn |= !strcmp(*go, "rt_sigreturn");
		cr_assert(strcmp(*go, "execve") && strcmp(*go, "mount"), "%s", *go);
	}
	cr_assert(sigreturn);
	cr_assert_eq(sa_bundle_nnp("/nonexistent"), -ENOENT);
}
