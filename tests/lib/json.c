// SPDX-License-Identifier: Apache-2.0
/*
 * ig's JSON output as a stream: one JSON text after another, whatever the
 * layout (-o json records one per line, -o jsonpretty reports over many).
 */
#include <criterion/criterion.h>
#include <string.h>

#include <jansson.h>

#include "igtest.h"

json_t *igt_json_values(const char *text)
{
	json_t *all = json_array();
	size_t off = 0, len = strlen(text);

	cr_assert_not_null(all);
	while (off < len) {
		json_error_t err;
		json_t *v;

		while (off < len && strchr(" \t\r\n", text[off]))
			off++;
		if (off >= len)
			break;
		/* no EOF check: the parser stops after one text and says where */
		v = json_loadb(text + off, len - off, JSON_DISABLE_EOF_CHECK, &err);
		cr_assert_not_null(v, "bad JSON in ig output at %zu (%s): %.80s", off, err.text,
				   text + off);
		json_array_append_new(all, v);
		off += err.position;
	}
	return all;
}
