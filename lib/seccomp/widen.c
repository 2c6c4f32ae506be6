// SPDX-License-Identifier: Apache-2.0
/* The sibling table of --widen (widen.h). Keep docs/lifecycle.md's table the
 * same: tests/unit/seccomp-lib/widen_test.c compares them. */
#include <seccomp.h>
#include <string.h>

#include "widen.h"

#define FAMILY(...)	((const char *const[]){ __VA_ARGS__, NULL })

const char *const *const sp_widen_families[] = {
	FAMILY("poll", "ppoll"),
	FAMILY("select", "pselect6"),
	FAMILY("epoll_wait", "epoll_pwait", "epoll_pwait2"),
	FAMILY("epoll_create", "epoll_create1"),
	FAMILY("clone", "clone3", "fork", "vfork"),
	FAMILY("stat", "lstat", "fstat", "newfstatat", "statx"),
	FAMILY("open", "openat", "openat2", "creat"),
	FAMILY("access", "faccessat", "faccessat2"),
	FAMILY("rt_sigreturn", "sigreturn", "restart_syscall"),
	FAMILY("nanosleep", "clock_nanosleep"),
	FAMILY("wait4", "waitid"),
	FAMILY("dup2", "dup3"),
	FAMILY("pipe", "pipe2"),
	FAMILY("accept", "accept4"),
	FAMILY("eventfd", "eventfd2"),
	FAMILY("signalfd", "signalfd4"),
	FAMILY("inotify_init", "inotify_init1"),
	FAMILY("getdents", "getdents64"),
	FAMILY("rename", "renameat", "renameat2"),
	FAMILY("unlink", "unlinkat"),
	FAMILY("rmdir", "unlinkat"),
	FAMILY("mkdir", "mkdirat"),
	FAMILY("readlink", "readlinkat"),
	FAMILY("chmod", "fchmodat", "fchmodat2"),
	FAMILY("chown", "lchown", "fchownat"),
	FAMILY("link", "linkat"),
	FAMILY("symlink", "symlinkat"),
	FAMILY("mknod", "mknodat"),
	FAMILY("utime", "utimes", "futimesat", "utimensat"),
	FAMILY("getrlimit", "setrlimit", "prlimit64"),
	FAMILY("time", "gettimeofday", "clock_gettime"),
	NULL,
};

int sp_widen__siblings(const char *name, const char **out, int max)
{
	const char *const *const *f;
	const char *const *m;
	int n = 0, i;

	for (f = sp_widen_families; *f; f++) {
		for (m = *f; *m && strcmp(*m, name); m++)
			;
		if (!*m)
			continue;
		for (m = *f; *m; m++) {
			if (!strcmp(*m, name) || seccomp_syscall_resolve_name(*m) < 0)
				continue;
			for (i = 0; i < n && strcmp(out[i], *m); i++)
				;
			if (i == n && n < max)
				out[n++] = *m;
		}
	}
	return n;
}
