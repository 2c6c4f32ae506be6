/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reading a seccomp profile: an OCI linux.seccomp object (or an OCI
 * config.json holding one under linux.seccomp) or a Security Profiles
 * Operator SeccompProfile (v1 or v1beta1), in JSON or YAML. libyaml reads
 * both (JSON is YAML flow style) and keeps a position per node, so every
 * complaint is one line naming the file, the line and column of the node at
 * fault and what was expected there.
 */
#ifndef IG_LIB_SECCOMP_PARSE_H
#define IG_LIB_SECCOMP_PARSE_H

#include <stddef.h>

#include "profile.h"

/* NULL with errno set and "<path>:<line>:<col>: expected ..." in err. */
struct sp_profile *sp_profile__parse(const char *path, const char *buf, size_t len,
				     char *err, size_t errlen);
/* The same from the text of a whole file (NUL-terminated, writable: a
 * JSON text's tabs between tokens, which libyaml refuses, are blanked). */
struct sp_profile *sp_profile__load_text(const char *path, char *buf, size_t len, char *err,
					 size_t errlen);
/* The same from a file (a regular file; at most 16 MiB). Gadgets read the
 * file with host->read_file and call sp_profile__load_text(). */
struct sp_profile *sp_profile__load(const char *path, char *err, size_t errlen);

#endif /* IG_LIB_SECCOMP_PARSE_H */
