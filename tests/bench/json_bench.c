// SPDX-License-Identifier: Apache-2.0
/*
 * json_bench: how many records per second the record -> JSON path formats
 * on one core (budget: >= 1,000,000/s, DESIGN.md). Formats N synthetic
 * records shaped like a real trace record (timestamp, pid, tid, comm, mntns,
 * syscall, an enum, an errno, uid, a path with a quote in it) to /dev/null
 * and prints the rate. Pin it to one CPU (scripts/bench.d/10-json.sh does).
 *
 * usage: json_bench [RECORDS [FORMAT]]   (default 2000000 json)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "output/output.h"

static const struct ig_enum_name syscalls[] = {
	{ 0, "read" }, { 1, "write" }, { 2, "open" }, { 3, "close" }, { 4, "stat" },
	{ 5, "fstat" }, { 9, "mmap" }, { 10, "mprotect" }, { 11, "munmap" }, { 12, "brk" },
	{ 13, "rt_sigaction" }, { 16, "ioctl" }, { 21, "access" }, { 39, "getpid" },
	{ 56, "clone" }, { 59, "execve" }, { 60, "exit" }, { 257, "openat" },
	{ 262, "newfstatat" }, { 435, "clone3" }, { 0, NULL },
};

static const struct ig_enum_name actions[] = {
	{ 0, "allow" }, { 1, "errno" }, { 2, "kill" }, { 3, "log" }, { 0, NULL },
};

static const struct ig_field fields[] = {
	{ "timestamp", "time", IG_FT_TIMESTAMP, IG_FK_TIMESTAMP, 30, IG_ALIGN_LEFT,
	  IG_FIELD_HIDDEN, NULL },
	{ "pid", "pid", IG_FT_UINT, IG_FK_PID, 7, IG_ALIGN_RIGHT, 0, NULL },
	{ "tid", "tid", IG_FT_UINT, IG_FK_TID, 7, IG_ALIGN_RIGHT, 0, NULL },
	{ "comm", "command", IG_FT_STRING, IG_FK_COMM, 16, IG_ALIGN_LEFT, 0, NULL },
	{ "mntns", "mount ns", IG_FT_UINT, IG_FK_MNTNS, 10, IG_ALIGN_RIGHT, IG_FIELD_HIDDEN,
	  NULL },
	{ "syscall", "syscall", IG_FT_ENUM, IG_FK_SYSCALL, 14, IG_ALIGN_LEFT, 0, syscalls },
	{ "action", "verdict", IG_FT_ENUM, IG_FK_NONE, 6, IG_ALIGN_LEFT, 0, actions },
	{ "ret", "return value", IG_FT_INT, IG_FK_ERRNO, 5, IG_ALIGN_RIGHT, 0, NULL },
	{ "uid", "uid", IG_FT_UINT, IG_FK_UID, 6, IG_ALIGN_RIGHT, 0, NULL },
	{ "path", "file", IG_FT_STRING, IG_FK_PATH, 32, IG_ALIGN_LEFT, 0, NULL },
	{ "runtime.containerName", "container", IG_FT_STRING, IG_FK_CONTAINER, 16,
	  IG_ALIGN_LEFT, 0, NULL },
};
#define NR_FIELDS (sizeof(fields) / sizeof(fields[0]))

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	static const char *const comms[] = { "nginx", "sh", "python3", "cat" };
	static const char *const paths[] = {
		"/etc/ld.so.cache", "/var/log/app \"quoted\".log", "/usr/lib/x86_64-linux-gnu/libc.so.6",
	};
	struct ig_output_opts opts = { .sz = sizeof(opts), .format = IG_OUT_JSON,
				       .boot_to_wall_ns = 1795922682LL * 1000000000LL };
	long n = argc > 1 ? atol(argv[1]) : 2000000, i;
	struct ig_value v[NR_FIELDS];
	struct ig_output *o;
	double t0, dt;
	char err[256];
	int ret = 0;

	if (n <= 0 || (argc > 2 && ig_output_format__parse(argv[2], &opts.format, err,
							   sizeof(err)))) {
		fprintf(stderr, "usage: json_bench [RECORDS [table|json|jsonpretty|yaml]]\n");
		return 2;
	}
	opts.out = fopen("/dev/null", "w");
	if (!opts.out) {
		fprintf(stderr, "json_bench: cannot open /dev/null: %s\n", strerror(errno));
		return 1;
	}
	o = ig_output__new(fields, NR_FIELDS, &opts, err, sizeof(err));
	if (!o) {
		fprintf(stderr, "json_bench: %s\n", err);
		return 1;
	}
	t0 = now();
	for (i = 0; i < n && !ret; i++) {
		v[0] = ig_val_u64(3000000000ULL + (uint64_t)i * 731);
		v[1] = ig_val_u64(4000 + i % 64);
		v[2] = ig_val_u64(4000 + i % 256);
		v[3] = ig_val_str(comms[i & 3]);
		v[4] = ig_val_u64(4026532000ULL + (i & 7));
		v[5] = ig_val_u64(syscalls[i % 20].value);
		v[6] = ig_val_u64(i % 4);
		v[7] = ig_val_i64(i % 5 ? 0 : -13);
		v[8] = ig_val_u64(i % 3 ? 0 : 1000);
		v[9] = ig_val_str(paths[i % 3]);
		v[10] = ig_val_str("web-frontend");
		ret = ig_output__record(o, v);
	}
	if (!ret)
		ret = ig_output__flush(o);
	dt = now() - t0;
	ig_output__destroy(o);
	fclose(opts.out);
	if (ret) {
		fprintf(stderr, "json_bench: formatting failed: %s\n", strerror(-ret));
		return 1;
	}
	printf("%.0f records/s (%ld records in %.3f s)\n", n / dt, n, dt);
	return 0;
}
