// SPDX-License-Identifier: Apache-2.0
/*
 * ig-runc: a runc wrapper that adds ig's OCI hook to every container it
 * creates, for engines that have no hooks.d (Docker, containerd 1.6): point
 * the engine at this binary instead of runc (dockerd --add-runtime,
 * containerd's runc options BinaryName, `ctr run --runc-binary`).
 *
 * On `create` and `run` it adds
 *     "createRuntime": [{"path": <ig>, "args": ["ig", "hook", "createRuntime"]}]
 * to the bundle's config.json (unless ig's hook is already there), then
 * execs the real runc with the arguments unchanged. Every other command goes
 * straight to runc. Like the hook itself it never keeps a container from
 * starting: if the config cannot be edited it says so on stderr (which the
 * engine logs) and runs runc anyway.
 *
 * ig: the `ig` next to this binary (build tree), else ../../bin/ig (an
 * install: <prefix>/libexec/ig/ig-runc). runc: $IG_RUNC_RUNTIME, else the
 * first `runc` on PATH that is not this program, else /usr/sbin/runc.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#define CONFIG_MAX	(16u << 20)	/* a config.json is tens of KiB */

/* runc's global flags that take a value (runc 1.1 `runc --help`). */
static const char *const global_with_value[] = {
	"--root", "--log", "--log-format", "--criu", "--rootless",
};

static bool takes_value(const char *arg)
{
	for (size_t i = 0; i < sizeof(global_with_value) / sizeof(*global_with_value); i++)
		if (!strcmp(arg, global_with_value[i]))
			return true;
	return false;
}

/* Index of the subcommand in argv, or 0 if there is none. */
static int find_command(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (argv[i][0] != '-')
			return i;
		if (!strcmp(argv[i], "--"))
			return i + 1 < argc ? i + 1 : 0;
		if (takes_value(argv[i]))
			i++;
	}
	return 0;
}

/* The bundle of `create`/`run` (--bundle DIR, --bundle=DIR, -b DIR), or
 * NULL for the default (the current directory). */
static const char *find_bundle(int argc, char **argv, int cmd)
{
	for (int i = cmd + 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if ((!strcmp(argv[i], "--bundle") || !strcmp(argv[i], "-b")) && i + 1 < argc)
			return argv[i + 1];
		if (!strncmp(argv[i], "--bundle=", 9))
			return argv[i] + 9;
		if (!strncmp(argv[i], "-b=", 3))
			return argv[i] + 3;
	}
	return NULL;
}

static bool same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	return !stat(a, &sa) && !stat(b, &sb) && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* The real runc: never this program, even when it is installed as "runc". */
static int find_runc(char *out, size_t size)
{
	const char *env = getenv("IG_RUNC_RUNTIME"), *path = getenv("PATH");
	char dirs[4096], cand[PATH_MAX];

	if (env && env[0] == '/' && !same_file(env, "/proc/self/exe")) {
		snprintf(out, size, "%s", env);
		return 0;
	}
	snprintf(dirs, sizeof(dirs), "%s", path ? path : "/usr/sbin:/usr/bin:/sbin:/bin");
	for (char *d = strtok(dirs, ":"); d; d = strtok(NULL, ":")) {
		if ((size_t)snprintf(cand, sizeof(cand), "%s/runc", d) >= sizeof(cand))
			continue;
		if (!access(cand, X_OK) && !same_file(cand, "/proc/self/exe")) {
			snprintf(out, size, "%s", cand);
			return 0;
		}
	}
	if (!access("/usr/sbin/runc", X_OK) && !same_file("/usr/sbin/runc", "/proc/self/exe")) {
		snprintf(out, size, "/usr/sbin/runc");
		return 0;
	}
	return -ENOENT;
}

/* ig next to this binary, or <prefix>/bin/ig from <prefix>/libexec/ig/. */
static int find_ig(char *out, size_t size)
{
	char self[PATH_MAX], cand[PATH_MAX + 32], *slash;
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n <= 0)
		return -errno;
	self[n] = '\0';
	slash = strrchr(self, '/');
	if (!slash)
		return -ENOENT;
	*slash = '\0';
	snprintf(cand, sizeof(cand), "%s/ig", self);
	if (access(cand, X_OK)) {
		snprintf(cand, sizeof(cand), "%s/../../bin/ig", self);
		if (access(cand, X_OK))
			return -ENOENT;
	}
	if (!realpath(cand, out) || strlen(out) >= size)
		return -ENOENT;
	return 0;
}

/* hooks.createRuntime gets ig's hook unless an entry runs `<ig> hook`. */
static int add_hook(json_t *cfg, const char *ig)
{
	json_t *hooks = json_object_get(cfg, "hooks"), *stage, *h, *v;
	size_t i;

	if (!hooks) {
		hooks = json_object();
		if (json_object_set_new(cfg, "hooks", hooks))
			return -ENOMEM;
	}
	if (!json_is_object(hooks))
		return -EINVAL;
	stage = json_object_get(hooks, "createRuntime");
	if (!stage) {
		stage = json_array();
		if (json_object_set_new(hooks, "createRuntime", stage))
			return -ENOMEM;
	}
	if (!json_is_array(stage))
		return -EINVAL;
	json_array_foreach(stage, i, v) {
		const char *p = json_string_value(json_object_get(v, "path"));
		const char *a1 = json_string_value(json_array_get(json_object_get(v, "args"), 1));

		if (p && a1 && !strcmp(p, ig) && !strcmp(a1, "hook"))
			return 0;
	}
	h = json_pack("{s:s, s:[s,s,s]}", "path", ig, "args", "ig", "hook", "createRuntime");
	if (!h || json_array_append_new(stage, h))
		return -ENOMEM;
	return 1;
}

/* Read config.json as a regular file of sane size (the bundle is the
 * engine's, but a symlink or a FIFO there is not something to follow). */
static json_t *load_config(int dirfd, struct stat *sb, char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *cfg = NULL;
	char *buf = NULL;
	ssize_t n;
	size_t off = 0;
	int fd;

	fd = openat(dirfd, "config.json", O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0 || fstat(fd, sb)) {
		snprintf(err, errlen, "config.json: %s", strerror(errno));
		goto out_close;
	}
	if (!S_ISREG(sb->st_mode) || sb->st_size > CONFIG_MAX) {
		snprintf(err, errlen, "config.json: not a regular file of at most 16 MiB");
		goto out_close;
	}
	buf = malloc((size_t)sb->st_size + 1);
	while (buf && off < (size_t)sb->st_size &&
	       (n = read(fd, buf + off, (size_t)sb->st_size - off)) > 0)
		off += (size_t)n;
	if (!buf || off != (size_t)sb->st_size) {
		snprintf(err, errlen, "config.json: short read");
		goto out_close;
	}
	cfg = json_loadb(buf, off, 0, &jerr);
	if (!json_is_object(cfg)) {
		snprintf(err, errlen, "config.json: not a JSON object (%s)", jerr.text);
		json_decref(cfg);
		cfg = NULL;
	}
out_close:
	free(buf);
	if (fd >= 0)
		close(fd);
	return cfg;
}

/* Write the edited config next to the old one and rename it over. */
static int save_config(int dirfd, json_t *cfg, const struct stat *sb, char *err, size_t errlen)
{
	char *text = json_dumps(cfg, JSON_COMPACT);
	size_t len = text ? strlen(text) : 0, off = 0;
	ssize_t n;
	int fd, ret = 0;

	if (!text) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	fd = openat(dirfd, ".config.json.ig-runc", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC |
		    O_NOFOLLOW, sb->st_mode & 07777);
	while (fd >= 0 && off < len && (n = write(fd, text + off, len - off)) > 0)
		off += (size_t)n;
	if (fd < 0 || off != len || fsync(fd) ||
	    renameat(dirfd, ".config.json.ig-runc", dirfd, "config.json")) {
		ret = -errno;
		snprintf(err, errlen, "cannot write config.json: %s", strerror(errno));
		unlinkat(dirfd, ".config.json.ig-runc", 0);
	}
	if (fd >= 0)
		close(fd);
	free(text);
	return ret;
}

static int hook_bundle(const char *bundle, char *err, size_t errlen)
{
	char ig[PATH_MAX];
	struct stat sb;
	json_t *cfg;
	int dirfd, ret;

	ret = find_ig(ig, sizeof(ig));
	if (ret) {
		snprintf(err, errlen, "cannot find ig next to ig-runc or in ../../bin");
		return ret;
	}
	dirfd = open(bundle ? bundle : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0) {
		snprintf(err, errlen, "bundle %s: %s", bundle ? bundle : ".", strerror(errno));
		return -errno;
	}
	cfg = load_config(dirfd, &sb, err, errlen);
	ret = cfg ? add_hook(cfg, ig) : -EINVAL;
	if (ret < 0 && cfg)
		snprintf(err, errlen, "config.json: \"hooks\" is not an OCI hooks object");
	if (ret > 0)
		ret = save_config(dirfd, cfg, &sb, err, errlen);
	json_decref(cfg);
	close(dirfd);
	return ret < 0 ? ret : 0;
}

int main(int argc, char **argv)
{
	char runc[PATH_MAX], err[512];
	int cmd = find_command(argc, argv);

	if (find_runc(runc, sizeof(runc))) {
		fprintf(stderr, "ig-runc: cannot find runc (set IG_RUNC_RUNTIME to its path)\n");
		return 127;
	}
	if (cmd && (!strcmp(argv[cmd], "create") || !strcmp(argv[cmd], "run")) &&
	    hook_bundle(find_bundle(argc, argv, cmd), err, sizeof(err)))
		fprintf(stderr, "ig-runc: ig's hook not added, the container runs without it: %s\n",
			err);
	argv[0] = "runc";
	execv(runc, argv);
	fprintf(stderr, "ig-runc: cannot run %s: %s\n", runc, strerror(errno));
	return 127;
}
