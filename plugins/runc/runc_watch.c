// SPDX-License-Identifier: Apache-2.0
/*
 * The runc state roots and the one inotify instance that watches them.
 *
 * A root holds one directory per container (<root>/<id>/state.json). runc
 * creates the directory first and later renames a temp file to state.json
 * (again on every state change), so each container directory gets its own
 * watch and is reported once its state.json is there and names a live
 * process. A root that does not exist yet (no runc ever ran on a fresh
 * machine: /run/runc is missing) is not an error: its nearest existing
 * ancestor is watched until the missing components appear. containerd keeps
 * one root per namespace under /run/containerd/runc/: that directory is a
 * "parent" root whose subdirectories become roots as they appear.
 * Roots and ancestors get directory events only: adding a watch for an
 * event on a child (IN_CLOSE_WRITE) walks every cached dentry of the
 * directory, and a node that ran many containers keeps 100k+ negative ones
 * in its state roots (5-10 ms per root); a container's own one asks for it.
 * Watches add to the mask they find (inotify merges one inode's). No polls.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runc.h"

#define ROOT_MASK	(IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | \
			 IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR | IN_MASK_ADD)
#define CTR_MASK	(ROOT_MASK | IN_CLOSE_WRITE)
#define ARM_TRIES	8

struct wroot {
	char *path;
	const char *runtime;	/* static */
	enum runc_root_kind kind;
	int wd;			/* watch on path, -1 while it is missing */
	int anc_wd;		/* watch on its nearest ancestor while missing */
	bool child;		/* a namespace dir of a parent root: not re-armed */
	bool dead;
	uid_t owner;		/* a user's root: its files must be that user's */
};

struct wctr {
	char *dir;
	char *id;
	const char *runtime;
	uid_t owner;
	int wd;
	bool reported;
};

#define RECENT_IDS	256

struct runc_watch {
	const struct ig_plugin_host *host;
	const struct runc_watch_ops *ops;
	int ifd;
	struct wroot **roots;
	size_t nr_roots;
	struct wctr **ctrs;
	size_t nr_ctrs;
	/* Container directories seen, for identify() after they are gone: a
	 * short container's can be created and deleted before ig reads it. */
	struct {
		char id[129];
		const char *runtime;
	} recent[RECENT_IDS];
	size_t nr_recent;
};

static void remember(struct runc_watch *w, const char *id, const char *runtime)
{
	size_t slot = w->nr_recent++ % RECENT_IDS;

	snprintf(w->recent[slot].id, sizeof(w->recent[slot].id), "%s", id);
	w->recent[slot].runtime = runtime;
}

const char *runc_watch__recent(struct runc_watch *w, const char *id)
{
	size_t n = w->nr_recent < RECENT_IDS ? w->nr_recent : RECENT_IDS;

	for (size_t i = 0; i < n; i++)
		if (!strcmp(w->recent[i].id, id))
			return w->recent[i].runtime;
	return NULL;
}

static int arm_root(struct runc_watch *w, struct wroot *r);

struct runc_watch *runc_watch__new(const struct ig_plugin_host *host,
				    const struct runc_watch_ops *ops)
{
	struct runc_watch *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	w->host = host;
	w->ops = ops;
	w->ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w->ifd < 0) {
		free(w);
		return NULL;
	}
	return w;
}

static struct wroot *find_root(struct runc_watch *w, const char *path)
{
	for (size_t i = 0; i < w->nr_roots; i++)
		if (!w->roots[i]->dead && !strcmp(w->roots[i]->path, path))
			return w->roots[i];
	return NULL;
}

static struct wroot *new_root(struct runc_watch *w, const char *path, const char *runtime,
			      enum runc_root_kind kind, bool child)
{
	struct wroot **tmp, *r;

	tmp = realloc(w->roots, (w->nr_roots + 1) * sizeof(*tmp));
	if (!tmp)
		return NULL;
	w->roots = tmp;
	r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->path = strdup(path);
	if (!r->path) {
		free(r);
		return NULL;
	}
	r->runtime = runtime;
	r->kind = kind;
	r->wd = -1;
	r->anc_wd = -1;
	r->child = child;
	r->owner = META_ANY_OWNER;
	w->roots[w->nr_roots++] = r;
	return r;
}

int runc_watch__add_root(struct runc_watch *w, const char *path, const char *runtime,
			 enum runc_root_kind kind)
{
	char clean[PATH_MAX];
	size_t len;

	if (path[0] != '/' || strlen(path) >= sizeof(clean))
		return -EINVAL;
	strcpy(clean, path);
	len = strlen(clean);
	while (len > 1 && clean[len - 1] == '/')
		clean[--len] = '\0';
	if (find_root(w, clean))
		return 0;	/* --runtime-root /run/runc: already a default */
	return new_root(w, clean, runtime, kind, false) ? 0 : -ENOMEM;
}

/* ------------------------------------------------------------ containers */

static struct wctr *find_ctr_by_dir(struct runc_watch *w, const char *dir)
{
	for (size_t i = 0; i < w->nr_ctrs; i++)
		if (!strcmp(w->ctrs[i]->dir, dir))
			return w->ctrs[i];
	return NULL;
}

static void ctr_check(struct runc_watch *w, struct wctr *c)
{
	c->reported = w->ops->seen(w->ops->arg, c->runtime, c->owner, c->dir, c->id,
				   c->reported);
}

static void ctr_add(struct runc_watch *w, struct wroot *r, const char *name)
{
	char dir[PATH_MAX];
	struct wctr **tmp, *c;

	if (name[0] == '.' ||
	    (size_t)snprintf(dir, sizeof(dir), "%s/%s", r->path, name) >= sizeof(dir))
		return;
	remember(w, name, r->runtime);
	c = find_ctr_by_dir(w, dir);
	if (c) {
		ctr_check(w, c);
		return;
	}
	tmp = realloc(w->ctrs, (w->nr_ctrs + 1) * sizeof(*tmp));
	if (!tmp)
		return;
	w->ctrs = tmp;
	c = calloc(1, sizeof(*c));
	if (!c)
		return;
	c->dir = strdup(dir);
	c->id = strdup(name);
	c->runtime = r->runtime;
	c->owner = r->owner;
	/* Watch before reading: a state.json renamed in between is then
	 * either read now or reported by the watch. */
	c->wd = inotify_add_watch(w->ifd, dir, CTR_MASK);
	if (!c->dir || !c->id || c->wd < 0) {
		if (c->wd < 0 && errno != ENOENT && errno != ENOTDIR)
			IG_DEBUG(w->host, "cannot watch %s: %s", dir,
				 strerror(errno));
		free(c->dir);
		free(c->id);
		free(c);
		return;
	}
	w->ctrs[w->nr_ctrs++] = c;
	ctr_check(w, c);
}

static void ctr_remove(struct runc_watch *w, size_t i, bool rm_watch)
{
	struct wctr *c = w->ctrs[i];

	if (rm_watch)
		inotify_rm_watch(w->ifd, c->wd);
	if (c->reported)
		w->ops->gone(w->ops->arg, c->id);
	w->ctrs[i] = w->ctrs[--w->nr_ctrs];
	free(c->dir);
	free(c->id);
	free(c);
}

/* ------------------------------------------------------------ roots */

/* /run/user/<uid>: a directory named by its owner's uid (as logind and
 * rootless podman make them), not root's. */
static bool user_dir(const char *parent, const char *name, struct stat *sb)
{
	char path[PATH_MAX], uid[16];

	snprintf(path, sizeof(path), "%s/%s", parent, name);
	if (lstat(path, sb) || !S_ISDIR(sb->st_mode) || !sb->st_uid)
		return false;
	snprintf(uid, sizeof(uid), "%u", (unsigned int)sb->st_uid);
	return !strcmp(uid, name);
}

static void scan_root(struct runc_watch *w, struct wroot *r)
{
	struct dirent *de;
	struct stat sb;
	char sub[PATH_MAX];
	DIR *d;

	d = opendir(r->path);
	if (!d) {
		IG_DEBUG(w->host, "cannot read %s: %s", r->path,
			 strerror(errno));
		return;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (de->d_type == DT_UNKNOWN) {
			snprintf(sub, sizeof(sub), "%s/%s", r->path, de->d_name);
			if (lstat(sub, &sb) || !S_ISDIR(sb.st_mode))
				continue;
		} else if (de->d_type != DT_DIR) {
			continue;
		}
		if (r->kind == RUNC_ROOT_STATE) {
			ctr_add(w, r, de->d_name);
		} else {
			struct wroot *cr;
			bool users = r->kind == RUNC_ROOT_USERS;

			/* <parent>/<namespace>, or a user's <parent>/<uid>/runc */
			snprintf(sub, sizeof(sub), "%s/%s%s", r->path, de->d_name,
				 users ? "/runc" : "");
			if (find_root(w, sub) || (users && !user_dir(r->path, de->d_name, &sb)))
				continue;
			/* New roots go at the end of w->roots; r stays valid
			 * (the array holds pointers). A user's runc/ may come
			 * later: watched for like a default root. */
			cr = new_root(w, sub, r->runtime, RUNC_ROOT_STATE, !users);
			if (!cr)
				continue;
			if (users)
				cr->owner = sb.st_uid;
			arm_root(w, cr);
		}
	}
	closedir(d);
}

/* Watch the deepest existing ancestor of path; its wd, or -errno. */
static int watch_ancestor(struct runc_watch *w, const char *path, char *next, size_t nlen)
{
	char anc[PATH_MAX];
	char *slash;
	int wd;

	snprintf(anc, sizeof(anc), "%s", path);
	for (;;) {
		slash = strrchr(anc, '/');
		if (!slash)
			return -ENOENT;
		/* next = the component below anc on the way to path */
		snprintf(next, nlen, "%s", anc);
		if (slash == anc)
			slash[1] = '\0';
		else
			*slash = '\0';
		wd = inotify_add_watch(w->ifd, anc, ROOT_MASK);
		if (wd >= 0)
			return wd;
		if (errno != ENOENT && errno != ENOTDIR)
			return -errno;
		if (!strcmp(anc, "/"))
			return -ENOENT;
	}
}

static int arm_root(struct runc_watch *w, struct wroot *r)
{
	char next[PATH_MAX];
	struct stat sb;
	int wd, tries;

	for (tries = 0; tries < ARM_TRIES; tries++) {
		wd = inotify_add_watch(w->ifd, r->path, ROOT_MASK);
		if (wd >= 0) {
			r->wd = wd;
			r->anc_wd = -1;
			scan_root(w, r);
			return 0;
		}
		if (errno != ENOENT && errno != ENOTDIR) {
			IG_WARN(w->host, "cannot watch %s: %s", r->path,
				strerror(errno));
			return -errno;
		}
		if (r->child) {
			r->dead = true;	/* the namespace dir went away */
			return 0;
		}
		wd = watch_ancestor(w, r->path, next, sizeof(next));
		if (wd < 0)
			return wd;
		r->anc_wd = wd;
		/* Created between our two watches? Then go deeper now; a later
		 * creation is reported by the ancestor watch. */
		if (stat(next, &sb))
			break;
	}
	IG_DEBUG(w->host, "%s does not exist (yet): watching for it", r->path);
	return 0;
}

int runc_watch__start(struct runc_watch *w)
{
	/* Index loop: arming a parent root appends its namespaces. */
	for (size_t i = 0; i < w->nr_roots; i++)
		if (w->roots[i]->wd < 0 && !w->roots[i]->dead)
			arm_root(w, w->roots[i]);
	return 0;
}

int runc_watch__foreach_root(struct runc_watch *w,
			     int (*fn)(void *arg, const char *path, const char *runtime,
				       uid_t owner),
			     void *arg)
{
	for (size_t i = 0; i < w->nr_roots; i++) {
		struct wroot *r = w->roots[i];
		int ret;

		if (r->dead || r->wd < 0 || r->kind != RUNC_ROOT_STATE)
			continue;
		ret = fn(arg, r->path, r->runtime, r->owner);
		if (ret)
			return ret;
	}
	return 0;
}

int runc_watch__fd(struct runc_watch *w)
{
	return w->ifd;
}

static void root_event(struct runc_watch *w, struct wroot *r, const struct inotify_event *ev)
{
	char sub[PATH_MAX];
	bool created = ev->mask & (IN_CREATE | IN_MOVED_TO);

	if (ev->mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF)) {
		/* The root itself went away: watch for it to come back. */
		r->wd = -1;
		arm_root(w, r);
		return;
	}
	if (!ev->len || !(ev->mask & IN_ISDIR))
		return;
	if (r->kind == RUNC_ROOT_STATE) {
		if (created) {
			ctr_add(w, r, ev->name);
			return;
		}
		snprintf(sub, sizeof(sub), "%s/%s", r->path, ev->name);
		for (size_t i = 0; i < w->nr_ctrs; i++)
			if (!strcmp(w->ctrs[i]->dir, sub)) {
				ctr_remove(w, i, true);
				break;
			}
	} else if (created) {
		/* A new containerd namespace: rescan the parent. */
		scan_root(w, r);
	}
}

static void handle_event(struct runc_watch *w, const struct inotify_event *ev)
{
	for (size_t i = 0; i < w->nr_ctrs; i++) {
		struct wctr *c = w->ctrs[i];

		if (c->wd != ev->wd)
			continue;
		if (ev->mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF)) {
			ctr_remove(w, i, !(ev->mask & IN_IGNORED));
			return;
		}
		if (ev->len && !strcmp(ev->name, "state.json") &&
		    (ev->mask & (IN_MOVED_TO | IN_CLOSE_WRITE)))
			ctr_check(w, c);
		return;
	}
	for (size_t i = 0; i < w->nr_roots; i++) {
		struct wroot *r = w->roots[i];

		if (r->dead)
			continue;
		if (r->wd == ev->wd)
			root_event(w, r, ev);
		else if (r->wd < 0 && r->anc_wd == ev->wd &&
			 (ev->mask & (IN_CREATE | IN_MOVED_TO | IN_IGNORED)))
			arm_root(w, r);
	}
}

int runc_watch__dispatch(struct runc_watch *w)
{
	char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
	const struct inotify_event *ev;
	ssize_t n;

	for (;;) {
		n = read(w->ifd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno == EAGAIN ? 0 : -errno;
		for (char *p = buf; p < buf + n; p += sizeof(*ev) + ev->len) {
			ev = (const struct inotify_event *)p;
			if (ev->mask & IN_Q_OVERFLOW) {
				IG_WARN(w->host, "inotify queue overflowed: "
					"rescanning state roots");
				for (size_t i = 0; i < w->nr_roots; i++)
					if (w->roots[i]->wd >= 0)
						scan_root(w, w->roots[i]);
				continue;
			}
			handle_event(w, ev);
		}
	}
}

void runc_watch__destroy(struct runc_watch *w)
{
	if (!w)
		return;
	for (size_t i = 0; i < w->nr_ctrs; i++) {
		free(w->ctrs[i]->dir);
		free(w->ctrs[i]->id);
		free(w->ctrs[i]);
	}
	free(w->ctrs);
	for (size_t i = 0; i < w->nr_roots; i++) {
		free(w->roots[i]->path);
		free(w->roots[i]);
	}
	free(w->roots);
	if (w->ifd >= 0)
		close(w->ifd);
	free(w);
}
