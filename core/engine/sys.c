// SPDX-License-Identifier: Apache-2.0
/* What ig needs from the system, checked up front so that a missing piece is
 * one line saying what to do instead of a libbpf error. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "core/base/log.h"
#include "sys.h"

#define TRACEFS_DIR	"/sys/kernel/tracing"
#define TRACEFS_MAGIC_	0x74726163

/* Classic tracepoints attach through tracefs; a fresh machine may not have
 * it mounted. raw_tp/tp_btf gadgets do not care, so failure is a warning. */
static void mount_tracefs(void)
{
	struct statfs sfs;

	if (statfs(TRACEFS_DIR, &sfs) == 0 && sfs.f_type == TRACEFS_MAGIC_)
		return;
	if (mount("tracefs", TRACEFS_DIR, "tracefs", 0, NULL) && errno != EBUSY)
		ig_warn("cannot mount tracefs on %s (%s): gadgets using classic tracepoints "
			"will fail", TRACEFS_DIR, strerror(errno));
	else
		ig_info("mounted tracefs on %s", TRACEFS_DIR);
}

int ig_sys__preflight(void)
{
	if (geteuid() != 0) {
		ig_err("ig run needs root to load BPF programs (running as uid %u, loading "
		       "would fail with EPERM); run it with sudo", (unsigned int)geteuid());
		return -EPERM;
	}
	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		ig_err("this kernel has no BTF (/sys/kernel/btf/vmlinux is missing); ig needs a "
		       "kernel built with CONFIG_DEBUG_INFO_BTF=y");
		return -ENOENT;
	}
	mount_tracefs();
	return 0;
}

void ig_sys__explain_bpf_error(int err)
{
	if (err == -ENOSYS)
		ig_err("this kernel has no BPF support (bpf() returned ENOSYS); ig needs "
		       "CONFIG_BPF_SYSCALL=y");
	else if (err == -EPERM || err == -EACCES)
		ig_err("not allowed to load BPF programs (%s): run as root with CAP_BPF, "
		       "CAP_PERFMON and CAP_SYS_ADMIN; check kernel lockdown", strerror(-err));
	else
		ig_err("cannot load ig's BPF filter (%s); run with -v for details",
		       strerror(-err));
}
