// SPDX-License-Identifier: Apache-2.0
/*
 * Where the capability functions are, for this boot: from the cache in
 * /run/ig when it is ours and from this boot, else from /proc/kallsyms
 * (about 35 ms here, most of the gadget's start-up), then cached. The cache
 * holds kernel addresses: root-only directory and file, and nothing is
 * trusted that is not owned by us with no group/other access.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "capabilities_int.h"

#define CACHE_DIR	"/run/ig"
#define CACHE_FILE	CACHE_DIR "/capabilities-ranges"

static int boot_id(char *buf, size_t len)
{
	FILE *f = fopen("/proc/sys/kernel/random/boot_id", "re");
	int err = 0;

	if (!f)
		return -errno;
	if (!fgets(buf, len, f))
		err = -EIO;
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return err ?: (*buf ? 0 : -EIO);
}

static bool private_to_us(const struct stat *st, mode_t type)
{
	return (st->st_mode & S_IFMT) == type && st->st_uid == geteuid() && !(st->st_mode & 077);
}

static int load_cache(const char *id, struct caps_range *out, int max)
{
	int fd = open(CACHE_FILE, O_RDONLY | O_NOFOLLOW | O_CLOEXEC), n;
	struct stat st;
	FILE *f;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || !private_to_us(&st, S_IFREG)) {
		close(fd);
		return -EPERM;
	}
	f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return -ENOMEM;
	}
	n = caps_ranges_load(f, id, out, max);
	fclose(f);
	return n;
}

/* Best effort: a cache that cannot be written only costs the next start-up. */
static void save_cache(const char *id, const struct caps_range *r, int n)
{
	char tmp[] = CACHE_DIR "/.capabilities-ranges-XXXXXX";
	struct stat st;
	FILE *f;
	int fd;

	if (mkdir(CACHE_DIR, 0700) && errno != EEXIST)
		return;
	if (lstat(CACHE_DIR, &st) || !private_to_us(&st, S_IFDIR))
		return;
	fd = mkstemp(tmp);	/* mode 0600 */
	if (fd < 0)
		return;
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(tmp);
		return;
	}
	if (caps_ranges_save(f, id, r, n) | fclose(f) || rename(tmp, CACHE_FILE))
		unlink(tmp);
}

int caps_ranges_for_boot(struct caps_range *out, int max, bool *cached)
{
	char id[64];
	bool have_id = !boot_id(id, sizeof(id));
	FILE *f;
	int n;

	*cached = false;
	if (have_id) {
		n = load_cache(id, out, max);
		if (n > 0) {
			*cached = true;
			return n;
		}
	}
	f = fopen("/proc/kallsyms", "re");
	if (!f)
		return -errno;
	n = caps_find_ranges(f, out, max);
	fclose(f);
	if (n > 0 && have_id)
		save_cache(id, out, n);
	return n;
}
