// SPDX-License-Identifier: Apache-2.0
/*
 * `ig doctor [-o table|json|jsonpretty|yaml] [--gadget-path DIR] [-v]`
 *
 * What this kernel gives ig: its release, BTF, lockdown, every kernel
 * feature ig may use (probed: program and attach types, helpers, kfuncs),
 * and for each gadget either "ready" with the attach points it would get, or
 * the one line ig run prints when it cannot start it. The answers are the
 * ones ig run uses (core/engine/kfeat.c, hooks.c), so IG_DISABLE_FEATURES
 * shows here too.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <jansson.h>

#include "cmd_doctor.h"
#include "run_args.h"
#include "core/base/log.h"
#include "core/engine/hooks.h"
#include "core/engine/kfeat.h"
#include "core/engine/loader.h"
#include "output/output.h"

#define BTF_PATH	"/sys/kernel/btf/vmlinux"
#define LOCKDOWN_PATH	"/sys/kernel/security/lockdown"

/* The mode in brackets of "none [integrity] confidentiality"; securityfs is
 * mounted when it is not (as ig run mounts tracefs). */
static void lockdown(char *buf, size_t len)
{
	char line[128] = "";
	char *open, *close;
	FILE *f = fopen(LOCKDOWN_PATH, "re");

	if (!f && errno == ENOENT && !access("/sys/kernel/security", F_OK) &&
	    !mount("securityfs", "/sys/kernel/security", "securityfs", 0, NULL)) {
		ig_info("mounted securityfs on /sys/kernel/security");
		f = fopen(LOCKDOWN_PATH, "re");
	}
	if (!f) {
		snprintf(buf, len, "unknown (%s: %s)", LOCKDOWN_PATH, strerror(errno));
		return;
	}
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	fclose(f);
	open = strchr(line, '[');
	close = open ? strchr(open, ']') : NULL;
	if (open && close)
		snprintf(buf, len, "%.*s", (int)(close - open - 1), open + 1);
	else
		snprintf(buf, len, "unknown (%s)", line);
}

static json_t *kernel_doc(void)
{
	char mode[160];
	struct utsname u;

	uname(&u);
	lockdown(mode, sizeof(mode));
	return json_pack("{s:s, s:b, s:s}", "release", u.release, "btf",
			 !access(BTF_PATH, R_OK), "lockdown", mode);
}

static json_t *features_doc(void)
{
	json_t *arr = json_array();
	int f;

	for (f = 0; f < IG_KF_NR; f++) {
		int has = ig_kfeat__has(f);

		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:b, s:s}",
						     "name", ig_kfeat__name(f),
						     "what", ig_kfeat__what(f),
						     "since", ig_kfeat__since(f),
						     "available", has == 1,
						     "status", has == 1 ? "yes" :
						     ig_kfeat__why_not(f)));
	}
	return arr;
}

/* One gadget: ready with its attach points, or what it lacks. */
static int gadget_doc(void *arg, const struct ig_gadget_mod *m)
{
	struct ig_hook_plan plan;
	json_t *g, *attach;
	char name[256];
	size_t i, k;

	if (ig_hooks__plan(m->hooks, m->nr_hooks, &plan))
		return -ENOMEM;
	g = json_pack("{s:s, s:b}", "name", m->desc->name, "ready", !plan.missing);
	if (plan.missing) {
		json_object_set_new(g, "missing", json_string(plan.missing));
	} else {
		attach = json_array();
		for (i = 0; i < plan.nr; i++) {
			if (!plan.chosen[i])
				continue;
			ig_hooks__name(&m->hooks[i], true, name, sizeof(name));
			for (k = 0; k < json_array_size(attach); k++)
				if (!strcmp(json_string_value(json_array_get(attach, k)), name))
					break;
			if (k == json_array_size(attach))
				json_array_append_new(attach, json_string(name));
		}
		json_object_set_new(g, "attach", attach);
	}
	ig_hooks__plan_free(&plan);
	return json_array_append_new(arg, g);
}

static void print_table(json_t *doc)
{
	json_t *k = json_object_get(doc, "kernel"), *v;
	size_t i, j;

	printf("%-10s %s\n%-10s %s\n%-10s %s\n\n", "KERNEL",
	       json_string_value(json_object_get(k, "release")), "BTF",
	       json_is_true(json_object_get(k, "btf")) ? "yes (" BTF_PATH ")" : "no",
	       "LOCKDOWN", json_string_value(json_object_get(k, "lockdown")));
	printf("%-14s %-20s %s\n", "FEATURE", "SINCE", "STATUS");
	json_array_foreach(json_object_get(doc, "features"), i, v)
		printf("%-14s %-20s %s\n", json_string_value(json_object_get(v, "name")),
		       json_string_value(json_object_get(v, "since")),
		       json_string_value(json_object_get(v, "status")));
	printf("\n%-24s %-8s %s\n", "GADGET", "STATUS", "ATTACH POINTS, OR WHAT IS MISSING");
	json_array_foreach(json_object_get(doc, "gadgets"), i, v) {
		bool ready = json_is_true(json_object_get(v, "ready"));
		json_t *a = json_object_get(v, "attach"), *p;

		printf("%-24s %-8s ", json_string_value(json_object_get(v, "name")),
		       ready ? "ready" : "missing");
		if (!ready)
			printf("%s", json_string_value(json_object_get(v, "missing")));
		json_array_foreach(a, j, p)
			printf("%s%s", j ? ", " : "", json_string_value(p));
		putchar('\n');
	}
}

/* The formatter wants columns even when it prints only documents. */
static const struct ig_field doc_fields[] = {
	{ "name", "gadget", IG_FT_STRING, IG_FK_NONE, 24 },
};

static void usage(FILE *out)
{
	fprintf(out, "Usage: ig doctor [-o table|json|jsonpretty|yaml] [--gadget-path DIR] [-v]\n"
		"What this kernel lets ig do: BTF, lockdown, the kernel features ig probes,\n"
		"and for each gadget the attach points it gets or what it lacks.\n"
		"IG_DISABLE_FEATURES=a,b treats those features as missing.\n");
}

/* Arguments: 0, 1 for --help, or IG_EXIT_USAGE after one line. */
static int parse(int argc, char **argv, enum ig_output_format *fmt, const char **path)
{
	char err[160];
	int i;

	for (i = 0; i < argc; i++) {
		const char *a = argv[i], *val = NULL;

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 1;
		} else if ((!strcmp(a, "-o") || !strcmp(a, "--output")) && i + 1 < argc) {
			val = argv[++i];
		} else if (!strncmp(a, "--output=", 9)) {
			val = a + 9;
		} else if (!strcmp(a, "--gadget-path") && i + 1 < argc) {
			*path = argv[++i];
		} else if (!strncmp(a, "--gadget-path=", 14)) {
			*path = a + 14;
		} else if (a[0] == '-' && a[1] && strspn(a + 1, "v") == strlen(a + 1)) {
			ig_verbose += (int)strlen(a + 1);
		} else {
			ig_err("unknown argument '%s' for ig doctor (valid: -o FORMAT, "
			       "--gadget-path DIR, -v)", a);
			return IG_EXIT_USAGE;
		}
		if (val && ig_output_format__parse(val, fmt, err, sizeof(err))) {
			ig_err("%s", err);
			return IG_EXIT_USAGE;
		}
	}
	return 0;
}

int ig_cmd_doctor(int argc, char **argv)
{
	struct ig_output_opts oo = { .sz = sizeof(oo), .out = stdout };
	enum ig_output_format fmt = IG_OUT_TABLE;
	const char *path = NULL;
	struct ig_output *out;
	json_t *doc, *gadgets;
	int ret;

	ret = parse(argc, argv, &fmt, &path);
	if (ret)
		return ret == 1 ? 0 : ret;
	if (geteuid() != 0) {
		ig_err("ig doctor needs root to probe what BPF programs the kernel accepts "
		       "(running as uid %u); run it with sudo", (unsigned int)geteuid());
		return 1;
	}
	if (ig_kfeat__init())
		return IG_EXIT_USAGE;
	gadgets = json_array();
	doc = json_pack("{s:o, s:o}", "kernel", kernel_doc(), "features", features_doc());
	ret = ig_loader__foreach(path, false, gadget_doc, gadgets);
	json_object_set_new(doc, "gadgets", gadgets);
	if (ret < 0) {
		ig_err("cannot list gadgets: %s", strerror(-ret));
		json_decref(doc);
		return 1;
	}
	ret = 0;
	if (fmt == IG_OUT_TABLE) {
		print_table(doc);
	} else {
		oo.format = fmt;
		out = ig_output__new(doc_fields, IG_ARRAY_SIZE(doc_fields), &oo, NULL, 0);
		ret = out ? ig_output__document(out, doc) : -errno;
		ig_output__destroy(out);
		if (ret && ret != -EPIPE)
			ig_err("cannot write the report: %s", strerror(-ret));
	}
	json_decref(doc);
	return ret && ret != -EPIPE ? 1 : 0;
}
