/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Test helpers shared by every test binary (linked from tests/lib/).
 *
 *  - run a command (usually build/ig) with a timeout and capture its stdout
 *    and stderr;
 *  - start ig in the background and stop it with a signal;
 *  - build real OCI bundles (busybox-static rootfs) and run them with runc.
 *
 * All functions abort the current Criterion test with cr_fatal/cr_assert on
 * set-up failures that are not the point of the test (a missing busybox), so
 * a test never passes by skipping.
 */
#ifndef IG_TEST_H
#define IG_TEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Absolute path of the build dir (build/) and of build/ig. */
const char *igt_build_dir(void);
const char *igt_ig_path(void);

/* Output of a finished process. Free with igt_result_free(). */
struct igt_result {
	int status;	/* exit code, or 128+signal when killed by a signal */
	char *out;	/* stdout, NUL-terminated (never NULL) */
	size_t out_len;
	char *err;	/* stderr, NUL-terminated (never NULL) */
	size_t err_len;
	bool timed_out;
};

/* Run argv (argv[0] searched in PATH unless it has a slash) with stdin from
 * /dev/null, wait at most timeout_ms, kill it (SIGKILL) past that. */
struct igt_result *igt_run(const char *const argv[], int timeout_ms);
/* Same, with an environment addition "K=V" list (NULL-terminated) or NULL. */
struct igt_result *igt_run_env(const char *const argv[], const char *const env[], int timeout_ms);
/* Convenience: run build/ig with args (NULL-terminated list after timeout). */
struct igt_result *igt_ig(int timeout_ms, ...) __attribute__((sentinel));
void igt_result_free(struct igt_result *r);

/* A background process whose stdout/stderr go to temp files. */
struct igt_proc {
	pid_t pid;
	char out_path[64];
	char err_path[64];
};

/* Start argv in the background. */
struct igt_proc *igt_spawn(const char *const argv[]);
/* Wait until the process's stderr or stdout contains `needle` (or it exits),
 * at most timeout_ms. Returns true if found. Use it to wait for ig's
 * "ready" line (ig prints nothing on its own; pass --ready-file instead, see
 * igt_spawn_ig_ready). */
bool igt_proc_wait_output(struct igt_proc *p, const char *needle, int timeout_ms);
/* Send sig (0 = just wait), wait at most timeout_ms (then SIGKILL), collect
 * output into a result and free the proc. */
struct igt_result *igt_proc_finish(struct igt_proc *p, int sig, int timeout_ms);

/* Start build/ig with args (NULL-terminated list) and wait until it is
 * attached and running: ig writes its pid to --ready-file once every gadget
 * program is attached. Fails the test if ig does not get ready in 20 s. */
struct igt_proc *igt_spawn_ig_ready(const char *arg0, ...) __attribute__((sentinel));

/* ---------------------------------------------------------------- runc */

/* An OCI bundle in a temp dir: rootfs with busybox-static and its applet
 * links, /etc/passwd, /etc/group, /tmp; config.json written by
 * igt_bundle_write(). */
struct igt_bundle {
	char dir[256];		/* bundle directory */
	char rootfs[300];
	char id[64];		/* container id used with runc */
	void *config;		/* json_t * config.json, editable before write */
};

/* Create a bundle whose process runs args (NULL-terminated argv, e.g.
 * {"/bin/sh", "-c", "echo hi", NULL}). id must be unique per test run; use
 * igt_unique_id(). The config is runc's default spec (namespaces pid, ipc,
 * uts, mount, network; default capabilities; noNewPrivileges true;
 * terminal false; readonly rootfs false) with the given args. */
struct igt_bundle *igt_bundle_new(const char *id, const char *const args[]);
/* Helpers to edit the config before writing it: */
void igt_bundle_annotate(struct igt_bundle *b, const char *key, const char *value);
/* Set linux.seccomp from a JSON text (an OCI seccomp profile). */
void igt_bundle_set_seccomp(struct igt_bundle *b, const char *profile_json);
/* Replace all five capability sets with the given names (NULL-terminated). */
void igt_bundle_set_caps(struct igt_bundle *b, const char *const caps[]);
/* Join an existing network namespace path (/var/run/netns/NAME) instead of a
 * new one; NULL removes the network namespace (host network). */
void igt_bundle_set_netns(struct igt_bundle *b, const char *path);
/* Add an OCI hook: stage "createRuntime", "prestart", "poststop"...; argv[0]
 * is the absolute path. */
void igt_bundle_add_hook(struct igt_bundle *b, const char *stage, const char *const argv[]);
void igt_bundle_set_nnp(struct igt_bundle *b, bool no_new_privileges);
void igt_bundle_set_user(struct igt_bundle *b, unsigned uid, unsigned gid);
/* Copy a host file (e.g. a fixture binary, statically linked) into rootfs. */
void igt_bundle_add_file(struct igt_bundle *b, const char *host_path, const char *rootfs_path);
/* Write config.json. */
void igt_bundle_write(struct igt_bundle *b);
/* runc run (foreground, waits) with a timeout: the container's stdout/stderr
 * are captured. Writes config.json first. */
struct igt_result *igt_bundle_run(struct igt_bundle *b, int timeout_ms);
/* runc run --detach style: start in background (process keeps running);
 * returns once runc reports the container running. */
void igt_bundle_start(struct igt_bundle *b);
/* runc kill + delete --force; removes the directory; accepts NULL. */
void igt_bundle_destroy(struct igt_bundle *b);

/* "igt-<tag>-<pid>-<counter>" in buf (size >= 64). */
const char *igt_unique_id(char *buf, const char *tag);

/* Read a whole file; NULL on error. Caller frees. */
char *igt_read_file(const char *path, size_t *len);
/* A fresh /tmp/igt-<tag>-XXXXXX directory in buf (fails the test if it
 * cannot be made); igt_tmpdir_remove() deletes it and everything in it. */
void igt_tmpdir_new(char *buf, size_t size, const char *tag);
void igt_tmpdir_remove(const char *dir);
/* Count occurrences of needle in haystack. */
int igt_count(const char *haystack, const char *needle);

/* ------------------------------------------- appended (test infrastructure) */

/* igt_bundle_start(): the detached container's stdout/stderr (and runc's own
 * messages) go to <b->dir>/container.out and <b->dir>/container.err. */

/* `runc exec` argv in a running (started) container, with a timeout; output
 * captured like igt_run. The process gets the config's user, caps, nnp. */
struct igt_result *igt_bundle_exec(struct igt_bundle *b, const char *const argv[], int timeout_ms);
/* Host pid of the started container's init (from `runc state`), e.g. for
 * /proc/<pid>/ns/mnt. Fails the test if the container is not running. */
pid_t igt_bundle_pid(struct igt_bundle *b);

/* list[i] of a NULL-terminated list, or NULL if list is NULL or ends before i:
 * passes optional extra arguments on to a sentinel-terminated call. */
const char *igt_arg(const char *const list[], int i);
/* Inode of /proc/<pid>/ns/<ns> (ns: "mnt", "net"...); fails the test if absent. */
uint64_t igt_ns_inode(pid_t pid, const char *ns);

/* A child that sleeps in a mount namespace of its own (unshare; with a user
 * namespace when not root), like a container's init; igt_child_kill()
 * kills and reaps it. */
pid_t igt_mntns_child(void);
void igt_child_kill(pid_t pid);

/* Run a fuzz target's function (tests/fuzz/fuzz.h) on every seed in
 * tests/fuzz/corpus/<target>/ and every past finding in
 * tests/fuzz/regress/<target>/; a crash or sanitizer report fails the test.
 * Returns how many inputs ran (fails the test when there are no seeds). */
int igt_fuzz_replay(const char *target, int (*fn)(const uint8_t *data, size_t size));

/* Every JSON value in text, a stream of JSON texts separated by nothing or
 * whitespace, as a new jansson array (json_t *; caller decrefs). Fails the
 * test at the first text that is not JSON. */
struct json_t;
struct json_t *igt_json_values(const char *text);

#endif /* IG_TEST_H */
