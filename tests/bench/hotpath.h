/* SPDX-License-Identifier: Apache-2.0 */
/*
 * In-process hot-path bench harness, shared by sa_hotpath and cap_hotpath.
 *
 * On a shared VM a whole run drifts by several percent, as much as the
 * effect measured, so configurations are not run one after another: the
 * bench takes a reference to each program (from the process that loaded
 * and attached it, which is then stopped), then attaches one at a time for
 * a short burst of calls, cycling through all of them each round with the
 * order rotated. Every configuration sees the same drift. Per configuration
 * it reports the median ns/call of its bursts and its added cost: the
 * median over rounds of its burst minus the bare burst of the same round.
 *
 * Header-only: every tests/bench/<x>.c is its own binary.
 */
#ifndef IG_BENCH_HOTPATH_H
#define IG_BENCH_HOTPATH_H

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#define HP_MAX_ROUNDS	201
#define HP_MAX_CONFIGS	8

enum hp_attach { HP_NONE, HP_RAW_TP, HP_PERF_TP };

struct hp_config {
	const char *name;
	enum hp_attach kind;
	int prog_fd;
	int link_fd;
	double ns[HP_MAX_ROUNDS];
};

/* Set by the bench: its name, for messages; its tracepoint, for the empty
 * program and perf attachments ("sys_enter", "cap_capable"); the tracefs
 * path of that tracepoint's id (perf attachments only). */
static const char *hp_name = "hotpath";
static const char *hp_tp;
static const char *hp_tp_id_path;

static void hp_die(const char *what)
{
	fprintf(stderr, "%s: %s\n", hp_name, what);
	exit(1);
}

static double hp_now(clockid_t clk)
{
	struct timespec t;

	clock_gettime(clk, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

static __u32 hp_max_prog_id(void)
{
	__u32 id = 0, next;

	while (!bpf_prog_get_next_id(id, &next))
		id = next;
	return id;
}

/* fd of the newest program above min_id named name (any name if NULL) and of
 * type type (any if 0); -1 if none. */
static int hp_take_prog(__u32 min_id, const char *name, enum bpf_prog_type type)
{
	__u32 id = min_id, next;
	int best = -1;

	while (!bpf_prog_get_next_id(id, &next)) {
		struct bpf_prog_info info = {};
		__u32 len = sizeof(info);
		int fd;

		id = next;
		fd = bpf_prog_get_fd_by_id(id);
		if (fd < 0)
			continue;
		if (bpf_obj_get_info_by_fd(fd, &info, &len) ||
		    (name && strcmp(info.name, name)) || (type && info.type != type)) {
			close(fd);
			continue;
		}
		if (best >= 0)
			close(best);
		best = fd;
	}
	return best;
}

/* fd of the map that program prog_fd uses whose name ends with suffix, or -1 */
static int hp_prog_map(int prog_fd, const char *suffix)
{
	__u32 ids[64], len, i;
	struct bpf_prog_info info = {};
	size_t sl = strlen(suffix);

	len = sizeof(info);
	info.nr_map_ids = 64;
	info.map_ids = (__u64)(unsigned long)ids;
	if (bpf_obj_get_info_by_fd(prog_fd, &info, &len))
		return -1;
	for (i = 0; i < info.nr_map_ids && i < 64; i++) {
		struct bpf_map_info mi = {};
		__u32 mlen = sizeof(mi);
		int fd = bpf_map_get_fd_by_id(ids[i]);
		size_t nl;

		if (fd < 0)
			continue;
		if (!bpf_obj_get_info_by_fd(fd, &mi, &mlen)) {
			nl = strlen(mi.name);
			if (nl >= sl && !strcmp(mi.name + nl - sl, suffix))
				return fd;
		}
		close(fd);
	}
	return -1;
}

/* Command mode: take the parent ig's program called prog, then stop ig
 * with SIGINT (its links go with it; our reference keeps the program and
 * its maps). The program only records ig's command tree, so it must be ours,
 * and ig must leave our pid in its filter. */
static int hp_take_from_parent(const char *prog, const char *gadget)
{
	pid_t ig = getppid(), self = getpid();
	char msg[200];
	int fd, filter, i;
	__u8 v;

	fd = hp_take_prog(0, prog, 0);
	if (fd < 0) {
		snprintf(msg, sizeof(msg), "no %s program found: run me as `ig run %s -- %s ...`",
			 prog, gadget, hp_name);
		hp_die(msg);
	}
	filter = hp_prog_map(fd, "ig_pid_filter");
	if (filter < 0 || bpf_map_lookup_elem(filter, &self, &v))
		hp_die("this process is not in the gadget's pid filter: run me as ig's command");
	signal(SIGTERM, SIG_IGN);
	kill(ig, SIGINT);
	for (i = 0; i < 10000 && getppid() == ig; i++)
		usleep(1000);
	if (getppid() == ig)
		hp_die("the parent ig did not exit after SIGINT");
	/* ig is gone: the program must still take its recording path for us */
	if (bpf_map_lookup_elem(filter, &self, &v))
		hp_die("ig removed this process from the pid filter at exit: command mode cannot be measured");
	close(filter);
	return fd;
}

/* Start argv with output to /dev/null (or to a pipe whose first line is
 * awaited when wait_line is set), wait until ready_file exists (if set),
 * take the newest matching program it loaded, send it stop_sig and reap it
 * (bpftrace gets SIGKILL: a SIGINT that lands before it installs its
 * handler is lost and it would run on). */
static int hp_spawn_and_take(char *const argv[], const char *ready_file, const char *wait_line,
			     const char *name, enum bpf_prog_type type, int stop_sig)
{
	__u32 before = hp_max_prog_id();
	int pfd[2], fd, i, status;
	char buf[256];
	pid_t pid;

	if (pipe(pfd))
		hp_die("pipe failed");
	pid = fork();
	if (pid < 0)
		hp_die("fork failed");
	if (!pid) {
		int null = open("/dev/null", O_RDWR);

		dup2(wait_line ? pfd[1] : null, 1);
		dup2(null, 2);
		close(pfd[0]);
		signal(SIGTERM, SIG_DFL);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(pfd[1]);
	if (wait_line) {
		FILE *f = fdopen(pfd[0], "r");

		if (!f || !fgets(buf, sizeof(buf), f) || !strstr(buf, wait_line)) {
			kill(pid, SIGKILL);
			fprintf(stderr, "%s: %s did not start\n", hp_name, argv[0]);
			exit(1);
		}
		/* keep the pipe open (bpftrace writes its map at exit) */
	} else {
		for (i = 0; i < 10000 && access(ready_file, F_OK); i++) {
			if (waitpid(pid, &status, WNOHANG) == pid)
				break;
			usleep(1000);
		}
		if (access(ready_file, F_OK)) {
			kill(pid, SIGKILL);
			fprintf(stderr, "%s: %s did not get ready\n", hp_name, argv[0]);
			exit(1);
		}
	}
	/* bpftrace says "Attaching" before it loads: wait for the program */
	for (i = 0; i < 10000 && (fd = hp_take_prog(before, name, type)) < 0; i++)
		usleep(1000);
	if (fd < 0) {
		kill(pid, SIGKILL);
		fprintf(stderr, "%s: %s loaded no matching program\n", hp_name, argv[0]);
		exit(1);
	}
	kill(pid, stop_sig);
	waitpid(pid, &status, 0);
	return fd;
}

/* Take program prog from `ig run GADGET ARGS... --ready-file F` (args: up to
 * 6, NULL-terminated), stopped with SIGINT once ready. */
static int hp_take_from_ig(const char *ig, const char *gadget, const char *const args[],
			   const char *prog)
{
	char dir[] = "/tmp/ig-hotpath.XXXXXX", ready[64];
	char *argv[12] = { (char *)ig, "run", (char *)gadget };
	int n = 3, i, fd;

	if (!mkdtemp(dir))
		hp_die("mkdtemp failed");
	snprintf(ready, sizeof(ready), "%s/ready", dir);
	for (i = 0; args[i] && i < 6; i++)
		argv[n++] = (char *)args[i];
	argv[n++] = "--ready-file";
	argv[n++] = ready;
	argv[n] = NULL;
	fd = hp_spawn_and_take(argv, ready, NULL, prog, 0, SIGINT);
	unlink(ready);
	rmdir(dir);
	return fd;
}

/* An empty program on hp_tp ("r0 = 0; exit"): the floor. */
static int hp_load_empty(void)
{
	const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_TRACE_RAW_TP);
	struct btf *vmlinux = btf__load_vmlinux_btf();
	char tname[128];
	int id, fd;

	if (!vmlinux)
		hp_die("no kernel BTF (/sys/kernel/btf/vmlinux)");
	snprintf(tname, sizeof(tname), "btf_trace_%s", hp_tp);
	id = btf__find_by_name_kind(vmlinux, tname, BTF_KIND_TYPEDEF);
	btf__free(vmlinux);
	if (id < 0)
		hp_die("the tracepoint's btf_trace_ typedef is not in the kernel BTF");
	opts.attach_btf_id = id;
	fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "hp_empty", "GPL", insns, 2, &opts);
	if (fd < 0)
		hp_die("cannot load the empty program (run as root)");
	return fd;
}

static int hp_tracepoint_id(void)
{
	FILE *f = hp_tp_id_path ? fopen(hp_tp_id_path, "r") : NULL;
	int id = -1;

	if (f) {
		if (fscanf(f, "%d", &id) != 1)
			id = -1;
		fclose(f);
	}
	if (id < 0)
		hp_die("no tracepoint id in tracefs (mount -t tracefs nodev /sys/kernel/tracing)");
	return id;
}

static void hp_attach(struct hp_config *c)
{
	struct perf_event_attr attr = { .type = PERF_TYPE_TRACEPOINT, .size = sizeof(attr),
					.sample_period = 1, .wakeup_events = 1 };

	switch (c->kind) {
	case HP_NONE:
		c->link_fd = -1;
		return;
	case HP_RAW_TP:
		c->link_fd = bpf_raw_tracepoint_open(NULL, c->prog_fd);
		break;
	case HP_PERF_TP:
		attr.config = hp_tracepoint_id();
		c->link_fd = syscall(SYS_perf_event_open, &attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
		if (c->link_fd >= 0 && (ioctl(c->link_fd, PERF_EVENT_IOC_SET_BPF, c->prog_fd) ||
					ioctl(c->link_fd, PERF_EVENT_IOC_ENABLE, 0)))
			c->link_fd = -1;
		break;
	}
	if (c->link_fd < 0) {
		fprintf(stderr, "%s: cannot attach %s: %s\n", hp_name, c->name, strerror(errno));
		exit(1);
	}
}

static int hp_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double hp_median(const double *v, int n)
{
	double s[HP_MAX_ROUNDS];

	memcpy(s, v, n * sizeof(*v));
	qsort(s, n, sizeof(*s), hp_cmp_double);
	return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/* Pin to cpu, run the rounds (burst() returns ns per call of one burst),
 * and print "<hp_name> <config> <median ns/call> <added ns/call>" per
 * configuration; cfg[0] must be the bare one. */
static void hp_run(struct hp_config *cfg, int ncfg, int rounds, int cpu, double (*burst)(void))
{
	cpu_set_t set;
	int r, k;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		hp_die("cannot pin to the given CPU");
	for (r = 0; r < rounds; r++) {
		for (k = 0; k < ncfg; k++) {
			struct hp_config *c = &cfg[(k + r) % ncfg];	/* rotate the order */

			hp_attach(c);
			c->ns[r] = burst();
			if (c->link_fd >= 0)
				close(c->link_fd);
		}
	}
	for (k = 0; k < ncfg; k++) {
		double added[HP_MAX_ROUNDS];

		for (r = 0; r < rounds; r++)
			added[r] = cfg[k].ns[r] - cfg[0].ns[r];
		printf("%s %s %.1f %.1f\n", hp_name, cfg[k].name, hp_median(cfg[k].ns, rounds),
		       hp_median(added, rounds));
	}
}

#endif /* IG_BENCH_HOTPATH_H */
