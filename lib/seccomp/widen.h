/* SPDX-License-Identifier: Apache-2.0 */
/*
 * --widen: syscalls that stand in for one another. The C library picks one
 * of a family depending on its version (glibc 2.34 creates threads with
 * clone3, falling back to clone; musl polls with poll, glibc with ppoll on
 * some architectures) and the kernel or the timing decides between others
 * (a restarted sleep, a signal returning): a profile recorded on one machine
 * may need the sibling on the next. The table is the one docs/lifecycle.md
 * shows (a unit test keeps the two the same).
 */
#ifndef IG_LIB_SECCOMP_WIDEN_H
#define IG_LIB_SECCOMP_WIDEN_H

/* The families, each NULL-terminated; the list ends with NULL. */
extern const char *const *const sp_widen_families[];

/* The siblings of name (itself left out) that this machine's libseccomp
 * knows, at most max into out; the count. */
int sp_widen__siblings(const char *name, const char **out, int max);

#endif /* IG_LIB_SECCOMP_WIDEN_H */
