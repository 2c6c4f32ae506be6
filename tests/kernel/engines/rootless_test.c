// SPDX-License-Identifier: Apache-2.0
/*
 * Rootless podman, as a user runs it: state in /run/user/<uid>/runc, store
 * in the user's home. Root's ig finds the container without --runtime-root,
 * names it as `podman ps` does, and records a profile that the same user's
 * podman applies. The user is a bare uid (no passwd entry: podman copes),
 * its /run/user/<uid> and home are made here and removed after, and the
 * rootless pause process podman leaves is stopped by its pid.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "eng_helpers.h"
#include "tests/lib/igtest_priv.h"

#define UID	"41234"

static char home[64], conf[128], env_home[96], env_conf[160];
static const char run_dir[] = "/run/user/" UID;
static bool made_run_user;	/* no logind here: /run/user is ours to remove */

static void set_up(void)
{
	FILE *f;

	igt_engines_up();
	snprintf(home, sizeof(home), "/tmp/igt-rootless-%d", (int)getpid());
	cr_assert_eq(mkdir(home, 0700), 0);
	made_run_user = !mkdir("/run/user", 0755);
	cr_assert_eq(mkdir(run_dir, 0700) == 0 || access(run_dir, F_OK) == 0, 1);
	cr_assert_eq(chown(home, 41234, 41234), 0);
	cr_assert_eq(chown(run_dir, 41234, 41234), 0);
	snprintf(conf, sizeof(conf), "%s/containers.conf", home);
	f = fopen(conf, "w");
	cr_assert_not_null(f);
	fprintf(f, "[containers]\ndefault_ulimits = [\"nofile=1024:1024\", \"nproc=1024:1024\"]\n"
		"[engine]\nruntime = \"runc\"\ncgroup_manager = \"cgroupfs\"\n"
		"events_logger = \"file\"\n");
	fclose(f);
	snprintf(env_home, sizeof(env_home), "HOME=%s", home);
	snprintf(env_conf, sizeof(env_conf), "CONTAINERS_CONF=%s", conf);
}

/* podman as the user, from / (the tree may be where the user cannot go, as
 * a clone in root's home). */
static struct igt_result *as_user(int ms, const char *const args[])
{
	const char *argv[32] = { "setpriv", "--reuid", UID, "--regid", UID, "--clear-groups",
				 "env", "-i", "--chdir=/", "PATH=/usr/bin:/bin:/usr/sbin:/sbin",
				 env_home, "XDG_RUNTIME_DIR=/run/user/" UID, env_conf, "podman" };
	int n = 14;

	for (; *args && n < 31; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	return igt_run(argv, ms);
}

static void tear_down(void)
{
	char path[160], *pid;
	size_t len;

	/* podman leaves a pause process holding the user namespace */
	snprintf(path, sizeof(path), "%s/libpod/tmp/pause.pid", run_dir);
	pid = igt_read_file(path, &len);
	if (pid && atoi(pid) > 1)
		kill(atoi(pid), SIGKILL);
	free(pid);
	igt_tmpdir_remove(home);
	igt_tmpdir_remove(run_dir);
	if (made_run_user)
		rmdir("/run/user");
}

TestSuite(rootless, .init = set_up, .fini = tear_down);

Test(rootless, podman_named_and_recorded, .timeout = 300)
{
	const char *const work[] = { "/bin/sh", "-c", "ls / >/dev/null && echo rootless-ok", NULL };
	char name[64], tar[160], dir[64], profile[160], opt[200];
	struct igt_result *r, *ig;
	struct igt_proc *p;
	json_t *o;

	/* the image layer the set-up made, where the user can read it */
	snprintf(opt, sizeof(opt), "/tmp/igt-engines-%d/layer.tar", (int)getuid());
	snprintf(tar, sizeof(tar), "%s/layer.tar", home);
	cr_assert_eq(igt_copy_file(opt, tar, 0644), 0, "no image layer at %s", opt);
	cr_assert_eq(chown(tar, 41234, 41234), 0);
	r = as_user(180000, (const char *const[]){ "import", tar, "localhost/ig-busybox:rootless",
		    NULL });
	cr_assert_eq(r->status, 0, "rootless podman import: %s", r->err);
	igt_result_free(r);

	eng_name(name, sizeof(name), "rl");
	eng_tmpdir(dir, sizeof(dir), "eng-rl");
	p = igt_spawn_ig_ready("run", "seccomp-advisor", "-c", name, "--output-dir", dir, NULL);
	r = as_user(120000, (const char *const[]){ "run", "--network=none", "--name", name,
		    "localhost/ig-busybox:rootless", work[0], work[1], work[2], NULL });
	cr_assert(r->status == 0 && strstr(r->out, "rootless-ok"), "%d %s%s", r->status, r->out,
		  r->err);
	igt_result_free(r);
	ig = igt_proc_finish(p, SIGINT, 30000);
	cr_expect_eq(ig->status, 0, "%s", ig->err);
	snprintf(profile, sizeof(profile), "%s/%s.json", dir, name);
	cr_assert_eq(access(profile, R_OK), 0, "no profile for rootless %s:\n%s", name, ig->err);
	igt_result_free(ig);

	/* named and found while it runs, without --runtime-root */
	r = as_user(120000, (const char *const[]){ "run", "-d", "--network=none", "--name",
		    "rl-sleeper", "localhost/ig-busybox:rootless", "sleep", "600", NULL });
	cr_assert_eq(r->status, 0, "%s", r->err);
	igt_result_free(r);
	r = igt_ig(30000, "list-containers", "-o", "json", NULL);
	o = eng_find(r->out, "name", "rl-sleeper");
	cr_assert_not_null(o, "rootless container not listed by name:\n%s", r->out);
	cr_expect_str_eq(eng_str(o, "runtime"), "podman");
	cr_expect_str_eq(eng_str(o, "image"), "localhost/ig-busybox:rootless");
	json_decref(o);
	igt_result_free(r);

	snprintf(opt, sizeof(opt), "--security-opt=seccomp=%s", profile);
	cr_assert_eq(chmod(dir, 0755) | chmod(profile, 0644), 0);
	r = as_user(120000, (const char *const[]){ "run", "--network=none", opt,
		    "localhost/ig-busybox:rootless", work[0], work[1], work[2], NULL });
	cr_expect(r->status == 0 && strstr(r->out, "rootless-ok"),
		  "with the recorded profile: %d %s%s", r->status, r->out, r->err);
	igt_result_free(r);
	igt_result_free(as_user(60000, (const char *const[]){ "rm", "-f", "-t", "0", "-a",
				NULL }));
	igt_tmpdir_remove(dir);
}
