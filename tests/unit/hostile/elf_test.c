// SPDX-License-Identifier: Apache-2.0
/*
 * core/base/elfcheck.c: a shared object cut short is refused before
 * dlopen() maps it (case 1 of issue 17: SIGBUS, no message).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/base/elfcheck.h"
#include "tests/lib/igtest.h"

static char why[256];

static int check_bytes(const char *data, size_t len)
{
	why[0] = '\0';
	return ig_elf__check(data, len, len, why, sizeof(why));
}

static char *gadget(size_t *len)
{
	char path[PATH_MAX];
	char *data;

	snprintf(path, sizeof(path), "%s/gadgets/trace-exec.so", igt_build_dir());
	data = igt_read_file(path, len);
	cr_assert_not_null(data, "%s", path);
	return data;
}

Test(elf, a_real_gadget_passes_a_cut_one_does_not)
{
	size_t len;
	char *data = gadget(&len);

	cr_expect_eq(check_bytes(data, len), 0, "%s", why);
	cr_expect_eq(check_bytes(data, 6000), -ENOEXEC, "the first 6000 bytes");
	cr_expect(strstr(why, "truncated: a segment ends at byte"), "%s", why);
	cr_expect_eq(check_bytes(data, 100), -ENOEXEC);
	cr_expect(strstr(why, "truncated: its program headers"), "%s", why);
	cr_expect_eq(ig_elf__check(data, 4096, 6000, why, sizeof(why)), -ENOEXEC,
		     "what is read of a file says nothing about the rest");
	free(data);
}

Test(elf, not_a_shared_object_for_this_machine)
{
	size_t len;
	char *data = gadget(&len);

	cr_expect_eq(check_bytes("hello, world, this is text and no ELF at all......", 50),
		     -ENOEXEC);
	cr_expect(strstr(why, "not an ELF shared object"), "%s", why);
	data[18] ^= 0x55;	/* e_machine */
	cr_expect_eq(check_bytes(data, len), -ENOEXEC);
	cr_expect(strstr(why, "another machine"), "%s", why);
	data[18] ^= 0x55;
	data[16] = 1;		/* e_type ET_REL */
	cr_expect_eq(check_bytes(data, len), -ENOEXEC);
	cr_expect(strstr(why, "not a shared object"), "%s", why);
	free(data);
}

Test(elf, check_fd_reads_what_it_needs)
{
	size_t len;
	char *data = gadget(&len), path[] = "/tmp/igt-elf-XXXXXX";
	int fd = mkstemp(path);

	cr_assert_geq(fd, 0);
	unlink(path);
	cr_assert_eq(write(fd, data, len), (ssize_t)len);
	cr_expect_eq(ig_elf__check_fd(fd, len, why, sizeof(why)), 0, "%s", why);
	cr_assert_eq(ftruncate(fd, 6000), 0);
	cr_expect_eq(ig_elf__check_fd(fd, 6000, why, sizeof(why)), -ENOEXEC);
	close(fd);
	free(data);
}
