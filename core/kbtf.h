/* SPDX-License-Identifier: Apache-2.0 */
/* Kernel BTF lookups the core needs without a full libbpf parse (internal). */
#ifndef IG_CORE_KBTF_H
#define IG_CORE_KBTF_H

/* Byte offset of member in the kernel's struct strct (from
 * /sys/kernel/btf/vmlinux), or -errno (-ENOENT if not found). */
int ig_kbtf__member_offset(const char *strct, const char *member);

#endif /* IG_CORE_KBTF_H */
