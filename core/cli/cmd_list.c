// SPDX-License-Identifier: Apache-2.0
/* `ig list`: every usable gadget on the search path; refused files are
 * reported one line each on stderr. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cmd_list.h"
#include "core/base/log.h"
#include "core/base/text.h"
#include "core/engine/loader.h"
#include "run_args.h"

struct row {
	char *cols[5];		/* name, version, kind, summary, path */
};

struct list_ctx {
	bool json;
	struct row *rows;
	size_t nr;
};

static const char *kind_name(uint32_t kind)
{
	if ((kind & IG_KIND_TRACE) && (kind & IG_KIND_ADVISE))
		return "trace+advise";
	if (kind & IG_KIND_ADVISE)
		return "advise";
	return "trace";
}

/* A terminal-safe copy: a descriptor's strings are the gadget's to choose. */
static char *safe_dup(const char *s)
{
	size_t n = strlen(s), size = 4 * n + 1;
	char *d = malloc(size);

	if (d)
		ig_text__sanitize(d, size, s, n, 0);
	return d;
}

/* Rows are collected first (the gadget is closed after this returns) so the
 * table's columns fit the longest value. */
static int collect(void *arg, const struct ig_gadget_mod *m)
{
	const struct ig_gadget_desc *d = m->desc;
	struct list_ctx *lc = arg;
	struct row *grown, *r;

	grown = realloc(lc->rows, (lc->nr + 1) * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	lc->rows = grown;
	r = &lc->rows[lc->nr++];
	r->cols[0] = safe_dup(d->name);
	r->cols[1] = safe_dup(d->version ? d->version : "");
	r->cols[2] = safe_dup(kind_name(d->kind));
	r->cols[3] = safe_dup(d->summary ? d->summary : "");
	r->cols[4] = safe_dup(m->path);
	return 0;
}

static void print_rows(const struct list_ctx *lc)
{
	static const char *const heads[5] = { "NAME", "VERSION", "KIND", "SUMMARY", "PATH" };
	static const char *const keys[5] = { "name", "version", "kind", "summary", "path" };
	int w[5] = { 0 }, c;
	size_t i;

	for (c = 0; c < 5; c++) {
		w[c] = (int)strlen(heads[c]);
		for (i = 0; i < lc->nr; i++)
			if (lc->rows[i].cols[c] && (int)strlen(lc->rows[i].cols[c]) > w[c])
				w[c] = (int)strlen(lc->rows[i].cols[c]);
	}
	if (!lc->json)
		printf("%-*s  %-*s  %-*s  %-*s  %s\n", w[0], heads[0], w[1], heads[1], w[2],
		       heads[2], w[3], heads[3], heads[4]);
	for (i = 0; i < lc->nr; i++) {
		char *const *v = lc->rows[i].cols;

		if (lc->json) {
			json_t *o = json_object();

			for (c = 0; c < 5; c++)
				json_object_set_new(o, keys[c], json_string(v[c] ? v[c] : ""));
			json_dumpf(o, stdout, JSON_COMPACT);
			putchar('\n');
			json_decref(o);
		} else {
			printf("%-*s  %-*s  %-*s  %-*s  %s\n", w[0], v[0], w[1], v[1], w[2], v[2],
			       w[3], v[3], v[4]);
		}
	}
}

static void free_rows(struct list_ctx *lc)
{
	size_t i;
	int c;

	for (i = 0; i < lc->nr; i++)
		for (c = 0; c < 5; c++)
			free(lc->rows[i].cols[c]);
	free(lc->rows);
}

static void list_usage(FILE *out)
{
	fprintf(out, "Usage: ig list [--gadget-path DIR] [-o table|json] [-v]\n"
		"List the gadgets ig can run, with the file each comes from.\n");
}

int ig_cmd_list(int argc, char **argv)
{
	struct list_ctx lc = { 0 };
	const char *path = NULL;
	int i, n;

	for (i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			list_usage(stdout);
			return 0;
		} else if (!strcmp(a, "--gadget-path") && i + 1 < argc) {
			path = argv[++i];
		} else if (!strncmp(a, "--gadget-path=", 14)) {
			path = a + 14;
		} else if ((!strcmp(a, "-o") || !strcmp(a, "--output")) && i + 1 < argc) {
			a = argv[++i];
			goto fmt;
		} else if (!strncmp(a, "--output=", 9) || !strncmp(a, "-o", 2)) {
			a = a[1] == '-' ? a + 9 : a + 2;
fmt:
			if (strcmp(a, "table") && strcmp(a, "json")) {
				ig_err("unknown output format '%s' for ig list "
				       "(valid: table, json)", a);
				return IG_EXIT_USAGE;
			}
			lc.json = !strcmp(a, "json");
		} else if (a[0] == '-' && strspn(a + 1, "v") == strlen(a + 1) && a[1]) {
			ig_verbose += (int)strlen(a + 1);
		} else {
			ig_err("unknown argument '%s' for ig list (valid: --gadget-path DIR, "
			       "-o table|json, -v)", a);
			return IG_EXIT_USAGE;
		}
	}
	n = ig_loader__foreach(path, false, collect, &lc);
	if (n < 0) {
		ig_err("cannot list gadgets: %s", strerror(-n));
		free_rows(&lc);
		return 1;
	}
	print_rows(&lc);
	free_rows(&lc);
	return 0;
}
