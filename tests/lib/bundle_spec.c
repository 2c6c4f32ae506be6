// SPDX-License-Identifier: Apache-2.0
/*
 * config.json for test bundles: the equivalent of `runc spec` (runc 1.1),
 * generated in code, with terminal off, a writable rootfs, the default
 * capability set of container engines, and helpers to edit it.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "igtest.h"
#include "igtest_priv.h"

/* The capabilities runc/containerd give a container by default. CAP_SYS_RESOURCE
 * is not among them (and is outside the bounding set on the test machines). */
static const char *const default_caps[] = {
	"CAP_AUDIT_WRITE", "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID",
	"CAP_KILL", "CAP_MKNOD", "CAP_NET_BIND_SERVICE", "CAP_NET_RAW", "CAP_SETFCAP",
	"CAP_SETGID", "CAP_SETPCAP", "CAP_SETUID", "CAP_SYS_CHROOT", NULL,
};

static const char *const masked_paths[] = {
	"/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
	"/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware",
	"/proc/scsi", NULL,
};

static const char *const readonly_paths[] = {
	"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger", NULL,
};

static json_t *str_array(const char *const v[])
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; v && v[i]; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

/* Capability names as "CAP_X", whether the caller wrote "X" or "CAP_X". */
static json_t *cap_array(const char *const caps[])
{
	json_t *a = json_array();
	char name[64];
	size_t i;

	for (i = 0; caps && caps[i]; i++) {
		if (strncasecmp(caps[i], "CAP_", 4))
			snprintf(name, sizeof(name), "CAP_%s", caps[i]);
		else
			snprintf(name, sizeof(name), "%s", caps[i]);
		json_array_append_new(a, json_string(name));
	}
	return a;
}

static json_t *mount(const char *dest, const char *type, const char *src, const char *opts[])
{
	json_t *m = json_pack("{s:s, s:s, s:s}", "destination", dest, "type", type, "source", src);

	if (opts)
		json_object_set_new(m, "options", str_array(opts));
	return m;
}

static json_t *default_mounts(void)
{
	json_t *m = json_array();

	json_array_append_new(m, mount("/proc", "proc", "proc", NULL));
	json_array_append_new(m, mount("/dev", "tmpfs", "tmpfs", (const char *[]){
		"nosuid", "strictatime", "mode=755", "size=65536k", NULL }));
	json_array_append_new(m, mount("/dev/pts", "devpts", "devpts", (const char *[]){
		"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5",
		NULL }));
	json_array_append_new(m, mount("/dev/shm", "tmpfs", "shm", (const char *[]){
		"nosuid", "noexec", "nodev", "mode=1777", "size=65536k", NULL }));
	json_array_append_new(m, mount("/dev/mqueue", "mqueue", "mqueue", (const char *[]){
		"nosuid", "noexec", "nodev", NULL }));
	json_array_append_new(m, mount("/sys", "sysfs", "sysfs", (const char *[]){
		"nosuid", "noexec", "nodev", "ro", NULL }));
	json_array_append_new(m, mount("/sys/fs/cgroup", "cgroup", "cgroup", (const char *[]){
		"nosuid", "noexec", "nodev", "relatime", "ro", NULL }));
	return m;
}

static json_t *default_process(const char *const args[])
{
	json_t *caps = json_object();

	json_object_set_new(caps, "bounding", cap_array(default_caps));
	json_object_set_new(caps, "effective", cap_array(default_caps));
	json_object_set_new(caps, "permitted", cap_array(default_caps));
	return json_pack("{s:b, s:{s:i, s:i}, s:o, s:[s], s:s, s:o, s:[{s:s, s:i, s:i}], s:b}",
			 "terminal", 0,
			 "user", "uid", 0, "gid", 0,
			 "args", str_array(args),
			 "env", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
			 "cwd", "/",
			 "capabilities", caps,
			 "rlimits", "type", "RLIMIT_NOFILE", "hard", 1024, "soft", 1024,
			 "noNewPrivileges", 1);
}

void *igt_spec_default(const char *hostname, const char *const args[])
{
	json_t *linux_, *spec;

	if (!args || !args[0])
		cr_assert_fail("igt_bundle_new: empty args");
	linux_ = json_pack("{s:{s:[{s:b, s:s}]}, s:[{s:s}, {s:s}, {s:s}, {s:s}, {s:s}, {s:s}],"
			   " s:o, s:o}",
			   "resources", "devices", "allow", 0, "access", "rwm",
			   "namespaces", "type", "pid", "type", "network", "type", "ipc",
			   "type", "uts", "type", "mount", "type", "cgroup",
			   "maskedPaths", str_array(masked_paths),
			   "readonlyPaths", str_array(readonly_paths));
	spec = json_pack("{s:s, s:o, s:{s:s, s:b}, s:s, s:o, s:o}",
			 "ociVersion", "1.0.2-dev",
			 "process", default_process(args),
			 "root", "path", "rootfs", "readonly", 0,
			 "hostname", hostname,
			 "mounts", default_mounts(),
			 "linux", linux_);
	if (!spec || !linux_)
		cr_assert_fail("igt_bundle_new: building config.json failed");
	return spec;
}

/* ---------------------------------------------------------------- editing */

/* obj[key] as an object, created when absent. */
static json_t *obj_child(json_t *obj, const char *key)
{
	json_t *c = json_object_get(obj, key);

	if (!json_is_object(c)) {
		c = json_object();
		json_object_set_new(obj, key, c);
	}
	return c;
}

void igt_bundle_annotate(struct igt_bundle *b, const char *key, const char *value)
{
	json_object_set_new(obj_child(b->config, "annotations"), key, json_string(value));
}

void igt_bundle_set_seccomp(struct igt_bundle *b, const char *profile_json)
{
	json_error_t jerr;
	json_t *p = json_loads(profile_json, 0, &jerr);

	if (!json_is_object(p))
		cr_assert_fail("igt_bundle_set_seccomp: not a JSON object (line %d: %s):\n%s",
			       jerr.line, jerr.text, profile_json);
	json_object_set_new(obj_child(b->config, "linux"), "seccomp", p);
}

void igt_bundle_set_caps(struct igt_bundle *b, const char *const caps[])
{
	static const char *const sets[] = {
		"bounding", "effective", "permitted", "inheritable", "ambient", NULL,
	};
	json_t *c = json_object();
	size_t i;

	for (i = 0; sets[i]; i++)
		json_object_set_new(c, sets[i], cap_array(caps));
	json_object_set_new(obj_child(b->config, "process"), "capabilities", c);
}

void igt_bundle_set_netns(struct igt_bundle *b, const char *path)
{
	json_t *ns = json_object_get(obj_child(b->config, "linux"), "namespaces");
	json_t *e;
	size_t i;

	json_array_foreach(ns, i, e) {
		if (strcmp(json_string_value(json_object_get(e, "type")) ?: "", "network"))
			continue;
		if (path)
			json_object_set_new(e, "path", json_string(path));
		else
			json_array_remove(ns, i);
		return;
	}
	if (path)
		json_array_append_new(ns, json_pack("{s:s, s:s}", "type", "network", "path", path));
}

void igt_bundle_add_hook(struct igt_bundle *b, const char *stage, const char *const argv[])
{
	json_t *hooks = obj_child(b->config, "hooks");
	json_t *list = json_object_get(hooks, stage);

	if (!argv || !argv[0] || argv[0][0] != '/')
		cr_assert_fail("igt_bundle_add_hook: argv[0] must be an absolute path");
	if (!json_is_array(list)) {
		list = json_array();
		json_object_set_new(hooks, stage, list);
	}
	json_array_append_new(list, json_pack("{s:s, s:o}", "path", argv[0],
					      "args", str_array(argv)));
}

void igt_bundle_set_nnp(struct igt_bundle *b, bool no_new_privileges)
{
	json_object_set_new(obj_child(b->config, "process"), "noNewPrivileges",
			    json_boolean(no_new_privileges));
}

void igt_bundle_set_user(struct igt_bundle *b, unsigned uid, unsigned gid)
{
	json_object_set_new(obj_child(b->config, "process"), "user",
			    json_pack("{s:I, s:I}", "uid", (json_int_t)uid,
				      "gid", (json_int_t)gid));
}
