// SPDX-License-Identifier: Apache-2.0
/*
 * `ig hook <stage>`: an OCI hook that tells every running ig about a
 * container before it runs, so that a gadget sees its first instruction.
 *
 * Configure it as a createRuntime (or prestart) hook to register the
 * container and as a poststop hook to retire it:
 *     "hooks": {"createRuntime": [{"path": "/usr/local/bin/ig",
 *                                  "args": ["ig", "hook", "createRuntime"]}]}
 * The runtime writes the OCI state ({"id", "pid", "bundle", "annotations"})
 * on stdin. This sends it to every ig listening in the hook directory
 * (/run/ig/ig-<pid>.sock, one per running ig) and waits until each has
 * registered the container (it is in the BPF filter and the gadgets know it)
 * or IG_HOOK_TIMEOUT_MS passed. With no ig running it returns at once. It
 * exits 0 whatever the igs answer: a wedged or absent ig never stops a
 * container from starting.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "cmd_hook.h"
#include "core/base/text.h"
#include "core/containers/hook_server.h"

#define HOOK_MAX_PEERS	32

static const char *const stages[] = {
	"createRuntime", "createContainer", "startContainer", "prestart", "poststart",
	"poststop",
};

static void usage(FILE *f)
{
	fprintf(f, "usage: ig hook createRuntime|prestart|poststop  (OCI state JSON on stdin)\n"
		"An OCI hook: registers the container with every running ig before it starts,\n"
		"so gadgets see it from its first instruction. Never blocks the container\n"
		"for more than %d ms; returns at once when no ig runs.\n", IG_HOOK_TIMEOUT_MS);
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* The message, smaller if needed: annotations other than Kubernetes' go
 * first, then all of them (the id and pid are what matters). */
static char *build_msg(const char *stage, json_t *state, size_t *len)
{
	json_t *msg = json_pack("{s:s, s:O}", "stage", stage, "state", state);
	json_t *annots, *v;
	const char *key;
	void *tmp;
	char *text;

	if (!msg)
		return NULL;
	text = json_dumps(msg, JSON_COMPACT);
	annots = json_object_get(json_object_get(msg, "state"), "annotations");
	if (text && strlen(text) > IG_HOOK_MAX_MSG && json_is_object(annots)) {
		free(text);
		json_object_foreach_safe(annots, tmp, key, v)
			if (strncmp(key, "io.kubernetes.", 14))
				json_object_del(annots, key);
		text = json_dumps(msg, JSON_COMPACT);
		if (text && strlen(text) > IG_HOOK_MAX_MSG) {
			free(text);
			json_object_clear(annots);
			text = json_dumps(msg, JSON_COMPACT);
		}
	}
	json_decref(msg);
	if (text)
		*len = strlen(text);
	return text;
}

/* Connect to one ig; -1 if nobody listens there (and remove a stale socket). */
static int connect_peer(const char *dir, const char *name)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd;

	if ((size_t)snprintf(addr.sun_path, sizeof(addr.sun_path), "%s/%s", dir, name) >=
	    sizeof(addr.sun_path))
		return -1;
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr))) {
		if (errno == ECONNREFUSED)
			unlink(addr.sun_path);	/* its ig is gone */
		close(fd);
		return -1;
	}
	return fd;
}

static int notify_all(const char *msg, size_t len)
{
	struct pollfd pfd[HOOK_MAX_PEERS];
	const char *dir = ig_hook_dir();
	int n = 0, waiting, done = 0;
	struct dirent *de;
	long deadline;
	DIR *d;
	char buf[16], why[160];

	int check = ig_hook_dir_check(dir, why, sizeof(why));

	if (check == -EPERM || check == -EACCES) {
		fprintf(stderr, "ig hook: %s %s: not talking to the igs there\n", dir, why);
		return 0;
	}
	d = opendir(dir);
	if (!d)
		return 0;	/* no ig ever listened here */
	while ((de = readdir(d)) && n < HOOK_MAX_PEERS) {
		size_t l = strlen(de->d_name);
		int fd;

		if (strncmp(de->d_name, "ig-", 3) || l < 8 || strcmp(de->d_name + l - 5, ".sock"))
			continue;
		fd = connect_peer(dir, de->d_name);
		if (fd < 0)
			continue;
		if (send(fd, msg, len, MSG_NOSIGNAL) != (ssize_t)len) {
			close(fd);
			continue;
		}
		pfd[n].fd = fd;
		pfd[n].events = POLLIN;
		n++;
	}
	closedir(d);
	/* Wait for all replies together: one slow ig costs the timeout once. */
	deadline = now_ms() + IG_HOOK_TIMEOUT_MS;
	for (waiting = n; waiting > 0;) {
		long left = deadline - now_ms();
		int r;

		if (left <= 0)
			break;
		r = poll(pfd, (nfds_t)n, (int)left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		for (int i = 0; i < n; i++) {
			if (pfd[i].fd < 0 || !pfd[i].revents)
				continue;
			done += recv(pfd[i].fd, buf, sizeof(buf), 0) == 2;
			close(pfd[i].fd);
			pfd[i].fd = -1;
			waiting--;
		}
	}
	for (int i = 0; i < n; i++)
		if (pfd[i].fd >= 0) {
			fprintf(stderr, "ig hook: an ig did not answer within %d ms; "
				"going on without it\n", IG_HOOK_TIMEOUT_MS);
			close(pfd[i].fd);
		}
	return done;
}

int ig_cmd_hook(int argc, char **argv)
{
	json_error_t jerr;
	const char *stage;
	json_t *state;
	size_t len;
	bool known = false;
	char *msg;

	/* argv holds the arguments after "hook": the stage alone. */
	if (argc == 1 && (!strcmp(argv[0], "-h") || !strcmp(argv[0], "--help"))) {
		usage(stdout);
		return 0;
	}
	if (argc != 1) {
		usage(stderr);
		return 2;
	}
	stage = argv[0];
	for (size_t i = 0; i < sizeof(stages) / sizeof(stages[0]); i++)
		known |= !strcmp(stage, stages[i]);
	if (!known) {
		char safe[256];

		ig_text__sanitize(safe, sizeof(safe), stage, strlen(stage), 0);
		fprintf(stderr, "ig hook: unknown stage '%s' (valid: createRuntime, "
			"createContainer, startContainer, prestart, poststart, poststop)\n", safe);
		return 2;
	}
	if (isatty(STDIN_FILENO)) {
		fprintf(stderr, "ig hook: expects the OCI state JSON on stdin: configure it as "
			"an OCI hook in config.json, do not run it by hand\n");
		return 2;
	}
	state = json_loadf(stdin, JSON_DISABLE_EOF_CHECK, &jerr);
	if (!json_is_object(state) || !json_is_string(json_object_get(state, "id"))) {
		fprintf(stderr, "ig hook: stdin is not an OCI state object with an \"id\" "
			"(%s)\n", state ? "missing id" : jerr.text);
		json_decref(state);
		return 1;
	}
	msg = build_msg(stage, state, &len);
	json_decref(state);
	if (!msg) {
		fprintf(stderr, "ig hook: out of memory\n");
		return 0;
	}
	notify_all(msg, len);
	free(msg);
	return 0;
}
