// SPDX-License-Identifier: Apache-2.0
/* Helpers shared by the engine kernel tests. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "eng_helpers.h"

const int igt_engines_wanted = 1;

const char *eng_str(json_t *obj, const char *path)
{
	char buf[256], *save = NULL;
	json_t *cur = obj;

	snprintf(buf, sizeof(buf), "%s", path);
	/* Enriched fields nest ("runtime": {"containerName": ...}); the
	 * list-containers fields are flat ("k8s.pod"): try flat first. */
	if (json_object_get(obj, path))
		return json_string_value(json_object_get(obj, path));
	for (char *tok = strtok_r(buf, ".", &save); tok && cur; tok = strtok_r(NULL, ".", &save))
		cur = json_object_get(cur, tok);
	return json_string_value(cur);
}

json_t *eng_find(const char *text, const char *path, const char *value)
{
	json_t *all = igt_json_values(text), *v, *hit = NULL;
	size_t i;

	json_array_foreach(all, i, v) {
		const char *s = eng_str(v, path);

		if (s && !strcmp(s, value)) {
			hit = json_incref(v);
			break;
		}
	}
	json_decref(all);
	return hit;
}

const char *eng_name(char *buf, size_t size, const char *tag)
{
	static int n;

	snprintf(buf, size, "%s-%d-%d", tag, (int)getpid(), n++);
	return buf;
}

void eng_tmpdir(char *buf, size_t size, const char *tag)
{
	igt_tmpdir_new(buf, size, tag);
}
