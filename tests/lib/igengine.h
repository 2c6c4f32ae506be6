/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Test helpers for the container engines users run: Docker (docker.io),
 * podman and containerd (`ctr`), with a busybox image.
 *
 * A test binary that uses them defines `const int igt_engines_wanted = 1;`.
 * Then, before its first test, the runner process starts what is not
 * running (containerd, then dockerd with --add-runtime ig-runc and no
 * network set-up: no iptables rules, no ip_forward, no bridge) and imports
 * the image into each engine; after the last test it stops what it started
 * and checks that the host's iptables rules and ip_forward are as they were.
 * A test calls igt_engines_up(), which fails the test with the reason if
 * the set-up failed.
 *
 * podman runs with its own containers.conf (CONTAINERS_CONF): runc,
 * cgroupfs, file events, and default_ulimits lower than the host's hard
 * limits, because root lacks CAP_SYS_RESOURCE on these machines and podman's
 * defaults ask for more ("error setting rlimit type 7").
 */
#ifndef IG_TEST_ENGINE_H
#define IG_TEST_ENGINE_H

#include <stdbool.h>

#include "igtest.h"

enum igt_engine {
	IGT_DOCKER,
	IGT_PODMAN,
	IGT_CONTAINERD,
	IGT_NR_ENGINES,
};

/* The runtime name ig gives the engine's containers ("docker", "podman",
 * "containerd"). */
const char *igt_engine_name(enum igt_engine e);
/* The image as the engine names it (what ig should report). */
const char *igt_engine_image(enum igt_engine e);
/* Fails the test when the engines could not be set up (says why). */
void igt_engines_up(void);
/* The containers.conf podman runs with in the tests (CONTAINERS_CONF). */
const char *igt_engine_podman_conf(void);

/* One container run. */
struct igt_ctr_opts {
	const char *name;		/* --name; ctr: the container id */
	const char *const *argv;	/* command in the image */
	bool detach;			/* in the background (remove with igt_engine_rm) */
	bool hook;			/* ig's OCI hook: podman --hooks-dir, docker
					 * --runtime ig-runc, ctr --runc-binary ig-runc */
	const char *seccomp;		/* OCI seccomp profile file, or NULL */
	bool caps_only;			/* no capability but cap_add */
	const char *const *cap_add;	/* "CAP_CHOWN", ...; NULL-terminated */
	const char *bind_src;		/* bind-mounted at bind_dst, read-only */
	const char *bind_dst;
	bool bind_rw;			/* ... unless this */
};

/* docker run / podman run / ctr run as the options say (never --rm: the
 * engine's record of the container outlives it, as users' do unless they
 * ask otherwise); output captured. Remove it with igt_engine_rm(); whatever
 * a test process leaves is removed when it exits. */
struct igt_result *igt_engine_run(enum igt_engine e, const struct igt_ctr_opts *o,
				  int timeout_ms);
/* The same in the background: finish it with igt_proc_finish(p, 0, ms). */
struct igt_proc *igt_engine_spawn(enum igt_engine e, const struct igt_ctr_opts *o);
/* Remove a container (kill it first), quietly; ok if absent. */
void igt_engine_rm(enum igt_engine e, const char *name);
/* The engine's own command line for ...args (docker/podman/ctr with the
 * test's environment), e.g. to inspect. */
struct igt_result *igt_engine_cmd(enum igt_engine e, int timeout_ms, const char *const args[]);

/* A CPU hog on every core until igt_hogs_stop(). */
void igt_hogs_start(void);
void igt_hogs_stop(void);

#endif /* IG_TEST_ENGINE_H */
