/* SPDX-License-Identifier: Apache-2.0 */
/* Kernel BTF lookups the core needs without a full libbpf parse (internal). */
#ifndef IG_CORE_ENGINE_KBTF_H
#define IG_CORE_ENGINE_KBTF_H

#include <stddef.h>

/* One question: where is member in the kernel's struct strct? */
struct ig_kbtf_member {
	const char *strct;
	const char *member;
	int off;		/* out: byte offset, or -errno (-ENOENT: not found) */
};

/* Answer n questions with one walk over /sys/kernel/btf/vmlinux. Returns 0
 * when every one was found, else the first -errno (each q[i].off says). */
int ig_kbtf__member_offsets(struct ig_kbtf_member *q, size_t n);
/* Byte offset of member in struct strct, or -errno (-ENOENT if not found). */
int ig_kbtf__member_offset(const char *strct, const char *member);

/* One question: the id of the type named name of kind (a BTF_KIND_*), or of
 * the enum that has an enumerator named name (IG_KBTF_ENUMERATOR). */
#define IG_KBTF_ENUMERATOR	(-1)
struct ig_kbtf_name {
	int kind;
	const char *name;
	int id;			/* out: the type id (> 0), or -ENOENT */
};

/* Answer n name questions with one walk. 0, or -errno when the kernel's BTF
 * cannot be read (every id then stays -ENOENT). */
int ig_kbtf__find_names(struct ig_kbtf_name *q, size_t n);

#endif /* IG_CORE_ENGINE_KBTF_H */
