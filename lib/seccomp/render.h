/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Writing a profile as JSON text: an OCI linux.seccomp object or an SPO
 * SeccompProfile (p->format), indented by two spaces, members always in the
 * same order, so the same profile is always the same bytes. Written by hand
 * rather than through jansson, whose integers stop at 2^63: argument values
 * are unsigned 64-bit (a mask 0xffffffff00000000 is over it).
 */
#ifndef IG_LIB_SECCOMP_RENDER_H
#define IG_LIB_SECCOMP_RENDER_H

#include "profile.h"

/* The text, ending in a newline; malloc'ed, NULL on ENOMEM. report is NULL
 * or a JSON object (compact text) of ig's report: the OCI object's
 * "ig.io/report" member, or the SPO object's "ig.io/report" annotation. */
char *sp_profile__render(const struct sp_profile *p, const char *report);

#endif /* IG_LIB_SECCOMP_RENDER_H */
