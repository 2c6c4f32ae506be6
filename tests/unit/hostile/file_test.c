// SPDX-License-Identifier: Apache-2.0
/*
 * core/base/file.c: files read from places others write (regular files only,
 * no waiting on a FIFO, bounded), and files written as root (never through
 * a symlink, never over anything but a regular file, whole or not at all).
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/base/file.h"
#include "tests/lib/igtest.h"

static char dir[256], why[256];

static void setup(void)
{
	igt_tmpdir_new(dir, sizeof(dir), "file");
	why[0] = '\0';
}

static void teardown(void)
{
	igt_tmpdir_remove(dir);
}

TestSuite(file, .init = setup, .fini = teardown, .timeout = 10);

static const char *at(const char *name)
{
	static char path[2][PATH_MAX];
	static int i;

	i ^= 1;
	snprintf(path[i], sizeof(path[i]), "%s/%s", dir, name);
	return path[i];
}

static void put(const char *name, const char *text)
{
	FILE *f = fopen(at(name), "w");

	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
}

static int entries(void)
{
	struct dirent *de;
	DIR *d = opendir(dir);
	int n = 0;

	cr_assert_not_null(d);
	while ((de = readdir(d)))
		n += de->d_name[0] != '.' || (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."));
	closedir(d);
	return n;
}

Test(file, write_creates_and_replaces_regular_files)
{
	char *text;
	size_t len;

	cr_assert_eq(ig_file__write(at("out"), "one\n", 4, 0644, 0, why, sizeof(why)), 0, "%s",
		     why);
	text = ig_file__read(at("out"), 100, 0, &len, why, sizeof(why));
	cr_assert_str_eq(text, "one\n");
	free(text);
	cr_assert_eq(ig_file__write(at("out"), "two", 3, 0644, IG_FILE_SYNC, why, sizeof(why)),
		     0, "%s", why);
	text = ig_file__read(at("out"), 100, 0, &len, why, sizeof(why));
	cr_expect_str_eq(text, "two");
	cr_expect_eq(len, 3);
	free(text);
	cr_expect_eq(entries(), 1, "no temporary file is left behind");
}

Test(file, write_never_follows_or_replaces_a_symlink)
{
	char *text;
	size_t len;

	put("victim", "secret");
	cr_assert_eq(symlink(at("victim"), at("link")), 0);
	cr_expect_eq(ig_file__write(at("link"), "123\n", 4, 0644, 0, why, sizeof(why)), -EEXIST);
	cr_expect(strstr(why, "is a symlink"), "%s", why);
	text = ig_file__read(at("victim"), 100, 0, &len, why, sizeof(why));
	cr_expect_str_eq(text, "secret");
	free(text);
	cr_expect_eq(entries(), 2, "no temporary file is left behind");
}

Test(file, write_never_replaces_a_fifo_or_directory)
{
	struct stat sb;

	cr_assert_eq(mkfifo(at("fifo"), 0600), 0);
	cr_expect_eq(ig_file__write(at("fifo"), "1", 1, 0644, 0, why, sizeof(why)), -EEXIST);
	cr_expect(strstr(why, "is a FIFO"), "%s", why);
	cr_expect(!lstat(at("fifo"), &sb) && S_ISFIFO(sb.st_mode));
	cr_assert_eq(mkdir(at("d"), 0700), 0);
	cr_expect_neq(ig_file__write(at("d"), "1", 1, 0644, 0, why, sizeof(why)), 0);
	cr_expect(!lstat(at("d"), &sb) && S_ISDIR(sb.st_mode));
	cr_expect_neq(ig_file__write(at("missing/x"), "1", 1, 0644, 0, why, sizeof(why)), 0);
	cr_expect(strstr(why, "missing"), "the directory is named: %s", why);
	cr_expect_eq(ig_file__write("/", "1", 1, 0644, 0, why, sizeof(why)), -EINVAL);
}

Test(file, read_refuses_what_is_not_a_regular_file)
{
	size_t len;

	cr_assert_eq(mkfifo(at("fifo"), 0600), 0);
	cr_expect_null(ig_file__read(at("fifo"), 100, 0, &len, why, sizeof(why)),
		       "a FIFO without writer is refused at once, not waited on");
	cr_expect(strstr(why, "is a FIFO, not a regular file"), "%s", why);
	cr_expect_null(ig_file__read(dir, 100, 0, &len, why, sizeof(why)));
	cr_expect(strstr(why, "is a directory"), "%s", why);
	cr_expect_null(ig_file__read("/dev/zero", 100, 0, &len, why, sizeof(why)));
	cr_expect(strstr(why, "character device"), "%s", why);
}

Test(file, read_is_bounded_and_nofollow_refuses_symlinks)
{
	char *text;
	size_t len;

	put("big", "0123456789");
	cr_expect_null(ig_file__read(at("big"), 9, 0, &len, why, sizeof(why)));
	cr_expect_eq(errno, EFBIG);
	cr_expect(strstr(why, "larger than 9 bytes"), "%s", why);
	text = ig_file__read(at("big"), 10, 0, &len, why, sizeof(why));
	cr_expect_str_eq(text, "0123456789");
	free(text);
	cr_assert_eq(symlink(at("big"), at("link")), 0);
	text = ig_file__read(at("link"), 10, 0, &len, why, sizeof(why));
	cr_expect_not_null(text, "followed without IG_FILE_NOFOLLOW");
	free(text);
	cr_expect_null(ig_file__read(at("link"), 10, IG_FILE_NOFOLLOW, &len, why, sizeof(why)));
	cr_expect(strstr(why, "symlink"), "%s", why);
}

Test(file, check_dir)
{
	cr_expect_eq(ig_file__check_dir(dir, why, sizeof(why)), 0, "%s", why);
	cr_expect_eq(entries(), 0, "the probe is removed");
	put("f", "x");
	cr_expect_eq(ig_file__check_dir(at("f"), why, sizeof(why)), -ENOTDIR);
	cr_expect(strstr(why, "is a regular file, not a directory"), "%s", why);
	cr_expect_neq(ig_file__check_dir("/proc", why, sizeof(why)), 0);
	cr_expect(strstr(why, "cannot create files there"), "%s", why);
	cr_expect_neq(ig_file__check_dir(at("nope"), why, sizeof(why)), 0);
}
