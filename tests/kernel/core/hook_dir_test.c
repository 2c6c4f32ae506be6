// SPDX-License-Identifier: Apache-2.0
/*
 * Stale hook sockets: an ig killed with SIGKILL leaves <hook dir>/ig-<pid>.sock
 * behind; the next ig that listens removes those whose pid is gone and that
 * nobody listens on, and nothing else. In a private hook directory
 * (IG_HOOK_DIR), so the igs of other tests are not involved.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/lib/igtest.h"

static char dir[64];

static void setup(void)
{
	igt_tmpdir_new(dir, sizeof(dir), "hookdir");
	cr_assert_eq(chmod(dir, 0700), 0);
}

static void teardown(void)
{
	igt_tmpdir_remove(dir);
}

TestSuite(hook_dir, .init = setup, .fini = teardown, .timeout = 60);

/* A pid that existed and is gone: a child we reaped. */
static pid_t dead_pid(void)
{
	pid_t pid = fork();

	cr_assert_geq(pid, 0);
	if (pid == 0)
		_exit(0);
	cr_assert_eq(waitpid(pid, NULL, 0), pid);
	return pid;
}

/* A unix socket file at dir/name; listening (fd returned) or left behind
 * like a killed ig's (-1). */
static int sock_file(const char *name, bool listening)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

	cr_assert_geq(fd, 0);
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s/%s", dir, name);
	cr_assert_eq(bind(fd, (struct sockaddr *)&addr, sizeof(addr)), 0, "%s: %s",
		     addr.sun_path, strerror(errno));
	if (listening) {
		cr_assert_eq(listen(fd, 4), 0);
		return fd;
	}
	close(fd);
	return -1;
}

static bool exists(const char *name)
{
	char path[128];
	struct stat sb;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return lstat(path, &sb) == 0;
}

Test(hook_dir, stale_sockets_of_dead_igs_are_removed)
{
	char dead[32], alive[32], file[32], other[32], listening[32], path[128], env[96];
	const char *const env_list[] = { env, NULL };
	struct igt_result *r;
	int fd, lfd;

	snprintf(dead, sizeof(dead), "ig-%d.sock", (int)dead_pid());
	snprintf(alive, sizeof(alive), "ig-%d.sock", (int)getpid());
	snprintf(file, sizeof(file), "ig-%d.sock", (int)dead_pid());
	snprintf(other, sizeof(other), "ig-%dx.sock", (int)dead_pid());
	snprintf(listening, sizeof(listening), "ig-%d.sock", (int)dead_pid());
	sock_file(dead, false);
	sock_file(alive, false);
	sock_file(other, false);
	/* a dead pid, but someone accepts: an ig in another pid namespace */
	lfd = sock_file(listening, true);
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	cr_assert_geq(fd, 0);
	close(fd);

	snprintf(env, sizeof(env), "IG_HOOK_DIR=%s", dir);
	/* a gadget that follows containers with a command (IG_KIND_PEERS) */
	r = igt_run_env((const char *const[]){ igt_ig_path(), "run", "network-policy-advisor",
					       "-o", "json", "--", "/bin/true", NULL },
			env_list, 30000);
	close(lfd);
	cr_assert_eq(r->status, 0, "%s", r->err);
	igt_result_free(r);

	cr_assert_not(exists(dead), "%s: the socket of a dead ig was left", dead);
	cr_assert(exists(alive), "%s: the pid is alive", alive);
	cr_assert(exists(file), "%s: not a socket", file);
	cr_assert(exists(other), "%s: not the name pattern", other);
	cr_assert(exists(listening), "%s: someone listens on it", listening);
}
