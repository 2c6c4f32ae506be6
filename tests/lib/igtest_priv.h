/* SPDX-License-Identifier: Apache-2.0 */
/* Internals shared by the files of tests/lib/ (not for tests). */
#ifndef IG_TEST_PRIV_H
#define IG_TEST_PRIV_H

#include <stdbool.h>

struct igt_bundle;

/* CLOCK_MONOTONIC in milliseconds. */
long igt_now_ms(void);
/* Wait status -> exit code, or 128+signal. */
int igt_status_from_wait(int wstatus);
/* In a forked child: own process group, stdin /dev/null, stdout/stderr to
 * out_fd/err_fd, putenv(env[i]), execvp. Never returns. */
void igt_exec_child(const char *const argv[], const char *const env[], int out_fd, int err_fd)
	__attribute__((noreturn));

/* runc's default spec (see bundle_spec.c) as a json_t *, for args. */
void *igt_spec_default(const char *hostname, const char *const args[]);

/* rm -rf path, staying on its file system; 0 or -errno. */
int igt_rm_rf(const char *path);

#endif /* IG_TEST_PRIV_H */
