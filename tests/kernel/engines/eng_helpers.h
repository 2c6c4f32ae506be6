/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers shared by the engine kernel tests (real Docker, podman, containerd). */
#ifndef IG_TEST_ENG_H
#define IG_TEST_ENG_H

#include <stdbool.h>

#include <jansson.h>

#include "tests/lib/igengine.h"

/* The first JSON object in a stream of ig's output whose string at dotted
 * path equals value; NULL if none. Caller json_decref()s. */
json_t *eng_find(const char *text, const char *path, const char *value);
/* String at a dotted path ("runtime.containerName") of obj, or NULL. */
const char *eng_str(json_t *obj, const char *path);
/* "<tag>-<pid>-<n>": a container name unique to this test run. */
const char *eng_name(char *buf, size_t size, const char *tag);
/* A fresh temp dir (the tests' profiles), removed by the caller. */
void eng_tmpdir(char *buf, size_t size, const char *tag);

#endif /* IG_TEST_ENG_H */
