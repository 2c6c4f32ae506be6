// SPDX-License-Identifier: Apache-2.0
/* `ig list`: every usable gadget on the search path; refused files are
 * reported one line each on stderr. */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "loader.h"
#include "log.h"

int ig_cmd_list(int argc, char **argv);

struct list_ctx {
	bool json;
};

static const char *kind_name(uint32_t kind)
{
	if ((kind & IG_KIND_TRACE) && (kind & IG_KIND_ADVISE))
		return "trace+advise";
	if (kind & IG_KIND_ADVISE)
		return "advise";
	return "trace";
}

static int print_one(void *arg, const struct ig_gadget_mod *m)
{
	const struct ig_gadget_desc *d = m->desc;
	struct list_ctx *lc = arg;

	if (lc->json) {
		json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "name", d->name,
				      "version", d->version ? d->version : "",
				      "kind", kind_name(d->kind),
				      "summary", d->summary ? d->summary : "", "path", m->path);

		if (o) {
			json_dumpf(o, stdout, JSON_COMPACT);
			putchar('\n');
			json_decref(o);
		}
		return 0;
	}
	printf("%-20s %-8s %-13s %-50s %s\n", d->name, d->version ? d->version : "",
	       kind_name(d->kind), d->summary ? d->summary : "", m->path);
	return 0;
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
				ig_err("unknown output format '%s' for ig list (valid: table, json)",
				       a);
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
	if (!lc.json)
		printf("%-20s %-8s %-13s %-50s %s\n", "NAME", "VERSION", "KIND", "SUMMARY",
		       "PATH");
	n = ig_loader__foreach(path, false, print_one, &lc);
	if (n < 0) {
		ig_err("cannot list gadgets: %s", strerror(-n));
		return 1;
	}
	return 0;
}
