/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What two profiles allow differently, after normalising each (normal.h), so
 * that how a file groups or orders its rules never shows as a difference.
 * One line per difference:
 *   ~ defaultAction SCMP_ACT_LOG -> SCMP_ACT_ERRNO
 *   - architecture SCMP_ARCH_X86
 *   + syscall poll (SCMP_ACT_ALLOW)
 *   - rule socket (SCMP_ACT_ALLOW) if arg0 == 1
 * "-" is only in a, "+" only in b.
 */
#ifndef IG_LIB_SECCOMP_DIFF_H
#define IG_LIB_SECCOMP_DIFF_H

#include <stdio.h>

#include "normal.h"

/* The number of differences written to out, or -errno. */
int sp_profile__diff(struct sp_profile *a, struct sp_profile *b, const struct sp_merge_opts *o,
		     FILE *out);
/* One entry as a diff line's text: "syscall poll (SCMP_ACT_ALLOW)". */
void sp_entry__text(const struct sp_entry *e, char *buf, size_t size);

#endif /* IG_LIB_SECCOMP_DIFF_H */
