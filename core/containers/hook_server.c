// SPDX-License-Identifier: Apache-2.0
/*
 * The listening side of `ig hook` (client in core/cli/cmd_hook.c).
 *
 * Every ig that discovers containers and polls listens on
 * <hook dir>/ig-<pid>.sock (SOCK_SEQPACKET: one message per hook, no
 * framing). An OCI hook sends {"stage": "createRuntime", "state": {OCI
 * state}}; this ig registers the container (filter map, gadgets'
 * container_added) before it answers "ok", so the hook, and with it the
 * runtime, waits until tracing is in place. The message is read with a short
 * timeout on the accepted socket: the hook sends it right after connecting,
 * and a client that does not cannot stall the event loop for long. Sockets
 * of igs that died without cleaning up (SIGKILL) are removed at start.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "core/base/log.h"
#include "hook_msg.h"
#include "hook_server.h"

#define HOOK_READ_TIMEOUT_MS	500
#define HOOK_MAX_CLIENTS	64
/* How often the timer looks for clients past their deadline. */
#define HOOK_TIMER_MS		100

struct hook_client {
	struct ctr_pollable p;		/* kind CTR_POLL_HOOK */
	long deadline;			/* CLOCK_MONOTONIC ms */
};

struct ctr_hook_server {
	const struct ctr_report_ops *ops;
	struct ctr_pollable listen;
	struct ctr_pollable timer;	/* kind CTR_POLL_HOOK too */
	bool timer_armed;
	struct hook_client *clients[HOOK_MAX_CLIENTS];
	size_t nr_clients;
	/* Dropped during one epoll batch, freed after it (ctr_hook_server__reap):
	 * a later event of the same batch may still point at one. */
	struct hook_client *dead[HOOK_MAX_CLIENTS];
	size_t nr_dead;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
};

const char *ig_hook_dir(void)
{
	const char *d = getenv("IG_HOOK_DIR");

	return d && *d ? d : IG_HOOK_DIR_DEFAULT;
}

int ig_hook_dir_check(const char *dir, char *why, size_t whylen)
{
	struct stat sb;

	if (lstat(dir, &sb)) {
		snprintf(why, whylen, "%s", strerror(errno));
		return -errno;
	}
	/* Whoever can write here can impersonate ig or read container states. */
	if (!S_ISDIR(sb.st_mode)) {
		snprintf(why, whylen, "is not a directory");
		return -EPERM;
	}
	if (sb.st_uid != geteuid()) {
		snprintf(why, whylen, "belongs to uid %u, and this is uid %u%s",
			 (unsigned int)sb.st_uid, (unsigned int)geteuid(),
			 sb.st_uid == 0 ? ": igs run as root, and so do OCI hooks" : "");
		return -EACCES;
	}
	if (sb.st_mode & (S_IWGRP | S_IWOTH)) {
		snprintf(why, whylen, "is writable by others (mode %04o): chmod 700 it",
			 sb.st_mode & 07777);
		return -EPERM;
	}
	return 0;
}

/* The pid of a name "ig-<digits>.sock", or 0 for any other name. */
static pid_t sock_pid(const char *name)
{
	const char *p = name + 3;
	long pid = 0;

	if (strncmp(name, "ig-", 3) || *p < '0' || *p > '9')
		return 0;
	for (; *p >= '0' && *p <= '9'; p++) {
		pid = pid * 10 + (*p - '0');
		if (pid > INT_MAX)
			return 0;
	}
	return strcmp(p, ".sock") ? 0 : (pid_t)pid;
}

/* Nobody accepts on it: refused, not merely slow. Closing right after
 * connecting costs a listening ig nothing (its read sees EOF at once). */
static bool sock_refused(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd, refused;

	if (strlen(path) >= sizeof(addr.sun_path))
		return false;
	strcpy(addr.sun_path, path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return false;
	refused = connect(fd, (struct sockaddr *)&addr, sizeof(addr)) && errno == ECONNREFUSED;
	close(fd);
	return refused;
}

/*
 * An ig killed with SIGKILL leaves its ig-<pid>.sock behind. Remove those
 * whose pid no longer exists and that nobody listens on (an ig in another
 * pid namespace sharing the directory has a pid we cannot see, but it
 * accepts). Only sockets with exactly that name pattern; dir has passed
 * ig_hook_dir_check(), so no one else can plant or swap files here.
 */
static void remove_stale(const char *dir)
{
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct dirent *de;
	struct stat sb;
	pid_t pid;
	DIR *d;

	d = opendir(dir);
	if (!d)
		return;
	while ((de = readdir(d))) {
		pid = sock_pid(de->d_name);
		if (!pid || pid == getpid() || !kill(pid, 0) || errno != ESRCH)
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >=
		    sizeof(path) || lstat(path, &sb) || !S_ISSOCK(sb.st_mode) ||
		    !sock_refused(path))
			continue;
		if (!unlink(path))
			ig_dbg("removed %s: its ig (pid %d) is gone", path, (int)pid);
	}
	closedir(d);
}

struct ctr_hook_server *ctr_hook_server__new(const struct ctr_report_ops *ops)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct ctr_hook_server *hs;
	const char *dir = ig_hook_dir();
	char why[160];
	int saved;

	if (mkdir(dir, 0700) && errno != EEXIST)
		return NULL;
	if (ig_hook_dir_check(dir, why, sizeof(why))) {
		ig_warn("hook directory %s %s: not listening for `ig hook`", dir, why);
		errno = EPERM;
		return NULL;
	}
	remove_stale(dir);
	hs = calloc(1, sizeof(*hs));
	if (!hs)
		return NULL;
	hs->ops = ops;
	hs->listen.kind = CTR_POLL_HOOK;
	hs->timer.kind = CTR_POLL_HOOK;
	hs->timer.fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (hs->timer.fd < 0)
		goto out_free_hs;
	if (ops->poll_add(ops->arg, &hs->timer))
		goto out_close_timer;
	if ((size_t)snprintf(hs->path, sizeof(hs->path), "%s/ig-%d.sock", dir, (int)getpid()) >=
	    sizeof(hs->path)) {
		errno = ENAMETOOLONG;
		goto out_del_timer;
	}
	strcpy(addr.sun_path, hs->path);
	hs->listen.fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (hs->listen.fd < 0)
		goto out_del_timer;
	unlink(hs->path);	/* a previous ig with our pid died without cleanup */
	if (bind(hs->listen.fd, (struct sockaddr *)&addr, sizeof(addr)) ||
	    chmod(hs->path, 0600) || listen(hs->listen.fd, 64))
		goto out_close_fd;
	if (ops->poll_add(ops->arg, &hs->listen))
		goto out_unlink;
	return hs;

out_unlink:
	unlink(hs->path);
out_close_fd:
	saved = errno;
	close(hs->listen.fd);
	errno = saved;
out_del_timer:
	ops->poll_del(ops->arg, &hs->timer);
out_close_timer:
	saved = errno;
	close(hs->timer.fd);
	errno = saved;
out_free_hs:
	free(hs);
	return NULL;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void arm_timer(struct ctr_hook_server *hs)
{
	struct itimerspec its = { 0 };
	bool want = hs->nr_clients > 0;

	if (want == hs->timer_armed)
		return;
	if (want)
		its.it_value.tv_nsec = its.it_interval.tv_nsec = HOOK_TIMER_MS * 1000000L;
	if (!timerfd_settime(hs->timer.fd, 0, &its, NULL))
		hs->timer_armed = want;
}

static void drop_client(struct ctr_hook_server *hs, size_t i)
{
	struct hook_client *c = hs->clients[i];

	hs->ops->poll_del(hs->ops->arg, &c->p);
	close(c->p.fd);
	c->p.fd = -1;
	hs->dead[hs->nr_dead++] = c;
	hs->clients[i] = hs->clients[--hs->nr_clients];
	arm_timer(hs);
}

void ctr_hook_server__reap(struct ctr_hook_server *hs)
{
	while (hs && hs->nr_dead)
		free(hs->dead[--hs->nr_dead]);
}

/* Read and answer a client's message if it is there. True when the client
 * is done with (answered, or gone); false to wait for its message. */
static bool serve(struct ctr_hook_server *hs, int fd)
{
	char err[256] = "", *buf;
	ssize_t n;
	int ret;

	n = recv(fd, NULL, 0, MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT);
	if (n < 0)
		return errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR;
	if (n == 0)
		return true;	/* gone without a word */
	if ((size_t)n > IG_HOOK_MAX_MSG) {
		ig_info("hook: a message of %zd bytes (at most %u): refused", n, IG_HOOK_MAX_MSG);
		send(fd, "error", 5, MSG_NOSIGNAL | MSG_DONTWAIT);
		return true;
	}
	buf = malloc((size_t)n + 1);
	if (!buf)
		return true;
	n = recv(fd, buf, (size_t)n, MSG_DONTWAIT);
	ret = n > 0 ? ctr_hook_apply(hs->ops, buf, (size_t)n, err, sizeof(err)) : -EIO;
	free(buf);
	if (ret && err[0])
		ig_warn("hook: %s", err);
	/* The hook only waits; it does not care about errors. */
	send(fd, ret ? "error" : "ok", ret ? 5 : 2, MSG_NOSIGNAL | MSG_DONTWAIT);
	return true;
}

static void accept_all(struct ctr_hook_server *hs)
{
	struct hook_client *c;
	int fd;

	while ((fd = accept4(hs->listen.fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK)) >= 0) {
		/* The hook sends right after connecting: usually already here. */
		if (serve(hs, fd) || hs->nr_clients == HOOK_MAX_CLIENTS ||
		    !(c = calloc(1, sizeof(*c)))) {
			close(fd);
			continue;
		}
		c->p.kind = CTR_POLL_HOOK;
		c->p.fd = fd;
		c->deadline = now_ms() + HOOK_READ_TIMEOUT_MS;
		if (hs->ops->poll_add(hs->ops->arg, &c->p)) {
			close(fd);
			free(c);
			continue;
		}
		hs->clients[hs->nr_clients++] = c;
		arm_timer(hs);
	}
}

static void expire(struct ctr_hook_server *hs)
{
	long now = now_ms();
	uint64_t ticks;

	if (read(hs->timer.fd, &ticks, sizeof(ticks)) < 0 && errno != EAGAIN)
		return;
	for (size_t i = 0; i < hs->nr_clients;) {
		if (hs->clients[i]->deadline > now) {
			i++;
			continue;
		}
		ig_info("hook: a client sent nothing within %d ms: closed", HOOK_READ_TIMEOUT_MS);
		drop_client(hs, i);
	}
}

int ctr_hook_server__dispatch(struct ctr_hook_server *hs, struct ctr_pollable *p)
{
	if (p == &hs->listen) {
		accept_all(hs);
		return 0;
	}
	if (p == &hs->timer) {
		expire(hs);
		return 0;
	}
	/* A client: unless it was dropped earlier in this batch. */
	for (size_t i = 0; i < hs->nr_clients; i++)
		if (&hs->clients[i]->p == p) {
			if (serve(hs, p->fd))
				drop_client(hs, i);
			break;
		}
	return 0;
}

void ctr_hook_server__destroy(struct ctr_hook_server *hs)
{
	if (!hs)
		return;
	while (hs->nr_clients)
		drop_client(hs, hs->nr_clients - 1);
	ctr_hook_server__reap(hs);
	unlink(hs->path);
	hs->ops->poll_del(hs->ops->arg, &hs->listen);
	close(hs->listen.fd);
	hs->ops->poll_del(hs->ops->arg, &hs->timer);
	close(hs->timer.fd);
	free(hs);
}
