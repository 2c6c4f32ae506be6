// SPDX-License-Identifier: Apache-2.0
/*
 * Running containers with each engine's own command line (igengine.h), the
 * way a user types it, and the CPU hogs of the load tests.
 */
#include <criterion/criterion.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "igengine.h"
#include "igtest_priv.h"

#define DOCKER		"/usr/bin/docker"
#define MAX_CREATED	512

/* runc's default set, which every engine here starts from. */
static const char *const default_caps[] = {
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW",
	"CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
	"CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE", NULL,
};

static struct {
	enum igt_engine e;
	char name[64];
} created[MAX_CREATED];
static int nr_created;
static bool atexit_done;

static void rm_all_at_exit(void)
{
	for (int i = 0; i < nr_created; i++)
		igt_engine_rm(created[i].e, created[i].name);
	nr_created = 0;
}

static void remember(enum igt_engine e, const char *name)
{
	if (!atexit_done) {
		atexit(rm_all_at_exit);
		atexit_done = true;
	}
	for (int i = 0; i < nr_created; i++)
		if (created[i].e == e && !strcmp(created[i].name, name))
			return;
	if (nr_created < MAX_CREATED) {
		created[nr_created].e = e;
		snprintf(created[nr_created++].name, sizeof(created[0].name), "%s", name);
	}
}

static void forget(enum igt_engine e, const char *name)
{
	for (int i = 0; i < nr_created; i++)
		if (created[i].e == e && !strcmp(created[i].name, name)) {
			created[i] = created[--nr_created];
			return;
		}
}

struct argv_buf {
	const char *v[IGT_MAX_ARGS];
	int n;
	char strs[16][PATH_MAX + 64];	/* storage for formatted arguments */
	int ns;
};

static void add(struct argv_buf *a, const char *s)
{
	cr_assert_lt(a->n, IGT_MAX_ARGS - 1, "too many arguments");
	a->v[a->n++] = s;
	a->v[a->n] = NULL;
}

static void addf(struct argv_buf *a, const char *fmt, const char *x)
{
	cr_assert_lt(a->ns, 16);
	snprintf(a->strs[a->ns], sizeof(a->strs[0]), fmt, x);
	add(a, a->strs[a->ns++]);
}

static bool in_list(const char *const *list, const char *s)
{
	for (; list && *list; list++)
		if (!strcmp(*list, s))
			return true;
	return false;
}

/* Capabilities, the way each engine takes them. docker and podman:
 * --cap-drop=all then --cap-add=X. ctr 1.6 applies its drops after its adds
 * and knows no "all": drop each default capability not wanted, add those
 * beyond the default set. */
static void add_caps(struct argv_buf *a, enum igt_engine e, const struct igt_ctr_opts *o)
{
	if (!o->caps_only)
		return;
	if (e != IGT_CONTAINERD) {
		add(a, "--cap-drop=all");
		for (const char *const *c = o->cap_add; c && *c; c++)
			addf(a, "--cap-add=%s", *c);
		return;
	}
	for (const char *const *c = default_caps; *c; c++)
		if (!in_list(o->cap_add, *c)) {
			add(a, "--cap-drop");
			add(a, *c);
		}
	for (const char *const *c = o->cap_add; c && *c; c++)
		if (!in_list(default_caps, *c)) {
			add(a, "--cap-add");
			add(a, *c);
		}
}

static void docker_podman_args(struct argv_buf *a, enum igt_engine e,
			       const struct igt_ctr_opts *o)
{
	if (e == IGT_DOCKER) {
		add(a, DOCKER);
	} else {
		add(a, "podman");
		if (o->hook)
			addf(a, "--hooks-dir=%s/oci-hooks.d", igt_build_dir());
	}
	add(a, "run");
	add(a, "--network=none");
	addf(a, "--name=%s", o->name);
	if (o->detach)
		add(a, "--detach");
	if (o->hook && e == IGT_DOCKER)
		add(a, "--runtime=ig-runc");
	if (o->seccomp)
		addf(a, "--security-opt=seccomp=%s", o->seccomp);
	add_caps(a, e, o);
	if (o->bind_src) {
		char v[PATH_MAX + 8];

		snprintf(v, sizeof(v), "%s:%s:%s", o->bind_src, o->bind_dst,
			 o->bind_rw ? "rw" : "ro");
		addf(a, "--volume=%s", v);
	}
	add(a, igt_engine_image(e));
}

static void ctr_args(struct argv_buf *a, const struct igt_ctr_opts *o)
{
	add(a, "ctr");
	add(a, "run");
	if (o->detach)
		add(a, "--detach");
	if (o->hook)
		addf(a, "--runc-binary=%s/ig-runc", igt_build_dir());
	if (o->seccomp) {
		add(a, "--seccomp");
		addf(a, "--seccomp-profile=%s", o->seccomp);
	}
	add_caps(a, IGT_CONTAINERD, o);
	if (o->bind_src) {
		char v[PATH_MAX * 2];

		snprintf(v, sizeof(v), "type=bind,src=%s,dst=%s,options=rbind:%s", o->bind_src,
			 o->bind_dst, o->bind_rw ? "rw" : "ro");
		addf(a, "--mount=%s", v);
	}
	add(a, igt_engine_image(IGT_CONTAINERD));
	add(a, o->name);
}

/* podman reads its configuration from CONTAINERS_CONF: set it for every
 * command this test starts (and nothing else needs it). */
static void podman_env(void)
{
	igt_engines_up();
	setenv("CONTAINERS_CONF", igt_engine_podman_conf(), 1);
}

static void run_argv(enum igt_engine e, const struct igt_ctr_opts *o, struct argv_buf *a)
{
	static const char *const sleeper[] = { "sleep", "3600", NULL };

	podman_env();
	cr_assert_not_null(o->name);
	if (e == IGT_CONTAINERD)
		ctr_args(a, o);
	else
		docker_podman_args(a, e, o);
	for (const char *const *p = o->argv ? o->argv : sleeper; *p; p++)
		add(a, *p);
	remember(e, o->name);
}

struct igt_result *igt_engine_run(enum igt_engine e, const struct igt_ctr_opts *o,
				  int timeout_ms)
{
	struct argv_buf a = { .n = 0 };

	run_argv(e, o, &a);
	return igt_run(a.v, timeout_ms);
}

struct igt_proc *igt_engine_spawn(enum igt_engine e, const struct igt_ctr_opts *o)
{
	struct argv_buf a = { .n = 0 };

	run_argv(e, o, &a);
	return igt_spawn(a.v);
}

struct igt_result *igt_engine_cmd(enum igt_engine e, int timeout_ms, const char *const args[])
{
	struct argv_buf a = { .n = 0 };

	podman_env();
	add(&a, e == IGT_DOCKER ? DOCKER : e == IGT_PODMAN ? "podman" : "ctr");
	for (; *args; args++)
		add(&a, *args);
	return igt_run(a.v, timeout_ms);
}

void igt_engine_rm(enum igt_engine e, const char *name)
{
	struct igt_result *r;

	if (e == IGT_CONTAINERD) {
		r = igt_engine_cmd(e, 30000, (const char *const[]){ "task", "kill", "-s", "KILL",
				   name, NULL });
		igt_result_free(r);
		r = igt_engine_cmd(e, 30000, (const char *const[]){ "task", "rm", "-f", name,
				   NULL });
		igt_result_free(r);
		r = igt_engine_cmd(e, 30000, (const char *const[]){ "container", "rm", name,
				   NULL });
	} else if (e == IGT_PODMAN) {
		/* -t 0: a sleeping pid 1 ignores SIGTERM; do not wait 10 s for it */
		r = igt_engine_cmd(e, 60000, (const char *const[]){ "rm", "-f", "-t", "0", name,
				   NULL });
	} else {
		r = igt_engine_cmd(e, 60000, (const char *const[]){ "rm", "-f", name, NULL });
	}
	igt_result_free(r);
	forget(e, name);
}

/* ---------------------------------------------------------------- load */

static pid_t hogs[64];
static int nr_hogs;

void igt_hogs_start(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	for (long i = 0; i < n && nr_hogs < 64; i++) {
		pid_t pid = fork();

		cr_assert_geq(pid, 0, "fork");
		if (!pid) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			for (volatile unsigned long x = 0;; x++)
				;
		}
		hogs[nr_hogs++] = pid;
	}
}

void igt_hogs_stop(void)
{
	for (int i = 0; i < nr_hogs; i++) {
		kill(hogs[i], SIGKILL);
		waitpid(hogs[i], NULL, 0);
	}
	nr_hogs = 0;
}
