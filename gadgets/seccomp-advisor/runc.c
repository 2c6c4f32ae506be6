// SPDX-License-Identifier: Apache-2.0
/*
 * seccomp-advisor: what runc needs from a profile besides the workload.
 *
 * runc 1.1 (libcontainer/standard_init_linux.go) installs the filter in its
 * init process ("runc:[2:INIT]", Go) and then goes on running under it:
 *
 *  - noNewPrivileges=true: right before exec. After the filter: close the
 *    sync and log pipes, open /proc/self/fd/N (the exec fifo) and write "0",
 *    getpid for the start hooks, close every fd above 2 by listing
 *    /proc/self/fd (openat, fstatfs, getdents64, close), then execve.
 *  - noNewPrivileges=false: before finalizeNamespace, so also fcntl
 *    (FD_CLOEXEC), chdir, capget/capset, prctl (PR_CAPBSET_DROP,
 *    PR_SET_KEEPCAPS, PR_CAP_AMBIENT), setgroups, setuid/setgid (or the
 *    setres* forms), getcwd, getppid, reading /etc/passwd, /etc/group and
 *    /proc/self/status (read, fstat, newfstatat), faccessat2 for the
 *    executable lookup.
 *
 * In both cases the Go runtime keeps running on that thread until the exec
 * (futex, nanosleep, sched_yield, epoll_pwait/epoll_ctl, signals for
 * preemption: rt_sigreturn, tgkill, getpid; mmap/munmap/madvise for the
 * heap; clone, sigaltstack, rt_sigprocmask, gettid for a new thread).
 *
 * Measured with `strace -f runc run` on runc 1.1.5 (the calls after
 * prctl(PR_SET_SECCOMP) on the init thread); the kernel tests check the
 * profile on real runc. The first two lists are made the same way every
 * run: a profile gets them only where the container's set-up phase really
 * made them (intersection with what was recorded), so mount, pivot_root,
 * sethostname, keyctl, setns, unshare... never get in. The Go runtime's
 * calls are not: whether a preemption signal (tgkill, rt_sigreturn), a
 * yield or a new thread falls after the filter depends on timing (12
 * recordings of one container under load: rt_sigreturn, tgkill and
 * sched_yield each missing from some), and a profile without rt_sigreturn
 * kills runc's init the one time a signal lands after the filter. So they
 * are added whenever runc's set-up was seen, recorded or not.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <jansson.h>

#include "seccomp_advisor_int.h"

static const char *const after_filter_nnp[] = {
	"close", "execve", "fstatfs", "getdents64", "getpid", "openat", "write",
	NULL,
};

static const char *const after_filter_no_nnp[] = {
	"close", "execve", "fstatfs", "getdents64", "getpid", "openat", "write",
	/* finalizeNamespace and the executable lookup */
	"capget", "capset", "chdir", "faccessat2", "fcntl", "fstat", "getcwd", "getppid",
	"newfstatat", "prctl", "read", "setgid", "setgroups", "setresgid", "setresuid",
	"setuid", "stat", "access",
	NULL,
};

/* The Go runtime, on any of runc init's threads (the filter is synced to
 * all of them): timing-dependent, added whenever runc's set-up was seen. */
static const char *const go_runtime[] = {
	"clone", "epoll_ctl", "epoll_pwait", "exit", "futex", "getpid", "gettid", "madvise",
	"mmap", "munmap", "nanosleep", "rt_sigprocmask", "rt_sigreturn", "sched_yield",
	"sigaltstack", "tgkill",
	NULL,
};

const char *const *sa_runc_after_filter(bool no_new_privileges)
{
	return no_new_privileges ? after_filter_nnp : after_filter_no_nnp;
}

const char *const *sa_runc_go_runtime(void)
{
	return go_runtime;
}

int sa_bundle_nnp(const char *bundle)
{
	char path[PATH_MAX];
	json_t *cfg, *nnp;
	int ret;

	if (!bundle)
		return -ENOENT;
	snprintf(path, sizeof(path), "%s/config.json", bundle);
	cfg = json_load_file(path, 0, NULL);
	if (!cfg)
		return -ENOENT;
	nnp = json_object_get(json_object_get(cfg, "process"), "noNewPrivileges");
	ret = json_is_true(nnp);
	json_decref(cfg);
	return ret;
}
