/* SPDX-License-Identifier: Apache-2.0 */
/* Reading formatter output back for comparison. */
#ifndef YAML_LOAD_H
#define YAML_LOAD_H

#include <jansson.h>

/* Every YAML document in text, through libyaml, as a JSON array. Plain
 * scalars resolve like YAML 1.2's core schema (null, bools, ints, floats);
 * quoted ones stay strings. Asserts that the text parses. */
json_t *yl_load_all(const char *text);
/* One JSON value per line, as a JSON array. Asserts every line parses. */
json_t *yl_json_lines(const char *text);
/* YAML text -> PyYAML safe_load_all -> one JSON line per document. */
char *yl_pyyaml_to_json_lines(const char *yaml);

#endif /* YAML_LOAD_H */
