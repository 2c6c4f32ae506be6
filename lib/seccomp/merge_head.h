/* SPDX-License-Identifier: Apache-2.0 */
/* Merging what surrounds the rules of several profiles (normal.c's helper):
 * format, SPO apiVersion and name, default action, architectures, flags. */
#ifndef IG_LIB_SECCOMP_MERGE_HEAD_H
#define IG_LIB_SECCOMP_MERGE_HEAD_H

#include "profile.h"

typedef void (*sp_say_fn)(const struct sp_merge_opts *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Fill out's header from in[0..n) (see normal.h); say() gets each choice
 * the inputs disagreed on. 0 or -ENOMEM. */
int sp_merge__head(struct sp_profile *out, struct sp_profile *const *in, unsigned int n,
		   const struct sp_merge_opts *o, sp_say_fn say);

#endif /* IG_LIB_SECCOMP_MERGE_HEAD_H */
