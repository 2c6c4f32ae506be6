/* SPDX-License-Identifier: Apache-2.0 */
/* tests/unit/seccomp-profile: profiles written to a temp dir, ig profile run
 * on them, results checked against the reference schemas. */
#ifndef SPT_HELPERS_H
#define SPT_HELPERS_H

#include "tests/lib/igtest.h"

/* A fresh temp dir for a suite (static buffer); spt_fini() removes it. */
const char *spt_dir(void);
void spt_fini(void);
/* Write text to <dir>/<name>; returns the path (static ring of buffers). */
const char *spt_write(const char *name, const char *text);
/* Validate a document with validate.py: kind "oci" (linux.seccomp of the
 * OCI runtime spec) or "spo" (the SeccompProfile CRD of its apiVersion). */
void spt_validate(const char *doc, const char *kind);

#endif /* SPT_HELPERS_H */
