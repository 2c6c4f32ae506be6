// SPDX-License-Identifier: Apache-2.0
/*
 * `ig run trace-exec` for real: BPF loaded, the test's own commands traced,
 * output parsed with jansson and libyaml. Each test filters to its own
 * command (command mode), so other processes on the machine never match.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tests/lib/igtest.h"
#include "records_helpers.h"

static char tmpdir[64];

static void setup(void)
{
	igt_tmpdir_new(tmpdir, sizeof(tmpdir), "core");
}

static void teardown(void)
{
	igt_tmpdir_remove(tmpdir);
}

TestSuite(run, .init = setup, .fini = teardown, .timeout = 60);

static long read_pid(const char *name)
{
	char path[128];
	char *s;
	long pid;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	s = igt_read_file(path, NULL);
	cr_assert_not_null(s, "the command did not write %s", path);
	pid = strtol(s, NULL, 10);
	free(s);
	return pid;
}

/* The exec records of `sh -c 'echo $$ > pid; exec /bin/true one two'`. */
static void check_exec_records(json_t *recs, long pid)
{
	size_t i;
	json_t *r;
	int seen = 0;

	cr_assert_gt(json_array_size(recs), 0, "no records at all");
	json_array_foreach(recs, i, r) {
		/* The pid filter: nothing but the command's own process. */
		cr_assert_eq(rec_int(r, "pid"), pid, "record of another process: %s",
			     json_dumps(r, 0));
		cr_assert_eq((unsigned long long)rec_int(r, "mntns"),
			     (unsigned long long)igt_ns_inode(getpid(), "mnt"));
		cr_assert_eq(rec_int(r, "uid"), (long long)getuid());
		cr_assert_gt(rec_int(r, "ppid"), 0);
		cr_assert_not_null(rec_str(r, "timestamp"));
		cr_assert_eq(strlen(rec_str(r, "timestamp")), 30, "RFC 3339 with ns: %s",
			     rec_str(r, "timestamp"));
		if (!strcmp(rec_str(r, "comm"), "true")) {
			cr_assert_str_eq(rec_str(r, "filename"), "/bin/true");
			cr_assert_str_eq(rec_str(r, "args"), "/bin/true one two");
			seen++;
		}
	}
	cr_assert_eq(seen, 1, "the exec of /bin/true was seen %d times", seen);
	cr_assert_eq(records_count(recs, "comm", "sh"), 1, "the command's own exec (sh)");
}

static const char *exec_script(char *buf, size_t len)
{
	snprintf(buf, len, "echo $$ > %s/pid; exec /bin/true one two", tmpdir);
	return buf;
}

Test(run, exec_seen_in_json)
{
	char script[256];
	struct igt_result *r = igt_ig(30000, "run", "trace-exec", "-o", "json", "--",
				      "/bin/sh", "-c", exec_script(script, sizeof(script)), NULL);
	json_t *recs;

	cr_assert_eq(r->status, 0, "stderr: %s", r->err);
	recs = records_from_json_lines(r->out);
	check_exec_records(recs, read_pid("pid"));
	/* Hidden fields are in JSON, and enrichment nests under runtime. */
	cr_assert(json_is_object(json_object_get(json_array_get(recs, 0), "runtime")));
	json_decref(recs);
	igt_result_free(r);
}

Test(run, exec_seen_in_yaml)
{
	char script[256];
	struct igt_result *r = igt_ig(30000, "run", "trace-exec", "-o", "yaml", "--",
				      "/bin/sh", "-c", exec_script(script, sizeof(script)), NULL);
	json_t *recs;

	cr_assert_eq(r->status, 0, "stderr: %s", r->err);
	cr_assert(strstr(r->out, "---"), "documents are --- separated: %s", r->out);
	recs = records_from_yaml(r->out);
	check_exec_records(recs, read_pid("pid"));
	json_decref(recs);
	igt_result_free(r);
}

/* Descendants are followed (the core's fork tracking), nothing else is. */
Test(run, children_followed)
{
	char script[256];
	struct igt_result *r;
	json_t *recs, *rec;
	size_t i;
	int child = 0;

	snprintf(script, sizeof(script), "echo $$ > %s/pid; /bin/sh -c '/bin/true child; "
		 "echo $$ > %s/inner'; (/bin/true grandchild) & wait", tmpdir, tmpdir);
	r = igt_ig(30000, "run", "trace-exec", "-o", "json", "--", "/bin/sh", "-c", script, NULL);
	cr_assert_eq(r->status, 0, "stderr: %s", r->err);
	recs = records_from_json_lines(r->out);
	json_array_foreach(recs, i, rec) {
		const char *comm = rec_str(rec, "comm");

		cr_assert(!strcmp(comm, "sh") || !strcmp(comm, "true"),
			  "exec outside the command tree: %s", json_dumps(rec, 0));
		if (!strcmp(rec_str(rec, "args"), "/bin/true child")) {
			cr_assert_eq(rec_int(rec, "ppid"), read_pid("inner"));
			child++;
		}
	}
	cr_assert_eq(child, 1, "grandchild exec seen %d times", child);
	cr_assert_eq(records_count(recs, "args", "/bin/true grandchild"), 1);
	json_decref(recs);
	igt_result_free(r);
}

Test(run, gadget_flag_reaches_bpf)
{
	struct igt_result *r = igt_ig(30000, "run", "trace-exec", "-o", "json", "--uid", "4242",
				      "--", "/bin/sh", "-c", "/bin/true", NULL);

	cr_assert_eq(r->status, 0, "stderr: %s", r->err);
	cr_assert_eq(igt_count(r->out, "\"comm\""), 0, "uid 4242 filtered everything: %s",
		     r->out);
	igt_result_free(r);
	r = igt_ig(30000, "run", "trace-exec", "-o", "json", "--uid=0", "--", "/bin/true", NULL);
	cr_assert_eq(r->status, 0, "stderr: %s", r->err);
	cr_assert_eq(igt_count(r->out, "\"comm\":\"true\""), 1, "%s", r->out);
	igt_result_free(r);
}

Test(run, command_status_and_stdio)
{
	struct igt_result *r;

	r = igt_ig(30000, "run", "trace-exec", "--", "/bin/sh", "-c",
		   "echo to-stdout; echo to-stderr >&2; exit 7", NULL);
	cr_assert_eq(r->status, 7, "exit status passed through: %d %s", r->status, r->err);
	cr_assert(strstr(r->out, "to-stdout"), "command keeps ig's stdout: %s", r->out);
	cr_assert(strstr(r->err, "to-stderr"), "command keeps ig's stderr: %s", r->err);
	igt_result_free(r);

	r = igt_ig(30000, "run", "trace-exec", "--", "/bin/sh", "-c", "kill -9 $$", NULL);
	cr_assert_eq(r->status, 128 + 9, "killed by SIGKILL: %d", r->status);
	igt_result_free(r);

	r = igt_ig(30000, "run", "trace-exec", "--", "/nonexistent/cmd", NULL);
	cr_assert_eq(r->status, 127, "%d", r->status);
	cr_assert(strstr(r->err, "cannot run '/nonexistent/cmd': No such file or directory"),
		  "%s", r->err);
	igt_result_free(r);
}

/* A burst of execs: every one is seen, none lost, nothing else shows. */
Test(run, exec_burst_nothing_lost)
{
	struct igt_result *r = igt_ig(60000, "run", "trace-exec", "-o", "json", "--", "/bin/sh",
		"-c", "i=0; while [ $i -lt 200 ]; do /bin/true burst; i=$((i+1)); done", NULL);

	cr_assert_eq(r->status, 0, "%s", r->err);
	cr_assert_eq(igt_count(r->out, "\"args\":\"/bin/true burst\""), 200, "stderr: %s", r->err);
	cr_assert_not(strstr(r->err, "lost"), "%s", r->err);
	igt_result_free(r);
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

Test(run, timeout_stops_with_zero)
{
	long t0 = now_ms(), dt;
	struct igt_result *r = igt_ig(20000, "run", "trace-exec", "-o", "json", "-t", "1", NULL);

	dt = now_ms() - t0;
	cr_assert_not(r->timed_out);
	cr_assert_eq(r->status, 0, "stderr: %s", r->err);
	cr_assert_geq(dt, 950, "stopped after %ld ms", dt);
	cr_assert_lt(dt, 10000, "stopped after %ld ms", dt);
	igt_result_free(r);
}

Test(run, sigint_and_sigterm_stop_with_zero)
{
	struct igt_proc *p = igt_spawn_ig_ready("run", "trace-exec", "-o", "json", NULL);
	struct igt_result *r = igt_proc_finish(p, SIGINT, 10000);

	cr_assert_eq(r->status, 0, "after SIGINT: %d %s", r->status, r->err);
	igt_result_free(r);

	/* In command mode too; the command does not outlive ig. */
	p = igt_spawn_ig_ready("run", "trace-exec", "--", "/bin/sleep", "31.4159", NULL);
	r = igt_proc_finish(p, SIGTERM, 10000);
	cr_assert_eq(r->status, 0, "after SIGTERM: %d %s", r->status, r->err);
	igt_result_free(r);
	usleep(200000);
	r = igt_run((const char *const[]){ "pgrep", "-f", "sleep 31.4159", NULL }, 5000);
	cr_assert_neq(r->status, 0, "the command survived ig: %s", r->out);
	igt_result_free(r);
}

/* `ig ... | head`: ig notices the reader is gone and ends quietly. */
Test(run, piped_into_head)
{
	char script[512], errf[128], rcf[128];
	struct igt_result *r;
	char *err, *rc;
	long t0 = now_ms();

	snprintf(errf, sizeof(errf), "%s/err", tmpdir);
	snprintf(rcf, sizeof(rcf), "%s/rc", tmpdir);
	snprintf(script, sizeof(script),
		 "( '%s' run trace-exec -o json -- /bin/sh -c "
		 "'i=0; while [ $i -lt 3000 ]; do /bin/true; i=$((i+1)); done' 2>%s; "
		 "echo $? > %s ) | head -n 3", igt_ig_path(), errf, rcf);
	r = igt_run((const char *const[]){ "/bin/sh", "-c", script, NULL }, 60000);
	cr_assert_not(r->timed_out);
	cr_assert_eq(igt_count(r->out, "\n"), 3, "%s", r->out);
	err = igt_read_file(errf, NULL);
	rc = igt_read_file(rcf, NULL);
	cr_assert_not_null(rc);
	cr_assert_eq(atoi(rc), 0, "ig's status after the pipe closed: %s (stderr %s)", rc, err);
	cr_assert_not(strcasestr(err, "pipe"), "error storm: %s", err);
	cr_assert_leq(igt_count(err, "\n"), 1, "%s", err);
	/* It stopped the command instead of running all 3000 execs. */
	cr_assert_lt(now_ms() - t0, 30000);
	free(err);
	free(rc);
	igt_result_free(r);
}

/* ig mounts tracefs when it is missing (classic tracepoints need it). In a
 * private mount namespace, so the rest of the machine keeps its mount. */
Test(run, mounts_tracefs_when_missing)
{
	char script[512];
	struct igt_result *r;

	snprintf(script, sizeof(script),
		 "umount /sys/kernel/tracing 2>/dev/null; "
		 "if mountpoint -q /sys/kernel/tracing; then echo still-mounted; exit 9; fi; "
		 "'%s' run trace-exec -- /bin/true >/dev/null || exit 8; "
		 "mountpoint -q /sys/kernel/tracing && "
		 "test -e /sys/kernel/tracing/events/sched/sched_process_exec/format",
		 igt_ig_path());
	r = igt_run((const char *const[]){ "unshare", "-m", "--propagation", "private",
		"/bin/sh", "-c", script, NULL }, 30000);
	cr_assert_eq(r->status, 0, "status %d: %s %s", r->status, r->out, r->err);
	igt_result_free(r);
}

/* A kernel without BTF, faked by hiding /sys/kernel/btf in a private mount
 * namespace: one line naming the missing file, before any BPF. */
Test(run, no_btf_is_one_line)
{
	char script[512];
	struct igt_result *r;

	snprintf(script, sizeof(script), "mount -t tmpfs none /sys/kernel/btf && "
		 "exec '%s' run trace-exec -- /bin/true", igt_ig_path());
	r = igt_run((const char *const[]){ "unshare", "-m", "--propagation", "private",
		"/bin/sh", "-c", script, NULL }, 30000);
	cr_assert_eq(r->status, 1, "status %d: %s", r->status, r->err);
	cr_assert_eq(igt_count(r->err, "\n"), 1, "%s", r->err);
	cr_assert(strstr(r->err, "this kernel has no BTF (/sys/kernel/btf/vmlinux is missing)"),
		  "%s", r->err);
	igt_result_free(r);
}

/* No BPF: bpf() answered ENOSYS by a seccomp filter on ig alone. */
Test(run, no_bpf_is_one_line)
{
	char errf[128], *err;
	int status, fd;
	pid_t pid;

	snprintf(errf, sizeof(errf), "%s/err", tmpdir);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		scmp_filter_ctx sc = seccomp_init(SCMP_ACT_ALLOW);

		fd = open(errf, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (!sc || fd < 0 || dup2(fd, 2) < 0 ||
		    seccomp_rule_add(sc, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(bpf), 0) ||
		    seccomp_load(sc))
			_exit(99);
		execl(igt_ig_path(), "ig", "run", "trace-exec", "--", "/bin/true", (char *)NULL);
		_exit(98);
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	err = igt_read_file(errf, NULL);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 1, "status %d: %s", status, err);
	cr_assert_eq(igt_count(err, "\n"), 1, "%s", err);
	cr_assert(strstr(err, "this kernel has no BPF support (bpf() returned ENOSYS)"), "%s", err);
	free(err);
}

/* A full disk is not a closed pipe: one line, exit 1. */
Test(run, write_error_is_one_line)
{
	char script[512];
	struct igt_result *r;

	snprintf(script, sizeof(script), "'%s' run trace-exec -o json -- /bin/sh -c "
		 "'/bin/true; /bin/true; /bin/true' >/dev/full", igt_ig_path());
	r = igt_run((const char *const[]){ "/bin/sh", "-c", script, NULL }, 30000);
	cr_assert_eq(r->status, 1, "status %d: %s", r->status, r->err);
	cr_assert_eq(igt_count(r->err, "\n"), 1, "%s", r->err);
	cr_assert(strstr(r->err, "cannot write the output: No space left on device"), "%s",
		  r->err);
	igt_result_free(r);
}

/* Host services through a gadget without BPF (the loader fixture): its flag
 * value comes back in its record, and events it reports lost make exactly
 * one warning line at the end. */
Test(run, fixture_emits_and_reports_lost)
{
	char src[512], cmd[1024];
	struct igt_result *r;

	snprintf(src, sizeof(src), "%s/tests/fixtures/gadgets/good.so", igt_build_dir());
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s/fixture-good.so'", src, tmpdir);
	cr_assert_eq(system(cmd), 0);
	r = igt_ig(30000, "run", "--gadget-path", tmpdir, "fixture-good", "--count", "7",
		   "--lose", "3", "-o", "json", "--", "/bin/true", NULL);
	cr_assert_eq(r->status, 3, "incomplete: exit 3 (%d) %s", r->status, r->err);
	cr_assert_str_eq(r->out, "{\"value\":7}\n{\"lost\":{\"events\":3,\"records\":0}}\n",
			 "the stream says it is incomplete");
	cr_assert_eq(igt_count(r->err, "\n"), 1, "%s", r->err);
	cr_assert(strstr(r->err, "warning: 3 events were lost"), "%s", r->err);
	igt_result_free(r);

	r = igt_ig(30000, "run", "--gadget-path", tmpdir, "fixture-good", "--lose", "3",
		   "--allow-loss", "-o", "json", "--", "/bin/true", NULL);
	cr_assert_eq(r->status, 0, "--allow-loss: the command's status (%d) %s", r->status,
		     r->err);
	cr_assert(strstr(r->out, "{\"lost\":{\"events\":3,"), "still said: %s", r->out);
	igt_result_free(r);

	r = igt_ig(30000, "run", "--gadget-path", tmpdir, "fixture-good", "-o", "json", "--",
		   "/bin/true", NULL);
	cr_assert_eq(r->status, 0, "%s", r->err);
	cr_assert_str_eq(r->out, "{\"value\":3}\n", "the default of --count");
	cr_assert_eq(r->err_len, 0, "nothing lost, nothing said: %s", r->err);
	igt_result_free(r);
}

/* `ig list` shows every gadget built in build/gadgets. */
Test(run, list_shows_every_built_gadget)
{
	struct igt_result *r = igt_ig(20000, "list", "-o", "json", NULL);
	char dir[512], path[1024];
	struct dirent *e;
	json_t *recs;
	int n = 0;
	DIR *d;

	cr_assert_eq(r->status, 0, "%s", r->err);
	cr_assert_eq(r->err_len, 0, "a built gadget was refused: %s", r->err);
	recs = records_from_json_lines(r->out);
	snprintf(dir, sizeof(dir), "%s/gadgets", igt_build_dir());
	d = opendir(dir);
	cr_assert_not_null(d);
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		char name[256];

		if (len < 4 || strcmp(e->d_name + len - 3, ".so"))
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)(len - 3), e->d_name);
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		cr_assert_eq(records_count(recs, "name", name), 1, "%s missing from ig list:\n%s",
			     name, r->out);
		cr_assert_eq(records_count(recs, "path", path), 1, "%s", path);
		n++;
	}
	closedir(d);
	cr_assert_gt(n, 0, "no gadget built in %s", dir);
	cr_assert_eq(igt_count(r->out, dir), n, "ig list shows files not in %s: %s", dir, r->out);
	json_decref(recs);
	igt_result_free(r);
}

/* Whether ig, running `-- sh` as its child, holds an inotify instance then:
 * the runtime plugins' watches, i.e. whether it follows containers. */
static bool follows_containers(const char *const args[])
{
	const char *argv[24];
	char out[256], script[512], *fds;
	struct igt_result *r;
	bool found;
	int n = 0;

	snprintf(out, sizeof(out), "%s/fds", tmpdir);
	snprintf(script, sizeof(script), "for f in /proc/$PPID/fd/*; do readlink \"$f\"; done > %s",
		 out);
	argv[n++] = igt_ig_path();
	argv[n++] = "run";
	for (int i = 0; args[i]; i++)
		argv[n++] = args[i];
	argv[n++] = "-o";
	argv[n++] = "json";
	argv[n++] = "--";
	argv[n++] = "/bin/sh";
	argv[n++] = "-c";
	argv[n++] = script;
	argv[n] = NULL;
	r = igt_run(argv, 30000);
	cr_assert_eq(r->status, 0, "%s: %s", args[0], r->err);
	igt_result_free(r);
	fds = igt_read_file(out, NULL);
	cr_assert_not_null(fds, "the command listed ig's descriptors");
	cr_assert(strstr(fds, "anon_inode:"), "a BPF descriptor at least: %s", fds);
	found = strstr(fds, "anon_inode:inotify");
	free(fds);
	unlink(out);
	return found;
}

/*
 * With -- COMMAND only a gadget that names what the command talks to
 * (IG_KIND_PEERS: network-policy-advisor's peers) follows containers; a
 * gadget built before ABI 1.6 could not say so and is followed as before.
 */
Test(run, command_mode_follows_containers_only_for_peers)
{
	const char *const trace[] = { "trace-exec", NULL };
	const char *const npa[] = { "network-policy-advisor", NULL };
	const char *const old[] = { "--gadget-path", tmpdir, "fixture-old", NULL };
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "cp '%s/tests/fixtures/gadgets/old_minor.so' '%s/fixture-old.so'",
		 igt_build_dir(), tmpdir);
	cr_assert_eq(system(cmd), 0);
	cr_expect_not(follows_containers(trace), "trace-exec names no container");
	cr_expect(follows_containers(npa), "network-policy-advisor names its peers");
	cr_expect(follows_containers(old), "an ABI 1.0 gadget is followed as before");
}
