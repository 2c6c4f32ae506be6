/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Gadget parameters (internal): parse and validate `--name VALUE` flags
 * against a gadget's ig_param table, hold the values for host->param(), and
 * render the table as help. Pure functions, unit-tested without a kernel.
 */
#ifndef IG_CORE_ENGINE_PARAMS_H
#define IG_CORE_ENGINE_PARAMS_H

#include <stdio.h>

#include <ig/gadget.h>

struct ig_params;

/* tab: n host-sized entries (see loader.h), borrowed. Defaults are parsed
 * now: a bad default in the table is an error (NULL, errno EINVAL, err). */
struct ig_params *ig_params__new(const struct ig_param *tab, size_t n, char *err, size_t errlen);
void ig_params__destroy(struct ig_params *p);

/* Set one parameter from text (value NULL: a bare boolean flag). -ENOENT
 * for an unknown name, -EINVAL for a bad value; err says which and why. */
int ig_params__set(struct ig_params *p, const char *name, const char *value,
		   char *err, size_t errlen);

/*
 * Try argv[*i] as a gadget flag: "--name", "--name=V", "--name V", "-x V".
 * Returns 1 and advances *i past what it used, 0 if argv[*i] names no
 * parameter (the caller decides), or -EINVAL with err set.
 */
int ig_params__parse_arg(struct ig_params *p, int argc, char **argv, int *i,
			 char *err, size_t errlen);

/* Every IG_PT_DIR value is a directory where files can be created (made
 * with its parents when missing, and checked, before the gadget records
 * anything, so its results have somewhere to go). 0, or -errno with "--output-dir /proc: cannot create files there:
 * ..." in err. */
int ig_params__check_dirs(const struct ig_params *p, char *err, size_t errlen);

/* Value by long name; NULL (errno ENOENT) if undeclared. */
const struct ig_param_value *ig_params__get(const struct ig_params *p, const char *name);

/* "--a, --b, -x/--c" into buf, for error messages. */
void ig_params__names(const struct ig_param *tab, size_t n, char *buf, size_t len);

/* The "Gadget flags:" section of `ig run <g> --help`. */
void ig_params__help(const struct ig_param *tab, size_t n, FILE *out);

#endif /* IG_CORE_ENGINE_PARAMS_H */
