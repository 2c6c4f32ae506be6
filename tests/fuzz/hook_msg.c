// SPDX-License-Identifier: Apache-2.0
// fuzz-sources: core/containers/hook_msg.c
// fuzz-libs: -ljansson
/*
 * A message on ig's hook socket (core/containers/hook_msg.c,
 * ctr_hook_parse): what it accepts must be what the table can use.
 */
#include <stdlib.h>
#include <string.h>

#include "core/containers/hook_msg.h"
#include "fuzz.h"

FUZZ_TARGET(hook_msg)
{
	struct ctr_hook_msg m;
	char err[256];

	if (!ctr_hook_parse((const char *)data, size, &m, err, sizeof(err))) {
		if (!m.id || !*m.id || (m.stage != CTR_HOOK_POSTSTOP && m.pid <= 0))
			abort();
		for (uint32_t i = 0; i < m.nr_annotations; i++)
			if (!m.annotations[i].key || !m.annotations[i].value)
				abort();
	} else if (!err[0]) {
		abort();	/* a refusal always says why */
	}
	ctr_hook_msg__free(&m);
	return 0;
}
