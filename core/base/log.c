// SPDX-License-Identifier: Apache-2.0
/*
 * Logging to stderr with levels; libbpf's output routed through them. Every
 * line is made terminal-safe first (text.h): log lines carry container
 * names, annotations and file contents that others wrote.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "log.h"
#include "outfd.h"
#include "text.h"

int ig_verbose;
void (*ig_log_before_write)(void);

static struct ig_outfd *log_out;
static unsigned long long log_dropped;

static bool level_enabled(int level)
{
	if (level <= IG_LOG_WARN)
		return true;
	return level - IG_LOG_WARN <= ig_verbose;
}

void ig_log__set_outfd(struct ig_outfd *o)
{
	log_out = o;
}

unsigned long long ig_log__dropped(void)
{
	return log_dropped;
}

bool ig_log__write(const char *s, size_t n)
{
	if (!log_out) {
		fwrite(s, 1, n, stderr);
		return true;
	}
	/* stderr's reader stopped reading: a log line is not worth a stall. */
	if (!ig_outfd__has_room(log_out)) {
		log_dropped++;
		return false;
	}
	ig_outfd__write(log_out, s, n);
	return true;
}

void ig_vlog_prefix(const char *prefix, int level, const char *fmt, va_list ap)
{
	static const char *const tags[] = { "", "warning: ", "", "debug: " };
	char raw[1024], msg[4 * sizeof(raw)], pre[256], line[sizeof(msg) + sizeof(pre) + 32];
	size_t n;
	int len;

	if (!level_enabled(level))
		return;
	if (level < 0 || level > IG_LOG_DEBUG)
		level = IG_LOG_DEBUG;
	vsnprintf(raw, sizeof(raw), fmt, ap);
	/* One line each: drop trailing newlines the caller may have added. */
	n = strlen(raw);
	while (n && raw[n - 1] == '\n')
		raw[--n] = '\0';
	ig_text__sanitize(msg, sizeof(msg), raw, n, 0);
	if (prefix)
		ig_text__sanitize(pre, sizeof(pre), prefix, strlen(prefix), 0);
	len = snprintf(line, sizeof(line), "ig: %s%s%s%s\n", tags[level], prefix ? pre : "",
		       prefix ? ": " : "", msg);
	if (ig_log_before_write)
		ig_log_before_write();
	ig_log__write(line, len < (int)sizeof(line) ? (size_t)len : sizeof(line) - 1);
}

void ig_log(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ig_vlog_prefix(NULL, level, fmt, ap);
	va_end(ap);
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	/* libbpf WARN -> our INFO (-v), INFO/DEBUG -> our DEBUG (-vv). */
	int ours = level == LIBBPF_WARN ? IG_LOG_INFO : IG_LOG_DEBUG;
	char *raw = NULL, *clean;
	int n;

	if (!level_enabled(ours))
		return 0;
	n = vasprintf(&raw, fmt, ap);
	if (n < 0)
		return 0;
	/* Verifier logs are many lines: keep the line breaks. */
	clean = malloc(4 * (size_t)n + 1);
	if (clean) {
		n = (int)ig_text__sanitize(clean, 4 * (size_t)n + 1, raw, (size_t)n,
					   IG_TEXT_KEEP_NL);
		if (ig_log_before_write)
			ig_log_before_write();
		ig_log__write(clean, (size_t)n);
	}
	free(clean);
	free(raw);
	return n;
}

void ig_log_setup_libbpf(void)
{
	libbpf_set_print(libbpf_print);
}
