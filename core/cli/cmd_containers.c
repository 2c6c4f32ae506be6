// SPDX-License-Identifier: Apache-2.0
/*
 * `ig list-containers [-o FMT] [--fields F] [-w/--watch] [-c SEL]
 *                     [--runtime-root DIR]... [-t SECONDS] [--ready-file PATH] [-v]`
 *
 * Prints the containers the runtime plugins find. Field names are short
 * (runtime, id, name, pid, mntns, netns, k8s.namespace, k8s.pod,
 * k8s.container, image; hidden: k8s.podUID, k8s.podLabels, cgroup, bundle,
 * created) so the table headers read RUNTIME ID NAME PID ... With --watch, prints the running ones
 * as ADDED and then streams ADDED/REMOVED events until Ctrl-C (or -t).
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "cmd_containers.h"
#include "core/base/file.h"
#include "core/base/log.h"
#include "core/base/outfd.h"
#include "core/containers/selector.h"
#include "core/containers/table.h"
#include "output/output.h"

#define MAX_ROOTS	16
#define MAX_ARGS	64

enum {
	F_EVENT, F_RUNTIME, F_ID, F_NAME, F_PID, F_MNTNS, F_NETNS, F_K8S_NS, F_K8S_POD,
	F_K8S_CONTAINER, F_IMAGE, F_K8S_UID, F_K8S_LABELS, F_CGROUP, F_BUNDLE, F_CREATED,
	NR_FIELDS
};

#define STR	IG_FT_STRING
#define UINT	IG_FT_UINT
static const struct ig_field fields[NR_FIELDS] = {
	[F_EVENT] = { "event", "ADDED or REMOVED (--watch only)", STR, IG_FK_NONE, 8 },
	[F_RUNTIME] = { "runtime", "container runtime (runc, containerd, docker, cri-o)", STR,
			IG_FK_CONTAINER, 10 },
	[F_ID] = { "id", "container id", STR, IG_FK_CONTAINER, 13 },
	[F_NAME] = { "name", "container name (Kubernetes or Docker name, else the id)", STR,
		     IG_FK_CONTAINER, 20 },
	[F_PID] = { "pid", "init pid", UINT, IG_FK_PID, 8, IG_ALIGN_RIGHT },
	[F_MNTNS] = { "mntns", "mount namespace inode", UINT, IG_FK_MNTNS, 11, IG_ALIGN_RIGHT },
	[F_NETNS] = { "netns", "network namespace inode", UINT, IG_FK_NETNS, 11, IG_ALIGN_RIGHT },
	[F_K8S_NS] = { "k8s.namespace", "Kubernetes namespace", STR, IG_FK_K8S, 14 },
	[F_K8S_POD] = { "k8s.pod", "Kubernetes pod", STR, IG_FK_K8S, 20 },
	[F_K8S_CONTAINER] = { "k8s.container", "Kubernetes container", STR, IG_FK_K8S, 16 },
	[F_IMAGE] = { "image", "image (from annotations)", STR, IG_FK_CONTAINER, 24 },
	[F_K8S_UID] = { "k8s.podUID", "Kubernetes pod uid", STR, IG_FK_K8S, 36, 0,
			IG_FIELD_HIDDEN },
	[F_K8S_LABELS] = { "k8s.podLabels", "pod labels, k=v,k=v sorted by key", STR,
			   IG_FK_K8S, 30, 0, IG_FIELD_HIDDEN },
	[F_CGROUP] = { "cgroup", "cgroup path", STR, IG_FK_PATH, 30, 0, IG_FIELD_HIDDEN },
	[F_BUNDLE] = { "bundle", "OCI bundle directory", STR, IG_FK_PATH, 30, 0,
		       IG_FIELD_HIDDEN },
	[F_CREATED] = { "created", "creation time", IG_FT_TIMESTAMP, IG_FK_TIMESTAMP, 30, 0,
			IG_FIELD_HIDDEN },
};

struct lc {
	struct ig_containers *cs;
	struct ig_output *out;
	struct ig_outfd out_w;	/* stdout, never blocking (--watch) */
	unsigned long long dropped;
	bool watch;
	int err;
};

/* What a stalled reader of --watch may leave unread before events are
 * dropped (and counted). */
#define WATCH_OUT_LIMIT	(1u << 20)

static void usage(FILE *f)
{
	fprintf(f,
		"usage: ig list-containers [-o table|json|jsonpretty|yaml] [--fields F] [-w]\n"
		"                          [-c NAME[,NAME|,!NAME]] [--runtime-root DIR]...\n"
		"                          [-t SECONDS] [--ready-file PATH] [-v]\n"
		"List the containers ig finds (runc, containerd, Docker, CRI-O).\n"
		"  -o, --output FMT       output format (default table)\n"
		"      --fields F         columns: 'a,b' picks, '+x,-y' edits the default set\n"
		"  -w, --watch            print ADDED/REMOVED events until Ctrl-C\n"
		"  -c, --containername S  only these names ('!name' excludes)\n"
		"      --runtime-root DIR also watch DIR/<id>/state.json (a `runc --root`)\n"
		"  -t, --timeout SECONDS  stop watching after SECONDS\n"
		"      --ready-file PATH  write ig's pid to PATH once watching (--watch)\n"
		"  -v, --verbose          say what is skipped and why (-vv: debug)\n");
}

/* "k=v,k=v" into buf. */
static const char *join_labels(const struct ig_container *c, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (uint32_t i = 0; i < c->nr_labels && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s=%s", i ? "," : "",
					c->labels[i].key, c->labels[i].value);
	return c->nr_labels ? buf : NULL;
}

static int print_one(struct lc *lc, const struct ig_container *c, const char *event)
{
	struct ig_value v[NR_FIELDS];
	char labels[4096];

	if (lc->watch && !ig_outfd__has_room(&lc->out_w)) {
		lc->dropped++;
		return 0;
	}
	memset(v, 0, sizeof(v));
	v[F_EVENT] = ig_val_str(event);
	v[F_RUNTIME] = ig_val_str(c->runtime);
	v[F_ID] = ig_val_str(c->id);
	v[F_NAME] = ig_val_str(c->name);
	v[F_PID] = ig_val_u64((uint64_t)c->pid);
	v[F_MNTNS] = ig_val_u64(c->mntns);
	v[F_NETNS] = ig_val_u64(c->netns);
	v[F_K8S_NS] = ig_val_str(c->k8s_namespace);
	v[F_K8S_POD] = ig_val_str(c->k8s_pod);
	v[F_K8S_CONTAINER] = ig_val_str(c->k8s_container);
	v[F_IMAGE] = ig_val_str(c->image);
	v[F_K8S_UID] = ig_val_str(c->k8s_pod_uid);
	v[F_K8S_LABELS] = ig_val_str(join_labels(c, labels, sizeof(labels)));
	v[F_CGROUP] = ig_val_str(c->cgroup);
	v[F_BUNDLE] = ig_val_str(c->bundle);
	if (c->created_ns)
		v[F_CREATED] = ig_val_u64(c->created_ns);
	/* Without --watch there is no event column at all. */
	lc->err = ig_output__record(lc->out, lc->watch ? v : v + 1);
	if (!lc->err && lc->watch)
		lc->err = ig_output__flush(lc->out);
	return lc->err;
}

static void on_added(void *arg, const struct ig_container *c)
{
	struct lc *lc = arg;

	if (lc->watch && !lc->err && lc->cs && ig_containers__selected(lc->cs, c))
		print_one(lc, c, "ADDED");
}

static void on_removed(void *arg, const struct ig_container *c)
{
	struct lc *lc = arg;

	if (lc->watch && !lc->err && lc->cs && ig_containers__selected(lc->cs, c))
		print_one(lc, c, "REMOVED");
}

static int cmp_name(const void *a, const void *b)
{
	const struct ig_container *x = *(const struct ig_container *const *)a;
	const struct ig_container *y = *(const struct ig_container *const *)b;
	int r = strcmp(x->name, y->name);

	return r ? r : strcmp(x->id, y->id);
}

struct collect {
	struct ig_containers *cs;
	const struct ig_container **v;
	size_t n;
};

static int collect_one(void *arg, const struct ig_container *c)
{
	struct collect *col = arg;
	const struct ig_container **tmp;

	if ((c->flags & IG_CONTAINER_REMOVED) || !ig_containers__selected(col->cs, c))
		return 0;
	tmp = realloc(col->v, (col->n + 1) * sizeof(*tmp));
	if (!tmp)
		return -ENOMEM;
	col->v = tmp;
	col->v[col->n++] = c;
	return 0;
}

static int list_once(struct lc *lc, struct ig_containers *cs)
{
	struct collect col = { .cs = cs };
	int err;

	err = ig_containers__foreach(cs, collect_one, &col);
	if (!err && col.n)
		qsort(col.v, col.n, sizeof(*col.v), cmp_name);
	for (size_t i = 0; !err && i < col.n; i++)
		err = print_one(lc, col.v[i], NULL);
	free(col.v);
	return err;
}

static int out_write(void *arg, const void *p, size_t n)
{
	struct lc *lc = arg;

	return ig_outfd__write(&lc->out_w, p, n);
}

/* The events still queued for stdout: while its reader takes them, unless a
 * signal came (then hardly at all). */
static void watch_finish(struct lc *lc, int sfd, bool signalled)
{
	int err = ig_outfd__drain(&lc->out_w, sfd, signalled ? 50 : 5000);

	if (err == -ETIMEDOUT || err == -EINTR)
		ig_err("%zu bytes of output were not written: stdout's reader is not reading",
		       ig_outfd__pending(&lc->out_w));
	if (lc->dropped)
		ig_warn("%llu events were not written: stdout's reader did not keep up",
			lc->dropped);
}

/* Stream events until SIGINT/SIGTERM/SIGHUP, the timeout or a closed pipe.
 * Nothing here waits on stdout's reader (core/base/outfd.h). */
static int watch_loop(struct lc *lc, struct ig_containers *cs, long timeout_s,
		      const char *ready_file)
{
	struct pollfd pfd[3];
	struct timespec start, now;
	bool signalled = false;
	sigset_t mask;
	int sfd, err = 0;

	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	if (sfd < 0)
		return -errno;
	if (ig_containers__fds(cs, &pfd[0].fd, 1) != 1) {
		close(sfd);
		return -EINVAL;
	}
	pfd[0].events = POLLIN;
	pfd[1].fd = sfd;
	pfd[1].events = POLLIN;
	pfd[2].fd = lc->out_w.fd;
	if (ready_file && (err = ig_file__write_ready(ready_file)))
		goto out_close_sfd;
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (!lc->err) {
		int wait = -1, r;

		if (timeout_s > 0) {
			clock_gettime(CLOCK_MONOTONIC, &now);
			long left = timeout_s * 1000 - ((now.tv_sec - start.tv_sec) * 1000 +
							(now.tv_nsec - start.tv_nsec) / 1000000);
			if (left <= 0)
				break;
			wait = (int)left;
		}
		pfd[2].events = ig_outfd__pending(&lc->out_w) ? POLLOUT : 0;
		r = poll(pfd, 3, wait);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			err = -errno;
			break;
		}
		if (pfd[1].revents) {
			signalled = true;
			break;
		}
		if (pfd[0].revents)
			ig_containers__dispatch(cs, pfd[0].fd);
		if (pfd[2].revents) {
			r = ig_outfd__push(&lc->out_w);
			if (r && r != -EAGAIN)
				lc->err = r;
		}
	}
	ig_output__flush(lc->out);
	if (!lc->err)
		watch_finish(lc, sfd, signalled);
out_close_sfd:
	close(sfd);
	return err;
}

struct lc_args {
	struct ig_output_opts oopts;
	struct ig_containers_opts copts;
	const char *roots[MAX_ROOTS + 1];
	int nr_roots;
	long timeout_s;
	const char *ready_file;
	bool watch;
};

static const struct option longopts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "fields", required_argument, NULL, 'F' },
	{ "watch", no_argument, NULL, 'w' },
	{ "containername", required_argument, NULL, 'c' },
	{ "runtime-root", required_argument, NULL, 'R' },
	{ "timeout", required_argument, NULL, 't' },
	{ "ready-file", required_argument, NULL, 'r' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ 0 },
};

/* One option; 0, or the exit status to return now (2 after one line). */
static int parse_opt(struct lc_args *a, int opt)
{
	char err[256], *end;

	switch (opt) {
	case 'o':
		if (ig_output_format__parse(optarg, &a->oopts.format, err, sizeof(err))) {
			fprintf(stderr, "ig: %s\n", err);
			return 2;
		}
		return 0;
	case 'F':
		a->oopts.fields = optarg;
		return 0;
	case 'w':
		a->watch = true;
		return 0;
	case 'c':
		if (ctr_selector_check(optarg, err, sizeof(err))) {
			fprintf(stderr, "ig: %s\n", err);
			return 2;
		}
		a->copts.selector = optarg;
		return 0;
	case 'R':
		if (a->nr_roots == MAX_ROOTS || optarg[0] != '/') {
			fprintf(stderr, "ig: --runtime-root %s: give an absolute directory "
				"(at most %d of them)\n", optarg, MAX_ROOTS);
			return 2;
		}
		a->roots[a->nr_roots++] = optarg;
		return 0;
	case 't':
		a->timeout_s = strtol(optarg, &end, 10);
		if (*end || a->timeout_s <= 0) {
			fprintf(stderr, "ig: --timeout %s: give a whole number of seconds > 0\n",
				optarg);
			return 2;
		}
		return 0;
	case 'r':
		a->ready_file = optarg;
		return 0;
	case 'v':
		a->copts.verbose++;
		return 0;
	case 'h':
		usage(stdout);
		return -1;
	default:
		usage(stderr);
		return 2;
	}
}

/* 0 to go on, -1 after --help, 2 after a usage error. argv holds what
 * follows "list-containers" (main() strips it); getopt wants a name first. */
static int parse_args(struct lc_args *a, int argc, char **argv)
{
	char *args[MAX_ARGS + 2] = { "ig list-containers" };
	int opt, ret;

	if (argc > MAX_ARGS) {
		fprintf(stderr, "ig: list-containers: too many arguments (at most %d)\n", MAX_ARGS);
		return 2;
	}
	for (int i = 0; i < argc; i++)
		args[i + 1] = argv[i];
	optind = 1;
	while ((opt = getopt_long(argc + 1, args, "o:wc:t:vh", longopts, NULL)) != -1)
		if ((ret = parse_opt(a, opt)))
			return ret;
	if (optind < argc + 1) {
		fprintf(stderr, "ig: list-containers: unexpected argument '%s' (see --help)\n",
			args[optind]);
		return 2;
	}
	return 0;
}

int ig_cmd_list_containers(int argc, char **argv)
{
	struct lc_args a = {
		.oopts = { .sz = sizeof(a.oopts), .out = stdout },
		.copts = { .sz = sizeof(a.copts), .discover = true, .on_added = on_added,
			   .on_removed = on_removed },
	};
	struct ig_containers *cs = NULL;
	struct lc lc = { 0 };
	struct winsize ws;
	int ret;
	char err[256];

	ret = parse_args(&a, argc, argv);
	if (ret)
		return ret < 0 ? 0 : ret;
	if (geteuid() != 0) {
		/* Not three warnings and an empty list: one line. */
		ig_err("list-containers needs root: the runtimes' state under /run and the "
		       "containers' /proc/<pid>/ns are root's (running as uid %u); run it with "
		       "sudo", (unsigned int)geteuid());
		return 1;
	}
	if (a.copts.verbose > ig_verbose)
		ig_verbose = a.copts.verbose;
	lc.watch = a.watch;
	a.copts.runtime_roots = a.roots;
	a.copts.cb_arg = &lc;
	a.oopts.tty = isatty(STDOUT_FILENO);
	if (lc.watch) {
		ig_outfd__init(&lc.out_w, STDOUT_FILENO, WATCH_OUT_LIMIT);
		a.oopts.write = out_write;
		a.oopts.write_arg = &lc;
	}
	if (a.oopts.tty && !ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) && ws.ws_col)
		a.oopts.term_width = ws.ws_col;
	/* The output first: a bad --fields is a usage error before any work. */
	lc.out = ig_output__new(lc.watch ? fields : fields + 1, NR_FIELDS - !lc.watch, &a.oopts,
				err, sizeof(err));
	if (!lc.out) {
		fprintf(stderr, "ig: %s\n", errno == EINVAL ? err : strerror(errno));
		return 2;
	}
	ret = 1;
	cs = ig_containers__new(&a.copts);
	if (!cs) {
		fprintf(stderr, "ig: cannot set up container discovery: %s\n", strerror(errno));
		goto out_destroy;
	}
	lc.cs = cs;
	if (ig_containers__start(cs))
		goto out_destroy;
	if (lc.watch) {
		if (watch_loop(&lc, cs, a.timeout_s, a.ready_file))
			goto out_destroy;
	} else if (list_once(&lc, cs) && lc.err != -EPIPE) {
		fprintf(stderr, "ig: list-containers: %s\n", strerror(-lc.err));
		goto out_destroy;
	}
	ig_output__flush(lc.out);
	ret = 0;
out_destroy:
	lc.cs = NULL;	/* no REMOVED lines from the teardown */
	ig_containers__destroy(cs);
	ig_output__destroy(lc.out);
	if (lc.watch)
		ig_outfd__fini(&lc.out_w);
	return ret;
}
