// SPDX-License-Identifier: Apache-2.0
/*
 * seccomp-audit next to a running auditd: ig reads the readlog multicast
 * copy of the SECCOMP records, so auditd (the registered audit daemon,
 * which gets the unicast stream) must still log every record, and ig must
 * leave the daemon's state alone (enabled, registered pid). The daemon is a
 * real auditd (Debian package) with a private configuration directory and
 * log file, started with -n (no fork) as a child of the test.
 */
#include <criterion/criterion.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kt_helpers.h"

static int orig_enabled = -1;
static struct igt_proc *auditd;
static char conf_dir[64];

static void aud_init(void)
{
	kt_lock();
	orig_enabled = kt_audit_enabled();
}

/* Also after a failed assertion: stop our auditd, drop its files, put audit
 * "enabled" back to what it was before the test. */
static void aud_fini(void)
{
	if (auditd)
		igt_result_free(igt_proc_finish(auditd, SIGTERM, 10000));
	auditd = NULL;
	if (conf_dir[0]) {
		const char *const rm[] = { "rm", "-rf", conf_dir, NULL };

		igt_result_free(igt_run(rm, 10000));
	}
	if (orig_enabled == 0 || orig_enabled == 1)
		kt_audit_set(orig_enabled);
	kt_unlock();
}

TestSuite(auditd, .init = aud_init, .fini = aud_fini, .timeout = 120);

static bool alive(pid_t pid)
{
	siginfo_t si = { 0 };

	if (waitid(P_PID, pid, &si, WEXITED | WNOHANG | WNOWAIT) < 0)
		return false;
	return si.si_pid != pid;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert(f, "cannot write %s", path);
	cr_assert_geq(fputs(text, f), 0);
	cr_assert_eq(fclose(f), 0);
	cr_assert_eq(chmod(path, 0600), 0);
}

/* auditd -n with its own auditd.conf: the log in the temp dir, written
 * synchronously, no plugins, no disk-space actions that could suspend it. */
static void start_auditd(void)
{
	char conf[128], plugins[128], text[1024];
	const char *argv[] = { "auditd", "-n", "-c", conf_dir, NULL };
	int i;

	cr_assert_eq(kt_audit_pid(), 0, "an audit daemon is already registered");
	snprintf(conf_dir, sizeof(conf_dir), "/tmp/igt-sau-auditd-XXXXXX");
	cr_assert(mkdtemp(conf_dir), "mkdtemp");
	snprintf(plugins, sizeof(plugins), "%s/plugins.d", conf_dir);
	cr_assert_eq(mkdir(plugins, 0755), 0);
	snprintf(text, sizeof(text),
		 "log_file = %s/audit.log\nlog_format = RAW\nwrite_logs = yes\n"
		 "flush = SYNC\nmax_log_file = 64\nmax_log_file_action = IGNORE\n"
		 "space_left = 2\nspace_left_action = IGNORE\nadmin_space_left = 1\n"
		 "admin_space_left_action = IGNORE\ndisk_full_action = IGNORE\n"
		 "disk_error_action = IGNORE\nplugin_dir = %s\n", conf_dir, plugins);
	snprintf(conf, sizeof(conf), "%s/auditd.conf", conf_dir);
	write_file(conf, text);
	auditd = igt_spawn(argv);
	/* running: registered as the audit daemon, and it enabled audit */
	for (i = 0; i < 200 && alive(auditd->pid); i++) {
		if (kt_audit_pid() == auditd->pid && kt_audit_enabled() == 1)
			return;
		usleep(50000);
	}
	{
		struct igt_result *r = igt_proc_finish(auditd, SIGTERM, 5000);

		auditd = NULL;
		cr_assert_fail("auditd did not register within 10 s (status %d): %s%s", r->status,
			       r->out, r->err);
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every record as syscall/action/errno/source, sorted, comma-joined (no
 * pid/tid/time: those differ from run to run). Caller frees. */
static char *signature(json_t *recs)
{
	size_t i, n = json_array_size(recs), len = 1;
	char **items = calloc(n + 1, sizeof(*items)), *out;
	json_t *rec;

	cr_assert(items);
	json_array_foreach(recs, i, rec) {
		const char *err = json_string_value(json_object_get(rec, "errno"));

		cr_assert(asprintf(&items[i], "%s/%s/%s/%s",
				   json_string_value(json_object_get(rec, "syscall")),
				   json_string_value(json_object_get(rec, "action")), err ?: "-",
				   json_string_value(json_object_get(rec, "source"))) > 0);
		len += strlen(items[i]) + 1;
	}
	qsort(items, n, sizeof(*items), cmp_str);
	out = calloc(1, len);
	cr_assert(out);
	for (i = 0; i < n; i++) {
		if (i)
			strcat(out, ",");
		strcat(out, items[i]);
		free(items[i]);
	}
	free(items);
	return out;
}

/* ig -v around "sau_work self" (libseccomp filter: ERRNO, LOG, TRAP, ERRNO
 * on an argument, KILL_THREAD); returns its records, *err gets stderr. */
static json_t *run_ig(char **err)
{
	char fixture[512];
	struct igt_result *r;
	json_t *recs;

	snprintf(fixture, sizeof(fixture), "%s/tests/fixtures/static/sau_work", igt_build_dir());
	r = igt_ig(60000, "run", "seccomp-audit", "-v", "-o", "json", "--", fixture, "self",
		   NULL);
	cr_assert_eq(r->status, 0, "ig failed (%d): %s", r->status, r->err);
	cr_assert(strstr(r->out, "traps=3"), "%s", r->out);
	memset(strstr(r->out, "traps=3"), ' ', 7);	/* the fixture's own line */
	recs = kt_parse(r->out);
	*err = strdup(r->err);
	igt_result_free(r);
	return recs;
}

/* SECCOMP records of pid for syscall nr with code in auditd's log. */
static int logged(const char *log, int pid, int nr, unsigned int code)
{
	char *copy = strdup(log), *line, *save = NULL, want_pid[32], want_nr[32], want_code[32];
	int n = 0;

	snprintf(want_pid, sizeof(want_pid), " pid=%d ", pid);
	snprintf(want_nr, sizeof(want_nr), " syscall=%d ", nr);
	snprintf(want_code, sizeof(want_code), " code=0x%x", code);
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		n += !strncmp(line, "type=SECCOMP ", 13) && strstr(line, want_pid) &&
		     strstr(line, want_nr) && strstr(line, want_code);
	free(copy);
	return n;
}

/* The SECCOMP records of an auditd log, for a failure message (static). */
static const char *seccomp_lines(const char *log)
{
	static char out[4096];
	const char *p = log;
	size_t len = 0;

	out[0] = '\0';
	while (p && (p = strstr(p, "type=SECCOMP ")) && len < sizeof(out) - 1) {
		size_t n = strcspn(p, "\n") + 1;

		if (n > sizeof(out) - 1 - len)
			n = sizeof(out) - 1 - len;
		memcpy(out + len, p, n);
		len += n;
		out[len] = '\0';
		p += n;
	}
	return log ? out : "(no log file)";
}

static int first_pid(json_t *recs, const char *syscall)
{
	json_t *rec;
	size_t i;

	json_array_foreach(recs, i, rec)
		if (!strcmp(json_string_value(json_object_get(rec, "syscall")) ?: "", syscall))
			return (int)json_integer_value(json_object_get(rec, "pid"));
	return -1;
}

Test(auditd, coexists)
{
	char *base_sig, *sig, *err, *log = NULL, path[128];
	json_t *base, *recs;
	int pid, i, n = 0;

	/* without auditd (ig switches audit on for its run if it is off) */
	base = run_ig(&err);
	free(err);
	base_sig = signature(base);
	cr_assert_eq(kt_count(base, "sysinfo", "log", NULL), 3, "baseline: %s", base_sig);

	start_auditd();
	recs = run_ig(&err);
	sig = signature(recs);
	cr_expect_str_eq(sig, base_sig, "ig reports differently next to auditd:\n with: %s\n"
			 "without: %s", sig, base_sig);
	cr_expect_eq(kt_count(recs, "sysinfo", "log", NULL), 3, "%s", sig);
	cr_expect_null(strstr(err, "audit was disabled"), "ig switched audit: %s", err);

	/* auditd logged the very LOG records ig reported (the LOG action's
	 * filter return value is SECCOMP_RET_LOG, no data) */
	pid = first_pid(recs, "sysinfo");
	cr_assert_gt(pid, 0, "%s", sig);
	snprintf(path, sizeof(path), "%s/audit.log", conf_dir);
	for (i = 0; i < 100 && n < 3; i++) {
		free(log);
		log = igt_read_file(path, NULL);
		n = log ? logged(log, pid, SYS_sysinfo, SECCOMP_RET_LOG) : 0;
		if (n < 3)
			usleep(50000);
	}
	cr_expect_eq(n, 3, "auditd's log has %d of the 3 LOG records of pid %d; its SECCOMP "
		     "records:\n%s", n, pid, seccomp_lines(log));

	/* ig changed nothing of auditd's */
	cr_expect(alive(auditd->pid), "auditd exited while ig ran");
	cr_expect_eq(kt_audit_enabled(), 1, "audit no longer enabled after ig");
	cr_expect_eq(kt_audit_pid(), auditd->pid, "auditd is no longer the audit daemon");

	/* and auditd stops cleanly */
	{
		struct igt_result *r = igt_proc_finish(auditd, SIGTERM, 10000);

		auditd = NULL;
		cr_expect(!r->timed_out, "auditd ignored SIGTERM");
		cr_expect_eq(r->status, 0, "auditd exit status %d: %s%s", r->status, r->out,
			     r->err);
		igt_result_free(r);
	}
	for (i = 0; i < 100 && kt_audit_pid(); i++)
		usleep(50000);
	cr_expect_eq(kt_audit_pid(), 0, "auditd still registered after it exited");
	free(log);
	free(err);
	free(sig);
	free(base_sig);
	json_decref(recs);
	json_decref(base);
}

/* auditd starts while ig holds audit on for its run (it was off): the
 * daemon now owns the switch, so ig must not turn audit off under it when
 * it ends. */
Test(auditd, started_during_run)
{
	struct igt_result *r;
	struct igt_proc *p;

	cr_assert_neq(orig_enabled, 2, "audit is locked (enabled=2): this test cannot toggle it");
	kt_audit_set(0);
	p = igt_spawn_ig_ready("run", "seccomp-audit", "--", "/bin/sleep", "30", NULL);
	cr_expect_eq(kt_audit_enabled(), 1, "audit not on while ig runs");
	start_auditd();
	r = igt_proc_finish(p, SIGINT, 10000);
	cr_expect_eq(r->status, 0, "ig after SIGINT: %d %s", r->status, r->err);
	igt_result_free(r);
	cr_expect_eq(kt_audit_enabled(), 1, "ig switched audit off under auditd");
	cr_expect_eq(kt_audit_pid(), auditd->pid, "auditd is no longer the audit daemon");
	cr_expect(alive(auditd->pid), "auditd exited");
}
