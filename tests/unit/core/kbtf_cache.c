// SPDX-License-Identifier: Apache-2.0
/*
 * core/kbtf.c's vmlinux BTF cache: while the core holds it (around a
 * gadget's init()), every load gets the one parsed BTF; each btf__free() and
 * the drop give back a reference, and a reference kept past the drop stays
 * usable. Outside a hold, two live loads are two parses. These call the
 * exported replacements directly, as libbpf does inside ig.
 */
#include <criterion/criterion.h>

#include <bpf/btf.h>

#include "../../../core/kbtf.h"

Test(kbtf_cache, shared_while_held)
{
	struct btf *a, *b, *c;

	ig_kbtf__cache_hold();
	a = btf__load_vmlinux_btf();
	cr_assert_not_null(a, "no vmlinux BTF");
	b = btf__load_vmlinux_btf();
	cr_assert_eq(a, b, "a second load while held parsed again");
	btf__free(a);		/* what libbpf does at the end of an object load */
	btf__free(b);
	c = btf__load_vmlinux_btf();
	cr_assert_eq(c, a, "freed by its users while still held");
	cr_assert_gt(btf__type_cnt(c), 1000);
	btf__free(c);
	ig_kbtf__cache_drop();
}

Test(kbtf_cache, not_shared_outside_a_hold)
{
	struct btf *a = btf__load_vmlinux_btf(), *b = btf__load_vmlinux_btf();

	cr_assert(a && b);
	cr_assert_neq(a, b, "loads outside a hold share one BTF");
	btf__free(a);
	btf__free(b);
}

Test(kbtf_cache, reference_outlives_the_drop)
{
	struct btf *a, *b, *c, *d;
	int n;

	ig_kbtf__cache_hold();
	a = btf__load_vmlinux_btf();
	cr_assert_not_null(a);
	n = (int)btf__type_cnt(a);
	ig_kbtf__cache_drop();
	/* still referenced by its caller: still the same, still readable */
	b = btf__load_vmlinux_btf();
	cr_assert_eq(b, a);
	cr_assert_eq((int)btf__type_cnt(a), n);
	btf__free(b);
	cr_assert_eq((int)btf__type_cnt(a), n);
	btf__free(a);
	/* the last reference is gone: loads are separate parses again */
	c = btf__load_vmlinux_btf();
	d = btf__load_vmlinux_btf();
	cr_assert(c && d);
	cr_assert_neq(c, d);
	btf__free(c);
	btf__free(d);
}
