// SPDX-License-Identifier: Apache-2.0
/* Logging to stderr with levels; libbpf's output routed through them. */
#include <stdio.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "log.h"

int ig_verbose;
void (*ig_log_before_write)(void);

static bool level_enabled(int level)
{
	if (level <= IG_LOG_WARN)
		return true;
	return level - IG_LOG_WARN <= ig_verbose;
}

void ig_vlog_prefix(const char *prefix, int level, const char *fmt, va_list ap)
{
	static const char *const tags[] = { "", "warning: ", "", "debug: " };
	char buf[1024];
	size_t n;

	if (!level_enabled(level))
		return;
	if (level < 0 || level > IG_LOG_DEBUG)
		level = IG_LOG_DEBUG;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	/* One line each: drop trailing newlines the caller may have added. */
	n = strlen(buf);
	while (n && buf[n - 1] == '\n')
		buf[--n] = '\0';
	if (ig_log_before_write)
		ig_log_before_write();
	fprintf(stderr, "ig: %s%s%s%s\n", tags[level], prefix ? prefix : "",
		prefix ? ": " : "", buf);
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

	if (!level_enabled(ours))
		return 0;
	if (ig_log_before_write)
		ig_log_before_write();
	return vfprintf(stderr, fmt, ap);
}

void ig_log_setup_libbpf(void)
{
	libbpf_set_print(libbpf_print);
}
