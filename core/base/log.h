/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ig's own logging (internal). Everything goes to stderr, one line per call,
 * prefixed "ig: ". ERROR and WARN always print, INFO with -v, DEBUG with -vv.
 */
#ifndef IG_CORE_BASE_LOG_H
#define IG_CORE_BASE_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include <ig/common.h>

/* -v count; set once from the command line. */
extern int ig_verbose;

void ig_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* With a module prefix ("trace-exec: ..."). */
void ig_vlog_prefix(const char *prefix, int level, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

#define ig_err(...)	ig_log(IG_LOG_ERROR, __VA_ARGS__)
#define ig_warn(...)	ig_log(IG_LOG_WARN, __VA_ARGS__)
#define ig_info(...)	ig_log(IG_LOG_INFO, __VA_ARGS__)
#define ig_dbg(...)	ig_log(IG_LOG_DEBUG, __VA_ARGS__)

/* Route libbpf's messages through ig's levels: nothing without -v, so a
 * verifier dump never reaches a user who did not ask for it. */
void ig_log_setup_libbpf(void);

/*
 * Where log lines go: stderr through stdio until ig_log__set_outfd() hands a
 * non-blocking writer (core/base/outfd.h), which `ig run` does so that a
 * reader that stopped reading stderr cannot stall it; lines that find that
 * writer full are dropped and counted. o must outlive its use; NULL goes
 * back to stdio.
 */
struct ig_outfd;
void ig_log__set_outfd(struct ig_outfd *o);
/* Write already safe text (the status line); false when it was dropped. */
bool ig_log__write(const char *s, size_t n);
/* Log lines dropped because stderr's writer was full. */
unsigned long long ig_log__dropped(void);

/* Hook for the status line: called before a log line is written so the
 * live status can get out of the way. */
extern void (*ig_log_before_write)(void);

#endif /* IG_CORE_BASE_LOG_H */
