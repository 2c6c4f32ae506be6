// SPDX-License-Identifier: Apache-2.0
/* Capability names, numbered as the kernel numbers them (linux/capability.h). */
#include <stddef.h>
#include <stdlib.h>
#include <strings.h>

#include <seccomp.h>

#include "capabilities_int.h"

static const char *const cap_names[CAPS_NR] = {
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER",
	"CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP",
	"CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST",
	"CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER",
	"CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
	"CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
	"CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD",
	"CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP",
	"CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM",
	"CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
	"CAP_CHECKPOINT_RESTORE",
};

const char *caps_name(unsigned int cap)
{
	return cap < CAPS_NR ? cap_names[cap] : NULL;
}

int caps_from_name(const char *name)
{
	unsigned int i;

	if (!name)
		return -1;
	if (!strncasecmp(name, "CAP_", 4))
		name += 4;
	for (i = 0; i < CAPS_NR; i++)
		if (!strcasecmp(cap_names[i] + 4, name))
			return i;
	return -1;
}

#define CAPS_MAX_SYSCALL	1024

/* Resolved once per number; the gadget runs on the host's one thread. */
static char *sysnames[CAPS_MAX_SYSCALL];
static bool sysname_tried[CAPS_MAX_SYSCALL];

const char *caps_syscall_name(int nr)
{
	if (nr < 0 || nr >= CAPS_MAX_SYSCALL)
		return NULL;
	if (!sysname_tried[nr]) {
		sysname_tried[nr] = true;
		sysnames[nr] = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
	}
	return sysnames[nr];
}

void caps_syscall_names_free(void)
{
	unsigned int i;

	for (i = 0; i < CAPS_MAX_SYSCALL; i++) {
		free(sysnames[i]);
		sysnames[i] = NULL;
		sysname_tried[i] = false;
	}
}
