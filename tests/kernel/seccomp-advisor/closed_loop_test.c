// SPDX-License-Identifier: Apache-2.0
/*
 * Closed loop on real runc: record a workload under ig, put the profile into
 * a fresh bundle's linux.seccomp, run it again: same output. Then take out
 * one syscall the workload (or runc after its filter) needs: it must fail.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "sa_helpers.h"
#include "gadgets/seccomp-advisor/seccomp_advisor_int.h"

/* Set-up only syscalls runc makes before the filter: never in a profile
 * of a workload that does not call them itself. */
static const char *const setup_only[] = {
	"mount", "umount2", "pivot_root", "sethostname", "keyctl", "setns", "unshare",
	"chroot", NULL,
};

static void closed_loop_with(const char *tag, const char *const args[], const char *fixture,
			     const char *const must_fail[], const char *const extra[])
{
	struct igt_bundle *b = sa_bundle(tag, args, fixture);
	struct igt_result *rec, *again;
	const char *const *go;
	char *profile, *weaker;
	int i;

	profile = sa_record(b, extra, &rec);
	cr_assert(rec->out_len > 0, "workload printed nothing");
	for (i = 0; setup_only[i]; i++)
		cr_assert_not(sa_profile_allows(profile, setup_only[i]),
			      "set-up syscall %s in the profile:\n%s", setup_only[i], profile);
	/* runc's Go runtime may need these after the filter in any run, made
	 * in the recording or not (a signal landing late needs rt_sigreturn) */
	for (go = sa_runc_go_runtime(); *go; go++)
		cr_assert(sa_profile_allows(profile, *go), "Go runtime syscall %s missing:\n%s",
			  *go, profile);
	sa_validate(profile, "oci");

	again = sa_run_with(tag, args, fixture, profile);
	cr_assert_eq(again->status, 0, "rerun under the profile failed: %s\nprofile: %s",
		     again->err, profile);
	cr_assert_str_eq(again->out, rec->out, "output differs under the profile");
	igt_result_free(again);

	for (i = 0; must_fail[i]; i++) {
		weaker = sa_profile_without(profile, must_fail[i]);
		again = sa_run_with(tag, args, fixture, weaker);
		cr_assert(again->status != 0 || strcmp(again->out, rec->out),
			  "still works without %s: %s", must_fail[i], again->out);
		igt_result_free(again);
		free(weaker);
	}
	igt_result_free(rec);
	free(profile);
	igt_bundle_destroy(b);
}

static void closed_loop(const char *tag, const char *const args[], const char *fixture,
			const char *const must_fail[])
{
	closed_loop_with(tag, args, fixture, must_fail, NULL);
}

Test(closed_loop, busybox_tools, .timeout = 120)
{
	const char *const args[] = { "/bin/sh", "-c",
		"ls /bin | head -n 3; cat /etc/group; uname -s; id -u; date -u -d @0 +%Y", NULL };
	/* uname: the workload's; getdents64: runc lists /proc/self/fd after
	 * installing the filter (and ls needs it too). */
	const char *const fail[] = { "uname", "getdents64", NULL };

	closed_loop("sa-tools", args, NULL, fail);
}

Test(closed_loop, shell_pipeline, .timeout = 120)
{
	const char *const args[] = { "/bin/sh", "-c",
		"echo c a b | tr ' ' '\\n' | sort -r | wc -l", NULL };
	const char *const fail[] = { "pipe2", "fstatfs", NULL };

	closed_loop("sa-pipe", args, NULL, fail);
}

Test(closed_loop, loopback_server, .timeout = 120)
{
	const char *const args[] = { "/bin/sh", "-c",
		"mkdir -p /www && echo served-ok > /www/index.html && "
		"(httpd -f -p 127.0.0.1:8080 -h /www & echo $! > /tmp/httpd.pid) && "
		"for i in 1 2 3 4 5 6 7 8 9 10; do "
		"wget -q -O - http://127.0.0.1:8080/index.html 2>/dev/null && break; sleep 0.2; done; "
		"kill $(cat /tmp/httpd.pid)", NULL };
	const char *const fail[] = { "bind", "listen", NULL };

	closed_loop("sa-srv", args, NULL, fail);
}

Test(closed_loop, pthreads, .timeout = 120)
{
	const char *const args[] = { "/bin/sa_threads", NULL };
	/* mmap: thread stacks; execve: runc's exec of the workload. */
	const char *const fail[] = { "mmap", "execve", NULL };

	closed_loop("sa-thr", args, "sa_threads", fail);
}

Test(closed_loop, writes_files, .timeout = 120)
{
	const char *const args[] = { "/bin/sa_files", NULL };
	const char *const fail[] = { "fsync", "unlink", NULL };

	closed_loop("sa-files", args, "sa_files", fail);
}

/* Without noNewPrivileges runc installs the filter before it drops
 * capabilities and switches user: the profile must let that through. */
Test(closed_loop, no_new_privileges_false, .timeout = 120)
{
	const char *const args[] = { "/bin/sh", "-c", "echo nnp-off; id -u", NULL };
	struct igt_bundle *b = sa_bundle("sa-nonnp", args, NULL);
	struct igt_result *rec, *again;
	char *profile;

	igt_bundle_set_nnp(b, false);
	profile = sa_record(b, NULL, &rec);
	cr_assert(sa_profile_allows(profile, "capset"), "capset missing:\n%s", profile);
	cr_assert_not(sa_profile_allows(profile, "pivot_root"), "pivot_root in:\n%s", profile);
	{
		struct igt_bundle *b2 = sa_bundle("sa-nonnp", args, NULL);

		igt_bundle_set_nnp(b2, false);
		igt_bundle_set_seccomp(b2, profile);
		again = igt_bundle_run(b2, 30000);
		igt_bundle_destroy(b2);
	}
	cr_assert_eq(again->status, 0, "rerun failed: %s", again->err);
	cr_assert_str_eq(again->out, rec->out);
	igt_result_free(again);
	igt_result_free(rec);
	free(profile);
	igt_bundle_destroy(b);
}

/* --args profiles (one rule per socket domain, clone flags, ioctl request,
 * prctl option seen) pass the same loop. */
Test(closed_loop, args_server_and_threads, .timeout = 180)
{
	const char *const srv[] = { "/bin/sh", "-c",
		"mkdir -p /www && echo served-ok > /www/index.html && "
		"(httpd -f -p 127.0.0.1:8080 -h /www & echo $! > /tmp/httpd.pid) && "
		"for i in 1 2 3 4 5 6 7 8 9 10; do "
		"wget -q -O - http://127.0.0.1:8080/index.html 2>/dev/null && break; sleep 0.2; done; "
		"kill $(cat /tmp/httpd.pid)", NULL };
	const char *const thr[] = { "/bin/sa_threads", NULL };
	const char *const extra[] = { "--args", NULL };
	const char *const fail_srv[] = { "socket", NULL };
	const char *const fail_thr[] = { "mmap", NULL };

	closed_loop_with("sa-asrv", srv, NULL, fail_srv, extra);
	closed_loop_with("sa-athr", thr, "sa_threads", fail_thr, extra);
}
