/* SPDX-License-Identifier: Apache-2.0 */
/* seccomp-advisor kernel tests: record under ig, rerun under the profile. */
#ifndef SA_TEST_H
#define SA_TEST_H

#include <stdbool.h>

#include "tests/lib/igtest.h"

/* Record b's run under `ig run seccomp-advisor -c <id> --output-dir D
 * [extra...]` (extra: up to 4 args, NULL-terminated or NULL). Returns the
 * profile file's text (caller frees); *run gets the container's result. */
char *sa_record(struct igt_bundle *b, const char *const extra[], struct igt_result **run);
/* Same, several containers: returns the output dir (static buffer). */
const char *sa_record_many(struct igt_bundle **b, int n, const char *const extra[]);

/* A fresh bundle running args, with fixture (a static binary under
 * build/tests/fixtures/static/, copied to /bin/<name>) when not NULL. */
struct igt_bundle *sa_bundle(const char *tag, const char *const args[], const char *fixture);
/* Run a fresh bundle of args under the profile text. */
struct igt_result *sa_run_with(const char *tag, const char *const args[], const char *fixture,
			       const char *profile);
/* The profile without one name in its unconditional allow rule (and without
 * its argument rules); caller frees. Fails the test if the name is absent. */
char *sa_profile_without(const char *profile, const char *name);
/* Whether the profile allows name (unconditionally or with args). */
bool sa_profile_allows(const char *profile, const char *name);
/* Validate with python3-jsonschema against tests/schema's references: kind
 * "oci" (config-linux.json linux.seccomp) or "spo" (the CRD of apiVersion). */
void sa_validate(const char *doc_json, const char *kind);

#endif /* SA_TEST_H */
