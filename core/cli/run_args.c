// SPDX-License-Identifier: Apache-2.0
/* `ig run` argument parsing: global flags from a table, gadget flags from the
 * gadget's own table (params.c). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/log.h"
#include "core/containers/selector.h"
#include "run_args.h"

enum gflag {
	GF_OUTPUT, GF_FIELDS, GF_TIMEOUT, GF_CONTAINER, GF_HOST, GF_VERBOSE,
	GF_GADGET_PATH, GF_RUNTIME_ROOT, GF_READY_FILE, GF_ALLOW_LOSS, GF_OUTPUT_FILE, GF_RUNS,
	GF_HELP,
};

static const struct {
	const char *name;
	char short_name;
	bool has_arg;
	const char *arg;
	const char *help;
} gflags[] = {
	[GF_OUTPUT] = { "output", 'o', true, "FMT",
			"output format: table, json, jsonpretty, yaml" },
	[GF_FIELDS] = { "fields", 0, true, "LIST",
			"columns: a,b picks; +x,-y edits the default set" },
	[GF_TIMEOUT] = { "timeout", 't', true, "SECONDS", "stop after this long" },
	[GF_CONTAINER] = { "containername", 'c', true, "NAME[,NAME]", "only these containers" },
	[GF_HOST] = { "host", 0, false, NULL, "trace the whole host, no filtering" },
	[GF_VERBOSE] = { "verbose", 'v', false, NULL, "more logs (-vv: debug, libbpf output)" },
	[GF_GADGET_PATH] = { "gadget-path", 0, true, "DIR", "look for gadgets here first" },
	[GF_RUNTIME_ROOT] = { "runtime-root", 0, true, "DIR", "extra container runtime state dir" },
	[GF_READY_FILE] = { "ready-file", 0, true, "PATH",
			    "write ig's pid here once the gadget is attached" },
	[GF_ALLOW_LOSS] = { "allow-loss", 0, false, NULL,
			    "exit 0 even when events or records were lost (else exit 3)" },
	[GF_OUTPUT_FILE] = { "output-file", 0, true, "FILE",
			     "records and reports go to FILE; the command keeps stdout" },
	[GF_RUNS] = { "runs", 0, true, "N",
		      "run -- COMMAND N times, each traced from its execve; advisors merge" },
	[GF_HELP] = { "help", 'h', false, NULL, "show help (after a gadget: the gadget's)" },
};

void ig_run_args__global_help(FILE *out)
{
	size_t i;

	fprintf(out, "Global flags:\n");
	for (i = 0; i < IG_ARRAY_SIZE(gflags); i++) {
		char left[64];

		snprintf(left, sizeof(left), "%s%c%s--%s%s%s",
			 gflags[i].short_name ? "-" : "   ",
			 gflags[i].short_name ? gflags[i].short_name : ' ',
			 gflags[i].short_name ? ", " : "", gflags[i].name,
			 gflags[i].arg ? " " : "", gflags[i].arg ? gflags[i].arg : "");
		fprintf(out, "  %-32s %s\n", left, gflags[i].help);
	}
	fprintf(out, "  %-32s %s\n", "-- COMMAND [ARGS...]",
		"run COMMAND and trace it and its children; exit with its status");
}

/*
 * Match argv[*i] against the global flags. Returns 1 (matched: *flag, *val,
 * *used set), 0 (not a global flag), or -1 (flag needs a value; error
 * printed). "-vv" counts as two -v.
 */
static int match_global(int argc, char **argv, int i, int *flag, const char **val, int *used)
{
	const char *a = argv[i], *eq;
	size_t k, len;

	*val = NULL;
	*used = 1;
	if (a[0] != '-' || !a[1])
		return 0;
	if (a[1] == '-') {
		eq = strchr(a + 2, '=');
		len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
		for (k = 0; k < IG_ARRAY_SIZE(gflags); k++)
			if (strlen(gflags[k].name) == len && !strncmp(gflags[k].name, a + 2, len))
				break;
		if (k == IG_ARRAY_SIZE(gflags))
			return 0;
		if (eq && !gflags[k].has_arg) {
			ig_err("--%s takes no value", gflags[k].name);
			return -1;
		}
		*val = eq ? eq + 1 : NULL;
	} else {
		for (k = 0; k < IG_ARRAY_SIZE(gflags); k++)
			if (gflags[k].short_name == a[1])
				break;
		if (k == IG_ARRAY_SIZE(gflags))
			return 0;
		if (k == GF_VERBOSE && strspn(a + 1, "v") != strlen(a + 1))
			return 0;
		if (a[2] && gflags[k].has_arg)
			*val = a[2] == '=' ? a + 3 : a + 2;
		else if (a[2] && k != GF_VERBOSE)
			return 0;
	}
	*flag = (int)k;
	if (gflags[k].has_arg && !*val) {
		if (i + 1 >= argc) {
			ig_err("--%s needs a value (%s)", gflags[k].name, gflags[k].arg);
			return -1;
		}
		*val = argv[i + 1];
		*used = 2;
	}
	return 1;
}

static int apply(struct ig_run_opts *o, int flag, const char *arg, const char *val)
{
	char *end, err[256];

	switch (flag) {
	case GF_OUTPUT:
		o->output = val;
		break;
	case GF_FIELDS:
		o->fields = val;
		break;
	case GF_TIMEOUT:
		errno = 0;
		o->timeout = strtod(val, &end);
		if (errno || *end || !*val || !isfinite(o->timeout) || o->timeout <= 0 ||
		    o->timeout > IG_TIMEOUT_MAX) {
			ig_err("invalid --timeout '%s': expected a number of seconds > 0 and at "
			       "most %d (about 31 years)", val, IG_TIMEOUT_MAX);
			return IG_EXIT_USAGE;
		}
		break;
	case GF_CONTAINER:
		/* Checked here so a bad -c is a usage error before any loading;
		 * the container table parses it once more, once. */
		if (ctr_selector_check(val, err, sizeof(err))) {
			ig_err("%s", err);
			return IG_EXIT_USAGE;
		}
		o->containers = val;
		break;
	case GF_HOST:
		o->host = true;
		break;
	case GF_VERBOSE:
		ig_verbose += arg[1] == '-' ? 1 : (int)strlen(arg + 1);
		break;
	case GF_GADGET_PATH:
		if (o->gadget_path_buf) {
			size_t len = strlen(o->gadget_path_buf) + strlen(val) + 2;
			char *joined = malloc(len);

			if (!joined)
				return 1;
			snprintf(joined, len, "%s:%s", o->gadget_path_buf, val);
			free(o->gadget_path_buf);
			o->gadget_path_buf = joined;
		} else {
			o->gadget_path_buf = strdup(val);
		}
		o->gadget_path = o->gadget_path_buf;
		break;
	case GF_RUNTIME_ROOT:
		if (o->nr_runtime_roots + 1 >= (int)IG_ARRAY_SIZE(o->runtime_roots)) {
			ig_err("too many --runtime-root flags (at most %zu)",
			       IG_ARRAY_SIZE(o->runtime_roots) - 1);
			return IG_EXIT_USAGE;
		}
		o->runtime_roots[o->nr_runtime_roots++] = val;
		break;
	case GF_READY_FILE:
		o->ready_file = val;
		break;
	case GF_ALLOW_LOSS:
		o->allow_loss = true;
		break;
	case GF_OUTPUT_FILE:
		if (!*val) {
			ig_err("--output-file needs a file name");
			return IG_EXIT_USAGE;
		}
		o->output_file = val;
		break;
	case GF_RUNS: {
		unsigned long n;

		errno = 0;
		n = strtoul(val, &end, 10);
		if (errno || *end || !*val || *val == '-' || !n || n > 10000) {
			ig_err("invalid --runs '%s': expected a number of runs, 1..10000", val);
			return IG_EXIT_USAGE;
		}
		o->runs = (unsigned int)n;
		break;
	}
	case GF_HELP:
		o->help = true;
		break;
	}
	return 0;
}

static void reset(struct ig_run_opts *o)
{
	free(o->gadget_path_buf);
	memset(o, 0, sizeof(*o));
	o->output = "table";
}

/*
 * If argv[*i] is a global flag, apply it and step *i past it (and its value).
 * Returns 0 or an exit code; *taken says whether argv[*i] was a global flag.
 */
static int take_global(struct ig_run_opts *o, int argc, char **argv, int *i, bool *taken)
{
	int flag, used, m, ret;
	const char *val;

	*taken = false;
	m = match_global(argc, argv, *i, &flag, &val, &used);
	if (m < 0)
		return IG_EXIT_USAGE;
	if (!m)
		return 0;
	ret = apply(o, flag, argv[*i], val);
	if (ret)
		return ret;
	*i += used;
	*taken = true;
	return 0;
}

int ig_run_args__scan(int argc, char **argv, struct ig_run_opts *o)
{
	int i = 0, ret;
	bool taken;

	reset(o);
	while (i < argc && strcmp(argv[i], "--")) {
		ret = take_global(o, argc, argv, &i, &taken);
		if (ret)
			return ret;
		if (taken)
			continue;
		if (argv[i][0] != '-' && !o->gadget)
			o->gadget = argv[i];
		i++;
	}
	return 0;
}

int ig_run_args__parse(int argc, char **argv, struct ig_run_opts *o, struct ig_params *params,
		       const struct ig_param *tab, size_t nr_params)
{
	const char *gadget = o->gadget;
	int i = 0, ret;
	char err[512], names[512];
	bool seen_gadget = false, taken;

	reset(o);
	o->gadget = gadget;
	ig_verbose = 0;
	while (i < argc) {
		if (!strcmp(argv[i], "--")) {
			if (i + 1 >= argc) {
				ig_err("'--' must be followed by a command to run");
				return IG_EXIT_USAGE;
			}
			o->command = argv + i + 1;
			break;
		}
		ret = take_global(o, argc, argv, &i, &taken);
		if (ret)
			return ret;
		if (taken)
			continue;
		if (argv[i][0] != '-' && !seen_gadget && !strcmp(argv[i], gadget)) {
			seen_gadget = true;
			i++;
			continue;
		}
		ret = params ? ig_params__parse_arg(params, argc, argv, &i, err, sizeof(err)) : 0;
		if (ret < 0) {
			ig_err("%s", err);
			return IG_EXIT_USAGE;
		}
		if (ret > 0)
			continue;
		ig_params__names(tab, nr_params, names, sizeof(names));
		if (argv[i][0] == '-')
			ig_err("unknown flag '%s' for gadget %s (gadget flags: %s; global flags: "
			       "see 'ig run %s --help')", argv[i], gadget, names, gadget);
		else
			ig_err("unexpected argument '%s' (to run a command, put it after '--')",
			       argv[i]);
		return IG_EXIT_USAGE;
	}
	return 0;
}

void ig_run_args__free(struct ig_run_opts *o)
{
	free(o->gadget_path_buf);
	o->gadget_path_buf = NULL;
}
