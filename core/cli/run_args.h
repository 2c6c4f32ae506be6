/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Command-line parsing for `ig run` (internal). Global flags are recognised
 * anywhere before "--"; anything else that looks like a flag must be one of
 * the gadget's parameters. Usage errors print one line and exit 2.
 */
#ifndef IG_CORE_CLI_RUN_ARGS_H
#define IG_CORE_CLI_RUN_ARGS_H

#include <stdbool.h>

#include "core/engine/params.h"

#define IG_EXIT_USAGE	2
/* The run ended, but events or records were lost, or output could not be
 * written: the results are incomplete (unless --allow-loss). */
#define IG_EXIT_INCOMPLETE	3

/* --timeout: anything longer is surely a typo (and would overflow the
 * timer's nanoseconds). */
#define IG_TIMEOUT_MAX		1000000000

struct ig_run_opts {
	const char *gadget;		/* gadget name */
	const char *output;		/* -o, "table" by default */
	const char *fields;		/* --fields or NULL */
	double timeout;			/* -t seconds, 0 = none */
	const char *containers;		/* -c selector or NULL */
	bool host;			/* --host */
	bool help;			/* -h/--help */
	const char *gadget_path;	/* --gadget-path (colon-joined when repeated) */
	const char *runtime_roots[16];	/* --runtime-root, NULL-terminated */
	int nr_runtime_roots;
	const char *ready_file;		/* --ready-file */
	const char *output_file;	/* --output-file: records and reports go there */
	unsigned int runs;		/* --runs N (0: not given) */
	bool allow_loss;		/* --allow-loss: exit 0 even when incomplete */
	char **command;			/* after "--": NULL-terminated, or NULL */
	char *gadget_path_buf;		/* owned storage for joined --gadget-path */
};

/*
 * Pass 1: find the gadget name and the global flags (notably --gadget-path
 * and -v, needed to load the gadget). Gadget flags are skipped over where
 * they can be told apart; they are checked in pass 2. Returns 0, or
 * IG_EXIT_USAGE after printing the error.
 */
int ig_run_args__scan(int argc, char **argv, struct ig_run_opts *o);

/* Pass 2: parse everything again with the gadget's parameters known.
 * Returns 0 or IG_EXIT_USAGE after printing one line. */
int ig_run_args__parse(int argc, char **argv, struct ig_run_opts *o, struct ig_params *params,
		       const struct ig_param *tab, size_t nr_params);

void ig_run_args__free(struct ig_run_opts *o);

/* The "Global flags:" block shared by `ig help` and `ig run --help`. */
void ig_run_args__global_help(FILE *out);

#endif /* IG_CORE_CLI_RUN_ARGS_H */
