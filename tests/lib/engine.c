// SPDX-License-Identifier: Apache-2.0
/*
 * The engines' daemons and image for the engine tests (igengine.h).
 *
 * Set up once, in Criterion's runner process before the first test of a
 * binary that defines igt_engines_wanted, and torn down after the last:
 * every test is a child of the runner, so the daemons and the image outlive
 * each test but not the binary. What the set-up started is stopped; what
 * was running before is left alone.
 */
#include <criterion/criterion.h>
#include <criterion/hooks.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "igengine.h"
#include "igtest_priv.h"

/* A binary opts in by defining this (non-weak) as 1. */
__attribute__((weak)) extern const int igt_engines_wanted;

#define DOCKER		"/usr/bin/docker"
#define SET_UP_MS	60000

static struct {
	bool done;
	char failed[512];		/* why the set-up failed, "" if it did not */
	pid_t containerd, dockerd;	/* started here (0: was running, or not started) */
	char dir[64];			/* /tmp/igt-engines-<uid> */
	char conf[128];			/* podman's containers.conf */
	char image_tag[32];		/* tag of the imported image */
	char image[3][96];		/* per engine, as the engine names it */
	char net_before[8192];		/* iptables -S and ip_forward before */
} eng;

/*
 * Criterion's workers may be fresh processes (BoxFort re-executes the
 * binary), so the runner's memory is not theirs: the outcome of the set-up
 * travels in the environment, which they inherit.
 *   IGT_ENGINES=ok:<image tag>:<podman conf>   or   IGT_ENGINES=failed:<why>
 */
#define ENV_NAME	"IGT_ENGINES"

static void publish(void)
{
	char v[sizeof(eng.failed) + 256];

	if (eng.failed[0])
		snprintf(v, sizeof(v), "failed:%s", eng.failed);
	else
		snprintf(v, sizeof(v), "ok:%s:%s", eng.image_tag, eng.conf);
	setenv(ENV_NAME, v, 1);
}

/* In a worker: the runner's outcome. */
static void adopt(void)
{
	const char *v = getenv(ENV_NAME), *colon;

	if (eng.done || !v)
		return;
	eng.done = true;
	if (!strncmp(v, "failed:", 7)) {
		snprintf(eng.failed, sizeof(eng.failed), "%s", v + 7);
		return;
	}
	if (strncmp(v, "ok:", 3) || !(colon = strchr(v + 3, ':'))) {
		snprintf(eng.failed, sizeof(eng.failed), "bad %s=%s", ENV_NAME, v);
		return;
	}
	snprintf(eng.image_tag, sizeof(eng.image_tag), "%.*s", (int)(colon - v - 3), v + 3);
	snprintf(eng.conf, sizeof(eng.conf), "%s", colon + 1);
	snprintf(eng.image[IGT_DOCKER], 96, "ig-busybox:%s", eng.image_tag);
	snprintf(eng.image[IGT_PODMAN], 96, "localhost/ig-busybox:%s", eng.image_tag);
	snprintf(eng.image[IGT_CONTAINERD], 96, "localhost/ig-busybox:%s", eng.image_tag);
}

const char *igt_engine_name(enum igt_engine e)
{
	static const char *const names[] = { "docker", "podman", "containerd" };

	return e < IGT_NR_ENGINES ? names[e] : "?";
}

const char *igt_engine_image(enum igt_engine e)
{
	adopt();
	return e < IGT_NR_ENGINES ? eng.image[e] : "?";
}

const char *igt_engine_podman_conf(void)
{
	adopt();
	return eng.conf;
}

void igt_engines_up(void)
{
	adopt();
	if (!eng.done)
		cr_assert_fail("this test binary does not define igt_engines_wanted: no engine set-up");
	if (eng.failed[0])
		cr_assert_fail("container engines not available: %s", eng.failed);
}

/* ---------------------------------------------------------------- commands */

/* Run argv (env: extra "K=V" or NULL) with output to out (or /dev/null),
 * at most ms; its exit code, 128+signal, or -1 (timed out: killed). */
static int run_to(const char *const argv[], const char *const env[], const char *out, int ms)
{
	int fd, status;
	long t0 = igt_now_ms();
	pid_t pid;

	fd = open(out ? out : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(fd, 1);
		dup2(fd, 2);
		setpgid(0, 0);
		for (size_t i = 0; env && env[i]; i++)
			putenv((char *)env[i]);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(fd);
	if (pid < 0)
		return -1;
	while (waitpid(pid, &status, WNOHANG) == 0) {
		if (igt_now_ms() - t0 > ms) {
			kill(-pid, SIGKILL);
			waitpid(pid, &status, 0);
			return -1;
		}
		usleep(20000);
	}
	return igt_status_from_wait(status);
}

static int run_quiet(const char *const argv[], int ms)
{
	return run_to(argv, NULL, NULL, ms);
}

/* Start a daemon in its own session, output to log; its pid or -1. */
static pid_t start_daemon(const char *const argv[], const char *log)
{
	pid_t pid = fork();
	int fd;

	if (pid)
		return pid;
	setsid();
	fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd >= 0) {
		dup2(fd, 1);
		dup2(fd, 2);
	}
	fd = open("/dev/null", O_RDONLY);
	if (fd >= 0)
		dup2(fd, 0);
	execvp(argv[0], (char *const *)argv);
	_exit(127);
}

/* Until probe succeeds or the daemon died or ms passed. */
static bool wait_ready(const char *const probe[], pid_t pid, int ms)
{
	long t0 = igt_now_ms();
	int status;

	while (igt_now_ms() - t0 < ms) {
		if (run_quiet(probe, 5000) == 0)
			return true;
		if (pid > 0 && waitpid(pid, &status, WNOHANG) == pid)
			return false;
		usleep(100000);
	}
	return false;
}

static void stop_daemon(pid_t *pid)
{
	long t0 = igt_now_ms();
	int status;

	if (*pid <= 0)
		return;
	kill(*pid, SIGTERM);
	while (waitpid(*pid, &status, WNOHANG) == 0) {
		if (igt_now_ms() - t0 > 20000) {
			kill(*pid, SIGKILL);
			waitpid(*pid, &status, 0);
			break;
		}
		usleep(50000);
	}
	*pid = 0;
}

/* ---------------------------------------------------------------- set-up */

/* A file of the source tree: the current directory under `make test`,
 * else the parent of the build dir. */
static const char *src_path(const char *rel)
{
	static char path[PATH_MAX + 64];

	if (!access(rel, R_OK))
		return rel;
	snprintf(path, sizeof(path), "%s/../%s", igt_build_dir(), rel);
	return path;
}

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fail(const char *fmt, ...)
{
	va_list ap;

	if (eng.failed[0])
		return;
	va_start(ap, fmt);
	vsnprintf(eng.failed, sizeof(eng.failed), fmt, ap);
	va_end(ap);
}

/* The host's network state dockerd would change: compared after the run. */
static void net_state(char *buf, size_t size)
{
	char path[128];
	size_t len = 0;
	char *t;

	snprintf(path, sizeof(path), "%s/net.txt", eng.dir);
	buf[0] = '\0';
	run_to((const char *const[]){ "iptables", "-S", NULL }, NULL, path, 10000);
	t = igt_read_file(path, &len);
	snprintf(buf, size, "%s", t ? t : "");
	free(t);
	t = igt_read_file("/proc/sys/net/ipv4/ip_forward", &len);
	if (t && strlen(buf) + strlen(t) + 16 < size)
		strcat(strcat(buf, "ip_forward="), t);
	free(t);
}

static void start_daemons(void)
{
	char log[128], runtime[PATH_MAX + 16];
	const char *ctr_probe[] = { "ctr", "version", NULL };
	const char *docker_probe[] = { DOCKER, "info", NULL };

	if (run_quiet(ctr_probe, 5000) != 0) {
		snprintf(log, sizeof(log), "%s/containerd.log", eng.dir);
		eng.containerd = start_daemon((const char *const[]){ "containerd", NULL }, log);
		if (!wait_ready(ctr_probe, eng.containerd, SET_UP_MS)) {
			fail("containerd did not start (see %s)", log);
			return;
		}
	}
	if (run_quiet(docker_probe, 10000) != 0) {
		snprintf(log, sizeof(log), "%s/dockerd.log", eng.dir);
		snprintf(runtime, sizeof(runtime), "ig-runc=%s/ig-runc", igt_build_dir());
		/* No network set-up at all: tests run --network none, and the
		 * host's iptables and ip_forward stay as other tests need them. */
		eng.dockerd = start_daemon((const char *const[]){ "dockerd",
			"--containerd=/run/containerd/containerd.sock", "--iptables=false",
			"--ip6tables=false", "--ip-forward=false", "--ip-masq=false",
			"--bridge=none", "--add-runtime", runtime, NULL }, log);
		if (!wait_ready(docker_probe, eng.dockerd, SET_UP_MS)) {
			fail("dockerd did not start (see %s)", log);
			return;
		}
	}
}

static void write_podman_conf(void)
{
	FILE *f;

	snprintf(eng.conf, sizeof(eng.conf), "%s/containers.conf", eng.dir);
	f = fopen(eng.conf, "w");
	if (!f) {
		fail("cannot write %s: %s", eng.conf, strerror(errno));
		return;
	}
	/* Below the host's hard limits: root lacks CAP_SYS_RESOURCE here and
	 * podman's defaults (nofile 1048576, nproc max) fail with EPERM. */
	fprintf(f, "[containers]\ndefault_ulimits = [\"nofile=1024:1024\", \"nproc=1024:1024\"]\n"
		"[engine]\nruntime = \"runc\"\ncgroup_manager = \"cgroupfs\"\n"
		"events_logger = \"file\"\n");
	fclose(f);
}

/* The busybox rootfs as a reproducible tar (same bytes for the same tree),
 * tagged with its hash so a changed rootfs gets a fresh image. */
static void make_layer(char *layer, size_t size)
{
	char rootfs[128], sum[128], *t;
	size_t len;

	snprintf(rootfs, sizeof(rootfs), "%s/rootfs", eng.dir);
	snprintf(layer, size, "%s/layer.tar", eng.dir);
	igt_rm_rf(rootfs);
	igt_rootfs_copy(rootfs);
	if (run_quiet((const char *const[]){ "tar", "--sort=name", "--mtime=@0", "--owner=0",
			"--group=0", "--numeric-owner", "-C", rootfs, "-cf", layer, ".", NULL },
			60000)) {
		fail("cannot tar the busybox rootfs");
		return;
	}
	snprintf(sum, sizeof(sum), "%s/layer.sum", eng.dir);
	if (run_to((const char *const[]){ "sha256sum", layer, NULL }, NULL, sum, 30000)) {
		fail("sha256sum %s failed", layer);
		return;
	}
	t = igt_read_file(sum, &len);
	snprintf(eng.image_tag, sizeof(eng.image_tag), "%.12s", t ? t : "none");
	free(t);
	igt_rm_rf(rootfs);
}

static void import_images(void)
{
	const char *penv[] = { NULL, NULL };
	char layer[128], oci[128], pconf[160];

	make_layer(layer, sizeof(layer));
	if (eng.failed[0])
		return;
	snprintf(eng.image[IGT_DOCKER], 96, "ig-busybox:%s", eng.image_tag);
	snprintf(eng.image[IGT_PODMAN], 96, "localhost/ig-busybox:%s", eng.image_tag);
	snprintf(eng.image[IGT_CONTAINERD], 96, "localhost/ig-busybox:%s", eng.image_tag);
	if (run_quiet((const char *const[]){ DOCKER, "image", "inspect", eng.image[IGT_DOCKER],
			NULL }, 30000) &&
	    run_quiet((const char *const[]){ DOCKER, "import", layer, eng.image[IGT_DOCKER],
			NULL }, 120000)) {
		fail("docker import failed");
		return;
	}
	snprintf(pconf, sizeof(pconf), "CONTAINERS_CONF=%s", eng.conf);
	penv[0] = pconf;
	if (run_to((const char *const[]){ "podman", "image", "exists", eng.image[IGT_PODMAN],
			NULL }, penv, NULL, 30000) &&
	    run_to((const char *const[]){ "podman", "import", layer, eng.image[IGT_PODMAN], NULL },
		   penv, NULL, 120000)) {
		fail("podman import failed");
		return;
	}
	snprintf(oci, sizeof(oci), "%s/oci.tar", eng.dir);
	if (run_quiet((const char *const[]){ "ctr", "images", "check",
			eng.image[IGT_CONTAINERD], NULL }, 30000) == 0 &&
	    run_quiet((const char *const[]){ "sh", "-c", "ctr images ls -q | grep -qx \"$0\"",
			eng.image[IGT_CONTAINERD], NULL }, 30000) == 0)
		return;
	if (run_quiet((const char *const[]){ src_path("tests/lib/oci-archive.sh"), layer, oci,
			eng.image[IGT_CONTAINERD], NULL }, 60000) ||
	    run_quiet((const char *const[]){ "ctr", "images", "import", oci, NULL }, 120000)) {
		fail("ctr images import of %s failed", oci);
		return;
	}
}

static void engines_set_up(void *arg)
{
	if (!&igt_engines_wanted || !igt_engines_wanted)
		return;
	eng.done = true;
	snprintf(eng.dir, sizeof(eng.dir), "/tmp/igt-engines-%d", (int)getuid());
	mkdir(eng.dir, 0700);
	net_state(eng.net_before, sizeof(eng.net_before));
	write_podman_conf();
	if (!eng.failed[0])
		start_daemons();
	if (!eng.failed[0])
		import_images();
	if (eng.failed[0])
		fprintf(stderr, "igtest: engines: %s\n", eng.failed);
	publish();
}

static void engines_tear_down(void *arg)
{
	char after[sizeof(eng.net_before)];

	if (!eng.done)
		return;
	stop_daemon(&eng.dockerd);
	stop_daemon(&eng.containerd);
	net_state(after, sizeof(after));
	/* The tests are over: fail the binary, so `make test` fails. */
	if (strcmp(after, eng.net_before)) {
		fprintf(stderr, "igtest: engines: the host's network state changed during the run:\n"
			"before:\n%s\nafter:\n%s\n", eng.net_before, after);
		exit(3);
	}
}

/* Registered by hand, as bundle.c does (see there). */
__attribute__((section("cr_pra"), used))
static f_report_hook igt_engines_pre_all = engines_set_up;
__attribute__((section("cr_poa"), used))
static f_report_hook igt_engines_post_all = engines_tear_down;
