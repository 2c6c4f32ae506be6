/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers shared by the container kernel tests. */
#ifndef IG_TEST_CTR_HELPERS_H
#define IG_TEST_CTR_HELPERS_H

#include <stdint.h>
#include <sys/types.h>

#include <jansson.h>

#include "tests/lib/igtest.h"

/* A started container that sleeps, named by its id unless annotated. */
struct igt_bundle *ctr_start(const char *tag, void (*annotate)(struct igt_bundle *b, void *arg),
			     void *arg);
/* The first JSON line of text whose dotted path equals value (string) and,
 * if path2 is given, whose path2 contains value2; NULL if none. Caller
 * json_decref()s. */
json_t *ctr_find_line(const char *text, const char *path, const char *value,
		      const char *path2, const char *value2);
/* Value at a dotted path ("runtime.containerName") of obj, or NULL. */
json_t *ctr_get(json_t *obj, const char *path);
const char *ctr_str(json_t *obj, const char *path);
long long ctr_int(json_t *obj, const char *path);
/* Wait until the output file of p contains needle (polls), at most ms. */
int ctr_wait_file(const char *path, const char *needle, int ms);

#endif /* IG_TEST_CTR_HELPERS_H */
