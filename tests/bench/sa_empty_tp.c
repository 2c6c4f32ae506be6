// SPDX-License-Identifier: Apache-2.0
/*
 * seccomp-advisor bench baseline: attach an EMPTY tp_btf/sys_enter program
 * (the same hook as the advisor; "r0 = 0; exit"), print "ready", and stay
 * attached until SIGINT/SIGTERM. What it costs per syscall is the floor any
 * program on this hook pays (the kernel's syscall-tracing slow path).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = sig;
}

int main(void)
{
	const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_TRACE_RAW_TP);
	struct btf *vmlinux = btf__load_vmlinux_btf();
	int id, prog, link;

	if (!vmlinux) {
		fprintf(stderr, "sa_empty_tp: no kernel BTF: %s\n", strerror(errno));
		return 1;
	}
	id = btf__find_by_name_kind(vmlinux, "btf_trace_sys_enter", BTF_KIND_TYPEDEF);
	if (id < 0) {
		fprintf(stderr, "sa_empty_tp: btf_trace_sys_enter not in kernel BTF\n");
		return 1;
	}
	opts.attach_btf_id = id;
	prog = bpf_prog_load(BPF_PROG_TYPE_TRACING, "sa_empty", "GPL", insns, 2, &opts);
	if (prog < 0) {
		fprintf(stderr, "sa_empty_tp: load: %s (run as root)\n", strerror(-prog));
		return 1;
	}
	link = bpf_raw_tracepoint_open(NULL, prog);
	if (link < 0) {
		fprintf(stderr, "sa_empty_tp: attach: %s\n", strerror(-link));
		return 1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	printf("ready\n");
	fflush(stdout);
	while (!stop)
		pause();
	close(link);
	close(prog);
	btf__free(vmlinux);
	return 0;
}
