/* SPDX-License-Identifier: Apache-2.0 */
/* capabilities gadget kernel tests: shared helpers (ct_helpers.c). */
#ifndef CT_H
#define CT_H

#include <jansson.h>
#include <stdbool.h>

#include "tests/lib/igtest.h"

/* A bundle running build/tests/fixtures/static/cap_work (as /bin/cap_work)
 * with the given actions, e.g. {"bind80", "chown", NULL}. */
struct igt_bundle *ct_bundle(const char *tag, const char *const actions[]);

/* Run b under `ig run capabilities -c <id> -o json [extra...]` (extra: up to
 * 3 args, NULL-terminated, or NULL) and return ig's stdout parsed: an array
 * of every JSON line. *run gets the container's result. */
json_t *ct_record(struct igt_bundle *b, const char *const extra[], struct igt_result **run);

/* The first record in recs with all the given string fields equal (pairs of
 * key, value, NULL-terminated; a key may be "runtime.containerName").
 * NULL if none. */
json_t *ct_find(json_t *recs, ...) __attribute__((sentinel));
/* How many records match. */
int ct_count(json_t *recs, ...) __attribute__((sentinel));

/* The advice document for container id in recs (has "process"), or fail. */
json_t *ct_advice(json_t *recs, const char *id);

/* Validate advice["process"] against the OCI config schema (python3-jsonschema)
 * and advice["securityContext"] in a Pod with kubernetes-models (node). */
void ct_validate(json_t *advice);

#endif /* CT_H */
