// SPDX-License-Identifier: Apache-2.0
/* Helpers shared by the container kernel tests. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "ctr_helpers.h"

struct igt_bundle *ctr_start(const char *tag, void (*annotate)(struct igt_bundle *b, void *arg),
			     void *arg)
{
	const char *const args[] = { "/bin/sh", "-c", "while true; do sleep 1; done", NULL };
	struct igt_bundle *b;
	char id[64];

	b = igt_bundle_new(igt_unique_id(id, tag), args);
	if (annotate)
		annotate(b, arg);
	igt_bundle_start(b);
	return b;
}

json_t *ctr_get(json_t *obj, const char *path)
{
	char buf[128], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *k = strtok_r(buf, ".", &save); k && obj; k = strtok_r(NULL, ".", &save))
		obj = json_object_get(obj, k);
	return obj;
}

const char *ctr_str(json_t *obj, const char *path)
{
	return json_string_value(ctr_get(obj, path));
}

long long ctr_int(json_t *obj, const char *path)
{
	return json_integer_value(ctr_get(obj, path));
}

json_t *ctr_find_line(const char *text, const char *path, const char *value,
		      const char *path2, const char *value2)
{
	const char *line = text, *nl;

	for (; line && *line; line = nl ? nl + 1 : NULL) {
		json_t *obj;
		const char *v, *v2;

		nl = strchr(line, '\n');
		obj = json_loadb(line, nl ? (size_t)(nl - line) : strlen(line), 0, NULL);
		if (!obj)
			continue;
		v = ctr_str(obj, path);
		v2 = path2 ? ctr_str(obj, path2) : NULL;
		if (v && !strcmp(v, value) && (!path2 || (v2 && strstr(v2, value2))))
			return obj;
		json_decref(obj);
	}
	return NULL;
}

int ctr_wait_file(const char *path, const char *needle, int ms)
{
	for (int waited = 0; waited < ms; waited += 50) {
		char *text = igt_read_file(path, NULL);
		bool hit = text && strstr(text, needle);

		free(text);
		if (hit)
			return 0;
		usleep(50000);
	}
	return -1;
}
