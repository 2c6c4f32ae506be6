// SPDX-License-Identifier: Apache-2.0
/*
 * seccomp-advisor hot-path bench: ns per getppid() with nothing attached,
 * with an empty tp_btf/sys_enter program, with seccomp-advisor's own program
 * (as ig loaded it, in --host and in -- COMMAND mode), and with bpftrace
 * counting syscalls by id, measured side by side in one process.
 *
 * The method (programs taken from the processes that loaded them, attached
 * one at a time for short bursts, cycling, paired medians) is hotpath.h's.
 *
 * It must run as ig's command: `ig run seccomp-advisor -- sa_hotpath ...`.
 * The command-mode program only records ig's command tree, so it is taken
 * from the parent ig (which is then stopped with SIGINT; the SIGTERM ig
 * sends its command is ignored). The --host program comes from a second ig
 * it starts, and bpftrace's from a bpftrace it starts.
 *
 * --pingpong adds a second pass: one-byte round trips over pipes with a
 * peer process in another mount namespace pinned to the same CPU, so every
 * syscall after a context switch misses the advisor's cache and changes
 * unit (its worst case); lines "sa_pingpong <name> <median ns/round trip>
 * <added>".
 *
 * --cpu-time times bursts by the thread's CPU clock instead of the wall
 * clock: on a CPU shared with other runnable tasks the wall clock scales
 * every added cost by the share of the CPU the bench gets (see
 * docs/performance.md), the CPU clock does not.
 *
 * Usage: sa_hotpath --ig PATH [--calls N] [--rounds R] [--cpu C] [--no-bpftrace]
 *        [--pingpong] [--cpu-time]
 * Prints one line per configuration on stdout, "sa_hotpath <name> <median
 * ns/call> <added ns/call>", after the parent ig has exited (ig's own report shares the
 * stream: read it through a pipe and keep those lines; the pipe ends when
 * this process does).
 */
#include <getopt.h>
#include <sys/prctl.h>

#include "hotpath.h"

#define SA_PROG		"sa_sys_enter"
#define BPFTRACE_PROG	"tracepoint:raw_syscalls:sys_enter { @[args->id] = count(); }"

static long calls = 200000;
static clockid_t clk = CLOCK_MONOTONIC;
static int to_peer[2], from_peer[2];

/* Round trips of one byte with a peer process in another mount namespace
 * on the same CPU: every syscall after a context switch is a cache miss
 * that changes unit (the advisor's worst case). */
static double burst_pingpong(void)
{
	long i, n = calls / 10;
	double t0;
	char b = 0;

	t0 = hp_now(CLOCK_MONOTONIC);
	for (i = 0; i < n; i++)
		if (write(to_peer[1], &b, 1) != 1 || read(from_peer[0], &b, 1) != 1)
			hp_die("ping-pong peer gone");
	return (hp_now(CLOCK_MONOTONIC) - t0) / n;
}

static void start_peer(int cpu)
{
	cpu_set_t set;
	pid_t pid;
	char b;

	if (pipe(to_peer) || pipe(from_peer))
		hp_die("pipe failed");
	pid = fork();
	if (pid < 0)
		hp_die("fork failed");
	if (pid)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) || unshare(CLONE_NEWNS))
		_exit(1);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	while (read(to_peer[0], &b, 1) == 1 && write(from_peer[1], &b, 1) == 1)
		;
	_exit(0);
}

static double burst(void)
{
	double t0;
	long i;

	for (i = 0; i < 2000; i++)	/* warm the caches and the program's state */
		syscall(SYS_getppid);
	t0 = hp_now(clk);
	for (i = 0; i < calls; i++)
		syscall(SYS_getppid);
	return (hp_now(clk) - t0) / calls;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "ig", required_argument, NULL, 'i' },
		{ "calls", required_argument, NULL, 'n' },
		{ "rounds", required_argument, NULL, 'r' },
		{ "cpu", required_argument, NULL, 'c' },
		{ "no-bpftrace", no_argument, NULL, 'B' },
		{ "pingpong", no_argument, NULL, 'p' },
		{ "cpu-time", no_argument, NULL, 't' },
		{}
	};
	static struct hp_config cfg[5] = {
		{ "bare", HP_NONE }, { "empty", HP_RAW_TP }, { "advisor-host", HP_RAW_TP },
		{ "advisor-cmd", HP_RAW_TP }, { "bpftrace", HP_PERF_TP },
	};
	const char *ig = NULL;
	int rounds = 31, cpu = 0, ncfg = 5, opt, pingpong = 0;

	hp_name = "sa_hotpath";
	hp_tp = "sys_enter";
	hp_tp_id_path = "/sys/kernel/tracing/events/raw_syscalls/sys_enter/id";
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'i': ig = optarg; break;
		case 'n': calls = atol(optarg); break;
		case 'r': rounds = atoi(optarg); break;
		case 'c': cpu = atoi(optarg); break;
		case 'B': ncfg = 4; break;
		case 'p': pingpong = 1; break;
		case 't': clk = CLOCK_THREAD_CPUTIME_ID; break;
		default: hp_die("usage: sa_hotpath --ig PATH [--calls N] [--rounds R] [--cpu C] [--no-bpftrace] [--pingpong] [--cpu-time]");
		}
	}
	if (!ig || calls <= 0 || rounds < 1 || rounds > HP_MAX_ROUNDS)
		hp_die("usage: sa_hotpath --ig PATH [--calls N] [--rounds R<=201] [--cpu C] [--no-bpftrace] [--pingpong] [--cpu-time]");

	cfg[3].prog_fd = hp_take_from_parent(SA_PROG, "seccomp-advisor");
	{
		const char *const host[] = { "--host", NULL };

		cfg[2].prog_fd = hp_take_from_ig(ig, "seccomp-advisor", host, SA_PROG);
	}
	if (ncfg == 5) {
		char *bt[] = { "bpftrace", "-e", BPFTRACE_PROG, NULL };

		cfg[4].prog_fd = hp_spawn_and_take(bt, NULL, "Attaching", NULL,
						   BPF_PROG_TYPE_TRACEPOINT, SIGKILL);
	}
	cfg[1].prog_fd = hp_load_empty();
	hp_run(cfg, ncfg, rounds, cpu, burst);
	if (pingpong) {
		start_peer(cpu);
		hp_name = "sa_pingpong";
		hp_run(cfg, ncfg, rounds, cpu, burst_pingpong);
	}
	return 0;
}
