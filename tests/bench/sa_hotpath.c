// SPDX-License-Identifier: Apache-2.0
/*
 * seccomp-advisor hot-path bench: ns per getppid() with nothing attached,
 * with an empty tp_btf/sys_enter program, with seccomp-advisor's own program
 * (as ig loaded it, in --host and in -- COMMAND mode), and with bpftrace
 * counting syscalls by id, measured side by side in one process.
 *
 * On a shared VM a whole run drifts by several percent, as much as the
 * effect measured, so the configurations are not run one after another:
 * this process takes a reference to each program (from the processes that
 * loaded and attached it, which are then stopped), then attaches one at a
 * time for a short burst of calls, cycling through all of them each round.
 * Every configuration sees the same drift. Per configuration it reports
 * the median ns/call of its bursts and its added cost: the median, over
 * rounds, of its burst minus the bare burst of the same round (paired, so
 * drift between rounds cancels).
 *
 * It must run as ig's command: `ig run seccomp-advisor -- sa_hotpath ...`.
 * The command-mode program only records ig's command tree, so it is taken
 * from the parent ig (which is then stopped with SIGINT; the SIGTERM ig
 * sends its command is ignored). The --host program comes from a second ig
 * it starts, and bpftrace's from a bpftrace it starts.
 *
 * Usage: sa_hotpath --ig PATH [--calls N] [--rounds R] [--cpu C] [--no-bpftrace]
 * Prints one line per configuration on stdout, "sa_hotpath <name> <median
 * ns/call> <added ns/call>", after the parent ig has exited (ig's own report shares the
 * stream: read it through a pipe and keep those lines; the pipe ends when
 * this process does).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#define MAX_ROUNDS	201
#define SA_PROG		"sa_sys_enter"
#define BPFTRACE_PROG	"tracepoint:raw_syscalls:sys_enter { @[args->id] = count(); }"

enum attach_kind { ATTACH_NONE, ATTACH_RAW_TP, ATTACH_PERF_TP };

struct config {
	const char *name;
	enum attach_kind kind;
	int prog_fd;
	int link_fd;
	double ns[MAX_ROUNDS];
};

static void die(const char *what)
{
	fprintf(stderr, "sa_hotpath: %s\n", what);
	exit(1);
}

static double now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

static __u32 max_prog_id(void)
{
	__u32 id = 0, next;

	while (!bpf_prog_get_next_id(id, &next))
		id = next;
	return id;
}

/* fd of the newest program above min_id named name (any name if NULL) and of
 * type type (any if 0); -1 if none. */
static int take_prog(__u32 min_id, const char *name, enum bpf_prog_type type)
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

/* fd of the map named name that program prog_fd uses, or -1 */
static int prog_map(int prog_fd, const char *name)
{
	__u32 ids[64], len, i;
	struct bpf_prog_info info = {};

	len = sizeof(info);
	info.nr_map_ids = 64;
	info.map_ids = (__u64)(unsigned long)ids;
	if (bpf_obj_get_info_by_fd(prog_fd, &info, &len))
		return -1;
	for (i = 0; i < info.nr_map_ids && i < 64; i++) {
		struct bpf_map_info mi = {};
		__u32 mlen = sizeof(mi);
		int fd = bpf_map_get_fd_by_id(ids[i]);

		if (fd < 0)
			continue;
		if (!bpf_obj_get_info_by_fd(fd, &mi, &mlen) && !strcmp(mi.name, name))
			return fd;
		close(fd);
	}
	return -1;
}

/* Command mode: take the parent ig's program, then stop ig (its links go
 * with it; our reference keeps the program and its maps). */
static int take_from_parent(void)
{
	pid_t ig = getppid(), self = getpid();
	int fd, filter, i;
	__u8 v;

	fd = take_prog(0, SA_PROG, 0);
	if (fd < 0)
		die("no seccomp-advisor program found: run me as `ig run seccomp-advisor -- sa_hotpath ...`");
	filter = prog_map(fd, "ig_pid_filter");
	if (filter < 0 || bpf_map_lookup_elem(filter, &self, &v))
		die("this process is not in the advisor's pid filter: run me as ig's command");
	signal(SIGTERM, SIG_IGN);
	kill(ig, SIGINT);
	for (i = 0; i < 10000 && getppid() == ig; i++)
		usleep(1000);
	if (getppid() == ig)
		die("the parent ig did not exit after SIGINT");
	/* ig is gone: check that it left our pid in the filter (the program
	 * must still take its recording path, not the "not traced" exit). */
	if (bpf_map_lookup_elem(filter, &self, &v))
		die("ig removed this process from the pid filter at exit: command mode cannot be measured");
	close(filter);
	return fd;
}

/* Start argv with output to /dev/null (or to a pipe whose first line is
 * awaited when wait_line is set), wait until ready_file exists (if set),
 * take the newest matching program it loaded, send it stop_sig and reap it
 * (bpftrace gets SIGKILL: a SIGINT that lands before it installs its
 * handler is lost and it would run on). */
static int spawn_and_take(char *const argv[], const char *ready_file, const char *wait_line,
			  const char *name, enum bpf_prog_type type, int stop_sig)
{
	__u32 before = max_prog_id();
	int pfd[2], fd, i, status;
	char buf[256];
	pid_t pid;

	if (pipe(pfd))
		die("pipe failed");
	pid = fork();
	if (pid < 0)
		die("fork failed");
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
			fprintf(stderr, "sa_hotpath: %s did not start\n", argv[0]);
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
			fprintf(stderr, "sa_hotpath: %s did not get ready\n", argv[0]);
			exit(1);
		}
	}
	/* bpftrace says "Attaching" before it loads: wait for the program */
	for (i = 0; i < 10000 && (fd = take_prog(before, name, type)) < 0; i++)
		usleep(1000);
	if (fd < 0) {
		kill(pid, SIGKILL);
		fprintf(stderr, "sa_hotpath: %s loaded no matching program\n", argv[0]);
		exit(1);
	}
	kill(pid, stop_sig);
	waitpid(pid, &status, 0);
	return fd;
}

/* An empty program on the same hook ("r0 = 0; exit"): the floor. */
static int load_empty(void)
{
	const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_TRACE_RAW_TP);
	struct btf *vmlinux = btf__load_vmlinux_btf();
	int id, fd;

	if (!vmlinux)
		die("no kernel BTF (/sys/kernel/btf/vmlinux)");
	id = btf__find_by_name_kind(vmlinux, "btf_trace_sys_enter", BTF_KIND_TYPEDEF);
	btf__free(vmlinux);
	if (id < 0)
		die("btf_trace_sys_enter is not in the kernel BTF");
	opts.attach_btf_id = id;
	fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "sa_empty", "GPL", insns, 2, &opts);
	if (fd < 0)
		die("cannot load the empty program (run as root)");
	return fd;
}

static int tracepoint_id(void)
{
	const char *paths[] = {
		"/sys/kernel/tracing/events/raw_syscalls/sys_enter/id",
		"/sys/kernel/debug/tracing/events/raw_syscalls/sys_enter/id",
	};
	unsigned i;
	int id;

	for (i = 0; i < 2; i++) {
		FILE *f = fopen(paths[i], "r");

		if (!f)
			continue;
		if (fscanf(f, "%d", &id) != 1)
			id = -1;
		fclose(f);
		if (id >= 0)
			return id;
	}
	die("no raw_syscalls:sys_enter id in tracefs (mount -t tracefs nodev /sys/kernel/tracing)");
	return -1;
}

static void attach(struct config *c)
{
	struct perf_event_attr attr = { .type = PERF_TYPE_TRACEPOINT, .size = sizeof(attr),
					.sample_period = 1, .wakeup_events = 1 };

	switch (c->kind) {
	case ATTACH_NONE:
		c->link_fd = -1;
		return;
	case ATTACH_RAW_TP:
		c->link_fd = bpf_raw_tracepoint_open(NULL, c->prog_fd);
		break;
	case ATTACH_PERF_TP:
		attr.config = tracepoint_id();
		c->link_fd = syscall(SYS_perf_event_open, &attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
		if (c->link_fd >= 0 && (ioctl(c->link_fd, PERF_EVENT_IOC_SET_BPF, c->prog_fd) ||
					ioctl(c->link_fd, PERF_EVENT_IOC_ENABLE, 0)))
			c->link_fd = -1;
		break;
	}
	if (c->link_fd < 0) {
		fprintf(stderr, "sa_hotpath: cannot attach %s: %s\n", c->name, strerror(errno));
		exit(1);
	}
}

static double burst(long calls)
{
	double t0;
	long i;

	for (i = 0; i < 2000; i++)	/* warm the caches and the program's state */
		syscall(SYS_getppid);
	t0 = now_ns();
	for (i = 0; i < calls; i++)
		syscall(SYS_getppid);
	return (now_ns() - t0) / calls;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	double s[MAX_ROUNDS];

	memcpy(s, v, n * sizeof(*v));
	qsort(s, n, sizeof(*s), cmp_double);
	return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "ig", required_argument, NULL, 'i' },
		{ "calls", required_argument, NULL, 'n' },
		{ "rounds", required_argument, NULL, 'r' },
		{ "cpu", required_argument, NULL, 'c' },
		{ "no-bpftrace", no_argument, NULL, 'B' },
		{}
	};
	struct config cfg[5] = {
		{ "bare", ATTACH_NONE }, { "empty", ATTACH_RAW_TP }, { "advisor-host", ATTACH_RAW_TP },
		{ "advisor-cmd", ATTACH_RAW_TP }, { "bpftrace", ATTACH_PERF_TP },
	};
	const char *ig = NULL;
	int rounds = 31, cpu = 0, ncfg = 5, opt, r, k;
	char ready[] = "/tmp/sa_hotpath.XXXXXX", ready_file[64];
	long calls = 200000;
	cpu_set_t set;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'i': ig = optarg; break;
		case 'n': calls = atol(optarg); break;
		case 'r': rounds = atoi(optarg); break;
		case 'c': cpu = atoi(optarg); break;
		case 'B': ncfg = 4; break;
		default: die("usage: sa_hotpath --ig PATH [--calls N] [--rounds R] [--cpu C] [--no-bpftrace]");
		}
	}
	if (!ig || calls <= 0 || rounds < 1 || rounds > MAX_ROUNDS)
		die("usage: sa_hotpath --ig PATH [--calls N] [--rounds R<=201] [--cpu C] [--no-bpftrace]");

	cfg[3].prog_fd = take_from_parent();
	if (!mkdtemp(ready))
		die("mkdtemp failed");
	snprintf(ready_file, sizeof(ready_file), "%s/ready", ready);
	{
		char *host[] = { (char *)ig, "run", "seccomp-advisor", "--host", "--ready-file",
				 ready_file, NULL };

		cfg[2].prog_fd = spawn_and_take(host, ready_file, NULL, SA_PROG, 0, SIGINT);
	}
	unlink(ready_file);
	rmdir(ready);
	if (ncfg == 5) {
		char *bt[] = { "bpftrace", "-e", BPFTRACE_PROG, NULL };

		cfg[4].prog_fd = spawn_and_take(bt, NULL, "Attaching", NULL,
						BPF_PROG_TYPE_TRACEPOINT, SIGKILL);
	}
	cfg[1].prog_fd = load_empty();

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("cannot pin to the given CPU");
	for (r = 0; r < rounds; r++) {
		for (k = 0; k < ncfg; k++) {
			struct config *c = &cfg[(k + r) % ncfg];	/* rotate the order */

			attach(c);
			c->ns[r] = burst(calls);
			if (c->link_fd >= 0)
				close(c->link_fd);
		}
	}
	for (k = 0; k < ncfg; k++) {
		double added[MAX_ROUNDS];

		for (r = 0; r < rounds; r++)
			added[r] = cfg[k].ns[r] - cfg[0].ns[r];
		printf("sa_hotpath %s %.1f %.1f\n", cfg[k].name, median(cfg[k].ns, rounds),
		       median(added, rounds));
	}
	return 0;
}
