// SPDX-License-Identifier: Apache-2.0
/*
 * Several ig runs may read audit records at once. The first one that finds
 * audit off switches it on; it must go off again only when the last of them
 * ends, not when the first one does. The runs agree through a small state
 * file under /run/ig, changed under flock():
 *     prev <0|1>          audit's state before any ig switched it
 *     daemon <pid>        the audit daemon registered then (0: none)
 *     <pid>               one line per ig run holding it
 * Holders that died (SIGKILL) are dropped when found, and their "prev" is
 * kept, so the next run to finish still restores what the machine had.
 * An audit daemon (auditd) that registers while ig holds audit on takes
 * the switch over: auditd enables audit when it starts and expects it to
 * stay on, so the last run then leaves it on.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "seccomp_audit_int.h"

#define SHARE_DIR	"/run/ig"
#define SHARE_FILE	SHARE_DIR "/seccomp-audit.audit"
#define SHARE_MAX	256

struct share {
	int prev;			/* -1: no file */
	int daemon;			/* audit daemon pid at "prev"; -1 unknown */
	int pids[SHARE_MAX];
	int n;
};

static void share_read(int fd, struct share *s)
{
	char buf[4096], *line, *save = NULL;
	ssize_t len = pread(fd, buf, sizeof(buf) - 1, 0);

	s->prev = -1;
	s->daemon = -1;
	s->n = 0;
	if (len <= 0)
		return;
	buf[len] = '\0';
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		int pid;

		if (sscanf(line, "prev %d", &s->prev) == 1)
			continue;
		if (sscanf(line, "daemon %d", &s->daemon) == 1)
			continue;
		pid = atoi(line);
		/* only live holders count */
		if (pid > 0 && s->n < SHARE_MAX && (kill(pid, 0) == 0 || errno == EPERM))
			s->pids[s->n++] = pid;
	}
}

static int share_write(int fd, const struct share *s)
{
	char buf[4096];
	int len, i;

	if (!s->n)
		return ftruncate(fd, 0) ? -errno : 0;
	len = snprintf(buf, sizeof(buf), "prev %d\ndaemon %d\n", s->prev, s->daemon);
	for (i = 0; i < s->n && len < (int)sizeof(buf) - 16; i++)
		len += snprintf(buf + len, sizeof(buf) - len, "%d\n", s->pids[i]);
	if (ftruncate(fd, 0) || pwrite(fd, buf, len, 0) != len)
		return -errno;
	return 0;
}

static int share_lock(void)
{
	struct stat sb;
	int fd;

	mkdir(SHARE_DIR, 0755);
	/* Root's file in root's directory; still, never through a symlink,
	 * never a FIFO or device someone left there. */
	fd = open(SHARE_FILE, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0600);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &sb) || !S_ISREG(sb.st_mode)) {
		close(fd);
		return -EINVAL;
	}
	if (flock(fd, LOCK_EX)) {
		close(fd);
		return -errno;
	}
	return fd;
}

int sau_audit_share_join(int *prev)
{
	struct share s;
	int fd, cur, err = 0;

	fd = share_lock();
	if (fd < 0)
		return fd;
	share_read(fd, &s);
	cur = sau_audit_get_enabled();
	if (cur < 0) {
		err = cur;
		goto out_unlock;
	}
	if (s.prev < 0 || (!s.n && s.prev != 0)) {
		s.prev = cur;	/* first holder (or the last ones left it on) */
		s.daemon = sau_audit_get_daemon();
	}
	if (s.prev == 0 && cur == 0)
		err = sau_audit_set_enabled(1);
	if (!err && s.n < SHARE_MAX) {
		s.pids[s.n++] = getpid();
		err = share_write(fd, &s);
	}
	*prev = s.prev;
out_unlock:
	close(fd);
	return err;
}

/* A daemon other than the one at "prev" time is registered now. */
static bool daemon_took_over(const struct share *s)
{
	int pid = sau_audit_get_daemon();

	return s->daemon >= 0 && pid > 0 && pid != s->daemon;
}

int sau_audit_share_leave(void)
{
	struct share s;
	int fd, i, err = 0;

	fd = share_lock();
	if (fd < 0)
		return fd;
	share_read(fd, &s);
	for (i = 0; i < s.n; i++) {
		if (s.pids[i] == getpid()) {
			s.pids[i] = s.pids[--s.n];
			break;
		}
	}
	if (!s.n && s.prev == 0 && !daemon_took_over(&s))
		err = sau_audit_set_enabled(0);
	if (!err)
		err = share_write(fd, &s);
	close(fd);
	return err;
}
