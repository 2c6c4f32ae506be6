// SPDX-License-Identifier: Apache-2.0
// fuzz-sources: plugins/runc/json_scan.c plugins/runc/runc_parse.c
// fuzz-libs:
/*
 * runc's state.json and a bundle's config.json (plugins/runc/runc_parse.c):
 * the same bytes through both parsers, from memory and streamed from a
 * descriptor (the 64 KiB window refills mid-token).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"
#include "plugins/runc/json_scan.h"
#include "plugins/runc/runc.h"

/* Stream data through a memfd, as runc_state__load() reads a file. */
static void streamed(const uint8_t *data, size_t size)
{
	struct runc_state st;
	struct jscan s;
	char err[256];
	int fd = memfd_create("fuzz-state", MFD_CLOEXEC);

	if (fd < 0)
		return;
	if (write(fd, data, size) == (ssize_t)size && !lseek(fd, 0, SEEK_SET) &&
	    !js_init_fd(&s, fd, 1u << 20)) {
		if (!runc_state__scan(&s, &st, NULL, err, sizeof(err)))
			runc_state__free(&st);
		js_fini(&s);
	}
	close(fd);
}

FUZZ_TARGET(runc_state)
{
	struct runc_state st;
	char err[256];

	if (!runc_state__parse((const char *)data, size, &st, err, sizeof(err))) {
		/* what the plugin hands the core: C strings, bounded */
		if (!st.id || !*st.id || st.pid <= 0 || strlen(st.id) > 1024)
			abort();
		runc_state__parse_config((const char *)data, size, &st, err, sizeof(err));
		runc_state__free(&st);
	} else {
		memset(&st, 0, sizeof(st));
		if (!runc_state__parse_config((const char *)data, size, &st, err, sizeof(err)))
			runc_state__free(&st);
	}
	streamed(data, size);
	return 0;
}
