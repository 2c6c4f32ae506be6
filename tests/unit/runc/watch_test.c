// SPDX-License-Identifier: Apache-2.0
/*
 * runc plugin through its ABI (the descriptor linked in, a fake host): fake
 * state roots in /tmp, containers that are this test process (a live pid
 * with the right start time), inotify for what appears later.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include <ig/plugin.h>

#include "plugins/runc/runc.h"

const struct ig_plugin_desc *ig_plugin_entry(void);

#define MAX_SEEN 32

struct ig_plugin_host_ctx {
	char added[MAX_SEEN][64];
	char runtime[MAX_SEEN][16];
	char annot[MAX_SEEN][64];
	int pid[MAX_SEEN];
	int nr_added;
	char removed[MAX_SEEN][64];
	int nr_removed;
	char log[4096];
};

static struct ig_plugin_host_ctx ctx;
static char root[64];
static const char *roots[3];

static void fake_log(struct ig_plugin_host_ctx *c, int level, const char *fmt, ...)
{
	size_t off = strlen(c->log);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->log + off, sizeof(c->log) - off, fmt, ap);
	va_end(ap);
	strncat(c->log, "\n", sizeof(c->log) - strlen(c->log) - 1);
}

/* Only our fake containers count: real ones may run on this machine. */
static bool ours(const char *id)
{
	return !strncmp(id, "ut-", 3);
}

static int fake_added(struct ig_plugin_host_ctx *c, const struct ig_container *ct)
{
	if (!ours(ct->id) || c->nr_added == MAX_SEEN)
		return 0;
	snprintf(c->added[c->nr_added], 64, "%s", ct->id);
	snprintf(c->runtime[c->nr_added], 16, "%s", ct->runtime);
	c->pid[c->nr_added] = ct->pid;
	for (uint32_t i = 0; i < ct->nr_annotations; i++)
		if (!strcmp(ct->annotations[i].key, "test"))
			snprintf(c->annot[c->nr_added], 64, "%s", ct->annotations[i].value);
	c->nr_added++;
	return 0;
}

static int fake_removed(struct ig_plugin_host_ctx *c, const char *id)
{
	if (ours(id) && c->nr_removed < MAX_SEEN)
		snprintf(c->removed[c->nr_removed++], 64, "%s", id);
	return 0;
}

static struct ig_plugin_host host = {
	.sz = sizeof(struct ig_plugin_host),
	.abi_major = IG_PLUGIN_ABI_MAJOR,
	.abi_minor = IG_PLUGIN_ABI_MINOR,
	.ctx = &ctx,
	.log = fake_log,
	.runtime_roots = roots,
	.container_added = fake_added,
	.container_removed = fake_removed,
	.verbose = 1,
};

static void setup(void)
{
	memset(&ctx, 0, sizeof(ctx));
	snprintf(root, sizeof(root), "/tmp/igt-runc-root-XXXXXX");
	cr_assert_not_null(mkdtemp(root));
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	cr_expect_eq(system(cmd), 0);
}

/* Write <dir>/state.json the way runc does: temp file, then rename. */
static void put_state(const char *dir, const char *id, int pid, uint64_t start,
		      const char *annot_value)
{
	char tmp[PATH_MAX], final[PATH_MAX];
	FILE *f;

	mkdir(dir, 0711);
	snprintf(tmp, sizeof(tmp), "%s/state-123", dir);
	snprintf(final, sizeof(final), "%s/state.json", dir);
	f = fopen(tmp, "w");
	cr_assert_not_null(f);
	fprintf(f, "{\"id\":\"%s\",\"init_process_pid\":%d,\"init_process_start\":%llu,"
		"\"created\":\"2026-01-01T00:00:00Z\",\"config\":{\"labels\":[\"test=%s\"]}}",
		id, pid, (unsigned long long)start, annot_value);
	fclose(f);
	cr_assert_eq(rename(tmp, final), 0);
}

static uint64_t my_start(void)
{
	uint64_t t;

	cr_assert_eq(runc_proc_start_time(getpid(), &t), 0);
	return t;
}

/* Dispatch until cond() holds or 3 s passed. */
static bool pump(const struct ig_plugin_desc *d, void *st, bool (*cond)(void))
{
	struct timespec t0, t;
	int fd;

	cr_assert_eq(d->fds(st, &fd, 1), 1);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!cond()) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec > 3)
			return false;
		if (poll(&p, 1, 200) > 0)
			cr_assert_eq(d->dispatch(st, fd), 0);
	}
	return true;
}

static bool two_added(void) { return ctx.nr_added >= 2; }
static bool one_added(void) { return ctx.nr_added >= 1; }
static bool one_removed(void) { return ctx.nr_removed >= 1; }

TestSuite(runc_watch, .init = setup, .fini = teardown, .timeout = 20);

Test(runc_watch, existing_then_new_then_removed)
{
	const struct ig_plugin_desc *d = ig_plugin_entry();
	char dir[PATH_MAX];
	void *st = NULL;

	cr_assert_eq(d->abi_major, IG_PLUGIN_ABI_MAJOR);
	roots[0] = root;
	roots[1] = NULL;
	snprintf(dir, sizeof(dir), "%s/ut-old", root);
	put_state(dir, "ut-old", getpid(), my_start(), "old");
	cr_assert_eq(d->init(&host, &st), 0);
	cr_assert_eq(d->start(st), 0);
	cr_assert_eq(ctx.nr_added, 1, "existing container reported by start(): %s", ctx.log);
	cr_expect_str_eq(ctx.added[0], "ut-old");
	cr_expect_str_eq(ctx.runtime[0], "runc");
	cr_expect_eq(ctx.pid[0], getpid());
	cr_expect_str_eq(ctx.annot[0], "old");

	snprintf(dir, sizeof(dir), "%s/ut-new", root);
	put_state(dir, "ut-new", getpid(), my_start(), "new");
	cr_assert(pump(d, st, two_added), "new container not reported: %s", ctx.log);
	cr_expect_str_eq(ctx.added[1], "ut-new");
	/* state.json rewritten (runc start): no second report */
	put_state(dir, "ut-new", getpid(), my_start(), "new");
	pump(d, st, one_removed);
	cr_expect_eq(ctx.nr_added, 2);

	snprintf(dir, sizeof(dir), "rm -rf %s/ut-old", root);
	cr_assert_eq(system(dir), 0);
	cr_assert(pump(d, st, one_removed), "removal not reported");
	cr_expect_str_eq(ctx.removed[0], "ut-old");
	d->destroy(st);
	d->destroy(NULL);
}

Test(runc_watch, root_created_after_start)
{
	const struct ig_plugin_desc *d = ig_plugin_entry();
	char deep[256], dir[PATH_MAX];
	void *st = NULL;

	snprintf(deep, sizeof(deep), "%s/a/b/c", root);
	roots[0] = deep;
	roots[1] = NULL;
	cr_assert_eq(d->init(&host, &st), 0);
	cr_assert_eq(d->start(st), 0, "a missing root is not an error");
	cr_expect_eq(ctx.nr_added, 0);
	snprintf(dir, sizeof(dir), "mkdir -p %s", deep);
	cr_assert_eq(system(dir), 0);
	snprintf(dir, sizeof(dir), "%s/ut-late", deep);
	put_state(dir, "ut-late", getpid(), my_start(), "late");
	cr_assert(pump(d, st, one_added), "container in a late root not seen: %s", ctx.log);
	cr_expect_str_eq(ctx.added[0], "ut-late");
	d->destroy(st);
}

Test(runc_watch, skips_malformed_and_stopped)
{
	const struct ig_plugin_desc *d = ig_plugin_entry();
	char dir[256], path[PATH_MAX];
	void *st = NULL;
	FILE *f;

	roots[0] = root;
	roots[1] = NULL;
	snprintf(dir, sizeof(dir), "%s/ut-bad", root);
	mkdir(dir, 0711);
	snprintf(path, sizeof(path), "%s/state.json", dir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs("{\"id\": \"ut-bad\", \"init_process_pid\": ", f);
	fclose(f);
	snprintf(dir, sizeof(dir), "%s/ut-stopped", root);
	put_state(dir, "ut-stopped", getpid(), my_start() + 1, "stale start time");
	snprintf(dir, sizeof(dir), "%s/ut-good", root);
	put_state(dir, "ut-good", getpid(), my_start(), "good");
	cr_assert_eq(d->init(&host, &st), 0);
	cr_assert_eq(d->start(st), 0);
	cr_expect_eq(ctx.nr_added, 1, "only the good one: %s", ctx.log);
	cr_expect_str_eq(ctx.added[0], "ut-good");
	cr_expect(strstr(ctx.log, "ut-bad/state.json") && strstr(ctx.log, "skipping"),
		  "malformed state is reported under -v: %s", ctx.log);
	d->destroy(st);
}

Test(runc_watch, rejects_relative_root)
{
	const struct ig_plugin_desc *d = ig_plugin_entry();
	void *st = NULL;

	roots[0] = "relative/dir";
	roots[1] = NULL;
	cr_expect_eq(d->init(&host, &st), -EINVAL);
	cr_expect(strstr(ctx.log, "relative/dir"), "%s", ctx.log);
}

/* The mask inotify keeps for the directory with inode ino (fdinfo), or 0. */
static unsigned int watch_mask(int ifd, ino_t ino)
{
	char path[64], line[256];
	unsigned int mask = 0, m;
	unsigned long i;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", ifd);
	f = fopen(path, "r");
	cr_assert_not_null(f);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "inotify wd:%*x ino:%lx sdev:%*x mask:%x", &i, &m) == 2 &&
		    i == ino)
			mask = m;
	fclose(f);
	return mask;
}

/*
 * An event on a child (IN_CLOSE_WRITE) makes adding a watch walk every
 * cached dentry of the directory: only container directories ask for it,
 * and a state.json written in place (not renamed) is still seen.
 */
Test(runc_watch, only_container_dirs_ask_for_child_events)
{
	const struct ig_plugin_desc *d = ig_plugin_entry();
	char dir[256], path[PATH_MAX];
	struct stat rs, cs;
	void *st = NULL;
	int fd;
	FILE *f;

	roots[0] = root;
	roots[1] = NULL;
	snprintf(dir, sizeof(dir), "%s/ut-inplace", root);
	cr_assert_eq(mkdir(dir, 0711), 0);
	cr_assert_eq(d->init(&host, &st), 0);
	cr_assert_eq(d->start(st), 0);
	cr_assert_eq(d->fds(st, &fd, 1), 1);
	cr_assert_eq(stat(root, &rs), 0);
	cr_assert_eq(stat(dir, &cs), 0);
	cr_expect(watch_mask(fd, rs.st_ino) & IN_CREATE, "the root is watched");
	cr_expect_not(watch_mask(fd, rs.st_ino) & IN_CLOSE_WRITE,
		      "the root asks for no child event: mask %#x", watch_mask(fd, rs.st_ino));
	cr_expect(watch_mask(fd, cs.st_ino) & IN_CLOSE_WRITE,
		  "the container directory asks for IN_CLOSE_WRITE: mask %#x",
		  watch_mask(fd, cs.st_ino));
	snprintf(path, sizeof(path), "%s/state.json", dir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fprintf(f, "{\"id\":\"ut-inplace\",\"init_process_pid\":%d,\"init_process_start\":%llu,"
		"\"created\":\"2026-01-01T00:00:00Z\",\"config\":{\"labels\":[\"test=x\"]}}",
		getpid(), (unsigned long long)my_start());
	fclose(f);
	cr_assert(pump(d, st, one_added), "state.json written in place not seen: %s", ctx.log);
	cr_expect_str_eq(ctx.added[0], "ut-inplace");
	d->destroy(st);
}
