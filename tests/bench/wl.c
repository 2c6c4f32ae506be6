// SPDX-License-Identifier: Apache-2.0
/*
 * Whole-process bench workloads: one loop each, timed by the wall clock
 * after a warm-up, so that the bench can run it bare, under an empty
 * program and under `ig run GADGET -- wl ...` exactly as a user would.
 *
 *   wl getppid N        N getppid() calls (one sys_enter each)
 *   wl setuid N         N setuid(0) as root (one audited CAP_SETUID check each)
 *   wl udp N            N sendto() of 16 bytes to a bound, unread UDP socket
 *                       on 127.0.0.1 (one cgroup/sendmsg4 run and one
 *                       received packet each)
 *   wl tcp N            N TCP connections to a listener of this process on
 *                       127.0.0.1: connect, accept, close both (the client
 *                       with SO_LINGER 0, so no port is left in TIME_WAIT)
 *   wl pingpong N       N one-byte round trips over pipes with a child
 *                       process on the same CPU
 *   wl pingpong-ns N    the same with the child in a mount namespace of its
 *                       own (every syscall after a switch changes unit for
 *                       seccomp-advisor in --host or container mode)
 *
 *   wl spin N           N units of user-space work alone (to size -w)
 *   wl run PROG [ARG]...
 *                       run a program (stdin from -i FILE) and report its
 *                       own wall and CPU time (user + system, from wait4)
 *
 * -w K adds K units of user-space work (arithmetic, no syscall) after each
 * operation: a workload that makes its checks at a given rate, such as
 * capabilities' budget at ~500k checks/s, whatever one check costs here.
 *
 * -s first installs a seccomp filter that allows every syscall (as a
 * container runtime's profile does for most), so seccomp-audit's live path
 * runs for every syscall.
 *
 * Prints one line, to FILE with -o FILE (under ig, stdout is ig's report):
 *   wl MODE ns_per_op X ops N cpu_ns_per_op Y softirqd_ns_per_op Z
 * X is wall time over N, Y this thread's CPU time over N (with the peer's,
 * for ping-pong), Z the CPU time ksoftirqd of this CPU took meanwhile over
 * N: work the loop leaves to softirqs (setuid()'s RCU freeing of the old
 * credentials) runs in the loop's own time, except when the kernel defers
 * it to ksoftirqd. Exit 1 with one line on stderr on failure.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static const char *mode;

static void die(const char *what)
{
	fprintf(stderr, "wl %s: %s failed: %m\n", mode, what);
	exit(1);
}

static double now(clockid_t clk)
{
	struct timespec t;

	clock_gettime(clk, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

static long work_units;
static volatile unsigned long work_sink;

static inline void work(long k)
{
	unsigned long x = work_sink;

	for (; k > 0; k--) {
		x = x * 6364136223846793005UL + 1442695040888963407UL;
		__asm__ volatile("" : "+r"(x));
	}
	work_sink = x;
}

static long op_spin(long n)
{
	work(n);
	return 0;
}

static long op_getppid(long n)
{
	for (; n > 0; n--)
		syscall(SYS_getppid);
	return 0;
}

static long op_setuid(long n)
{
	for (; n > 0; n--) {
		if (syscall(SYS_setuid, 0))	/* raw: glibc would signal every thread */
			die("setuid(0) (run as root)");
		work(work_units);
	}
	return 0;
}

static int udp_fd = -1;
static struct sockaddr_in udp_to;

static void udp_setup(void)
{
	socklen_t len = sizeof(udp_to);
	int rx = socket(AF_INET, SOCK_DGRAM, 0);

	udp_to.sin_family = AF_INET;
	udp_to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (rx < 0 || bind(rx, (struct sockaddr *)&udp_to, sizeof(udp_to)) ||
	    getsockname(rx, (struct sockaddr *)&udp_to, &len))
		die("UDP receiver");
	udp_fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (udp_fd < 0)
		die("UDP socket");
}

static long op_udp(long n)
{
	char buf[16] = "wl udp";

	for (; n > 0; n--)
		if (sendto(udp_fd, buf, sizeof(buf), 0, (struct sockaddr *)&udp_to,
			   sizeof(udp_to)) != sizeof(buf))
			die("sendto");
	return 0;
}

static int tcp_listener = -1;
static struct sockaddr_in tcp_to;

static void tcp_setup(void)
{
	socklen_t len = sizeof(tcp_to);

	tcp_to.sin_family = AF_INET;
	tcp_to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	tcp_listener = socket(AF_INET, SOCK_STREAM, 0);
	if (tcp_listener < 0 || bind(tcp_listener, (struct sockaddr *)&tcp_to, sizeof(tcp_to)) ||
	    listen(tcp_listener, 64) ||
	    getsockname(tcp_listener, (struct sockaddr *)&tcp_to, &len))
		die("TCP listener");
}

static long op_tcp(long n)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	int c, a;

	for (; n > 0; n--) {
		c = socket(AF_INET, SOCK_STREAM, 0);
		if (c < 0 || connect(c, (struct sockaddr *)&tcp_to, sizeof(tcp_to)))
			die("connect");
		a = accept(tcp_listener, NULL, NULL);
		if (a < 0)
			die("accept");
		setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		close(c);
		close(a);
	}
	return 0;
}

static void allow_all_filter(void)
{
	struct sock_filter allow = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	struct sock_fprog prog = { .len = 1, .filter = &allow };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog))
		die("installing a seccomp filter");
}

/* CPU time (ns) ksoftirqd of CPU cpu has run, from its schedstat; 0 if
 * unknown. */
static double softirqd_ns(int cpu)
{
	static char path[64];
	char want[32], comm[32];
	double ns = 0;
	struct dirent *d;
	FILE *f;
	DIR *dir;

	if (!path[0]) {
		snprintf(want, sizeof(want), "ksoftirqd/%d\n", cpu);
		dir = opendir("/proc");
		while (dir && (d = readdir(dir)) && !path[0]) {
			snprintf(path, sizeof(path), "/proc/%.20s/comm", d->d_name);
			f = fopen(path, "r");
			if (!f || !fgets(comm, sizeof(comm), f) || strcmp(comm, want))
				path[0] = 0;
			if (f)
				fclose(f);
		}
		if (dir)
			closedir(dir);
		if (!path[0])
			return 0;
		strcpy(strrchr(path, '/'), "/schedstat");
	}
	f = fopen(path, "r");
	if (!f || fscanf(f, "%lf", &ns) != 1)
		ns = 0;
	if (f)
		fclose(f);
	return ns;
}

static int to_peer[2], from_peer[2];
static clockid_t peer_clock = -1;	/* the peer's CPU clock, if any */

static void pingpong_setup(int own_mntns)
{
	cpu_set_t set;
	pid_t pid;
	char b;

	if (pipe(to_peer) || pipe(from_peer))
		die("pipe");
	if (sched_getaffinity(0, sizeof(set), &set))
		die("sched_getaffinity");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid) {
		close(to_peer[0]);
		close(from_peer[1]);
		if (clock_getcpuclockid(pid, &peer_clock))
			die("clock_getcpuclockid");
		return;
	}
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (own_mntns && unshare(CLONE_NEWNS))
		die("unshare(CLONE_NEWNS) (run as root)");
	close(to_peer[1]);
	close(from_peer[0]);
	while (read(to_peer[0], &b, 1) == 1 && write(from_peer[1], &b, 1) == 1)
		;
	_exit(0);
}

static long op_pingpong(long n)
{
	char b = 0;

	for (; n > 0; n--)
		if (write(to_peer[1], &b, 1) != 1 || read(from_peer[0], &b, 1) != 1)
			die("ping-pong with the peer");
	return 0;
}

/* wl run: the program's own times, ops = 1 */
static int run_program(char **argv, const char *in, FILE *out)
{
	struct rusage ru;
	double t0, wall;
	int status;
	pid_t pid;

	t0 = now(CLOCK_MONOTONIC);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		int fd = in ? open(in, O_RDONLY) : -1;

		if (in && (fd < 0 || dup2(fd, 0) < 0))
			die(in);
		execvp(argv[0], argv);
		die(argv[0]);
	}
	if (wait4(pid, &status, 0, &ru) != pid)
		die("wait4");
	wall = now(CLOCK_MONOTONIC) - t0;
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "wl run: %s failed (status %d)\n", argv[0], status);
		exit(1);
	}
	fprintf(out, "wl run ns_per_op %.1f ops 1 cpu_ns_per_op %.1f softirqd_ns_per_op 0\n", wall,
		(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e9 +
		(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e3);
	return fclose(out) ? 1 : 0;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		long (*op)(long n);
	} modes[] = {
		{ "getppid", op_getppid }, { "setuid", op_setuid }, { "udp", op_udp },
		{ "tcp", op_tcp }, { "pingpong", op_pingpong }, { "pingpong-ns", op_pingpong },
		{ "spin", op_spin },
	};
	const char *out_path = NULL, *in_path = NULL;
	long (*op)(long n) = NULL;
	double t0, c0, s0, wall, cpu, sirq;
	FILE *out = stdout;
	unsigned int i;
	int opt, filter = 0;
	long n;

	while ((opt = getopt(argc, argv, "+o:sw:i:")) != -1) {
		if (opt == 'i')
			in_path = optarg;
		else if (opt == 's')
			filter = 1;
		else if (opt == 'w')
			work_units = atol(optarg);
		else if (opt == 'o')
			out_path = optarg;
		else
			goto usage;
	}
	mode = argc > optind ? argv[optind] : "";
	if (!strcmp(mode, "run") && argc - optind >= 2) {
		if (out_path && !(out = fopen(out_path, "w")))
			die(out_path);
		return run_program(argv + optind + 1, in_path, out);
	}
	if (argc - optind != 2)
		goto usage;
	n = atol(argv[optind + 1]);
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (!strcmp(mode, modes[i].name))
			op = modes[i].op;
	if (!op || n <= 0)
		goto usage;
	if (filter)
		allow_all_filter();
	if (op == op_udp)
		udp_setup();
	else if (op == op_tcp)
		tcp_setup();
	else if (op == op_pingpong)
		pingpong_setup(!strcmp(mode, "pingpong-ns"));

	op(n / 50 + 1);		/* warm the caches and the programs' state */
	s0 = softirqd_ns(sched_getcpu());
	c0 = now(CLOCK_THREAD_CPUTIME_ID) + (peer_clock == -1 ? 0 : now(peer_clock));
	t0 = now(CLOCK_MONOTONIC);
	op(n);
	wall = now(CLOCK_MONOTONIC) - t0;
	cpu = now(CLOCK_THREAD_CPUTIME_ID) + (peer_clock == -1 ? 0 : now(peer_clock)) - c0;
	sirq = softirqd_ns(sched_getcpu()) - s0;

	if (out_path && !(out = fopen(out_path, "w")))
		die(out_path);
	fprintf(out, "wl %s ns_per_op %.1f ops %ld cpu_ns_per_op %.1f softirqd_ns_per_op %.1f\n",
		mode, wall / n, n, cpu / n, sirq / n);
	return fclose(out) ? 1 : 0;
usage:
	fprintf(stderr, "usage: wl [-o FILE] [-s] [-w K] getppid|setuid|udp|tcp|pingpong|pingpong-ns|spin N\n"
		"       wl [-o FILE] [-i FILE] run PROG [ARG]...\n");
	return 2;
}
