// SPDX-License-Identifier: Apache-2.0
/*
 * core/kbtf.c against libbpf's own BTF parser: the offsets the command-mode
 * filter reads (task_struct.tgid, task_struct.signal, signal_struct.live)
 * agree, all answered by one walk; a missing member or struct is -ENOENT for
 * that question only.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include <bpf/btf.h>
#include <ig/common.h>

#include "core/engine/kbtf.h"

/* The same answer from libbpf: byte offset of member in struct strct. */
static int libbpf_offset(const struct btf *btf, const char *strct, const char *member)
{
	int id = btf__find_by_name_kind(btf, strct, BTF_KIND_STRUCT);
	const struct btf_member *m;
	const struct btf_type *t;
	int i;

	cr_assert_gt(id, 0, "libbpf finds no struct %s", strct);
	t = btf__type_by_id(btf, id);
	m = btf_members(t);
	for (i = 0; i < btf_vlen(t); i++, m++)
		if (!strcmp(btf__name_by_offset(btf, m->name_off), member))
			return (int)(btf_member_bit_offset(t, i) / 8);
	cr_assert_fail("libbpf finds no %s.%s", strct, member);
	return -1;
}

Test(kbtf, offsets_agree_with_libbpf)
{
	struct ig_kbtf_member q[] = {
		{ "task_struct", "tgid" },
		{ "task_struct", "signal" },
		{ "signal_struct", "live" },
		{ "task_struct", "pid" },
	};
	struct btf *btf = btf__load_vmlinux_btf();
	size_t i;

	cr_assert_not_null(btf, "the kernel's BTF: %s", strerror(errno));
	cr_assert_eq(ig_kbtf__member_offsets(q, sizeof(q) / sizeof(q[0])), 0);
	for (i = 0; i < sizeof(q) / sizeof(q[0]); i++)
		cr_assert_eq(q[i].off, libbpf_offset(btf, q[i].strct, q[i].member), "%s.%s",
			     q[i].strct, q[i].member);
	/* the single-member form gives the same */
	cr_assert_eq(ig_kbtf__member_offset("task_struct", "tgid"), q[0].off);
	btf__free(btf);
}

Test(kbtf, missing_is_enoent_for_that_question_only)
{
	struct ig_kbtf_member q[] = {
		{ "task_struct", "no_such_member" },
		{ "signal_struct", "live" },
		{ "no_such_struct_ig", "x" },
	};

	cr_assert_eq(ig_kbtf__member_offsets(q, 3), -ENOENT);
	cr_assert_eq(q[0].off, -ENOENT);
	cr_assert_geq(q[1].off, 0, "found although another question failed");
	cr_assert_eq(q[2].off, -ENOENT);
	cr_assert_eq(ig_kbtf__member_offset("task_struct", "no_such_member"), -ENOENT);
}

/* Name questions: the ids libbpf gives, and -ENOENT for what is not there. */
Test(kbtf, names_agree_with_libbpf)
{
	struct ig_kbtf_name q[] = {
		{ BTF_KIND_TYPEDEF, "btf_trace_sys_enter" },
		{ BTF_KIND_FUNC, "vfs_read" },
		{ BTF_KIND_STRUCT, "task_struct" },
		{ IG_KBTF_ENUMERATOR, "BPF_MAP_TYPE_HASH" },
		{ BTF_KIND_FUNC, "no_such_function_ig" },
		{ BTF_KIND_STRUCT, "vfs_read" },	/* a function, not a struct */
	};
	struct btf *btf = btf__load_vmlinux_btf();

	cr_assert_not_null(btf);
	cr_assert_eq(ig_kbtf__find_names(q, IG_ARRAY_SIZE(q)), 0);
	cr_assert_eq(q[0].id, btf__find_by_name_kind(btf, "btf_trace_sys_enter", BTF_KIND_TYPEDEF));
	cr_assert_eq(q[1].id, btf__find_by_name_kind(btf, "vfs_read", BTF_KIND_FUNC));
	cr_assert_eq(q[2].id, btf__find_by_name_kind(btf, "task_struct", BTF_KIND_STRUCT));
	cr_assert_eq(q[3].id, btf__find_by_name_kind(btf, "bpf_map_type", BTF_KIND_ENUM));
	cr_assert_eq(q[4].id, -ENOENT);
	cr_assert_eq(q[5].id, -ENOENT);
	btf__free(btf);
}

/* libbpf's answer for a member that may sit in anonymous structs and
 * unions: their offsets add up; -ENOENT when there is none. */
static int libbpf_deep_offset(const struct btf *btf, int id, const char *member, int depth)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	const struct btf_member *m = btf_members(t);

	for (int i = 0; depth < 4 && i < btf_vlen(t); i++, m++) {
		const char *name = btf__name_by_offset(btf, m->name_off);
		int base = (int)(btf_member_bit_offset(t, i) / 8), off;

		if (!strcmp(name, member))
			return base;
		if (!name[0] && (off = libbpf_deep_offset(btf, (int)m->type, member, depth + 1)) >= 0)
			return base + off;
	}
	return -ENOENT;
}

/* Members in anonymous structs and unions: struct page's mapping (a union
 * of structs on every kernel ig supports), and the mount namespace id births
 * read (ns_common.ns_id, in a struct in a union on 6.18; not there before,
 * then both say so). */
Test(kbtf, members_of_anonymous_structs_agree_with_libbpf)
{
	struct ig_kbtf_member q[] = {
		{ "page", "mapping" },
		{ "ns_common", "ns_id" },
		{ "ns_common", "inum" },
	};
	struct btf *btf = btf__load_vmlinux_btf();
	size_t i;

	cr_assert_not_null(btf);
	ig_kbtf__member_offsets(q, IG_ARRAY_SIZE(q));
	for (i = 0; i < IG_ARRAY_SIZE(q); i++) {
		int id = btf__find_by_name_kind(btf, q[i].strct, BTF_KIND_STRUCT);

		cr_assert_gt(id, 0);
		cr_assert_eq(q[i].off, libbpf_deep_offset(btf, id, q[i].member, 0), "%s.%s: %d",
			     q[i].strct, q[i].member, q[i].off);
	}
	cr_assert_gt(q[0].off, 0, "page.mapping found");
	btf__free(btf);
}
