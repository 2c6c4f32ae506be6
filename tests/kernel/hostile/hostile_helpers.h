/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers of the hostile-input suite: ig run the way a user runs it, against
 * files, directories, sockets and containers that someone else controls.
 */
#ifndef IG_TEST_HOSTILE_H
#define IG_TEST_HOSTILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <ig/common.h>

#include "tests/lib/igtest.h"

/* A started busybox container that sleeps; annotate(b) edits its config
 * first when given. */
struct igt_bundle *hs_container(const char *tag, void (*annotate)(struct igt_bundle *b));

/* Whether text (n bytes) holds a byte a terminal would obey: a C0 control
 * other than '\n' and '\t', DEL, or a UTF-8 C1 control (U+0080-U+009F).
 * On a hit, *where points at it. */
bool hs_has_control(const char *text, size_t n, const char **where);

/* Write text to path (created 0644, truncated); fails the test on error. */
void hs_write(const char *path, const char *text);

/* A copy of the runc state.json of a started container, as text with "id"
 * replaced by id (and "init_process_pid" by pid when pid > 0). */
char *hs_state_copy(struct igt_bundle *b, const char *id, pid_t pid);

/* Milliseconds of CLOCK_MONOTONIC. */
long hs_now_ms(void);




/* Run argv as process number pid (clone3 with set_tid: root), stdin
 * /dev/null, stdout and stderr captured; killed after timeout_ms. */
struct igt_result *hs_run_as_pid(pid_t pid, const char *const argv[], int timeout_ms);
/* A pid number that no process has now, for hs_run_as_pid. */
pid_t hs_free_pid(void);
/* A fixture gadget dir: a fresh temp dir (buf) holding a copy of
 * build/tests/fixtures/gadgets/<variant>.so as <name>.so. */
void hs_gadget_dir(char *buf, size_t size, const char *variant, const char *name);

/* A process whose stdout is a pipe the test reads when it wants to (*out_fd,
 * non-blocking) and whose stderr goes to a temp file. */
struct hs_piped {
	pid_t pid;
	int out_fd;
	char err_path[64];
};
struct hs_piped *hs_spawn_piped(const char *const argv[]);
/* Read what the pipe holds now (or until EOF when wait_eof), appending. */
void hs_piped_read(struct hs_piped *p, char **buf, size_t *len, bool wait_eof);
/* Wait for the process at most timeout_ms (SIGKILL after); its exit status
 * (128+signal), -1 when it had to be killed; stderr in *err (caller frees). */
int hs_piped_wait(struct hs_piped *p, int timeout_ms, char **err);
/* Wait until path exists and is not empty, at most timeout_ms. */
bool hs_wait_file(const char *path, int timeout_ms);
/* Run argv n times (fork, exec, wait) from the test process. */
void hs_run_n(const char *const argv[], int n);

#endif /* IG_TEST_HOSTILE_H */
