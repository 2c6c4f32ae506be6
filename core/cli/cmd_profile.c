// SPDX-License-Identifier: Apache-2.0
/*
 * `ig profile merge A B ...` and `ig profile diff A B`: seccomp profiles (OCI
 * or SPO v1/v1beta1, JSON or YAML, mixed) merged into one normalised profile,
 * or compared after normalising both. The profile code is lib/seccomp/,
 * shared with the seccomp gadgets.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd_profile.h"
#include "core/base/log.h"
#include "lib/seccomp/diff.h"
#include "lib/seccomp/normal.h"
#include "lib/seccomp/parse.h"
#include "lib/seccomp/render.h"
#include "run_args.h"

#define MAX_INPUTS	256

struct popts {
	struct sp_merge_opts m;
	const char *output_file;
	const char *files[MAX_INPUTS];
	unsigned int nr_files;
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: ig profile merge [flags] FILE FILE...   the normalised union, on stdout\n"
		"       ig profile diff FILE_A FILE_B           what B allows that A does not (+)\n"
		"                                               and the other way round (-)\n\n"
		"FILEs are seccomp profiles: OCI linux.seccomp (or a config.json holding one) or\n"
		"Security Profiles Operator SeccompProfiles (v1, v1beta1), JSON or YAML, mixed.\n"
		"merge exits 0 (2: bad input); diff exits 0 when they allow the same, 1 when\n"
		"they differ, 2 on bad input.\n\n"
		"Flags (merge):\n"
		"  --format oci|spo          what to write (default: spo when every input is)\n"
		"  --spo-api v1|v1beta1      apiVersion of an SPO result (default: the inputs')\n"
		"  --name NAME               metadata.name of an SPO result\n"
		"  --output-file FILE        write there instead of stdout\n");
}

static void warn(void *arg, const char *msg)
{
	ig_warn("%s", msg);
}

static int value(int argc, char **argv, int *i, const char **out)
{
	const char *eq = strchr(argv[*i], '=');

	if (eq) {
		*out = eq + 1;
		return 0;
	}
	if (*i + 1 >= argc) {
		ig_err("%s needs a value", argv[*i]);
		return IG_EXIT_USAGE;
	}
	*out = argv[++*i];
	return 0;
}

static bool is_flag(const char *arg, const char *name)
{
	size_t n = strlen(name);

	return !strncmp(arg, name, n) && (!arg[n] || arg[n] == '=');
}

static int parse_args(int argc, char **argv, struct popts *o)
{
	const char *v;
	int i, ret;

	for (i = 0; i < argc; i++) {
		ret = 0;
		if (is_flag(argv[i], "--format")) {
			ret = value(argc, argv, &i, &v);
			if (!ret && strcmp(v, "oci") && strcmp(v, "spo")) {
				ig_err("--format %s: use oci or spo", v);
				return IG_EXIT_USAGE;
			}
			if (!ret)
				o->m.format = strcmp(v, "oci") ? SP_FMT_SPO : SP_FMT_OCI;
		} else if (is_flag(argv[i], "--spo-api")) {
			ret = value(argc, argv, &i, &o->m.api);
			if (!ret && strcmp(o->m.api, "v1") && strcmp(o->m.api, "v1beta1")) {
				ig_err("--spo-api %s: use v1 or v1beta1", o->m.api);
				return IG_EXIT_USAGE;
			}
		} else if (is_flag(argv[i], "--name")) {
			ret = value(argc, argv, &i, &o->m.name);
		} else if (is_flag(argv[i], "--output-file")) {
			ret = value(argc, argv, &i, &o->output_file);
		} else if (argv[i][0] == '-' && argv[i][1]) {
			ig_err("unknown flag '%s' (see 'ig profile --help')", argv[i]);
			return IG_EXIT_USAGE;
		} else if (o->nr_files == MAX_INPUTS) {
			ig_err("more than %d profiles: merge them in steps", MAX_INPUTS);
			return IG_EXIT_USAGE;
		} else {
			o->files[o->nr_files++] = argv[i];
		}
		if (ret)
			return ret;
	}
	return 0;
}

static int load_all(const struct popts *o, struct sp_profile **in)
{
	char err[SP_ERR_LEN];
	unsigned int i;

	for (i = 0; i < o->nr_files; i++) {
		in[i] = sp_profile__load(o->files[i], err, sizeof(err));
		if (!in[i]) {
			ig_err("%s", err);
			return IG_EXIT_USAGE;
		}
	}
	return 0;
}

static int write_out(const char *path, const char *text)
{
	size_t len = strlen(text), off = 0;
	ssize_t n;
	int fd = STDOUT_FILENO;

	if (path) {
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd < 0) {
			ig_err("--output-file %s: %s", path, strerror(errno));
			return 1;
		}
	}
	while (off < len && (n = write(fd, text + off, len - off)) > 0)
		off += (size_t)n;
	if ((off < len || (path && close(fd))) && errno != EPIPE) {
		ig_err("writing %s: %s", path ? path : "stdout", strerror(errno));
		return 1;
	}
	return 0;
}

static int merge(struct popts *o, struct sp_profile **in)
{
	struct sp_profile *out;
	char *text;
	int ret;

	if (!o->nr_files) {
		ig_err("ig profile merge: give the profiles to merge (see 'ig profile --help')");
		return IG_EXIT_USAGE;
	}
	out = sp_profile__merge(in, o->nr_files, &o->m);
	text = out ? sp_profile__render(out, NULL) : NULL;
	sp_profile__free(out);
	if (!text) {
		ig_err("merging: %s", strerror(errno));
		return 1;
	}
	ret = write_out(o->output_file, text);
	free(text);
	return ret;
}

static int diff(struct popts *o, struct sp_profile **in)
{
	int n;

	if (o->nr_files != 2 || o->output_file || o->m.format >= 0 || o->m.api || o->m.name) {
		ig_err("ig profile diff takes two profiles and no flags: ig profile diff A B");
		return IG_EXIT_USAGE;
	}
	n = sp_profile__diff(in[0], in[1], &o->m, stdout);
	if (n < 0) {
		ig_err("comparing: %s", strerror(-n));
		return IG_EXIT_USAGE;
	}
	return fflush(stdout) ? IG_EXIT_USAGE : n ? 1 : 0;
}

int ig_cmd_profile(int argc, char **argv)
{
	struct popts o = { .m = { .format = -1, .warn = warn } };
	struct sp_profile *in[MAX_INPUTS] = { 0 };
	bool is_merge;
	unsigned int i;
	int ret;

	if (argc < 1 || !strcmp(argv[0], "-h") || !strcmp(argv[0], "--help") ||
	    !strcmp(argv[0], "help")) {
		usage(argc < 1 ? stderr : stdout);
		return argc < 1 ? IG_EXIT_USAGE : 0;
	}
	is_merge = !strcmp(argv[0], "merge");
	if (!is_merge && strcmp(argv[0], "diff")) {
		ig_err("unknown 'ig profile' command '%s' (valid: merge, diff)", argv[0]);
		return IG_EXIT_USAGE;
	}
	ret = parse_args(argc - 1, argv + 1, &o);
	if (!ret)
		ret = load_all(&o, in);
	if (!ret)
		ret = is_merge ? merge(&o, in) : diff(&o, in);
	for (i = 0; i < o.nr_files; i++)
		sp_profile__free(in[i]);
	return ret;
}
