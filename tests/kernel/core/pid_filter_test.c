// SPDX-License-Identifier: Apache-2.0
/*
 * The command-mode pid filter (core/filter.bpf.c) across thread-group
 * changes: a process whose leader exits (pthread_exit, or a non-leader
 * thread's execve) is still the command's and stays traced; a process
 * leaves the filter once all of its threads are gone, whichever exits last.
 * The fixture is tests/fixtures/leader_exit.c, traced with trace-exec.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "tests/lib/igtest.h"
#include "records_helpers.h"

static char tmpdir[64];
static char fixture[512];

static void setup(void)
{
	igt_tmpdir_new(tmpdir, sizeof(tmpdir), "pidf");
	snprintf(fixture, sizeof(fixture), "%s/tests/fixtures/leader_exit", igt_build_dir());
	cr_assert_eq(access(fixture, X_OK), 0, "%s: %s (make tests-build)", fixture,
		     strerror(errno));
}

static void teardown(void)
{
	igt_tmpdir_remove(tmpdir);
}

TestSuite(pid_filter, .init = setup, .fini = teardown, .timeout = 60);

/* Records of `ig run trace-exec -- leader_exit MODE`; the run must succeed. */
static json_t *trace(const char *mode)
{
	struct igt_result *r = igt_ig(30000, "run", "trace-exec", "-o", "json", "--", fixture,
				      mode, NULL);
	json_t *recs;

	cr_assert_not(r->timed_out, "ig did not end: %s", r->err);
	cr_assert_eq(r->status, 0, "status %d: %s", r->status, r->err);
	recs = records_from_json_lines(r->out);
	igt_result_free(r);
	return recs;
}

/* The leader's pthread_exit() must not take the rest of the process out of
 * the filter: the surviving thread's fork+exec is the command's. */
Test(pid_filter, leader_pthread_exit_keeps_process_traced)
{
	json_t *recs = trace("pthread-exit");

	cr_assert_eq(records_count(recs, "args", "/bin/true after-leader-exit"), 1,
		     "the exec after the leader's exit was not traced: %s", json_dumps(recs, 0));
	json_decref(recs);
}

/* A non-leader thread's execve kills the old leader and takes its pid
 * (de_thread): that exec and the new image's fork+exec are the command's. */
Test(pid_filter, thread_execve_keeps_process_traced)
{
	json_t *recs = trace("thread-exec");
	char args[600];

	snprintf(args, sizeof(args), "%s exec'd", fixture);
	cr_assert_eq(records_count(recs, "args", args), 1, "the thread's execve: %s",
		     json_dumps(recs, 0));
	cr_assert_eq(records_count(recs, "args", "/bin/true after-thread-exec"), 1,
		     "the exec after the thread's execve was not traced: %s", json_dumps(recs, 0));
	json_decref(recs);
}

/* ig's map named ig_pid_filter, found through its open fds: other igs on the
 * machine have maps of the same name. Returns an fd of our own. */
static int pid_filter_map_of(pid_t ig)
{
	char path[320], line[128];
	struct bpf_map_info info;
	__u32 len, id;
	struct dirent *de;
	int fd = -1;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/fdinfo", (int)ig);
	d = opendir(path);
	cr_assert_not_null(d, "%s: %s", path, strerror(errno));
	while (fd < 0 && (de = readdir(d))) {
		FILE *f;

		snprintf(path, sizeof(path), "/proc/%d/fdinfo/%s", (int)ig, de->d_name);
		f = fopen(path, "re");
		if (!f)
			continue;
		id = 0;
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "map_id: %u", &id) == 1)
				break;
		fclose(f);
		if (!id || (fd = bpf_map_get_fd_by_id(id)) < 0)
			continue;
		memset(&info, 0, sizeof(info));
		len = sizeof(info);
		if (bpf_obj_get_info_by_fd(fd, &info, &len) || strcmp(info.name, "ig_pid_filter")) {
			close(fd);
			fd = -1;
		}
	}
	closedir(d);
	cr_assert_geq(fd, 0, "ig %d has no ig_pid_filter map", (int)ig);
	return fd;
}

/* Once a process is gone it leaves the filter, also when its last thread
 * is not the leader: the map holds only the command's shell, which is still
 * running. (A pid left behind would trace whatever reuses it.) */
Test(pid_filter, exited_processes_leave_the_filter)
{
	char script[2048], pidf[96], *s = NULL;
	struct igt_result *r;
	struct igt_proc *p;
	__u32 key, next, keys[16];
	int fd, n = 0, i;
	long sh;

	snprintf(pidf, sizeof(pidf), "%s/pid", tmpdir);
	snprintf(script, sizeof(script), "'%s' pthread-exit && '%s' thread-exec && /bin/true && "
		 "echo $$ > %s.tmp && mv %s.tmp %s && exec sleep 30", fixture, fixture, pidf,
		 pidf, pidf);
	p = igt_spawn_ig_ready("run", "trace-exec", "-o", "json", "--", "/bin/sh", "-c", script,
			       NULL);
	for (i = 0; i < 200 && !(s = igt_read_file(pidf, NULL)); i++)
		usleep(50000);
	cr_assert_not_null(s, "the command did not get to its end (%s)", pidf);
	sh = strtol(s, NULL, 10);
	free(s);

	fd = pid_filter_map_of(p->pid);
	for (i = bpf_map_get_next_key(fd, NULL, &next); !i && n < 16;
	     i = bpf_map_get_next_key(fd, &key, &next)) {
		keys[n++] = next;
		key = next;
	}
	close(fd);
	r = igt_proc_finish(p, SIGTERM, 10000);
	cr_assert_eq(r->status, 0, "%d: %s", r->status, r->err);
	cr_assert_eq(igt_count(r->out, "\"args\":\"/bin/true after-leader-exit\""), 1, "%s",
		     r->out);
	igt_result_free(r);
	cr_assert_eq(n, 1, "%d pids in the filter, want only the shell's (%ld); first %u", n,
		     sh, n ? keys[0] : 0);
	cr_assert_eq(keys[0], (__u32)sh);
}
