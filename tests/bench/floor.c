// SPDX-License-Identifier: Apache-2.0
/*
 * The floor, whole process: load an empty program on each hook named,
 * attach it the way libbpf attaches a gadget's (a BPF link; a socket filter
 * on a packet socket), run the command as a child, detach, and exit with
 * the command's status. So `floor --hook tp_btf/sys_enter -- wl getppid N`
 * is `ig run seccomp-advisor -- wl getppid N` with a program that does
 * nothing: the cost no gadget on those hooks can go below.
 *
 * Hooks:
 *   tp_btf/NAME        BTF-enabled raw tracepoint (r0 = 0)
 *   cgroup/ATTACH      sock_addr hook on the root cgroup v2: connect4,
 *                      connect6, sendmsg4, sendmsg6, recvmsg4, recvmsg6
 *                      (r0 = 1: allow), post_bind4, post_bind6,
 *                      sock_create, or the
 *                      cgroup_skb hooks ingress, egress
 *   packet             a socket filter (r0 = 0) on an AF_PACKET socket of
 *                      this network namespace, outgoing packets ignored
 *                      (network-policy-advisor's DNS tap)
 *
 * Usage: floor [--hook HOOK]... -- COMMAND [ARG]...
 */
#include <errno.h>
#include <mntent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>

#define MAX_HOOKS	16

static const struct {
	const char *name;
	enum bpf_prog_type type;
	enum bpf_attach_type attach;
} cgroup_hooks[] = {
	{ "connect4", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_CONNECT },
	{ "connect6", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_CONNECT },
	{ "sendmsg4", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_UDP4_SENDMSG },
	{ "sendmsg6", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_UDP6_SENDMSG },
	{ "recvmsg4", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_UDP4_RECVMSG },
	{ "recvmsg6", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_UDP6_RECVMSG },
	{ "post_bind4", BPF_PROG_TYPE_CGROUP_SOCK, BPF_CGROUP_INET4_POST_BIND },
	{ "post_bind6", BPF_PROG_TYPE_CGROUP_SOCK, BPF_CGROUP_INET6_POST_BIND },
	{ "sock_create", BPF_PROG_TYPE_CGROUP_SOCK, BPF_CGROUP_INET_SOCK_CREATE },
	{ "ingress", BPF_PROG_TYPE_CGROUP_SKB, BPF_CGROUP_INET_INGRESS },
	{ "egress", BPF_PROG_TYPE_CGROUP_SKB, BPF_CGROUP_INET_EGRESS },
};

static void die(const char *hook, const char *what)
{
	fprintf(stderr, "floor: %s: %s: %s\n", hook, what, strerror(errno));
	exit(1);
}

/* "r0 = ret; exit" */
static int load_empty(const char *hook, enum bpf_prog_type type, struct bpf_prog_load_opts *opts,
		      int ret)
{
	const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = ret },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	int fd = bpf_prog_load(type, "floor_empty", "GPL", insns, 2, opts);

	if (fd < 0)
		die(hook, "cannot load the empty program (run as root)");
	return fd;
}

static int hook_tp_btf(const char *hook, const char *tp)
{
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_TRACE_RAW_TP);
	struct btf *vmlinux = btf__load_vmlinux_btf();
	char tname[128];
	int id, fd;

	if (!vmlinux)
		die(hook, "no kernel BTF");
	snprintf(tname, sizeof(tname), "btf_trace_%s", tp);
	id = btf__find_by_name_kind(vmlinux, tname, BTF_KIND_TYPEDEF);
	btf__free(vmlinux);
	if (id < 0) {
		errno = ENOENT;
		die(hook, "no such tracepoint in the kernel BTF");
	}
	opts.attach_btf_id = id;
	fd = load_empty(hook, BPF_PROG_TYPE_TRACING, &opts, 0);
	fd = bpf_link_create(fd, 0, BPF_TRACE_RAW_TP, NULL);
	if (fd < 0)
		die(hook, "cannot attach");
	return fd;
}

static int cgroup2_fd(const char *hook)
{
	FILE *f = setmntent("/proc/self/mounts", "r");
	struct mntent *m;
	int fd = -1;

	while (f && (m = getmntent(f)))
		if (!strcmp(m->mnt_type, "cgroup2")) {
			fd = open(m->mnt_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			break;
		}
	if (f)
		endmntent(f);
	if (fd < 0)
		die(hook, "no cgroup v2 hierarchy mounted");
	return fd;
}

static int hook_cgroup(const char *hook, const char *name)
{
	LIBBPF_OPTS(bpf_prog_load_opts, opts);
	unsigned int i;
	int fd, cg;

	for (i = 0; i < sizeof(cgroup_hooks) / sizeof(cgroup_hooks[0]); i++)
		if (!strcmp(cgroup_hooks[i].name, name))
			break;
	if (i == sizeof(cgroup_hooks) / sizeof(cgroup_hooks[0])) {
		errno = EINVAL;
		die(hook, "unknown cgroup hook");
	}
	opts.expected_attach_type = cgroup_hooks[i].attach;
	fd = load_empty(hook, cgroup_hooks[i].type, &opts, 1);
	cg = cgroup2_fd(hook);
	fd = bpf_link_create(fd, cg, cgroup_hooks[i].attach, NULL);
	if (fd < 0)
		die(hook, "cannot attach");
	return fd;
}

static int hook_packet(const char *hook)
{
	LIBBPF_OPTS(bpf_prog_load_opts, opts);
	int prog = load_empty(hook, BPF_PROG_TYPE_SOCKET_FILTER, &opts, 0), one = 1;
	int fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, htons(ETH_P_ALL));

	if (fd < 0)
		die(hook, "cannot open a packet socket");
	setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_BPF, &prog, sizeof(prog)))
		die(hook, "cannot attach the socket filter");
	return fd;
}

static int attach(const char *hook)
{
	if (!strncmp(hook, "tp_btf/", 7))
		return hook_tp_btf(hook, hook + 7);
	if (!strncmp(hook, "cgroup/", 7))
		return hook_cgroup(hook, hook + 7);
	if (!strcmp(hook, "packet"))
		return hook_packet(hook);
	errno = EINVAL;
	die(hook, "unknown hook (tp_btf/NAME, cgroup/ATTACH or packet)");
	return -1;
}

int main(int argc, char **argv)
{
	int fds[MAX_HOOKS], n = 0, i = 1, status;
	pid_t pid;

	for (; i < argc && strcmp(argv[i], "--"); i++) {
		if (strcmp(argv[i], "--hook") || i + 1 == argc || n == MAX_HOOKS)
			goto usage;
		fds[n++] = attach(argv[++i]);
	}
	if (i + 1 >= argc)
		goto usage;
	pid = fork();
	if (pid < 0)
		die("fork", "failed");
	if (!pid) {
		execvp(argv[i + 1], argv + i + 1);
		fprintf(stderr, "floor: cannot run %s: %s\n", argv[i + 1], strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		die("waitpid", "failed");
	while (n > 0)
		close(fds[--n]);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
usage:
	fprintf(stderr, "usage: floor [--hook tp_btf/NAME|cgroup/ATTACH|packet]... -- COMMAND [ARG]...\n");
	return 2;
}
