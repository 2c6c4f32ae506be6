// SPDX-License-Identifier: Apache-2.0
/* Every seed and every past finding of a fuzz target, through the target's
 * function, in make test (tests/fuzz/fuzz.h). */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "igtest.h"

static int replay_dir(const char *dir, int (*fn)(const uint8_t *, size_t))
{
	char path[PATH_MAX];
	struct dirent *de;
	size_t len;
	char *data;
	int n = 0;
	DIR *d = opendir(dir);

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		data = igt_read_file(path, &len);
		cr_assert_not_null(data, "cannot read %s", path);
		cr_log_info("replaying %s", path);
		fn((const uint8_t *)data, len);
		free(data);
		n++;
	}
	closedir(d);
	return n;
}

int igt_fuzz_replay(const char *target, int (*fn)(const uint8_t *data, size_t size))
{
	char dir[PATH_MAX];
	int n;

	snprintf(dir, sizeof(dir), "%s/../tests/fuzz/corpus/%s", igt_build_dir(), target);
	n = replay_dir(dir, fn);
	cr_assert_gt(n, 0, "no seeds in %s", dir);
	snprintf(dir, sizeof(dir), "%s/../tests/fuzz/regress/%s", igt_build_dir(), target);
	return n + replay_dir(dir, fn);
}
