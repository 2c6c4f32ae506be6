/* SPDX-License-Identifier: Apache-2.0 */
/* Internals shared by the files of tests/lib/ (not for tests). */
#ifndef IG_TEST_PRIV_H
#define IG_TEST_PRIV_H

#include <stdarg.h>
#include <stdbool.h>
#include <sys/types.h>

struct igt_bundle;

/* CLOCK_MONOTONIC in milliseconds. */
long igt_now_ms(void);
/* Wait status -> exit code, or 128+signal. */
int igt_status_from_wait(int wstatus);
/* In a forked child of `parent`: SIGKILL when the parent dies, own process
 * group, stdin /dev/null, stdout/stderr to out_fd/err_fd, putenv(env[i]),
 * execvp. Never returns. */
void igt_exec_child(pid_t parent, const char *const argv[], const char *const env[], int out_fd,
		    int err_fd) __attribute__((noreturn));

#define IGT_MAX_ARGS 128

/* A zeroed result; fails the test when out of memory. */
struct igt_result *igt_result_new(void);
/* SIGKILL pid and its process group. */
void igt_kill_tree(pid_t pid);
/* argv = { <build>/ig, first, va_args... , NULL } (max entries); returns argc. */
int igt_ig_argv(const char **argv, int max, const char *first, va_list ap);

/* runc's default spec (bundle_spec.c) as a json_t *, for args. */
void *igt_spec_default(const char *hostname, const char *const args[]);

/* rm -rf path, staying on its file system; 0 or -errno. */
int igt_rm_rf(const char *path);
/* Copy src to dst with exactly `mode` (umask ignored); 0 or -errno. */
int igt_copy_file(const char *src, const char *dst, mode_t mode);
/* mkdir -p; the last component gets `mode`. Fails the test on error. */
void igt_mkdir_p(const char *path, mode_t mode);
/* Populate dest (must not exist) with a copy of the cached busybox rootfs. */
void igt_rootfs_copy(const char *dest);

#endif /* IG_TEST_PRIV_H */
