// SPDX-License-Identifier: Apache-2.0
/*
 * capabilities event-path bench: CPU ns per setuid(0) as root (one audited
 * CAP_SETUID check each) with nothing attached, with an empty
 * tp_btf/cap_capable program (the hook's own cost), with the capabilities
 * program streaming (as `ig run capabilities -o json -- COMMAND` loads it),
 * and with `--unique`, measured side by side in one process (hotpath.h:
 * programs taken from the igs that loaded them, attached one at a time for
 * short bursts, cycling, paired medians).
 *
 * It must run as ig's command: `ig run capabilities -o json -- cap_hotpath
 * ...`. The streaming program is taken from that parent ig, which is then
 * stopped with SIGINT (the SIGTERM ig sends its command is ignored); the
 * --unique one from an `ig run capabilities --host --unique` it starts.
 * ig tells a stopping program to ignore checks (CAPS_CTL_STOP, in its .bss):
 * that is set back to 0, so the program takes its full path again. Nobody
 * consumes the ring buffer afterwards; batches are sent every 20 ms or when
 * full, far too few to fill its 2 MiB during the bench (a failed send would
 * only be counted).
 *
 * Bursts are timed by the wall clock on the pinned CPU, like sa_hotpath's:
 * the freeing of the old credentials that each setuid() leaves to RCU is
 * part of the workload's cost, and when the kernel defers it to ksoftirqd
 * the thread's CPU clock (--cpu-time, as cap_loop uses) no longer sees it.
 * In process both clocks agree within a point; whole-process runs do not.
 *
 * Usage: cap_hotpath --ig PATH [--calls N] [--rounds R] [--cpu C] [--cpu-time]
 * Prints "cap_hotpath <name> <median ns/call> <added ns/call>" per
 * configuration on stdout (ig's JSON shares the stream: keep those lines).
 */
#include <getopt.h>

#include "hotpath.h"

#define CAPS_PROG	"ig_cap_capable"

static long calls = 50000;
static clockid_t clk = CLOCK_MONOTONIC;

static double burst(void)
{
	double t0;
	long i;

	for (i = 0; i < 2000; i++)	/* warm the caches and the program's state */
		syscall(SYS_setuid, 0);	/* raw: glibc would signal every thread */
	t0 = hp_now(clk);
	for (i = 0; i < calls; i++)
		syscall(SYS_setuid, 0);
	return (hp_now(clk) - t0) / calls;
}

/* Set the program's global "ctl" (in its .bss) back to 0. */
static void reset_ctl(int prog_fd)
{
	int fd = hp_prog_map(prog_fd, ".bss"), i, off = -1;
	const struct btf_var_secinfo *vs;
	struct bpf_map_info mi = {};
	__u32 len = sizeof(mi), zero = 0;
	const struct btf_type *sec;
	struct btf *btf;
	char *val;

	if (fd < 0 || bpf_obj_get_info_by_fd(fd, &mi, &len) || !mi.btf_id)
		hp_die("the capabilities program has no .bss map with BTF");
	btf = btf__load_from_kernel_by_id(mi.btf_id);
	sec = btf ? btf__type_by_id(btf, mi.btf_value_type_id) : NULL;
	if (!sec || !btf_is_datasec(sec))
		hp_die("cannot read the .bss map's BTF");
	vs = btf_var_secinfos(sec);
	for (i = 0; i < btf_vlen(sec); i++, vs++)
		if (!strcmp(btf__name_by_offset(btf, btf__type_by_id(btf, vs->type)->name_off), "ctl"))
			off = (int)vs->offset;
	val = calloc(1, mi.value_size);
	if (off < 0 || !val || bpf_map_lookup_elem(fd, &zero, val))
		hp_die("no ctl variable in the program's .bss");
	memset(val + off, 0, sizeof(__u32));
	if (bpf_map_update_elem(fd, &zero, val, 0))
		hp_die("cannot reset the program's ctl");
	free(val);
	btf__free(btf);
	close(fd);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "ig", required_argument, NULL, 'i' },
		{ "calls", required_argument, NULL, 'n' },
		{ "rounds", required_argument, NULL, 'r' },
		{ "cpu", required_argument, NULL, 'c' },
		{ "cpu-time", no_argument, NULL, 't' },
		{}
	};
	static struct hp_config cfg[4] = {
		{ "bare", HP_NONE }, { "empty", HP_RAW_TP }, { "stream", HP_RAW_TP },
		{ "unique", HP_RAW_TP },
	};
	const char *ig = NULL;
	int rounds = 41, cpu = 0, opt;

	hp_name = "cap_hotpath";
	hp_tp = "cap_capable";
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'i': ig = optarg; break;
		case 'n': calls = atol(optarg); break;
		case 'r': rounds = atoi(optarg); break;
		case 'c': cpu = atoi(optarg); break;
		case 't': clk = CLOCK_THREAD_CPUTIME_ID; break;
		default: hp_die("usage: cap_hotpath --ig PATH [--calls N] [--rounds R] [--cpu C] [--cpu-time]");
		}
	}
	if (!ig || calls <= 0 || rounds < 1 || rounds > HP_MAX_ROUNDS)
		hp_die("usage: cap_hotpath --ig PATH [--calls N] [--rounds R<=201] [--cpu C] [--cpu-time]");
	if (geteuid() != 0)
		hp_die("run as root (setuid(0) must make a capability check)");

	cfg[2].prog_fd = hp_take_from_parent(CAPS_PROG, "capabilities");
	{
		const char *const unique[] = { "--host", "--unique", NULL };

		cfg[3].prog_fd = hp_take_from_ig(ig, "capabilities", unique, CAPS_PROG);
	}
	reset_ctl(cfg[2].prog_fd);
	reset_ctl(cfg[3].prog_fd);
	cfg[1].prog_fd = hp_load_empty();
	hp_run(cfg, 4, rounds, cpu, burst);
	return 0;
}
