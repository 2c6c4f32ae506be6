/* SPDX-License-Identifier: Apache-2.0 */
/* seccomp-audit kernel test helpers. */
#ifndef SAU_KT_H
#define SAU_KT_H

#include <jansson.h>

#include "tests/lib/igtest.h"

/* OCI profile of the tests: see tests/fixtures/static/sau_work.c; it also
 * denies pivot_root, sethostname and mount, which only runc init calls,
 * before the filter is installed (so a dry run must not count them). */
extern const char kt_profile_json[];
/* The same profile as an SPO SeccompProfile in YAML. */
extern const char kt_profile_spo_yaml[];

/* Serialise the tests of this binary: each ig run may switch audit on and
 * back off, which must not happen under another run's feet. */
void kt_lock(void);
void kt_unlock(void);

/* Audit "enabled" via AUDIT_GET (independent of the gadget's code). */
int kt_audit_enabled(void);
void kt_audit_set(int enabled);
/* The registered audit daemon's pid (AUDIT_GET .pid), 0 if none. */
int kt_audit_pid(void);

/* A bundle running /bin/sau_work with args; profile JSON or NULL. */
struct igt_bundle *kt_bundle(const char *tag, const char *const args[], const char *profile);
/* Run ig (extra args, NULL-terminated) around a foreground run of b; returns
 * the JSON records ig printed; *run gets the container's result. */
json_t *kt_record(struct igt_bundle *b, const char *const extra[], struct igt_result **run);
/* Parse ig's JSON lines. */
json_t *kt_parse(const char *out);
/* Records matching syscall and action (NULL: any), optionally errno. */
int kt_count(json_t *recs, const char *syscall, const char *action, const char *err);
/* "syscall/action" set as a sorted, comma-joined string (caller frees). */
char *kt_set(json_t *recs);
/* Write text to a temp file; returns its path (static buffer per call slot). */
const char *kt_write_temp(const char *tag, const char *text, char *path, size_t size);

#endif /* SAU_KT_H */
