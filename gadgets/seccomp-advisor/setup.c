// SPDX-License-Identifier: Apache-2.0
/* seccomp-advisor: parameters, start and teardown of one run. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <seccomp.h>

#include "seccomp_advisor_int.h"

static const char *param_str(const struct sa_state *st, const char *name)
{
	const struct ig_param_value *v = st->host->param(st->host->ctx, name);

	return v ? v->str : NULL;
}

static const struct ig_param_value *param(const struct sa_state *st, const char *name)
{
	return st->host->param(st->host->ctx, name);
}

/* A base profile is a few KiB; Docker's default is 20. */
#define SA_BASE_MAX	(4u << 20)

static bool known_name(const struct sa_state *st, const char *name)
{
	return seccomp_syscall_resolve_name_arch(st->names.native_arch, name) != __NR_SCMP_ERROR ||
	       (st->names.compat_arch &&
		seccomp_syscall_resolve_name_arch(st->names.compat_arch, name) != __NR_SCMP_ERROR);
}

/*
 * A base profile may name syscalls this libseccomp does not know (a newer
 * runtime's default profile) or that are no syscalls at all: they are left
 * out of every profile, with one warning naming them, instead of copied.
 */
static void drop_unknown_names(struct sa_state *st, json_t *doc, const char *path)
{
	json_t *sc = json_object_get(doc, "defaultAction") ? doc :
		     json_object_get(json_object_get(doc, "linux"), "seccomp");
	json_t *rule, *names;
	char list[200] = "";
	size_t i, k, n = 0, off = 0;

	if (!sc)
		sc = json_object_get(doc, "spec");
	json_array_foreach(json_object_get(sc, "syscalls"), i, rule) {
		names = json_object_get(rule, "names");
		for (k = 0; k < json_array_size(names);) {
			const char *name = json_string_value(json_array_get(names, k));

			if (!name || known_name(st, name)) {
				k++;
				continue;
			}
			if (off < sizeof(list))
				off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%.40s",
							n ? ", " : "", name);
			n++;
			json_array_remove(names, k);
		}
	}
	if (n)
		IG_WARN(st->host, "--base-profile %s: %zu syscall name%s libseccomp does not know "
			"left out of the profiles: %s", path, n, n == 1 ? "" : "s", list);
}

static int load_base(struct sa_state *st, const char *path)
{
	const struct ig_host *h = st->host;
	const char *why = NULL;
	json_error_t jerr;
	size_t len;
	json_t *doc;
	char *text;
	int err;

	/* The host reads it: a regular file only (a directory, FIFO or device
	 * is one clear line, and a FIFO never makes ig wait). */
	text = h->read_file(h->ctx, "--base-profile", path, SA_BASE_MAX, &len);
	if (!text)
		return errno ? -errno : -EINVAL;
	doc = json_loadb(text, len, 0, &jerr);
	free(text);
	if (!doc) {
		if (jerr.line > 0)
			IG_ERROR(h, "--base-profile %s: line %d: %s: give an "
				 "OCI seccomp profile in JSON", path, jerr.line, jerr.text);
		else
			IG_ERROR(h, "--base-profile %s: %s", path, jerr.text);
		return -EINVAL;
	}
	drop_unknown_names(st, doc, path);
	st->base = sa_profile__new();
	err = st->base ? sa_profile__add_oci(st->base, doc, &why) : -ENOMEM;
	json_decref(doc);
	if (err)
		IG_ERROR(h, "--base-profile %s: %s", path,
			 why ?: "out of memory");
	return err;
}

const char *sa_for_name(enum sa_for f)
{
	return f == SA_FOR_RUNC ? "runc" : f == SA_FOR_RUNC_NNP ? "runc-nnp" : "process";
}

/* --for-runtime: only -- COMMAND needs it (a container's profile gets what
 * its runtime did after installing the filter, as recorded). */
static int for_runtime(struct sa_state *st)
{
	const struct ig_param_value *v = param(st, "for-runtime");
	const char *name = v->str ?: "none";

	st->for_runtime = !strcmp(name, "runc") ? SA_FOR_RUNC :
			  !strcmp(name, "runc-nnp") ? SA_FOR_RUNC_NNP : SA_FOR_PROCESS;
	if (st->for_runtime != SA_FOR_PROCESS && st->target != IG_TARGET_COMMAND) {
		IG_ERROR(st->host, "--for-runtime %s: only with -- COMMAND (a container's "
			 "profile already has what its runtime does after the filter)", name);
		return -EINVAL;
	}
	return 0;
}

/* --until-stable, --stage, --widen, and the command's recording from now. */
static int configure_lifecycle(struct sa_state *st)
{
	const char *stable = param_str(st, "until-stable");

	st->stage = param(st, "stage")->u;
	st->widen = param(st, "widen")->u;
	st->boot_to_wall = (int64_t)st->host->boot_to_wall_ns(st->host->ctx, 0);
	if (stable && adv_parse_seconds(stable, &st->until_stable_ns)) {
		IG_ERROR(st->host, "--until-stable '%s': give a number of seconds > 0, "
			 "e.g. 30 or 2.5", stable);
		return -EINVAL;
	}
	sa_progress__new_run(st);
	if (st->target == IG_TARGET_COMMAND && !sa_progress__track(st, 0))
		return -ENOMEM;
	return 0;
}

int sa_state_configure(struct sa_state *st)
{
	const struct ig_host *h = st->host;
	const struct ig_param_value *v;
	int err;

	st->target = h->target(h->ctx);
	st->args = param(st, "args")->u;
	st->spo = !strcmp(param_str(st, "format") ?: "oci", "spo");
	st->spo_api = param_str(st, "spo-api") ?: "v1";
	st->merge_pod = !strcmp(param_str(st, "merge") ?: "none", "pod");
	st->no_implicit = param(st, "no-implicit")->u;
	if (for_runtime(st))
		return -EINVAL;
	v = param(st, "default-errno");
	if (v->set) {
		if (v->u > 4095) {
			IG_ERROR(h, "--default-errno %llu: not an errno "
				 "(use 1..4095, e.g. 1 for EPERM or 38 for ENOSYS)",
				 (unsigned long long)v->u);
			return -EINVAL;
		}
		st->doc.errno_set = true;
		st->doc.default_errno = v->u;
	}
	v = param(st, "max-slots");
	st->max_slots = v->u;
	if (!st->max_slots || st->max_slots > 65536) {
		IG_ERROR(h, "--max-slots %llu: use 1..65536",
			 (unsigned long long)v->u);
		return -EINVAL;
	}
	/* An IG_PT_DIR: the host made it when missing and checked, before
	 * init(), that files can be created there. */
	st->output_dir = param_str(st, "output-dir");
	err = configure_lifecycle(st);
	if (err)
		return err;
	st->names.native_arch = sa_arch_native();
	st->names.compat_arch = sa_arch_compat(st->names.native_arch);
	st->doc.archs = st->archs;
	st->doc.nr_archs = sa_arch_list(st->names.native_arch, st->archs, 4);
	if (param_str(st, "base-profile"))
		return load_base(st, param_str(st, "base-profile"));
	return 0;
}

int sa_state_start(struct sa_state *st)
{
	const struct ig_host *h = st->host;
	struct sa_recorder_opts o = {
		.command_mode = st->target == IG_TARGET_COMMAND,
		.pid_filter_fd = -1,
		.args = st->args,
		.max_slots = st->max_slots,
		.task_btf = st->task_btf,
	};
	const char *why = "?";

	if (o.command_mode) {
		o.cmd_pid = h->command_pid(h->ctx);
		o.pid_filter_fd = h->filter_map_fd(h->ctx, IG_FILTER_MAP_PID);
		if (o.pid_filter_fd < 0) {
			IG_ERROR(h, "no pid filter map from the core: %s",
				 strerror(-o.pid_filter_fd));
			return o.pid_filter_fd;
		}
	}
	st->rec = sa_recorder__open(&o, &why);
	if (!st->rec) {
		int err = -errno;

		IG_ERROR(h, "%s: %s (-v shows libbpf's messages)", why, strerror(errno));
		return err ? err : -EINVAL;
	}
	IG_INFO(h, "recording %u syscall numbers per ABI, %u slots",
		sa_recorder__nr_syscalls(st->rec), st->max_slots);
	return 0;
}
