/* SPDX-License-Identifier: Apache-2.0 */
/* Parse ig's -o json and -o yaml output into jansson values (test helper). */
#ifndef IG_TEST_RECORDS_H
#define IG_TEST_RECORDS_H

#include <jansson.h>

/* Every line of text that is a JSON object, as an array; lines that are not
 * JSON (the traced command's own output) and lost-events notices are
 * skipped. */
json_t *records_from_json_lines(const char *text);
/* Every YAML document of text, converted (scalars become strings, nulls
 * null), as an array. Fails the test if text is not valid YAML. */
json_t *records_from_yaml(const char *text);
/* Integer from a JSON number or a numeric string (YAML scalars). */
long long rec_int(const json_t *rec, const char *key);
const char *rec_str(const json_t *rec, const char *key);
/* Number of records whose key equals value. */
int records_count(const json_t *recs, const char *key, const char *value);

#endif /* IG_TEST_RECORDS_H */
